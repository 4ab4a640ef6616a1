//! `touchstone`: the tool commands.
//!
//! ```text
//! touchstone asm IN.wat -o OUT.o
//! touchstone diff A.wasm B.wasm                 exit 0 equivalent, 1 different, 2 trouble
//! touchstone run FILE.wasm [--invoke NAME ARGS...] [-- WASI-ARGS...]
//! touchstone conformance --linker 'CMD' [--linker ...] [--reference 'CMD'] [--cases DIR]
//!                        [--format text|markdown|markdown-table|json] [--jobs N] [--work DIR]
//!                        [--also-wasm-ld-19] [--programs | --programs-only]
//!                        [--programs-report FILE] [--output-md FILE] [--output-md-table FILE]
//!                        [--output-json FILE] [--list]
//! touchstone mutate KIND IN.wasm OUT.wasm       damage a module (oracle self-tests)
//! ```

use anyhow::{anyhow, bail, Context as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use touchstone_oracle::{conformance, link::Linker, model, programs, run};

const USAGE: &str = "usage:
  touchstone asm IN.wat -o OUT.o
  touchstone diff A.wasm B.wasm
  touchstone run FILE.wasm [--invoke NAME ARGS...] [-- WASI-ARGS...]
  touchstone conformance --linker '[NAME=]CMD' [--linker ...] [--reference '[NAME=]CMD']
                         [--cases DIR] [--format FORMAT] [--jobs N] [--work DIR]
                         [--also-wasm-ld-19] [--programs | --programs-only]
                         [--programs-report FILE] [--output-md FILE] [--output-md-table FILE]
                         [--output-json FILE] [--list]
  touchstone mutate drop-export|data-byte|swap-bodies|swap-table IN.wasm OUT.wasm
A linker CMD is wasm-ld-compatible (PROG ARGS..., then inputs and -o OUT appended), or a shell
template using {args}, {inputs} and {output}.
--programs adds the real programs (SQLite, Lua, hello at -O2 and -O0 -g) from the objects and
link commands `cargo test -p touchstone --test real_programs` caches (its report,
target/real-programs-report.md, or --programs-report FILE); --programs-only runs only them.
--output-md / --output-md-table / --output-json also write the report to a file as Markdown,
as the Markdown table and totals only (no divergences), or as JSON.
Formats: text, markdown, markdown-table, json. --list prints the case names and runs nothing.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("touchstone: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(args: &[String]) -> anyhow::Result<u8> {
    let Some((cmd, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return Ok(2);
    };
    match cmd.as_str() {
        "asm" => asm(rest),
        "diff" => diff(rest),
        "run" => run_cmd(rest),
        "conformance" => conformance_cmd(rest),
        "mutate" => mutate_cmd(rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(0)
        }
        other => bail!("unknown command `{other}`\n{USAGE}"),
    }
}

fn asm(args: &[String]) -> anyhow::Result<u8> {
    let mut input = None;
    let mut output = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" => output = Some(it.next().ok_or_else(|| anyhow!("-o needs a file"))?),
            _ if input.is_none() => input = Some(a),
            _ => bail!("unexpected argument `{a}`"),
        }
    }
    let input = input.ok_or_else(|| anyhow!("asm needs an input .wat file"))?;
    let output = output.ok_or_else(|| anyhow!("asm needs -o OUT.o"))?;
    let text = std::fs::read_to_string(input).with_context(|| format!("cannot read {input}"))?;
    let bytes =
        touchstone_oracle::asm::assemble(&text, Path::new(input)).map_err(|e| anyhow!("{e}"))?;
    std::fs::write(output, bytes).with_context(|| format!("cannot write {output}"))?;
    Ok(0)
}

fn diff(args: &[String]) -> anyhow::Result<u8> {
    let [a, b] = args else {
        bail!("diff needs two files: touchstone diff A.wasm B.wasm");
    };
    let read = |p: &String| std::fs::read(p).with_context(|| format!("cannot read {p}"));
    let (wa, wb) = (read(a)?, read(b)?);
    let diffs = model::diff(&wa, &wb)?;
    if diffs.is_empty() {
        println!("equivalent{}", if wa == wb { " (identical)" } else { "" });
        return Ok(0);
    }
    println!("{} differences (A = {a}, B = {b}):", diffs.len());
    for d in &diffs {
        println!("  {d}");
    }
    Ok(1)
}

