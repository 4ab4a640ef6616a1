//! The comparison levels of one link against the reference link of the same case:
//! 1 status (both link, or both refuse for the same reason), 2 valid (wasmparser, all
//! features), 3 equivalent (canonical models equal, allowing the case's
//! `differs-from-wasm-ld` keys), 4 identical (bytes), 5 behaviour (the case's runs, or `_start`
//! when exported, give the same stdout, stderr, exit status, traps, results and final memory).

use crate::case::{key_matches, Case, Run};
use crate::check::wasi_options;
use crate::link::LinkResult;
use crate::model::{self, Difference};
use crate::run;
use serde::Serialize;
use std::fmt;

/// The comparison levels, in rising order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    None = 0,
    Status = 1,
    Valid = 2,
    Equivalent = 3,
    Identical = 4,
    Behaviour = 5,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Status,
        Level::Valid,
        Level::Equivalent,
        Level::Identical,
        Level::Behaviour,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Status => "status",
            Level::Valid => "valid",
            Level::Equivalent => "equivalent",
            Level::Identical => "identical",
            Level::Behaviour => "behaviour",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The result of comparing one link with the reference.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    /// The highest level such that it and every level below it passed.
    pub level: Level,
    /// The levels that passed (a later level may pass while an earlier one failed, e.g.
    /// behaviour equal while the bytes differ). Levels that do not apply (everything above
    /// status when both links refuse) count as passed.
    pub passed: Vec<Level>,
    /// True when every applicable level passed.
    pub complete: bool,
    /// Differences not allowed by the case, first difference first.
    pub differences: Vec<Difference>,
    /// Differences the case allows (`differs-from-wasm-ld`).
    pub allowed: Vec<Difference>,
    /// Differences the command line's `--ignore` dropped (the case's `ignore` patterns): no
    /// level failed for them.
    pub ignored: Vec<Difference>,
    /// True when both linkers refused the case.
    pub both_refused: bool,
    /// True when both outputs exist and are byte-for-byte equal.
    pub bytes_identical: bool,
    /// How many runs the behaviour level compared (0 when the bytes are identical or there is
    /// nothing to run).
    pub behaviour_runs: usize,
}

impl Comparison {
    pub fn first_difference(&self) -> Option<&Difference> {
        self.differences.first()
    }

    fn from_checks(
        checks: &[(Level, bool)],
        differences: Vec<Difference>,
        allowed: Vec<Difference>,
    ) -> Comparison {
        let passed: Vec<Level> = checks.iter().filter(|c| c.1).map(|c| c.0).collect();
        let mut level = Level::None;
        for l in Level::ALL {
            if passed.contains(&l) {
                level = l;
            } else {
                break;
            }
        }
        Comparison {
            level,
            complete: passed.len() == Level::ALL.len(),
            passed,
            differences,
            allowed,
            ignored: Vec::new(),
            both_refused: false,
            bytes_identical: false,
            behaviour_runs: 0,
        }
    }
}

fn diff(key: &str, a: impl Into<String>, b: impl Into<String>) -> Difference {
    Difference {
        key: key.to_string(),
        a: a.into(),
        b: b.into(),
    }
}

