//! Real programs, dynamically linked: SQLite and Lua (the programs of tests/real_programs.rs)
//! built as a side module holding the library and a main module holding the host program,
//! at -O2 and at -O0 -g, by touchstone-ld and by rust-lld 22. Both linkers' side modules and
//! main modules must be byte-identical, and the program, run by the oracle's dynamic loader
//! (`touchstone_oracle::dylink`), must print the committed expected stdout
//! (tests/programs/expected/NAME.stdout, the static build's) and exit as the static build does.
//! The small C case of tests/dynamic_linking.rs checks the mechanism; this checks it at the
//! scale of real code: some 70 to 90 imports per side module, GOT entries for libc data
//! (`errno`, `stdout`), `GOT.func` entries for libc functions whose address the library takes
//! (SQLite's system-call and math-function tables), a callback from the main module called by
//! the library (SQLite's row printer), big data segments and (at -O0 -g) DWARF in PIC code.
//!
//! How each program is built:
//! - the side module `libNAME.so`: the library's sources (SQLite's sqlite3.c; every Lua core
//!   source, i.e. all but our host lua_host.c) compiled with `-fPIC -fvisibility=default`
//!   (plus the program's and the config's flags) and linked with `-shared --experimental-pic
//!   --unresolved-symbols=import-dynamic`, so it imports the libc it uses: functions from
//!   `env`, data through `GOT.mem`;
//! - the main module `NAME.wasm`: the host program compiled with `-fPIC` and linked like the
//!   static build (Debian's wasi-libc is not PIC, so libc is linked in statically), plus
//!   `-Bdynamic libNAME.so --export-table --growable-table --export=__stack_pointer` and one
//!   `--export=SYM` for every symbol the side module imports but does not define, read from
//!   that linker's side module: the main module pulls those libc members in and exports them.
//!
//! Needs clang-19, wasi-libc and rust-lld (`bash ci/setup`), and crates.io access on the first
//! run (the sources come from crates, see tests/programs/fetch/). Objects share the cache of
//! tests/real_programs.rs (target/tmp/real-programs/obj, keyed by source and flags, so the PIC
//! objects are cached apart); objects are staged and modules written under
//! target/tmp/dynamic-programs, where every command in a failure message can be replayed.
//! The report, target/dynamic-programs-report.md (written even when a case fails), has a line
//! per (program, build) and every link command, in tests/real_programs.rs's format:
//! ci/benchgen/bench.py reads the side module links from it as benchmark workloads.

// The shared module of the real-program tests; tests/real_programs.rs uses what this does not.
#[allow(dead_code)]
mod programs;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use programs::compile::{compile_all, CompileJob};
use programs::tools::{shell_line, Linker, Tools};
use programs::{
    configs, describe_run, link_args, repo_root, run_module, stage_inputs, stdout_difference,
    target_dir, work_dir, Config, Program, REFERENCE,
};
use touchstone_oracle::dylink::Library;
use touchstone_oracle::run::{RunOutcome, WasiOptions};
use wasmparser::{Parser, Payload, TypeRef};

/// The real programs built dynamically: the program's name, its host program (a source of its
/// static build that goes into the main module; every other source goes into the side module)
/// and the side module's file name.
const DYNAMIC: [(&str, &str, &str); 2] = [
    ("sqlite", "tests/programs/sqlite_driver.c", "libsqlite.so"),
    ("lua", "tests/programs/lua_host.c", "liblua.so"),
];

/// What a side module imports that the dynamic loader gives it (the shared memory, table and
/// stack pointer, and the module's own memory and table bases): not exported by the main
/// module for it.
const PROVIDED_BY_LOADER: [&str; 5] = [
    "memory",
    "__indirect_function_table",
    "__stack_pointer",
    "__memory_base",
    "__table_base",
];

/// The compiler flags of a side module's sources, after the config's and the program's.
const SIDE_FLAGS: [&str; 2] = ["-fPIC", "-fvisibility=default"];
/// The compiler flags of the host program, after the config's and the program's.
const MAIN_FLAGS: [&str; 1] = ["-fPIC"];

