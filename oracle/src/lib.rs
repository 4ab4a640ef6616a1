//! The Touchstone oracle: links testsuite cases with any wasm-ld-compatible linker and with the
//! reference (wasm-ld), and compares the results at rising levels (status, valid, equivalent,
//! identical, behaviour).
//!
//! Modules: `run` (wasmtime execution), `model` (canonical model, structural diff, validation),
//! `case` (testsuite cases and their directives), `link` (linkers as commands), `check` (a
//! case's own expectations), `compare` (the levels), `conformance` (the report over many cases
//! and linkers), `programs` (the real programs of tests/real_programs.rs as cases).
pub mod case;
pub mod check;
pub mod compare;
pub mod conformance;
pub mod link;
pub mod model;
pub mod mutate;
pub mod programs;
pub mod run;
