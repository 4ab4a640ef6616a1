//! `touchstone`: the tool commands (`touchstone --help`, and `--help` on each command).
//!
//! ```text
//! touchstone asm IN.wat -o OUT.o
//! touchstone diff A.wasm B.wasm [--ignore KEY]...
//!                                               exit 0 equivalent, 1 different, 2 trouble
//! touchstone validate FILE.wasm...
//! touchstone run FILE.wasm [--invoke NAME ARGS...] [--dylink] [--lib LIB.so]... [-- WASI-ARGS...]
//! touchstone conformance --linker 'CMD' [--linker ...] [--reference 'CMD'] [--cases DIR]
//!                        [--format text|markdown|markdown-table|summary|json|junit] [--jobs N]
//!                        [--work DIR] [--also-wasm-ld-19] [--programs | --programs-only]
//!                        [--programs-report FILE] [--ignore KEY]... [--output-md FILE]
//!                        [--output-md-table FILE] [--output-summary FILE] [--output-json FILE]
//!                        [--output-junit FILE] [--list]
//! touchstone fuzz --linker CMD [--reference CMD] (--cases N | --seconds N) [--seed S]
//!                 [--shard I/N] [--jobs N] [--out DIR] [--corrupt-one-in N] [--no-reduce]
//!                 [--ignore KEY]... [--output-junit FILE]
//! touchstone fuzz --merge DIR... --out DIR
//! touchstone reduce CASE --linker CMD [--reference CMD] [--out DIR] [--ignore KEY]...
//! touchstone mutate KIND IN.wasm OUT.wasm       damage a module (oracle self-tests)
//! ```
//!
//! `--ignore KEY` (repeatable; `*` matches any text, as in `differs-from-wasm-ld:` keys) drops
//! the difference keys it matches from every verdict; the reports say how many it dropped.
//!
//! The command line is clap's (derive); usage errors exit with status 2, as trouble does.

use anyhow::{anyhow, Context as _};
use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use touchstone_oracle::case::key_matches;
use touchstone_oracle::{conformance, link::Linker, model, programs, run};

/// The Touchstone oracle's tools: compare linked modules, run them, assemble `.wat` objects,
/// and report how any wasm-ld-compatible linker conforms to wasm-ld.
#[derive(Parser, Debug)]
#[command(name = "touchstone", arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Assemble a `.wat` object (the testsuite's annotations) into a relocatable object.
    Asm {
        /// The `.wat` source.
        #[arg(value_name = "IN.wat")]
        input: PathBuf,
        /// The object to write.
        #[arg(short = 'o', value_name = "OUT.o", required = true)]
        output: PathBuf,
    },
    /// Compare two linked modules structurally: exit 0 when equivalent, 1 when different, 2 on
    /// trouble.
    Diff {
        #[arg(value_name = "A.wasm")]
        a: PathBuf,
        #[arg(value_name = "B.wasm")]
        b: PathBuf,
        /// Drop the differences whose key matches KEY (`*` matches any text; repeatable); they
        /// are listed as ignored.
        #[arg(long, value_name = "KEY")]
        ignore: Vec<String>,
    },
    /// Validate modules with wasmparser (every feature): prints `valid` or `invalid: WHY` per
    /// file; exit 0 when all are valid, 1 when one is not, 2 on trouble (for scripts such as
    /// ci/badinput).
    Validate {
        #[arg(value_name = "FILE.wasm", required = true)]
        files: Vec<PathBuf>,
    },
    /// Run a module in wasmtime: its `_start` as a WASI command, or one export with arguments.
    Run(RunArgs),
    /// Link testsuite cases (and the real programs) with each linker and with the reference,
    /// compare level by level, and report.
    #[command(after_help = CONFORMANCE_NOTES)]
    Conformance(ConformanceArgs),
    /// Fuzz a linker: link generated programs with it and with the reference, compare, keep
    /// one reduced-to-a-folder case per kind of divergence; exit 1 when anything diverged.
    Fuzz(FuzzArgs),
    /// Reduce a diverging case (a testsuite case, a `touchstone fuzz` finding): take away
    /// inputs, options, module fields and instructions while the linker still diverges from
    /// the reference the same way; write the smallest case found and print what went.
    Reduce(ReduceArgs),
    /// Damage a module (the oracle's self-tests).
    Mutate {
        /// drop-export, data-byte, swap-bodies or swap-table.
        kind: String,
        #[arg(value_name = "IN.wasm")]
        input: PathBuf,
        #[arg(value_name = "OUT.wasm")]
        output: PathBuf,
    },
}

