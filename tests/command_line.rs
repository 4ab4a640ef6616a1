//! The driver's behaviour around the link, checked against rust-lld 22 byte for byte: the
//! program name before each message, the checks of the options and of the output path made
//! before the link (`no output file specified`, `--import-table` with `--export-table`, a
//! folder or a missing folder as `-o` or `-Map`), `-o -` (stdout), `--noinhibit-exec` and
//! `-z muldefs` with duplicate symbols, `-Bsymbolic`'s warning, `--rsp-quoting` and
//! `--export` of a symbol defined nowhere under each unresolved-symbols policy, `--help`'s list
//! of options and `--reproduce`'s tar file.
//!
//! Both linkers are called through a symlink named `wasm-ld` (rust-lld picks its flavor from
//! that name, and both prefix their messages with it), each in a folder of its own holding the
//! same inputs, so that paths in messages are spelled alike. Each case compares the exit
//! status, stdout, stderr and the output file, and spells out what wasm-ld prints, as the
//! record of its wording.
//!
//! A missing rust-lld fails the tests with a message.

use std::path::{Path, PathBuf};
use std::process::Command;

/// rust-lld from the active Rust toolchain (fails the test, saying why, if it is missing).
fn rust_lld() -> PathBuf {
    touchstone_oracle::link::rust_lld_path().unwrap_or_else(|e| panic!("{e:#}"))
}

/// Calls the undefined function `missing`: a link that gets as far as resolving fails.
const CALLS_MISSING: &str = r#"(module
  (import "env" "missing" (func $missing))
  (func $_start (export "_start") call $missing))"#;

/// Defines `_start` and `value` (returning 1).
const VALUE_1: &str = r#"(module
  (func $_start (export "_start") call $value drop)
  (func $value (result i32) i32.const 1))"#;

/// Defines `value` again (returning 2): a duplicate of VALUE_1's.
const VALUE_2: &str = r#"(module
  (func $value (result i32) i32.const 2))"#;

/// One folder per linker, each holding the same inputs and a `wasm-ld` symlink to its linker.
struct Case {
    dir: tempfile::TempDir,
}

/// What one link did.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    status: i32,
    stdout: Vec<u8>,
    stderr: String,
    /// The file `out.wasm` after the link, if any.
    module: Option<Vec<u8>>,
}

impl Case {
    /// Assembles each `(name, wat)` into `name.o`, and writes each `(name, text)` file, in
    /// both linkers' folders.
    fn new(objects: &[(&str, &str)], files: &[(&str, &str)]) -> Case {
        let dir = tempfile::tempdir().expect("tempdir");
        let linkers = [
            ("lld", rust_lld()),
            ("ts", PathBuf::from(env!("CARGO_BIN_EXE_touchstone-ld"))),
        ];
        for (sub, linker) in linkers {
            let folder = dir.path().join(sub);
            std::fs::create_dir_all(folder.join("folder")).expect("mkdir");
            std::os::unix::fs::symlink(linker, folder.join("wasm-ld")).expect("symlink");
            for (name, text) in objects {
                let wat = format!("{name}.wat");
                let bytes = touchstone_oracle::asm::assemble(text, Path::new(&wat))
                    .unwrap_or_else(|e| panic!("assembling {wat}: {e}"));
                std::fs::write(folder.join(format!("{name}.o")), bytes).expect("write object");
            }
            for (name, text) in files {
                std::fs::write(folder.join(name), text).expect("write file");
            }
        }
        Case { dir }
    }

    /// Links with the linker of folder `sub`, called as `wasm-ld`, in that folder.
    fn link(&self, sub: &str, args: &[&str]) -> Outcome {
        let folder = self.dir.path().join(sub);
        let out_file = folder.join("out.wasm");
        let _ = std::fs::remove_file(&out_file);
        let out = Command::new(folder.join("wasm-ld"))
            .current_dir(&folder)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {sub}/wasm-ld: {e}"));
        Outcome {
            status: out.status.code().unwrap_or(-1),
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            module: std::fs::read(out_file).ok(),
        }
    }

    /// Links with both linkers, checks that they did the same, and returns what they did.
    fn check(&self, args: &[&str]) -> Outcome {
        let theirs = self.link("lld", args);
        let mine = self.link("ts", args);
        assert_eq!(mine.stderr, theirs.stderr, "stderr of {args:?}");
        assert_eq!(mine.status, theirs.status, "exit status of {args:?}");
        assert!(mine.stdout == theirs.stdout, "stdout of {args:?} differs");
        assert!(
            mine.module == theirs.module,
            "out.wasm of {args:?} differs (written: touchstone-ld {}, rust-lld {})",
            mine.module.is_some(),
            theirs.module.is_some()
        );
        mine
    }
}

