//! Layout step: the import section (lld `Writer::calculateImports`). The memory import comes
//! first (`--import-memory`), the indirect table next (`--import-table`, inserted by
//! `table.rs` once its size is known), then one import per importable undefined symbol in
//! symbol order. Imports with the same module, field and type are one import.

use super::undefined::Undefined;
use super::TypeTable;
use crate::args::Config;
use crate::bail;
use crate::error::Result;
use crate::object::{FuncType, SymbolKind};
use crate::resolve::{Def, Resolved, SymbolId};
use rustc_hash::FxHashMap as HashMap;
use wasmparser::TypeRef;

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
pub fn layout_imports(
    config: &Config,
    res: &Resolved,
    undefined: &Undefined,
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
    // (module, field, type) -> index: an import is made once for each (lld
    // `ImportSection::addImport`, for all four kinds).
    let mut seen: HashMap<(String, String, ImportType), u32> = HashMap::default();
    for &id in &undefined.importable {
        let s = res.sym(id);
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
    Ok(out)
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
