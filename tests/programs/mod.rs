//! Support for tests/real_programs.rs: real programs (hello world, SQLite with our SQL driver,
//! Lua 5.4 with our host, and in C++ HarfBuzz 8.4 with our shaping driver) compiled by clang-19
//! against wasi-libc (and libc++), linked the way clang's wasm driver links (crt1-command.o,
//! objects, libraries, -lc++ -lc++abi for C++, -lc, compiler-rt builtins) by
//! touchstone-ld, rust-lld and wasm-ld-19, run in wasmtime and compared. The reference for
//! behaviour and bytes is rust-lld; its stdout must also equal the committed expected file
//! (regenerated from rust-lld's run with BLESS=1), so a broken pipeline cannot pass by
//! comparing garbage with garbage.

pub mod compile;
pub mod sources;
pub mod tools;
pub mod wasm_diff;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use touchstone_oracle::programs::PROGRAMS;
use touchstone_oracle::run::{run_wasi, RunOutcome, WasiOptions};

use compile::{compile_all, CompileJob};
use sources::Sources;
use tools::{run_with_limit, shell_line, Linker, Tools, WASI_LIB_DIR};

/// The name of the linker whose output is the reference.
pub const REFERENCE: &str = "rust-lld";

/// How long one link or one wasmtime run may take before it counts as hung.
const LINK_LIMIT: Duration = Duration::from_secs(180);
const RUN_LIMIT: Duration = Duration::from_secs(180);

/// The repository root (where Cargo.toml is).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Scratch space that survives between runs: target/tmp/real-programs.
pub fn work_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("real-programs")
}

/// The cargo target directory (the parent of CARGO_TARGET_TMPDIR).
pub fn target_dir() -> PathBuf {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().map(Path::to_path_buf).unwrap_or(tmp)
}

/// A C program, how to build it and what it must print.
#[derive(Clone, Debug)]
pub struct Program {
    pub name: &'static str,
    pub sources: Vec<PathBuf>,
    pub cflags: Vec<String>,
    /// Libraries beyond -lc, as `-l...` arguments, in link order.
    pub libs: Vec<String>,
    /// Fed to the program's stdin.
    pub stdin: Vec<u8>,
    /// Committed stdout of the rust-lld build.
    pub expected_stdout: PathBuf,
    pub expected_exit: i32,
}

/// A build configuration: compiler and linker flags.
#[derive(Clone, Debug)]
pub struct Config {
    pub name: &'static str,
    pub cflags: Vec<String>,
    pub ldflags: Vec<String>,
}

pub fn configs() -> Vec<Config> {
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        Config {
            name: "O2",
            cflags: strings(&["-O2"]),
            ldflags: Vec::new(),
        },
        Config {
            name: "O0-g",
            cflags: strings(&["-O0", "-g"]),
            // Unoptimized SQLite and Lua overflow the default 64 KiB stack.
            ldflags: strings(&["-z", "stack-size=1048576"]),
        },
    ]
}

