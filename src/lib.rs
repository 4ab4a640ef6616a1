//! Touchstone: a reference linker for WebAssembly relocatable objects.
//!
//! The pipeline is one stage per module, each a function from the previous stage's output to
//! its own, never changing an earlier stage's data: `args` -> `input` -> `object` ->
//! `resolve` -> `gc` -> `layout` -> `relocate` -> `write`. `asm` is the `.wat` object assembler used by tests and fuzzers.

pub mod error;

pub mod args;
pub mod asm;
pub mod demangle;
pub mod gc;
pub mod gen;
pub mod hash;
mod index;
pub mod input;
pub mod layout;
pub mod leb;
pub mod object;
pub mod relocate;
pub mod resolve;
pub mod write;

pub use error::{Context, Error, Result};

/// What a successful link reports besides the output file.
#[derive(Debug, Default)]
pub struct LinkReport {
    pub warnings: Vec<String>,
    /// What wasm-ld prints on stdout for `--trace`, `--trace-symbol`, `--why-extract=-` and
    /// `--print-gc-sections`, in its order ([`link_to_bytes`] only: [`link`] prints them).
    pub messages: Vec<String>,
}

/// Runs every stage up to the layout, then `emit` with the result. Messages go to `out` as
/// the stages produce them, so that those printed before an error are still seen.
fn link_with<T>(
    config: &args::Config,
    out: &mut dyn FnMut(&str),
    emit: impl FnOnce(&resolve::Resolved, &layout::Layout) -> Result<T>,
) -> Result<(T, LinkReport)> {
    if config.inputs.is_empty() {
        bail!("no input files");
    }
    let files = input::read_inputs(config)?;
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
    let resolved = resolve::resolve(config, &files, out)?;
    let live = gc::mark(config, &resolved);
    if config.print_gc_sections {
        for line in gc::removed(config, &resolved, &live) {
            out(&line);
        }
    }
    trace_indirect_function_table(config, &live, out);
    // After GC, as wasm-ld reports it when it writes the exports.
    check_exports(config, &resolved)?;
    let layout = layout::layout(config, &resolved, &live)?;
    let mut warnings = config.warnings.clone();
    warnings.extend(resolved.warnings.iter().cloned());
    warnings.extend(layout.warnings.iter().cloned());
    // --fatal-warnings: every warning is an error, and nothing is written.
    if config.fatal_warnings && !warnings.is_empty() {
        return Err(Error::new(warnings.join("\n")));
    }
    let value = emit(&resolved, &layout)?;
    Ok((
        value,
        LinkReport {
            warnings,
            messages: Vec::new(),
        },
    ))
}

/// Links according to `config` and returns the module bytes (nothing is written); the
/// messages are returned in the report.
pub fn link_to_bytes(config: &args::Config) -> Result<(Vec<u8>, LinkReport)> {
    let mut messages = Vec::new();
    let mut out = |m: &str| messages.push(m.to_string());
    let (bytes, mut report) = link_with(config, &mut out, |res, layout| {
        write::build(config, res, layout)
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
    link_with(config, &mut out, |res, layout| {
        write::write_file(config, res, layout, &config.output)
    })
    .map(|((), report)| report)
}

/// `--export=NAME` must name a defined symbol (the entry is checked in `resolve`, where
/// wasm-ld checks it).
fn check_exports(config: &args::Config, res: &resolve::Resolved) -> Result<()> {
    for name in &config.exports {
        let defined = res.find(name).is_some_and(|id| res.sym(id).is_defined());
        if !defined {
            bail!("symbol exported via --export not found: {name}");
        }
    }
    Ok(())
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
