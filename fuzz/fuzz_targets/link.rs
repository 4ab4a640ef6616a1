//! Fuzz target `link`: a generated program linked by touchstone: validates, and `run` returns the prediction.
//! The body is `touchstone_fuzz_harness::link` (tests/fuzz-harness/src/lib.rs), also replayed by tests/fuzz_replay.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(init: touchstone_fuzz_harness::init(), |data: &[u8]| {
    if let Err(e) = touchstone_fuzz_harness::link(data) {
        panic!("link: {e}");
    }
});