pub fn programs(sources: &Sources) -> Result<Vec<Program>, String> {
    let here = repo_root().join("tests/programs");
    let read = |path: PathBuf| {
        std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();

    let mut lua_sources = Vec::new();
    let listing = std::fs::read_dir(&sources.lua_dir)
        .map_err(|e| format!("cannot list {}: {e}", sources.lua_dir.display()))?;
    for entry in listing {
        let path = entry
            .map_err(|e| format!("cannot list {}: {e}", sources.lua_dir.display()))?
            .path();
        let is_c = path.extension().is_some_and(|e| e == "c");
        // lua.c and luac.c are standalone programs with their own main (lua-src ships neither).
        let is_main = path
            .file_stem()
            .is_some_and(|s| s == "lua" || s == "luac" || s == "onelua");
        if is_c && !is_main {
            lua_sources.push(path);
        }
    }
    lua_sources.sort();
    lua_sources.push(here.join("lua_host.c"));

    let mut sqlite_flags = vec![format!("-I{}", sources.sqlite_dir.display())];
    sqlite_flags.extend(strings(&[
        "-DSQLITE_THREADSAFE=0",
        "-DSQLITE_OMIT_LOAD_EXTENSION",
        "-DSQLITE_DEFAULT_MEMSTATUS=0",
        "-DSQLITE_ENABLE_MATH_FUNCTIONS",
        "-DLONGDOUBLE_TYPE=double",
        "-D_WASI_EMULATED_MMAN",
        "-D_WASI_EMULATED_GETPID",
        "-D_WASI_EMULATED_SIGNAL",
        "-D_WASI_EMULATED_PROCESS_CLOCKS",
    ]));
    let mut lua_flags = vec![
        format!("-I{}", sources.lua_dir.display()),
        format!("-I{}", here.join("include").display()),
    ];
    lua_flags.extend(strings(&[
        "-DLUA_USE_POSIX",
        "-D_WASI_EMULATED_SIGNAL",
        // Fixed string-hash seed: the default mixes in time() and addresses, which would make
        // table traversal order differ between runs and between linkers' layouts.
        "-Dluai_makeseed(L)=0U",
    ]));

    // HarfBuzz: the shaping library as one unity file (harfbuzz.cc) and the subsetter as its
    // separate sources (harfbuzz-subset.cc would repeat all of harfbuzz.cc), so template
    // instances and inline functions come from many objects, plus our driver. No threads in
    // wasm32-wasi: HB_NO_MT. The driver embeds two of HarfBuzz's benchmark fonts (#embed).
    let hb_src = sources.harfbuzz_dir.join("src");
    let mut harfbuzz_sources = vec![
        hb_src.join("harfbuzz.cc"),
        hb_src.join("graph/gsubgpos-context.cc"),
    ];
    for unit in [
        "cff-common",
        "cff1",
        "cff2",
        "input",
        "instancer-iup",
        "instancer-solver",
        "plan",
        "repacker",
    ] {
        harfbuzz_sources.push(hb_src.join(format!("hb-subset-{unit}.cc")));
    }
    harfbuzz_sources.push(hb_src.join("hb-subset.cc"));
    harfbuzz_sources.push(here.join("harfbuzz_driver.cc"));
    let harfbuzz_flags = vec![
        "-DHB_NO_MT".to_string(),
        format!("-I{}", hb_src.display()),
        format!(
            "--embed-dir={}",
            sources.harfbuzz_dir.join("perf/fonts").display()
        ),
        "-Wno-c23-extensions".to_string(),
    ];

    // What each program reads and prints comes from the oracle's table; how to build it, here.
    let mut out = Vec::new();
    for known in &PROGRAMS {
        let (sources, cflags, libs) = match known.name {
            "hello" => (
                vec![repo_root().join("ci/examples/hello.c")],
                Vec::new(),
                Vec::new(),
            ),
            "sqlite" => (
                vec![
                    sources.sqlite_dir.join("sqlite3.c"),
                    here.join("sqlite_driver.c"),
                ],
                sqlite_flags.clone(),
                strings(&[
                    "-lwasi-emulated-mman",
                    "-lwasi-emulated-getpid",
                    "-lwasi-emulated-signal",
                    "-lwasi-emulated-process-clocks",
                ]),
            ),
            "lua" => (
                lua_sources.clone(),
                lua_flags.clone(),
                strings(&["-lwasi-emulated-signal"]),
            ),
            // clang++'s driver links libc++ and libc++abi before libc.
            "harfbuzz" => (
                harfbuzz_sources.clone(),
                harfbuzz_flags.clone(),
                strings(&["-lc++", "-lc++abi"]),
            ),
            other => return Err(format!("no build recipe for the real program `{other}`")),
        };
        out.push(Program {
            name: known.name,
            sources,
            cflags,
            libs,
            stdin: match known.stdin {
                Some(file) => read(repo_root().join(file))?,
                None => Vec::new(),
            },
            expected_stdout: repo_root().join(known.expected_stdout),
            expected_exit: known.expected_exit,
        });
    }
    Ok(out)
}

/// The wasm-ld arguments clang-19's driver would pass (see `clang -###`), plus our flags.
pub fn link_args(
    tools: &Tools,
    objects: &[PathBuf],
    config: &Config,
    program: &Program,
    output: &Path,
) -> Vec<String> {
    let mut args = vec![
        "-m".to_string(),
        "wasm32".to_string(),
        format!("-L{WASI_LIB_DIR}"),
        format!("{WASI_LIB_DIR}/crt1-command.o"),
    ];
    args.extend(objects.iter().map(|o| o.display().to_string()));
    args.extend(config.ldflags.iter().cloned());
    args.extend(program.libs.iter().cloned());
    args.push("-lc".into());
    args.push(tools.builtins.display().to_string());
    args.push("-o".into());
    args.push(output.display().to_string());
    args
}

/// One linker's attempt at one (program, config).
#[derive(Debug)]
pub struct LinkAttempt {
    pub linker: &'static str,
    pub command: String,
    /// Wall time of the link command.
    pub link_time: Duration,
    /// The output bytes, or why there are none.
    pub output: Result<Vec<u8>, String>,
    /// Validation result of the output (when linked).
    pub valid: Option<Result<(), String>>,
    /// The wasmtime run of the output (when linked).
    pub run: Option<Result<RunOutcome, String>>,
}

/// Runs `linker` with `args` in `cwd` (relative paths in `args` are relative to it), expecting
/// it to write `output` (relative to `cwd`); returns the output's bytes, or why there are none
/// (the exit status and the first lines of stderr).
pub fn link(
    linker: &Linker,
    args: &[String],
    cwd: &Path,
    output: &Path,
) -> Result<Vec<u8>, String> {
    let argv = linker.argv(args);
    let output = cwd.join(output);
    let _ = std::fs::remove_file(&output);
    let done = run_with_limit(&argv, Some(cwd), LINK_LIMIT)?;
    if done.success {
        return std::fs::read(&output)
            .map_err(|e| format!("linked, but cannot read the output: {e}"));
    }
    let stderr = String::from_utf8_lossy(&done.stderr);
    let mut lines: Vec<&str> = stderr.lines().take(12).collect();
    if stderr.lines().count() > lines.len() {
        lines.push("...");
    }
    Err(format!(
        "link failed ({}): {}",
        done.status,
        lines.join("\n")
    ))
}

/// Runs `linker` with `args` in `cwd` (relative paths in `args` are relative to it), expecting
/// it to write `output`; if that worked, validates and runs the output.
pub fn link_and_run(
    linker: &Linker,
    args: &[String],
    cwd: &Path,
    output: &Path,
    options: &WasiOptions,
) -> LinkAttempt {
    let command = shell_line(&linker.argv(args));
    let started = std::time::Instant::now();
    let linked = link(linker, args, cwd, output);
    let link_time = started.elapsed();
    let (valid, run) = match &linked {
        Ok(bytes) => (
            Some(wasm_diff::validate(bytes)),
            Some(run_module(bytes.clone(), options.clone())),
        ),
        Err(_) => (None, None),
    };
    LinkAttempt {
        linker: linker.name,
        command,
        link_time,
        output: linked,
        valid,
        run,
    }
}

/// Runs a WASI command in wasmtime on another thread, giving up after `RUN_LIMIT` (a hung
/// guest then fails the test instead of hanging it).
pub fn run_module(bytes: Vec<u8>, options: WasiOptions) -> Result<RunOutcome, String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(run_wasi(&bytes, &options).map_err(|e| format!("{e:#}")));
    });
    match receiver.recv_timeout(RUN_LIMIT) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            Err(format!("wasmtime run did not finish within {RUN_LIMIT:?}"))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Err("wasmtime run panicked".into()),
    }
}

