//! Stage `layout`: give every live thing its place in the output module, in wasm-ld 22's
//! order.
//!
//! [`layout`] reads like lld's `Writer::run`: a list of named steps, each in its own file and
//! each returning its part of the [`Layout`]:
//!
//! | step | file | lld |
//! |---|---|---|
//! | target features | `features.rs` | `Writer::populateTargetFeatures` |
//! | memory: segments, stack, heap, TLS | `memory.rs` | `Writer::layoutMemory` |
//! | `__start_X` / `__stop_X` | `memory.rs` ([`memory::segment_bounds`]) | `Writer::addStartStopSymbols` |
//! | which undefined symbols are imported | `undefined.rs` | `Symbol::isImported`, `allowUndefined` |
//! | relocation scan: types, table slots, GOT, undefined errors | `scan.rs` | `scanRelocations` |
//! | imports | `imports.rs` | `Writer::calculateImports` |
//! | defined functions, linker-made ones first | `functions.rs` | `Writer::createSyntheticSections`, `assignIndexes` |
//! | init functions in priority order | `init_funcs.rs` | `Writer::calculateInitFunctions` |
//! | function and tag types | `types.rs` | `Writer::calculateTypes` |
//! | tags, tables, the indirect table and its slots | `tags.rs`, `table.rs` | `Writer::assignIndexes`, `SymbolTable::createIndirectFunctionTable` |
//! | globals and internal GOT entries | `globals.rs` | `GlobalSection::assignIndexes` |
//! | exports | `exports.rs` | `Writer::calculateExports` |
//! | data and GOT relocations a loader must apply (PIC) | `pic.rs` | `InputChunk::generateRelocationCode`, `GlobalSection::generateRelocationCode` |
//! | linker-made bodies | `synthetic.rs` | `Writer::createCallCtorsFunction` and friends |
//! | custom sections, producers | `customs.rs` | `Writer::calculateCustomSections`, `createProducersSection` |
//! | `-r`, `--emit-relocs`: output symbol table, relocations, init functions, COMDATs | `relocatable.rs` | `Writer::populateSymtab`, `InputChunk::writeRelocations` |
//!
//! Nothing here touches code bytes: `relocate` uses the maps built here to patch each
//! relocation site, and `write` writes the sections.

pub mod customs;
pub mod exports;
pub mod features;
pub mod functions;
pub mod globals;
pub mod imports;
pub mod init_funcs;
pub mod memory;
pub mod pic;
pub mod relocatable;
pub mod scan;
pub mod synthetic;
pub mod table;
pub mod tags;
pub mod types;
pub mod undefined;

use crate::args::Config;
use crate::error::{Error, Result};
use crate::gc::Live;
use crate::object::SymbolKind;
pub use crate::resolve::Target;
use crate::resolve::{ObjectId, Resolved, SymbolId};
use rustc_hash::FxHashMap as HashMap;

pub use customs::OutCustom;
pub use exports::OutExport;
pub use functions::{FunctionSpace, OutFunction};
pub use globals::{GlobalSpace, OutGlobal};
pub use imports::{OutImport, OutImportKind};
pub use memory::MemoryLayout;
pub use table::TableSpace;
pub use tags::TagSpace;
pub use types::TypeTable;

/// The complete layout of the output.
pub struct Layout<'data> {
    /// wasm64 output (memory64, 64-bit addresses and table).
    pub is64: bool,
    pub features: features::FeatureSet,
    pub types: TypeTable,
    pub imports: Vec<OutImport>,
    pub functions: FunctionSpace,
    pub tags: TagSpace,
    pub tables: TableSpace,
    pub globals: GlobalSpace,
    pub memory: MemoryLayout<'data>,
    /// Addresses of the `__start_X`/`__stop_X` symbols that were defined.
    pub bounds: HashMap<SymbolId, u64>,
    pub exports: Vec<OutExport>,
    pub customs: Vec<OutCustom>,
    /// Per object, per custom section: (output custom section, part) it went to.
    pub custom_place: Vec<Vec<Option<(u32, u32)>>>,
    pub producers: Vec<(String, Vec<(String, String)>)>,
    pub warnings: Vec<String>,
    /// With `-r` or `--emit-relocs`: the symbol table, relocations, init functions and COMDATs
    /// of the output.
    pub relocatable: Option<relocatable::Relocatable>,
    /// In a PIC output: the imported `__memory_base` and `__table_base`, where data and
    /// table slots are placed.
    pub memory_base_global: Option<u32>,
    pub table_base_global: Option<u32>,
    /// The live weak undefined symbols, in symbol order: the loader may leave them
    /// unresolved (`dylink.0` import info, lld `DylinkSection::writeBody`).
    pub weak_imports: Vec<SymbolId>,
    /// The exported thread-local data symbols, in symbol order: a loader must know them
    /// (`dylink.0` export info).
    pub tls_exports: Vec<SymbolId>,
}

