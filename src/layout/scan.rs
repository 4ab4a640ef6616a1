//! Layout step: the relocation scan (lld `scanRelocations`). One pass over the relocations of
//! every live function and data segment, in object order, decides four things in scan order:
//! which function types are registered for `call_indirect` (`TYPE_INDEX_LEB`), which functions
//! take an indirect-table slot (`TABLE_INDEX_*`), which symbols get an internal GOT entry
//! (`GLOBAL_INDEX_*` against data or functions), and which undefined symbols are reported (or
//! get an `undefined_stub`). Custom sections' relocations only register types.

use super::memory::MemoryLayout;
use super::undefined::{is_weak_undefined, Undefined};
use super::{customs::skip_custom, Target, TypeTable};
use crate::args::{Config, UnresolvedPolicy};
use crate::error::Diagnostic;
use crate::gc::Live;
use crate::object::{FuncType, Reloc, RelocType, SymbolKind, WASM_SYM_VISIBILITY_HIDDEN};
use crate::resolve::{Def, ObjectId, Resolved, SymbolId, Synthetic};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// What the scan found, each list in scan order.
#[derive(Default)]
pub struct Scan {
    /// Functions whose address is taken: they get indirect-table slots in this order.
    pub slot_targets: Vec<Target>,
    /// Internal GOT entries: target, its symbol's kind and name.
    pub got_targets: Vec<(Target, SymbolKind, String)>,
    /// Imported GOT entries (`GOT.mem.NAME`, `GOT.func.NAME`) of symbols whose address only
    /// the dynamic loader knows ([`requires_got_access`]): target, kind and name.
    pub got_imports: Vec<(Target, SymbolKind, String)>,
    /// The targets of `got_imports`, for lookups ([`Scan::is_got_import`]).
    got_import_set: HashSet<Target>,
    /// Signatures of the `undefined_stub` functions, in creation order.
    pub undefined_stubs: Vec<FuncType>,
    /// Undefined functions that call an `undefined_stub` (`--unresolved-symbols=ignore-all`,
    /// `--warn-unresolved-symbols`): symbol -> stub number.
    pub undefined_stub_of: HashMap<SymbolId, usize>,
    /// The scan's errors (`undefined symbol`, relocations a PIC output cannot express) and
    /// warnings (`undefined symbol` under `--warn-unresolved-symbols`), in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

impl Scan {
    /// Whether `t` has an imported GOT entry: its address is the loader's to give, and a
    /// definition of it may be preempted by another module.
    pub fn is_got_import(&self, t: Target) -> bool {
        self.got_import_set.contains(&t)
    }
}

/// Scans the live relocations; every error (`undefined symbol`, a TLS relocation that
/// cannot be resolved) and warning goes to [`Scan::diagnostics`], in wasm-ld's order.
pub fn scan_relocations(
    config: &Config,
    res: &Resolved,
    live: &Live,
    (memory, bounds, undefined): (&MemoryLayout, &HashMap<SymbolId, u64>, &Undefined),
    types: &mut TypeTable,
) -> Scan {
    let mut scanner = Scanner {
        config,
        res,
        memory,
        bounds,
        undefined,
        scan: Scan::default(),
        reported: vec![false; res.symbols.len()],
        slot_seen: HashSet::default(),
        got_seen: HashSet::default(),
    };
    for (oi, o) in res.objects.iter().enumerate() {
        let oid = ObjectId::new(oi);
        let obj = &o.obj;
        for f in (0..obj.functions.len()).filter(|&f| live.functions[oi][f]) {
            scanner.visit(oid, obj.function_relocs(f), types);
        }
        for s in (0..obj.data_segments.len()).filter(|&s| live.segments[oi][s]) {
            scanner.visit(oid, obj.segment_relocs(s), types);
        }
        for (ci, c) in obj.custom_sections.iter().enumerate() {
            if o.discarded_customs[ci] || skip_custom(config, c.name) {
                continue;
            }
            for r in c
                .relocs
                .iter()
                .filter(|r| r.ty == RelocType::TYPE_INDEX_LEB)
            {
                types.register_object_type(res, oid, r.index);
            }
        }
    }
    scanner.scan
}

struct Scanner<'a, 'data> {
    config: &'a Config,
    res: &'a Resolved<'data>,
    memory: &'a MemoryLayout<'data>,
    bounds: &'a HashMap<SymbolId, u64>,
    undefined: &'a Undefined,
    scan: Scan,
    /// Per global symbol: already reported as undefined (its stub is made then).
    reported: Vec<bool>,
    slot_seen: HashSet<Target>,
    got_seen: HashSet<Target>,
}

impl Scanner<'_, '_> {
    fn error(&mut self, msg: String) {
        self.scan.diagnostics.push(Diagnostic::Error(msg));
    }

