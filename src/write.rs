//! Stage `write`: emit the module bytes, sections in spec order (WASM-LD-RULES 1), and write
//! them atomically (a temporary file beside the output, then rename): an error never leaves a
//! partial output behind.
//!
//! Function bodies and data segments are copied once, straight into the output buffer, with
//! their relocation sites patched (`relocate`). Everything the linker writes itself uses
//! minimal LEBs.

use crate::args::Config;
use crate::error::{Context, Result};
use crate::layout::{Layout, OutFunction, OutImportKind};
use crate::leb;
use crate::object::FuncType;
use crate::relocate::{self, Site};
use crate::resolve::{ObjectId, Resolved};
use crate::{bail, err};
use std::io::Write;
use std::path::Path;
use wasmparser::{RefType, ValType};

fn val_type(out: &mut Vec<u8>, t: ValType) -> Result<()> {
    out.push(match t {
        ValType::I32 => 0x7f,
        ValType::I64 => 0x7e,
        ValType::F32 => 0x7d,
        ValType::F64 => 0x7c,
        ValType::V128 => 0x7b,
        ValType::Ref(r) => return ref_type(out, r),
    });
    Ok(())
}

fn ref_type(out: &mut Vec<u8>, r: RefType) -> Result<()> {
    if r == RefType::FUNCREF {
        out.push(0x70);
    } else if r == RefType::EXTERNREF {
        out.push(0x6f);
    } else if r == RefType::EXNREF {
        out.push(0x69);
    } else {
        bail!("reference type {r:?} is not supported");
    }
    Ok(())
}

