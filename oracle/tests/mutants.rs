//! Mutant linkers (issue 4 item 2): rust-lld wrapped in shell templates that damage its output
//! with `touchstone mutate` (drop an export, change a data byte, swap two function bodies, swap
//! two table entries), link with a different stack size, or exit 0 without writing anything.
//! Each mutant must be reported at the right level with the right key, while rust-lld compared
//! with itself is identical. Also `touchstone diff` through its command line: equivalent when
//! two links differ only in function order, different when a call target changes.
//!
//! Needs clang-19 (the test case is C) and rust-lld from the Rust toolchain.

use std::path::Path;
use std::process::Command;
use touchstone_oracle::case::Case;
use touchstone_oracle::compare::Level;
use touchstone_oracle::conformance::{run_case, Cell, Options};
use touchstone_oracle::link::{Linker, LinkerCommand};

const TOUCHSTONE: &str = env!("CARGO_BIN_EXE_touchstone");

const CASE: &str = r#"//! args: --no-entry
//! run: call apply 0 5 3 -> 8
//! run: call apply 1 5 3 -> 2
//! run: call msgchar 0 -> 104
static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
int (*volatile ops[2])(int, int) = {add, sub};
const char msg[] = "hello";
__attribute__((export_name("apply"))) int apply(int i, int a, int b) { return ops[i](a, b); }
__attribute__((export_name("msgchar"))) int msgchar(int i) {
  return ((const volatile char *)msg)[i];
}
"#;

fn rust_lld_words() -> Vec<String> {
    match Linker::rust_lld().expect("rust-lld is installed").command {
        LinkerCommand::WasmLd(w) => w,
        LinkerCommand::Template(_) => unreachable!("rust-lld is wasm-ld style"),
    }
}

fn lld_shell() -> String {
    rust_lld_words()
        .iter()
        .map(|w| shell_words::quote(w).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn mutant(kind: &str) -> Linker {
    Linker::parse(&format!(
        "{kind}={} {{args}} {{inputs}} -o {{output}}.orig && {} mutate {kind} {{output}}.orig {{output}}",
        lld_shell(),
        TOUCHSTONE
    ))
    .unwrap()
}

fn cell<'a>(cells: &'a [Cell], name: &str) -> &'a Cell {
    cells.iter().find(|c| c.linker == name).unwrap()
}

fn keys(c: &Cell) -> Vec<String> {
    c.comparison
        .as_ref()
        .map(|x| x.differences.iter().map(|d| d.key.clone()).collect())
        .unwrap_or_default()
}

#[test]
fn mutants_are_caught_at_the_right_level_with_the_right_key() {
    let dir = tempfile::tempdir().unwrap();
    let case_dir = dir.path().join("mutants");
    std::fs::create_dir_all(&case_dir).unwrap();
    std::fs::write(case_dir.join("main.c"), CASE).unwrap();
    let case = Case::parse(&case_dir.join("main.c"), "mutants").unwrap();

    let reference = Linker::rust_lld().unwrap();
    let mut linkers = vec![reference.clone()];
    for k in touchstone_oracle::mutate::KINDS {
        linkers.push(mutant(k));
    }
    linkers.push(
        Linker::parse(&format!(
            "stack-size={} -z stack-size=131072 {{args}} {{inputs}} -o {{output}}",
            lld_shell()
        ))
        .unwrap(),
    );
    linkers.push(
        Linker::parse(&format!(
            "writes-nothing={} {{args}} {{inputs}} -o {{output}}.elsewhere",
            lld_shell()
        ))
        .unwrap(),
    );
    let opts = Options {
        linkers,
        reference,
        cases: vec![case.clone()],
        work: dir.path().join("work"),
        jobs: 1,
        progress: false,
    };
    let report = run_case(&case, &opts);
    assert!(report.trouble.is_none(), "{:?}", report.trouble);
    assert!(
        report.reference_failures.is_empty(),
        "rust-lld misses the case: {:?}",
        report.reference_failures
    );
    let cells = &report.cells;
    let show = |c: &Cell| format!("{}: {:?}", c.linker, c.comparison);

    // rust-lld against itself: identical, every level.
    let same = cell(cells, "rust-lld");
    let cmp = same.comparison.as_ref().unwrap();
    assert!(
        cmp.complete && cmp.level == Level::Behaviour,
        "{}",
        show(same)
    );
    assert!(cmp.differences.is_empty(), "{}", show(same));
    assert!(cmp.bytes_identical, "{}", show(same));

    // Dropping an export: valid, not equivalent; the key names the export.
    let c = cell(cells, "drop-export");
    let cmp = c.comparison.as_ref().unwrap();
    assert_eq!(cmp.level, Level::Valid, "{}", show(c));
    let k = keys(c);
    assert!(
        k[0] == "export.msgchar" || k[0] == "export.apply",
        "{}",
        show(c)
    );

    // A changed data byte: valid, a data key, and the behaviour differs too (msgchar 0).
    let c = cell(cells, "data-byte");
    let cmp = c.comparison.as_ref().unwrap();
    assert_eq!(cmp.level, Level::Valid, "{}", show(c));
    assert_eq!(keys(c)[0], "data.rodata.bytes@0x0", "{}", show(c));
    assert!(
        keys(c)
            .iter()
            .any(|k| k == "behaviour[call msgchar].results"),
        "{}",
        show(c)
    );
    assert!(!cmp.passed.contains(&Level::Behaviour));

    // Swapped bodies of add and sub: a body key for each.
    let c = cell(cells, "swap-bodies");
    let cmp = c.comparison.as_ref().unwrap();
    assert_eq!(cmp.level, Level::Valid, "{}", show(c));
    assert_eq!(keys(c)[0], "func[add].body", "{}", show(c));
    assert!(
        keys(c).contains(&"func[sub].body".to_string()),
        "{}",
        show(c)
    );
    assert!(!cmp.passed.contains(&Level::Behaviour), "{}", show(c));

    // Swapped table entries: the first slot differs.
    let c = cell(cells, "swap-table");
    let cmp = c.comparison.as_ref().unwrap();
    assert_eq!(cmp.level, Level::Valid, "{}", show(c));
    assert!(
        keys(c)[0].starts_with("table.") && keys(c)[0].ends_with(".elem[1]"),
        "{}",
        show(c)
    );
    assert!(!cmp.passed.contains(&Level::Behaviour), "{}", show(c));

    // A different stack size: the stack pointer's initial value differs; behaviour does not.
    let c = cell(cells, "stack-size");
    let cmp = c.comparison.as_ref().unwrap();
    assert_eq!(cmp.level, Level::Valid, "{}", show(c));
    assert!(
        keys(c).contains(&"global.__stack_pointer.init".to_string()),
        "{}",
        show(c)
    );
    assert!(cmp.passed.contains(&Level::Behaviour), "{}", show(c));

    // Exit 0 without an output file: fails the status level.
    let c = cell(cells, "writes-nothing");
    let cmp = c.comparison.as_ref().unwrap();
    assert_eq!(cmp.level, Level::None, "{}", show(c));
    assert_eq!(keys(c), vec!["status.output"], "{}", show(c));
    assert!(!c.expectation_failures.is_empty());

    // Every divergence carries the commands that reproduce it.
    for c in cells.iter().filter(|c| !c.conforms()) {
        assert!(c
            .reproduce
            .iter()
            .any(|r| r.contains(&c.linker) || r.contains("mutate")));
    }
}

