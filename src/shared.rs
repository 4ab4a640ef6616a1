//! Stage `input`: shared libraries. A wasm module with a `dylink.0` section and no `linking`
//! section is a shared library (lld `SharedFile`): linked against, not into, the output. Its
//! exports are what it offers: a function export is a function of its signature, a global
//! export the address of data (lld `SharedFile::parse` reads them so; the linker-made
//! exports of a side module are skipped). Each export becomes a [`crate::resolve::Def::Shared`]
//! symbol, which the output imports.

use crate::error::{Context, Result};
use crate::object::FuncType;
use crate::{bail, err};
use wasmparser::{ExternalKind, Parser, Payload, TypeRef};

/// What one shared library offers.
#[derive(Debug)]
pub struct SharedLibrary<'data> {
    /// Its exports, in export order.
    pub exports: Vec<SharedExport<'data>>,
}

/// One export of a shared library.
#[derive(Debug)]
pub struct SharedExport<'data> {
    pub name: &'data str,
    /// A function's signature; `None` for data (a global export).
    pub signature: Option<FuncType>,
}

/// Whether `data` is a shared library: a module with `dylink.0` and no `linking` section.
/// Only the section headers are read.
/// A module damaged after its `dylink.0` section still counts (its reader reports the damage).
pub fn is_shared_library(data: &[u8]) -> bool {
    let mut dylink = false;
    for payload in Parser::new(0).parse_all(data) {
        match payload {
            Ok(Payload::CustomSection(c)) if c.name() == "dylink.0" => dylink = true,
            Ok(Payload::CustomSection(c)) if c.name() == "linking" => return false,
            Ok(_) => {}
            Err(_) => return dylink,
        }
    }
    dylink
}

/// Reads a shared library's exports (`name` is for messages).
pub fn parse<'data>(name: &str, data: &'data [u8]) -> Result<SharedLibrary<'data>> {
    read(data).with_context(|| format!("{name}: cannot read the shared library"))
}

