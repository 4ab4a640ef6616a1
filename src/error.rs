//! The one error type of the linker: a message plus a chain of context.
//!
//! Every error a user can cause names the input file (and archive member), the section, the
//! byte offset and the symbol where it applies. Context is added from the inside out, so the
//! rendered message reads outermost first:
//! `libc.a(printf.o): reloc.CODE entry 12 at 0x3f1: symbol index 907 out of range`.

use std::fmt;

/// A linker error: the innermost message and the context added around it.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
    /// Context, innermost first.
    context: Vec<String>,
    /// Warnings the link gave before this error, to be printed before it (wasm-ld prints
    /// each as it finds it, so a failed link still shows them).
    warnings: Vec<String>,
    /// What the same stage reported after this error, in order, to be printed after it.
    trailing: Vec<Diagnostic>,
}

/// One diagnostic of a stage that reports warnings and errors as it finds them, in order.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Diagnostic {
    Warning(String),
    Error(String),
}

impl Diagnostic {
    /// Its message, whichever kind it is.
    pub fn into_text(self) -> String {
        match self {
            Diagnostic::Warning(m) | Diagnostic::Error(m) => m,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            context: Vec::new(),
            warnings: Vec::new(),
            trailing: Vec::new(),
        }
    }

    /// The outcome of a stage that reported `diagnostics` in the order it found them (as lld's
    /// `warn` and `error` print at once, interleaved): its warnings when none is an error;
    /// otherwise an error whose message is the first run of errors, given after the warnings
    /// before it and followed by everything after it.
    pub fn from_diagnostics(diagnostics: Vec<Diagnostic>) -> Result<Vec<String>> {
        let Some(first) = diagnostics
            .iter()
            .position(|d| matches!(d, Diagnostic::Error(_)))
        else {
            return Ok(diagnostics.into_iter().map(Diagnostic::into_text).collect());
        };
        let mut rest = diagnostics.into_iter();
        let warnings: Vec<String> = rest
            .by_ref()
            .take(first)
            .map(Diagnostic::into_text)
            .collect();
        let mut errors = Vec::new();
        let mut trailing = Vec::new();
        for d in rest {
            match d {
                Diagnostic::Error(e) if trailing.is_empty() => errors.push(e),
                d => trailing.push(d),
            }
        }
        let mut e = Error::new(errors.join("\n"));
        e.warnings = warnings;
        e.trailing = trailing;
        Err(e)
    }

    /// This error, given after `warnings`.
    pub fn after_warnings(mut self, mut warnings: Vec<String>) -> Error {
        warnings.append(&mut self.warnings);
        self.warnings = warnings;
        self
    }

    /// The warnings given before this error, in order.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The warnings and errors given after this error, in order.
    pub fn trailing(&self) -> &[Diagnostic] {
        &self.trailing
    }

    /// Wraps this error in one more layer of context.
    pub fn context(mut self, context: impl Into<String>) -> Error {
        self.context.push(context.into());
        self
    }

    /// The innermost message without context.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.context.iter().rev() {
            write!(f, "{c}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::new(os_message(&e))
    }
}

/// Adds context to a `Result`, like wild's and anyhow's `Context`.
pub trait Context<T> {
    fn context(self, context: impl Into<String>) -> Result<T>;
    fn with_context<C: Into<String>>(self, f: impl FnOnce() -> C) -> Result<T>;
}

impl<T, E: Into<Error>> Context<T> for std::result::Result<T, E> {
    fn context(self, context: impl Into<String>) -> Result<T> {
        self.map_err(|e| e.into().context(context))
    }
    fn with_context<C: Into<String>>(self, f: impl FnOnce() -> C) -> Result<T> {
        self.map_err(|e| e.into().context(f()))
    }
}

/// Builds an [`Error`] from a format string.
macro_rules! err {
    ($($arg:tt)*) => { $crate::error::Error::new(format!($($arg)*)) };
}
pub(crate) use err;

/// Returns early with an [`Error`] built from a format string.
macro_rules! bail {
    ($($arg:tt)*) => { return Err($crate::error::err!($($arg)*)) };
}
pub(crate) use bail;

/// An I/O error as LLVM words it: the system's message without Rust's ` (os error N)`
/// (`No such file or directory`).
pub fn os_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(i) if e.raw_os_error().is_some() => text[..i].to_string(),
        _ => text,
    }
}