fn tools() -> Tools {
    Tools::find(&work_dir().join("bin")).unwrap_or_else(|e| panic!("{e}"))
}

/// Where this test stages objects and writes modules: target/tmp/dynamic-programs.
fn dynamic_work_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dynamic-programs")
}

/// One real program split for dynamic linking.
struct DynamicProgram {
    /// The static build's recipe (flags, libraries, stdin, expectations).
    program: Program,
    /// The sources of the side module.
    side_sources: Vec<PathBuf>,
    /// The host program, the main module's only object.
    host: PathBuf,
    /// The side module's file name: the main module's `dylink.0` needs it by this name.
    library: &'static str,
}

impl DynamicProgram {
    /// The compile jobs of one config: the side module's sources, then the host program.
    fn jobs(&self, config: &Config) -> Vec<CompileJob> {
        let flags = |extra: &[&str]| {
            let mut flags = config.cflags.clone();
            flags.extend(self.program.cflags.iter().cloned());
            flags.extend(extra.iter().map(|f| f.to_string()));
            flags
        };
        let mut jobs: Vec<CompileJob> = self
            .side_sources
            .iter()
            .map(|source| CompileJob {
                source: source.clone(),
                flags: flags(&SIDE_FLAGS),
            })
            .collect();
        jobs.push(CompileJob {
            source: self.host.clone(),
            flags: flags(&MAIN_FLAGS),
        });
        jobs
    }
}

/// SQLite and Lua from the real programs' table, split into side module and host.
fn dynamic_programs(all: &[Program]) -> Vec<DynamicProgram> {
    DYNAMIC
        .iter()
        .map(|&(name, host, library)| {
            let program = all
                .iter()
                .find(|p| p.name == name)
                .unwrap_or_else(|| panic!("the real programs have no `{name}`"))
                .clone();
            let host = repo_root().join(host);
            assert!(
                program.sources.contains(&host),
                "{name}: {} is not among its sources {:?}",
                host.display(),
                program.sources
            );
            let side_sources = program
                .sources
                .iter()
                .filter(|s| **s != host)
                .cloned()
                .collect();
            DynamicProgram {
                program,
                side_sources,
                host,
                library,
            }
        })
        .collect()
}

/// Compiles every (program, config) at once, as tests/real_programs.rs does (in parallel,
/// longest source first, cached); returns per program, per config, the side module's objects
/// and the host program's object.
fn compile(
    tools: &Tools,
    builds: &[DynamicProgram],
    configs: &[Config],
) -> Vec<Vec<(Vec<PathBuf>, PathBuf)>> {
    // Our setjmp.h stand-in decides Lua's objects without being a source: part of every key,
    // as in `compile_matrix`.
    let include = repo_root().join("tests/programs/include/setjmp.h");
    let extra_key = std::fs::read(&include)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", include.display()));
    let jobs: Vec<CompileJob> = builds
        .iter()
        .flat_map(|b| configs.iter().flat_map(|c| b.jobs(c)))
        .collect();
    let mut objects = compile_all(tools, &work_dir().join("obj"), &extra_key, &jobs)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter();
    builds
        .iter()
        .map(|b| {
            configs
                .iter()
                .map(|_| {
                    let side = objects.by_ref().take(b.side_sources.len()).collect();
                    let host = objects.next().expect("one object per job");
                    (side, host)
                })
                .collect()
        })
        .collect()
}

