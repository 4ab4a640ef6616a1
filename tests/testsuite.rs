//! The conformance testsuite under `cargo test`: every case under testsuite/ is built, linked,
//! and checked against its own directives (run results, stdout, exit status, traps, the
//! expected error substring and no output file on error).
//!
//! Two directions, each one #[test] that runs all cases and reports all failures together:
//! - `touchstone_ld_meets_every_case`: links with touchstone-ld. Cases listed in
//!   testsuite/known-failures.txt (case path, then the reason) must still fail, so the list
//!   stays honest; they are reported, not counted as failures.
//! - `rust_lld_meets_every_case`: links with rust-lld, the reference. A case whose
//!   expectations rust-lld does not meet is a wrong case (a case that allows a `status`
//!   difference expects rust-lld to do what its `reference-outcome` says instead: link the
//!   input into an invalid or a valid module that touchstone refuses, or refuse, with the
//!   given text, an input touchstone links).
//!
//! On failure each case prints its file, the link command (run from its kept work directory)
//! and what differed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use touchstone_oracle::case::{self, Case};
use touchstone_oracle::check::{check_expectations, check_reference_expectations};
use touchstone_oracle::link::Linker;

fn testsuite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testsuite")
}

/// Kept work directories live under target/tmp/testsuite/<direction>/<case>.
fn work_root(direction: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/tmp/testsuite")
        .join(direction);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", root.display()));
    root
}

/// How a link result is held against a case: `check_expectations` for touchstone-ld,
/// `check_reference_expectations` for the reference.
type Check = fn(&Case, &touchstone_oracle::link::LinkResult) -> Vec<String>;

struct Outcome {
    case: String,
    /// Empty when the case passed.
    failures: Vec<String>,
    file: PathBuf,
    command: String,
}

fn run_case(case: &Case, linker: &Linker, root: &Path, check: Check) -> Outcome {
    let work = root.join(case.name.replace('/', "__"));
    let mut outcome = Outcome {
        case: case.name.clone(),
        failures: Vec::new(),
        file: case.file.clone(),
        command: String::from("(not linked)"),
    };
    if let Err(e) = std::fs::create_dir_all(&work) {
        outcome
            .failures
            .push(format!("cannot create {}: {e}", work.display()));
        return outcome;
    }
    let args = match case.build_inputs(&work) {
        Ok(a) => a,
        Err(e) => {
            outcome
                .failures
                .push(format!("cannot build the inputs: {e:#}"));
            return outcome;
        }
    };
    match linker.link(&args, &work, "out.wasm") {
        Ok(result) => {
            outcome.command = result.command.clone();
            outcome.failures = check(case, &result);
        }
        Err(e) => outcome
            .failures
            .push(format!("cannot run the linker: {e:#}")),
    }
    outcome
}

/// Runs every case with `linker` on two threads; outcomes in case order.
fn run_all(linker: &Linker, direction: &str, check: Check) -> Vec<Outcome> {
    let cases = case::discover(&testsuite_dir())
        .unwrap_or_else(|e| panic!("cannot read the testsuite: {e:#}"));
    assert!(
        !cases.is_empty(),
        "no cases found under {}",
        testsuite_dir().display()
    );
    let root = work_root(direction);
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<Option<Outcome>>> =
        Mutex::new((0..cases.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(c) = cases.get(i) else { break };
                let o = run_case(c, linker, &root, check);
                outcomes.lock().unwrap()[i] = Some(o);
            });
        }
    });
    outcomes
        .into_inner()
        .unwrap()
        .into_iter()
        .flatten()
        .collect()
}

fn describe(o: &Outcome) -> String {
    let mut s = format!(
        "--- {}\n    case file: {}\n    link: {}\n",
        o.case,
        o.file.display(),
        o.command
    );
    for f in &o.failures {
        s.push_str(&format!("    {}\n", f.replace('\n', "\n    ")));
    }
    s
}

fn touchstone_ld() -> Linker {
    Linker::parse(&format!(
        "touchstone-ld={}",
        env!("CARGO_BIN_EXE_touchstone-ld")
    ))
    .expect("the touchstone-ld path parses as a linker")
}

