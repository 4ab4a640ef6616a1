//! The relocation types of tool-conventions Linking.md (`R_WASM_*`, 0..=26), what each patches
//! (which immediate or data word), its width at the relocation site and whether it carries an
//! addend; plus the LEB128 encoders (minimal and padded) the object writer uses.

/// How a relocation site is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    /// Padded 5-byte unsigned LEB128.
    Uleb5,
    /// Padded 5-byte signed LEB128.
    Sleb5,
    /// Padded 10-byte unsigned LEB128.
    Uleb10,
    /// Padded 10-byte signed LEB128.
    Sleb10,
    /// 4 bytes little-endian.
    I32,
    /// 8 bytes little-endian.
    I64,
}

impl Width {
    /// Bytes the relocation site occupies.
    pub fn size(self) -> usize {
        match self {
            Width::Uleb5 | Width::Sleb5 => 5,
            Width::Uleb10 | Width::Sleb10 => 10,
            Width::I32 => 4,
            Width::I64 => 8,
        }
    }

    /// Encodes `value` at this width (truncating to the width, like a linker does).
    pub fn encode(self, value: i64, out: &mut Vec<u8>) {
        match self {
            Width::Uleb5 => uleb_padded(value as u64 & 0xffff_ffff, 5, out),
            Width::Uleb10 => uleb_padded(value as u64, 10, out),
            Width::Sleb5 => sleb_padded(value as i32 as i64, 5, out),
            Width::Sleb10 => sleb_padded(value, 10, out),
            Width::I32 => out.extend_from_slice(&(value as u32).to_le_bytes()),
            Width::I64 => out.extend_from_slice(&(value as u64).to_le_bytes()),
        }
    }
}

/// Which kind of place in code a relocation type patches.
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
    /// Only in data segments and custom sections (a plain data word).
    Word,
}

/// A relocation type.
#[derive(Clone, Copy, Debug)]
pub struct RelocType {
    pub code: u8,
    pub name: &'static str,
    pub width: Width,
    pub has_addend: bool,
    pub site: Site,
}

macro_rules! relocs {
    ($($code:literal $name:ident $width:ident $addend:literal $site:ident;)*) => {
        /// Every relocation type, indexed by its code.
        pub const RELOC_TYPES: &[RelocType] = &[
            $(RelocType {
                code: $code,
                name: stringify!($name),
                width: Width::$width,
                has_addend: $addend,
                site: Site::$site,
            },)*
        ];
    };
}

relocs! {
    0 FUNCTION_INDEX_LEB Uleb5 false Func;
    1 TABLE_INDEX_SLEB Sleb5 false Const32;
    2 TABLE_INDEX_I32 I32 false Word;
    3 MEMORY_ADDR_LEB Uleb5 true MemOffset;
    4 MEMORY_ADDR_SLEB Sleb5 true Const32;
    5 MEMORY_ADDR_I32 I32 true Word;
    6 TYPE_INDEX_LEB Uleb5 false Type;
    7 GLOBAL_INDEX_LEB Uleb5 false Global;
    8 FUNCTION_OFFSET_I32 I32 true Word;
    9 SECTION_OFFSET_I32 I32 true Word;
    10 TAG_INDEX_LEB Uleb5 false Tag;
    11 MEMORY_ADDR_REL_SLEB Sleb5 true Const32;
    12 TABLE_INDEX_REL_SLEB Sleb5 false Const32;
    13 GLOBAL_INDEX_I32 I32 false Word;
    14 MEMORY_ADDR_LEB64 Uleb10 true MemOffset;
    15 MEMORY_ADDR_SLEB64 Sleb10 true Const64;
    16 MEMORY_ADDR_I64 I64 true Word;
    17 MEMORY_ADDR_REL_SLEB64 Sleb10 true Const64;
    18 TABLE_INDEX_SLEB64 Sleb10 false Const64;
    19 TABLE_INDEX_I64 I64 false Word;
    20 TABLE_NUMBER_LEB Uleb5 false Table;
    21 MEMORY_ADDR_TLS_SLEB Sleb5 true Const32;
    22 FUNCTION_OFFSET_I64 I64 true Word;
    23 MEMORY_ADDR_LOCREL_I32 I32 true Word;
    24 TABLE_INDEX_REL_SLEB64 Sleb10 false Const64;
    25 MEMORY_ADDR_TLS_SLEB64 Sleb10 true Const64;
    26 FUNCTION_INDEX_I32 I32 false Word;
}

pub const FUNCTION_INDEX_LEB: u8 = 0;
pub const TYPE_INDEX_LEB: u8 = 6;
pub const GLOBAL_INDEX_LEB: u8 = 7;
pub const TAG_INDEX_LEB: u8 = 10;
pub const TABLE_NUMBER_LEB: u8 = 20;

/// Looks a relocation type up by name (`R_WASM_` prefix and case optional) or number.
pub fn by_name(name: &str) -> Option<RelocType> {
    if let Ok(n) = name.parse::<u8>() {
        return Some(by_code(n));
    }
    let upper = name.to_ascii_uppercase().replace(['-', '.'], "_");
    let bare = upper.strip_prefix("R_WASM_").unwrap_or(&upper);
    RELOC_TYPES.iter().find(|r| r.name == bare).copied()
}

/// The relocation type with this code. Codes past the table (for malformed objects) are
/// written as 4-byte data words without an addend.
pub fn by_code(code: u8) -> RelocType {
    RELOC_TYPES
        .get(code as usize)
        .copied()
        .unwrap_or(RelocType {
            code,
            name: "UNKNOWN",
            width: Width::I32,
            has_addend: false,
            site: Site::Word,
        })
}

/// Minimal unsigned LEB128 (the linker's encoder, argument order of the assembler).
pub fn uleb(v: u64, out: &mut Vec<u8>) {
    crate::leb::write_u64(out, v)
}

/// Minimal signed LEB128.
pub fn sleb(v: i64, out: &mut Vec<u8>) {
    crate::leb::write_i64(out, v)
}

/// Unsigned LEB128 padded to exactly `len` bytes.
pub fn uleb_padded(v: u64, len: usize, out: &mut Vec<u8>) {
    let at = out.len();
    out.resize(at + len, 0);
    crate::leb::patch_uleb(&mut out[at..], v, len);
}

/// Signed LEB128 padded to exactly `len` bytes.
pub fn sleb_padded(v: i64, len: usize, out: &mut Vec<u8>) {
    let at = out.len();
    out.resize(at + len, 0);
    crate::leb::patch_sleb(&mut out[at..], v, len);
}

/// A length-prefixed name.
pub fn name(s: &str, out: &mut Vec<u8>) {
    uleb(s.len() as u64, out);
    out.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_indexed_by_code() {
        for (i, r) in RELOC_TYPES.iter().enumerate() {
            assert_eq!(r.code as usize, i);
        }
        assert_eq!(by_name("r_wasm_memory_addr_sleb").unwrap().code, 4);
        assert_eq!(by_name("table-number-leb").unwrap().code, 20);
    }

    #[test]
    fn padded_lebs_match_llvm() {
        let mut v = Vec::new();
        Width::Sleb5.encode(65536, &mut v);
        assert_eq!(v, [0x80, 0x80, 0x84, 0x80, 0x00]);
        v.clear();
        Width::Sleb5.encode(-1, &mut v);
        assert_eq!(v, [0xff, 0xff, 0xff, 0xff, 0x7f]);
        v.clear();
        Width::Uleb5.encode(1, &mut v);
        assert_eq!(v, [0x81, 0x80, 0x80, 0x80, 0x00]);
    }
}
