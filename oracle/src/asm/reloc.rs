//! The assembler's view of the relocation types, read from the one table in
//! `touchstone_format::reloc`: the assembler names a type by its code (a `u8`), because a test
//! may write a code past the table to make a malformed object; such a code is written as a
//! 4-byte data word without an addend. Plus the length-prefixed name the object writer uses.

use touchstone_format::leb;
pub use touchstone_format::reloc::{Encoding, RelocType, Site, Value};

pub const FUNCTION_INDEX_LEB: u8 = RelocType::FUNCTION_INDEX_LEB as u8;
pub const TYPE_INDEX_LEB: u8 = RelocType::TYPE_INDEX_LEB as u8;
pub const GLOBAL_INDEX_LEB: u8 = RelocType::GLOBAL_INDEX_LEB as u8;
pub const TAG_INDEX_LEB: u8 = RelocType::TAG_INDEX_LEB as u8;
pub const TABLE_NUMBER_LEB: u8 = RelocType::TABLE_NUMBER_LEB as u8;

/// Looks a relocation type up by name (`R_WASM_` prefix and case optional) or number.
pub fn by_name(name: &str) -> Option<u8> {
    if let Ok(n) = name.parse::<u8>() {
        return Some(n);
    }
    RelocType::by_name(name).map(|t| t as u8)
}

/// How the site of the type with this code is encoded.
pub fn encoding(code: u8) -> Encoding {
    RelocType::from_u8(code).map_or(Encoding::I32, RelocType::encoding)
}

/// Bytes the site of the type with this code occupies.
pub fn width(code: u8) -> usize {
    encoding(code).size()
}

/// Which kind of place the type with this code patches.
pub fn site(code: u8) -> Site {
    RelocType::from_u8(code).map_or(Site::Word, RelocType::site)
}

/// Whether entries of the type with this code carry an addend.
pub fn has_addend(code: u8) -> bool {
    RelocType::from_u8(code).is_some_and(RelocType::has_addend)
}

/// Whether the type with this code stands for a memory address (absolute or relative).
pub fn is_memory_addr(code: u8) -> bool {
    RelocType::from_u8(code).is_some_and(|t| {
        matches!(
            t.value(),
            Value::MemoryAddr
                | Value::MemoryAddrRel
                | Value::MemoryAddrLocRel
                | Value::MemoryAddrTls
        )
    })
}

/// Whether the type with this code needs the indirect function table: a table slot, or a
/// table number.
pub fn uses_table(code: u8) -> bool {
    RelocType::from_u8(code).is_some_and(|t| t.is_table_index() || t == RelocType::TABLE_NUMBER_LEB)
}

/// The type's `R_WASM_` name, or its number for a code past the table.
pub fn name(code: u8) -> String {
    RelocType::from_u8(code).map_or_else(|| format!("relocation type {code}"), |t| t.name().into())
}

/// Encodes `value` at the site width of the type with this code (truncating to the width, as
/// a linker does).
pub fn encode(code: u8, value: i64, out: &mut Vec<u8>) {
    encoding(code).write(out, value as u64)
}

/// A length-prefixed name.
pub fn write_name(s: &str, out: &mut Vec<u8>) {
    leb::write_u64(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers() {
        assert_eq!(by_name("r_wasm_memory_addr_sleb"), Some(4));
        assert_eq!(by_name("table-number-leb"), Some(20));
        assert_eq!(by_name("99"), Some(99));
        assert_eq!(width(99), 4);
        assert!(!has_addend(99));
        assert_eq!(name(99), "relocation type 99");
    }

    #[test]
    fn table_users_are_the_slots_and_the_table_number() {
        let users: Vec<u8> = (0..=26).filter(|&c| uses_table(c)).collect();
        assert_eq!(users, [1, 2, 12, 18, 19, 20, 24]);
    }

    #[test]
    fn padded_lebs_match_llvm() {
        let mut v = Vec::new();
        encode(4, 65536, &mut v);
        assert_eq!(v, [0x80, 0x80, 0x84, 0x80, 0x00]);
        v.clear();
        encode(4, -1, &mut v);
        assert_eq!(v, [0xff, 0xff, 0xff, 0xff, 0x7f]);
        v.clear();
        encode(0, 1, &mut v);
        assert_eq!(v, [0x81, 0x80, 0x80, 0x80, 0x00]);
    }
}
