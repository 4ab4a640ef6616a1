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
    for payload in Parser::new(0).parse_all(data) {
        match payload.map_err(|e| err!("{e}"))? {
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
                    if let TypeRef::Func(t) = import.map_err(|e| err!("{e}"))?.ty {
                        function_types.push(t);
                    }
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    function_types.push(t.map_err(|e| err!("{e}"))?);
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
