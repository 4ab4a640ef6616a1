//! Layout step: the functions the linker writes, and their bodies. [`SyntheticFunction`] says
//! which one a linker-made function is; [`write_bodies`] writes every body once all indices
//! are known (the last step before the custom sections, as lld builds its synthetic bodies
//! after `assignIndexes`). Below it, the encoders: `__wasm_call_ctors`, the `.command_export`
//! wrappers, stubs, `__wasm_init_memory`, `__wasm_init_tls`, and address constants. Every LEB
//! the linker writes itself is minimal; a body starts with its own size LEB, like a copied
//! input body.

use super::functions::{FunctionSpace, OutFunction};
use super::globals::GlobalSpace;
use super::init_funcs::InitFunc;
use super::{MemoryLayout, Target};
use crate::args::Config;
use crate::demangle::demangle;
use crate::err;
use crate::error::Result;
use crate::leb;
use crate::resolve::{Def, Resolved, SymbolId};

/// A function the linker writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntheticFunction {
    /// `__wasm_call_ctors`: calls the init functions in order.
    CallCtors,
    /// `__wasm_init_tls(ptr)` (shared memory): sets `__tls_base` and copies `.tdata`.
    InitTls,
    /// `__wasm_init_memory`, the start function: initialises passive segments (shared memory)
    /// or clears bss (imported memory).
    InitMemory,
    /// `signature_mismatch:NAME` stub number `n` of the resolution: `unreachable`.
    SignatureMismatch(u32),
    /// `undefined_weak:NAME`: what a weak undefined function is when called: `unreachable`.
    WeakStub(SymbolId),
    /// `undefined_stub`: what an unresolved function is under
    /// `--unresolved-symbols=ignore-all` or `--warn-unresolved-symbols`: `unreachable`.
    UndefinedStub,
    /// `NAME.command_export`: the wrapper of exported function `NAME` in a command.
    CommandExport(SymbolId),
    /// `__wasm_apply_data_relocs`: stores the pointers in data only the loader can know
    /// (see `pic.rs`).
    ApplyDataRelocs,
    /// `__wasm_apply_global_relocs`: sets a PIC output's internal GOT entries.
    ApplyGlobalRelocs,
    /// `__wasm_apply_tls_relocs` and `__wasm_apply_global_tls_relocs` (PIC, shared memory):
    /// the same for a thread's TLS block, called by `__wasm_init_tls`.
    ApplyTlsRelocs,
    ApplyGlobalTlsRelocs,
    /// `__wasm_start`: the start function when there are two things to do at start-up.
    Start,
}

impl SyntheticFunction {
    /// The function's own name, as lld's `SyntheticFunction` is named (the link map prints
    /// it): a stub is named by the symbol it stands in for; the name section shows the debug
    /// name ([`Self::name`]) instead.
    pub fn chunk_name(self, config: &Config, res: &Resolved) -> String {
        match self {
            SyntheticFunction::SignatureMismatch(n) => res
                .sym(res.mismatch_stubs[n as usize].slot)
                .name
                .to_string(),
            SyntheticFunction::WeakStub(id) => res.sym(id).name.to_string(),
            other => other.name(config, res),
        }
    }

    /// The function's name in the name section, before the name section's demangling.
    pub fn name(self, config: &Config, res: &Resolved) -> String {
        match self {
            SyntheticFunction::CallCtors => "__wasm_call_ctors".into(),
            SyntheticFunction::InitTls => "__wasm_init_tls".into(),
            SyntheticFunction::InitMemory => "__wasm_init_memory".into(),
            SyntheticFunction::SignatureMismatch(n) => {
                let slot = res.mismatch_stubs[n as usize].slot;
                format!(
                    "signature_mismatch:{}",
                    demangle(config, res.sym(slot).name)
                )
            }
            SyntheticFunction::WeakStub(id) => {
                format!("undefined_weak:{}", demangle(config, res.sym(id).name))
            }
            SyntheticFunction::UndefinedStub => "undefined_stub".into(),
            SyntheticFunction::CommandExport(id) => format!("{}.command_export", res.sym(id).name),
            SyntheticFunction::ApplyDataRelocs => "__wasm_apply_data_relocs".into(),
            SyntheticFunction::ApplyGlobalRelocs => "__wasm_apply_global_relocs".into(),
            SyntheticFunction::ApplyTlsRelocs => "__wasm_apply_tls_relocs".into(),
            SyntheticFunction::ApplyGlobalTlsRelocs => "__wasm_apply_global_tls_relocs".into(),
            SyntheticFunction::Start => "__wasm_start".into(),
        }
    }
}

