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
use crate::gc::Live;
use crate::object::{FuncType, Reloc, RelocType, SymbolKind};
use crate::resolve::{ObjectId, Resolved, SymbolId, Synthetic};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// What the scan found, each list in scan order.
#[derive(Default)]
pub struct Scan {
    /// Functions whose address is taken: they get indirect-table slots in this order.
    pub slot_targets: Vec<Target>,
    /// Internal GOT entries: target, its symbol's kind and name.
    pub got_targets: Vec<(Target, SymbolKind, String)>,
    /// Signatures of the `undefined_stub` functions, in creation order.
    pub undefined_stubs: Vec<FuncType>,
    /// Undefined functions that call an `undefined_stub` (`--unresolved-symbols=ignore-all`,
    /// `--warn-unresolved-symbols`): symbol -> stub number.
    pub undefined_stub_of: HashMap<SymbolId, usize>,
    /// `undefined symbol` warnings under `--warn-unresolved-symbols`.
    pub warnings: Vec<String>,
}

/// Scans the live relocations; every error (`undefined symbol`, a TLS relocation that
/// cannot be resolved) goes to `errors`, in wasm-ld's order.
pub fn scan_relocations(
    config: &Config,
    res: &Resolved,
    live: &Live,
    (memory, bounds, undefined): (&MemoryLayout, &HashMap<SymbolId, u64>, &Undefined),
    types: &mut TypeTable,
    errors: &mut Vec<String>,
) -> Scan {
    let mut scanner = Scanner {
        config,
        res,
        memory,
        bounds,
        undefined,
        scan: Scan::default(),
        errors: Vec::new(),
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
    errors.append(&mut scanner.errors);
    scanner.scan
}

struct Scanner<'a, 'data> {
    config: &'a Config,
    res: &'a Resolved<'data>,
    memory: &'a MemoryLayout<'data>,
    bounds: &'a HashMap<SymbolId, u64>,
    undefined: &'a Undefined,
    scan: Scan,
    errors: Vec<String>,
    /// Per global symbol: already reported as undefined (its stub is made then).
    reported: Vec<bool>,
    slot_seen: HashSet<Target>,
    got_seen: HashSet<Target>,
}

impl Scanner<'_, '_> {
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
            self.check_import_dynamic(oid, r.ty, t);
            if let Target::Undefined(id) = t {
                if !self.bounds.contains_key(&id) {
                    self.report_undefined(oid, id);
                }
            }
            if matches!(
                r.ty,
                RelocType::GLOBAL_INDEX_LEB | RelocType::GLOBAL_INDEX_I32
            ) {
                let sym = &obj.symbols[r.index as usize];
                let is_got = sym.kind != SymbolKind::Global
                    || matches!(
                        t,
                        Target::Synthetic(Synthetic::MemoryBase | Synthetic::TableBase)
                    );
                // A function's GOT entry holds its table slot, so it takes one too.
                if is_got && self.got_seen.insert(t) {
                    self.scan
                        .got_targets
                        .push((t, sym.kind, sym.name.to_string()));
                    if sym.kind == SymbolKind::Function {
                        self.add_slot(t);
                    }
                }
            } else if r.ty.is_table_index() {
                // Stubs and weak undefined functions are address 0: no slot.
                let imported = match t {
                    Target::Undefined(id) => self.undefined.is_importable[id.index()],
                    _ => true,
                };
                if imported {
                    self.add_slot(t);
                }
            }
        }
    }

    /// lld's checks of a TLS relocation in `scanRelocations`: its symbol must be defined;
    /// with shared memory (where TLS is real), a data symbol must live in a TLS output
    /// segment (without it, TLS is lowered away and any data will do).
    fn check_tls(&mut self, oid: ObjectId, ty: RelocType, t: Target) {
        let file = &self.res.object(oid).name;
        let shown = |name: &str| crate::demangle::demangle(self.config, name);
        match t {
            Target::Undefined(id) if !self.bounds.contains_key(&id) => {
                let name = shown(self.res.sym(id).name);
                self.errors.push(format!(
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
                    self.errors.push(format!(
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

    /// lld's `scanRelocations` with `--unresolved-symbols=import-dynamic`: an undefined
    /// symbol will be imported at run time, so a relocation that needs its absolute address
    /// or table index at link time (in code) cannot be resolved: "recompile with -fPIC".
    fn check_import_dynamic(&mut self, oid: ObjectId, ty: RelocType, t: Target) {
        let Target::Undefined(id) = t else {
            return;
        };
        let needs_address = matches!(
            ty,
            RelocType::TABLE_INDEX_SLEB
                | RelocType::TABLE_INDEX_SLEB64
                | RelocType::MEMORY_ADDR_SLEB
                | RelocType::MEMORY_ADDR_LEB
                | RelocType::MEMORY_ADDR_SLEB64
                | RelocType::MEMORY_ADDR_LEB64
        );
        if self.config.unresolved != UnresolvedPolicy::ImportDynamic
            || !needs_address
            || self.bounds.contains_key(&id)
        {
            return;
        }
        let name = crate::demangle::demangle(self.config, self.res.sym(id).name);
        self.errors.push(format!(
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
            self.scan.warnings.push(msg);
        } else if !ignore {
            self.errors.push(msg);
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
