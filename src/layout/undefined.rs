//! Layout step: what becomes of each undefined symbol that survived GC. A weak undefined
//! function gets an `undefined_weak:` stub; other weak undefined symbols are address 0 or
//! absent; an undefined symbol that may be imported becomes an import; the rest are errors,
//! or `undefined_stub`s, reported by the relocation scan (`scan.rs`) where a relocation
//! reaches them, as lld reports them from `scanRelocations`.

use crate::args::{Config, UnresolvedPolicy};
use crate::gc::Live;
use crate::object::SymbolKind;
use crate::resolve::{Def, GlobalSymbol, Resolved, SymbolId};
use rustc_hash::FxHashMap as HashMap;

/// The fate of the live undefined symbols.
pub struct Undefined {
    /// Symbols that become imports, in symbol order (the import order).
    pub importable: Vec<SymbolId>,
    /// Per global symbol: whether it is in `importable`.
    pub is_importable: Vec<bool>,
    /// Weak undefined functions that get an `undefined_weak:` stub, in symbol order.
    pub weak_stubs: Vec<SymbolId>,
}

/// Classifies every undefined global symbol. `__start_X`/`__stop_X` symbols that name an
/// output segment (`bounds`) are defined by the memory layout and are not undefined.
///
/// Weak undefined symbols are never imported nor reported. Those that resolution gave an
/// `undefined_weak:` stub (lld `handleWeakUndefines`) keep it when GC kept the symbol (it is
/// called), and always without `--gc-sections`.
pub fn classify(
    config: &Config,
    res: &Resolved,
    live: &Live,
    bounds: &HashMap<SymbolId, u64>,
) -> Undefined {
    let mut out = Undefined {
        importable: Vec::new(),
        is_importable: vec![false; res.symbols.len()],
        weak_stubs: Vec::new(),
    };
    let bound = if config.relocatable {
        bound_slots(res)
    } else {
        Vec::new()
    };
    for (i, s) in res.symbols.iter().enumerate() {
        let id = SymbolId::new(i);
        if s.is_defined() || bounds.contains_key(&id) {
            continue;
        }
        if config.relocatable {
            if imported_by_object(s) && bound[i] {
                out.importable.push(id);
                out.is_importable[i] = true;
            }
            continue;
        }
        // A PIC output imports them: the loader may find a definition (lld `shouldImport`).
        if is_weak_undefined(s) && config.is_pic() {
            if live.symbols[i] {
                out.importable.push(id);
                out.is_importable[i] = true;
            }
            continue;
        }
        if is_weak_undefined(s) {
            // Resolution decided which get a stub (`GlobalSymbol::weak_stub`); GC whether it
            // is kept.
            if s.weak_stub && (live.symbols[i] || !config.gc_sections) {
                out.weak_stubs.push(id);
            }
            continue;
        }
        if live.symbols[i] && allow_undefined(config, s) {
            out.importable.push(id);
            out.is_importable[i] = true;
        }
    }
    out
}

/// With `-r`, every undefined symbol an object refers to is imported, weak ones too, except
/// data, which stays an undefined symbol of the output (lld `shouldImport`, for a
/// relocatable output). No GC runs with `-r`, so every reference counts. A weak reference to
/// an archive member never loaded is an undefined weak function by then (lld
/// `demoteLazySymbols`); a member no object refers to is not a symbol of the output.
pub fn imported_by_object(s: &GlobalSymbol) -> bool {
    let referenced = match s.def {
        Def::Undefined { .. } => true,
        Def::Lazy { weak, .. } => weak && s.kind == SymbolKind::Function,
        _ => false,
    };
    referenced && s.kind != SymbolKind::Data
}

/// Per global slot: whether some object's symbol is bound to it. After `--wrap`, nothing is
/// bound to `__real_NAME` (its references go to NAME): with `-r` it is neither imported nor
/// in the symbol table, as rust-lld shows.
pub fn bound_slots(res: &Resolved) -> Vec<bool> {
    let mut bound = vec![false; res.symbols.len()];
    for o in &res.objects {
        for b in &o.bindings {
            if let crate::resolve::Binding::Global(id) = b {
                bound[id.index()] = true;
            }
        }
    }
    bound
}

/// A weak undefined symbol, or a weak reference to an archive member never loaded.
pub fn is_weak_undefined(s: &GlobalSymbol) -> bool {
    s.is_weak() || matches!(s.def, Def::Lazy { weak: true, .. })
}

/// Whether an undefined symbol may become an import (lld `Symbol::isImported` with
/// `allowUndefined`): one with an explicit import name or provided by a stub library; a function under `--allow-undefined`
/// or `--import-undefined`; anything but data under `--allow-undefined`; any symbol named in
/// `--allow-undefined-file`; everything under `--unresolved-symbols=import-dynamic`.
fn allow_undefined(config: &Config, s: &GlobalSymbol) -> bool {
    // A shared library's symbol is imported: the loader finds it there.
    if s.import_name.is_some() || s.force_import || matches!(s.def, Def::Shared { .. }) {
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
