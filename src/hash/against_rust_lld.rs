//! Checks the hash-order emulations of this module against rust-lld 22 (the two places where
//! an LLVM hash table, not input order, decides wasm-ld's output): C files compiled with
//! clang-19, linked with rust-lld, output read back through wasmparser's name section. A unit
//! test because `hash` is not part of the crate's API.
//!
//! - signature-mismatch stubs: `a.o` calls `int NAME(void)`, `b.o` defines `int NAME(int)`;
//!   rust-lld makes one `signature_mismatch:NAME` function per name, in the iteration order
//!   of a `DenseMap<CachedHashStringRef>` filled in detection order (b.o's symbol-table
//!   order): [`dense_map_order`].
//! - `--export` extraction: an archive with one member per function; the members are
//!   extracted while iterating the `--export` `StringMap`, so their functions appear in
//!   [`string_map_order`].
//!
//! Missing tools (clang-19, llvm-ar-19, rust-lld) fail the tests with a message.

use super::{dense_map_order, string_map_order};
use std::path::{Path, PathBuf};
use std::process::Command;
use wasmparser::{KnownCustom, Linking, Name, Parser, Payload, SymbolInfo};

/// rust-lld from the active Rust toolchain (fails the test, saying why, if it is missing).
fn rust_lld() -> PathBuf {
    touchstone_oracle::link::rust_lld_path().unwrap_or_else(|e| panic!("{e:#}"))
}

