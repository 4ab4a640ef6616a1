//! `touchstone fuzz`: a campaign against any wasm-ld-compatible linker. Each case is a program
//! from the generator ([`crate::gen`], every template, with random options), written as a
//! testsuite case folder and linked by the linker under test and by the reference exactly as
//! `touchstone conformance` links a case ([`crate::conformance::run_case`]): status, validity,
//! equivalence and behaviour are compared. A case that does not conform is a divergence,
//! classified (crash or signal, refuses what the reference links, links what the reference
//! refuses, invalid output, different behaviour, different module only) and deduplicated by a
//! signature (the class and the first difference's key with numbers masked), so a linker with
//! one bug gives one entry. The first case of each signature is kept under `--out` as a
//! testsuite case folder, with the commands that reproduce it; at the end of the campaign each
//! kept case is reduced ([`crate::reduce`]), the generated one kept beside it.
//!
//! Case `N` of seed `S` is always the same program, on any machine: `--shard I/N` runs the
//! cases whose number is `I` modulo `N`, so a campaign splits across machines with no
//! coordinator, and the folders they write merge by signature.

use crate::case::Case;
use crate::compare::Level;
use crate::conformance::{run_case, Cell, Options};
use crate::gen;
use crate::link::Linker;
use anyhow::{anyhow, Context as _};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What to run.
pub struct Campaign {
    pub linker: Linker,
    pub reference: Linker,
    pub seed: u64,
    /// Stop after this many cases (of this shard), or
    pub cases: Option<u64>,
    /// after this long.
    pub time: Option<Duration>,
    /// This shard, of how many.
    pub shard: (u64, u64),
    pub jobs: usize,
    /// Where divergences are kept (and the work directories, under `work/`).
    pub out: PathBuf,
    /// Every this many cases (0: none), one object of the program is corrupted as the
    /// `mutate` fuzz target corrupts it ([`crate::corrupt`]): then the linkers' verdicts are
    /// compared (refused alike, or linked alike), not a predicted result.
    pub corrupt_every: u64,
    /// Reduce each kept case ([`crate::reduce`]) at the end of the campaign.
    pub reduce: bool,
    /// Difference keys (patterns with `*`, `--ignore`) dropped from every verdict; what they
    /// drop is counted in the findings.
    pub ignore: Vec<String>,
}

/// One kept divergence.
#[derive(Clone, Debug)]
pub struct Divergence {
    pub signature: String,
    pub class: &'static str,
    /// Case numbers with this signature (the first is kept).
    pub cases: Vec<u64>,
    pub summary: String,
    pub folder: PathBuf,
}

/// What a campaign found.
#[derive(Debug, Default)]
pub struct Findings {
    pub cases: u64,
    /// Cases the generator or the reference could not make into a case (not divergences).
    pub skipped: u64,
    pub divergences: BTreeMap<String, Divergence>,
    pub elapsed: Duration,
    /// The numbers of the cases run, in order.
    pub ran: Vec<u64>,
    /// The cases not made (counted in `skipped`), with why.
    pub not_made: BTreeMap<u64, String>,
    /// The differences `--ignore` dropped, by case number.
    pub ignored: BTreeMap<u64, Vec<crate::model::Difference>>,
}

/// The generator input of case `n`: bytes from a SplitMix64 stream seeded by (seed, n).
pub fn case_bytes(seed: u64, n: u64) -> Vec<u8> {
    let mut state = seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    (0..75).flat_map(|_| next().to_le_bytes()).collect()
}

/// The class of a case that did not conform.
fn classify(cell: &Cell) -> &'static str {
    // Killed (no status), or a status a shell gives a signal (128 + N): a crash. Any other
    // non-zero status is a refusal.
    if cell.trouble.is_some() || cell.exit.is_none_or(|c| !(0..128).contains(&c)) {
        return "crash or signal";
    }
    let Some(c) = &cell.comparison else {
        return "crash or signal";
    };
    let first = c.first_difference().map(|d| d.key.as_str()).unwrap_or("");
    match c.level {
        Level::None if first == "status" && cell.exit == Some(0) => {
            "links what the reference refuses"
        }
        Level::None if first == "status" => "refuses what the reference links",
        Level::None => "different refusal",
        Level::Status => "invalid output",
        _ if !c.passed.contains(&Level::Behaviour) => "different behaviour",
        _ => "different module only",
    }
}

