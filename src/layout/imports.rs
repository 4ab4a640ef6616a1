//! Layout step: the import section (lld `Writer::calculateImports`). The memory import comes
//! first (`--import-memory`), the indirect table next (`--import-table`, inserted by
//! `table.rs` once its size is known), then one import per importable undefined symbol in
//! symbol order. Imports with the same module, field and type are one import.

use super::scan::Scan;
use super::undefined::Undefined;
use super::{Target, TypeTable};
use crate::args::{Config, UnresolvedPolicy};
use crate::bail;
use crate::error::Result;
use crate::gc::Live;
use crate::object::{FuncType, SymbolKind};
use crate::resolve::{Def, Resolved, SymbolId, Synthetic};
use rustc_hash::FxHashMap as HashMap;
use wasmparser::{TypeRef, ValType};

/// An import of the output.
#[derive(Clone, Debug)]
pub struct OutImport {
    pub module: String,
    pub field: String,
    pub kind: OutImportKind,
    /// Name for the name section (symbol name).
    pub name: String,
}

#[derive(Clone, Debug)]
pub enum OutImportKind {
    Function(u32),
    Global(wasmparser::GlobalType),
    Table(wasmparser::TableType),
    Memory(
        #[expect(
            dead_code,
            reason = "write takes the imported memory's limits from the memory layout, not from here"
        )]
        wasmparser::MemoryType,
    ),
    Tag(u32),
}

/// The imports and, per kind, how many there are and which symbol has which index. Later
/// steps take the per-symbol maps over and add their own entries.
pub struct Imports {
    pub list: Vec<OutImport>,
    pub functions: u32,
    pub globals: u32,
    pub tables: u32,
    pub tags: u32,
    /// Per global symbol: its function, global, table or tag index when imported.
    pub function_of_symbol: Vec<Option<u32>>,
    pub global_of_symbol: Vec<Option<u32>>,
    pub table_of_symbol: Vec<Option<u32>>,
    pub tag_of_symbol: Vec<Option<u32>>,
    /// The global index of each imported GOT entry.
    pub got_of_target: HashMap<Target, u32>,
}

/// What makes two imports of the same module and field different.
#[derive(Clone, PartialEq, Eq, Hash)]
enum ImportType {
    Function(FuncType),
    Global(wasmparser::GlobalType),
    Table(wasmparser::TableType),
    Tag(FuncType),
}

