//! A case's own expectations checked against one linker's result: the link fails with the
//! expected diagnostics and writes no output, or it succeeds, validates, and the runs show the
//! expected stdout, stderr, exit status, traps and results. Used by `cargo test` (touchstone
//! alone, and rust-lld to prove the cases right) and by the conformance report.

use crate::case::{Case, Run};
use crate::link::LinkResult;
use crate::run::{self, Value, WasiOptions};

/// The WASI options a case's `_start` runs get.
pub fn wasi_options(case: &Case) -> WasiOptions {
    WasiOptions {
        args: vec![case.name.rsplit('/').next().unwrap_or("case").to_string()],
        stdin: case.stdin.clone().unwrap_or_default().into_bytes(),
        preopens: Vec::new(),
        env: Vec::new(),
    }
}

/// Every way the reference linker misses the case. Mostly the case's own expectations; but a
/// case that allows a `status` difference (`differs-from-wasm-ld: status -- reason`: touchstone
/// refuses an input wasm-ld accepts, by design) expects wasm-ld to link it, so that the case
/// says so when wasm-ld starts refusing it too.
pub fn check_reference_expectations(case: &Case, link: &LinkResult) -> Vec<String> {
    if !case.allows_status_difference() {
        return check_expectations(case, link);
    }
    if link.success {
        Vec::new()
    } else {
        vec![format!(
            "the case allows a status difference (touchstone refuses by design), but the \
             reference refused too: drop the `differs-from-wasm-ld: status` line\n{}",
            indent(format!("{}{}", link.stderr, link.stdout).trim_end())
        )]
    }
}

/// Every way `link` misses the case's expectations (empty when it meets them all).
pub fn check_expectations(case: &Case, link: &LinkResult) -> Vec<String> {
    let mut failures = Vec::new();
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
    for r in case.effective_runs() {
        failures.extend(check_run(case, wasm, &r));
    }
    failures
}

fn check_run(case: &Case, wasm: &[u8], r: &Run) -> Vec<String> {
    let mut failures = Vec::new();
    match r {
        Run::Start => {
            let out = match run::run_wasi(wasm, &wasi_options(case)) {
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
            let what = format!("run call {name} {}", args.join(" "));
            let values = match run::parse_args(wasm, name, args) {
                Ok(v) => v,
                Err(e) => return vec![format!("{what}: {e:#}")],
            };
            let out = match run::run_export(wasm, name, &values) {
                Ok(o) => o,
                Err(e) => return vec![format!("{what}: {e:#}")],
            };
            if let Some(t) = &out.trap {
                match &case.trap {
                    Some(w) if t.contains(w.as_str()) => {}
                    _ => failures.push(format!("{what}: trapped: {t}")),
                }
                return failures;
            }
            if let Some(code) = out.exit_code {
                if case.exit != Some(code) {
                    failures.push(format!("{what}: exited with status {code}"));
                }
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
