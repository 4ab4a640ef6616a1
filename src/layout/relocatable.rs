//! Layout step for `-r` and `--emit-relocs`: what makes the output an object again, or, with
//! `--emit-relocs`, what describes a final module to tools that rewrite it (the same parts,
//! of the live symbols and relocations only, lld's `ctx.arg.emitRelocs` paths). The output
//! symbol table (lld `Writer::populateSymtab`, `Writer::createCustomSections`), each
//! relocation re-targeted to the output symbol and to its place in the output section (lld
//! `InputChunk::writeRelocations`, `ObjFile::calcNewIndex`, `ObjFile::calcNewAddend`), the init
//! functions and the COMDAT groups (lld `LinkingSection::writeBody`). `write` writes them as
//! the `linking` and `reloc.*` sections.
//!
//! The code and data keep the values a final link would give them (function indices,
//! addresses from 0, table slots from 1) in their padded LEBs: `relocate` patches them as for
//! any link, and the final link patches them again from these relocations.

use super::memory::{segment_comdat, SegmentPlace};
use super::synthetic::SyntheticFunction;
use super::{functions::OutFunction, Layout, Target};
use crate::args::Config;
use crate::error::Result;
use crate::gc::Live;
use crate::leb;
use crate::object::{self, RelocType, SymbolKind};
use crate::resolve::{Binding, Def, ObjectId, Resolved, Synthetic};
use crate::{bail, err};
use std::collections::BTreeMap;

/// What an output symbol stands for, with its index in the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SymbolPlace {
    Function(u32),
    Global(u32),
    Table(u32),
    Tag(u32),
    /// Defined data: output segment, offset inside it, size.
    Data(u32, u64, u64),
    /// Undefined data: a name only.
    UndefinedData,
    /// Data at a fixed address, in no segment (flag ABSOLUTE).
    Absolute(u64),
    /// The output custom section number `n` of [`Layout::customs`].
    Section(u32),
}

/// One entry of the output symbol table.
#[derive(Clone, Debug)]
pub struct OutSymbol {
    pub flags: u32,
    /// Whether it is a definition (lld `Symbol::isDefined`; the flags may not say so).
    pub defined: bool,
    pub name: String,
    pub place: SymbolPlace,
}

impl OutSymbol {
    /// The symbol kind written in the table.
    pub fn kind(&self) -> SymbolKind {
        match self.place {
            SymbolPlace::Function(_) => SymbolKind::Function,
            SymbolPlace::Global(_) => SymbolKind::Global,
            SymbolPlace::Table(_) => SymbolKind::Table,
            SymbolPlace::Tag(_) => SymbolKind::Tag,
            SymbolPlace::Data(..) | SymbolPlace::UndefinedData | SymbolPlace::Absolute(_) => {
                SymbolKind::Data
            }
            SymbolPlace::Section(_) => SymbolKind::Section,
        }
    }

    /// Whether the name is written: for data always, for the others when defined or when
    /// the name is explicit (lld `LinkingSection::writeBody`).
    pub fn writes_name(&self) -> bool {
        match self.place {
            SymbolPlace::Data(..) | SymbolPlace::UndefinedData | SymbolPlace::Absolute(_) => true,
            SymbolPlace::Section(_) => false,
            _ => self.defined || self.flags & object::WASM_SYM_EXPLICIT_NAME != 0,
        }
    }
}

/// One output relocation: type, offset in the output section payload, symbol (or type)
/// index, addend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutReloc {
    pub ty: RelocType,
    pub offset: u64,
    pub index: u32,
    pub addend: i64,
}

