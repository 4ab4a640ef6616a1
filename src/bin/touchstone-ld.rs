//! `touchstone-ld`: the wasm-ld-compatible command line of the Touchstone linker.
//!
//! Usage is wasm-ld's: `touchstone-ld [options] inputs... -o out.wasm`. Errors print as
//! `touchstone-ld: error: ...` and exit with status 1, leaving no output file. What
//! `--trace`, `--trace-symbol`, `--why-extract=-` and `--print-gc-sections` ask for goes to
//! stdout as the link runs, as wasm-ld prints it.

use std::process::ExitCode;
use touchstone::args::Version;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match touchstone::args::parse(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("touchstone-ld: error: {e}");
            return ExitCode::FAILURE;
        }
    };
    // --version prints and stops; -v prints and links (as wasm-ld).
    if config.version != Version::No {
        println!(
            "Touchstone {} (compatible with LLD 22)",
            env!("CARGO_PKG_VERSION")
        );
        if config.version == Version::PrintAndStop || config.inputs.is_empty() {
            return ExitCode::SUCCESS;
        }
    }
    let mut out = Diagnostics { separate: false };
    match touchstone::link(&config) {
        Ok(report) => {
            for w in &report.warnings {
                out.print("warning", w);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            out.print("error", &e.to_string());
            ExitCode::FAILURE
        }
    }
}

/// Prints diagnostics as wasm-ld does: `touchstone-ld: KIND: ` before each one (a message
/// may hold several, one a line, each followed by its `>>>` detail lines), and a blank line
/// before a diagnostic that follows a multi-line one.
struct Diagnostics {
    separate: bool,
}

impl Diagnostics {
    fn print(&mut self, kind: &str, message: &str) {
        let mut current: Vec<&str> = Vec::new();
        for line in message.lines() {
            if !line.starts_with(">>>") && !current.is_empty() {
                self.one(kind, &current);
                current.clear();
            }
            current.push(line);
        }
        if !current.is_empty() {
            self.one(kind, &current);
        }
    }

    fn one(&mut self, kind: &str, lines: &[&str]) {
        if self.separate {
            eprintln!();
        }
        eprintln!("touchstone-ld: {kind}: {}", lines[0]);
        for line in &lines[1..] {
            eprintln!("{line}");
        }
        self.separate = lines.len() > 1;
    }
}