/// The first difference's key with every run of digits masked, so that the same bug in
/// differently numbered entities has one signature.
fn mask_digits(key: &str) -> String {
    let mut out = String::new();
    let mut in_digits = false;
    for ch in key.chars() {
        if ch.is_ascii_digit() {
            if !in_digits {
                out.push('N');
            }
            in_digits = true;
        } else {
            out.push(ch);
            in_digits = false;
        }
    }
    out
}

fn slug(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    out.truncate(80);
    out
}

/// A divergent case as [`run_one`] finds it.
struct Found {
    signature: String,
    class: &'static str,
    summary: String,
    /// The case folder in the work directory.
    dir: PathBuf,
    commands: Vec<String>,
}

/// Runs case `n`: `None` when it conforms; an error when it cannot be made. With what
/// `--ignore` dropped.
fn run_one(
    c: &Campaign,
    n: u64,
    work: &Path,
) -> anyhow::Result<(Option<Found>, Vec<crate::model::Difference>)> {
    let bytes = case_bytes(c.seed, n);
    let mut u = arbitrary::Unstructured::new(&bytes);
    let program = gen::generate(&mut u, &gen::Limits::default())?;
    let name = format!("case-{n}");
    let dir = work.join("cases").join(&name);
    let _ = std::fs::remove_dir_all(&dir);
    program.write_case(
        &dir,
        &format!(
            "touchstone fuzz, seed {}, case {n}: {}",
            c.seed,
            program.options.join(" ")
        ),
    )?;
    let corrupted = c.corrupt_every > 0 && n.is_multiple_of(c.corrupt_every);
    if corrupted {
        corrupt_one_object(&program, &dir, &mut u)?;
    }
    let mut case = Case::parse(&dir.join("main.wat"), &name)?;
    case.ignore = c.ignore.clone();
    let (verdict, ignored) = judge_ignoring(&case, &c.linker, &c.reference, &work.join("links"))?;
    let Some(v) = verdict else {
        return Ok((None, ignored));
    };
    let input = if corrupted { "corrupted input, " } else { "" };
    let found = Found {
        signature: format!("{input}{}", v.signature),
        class: v.class,
        summary: v.summary,
        dir,
        commands: v.commands,
    };
    Ok((Some(found), ignored))
}

/// How a case that does not conform diverges.
#[derive(Clone, Debug)]
pub struct Verdict {
    /// The class and the first difference's key (a refusal: its reason), numbers masked.
    pub signature: String,
    pub class: &'static str,
    /// The first difference in full.
    pub summary: String,
    /// Shell commands reproducing the links and the comparison.
    pub commands: Vec<String>,
}

/// Links `case` with `linker` and `reference` (work folders under `work`) as `touchstone
/// conformance` does and judges it: `None` when it conforms; an error when the case cannot be
/// built or the reference misses the case's own expectations (then the case, not the linker,
/// is wrong).
pub fn judge(
    case: &Case,
    linker: &Linker,
    reference: &Linker,
    work: &Path,
) -> anyhow::Result<Option<Verdict>> {
    judge_ignoring(case, linker, reference, work).map(|(verdict, _)| verdict)
}

/// [`judge`], and the differences the case's `ignore` patterns (`--ignore`) dropped.
pub fn judge_ignoring(
    case: &Case,
    linker: &Linker,
    reference: &Linker,
    work: &Path,
) -> anyhow::Result<(Option<Verdict>, Vec<crate::model::Difference>)> {
    let opts = Options {
        linkers: vec![linker.clone()],
        reference: reference.clone(),
        cases: Vec::new(),
        work: work.to_path_buf(),
        jobs: 1,
        progress: false,
    };
    let report = run_case(case, &opts);
    if report.trouble.is_some() || !report.reference_failures.is_empty() {
        return Err(anyhow!(
            "reference trouble: {}",
            report
                .trouble
                .unwrap_or_else(|| report.reference_failures.join("; "))
        ));
    }
    let Some(cell) = report.cells.into_iter().next() else {
        return Err(anyhow!("no result"));
    };
    let ignored = (cell.comparison.as_ref()).map_or_else(Vec::new, |c| c.ignored.clone());
    if cell.conforms() && cell.expectation_failures.is_empty() {
        return Ok((None, ignored));
    }
    let class = classify(&cell);
    // A refusal is told apart by its reason (numbers masked: `oN.o: undefined symbol: uN`).
    let key = cell
        .comparison
        .as_ref()
        .and_then(|c| c.first_difference())
        .map(|d| match d.a.strip_prefix("refused: ") {
            Some(reason) if d.key == "status" => {
                let reason: String = reason.chars().take(80).collect();
                format!("status: {}", mask_digits(&reason))
            }
            _ => mask_digits(&d.key),
        })
        .or_else(|| cell.expectation_failures.first().map(|e| mask_digits(e)))
        .unwrap_or_default();
    let summary = match (&cell.trouble, &cell.comparison) {
        (Some(t), _) => t.clone(),
        (None, Some(cmp)) => cmp
            .first_difference()
            .map(|d| d.to_string())
            .unwrap_or_else(|| cell.expectation_failures.join("; ")),
        (None, None) => String::new(),
    };
    let verdict = Verdict {
        signature: format!("{class}: {key}"),
        class,
        summary,
        commands: cell.reproduce,
    };
    Ok((Some(verdict), ignored))
}

