//! The options that only print diagnostics, checked against rust-lld 22 byte for byte:
//! `--print-gc-sections`, `--why-extract=FILE` (and `-` for stdout), `--trace` / `-t` and
//! `--trace-symbol` / `-y`. Each case assembles small `.wat` objects (`touchstone_oracle::asm`) and
//! archives (llvm-ar-19) in a temporary directory, links them there with relative names (so
//! that files print as `a.o` and `libm.a(m-mul.o)`) with both linkers, and compares stdout,
//! stderr (after the program name), the exit status and the `--why-extract` file. The printed
//! text is also spelled out, as the record of wasm-ld's formats. The module touchstone-ld
//! writes must be the same with and without the options.
//!
//! Missing tools (llvm-ar-19, rust-lld) fail the tests with a message.

use std::path::{Path, PathBuf};
use std::process::Command;

/// rust-lld from the active Rust toolchain (fails the test, saying why, if it is missing).
fn rust_lld() -> PathBuf {
    touchstone_oracle::link::rust_lld_path().unwrap_or_else(|e| panic!("{e:#}"))
}

/// A temporary directory holding the inputs of one case.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    /// Assembles each `(name, wat)` into `name.o`.
    fn new(objects: &[(&str, &str)]) -> Case {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, text) in objects {
            let wat = format!("{name}.wat");
            let bytes = touchstone_oracle::asm::assemble(text, Path::new(&wat))
                .unwrap_or_else(|e| panic!("assembling {wat}: {e}"));
            std::fs::write(dir.path().join(format!("{name}.o")), bytes).expect("write object");
        }
        Case { dir }
    }

    /// Makes the archive `name` of these objects, in order.
    fn archive(self, name: &str, members: &[&str]) -> Case {
        let out = Command::new("llvm-ar-19")
            .current_dir(self.dir.path())
            .arg("rcs")
            .arg(name)
            .args(members)
            .output()
            .unwrap_or_else(|e| panic!("cannot run llvm-ar-19 (apt-get install llvm-19): {e}"));
        assert!(out.status.success(), "llvm-ar-19 failed: {out:?}");
        self
    }

    /// Links with one linker, writing into the subdirectory `sub` (the module name in the
    /// name section is the output's file name, so both linkers write `out.wasm`). `WHY` in
    /// an argument stands for `sub/why.txt`.
    fn link(&self, linker: &[PathBuf], sub: &str, args: &[&str]) -> Outcome {
        let out_dir = self.dir.path().join(sub);
        // Fresh each time: nothing left from an earlier link may pass for this one's.
        let _ = std::fs::remove_dir_all(&out_dir);
        std::fs::create_dir_all(&out_dir).expect("mkdir");
        let why = format!("{sub}/why.txt");
        let out = Command::new(&linker[0])
            .args(&linker[1..])
            .current_dir(self.dir.path())
            .args(args.iter().map(|a| a.replace("WHY", &why)))
            .arg("-o")
            .arg(format!("{sub}/out.wasm"))
            .output()
            .unwrap_or_else(|e| panic!("cannot run {:?}: {e}", linker[0]));
        let stderr = String::from_utf8_lossy(&out.stderr);
        let program = if sub.starts_with("lld") {
            "rust-lld: "
        } else {
            "touchstone-ld: "
        };
        Outcome {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: stderr.replace(program, "LD: "),
            module: std::fs::read(out_dir.join("out.wasm")).ok(),
            why: std::fs::read_to_string(out_dir.join("why.txt")).ok(),
        }
    }

    /// Links with both linkers with `base` and `diag` arguments, checks that they print the
    /// same, and that touchstone-ld writes the same module without `diag`. Returns stdout.
    fn check(&self, base: &[&str], diag: &[&str]) -> Outcome {
        let args: Vec<&str> = base.iter().chain(diag).copied().collect();
        let lld = vec![rust_lld(), "-flavor".into(), "wasm".into()];
        let ours = vec![PathBuf::from(env!("CARGO_BIN_EXE_touchstone-ld"))];
        let theirs = self.link(&lld, "lld", &args);
        let mine = self.link(&ours, "ts", &args);
        assert_eq!(mine.stdout, theirs.stdout, "stdout of {args:?}");
        assert_eq!(mine.stderr, theirs.stderr, "stderr of {args:?}");
        assert_eq!(mine.status, theirs.status, "exit status of {args:?}");
        assert_eq!(mine.why, theirs.why, "--why-extract file of {args:?}");
        if mine.status == 0 {
            let plain = self.link(&ours, "ts-plain", base);
            assert_eq!(
                mine.module, plain.module,
                "{diag:?} changed the module of {base:?}"
            );
        } else {
            assert_eq!(mine.module, None, "a failed link left {args:?}'s output");
        }
        mine
    }
}

