//! Layout step: the output custom sections (lld `Writer::calculateCustomSections`) and the
//! merged `producers` section (lld `Writer::createProducersSection`). The name,
//! target_features, producers and build_id sections are written by `write` from the layout;
//! here are the sections copied from the inputs.

use super::memory::{merge_strings, MergedStrings};
use crate::args::Config;
use crate::error::Result;
use crate::layout::Layout;
use crate::resolve::{ObjectId, Resolved};
use crate::{bail, err};
use rustc_hash::FxHashMap as HashMap;

/// One input contribution to an output custom section.
#[derive(Clone, Debug)]
pub struct CustomPart {
    pub object: ObjectId,
    /// Index into the object's `custom_sections`.
    pub section: usize,
    /// Offset of the contribution inside the output section payload.
    pub offset: u32,
}

/// An output custom section copied from the inputs.
#[derive(Clone, Debug)]
pub struct OutCustom {
    pub name: String,
    pub parts: Vec<CustomPart>,
    /// For string-merged debug sections: the merged bytes and each part's piece map.
    pub merged: Option<MergedStrings>,
    pub size: u32,
}

/// Per object, per custom section: the (output section, part) it went to.
pub type CustomPlaces = Vec<Vec<Option<(u32, u32)>>>;

/// Whether an input custom section is left out of the output: debug sections under
/// `--strip-debug` or `--strip-all` (`--keep-section` does not bring them back, as rust-lld
/// shows), and the embedded bitcode sections `.llvmbc` and `.llvmcmd`.
pub fn skip_custom(config: &Config, name: &str) -> bool {
    if name.starts_with(".debug_") && (config.strip_debug || config.strip_all) {
        return true;
    }
    matches!(name, ".llvmbc" | ".llvmcmd")
}

/// The output custom sections: non-empty input sections of the same name concatenated in
/// object order, output sections in order of first appearance; COMDAT-discarded copies left
/// out. At `-O1` and above, `.debug_str`, `.debug_str.dwo` and `.debug_line_str` are
/// string-merged like `.rodata` strings; `__llvm_covfun` and `__llvm_covmap` contributions are
/// aligned to 8.
pub fn layout_customs(config: &Config, res: &Resolved) -> Result<(Vec<OutCustom>, CustomPlaces)> {
    let mut out: Vec<OutCustom> = Vec::new();
    let mut by_name: HashMap<&str, usize> = HashMap::default();
    for (oi, o) in res.objects.iter().enumerate() {
        for (ci, c) in o.obj.custom_sections.iter().enumerate() {
            if c.data.is_empty() || o.discarded_customs[ci] || skip_custom(config, c.name) {
                continue;
            }
            let i = *by_name.entry(c.name).or_insert_with(|| {
                out.push(OutCustom {
                    name: c.name.to_string(),
                    parts: Vec::new(),
                    merged: None,
                    size: 0,
                });
                out.len() - 1
            });
            out[i].parts.push(CustomPart {
                object: ObjectId::new(oi),
                section: ci,
                offset: 0,
            });
        }
    }
    for c in out.iter_mut() {
        place_parts(config, res, c)?;
    }
    let mut places: CustomPlaces = super::per_object(res, |o| o.custom_sections.len());
    for (ci, c) in out.iter().enumerate() {
        for (pi, p) in c.parts.iter().enumerate() {
            places[p.object.index()][p.section] = Some((ci as u32, pi as u32));
        }
    }
    Ok((out, places))
}

/// Gives each contribution of `c` its offset, or merges its strings.
fn place_parts(config: &Config, res: &Resolved, c: &mut OutCustom) -> Result<()> {
    let mergeable = config.opt_level >= 1
        && matches!(
            c.name.as_str(),
            ".debug_str" | ".debug_str.dwo" | ".debug_line_str"
        );
    if mergeable {
        let datas: Vec<&[u8]> = c
            .parts
            .iter()
            .map(|p| res.object(p.object).obj.custom_sections[p.section].data)
            .collect();
        let m = merge_strings(&datas, |i| {
            let p = &c.parts[i];
            format!("{}: custom section {}", res.object(p.object).name, c.name)
        })?;
        c.size = m.bytes.len() as u32;
        c.merged = Some(m);
        return Ok(());
    }
    let mut size = 0u32;
    for p in c.parts.iter_mut() {
        let sec = &res.object(p.object).obj.custom_sections[p.section];
        let align: u32 = if matches!(sec.name, "__llvm_covfun" | "__llvm_covmap") {
            8
        } else {
            1
        };
        size = size.div_ceil(align) * align;
        p.offset = size;
        size += sec.data.len() as u32;
    }
    c.size = size;
    Ok(())
}

/// The `producers` section: for each field in the order language, processed-by, sdk, every
/// tool name the inputs list, in object order, with the first version seen for it.
pub fn merge_producers(res: &Resolved) -> Vec<(String, Vec<(String, String)>)> {
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for field in ["language", "processed-by", "sdk"] {
        let mut entries: Vec<(String, String)> = Vec::new();
        for o in &res.objects {
            for (f, values) in &o.obj.producers {
                if *f != field {
                    continue;
                }
                for (n, v) in values {
                    if !entries.iter().any(|(en, _)| en == n) {
                        entries.push((n.to_string(), v.to_string()));
                    }
                }
            }
        }
        if !entries.is_empty() {
            out.push((field.to_string(), entries));
        }
    }
    out
}

/// SECTION_OFFSET: where byte `addend` of the object's section `section_index` landed in its
/// output custom section (lld `InputSection::getOffset`): the value a `SECTION_OFFSET_I32`
/// relocation gets, and with `-r` its new addend (`ObjFile::calcNewAddend`).
pub fn section_offset(
    res: &Resolved,
    layout: &Layout,
    oid: ObjectId,
    section_index: u32,
    addend: i64,
) -> Result<u64> {
    let obj = &res.object(oid).obj;
    let Some(ci) = obj
        .custom_sections
        .iter()
        .position(|c| c.section_index == section_index)
    else {
        bail!("section symbol for section {section_index} is not a custom section");
    };
    if let Some((out, pi)) = layout.custom_place[oid.index()][ci] {
        let c = &layout.customs[out as usize];
        let pi = pi as usize;
        if let Some(m) = &c.merged {
            return m
                .map(pi, addend as u64)
                .ok_or_else(|| err!("offset {addend} is not inside a string of {}", c.name));
        }
        return Ok(c.parts[pi].offset as u64 + addend as u64);
    }
    // The section was dropped (e.g. stripped): the value does not matter.
    Ok(addend as u64)
}
