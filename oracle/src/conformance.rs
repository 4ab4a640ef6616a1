//! The conformance run: every case linked with each linker and with the reference, compared
//! level by level, and reported as a table (text, Markdown or JSON) of case x linker -> highest
//! level reached and first difference, with totals per linker. Each case keeps its work
//! directory (inputs, outputs, linker messages), and every divergence ends with the shell
//! commands that reproduce it.

use crate::case::Case;
use crate::check::{check_expectations, check_reference_expectations};
use crate::compare::{compare, Comparison, Level};
use crate::link::{LinkResult, Linker};
use anyhow::Context as _;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    #[value(alias = "md")]
    Markdown,
    /// The Markdown table and totals without the divergences.
    #[value(alias = "md-table")]
    MarkdownTable,
    /// One line per linker: how many cases conform, how many are byte-identical, refused alike
    /// or differ in status by design (refused or linked), and what the others first differ in
    /// (the table README shows).
    Summary,
    Json,
    /// JUnit XML for CI: one testsuite per linker, one testcase per case, a failure with the
    /// first difference for each case that does not conform.
    Junit,
}

impl std::str::FromStr for Format {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> anyhow::Result<Format> {
        <Format as clap::ValueEnum>::from_str(s, false).map_err(|_| {
            anyhow::anyhow!(
                "unknown format `{s}` (text, markdown, markdown-table, summary, json, junit)"
            )
        })
    }
}

/// How much of a linker's refusal a table cell quotes.
const STATUS_CHARS: usize = 60;

/// One linker's result on one case.
#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    pub linker: String,
    /// `None` when the harness could not compare (see `trouble`).
    pub comparison: Option<Comparison>,
    /// Harness trouble (e.g. the linker could not be started).
    pub trouble: Option<String>,
    /// The linker's exit status (`None` when killed: a signal or the time limit).
    pub exit: Option<i32>,
    /// The case's own expectations this linker's output misses.
    pub expectation_failures: Vec<String>,
    /// Shell commands reproducing this link and the comparison.
    pub reproduce: Vec<String>,
}

impl Cell {
    /// True when every applicable level passed.
    pub fn conforms(&self) -> bool {
        self.comparison.as_ref().is_some_and(|c| c.complete)
    }

    fn summary(&self) -> String {
        if let Some(t) = &self.trouble {
            return format!("trouble: {}", first_line(t));
        }
        let Some(c) = &self.comparison else {
            return "?".into();
        };
        if c.complete {
            // Every level passed; say how close the bytes are.
            let mut s = if c.both_refused {
                "refused alike".to_string()
            } else if let Some(d) = c.allowed.iter().find(|d| d.key == "status") {
                // Which side refused: touchstone (`refused by design`), or the reference
                // (`reference-outcome: error`, `linked by design`).
                if d.a == "linked" {
                    "linked by design".to_string()
                } else {
                    "refused by design".to_string()
                }
            } else if c.bytes_identical {
                "identical".to_string()
            } else {
                "equivalent+behaviour".to_string()
            };
            if !c.allowed.is_empty() {
                s.push_str(&format!(" ({} allowed)", c.allowed.len()));
            }
            if !c.ignored.is_empty() {
                s.push_str(&format!(" ({} ignored)", c.ignored.len()));
            }
            return s;
        }
        let mut s = c.level.to_string();
        if let Some(d) = c.first_difference() {
            s.push_str(&format!(": {}", d.key));
            // A refusal or a different reason: say what this linker said.
            if d.key == "status" || d.key == "status.reason" {
                let said: String = d.a.chars().take(STATUS_CHARS).collect();
                let more = if d.a.chars().count() > STATUS_CHARS {
                    "..."
                } else {
                    ""
                };
                s.push_str(&format!(" ({said}{more})"));
            }
        }
        if !c.ignored.is_empty() {
            s.push_str(&format!(" ({} ignored)", c.ignored.len()));
        }
        // Below the behaviour level, still say whether the runs agreed: a layout difference
        // with equal behaviour is not a wrong program.
        if c.level < Level::Behaviour && c.behaviour_runs > 0 {
            if c.passed.contains(&Level::Behaviour) {
                s.push_str("; behaviour same");
            } else if let Some(d) = c
                .differences
                .iter()
                .find(|d| d.key.starts_with("behaviour"))
            {
                if c.first_difference().map(|f| &f.key) != Some(&d.key) {
                    s.push_str(&format!("; {} differs", d.key));
                }
            }
        }
        s
    }
}

