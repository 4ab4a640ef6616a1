//! Stage `relocate`: copy each live chunk (function body, data segment, custom section) once
//! and patch its relocation sites with output values, as lld's `InputChunk::relocate` and
//! `ObjFile::calcNewValue` (InputFiles.cpp) do. Bodies are copied byte for byte (their
//! size LEB included) and patched in place, so nothing is re-encoded.
//!
//! Values follow lld's rules: function, type, global, tag and table numbers are output
//! indices; table-index relocations give the function's slot (0 when it has none); memory
//! addresses are the symbol's address plus addend (0 for undefined data), except that a symbol
//! in the TLS segment gives its offset from `__tls_base`, whatever the relocation; references to
//! symbols that GC removed give the section's tombstone (-1 in `.debug_*`, -2 in `.debug_ranges`
//! and `.debug_loc`) or else the addend. Patched sites keep their width: padded 5- or 10-byte
//! LEBs, 4- or 8-byte little-endian words.

use crate::error::Result;
use crate::layout::Layout;
use crate::leb;
use crate::object::{Reloc, RelocType, SymbolKind};
use crate::resolve::{ObjectId, Resolved, Synthetic, Target};
use crate::{bail, err};

/// Where the bytes being relocated live, for LOCREL and tombstones.
pub enum Site<'a> {
    Code,
    /// A data segment placed at `address` (the address of its first byte).
    Data {
        address: u64,
    },
    /// A custom section with this name; `function_offsets` gives, per output function index,
    /// the offset of its body inside the code section payload (after the size LEB).
    Custom {
        name: &'a str,
        function_code_offset: &'a dyn Fn(u32) -> Option<u64>,
    },
}