struct Outcome {
    status: i32,
    stdout: String,
    stderr: String,
    module: Option<Vec<u8>>,
    why: Option<String>,
}

/// Two objects with dead functions, data segments, a global, a tag and a table, a weak
/// undefined function called only from dead code, and a live chain across the objects.
const GC_A: &str = r#"(module
  (import "env" "bfun" (func $bfun (result i32)))
  (import "env" "maybe" (func $maybe (@sym weak) (result i32)))
  (global $gdead (mut i32) (i32.const 7))
  (global $glive (mut i32) (i32.const 8))
  (tag $tdead (param i32))
  (table $tbdead 3 externref)
  (func $dead1 (result i32) i32.const 0 (@addr $d_dead1) i32.load call $maybe i32.add)
  (func $dead2 (result i32) i32.const 2)
  (func $_start (export "_start")
    global.get $glive
    call $bfun
    i32.const 0 (@addr $d_live)
    i32.load
    i32.add
    i32.add
    drop)
  (func $dead3 (result i32) i32.const 3)
  (data $d_dead1 (@segment ".data.dead1" align=4) (@zero 8))
  (data $d_live (@segment ".data.live" align=4) (@zero 4))
  (data $d_dead2 (@segment ".rodata.dead2") "hello"))"#;

const GC_B: &str = r#"(module
  (func $bfun (result i32) i32.const 1)
  (func $bdead (result i32) i32.const 0 (@addr $bd))
  (data $bd (@segment ".bss.bd" align=4) (@zero 16)))"#;

#[test]
fn print_gc_sections_lists_every_removed_chunk_in_wasm_lds_order() {
    let case = Case::new(&[("a", GC_A), ("b", GC_B)]);
    let out = case.check(&["a.o", "b.o"], &["--print-gc-sections"]);
    assert_eq!(
        out.stdout,
        "removing unused section a.o:(dead1)
removing unused section a.o:(dead2)
removing unused section a.o:(dead3)
removing unused section a.o:(.data.dead1)
removing unused section a.o:(.rodata.dead2)
removing unused section a.o:(gdead)
removing unused section a.o:(tdead)
removing unused section a.o:(tbdead)
removing unused section b.o:(bdead)
removing unused section b.o:(.bss.bd)
removing unused section <internal>:(__wasm_call_ctors)
removing unused section <internal>:(maybe)
"
    );
    // Without GC nothing is removed; --no-print-gc-sections turns it off.
    let out = case.check(
        &["a.o", "b.o", "--no-gc-sections"],
        &["--print-gc-sections"],
    );
    assert_eq!(out.stdout, "");
    let quiet = ["--print-gc-sections", "--no-print-gc-sections"];
    assert_eq!(case.check(&["a.o", "b.o"], &quiet).stdout, "");
    // Shared memory: __wasm_init_tls among the linker's functions (before the weak stubs),
    // then the TLS globals nothing uses. --features lists what the objects use (clang 19's
    // default set, and exception-handling for a.o's tag) so that the link succeeds.
    let out = case.check(
        &[
            "a.o",
            "b.o",
            "--shared-memory",
            "--features=atomics,bulk-memory,exception-handling,multivalue,mutable-globals,\
             reference-types,sign-ext",
            "--max-memory=131072",
            "--export=__tls_base",
        ],
        &["--print-gc-sections"],
    );
    assert!(
        out.stdout.ends_with(
            "removing unused section <internal>:(__wasm_call_ctors)
removing unused section <internal>:(__wasm_init_tls)
removing unused section <internal>:(maybe)
removing unused section <internal>:(__tls_size)
removing unused section <internal>:(__tls_align)
"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn print_gc_sections_lists_comdat_copies_stubs_and_a_constructor_table() {
    let case = Case::new(&[
        (
            "main",
            r#"(module
  (import "env" "helper" (func $helper (result i32)))
  (import "env" "f" (func $f (param i32) (result i32)))
  (func $k (@comdat "k") (result i32) i32.const 1)
  (func $dead (result i32) i32.const 1 call $f)
  (func $_start (export "_start") call $helper call $k i32.add drop))"#,
        ),
        (
            "other",
            r#"(module
  (func $k (@comdat "k") (result i32) i32.const 100)
  (func $helper (result i32) call $k i32.const 1 i32.add))"#,
        ),
        (
            "mismatch",
            r#"(module
  (func $f (result i32) i32.const 1))"#,
        ),
        (
            "ctor",
            r#"(module
  (func $init (@init) nop)
  (func $unused (result i32) i32.const 1))"#,
        ),
    ]);
    // The losing COMDAT copy is removed; the `signature_mismatch:f` stub only dead code calls
    // and the definition of f are removed too. An init function keeps __wasm_call_ctors.
    let out = case.check(
        &["main.o", "other.o", "mismatch.o", "ctor.o"],
        &["--print-gc-sections"],
    );
    assert_eq!(
        out.stdout,
        "removing unused section main.o:(dead)
removing unused section other.o:(k)
removing unused section mismatch.o:(f)
removing unused section ctor.o:(unused)
removing unused section <internal>:(f)
"
    );
}

