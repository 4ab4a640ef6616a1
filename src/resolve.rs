//! Stage `resolve`: load objects in wasm-ld's order, build the global symbol table, and pull
//! archive members on demand.
//!
//! Inputs are processed left to right, as wasm-ld's `LinkerDriver::createFiles` lists them
//! and `SymbolTable::addFile` reads them. An object is parsed and its symbols are entered in
//! symbol-table order; a strong undefined reference to a name that an archive member defines
//! extracts that member at once, so the member lands in the object list before the object
//! that pulled it in (an object joins the list only once its symbols are entered).
//! Archive members are scanned in archive order, each defined non-local name getting a
//! *lazy* slot. The global table keeps names in order of first insertion (replacing a
//! definition keeps the slot; local symbols never enter it), and that order later decides
//! import, export and `undefined_weak:` stub order. Resolution follows lld's
//! `SymbolTable::addDefined*`/`addUndefined*` and `shouldReplace`:
//! defined beats undefined and lazy, strong beats weak, the first of two weak definitions wins,
//! two strong ones are a duplicate-symbol error; a weak undefined reference never extracts.
//! COMDAT groups are kept from the first object that defines them.
//!
//! The result, [`Resolved`], hands on the object list, the symbol table, and for every object
//! symbol whether it is local or which global slot it is bound to.
//!
//! What wasm-ld prints while it loads is printed from here, as it happens: `--trace` names
//! each object as it is loaded; `--trace-symbol` each definition, lazy definition and
//! reference of the named symbols (wasm-ld prints when its table entry is replaced, so a weak
//! definition that loses prints nothing); `--why-extract` lists, once all inputs are loaded,
//! why each member was extracted (a member pulled by a member comes before the one that
//! pulled it; references from data, globals, tables and tags to an earlier archive extract
//! without a line, as in wasm-ld).

use crate::args::Config;
use crate::error::{Context, Error, Result};
use crate::input::{self, InputFile, Kind};
use crate::object::{self, FuncType, Object, SymbolKind};
use crate::stub::StubLibrary;
use crate::{bail, err};
use rustc_hash::FxHashMap;
use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

pub use crate::index::{ObjectId, SymbolId};

/// Symbols the linker itself defines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Synthetic {
    CallCtors,
    StackPointer,
    IndirectFunctionTable,
    DsoHandle,
    DataEnd,
    StackLow,
    StackHigh,
    GlobalBase,
    HeapBase,
    HeapEnd,
    MemoryBase,
    TableBase,
    FirstPageEnd,
    TlsBase,
    TlsSize,
    TlsAlign,
    /// `__wasm_init_tls` (shared memory only).
    InitTls,
}

impl Synthetic {
    /// The name the linker defines this symbol under (wasm-ld's names in `WasmSym`).
    pub fn name(self) -> &'static str {
        match self {
            Synthetic::CallCtors => "__wasm_call_ctors",
            Synthetic::StackPointer => "__stack_pointer",
            Synthetic::IndirectFunctionTable => "__indirect_function_table",
            Synthetic::DsoHandle => "__dso_handle",
            Synthetic::DataEnd => "__data_end",
            Synthetic::StackLow => "__stack_low",
            Synthetic::StackHigh => "__stack_high",
            Synthetic::GlobalBase => "__global_base",
            Synthetic::HeapBase => "__heap_base",
            Synthetic::HeapEnd => "__heap_end",
            Synthetic::MemoryBase => "__memory_base",
            Synthetic::TableBase => "__table_base",
            Synthetic::FirstPageEnd => "__wasm_first_page_end",
            Synthetic::TlsBase => "__tls_base",
            Synthetic::TlsSize => "__tls_size",
            Synthetic::TlsAlign => "__tls_align",
            Synthetic::InitTls => "__wasm_init_tls",
        }
    }

    /// Whether a PIC output imports this symbol from `env` rather than defining it (lld's
    /// `createSyntheticSymbols` for `ctx.isPic`).
    pub fn is_pic_import(self) -> bool {
        matches!(
            self,
            Synthetic::StackPointer | Synthetic::MemoryBase | Synthetic::TableBase
        )
    }

    /// Whether the linker defines this optional symbol when it is referenced (lld's
    /// `createOptionalSymbols`): a PIC output has no stack, heap or global base of its own,
    /// `-shared` no `__data_end`, and its `__memory_base`/`__table_base` are imports.
    pub fn is_optional_in(self, config: &Config) -> bool {
        if !config.is_pic() {
            return true;
        }
        match self {
            Synthetic::StackLow
            | Synthetic::StackHigh
            | Synthetic::GlobalBase
            | Synthetic::HeapBase
            | Synthetic::HeapEnd
            | Synthetic::MemoryBase
            | Synthetic::TableBase => false,
            Synthetic::DataEnd => !config.shared,
            _ => true,
        }
    }

    pub fn kind(self) -> SymbolKind {
        match self {
            Synthetic::CallCtors | Synthetic::InitTls => SymbolKind::Function,
            Synthetic::StackPointer
            | Synthetic::TlsBase
            | Synthetic::TlsSize
            | Synthetic::TlsAlign => SymbolKind::Global,
            Synthetic::IndirectFunctionTable => SymbolKind::Table,
            _ => SymbolKind::Data,
        }
    }
}

/// What a global symbol slot currently stands for.
#[derive(Clone, Debug)]
pub enum Def {
    /// Referenced but not (yet) defined. `object`/`index` name the first reference.
    Undefined { object: ObjectId, index: u32 },
    /// Defined by an archive member not loaded (yet). `weak` records a weak reference.
    Lazy { member: u32, weak: bool },
    /// Defined by symbol `index` of `object`.
    Defined { object: ObjectId, index: u32 },
    /// Defined by the linker.
    Synthetic(Synthetic),
    /// Offered by shared library `lib` (an export of a `.so` input): the output imports it, as
    /// an undefined symbol the loader resolves (lld `SharedFunctionSymbol`/`SharedData`).
    Shared { lib: u32 },
    /// Replaced by the `signature_mismatch:NAME` stub number `n`: what a direct call with
    /// another signature than the definition's calls instead (lld's `handleSymbolVariants`,
    /// see [`Resolver::handle_symbol_variants`]).
    MismatchStub(u32),
}

/// One slot of the global symbol table.
#[derive(Clone, Debug)]
pub struct GlobalSymbol<'data> {
    pub name: &'data str,
    pub kind: SymbolKind,
    pub def: Def,
    /// Symbol flags of the current definition, or of the undefined reference (binding updated
    /// to strong when any reference is strong, as lld does).
    pub flags: u32,
    /// The function signature: of the definition, or of the first reference that had one.
    pub signature: Option<FuncType>,
    pub import_module: Option<&'data str>,
    pub import_name: Option<&'data str>,
    /// Named by `--export` / `--export-if-defined` (and found), or a dependency of a symbol a
    /// stub library provides.
    pub force_export: bool,
    /// Provided by a stub library: imported although undefined (lld's `forceImport`).
    pub force_import: bool,
    /// While undefined: whether some reference calls it directly. A definition with another
    /// signature only makes a variant when it does (lld's `isCalledDirectly`).
    pub called_directly: bool,
    /// Whether the symbol is a weakly undefined function that the linker defines as an
    /// `undefined_weak:NAME` stub (set once, by [`Resolver::handle_weak_undefines`]). Its `def`
    /// stays `Undefined` or `Lazy`: it is never imported, a call to it calls the stub (kept
    /// only when something calls it), and its address is 0.
    pub weak_stub: bool,
}

impl GlobalSymbol<'_> {
    pub fn is_weak(&self) -> bool {
        self.flags & object::WASM_SYM_BINDING_WEAK != 0
    }
    pub fn is_hidden(&self) -> bool {
        self.flags & object::WASM_SYM_VISIBILITY_HIDDEN != 0
    }
    pub fn is_defined(&self) -> bool {
        matches!(
            self.def,
            Def::Defined { .. } | Def::Synthetic(_) | Def::MismatchStub(_)
        )
    }
}

/// How one object symbol is bound after resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binding {
    /// A local symbol: it stands for itself.
    Local,
    /// Bound to a global slot.
    Global(SymbolId),
    /// Bound to signature variant `n` of a function name (a direct call or definition whose
    /// signature differs from the name's first one; lld's "symbol variants").
    Variant(u32),
}

/// A function symbol with the same name as a global slot but another signature.
#[derive(Clone, Debug)]
pub struct Variant {
    pub slot: SymbolId,
    pub signature: FuncType,
    /// `Undefined`, `Defined`, or (after resolution) `MismatchStub`.
    pub def: Def,
    pub flags: u32,
}

/// A `signature_mismatch:NAME` stub: it stands in for the direct calls made with `signature`.
#[derive(Clone, Debug)]
pub struct MismatchStub {
    pub slot: SymbolId,
    pub signature: FuncType,
}

/// A loaded object and its bindings.
pub struct LoadedObject<'data> {
    /// `path` or `archive(member)`, as used in messages.
    pub name: String,
    pub obj: Object<'data>,
    pub from_archive: bool,
    /// Per object symbol.
    pub bindings: Vec<Binding>,
    /// Functions of this object dropped because another object kept their COMDAT group.
    pub discarded_functions: Vec<bool>,
    pub discarded_segments: Vec<bool>,
    pub discarded_customs: Vec<bool>,
}

