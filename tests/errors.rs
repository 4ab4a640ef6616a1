//! Link errors as a user meets them: each bad input gets a one-line error that names the file
//! (and archive member), the section, the offset and the symbol; exit status 1; and no output
//! file. The same inputs are given to rust-lld, which must also refuse them, so the test can
//! not drift into expecting errors for inputs wasm-ld accepts.

use std::path::{Path, PathBuf};
use std::process::Command;

/// rust-lld from the active Rust toolchain (fails the test, saying why, if it is missing).
fn rust_lld() -> PathBuf {
    touchstone_oracle::link::rust_lld_path().unwrap_or_else(|e| panic!("{e:#}"))
}

fn tool(name: &str) -> PathBuf {
    let p = PathBuf::from(format!("/usr/bin/{name}"));
    assert!(
        p.exists(),
        "{name} is missing: run ci/setup (apt-get install clang-19 lld-19 llvm-19)"
    );
    p
}

/// Assembles `.s` text with llvm-mc into `dir/name.o`.
fn asm(dir: &Path, name: &str, text: &str) -> PathBuf {
    asm_for(dir, name, text, "wasm32-unknown-unknown")
}

/// Assembles `.s` text for `triple` (wasm32 or wasm64) into `dir/name.o`.
fn asm_for(dir: &Path, name: &str, text: &str, triple: &str) -> PathBuf {
    let s = dir.join(format!("{name}.s"));
    let o = dir.join(format!("{name}.o"));
    std::fs::write(&s, text).unwrap();
    let st = Command::new(tool("llvm-mc-19"))
        .arg(format!("-triple={triple}"))
        .arg("-filetype=obj")
        .arg(&s)
        .arg("-o")
        .arg(&o)
        .status()
        .unwrap();
    assert!(st.success(), "llvm-mc failed on {name}.s");
    o
}

struct Outcome {
    status: i32,
    stderr: String,
    output_exists: bool,
}

fn link(linker: &[&Path], args: &[&Path], dir: &Path, out_name: &str) -> Outcome {
    let out = dir.join(out_name);
    let _ = std::fs::remove_file(&out);
    let mut cmd = Command::new(linker[0]);
    if linker.len() > 1 {
        cmd.args(&linker[1..]);
    }
    let o = cmd.args(args).arg("-o").arg(&out).output().unwrap();
    Outcome {
        status: o.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        output_exists: out.exists(),
    }
}

/// Links with touchstone-ld and rust-lld; both must fail; touchstone's message must contain
/// every expected piece, and no output may be left behind.
fn expect_error(args: &[&Path], expected: &[&str]) {
    let dir = args[0].parent().unwrap();
    let ours = link(
        &[Path::new(env!("CARGO_BIN_EXE_touchstone-ld"))],
        args,
        dir,
        "ours.wasm",
    );
    let lld = rust_lld();
    let flavor = Path::new("-flavor");
    let wasm = Path::new("wasm");
    let theirs = link(&[&lld, flavor, wasm], args, dir, "theirs.wasm");
    assert_ne!(
        theirs.status, 0,
        "rust-lld accepted an input we expect to be refused"
    );
    assert_eq!(
        ours.status, 1,
        "touchstone-ld exit status; stderr:\n{}",
        ours.stderr
    );
    assert!(
        !ours.output_exists,
        "touchstone-ld left an output file behind"
    );
    assert!(
        !ours.stderr.contains("panicked"),
        "touchstone-ld panicked:\n{}",
        ours.stderr
    );
    for piece in expected {
        assert!(
            ours.stderr.contains(piece),
            "expected {piece:?} in touchstone-ld's message:\n{}\n(rust-lld said:\n{})",
            ours.stderr,
            theirs.stderr
        );
    }
}