/// The first line that looks like an error diagnostic, with the program name and file paths
/// dropped, for comparing refusal reasons.
pub fn error_reason(stderr: &str) -> String {
    let line = stderr
        .lines()
        .find(|l| l.contains("error:"))
        .or_else(|| stderr.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("");
    let after = match line.find("error:") {
        Some(i) => &line[i + "error:".len()..],
        None => line,
    };
    after.trim().to_string()
}

/// Compares `candidate` with `reference` (A = candidate, B = reference in differences). A
/// difference whose key matches one of the case's `ignore` patterns (`--ignore`) goes to
/// `ignored` and fails no level; the levels are compared as if it were not there.
pub fn compare(case: &Case, candidate: &LinkResult, reference: &LinkResult) -> Comparison {
    let mut ignored = Vec::new();
    let mut c = compare_levels(case, candidate, reference, &mut ignored);
    c.ignored = ignored;
    c
}

fn compare_levels(
    case: &Case,
    candidate: &LinkResult,
    reference: &LinkResult,
    ignored: &mut Vec<Difference>,
) -> Comparison {
    let ignores = |d: &Difference| case.ignore.iter().any(|p| key_matches(p, &d.key));
    let mut diffs = Vec::new();
    // 1. status
    if candidate.success != reference.success {
        let what = |l: &LinkResult| {
            if l.success {
                "linked".to_string()
            } else {
                format!("refused: {}", error_reason(&l.stderr))
            }
        };
        let d = diff("status", what(candidate), what(reference));
        match case.status_difference() {
            // A deliberate refusal (the case allows `status`, and the reference links the
            // input): every level counts as passed, as when both refuse.
            Some(outcome) if outcome.touchstone_refuses() && !candidate.success => {
                if candidate.output.is_some() {
                    diffs.push(diff("status.output-on-error", "written", "none"));
                    return Comparison::from_checks(&[], diffs, Vec::new());
                }
                return Comparison::from_checks(&Level::ALL.map(|l| (l, true)), diffs, vec![d]);
            }
            // A deliberate link of what the reference refuses (`reference-outcome: error`):
            // the output must validate; there is nothing to compare it with beyond that (the
            // case's own expectations judge its behaviour).
            Some(outcome) if !outcome.touchstone_refuses() && candidate.success => {
                let Some(a) = &candidate.output else {
                    diffs.push(diff("status.output", "missing", "none"));
                    return Comparison::from_checks(&[], diffs, Vec::new());
                };
                if let Err(e) = model::validate(a) {
                    diffs.push(diff("valid", format!("{e:#}"), "none"));
                    return Comparison::from_checks(&[(Level::Status, true)], diffs, vec![d]);
                }
                return Comparison::from_checks(&Level::ALL.map(|l| (l, true)), diffs, vec![d]);
            }
            // Any other status difference, the one the case allows in the other direction
            // among them, is not allowed.
            _ => {}
        }
        if ignores(&d) {
            // Nothing more to compare: one side has no output.
            ignored.push(d);
            return Comparison::from_checks(&Level::ALL.map(|l| (l, true)), diffs, Vec::new());
        }
        diffs.push(d);
        return Comparison::from_checks(&[], diffs, Vec::new());
    }
    if !candidate.success {
        // Both refuse: the same reason when every expected substring is in both, or, without
        // expectations, when the first error lines agree.
        let same = if case.expects_error() {
            case.expect_errors.iter().all(|w| {
                candidate.stderr.contains(w.as_str()) && reference.stderr.contains(w.as_str())
            })
        } else {
            error_reason(&candidate.stderr) == error_reason(&reference.stderr)
        };
        let mut checks = vec![];
        let reason = diff(
            "status.reason",
            error_reason(&candidate.stderr),
            error_reason(&reference.stderr),
        );
        if same || ignores(&reason) {
            checks.extend(Level::ALL.map(|l| (l, true)));
        }
        if !same {
            if ignores(&reason) {
                ignored.push(reason);
            } else {
                diffs.push(reason);
            }
        }
        if candidate.output.is_some() {
            let d = diff("status.output-on-error", "written", "none");
            if ignores(&d) {
                ignored.push(d);
            } else {
                diffs.push(d);
                checks.clear();
            }
        }
        let mut c = Comparison::from_checks(&checks, diffs, Vec::new());
        c.both_refused = true;
        return c;
    }
    let (Some(a), Some(b)) = (&candidate.output, &reference.output) else {
        let has = |l: &LinkResult| {
            if l.output.is_some() {
                "written"
            } else {
                "missing"
            }
        };
        let d = diff("status.output", has(candidate), has(reference));
        if ignores(&d) {
            ignored.push(d);
            return Comparison::from_checks(&Level::ALL.map(|l| (l, true)), diffs, Vec::new());
        }
        diffs.push(d);
        return Comparison::from_checks(&[], diffs, Vec::new());
    };
    let mut checks = vec![(Level::Status, true)];
    // 2. valid (where the reference's outcome is the expected one, `outcome: reference`, an
    // invalid module is what the reference wrote too, and only the rest is compared)
    let invalid_alike = case.outcome_from_reference && model::validate(b).is_err();
    if let Err(e) = model::validate(a).or_else(|e| if invalid_alike { Ok(()) } else { Err(e) }) {
        let d = diff("valid", format!("{e:#}"), "valid");
        if !ignores(&d) {
            checks.push((Level::Valid, false));
            diffs.push(d);
            return Comparison::from_checks(&checks, diffs, Vec::new());
        }
        ignored.push(d);
    }
    checks.push((Level::Valid, true));
    // 3. equivalent
    let mut allowed = Vec::new();
    let mut layout_differs = false;
    match model::diff(a, b) {
        Ok(found) => {
            let mut equivalent = true;
            for d in found {
                if d.key.starts_with("data.")
                    || d.key.starts_with("memory")
                    || d.key.starts_with("global.")
                {
                    layout_differs = true;
                }
                if case.differs.iter().any(|x| x.matches(&d.key)) {
                    allowed.push(d);
                } else if ignores(&d) {
                    ignored.push(d);
                } else {
                    equivalent = false;
                    diffs.push(d);
                }
            }
            checks.push((Level::Equivalent, equivalent));
        }
        Err(e) => {
            let d = diff("model", format!("{e:#}"), "");
            checks.push((Level::Equivalent, ignores(&d)));
            if ignores(&d) {
                ignored.push(d);
            } else {
                diffs.push(d);
            }
            layout_differs = true;
        }
    }
    // 4. identical
    // A case that allows differences cannot be byte-identical, but it must be identical apart
    // from what its allowed keys cover: with every model difference allowed, the level counts
    // as reached when each section whose bytes differ is one an allowed key's entities live in
    // (the model names entities by identity, so without this a reordering it cannot see would
    // ride along with any allowed key).
    // The same goes for the differences `--ignore` dropped (by their keys, not the patterns:
    // `*__heap_base` lives where `export.__heap_base` does).
    let mut identical = a == b;
    if !identical && diffs.is_empty() && (!case.differs.is_empty() || !ignored.is_empty()) {
        let keys: Vec<&str> = (case.differs.iter().map(|d| d.key.as_str()))
            .chain(ignored.iter().map(|d| d.key.as_str()))
            .collect();
        let uncovered = uncovered_sections(a, b, &keys)
            .unwrap_or_else(|e| vec![diff("bytes.sections", format!("{e:#}"), "")]);
        let (drop, keep): (Vec<_>, Vec<_>) = uncovered.into_iter().partition(|d| ignores(d));
        ignored.extend(drop);
        identical = keep.is_empty();
        diffs.extend(keep);
    }
    if !identical && diffs.is_empty() {
        let at = a
            .iter()
            .zip(b.iter())
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        let d = diff(
            &format!("bytes@0x{at:x}"),
            format!("{} bytes", a.len()),
            format!("{} bytes", b.len()),
        );
        if ignores(&d) {
            ignored.push(d);
            identical = true;
        } else {
            diffs.push(d);
        }
    }
    checks.push((Level::Identical, identical));
    // 5. behaviour
    let bytes_identical = a == b;
    let (behaviour, behaviour_runs) = if bytes_identical {
        (Vec::new(), 0)
    } else {
        (
            compare_behaviour(case, a, b, !layout_differs, &candidate.work),
            runs_for(case, a).len(),
        )
    };
    let (drop, behaviour): (Vec<_>, Vec<_>) = behaviour.into_iter().partition(|d| ignores(d));
    ignored.extend(drop);
    checks.push((Level::Behaviour, behaviour.is_empty()));
    diffs.extend(behaviour);
    let mut c = Comparison::from_checks(&checks, diffs, allowed);
    c.bytes_identical = bytes_identical;
    c.behaviour_runs = behaviour_runs;
    c
}

/// The sections of a module in order, each named (`type`, `code`, `custom.name`, ...) with its
/// contents.
fn sections(wasm: &[u8]) -> anyhow::Result<Vec<(String, &[u8])>> {
    let mut out = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        let payload = payload?;
        let name = match &payload {
            wasmparser::Payload::CustomSection(c) => format!("custom.{}", c.name()),
            _ => match payload.as_section() {
                Some((id, _)) => SECTION_NAMES
                    .get(id as usize)
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| format!("section{id}")),
                None => continue,
            },
        };
        if let Some((_, range)) = payload.as_section() {
            out.push((name, &wasm[range.start as usize..range.end as usize]));
        }
    }
    Ok(out)
}

