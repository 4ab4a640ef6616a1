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
