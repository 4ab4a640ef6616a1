//! `touchstone`: the tool commands (asm, diff, run, conformance).

fn main() {
    eprintln!("touchstone: not built yet");
    std::process::exit(2);
}