/// Section names by id.
const SECTION_NAMES: [&str; 14] = [
    "custom",
    "type",
    "import",
    "function",
    "table",
    "memory",
    "global",
    "export",
    "start",
    "element",
    "code",
    "data",
    "datacount",
    "tag",
];

/// The sections a model difference lives in: where its key's entity is encoded (an entity may be
/// imported, and a function's or a segment's name is in the name section).
fn sections_of(key: &str) -> Vec<String> {
    let of = |names: &[&str]| names.iter().map(|n| n.to_string()).collect();
    if key.starts_with("memory") {
        of(&["memory", "import"])
    } else if key.starts_with("import.") {
        of(&["import", "type"])
    } else if key.starts_with("export.") {
        of(&["export"])
    } else if key == "start" {
        of(&["start"])
    } else if key.starts_with("global.") {
        of(&["global", "import", "custom.name"])
    } else if key.starts_with("table.") {
        of(&["table", "element", "import"])
    } else if key.starts_with("elem.") {
        of(&["element"])
    } else if key.starts_with("func[") {
        of(&["type", "import", "function", "code", "custom.name"])
    } else if key.starts_with("data.") {
        of(&["data", "datacount", "custom.name"])
    } else if key == "name.module" {
        of(&["custom.name"])
    } else if let Some(name) = key.strip_prefix("custom.") {
        // `custom.*` (the prefix `custom.`) covers every custom section.
        vec![format!(
            "custom.{}",
            if name.is_empty() { "*" } else { name }
        )]
    } else {
        Vec::new()
    }
}

