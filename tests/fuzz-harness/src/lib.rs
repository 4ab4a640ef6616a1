//! The bodies of Touchstone's four fuzz targets (crate touchstone-fuzz-harness), shared by the
//! cargo-fuzz binaries in `fuzz/fuzz_targets/` and by the root crate's tests:
//! `tests/fuzz_replay.rs` replays the committed seed corpus through exactly these functions in
//! `cargo test`, and `tests/properties.rs` uses the linking and checking helpers.
//!
//! - [`parse`]: arbitrary bytes as an object or an archive: an error or an object, never a panic.
//! - [`link`]: a generated program (`touchstone_oracle::gen`) linked by touchstone: the output
//!   validates and running `run` gives the predicted checksum.
//! - [`differential`]: a generated program linked by touchstone and by rust-lld: the canonical
//!   models are equal (oracle level "equivalent") and both runs give the prediction
//!   ("behaviour"); and its objects partially linked (`-r`) by both: the same bytes.
//! - [`mutate`]: a generated program with one object corrupted (bytes, counts, section sizes,
//!   overlong LEBs, relocation entries, truncation), linked into a module or, one time in four,
//!   partially (`-r`), or as a side module (`-shared`): touchstone either links or gives an
//!   error that names an input file (usually the corrupted one), and then writes no output
//!   file. Half the side-module links first link the victim object alone into a shared
//!   library and corrupt that instead (its `dylink.0` section, exports, ...).
//!
//! Every touchstone link here validates its output (`--touchstone-validate`): a module that
//! would not validate is an error that names its source, which `mutate` requires to be an
//! input file.
//!
//! Each returns `Err(description)` when a property fails; the fuzz targets panic on it (a
//! crash for libFuzzer), the replay test reports it. A panic inside touchstone is a crash too.

use arbitrary::Unstructured;
use std::path::{Path, PathBuf};
use touchstone_oracle::gen::{self, FileKind, Limits, Program};

/// Touchstone's own option that validates every output before it is written: on in every
/// target, so an invalid module is a located error, never a silent output.
const VALIDATE: &str = "--touchstone-validate";

/// How many template instances fuzzed programs have at most (small programs run fast).
const MAX_INSTANCES: usize = 5;

fn limits() -> Limits {
    Limits {
        max_instances: MAX_INSTANCES,
        random_options: true,
    }
}

/// A fresh scratch directory.
fn scratch() -> Result<tempfile::TempDir, String> {
    tempfile::Builder::new()
        .prefix("touchstone-fuzz-")
        .tempdir()
        .map_err(|e| format!("cannot create a scratch directory: {e}"))
}

/// Once per fuzzing process, before the first input: wasmtime compiles each linked module
/// quickly on the calling thread (`run::compile_for_many_small_modules`), as suits thousands of
/// small modules each run once.
pub fn init() {
    touchstone_oracle::run::compile_for_many_small_modules();
}

/// Target `parse`: `data` as an archive (when it starts like one) or an object.
pub fn parse(data: &[u8]) -> Result<(), String> {
    let name = if data.starts_with(b"!<arch>\n") {
        "fuzz.a"
    } else {
        "fuzz.o"
    };
    let _ = touchstone::read_input(name, data);
    Ok(())
}

/// Generates the program `data` describes.
pub fn program(data: &[u8]) -> Result<Program, String> {
    let mut u = Unstructured::new(data);
    gen::generate(&mut u, &limits()).map_err(|e| format!("generator failed: {e}"))
}

/// Writes `program` into `dir` and links it with touchstone (in process, nothing written),
/// validating the output (`--touchstone-validate`). `extra` options go before the inputs.
pub fn link_touchstone(program: &Program, dir: &Path, extra: &[&str]) -> Result<Vec<u8>, String> {
    program
        .write(dir)
        .map_err(|e| format!("cannot write inputs: {e}"))?;
    let mut args = vec![VALIDATE.to_string()];
    args.extend(extra.iter().map(|s| s.to_string()));
    args.extend(program.args(dir, &dir.join("out.wasm")));
    let config =
        touchstone::args::parse(&args).map_err(|e| format!("touchstone-ld {args:?}: {e}"))?;
    touchstone::link_to_bytes(&config)
        .map(|(bytes, _)| bytes)
        .map_err(|e| format!("touchstone-ld refused a valid program: {e}"))
}