    fn visit(&mut self, oid: ObjectId, relocs: &[Reloc], types: &mut TypeTable) {
        let obj = &self.res.object(oid).obj;
        for r in relocs {
            if r.ty == RelocType::TYPE_INDEX_LEB {
                types.register_object_type(self.res, oid, r.index);
                continue;
            }
            let t = self.res.target(oid, r.index);
            if matches!(
                r.ty,
                RelocType::MEMORY_ADDR_TLS_SLEB | RelocType::MEMORY_ADDR_TLS_SLEB64
            ) {
                self.check_tls(oid, r.ty, t);
            }
            self.check_undefined_relative(oid, r.ty, t);
            self.check_pic(oid, r.ty, t, obj.symbols[r.index as usize].name);
            if let Target::Undefined(id) = t {
                if !self.bounds.contains_key(&id) {
                    self.report_undefined(oid, id);
                }
            }
            let sym = &obj.symbols[r.index as usize];
            if matches!(
                r.ty,
                RelocType::GLOBAL_INDEX_LEB | RelocType::GLOBAL_INDEX_I32
            ) {
                // In a static link a PIC object's `__memory_base`/`__table_base` are data
                // symbols (see resolve's `add_optional`): their `global.get` is a GOT entry.
                let is_got = sym.kind != SymbolKind::Global
                    || (!self.config.is_pic()
                        && matches!(
                            t,
                            Target::Synthetic(Synthetic::MemoryBase | Synthetic::TableBase)
                        ));
                if is_got {
                    self.add_got(t, sym.kind, sym.name);
                }
            } else if r.ty.is_table_index() {
                // Stubs and weak undefined functions are address 0: no slot; nor has a
                // function whose address the loader gives (lld `scanRelocations`).
                let imported = match t {
                    Target::Undefined(id) => self.undefined.is_importable[id.index()],
                    _ => true,
                };
                if imported && !self.requires_got_access(t) {
                    self.add_slot(t);
                }
            }
            // A pointer in data to a symbol only the loader can place: its GOT entry is
            // what `__wasm_apply_data_relocs` stores.
            let in_data = matches!(
                r.ty,
                RelocType::TABLE_INDEX_I32
                    | RelocType::TABLE_INDEX_I64
                    | RelocType::MEMORY_ADDR_I32
                    | RelocType::MEMORY_ADDR_I64
            );
            if in_data && self.dynamic_relocs(t) && self.requires_got_access(t) {
                self.add_got(t, sym.kind, sym.name);
            }
        }
    }

    /// A GOT entry for `t`: imported when the loader must give the address
    /// ([`Self::requires_got_access`], lld `ImportSection::addGOTEntry`), else internal (lld
    /// `GlobalSection::addInternalGOTEntry`), where a function's entry holds its table slot,
    /// so it takes one. Each target gets one entry, in scan order.
    fn add_got(&mut self, t: Target, kind: SymbolKind, name: &str) {
        if !self.got_seen.insert(t) {
            return;
        }
        if self.requires_got_access(t) {
            self.scan.got_imports.push((t, kind, name.to_string()));
            self.scan.got_import_set.insert(t);
            return;
        }
        self.scan.got_targets.push((t, kind, name.to_string()));
        if kind == SymbolKind::Function {
            self.add_slot(t);
        }
    }