/// The names the main module must export for a side module: every function it imports from
/// `env` and every `GOT.mem` and `GOT.func` entry, unless the side module defines (exports)
/// the symbol itself or the loader provides it ([`PROVIDED_BY_LOADER`]). Sorted. Any other
/// import is an error: exporting a symbol from the main module cannot satisfy it.
fn exports_needed_by(side: &[u8]) -> Result<Vec<String>, String> {
    let mut imported = BTreeSet::new();
    let mut defined = BTreeSet::new();
    let mut unsatisfiable = Vec::new();
    for payload in Parser::new(0).parse_all(side) {
        match payload.map_err(|e| format!("cannot parse the side module: {e}"))? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(|e| format!("bad import section: {e}"))?;
                    let is_func = matches!(import.ty, TypeRef::Func(_) | TypeRef::FuncExact(_));
                    match import.module {
                        _ if PROVIDED_BY_LOADER.contains(&import.name)
                            && import.module == "env" => {}
                        "env" if is_func => {
                            imported.insert(import.name.to_string());
                        }
                        "GOT.mem" | "GOT.func" => {
                            imported.insert(import.name.to_string());
                        }
                        module => unsatisfiable
                            .push(format!("{module}.{} ({:?})", import.name, import.ty)),
                    }
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(|e| format!("bad export section: {e}"))?;
                    defined.insert(export.name.to_string());
                }
            }
            _ => {}
        }
    }
    if !unsatisfiable.is_empty() {
        return Err(format!(
            "the side module imports what no --export of the main module provides: {}",
            unsatisfiable.join(", ")
        ));
    }
    Ok(imported.difference(&defined).cloned().collect())
}

/// One linker's build of one (program, config): the side module, then the main module linked
/// against it.
struct DynamicLink {
    linker: &'static str,
    /// The link commands, each to run in the work directory: the side module's, then (when the
    /// side module linked) the main module's.
    commands: Vec<String>,
    /// The side module's path relative to the work directory.
    side: PathBuf,
    /// The main module's path relative to the work directory.
    main: PathBuf,
    /// The side module's bytes, or what went wrong.
    side_bytes: Result<Vec<u8>, String>,
    /// The main module's bytes, or what went wrong (also when the side module did not link).
    main_bytes: Result<Vec<u8>, String>,
}

impl DynamicLink {
    /// Both modules' bytes (side, main), or the first thing that went wrong.
    fn outputs(&self) -> Result<(&[u8], &[u8]), &str> {
        let side = self.side_bytes.as_deref().map_err(String::as_str)?;
        let main = self.main_bytes.as_deref().map_err(String::as_str)?;
        Ok((side, main))
    }
}

/// Runs `linker` with `args` in `work`, expecting it to write `output`; returns its bytes.
fn link(linker: &Linker, args: &[String], work: &Path, output: &Path) -> Result<Vec<u8>, String> {
    let bytes = programs::link(linker, args, work, output)
        .map_err(|e| format!("{}: {e}", output.display()))?;
    programs::wasm_diff::validate(&bytes).map_err(|e| format!("{}: {e}", output.display()))?;
    Ok(bytes)
}

