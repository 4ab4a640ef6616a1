//! Tests of the `.wat` object assembler (`touchstone_oracle::asm`): its objects decode with
//! wasmparser's own linking/reloc readers, have the shape llvm-mc gives the same program, link
//! with rust-lld and wasm-ld-19 into valid modules, and run in wasmtime with the expected
//! behaviour. The last test assembles every `.wat` case of the testsuite and links it with
//! rust-lld, checking `expect-error:` cases fail with their message.

use std::path::{Path, PathBuf};
use std::process::Command;
use touchstone_oracle::asm::assemble;
use touchstone_oracle::case::ReferenceOutcome;
use touchstone_oracle::run::{run_wasi, RunOutcome, WasiOptions};

/// rust-lld from the active Rust toolchain (fails the test, saying why, if it is missing).
fn rust_lld() -> PathBuf {
    touchstone_oracle::link::rust_lld_path().unwrap_or_else(|e| panic!("{e:#}"))
}

#[derive(Clone, Copy, Debug)]
enum Linker {
    RustLld,
    WasmLd19,
}

fn asm(name: &str, text: &str) -> Vec<u8> {
    match assemble(text, Path::new(name)) {
        Ok(b) => b,
        Err(e) => panic!("assembling {name} failed: {e}"),
    }
}

/// Links the objects with the given linker; Ok(module bytes) or Err(diagnostics).
fn link(linker: Linker, objects: &[(&str, Vec<u8>)], args: &[&str]) -> Result<Vec<u8>, String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = match linker {
        Linker::RustLld => {
            let mut c = Command::new(rust_lld());
            c.args(["-flavor", "wasm"]);
            c
        }
        Linker::WasmLd19 => Command::new("wasm-ld-19"),
    };
    for (name, bytes) in objects {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).expect("write object");
        cmd.arg(p);
    }
    let out_path = dir.path().join("out.wasm");
    cmd.args(args).arg("-o").arg(&out_path);
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {linker:?} (is it installed?): {e}"));
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(std::fs::read(&out_path).expect("read output"))
}

fn validate(bytes: &[u8], what: &str) {
    let mut v = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
    if let Err(e) = v.validate_all(bytes) {
        panic!("{what} does not validate: {e}");
    }
}

/// Links with both reference linkers, validates, and returns rust-lld's module.
fn link_both(objects: &[(&str, Vec<u8>)], args: &[&str]) -> Vec<u8> {
    let a = link(Linker::RustLld, objects, args).unwrap_or_else(|e| panic!("rust-lld: {e}"));
    validate(&a, "rust-lld output");
    let b = link(Linker::WasmLd19, objects, args).unwrap_or_else(|e| panic!("wasm-ld-19: {e}"));
    validate(&b, "wasm-ld-19 output");
    a
}

fn run(wasm: &[u8]) -> RunOutcome {
    run_wasi(wasm, &WasiOptions::default()).expect("run _start")
}

