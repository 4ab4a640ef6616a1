//! Stage `layout`: give every live thing its place in the output module, in wasm-ld 22's
//! order (WASM-LD-RULES sections 2 to 10).
//!
//! Produces the output index spaces (types deduplicated in registration order, imports,
//! functions, tables, globals), the indirect function table's slots, the memory layout with
//! merged data segments (`memory.rs`), linker-written function bodies (`synthetic.rs`), the
//! export list and the output custom sections. Nothing here touches code bytes: `relocate`
//! uses the maps built here to patch each relocation site.

pub mod memory;
pub mod synthetic;

use crate::args::{Config, UnresolvedPolicy};
use crate::error::Result;
use crate::gc::{self, Live};
use crate::object::{FuncType, RelocType, SymbolKind};
use crate::resolve::{Binding, Def, ObjectId, Resolved, SymbolId, Synthetic};
use crate::{bail, err};
use rustc_hash::FxHashMap as HashMap;
use wasmparser::{TypeRef, ValType};

pub use memory::MemoryLayout;

/// What a relocation's symbol stands for once resolution is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// Defined by symbol `index` of `object` (a local symbol, or the winning definition).
    Defined(ObjectId, u32),
    /// Defined by the linker.
    Synthetic(Synthetic),
    /// Undefined (or lazy and never loaded): an import, a stub, or address 0.
    Undefined(SymbolId),
    /// A `signature_mismatch:` stub.
    MismatchStub(u32),
}

/// Resolves symbol `index` of object `oid`.
pub fn target(res: &Resolved, oid: ObjectId, index: u32) -> Target {
    let o = res.object(oid);
    match o.bindings.get(index as usize) {
        Some(Binding::Global(id)) => match res.sym(*id).def {
            Def::Defined { object, index } => Target::Defined(object, index),
            Def::Synthetic(s) => Target::Synthetic(s),
            Def::MismatchStub(n) => Target::MismatchStub(n),
            Def::Undefined { .. } | Def::Lazy { .. } => Target::Undefined(*id),
        },
        Some(Binding::Variant(v)) => {
            let var = &res.variants[*v as usize];
            match var.def {
                Def::Defined { object, index } => Target::Defined(object, index),
                Def::MismatchStub(n) => Target::MismatchStub(n),
                _ => Target::Undefined(var.slot),
            }
        }
        _ => Target::Defined(oid, index),
    }
}

/// A defined function of the output.
#[derive(Clone, Debug)]
pub enum OutFunction {
    /// Function `index` (defined-function index) of an object.
    Object { object: ObjectId, index: u32 },
    /// A body written by the linker, with its name for the name section.
    Synthetic {
        name: String,
        sig: FuncType,
        type_index: u32,
        body: Vec<u8>,
    },
}

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
    Memory(wasmparser::MemoryType),
    Tag(u32),
}

/// A defined global of the output.
#[derive(Clone, Debug)]
pub struct OutGlobal {
    pub ty: ValType,
    pub mutable: bool,
    /// Init expression bytes, including `end`.
    pub init: Vec<u8>,
    /// Name for the name section, if any.
    pub name: Option<String>,
}

/// A defined table of the output.
#[derive(Clone, Debug)]
pub struct OutTable {
    pub ty: wasmparser::TableType,
}

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

/// One input contribution to an output custom section.
#[derive(Clone, Debug)]
pub struct CustomPart {
    pub object: ObjectId,
    /// Index into the object's `custom_sections`.
    pub section: usize,
    /// Offset of the contribution inside the output section payload.
    pub offset: u32,
}

#[derive(Clone, Debug)]
pub struct OutCustom {
    pub name: String,
    pub parts: Vec<CustomPart>,
    /// For string-merged debug sections: the merged bytes and each part's piece map.
    pub merged: Option<memory::MergedStrings>,
    pub size: u32,
}

/// The complete layout of the output.
pub struct Layout<'data> {
    pub types: Vec<FuncType>,
    /// Per object: object type index -> output type index (registered ones).
    pub type_map: Vec<Vec<Option<u32>>>,
    pub imports: Vec<OutImport>,
    pub num_imported_functions: u32,
    pub num_imported_globals: u32,
    pub num_imported_tables: u32,
    pub functions: Vec<OutFunction>,
    /// Per object, per defined function: output function index.
    pub func_index: Vec<Vec<Option<u32>>>,
    /// Per global symbol: function index when it is an import, stub or synthetic function.
    pub sym_func_index: Vec<Option<u32>>,
    /// `__wasm_call_ctors`, when it is emitted.
    pub ctors_index: Option<u32>,
    /// `__wasm_init_tls`, when it is emitted.
    pub init_tls_index: Option<u32>,
    /// Per signature-mismatch stub: its function index when live.
    pub mismatch_stub_index: Vec<Option<u32>>,
    pub sym_global_index: Vec<Option<u32>>,
    pub sym_table_index: Vec<Option<u32>>,
    pub globals: Vec<OutGlobal>,
    pub global_index: Vec<Vec<Option<u32>>>,
    pub tables: Vec<OutTable>,
    pub table_index: Vec<Vec<Option<u32>>>,
    /// Defined tags: their output type indices.
    pub tags: Vec<u32>,
    pub tag_index: Vec<Vec<Option<u32>>>,
    pub sym_tag_index: Vec<Option<u32>>,
    /// The indirect function table's number, if it exists.
    pub indirect_table: Option<u32>,
    pub table_base: u32,
    /// Elements of the indirect table: output function indices, from `table_base`.
    pub elements: Vec<u32>,
    /// Per output function index: its slot in the indirect table.
    pub func_slot: HashMap<u32, u32>,
    pub memory: MemoryLayout<'data>,
    /// Addresses of the `__start_X`/`__stop_X` symbols that were defined.
    pub bounds: HashMap<SymbolId, u64>,
    pub exports: Vec<OutExport>,
    pub customs: Vec<OutCustom>,
    /// Per object, per custom section: (output custom section, part) it went to.
    pub custom_place: Vec<Vec<Option<(u32, u32)>>>,
    pub stack_pointer_global: u32,
    /// wasm64 output (memory64, 64-bit addresses and table).
    pub is64: bool,
    /// The start function (`__wasm_init_memory`), if any.
    pub start: Option<u32>,
    /// Internal GOT entries: target -> global index.
    pub got: HashMap<Target, u32>,
    pub warnings: Vec<String>,
    pub features: Vec<String>,
    pub producers: Vec<(String, Vec<(String, String)>)>,
}