/// Links `build`'s side module from `side_objects`, then its main module from `host` and the
/// side module, with `linker`, into out/LINKER/PROGRAM-CONFIG/ (the same file names for every
/// linker: the name section's module name and the main module's needed library are them).
fn link_both(
    tools: &Tools,
    linker: &Linker,
    work: &Path,
    build: &DynamicProgram,
    config: &Config,
    side_objects: &[PathBuf],
    host: &Path,
) -> DynamicLink {
    let program = &build.program;
    let dir = Path::new("out")
        .join(linker.name)
        .join(format!("{}-{}", program.name, config.name));
    std::fs::create_dir_all(work.join(&dir))
        .unwrap_or_else(|e| panic!("{}: {e}", work.join(&dir).display()));
    let side = dir.join(build.library);
    let main = dir.join(format!("{}.wasm", program.name));

    let mut side_args: Vec<String> = [
        "-shared",
        "--experimental-pic",
        "--unresolved-symbols=import-dynamic",
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    side_args.extend(side_objects.iter().map(|o| o.display().to_string()));
    side_args.extend(["-o".to_string(), side.display().to_string()]);
    let mut commands = vec![shell_line(&linker.argv(&side_args))];
    let side_bytes = link(linker, &side_args, work, &side);
    let main_bytes = match &side_bytes {
        Ok(side_bytes) => main_args(tools, config, program, host, &side, side_bytes, &main)
            .and_then(|args| {
                commands.push(shell_line(&linker.argv(&args)));
                link(linker, &args, work, &main)
            }),
        Err(_) => Err("not linked: the side module did not link".to_string()),
    };
    DynamicLink {
        linker: linker.name,
        commands,
        side,
        main,
        side_bytes,
        main_bytes,
    }
}

/// The main module's link arguments: the static build's command line, writing `main`, with
/// the side module and the exports it needs (read from `side_bytes`) before `-o` (after -lc:
/// -Bdynamic would make later -l options prefer .so files).
fn main_args(
    tools: &Tools,
    config: &Config,
    program: &Program,
    host: &Path,
    side: &Path,
    side_bytes: &[u8],
    main: &Path,
) -> Result<Vec<String>, String> {
    let exports = exports_needed_by(side_bytes).map_err(|e| format!("{}: {e}", side.display()))?;
    let mut args = link_args(tools, &[host.to_path_buf()], config, program, main);
    let output = args.split_off(args.len() - 2);
    assert_eq!(output[0], "-o", "link_args ends with -o OUTPUT");
    args.extend([
        "-Bdynamic".to_string(),
        side.display().to_string(),
        "--export-table".to_string(),
        "--growable-table".to_string(),
        "--export=__stack_pointer".to_string(),
    ]);
    args.extend(exports.iter().map(|name| format!("--export={name}")));
    args.extend(output);
    Ok(args)
}

/// Runs a main module with its side module in the oracle's loader, with the static build's
/// arguments and stdin.
fn run_dynamic(
    program: &Program,
    library: &str,
    side: &[u8],
    main: &[u8],
) -> Result<RunOutcome, String> {
    let options = WasiOptions {
        args: vec![program.name.to_string()],
        stdin: program.stdin.clone(),
        libs: vec![Library {
            name: library.to_string(),
            bytes: side.to_vec(),
        }],
        ..WasiOptions::default()
    };
    run_module(main.to_vec(), options)
}

/// Whether a run printed the committed expected stdout and exited as expected; if not, what
/// went wrong.
fn check_run(program: &Program, outcome: &RunOutcome) -> Result<(), String> {
    let expected = std::fs::read(&program.expected_stdout)
        .map_err(|e| format!("cannot read {}: {e}", program.expected_stdout.display()))?;
    if outcome.trap.is_some() || outcome.exit_code != program.expected_exit {
        let stdout = String::from_utf8_lossy(&outcome.stdout);
        let tail: Vec<&str> = stdout.lines().rev().take(8).collect();
        let printed = if tail.is_empty() {
            "nothing on stdout".to_string()
        } else {
            let lines = tail.into_iter().rev().collect::<Vec<_>>();
            format!("stdout ends with:\n      {}", lines.join("\n      "))
        };
        return Err(format!(
            "{} (expected exit {}); {printed}",
            describe_run(outcome),
            program.expected_exit,
        ));
    }
    if outcome.stdout != expected {
        return Err(format!(
            "stdout is not {}: {}",
            program.expected_stdout.display(),
            stdout_difference(&outcome.stdout, &expected)
        ));
    }
    Ok(())
}

/// How two modules that should be identical differ: the first differing section and the
/// oracle's structural differences (`touchstone diff A B`), the first few of them.
fn describe_difference(work: &Path, ours: (&Path, &[u8]), theirs: (&Path, &[u8])) -> String {
    const SHOWN: usize = 20;
    let place = programs::wasm_diff::first_difference(ours.1, theirs.1)
        .unwrap_or_else(|| "identical".into());
    let mut text = format!(
        "{} differs from {REFERENCE}'s ({} vs {} bytes): {place}",
        ours.0.display(),
        ours.1.len(),
        theirs.1.len()
    );
    if let Some(order) = export_order_difference(ours.1, theirs.1) {
        text.push_str(&format!("\n    {order}"));
    }
    match touchstone_oracle::model::diff(ours.1, theirs.1) {
        Ok(diffs) if diffs.is_empty() => {
            text.push_str("\n    touchstone diff: equivalent (the bytes differ only in layout)")
        }
        Ok(diffs) => {
            text.push_str(&format!(
                "\n    touchstone diff: {} differences (A = touchstone-ld, B = {REFERENCE}):",
                diffs.len()
            ));
            for d in diffs.iter().take(SHOWN) {
                text.push_str(&format!("\n      {d}"));
            }
            if diffs.len() > SHOWN {
                text.push_str("\n      ...");
            }
        }
        Err(e) => text.push_str(&format!("\n    touchstone diff failed: {e:#}")),
    }
    text.push_str(&format!(
        "\n    reproduce: cd {} && cargo run --manifest-path {} -p touchstone-oracle --bin touchstone -- diff {} {}",
        work.display(),
        repo_root().join("Cargo.toml").display(),
        ours.0.display(),
        theirs.0.display()
    ));
    text
}

/// The export names of a module, in order (empty when it cannot be parsed: the other
/// descriptions say why).
fn export_names(wasm: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        if let Ok(Payload::ExportSection(reader)) = payload {
            names.extend(reader.into_iter().flatten().map(|e| e.name.to_string()));
        }
    }
    names
}