/// What wasmparser's own readers see in an object.
#[derive(Debug, Default)]
struct Decoded {
    /// (kind, name, flags) in symbol-table order.
    symbols: Vec<(&'static str, String, u32)>,
    /// (target section index, type, offset, symbol index, addend) per reloc section.
    relocs: Vec<(u32, u8, u32, u32, i64)>,
    /// (section id, custom name) of every section, in order.
    sections: Vec<(u8, String)>,
    /// (segment name, p2align, flags).
    segments: Vec<(String, u32, u32)>,
    /// (priority, symbol index)
    init_funcs: Vec<(u32, u32)>,
    code: Vec<u8>,
    data: Vec<u8>,
}

fn decode(bytes: &[u8]) -> Decoded {
    use wasmparser::{Linking, Payload, SymbolInfo};
    validate(bytes, "the object");
    let mut d = Decoded::default();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let payload = payload.expect("object parses");
        if let Some((id, range)) = payload.as_section() {
            let name = match &payload {
                Payload::CustomSection(c) => c.name().to_string(),
                _ => String::new(),
            };
            d.sections.push((id, name));
            match id {
                10 => d.code = bytes[range.start as usize..range.end as usize].to_vec(),
                11 => d.data = bytes[range.start as usize..range.end as usize].to_vec(),
                _ => {}
            }
        }
        let Payload::CustomSection(c) = payload else {
            continue;
        };
        match c.as_known() {
            wasmparser::KnownCustom::Linking(r) => {
                assert_eq!(r.version(), 2, "linking section version");
                for sub in r.subsections() {
                    match sub.expect("linking subsection") {
                        Linking::SymbolTable(map) => {
                            for s in map {
                                let (kind, name, flags) = match s.expect("symbol") {
                                    SymbolInfo::Func { flags, name, .. } => {
                                        ("func", name.unwrap_or("").to_string(), flags)
                                    }
                                    SymbolInfo::Data { flags, name, .. } => {
                                        ("data", name.to_string(), flags)
                                    }
                                    SymbolInfo::Global { flags, name, .. } => {
                                        ("global", name.unwrap_or("").to_string(), flags)
                                    }
                                    SymbolInfo::Section { flags, .. } => {
                                        ("section", String::new(), flags)
                                    }
                                    SymbolInfo::Event { flags, name, .. } => {
                                        ("tag", name.unwrap_or("").to_string(), flags)
                                    }
                                    SymbolInfo::Table { flags, name, .. } => {
                                        ("table", name.unwrap_or("").to_string(), flags)
                                    }
                                };
                                d.symbols.push((kind, name, flags.bits()));
                            }
                        }
                        Linking::SegmentInfo(map) => {
                            for s in map {
                                let s = s.expect("segment");
                                d.segments
                                    .push((s.name.to_string(), s.alignment, s.flags.bits()));
                            }
                        }
                        Linking::InitFuncs(map) => {
                            for f in map {
                                let f = f.expect("init func");
                                d.init_funcs.push((f.priority, f.symbol_index));
                            }
                        }
                        _ => {}
                    }
                }
            }
            wasmparser::KnownCustom::Reloc(r) => {
                let target = r.section_index();
                for e in r.entries() {
                    let e = e.expect("relocation entry");
                    d.relocs
                        .push((target, e.ty as u8, e.offset, e.index, e.addend));
                }
            }
            _ => {}
        }
    }
    d
}

const HELLO: &str = r#"
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (func $_start (export "_start")
    i32.const 1
    i32.const 0 (@addr $iov)
    i32.const 1
    i32.const 0 (@addr $nwritten)
    call $fd_write
    drop)
  (data $msg "hello from wat\n")
  (data $iov (@segment align=4) (@addr $msg) "\0f\00\00\00")
  (data $nwritten (@segment ".bss.nwritten" align=4) (@zero 4)))
"#;

#[test]
fn hello_world_links_and_runs() {
    let obj = asm("hello.wat", HELLO);
    let d = decode(&obj);
    // Symbols in source order; the WASI import is an undefined symbol with an explicit
    // import name because its module is not `env`.
    let names: Vec<&str> = d.symbols.iter().map(|s| s.1.as_str()).collect();
    assert_eq!(names, ["fd_write", "_start", "msg", "iov", "nwritten"]);
    assert_eq!(d.symbols[0].2, 0x10 | 0x40, "UNDEFINED | EXPLICIT_NAME");
    assert_eq!(d.symbols[1].2, 0x20, "EXPORTED");
    let types: Vec<u8> = d.relocs.iter().map(|r| r.1).collect();
    // code: MEMORY_ADDR_SLEB x2, FUNCTION_INDEX_LEB; data: MEMORY_ADDR_I32
    assert_eq!(types, [4, 4, 0, 5]);
    let wasm = link_both(&[("hello.o", obj)], &[]);
    let out = run(&wasm);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hello from wat\n");
    assert_eq!(out.exit_code, 0);
    assert_eq!(out.trap, None);
}

