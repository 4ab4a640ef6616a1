//! Stage `args`: the wasm-ld command line -> [`Config`].
//!
//! `@file` response files are expanded first. Every argument is then matched against
//! [`OPTIONS`], a table in the shape of lld/wasm/Options.td (LLVM 22): each option has a
//! [`Form`] saying which dashes it takes and whether its value is joined (`--x=v`), separate
//! (`--x v`) or either, and an action. Matching is LLVM OptTable's: of the options whose dashes
//! and name begin the argument the longest name is tried first, and a flag or a separate option
//! must be the whole argument, else the next one is tried; so `-export-all` is `-e xport-all`
//! and `--global-base 1024` is an unknown argument, as in wasm-ld. A separate option without
//! its value is "missing argument" (reported first, as wasm-ld does), then the first argument
//! that matched nothing is "unknown argument".
//!
//! Inputs are kept in command-line order together with the `--whole-archive`/`--start-lib`
//! state in force where they appear; `-l` names are resolved against `-L` directories when the
//! inputs are read (stage `input`). Options that wasm-ld reads with getLastArg are checked and
//! used in their last occurrence only ([`Last`]). Options wasm-ld accepts that do not change a
//! static link's output are accepted and ignored (their values checked where wasm-ld checks
//! them); the wasm-ld options touchstone does not implement are refused.
//!
//! Errors and warnings come where wasm-ld's driver gives them: those of reading each option's
//! value and of lld's `setConfigs`, and the warnings of its `checkOptions`, while parsing;
//! the errors of `checkOptions` once the inputs are opened ([`check_options`]).

use crate::error::{Context, Error, Result};
use crate::{bail, err};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One input named on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputSpec {
    /// A file path. Objects between `--start-lib` and `--end-lib` behave like archive
    /// members (`lazy`).
    File {
        path: PathBuf,
        whole_archive: bool,
        lazy: bool,
        /// The last `-Bdynamic` (`Some(true)`) or `-Bstatic` (`Some(false)`) before it: whether
        /// a shared library may be linked against here (see `input::links_dynamically`).
        bdynamic: Option<bool>,
    },
    /// `-lNAME`: looked up as `libNAME.a` in the search paths, `libNAME.so` first when
    /// linking dynamically (`-l:NAME` looks up NAME). `bdynamic` is the last `-Bdynamic`
    /// (`Some(true)`) or `-Bstatic` (`Some(false)`) before it (see `input::find_library`).
    Library {
        name: String,
        whole_archive: bool,
        bdynamic: Option<bool>,
    },
}

/// Whether to print the version: `-v` prints it and links, `--version` prints it and stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    No,
    Print,
    PrintAndStop,
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
    /// `-o`: empty when not given (wasm-ld then refuses to link: `no output file specified`);
    /// `-` writes the module to stdout.
    pub output: PathBuf,
    /// `-Map`/`--Map`: checked to be writable before the link, as wasm-ld does, then refused
    /// (touchstone-ld writes no link map).
    pub map_file: Option<PathBuf>,
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
    /// `--noinhibit-exec`: what wasm-ld reports with `errorOrWarn` (a duplicate symbol) is a
    /// warning, and the output is written.
    pub noinhibit_exec: bool,
    /// `-Bsymbolic`: only means something with `-shared` (warned about otherwise).
    pub bsymbolic: bool,
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
    /// `--verbose`: wasm-ld's debug log, which is not a contract; accepted, prints nothing.
    /// `--trace` / `-t`: print each input file as it is loaded.
    pub trace: bool,
    /// `--trace-symbol` / `-y`: print where these symbols are defined and referenced.
    pub trace_symbols: Vec<String>,
    /// `--why-extract=FILE` (`-` for stdout): why each archive member was extracted.
    pub why_extract: Option<PathBuf>,
    pub fatal_warnings: bool,
    /// `--wrap=NAME`, in command-line order (repeats are ignored where they are read).
    pub wrap: Vec<String>,
    /// `--error-limit=N`: errors printed before wasm-ld stops with "too many errors emitted"
    /// (20 by default; 0 is no limit; a negative N wraps, as in lld, to no practical limit).
    pub error_limit: u64,
    /// Warnings about the command line itself (`unknown -z value: X`), reported with the
    /// link's.
    pub warnings: Vec<String>,
    /// `--version` / `-v`.
    pub version: Version,
    /// `--help`: print the options (`help_text`) and stop.
    pub help: bool,
    /// `--experimental-pic`: no "not yet stable" warnings for `-shared`, `-pie` and
    /// `--unresolved-symbols=import-dynamic`.
    pub experimental_pic: bool,
    /// `--touchstone-validate` (our extension): validate the output before writing it.
    pub validate: bool,
    /// `--reproduce=FILE`: write a tar file of the inputs and [`Config::response_file`].
    pub reproduce: Option<PathBuf>,
    /// The command line as `--reproduce` records it, one argument a line.
    pub response_file: String,
    pub relocatable: bool,
    pub emit_relocs: bool,
    pub pie: bool,
    pub shared: bool,
    /// `-rpath DIR` (repeatable): the `RUNTIME_PATH` subsection of `dylink.0`.
    pub rpath: Vec<String>,
    /// `--no-shlib-sigcheck`: a function a shared library offers is imported with the
    /// referencing object's signature, unchecked.
    pub no_shlib_sigcheck: bool,
    pub soname: Option<String>,
    pub allow_undefined_file: Option<PathBuf>,
    /// The names those files list: undefined symbols by these names are allowed (functions
    /// become imports, data stays at address 0).
    pub allow_undefined_names: std::collections::HashSet<String>,
    /// `--build-id[=STYLE]`: the `build_id` custom section.
    pub build_id: BuildId,
    pub compress_relocations: bool,
    /// `-m wasm32|wasm64`; a wasm64 object needs `-m wasm64` (resolve's `check_arch`).
    pub is64: Option<bool>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            inputs: Vec::new(),
            search_paths: Vec::new(),
            output: PathBuf::new(),
            map_file: None,
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
            noinhibit_exec: false,
            bsymbolic: false,
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
            trace: false,
            trace_symbols: Vec::new(),
            why_extract: None,
            fatal_warnings: false,
            wrap: Vec::new(),
            error_limit: 20,
            warnings: Vec::new(),
            version: Version::No,
            help: false,
            experimental_pic: false,
            validate: false,
            reproduce: None,
            response_file: String::new(),
            relocatable: false,
            emit_relocs: false,
            pie: false,
            shared: false,
            rpath: Vec::new(),
            no_shlib_sigcheck: false,
            soname: None,
            allow_undefined_file: None,
            allow_undefined_names: Default::default(),
            build_id: BuildId::None,
            compress_relocations: false,
            is64: None,
        }
    }
}

/// How `@file` response files are split into arguments (`--rsp-quoting=posix|windows`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quoting {
    /// LLVM's `TokenizeGNUCommandLine`: whitespace separates, `\` escapes the next character,
    /// `'...'` and `"..."` quote.
    Posix,
    /// LLVM's `TokenizeWindowsCommandLine` (the MSVC rules): `\` is literal unless a run of them
    /// ends at a `"`, `"..."` quotes and `""` inside quotes is one `"`.
    Windows,
}

/// The quoting of response files, as wasm-ld's `getQuotingStyle` decides it: the last
/// `--rsp-quoting` among the arguments as given (response files unread), else POSIX (wasm-ld's
/// default on a host that is not Windows). The arguments are lexed once for this alone, their
/// errors left to the real parse.
fn quoting(args: &[String]) -> Result<Quoting> {
    let (tokens, _) = lex(args);
    let last = tokens.iter().rev().find_map(|t| match t {
        Token::Option("rsp-quoting", _, g) => Some(g.value()),
        _ => None,
    });
    match last {
        None | Some("posix") => Ok(Quoting::Posix),
        Some("windows") => Ok(Quoting::Windows),
        Some(other) => bail!("invalid response file quoting: {other}"),
    }
}