/// Writes the body of every linker-made function. `__wasm_call_ctors` calls each init
/// function and drops its results; an init function that takes parameters is an error.
#[allow(clippy::too_many_arguments)]
pub fn write_bodies(
    config: &Config,
    res: &Resolved,
    memory: &MemoryLayout,
    functions: &mut FunctionSpace,
    globals: &GlobalSpace,
    init_funcs: &[InitFunc],
    pic: super::pic::PicBodies,
    is64: bool,
) -> Result<()> {
    let ctor_calls = ctor_calls(res, functions, init_funcs)?;
    let call_dtors = res
        .call_dtors
        .and_then(|id| match res.sym(id).def {
            Def::Defined { object, index } => Some(Target::Defined(object, index)),
            _ => None,
        })
        .and_then(|t| functions.index(res, t));
    let tls_base = res
        .find("__tls_base")
        .and_then(|id| globals.of_symbol[id.index()]);
    let mut bodies = Vec::new();
    for f in &functions.defined {
        let OutFunction::Synthetic { kind, .. } = f else {
            continue;
        };
        bodies.push(match kind {
            SyntheticFunction::CallCtors => call_ctors_body(&ctor_calls),
            SyntheticFunction::InitMemory if config.shared_memory => {
                init_memory_shared_body(is64, memory, tls_base, pic.memory_base)
            }
            SyntheticFunction::InitMemory => {
                let bss: Vec<(u64, u64)> = memory
                    .segments
                    .iter()
                    .filter(|s| s.is_bss)
                    .map(|s| (s.start, s.size))
                    .collect();
                init_memory_fill_body(is64, &bss, pic.memory_base)
            }
            SyntheticFunction::ApplyDataRelocs => pic.apply_data_relocs.clone(),
            SyntheticFunction::ApplyGlobalRelocs => pic.apply_global_relocs.clone(),
            SyntheticFunction::ApplyTlsRelocs => pic.apply_tls_relocs.clone(),
            SyntheticFunction::ApplyGlobalTlsRelocs => pic.apply_global_tls_relocs.clone(),
            SyntheticFunction::Start => pic.start.clone(),
            SyntheticFunction::InitTls => {
                let tls_base =
                    tls_base.ok_or_else(|| err!("__tls_base is emitted with __wasm_init_tls"))?;
                let tdata = memory.segments.iter().position(|s| s.is_tls);
                // Then the thread's own relocations: data first, then GOT entries.
                let calls = [
                    functions.apply_tls_relocs,
                    functions.apply_global_tls_relocs,
                ];
                let calls: Vec<u32> = calls.into_iter().flatten().collect();
                let tdata = tdata.map(|i| (i as u32, memory.segments[i].size));
                init_tls_body(tls_base, tdata, &calls)
            }
            SyntheticFunction::SignatureMismatch(_)
            | SyntheticFunction::WeakStub(_)
            | SyntheticFunction::UndefinedStub => unreachable_body(),
            SyntheticFunction::CommandExport(id) => {
                command_export_body_of(res, functions, *id, call_dtors)?
            }
        });
    }
    let mut bodies = bodies.into_iter();
    for f in functions.defined.iter_mut() {
        if let OutFunction::Synthetic { body, .. } = f {
            *body = bodies.next().unwrap_or_default();
        }
    }
    Ok(())
}

/// Each live init function's index and how many results it leaves to drop.
fn ctor_calls(
    res: &Resolved,
    functions: &FunctionSpace,
    init_funcs: &[InitFunc],
) -> Result<Vec<(u32, usize)>> {
    let mut calls = Vec::new();
    for &(oid, sym) in init_funcs {
        let t = res.target(oid, sym);
        let Some(fi) = functions.index(res, t) else {
            continue;
        };
        let mut results = 0;
        if let Target::Defined(o, i) = t {
            let obj = &res.object(o).obj;
            let s = &obj.symbols[i as usize];
            if let Some(f) = obj.function_type(s.index) {
                if !f.params.is_empty() {
                    return Err(err!(
                        "{}: constructor functions cannot take arguments: {}",
                        res.object(o).name,
                        s.name
                    ));
                }
                results = f.results.len();
            }
        }
        calls.push((fi, results));
    }
    Ok(calls)
}

/// The body of the `.command_export` wrapper of `id`.
fn command_export_body_of(
    res: &Resolved,
    functions: &FunctionSpace,
    id: SymbolId,
    call_dtors: Option<u32>,
) -> Result<Vec<u8>> {
    let s = res.sym(id);
    let Def::Defined { object, index } = s.def else {
        return Err(err!("internal error: wrapper of the undefined {}", s.name));
    };
    let original = functions
        .index(res, Target::Defined(object, index))
        .ok_or_else(|| err!("internal error: wrapped function {} is not live", s.name))?;
    let nparams = s.signature.as_ref().map_or(0, |s| s.params.len());
    Ok(command_export_body(
        functions.call_ctors,
        nparams as u32,
        original,
        call_dtors,
    ))
}

