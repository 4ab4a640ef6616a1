//! The relocation types of tool-conventions Linking.md (`R_WASM_*`, codes 0..=26 in LLVM 22),
//! in one table: for each type its code, its name, how its site is encoded (and so its width),
//! whether its entry carries an addend (and how wide), which kind of place it patches, which
//! kind of symbol it must reference and what value it stands for. The linker's parser and
//! patcher, the assembler, the generator and the fuzz harness all read this table.

use crate::leb;
use crate::SymbolKind;

/// How a relocation site is encoded; its width is fixed, so a linker patches it in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Padded 5-byte unsigned LEB128 of a 32-bit value.
    Uleb5,
    /// Padded 5-byte signed LEB128 of a 32-bit value.
    Sleb5,
    /// Padded 10-byte unsigned LEB128 of a 64-bit value.
    Uleb10,
    /// Padded 10-byte signed LEB128 of a 64-bit value.
    Sleb10,
    /// 4 bytes little-endian.
    I32,
    /// 8 bytes little-endian.
    I64,
}

impl Encoding {
    /// Bytes the relocation site occupies.
    pub fn size(self) -> usize {
        match self {
            Encoding::Uleb5 | Encoding::Sleb5 => 5,
            Encoding::Uleb10 | Encoding::Sleb10 => 10,
            Encoding::I32 => 4,
            Encoding::I64 => 8,
        }
    }

    /// Whether the site is a LEB128 (which `--compress-relocations` may shorten).
    pub fn is_leb(self) -> bool {
        !matches!(self, Encoding::I32 | Encoding::I64)
    }

    /// Stores `v` at `buf[at..at + self.size()]`, truncated to the encoding's 32 or 64 bits
    /// (the signed 32-bit forms take the low 32 bits as an `i32`), as a linker does.
    pub fn patch(self, buf: &mut [u8], at: usize, v: u64) {
        let dst = &mut buf[at..at + self.size()];
        match self {
            Encoding::Uleb5 => leb::patch_uleb(dst, v as u32 as u64, 5),
            Encoding::Uleb10 => leb::patch_uleb(dst, v, 10),
            Encoding::Sleb5 => leb::patch_sleb(dst, v as i32 as i64, 5),
            Encoding::Sleb10 => leb::patch_sleb(dst, v as i64, 10),
            Encoding::I32 => dst.copy_from_slice(&(v as u32).to_le_bytes()),
            Encoding::I64 => dst.copy_from_slice(&v.to_le_bytes()),
        }
    }

    /// Appends `v` in this encoding (padded, as an object file holds it).
    pub fn write(self, out: &mut Vec<u8>, v: u64) {
        let at = out.len();
        out.resize(at + self.size(), 0);
        self.patch(out, at, v);
    }

    /// Appends `v` in the shortest form of this encoding: a minimal LEB128 for the LEB forms,
    /// the fixed word otherwise (what `--compress-relocations` writes).
    pub fn write_minimal(self, out: &mut Vec<u8>, v: u64) {
        match self {
            Encoding::Uleb5 => leb::write_u64(out, v as u32 as u64),
            Encoding::Uleb10 => leb::write_u64(out, v),
            Encoding::Sleb5 => leb::write_i64(out, v as i32 as i64),
            Encoding::Sleb10 => leb::write_i64(out, v as i64),
            Encoding::I32 | Encoding::I64 => self.write(out, v),
        }
    }
}

/// The addend field of a relocation entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addend {
    /// The entry has no addend.
    None,
    /// A signed LEB128 of a 32-bit value.
    I32,
    /// A signed LEB128 of a 64-bit value.
    I64,
}

/// Which kind of place a relocation type patches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Site {
    /// The function index of `call`, `return_call`, `ref.func`.
    Func,
    /// A type index: `call_indirect`, block types.
    Type,
    /// The global index of `global.get` / `global.set`.
    Global,
    /// A table number: `call_indirect`, `table.*`.
    Table,
    /// A tag index: `throw`, `catch`, `try_table` catch clauses.
    Tag,
    /// The offset of a load/store memarg.
    MemOffset,
    /// The immediate of `i32.const`.
    Const32,
    /// The immediate of `i64.const`.
    Const64,
    /// A plain word, in data segments and custom sections.
    Word,
}