impl LoadedObject<'_> {
    /// Whether function `index` (imports first) is a definition that lost its COMDAT group.
    pub fn is_function_discarded(&self, index: u32) -> bool {
        self.obj
            .defined_index(SymbolKind::Function, index)
            .and_then(|d| self.discarded_functions.get(d))
            .copied()
            .unwrap_or(false)
    }
}

/// An archive member (or `--start-lib` object) not loaded yet: only its symbol names have been
/// read; it is parsed in full when a reference extracts it, as lld does.
struct LazyMember<'data> {
    name: String,
    data: &'data [u8],
    extracted: bool,
}

/// The output of symbol resolution.
pub struct Resolved<'data> {
    pub objects: Vec<LoadedObject<'data>>,
    pub symbols: Vec<GlobalSymbol<'data>>,
    /// Name -> slot. FxHash: names are not attacker-chosen keys worth SipHash's cost here.
    pub by_name: FxHashMap<&'data str, SymbolId>,
    /// `__wasm_call_dtors`, when the linker looked it up and found it defined (a GC root; the
    /// command-export wrappers call it). See where `resolve` looks it up.
    pub call_dtors: Option<SymbolId>,
    /// The entry symbol (`--entry`, `_start` by default), looked up before `--wrap` renames
    /// anything, as the driver keeps it (lld's `entrySym`): a GC root, exported.
    pub entry: Option<SymbolId>,
    pub variants: Vec<Variant>,
    /// Signature-mismatch stubs in creation order, which is their order among the linker's
    /// functions (after `__wasm_call_ctors` and `__wasm_init_tls`, before the
    /// `undefined_weak:` stubs, as lld creates its synthetic functions).
    pub mismatch_stubs: Vec<MismatchStub>,
    /// The shared libraries linked against, by file name, in command-line order (`dylink.0`
    /// needed libraries); [`Def::Shared`] numbers them.
    pub shared_libs: Vec<String>,
}

impl<'data> Resolved<'data> {
    pub fn find(&self, name: &str) -> Option<SymbolId> {
        self.by_name.get(name).copied()
    }
    pub fn sym(&self, id: SymbolId) -> &GlobalSymbol<'data> {
        &self.symbols[id.index()]
    }
    pub fn object(&self, id: ObjectId) -> &LoadedObject<'data> {
        &self.objects[id.index()]
    }
    /// The definition a global symbol stands for, as (object, object symbol index).
    #[expect(dead_code, reason = "unread since the stages became private")]
    pub fn definition(&self, id: SymbolId) -> Option<(ObjectId, u32)> {
        match self.sym(id).def {
            Def::Defined { object, index } => Some((object, index)),
            _ => None,
        }
    }

    /// What global slot `id` stands for once resolution is done.
    pub fn slot_target(&self, id: SymbolId) -> Target {
        match self.sym(id).def {
            Def::Defined { object, index } => Target::Defined(object, index),
            Def::Synthetic(s) => Target::Synthetic(s),
            Def::MismatchStub(n) => Target::MismatchStub(n),
            Def::Undefined { .. } | Def::Lazy { .. } | Def::Shared { .. } => Target::Undefined(id),
        }
    }

    /// What symbol `index` of object `oid` stands for once resolution is done: the one
    /// mapping from a binding to a definition, read by GC, layout and relocation alike. A local
    /// symbol stands for itself; a global one for what its slot holds; a signature variant for
    /// its own definition or `signature_mismatch:` stub (an undefined variant, which resolution
    /// leaves only after an error, for the name's slot). A symbol index out of range stands for
    /// itself, as a local one.
    pub fn target(&self, oid: ObjectId, index: u32) -> Target {
        match self.object(oid).bindings.get(index as usize) {
            Some(Binding::Global(id)) => self.slot_target(*id),
            Some(Binding::Variant(v)) => {
                let var = &self.variants[*v as usize];
                match var.def {
                    Def::Defined { object, index } => Target::Defined(object, index),
                    Def::MismatchStub(n) => Target::MismatchStub(n),
                    _ => Target::Undefined(var.slot),
                }
            }
            Some(Binding::Local) | None => Target::Defined(oid, index),
        }
    }
}

/// What a symbol stands for once resolution is done ([`Resolved::target`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// Defined by symbol `index` of `object` (a local symbol, or the winning definition).
    Defined(ObjectId, u32),
    /// Defined by the linker.
    Synthetic(Synthetic),
    /// Undefined (or lazy and never loaded): an import, a stub, or address 0.
    Undefined(SymbolId),
    /// A `signature_mismatch:` stub.
    MismatchStub(u32),
}

struct Resolver<'data, 'cfg, 'out> {
    config: &'cfg Config,
    /// Where wasm-ld's messages go (`--trace`, `--trace-symbol`, `--why-extract=-`).
    out: &'out mut dyn FnMut(&str),
    objects: Vec<LoadedObject<'data>>,
    symbols: Vec<GlobalSymbol<'data>>,
    by_name: FxHashMap<&'data str, SymbolId>,
    lazy: Vec<LazyMember<'data>>,
    comdats: HashMap<&'data str, ObjectId>,
    /// Where warnings go, in the order wasm-ld gives them (kept by the caller, so that those
    /// given before an error are still printed).
    warnings: &'out mut Vec<String>,
    /// How many objects are having their symbols entered right now (nesting through
    /// archive extraction).
    depth: u32,
    variants: Vec<Variant>,
    /// Per slot with variants: its variant numbers; names in order of first mismatch.
    slot_variants: HashMap<SymbolId, Vec<u32>>,
    variant_names: Vec<SymbolId>,
    /// Names whose place in wasm-ld's symbol table a definition with another signature took
    /// (its `replace(name, variant)`): wasm-ld stops tracing them, the variant being a new
    /// symbol that --trace-symbol never named.
    taken_over: rustc_hash::FxHashSet<&'data str>,
    /// Archive members extracted, in the order `--why-extract` lists them.
    extractions: Vec<Extraction>,
    /// The stub libraries, in command-line order.
    stubs: Vec<StubLibrary<'data>>,
    /// Errors that wasm-ld reports and goes on (its `error`), reported together when it
    /// next checks its error count.
    errors: Vec<String>,
    /// The shared libraries read so far (`Resolved::shared_libs`).
    shared_libs: Vec<String>,
}

/// One line of the `--why-extract` file.
struct Extraction {
    /// The file whose reference pulled the member, or the option (`--export`, `--entry`,
    /// `<internal>` for `-u` and `__wasm_call_dtors`).
    reference: String,
    /// The file that defines the symbol once the member is loaded.
    extracted: String,
    /// The symbol, demangled as wasm-ld prints symbols.
    symbol: String,
}

/// An input as it will be loaded: an object (a command-line object or a `--whole-archive`
/// member) or a lazy one (an archive member, or an object between `--start-lib` and
/// `--end-lib`).
enum Pending<'data> {
    Object {
        name: String,
        data: &'data [u8],
        from_archive: bool,
    },
    Lazy {
        name: String,
        data: &'data [u8],
    },
    /// A stub library (`crate::stub`).
    Stub {
        name: String,
        data: &'data [u8],
    },
    /// A shared library (`crate::shared`).
    Shared {
        name: String,
        data: &'data [u8],
    },
}

/// Classifies every input and splits archives into members, in command-line order.
fn classify_inputs<'data>(
    files: &'data [InputFile],
    warnings: &mut Vec<String>,
) -> Result<Vec<Pending<'data>>> {
    let mut pending = Vec::new();
    for file in files {
        let data = file.data.bytes();
        let path = file.path.display().to_string();
        match input::classify(&file.path, data)? {
            // lld's `addFile`: a shared library only where linking is dynamic.
            Kind::Object if crate::shared::is_shared_library(data) => {
                if !file.dynamic {
                    bail!("attempted static link of dynamic object {path}");
                }
                pending.push(Pending::Shared { name: path, data });
            }
            Kind::Object if file.lazy => pending.push(Pending::Lazy { name: path, data }),
            Kind::Object => pending.push(Pending::Object {
                name: path,
                data,
                from_archive: false,
            }),
            Kind::Stub => pending.push(Pending::Stub { name: path, data }),
            Kind::Archive => {
                for m in input::archive_members(&file.path, data)? {
                    let name = format!("{path}({})", m.name);
                    // lld's `addFile`: a member that is not a wasm object (nor bitcode,
                    // which touchstone-ld does not read) is skipped with a warning, unless
                    // the whole archive is asked for (then it is an object that fails).
                    if !m.data.starts_with(b"\0asm") && !file.whole_archive {
                        warnings.push(format!(
                            "{path}: archive member '{}' is neither Wasm object file nor LLVM bitcode",
                            m.name
                        ));
                        continue;
                    }
                    if !m.data.starts_with(b"\0asm") {
                        bail!("{}\n>>> in {name}", not_an_object(m.data));
                    }
                    pending.push(if file.whole_archive {
                        Pending::Object {
                            name,
                            data: m.data,
                            from_archive: true,
                        }
                    } else {
                        Pending::Lazy { name, data: m.data }
                    });
                }
            }
        }
    }
    Ok(pending)
}

