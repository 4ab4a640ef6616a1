//! Property tests over generated programs (`touchstone::gen`), run by proptest in `cargo test`:
//!
//! - a generated set links with touchstone and with rust-lld (the reference, which checks the
//!   generator's prediction), both outputs validate and `run` returns the predicted checksum;
//! - linking is deterministic (same inputs, same bytes);
//! - GC never removes what a root reaches: the program behaves the same with `--gc-sections`
//!   and `--no-gc-sections`;
//! - moving input files on the command line changes the outcome only as wasm-ld's rules say
//!   (first weak definition / first COMDAT wins, init function ties, custom section order):
//!   the generator re-predicts for the new order and both linkers must agree with it;
//! - patched LEB/SLEB/I32/I64 relocation sites read back (with wasmparser) as the value
//!   written, at the relocation's width, for every relocation type;
//! - parsing what the assembler emits gives back the symbols and relocations that wasmparser
//!   (an independent reader) finds in the same bytes.
//!
//! Case counts are small so the whole file runs in well under a minute (each case links with
//! rust-lld and runs in wasmtime); the fuzzers (`fuzz/`) run the same checks for hours.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod fuzzlib;

use arbitrary::Unstructured;
use proptest::prelude::*;
use touchstone::gen::{self, FileKind, Limits, Program};
use touchstone::object::RelocType;

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

/// Reads back a patched site the way a consumer of the output would, with wasmparser.
fn read_back(ty: RelocType, site: &[u8]) -> Result<u64, String> {
    use RelocType::*;
    let mut r = wasmparser::BinaryReader::new(site, 0);
    let e = |e: wasmparser::BinaryReaderError| e.to_string();
    Ok(match ty {
        FUNCTION_INDEX_LEB | TYPE_INDEX_LEB | GLOBAL_INDEX_LEB | TAG_INDEX_LEB
        | TABLE_NUMBER_LEB | MEMORY_ADDR_LEB => r.read_var_u32().map_err(e)? as u64,
        MEMORY_ADDR_LEB64 => r.read_var_u64().map_err(e)?,
        TABLE_INDEX_SLEB | TABLE_INDEX_REL_SLEB | MEMORY_ADDR_SLEB | MEMORY_ADDR_REL_SLEB
        | MEMORY_ADDR_TLS_SLEB => r.read_var_i32().map_err(e)? as u32 as u64,
        TABLE_INDEX_SLEB64
        | TABLE_INDEX_REL_SLEB64
        | MEMORY_ADDR_SLEB64
        | MEMORY_ADDR_REL_SLEB64
        | MEMORY_ADDR_TLS_SLEB64 => r.read_var_i64().map_err(e)? as u64,
        MEMORY_ADDR_I64 | TABLE_INDEX_I64 | FUNCTION_OFFSET_I64 => {
            u64::from_le_bytes(site.try_into().map_err(|_| "not 8 bytes".to_string())?)
        }
        _ => u32::from_le_bytes(site.try_into().map_err(|_| "not 4 bytes".to_string())?) as u64,
    })
}

