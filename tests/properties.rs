//! Property tests over generated programs (`touchstone_oracle::gen`), run by proptest in
//! `cargo test`:
//!
//! - a generated set links with touchstone and with rust-lld (the reference, which checks the
//!   generator's prediction), both outputs validate and `run` returns the predicted checksum;
//! - linking is deterministic (same inputs, same bytes);
//! - GC never removes what a root reaches: the program behaves the same with `--gc-sections`
//!   and `--no-gc-sections`;
//! - moving input files on the command line changes the outcome only as wasm-ld's rules say
//!   (first weak definition / first COMDAT wins, init function ties, custom section order):
//!   the generator re-predicts for the new order and both linkers must agree with it;
//! - a partial link (`-r`) of the objects, then the final link of its output with the
//!   archives, behaves as rust-lld doing both steps, whichever linker does each step
//!   (touchstone then touchstone, touchstone then rust-lld, rust-lld then touchstone): the
//!   same run result, or a refusal alike; and the two `-r` outputs are the same bytes. (Not always as the direct link: `-r` drops a
//!   segment's retain flag, so GC may then remove a section `__start_X` needs.)
//!
//! Two properties live beside the code they check: relocation sites read back as written
//! (`src/format/tests/patch.rs`), and the object parser agrees with wasmparser on the
//! assembler's objects (a unit test in `src/object/`, since the parser is not public).
//!
//! Case counts are small so the whole file runs in well under a minute (each case links with
//! rust-lld and runs in wasmtime); the fuzzers (`fuzz/`) run the same checks for hours.

use arbitrary::Unstructured;
use proptest::prelude::*;
use touchstone_fuzz_harness as fuzzlib;
use touchstone_oracle::gen::{self, Limits, Program};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // Shrinking reruns links and wasmtime; the failure message already lists the program.
        max_shrink_iters: 32,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn generate(seed: &[u8]) -> Program {
    gen::generate(&mut Unstructured::new(seed), &Limits::default()).expect("generator")
}

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("scratch directory")
}

fn seed() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 16..600)
}

/// Links with touchstone, with `extra` options after the program's own (so they win).
fn link_with(p: &Program, dir: &std::path::Path, extra: &[&str]) -> Result<Vec<u8>, String> {
    p.write(dir).map_err(|e| e.to_string())?;
    let mut args = p.args(dir, &dir.join("out.wasm"));
    args.splice(
        p.options.len()..p.options.len(),
        extra.iter().map(|s| s.to_string()),
    );
    let config = touchstone::args::parse(&args).map_err(|e| e.to_string())?;
    touchstone::link_to_bytes(&config)
        .map(|r| r.0)
        .map_err(|e| format!("touchstone-ld: {e}\n{}", p.describe()))
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn generated_programs_link_and_run_as_predicted(seed in seed()) {
        let p = generate(&seed);
        let dir = scratch();
        let ours = fuzzlib::link_touchstone(&p, dir.path(), &[]).map_err(TestCaseError::fail)?;
        let reference = fuzzlib::link_reference(&p, dir.path()).map_err(TestCaseError::fail)?;
        fuzzlib::check_linked(&p, &reference, "rust-lld (generator check)")
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", p.describe())))?;
        fuzzlib::check_linked(&p, &ours, "touchstone-ld")
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", p.describe())))?;
    }

    #[test]
    fn linking_is_deterministic(seed in seed()) {
        let p = generate(&seed);
        let dir = scratch();
        let a = link_with(&p, dir.path(), &[]).map_err(TestCaseError::fail)?;
        let b = link_with(&p, dir.path(), &[]).map_err(TestCaseError::fail)?;
        prop_assert!(a == b, "two links of the same inputs differ\n{}", p.describe());
    }
}