impl Layout<'_> {
    /// The output function index of `target`, if it has one.
    pub fn function_index(&self, res: &Resolved, t: Target) -> Option<u32> {
        FuncLookup {
            func_index: &self.func_index,
            sym_func_index: &self.sym_func_index,
            ctors: self.ctors_index,
            init_tls: self.init_tls_index,
            mismatch_stub_index: &self.mismatch_stub_index,
        }
        .get(res, t)
    }

    pub fn global_index(&self, res: &Resolved, t: Target) -> Option<u32> {
        if let Some(&g) = self.got.get(&t) {
            return Some(g);
        }
        match t {
            Target::Defined(o, i) => {
                let obj = &res.object(o).obj;
                let s = obj.symbols.get(i as usize)?;
                let d = s.index.checked_sub(obj.num_imported_globals())?;
                self.global_index[o.0 as usize]
                    .get(d as usize)
                    .copied()
                    .flatten()
            }
            Target::Synthetic(s) => {
                let name = synthetic_name(s);
                res.find(name)
                    .and_then(|id| self.sym_global_index[id.0 as usize])
            }
            Target::Undefined(id) => self.sym_global_index[id.0 as usize],
            Target::MismatchStub(_) => None,
        }
    }

    pub fn table_number(&self, res: &Resolved, t: Target) -> Option<u32> {
        match t {
            Target::Defined(o, i) => {
                let obj = &res.object(o).obj;
                let s = obj.symbols.get(i as usize)?;
                let d = s.index.checked_sub(obj.num_imported_tables())?;
                self.table_index[o.0 as usize]
                    .get(d as usize)
                    .copied()
                    .flatten()
            }
            Target::Synthetic(Synthetic::IndirectFunctionTable) => self.indirect_table,
            Target::Synthetic(_) | Target::MismatchStub(_) => None,
            Target::Undefined(id) => self.sym_table_index[id.0 as usize],
        }
    }

    pub fn tag_index(&self, res: &Resolved, t: Target) -> Option<u32> {
        match t {
            Target::Defined(o, i) => {
                let obj = &res.object(o).obj;
                let s = obj.symbols.get(i as usize)?;
                let d = s.index.checked_sub(obj.num_imported_tags())?;
                self.tag_index[o.0 as usize]
                    .get(d as usize)
                    .copied()
                    .flatten()
            }
            Target::Undefined(id) => self.sym_tag_index[id.0 as usize],
            Target::Synthetic(_) | Target::MismatchStub(_) => None,
        }
    }

    /// The memory address of a data target (0 for undefined data).
    pub fn data_address(&self, res: &Resolved, t: Target) -> u64 {
        data_address(res, &self.memory, &self.bounds, t)
    }

    /// The value of a data target in a relocation or an export: its address, or, for a
    /// symbol in the TLS segment, its offset from `__tls_base` (see
    /// [`MemoryLayout::tls_offset`]).
    pub fn data_value(&self, res: &Resolved, t: Target) -> (u64, bool) {
        data_value(res, &self.memory, &self.bounds, t)
    }
}

/// The memory address of a data target (0 for undefined data).
fn data_address(
    res: &Resolved,
    memory: &MemoryLayout,
    bounds: &HashMap<SymbolId, u64>,
    t: Target,
) -> u64 {
    match t {
        Target::Defined(o, i) => res
            .object(o)
            .obj
            .symbols
            .get(i as usize)
            .and_then(|s| s.data)
            .and_then(|d| memory.input_address(o, d.segment as usize, d.offset))
            .unwrap_or(0),
        Target::Synthetic(s) => memory.synthetic_value(s),
        Target::Undefined(id) => bounds.get(&id).copied().unwrap_or(0),
        Target::MismatchStub(_) => 0,
    }
}

/// The value of a data target in a relocation or an export, and whether it is a TLS offset:
/// a symbol in the TLS segment gets its offset from `__tls_base` ([`MemoryLayout::tls_offset`]),
/// anything else its address.
fn data_value(
    res: &Resolved,
    memory: &MemoryLayout,
    bounds: &HashMap<SymbolId, u64>,
    t: Target,
) -> (u64, bool) {
    if let (true, Target::Defined(o, i)) = (memory.has_tls, t) {
        let tls = res
            .object(o)
            .obj
            .symbols
            .get(i as usize)
            .and_then(|s| s.data)
            .and_then(|d| memory.tls_offset(o, d.segment as usize, d.offset));
        if let Some(v) = tls {
            return (v, true);
        }
    }
    (data_address(res, memory, bounds, t), false)
}

/// `__start_X` / `__stop_X` (rule 8.10): undefined data symbols naming an output segment
/// whose name is a C identifier get the segment's start and end addresses.
fn segment_bounds(res: &Resolved, memory: &MemoryLayout) -> HashMap<SymbolId, u64> {
    let mut out = HashMap::default();
    for (i, s) in res.symbols.iter().enumerate() {
        if s.kind != SymbolKind::Data || s.is_defined() {
            continue;
        }
        let (seg_name, stop) = if let Some(n) = s.name.strip_prefix("__start_") {
            (n, false)
        } else if let Some(n) = s.name.strip_prefix("__stop_") {
            (n, true)
        } else {
            continue;
        };
        let c_ident = seg_name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && seg_name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !c_ident {
            continue;
        }
        if let Some(seg) = memory.segments.iter().find(|g| g.name == seg_name) {
            let addr = if stop {
                seg.start + seg.size
            } else {
                seg.start
            };
            out.insert(SymbolId(i as u32), addr);
        }
    }
    out
}

pub fn synthetic_name(s: Synthetic) -> &'static str {
    match s {
        Synthetic::CallCtors => "__wasm_call_ctors",
        Synthetic::StackPointer => "__stack_pointer",
        Synthetic::IndirectFunctionTable => "__indirect_function_table",
        Synthetic::DsoHandle => "__dso_handle",
        Synthetic::DataEnd => "__data_end",
        Synthetic::StackLow => "__stack_low",
        Synthetic::StackHigh => "__stack_high",
        Synthetic::GlobalBase => "__global_base",
        Synthetic::HeapBase => "__heap_base",
        Synthetic::HeapEnd => "__heap_end",
        Synthetic::MemoryBase => "__memory_base",
        Synthetic::TableBase => "__table_base",
        Synthetic::FirstPageEnd => "__wasm_first_page_end",
        Synthetic::TlsBase => "__tls_base",
        Synthetic::TlsSize => "__tls_size",
        Synthetic::TlsAlign => "__tls_align",
        Synthetic::InitTls => "__wasm_init_tls",
    }
}

/// Interns function types in registration order.
struct TypeTable {
    types: Vec<FuncType>,
    map: HashMap<FuncType, u32>,
}

impl TypeTable {
    fn intern(&mut self, t: &FuncType) -> u32 {
        if let Some(&i) = self.map.get(t) {
            return i;
        }
        let i = self.types.len() as u32;
        self.types.push(t.clone());
        self.map.insert(t.clone(), i);
        i
    }
}

/// Whether an undefined symbol may become an import (WASM-LD-RULES 3.3).
fn allow_undefined(config: &Config, s: &crate::resolve::GlobalSymbol) -> bool {
    if s.import_name.is_some() {
        return true;
    }
    if s.kind == SymbolKind::Function && (config.allow_undefined || config.import_undefined) {
        return true;
    }
    if config.allow_undefined && s.kind != SymbolKind::Data {
        return true;
    }
    // Named in an --allow-undefined-file: any kind (undefined data stays at address 0).
    if config.allow_undefined_names.contains(s.name) {
        return true;
    }
    config.unresolved == UnresolvedPolicy::ImportDynamic
}

