//! The flags of symbols (`WASM_SYMBOL_*`, in the linking section's symbol table) and of data
//! segments (`WASM_SEGMENT_*`, in its segment info), as Linking.md defines them.

// Symbol flags.
pub const WASM_SYM_BINDING_WEAK: u32 = 0x1;
pub const WASM_SYM_BINDING_LOCAL: u32 = 0x2;
pub const WASM_SYM_VISIBILITY_HIDDEN: u32 = 0x4;
pub const WASM_SYM_UNDEFINED: u32 = 0x10;
pub const WASM_SYM_EXPORTED: u32 = 0x20;
pub const WASM_SYM_EXPLICIT_NAME: u32 = 0x40;
pub const WASM_SYM_NO_STRIP: u32 = 0x80;
pub const WASM_SYM_TLS: u32 = 0x100;
pub const WASM_SYM_ABSOLUTE: u32 = 0x200;

// Segment flags.
pub const WASM_SEG_FLAG_STRINGS: u32 = 0x1;
pub const WASM_SEG_FLAG_TLS: u32 = 0x2;
pub const WASM_SEG_FLAG_RETAIN: u32 = 0x4;
