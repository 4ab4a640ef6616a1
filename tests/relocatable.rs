//! `-r` (relocatable output) against rust-lld 22, byte for byte: objects assembled with
//! llvm-mc-19 or compiled with clang-19 (against wasi-libc) are linked `-r` by touchstone-ld
//! and by rust-lld into files of the same name in two folders (the name section carries the
//! output's file name), and the outputs must be identical. Then the `-r` outputs are linked
//! on, into a program and `-r` again, by both linkers, and those outputs must be identical
//! too; and the options `-r` refuses are refused with rust-lld's words. `--emit-relocs` final
//! links (a program that keeps its `linking` and `reloc.*` sections) are compared the same
//! way: the testsuite cases with their own options, and a C program with wasi-libc.
//!
//! Missing tools (llvm-mc-19, clang-19, rust-lld, wasi-libc) fail the tests with a message.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const WASI_LIB: &str = "/usr/lib/wasm32-wasi";
const BUILTINS: &str = "/usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a";

/// rust-lld from the active Rust toolchain.
fn rust_lld() -> PathBuf {
    let out = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .expect("cannot run `rustc --print sysroot` to find rust-lld");
    let sysroot = String::from_utf8(out.stdout).expect("sysroot path");
    let lld = Path::new(sysroot.trim()).join("lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld");
    assert!(lld.is_file(), "rust-lld not found at {}", lld.display());
    lld
}

fn run(mut cmd: Command, what: &str) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what} ({:?}): {e}", cmd.get_program()));
    assert!(
        out.status.success(),
        "{what} failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A scratch folder with `t/` (touchstone-ld's outputs) and `ref/` (rust-lld's).
struct Scratch {
    dir: tempfile::TempDir,
}

/// Which linker.
#[derive(Clone, Copy)]
enum Linker {
    Touchstone,
    RustLld,
}

impl Linker {
    fn folder(self) -> &'static str {
        match self {
            Linker::Touchstone => "t",
            Linker::RustLld => "ref",
        }
    }

    fn command(self) -> Command {
        match self {
            Linker::Touchstone => Command::new(env!("CARGO_BIN_EXE_touchstone-ld")),
            Linker::RustLld => {
                let mut c = Command::new(rust_lld());
                c.args(["-flavor", "wasm"]);
                c
            }
        }
    }
}