/// One case's results.
#[derive(Clone, Debug, Serialize)]
pub struct CaseReport {
    pub case: String,
    /// The case's expectations the reference misses (a wrong case when non-empty).
    pub reference_failures: Vec<String>,
    /// Trouble building the inputs or linking with the reference.
    pub trouble: Option<String>,
    pub work: PathBuf,
    pub cells: Vec<Cell>,
}

/// Per linker: its name, how many cases reached each level as their highest, and how many
/// conform.
pub type Totals = (String, Vec<(Level, usize)>, usize);

/// The whole report.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub reference: String,
    /// Which reference, commit and date the report comes from.
    pub provenance: Provenance,
    pub linkers: Vec<String>,
    pub cases: Vec<CaseReport>,
    /// The `--ignore` patterns (the cases' `ignore`), and how many differences they dropped.
    pub ignore: Vec<String>,
    pub ignored: usize,
}

/// Where a report comes from: the reference's own `--version` line (so that a run against
/// another LLVM shows as such), the commit of the repository the run started in, and the date.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Provenance {
    pub reference_version: String,
    /// `git rev-parse --short HEAD`, with `+local changes` when tracked files differ from it;
    /// `unknown` outside a repository.
    pub commit: String,
    /// UTC, `YYYY-MM-DD HH:MM UTC`.
    pub date: String,
}

impl Provenance {
    /// Asks the reference for its version and git for the commit of the current directory.
    pub fn gather(reference: &Linker) -> Provenance {
        Provenance {
            reference_version: linker_version(reference),
            commit: git_commit(Path::new(".")),
            date: utc_date(std::time::SystemTime::now()),
        }
    }

    /// One line: `reference rust-lld: LLD 22.1.2 (...); commit 1a2b3c4; 2026-12-07 06:30 UTC`.
    pub fn line(&self, reference: &str) -> String {
        format!(
            "reference {reference}: {}; commit {}; {}",
            self.reference_version, self.commit, self.date
        )
    }
}

/// The first line `linker --version` prints (wasm-ld prints its version and stops), or
/// `unknown (why)`.
pub fn linker_version(linker: &Linker) -> String {
    let args = crate::link::LinkArgs {
        all: vec!["--version".into()],
        inputs: Vec::new(),
    };
    let command = linker.shell_command(&args, "/dev/null");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(&command)
        .stdin(std::process::Stdio::null())
        .output();
    match out {
        Ok(o) => {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            match text.lines().map(str::trim).find(|l| !l.is_empty()) {
                Some(line) if o.status.success() => line.to_string(),
                Some(line) => format!("unknown (`--version` failed: {line})"),
                None => "unknown (`--version` printed nothing)".into(),
            }
        }
        Err(e) => format!("unknown (cannot run `{command}`: {e})"),
    }
}

/// The short commit `dir` is checked out at, `+local changes` when tracked files differ.
pub fn git_commit(dir: &Path) -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    match git(&["rev-parse", "--short", "HEAD"]) {
        Some(commit) if !commit.is_empty() => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            if dirty {
                format!("{commit}+local changes")
            } else {
                commit
            }
        }
        _ => "unknown".into(),
    }
}

/// `time` as `YYYY-MM-DD HH:MM UTC` (the proleptic Gregorian calendar, from days since 1970).
pub fn utc_date(time: std::time::SystemTime) -> String {
    let secs = time
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    // Shift to years starting on 1 March, so that the leap day ends a year: each 400-year era
    // has 146097 days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153; // 0 = March
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}

/// What to run.
#[derive(Clone, Debug)]
pub struct Options {
    pub linkers: Vec<Linker>,
    pub reference: Linker,
    pub cases: Vec<Case>,
    /// Parent of the per-case work directories (kept after the run).
    pub work: PathBuf,
    pub jobs: usize,
    /// Show a progress bar (only drawn when stderr is a terminal).
    pub progress: bool,
}

/// Where the reference writes its output in a case's work directory. Every linker writes a
/// file named `out.wasm` (in its own folder) because wasm-ld puts the file name in the module.
pub const REFERENCE_OUTPUT: &str = "reference/out.wasm";

fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Runs one case with every linker.
pub fn run_case(case: &Case, opts: &Options) -> CaseReport {
    let work = opts.work.join(sanitize(&case.name));
    let mut report = CaseReport {
        case: case.name.clone(),
        reference_failures: Vec::new(),
        trouble: None,
        work: work.clone(),
        cells: Vec::new(),
    };
    let prepared = (|| -> anyhow::Result<(crate::link::LinkArgs, LinkResult)> {
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir_all(&work)
            .with_context(|| format!("cannot create {}", work.display()))?;
        let args = case.build_inputs(&work)?;
        let reference = opts.reference.link(&args, &work, REFERENCE_OUTPUT)?;
        Ok((args, reference))
    })();
    let (args, reference) = match prepared {
        Ok(p) => p,
        Err(e) => {
            report.trouble = Some(format!("{e:#}"));
            return report;
        }
    };
    report.reference_failures = check_reference_expectations(case, &reference);
    for linker in &opts.linkers {
        let mut dir = sanitize(&linker.name);
        if dir == "reference" {
            dir = "linker-reference".into();
        }
        let output = format!("{dir}/out.wasm");
        let mut cell = Cell {
            linker: linker.name.clone(),
            comparison: None,
            trouble: None,
            exit: None,
            expectation_failures: Vec::new(),
            reproduce: vec![
                reference.command.clone(),
                format!(
                    "cd {} && {}",
                    shell_words::quote(&work.to_string_lossy()),
                    linker.shell_command(&args, &output)
                ),
            ],
        };
        match linker.link(&args, &work, &output) {
            Ok(result) => {
                cell.exit = result.code;
                if result.success && reference.success {
                    cell.reproduce.push(format!(
                        "touchstone diff {} {}",
                        shell_words::quote(&work.join(&output).to_string_lossy()),
                        shell_words::quote(&work.join(REFERENCE_OUTPUT).to_string_lossy())
                    ));
                }
                cell.expectation_failures = check_expectations(case, &result);
                cell.comparison = Some(compare(case, &result, &reference));
            }
            Err(e) => cell.trouble = Some(format!("{e:#}")),
        }
        report.cells.push(cell);
    }
    report
}

/// Runs every case (in parallel with `jobs` threads) and collects the report in case order.
pub fn run(opts: &Options) -> Report {
    let bar = if opts.progress && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let b = indicatif::ProgressBar::new(opts.cases.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed} {msg}")
        {
            b.set_style(style);
        }
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<CaseReport>>> = Mutex::new(vec![None; opts.cases.len()]);
    std::thread::scope(|s| {
        for _ in 0..opts.jobs.max(1) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(case) = opts.cases.get(i) else { break };
                bar.set_message(case.name.clone());
                let r = run_case(case, opts);
                if let Ok(mut all) = results.lock() {
                    all[i] = Some(r);
                }
                bar.inc(1);
            });
        }
    });
    bar.finish_and_clear();
    let cases = results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect();
    let mut ignore: Vec<String> = Vec::new();
    for p in opts.cases.iter().flat_map(|c| &c.ignore) {
        if !ignore.contains(p) {
            ignore.push(p.clone());
        }
    }
    let mut report = Report {
        reference: opts.reference.name.clone(),
        provenance: Provenance::gather(&opts.reference),
        linkers: opts.linkers.iter().map(|l| l.name.clone()).collect(),
        cases,
        ignore,
        ignored: 0,
    };
    report.ignored = report.ignored_differences().count();
    report
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

impl Report {
    /// Every difference `--ignore` dropped.
    pub fn ignored_differences(&self) -> impl Iterator<Item = &crate::model::Difference> {
        self.cases
            .iter()
            .flat_map(|c| &c.cells)
            .filter_map(|x| x.comparison.as_ref())
            .flat_map(|c| &c.ignored)
    }

