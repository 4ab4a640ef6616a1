//! Corruptions of a relocatable object or a shared library, aimed at the places a reader
//! trusts: bit flips and byte writes anywhere, truncation, inflated counts and section sizes
//! (a shared library's `dylink.0` subsections among them), overlong LEBs, and relocation
//! entries with wrong fields. Each is chosen by an [`Unstructured`] and described
//! in words, so a fuzz input or a campaign case says what was done. Used by the `mutate` fuzz
//! target (tests/fuzz-harness) and by `touchstone fuzz --corrupt`.

use arbitrary::Unstructured;
use touchstone_format::{leb, RelocType};

/// Places in an object worth corrupting, found by walking its sections.
#[derive(Default, Debug)]
struct Landmarks {
    /// (offset, length) of section size LEBs, and of `dylink.0` subsection size LEBs.
    section_sizes: Vec<(usize, usize)>,
    /// (offset, length) of the first LEB of a known section's payload (its item count), of
    /// relocation section counts, of the counts of `dylink.0` list subsections and of the
    /// fields of its memory info.
    counts: Vec<(usize, usize)>,
    /// (offset, length) of each field of each relocation entry: type, offset, index, addend.
    reloc_fields: Vec<(usize, usize)>,
}

fn landmarks(b: &[u8]) -> Landmarks {
    let mut l = Landmarks::default();
    let mut at = 8;
    while at < b.len() {
        let id = b[at];
        let Some((size, n)) = leb::read_u64(b, at + 1) else {
            break;
        };
        l.section_sizes.push((at + 1, n));
        let start = at + 1 + n;
        let end = start.saturating_add(size as usize).min(b.len());
        if id != 0 {
            if let Some((_, cn)) = leb::read_u64(b, start) {
                l.counts.push((start, cn));
            }
        } else if let Some((len, nn)) = leb::read_u64(b, start) {
            let name_end = (start + nn).saturating_add(len as usize);
            let name = b.get(start + nn..name_end.min(b.len())).unwrap_or(&[]);
            if name.starts_with(b"reloc.") {
                reloc_landmarks(b, name_end, end, &mut l);
            } else if name == b"dylink.0" {
                dylink_landmarks(b, name_end, end, &mut l);
            }
        }
        at = end;
    }
    l
}

fn reloc_landmarks(b: &[u8], mut at: usize, end: usize, l: &mut Landmarks) {
    let Some((_, n)) = leb::read_u64(b, at) else {
        return;
    };
    at += n;
    let Some((count, n)) = leb::read_u64(b, at) else {
        return;
    };
    l.counts.push((at, n));
    at += n;
    for _ in 0..count {
        if at >= end {
            return;
        }
        let ty = b[at];
        l.reloc_fields.push((at, 1));
        at += 1;
        let with_addend = RelocType::from_u8(ty).is_some_and(|t| t.has_addend());
        for _ in 0..(2 + with_addend as usize) {
            let Some((_, n)) = leb::read_u64(b, at) else {
                return;
            };
            l.reloc_fields.push((at, n));
            at += n;
        }
    }
}

/// `dylink.0` subsection types (tool-conventions DynamicLinking.md).
const WASM_DYLINK_MEM_INFO: u8 = 1;
const WASM_DYLINK_NEEDED: u8 = 2;
const WASM_DYLINK_EXPORT_INFO: u8 = 3;
const WASM_DYLINK_IMPORT_INFO: u8 = 4;
const WASM_DYLINK_RUNTIME_PATH: u8 = 5;

/// The subsections of a `dylink.0` payload in `b[at..end]`: each is a type byte, a size LEB
/// and a payload. A shared library's reader trusts the sizes to find the next subsection and
/// the counts to size its lists, so both are worth inflating.
fn dylink_landmarks(b: &[u8], mut at: usize, end: usize, l: &mut Landmarks) {
    while at < end {
        let ty = b[at];
        let Some((size, n)) = leb::read_u64(b, at + 1) else {
            return;
        };
        l.section_sizes.push((at + 1, n));
        let start = at + 1 + n;
        let sub_end = start.saturating_add(size as usize).min(end);
        // Memory info is four LEBs (memory size and alignment, table size and alignment);
        // each list subsection starts with its count.
        let fields = match ty {
            WASM_DYLINK_MEM_INFO => 4,
            WASM_DYLINK_NEEDED
            | WASM_DYLINK_EXPORT_INFO
            | WASM_DYLINK_IMPORT_INFO
            | WASM_DYLINK_RUNTIME_PATH => 1,
            _ => 0,
        };
        let mut field = start;
        for _ in 0..fields {
            match leb::read_u64(b, field) {
                Some((_, fnn)) if field + fnn <= sub_end => {
                    l.counts.push((field, fnn));
                    field += fnn;
                }
                _ => break,
            }
        }
        at = start.saturating_add(size as usize);
    }
}

/// Writes `v` as an unsigned LEB of exactly `width` bytes (`width` may exceed the minimal
/// length: an overlong encoding).
fn leb_of_width(v: u64, width: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(width);
    leb::write_uleb_padded(&mut out, v, width);
    out
}

