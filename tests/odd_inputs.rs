//! Inputs that are odd but that wasm-ld links, found by the bad-input campaign (ci/badinput)
//! and `touchstone fuzz --corrupt-one-in`: touchstone-ld must link them too, byte for byte as
//! rust-lld does. (The odd inputs touchstone-ld refuses by design are testsuite cases, in
//! testsuite/bad-input.)

use std::path::Path;
use std::process::Command;

fn run(program: &Path, prefix: &[&str], args: &[&str], dir: &Path, out: &str) -> Vec<u8> {
    let o = Command::new(program)
        .current_dir(dir)
        .args(prefix)
        .args(args)
        .args(["-o", out])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    assert!(
        o.status.success(),
        "{}: {}",
        program.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::read(dir.join(out)).expect("output")
}

/// A `target_features` name that is not UTF-8: LLVM's reader copies the bytes, and wasm-ld
/// writes them back into the output's `target_features`.
#[test]
fn a_feature_name_that_is_not_utf8_is_copied() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("m.c");
    std::fs::write(&src, "int f(void) { return 1; }\n").expect("write");
    let status = Command::new("clang-19")
        .current_dir(dir.path())
        .args([
            "--target=wasm32-unknown-unknown",
            "-O2",
            "-c",
            "m.c",
            "-o",
            "m.o",
        ])
        .status()
        .expect("clang-19 (package clang-19, ci/setup)");
    assert!(status.success());
    let mut bytes = std::fs::read(dir.path().join("m.o")).expect("object");
    let at = bytes
        .windows(b"mutable-globals".len())
        .rposition(|w| w == b"mutable-globals")
        .expect("clang-19 lists mutable-globals in target_features");
    bytes[at + 3] = 0xff;
    std::fs::write(dir.path().join("m.o"), &bytes).expect("write");

    let args = ["--no-entry", "--export=f", "m.o"];
    let lld = touchstone_oracle::link::rust_lld_path().unwrap_or_else(|e| panic!("{e:#}"));
    std::fs::create_dir_all(dir.path().join("r")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("t")).expect("mkdir");
    let theirs = run(&lld, &["-flavor", "wasm"], &args, dir.path(), "r/out.wasm");
    let ours = run(
        Path::new(env!("CARGO_BIN_EXE_touchstone-ld")),
        &[],
        &args,
        dir.path(),
        "t/out.wasm",
    );
    assert!(
        ours.windows(4).any(|w| w == b"mut\xff"),
        "the name was not copied"
    );
    assert!(ours == theirs, "output differs from rust-lld's");
}

/// A C file compiled with clang-19 into `dir/name.o`; returns the object's bytes.
fn compile(dir: &Path, name: &str, source: &str) -> Vec<u8> {
    std::fs::write(dir.join(format!("{name}.c")), source).expect("write");
    let status = Command::new("clang-19")
        .current_dir(dir)
        .args(["--target=wasm32-unknown-unknown", "-O2", "-c"])
        .arg(format!("{name}.c"))
        .arg("-o")
        .arg(format!("{name}.o"))
        .status()
        .expect("clang-19 (package clang-19, ci/setup)");
    assert!(status.success());
    std::fs::read(dir.join(format!("{name}.o"))).expect("object")
}

/// Links `args` with rust-lld and with touchstone-ld (both must succeed) and returns the
/// outputs (theirs, ours).
fn link_both(dir: &Path, args: &[&str], tag: &str) -> (Vec<u8>, Vec<u8>) {
    let lld = touchstone_oracle::link::rust_lld_path().unwrap_or_else(|e| panic!("{e:#}"));
    // The same output name for both: the file name can reach the output (`name.module`).
    let (r, t) = (format!("r-{tag}"), format!("t-{tag}"));
    std::fs::create_dir_all(dir.join(&r)).expect("mkdir");
    std::fs::create_dir_all(dir.join(&t)).expect("mkdir");
    let theirs = run(
        &lld,
        &["-flavor", "wasm"],
        args,
        dir,
        &format!("{r}/out.wasm"),
    );
    let ours = run(
        Path::new(env!("CARGO_BIN_EXE_touchstone-ld")),
        &[],
        args,
        dir,
        &format!("{t}/out.wasm"),
    );
    (theirs, ours)
}

/// The sections of an object: (id, payload range).
fn sections(b: &[u8]) -> Vec<(u8, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut at = 8;
    while at < b.len() {
        let (size, n) = touchstone_format::leb::read_u64(b, at + 1).expect("section size");
        let start = at + 1 + n;
        out.push((b[at], start..start + size as usize));
        at = start + size as usize;
    }
    out
}

/// An object with a data segment, a data relocation and code relocations, to corrupt.
const PROGRAM: &str = "int x = 5;\nint *p = &x;\nint g(int);\n\
                       int f(void) { return *p + x + g(3); }\n\
                       int g(int a) { return a * x; }\n";