/// Expands `@file` response files, recursively, split as `quoting` says.
fn expand_response_files(args: &[String], depth: u32, quoting: Quoting) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for a in args {
        if let Some(path) = a.strip_prefix('@') {
            if depth > 20 {
                bail!("@{path}: response files nested too deeply");
            }
            let text =
                std::fs::read_to_string(path).with_context(|| format!("cannot open @{path}"))?;
            let words = match quoting {
                Quoting::Posix => split_posix(&text),
                Quoting::Windows => split_windows(&text),
            };
            out.extend(expand_response_files(&words, depth + 1, quoting)?);
        } else {
            out.push(a.clone());
        }
    }
    Ok(out)
}

/// Splits a response file with the POSIX (GNU) rules. A word is made of plain characters,
/// `\c` (the character c; a `\` that ends the text is itself) and quoted runs (`\` escapes
/// inside them too, an unterminated quote runs to the end); `""` alone makes no word.
fn split_posix(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some() => cur.extend(chars.next()),
            '"' | '\'' => {
                while let Some(q) = chars.next() {
                    if q == c {
                        break;
                    }
                    match q {
                        '\\' if chars.peek().is_some() => cur.extend(chars.next()),
                        _ => cur.push(q),
                    }
                }
            }
            c if c.is_whitespace() => {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// Splits a response file with the Windows (MSVC) rules. A run of n backslashes followed by
/// `"` is n/2 backslashes, then, for an odd n, a literal `"`, for an even n a quote
/// delimiter; any other backslash is literal. Inside quotes `""` is a literal `"`. A word ends
/// at whitespace outside quotes; `""` makes an empty word.
fn split_windows(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    // Whether a word has begun (an empty quoted word counts), and whether inside quotes.
    let (mut in_word, mut quoted) = (false, false);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '\\' => {
                let mut n = 1;
                while chars.get(i) == Some(&'\\') {
                    n += 1;
                    i += 1;
                }
                if chars.get(i) == Some(&'"') {
                    cur.extend(std::iter::repeat_n('\\', n / 2));
                    if n % 2 == 1 {
                        cur.push('"');
                        i += 1;
                    }
                } else {
                    cur.extend(std::iter::repeat_n('\\', n));
                }
                in_word = true;
            }
            '"' if quoted && chars.get(i) == Some(&'"') => {
                cur.push('"');
                i += 1;
            }
            '"' => {
                quoted = !quoted;
                in_word = true;
            }
            c if c.is_whitespace() && !quoted => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
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

/// How an option is spelled: the helper classes of lld/wasm/Options.td.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// `F<name>`: a flag, `-name` or `--name`.
    F,
    /// `FF<name>`: a flag, `--name` only.
    FF,
    /// `J<"name=">`: the value joined, `-name=v` or `--name=v` (the name holds the `=`).
    J,
    /// `JJ<"name=">`: the value joined, `--name=v` only (`--lto-O2` has no `=`).
    JJ,
    /// `S<name>`: the value separate, `-name v` or `--name v`.
    S,
    /// `Eq<name>`: `S<name>` plus `J<"name=">`: `-name v`, `--name v`, `-name=v`, `--name=v`.
    Eq,
    /// `EEq<name>`: the same with `--` only.
    EEq,
    /// `Flag<["-"], name>`: a one-dash flag (`-E`, `-s`).
    Short,
    /// `Separate<["-"], name>`: a one-dash option with a separate value.
    ShortSeparate,
    /// `JoinedOrSeparate<["-"], name>`: `-lc` or `-l c`.
    JoinedOrSeparate,
    /// `CommaJoined<["--", "-"], "name=">`: `--name=a,b`, the values split at commas.
    CommaJoined,
}

/// How one matcher of a [`Form`] takes its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Flag,
    Joined,
    Separate,
    JoinedOrSeparate,
    CommaJoined,
}

impl Form {
    /// The dashes the option may start with.
    fn dashes(self) -> &'static [&'static str] {
        match self {
            Form::F | Form::J | Form::S | Form::Eq | Form::CommaJoined => &["--", "-"],
            Form::FF | Form::JJ | Form::EEq => &["--"],
            Form::Short | Form::ShortSeparate | Form::JoinedOrSeparate => &["-"],
        }
    }

    /// The matchers the form stands for: text the option name continues with, and how the
    /// value is given. `Eq` is two options in Options.td, `name` and its alias `name=`.
    fn matchers(self) -> &'static [(&'static str, Kind)] {
        match self {
            Form::F | Form::FF | Form::Short => &[("", Kind::Flag)],
            Form::J | Form::JJ => &[("", Kind::Joined)],
            Form::S | Form::ShortSeparate => &[("", Kind::Separate)],
            Form::Eq | Form::EEq => &[("", Kind::Separate), ("=", Kind::Joined)],
            Form::JoinedOrSeparate => &[("", Kind::JoinedOrSeparate)],
            Form::CommaJoined => &[("", Kind::CommaJoined)],
        }
    }
}

/// One option as given on the command line.
#[derive(Clone, Debug)]
struct Given {
    /// The argument that named the option, as written (without a separate value): wasm-ld
    /// quotes it in its diagnostics, e.g. `--global-base=x: number expected, but got 'x'`.
    arg: String,
    /// The value; None for a flag.
    value: Option<String>,
    /// Whether the value was joined to the option name (`--x=v`, `-lc`).
    joined: bool,
    /// The option as `--reproduce`'s response file writes it (LLVM's `Arg::getAsString`): as
    /// given, but a joined-or-separate one always separate (`-lc` is written `-l c`).
    rendered: String,
}

impl Given {
    fn value(&self) -> &str {
        self.value.as_deref().unwrap_or("")
    }

    /// A comma-joined option's values, empty pieces dropped (as LLVM's OptTable does).
    fn comma_values(&self) -> impl Iterator<Item = String> + '_ {
        self.value()
            .split(',')
            .filter(|v| !v.is_empty())
            .map(String::from)
    }
}

/// What an option does to the parse.
type Apply = fn(&mut State, &Given);

/// Options that wasm-ld reads with getLastArg: only the last occurrence (of any of the
/// spellings sharing a key) is checked and used; see [`finish`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Last {
    BuildId,
    Color,
    Emulation,
    ErrorLimit,
    ExportMemoryName,
    GlobalBase,
    ImportMemoryName,
    InitialHeap,
    InitialMemory,
    LtoCgo,
    LtoO,
    LtoPartitions,
    MaxMemory,
    Optimize,
    PageSize,
    TableBase,
    ThinltoJobs,
    Threads,
    UnresolvedSymbols,
}

/// The parse in progress.
#[derive(Default)]
struct State {
    c: Config,
    whole_archive: bool,
    lazy: bool,
    /// `-M` / `--print-map`: the link map goes to stdout (over any `-Map`).
    print_map: bool,
    /// The last `-Bdynamic` (true) or `-Bstatic` (false) so far.
    bdynamic: Option<bool>,
    /// `--import-memory` / `--export-memory` without a name (a name given with `=` wins
    /// wherever it appears, as in wasm-ld).
    import_memory: bool,
    export_memory: bool,
    /// `-z muldefs` was given.
    z_muldefs: bool,
    /// The last of `--gc-sections` / `--no-gc-sections` (the default depends on `-r`).
    gc_sections: Option<bool>,
    /// The last of `--merge-data-segments` / `--no-merge-data-segments` (the default
    /// depends on `-r` too).
    merge_data_segments: Option<bool>,
    /// The last of `--export-dynamic` / `--no-export-dynamic` (the default depends on
    /// `-shared`).
    export_dynamic: Option<bool>,
    last: HashMap<Last, Given>,
    /// The first error found while applying the options.
    error: Option<Error>,
}

impl State {
    fn fail(&mut self, e: Error) {
        self.error.get_or_insert(e);
    }

    fn keep_last(&mut self, key: Last, g: &Given) {
        self.last.insert(key, g.clone());
    }
}