pub fn layout<'data>(config: &Config, res: &Resolved<'data>, live: &Live) -> Result<Layout<'data>> {
    let mut types = TypeTable {
        types: Vec::new(),
        map: HashMap::default(),
    };
    let mut type_map: Vec<Vec<Option<u32>>> = res
        .objects
        .iter()
        .map(|o| vec![None; o.obj.types.len()])
        .collect();
    let mut warnings = Vec::new();
    // wasm64: from -m, else from the inputs' memory imports.
    let is64 = config.is64.unwrap_or_else(|| {
        res.objects.iter().any(|o| {
            o.obj
                .imports
                .iter()
                .any(|i| matches!(i.ty, TypeRef::Memory(m) if m.memory64))
        })
    });
    let addr_type = if is64 { ValType::I64 } else { ValType::I32 };
    let const_expr = |v: u64| synthetic::const_expr(is64, v);
    // Features first: the checks of rule 12 refuse the link before anything is laid out.
    let features = compute_features(config, res, live)?;

    // --- Memory (rules 7, 8): it depends only on what is live, and `__start_X`/`__stop_X`
    // need its addresses before undefined symbols are judged.
    let memory = memory::layout_memory(config, res, live)?;
    let bounds = segment_bounds(res, &memory);

    // --- Undefined symbols (rules 3.3, 15). Only live ones count: weak ones get stubs (when
    // called) or address 0; importable ones become imports; the rest are reported, or with
    // --unresolved-symbols=ignore-all / --warn-unresolved-symbols get `undefined_stub`s,
    // in relocation scan order below.
    let mut importable: Vec<SymbolId> = Vec::new();
    let mut is_importable = vec![false; res.symbols.len()];
    let mut weak_stubs: Vec<SymbolId> = Vec::new();
    for (i, s) in res.symbols.iter().enumerate() {
        let id = SymbolId(i as u32);
        if s.is_defined() || bounds.contains_key(&id) {
            continue;
        }
        // Every weak undefined function gets an `undefined_weak:` stub (rule 15.1), GC'd unless
        // called: so without GC it stays.
        if is_weak_undefined(s) {
            if s.kind == SymbolKind::Function && (live.symbols[i] || !config.gc_sections) {
                weak_stubs.push(id);
            }
            continue;
        }
        if !live.symbols[i] {
            continue;
        }
        if allow_undefined(config, s) {
            importable.push(id);
            is_importable[i] = true;
        }
    }
    let mut undefined_errors: Vec<String> = Vec::new();
    let mut undefined_reported = vec![false; res.symbols.len()];
    // Signatures of `undefined_stub` functions, in creation order; symbol -> stub number.
    let mut undefined_stub_sigs: Vec<FuncType> = Vec::new();
    let mut undefined_stub_of: HashMap<SymbolId, usize> = HashMap::default();

    // --- Relocation scan (rules 2.2a and 6.2): type registration for call_indirect, and
    // table slots for address-taken functions, in scan order.
    let mut slot_targets: Vec<Target> = Vec::new();
    let mut slot_seen: HashMap<Target, ()> = HashMap::default();
    // Internal GOT entries (rule 5.2c): GLOBAL_INDEX relocations against data or function
    // symbols, in scan order; a function's entry also takes a table slot.
    let mut got_targets: Vec<(Target, SymbolKind, String)> = Vec::new();
    let mut got_seen: HashMap<Target, ()> = HashMap::default();
    for (oi, o) in res.objects.iter().enumerate() {
        let oid = ObjectId(oi as u32);
        let obj = &o.obj;
        let mut visit = |relocs: &[crate::object::Reloc], type_map: &mut Vec<Option<u32>>| {
            for r in relocs {
                if r.ty != RelocType::TYPE_INDEX_LEB {
                    if let Some(id) = match target(res, oid, r.index) {
                        Target::Undefined(id) if !bounds.contains_key(&id) => Some(id),
                        _ => None,
                    } {
                        let s = res.sym(id);
                        let slot = id.0 as usize;
                        // (Weakly undefined globals never get here: the object parser
                        // refuses them, as LLVM's does.)
                        if !is_weak_undefined(s)
                            && !is_importable[slot]
                            && !undefined_reported[slot]
                        {
                            undefined_reported[slot] = true;
                            let msg = format!("{}: undefined symbol: {}", o.name, s.name);
                            let ignore = config.unresolved == UnresolvedPolicy::IgnoreAll;
                            if config.warn_unresolved {
                                warnings.push(msg);
                            } else if !ignore {
                                undefined_errors.push(msg);
                            }
                            if s.kind == SymbolKind::Function && (ignore || config.warn_unresolved)
                            {
                                let sig = s.signature.clone().unwrap_or_default();
                                let n = match undefined_stub_sigs.iter().position(|x| *x == sig) {
                                    Some(n) => n,
                                    None => {
                                        undefined_stub_sigs.push(sig);
                                        undefined_stub_sigs.len() - 1
                                    }
                                };
                                undefined_stub_of.insert(id, n);
                            }
                        }
                    }
                }
                if r.ty == RelocType::TYPE_INDEX_LEB {
                    if type_map[r.index as usize].is_none() {
                        type_map[r.index as usize] =
                            Some(types.intern(&obj.types[r.index as usize]));
                    }
                } else if matches!(
                    r.ty,
                    RelocType::GLOBAL_INDEX_LEB | RelocType::GLOBAL_INDEX_I32
                ) && (obj.symbols[r.index as usize].kind != SymbolKind::Global
                    || matches!(
                        target(res, oid, r.index),
                        Target::Synthetic(Synthetic::MemoryBase | Synthetic::TableBase)
                    ))
                {
                    let t = target(res, oid, r.index);
                    let sym = &obj.symbols[r.index as usize];
                    if got_seen.insert(t, ()).is_none() {
                        got_targets.push((t, sym.kind, sym.name.to_string()));
                        if sym.kind == SymbolKind::Function && slot_seen.insert(t, ()).is_none() {
                            slot_targets.push(t);
                        }
                    }
                } else if r.ty.is_table_index() {
                    let t = target(res, oid, r.index);
                    if let Target::Undefined(id) = t {
                        if !is_importable[id.0 as usize] {
                            continue; // stubs and undefined weak: address 0, no slot
                        }
                    }
                    if slot_seen.insert(t, ()).is_none() {
                        slot_targets.push(t);
                    }
                }
            }
        };
        for f in 0..obj.functions.len() {
            if live.functions[oi][f] {
                visit(
                    &obj.code_relocs[live.func_relocs[oi][f].clone()],
                    &mut type_map[oi],
                );
            }
        }
        for s in 0..obj.data_segments.len() {
            if live.segments[oi][s] {
                visit(
                    &obj.data_relocs[live.seg_relocs[oi][s].clone()],
                    &mut type_map[oi],
                );
            }
        }
        for (ci, c) in obj.custom_sections.iter().enumerate() {
            if o.discarded_customs[ci] || skip_custom(config, c.name) {
                continue;
            }
            // Only type registration happens for custom sections; table slots come from code
            // and data.
            for r in &c.relocs {
                if r.ty == RelocType::TYPE_INDEX_LEB && type_map[oi][r.index as usize].is_none() {
                    type_map[oi][r.index as usize] =
                        Some(types.intern(&obj.types[r.index as usize]));
                }
            }
        }
    }

    if !undefined_errors.is_empty() {
        return Err(err!("{}", undefined_errors.join("\n")));
    }

    // --- Imports (rule 3.1): memory first, then the table, then symbols in symbol order,
    // deduplicated on (module, field, type).
    let mut imports: Vec<OutImport> = Vec::new();
    let mut sym_func_index = vec![None; res.symbols.len()];
    let mut sym_global_index = vec![None; res.symbols.len()];
    let mut sym_table_index = vec![None; res.symbols.len()];
    if let Some((m, n)) = &config.import_memory {
        imports.push(OutImport {
            module: m.clone(),
            field: n.clone(),
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
    let mut num_imported_functions = 0u32;
    let mut num_imported_globals = 0u32;
    let mut num_imported_tables = 0u32;
    let mut num_imported_tags = 0u32;
    let mut sym_tag_index = vec![None; res.symbols.len()];
    let mut func_import_dedup: HashMap<(String, String, FuncType), u32> = HashMap::default();
    for &id in &importable {
        let s = res.sym(id);
        let module = s.import_module.unwrap_or("env").to_string();
        let field = s.import_name.unwrap_or(s.name).to_string();
        match s.kind {
            SymbolKind::Function => {
                let sig = s.signature.clone().unwrap_or(FuncType {
                    params: vec![],
                    results: vec![],
                });
                let key = (module.clone(), field.clone(), sig.clone());
                if let Some(&idx) = func_import_dedup.get(&key) {
                    sym_func_index[id.0 as usize] = Some(idx);
                    continue;
                }
                let ti = types.intern(&sig);
                // Register later in import order: interning here is import order already.
                func_import_dedup.insert(key, num_imported_functions);
                sym_func_index[id.0 as usize] = Some(num_imported_functions);
                num_imported_functions += 1;
                imports.push(OutImport {
                    module,
                    field,
                    kind: OutImportKind::Function(ti),
                    name: s.name.to_string(),
                });
            }
            SymbolKind::Global => {
                let Some(ty) = undefined_global_type(res, id) else {
                    bail!("{}: cannot determine the type of undefined global", s.name);
                };
                if ty.mutable
                    && config.check_features
                    && !features.iter().any(|f| f == "mutable-globals")
                {
                    bail!(
                        "mutable global imported but 'mutable-globals' feature not present in inputs: `{}`. Use --no-check-features to suppress.",
                        s.name
                    );
                }
                sym_global_index[id.0 as usize] = Some(num_imported_globals);
                num_imported_globals += 1;
                imports.push(OutImport {
                    module,
                    field,
                    kind: OutImportKind::Global(ty),
                    name: s.name.to_string(),
                });
            }
            SymbolKind::Table => {
                let Some(ty) = undefined_table_type(res, id) else {
                    bail!("{}: cannot determine the type of undefined table", s.name);
                };
                sym_table_index[id.0 as usize] = Some(num_imported_tables);
                num_imported_tables += 1;
                imports.push(OutImport {
                    module,
                    field,
                    kind: OutImportKind::Table(ty),
                    name: s.name.to_string(),
                });
            }
            SymbolKind::Tag => {
                let Some(ft) = undefined_tag_type(res, id) else {
                    bail!("{}: cannot determine the type of undefined tag", s.name);
                };
                let ti = types.intern(&ft);
                sym_tag_index[id.0 as usize] = Some(num_imported_tags);
                num_imported_tags += 1;
                imports.push(OutImport {
                    module,
                    field,
                    kind: OutImportKind::Tag(ti),
                    name: s.name.to_string(),
                });
            }
            // Named in --allow-undefined-file: allowed, not importable (address 0).
            SymbolKind::Data if config.allow_undefined_names.contains(s.name) => {}
            SymbolKind::Data | SymbolKind::Section => {
                bail!(
                    "undefined {} symbol cannot be imported: {}",
                    s.kind.describe(),
                    s.name
                );
            }
        }
    }

    // --- Defined functions (rule 4.2): synthetic first, then objects, then wrappers.
    let ctors_sym = res.find("__wasm_call_ctors").expect("start-up symbol");
    let init_funcs = collect_init_funcs(res, live)?;
    let ctors_referenced = res.objects.iter().any(|o| {
        o.obj
            .symbols
            .iter()
            .any(|s| s.name == "__wasm_call_ctors" && !s.is_local())
    });
    let ctors_exported = gc::is_exported(config, res, ctors_sym);
    // Kept when live code calls it (GC marked it), when exported, when an init function is
    // live, or without GC. A reference from dead code does not keep it (found by comparing
    // --print-gc-sections with wasm-ld), though it still means "used" for the wrappers below.
    let ctors_live = ctors_exported
        || !init_funcs.is_empty()
        || !config.gc_sections
        || live.symbols[ctors_sym.0 as usize];

    // Command-export wrappers (rule 4.7).
    let want_wrappers = !ctors_referenced
        && !ctors_exported
        && (!init_funcs.is_empty() || res.call_dtors.is_some());

    let mut functions: Vec<OutFunction> = Vec::new();
    let mut func_index: Vec<Vec<Option<u32>>> = res
        .objects
        .iter()
        .map(|o| vec![None; o.obj.functions.len()])
        .collect();
    let empty_sig = FuncType {
        params: vec![],
        results: vec![],
    };
    let synthetic = |name: String, sig: FuncType, body: Vec<u8>| OutFunction::Synthetic {
        name,
        sig,
        type_index: u32::MAX, // registered below, in function order
        body,
    };
    if ctors_live {
        sym_func_index[ctors_sym.0 as usize] = Some(num_imported_functions);
        // The body is written once all indices are known.
        functions.push(synthetic(
            "__wasm_call_ctors".into(),
            empty_sig.clone(),
            Vec::new(),
        ));
    }
    // __wasm_init_tls (shared memory): kept when referenced (rule 4.3.2).
    let init_tls_sym = res.find("__wasm_init_tls").filter(|id| {
        matches!(res.sym(*id).def, Def::Synthetic(Synthetic::InitTls))
            && live.symbols[id.0 as usize]
    });
    let init_tls_index = init_tls_sym.map(|id| {
        let idx = num_imported_functions + functions.len() as u32;
        sym_func_index[id.0 as usize] = Some(idx);
        functions.push(synthetic(
            "__wasm_init_tls".into(),
            res.sym(id).signature.clone().unwrap_or_default(),
            Vec::new(),
        ));
        idx
    });
    let mut mismatch_stub_index = vec![None; res.mismatch_stubs.len()];
    for (n, stub) in res.mismatch_stubs.iter().enumerate() {
        if !live.mismatch_stubs[n] {
            continue;
        }
        mismatch_stub_index[n] = Some(num_imported_functions + functions.len() as u32);
        functions.push(synthetic(
            format!(
                "signature_mismatch:{}",
                crate::demangle::demangle(config, res.sym(stub.slot).name)
            ),
            stub.signature.clone(),
            synthetic::unreachable_body(),
        ));
    }
    for &id in &weak_stubs {
        let s = res.sym(id);
        sym_func_index[id.0 as usize] = Some(num_imported_functions + functions.len() as u32);
        functions.push(synthetic(
            format!(
                "undefined_weak:{}",
                crate::demangle::demangle(config, s.name)
            ),
            s.signature.clone().unwrap_or_default(),
            synthetic::unreachable_body(),
        ));
    }
    let first_undefined_stub = num_imported_functions + functions.len() as u32;
    for sig in &undefined_stub_sigs {
        functions.push(synthetic(
            "undefined_stub".into(),
            sig.clone(),
            synthetic::unreachable_body(),
        ));
    }
    for (id, n) in &undefined_stub_of {
        sym_func_index[id.0 as usize] = Some(first_undefined_stub + *n as u32);
    }
    // __wasm_init_memory (rule 8.9): with an imported memory and bulk-memory, bss segments are
    // cleared at start-up instead of being written.
    let init_memory_index = if needs_init_memory(config, res, live, &features) {
        functions.push(synthetic(
            "__wasm_init_memory".into(),
            empty_sig.clone(),
            Vec::new(),
        ));
        Some(num_imported_functions + functions.len() as u32 - 1)
    } else {
        None
    };
    for (oi, alive) in live.functions.iter().enumerate() {
        for (f, _) in alive.iter().enumerate().filter(|(_, &l)| l) {
            func_index[oi][f] = Some(num_imported_functions + functions.len() as u32);
            functions.push(OutFunction::Object {
                object: ObjectId(oi as u32),
                index: f as u32,
            });
        }
    }

    // Exported symbols in symbol order (rule 9.2); wrappers for exported functions.
    let mut export_syms: Vec<SymbolId> = Vec::new();
    for i in 0..res.symbols.len() {
        let id = SymbolId(i as u32);
        let s = res.sym(id);
        if !s.is_defined() || !live.symbols[i] && config.gc_sections {
            continue;
        }
        let is_entry = config.entry.as_deref() == Some(s.name);
        if is_entry || gc::is_exported(config, res, id) {
            export_syms.push(id);
        }
    }
    let mut wrapped: Vec<(SymbolId, u32)> = Vec::new(); // (symbol, wrapper function index)
    if want_wrappers {
        for &id in &export_syms {
            let s = res.sym(id);
            if s.kind != SymbolKind::Function {
                continue;
            }
            if let Def::Defined { .. } = s.def {
                let idx = num_imported_functions + functions.len() as u32;
                wrapped.push((id, idx));
                functions.push(synthetic(
                    format!("{}.command_export", s.name),
                    s.signature.clone().unwrap_or_default(),
                    Vec::new(),
                ));
            }
        }
    }

    // Types (rule 2.2 b, c): imported function types were interned in import order above;
    // now the defined functions in index order.
    for f in functions.iter_mut() {
        match f {
            OutFunction::Object { object, index } => {
                let o = &res.object(*object).obj;
                let ti = o.functions[*index as usize].type_index;
                let t = types.intern(&o.types[ti as usize]);
                type_map[object.0 as usize][ti as usize] = Some(t);
            }
            OutFunction::Synthetic {
                sig, type_index, ..
            } => *type_index = types.intern(sig),
        }
    }
    // Object types registered by relocations or definitions are in type_map; any object
    // type used by an import of that object maps through its symbol.

    // --- Tags (exception handling): defined tags after the function types (rule 2.2d).
    let mut tags: Vec<u32> = Vec::new();
    let mut tag_index: Vec<Vec<Option<u32>>> = res
        .objects
        .iter()
        .map(|o| vec![None; o.obj.tags.len()])
        .collect();
    for (oi, o) in res.objects.iter().enumerate() {
        for (t, &ty) in o.obj.tags.iter().enumerate() {
            if !live.tags[oi][t] {
                continue;
            }
            let Some(ft) = o.obj.types.get(ty as usize) else {
                bail!("{}: tag {t} has type index {ty} out of range", o.name);
            };
            let out_ty = types.intern(ft);
            type_map[oi][ty as usize] = Some(out_ty);
            tag_index[oi][t] = Some(num_imported_tags + tags.len() as u32);
            tags.push(out_ty);
        }
    }

    // --- Tables (rule 6).
    let mut tables: Vec<OutTable> = Vec::new();
    let mut table_index: Vec<Vec<Option<u32>>> = res
        .objects
        .iter()
        .map(|o| vec![None; o.obj.tables.len()])
        .collect();
    for (oi, o) in res.objects.iter().enumerate() {
        for (t, ty) in o.obj.tables.iter().enumerate() {
            if live.tables[oi][t] {
                table_index[oi][t] = Some(num_imported_tables + tables.len() as u32);
                tables.push(OutTable { ty: *ty });
            }
        }
    }
    let table_base = config.table_base.unwrap_or(1) as u32;
    let mut elements: Vec<u32> = Vec::new();
    let mut func_slot: HashMap<u32, u32> = HashMap::default();
    let tmp_layout_funcs = FuncLookup {
        func_index: &func_index,
        sym_func_index: &sym_func_index,
        ctors: ctors_live.then_some(num_imported_functions),
        init_tls: init_tls_index,
        mismatch_stub_index: &mismatch_stub_index,
    };
    for t in &slot_targets {
        let Some(fi) = tmp_layout_funcs.get(res, *t) else {
            continue;
        };
        if let std::collections::hash_map::Entry::Vacant(e) = func_slot.entry(fi) {
            e.insert(table_base + elements.len() as u32);
            elements.push(fi);
        }
    }
    let indirect_sym = res.find("__indirect_function_table");
    // The table exists when a live input references it, when it has entries (objects from
    // older compilers import it without a symbol), or when asked to import or export it.
    let mvp_table_import =
        res.objects.iter().any(|o| {
            o.obj.imports.iter().any(|i| {
                i.field == "__indirect_function_table" && matches!(i.ty, TypeRef::Table(_))
            }) && !o.obj.symbols.iter().any(|s| s.kind == SymbolKind::Table)
        });
    let table_needed = !elements.is_empty()
        || mvp_table_import
        || indirect_sym.is_some_and(|id| {
            matches!(
                res.sym(id).def,
                Def::Synthetic(Synthetic::IndirectFunctionTable)
            ) && live.symbols[id.0 as usize]
        });
    let mut indirect_table = None;
    if table_needed || config.export_table {
        let size = table_base as u64 + elements.len() as u64;
        if config.import_table {
            // Imported table: first among symbol imports (rule 3.1.2).
            let pos = usize::from(config.import_memory.is_some());
            imports.insert(
                pos,
                OutImport {
                    module: "env".into(),
                    field: "__indirect_function_table".into(),
                    kind: OutImportKind::Table(wasmparser::TableType {
                        element_type: wasmparser::RefType::FUNCREF,
                        table64: is64,
                        initial: size,
                        maximum: None,
                        shared: false,
                    }),
                    name: "__indirect_function_table".into(),
                },
            );
            // Shift other table imports.
            for v in sym_table_index.iter_mut().flatten() {
                *v += 1;
            }
            for v in table_index.iter_mut().flatten().flatten() {
                *v += 1;
            }
            indirect_table = Some(0);
        } else {
            indirect_table = Some(num_imported_tables + tables.len() as u32);
            tables.push(OutTable {
                ty: wasmparser::TableType {
                    element_type: wasmparser::RefType::FUNCREF,
                    table64: is64,
                    initial: size,
                    maximum: if config.growable_table {
                        None
                    } else {
                        Some(size)
                    },
                    shared: false,
                },
            });
        }
        if let Some(id) = indirect_sym {
            sym_table_index[id.0 as usize] = indirect_table;
        }
    }

    // --- Memory (rules 7, 8).

    // --- Globals (rule 5).
    let mut globals: Vec<OutGlobal> = Vec::new();
    let sp_id = res.find("__stack_pointer").expect("start-up symbol");
    let stack_pointer_global = num_imported_globals;
    sym_global_index[sp_id.0 as usize] = Some(num_imported_globals);
    globals.push(OutGlobal {
        ty: addr_type,
        mutable: true,
        init: const_expr(memory.stack_pointer),
        name: Some("__stack_pointer".into()),
    });
    let tdata_segment = memory.segments.iter().position(|s| s.is_tls);
    if config.shared_memory {
        // __tls_base (mutable, set at start-up), __tls_size, __tls_align: each only if used
        // (rule 5.2a); __tls_base also when .tdata must be initialised or __wasm_init_tls
        // sets it.
        for (name, syn) in [
            ("__tls_base", Synthetic::TlsBase),
            ("__tls_size", Synthetic::TlsSize),
            ("__tls_align", Synthetic::TlsAlign),
        ] {
            let Some(id) = res.find(name) else { continue };
            let needed = live.symbols[id.0 as usize]
                || (syn == Synthetic::TlsBase
                    && (tdata_segment.is_some() || init_tls_index.is_some()));
            if !needed {
                continue;
            }
            sym_global_index[id.0 as usize] = Some(num_imported_globals + globals.len() as u32);
            let (mutable, init) = match syn {
                Synthetic::TlsBase => (true, const_expr(0)),
                _ => (
                    false,
                    synthetic::const_expr(false, memory.synthetic_value(syn)),
                ),
            };
            globals.push(OutGlobal {
                ty: if syn == Synthetic::TlsBase {
                    addr_type
                } else {
                    ValType::I32
                },
                mutable,
                init,
                name: Some(name.into()),
            });
        }
    } else if let Some(id) = res.find("__tls_base") {
        if matches!(res.sym(id).def, Def::Synthetic(Synthetic::TlsBase))
            && live.symbols[id.0 as usize]
        {
            sym_global_index[id.0 as usize] = Some(num_imported_globals + globals.len() as u32);
            globals.push(OutGlobal {
                ty: addr_type,
                mutable: false,
                init: const_expr(memory.tls_base),
                name: Some("__tls_base".into()),
            });
        }
    }
    let mut global_index: Vec<Vec<Option<u32>>> = res
        .objects
        .iter()
        .map(|o| vec![None; o.obj.globals.len()])
        .collect();
    for (oi, o) in res.objects.iter().enumerate() {
        for (g, glob) in o.obj.globals.iter().enumerate() {
            if !live.globals[oi][g] {
                continue;
            }
            global_index[oi][g] = Some(num_imported_globals + globals.len() as u32);
            let name = global_symbol_name(o, g as u32 + o.obj.num_imported_globals());
            globals.push(OutGlobal {
                ty: glob.ty.content_type,
                mutable: glob.ty.mutable,
                init: glob.init.to_vec(),
                name: name.map(|n| crate::demangle::demangle(config, n)),
            });
        }
    }
    // Internal GOT entries: immutable globals holding an address or a table slot.
    let mut got: HashMap<Target, u32> = HashMap::default();
    for (t, kind, name) in &got_targets {
        let (value, prefix) = match kind {
            SymbolKind::Function => (
                tmp_layout_funcs
                    .get(res, *t)
                    .and_then(|f| func_slot.get(&f).copied())
                    .unwrap_or(0) as u64,
                "GOT.func.internal.",
            ),
            _ => (
                // TLS entries hold the address without shared memory (known at link
                // time), the offset from __tls_base with it.
                if config.shared_memory {
                    data_value(res, &memory, &bounds, *t).0
                } else {
                    data_address(res, &memory, &bounds, *t)
                },
                "GOT.data.internal.",
            ),
        };
        got.insert(*t, num_imported_globals + globals.len() as u32);
        globals.push(OutGlobal {
            ty: addr_type,
            mutable: false,
            init: const_expr(value),
            name: Some(format!("{prefix}{name}")),
        });
    }

    // --- Exports (rule 9).
    let mut exports: Vec<OutExport> = Vec::new();
    if let Some(name) = &config.export_memory {
        exports.push(OutExport {
            name: name.clone(),
            kind: ExportKind::Memory,
            index: 0,
        });
    }
    let mut wrapper_exports: Vec<OutExport> = Vec::new();
    for &id in &export_syms {
        let s = res.sym(id);
        let export_name = export_name_of(res, id);
        let t = match s.def {
            Def::Defined { object, index } => Target::Defined(object, index),
            Def::Synthetic(syn) => Target::Synthetic(syn),
            _ => continue,
        };
        match s.kind {
            SymbolKind::Function => {
                if let Some(&(_, widx)) = wrapped.iter().find(|(w, _)| *w == id) {
                    wrapper_exports.push(OutExport {
                        name: export_name,
                        kind: ExportKind::Func,
                        index: widx,
                    });
                    continue;
                }
                let Some(fi) = tmp_layout_funcs.get(res, t) else {
                    continue;
                };
                exports.push(OutExport {
                    name: export_name,
                    kind: ExportKind::Func,
                    index: fi,
                });
            }
            SymbolKind::Global => {
                let gi = match t {
                    Target::Defined(o, i) => {
                        let obj = &res.object(o).obj;
                        let g = obj.symbols[i as usize].index - obj.num_imported_globals();
                        global_index[o.0 as usize][g as usize]
                    }
                    _ => sym_global_index[id.0 as usize],
                };
                let Some(gi) = gi else { continue };
                let has_mutable_globals = features.iter().any(|f| f == "mutable-globals");
                if gi == stack_pointer_global
                    && !config.exports.iter().any(|e| e == s.name)
                    && !has_mutable_globals
                {
                    continue;
                }
                let mutable = gi
                    .checked_sub(num_imported_globals)
                    .and_then(|d| globals.get(d as usize))
                    .is_some_and(|g| g.mutable);
                if mutable && !has_mutable_globals && config.check_features {
                    // wasm-ld's words, then the file that defines the global (none for the
                    // linker's own).
                    let from = match t {
                        Target::Defined(o, _) => format!(" (defined in {})", res.object(o).name),
                        _ => String::new(),
                    };
                    bail!(
                        "mutable global exported but 'mutable-globals' feature not present in inputs: `{}`. Use --no-check-features to suppress.{from}",
                        s.name
                    );
                }
                exports.push(OutExport {
                    name: export_name,
                    kind: ExportKind::Global,
                    index: gi,
                });
            }
            SymbolKind::Data => {
                let addr = match t {
                    Target::Synthetic(syn) => memory.synthetic_value(syn),
                    Target::Defined(..) => data_value(res, &memory, &bounds, t).0,
                    _ => 0,
                };
                let gi = num_imported_globals + globals.len() as u32;
                globals.push(OutGlobal {
                    ty: addr_type,
                    mutable: false,
                    init: const_expr(addr),
                    name: None,
                });
                exports.push(OutExport {
                    name: export_name,
                    kind: ExportKind::Global,
                    index: gi,
                });
            }
            SymbolKind::Table => {
                let ti = match t {
                    Target::Synthetic(Synthetic::IndirectFunctionTable) => indirect_table,
                    Target::Defined(o, i) => {
                        let obj = &res.object(o).obj;
                        let tt = obj.symbols[i as usize].index - obj.num_imported_tables();
                        table_index[o.0 as usize][tt as usize]
                    }
                    _ => None,
                };
                if let Some(ti) = ti {
                    exports.push(OutExport {
                        name: export_name,
                        kind: ExportKind::Table,
                        index: ti,
                    });
                }
            }
            SymbolKind::Tag => {
                let ti = match t {
                    Target::Defined(o, i) => {
                        let obj = &res.object(o).obj;
                        let tt = obj.symbols[i as usize].index - obj.num_imported_tags();
                        tag_index[o.0 as usize][tt as usize]
                    }
                    _ => None,
                };
                if let Some(ti) = ti {
                    exports.push(OutExport {
                        name: export_name,
                        kind: ExportKind::Tag,
                        index: ti,
                    });
                }
            }
            SymbolKind::Section => {}
        }
    }
    exports.extend(wrapper_exports);

    // --- Linker-written bodies now that indices are known.
    let call_dtors_index = res.call_dtors.and_then(|id| {
        let t = match res.sym(id).def {
            Def::Defined { object, index } => Target::Defined(object, index),
            _ => return None,
        };
        tmp_layout_funcs.get(res, t)
    });
    let mut ctor_calls: Vec<(u32, usize)> = Vec::new();
    for (oid, sym) in &init_funcs {
        let t = target(res, *oid, *sym);
        let Some(fi) = tmp_layout_funcs.get(res, t) else {
            continue;
        };
        let results = match t {
            Target::Defined(o, i) => {
                let obj = &res.object(o).obj;
                obj.function_type(obj.symbols[i as usize].index)
                    .map(|f| {
                        if !f.params.is_empty() {
                            return Err(err!(
                                "{}: constructor functions cannot take arguments: {}",
                                res.object(o).name,
                                obj.symbols[i as usize].name
                            ));
                        }
                        Ok(f.results.len())
                    })
                    .transpose()?
                    .unwrap_or(0)
            }
            _ => 0,
        };
        ctor_calls.push((fi, results));
    }
    for (i, f) in functions.iter_mut().enumerate() {
        if let OutFunction::Synthetic { name, body, .. } = f {
            if name == "__wasm_init_memory" && config.shared_memory {
                let tls_base = res
                    .find("__tls_base")
                    .and_then(|id| sym_global_index[id.0 as usize]);
                *body = synthetic::init_memory_shared_body(is64, &memory, tls_base);
            } else if name == "__wasm_init_memory" {
                let bss: Vec<(u64, u64)> = memory
                    .segments
                    .iter()
                    .filter(|s| s.is_bss)
                    .map(|s| (s.start, s.size))
                    .collect();
                *body = synthetic::init_memory_fill_body(is64, &bss);
            } else if name == "__wasm_init_tls" {
                let tls_base = res
                    .find("__tls_base")
                    .and_then(|id| sym_global_index[id.0 as usize])
                    .expect("__tls_base is emitted with __wasm_init_tls");
                let tdata = tdata_segment.map(|i| (i as u32, memory.segments[i].size));
                *body = synthetic::init_tls_body(tls_base, tdata);
            } else if name == "__wasm_call_ctors" {
                *body = synthetic::call_ctors_body(&ctor_calls);
            } else if name.ends_with(".command_export") {
                let idx = num_imported_functions + i as u32;
                let (id, _) = *wrapped.iter().find(|(_, w)| *w == idx).expect("wrapper");
                let s = res.sym(id);
                let t = match s.def {
                    Def::Defined { object, index } => Target::Defined(object, index),
                    _ => unreachable!("wrappers are made for defined functions"),
                };
                let original = tmp_layout_funcs
                    .get(res, t)
                    .expect("wrapped function is live");
                let nparams = s.signature.as_ref().map_or(0, |s| s.params.len());
                *body = synthetic::command_export_body(
                    if ctors_live {
                        Some(num_imported_functions)
                    } else {
                        None
                    },
                    nparams as u32,
                    original,
                    call_dtors_index,
                );
            }
        }
    }

    // --- Custom sections (rule 1.4).
    let customs = memory::layout_customs(config, res)?;
    let mut custom_place: Vec<Vec<Option<(u32, u32)>>> = res
        .objects
        .iter()
        .map(|o| vec![None; o.obj.custom_sections.len()])
        .collect();
    for (ci, c) in customs.iter().enumerate() {
        for (pi, p) in c.parts.iter().enumerate() {
            custom_place[p.object.0 as usize][p.section] = Some((ci as u32, pi as u32));
        }
    }

    // --- Producers (rule 11).
    let producers = merge_producers(res);

    Ok(Layout {
        types: types.types,
        type_map,
        imports,
        num_imported_functions,
        num_imported_globals,
        num_imported_tables,
        functions,
        func_index,
        sym_func_index,
        ctors_index: ctors_live.then_some(num_imported_functions),
        init_tls_index,
        mismatch_stub_index,
        sym_global_index,
        sym_table_index,
        globals,
        global_index,
        tables,
        table_index,
        tags,
        tag_index,
        sym_tag_index,
        indirect_table,
        table_base,
        elements,
        func_slot,
        memory,
        bounds,
        exports,
        customs,
        custom_place,
        stack_pointer_global,
        is64,
        start: init_memory_index,
        got,
        warnings,
        features,
        producers,
    })
}

/// Function index lookup, usable while the layout is being built.
struct FuncLookup<'a> {
    func_index: &'a [Vec<Option<u32>>],
    sym_func_index: &'a [Option<u32>],
    ctors: Option<u32>,
    init_tls: Option<u32>,
    mismatch_stub_index: &'a [Option<u32>],
}

impl FuncLookup<'_> {
    fn get(&self, res: &Resolved, t: Target) -> Option<u32> {
        match t {
            Target::Defined(o, i) => {
                let obj = &res.object(o).obj;
                let s = obj.symbols.get(i as usize)?;
                let d = s.index.checked_sub(obj.num_imported_functions())?;
                self.func_index[o.0 as usize]
                    .get(d as usize)
                    .copied()
                    .flatten()
            }
            Target::Synthetic(Synthetic::CallCtors) => self.ctors,
            Target::Synthetic(Synthetic::InitTls) => self.init_tls,
            Target::Synthetic(_) => None,
            Target::Undefined(id) => self.sym_func_index[id.0 as usize],
            Target::MismatchStub(n) => self.mismatch_stub_index[n as usize],
        }
    }
}