/// Lays out the imports; registers imported functions' and tags' types in import order.
#[allow(clippy::too_many_arguments)]
pub fn layout_imports(
    config: &Config,
    res: &Resolved,
    live: &Live,
    undefined: &Undefined,
    scan: &Scan,
    features: &super::features::FeatureSet,
    types: &mut TypeTable,
    is64: bool,
) -> Result<Imports> {
    let n = res.symbols.len();
    let mut out = Imports {
        list: Vec::new(),
        functions: 0,
        globals: 0,
        tables: 0,
        tags: 0,
        function_of_symbol: vec![None; n],
        global_of_symbol: vec![None; n],
        table_of_symbol: vec![None; n],
        tag_of_symbol: vec![None; n],
        got_of_target: HashMap::default(),
    };
    if let Some((module, field)) = &config.import_memory {
        out.list.push(OutImport {
            module: module.clone(),
            field: field.clone(),
            kind: OutImportKind::Memory(wasmparser::MemoryType {
                memory64: is64,
                shared: config.shared_memory,
                initial: 0,
                maximum: None,
                page_size_log2: None,
            }),
            name: String::new(),
        });
    }
    if config.is_pic() {
        add_pic_bases(res, live, &mut out, is64);
    }
    // (module, field, type) -> index: an import is made once for each (lld
    // `ImportSection::addImport`, for all four kinds).
    let mut seen: HashMap<(String, String, ImportType), u32> = HashMap::default();
    for id in importable(config, res, live, undefined) {
        let s = res.sym(id);
        // Data is never imported, only its GOT entry; in a PIC output a function only when
        // something calls it, its address coming from its GOT entry (lld `shouldImport`).
        // A shared library's function is imported whenever used.
        let shared = matches!(s.def, Def::Shared { .. });
        let dynamic = config.is_pic() || config.unresolved == UnresolvedPolicy::ImportDynamic;
        if s.kind == SymbolKind::Data && (dynamic || shared)
            || s.kind == SymbolKind::Function
                && config.is_pic()
                && !s.called_directly
                && !s.is_defined()
                && !shared
        {
            continue;
        }
        let module = s.import_module.unwrap_or("env").to_string();
        let field = s.import_name.unwrap_or(s.name).to_string();
        let ty = match s.kind {
            SymbolKind::Function => ImportType::Function(s.signature.clone().unwrap_or_default()),
            SymbolKind::Global => {
                ImportType::Global(global_import_type(config, res, id, features)?)
            }
            SymbolKind::Table => match import_type(
                res,
                id,
                |o, i| o.imported_tables.get(i).copied(),
                |t| match t {
                    TypeRef::Table(t) => Some(t),
                    _ => None,
                },
            ) {
                Some(t) => ImportType::Table(t),
                None => bail!("{}: cannot determine the type of undefined table", s.name),
            },
            SymbolKind::Tag => match undefined_tag_type(res, id) {
                Some(t) => ImportType::Tag(t),
                None => bail!("{}: cannot determine the type of undefined tag", s.name),
            },
            // Named in --allow-undefined-file: allowed, not importable (address 0).
            SymbolKind::Data if config.allow_undefined_names.contains(s.name) => continue,
            SymbolKind::Data | SymbolKind::Section => {
                bail!(
                    "undefined {} symbol cannot be imported: {}",
                    s.kind.describe(),
                    s.name
                );
            }
        };
        let (count, of_symbol) = match ty {
            ImportType::Function(_) => (&mut out.functions, &mut out.function_of_symbol),
            ImportType::Global(_) => (&mut out.globals, &mut out.global_of_symbol),
            ImportType::Table(_) => (&mut out.tables, &mut out.table_of_symbol),
            ImportType::Tag(_) => (&mut out.tags, &mut out.tag_of_symbol),
        };
        let key = (module, field, ty);
        if let Some(&index) = seen.get(&key) {
            of_symbol[id.index()] = Some(index);
            continue;
        }
        of_symbol[id.index()] = Some(*count);
        seen.insert(key.clone(), *count);
        *count += 1;
        let (module, field, ty) = key;
        let kind = match ty {
            ImportType::Function(sig) => OutImportKind::Function(types.intern(&sig)),
            ImportType::Global(g) => OutImportKind::Global(g),
            ImportType::Table(t) => OutImportKind::Table(t),
            ImportType::Tag(sig) => OutImportKind::Tag(types.intern(&sig)),
        };
        out.list.push(OutImport {
            module,
            field,
            kind,
            name: s.name.to_string(),
        });
    }
    add_got_imports(scan, &mut out, is64);
    Ok(out)
}

/// The symbols to import, in symbol order: the importable undefined symbols and, in
/// `-shared`, the live weak non-hidden function definitions, which another module may
/// replace: imported and exported both (lld `shouldImport`).
fn importable(
    config: &Config,
    res: &Resolved,
    live: &Live,
    undefined: &Undefined,
) -> Vec<SymbolId> {
    if !config.shared {
        return undefined.importable.clone();
    }
    let weak_definition = |id: SymbolId| {
        let s = res.sym(id);
        matches!(s.def, Def::Defined { .. })
            && s.kind == SymbolKind::Function
            && s.is_weak()
            && !s.is_hidden()
            && live.symbols[id.index()]
    };
    let mut ids: Vec<SymbolId> = undefined.importable.clone();
    ids.extend(SymbolId::all(res.symbols.len()).filter(|&id| weak_definition(id)));
    ids.sort_by_key(|id| id.index());
    ids
}

