//! `benchgen`: writes a synthetic set of WebAssembly relocatable objects (tool-conventions
//! Linking.md, `linking` version 2) for the linker benchmark `ci/bench`, sized from a few MB to
//! several GB, fast (one pass, one buffer per object, no dependencies).
//!
//! The set is `main.o` plus `obj0.o` .. `obj{N-1}.o`. Object `k` defines M functions of type
//! `(i32) -> i32` and an `entry_k` that calls each of them with 1 and sums the results. A function
//! called with 1 calls a function of the next object (cross-object call through an imported
//! symbol) and the next function of its own object, both with 0; called with 0 it loads a pointer
//! from its `.data` segment, loads the value that pointer points at (a `.rodata` segment), and
//! either way xors the result with a chain of constants (the padding that gives the body its
//! size). Every eighth function is address-taken (`R_WASM_TABLE_INDEX_I32` in data) and `entry_k`
//! calls the first one through `call_indirect`. Debug-like custom sections (`.debug_abbrev`,
//! `.debug_info`, `.debug_str`, `.debug_line`) carry `R_WASM_FUNCTION_OFFSET_I32`,
//! `R_WASM_SECTION_OFFSET_I32` and `R_WASM_MEMORY_ADDR_I32` relocations like clang's `-g` output.
//! `main.o` defines `checksum`, which sums every `entry_k`; link with `--no-entry
//! --export=checksum`. The value `checksum` must return is computed here and written, with the
//! sizes, to `manifest.txt`.
//!
//! Usage: `benchgen --out DIR (--mb SIZE | --objects N) [--functions M] [--pad P] [--debug D]`.
//! With `--mb`, N is chosen so that the objects add up to about SIZE * 10^6 bytes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use touchstone_format::linking::{
    VERSION as LINKING_VERSION, WASM_SEGMENT_INFO, WASM_SYMBOL_TABLE,
};
use touchstone_format::{flags, leb, RelocType, SymbolKind};

// Relocation types, symbol kinds and flags: the format facts the linker and its tooling share.
const R_FUNCTION_INDEX_LEB: u8 = RelocType::FUNCTION_INDEX_LEB as u8;
const R_TABLE_INDEX_I32: u8 = RelocType::TABLE_INDEX_I32 as u8;
const R_MEMORY_ADDR_LEB: u8 = RelocType::MEMORY_ADDR_LEB as u8;
const R_MEMORY_ADDR_SLEB: u8 = RelocType::MEMORY_ADDR_SLEB as u8;
const R_MEMORY_ADDR_I32: u8 = RelocType::MEMORY_ADDR_I32 as u8;
const R_TYPE_INDEX_LEB: u8 = RelocType::TYPE_INDEX_LEB as u8;
const R_FUNCTION_OFFSET_I32: u8 = RelocType::FUNCTION_OFFSET_I32 as u8;
const R_SECTION_OFFSET_I32: u8 = RelocType::SECTION_OFFSET_I32 as u8;
const R_TABLE_NUMBER_LEB: u8 = RelocType::TABLE_NUMBER_LEB as u8;

const SYMTAB_FUNCTION: u8 = SymbolKind::Function as u8;
const SYMTAB_DATA: u8 = SymbolKind::Data as u8;
const SYMTAB_SECTION: u8 = SymbolKind::Section as u8;
const SYMTAB_TABLE: u8 = SymbolKind::Table as u8;
const FLAG_LOCAL: u32 = flags::WASM_SYM_BINDING_LOCAL;
const FLAG_HIDDEN: u32 = flags::WASM_SYM_VISIBILITY_HIDDEN;
const FLAG_UNDEFINED: u32 = flags::WASM_SYM_UNDEFINED;
const FLAG_NO_STRIP: u32 = flags::WASM_SYM_NO_STRIP;

/// How many functions of the next object each object calls (imports).
const CROSS_TARGETS: u32 = 16;
/// Every ADDRESS_TAKEN_EVERY-th function has its address stored in data.
const ADDRESS_TAKEN_EVERY: u32 = 8;

