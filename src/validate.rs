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

use crate::args::Config;
use crate::error::Result;
use crate::layout::{Layout, OutFunction};
use crate::object::SymbolKind;
use crate::resolve::Resolved;
use wasmparser::{Parser, Payload, Validator, WasmFeatures};

/// Validates `module`, the output of this link; the error names where bad bytes came from.
pub fn validate(config: &Config, res: &Resolved, layout: &Layout, module: &[u8]) -> Result<()> {
    let mut validator = Validator::new_with_features(features(&layout.features.0));
    let Err(e) = validator.validate_all(module) else {
        return Ok(());
    };
    let at = e.offset();
    Err(crate::err!(
        "{}: the output does not validate: {}",
        locate(config, res, layout, module, at),
        e.message()
    ))
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
