//! Layout step: what a dynamic loader must finish (DynamicLinking.md). A PIC output's data
//! lives at `__memory_base` and its table slots at `__table_base`, both known only at load
//! time, so the pointers stored in data and the internal GOT entries are written by code the
//! linker makes: `__wasm_apply_data_relocs` (exported; the loader calls it) and
//! `__wasm_apply_global_relocs` (the start function), as lld's
//! `InputChunk::generateRelocationCode` and `GlobalSection::generateRelocationCode` write
//! them. [`runtime_data_relocs`] decides which data relocations become code; the body
//! writers below read that decision.

use super::globals::GlobalSpace;
use super::memory::{MemoryLayout, SegmentChunk};
use super::scan::Scan;
use super::{FunctionSpace, TableSpace, Target};
use crate::args::Config;
use crate::leb;
use crate::object::{RelocType, SymbolKind};
use crate::resolve::Resolved;

/// One data relocation that becomes code in `__wasm_apply_data_relocs`.
#[derive(Clone, Copy, Debug)]
pub struct RuntimeReloc {
    pub ty: RelocType,
    pub target: Target,
    pub addend: i64,
    /// The address of the relocation site, from the data's base (from `__tls_base` in
    /// [`RuntimeRelocs::tls`]).
    pub site: u64,
}

/// The runtime data relocations: those `__wasm_apply_data_relocs` applies, and, with shared
/// memory, those inside the TLS segment, which each thread's `__wasm_init_tls` applies to its
/// own copy (`__wasm_apply_tls_relocs`).
#[derive(Default)]
pub struct RuntimeRelocs {
    pub data: Vec<RuntimeReloc>,
    pub tls: Vec<RuntimeReloc>,
    /// Whether the TLS segment has relocations at all: `__wasm_apply_tls_relocs` exists
    /// then (with shared memory), even when none of them needs code (a static link).
    pub tls_segment_relocated: bool,
}

/// The data relocations the loader must apply, in output order (output segments, their
/// inputs, their relocations; lld `Writer::createApplyDataRelocationsFunction`): in a PIC
/// output every relocation in data, otherwise (`--unresolved-symbols=import-dynamic`) those
/// against a symbol with an imported GOT entry. A PIC output can only store addresses and
/// table slots this way: any other relocation type in data is an error, with lld's words
/// (which name no file) and a `>>>` line saying where it is.
pub fn runtime_data_relocs(
    config: &Config,
    res: &Resolved,
    memory: &MemoryLayout,
    scan: &Scan,
    errors: &mut Vec<String>,
) -> RuntimeRelocs {
    let mut out = RuntimeRelocs::default();
    for seg in &memory.segments {
        for chunk in &seg.chunks {
            let SegmentChunk::Input {
                object, segment, ..
            } = *chunk
            else {
                continue;
            };
            let obj = &res.object(object).obj;
            let base = obj.data_segments[segment as usize].offset;
            for r in obj.segment_relocs(segment as usize) {
                let t = res.target(object, r.index);
                out.tls_segment_relocated |= seg.is_tls && config.shared_memory;
                if !config.is_pic() && !scan.is_got_import(t) {
                    continue;
                }
                if !is_runtime_type(r.ty) {
                    // wasm-ld's line names no input; ours adds where the relocation is.
                    let seg = &obj.data_segments[segment as usize];
                    errors.push(format!(
                        "invalid runtime relocation type in data section: {}\n>>> in {}, data segment '{}', relocation at 0x{:x}",
                        r.ty.name(),
                        res.object(object).name,
                        seg.name,
                        r.offset
                    ));
                    continue;
                }
                let offset = u64::from(r.offset - base);
                let Some(site) = memory.input_address(object, segment as usize, offset) else {
                    continue;
                };
                let tls = seg.is_tls && config.shared_memory;
                let list = if tls { &mut out.tls } else { &mut out.data };
                list.push(RuntimeReloc {
                    ty: r.ty,
                    target: t,
                    addend: r.addend,
                    site: if tls { site - seg.start } else { site },
                });
            }
        }
    }
    out
}

/// The relocation types a loader can apply to data: addresses and table slots.
fn is_runtime_type(ty: RelocType) -> bool {
    matches!(
        ty,
        RelocType::MEMORY_ADDR_I32
            | RelocType::MEMORY_ADDR_I64
            | RelocType::TABLE_INDEX_I32
            | RelocType::TABLE_INDEX_I64
    )
}