fn name(out: &mut Vec<u8>, s: &str) {
    leb::write_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

fn section(out: &mut Vec<u8>, id: u8, body: &[u8]) {
    out.push(id);
    leb::write_u32(out, body.len() as u32);
    out.extend_from_slice(body);
}

fn custom_section(out: &mut Vec<u8>, sec_name: &str, payload: &[u8]) {
    let mut body = Vec::with_capacity(payload.len() + sec_name.len() + 5);
    name(&mut body, sec_name);
    body.extend_from_slice(payload);
    section(out, 0, &body);
}

fn limits(out: &mut Vec<u8>, flags: u8, min: u64, max: Option<u64>) {
    out.push(flags | u8::from(max.is_some()));
    leb::write_u64(out, min);
    if let Some(m) = max {
        leb::write_u64(out, m);
    }
}

fn func_type(out: &mut Vec<u8>, t: &FuncType) -> Result<()> {
    out.push(0x60);
    leb::write_u32(out, t.params.len() as u32);
    for &p in &t.params {
        val_type(out, p)?;
    }
    leb::write_u32(out, t.results.len() as u32);
    for &r in &t.results {
        val_type(out, r)?;
    }
    Ok(())
}

/// Builds the whole module.
pub fn build(config: &Config, res: &Resolved, layout: &Layout) -> Result<Vec<u8>> {
    let mut out: Vec<u8> = b"\0asm\x01\0\0\0".to_vec();

    // Type section.
    if !layout.types.is_empty() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, layout.types.len() as u32);
        for t in &layout.types {
            func_type(&mut b, t)?;
        }
        section(&mut out, 1, &b);
    }

    // Import section.
    if !layout.imports.is_empty() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, layout.imports.len() as u32);
        for imp in &layout.imports {
            name(&mut b, &imp.module);
            name(&mut b, &imp.field);
            match &imp.kind {
                OutImportKind::Function(t) => {
                    b.push(0x00);
                    leb::write_u32(&mut b, *t);
                }
                OutImportKind::Table(t) => {
                    b.push(0x01);
                    ref_type(&mut b, t.element_type)?;
                    limits(&mut b, if t.table64 { 4 } else { 0 }, t.initial, t.maximum);
                }
                OutImportKind::Memory(_) => {
                    b.push(0x02);
                    let mut flags = if config.shared_memory { 2 } else { 0 };
                    if layout.is64 {
                        flags |= 4;
                    }
                    limits(
                        &mut b,
                        flags,
                        layout.memory.initial_pages,
                        layout.memory.max_pages,
                    );
                }
                OutImportKind::Global(g) => {
                    b.push(0x03);
                    val_type(&mut b, g.content_type)?;
                    b.push(u8::from(g.mutable));
                }
                OutImportKind::Tag(t) => {
                    b.push(0x04);
                    b.push(0x00);
                    leb::write_u32(&mut b, *t);
                }
            }
        }
        section(&mut out, 2, &b);
    }

    // Function section.
    if !layout.functions.is_empty() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, layout.functions.len() as u32);
        for f in &layout.functions {
            let t = match f {
                OutFunction::Object { object, index } => {
                    let o = &res.object(*object).obj;
                    let ti = o.functions[*index as usize].type_index;
                    layout.type_map[object.0 as usize][ti as usize]
                        .ok_or_else(|| err!("function type was not registered"))?
                }
                OutFunction::Synthetic { type_index, .. } => *type_index,
            };
            leb::write_u32(&mut b, t);
        }
        section(&mut out, 3, &b);
    }

    // Table section.
    if !layout.tables.is_empty() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, layout.tables.len() as u32);
        for t in &layout.tables {
            ref_type(&mut b, t.ty.element_type)?;
            limits(
                &mut b,
                if t.ty.table64 { 4 } else { 0 },
                t.ty.initial,
                t.ty.maximum,
            );
        }
        section(&mut out, 4, &b);
    }

    // Memory section, unless imported.
    if config.import_memory.is_none() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, 1);
        let mut flags = 0u8;
        if config.shared_memory {
            flags |= 2;
        }
        if layout.is64 {
            flags |= 4;
        }
        let custom_page = layout.memory.page_size != 65536;
        if custom_page {
            flags |= 8;
        }
        limits(
            &mut b,
            flags,
            layout.memory.initial_pages,
            layout.memory.max_pages,
        );
        if custom_page {
            leb::write_u32(&mut b, layout.memory.page_size.trailing_zeros());
        }
        section(&mut out, 5, &b);
    }

    // Tag section.
    if !layout.tags.is_empty() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, layout.tags.len() as u32);
        for &t in &layout.tags {
            b.push(0x00); // attribute: exception
            leb::write_u32(&mut b, t);
        }
        section(&mut out, 13, &b);
    }

    // Global section.
    if !layout.globals.is_empty() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, layout.globals.len() as u32);
        for g in &layout.globals {
            val_type(&mut b, g.ty)?;
            b.push(u8::from(g.mutable));
            b.extend_from_slice(&g.init);
        }
        section(&mut out, 6, &b);
    }

    // Export section.
    if !layout.exports.is_empty() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, layout.exports.len() as u32);
        for e in &layout.exports {
            name(&mut b, &e.name);
            b.push(e.kind as u8);
            leb::write_u32(&mut b, e.index);
        }
        section(&mut out, 7, &b);
    }

    // Start section.
    if let Some(start) = layout.start {
        let mut b = Vec::new();
        leb::write_u32(&mut b, start);
        section(&mut out, 8, &b);
    }

    // Element section: one active segment for the indirect table.
    if !layout.elements.is_empty() {
        let table = layout.indirect_table.unwrap_or(0);
        let mut b = Vec::new();
        leb::write_u32(&mut b, 1);
        if table == 0 {
            b.push(0x00);
        } else {
            b.push(0x02);
            leb::write_u32(&mut b, table);
        }
        b.extend_from_slice(&crate::layout::synthetic::const_expr(
            layout.is64,
            layout.table_base as u64,
        ));
        if table != 0 {
            b.push(0x00);
        }
        leb::write_u32(&mut b, layout.elements.len() as u32);
        for &f in &layout.elements {
            leb::write_u32(&mut b, f);
        }
        section(&mut out, 9, &b);
    }

    // Data count section: with shared memory, whose passive segments `memory.init` names.
    let emitted = emitted_segments(config, layout);
    if config.shared_memory && !emitted.is_empty() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, emitted.len() as u32);
        section(&mut out, 12, &b);
    }

    // Code section. Record where each body lands, for FUNCTION_OFFSET relocations.
    // Bodies keep their sizes (only --compress-relocations changes them), so the section
    // size is known first and the bodies are relocated straight into the output: no second
    // copy of the largest section.
    let mut body_offsets: Vec<u64> = Vec::with_capacity(layout.functions.len());
    if !layout.functions.is_empty() {
        let body_len = |f: &OutFunction| match f {
            OutFunction::Object { object, index } => res.object(*object).obj.functions
                [*index as usize]
                .body
                .len(),
            OutFunction::Synthetic { body, .. } => body.len(),
        };
        let count = layout.functions.len() as u32;
        let known_size = (!config.compress_relocations)
            .then(|| leb::size_u32(count) + layout.functions.iter().map(body_len).sum::<usize>());
        let mut staged = Vec::new();
        let b: &mut Vec<u8> = match known_size {
            Some(size) => {
                out.push(10);
                leb::write_u32(&mut out, size as u32);
                &mut out
            }
            None => &mut staged,
        };
        let payload_start = b.len();
        leb::write_u32(b, count);
        for f in &layout.functions {
            let start = b.len() - payload_start;
            match f {
                OutFunction::Object { object, index } => {
                    let o = res.object(*object);
                    let func = &o.obj.functions[*index as usize];
                    let range = layout_func_relocs(res, *object, *index);
                    let relocs = &o.obj.code_relocs[range];
                    if config.compress_relocations {
                        let body = relocate::compressed_body(
                            res,
                            layout,
                            *object,
                            func.body,
                            func.offset,
                            relocs,
                        )?;
                        b.extend_from_slice(&body);
                        body_offsets.push((start + leb_len(&body)) as u64);
                        continue;
                    }
                    relocate::relocate_into(
                        b,
                        res,
                        layout,
                        *object,
                        func.body,
                        func.offset,
                        relocs,
                        &Site::Code,
                    )?;
                    let size_len = leb_len(func.body);
                    body_offsets.push((start + size_len) as u64);
                }
                OutFunction::Synthetic { body, .. } => {
                    b.extend_from_slice(body);
                    body_offsets.push((start + leb_len(body)) as u64);
                }
            }
        }
        if known_size.is_none() {
            section(&mut out, 10, &staged);
        }
    }

    // Data section: the emitted segments.
    if !emitted.is_empty() {
        // Segment headers are small: build them first, so the section size is known and the
        // segment bytes go straight into the output.
        let headers: Vec<Vec<u8>> = emitted
            .iter()
            .map(|&si| {
                let s = &layout.memory.segments[si];
                let mut h = Vec::new();
                if config.shared_memory {
                    h.push(0x01); // passive: __wasm_init_memory copies it
                } else {
                    h.push(0x00);
                    h.extend_from_slice(&crate::layout::synthetic::const_expr(
                        layout.is64,
                        s.start,
                    ));
                }
                leb::write_u64(&mut h, s.size);
                h
            })
            .collect();
        let size = leb::size_u32(emitted.len() as u32)
            + emitted
                .iter()
                .zip(&headers)
                .map(|(&si, h)| h.len() + layout.memory.segments[si].size as usize)
                .sum::<usize>();
        out.push(11);
        leb::write_u32(&mut out, size as u32);
        let b = &mut out;
        leb::write_u32(b, emitted.len() as u32);
        for (&si, header) in emitted.iter().zip(&headers) {
            let s = &layout.memory.segments[si];
            b.extend_from_slice(header);
            let seg_start = b.len();
            for c in &s.chunks {
                match c {
                    crate::layout::memory::SegmentChunk::Input {
                        object,
                        segment,
                        offset,
                    } => {
                        let at = seg_start + *offset as usize;
                        b.resize(at, 0);
                        let o = res.object(*object);
                        let seg = &o.obj.data_segments[*segment as usize];
                        let range = layout_seg_relocs(res, *object, *segment);
                        relocate::relocate_into(
                            b,
                            res,
                            layout,
                            *object,
                            seg.data,
                            seg.offset,
                            &o.obj.data_relocs[range],
                            &Site::Data {
                                address: s.start + offset,
                            },
                        )?;
                    }
                    crate::layout::memory::SegmentChunk::Merged { strings, offset } => {
                        let at = seg_start + *offset as usize;
                        b.resize(at, 0);
                        b.extend_from_slice(&strings.bytes);
                    }
                }
            }
            b.resize(seg_start + s.size as usize, 0);
        }
    }

    // Input custom sections.
    let offset_of = |f: u32| -> Option<u64> {
        let i = f.checked_sub(layout.num_imported_functions)? as usize;
        body_offsets.get(i).copied()
    };
    for c in &layout.customs {
        // The payload size is known from the layout: write the header, then relocate each
        // contribution in place.
        out.push(0);
        let name_len = c.name.len() as u32;
        leb::write_u32(&mut out, leb::size_u32(name_len) as u32 + name_len + c.size);
        name(&mut out, &c.name);
        let payload_start = out.len();
        if let Some(m) = &c.merged {
            out.extend_from_slice(&m.bytes);
        } else {
            for p in &c.parts {
                let o = res.object(p.object);
                let sec = &o.obj.custom_sections[p.section];
                out.resize(payload_start + p.offset as usize, 0);
                relocate::relocate_into(
                    &mut out,
                    res,
                    layout,
                    p.object,
                    sec.data,
                    0,
                    &sec.relocs,
                    &Site::Custom {
                        name: &c.name,
                        function_code_offset: &offset_of,
                    },
                )?;
            }
        }
        if out.len() - payload_start != c.size as usize {
            bail!(
                "internal error: custom section {} is {} bytes, laid out as {}",
                c.name,
                out.len() - payload_start,
                c.size
            );
        }
    }

    // name section.
    let keep = |n: &str| config.keep_sections.iter().any(|k| k == n);
    if !config.strip_all || keep("name") {
        let payload = name_section(config, res, layout)?;
        custom_section(&mut out, "name", &payload);
    }
    // producers.
    if (!config.strip_all || keep("producers")) && !layout.producers.is_empty() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, layout.producers.len() as u32);
        for (field, values) in &layout.producers {
            name(&mut b, field);
            leb::write_u32(&mut b, values.len() as u32);
            for (n, v) in values {
                name(&mut b, n);
                name(&mut b, v);
            }
        }
        custom_section(&mut out, "producers", &b);
    }
    // target_features.
    if (!config.strip_all || keep("target_features")) && !layout.features.is_empty() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, layout.features.len() as u32);
        for f in &layout.features {
            b.push(b'+');
            name(&mut b, f);
        }
        custom_section(&mut out, "target_features", &b);
    }
    Ok(out)
}

