//! A case's own expectations checked against one linker's result: the link fails with the
//! expected diagnostics and writes no output, or it succeeds, validates, and the runs show the
//! expected stdout, stderr, exit status, traps and results. Used by `cargo test` (touchstone
//! alone, and rust-lld to prove the cases right) and by the conformance report.

use crate::case::{Case, ReferenceOutcome, Run};
use crate::link::LinkResult;
use crate::run::{self, Value, WasiOptions};

/// The WASI options a case's `_start` runs get.
pub fn wasi_options(case: &Case) -> WasiOptions {
    WasiOptions {
        args: vec![case.name.rsplit('/').next().unwrap_or("case").to_string()],
        stdin: case.stdin.clone().unwrap_or_default().into_bytes(),
        preopens: Vec::new(),
        env: Vec::new(),
        libs: Vec::new(),
    }
}

/// The shared libraries among the files of a link's work directory (a case's inputs): what
/// the dynamic loader may load for the case's runs, by file name.
pub fn case_libraries(work: &std::path::Path) -> Vec<crate::dylink::Library> {
    let Ok(entries) = std::fs::read_dir(work) else {
        return Vec::new();
    };
    let mut libs: Vec<crate::dylink::Library> = entries
        .flatten()
        .filter(|e| e.path().is_file())
        .filter_map(|e| {
            let bytes = std::fs::read(e.path()).ok()?;
            let is_lib = matches!(crate::dylink::dylink_info(&bytes), Ok(Some(_)))
                && !crate::dylink::has_linking_section(&bytes);
            is_lib.then(|| crate::dylink::Library {
                name: e.file_name().to_string_lossy().into_owned(),
                bytes,
            })
        })
        .collect();
    libs.sort_by(|a, b| a.name.cmp(&b.name));
    libs
}

/// Every way the reference linker misses the case. Mostly the case's own expectations; but a
/// case that allows a `status` difference (`differs-from-wasm-ld: status -- reason`: touchstone
/// and wasm-ld disagree on accepting the input, by design) says with `reference-outcome:` what
/// the reference does instead, and the reference must do exactly that, so that the case
/// notices when wasm-ld changes:
/// - `invalid` (the default; touchstone refuses): the reference links the input and writes a
///   module that fails validation;
/// - `valid` (touchstone refuses): the reference links the input and writes a module that
///   validates;
/// - `error TEXT` (touchstone links, and the case's expectations apply to it): the reference
///   refuses the input with TEXT in its diagnostics and writes no output.
pub fn check_reference_expectations(case: &Case, link: &LinkResult) -> Vec<String> {
    if case.outcome_from_reference {
        return Vec::new();
    }
    let Some(outcome) = case.status_difference() else {
        return check_expectations(case, link);
    };
    let drop_it = "drop the `differs-from-wasm-ld: status` line, or change `reference-outcome`";
    let said = || indent(format!("{}{}", link.stderr, link.stdout).trim_end());
    let wanted = match &outcome {
        ReferenceOutcome::Invalid => "links the input into an invalid module",
        ReferenceOutcome::Valid => "links the input into a valid module",
        ReferenceOutcome::Error(_) => "refuses the input",
    };
    let allows = format!(
        "the case allows a status difference because the reference {wanted} \
         (reference-outcome: {})",
        match &outcome {
            ReferenceOutcome::Invalid => "invalid".to_string(),
            ReferenceOutcome::Valid => "valid".to_string(),
            ReferenceOutcome::Error(t) => format!("error {t}"),
        }
    );
    if let ReferenceOutcome::Error(text) = &outcome {
        if link.success {
            return vec![format!("{allows}, but the reference linked it: {drop_it}")];
        }
        let mut failures = Vec::new();
        let diagnostics = format!("{}{}", link.stderr, link.stdout);
        if !diagnostics.contains(text.as_str()) {
            failures.push(format!(
                "{allows}, but its diagnostics lack {text:?}; the reference said:\n{}",
                said()
            ));
        }
        if link.output.is_some() {
            failures.push(format!(
                "{allows}, but the failed link left an output file {}",
                link.output_name
            ));
        }
        return failures;
    }
    if !link.success {
        return vec![format!(
            "{allows}, but the reference refused it too: {drop_it}\n{}",
            said()
        )];
    }
    let Some(wasm) = &link.output else {
        return vec![format!(
            "{allows}, but the reference's link succeeded without writing an output file"
        )];
    };
    match (crate::model::validate(wasm), outcome) {
        (Err(_), ReferenceOutcome::Invalid) | (Ok(()), ReferenceOutcome::Valid) => Vec::new(),
        (Ok(()), _) => vec![format!(
            "{allows}, but the reference's output validates: {drop_it}"
        )],
        (Err(e), _) => vec![format!(
            "{allows}, but the reference's output does not validate ({e:#}): {drop_it}"
        )],
    }
}