/// What wasm-ld says of a `--whole-archive` member that is not a wasm object: it reads it as
/// LLVM bitcode, and LLVM's reader fails, without naming the file, with "Bitcode section not
/// found in object file" for a native object file (ELF, Mach-O, COFF) and "The file was not
/// recognized as a valid object file" for anything else. touchstone-ld names the member on a
/// `>>>` line.
fn not_an_object(data: &[u8]) -> &'static str {
    let native: [&[u8]; 6] = [
        b"\x7fELF",
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
        b"\x64\x86",
    ];
    if native.iter().any(|m| data.starts_with(m)) {
        "Bitcode section not found in object file"
    } else {
        "The file was not recognized as a valid object file"
    }
}

/// The `--why-extract` file: a header, then one line per extraction.
fn why_extract_text(extractions: &[Extraction]) -> String {
    let mut text = String::from("reference\textracted\tsymbol\n");
    for e in extractions {
        text.push_str(&format!("{}\t{}\t{}\n", e.reference, e.extracted, e.symbol));
    }
    text
}

/// Writes the `--why-extract` text to `path`, or to `out` when the path is `-` (stdout).
fn write_why_extract(path: &Path, text: &str, out: &mut dyn FnMut(&str)) -> Result<()> {
    if path.as_os_str() == "-" {
        for line in text.lines() {
            out(line);
        }
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| {
        err!(
            "cannot open --why-extract= file {}: {}",
            path.display(),
            crate::error::os_message(&e)
        )
    })
}

/// The type of a symbol being entered: a function's signature or a global's type.
struct SymTypes {
    signature: Option<FuncType>,
    global: Option<wasmparser::GlobalType>,
}

/// Where a function signature lands among a name's variants.
enum VariantHit {
    Slot,
    Existing(u32),
    New(u32),
}

/// Resolves all inputs. The messages wasm-ld prints while it loads them (`--trace`,
/// `--trace-symbol`, `--why-extract=-`) go to `out` as they happen, so that those printed
/// before an error are still seen; `--why-extract=FILE` is written where wasm-ld writes it.
pub fn resolve<'data>(
    config: &Config,
    files: &'data [InputFile],
    out: &mut dyn FnMut(&str),
    warnings: &mut Vec<String>,
) -> Result<Resolved<'data>> {
    let mut r = Resolver {
        config,
        out,
        objects: Vec::new(),
        symbols: Vec::new(),
        by_name: FxHashMap::default(),
        lazy: Vec::new(),
        comdats: HashMap::default(),
        warnings,
        depth: 0,
        variants: Vec::new(),
        slot_variants: HashMap::default(),
        variant_names: Vec::new(),
        taken_over: Default::default(),
        extractions: Vec::new(),
        stubs: Vec::new(),
        errors: Vec::new(),
        shared_libs: Vec::new(),
    };
    // Every input is classified (and every archive split) before any is loaded, as wasm-ld
    // opens all its inputs first: a bad input is reported before anything is traced.
    let pending = classify_inputs(files, r.warnings)?;
    // Start-up symbols, before any input, in this order (wasm-ld's `createSyntheticSymbols`,
    // called by the driver before it reads the inputs): so they take the first slots.
    // A relocatable output (`-r`) gets none of them: the final link defines them.
    if !config.relocatable {
        r.add_startup_synthetic(Synthetic::CallCtors);
        let sp = r.add_startup_synthetic(Synthetic::StackPointer);
        // In wasm-ld 22 `__stack_pointer` has default visibility (19 made it hidden), so
        // `--export-dynamic`/`--export-all` export it when `mutable-globals` is available.
        r.symbols[sp.index()].flags = 0;
    }
    // A PIC output imports `__stack_pointer`, `__memory_base` and `__table_base` (lld's
    // `createSyntheticSymbols` makes them undefined globals): they stay linker symbols, whose
    // place [`Synthetic::is_pic_import`] decides, hidden so that nothing exports them.
    if config.is_pic() {
        let sp = r.by_name[Synthetic::StackPointer.name()];
        r.symbols[sp.index()].flags = object::WASM_SYM_VISIBILITY_HIDDEN;
        for syn in [Synthetic::MemoryBase, Synthetic::TableBase] {
            let id = r.add_startup_synthetic(syn);
            r.symbols[id.index()].kind = SymbolKind::Global;
        }
    }
    if config.shared_memory && !config.relocatable {
        r.add_startup_synthetic(Synthetic::TlsBase);
        r.add_startup_synthetic(Synthetic::TlsSize);
        r.add_startup_synthetic(Synthetic::TlsAlign);
        r.add_startup_synthetic(Synthetic::InitTls);
    }

    for input in pending {
        match input {
            Pending::Object {
                name,
                data,
                from_archive,
            } => r.load(name, data, from_archive)?,
            Pending::Lazy { name, data } => r.add_lazy_member(name, data)?,
            Pending::Stub { name, data } => r.add_stub(name, data)?,
            Pending::Shared { name, data } => r.add_shared(name, data)?,
        }
    }

    // After all inputs, in the driver's order (`LinkerDriver::linkerMain`): -u names in
    // command-line order, then the --export names in hash order, then the entry; each may
    // extract an archive member, appended as it is extracted.
    for name in &config.undefined {
        r.handle_undefined(name, "<internal>")?;
    }
    for name in export_extraction_order(config) {
        r.handle_undefined(&name, "--export")?;
    }
    if let Some(entry) = &config.entry {
        r.handle_undefined(entry, "--entry")?;
        // Checked here, before --why-extract is written, as wasm-ld does.
        if !r.is_defined(entry) {
            bail!("entry symbol not defined (pass --no-entry to suppress): {entry}");
        }
    }
    // __wasm_call_dtors: unless some object references __wasm_call_ctors, or it is the entry
    // or --export'ed, the driver looks it up like -u (extracting it from an archive, as from
    // libc.a), requires it to be `() -> ()` and makes it a GC root (`linkerMain`).
    let mut call_dtors = None;
    let ctors = Synthetic::CallCtors.name();
    let ctors_referenced = r.is_referenced_by_object(ctors);
    if !ctors_referenced
        && !config.relocatable
        && config.entry.as_deref() != Some(ctors)
        && !config.exports.iter().any(|e| e == ctors)
    {
        r.handle_undefined("__wasm_call_dtors", "<internal>")?;
        if let Some(&id) = r.by_name.get("__wasm_call_dtors") {
            if let Def::Defined { .. } = r.symbols[id.index()].def {
                let sig = &r.symbols[id.index()].signature;
                if sig
                    .as_ref()
                    .is_some_and(|s| !s.params.is_empty() || !s.results.is_empty())
                {
                    bail!("__wasm_call_dtors must have no argument or return values");
                }
                call_dtors = Some(id);
            }
        }
    }

    let entry = config
        .entry
        .as_ref()
        .and_then(|e| r.by_name.get(e.as_str()).copied());
    let wrapped = r.add_wrapped_symbols()?;
    r.process_stub_libraries()?;

    // --why-extract: written once every extraction is known, before the linker defines its
    // optional symbols. A file that cannot be written fails the link after the symbol
    // variants are resolved, as wasm-ld reports it there.
    let why_extract_failed = match &config.why_extract {
        Some(path) => {
            let text = why_extract_text(&r.extractions);
            write_why_extract(path, &text, r.out).err()
        }
        None => None,
    };

    // Optional linker-defined symbols, in this order (wasm-ld's `createOptionalSymbols`):
    // each is defined only if some object already references it or it is exported, so it
    // takes the slot of the reference or a new one at the end.
    let optional = [
        Synthetic::DsoHandle,
        Synthetic::DataEnd,
        Synthetic::StackLow,
        Synthetic::StackHigh,
        Synthetic::GlobalBase,
        Synthetic::HeapBase,
        Synthetic::HeapEnd,
        Synthetic::MemoryBase,
        Synthetic::TableBase,
        Synthetic::FirstPageEnd,
        Synthetic::TlsBase,
    ];
    // None with `-r` (lld's createOptionalSymbols returns at once).
    if !config.relocatable {
        for syn in optional.into_iter().filter(|&s| s.is_optional_in(config)) {
            r.add_optional(syn);
        }
    }
    // The indirect function table: defined by the linker when an input references it, or
    // made when the table is imported or exported (GC then decides whether it is kept, as
    // lld's `resolveIndirectFunctionTable` does after `markLive`).
    let table = Synthetic::IndirectFunctionTable.name();
    if let Some(&id) = r.by_name.get(table) {
        let s = &mut r.symbols[id.index()];
        if !s.is_defined() {
            if s.kind != SymbolKind::Table {
                bail!("{table}: symbol type mismatch (expected a table)");
            }
            s.def = Def::Synthetic(Synthetic::IndirectFunctionTable);
            // NO_STRIP from the reference stays: clang marks the table symbol NO_STRIP when
            // an object takes function addresses without calling through the table, and that
            // keeps the table even when every such use is GC'd (as in lld). With `-r` the
            // table stays the undefined symbol the objects refer to, imported, with their
            // flags (the output symbol table shows them).
            if !config.relocatable {
                s.flags =
                    object::WASM_SYM_VISIBILITY_HIDDEN | (s.flags & object::WASM_SYM_NO_STRIP);
            }
        }
    } else if config.export_table && !config.relocatable {
        // An imported table nothing refers to is made only when the relocation scan gives it
        // slots (lld `resolveIndirectFunctionTable` makes nothing then; see `table.rs`).
        r.add_synthetic(Synthetic::IndirectFunctionTable);
    }

    if config.export_table {
        if let Some(&id) = r.by_name.get(table) {
            r.symbols[id.index()].force_export = true;
        }
    }
    let mismatch_stubs = r.handle_symbol_variants()?;
    if let Some(e) = why_extract_failed {
        return Err(e);
    }
    r.wrap_symbols(&wrapped);
    // `--export` and `--export-if-defined` names that are defined now (after `--wrap`: NAME
    // is `__wrap_NAME`) are exported, as the driver marks them `forceExport` at this point.
    for name in export_extraction_order(config) {
        if let Some(&id) = r.by_name.get(name.as_str()) {
            if r.symbols[id.index()].is_defined() {
                r.symbols[id.index()].force_export = true;
            }
        }
    }
    // With `-r` a weak undefined function stays undefined (an import the final link
    // resolves), as lld calls `handleWeakUndefines` only for a final, non-PIC link.
    // A PIC output imports them instead (lld: only for a final, non-PIC link).
    if !config.relocatable && !config.is_pic() {
        r.handle_weak_undefines();
    }
    // Lazy symbols never extracted stay lazy: later stages treat them as undefined (weak when
    // only weakly referenced).
    Ok(Resolved {
        objects: r.objects,
        symbols: r.symbols,
        by_name: r.by_name,
        call_dtors,
        entry,
        variants: r.variants,
        mismatch_stubs,
        shared_libs: r.shared_libs,
    })
}