#[test]
fn messages_are_prefixed_with_the_name_the_linker_was_called_by() {
    let case = Case::new(&[], &[]);
    let o = case.check(&[]);
    assert_eq!(o.stderr, "wasm-ld: error: no input files\n");
    // Called by its own name, touchstone-ld says so.
    let out = Command::new(env!("CARGO_BIN_EXE_touchstone-ld"))
        .output()
        .expect("run touchstone-ld");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "touchstone-ld: error: no input files\n"
    );
}

#[test]
fn option_errors_are_all_reported_once_the_inputs_are_open() {
    let case = Case::new(&[("a", VALUE_1)], &[]);
    let o = case.check(&["a.o"]);
    assert_eq!(o.stderr, "wasm-ld: error: no output file specified\n");
    assert_eq!(o.status, 1);
    let o = case.check(&["--export-table", "--import-table", "a.o"]);
    assert_eq!(
        o.stderr,
        "wasm-ld: error: no output file specified\n\
         wasm-ld: error: --import-table and --export-table may not be used together\n"
    );
    let o = case.check(&["-r", "--shared-memory", "a.o"]);
    assert_eq!(
        o.stderr,
        "wasm-ld: error: no output file specified\n\
         wasm-ld: error: -r and --shared-memory may not be used together\n"
    );
    // An input that cannot be opened comes first, and stops the link before those checks.
    let o = case.check(&["--export-table", "--import-table", "nothing.o"]);
    assert_eq!(
        o.stderr,
        "wasm-ld: error: cannot open nothing.o: No such file or directory\n"
    );
}

#[test]
fn a_bad_output_or_map_path_stops_the_link_before_it_starts() {
    // The object calls an undefined function: the link proper would fail on it.
    let case = Case::new(&[("a", CALLS_MISSING)], &[]);
    let o = case.check(&["a.o", "-o", "no-such-folder/out.wasm"]);
    assert_eq!(
        o.stderr,
        "wasm-ld: error: cannot open output file no-such-folder/out.wasm: No such file or directory\n"
    );
    let o = case.check(&["a.o", "-o", "folder"]);
    assert_eq!(
        o.stderr,
        "wasm-ld: error: cannot open output file folder: Is a directory\n"
    );
    // Both files are tried, and both reported.
    let o = case.check(&["a.o", "-o", "folder", "-Map=no-such-folder/map"]);
    assert_eq!(
        o.stderr,
        "wasm-ld: error: cannot open output file folder: Is a directory\n\
         wasm-ld: error: cannot open map file no-such-folder/map: No such file or directory\n"
    );
    // A writable path lets the link go on, to the undefined symbol.
    let o = case.check(&["a.o", "-o", "out.wasm"]);
    assert_eq!(o.stderr, "wasm-ld: error: a.o: undefined symbol: missing\n");
}

#[test]
fn dash_as_the_output_writes_the_module_to_stdout() {
    let case = Case::new(&[("a", VALUE_1)], &[]);
    let o = case.check(&["a.o", "-o", "-"]);
    assert_eq!(o.status, 0);
    assert!(o.stdout.starts_with(b"\0asm"), "no module on stdout");
    assert_eq!(o.module, None);
    // The name section names the module after the output, here `-`.
    let name = b"\x04name\x00\x02\x01-";
    assert!(o.stdout.windows(name.len()).any(|w| w == name));
}

#[test]
fn noinhibit_exec_makes_a_duplicate_symbol_a_warning_and_keeps_the_later_definition() {
    let case = Case::new(&[("a", VALUE_1), ("b", VALUE_2)], &[]);
    let o = case.check(&["a.o", "b.o", "-o", "out.wasm"]);
    assert_eq!(
        o.stderr,
        "wasm-ld: error: duplicate symbol: value\n>>> defined in a.o\n>>> defined in b.o\n"
    );
    let o = case.check(&["a.o", "b.o", "--noinhibit-exec", "-o", "out.wasm"]);
    assert_eq!(
        o.stderr,
        "wasm-ld: warning: duplicate symbol: value\n>>> defined in a.o\n>>> defined in b.o\n"
    );
    assert_eq!(o.status, 0);
    assert!(o.module.is_some());
    // With --fatal-warnings the warning is an error again.
    let o = case.check(&[
        "a.o",
        "b.o",
        "--noinhibit-exec",
        "--fatal-warnings",
        "-o",
        "out.wasm",
    ]);
    assert_eq!(
        o.stderr,
        "wasm-ld: error: duplicate symbol: value\n>>> defined in a.o\n>>> defined in b.o\n"
    );
    // -z muldefs is --allow-multiple-definition (the first definition wins), even after
    // --no-allow-multiple-definition.
    let muldefs = case.check(&[
        "a.o",
        "b.o",
        "--no-allow-multiple-definition",
        "-z",
        "muldefs",
        "-o",
        "out.wasm",
    ]);
    assert_eq!(muldefs.stderr, "");
    let allow = case.check(&[
        "a.o",
        "b.o",
        "--allow-multiple-definition",
        "-o",
        "out.wasm",
    ]);
    assert_eq!(muldefs.module, allow.module);
}

