//! Testsuite cases: finding them, parsing their directives, and building their inputs.
//!
//! A case is a source file with directive lines (`;;!` in `.wat`, `//!` in `.c`, `#!` in `.s`),
//! or a folder holding a `main.wat` / `main.c` / `main.s` whose directives describe the case.
//! Inputs are `.wat` (assembled with `crate::asm`), `.c` (clang-19), `.s` (llvm-mc-19),
//! `.yaml` (yaml2obj-19), `.o` (copied), `.hex` (hex digits, `#` comments, decoded to bytes,
//! for malformed objects) and archives built from those as llvm-ar-19 builds them
//! (`crate::ar`). Directives (see testsuite/README.md):
//!
//! ```text
//! args: --export=foo --no-entry        linker arguments (repeatable; shell words)
//! object: helper.wat more.c            more inputs, linked after the main file, in order
//! archive: libm.a = sin.wat cos.wat    an archive of those members (in that order)
//! archive-no-index: libm.a = ...       the same without a symbol index (corrupt members)
//! run: _start                          run the WASI command
//! run: call foo 1 2 -> 3               call an export; `-> results` optional
//! stdout: hello                        one line of expected stdout (repeatable; `\n` added)
//! stderr: oops                         one line of expected stderr
//! stdin: text                          stdin for the run (repeatable, `\n` added)
//! exit: 3                              expected exit status of `_start`
//! trap: unreachable                    expected trap message substring
//! expect-error: undefined symbol: bar  the link must fail with this in its diagnostics
//! differs-from-wasm-ld: key -- reason  an allowed difference in the oracle comparison
//! reference-outcome: valid             what wasm-ld does with a `status` case: `invalid`
//!                                      (default), `valid`, or `error TEXT`
//! cflags: -O2                          extra clang flags for `.c` inputs
//! ```
//!
//! Arguments naming an input (`--whole-archive libm.a`) place it there instead of in the
//! default input list (main file, then `object:`/`archive:` inputs in directive order).

use anyhow::{anyhow, bail, Context as _};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The main file names that make a folder a case.
pub const MAIN_FILES: [&str; 3] = ["main.wat", "main.c", "main.s"];

/// What a case expects from a `run:` directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Run {
    /// Run `_start` as a WASI command.
    Start,
    /// Call an export with text arguments; `results` are expected results when given.
    Call {
        name: String,
        args: Vec<String>,
        results: Option<Vec<String>>,
    },
}

/// An input of a case (the main file, an `object:` file, or an archive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A source or object file, relative to the case directory.
    File(PathBuf),
    /// An archive named `name` with these members; `index`: with a symbol index
    /// (`archive:`), or without one (`archive-no-index:`, for a member llvm-ar cannot read).
    Archive {
        name: String,
        members: Vec<PathBuf>,
        index: bool,
    },
}

/// An allowed difference from wasm-ld.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AllowedDifference {
    /// A difference key, or a prefix ending in `*`.
    pub key: String,
    pub reason: String,
}

/// What the reference does with a case that allows a `status` difference
/// (`differs-from-wasm-ld: status -- reason`, with `reference-outcome:`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub enum ReferenceOutcome {
    /// wasm-ld links the input into a module that does not validate; touchstone refuses it
    /// with the case's `expect-error` diagnostics (the default).
    #[default]
    Invalid,
    /// wasm-ld links the input into a module that validates; touchstone refuses it with the
    /// case's `expect-error` diagnostics.
    Valid,
    /// wasm-ld refuses the input with this text in its diagnostics; touchstone links it, and
    /// the case's own expectations (`run:`, `stdout:`, ...) apply to touchstone's output.
    Error(String),
}

impl ReferenceOutcome {
    /// `invalid`, `valid` or `error TEXT`.
    pub fn parse(value: &str) -> anyhow::Result<ReferenceOutcome> {
        let v = value.trim();
        match v {
            "invalid" => return Ok(ReferenceOutcome::Invalid),
            "valid" => return Ok(ReferenceOutcome::Valid),
            _ => {}
        }
        match v.strip_prefix("error") {
            Some(text) if text.starts_with(char::is_whitespace) && !text.trim().is_empty() => {
                Ok(ReferenceOutcome::Error(text.trim().to_string()))
            }
            _ => bail!("expected `invalid`, `valid` or `error TEXT`, got `{v}`"),
        }
    }

