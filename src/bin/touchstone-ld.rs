//! `touchstone-ld`: the wasm-ld-compatible command line of the Touchstone linker.
//!
//! Usage is wasm-ld's: `touchstone-ld [options] inputs... -o out.wasm`. Diagnostics print as
//! lld's ErrorHandler prints them, prefixed with the name the program was called by
//! (`touchstone-ld: error: ...`, or `wasm-ld: error: ...` through a link named `wasm-ld`);
//! an error exits with status 1, leaving no output file. What `--trace`, `--trace-symbol`,
//! `--why-extract=-` and `--print-gc-sections` ask for goes to stdout as the link runs, as
//! wasm-ld prints it.

use std::process::ExitCode;
use touchstone::args::Version;

fn main() -> ExitCode {
    let mut argv = std::env::args_os();
    let argv0 = argv.next();
    let called_as = argv0
        .as_ref()
        .map(|a| a.to_string_lossy().into_owned())
        .unwrap_or_else(|| "touchstone-ld".into());
    let program = program_name(argv0);
    let args: Vec<String> = argv.map(|a| a.to_string_lossy().into_owned()).collect();
    let line = touchstone::args::parse_with_warnings(&args);
    let mut out = Diagnostics {
        program,
        separate: false,
        errors: 0,
        error_limit: line.error_limit,
    };
    // Warnings about the command line come first, as wasm-ld gives them while it reads it;
    // with --fatal-warnings they are errors, and the link does not start.
    let kind = if line.fatal_warnings {
        "error"
    } else {
        "warning"
    };
    for w in &line.warnings {
        out.print(kind, w);
    }
    let config = match line.config {
        Ok(c) => c,
        Err(e) => {
            out.print("error", &e.to_string());
            return ExitCode::FAILURE;
        }
    };
    let failed = line.fatal_warnings && !line.warnings.is_empty();
    // --help prints the options and stops, before anything else (lld's linkerMain).
    if config.help {
        print!("{}", touchstone::help_text(&called_as));
        return ExitCode::SUCCESS;
    }
    // --version prints and stops; -v prints and links (as wasm-ld).
    if config.version != Version::No {
        println!("{}", touchstone::VERSION);
        if config.version == Version::PrintAndStop || config.inputs.is_empty() {
            return if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            };
        }
    }
    if failed {
        return ExitCode::FAILURE;
    }
    match touchstone::link(&config) {
        Ok(report) => {
            for w in &report.warnings {
                out.print("warning", w);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            // The warnings given before the error come first (errors with --fatal-warnings).
            let kind = if config.fatal_warnings {
                "error"
            } else {
                "warning"
            };
            for w in e.warnings() {
                out.print(kind, w);
            }
            out.print("error", &e.to_string());
            for d in e.trailing() {
                match d {
                    touchstone::Diagnostic::Warning(w) => out.print(kind, w),
                    touchstone::Diagnostic::Error(m) => out.print("error", m),
                }
            }
            ExitCode::FAILURE
        }
    }
}

/// The name diagnostics are prefixed with: the file name of argv[0] without a `.exe`
/// extension (any case), as lld's `getFilenameWithoutExe` sets the ErrorHandler's `logName`.
fn program_name(argv0: Option<std::ffi::OsString>) -> String {
    let path = std::path::PathBuf::from(argv0.unwrap_or_default());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem_len = name.len().saturating_sub(4);
    match name.get(stem_len..) {
        Some(ext) if ext.eq_ignore_ascii_case(".exe") => name[..stem_len].to_string(),
        _ if name.is_empty() => "touchstone-ld".to_string(),
        _ => name,
    }
}

/// Prints diagnostics as wasm-ld does: `PROGRAM: KIND: ` before each one (a message may hold
/// several, one a line, each followed by its `>>>` detail lines), and a blank line before a
/// diagnostic that follows a multi-line one.
struct Diagnostics {
    program: String,
    separate: bool,
    /// Errors printed so far, against `--error-limit` (0: no limit).
    errors: u64,
    error_limit: u64,
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

    /// One diagnostic. As lld's `ErrorHandler::error`: once `--error-limit` errors are
    /// printed, the next one prints "too many errors emitted" instead and the program exits
    /// with status 1 (no output is written: errors come before the output file is).
    fn one(&mut self, kind: &str, lines: &[&str]) {
        if kind == "error" {
            self.errors += 1;
            if self.error_limit != 0 && self.errors > self.error_limit {
                eprintln!(
                    "{}: error: too many errors emitted, stopping now (use -error-limit=0 to see all errors)",
                    self.program
                );
                std::process::exit(1);
            }
        }
        if self.separate {
            eprintln!();
        }
        eprintln!("{}: {kind}: {}", self.program, lines[0]);
        for line in &lines[1..] {
            eprintln!("{line}");
        }
        self.separate = lines.len() > 1;
    }
}