/// The relocatable output's own parts.
#[derive(Default)]
pub struct Relocatable {
    pub symbols: Vec<OutSymbol>,
    /// (priority, output symbol index), in call order.
    pub init_funcs: Vec<(u32, u32)>,
    /// COMDAT groups by name (sorted, as lld's `std::map`): (kind, index) entries, functions
    /// in function order, then data segments.
    pub comdats: Vec<(String, Vec<(u8, u32)>)>,
    pub code_relocs: Vec<OutReloc>,
    pub data_relocs: Vec<OutReloc>,
    /// Per output custom section (as [`Layout::customs`]).
    pub custom_relocs: Vec<Vec<OutReloc>>,
    /// How many relocations the inputs of the code and of the data had, dead ones included:
    /// the count their `reloc.*` sections carry, although only the live ones are written
    /// (lld counts a function's or a segment's relocations, `getNumRelocations`, and writes
    /// the live ones; a custom section counts only the live ones. Checked against rust-lld:
    /// a dead weak reference leaves `reloc.CODE` saying 1 with no entry).
    pub code_count: u32,
    pub data_count: u32,
}

/// Per symbol of every object, per global slot and per signature-mismatch stub: its output
/// symbol index.
struct Indices {
    of_slot: Vec<Option<u32>>,
    of_stub: Vec<Option<u32>>,
    of_local: Vec<Vec<Option<u32>>>,
    /// Per output custom section: its section symbol.
    of_custom: Vec<u32>,
}

/// Builds the output symbol table, relocations, init functions and COMDAT groups.
pub fn layout_relocatable(
    config: &Config,
    res: &Resolved,
    live: &Live,
    layout: &Layout,
) -> Result<Relocatable> {
    let mut out = Relocatable::default();
    let idx = symbol_table(config, res, live, layout, &mut out.symbols)?;
    out.init_funcs = init_functions(res, layout, &idx)?;
    out.comdats = comdats(res, layout);
    relocations(config, res, live, layout, &idx, &mut out)?;
    Ok(out)
}