fn run_cmd(args: &[String]) -> anyhow::Result<u8> {
    let (file, rest) = args
        .split_first()
        .ok_or_else(|| anyhow!("run needs a .wasm file"))?;
    let wasm = std::fs::read(file).with_context(|| format!("cannot read {file}"))?;
    let (own, wasi_args) = match rest.iter().position(|a| a == "--") {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let mut options = run::WasiOptions {
        args: std::iter::once(file.clone())
            .chain(wasi_args.iter().cloned())
            .collect(),
        ..Default::default()
    };
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        use std::io::Read as _;
        std::io::stdin().read_to_end(&mut options.stdin)?;
    }
    match own.split_first() {
        None => {
            let out = run::run_wasi(&wasm, &options)?;
            println!("stdout: {:?}", String::from_utf8_lossy(&out.stdout));
            println!("stderr: {:?}", String::from_utf8_lossy(&out.stderr));
            println!("exit: {}", out.exit_code);
            println!("trap: {}", out.trap.as_deref().unwrap_or("none"));
        }
        Some((flag, call)) if flag == "--invoke" => {
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
        }
        Some((other, _)) => bail!("unexpected argument `{other}` (expected --invoke or --)"),
    }
    Ok(0)
}

fn conformance_cmd(args: &[String]) -> anyhow::Result<u8> {
    let mut linkers = Vec::new();
    let mut reference = None;
    let mut cases_dir = PathBuf::from("testsuite");
    let mut format = conformance::Format::Text;
    let mut jobs = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let mut work = None;
    let mut programs = false;
    let mut testsuite = true;
    let mut programs_report = None;
    let mut list = false;
    let mut outputs: Vec<(conformance::Format, PathBuf)> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |what: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| anyhow!("{a} needs {what}"))
        };
        match a.as_str() {
            "--linker" => linkers.push(Linker::parse(&value("a command")?)?),
            "--reference" => reference = Some(Linker::parse(&value("a command")?)?),
            "--cases" => cases_dir = PathBuf::from(value("a folder")?),
            "--format" => format = value("a format")?.parse()?,
            "--jobs" | "-j" => {
                jobs = value("a number")?
                    .parse()
                    .context("--jobs needs a positive number")?
            }
            "--work" => work = Some(PathBuf::from(value("a folder")?)),
            "--also-wasm-ld-19" => linkers
                .push(Linker::wasm_ld_19().ok_or_else(|| anyhow!("wasm-ld-19 is not on PATH"))?),
            "--programs" => programs = true,
            "--list" => list = true,
            "--programs-only" => {
                programs = true;
                testsuite = false;
            }
            "--programs-report" => {
                programs = true;
                programs_report = Some(PathBuf::from(value("a file")?));
            }
            "--output-md" => outputs.push((conformance::Format::Markdown, value("a file")?.into())),
            "--output-md-table" => {
                outputs.push((conformance::Format::MarkdownTable, value("a file")?.into()))
            }
            "--output-json" => outputs.push((conformance::Format::Json, value("a file")?.into())),
            other => bail!("unexpected argument `{other}`\n{USAGE}"),
        }
    }
    let mut cases = Vec::new();
    if testsuite {
        cases = conformance::load_cases(&cases_dir)?;
        if cases.is_empty() {
            bail!("no cases found under {}", cases_dir.display());
        }
    }
    if programs {
        let repo = std::env::current_dir()?;
        let report = programs_report.unwrap_or_else(|| programs::default_report(&repo));
        cases.extend(programs::load(&report, &repo)?);
    }
    if list {
        for c in &cases {
            println!("{}", c.name);
        }
        return Ok(0);
    }
    if linkers.is_empty() {
        bail!("conformance needs at least one --linker");
    }
    let reference = match reference {
        Some(r) => r,
        None => Linker::rust_lld()?,
    };
    let work = work.unwrap_or_else(conformance::default_work_dir);
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
    for (f, path) in &outputs {
        std::fs::write(path, report.render(*f))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    print!("{}", report.render(format));
    Ok(if report.all_conform() { 0 } else { 1 })
}

fn mutate_cmd(args: &[String]) -> anyhow::Result<u8> {
    let [kind, input, output] = args else {
        bail!("mutate needs KIND IN.wasm OUT.wasm");
    };
    let wasm = std::fs::read(input).with_context(|| format!("cannot read {input}"))?;
    let out = touchstone_oracle::mutate::mutate(kind, &wasm)?;
    std::fs::write(output, out).with_context(|| format!("cannot write {output}"))?;
    Ok(0)
}