/// Links `program` (already written into `dir`) with rust-lld, the reference.
pub fn link_reference(program: &Program, dir: &Path) -> Result<Vec<u8>, String> {
    let inputs: Vec<String> = program.files.iter().map(|f| f.name.clone()).collect();
    let mut all = program.options.clone();
    all.extend(inputs.iter().cloned());
    reference_cache::cached(dir, &all, "ref/out.wasm", || {
        link_reference_uncached(dir, all.clone(), inputs)
    })
}

fn link_reference_uncached(
    dir: &Path,
    all: Vec<String>,
    inputs: Vec<String>,
) -> Result<Vec<u8>, String> {
    let lld = touchstone_oracle::link::Linker::rust_lld().map_err(|e| format!("{e:#}"))?;
    let args = touchstone_oracle::link::LinkArgs { all, inputs };
    // Same output file name as touchstone's (wasm-ld names the module after it).
    let r = lld
        .link(&args, dir, "ref/out.wasm")
        .map_err(|e| format!("cannot run rust-lld: {e:#}"))?;
    match r.output {
        Some(bytes) if r.success => Ok(bytes),
        _ => Err(format!(
            "rust-lld refused the program ({}): {}",
            r.command, r.stderr
        )),
    }
}

/// Runs the exported `run` and returns its i32 result.
pub fn run_checksum(wasm: &[u8]) -> Result<i32, String> {
    let out = touchstone_oracle::run::run_export(wasm, "run", &[])
        .map_err(|e| format!("cannot run: {e:#}"))?;
    if let Some(t) = out.trap {
        return Err(format!("run trapped: {t}"));
    }
    match out.results.as_deref() {
        Some([touchstone_oracle::run::Value::I32(v)]) => Ok(*v),
        other => Err(format!("run returned {other:?}, not one i32")),
    }
}

/// Validates `wasm`, checks its custom sections, runs it and compares with the prediction.
pub fn check_linked(program: &Program, wasm: &[u8], who: &str) -> Result<(), String> {
    program
        .check_module(wasm)
        .map_err(|e| format!("{who}: {e}"))?;
    let got = run_checksum(wasm).map_err(|e| format!("{who}: {e}"))?;
    program.check_result(got).map_err(|e| format!("{who}: {e}"))
}

/// Target `link`.
pub fn link(data: &[u8]) -> Result<(), String> {
    let p = program(data)?;
    let dir = scratch()?;
    let wasm = link_touchstone(&p, dir.path(), &[])?;
    check_linked(&p, &wasm, "touchstone-ld").map_err(|e| format!("{e}\n{}", p.describe()))
}

/// Which linker does a step of a two-step link.
#[derive(Clone, Copy, Debug)]
pub enum Step {
    Touchstone,
    RustLld,
}

/// Links `args` (file names relative to `dir`) into `dir/output` with `linker`; the bytes.
pub fn link_step(
    linker: Step,
    dir: &std::path::Path,
    args: &[String],
    output: &str,
) -> Result<Vec<u8>, String> {
    match linker {
        Step::Touchstone => {
            let mut all: Vec<String> = args
                .iter()
                .map(|a| match dir.join(a) {
                    p if p.exists() => p.display().to_string(),
                    _ => a.clone(),
                })
                .collect();
            all.extend(["-o".to_string(), dir.join(output).display().to_string()]);
            all.insert(0, VALIDATE.into());
            let config = touchstone::args::parse(&all).map_err(|e| e.to_string())?;
            touchstone::link(&config).map_err(|e| format!("touchstone-ld {args:?}: {e}"))?;
            std::fs::read(dir.join(output)).map_err(|e| e.to_string())
        }
        Step::RustLld => reference_cache::cached(dir, args, output, || {
            let lld = touchstone_oracle::link::Linker::rust_lld().map_err(|e| format!("{e:#}"))?;
            let inputs = args
                .iter()
                .filter(|a| dir.join(a).exists())
                .cloned()
                .collect();
            let link_args = touchstone_oracle::link::LinkArgs {
                all: args.to_vec(),
                inputs,
            };
            let r = lld
                .link(&link_args, dir, output)
                .map_err(|e| format!("cannot run rust-lld: {e:#}"))?;
            match r.output {
                Some(bytes) if r.success => Ok(bytes),
                _ => Err(format!("rust-lld refused ({}): {}", r.command, r.stderr)),
            }
        }),
    }
}

/// rust-lld's results for the inputs it saw last: libFuzzer's mutations often generate a
/// program seen shortly before (a changed byte the generator does not read, or reads to the
/// same choice), and a rust-lld run costs more than everything else in a `differential`
/// execution. A result is reused only for the same arguments, output name and input bytes.
mod reference_cache {
    use std::path::Path;
    use std::sync::Mutex;

