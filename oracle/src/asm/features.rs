//! The `target_features` section clang 19 writes, inferred from what a module uses.
//!
//! clang 19 (`--target=wasm32-wasi`, `-mcpu=generic`) marks four features used in every object:
//! `+multivalue +mutable-globals +reference-types +sign-ext`. A feature enabled on the command
//! line (`-matomics`, `-mbulk-memory`, `-msimd128`, ...) is added to them; the assembler adds
//! the ones whose instructions, types or sections the module uses, as if it had been compiled
//! with the flag that allows them:
//!
//! | used in the module | feature |
//! | --- | --- |
//! | atomic instructions, a shared memory | `atomics` |
//! | `memory.copy/fill/init`, `data.drop`, `table.copy/init`, `elem.drop` | `bulk-memory` |
//! | thread-local data (a `tls` segment, a TLS symbol or a TLS relocation) | `atomics`, `bulk-memory` (clang keeps thread-locals only with both, `-pthread`) |
//! | `try`/`catch`/`throw`/`try_table`/..., a tag, `exnref` | `exception-handling` |
//! | `i32/i64.add/sub/mul` in a global's initializer | `extended-const` |
//! | more than one memory | `multimemory` |
//! | `*.trunc_sat_*` | `nontrapping-fptoint` |
//! | relaxed SIMD instructions | `relaxed-simd`, `simd128` (`-mrelaxed-simd` implies `simd128`) |
//! | SIMD instructions, `v128` values | `simd128` |
//! | `return_call`, `return_call_indirect` | `tail-call` |
//! | a 64-bit memory (`(@wasm64)`) | `memory64` |
//!
//! Order, as clang writes it (WebAssemblyAsmPrinter::EmitTargetFeatures): the features of
//! LLVM's WebAssemblyFeatureKV table, which is sorted by name, then the pseudo-feature
//! `shared-mem`, then `memory64` when pointers are 64-bit (an "architecture", appended last:
//! `--target=wasm64-wasi` gives `... +sign-ext +memory64`). The only `-` entry clang 19 writes is
//! `-shared-mem`, when it had to lower atomics or thread-locals for lack of `atomics` /
//! `bulk-memory`; code that uses them here gets those features instead, so no `-` entry is
//! ever inferred. Every entry is `+`.

use std::collections::BTreeSet;
use wasmparser::{
    AbstractHeapType, CompositeInnerType, HeapType, Operator, Payload, TypeRef, ValType,
};

/// Features every clang 19 object lists (`-mcpu=generic`).
pub(super) const DEFAULT: [&str; 4] = [
    "multivalue",
    "mutable-globals",
    "reference-types",
    "sign-ext",
];

/// The features a value type needs beyond the MVP (and the default set).
fn val_type(t: ValType, out: &mut BTreeSet<&'static str>) {
    match t {
        ValType::V128 => {
            out.insert("simd128");
        }
        ValType::Ref(r) => {
            if let HeapType::Abstract {
                ty: AbstractHeapType::Exn | AbstractHeapType::NoExn,
                ..
            } = r.heap_type()
            {
                out.insert("exception-handling");
            }
        }
        _ => {}
    }
}

/// The LLVM features an instruction needs (by the proposal wasmparser files it under).
fn operator(op: &Operator) -> &'static [&'static str] {
    macro_rules! by_proposal {
        ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
            match op {
                $( Operator::$op { .. } => by_proposal!(one @$proposal), )*
                #[allow(unreachable_patterns)]
                _ => &[],
            }
        };
        (one @sign_extension) => { &["sign-ext"] };
        (one @saturating_float_to_int) => { &["nontrapping-fptoint"] };
        (one @bulk_memory) => { &["bulk-memory"] };
        (one @reference_types) => { &["reference-types"] };
        (one @tail_call) => { &["tail-call"] };
        (one @threads) => { &["atomics"] };
        (one @simd) => { &["simd128"] };
        (one @relaxed_simd) => { &["relaxed-simd", "simd128"] };
        (one @exceptions) => { &["exception-handling"] };
        (one @legacy_exceptions) => { &["exception-handling"] };
        // The MVP, and proposals clang 19 has no feature for (gc, stack switching, ...).
        (one @$proposal:ident) => { &[] };
    }
    wasmparser::for_each_operator!(by_proposal)
}