fn tombstone(site: &Site) -> Option<u64> {
    match site {
        Site::Custom { name, .. } => {
            if *name == ".debug_ranges" || *name == ".debug_loc" {
                Some(u64::MAX - 1)
            } else if name.starts_with(".debug_") || name.starts_with("llvm.func_attr.") {
                Some(u64::MAX)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Whether a target made it into the output.
fn is_live(res: &Resolved, layout: &Layout, t: Target, kind: SymbolKind) -> bool {
    match (t, kind) {
        (Target::Defined(o, i), SymbolKind::Function) => {
            layout.function_index(res, Target::Defined(o, i)).is_some()
        }
        (Target::Defined(o, i), SymbolKind::Data) => {
            let obj = &res.object(o).obj;
            obj.symbols
                .get(i as usize)
                .and_then(|s| s.data)
                .is_some_and(|d| layout.memory.places[o.index()][d.segment as usize].is_some())
        }
        // (An undefined function whose address comes from its GOT entry has no index.)
        (Target::Undefined(_), SymbolKind::Function) => {
            layout.function_index(res, t).is_some() || layout.globals.got.contains_key(&t)
        }
        // An input global GC removed, the optional `__tls_base` that only a debug section
        // of a non-TLS build names, or a PIC object's `__memory_base`/`__table_base` that no
        // code uses (so no GOT entry was made for it) has no place in the output: not live,
        // as lld's `calcNewValue` finds such a symbol. (Other globals without one are the
        // linker's own that touchstone-ld does not make: an error.)
        (
            Target::Defined(..)
            | Target::Synthetic(Synthetic::TlsBase | Synthetic::MemoryBase | Synthetic::TableBase),
            SymbolKind::Global,
        ) => layout.global_index(res, t).is_some(),
        _ => true,
    }
}

/// Computes the value to store at one relocation site.
pub fn value(
    res: &Resolved,
    layout: &Layout,
    oid: ObjectId,
    r: &Reloc,
    site: &Site,
    site_offset: u64,
) -> Result<u64> {
    let obj = &res.object(oid).obj;
    if r.ty == RelocType::TYPE_INDEX_LEB {
        return layout.types.of_object[oid.index()]
            .get(r.index as usize)
            .copied()
            .flatten()
            .map(u64::from)
            .ok_or_else(|| err!("type index {} was not registered", r.index));
    }
    let sym = &obj.symbols[r.index as usize];
    let t = res.target(oid, r.index);
    if matches!(
        sym.kind,
        SymbolKind::Function | SymbolKind::Data | SymbolKind::Global
    ) && !is_live(res, layout, t, sym.kind)
    {
        return Ok(tombstone(site).unwrap_or(r.addend as u64));
    }
    use RelocType::*;
    Ok(match r.ty {
        TABLE_INDEX_SLEB
        | TABLE_INDEX_I32
        | TABLE_INDEX_SLEB64
        | TABLE_INDEX_I64
        | TABLE_INDEX_REL_SLEB
        | TABLE_INDEX_REL_SLEB64 => {
            let slot = layout
                .function_index(res, t)
                .and_then(|f| layout.tables.slot_of.get(&f).copied())
                .unwrap_or(0) as u64;
            if slot != 0 && matches!(r.ty, TABLE_INDEX_REL_SLEB | TABLE_INDEX_REL_SLEB64) {
                slot - layout.tables.base as u64
            } else {
                slot
            }
        }
        MEMORY_ADDR_LEB
        | MEMORY_ADDR_SLEB
        | MEMORY_ADDR_I32
        | MEMORY_ADDR_LEB64
        | MEMORY_ADDR_SLEB64
        | MEMORY_ADDR_I64
        | MEMORY_ADDR_REL_SLEB
        | MEMORY_ADDR_REL_SLEB64
        | MEMORY_ADDR_LOCREL_I32 => {
            // Undefined data is address 0, addend ignored (`__start_X`/`__stop_X` excepted).
            if let Target::Undefined(id) = t {
                if !layout.bounds.contains_key(&id) {
                    return Ok(0);
                }
            }
            // A symbol in the TLS segment gets its offset there, even from a non-TLS
            // relocation (wasm-ld's support for objects older than the TLS relocations), and
            // then LOCREL is not made relative either.
            let (value, tls) = layout.data_value(res, t);
            let mut v = value.wrapping_add(r.addend as u64);
            if r.ty == MEMORY_ADDR_LOCREL_I32 && !tls {
                let Site::Data { address } = site else {
                    bail!("{} outside a data segment", r.ty.name());
                };
                v = v.wrapping_sub(address + site_offset);
            }
            v
        }
        MEMORY_ADDR_TLS_SLEB | MEMORY_ADDR_TLS_SLEB64 => {
            if let Target::Undefined(_) = t {
                return Ok(0);
            }
            layout
                .data_address(res, t)
                .wrapping_add(r.addend as u64)
                .wrapping_sub(layout.memory.tls_base)
        }
        FUNCTION_INDEX_LEB | FUNCTION_INDEX_I32 => layout
            .functions
            .preemptible_import(res, oid, r.index)
            .or_else(|| layout.function_index(res, t))
            .ok_or_else(|| err!("function '{}' has no output index", sym.name))?
            as u64,
        GLOBAL_INDEX_LEB | GLOBAL_INDEX_I32 => layout
            .global_index(res, t)
            .ok_or_else(|| err!("global '{}' has no output index", sym.name))?
            as u64,
        TABLE_NUMBER_LEB => layout
            .table_number(res, t)
            .ok_or_else(|| err!("table '{}' has no output number", sym.name))?
            as u64,
        TAG_INDEX_LEB => layout
            .tag_index(res, t)
            .ok_or_else(|| err!("tag '{}' has no output index", sym.name))?
            as u64,
        FUNCTION_OFFSET_I32 | FUNCTION_OFFSET_I64 => {
            let Site::Custom {
                function_code_offset,
                ..
            } = site
            else {
                bail!("{} outside a custom section", r.ty.name());
            };
            let Target::Defined(..) = t else {
                return Ok(tombstone(site).unwrap_or(r.addend as u64));
            };
            let f = layout.function_index(res, t).and_then(function_code_offset);
            match f {
                Some(off) => off.wrapping_add(r.addend as u64),
                None => tombstone(site).unwrap_or(r.addend as u64),
            }
        }
        SECTION_OFFSET_I32 => {
            crate::layout::customs::section_offset(res, layout, oid, sym.index, r.addend)?
        }
        TYPE_INDEX_LEB => unreachable!("handled above"),
    })
}

/// Copies `bytes` (which start at `base` in the section the relocations are relative to) and
/// applies `relocs` to the copy, appending the result to `out`.
#[allow(clippy::too_many_arguments)]
pub fn relocate_into(
    out: &mut Vec<u8>,
    res: &Resolved,
    layout: &Layout,
    oid: ObjectId,
    bytes: &[u8],
    base: u32,
    relocs: &[Reloc],
    site: &Site,
) -> Result<()> {
    let start = out.len();
    out.extend_from_slice(bytes);
    for (i, r) in relocs.iter().enumerate() {
        let at = (r.offset - base) as usize;
        let v = value(res, layout, oid, r, site, at as u64).map_err(|e| {
            let o = res.object(oid);
            let sym = o
                .obj
                .symbols
                .get(r.index as usize)
                .map(|s| format!(" against '{}'", s.name))
                .unwrap_or_default();
            e.context(format!(
                "{}: relocation {i} ({}) at 0x{:x}{sym}",
                o.name,
                r.ty.name(),
                r.offset
            ))
        })?;
        r.ty.patch(&mut out[start..], at, v);
    }
    Ok(())
}

/// `--compress-relocations`: a function body with every relocated LEB written at its minimal
/// length, and a new minimal body-size LEB, as lld's `InputFunction::writeCompressed` does
/// (the driver refuses the option without `--strip-debug` or `--strip-all`, since DWARF
/// offsets into the code would be wrong). Fixed-width (I32/I64) sites keep their width;
/// data-section relocations are not compressed.
pub fn compressed_body(
    res: &Resolved,
    layout: &Layout,
    oid: ObjectId,
    body: &[u8],
    base: u32,
    relocs: &[Reloc],
) -> Result<Vec<u8>> {
    let size_len = body
        .iter()
        .position(|b| b & 0x80 == 0)
        .map_or(body.len(), |p| p + 1);
    let mut code = Vec::with_capacity(body.len());
    let mut copied = size_len;
    for r in relocs {
        let at = (r.offset - base) as usize;
        let width = r.ty.width();
        if at < copied || at + width > body.len() {
            bail!("relocation at 0x{:x} overlaps another", r.offset);
        }
        code.extend_from_slice(&body[copied..at]);
        let v = value(res, layout, oid, r, &Site::Code, at as u64)?;
        r.ty.encoding().write_minimal(&mut code, v);
        copied = at + width;
    }
    code.extend_from_slice(&body[copied..]);
    let mut out = Vec::with_capacity(code.len() + 5);
    leb::write_u32(&mut out, code.len() as u32);
    out.extend_from_slice(&code);
    Ok(out)
}
