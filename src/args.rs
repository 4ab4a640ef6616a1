//! Stage `args`: the wasm-ld command line -> [`Config`].
//!
//! Inputs are kept in command-line order together with the `--whole-archive` state in force
//! where they appear; `-l` names are resolved against `-L` directories when the inputs are read
//! (stage `input`). `@file` response files are expanded first. Long options take one or two
//! dashes and `--opt=value` or `--opt value`, as lld's option parser does. Options wasm-ld
//! accepts but that do not change a static link's output are accepted and ignored; unknown
//! options are an error, as in wasm-ld.

use crate::error::{Context, Result};
use crate::{bail, err};
use std::path::PathBuf;

/// One input named on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputSpec {
    /// A file path. Objects between `--start-lib` and `--end-lib` behave like archive
    /// members (`lazy`).
    File {
        path: PathBuf,
        whole_archive: bool,
        lazy: bool,
    },
    /// `-lNAME`: looked up as `libNAME.a` in the search paths (`-l:NAME` looks up NAME).
    Library { name: String, whole_archive: bool },
}

/// How undefined symbols are treated (`--unresolved-symbols=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnresolvedPolicy {
    ReportAll,
    IgnoreAll,
    ImportDynamic,
}

/// Everything the command line says about the link.
#[derive(Clone, Debug)]
pub struct Config {
    pub inputs: Vec<InputSpec>,
    pub search_paths: Vec<PathBuf>,
    pub output: PathBuf,
    /// The entry symbol; None with `--no-entry`.
    pub entry: Option<String>,
    pub entry_explicit: bool,
    pub exports: Vec<String>,
    pub exports_if_defined: Vec<String>,
    pub export_all: bool,
    pub export_dynamic: bool,
    pub export_table: bool,
    pub import_table: bool,
    pub growable_table: bool,
    pub undefined: Vec<String>,
    pub allow_undefined: bool,
    pub import_undefined: bool,
    pub unresolved: UnresolvedPolicy,
    pub warn_unresolved: bool,
    pub allow_multiple_definition: bool,
    pub gc_sections: bool,
    pub print_gc_sections: bool,
    pub merge_data_segments: bool,
    pub stack_first: bool,
    pub global_base: Option<u64>,
    pub table_base: Option<u64>,
    pub stack_size: u64,
    pub initial_memory: Option<u64>,
    pub initial_heap: Option<u64>,
    pub max_memory: Option<u64>,
    pub import_memory: Option<(String, String)>,
    pub export_memory: Option<String>,
    pub export_memory_given: bool,
    pub no_growable_memory: bool,
    pub shared_memory: bool,
    pub page_size: Option<u64>,
    pub strip_all: bool,
    pub strip_debug: bool,
    pub keep_sections: Vec<String>,
    pub check_features: bool,
    pub features: Option<Vec<String>>,
    pub extra_features: Vec<String>,
    pub demangle: bool,
    pub opt_level: u32,
    pub verbose: bool,
    pub fatal_warnings: bool,
    pub no_warnings: bool,
    pub relocatable: bool,
    pub emit_relocs: bool,
    pub pie: bool,
    pub shared: bool,
    pub soname: Option<String>,
    pub allow_undefined_file: Option<PathBuf>,
    /// The names those files list: undefined symbols by these names are allowed (functions
    /// become imports, data stays at address 0).
    pub allow_undefined_names: std::collections::HashSet<String>,
    /// `--build-id[=STYLE]`: the `build_id` custom section.
    pub build_id: BuildId,
    pub compress_relocations: bool,
    /// `-m wasm32|wasm64`; when absent, inferred from the inputs.
    pub is64: Option<bool>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            inputs: Vec::new(),
            search_paths: Vec::new(),
            output: PathBuf::from("a.out"),
            entry: Some("_start".into()),
            entry_explicit: false,
            exports: Vec::new(),
            exports_if_defined: Vec::new(),
            export_all: false,
            export_dynamic: false,
            export_table: false,
            import_table: false,
            growable_table: false,
            undefined: Vec::new(),
            allow_undefined: false,
            import_undefined: false,
            unresolved: UnresolvedPolicy::ReportAll,
            warn_unresolved: false,
            allow_multiple_definition: false,
            gc_sections: true,
            print_gc_sections: false,
            merge_data_segments: true,
            stack_first: true,
            global_base: None,
            table_base: None,
            stack_size: 65536,
            initial_memory: None,
            initial_heap: None,
            max_memory: None,
            import_memory: None,
            export_memory: Some("memory".into()),
            export_memory_given: false,
            no_growable_memory: false,
            shared_memory: false,
            page_size: None,
            strip_all: false,
            strip_debug: false,
            keep_sections: Vec::new(),
            check_features: true,
            features: None,
            extra_features: Vec::new(),
            demangle: true,
            opt_level: 1,
            verbose: false,
            fatal_warnings: false,
            no_warnings: false,
            relocatable: false,
            emit_relocs: false,
            pie: false,
            shared: false,
            soname: None,
            allow_undefined_file: None,
            allow_undefined_names: Default::default(),
            build_id: BuildId::None,
            compress_relocations: false,
            is64: None,
        }
    }
}