/// One corruption of `b`, chosen by `u`; returns a description.
pub fn corrupt(u: &mut Unstructured, b: &mut Vec<u8>) -> arbitrary::Result<String> {
    let l = landmarks(b);
    let pick =
        |u: &mut Unstructured, v: &[(usize, usize)]| -> arbitrary::Result<Option<(usize, usize)>> {
            Ok(if v.is_empty() {
                None
            } else {
                Some(v[u.choose_index(v.len())?])
            })
        };
    let kind = u.int_in_range(0..=7u8)?;
    let len = b.len();
    let what = match kind {
        0 => {
            let at = u.choose_index(len)?;
            let bit = u.int_in_range(0..=7u8)?;
            b[at] ^= 1 << bit;
            format!("flipped bit {bit} at 0x{at:x}")
        }
        1 => {
            let at = u.choose_index(len)?;
            let v = u.arbitrary::<u8>()?;
            b[at] = v;
            format!("byte 0x{at:x} = 0x{v:02x}")
        }
        2 => {
            let keep = u.int_in_range(0..=len.saturating_sub(1))?;
            b.truncate(keep);
            format!("truncated to {keep} bytes")
        }
        3 | 4 => {
            let Some((at, n)) = pick(
                u,
                if kind == 3 {
                    &l.counts
                } else {
                    &l.section_sizes
                },
            )?
            else {
                return Ok("nothing to inflate".into());
            };
            let v: u64 = match u.int_in_range(0..=3u8)? {
                0 => u32::MAX as u64,
                1 => 0x7fff_ffff,
                2 => leb::read_u64(b, at).map_or(0, |x| x.0) + u.int_in_range(1..=64u64)?,
                _ => u.arbitrary::<u32>()? as u64,
            };
            let width = u.int_in_range(n..=5usize.max(n))?;
            b.splice(at..at + n, leb_of_width(v, width));
            format!(
                "{} LEB at 0x{at:x} = {v} in {width} bytes",
                if kind == 3 { "count" } else { "section size" }
            )
        }
        5 => {
            // An overlong LEB: same value, more bytes than allowed (6 to 11).
            let all: Vec<(usize, usize)> = l
                .counts
                .iter()
                .chain(&l.section_sizes)
                .chain(&l.reloc_fields)
                .copied()
                .collect();
            let Some((at, n)) = pick(u, &all)? else {
                return Ok("no LEB".into());
            };
            let v = leb::read_u64(b, at).map_or(0, |x| x.0);
            let width = u.int_in_range(6..=11usize)?;
            b.splice(at..at + n, leb_of_width(v, width));
            format!("overlong LEB at 0x{at:x}: {v} in {width} bytes")
        }
        _ => {
            let Some((at, n)) = pick(u, &l.reloc_fields)? else {
                return Ok("no relocations".into());
            };
            let v: u64 = match u.int_in_range(0..=2u8)? {
                0 => u.int_in_range(0..=40u64)?,
                1 => u32::MAX as u64,
                _ => u.arbitrary::<u16>()? as u64,
            };
            let width = if n == 1 { 1 } else { n.max(5) };
            let bytes = if n == 1 {
                vec![v as u8]
            } else {
                leb_of_width(v, width)
            };
            b.splice(at..at + n, bytes);
            format!("relocation field at 0x{at:x} = {v}")
        }
    };
    Ok(what)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A custom section `name` with `payload`.
    fn custom(name: &str, payload: &[u8]) -> Vec<u8> {
        let mut body = vec![name.len() as u8];
        body.extend(name.as_bytes());
        body.extend(payload);
        let mut s = vec![0, body.len() as u8];
        s.extend(body);
        s
    }

    /// A module with only a `dylink.0` section: memory info (4 LEBs), one needed library
    /// `a.so`, and export info for `f`. Returns it with the offsets of the subsection size
    /// LEBs and of the counts expected.
    fn dylink_module() -> (Vec<u8>, Vec<usize>, Vec<usize>) {
        let subsections: [(u8, &[u8]); 3] = [
            (WASM_DYLINK_MEM_INFO, &[16, 2, 1, 0]),
            (WASM_DYLINK_NEEDED, &[1, 4, b'a', b'.', b's', b'o']),
            (WASM_DYLINK_EXPORT_INFO, &[1, 1, b'f', 0]),
        ];
        let mut payload = Vec::new();
        let (mut sizes, mut counts) = (Vec::new(), Vec::new());
        // The payload starts after the magic, version, section id, size and the name.
        let base = 8 + 2 + 1 + "dylink.0".len();
        for (ty, body) in subsections {
            payload.push(ty);
            sizes.push(base + payload.len());
            payload.push(body.len() as u8);
            let fields = if ty == WASM_DYLINK_MEM_INFO { 4 } else { 1 };
            counts.extend((0..fields).map(|i| base + payload.len() + i));
            payload.extend(body);
        }
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend(custom("dylink.0", &payload));
        (m, sizes, counts)
    }

    #[test]
    fn landmarks_include_dylink_subsections() {
        let (m, sizes, counts) = dylink_module();
        let l = landmarks(&m);
        assert_eq!(l.section_sizes[0], (9, 1), "the custom section's own size");
        let got_sizes: Vec<usize> = l.section_sizes[1..].iter().map(|s| s.0).collect();
        assert_eq!(got_sizes, sizes, "the subsection size LEBs");
        let got_counts: Vec<usize> = l.counts.iter().map(|c| c.0).collect();
        assert_eq!(got_counts, counts, "memory info fields and list counts");
        assert!(l.section_sizes.iter().chain(&l.counts).all(|s| s.1 == 1));
    }
}