    /// How many results are kept (most recently used last).
    const ENTRIES: usize = 64;

    type Entry = (Vec<u8>, Result<Vec<u8>, String>);
    static CACHE: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

    /// What a link's result depends on: the arguments, the output name, and the bytes of
    /// each argument that names a file in `dir`.
    fn key(dir: &Path, args: &[String], output: &str) -> Vec<u8> {
        let mut key = Vec::new();
        for part in args.iter().chain(std::iter::once(&output.to_string())) {
            key.extend_from_slice(&(part.len() as u64).to_le_bytes());
            key.extend_from_slice(part.as_bytes());
            if let Ok(bytes) = std::fs::read(dir.join(part)) {
                key.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
                key.extend_from_slice(&bytes);
            }
        }
        key
    }

    /// `link()`'s result, or the one recorded for the same key. The output file is written
    /// to `dir/output` either way (later steps may read it).
    pub fn cached(
        dir: &Path,
        args: &[String],
        output: &str,
        link: impl FnOnce() -> Result<Vec<u8>, String>,
    ) -> Result<Vec<u8>, String> {
        let key = key(dir, args, output);
        let hit = CACHE.lock().ok().and_then(|mut cache| {
            let i = cache.iter().position(|(k, _)| *k == key)?;
            let entry = cache.remove(i);
            let result = entry.1.clone();
            cache.push(entry);
            Some(result)
        });
        if let Some(result) = hit {
            if let Ok(bytes) = &result {
                let path = dir.join(output);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
                }
                std::fs::write(path, bytes).map_err(|e| e.to_string())?;
            }
            return result;
        }
        let result = link();
        if let Ok(mut cache) = CACHE.lock() {
            if cache.len() >= ENTRIES {
                drop(cache.remove(0));
            }
            cache.push((key, result.clone()));
        }
        result
    }
}

/// Partially links the program's objects (`-r`) with `first`, then links that object with the
/// program's archives and options with `second`; the module.
pub fn two_step_link(
    p: &Program,
    dir: &std::path::Path,
    first: Step,
    second: Step,
) -> Result<Vec<u8>, String> {
    p.write(dir).map_err(|e| e.to_string())?;
    let (objects, archives): (Vec<_>, Vec<_>) =
        p.files.iter().partition(|f| f.kind == FileKind::Object);
    let mut partial_args = vec!["-r".to_string()];
    partial_args.extend(objects.iter().map(|f| f.name.clone()));
    let partial = format!("partial-{first:?}.o");
    link_step(first, dir, &partial_args, &partial)?;
    let mut final_args = p.options.clone();
    final_args.push(partial);
    final_args.extend(archives.iter().map(|f| f.name.clone()));
    link_step(
        second,
        dir,
        &final_args,
        &format!("two-step-{first:?}-{second:?}.wasm"),
    )
}

/// Target `differential`.
pub fn differential(data: &[u8]) -> Result<(), String> {
    let p = program(data)?;
    let dir = scratch()?;
    let ours = link_touchstone(&p, dir.path(), &[])?;
    let reference = link_reference(&p, dir.path())?;
    let fail = |e: String| format!("{e}\n{}", p.describe());
    check_linked(&p, &reference, "rust-lld").map_err(|e| fail(format!("generator bug: {e}")))?;
    check_linked(&p, &ours, "touchstone-ld").map_err(fail)?;
    let diffs = touchstone_oracle::model::diff(&ours, &reference)
        .map_err(|e| fail(format!("cannot compare: {e:#}")))?;
    let diffs: Vec<_> = diffs
        .into_iter()
        .filter(|d| !known_difference(&p, &d.key))
        .collect();
    if let Some(d) = diffs.first() {
        return Err(fail(format!(
            "not equivalent to rust-lld ({} differences); first: {}: touchstone {} vs rust-lld {}",
            diffs.len(),
            d.key,
            d.a,
            d.b
        )));
    }
    partial_links_agree(&p, dir.path()).map_err(fail)
}

