//! Touchstone: a reference linker for WebAssembly relocatable objects.
//!
//! The pipeline is one stage per module, each a function from the previous stage's output to
//! its own (see DESIGN.md): `args` -> `input` -> `object` -> `resolve` -> `gc` -> `layout` ->
//! `relocate` -> `write`. `asm` is the `.wat` object assembler used by tests and fuzzers.

pub mod error;

pub mod asm;

pub use error::{Context, Error, Result};
