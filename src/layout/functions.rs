//! Layout step: the defined functions, in wasm-ld's order (lld `Writer::assignIndexes` after
//! `createSyntheticSections`): `__wasm_call_ctors`, `__wasm_init_tls`, the
//! `signature_mismatch:` stubs, the `undefined_weak:` stubs, the `undefined_stub`s,
//! `__wasm_init_memory`, then every live input function in object order, then the
//! `.command_export` wrappers. Linker-made functions get their bodies in `synthetic.rs`, once
//! every index is known.

use super::imports::Imports;
use super::init_funcs::InitFunc;
use super::scan::Scan;
use super::synthetic::SyntheticFunction;
use super::undefined::Undefined;
use super::{defined_element, memory, Target};
use crate::args::Config;
use crate::gc::{self, Live};
use crate::object::{FuncType, SymbolKind};
use crate::resolve::{Def, ObjectId, Resolved, SymbolId, Synthetic};

/// A defined function of the output.
#[derive(Clone, Debug)]
pub enum OutFunction {
    /// Function `index` (defined-function index) of an object.
    Object { object: ObjectId, index: u32 },
    /// A function the linker writes.
    Synthetic {
        kind: SyntheticFunction,
        sig: FuncType,
        /// Output type index, set by [`super::TypeTable::register_functions`].
        type_index: u32,
        /// The body with its size prefix, set by [`super::synthetic::write_bodies`].
        body: Vec<u8>,
    },
}

/// The function index space.
pub struct FunctionSpace {
    pub num_imported: u32,
    pub defined: Vec<OutFunction>,
    /// Per object, per defined function: its output index.
    pub of_object: Vec<Vec<Option<u32>>>,
    /// Per global symbol: its index when it is an import, a stub or a linker-made function.
    pub of_symbol: Vec<Option<u32>>,
    pub call_ctors: Option<u32>,
    pub init_tls: Option<u32>,
    /// Per signature-mismatch stub: its index when live.
    pub mismatch_stubs: Vec<Option<u32>>,
    /// `__wasm_init_memory`.
    pub init_memory: Option<u32>,
    /// `__wasm_apply_data_relocs`, `__wasm_apply_global_relocs` and `__wasm_start` (`pic.rs`).
    pub apply_data_relocs: Option<u32>,
    pub apply_global_relocs: Option<u32>,
    /// With shared memory: `__wasm_apply_tls_relocs` and `__wasm_apply_global_tls_relocs`,
    /// which `__wasm_init_tls` calls.
    pub apply_tls_relocs: Option<u32>,
    pub apply_global_tls_relocs: Option<u32>,
    pub start_function: Option<u32>,
    /// The `.command_export` wrappers: (wrapped symbol, wrapper index).
    pub command_exports: Vec<(SymbolId, u32)>,
}

/// Which of the load-time functions of `pic.rs` exist.
#[derive(Clone, Copy, Debug, Default)]
pub struct PicFunctions {
    pub data_relocs: bool,
    pub tls_relocs: bool,
    pub global_relocs: bool,
    pub global_tls_relocs: bool,
}

impl FunctionSpace {
    /// The start function (lld `Writer::createStartFunction`): `__wasm_start` when memory
    /// initialisation and global relocations are both needed, else whichever one is.
    pub fn start(&self) -> Option<u32> {
        self.start_function
            .or(self.init_memory)
            .or(self.apply_global_relocs)
    }

    /// The output function index of `t`, if it has one.
    pub fn index(&self, res: &Resolved, t: Target) -> Option<u32> {
        match t {
            Target::Defined(o, i) => {
                let d = defined_element(res, o, i)?;
                self.of_object[o.index()].get(d).copied().flatten()
            }
            Target::Synthetic(Synthetic::CallCtors) => self.call_ctors,
            Target::Synthetic(Synthetic::InitTls) => self.init_tls,
            Target::Synthetic(_) => None,
            Target::Undefined(id) => self.of_symbol[id.index()],
            Target::MismatchStub(n) => self.mismatch_stubs[n as usize],
        }
    }