fn is_weak_undefined(s: &crate::resolve::GlobalSymbol) -> bool {
    s.is_weak() || matches!(s.def, Def::Lazy { weak: true, .. })
}

/// Whether bss must be cleared by `__wasm_init_memory` (imported memory with bulk-memory).
fn needs_init_memory(config: &Config, res: &Resolved, live: &Live, features: &[String]) -> bool {
    if config.shared_memory {
        // Every segment is passive and initialised at start-up.
        return res
            .objects
            .iter()
            .enumerate()
            .any(|(oi, o)| (0..o.obj.data_segments.len()).any(|si| live.segments[oi][si]));
    }
    config.import_memory.is_some()
        && features.iter().any(|x| x == "bulk-memory")
        && res.objects.iter().enumerate().any(|(oi, o)| {
            o.obj.data_segments.iter().enumerate().any(|(si, seg)| {
                live.segments[oi][si] && memory::is_bss_name(config, seg.name, seg.is_tls())
            })
        })
}

fn undefined_global_type(res: &Resolved, id: SymbolId) -> Option<wasmparser::GlobalType> {
    let Def::Undefined { object, index } = res.sym(id).def else {
        return None;
    };
    let obj = &res.object(object).obj;
    let s = obj.symbols.get(index as usize)?;
    let imp = obj.imported_globals.get(s.index as usize)?;
    match obj.imports[*imp as usize].ty {
        TypeRef::Global(g) => Some(g),
        _ => None,
    }
}

