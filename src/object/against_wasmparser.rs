//! The object parser against an independent reader: parsing what the assembler emits (random
//! programs from the generator, objects and archive members) gives back the symbols and
//! relocations that wasmparser's `LinkingSectionReader` and `RelocSectionReader` find in the
//! same bytes. A unit test because the parser is not part of the crate's API.

use super::SymbolKind;
use arbitrary::Unstructured;
use proptest::prelude::*;
use touchstone_oracle::gen::{self, FileKind, Limits};

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
    let obj = super::parse(bytes).map_err(|e| e.to_string())?;
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
    let mut add = |section: Option<u32>, list: &[super::Reloc]| {
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
    #![proptest_config(ProptestConfig {
        cases: 24,
        max_shrink_iters: 32,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn parsing_assembler_output_gives_back_symbols_and_relocations(
        seed in proptest::collection::vec(any::<u8>(), 16..600),
    ) {
        let p = gen::generate(&mut Unstructured::new(&seed), &Limits::default()).expect("generator");
        for f in &p.files {
            let objects: Vec<(String, Vec<u8>)> = match f.kind {
                FileKind::Object => vec![(f.name.clone(), f.bytes.clone())],
                FileKind::Archive => crate::input::archive_members(std::path::Path::new(&f.name), &f.bytes)
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
