//! Empty on purpose: this crate is never built. Its manifest only pins the crates whose bundled C
//! sources (SQLite, Lua) the real-program tests fetch with `cargo fetch` and compile to wasm.