/// The symbol table in lld's order (`Writer::populateSymtab`, then `createCustomSections`):
/// the global symbols in symbol-table order (every one an object defines or refers to: with
/// no GC all are live; a name with several signatures shows its definition), then the
/// `signature_mismatch:` stubs, local, in the order they were made (after every input), then
/// each object's local symbols in object order (section symbols left out), then one local
/// section symbol per output custom section. (Found by experiment against rust-lld.)
fn symbol_table(
    config: &Config,
    res: &Resolved,
    live: &Live,
    layout: &Layout,
    symbols: &mut Vec<OutSymbol>,
) -> Result<Indices> {
    let mut idx = Indices {
        of_slot: vec![None; res.symbols.len()],
        of_local: res
            .objects
            .iter()
            .map(|o| vec![None; o.obj.symbols.len()])
            .collect(),
        of_custom: Vec::new(),
        of_stub: vec![None; res.mismatch_stubs.len()],
    };
    let bound = super::undefined::bound_slots(res);
    let mut stubbed = vec![false; res.symbols.len()];
    for (i, s) in res.symbols.iter().enumerate() {
        let id = crate::resolve::SymbolId::new(i);
        if !slot_live(config, res, live, layout, id) {
            continue;
        }
        // A name whose first symbol became a stub shows the definition that has its own
        // signature.
        let def = match s.def {
            Def::MismatchStub(_) => res
                .variants
                .iter()
                .find(|v| v.slot == id && matches!(v.def, Def::Defined { .. }))
                .map_or(s.def.clone(), |v| v.def.clone()),
            _ => s.def.clone(),
        };
        // The definition shown must be live itself (GC may drop it while the stub stays).
        if let Def::Defined { object, index } = def {
            if config.gc_sections && !chunk_live(res, live, object, index as usize) {
                continue;
            }
        }
        let place = match def {
            Def::Defined { object, index } => {
                defined_place(res, layout, object, index, Target::Defined(object, index))?
            }
            Def::Synthetic(Synthetic::IndirectFunctionTable) => {
                let t = layout
                    .tables
                    .indirect
                    .ok_or_else(|| err!("{}: no table", s.name))?;
                SymbolPlace::Table(t)
            }
            // A PIC output's imported bases are undefined globals (lld
            // `createUndefinedGlobal`), listed when imported.
            Def::Synthetic(x) if config.is_pic() && x.is_pic_import() => {
                match layout.global_index(res, Target::Synthetic(x)) {
                    Some(g) => SymbolPlace::Global(g),
                    None => continue,
                }
            }
            // The other symbols the linker defines are there only in a final link
            // (`--emit-relocs`), when an object refers to them (lld `isUsedInRegularObj`).
            // (The entry is listed too, `__wasm_call_ctors` of a side module, and a linker
            // function `--export` names, as rust-lld lists them; not its data addresses.)
            Def::Synthetic(x)
                if bound[i]
                    || res.entry == Some(id)
                    || s.force_export && x.kind() == SymbolKind::Function =>
            {
                synthetic_place(res, layout, x)?
            }
            Def::Undefined { .. } | Def::Lazy { weak: true, .. }
                if super::undefined::imported_by_object(s) && bound[i] =>
            {
                undefined_place(layout, res, Target::Undefined(id), s.kind, s.name)?
            }
            // `__start_X`/`__stop_X`: addresses the linker gives (lld `addStartStopSymbols`).
            Def::Undefined { .. } if layout.bounds.contains_key(&id) && bound[i] => {
                SymbolPlace::Absolute(layout.bounds[&id])
            }
            Def::Undefined { .. } if s.kind == SymbolKind::Data && bound[i] => {
                SymbolPlace::UndefinedData
            }
            _ => continue,
        };
        // A weak reference to an archive member never loaded becomes an undefined weak
        // function whose flags are just WEAK (lld `demoteLazySymbols`), UNDEFINED bit
        // missing: lld writes them so.
        let flags = match def {
            Def::Lazy { .. } => object::WASM_SYM_BINDING_WEAK,
            // An undefined symbol says so, whatever symbol `--wrap` made it from.
            Def::Undefined { .. } if !matches!(place, SymbolPlace::Absolute(_)) => {
                s.flags | object::WASM_SYM_UNDEFINED
            }
            Def::Synthetic(x) if config.is_pic() && x.is_pic_import() => object::WASM_SYM_UNDEFINED,
            // An address the linker defines is absolute: it is in no segment.
            Def::Synthetic(_) | Def::Undefined { .. }
                if matches!(place, SymbolPlace::Absolute(_)) =>
            {
                object::WASM_SYM_VISIBILITY_HIDDEN | object::WASM_SYM_ABSOLUTE
            }
            // The table the linker makes is hidden unless exported (lld
            // `createDefinedIndirectFunctionTable`): the NO_STRIP of a reference only kept it
            // alive. An imported one stays the objects' undefined reference.
            Def::Synthetic(Synthetic::IndirectFunctionTable) if !config.relocatable => {
                if config.import_table {
                    object::WASM_SYM_UNDEFINED | (s.flags & object::WASM_SYM_NO_STRIP)
                } else if config.export_table {
                    0
                } else {
                    object::WASM_SYM_VISIBILITY_HIDDEN
                }
            }
            Def::Defined { object, index } if matches!(s.def, Def::MismatchStub(_)) => {
                res.object(object).obj.symbols[index as usize].flags
            }
            // A function exported through a `.command_export` wrapper is no longer exported
            // itself, and hidden: the wrapper takes its export (lld
            // `createCommandExportWrappers`; checked against rust-lld).
            _ if layout
                .functions
                .command_exports
                .iter()
                .any(|&(w, _)| w == id) =>
            {
                (s.flags & !object::WASM_SYM_EXPORTED) | object::WASM_SYM_VISIBILITY_HIDDEN
            }
            // The entry is exported whatever its visibility, and shows no longer hidden
            // (checked against rust-lld; `--export=` and `--export-all` leave the flag alone).
            _ if res.entry == Some(id) => s.flags & !object::WASM_SYM_VISIBILITY_HIDDEN,
            _ => s.flags,
        };
        idx.of_slot[i] = Some(symbols.len() as u32);
        // A weak undefined function that got an `undefined_weak:` stub shows the stub in its
        // place: local, hidden, under the stub's name (lld `handleWeakUndefines`; checked
        // against rust-lld).
        if s.weak_stub && matches!(place, SymbolPlace::Function(_)) {
            stubbed[i] = true;
            symbols.push(OutSymbol {
                flags: object::WASM_SYM_BINDING_LOCAL | object::WASM_SYM_VISIBILITY_HIDDEN,
                defined: true,
                name: SyntheticFunction::WeakStub(id).name(config, res),
                place,
            });
            continue;
        }
        symbols.push(OutSymbol {
            flags,
            // With `-r` the linker defines nothing: its table stays the objects' import.
            defined: match def {
                Def::Defined { .. } => true,
                Def::Synthetic(Synthetic::IndirectFunctionTable) => {
                    !config.relocatable && !config.import_table
                }
                Def::Synthetic(x) => !(config.relocatable || config.is_pic() && x.is_pic_import()),
                _ => matches!(place, SymbolPlace::Absolute(_)),
            },
            name: s.name.to_string(),
            place,
        });
    }
    // An imported indirect table no object named is made by the linker once the scan needs
    // it (lld `finalizeIndirectFunctionTable`): the last global symbol, hidden.
    if let (Some(t), None) = (
        layout.tables.indirect,
        res.find(Synthetic::IndirectFunctionTable.name()),
    ) {
        if config.import_table {
            symbols.push(OutSymbol {
                flags: object::WASM_SYM_VISIBILITY_HIDDEN | object::WASM_SYM_UNDEFINED,
                defined: false,
                name: Synthetic::IndirectFunctionTable.name().to_string(),
                place: SymbolPlace::Table(t),
            });
        }
    }
    for n in 0..res.mismatch_stubs.len() {
        let Some(f) = layout.functions.mismatch_stubs[n] else {
            continue;
        };
        idx.of_stub[n] = Some(symbols.len() as u32);
        symbols.push(OutSymbol {
            flags: object::WASM_SYM_BINDING_LOCAL,
            defined: true,
            name: SyntheticFunction::SignatureMismatch(n as u32).name(config, res),
            place: SymbolPlace::Function(f),
        });
    }
    for (oi, o) in res.objects.iter().enumerate() {
        let oid = ObjectId::new(oi);
        for (si, sym) in o.obj.symbols.iter().enumerate() {
            // A weak stub is local: each object that refers to it lists it again among its
            // local symbols, and the last entry is the one relocations name (lld adds the
            // same symbol once per object, each time taking the new index).
            if let Some(Binding::Global(id)) = o.bindings.get(si) {
                if stubbed[id.index()] {
                    if let Some(at) = idx.of_slot[id.index()] {
                        let again = symbols[at as usize].clone();
                        idx.of_slot[id.index()] = Some(symbols.len() as u32);
                        symbols.push(again);
                    }
                }
            }
            if o.bindings.get(si) != Some(&Binding::Local)
                || sym.kind == SymbolKind::Section
                || !chunk_live(res, live, oid, si)
            {
                continue;
            }
            let place =
                defined_place(res, layout, oid, si as u32, Target::Defined(oid, si as u32))?;
            idx.of_local[oi][si] = Some(symbols.len() as u32);
            symbols.push(OutSymbol {
                flags: sym.flags,
                defined: true,
                name: sym.name.to_string(),
                place,
            });
        }
    }
    for n in 0..layout.customs.len() {
        idx.of_custom.push(symbols.len() as u32);
        symbols.push(OutSymbol {
            flags: object::WASM_SYM_BINDING_LOCAL,
            defined: true,
            name: String::new(),
            place: SymbolPlace::Section(n as u32),
        });
    }
    Ok(idx)
}