/// Replaces one object of the case in `dir` by a corrupted copy of its bytes (a `.bin` file,
/// which the case links as it is), says what was done in `main.wat`, and drops the predicted
/// result: a corrupted program is judged by the reference's verdict alone (`outcome:
/// reference`: a refusal, an invalid module or a trap by the reference is what the linker under
/// test is compared with, never trouble).
fn corrupt_one_object(
    program: &gen::Program,
    dir: &Path,
    u: &mut arbitrary::Unstructured,
) -> anyhow::Result<()> {
    let objects: Vec<&gen::GenFile> = program
        .files
        .iter()
        .filter(|f| f.kind == gen::FileKind::Object)
        .collect();
    let victim = objects
        .get(u.choose_index(objects.len()).unwrap_or(0))
        .ok_or_else(|| anyhow!("no object to corrupt"))?;
    let mut bytes = victim.bytes.clone();
    let what = crate::corrupt::corrupt(u, &mut bytes).map_err(|e| anyhow!("{e}"))?;
    let wat = &victim.sources[0].0;
    let bin = wat.replace(".wat", ".bin");
    std::fs::write(dir.join(&bin), &bytes)?;
    std::fs::remove_file(dir.join(wat))?;
    let main = dir.join("main.wat");
    let text = std::fs::read_to_string(&main)?;
    let mut out = String::new();
    for line in text.lines() {
        let line = match line.strip_prefix(";;! run: call run -> ") {
            Some(_) => ";;! run: call run".to_string(),
            None => line.replace(wat.as_str(), &bin),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(";;! outcome: reference\n");
    out.push_str(&format!(";; {bin}: {wat} assembled, then {what}.\n"));
    std::fs::write(&main, out)?;
    Ok(())
}

/// Runs the campaign, printing a progress line on stderr; keeps each new divergence.
pub fn run(c: &Campaign) -> anyhow::Result<Findings> {
    let work = c.out.join("work");
    std::fs::create_dir_all(&work).with_context(|| format!("cannot create {}", work.display()))?;
    let started = Instant::now();
    let next = AtomicU64::new(0);
    let done = AtomicU64::new(0);
    let skipped = AtomicU64::new(0);
    let found: Mutex<BTreeMap<String, Divergence>> = Mutex::new(BTreeMap::new());
    // Every case run: why it was not made, what --ignore dropped.
    type Seen = (
        Vec<u64>,
        BTreeMap<u64, String>,
        BTreeMap<u64, Vec<crate::model::Difference>>,
    );
    let seen: Mutex<Seen> = Mutex::default();
    let (shard, shards) = c.shard;
    let more =
        |i: u64| c.cases.is_none_or(|n| i < n) && c.time.is_none_or(|t| started.elapsed() < t);
    std::thread::scope(|scope| {
        for _ in 0..c.jobs.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if !more(i) {
                    break;
                }
                let n = i * shards + shard;
                let outcome = run_one(c, n, &work);
                if let Ok(mut seen) = seen.lock() {
                    seen.0.push(n);
                    match &outcome {
                        Err(e) => {
                            seen.1.insert(n, format!("{e:#}"));
                        }
                        Ok((_, ignored)) if !ignored.is_empty() => {
                            seen.2.insert(n, ignored.clone());
                        }
                        Ok(_) => {}
                    }
                }
                match outcome.map(|(found, _)| found) {
                    Ok(None) => {}
                    Ok(Some(x)) => {
                        let mut f = found.lock().unwrap_or_else(|p| p.into_inner());
                        if let Some(d) = f.get_mut(&x.signature) {
                            d.cases.push(n);
                        } else {
                            let folder = c.out.join(format!("{}-{n}", slug(&x.signature)));
                            let kept = keep(&x, &folder)
                                .and_then(|()| crate::reduce::note_ignored(&c.ignore, &folder));
                            if let Err(e) = kept {
                                eprintln!("touchstone fuzz: cannot keep case {n}: {e:#}");
                            }
                            f.insert(
                                x.signature.clone(),
                                Divergence {
                                    signature: x.signature,
                                    class: x.class,
                                    cases: vec![n],
                                    summary: x.summary,
                                    folder,
                                },
                            );
                        }
                    }
                    Err(_) => {
                        skipped.fetch_add(1, Ordering::SeqCst);
                    }
                }
                let d = done.fetch_add(1, Ordering::SeqCst) + 1;
                if d.is_multiple_of(25) {
                    let divergent = found.lock().map(|f| f.len()).unwrap_or(0);
                    let rate = d as f64 / started.elapsed().as_secs_f64().max(1e-3);
                    eprintln!(
                        "touchstone fuzz: {d} cases, {divergent} divergences, {rate:.1} cases/s"
                    );
                }
            });
        }
    });
    let mut divergences = found.into_inner().unwrap_or_else(|p| p.into_inner());
    if c.reduce {
        for d in divergences.values_mut() {
            if let Err(e) = reduce_kept(c, d, &work) {
                eprintln!("touchstone fuzz: {} not reduced: {e:#}", d.folder.display());
            }
        }
    }
    let (mut ran, not_made, ignored) = seen.into_inner().unwrap_or_else(|p| p.into_inner());
    ran.sort_unstable();
    Ok(Findings {
        cases: done.into_inner(),
        skipped: skipped.into_inner(),
        divergences,
        elapsed: started.elapsed(),
        ran,
        not_made,
        ignored,
    })
}