/// Generation parameters.
#[derive(Clone, Copy, Debug)]
struct Params {
    objects: u32,
    functions: u32,
    /// Number of `i32.const c; i32.xor` pairs at the end of each function (3 bytes each).
    pad: u32,
    /// Filler bytes per function in `.debug_info` (and half as many in `.debug_line`).
    debug: u32,
}

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("benchgen: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut out: Option<PathBuf> = None;
    let mut mb: Option<f64> = None;
    let mut params = Params {
        objects: 0,
        functions: 500,
        pad: 150,
        debug: 400,
    };
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--mb" => mb = Some(parse(&value("--mb")?, "--mb")?),
            "--objects" => params.objects = parse(&value("--objects")?, "--objects")?,
            "--functions" => params.functions = parse(&value("--functions")?, "--functions")?,
            "--pad" => params.pad = parse(&value("--pad")?, "--pad")?,
            "--debug" => params.debug = parse(&value("--debug")?, "--debug")?,
            "-h" | "--help" => {
                println!("usage: benchgen --out DIR (--mb SIZE | --objects N) [--functions M] [--pad P] [--debug D]");
                return Ok(());
            }
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    if params.functions < 2 || params.functions > 1_000_000 {
        return Err("--functions must be between 2 and 1000000".into());
    }
    if params.pad > 1_000_000 || params.debug > 1_000_000 {
        return Err("--pad and --debug must be at most 1000000".into());
    }
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;

    let start = std::time::Instant::now();
    let mut total: u64 = 0;
    match (mb, params.objects) {
        (Some(mb), 0) => {
            // Object 0 with N unknown: its size does not depend on N except for names' digits,
            // so write it with a provisional N, then choose N and write it again at the end.
            let probe = Params {
                objects: 2,
                ..params
            };
            let size = object_bytes(&probe, 0).len() as f64;
            let target = mb * 1e6;
            params.objects = ((target / size).round() as u32).max(2);
        }
        (None, n) if n >= 2 => {}
        (None, _) => return Err("give --mb SIZE or --objects N (N >= 2)".into()),
        (Some(_), _) => return Err("give either --mb or --objects, not both".into()),
    }
    for k in 0..params.objects {
        let bytes = object_bytes(&params, k);
        total += bytes.len() as u64;
        write(&out.join(format!("obj{k}.o")), &bytes)?;
    }
    let main = main_bytes(params.objects);
    total += main.len() as u64;
    write(&out.join("main.o"), &main)?;

    let mut manifest = String::new();
    let _ = writeln!(manifest, "checksum={}", expected_checksum(&params));
    let _ = writeln!(manifest, "objects={}", params.objects);
    let _ = writeln!(manifest, "functions={}", params.functions);
    let _ = writeln!(manifest, "pad={}", params.pad);
    let _ = writeln!(manifest, "debug={}", params.debug);
    let _ = writeln!(manifest, "bytes={total}");
    write(&out.join("manifest.txt"), manifest.as_bytes())?;
    eprintln!(
        "benchgen: {} objects x {} functions, {:.1} MB in {:.2} s -> {}",
        params.objects,
        params.functions,
        total as f64 / 1e6,
        start.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(())
}

fn parse<T: std::str::FromStr>(text: &str, name: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{name}: `{text}` is not a valid number"))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------------
// The values the program computes, so the manifest can say what `checksum` returns.

/// The value stored in `.rodata.r_k_i`.
fn value(k: u32, i: u32) -> u32 {
    let mut x = (k as u64) << 32 | i as u64;
    x = x.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^= x >> 29;
    x as u32
}

/// The `i`-th padding constant of function (k, i): below 64, so one SLEB byte.
fn pad_constant(k: u32, i: u32, j: u32) -> u32 {
    (k.wrapping_mul(31) ^ i.wrapping_mul(7)).wrapping_add(j) & 63
}

fn pad_xor(p: &Params, k: u32, i: u32) -> u32 {
    (0..p.pad).fold(0, |acc, j| acc ^ pad_constant(k, i, j))
}

fn f0(p: &Params, k: u32, i: u32) -> u32 {
    value(k, i) ^ pad_xor(p, k, i)
}

fn f1(p: &Params, k: u32, i: u32) -> u32 {
    let cross = f0(p, (k + 1) % p.objects, i % CROSS_TARGETS.min(p.functions));
    let local = f0(p, k, (i + 1) % p.functions);
    cross.wrapping_add(local) ^ pad_xor(p, k, i)
}

fn entry(p: &Params, k: u32) -> u32 {
    let sum = (0..p.functions).fold(0u32, |acc, i| acc.wrapping_add(f1(p, k, i)));
    // call_indirect through the pointer to function 0 (address-taken), with argument 0.
    sum.wrapping_add(f0(p, k, 0))
}

fn expected_checksum(p: &Params) -> i32 {
    (0..p.objects).fold(0u32, |acc, k| acc.wrapping_add(entry(p, k))) as i32
}

// ---------------------------------------------------------------------------------------------
// Encoding helpers.

fn uleb(out: &mut Vec<u8>, v: u64) {
    leb::write_u64(out, v)
}

/// A 5-byte LEB, as relocation sites need (the linker rewrites it in place).
fn uleb5(out: &mut Vec<u8>, v: u32) {
    leb::write_uleb_padded(out, v as u64, 5)
}

/// A 5-byte signed LEB.
fn sleb5(out: &mut Vec<u8>, v: i32) {
    leb::write_sleb_padded(out, v as i64, 5)
}

fn name(out: &mut Vec<u8>, s: &str) {
    uleb(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn section(out: &mut Vec<u8>, id: u8, payload: &[u8]) {
    out.push(id);
    uleb(out, payload.len() as u64);
    out.extend_from_slice(payload);
}

fn custom_section(out: &mut Vec<u8>, section_name: &str, payload: &[u8]) {
    let mut head = Vec::with_capacity(section_name.len() + 5);
    name(&mut head, section_name);
    out.push(0);
    uleb(out, (head.len() + payload.len()) as u64);
    out.extend_from_slice(&head);
    out.extend_from_slice(payload);
}

/// One relocation entry.
struct Reloc {
    ty: u8,
    offset: u32,
    index: u32,
    addend: Option<i32>,
}

fn reloc_section(out: &mut Vec<u8>, section_name: &str, target: u32, relocs: &[Reloc]) {
    let mut payload = Vec::with_capacity(relocs.len() * 8 + 8);
    uleb(&mut payload, target as u64);
    uleb(&mut payload, relocs.len() as u64);
    for r in relocs {
        payload.push(r.ty);
        uleb(&mut payload, r.offset as u64);
        uleb(&mut payload, r.index as u64);
        if let Some(a) = r.addend {
            sleb(&mut payload, a as i64);
        }
    }
    custom_section(out, section_name, &payload);
}

fn sleb(out: &mut Vec<u8>, v: i64) {
    leb::write_i64(out, v)
}

/// Cheap deterministic filler bytes (xorshift), so debug sections are not all zeros.
struct Filler(u64);

impl Filler {
    fn fill(&mut self, out: &mut Vec<u8>, n: u32) {
        let mut left = n as usize;
        while left > 0 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            let bytes = self.0.to_le_bytes();
            let take = left.min(8);
            out.extend_from_slice(&bytes[..take]);
            left -= take;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Objects.

/// Indices of the sections of a generated object (relocation sections and section symbols
/// refer to them).
const SEC_CODE: u32 = 4;
const SEC_DATA: u32 = 5;
const SEC_DEBUG_ABBREV: u32 = 6;
const SEC_DEBUG_INFO: u32 = 7;
const SEC_DEBUG_STR: u32 = 8;
const SEC_DEBUG_LINE: u32 = 9;

/// Object `k` of the set.
fn object_bytes(p: &Params, k: u32) -> Vec<u8> {
    let m = p.functions;
    let cross = CROSS_TARGETS.min(m);
    let next = (k + 1) % p.objects;
    let taken: Vec<u32> = (0..m).filter(|i| i % ADDRESS_TAKEN_EVERY == 0).collect();

    // Symbol table layout: [0, m) functions f/s; m entry_k; [m+1, m+1+cross) imported functions;
    // then table, 2 section symbols, then data symbols d_i (m) and r_i (m).
    let sym_import = |j: u32| m + 1 + j;
    let sym_table = m + 1 + cross;
    let sym_abbrev = sym_table + 1;
    let sym_str = sym_table + 2;
    let sym_d = |i: u32| sym_table + 3 + 2 * i;
    let sym_r = |i: u32| sym_table + 4 + 2 * i;
    // Function index space: imports first.
    let func_import = |j: u32| j;
    let func_def = |i: u32| cross + i;
    let func_entry = cross + m;
    // Data layout in the object's own address space: d_i (8 bytes) then r_i (4 bytes).
    let addr_d = |i: u32| 12 * i;
    let addr_r = |i: u32| 12 * i + 8;

    let per_function = 60 + 3 * p.pad as usize + p.debug as usize * 2 + 64;
    let mut out = Vec::with_capacity(per_function * m as usize + 4096);
    out.extend_from_slice(b"\0asm\x01\0\0\0");

    // Type section: 0 = (i32) -> i32, 1 = () -> i32.
    section(&mut out, 1, &[2, 0x60, 1, 0x7f, 1, 0x7f, 0x60, 0, 1, 0x7f]);

    // Imports: memory, table, functions of the next object.
    let mut imports = Vec::new();
    uleb(&mut imports, 2 + cross as u64);
    name(&mut imports, "env");
    name(&mut imports, "__linear_memory");
    imports.extend_from_slice(&[2, 0]);
    uleb(&mut imports, ((12 * m as u64) >> 16) + 1);
    name(&mut imports, "env");
    name(&mut imports, "__indirect_function_table");
    imports.extend_from_slice(&[1, 0x70, 0]);
    uleb(&mut imports, taken.len() as u64 + 1);
    for j in 0..cross {
        name(&mut imports, "env");
        name(&mut imports, &format!("f_{next}_{j}"));
        imports.extend_from_slice(&[0, 0]);
    }
    section(&mut out, 2, &imports);

    // Function section.
    let mut funcs = Vec::with_capacity(m as usize + 8);
    uleb(&mut funcs, m as u64 + 1);
    funcs.extend(std::iter::repeat_n(0u8, m as usize));
    funcs.push(1);
    section(&mut out, 3, &funcs);

    // Element section, as clang writes it for address-taken functions (linkers use the
    // TABLE_INDEX relocations, not this).
    let mut elem = Vec::new();
    elem.extend_from_slice(&[1, 0, 0x41, 1, 0x0b]);
    uleb(&mut elem, taken.len() as u64);
    for &i in &taken {
        uleb(&mut elem, func_def(i) as u64);
    }
    section(&mut out, 9, &elem);

    // Code section.
    let mut code = Vec::with_capacity((60 + 3 * p.pad as usize) * m as usize + 8 * m as usize);
    let mut code_relocs = Vec::with_capacity(3 * m as usize + 8);
    let mut body_offsets = Vec::with_capacity(m as usize);
    uleb(&mut code, m as u64 + 1);
    let mut body = Vec::with_capacity(64 + 3 * p.pad as usize);
    for i in 0..m {
        body.clear();
        let mut relocs_here: Vec<(usize, u8, u32, Option<i32>)> = Vec::with_capacity(3);
        body.push(0); // no locals
        body.extend_from_slice(&[0x20, 0, 0x04, 0x7f]); // local.get 0; if (result i32)
        body.extend_from_slice(&[0x20, 0, 0x41, 1, 0x6b, 0x10]); // x - 1; call
        relocs_here.push((
            body.len(),
            R_FUNCTION_INDEX_LEB,
            sym_import(i % cross),
            None,
        ));
        uleb5(&mut body, func_import(i % cross));
        body.extend_from_slice(&[0x20, 0, 0x41, 1, 0x6b, 0x10]);
        let callee = (i + 1) % m;
        relocs_here.push((body.len(), R_FUNCTION_INDEX_LEB, callee, None));
        uleb5(&mut body, func_def(callee));
        body.extend_from_slice(&[0x6a, 0x05, 0x41]); // i32.add; else; i32.const
        relocs_here.push((body.len(), R_MEMORY_ADDR_SLEB, sym_d(i), Some(0)));
        sleb5(&mut body, addr_d(i) as i32);
        body.extend_from_slice(&[0x28, 2, 0, 0x28, 2, 0, 0x0b]); // load; load; end
        for j in 0..p.pad {
            body.extend_from_slice(&[0x41, pad_constant(k, i, j) as u8, 0x73]);
        }
        body.push(0x0b);
        uleb(&mut code, body.len() as u64);
        body_offsets.push(code.len() as u32);
        for (at, ty, index, addend) in relocs_here {
            code_relocs.push(Reloc {
                ty,
                offset: (code.len() + at) as u32,
                index,
                addend,
            });
        }
        code.extend_from_slice(&body);
    }
    // entry_k: sum of f_i(1), plus call_indirect of function 0's pointer with 0.
    body.clear();
    body.extend_from_slice(&[0, 0x41, 0]);
    let mut entry_relocs: Vec<(usize, u8, u32, Option<i32>)> = Vec::with_capacity(m as usize + 4);
    for i in 0..m {
        body.extend_from_slice(&[0x41, 1, 0x10]);
        entry_relocs.push((body.len(), R_FUNCTION_INDEX_LEB, i, None));
        uleb5(&mut body, func_def(i));
        body.push(0x6a);
    }
    body.extend_from_slice(&[0x41, 0, 0x41, 0, 0x28, 2]); // arg 0; i32.const 0; i32.load offset=
    entry_relocs.push((body.len(), R_MEMORY_ADDR_LEB, sym_d(0), Some(4)));
    uleb5(&mut body, addr_d(0) + 4);
    body.push(0x11); // call_indirect type table
    entry_relocs.push((body.len(), R_TYPE_INDEX_LEB, 0, None));
    uleb5(&mut body, 0);
    entry_relocs.push((body.len(), R_TABLE_NUMBER_LEB, sym_table, None));
    uleb5(&mut body, 0);
    body.extend_from_slice(&[0x6a, 0x0b]);
    uleb(&mut code, body.len() as u64);
    for (at, ty, index, addend) in entry_relocs {
        code_relocs.push(Reloc {
            ty,
            offset: (code.len() + at) as u32,
            index,
            addend,
        });
    }
    code.extend_from_slice(&body);
    section(&mut out, 10, &code);

    // Data section: per function d_i = [&r_i, &f_i or 0] and r_i = value.
    let mut data = Vec::with_capacity(24 * m as usize + 8);
    let mut data_relocs = Vec::with_capacity(m as usize + taken.len());
    uleb(&mut data, 2 * m as u64);
    for i in 0..m {
        data.extend_from_slice(&[0, 0x41]);
        sleb(&mut data, addr_d(i) as i64);
        data.extend_from_slice(&[0x0b, 8]);
        data_relocs.push(Reloc {
            ty: R_MEMORY_ADDR_I32,
            offset: data.len() as u32,
            index: sym_r(i),
            addend: Some(0),
        });
        data.extend_from_slice(&addr_r(i).to_le_bytes());
        if i % ADDRESS_TAKEN_EVERY == 0 {
            data_relocs.push(Reloc {
                ty: R_TABLE_INDEX_I32,
                offset: data.len() as u32,
                index: i,
                addend: None,
            });
        }
        data.extend_from_slice(&0u32.to_le_bytes());
        data.extend_from_slice(&[0, 0x41]);
        sleb(&mut data, addr_r(i) as i64);
        data.extend_from_slice(&[0x0b, 4]);
        data.extend_from_slice(&value(k, i).to_le_bytes());
    }
    section(&mut out, 11, &data);

    // Debug-like sections.
    let abbrev: Vec<u8> = (0u8..48).collect();
    custom_section(&mut out, ".debug_abbrev", &abbrev);

    let mut strs = Vec::with_capacity(48 * m as usize);
    let mut str_offsets = Vec::with_capacity(m as usize);
    for i in 0..m {
        str_offsets.push(strs.len() as u32);
        strs.extend_from_slice(function_name(k, i, cross).as_bytes());
        strs.extend_from_slice(b" /* int (int), obj");
        strs.extend_from_slice(k.to_string().as_bytes());
        strs.extend_from_slice(b".c */\0");
    }

    let mut filler = Filler(0x2545_f491_4f6c_dd1d ^ ((k as u64) << 20) ^ 1);
    let mut info = Vec::with_capacity((p.debug as usize + 24) * m as usize + 16);
    let mut info_relocs = Vec::with_capacity(3 * m as usize + 1);
    info.extend_from_slice(&0u32.to_le_bytes()); // unit length (not checked by linkers)
    info.extend_from_slice(&4u16.to_le_bytes());
    info_relocs.push(Reloc {
        ty: R_SECTION_OFFSET_I32,
        offset: info.len() as u32,
        index: sym_abbrev,
        addend: Some(0),
    });
    info.extend_from_slice(&0u32.to_le_bytes());
    info.push(4);
    for i in 0..m {
        info.push(2);
        info_relocs.push(Reloc {
            ty: R_FUNCTION_OFFSET_I32,
            offset: info.len() as u32,
            index: i,
            addend: Some(0),
        });
        info.extend_from_slice(&0u32.to_le_bytes());
        info.extend_from_slice(&(body_offsets.len() as u32).to_le_bytes());
        info_relocs.push(Reloc {
            ty: R_SECTION_OFFSET_I32,
            offset: info.len() as u32,
            index: sym_str,
            addend: Some(str_offsets[i as usize] as i32),
        });
        info.extend_from_slice(&str_offsets[i as usize].to_le_bytes());
        info_relocs.push(Reloc {
            ty: R_MEMORY_ADDR_I32,
            offset: info.len() as u32,
            index: sym_d(i),
            addend: Some(0),
        });
        info.extend_from_slice(&addr_d(i).to_le_bytes());
        filler.fill(&mut info, p.debug);
    }
    let len = (info.len() - 4) as u32;
    info[..4].copy_from_slice(&len.to_le_bytes());
    custom_section(&mut out, ".debug_info", &info);
    custom_section(&mut out, ".debug_str", &strs);

    let mut line = Vec::with_capacity((p.debug as usize / 2 + 8) * m as usize + 16);
    let mut line_relocs = Vec::with_capacity(m as usize);
    line.extend_from_slice(&[0; 10]);
    for i in 0..m {
        line.extend_from_slice(&[0, 5, 2]); // DW_LNE_set_address
        line_relocs.push(Reloc {
            ty: R_FUNCTION_OFFSET_I32,
            offset: line.len() as u32,
            index: i,
            addend: Some(0),
        });
        line.extend_from_slice(&0u32.to_le_bytes());
        filler.fill(&mut line, p.debug / 2);
    }
    custom_section(&mut out, ".debug_line", &line);

    // linking: symbol table, then segment info.
    let mut linking = Vec::with_capacity(64 * m as usize);
    uleb(&mut linking, LINKING_VERSION as u64);
    let mut symtab = Vec::with_capacity(48 * m as usize);
    uleb(&mut symtab, (sym_table + 3 + 2 * m) as u64);
    for i in 0..m {
        symtab.push(SYMTAB_FUNCTION);
        uleb(&mut symtab, if i < cross { 0 } else { FLAG_LOCAL } as u64);
        uleb(&mut symtab, func_def(i) as u64);
        name(&mut symtab, &function_name(k, i, cross));
    }
    symtab.push(SYMTAB_FUNCTION);
    uleb(&mut symtab, 0);
    uleb(&mut symtab, func_entry as u64);
    name(&mut symtab, &format!("entry_{k}"));
    for j in 0..cross {
        symtab.push(SYMTAB_FUNCTION);
        uleb(&mut symtab, FLAG_UNDEFINED as u64);
        uleb(&mut symtab, func_import(j) as u64);
    }
    symtab.push(SYMTAB_TABLE);
    uleb(&mut symtab, (FLAG_UNDEFINED | FLAG_NO_STRIP) as u64);
    uleb(&mut symtab, 0);
    for sec in [SEC_DEBUG_ABBREV, SEC_DEBUG_STR] {
        symtab.push(SYMTAB_SECTION);
        uleb(&mut symtab, FLAG_LOCAL as u64);
        uleb(&mut symtab, sec as u64);
    }
    for i in 0..m {
        symtab.push(SYMTAB_DATA);
        uleb(&mut symtab, FLAG_HIDDEN as u64);
        name(&mut symtab, &format!("d_{k}_{i}"));
        uleb(&mut symtab, 2 * i as u64);
        uleb(&mut symtab, 0);
        uleb(&mut symtab, 8);
        symtab.push(SYMTAB_DATA);
        uleb(&mut symtab, FLAG_LOCAL as u64);
        name(&mut symtab, &format!("r_{i}"));
        uleb(&mut symtab, 2 * i as u64 + 1);
        uleb(&mut symtab, 0);
        uleb(&mut symtab, 4);
    }
    linking.push(WASM_SYMBOL_TABLE);
    uleb(&mut linking, symtab.len() as u64);
    linking.extend_from_slice(&symtab);
    let mut segs = Vec::with_capacity(24 * m as usize);
    uleb(&mut segs, 2 * m as u64);
    for i in 0..m {
        name(&mut segs, &format!(".data.d_{k}_{i}"));
        segs.extend_from_slice(&[2, 0]);
        name(&mut segs, &format!(".rodata.r_{i}"));
        segs.extend_from_slice(&[2, 0]);
    }
    linking.push(WASM_SEGMENT_INFO);
    uleb(&mut linking, segs.len() as u64);
    linking.extend_from_slice(&segs);
    custom_section(&mut out, "linking", &linking);

    reloc_section(&mut out, "reloc.CODE", SEC_CODE, &code_relocs);
    reloc_section(&mut out, "reloc.DATA", SEC_DATA, &data_relocs);
    reloc_section(&mut out, "reloc..debug_info", SEC_DEBUG_INFO, &info_relocs);
    reloc_section(&mut out, "reloc..debug_line", SEC_DEBUG_LINE, &line_relocs);
    out
}

/// Functions called from the previous object are global (`f_k_i`); the others are static, with
/// the same local name in every object (`s_i`), as C's static helpers are.
fn function_name(k: u32, i: u32, cross: u32) -> String {
    if i < cross {
        format!("f_{k}_{i}")
    } else {
        format!("s_{i}")
    }
}

/// `main.o`: `checksum` calls every `entry_k` and sums the results.
fn main_bytes(objects: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + 20 * objects as usize);
    out.extend_from_slice(b"\0asm\x01\0\0\0");
    section(&mut out, 1, &[1, 0x60, 0, 1, 0x7f]);
    let mut imports = Vec::new();
    uleb(&mut imports, objects as u64);
    for k in 0..objects {
        name(&mut imports, "env");
        name(&mut imports, &format!("entry_{k}"));
        imports.extend_from_slice(&[0, 0]);
    }
    section(&mut out, 2, &imports);
    section(&mut out, 3, &[1, 0]);
    let mut code = Vec::new();
    let mut relocs = Vec::new();
    let mut body = vec![0, 0x41, 0];
    let mut sites = Vec::new();
    for k in 0..objects {
        body.push(0x10);
        sites.push((body.len(), k));
        uleb5(&mut body, k);
        body.push(0x6a);
    }
    body.push(0x0b);
    uleb(&mut code, 1);
    uleb(&mut code, body.len() as u64);
    for (at, k) in sites {
        relocs.push(Reloc {
            ty: R_FUNCTION_INDEX_LEB,
            offset: (code.len() + at) as u32,
            index: k + 1,
            addend: None,
        });
    }
    code.extend_from_slice(&body);
    section(&mut out, 10, &code);

    let mut linking = Vec::new();
    uleb(&mut linking, LINKING_VERSION as u64);
    let mut symtab = Vec::new();
    uleb(&mut symtab, objects as u64 + 1);
    symtab.push(SYMTAB_FUNCTION);
    uleb(&mut symtab, 0);
    uleb(&mut symtab, objects as u64);
    name(&mut symtab, "checksum");
    for k in 0..objects {
        symtab.push(SYMTAB_FUNCTION);
        uleb(&mut symtab, FLAG_UNDEFINED as u64);
        uleb(&mut symtab, k as u64);
    }
    linking.push(WASM_SYMBOL_TABLE);
    uleb(&mut linking, symtab.len() as u64);
    linking.extend_from_slice(&symtab);
    custom_section(&mut out, "linking", &linking);
    // Sections: type 0, import 1, function 2, code 3.
    reloc_section(&mut out, "reloc.CODE", 3, &relocs);
    out
}
