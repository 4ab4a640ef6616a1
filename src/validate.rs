//! Stage `validate` (`--touchstone-validate`, a Touchstone extension; wasm-ld has nothing like
//! it): the module, built in memory, is checked with wasmparser's validator before it is
//! written, so that corrupt input (a function body with a wrong local count, a bad opcode)
//! fails the link instead of becoming an invalid module. wasm-ld copies input function bodies
//! without reading them, and so does touchstone-ld without this option.
//!
//! The validator accepts the WebAssembly features wasmparser enables by default and those the
//! link declares in its `target_features` section. A failure is reported at its source: for
//! an offset inside a function body, the input file (and archive member), the function's
//! symbol name and index in that input, and the offset in the input's code section (bodies
//! keep their length when relocated, so the offset carries over); elsewhere, the output
//! section and offset.
//!
//! Function bodies are validated on as many threads as the machine has (each body is checked
//! on its own, as wasmtime does): the check is outside the linker's single-threaded core, and
//! it is the option's whole cost. The error reported is the one `Validator::validate_all`
//! would give, so the outcome does not depend on the threads.

use crate::args::Config;
use crate::error::Result;
use crate::layout::{Layout, OutFunction};
use crate::object::SymbolKind;
use crate::resolve::Resolved;
use wasmparser::{
    BinaryReaderError, FuncToValidate, FuncValidatorAllocations, FunctionBody, Parser, Payload,
    ValidPayload, Validator, ValidatorResources, WasmFeatures,
};

/// Validates `module`, the output of this link; the error names where bad bytes came from.
pub fn validate(config: &Config, res: &Resolved, layout: &Layout, module: &[u8]) -> Result<()> {
    let Err(e) = validate_module(module, features(&layout.features.0)) else {
        return Ok(());
    };
    let at = e.offset();
    Err(crate::err!(
        "{}: the output does not validate: {}",
        locate(config, res, layout, module, at),
        e.message()
    ))
}