/// The same function written as llvm-mc assembly and as annotated .wat gives the same code
/// bytes (apart from values inside relocation sites) and the same relocations.
#[test]
fn object_has_the_shape_llvm_mc_gives() {
    let s = r#"
.functype ext (i32) -> (i32)
.globaltype __stack_pointer, i32
.tabletype __indirect_function_table, funcref
.globl run
run:
  .functype run () -> (i32)
  global.get __stack_pointer
  drop
  i32.const x+4
  i32.load y
  call ext
  i32.const run
  drop
  i32.const 1
  call_indirect __indirect_function_table, (i32) -> (i32)
  end_function
.section .data.x,"",@
.globl x
.p2align 3
x:
  .int32 7
  .int32 y+8
  .int32 run
.size x, 12
.section .bss.y,"",@
.globl y
y:
  .skip 16
.size y, 16
"#;
    let wat = r#"
(module
  (type (func (result i32)))
  (type $t (func (param i32) (result i32)))
  (import "env" "__stack_pointer" (global (mut i32)))
  (import "env" "ext" (func $ext (type $t)))
  (func $run (type 0)
    global.get 0
    drop
    i32.const 0 (@addr $x 4)
    i32.load (@addr $y)
    call $ext
    i32.const 0 (@funcaddr $run)
    drop
    i32.const 1
    call_indirect (type $t))
  (data $x (@segment align=8) "\07\00\00\00" (@addr $y 8) (@funcaddr $run))
  (data $y (@segment ".bss.y") (@zero 16)))
"#;
    let dir = tempfile::tempdir().unwrap();
    let sp = dir.path().join("cmp.s");
    let op = dir.path().join("cmp.o");
    std::fs::write(&sp, s).unwrap();
    let st = Command::new("llvm-mc-19")
        .args(["-triple=wasm32-unknown-unknown", "-mattr=+reference-types"])
        .args(["-filetype=obj"])
        .arg(&sp)
        .arg("-o")
        .arg(&op)
        .status()
        .expect("cannot run llvm-mc-19 (install llvm-19)");
    assert!(st.success(), "llvm-mc-19 failed");
    let theirs = decode(&std::fs::read(&op).unwrap());
    let ours = decode(&asm("cmp.wat", wat));
    let sym_name = |d: &Decoded, i: u32| d.symbols[i as usize].1.clone();
    let summary = |d: &Decoded| {
        let code_sec = d.sections.iter().position(|s| s.0 == 10).unwrap() as u32;
        let mut v: Vec<(bool, u8, u32, String, i64)> = d
            .relocs
            .iter()
            .map(|r| {
                let target = if r.1 == 6 {
                    format!("type{}", r.3 == 1)
                } else {
                    sym_name(d, r.3)
                };
                (r.0 == code_sec, r.1, r.2, target, r.4)
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(summary(&ours), summary(&theirs));
    // Mask the relocation sites (llvm-mc stores object-local table slots there) and compare.
    let mask = |d: &Decoded| {
        let code_sec = d.sections.iter().position(|s| s.0 == 10).unwrap() as u32;
        let mut code = d.code.clone();
        let mut data = d.data.clone();
        for r in &d.relocs {
            let (buf, o) = if r.0 == code_sec {
                (&mut code, r.2 as usize)
            } else {
                (&mut data, r.2 as usize)
            };
            let w = touchstone_oracle::asm::reloc::width(r.1);
            for b in &mut buf[o..o + w] {
                *b &= 0x80;
            }
        }
        (code, data)
    };
    assert_eq!(mask(&ours), mask(&theirs));
    let seg = |d: &Decoded| d.segments.clone();
    assert_eq!(seg(&ours), seg(&theirs));
}

#[test]
fn init_functions_run_by_priority_then_source_order() {
    // Each constructor appends its digit to a buffer; `_start` prints the buffer.
    let main = r#"
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "env" "__wasm_call_ctors" (func $ctors))
  (func $push (param i32)
    i32.const 0 (@addr $len)
    i32.load
    local.get 0
    i32.store8 offset=0 (@addr $buf)
    i32.const 0 (@addr $len)
    i32.const 0 (@addr $len)
    i32.load
    i32.const 1
    i32.add
    i32.store)
  (func $c1 (@init 300) i32.const 49 call $push)
  (func $c2 (@init) i32.const 50 call $push)
  (func $c3 (@init 100) i32.const 51 call $push)
  (func $c4 (@init 300) i32.const 52 call $push)
  (func $_start (export "_start")
    call $ctors
    i32.const 0 (@addr $iov 4)
    i32.const 0 (@addr $len)
    i32.load
    i32.store
    i32.const 1
    i32.const 0 (@addr $iov)
    i32.const 1
    i32.const 0 (@addr $len)
    call $fd_write
    drop)
  (data $buf (@zero 16))
  (data $len (@segment align=4) (@zero 4))
  (data $iov (@segment align=4) (@addr $buf) (@zero 4)))
"#;
    let obj = asm("ctors.wat", main);
    assert_eq!(
        decode(&obj)
            .init_funcs
            .iter()
            .map(|f| f.0)
            .collect::<Vec<_>>(),
        [300, 65535, 100, 300]
    );
    let wasm = link_both(&[("ctors.o", obj)], &[]);
    let out = run(&wasm);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "3142");
}

