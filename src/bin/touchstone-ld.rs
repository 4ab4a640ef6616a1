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
    match touchstone::link(&config) {
        Ok(report) => {
            if !config.no_warnings {
                for w in &report.warnings {
                    eprintln!("touchstone-ld: warning: {w}");
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            for line in e.to_string().lines() {
                if line.starts_with(">>>") {
                    eprintln!("{line}");
                } else {
                    eprintln!("touchstone-ld: error: {line}");
                }
            }
            ExitCode::FAILURE
        }
    }
}