/// Short description of a run for messages.
pub fn describe_run(outcome: &RunOutcome) -> String {
    let trap = outcome
        .trap
        .as_deref()
        .map(|t| format!(", trap: {t}"))
        .unwrap_or_default();
    format!(
        "exit {}{trap}, {} bytes of stdout, stderr: {:?}",
        outcome.exit_code,
        outcome.stdout.len(),
        String::from_utf8_lossy(&outcome.stderr)
            .chars()
            .take(300)
            .collect::<String>()
    )
}

/// Where two runs' stdout first differ, for messages.
pub fn stdout_difference(ours: &[u8], reference: &[u8]) -> String {
    let ours = String::from_utf8_lossy(ours);
    let reference = String::from_utf8_lossy(reference);
    for (i, (a, b)) in ours.lines().zip(reference.lines()).enumerate() {
        if a != b {
            return format!("stdout line {}: {a:?} vs reference {b:?}", i + 1);
        }
    }
    format!(
        "stdout has {} lines vs reference {}",
        ours.lines().count(),
        reference.lines().count()
    )
}

/// Compares a run with the reference run: same stdout, exit status and trap.
pub fn compare_runs(ours: &RunOutcome, reference: &RunOutcome) -> Result<(), String> {
    if ours.stdout != reference.stdout {
        return Err(stdout_difference(&ours.stdout, &reference.stdout));
    }
    if ours.exit_code != reference.exit_code || ours.trap != reference.trap {
        return Err(format!(
            "{} vs reference {}",
            describe_run(ours),
            describe_run(reference)
        ));
    }
    Ok(())
}

