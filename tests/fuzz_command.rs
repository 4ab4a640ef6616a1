//! `touchstone fuzz` (the oracle's campaign against any linker, `touchstone_oracle::fuzz`):
//! touchstone-ld against rust-lld gives no divergence; Debian's wasm-ld-19 (LLVM 19, which does
//! not yet place the stack first) gives divergences, deduplicated by signature, each kept as a
//! testsuite case folder with what diverged and the commands that reproduce it.

use std::path::PathBuf;
use touchstone_oracle::fuzz::{run, Campaign};
use touchstone_oracle::link::Linker;

fn campaign(linker: Linker, cases: u64, out: PathBuf) -> Campaign {
    Campaign {
        linker,
        reference: Linker::rust_lld().unwrap_or_else(|e| panic!("{e:#}")),
        seed: 7,
        cases: Some(cases),
        time: None,
        shard: (0, 1),
        jobs: 2,
        out,
        corrupt_every: 0,
        reduce: false,
    }
}

#[test]
fn touchstone_ld_does_not_diverge() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ts = format!("touchstone={}", env!("CARGO_BIN_EXE_touchstone-ld"));
    let linker = Linker::parse(&ts).expect("linker");
    let found = run(&campaign(linker, 16, dir.path().to_path_buf())).expect("campaign");
    assert_eq!(found.cases, 16);
    assert!(
        found.divergences.is_empty(),
        "{}",
        found.render("touchstone")
    );
}

#[test]
fn another_linker_s_divergences_are_classified_deduplicated_and_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let linker =
        Linker::wasm_ld_19().expect("wasm-ld-19 is not on PATH (package lld-19, ci/setup)");
    let mut c = campaign(linker, 30, dir.path().to_path_buf());
    c.reduce = true;
    let found = run(&c).expect("campaign");
    assert!(
        !found.divergences.is_empty(),
        "wasm-ld-19 did not diverge in 30 cases"
    );
    let divergent: usize = found.divergences.values().map(|d| d.cases.len()).sum();
    assert!(
        divergent > found.divergences.len(),
        "no two cases shared a signature"
    );
    for d in found.divergences.values() {
        assert!(
            d.folder.join("main.wat").is_file(),
            "{} has no case",
            d.folder.display()
        );
        let text =
            std::fs::read_to_string(d.folder.join("DIVERGENCE.txt")).expect("DIVERGENCE.txt");
        assert!(
            text.starts_with(&d.signature) && text.contains("wasm-ld-19"),
            "{text}"
        );
        // Reduced, the generated case beside it.
        assert!(text.contains("Reduced by `touchstone reduce`"), "{text}");
        assert!(d.folder.join("original/main.wat").is_file());
    }
}

#[test]
fn shards_split_the_cases_and_merge_by_signature() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut found = Vec::new();
    for shard in 0..2 {
        let linker =
            Linker::wasm_ld_19().expect("wasm-ld-19 is not on PATH (package lld-19, ci/setup)");
        let mut c = campaign(linker, 12, dir.path().join(format!("shard{shard}")));
        c.shard = (shard, 2);
        let f = run(&c).expect("campaign");
        // Shard I runs the cases numbered I modulo 2.
        assert!(f
            .divergences
            .values()
            .flat_map(|d| &d.cases)
            .all(|n| n % 2 == shard));
        found.push(f);
    }
    let dirs = [dir.path().join("shard0"), dir.path().join("shard1")];
    let merged = touchstone_oracle::fuzz::merge(&dirs, &dir.path().join("merged")).expect("merge");
    let signatures: std::collections::BTreeSet<&String> =
        found.iter().flat_map(|f| f.divergences.keys()).collect();
    assert_eq!(merged.len(), signatures.len());
    for (_, folder, _) in &merged {
        assert!(folder.join("DIVERGENCE.txt").is_file() && folder.join("main.wat").is_file());
    }
}

#[test]
fn corrupted_variants_are_judged_by_the_verdicts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ts = format!("touchstone={}", env!("CARGO_BIN_EXE_touchstone-ld"));
    let mut c = campaign(
        Linker::parse(&ts).expect("linker"),
        40,
        dir.path().to_path_buf(),
    );
    c.corrupt_every = 1;
    let found = run(&c).expect("campaign");
    assert_eq!(found.cases, 40);
    for d in found.divergences.values() {
        assert!(
            d.signature.starts_with("corrupted input, "),
            "{}",
            d.signature
        );
        let main = std::fs::read_to_string(d.folder.join("main.wat")).expect("main.wat");
        assert!(main.contains(".bin") && !main.contains("-> "), "{main}");
    }
    // Every case's inputs hold a corrupted object.
    let cases = dir.path().join("work/cases");
    let with_bin = std::fs::read_dir(&cases)
        .expect("case folders")
        .filter_map(|e| e.ok())
        .filter(|e| {
            std::fs::read_dir(e.path())
                .map(|fs| {
                    fs.flatten()
                        .any(|f| f.path().extension().is_some_and(|x| x == "bin"))
                })
                .unwrap_or(false)
        })
        .count();
    assert_eq!(with_bin, 40);
}

/// Total size of a case folder's sources.
fn case_bytes(folder: &touchstone_oracle::reduce::Folder) -> usize {
    folder.files.values().map(Vec::len).sum()
}

/// `touchstone reduce`: a divergence of wasm-ld-19 found by a campaign comes out smaller, and
/// the reduced case, judged afresh, still diverges with the same signature; a case that
/// conforms is refused.
#[test]
fn reduce_shrinks_a_divergence_and_keeps_its_signature() {
    use touchstone_oracle::reduce::{read_case, reduce};
    let dir = tempfile::tempdir().expect("tempdir");
    let linker =
        Linker::wasm_ld_19().expect("wasm-ld-19 is not on PATH (package lld-19, ci/setup)");
    let reference = Linker::rust_lld().unwrap_or_else(|e| panic!("{e:#}"));
    let found = run(&campaign(linker.clone(), 20, dir.path().join("found"))).expect("campaign");
    let d = found
        .divergences
        .values()
        .next()
        .expect("wasm-ld-19 diverges in 20 cases");
    let before = read_case(&d.folder).expect("read the case");
    let work = dir.path().join("work");
    let mut log = |_: &str| {};
    let reduced = reduce(&d.folder, &linker, &reference, &work, &mut log).expect("reduce");
    assert_eq!(reduced.verdict.signature, d.signature);
    assert!(!reduced.removed.is_empty(), "nothing was removed");
    assert!(
        case_bytes(&reduced.folder) < case_bytes(&before),
        "{} bytes, as many as before",
        case_bytes(&reduced.folder)
    );
    let out = dir.path().join("reduced");
    touchstone_oracle::reduce::keep(&reduced, &reduced.verdict.signature, &out).expect("keep");
    let again = reduce(&out, &linker, &reference, &dir.path().join("w2"), &mut log)
        .expect("the reduced case diverges");
    assert_eq!(again.verdict.signature, d.signature);
    assert!(again.removed.is_empty(), "not minimal: {:?}", again.removed);

    let ts = format!("touchstone={}", env!("CARGO_BIN_EXE_touchstone-ld"));
    let ours = Linker::parse(&ts).expect("linker");
    let e = reduce(&out, &ours, &reference, &dir.path().join("w3"), &mut log)
        .err()
        .expect("touchstone-ld does not diverge");
    assert!(e.to_string().contains("does not diverge"), "{e:#}");
}