/// Replaces a kept case by its reduction, the case as generated moving to `original/` in it.
fn reduce_kept(c: &Campaign, d: &Divergence, work: &Path) -> anyhow::Result<()> {
    let mut quiet = |_: &str| {};
    let reduced = crate::reduce::reduce_ignoring(
        &d.folder,
        &c.linker,
        &c.reference,
        &c.ignore,
        &work.join("reduce"),
        &mut quiet,
    )?;
    let staging = d.folder.with_extension("reducing");
    crate::reduce::keep(&reduced, &d.signature, &staging)?;
    std::fs::rename(&d.folder, staging.join("original"))?;
    std::fs::rename(&staging, &d.folder)?;
    crate::reduce::note_ignored(&c.ignore, &d.folder)
}

/// Copies the divergent case's folder to `to`, with DIVERGENCE.txt saying what diverged and
/// how to reproduce it.
fn keep(x: &Found, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(&x.dir)? {
        let entry = entry?;
        std::fs::copy(entry.path(), to.join(entry.file_name()))?;
    }
    let mut text = format!("{}\n\n{}\n\nReproduce:\n", x.signature, x.summary);
    for c in &x.commands {
        text.push_str(&format!("    {c}\n"));
    }
    std::fs::write(to.join("DIVERGENCE.txt"), text)?;
    Ok(())
}

/// Merges the `--out` folders of several campaigns (shards): one kept case per signature
/// (the lowest case number), copied into `out`. Returns (signature, kept folder, how many
/// folders had it).
pub fn merge(dirs: &[PathBuf], out: &Path) -> anyhow::Result<Vec<(String, PathBuf, usize)>> {
    // signature -> (case number, folder, count)
    let mut best: BTreeMap<String, (u64, PathBuf, usize)> = BTreeMap::new();
    for dir in dirs {
        let entries =
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        for entry in entries {
            let folder = entry?.path();
            let Ok(text) = std::fs::read_to_string(folder.join("DIVERGENCE.txt")) else {
                continue;
            };
            let signature = text.lines().next().unwrap_or("").to_string();
            let case: u64 = folder
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.rsplit('-').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(u64::MAX);
            let slot = best.entry(signature).or_insert((case, folder.clone(), 0));
            slot.2 += 1;
            if case < slot.0 {
                (slot.0, slot.1) = (case, folder);
            }
        }
    }
    let mut kept = Vec::new();
    for (signature, (case, folder, count)) in best {
        let to = out.join(format!("{}-{case}", slug(&signature)));
        if to != folder {
            std::fs::create_dir_all(&to)?;
            for entry in std::fs::read_dir(&folder)? {
                let entry = entry?;
                if entry.path().is_file() {
                    std::fs::copy(entry.path(), to.join(entry.file_name()))?;
                }
            }
        }
        kept.push((signature, to, count));
    }
    Ok(kept)
}

