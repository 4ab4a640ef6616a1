//! Bodies and init expressions written by the linker: `__wasm_call_ctors`, the
//! `X.command_export` wrappers, stub bodies, `i32.const` initializers. All LEBs are minimal
//! (WASM-LD-RULES 13.6, 16.1); a body starts with its own size LEB, like a copied input body.

use crate::leb;

/// Prefixes `code` (locals + instructions + `end`) with its size.
fn with_size(code: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(code.len() + 5);
    leb::write_u32(&mut out, code.len() as u32);
    out.extend_from_slice(&code);
    out
}

/// `unreachable` stub body: no locals, `unreachable`, `end` (rule 15.1).
pub fn unreachable_body() -> Vec<u8> {
    with_size(vec![0x00, 0x00, 0x0b])
}

/// `__wasm_call_ctors`: a call per init function, a `drop` per result (rule 14.3).
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

/// A command-export wrapper (rule 4.7): call ctors, forward the parameters, call the original,
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
/// truncated to int32 (rule 16.2).
pub fn address_const(code: &mut Vec<u8>, is64: bool, v: u64) {
    if is64 {
        code.push(0x42);
        leb::write_i64(code, v as i64);
    } else {
        code.push(0x41);
        leb::write_i64(code, v as i32 as i64);
    }
}

/// An address constant init expression: the constant, then `end`.
pub fn const_expr(is64: bool, v: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(11);
    address_const(&mut out, is64, v);
    out.push(0x0b);
    out
}

/// `__wasm_init_memory` for an imported, non-shared memory: clear each bss segment with
/// `memory.fill` (rule 8.9).
pub fn init_memory_fill_body(is64: bool, bss: &[(u64, u64)]) -> Vec<u8> {
    let mut code = vec![0x00];
    for &(start, size) in bss {
        address_const(&mut code, is64, start);
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
pub fn init_tls_body(tls_base: u32, tdata: Option<(u32, u64)>) -> Vec<u8> {
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
    code.push(0x0b);
    with_size(code)
}

/// `__wasm_init_memory` for shared memory (rule 8.9): the first thread to flip the once-flag
/// from 0 to 1 initialises every segment (memory.init for data, memory.fill for bss, setting
/// `__tls_base` for .tdata), stores 2 and wakes the waiters; the others wait while it is 1.
/// Then every initialised non-bss segment except `.tdata` is dropped.
pub fn init_memory_shared_body(
    is64: bool,
    memory: &super::MemoryLayout,
    tls_base: Option<u32>,
) -> Vec<u8> {
    let flag = memory.init_memory_flag.unwrap_or(0);
    let memarg = [0x02, 0x00];
    let mut c = vec![0x00];
    c.extend_from_slice(&[0x02, 0x40, 0x02, 0x40, 0x02, 0x40]);
    address_const(&mut c, is64, flag);
    c.extend_from_slice(&[0x41, 0x00, 0x41, 0x01, 0xfe, 0x48]);
    c.extend_from_slice(&memarg);
    c.extend_from_slice(&[0x0e, 0x02, 0x00, 0x01, 0x02, 0x0b]);
    for (i, s) in memory.segments.iter().enumerate() {
        address_const(&mut c, is64, s.start);
        if s.is_tls {
            if let Some(g) = tls_base {
                address_const(&mut c, is64, s.start);
                c.push(0x24);
                leb::write_u32(&mut c, g);
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
    address_const(&mut c, is64, flag);
    c.extend_from_slice(&[0x41, 0x02, 0xfe, 0x17]);
    c.extend_from_slice(&memarg);
    address_const(&mut c, is64, flag);
    c.extend_from_slice(&[0x41, 0x7f, 0xfe, 0x00]);
    c.extend_from_slice(&memarg);
    c.extend_from_slice(&[0x1a, 0x0c, 0x01, 0x0b]);
    address_const(&mut c, is64, flag);
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