/// The output segments written to the data section: bss is left out unless the memory is
/// imported without bulk-memory (rule 8.5); since bss sorts last, indices stay 0..k-1.
fn emitted_segments(config: &Config, layout: &Layout) -> Vec<usize> {
    let emit_bss = config.import_memory.is_some()
        && !config.shared_memory
        && !layout.features.iter().any(|f| f == "bulk-memory");
    layout
        .memory
        .segments
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.is_bss || emit_bss)
        .map(|(i, _)| i)
        .collect()
}

fn leb_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|b| b & 0x80 == 0)
        .map_or(bytes.len(), |p| p + 1)
}

fn layout_func_relocs(res: &Resolved, o: ObjectId, f: u32) -> std::ops::Range<usize> {
    let obj = &res.object(o).obj;
    let func = &obj.functions[f as usize];
    let start = obj.code_relocs.partition_point(|r| r.offset < func.offset);
    let end = obj
        .code_relocs
        .partition_point(|r| (r.offset as usize) < func.offset as usize + func.body.len());
    start..end
}

fn layout_seg_relocs(res: &Resolved, o: ObjectId, s: u32) -> std::ops::Range<usize> {
    let obj = &res.object(o).obj;
    let seg = &obj.data_segments[s as usize];
    let start = obj.data_relocs.partition_point(|r| r.offset < seg.offset);
    let end = obj
        .data_relocs
        .partition_point(|r| (r.offset as usize) < seg.offset as usize + seg.data.len());
    start..end
}