/// Where two modules' export sections first list different names, if they do (the oracle's
/// model compares exports as a set, so an order difference is otherwise only a byte offset).
fn export_order_difference(ours: &[u8], theirs: &[u8]) -> Option<String> {
    let (a, b) = (export_names(ours), export_names(theirs));
    let at = a.iter().zip(&b).position(|(x, y)| x != y)?;
    let window =
        |names: &[String]| names[at.saturating_sub(2)..(at + 3).min(names.len())].join(", ");
    Some(format!(
        "export #{at} is `{}` here and `{}` in {REFERENCE}'s (around it: [{}] vs [{}])",
        a[at],
        b[at],
        window(&a),
        window(&b)
    ))
}

/// The link commands of `links`, as lines to replay in `work`.
fn replay(work: &Path, links: &[&DynamicLink]) -> String {
    let mut text = format!("  in {}:", work.display());
    for link in links {
        for command in &link.commands {
            text.push_str(&format!("\n    {command}"));
        }
    }
    text
}

/// What is wrong with one (program, config): a failed link, modules that differ from
/// rust-lld's, or a run of touchstone-ld's build (and, when its bytes differ, of rust-lld's
/// too, to tell a linker difference from a loader problem) that does not print the expected
/// stdout or exit as expected.
fn check_case(
    work: &Path,
    build: &DynamicProgram,
    mine: &DynamicLink,
    theirs: &DynamicLink,
) -> Vec<String> {
    let program = &build.program;
    let (ours_out, theirs_out) = match (mine.outputs(), theirs.outputs()) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            return [(mine, a), (theirs, b)]
                .into_iter()
                .filter_map(|(link, result)| result.err().map(|e| format!("{}: {e}", link.linker)))
                .collect();
        }
    };
    let mut problems = Vec::new();
    for (ours, reference, a, b) in [
        (&mine.side, &theirs.side, ours_out.0, theirs_out.0),
        (&mine.main, &theirs.main, ours_out.1, theirs_out.1),
    ] {
        if a != b {
            problems.push(describe_difference(work, (ours, a), (reference, b)));
        }
    }
    let identical = problems.is_empty();
    let mut runs = vec![(mine, ours_out)];
    if !identical {
        runs.push((theirs, theirs_out));
    }
    for (link, (side, main)) in runs {
        let result = run_dynamic(program, build.library, side, main)
            .and_then(|outcome| check_run(program, &outcome));
        if let Err(e) = result {
            let note = if identical {
                format!(
                    " (the modules are byte-identical to {REFERENCE}'s: not a linker difference)"
                )
            } else {
                String::new()
            };
            problems.push(format!(
                "{}'s build, run by the loader{note}: {e}\n    reproduce: cd {} && cargo run --manifest-path {} -p touchstone-oracle --bin touchstone -- run {} < {}",
                link.linker,
                work.display(),
                repo_root().join("Cargo.toml").display(),
                link.main.display(),
                program_stdin_file(program.name).display()
            ));
        }
    }
    problems
}