#[test]
fn weak_definition_loses_to_strong_one_and_indirect_calls_work() {
    let a = r#"
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "env" "other" (func $other (result i32)))
  (type $v_i (func (result i32)))
  (func $value (@sym weak) (result i32) i32.const 1)
  (func $_start (export "_start")
    i32.const 0 (@funcaddr $value)
    call_indirect (type $v_i)
    call $value
    i32.add
    i32.const 0 (@addr $fp)
    i32.load
    call_indirect (type $v_i)
    i32.add
    call $exit)
  (data $fp (@segment align=4) (@funcaddr $other)))
"#;
    let b = r#"
(module
  (func $value (result i32) i32.const 20)
  (func $other (result i32) i32.const 30))
"#;
    let wasm = link_both(&[("a.o", asm("a.wat", a)), ("b.o", asm("b.wat", b))], &[]);
    let out = run(&wasm);
    assert_eq!(
        out.exit_code, 70,
        "20 + 20 + 30 from the strong definitions"
    );
}

#[test]
fn globals_tags_and_tables_get_symbols_and_relocations() {
    let text = r#"
(module
  (import "env" "g_in" (global $g_in i32))
  (global $counter (mut i32) (i32.const 5))
  (table $t 2 funcref)
  (tag $e (param i32))
  (func $f (export "f") (param i32) (result i32)
    (block $out (result i32)
      (try_table (catch $e $out)
        local.get 0
        throw $e)
      unreachable)
    global.get $counter
    i32.add
    global.get $g_in
    i32.add
    i32.const 0
    table.get $t
    drop
    table.size $t
    i32.add))
"#;
    let d = decode(&asm("misc.wat", text));
    let kinds: Vec<(&str, &str)> = d.symbols.iter().map(|s| (s.0, s.1.as_str())).collect();
    assert_eq!(
        kinds,
        [
            ("global", ""), // undefined, named by its import field
            ("global", "counter"),
            ("table", "t"),
            ("tag", "e"),
            ("func", "f")
        ]
    );
    let mut types: Vec<u8> = d.relocs.iter().map(|r| r.1).collect();
    types.sort();
    // TAG_INDEX_LEB x2 (catch clause, throw), GLOBAL_INDEX_LEB x2, TABLE_NUMBER_LEB x2
    assert_eq!(types, [7, 7, 10, 10, 20, 20]);
    let out = link(
        Linker::RustLld,
        &[("misc.o", asm("misc.wat", text))],
        &["--no-entry", "--allow-undefined"],
    )
    .expect("rust-lld links tags, globals and tables");
    validate(&out, "rust-lld output");
}