/// Prefixes `code` (locals + instructions + `end`) with its size.
pub(super) fn with_size(code: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(code.len() + 5);
    leb::write_u32(&mut out, code.len() as u32);
    out.extend_from_slice(&code);
    out
}

/// `unreachable` stub body: no locals, `unreachable`, `end` (the body lld gives every stub:
/// `undefined_weak:`, `signature_mismatch:`, `undefined_stub`).
pub fn unreachable_body() -> Vec<u8> {
    with_size(vec![0x00, 0x00, 0x0b])
}

/// `__wasm_call_ctors` (lld `Writer::createCallCtorsFunction`): a call per init function, a
/// `drop` per result.
pub fn call_ctors_body(calls: &[(u32, usize)]) -> Vec<u8> {
    let mut code = vec![0x00];
    for &(func, results) in calls {
        code.push(0x10);
        leb::write_u32(&mut code, func);
        code.extend(std::iter::repeat_n(0x1a, results));
    }
    code.push(0x0b);
    with_size(code)
}

/// A command-export wrapper (lld `Writer::createCommandExportWrapper`): call ctors, forward the parameters, call the original,
/// call dtors.
pub fn command_export_body(
    ctors: Option<u32>,
    nparams: u32,
    original: u32,
    dtors: Option<u32>,
) -> Vec<u8> {
    let mut code = vec![0x00];
    if let Some(c) = ctors {
        code.push(0x10);
        leb::write_u32(&mut code, c);
    }
    for i in 0..nparams {
        code.push(0x20);
        leb::write_u32(&mut code, i);
    }
    code.push(0x10);
    leb::write_u32(&mut code, original);
    if let Some(d) = dtors {
        code.push(0x10);
        leb::write_u32(&mut code, d);
    }
    code.push(0x0b);
    with_size(code)
}

/// Writes an address constant: `i64.const v` on wasm64, else `i32.const` of the value
/// truncated to int32 (as lld writes every 32-bit address constant: a signed LEB of the value
/// as `int32_t`).
pub fn address_const(code: &mut Vec<u8>, is64: bool, v: u64) {
    if is64 {
        code.push(0x42);
        leb::write_i64(code, v as i64);
    } else {
        code.push(0x41);
        leb::write_i64(code, v as i32 as i64);
    }
}

/// An init expression for a PIC output's place: `global.get base` when the offset is 0, else
/// the extended-const `global.get base; OFFSET; add` (lld writes these for segment offsets
/// and internal GOT entries).
pub fn base_plus_expr(is64: bool, base: u32, offset: u64) -> Vec<u8> {
    let mut out = vec![0x23];
    leb::write_u32(&mut out, base);
    if offset != 0 {
        address_const(&mut out, is64, offset);
        out.push(if is64 { 0x7c } else { 0x6a });
    }
    out.push(0x0b);
    out
}

/// An address constant init expression: the constant, then `end`.
pub fn const_expr(is64: bool, v: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(11);
    address_const(&mut out, is64, v);
    out.push(0x0b);
    out
}

/// `__wasm_init_memory` for an imported, non-shared memory: clear each bss segment with
/// `memory.fill` (lld `Writer::createInitMemoryFunction` without shared memory).
pub fn init_memory_fill_body(is64: bool, bss: &[(u64, u64)], memory_base: Option<u32>) -> Vec<u8> {
    let mut code = vec![0x00];
    for &(start, size) in bss {
        address_const(&mut code, is64, start);
        // In a PIC output the address is an offset from `__memory_base`.
        if let Some(mb) = memory_base {
            code.push(0x23);
            leb::write_u32(&mut code, mb);
            code.push(if is64 { 0x7c } else { 0x6a });
        }
        code.push(0x41);
        code.push(0x00);
        address_const(&mut code, is64, size);
        code.extend_from_slice(&[0xfc, 0x0b, 0x00]);
    }
    code.push(0x0b);
    with_size(code)
}