/// Lays out the output: the steps of the table in this module's header, in wasm-ld's order.
/// Later steps read what earlier ones decided; none revisits an earlier decision.
pub fn layout<'data>(config: &Config, res: &Resolved<'data>, live: &Live) -> Result<Layout<'data>> {
    let is64 = is_wasm64(config);
    // The features, memory and relocation checks report every error they find, as wasm-ld's
    // `error` does, and the link stops after the relocation scan if there was any.
    // (wasm-ld 22 gives the memory layout's errors before the features', checked by
    // experiment with rust-lld.)
    let mut errors = Vec::new();
    // Memory depends only on what is live, and `__start_X`/`__stop_X` need its addresses
    // before undefined symbols are judged.
    let memory = memory::layout_memory(config, res, live, &mut errors)?;
    let features = features::compute_features(config, res, live, &mut errors);
    // No `__start_X`/`__stop_X` in an object (lld's addStartStopSymbols is for final links).
    let bounds = if config.relocatable {
        HashMap::default()
    } else {
        memory::segment_bounds(res, &memory)
    };
    let memory = if config.is_pic() && !config.shared_memory && !features.has("extended-const") {
        let in_binary = crate::write::segment_in_binary(config, &features);
        memory::combine_pic_segments(memory, in_binary)
    } else {
        memory
    };
    let undefined = undefined::classify(config, res, live, &bounds);
    let mut types = TypeTable::new(res);
    let checked = (&memory, &bounds, &undefined);
    let mut scan = scan::scan_relocations(config, res, live, checked, &mut types);
    let found = errors.drain(..).map(crate::error::Diagnostic::Error);
    let warnings = Error::from_diagnostics(found.chain(scan.diagnostics.drain(..)).collect())?;
    // Checked after the scan, as lld builds this code after it.
    let runtime_relocs = pic::runtime_data_relocs(config, res, &memory, &scan, &mut errors);
    if !errors.is_empty() {
        return Err(crate::err!("{}", errors.join("\n")));
    }
    // With extended-const the entries are set by their initialisers instead.
    let global_relocs = if config.is_pic() && !features.has("extended-const") {
        pic::global_reloc_entries(res, &scan, |t| is_tls_symbol(res, t))
    } else {
        Vec::new()
    };
    let global_tls_relocs = if config.is_pic() && config.shared_memory {
        pic::global_tls_reloc_entries(&scan, |t| is_tls_symbol(res, t))
    } else {
        Vec::new()
    };
    let pic_functions = functions::PicFunctions {
        data_relocs: !runtime_relocs.data.is_empty(),
        tls_relocs: runtime_relocs.tls_segment_relocated,
        global_relocs: !global_relocs.is_empty(),
        global_tls_relocs: !global_tls_relocs.is_empty(),
    };
    let mut imports = imports::layout_imports(
        config, res, live, &undefined, &scan, &features, &mut types, is64,
    )?;
    let init_funcs = init_funcs::collect_init_funcs(res, live)?;
    let export_syms = exports::exported_symbols(config, res, live, &scan);
    let mut functions = functions::layout_functions(
        config,
        res,
        live,
        &features,
        &mut imports,
        &undefined,
        &scan,
        &init_funcs,
        &export_syms,
        pic_functions,
    );
    types.register_functions(res, &mut functions.defined);
    let tags = tags::layout_tags(res, live, &mut imports, &mut types)?;
    let tables = table::layout_tables(config, res, live, &mut imports, &functions, &scan, is64);
    let mut globals = globals::layout_globals(
        config,
        res,
        live,
        &mut imports,
        &memory,
        &bounds,
        &functions,
        &tables,
        &scan,
        features.has("extended-const"),
        is64,
    );
    let exports = exports::layout_exports(
        config,
        res,
        &features,
        &memory,
        &bounds,
        &functions,
        &mut globals,
        &tables,
        &tags,
        &export_syms,
        is64,
    )?;
    let pic_bodies = pic::bodies(
        &pic::Places {
            config,
            res,
            memory: &memory,
            functions: &functions,
            globals: &globals,
            tables: &tables,
            bounds: &bounds,
            is64,
        },
        &runtime_relocs,
        &global_relocs,
        &global_tls_relocs,
    );
    synthetic::write_bodies(
        config,
        res,
        &memory,
        &mut functions,
        &globals,
        &init_funcs,
        pic_bodies,
        is64,
    )?;
    let (customs, custom_place) = customs::layout_customs(config, res)?;
    let producers = customs::merge_producers(res);
    let mut layout = Layout {
        is64,
        features,
        types,
        imports: imports.list,
        functions,
        tags,
        tables,
        globals,
        memory,
        bounds,
        exports,
        customs,
        custom_place,
        producers,
        warnings,
        relocatable: None,
        memory_base_global: None,
        table_base_global: None,
        tls_exports: export_syms
            .iter()
            .copied()
            .filter(|&id| {
                let s = res.sym(id);
                s.kind == SymbolKind::Data && is_tls_symbol(res, res.slot_target(id))
            })
            .collect(),
        weak_imports: SymbolId::all(res.symbols.len())
            .filter(|id| {
                let s = res.sym(*id);
                live.symbols[id.index()] && !s.is_defined() && s.is_weak() && !s.weak_stub
            })
            .collect(),
    };
    if config.is_pic() {
        use crate::resolve::Synthetic::{MemoryBase, TableBase};
        layout.memory_base_global = layout.globals.synthetic(res, MemoryBase);
        layout.table_base_global = layout.globals.synthetic(res, TableBase);
    }
    // Last: it reads every index and place decided above.
    if config.relocatable || config.emit_relocs {
        layout.relocatable = Some(relocatable::layout_relocatable(config, res, live, &layout)?);
    }
    Ok(layout)
}

