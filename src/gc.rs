//! Stage `gc`: mark what is live, from the roots through relocations, as lld's `markLive`
//! (MarkLive.cpp) does. GC works on whole functions, data segments, globals, tables and tags.
//!
//! Roots: the entry symbol; every exported symbol (`--export`, EXPORTED flag,
//! `--export-dynamic` non-hidden, `--export-all`); every non-local NO_STRIP symbol;
//! `__wasm_call_dtors` when found; and the init functions and RETAIN segments of every live
//! object. Command-line objects are live from the start; an archive member becomes live when
//! one of its symbols is marked. A live chunk (function, data segment, global, ...) marks the
//! targets of all its relocations. Custom sections are not traversed: debug info does not keep
//! code alive. A table-index relocation against a weak undefined function's stub does not
//! keep the stub. With `--no-gc-sections` every chunk of every loaded object is live.
//!
//! Also decided here, once, from what is live: whether `__wasm_call_ctors` is kept
//! ([`Live::call_ctors`]) and whether the output has an indirect function table
//! ([`Live::table_needed`]). [`removed`] lists what GC dropped, worded and ordered as
//! wasm-ld's `--print-gc-sections`.

use crate::args::Config;
use crate::object::SymbolKind;
use crate::resolve::{Binding, Def, ObjectId, Resolved, SymbolId, Synthetic, Target};
use std::ops::Range;

/// Liveness: what GC kept, and the two decisions made from it.
pub struct Live {
    /// Per object: live objects (archive members only become live through a symbol).
    pub objects: Vec<bool>,
    /// Per object, per defined function.
    pub functions: Vec<Vec<bool>>,
    pub segments: Vec<Vec<bool>>,
    pub globals: Vec<Vec<bool>>,
    pub tables: Vec<Vec<bool>>,
    pub tags: Vec<Vec<bool>>,
    /// Per global symbol slot.
    pub symbols: Vec<bool>,
    /// Per signature-mismatch stub.
    pub mismatch_stubs: Vec<bool>,
    /// Whether `__wasm_call_ctors` is kept ([`call_ctors_live`]).
    pub call_ctors: bool,
    /// Whether the linker's own `__indirect_function_table` symbol is live: the table is then
    /// made (imported with `--import-table`, else defined). See [`Live::table_needed`].
    pub indirect_table_symbol: bool,
}

impl Live {
    /// Whether the output has an indirect function table: when the linker's table symbol is
    /// live (some live input uses it, or `--export-table` roots it), when the table has
    /// entries (`has_elements`: a live table-index relocation gave a function a slot), when
    /// an input built by an older compiler imports `env.__indirect_function_table` without a
    /// table symbol, or when `--export-table` asks for it. With `--import-table` the table
    /// is imported, else the linker defines it. This is lld's `resolveIndirectFunctionTable`
    /// (called after `markLive`, and again with `required` when a slot is assigned) together
    /// with `addLegacyIndirectFunctionTableIfNeeded` (InputFiles.cpp) for the old objects.
    pub fn table_needed(&self, config: &Config, res: &Resolved, has_elements: bool) -> bool {
        has_elements
            || self.indirect_table_symbol
            || config.export_table
            || res.objects.iter().any(|o| {
                o.obj.imports.iter().any(|i| {
                    i.field == Synthetic::IndirectFunctionTable.name()
                        && matches!(i.ty, wasmparser::TypeRef::Table(_))
                }) && !o.obj.symbols.iter().any(|s| s.kind == SymbolKind::Table)
            })
    }
}

/// Whether a global symbol is exported (lld `Symbol::isExported`).
pub fn is_exported(config: &Config, res: &Resolved, id: SymbolId) -> bool {
    let s = res.sym(id);
    if !s.is_defined() || s.flags & crate::object::WASM_SYM_BINDING_LOCAL != 0 {
        return false;
    }
    // The linker's symbols that stand for imports are not definitions of this module.
    match s.def {
        Def::Synthetic(syn) if config.is_pic() && syn.is_pic_import() => return false,
        Def::Synthetic(Synthetic::IndirectFunctionTable) if config.import_table => return false,
        _ => {}
    }
    if config.export_all || (config.export_dynamic && !s.is_hidden()) {
        return true;
    }
    s.force_export || s.flags & crate::object::WASM_SYM_EXPORTED != 0
}

struct Marker<'a, 'data> {
    res: &'a Resolved<'data>,
    live: Live,
    /// Work list of (object, object symbol index) definitions to process.
    queue: Vec<(ObjectId, u32)>,
}