/// Each way the bytes of `a` and `b` differ outside the sections the `allowed` keys (exact, or
/// patterns with `*`: the sections of what comes before the first `*`) live in: a section
/// whose contents differ (`bytes.section[code]`) or the sections in another order
/// (`bytes.section-order`). Empty when the modules are identical apart from what is allowed.
fn uncovered_sections(a: &[u8], b: &[u8], allowed: &[&str]) -> anyhow::Result<Vec<Difference>> {
    let covered: std::collections::BTreeSet<String> = allowed
        .iter()
        .flat_map(|k| sections_of(k.split('*').next().unwrap_or(k)))
        .collect();
    // `custom.order` covers the order of the custom sections, not their contents.
    let order_allowed = allowed.contains(&"custom.order");
    let (sa, sb) = (sections(a)?, sections(b)?);
    let mut out = Vec::new();
    let contents = |s: &[(String, &[u8])], name: &str| -> Vec<u8> {
        s.iter()
            .filter(|(n, _)| n == name)
            .flat_map(|(_, bytes)| bytes.iter().copied())
            .collect()
    };
    let mut names: Vec<&String> = sa.iter().chain(&sb).map(|(n, _)| n).collect();
    names.sort();
    names.dedup();
    let is_covered =
        |n: &str| covered.contains(n) || (n.starts_with("custom.") && covered.contains("custom.*"));
    for name in names {
        if is_covered(name) {
            continue;
        }
        let (x, y) = (contents(&sa, name), contents(&sb, name));
        if x != y {
            let at = x
                .iter()
                .zip(&y)
                .position(|(p, q)| p != q)
                .unwrap_or(x.len().min(y.len()));
            out.push(diff(
                &format!("bytes.section[{name}]@0x{at:x}"),
                format!("{} bytes", x.len()),
                format!("{} bytes", y.len()),
            ));
        }
    }
    let order = |s: &[(String, &[u8])]| -> Vec<String> {
        s.iter()
            .map(|(n, _)| n.clone())
            .filter(|n| !(is_covered(n) || (order_allowed && n.starts_with("custom."))))
            .collect()
    };
    let (oa, ob) = (order(&sa), order(&sb));
    if oa != ob {
        out.push(diff("bytes.section-order", oa.join(","), ob.join(",")));
    }
    Ok(out)
}

/// The runs to compare: the case's runs, or `_start` when both export it.
fn runs_for(case: &Case, a: &[u8]) -> Vec<Run> {
    let runs = case.effective_runs();
    if !runs.is_empty() {
        return runs;
    }
    if run::export_signature(a, "_start").is_ok() {
        vec![Run::Start]
    } else {
        Vec::new()
    }
}

