//! The canonical model of a relocatable output's `linking` and `reloc.*` sections (`-r`,
//! `--emit-relocs`), so that a difference in another linker's object is named, not only "the
//! custom section differs".
//!
//! Every fact becomes one entry of a flat map from a dotted key to its value, with entities
//! named by identity rather than by index, as the rest of the model does (see
//! [`crate::model`]): a symbol by its name (`name#2` for a second symbol of the same name, a
//! section symbol by its section's name), what it refers to by the function, global, data
//! segment, table or tag identity of the module. Keys:
//!
//! - `linking.version`, `linking.symbol.order` (the symbol table's order), and per symbol
//!   `linking.symbol.NAME.kind`, `.flags`, `.target` (for data: `segment+offset size N`);
//! - `linking.segment.NAME.alignment`, `.flags` (segment info, `NAME#2` for a repeated name);
//! - `linking.init.N` (`priority symbol`), `linking.comdat.NAME` (its members);
//! - per relocation section (named by the section it applies to: `CODE`, `DATA`, a custom
//!   section's name) `reloc.SECTION.count`, and per entry `reloc.SECTION.I.type`, `.offset`,
//!   `.symbol`, `.addend`.
//!
//! Two models are compared entry by entry: a missing entry or a different value is a
//! difference under that key.

use anyhow::Context as _;
use std::collections::{BTreeMap, HashMap};
use wasmparser::{
    BinaryReader, ComdatSymbolKind, Linking, LinkingSectionReader, RelocSectionReader, SymbolInfo,
};

/// The identities of the module's entities, by index, that symbols and relocations name.
pub struct Identities<'a> {
    pub funcs: &'a [String],
    pub globals: &'a [String],
    pub data: &'a [String],
    pub tables: &'a [String],
    pub tags: &'a [String],
    pub types: &'a [String],
    /// The module's sections in order (`TYPE`, ..., `CODE`, `DATA`, or a custom section's
    /// name), for the section index of a relocation section or a section symbol.
    pub sections: &'a [String],
}

fn id(ids: &[String], index: u32) -> String {
    ids.get(index as usize)
        .cloned()
        .unwrap_or_else(|| format!("#{index}?"))
}

/// The entries of one module's `linking` section and `reloc.*` sections (given as custom
/// section name and payload, in module order).
pub fn entries(
    customs: &[(String, Vec<u8>)],
    ids: &Identities<'_>,
) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let mut symbols = Vec::new();
    if let Some((_, bytes)) = customs.iter().find(|(n, _)| n == "linking") {
        symbols = linking_entries(bytes, ids, &mut out).context("custom section 'linking'")?;
    }
    for (name, bytes) in customs.iter().filter(|(n, _)| n.starts_with("reloc.")) {
        reloc_entries(bytes, ids, &symbols, &mut out)
            .with_context(|| format!("custom section '{name}'"))?;
    }
    Ok(out)
}

/// Reads the linking section into `out`; returns each symbol's identity, by symbol index.
fn linking_entries(
    bytes: &[u8],
    ids: &Identities<'_>,
    out: &mut BTreeMap<String, String>,
) -> anyhow::Result<Vec<String>> {
    let reader = LinkingSectionReader::new(BinaryReader::new(bytes, 0))?;
    out.insert("linking.version".into(), reader.version().to_string());
    let mut symbols = Vec::new();
    let mut subsections = Vec::new();
    for sub in reader.subsections() {
        subsections.push(sub?);
    }
    // The symbol table first: the other subsections name symbols by index.
    for sub in &subsections {
        if let Linking::SymbolTable(map) = sub {
            let mut seen: HashMap<String, usize> = HashMap::new();
            for info in map.clone() {
                let info = info?;
                let (name, kind, flags, target) = describe_symbol(&info, ids);
                let n = seen.entry(name.clone()).or_insert(0);
                *n += 1;
                let name = if *n == 1 { name } else { format!("{name}#{n}") };
                let key = format!("linking.symbol.{name}");
                out.insert(format!("{key}.kind"), kind.into());
                out.insert(format!("{key}.flags"), format!("{:#x}", flags));
                out.insert(format!("{key}.target"), target);
                symbols.push(name);
            }
        }
    }
    out.insert("linking.symbol.order".into(), symbols.join(","));
    let symbol = |i: u32| id(&symbols, i);
    for sub in subsections {
        match sub {
            Linking::SegmentInfo(map) => {
                let mut seen: HashMap<String, usize> = HashMap::new();
                for seg in map {
                    let seg = seg?;
                    let n = seen.entry(seg.name.to_string()).or_insert(0);
                    *n += 1;
                    let name = match *n {
                        1 => seg.name.to_string(),
                        n => format!("{}#{n}", seg.name),
                    };
                    let key = format!("linking.segment.{name}");
                    out.insert(format!("{key}.alignment"), seg.alignment.to_string());
                    out.insert(format!("{key}.flags"), format!("{:#x}", seg.flags.bits()));
                }
            }
            Linking::InitFuncs(map) => {
                for (i, f) in map.into_iter().enumerate() {
                    let f = f?;
                    out.insert(
                        format!("linking.init.{i}"),
                        format!("{} {}", f.priority, symbol(f.symbol_index)),
                    );
                }
            }
            Linking::ComdatInfo(map) => {
                for c in map {
                    let c = c?;
                    let mut members = Vec::new();
                    for m in c.symbols {
                        let m = m?;
                        let what = match m.kind {
                            ComdatSymbolKind::Data => format!("data {}", id(ids.data, m.index)),
                            ComdatSymbolKind::Func => format!("func {}", id(ids.funcs, m.index)),
                            ComdatSymbolKind::Global => {
                                format!("global {}", id(ids.globals, m.index))
                            }
                            ComdatSymbolKind::Event => format!("tag {}", id(ids.tags, m.index)),
                            ComdatSymbolKind::Table => format!("table {}", id(ids.tables, m.index)),
                            ComdatSymbolKind::Section => {
                                format!("section {}", id(ids.sections, m.index))
                            }
                        };
                        members.push(what);
                    }
                    out.insert(
                        format!("linking.comdat.{}", c.name),
                        format!("flags {:#x}: {}", c.flags, members.join(", ")),
                    );
                }
            }
            _ => {}
        }
    }
    Ok(symbols)
}