/// LLVM's reader takes a LEB with any number of padding bytes, where the core spec stops at 5
/// bytes for a 32-bit value: wasm-ld links an object whose section sizes and relocation
/// fields are padded (the fuzzer's "overlong section size"), and so does touchstone-ld, into
/// the same module as from the object unpadded.
#[test]
fn padded_section_sizes_and_relocation_fields_are_read_as_llvm_reads_them() {
    use touchstone_format::{leb, RelocType};
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = compile(dir.path(), "m", PROGRAM);
    let mut padded = plain[..8].to_vec();
    let mut relocs = 0;
    for (id, range) in sections(&plain) {
        let mut payload = plain[range.clone()].to_vec();
        let name_len = payload[0] as usize;
        if id == 0 && payload[1..1 + name_len].starts_with(b"reloc.") {
            // Re-encode every entry: offset and index in 7 bytes, an addend in 12.
            let b = &plain[range];
            let mut at = 1 + name_len;
            let (target, n) = leb::read_u64(b, at).unwrap();
            at += n;
            let (count, n) = leb::read_u64(b, at).unwrap();
            at += n;
            payload.truncate(1 + name_len);
            leb::write_uleb_padded(&mut payload, target, 6);
            leb::write_uleb_padded(&mut payload, count, 6);
            for _ in 0..count {
                let ty = b[at];
                payload.push(ty);
                at += 1;
                for _ in 0..2 {
                    let (v, n) = leb::read_u64(b, at).unwrap();
                    leb::write_uleb_padded(&mut payload, v, 7);
                    at += n;
                }
                if RelocType::from_u8(ty).is_some_and(|t| t.has_addend()) {
                    let (v, n) = leb::read_i64(b, at).unwrap();
                    leb::write_sleb_padded(&mut payload, v, 12);
                    at += n;
                }
                relocs += 1;
            }
            assert_eq!(at, b.len(), "every relocation re-encoded");
        }
        padded.push(id);
        leb::write_uleb_padded(&mut padded, payload.len() as u64, 9);
        padded.extend_from_slice(&payload);
    }
    assert!(relocs >= 3, "the program has code and data relocations");
    assert!(
        wasmparser::Parser::new(0)
            .parse_all(&padded)
            .any(|p| p.is_err()),
        "the core spec's reader refuses the padded sizes"
    );
    std::fs::write(dir.path().join("m.o"), &plain).expect("write");
    std::fs::write(dir.path().join("padded.o"), &padded).expect("write");
    let args = |o| ["--no-entry", "--export=f", o];
    let (theirs, ours) = link_both(dir.path(), &args("padded.o"), "padded");
    assert!(ours == theirs, "output differs from rust-lld's");
    let (_, unpadded) = link_both(dir.path(), &args("m.o"), "plain");
    assert!(ours == unpadded, "the padding changed the output");
}

/// LLVM's reader looks at two bits of a data segment's flags (IS_PASSIVE, HAS_MEMINDEX) and
/// ignores the others (the fuzzer's "unknown data segment flags"); wasm-ld writes segments
/// of its own, and so does touchstone-ld.
#[test]
fn unknown_data_segment_flags_are_ignored_as_llvm_does() {
    use touchstone_format::leb;
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = compile(dir.path(), "m", PROGRAM);
    let mut flagged = plain.clone();
    let (_, data) = sections(&plain)
        .into_iter()
        .find(|s| s.0 == 11)
        .expect("a data section");
    let (count, n) = leb::read_u64(&plain, data.start).unwrap();
    let mut at = data.start + n;
    for _ in 0..count {
        // clang writes active segments: flags 0, `i32.const N end`, size, bytes.
        assert_eq!(plain[at..at + 2], [0, 0x41]);
        flagged[at] = 0x04;
        let (_, n) = leb::read_i64(&plain, at + 2).unwrap();
        at += 2 + n;
        assert_eq!(plain[at], 0x0b);
        let (size, n) = leb::read_u64(&plain, at + 1).unwrap();
        at += 1 + n + size as usize;
    }
    assert_eq!(at, data.end, "every segment walked");
    let refused = wasmparser::Parser::new(0)
        .parse_all(&flagged)
        .any(|p| match p {
            Ok(wasmparser::Payload::DataSection(r)) => r.into_iter().any(|s| s.is_err()),
            _ => false,
        });
    assert!(refused, "the core spec's reader refuses the flags");
    std::fs::write(dir.path().join("flagged.o"), &flagged).expect("write");
    let args = |o| ["--no-entry", "--export=f", o];
    let (theirs, ours) = link_both(dir.path(), &args("flagged.o"), "flagged");
    assert!(ours == theirs, "output differs from rust-lld's");
    let (_, unflagged) = link_both(dir.path(), &args("m.o"), "plain");
    assert!(ours == unflagged, "the flags changed the output");
}

/// LLVM's reader skips a `linking` subsection type it does not know (the fuzzer's "unknown
/// subsection type"), and so does touchstone-ld.
#[test]
fn an_unknown_linking_subsection_is_skipped_as_llvm_does() {
    use touchstone_format::leb;
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = compile(dir.path(), "m", PROGRAM);
    let mut extended = plain[..8].to_vec();
    let mut found = false;
    for (id, range) in sections(&plain) {
        let mut payload = plain[range].to_vec();
        if id == 0 && payload.starts_with(b"\x07linking") {
            payload.extend_from_slice(&[99, 3, 0xaa, 0xbb, 0xcc]);
            found = true;
        }
        extended.push(id);
        leb::write_u64(&mut extended, payload.len() as u64);
        extended.extend_from_slice(&payload);
    }
    assert!(found, "clang-19 wrote a linking section");
    std::fs::write(dir.path().join("extended.o"), &extended).expect("write");
    let args = |o| ["--no-entry", "--export=f", o];
    let (theirs, ours) = link_both(dir.path(), &args("extended.o"), "extended");
    assert!(ours == theirs, "output differs from rust-lld's");
    let (_, plain_out) = link_both(dir.path(), &args("m.o"), "plain");
    assert!(ours == plain_out, "the subsection changed the output");
}