/// The order in which `--export`/`--export-if-defined` names are looked up: wasm-ld keeps
/// them in one LLVM `StringMap` (`ctx.arg.exportedSymbols`) and extracts while iterating it,
/// so the order is that map's bucket order, not the command line's ([`crate::hash`]).
fn export_extraction_order(config: &Config) -> Vec<String> {
    let mut names: Vec<&str> = Vec::new();
    for n in config
        .exports_if_defined
        .iter()
        .chain(config.exports.iter())
    {
        if !names.contains(&n.as_str()) {
            names.push(n);
        }
    }
    crate::hash::string_map_order(&names)
        .into_iter()
        .map(String::from)
        .collect()
}

impl<'data> Resolver<'data, '_, '_> {
    /// Whether --trace-symbol names `name` and wasm-ld's symbol table still holds the symbol
    /// it traces under that name.
    fn traced(&self, name: &str) -> bool {
        self.config.trace_symbols.iter().any(|t| t == name) && !self.taken_over.contains(name)
    }

    /// Whether the symbol first made for `name` is traced, even if another took its place
    /// (wasm-ld's `Symbol::traced`, kept when the symbol is replaced by a stub).
    fn slot_traced(&self, id: SymbolId) -> bool {
        let name = self.symbols[id.index()].name;
        self.config.trace_symbols.iter().any(|t| t == name)
    }

    /// Whether a name is defined, by its first symbol or by a signature variant (which
    /// wasm-ld's table then holds under the name).
    fn is_defined(&self, name: &str) -> bool {
        let Some(&id) = self.by_name.get(name) else {
            return false;
        };
        self.symbols[id.index()].is_defined()
            || self.slot_variants.get(&id).is_some_and(|vs| {
                vs.iter()
                    .any(|&v| matches!(self.variants[v as usize].def, Def::Defined { .. }))
            })
    }

    /// `--trace-symbol`: `FILE: definition of NAME`, `FILE: lazy definition of NAME` or
    /// `FILE: reference to NAME` (`<internal>` for the linker's own symbols).
    fn trace(&mut self, file: &str, what: &str, name: &str) {
        (self.out)(&format!("{file}: {what} {name}"));
    }

    /// The file a slot's symbol comes from, as wasm-ld names it in messages.
    fn file_of(&self, id: SymbolId) -> String {
        match &self.symbols[id.index()].def {
            Def::Lazy { member, .. } => self.lazy[*member as usize].name.clone(),
            def => self.def_file(def),
        }
    }

    /// Records an extraction for `--why-extract`, once the member is loaded.
    fn record_extraction(&mut self, reference: &str, id: SymbolId) {
        if self.config.why_extract.is_none() {
            return;
        }
        let extracted = self.file_of(id);
        let symbol = crate::demangle::demangle(self.config, self.symbols[id.index()].name);
        self.extractions.push(Extraction {
            reference: reference.to_string(),
            extracted,
            symbol,
        });
    }

    /// Loads one object: `--trace` names it before it is read, as wasm-ld does.
    fn load(&mut self, name: String, data: &'data [u8], from_archive: bool) -> Result<()> {
        if self.config.trace {
            (self.out)(&name);
        }
        let obj = object::parse(data).with_context(|| name.clone())?;
        check_arch(self.config, &name, &obj)?;
        self.add_object(name, obj, from_archive)
    }

    /// lld's `addWrappedSymbols`, once the inputs, `-u`, `--export` and the entry are
    /// handled: for each `--wrap=NAME` (the first time it is given) whose NAME is in the
    /// symbol table, the undefined functions `__real_NAME` and `__wrap_NAME` (the latter with
    /// NAME's signature) are added as the linker's own references, which may extract archive
    /// members. Returns (NAME, `__real_NAME`, `__wrap_NAME`) for [`Self::wrap_symbols`].
    fn add_wrapped_symbols(&mut self) -> Result<Vec<[SymbolId; 3]>> {
        let mut seen = std::collections::HashSet::new();
        let mut wrapped = Vec::new();
        for name in &self.config.wrap {
            if !seen.insert(name.as_str()) {
                continue;
            }
            let Some(&sym) = self.by_name.get(name.as_str()) else {
                continue;
            };
            let signature = match self.symbols[sym.index()].def {
                Def::Lazy { .. } => None,
                _ => self.symbols[sym.index()].signature.clone(),
            };
            let real = self.add_linker_reference(format!("__real_{name}"), None)?;
            let wrap = self.add_linker_reference(format!("__wrap_{name}"), signature)?;
            wrapped.push([sym, real, wrap]);
        }
        Ok(wrapped)
    }

    /// lld's `addUndefinedFunction` for a reference with no file: a new undefined function
    /// (owned by [`ObjectId::NONE`]); an archive member that defines the name is extracted;
    /// an existing function takes the signature if it has none; another kind is a type
    /// mismatch. The name lives as long as the link (one per `--wrap` name).
    fn add_linker_reference(
        &mut self,
        name: String,
        signature: Option<FuncType>,
    ) -> Result<SymbolId> {
        let name: &'data str = Box::leak(name.into_boxed_str());
        if self.traced(name) {
            self.trace("<internal>", "reference to", name);
        }
        let undefined = Def::Undefined {
            object: ObjectId::NONE,
            index: 0,
        };
        let (id, inserted) = self.insert(name, SymbolKind::Function, undefined, 0);
        let s = &mut self.symbols[id.index()];
        if inserted || s.signature.is_none() {
            s.signature = signature;
        }
        match s.def {
            Def::Lazy { member, .. } => {
                self.extract(member)?;
                self.record_extraction("<internal>", id);
            }
            _ if s.kind != SymbolKind::Function => {
                return Err(self.kind_mismatch(id, SymbolKind::Function, "<internal>"));
            }
            _ => {}
        }
        Ok(id)
    }

    /// lld's `wrapSymbols`, after the signature variants are resolved: every reference an
    /// object makes to NAME now goes to `__wrap_NAME`, and every reference to `__real_NAME`
    /// to NAME's own symbol; looking a name up by name does the same (NAME finds
    /// `__wrap_NAME`, `__real_NAME` finds NAME), as lld's `SymbolTable::wrap` re-points its
    /// name map. The symbols themselves keep their names and definitions.
    fn wrap_symbols(&mut self, wrapped: &[[SymbolId; 3]]) {
        if wrapped.is_empty() {
            return;
        }
        let mut map = HashMap::default();
        for &[sym, real, wrap] in wrapped {
            map.insert(sym, wrap);
            map.insert(real, sym);
        }
        for o in &mut self.objects {
            for b in &mut o.bindings {
                if let Binding::Global(id) = b {
                    if let Some(&to) = map.get(id) {
                        *id = to;
                    }
                }
            }
        }
        for &[sym, real, wrap] in wrapped {
            let (sym_name, real_name) = (
                self.symbols[sym.index()].name,
                self.symbols[real.index()].name,
            );
            self.by_name.insert(real_name, sym);
            self.by_name.insert(sym_name, wrap);
        }
    }

    /// Reads a stub library and keeps it for [`Self::process_stub_libraries`] (`--trace`
    /// does not name it: wasm-ld traces only the files whose symbols it enters).
    fn add_stub(&mut self, name: String, data: &'data [u8]) -> Result<()> {
        self.stubs.push(crate::stub::parse(name, data)?);
        Ok(())
    }