/// What value the site stands for (what the linker computes for it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// The function's output index.
    FunctionIndex,
    /// The function's slot in the indirect function table.
    TableIndex,
    /// The slot relative to `__table_base` (PIC).
    TableIndexRel,
    /// The data symbol's address plus the addend.
    MemoryAddr,
    /// The address relative to `__memory_base` (PIC).
    MemoryAddrRel,
    /// The address relative to the relocation site itself.
    MemoryAddrLocRel,
    /// The address relative to `__tls_base`.
    MemoryAddrTls,
    /// The output type index (the entry's index is a type index, not a symbol).
    TypeIndex,
    /// The global's output index.
    GlobalIndex,
    /// The offset of the function's body in the code section, plus the addend.
    FunctionOffset,
    /// The offset in the output section of the section symbol's section, plus the addend.
    SectionOffset,
    /// The tag's output index.
    TagIndex,
    /// The table's output number.
    TableNumber,
}

/// One row of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RelocInfo {
    pub code: u8,
    /// The spec's name, `R_WASM_...`.
    pub name: &'static str,
    pub encoding: Encoding,
    pub addend: Addend,
    pub site: Site,
    /// The kind of symbol the entry's index must name (None: TYPE_INDEX_LEB, whose index is
    /// a type index). GLOBAL_INDEX types may also name a function or data symbol, meaning its
    /// GOT entry.
    pub symbol: Option<SymbolKind>,
    pub value: Value,
}

macro_rules! relocs {
    ($($code:literal $name:ident $enc:ident $addend:ident $site:ident $sym:ident $value:ident;)*) => {
        /// A relocation type (`R_WASM_*` without the prefix); the discriminant is its code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(non_camel_case_types)]
        #[repr(u8)]
        pub enum RelocType {
            $($name = $code,)*
        }

        /// Every relocation type, indexed by its code.
        pub const RELOC_TYPES: &[RelocInfo] = &[
            $(RelocInfo {
                code: $code,
                name: concat!("R_WASM_", stringify!($name)),
                encoding: Encoding::$enc,
                addend: Addend::$addend,
                site: Site::$site,
                symbol: relocs!(@sym $sym),
                value: Value::$value,
            },)*
        ];

        /// Every relocation type, in code order.
        pub const ALL: &[RelocType] = &[$(RelocType::$name,)*];
    };
    (@sym None) => { None };
    (@sym $k:ident) => { Some(SymbolKind::$k) };
}

relocs! {
    0 FUNCTION_INDEX_LEB Uleb5 None Func Function FunctionIndex;
    1 TABLE_INDEX_SLEB Sleb5 None Const32 Function TableIndex;
    2 TABLE_INDEX_I32 I32 None Word Function TableIndex;
    3 MEMORY_ADDR_LEB Uleb5 I32 MemOffset Data MemoryAddr;
    4 MEMORY_ADDR_SLEB Sleb5 I32 Const32 Data MemoryAddr;
    5 MEMORY_ADDR_I32 I32 I32 Word Data MemoryAddr;
    6 TYPE_INDEX_LEB Uleb5 None Type None TypeIndex;
    7 GLOBAL_INDEX_LEB Uleb5 None Global Global GlobalIndex;
    8 FUNCTION_OFFSET_I32 I32 I32 Word Function FunctionOffset;
    9 SECTION_OFFSET_I32 I32 I32 Word Section SectionOffset;
    10 TAG_INDEX_LEB Uleb5 None Tag Tag TagIndex;
    11 MEMORY_ADDR_REL_SLEB Sleb5 I32 Const32 Data MemoryAddrRel;
    12 TABLE_INDEX_REL_SLEB Sleb5 None Const32 Function TableIndexRel;
    13 GLOBAL_INDEX_I32 I32 None Word Global GlobalIndex;
    14 MEMORY_ADDR_LEB64 Uleb10 I64 MemOffset Data MemoryAddr;
    15 MEMORY_ADDR_SLEB64 Sleb10 I64 Const64 Data MemoryAddr;
    16 MEMORY_ADDR_I64 I64 I64 Word Data MemoryAddr;
    17 MEMORY_ADDR_REL_SLEB64 Sleb10 I64 Const64 Data MemoryAddrRel;
    18 TABLE_INDEX_SLEB64 Sleb10 None Const64 Function TableIndex;
    19 TABLE_INDEX_I64 I64 None Word Function TableIndex;
    20 TABLE_NUMBER_LEB Uleb5 None Table Table TableNumber;
    21 MEMORY_ADDR_TLS_SLEB Sleb5 I32 Const32 Data MemoryAddrTls;
    22 FUNCTION_OFFSET_I64 I64 I64 Word Function FunctionOffset;
    23 MEMORY_ADDR_LOCREL_I32 I32 I32 Word Data MemoryAddrLocRel;
    24 TABLE_INDEX_REL_SLEB64 Sleb10 None Const64 Function TableIndexRel;
    25 MEMORY_ADDR_TLS_SLEB64 Sleb10 I64 Const64 Data MemoryAddrTls;
    26 FUNCTION_INDEX_I32 I32 None Word Function FunctionIndex;
}