#[test]
fn every_relocation_type_can_be_written() {
    // One object holding every relocation type 0..=26 (code sites, data words, custom section
    // words); wasmparser must decode each with the right type at a distinct offset.
    let text = r#"
(module
  (@wasm64)
  (import "env" "__stack_pointer" (global $sp (mut i64)))
  (type $t (func))
  (tag $e)
  (func $f (type $t)
    call $f                                        ;; 0 FUNCTION_INDEX_LEB
    i64.const 0 (@addr $d) drop                    ;; 15 MEMORY_ADDR_SLEB64
    i64.const 0 (@addr.rel $d) drop                ;; 17 MEMORY_ADDR_REL_SLEB64
    i64.const 0 (@funcaddr $f) drop                ;; 18 TABLE_INDEX_SLEB64
    i64.const 0 (@funcaddr.rel $f) drop            ;; 24 TABLE_INDEX_REL_SLEB64
    i64.const 0 (@addr.tls $tl) drop               ;; 25 MEMORY_ADDR_TLS_SLEB64
    i64.const 0 i64.load (@addr $d) drop           ;; 14 MEMORY_ADDR_LEB64
    i32.const 0 (@reloc memory_addr_sleb $d) drop  ;; 4
    i32.const 0 (@reloc memory_addr_rel_sleb $d) drop ;; 11
    i32.const 0 (@reloc table_index_sleb $f) drop  ;; 1
    i32.const 0 (@reloc table_index_rel_sleb $f) drop ;; 12
    i32.const 0 (@reloc memory_addr_tls_sleb $tl) drop ;; 21
    i64.const 0 i64.load offset=0 (@reloc memory_addr_leb $d) drop ;; 3
    global.get $sp drop                            ;; 7 GLOBAL_INDEX_LEB
    i64.const 0 call_indirect (type $t)            ;; 6 TYPE_INDEX_LEB, 20 TABLE_NUMBER_LEB
    throw $e)                                      ;; 10 TAG_INDEX_LEB
  (data $d (@segment align=8)
    (@reloc memory_addr_i32 $d)                    ;; 5
    (@reloc table_index_i32 $f)                    ;; 2
    (@reloc memory_addr_i64 $d)                    ;; 16
    (@reloc table_index_i64 $f)                    ;; 19
    (@reloc memory_addr_locrel_i32 $d)             ;; 23
    (@reloc global_index_i32 $sp)                  ;; 13
    (@reloc function_index_i32 $f))                ;; 26
  (data $tl (@segment ".tdata.tl" tls align=4) "\00\00\00\00")
  (@section ".debug_info"
    (@reloc function_offset_i32 $f)                ;; 8
    (@reloc section_offset_i32 $.debug_str)        ;; 9
    (@reloc function_offset_i64 $f))               ;; 22
  (@section ".debug_str" "x\00"))
"#;
    let d = decode(&asm("all.wat", text));
    let mut types: Vec<u8> = d.relocs.iter().map(|r| r.1).collect();
    types.sort();
    types.dedup();
    assert_eq!(types, (0..=26).collect::<Vec<u8>>());
}