/// SQLite and Lua at -O2 and -O0 -g, each a side module and a main module: touchstone-ld's
/// modules are byte-identical to rust-lld's, and the program runs in the oracle's loader as
/// the static build does.
#[test]
fn dynamically_linked_programs_match_rust_lld_and_run() {
    let started = Instant::now();
    let tools = tools();
    let (ours, reference) = (tools.linker("touchstone"), tools.linker(REFERENCE));
    let sources = programs::sources::fetch(&repo_root()).unwrap_or_else(|e| panic!("{e}"));
    let all = programs::programs(&sources).unwrap_or_else(|e| panic!("{e}"));
    let builds = dynamic_programs(&all);
    let configs = configs();
    let objects = compile(&tools, &builds, &configs);
    let compiled = started.elapsed();

    let work = dynamic_work_dir();
    let mut failures = Vec::new();
    let mut rows = Vec::new();
    for (build, per_config) in builds.iter().zip(&objects) {
        let program = &build.program;
        for (config, (side_objects, host)) in configs.iter().zip(per_config) {
            let case = format!("{} {}", program.name, config.name);
            // Readable names for the commands: inputs/PROGRAM-CONFIG/STEM.o.
            let mut staged_program = program.clone();
            staged_program.sources = build.side_sources.clone();
            staged_program.sources.push(build.host.clone());
            let mut objects = side_objects.clone();
            objects.push(host.clone());
            let mut staged = stage_inputs(
                &work,
                &format!("{}-{}", program.name, config.name),
                &staged_program,
                &objects,
            )
            .unwrap_or_else(|e| panic!("{e}"));
            let staged_host = staged.pop().expect("the host is staged last");

            let link = |linker: &Linker| {
                link_both(&tools, linker, &work, build, config, &staged, &staged_host)
            };
            let (theirs, mine) = (link(&reference), link(&ours));
            let problems = check_case(&work, build, &mine, &theirs);
            if !problems.is_empty() {
                failures.push(format!(
                    "{case}:\n  {}\n{}",
                    problems.join("\n  "),
                    replay(&work, &[&mine, &theirs])
                ));
            }
            rows.push(ReportRow {
                program: program.name,
                config: config.name,
                problems: problems.len(),
                mine,
                theirs,
            });
        }
    }
    println!(
        "dynamic programs: compiled in {:.1?}, linked and ran in {:.1?}",
        compiled,
        started.elapsed() - compiled
    );
    // Written whatever failed: ci/benchgen/bench.py reads its link commands.
    let report_path = target_dir().join("dynamic-programs-report.md");
    if let Err(e) = std::fs::write(&report_path, render_report(&work, &rows, &reference)) {
        failures.push(format!("cannot write {}: {e}", report_path.display()));
    }
    assert!(
        failures.is_empty(),
        "{} problem(s) with dynamically linked programs (report: {}):\n{}",
        failures.len(),
        report_path.display(),
        failures.join("\n")
    );
}

/// One (program, config) of the report: both linkers' builds and how many problems it has.
struct ReportRow {
    program: &'static str,
    config: &'static str,
    problems: usize,
    mine: DynamicLink,
    theirs: DynamicLink,
}