/// Whether `t` is a thread-local symbol: its definition has the TLS flag or lives in a
/// thread-local segment ([`crate::object::DataSegment::is_thread_local`]).
pub(crate) fn is_tls_symbol(res: &Resolved, t: Target) -> bool {
    let Target::Defined(o, i) = t else {
        return false;
    };
    let obj = &res.object(o).obj;
    let sym = &obj.symbols[i as usize];
    let in_tls_segment = sym
        .data
        .and_then(|d| obj.data_segments.get(d.segment as usize))
        .is_some_and(|seg| seg.is_thread_local());
    sym.flags & crate::object::WASM_SYM_TLS != 0 || in_tls_segment
}

/// wasm64 output: exactly when `-mwasm64` is given (resolve's `check_arch` refuses a wasm64
/// object without it, as wasm-ld does).
fn is_wasm64(config: &Config) -> bool {
    config.is64.unwrap_or(false)
}

impl Layout<'_> {
    /// The output function index of `t`, if it has one.
    pub fn function_index(&self, res: &Resolved, t: Target) -> Option<u32> {
        self.functions.index(res, t)
    }

    /// The output global index of `t` (an internal GOT entry first), if it has one.
    pub fn global_index(&self, res: &Resolved, t: Target) -> Option<u32> {
        self.globals.index(res, t)
    }

    /// The output table number of `t`, if it has one.
    pub fn table_number(&self, res: &Resolved, t: Target) -> Option<u32> {
        self.tables.index(res, t)
    }

    /// The output tag index of `t`, if it has one.
    pub fn tag_index(&self, res: &Resolved, t: Target) -> Option<u32> {
        self.tags.index(res, t)
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

/// The position among its object's definitions of the element symbol `index` of `o` names
/// (`Object::defined_index`), when it names a defined one.
fn defined_element(res: &Resolved, o: ObjectId, index: u32) -> Option<usize> {
    let obj = &res.object(o).obj;
    let s = obj.symbols.get(index as usize)?;
    obj.defined_index(s.kind, s.index)
}

/// Per object, one `None` per element of a per-object list: the empty index map of a step.
fn per_object<T>(
    res: &Resolved,
    len: impl Fn(&crate::object::Object) -> usize,
) -> Vec<Vec<Option<T>>>
where
    T: Clone,
{
    res.objects
        .iter()
        .map(|o| vec![None; len(&o.obj)])
        .collect()
}
