//! Real programs linked by touchstone-ld behave exactly like the same programs linked by wasm-ld
//! (issue 2, items 1-3). A hello world goes through clang-19's own driver with
//! `-fuse-ld=<linker>`; hello, SQLite (with our SQL driver), Lua 5.4 (with our host) and, in C++
//! with libc++, HarfBuzz 8.4 (with our shaping driver, tests/programs/harfbuzz_driver.cc) are
//! compiled at -O2 and at -O0 -g and linked the way clang's driver links by touchstone-ld,
//! rust-lld and wasm-ld-19. Every output must validate and, run in wasmtime, print the same
//! stdout and exit the same way as rust-lld's; rust-lld's stdout must equal the committed
//! expectation; and touchstone-ld's output must be byte-identical to rust-lld's (the report,
//! printed and written to target/real-programs-report.md, also says how close wasm-ld-19 is;
//! target/real-programs-table.md is its README form, which ci/conformance puts into README.md;
//! both name the commit, the date and the reference's version). touchstone-ld's link map
//! (`-Map`) of each program must also be rust-lld's, byte for byte.
//!
//! Needs clang-19, lld-19 and wasi-libc (`bash ci/setup`) and crates.io access on the first run
//! (the C sources come from crates, see tests/programs/fetch/). Objects are cached in
//! target/tmp/real-programs/obj, linked outputs kept in target/tmp/real-programs/out.

mod programs;

use std::fmt::Write as _;
use std::path::PathBuf;

use programs::tools::{run_with_limit, shell_line, Tools};
use programs::{
    check_expected, compare_runs, compile_matrix, configs, link_and_run, link_args, run_module,
    stage_inputs, target_dir, work_dir, LinkAttempt, REFERENCE,
};
use touchstone_oracle::run::WasiOptions;

fn tools() -> Tools {
    Tools::find(&work_dir().join("bin")).unwrap_or_else(|e| panic!("{e}"))
}

fn wasi_options(name: &str, stdin: &[u8]) -> WasiOptions {
    WasiOptions {
        args: vec![name.to_string()],
        stdin: stdin.to_vec(),
        ..WasiOptions::default()
    }
}