/// Whether the chunk that defines symbol `index` of `o` is live (lld `Symbol::isLive` of a
/// defined symbol: its function, segment, global, table or tag survived GC).
fn chunk_live(res: &Resolved, live: &Live, o: ObjectId, index: usize) -> bool {
    let obj = &res.object(o).obj;
    let sym = &obj.symbols[index];
    let oi = o.index();
    let at = |v: &Vec<Vec<bool>>, i: Option<usize>| i.is_some_and(|i| v[oi].get(i) == Some(&true));
    match sym.kind {
        SymbolKind::Data => at(&live.segments, sym.data.map(|d| d.segment as usize)),
        SymbolKind::Function => at(&live.functions, obj.defined_index(sym.kind, sym.index)),
        SymbolKind::Global => at(&live.globals, obj.defined_index(sym.kind, sym.index)),
        SymbolKind::Table => at(&live.tables, obj.defined_index(sym.kind, sym.index)),
        SymbolKind::Tag => at(&live.tags, obj.defined_index(sym.kind, sym.index)),
        SymbolKind::Section => false,
    }
}

/// Whether symbol `index` of `o` is live (lld `Symbol::isLive`): a global one when GC kept
/// its slot (everything, without GC), a local one when GC kept its chunk, a section symbol
/// only without GC. Only live symbols are in the symbol table, and a relocation against a dead one is
/// left out (lld `InputChunk::writeRelocations`, `relocIsLive`), as in the debug sections
/// of a program whose unused functions GC removed.
fn symbol_live(
    config: &Config,
    res: &Resolved,
    live: &Live,
    layout: &Layout,
    o: ObjectId,
    index: u32,
) -> bool {
    let slot = |id| slot_live(config, res, live, layout, id);
    let obj = &res.object(o).obj;
    match obj.symbols.get(index as usize) {
        // Nothing marks a section symbol live (lld's `markLive` walks chunks, not custom
        // sections): under GC, a relocation against one is left out (checked against
        // rust-lld: the `R_WASM_SECTION_OFFSET_I32` of the debug sections disappear).
        Some(s) if s.kind == SymbolKind::Section => !config.gc_sections,
        None => false,
        Some(_) => match res.object(o).bindings.get(index as usize) {
            Some(Binding::Global(id)) => slot(*id),
            Some(Binding::Variant(v)) => slot(res.variants[*v as usize].slot),
            Some(Binding::Local) => chunk_live(res, live, o, index as usize),
            None => false,
        },
    }
}

