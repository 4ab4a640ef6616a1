//! `touchstone fuzz` (the oracle's campaign against any linker, `touchstone_oracle::fuzz`):
//! touchstone-ld against rust-lld gives no divergence; Debian's wasm-ld-19 (LLVM 19, which does
//! not yet place the stack first) gives divergences, deduplicated by signature, each kept as a
//! testsuite case folder with what diverged and the commands that reproduce it; a deliberately
//! broken rust-lld (it drops `--export=` options) is caught, its finding kept once and reduced,
//! and `--ignore` drops its key from the verdicts, saying so.

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
        ignore: Vec::new(),
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

/// rust-lld with one fault: it drops every `--export=NAME` option, so the generated programs'
/// `run` (every case asks for `--export=run`) is not exported. A `sh` script in `dir`.
fn drops_exports(dir: &std::path::Path) -> Linker {
    let lld = touchstone_oracle::link::rust_lld_path().unwrap_or_else(|e| panic!("{e:#}"));
    let script = dir.join("drops-exports.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n\
             # rust-lld, but without the --export=NAME options.\n\
             for a in \"$@\"; do\n\
             \x20 shift\n\
             \x20 case \"$a\" in --export=*) ;; *) set -- \"$@\" \"$a\" ;; esac\n\
             done\n\
             exec '{}' -flavor wasm \"$@\"\n",
            lld.display()
        ),
    )
    .expect("write the wrapper");
    Linker::parse(&format!("drops-exports=sh {}", script.display())).expect("linker")
}

/// The campaign finds the broken linker's divergence (`run` is not exported, so it cannot be
/// called: different behaviour), keeps one case per signature, and reduces each kept case to
/// fewer bytes than the generated one (kept in `original/`) with the same signature; the JUnit
/// report carries a failure for each diverging case.
#[test]
fn a_broken_linker_is_caught_and_its_finding_kept_once_and_reduced() {
    use touchstone_oracle::reduce::read_case;
    let dir = tempfile::tempdir().expect("tempdir");
    let linker = drops_exports(dir.path());
    let out = dir.path().join("found");
    let mut c = campaign(linker.clone(), 16, out.clone());
    c.reduce = true;
    let found = run(&c).expect("campaign");
    assert_eq!(found.cases, 16);
    let report = found.render("drops-exports");
    assert!(
        found
            .divergences
            .contains_key("different behaviour: export.run"),
        "{report}"
    );
    for d in found.divergences.values() {
        assert_eq!(d.class, "different behaviour", "{report}");
    }
    // Deduplicated: many cases, one kept folder per signature.
    let divergent: usize = found.divergences.values().map(|d| d.cases.len()).sum();
    assert!(divergent > found.divergences.len(), "{report}");
    let kept: Vec<_> = std::fs::read_dir(&out)
        .expect("the findings")
        .flatten()
        .filter(|e| e.file_name() != "work")
        .collect();
    assert_eq!(kept.len(), found.divergences.len(), "{report}");

    let reference = Linker::rust_lld().unwrap_or_else(|e| panic!("{e:#}"));
    for d in found.divergences.values() {
        let text =
            std::fs::read_to_string(d.folder.join("DIVERGENCE.txt")).expect("DIVERGENCE.txt");
        assert!(
            text.starts_with(&format!("{}\n", d.signature))
                && text.contains("Reduced by `touchstone reduce`"),
            "{text}"
        );
        let reduced = read_case(&d.folder).expect("the reduced case");
        let original = read_case(&d.folder.join("original")).expect("the generated case");
        assert!(
            case_bytes(&reduced) < case_bytes(&original),
            "{}: {} bytes, the generated case {}",
            d.folder.display(),
            case_bytes(&reduced),
            case_bytes(&original)
        );
        assert!(reduced.files.len() <= original.files.len());
        // Judged afresh, the reduced case diverges the same way.
        let case = touchstone_oracle::case::Case::parse(&d.folder.join("main.wat"), "kept")
            .expect("the reduced case parses");
        let verdict =
            touchstone_oracle::fuzz::judge(&case, &linker, &reference, &dir.path().join("again"))
                .expect("judged")
                .expect("the reduced case diverges");
        assert_eq!(verdict.signature, d.signature);
    }

    let xml = found.render_junit(&c);
    touchstone_oracle::junit::well_formed(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert!(
        xml.contains("<testsuite name=\"drops-exports\" tests=\"16\""),
        "{xml}"
    );
    assert_eq!(
        xml.matches("<failure message=\"different behaviour: ")
            .count(),
        divergent,
        "{xml}"
    );
    assert!(
        xml.contains(
            "<failure message=\"different behaviour: export.run\" type=\"different behaviour\">"
        ),
        "{xml}"
    );
}

/// `--ignore export.run`: the key is dropped from every verdict (the cases diverge on what
/// follows from it instead) and the summary says how many differences it dropped.
#[test]
fn ignored_keys_leave_the_verdicts_and_are_counted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = campaign(drops_exports(dir.path()), 8, dir.path().join("found"));
    c.ignore = vec!["export.run".into()];
    let found = run(&c).expect("campaign");
    let report = found.render("drops-exports");
    assert!(
        !found.divergences.keys().any(|s| s.contains("export.run")),
        "{report}"
    );
    assert!(!found.ignored.is_empty(), "{report}");
    for d in found.ignored.values().flatten() {
        assert_eq!(d.key, "export.run");
    }
    let n: usize = found.ignored.values().map(Vec::len).sum();
    assert!(
        report.contains(&format!(
            "{n} differences ignored by --ignore (in {} cases): export.run ({n})",
            found.ignored.len()
        )),
        "{report}"
    );
    // A kept case says how it was judged.
    for d in found.divergences.values() {
        let text =
            std::fs::read_to_string(d.folder.join("DIVERGENCE.txt")).expect("DIVERGENCE.txt");
        assert!(text.contains("Judged with --ignore export.run"), "{text}");
    }
    let xml = found.render_junit(&c);
    touchstone_oracle::junit::well_formed(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert!(
        xml.contains("<property name=\"ignore\" value=\"export.run\"/>")
            && xml.contains("ignored by --ignore: export.run"),
        "{xml}"
    );
}
