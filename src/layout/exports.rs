//! Layout step: the export section (lld `Writer::calculateExports`): the memory
//! (`--export-memory`), then every exported live symbol in symbol order, then the
//! `.command_export` wrappers, which take the place of the functions they wrap. An exported
//! data symbol is exported as a new immutable global holding its address.

use super::synthetic::const_expr;
use super::{data_value, defined_element, FunctionSpace, GlobalSpace, MemoryLayout, OutGlobal};
use super::{TableSpace, TagSpace, Target};
use crate::args::Config;
use crate::bail;
use crate::error::Result;
use crate::gc::{self, Live};
use crate::object::SymbolKind;
use crate::resolve::{Def, Resolved, SymbolId};
use rustc_hash::FxHashMap as HashMap;
use wasmparser::ValType;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    Func = 0,
    Table = 1,
    Memory = 2,
    Global = 3,
    Tag = 4,
}

#[derive(Clone, Debug)]
pub struct OutExport {
    pub name: String,
    pub kind: ExportKind,
    pub index: u32,
}

/// The exported symbols, in symbol order: defined, live (or kept without GC), and either the
/// entry point or exported (lld `Symbol::isExported`: `--export`, `--export-all`,
/// `--export-dynamic` for default-visibility symbols, the EXPORTED flag).
/// A definition another module may preempt (it has an imported GOT entry) is exported too,
/// so the loader can resolve that entry to it (lld `ImportSection::addGOTEntry` sets
/// `forceExport`).
pub fn exported_symbols(
    config: &Config,
    res: &Resolved,
    live: &Live,
    scan: &super::scan::Scan,
) -> Vec<SymbolId> {
    let preemptible = |id: SymbolId| {
        config.is_pic()
            && matches!(res.sym(id).def, Def::Defined { .. })
            && scan.is_got_import(res.slot_target(id))
    };
    // An object exports nothing (lld `calculateExports` returns with `-r`).
    if config.relocatable {
        return Vec::new();
    }
    SymbolId::all(res.symbols.len())
        .filter(|&id| {
            let s = res.sym(id);
            let kept = live.symbols[id.index()] || !config.gc_sections;
            s.is_defined()
                && kept
                && (res.entry == Some(id) || gc::is_exported(config, res, id) || preemptible(id))
        })
        .collect()
}

/// Lays out the exports; adds a global for each exported data symbol.
#[allow(clippy::too_many_arguments)]
pub fn layout_exports(
    config: &Config,
    res: &Resolved,
    features: &super::features::FeatureSet,
    memory: &MemoryLayout,
    bounds: &HashMap<SymbolId, u64>,
    functions: &FunctionSpace,
    globals: &mut GlobalSpace,
    tables: &TableSpace,
    tags: &TagSpace,
    export_syms: &[SymbolId],
    is64: bool,
) -> Result<Vec<OutExport>> {
    if config.relocatable {
        return Ok(Vec::new());
    }
    let mut exports: Vec<OutExport> = Vec::new();
    if let Some(name) = &config.export_memory {
        exports.push(OutExport {
            name: name.clone(),
            kind: ExportKind::Memory,
            index: 0,
        });
    }
    let mut wrapper_exports: Vec<OutExport> = Vec::new();
    for &id in export_syms {
        let s = res.sym(id);
        let t = match s.def {
            Def::Defined { object, index } => Target::Defined(object, index),
            Def::Synthetic(syn) => Target::Synthetic(syn),
            _ => continue,
        };
        let export = |kind, index| OutExport {
            name: export_name_of(res, id),
            kind,
            index,
        };
        match s.kind {
            SymbolKind::Function => {
                if let Some(&(_, w)) = functions.command_exports.iter().find(|(x, _)| *x == id) {
                    wrapper_exports.push(export(ExportKind::Func, w));
                } else if let Some(f) = functions.index(res, t) {
                    exports.push(export(ExportKind::Func, f));
                }
            }
            SymbolKind::Global => {
                if let Some(g) = exported_global(config, res, features, globals, id, t)? {
                    exports.push(export(ExportKind::Global, g));
                }
            }
            SymbolKind::Data => {
                let address = match t {
                    Target::Synthetic(syn) => memory.synthetic_value(syn),
                    _ => data_value(res, memory, bounds, t).0,
                };
                let g = globals.push(OutGlobal {
                    ty: if is64 { ValType::I64 } else { ValType::I32 },
                    mutable: false,
                    init: const_expr(is64, address),
                    name: None,
                });
                exports.push(export(ExportKind::Global, g));
            }
            SymbolKind::Table => {
                if let Some(n) = tables.index(res, t) {
                    exports.push(export(ExportKind::Table, n));
                }
            }
            SymbolKind::Tag => {
                if let Some(n) = tags.index(res, t) {
                    exports.push(export(ExportKind::Tag, n));
                }
            }
            SymbolKind::Section => {}
        }
    }
    exports.extend(wrapper_exports);
    // Made after every input symbol in wasm-ld 22, so exported last.
    if let Some(f) = functions.apply_data_relocs {
        exports.push(OutExport {
            name: "__wasm_apply_data_relocs".into(),
            kind: ExportKind::Func,
            index: f,
        });
    }
    Ok(exports)
}

/// The global index an exported global symbol is exported as, if any. `__stack_pointer` is
/// exported only when named by `--export` or when the mutable-globals feature allows it; any
/// other mutable global needs mutable-globals (an error naming the defining file, unless
/// `--no-check-features`).
fn exported_global(
    config: &Config,
    res: &Resolved,
    features: &super::features::FeatureSet,
    globals: &GlobalSpace,
    id: SymbolId,
    t: Target,
) -> Result<Option<u32>> {
    let s = res.sym(id);
    let index = match t {
        Target::Defined(o, i) => defined_element(res, o, i)
            .and_then(|d| globals.of_object[o.index()].get(d).copied().flatten()),
        _ => globals.of_symbol[id.index()],
    };
    let Some(g) = index else {
        return Ok(None);
    };
    let has_mutable_globals = features.has("mutable-globals");
    if g == globals.stack_pointer
        && !config.exports.iter().any(|e| e == s.name)
        && !has_mutable_globals
    {
        return Ok(None);
    }
    if globals.is_mutable(g) && !has_mutable_globals && config.check_features {
        // wasm-ld's words, then the file that defines the global (none for the linker's own).
        let from = match t {
            Target::Defined(o, _) => format!(" (defined in {})", res.object(o).name),
            _ => String::new(),
        };
        bail!(
            "mutable global exported but 'mutable-globals' feature not present in inputs: `{}`. Use --no-check-features to suppress.{from}",
            s.name
        );
    }
    Ok(Some(g))
}

/// The export name of a symbol: the name the defining object's export section gives its
/// function (clang's `export_name` attribute), else the symbol name.
fn export_name_of(res: &Resolved, id: SymbolId) -> String {
    let s = res.sym(id);
    if let (SymbolKind::Function, Def::Defined { object, index }) = (s.kind, &s.def) {
        let obj = &res.object(*object).obj;
        let fi = obj.symbols[*index as usize].index;
        if let Some((_, n)) = obj.export_names.iter().find(|(i, _)| *i == fi) {
            return n.to_string();
        }
    }
    s.name.to_string()
}