/// `main` calls square (in m-square), which calls mul (in m-mul); add is never needed.
const MAIN: &str = r#"(module
  (import "env" "square" (func $square (param i32) (result i32)))
  (import "env" "maybe" (func $maybe (@sym weak) (result i32)))
  (import "env" "ext" (func $ext (result i32)))
  (func $_start (export "_start")
    i32.const 6 call $square drop
    call $maybe drop
    call $ext drop))"#;
const M_ADD: &str =
    "(module (func $add (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))";
const M_MUL: &str =
    "(module (func $mul (param i32 i32) (result i32) local.get 0 local.get 1 i32.mul))";
const M_SQUARE: &str = r#"(module
  (import "env" "mul" (func $mul (param i32 i32) (result i32)))
  (func $square (param i32) (result i32) local.get 0 local.get 0 call $mul))"#;

fn math_case() -> Case {
    Case::new(&[
        ("main", MAIN),
        ("m-add", M_ADD),
        ("m-mul", M_MUL),
        ("m-square", M_SQUARE),
    ])
    .archive("libm.a", &["m-add.o", "m-mul.o", "m-square.o"])
}

#[test]
fn why_extract_lists_members_pulled_by_members_first() {
    let case = math_case();
    let base = ["main.o", "libm.a", "--allow-undefined"];
    let expected = "reference\textracted\tsymbol
libm.a(m-square.o)\tlibm.a(m-mul.o)\tmul
main.o\tlibm.a(m-square.o)\tsquare
";
    let out = case.check(&base, &["--why-extract=WHY"]);
    assert_eq!(out.why.as_deref(), Some(expected));
    assert_eq!(out.stdout, "");
    // `-` is stdout.
    let out = case.check(&base, &["--why-extract=-"]);
    assert_eq!(out.stdout, expected);
    // The archive first: members are pulled as the object's references are met.
    let out = case.check(
        &["libm.a", "main.o", "--allow-undefined"],
        &["--why-extract=-"],
    );
    assert_eq!(out.stdout, expected);
    // An empty name turns it off; a file that cannot be written fails the link.
    let out = case.check(&base, &["--why-extract=WHY", "--why-extract="]);
    assert_eq!(out.why, None);
    let out = case.check(&base, &["--why-extract=/nonexistent/why.txt"]);
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stderr,
        "LD: error: cannot open --why-extract= file /nonexistent/why.txt: No such file or directory\n"
    );
    assert_eq!(out.module, None);
}

