//! Layout step: the output's target features, and wasm-ld's feature checks
//! (lld `Writer::populateTargetFeatures`).

use crate::args::Config;
use crate::gc::Live;
use crate::resolve::Resolved;
use rustc_hash::FxHashMap as HashMap;

/// The output's target features, sorted, each name as the inputs spell it: bytes, since
/// LLVM's reader takes any bytes there and wasm-ld writes them back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeatureSet(pub Vec<Vec<u8>>);

impl FeatureSet {
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|f| f == name.as_bytes())
    }
}

/// A feature name in a message.
fn shown(name: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(name)
}

/// The output feature set: every feature an input uses (`+`), or exactly `--features` when
/// given, plus `--extra-features`, sorted. Checked as lld's `populateTargetFeatures` does:
/// shared memory and TLS need atomics and bulk-memory; with `--features` every used feature
/// must be listed (reported in the order of lld's `used` StringMap); no object may use a
/// feature another disallows (`-`). All errors are reported together; `--no-check-features`
/// skips the checks.
pub fn compute_features(
    config: &Config,
    res: &Resolved,
    live: &Live,
    errors: &mut Vec<String>,
) -> FeatureSet {
    let mut used: Vec<(&[u8], String)> = Vec::new(); // (feature, first user)
    let mut disallowed: HashMap<&[u8], String> = HashMap::default();
    for o in &res.objects {
        for f in &o.obj.target_features {
            if f.prefix == b'+' {
                if !used.iter().any(|(u, _)| *u == f.name) {
                    used.push((f.name, o.name.clone()));
                }
            } else {
                disallowed.entry(f.name).or_insert_with(|| o.name.clone());
            }
        }
    }
    let mut set: Vec<Vec<u8>> = match &config.features {
        Some(list) => list.iter().map(|f| f.as_bytes().to_vec()).collect(),
        None => used.iter().map(|(f, _)| f.to_vec()).collect(),
    };
    for e in &config.extra_features {
        if !set.iter().any(|f| f == e.as_bytes()) {
            set.push(e.as_bytes().to_vec());
        }
    }
    // A PIC output imports mutable globals (`__stack_pointer`, GOT entries): lld's
    // populateTargetFeatures adds the feature.
    if config.is_pic() && !set.iter().any(|f| f == b"mutable-globals") {
        set.push(b"mutable-globals".to_vec());
    }
    set.sort();
    set.dedup();
    let set = FeatureSet(set);
    if !config.check_features {
        return set;
    }
    errors.extend(threading_errors(config, res, live, &set));
    if config.features.is_some() {
        // lld walks its `used` StringMap, so the errors come in its hash order.
        let names: Vec<&[u8]> = used.iter().map(|(f, _)| *f).collect();
        for f in crate::hash::string_map_order(&names) {
            let user = &used
                .iter()
                .find(|(u, _)| *u == f)
                .expect("a used feature")
                .1;
            if !set.0.iter().any(|s| s == f) {
                errors.push(format!(
                    "Target feature '{}' used by {user} is not allowed.",
                    shown(f)
                ));
            }
        }
    }
    for o in &res.objects {
        for f in o.obj.target_features.iter().filter(|f| f.prefix == b'+') {
            if let Some(other) = disallowed.get(f.name) {
                errors.push(format!(
                    "Target feature '{}' used in {} is disallowed by {}. Use --no-check-features to suppress.",
                    shown(f.name),
                    o.name,
                    other
                ));
            }
        }
    }
    set
}

/// Shared memory and thread-local storage each need `atomics` and `bulk-memory`. wasm-ld's
/// TLS message names no input; ours adds the first live TLS segment.
fn threading_errors(config: &Config, res: &Resolved, live: &Live, set: &FeatureSet) -> Vec<String> {
    let has = |f: &str| set.has(f);
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
            .find(|&(si, seg)| live.segments[oi][si] && seg.is_thread_local())?;
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
