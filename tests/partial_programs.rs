//! SQLite and Lua through relocatable output (issue 13): at -O2 and -O0 -g, each program's own
//! objects (SQLite's amalgamation and our SQL driver; Lua's 31 objects and our host) are
//! partially linked with `-r` into one object, which is then linked into the program with
//! crt1, wasi-libc and the builtins, as clang's driver links; and the one-step link is also
//! made with `--emit-relocs`. Each step is done by touchstone-ld and by rust-lld: every output
//! must be byte-identical to rust-lld's, the `-r` output must link as well with the other
//! linker doing the second step, and the programs built through `-r` and with `--emit-relocs`
//! must print the committed stdout of the one-step build and exit the same way.
//!
//! Needs what tests/real_programs.rs needs (`bash ci/setup`); the objects come from the same
//! cache (target/tmp/real-programs/obj), the outputs go to target/tmp/real-programs/partial/.

#[allow(dead_code)]
mod programs;

use std::path::{Path, PathBuf};

use programs::tools::{shell_line, Linker, Tools};
use programs::{
    check_expected, compile_matrix, configs, link, link_args, run_module, stage_inputs, work_dir,
    Config, Program, REFERENCE,
};
use touchstone_oracle::run::WasiOptions;

/// The programs built through `-r`: the C ones with a test input (hello is too small to say
/// anything, HarfBuzz's C++ `-r` is left to the C++ work).
const PARTIAL_PROGRAMS: [&str; 2] = ["sqlite", "lua"];

/// One step of a build, done by one linker.
struct Step {
    command: String,
    output: Result<Vec<u8>, String>,
}

/// Links `args` plus `-o OUT/LINKER/NAME` with `linker` in `work`.
fn step(linker: &Linker, work: &Path, args: &[String], name: &str) -> (PathBuf, Step) {
    let output = Path::new("partial").join(linker.name).join(name);
    let dir = work.join(output.parent().expect("has a folder"));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut argv = args.to_vec();
    argv.extend(["-o".to_string(), output.display().to_string()]);
    let command = shell_line(&linker.argv(&argv));
    let output_bytes = link(linker, &argv, work, &output);
    (
        output,
        Step {
            command,
            output: output_bytes,
        },
    )
}

/// `link_args` for `objects` without its trailing `-o OUTPUT`.
fn program_args(
    tools: &Tools,
    objects: &[PathBuf],
    config: &Config,
    program: &Program,
) -> Vec<String> {
    let mut args = link_args(tools, objects, config, program, Path::new("unused"));
    let output = args.split_off(args.len() - 2);
    assert_eq!(output[0], "-o", "link_args ends with -o OUTPUT");
    args
}

/// Touchstone's step must give rust-lld's bytes; returns touchstone-ld's output when both
/// linked.
fn same_bytes<'a>(
    what: &str,
    ours: &'a Step,
    theirs: &Step,
    problems: &mut Vec<String>,
) -> Option<&'a [u8]> {
    match (&ours.output, &theirs.output) {
        (Ok(a), Ok(b)) => {
            if a != b {
                let at = programs::wasm_diff::first_difference(a, b)
                    .unwrap_or_else(|| "different lengths".into());
                problems.push(format!(
                    "{what}: touchstone-ld's output differs from {REFERENCE}'s: {at}\n    {}\n    {}",
                    ours.command, theirs.command
                ));
            }
            Some(a)
        }
        (Err(e), _) => {
            problems.push(format!(
                "{what}: touchstone-ld failed: {e}\n    {}",
                ours.command
            ));
            None
        }
        (Ok(_), Err(e)) => {
            problems.push(format!(
                "{what}: {REFERENCE} failed: {e}\n    {}",
                theirs.command
            ));
            None
        }
    }
}

/// Runs a linked program with its stdin and checks it against the committed expectation.
fn check_runs(what: &str, program: &Program, bytes: &[u8], problems: &mut Vec<String>) {
    let options = WasiOptions {
        args: vec![program.name.to_string()],
        stdin: program.stdin.clone(),
        ..WasiOptions::default()
    };
    let checked = run_module(bytes.to_vec(), options).and_then(|run| check_expected(program, &run));
    if let Err(e) = checked {
        problems.push(format!("{what}: {e}"));
    }
}