const START_CALLS_FOO: &str = "\t.functype foo () -> ()\n\t.globl _start\n_start:\n\t.functype _start () -> ()\n\tcall foo\n\tend_function\n";
const DEFINES_FOO: &str = "\t.globl foo\nfoo:\n\t.functype foo () -> ()\n\tend_function\n";

#[test]
fn undefined_symbol() {
    let dir = tempfile::tempdir().unwrap();
    let a = asm(dir.path(), "a", START_CALLS_FOO);
    expect_error(&[&a], &["a.o: undefined symbol: foo"]);
}

#[test]
fn duplicate_symbol() {
    let dir = tempfile::tempdir().unwrap();
    let a = asm(dir.path(), "a", &format!("{START_CALLS_FOO}{DEFINES_FOO}"));
    let b = asm(dir.path(), "b", DEFINES_FOO);
    expect_error(
        &[&a, &b],
        &["duplicate symbol: foo", "defined in", "a.o", "b.o"],
    );
}

#[test]
fn bad_magic() {
    let dir = tempfile::tempdir().unwrap();
    let a = asm(dir.path(), "a", &format!("{START_CALLS_FOO}{DEFINES_FOO}"));
    let mut bytes = std::fs::read(&a).unwrap();
    bytes[1] = b'X';
    std::fs::write(&a, bytes).unwrap();
    expect_error(&[&a], &["a.o", "unknown file type"]);
}

#[test]
fn truncated_object() {
    let dir = tempfile::tempdir().unwrap();
    let a = asm(dir.path(), "a", &format!("{START_CALLS_FOO}{DEFINES_FOO}"));
    let bytes = std::fs::read(&a).unwrap();
    std::fs::write(&a, &bytes[..bytes.len() / 2]).unwrap();
    expect_error(&[&a], &["a.o", "section too large", "at offset 0x"]);
}

/// A custom section LLVM orders, out of its order: a second `target_features`, or a `name`
/// after `target_features` (LLVM's section order checker).
#[test]
fn out_of_order_custom_section() {
    let dir = tempfile::tempdir().unwrap();
    let a = asm(dir.path(), "a", &format!("{START_CALLS_FOO}{DEFINES_FOO}"));
    let bytes = std::fs::read(&a).unwrap();
    // A custom section: id 0, size, name, then an empty payload (a feature count of 0).
    let custom = |name: &str| {
        let mut s = vec![0u8, (name.len() + 2) as u8, name.len() as u8];
        s.extend_from_slice(name.as_bytes());
        s.push(0);
        s
    };
    for extra in [custom("target_features"), custom("name")] {
        let mut twice = custom("target_features");
        twice.extend(extra);
        std::fs::write(&a, [bytes.clone(), twice].concat()).unwrap();
        expect_error(&[&a], &["a.o: out of order section type: 0"]);
    }
}

/// A relocation entry whose symbol index is past the end of the symbol table.
#[test]
fn relocation_symbol_out_of_range() {
    let dir = tempfile::tempdir().unwrap();
    let a = asm(dir.path(), "a", &format!("{START_CALLS_FOO}{DEFINES_FOO}"));
    let mut bytes = std::fs::read(&a).unwrap();
    // reloc.CODE payload: target section, count, then (type, offset, index): the index
    // byte follows the type (0 = FUNCTION_INDEX_LEB) and a one-byte offset.
    let name = b"reloc.CODE";
    let at = bytes
        .windows(name.len())
        .position(|w| w == name)
        .expect("reloc.CODE section");
    let entry = at + name.len() + 2; // skip target section index and count
    assert_eq!(bytes[entry], 0, "first relocation is FUNCTION_INDEX_LEB");
    bytes[entry + 2] = 0x7f; // symbol index 127
    std::fs::write(&a, bytes).unwrap();
    expect_error(
        &[&a],
        &[
            "a.o",
            "reloc.CODE",
            "entry 0",
            "symbol index 127 out of range",
        ],
    );
}