/// Whether a global symbol slot is live (lld `Symbol::isLive`): a definition when its chunk
/// is (so every alias of a kept function is), the linker's table when the output has it, any
/// other when GC reached it; everything without GC.
fn slot_live(
    config: &Config,
    res: &Resolved,
    live: &Live,
    layout: &Layout,
    id: crate::resolve::SymbolId,
) -> bool {
    if !config.gc_sections {
        return true;
    }
    match res.sym(id).def {
        Def::Defined { object, index } => chunk_live(res, live, object, index as usize),
        Def::Synthetic(Synthetic::IndirectFunctionTable) => layout.tables.indirect.is_some(),
        _ => live.symbols[id.index()],
    }
}

/// Where a defined symbol (symbol `index` of `o`) is in the output.
fn defined_place(
    res: &Resolved,
    layout: &Layout,
    o: ObjectId,
    index: u32,
    t: Target,
) -> Result<SymbolPlace> {
    let sym = &res.object(o).obj.symbols[index as usize];
    let missing = || {
        err!(
            "{}: symbol {} has no place in the output",
            res.object(o).name,
            sym.name
        )
    };
    Ok(match sym.kind {
        SymbolKind::Function => {
            SymbolPlace::Function(layout.function_index(res, t).ok_or_else(missing)?)
        }
        SymbolKind::Global => SymbolPlace::Global(layout.global_index(res, t).ok_or_else(missing)?),
        SymbolKind::Table => SymbolPlace::Table(layout.table_number(res, t).ok_or_else(missing)?),
        SymbolKind::Tag => SymbolPlace::Tag(layout.tag_index(res, t).ok_or_else(missing)?),
        SymbolKind::Data => {
            let d = sym.data.ok_or_else(missing)?;
            let memory = &layout.memory;
            let place = memory.places[o.index()]
                .get(d.segment as usize)
                .copied()
                .flatten()
                .ok_or_else(missing)?;
            let segment = match place {
                SegmentPlace::Plain { segment, .. } | SegmentPlace::Merged { segment, .. } => {
                    segment
                }
            };
            let address = memory
                .input_address(o, d.segment as usize, d.offset)
                .ok_or_else(missing)?;
            let start = memory.segments[segment as usize].start;
            SymbolPlace::Data(segment, address - start, d.size)
        }
        SymbolKind::Section => bail!(
            "{}: section symbol {} is not a definition",
            res.object(o).name,
            index
        ),
    })
}