pub fn mark(config: &Config, res: &Resolved) -> Live {
    let n = res.objects.len();
    let mut live = Live {
        objects: vec![false; n],
        functions: Vec::with_capacity(n),
        segments: Vec::with_capacity(n),
        globals: Vec::with_capacity(n),
        tables: Vec::with_capacity(n),
        tags: Vec::with_capacity(n),
        symbols: vec![false; res.symbols.len()],
        mismatch_stubs: vec![false; res.mismatch_stubs.len()],
        call_ctors: false,
        indirect_table_symbol: false,
    };
    let all = !config.gc_sections;
    // With --no-gc-sections every chunk is live, including the bodies and segments of COMDAT
    // copies that lost (their symbols bind to the kept copy, but wasm-ld 22 still emits them;
    // found by the differential fuzzer, testsuite/fuzz-found/comdat-discarded-kept-no-gc).
    for o in &res.objects {
        let obj = &o.obj;
        live.functions.push(vec![all; o.obj.functions.len()]);
        live.segments.push(vec![all; o.obj.data_segments.len()]);
        live.globals.push(vec![all; obj.globals.len()]);
        live.tables.push(vec![all; obj.tables.len()]);
        live.tags.push(vec![all; obj.tags.len()]);
    }
    let mut m = Marker {
        res,
        live,
        queue: Vec::new(),
    };
    if all {
        // Everything is live: still walk the relocations so that undefined symbols that are
        // referenced count as live (they become imports or stubs).
        for i in 0..n {
            m.mark_object(ObjectId::new(i));
            let obj = &res.objects[i].obj;
            for f in 0..obj.functions.len() {
                if m.live.functions[i][f] {
                    m.mark_relocs(ObjectId::new(i), true, obj.functions[f].relocs.range());
                }
            }
            for s in 0..obj.data_segments.len() {
                if m.live.segments[i][s] {
                    m.mark_relocs(ObjectId::new(i), false, obj.data_segments[s].relocs.range());
                }
            }
        }
        for (i, s) in res.symbols.iter().enumerate() {
            if s.is_defined() || matches!(s.def, Def::Synthetic(_)) {
                m.mark_symbol(SymbolId::new(i));
            }
        }
        m.drain();
        return m.finish(config);
    }

    if let Some(id) = res.entry {
        m.mark_symbol(id);
    }
    for i in 0..res.symbols.len() {
        let id = SymbolId::new(i);
        let s = res.sym(id);
        if s.flags & crate::object::WASM_SYM_NO_STRIP != 0 && s.is_defined()
            || is_exported(config, res, id)
        {
            m.mark_symbol(id);
        }
    }
    if let Some(d) = res.call_dtors {
        m.mark_symbol(d);
    }
    // A PIC output always imports its bases (lld's createSyntheticSymbols marks them live).
    if config.is_pic() {
        for syn in [Synthetic::MemoryBase, Synthetic::TableBase] {
            if let Some(id) = res.find(syn.name()) {
                m.mark_symbol(id);
            }
        }
    }
    for (i, o) in res.objects.iter().enumerate() {
        if !o.from_archive {
            m.mark_object(ObjectId::new(i));
        }
    }
    m.drain();
    m.finish(config)
}

impl Marker<'_, '_> {
    /// Once marking is done: the decisions made from what is live.
    fn finish(mut self, config: &Config) -> Live {
        self.live.call_ctors = call_ctors_live(config, self.res, &self.live);
        self.live.indirect_table_symbol = self
            .res
            .find(Synthetic::IndirectFunctionTable.name())
            .is_some_and(|id| {
                matches!(
                    self.res.sym(id).def,
                    Def::Synthetic(Synthetic::IndirectFunctionTable)
                ) && self.live.symbols[id.index()]
            });
        self.live
    }

    fn mark_symbol(&mut self, id: SymbolId) {
        let slot = id.index();
        if self.live.symbols[slot] {
            return;
        }
        self.live.symbols[slot] = true;
        self.mark_target(self.res.slot_target(id));
    }

    /// A definition becomes live: queued to mark what it refers to.
    fn mark_target(&mut self, target: Target) {
        match target {
            Target::Defined(object, index) => self.queue.push((object, index)),
            Target::MismatchStub(n) => self.live.mismatch_stubs[n as usize] = true,
            Target::Synthetic(_) | Target::Undefined(_) => {}
        }
    }

    /// An object becomes live: its init functions and retained segments are roots.
    fn mark_object(&mut self, oid: ObjectId) {
        let oi = oid.index();
        if self.live.objects[oi] {
            return;
        }
        self.live.objects[oi] = true;
        let o = &self.res.objects[oi];
        for init in &o.obj.init_funcs {
            self.mark_object_symbol(oid, init.symbol);
        }
        for (si, seg) in o.obj.data_segments.iter().enumerate() {
            if seg.is_retained() && !o.discarded_segments[si] {
                self.mark_segment(oid, si);
            }
        }
    }