/// Every way `link` misses the case's expectations (empty when it meets them all).
pub fn check_expectations(case: &Case, link: &LinkResult) -> Vec<String> {
    let mut failures = Vec::new();
    if case.outcome_from_reference {
        // Compared with the reference's outcome only (`compare`).
        return failures;
    }
    if case.expects_error() {
        if link.success {
            failures.push(format!(
                "the link succeeded, expected an error containing {:?}",
                case.expect_errors
            ));
        }
        let diagnostics = format!("{}{}", link.stderr, link.stdout);
        for want in &case.expect_errors {
            if !diagnostics.contains(want.as_str()) {
                failures.push(format!(
                    "diagnostics lack {want:?}; the linker said:\n{}",
                    indent(diagnostics.trim_end())
                ));
            }
        }
        if link.output.is_some() {
            failures.push(format!(
                "the failed link left an output file {}",
                link.output_name
            ));
        }
        return failures;
    }
    if !link.success {
        failures.push(format!(
            "the link failed (status {}):\n{}",
            link.code
                .map(|c| c.to_string())
                .unwrap_or_else(|| "killed".into()),
            indent(format!("{}{}", link.stderr, link.stdout).trim_end())
        ));
        return failures;
    }
    let Some(wasm) = &link.output else {
        failures.push("the link succeeded but wrote no output file".into());
        return failures;
    };
    if let Err(e) = crate::model::validate(wasm) {
        failures.push(format!("the output does not validate: {e}"));
        return failures;
    }
    let runs = case.effective_runs();
    let libs = if runs.is_empty() {
        Vec::new()
    } else {
        case_libraries(&link.work)
    };
    for r in runs {
        failures.extend(check_run(case, wasm, &r, &libs));
    }
    failures
}

fn check_run(case: &Case, wasm: &[u8], r: &Run, libs: &[crate::dylink::Library]) -> Vec<String> {
    let mut failures = Vec::new();
    let mut options = wasi_options(case);
    options.libs = libs.to_vec();
    match r {
        Run::Start => {
            let out = match run::run_wasi(wasm, &options) {
                Ok(o) => o,
                Err(e) => return vec![format!("run _start: {e:#}")],
            };
            let stdout = String::from_utf8_lossy(&out.stdout);
            if let Some(want) = &case.stdout {
                if *want != stdout {
                    failures.push(format!(
                        "run _start: stdout is {stdout:?}, expected {want:?}"
                    ));
                }
            }
            let stderr = String::from_utf8_lossy(&out.stderr);
            if let Some(want) = &case.stderr {
                if *want != stderr {
                    failures.push(format!(
                        "run _start: stderr is {stderr:?}, expected {want:?}"
                    ));
                }
            }
            let want_exit = case.exit.unwrap_or(0);
            if out.exit_code != want_exit {
                failures.push(format!(
                    "run _start: exit status {}, expected {want_exit}",
                    out.exit_code
                ));
            }
            match (&case.trap, &out.trap) {
                (None, Some(t)) => failures.push(format!("run _start: unexpected trap: {t}")),
                (Some(w), None) => {
                    failures.push(format!("run _start: no trap, expected one with {w:?}"))
                }
                (Some(w), Some(t)) if !t.contains(w.as_str()) => {
                    failures.push(format!("run _start: trap {t:?}, expected {w:?}"))
                }
                _ => {}
            }
        }
        Run::Call {
            name,
            args,
            results,
        } => {
            let what = format!(
                "run call {name}{}",
                args.iter().map(|a| format!(" {a}")).collect::<String>()
            );
            let values = match run::parse_args(wasm, name, args) {
                Ok(v) => v,
                Err(e) => return vec![format!("{what}: {e:#}")],
            };
            let out = match run::run_export_with(wasm, name, &values, &options) {
                Ok(o) => o,
                Err(e) => return vec![format!("{what}: {e:#}")],
            };
            // A call ends one of three ways (a trap, a WASI exit, or a return), and a case's
            // `trap:` or `exit:` says which one every call must take: a call that returns
            // where a trap or an exit was expected misses the case, as `_start` does above.
            if let Some(t) = &out.trap {
                match &case.trap {
                    Some(w) if t.contains(w.as_str()) => {}
                    Some(w) => failures.push(format!("{what}: trap {t:?}, expected {w:?}")),
                    None => failures.push(format!("{what}: trapped: {t}")),
                }
                return failures;
            }
            if let Some(w) = &case.trap {
                failures.push(format!("{what}: no trap, expected one with {w:?}"));
            }
            if let Some(code) = out.exit_code {
                if case.exit != Some(code) {
                    failures.push(format!("{what}: exited with status {code}"));
                }
                return failures;
            }
            if let Some(want) = case.exit {
                failures.push(format!(
                    "{what}: returned without exiting, expected exit status {want}"
                ));
            }
            if !failures.is_empty() {
                return failures;
            }
            if let (Some(want), Some(got)) = (results, &out.results) {
                if let Err(e) = results_match(wasm, name, want, got) {
                    failures.push(format!("{what}: {e}"));
                }
            }
        }
    }
    failures
}

