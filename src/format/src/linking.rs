//! The `linking` custom section's framing (Linking.md): the metadata version this format
//! describes and the ids of the subsections that follow it.

/// The `linking` section's version (LLVM writes and reads 2).
pub const VERSION: u32 = 2;

/// Data segment names, alignments and flags.
pub const WASM_SEGMENT_INFO: u8 = 5;
/// Init functions and their priorities.
pub const WASM_INIT_FUNCS: u8 = 6;
/// COMDAT groups.
pub const WASM_COMDAT_INFO: u8 = 7;
/// The symbol table.
pub const WASM_SYMBOL_TABLE: u8 = 8;
