//! Inputs that are odd but that wasm-ld links, found by the bad-input campaign (ci/badinput):
//! touchstone-ld must link them too, byte for byte as rust-lld does.

use std::path::Path;
use std::process::Command;

fn run(program: &Path, prefix: &[&str], args: &[&str], dir: &Path, out: &str) -> Vec<u8> {
    let o = Command::new(program)
        .current_dir(dir)
        .args(prefix)
        .args(args)
        .args(["-o", out])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    assert!(
        o.status.success(),
        "{}: {}",
        program.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::read(dir.join(out)).expect("output")
}

/// A `target_features` name that is not UTF-8: LLVM's reader copies the bytes, and wasm-ld
/// writes them back into the output's `target_features`.
#[test]
fn a_feature_name_that_is_not_utf8_is_copied() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("m.c");
    std::fs::write(&src, "int f(void) { return 1; }\n").expect("write");
    let status = Command::new("clang-19")
        .current_dir(dir.path())
        .args([
            "--target=wasm32-unknown-unknown",
            "-O2",
            "-c",
            "m.c",
            "-o",
            "m.o",
        ])
        .status()
        .expect("clang-19 (package clang-19, ci/setup)");
    assert!(status.success());
    let mut bytes = std::fs::read(dir.path().join("m.o")).expect("object");
    let at = bytes
        .windows(b"mutable-globals".len())
        .rposition(|w| w == b"mutable-globals")
        .expect("clang-19 lists mutable-globals in target_features");
    bytes[at + 3] = 0xff;
    std::fs::write(dir.path().join("m.o"), &bytes).expect("write");

    let args = ["--no-entry", "--export=f", "m.o"];
    let lld = touchstone_oracle::link::rust_lld_path().unwrap_or_else(|e| panic!("{e:#}"));
    std::fs::create_dir_all(dir.path().join("r")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("t")).expect("mkdir");
    let theirs = run(&lld, &["-flavor", "wasm"], &args, dir.path(), "r/out.wasm");
    let ours = run(
        Path::new(env!("CARGO_BIN_EXE_touchstone-ld")),
        &[],
        &args,
        dir.path(),
        "t/out.wasm",
    );
    assert!(
        ours.windows(4).any(|w| w == b"mut\xff"),
        "the name was not copied"
    );
    assert!(ours == theirs, "output differs from rust-lld's");
}
