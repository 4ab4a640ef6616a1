//! Stage `gc`: mark what is live, from the roots through relocations (WASM-LD-RULES 4.4).
//!
//! Roots: the entry symbol; every exported symbol (`--export`, EXPORTED flag,
//! `--export-dynamic` non-hidden, `--export-all`); every non-local NO_STRIP symbol;
//! `__wasm_call_dtors` when found; and the init functions and RETAIN segments of every live
//! object. Command-line objects are live from the start; an archive member becomes live when
//! one of its symbols is marked. A live chunk (function, data segment, global, ...) marks the
//! targets of all its relocations. Custom sections are not traversed: debug info does not keep
//! code alive. With `--no-gc-sections` every chunk of every loaded object is live.
//!
//! Also computed here, because every later stage needs it: for each function and data segment,
//! the range of its relocations in the object's sorted relocation list. [`removed`] lists what
//! GC dropped, worded and ordered as wasm-ld's `--print-gc-sections`.

use crate::args::Config;
use crate::object::{Reloc, SymbolKind};
use crate::resolve::{Binding, Def, ObjectId, Resolved, SymbolId, Synthetic};
use std::ops::Range;

/// Liveness and per-chunk relocation ranges.
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
    /// Per object, per defined function: its range in `obj.code_relocs`.
    pub func_relocs: Vec<Vec<Range<usize>>>,
    /// Per object, per data segment: its range in `obj.data_relocs`.
    pub seg_relocs: Vec<Vec<Range<usize>>>,
}

/// Finds, for each chunk at `(offset, len)`, the relocations that fall inside it.
fn ranges(relocs: &[Reloc], chunks: impl Iterator<Item = (u32, usize)>) -> Vec<Range<usize>> {
    chunks
        .map(|(off, len)| {
            let start = relocs.partition_point(|r| r.offset < off);
            let end = relocs.partition_point(|r| (r.offset as usize) < off as usize + len);
            start..end
        })
        .collect()
}

/// Whether a global symbol is exported (lld `Symbol::isExported`).
pub fn is_exported(config: &Config, res: &Resolved, id: SymbolId) -> bool {
    let s = res.sym(id);
    if !s.is_defined() || s.flags & crate::object::WASM_SYM_BINDING_LOCAL != 0 {
        return false;
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
        func_relocs: Vec::with_capacity(n),
        seg_relocs: Vec::with_capacity(n),
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
        live.func_relocs.push(ranges(
            &obj.code_relocs,
            obj.functions.iter().map(|f| (f.offset, f.body.len())),
        ));
        live.seg_relocs.push(ranges(
            &obj.data_relocs,
            obj.data_segments.iter().map(|s| (s.offset, s.data.len())),
        ));
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
            m.mark_object(ObjectId(i as u32));
            let obj = &res.objects[i].obj;
            for f in 0..obj.functions.len() {
                if m.live.functions[i][f] {
                    m.mark_relocs(ObjectId(i as u32), true, m.live.func_relocs[i][f].clone());
                }
            }
            for s in 0..obj.data_segments.len() {
                if m.live.segments[i][s] {
                    m.mark_relocs(ObjectId(i as u32), false, m.live.seg_relocs[i][s].clone());
                }
            }
        }
        for (i, s) in res.symbols.iter().enumerate() {
            if s.is_defined() || matches!(s.def, Def::Synthetic(_)) {
                m.mark_symbol(SymbolId(i as u32));
            }
        }
        m.drain();
        return m.live;
    }

    if let Some(entry) = &config.entry {
        if let Some(id) = res.find(entry) {
            m.mark_symbol(id);
        }
    }
    for i in 0..res.symbols.len() {
        let id = SymbolId(i as u32);
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
    for (i, o) in res.objects.iter().enumerate() {
        if !o.from_archive {
            m.mark_object(ObjectId(i as u32));
        }
    }
    m.drain();
    m.live
}

impl Marker<'_, '_> {
    fn mark_symbol(&mut self, id: SymbolId) {
        let slot = id.0 as usize;
        if self.live.symbols[slot] {
            return;
        }
        self.live.symbols[slot] = true;
        match self.res.sym(id).def {
            Def::Defined { object, index } => self.queue.push((object, index)),
            Def::MismatchStub(n) => self.live.mismatch_stubs[n as usize] = true,
            _ => {}
        }
    }