/// wasm-ld 22's options (every one, so that matching finds the same option wasm-ld does),
/// each with its spelling and what it does here. Checked form by form against rust-lld 22.
#[rustfmt::skip]
const OPTIONS: &[(Form, &str, Apply)] = {
    use Form::{CommaJoined, EEq, Eq, JoinedOrSeparate, Short, ShortSeparate, F, FF, J, JJ, S};
    &[
        (F, "allow-multiple-definition", |s, _| s.c.allow_multiple_definition = true),
        (F, "no-allow-multiple-definition", |s, _| s.c.allow_multiple_definition = false),
        (F, "allow-undefined", |s, _| s.c.allow_undefined = true),
        // The last one counts: wasm-ld 22 reads only that file.
        (J, "allow-undefined-file=", allow_undefined_file),
        (ShortSeparate, "allow-undefined-file", allow_undefined_file),
        (F, "Bdynamic", |s, _| s.bdynamic = Some(true)),
        (F, "Bstatic", |s, _| s.bdynamic = Some(false)),
        (F, "Bsymbolic", |s, _| s.c.bsymbolic = true),
        (F, "build-id", |s, g| s.keep_last(Last::BuildId, g)),
        (J, "build-id=", |s, g| s.keep_last(Last::BuildId, g)),
        (F, "call_shared", ignore),
        (FF, "check-features", |s, _| s.c.check_features = true),
        (FF, "no-check-features", |s, _| s.c.check_features = false),
        (F, "color-diagnostics", |s, g| s.keep_last(Last::Color, g)),
        (F, "no-color-diagnostics", |s, g| s.keep_last(Last::Color, g)),
        (J, "color-diagnostics=", |s, g| s.keep_last(Last::Color, g)),
        (F, "compress-relocations", |s, _| s.c.compress_relocations = true),
        (F, "demangle", |s, _| s.c.demangle = true),
        (F, "no-demangle", |s, _| s.c.demangle = false),
        (F, "disable-verify", ignore),
        (F, "dn", ignore),
        (F, "dy", ignore),
        (F, "emit-relocs", |s, _| s.c.emit_relocs = true),
        (F, "end-lib", |s, _| {
            if !s.lazy {
                s.fail(err!("stray --end-lib"));
            }
            s.lazy = false;
        }),
        (S, "entry", entry),
        (J, "entry=", entry),
        (JoinedOrSeparate, "e", entry),
        (EEq, "error-limit", |s, g| s.keep_last(Last::ErrorLimit, g)),
        (F, "error-unresolved-symbols", |s, _| s.c.warn_unresolved = false),
        (FF, "experimental-pic", |s, _| s.c.experimental_pic = true),
        (FF, "export-all", |s, _| s.c.export_all = true),
        (F, "export-dynamic", |s, _| s.export_dynamic = Some(true)),
        (F, "no-export-dynamic", |s, _| s.export_dynamic = Some(false)),
        (Short, "E", |s, _| s.export_dynamic = Some(true)),
        (Eq, "export", |s, g| s.c.exports.push(g.value().into())),
        (Eq, "export-if-defined", |s, g| s.c.exports_if_defined.push(g.value().into())),
        (FF, "export-memory", |s, _| s.export_memory = true),
        (JJ, "export-memory=", |s, g| s.keep_last(Last::ExportMemoryName, g)),
        (FF, "export-table", |s, _| s.c.export_table = true),
        (CommaJoined, "extra-features=", |s, g| s.c.extra_features.extend(g.comma_values())),
        (F, "fatal-warnings", |s, _| s.c.fatal_warnings = true),
        (F, "no-fatal-warnings", |s, _| s.c.fatal_warnings = false),
        (CommaJoined, "features=", |s, g| s.c.features = Some(g.comma_values().collect())),
        (F, "gc-sections", |s, _| s.gc_sections = Some(true)),
        (F, "no-gc-sections", |s, _| s.gc_sections = Some(false)),
        (JJ, "global-base=", |s, g| s.keep_last(Last::GlobalBase, g)),
        (FF, "growable-table", |s, _| s.c.growable_table = true),
        (F, "help", |s, _| s.c.help = true),
        (FF, "import-memory", |s, _| s.import_memory = true),
        (JJ, "import-memory=", |s, g| s.keep_last(Last::ImportMemoryName, g)),
        (FF, "import-table", |s, _| s.c.import_table = true),
        (F, "import-undefined", |s, _| s.c.import_undefined = true),
        (JJ, "initial-heap=", |s, g| s.keep_last(Last::InitialHeap, g)),
        (JJ, "initial-memory=", |s, g| s.keep_last(Last::InitialMemory, g)),
        // An alias of --initial-memory= without a value: wasm-ld reads '' and refuses it.
        (Short, "i", |s, g| s.keep_last(Last::InitialMemory, g)),
        (Eq, "keep-section", |s, g| s.c.keep_sections.push(g.value().into())),
        (JoinedOrSeparate, "l", library),
        (Eq, "library", library),
        (JoinedOrSeparate, "L", |s, g| s.c.search_paths.push(PathBuf::from(g.value()))),
        (Eq, "library-path", |s, g| s.c.search_paths.push(PathBuf::from(g.value()))),
        (JJ, "lto-CGO", |s, g| s.keep_last(Last::LtoCgo, g)),
        (FF, "lto-debug-pass-manager", unsupported),
        (JJ, "lto-obj-path=", unsupported),
        (JJ, "lto-O", |s, g| s.keep_last(Last::LtoO, g)),
        (JJ, "lto-partitions=", |s, g| s.keep_last(Last::LtoPartitions, g)),
        (JoinedOrSeparate, "m", |s, g| s.keep_last(Last::Emulation, g)),
        // The last one counts (getLastArgValue); refused when the link starts.
        (Eq, "Map", |s, g| s.c.map_file = Some(PathBuf::from(g.value()))),
        (JJ, "max-memory=", |s, g| s.keep_last(Last::MaxMemory, g)),
        (FF, "merge-data-segments", |s, _| s.merge_data_segments = Some(true)),
        (FF, "no-merge-data-segments", |s, _| s.merge_data_segments = Some(false)),
        (Eq, "mllvm", ignore),
        (Short, "M", |s, _| s.print_map = true),
        (FF, "no-entry", |s, _| {
            s.c.entry = None;
            s.c.entry_explicit = true;
        }),
        (FF, "no-growable-memory", |s, _| s.c.no_growable_memory = true),
        (FF, "no-shlib-sigcheck", |s, _| s.c.no_shlib_sigcheck = true),
        (F, "noinhibit-exec", |s, _| s.c.noinhibit_exec = true),
        (F, "non_shared", ignore),
        (JoinedOrSeparate, "O", |s, g| s.keep_last(Last::Optimize, g)),
        (JoinedOrSeparate, "o", |s, g| s.c.output = PathBuf::from(g.value())),
        (JJ, "page-size=", |s, g| s.keep_last(Last::PageSize, g)),
        (F, "pie", |s, _| s.c.pie = true),
        (F, "no-pie", |s, _| s.c.pie = false),
        (F, "print-gc-sections", |s, _| s.c.print_gc_sections = true),
        (F, "no-print-gc-sections", |s, _| s.c.print_gc_sections = false),
        (F, "print-map", |s, _| s.print_map = true),
        (F, "relocatable", |s, _| s.c.relocatable = true),
        (Short, "r", |s, _| s.c.relocatable = true),
        (EEq, "reproduce", |s, g| s.c.reproduce = Some(PathBuf::from(g.value()))),
        (Eq, "rpath", |s, g| s.c.rpath.push(g.value().into())),
        // Read before the response files are expanded ([`quoting`]); one inside a response
        // file has no effect.
        (Eq, "rsp-quoting", ignore),
        (F, "save-temps", unsupported),
        (F, "shared", |s, _| s.c.shared = true),
        (FF, "shared-memory", |s, _| s.c.shared_memory = true),
        (Eq, "soname", |s, g| s.c.soname = Some(g.value().into())),
        (F, "stack-first", |s, _| s.c.stack_first = true),
        (F, "no-stack-first", |s, _| s.c.stack_first = false),
        (F, "start-lib", |s, _| {
            if s.lazy {
                s.fail(err!("nested --start-lib"));
            }
            s.lazy = true;
        }),
        (F, "static", ignore),
        (F, "strip-all", |s, _| s.c.strip_all = true),
        (Short, "s", |s, _| s.c.strip_all = true),
        (F, "strip-debug", |s, _| s.c.strip_debug = true),
        (Short, "S", |s, _| s.c.strip_debug = true),
        (JJ, "table-base=", |s, g| s.keep_last(Last::TableBase, g)),
        (JJ, "thinlto-cache-dir=", ignore),
        (EEq, "thinlto-cache-policy", unsupported),
        // Touchstone's own: not a wasm-ld option (see `crate::validate`).
        (FF, "touchstone-validate", |s, _| s.c.validate = true),
        (FF, "thinlto-emit-imports-files", unsupported),
        (FF, "thinlto-emit-index-files", unsupported),
        (FF, "thinlto-index-only", unsupported),
        (JJ, "thinlto-index-only=", unsupported),
        (JJ, "thinlto-jobs=", |s, g| s.keep_last(Last::ThinltoJobs, g)),
        (JJ, "thinlto-object-suffix-replace=", unsupported),
        (JJ, "thinlto-prefix-replace=", unsupported),
        (Eq, "threads", |s, g| s.keep_last(Last::Threads, g)),
        (F, "trace", |s, _| s.c.trace = true),
        (Short, "t", |s, _| s.c.trace = true),
        (Eq, "trace-symbol", |s, g| s.c.trace_symbols.push(g.value().into())),
        (JoinedOrSeparate, "y", |s, g| s.c.trace_symbols.push(g.value().into())),
        (Eq, "undefined", |s, g| s.c.undefined.push(g.value().into())),
        (JoinedOrSeparate, "u", |s, g| s.c.undefined.push(g.value().into())),
        (Eq, "unresolved-symbols", |s, g| s.keep_last(Last::UnresolvedSymbols, g)),
        // wasm-ld's --verbose turns on its debug log (`log()`: "Processing: a.o", ...), which is
        // not a contract: accepted, and touchstone-ld prints nothing for it.
        (F, "verbose", ignore),
        // wasm-ld prints its version; --version then stops, -v goes on linking.
        (F, "version", |s, _| s.c.version = Version::PrintAndStop),
        (Short, "v", print_version),
        (Short, "V", print_version),
        (F, "warn-unresolved-symbols", |s, _| s.c.warn_unresolved = true),
        (F, "whole-archive", |s, _| s.whole_archive = true),
        (F, "no-whole-archive", |s, _| s.whole_archive = false),
        // The last one counts; an empty name turns it off (wasm-ld's getLastArgValue).
        (JJ, "why-extract=", |s, g| {
            s.c.why_extract = Some(PathBuf::from(g.value())).filter(|p| !p.as_os_str().is_empty());
        }),
        (Eq, "wrap", |s, g| s.c.wrap.push(g.value().to_string())),
        (JoinedOrSeparate, "z", z_option),
    ]
};