/// The value a site of this type can hold (what `patch` keeps of `v`).
fn representable(ty: RelocType, v: u64) -> u64 {
    match ty.width() {
        5 | 4 => v as u32 as u64,
        _ => v,
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn patched_sites_round_trip_for_every_relocation_width(
        code in 0u8..=26,
        v in prop_oneof![any::<u64>(), any::<u32>().prop_map(u64::from), (0u64..300),
                         any::<i32>().prop_map(|x| x as i64 as u64)],
        before in proptest::collection::vec(any::<u8>(), 0..8),
        after in proptest::collection::vec(any::<u8>(), 0..8),
    ) {
        let ty = RelocType::from_u8(code).expect("relocation types 0..=26 exist");
        let w = ty.width();
        let mut buf = before.clone();
        buf.extend(std::iter::repeat_n(0xaau8, w));
        buf.extend(&after);
        ty.patch(&mut buf, before.len(), v);
        prop_assert_eq!(&buf[..before.len()], &before[..], "bytes before the site changed");
        prop_assert_eq!(&buf[before.len() + w..], &after[..], "bytes after the site changed");
        let site = &buf[before.len()..before.len() + w];
        let got = read_back(ty, site).map_err(TestCaseError::fail)?;
        prop_assert_eq!(got, representable(ty, v), "{:?} site {:02x?}", ty, site);
        if w == 5 || w == 10 {
            // Padded: every byte but the last has the continuation bit.
            prop_assert!(site[..w - 1].iter().all(|b| b & 0x80 != 0) && site[w - 1] & 0x80 == 0);
        }
    }
}

/// Symbols and relocations as wasmparser reads them: (kind, flags, index, name, data) and
/// (section index, type, offset, index, addend).
type Syms = Vec<(u8, u32, u32, Option<String>, Option<(u32, u64, u64)>)>;
type Relocs = Vec<(u32, u8, u32, u32, i64)>;

fn wasmparser_view(bytes: &[u8]) -> Result<(Syms, Relocs), String> {
    use wasmparser::{KnownCustom, Linking, Payload, SymbolInfo};
    let mut syms = Vec::new();
    let mut relocs = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let Payload::CustomSection(c) = payload.map_err(|e| e.to_string())? else {
            continue;
        };
        match c.as_known() {
            KnownCustom::Linking(l) => {
                for sub in l.subsections() {
                    let Linking::SymbolTable(map) = sub.map_err(|e| e.to_string())? else {
                        continue;
                    };
                    for s in map {
                        let s = s.map_err(|e| e.to_string())?;
                        let owned = |n: Option<&str>| n.map(str::to_string);
                        syms.push(match s {
                            SymbolInfo::Func { flags, index, name } => {
                                (0, flags.bits(), index, owned(name), None)
                            }
                            SymbolInfo::Data {
                                flags,
                                name,
                                symbol,
                            } => (
                                1,
                                flags.bits(),
                                0,
                                Some(name.to_string()),
                                symbol.map(|d| (d.index, d.offset as u64, d.size as u64)),
                            ),
                            SymbolInfo::Global { flags, index, name } => {
                                (2, flags.bits(), index, owned(name), None)
                            }
                            SymbolInfo::Section { flags, section } => {
                                (3, flags.bits(), section, None, None)
                            }
                            SymbolInfo::Event { flags, index, name } => {
                                (4, flags.bits(), index, owned(name), None)
                            }
                            SymbolInfo::Table { flags, index, name } => {
                                (5, flags.bits(), index, owned(name), None)
                            }
                        });
                    }
                }
            }
            KnownCustom::Reloc(r) => {
                for e in r.entries() {
                    let e = e.map_err(|e| e.to_string())?;
                    relocs.push((r.section_index(), e.ty as u8, e.offset, e.index, e.addend));
                }
            }
            _ => {}
        }
    }
    Ok((syms, relocs))
}

fn touchstone_view(bytes: &[u8]) -> Result<(Syms, Relocs), String> {
    use touchstone::object::SymbolKind;
    let obj = touchstone::object::parse(bytes).map_err(|e| e.to_string())?;
    let syms = obj
        .symbols
        .iter()
        .map(|s| {
            let kind = match s.kind {
                SymbolKind::Function => 0,
                SymbolKind::Data => 1,
                SymbolKind::Global => 2,
                SymbolKind::Section => 3,
                SymbolKind::Tag => 4,
                SymbolKind::Table => 5,
            };
            let named = s.is_defined() || s.flags & 0x40 != 0 || kind == 1;
            (
                kind,
                s.flags,
                if kind == 1 { 0 } else { s.index },
                named.then(|| s.name.to_string()).filter(|_| kind != 3),
                s.data.map(|d| (d.segment, d.offset, d.size)),
            )
        })
        .collect();
    let mut relocs = Vec::new();
    let mut add = |section: Option<u32>, list: &[touchstone::object::Reloc]| {
        for r in list {
            relocs.push((
                section.unwrap_or(u32::MAX),
                r.ty as u8,
                r.offset,
                r.index,
                r.addend,
            ));
        }
    };
    add(obj.code_section_index, &obj.code_relocs);
    add(obj.data_section_index, &obj.data_relocs);
    for c in &obj.custom_sections {
        add(Some(c.section_index), &c.relocs);
    }
    Ok((syms, relocs))
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn parsing_assembler_output_gives_back_symbols_and_relocations(seed in seed()) {
        let p = generate(&seed);
        for f in &p.files {
            let objects: Vec<(String, Vec<u8>)> = match f.kind {
                FileKind::Object => vec![(f.name.clone(), f.bytes.clone())],
                FileKind::Archive => touchstone::input::archive_members(std::path::Path::new(&f.name), &f.bytes)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?
                    .into_iter()
                    .map(|m| (m.name, m.data.to_vec()))
                    .collect(),
            };
            for (name, bytes) in objects {
                let want = wasmparser_view(&bytes).map_err(TestCaseError::fail)?;
                let (syms, mut relocs) = touchstone_view(&bytes).map_err(TestCaseError::fail)?;
                let mut want_relocs = want.1.clone();
                relocs.sort();
                want_relocs.sort();
                prop_assert_eq!(&syms, &want.0, "symbols of {}", name);
                prop_assert_eq!(&relocs, &want_relocs, "relocations of {}", name);
            }
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
