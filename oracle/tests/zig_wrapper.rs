//! ci/zig-wasm-ld, the wrapper that puts zig's wasm linker behind wasm-ld's command line,
//! translates without running zig (`ZIG_WASM_LD_DRY_RUN=1` prints the zig command): wasm-ld's
//! defaults made explicit (entry `_start`, `--gc-sections`, a 64 KiB stack), no zig runtime
//! (`-fno-compiler-rt -fno-ubsan-rt`), `-lNAME` resolved to a file on the `-L` paths (never
//! handed to zig, which would link its own libc for `-lc`), the CPU features taken from the
//! inputs' `target_features` sections, names zig would not recognize given a `.o` alias, and
//! options zig cannot express refused with exit status 2 and `unsupported by zig: FLAG`.
//!
//! Needs python3 (the wrapper's interpreter); zig itself is not run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn wrapper() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ci/zig-wasm-ld")
}

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new("python3")
        .arg(wrapper())
        .args(args)
        .current_dir(dir)
        .env("ZIG_WASM_LD_DRY_RUN", "1")
        .env_remove("ZIG_WASM_LD_VERBOSE")
        .output()
        .expect("python3 runs ci/zig-wasm-ld (is python3 installed?)")
}

fn words(o: &Output) -> Vec<String> {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    shell_words::split(String::from_utf8_lossy(&o.stdout).trim()).expect("a shell command")
}

fn object(dir: &Path, name: &str, wat: &str) {
    let bytes = touchstone_oracle::asm::assemble(wat, Path::new(name)).expect("assembles");
    std::fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn wasm_ld_options_become_zig_options() {
    let dir = tempfile::tempdir().unwrap();
    object(
        dir.path(),
        "a.o",
        "(module (@features +sign-ext +mutable-globals) (func $f (export \"f\")))",
    );
    // No target_features section here, so -mcpu is a.o's list alone.
    object(dir.path(), "plain.o", "(module (@no-features) (func $g))");
    std::fs::create_dir(dir.path().join("lib")).unwrap();
    std::fs::copy(dir.path().join("plain.o"), dir.path().join("lib/libc.a")).unwrap();
    std::fs::copy(dir.path().join("plain.o"), dir.path().join("odd.obj")).unwrap();

    let w = words(&run(
        &[
            "--no-entry",
            "--export=f",
            "-m",
            "wasm32",
            "a.o",
            "odd.obj",
            "-Llib",
            "-lc",
            "-z",
            "stack-size=1048576",
            "--import-memory",
            "-o",
            "out/x.wasm",
        ],
        dir.path(),
    ));
    let has = |s: &str| w.iter().any(|x| x == s);
    assert_eq!(&w[1..4], ["-m", "ziglang", "build-exe"], "{w:?}");
    for expected in [
        "a.o",
        "lib/libc.a",
        "-mcpu=mvp+mutable_globals+sign_ext",
        "-fno-lld",
        "-fno-compiler-rt",
        "-fno-ubsan-rt",
        "-fno-entry",
        "--gc-sections",
        "--export=f",
        "--import-memory",
        "-femit-bin=out/x.wasm",
    ] {
        assert!(has(expected), "{expected} missing from {w:?}");
    }
    assert!(!has("-lc"), "-lc reached zig: {w:?}");
    let stack = w.iter().position(|x| x == "--stack").expect("--stack");
    assert_eq!(w[stack + 1], "1048576");
    // odd.obj is handed over under a `.o` name (the folder is gone after the dry run).
    assert!(
        w.iter().any(|x| x.ends_with("odd.obj.o")),
        "odd.obj not aliased: {w:?}"
    );

    // wasm-ld's defaults: entry _start, a 64 KiB stack; --no-gc-sections passes through.
    let w = words(&run(
        &["a.o", "--no-gc-sections", "-o", "y.wasm"],
        dir.path(),
    ));
    let has = |s: &str| w.iter().any(|x| x == s);
    assert!(has("-fentry=_start") && has("--no-gc-sections"), "{w:?}");
    let stack = w.iter().position(|x| x == "--stack").expect("--stack");
    assert_eq!(w[stack + 1], "65536");
    // --features replaces the inferred list.
    let w = words(&run(
        &["a.o", "--features=bulk-memory", "-o", "y.wasm"],
        dir.path(),
    ));
    assert!(w.iter().any(|x| x == "-mcpu=mvp+bulk_memory"), "{w:?}");
    // A wasm64 object's +memory64 (the assembler writes it, as clang does) picks the wasm64
    // target: zig has no memory64 CPU feature.
    object(
        dir.path(),
        "w64.o",
        "(module (@wasm64) (func $h (export \"h\")))",
    );
    let w = words(&run(&["w64.o", "--no-entry", "-o", "z.wasm"], dir.path()));
    let has = |s: &str| w.iter().any(|x| x == s);
    assert!(has("wasm64-freestanding"), "{w:?}");
    assert!(
        has("-mcpu=mvp+multivalue+mutable_globals+reference_types+sign_ext"),
        "{w:?}"
    );
}

#[test]
fn what_zig_cannot_express_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for flag in [
        "--export-all",
        "--strip-debug",
        "--no-stack-first",
        "--whole-archive",
        "--export-if-defined=f",
    ] {
        let o = run(&[flag, "a.o", "-o", "x.wasm"], dir.path());
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{flag}: {err}");
        assert!(
            err.contains(&format!("error: unsupported by zig: {flag}")),
            "{flag}: {err}"
        );
    }
    let o = run(&["a.o", "-lnothere", "-o", "x.wasm"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unable to find library -lnothere"));
}