/// The program's objects partially linked (`-r`) by touchstone and by rust-lld: the same
/// object, byte for byte (each written as `partial.o`, the name wasm-ld records, in a folder of
/// its own).
pub fn partial_links_agree(p: &Program, dir: &Path) -> Result<(), String> {
    p.write(dir)
        .map_err(|e| format!("cannot write inputs: {e}"))?;
    let mut args = vec!["-r".to_string()];
    args.extend(
        p.files
            .iter()
            .filter(|f| f.kind == FileKind::Object)
            .map(|f| f.name.clone()),
    );
    for sub in ["ts", "ref"] {
        std::fs::create_dir_all(dir.join(sub)).map_err(|e| e.to_string())?;
    }
    let ours = link_step(Step::Touchstone, dir, &args, "ts/partial.o")?;
    let reference = link_step(Step::RustLld, dir, &args, "ref/partial.o")?;
    if ours != reference {
        let at = ours
            .iter()
            .zip(&reference)
            .position(|(a, b)| a != b)
            .unwrap_or(ours.len().min(reference.len()));
        // Named by the oracle's model (symbol table, relocations, ...) where it can.
        let first = touchstone_oracle::model::diff(&ours, &reference)
            .ok()
            .and_then(|d| d.into_iter().next())
            .map(|d| format!("; first difference {d}"))
            .unwrap_or_default();
        return Err(format!(
            "-r outputs differ at byte 0x{at:x} ({} vs {} bytes){first}: {}/{{ts,ref}}/partial.o",
            ours.len(),
            reference.len(),
            dir.display()
        ));
    }
    Ok(())
}

/// The tolerated differences (tests/fuzz-harness/known-differences.txt): (template, option, key glob).
fn known_differences() -> Vec<(&'static str, &'static str, &'static str)> {
    include_str!("../known-differences.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let rule = l.split(" -- ").next()?;
            let mut w = rule.split_whitespace();
            Some((w.next()?, w.next()?, w.next()?))
        })
        .collect()
}

/// `*` in `pattern` matches any text (the oracle's one matcher of difference keys).
pub fn glob(pattern: &str, text: &str) -> bool {
    touchstone_oracle::case::key_matches(pattern, text)
}

/// Whether the difference `key` is a known one for this program.
pub fn known_difference(p: &Program, key: &str) -> bool {
    known_differences().iter().any(|(t, o, k)| {
        (*t == "*" || p.instances.iter().any(|i| i.template == *t))
            && (*o == "*" || p.options.iter().any(|x| x == o))
            && glob(k, key)
    })
}

/// Target `mutate`.
pub fn mutate(data: &[u8]) -> Result<(), String> {
    mutate_outcome(data).map(|_| ())
}

/// What `mutate` links: the program, the index of the corrupted object, its corrupted bytes,
/// what was done to them, and whether the link is a partial one (`-r`).
pub struct Mutated {
    pub program: Program,
    pub victim: usize,
    pub bytes: Vec<u8>,
    pub done: Vec<String>,
    pub partial: bool,
    /// Linked as a side module (`-shared`, PIC): GOT, dylink.0 and the -fPIC checks.
    pub pic: bool,
    /// The victim was first linked alone into a shared library (`lib<stem>.so`), which was
    /// corrupted instead: then `program.files[victim]` is that library (its name, and its
    /// bytes before the corruption).
    pub library: bool,
}

/// The program `data` describes for `mutate`, with one object corrupted; one link in four is
/// a partial link (`-r`), which reads the same inputs and writes their relocations back, and
/// of the others one in four a side module (`-shared`); half of these take the victim as a
/// shared library, corrupted the way the object would have been (the same choices).
pub fn mutated(data: &[u8]) -> Result<Mutated, String> {
    let mut u = Unstructured::new(data);
    let mut p = gen::generate(
        &mut u,
        &Limits {
            max_instances: 3,
            random_options: false,
        },
    )
    .map_err(|e| format!("generator failed: {e}"))?;
    let objects: Vec<usize> = (0..p.files.len())
        .filter(|&i| p.files[i].kind == FileKind::Object)
        .collect();
    let victim = objects[u.choose_index(objects.len()).unwrap_or(0) % objects.len()];
    // The corruption's choices, kept to corrupt the library with: drawing the library mode
    // last leaves what every older input (the seeds, the regressions) does unchanged.
    let choices = u.peek_bytes(u.len()).unwrap_or_default();
    let mut bytes = p.files[victim].bytes.clone();
    let mut done = corrupt_rounds(&mut u, &mut bytes);
    let partial = u.ratio(1, 4u8).unwrap_or(false);
    let pic = !partial && u.ratio(1, 4u8).unwrap_or(false);
    let mut library = false;
    // A generated object that cannot go into a side module stays an object.
    if pic && u.ratio(1, 2u8).unwrap_or(false) {
        if let Ok((name, lib)) = link_library(&p, victim) {
            (bytes, done) = corrupt_library(&lib, choices);
            p.files[victim].name = name;
            p.files[victim].bytes = lib;
            library = true;
        }
    }
    Ok(Mutated {
        program: p,
        victim,
        bytes,
        done,
        partial,
        pic,
        library,
    })
}

