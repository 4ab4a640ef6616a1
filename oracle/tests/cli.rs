//! The `touchstone` command line: `run` (a WASI command and `--invoke`, negative arguments,
//! WASI arguments after `--`), `asm` (the object it writes links with rust-lld and runs),
//! `conformance` (rust-lld against itself conforms with exit status 0; a linker that writes
//! nothing diverges with exit status 1 and reproduction commands; JSON output parses; every
//! report names the reference's version, the commit and the date; `--also-wasm-ld-19` takes its
//! place among the `--linker`s; `--programs-report` turns a real-programs report's link commands
//! into cases and `--output-md-table` / `--output-summary` / `--output-json` write the report to
//! files), `--ignore` (on `conformance` and `diff`: the keys leave the verdict and every report
//! counts them), JUnit XML (`--format junit`, `--output-junit`: well-formed, a failure for a
//! diverging case), `--help` on every command (exit status 0), and usage errors (exit status 2).
//!
//! Needs rust-lld from the Rust toolchain.

use std::path::Path;
use std::process::{Command, Output};
use touchstone_oracle::link::{Linker, LinkerCommand};

const TOUCHSTONE: &str = env!("CARGO_BIN_EXE_touchstone");

fn touchstone(args: &[&str], dir: &Path) -> Output {
    Command::new(TOUCHSTONE)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("touchstone runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn rust_lld_command() -> String {
    match Linker::rust_lld().expect("rust-lld is installed").command {
        LinkerCommand::WasmLd(w) => w
            .iter()
            .map(|x| shell_words::quote(x).into_owned())
            .collect::<Vec<_>>()
            .join(" "),
        LinkerCommand::Template(t) => t,
    }
}

#[test]
fn run_prints_the_observable_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let module = wat::parse_str(
        r#"(module
          (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "hi\n")
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const 3))
            (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (call $exit (i32.const 7)))
          (func (export "add") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1))))"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("m.wasm"), module).unwrap();
    let o = touchstone(&["run", "m.wasm"], dir.path());
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("stdout: \"hi\\n\""), "{out}");
    assert!(out.contains("exit: 7"), "{out}");
    assert!(out.contains("trap: none"), "{out}");
    let o = touchstone(&["run", "m.wasm", "--invoke", "add", "40", "2"], dir.path());
    assert!(o.status.success(), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("results: 42"));
    let o = touchstone(&["run", "m.wasm", "--invoke", "add", "1"], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    // Arguments may start with `-`; the WASI arguments follow `--`.
    let o = touchstone(
        &["run", "m.wasm", "--invoke", "add", "-40", "2", "--", "-x"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("results: -38"));
    let o = touchstone(&["run", "m.wasm", "--", "--invoke", "add"], dir.path());
    assert!(o.status.success(), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("exit: 7"));
}

#[test]
fn asm_writes_an_object_rust_lld_links() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.wat"),
        r#"(module (func $f (export "f") (result i32) i32.const 42))"#,
    )
    .unwrap();
    let o = touchstone(&["asm", "a.wat", "-o", "a.o"], dir.path());
    assert!(o.status.success(), "{}", text(&o));
    let link = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{} --no-entry --export=f a.o -o a.wasm",
            rust_lld_command()
        ))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(link.status.success(), "{}", text(&link));
    let o = touchstone(&["run", "a.wasm", "--invoke", "f"], dir.path());
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("results: 42"),
        "{}",
        text(&o)
    );
}

/// A `cases` folder under `dir` holding `topic/answer.wat`, a case every linker passes.
fn answer_case(dir: &std::path::Path) -> std::path::PathBuf {
    let cases = dir.join("cases");
    std::fs::create_dir_all(cases.join("topic")).unwrap();
    std::fs::write(
        cases.join("topic/answer.wat"),
        ";;! args: --no-entry\n;;! run: call f -> 42\n\
         (module (func $f (export \"f\") (result i32) i32.const 42))\n",
    )
    .unwrap();
    cases
}