#[test]
fn why_extract_names_the_options_and_only_function_references_of_a_later_archive() {
    let case = Case::new(&[
        ("e", r#"(module (func $start (export "start") nop))"#),
        ("m-dtors", "(module (func $__wasm_call_dtors nop))"),
        ("m-entry", "(module (func $entry nop))"),
        ("m-export", "(module (func $_Z3fooi (param i32) nop))"),
        ("m-u", "(module (func $uu nop))"),
        (
            "data-ref",
            r#"(module
  (@undef-data $value)
  (import "env" "glob" (global $g (mut i32)))
  (func $run (export "run") (result i32) i32.const 0 (@addr $value) i32.load global.get $g i32.add))"#,
        ),
        (
            "m-value",
            r#"(module (data $value (@segment ".data.value" align=4) "\2a\00\00\00"))"#,
        ),
        ("m-glob", "(module (global $glob (mut i32) (i32.const 5)))"),
    ])
    .archive("libx.a", &["m-dtors.o", "m-entry.o", "m-export.o", "m-u.o"])
    .archive("libd.a", &["m-value.o", "m-glob.o"]);
    // -u is `<internal>`, like the __wasm_call_dtors lookup; symbols are demangled.
    let base = [
        "e.o",
        "libx.a",
        "--entry=entry",
        "-u",
        "uu",
        "--export=_Z3fooi",
    ];
    let out = case.check(&base, &["--why-extract=-"]);
    assert_eq!(
        out.stdout,
        "reference\textracted\tsymbol
<internal>\tlibx.a(m-u.o)\tuu
--export\tlibx.a(m-export.o)\tfoo(int)
--entry\tlibx.a(m-entry.o)\tentry
<internal>\tlibx.a(m-dtors.o)\t__wasm_call_dtors
"
    );
    let base = [&base[..], &["--no-demangle"]].concat();
    let out = case.check(&base, &["--why-extract=-"]);
    assert!(out
        .stdout
        .contains("--export\tlibx.a(m-export.o)\t_Z3fooi\n"));
    // An entry that is not defined fails the link before the file is written.
    let out = case.check(
        &["e.o", "libx.a", "--entry=nothere"],
        &["--why-extract=WHY"],
    );
    assert_eq!((out.status, out.why), (1, None));
    // Data and global references extract too, but wasm-ld records them only when the
    // archive comes after the object (the archive's symbols meet the references).
    let after = case.check(
        &["--no-entry", "data-ref.o", "libd.a"],
        &["--why-extract=-"],
    );
    assert_eq!(
        after.stdout,
        "reference\textracted\tsymbol
data-ref.o\tlibd.a(m-value.o)\tvalue
data-ref.o\tlibd.a(m-glob.o)\tglob
"
    );
    let before = case.check(
        &["--no-entry", "libd.a", "data-ref.o"],
        &["--why-extract=-"],
    );
    assert_eq!(before.stdout, "reference\textracted\tsymbol\n");
}

#[test]
fn trace_prints_objects_and_members_as_they_are_loaded() {
    let case = math_case();
    let out = case.check(&["main.o", "libm.a", "--allow-undefined"], &["--trace"]);
    assert_eq!(out.stdout, "main.o\nlibm.a(m-square.o)\nlibm.a(m-mul.o)\n");
    let out = case.check(&["libm.a", "main.o", "--allow-undefined"], &["-t"]);
    assert_eq!(out.stdout, "main.o\nlibm.a(m-square.o)\nlibm.a(m-mul.o)\n");
    // --whole-archive members load in archive order; --start-lib objects when pulled.
    let out = case.check(
        &[
            "--whole-archive",
            "libm.a",
            "--no-whole-archive",
            "main.o",
            "--allow-undefined",
        ],
        &["-t"],
    );
    assert_eq!(
        out.stdout,
        "libm.a(m-add.o)\nlibm.a(m-mul.o)\nlibm.a(m-square.o)\nmain.o\n"
    );
    let out = case.check(
        &[
            "main.o",
            "--start-lib",
            "m-add.o",
            "m-mul.o",
            "m-square.o",
            "--end-lib",
            "--allow-undefined",
        ],
        &["--trace", "--why-extract=-"],
    );
    assert_eq!(
        out.stdout,
        "main.o\nm-square.o\nm-mul.o\nreference\textracted\tsymbol
m-square.o\tm-mul.o\tmul
main.o\tm-square.o\tsquare
"
    );
}