fn read(data: &[u8]) -> Result<SharedLibrary<'_>> {
    let mut types: Vec<FuncType> = Vec::new();
    // Per function index (imports first): its type index.
    let mut function_types: Vec<u32> = Vec::new();
    let mut exports = Vec::new();
    let mut counts = Counts::default();
    let mut order = crate::object::SectionOrder::default();
    for payload in Parser::new(0).parse_all(data) {
        let payload = payload.map_err(|e| err!("{e}"))?;
        if let Some((id, _)) = payload.as_section() {
            let name = match &payload {
                Payload::CustomSection(c) => c.name().as_bytes(),
                _ => b"",
            };
            order.check(id, name)?;
        }
        check_section(&payload, &mut counts, function_types.len())?;
        match payload {
            Payload::CustomSection(c) if c.name() == "dylink.0" => check_dylink(c)?,
            Payload::TypeSection(r) => {
                for rec in r {
                    for sub in rec.map_err(|e| err!("{e}"))?.into_types() {
                        // Other kinds of types keep their index with an empty signature.
                        types.push(match &sub.composite_type.inner {
                            wasmparser::CompositeInnerType::Func(f) => FuncType {
                                params: f.params().to_vec(),
                                results: f.results().to_vec(),
                            },
                            _ => FuncType::default(),
                        });
                    }
                }
            }
            Payload::ImportSection(r) => {
                for import in r.into_imports() {
                    match import.map_err(|e| err!("{e}"))?.ty {
                        TypeRef::Func(t) => function_types.push(t),
                        TypeRef::Global(_) => counts.globals += 1,
                        _ => {}
                    }
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    let t = t.map_err(|e| err!("{e}"))?;
                    // LLVM's reader: `invalid function type`.
                    if t as usize >= types.len() {
                        bail!("invalid function type");
                    }
                    function_types.push(t);
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.map_err(|e| err!("{e}"))?;
                    exports.push((e.name, e.kind, e.index));
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (name, kind, index) in exports {
        if is_linker_made(name) {
            continue;
        }
        let signature = match kind {
            ExternalKind::Func => {
                let Some(t) = function_types.get(index as usize) else {
                    bail!("export '{name}': function {index} does not exist");
                };
                let Some(sig) = types.get(*t as usize) else {
                    bail!("export '{name}': type {t} does not exist");
                };
                Some(sig.clone())
            }
            ExternalKind::Global => None,
            _ => continue,
        };
        out.push(SharedExport { name, signature });
    }
    Ok(SharedLibrary { exports: out })
}

/// How many globals and data segments the library has so far (imports included), for its
/// `name` section (the functions are counted by [`read`]).
#[derive(Default)]
struct Counts {
    globals: usize,
    data_segments: usize,
}

/// What LLVM's object reader checks in a library beside what [`read`] reads (lld reads a
/// shared library with the reader of objects, which refuses a damaged one): sections in
/// LLVM's order (checked by the caller with [`crate::object::SectionOrder`]), every section id
/// known, global initialisers and segment offsets of the forms it accepts, locals readable,
/// and the `name` section's function, global and data segment names whole, in range and
/// unique. (The function bodies' code is not read, by LLVM either.)
fn check_section(payload: &Payload, counts: &mut Counts, functions: usize) -> Result<()> {
    let werr = |e: wasmparser::BinaryReaderError| err!("{e}");
    match payload {
        Payload::UnknownSection { id, .. } => bail!("invalid section type: {id}"),
        Payload::GlobalSection(r) => {
            for (i, g) in r.clone().into_iter().enumerate() {
                let g = g.map_err(werr)?;
                crate::object::check_init_expr(&g.init_expr, &format!("global {i}"))?;
                counts.globals += 1;
            }
        }
        Payload::DataSection(r) => {
            for (i, d) in r.clone().into_iter().enumerate() {
                if let wasmparser::DataKind::Active { offset_expr, .. } = d.map_err(werr)?.kind {
                    crate::object::check_init_expr(&offset_expr, &format!("data segment {i}"))?;
                }
                counts.data_segments += 1;
            }
        }
        Payload::ElementSection(r) => {
            for e in r.clone() {
                e.map_err(werr)?;
            }
        }
        Payload::CodeSectionEntry(body) => {
            let mut locals = body.get_locals_reader().map_err(werr)?;
            for _ in 0..locals.get_count() {
                locals.read().map_err(werr)?;
            }
        }
        Payload::CustomSection(c) if c.name() == "name" => check_names(c, counts, functions)?,
        _ => {}
    }
    Ok(())
}

/// The `name` section as LLVM's `parseNameSection` reads it, with its messages.
fn check_names(
    c: &wasmparser::CustomSectionReader,
    counts: &Counts,
    functions: usize,
) -> Result<()> {
    use wasmparser::Name;
    let wasmparser::KnownCustom::Name(reader) = c.as_known() else {
        bail!("name section ended prematurely");
    };
    let premature = |_| err!("name section ended prematurely");
    for sub in reader {
        let (map, kind, count) = match sub.map_err(premature)? {
            Name::Function(m) => (m, "function", functions),
            Name::Global(m) => (m, "global", counts.globals),
            // LLVM accepts a data segment index one past the last.
            Name::Data(m) => (m, "data segment", counts.data_segments + 1),
            _ => continue,
        };
        let mut seen = std::collections::HashSet::new();
        for naming in map {
            let naming = naming.map_err(premature)?;
            if !seen.insert(naming.index) {
                let what = if kind == "data segment" {
                    "segment"
                } else {
                    kind
                };
                bail!("{what} named more than once");
            }
            if naming.index as usize >= count || (kind != "data segment" && naming.name.is_empty())
            {
                bail!("invalid {kind} name entry");
            }
        }
    }
    Ok(())
}

/// Reads every subsection of `dylink.0` (LLVM's reader does, and refuses a damaged one).
fn check_dylink(c: wasmparser::CustomSectionReader) -> Result<()> {
    let wasmparser::KnownCustom::Dylink0(reader) = c.as_known() else {
        bail!(
            "custom section 'dylink.0' at 0x{:x}: unreadable",
            c.data_offset()
        );
    };
    for sub in reader {
        sub.map_err(|e| err!("custom section 'dylink.0': {e}"))?;
    }
    Ok(())
}

/// The exports a linker makes for a side module's loader, not symbols it offers.
fn is_linker_made(name: &str) -> bool {
    name == "__wasm_apply_data_relocs"
        || name == "__wasm_call_ctors"
        || name.starts_with("__start_")
        || name.starts_with("__stop_")
}