    /// Symbol `index` of object `oid` is used: a global one marks its slot (which marks the
    /// definition), any other marks what [`Resolved::target`] says it stands for.
    fn mark_object_symbol(&mut self, oid: ObjectId, index: u32) {
        match self.res.objects[oid.index()].bindings.get(index as usize) {
            Some(Binding::Global(id)) => self.mark_symbol(*id),
            // An undefined variant is left only after an error; it marks nothing.
            Some(Binding::Local | Binding::Variant(_)) => match self.res.target(oid, index) {
                Target::Undefined(_) => {}
                t => self.mark_target(t),
            },
            None => {}
        }
    }

    fn mark_segment(&mut self, oid: ObjectId, seg: usize) {
        let oi = oid.index();
        if self.live.segments[oi][seg] || self.res.objects[oi].discarded_segments[seg] {
            return;
        }
        self.live.segments[oi][seg] = true;
        let r = self.res.objects[oi].obj.data_segments[seg].relocs.range();
        self.mark_relocs(oid, false, r);
    }

    fn mark_relocs(&mut self, oid: ObjectId, code: bool, range: Range<usize>) {
        let o = &self.res.objects[oid.index()];
        let relocs = if code {
            &o.obj.code_relocs
        } else {
            &o.obj.data_relocs
        };
        for r in &relocs[range] {
            if r.ty.symbol_kind().is_none() {
                continue;
            }
            // A table-index relocation against a weak undefined function does not keep its
            // `undefined_weak:` stub alive: the address is 0 (lld's `MarkLive::mark` skips
            // a function symbol that `isStub`). A function weakly referenced and never
            // loaded from its archive has one too (testsuite/fuzz-found/weak-ref-lazy-no-stub).
            if r.ty.is_table_index() {
                if let Some(Binding::Global(id)) = o.bindings.get(r.index as usize) {
                    if self.res.sym(*id).weak_stub {
                        continue;
                    }
                }
            }
            self.mark_object_symbol(oid, r.index);
        }
    }

    /// Processes queued definitions until nothing new becomes live.
    fn drain(&mut self) {
        while let Some((oid, index)) = self.queue.pop() {
            let oi = oid.index();
            let o = &self.res.objects[oi];
            self.mark_object(oid);
            let Some(sym) = o.obj.symbols.get(index as usize) else {
                continue;
            };
            if sym.is_undefined() {
                continue;
            }
            match sym.kind {
                SymbolKind::Function => {
                    let Some(f) = o.obj.defined_index(sym.kind, sym.index) else {
                        continue;
                    };
                    if !self.live.functions[oi][f] && !o.discarded_functions[f] {
                        self.live.functions[oi][f] = true;
                        self.mark_relocs(oid, true, o.obj.functions[f].relocs.range());
                    }
                }
                SymbolKind::Data => {
                    if let Some(d) = sym.data {
                        self.mark_segment(oid, d.segment as usize);
                    }
                }
                SymbolKind::Global => {
                    let Some(g) = o.obj.defined_index(sym.kind, sym.index) else {
                        continue;
                    };
                    self.live.globals[oi][g] = true;
                }
                SymbolKind::Table => {
                    let Some(t) = o.obj.defined_index(sym.kind, sym.index) else {
                        continue;
                    };
                    self.live.tables[oi][t] = true;
                }
                SymbolKind::Tag => {
                    let Some(t) = o.obj.defined_index(sym.kind, sym.index) else {
                        continue;
                    };
                    self.live.tags[oi][t] = true;
                }
                SymbolKind::Section => {}
            }
        }
    }
}