impl Findings {
    /// The summary printed at the end.
    pub fn render(&self, linker: &str) -> String {
        let mut s = format!(
            "touchstone fuzz: {} cases against {linker} in {:.1?} ({} not made: generator or reference trouble), {} divergences\n",
            self.cases,
            self.elapsed,
            self.skipped,
            self.divergences.len()
        );
        if let Some(line) = self.ignored_line() {
            s.push_str(&format!("  {line}\n"));
        }
        for d in self.divergences.values() {
            s.push_str(&format!(
                "  {} ({} cases, first {}): {}\n    kept in {}\n",
                d.signature,
                d.cases.len(),
                d.cases[0],
                d.summary.lines().next().unwrap_or(""),
                d.folder.display()
            ));
        }
        s
    }

    /// `N differences ignored by --ignore (in M cases): KEY (n), ...`, keys with numbers
    /// masked, most frequent first; `None` when nothing was ignored.
    pub fn ignored_line(&self) -> Option<String> {
        let mut keys: BTreeMap<String, usize> = BTreeMap::new();
        for d in self.ignored.values().flatten() {
            *keys.entry(mask_digits(&d.key)).or_default() += 1;
        }
        let total: usize = keys.values().sum();
        if total == 0 {
            return None;
        }
        let mut keys: Vec<(String, usize)> = keys.into_iter().collect();
        keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let shown: Vec<String> = keys
            .iter()
            .take(6)
            .map(|(k, n)| format!("{k} ({n})"))
            .collect();
        let more = if keys.len() > 6 { ", ..." } else { "" };
        Some(format!(
            "{total} differences ignored by --ignore (in {} cases): {}{more}",
            self.ignored.len(),
            shown.join(", ")
        ))
    }

    /// JUnit XML: one testsuite (the linker), one testcase per case run (classname
    /// `fuzz.seed-S`, name `case-N`): a failure (the signature, its class, the first difference
    /// and where the case is kept) for a divergent case, skipped for a case not made, what
    /// `--ignore` dropped in `<system-out>`.
    pub fn render_junit(&self, c: &Campaign) -> String {
        use crate::junit::{Outcome, TestCase, TestSuite};
        let mut diverged: BTreeMap<u64, &Divergence> = BTreeMap::new();
        for d in self.divergences.values() {
            for n in &d.cases {
                diverged.insert(*n, d);
            }
        }
        let mut properties = vec![
            ("reference".to_string(), c.reference.name.clone()),
            ("seed".to_string(), c.seed.to_string()),
            ("shard".to_string(), format!("{}/{}", c.shard.0, c.shard.1)),
        ];
        for p in &c.ignore {
            properties.push(("ignore".to_string(), p.clone()));
        }
        let cases = self
            .ran
            .iter()
            .map(|n| {
                let outcome = if let Some(why) = self.not_made.get(n) {
                    Outcome::Skipped {
                        message: format!("not made (generator or reference trouble): {why}"),
                    }
                } else if let Some(d) = diverged.get(n) {
                    let kept = if d.cases[0] == *n {
                        format!("kept in {}", d.folder.display())
                    } else {
                        format!(
                            "the same signature as case {}, kept in {}",
                            d.cases[0],
                            d.folder.display()
                        )
                    };
                    Outcome::Failure {
                        message: d.signature.clone(),
                        kind: d.class.to_string(),
                        text: format!("{}\n{kept}\n", d.summary),
                    }
                } else {
                    Outcome::Passed
                };
                let output = self.ignored.get(n).map_or_else(String::new, |ds| {
                    ds.iter()
                        .map(|d| format!("ignored by --ignore: {d}\n"))
                        .collect()
                });
                TestCase {
                    classname: format!("fuzz.seed-{}", c.seed),
                    name: format!("case-{n}"),
                    outcome,
                    output,
                }
            })
            .collect();
        let suite = TestSuite {
            name: c.linker.name.clone(),
            properties,
            cases,
        };
        crate::junit::render("touchstone fuzz", &[suite])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_reproducible_and_distinct() {
        assert_eq!(case_bytes(1, 7), case_bytes(1, 7));
        assert_ne!(case_bytes(1, 7), case_bytes(1, 8));
        assert_ne!(case_bytes(1, 7), case_bytes(2, 7));
    }

    #[test]
    fn signatures_mask_numbers() {
        assert_eq!(mask_digits("func[c1#2].body"), "func[cN#N].body");
        assert_eq!(mask_digits("export.run"), "export.run");
    }
}
