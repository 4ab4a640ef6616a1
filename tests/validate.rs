//! `--touchstone-validate` (Touchstone's own option): an input whose function body is corrupt
//! links into an invalid module without it, as with wasm-ld (rust-lld links the same input,
//! checked here); with it, the link fails with an error naming the input file (and archive
//! member), the function and the offset, and writes nothing. A valid link gives the same bytes
//! with and without the option.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A function whose body pops from an empty stack: well-formed bytes, invalid code.
const BROKEN: &str = r#"(module
  (func $helper (result i32) i32.const 1)
  (func $broken (export "broken") (result i32) i32.add))"#;

const MAIN: &str = r#"(module
  (import "env" "broken" (func $b (result i32)))
  (func $_start (export "_start") call $b drop))"#;

fn object(dir: &Path, name: &str, wat: &str) -> PathBuf {
    let path = dir.join(format!("{name}.o"));
    let bytes = touchstone_oracle::asm::assemble(wat, Path::new(&format!("{name}.wat")))
        .unwrap_or_else(|e| panic!("assembling {name}: {e}"));
    std::fs::write(&path, bytes).expect("write object");
    path
}

struct Outcome {
    success: bool,
    stderr: String,
    output: Option<Vec<u8>>,
}

fn link(program: &Path, prefix: &[&str], args: &[&str], dir: &Path) -> Outcome {
    let out = dir.join("out.wasm");
    let _ = std::fs::remove_file(&out);
    let o = Command::new(program)
        .current_dir(dir)
        .args(prefix)
        .args(args)
        .args(["-o", "out.wasm"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    Outcome {
        success: o.status.success(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        output: std::fs::read(out).ok(),
    }
}

fn touchstone(args: &[&str], dir: &Path) -> Outcome {
    link(
        Path::new(env!("CARGO_BIN_EXE_touchstone-ld")),
        &[],
        args,
        dir,
    )
}

fn validates(wasm: &[u8]) -> bool {
    touchstone_oracle::model::validate(wasm).is_ok()
}

#[test]
fn a_corrupt_body_is_refused_with_its_source_only_when_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    object(dir.path(), "main", MAIN);
    object(dir.path(), "bad", BROKEN);
    let inputs = ["main.o", "bad.o"];

    // As wasm-ld: linked, invalid.
    let lld = touchstone_oracle::link::rust_lld_path().unwrap_or_else(|e| panic!("{e:#}"));
    let theirs = link(&lld, &["-flavor", "wasm"], &inputs, dir.path());
    assert!(theirs.success, "rust-lld: {}", theirs.stderr);
    assert!(!validates(&theirs.output.expect("rust-lld output")));
    let plain = touchstone(&inputs, dir.path());
    assert!(plain.success, "{}", plain.stderr);
    assert!(!validates(&plain.output.expect("output")));

    let checked = touchstone(&["--touchstone-validate", "main.o", "bad.o"], dir.path());
    assert!(!checked.success);
    assert!(checked.output.is_none(), "an output file was written");
    assert_eq!(checked.stderr.lines().count(), 1, "{}", checked.stderr);
    for part in [
        "touchstone-ld: error: bad.o: function 'broken' (function 1 of the input",
        // bad.o's code section: count, helper (5 bytes), then broken's size LEB at 6, its
        // locals at 7 and the i32.add that finds nothing on the stack at 8.
        "at offset 0x8 of its code section",
        "the output does not validate: type mismatch",
    ] {
        assert!(
            checked.stderr.contains(part),
            "{part:?} not in {}",
            checked.stderr
        );
    }
}

#[test]
fn an_archive_member_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    object(dir.path(), "main", MAIN);
    object(dir.path(), "bad", BROKEN);
    let ar = Command::new("llvm-ar-19")
        .current_dir(dir.path())
        .args(["rc", "libbad.a", "bad.o"])
        .status()
        .expect("llvm-ar-19 (package llvm-19, ci/setup)");
    assert!(ar.success());
    let checked = touchstone(&["--touchstone-validate", "main.o", "libbad.a"], dir.path());
    assert!(!checked.success);
    assert!(
        checked
            .stderr
            .contains("libbad.a(bad.o): function 'broken'"),
        "{}",
        checked.stderr
    );
}

#[test]
fn a_valid_link_is_the_same_with_the_option() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = r#"(module
  (func $_start (export "_start") i32.const 0 (@addr $v) i32.load drop)
  (data $v (@segment align=4) "\01\00\00\00"))"#;
    object(dir.path(), "good", good);
    let plain = touchstone(&["good.o"], dir.path());
    let checked = touchstone(&["--touchstone-validate", "good.o"], dir.path());
    assert!(plain.success && checked.success, "{}", checked.stderr);
    assert_eq!(plain.output, checked.output);
}
