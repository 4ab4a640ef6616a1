//! `--help`: the options touchstone-ld reads, laid out as wasm-ld lays out its own (LLVM's
//! `OptTable::printHelp`: an overview, a usage line naming the program as it was called, then
//! each option in the order of its name, ignoring case and dashes, with its description from
//! column 26, on the next line when the option's spelling is too long). Scripts that probe a
//! linker's `--help` for an option find the same spellings as in wasm-ld's. The descriptions
//! are ours.

/// Each option as `--help` shows it: spelling (with its value's shape) and description.
const HELP: &[(&str, &str)] = &[
    ("--allow-multiple-definition", "Let a later definition of a symbol be ignored instead of an error"),
    ("--allow-undefined-file=<value>", "Let the symbols named in this file (one a line) stay undefined; they become imports"),
    ("--allow-undefined", "Let undefined symbols become imports: --import-undefined with --unresolved-symbols=ignore-all"),
    ("--Bdynamic", "Look for shared libraries (libNAME.so) before archives for -l"),
    ("--Bstatic", "Look only for archives (libNAME.a) for -l (default)"),
    ("--Bsymbolic", "Bind references to symbols defined in the output to those definitions"),
    ("--build-id=[fast,sha1,uuid,0x<hexstring>]", "Write a build_id section computed or given as said"),
    ("--build-id", "Same as --build-id=fast"),
    ("--call_shared", "Same as --Bdynamic"),
    ("--check-features", "Refuse inputs whose target features conflict (default)"),
    ("--color-diagnostics=[auto,always,never]", "Whether diagnostics use color (default: auto)"),
    ("--color-diagnostics", "Same as --color-diagnostics=always"),
    ("--compress-relocations", "Write relocated indices and addresses in the code section in their shortest form"),
    ("--demangle", "Show C++ symbol names demangled in diagnostics and the name section (default)"),
    ("--dn", "Same as --Bstatic"),
    ("--dy", "Same as --Bdynamic"),
    ("--emit-relocs", "Keep relocation and linking sections in the output"),
    ("--end-lib", "End a group of objects started by --start-lib"),
    ("--entry <entry>", "The function the module starts with (default: _start)"),
    ("--error-limit=<value>", "Stop after this many errors (0: never)"),
    ("--error-unresolved-symbols", "An undefined symbol is an error (default)"),
    ("--experimental-pic", "Allow position-independent output, which is still experimental"),
    ("--export-all", "Export every symbol that is defined"),
    ("--export-dynamic", "Export every symbol that is defined with default visibility"),
    ("--export-if-defined=<value>", "Export this symbol when the link defines it"),
    ("--export-memory=<value>", "Export the memory under this name"),
    ("--export-memory", "Export the memory as `memory` (default unless it is imported)"),
    ("--export-table", "Export the indirect function table"),
    ("--export=<value>", "Export this symbol; an error if it is not defined"),
    ("--extra-features=<value>", "Add these target features to those the inputs use"),
    ("-E", "Same as --export-dynamic"),
    ("--fatal-warnings", "Treat warnings as errors"),
    ("--features=<value>", "Use exactly these target features, whatever the inputs use"),
    ("--gc-sections", "Leave out functions, data and globals nothing uses (default)"),
    ("--global-base=<value>", "The address static data starts at"),
    ("--growable-table", "Let the indirect function table grow"),
    ("--help", "Show this list and stop"),
    ("--import-memory=<module>,<name>", "Import the memory from this module and name"),
    ("--import-memory", "Import the memory from env.memory"),
    ("--import-table", "Import the indirect function table from env"),
    ("--import-undefined", "Turn undefined functions (and other symbols that can be) into imports"),
    ("--initial-heap=<value>", "At least this many bytes of heap in the initial memory"),
    ("--initial-memory=<value>", "The initial size of memory, in bytes"),
    ("--keep-section=<value>", "Keep this custom section even with --strip-debug or --strip-all"),
    ("--lto-CGO<cgopt-level>", "Code generation level for link-time optimization (bitcode inputs are refused)"),
    ("--lto-debug-pass-manager", "Log link-time optimization passes (not supported)"),
    ("--lto-O<opt-level>", "Optimization level for link-time optimization (bitcode inputs are refused)"),
    ("--lto-partitions=<value>", "Parallel partitions for link-time optimization"),
    ("-L <dir>", "Search this directory for -l libraries"),
    ("-l <libName>", "Link libName.a (or libName.so with --Bdynamic) found in the -L directories"),
    ("--Map=<value>", "Write a link map to this file"),
    ("--max-memory=<value>", "The largest the memory may grow to, in bytes"),
    ("--merge-data-segments", "Put input data segments of the same output segment together (default)"),
    ("--mllvm=<value>", "An option for LLVM's code generator (ignored)"),
    ("-M", "Same as --print-map"),
    ("-m <value>", "The output's architecture: wasm32 or wasm64"),
    ("--no-allow-multiple-definition", "A second definition of a symbol is an error (default)"),
    ("--no-check-features", "Do not check the inputs' target features against each other"),
    ("--no-color-diagnostics", "Same as --color-diagnostics=never"),
    ("--no-demangle", "Show C++ symbol names as mangled"),
    ("--no-entry", "The module has no entry function"),
    ("--no-export-dynamic", "Export only what is asked for (default)"),
    ("--no-fatal-warnings", "Warnings stay warnings (default)"),
    ("--no-gc-sections", "Keep everything the inputs define"),
    ("--no-growable-memory", "The memory cannot grow: its maximum is its initial size"),
    ("--no-merge-data-segments", "Keep every input data segment an output segment of its own"),
    ("--no-pie", "Do not write position-independent output (default)"),
    ("--no-print-gc-sections", "Do not list what --gc-sections leaves out (default)"),
    ("--no-shlib-sigcheck", "Do not check function signatures against shared libraries"),
    ("--no-stack-first", "Put the stack after static data (default)"),
    ("--no-whole-archive", "Link only the archive members that are needed (default)"),
    ("--noinhibit-exec", "Write the output even when there were errors"),
    ("--non_shared", "Same as --Bstatic"),
    ("-O <value>", "Optimization level (accepted; the output does not depend on it)"),
    ("-o <path>", "Write the output to this file (- for stdout)"),
    ("--page-size=<value>", "The size of a memory page: 65536 or 1"),
    ("--pie", "Write a position-independent executable"),
    ("--print-gc-sections", "List what --gc-sections leaves out"),
    ("--print-map", "Write a link map to stdout"),
    ("--relocatable", "Write a relocatable object, to be linked again"),
    ("--reproduce=<value>", "Write a tar file of the inputs and the command line, to link again elsewhere"),
    ("--rpath=<value>", "Directories the loader searches for shared libraries"),
    ("--rsp-quoting=[posix,windows]", "How response files quote their words"),
    ("--save-temps", "Keep intermediate files of link-time optimization (not supported)"),
    ("--shared-memory", "The memory is shared between threads"),
    ("--shared", "Write a shared library"),
    ("--soname=<value>", "The name the shared library is known by"),
    ("--stack-first", "Put the stack before static data"),
    ("--start-lib", "Objects up to --end-lib are linked only when needed, as members of an archive"),
    ("--static", "Same as --Bstatic"),
    ("--strip-all", "Leave out debug information and the name section"),
    ("--strip-debug", "Leave out debug information"),
    ("-S", "Same as --strip-debug"),
    ("-s", "Same as --strip-all"),
    ("--table-base=<value>", "The first index of the indirect function table's entries"),
    ("--thinlto-cache-dir=<value>", "Cache directory for ThinLTO (ignored)"),
    ("--thinlto-cache-policy=<value>", "Cache policy for ThinLTO (not supported)"),
    ("--thinlto-jobs=<value>", "Parallel jobs for ThinLTO"),
    ("--threads=<value>", "Threads the linker may use (touchstone-ld uses one)"),
    ("--trace-symbol=<value>", "Say where this symbol is defined and used"),
    ("--trace", "Print the name of each input file as it is read"),
    ("-t", "Same as --trace"),
    ("--undefined=<value>", "Make this symbol undefined to start with, so that it is linked"),
    ("--unresolved-symbols=<value>", "What undefined symbols become: report-all, ignore-all or import-dynamic"),
    ("--verbose", "Say more about the link"),
    ("--version", "Show the version and stop"),
    ("-V", "Same as -v"),
    ("-v", "Show the version and go on"),
    ("--warn-unresolved-symbols", "An undefined symbol is a warning"),
    ("--whole-archive", "Link every member of the archives that follow"),
    ("--why-extract=<value>", "Write why each archive member was linked to this file (- for stdout)"),
    ("--wrap=<symbol>=<symbol>", "Send references to SYMBOL to __wrap_SYMBOL, and __real_SYMBOL to SYMBOL"),
    ("-y <value>", "Same as --trace-symbol"),
    ("-z <option>", "stack-size=N sets the stack size; muldefs is --allow-multiple-definition"),
];

