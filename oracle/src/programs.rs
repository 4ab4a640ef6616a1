//! Real programs as conformance cases (`touchstone conformance --programs`): the programs of
//! tests/real_programs.rs (hello world, SQLite and Lua in C, HarfBuzz in C++ with libc++;
//! compiled by clang-19 against wasi-libc at -O2 and -O0 -g) linked by every linker from the
//! objects that test caches, with the link command it uses. Nothing is compiled here: the test writes `target/real-programs-report.md`,
//! whose "Link commands" part names the folder the links run in (`Run in `DIR``) and, per
//! program and build (`### sqlite O2`), each linker's command line. One such line (the
//! reference's, rust-lld's, when present) gives the case's arguments: everything after the
//! linker program (and `-flavor wasm`) but the output `-o FILE`. The inputs named relative to
//! that folder (the cached objects) become the case's input files, copied into its work
//! directory when it runs: every linker of a case then reads the same bytes even if a
//! concurrent `real_programs` run replaces the cache meanwhile. Absolute inputs (wasi-libc's
//! crt1-command.o, compiler-rt) are used where they are.
//!
//! Each case feeds the program the same stdin as the test and expects the committed stdout
//! (tests/programs/expected/NAME.stdout, taken from rust-lld's build) and exit status; those
//! come from [`PROGRAMS`], the one table of the real programs (tests/programs/mod.rs reads it
//! too). A program the table does not know is still a case: its behaviour is compared with
//! the reference's.

use crate::case::{Case, Input, Run};
use anyhow::{anyhow, bail, Context as _};
use std::path::{Path, PathBuf};

/// What a real program reads and must print: the one table of the real programs, read by
/// tests/real_programs.rs (which adds how to build each) and by the conformance cases here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KnownProgram {
    pub name: &'static str,
    /// Fed to its stdin (a file relative to the repository root), if anything.
    pub stdin: Option<&'static str>,
    /// Its committed stdout (from rust-lld's build), relative to the repository root.
    pub expected_stdout: &'static str,
    pub expected_exit: i32,
}

/// The real programs, in the order the tests build them.
pub const PROGRAMS: [KnownProgram; 4] = [
    KnownProgram {
        name: "hello",
        stdin: None,
        expected_stdout: "tests/programs/expected/hello.stdout",
        expected_exit: 0,
    },
    KnownProgram {
        name: "sqlite",
        stdin: Some("tests/programs/sqlite_script.sql"),
        expected_stdout: "tests/programs/expected/sqlite.stdout",
        expected_exit: 0,
    },
    KnownProgram {
        name: "lua",
        stdin: Some("tests/programs/lua_script.lua"),
        expected_stdout: "tests/programs/expected/lua.stdout",
        // The script returns 7 so a non-zero exit status goes through proc_exit.
        expected_exit: 7,
    },
    KnownProgram {
        name: "harfbuzz",
        stdin: Some("tests/programs/harfbuzz_text.txt"),
        expected_stdout: "tests/programs/expected/harfbuzz.stdout",
        expected_exit: 0,
    },
];

/// The report tests/real_programs.rs writes: `$CARGO_TARGET_DIR/real-programs-report.md`, or
/// `target/real-programs-report.md` under `repo`.
pub fn default_report(repo: &Path) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("target"));
    target.join("real-programs-report.md")
}

/// One program build's link as the report gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramLink {
    /// `sqlite`
    pub program: String,
    /// `O2`, `O0-g`
    pub build: String,
    /// The folder the link runs in.
    pub cwd: PathBuf,
    /// Linker arguments without the program and without `-o FILE`, as the report gives them.
    pub args: Vec<String>,
    /// The input files among `args` named relative to `cwd`.
    pub inputs: Vec<String>,
}

