//! Byte comparison of two linked modules, section by section, to say where a touchstone output
//! first departs from rust-lld's: which section (id, or custom section name) and at which
//! offset inside it. Reads only the section framing (id, size, custom name), bounds-checked, so
//! malformed input gives a description, not a panic. Also full validation with wasmparser.

/// One section's framing: where its contents are in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Section {
    id: u8,
    /// Name of a custom section (id 0).
    custom_name: Option<String>,
    /// Offset of the id byte in the file.
    start: usize,
    /// Range of the contents (after the size LEB) in the file.
    contents: std::ops::Range<usize>,
}

impl Section {
    fn label(&self) -> String {
        match &self.custom_name {
            Some(name) => format!("custom \"{name}\""),
            None => format!("{} (id {})", section_name(self.id), self.id),
        }
    }
}

fn section_name(id: u8) -> &'static str {
    match id {
        0 => "custom",
        1 => "type",
        2 => "import",
        3 => "function",
        4 => "table",
        5 => "memory",
        6 => "global",
        7 => "export",
        8 => "start",
        9 => "element",
        10 => "code",
        11 => "data",
        12 => "datacount",
        13 => "tag",
        _ => "unknown",
    }
}

/// The unsigned LEB128 at `*pos` as a `u32`, moving `*pos` past it.
fn read_leb_u32(bytes: &[u8], pos: &mut usize) -> Option<u32> {
    let (v, n) = touchstone_format::leb::read_u64(bytes, *pos)?;
    *pos += n;
    u32::try_from(v).ok()
}

/// Splits a module into sections, or says where the framing is broken.
fn sections(bytes: &[u8]) -> Result<Vec<Section>, String> {
    if bytes.len() < 8 || bytes[..4] != *b"\0asm" {
        return Err("not a wasm module (bad magic)".into());
    }
    let mut out = Vec::new();
    let mut pos = 8;
    while pos < bytes.len() {
        let start = pos;
        let id = bytes[pos];
        pos += 1;
        let size = read_leb_u32(bytes, &mut pos)
            .ok_or_else(|| format!("bad section size at offset {start:#x}"))?;
        let end = pos
            .checked_add(size as usize)
            .filter(|&end| end <= bytes.len())
            .ok_or_else(|| format!("section at {start:#x} runs past the end of the file"))?;
        let custom_name = if id == 0 {
            let mut name_pos = pos;
            let len = read_leb_u32(bytes, &mut name_pos)
                .ok_or_else(|| format!("bad custom section name at {pos:#x}"))?;
            let name = bytes
                .get(name_pos..name_pos + len as usize)
                .ok_or_else(|| format!("custom section name at {pos:#x} runs past its section"))?;
            Some(String::from_utf8_lossy(name).into_owned())
        } else {
            None
        };
        out.push(Section {
            id,
            custom_name,
            start,
            contents: pos..end,
        });
        pos = end;
    }
    Ok(out)
}

/// `None` when `ours` and `reference` are byte-identical, else where they first differ.
pub fn first_difference(ours: &[u8], reference: &[u8]) -> Option<String> {
    if ours == reference {
        return None;
    }
    let (ours_sections, reference_sections) = match (sections(ours), sections(reference)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) => return Some(format!("output framing broken: {e}")),
        (_, Err(e)) => return Some(format!("reference framing broken: {e}")),
    };
    for (i, (a, b)) in ours_sections.iter().zip(&reference_sections).enumerate() {
        if a.id != b.id || a.custom_name != b.custom_name {
            return Some(format!(
                "section #{i}: {} where the reference has {}",
                a.label(),
                b.label()
            ));
        }
        let a_bytes = &ours[a.start..a.contents.end];
        let b_bytes = &reference[b.start..b.contents.end];
        if a_bytes != b_bytes {
            let a_body = &ours[a.contents.clone()];
            let b_body = &reference[b.contents.clone()];
            let at = a_body
                .iter()
                .zip(b_body)
                .position(|(x, y)| x != y)
                .unwrap_or(a_body.len().min(b_body.len()));
            let sizes = if a_body.len() == b_body.len() {
                format!("same size {}", a_body.len())
            } else {
                format!("size {} vs {}", a_body.len(), b_body.len())
            };
            return Some(format!(
                "{} at +{at:#x} (file offset {:#x}; {sizes})",
                a.label(),
                a.contents.start + at
            ));
        }
    }
    Some(format!(
        "{} sections vs {} in the reference (all shared ones equal)",
        ours_sections.len(),
        reference_sections.len()
    ))
}

/// Full validation with every feature wasmparser knows enabled.
pub fn validate(bytes: &[u8]) -> Result<(), String> {
    let mut validator = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
    validator
        .validate_all(bytes)
        .map(|_| ())
        .map_err(|e| format!("invalid module: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(sections: &[(u8, &[u8])]) -> Vec<u8> {
        let mut bytes = b"\0asm\x01\0\0\0".to_vec();
        for (id, body) in sections {
            bytes.push(*id);
            bytes.push(body.len() as u8);
            bytes.extend_from_slice(body);
        }
        bytes
    }

    #[test]
    fn identical_modules_have_no_difference() {
        let a = module(&[(1, &[1, 0x60, 0, 0])]);
        assert_eq!(first_difference(&a, &a), None);
    }

    #[test]
    fn names_the_first_differing_section_and_offset() {
        let a = module(&[(1, &[1, 0x60, 0, 0]), (0, b"\x04nameAB")]);
        let b = module(&[(1, &[1, 0x60, 0, 0]), (0, b"\x04nameAC")]);
        assert_eq!(
            first_difference(&a, &b).as_deref(),
            Some("custom \"name\" at +0x6 (file offset 0x16; same size 7)")
        );
        let c = module(&[(1, &[1, 0x60, 0, 1, 0x7f])]);
        assert_eq!(
            first_difference(&c, &a).as_deref(),
            Some("type (id 1) at +0x3 (file offset 0xd; size 5 vs 4)")
        );
    }

    #[test]
    fn truncated_input_is_described_not_a_panic() {
        let mut a = module(&[(1, &[1, 0x60, 0, 0])]);
        let b = a.clone();
        a.truncate(a.len() - 1);
        let diff = first_difference(&a, &b).unwrap_or_default();
        assert!(diff.contains("runs past the end"), "{diff}");
    }
}