impl RelocType {
    /// The type with this code, or None for a code past the table.
    pub fn from_u8(code: u8) -> Option<RelocType> {
        ALL.get(code as usize).copied()
    }

    /// Looks a type up by name (`R_WASM_` prefix and case optional, `-` or `.` for `_`).
    pub fn by_name(name: &str) -> Option<RelocType> {
        let upper = name.to_ascii_uppercase().replace(['-', '.'], "_");
        let bare = upper.strip_prefix("R_WASM_").unwrap_or(&upper);
        ALL.iter()
            .copied()
            .find(|t| &t.name()["R_WASM_".len()..] == bare)
    }

    /// This type's row of the table.
    pub fn info(self) -> &'static RelocInfo {
        &RELOC_TYPES[self as usize]
    }

    /// The spec's name, `R_WASM_...`.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn encoding(self) -> Encoding {
        self.info().encoding
    }

    /// Number of bytes the relocation patches.
    pub fn width(self) -> usize {
        self.encoding().size()
    }

    /// Whether the entry carries an addend (the memory address and offset kinds).
    pub fn has_addend(self) -> bool {
        self.info().addend != Addend::None
    }

    /// The kind of symbol the relocation must reference (None: type index, no symbol).
    pub fn symbol_kind(self) -> Option<SymbolKind> {
        self.info().symbol
    }

    pub fn site(self) -> Site {
        self.info().site
    }

    pub fn value(self) -> Value {
        self.info().value
    }

    /// Whether the value is a slot of the indirect function table.
    pub fn is_table_index(self) -> bool {
        matches!(self.value(), Value::TableIndex | Value::TableIndexRel)
    }

    /// Stores `v` at `buf[at..]` in this type's encoding.
    pub fn patch(self, buf: &mut [u8], at: usize, v: u64) {
        self.encoding().patch(buf, at, v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_indexed_by_code() {
        assert_eq!(RELOC_TYPES.len(), 27);
        for (i, r) in RELOC_TYPES.iter().enumerate() {
            assert_eq!(r.code as usize, i);
            assert_eq!(ALL[i] as usize, i);
            assert_eq!(RelocType::from_u8(i as u8).unwrap().info(), r);
        }
        assert_eq!(RelocType::from_u8(27), None);
    }

    #[test]
    fn names_are_found_in_any_spelling() {
        assert_eq!(
            RelocType::by_name("r_wasm_memory_addr_sleb"),
            Some(RelocType::MEMORY_ADDR_SLEB)
        );
        assert_eq!(
            RelocType::by_name("table-number-leb"),
            Some(RelocType::TABLE_NUMBER_LEB)
        );
        assert_eq!(RelocType::by_name("memory_addr"), None);
        assert_eq!(
            RelocType::FUNCTION_INDEX_I32.name(),
            "R_WASM_FUNCTION_INDEX_I32"
        );
    }

    #[test]
    fn the_name_says_the_encoding_and_the_addend() {
        // Linking.md's naming: _LEB unsigned, _SLEB signed, _I32/_I64 words, a 64 suffix for
        // the wide forms; memory addresses and offsets carry an addend, 64-bit ones a 64-bit one.
        for &t in ALL {
            let n = t.name();
            let want = if n.ends_with("_SLEB") {
                Encoding::Sleb5
            } else if n.ends_with("_SLEB64") {
                Encoding::Sleb10
            } else if n.ends_with("_LEB") {
                Encoding::Uleb5
            } else if n.ends_with("_LEB64") {
                Encoding::Uleb10
            } else if n.ends_with("_I32") {
                Encoding::I32
            } else {
                Encoding::I64
            };
            assert_eq!(t.encoding(), want, "{n}");
            let addend = n.contains("MEMORY_ADDR") || n.contains("OFFSET");
            assert_eq!(t.has_addend(), addend, "{n}");
            if addend {
                let wide = n.ends_with("64");
                assert_eq!(t.info().addend == Addend::I64, wide, "{n}");
            }
        }
    }

    #[test]
    fn sites_keep_their_width() {
        for &t in ALL {
            let mut b = vec![0xee; 12];
            t.patch(&mut b, 1, u64::MAX - 5);
            assert_eq!(b[0], 0xee);
            assert!(
                b[1 + t.width()..].iter().all(|&x| x == 0xee),
                "{}",
                t.name()
            );
            let mut w = Vec::new();
            t.encoding().write(&mut w, 7);
            assert_eq!(w.len(), t.width());
            let mut m = Vec::new();
            t.encoding().write_minimal(&mut m, 7);
            assert_eq!(m.len(), if t.encoding().is_leb() { 1 } else { t.width() });
        }
    }
}