    /// `N differences ignored by --ignore PATTERNS: KEY (n), ...` (the most frequent keys, data
    /// offsets dropped), or nothing when `--ignore` was not given.
    pub fn ignored_line(&self) -> Option<String> {
        if self.ignore.is_empty() {
            return None;
        }
        let mut keys: Vec<(String, usize)> = Vec::new();
        for d in self.ignored_differences() {
            let key = d.key.split('@').next().unwrap_or("").to_string();
            match keys.iter_mut().find(|(k, _)| *k == key) {
                Some((_, n)) => *n += 1,
                None => keys.push((key, 1)),
            }
        }
        keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut line = format!(
            "{} differences ignored by --ignore {}",
            self.ignored,
            self.ignore.join(" --ignore ")
        );
        if !keys.is_empty() {
            let shown: Vec<String> = keys
                .iter()
                .take(6)
                .map(|(k, n)| format!("{k} ({n})"))
                .collect();
            line.push_str(&format!(": {}", shown.join(", ")));
            if keys.len() > 6 {
                line.push_str(", ...");
            }
        }
        Some(line)
    }

    /// True when every linker conforms on every case and the reference meets every case.
    pub fn all_conform(&self) -> bool {
        self.cases.iter().all(|c| {
            c.trouble.is_none()
                && c.reference_failures.is_empty()
                && c.cells.iter().all(|x| x.conforms())
        })
    }