fn compile(dir: &Path, name: &str, source: &str) -> String {
    let src = dir.join(format!("{name}.c"));
    std::fs::write(&src, source).unwrap();
    let obj = format!("{name}.o");
    let status = Command::new("clang-19")
        .args(["--target=wasm32-wasi", "-O1", "-c"])
        .arg(&src)
        .arg("-o")
        .arg(dir.join(&obj))
        .status()
        .expect("clang-19 is installed");
    assert!(status.success());
    obj
}

/// Links into `out` (`NAME/out.wasm`: wasm-ld names the module after the file name, so
/// modules to compare share it).
fn lld(dir: &Path, args: &[&str], out: &str) -> Vec<u8> {
    if let Some(parent) = dir.join(out).parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    let words = rust_lld_words();
    let status = Command::new(&words[0])
        .args(&words[1..])
        .args(args)
        .args(["-o", out])
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read(dir.join(out)).unwrap()
}

fn touchstone_diff(dir: &Path, a: &str, b: &str) -> (i32, String) {
    let out = Command::new(TOUCHSTONE)
        .args(["diff", a, b])
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn diff_ignores_function_order_and_sees_call_targets() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let a = compile(
        d,
        "a",
        "int g(int);\n__attribute__((export_name(\"f\"))) int f(int x) { return g(x) + 1; }\n",
    );
    let b = compile(
        d,
        "b",
        "__attribute__((noinline)) int g(int x) { return x * 3; }\n\
         __attribute__((export_name(\"h\"))) int h(int x) { return x - 1; }\n",
    );
    let ab = lld(d, &["--no-entry", &a, &b], "ab/out.wasm");
    let ba = lld(d, &["--no-entry", &b, &a], "ba/out.wasm");
    assert_ne!(ab, ba, "input order must permute the functions");
    let (code, out) = touchstone_diff(d, "ab/out.wasm", "ba/out.wasm");
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("equivalent"), "{out}");

    // The same module with the call in f aimed at h instead of g.
    let calls_h = compile(
        d,
        "a2",
        "int h(int);\n__attribute__((export_name(\"f\"))) int f(int x) { return h(x) + 1; }\n",
    );
    lld(d, &["--no-entry", &calls_h, &b], "ah/out.wasm");
    let (code, out) = touchstone_diff(d, "ab/out.wasm", "ah/out.wasm");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("func[f].body: #") && out.contains("call g") && out.contains("call h"),
        "{out}"
    );

    // Trouble (a file that is not wasm) is exit status 2.
    std::fs::write(d.join("junk.wasm"), b"not wasm").unwrap();
    let (code, _) = touchstone_diff(d, "ab/out.wasm", "junk.wasm");
    assert_eq!(code, 2);
}