/// A symbol's identity, kind, flags and what it refers to.
fn describe_symbol(
    info: &SymbolInfo<'_>,
    ids: &Identities<'_>,
) -> (String, &'static str, u32, String) {
    let named = |name: Option<&str>, ids: &[String], index: u32| {
        let target = id(ids, index);
        (
            name.map(str::to_string).unwrap_or_else(|| target.clone()),
            target,
        )
    };
    match *info {
        SymbolInfo::Func { flags, index, name } => {
            let (n, t) = named(name, ids.funcs, index);
            (n, "func", flags.bits(), t)
        }
        SymbolInfo::Global { flags, index, name } => {
            let (n, t) = named(name, ids.globals, index);
            (n, "global", flags.bits(), t)
        }
        SymbolInfo::Table { flags, index, name } => {
            let (n, t) = named(name, ids.tables, index);
            (n, "table", flags.bits(), t)
        }
        SymbolInfo::Event { flags, index, name } => {
            let (n, t) = named(name, ids.tags, index);
            (n, "tag", flags.bits(), t)
        }
        SymbolInfo::Data {
            flags,
            name,
            symbol,
        } => {
            let target = match symbol {
                Some(d) => format!("{}+{} size {}", id(ids.data, d.index), d.offset, d.size),
                None => "undefined".into(),
            };
            (name.to_string(), "data", flags.bits(), target)
        }
        SymbolInfo::Section { flags, section } => {
            let s = id(ids.sections, section);
            (format!("section:{s}"), "section", flags.bits(), s)
        }
    }
}

/// Reads one relocation section into `out`.
fn reloc_entries(
    bytes: &[u8],
    ids: &Identities<'_>,
    symbols: &[String],
    out: &mut BTreeMap<String, String>,
) -> anyhow::Result<()> {
    let reader = RelocSectionReader::new(BinaryReader::new(bytes, 0))?;
    let section = id(ids.sections, reader.section_index());
    let mut count = 0;
    for (i, entry) in reader.entries().into_iter().enumerate() {
        let entry = entry?;
        let key = format!("reloc.{section}.{i}");
        let ty = format!("{:?}", entry.ty);
        // A type index relocation names a type, every other one a symbol.
        let target = if ty.contains("TypeIndex") {
            format!("type {}", id(ids.types, entry.index))
        } else {
            id(symbols, entry.index)
        };
        out.insert(format!("{key}.type"), ty);
        out.insert(format!("{key}.offset"), format!("{:#x}", entry.offset));
        out.insert(format!("{key}.symbol"), target);
        out.insert(format!("{key}.addend"), entry.addend.to_string());
        count += 1;
    }
    out.insert(format!("reloc.{section}.count"), count.to_string());
    Ok(())
}

/// The differences between two entry maps: (key, first's value, second's value), `-` for a
/// missing entry, in key order.
pub fn diff(
    a: &BTreeMap<String, String>,
    b: &BTreeMap<String, String>,
) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for k in keys {
        let (x, y) = (a.get(k), b.get(k));
        if x != y {
            let show = |v: Option<&String>| v.cloned().unwrap_or_else(|| "-".into());
            out.push((k.clone(), show(x), show(y)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::asm::assemble;
    use std::path::Path;

    fn object(wat: &str) -> Vec<u8> {
        assemble(wat, Path::new("t.wat")).expect("assembles")
    }

    fn keys(a: &str, b: &str) -> Vec<(String, String, String)> {
        let d = crate::model::diff(&object(a), &object(b)).expect("models");
        d.into_iter().map(|d| (d.key, d.a, d.b)).collect()
    }

    const BASE: &str = r#"(module
  (func $f (export "f") (result i32) i32.const 0 (@addr $v) i32.load)
  (data $v (@segment align=4) "\01\00\00\00"))"#;

    #[test]
    fn an_equal_object_has_no_difference() {
        assert_eq!(keys(BASE, BASE), vec![]);
    }

    #[test]
    fn a_symbol_flag_is_named_by_the_symbol() {
        let hidden = BASE.replace("(func $f", "(func $f (@sym hidden)");
        let d = keys(BASE, &hidden);
        assert!(
            d.iter().any(|(k, _, _)| k == "linking.symbol.f.flags"),
            "{d:?}"
        );
    }

    #[test]
    fn a_relocation_addend_is_named_by_section_and_entry() {
        let other = BASE.replace("(@addr $v)", "(@addr $v 4)");
        let d = keys(BASE, &other);
        assert!(
            d.iter()
                .any(|(k, a, b)| k == "reloc.CODE.0.addend" && a == "0" && b == "4"),
            "{d:?}"
        );
    }

    #[test]
    fn segment_info_is_named_by_segment() {
        let other = BASE.replace("align=4", "align=8");
        let d = keys(BASE, &other);
        assert!(
            d.iter()
                .any(|(k, _, _)| k.starts_with("linking.segment.") && k.ends_with(".alignment")),
            "{d:?}"
        );
    }
}