/// `-v` (and its alias `-V`): print the version and link.
fn print_version(s: &mut State, _: &Given) {
    if s.c.version == Version::No {
        s.c.version = Version::Print;
    }
}

/// Accepted and without effect on the output of a static link.
fn ignore(_: &mut State, _: &Given) {}

/// A wasm-ld option touchstone-ld does not implement.
fn unsupported(s: &mut State, g: &Given) {
    s.fail(err!("{}: not supported by touchstone-ld", g.arg));
}

fn allow_undefined_file(s: &mut State, g: &Given) {
    s.c.allow_undefined_file = Some(PathBuf::from(g.value()));
}

fn entry(s: &mut State, g: &Given) {
    // An empty name means no entry, as in wasm-ld.
    s.c.entry = Some(g.value().to_string()).filter(|e| !e.is_empty());
    s.c.entry_explicit = true;
}

fn library(s: &mut State, g: &Given) {
    let name = g.value().to_string();
    let (whole_archive, bdynamic) = (s.whole_archive, s.bdynamic);
    s.c.inputs.push(InputSpec::Library {
        name,
        whole_archive,
        bdynamic,
    });
}

/// `-z KEY[=VALUE]`: wasm-ld knows two keywords. `stack-size=N`: every occurrence is checked
/// and the last counts. `muldefs`, exactly, is `--allow-multiple-definition` whatever
/// `--no-allow-multiple-definition` says (lld's `hasZOption`). Other keywords (`-z noexecstack`
/// from generic drivers) get wasm-ld's warning and are ignored; like lld's `isKnownZFlag`, the
/// warning spares any keyword that begins with `stack-size=` or `muldefs`.
fn z_option(s: &mut State, g: &Given) {
    let known = ["stack-size=", "muldefs"];
    if !known.iter().any(|k| g.value().starts_with(k)) {
        s.c.warnings
            .push(format!("unknown -z value: {}", g.value()));
    }
    if g.value() == "muldefs" {
        s.z_muldefs = true;
    }
    let (key, value) = g.value().split_once('=').unwrap_or((g.value(), ""));
    if key == "stack-size" {
        match auto_radix(value) {
            Some(n) => s.c.stack_size = n,
            None => s.fail(err!("invalid stack-size: {value}")),
        }
    }
}

/// An argument as a token: an input or a matched option (its name in [`OPTIONS`]).
enum Token {
    Input(String),
    Option(&'static str, Apply, Given),
}

/// An option whose dashes and name begin an argument.
struct Candidate {
    /// Bytes of the argument taken by the dashes, the name and the matcher's suffix.
    len: usize,
    kind: Kind,
    /// The `name=` alias of an `Eq` option's separate form.
    eq_alias: bool,
    name: &'static str,
    apply: Apply,
}

/// The options an argument may be, the longest name first (LLVM's OptTable keeps its options
/// sorted so that a name comes after every longer name it begins, and tries them in order).
fn candidates(arg: &str) -> Vec<Candidate> {
    let mut found = Vec::new();
    for &(form, name, apply) in OPTIONS {
        for dash in form.dashes() {
            let Some(rest) = arg.strip_prefix(dash).and_then(|r| r.strip_prefix(name)) else {
                continue;
            };
            for &(suffix, kind) in form.matchers() {
                if rest.starts_with(suffix) {
                    let len = dash.len() + name.len() + suffix.len();
                    let c = Candidate {
                        len,
                        kind,
                        eq_alias: suffix == "=",
                        name,
                        apply,
                    };
                    found.push((name.len() + suffix.len(), c));
                }
            }
        }
    }
    found.sort_by_key(|(name_len, _)| std::cmp::Reverse(*name_len));
    found.into_iter().map(|(_, c)| c).collect()
}

/// Splits the command line into inputs and options, with what wasm-ld refuses while parsing:
/// a missing separate value first (wasm-ld stops there), then unknown arguments. The tokens
/// are those read before a missing value, or all of them.
fn lex(args: &[String]) -> (Vec<Token>, Result<()>) {
    let mut tokens = Vec::new();
    let mut unknown: Option<&str> = None;
    let mut i = 0;
    'args: while i < args.len() {
        let arg = &args[i];
        i += 1;
        // An empty argument is skipped where an option or an input would begin (LLVM's
        // OptTable ignores it), though it is taken as a separate option's value.
        if arg.is_empty() {
            continue;
        }
        if arg == "-" || !arg.starts_with('-') {
            tokens.push(Token::Input(arg.clone()));
            continue;
        }
        for c in candidates(arg) {
            let rest = &arg[c.len..];
            let separate = match c.kind {
                Kind::Flag | Kind::Separate if !rest.is_empty() => continue,
                Kind::Flag => None,
                Kind::Separate => Some(true),
                Kind::JoinedOrSeparate => Some(rest.is_empty()),
                Kind::Joined | Kind::CommaJoined => Some(false),
            };
            let given = match separate {
                None => Given {
                    arg: arg.clone(),
                    value: None,
                    joined: false,
                    rendered: arg.clone(),
                },
                Some(true) => {
                    let Some(value) = args.get(i) else {
                        return (tokens, Err(err!("{arg}: missing argument")));
                    };
                    i += 1;
                    Given {
                        arg: arg.clone(),
                        value: Some(value.clone()),
                        joined: false,
                        rendered: format!("{arg} {value}"),
                    }
                }
                Some(false) => Given {
                    arg: arg.clone(),
                    value: Some(rest.to_string()),
                    joined: true,
                    // `-lc` and `--export=f` (an alias of `--export f`) are written separate.
                    rendered: match (c.kind, c.eq_alias) {
                        (Kind::JoinedOrSeparate, _) => format!("{} {rest}", &arg[..c.len]),
                        (_, true) => format!("{} {rest}", &arg[..c.len - 1]),
                        _ => arg.clone(),
                    },
                },
            };
            tokens.push(Token::Option(c.name, c.apply, given));
            continue 'args;
        }
        unknown.get_or_insert(arg);
    }
    let result = match unknown {
        Some(arg) => Err(err!("unknown argument: {arg}")),
        None => Ok(()),
    };
    (tokens, result)
}

