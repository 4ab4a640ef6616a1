//! Layout step: the tables, and the indirect function table with its slots (lld
//! `SymbolTable::createIndirectFunctionTable` and `ElemSection`). Live input tables come first
//! in object order; then the indirect table, defined (last) or imported (`--import-table`,
//! first among the symbol imports). Slots start at `--table-base` (default 1: slot 0 stays
//! null) and are given to functions in relocation-scan order.

use super::imports::{Imports, OutImport, OutImportKind};
use super::scan::Scan;
use super::{defined_element, FunctionSpace, Target};
use crate::args::Config;
use crate::gc::Live;
use crate::resolve::{Resolved, Synthetic};
use rustc_hash::FxHashMap as HashMap;

/// A defined table of the output.
#[derive(Clone, Debug)]
pub struct OutTable {
    pub ty: wasmparser::TableType,
}

/// The table index space and the indirect function table's contents.
pub struct TableSpace {
    pub num_imported: u32,
    pub defined: Vec<OutTable>,
    /// Per object, per defined table: its output number.
    pub of_object: Vec<Vec<Option<u32>>>,
    /// Per global symbol: its number when imported, or when it is the indirect table.
    pub of_symbol: Vec<Option<u32>>,
    /// The indirect function table's number, if it exists.
    pub indirect: Option<u32>,
    /// The first slot (`--table-base`).
    pub base: u32,
    /// The indirect table's elements from `base`: output function indices.
    pub elements: Vec<u32>,
    /// Per output function index: its slot in the indirect table.
    pub slot_of: HashMap<u32, u32>,
}

impl TableSpace {
    /// The output table number of `t`, if it has one.
    pub fn index(&self, res: &Resolved, t: Target) -> Option<u32> {
        match t {
            Target::Defined(o, i) => {
                let d = defined_element(res, o, i)?;
                self.of_object[o.index()].get(d).copied().flatten()
            }
            Target::Synthetic(Synthetic::IndirectFunctionTable) => self.indirect,
            Target::Synthetic(_) | Target::MismatchStub(_) => None,
            Target::Undefined(id) => self.of_symbol[id.index()],
        }
    }
}

/// Lays out the live tables, the indirect table's slots and the indirect table itself.
pub fn layout_tables(
    config: &Config,
    res: &Resolved,
    live: &Live,
    imports: &mut Imports,
    functions: &FunctionSpace,
    scan: &Scan,
    is64: bool,
) -> TableSpace {
    let mut space = TableSpace {
        num_imported: imports.tables,
        defined: Vec::new(),
        of_object: super::per_object(res, |o| o.tables.len()),
        of_symbol: std::mem::take(&mut imports.table_of_symbol),
        indirect: None,
        base: config.table_base.unwrap_or(1) as u32,
        elements: Vec::new(),
        slot_of: HashMap::default(),
    };
    for (oi, o) in res.objects.iter().enumerate() {
        for (t, ty) in o.obj.tables.iter().enumerate() {
            if live.tables[oi][t] {
                space.of_object[oi][t] = Some(space.num_imported + space.defined.len() as u32);
                space.defined.push(OutTable { ty: *ty });
            }
        }
    }
    for t in &scan.slot_targets {
        let Some(f) = functions.index(res, *t) else {
            continue;
        };
        if let std::collections::hash_map::Entry::Vacant(e) = space.slot_of.entry(f) {
            e.insert(space.base + space.elements.len() as u32);
            space.elements.push(f);
        }
    }
    // Whether the table exists was decided with GC (`Live::table_needed`).
    if live.table_needed(config, res, !space.elements.is_empty()) {
        add_indirect_table(
            config,
            res,
            imports,
            &mut space,
            scan.got_imports.len(),
            is64,
        );
    }
    space
}

/// Whether some object refers to the indirect function table: by its symbol, or by the
/// table import of an object from before table symbols (for which lld makes the symbol,
/// `ObjFile::addLegacyIndirectFunctionTableIfNeeded`).
fn is_referenced(res: &Resolved) -> bool {
    let name = Synthetic::IndirectFunctionTable.name();
    res.objects.iter().any(|o| {
        let symbol = o
            .obj
            .symbols
            .iter()
            .any(|s| s.kind == crate::object::SymbolKind::Table && s.name == name);
        let legacy = o
            .obj
            .imports
            .iter()
            .any(|i| i.field == name && matches!(i.ty, wasmparser::TypeRef::Table(_)));
        symbol || legacy
    })
}

/// Adds the indirect table, sized to hold every slot: imported (`--import-table`, placed first
/// among the symbol imports, which shifts every other table number by one) or defined (last;
/// its maximum is its size unless `--growable-table`).
fn add_indirect_table(
    config: &Config,
    res: &Resolved,
    imports: &mut Imports,
    space: &mut TableSpace,
    got_imports: usize,
    is64: bool,
) {
    let size = space.base as u64 + space.elements.len() as u64;
    let mut ty = wasmparser::TableType {
        element_type: wasmparser::RefType::FUNCREF,
        table64: is64,
        initial: size,
        maximum: None,
        shared: false,
    };
    if config.import_table {
        // Imported first (after the memory) when an object refers to it; otherwise lld makes
        // the symbol only once the relocation scan finds it needed
        // (`finalizeIndirectFunctionTable`), so it comes after the symbol imports, before the
        // GOT entries.
        let early = is_referenced(res);
        let position = if early {
            usize::from(config.import_memory.is_some())
        } else {
            imports.list.len() - got_imports
        };
        let number = if early { 0 } else { space.num_imported };
        imports.list.insert(
            position,
            OutImport {
                module: "env".into(),
                field: "__indirect_function_table".into(),
                kind: OutImportKind::Table(ty),
                name: "__indirect_function_table".into(),
            },
        );
        for v in space
            .of_symbol
            .iter_mut()
            .flatten()
            .filter(|v| **v >= number)
        {
            *v += 1;
        }
        for v in space.of_object.iter_mut().flatten().flatten() {
            *v += 1;
        }
        space.indirect = Some(number);
    } else {
        if !config.growable_table {
            ty.maximum = Some(size);
        }
        space.indirect = Some(space.num_imported + space.defined.len() as u32);
        space.defined.push(OutTable { ty });
    }
    if let Some(id) = res.find("__indirect_function_table") {
        space.of_symbol[id.index()] = space.indirect;
    }
}