/// A PIC output's imported linker globals, first among the symbol imports in symbol order:
/// `__stack_pointer` when used, `__memory_base` and `__table_base` always (lld
/// `createSyntheticSymbols`; [`Synthetic::is_pic_import`]).
fn add_pic_bases(res: &Resolved, live: &Live, out: &mut Imports, is64: bool) {
    let addr = if is64 { ValType::I64 } else { ValType::I32 };
    for syn in [
        Synthetic::StackPointer,
        Synthetic::MemoryBase,
        Synthetic::TableBase,
    ] {
        debug_assert!(syn.is_pic_import());
        let Some(id) = res.find(syn.name()) else {
            continue;
        };
        if !live.symbols[id.index()] {
            continue;
        }
        out.global_of_symbol[id.index()] = Some(out.globals);
        out.globals += 1;
        out.list.push(OutImport {
            module: "env".into(),
            field: syn.name().into(),
            kind: OutImportKind::Global(wasmparser::GlobalType {
                content_type: addr,
                mutable: syn == Synthetic::StackPointer,
                shared: false,
            }),
            name: syn.name().into(),
        });
    }
}

/// The imported GOT entries, after every symbol import, in scan order (lld
/// `ImportSection::addGOTEntry`): `GOT.mem.NAME` for data, `GOT.func.NAME` for a function's
/// table slot; mutable address-sized globals the loader sets.
fn add_got_imports(scan: &Scan, out: &mut Imports, is64: bool) {
    let addr = if is64 { ValType::I64 } else { ValType::I32 };
    for (t, kind, name) in &scan.got_imports {
        let module = if *kind == SymbolKind::Function {
            "GOT.func"
        } else {
            "GOT.mem"
        };
        out.got_of_target.insert(*t, out.globals);
        out.globals += 1;
        out.list.push(OutImport {
            module: module.into(),
            field: name.clone(),
            kind: OutImportKind::Global(wasmparser::GlobalType {
                content_type: addr,
                mutable: true,
                shared: false,
            }),
            name: name.clone(),
        });
    }
}

/// The type of an imported global, from the undefined symbol's own import; a mutable one
/// needs the `mutable-globals` feature (unless `--no-check-features`).
fn global_import_type(
    config: &Config,
    res: &Resolved,
    id: SymbolId,
    features: &super::features::FeatureSet,
) -> Result<wasmparser::GlobalType> {
    let s = res.sym(id);
    let Some(ty) = import_type(
        res,
        id,
        |o, i| o.imported_globals.get(i).copied(),
        |t| match t {
            TypeRef::Global(g) => Some(g),
            _ => None,
        },
    ) else {
        bail!("{}: cannot determine the type of undefined global", s.name);
    };
    // Not checked for an object (lld's checkImportExportTargetFeatures returns with `-r`).
    let checked = config.check_features && !config.relocatable;
    if ty.mutable && checked && !features.has("mutable-globals") {
        bail!(
            "mutable global imported but 'mutable-globals' feature not present in inputs: `{}`. Use --no-check-features to suppress.",
            s.name
        );
    }
    Ok(ty)
}

/// The import that the undefined symbol `id` came from, read through `which` (the object's
/// list of imports of that kind) and `ty` (the import's type of that kind).
fn import_type<T>(
    res: &Resolved,
    id: SymbolId,
    which: impl Fn(&crate::object::Object, usize) -> Option<u32>,
    ty: impl Fn(TypeRef) -> Option<T>,
) -> Option<T> {
    let Def::Undefined { object, index } = res.sym(id).def else {
        return None;
    };
    let obj = &res.object(object).obj;
    let s = obj.symbols.get(index as usize)?;
    let imp = which(obj, s.index as usize)?;
    ty(obj.imports[imp as usize].ty)
}

/// The signature of an undefined tag, from its import's type index.
fn undefined_tag_type(res: &Resolved, id: SymbolId) -> Option<FuncType> {
    let Def::Undefined { object, .. } = res.sym(id).def else {
        return None;
    };
    let obj = &res.object(object).obj;
    let ti = import_type(
        res,
        id,
        |o, i| o.imported_tags.get(i).copied(),
        |t| match t {
            TypeRef::Tag(t) => Some(t.func_type_idx),
            _ => None,
        },
    )?;
    obj.types.get(ti as usize).cloned()
}