    /// Per linker: how many cases reached each level (as highest), and how many conform.
    pub fn totals(&self) -> Vec<Totals> {
        self.linkers
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let cells: Vec<&Cell> = self.cases.iter().filter_map(|c| c.cells.get(i)).collect();
                let mut per = Vec::new();
                for l in [
                    Level::None,
                    Level::Status,
                    Level::Valid,
                    Level::Equivalent,
                    Level::Identical,
                    Level::Behaviour,
                ] {
                    let n = cells
                        .iter()
                        .filter(|c| {
                            c.comparison
                                .as_ref()
                                .map(|x| x.level)
                                .unwrap_or(Level::None)
                                == l
                        })
                        .count();
                    per.push((l, n));
                }
                let ok = cells.iter().filter(|c| c.conforms()).count();
                (name.clone(), per, ok)
            })
            .collect()
    }

    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => serde_json::to_string_pretty(self)
                .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")),
            Format::Text => self.render_table(false, true),
            Format::Markdown => self.render_table(true, true),
            Format::MarkdownTable => self.render_table(true, false),
            Format::Summary => self.render_summary(),
            Format::Junit => self.render_junit(),
        }
    }

    /// JUnit XML: a testsuite per linker (the reference, its version, the commit, the date and
    /// the `--ignore` patterns as properties), a testcase per case (classname its folder), a
    /// failure (the cell's summary, the level reached, the differences and the commands that
    /// reproduce it) for each case that does not conform, an error for harness trouble or a
    /// case the reference misses; what `--ignore` dropped in `<system-out>`.
    fn render_junit(&self) -> String {
        use crate::junit::{TestCase, TestSuite};
        let mut properties = vec![
            ("reference".to_string(), self.reference.clone()),
            (
                "reference-version".to_string(),
                self.provenance.reference_version.clone(),
            ),
            ("commit".to_string(), self.provenance.commit.clone()),
            ("date".to_string(), self.provenance.date.clone()),
        ];
        for p in &self.ignore {
            properties.push(("ignore".to_string(), p.clone()));
        }
        let suites: Vec<TestSuite> = self
            .linkers
            .iter()
            .enumerate()
            .map(|(i, linker)| TestSuite {
                name: linker.clone(),
                properties: properties.clone(),
                cases: self
                    .cases
                    .iter()
                    .map(|c| {
                        let (classname, name) = match c.case.rsplit_once('/') {
                            Some((folder, name)) => (folder.to_string(), name.to_string()),
                            None => ("cases".to_string(), c.case.clone()),
                        };
                        let mut output = String::new();
                        let outcome = self.junit_outcome(c, c.cells.get(i), &mut output);
                        TestCase {
                            classname,
                            name,
                            outcome,
                            output,
                        }
                    })
                    .collect(),
            })
            .collect();
        crate::junit::render("touchstone conformance", &suites)
    }

    /// One case's JUnit outcome for one linker; what else to say goes to `output`.
    fn junit_outcome(
        &self,
        c: &CaseReport,
        cell: Option<&Cell>,
        output: &mut String,
    ) -> crate::junit::Outcome {
        use crate::junit::Outcome;
        if let Some(t) = &c.trouble {
            return Outcome::Error {
                message: format!("trouble: {}", first_line(t)),
                text: t.clone(),
            };
        }
        if !c.reference_failures.is_empty() {
            return Outcome::Error {
                message: format!("wrong case: reference {} misses it", self.reference),
                text: c.reference_failures.join("\n"),
            };
        }
        let Some(cell) = cell else {
            return Outcome::Error {
                message: "no result".into(),
                text: String::new(),
            };
        };
        if let Some(t) = &cell.trouble {
            return Outcome::Error {
                message: format!("trouble: {}", first_line(t)),
                text: t.clone(),
            };
        }
        let Some(cmp) = &cell.comparison else {
            return Outcome::Error {
                message: "not compared".into(),
                text: String::new(),
            };
        };
        for d in &cmp.ignored {
            let _ = writeln!(output, "ignored by --ignore: {d}");
        }
        for f in &cell.expectation_failures {
            let _ = writeln!(output, "expectation: {f}");
        }
        if cell.conforms() {
            return Outcome::Passed;
        }
        let mut text = String::new();
        for d in &cmp.differences {
            let _ = writeln!(text, "{d}");
        }
        let _ = writeln!(text, "work: {}\nreproduce:", c.work.display());
        for r in &cell.reproduce {
            let _ = writeln!(text, "  {r}");
        }
        Outcome::Failure {
            message: cell.summary(),
            kind: format!("level reached: {}", cmp.level),
            text,
        }
    }

    /// The summary README shows: which run it is (cases, reference and its version, commit,
    /// date), then one row per linker.
    fn render_summary(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} cases; {}.\n",
            self.cases.len(),
            self.provenance.line(&self.reference)
        );
        let _ = writeln!(
            out,
            "| linker | conforms | byte-identical | refused alike (same reason) | refused or linked by design | otherwise (first difference) | of those, links and runs alike |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|---|");
        for (i, name) in self.linkers.iter().enumerate() {
            let cells: Vec<&Cell> = self.cases.iter().filter_map(|c| c.cells.get(i)).collect();
            let conform = cells.iter().filter(|c| c.conforms()).count();
            let complete = |f: &dyn Fn(&Comparison) -> bool| {
                cells
                    .iter()
                    .filter_map(|c| c.comparison.as_ref())
                    .filter(|c| c.complete && f(c))
                    .count()
            };
            let identical = complete(&|c: &Comparison| c.bytes_identical);
            let alike = complete(&|c: &Comparison| c.both_refused);
            let by_design = complete(&|c: &Comparison| c.allowed.iter().any(|d| d.key == "status"));
            // The others, grouped by their first difference's key (addresses and names of
            // data offsets dropped), most frequent first.
            let mut groups: Vec<(String, usize)> = Vec::new();
            for c in cells.iter().filter(|c| !c.conforms()) {
                let key = match (&c.trouble, c.comparison.as_ref()) {
                    (Some(_), _) => "trouble".to_string(),
                    (None, Some(cmp)) => cmp
                        .first_difference()
                        .map(|d| d.key.split('@').next().unwrap_or("").to_string())
                        .unwrap_or_else(|| cmp.level.to_string()),
                    (None, None) => "?".to_string(),
                };
                match groups.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, n)) => *n += 1,
                    None => groups.push((key, 1)),
                }
            }
            groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let others = cells.len() - conform;
            let mut otherwise = others.to_string();
            if others > 0 {
                let shown: Vec<String> = groups
                    .iter()
                    .take(4)
                    .map(|(k, n)| format!("{n} `{}`", k.replace('|', "\\|")))
                    .collect();
                let rest: usize = groups.iter().skip(4).map(|g| g.1).sum();
                otherwise.push_str(&format!(": {}", shown.join(", ")));
                if rest > 0 {
                    otherwise.push_str(&format!(", {rest} other"));
                }
            }
            let runs_alike = cells
                .iter()
                .filter(|c| !c.conforms())
                .filter_map(|c| c.comparison.as_ref())
                .filter(|c| runs_alike(c))
                .count();
            let _ = writeln!(
                out,
                "| {name} | {conform} / {} | {identical} | {alike} | {by_design} | {otherwise} | {runs_alike} |",
                cells.len()
            );
        }
        if let Some(line) = self.ignored_line() {
            let _ = writeln!(out, "\n{line}.");
        }
        out
    }

    fn render_table(&self, md: bool, divergences: bool) -> String {
        let mut out = String::new();
        let mut header = vec!["case".to_string()];
        header.extend(self.linkers.iter().cloned());
        let rows: Vec<Vec<String>> = self
            .cases
            .iter()
            .map(|c| {
                let mut name = c.case.clone();
                if !c.reference_failures.is_empty() {
                    name.push_str(" (WRONG CASE: reference misses it)");
                }
                let mut row = vec![name];
                if let Some(t) = &c.trouble {
                    row.extend(
                        self.linkers
                            .iter()
                            .map(|_| format!("trouble: {}", first_line(t))),
                    );
                } else {
                    row.extend(c.cells.iter().map(|x| x.summary()));
                }
                row
            })
            .collect();
        let _ = writeln!(out, "{}", self.provenance.line(&self.reference));
        let _ = writeln!(
            out,
            "cell: highest level reached (status < valid < equivalent < identical < behaviour) \
             and the first difference (with what the linker said when the status differs), \
             then whether the runs behaved the same (`behaviour same`) \
             or where they first differ; `identical`: every level passed with equal bytes; \
             `equivalent+behaviour`: every level passed, differences allowed by the case; \
             `refused alike`: both refused the link for the same reason; `refused by design`: touchstone's deliberate refusal of an input wasm-ld links, `linked by design`: touchstone deliberately links an input wasm-ld refuses (the case allows `status`; its `reference-outcome` says what wasm-ld does)"
        );
        if md {
            let _ = writeln!(out);
            let _ = writeln!(out, "| {} |", header.join(" | "));
            let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
            for r in &rows {
                let cells: Vec<String> = r.iter().map(|c| c.replace('|', "\\|")).collect();
                let _ = writeln!(out, "| {} |", cells.join(" | "));
            }
        } else {
            let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
            for r in &rows {
                for (i, c) in r.iter().enumerate() {
                    widths[i] = widths[i].max(c.chars().count());
                }
            }
            let line = |cells: &[String]| {
                cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_string()
            };
            let _ = writeln!(out, "{}", line(&header));
            for r in &rows {
                let _ = writeln!(out, "{}", line(r));
            }
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "{}totals", if md { "## " } else { "" });
        for (name, per, ok) in self.totals() {
            let levels: Vec<String> = per
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(l, n)| format!("{l} {n}"))
                .collect();
            let _ = writeln!(
                out,
                "{}{name}: {ok}/{} conform; highest level: {}",
                if md { "- " } else { "  " },
                self.cases.len(),
                levels.join(", ")
            );
        }
        if let Some(line) = self.ignored_line() {
            let _ = writeln!(out, "{}{line}", if md { "- " } else { "  " });
        }
        if !divergences {
            return out;
        }
        // Divergences with reproduction commands.
        let mut first = true;
        for c in &self.cases {
            let diverges = c.trouble.is_some()
                || !c.reference_failures.is_empty()
                || c.cells
                    .iter()
                    .any(|x| !x.conforms() || !x.expectation_failures.is_empty());
            if !diverges {
                continue;
            }
            if first {
                let _ = writeln!(out);
                let _ = writeln!(out, "{}divergences", if md { "## " } else { "" });
                first = false;
            }
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "{}{} (work: {})",
                if md { "### " } else { "== " },
                c.case,
                c.work.display()
            );
            if md {
                let _ = writeln!(out, "```");
            }
            if let Some(t) = &c.trouble {
                let _ = writeln!(out, "trouble: {t}");
            }
            for f in &c.reference_failures {
                let _ = writeln!(out, "reference {} misses the case: {f}", self.reference);
            }
            for cell in &c.cells {
                if cell.conforms() && cell.expectation_failures.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "-- {}: {}", cell.linker, cell.summary());
                if let Some(t) = &cell.trouble {
                    let _ = writeln!(out, "   trouble: {t}");
                }
                if let Some(cmp) = &cell.comparison {
                    for d in cmp.differences.iter().take(8) {
                        let _ = writeln!(out, "   {d}");
                    }
                    if cmp.differences.len() > 8 {
                        let _ = writeln!(out, "   ... {} more", cmp.differences.len() - 8);
                    }
                    for d in &cmp.ignored {
                        let _ = writeln!(out, "   ignored by --ignore: {d}");
                    }
                }
                for f in &cell.expectation_failures {
                    let _ = writeln!(out, "   expectation: {}", f.replace('\n', "\n   "));
                }
                let _ = writeln!(out, "   reproduce:");
                for r in &cell.reproduce {
                    let _ = writeln!(out, "     {r}");
                }
            }
            if md {
                let _ = writeln!(out, "```");
            }
        }
        out
    }
}

