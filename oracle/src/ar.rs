//! Archives as `llvm-ar-19 rcs` (or `rcS`, no index) writes them, built in process: the
//! testsuite's `;;! archive:` inputs and the generator's libraries. Running llvm-ar costs more
//! than a small link (it loads all of LLVM), and a fuzz campaign builds archives for most cases.
//!
//! The format is GNU `ar` as llvm-ar writes it on Linux in its default deterministic mode:
//! - `!<arch>\n`, then the symbol index `/` when asked for and some member defines a symbol
//!   (a big-endian count, each symbol's member-header offset, the NUL-terminated names, padded
//!   with NUL to an even size; no index at all when there is no symbol);
//! - the long-name table `//` when a member's name is longer than 15 bytes (`NAME/\n` each,
//!   the member header then says `/OFFSET`), padded with `\n` to an even size;
//! - each member: a 60-byte header (name, mtime 0, uid 0, gid 0, mode 644, size; see
//!   [`header`] for the two tables'), its bytes,
//!   `\n` after an odd size.
//!
//! Which symbols the index holds is LLVM's rule (`isArchiveSymbol` in llvm-ar's
//! `ArchiveWriter.cpp`, over `WasmObjectFile::getSymbolFlags`): every symbol of the `linking`
//! symbol table that is defined and not local, in symbol-table order. [`index_symbols`] answers
//! only where that rule is certain (a relocatable object wasmparser reads whole, no global
//! section symbol); otherwise it says so, and the caller runs llvm-ar-19 itself.

use anyhow::{anyhow, bail, Result};

/// One member: its name in the archive, its bytes, and the symbols its index entries name.
pub struct Member {
    pub name: String,
    pub bytes: Vec<u8>,
    pub symbols: Vec<String>,
}

/// The symbols llvm-ar-19 lists in the index for a member with these bytes: none for a file
/// that is not WebAssembly (llvm-ar keeps such members without symbols); an error where
/// LLVM's object reader would decide something this function does not model (a module without
/// a `linking` section, a global section symbol, anything wasmparser cannot read).
pub fn index_symbols(bytes: &[u8]) -> Result<Vec<String>> {
    use wasmparser::{KnownCustom, Linking, Parser, Payload, SymbolFlags, SymbolInfo};
    if !bytes.starts_with(b"\0asm") {
        return Ok(Vec::new());
    }
    let mut names = Vec::new();
    let mut linking = false;
    for payload in Parser::new(0).parse_all(bytes) {
        let Payload::CustomSection(c) = payload? else {
            continue;
        };
        let KnownCustom::Linking(reader) = c.as_known() else {
            continue;
        };
        linking = true;
        for sub in reader {
            let Linking::SymbolTable(symbols) = sub? else {
                continue;
            };
            for sym in symbols {
                let (flags, name) = match sym? {
                    SymbolInfo::Func { flags, name, .. }
                    | SymbolInfo::Global { flags, name, .. }
                    | SymbolInfo::Event { flags, name, .. }
                    | SymbolInfo::Table { flags, name, .. } => (flags, name),
                    SymbolInfo::Data { flags, name, .. } => (flags, Some(name)),
                    SymbolInfo::Section { flags, .. } => {
                        if flags.contains(SymbolFlags::BINDING_LOCAL) {
                            continue;
                        }
                        bail!("a global section symbol");
                    }
                };
                if flags.intersects(SymbolFlags::UNDEFINED | SymbolFlags::BINDING_LOCAL) {
                    continue;
                }
                names.push(
                    name.ok_or_else(|| anyhow!("a defined symbol without a name"))?
                        .to_string(),
                );
            }
        }
    }
    if !linking {
        bail!("no linking section");
    }
    Ok(names)
}