fn undefined_tag_type(res: &Resolved, id: SymbolId) -> Option<FuncType> {
    let Def::Undefined { object, index } = res.sym(id).def else {
        return None;
    };
    let obj = &res.object(object).obj;
    let s = obj.symbols.get(index as usize)?;
    let imp = obj.imported_tags.get(s.index as usize)?;
    match obj.imports[*imp as usize].ty {
        TypeRef::Tag(t) => obj.types.get(t.func_type_idx as usize).cloned(),
        _ => None,
    }
}

fn undefined_table_type(res: &Resolved, id: SymbolId) -> Option<wasmparser::TableType> {
    let Def::Undefined { object, index } = res.sym(id).def else {
        return None;
    };
    let obj = &res.object(object).obj;
    let s = obj.symbols.get(index as usize)?;
    let imp = obj.imported_tables.get(s.index as usize)?;
    match obj.imports[*imp as usize].ty {
        TypeRef::Table(t) => Some(t),
        _ => None,
    }
}

/// The name of a global for the name section: its first defining symbol's name.
fn global_symbol_name<'d>(o: &crate::resolve::LoadedObject<'d>, index: u32) -> Option<&'d str> {
    o.obj
        .symbols
        .iter()
        .find(|s| s.kind == SymbolKind::Global && s.is_defined() && s.index == index)
        .map(|s| s.name)
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

