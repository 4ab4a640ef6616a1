//! Replays the committed fuzz inputs through the fuzz targets' own code (the
//! touchstone-fuzz-harness library in tests/fuzz-harness, which fuzz/ wraps for libFuzzer), so
//! that `cargo test` catches a regression in any target without libFuzzer or a nightly
//! toolchain, as wasm-tools does with its seeded inputs.
//!
//! Inputs: `fuzz/seeds/TARGET/*` (a small seed corpus: generated objects and archives for
//! `parse`, generator inputs for the others) and `fuzz/regressions/TARGET/*` (every input that
//! once crashed a target, kept after the fix). Each input must pass: no panic, no property
//! failure.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use touchstone_fuzz_harness as fuzzlib;

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for e in entries.flatten() {
            if e.path().is_file() {
                files.push(e.path());
            }
        }
    }
    files.sort();
    files
}

fn replay(target: &str, run: fn(&[u8]) -> Result<(), String>) {
    let files = inputs(target);
    assert!(
        !files.is_empty(),
        "no inputs for fuzz target `{target}` in fuzz/seeds/{target}/ (the seed corpus is missing)"
    );
    let mut failures = Vec::new();
    for f in &files {
        let data = std::fs::read(f).unwrap_or_else(|e| panic!("cannot read {}: {e}", f.display()));
        match catch_unwind(AssertUnwindSafe(|| run(&data))) {
            Ok(Ok(())) => {}
            Ok(Err(e)) => failures.push(format!("{}: {e}", f.display())),
            Err(p) => {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{}: panicked: {msg}", f.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "fuzz target `{target}`: {} of {} inputs fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

#[test]
fn parse_inputs_replay() {
    replay("parse", fuzzlib::parse);
}

#[test]
fn link_inputs_replay() {
    replay("link", fuzzlib::link);
}

#[test]
fn differential_inputs_replay() {
    replay("differential", fuzzlib::differential);
}

#[test]
fn mutate_inputs_replay() {
    replay("mutate", fuzzlib::mutate);
}

/// The seeds take `mutate` through partial links (`-r`) as well as final ones.
#[test]
fn mutate_inputs_cover_partial_and_final_links() {
    let (mut partial, mut total) = (0, 0);
    for f in inputs("mutate") {
        let data = std::fs::read(&f).unwrap_or_else(|e| panic!("cannot read {}: {e}", f.display()));
        if let Ok(m) = fuzzlib::mutated(&data) {
            total += 1;
            partial += usize::from(m.partial);
        }
    }
    assert!(
        partial > 0 && partial < total,
        "{partial} of {total} mutate inputs link with -r"
    );
}

#[test]
fn known_difference_globs_match_as_documented() {
    assert!(fuzzlib::glob(
        "func[undefined_weak:*]",
        "func[undefined_weak:r2]"
    ));
    assert!(!fuzzlib::glob("func[undefined_weak:*]", "func[c1#2]"));
    assert!(fuzzlib::glob("*", "data.data.size"));
    assert!(fuzzlib::glob("data.*.size", "data.rodata.size"));
    assert!(!fuzzlib::glob("data.*.size", "data.rodata.bytes"));
    assert!(!fuzzlib::glob("export.run", "export.run.kind"));
}

/// Turns a fuzz input into a testsuite case folder, to reproduce and keep what a target
/// found: `TOUCHSTONE_FUZZ_INPUT=FILE TOUCHSTONE_CASE_DIR=DIR cargo test --test fuzz_replay
/// write_case -- --ignored` (the generated program of `link`/`differential`, expecting the
/// run result the generator predicts).
#[test]
#[ignore = "a tool: run with TOUCHSTONE_FUZZ_INPUT and TOUCHSTONE_CASE_DIR set"]
fn write_case() {
    let (Some(input), Some(dir)) = (
        std::env::var_os("TOUCHSTONE_FUZZ_INPUT"),
        std::env::var_os("TOUCHSTONE_CASE_DIR"),
    ) else {
        panic!("set TOUCHSTONE_FUZZ_INPUT (a fuzz input file) and TOUCHSTONE_CASE_DIR (the case folder to write)");
    };
    let data = std::fs::read(&input).unwrap_or_else(|e| panic!("cannot read {input:?}: {e}"));
    let p = fuzzlib::program(&data).unwrap_or_else(|e| panic!("{e}"));
    let name = Path::new(&input)
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    p.write_case(Path::new(&dir), &format!("From fuzz input {name}."))
        .unwrap_or_else(|e| panic!("{e}"));
}