/// What the PIC bodies read: the layout's indices.
pub struct Places<'a, 'data> {
    pub config: &'a Config,
    pub res: &'a Resolved<'data>,
    pub memory: &'a MemoryLayout<'data>,
    pub functions: &'a FunctionSpace,
    pub globals: &'a GlobalSpace,
    pub tables: &'a TableSpace,
    pub bounds: &'a rustc_hash::FxHashMap<crate::resolve::SymbolId, u64>,
    pub is64: bool,
}

impl Places<'_, '_> {
    /// `__memory_base`'s or `__table_base`'s global index.
    fn base(&self, syn: crate::resolve::Synthetic) -> u32 {
        self.globals.synthetic(self.res, syn).unwrap_or(0)
    }

    /// The imported GOT entry of `t`, if it has one.
    fn got_import(&self, t: Target) -> Option<u32> {
        self.globals.is_got_import(t).then(|| self.globals.got[&t])
    }

    /// A function's table slot (0 when it has none).
    fn slot(&self, t: Target) -> u64 {
        self.functions
            .index(self.res, t)
            .and_then(|f| self.tables.slot_of.get(&f).copied())
            .unwrap_or(0) as u64
    }

    /// A data target's offset from `__memory_base`.
    fn address(&self, t: Target) -> u64 {
        super::data_address(self.res, self.memory, self.bounds, t)
    }

    /// A data target's value in a relocation: its offset from `__memory_base`, or, in the
    /// TLS segment, from `__tls_base`.
    fn value(&self, t: Target) -> u64 {
        super::data_value(self.res, self.memory, self.bounds, t).0
    }

    /// The internal GOT entry of a thread-local target, which holds its address in this
    /// thread's block (set by `__wasm_apply_global_tls_relocs`): what a pointer to it is.
    fn tls_got(&self, t: Target, tls: bool) -> Option<u32> {
        tls.then(|| self.globals.got.get(&t).copied()).flatten()
    }

    fn add(&self, code: &mut Vec<u8>) {
        code.push(if self.is64 { 0x7c } else { 0x6a });
    }

    fn constant(&self, code: &mut Vec<u8>, v: u64) {
        super::synthetic::address_const(code, self.is64, v);
    }
}

/// `__wasm_apply_data_relocs`: for each runtime relocation, store at the site (from
/// `__memory_base` in a PIC output) the GOT entry's value plus addend, or the base plus the
/// link-time value (lld `InputChunk::generateRelocationCode`). The `i32.const` of the value
/// is written even when it is 0, as lld writes it.
pub fn apply_data_relocs_body(p: &Places, relocs: &[RuntimeReloc], in_tls: bool) -> Vec<u8> {
    use crate::resolve::Synthetic::{MemoryBase, TableBase, TlsBase};
    let pic = p.config.is_pic();
    let (memory_base, table_base, tls_base) =
        (p.base(MemoryBase), p.base(TableBase), p.base(TlsBase));
    let mut code = vec![0x00];
    for r in relocs {
        p.constant(&mut code, r.site);
        if pic {
            global_get(&mut code, if in_tls { tls_base } else { memory_base });
            p.add(&mut code);
        }
        let is_table = matches!(
            r.ty,
            RelocType::TABLE_INDEX_I32 | RelocType::TABLE_INDEX_I64
        );
        let tls_target = p.config.shared_memory && super::is_tls_symbol(p.res, r.target);
        if let Some(g) = p
            .got_import(r.target)
            .or_else(|| p.tls_got(r.target, tls_target))
        {
            global_get(&mut code, g);
            if r.addend != 0 {
                p.constant(&mut code, r.addend as u64);
                p.add(&mut code);
            }
        } else if is_table {
            global_get(&mut code, table_base);
            p.constant(&mut code, p.slot(r.target));
            p.add(&mut code);
        } else {
            // A thread-local target is an offset from this thread's `__tls_base`.
            let base = if tls_target { tls_base } else { memory_base };
            global_get(&mut code, base);
            p.constant(&mut code, p.value(r.target).wrapping_add(r.addend as u64));
            p.add(&mut code);
        }
        // i32.store / i64.store, alignment field 2, offset 0 (lld writes 2 for both).
        let wide = matches!(
            r.ty,
            RelocType::MEMORY_ADDR_I64 | RelocType::TABLE_INDEX_I64
        );
        code.extend_from_slice(&[if wide { 0x37 } else { 0x36 }, 0x02, 0x00]);
    }
    code.push(0x0b);
    super::synthetic::with_size(code)
}