    /// Whether relocations against `t` are resolved by the dynamic loader: in a PIC output
    /// all of them, with `--unresolved-symbols=import-dynamic` those against undefined
    /// symbols (lld `scanRelocations`).
    fn dynamic_relocs(&self, t: Target) -> bool {
        let Target::Undefined(id) = t else {
            return self.config.is_pic();
        };
        self.config.is_pic()
            || (self.config.unresolved == UnresolvedPolicy::ImportDynamic
                && !self.bounds.contains_key(&id))
            || self.is_shared(t)
    }

    /// Whether `t` is a shared library's symbol.
    fn is_shared(&self, t: Target) -> bool {
        matches!(t, Target::Undefined(id) if matches!(self.res.sym(id).def, Def::Shared { .. }))
    }

    /// lld's `requiresGOTAccess`: whether only the dynamic loader can know `t`'s address, so
    /// it is reached through an imported GOT entry. Always for a shared library's symbol;
    /// never in a static link (unless
    /// `--unresolved-symbols=import-dynamic`); never for hidden or local symbols; for a
    /// definition, only in `-shared` without `-Bsymbolic` (where another module may preempt
    /// it); always for an undefined symbol.
    fn requires_got_access(&self, t: Target) -> bool {
        let config = self.config;
        if self.is_shared(t) {
            return true;
        }
        if !config.is_pic() && config.unresolved != UnresolvedPolicy::ImportDynamic {
            return false;
        }
        match t {
            Target::Undefined(id) => {
                !self.bounds.contains_key(&id) && !self.res.sym(id).is_hidden()
            }
            Target::Defined(o, i) => {
                let sym = &self.res.object(o).obj.symbols[i as usize];
                let hidden = sym.is_local() || sym.flags & WASM_SYM_VISIBILITY_HIDDEN != 0;
                !hidden && config.shared && !config.bsymbolic
            }
            Target::Synthetic(_) | Target::MismatchStub(_) => false,
        }
    }

    /// lld's checks of a TLS relocation in `scanRelocations`: its symbol must be defined;
    /// with shared memory (where TLS is real), a data symbol must live in a TLS output
    /// segment (without it, TLS is lowered away and any data will do).
    fn check_tls(&mut self, oid: ObjectId, ty: RelocType, t: Target) {
        let file = &self.res.object(oid).name;
        let shown = |name: &str| crate::demangle::demangle(self.config, name);
        match t {
            // A shared library's symbol is data the loader finds, never thread-local (lld
            // reads no TLS flag from a library).
            Target::Undefined(id) if self.is_shared(t) => {
                let name = shown(self.res.sym(id).name);
                self.error(format!(
                    "{file}: relocation {} cannot be used against non-TLS symbol `{name}`",
                    ty.name()
                ));
            }
            Target::Undefined(id) if !self.bounds.contains_key(&id) => {
                let name = shown(self.res.sym(id).name);
                self.error(format!(
                    "{file}: relocation {} cannot be used against an undefined symbol `{name}`",
                    ty.name()
                ));
            }
            Target::Defined(def, index) if self.config.shared_memory => {
                let sym = &self.res.object(def).obj.symbols[index as usize];
                let Some(place) = sym.data.filter(|_| sym.kind == SymbolKind::Data) else {
                    return;
                };
                let out = self.memory.output_segment(def, place.segment as usize);
                if let Some(out) = out.filter(|s| !s.is_tls) {
                    self.error(format!(
                        "{file}: relocation {} cannot be used against `{}` in non-TLS section: {}",
                        ty.name(),
                        shown(sym.name),
                        out.name
                    ));
                }
            }
            _ => {}
        }
    }