/// wasmparser's `Validator::validate_all`, with the function bodies spread over threads: the
/// module's sections first (their first error wins), then the bodies, where the first body in
/// module order that fails gives the error.
fn validate_module(module: &[u8], features: WasmFeatures) -> Result<(), BinaryReaderError> {
    let mut validator = Validator::new_with_features(features);
    let mut bodies = Vec::new();
    for payload in Parser::new(0).parse_all(module) {
        if let ValidPayload::Func(func, body) = validator.payload(&payload?)? {
            bodies.push((func, body));
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Small modules are not worth a thread.
    let threads = threads.min(bodies.len() / 64).max(1);
    // Round-robin shares: sizes even out, and each share is in module order.
    let mut shares: Vec<Vec<_>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, (func, body)) in bodies.into_iter().enumerate() {
        shares[i % threads].push((i, func, body));
    }
    let failures: Vec<(usize, BinaryReaderError)> = if threads == 1 {
        shares.pop().and_then(validate_share).into_iter().collect()
    } else {
        std::thread::scope(|s| {
            let workers: Vec<_> = shares
                .into_iter()
                .map(|share| s.spawn(move || validate_share(share)))
                .collect();
            workers
                .into_iter()
                .filter_map(|w| w.join().expect("a validator thread panicked"))
                .collect()
        })
    };
    match failures.into_iter().min_by_key(|(i, _)| *i) {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

/// Validates a share of the bodies in order, stopping at the first that fails; returns its
/// index and error. The lowest failing index over all shares is the first failing body: every
/// body before it sits before its own share's first failure, so it was checked.
fn validate_share(
    share: Vec<(usize, FuncToValidate<ValidatorResources>, FunctionBody<'_>)>,
) -> Option<(usize, BinaryReaderError)> {
    let mut allocs = FuncValidatorAllocations::default();
    for (i, func, body) in share {
        let mut v = func.into_validator(allocs);
        if let Err(e) = v.validate(&body) {
            return Some((i, e));
        }
        allocs = v.into_allocations();
    }
    None
}

/// wasmparser's default features plus those named in the output's `target_features`.
fn features(names: &[Vec<u8>]) -> WasmFeatures {
    let mut f = WasmFeatures::default();
    for name in names {
        f |= match std::str::from_utf8(name).unwrap_or("") {
            "atomics" => WasmFeatures::THREADS,
            "bulk-memory" | "bulk-memory-opt" => WasmFeatures::BULK_MEMORY,
            "call-indirect-overlong" => WasmFeatures::CALL_INDIRECT_OVERLONG,
            "exception-handling" => WasmFeatures::EXCEPTIONS | WasmFeatures::LEGACY_EXCEPTIONS,
            "extended-const" => WasmFeatures::EXTENDED_CONST,
            "gc" => WasmFeatures::GC,
            "memory64" => WasmFeatures::MEMORY64,
            "multimemory" => WasmFeatures::MULTI_MEMORY,
            "multivalue" => WasmFeatures::MULTI_VALUE,
            "mutable-globals" => WasmFeatures::MUTABLE_GLOBAL,
            "nontrapping-fptoint" => WasmFeatures::SATURATING_FLOAT_TO_INT,
            "reference-types" => WasmFeatures::REFERENCE_TYPES,
            "relaxed-simd" => WasmFeatures::RELAXED_SIMD,
            "sign-ext" => WasmFeatures::SIGN_EXTENSION,
            "simd128" => WasmFeatures::SIMD,
            "tail-call" => WasmFeatures::TAIL_CALL,
            "wide-arithmetic" => WasmFeatures::WIDE_ARITHMETIC,
            _ => WasmFeatures::empty(),
        };
    }
    f
}

/// Where output offset `at` came from.
fn locate(config: &Config, res: &Resolved, layout: &Layout, module: &[u8], at: u64) -> String {
    let mut section = "the module header".to_string();
    let mut body = 0usize;
    for payload in Parser::new(0).parse_all(module) {
        let Ok(payload) = payload else { break };
        if let Payload::CodeSectionEntry(b) = &payload {
            // The body's end too: "control frames remain" is reported just past the last byte
            // (the next body starts after its size LEB, so no offset is claimed twice).
            let range = b.range();
            if range.start <= at && at <= range.end {
                return function_source(config, res, layout, body, at - range.start);
            }
            body += 1;
            continue;
        }
        if let Some((id, range)) = payload.as_section() {
            // Inside the code section, the bodies (above) say more than the section.
            let in_code =
                matches!(payload, Payload::CodeSectionStart { .. }) && range.contains(&at);
            if !in_code && (range.contains(&at) || range.start > at) {
                if range.start <= at {
                    section = section_name(id, &payload);
                }
                break;
            }
            section = section_name(id, &payload);
        }
    }
    format!("output section {section} at offset 0x{at:x}")
}

/// The input of defined output function `defined` (its position in the code section), with
/// `offset` into its body (counted after the body's size LEB).
fn function_source(
    config: &Config,
    res: &Resolved,
    layout: &Layout,
    defined: usize,
    offset: u64,
) -> String {
    let index = layout.functions.num_imported as usize + defined;
    match layout.functions.defined.get(defined) {
        Some(OutFunction::Object { object, index: f }) => {
            let loaded = res.object(*object);
            let obj = &loaded.obj;
            let symbol = obj
                .symbols
                .iter()
                .find(|s| {
                    s.kind == SymbolKind::Function
                        && s.is_defined()
                        && obj.defined_index(s.kind, s.index) == Some(*f as usize)
                })
                .map(|s| format!("'{}' ", crate::demangle::demangle(config, s.name)))
                .unwrap_or_default();
            let function = &obj.functions[*f as usize];
            // In the input's code section payload: where the body starts (its size LEB), past
            // that LEB, then the error's place in the body (`offset` counts from after the
            // output's size LEB, and relocation keeps a body's length).
            let size_leb = function
                .body
                .iter()
                .position(|b| b & 0x80 == 0)
                .map_or(0, |i| i + 1);
            let input_offset = u64::from(function.offset) + size_leb as u64 + offset;
            format!(
                "{}: function {symbol}(function {} of the input, output function {index}) at offset 0x{input_offset:x} of its code section",
                loaded.name,
                f + obj.num_imported_functions()
            )
        }
        Some(OutFunction::Synthetic { kind, .. }) => format!(
            "the linker-made function {} (output function {index})",
            kind.name(config, res)
        ),
        None => format!("output function {index}"),
    }
}

fn section_name(id: u8, payload: &Payload<'_>) -> String {
    match payload {
        Payload::CustomSection(c) => format!("'{}'", c.name()),
        _ => touchstone_format::section_name(id).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module of `n` functions `() -> ()`, those in `bad` doing `i32.add` on an empty stack.
    fn module(n: u32, bad: &[u32]) -> Vec<u8> {
        let section = |id: u8, body: Vec<u8>, out: &mut Vec<u8>| {
            out.push(id);
            crate::leb::write_u32(out, body.len() as u32);
            out.extend(body);
        };
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        section(1, vec![1, 0x60, 0, 0], &mut m);
        let mut funcs = Vec::new();
        crate::leb::write_u32(&mut funcs, n);
        funcs.extend(std::iter::repeat_n(0u8, n as usize));
        section(3, funcs, &mut m);
        let mut code = Vec::new();
        crate::leb::write_u32(&mut code, n);
        for i in 0..n {
            code.extend(if bad.contains(&i) {
                &[3, 0, 0x6a, 0x0b][..]
            } else {
                &[2, 0, 0x0b][..]
            });
        }
        section(10, code, &mut m);
        m
    }

    /// The threads report what `validate_all` reports: the first failing body in module order,
    /// whichever thread checks it; and a valid module passes.
    #[test]
    fn threaded_validation_reports_the_first_failing_body() {
        let features = WasmFeatures::default();
        assert!(validate_module(&module(1000, &[]), features).is_ok());
        for bad in [&[0][..], &[999], &[301, 302, 700], &[555, 17]] {
            let m = module(1000, bad);
            let ours = validate_module(&m, features).unwrap_err();
            let Err(theirs) = Validator::new_with_features(features).validate_all(&m) else {
                panic!("validate_all accepts bad bodies {bad:?}");
            };
            assert_eq!(
                (ours.offset(), ours.message()),
                (theirs.offset(), theirs.message()),
                "bad bodies {bad:?}"
            );
        }
    }
}