#[derive(clap::Args, Debug)]
struct FuzzArgs {
    /// The linker under test, `[NAME=]CMD` (a wasm-ld-compatible command, or a template with
    /// `{args}`, `{inputs}` and `{output}`, as for `conformance`).
    #[arg(long, value_name = "[NAME=]CMD", required_unless_present = "merge")]
    linker: Option<String>,
    /// Merge the --out folders of earlier campaigns (shards) into --out, one case per
    /// signature, instead of fuzzing.
    #[arg(long, value_name = "DIR", num_args = 1..)]
    merge: Vec<PathBuf>,
    /// The reference linker (default: rust-lld from `rustc --print sysroot`).
    #[arg(long, value_name = "[NAME=]CMD")]
    reference: Option<String>,
    /// Stop after N cases (of this shard).
    #[arg(long, value_name = "N")]
    cases: Option<u64>,
    /// Stop after N seconds.
    #[arg(long, value_name = "N")]
    seconds: Option<u64>,
    /// The campaign's seed: case K of seed S is always the same program.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Run the cases whose number is I modulo N (for campaigns on many machines).
    #[arg(long, value_name = "I/N", default_value = "0/1")]
    shard: String,
    /// Cases linked at once (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Where divergences are kept, one testsuite case folder per signature.
    #[arg(long, value_name = "DIR", default_value = "fuzz-findings")]
    out: PathBuf,
    /// Corrupt one object in every N cases (as the `mutate` fuzz target does) and compare the
    /// linkers' verdicts on it; 0 for none.
    #[arg(long = "corrupt-one-in", value_name = "N", default_value_t = 0)]
    corrupt_one_in: u64,
    /// Keep the cases as generated: do not reduce them at the end (`touchstone reduce`).
    #[arg(long)]
    no_reduce: bool,
    /// Drop the differences whose key matches KEY (`*` matches any text; repeatable) from
    /// every verdict; the summary says how many were dropped.
    #[arg(long, value_name = "KEY")]
    ignore: Vec<String>,
    /// Also write the campaign as JUnit XML (one testcase per case, a failure per divergent
    /// case).
    #[arg(long = "output-junit", value_name = "FILE")]
    output_junit: Vec<PathBuf>,
}

#[derive(clap::Args, Debug)]
struct ReduceArgs {
    /// The case: a folder with main.wat (or main.c, main.s), or a case file.
    #[arg(value_name = "CASE")]
    case: PathBuf,
    /// The linker under test, `[NAME=]CMD` (as for `conformance` and `fuzz`).
    #[arg(long, value_name = "[NAME=]CMD")]
    linker: String,
    /// The reference linker (default: rust-lld from `rustc --print sysroot`).
    #[arg(long, value_name = "[NAME=]CMD")]
    reference: Option<String>,
    /// Where the reduced case folder is written (default: CASE-reduced beside the case).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Judge the case with the differences whose key matches KEY dropped (as `fuzz --ignore`).
    #[arg(long, value_name = "KEY")]
    ignore: Vec<String>,
}

#[derive(clap::Args, Debug)]
struct RunArgs {
    /// The module.
    #[arg(value_name = "FILE.wasm")]
    file: PathBuf,
    /// Call the export NAME with ARGS (integers, or float literals such as `-0`, `inf`, `nan`)
    /// instead of running `_start`. Every word after NAME, up to `--`, is an argument.
    #[arg(
        long,
        num_args = 1..,
        value_names = ["NAME", "ARGS"],
        allow_hyphen_values = true
    )]
    invoke: Option<Vec<String>>,
    /// Run it with the dynamic loader (a `dylink.0` module: a PIE or a side module's main):
    /// the libraries its `dylink.0` needs are loaded from `--lib` files or, by name, from its
    /// own directory. Implied for a position-independent module or when `--lib` is given.
    #[arg(long)]
    dylink: bool,
    /// A shared library the loader may load (repeatable).
    #[arg(long = "lib", value_name = "LIB.so")]
    libs: Vec<PathBuf>,
    /// Arguments the WASI program sees after its name.
    #[arg(last = true, value_name = "WASI-ARGS")]
    wasi_args: Vec<String>,
}

