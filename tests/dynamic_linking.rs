//! Dynamic linking, end to end: a C side module (`-fPIC`, linked `-shared`) and a C main
//! module (libc linked in statically, the side module with `-Bdynamic`), each linked by
//! touchstone-ld and by rust-lld 22 into byte-identical modules (module names aside, which
//! are the output file names), then run by the oracle's loader (`touchstone run --dylink`),
//! whose output was worked out by hand from the sources: bump() makes 42, the constructor ran,
//! and call_fp() is 43 + strlen("hello from side"). The loader's errors are checked too.
//!
//! Needs clang-19 and wasi-libc (ci/setup installs them) and rust-lld.

use std::path::{Path, PathBuf};
use std::process::Command;
use touchstone_oracle::dylink::Library;
use touchstone_oracle::run::{self, WasiOptions};

const SOURCES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/programs/dylink");

fn clang() -> Command {
    let path = Path::new("/usr/bin/clang-19");
    assert!(
        path.exists(),
        "clang-19 is missing: run ci/setup (apt-get install clang-19 wasi-libc)"
    );
    let mut c = Command::new(path);
    c.args([
        "--target=wasm32-wasi",
        "--sysroot=/usr",
        "-nostdlibinc",
        "-isystem",
        "/usr/include/wasm32-wasi",
        "-O1",
    ]);
    c
}

fn rust_lld() -> PathBuf {
    let out = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .expect("rustc is needed to find rust-lld");
    let sysroot = String::from_utf8(out.stdout).unwrap();
    let lld = Path::new(sysroot.trim()).join("lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld");
    assert!(lld.exists(), "rust-lld is missing at {}", lld.display());
    lld
}

fn check(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Compiles both sources with -fPIC into `dir`.
fn compile(dir: &Path) {
    for (src, flags) in [
        ("side.c", &["-fvisibility=default"][..]),
        ("main.c", &[][..]),
    ] {
        let obj = dir.join(src.replace(".c", ".o"));
        check(
            clang()
                .args(["-fPIC", "-c"])
                .args(flags)
                .arg(Path::new(SOURCES).join(src))
                .arg("-o")
                .arg(&obj),
            &format!("clang-19 {src}"),
        );
    }
}

/// Links the side module, then the main module against it, in `dir/out`, with `linker`
/// (touchstone-ld, or a script running rust-lld as wasm-ld). Returns (libside.so, main.wasm).
fn link(dir: &Path, out: &str, linker: &Path) -> (Vec<u8>, Vec<u8>) {
    let o = dir.join(out);
    std::fs::create_dir_all(&o).unwrap();
    check(
        Command::new(linker)
            .args([
                "-shared",
                "--experimental-pic",
                "--unresolved-symbols=import-dynamic",
            ])
            .arg(dir.join("side.o"))
            .arg("-o")
            .arg(o.join("libside.so")),
        &format!("{out}: linking the side module"),
    );
    check(
        clang()
            .arg(format!("-fuse-ld={}", linker.display()))
            .arg(dir.join("main.o"))
            .arg("-o")
            .arg(o.join("main.wasm"))
            .arg("-Wl,-Bdynamic,libside.so")
            .arg("-Wl,--export-table,--growable-table")
            .arg("-Wl,--export=__stack_pointer,--export=strlen")
            .current_dir(&o),
        &format!("{out}: linking the main module"),
    );
    let read = |f: &str| std::fs::read(o.join(f)).unwrap();
    (read("libside.so"), read("main.wasm"))
}

/// rust-lld as a wasm-ld that clang can run (`-fuse-ld=` takes a program, not a flavor).
fn wasm_ld_script(dir: &Path) -> PathBuf {
    let script = dir.join("wasm-ld");
    let text = format!(
        "#!/bin/sh\nexec '{}' -flavor wasm \"$@\"\n",
        rust_lld().display()
    );
    std::fs::write(&script, text).unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

fn run_with(main: &[u8], libs: Vec<Library>) -> Result<run::RunOutcome, String> {
    let options = WasiOptions {
        args: vec!["main".into()],
        libs,
        ..Default::default()
    };
    run::run_wasi(main, &options).map_err(|e| format!("{e:#}"))
}

#[test]
fn c_side_module_links_like_rust_lld_and_runs_in_the_loader() {
    let dir = tempfile::tempdir().unwrap();
    compile(dir.path());
    let touchstone = Path::new(env!("CARGO_BIN_EXE_touchstone-ld"));
    // Both outputs go to files of the same names (in different folders): the name section's
    // module name is the output file name.
    let (side, main) = link(dir.path(), "touchstone", touchstone);
    let (side_ref, main_ref) = link(dir.path(), "reference", &wasm_ld_script(dir.path()));
    assert!(side == side_ref, "libside.so differs from rust-lld's");
    assert!(main == main_ref, "main.wasm differs from rust-lld's");
    let lib = |bytes: &[u8]| Library {
        name: "libside.so".into(),
        bytes: bytes.to_vec(),
    };
    let out = run_with(&main, vec![lib(&side)]).expect("the loader runs the program");
    assert_eq!(out.trap, None);
    assert_eq!(out.exit_code, 0);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "hello from side 42 42 1 58\n"
    );
}

#[test]
fn loader_errors_name_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    compile(dir.path());
    let touchstone = Path::new(env!("CARGO_BIN_EXE_touchstone-ld"));
    let (_, main) = link(dir.path(), "touchstone", touchstone);
    let err = run_with(&main, Vec::new()).unwrap_err();
    assert!(err.contains("needed library libside.so not found"), "{err}");
    // A side module whose function import nothing provides.
    let asm = dir.path().join("lonely.s");
    std::fs::write(
        &asm,
        ".functype missing_fn () -> ()\n.globl f\nf:\n  .functype f () -> ()\n  call missing_fn\n  end_function\n",
    )
    .unwrap();
    let obj = dir.path().join("lonely.o");
    check(
        Command::new("/usr/bin/llvm-mc-19")
            .args(["-triple=wasm32-unknown-unknown", "-filetype=obj", "-o"])
            .arg(&obj)
            .arg(&asm),
        "llvm-mc-19",
    );
    let lonely = dir.path().join("lonely.so");
    check(
        Command::new(touchstone)
            .args([
                "-shared",
                "--experimental-pic",
                "--unresolved-symbols=import-dynamic",
            ])
            .arg(&obj)
            .arg("-o")
            .arg(&lonely),
        "linking lonely.so",
    );
    let err = run_with(&std::fs::read(&lonely).unwrap(), Vec::new()).unwrap_err();
    assert!(
        err.contains("env.missing_fn") && err.contains("no module exports function missing_fn"),
        "{err}"
    );
}