/// Parses wasm-ld's command line (without the program name). Warnings about the command line
/// are in [`Config::warnings`].
pub fn parse(args: &[String]) -> Result<Config> {
    let line = parse_with_warnings(args);
    let mut config = line.config?;
    config.warnings = line.warnings;
    Ok(config)
}

/// A command line read as wasm-ld reads it, with the warnings it gave on the way.
pub struct CommandLine {
    /// The warnings, in order, including those given before an error (wasm-ld warns about an
    /// unknown `-z` keyword before it reads the other options); [`Config::warnings`] is empty.
    pub warnings: Vec<String>,
    /// `--fatal-warnings` was given: wasm-ld reports the warnings as errors.
    pub fatal_warnings: bool,
    /// [`Config::error_limit`] (the default when the command line is refused).
    pub error_limit: u64,
    pub config: Result<Config>,
}

/// Parses wasm-ld's command line (without the program name) and keeps the warnings apart, so
/// that they can be printed before the link, as wasm-ld prints them.
pub fn parse_with_warnings(args: &[String]) -> CommandLine {
    let mut s = State::default();
    let expanded = quoting(args).and_then(|q| expand_response_files(args, 0, q));
    let config = expanded.and_then(|args| {
        let (tokens, lexed) = lex(&args);
        lexed?;
        for token in tokens {
            s.c.response_file.push_str(&response_line(&token));
            match token {
                Token::Input(path) => s.c.inputs.push(InputSpec::File {
                    path: PathBuf::from(path),
                    whole_archive: s.whole_archive,
                    lazy: s.lazy,
                    bdynamic: s.bdynamic,
                }),
                Token::Option(_, apply, given) => apply(&mut s, &given),
            }
        }
        Ok(())
    });
    let mut warnings = std::mem::take(&mut s.c.warnings);
    let fatal_warnings = s.c.fatal_warnings;
    let config = config.and_then(|()| finish(s)).map(|mut c| {
        warnings.append(&mut c.warnings);
        c
    });
    CommandLine {
        warnings,
        fatal_warnings,
        error_limit: config.as_ref().map_or(20, |c| c.error_limit),
        config,
    }
}

/// One argument as `--reproduce`'s response.txt writes it (lld's `createResponseFile`): an
/// input by its path inside the tar file, `-o` by its file name only (the tar holds no
/// directories to write into), `--reproduce` not at all, anything else as given.
fn response_line(token: &Token) -> String {
    match token {
        Token::Input(path) => format!("{}\n", quote(&relative_to_root(Path::new(path)))),
        Token::Option("reproduce", _, _) => String::new(),
        Token::Option("o", _, given) => {
            let name = Path::new(given.value()).file_name().unwrap_or_default();
            format!("-o {}\n", quote(&name.to_string_lossy()))
        }
        Token::Option(_, _, given) => format!("{}\n", given.rendered),
    }
}

/// A path with a space in double quotes (lld's `quote`).
fn quote(s: &str) -> String {
    if s.contains(' ') {
        format!("\"{s}\"")
    } else {
        s.to_string()
    }
}

/// Where `--reproduce` stores a file: its absolute path, `.` and `..` resolved by name,
/// without the leading `/` (lld's `relativeToRoot`).
pub fn relative_to_root(path: &Path) -> String {
    let absolute = std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for part in absolute.components() {
        match part {
            std::path::Component::Normal(p) => parts.push(p),
            std::path::Component::ParentDir => {
                parts.pop();
            }
            _ => {}
        }
    }
    let joined: PathBuf = parts.iter().collect();
    joined.to_string_lossy().into_owned()
}

/// Checks and applies the options wasm-ld reads with getLastArg, then the whole-link rules.
fn finish(mut s: State) -> Result<Config> {
    if let Some(e) = s.error.take() {
        return Err(e);
    }
    if s.print_map {
        s.c.map_file = Some(PathBuf::from("-"));
    }
    let last = std::mem::take(&mut s.last);
    let get = |key| last.get(&key);
    let c = &mut s.c;
    if let Some(g) = get(Last::BuildId) {
        c.build_id = parse_build_id(g.value.as_deref())?;
    }
    if let Some(g) = get(Last::Color) {
        if g.joined && !["auto", "always", "never"].contains(&g.value()) {
            bail!("unknown option: --color-diagnostics={}", g.value());
        }
    }
    if let Some(g) = get(Last::Emulation) {
        c.is64 = match g.value() {
            "wasm32" => Some(false),
            "wasm64" => Some(true),
            other => bail!("invalid target architecture: {other}"),
        };
    }
    if let Some(g) = get(Last::ErrorLimit) {
        c.error_limit = integer(g)? as u64;
    }
    if let Some(g) = get(Last::GlobalBase) {
        c.global_base = Some(unsigned(g)?);
    }
    if let Some(g) = get(Last::TableBase) {
        c.table_base = Some(unsigned(g)?);
    }
    if let Some(g) = get(Last::InitialMemory) {
        c.initial_memory = Some(unsigned(g)?);
    }
    if let Some(g) = get(Last::InitialHeap) {
        c.initial_heap = Some(unsigned(g)?);
    }
    if let Some(g) = get(Last::MaxMemory) {
        c.max_memory = Some(unsigned(g)?);
    }
    if let Some(g) = get(Last::PageSize) {
        let size = unsigned(g)?;
        if size != 1 && size != 65536 {
            bail!("--page_size=N must be either 1 or 65536");
        }
        c.page_size = Some(size);
    }
    if let Some(g) = get(Last::Optimize) {
        // wasm-ld keeps it in an unsigned: -O-1 is a high level.
        c.opt_level = integer(g)? as u32;
    }
    if let Some(g) = get(Last::LtoO) {
        let level = integer(g)? as u32;
        if level > 3 {
            bail!("invalid optimization level for LTO: {level}");
        }
    }
    if let Some(g) = get(Last::LtoCgo) {
        let level = integer(g)? as u32;
        if level > 3 {
            bail!("invalid codegen optimization level for LTO: {level}");
        }
    }
    if let Some(g) = get(Last::LtoPartitions) {
        if integer(g)? == 0 {
            bail!("--lto-partitions: number of threads must be > 0");
        }
    }
    if let Some(g) = get(Last::Threads) {
        if !auto_radix(g.value()).is_some_and(|n| (1..=u32::MAX as u64).contains(&n)) {
            // The joined form is an alias: wasm-ld names the option it stands for.
            let spelling = if g.joined { "--threads" } else { &g.arg };
            bail!(
                "{spelling}: expected a positive integer, but got '{}'",
                g.value()
            );
        }
    }
    // --thinlto-jobs defaults to the --threads value, checked as a job count.
    if let Some(g) = get(Last::ThinltoJobs).or(get(Last::Threads)) {
        let v = g.value();
        let count = !v.starts_with('+') && v.parse::<u32>().is_ok();
        if v != "all" && !count {
            bail!("--thinlto-jobs: invalid job count: {v}");
        }
    }
    if let Some(g) = get(Last::UnresolvedSymbols) {
        c.unresolved = match g.value() {
            "report-all" => UnresolvedPolicy::ReportAll,
            "ignore-all" => UnresolvedPolicy::IgnoreAll,
            "import-dynamic" => UnresolvedPolicy::ImportDynamic,
            other => bail!("unknown --unresolved-symbols value: {other}"),
        };
    }
    // A memory name given with `=` wins over the bare flag wherever either appears.
    c.import_memory = match get(Last::ImportMemoryName) {
        Some(g) => Some(match g.value().split_once(',') {
            Some((module, name)) => (module.to_string(), name.to_string()),
            None => ("env".to_string(), g.value().to_string()),
        }),
        // -shared imports its memory (lld's setConfigs).
        None if s.import_memory || c.shared => Some(("env".into(), "memory".into())),
        None => None,
    };
    c.export_memory_given = s.export_memory || get(Last::ExportMemoryName).is_some();
    c.export_memory = match get(Last::ExportMemoryName) {
        Some(g) => Some(g.value().to_string()),
        None if s.export_memory || c.import_memory.is_none() => Some("memory".into()),
        None => None,
    };
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
    c.allow_multiple_definition |= s.z_muldefs;
    // -shared exports every non-hidden symbol unless told not to (lld's setConfigs).
    c.export_dynamic = s.export_dynamic.unwrap_or(c.shared);
    // -r: no entry and no GC unless asked for (lld's getEntry and readConfigs).
    if c.relocatable && !c.entry_explicit {
        c.entry = None;
    }
    // A side module's entry is its constructors, which its loader calls (so it is exported).
    if c.shared && !c.entry_explicit {
        c.entry = Some("__wasm_call_ctors".into());
    }
    c.gc_sections = s.gc_sections.unwrap_or(!c.relocatable);
    // -r keeps each input segment's name (lld's readConfigs: no merging unless asked for).
    c.merge_data_segments = s.merge_data_segments.unwrap_or(!c.relocatable);
    // lld's setConfigs: -shared, -pie and -r import the table; the first errors it finds.
    let pic = c.shared || c.pie;
    if pic && c.export_table {
        bail!("-shared/-pie is incompatible with --export-table");
    }
    if c.relocatable && c.export_table {
        bail!("--relocatable is incompatible with --export-table");
    }
    if c.relocatable && c.growable_table {
        bail!("--relocatable is incompatible with --growable-table");
    }
    if c.shared && c.export_memory_given {
        bail!("--export-memory is incompatible with --shared");
    }
    c.import_table |= pic || c.relocatable;
    // A PIC output's table slots count from its `__table_base`, so from 0 (lld's
    // `setConfigs`; a nonzero --table-base is refused by `check_options`).
    if pic && c.table_base.is_none() {
        c.table_base = Some(0);
    }
    // The warnings of wasm-ld's checkOptions: they depend on the command line alone, so they
    // are given here, before the link, and printed even when it fails later (as wasm-ld
    // prints them). Its errors are [`check_options`]'s.
    // `--experimental-pic` silences the first three, and changes nothing else (checked with
    // rust-lld: the same output bytes with and without it).
    let warn = |yes: bool, message: &str| yes.then(|| message.to_string());
    let experimental = !c.experimental_pic;
    let warnings = [
        warn(
            c.shared && experimental,
            "creating shared libraries, with -shared, is not yet stable",
        ),
        warn(
            c.pie && experimental,
            "creating PIEs, with -pie, is not yet stable",
        ),
        warn(
            c.unresolved == UnresolvedPolicy::ImportDynamic && experimental,
            "dynamic imports are not yet stable (--unresolved-symbols=import-dynamic)",
        ),
        warn(
            c.bsymbolic && !c.shared,
            "-Bsymbolic is only meaningful when combined with -shared",
        ),
    ];
    c.warnings.extend(warnings.into_iter().flatten());
    if !c.stack_size.is_multiple_of(16) {
        bail!("stack size must be 16-byte aligned");
    }
    Ok(s.c)
}