    /// True when touchstone refuses the input (the reference links it).
    pub fn touchstone_refuses(&self) -> bool {
        !matches!(self, ReferenceOutcome::Error(_))
    }
}

impl AllowedDifference {
    pub fn matches(&self, key: &str) -> bool {
        key_matches(&self.key, key)
    }
}

/// Whether the difference key `key` matches `pattern`, where each `*` stands for any text (so
/// a trailing `*` matches any rest: `data.*`, `func[*`, `behaviour[*].stdout`). The one matcher
/// of `differs-from-wasm-ld:` keys and of `--ignore`.
pub fn key_matches(pattern: &str, key: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = key.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        // No `*`: the whole key.
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// A parsed testsuite case.
#[derive(Clone, Debug, Default)]
pub struct Case {
    /// The case's name: its path relative to the testsuite root.
    pub name: String,
    /// The file holding the directives.
    pub file: PathBuf,
    /// The folder inputs are relative to.
    pub dir: PathBuf,
    pub args: Vec<String>,
    /// Link inputs in default order (the main file first).
    pub inputs: Vec<Input>,
    pub runs: Vec<Run>,
    pub stdout: Option<String>,
    pub stderr: Option<String>,
    pub stdin: Option<String>,
    pub exit: Option<i32>,
    pub trap: Option<String>,
    pub expect_errors: Vec<String>,
    pub differs: Vec<AllowedDifference>,
    /// `reference-outcome:` (only with a `status` difference; `None` means the default,
    /// [`ReferenceOutcome::Invalid`]).
    pub reference_outcome: Option<ReferenceOutcome>,
    pub cflags: Vec<String>,
    /// Difference keys (patterns, [`key_matches`]) dropped from the verdict by the command
    /// line's `--ignore`, not by the case: reported as ignored.
    pub ignore: Vec<String>,
    /// `outcome: reference`: the case expects nothing of its own; whatever the reference does
    /// (refuse, link an invalid module, trap) is the outcome a linker is compared with. For
    /// corrupted inputs (`touchstone fuzz --corrupt-one-in`), where only the verdicts count.
    pub outcome_from_reference: bool,
}

impl Case {
    /// True when the case expects the link to fail.
    pub fn expects_error(&self) -> bool {
        !self.expect_errors.is_empty()
    }

    /// True when the case allows touchstone to refuse an input wasm-ld links
    /// (`differs-from-wasm-ld: status -- reason`).
    pub fn allows_status_difference(&self) -> bool {
        self.differs.iter().any(|d| d.key == "status")
    }

    /// For a case that allows a `status` difference, what the reference does with it (its
    /// `reference-outcome:`, by default [`ReferenceOutcome::Invalid`]); `None` otherwise.
    pub fn status_difference(&self) -> Option<ReferenceOutcome> {
        self.allows_status_difference()
            .then(|| self.reference_outcome.clone().unwrap_or_default())
    }

    /// The runs to perform: the `run:` directives, or `_start` when the case states stdout,
    /// stderr, exit or trap expectations without one.
    pub fn effective_runs(&self) -> Vec<Run> {
        if self.runs.is_empty()
            && (self.stdout.is_some()
                || self.stderr.is_some()
                || self.exit.is_some()
                || self.trap.is_some())
        {
            vec![Run::Start]
        } else {
            self.runs.clone()
        }
    }

    /// Parses the case whose directives are in `file`; `name` identifies it in reports.
    pub fn parse(file: &Path, name: &str) -> anyhow::Result<Case> {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
        let main_rel = PathBuf::from(file.file_name().unwrap_or_default());
        let mut case = Case {
            name: name.to_string(),
            file: file.to_path_buf(),
            dir,
            inputs: vec![Input::File(main_rel)],
            ..Case::default()
        };
        let mut stdout: Option<String> = None;
        let mut stderr: Option<String> = None;
        let mut stdin: Option<String> = None;
        let mut outcome_line: Option<String> = None;
        for (lineno, line) in text.lines().enumerate() {
            let Some((key, value)) = directive(line) else {
                continue;
            };
            let at = || format!("{}:{}", file.display(), lineno + 1);
            let value = value.trim();
            match key {
                "args" => case.args.extend(
                    shell_words::split(value).with_context(|| format!("{}: bad args", at()))?,
                ),
                "object" | "objects" => {
                    for f in value.split_whitespace() {
                        case.inputs.push(Input::File(PathBuf::from(f)));
                    }
                }
                "archive" | "archive-no-index" => {
                    let (name, members) = value.split_once('=').ok_or_else(|| {
                        anyhow!("{}: expected `{key}: NAME.a = member.wat ...`", at())
                    })?;
                    let name = name.trim();
                    if name.is_empty() || name.contains('/') {
                        bail!("{}: bad archive name `{name}`", at());
                    }
                    case.inputs.push(Input::Archive {
                        name: name.to_string(),
                        members: members.split_whitespace().map(PathBuf::from).collect(),
                        index: key == "archive",
                    });
                }
                "run" => case
                    .runs
                    .push(parse_run(value).with_context(|| format!("{}: bad run", at()))?),
                "stdout" => push_line(&mut stdout, value),
                "stderr" => push_line(&mut stderr, value),
                "stdin" => push_line(&mut stdin, value),
                "exit" => {
                    case.exit = Some(
                        value
                            .parse()
                            .with_context(|| format!("{}: bad exit status `{value}`", at()))?,
                    )
                }
                "trap" => case.trap = Some(value.to_string()),
                "expect-error" => case.expect_errors.push(value.to_string()),
                "differs-from-wasm-ld" => {
                    let (key, reason) = value.split_once("--").ok_or_else(|| {
                        anyhow!("{}: expected `differs-from-wasm-ld: key -- reason`", at())
                    })?;
                    if key.trim().is_empty() || reason.trim().is_empty() {
                        bail!("{}: both a key and a reason are required", at());
                    }
                    case.differs.push(AllowedDifference {
                        key: key.trim().to_string(),
                        reason: reason.trim().to_string(),
                    });
                }
                "reference-outcome" => {
                    if outcome_line.is_some() {
                        bail!("{}: a second `reference-outcome`", at());
                    }
                    case.reference_outcome = Some(
                        ReferenceOutcome::parse(value)
                            .with_context(|| format!("{}: bad reference-outcome", at()))?,
                    );
                    outcome_line = Some(at());
                }
                "outcome" => match value.trim() {
                    "reference" => case.outcome_from_reference = true,
                    other => bail!("{}: unknown outcome `{other}` (only `reference`)", at()),
                },
                "cflags" => case.cflags.extend(
                    shell_words::split(value).with_context(|| format!("{}: bad cflags", at()))?,
                ),
                other => bail!("{}: unknown directive `{other}`", at()),
            }
        }
        case.stdout = stdout;
        case.stderr = stderr;
        case.stdin = stdin;
        // A `status` difference says which linker refuses: touchstone (with `expect-error`)
        // when the reference links, or the reference (`reference-outcome: error TEXT`) when
        // touchstone links.
        if let Some(at) = &outcome_line {
            if !case.allows_status_difference() {
                bail!("{at}: `reference-outcome` needs `differs-from-wasm-ld: status -- reason`");
            }
        }
        match case.status_difference() {
            Some(o) if o.touchstone_refuses() && !case.expects_error() => bail!(
                "{}: `differs-from-wasm-ld: status` with the reference linking the input \
                 (reference-outcome: invalid or valid) needs the `expect-error` touchstone \
                 refuses it with",
                file.display()
            ),
            Some(ReferenceOutcome::Error(_)) if case.expects_error() => bail!(
                "{}: `reference-outcome: error` says touchstone links the input, but the case \
                 has `expect-error`",
                file.display()
            ),
            _ => {}
        }
        Ok(case)
    }

    /// Builds every input into `work` (objects as `NAME.o`, archives under their names) and
    /// returns the link arguments: the case's args with input names replaced by their files,
    /// then the inputs not named in the args. An object whose `NAME.o` an earlier input already
    /// took is named `NAME.EXT.o` (`x.wat` then `x.hex` give `x.o` and `x.hex.o`).
    pub fn build_inputs(&self, work: &Path) -> anyhow::Result<crate::link::LinkArgs> {
        let mut names: Vec<String> = Vec::new();
        for input in &self.inputs {
            match input {
                Input::File(p) => {
                    let mut name = object_name(p);
                    if names.contains(&name) {
                        name = format!("{}.o", p.to_string_lossy().replace(['/', '\\'], "_"));
                    }
                    let out = work.join(&name);
                    self.build_object(p, &out)?;
                    names.push(name);
                }
                Input::Archive {
                    name,
                    members,
                    index,
                } => {
                    let members_dir = work.join(format!("{name}.members"));
                    std::fs::create_dir_all(&members_dir)?;
                    let mut files: Vec<PathBuf> = Vec::new();
                    for m in members {
                        let mut out = members_dir.join(object_name(m));
                        if files.contains(&out) {
                            out = members_dir.join(format!(
                                "{}.o",
                                m.to_string_lossy().replace(['/', '\\'], "_")
                            ));
                        }
                        self.build_object(m, &out)?;
                        files.push(out);
                    }
                    build_archive(&self.file, &work.join(name), &files, *index)?;
                    names.push(name.clone());
                }
            }
        }
        let mut used = vec![false; names.len()];
        let mut args: Vec<String> = self
            .args
            .iter()
            .map(|a| {
                if let Some(i) = self.inputs.iter().position(|inp| input_named(inp, a)) {
                    used[i] = true;
                    names[i].clone()
                } else if let Some((option, i)) = a.split_once('=').and_then(|(o, v)| {
                    // `--option=FILE` naming an input (--allow-undefined-file=list.txt).
                    let i = self.inputs.iter().position(|inp| input_named(inp, v))?;
                    Some((o, i))
                }) {
                    used[i] = true;
                    format!("{option}={}", names[i])
                } else {
                    a.clone()
                }
            })
            .collect();
        for (i, n) in names.iter().enumerate() {
            if !used[i] {
                args.push(n.clone());
            }
        }
        Ok(crate::link::LinkArgs {
            all: args,
            inputs: names,
        })
    }

    /// Turns one input file into an object file at `out`.
    fn build_object(&self, rel: &Path, out: &Path) -> anyhow::Result<()> {
        let src = self.dir.join(rel);
        let ext = src.extension().and_then(|e| e.to_str()).unwrap_or("");
        let ctx = || format!("{}: input {}", self.file.display(), rel.display());
        match ext {
            "wat" => {
                let text = std::fs::read_to_string(&src)
                    .with_context(|| format!("cannot read {}", src.display()))
                    .with_context(ctx)?;
                let bytes = crate::asm::assemble(&text, &src)
                    .map_err(|e| anyhow!("{e}"))
                    .with_context(|| format!("cannot assemble {}", src.display()))?;
                std::fs::write(out, bytes)?;
            }
            "c" => {
                let mut cmd = Command::new("clang-19");
                cmd.args([
                    "--target=wasm32-wasi",
                    "--sysroot=/usr",
                    "-nostdlibinc",
                    "-isystem",
                    "/usr/include/wasm32-wasi",
                    "-O1",
                    "-c",
                ])
                .args(&self.cflags)
                .arg(&src)
                .arg("-o")
                .arg(out);
                run_tool(cmd, "clang-19").with_context(ctx)?;
            }
            "s" => {
                // A case linked with -mwasm64 assembles its `.s` inputs for wasm64.
                let wasm64 = self.args.iter().any(|a| a == "-mwasm64");
                let triple = if wasm64 {
                    "-triple=wasm64-unknown-unknown"
                } else {
                    "-triple=wasm32-unknown-unknown"
                };
                let mut cmd = Command::new("llvm-mc-19");
                cmd.args([triple, "-filetype=obj"])
                    .arg(&src)
                    .arg("-o")
                    .arg(out);
                run_tool(cmd, "llvm-mc-19").with_context(ctx)?;
            }
            "yaml" => {
                let mut cmd = Command::new("yaml2obj-19");
                cmd.arg(&src).arg("-o").arg(out);
                run_tool(cmd, "yaml2obj-19").with_context(ctx)?;
            }
            "hex" => {
                let text = std::fs::read_to_string(&src)
                    .with_context(|| format!("cannot read {}", src.display()))?;
                std::fs::write(out, decode_hex(&text).with_context(ctx)?)?;
            }
            _ => {
                std::fs::copy(&src, out)
                    .with_context(|| format!("cannot copy {}", src.display()))
                    .with_context(ctx)?;
            }
        }
        Ok(())
    }
}

fn input_named(input: &Input, arg: &str) -> bool {
    match input {
        Input::File(p) => p.to_str() == Some(arg),
        Input::Archive { name, .. } => name == arg,
    }
}

/// `helper.wat` -> `helper.o`; `sub/x.c` -> `sub_x.o`; `.o` and archives keep their names.
/// Builds the archive `archive` of `files` (in order) as `llvm-ar-19 rcs` (`rcS` without
/// `index`) would: in process ([`crate::ar`]) when every member's index entries are certain,
/// else with llvm-ar-19 itself (which also refuses a member it cannot read when asked for an
/// index). `case` names the case in errors.
fn build_archive(
    case: &Path,
    archive: &Path,
    files: &[PathBuf],
    index: bool,
) -> anyhow::Result<()> {
    let _ = std::fs::remove_file(archive);
    let mut members = Vec::with_capacity(files.len());
    for f in files {
        let bytes = std::fs::read(f).with_context(|| format!("cannot read {}", f.display()))?;
        let symbols = if index {
            match crate::ar::index_symbols(&bytes) {
                Ok(s) => s,
                Err(_) => return llvm_ar(case, archive, files, index),
            }
        } else {
            Vec::new()
        };
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned());
        members.push(crate::ar::Member {
            name: name.unwrap_or_default(),
            bytes,
            symbols,
        });
    }
    std::fs::write(archive, crate::ar::write(&members, index))
        .with_context(|| format!("cannot write {}", archive.display()))
}