/// Init functions of live objects, stable-sorted by priority (rule 14).
fn collect_init_funcs(res: &Resolved, live: &Live) -> Result<Vec<(ObjectId, u32)>> {
    let mut all: Vec<(u32, ObjectId, u32)> = Vec::new();
    for (oi, o) in res.objects.iter().enumerate() {
        if !live.objects[oi] {
            continue;
        }
        for init in &o.obj.init_funcs {
            let oid = ObjectId(oi as u32);
            let Some(sym) = o.obj.symbols.get(init.symbol as usize) else {
                bail!(
                    "{}: init function symbol index {} out of range",
                    o.name,
                    init.symbol
                );
            };
            if sym.kind != SymbolKind::Function {
                bail!("{}: init function '{}' is not a function", o.name, sym.name);
            }
            // Skip dead or COMDAT-discarded functions.
            let t = target(res, oid, init.symbol);
            let alive = match t {
                Target::Defined(d, i) => {
                    let dobj = &res.object(d).obj;
                    let f = dobj.symbols[i as usize]
                        .index
                        .checked_sub(dobj.num_imported_functions());
                    f.is_some_and(|f| live.functions[d.0 as usize][f as usize])
                }
                _ => false,
            };
            if alive {
                all.push((init.priority, oid, init.symbol));
            }
        }
    }
    all.sort_by_key(|(p, _, _)| *p);
    Ok(all.into_iter().map(|(_, o, s)| (o, s)).collect())
}