/// An unknown relocation type is named by number.
#[test]
fn unknown_relocation_type() {
    let dir = tempfile::tempdir().unwrap();
    let a = asm(dir.path(), "a", &format!("{START_CALLS_FOO}{DEFINES_FOO}"));
    let mut bytes = std::fs::read(&a).unwrap();
    let name = b"reloc.CODE";
    let at = bytes.windows(name.len()).position(|w| w == name).unwrap();
    bytes[at + name.len() + 2] = 99;
    std::fs::write(&a, bytes).unwrap();
    expect_error(&[&a], &["a.o", "reloc.CODE", "invalid relocation type: 99"]);
}

/// An archive member's errors name the archive and the member.
/// A global whose initializer holds an instruction an initializer may not (found by
/// ci/badinput in a libc member): refused, as LLVM's reader refuses it (`invalid opcode in
/// init_expr: 2`; wasmparser, reading the section, stops at the `block` first: "control
/// frames remain"). An opcode that does not open a block gets LLVM's words, see
/// `object::check_init_expr`.
#[test]
fn invalid_opcode_in_init_expr() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{START_CALLS_FOO}{DEFINES_FOO}\t.globaltype g, i32\ng:\n");
    let a = asm(dir.path(), "a", &text);
    let mut bytes = std::fs::read(&a).unwrap();
    // The global section (id 6): size, count 1, type i32 (7f), mutable (01), i32.const (41).
    let at = bytes
        .windows(4)
        .position(|w| w[1..] == [0x7f, 0x01, 0x41] && w[0] == 1)
        .expect("the global's initializer");
    bytes[at + 3] = 0x02;
    std::fs::write(&a, bytes).unwrap();
    expect_error(&[&a], &["a.o: global section", "at offset 0x"]);
    // i32.eqz (0x45) reads as an instruction: LLVM's message.
    let mut bytes = std::fs::read(&a).unwrap();
    bytes[at + 3] = 0x45;
    std::fs::write(&a, bytes).unwrap();
    expect_error(
        &[&a],
        &["a.o: invalid opcode in init_expr: 69\n>>> global section: global 0\n"],
    );
}

/// `a.o` (calling `foo`) and `libfoo.a`, whose one member `b.o` defines `foo`.
fn main_and_libfoo(dir: &Path) -> (PathBuf, PathBuf) {
    let a = asm(dir, "a", START_CALLS_FOO);
    let b = asm(dir, "b", DEFINES_FOO);
    let lib = dir.join("libfoo.a");
    let st = Command::new(tool("llvm-ar-19"))
        .arg("rcs")
        .arg(&lib)
        .arg(&b)
        .status()
        .unwrap();
    assert!(st.success());
    (a, lib)
}

/// A member header whose size field holds something other than digits and spaces (found by
/// ci/badinput): refused with LLVM's words, though the `object` crate would read a size.
#[test]
fn archive_member_size_not_decimal() {
    let dir = tempfile::tempdir().unwrap();
    let (a, lib) = main_and_libfoo(dir.path());
    // The first header's size field ends at 8 + 58; its last byte is a space before this.
    let mut bytes = std::fs::read(&lib).unwrap();
    bytes[8 + 57] = 0x7f;
    std::fs::write(&lib, bytes).unwrap();
    expect_error(
        &[&a, &lib],
        &[
            "libfoo.a: Archive::children failed: truncated or malformed archive (characters in size field in archive member header are not all decimal numbers: '",
            "for the archive member header at offset 8)",
        ],
    );
}

#[test]
fn archive_member_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (a, lib) = main_and_libfoo(dir.path());
    // Corrupt the member inside the archive: linking metadata version 9.
    let mut bytes = std::fs::read(&lib).unwrap();
    let name = b"linking";
    let at = bytes.windows(name.len()).position(|w| w == name).unwrap();
    bytes[at + name.len()] = 9;
    std::fs::write(&lib, bytes).unwrap();
    expect_error(
        &[&a, &lib],
        &[
            "libfoo.a(b.o)",
            "linking",
            "unexpected metadata version: 9 (Expected: 2)",
        ],
    );
}