/// The default place for work directories.
pub fn default_work_dir() -> PathBuf {
    std::env::temp_dir().join(format!("touchstone-conformance-{}", std::process::id()))
}

/// Finds the cases under `dir` (see `case::discover`).
pub fn load_cases(dir: &Path) -> anyhow::Result<Vec<Case>> {
    crate::case::discover(dir)
}

/// A case a linker does not conform on, although it linked it into a valid module that ran as
/// the reference's did (at least one run compared): its faults are in the module's structure,
/// not its behaviour. The summary counts these, so a linker whose outputs all differ in some
/// detail (its own `producers` section, say) still shows how much it links right.
fn runs_alike(c: &Comparison) -> bool {
    !c.both_refused
        && c.behaviour_runs > 0
        && [Level::Status, Level::Valid, Level::Behaviour]
            .iter()
            .all(|l| c.passed.contains(l))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Difference;

    /// A case's report holding one cell.
    fn case(name: &str, cell: Cell) -> CaseReport {
        CaseReport {
            case: name.into(),
            reference_failures: Vec::new(),
            trouble: None,
            work: PathBuf::from("w"),
            cells: vec![cell],
        }
    }

    fn cell(passed: &[Level], keys: &[&str], runs: usize) -> Cell {
        let level = Level::ALL
            .iter()
            .take_while(|l| passed.contains(l))
            .last()
            .copied()
            .unwrap_or(Level::None);
        Cell {
            linker: "x".into(),
            comparison: Some(Comparison {
                level,
                passed: passed.to_vec(),
                complete: passed.len() == Level::ALL.len(),
                differences: keys
                    .iter()
                    .map(|k| Difference {
                        key: k.to_string(),
                        a: String::new(),
                        b: String::new(),
                    })
                    .collect(),
                allowed: Vec::new(),
                ignored: Vec::new(),
                both_refused: false,
                bytes_identical: false,
                behaviour_runs: runs,
            }),
            trouble: None,
            exit: Some(0),
            expectation_failures: Vec::new(),
            reproduce: Vec::new(),
        }
    }

    #[test]
    fn summaries_say_whether_the_runs_agreed_below_the_behaviour_level() {
        use Level::*;
        let same = cell(&[Status, Valid, Behaviour], &["memory.initial"], 1);
        assert_eq!(same.summary(), "valid: memory.initial; behaviour same");
        let differs = cell(
            &[Status, Valid],
            &[
                "global.g",
                "behaviour[_start].stdout",
                "behaviour[_start].exit",
            ],
            1,
        );
        assert_eq!(
            differs.summary(),
            "valid: global.g; behaviour[_start].stdout differs"
        );
        // Nothing ran: no claim about behaviour.
        let nothing = cell(&[Status, Valid, Behaviour], &["memory.initial"], 0);
        assert_eq!(nothing.summary(), "valid: memory.initial");
        let invalid = cell(&[Status], &["valid"], 0);
        assert_eq!(invalid.summary(), "status: valid");
        let mut refused = cell(&[], &["status"], 0);
        if let Some(c) = refused.comparison.as_mut() {
            c.differences[0].a = "refused: unsupported by zig: --export-all".into();
        }
        assert_eq!(
            refused.summary(),
            "none: status (refused: unsupported by zig: --export-all)"
        );
    }

    #[test]
    fn a_status_difference_by_design_says_which_side_refused() {
        use Level::*;
        let all = [Status, Valid, Equivalent, Identical, Behaviour];
        for (a, says) in [
            ("refused: x.o: bad input", "refused by design (1 allowed)"),
            ("linked", "linked by design (1 allowed)"),
        ] {
            let mut by_design = cell(&all, &[], 0);
            if let Some(c) = by_design.comparison.as_mut() {
                c.allowed.push(Difference {
                    key: "status".into(),
                    a: a.into(),
                    b: String::new(),
                });
            }
            assert_eq!(by_design.summary(), says);
        }
    }

    #[test]
    fn the_summary_counts_cases_that_differ_but_run_alike() {
        use Level::{Behaviour, Status, Valid};
        let report = Report {
            reference: "rust-lld".into(),
            provenance: Provenance::default(),
            linkers: vec!["x".into()],
            cases: vec![
                // Differs in structure, runs alike: counted.
                case(
                    "a",
                    cell(&[Status, Valid, Behaviour], &["custom.producers"], 1),
                ),
                // Runs differently, or nothing ran, or invalid: not counted.
                case("b", cell(&[Status, Valid], &["memory.initial"], 1)),
                case("c", cell(&[Status, Valid, Behaviour], &["export.f"], 0)),
                case("d", cell(&[Status, Behaviour], &["valid"], 1)),
                // Conforms: not counted either (it is in `conforms`).
                case("e", cell(&Level::ALL, &[], 1)),
            ],
            ignore: Vec::new(),
            ignored: 0,
        };
        let summary = report.render(Format::Summary);
        let row = summary.lines().find(|l| l.starts_with("| x |")).unwrap();
        assert!(row.starts_with("| x | 1 / 5 |"), "{row}");
        assert!(row.ends_with(" | 1 |"), "{row}");
    }

    #[test]
    fn ignored_differences_are_reported_never_silently() {
        let all = Level::ALL;
        let ignored = |key: &str| Difference {
            key: key.into(),
            a: "<a>".into(),
            b: "b & c".into(),
        };
        let mut conforms = cell(&all, &[], 1);
        let mut diverges = cell(&[Level::Status, Level::Valid], &["func[f].body"], 1);
        for (c, keys) in [
            (&mut conforms, &["export.x@0x10", "export.y"][..]),
            (&mut diverges, &["export.x"][..]),
        ] {
            if let Some(cmp) = c.comparison.as_mut() {
                cmp.ignored = keys.iter().map(|k| ignored(k)).collect();
            }
        }
        assert_eq!(conforms.summary(), "equivalent+behaviour (2 ignored)");
        assert_eq!(diverges.summary(), "valid: func[f].body (1 ignored)");
        let mut report = Report {
            reference: "rust-lld".into(),
            provenance: Provenance::default(),
            linkers: vec!["x".into()],
            cases: vec![case("t/a.wat", conforms), case("b.wat", diverges)],
            ignore: vec!["export.*".into()],
            ignored: 0,
        };
        report.ignored = report.ignored_differences().count();
        let line = "3 differences ignored by --ignore export.*: export.x (2), export.y (1)";
        assert_eq!(report.ignored_line().as_deref(), Some(line));
        for format in [Format::Text, Format::Markdown, Format::Summary] {
            assert!(report.render(format).contains(line), "{format:?}");
        }
        let json = report.render(Format::Json);
        assert!(json.contains("\"ignored\": 3"), "{json}");
        let xml = report.render(Format::Junit);
        crate::junit::well_formed(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        assert!(
            xml.contains("<testcase classname=\"t\" name=\"a.wat\">"),
            "{xml}"
        );
        assert!(
            xml.contains("<testcase classname=\"cases\" name=\"b.wat\">"),
            "{xml}"
        );
        assert!(
            xml.contains(
                "<failure message=\"valid: func[f].body (1 ignored)\" type=\"level reached: valid\">"
            ),
            "{xml}"
        );
        assert!(
            xml.contains("ignored by --ignore: export.x: &lt;a&gt; vs b &amp; c"),
            "{xml}"
        );
        // Without --ignore, nothing is said.
        report.ignore.clear();
        assert_eq!(report.ignored_line(), None);
    }

    #[test]
    fn dates_are_utc_calendar_dates() {
        use std::time::{Duration, UNIX_EPOCH};
        let at = |secs| utc_date(UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "1970-01-01 00:00 UTC");
        assert_eq!(at(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(at(951_868_799), "2000-02-29 23:59 UTC");
        assert_eq!(at(1_700_000_000), "2023-11-14 22:13 UTC");
        assert_eq!(at(4_107_542_400), "2100-03-01 00:00 UTC");
    }
}