/// Parses a number as lld does: decimal, `0x` hex, or `0` octal.
fn parse_number(opt: &str, v: &str) -> Result<u64> {
    let r = if let Some(h) = v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        u64::from_str_radix(h, 16)
    } else if v.len() > 1 && v.starts_with('0') {
        u64::from_str_radix(&v[1..], 8)
    } else {
        v.parse()
    };
    r.map_err(|_| crate::err!("{opt}: number expected, but got '{v}'"))
}

/// Expands `@file` response files (whitespace-separated, with simple quoting).
fn expand_response_files(args: &[String], depth: u32) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for a in args {
        if let Some(path) = a.strip_prefix('@') {
            if depth > 20 {
                bail!("@{path}: response files nested too deeply");
            }
            let text =
                std::fs::read_to_string(path).with_context(|| format!("cannot open @{path}"))?;
            let words = split_response(&text);
            out.extend(expand_response_files(&words, depth + 1)?);
        } else {
            out.push(a.clone());
        }
    }
    Ok(out)
}

fn split_response(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                    in_word = true;
                }
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// Options that take a value (long names without dashes).
const VALUE_OPTIONS: &[&str] = &[
    "o",
    "l",
    "L",
    "u",
    "e",
    "m",
    "z",
    "O",
    "entry",
    "export",
    "export-if-defined",
    "undefined",
    "global-base",
    "table-base",
    "initial-memory",
    "initial-heap",
    "max-memory",
    "unresolved-symbols",
    "keep-section",
    "features",
    "extra-features",
    "soname",
    "allow-undefined-file",
    "library",
    "library-path",
    "output",
    "page-size",
    "export-memory",
    "import-memory",
    "build-id",
    "sysroot",
    "mllvm",
    "lto-O",
    "lto-CGO",
    "thinlto-cache-dir",
    "thinlto-jobs",
    "threads",
    "Map",
    "trace-symbol",
    "y",
    "wrap",
    "rpath",
    "emit-relocs-file",
    "why-extract",
    "plugin-opt",
    "error-limit",
    "max-memory-growth",
    "exclude-libs",
    "reproduce",
    "lto-partitions",
];

/// What `--build-id` asks for (wasm-ld's styles).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildId {
    None,
    /// A v5 UUID made from an xxh3 hash of the output (the default style).
    Fast,
    /// SHA-1 of the output (`sha1`, `tree`).
    Sha1,
    /// A random v4 UUID.
    Uuid,
    /// `0x...`: these bytes.
    Hex(Vec<u8>),
}

/// Parses the value of `--build-id` (`None`: the option without a value, the fast style).
fn parse_build_id(value: Option<&str>) -> Result<BuildId> {
    Ok(match value {
        None | Some("fast") => BuildId::Fast,
        Some("sha1" | "tree") => BuildId::Sha1,
        Some("uuid") => BuildId::Uuid,
        Some("none") => BuildId::None,
        Some(v) if v.starts_with("0x") => {
            // Two digits a byte; a last single digit is a byte of its own (as in lld).
            let digits = &v.as_bytes()[2..];
            let mut bytes = Vec::with_capacity(digits.len() / 2 + 1);
            for pair in digits.chunks(2) {
                let text = std::str::from_utf8(pair).unwrap_or("?");
                let b = u8::from_str_radix(text, 16)
                    .ok()
                    .filter(|_| pair.iter().all(u8::is_ascii_hexdigit))
                    .ok_or_else(|| err!("not a hexadecimal value: {text}"))?;
                bytes.push(b);
            }
            BuildId::Hex(bytes)
        }
        Some(v) => bail!("unknown --build-id style: {v}"),
    })
}

