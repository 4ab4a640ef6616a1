//! The Touchstone oracle: links testsuite cases with any wasm-ld-compatible linker and with the
//! reference (wasm-ld), and compares the results at rising levels (status, valid, equivalent,
//! identical, behaviour).
//!
//! Modules: `run` (wasmtime execution), `model` (canonical model, structural diff, validation),
//! `case` (testsuite cases and their directives), `link` (linkers as commands), `check` (a
//! case's own expectations), `compare` (the levels), `conformance` (the report over many cases
//! and linkers), `junit` (the reports as JUnit XML, for CI), `programs` (the one table of real
//! programs, and their links as cases), `mutate` (deliberate damage, for the oracle's
//! self-tests).
//!
//! The test tooling lives here too, apart from the linker it tests: `asm` (the `.wat` object
//! assembler) and `gen` (the random program generator). The oracle does not depend on the
//! linker crate: it runs linkers as commands, and shares only the format facts
//! (`touchstone-format`) with it.
pub mod ar;
pub mod asm;
pub mod case;
pub mod check;
pub mod compare;
pub mod conformance;
pub mod corrupt;
pub mod dylink;
pub mod fuzz;
pub mod gen;
pub mod junit;
pub mod link;
pub mod linking;
pub mod model;
pub mod mutate;
pub mod programs;
pub mod reduce;
pub mod run;
