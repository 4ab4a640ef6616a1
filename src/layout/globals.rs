//! Layout step: the globals, in wasm-ld's order: `__stack_pointer`; the TLS globals
//! (`__tls_base`, and with shared memory `__tls_size` and `__tls_align` when used); the live
//! input globals in object order; the internal GOT entries in relocation-scan order (lld
//! `GlobalSection::assignIndexes`). The globals that hold exported data addresses are added
//! after these by `exports.rs`.

use super::imports::Imports;
use super::scan::Scan;
use super::synthetic::{base_plus_expr, const_expr};
use super::TableSpace;
use super::{data_address, data_value, defined_element, FunctionSpace, MemoryLayout, Target};
use crate::args::Config;
use crate::demangle::demangle;
use crate::gc::Live;
use crate::object::SymbolKind;
use crate::resolve::{Def, LoadedObject, Resolved, SymbolId, Synthetic};
use rustc_hash::FxHashMap as HashMap;
use wasmparser::ValType;

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

/// The global index space.
pub struct GlobalSpace {
    pub num_imported: u32,
    pub defined: Vec<OutGlobal>,
    /// Per object, per defined global: its output index.
    pub of_object: Vec<Vec<Option<u32>>>,
    /// Per global symbol: its index when imported or linker-made.
    pub of_symbol: Vec<Option<u32>>,
    /// Internal GOT entries: target -> global index.
    pub got: HashMap<Target, u32>,
    /// `__stack_pointer`'s index.
    pub stack_pointer: u32,
    /// How many of `defined` come first from the inputs and the linker's own globals (lld's
    /// `inputGlobals`), before the internal GOT entries and the globals of exported data.
    pub num_input: u32,
}

impl GlobalSpace {
    /// The output global index of `t` (its internal GOT entry, when it has one), if any.
    pub fn index(&self, res: &Resolved, t: Target) -> Option<u32> {
        if let Some(&g) = self.got.get(&t) {
            return Some(g);
        }
        match t {
            Target::Defined(o, i) => {
                let d = defined_element(res, o, i)?;
                self.of_object[o.index()].get(d).copied().flatten()
            }
            Target::Synthetic(s) => res.find(s.name()).and_then(|id| self.of_symbol[id.index()]),
            Target::Undefined(id) => self.of_symbol[id.index()],
            Target::MismatchStub(_) => None,
        }
    }

    /// The global index of a synthetic global (`__memory_base`, `__table_base`,
    /// `__tls_base`, ...), when the link has it.
    pub fn synthetic(&self, res: &Resolved, syn: Synthetic) -> Option<u32> {
        res.find(syn.name())
            .and_then(|id| self.of_symbol[id.index()])
    }

    /// Whether `t`'s address comes from an imported GOT entry (`GOT.mem`/`GOT.func`).
    pub fn is_got_import(&self, t: Target) -> bool {
        self.got.get(&t).is_some_and(|&g| g < self.num_imported)
    }

    /// Whether global `index` is a mutable one defined here.
    pub fn is_mutable(&self, index: u32) -> bool {
        index
            .checked_sub(self.num_imported)
            .and_then(|d| self.defined.get(d as usize))
            .is_some_and(|g| g.mutable)
    }

    /// Appends a defined global and returns its index.
    pub fn push(&mut self, g: OutGlobal) -> u32 {
        self.defined.push(g);
        self.num_imported + self.defined.len() as u32 - 1
    }
}