/// A damaged shared library, or one given to a static link: one error line naming the file
/// (and, for damage, the offset), no output left behind, and rust-lld refuses it too.
#[test]
fn damaged_shared_libraries_get_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let yaml = Path::new(env!("CARGO_MANIFEST_DIR")).join("testsuite/dynamic/libdemo.yaml");
    check(
        Command::new("/usr/bin/yaml2obj-19")
            .arg(&yaml)
            .arg("-o")
            .arg(d.join("lib.so")),
        "yaml2obj-19 (package llvm-19, ci/setup)",
    );
    std::fs::write(
        d.join("main.s"),
        ".functype libfunc () -> (i32)\n.globl _start\n_start:\n  .functype _start () -> ()\n  call libfunc\n  drop\n  end_function\n",
    )
    .unwrap();
    check(
        Command::new("/usr/bin/llvm-mc-19")
            .args(["-triple=wasm32-unknown-unknown", "-filetype=obj", "-o"])
            .arg(d.join("main.o"))
            .arg(d.join("main.s")),
        "llvm-mc-19",
    );
    let good = std::fs::read(d.join("lib.so")).unwrap();
    let mut bad_dylink = good.clone();
    let at = bad_dylink
        .windows(8)
        .position(|w| w == b"dylink.0")
        .expect("the library has dylink.0")
        + 8;
    bad_dylink[at + 1] = 0x7f; // the first subsection claims 127 bytes
    std::fs::write(d.join("bad-dylink.so"), &bad_dylink).unwrap();
    std::fs::write(d.join("truncated.so"), &good[..good.len() - 3]).unwrap();
    // Damage LLVM's object reader finds though a loader might not care: a section id it does
    // not know, and a `name` section naming a function that does not exist.
    let mut unknown = good.clone();
    unknown.extend([32, 0]);
    std::fs::write(d.join("unknown-section.so"), &unknown).unwrap();
    let mut names = good.clone();
    let function_names = [1u8, 4, 1, 99, 1, b'x'];
    names.extend([0, 5 + function_names.len() as u8, 4]);
    names.extend(b"name");
    names.extend(function_names);
    std::fs::write(d.join("bad-names.so"), &names).unwrap();
    // A `name` section after `producers`: LLVM's section order refuses it.
    let mut order = good.clone();
    order.extend([0, 11, 9]);
    order.extend(b"producers");
    order.push(0);
    order.extend([0, 5, 4]);
    order.extend(b"name");
    std::fs::write(d.join("out-of-order.so"), &order).unwrap();
    let link = |linker: &[&str], args: &[&str], lib: &str| {
        let out = d.join("out.wasm");
        let _ = std::fs::remove_file(&out);
        let o = Command::new(linker[0])
            .args(&linker[1..])
            .args(args)
            .args(["main.o", lib, "-o", "out.wasm"])
            .current_dir(d)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        (o.status.success(), stderr, out.exists())
    };
    let ours = env!("CARGO_BIN_EXE_touchstone-ld");
    let lld = rust_lld();
    let theirs = [lld.to_str().unwrap(), "-flavor", "wasm"];
    let pie = ["-pie", "--experimental-pic"];
    for (lib, args, words) in [
        ("bad-dylink.so", &pie[..], "dylink.0"),
        ("truncated.so", &pie[..], "offset"),
        ("unknown-section.so", &pie[..], "invalid section type: 32"),
        ("bad-names.so", &pie[..], "invalid function name entry"),
        ("out-of-order.so", &pie[..], "out of order section type: 0"),
        (
            "lib.so",
            &[][..],
            "attempted static link of dynamic object lib.so",
        ),
    ] {
        let (ok, stderr, left) = link(&[ours], args, lib);
        assert!(!ok, "{lib}: touchstone-ld linked it");
        assert!(!left, "{lib}: touchstone-ld left an output file");
        let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error:")).collect();
        assert_eq!(errors.len(), 1, "{lib}: one error line expected:\n{stderr}");
        assert!(
            errors[0].contains(lib) && errors[0].contains(words),
            "{lib}: the error should name the file and say {words:?}:\n{stderr}"
        );
        let (ok, stderr, _) = link(&theirs, args, lib);
        assert!(
            !ok,
            "{lib}: rust-lld links it; touchstone-ld should too:\n{stderr}"
        );
    }
}