    /// The import a call to symbol `index` of `oid` goes to when it names a definition
    /// another module may replace: a weak definition in `-shared` is imported as well, and
    /// called through the import (lld `shouldImport`); its export is the local body.
    pub fn preemptible_import(&self, res: &Resolved, oid: ObjectId, index: u32) -> Option<u32> {
        let crate::resolve::Binding::Global(id) = *res.object(oid).bindings.get(index as usize)?
        else {
            return None;
        };
        match res.sym(id).def {
            Def::Defined { .. } => self.of_symbol[id.index()],
            _ => None,
        }
    }

    /// Appends a defined function and returns its index.
    fn push(&mut self, f: OutFunction) -> u32 {
        self.defined.push(f);
        self.num_imported + self.defined.len() as u32 - 1
    }

    fn push_synthetic(&mut self, kind: SyntheticFunction, sig: FuncType) -> u32 {
        self.push(OutFunction::Synthetic {
            kind,
            sig,
            type_index: u32::MAX,
            body: Vec::new(),
        })
    }
}

/// Lays out the defined functions (the imported ones come first in the index space; their
/// per-symbol map is taken over from `imports`).
#[allow(clippy::too_many_arguments)]
pub fn layout_functions(
    config: &Config,
    res: &Resolved,
    live: &Live,
    features: &super::features::FeatureSet,
    imports: &mut Imports,
    undefined: &Undefined,
    scan: &Scan,
    init_funcs: &[InitFunc],
    export_syms: &[SymbolId],
    pic: PicFunctions,
) -> FunctionSpace {
    let mut space = FunctionSpace {
        num_imported: imports.functions,
        defined: Vec::new(),
        of_object: super::per_object(res, |o| o.functions.len()),
        of_symbol: std::mem::take(&mut imports.function_of_symbol),
        call_ctors: None,
        init_tls: None,
        mismatch_stubs: vec![None; res.mismatch_stubs.len()],
        init_memory: None,
        apply_data_relocs: None,
        apply_global_relocs: None,
        apply_tls_relocs: None,
        apply_global_tls_relocs: None,
        start_function: None,
        command_exports: Vec::new(),
    };
    // Whether it is kept was decided by GC (`Live::call_ctors`); there is none with `-r`.
    let ctors_slot = res.find("__wasm_call_ctors");
    let ctors =
        ctors_slot.filter(|&id| matches!(res.sym(id).def, Def::Synthetic(Synthetic::CallCtors)));
    if let (Some(ctors), true) = (ctors, live.call_ctors) {
        let idx = space.push_synthetic(SyntheticFunction::CallCtors, FuncType::default());
        space.call_ctors = Some(idx);
        space.of_symbol[ctors.index()] = Some(idx);
    }
    // __wasm_init_tls (shared memory): kept when referenced.
    let init_tls = res.find("__wasm_init_tls").filter(|id| {
        matches!(res.sym(*id).def, Def::Synthetic(Synthetic::InitTls)) && live.symbols[id.index()]
    });
    if let Some(id) = init_tls {
        let sig = res.sym(id).signature.clone().unwrap_or_default();
        let idx = space.push_synthetic(SyntheticFunction::InitTls, sig);
        space.init_tls = Some(idx);
        space.of_symbol[id.index()] = Some(idx);
    }
    for (n, stub) in res.mismatch_stubs.iter().enumerate() {
        if live.mismatch_stubs[n] {
            let kind = SyntheticFunction::SignatureMismatch(n as u32);
            space.mismatch_stubs[n] = Some(space.push_synthetic(kind, stub.signature.clone()));
        }
    }
    for &id in &undefined.weak_stubs {
        let sig = res.sym(id).signature.clone().unwrap_or_default();
        let idx = space.push_synthetic(SyntheticFunction::WeakStub(id), sig);
        space.of_symbol[id.index()] = Some(idx);
    }
    let first_undefined_stub = space.num_imported + space.defined.len() as u32;
    for sig in &scan.undefined_stubs {
        space.push_synthetic(SyntheticFunction::UndefinedStub, sig.clone());
    }
    for (id, n) in &scan.undefined_stub_of {
        space.of_symbol[id.index()] = Some(first_undefined_stub + *n as u32);
    }
    // lld's createSyntheticInitFunctions order: data relocations, memory, the TLS global and
    // data relocations, global relocations, then `__wasm_start` when both memory and global
    // relocations need code.
    let nullary = |space: &mut FunctionSpace, kind| space.push_synthetic(kind, FuncType::default());
    if pic.data_relocs {
        space.apply_data_relocs = Some(nullary(&mut space, SyntheticFunction::ApplyDataRelocs));
    }
    if needs_init_memory(config, res, live, features) {
        space.init_memory = Some(nullary(&mut space, SyntheticFunction::InitMemory));
    }
    if pic.global_tls_relocs {
        let kind = SyntheticFunction::ApplyGlobalTlsRelocs;
        space.apply_global_tls_relocs = Some(nullary(&mut space, kind));
    }
    if pic.tls_relocs {
        space.apply_tls_relocs = Some(nullary(&mut space, SyntheticFunction::ApplyTlsRelocs));
    }
    if pic.global_relocs {
        space.apply_global_relocs = Some(nullary(&mut space, SyntheticFunction::ApplyGlobalRelocs));
    }
    if space.apply_global_relocs.is_some() && space.init_memory.is_some() {
        space.start_function = Some(nullary(&mut space, SyntheticFunction::Start));
    }
    for (oi, alive) in live.functions.iter().enumerate() {
        for f in (0..alive.len()).filter(|&f| alive[f]) {
            space.of_object[oi][f] = Some(space.push(OutFunction::Object {
                object: ObjectId::new(oi),
                index: f as u32,
            }));
        }
    }
    // Not in a PIC output, whose loader calls `__wasm_call_ctors` (lld
    // `createCommandExportWrappers` runs for a non-PIC command only).
    let wrap = !config.is_pic()
        && ctors_slot.is_some_and(|c| wants_command_exports(config, res, init_funcs, c));
    if wrap {
        for &id in export_syms {
            let s = res.sym(id);
            if s.kind == SymbolKind::Function && matches!(s.def, Def::Defined { .. }) {
                let sig = s.signature.clone().unwrap_or_default();
                let idx = space.push_synthetic(SyntheticFunction::CommandExport(id), sig);
                space.command_exports.push((id, idx));
            }
        }
    }
    space
}