#[test]
fn experimental_pic_silences_the_not_yet_stable_warnings() {
    let case = Case::new(&[("b", CALLS_MISSING)], &[]);
    let dynamic = [
        "b.o",
        "--unresolved-symbols=import-dynamic",
        "-o",
        "out.wasm",
    ];
    let o = case.check(&dynamic);
    assert_eq!(
        o.stderr,
        "wasm-ld: warning: dynamic imports are not yet stable (--unresolved-symbols=import-dynamic)\n"
    );
    let mut quiet = vec!["--experimental-pic"];
    quiet.extend(dynamic);
    let q = case.check(&quiet);
    assert_eq!(q.stderr, "");
    assert_eq!(q.module, o.module, "--experimental-pic changed the output");
}

#[test]
fn bsymbolic_without_shared_is_a_warning() {
    let case = Case::new(&[("a", VALUE_1)], &[]);
    let o = case.check(&["a.o", "-Bsymbolic", "-o", "out.wasm"]);
    assert_eq!(
        o.stderr,
        "wasm-ld: warning: -Bsymbolic is only meaningful when combined with -shared\n"
    );
    assert!(o.module.is_some());
}

#[test]
fn rsp_quoting_chooses_how_response_files_are_split() {
    // POSIX: `\o` is `o`, so the export is `value`. Windows: the backslash stays, and
    // `valu\e` is defined nowhere.
    let case = Case::new(&[("a", VALUE_1)], &[("args.rsp", "a.o --export=valu\\e\n")]);
    let posix = case.check(&["@args.rsp", "-o", "out.wasm"]);
    assert_eq!(posix.status, 0);
    let o = case.check(&["--rsp-quoting=posix", "@args.rsp", "-o", "out.wasm"]);
    assert_eq!(o, posix);
    let o = case.check(&["@args.rsp", "--rsp-quoting=windows", "-o", "out.wasm"]);
    assert_eq!(
        o.stderr,
        "wasm-ld: error: symbol exported via --export not found: valu\\e\n"
    );
    let o = case.check(&["--rsp-quoting=foobar", "@args.rsp", "-o", "out.wasm"]);
    assert_eq!(
        o.stderr,
        "wasm-ld: error: invalid response file quoting: foobar\n"
    );
    // Windows quoting: `""` inside quotes is one `"`; a quoted empty word is an empty
    // argument, which the option parser skips (as it skips one given on the command line).
    let case = Case::new(
        &[("a", VALUE_1)],
        &[("args.rsp", "a.o \"--export=va\"\"lue\" \"\"\n")],
    );
    let o = case.check(&["--rsp-quoting=windows", "@args.rsp", "-o", "out.wasm"]);
    assert_eq!(
        o.stderr,
        "wasm-ld: error: symbol exported via --export not found: va\"lue\n"
    );
    let o = case.check(&["", "a.o", "", "-o", "out.wasm"]);
    assert_eq!(o.status, 0, "{}", o.stderr);
}

#[test]
fn export_of_a_symbol_defined_nowhere_follows_the_unresolved_symbols_policy() {
    let case = Case::new(&[("a", VALUE_1)], &[]);
    let o = case.check(&["a.o", "--export=nowhere", "-o", "out.wasm"]);
    assert_eq!(
        o.stderr,
        "wasm-ld: error: symbol exported via --export not found: nowhere\n"
    );
    let o = case.check(&[
        "a.o",
        "--export=nowhere",
        "--warn-unresolved-symbols",
        "-o",
        "out.wasm",
    ]);
    assert_eq!(
        o.stderr,
        "wasm-ld: warning: symbol exported via --export not found: nowhere\n"
    );
    for policy in [
        "--allow-undefined",
        "--unresolved-symbols=ignore-all",
        "--unresolved-symbols=import-dynamic",
    ] {
        let o = case.check(&["a.o", "--export=nowhere", policy, "-o", "out.wasm"]);
        assert_eq!(o.status, 0, "{policy}: {}", o.stderr);
        assert!(o.module.is_some());
    }
}