/// wasm-ld's `checkOptions`: the combinations of options it refuses. The driver checks them
/// once the inputs are opened, before it tries the output file; every error is reported, in
/// lld's order, not only the first. `writes`: a file is to be written (building a module in
/// memory needs no `-o`). The warnings of `checkOptions` are [`finish`]'s.
pub fn check_options(c: &Config, writes: bool) -> Result<()> {
    let mut errors = Vec::new();
    let mut refuse = |yes: bool, message: &str| {
        if yes {
            errors.push(message.to_string());
        }
    };
    refuse(
        c.compress_relocations && !c.strip_debug && !c.strip_all,
        "--compress-relocations is incompatible with output debug information. Please pass --strip-debug or --strip-all",
    );
    refuse(
        c.pie && c.shared,
        "-shared and -pie may not be used together",
    );
    refuse(
        writes && c.output.as_os_str().is_empty(),
        "no output file specified",
    );
    refuse(
        c.import_table && c.export_table,
        "--import-table and --export-table may not be used together",
    );
    // A base of 0 counts as none given, as in lld.
    let global_base = c.global_base.is_some_and(|b| b != 0);
    if c.relocatable {
        refuse(
            c.entry.is_some(),
            "entry point specified for relocatable output file",
        );
        refuse(
            c.gc_sections,
            "-r and --gc-sections may not be used together",
        );
        refuse(
            c.compress_relocations,
            "-r -and --compress-relocations may not be used together",
        );
        refuse(
            !c.undefined.is_empty(),
            "-r -and --undefined may not be used together",
        );
        refuse(c.pie, "-r and -pie may not be used together");
        refuse(
            c.shared_memory,
            "-r and --shared-memory may not be used together",
        );
        refuse(global_base, "-r and --global-base may not by used together");
    }
    if c.shared || c.pie {
        refuse(
            global_base,
            "--global-base may not be used with -shared/-pie",
        );
        refuse(
            c.table_base.is_some_and(|b| b != 0),
            "--table-base may not be used with -shared/-pie",
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::new(errors.join("\n")))
    }
}

impl Config {
    /// A position-independent output: `-pie` or `-shared` (lld's `ctx.isPic`). Memory and
    /// table bases are imported, addresses a link cannot know go through the GOT.
    pub fn is_pic(&self) -> bool {
        self.pie || self.shared
    }
}

/// A number as wasm-ld's getInteger reads it: decimal, maybe negative.
fn integer(g: &Given) -> Result<i64> {
    let v = g.value();
    v.parse::<i64>()
        .ok()
        .filter(|_| !v.starts_with('+'))
        .ok_or_else(|| err!("{}: number expected, but got '{v}'", g.arg))
}

/// An [`integer`] for a memory or table layout field. wasm-ld wraps a negative number into its
/// unsigned field (`--global-base=-16` is 2^64 - 16); touchstone-ld refuses it instead.
fn unsigned(g: &Given) -> Result<u64> {
    let n = integer(g)?;
    u64::try_from(n).map_err(|_| {
        err!(
            "{}: negative values are not supported by touchstone-ld (wasm-ld wraps them)",
            g.arg
        )
    })
}