/// `__wasm_init_tls(ptr)` (shared memory): sets `__tls_base` to `ptr` and copies `.tdata`
/// there with `memory.init`.
pub fn init_tls_body(tls_base: u32, tdata: Option<(u32, u64)>, calls: &[u32]) -> Vec<u8> {
    let mut code = vec![0x00];
    if let Some((segment, size)) = tdata {
        code.extend_from_slice(&[0x20, 0x00, 0x24]);
        leb::write_u32(&mut code, tls_base);
        code.extend_from_slice(&[0x20, 0x00, 0x41, 0x00, 0x41]);
        leb::write_i64(&mut code, size as i32 as i64);
        code.extend_from_slice(&[0xfc, 0x08]);
        leb::write_u32(&mut code, segment);
        code.push(0x00);
    }
    for &f in calls {
        code.push(0x10);
        leb::write_u32(&mut code, f);
    }
    code.push(0x0b);
    with_size(code)
}

/// `__wasm_init_memory` for shared memory (lld `Writer::createInitMemoryFunction`): the first thread to flip the once-flag
/// from 0 to 1 initialises every segment (memory.init for data, memory.fill for bss, setting
/// `__tls_base` for .tdata), stores 2 and wakes the waiters; the others wait while it is 1.
/// Then every initialised non-bss segment except `.tdata` is dropped.
pub fn init_memory_shared_body(
    is64: bool,
    memory: &super::MemoryLayout,
    tls_base: Option<u32>,
    memory_base: Option<u32>,
) -> Vec<u8> {
    let flag = memory.init_memory_flag.unwrap_or(0);
    let memarg = [0x02, 0x00];
    let add = if is64 { 0x7c } else { 0x6a };
    // In a PIC output every address is an offset from `__memory_base`: the flag's address is
    // computed once into local 0, each segment's destination adds the base, and a TLS
    // segment's address goes through local 1 to `__tls_base` (lld
    // `createInitMemoryFunction` for `ctx.isPic`).
    let mut c = match memory_base {
        Some(mb) => {
            let mut c = vec![0x01, 0x02, if is64 { 0x7e } else { 0x7f }];
            c.push(0x23);
            leb::write_u32(&mut c, mb);
            address_const(&mut c, is64, flag);
            c.extend_from_slice(&[add, 0x21, 0x00]);
            c
        }
        None => vec![0x00],
    };
    let flag_address = |c: &mut Vec<u8>| match memory_base {
        Some(_) => c.extend_from_slice(&[0x20, 0x00]),
        None => address_const(c, is64, flag),
    };
    c.extend_from_slice(&[0x02, 0x40, 0x02, 0x40, 0x02, 0x40]);
    flag_address(&mut c);
    c.extend_from_slice(&[0x41, 0x00, 0x41, 0x01, 0xfe, 0x48]);
    c.extend_from_slice(&memarg);
    c.extend_from_slice(&[0x0e, 0x02, 0x00, 0x01, 0x02, 0x0b]);
    for (i, s) in memory.segments.iter().enumerate() {
        address_const(&mut c, is64, s.start);
        if let Some(mb) = memory_base {
            c.push(0x23);
            leb::write_u32(&mut c, mb);
            c.push(add);
        }
        if s.is_tls {
            if let Some(g) = tls_base {
                if memory_base.is_some() {
                    c.extend_from_slice(&[0x22, 0x01, 0x24]);
                    leb::write_u32(&mut c, g);
                    c.extend_from_slice(&[0x20, 0x01]);
                } else {
                    address_const(&mut c, is64, s.start);
                    c.push(0x24);
                    leb::write_u32(&mut c, g);
                }
            }
        }
        if s.is_bss {
            c.extend_from_slice(&[0x41, 0x00]);
            address_const(&mut c, is64, s.size);
            c.extend_from_slice(&[0xfc, 0x0b, 0x00]);
        } else {
            c.extend_from_slice(&[0x41, 0x00, 0x41]);
            leb::write_i64(&mut c, s.size as i32 as i64);
            c.extend_from_slice(&[0xfc, 0x08]);
            leb::write_u32(&mut c, i as u32);
            c.push(0x00);
        }
    }
    flag_address(&mut c);
    c.extend_from_slice(&[0x41, 0x02, 0xfe, 0x17]);
    c.extend_from_slice(&memarg);
    flag_address(&mut c);
    c.extend_from_slice(&[0x41, 0x7f, 0xfe, 0x00]);
    c.extend_from_slice(&memarg);
    c.extend_from_slice(&[0x1a, 0x0c, 0x01, 0x0b]);
    flag_address(&mut c);
    c.extend_from_slice(&[0x41, 0x01, 0x42, 0x7f, 0xfe, 0x01]);
    c.extend_from_slice(&memarg);
    c.extend_from_slice(&[0x1a, 0x0b]);
    for (i, s) in memory.segments.iter().enumerate() {
        if !s.is_bss && !s.is_tls {
            c.extend_from_slice(&[0xfc, 0x09]);
            leb::write_u32(&mut c, i as u32);
        }
    }
    c.push(0x0b);
    with_size(c)
}