const CONFORMANCE_NOTES: &str = "\
A linker CMD is wasm-ld-compatible (PROG ARGS..., then inputs and -o OUT appended), or a shell
template using {args}, {inputs} and {output}; `NAME=` before it names the linker in reports.
--programs adds the real programs (SQLite, Lua, hello at -O2 and -O0 -g) from the objects and
link commands `cargo test -p touchstone --test real_programs` caches (its report,
target/real-programs-report.md, or --programs-report FILE); --programs-only runs only them.
Every report names the reference's version, the commit and the date.
Exit status: 0 when every linker conforms, 1 when one does not, 2 on trouble.";

#[derive(clap::Args, Debug)]
struct ConformanceArgs {
    /// A linker to test, `[NAME=]CMD` (repeatable; at least one unless --list).
    #[arg(long = "linker", value_name = "[NAME=]CMD")]
    linkers: Vec<String>,
    /// The reference linker, `[NAME=]CMD` (default: rust-lld from `rustc --print sysroot`).
    #[arg(long, value_name = "[NAME=]CMD")]
    reference: Option<String>,
    /// The folder of testsuite cases.
    #[arg(long = "cases", value_name = "DIR", default_value = "testsuite")]
    cases_dir: PathBuf,
    /// The report printed on stdout.
    #[arg(long, value_enum, default_value = "text")]
    format: conformance::Format,
    /// Cases linked at once (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Where the cases' work directories are kept (default: a new folder under the temporary
    /// directory).
    #[arg(long, value_name = "DIR")]
    work: Option<PathBuf>,
    /// Also test Debian's wasm-ld-19 (found on PATH), in this place among the --linker ones.
    #[arg(long = "also-wasm-ld-19")]
    also_wasm_ld_19: bool,
    /// Add the real programs to the cases.
    #[arg(long)]
    programs: bool,
    /// Run only the real programs, not the testsuite.
    #[arg(long = "programs-only")]
    programs_only: bool,
    /// The real-programs report to take the programs from (implies --programs).
    #[arg(long = "programs-report", value_name = "FILE")]
    programs_report: Option<PathBuf>,
    /// Also write the report as Markdown (the table, then every divergence).
    #[arg(long = "output-md", value_name = "FILE")]
    output_md: Vec<PathBuf>,
    /// Also write the Markdown table and totals, without the divergences.
    #[arg(long = "output-md-table", value_name = "FILE")]
    output_md_table: Vec<PathBuf>,
    /// Also write the summary per linker (the table README shows).
    #[arg(long = "output-summary", value_name = "FILE")]
    output_summary: Vec<PathBuf>,
    /// Also write the report as JSON (everything, with every difference).
    #[arg(long = "output-json", value_name = "FILE")]
    output_json: Vec<PathBuf>,
    /// Also write the report as JUnit XML (one testsuite per linker, one testcase per case).
    #[arg(long = "output-junit", value_name = "FILE")]
    output_junit: Vec<PathBuf>,
    /// Drop the differences whose key matches KEY (`*` matches any text, as in
    /// `differs-from-wasm-ld:`; repeatable) from every verdict; every report says how many
    /// were dropped.
    #[arg(long, value_name = "KEY")]
    ignore: Vec<String>,
    /// Print the case names and run nothing.
    #[arg(long)]
    list: bool,
}

