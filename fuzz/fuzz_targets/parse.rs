//! Fuzz target `parse`: arbitrary bytes as an object or an archive: an error or an object, never a panic.
//! The body is `touchstone_fuzz_harness::parse` (tests/fuzz-harness/src/lib.rs), also replayed by tests/fuzz_replay.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = touchstone_fuzz_harness::parse(data) {
        panic!("parse: {e}");
    }
});