impl Scratch {
    fn new() -> Scratch {
        let dir = tempfile::tempdir().expect("tempdir");
        for sub in ["t", "ref"] {
            std::fs::create_dir(dir.path().join(sub)).expect("mkdir");
        }
        Scratch { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Assembles `source` (wasm32 assembly) into `name`.
    fn asm(&self, name: &str, source: &str) -> PathBuf {
        let s = self.path(&format!("{name}.s"));
        std::fs::write(&s, source).expect("write source");
        let o = self.path(name);
        let mut c = Command::new("llvm-mc-19");
        c.args(["-filetype=obj", "-triple=wasm32-unknown-unknown"])
            .arg(&s)
            .arg("-o")
            .arg(&o);
        run(c, "llvm-mc-19");
        o
    }

    /// Compiles C `source` into `name` with clang-19 against wasi-libc.
    fn cc(&self, name: &str, source: &str, flags: &[&str]) -> PathBuf {
        let s = self.path(&format!("{name}.c"));
        std::fs::write(&s, source).expect("write source");
        let o = self.path(name);
        let mut c = Command::new("clang-19");
        c.args([
            "--target=wasm32-wasi",
            "--sysroot=/usr",
            "-nostdlibinc",
            "-isystem",
            "/usr/include/wasm32-wasi",
            "-c",
        ])
        .args(flags)
        .arg(&s)
        .arg("-o")
        .arg(&o);
        run(c, "clang-19");
        o
    }

    /// Links with `linker` into `FOLDER/out`; `args` may name earlier outputs as `@NAME`
    /// (that linker's own `FOLDER/NAME`).
    fn link(&self, linker: Linker, args: &[&str], out: &str) -> Result<Vec<u8>, String> {
        let folder = self.path(linker.folder());
        let mut c = linker.command();
        for a in args {
            match a.strip_prefix('@') {
                Some(name) => c.arg(folder.join(name)),
                None => c.arg(a),
            };
        }
        let path = folder.join(out);
        c.arg("-o").arg(&path);
        let o = c.output().expect("cannot run the linker");
        if !o.status.success() {
            return Err(String::from_utf8_lossy(&o.stderr).into_owned());
        }
        Ok(std::fs::read(&path).expect("read output"))
    }

    /// Links with both linkers; both must succeed with the same bytes.
    fn same(&self, args: &[&str], out: &str) -> Vec<u8> {
        let ours = self.link(Linker::Touchstone, args, out);
        let theirs = self.link(Linker::RustLld, args, out);
        let (ours, theirs) = match (ours, theirs) {
            (Ok(a), Ok(b)) => (a, b),
            (a, b) => panic!("{args:?}: touchstone-ld: {a:?}\nrust-lld: {b:?}"),
        };
        if ours != theirs {
            let at = ours
                .iter()
                .zip(&theirs)
                .position(|(a, b)| a != b)
                .unwrap_or(ours.len().min(theirs.len()));
            panic!(
                "{args:?} -> {out}: touchstone-ld's output ({} bytes) differs from rust-lld's \
                 ({} bytes) at byte {at}",
                ours.len(),
                theirs.len()
            );
        }
        ours
    }

    /// Both linkers refuse `args`, with the same first message after the program name
    /// (wasm-ld goes on and reports more; touchstone-ld stops at the first).
    fn same_error(&self, args: &[&str]) -> String {
        let ours = self.link(Linker::Touchstone, args, "refused");
        let theirs = self.link(Linker::RustLld, args, "refused");
        let (Err(ours), Err(theirs)) = (ours, theirs) else {
            panic!("{args:?} must be refused by both linkers");
        };
        let strip = |m: &str| {
            let first = m.lines().next().unwrap_or_default();
            first.split_once(": ").map(|(_, r)| r.trim().to_string())
        };
        assert_eq!(strip(&ours), strip(&theirs), "{args:?}");
        ours
    }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Two objects whose local symbols share names, each using the other's global data, with
/// memory-address and table-index relocations (llvm-mc-19 writes such objects with a table
/// import and no table symbol): the symbol order, the same-named segments combined, and the
/// legacy table symbol.
#[test]
fn colliding_locals() {
    let x = Scratch::new();
    let unit = |me: &str, other: &str| {
        format!(
            r#"
  .section .text.local_f,"",@
local_f:
  .functype local_f () -> (i32)
  i32.const 1
  end_function
  .section .text.f_{me},"",@
  .globl f_{me}
f_{me}:
  .functype f_{me} () -> (i32)
  i32.const local_g
  i32.const g_{other}
  i32.add
  i32.const local_f
  i32.add
  end_function
  .section .data.local_g,"",@
  .p2align 2
local_g:
  .int32 7
  .size local_g, 4
  .section .data.g_{me},"",@
  .globl g_{me}
  .p2align 2
g_{me}:
  .int32 8
  .size g_{me}, 4
"#
        )
    };
    let a = x.asm("a.o", &unit("a", "b"));
    let b = x.asm("b.o", &unit("b", "a"));
    x.same(&["-r", s(&a), s(&b)], "ab.o");
    x.same(&["-r", s(&b), s(&a)], "ba.o");
    x.same(&["-r", s(&a)], "a-alone.o");
}

/// COMDAT functions and data: their segments stay apart, the groups are listed by name, and a
/// second copy of a group is dropped.
#[test]
fn comdats_kept_apart() {
    let x = Scratch::new();
    let src = |tag: &str| {
        format!(
            r#"
  .section .text.inline_fn,"G",@,grp
  .globl inline_fn
  .weak inline_fn
inline_fn:
  .functype inline_fn () -> (i32)
  i32.const constant
  end_function
  .section .rodata.constant,"G",@,grp
  .globl constant
  .weak constant
  .p2align 2
constant:
  .int32 42
  .size constant, 4
  .section .data.mine_{tag},"",@
  .globl mine_{tag}
mine_{tag}:
  .int8 1
  .size mine_{tag}, 1
  .section .text.user_{tag},"",@
  .globl user_{tag}
user_{tag}:
  .functype user_{tag} () -> (i32)
  call inline_fn
  end_function
"#
        )
    };
    let a = x.asm("a.o", &src("a"));
    let b = x.asm("b.o", &src("b"));
    x.same(&["-r", s(&a), s(&b)], "ab.o");
    // The -r output goes into another -r link with a third copy of the group.
    let c = x.asm("c.o", &src("c"));
    x.same(&["-r", "@ab.o", s(&c)], "abc.o");
}

/// An archive: only the members a reference extracts are linked, undefined functions become
/// imports (listed after the definitions in the symbol table), and `X.imports` beside `X.a`
/// allows a final link to leave its names undefined.
#[test]
fn archive_members_and_imports_file() {
    let x = Scratch::new();
    let main = x.asm(
        "main.o",
        r#"
  .functype used () -> (i32)
  .functype missing () -> ()
  .globl _start
_start:
  .functype _start () -> ()
  call used
  drop
  call missing
  end_function
"#,
    );
    let used = x.asm(
        "used.o",
        r#"
  .globl used
used:
  .functype used () -> (i32)
  i32.const 3
  end_function
"#,
    );
    let unused = x.asm(
        "unused.o",
        r#"
  .globl unused
unused:
  .functype unused () -> ()
  end_function
"#,
    );
    let lib = x.path("lib.a");
    let mut ar = Command::new("llvm-ar-19");
    ar.arg("rcs").arg(&lib).arg(&used).arg(&unused);
    run(ar, "llvm-ar-19");
    x.same(&["-r", s(&lib), s(&main)], "r.o");
    let refused = x.same_error(&[s(&lib), s(&main)]);
    assert!(refused.contains("undefined symbol: missing"), "{refused}");
    std::fs::write(x.path("lib.imports"), "missing\n").expect("write imports");
    x.same(&[s(&lib), s(&lib), s(&main)], "final.wasm");
}

/// Custom sections: one section symbol each, after every other symbol.
#[test]
fn custom_sections_get_section_symbols() {
    let x = Scratch::new();
    let unit = |v: u8| {
        format!(
            r#"
  .globl f{v}
f{v}:
  .functype f{v} () -> ()
  end_function
  .section .custom_a,"",@
  .int8 {v}
  .section .custom_b,"",@
  .int8 {v}
  .int8 {v}
"#
        )
    };
    let a = x.asm("a.o", &unit(1));
    let b = x.asm("b.o", &unit(2));
    x.same(&["-r", s(&a), s(&b)], "ab.o");
}

const PROGRAM_A: &str = r#"
#include <stdio.h>
#include <string.h>
extern int counter;
int helper(int);
static int sq(int x) { return x * x; }
static const char *names[] = {"alpha", "beta", "gamma"};
int (*fp)(int) = sq;
__attribute__((constructor(200))) static void init_a(void) { counter += 1; }
__attribute__((weak)) int maybe(void);
_Thread_local int tl = 5;
char big[100];
int main(void) {
  printf("%s %d %d\n", names[counter % 3], fp(3), helper(4));
  if (maybe) printf("maybe %d\n", maybe());
  big[3] = 1;
  return (int)strlen(names[1]) + tl - 9;
}
"#;

const PROGRAM_B: &str = r#"
#include <stdio.h>
int counter = 1;
static int local_counter;
static int twice(int x) { return 2 * x; }
int helper(int x) { local_counter++; return twice(x) + counter; }
__attribute__((constructor)) static void init_b(void) { counter *= 10; puts("init b"); }
const char *msg = "hello from b";
"#;

/// A C program at `flags`: `-r` of its two objects, the program linked from that output
/// (with wasi-libc), and `-r` of the `-r` output with a third object: each identical.
fn c_program(flags: &[&str]) {
    let x = Scratch::new();
    let a = x.cc("a.o", PROGRAM_A, flags);
    let b = x.cc("b.o", PROGRAM_B, flags);
    let tls = x.cc(
        "tls.o",
        "_Thread_local int tls_v = 5; _Thread_local int tls_z;\nint get(void) { return tls_v + tls_z; }\n",
        &[flags, &["-matomics", "-mbulk-memory"]].concat(),
    );
    x.same(&["-r", s(&a), s(&b)], "ab.o");
    x.same(&["-r", s(&tls)], "tls-r.o");
    let crt1 = format!("{WASI_LIB}/crt1-command.o");
    let lib_dir = format!("-L{WASI_LIB}");
    x.same(
        &["-m", "wasm32", &lib_dir, &crt1, "@ab.o", "-lc", BUILTINS],
        "two-step.wasm",
    );
    x.same(&["-r", "@ab.o", "@tls-r.o"], "abt.o");
}

#[test]
fn c_program_optimized() {
    c_program(&["-O2"]);
}

#[test]
fn c_program_debug() {
    c_program(&["-O0", "-g"]);
}

/// The options `-r` makes meaningless are refused as wasm-ld refuses them.
#[test]
fn options_refused_with_r() {
    let x = Scratch::new();
    let o = x.asm(
        "a.o",
        r#"
  .globl f
f:
  .functype f () -> ()
  end_function
"#,
    );
    let o = s(&o);
    for extra in [
        &["--gc-sections"][..],
        &["--entry=f"],
        &["--export-table"],
        &["--growable-table"],
        &["--shared-memory"],
        &["--global-base=1024"],
        &["-u", "f"],
        &["--compress-relocations", "--strip-debug"],
        &["--compress-relocations"],
    ] {
        let args: Vec<&str> = ["-r", o].iter().chain(extra).copied().collect();
        x.same_error(&args);
    }
    // --no-entry and --no-gc-sections are what -r means anyway.
    x.same(&["-r", "--no-entry", "--no-gc-sections", o], "ok.o");
    // --emit-relocs adds nothing to -r.
    x.same(&["-r", "--emit-relocs", o], "emit.o");
}

/// Builds one testsuite input into `out`: `.wat` with `touchstone_oracle::asm`, `.c` with clang-19
/// (with the case's `cflags:`), `.s` with llvm-mc-19, `.yaml` with yaml2obj-19, anything else
/// copied. `None` when it does not build (a malformed case's input).
fn build_input(src: &Path, out: &Path, cflags: &[String]) -> Option<()> {
    let ext = src.extension().and_then(|e| e.to_str()).unwrap_or("");
    let status = match ext {
        "wat" => {
            let text = std::fs::read_to_string(src).ok()?;
            let bytes = touchstone_oracle::asm::assemble(&text, src).ok()?;
            std::fs::write(out, bytes).ok()?;
            return Some(());
        }
        "c" => Command::new("clang-19")
            .args([
                "--target=wasm32-wasi",
                "--sysroot=/usr",
                "-nostdlibinc",
                "-isystem",
                "/usr/include/wasm32-wasi",
            ])
            .args(cflags)
            .arg("-c")
            .arg(src)
            .arg("-o")
            .arg(out)
            .output(),
        "s" => Command::new("llvm-mc-19")
            .args(["-filetype=obj", "-triple=wasm32-unknown-unknown"])
            .arg(src)
            .arg("-o")
            .arg(out)
            .output(),
        "yaml" => Command::new("yaml2obj-19")
            .arg(src)
            .arg("-o")
            .arg(out)
            .output(),
        _ => {
            std::fs::copy(src, out).ok()?;
            return Some(());
        }
    };
    status.ok().filter(|o| o.status.success()).map(|_| ())
}

/// Every testsuite case's inputs (the main file, then its `object:` and `archive:` inputs,
/// without its options), linked `-r` by both linkers: the outputs must be byte-identical, or
/// both linkers must refuse the inputs.
#[test]
fn testsuite_inputs_link_r_like_rust_lld() {
    testsuite_like_rust_lld(Mode::Relocatable, 200);
}

/// Every testsuite case linked as the case says (its `args:`) with `--emit-relocs` added, by
/// both linkers: a final module that keeps its `linking` and `reloc.*` sections, identical
/// byte for byte, or refused by both (cases for -shared/-pie, not built, are refused by
/// touchstone-ld alone and counted apart).
#[test]
fn testsuite_cases_emit_relocs_like_rust_lld() {
    testsuite_like_rust_lld(Mode::EmitRelocs, 150);
}

/// `--emit-relocs` outputs that differ from rust-lld's by design: (case, reason). Each must
/// still link with both linkers.
const EMIT_RELOCS_DIFFERS: &[(&str, &str)] = &[(
    "relocations/pic-base-unused-in-debug.wat",
    "rust-lld 22 keeps the debug section's GLOBAL_INDEX_I32 relocations against the unused \
     __memory_base/__table_base, made data symbols, an output its own obj2yaml-19 refuses \
     (`invalid global relocation`); touchstone-ld leaves out a relocation whose target has no \
     output symbol",
)];

/// How [`testsuite_like_rust_lld`] links each case.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// `-r` of the inputs, the case's options left out.
    Relocatable,
    /// The case's own link, with `--emit-relocs`.
    EmitRelocs,
}

/// Links every testsuite case's inputs by both linkers in `mode`; at least `min_same` must
/// give identical outputs (a harness that built nothing would prove nothing).
fn testsuite_like_rust_lld(mode: Mode, min_same: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testsuite");
    let mut cases = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("read testsuite") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                if !p.ends_with("programs") {
                    dirs.push(p);
                }
                continue;
            }
            let prefix = match p.extension().and_then(|e| e.to_str()) {
                Some("wat") => ";;!",
                Some("c") => "//!",
                Some("s") => "#!",
                _ => continue,
            };
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            let directives: Vec<String> = text
                .lines()
                .filter_map(|l| l.strip_prefix(prefix))
                .map(|l| l.trim().to_string())
                .collect();
            // A case that allows a `status` difference is one where touchstone-ld and
            // wasm-ld disagree on linking the input at all, by design (testsuite/README.md):
            // they disagree here too.
            let by_design = directives.iter().any(|d| {
                d.strip_prefix("differs-from-wasm-ld:")
                    .and_then(|r| r.split_once("--"))
                    .is_some_and(|(key, _)| key.trim() == "status")
            });
            if !directives.is_empty() && !by_design {
                cases.push((p, directives));
            }
        }
    }
    cases.sort();
    let (mut same, mut refused) = (0, 0);
    let mut failures = Vec::new();
    for (case, directives) in &cases {
        let x = Scratch::new();
        let dir = case.parent().expect("case folder");
        let words = |d: &str, key: &str| -> Option<Vec<String>> {
            d.strip_prefix(key)
                .map(|r| r.split_whitespace().map(String::from).collect())
        };
        let cflags: Vec<String> = directives
            .iter()
            .filter_map(|d| words(d, "cflags:"))
            .flatten()
            .collect();
        let mut inputs = vec![x.path("main.o")];
        let mut built = build_input(case, &inputs[0], &cflags).is_some();
        for d in directives {
            if let Some(objects) = words(d, "object:") {
                for o in objects {
                    let out = x.path(&format!("{o}.o"));
                    built &= build_input(&dir.join(&o), &out, &cflags).is_some();
                    inputs.push(out);
                }
            } else if let Some(rest) = d.strip_prefix("archive:") {
                let Some((name, members)) = rest.split_once('=') else {
                    continue;
                };
                let mut ar = Command::new("llvm-ar-19");
                let lib = x.path(name.trim());
                ar.arg("rcs").arg(&lib);
                for m in members.split_whitespace() {
                    let out = x.path(&format!("{m}.o"));
                    built &= build_input(&dir.join(m), &out, &cflags).is_some();
                    ar.arg(out);
                }
                built &= ar.output().is_ok_and(|o| o.status.success());
                inputs.push(lib);
            }
        }
        if !built {
            continue;
        }
        let case_args: Vec<String> = directives
            .iter()
            .filter_map(|d| words(d, "args:"))
            .flatten()
            .collect();
        let mut args: Vec<&str> = match mode {
            Mode::Relocatable => vec!["-r"],
            Mode::EmitRelocs => vec!["--emit-relocs"],
        };
        args.extend(inputs.iter().map(|p| s(p)));
        if mode == Mode::EmitRelocs {
            args.extend(case_args.iter().map(String::as_str));
        }
        let name = case
            .strip_prefix(&root)
            .unwrap_or(case)
            .display()
            .to_string();
        match (
            x.link(Linker::Touchstone, &args, "out.o"),
            x.link(Linker::RustLld, &args, "out.o"),
        ) {
            (Ok(a), Ok(b)) if a == b => same += 1,
            (Ok(_), Ok(_))
                if mode == Mode::EmitRelocs
                    && EMIT_RELOCS_DIFFERS.iter().any(|(case, _)| *case == name) => {}
            (Ok(_), Ok(_)) => failures.push(format!("{name}: outputs differ")),
            (Err(_), Err(_)) => refused += 1,
            (Ok(_), Err(e)) => failures.push(format!("{name}: only rust-lld refuses: {e}")),
            (Err(e), Ok(_)) => failures.push(format!("{name}: only touchstone-ld refuses: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Most cases link: a harness that built nothing would prove nothing.
    assert!(
        same > min_same,
        "only {same} cases linked ({refused} refused by both)"
    );
}

/// A C program with wasi-libc linked with `--emit-relocs`, optimised and with debug
/// information (and, optimised, without GC): the live symbols, the linker's own symbols,
/// `undefined_weak:` stubs and the relocations of the code, data and debug sections, byte for
/// byte as rust-lld writes them. (Without GC at `-O0 -g` the plain final link already differs
/// from rust-lld's in `__tls_base`, a matter of its own.)
#[test]
fn emit_relocs_c_program() {
    for flags in [&["-O2"][..], &["-O0", "-g"][..]] {
        let x = Scratch::new();
        let a = x.cc("a.o", PROGRAM_A, flags);
        let b = x.cc("b.o", PROGRAM_B, flags);
        let crt1 = format!("{WASI_LIB}/crt1-command.o");
        let lib_dir = format!("-L{WASI_LIB}");
        let base: [&str; 8] = [
            "-m",
            "wasm32",
            &lib_dir,
            &crt1,
            s(&a),
            s(&b),
            "-lc",
            BUILTINS,
        ];
        x.same(&[&base[..], &["--emit-relocs"]].concat(), "p.wasm");
        if flags == ["-O2"] {
            x.same(
                &[&base[..], &["--emit-relocs", "--no-gc-sections"]].concat(),
                "p-no-gc.wasm",
            );
        }
        x.same(
            &[
                &base[..],
                &[
                    "--emit-relocs",
                    "--export-dynamic",
                    "-z",
                    "stack-size=65536",
                ],
            ]
            .concat(),
            "p-export.wasm",
        );
    }
}

/// C++: templates, inline functions with statics and vtables come in COMDAT groups; the
/// undefined `operator delete` is an import whose name section entry is demangled. `-r` of
/// two units, with and without `--no-demangle`.
#[test]
fn cpp_comdats_and_mangled_imports() {
    let common = r#"
template <typename T> T twice(T x) { return x + x; }
inline int shared_inline(int x) { static int counter; return ++counter + x; }
struct Base { virtual int v() { return 1; } virtual ~Base() {} };
"#;
    let one = format!(
        "{common}struct D : Base {{ int v() override {{ return 2; }} }};\n\
         int use1(int x) {{ D d; Base *b = &d; return twice(x) + shared_inline(x) + b->v(); }}\n\
         static int s_init = twice(3);\n"
    );
    let two = format!(
        "{common}int use2(int x) {{ Base b; return twice(x) * shared_inline(x) + b.v() + twice<long long>(x); }}\n"
    );
    for flags in [&["-O0"][..], &["-O1"], &["-O0", "-g"]] {
        let x = Scratch::new();
        let compile = |name: &str, src: &str| {
            let s_path = x.path(&format!("{name}.cpp"));
            std::fs::write(&s_path, src).expect("write source");
            let o = x.path(name);
            let mut c = Command::new("clang-19");
            c.args([
                "-x",
                "c++",
                "--target=wasm32-unknown-unknown",
                "-fno-exceptions",
                "-c",
            ])
            .args(flags)
            .arg(&s_path)
            .arg("-o")
            .arg(&o);
            run(c, "clang-19 -x c++");
            o
        };
        let a = compile("one.o", &one);
        let b = compile("two.o", &two);
        x.same(&["-r", s(&a), s(&b)], "r.o");
        x.same(&["-r", "--no-demangle", s(&a), s(&b)], "raw.o");
    }
}

/// `--wrap` with `-r`: references to NAME go to `__wrap_NAME` and to `__real_NAME` to NAME;
/// `__real_NAME` is then neither imported nor in the symbol table.
#[test]
fn wrap_with_r() {
    let x = Scratch::new();
    let def = x.cc("def.o", "int f(void) { return 1; }\n", &["-O1"]);
    let user = x.cc(
        "user.o",
        "int f(void);\nint __real_f(void);\n\
         int __wrap_f(void) { return __real_f() + 1; }\nint g(void) { return f(); }\n",
        &["-O1"],
    );
    x.same(&["-r", "--wrap=f", s(&def), s(&user)], "both.o");
    x.same(&["-r", "--wrap=f", s(&user)], "user-only.o");
}