/// `--print-gc-sections`: what GC removed, one `removing unused section FILE:(NAME)` line per
/// chunk, in wasm-ld's order: per loaded object its functions, data segments, globals, tags
/// and tables; then the linker's functions (`__wasm_call_ctors`, `__wasm_init_tls`, the
/// `signature_mismatch:` stubs, the `undefined_weak:` stubs, each named after its symbol),
/// then its globals (`__tls_*`), as `<internal>:(NAME)`. Nothing is removed without GC. The
/// linker's tables and `__stack_pointer` are always kept; `__wasm_init_memory` is made after
/// GC, so it is never listed.
pub fn removed(config: &Config, res: &Resolved, live: &Live) -> Vec<String> {
    if !config.gc_sections {
        return Vec::new();
    }
    let mut names: Vec<String> = Vec::new();
    for (oi, o) in res.objects.iter().enumerate() {
        let chunk = |name: &str| format!("{}:({name})", o.name);
        let elements = o.obj.element_names();
        let dead = |kind: usize, live: &[bool]| -> Vec<String> {
            live.iter()
                .enumerate()
                .filter(|(_, &l)| !l)
                .map(|(i, _)| chunk(elements[kind].get(i).copied().flatten().unwrap_or("")))
                .collect()
        };
        names.extend(dead(0, &live.functions[oi]));
        for (si, seg) in o.obj.data_segments.iter().enumerate() {
            if !live.segments[oi][si] {
                names.push(chunk(seg.name));
            }
        }
        names.extend(dead(1, &live.globals[oi]));
        names.extend(dead(2, &live.tags[oi]));
        names.extend(dead(3, &live.tables[oi]));
    }
    let internal = |name: &str| format!("<internal>:({name})");
    let synthetic = |syn: Synthetic| {
        res.symbols
            .iter()
            .enumerate()
            .find(|(_, s)| matches!(s.def, Def::Synthetic(x) if x == syn))
            .map(|(i, s)| (i, s.name))
    };
    if let Some((_, name)) = synthetic(Synthetic::CallCtors) {
        if !live.call_ctors {
            names.push(internal(name));
        }
    }
    if let Some((i, name)) = synthetic(Synthetic::InitTls) {
        if !live.symbols[i] {
            names.push(internal(name));
        }
    }
    for (n, stub) in res.mismatch_stubs.iter().enumerate() {
        if !live.mismatch_stubs[n] {
            names.push(internal(res.sym(stub.slot).name));
        }
    }
    for (i, s) in res.symbols.iter().enumerate() {
        if s.weak_stub && !live.symbols[i] {
            names.push(internal(s.name));
        }
    }
    for syn in [Synthetic::TlsBase, Synthetic::TlsSize, Synthetic::TlsAlign] {
        if let Some((i, name)) = synthetic(syn) {
            if !live.symbols[i] {
                names.push(internal(name));
            }
        }
    }
    names
        .into_iter()
        .map(|n| format!("removing unused section {n}"))
        .collect()
}

/// Whether `__wasm_call_ctors` is kept, decided once here for the output and for
/// `--print-gc-sections`: without GC it always is; with GC, when something live calls or
/// exports it (GC marked it), or when some init function is live, as lld's `isCallCtorsLive`
/// (MarkLive.cpp) decides, though nothing refers to it then. A reference from dead code does
/// not keep it (found by comparing `--print-gc-sections` with wasm-ld).
fn call_ctors_live(config: &Config, res: &Resolved, live: &Live) -> bool {
    if config.relocatable {
        // The linker makes no `__wasm_call_ctors` in an object (lld's
        // createSyntheticSymbols makes none with `-r`).
        return false;
    }
    // A PIC output always has it: the dynamic loader calls it (lld's isCallCtorsLive).
    !config.gc_sections
        || config.is_pic()
        || res
            .find(Synthetic::CallCtors.name())
            .is_some_and(|id| live.symbols[id.index()])
        || any_init_func_live(res, live)
}

/// Whether some init function is live. Every loaded object's init functions are looked at,
/// as wasm-ld looks (a dead object's own init functions are dead anyway, but one may name a
/// live definition in another object); one COMDAT discarded is not live.
fn any_init_func_live(res: &Resolved, live: &Live) -> bool {
    let function_live = |object: ObjectId, index: u32| {
        let obj = &res.object(object).obj;
        let Some(sym) = obj.symbols.get(index as usize) else {
            return false;
        };
        let f = obj.defined_index(SymbolKind::Function, sym.index);
        sym.kind == SymbolKind::Function && f.is_some_and(|f| live.functions[object.index()][f])
    };
    res.objects.iter().enumerate().any(|(oi, o)| {
        let oid = ObjectId::new(oi);
        o.obj
            .init_funcs
            .iter()
            .filter(|init| (init.symbol as usize) < o.bindings.len())
            .any(|init| match res.target(oid, init.symbol) {
                Target::Defined(object, index) => function_live(object, index),
                Target::MismatchStub(n) => live.mismatch_stubs[n as usize],
                // An undefined init function counts once referenced (marked).
                Target::Undefined(id) => {
                    matches!(o.bindings[init.symbol as usize], Binding::Global(_))
                        && live.symbols[id.index()]
                }
                Target::Synthetic(s) => res
                    .find(s.name())
                    .is_some_and(|id| live.symbols[id.index()]),
            })
    })
}