/// Options whose value is optional and only given with `=`.
const OPTIONAL_VALUE_OPTIONS: &[&str] = &["export-memory", "import-memory", "build-id"];

/// Parses wasm-ld's command line (without the program name).
pub fn parse(args: &[String]) -> Result<Config> {
    let args = expand_response_files(args, 0)?;
    let mut c = Config::default();
    let mut whole_archive = false;
    let mut lazy = false;
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if !arg.starts_with('-') || arg == "-" {
            c.inputs.push(InputSpec::File {
                path: PathBuf::from(arg),
                whole_archive,
                lazy,
            });
            continue;
        }
        // Split into option name and inline value.
        let body = arg.trim_start_matches('-');
        let (name, inline): (String, Option<String>) = if let Some((n, v)) = body.split_once('=') {
            (n.to_string(), Some(v.to_string()))
        } else {
            // Joined short options: -lc, -L/dir, -ofile, -zstack-size=.., -O2.
            let first = &body[..body.chars().next().map_or(0, |c| c.len_utf8())];
            if body.len() > 1
                && ["l", "L", "o", "u", "e", "z", "O", "m", "y"].contains(&first)
                && !is_known_long(body)
                && arg.starts_with('-')
                && !arg.starts_with("--")
            {
                (first.to_string(), Some(body[first.len()..].to_string()))
            } else {
                (body.to_string(), None)
            }
        };
        let takes_value = VALUE_OPTIONS.contains(&name.as_str());
        let optional = OPTIONAL_VALUE_OPTIONS.contains(&name.as_str());
        let value: Option<String> = if takes_value && !optional {
            match inline {
                Some(v) => Some(v),
                None => {
                    let Some(v) = args.get(i) else {
                        bail!("{arg}: missing argument");
                    };
                    i += 1;
                    Some(v.clone())
                }
            }
        } else {
            inline
        };
        let v = || value.clone().unwrap_or_default();
        let num = |o: &str| parse_number(o, &value.clone().unwrap_or_default());
        match name.as_str() {
            "o" | "output" => c.output = PathBuf::from(v()),
            "l" | "library" => c.inputs.push(InputSpec::Library {
                name: v(),
                whole_archive,
            }),
            "L" | "library-path" => c.search_paths.push(PathBuf::from(v())),
            "whole-archive" => whole_archive = true,
            "start-lib" => {
                if lazy {
                    bail!("nested --start-lib");
                }
                lazy = true;
            }
            "end-lib" => {
                if !lazy {
                    bail!("stray --end-lib");
                }
                lazy = false;
            }
            "no-whole-archive" => whole_archive = false,
            "u" | "undefined" => c.undefined.push(v()),
            "e" | "entry" => {
                c.entry = Some(v());
                c.entry_explicit = true;
            }
            "no-entry" => c.entry = None,
            "export" => c.exports.push(v()),
            "export-if-defined" => c.exports_if_defined.push(v()),
            "export-all" => c.export_all = true,
            "export-dynamic" | "E" => c.export_dynamic = true,
            "no-export-dynamic" => c.export_dynamic = false,
            "export-table" => c.export_table = true,
            "import-table" => c.import_table = true,
            "growable-table" => c.growable_table = true,
            "allow-undefined" => c.allow_undefined = true,
            "import-undefined" => c.import_undefined = true,
            "unresolved-symbols" => {
                c.unresolved = match v().as_str() {
                    "report-all" => UnresolvedPolicy::ReportAll,
                    "ignore-all" => UnresolvedPolicy::IgnoreAll,
                    "import-dynamic" => UnresolvedPolicy::ImportDynamic,
                    other => bail!("unknown --unresolved-symbols value: {other}"),
                }
            }
            "warn-unresolved-symbols" => c.warn_unresolved = true,
            "error-unresolved-symbols" => c.warn_unresolved = false,
            "allow-multiple-definition" => c.allow_multiple_definition = true,
            "gc-sections" => c.gc_sections = true,
            "no-gc-sections" => c.gc_sections = false,
            "print-gc-sections" => c.print_gc_sections = true,
            "no-print-gc-sections" => c.print_gc_sections = false,
            "merge-data-segments" => c.merge_data_segments = true,
            "no-merge-data-segments" => c.merge_data_segments = false,
            "stack-first" => c.stack_first = true,
            "no-stack-first" => c.stack_first = false,
            "global-base" => c.global_base = Some(num("--global-base")?),
            "table-base" => c.table_base = Some(num("--table-base")?),
            "initial-memory" => c.initial_memory = Some(num("--initial-memory")?),
            "initial-heap" => c.initial_heap = Some(num("--initial-heap")?),
            "max-memory" => c.max_memory = Some(num("--max-memory")?),
            "page-size" => c.page_size = Some(num("--page-size")?),
            "z" => {
                let val = v();
                if let Some(n) = val.strip_prefix("stack-size=") {
                    c.stack_size = parse_number("-z stack-size", n)?;
                }
                // Other -z keywords (e.g. -z noexecstack from generic drivers) are ignored
                // with the same leniency as lld's unknown -z warning.
            }
            "import-memory" => {
                c.import_memory = Some(match value {
                    Some(spec) => match spec.split_once(',') {
                        Some((m, n)) => (m.to_string(), n.to_string()),
                        None => ("env".to_string(), spec),
                    },
                    None => ("env".into(), "memory".into()),
                });
            }
            "export-memory" => {
                c.export_memory = Some(value.unwrap_or_else(|| "memory".into()));
                c.export_memory_given = true;
            }
            "no-growable-memory" => c.no_growable_memory = true,
            "shared-memory" => c.shared_memory = true,
            "no-shared-memory" => c.shared_memory = false,
            "strip-all" | "s" => c.strip_all = true,
            "strip-debug" | "S" => c.strip_debug = true,
            "keep-section" => c.keep_sections.push(v()),
            "check-features" => c.check_features = true,
            "no-check-features" => c.check_features = false,
            "features" => {
                c.features = Some(
                    v().split(',')
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect(),
                )
            }
            "extra-features" => c
                .extra_features
                .extend(v().split(',').filter(|s| !s.is_empty()).map(String::from)),
            "demangle" => c.demangle = true,
            "no-demangle" => c.demangle = false,
            "O" => {
                c.opt_level = v()
                    .parse()
                    .map_err(|_| crate::err!("-O: number expected, but got '{}'", v()))?
            }
            "verbose" | "v" => c.verbose = true,
            "fatal-warnings" => c.fatal_warnings = true,
            "no-fatal-warnings" => c.fatal_warnings = false,
            "w" | "no-warnings" => c.no_warnings = true,
            "relocatable" | "r" => c.relocatable = true,
            "emit-relocs" | "q" => c.emit_relocs = true,
            "pie" => c.pie = true,
            "no-pie" => c.pie = false,
            "shared" => c.shared = true,
            "soname" => c.soname = Some(v()),
            // The last one counts: wasm-ld 22 reads only that file.
            "allow-undefined-file" => c.allow_undefined_file = Some(PathBuf::from(v())),
            "build-id" => c.build_id = parse_build_id(value.as_deref())?,
            "compress-relocations" => c.compress_relocations = true,
            "no-compress-relocations" => c.compress_relocations = false,
            "m" => {
                c.is64 = match v().as_str() {
                    "wasm32" => Some(false),
                    "wasm64" => Some(true),
                    other => bail!("unknown emulation: {other}"),
                }
            }
            // Accepted and without effect on the output of a static link.
            "sysroot"
            | "mllvm"
            | "lto-O"
            | "lto-CGO"
            | "thinlto-cache-dir"
            | "thinlto-jobs"
            | "threads"
            | "Map"
            | "trace-symbol"
            | "y"
            | "rpath"
            | "why-extract"
            | "plugin-opt"
            | "error-limit"
            | "reproduce"
            | "lto-partitions"
            | "exclude-libs"
            | "color-diagnostics"
            | "no-color-diagnostics"
            | "time-trace"
            | "Bstatic"
            | "Bdynamic"
            | "static"
            | "call_shared"
            | "dy"
            | "dn"
            | "non_shared"
            | "no-call-graph-profile-sort"
            | "disable-verify"
            | "stats" => {}
            "version" => {}
            _ => bail!("unknown argument: {arg}"),
        }
    }
    // --allow-undefined-file: one symbol name a line; blank lines and lines starting with
    // `#` are skipped (lld's getLines).
    if let Some(path) = &c.allow_undefined_file {
        let text =
            std::fs::read(path).with_context(|| format!("cannot open {}", path.display()))?;
        for line in String::from_utf8_lossy(&text).split('\n') {
            let line = line.trim();
            if !line.is_empty() && !line.starts_with('#') {
                c.allow_undefined_names.insert(line.to_string());
            }
        }
    }
    if c.emit_relocs {
        bail!("--emit-relocs is not supported yet");
    }
    if c.relocatable {
        bail!("-r/--relocatable output is not supported yet");
    }
    if c.shared || c.pie {
        bail!("-shared/-pie output is not supported yet");
    }
    if c.compress_relocations && !c.strip_debug && !c.strip_all {
        bail!("--compress-relocations is incompatible with output debug information. Please pass --strip-debug or --strip-all");
    }
    if c.stack_size % 16 != 0 {
        bail!("stack size must be 16-byte aligned");
    }
    if c.import_memory.is_some() && !c.export_memory_given {
        c.export_memory = None;
    }
    Ok(c)
}