fn main() -> ExitCode {
    let mut argv: Vec<String> = std::env::args().collect();
    // `run`'s WASI arguments follow the first `--`; they are taken off before clap sees the
    // line, because `--invoke`'s arguments may start with `-` (`-1`, `-inf`) and would take
    // the `--` with them.
    let mut wasi_args = Vec::new();
    if argv.get(1).map(String::as_str) == Some("run") {
        if let Some(at) = argv.iter().position(|a| a == "--") {
            wasi_args = argv.split_off(at + 1);
            argv.pop();
        }
    }
    let matches = match Cli::command().try_get_matches_from(&argv) {
        Ok(m) => m,
        Err(e) => e.exit(),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let result = match cli.command {
        Command::Asm { input, output } => asm(&input, &output),
        Command::Diff { a, b, ignore } => diff(&a, &b, &ignore),
        Command::Fuzz(args) => fuzz_cmd(args),
        Command::Reduce(args) => reduce_cmd(args),
        Command::Validate { files } => validate(&files),
        Command::Run(mut args) => {
            args.wasi_args = wasi_args;
            run_cmd(args)
        }
        Command::Conformance(args) => {
            // Where --also-wasm-ld-19 stands among the --linker options.
            let at = args.also_wasm_ld_19.then(|| {
                let sub = matches.subcommand_matches("conformance");
                let flag = sub.and_then(|m| m.index_of("also_wasm_ld_19"));
                let linkers = sub.and_then(|m| m.indices_of("linkers"));
                match (flag, linkers) {
                    (Some(flag), Some(ix)) => ix.filter(|&i| i < flag).count(),
                    _ => args.linkers.len(),
                }
            });
            conformance_cmd(args, at)
        }
        Command::Mutate {
            kind,
            input,
            output,
        } => mutate_cmd(&kind, &input, &output),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("touchstone: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

fn asm(input: &Path, output: &Path) -> anyhow::Result<u8> {
    let text = std::fs::read_to_string(input)
        .with_context(|| format!("cannot read {}", input.display()))?;
    let bytes =
        touchstone_oracle::asm::assemble(&text, Path::new(input)).map_err(|e| anyhow!("{e}"))?;
    std::fs::write(output, bytes).with_context(|| format!("cannot write {}", output.display()))?;
    Ok(0)
}

fn diff(a: &Path, b: &Path, ignore: &[String]) -> anyhow::Result<u8> {
    let (wa, wb) = (read(a)?, read(b)?);
    let (ignored, diffs): (Vec<_>, Vec<_>) = model::diff(&wa, &wb)?
        .into_iter()
        .partition(|d| ignore.iter().any(|p| key_matches(p, &d.key)));
    let ignored_line = || {
        if !ignore.is_empty() {
            println!("{} differences ignored by --ignore:", ignored.len());
            for d in &ignored {
                println!("  {d}");
            }
        }
    };
    if diffs.is_empty() {
        println!("equivalent{}", if wa == wb { " (identical)" } else { "" });
        ignored_line();
        return Ok(0);
    }
    println!(
        "{} differences (A = {}, B = {}):",
        diffs.len(),
        a.display(),
        b.display()
    );
    for d in &diffs {
        println!("  {d}");
    }
    ignored_line();
    Ok(1)
}

fn fuzz_cmd(args: FuzzArgs) -> anyhow::Result<u8> {
    if !args.merge.is_empty() {
        let kept = touchstone_oracle::fuzz::merge(&args.merge, &args.out)?;
        println!("touchstone fuzz --merge: {} signatures", kept.len());
        for (signature, folder, count) in &kept {
            println!(
                "  {signature} ({count} folders)\n    kept in {}",
                folder.display()
            );
        }
        return Ok(u8::from(!kept.is_empty()));
    }
    let Some(linker) = &args.linker else {
        anyhow::bail!("touchstone fuzz needs --linker");
    };
    let (shard, shards) = args
        .shard
        .split_once('/')
        .and_then(|(i, n)| Some((i.parse::<u64>().ok()?, n.parse::<u64>().ok()?)))
        .filter(|(i, n)| i < n)
        .ok_or_else(|| anyhow!("--shard wants I/N with I < N, got {}", args.shard))?;
    if args.cases.is_none() && args.seconds.is_none() {
        anyhow::bail!("say how long to fuzz: --cases N or --seconds N");
    }
    let linker = Linker::parse(linker)?;
    let campaign = touchstone_oracle::fuzz::Campaign {
        reference: match &args.reference {
            Some(r) => Linker::parse(r)?,
            None => Linker::rust_lld()?,
        },
        seed: args.seed,
        cases: args.cases,
        time: args.seconds.map(std::time::Duration::from_secs),
        shard: (shard, shards),
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)),
        out: args.out,
        corrupt_every: args.corrupt_one_in,
        reduce: !args.no_reduce,
        ignore: args.ignore,
        linker,
    };
    let findings = touchstone_oracle::fuzz::run(&campaign)?;
    for path in &args.output_junit {
        std::fs::write(path, findings.render_junit(&campaign))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    print!("{}", findings.render(&campaign.linker.name));
    Ok(u8::from(!findings.divergences.is_empty()))
}

fn reduce_cmd(args: ReduceArgs) -> anyhow::Result<u8> {
    let linker = Linker::parse(&args.linker)?;
    let reference = match &args.reference {
        Some(r) => Linker::parse(r)?,
        None => Linker::rust_lld()?,
    };
    let case = args
        .case
        .canonicalize()
        .with_context(|| format!("{}", args.case.display()))?;
    let out = args.out.unwrap_or_else(|| {
        let name = case
            .file_stem()
            .map_or("case".into(), |n| n.to_string_lossy().into_owned());
        case.with_file_name(format!("{name}-reduced"))
    });
    let work = tempfile::tempdir().context("cannot create a work folder")?;
    let mut log = |line: &str| eprintln!("touchstone reduce: {line}");
    let reduced = touchstone_oracle::reduce::reduce_ignoring(
        &case,
        &linker,
        &reference,
        &args.ignore,
        work.path(),
        &mut log,
    )?;
    touchstone_oracle::reduce::keep(&reduced, &reduced.verdict.signature, &out)?;
    touchstone_oracle::reduce::note_ignored(&args.ignore, &out)?;
    println!(
        "{}\n{}\nreduced in {} links ({} removals), kept in {}",
        reduced.verdict.signature,
        reduced.verdict.summary,
        reduced.tests,
        reduced.removed.len(),
        out.display()
    );
    Ok(0)
}

fn validate(files: &[PathBuf]) -> anyhow::Result<u8> {
    let mut status = 0;
    for f in files {
        match model::validate(&read(f)?) {
            Ok(()) => println!("{}: valid", f.display()),
            Err(e) => {
                println!("{}: invalid: {e:#}", f.display());
                status = 1;
            }
        }
    }
    Ok(status)
}

fn run_cmd(args: RunArgs) -> anyhow::Result<u8> {
    let wasm = read(&args.file)?;
    let mut options = run::WasiOptions {
        args: std::iter::once(args.file.to_string_lossy().into_owned())
            .chain(args.wasi_args.iter().cloned())
            .collect(),
        ..Default::default()
    };
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        use std::io::Read as _;
        std::io::stdin().read_to_end(&mut options.stdin)?;
    }
    if args.dylink || !args.libs.is_empty() {
        options.libs = libraries_for(&args.file, &wasm, &args.libs)?;
        if touchstone_oracle::dylink::dylink_info(&wasm)?.is_none() {
            anyhow::bail!(
                "{}: no dylink.0 section: not a module the loader runs",
                args.file.display()
            );
        }
    } else if touchstone_oracle::dylink::wants_loader(&wasm, &options)? {
        options.libs = libraries_for(&args.file, &wasm, &[])?;
    }
    let Some(call) = &args.invoke else {
        let out = run::run_wasi(&wasm, &options)?;
        println!("stdout: {:?}", String::from_utf8_lossy(&out.stdout));
        println!("stderr: {:?}", String::from_utf8_lossy(&out.stderr));
        println!("exit: {}", out.exit_code);
        println!("trap: {}", out.trap.as_deref().unwrap_or("none"));
        return Ok(0);
    };
    let (name, call_args) = call
        .split_first()
        .ok_or_else(|| anyhow!("--invoke needs an export name"))?;
    let values = run::parse_args(&wasm, name, call_args)?;
    let out = run::run_export_with(&wasm, name, &values, &options)?;
    let results = match &out.results {
        Some(r) => r
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(" "),
        None => "none".into(),
    };
    println!("results: {results}");
    println!("stdout: {:?}", String::from_utf8_lossy(&out.stdout));
    println!("stderr: {:?}", String::from_utf8_lossy(&out.stderr));
    if let Some(code) = out.exit_code {
        println!("exit: {code}");
    }
    println!("trap: {}", out.trap.as_deref().unwrap_or("none"));
    Ok(0)
}

/// The shared libraries for `touchstone run`: the `--lib` files, then every library the
/// module's `dylink.0` needs (and theirs, in turn) that is not among them, found by name next
/// to the module. A needed library found nowhere is the loader's error to report.
fn libraries_for(
    file: &std::path::Path,
    wasm: &[u8],
    given: &[PathBuf],
) -> anyhow::Result<Vec<touchstone_oracle::dylink::Library>> {
    use touchstone_oracle::dylink::{dylink_info, Library};
    let mut libs = Vec::new();
    for path in given {
        libs.push(Library {
            name: path.to_string_lossy().into_owned(),
            bytes: read(path)?,
        });
    }
    let dir = file.parent().unwrap_or(std::path::Path::new("."));
    let mut queue: Vec<String> = dylink_info(wasm)?.unwrap_or_default().needed;
    while let Some(name) = queue.pop() {
        let known = libs
            .iter()
            .any(|l| l.name == name || l.name.rsplit('/').next() == Some(name.as_str()));
        let path = dir.join(&name);
        if known || !path.is_file() {
            continue;
        }
        let bytes = read(&path)?;
        queue.extend(dylink_info(&bytes)?.unwrap_or_default().needed);
        libs.push(Library { name, bytes });
    }
    Ok(libs)
}

/// `wasm_ld_19_at`: where `--also-wasm-ld-19` goes among the `--linker` linkers, when given.
fn conformance_cmd(args: ConformanceArgs, wasm_ld_19_at: Option<usize>) -> anyhow::Result<u8> {
    let mut linkers = args
        .linkers
        .iter()
        .map(|l| Linker::parse(l))
        .collect::<anyhow::Result<Vec<_>>>()?;
    if let Some(at) = wasm_ld_19_at {
        let l = Linker::wasm_ld_19().ok_or_else(|| anyhow!("wasm-ld-19 is not on PATH"))?;
        linkers.insert(at.min(linkers.len()), l);
    }
    let programs = args.programs || args.programs_only || args.programs_report.is_some();
    let mut cases = Vec::new();
    if !args.programs_only {
        cases = conformance::load_cases(&args.cases_dir)?;
        if cases.is_empty() {
            anyhow::bail!("no cases found under {}", args.cases_dir.display());
        }
    }
    if programs {
        let repo = std::env::current_dir()?;
        let report = args
            .programs_report
            .unwrap_or_else(|| programs::default_report(&repo));
        cases.extend(programs::load(&report, &repo)?);
    }
    if args.list {
        for c in &cases {
            println!("{}", c.name);
        }
        return Ok(0);
    }
    for c in &mut cases {
        c.ignore = args.ignore.clone();
    }
    if linkers.is_empty() {
        anyhow::bail!(
            "conformance needs at least one --linker (see touchstone conformance --help)"
        );
    }
    let reference = match &args.reference {
        Some(r) => Linker::parse(r)?,
        None => Linker::rust_lld()?,
    };
    let jobs = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let work = args.work.unwrap_or_else(conformance::default_work_dir);
    std::fs::create_dir_all(&work).with_context(|| format!("cannot create {}", work.display()))?;
    let work = work.canonicalize()?;
    let opts = conformance::Options {
        linkers,
        reference,
        cases,
        work,
        jobs,
        progress: true,
    };
    let report = conformance::run(&opts);
    let outputs = [
        (conformance::Format::Markdown, &args.output_md),
        (conformance::Format::MarkdownTable, &args.output_md_table),
        (conformance::Format::Summary, &args.output_summary),
        (conformance::Format::Json, &args.output_json),
        (conformance::Format::Junit, &args.output_junit),
    ];
    for (format, paths) in outputs {
        for path in paths {
            std::fs::write(path, report.render(format))
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    print!("{}", report.render(args.format));
    Ok(if report.all_conform() { 0 } else { 1 })
}

fn mutate_cmd(kind: &str, input: &Path, output: &Path) -> anyhow::Result<u8> {
    let wasm = read(input)?;
    let out = touchstone_oracle::mutate::mutate(kind, &wasm)?;
    std::fs::write(output, out).with_context(|| format!("cannot write {}", output.display()))?;
    Ok(0)
}