    /// lld's `processStubLibraries`, run once the inputs, `-u`, `--export` and the entry are
    /// handled: each stub library provides the symbols it lists. A symbol some object left
    /// undefined under that name, or whose import name is that name, is imported (the first
    /// library to provide it wins), and the symbols it depends on are exported (extracted
    /// from their archive if need be, which may leave new symbols undefined: so it repeats
    /// until nothing more is extracted). A dependency that is missing or undefined is an
    /// error, reported with the others before the link stops.
    fn process_stub_libraries(&mut self) -> Result<()> {
        let stubs = std::mem::take(&mut self.stubs);
        loop {
            let mut extracted = false;
            for stub in &stubs {
                for (name, deps) in &stub.symbols {
                    match self.by_name.get(name).copied() {
                        Some(id)
                            if matches!(self.symbols[id.index()].def, Def::Undefined { .. }) =>
                        {
                            extracted |= self.import_from_stub(stub, id, deps)?;
                        }
                        Some(_) if self.traced(name) => {
                            (self.out)(&format!("{}: stub symbol not needed: {name}", stub.name));
                        }
                        _ => {}
                    }
                }
                for i in 0..self.symbols.len() {
                    let s = &self.symbols[i];
                    let Some(import) = s
                        .import_name
                        .filter(|_| matches!(s.def, Def::Undefined { .. }))
                    else {
                        continue;
                    };
                    if let Some((_, deps)) = stub.symbols.iter().find(|(n, _)| *n == import) {
                        extracted |= self.import_from_stub(stub, SymbolId::new(i), deps)?;
                    }
                }
            }
            if !extracted {
                break;
            }
        }
        self.stubs = stubs;
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::new(std::mem::take(&mut self.errors).join("\n")))
        }
    }

    /// lld's `addStubSymbolDeps`: imports `id` from `stub` (once) and exports what it needs;
    /// true when a dependency was extracted from an archive.
    fn import_from_stub(
        &mut self,
        stub: &StubLibrary,
        id: SymbolId,
        deps: &[&str],
    ) -> Result<bool> {
        let sym = &mut self.symbols[id.index()];
        if std::mem::replace(&mut sym.force_import, true) {
            return Ok(false);
        }
        let name = sym.name;
        if self.traced(name) {
            (self.out)(&format!("{}: importing {name}", stub.name));
        }
        let mut extracted = false;
        for &dep in deps {
            let Some(&needed) = self.by_name.get(dep) else {
                let msg = format!(
                    "{}: undefined symbol: {dep}. Required by {}",
                    stub.name,
                    self.shown(name)
                );
                self.errors.push(msg);
                continue;
            };
            let need = &self.symbols[needed.index()];
            if matches!(need.def, Def::Undefined { .. }) {
                let msg = format!(
                    "{}: undefined symbol: {}. Required by {}",
                    stub.name,
                    self.shown(need.name),
                    self.shown(name)
                );
                self.errors.push(msg);
                continue;
            }
            if self.traced(need.name) {
                let msg = format!(
                    "{}: exported {} due to import of {name}",
                    stub.name,
                    self.shown(need.name)
                );
                (self.out)(&msg);
            }
            self.symbols[needed.index()].force_export = true;
            if let Def::Lazy { member, .. } = self.symbols[needed.index()].def {
                extracted = true;
                self.extract(member)?;
                // As lld records it: the stub library, and the file and name of the symbol
                // it provides (not of the dependency extracted).
                self.record_extraction(&stub.name, id);
            }
        }
        Ok(extracted)
    }

    /// A symbol the linker defines before reading any input (traced as `<internal>`).
    fn add_startup_synthetic(&mut self, syn: Synthetic) -> SymbolId {
        if self.traced(syn.name()) {
            self.trace("<internal>", "definition of", syn.name());
        }
        self.add_synthetic(syn)
    }

    /// wasm-ld's `handleWeakUndefines` (SymbolTable.cpp), run once every input is read and
    /// the signature variants are settled, before GC: every symbol still weakly undefined
    /// that has a signature, that is a function undefined with only weak references or one
    /// that only an archive member never loaded defines (a weak reference does not load it),
    /// gets a stub definition, `undefined_weak:NAME`, whose body is `unreachable`. The stub
    /// is hidden; GC keeps it only when something calls it (a table-index relocation does not
    /// keep it: its address is 0, so it compares equal to a null pointer). This is the one
    /// place that decides it: GC, `--trace-symbol` and `--print-gc-sections` read
    /// `weak_stub`.
    fn handle_weak_undefines(&mut self) {
        for i in 0..self.symbols.len() {
            let s = &mut self.symbols[i];
            let weak = match s.def {
                Def::Undefined { .. } => s.is_weak(),
                Def::Lazy { weak, .. } => weak,
                _ => false,
            };
            s.weak_stub = weak && s.kind == SymbolKind::Function && s.signature.is_some();
            let (stub, name) = (s.weak_stub, s.name);
            if stub && self.traced(name) {
                let stub = format!(
                    "undefined_weak:{}",
                    crate::demangle::demangle(self.config, name)
                );
                self.trace("<internal>", "definition of", &stub);
            }
        }
    }

    fn add_synthetic(&mut self, syn: Synthetic) -> SymbolId {
        let name = syn.name();
        let id = SymbolId::new(self.symbols.len());
        self.symbols.push(GlobalSymbol {
            name,
            kind: syn.kind(),
            def: Def::Synthetic(syn),
            flags: object::WASM_SYM_VISIBILITY_HIDDEN,
            signature: match syn {
                Synthetic::CallCtors => Some(FuncType {
                    params: vec![],
                    results: vec![],
                }),
                Synthetic::InitTls => Some(FuncType {
                    params: vec![wasmparser::ValType::I32],
                    results: vec![],
                }),
                _ => None,
            },
            import_module: None,
            import_name: None,
            force_export: false,
            force_import: false,
            called_directly: false,
            weak_stub: false,
        });
        self.by_name.insert(name, id);
        id
    }

    fn add_optional(&mut self, syn: Synthetic) {
        let name = syn.name();
        // Optional data symbols are also created when exported; optional globals
        // (`__tls_base`) only when referenced, as lld's addOptionalGlobalSymbol.
        let exported = syn.kind() == SymbolKind::Data && self.config.export_all
            || self.config.exports.iter().any(|e| e == name)
            || self.config.exports_if_defined.iter().any(|e| e == name);
        match self.by_name.get(name) {
            Some(&id) => {
                let s = &mut self.symbols[id.index()];
                if s.is_defined() {
                    return;
                }
                // A PIC object refers to `__memory_base`/`__table_base` as imported globals;
                // in a static link wasm-ld 22 makes them data symbols and the object's
                // `global.get` an internal GOT entry (the `__memory_base` entry holds 0).
                let pic_base = matches!(syn, Synthetic::MemoryBase | Synthetic::TableBase)
                    && s.kind == SymbolKind::Global;
                if s.kind != syn.kind() && !pic_base {
                    return;
                }
                s.kind = syn.kind();
                s.def = Def::Synthetic(syn);
                s.flags = object::WASM_SYM_VISIBILITY_HIDDEN;
                if exported {
                    s.force_export = true;
                }
            }
            None if exported => {
                let id = self.add_synthetic(syn);
                self.symbols[id.index()].force_export = true;
            }
            None => return,
        }
        if self.traced(name) {
            self.trace("<internal>", "definition of", name);
        }
    }

    fn is_referenced_by_object(&self, name: &str) -> bool {
        self.objects.iter().any(|o| {
            o.obj
                .symbols
                .iter()
                .any(|s| s.name == name && !s.is_local())
        })
    }

    /// Parses the symbols of one object into the table and appends the object.
    ///
    /// Entering symbols may extract archive members, which are appended first; so while its
    /// symbols are entered the object goes by a provisional id (counted down from u32::MAX by
    /// nesting depth, so it never collides with a real one), re-pointed at the end.
    fn add_object(&mut self, name: String, obj: Object<'data>, from_archive: bool) -> Result<()> {
        let staged_id = ObjectId::new((u32::MAX - self.depth) as usize);
        let mut loaded = LoadedObject {
            name,
            bindings: vec![Binding::Local; obj.symbols.len()],
            discarded_functions: vec![false; obj.functions.len()],
            discarded_segments: vec![false; obj.data_segments.len()],
            discarded_customs: vec![false; obj.custom_sections.len()],
            obj,
            from_archive,
        };
        // COMDATs: the first object that defines a group keeps it.
        for c in &loaded.obj.comdats {
            if self.comdats.contains_key(c.name) {
                for &f in &c.functions {
                    let i = loaded.obj.defined_index(SymbolKind::Function, f);
                    if let Some(d) = i.and_then(|i| loaded.discarded_functions.get_mut(i)) {
                        *d = true;
                    }
                }
                for &s in &c.data_segments {
                    if let Some(d) = loaded.discarded_segments.get_mut(s as usize) {
                        *d = true;
                    }
                }
                for &s in &c.custom_sections {
                    for (ci, cs) in loaded.obj.custom_sections.iter().enumerate() {
                        if cs.section_index == s {
                            loaded.discarded_customs[ci] = true;
                        }
                    }
                }
            }
        }
        let new_comdats: Vec<&'data str> = loaded
            .obj
            .comdats
            .iter()
            .map(|c| c.name)
            .filter(|n| !self.comdats.contains_key(n))
            .collect();
        for n in &new_comdats {
            self.comdats.insert(n, staged_id);
        }
        self.depth += 1;
        let result = self.enter_symbols(&mut loaded, staged_id);
        self.depth -= 1;
        result?;
        let final_id = ObjectId::new(self.objects.len());
        self.add_legacy_table_reference(&loaded.obj, final_id);
        for b in &loaded.bindings {
            if let Binding::Global(id) = b {
                match &mut self.symbols[id.index()].def {
                    Def::Defined { object, .. } | Def::Undefined { object, .. }
                        if *object == staged_id =>
                    {
                        *object = final_id;
                    }
                    _ => {}
                }
            }
        }
        for n in new_comdats {
            self.comdats.insert(n, final_id);
        }
        for b in &loaded.bindings {
            if let Binding::Variant(v) = b {
                match &mut self.variants[*v as usize].def {
                    Def::Defined { object, .. } | Def::Undefined { object, .. }
                        if *object == staged_id =>
                    {
                        *object = final_id;
                    }
                    _ => {}
                }
            }
        }
        self.objects.push(loaded);
        Ok(())
    }

    /// An object from an older compiler imports `env.__indirect_function_table` without a
    /// table symbol: lld gives it one, undefined and NO_STRIP, after the object's own symbols
    /// (`ObjFile::addLegacyIndirectFunctionTableIfNeeded`). Its place in the symbol order shows
    /// in a relocatable output's symbol table and in the export order (`--export-table`, as
    /// with wasi-libc's crt1-command.o first on the command line); whether the table exists is
    /// decided from the import itself (`Live::table_needed`).
    fn add_legacy_table_reference(&mut self, obj: &Object<'data>, me: ObjectId) {
        let name = Synthetic::IndirectFunctionTable.name();
        let imports_table = obj
            .imports
            .iter()
            .any(|i| i.field == name && matches!(i.ty, wasmparser::TypeRef::Table(_)));
        let has_symbol = obj.symbols.iter().any(|s| s.kind == SymbolKind::Table);
        if !imports_table || has_symbol || self.by_name.contains_key(name) {
            return;
        }
        let undefined = Def::Undefined {
            object: me,
            index: u32::MAX,
        };
        let flags = object::WASM_SYM_UNDEFINED | object::WASM_SYM_NO_STRIP;
        self.insert(name, SymbolKind::Table, undefined, flags);
    }

    fn enter_symbols(&mut self, loaded: &mut LoadedObject<'data>, me: ObjectId) -> Result<()> {
        // lld only makes signature variants for symbols that are called directly.
        let mut called_directly = vec![false; loaded.obj.symbols.len()];
        for r in &loaded.obj.code_relocs {
            if r.ty == object::RelocType::FUNCTION_INDEX_LEB {
                if let Some(c) = called_directly.get_mut(r.index as usize) {
                    *c = true;
                }
            }
        }
        for (i, &called) in called_directly.iter().enumerate() {
            let sym = loaded.obj.symbols[i].clone();
            if sym.is_local() || sym.kind == SymbolKind::Section {
                continue;
            }
            let signature = if sym.kind == SymbolKind::Function {
                loaded.obj.function_type(sym.index).cloned()
            } else {
                None
            };
            let types = SymTypes {
                signature,
                global: if sym.kind == SymbolKind::Global {
                    loaded.obj.global_type(sym.index)
                } else {
                    None
                },
            };
            let binding = if sym.is_defined() {
                let discarded = match sym.kind {
                    SymbolKind::Function => loaded.is_function_discarded(sym.index),
                    SymbolKind::Data => sym
                        .data
                        .map(|d| loaded.discarded_segments[d.segment as usize])
                        .unwrap_or(false),
                    _ => false,
                };
                self.add_defined(&loaded.name, me, i as u32, &sym, types, discarded)?
            } else {
                self.add_undefined(&loaded.name, me, i as u32, &sym, types, called)?
            };
            loaded.bindings[i] = binding;
        }
        Ok(())
    }

    fn insert(
        &mut self,
        name: &'data str,
        kind: SymbolKind,
        def: Def,
        flags: u32,
    ) -> (SymbolId, bool) {
        if let Some(&id) = self.by_name.get(name) {
            return (id, false);
        }
        let id = SymbolId::new(self.symbols.len());
        self.symbols.push(GlobalSymbol {
            name,
            kind,
            def,
            flags,
            signature: None,
            import_module: None,
            import_name: None,
            force_export: false,
            force_import: false,
            called_directly: false,
            weak_stub: false,
        });
        self.by_name.insert(name, id);
        (id, true)
    }

    fn kind_mismatch(&self, id: SymbolId, sym_kind: SymbolKind, file: &str) -> Error {
        let s = &self.symbols[id.index()];
        err!(
            "symbol type mismatch: {}\n>>> defined as WASM_SYMBOL_TYPE_{} in {}\n>>> defined as WASM_SYMBOL_TYPE_{} in {}",
            self.shown(s.name),
            s.kind.describe().to_uppercase(),
            self.def_file(&s.def),
            sym_kind.describe().to_uppercase(),
            file
        )
    }

    /// The type of the global symbol in `id` and the file that gave it, when the slot holds
    /// a defined (`defined_only`) or an undefined global (lld's `GlobalSymbol`). Linker-made
    /// globals are `<internal>`; `ptr` is the value type a pointer has in this link.
    fn global_type(
        &self,
        id: SymbolId,
        defined_only: bool,
        ptr: wasmparser::ValType,
    ) -> Option<(wasmparser::GlobalType, String)> {
        let s = &self.symbols[id.index()];
        let from_object = |object: ObjectId, index: u32| {
            let o = &self.objects[object.index()];
            let sym = o.obj.symbols.get(index as usize)?;
            Some((o.obj.global_type(sym.index)?, o.name.clone()))
        };
        let internal = |mutable| {
            Some((
                wasmparser::GlobalType {
                    content_type: ptr,
                    mutable,
                    shared: false,
                },
                "<internal>".to_string(),
            ))
        };
        match s.def {
            Def::Defined { object, index } => from_object(object, index),
            Def::Undefined { object, index } if !defined_only => from_object(object, index),
            Def::Synthetic(Synthetic::StackPointer) => internal(true),
            Def::Synthetic(Synthetic::TlsBase) => internal(self.config.shared_memory),
            Def::Synthetic(Synthetic::TlsSize | Synthetic::TlsAlign) => internal(false),
            _ => None,
        }
    }

    /// lld's `checkGlobalType`: a global symbol met again must have the same type.
    fn check_global_type(
        &self,
        id: SymbolId,
        file: &str,
        sym: &object::Symbol<'data>,
        new_type: Option<wasmparser::GlobalType>,
        defined_only: bool,
    ) -> Result<()> {
        let Some(new_type) = new_type else {
            return Ok(());
        };
        let ptr = match (self.config.is64, new_type.content_type) {
            (Some(true), _) => wasmparser::ValType::I64,
            (Some(false), _) => wasmparser::ValType::I32,
            (None, t @ (wasmparser::ValType::I32 | wasmparser::ValType::I64)) => t,
            (None, _) => wasmparser::ValType::I32,
        };
        let Some((old_type, old_file)) = self.global_type(id, defined_only, ptr) else {
            return Ok(());
        };
        if old_type.content_type != new_type.content_type || old_type.mutable != new_type.mutable {
            let show = |t: wasmparser::GlobalType| {
                format!(
                    "{} {}",
                    if t.mutable { "var" } else { "const" },
                    t.content_type
                )
            };
            bail!(
                "Global type mismatch: {}\n>>> defined as {} in {old_file}\n>>> defined as {} in {file}",
                self.shown(sym.name),
                show(old_type),
                show(new_type)
            );
        }
        Ok(())
    }

    fn add_defined(
        &mut self,
        file: &str,
        me: ObjectId,
        index: u32,
        sym: &object::Symbol<'data>,
        types: SymTypes,
        discarded: bool,
    ) -> Result<Binding> {
        let SymTypes {
            signature,
            global: global_type,
        } = types;
        // wasm-ld enters a definition that its COMDAT group discards as a reference.
        let traced = self.traced(sym.name);
        if traced && discarded {
            self.trace(file, "reference to", sym.name);
        }
        let trace_definition = traced && !discarded;
        let new_def = Def::Defined { object: me, index };
        // A name first seen in a discarded definition is an undefined reference for wasm-ld
        // (`ObjFile::parse` falls back to `createUndefined`).
        let first_def = if discarded {
            Def::Undefined { object: me, index }
        } else {
            new_def.clone()
        };
        let (id, inserted) = self.insert(sym.name, sym.kind, first_def, sym.flags);
        let slot = id.index();
        if inserted {
            self.symbols[slot].signature = signature;
            if trace_definition {
                self.trace(file, "definition of", sym.name);
            }
            return Ok(Binding::Global(id));
        }
        if self.symbols[slot].kind != sym.kind {
            return Err(self.kind_mismatch(id, sym.kind, file));
        }
        self.check_global_type(id, file, sym, global_type, false)?;
        let check_signature = match self.symbols[slot].def {
            Def::Undefined { .. } => self.symbols[slot].called_directly,
            _ => true,
        };
        if let Some(sig) = signature
            .as_ref()
            .filter(|_| check_signature && self.is_function_slot(id))
        {
            let hit = self.function_variant(id, sig);
            if !discarded && !matches!(hit, VariantHit::Slot) {
                // The variant takes the name's place in wasm-ld's table: untraced from now.
                self.taken_over.insert(sym.name);
            }
            match hit {
                VariantHit::Slot => {}
                VariantHit::New(v) => {
                    let var = &mut self.variants[v as usize];
                    var.def = new_def;
                    var.flags = sym.flags;
                    return Ok(Binding::Variant(v));
                }
                VariantHit::Existing(v) => {
                    let var = &self.variants[v as usize];
                    let replace = self.should_replace(
                        &var.def,
                        var.flags & object::WASM_SYM_BINDING_WEAK != 0,
                        sym,
                        file,
                    );
                    let replace = self.duplicate_or_warn(replace)?;
                    if replace && !discarded {
                        let var = &mut self.variants[v as usize];
                        var.def = new_def;
                        var.flags = sym.flags;
                    }
                    return Ok(Binding::Variant(v));
                }
            }
        }
        let replace = if discarded {
            // A reference: it never takes the place of anything.
            false
        } else {
            let replace = self.should_replace(
                &self.symbols[slot].def,
                self.symbols[slot].is_weak(),
                sym,
                file,
            );
            // wasm-ld reports a duplicate and still takes the new definition (and traces it).
            if trace_definition && replace.is_err() && !self.config.noinhibit_exec {
                self.trace(file, "definition of", sym.name);
            }
            self.duplicate_or_warn(replace)?
        };
        if replace {
            let s = &mut self.symbols[slot];
            s.def = new_def;
            s.flags = sym.flags;
            if signature.is_some() {
                s.signature = signature;
            }
            if trace_definition {
                self.trace(file, "definition of", sym.name);
            }
        }
        Ok(Binding::Global(id))
    }

    /// `--noinhibit-exec`: a duplicate symbol is a warning, and the new definition is taken
    /// (lld's `shouldReplace` reports it with `errorOrWarn`, then replaces).
    fn duplicate_or_warn(&mut self, replace: Result<bool>) -> Result<bool> {
        match replace {
            Err(e) if self.config.noinhibit_exec => {
                self.warnings.push(e.to_string());
                Ok(true)
            }
            r => r,
        }
    }

    /// lld's `shouldReplace`: a definition replaces an undefined or lazy symbol; a weak one
    /// never replaces a definition; a strong one replaces a weak one; two strong ones are a
    /// duplicate (unless --allow-multiple-definition: the first wins). Objects may define what
    /// the linker would otherwise provide only weakly.
    fn should_replace(
        &self,
        existing: &Def,
        existing_weak: bool,
        sym: &object::Symbol,
        file: &str,
    ) -> Result<bool> {
        Ok(match existing {
            Def::Undefined { .. } | Def::Lazy { .. } | Def::Shared { .. } => true,
            // Stubs appear only after all inputs are read.
            Def::MismatchStub(_) => false,
            Def::Defined { .. } | Def::Synthetic(_) => {
                let synthetic = matches!(existing, Def::Synthetic(_));
                if sym.is_weak() {
                    false
                } else if existing_weak && !synthetic {
                    true
                } else if self.config.allow_multiple_definition && !synthetic {
                    false
                } else {
                    bail!(
                        "duplicate symbol: {}\n>>> defined in {}\n>>> defined in {}",
                        self.shown(sym.name),
                        self.def_file(existing),
                        file
                    );
                }
            }
        })
    }

    fn add_undefined(
        &mut self,
        file: &str,
        me: ObjectId,
        index: u32,
        sym: &object::Symbol<'data>,
        types: SymTypes,
        called_directly: bool,
    ) -> Result<Binding> {
        let SymTypes {
            signature,
            global: global_type,
        } = types;
        if self.traced(sym.name) {
            self.trace(file, "reference to", sym.name);
        }
        let (id, inserted) = self.insert(
            sym.name,
            sym.kind,
            Def::Undefined { object: me, index },
            sym.flags,
        );
        let slot = id.index();
        if inserted {
            let s = &mut self.symbols[slot];
            s.signature = signature;
            s.import_module = sym.import_module;
            s.import_name = sym.import_name;
            s.called_directly = called_directly;
            return Ok(Binding::Global(id));
        }
        // An undefined function that nothing calls directly yields to a direct call with
        // another signature: the call's reference takes the slot, with its signature, flags
        // and import names (lld's `addUndefinedFunction` replaces the symbol); otherwise the
        // call gets a variant.
        let (undefined, was_called) = match self.symbols[slot].def {
            Def::Undefined { .. } => (true, self.symbols[slot].called_directly),
            _ => (false, false),
        };
        if undefined {
            self.symbols[slot].called_directly |= called_directly;
        }
        if self.symbols[slot].kind != sym.kind {
            return Err(self.kind_mismatch(id, sym.kind, file));
        }
        self.check_global_type(id, file, sym, global_type, true)?;
        if let Some(sig) = signature
            .as_ref()
            .filter(|_| called_directly && self.is_function_slot(id))
        {
            let s = &mut self.symbols[slot];
            if undefined && !was_called && s.signature.as_ref() != Some(sig) {
                s.def = Def::Undefined { object: me, index };
                s.signature = Some(sig.clone());
                s.flags = sym.flags;
                s.import_name = sym.import_name;
                s.import_module = sym.import_module;
                return Ok(Binding::Global(id));
            }
            match self.function_variant(id, sig) {
                VariantHit::Slot => {}
                VariantHit::New(v) => {
                    let var = &mut self.variants[v as usize];
                    var.def = Def::Undefined { object: me, index };
                    var.flags = sym.flags;
                    return Ok(Binding::Variant(v));
                }
                VariantHit::Existing(v) => {
                    let var = &mut self.variants[v as usize];
                    if var.flags & object::WASM_SYM_BINDING_WEAK != 0 && !sym.is_weak() {
                        var.flags &= !object::WASM_SYM_BINDING_WEAK;
                    }
                    return Ok(Binding::Variant(v));
                }
            }
        }
        if self.symbols[slot].signature.is_none() {
            self.symbols[slot].signature = signature;
        }
        match self.symbols[slot].def.clone() {
            Def::Lazy { member, .. } => {
                if sym.is_weak() {
                    if let Def::Lazy { weak, .. } = &mut self.symbols[slot].def {
                        *weak = true;
                    }
                } else {
                    self.extract(member)?;
                    // wasm-ld records why only for functions (its addUndefinedFunction).
                    if sym.kind == SymbolKind::Function {
                        self.record_extraction(file, id);
                    }
                }
            }
            existing @ Def::Undefined { .. } => {
                let (shown, old_file) = (self.shown(sym.name), self.def_file(&existing));
                // Only functions must agree on where they come from (lld checks them in
                // `addUndefinedFunction`); a global or table keeps its first import names
                // (checked with rust-lld 22).
                let checked = sym.kind == SymbolKind::Function;
                let s = &mut self.symbols[slot];
                if let Some(n) = sym.import_name {
                    match s.import_name {
                        None => s.import_name = Some(n),
                        Some(old) if checked && old != n => bail!(
                            "import name mismatch for symbol: {shown}\n>>> defined as {old} in {old_file}\n>>> defined as {n} in {file}"
                        ),
                        _ => {}
                    }
                }
                if let Some(m) = sym.import_module {
                    match s.import_module {
                        None => s.import_module = Some(m),
                        Some(old) if checked && old != m => bail!(
                            "import module mismatch for symbol: {shown}\n>>> defined as {old} in {old_file}\n>>> defined as {m} in {file}"
                        ),
                        _ => {}
                    }
                }
                if s.is_weak() && !sym.is_weak() {
                    s.flags = (s.flags & !object::WASM_SYM_BINDING_WEAK)
                        | (sym.flags & object::WASM_SYM_BINDING_WEAK);
                }
            }
            Def::Defined { .. } | Def::Synthetic(_) | Def::MismatchStub(_) | Def::Shared { .. } => {
            }
        }
        Ok(Binding::Global(id))
    }

    /// Enters a shared library's exports (lld `SymbolTable::addSharedFunction`,
    /// `addSharedData`): each takes an undefined or lazy slot (no archive member is
    /// extracted for it) and yields to a definition, the first library's to any other. A
    /// function must have the signature its references have, unless `--no-shlib-sigcheck`
    /// (then the references' signature is imported).
    fn add_shared(&mut self, name: String, data: &'data [u8]) -> Result<()> {
        let lib = crate::shared::parse(&name, data)?;
        let n = self.shared_libs.len() as u32;
        self.shared_libs.push(name.clone());
        for e in lib.exports {
            let kind = match e.signature {
                Some(_) => SymbolKind::Function,
                None => SymbolKind::Data,
            };
            let (id, inserted) = self.insert(e.name, kind, Def::Shared { lib: n }, 0);
            let slot = id.index();
            if inserted {
                self.symbols[slot].signature = e.signature;
                continue;
            }
            if self.symbols[slot].kind != kind {
                return Err(self.kind_mismatch(id, kind, &name));
            }
            if self.symbols[slot].is_defined()
                || matches!(self.symbols[slot].def, Def::Shared { .. })
            {
                continue;
            }
            let old = self.symbols[slot].signature.clone();
            if let (Some(old), Some(new), false) =
                (&old, &e.signature, self.config.no_shlib_sigcheck)
            {
                if old != new {
                    bail!(
                        "function signature mismatch: {}\n>>> defined as {} in {}\n>>> defined as {} in {name}",
                        self.shown(e.name),
                        signature_string(old),
                        self.def_file(&self.symbols[slot].def),
                        signature_string(new),
                    );
                }
            }
            let s = &mut self.symbols[slot];
            s.def = Def::Shared { lib: n };
            s.flags = 0;
            if old.is_none() || !self.config.no_shlib_sigcheck {
                s.signature = e.signature;
            }
        }
        Ok(())
    }

    /// Whether a slot is a function symbol that has a signature to compare against (lld's
    /// `FunctionSymbol`: defined or undefined, not lazy).
    fn is_function_slot(&self, id: SymbolId) -> bool {
        let s = &self.symbols[id.index()];
        s.kind == SymbolKind::Function
            && s.signature.is_some()
            && matches!(s.def, Def::Defined { .. } | Def::Undefined { .. })
    }

    /// lld's `getFunctionVariant`: finds or creates the variant of a name for a signature.
    fn function_variant(&mut self, id: SymbolId, sig: &FuncType) -> VariantHit {
        if self.symbols[id.index()].signature.as_ref() == Some(sig) {
            return VariantHit::Slot;
        }
        if let Some(list) = self.slot_variants.get(&id) {
            for &v in list {
                if self.variants[v as usize].signature == *sig {
                    return VariantHit::Existing(v);
                }
            }
        } else {
            self.variant_names.push(id);
        }
        let v = self.variants.len() as u32;
        self.variants.push(Variant {
            slot: id,
            signature: sig.clone(),
            def: Def::Undefined {
                object: ObjectId::new(u32::MAX as usize),
                index: 0,
            },
            flags: 0,
        });
        self.slot_variants.entry(id).or_default().push(v);
        VariantHit::New(v)
    }

    /// The file a symbol's definition (or reference) comes from, as lld's `toString(file)`
    /// names it in diagnostics: `foo.o`, `libc.a(printf.o)` (an archive member not yet
    /// extracted too), `<internal>` for what the linker made.
    fn def_file(&self, def: &Def) -> String {
        match def {
            Def::Defined { object, .. } | Def::Undefined { object, .. } => self
                .objects
                .get(object.index())
                .map(|o| o.name.clone())
                .unwrap_or_else(|| "<internal>".into()),
            Def::Lazy { member, .. } => self.lazy[*member as usize].name.clone(),
            Def::Shared { lib } => self.shared_libs[*lib as usize].clone(),
            Def::Synthetic(_) | Def::MismatchStub(_) => "<internal>".into(),
        }
    }

    /// A symbol name as lld's diagnostics print it (`toString(Symbol)`): demangled unless
    /// `--no-demangle`, and `__main_argc_argv` as `main`.
    fn shown(&self, name: &str) -> String {
        crate::demangle::demangle(self.config, name)
    }

    /// lld's `handleSymbolVariants` (SymbolTable.cpp): for each name with several signatures,
    /// every variant but the definition becomes a `signature_mismatch:NAME` stub, with a
    /// warning; with no definition it is an error. The names come in the iteration order of
    /// the LLVM `DenseMap` lld keeps them in (`symVariants`, keyed by name), which
    /// [`crate::hash::dense_map_order`] reproduces; within a name, in variant creation order.
    fn handle_symbol_variants(&mut self) -> Result<Vec<MismatchStub>> {
        let names: Vec<&'data str> = self
            .variant_names
            .iter()
            .map(|id| self.symbols[id.index()].name)
            .collect();
        let order = crate::hash::dense_map_order(&names);
        let mut stubs = Vec::new();
        for name in order {
            let id = self.by_name[name];
            let list = self.slot_variants[&id].clone();
            // (signature, def, owner: None = the slot, Some(v) = variant v), slot first.
            let mut all: Vec<(FuncType, Def, Option<u32>)> = vec![(
                self.symbols[id.index()]
                    .signature
                    .clone()
                    .unwrap_or_default(),
                self.symbols[id.index()].def.clone(),
                None,
            )];
            for v in list {
                let var = &self.variants[v as usize];
                all.push((var.signature.clone(), var.def.clone(), Some(v)));
            }
            let Some(defined) = all
                .iter()
                .position(|(_, d, _)| matches!(d, Def::Defined { .. }))
            else {
                bail!(
                    "function signature mismatch: {}\n>>> defined as {} in {}\n>>> defined as {} in {}",
                    self.shown(name),
                    signature_string(&all[0].0),
                    self.def_file(&all[0].1),
                    signature_string(&all[1].0),
                    self.def_file(&all[1].1)
                );
            };
            for (i, (sig, def, owner)) in all.iter().enumerate() {
                if i == defined {
                    continue;
                }
                self.warnings.push(format!(
                    "function signature mismatch: {}\n>>> defined as {} in {}\n>>> defined as {} in {}",
                    self.shown(name),
                    signature_string(sig),
                    self.def_file(def),
                    signature_string(&all[defined].0),
                    self.def_file(&all[defined].1)
                ));
                let n = stubs.len() as u32;
                stubs.push(MismatchStub {
                    slot: id,
                    signature: sig.clone(),
                });
                match owner {
                    None => {
                        let s = &mut self.symbols[id.index()];
                        s.def = Def::MismatchStub(n);
                        s.flags =
                            object::WASM_SYM_BINDING_LOCAL | object::WASM_SYM_VISIBILITY_HIDDEN;
                        // The stub replaces the symbol first made for the name, which keeps
                        // its --trace-symbol mark (variants never have one).
                        if self.slot_traced(id) {
                            let stub = format!(
                                "signature_mismatch:{}",
                                crate::demangle::demangle(self.config, name)
                            );
                            self.trace("<internal>", "definition of", &stub);
                        }
                    }
                    Some(v) => self.variants[*v as usize].def = Def::MismatchStub(n),
                }
            }
        }
        Ok(stubs)
    }

    fn add_lazy_member(&mut self, name: String, data: &'data [u8]) -> Result<()> {
        let member = self.lazy.len() as u32;
        let defined = object::lazy_symbols(data).with_context(|| name.clone())?;
        self.lazy.push(LazyMember {
            name,
            data,
            extracted: false,
        });
        for (sym_name, kind) in defined {
            if self.lazy[member as usize].extracted {
                break; // extracted while scanning
            }
            let (id, inserted) = self.insert(
                sym_name,
                kind,
                Def::Lazy {
                    member,
                    weak: false,
                },
                0,
            );
            let trace_lazy = |r: &mut Self| {
                if r.traced(sym_name) {
                    let file = r.lazy[member as usize].name.clone();
                    r.trace(&file, "lazy definition of", sym_name);
                }
            };
            if inserted {
                trace_lazy(self);
                continue;
            }
            let slot = id.index();
            if let Def::Undefined { .. } = self.symbols[slot].def {
                if self.symbols[slot].is_weak() {
                    // A weak undefined reference never extracts a member, whether the archive
                    // comes before or after it (lld's `addLazy`): remember the member.
                    self.symbols[slot].def = Def::Lazy { member, weak: true };
                    trace_lazy(self);
                } else {
                    // The file of the reference, named before the member replaces it.
                    let reference = self.config.why_extract.as_ref().map(|_| self.file_of(id));
                    self.extract(member)?;
                    if let Some(reference) = reference {
                        self.record_extraction(&reference, id);
                    }
                }
            }
        }
        Ok(())
    }

    fn extract(&mut self, member: u32) -> Result<()> {
        let m = &mut self.lazy[member as usize];
        if m.extracted {
            return Ok(());
        }
        m.extracted = true;
        let name = m.name.clone();
        let data = m.data;
        self.load(name, data, true)
    }

    /// `-u`, `--export`, `--entry`: look a name up; extract it if lazy. `option` is how
    /// `--why-extract` names the reason.
    fn handle_undefined(&mut self, name: &str, option: &str) -> Result<()> {
        if let Some(&id) = self.by_name.get(name) {
            if let Def::Lazy { member, .. } = self.symbols[id.index()].def {
                self.extract(member)?;
                self.record_extraction(option, id);
            }
        }
        Ok(())
    }
}