/// A number as LLVM's `to_integer` reads it when not told a radix: `0x` hexadecimal, `0b`
/// binary, `0o` or a leading `0` octal, else decimal; no sign.
fn auto_radix(v: &str) -> Option<u64> {
    let (digits, radix) = if let Some(d) = v.strip_prefix("0x").or(v.strip_prefix("0X")) {
        (d, 16)
    } else if let Some(d) = v.strip_prefix("0b").or(v.strip_prefix("0B")) {
        (d, 2)
    } else if let Some(d) = v.strip_prefix("0o") {
        (d, 8)
    } else if v.len() > 1 && v.starts_with('0') && v.as_bytes()[1].is_ascii_digit() {
        (&v[1..], 8)
    } else {
        (v, 10)
    };
    if digits.starts_with(['+', '-']) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn try_parse(args: &[&str]) -> Result<Config> {
        parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    fn p(args: &[&str]) -> Config {
        try_parse(args).unwrap()
    }

    /// The error message for a command line that must be refused.
    fn refused(args: &[&str]) -> String {
        match try_parse(args) {
            Ok(_) => panic!("{args:?} was accepted"),
            Err(e) => e.to_string(),
        }
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
                whole_archive: false,
                bdynamic: None,
            }
        );
        assert_eq!(c.is64, Some(false));
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
            "--global-base=1024",
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
                bdynamic: None,
            }]
        );
        assert_eq!(c.import_memory, Some(("m".into(), "n".into())));
        assert_eq!(c.export_memory, None);
    }

    #[test]
    fn unknown_option_is_an_error() {
        assert_eq!(refused(&["--frobnicate"]), "unknown argument: --frobnicate");
        // Not wasm-ld 22 options at all.
        for a in [
            "-w",
            "--no-warnings",
            "-q",
            "--sysroot=/x",
            "--output",
            "--no-shared-memory",
        ] {
            assert_eq!(refused(&[a, "x"]), format!("unknown argument: {a}"), "{a}");
        }
        // Three dashes, and `--` alone.
        assert_eq!(refused(&["---export=f"]), "unknown argument: ---export=f");
        assert_eq!(refused(&["--"]), "unknown argument: --");
    }

    #[test]
    fn flags_f_take_one_or_two_dashes_and_no_value() {
        assert!(!p(&["-no-gc-sections"]).gc_sections);
        assert!(!p(&["--no-gc-sections"]).gc_sections);
        assert!(p(&["-stack-first"]).stack_first);
        assert_eq!(
            refused(&["--strip-all=yes"]),
            "unknown argument: --strip-all=yes"
        );
        // A following word is an input, not a value.
        let c = p(&["--strip-debug", "x.o"]);
        assert!(c.strip_debug);
        assert_eq!(c.inputs.len(), 1);
    }

    #[test]
    fn flags_ff_take_two_dashes_only() {
        assert!(p(&["--shared-memory"]).shared_memory);
        assert!(!p(&["--no-check-features"]).check_features);
        assert_eq!(
            refused(&["-shared-memory"]),
            "unknown argument: -shared-memory"
        );
        assert_eq!(refused(&["-no-entry"]), "unknown argument: -no-entry");
        // A one-dash spelling that begins with a JoinedOrSeparate letter is that option.
        let c = p(&["-export-all"]);
        assert!(!c.export_all);
        assert_eq!(c.entry.as_deref(), Some("xport-all"));
        assert_eq!(
            refused(&["-merge-data-segments"]),
            "invalid target architecture: erge-data-segments"
        );
    }

    #[test]
    fn joined_j_takes_one_or_two_dashes() {
        let c = p(&["-allow-undefined-file=/dev/null"]);
        assert_eq!(c.allow_undefined_file, Some(PathBuf::from("/dev/null")));
        assert_eq!(p(&["--build-id=sha1"]).build_id, BuildId::Sha1);
        assert_eq!(p(&["-build-id=uuid"]).build_id, BuildId::Uuid);
        assert_eq!(p(&["--build-id"]).build_id, BuildId::Fast);
        // The flag and the joined option are read as one: the last counts.
        assert_eq!(p(&["--build-id=x", "--build-id"]).build_id, BuildId::Fast);
        // No separate value: `sha1` is an input.
        let c = p(&["--build-id", "sha1"]);
        assert_eq!(c.build_id, BuildId::Fast);
        assert_eq!(c.inputs.len(), 1);
    }

    #[test]
    fn joined_jj_takes_two_dashes_and_no_separate_value() {
        assert_eq!(p(&["--global-base=2048"]).global_base, Some(2048));
        assert_eq!(p(&["--initial-memory=131072"]).initial_memory, Some(131072));
        assert_eq!(
            refused(&["--global-base", "2048"]),
            "unknown argument: --global-base"
        );
        assert_eq!(
            refused(&["-global-base=2048"]),
            "unknown argument: -global-base=2048"
        );
        assert_eq!(
            refused(&["-max-memory=131072"]),
            "invalid target architecture: ax-memory=131072"
        );
        // `lto-O` has no `=`: `--lto-O=2` is the value `=2`.
        assert!(try_parse(&["--lto-O2"]).is_ok());
        assert_eq!(
            refused(&["--lto-O=2"]),
            "--lto-O=2: number expected, but got '=2'"
        );
        assert_eq!(
            refused(&["--lto-O9"]),
            "invalid optimization level for LTO: 9"
        );
    }

    #[test]
    fn memory_names_with_eq_win_over_the_flags() {
        let c = p(&["--import-memory=m,n", "--import-memory"]);
        assert_eq!(c.import_memory, Some(("m".into(), "n".into())));
        assert_eq!(c.export_memory, None);
        let c = p(&["--import-memory=foo"]);
        assert_eq!(c.import_memory, Some(("env".into(), "foo".into())));
        let c = p(&["--import-memory", "--export-memory"]);
        assert_eq!(c.import_memory, Some(("env".into(), "memory".into())));
        assert_eq!(c.export_memory.as_deref(), Some("memory"));
        let c = p(&["--export-memory=x", "--export-memory"]);
        assert_eq!(c.export_memory.as_deref(), Some("x"));
        assert_eq!(
            refused(&["-import-memory"]),
            "unknown argument: -import-memory"
        );
    }

    #[test]
    fn eq_takes_every_form() {
        for args in [
            &["--export=f"][..],
            &["--export", "f"],
            &["-export=f"],
            &["-export", "f"],
        ] {
            assert_eq!(p(args).exports, vec!["f"], "{args:?}");
        }
        assert_eq!(p(&["-undefined", "u"]).undefined, vec!["u"]);
        assert_eq!(p(&["--keep-section=k"]).keep_sections, vec!["k"]);
        assert_eq!(refused(&["--export"]), "--export: missing argument");
        // A separate value is taken whatever it looks like.
        assert_eq!(p(&["--export", "--no-entry"]).exports, vec!["--no-entry"]);
    }

    #[test]
    fn eeq_takes_two_dashes_only() {
        assert!(try_parse(&["--error-limit=5"]).is_ok());
        assert!(try_parse(&["--error-limit", "5"]).is_ok());
        assert_eq!(
            refused(&["--error-limit"]),
            "--error-limit: missing argument"
        );
        assert_eq!(
            refused(&["--error-limit", "x"]),
            "--error-limit: number expected, but got 'x'"
        );
        // One dash: `-e rror-limit=5`.
        assert_eq!(
            p(&["-error-limit=5"]).entry.as_deref(),
            Some("rror-limit=5")
        );
    }

    #[test]
    fn separate_s_and_its_joined_alias() {
        for args in [
            &["--entry", "f"][..],
            &["-entry", "f"],
            &["--entry=f"],
            &["-entry=f"],
            &["-e", "f"],
            &["-ef"],
        ] {
            assert_eq!(p(args).entry.as_deref(), Some("f"), "{args:?}");
        }
        // An empty entry name means no entry.
        assert_eq!(p(&["--entry="]).entry, None);
        assert_eq!(refused(&["--entry"]), "--entry: missing argument");
        assert_eq!(refused(&["--e", "f"]), "unknown argument: --e");
    }

    #[test]
    fn allow_undefined_file_separate_takes_one_dash_only() {
        let c = p(&["-allow-undefined-file", "/dev/null"]);
        assert_eq!(c.allow_undefined_file, Some(PathBuf::from("/dev/null")));
        assert_eq!(
            refused(&["--allow-undefined-file", "/dev/null"]),
            "unknown argument: --allow-undefined-file"
        );
        assert_eq!(
            refused(&["-allow-undefined-file"]),
            "-allow-undefined-file: missing argument"
        );
    }

    #[test]
    fn joined_or_separate_takes_one_dash() {
        let lib = |name: &str| InputSpec::Library {
            name: name.into(),
            whole_archive: false,
            bdynamic: None,
        };
        assert_eq!(p(&["-lc"]).inputs, vec![lib("c")]);
        assert_eq!(p(&["-l", "c"]).inputs, vec![lib("c")]);
        assert_eq!(p(&["--library=c"]).inputs, vec![lib("c")]);
        assert_eq!(p(&["-library", "c"]).inputs, vec![lib("c")]);
        // `-l=c` is the library `=c`; `-lto-O2` the library `to-O2`.
        assert_eq!(p(&["-l=c"]).inputs, vec![lib("=c")]);
        assert_eq!(p(&["-lto-O2"]).inputs, vec![lib("to-O2")]);
        assert_eq!(refused(&["--lc"]), "unknown argument: --lc");
        assert_eq!(refused(&["-l"]), "-l: missing argument");
        assert_eq!(p(&["-ofoo.wasm"]).output, PathBuf::from("foo.wasm"));
        // There is no --output: `-output` is `-o utput`.
        assert_eq!(p(&["-output"]).output, PathBuf::from("utput"));
        assert_eq!(p(&["-O0"]).opt_level, 0);
        assert_eq!(p(&["-O", "2"]).opt_level, 2);
        assert_eq!(refused(&["-O=1"]), "-O=1: number expected, but got '=1'");
        assert_eq!(refused(&["-O", "x"]), "-O: number expected, but got 'x'");
        assert_eq!(p(&["-mwasm64"]).is64, Some(true));
        assert_eq!(
            refused(&["-m=wasm32"]),
            "invalid target architecture: =wasm32"
        );
        // Only the last -m is read.
        assert_eq!(p(&["-mfoo", "-mwasm32"]).is64, Some(false));
        assert_eq!(p(&["-zstack-size=0x100"]).stack_size, 256);
        assert_eq!(refused(&["-z", "stack-size=x"]), "invalid stack-size: x");
        assert_eq!(refused(&["--z", "stack-size=16"]), "unknown argument: --z");
        assert_eq!(p(&["-urun"]).undefined, vec!["run"]);
    }

    #[test]
    fn comma_joined_features() {
        let c = p(&["--features=atomics,,bulk-memory"]);
        assert_eq!(
            c.features,
            Some(vec!["atomics".into(), "bulk-memory".into()])
        );
        assert_eq!(p(&["-features="]).features, Some(vec![]));
        assert_eq!(p(&["-extra-features=a,b"]).extra_features, vec!["a", "b"]);
        assert_eq!(
            refused(&["--features", "atomics"]),
            "unknown argument: --features"
        );
    }

    #[test]
    fn short_flags_take_one_dash() {
        assert!(p(&["-E"]).export_dynamic);
        assert!(p(&["-s"]).strip_all);
        assert!(p(&["-S"]).strip_debug);
        assert_eq!(refused(&["--s"]), "unknown argument: --s");
        assert_eq!(refused(&["-Sx"]), "unknown argument: -Sx");
        // wasm-ld's -i is an alias of --initial-memory= that has no value.
        assert_eq!(refused(&["-i"]), "-i: number expected, but got ''");
        assert_eq!(
            p(&["-i", "--initial-memory=131072"]).initial_memory,
            Some(131072)
        );
    }

    #[test]
    fn numbers_are_decimal_and_the_last_counts() {
        assert_eq!(
            refused(&["--global-base=0x400"]),
            "--global-base=0x400: number expected, but got '0x400'"
        );
        assert_eq!(p(&["--global-base=010"]).global_base, Some(10));
        assert_eq!(
            refused(&["--table-base=+1"]),
            "--table-base=+1: number expected, but got '+1'"
        );
        assert_eq!(
            p(&["--global-base=x", "--global-base=2048"]).global_base,
            Some(2048)
        );
        assert_eq!(
            refused(&["--global-base=-16"]),
            "--global-base=-16: negative values are not supported by touchstone-ld (wasm-ld wraps them)"
        );
        assert_eq!(p(&["-O-1"]).opt_level, u32::MAX);
        assert_eq!(
            refused(&["--threads=0"]),
            "--threads: expected a positive integer, but got '0'"
        );
        assert_eq!(
            refused(&["-threads", "x"]),
            "-threads: expected a positive integer, but got 'x'"
        );
        assert_eq!(
            refused(&["--threads=0x10"]),
            "--thinlto-jobs: invalid job count: 0x10"
        );
        assert!(try_parse(&["--threads=0x10", "--thinlto-jobs=all"]).is_ok());
        assert_eq!(
            refused(&["-color-diagnostics=x"]),
            "unknown option: --color-diagnostics=x"
        );
        assert!(try_parse(&["--color-diagnostics=x", "--no-color-diagnostics"]).is_ok());
    }

    #[test]
    fn missing_argument_comes_before_unknown_arguments() {
        assert_eq!(refused(&["--frob", "--entry"]), "--entry: missing argument");
        assert_eq!(refused(&["--frob", "--bar"]), "unknown argument: --frob");
    }

    #[test]
    fn empty_arguments_are_skipped_unless_taken_as_values() {
        let c = p(&["", "a.o", "", "-o", ""]);
        assert_eq!(c.inputs.len(), 1);
        assert_eq!(c.output, PathBuf::new());
    }

    #[test]
    fn response_files_split_by_quoting() {
        let words = |v: &[&str]| v.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        let text = r#"a\b 'c d' "e\"f" g""h "" \\"i j""#;
        assert_eq!(
            split_posix(text),
            words(&["ab", "c d", r#"e"f"#, "gh", r"\i j"])
        );
        assert_eq!(
            split_windows(text),
            words(&[r"a\b", "'c", "d'", r#"e"f"#, "gh", "", r"\i j"])
        );
    }

    #[test]
    fn wrap_names_are_kept_in_order() {
        assert_eq!(
            p(&["--wrap=f", "-wrap", "g", "--wrap", "f"]).wrap,
            ["f", "g", "f"]
        );
    }

    #[test]
    fn print_map_is_a_map_on_stdout() {
        assert_eq!(p(&["-M"]).map_file, Some(PathBuf::from("-")));
        assert_eq!(
            p(&["--print-map", "-Map=x.map"]).map_file,
            Some(PathBuf::from("-"))
        );
        assert_eq!(p(&["-Map=x.map"]).map_file, Some(PathBuf::from("x.map")));
    }

    /// Every option touchstone-ld reads is in `--help`, but those wasm-ld does not list either
    /// (aliases and LTO internals).
    #[test]
    fn help_lists_every_option() {
        let hidden = [
            "r",
            "i",
            "e",
            "u",
            "library",
            "library-path",
            "disable-verify",
            "lto-obj-path",
            "thinlto-emit-imports-files",
            "thinlto-emit-index-files",
            "thinlto-index-only",
            "thinlto-object-suffix-replace",
            "thinlto-prefix-replace",
        ];
        let listed: Vec<String> = crate::help::listed_names()
            .iter()
            .map(|n| n.trim_end_matches('=').to_string())
            .collect();
        let missing: Vec<&str> = OPTIONS
            .iter()
            .map(|(_, name, _)| name.trim_end_matches('='))
            .filter(|name| !listed.iter().any(|l| l == name) && !hidden.contains(name))
            .collect();
        assert!(missing.is_empty(), "--help does not list {missing:?}");
        assert!(p(&["--help"]).help);
        assert_eq!(p(&["-V"]).version, Version::Print);
    }

    #[test]
    fn unimplemented_options_are_refused() {
        // Options that would write a file of their own are refused, not ignored.
        assert_eq!(
            refused(&["--save-temps"]),
            "--save-temps: not supported by touchstone-ld"
        );
        // Ignored ones are accepted in wasm-ld's forms only.
        assert!(try_parse(&["-Bstatic", "-mllvm=-x", "--rpath=/x"]).is_ok());
        assert_eq!(
            refused(&["-why-extract=w"]),
            "unknown argument: -why-extract=w"
        );
    }

    #[test]
    fn diagnostics_options() {
        let c = p(&[
            "-t",
            "--trace-symbol=a",
            "--trace-symbol",
            "b",
            "-yc",
            "-y",
            "d",
        ]);
        assert!(c.trace);
        assert_eq!(c.trace_symbols, vec!["a", "b", "c", "d"]);
        assert!(p(&["--trace"]).trace);
        assert!(p(&["-trace"]).trace);
        assert_eq!(refused(&["--t"]), "unknown argument: --t");
        // The last --why-extract counts; an empty one turns it off.
        let c = p(&["--why-extract=a.txt", "--why-extract=-"]);
        assert_eq!(c.why_extract, Some(PathBuf::from("-")));
        assert_eq!(
            p(&["--why-extract=a.txt", "--why-extract="]).why_extract,
            None
        );
        assert_eq!(
            refused(&["--why-extract", "w"]),
            "unknown argument: --why-extract"
        );
        assert!(p(&["--print-gc-sections"]).print_gc_sections);
        assert!(!p(&["--print-gc-sections", "--no-print-gc-sections"]).print_gc_sections);
        assert!(try_parse(&["--verbose"]).is_ok());
    }

    #[test]
    fn lib_groups() {
        let c = p(&["--start-lib", "a.o", "--end-lib", "b.o"]);
        assert!(matches!(c.inputs[0], InputSpec::File { lazy: true, .. }));
        assert!(matches!(c.inputs[1], InputSpec::File { lazy: false, .. }));
        assert_eq!(refused(&["--end-lib"]), "stray --end-lib");
        assert_eq!(
            refused(&["--start-lib", "-start-lib"]),
            "nested --start-lib"
        );
    }

    #[test]
    fn every_spelling_names_one_option() {
        let mut seen = std::collections::HashSet::new();
        for &(form, name, _) in OPTIONS {
            for dash in form.dashes() {
                for (suffix, _) in form.matchers() {
                    let spelling = format!("{dash}{name}{suffix}");
                    assert!(seen.insert(spelling.clone()), "{spelling} twice");
                }
            }
        }
    }
}