proptest! {
    #![proptest_config(config(16))]

    #[test]
    fn gc_never_removes_what_a_root_reaches(seed in seed()) {
        let p = generate(&seed);
        let dir = scratch();
        for flag in ["--gc-sections", "--no-gc-sections"] {
            let wasm = link_with(&p, dir.path(), &[flag]).map_err(TestCaseError::fail)?;
            fuzzlib::check_linked(&p, &wasm, &format!("touchstone-ld {flag}"))
                .map_err(|e| TestCaseError::fail(format!("{e}\n{}", p.describe())))?;
        }
    }

    #[test]
    fn moving_inputs_changes_only_what_the_rules_say(
        seed in seed(),
        keys in proptest::collection::vec(any::<u32>(), 12),
    ) {
        let p = generate(&seed);
        let mut order: Vec<usize> = (0..p.files.len()).collect();
        order.sort_by_key(|&i| (keys[i % keys.len()], i));
        let moved = p.reordered(&order).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let dir = scratch();
        let reference = fuzzlib::link_reference(&{
            moved.write(dir.path()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            moved.clone()
        }, dir.path()).map_err(TestCaseError::fail)?;
        fuzzlib::check_linked(&moved, &reference, "rust-lld (generator check)")
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", moved.describe())))?;
        let ours = link_with(&moved, dir.path(), &[]).map_err(TestCaseError::fail)?;
        fuzzlib::check_linked(&moved, &ours, "touchstone-ld")
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", moved.describe())))?;
    }
}

/// What a two-step link gave: the run result of the module (after validation), or the
/// refusal.
fn two_step_outcome(
    p: &Program,
    dir: &std::path::Path,
    first: fuzzlib::Step,
    second: fuzzlib::Step,
) -> Result<i32, String> {
    let wasm = fuzzlib::two_step_link(p, dir, first, second)?;
    p.check_module(&wasm).map_err(|e| e.to_string())?;
    fuzzlib::run_checksum(&wasm)
}

proptest! {
    #![proptest_config(config(12))]

    #[test]
    fn a_partial_link_then_a_final_link_behaves_as_rust_lld_doing_both(seed in seed()) {
        let p = generate(&seed);
        let dir = scratch();
        fuzzlib::partial_links_agree(&p, dir.path())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", p.describe())))?;
        let reference = two_step_outcome(&p, dir.path(), fuzzlib::Step::RustLld, fuzzlib::Step::RustLld);
        for (first, second) in [
            (fuzzlib::Step::Touchstone, fuzzlib::Step::Touchstone),
            (fuzzlib::Step::Touchstone, fuzzlib::Step::RustLld),
            (fuzzlib::Step::RustLld, fuzzlib::Step::Touchstone),
        ] {
            let ours = two_step_outcome(&p, dir.path(), first, second);
            let alike = match (&ours, &reference) {
                (Ok(a), Ok(b)) => a == b,
                (Err(_), Err(_)) => true,
                _ => false,
            };
            prop_assert!(
                alike,
                "-r by {first:?} then {second:?}: {ours:?}; rust-lld both steps: {reference:?}\n{}",
                p.describe()
            );
        }
    }
}

/// Every template, alone (two instances), links with rust-lld and touchstone and runs
/// as predicted: no template is left to chance in the random properties above.
#[test]
fn every_template_links_and_runs_as_predicted() {
    let templates = gen::template::all().expect("templates parse");
    let mut failures = Vec::new();
    for t in &templates {
        for seed in 0..1u8 {
            let bytes: Vec<u8> = (0..256u32)
                .map(|i| (i.wrapping_mul(97).wrapping_add(seed as u32 * 131) % 251) as u8)
                .collect();
            let limits = Limits {
                max_instances: 2,
                random_options: true,
            };
            let p = match gen::generate_with(
                &mut Unstructured::new(&bytes),
                &limits,
                std::slice::from_ref(t),
            ) {
                Ok(p) => p,
                Err(e) => {
                    failures.push(format!("{} seed {seed}: {e}", t.name));
                    continue;
                }
            };
            let dir = scratch();
            let result = fuzzlib::link_touchstone(&p, dir.path(), &[]).and_then(|ours| {
                let reference = fuzzlib::link_reference(&p, dir.path())?;
                fuzzlib::check_linked(&p, &reference, "rust-lld (generator check)")?;
                fuzzlib::check_linked(&p, &ours, "touchstone-ld")
            });
            if let Err(e) = result {
                failures.push(format!("{} seed {seed}: {e}\n{}", t.name, p.describe()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