/// Runs `cmd`, panicking with a clear message if the tool is missing or fails.
fn run(mut cmd: Command, what: &str) -> std::process::Output {
    let out = cmd.output().unwrap_or_else(|e| {
        panic!(
            "cannot run {what} ({:?}); is it installed? {e}",
            cmd.get_program()
        )
    });
    assert!(
        out.status.success(),
        "{what} failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Compiles C source `src` to the wasm32 object `dir/name`.
fn compile(dir: &Path, name: &str, src: &str) -> PathBuf {
    let c = dir.join(format!("{name}.c"));
    std::fs::write(&c, src).expect("write C source");
    let o = dir.join(name);
    let mut cmd = Command::new("clang-19");
    cmd.args(["--target=wasm32-wasi", "-O1", "-c"])
        .arg(&c)
        .arg("-o")
        .arg(&o);
    run(cmd, "clang-19 (needed to compile the test inputs)");
    o
}

/// Links with rust-lld; returns (module bytes, stderr).
fn link(dir: &Path, inputs: &[PathBuf], args: &[String]) -> (Vec<u8>, String) {
    let out_path = dir.join("out.wasm");
    let mut cmd = Command::new(rust_lld());
    cmd.args(["-flavor", "wasm"])
        .args(inputs)
        .args(args)
        .arg("-o")
        .arg(&out_path);
    let out = run(cmd, "rust-lld");
    let bytes = std::fs::read(&out_path).expect("read linked module");
    (bytes, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Function names of the module's name section, in function-index order.
fn function_names(module: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    for payload in Parser::new(0).parse_all(module) {
        let Payload::CustomSection(c) = payload.expect("parse linked module") else {
            continue;
        };
        let KnownCustom::Name(reader) = c.as_known() else {
            continue;
        };
        for sub in reader {
            if let Name::Function(map) = sub.expect("name subsection") {
                for naming in map {
                    names.push(naming.expect("function name").name.to_string());
                }
            }
        }
    }
    assert!(!names.is_empty(), "linked module has no function names");
    names
}

/// Names of the defined function symbols of a relocatable object, in symbol-table order.
fn defined_function_symbols(object: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let mut imported_funcs = 0u32;
    for payload in Parser::new(0).parse_all(object) {
        match payload.expect("parse object") {
            Payload::ImportSection(imports) => {
                for imp in imports.into_imports() {
                    if matches!(imp.expect("import").ty, wasmparser::TypeRef::Func(_)) {
                        imported_funcs += 1;
                    }
                }
            }
            Payload::CustomSection(c) => {
                let KnownCustom::Linking(reader) = c.as_known() else {
                    continue;
                };
                for sub in reader.subsections() {
                    let Linking::SymbolTable(map) = sub.expect("linking subsection") else {
                        continue;
                    };
                    for sym in map {
                        if let SymbolInfo::Func {
                            index,
                            name: Some(name),
                            ..
                        } = sym.expect("symbol")
                        {
                            if index >= imported_funcs {
                                names.push(name.to_string());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    names
}

/// `count` distinct C identifiers whose lengths cycle through 1..=3, 4..=8, 9..=16, 17..=32,
/// 33..=64 and 65..=140 bytes (pseudo-random, fixed seed).
fn test_names(count: usize, seed: u64) -> Vec<String> {
    const CLASSES: [(usize, usize); 6] = [(1, 3), (4, 8), (9, 16), (17, 32), (33, 64), (65, 140)];
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut state = seed;
    let mut next = move || {
        // xorshift64
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out: Vec<String> = Vec::new();
    while out.len() < count {
        let (lo, hi) = CLASSES[out.len() % CLASSES.len()];
        let len = lo + (next() as usize) % (hi - lo + 1);
        // Start with a lowercase letter other than 'f' (keeps clear of `f_` export names).
        let mut s = String::new();
        s.push((b'g' + (next() % 20) as u8) as char);
        while s.len() < len {
            s.push(CHARS[(next() as usize) % CHARS.len()] as char);
        }
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

fn check_mismatch_order(count: usize, seed: u64) {
    let dir = tempfile::tempdir().expect("tempdir");
    let names = test_names(count, seed);
    // b.o defines the functions in one order...
    let mut defs = String::new();
    for (i, n) in names.iter().enumerate() {
        defs.push_str(&format!("int {n}(int x) {{ return x + {i}; }}\n"));
    }
    // ...a.o declares and calls them in the reverse order.
    let mut calls = String::new();
    for n in names.iter().rev() {
        calls.push_str(&format!("int {n}(void);\n"));
    }
    calls.push_str("int sink;\nvoid _start(void) {\n");
    for n in names.iter().rev() {
        calls.push_str(&format!("  sink += {n}();\n"));
    }
    calls.push_str("}\n");
    let a = compile(dir.path(), "a.o", &calls);
    let b = compile(dir.path(), "b.o", &defs);

    // Detection order: the order of b.o's definitions in its symbol table.
    let detection = defined_function_symbols(&std::fs::read(&b).expect("read b.o"));
    let mut sorted_detection = detection.clone();
    sorted_detection.sort();
    let mut sorted_names = names.clone();
    sorted_names.sort();
    assert_eq!(
        sorted_detection, sorted_names,
        "b.o symbols are not the test names"
    );

    let (module, stderr) = link(dir.path(), &[a, b], &[]);
    let stubs: Vec<String> = function_names(&module)
        .into_iter()
        .filter_map(|n| n.strip_prefix("signature_mismatch:").map(str::to_string))
        .collect();
    assert_eq!(
        stubs.len(),
        count,
        "expected one signature_mismatch stub per name"
    );

    let detection_refs: Vec<&str> = detection.iter().map(String::as_str).collect();
    let predicted = dense_map_order(&detection_refs);
    pretty_assertions::assert_eq!(
        predicted,
        stubs,
        "dense_map_order(b.o symbol order) differs from rust-lld's signature_mismatch stub order"
    );

    // The warnings come from the same DenseMap walk.
    let warned: Vec<&str> = stderr
        .lines()
        .filter_map(|l| {
            l.split_once("function signature mismatch: ")
                .map(|(_, n)| n.trim())
        })
        .collect();
    pretty_assertions::assert_eq!(warned, predicted, "warning order");
}

#[test]
fn signature_mismatch_stubs_follow_dense_map_order_8() {
    check_mismatch_order(8, 0x9e37_79b9_7f4a_7c15);
}

#[test]
fn signature_mismatch_stubs_follow_dense_map_order_60() {
    // 60 names: the map grows from 64 to 128 buckets at the 48th insert.
    check_mismatch_order(60, 0x0123_4567_89ab_cdef);
}

/// A collision-heavy set (many names, small table) where insertion order changes the
/// DenseMap order: only b.o's order predicts rust-lld.
#[test]
fn signature_mismatch_detection_order_is_definition_order() {
    let names = test_names(47, 0xdead_beef_cafe_f00d);
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let reversed: Vec<&str> = refs.iter().rev().copied().collect();
    assert_ne!(
        dense_map_order(&refs),
        dense_map_order(&reversed),
        "test set does not discriminate insertion orders; pick another seed"
    );
    check_mismatch_order(47, 0xdead_beef_cafe_f00d);
}

/// Links the archive with `--export` flags in forward and reversed order and checks each
/// against [`string_map_order`]; returns the two predictions.
fn check_export_order(count: usize, seed: u64) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().expect("tempdir");
    let funcs: Vec<String> = test_names(count, seed)
        .into_iter()
        .map(|n| format!("f_{n}"))
        .collect();
    // Archive members in name order, which is neither flag order nor hash order.
    let mut member_order = funcs.clone();
    member_order.sort();
    let mut members = Vec::new();
    for (i, f) in member_order.iter().enumerate() {
        let src = format!("int {f}(void) {{ return {i}; }}\n");
        members.push(compile(dir.path(), &format!("m{i}.o"), &src));
    }
    let archive = dir.path().join("lib.a");
    let mut ar = Command::new("llvm-ar-19");
    ar.arg("rcs").arg(&archive).args(&members);
    run(ar, "llvm-ar-19 (needed to build the test archive)");

    let mut predictions = Vec::new();
    for flags_reversed in [false, true] {
        let mut order: Vec<&str> = funcs.iter().map(String::as_str).collect();
        if flags_reversed {
            order.reverse();
        }
        // The set is filled in command-line order; under collisions that order matters.
        let predicted = string_map_order(&order);
        predictions.push(predicted.iter().map(|s| s.to_string()).collect());
        let mut args = vec!["--no-entry".to_string()];
        args.extend(order.iter().map(|f| format!("--export={f}")));
        let (module, _) = link(dir.path(), std::slice::from_ref(&archive), &args);
        let got: Vec<String> = function_names(&module)
            .into_iter()
            .filter(|n| n.starts_with("f_"))
            .collect();
        pretty_assertions::assert_eq!(
            predicted,
            got,
            "string_map_order(--export names) differs from rust-lld's extraction order \
             (flags reversed: {flags_reversed})"
        );
    }
    predictions
}

#[test]
fn export_extraction_follows_string_map_order_8() {
    check_export_order(8, 0x5555_aaaa_1234_5678);
}

#[test]
fn export_extraction_follows_string_map_order_30() {
    // 30 names: the StringMap grows from 16 to 32 to 64 buckets. With these names the two
    // flag orders collide differently, so the insertion order (command-line order) is tested.
    let p = check_export_order(30, 0x0bad_c0de_0bad_c0de);
    assert_ne!(
        p[0], p[1],
        "test set does not discriminate flag orders; pick another seed"
    );
}
