//! The link map (`-Map=FILE`, `-M`/`--print-map` for stdout), as wasm-ld's `writeMapFile`
//! (lld `MapFile.cpp`) writes it: every output section with its file offset and size; under
//! the code section each function (`file:(name)`) and the symbols its file defines on it;
//! under the data section each output segment, its input segments and their data symbols
//! (with addresses); under the global section each global the link defines from an input or
//! itself (not GOT entries nor the globals of exported data). Columns: address (`-` where
//! there is none; the index for a global), offset, size, all in hex.
//!
//! The offsets are lld's: a section's is where its id byte is, and an offset inside a
//! section counts from there as if the id and size bytes were not written (lld adds a chunk's
//! place in the section body to the section's start), so they fall short of the real file
//! offset by the length of the section header. The map is computed from the module as
//! written (read back with wasmparser) and the layout that produced it.

use crate::args::Config;
use crate::demangle::demangle;
use crate::error::{err, Result};
use crate::layout::memory::SegmentChunk;
use crate::layout::{Layout, OutFunction};
use crate::object::SymbolKind;
use crate::resolve::{Binding, Def, Resolved};
use std::fmt::Write as _;
use touchstone_format::section_name;
use wasmparser::{Parser, Payload};

/// Where a section is in the file: its id byte, its whole size, the length of its id and size
/// bytes, and its name as lld prints it (`CODE`, `CUSTOM(name)`).
struct SectionPlace {
    start: u64,
    size: u64,
    header: u64,
    name: String,
}

/// What the map needs from the written module: the sections, each function body's offset and
/// length (with its size prefix), each data segment's content offset.
#[derive(Default)]
struct Written {
    sections: Vec<SectionPlace>,
    bodies: Vec<(u64, u64)>,
    /// Per data segment written: where its entry (flags) starts, where its contents start.
    segments: Vec<(u64, u64)>,
    /// Index in `sections` of the code, data and global sections.
    code: Option<usize>,
    data: Option<usize>,
    global: Option<usize>,
}

/// What every part of the map reads.
#[derive(Clone, Copy)]
struct Cx<'a, 'data> {
    config: &'a Config,
    res: &'a Resolved<'data>,
    layout: &'a Layout<'data>,
    written: &'a Written,
}

/// The map text of `module`, the bytes written for `layout`.
pub fn map_text(config: &Config, res: &Resolved, layout: &Layout, module: &[u8]) -> Result<String> {
    let w = read_back(module)?;
    let cx = Cx {
        config,
        res,
        layout,
        written: &w,
    };
    let mut out = String::from("    Addr      Off     Size Out     In      Symbol\n");
    for (i, s) in w.sections.iter().enumerate() {
        line(&mut out, None, s.start, s.size, &s.name);
        if Some(i) == w.code {
            code_lines(&mut out, &cx, s);
        } else if Some(i) == w.data {
            data_lines(&mut out, &cx, s);
        } else if Some(i) == w.global {
            global_lines(&mut out, layout);
        }
    }
    Ok(out)
}

/// Writes the map to `path` (`-` is stdout).
pub fn write_map(
    config: &Config,
    res: &Resolved,
    layout: &Layout,
    module: &[u8],
    path: &std::path::Path,
) -> Result<()> {
    let text = map_text(config, res, layout, module)?;
    let cannot = |e: std::io::Error| {
        err!(
            "cannot open {}: {}",
            path.display(),
            crate::error::os_message(&e)
        )
    };
    if path == std::path::Path::new("-") {
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        return stdout.write_all(text.as_bytes()).map_err(cannot);
    }
    std::fs::write(path, text).map_err(cannot)
}

/// One line: address (or `-`), offset and size in 8-wide hex columns, then `rest`.
fn line(out: &mut String, addr: Option<u64>, off: u64, size: u64, rest: &str) {
    match addr {
        Some(a) => {
            let _ = write!(out, "{a:8x} {off:8x} {size:8x} ");
        }
        None => {
            let _ = write!(out, "       - {off:8x} {size:8x} ");
        }
    }
    out.push_str(rest);
    out.push('\n');
}

/// Reads the section places, function bodies and data segments back from the module.
fn read_back(module: &[u8]) -> Result<Written> {
    let mut w = Written::default();
    let bad =
        |e: wasmparser::BinaryReaderError| err!("link map: the output does not read back: {e}");
    for payload in Parser::new(0).parse_all(module) {
        let payload = payload.map_err(bad)?;
        let Some((id, range)) = payload.as_section() else {
            if let Payload::CodeSectionEntry(body) = &payload {
                let r = body.range();
                let (start, end) = (r.start, r.end);
                // The body with its size prefix.
                let prefix = leb_len(end - start);
                w.bodies.push((start - prefix, end - start + prefix));
            }
            continue;
        };
        // The id byte and the section size before the contents.
        let (begin, end) = (range.start, range.end);
        let header = 1 + leb_len(end - begin);
        let start = begin - header;
        let name = match &payload {
            Payload::CustomSection(c) => format!("CUSTOM({})", c.name()),
            _ => section_name(id).to_string(),
        };
        match payload {
            Payload::CodeSectionStart { .. } => w.code = Some(w.sections.len()),
            Payload::GlobalSection(_) => w.global = Some(w.sections.len()),
            Payload::DataSection(reader) => {
                w.data = Some(w.sections.len());
                for d in reader {
                    let d = d.map_err(bad)?;
                    let content = d.data.as_ptr() as usize - module.as_ptr() as usize;
                    w.segments.push((d.range.start, content as u64));
                }
            }
            _ => {}
        }
        w.sections.push(SectionPlace {
            start,
            size: end - start,
            header,
            name,
        });
    }
    Ok(w)
}