/// The `name` section (rule 10).
fn name_section(config: &Config, res: &Resolved, layout: &Layout) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    // Module name: --soname, else the file name of -o.
    let module = match &config.soname {
        Some(s) => s.clone(),
        None => config
            .output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    if !module.is_empty() {
        let mut b = Vec::new();
        name(&mut b, &module);
        out.push(0);
        leb::write_u32(&mut out, b.len() as u32);
        out.extend_from_slice(&b);
    }
    // Function names.
    let mut entries: Vec<(u32, String)> = Vec::new();
    let mut fi = 0u32;
    for imp in &layout.imports {
        if let OutImportKind::Function(_) = imp.kind {
            entries.push((fi, imp.name.clone()));
            fi += 1;
        }
    }
    for f in &layout.functions {
        let n = match f {
            OutFunction::Object { object, index } => {
                let o = &res.object(*object).obj;
                let oi = index + o.num_imported_functions();
                if let Some((_, dn)) = o.function_names.iter().find(|(i, _)| *i == oi) {
                    dn.to_string()
                } else {
                    let sym = o
                        .symbols
                        .iter()
                        .find(|s| {
                            s.kind == crate::object::SymbolKind::Function
                                && s.is_defined()
                                && s.index == oi
                        })
                        .map(|s| s.name)
                        .unwrap_or("");
                    crate::demangle::demangle(config, sym)
                }
            }
            OutFunction::Synthetic { name, .. } => name.clone(),
        };
        entries.push((fi, n));
        fi += 1;
    }
    if !entries.is_empty() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, entries.len() as u32);
        for (i, n) in &entries {
            if n.is_empty() {
                continue;
            }
            leb::write_u32(&mut b, *i);
            name(&mut b, n);
        }
        out.push(1);
        leb::write_u32(&mut out, b.len() as u32);
        out.extend_from_slice(&b);
    }
    // Global names.
    let mut gentries: Vec<(u32, String)> = Vec::new();
    let mut gi = 0u32;
    for imp in &layout.imports {
        if let OutImportKind::Global(_) = imp.kind {
            gentries.push((gi, imp.name.clone()));
            gi += 1;
        }
    }
    for g in &layout.globals {
        if let Some(n) = &g.name {
            gentries.push((gi, n.clone()));
        }
        gi += 1;
    }
    if !gentries.is_empty() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, gentries.len() as u32);
        for (i, n) in &gentries {
            leb::write_u32(&mut b, *i);
            name(&mut b, n);
        }
        out.push(7);
        leb::write_u32(&mut out, b.len() as u32);
        out.extend_from_slice(&b);
    }
    // Data segment names: emitted segments.
    let segs: Vec<&str> = emitted_segments(config, layout)
        .into_iter()
        .map(|i| layout.memory.segments[i].name.as_str())
        .collect();
    if !segs.is_empty() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, segs.len() as u32);
        for (i, n) in segs.iter().enumerate() {
            leb::write_u32(&mut b, i as u32);
            name(&mut b, n);
        }
        out.push(9);
        leb::write_u32(&mut out, b.len() as u32);
        out.extend_from_slice(&b);
    }
    Ok(out)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, then rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{file_name}.tmp{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        // Executable like lld's output (mode 0777 less the umask).
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o777);
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        // No fsync: like lld, the rename only has to be atomic against our own errors,
        // not durable against power loss, and fsync costs a link its speed advantage.
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write output file {}", path.display()));
    }
    Ok(())
}