/// Touchstone's own options, not wasm-ld's, listed after wasm-ld's under a heading of their
/// own (so that a script comparing with wasm-ld's list finds wasm-ld's first, unchanged).
const EXTENSIONS: &[(&str, &str)] = &[(
    "--touchstone-validate",
    "Validate the module before writing it: an invalid one fails the link, naming the input function or section its bad bytes came from",
)];

/// The text `--help` prints; `program` is argv[0] as given.
pub fn help_text(program: &str) -> String {
    let mut out = format!("OVERVIEW: Touchstone linker (wasm-ld compatible)\n\nUSAGE: {program} [options] file...\n\nOPTIONS:\n");
    list(&mut out, HELP);
    out.push_str("\nTOUCHSTONE OPTIONS (not wasm-ld's):\n");
    list(&mut out, EXTENSIONS);
    out
}

fn list(out: &mut String, options: &[(&str, &str)]) {
    for (spelling, description) in options {
        if spelling.len() <= 22 {
            out.push_str(&format!("  {spelling:<22}  {description}\n"));
        } else {
            out.push_str(&format!("  {spelling}\n{:26}{description}\n", ""));
        }
    }
}

/// The option names `--help` lists, without dashes or value shapes but with the `=` of a
/// joined form (for the tests).
#[cfg(test)]
pub fn listed_names() -> Vec<String> {
    HELP.iter()
        .chain(EXTENSIONS)
        .map(|(spelling, _)| {
            let name = spelling.trim_start_matches('-');
            let end = name.find([' ', '<', '[']).unwrap_or(name.len());
            name[..end].to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// OptTable's order: names compared ignoring case, a name that is a prefix of another
    /// after it (`--build-id=` before `--build-id`, `--extra-features=` before `-E`).
    #[test]
    fn help_is_sorted_as_wasm_ld_sorts_it() {
        let mut names = listed_names();
        names.truncate(HELP.len());
        for pair in names.windows(2) {
            let (a, b) = (pair[0].to_ascii_lowercase(), pair[1].to_ascii_lowercase());
            let in_order = if b.starts_with(&a) || a.starts_with(&b) {
                a.len() >= b.len()
            } else {
                a < b
            };
            assert!(in_order, "{} listed before {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn long_spellings_get_a_line_of_their_own() {
        let text = help_text("wasm-ld");
        assert!(text.starts_with("OVERVIEW: "));
        assert!(text.contains("USAGE: wasm-ld [options] file...\n"));
        assert!(text.contains("\n  --trace                 Print the name"));
        assert!(
            text.contains("\n  --error-unresolved-symbols\n                          An undefined")
        );
    }
}
