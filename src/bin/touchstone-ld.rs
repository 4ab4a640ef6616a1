//! `touchstone-ld`: the wasm-ld-compatible command line of the Touchstone linker.

fn main() {
    eprintln!("touchstone-ld: error: not built yet");
    std::process::exit(1);
}