/// The features the encoded module `binary` uses, beyond what only the assembler knows
/// (thread-local data, 64-bit memory).
pub(super) fn used(binary: &[u8]) -> Result<BTreeSet<&'static str>, wasmparser::BinaryReaderError> {
    let mut out = BTreeSet::new();
    let mut memories = 0usize;
    for payload in wasmparser::Parser::new(0).parse_all(binary) {
        match payload? {
            Payload::TypeSection(r) => {
                for group in r {
                    for sub in group?.into_types() {
                        if let CompositeInnerType::Func(f) = &sub.composite_type.inner {
                            for t in f.params().iter().chain(f.results()) {
                                val_type(*t, &mut out);
                            }
                        }
                    }
                }
            }
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    match imp?.ty {
                        TypeRef::Memory(m) => {
                            memories += 1;
                            if m.shared {
                                out.insert("atomics");
                            }
                        }
                        TypeRef::Global(g) => val_type(g.content_type, &mut out),
                        TypeRef::Tag(_) => {
                            out.insert("exception-handling");
                        }
                        _ => {}
                    }
                }
            }
            Payload::MemorySection(r) => {
                for m in r {
                    memories += 1;
                    if m?.shared {
                        out.insert("atomics");
                    }
                }
            }
            Payload::TagSection(_) => {
                out.insert("exception-handling");
            }
            Payload::GlobalSection(r) => {
                for g in r {
                    let g = g?;
                    val_type(g.ty.content_type, &mut out);
                    let mut ops = g.init_expr.get_operators_reader();
                    while !ops.eof() {
                        let op = ops.read()?;
                        if matches!(
                            op,
                            Operator::I32Add
                                | Operator::I32Sub
                                | Operator::I32Mul
                                | Operator::I64Add
                                | Operator::I64Sub
                                | Operator::I64Mul
                        ) {
                            out.insert("extended-const");
                        }
                        out.extend(operator(&op));
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                for local in body.get_locals_reader()? {
                    val_type(local?.1, &mut out);
                }
                let mut ops = body.get_operators_reader()?;
                while !ops.eof() {
                    out.extend(operator(&ops.read()?));
                }
            }
            _ => {}
        }
    }
    if memories > 1 {
        out.insert("multimemory");
    }
    Ok(out)
}

/// The `target_features` entries clang 19 writes for a module using `used` (on top of the
/// default set), in its order.
pub(super) fn entries(used: &BTreeSet<&'static str>, wasm64: bool) -> Vec<(u8, String)> {
    let mut names: BTreeSet<&str> = DEFAULT.into_iter().collect();
    names.extend(used.iter().copied().filter(|n| *n != "memory64"));
    let mut out: Vec<(u8, String)> = names.into_iter().map(|n| (b'+', n.to_string())).collect();
    if wasm64 {
        out.push((b'+', "memory64".to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infer(text: &str) -> Vec<String> {
        let bin = wat_bytes(text);
        entries(&used(&bin).unwrap(), false)
            .into_iter()
            .map(|(p, n)| format!("{}{n}", p as char))
            .collect()
    }

    fn wat_bytes(text: &str) -> Vec<u8> {
        let buf = wast::parser::ParseBuffer::new(text).unwrap();
        let mut wat = wast::parser::parse::<wast::Wat>(&buf).unwrap();
        wat.encode().unwrap()
    }

    #[test]
    fn plain_code_gets_the_default_set() {
        assert_eq!(
            infer("(module (func (result i32) i32.const 1))"),
            [
                "+multivalue",
                "+mutable-globals",
                "+reference-types",
                "+sign-ext"
            ]
        );
    }

    #[test]
    fn used_features_are_added_in_name_order() {
        let text = r#"(module
          (memory 1 1 shared)
          (func (param f32) (result i32)
            i32.const 0 i32.const 0 i32.const 0 memory.fill
            i32.const 0 i32.const 1 i32.atomic.rmw.add drop
            local.get 0 i32.trunc_sat_f32_s
            return_call 1)
          (func (result i32) i32.const 0))"#;
        assert_eq!(
            infer(text),
            [
                "+atomics",
                "+bulk-memory",
                "+multivalue",
                "+mutable-globals",
                "+nontrapping-fptoint",
                "+reference-types",
                "+sign-ext",
                "+tail-call"
            ]
        );
        let simd = "(module (func (param v128) (result v128)
          local.get 0 local.get 0 local.get 0 i32x4.relaxed_laneselect))";
        assert_eq!(
            infer(simd),
            [
                "+multivalue",
                "+mutable-globals",
                "+reference-types",
                "+relaxed-simd",
                "+sign-ext",
                "+simd128"
            ]
        );
        let eh =
            "(module (tag $e) (global i32 (i32.add (i32.const 1) (i32.const 2))) (func throw $e))";
        assert_eq!(
            infer(eh),
            [
                "+exception-handling",
                "+extended-const",
                "+multivalue",
                "+mutable-globals",
                "+reference-types",
                "+sign-ext"
            ]
        );
    }

    #[test]
    fn memory64_comes_last() {
        let e = entries(&BTreeSet::from(["atomics"]), true);
        let names: Vec<&str> = e.iter().map(|x| x.1.as_str()).collect();
        assert_eq!(
            names,
            [
                "atomics",
                "multivalue",
                "mutable-globals",
                "reference-types",
                "sign-ext",
                "memory64"
            ]
        );
    }
}
