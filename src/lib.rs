//! Touchstone: a reference linker for WebAssembly relocatable objects (this library and the
//! `touchstone-ld` binary).
//!
//! The API: [`args::parse`] reads a wasm-ld command line into a [`Config`]; [`link`] links and
//! writes the output, [`link_to_bytes`] returns it with a [`LinkReport`]; [`read_input`] only
//! parses an input (for fuzzing). Errors are [`Error`]. Everything else is private; the test
//! tooling (assembler, generator, oracle) lives in other crates, and the format facts shared
//! with it in `touchstone-format`.
//!
//! The pipeline is one stage per module, each a function from the previous stage's output to
//! its own, never changing an earlier stage's data: `args` -> `input` -> `object` ->
//! `resolve` -> `gc` -> `layout` -> `relocate` -> `write`.

mod error;

pub mod args;
mod demangle;
mod gc;
mod hash;
mod help;
mod index;
mod input;
mod layout;
mod map;
mod object;
mod relocate;
mod reproduce;
mod resolve;
mod shared;
mod stub;
mod validate;
mod write;

pub use args::Config;
pub(crate) use error::err;
use error::{bail, Context as _};
pub use error::{Diagnostic, Error, Result};
pub use help::help_text;

/// What `--version` prints (and `--reproduce` records in version.txt).
pub const VERSION: &str = concat!(
    "Touchstone ",
    env!("CARGO_PKG_VERSION"),
    " (compatible with LLD 22)"
);
/// LEB128 lives with the format facts; stages say `crate::leb`.
pub(crate) use touchstone_format::leb;

/// What a successful link reports besides the output file.
#[derive(Debug, Default)]
pub struct LinkReport {
    pub warnings: Vec<String>,
    /// What wasm-ld prints on stdout for `--trace`, `--trace-symbol`, `--why-extract=-` and
    /// `--print-gc-sections`, in its order ([`link_to_bytes`] only: [`link`] prints them).
    pub messages: Vec<String>,
}

/// Runs every stage up to the layout, then `emit` with the result. Messages go to `out` as
/// the stages produce them, so that those printed before an error are still seen. Once the
/// inputs are opened, the options are checked as wasm-ld's driver checks them, then, with
/// `writes`, that `-o` is given and the output and map files can be written, all before the
/// link proper.
fn link_with<T>(
    config: &args::Config,
    writes: bool,
    out: &mut dyn FnMut(&str),
    emit: impl FnOnce(&resolve::Resolved, &layout::Layout) -> Result<T>,
) -> Result<(T, LinkReport)> {
    let mut warnings = config.warnings.clone();
    match run_stages(config, writes, out, &mut warnings, emit) {
        Ok(value) => Ok((
            value,
            LinkReport {
                warnings,
                messages: Vec::new(),
            },
        )),
        Err(e) => Err(e.after_warnings(warnings)),
    }
}

/// The stages of [`link_with`], each warning pushed to `warnings` as it is found, so that
/// those given before an error are reported with it, as wasm-ld prints them as it goes.
fn run_stages<T>(
    config: &args::Config,
    writes: bool,
    out: &mut dyn FnMut(&str),
    warnings: &mut Vec<String>,
    emit: impl FnOnce(&resolve::Resolved, &layout::Layout) -> Result<T>,
) -> Result<T> {
    if config.inputs.is_empty() {
        bail!("no input files");
    }
    let files = input::read_inputs(config)?;
    if config.reproduce.is_some() {
        let inputs: Vec<_> = files
            .iter()
            .map(|f| (f.path.as_path(), f.data.bytes()))
            .collect();
        let mut others: Vec<_> = config.allow_undefined_file.iter().cloned().collect();
        others.extend(input::archive_import_files(&files));
        reproduce::write_tar(config, &inputs, &others)?;
    }
    args::check_options(config, writes)?;
    if writes {
        write::check_writable(config)?;
    }
    write::check_why_extract(config)?;
    let imports = input::archive_import_lists(&files)?;
    let with_imports;
    let config = if imports.is_empty() {
        config
    } else {
        let mut c = config.clone();
        c.allow_undefined_names.extend(imports);
        with_imports = c;
        &with_imports
    };
    let resolved = resolve::resolve(config, &files, out, warnings)?;
    let live = gc::mark(config, &resolved);
    if config.print_gc_sections {
        for line in gc::removed(config, &resolved, &live) {
            out(&line);
        }
    }
    trace_indirect_function_table(config, &live, out);
    // After GC, as wasm-ld reports it when it writes the exports.
    warnings.extend(check_exports(config, &resolved)?);
    let layout = layout::layout(config, &resolved, &live)?;
    warnings.extend(layout.warnings.iter().cloned());
    // --fatal-warnings: every warning is an error, and nothing is written.
    if config.fatal_warnings && !warnings.is_empty() {
        return Err(Error::new(std::mem::take(warnings).join("\n")));
    }
    emit(&resolved, &layout)
}