/// Builds the archive with llvm-ar-19 (`S`: no symbol index; llvm-ar reads every member to
/// build one, and refuses a member it cannot read).
fn llvm_ar(case: &Path, archive: &Path, files: &[PathBuf], index: bool) -> anyhow::Result<()> {
    let output = Command::new("llvm-ar-19")
        .arg(if index { "rcs" } else { "rcS" })
        .arg(archive)
        .args(files)
        .output()
        .context("cannot run llvm-ar-19 (install llvm-19)")?;
    if !output.status.success() {
        let name = archive.file_name().unwrap_or_default().to_string_lossy();
        bail!(
            "{}: llvm-ar-19 failed building {name}: {}",
            case.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

fn object_name(p: &Path) -> String {
    let flat = p.to_string_lossy().replace(['/', '\\'], "_");
    match p.extension().and_then(|e| e.to_str()) {
        Some("wat" | "c" | "s" | "yaml" | "hex") => {
            let stem = flat.rsplit_once('.').map(|(s, _)| s).unwrap_or(&flat);
            format!("{stem}.o")
        }
        _ => flat,
    }
}

fn run_tool(mut cmd: Command, tool: &str) -> anyhow::Result<()> {
    let output = cmd
        .output()
        .with_context(|| format!("cannot run {tool}: is it installed?"))?;
    if !output.status.success() {
        bail!(
            "{tool} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// Decodes hex digits; whitespace is ignored and `#` starts a comment to the end of the line.
pub fn decode_hex(text: &str) -> anyhow::Result<Vec<u8>> {
    let mut digits = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("");
        for c in line.chars().filter(|c| !c.is_whitespace()) {
            let d = c
                .to_digit(16)
                .ok_or_else(|| anyhow!("line {}: `{c}` is not a hex digit", n + 1))?;
            digits.push(d as u8);
        }
    }
    if digits.len() % 2 != 0 {
        bail!("odd number of hex digits");
    }
    Ok(digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect())
}

fn push_line(target: &mut Option<String>, value: &str) {
    let s = target.get_or_insert_with(String::new);
    s.push_str(&unescape(value));
    s.push('\n');
}

/// `\n`, `\t`, `\\`, `\xNN` escapes in expected text.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some('x') => {
                let h: String = chars.by_ref().take(2).collect();
                match u8::from_str_radix(&h, 16) {
                    Ok(b) => out.push(b as char),
                    Err(_) => {
                        out.push_str("\\x");
                        out.push_str(&h);
                    }
                }
            }
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Splits a directive line (`;;! key: value`, `//! key: value`, `#! key: value`).
pub fn directive(line: &str) -> Option<(&str, &str)> {
    let t = line.trim_start();
    let rest = t
        .strip_prefix(";;!")
        .or_else(|| t.strip_prefix("//!"))
        .or_else(|| t.strip_prefix("#!"))?;
    let (key, value) = rest.split_once(':')?;
    let key = key.trim();
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    Some((key, value))
}

/// `_start` or `call NAME ARGS... [-> RESULTS...]`.
pub fn parse_run(value: &str) -> anyhow::Result<Run> {
    let v = value.trim();
    if v == "_start" {
        return Ok(Run::Start);
    }
    let Some(rest) = v.strip_prefix("call ") else {
        bail!("expected `_start` or `call NAME ARGS... [-> RESULTS...]`, got `{v}`");
    };
    let (call, results) = match rest.split_once("->") {
        Some((c, r)) => (
            c,
            Some(r.split_whitespace().map(String::from).collect::<Vec<_>>()),
        ),
        None => (rest, None),
    };
    let mut words = call.split_whitespace();
    let name = words
        .next()
        .ok_or_else(|| anyhow!("`call` needs an export name"))?
        .to_string();
    Ok(Run::Call {
        name,
        args: words.map(String::from).collect(),
        results,
    })
}

fn has_directives(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .map(|t| t.lines().any(|l| directive(l).is_some()))
        .unwrap_or(false)
}

/// Finds every case under `root` (sorted by name): folders with a main file, and `.wat`/`.c`/
/// `.s` files with at least one directive outside such folders.
pub fn discover(root: &Path) -> anyhow::Result<Vec<Case>> {
    let mut found = Vec::new();
    walk(root, root, &mut found)?;
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

fn walk(root: &Path, dir: &Path, found: &mut Vec<Case>) -> anyhow::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    let rel = |p: &Path| {
        p.strip_prefix(root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    if dir != root {
        for m in MAIN_FILES {
            let main = dir.join(m);
            if main.is_file() {
                found.push(Case::parse(&main, &rel(dir))?);
                return Ok(());
            }
        }
    }
    for p in entries {
        if p.is_dir() {
            walk(root, &p, found)?;
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("wat" | "c" | "s")
        ) && has_directives(&p)
        {
            found.push(Case::parse(&p, &rel(&p))?);
        }
    }
    Ok(())
}

/// `testsuite/known-failures.txt`: one case name per line, then whitespace and a reason;
/// `#` starts a comment.
pub fn read_known_failures(path: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    Ok(text
        .lines()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(char::is_whitespace) {
            Some((c, r)) => (c.to_string(), r.trim().to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_parse() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("c.wat");
        std::fs::write(
            &f,
            ";;! args: --export=foo --no-entry\n\
             ;;! object: helper.wat b.s\n\
             ;;! archive: libm.a = sin.wat cos.wat\n\
             ;;! archive-no-index: libz.a = z.hex\n\
             ;;! run: call foo 1 -2 -> 3\n\
             ;;! run: _start\n\
             ;;! stdout: hello\n\
             ;;! stdout: a\\tb\n\
             ;;! exit: 3\n\
             ;;! expect-error: undefined symbol: bar\n\
             ;;! differs-from-wasm-ld: data.* -- layout\n\
             (module)\n",
        )
        .unwrap();
        let c = Case::parse(&f, "c.wat").unwrap();
        assert_eq!(c.args, ["--export=foo", "--no-entry"]);
        assert_eq!(c.inputs.len(), 5);
        assert_eq!(
            c.inputs[3],
            Input::Archive {
                name: "libm.a".into(),
                members: vec!["sin.wat".into(), "cos.wat".into()],
                index: true,
            }
        );
        assert_eq!(
            c.inputs[4],
            Input::Archive {
                name: "libz.a".into(),
                members: vec!["z.hex".into()],
                index: false,
            }
        );
        assert_eq!(
            c.runs[0],
            Run::Call {
                name: "foo".into(),
                args: vec!["1".into(), "-2".into()],
                results: Some(vec!["3".into()])
            }
        );
        assert_eq!(c.runs[1], Run::Start);
        assert_eq!(c.stdout.as_deref(), Some("hello\na\tb\n"));
        assert_eq!(c.exit, Some(3));
        assert_eq!(c.expect_errors, ["undefined symbol: bar"]);
        assert!(c.differs[0].matches("data.rodata.offset"));
        assert!(!c.differs[0].matches("func[x].body"));
    }

    #[test]
    fn keys_match_patterns_with_stars_anywhere() {
        for (pattern, key) in [
            ("status", "status"),
            ("data.*", "data.rodata.bytes@0x40"),
            ("func[*", "func[foo].body"),
            ("func[*].body", "func[foo].body"),
            ("*.init", "global.__stack_pointer.init"),
            ("*", "anything"),
            ("behaviour[*]*stdout", "behaviour[_start].stdout"),
            ("a*a", "aa"),
        ] {
            assert!(key_matches(pattern, key), "{pattern} {key}");
        }
        for (pattern, key) in [
            ("status", "status.reason"),
            ("data.*", "memory.initial"),
            ("func[*].body", "func[foo].locals"),
            ("*.init", "global.g.init.x"),
            ("a*a", "a"),
            ("", "x"),
        ] {
            assert!(!key_matches(pattern, key), "{pattern} {key}");
        }
    }

    #[test]
    fn bad_directives_are_errors_with_line_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("c.wat");
        std::fs::write(&f, "(module)\n;;! frobnicate: x\n").unwrap();
        let e = format!("{:#}", Case::parse(&f, "c").unwrap_err());
        assert!(e.contains("c.wat:2") && e.contains("frobnicate"), "{e}");
        std::fs::write(&f, ";;! differs-from-wasm-ld: key\n").unwrap();
        assert!(Case::parse(&f, "c").is_err());
    }

    #[test]
    fn reference_outcomes_parse_and_need_a_status_difference() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("c.wat");
        let parse = |text: &str| {
            std::fs::write(&f, text).unwrap();
            Case::parse(&f, "c")
        };
        let status = ";;! differs-from-wasm-ld: status -- why\n";
        let c = parse(&format!("{status};;! expect-error: bad\n(module)\n")).unwrap();
        assert_eq!(c.status_difference(), Some(ReferenceOutcome::Invalid));
        let c = parse(&format!(
            "{status};;! reference-outcome: valid\n;;! expect-error: bad\n(module)\n"
        ))
        .unwrap();
        assert_eq!(c.status_difference(), Some(ReferenceOutcome::Valid));
        let c = parse(&format!(
            "{status};;! reference-outcome: error  reloc section ended prematurely \n(module)\n"
        ))
        .unwrap();
        assert_eq!(
            c.status_difference(),
            Some(ReferenceOutcome::Error(
                "reloc section ended prematurely".into()
            ))
        );
        let no_status = parse(";;! expect-error: bad\n(module)\n").unwrap();
        assert_eq!(no_status.status_difference(), None);
        for (text, says) in [
            // reference-outcome without a status difference
            (";;! reference-outcome: valid\n;;! expect-error: x\n", "needs `differs"),
            // touchstone links when the reference refuses: no expect-error
            (
                ";;! differs-from-wasm-ld: status -- r\n;;! reference-outcome: error x\n;;! expect-error: x\n",
                "has `expect-error`",
            ),
            // touchstone refuses when the reference links: an expect-error is required
            (";;! differs-from-wasm-ld: status -- r\n", "needs the `expect-error`"),
            (
                ";;! differs-from-wasm-ld: status -- r\n;;! reference-outcome: valid\n",
                "needs the `expect-error`",
            ),
            (
                ";;! differs-from-wasm-ld: status -- r\n;;! reference-outcome: error\n",
                "bad reference-outcome",
            ),
            (
                ";;! differs-from-wasm-ld: status -- r\n;;! reference-outcome: links\n",
                "bad reference-outcome",
            ),
            (
                ";;! differs-from-wasm-ld: status -- r\n;;! reference-outcome: valid\n;;! reference-outcome: valid\n;;! expect-error: x\n",
                "second",
            ),
        ] {
            let e = format!("{:#}", parse(text).unwrap_err());
            assert!(e.contains(says), "{text:?}: {e}");
        }
    }

    #[test]
    fn hex_inputs_decode() {
        assert_eq!(
            decode_hex("00 61 73 6d # magic\n0100 0000").unwrap(),
            b"\0asm\x01\0\0\0"
        );
        assert!(decode_hex("0").is_err());
        assert!(decode_hex("zz").is_err());
    }
}
