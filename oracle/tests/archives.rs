//! The oracle builds the testsuite's archives in process (`touchstone_oracle::ar`); they must
//! be the bytes `llvm-ar-19 rcs` (`rcS`) writes from the same members, or the cases would test
//! other inputs than they say. Every archive of every testsuite case is built both ways.

use std::path::Path;
use std::process::Command;
use touchstone_oracle::case::{self, Input};

#[test]
fn testsuite_archives_are_llvm_ar_s_bytes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testsuite");
    let cases = case::discover(&root).expect("testsuite");
    let mut compared = 0;
    for c in &cases {
        let archives: Vec<(&String, bool)> = c
            .inputs
            .iter()
            .filter_map(|i| match i {
                Input::Archive { name, index, .. } => Some((name, *index)),
                Input::File(_) => None,
            })
            .collect();
        if archives.is_empty() {
            continue;
        }
        let work = tempfile::tempdir().unwrap();
        c.build_inputs(work.path())
            .unwrap_or_else(|e| panic!("{}: {e:#}", c.name));
        for (name, index) in archives {
            let ours = std::fs::read(work.path().join(name)).unwrap();
            // The members, in the order our archive holds them, from the folder the case
            // builds them in.
            let parsed = object::read::archive::ArchiveFile::parse(&ours[..])
                .unwrap_or_else(|e| panic!("{}: {name}: {e}", c.name));
            let members_dir = work.path().join(format!("{name}.members"));
            let files: Vec<_> = parsed
                .members()
                .map(|m| members_dir.join(String::from_utf8_lossy(m.unwrap().name()).as_ref()))
                .collect();
            let theirs = work.path().join(format!("{name}.llvm-ar"));
            let out = Command::new("llvm-ar-19")
                .arg(if index { "rcs" } else { "rcS" })
                .arg(&theirs)
                .args(&files)
                .output()
                .expect("llvm-ar-19 (ci/setup installs llvm-19)");
            assert!(
                out.status.success(),
                "{}: {name}: llvm-ar-19 failed",
                c.name
            );
            assert!(
                ours == std::fs::read(&theirs).unwrap(),
                "{}: {name}: the in-process archive differs from llvm-ar-19's",
                c.name
            );
            compared += 1;
        }
    }
    assert!(compared >= 20, "only {compared} archives in the testsuite");
}

/// The generator's libraries (`gen`, through the same writer) against llvm-ar-19 on their
/// members.
#[test]
fn generated_archives_are_llvm_ar_s_bytes() {
    use touchstone_oracle::gen::{self, FileKind};
    let mut compared = 0;
    for seed in 0..100 {
        // The bytes `touchstone fuzz --seed 1` generates its case `seed` from.
        let bytes = touchstone_oracle::fuzz::case_bytes(1, seed);
        let mut u = arbitrary::Unstructured::new(&bytes);
        let Ok(p) = gen::generate(&mut u, &gen::Limits::default()) else {
            continue;
        };
        for f in p.files.iter().filter(|f| f.kind == FileKind::Archive) {
            let work = tempfile::tempdir().unwrap();
            let parsed = object::read::archive::ArchiveFile::parse(&f.bytes[..]).unwrap();
            let mut files = Vec::new();
            for m in parsed.members() {
                let m = m.unwrap();
                let path = work.path().join(String::from_utf8_lossy(m.name()).as_ref());
                std::fs::write(&path, m.data(&f.bytes[..]).unwrap()).unwrap();
                files.push(path);
            }
            let theirs = work.path().join("llvm-ar.a");
            let out = Command::new("llvm-ar-19")
                .arg("rcs")
                .arg(&theirs)
                .args(&files)
                .output()
                .expect("llvm-ar-19 (ci/setup installs llvm-19)");
            assert!(out.status.success(), "seed {seed}: llvm-ar-19 failed");
            assert!(
                f.bytes == std::fs::read(&theirs).unwrap(),
                "seed {seed}: {}: the generated archive differs from llvm-ar-19's",
                f.name
            );
            compared += 1;
        }
    }
    assert!(compared >= 10, "only {compared} generated archives");
}