/// Where a symbol the linker defines is in the output: its function, global or table, or,
/// for an address (`__heap_base`, `__data_end`, ...), the address itself (lld
/// `addOptionalDataSymbol` makes them absolute).
fn synthetic_place(res: &Resolved, layout: &Layout, x: Synthetic) -> Result<SymbolPlace> {
    let t = Target::Synthetic(x);
    let missing = || {
        err!(
            "{}: linker-made symbol has no place in the output",
            x.name()
        )
    };
    Ok(match x {
        Synthetic::CallCtors | Synthetic::InitTls => {
            SymbolPlace::Function(layout.function_index(res, t).ok_or_else(missing)?)
        }
        Synthetic::StackPointer | Synthetic::TlsBase | Synthetic::TlsSize | Synthetic::TlsAlign => {
            SymbolPlace::Global(layout.global_index(res, t).ok_or_else(missing)?)
        }
        Synthetic::IndirectFunctionTable => {
            SymbolPlace::Table(layout.tables.indirect.ok_or_else(missing)?)
        }
        Synthetic::DsoHandle
        | Synthetic::DataEnd
        | Synthetic::StackLow
        | Synthetic::StackHigh
        | Synthetic::GlobalBase
        | Synthetic::HeapBase
        | Synthetic::HeapEnd
        | Synthetic::MemoryBase
        | Synthetic::TableBase
        | Synthetic::FirstPageEnd => SymbolPlace::Absolute(layout.memory.synthetic_value(x)),
    })
}

/// Where an imported symbol is in the output.
fn undefined_place(
    layout: &Layout,
    res: &Resolved,
    t: Target,
    kind: SymbolKind,
    name: &str,
) -> Result<SymbolPlace> {
    let missing = || err!("{name}: undefined symbol has no import");
    Ok(match kind {
        SymbolKind::Function => {
            SymbolPlace::Function(layout.function_index(res, t).ok_or_else(missing)?)
        }
        SymbolKind::Global => SymbolPlace::Global(layout.global_index(res, t).ok_or_else(missing)?),
        SymbolKind::Table => SymbolPlace::Table(layout.table_number(res, t).ok_or_else(missing)?),
        SymbolKind::Tag => SymbolPlace::Tag(layout.tag_index(res, t).ok_or_else(missing)?),
        SymbolKind::Data | SymbolKind::Section => SymbolPlace::UndefinedData,
    })
}