/// The internal GOT entries `__wasm_apply_global_relocs` sets: every one but TLS entries,
/// undefined data and functions without a body of their own (lld
/// `GlobalSection::generateRelocationCode`).
pub fn global_reloc_entries(
    res: &Resolved,
    scan: &Scan,
    tls: impl Fn(Target) -> bool,
) -> Vec<(Target, SymbolKind)> {
    scan.got_targets
        .iter()
        .filter(|(t, kind, _)| match (t, kind) {
            (Target::Undefined(id), SymbolKind::Data) => res.sym(*id).is_defined(),
            (Target::Undefined(_), SymbolKind::Function) => false,
            _ => !tls(*t),
        })
        .map(|(t, kind, _)| (*t, *kind))
        .collect()
}

/// The thread-local internal GOT entries (shared memory): `__wasm_apply_global_tls_relocs`
/// sets each to `__tls_base` plus its offset (lld `GlobalSection::generateRelocationCode`
/// with TLS).
pub fn global_tls_reloc_entries(scan: &Scan, tls: impl Fn(Target) -> bool) -> Vec<Target> {
    scan.got_targets
        .iter()
        .filter(|(t, kind, _)| *kind == SymbolKind::Data && tls(*t))
        .map(|(t, _, _)| *t)
        .collect()
}

/// `__wasm_apply_global_tls_relocs`.
pub fn apply_global_tls_relocs_body(p: &Places, entries: &[Target]) -> Vec<u8> {
    let tls_base = p.base(crate::resolve::Synthetic::TlsBase);
    let mut code = vec![0x00];
    for &t in entries {
        global_get(&mut code, tls_base);
        p.constant(&mut code, p.value(t));
        p.add(&mut code);
        code.push(0x24);
        leb::write_u32(&mut code, p.globals.got[&t]);
    }
    code.push(0x0b);
    super::synthetic::with_size(code)
}

/// `__wasm_apply_global_relocs`: each internal GOT entry becomes its base plus the link-time
/// offset (`__table_base` and the slot for a function, `__memory_base` and the address for
/// data).
pub fn apply_global_relocs_body(p: &Places, entries: &[(Target, SymbolKind)]) -> Vec<u8> {
    use crate::resolve::Synthetic::{MemoryBase, TableBase};
    let mut code = vec![0x00];
    for &(t, kind) in entries {
        let (base, value) = if kind == SymbolKind::Function {
            (p.base(TableBase), p.slot(t))
        } else {
            (p.base(MemoryBase), p.address(t))
        };
        global_get(&mut code, base);
        p.constant(&mut code, value);
        p.add(&mut code);
        code.push(0x24);
        leb::write_u32(&mut code, p.globals.got[&t]);
    }
    code.push(0x0b);
    super::synthetic::with_size(code)
}

/// The bodies of the PIC functions that exist, for `synthetic::write_bodies`.
#[derive(Default)]
pub struct PicBodies {
    pub apply_data_relocs: Vec<u8>,
    pub apply_tls_relocs: Vec<u8>,
    pub apply_global_relocs: Vec<u8>,
    pub apply_global_tls_relocs: Vec<u8>,
    pub start: Vec<u8>,
    /// `__memory_base`'s global index in a PIC output (data addresses are offsets from it).
    pub memory_base: Option<u32>,
}

/// Writes the bodies of the PIC functions that exist.
pub fn bodies(
    p: &Places,
    relocs: &RuntimeRelocs,
    entries: &[(Target, SymbolKind)],
    tls_entries: &[Target],
) -> PicBodies {
    let f = p.functions;
    PicBodies {
        apply_data_relocs: apply_data_relocs_body(p, &relocs.data, false),
        apply_tls_relocs: apply_data_relocs_body(p, &relocs.tls, true),
        apply_global_relocs: apply_global_relocs_body(p, entries),
        apply_global_tls_relocs: apply_global_tls_relocs_body(p, tls_entries),
        start: match (f.apply_global_relocs, f.init_memory) {
            (Some(g), Some(m)) => start_body(g, m),
            _ => Vec::new(),
        },
        memory_base: p
            .config
            .is_pic()
            .then(|| p.base(crate::resolve::Synthetic::MemoryBase)),
    }
}

/// `__wasm_start`: the global relocations first, then memory initialisation (lld
/// `Writer::createStartFunction`).
fn start_body(apply_global_relocs: u32, init_memory: u32) -> Vec<u8> {
    let mut code = vec![0x00, 0x10];
    leb::write_u32(&mut code, apply_global_relocs);
    code.push(0x10);
    leb::write_u32(&mut code, init_memory);
    code.push(0x0b);
    super::synthetic::with_size(code)
}

fn global_get(code: &mut Vec<u8>, g: u32) {
    code.push(0x23);
    leb::write_u32(code, g);
}