/// Issue 2 item 1: `clang-19 --target=wasm32-wasi --sysroot=/usr -fuse-ld=<linker>` builds and
/// links hello.c; touchstone-ld's program prints what rust-lld's and wasm-ld-19's print.
#[test]
fn hello_world_links_through_clang_driver() {
    let tools = tools();
    let out_dir = work_dir().join("out");
    let hello = programs::repo_root().join("ci/examples/hello.c");
    let expected = b"Hello, world!\nargc=1\n";

    let mut failures = Vec::new();
    let mut reference_stdout = None;
    // The reference first, so the others are compared with it.
    let mut linkers = tools.linkers.clone();
    linkers.sort_by_key(|l| l.name != REFERENCE);
    for linker in &linkers {
        // Same file name for every linker: wasm-ld records it as the module name.
        let dir = out_dir.join(linker.name);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let output = dir.join("hello-driver.wasm");
        let _ = std::fs::remove_file(&output);
        let argv = vec![
            tools.clang.display().to_string(),
            "--target=wasm32-wasi".into(),
            "--sysroot=/usr".into(),
            format!("-fuse-ld={}", linker.driver_path.display()),
            hello.display().to_string(),
            "-o".into(),
            output.display().to_string(),
        ];
        let command = shell_line(&argv);
        println!("{}: {command}", linker.name);
        let built = match run_with_limit(&argv, None, std::time::Duration::from_secs(300)) {
            Ok(done) if done.success => std::fs::read(&output).map_err(|e| e.to_string()),
            Ok(done) => Err(format!(
                "{}: {}",
                done.status,
                String::from_utf8_lossy(&done.stderr).trim()
            )),
            Err(e) => Err(e),
        };
        let bytes = match built {
            Ok(bytes) => bytes,
            Err(e) => {
                failures.push(format!("{}: `{command}` failed: {e}", linker.name));
                continue;
            }
        };
        if let Err(e) = programs::wasm_diff::validate(&bytes) {
            failures.push(format!("{}: {}: {e}", linker.name, output.display()));
        }
        match run_module(bytes, wasi_options("hello", b"")) {
            Ok(outcome) => {
                if outcome.stdout != expected || outcome.exit_code != 0 || outcome.trap.is_some() {
                    failures.push(format!(
                        "{}: hello printed {:?}, {} (expected {:?} and exit 0)",
                        linker.name,
                        String::from_utf8_lossy(&outcome.stdout),
                        programs::describe_run(&outcome),
                        String::from_utf8_lossy(expected)
                    ));
                }
                if linker.name == REFERENCE {
                    reference_stdout = Some(outcome.stdout);
                } else if let Some(reference) = &reference_stdout {
                    if &outcome.stdout != reference {
                        failures.push(format!(
                            "{}: {}",
                            linker.name,
                            programs::stdout_difference(&outcome.stdout, reference)
                        ));
                    }
                }
            }
            Err(e) => failures.push(format!(
                "{}: running {}: {e}",
                linker.name,
                output.display()
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "hello world through clang's driver:\n{}",
        failures.join("\n")
    );
}

/// One row of the report: a (program, config) with every linker's attempt.
struct Row {
    program: &'static str,
    config: &'static str,
    attempts: Vec<LinkAttempt>,
}

impl Row {
    fn attempt(&self, linker: &str) -> Option<&LinkAttempt> {
        self.attempts.iter().find(|a| a.linker == linker)
    }
}

/// Issue 2 items 2 and 3: SQLite and Lua (and hello) at -O2 and -O0 -g, linked by every linker,
/// behave the same; touchstone-ld's outputs are byte-identical to rust-lld's.
#[test]
fn real_programs_behave_like_wasm_ld() {
    let started = std::time::Instant::now();
    let tools = tools();
    let sources =
        programs::sources::fetch(&programs::repo_root()).unwrap_or_else(|e| panic!("{e}"));
    let programs = programs::programs(&sources).unwrap_or_else(|e| panic!("{e}"));
    let configs = configs();
    let objects = compile_matrix(&tools, &programs, &configs).unwrap_or_else(|e| panic!("{e}"));
    let compiled = started.elapsed();
    // Links run in the work directory with relative paths, so the commands in the report are
    // short and can be replayed there.
    let work = work_dir();
    for linker in &tools.linkers {
        let dir = work.join("out").join(linker.name);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }

    let mut failures = Vec::new();
    let mut rows = Vec::new();
    for (program, per_config) in programs.iter().zip(&objects) {
        for (config, objects) in configs.iter().zip(per_config) {
            let case = format!("{} {}", program.name, config.name);
            let staged = format!("{}-{}", program.name, config.name);
            let inputs =
                stage_inputs(&work, &staged, program, objects).unwrap_or_else(|e| panic!("{e}"));
            let options = wasi_options(program.name, &program.stdin);
            let attempts: Vec<LinkAttempt> = tools
                .linkers
                .iter()
                .map(|linker| {
                    // The same file name for every linker, in a directory per linker:
                    // wasm-ld writes the output's file name into the name section.
                    let output = PathBuf::from(format!("out/{}/{staged}.wasm", linker.name));
                    let args = link_args(&tools, &inputs, config, program, &output);
                    link_and_run(linker, &args, &work, &output, &options)
                })
                .collect();
            let row = Row {
                program: program.name,
                config: config.name,
                attempts,
            };
            check_row(&row, program, &case, &mut failures);
            let link_args = |output: &std::path::Path| {
                programs::link_args(&tools, &inputs, config, program, output)
            };
            check_link_map(&tools, &work, &staged, link_args, &mut failures);
            rows.push(row);
        }
    }

    let report = render_report(&rows, &tools);
    println!("{report}");
    println!(
        "real programs: compiled in {:.1?}, linked and ran in {:.1?}",
        compiled,
        started.elapsed() - compiled
    );
    let report_path = target_dir().join("real-programs-report.md");
    if let Err(e) = std::fs::write(&report_path, &report) {
        failures.push(format!("cannot write {}: {e}", report_path.display()));
    }
    let table_path = target_dir().join("real-programs-table.md");
    if let Err(e) = std::fs::write(&table_path, render_readme_table(&rows, &tools)) {
        failures.push(format!("cannot write {}: {e}", table_path.display()));
    }
    assert!(
        failures.is_empty(),
        "{} problem(s) (report: {}):\n{}",
        failures.len(),
        report_path.display(),
        failures.join("\n")
    );
}

/// touchstone-ld's link map (`-Map`) must be rust-lld's, byte for byte: both link again with
/// `-Map=out/<linker>/<staged>.map` (the same output name in each linker's folder).
fn check_link_map(
    tools: &Tools,
    work: &std::path::Path,
    staged: &str,
    link_args: impl Fn(&std::path::Path) -> Vec<String>,
    failures: &mut Vec<String>,
) {
    let mut maps = Vec::new();
    for name in [REFERENCE, "touchstone"] {
        let Some(linker) = tools.linkers.iter().find(|l| l.name == name) else {
            failures.push(format!("{staged}: no linker {name} to compare link maps"));
            return;
        };
        let output = PathBuf::from(format!("out/{name}/{staged}.wasm"));
        let mut args = link_args(&output);
        let map = format!("out/{name}/{staged}.map");
        args.push(format!("-Map={map}"));
        let argv = linker.argv(&args);
        let status = std::process::Command::new(&argv[0])
            .args(&argv[1..])
            .current_dir(work)
            .status();
        match (status, std::fs::read(work.join(&map))) {
            (Ok(st), Ok(text)) if st.success() => maps.push(text),
            (st, text) => {
                failures.push(format!(
                    "{staged}: {name} -Map: {st:?}, map {:?}",
                    text.err()
                ));
                return;
            }
        }
    }
    if maps[0] != maps[1] {
        failures.push(format!(
            "{staged}: touchstone-ld's link map differs from rust-lld's (out/{{rust-lld,touchstone}}/{staged}.map in {})",
            work.display()
        ));
    }
}

/// Records every behaviour difference or invalid output in `row` as a failure.
fn check_row(row: &Row, program: &programs::Program, case: &str, failures: &mut Vec<String>) {
    let reference = match row.attempt(REFERENCE) {
        Some(LinkAttempt {
            output: Ok(_),
            run: Some(Ok(outcome)),
            ..
        }) => Some(outcome),
        Some(attempt) => {
            failures.push(format!(
                "{case}: the reference {REFERENCE} build failed: {}\n  {}",
                attempt_problem(attempt),
                attempt.command
            ));
            None
        }
        None => None,
    };
    if let Some(reference) = reference {
        if let Err(e) = check_expected(program, reference) {
            failures.push(format!("{case}: {e}"));
        }
    }
    // touchstone-ld's output must be rust-lld's, byte for byte (the goal of the core; wasm-ld-19
    // is only held to behaviour).
    if let (Some(ours), Some(theirs)) = (row.attempt("touchstone"), row.attempt(REFERENCE)) {
        if let (Ok(a), Ok(b)) = (&ours.output, &theirs.output) {
            if a != b {
                let at = a
                    .iter()
                    .zip(b)
                    .position(|(x, y)| x != y)
                    .unwrap_or(a.len().min(b.len()));
                failures.push(format!(
                    "{case}: touchstone-ld's output differs from {REFERENCE}'s at byte 0x{at:x} ({} vs {} bytes)\n  {}\n  {}",
                    a.len(),
                    b.len(),
                    ours.command,
                    theirs.command
                ));
            }
        }
    }
    for attempt in &row.attempts {
        if let Some(Err(e)) = &attempt.valid {
            failures.push(format!(
                "{case}: {}: {e}\n  {}",
                attempt.linker, attempt.command
            ));
        }
        if attempt.linker == REFERENCE {
            continue;
        }
        let problem = match (&attempt.output, &attempt.run, reference) {
            (Err(e), _, _) => Some(e.clone()),
            (Ok(_), Some(Err(e)), _) => Some(format!("run failed: {e}")),
            (Ok(_), Some(Ok(ours)), Some(reference)) => compare_runs(ours, reference).err(),
            _ => None,
        };
        if let Some(problem) = problem {
            failures.push(format!(
                "{case}: {}: {problem}\n  {}",
                attempt.linker, attempt.command
            ));
        }
    }
}

fn attempt_problem(attempt: &LinkAttempt) -> String {
    match (&attempt.output, &attempt.run) {
        (Err(e), _) => e.clone(),
        (Ok(_), Some(Err(e))) => format!("run failed: {e}"),
        _ => "no run".into(),
    }
}

/// Where a report comes from: the commit, the date and every linker's `--version` line, the
/// reference's first.
fn provenance(tools: &Tools) -> String {
    use touchstone_oracle::conformance::{git_commit, utc_date};
    let version = |linker: &programs::tools::Linker| {
        let argv = linker.argv(&["--version".to_string()]);
        std::process::Command::new(&argv[0])
            .args(&argv[1..])
            .output()
            .ok()
            .and_then(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .next()
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "unknown".into())
    };
    let mut linkers = tools.linkers.iter().collect::<Vec<_>>();
    linkers.sort_by_key(|l| l.name != REFERENCE);
    let versions: Vec<String> = linkers
        .iter()
        .map(|l| format!("{} `{}`", label(l.name), version(l)))
        .collect();
    format!(
        "Linked at commit {} on {}; reference {}; the others {}.",
        git_commit(&programs::repo_root()),
        utc_date(std::time::SystemTime::now()),
        versions[0],
        versions[1..].join(", ")
    )
}

/// A linker's name as README calls it.
fn label(name: &str) -> &str {
    if name == "touchstone" {
        "touchstone-ld"
    } else {
        name
    }
}

/// How `name`'s attempt in `row` compares with the reference's: its behaviour (`same`,
/// `DIFFERS`, `link failed`, ...), and its bytes (`identical` or the first difference).
fn against_reference(row: &Row, name: &str) -> Option<(String, String)> {
    let attempt = row.attempt(name)?;
    let reference = row.attempt(REFERENCE).and_then(|a| a.output.as_ref().ok());
    let behaviour = match (&attempt.output, &attempt.valid, &attempt.run) {
        (Err(_), _, _) => "link failed".to_string(),
        (Ok(_), Some(Err(_)), _) => "INVALID".to_string(),
        (Ok(_), _, Some(Err(_))) => "run failed".to_string(),
        (Ok(_), _, Some(Ok(ours))) => match row.attempt(REFERENCE).and_then(|a| a.run.as_ref()) {
            Some(Ok(reference)) => match compare_runs(ours, reference) {
                Ok(()) => "same".to_string(),
                Err(_) => "DIFFERS".to_string(),
            },
            _ => "no reference".to_string(),
        },
        _ => "-".to_string(),
    };
    let bytes = match (&attempt.output, reference) {
        (Ok(ours), Some(reference)) => programs::wasm_diff::first_difference(ours, reference)
            .unwrap_or_else(|| "identical".to_string()),
        _ => "-".to_string(),
    };
    Some((behaviour, bytes.replace('|', "\\|")))
}

/// The linkers compared with the reference, in the tools' order.
fn compared_linkers(tools: &Tools) -> Vec<&'static str> {
    tools
        .linkers
        .iter()
        .map(|l| l.name)
        .filter(|&n| n != REFERENCE)
        .collect()
}

/// README's form of the report: where it comes from, one row per (program, config) with each
/// linker's behaviour and bytes against the reference (no times, which move from run to run),
/// and the count of byte-identical outputs.
fn render_readme_table(rows: &[Row], tools: &Tools) -> String {
    let others = compared_linkers(tools);
    let mut text = format!("{}\n\n| program | build | output size |", provenance(tools));
    let mut rule = String::from("|---|---|---|");
    for name in &others {
        let l = label(name);
        let _ = write!(text, " {l}: behaviour | {l}: bytes vs {REFERENCE} |");
        rule.push_str("---|---|");
    }
    let _ = writeln!(text, "\n{rule}");
    let mut identical = vec![0usize; others.len()];
    for row in rows {
        let size = row
            .attempt(REFERENCE)
            .and_then(|a| a.output.as_ref().ok())
            .map_or("link failed".to_string(), |b| b.len().to_string());
        let build = row.config.replace("O0-g", "O0 -g");
        let _ = write!(text, "| {} | -{build} | {size} |", row.program);
        for (i, name) in others.iter().enumerate() {
            let (behaviour, bytes) =
                against_reference(row, name).unwrap_or(("-".into(), "-".into()));
            if bytes == "identical" {
                identical[i] += 1;
            }
            let _ = write!(text, " {behaviour} | {bytes} |");
        }
        text.push('\n');
    }
    text.push('\n');
    for (name, count) in others.iter().zip(&identical) {
        let _ = writeln!(
            text,
            "- {}: {count} of {} outputs byte-identical to {REFERENCE}'s",
            label(name),
            rows.len()
        );
    }
    text
}

/// The Markdown report: one line per (program, config), then the link commands.
fn render_report(rows: &[Row], tools: &Tools) -> String {
    let others = compared_linkers(tools);
    let mut text = format!(
        "# Real programs: linkers compared with rust-lld\n\n{}\n\n",
        provenance(tools)
    );
    let mut header = String::from("| program | build | rust-lld size | rust-lld link |");
    let mut rule = String::from("|---|---|---|---|");
    for name in &others {
        let _ = write!(
            header,
            " {name}: link | {name}: behaviour | {name}: bytes vs rust-lld |"
        );
        rule.push_str("---|---|---|");
    }
    let _ = writeln!(text, "{header}\n{rule}");
    let mut identical = vec![0usize; others.len()];
    for row in rows {
        let reference = row.attempt(REFERENCE).and_then(|a| a.output.as_ref().ok());
        let size = reference.map_or("link failed".to_string(), |b| b.len().to_string());
        let time = |attempt: Option<&LinkAttempt>| {
            attempt.map_or("-".to_string(), |a| {
                format!("{:.2}s", a.link_time.as_secs_f64())
            })
        };
        let _ = write!(
            text,
            "| {} | {} | {size} | {} |",
            row.program,
            row.config,
            time(row.attempt(REFERENCE))
        );
        for (i, name) in others.iter().enumerate() {
            let (Some(attempt), Some((behaviour, bytes))) =
                (row.attempt(name), against_reference(row, name))
            else {
                text.push_str(" - | - | - |");
                continue;
            };
            if bytes == "identical" {
                identical[i] += 1;
            }
            let _ = write!(text, " {} | {behaviour} | {bytes} |", time(Some(attempt)));
        }
        text.push('\n');
    }
    text.push('\n');
    for (name, count) in others.iter().zip(&identical) {
        let _ = writeln!(
            text,
            "- {name}: {count} of {} outputs byte-identical to rust-lld's",
            rows.len()
        );
    }
    let _ = write!(
        text,
        "\n## Link commands\n\nRun in `{}` (objects are hard links into the object cache \
         `obj/`; outputs go to `out/<linker>/`).\n\n",
        work_dir().display()
    );
    for row in rows {
        let _ = writeln!(text, "### {} {}\n", row.program, row.config);
        for attempt in &row.attempts {
            let problem = match &attempt.output {
                Err(e) => format!("\n    # {}", e.replace('\n', "\n    # ")),
                Ok(_) => String::new(),
            };
            let _ = writeln!(text, "    {}{problem}", attempt.command);
        }
        text.push('\n');
    }
    text
}