/// A symbol count far larger than the section must not be trusted for allocation.
#[test]
fn huge_symbol_count() {
    let dir = tempfile::tempdir().unwrap();
    let a = asm(dir.path(), "a", &format!("{START_CALLS_FOO}{DEFINES_FOO}"));
    let mut bytes = std::fs::read(&a).unwrap();
    let name = b"linking";
    let at = bytes.windows(name.len()).position(|w| w == name).unwrap();
    // linking: version(1) then subsection id 8 (symbol table), size, count.
    let sub = at + name.len() + 1;
    assert_eq!(
        bytes[sub], 8,
        "first linking subsection is the symbol table"
    );
    let mut count_at = sub + 1;
    while bytes[count_at] & 0x80 != 0 {
        count_at += 1; // skip the subsection size LEB
    }
    count_at += 1;
    assert!(bytes[count_at] < 0x80, "one-byte symbol count");
    // Replace the one-byte count with a 5-byte LEB of 0x0fffffff, keeping the length by
    // overwriting the count and the first 4 bytes after it (the section is now malformed
    // either way; what matters is that no huge allocation happens).
    bytes[count_at] = 0xff;
    bytes[count_at + 1] = 0xff;
    bytes[count_at + 2] = 0xff;
    bytes[count_at + 3] = 0x7f;
    std::fs::write(&a, bytes).unwrap();
    expect_error(&[&a], &["a.o", "linking"]);
}

/// `--version` (either dash count) prints the version and stops: no link, no output, exit 0;
/// `-v` prints it and links. Both as wasm-ld does.
#[test]
fn version_options() {
    let dir = tempfile::tempdir().unwrap();
    let o = asm(dir.path(), "start", DEFINES_FOO);
    let ld = Path::new(env!("CARGO_BIN_EXE_touchstone-ld"));
    let lld = rust_lld();
    for (args, links) in [
        (&["--version"][..], false),
        (&["-version"][..], false),
        (&["-v"][..], true),
    ] {
        let run = |linker: &[&Path], out: &str| {
            let mut all: Vec<&Path> = args.iter().map(Path::new).collect();
            all.extend([Path::new("--no-entry"), Path::new("--export=foo"), &o]);
            link(linker, &all, dir.path(), out)
        };
        let ours = run(&[ld], "ours.wasm");
        let theirs = run(
            &[&lld, Path::new("-flavor"), Path::new("wasm")],
            "theirs.wasm",
        );
        assert_eq!(ours.status, 0, "{args:?}: {}", ours.stderr);
        assert_eq!(theirs.status, 0, "rust-lld {args:?}: {}", theirs.stderr);
        assert_eq!(ours.output_exists, links, "{args:?}: output written");
        assert_eq!(
            theirs.output_exists, links,
            "rust-lld {args:?}: output written"
        );
    }
}

/// With --fatal-warnings a warning is an error: reported as such, exit 1, and no output.
#[test]
fn fatal_warnings_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let o = asm(dir.path(), "start", DEFINES_FOO);
    expect_error(
        &[
            Path::new("-z"),
            Path::new("no-such-keyword"),
            Path::new("--fatal-warnings"),
            Path::new("--no-entry"),
            &o,
        ],
        &["error: unknown -z value: no-such-keyword"],
    );
}

#[test]
fn no_input_files() {
    let dir = tempfile::tempdir().unwrap();
    let ld = Path::new(env!("CARGO_BIN_EXE_touchstone-ld"));
    let ours = link(&[ld], &[Path::new("--no-entry")], dir.path(), "ours.wasm");
    assert_eq!(ours.status, 1);
    assert!(
        ours.stderr.contains("error: no input files"),
        "{}",
        ours.stderr
    );
    assert!(!ours.output_exists);
}