/// One (program, config): the `-r` step, the second step by each linker after each, and the
/// `--emit-relocs` one-step link.
fn check_build(
    tools: &Tools,
    (ours, theirs): (&Linker, &Linker),
    work: &Path,
    program: &Program,
    config: &Config,
    inputs: &[PathBuf],
) -> Vec<String> {
    let case = format!("{}-{}", program.name, config.name);
    let mut problems = Vec::new();
    let mut partial_args: Vec<String> = vec!["-r".into()];
    partial_args.extend(inputs.iter().map(|p| p.display().to_string()));
    let partial_name = format!("{case}.o");
    let (our_partial, our_r) = step(ours, work, &partial_args, &partial_name);
    let (their_partial, their_r) = step(theirs, work, &partial_args, &partial_name);
    let partial = same_bytes(&format!("{case} -r"), &our_r, &their_r, &mut problems);
    if partial.is_some() {
        // Each linker's second step, after each linker's first: same bytes whoever did -r.
        let program_name = format!("{case}.wasm");
        let second = |linker: &Linker, from: &Path, sub: &str| {
            let args = program_args(tools, &[from.to_path_buf()], config, program);
            step(linker, work, &args, &format!("{sub}/{program_name}")).1
        };
        let reference = second(theirs, &their_partial, "from-rust-lld");
        for (from, sub, linker) in [
            (&our_partial, "from-touchstone", ours),
            (&their_partial, "from-rust-lld", ours),
            (&our_partial, "from-touchstone", theirs),
        ] {
            let what = format!("{case}: -r by {sub}, then {}", linker.name);
            let done = second(linker, from, sub);
            if let Some(bytes) = same_bytes(&what, &done, &reference, &mut problems) {
                if linker.name != REFERENCE && sub == "from-touchstone" {
                    check_runs(&what, program, bytes, &mut problems);
                }
            }
        }
    }
    let mut emit_args = program_args(tools, inputs, config, program);
    emit_args.push("--emit-relocs".into());
    let emit_name = format!("emit-relocs/{case}.wasm");
    let (_, our_emit) = step(ours, work, &emit_args, &emit_name);
    let (_, their_emit) = step(theirs, work, &emit_args, &emit_name);
    let what = format!("{case} --emit-relocs");
    if let Some(bytes) = same_bytes(&what, &our_emit, &their_emit, &mut problems) {
        check_runs(&what, program, bytes, &mut problems);
    }
    problems
}

/// SQLite and Lua at -O2 and -O0 -g: `-r` then a final link, and `--emit-relocs`, give
/// rust-lld's bytes and the programs run as the one-step builds do.
#[test]
fn partially_linked_programs_match_rust_lld_and_run() {
    let tools = Tools::find(&work_dir().join("bin")).unwrap_or_else(|e| panic!("{e}"));
    let (ours, theirs) = (tools.linker("touchstone"), tools.linker(REFERENCE));
    let sources =
        programs::sources::fetch(&programs::repo_root()).unwrap_or_else(|e| panic!("{e}"));
    let all = programs::programs(&sources).unwrap_or_else(|e| panic!("{e}"));
    let chosen: Vec<Program> = all
        .into_iter()
        .filter(|p| PARTIAL_PROGRAMS.contains(&p.name))
        .collect();
    assert_eq!(chosen.len(), PARTIAL_PROGRAMS.len(), "programs missing");
    let configs = configs();
    let objects = compile_matrix(&tools, &chosen, &configs).unwrap_or_else(|e| panic!("{e}"));
    let work = work_dir();
    let mut failures = Vec::new();
    for (program, per_config) in chosen.iter().zip(&objects) {
        for (config, objects) in configs.iter().zip(per_config) {
            let staged = format!("{}-{}", program.name, config.name);
            let inputs =
                stage_inputs(&work, &staged, program, objects).unwrap_or_else(|e| panic!("{e}"));
            failures.extend(check_build(
                &tools,
                (&ours, &theirs),
                &work,
                program,
                config,
                &inputs,
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problem(s) with partially linked programs (run in {}):\n{}",
        failures.len(),
        work.display(),
        failures.join("\n")
    );
}
