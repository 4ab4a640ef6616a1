//! The Touchstone oracle: links testsuite cases with any wasm-ld-compatible linker and with the
//! reference (wasm-ld), and compares the results at rising levels (status, valid, equivalent,
//! identical, behaviour).
pub mod run;