    /// An object becomes live: its init functions and retained segments are roots.
    fn mark_object(&mut self, oid: ObjectId) {
        let oi = oid.0 as usize;
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

    fn mark_object_symbol(&mut self, oid: ObjectId, index: u32) {
        match self.res.objects[oid.0 as usize]
            .bindings
            .get(index as usize)
        {
            Some(Binding::Global(id)) => self.mark_symbol(*id),
            Some(Binding::Local) => self.queue.push((oid, index)),
            Some(Binding::Variant(v)) => match self.res.variants[*v as usize].def {
                Def::Defined { object, index } => self.queue.push((object, index)),
                Def::MismatchStub(n) => self.live.mismatch_stubs[n as usize] = true,
                _ => {}
            },
            None => {}
        }
    }

    fn mark_segment(&mut self, oid: ObjectId, seg: usize) {
        let oi = oid.0 as usize;
        if self.live.segments[oi][seg] || self.res.objects[oi].discarded_segments[seg] {
            return;
        }
        self.live.segments[oi][seg] = true;
        let r = self.live.seg_relocs[oi][seg].clone();
        self.mark_relocs(oid, false, r);
    }

    fn mark_relocs(&mut self, oid: ObjectId, code: bool, range: Range<usize>) {
        let o = &self.res.objects[oid.0 as usize];
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
            // stub alive (the address is 0).
            if r.ty.is_table_index() {
                if let Some(Binding::Global(id)) = o.bindings.get(r.index as usize) {
                    let s = self.res.sym(*id);
                    // Weakly referenced and never loaded from its archive counts as weak
                    // undefined too (testsuite/fuzz-found/weak-ref-lazy-no-stub).
                    let weak_lazy = matches!(s.def, Def::Lazy { weak: true, .. });
                    if !s.is_defined() && (s.is_weak() || weak_lazy) {
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
            let oi = oid.0 as usize;
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
                    let f = (sym.index - o.obj.num_imported_functions()) as usize;
                    if !self.live.functions[oi][f] && !o.discarded_functions[f] {
                        self.live.functions[oi][f] = true;
                        let r = self.live.func_relocs[oi][f].clone();
                        self.mark_relocs(oid, true, r);
                    }
                }
                SymbolKind::Data => {
                    if let Some(d) = sym.data {
                        self.mark_segment(oid, d.segment as usize);
                    }
                }
                SymbolKind::Global => {
                    let g = (sym.index - o.obj.num_imported_globals()) as usize;
                    self.live.globals[oi][g] = true;
                }
                SymbolKind::Table => {
                    let t = (sym.index - o.obj.num_imported_tables()) as usize;
                    self.live.tables[oi][t] = true;
                }
                SymbolKind::Tag => {
                    let t = (sym.index - o.obj.num_imported_tags()) as usize;
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
    if let Some((i, name)) = synthetic(Synthetic::CallCtors) {
        if !live.symbols[i] && !any_init_func_live(res, live) {
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
        if s.gets_weak_stub() && !live.symbols[i] {
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

/// Whether some live object's init function is live: wasm-ld then keeps `__wasm_call_ctors`
/// to call it, though nothing refers to it (its `isCallCtorsLive`).
fn any_init_func_live(res: &Resolved, live: &Live) -> bool {
    let function_live = |object: ObjectId, index: u32| {
        let obj = &res.object(object).obj;
        let Some(sym) = obj.symbols.get(index as usize) else {
            return false;
        };
        let f = sym.index.checked_sub(obj.num_imported_functions());
        sym.kind == SymbolKind::Function
            && f.is_some_and(|f| live.functions[object.0 as usize][f as usize])
    };
    // Every loaded object, as wasm-ld looks: a dead object's init functions are dead anyway.
    res.objects.iter().enumerate().any(|(oi, o)| {
        let oid = ObjectId(oi as u32);
        o.obj
            .init_funcs
            .iter()
            .any(|init| match o.bindings.get(init.symbol as usize) {
                Some(Binding::Local) => function_live(oid, init.symbol),
                // An undefined init function counts once referenced (marked).
                Some(Binding::Global(id)) => match res.sym(*id).def {
                    Def::Defined { object, index } => function_live(object, index),
                    _ => live.symbols[id.0 as usize],
                },
                Some(Binding::Variant(v)) => match res.variants[*v as usize].def {
                    Def::Defined { object, index } => function_live(object, index),
                    Def::MismatchStub(n) => live.mismatch_stubs[n as usize],
                    _ => false,
                },
                None => false,
            })
    })
}
