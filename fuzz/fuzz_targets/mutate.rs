//! Fuzz target `mutate`: a generated program with one object (or the shared library it is first linked into) corrupted: a located error and no output, or a link.
//! The body is `touchstone_fuzz_harness::mutate` (tests/fuzz-harness/src/lib.rs), also replayed by tests/fuzz_replay.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(init: touchstone_fuzz_harness::init(), |data: &[u8]| {
    if let Err(e) = touchstone_fuzz_harness::mutate(data) {
        panic!("mutate: {e}");
    }
});