/// The output symbol index of symbol `index` of `o`: its slot's, its own (a local one), or,
/// for a section symbol, the one of the output custom section its section went to (lld
/// `ObjFile::calcNewIndex`).
fn symbol_index(
    res: &Resolved,
    layout: &Layout,
    idx: &Indices,
    o: ObjectId,
    index: u32,
) -> Option<u32> {
    let obj = &res.object(o).obj;
    let sym = obj.symbols.get(index as usize)?;
    if sym.kind == SymbolKind::Section {
        let ci = obj
            .custom_sections
            .iter()
            .position(|c| c.section_index == sym.index)?;
        let (n, _) = layout.custom_place[o.index()].get(ci).copied().flatten()?;
        return idx.of_custom.get(n as usize).copied();
    }
    match *res.object(o).bindings.get(index as usize)? {
        Binding::Global(id) => match res.sym(id).def {
            Def::MismatchStub(n) => idx.of_stub[n as usize],
            // wasm-ld 22 leaves a shared library's symbols out of the symbol table, and a
            // relocation against one names symbol -1 (checked with rust-lld; LLVM's own
            // readers cannot read that back): written so, byte for byte.
            Def::Shared { .. } => Some(u32::MAX),
            _ => idx.of_slot[id.index()],
        },
        Binding::Local => idx.of_local[o.index()][index as usize],
        Binding::Variant(v) => match res.variants[v as usize].def {
            Def::MismatchStub(n) => idx.of_stub[n as usize],
            _ => idx.of_slot[res.variants[v as usize].slot.index()],
        },
    }
}

/// The init functions in call order, by output symbol (lld `Writer::calculateInitFunctions`:
/// with `-r` they are listed, not called).
fn init_functions(res: &Resolved, layout: &Layout, idx: &Indices) -> Result<Vec<(u32, u32)>> {
    let mut all: Vec<(u32, u32)> = Vec::new();
    for (oi, o) in res.objects.iter().enumerate() {
        let oid = ObjectId::new(oi);
        for init in &o.obj.init_funcs {
            if o.is_function_discarded(
                o.obj
                    .symbols
                    .get(init.symbol as usize)
                    .map_or(u32::MAX, |s| s.index),
            ) {
                continue;
            }
            let Some(i) = symbol_index(res, layout, idx, oid, init.symbol) else {
                bail!(
                    "{}: init function symbol {} has no output symbol",
                    o.name,
                    init.symbol
                );
            };
            all.push((init.priority, i));
        }
    }
    all.sort_by_key(|&(p, _)| p);
    Ok(all)
}

/// COMDAT kinds in the linking section.
const COMDAT_DATA: u8 = 0;
const COMDAT_FUNCTION: u8 = 1;

/// The COMDAT groups of the output (lld `LinkingSection::writeBody`): each output function of
/// a group, in function order, then each output segment whose inputs belong to one (with `-r`
/// such a segment has one input); groups sorted by name.
fn comdats(res: &Resolved, layout: &Layout) -> Vec<(String, Vec<(u8, u32)>)> {
    let mut groups: BTreeMap<String, Vec<(u8, u32)>> = BTreeMap::new();
    let functions = &layout.functions;
    for (i, f) in functions.defined.iter().enumerate() {
        let OutFunction::Object { object, index } = f else {
            continue;
        };
        let obj = &res.object(*object).obj;
        let fi = index + obj.num_imported_functions();
        if let Some(c) = obj.comdats.iter().find(|c| c.functions.contains(&fi)) {
            groups
                .entry(c.name.to_string())
                .or_default()
                .push((COMDAT_FUNCTION, functions.num_imported + i as u32));
        }
    }
    for (si, s) in layout.memory.segments.iter().enumerate() {
        let Some(super::memory::SegmentChunk::Input {
            object, segment, ..
        }) = s.chunks.first()
        else {
            continue;
        };
        if let Some(c) = segment_comdat(&res.object(*object).obj, *segment) {
            groups
                .entry(c.to_string())
                .or_default()
                .push((COMDAT_DATA, si as u32));
        }
    }
    groups.into_iter().collect()
}