/// Reads the link commands from the report's text (`path` only names it in errors).
pub fn parse_report(text: &str, path: &Path) -> anyhow::Result<Vec<ProgramLink>> {
    let mut cwd: Option<PathBuf> = None;
    // (program, build, command lines with their line numbers) per `###` section.
    type Section = (String, String, Vec<(usize, String)>);
    let mut sections: Vec<Section> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(rest) = line.strip_prefix("Run in `") {
            let dir = rest
                .split('`')
                .next()
                .ok_or_else(|| anyhow!("{}:{}: unclosed `Run in`", path.display(), n + 1))?;
            cwd = Some(PathBuf::from(dir));
        } else if let Some(title) = line.strip_prefix("### ") {
            let mut words = title.split_whitespace();
            let (Some(program), Some(build), None) = (words.next(), words.next(), words.next())
            else {
                bail!(
                    "{}:{}: expected `### PROGRAM BUILD`, got `{line}`",
                    path.display(),
                    n + 1
                );
            };
            sections.push((program.to_string(), build.to_string(), Vec::new()));
        } else if line.starts_with("## ") {
            // A later part of the report ends the link commands.
            if !sections.is_empty() {
                break;
            }
        } else if let Some(command) = line.strip_prefix("    ") {
            if let Some(section) = sections.last_mut() {
                if !command.trim_start().starts_with('#') {
                    section.2.push((n + 1, command.to_string()));
                }
            }
        }
    }
    let cwd = cwd.ok_or_else(|| {
        anyhow!(
            "{}: no `Run in `DIR`` line: not a real-programs report",
            path.display()
        )
    })?;
    let mut links = Vec::new();
    for (program, build, commands) in sections {
        let at = |line: usize| format!("{}:{line}", path.display());
        // The reference's command when there is one, else the first.
        let (line, command) = commands
            .iter()
            .find(|(_, c)| c.contains("rust-lld"))
            .or_else(|| commands.first())
            .ok_or_else(|| anyhow!("{}: `### {program} {build}` has no command", path.display()))?;
        let words = shell_words::split(command)
            .with_context(|| format!("{}: cannot split the command into words", at(*line)))?;
        let skip = if words.get(1).map(String::as_str) == Some("-flavor") {
            3
        } else {
            1
        };
        let mut args = Vec::new();
        let mut inputs = Vec::new();
        let mut it = words.into_iter().skip(skip);
        let mut output = false;
        while let Some(w) = it.next() {
            if w == "-o" {
                output = it.next().is_some();
                continue;
            }
            if SEPARATE_VALUE.contains(&w.as_str()) {
                args.push(w);
                if let Some(value) = it.next() {
                    args.push(value);
                }
            } else if w.starts_with('-') {
                args.push(w);
            } else {
                if Path::new(&w).is_relative() {
                    inputs.push(w.clone());
                }
                args.push(w);
            }
        }
        if !output {
            bail!("{}: the link command has no `-o FILE`", at(*line));
        }
        links.push(ProgramLink {
            program,
            build,
            cwd: cwd.clone(),
            args,
            inputs,
        });
    }
    if links.is_empty() {
        bail!("{}: no `### PROGRAM BUILD` link commands", path.display());
    }
    Ok(links)
}

/// wasm-ld options whose value is the next word (which is then no input path).
const SEPARATE_VALUE: [&str; 14] = [
    "-z",
    "-m",
    "-L",
    "-l",
    "-u",
    "-e",
    "-y",
    "-mllvm",
    "--entry",
    "--export",
    "--undefined",
    "--library-path",
    "--library",
    "--trace-symbol",
];