fn is_known_long(body: &str) -> bool {
    let name = body.split('=').next().unwrap_or(body);
    VALUE_OPTIONS.contains(&name)
        || [
            "export-all",
            "export-dynamic",
            "export-table",
            "entry",
            "export",
            "emit-relocs",
            "error-unresolved-symbols",
            "error-limit",
            "lto-O",
            "lto-CGO",
            "mllvm",
            "max-memory",
            "merge-data-segments",
            "library",
            "library-path",
            "undefined",
            "unresolved-symbols",
            "O",
            "o",
        ]
        .contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Config {
        parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn clang_driver_line() {
        let c = p(&[
            "-m",
            "wasm32",
            "-L/usr/lib/wasm32-wasi",
            "crt1.o",
            "a.o",
            "-lc",
            "-o",
            "x.wasm",
        ]);
        assert_eq!(c.output, PathBuf::from("x.wasm"));
        assert_eq!(c.search_paths, vec![PathBuf::from("/usr/lib/wasm32-wasi")]);
        assert_eq!(c.inputs.len(), 3);
        assert_eq!(
            c.inputs[2],
            InputSpec::Library {
                name: "c".into(),
                whole_archive: false
            }
        );
    }

    #[test]
    fn values_and_flags() {
        let c = p(&[
            "--export=foo",
            "-export",
            "bar",
            "-z",
            "stack-size=8192",
            "--no-entry",
            "--global-base=0x400",
            "--whole-archive",
            "lib.a",
            "--no-whole-archive",
            "--import-memory=m,n",
        ]);
        assert_eq!(c.exports, vec!["foo", "bar"]);
        assert_eq!(c.stack_size, 8192);
        assert_eq!(c.entry, None);
        assert_eq!(c.global_base, Some(1024));
        assert_eq!(
            c.inputs,
            vec![InputSpec::File {
                path: "lib.a".into(),
                whole_archive: true,
                lazy: false,
            }]
        );
        assert_eq!(c.import_memory, Some(("m".into(), "n".into())));
        assert_eq!(c.export_memory, None);
    }

    #[test]
    fn unknown_option_is_an_error() {
        let e = parse(&["--frobnicate".to_string()]).unwrap_err();
        assert_eq!(e.to_string(), "unknown argument: --frobnicate");
    }
}