/// A feature error about thread-local storage names the input that uses it (wasm-ld's
/// message names none): the file and the TLS segment.
#[test]
fn tls_without_atomics_names_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let o = asm(
        dir.path(),
        "tls",
        "\t.section .tdata.counter,\"T\",@\n\t.globl counter\n\t.p2align 2\ncounter:\n\t.int32 7\n\t.size counter, 4\n",
    );
    expect_error(
        &[Path::new("--no-entry"), Path::new("--export=counter"), &o],
        &[
            "'atomics' feature must be used in order to use thread-local storage",
            "(used by ",
            "tls.o: segment .tdata.counter)",
        ],
    );
}

/// Links in `dir` (the inputs named relative to it) with touchstone-ld and rust-lld, which
/// must both refuse the link with the same words: stderr equal once each linker's own
/// `NAME: ` prefix is taken off every line. No output may be left behind.
fn expect_same_error(dir: &Path, args: &[&str]) {
    expect_same_diagnostics(dir, args, 1);
}

/// As [`expect_same_error`], for a link that ends with exit status `status` (0: both write a
/// module, and then may differ only in it).
fn expect_same_diagnostics(dir: &Path, args: &[&str], status: i32) {
    let run = |linker: &[&Path], out: &str| {
        let _ = std::fs::remove_file(dir.join(out));
        let mut cmd = Command::new(linker[0]);
        cmd.args(&linker[1..])
            .args(args)
            .arg("-o")
            .arg(out)
            .current_dir(dir);
        let o = cmd.output().unwrap();
        let text = String::from_utf8_lossy(&o.stderr).into_owned();
        let unprefixed: Vec<String> = text
            .lines()
            .map(|l| match l.split_once(": ") {
                Some((prog, rest)) if !prog.contains(' ') && !l.starts_with(">>>") => {
                    rest.to_string()
                }
                _ => l.to_string(),
            })
            .collect();
        (o.status.code(), unprefixed, dir.join(out).exists())
    };
    let lld = rust_lld();
    let theirs = run(
        &[&lld, Path::new("-flavor"), Path::new("wasm")],
        "theirs.wasm",
    );
    let ours = run(
        &[Path::new(env!("CARGO_BIN_EXE_touchstone-ld"))],
        "ours.wasm",
    );
    let (s1, s2) = (&theirs.1, &ours.1);
    assert_eq!(
        theirs.0,
        Some(status),
        "rust-lld's status for {args:?}: {s1:?}"
    );
    assert_eq!(
        ours.0,
        Some(status),
        "touchstone-ld's status for {args:?}: {s2:?}"
    );
    assert_eq!(
        ours.2,
        status == 0,
        "touchstone-ld's output file exists: {}",
        ours.2
    );
    pretty_assertions::assert_eq!(ours.1, theirs.1, "stderr for {args:?}");
}

/// A wasm64 object needs `-mwasm64`, and a wasm32 object cannot join a wasm64 link: both stop
/// the link at that file, in wasm-ld's words.
#[test]
fn wasm32_and_wasm64_objects_do_not_mix() {
    let dir = tempfile::tempdir().unwrap();
    asm_for(dir.path(), "s64", DEFINES_FOO, "wasm64-unknown-unknown");
    asm(dir.path(), "s32", DEFINES_FOO);
    expect_same_error(dir.path(), &["--no-entry", "s64.o"]);
    expect_same_error(dir.path(), &["--no-entry", "-mwasm64", "s32.o"]);
    expect_same_error(dir.path(), &["--no-entry", "-mwasm32", "s64.o"]);
}