    /// lld's `scanRelocations` in a PIC output: a base-relative relocation (`@MBREL`,
    /// `@TBREL`) needs a definition in this module.
    fn check_undefined_relative(&mut self, oid: ObjectId, ty: RelocType, t: Target) {
        let relative = matches!(
            ty,
            RelocType::TABLE_INDEX_REL_SLEB
                | RelocType::TABLE_INDEX_REL_SLEB64
                | RelocType::MEMORY_ADDR_REL_SLEB
                | RelocType::MEMORY_ADDR_REL_SLEB64
        );
        let Target::Undefined(id) = t else {
            return;
        };
        if !self.config.is_pic() || !relative || self.bounds.contains_key(&id) {
            return;
        }
        let name = crate::demangle::demangle(self.config, self.res.sym(id).name);
        self.error(format!(
            "{}: relocation {} is not supported against an undefined symbol `{name}`",
            self.res.object(oid).name,
            ty.name()
        ));
    }

    /// lld's `scanRelocations` where the loader resolves relocations ([`Self::dynamic_relocs`]):
    /// one that needs an absolute address or table index at link time, in code, cannot be
    /// resolved: "recompile with -fPIC".
    fn check_pic(&mut self, oid: ObjectId, ty: RelocType, t: Target, name: &str) {
        let needs_address = matches!(
            ty,
            RelocType::TABLE_INDEX_SLEB
                | RelocType::TABLE_INDEX_SLEB64
                | RelocType::MEMORY_ADDR_SLEB
                | RelocType::MEMORY_ADDR_LEB
                | RelocType::MEMORY_ADDR_SLEB64
                | RelocType::MEMORY_ADDR_LEB64
        );
        if !needs_address || !self.dynamic_relocs(t) {
            return;
        }
        let name = crate::demangle::demangle(self.config, name);
        self.error(format!(
            "{}: relocation {} cannot be used against symbol `{name}`; recompile with -fPIC",
            self.res.object(oid).name,
            ty.name()
        ));
    }

    fn add_slot(&mut self, t: Target) {
        if self.slot_seen.insert(t) {
            self.scan.slot_targets.push(t);
        }
    }

    /// Every relocation that reaches an undefined symbol which is neither weak nor imported
    /// reports it, as lld's `scanRelocations` calls `reportUndefined` for each one (so a
    /// symbol used three times in a file is reported three times, against that file): an
    /// error, or a warning with `--warn-unresolved-symbols`. With those or
    /// `--unresolved-symbols=ignore-all`, a function is then called through an
    /// `undefined_stub` of its signature, made at its first report (one stub per distinct
    /// signature, in creation order). (Weakly undefined globals never get here: the object
    /// parser refuses them, as LLVM's does.)
    fn report_undefined(&mut self, oid: ObjectId, id: SymbolId) {
        let s = self.res.sym(id);
        // An object may leave symbols undefined: nothing is reported with `-r` (lld's
        // `reportUndefined` is for final links only).
        if self.config.relocatable
            || is_weak_undefined(s)
            || self.undefined.is_importable[id.index()]
        {
            return;
        }
        let msg = format!(
            "{}: undefined symbol: {}",
            self.res.object(oid).name,
            crate::demangle::demangle(self.config, s.name)
        );
        let ignore = self.config.unresolved == UnresolvedPolicy::IgnoreAll;
        if self.config.warn_unresolved {
            self.scan.diagnostics.push(Diagnostic::Warning(msg));
        } else if !ignore {
            self.error(msg);
        }
        let first = !std::mem::replace(&mut self.reported[id.index()], true);
        if first && s.kind == SymbolKind::Function && (ignore || self.config.warn_unresolved) {
            let sig = s.signature.clone().unwrap_or_default();
            let stubs = &mut self.scan.undefined_stubs;
            let n = stubs.iter().position(|x| *x == sig).unwrap_or_else(|| {
                stubs.push(sig);
                stubs.len() - 1
            });
            self.scan.undefined_stub_of.insert(id, n);
        }
    }
}