/// A command (no input refers to `__wasm_call_ctors` and it is not exported) that has
/// constructors or destructors gets a `NAME.command_export` wrapper for each exported function:
/// it calls the constructors, the function, then `__wasm_call_dtors` (lld
/// `Writer::createCommandExportWrappers`). Any non-local reference counts, even from dead code.
fn wants_command_exports(
    config: &Config,
    res: &Resolved,
    init_funcs: &[InitFunc],
    ctors: SymbolId,
) -> bool {
    let referenced = res.objects.iter().any(|o| {
        o.obj
            .symbols
            .iter()
            .any(|s| s.name == "__wasm_call_ctors" && !s.is_local())
    });
    !referenced
        && !gc::is_exported(config, res, ctors)
        && (!init_funcs.is_empty() || res.call_dtors.is_some())
}

/// Whether `__wasm_init_memory` is needed: with shared memory, when any segment is live (every
/// segment is passive and initialised at start-up); with an imported memory and bulk-memory,
/// when a live segment is bss (it is cleared at start-up instead of being written).
fn needs_init_memory(
    config: &Config,
    res: &Resolved,
    live: &Live,
    features: &super::features::FeatureSet,
) -> bool {
    // An object initialises nothing: lld's createSyntheticInitFunctions returns with `-r`.
    if config.relocatable {
        return false;
    }
    let any_live_segment = |bss_only: bool| {
        res.objects.iter().enumerate().any(|(oi, o)| {
            o.obj.data_segments.iter().enumerate().any(|(si, seg)| {
                live.segments[oi][si]
                    && (!bss_only || memory::is_bss_name(config, seg.name, seg.is_thread_local()))
            })
        })
    };
    if config.shared_memory {
        return any_live_segment(false);
    }
    config.import_memory.is_some() && features.has("bulk-memory") && any_live_segment(true)
}