#[test]
fn trace_symbol_prints_definitions_references_and_lazy_definitions() {
    let case = math_case();
    let base = ["main.o", "libm.a", "--allow-undefined"];
    let trace = |names: &[&str]| -> String {
        let args: Vec<String> = names
            .iter()
            .map(|n| format!("--trace-symbol={n}"))
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        case.check(&base, &args).stdout
    };
    // Defined.
    assert_eq!(trace(&["_start"]), "main.o: definition of _start\n");
    // Undefined: every reference.
    assert_eq!(trace(&["ext"]), "main.o: reference to ext\n");
    // Lazy, never extracted.
    assert_eq!(trace(&["add"]), "libm.a(m-add.o): lazy definition of add\n");
    // Lazy, then extracted by a member's reference.
    assert_eq!(
        trace(&["mul"]),
        "libm.a(m-mul.o): lazy definition of mul
libm.a(m-square.o): reference to mul
libm.a(m-mul.o): definition of mul
"
    );
    // A reference that pulls the member: no lazy definition is printed.
    assert_eq!(
        trace(&["square"]),
        "main.o: reference to square\nlibm.a(m-square.o): definition of square\n"
    );
    // Weak undefined: the linker's stub defines it; the linker's own symbols are internal.
    assert_eq!(
        trace(&["maybe", "__stack_pointer", "nothere"]),
        "<internal>: definition of __stack_pointer
main.o: reference to maybe
<internal>: definition of undefined_weak:maybe
"
    );
    // -y, with --trace and the archive first: one stream in event order.
    let out = case.check(
        &["libm.a", "main.o", "--allow-undefined"],
        &["-y", "square", "-yadd", "-y", "mul", "-t"],
    );
    assert_eq!(
        out.stdout,
        "libm.a(m-add.o): lazy definition of add
libm.a(m-mul.o): lazy definition of mul
libm.a(m-square.o): lazy definition of square
main.o
main.o: reference to square
libm.a(m-square.o)
libm.a(m-square.o): reference to mul
libm.a(m-mul.o)
libm.a(m-mul.o): definition of mul
libm.a(m-square.o): definition of square
"
    );
}

#[test]
fn trace_symbol_follows_weak_definitions_comdat_copies_and_linker_symbols() {
    let case = Case::new(&[
        (
            "w1",
            r#"(module
  (@undef-data $__data_end)
  (func $f (@sym weak) (result i32) i32.const 1)
  (func $k (@comdat "k") (result i32) i32.const 1)
  (func $run (export "run") (result i32) call $k i32.const 0 (@addr $__data_end) i32.add))"#,
        ),
        (
            "w2",
            r#"(module
  (func $f (result i32) i32.const 2)
  (func $k (@comdat "k") (result i32) i32.const 100))"#,
        ),
        (
            "w3",
            r#"(module (func $f (@sym weak) (result i32) i32.const 3))"#,
        ),
    ]);
    // A strong definition replaces a weak one; a later weak one is not taken (not printed);
    // a COMDAT copy that loses is entered as a reference; __data_end is the linker's.
    let out = case.check(
        &["--no-entry", "w1.o", "w2.o", "w3.o"],
        &[
            "-y",
            "f",
            "-y",
            "k",
            "-y",
            "__data_end",
            "-y",
            "__heap_base",
        ],
    );
    assert_eq!(
        out.stdout,
        "w1.o: definition of f
w1.o: definition of k
w1.o: reference to __data_end
w2.o: definition of f
w2.o: reference to k
<internal>: definition of __data_end
"
    );
    // With --allow-multiple-definition the second strong one is not taken either.
    let out = case.check(
        &["--no-entry", "w2.o", "w2.o", "--allow-multiple-definition"],
        &["-y", "f", "-t"],
    );
    assert_eq!(out.stdout, "w2.o\nw2.o: definition of f\nw2.o\n");
}