/// The real programs as cases named `programs/PROGRAM-BUILD`, from `report`, with stdin and
/// expectations read under `repo`. Fails, saying how to make them, when the report or an input
/// it names is missing.
pub fn load(report: &Path, repo: &Path) -> anyhow::Result<Vec<Case>> {
    let how = "run `cargo test -p touchstone --test real_programs` first: it compiles the real \
               programs and writes the report";
    let text = std::fs::read_to_string(report)
        .with_context(|| format!("cannot read {} ({how})", report.display()))?;
    let links = parse_report(&text, report)?;
    let mut cases = Vec::new();
    for link in links {
        for a in &link.inputs {
            if !link.cwd.join(a).exists() {
                bail!(
                    "{}: {} {}: input {a} is missing ({how})",
                    report.display(),
                    link.program,
                    link.build
                );
            }
        }
        let mut case = Case {
            name: format!("programs/{}-{}", link.program, link.build),
            file: report.to_path_buf(),
            dir: link.cwd.clone(),
            args: link.args.clone(),
            // Copied into the work directory (`Case::build_inputs`), each in its place in args.
            inputs: link.inputs.iter().map(|i| Input::File(i.into())).collect(),
            runs: vec![Run::Start],
            ..Case::default()
        };
        if let Some(known) = PROGRAMS.iter().find(|p| p.name == link.program) {
            let read = |rel: &str| {
                let p = repo.join(rel);
                std::fs::read(&p).with_context(|| {
                    format!(
                        "cannot read {} (the real programs' expectations)",
                        p.display()
                    )
                })
            };
            if let Some(stdin) = known.stdin {
                case.stdin = Some(String::from_utf8_lossy(&read(stdin)?).into_owned());
            }
            case.stdout = Some(String::from_utf8_lossy(&read(known.expected_stdout)?).into_owned());
            case.exit = Some(known.expected_exit);
        }
        cases.push(case);
    }
    Ok(cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "# Real programs: linkers compared with rust-lld\n\n\
        | program | build |\n|---|---|\n| hello | O2 |\n\n\
        ## Link commands\n\nRun in `/w/real` (objects are hard links).\n\n\
        ### hello O2\n\n\
        \x20   /t/touchstone-ld -m wasm32 -L/usr/lib/wasm32-wasi inputs/hello-O2/hello.o -lc -o out/touchstone/hello-O2.wasm\n\
        \x20   /r/rust-lld -flavor wasm -m wasm32 -L/usr/lib/wasm32-wasi inputs/hello-O2/hello.o -z stack-size=1048576 -lc -o out/rust-lld/hello-O2.wasm\n\
        \x20   # a note\n\n\
        ### lua O0-g\n\n\
        \x20   /usr/bin/wasm-ld-19 inputs/lua/l.o '/abs path/x.a' -o out/wasm-ld-19/lua.wasm\n";

    #[test]
    fn report_link_commands_parse() {
        let links = parse_report(REPORT, Path::new("r.md")).unwrap();
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].program, "hello");
        assert_eq!(links[0].build, "O2");
        assert_eq!(links[0].cwd, PathBuf::from("/w/real"));
        // rust-lld's line, without the program, `-flavor wasm` and `-o FILE`.
        assert_eq!(
            links[0].args,
            [
                "-m",
                "wasm32",
                "-L/usr/lib/wasm32-wasi",
                "inputs/hello-O2/hello.o",
                "-z",
                "stack-size=1048576",
                "-lc"
            ]
        );
        assert_eq!(links[0].inputs, ["inputs/hello-O2/hello.o"]);
        assert_eq!(links[1].args, ["inputs/lua/l.o", "/abs path/x.a"]);
        assert_eq!(links[1].inputs, ["inputs/lua/l.o"]);
    }

    #[test]
    fn bad_reports_are_errors() {
        assert!(parse_report("### hello O2\n    ld a.o -o x\n", Path::new("r")).is_err());
        let no_output = "Run in `/w`\n### hello O2\n    ld a.o\n";
        let e = format!("{:#}", parse_report(no_output, Path::new("r")).unwrap_err());
        assert!(e.contains("r:3") && e.contains("-o FILE"), "{e}");
        let e = format!(
            "{:#}",
            parse_report("Run in `/w`\n", Path::new("r")).unwrap_err()
        );
        assert!(e.contains("no `### PROGRAM BUILD`"), "{e}");
    }

    #[test]
    fn missing_report_says_how_to_make_it() {
        let dir = tempfile::tempdir().unwrap();
        let e = format!(
            "{:#}",
            load(&dir.path().join("none.md"), dir.path()).unwrap_err()
        );
        assert!(
            e.contains("cargo test -p touchstone --test real_programs"),
            "{e}"
        );
    }
}