#[test]
fn touchstone_ld_meets_every_case() {
    let known = case::read_known_failures(&testsuite_dir().join("known-failures.txt"))
        .unwrap_or_else(|e| panic!("{e:#}"));
    let outcomes = run_all(&touchstone_ld(), "touchstone-ld", check_expectations);
    let mut report = String::new();
    let mut failed = 0;
    let mut known_reported = Vec::new();
    for o in &outcomes {
        let listed = known.iter().find(|(c, _)| *c == o.case);
        match (listed, o.failures.is_empty()) {
            (None, true) => {}
            (None, false) => {
                failed += 1;
                report.push_str(&describe(o));
            }
            (Some((_, reason)), false) => {
                known_reported.push(format!("{} ({reason})", o.case));
            }
            (Some(_), true) => {
                failed += 1;
                report.push_str(&format!(
                    "--- {}\n    listed in testsuite/known-failures.txt but passes now: remove it from the list\n",
                    o.case
                ));
            }
        }
    }
    for (c, _) in &known {
        if !outcomes.iter().any(|o| o.case == *c) {
            failed += 1;
            report.push_str(&format!(
                "--- {c}\n    listed in testsuite/known-failures.txt but no such case exists\n"
            ));
        }
    }
    if !known_reported.is_empty() {
        println!(
            "{} known failures (testsuite/known-failures.txt):\n  {}",
            known_reported.len(),
            known_reported.join("\n  ")
        );
    }
    println!(
        "touchstone-ld: {} cases, {} failed, {} known failures",
        outcomes.len(),
        failed,
        known_reported.len()
    );
    assert!(
        failed == 0,
        "{failed} of {} cases fail with touchstone-ld:\n{report}",
        outcomes.len()
    );
}

#[test]
fn rust_lld_meets_every_case() {
    let lld = Linker::rust_lld().unwrap_or_else(|e| panic!("the reference is missing: {e:#}"));
    let outcomes = run_all(&lld, "rust-lld", check_reference_expectations);
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.failures.is_empty()).collect();
    println!("rust-lld: {} cases, {} wrong", outcomes.len(), failed.len());
    assert!(
        failed.is_empty(),
        "{} of {} cases are wrong: rust-lld does not meet their expectations:\n{}",
        failed.len(),
        outcomes.len(),
        failed.iter().map(|o| describe(o)).collect::<String>()
    );
}

/// The oracle's view of every case: touchstone-ld against rust-lld at every level. A case
/// conforms when each applicable level passes, and it must be byte-identical (or refused by
/// both) unless its `differs-from-wasm-ld` keys excuse a difference: then the comparison's
/// identical level has already required the bytes to be the same outside the sections those
/// keys cover, and the only key that excuses a refusal, `status`, has required the linker the
/// case's `reference-outcome` names to refuse: touchstone-ld while rust-lld links the input
/// (into a module that does not validate, or, with `reference-outcome: valid`, one that
/// does), or rust-lld (`reference-outcome: error TEXT`) while touchstone-ld links it into a
/// valid module (the reference's side is checked with `check_reference_expectations`).
/// Known failures are skipped here (their listing is checked by
/// `touchstone_ld_meets_every_case`).
#[test]
fn touchstone_ld_output_is_identical_to_rust_lld() {
    use touchstone_oracle::conformance::{self, Options};
    let known = case::read_known_failures(&testsuite_dir().join("known-failures.txt"))
        .unwrap_or_else(|e| panic!("{e:#}"));
    let cases: Vec<Case> = case::discover(&testsuite_dir())
        .unwrap_or_else(|e| panic!("cannot read the testsuite: {e:#}"))
        .into_iter()
        .filter(|c| !known.iter().any(|(k, _)| *k == c.name))
        .collect();
    let reference =
        Linker::rust_lld().unwrap_or_else(|e| panic!("the reference is missing: {e:#}"));
    let opts = Options {
        linkers: vec![touchstone_ld()],
        reference,
        cases,
        work: work_root("conformance"),
        jobs: 2,
        progress: false,
    };
    let report = conformance::run(&opts);
    let mut problems = String::new();
    let mut identical = 0;
    for c in &report.cases {
        let cell = &c.cells[0];
        let case_allows = opts
            .cases
            .iter()
            .find(|k| k.name == c.case)
            .is_some_and(|k| !k.differs.is_empty());
        let same_bytes = cell
            .comparison
            .as_ref()
            .is_some_and(|cmp| cmp.bytes_identical || cmp.both_refused);
        if same_bytes {
            identical += 1;
        }
        if !c.reference_failures.is_empty() {
            problems.push_str(&format!(
                "--- {}\n    rust-lld misses the case: {}\n",
                c.case,
                c.reference_failures.join("\n    ")
            ));
        }
        if !cell.conforms() || (!case_allows && !same_bytes) {
            let first = cell
                .comparison
                .as_ref()
                .and_then(|cmp| cmp.first_difference())
                .map(|d| format!("{}: {} vs {}", d.key, d.a, d.b))
                .or_else(|| cell.trouble.clone())
                .unwrap_or_else(|| "bytes differ".into());
            problems.push_str(&format!(
                "--- {}\n    {first}\n    {}\n",
                c.case,
                cell.reproduce.join("\n    ")
            ));
        }
    }
    println!(
        "touchstone-ld vs rust-lld: {} cases, {identical} byte-identical or refused alike",
        report.cases.len()
    );
    assert!(
        problems.is_empty(),
        "cases differing from rust-lld:\n{problems}"
    );
}
