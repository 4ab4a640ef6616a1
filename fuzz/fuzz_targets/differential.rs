//! Fuzz target `differential`: a generated program linked by touchstone and rust-lld: equivalent models, same behaviour.
//! The body is `touchstone_fuzz_harness::differential` (tests/fuzz-harness/src/lib.rs), also replayed by tests/fuzz_replay.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(init: touchstone_fuzz_harness::init(), |data: &[u8]| {
    if let Err(e) = touchstone_fuzz_harness::differential(data) {
        panic!("differential: {e}");
    }
});