/// Whether a custom section is left out of the output.
pub fn skip_custom(config: &Config, name: &str) -> bool {
    // --keep-section does not bring debug sections back (checked against rust-lld).
    if name.starts_with(".debug_") && (config.strip_debug || config.strip_all) {
        return true;
    }
    matches!(name, ".llvmbc" | ".llvmcmd")
}

/// The output feature set (rule 12), checked as lld's `populateTargetFeatures` does: shared
/// memory and TLS need atomics and bulk-memory; with `--features` every used feature must be
/// listed; no object may use a feature another disallows.
fn compute_features(config: &Config, res: &Resolved, live: &Live) -> Result<Vec<String>> {
    let mut used: Vec<(String, String)> = Vec::new(); // (feature, first user)
    let mut disallowed: HashMap<String, String> = HashMap::default();
    for o in &res.objects {
        for f in &o.obj.target_features {
            if f.prefix == b'+' {
                if !used.iter().any(|(u, _)| u == f.name) {
                    used.push((f.name.to_string(), o.name.clone()));
                }
            } else {
                disallowed
                    .entry(f.name.to_string())
                    .or_insert_with(|| o.name.clone());
            }
        }
    }
    let mut set: Vec<String> = match &config.features {
        Some(list) => list.clone(),
        None => used.iter().map(|(f, _)| f.clone()).collect(),
    };
    for e in &config.extra_features {
        if !set.contains(e) {
            set.push(e.clone());
        }
    }
    set.sort();
    set.dedup();
    if !config.check_features {
        return Ok(set);
    }
    let has = |f: &str| set.iter().any(|s| s == f);
    let mut errors: Vec<String> = Vec::new();
    if config.shared_memory {
        for f in ["atomics", "bulk-memory"] {
            if !has(f) {
                errors.push(format!(
                    "'{f}' feature must be used in order to use shared memory"
                ));
            }
        }
    }
    // The first live TLS segment, named in the error (wasm-ld's message names no input).
    let tls_user = res.objects.iter().enumerate().find_map(|(oi, o)| {
        let (_, seg) = o
            .obj
            .data_segments
            .iter()
            .enumerate()
            .find(|&(si, seg)| live.segments[oi][si] && seg.is_tls())?;
        Some(format!("{}: segment {}", o.name, seg.name))
    });
    if let Some(user) = tls_user {
        for f in ["atomics", "bulk-memory"] {
            if !has(f) {
                errors.push(format!(
                    "'{f}' feature must be used in order to use thread-local storage (used by {user})"
                ));
            }
        }
    }
    if config.features.is_some() {
        for (f, user) in &used {
            if !has(f) {
                errors.push(format!(
                    "Target feature '{f}' used by {user} is not allowed."
                ));
            }
        }
    }
    for o in &res.objects {
        for f in &o.obj.target_features {
            if f.prefix != b'+' {
                continue;
            }
            if let Some(other) = disallowed.get(f.name) {
                errors.push(format!(
                    "Target feature '{}' used in {} is disallowed by {}. Use --no-check-features to suppress.",
                    f.name, o.name, other
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(err!("{}", errors.join("\n")));
    }
    Ok(set)
}

/// Producers merged over objects, first version of each name wins (rule 11).
fn merge_producers(res: &Resolved) -> Vec<(String, Vec<(String, String)>)> {
    let fields = ["language", "processed-by", "sdk"];
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for field in fields {
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
