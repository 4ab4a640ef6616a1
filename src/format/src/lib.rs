//! Facts of the WebAssembly object format (tool-conventions Linking.md) that the linker
//! (`touchstone`) and the tooling (`touchstone-oracle`: assembler, generator; the fuzz
//! harness; `ci/benchgen`, the benchmark's object writer) share, written once: the relocation
//! types ([`reloc`]), the `linking` section's subsection ids ([`linking`]), the symbol kinds
//! of its symbol table ([`SymbolKind`]) and their flags ([`flags`]), and LEB128 ([`leb`]). Facts only: what a linker does with them lives in
//! the linker.

pub mod flags;
pub mod leb;
pub mod linking;
pub mod reloc;

pub use reloc::RelocType;

/// A standard section's name as LLVM prints it (`TYPE`, ..., `CODE`, `DATA`, `DATACOUNT`,
/// `TAG`; lld's `sectionTypeToString`), `UNKNOWN` for any other id. Relocation sections are
/// named after it (`reloc.CODE`).
pub fn section_name(id: u8) -> &'static str {
    match id {
        1 => "TYPE",
        2 => "IMPORT",
        3 => "FUNCTION",
        4 => "TABLE",
        5 => "MEMORY",
        6 => "GLOBAL",
        7 => "EXPORT",
        8 => "START",
        9 => "ELEM",
        10 => "CODE",
        11 => "DATA",
        12 => "DATACOUNT",
        13 => "TAG",
        _ => "UNKNOWN",
    }
}

/// The kinds of symbol in the linking section's symbol table (`WASM_SYMBOL_TYPE_*`), in the
/// order of their codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    Function = 0,
    Data = 1,
    Global = 2,
    Section = 3,
    Tag = 4,
    Table = 5,
}

impl SymbolKind {
    /// The kind with this `WASM_SYMBOL_TYPE_*` code.
    pub fn from_code(code: u8) -> Option<SymbolKind> {
        Some(match code {
            0 => SymbolKind::Function,
            1 => SymbolKind::Data,
            2 => SymbolKind::Global,
            3 => SymbolKind::Section,
            4 => SymbolKind::Tag,
            5 => SymbolKind::Table,
            _ => return None,
        })
    }

    /// The word wasm-ld uses for this kind in its messages ("function", "data", ...).
    pub fn describe(self) -> &'static str {
        match self {
            SymbolKind::Function => "function",
            SymbolKind::Data => "data",
            SymbolKind::Global => "global",
            SymbolKind::Section => "section",
            SymbolKind::Tag => "tag",
            SymbolKind::Table => "table",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SymbolKind;

    #[test]
    fn symbol_kind_codes_round_trip() {
        for code in 0..=5u8 {
            assert_eq!(SymbolKind::from_code(code).unwrap() as u8, code);
        }
        assert_eq!(SymbolKind::from_code(6), None);
    }
}