/// The length of `n` as an unsigned LEB128 (as the module writes sizes: minimal).
fn leb_len(n: u64) -> u64 {
    let mut len = 1;
    let mut n = n >> 7;
    while n != 0 {
        len += 1;
        n >>= 7;
    }
    len
}

/// Each function, `file:(name)` (`<internal>` for the linker's), then the symbols its file
/// defines on it.
fn code_lines(out: &mut String, cx: &Cx, s: &SectionPlace) {
    let Cx {
        config,
        res,
        layout,
        written: w,
    } = *cx;
    for (f, &(body, size)) in layout.functions.defined.iter().zip(&w.bodies) {
        let off = body - s.header;
        match f {
            OutFunction::Synthetic { kind, .. } => {
                let name = kind.chunk_name(config, res);
                line(
                    out,
                    None,
                    off,
                    size,
                    &format!("        <internal>:({name})"),
                );
            }
            OutFunction::Object { object, index } => {
                let o = res.object(*object);
                let element = index + o.obj.num_imported_functions();
                let first = o.obj.symbols.iter().find(|sym| {
                    sym.kind == SymbolKind::Function && sym.is_defined() && sym.index == element
                });
                let name = first.map_or("", |sym| sym.name);
                line(
                    out,
                    None,
                    off,
                    size,
                    &format!("        {}:({name})", o.name),
                );
                for (i, sym) in o.obj.symbols.iter().enumerate() {
                    let on_it = sym.kind == SymbolKind::Function
                        && sym.is_defined()
                        && sym.index == element;
                    if on_it && defined_here(res, *object, i) {
                        line(
                            out,
                            None,
                            off,
                            size,
                            &format!("                {}", demangle(config, sym.name)),
                        );
                    }
                }
            }
        }
    }
}

/// Whether symbol `i` of object `o` is this file's own: a local symbol, or the definition
/// resolution kept (lld lists a symbol under the file it comes from).
fn defined_here(res: &Resolved, o: crate::resolve::ObjectId, i: usize) -> bool {
    match res.object(o).bindings[i] {
        Binding::Local => true,
        Binding::Global(id) => {
            matches!(res.sym(id).def, Def::Defined { object, index } if object == o && index as usize == i)
        }
        Binding::Variant(v) => {
            matches!(res.variants[v as usize].def, Def::Defined { object, index } if object == o && index as usize == i)
        }
    }
}

/// Each output segment written to the data section, its input segments and their symbols.
fn data_lines(out: &mut String, cx: &Cx, s: &SectionPlace) {
    let Cx {
        config,
        res,
        layout,
        written: w,
    } = *cx;
    let written = crate::write::emitted_segments(config, layout);
    let mut entries = w.segments.iter();
    for (si, seg) in layout.memory.segments.iter().enumerate() {
        // A segment written has its line at its entry (flags, offset expression, size) and
        // its inputs at their bytes; one not written (bss) is at the section's start, its
        // inputs at 0 (they have no place in the file).
        let (entry, content) = match written.contains(&si).then(|| entries.next()).flatten() {
            Some(&(entry, content)) => (entry - s.header, Some(content - s.header)),
            None => (s.start, None),
        };
        line(out, Some(seg.start), entry, seg.size, &seg.name);
        for chunk in &seg.chunks {
            let (object, segment, offset) = match chunk {
                SegmentChunk::Input {
                    object,
                    segment,
                    offset,
                } => (*object, *segment, *offset),
                SegmentChunk::Merged { strings, offset } => {
                    let off = content.map_or(0, |c| c + offset);
                    let size = strings.bytes.len() as u64;
                    let text = format!("        <internal>:({})", seg.name);
                    line(out, Some(seg.start + offset), off, size, &text);
                    continue;
                }
            };
            let (object, segment) = (&object, &segment);
            let o = res.object(*object);
            let input = &o.obj.data_segments[*segment as usize];
            let off = content.map_or(0, |c| c + offset);
            let addr = seg.start + offset;
            let size = input.data.len() as u64;
            line(
                out,
                Some(addr),
                off,
                size,
                &format!("        {}:({})", o.name, input.name),
            );
            for (i, sym) in o.obj.symbols.iter().enumerate() {
                let Some(d) = sym
                    .data
                    .filter(|d| d.segment == *segment && sym.kind == SymbolKind::Data)
                else {
                    continue;
                };
                if defined_here(res, *object, i) {
                    let name = demangle(config, sym.name);
                    line(
                        out,
                        Some(addr + d.offset),
                        off + d.offset,
                        d.size,
                        &format!("                {name}"),
                    );
                }
            }
        }
    }
}

/// Each global the link defines from an input or itself, by index and name.
fn global_lines(out: &mut String, layout: &Layout) {
    let g = &layout.globals;
    for (i, global) in g.defined.iter().take(g.num_input as usize).enumerate() {
        let name = global.name.as_deref().unwrap_or("");
        line(
            out,
            Some(g.num_imported as u64 + i as u64),
            0,
            0,
            &format!("        {name}"),
        );
    }
}