/// lld's `InputFile::checkArch`, run as each object is read (an archive member when it is
/// extracted): a wasm64 object needs `-mwasm64` (`-m wasm64`); without it, or with
/// `-mwasm64` and a wasm32 object (or `-mwasm32` and a wasm64 one, with lld's same words),
/// the link stops at that file. So the output is wasm64 exactly when `-mwasm64` says so.
fn check_arch(config: &Config, name: &str, obj: &Object) -> Result<()> {
    let is64 = obj.is_wasm64();
    if is64 && config.is64.is_none() {
        bail!("{name}: must specify -mwasm64 to process wasm64 object files");
    }
    if config.is64.unwrap_or(false) != is64 {
        bail!("{name}: wasm32 object file can't be linked in wasm64 mode");
    }
    Ok(())
}

/// A signature as lld prints it: `(i32, i32) -> i32`, `() -> void`.
pub fn signature_string(sig: &FuncType) -> String {
    let ty = |t: &wasmparser::ValType| match t {
        wasmparser::ValType::I32 => "i32".to_string(),
        wasmparser::ValType::I64 => "i64".to_string(),
        wasmparser::ValType::F32 => "f32".to_string(),
        wasmparser::ValType::F64 => "f64".to_string(),
        wasmparser::ValType::V128 => "v128".to_string(),
        wasmparser::ValType::Ref(r) if *r == wasmparser::RefType::FUNCREF => "funcref".into(),
        wasmparser::ValType::Ref(r) if *r == wasmparser::RefType::EXTERNREF => "externref".into(),
        wasmparser::ValType::Ref(_) => "ref".into(),
    };
    let params: Vec<String> = sig.params.iter().map(ty).collect();
    let result = sig.results.first().map(ty).unwrap_or_else(|| "void".into());
    format!("({}) -> {}", params.join(", "), result)
}