/// A weak reference to a function that only an archive member (never loaded) defines: wasm-ld
/// still makes the `undefined_weak:` stub, so it traces its definition and, GC'd, lists it,
/// whichever of the archive and the object comes first.
#[test]
fn weak_reference_to_an_unloaded_member_gets_a_stub() {
    let case = Case::new(&[
        (
            "main",
            r#"(module
  (import "env" "r" (func $r (@sym weak) (result i32)))
  (func $dead (result i32) call $r)
  (func $run (export "run") (result i32) i32.const 1))"#,
        ),
        (
            "r",
            r#"(module (func $r (export "r") (result i32) i32.const 7))"#,
        ),
    ])
    .archive("lib.a", &["r.o"]);
    for order in [["main.o", "lib.a"], ["lib.a", "main.o"]] {
        let base = [order[0], order[1], "--no-entry"];
        let out = case.check(&base, &["--print-gc-sections"]);
        assert!(
            out.stdout
                .ends_with("removing unused section <internal>:(r)\n"),
            "{}",
            out.stdout
        );
        let out = case.check(&base, &["--trace-symbol=r"]);
        assert!(
            out.stdout
                .ends_with("<internal>: definition of undefined_weak:r\n"),
            "{}",
            out.stdout
        );
    }
}

/// The relocation scan's warnings and errors come out in the order it finds them, as wasm-ld
/// prints each at once: with `--warn-unresolved-symbols` in a `-pie` link, an undefined
/// function's warning, then the "recompile with -fPIC" errors, then later warnings, also
/// with `--fatal-warnings` (every warning an error).
#[test]
fn scan_warnings_and_errors_interleave_in_the_order_found() {
    let case = Case::new(&[(
        "a",
        r#"(module
  (@undef-data $ext_data)
  (import "env" "undef_a" (func $undef_a))
  (import "env" "undef_b" (func $undef_b))
  (func $_start (export "_start")
    call $undef_a
    i32.const 0 (@addr $local)
    i32.load
    i32.const 0 (@addr $ext_data)
    i32.load
    i32.add
    drop
    call $undef_b)
  (data $local (@segment ".data.local" align=4) (@zero 4)))"#,
    )]);
    let base = ["a.o", "-pie", "--experimental-pic"];
    let out = case.check(&base, &["--warn-unresolved-symbols"]);
    let kinds: Vec<&str> = out
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("LD: ")?.split(':').next())
        .collect();
    assert_eq!(
        kinds,
        ["warning", "error", "error", "warning", "warning"],
        "{}",
        out.stderr
    );
    case.check(&base, &["--warn-unresolved-symbols", "--fatal-warnings"]);
}

/// `--features=LIST` leaving out features the objects use: one error per feature, in the
/// order wasm-ld's `populateTargetFeatures` walks its `used` StringMap (hash order, not the
/// order of the objects' `target_features` sections), each naming the first object using it.
#[test]
fn features_not_allowed_come_in_string_map_order() {
    let case = Case::new(&[
        (
            "a",
            r#"(module (func $run (export "run") (result i32) i32.const 1))"#,
        ),
        (
            "b",
            "(module (@features +tail-call +simd128 +sign-ext +atomics) (func $g))",
        ),
    ]);
    let out = case.check(&["a.o", "b.o", "--no-entry", "--features=atomics"], &[]);
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stderr,
        "LD: error: Target feature 'mutable-globals' used by a.o is not allowed.
LD: error: Target feature 'simd128' used by b.o is not allowed.
LD: error: Target feature 'reference-types' used by a.o is not allowed.
LD: error: Target feature 'tail-call' used by b.o is not allowed.
LD: error: Target feature 'multivalue' used by a.o is not allowed.
LD: error: Target feature 'sign-ext' used by a.o is not allowed.
"
    );
}
