//! Layout step: the output's target features, and wasm-ld's feature checks
//! (lld `Writer::populateTargetFeatures`).

use crate::args::Config;
use crate::gc::Live;
use crate::resolve::Resolved;
use rustc_hash::FxHashMap as HashMap;

/// The output feature set: every feature an input uses (`+`), or exactly `--features` when
/// given, plus `--extra-features`, sorted. Checked as lld's `populateTargetFeatures` does:
/// shared memory and TLS need atomics and bulk-memory; with `--features` every used feature
/// must be listed; no object may use a feature another disallows (`-`). All errors are
/// reported together; `--no-check-features` skips the checks.
pub fn compute_features(
    config: &Config,
    res: &Resolved,
    live: &Live,
    errors: &mut Vec<String>,
) -> Vec<String> {
    let mut used: Vec<(String, String)> = Vec::new(); // (feature, first user)
    let mut disallowed: HashMap<String, String> = HashMap::default();
    for o in &res.objects {
        for f in &o.obj.target_features {
            if f.prefix == b'+' {
                if !used.iter().any(|(u, _)| u == f.name) {
                    used.push((f.name.to_string(), o.name.clone()));
                }
            } else {
                disallowed
                    .entry(f.name.to_string())
                    .or_insert_with(|| o.name.clone());
            }
        }
    }
    let mut set: Vec<String> = match &config.features {
        Some(list) => list.clone(),
        None => used.iter().map(|(f, _)| f.clone()).collect(),
    };
    for e in &config.extra_features {
        if !set.contains(e) {
            set.push(e.clone());
        }
    }
    set.sort();
    set.dedup();
    if !config.check_features {
        return set;
    }
    errors.extend(threading_errors(config, res, live, &set));
    if config.features.is_some() {
        for (f, user) in &used {
            if !set.contains(f) {
                errors.push(format!(
                    "Target feature '{f}' used by {user} is not allowed."
                ));
            }
        }
    }
    for o in &res.objects {
        for f in o.obj.target_features.iter().filter(|f| f.prefix == b'+') {
            if let Some(other) = disallowed.get(f.name) {
                errors.push(format!(
                    "Target feature '{}' used in {} is disallowed by {}. Use --no-check-features to suppress.",
                    f.name, o.name, other
                ));
            }
        }
    }
    set
}

/// Shared memory and thread-local storage each need `atomics` and `bulk-memory`. wasm-ld's
/// TLS message names no input; ours adds the first live TLS segment.
fn threading_errors(config: &Config, res: &Resolved, live: &Live, set: &[String]) -> Vec<String> {
    let has = |f: &str| set.iter().any(|s| s == f);
    let mut errors = Vec::new();
    if config.shared_memory {
        for f in ["atomics", "bulk-memory"] {
            if !has(f) {
                errors.push(format!(
                    "'{f}' feature must be used in order to use shared memory"
                ));
            }
        }
    }
    let tls_user = res.objects.iter().enumerate().find_map(|(oi, o)| {
        let (_, seg) = o
            .obj
            .data_segments
            .iter()
            .enumerate()
            .find(|&(si, seg)| live.segments[oi][si] && seg.is_tls())?;
        Some(format!("{}: segment {}", o.name, seg.name))
    });
    if let Some(user) = tls_user {
        for f in ["atomics", "bulk-memory"] {
            if !has(f) {
                errors.push(format!(
                    "'{f}' feature must be used in order to use thread-local storage (used by {user})"
                ));
            }
        }
    }
    errors
}