/// Parses one input file's bytes as a link reads them, without linking: an object, a stub
/// library, or an archive and every one of its members that is a wasm object (a link skips
/// the others with a warning, see `resolve`) (for the `parse` fuzz target and for tests that
/// check the parser against other readers). `name` is the file name messages use. Returns
/// the number of objects read; every member is parsed even after one fails, and the first
/// error is returned, naming the file (and member).
pub fn read_input(name: &str, bytes: &[u8]) -> Result<usize> {
    let path = std::path::Path::new(name);
    match input::classify(path, bytes)? {
        input::Kind::Object => object::parse(bytes).context(name).map(|_| 1),
        input::Kind::Stub => stub::parse(name.to_string(), bytes).map(|_| 0),
        input::Kind::Archive => {
            let mut first_error = None;
            let members = input::archive_members(path, bytes)?;
            let objects: Vec<_> = members
                .iter()
                .filter(|m| m.data.starts_with(b"\0asm"))
                .collect();
            for m in &objects {
                if let Err(e) = object::parse(m.data) {
                    first_error.get_or_insert(e.context(format!("{name}({})", m.name)));
                }
            }
            first_error.map_or(Ok(objects.len()), Err)
        }
    }
}

/// Links according to `config` and returns the module bytes (nothing is written); the
/// messages are returned in the report.
pub fn link_to_bytes(config: &args::Config) -> Result<(Vec<u8>, LinkReport)> {
    let mut messages = Vec::new();
    let mut out = |m: &str| messages.push(m.to_string());
    let (bytes, mut report) = link_with(config, false, &mut out, |res, layout| {
        let module = write::build(config, res, layout)?;
        if config.validate {
            validate::validate(config, res, layout, &module)?;
        }
        Ok(module)
    })?;
    report.messages = messages;
    Ok((bytes, report))
}

/// Links and writes the output file atomically (streamed: the module is never whole in
/// memory). Messages the options ask for are printed on stdout as they come, as wasm-ld
/// prints them.
pub fn link(config: &args::Config) -> Result<LinkReport> {
    // A closed stdout is not the link's failure.
    let mut out = |m: &str| {
        use std::io::Write;
        let _ = writeln!(std::io::stdout().lock(), "{m}");
    };
    link_with(config, true, &mut out, |res, layout| {
        // The module is streamed into the output file, unless it must be whole in memory
        // first: to be validated (`--touchstone-validate`), or for a map that comes before
        // it on stdout.
        let stdout = config.output == std::path::Path::new("-");
        let module = if config.validate || (stdout && config.map_file.is_some()) {
            let module = write::build(config, res, layout)?;
            if config.validate {
                validate::validate(config, res, layout, &module)?;
            }
            Some(module)
        } else {
            None
        };
        let Some(map_path) = &config.map_file else {
            return match &module {
                Some(module) => write::write_bytes(&config.output, module),
                None => write::write_file(config, res, layout, &config.output),
            };
        };
        // The map describes the module as written. On stdout it comes first (as wasm-ld
        // writes them); into a file, the module is written first and read back.
        let module = match module {
            Some(module) if stdout => {
                map::write_map(config, res, layout, &module, map_path)?;
                return write::write_bytes(&config.output, &module);
            }
            Some(module) => {
                write::write_bytes(&config.output, &module)?;
                module
            }
            None => {
                write::write_file(config, res, layout, &config.output)?;
                match std::fs::read(&config.output) {
                    Ok(bytes) => bytes,
                    // A device or a pipe as the output: built again.
                    Err(_) => write::build(config, res, layout)?,
                }
            }
        };
        map::write_map(config, res, layout, &module, map_path)
    })
    .map(|((), report)| report)
}

/// `--export=NAME` must name a defined symbol, as unresolved symbols must be defined: an
/// error by default, a warning with `--warn-unresolved-symbols`, nothing when undefined
/// symbols are allowed (`--allow-undefined`, `--unresolved-symbols=ignore-all` or
/// `=import-dynamic`): wasm-ld reads its unresolved-symbols policy for these exports as for
/// undefined symbols (checked by experiment with rust-lld 22). Returns the warnings. (The entry
/// is checked in `resolve`, where wasm-ld checks it.)
fn check_exports(config: &args::Config, res: &resolve::Resolved) -> Result<Vec<String>> {
    let mut warnings = Vec::new();
    let ignored = config.allow_undefined || config.unresolved != args::UnresolvedPolicy::ReportAll;
    for name in &config.exports {
        let defined = res.find(name).is_some_and(|id| res.sym(id).is_defined());
        if defined || ignored {
            continue;
        }
        let message = format!("symbol exported via --export not found: {name}");
        if !config.warn_unresolved {
            return Err(Error::new(message));
        }
        warnings.push(message);
    }
    Ok(warnings)
}

/// `--trace-symbol=__indirect_function_table`: wasm-ld defines the table only after GC
/// (`resolveIndirectFunctionTable`, after `markLive`), when its symbol is live, and not when
/// it is imported. GC decides it once ([`gc::Live::indirect_table_symbol`]).
fn trace_indirect_function_table(
    config: &args::Config,
    live: &gc::Live,
    out: &mut dyn FnMut(&str),
) {
    let name = resolve::Synthetic::IndirectFunctionTable.name();
    if config.import_table || !config.trace_symbols.iter().any(|t| t == name) {
        return;
    }
    if live.indirect_table_symbol {
        out(&format!("<internal>: definition of {name}"));
    }
}