/// `work` holds the case's inputs: its shared libraries are what a dynamic module loads.
fn compare_behaviour(
    case: &Case,
    a: &[u8],
    b: &[u8],
    compare_memory: bool,
    work: &std::path::Path,
) -> Vec<Difference> {
    let mut out = Vec::new();
    let libs = crate::check::case_libraries(work);
    let options = || {
        let mut o = wasi_options(case);
        o.libs = libs.clone();
        o
    };
    for r in runs_for(case, a) {
        match &r {
            Run::Start => {
                let opts = options();
                let (ra, rb) = (run::run_wasi_full(a, &opts), run::run_wasi_full(b, &opts));
                let p = "behaviour[_start]";
                match (ra, rb) {
                    (Ok(x), Ok(y)) => {
                        let (ox, oy) = (&x.outcome, &y.outcome);
                        if ox.stdout != oy.stdout {
                            out.push(diff(
                                &format!("{p}.stdout"),
                                String::from_utf8_lossy(&ox.stdout),
                                String::from_utf8_lossy(&oy.stdout),
                            ));
                        }
                        if ox.stderr != oy.stderr {
                            out.push(diff(
                                &format!("{p}.stderr"),
                                String::from_utf8_lossy(&ox.stderr),
                                String::from_utf8_lossy(&oy.stderr),
                            ));
                        }
                        if ox.exit_code != oy.exit_code {
                            out.push(diff(
                                &format!("{p}.exit"),
                                ox.exit_code.to_string(),
                                oy.exit_code.to_string(),
                            ));
                        }
                        if ox.trap != oy.trap {
                            out.push(diff(
                                &format!("{p}.trap"),
                                format!("{:?}", ox.trap),
                                format!("{:?}", oy.trap),
                            ));
                        }
                        if compare_memory {
                            if let Some(d) = memory_diff(p, &x.memory, &y.memory) {
                                out.push(d);
                            }
                        }
                    }
                    (x, y) => {
                        let show = |r: &anyhow::Result<run::FullRun>| match r {
                            Ok(_) => "ran".to_string(),
                            Err(e) => format!("{e:#}"),
                        };
                        if x.is_ok() != y.is_ok() {
                            out.push(diff(&format!("{p}.instantiate"), show(&x), show(&y)));
                        }
                    }
                }
            }
            Run::Call { name, args, .. } => {
                let p = format!("behaviour[call {name}]");
                let call = |m: &[u8]| -> anyhow::Result<run::ExportOutcome> {
                    let values = run::parse_args(m, name, args)?;
                    run::run_export_with(m, name, &values, &options())
                };
                match (call(a), call(b)) {
                    (Ok(x), Ok(y)) => {
                        let show = |v: &Option<Vec<run::Value>>| match v {
                            Some(v) => v
                                .iter()
                                .map(|x| x.to_string())
                                .collect::<Vec<_>>()
                                .join(" "),
                            None => "none".into(),
                        };
                        if x.results != y.results {
                            out.push(diff(
                                &format!("{p}.results"),
                                show(&x.results),
                                show(&y.results),
                            ));
                        }
                        if x.trap != y.trap {
                            out.push(diff(
                                &format!("{p}.trap"),
                                format!("{:?}", x.trap),
                                format!("{:?}", y.trap),
                            ));
                        }
                        if x.exit_code != y.exit_code {
                            out.push(diff(
                                &format!("{p}.exit"),
                                format!("{:?}", x.exit_code),
                                format!("{:?}", y.exit_code),
                            ));
                        }
                        if x.stdout != y.stdout {
                            out.push(diff(
                                &format!("{p}.stdout"),
                                String::from_utf8_lossy(&x.stdout),
                                String::from_utf8_lossy(&y.stdout),
                            ));
                        }
                        if compare_memory {
                            if let Some(d) = memory_diff(&p, &x.memory, &y.memory) {
                                out.push(d);
                            }
                        }
                    }
                    (x, y) => {
                        if x.is_ok() != y.is_ok() {
                            let show = |r: &anyhow::Result<run::ExportOutcome>| match r {
                                Ok(_) => "ran".to_string(),
                                Err(e) => format!("{e:#}"),
                            };
                            out.push(diff(&format!("{p}.instantiate"), show(&x), show(&y)));
                        }
                    }
                }
            }
        }
    }
    out
}