/// One to three corruptions of `bytes` chosen by `u`, described.
fn corrupt_rounds(u: &mut Unstructured, bytes: &mut Vec<u8>) -> Vec<String> {
    let mut done = Vec::new();
    let rounds = u.int_in_range(1..=3u8).unwrap_or(1);
    for _ in 0..rounds {
        if bytes.is_empty() {
            break;
        }
        match touchstone_oracle::corrupt::corrupt(u, bytes) {
            Ok(d) => done.push(d),
            Err(_) => break,
        }
    }
    done
}

/// `lib` corrupted with the choices the object's corruption made (`choices`), described.
fn corrupt_library(lib: &[u8], choices: &[u8]) -> (Vec<u8>, Vec<String>) {
    let mut bytes = lib.to_vec();
    let mut done = vec!["victim linked into a shared library first".to_string()];
    done.extend(corrupt_rounds(&mut Unstructured::new(choices), &mut bytes));
    (bytes, done)
}

/// The options that link a side module whose undefined symbols are imported at load time.
const SIDE_MODULE: [&str; 3] = [
    "-shared",
    "--experimental-pic",
    "--unresolved-symbols=import-dynamic",
];

/// Links the program's object `victim` alone, uncorrupted, into a shared library (in a
/// scratch directory, nothing kept): its file name (`lib<stem>.so`) and bytes.
fn link_library(p: &Program, victim: usize) -> Result<(String, Vec<u8>), String> {
    let dir = scratch()?;
    let object = &p.files[victim];
    let input = dir.path().join(&object.name);
    std::fs::write(&input, &object.bytes).map_err(|e| format!("cannot write: {e}"))?;
    let stem = object.name.strip_suffix(".o").unwrap_or(&object.name);
    let name = format!("lib{stem}.so");
    let mut args = vec![VALIDATE.to_string()];
    args.extend(SIDE_MODULE.iter().map(|s| s.to_string()));
    args.push(input.display().to_string());
    args.extend(["-o".into(), dir.path().join(&name).display().to_string()]);
    let config = touchstone::args::parse(&args).map_err(|e| format!("args: {e}"))?;
    let (bytes, _) = touchstone::link_to_bytes(&config).map_err(|e| e.to_string())?;
    Ok((name, bytes))
}

/// Errors that concern the command line, not an input file (wasm-ld words them the same way).
const UNLOCATED_ERRORS: [&str; 2] = [
    "symbol exported via --export not found",
    "entry symbol not defined",
];

/// Target `mutate`, telling what happened: `Ok(Some(error))` when touchstone refused the
/// corrupted input (cleanly), `Ok(None)` when it linked.
pub fn mutate_outcome(data: &[u8]) -> Result<Option<String>, String> {
    let Mutated {
        program: p,
        victim,
        bytes,
        mut done,
        partial,
        pic,
        library: _,
    } = mutated(data)?;
    let dir = scratch()?;
    p.write(dir.path())
        .map_err(|e| format!("cannot write inputs: {e}"))?;
    let victim_name = p.files[victim].name.clone();
    let victim_path: PathBuf = dir.path().join(&victim_name);
    std::fs::write(&victim_path, &bytes).map_err(|e| format!("cannot write: {e}"))?;
    let out = dir.path().join("out.wasm");
    let mut args = p.args(dir.path(), &out);
    args.insert(0, VALIDATE.into());
    if partial {
        args.insert(0, "-r".into());
        done.push("linked with -r".into());
    }
    if pic {
        for a in SIDE_MODULE.iter().rev() {
            args.insert(0, a.to_string());
        }
        done.push("linked with -shared".into());
    }
    let config = touchstone::args::parse(&args).map_err(|e| format!("args: {e}"))?;
    match touchstone::link(&config) {
        Ok(_) => Ok(None),
        Err(e) => {
            let msg = e.to_string();
            if out.exists() {
                return Err(format!(
                    "error `{msg}` but an output file was written ({})",
                    done.join("; ")
                ));
            }
            // The error may be found in another file (an undefined symbol reported where it
            // is referenced), but it must name an input.
            let unlocated = UNLOCATED_ERRORS.iter().any(|e| msg.starts_with(e));
            if !unlocated && !p.files.iter().any(|f| msg.contains(&f.name)) {
                return Err(format!(
                    "error names no input file (corrupted {victim_name}): `{msg}` ({})",
                    done.join("; ")
                ));
            }
            Ok(Some(format!("{msg} [{}]", done.join("; "))))
        }
    }
}