fn results_match(wasm: &[u8], name: &str, want: &[String], got: &[Value]) -> Result<(), String> {
    let (_, types) = run::export_signature(wasm, name).map_err(|e| format!("{e:#}"))?;
    let shown = got
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    if types.len() != want.len() {
        return Err(format!(
            "returned {} results ({shown}), expected {}",
            types.len(),
            want.join(" ")
        ));
    }
    for ((ty, w), g) in types.iter().zip(want).zip(got) {
        let expected = Value::parse(w, ty).map_err(|e| format!("expected result: {e:#}"))?;
        let same = expected == *g
            || matches!((expected, g), (Value::F32(a), Value::F32(b)) if f32::from_bits(a).is_nan() && f32::from_bits(*b).is_nan())
            || matches!((expected, g), (Value::F64(a), Value::F64(b)) if f64::from_bits(a).is_nan() && f64::from_bits(*b).is_nan());
        if !same {
            return Err(format!("returned {shown}, expected {}", want.join(" ")));
        }
    }
    Ok(())
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linked(wat: &str) -> LinkResult {
        LinkResult::wrote_for_test(wat)
    }

    fn calling_run(trap: Option<&str>, exit: Option<i32>) -> Case {
        Case {
            name: "t/call".into(),
            runs: vec![Run::Call {
                name: "run".into(),
                args: Vec::new(),
                results: None,
            }],
            trap: trap.map(String::from),
            exit,
            ..Case::default()
        }
    }

    const RETURNS: &str = r#"(module (func (export "run") (result i32) i32.const 1))"#;
    const TRAPS: &str = r#"(module (func (export "run") (result i32) unreachable))"#;
    const EXITS: &str = r#"(module
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (func (export "run") (call $exit (i32.const 3))))"#;

    #[test]
    fn a_call_that_returns_misses_an_expected_trap() {
        let case = calling_run(Some("unreachable"), None);
        let failures = check_expectations(&case, &linked(RETURNS));
        assert_eq!(
            failures,
            vec!["run call run: no trap, expected one with \"unreachable\"".to_string()]
        );
        assert_eq!(
            check_expectations(&case, &linked(TRAPS)),
            Vec::<String>::new()
        );
        let other = calling_run(Some("indirect call type mismatch"), None);
        let failures = check_expectations(&other, &linked(TRAPS));
        assert!(
            failures.len() == 1 && failures[0].contains("expected \"indirect call"),
            "{failures:?}"
        );
    }

    #[test]
    fn a_call_that_returns_misses_an_expected_exit() {
        let case = calling_run(None, Some(3));
        let failures = check_expectations(&case, &linked(RETURNS));
        assert!(
            failures.len() == 1 && failures[0].contains("expected exit status 3"),
            "{failures:?}"
        );
        assert_eq!(
            check_expectations(&case, &linked(EXITS)),
            Vec::<String>::new()
        );
        let failures = check_expectations(&calling_run(None, Some(4)), &linked(EXITS));
        assert!(
            failures.len() == 1 && failures[0].contains("exited with status 3"),
            "{failures:?}"
        );
    }

    fn status_case(outcome: Option<ReferenceOutcome>) -> Case {
        let touchstone_refuses = outcome.as_ref().is_none_or(|o| o.touchstone_refuses());
        Case {
            name: "t/by-design".into(),
            differs: vec![crate::case::AllowedDifference {
                key: "status".into(),
                reason: "by design".into(),
            }],
            expect_errors: if touchstone_refuses {
                vec!["bad input".into()]
            } else {
                Vec::new()
            },
            reference_outcome: outcome,
            ..Case::default()
        }
    }

    /// The body leaves nothing where an i32 is due: wat writes it, validation refuses it.
    const INVALID: &str = r#"(module (func (export "run") (result i32)))"#;

    fn refused(stderr: &str) -> LinkResult {
        let mut r = linked(RETURNS);
        r.success = false;
        r.code = Some(1);
        r.output = None;
        r.stderr = stderr.into();
        r
    }

    fn one_failure_saying(failures: Vec<String>, says: &str) {
        assert!(
            failures.len() == 1 && failures[0].contains(says),
            "expected one failure with {says:?}: {failures:?}"
        );
    }

    #[test]
    fn a_refusal_by_design_needs_the_reference_to_link_an_invalid_module() {
        for case in [
            status_case(None),
            status_case(Some(ReferenceOutcome::Invalid)),
        ] {
            assert_eq!(
                check_reference_expectations(&case, &linked(INVALID)),
                Vec::<String>::new()
            );
            one_failure_saying(
                check_reference_expectations(&case, &linked(RETURNS)),
                "output validates",
            );
            one_failure_saying(
                check_reference_expectations(&case, &refused("error: bad input")),
                "refused it too",
            );
        }
    }

    #[test]
    fn a_refusal_by_design_of_what_the_reference_links_validly() {
        let case = status_case(Some(ReferenceOutcome::Valid));
        assert_eq!(
            check_reference_expectations(&case, &linked(RETURNS)),
            Vec::<String>::new()
        );
        one_failure_saying(
            check_reference_expectations(&case, &linked(INVALID)),
            "does not validate",
        );
        one_failure_saying(
            check_reference_expectations(&case, &refused("error: bad input")),
            "refused it too",
        );
        let mut no_output = linked(RETURNS);
        no_output.output = None;
        one_failure_saying(
            check_reference_expectations(&case, &no_output),
            "without writing an output file",
        );
    }

    #[test]
    fn a_link_by_design_needs_the_reference_to_refuse_with_the_text() {
        let case = status_case(Some(ReferenceOutcome::Error(
            "reloc section ended prematurely".into(),
        )));
        let said = "rust-lld: error: x.o: reloc section ended prematurely\n";
        assert_eq!(
            check_reference_expectations(&case, &refused(said)),
            Vec::<String>::new()
        );
        one_failure_saying(
            check_reference_expectations(&case, &refused("rust-lld: error: other\n")),
            "lack \"reloc section ended prematurely\"",
        );
        let mut left_output = refused(said);
        left_output.output = Some(Vec::new());
        one_failure_saying(
            check_reference_expectations(&case, &left_output),
            "left an output file",
        );
        for output in [RETURNS, INVALID] {
            one_failure_saying(
                check_reference_expectations(&case, &linked(output)),
                "the reference linked it",
            );
        }
        // Touchstone's side is the case's own expectations: it must link.
        assert_eq!(
            check_expectations(&case, &linked(RETURNS)),
            Vec::<String>::new()
        );
        one_failure_saying(
            check_expectations(&case, &refused("error: bad input")),
            "the link failed",
        );
    }
}