/// Lays out the defined globals.
#[allow(clippy::too_many_arguments)]
pub fn layout_globals(
    config: &Config,
    res: &Resolved,
    live: &Live,
    imports: &mut Imports,
    memory: &MemoryLayout,
    bounds: &HashMap<SymbolId, u64>,
    functions: &FunctionSpace,
    tables: &TableSpace,
    scan: &Scan,
    extended_const: bool,
    is64: bool,
) -> GlobalSpace {
    let addr_type = if is64 { ValType::I64 } else { ValType::I32 };
    let mut space = GlobalSpace {
        num_imported: imports.globals,
        defined: Vec::new(),
        of_object: super::per_object(res, |o| o.globals.len()),
        of_symbol: std::mem::take(&mut imports.global_of_symbol),
        got: HashMap::default(),
        stack_pointer: imports.globals,
        num_input: 0,
    };
    // `__stack_pointer` is the linker's only when it made it (never with `-r`).
    // (A PIC output imports it.)
    let sp = res.find("__stack_pointer").filter(|&id| {
        matches!(res.sym(id).def, Def::Synthetic(Synthetic::StackPointer)) && !config.is_pic()
    });
    if let Some(sp) = sp {
        space.of_symbol[sp.index()] = Some(space.push(OutGlobal {
            ty: addr_type,
            mutable: true,
            init: const_expr(is64, memory.stack_pointer),
            name: Some("__stack_pointer".into()),
        }));
    }
    add_tls_globals(config, res, live, memory, functions, &mut space, is64);
    for (oi, o) in res.objects.iter().enumerate() {
        for (g, glob) in o.obj.globals.iter().enumerate() {
            if !live.globals[oi][g] {
                continue;
            }
            let name = global_symbol_name(o, g as u32 + o.obj.num_imported_globals());
            space.of_object[oi][g] = Some(space.push(OutGlobal {
                ty: glob.ty.content_type,
                mutable: glob.ty.mutable,
                init: glob.init.to_vec(),
                name: name.map(|n| demangle(config, n)),
            }));
        }
    }
    space.num_input = space.defined.len() as u32;
    space.got = std::mem::take(&mut imports.got_of_target);
    for (t, kind, name) in &scan.got_targets {
        let value = match kind {
            SymbolKind::Function => 0,
            _ => data_value(res, memory, bounds, *t).0,
        };
        let tls = super::is_tls_symbol(res, *t);
        let (value, prefix) = match kind {
            SymbolKind::Function => (
                functions
                    .index(res, *t)
                    .and_then(|f| tables.slot_of.get(&f).copied())
                    .unwrap_or(0) as u64,
                "GOT.func.internal.",
            ),
            // TLS entries hold the address without shared memory (known at link time), the
            // offset from __tls_base with it.
            _ if config.shared_memory => (value, "GOT.data.internal."),
            _ => (data_address(res, memory, bounds, *t), "GOT.data.internal."),
        };
        // In a PIC output the entry holds an offset until `__wasm_apply_global_relocs`
        // adds the base, or with extended-const its initialiser adds it (lld
        // `GlobalSection::writeBody`); a TLS entry without shared memory keeps its
        // link-time value, and so does an entry with nothing behind it (0).
        let base = match kind {
            SymbolKind::Function => Synthetic::TableBase,
            _ => Synthetic::MemoryBase,
        };
        let base = res
            .find(base.name())
            .and_then(|id| space.of_symbol[id.index()]);
        let relative = config.is_pic() && !tls && has_place(res, *t, *kind);
        // With shared memory a TLS entry is per thread: `__wasm_apply_global_tls_relocs`
        // sets it.
        let per_thread = config.is_pic() && tls && config.shared_memory;
        let init = match base {
            Some(base) if relative && extended_const => base_plus_expr(is64, base, value),
            _ => const_expr(is64, value),
        };
        let g = space.push(OutGlobal {
            ty: addr_type,
            mutable: relative && !extended_const || per_thread,
            init,
            name: Some(format!("{prefix}{name}")),
        });
        space.got.insert(*t, g);
    }
    space
}

/// Whether a GOT entry's target has a place in this module: not an undefined function (a
/// stub) nor undefined data (address 0).
fn has_place(res: &Resolved, t: Target, kind: SymbolKind) -> bool {
    match t {
        Target::Undefined(id) => kind == SymbolKind::Data && res.sym(id).is_defined(),
        _ => true,
    }
}

/// The TLS globals. With shared memory each thread has its own TLS block: `__tls_base` is
/// mutable, set by `__wasm_init_tls` or `__wasm_init_memory`, and is kept when used, when
/// `.tdata` must be initialised or when `__wasm_init_tls` exists; `__tls_size` and
/// `__tls_align` are constants kept when used. Without shared memory there is one block:
/// `__tls_base` is a constant, its address, kept when used.
fn add_tls_globals(
    config: &Config,
    res: &Resolved,
    live: &Live,
    memory: &MemoryLayout,
    functions: &FunctionSpace,
    space: &mut GlobalSpace,
    is64: bool,
) {
    let addr_type = if is64 { ValType::I64 } else { ValType::I32 };
    if !config.shared_memory {
        if let Some(id) = res.find("__tls_base") {
            if matches!(res.sym(id).def, Def::Synthetic(Synthetic::TlsBase))
                && live.symbols[id.index()]
            {
                space.of_symbol[id.index()] = Some(space.push(OutGlobal {
                    ty: addr_type,
                    mutable: false,
                    init: const_expr(is64, memory.tls_base),
                    name: Some("__tls_base".into()),
                }));
            }
        }
        return;
    }
    let has_tdata = memory.segments.iter().any(|s| s.is_tls);
    for syn in [Synthetic::TlsBase, Synthetic::TlsSize, Synthetic::TlsAlign] {
        let name = syn.name();
        let Some(id) = res.find(name) else { continue };
        // (In a PIC output `__wasm_init_memory` keeps it: lld marks it live there.)
        let init_memory = config.is_pic() && functions.init_memory.is_some();
        let needed = live.symbols[id.index()]
            || (syn == Synthetic::TlsBase
                && (has_tdata || functions.init_tls.is_some() || init_memory));
        if !needed {
            continue;
        }
        let global = match syn {
            Synthetic::TlsBase => OutGlobal {
                ty: addr_type,
                mutable: true,
                init: const_expr(is64, 0),
                name: Some(name.into()),
            },
            _ => OutGlobal {
                ty: ValType::I32,
                mutable: false,
                init: const_expr(false, memory.synthetic_value(syn)),
                name: Some(name.into()),
            },
        };
        space.of_symbol[id.index()] = Some(space.push(global));
    }
}

/// The name of a global for the name section: its first defining symbol's name.
fn global_symbol_name<'d>(o: &LoadedObject<'d>, index: u32) -> Option<&'d str> {
    o.obj
        .symbols
        .iter()
        .find(|s| s.kind == SymbolKind::Global && s.is_defined() && s.index == index)
        .map(|s| s.name)
}