/// The archive of `members`, in order, with a symbol index when `index` (and some member
/// defines a symbol).
pub fn write(members: &[Member], index: bool) -> Vec<u8> {
    let long_names = long_name_table(members);
    let symbols: usize = if index {
        members.iter().map(|m| m.symbols.len()).sum()
    } else {
        0
    };
    let mut out = b"!<arch>\n".to_vec();
    let index_bytes = if symbols > 0 {
        let names_len: usize = members
            .iter()
            .flat_map(|m| &m.symbols)
            .map(|s| s.len() + 1)
            .sum();
        let size = (4 + 4 * symbols + names_len).next_multiple_of(2);
        Some(size)
    } else {
        None
    };
    // Where the first member header starts: after the index and the long-name table.
    let mut at = out.len()
        + index_bytes.map_or(0, |s| 60 + s)
        + long_names.as_ref().map_or(0, |(t, _)| 60 + t.len());
    let mut offsets = Vec::with_capacity(members.len());
    for m in members {
        offsets.push(at);
        at += 60 + m.bytes.len().next_multiple_of(2);
    }
    if let Some(size) = index_bytes {
        let mut table = Vec::with_capacity(size);
        table.extend_from_slice(&(symbols as u32).to_be_bytes());
        for (m, off) in members.iter().zip(&offsets) {
            for _ in &m.symbols {
                table.extend_from_slice(&(*off as u32).to_be_bytes());
            }
        }
        for s in members.iter().flat_map(|m| &m.symbols) {
            table.extend_from_slice(s.as_bytes());
            table.push(0);
        }
        table.resize(size, 0);
        header(&mut out, "/", ["0", "0", "0", "0"], table.len());
        out.extend_from_slice(&table);
    }
    if let Some((table, _)) = &long_names {
        header(&mut out, "//", ["", "", "", ""], table.len());
        out.extend_from_slice(table);
    }
    for (i, m) in members.iter().enumerate() {
        let name = match long_names.as_ref().and_then(|(_, at)| at[i]) {
            Some(offset) => format!("/{offset}"),
            None => format!("{}/", m.name),
        };
        header(&mut out, &name, ["0", "0", "0", "644"], m.bytes.len());
        out.extend_from_slice(&m.bytes);
        if m.bytes.len() % 2 == 1 {
            out.push(b'\n');
        }
    }
    out
}

/// The `//` table's bytes and each member's offset in it (for names of 16 bytes or more:
/// `NAME/` must fit the 16-byte field).
fn long_name_table(members: &[Member]) -> Option<(Vec<u8>, Vec<Option<usize>>)> {
    let mut table = Vec::new();
    let offsets: Vec<Option<usize>> = members
        .iter()
        .map(|m| {
            (m.name.len() > 15).then(|| {
                let at = table.len();
                table.extend_from_slice(m.name.as_bytes());
                table.extend_from_slice(b"/\n");
                at
            })
        })
        .collect();
    if table.is_empty() {
        return None;
    }
    if table.len() % 2 == 1 {
        table.push(b'\n');
    }
    Some((table, offsets))
}

/// A member header: name, then mtime, uid, gid and mode (llvm-ar writes `0 0 0 644` for a
/// member, `0 0 0 0` for the index, and leaves them blank for the long-name table), then size.
fn header(out: &mut Vec<u8>, name: &str, [mtime, uid, gid, mode]: [&str; 4], size: usize) {
    let field = |out: &mut Vec<u8>, s: &str, width: usize| {
        out.extend_from_slice(s.as_bytes());
        out.extend(std::iter::repeat_n(b' ', width.saturating_sub(s.len())));
    };
    field(out, name, 16);
    field(out, mtime, 12);
    field(out, uid, 6);
    field(out, gid, 6);
    field(out, mode, 8);
    field(out, &size.to_string(), 10);
    out.extend_from_slice(b"`\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str, bytes: &[u8], symbols: &[&str]) -> Member {
        Member {
            name: name.into(),
            bytes: bytes.to_vec(),
            symbols: symbols.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn members_and_index_read_back() {
        let a = write(
            &[
                member("a.o", b"\0asmabc", &["f", "g"]),
                member("a-name-of-twenty.o", b"\0asm", &[]),
                member("b.o", b"\0asm", &["h"]),
            ],
            true,
        );
        // Read back with an independent reader (the `object` crate).
        let archive = object::read::archive::ArchiveFile::parse(&a[..]).unwrap();
        let got: Vec<(Vec<u8>, Vec<u8>)> = archive
            .members()
            .map(|m| {
                let m = m.unwrap();
                (m.name().to_vec(), m.data(&a[..]).unwrap().to_vec())
            })
            .collect();
        assert_eq!(
            got,
            [
                (b"a.o".to_vec(), b"\0asmabc".to_vec()),
                (b"a-name-of-twenty.o".to_vec(), b"\0asm".to_vec()),
                (b"b.o".to_vec(), b"\0asm".to_vec())
            ]
        );
        let index: Vec<(Vec<u8>, u64)> = archive
            .symbols()
            .unwrap()
            .unwrap()
            .map(|s| {
                let s = s.unwrap();
                (s.name().to_vec(), s.offset().0)
            })
            .collect();
        let offsets: Vec<u64> = archive
            .members()
            .map(|m| m.unwrap().file_range().0 - 60)
            .collect();
        assert_eq!(
            index,
            [
                (b"f".to_vec(), offsets[0]),
                (b"g".to_vec(), offsets[0]),
                (b"h".to_vec(), offsets[2])
            ]
        );
    }

    #[test]
    fn no_symbols_no_index() {
        let a = write(&[member("x.o", b"x", &["f"])], false);
        assert_eq!(&a[8..10], b"x.");
        let a = write(&[member("x.o", b"x", &[])], true);
        assert_eq!(&a[8..10], b"x.");
    }
}