/// `-M` / `--print-map` print the link map on stdout, as wasm-ld does (`-Map=FILE` writes it
/// to a file: the real programs' maps are compared with rust-lld's in tests/real_programs.rs).
#[test]
fn print_map_writes_the_link_map_to_stdout() {
    let case = Case::new(&[("a", VALUE_1)], &[]);
    let o = case.check(&["a.o", "-o", "out.wasm", "-M"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.starts_with("    Addr      Off     Size Out     In      Symbol\n"),
        "{text}"
    );
    case.check(&["a.o", "-o", "out.wasm", "--print-map", "--no-gc-sections"]);
    case.check(&["a.o", "-o", "-", "-M"]);
}

/// The option spellings `--help` lists under `OPTIONS:`, in order (the first word of each
/// option line; touchstone-ld's own options come later, under a heading of their own).
fn help_options(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .take_while(|l| !l.starts_with("TOUCHSTONE OPTIONS"))
        .filter(|l| l.starts_with("  -"))
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect()
}

#[test]
fn help_lists_wasm_ld_options_in_its_order_and_stops() {
    let case = Case::new(&[], &[]);
    let theirs = case.link("lld", &["--help"]);
    let mine = case.link("ts", &["--help", "no-such-input.o"]);
    assert_eq!((mine.status, theirs.status), (0, 0));
    // argv[0] as given: here the symlink's full path.
    assert!(String::from_utf8_lossy(&mine.stdout).contains("/wasm-ld [options] file...\n"));
    let ours = help_options(&mine.stdout);
    assert!(ours.len() > 100, "only {} options listed", ours.len());
    assert_eq!(ours, help_options(&theirs.stdout));
}

/// The members of a tar file: (name, bytes), in order.
fn tar_members(path: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut archive = tar::Archive::new(file);
    let mut members = Vec::new();
    for entry in archive.entries().expect("tar entries") {
        let mut entry = entry.expect("tar entry");
        let name = entry.path().expect("member name").display().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).expect("member data");
        members.push((name, data));
    }
    members
}

#[test]
fn reproduce_writes_the_inputs_and_the_command_line_that_links_them_again() {
    let uses_missing = r#"(module
  (import "env" "missing" (func $missing))
  (func $helper (export "helper") call $missing))"#;
    let case = Case::new(
        &[("a", VALUE_1), ("b", uses_missing)],
        &[("undefined.txt", "missing\n")],
    );
    // Only inputs and -o are rewritten in response.txt: the other options are written as
    // given, so a file they name is given by its absolute path here, to replay anywhere.
    let args = |sub: &str| {
        let list = case.dir.path().join(sub).join("undefined.txt");
        [
            "--reproduce=folder/repro.tar".to_string(),
            "a.o".into(),
            "./folder/../b.o".into(),
            format!("--allow-undefined-file={}", list.display()),
            "-L".into(),
            "folder".into(),
            "--export".into(),
            "helper".into(),
            "-o".into(),
            "out.wasm".into(),
        ]
    };
    let theirs = case.link("lld", &args("lld").each_ref().map(String::as_str));
    let mine = case.link("ts", &args("ts").each_ref().map(String::as_str));
    assert_eq!((mine.status, theirs.status), (0, 0), "{}", mine.stderr);
    assert_eq!(mine.module, theirs.module);
    // The same members with the same bytes, but for the version and the linker's folder.
    let folder = |sub: &str| {
        let path = case.dir.path().join(sub).display().to_string();
        path.trim_start_matches('/').to_string()
    };
    let normalized = |sub: &str| -> Vec<(String, Vec<u8>)> {
        let tar = case.dir.path().join(sub).join("folder/repro.tar");
        tar_members(&tar)
            .into_iter()
            .filter(|(name, _)| name != "repro/version.txt")
            .map(|(name, data)| {
                let text = String::from_utf8_lossy(&data).replace(&folder(sub), "DIR");
                let data = if name == "repro/response.txt" {
                    text.into_bytes()
                } else {
                    data
                };
                (name.replace(&folder(sub), "DIR"), data)
            })
            .collect()
    };
    let ours = normalized("ts");
    assert_eq!(ours, normalized("lld"));
    let names: Vec<&str> = ours.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "repro/response.txt",
            "repro/DIR/a.o",
            "repro/DIR/b.o",
            "repro/DIR/undefined.txt"
        ]
    );
    // Extracted, the response file links the same module again.
    let replay = case.dir.path().join("replay");
    std::fs::create_dir_all(&replay).expect("mkdir");
    let tar = case.dir.path().join("ts/folder/repro.tar");
    tar::Archive::new(std::fs::File::open(&tar).expect("open tar"))
        .unpack(&replay)
        .expect("unpack");
    let out = Command::new(env!("CARGO_BIN_EXE_touchstone-ld"))
        .current_dir(replay.join("repro"))
        .arg("@response.txt")
        .output()
        .expect("run touchstone-ld");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = std::fs::read(replay.join("repro/out.wasm")).expect("replayed output");
    assert_eq!(Some(again), mine.module);
}