#[test]
fn errors_name_file_line_and_column() {
    let e = assemble("(module\n  (func $f (@sym bogus)))\n", Path::new("bad.wat"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("bad.wat:2:"), "{e}");
    assert!(e.contains("bogus"), "{e}");
    let e = assemble("(module\n  (func $f\n    call $nope))", Path::new("w.wat"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("w.wat:3:"), "{e}");
    let e = assemble(
        "(module (func i32.const 0 (@addr $missing) drop))",
        Path::new("m.wat"),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("m.wat:1:27") && e.contains("missing"), "{e}");
}

/// Every `.wat` case of the testsuite (outside `programs/`) assembles and links with rust-lld
/// into a valid module, or fails to link with its `expect-error:` message (or, for a case that
/// allows a status difference, does what its `reference-outcome` says).
#[test]
fn testsuite_wat_cases_assemble_and_link() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testsuite");
    let cases = touchstone_oracle::case::discover(&root).expect("discover testsuite cases");
    let lld = rust_lld();
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in &cases {
        if case.name.starts_with("programs/") {
            continue;
        }
        if case.file.extension().and_then(|e| e.to_str()) != Some("wat") {
            continue;
        }
        let work = tempfile::tempdir().expect("tempdir");
        let args = match case.build_inputs(work.path()) {
            Ok(a) => a,
            Err(e) => {
                failures.push(format!("{}: cannot build inputs: {e:#}", case.name));
                continue;
            }
        };
        let out = work.path().join("out.wasm");
        let res = Command::new(&lld)
            .args(["-flavor", "wasm"])
            .args(&args.all)
            .arg("-o")
            .arg(&out)
            .current_dir(work.path())
            .output()
            .expect("run rust-lld");
        let stderr = String::from_utf8_lossy(&res.stderr);
        checked += 1;
        if let Some(outcome) = case.status_difference() {
            // A difference by design: rust-lld does what the case's `reference-outcome` says
            // (links the input, validly or not, or refuses it with the given text).
            match outcome {
                ReferenceOutcome::Invalid | ReferenceOutcome::Valid => {
                    if !res.status.success() {
                        failures.push(format!(
                            "{}: allows a status difference, but rust-lld refused too: {stderr}",
                            case.name
                        ));
                        continue;
                    }
                    let bytes = std::fs::read(&out).expect("read output");
                    let mut v =
                        wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
                    let valid = v.validate_all(&bytes).is_ok();
                    if valid != (outcome == ReferenceOutcome::Valid) {
                        failures.push(format!(
                            "{}: rust-lld's output {} validate, against its reference-outcome",
                            case.name,
                            if valid { "does" } else { "does not" }
                        ));
                    }
                }
                ReferenceOutcome::Error(text) => {
                    if res.status.success() {
                        failures.push(format!(
                            "{}: reference-outcome: error, but rust-lld linked it",
                            case.name
                        ));
                    } else if !stderr.contains(text.as_str()) {
                        failures.push(format!("{}: error lacks `{text}`: {stderr}", case.name));
                    }
                }
            }
            continue;
        }
        if case.expects_error() {
            if res.status.success() {
                failures.push(format!("{}: linked, but an error was expected", case.name));
            }
            for want in &case.expect_errors {
                if !stderr.contains(want.as_str()) {
                    failures.push(format!("{}: error lacks `{want}`: {stderr}", case.name));
                }
            }
            continue;
        }
        if !res.status.success() {
            failures.push(format!("{}: rust-lld failed: {stderr}", case.name));
            continue;
        }
        let bytes = std::fs::read(&out).expect("read output");
        let mut v = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
        if let Err(e) = v.validate_all(&bytes) {
            failures.push(format!("{}: output does not validate: {e}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 0, "no .wat cases found under {}", root.display());
}

/// Damaged input never panics the assembler: every testsuite `.wat` file, cut short and with
/// bytes replaced by syntax characters, assembles or fails with an error.
#[test]
fn damaged_input_gives_errors_not_panics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testsuite");
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read testsuite dir") {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().and_then(|e| e.to_str()) == Some("wat") {
                files.push(p);
            }
        }
    }
    assert!(!files.is_empty(), "no .wat files under {}", root.display());
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut errors = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read case");
        let bytes = text.as_bytes();
        for round in 0..40 {
            let mut damaged = bytes.to_vec();
            let at = (next() % bytes.len().max(1) as u64) as usize;
            if round % 3 == 0 {
                damaged.truncate(at);
            } else {
                let c = b"()\"@$;0x-"[(next() % 9) as usize];
                if let Some(b) = damaged.get_mut(at) {
                    *b = c;
                }
            }
            let Ok(s) = String::from_utf8(damaged) else {
                continue;
            };
            if assemble(&s, f).is_err() {
                errors += 1;
            }
        }
    }
    assert!(errors > 0, "no damaged input was rejected");
}
