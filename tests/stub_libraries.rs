//! Stub libraries (`#STUB` text files standing for a shared library the embedder provides),
//! checked against rust-lld 22: the module, stdout and stderr (after the program name) and
//! the exit status must be the same. Covers the symbols a stub imports and the dependencies
//! it exports (by name and by import name), dependencies extracted from an archive, missing
//! dependencies (every one reported, in wasm-ld's order), `--trace-symbol`'s messages, and
//! `-l` finding `libNAME.so` only when linking dynamically (`-Bdynamic`, `-Bstatic`); and
//! `--error-limit` on the errors they give.
//!
//! Needs llvm-mc-19 and llvm-ar-19 (ci/setup installs them) and rust-lld.

use std::path::{Path, PathBuf};
use std::process::Command;

fn tool(name: &str) -> PathBuf {
    let p = PathBuf::from(format!("/usr/bin/{name}"));
    assert!(
        p.exists(),
        "{name} is missing: run ci/setup (apt-get install llvm-19)"
    );
    p
}

/// Writes `files` (name, text) into a new directory: `.s` files are assembled into `.o`.
fn setup(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        if let Some(stem) = name.strip_suffix(".s") {
            let st = Command::new(tool("llvm-mc-19"))
                .args(["-triple=wasm32-unknown-unknown", "-filetype=obj", "-o"])
                .arg(dir.path().join(format!("{stem}.o")))
                .arg(&path)
                .status()
                .unwrap();
            assert!(st.success(), "llvm-mc-19 failed on {name}");
        }
    }
    dir
}

/// Links in `dir` with both linkers (each into its own folder, so the module names match)
/// and requires the same outcome.
fn same_as_rust_lld(dir: &Path, args: &[&str]) {
    let run = |linker: &[&str], out: &str| {
        std::fs::create_dir_all(dir.join(out)).unwrap();
        let o = Command::new(linker[0])
            .args(&linker[1..])
            .args(args)
            .arg("-o")
            .arg(format!("{out}/x.wasm"))
            .current_dir(dir)
            .output()
            .unwrap();
        let strip = |b: &[u8]| -> Vec<String> {
            String::from_utf8_lossy(b)
                .lines()
                .map(|l| match l.split_once(": ") {
                    Some((p, rest)) if p == linker[0].rsplit('/').next().unwrap() => rest.into(),
                    _ => l.to_string(),
                })
                .collect()
        };
        let module = std::fs::read(dir.join(out).join("x.wasm")).ok();
        (o.status.code(), strip(&o.stdout), strip(&o.stderr), module)
    };
    let lld = touchstone_oracle::link::rust_lld_path().unwrap_or_else(|e| panic!("{e:#}"));
    let lld = lld.to_str().unwrap();
    let theirs = run(&[lld, "-flavor", "wasm"], "theirs");
    let ours = run(&[env!("CARGO_BIN_EXE_touchstone-ld")], "ours");
    pretty_assertions::assert_eq!(
        (&ours.0, &ours.1, &ours.2),
        (&theirs.0, &theirs.1, &theirs.2),
        "status, stdout, stderr for {args:?}"
    );
    assert!(ours.3 == theirs.3, "the modules differ for {args:?}");
}

const MAIN: &str =
    "\t.functype foo () -> ()\n\t.functype bar () -> ()\n\t.import_name bar, bar_import\n\
\t.globl dep1\ndep1:\n\t.functype dep1 () -> ()\n\tend_function\n\
\t.globl _start\n_start:\n\t.functype _start () -> ()\n\tcall foo\n\tcall bar\n\tend_function\n";
const DEP2: &str = "\t.globl dep2\ndep2:\n\t.functype dep2 () -> ()\n\tend_function\n";

#[test]
fn imports_what_the_stub_provides_and_exports_its_dependencies() {
    let stub = "#STUB\n# comment\nfoo: dep1, dep2\nbar_import: dep1\nunused: nothing\n";
    let dir = setup(&[("main.s", MAIN), ("dep2.s", DEP2), ("libstub.so", stub)]);
    let ar = Command::new(tool("llvm-ar-19"))
        .args(["rcs", "libdep.a", "dep2.o"])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(ar.success());
    same_as_rust_lld(dir.path(), &["main.o", "libstub.so", "libdep.a"]);
    let traced = [
        "main.o",
        "libstub.so",
        "libdep.a",
        "-y",
        "foo",
        "-y",
        "dep2",
        "-y",
        "unused",
    ];
    same_as_rust_lld(dir.path(), &traced);
    same_as_rust_lld(
        dir.path(),
        &["--why-extract=-", "main.o", "libstub.so", "libdep.a"],
    );
}

#[test]
fn every_missing_dependency_is_reported_in_wasm_lds_order() {
    let mut stub = String::from("#STUB\n");
    let mut main = String::new();
    for i in 0..12 {
        stub.push_str(&format!("sym{i}: dep{i}a, dep1\n"));
        main.push_str(&format!("\t.functype sym{i} () -> ()\n"));
    }
    main.push_str("\t.globl _start\n_start:\n\t.functype _start () -> ()\n");
    for i in 0..12 {
        main.push_str(&format!("\tcall sym{i}\n"));
    }
    main.push_str("\tend_function\n\t.functype dep1 () -> ()\n\t.globl f\nf:\n\t.functype f () -> ()\n\tcall dep1\n\tend_function\n");
    let dir = setup(&[("main.s", &main), ("libstub.so", &stub)]);
    // 24 errors: wasm-ld prints 20, then stops with "too many errors emitted".
    same_as_rust_lld(dir.path(), &["main.o", "libstub.so"]);
    same_as_rust_lld(dir.path(), &["main.o", "libstub.so", "--error-limit=0"]);
    same_as_rust_lld(dir.path(), &["main.o", "libstub.so", "--error-limit=3"]);
}

#[test]
fn dash_l_finds_a_stub_only_when_linking_dynamically() {
    let stub = "#STUB\nfoo: dep1\nbar_import\n";
    let dir = setup(&[("main.s", MAIN), ("dep2.s", DEP2), ("lib/libfoo.so", stub)]);
    same_as_rust_lld(dir.path(), &["main.o", "-Llib", "-lfoo"]);
    same_as_rust_lld(dir.path(), &["main.o", "-Llib", "-Bdynamic", "-lfoo"]);
    same_as_rust_lld(
        dir.path(),
        &["main.o", "-Bdynamic", "-Llib", "-Bstatic", "-lfoo"],
    );
    let ar = Command::new(tool("llvm-ar-19"))
        .args(["rcs", "lib/libfoo.a", "dep2.o"])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(ar.success());
    same_as_rust_lld(dir.path(), &["main.o", "-Llib", "-lfoo", "--trace"]);
    same_as_rust_lld(
        dir.path(),
        &["main.o", "-Llib", "-Bdynamic", "-lfoo", "--trace"],
    );
}