fn memory_diff(prefix: &str, a: &Option<Vec<u8>>, b: &Option<Vec<u8>>) -> Option<Difference> {
    match (a, b) {
        (Some(x), Some(y)) => {
            if x.len() != y.len() {
                return Some(diff(
                    &format!("{prefix}.memory.size"),
                    x.len().to_string(),
                    y.len().to_string(),
                ));
            }
            let at = x.iter().zip(y).position(|(p, q)| p != q)?;
            let show = |m: &[u8]| {
                m[at..(at + 16).min(m.len())]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            Some(diff(&format!("{prefix}.memory@0x{at:x}"), show(x), show(y)))
        }
        (None, None) => None,
        _ => Some(diff(
            &format!("{prefix}.memory"),
            if a.is_some() { "exported" } else { "none" },
            if b.is_some() { "exported" } else { "none" },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::AllowedDifference;

    fn linked(wat: &str) -> LinkResult {
        LinkResult::wrote_for_test(wat)
    }

    fn allowing(keys: &[&str]) -> Case {
        Case {
            name: "t/allowing".into(),
            differs: keys
                .iter()
                .map(|k| AllowedDifference {
                    key: k.to_string(),
                    reason: "test".into(),
                })
                .collect(),
            ..Case::default()
        }
    }

    /// `foo` exports `$a` or `$b`; the functions are defined in the order given.
    fn module(foo: &str, first_a: bool) -> String {
        let (a, b) = (
            "(func $a (result i32) i32.const 1)",
            "(func $b (result i32) i32.const 2)",
        );
        let funcs = if first_a {
            format!("{a} {b}")
        } else {
            format!("{b} {a}")
        };
        format!(r#"(module {funcs} (export "foo" (func ${foo})) (export "bar" (func $b)))"#)
    }

    fn refused() -> LinkResult {
        let mut r = linked("(module)");
        r.success = false;
        r.code = Some(1);
        r.output = None;
        r.stderr = "error: x.o: bad input".into();
        r
    }

    fn status_case(outcome: crate::case::ReferenceOutcome) -> Case {
        Case {
            reference_outcome: Some(outcome),
            ..allowing(&["status"])
        }
    }

    #[test]
    fn a_status_difference_is_allowed_only_in_the_direction_the_case_says() {
        use crate::case::ReferenceOutcome::{Error, Valid};
        let valid = linked(r#"(module (func (export "run") (result i32) i32.const 1))"#);
        let invalid = linked(r#"(module (func (export "run") (result i32)))"#);
        // Touchstone refuses what the reference links (the default outcome, and `valid`).
        for case in [allowing(&["status"]), status_case(Valid)] {
            let c = compare(&case, &refused(), &valid);
            assert!(c.complete && c.allowed[0].key == "status", "{c:?}");
            let c = compare(&case, &valid, &refused());
            assert!(!c.complete && c.level == Level::None, "{c:?}");
        }
        // Touchstone links what the reference refuses: complete when its output validates.
        let case = status_case(Error("bad input".into()));
        let c = compare(&case, &valid, &refused());
        assert!(c.complete && c.allowed[0].key == "status", "{c:?}");
        assert_eq!(c.allowed[0].a, "linked");
        let c = compare(&case, &invalid, &refused());
        assert!(!c.complete && c.level == Level::Status, "{c:?}");
        let c = compare(&case, &refused(), &valid);
        assert!(!c.complete && c.level == Level::None, "{c:?}");
        // Both refuse, or both link: the status difference plays no part.
        assert!(compare(&case, &refused(), &refused()).both_refused);
        assert!(compare(&case, &valid, &valid).bytes_identical);
    }

    #[test]
    fn an_allowed_key_excuses_only_the_sections_it_lives_in() {
        let reference = linked(&module("a", true));
        // Only the allowed export differs: every level passes, the bytes are not identical.
        let target = linked(&module("b", true));
        let c = compare(&allowing(&["export.foo.target"]), &target, &reference);
        assert!(c.complete && !c.bytes_identical, "{c:?}");
        assert_eq!(c.allowed.len(), 1);
        // The same export, and the functions in the other order: the model (functions by name)
        // sees only the allowed key, the bytes differ in the code section it does not cover.
        let reordered = linked(&module("b", false));
        let c = compare(&allowing(&["export.foo.target"]), &reordered, &reference);
        assert!(!c.complete, "{c:?}");
        assert_eq!(c.level, Level::Equivalent);
        assert!(
            c.differences
                .iter()
                .any(|d| d.key.starts_with("bytes.section[code]")),
            "{:?}",
            c.differences
        );
        // Allowing the functions too excuses the code, function and name sections.
        let c = compare(
            &allowing(&["export.foo.target", "func[*"]),
            &reordered,
            &reference,
        );
        assert!(c.complete, "{c:?}");
        // Nothing allowed: a different module never conforms.
        let c = compare(&allowing(&[]), &target, &reference);
        assert!(!c.complete, "{c:?}");
    }

    fn ignoring(patterns: &[&str]) -> Case {
        Case {
            ignore: patterns.iter().map(|p| p.to_string()).collect(),
            ..allowing(&[])
        }
    }

    #[test]
    fn ignored_keys_fail_no_level_and_are_kept_as_ignored() {
        let reference = linked(&module("a", true));
        let target = linked(&module("b", true));
        // `export.*` drops the export's difference, and excuses the export section's bytes.
        let c = compare(&ignoring(&["export.*"]), &target, &reference);
        assert!(c.complete && c.differences.is_empty(), "{c:?}");
        assert_eq!(c.ignored.len(), 1);
        assert_eq!(c.ignored[0].key, "export.foo.target");
        assert!(c.allowed.is_empty());
        // A `*` anywhere; a pattern that matches nothing drops nothing.
        let c = compare(&ignoring(&["*.target"]), &target, &reference);
        assert!(c.complete, "{c:?}");
        let c = compare(&ignoring(&["export.bar*", "memory*"]), &target, &reference);
        assert!(!c.complete && c.ignored.is_empty(), "{c:?}");
        assert_eq!(c.differences[0].key, "export.foo.target");
        // Functions in another order: the model is equal, the code section's bytes are not.
        let reordered = linked(&module("a", false));
        let c = compare(&ignoring(&[]), &reordered, &reference);
        assert_eq!(c.level, Level::Equivalent, "{c:?}");
        let c = compare(&ignoring(&["bytes@*"]), &reordered, &reference);
        assert!(
            c.complete && c.ignored[0].key.starts_with("bytes@"),
            "{c:?}"
        );
        // A status difference: nothing more to compare.
        let c = compare(&ignoring(&["status"]), &refused(), &reference);
        assert!(c.complete && c.ignored[0].key == "status", "{c:?}");
        let c = compare(&ignoring(&["status.*"]), &refused(), &reference);
        assert!(!c.complete && c.ignored.is_empty(), "{c:?}");
    }

    /// Custom sections whose place means nothing (`model::custom_order_key`) in another order:
    /// equivalent, not identical.
    #[test]
    fn producers_after_target_features_is_a_difference_of_bytes_only() {
        let (p, t) = (
            r#"(@custom "producers" "\01\0cprocessed-by\01\0atouchstone\011")"#,
            r#"(@custom "target_features" "\01\2b\0fmutable-globals")"#,
        );
        let reference = linked(&format!("(module (func (export \"f\")) {p} {t})"));
        let swapped = linked(&format!("(module (func (export \"f\")) {t} {p})"));
        assert_ne!(reference.output, swapped.output);
        let c = compare(&allowing(&[]), &swapped, &reference);
        assert_eq!(c.level, Level::Equivalent, "{c:?}");
        assert!(c.passed.contains(&Level::Behaviour) && !c.passed.contains(&Level::Identical));
        assert!(c.differences[0].key.starts_with("bytes@"), "{c:?}");
        // Two user sections in another order are a difference of the model.
        let (u, v) = (r#"(@custom "u" "1")"#, r#"(@custom "v" "2")"#);
        let a = linked(&format!("(module {u} {v})"));
        let b = linked(&format!("(module {v} {u})"));
        let c = compare(&allowing(&[]), &a, &b);
        assert_eq!(c.level, Level::Valid, "{c:?}");
        assert_eq!(c.differences[0].key, "custom.order");
    }
}