/// Symbols in diagnostics are demangled as wasm-ld prints them (`foo(int)`), unless
/// `--no-demangle`; the first line is wasm-ld's own, with no context before it.
#[test]
fn diagnostics_demangle_symbols_and_use_wasm_lds_words() {
    let dir = tempfile::tempdir().unwrap();
    let calls = "\t.functype _Z3fooi (i32) -> ()\n\t.globl _start\n_start:\n\t.functype _start () -> ()\n\ti32.const 1\n\tcall _Z3fooi\n\tend_function\n";
    asm(dir.path(), "calls", calls);
    expect_same_error(dir.path(), &["calls.o"]);
    expect_same_error(dir.path(), &["--no-demangle", "calls.o"]);
    // The same name as data in one file and a function in another.
    let data =
        "\t.section .data.x,\"\",@\n\t.globl _Z3fooi\n_Z3fooi:\n\t.int32 1\n\t.size _Z3fooi, 4\n";
    asm(dir.path(), "data", data);
    let func = "\t.globl _Z3fooi\n_Z3fooi:\n\t.functype _Z3fooi (i32) -> ()\n\tend_function\n";
    asm(dir.path(), "func", func);
    expect_same_error(dir.path(), &["--no-entry", "data.o", "func.o"]);
    // Two definitions.
    asm(dir.path(), "func2", func);
    expect_same_error(dir.path(), &["--no-entry", "func.o", "func2.o"]);
}

/// An archive member that is not a wasm object is skipped with wasm-ld's warning, which is
/// printed even when the link then fails (and is an error with --fatal-warnings); with
/// --whole-archive it is an error.
#[test]
fn archive_members_that_are_not_wasm_objects() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    asm(d, "foo", DEFINES_FOO);
    std::fs::write(d.join("notes.txt"), "not an object\n").unwrap();
    let ar = Command::new(tool("llvm-ar-19"))
        .args(["rcs", "libmix.a", "notes.txt", "foo.o"])
        .current_dir(d)
        .status()
        .unwrap();
    assert!(ar.success());
    expect_same_diagnostics(d, &["--no-entry", "libmix.a"], 0);
    expect_same_error(d, &["libmix.a"]);
    expect_same_error(d, &["--fatal-warnings", "--no-entry", "libmix.a"]);
}

/// A TLS relocation against an undefined symbol is an error; with shared memory also one
/// against data outside a TLS segment. Every error of the feature checks, the memory layout
/// and the relocation scan is reported before the link stops, in wasm-ld's order.
#[test]
fn tls_relocations_against_undefined_or_non_tls_data() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\t.globl _start\n_start:\n\t.functype _start () -> ()\n\
                \ti32.const foo@TLSREL\n\ti32.const bar@TLSREL\n\ti32.const baz@TLSREL\n\
                \tdrop\n\tdrop\n\tdrop\n\tend_function\n\
                \t.section .data,\"\",@\n\t.globl foo\nfoo:\n\t.int32 0\n\t.size foo, 4\n\
                \t.section .bss,\"\",@\n\t.globl bar\nbar:\n\t.int32 0\n\t.size bar, 4\n";
    asm(dir.path(), "tls", text);
    expect_same_error(dir.path(), &["tls.o"]);
    expect_same_error(dir.path(), &["--shared-memory", "tls.o"]);
    expect_same_error(
        dir.path(),
        &["--shared-memory", "--initial-memory=100", "tls.o"],
    );
}

/// `--unresolved-symbols=import-dynamic` imports undefined symbols at run time, so code that
/// needs an undefined symbol's address or table index at link time is refused in wasm-ld's
/// words ("recompile with -fPIC"), every such relocation reported.
#[test]
fn import_dynamic_refuses_absolute_addresses_of_undefined_symbols() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\t.functype undef_func () -> ()\n\t.globl _start\n_start:\n\t.functype _start () -> ()\n\
                \ti32.const undef_data\n\tdrop\n\ti32.const undef_func\n\tdrop\n\tcall undef_func\n\tend_function\n";
    asm(dir.path(), "main", text);
    expect_same_error(
        dir.path(),
        &["main.o", "--unresolved-symbols=import-dynamic"],
    );
}
