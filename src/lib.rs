//! Touchstone: a reference linker for WebAssembly relocatable objects.
//!
//! The pipeline is one stage per module, each a function from the previous stage's output to
//! its own (see DESIGN.md): `args` -> `input` -> `object` -> `resolve` -> `gc` -> `layout` ->
//! `relocate` -> `write`. `asm` is the `.wat` object assembler used by tests and fuzzers.

pub mod error;

pub mod args;
pub mod asm;
pub mod demangle;
pub mod gc;
pub mod gen;
pub mod hash;
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
}

/// Runs every stage up to the layout, then `emit` with the result.
fn link_with<T>(
    config: &args::Config,
    emit: impl FnOnce(&resolve::Resolved, &layout::Layout) -> Result<T>,
) -> Result<(T, LinkReport)> {
    if config.inputs.is_empty() {
        bail!("no input files");
    }
    let files = input::read_inputs(config)?;
    let resolved = resolve::resolve(config, &files)?;
    check_entry_and_exports(config, &resolved)?;
    let live = gc::mark(config, &resolved);
    let layout = layout::layout(config, &resolved, &live)?;
    let mut warnings = config.warnings.clone();
    warnings.extend(resolved.warnings.iter().cloned());
    warnings.extend(layout.warnings.iter().cloned());
    // --fatal-warnings: every warning is an error, and nothing is written.
    if config.fatal_warnings && !warnings.is_empty() {
        return Err(Error::new(warnings.join("\n")));
    }
    let value = emit(&resolved, &layout)?;
    Ok((value, LinkReport { warnings }))
}

/// Links according to `config` and returns the module bytes (nothing is written).
pub fn link_to_bytes(config: &args::Config) -> Result<(Vec<u8>, LinkReport)> {
    link_with(config, |res, layout| write::build(config, res, layout))
}

/// Links and writes the output file atomically (streamed: the module is never whole in
/// memory).
pub fn link(config: &args::Config) -> Result<LinkReport> {
    link_with(config, |res, layout| {
        write::write_file(config, res, layout, &config.output)
    })
    .map(|((), report)| report)
}

fn check_entry_and_exports(config: &args::Config, res: &resolve::Resolved) -> Result<()> {
    if let Some(entry) = &config.entry {
        let defined = res.find(entry).is_some_and(|id| res.sym(id).is_defined());
        if !defined {
            bail!("entry symbol not defined (pass --no-entry to suppress): {entry}");
        }
    }
    for name in &config.exports {
        let defined = res.find(name).is_some_and(|id| res.sym(id).is_defined());
        if !defined {
            bail!("symbol exported via --export not found: {name}");
        }
    }
    Ok(())
}