#[test]
fn conformance_reports_levels_and_reproduction_commands() {
    let dir = tempfile::tempdir().unwrap();
    let cases = answer_case(dir.path());
    std::fs::write(
        cases.join("topic/undefined.wat"),
        ";;! args: --no-entry --export=f\n;;! expect-error: undefined symbol: g\n\
         (module (import \"env\" \"g\" (func $g)) (func $f (export \"f\") call $g))\n",
    )
    .unwrap();
    let lld = format!("lld={}", rust_lld_command());
    let o = touchstone(
        &[
            "conformance",
            "--linker",
            &lld,
            "--cases",
            "cases",
            "--work",
            "w",
        ],
        dir.path(),
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("topic/answer.wat") && out.contains("identical"),
        "{out}"
    );
    // The reference's own version line, as `rust-lld -flavor wasm --version` prints it.
    assert!(out.contains("reference rust-lld: LLD "), "{out}");
    assert!(out.contains("; commit ") && out.contains(" UTC"), "{out}");
    assert!(out.contains("refused alike"), "{out}");
    assert!(out.contains("lld: 2/2 conform"), "{out}");

    let nothing = format!(
        "nothing={} {{args}} {{inputs}} -o {{output}}.x",
        rust_lld_command()
    );
    let o = touchstone(
        &[
            "conformance",
            "--linker",
            &nothing,
            "--cases",
            "cases",
            "--work",
            "w2",
            "--format",
            "markdown",
        ],
        dir.path(),
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("| topic/answer.wat | none: status.output |"),
        "{out}"
    );
    assert!(
        out.contains("reproduce:") && out.contains("-o reference/out.wasm"),
        "{out}"
    );

    let o = touchstone(
        &[
            "conformance",
            "--linker",
            &lld,
            "--cases",
            "cases",
            "--work",
            "w3",
            "--format",
            "json",
        ],
        dir.path(),
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON report");
    assert_eq!(json["cases"].as_array().map(|a| a.len()), Some(2));
    assert_eq!(
        json["cases"][0]["cells"][0]["comparison"]["level"],
        "behaviour"
    );
    let version = json["provenance"]["reference_version"].as_str().unwrap();
    assert!(version.starts_with("LLD "), "{version}");
    assert!(json["provenance"]["commit"].is_string());
    assert!(json["provenance"]["date"]
        .as_str()
        .is_some_and(|d| d.ends_with(" UTC")));

    // --also-wasm-ld-19 stands where it is given among the linkers.
    let o = touchstone(
        &[
            "conformance",
            "--linker",
            &lld,
            "--also-wasm-ld-19",
            "--linker",
            &format!("second={}", rust_lld_command()),
            "--cases",
            "cases",
            "--work",
            "w4",
            "--format",
            "json",
        ],
        dir.path(),
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON report");
    assert_eq!(
        json["linkers"],
        serde_json::json!(["lld", "wasm-ld-19", "second"]),
        "{}",
        text(&o)
    );
}

/// `--ignore` drops difference keys from the verdict and every report says so; `--format junit`
/// and `--output-junit` write well-formed JUnit XML with a failure for a diverging case.
#[test]
fn conformance_ignores_keys_and_writes_junit() {
    let dir = tempfile::tempdir().unwrap();
    answer_case(dir.path());
    // Exports one more global than the reference: `export.__heap_base`, and the global.
    let heap = format!(
        "heap={} {{args}} {{inputs}} -o {{output}} --export=__heap_base",
        rust_lld_command()
    );
    let nothing = format!(
        "nothing={} {{args}} {{inputs}} -o {{output}}.x",
        rust_lld_command()
    );
    let run = |extra: &[&str], work: &str| {
        let mut args = vec!["conformance", "--linker", &heap, "--cases", "cases"];
        args.extend_from_slice(&["--work", work]);
        args.extend_from_slice(extra);
        touchstone(&args, dir.path())
    };
    let o = run(&[], "w1");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("export.__heap_base"), "{}", text(&o));
    let o = run(
        &[
            "--ignore",
            "*__heap_base",
            "--output-summary",
            "summary.md",
            "--output-json",
            "report.json",
            "--output-junit",
            "report.xml",
        ],
        "w2",
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("equivalent+behaviour (2 ignored)"), "{out}");
    assert!(
        out.contains("2 differences ignored by --ignore *__heap_base: export.__heap_base (1)"),
        "{out}"
    );
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(
        summary.contains("| heap | 1 / 1 |") && summary.contains("2 differences ignored by"),
        "{summary}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(json["ignored"], 2);
    assert_eq!(json["ignore"], serde_json::json!(["*__heap_base"]));
    let ignored = &json["cases"][0]["cells"][0]["comparison"]["ignored"];
    assert_eq!(ignored[0]["key"], "export.__heap_base", "{json}");
    let xml = std::fs::read_to_string(dir.path().join("report.xml")).unwrap();
    touchstone_oracle::junit::well_formed(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert!(
        xml.contains("<testcase classname=\"topic\" name=\"answer.wat\">")
            && xml.contains("ignored by --ignore: export.__heap_base")
            && !xml.contains("<failure"),
        "{xml}"
    );

    // A linker that writes nothing: a failure, with the first difference, on stdout.
    let o = touchstone(
        &[
            "conformance",
            "--linker",
            &nothing,
            "--linker",
            &heap,
            "--cases",
            "cases",
            "--work",
            "w3",
            "--format",
            "junit",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let xml = String::from_utf8(o.stdout).unwrap();
    touchstone_oracle::junit::well_formed(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert_eq!(xml.matches("<testsuite ").count(), 2, "{xml}");
    assert!(
        xml.contains("<testsuite name=\"nothing\" tests=\"1\" failures=\"1\"")
            && xml.contains("<failure message=\"none: status.output\"")
            && xml.contains("<failure message=\"valid: export.__heap_base; behaviour same\"")
            && xml.contains("&amp;&amp;"),
        "{xml}"
    );
}

/// `touchstone diff --ignore`: the differences it matches are listed as ignored.
#[test]
fn diff_ignores_keys_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let module = |export: &str| {
        wat::parse_str(format!(
            r#"(module (func $f (result i32) i32.const 1) (export "{export}" (func $f)))"#
        ))
        .unwrap()
    };
    std::fs::write(dir.path().join("a.wasm"), module("f")).unwrap();
    std::fs::write(dir.path().join("b.wasm"), module("g")).unwrap();
    let o = touchstone(&["diff", "a.wasm", "b.wasm"], dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let o = touchstone(
        &["diff", "a.wasm", "b.wasm", "--ignore", "export.*"],
        dir.path(),
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.starts_with("equivalent\n2 differences ignored by --ignore:\n  export.f: "),
        "{out}"
    );
    let o = touchstone(
        &["diff", "a.wasm", "b.wasm", "--ignore", "export.f"],
        dir.path(),
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("1 differences (A = a.wasm, B = b.wasm):\n  export.g")
            && out.contains("1 differences ignored by --ignore:\n  export.f"),
        "{out}"
    );
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for (command, mentions) in [
        ("asm", "-o <OUT.o>"),
        ("diff", "<A.wasm> <B.wasm>"),
        ("run", "--invoke <NAME> [ARGS]..."),
        ("conformance", "--also-wasm-ld-19"),
        ("fuzz", "--output-junit <FILE>"),
        ("mutate", "swap-bodies"),
    ] {
        let o = touchstone(&[command, "--help"], dir.path());
        let out = text(&o);
        assert_eq!(o.status.code(), Some(0), "{command} --help: {out}");
        assert!(
            out.contains(&format!("Usage: touchstone {command}")) && out.contains(mentions),
            "{command} --help: {out}"
        );
    }
    let o = touchstone(&["--help"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("conformance"), "{}", text(&o));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["frobnicate"][..],
        &["diff", "only-one.wasm"],
        &["conformance"],
        &["asm", "missing.wat", "-o", "x.o"],
    ] {
        let o = touchstone(args, dir.path());
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
    }
}

#[test]
fn conformance_programs_come_from_the_real_programs_report() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    std::fs::create_dir_all(real.join("inputs")).unwrap();
    std::fs::write(
        dir.path().join("start.wat"),
        "(module (func $_start (export \"_start\")))\n",
    )
    .unwrap();
    let o = touchstone(
        &["asm", "start.wat", "-o", "real/inputs/start.o"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", text(&o));
    // The shape tests/real_programs.rs writes: the folder, then one command per linker.
    let report = format!(
        "# Real programs\n\n## Link commands\n\nRun in `{}` (objects are hard links).\n\n\
         ### start O2\n\n    /usr/bin/wasm-ld-19 -m wasm32 inputs/start.o -o out/wasm-ld-19/start.wasm\n\
         \x20   {} -m wasm32 inputs/start.o -z stack-size=1048576 -o out/rust-lld/start.wasm\n",
        real.display(),
        rust_lld_command()
    );
    std::fs::write(dir.path().join("report.md"), report).unwrap();
    let lld = format!("lld={}", rust_lld_command());
    let o = touchstone(
        &[
            "conformance",
            "--linker",
            &lld,
            "--programs-report",
            "report.md",
            "--programs-only",
            "--work",
            "w",
            "--output-md-table",
            "table.md",
            "--output-summary",
            "summary.md",
            "--output-json",
            "table.json",
        ],
        dir.path(),
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("programs/start-O2") && out.contains("lld: 1/1 conform"),
        "{out}"
    );
    let table = std::fs::read_to_string(dir.path().join("table.md")).unwrap();
    assert!(
        table.contains("| programs/start-O2 | identical |"),
        "{table}"
    );
    assert!(!table.contains("divergences"), "{table}");
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(
        summary.starts_with("1 cases; reference rust-lld: LLD ")
            && summary.contains("| lld | 1 / 1 | 1 | 0 | 0 | 0 |"),
        "{summary}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("table.json")).unwrap()).unwrap();
    // The reference's line (with -z stack-size) gave the arguments; the cached object was
    // copied into the case's work directory and linked from there.
    let command = json["cases"][0]["cells"][0]["reproduce"][0]
        .as_str()
        .unwrap();
    assert!(command.contains("stack-size=1048576"), "{command}");
    assert!(command.contains(" inputs_start.o "), "{command}");
    let copy = dir.path().join("w/programs_start-O2/inputs_start.o");
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(real.join("inputs/start.o")).unwrap()
    );

    let o = touchstone(
        &[
            "conformance",
            "--linker",
            &lld,
            "--programs-only",
            "--programs-report",
            "none.md",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--test real_programs"), "{}", text(&o));
}