/// Every relocation of the output code, data and custom sections, re-targeted: the offset
/// moved by where its chunk went, the index made the output symbol's (or the output type's),
/// the addend kept, except a section offset's, which gains where its section went (lld
/// `InputChunk::writeRelocations`).
fn relocations(
    config: &Config,
    res: &Resolved,
    live: &Live,
    layout: &Layout,
    idx: &Indices,
    out: &mut Relocatable,
) -> Result<()> {
    let retarget = |o: ObjectId, r: &object::Reloc, shift: i64| -> Result<Option<OutReloc>> {
        if r.ty != RelocType::TYPE_INDEX_LEB && !symbol_live(config, res, live, layout, o, r.index)
        {
            return Ok(None);
        }
        let index = if r.ty == RelocType::TYPE_INDEX_LEB {
            layout.types.of_object[o.index()]
                .get(r.index as usize)
                .copied()
                .flatten()
        } else {
            symbol_index(res, layout, idx, o, r.index)
        };
        let Some(index) = index else {
            bail!(
                "{}: {} relocation at 0x{:x}: symbol {} has no output symbol",
                res.object(o).name,
                r.ty.name(),
                r.offset,
                r.index
            );
        };
        let addend = match res.object(o).obj.symbols.get(r.index as usize) {
            Some(s) if r.ty == RelocType::SECTION_OFFSET_I32 => {
                super::customs::section_offset(res, layout, o, s.index, r.addend)? as i64
            }
            _ => r.addend,
        };
        Ok(Some(OutReloc {
            ty: r.ty,
            offset: (r.offset as i64 + shift) as u64,
            index,
            addend,
        }))
    };
    // Code: the payload starts with the function count; each body keeps its size.
    let functions = &layout.functions.defined;
    let mut at = leb::size_u32(functions.len() as u32) as u64;
    for f in functions {
        match f {
            OutFunction::Object { object, index } => {
                let o = res.object(*object);
                let func = &o.obj.functions[*index as usize];
                let relocs = o.obj.function_relocs(*index as usize);
                out.code_count += relocs.len() as u32;
                for r in relocs {
                    out.code_relocs
                        .extend(retarget(*object, r, at as i64 - func.offset as i64)?);
                }
                // With `--compress-relocations` each body shrinks; the offsets inside it
                // stay the input's (lld `writeRelocations` shifts by where the body went).
                at += if config.compress_relocations {
                    let body = func.body;
                    crate::relocate::compressed_body(
                        res,
                        layout,
                        *object,
                        body,
                        func.offset,
                        relocs,
                    )?
                    .len() as u64
                } else {
                    func.body.len() as u64
                };
            }
            OutFunction::Synthetic { body, .. } => at += body.len() as u64,
        }
    }
    // Data: the segment count, then each segment's header and bytes.
    let segments: Vec<_> = crate::write::emitted_segments(config, layout)
        .into_iter()
        .map(|i| &layout.memory.segments[i])
        .collect();
    let mut at = leb::size_u32(segments.len() as u32) as u64;
    for s in segments {
        at += crate::write::segment_header(config, layout, s).len() as u64;
        for c in &s.chunks {
            if let super::memory::SegmentChunk::Input {
                object,
                segment,
                offset,
            } = c
            {
                let o = res.object(*object);
                let seg = &o.obj.data_segments[*segment as usize];
                let relocs = o.obj.segment_relocs(*segment as usize);
                out.data_count += relocs.len() as u32;
                for r in relocs {
                    let shift = (at + offset) as i64 - seg.offset as i64;
                    out.data_relocs.extend(retarget(*object, r, shift)?);
                }
            }
        }
        at += s.size;
    }
    // Custom sections: each part at its offset.
    for c in &layout.customs {
        let mut relocs = Vec::new();
        if c.merged.is_none() {
            for p in &c.parts {
                let sec = &res.object(p.object).obj.custom_sections[p.section];
                for r in &sec.relocs {
                    relocs.extend(retarget(p.object, r, p.offset as i64)?);
                }
            }
        }
        out.custom_relocs.push(relocs);
    }
    Ok(())
}