/// The Markdown report, target/dynamic-programs-report.md: a line per (program, config), then
/// the link commands in tests/real_programs.rs's format (ci/benchgen/bench.py's `parse_report`
/// reads them: a side module link is a benchmark workload), under `### PROGRAM shared-CONFIG`
/// for the side module and `### PROGRAM main-CONFIG` for the main module.
fn render_report(work: &Path, rows: &[ReportRow], reference: &Linker) -> String {
    let mut text = format!(
        "# Real programs, dynamically linked: touchstone-ld compared with {REFERENCE}\n\n{}\n\n\
         | program | build | {REFERENCE} side module size | side module vs {REFERENCE} | \
         main module vs {REFERENCE} | checks |\n|---|---|---|---|---|---|\n",
        provenance(reference)
    );
    let mut identical = 0;
    for row in rows {
        let side = bytes_against_reference(&row.mine.side_bytes, &row.theirs.side_bytes);
        let main = bytes_against_reference(&row.mine.main_bytes, &row.theirs.main_bytes);
        identical += usize::from(side == "identical") + usize::from(main == "identical");
        let size = row.theirs.side_bytes.as_ref().map_or_else(
            |_| "link failed".to_string(),
            |bytes| bytes.len().to_string(),
        );
        let checks = match row.problems {
            0 => "pass".to_string(),
            n => format!("{n} problem(s), see the test's output"),
        };
        let _ = writeln!(
            text,
            "| {} | {} | {size} | {side} | {main} | {checks} |",
            row.program, row.config
        );
    }
    let _ = write!(
        text,
        "\n- touchstone-ld: {identical} of {} modules byte-identical to {REFERENCE}'s\n\n\
         ## Link commands\n\nRun in `{}` (objects are hard links into the object cache of \
         tests/real_programs.rs; each linker writes to `out/<linker>/PROGRAM-BUILD/`). \
         `shared-BUILD` links the side module, `main-BUILD` the main module against that \
         linker's side module.\n\n",
        rows.len() * 2,
        work.display()
    );
    for row in rows {
        render_commands(&mut text, row);
    }
    text
}

/// One row's link commands: the side module's, then the main module's, each linker's line
/// followed by its error when it failed.
fn render_commands(text: &mut String, row: &ReportRow) {
    for (step, kind) in ["shared", "main"].into_iter().enumerate() {
        let _ = writeln!(text, "### {} {kind}-{}\n", row.program, row.config);
        for link in [&row.mine, &row.theirs] {
            let result = if step == 0 {
                &link.side_bytes
            } else {
                &link.main_bytes
            };
            let error = result
                .as_ref()
                .err()
                .map(|e| format!("# {}: {}", link.linker, e.replace('\n', "\n    # ")));
            let _ = match (link.commands.get(step), error) {
                (Some(command), None) => writeln!(text, "    {command}"),
                (Some(command), Some(error)) => writeln!(text, "    {command}\n    {error}"),
                (None, error) => writeln!(text, "    {}", error.unwrap_or_default()),
            };
        }
        text.push('\n');
    }
}

/// How touchstone-ld's module compares with rust-lld's: `identical`, where the bytes first
/// differ, or which link failed.
fn bytes_against_reference(
    ours: &Result<Vec<u8>, String>,
    theirs: &Result<Vec<u8>, String>,
) -> String {
    match (ours, theirs) {
        (Ok(a), Ok(b)) => programs::wasm_diff::first_difference(a, b)
            .unwrap_or_else(|| "identical".to_string())
            .replace('|', "\\|"),
        (Err(_), _) => "touchstone-ld: link failed".to_string(),
        (_, Err(_)) => format!("{REFERENCE}: link failed"),
    }
}

/// Where the report comes from: the commit, the date and the reference's `--version` line.
fn provenance(reference: &Linker) -> String {
    use touchstone_oracle::conformance::{git_commit, utc_date};
    let argv = reference.argv(&["--version".to_string()]);
    let version = std::process::Command::new(&argv[0])
        .args(&argv[1..])
        .output()
        .ok()
        .and_then(|o| {
            let stdout = String::from_utf8_lossy(&o.stdout);
            stdout.lines().next().map(str::to_string)
        })
        .unwrap_or_else(|| "unknown".into());
    format!(
        "Linked at commit {} on {}; reference {REFERENCE} `{version}`.",
        git_commit(&repo_root()),
        utc_date(std::time::SystemTime::now())
    )
}

/// The file a real program reads on stdin (for reproduction commands), from the oracle's
/// table; /dev/null when it reads nothing.
fn program_stdin_file(name: &str) -> PathBuf {
    touchstone_oracle::programs::PROGRAMS
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.stdin)
        .map_or_else(|| PathBuf::from("/dev/null"), |f| repo_root().join(f))
}
