//! Replays the committed fuzz inputs through the fuzz targets' own code (the
//! touchstone-fuzz-harness library in tests/fuzz-harness, which fuzz/ wraps for libFuzzer), so
//! that `cargo test` catches a regression in any target without libFuzzer or a nightly
//! toolchain, as wasm-tools does with its seeded inputs.
//!
//! Inputs: `fuzz/seeds/TARGET/*` (a small seed corpus: generated objects and archives for
//! `parse`, generator inputs for the others) and `fuzz/regressions/TARGET/*` (every input that
//! once crashed a target, kept after the fix). Each input must pass: no panic, no property
//! failure. An ignored test (`mutate_library_mode_bulk`) runs `mutate` on many pseudo-random
//! inputs in its shared-library mode, for a search without libFuzzer.

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
                let msg = panic_message(p.as_ref());
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

/// Some seeds take `mutate`'s library mode (the victim linked into a shared library, which is
/// corrupted: touchstone-ld reading a damaged `dylink.0` input), the same every time, and
/// `mutate` passes on them.
#[test]
fn mutate_inputs_cover_library_mode() {
    let mut library = Vec::new();
    for f in inputs("mutate") {
        let data = std::fs::read(&f).unwrap_or_else(|e| panic!("cannot read {}: {e}", f.display()));
        match fuzzlib::mutated(&data) {
            Ok(m) if m.library => {
                let again = fuzzlib::mutated(&data).unwrap_or_else(|e| panic!("{e}"));
                assert!(
                    again.library && again.bytes == m.bytes && again.done == m.done,
                    "{}: library mode is not deterministic",
                    f.display()
                );
                library.push(f);
            }
            _ => {}
        }
    }
    assert!(!library.is_empty(), "no mutate input takes library mode");
    for f in &library {
        let data = std::fs::read(f).unwrap_or_else(|e| panic!("cannot read {}: {e}", f.display()));
        if let Err(e) = fuzzlib::mutate(&data) {
            panic!("{}: {e}", f.display());
        }
    }
}

/// A bulk run of `mutate` restricted to library mode, to find where touchstone-ld misreads a
/// damaged shared library without libFuzzer: `TOUCHSTONE_FUZZ_RUNS` (default 2000)
/// library-mode inputs made from pseudo-random bytes (seed `TOUCHSTONE_FUZZ_SEED`, default
/// 1); each failing input is saved in `TOUCHSTONE_FUZZ_FAILURES` (default
/// /tmp/mutate-lib-failures) to replay with `mutate`. Run with `cargo test --test
/// fuzz_replay mutate_library_mode_bulk -- --ignored --nocapture`.
#[test]
#[ignore = "a long run: see the comment"]
fn mutate_library_mode_bulk() {
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let runs = env("TOUCHSTONE_FUZZ_RUNS", 2000);
    let mut rng = Xorshift(env("TOUCHSTONE_FUZZ_SEED", 1).max(1));
    let saved = std::env::var_os("TOUCHSTONE_FUZZ_FAILURES")
        .map_or_else(|| PathBuf::from("/tmp/mutate-lib-failures"), PathBuf::from);
    let (mut tried, mut done, mut linked, mut failures) = (0u64, 0u64, 0u64, Vec::new());
    while done < runs {
        let len = 16 + (rng.next() % 300) as usize;
        let data = rng.bytes(len);
        tried += 1;
        if !fuzzlib::mutated(&data).is_ok_and(|m| m.library) {
            continue;
        }
        done += 1;
        match mutate_once(&data) {
            Ok(l) => linked += u64::from(l),
            Err(e) => failures.push(format!("{}: {e}", save_input(&saved, &data).display())),
        }
    }
    eprintln!(
        "{done} library-mode inputs (of {tried} tried): {linked} linked, {} failures",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Runs `mutate` on `data`: whether it linked, or the failure (a panic is one). Each outcome
/// is printed when `TOUCHSTONE_FUZZ_VERBOSE` is set.
fn mutate_once(data: &[u8]) -> Result<bool, String> {
    match catch_unwind(AssertUnwindSafe(|| fuzzlib::mutate_outcome(data))) {
        Ok(Ok(refused)) => {
            if std::env::var_os("TOUCHSTONE_FUZZ_VERBOSE").is_some() {
                eprintln!("{refused:?}");
            }
            Ok(refused.is_none())
        }
        Ok(Err(e)) => Err(e),
        Err(p) => Err(format!("panicked: {}", panic_message(p.as_ref()))),
    }
}

/// Saves a failing input in `dir` under a name its bytes give; the file.
fn save_input(dir: &Path, data: &[u8]) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let file = dir.join(format!("input-{:016x}", fnv(data)));
    std::fs::write(&file, data).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    file
}

/// A panic's message.
fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// FNV-1a of `data`: a failing input's file name, the same for the same input.
fn fnv(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// A small pseudo-random generator (xorshift64): the bulk run needs no crate, and a seed
/// repeats it.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
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