/// Checks the reference run against the committed expectation, or rewrites the expectation
/// when BLESS=1.
pub fn check_expected(program: &Program, reference: &RunOutcome) -> Result<(), String> {
    if reference.trap.is_some() || reference.exit_code != program.expected_exit {
        let stdout = String::from_utf8_lossy(&reference.stdout);
        let tail: Vec<&str> = stdout.lines().rev().take(8).collect();
        return Err(format!(
            "reference build of {} misbehaved: {} (expected exit {}); stdout ends with:\n    {}",
            program.name,
            describe_run(reference),
            program.expected_exit,
            tail.into_iter().rev().collect::<Vec<_>>().join("\n    ")
        ));
    }
    if std::env::var_os("BLESS").is_some_and(|v| v == "1") {
        if let Some(dir) = program.expected_stdout.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        return std::fs::write(&program.expected_stdout, &reference.stdout)
            .map_err(|e| format!("{}: {e}", program.expected_stdout.display()));
    }
    let expected = std::fs::read(&program.expected_stdout).map_err(|e| {
        format!(
            "cannot read {} ({e}); run with BLESS=1 to create it from rust-lld's run",
            program.expected_stdout.display()
        )
    })?;
    if expected != reference.stdout {
        return Err(format!(
            "reference build of {} printed something else than {}: {}",
            program.name,
            program.expected_stdout.display(),
            stdout_difference(&reference.stdout, &expected)
        ));
    }
    Ok(())
}

/// Gives the cached objects of one (program, config) readable names for link commands:
/// hard links `inputs/<program>-<config>/<source stem>.o` under `work_dir`. Returns those paths
/// relative to `work_dir`, in order.
pub fn stage_inputs(
    work_dir: &Path,
    case: &str,
    program: &Program,
    objects: &[PathBuf],
) -> Result<Vec<PathBuf>, String> {
    let relative_dir = Path::new("inputs").join(case);
    let dir = work_dir.join(&relative_dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut staged = Vec::with_capacity(objects.len());
    for (source, object) in program.sources.iter().zip(objects) {
        let stem = source
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = format!("{stem}.o");
        // Link under a temporary name, then rename over the old link: atomic replacement.
        let temp = dir.join(format!(".{name}.{}", std::process::id()));
        let _ = std::fs::remove_file(&temp);
        std::fs::hard_link(object, &temp)
            .or_else(|_| std::fs::copy(object, &temp).map(|_| ()))
            .and_then(|()| std::fs::rename(&temp, dir.join(&name)))
            .map_err(|e| format!("cannot stage {} as {}: {e}", object.display(), name))?;
        staged.push(relative_dir.join(name));
    }
    Ok(staged)
}

/// Compiles every program in every config; returns the objects per (program, config).
pub fn compile_matrix(
    tools: &Tools,
    programs: &[Program],
    configs: &[Config],
) -> Result<Vec<Vec<Vec<PathBuf>>>, String> {
    let mut extra_key = Vec::new();
    let include = repo_root().join("tests/programs/include/setjmp.h");
    extra_key.extend(
        std::fs::read(&include).map_err(|e| format!("cannot read {}: {e}", include.display()))?,
    );
    let mut jobs = Vec::new();
    for program in programs {
        for config in configs {
            for source in &program.sources {
                let mut flags = config.cflags.clone();
                flags.extend(program.cflags.iter().cloned());
                jobs.push(CompileJob {
                    source: source.clone(),
                    flags,
                });
            }
        }
    }
    let mut objects = compile_all(tools, &work_dir().join("obj"), &extra_key, &jobs)?.into_iter();
    Ok(programs
        .iter()
        .map(|program| {
            configs
                .iter()
                .map(|_| objects.by_ref().take(program.sources.len()).collect())
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(stdout: &str, exit_code: i32, trap: Option<&str>) -> RunOutcome {
        RunOutcome {
            stdout: stdout.as_bytes().to_vec(),
            stderr: Vec::new(),
            exit_code,
            trap: trap.map(str::to_string),
        }
    }

    #[test]
    fn runs_compare_on_stdout_exit_status_and_trap() {
        let reference = outcome("a\nb\n", 7, None);
        assert_eq!(
            compare_runs(&outcome("a\nb\n", 7, None), &reference),
            Ok(())
        );
        let stdout = compare_runs(&outcome("a\nc\n", 7, None), &reference).unwrap_err();
        assert!(stdout.contains("stdout line 2"), "{stdout}");
        let shorter = compare_runs(&outcome("a\n", 7, None), &reference).unwrap_err();
        assert!(shorter.contains("1 lines vs reference 2"), "{shorter}");
        let exit = compare_runs(&outcome("a\nb\n", 0, None), &reference).unwrap_err();
        assert!(exit.contains("exit 0") && exit.contains("exit 7"), "{exit}");
        let trap = compare_runs(&outcome("a\nb\n", 7, Some("unreachable")), &reference);
        assert!(trap.unwrap_err().contains("trap: unreachable"));
    }
}
