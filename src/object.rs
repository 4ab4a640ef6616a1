//! Stage `object`: parse ONE relocatable object into an [`Object`], or fail with an error that
//! names the section, byte offset and (where there is one) the symbol.
//!
//! The object's bytes are borrowed (`'data`), never copied: function bodies and data segment
//! contents stay slices of the input, and later stages copy them once into the output. Standard
//! sections are read with wasmparser; the section headers and the code and data sections are
//! walked by hand because the linker needs the exact offset of every body and segment
//! (relocation offsets are relative to the section payload), and the `linking` / `reloc.*`
//! custom sections (tool-conventions Linking.md) are decoded here. What is read by hand is read
//! as LLVM's object reader reads it (module `lax`: padded LEBs; unknown data segment flags and
//! `linking` subsections ignored), so that wasm-ld's verdict on an odd object is the linker's
//! too. Parsing returns a whole `Object` or an error, so a failure leaves nothing half-built.

use crate::error::{Context, Error, Result};
use crate::{bail, err};
use std::ops::Range;
use touchstone_format::linking::{
    self, WASM_COMDAT_INFO, WASM_INIT_FUNCS, WASM_SEGMENT_INFO, WASM_SYMBOL_TABLE,
};
use touchstone_format::reloc::Addend;
use wasmparser::{BinaryReader, Payload, TypeRef, ValType};

mod lax;

// Symbol and segment flags (defined with the format facts).
pub use touchstone_format::flags::*;

/// The kinds of symbol in the linking symbol table (defined with the format facts).
pub use touchstone_format::SymbolKind;

/// A function signature, compared by exact equality of parameters and results.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FuncType {
    pub params: Vec<ValType>,
    pub results: Vec<ValType>,
}

/// Where a defined data symbol lives: a segment of this object, an offset and a size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataRef {
    pub segment: u32,
    pub offset: u64,
    pub size: u64,
}

/// One entry of the object's symbol table.
#[derive(Clone, Debug)]
pub struct Symbol<'data> {
    pub kind: SymbolKind,
    pub flags: u32,
    /// The symbol name; for an undefined symbol without EXPLICIT_NAME, the import field name.
    pub name: &'data str,
    /// Function/global/tag/table index in the object's index space, or the section index for
    /// section symbols. Unused for data symbols.
    pub index: u32,
    /// For defined data symbols.
    pub data: Option<DataRef>,
    /// For undefined symbols: the import module, and the import field when it was given
    /// explicitly (EXPLICIT_NAME), as LLVM's object reader records them.
    pub import_module: Option<&'data str>,
    pub import_name: Option<&'data str>,
}

impl Symbol<'_> {
    pub fn is_undefined(&self) -> bool {
        self.flags & WASM_SYM_UNDEFINED != 0
    }
    pub fn is_defined(&self) -> bool {
        !self.is_undefined()
    }
    pub fn is_weak(&self) -> bool {
        self.flags & WASM_SYM_BINDING_WEAK != 0
    }
    pub fn is_local(&self) -> bool {
        self.flags & WASM_SYM_BINDING_LOCAL != 0
    }
}

/// The relocation types of Linking.md, one table shared with the tooling.
pub use touchstone_format::RelocType;

/// One relocation entry. `offset` is relative to the start of the target section's payload.
#[derive(Clone, Copy, Debug)]
pub struct Reloc {
    pub ty: RelocType,
    pub offset: u32,
    /// Symbol index, or type index for TYPE_INDEX_LEB.
    pub index: u32,
    pub addend: i64,
}

/// The relocations of one chunk (a function body or a data segment): its entries in the
/// object's `code_relocs` or `data_relocs`. Those lists are sorted by offset (the reader
/// refuses any other order), so each chunk's relocations are one contiguous run, found once
/// when the object is parsed and read by every later stage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RelocRange {
    pub start: u32,
    pub end: u32,
}

impl RelocRange {
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The entries of `relocs` that fall inside the chunk at `offset` of length `len`.
    fn of_chunk(relocs: &[Reloc], offset: u32, len: usize) -> RelocRange {
        let start = relocs.partition_point(|r| r.offset < offset);
        let end = relocs.partition_point(|r| (r.offset as usize) < offset as usize + len);
        RelocRange {
            start: start as u32,
            end: end as u32,
        }
    }
}

/// An imported item of the object.
#[derive(Clone, Debug)]
pub struct Import<'data> {
    pub module: &'data str,
    pub field: &'data str,
    pub ty: TypeRef,
}

/// A defined function: its type and its body bytes, the body-size LEB included.
#[derive(Clone, Copy, Debug)]
pub struct Function<'data> {
    pub type_index: u32,
    /// The body as it stands in the code section, starting with its size LEB.
    pub body: &'data [u8],
    /// Offset of `body` from the start of the code section payload.
    pub offset: u32,
    /// Its relocations in [`Object::code_relocs`].
    pub relocs: RelocRange,
}

/// A defined global: its type and its initializer expression (the bytes after the type,
/// including the final `end`).
#[derive(Clone, Copy, Debug)]
pub struct Global<'data> {
    pub ty: wasmparser::GlobalType,
    pub init: &'data [u8],
}

/// A data segment with its segment-info properties.
#[derive(Clone, Debug)]
pub struct DataSegment<'data> {
    pub name: &'data str,
    /// log2 of the alignment.
    pub p2align: u32,
    pub flags: u32,
    pub data: &'data [u8],
    /// Offset of `data` from the start of the data section payload.
    pub offset: u32,
    /// Whether the segment is passive in the object (rare; clang emits active segments).
    pub passive: bool,
    /// Its relocations in [`Object::data_relocs`].
    pub relocs: RelocRange,
}

impl DataSegment<'_> {
    pub fn is_tls(&self) -> bool {
        self.flags & WASM_SEG_FLAG_TLS != 0
    }
    /// Whether the segment holds thread-local data: the TLS flag, or a `.tdata`/`.tbss` name
    /// (older LLVMs set no flag; lld's `ObjFile::parse` sets it for these names, and every
    /// rule of the link reads this answer).
    pub fn is_thread_local(&self) -> bool {
        self.is_tls() || self.name.starts_with(".tdata") || self.name.starts_with(".tbss")
    }
    pub fn is_strings(&self) -> bool {
        self.flags & WASM_SEG_FLAG_STRINGS != 0
    }
    pub fn is_retained(&self) -> bool {
        self.flags & WASM_SEG_FLAG_RETAIN != 0
    }
    pub fn alignment(&self) -> u64 {
        1u64 << self.p2align.min(63)
    }
}

/// A custom section of the input, other than `linking`, `reloc.*`, `name`, `producers` and
/// `target_features` (those are decoded into fields of [`Object`]).
#[derive(Clone, Debug)]
pub struct CustomSection<'data> {
    pub name: &'data str,
    pub data: &'data [u8],
    /// Index of the section in the object (relocation sections and section symbols use it).
    pub section_index: u32,
    pub relocs: Vec<Reloc>,
}

/// A COMDAT group: the items of this object that belong to it.
#[derive(Clone, Debug)]
pub struct Comdat<'data> {
    pub name: &'data str,
    pub functions: Vec<u32>,
    pub data_segments: Vec<u32>,
    pub custom_sections: Vec<u32>,
}

/// An entry of WASM_INIT_FUNCS.
#[derive(Clone, Copy, Debug)]
pub struct InitFunc {
    pub priority: u32,
    pub symbol: u32,
}

/// A `target_features` entry: prefix (`+`, `-`, `=`) and name.
#[derive(Clone, Copy, Debug)]
pub struct Feature<'data> {
    pub prefix: u8,
    /// The name's bytes: LLVM's reader does not require UTF-8 here, and copies them.
    pub name: &'data [u8],
}

/// One relocatable object, parsed.
#[derive(Clone, Debug, Default)]
pub struct Object<'data> {
    pub types: Vec<FuncType>,
    pub imports: Vec<Import<'data>>,
    /// Index space bookkeeping: how many of each kind are imported.
    pub imported_functions: Vec<u32>,
    pub imported_globals: Vec<u32>,
    pub imported_tables: Vec<u32>,
    pub imported_tags: Vec<u32>,
    pub functions: Vec<Function<'data>>,
    pub tables: Vec<wasmparser::TableType>,
    pub memories: Vec<wasmparser::MemoryType>,
    pub globals: Vec<Global<'data>>,
    /// Defined tags: their type indices.
    pub tags: Vec<u32>,
    pub data_segments: Vec<DataSegment<'data>>,
    pub custom_sections: Vec<CustomSection<'data>>,
    pub symbols: Vec<Symbol<'data>>,
    pub init_funcs: Vec<InitFunc>,
    pub comdats: Vec<Comdat<'data>>,
    pub code_relocs: Vec<Reloc>,
    pub data_relocs: Vec<Reloc>,
    pub target_features: Vec<Feature<'data>>,
    /// producers: (field, [(name, version)]).
    pub producers: Vec<(&'data str, Vec<(&'data str, &'data str)>)>,
    /// Export names given by the object's export section: (function index, name).
    pub export_names: Vec<(u32, &'data str)>,
    /// Debug names of functions from the object's `name` section: (function index, name).
    pub function_names: Vec<(u32, &'data str)>,
    /// Section index of the code section, data section (for reloc section targets).
    pub code_section_index: Option<u32>,
    pub data_section_index: Option<u32>,
    /// Whether the object had a `linking` section.
    pub has_linking: bool,
}

impl<'data> Object<'data> {
    /// Whether this is a wasm64 object: one with a 64-bit memory, imported or defined (how
    /// LLVM's `WasmObjectFile::getArch` tells wasm64 from wasm32; an object's compiler always
    /// imports `__linear_memory`).
    pub fn is_wasm64(&self) -> bool {
        let imported = self
            .imports
            .iter()
            .any(|i| matches!(i.ty, TypeRef::Memory(m) if m.memory64));
        imported || self.memories.iter().any(|m| m.memory64)
    }

    pub fn num_imported_functions(&self) -> u32 {
        self.imported_functions.len() as u32
    }
    pub fn num_imported_globals(&self) -> u32 {
        self.imported_globals.len() as u32
    }
    pub fn num_imported_tables(&self) -> u32 {
        self.imported_tables.len() as u32
    }
    pub fn num_imported_tags(&self) -> u32 {
        self.imported_tags.len() as u32
    }

    /// The names wasm-ld gives an object's functions, globals, tags and tables (in that order of
    /// kinds): the name of the first symbol that defines each (LLVM's `SymbolName`), None for
    /// one without a symbol (printed as an empty name).
    pub fn element_names(&self) -> [Vec<Option<&'data str>>; 4] {
        let mut names = [
            vec![None; self.functions.len()],
            vec![None; self.globals.len()],
            vec![None; self.tags.len()],
            vec![None; self.tables.len()],
        ];
        for sym in &self.symbols {
            if sym.is_undefined() {
                continue;
            }
            let kind = match sym.kind {
                SymbolKind::Function => 0,
                SymbolKind::Global => 1,
                SymbolKind::Tag => 2,
                SymbolKind::Table => 3,
                SymbolKind::Data | SymbolKind::Section => continue,
            };
            let slot = self
                .defined_index(sym.kind, sym.index)
                .and_then(|i| names[kind].get_mut(i));
            if let Some(slot @ None) = slot {
                *slot = Some(sym.name);
            }
        }
        names
    }

    /// Element `index` of `kind`'s index space (imports first, as symbols and relocations
    /// number them) as a position among the object's own definitions of that kind, or `None`
    /// when it is an import. The one place the split of an input index space is undone.
    pub fn defined_index(&self, kind: SymbolKind, index: u32) -> Option<usize> {
        let imported = match kind {
            SymbolKind::Function => self.num_imported_functions(),
            SymbolKind::Global => self.num_imported_globals(),
            SymbolKind::Table => self.num_imported_tables(),
            SymbolKind::Tag => self.num_imported_tags(),
            SymbolKind::Data | SymbolKind::Section => 0,
        };
        index.checked_sub(imported).map(|d| d as usize)
    }

    /// The relocations of defined function `f` (its index among the defined functions).
    pub fn function_relocs(&self, f: usize) -> &[Reloc] {
        &self.code_relocs[self.functions[f].relocs.range()]
    }

    /// The relocations of data segment `s`.
    pub fn segment_relocs(&self, s: usize) -> &[Reloc] {
        &self.data_relocs[self.data_segments[s].relocs.range()]
    }

    /// The type of global `index` (object index space, imports first).
    pub fn global_type(&self, index: u32) -> Option<wasmparser::GlobalType> {
        if let Some(&imp) = self.imported_globals.get(index as usize) {
            match self.imports[imp as usize].ty {
                TypeRef::Global(t) => Some(t),
                _ => None,
            }
        } else {
            let d = self.defined_index(SymbolKind::Global, index)?;
            self.globals.get(d).map(|g| g.ty)
        }
    }

    /// The signature of function `index` (object index space, imports first).
    pub fn function_type(&self, index: u32) -> Option<&FuncType> {
        let ty = if let Some(&imp) = self.imported_functions.get(index as usize) {
            match self.imports[imp as usize].ty {
                TypeRef::Func(t) | TypeRef::FuncExact(t) => t,
                _ => return None,
            }
        } else {
            let d = self.defined_index(SymbolKind::Function, index)?;
            self.functions.get(d)?.type_index
        };
        self.types.get(ty as usize)
    }
}

/// Reads a LEB-encoded u32 etc. from `reader`, adding the context `what` to errors.
fn ctx<T>(r: wasmparser::Result<T>, what: &str) -> Result<T> {
    r.map_err(|e| err!("{what}: {}", e.message()).context(format!("at 0x{:x}", e.offset())))
}

fn werr(e: wasmparser::BinaryReaderError) -> Error {
    err!("{} (at offset 0x{:x})", e.message(), e.offset())
}

/// Checks that a count read from the input can be real: each element takes at least one byte,
/// so a count larger than the bytes left is malformed. Prevents allocations sized by a forged
/// count.
fn check_count(count: u32, reader: &BinaryReader, what: &str) -> Result<usize> {
    if count as usize > reader.bytes_remaining() {
        bail!(
            "{what} count {count} at 0x{:x} exceeds the {} bytes left in the section",
            reader.original_position(),
            reader.bytes_remaining()
        );
    }
    Ok(count as usize)
}

/// Reads only what a lazy archive member contributes before it is loaded: the names and kinds
/// of its defined, non-local symbols, in symbol-table order. The rest of the object is parsed
/// (and checked) if a reference extracts it.
pub fn lazy_symbols(data: &[u8]) -> Result<Vec<(&str, SymbolKind)>> {
    if data.len() < 8 || &data[0..4] != b"\0asm" {
        bail!("not a WebAssembly object: bad magic number");
    }
    for s in sections(data)? {
        if s.id != 0 {
            continue;
        }
        let mut b = BinaryReader::new(s.body, s.pos);
        if lax::string(&mut b, "custom section name")? != "linking" {
            continue;
        }
        return lazy_symbols_in_linking(&mut b).context("custom section 'linking'");
    }
    bail!("not a relocatable wasm file");
}

fn lazy_symbols_in_linking<'data>(
    r: &mut BinaryReader<'data>,
) -> Result<Vec<(&'data str, SymbolKind)>> {
    let version = lax::u32(r, "version")?;
    if version != linking::VERSION {
        bail!(
            "unexpected metadata version: {version} (Expected: {})",
            linking::VERSION
        );
    }
    let mut out = Vec::new();
    while !r.eof() {
        let id = ctx(r.read_u8(), "subsection id")?;
        let size = lax::u32(r, "subsection size")?;
        let pos = r.original_position();
        let sub = ctx(r.read_bytes(size as usize), "subsection")?;
        if id != WASM_SYMBOL_TABLE {
            continue;
        }
        let mut s = BinaryReader::new(sub, pos);
        let count = lax::u32(&mut s, "symbol count")?;
        let n = check_count(count, &s, "symbol")?;
        for _ in 0..n {
            let rec = read_symbol_record(&mut s, |_, _, _| Ok(()))?;
            let local = rec.flags & WASM_SYM_BINDING_LOCAL != 0;
            if let Some(name) = rec.name {
                if rec.is_defined() && !local && rec.kind != SymbolKind::Section {
                    out.push((name, rec.kind));
                }
            }
        }
    }
    Ok(out)
}

/// Parses one relocatable object.
pub fn parse(data: &[u8]) -> Result<Object<'_>> {
    check_header(data)?;
    let sections = sections(data)?;
    check_section_order(&sections)?;
    let mut obj = Object::default();
    let mut later = Deferred::default();
    for (section_index, s) in (0u32..).zip(&sections) {
        match s.id {
            0 => read_custom_section(&mut obj, &mut later, s, section_index)?,
            CODE_SECTION => {
                obj.code_section_index = Some(section_index);
                later.code_bodies = read_code_section(s.body, s.pos).context("code section")?;
            }
            DATA_SECTION => {
                obj.data_section_index = Some(section_index);
                read_data_section(&mut obj, s, later.data_count)?;
            }
            DATA_COUNT_SECTION => {
                let mut r = BinaryReader::new(s.body, s.pos);
                later.data_count = Some(lax::u32(&mut r, "data count section: count")?);
            }
            _ => read_module_section(&mut obj, &mut later, module_payload(s)?)?,
        }
    }
    let (types, bodies) = (
        std::mem::take(&mut later.function_types),
        std::mem::take(&mut later.code_bodies),
    );
    add_functions(&mut obj, types, bodies)?;
    check_import_types(&obj)?;
    read_deferred(&mut obj, later)?;
    Ok(obj)
}

/// What `parse` reads only once every section is known: the function section's types (paired
/// with the code section's bodies), and the custom sections that describe the others
/// (`linking` and `reloc.*` come after the sections they relocate; `name` is read last).
#[derive(Default)]
struct Deferred<'data> {
    function_types: Vec<u32>,
    code_bodies: Vec<(u32, &'data [u8])>,
    linking: Option<(&'data [u8], u64)>,
    reloc_sections: Vec<(&'data [u8], u64, std::borrow::Cow<'data, str>)>,
    names: Option<(&'data [u8], u64)>,
    /// The data count section's count, checked against the data section (which follows it).
    data_count: Option<u32>,
}

/// The data segment flags LLVM's reader knows (`WASM_DATA_SEGMENT_*`).
const WASM_DATA_SEGMENT_IS_PASSIVE: u32 = 0x01;
const WASM_DATA_SEGMENT_HAS_MEMINDEX: u32 = 0x02;

/// Section ids the object reader handles itself rather than through wasmparser's readers.
const CODE_SECTION: u8 = 10;
const DATA_SECTION: u8 = 11;
const DATA_COUNT_SECTION: u8 = 12;

/// One section as LLVM's reader frames it: its id, and its payload with the payload's offset
/// in the file.
struct RawSection<'data> {
    id: u8,
    /// Offset of the payload.
    pos: u64,
    body: &'data [u8],
}

/// The sections after the header. A section size is read as LLVM's reader reads it
/// (`readSection`: a `readVaruint32`, padding bytes allowed, so an overlong size LEB that the
/// core spec calls malformed is taken, as wasm-ld does); a size running past the end of the
/// file is "section too large" (LLVM's words), named with its id and offset.
fn sections(data: &[u8]) -> Result<Vec<RawSection<'_>>> {
    let mut r = BinaryReader::new(data, 0);
    r.read_bytes(8).map_err(werr)?;
    let mut out = Vec::new();
    while !r.eof() {
        let at = r.original_position();
        let id = ctx(r.read_u8(), "section id")?;
        let size = lax::u32(&mut r, "section size")?;
        if size as usize > r.bytes_remaining() {
            bail!(
                "section too large: section {id} at offset 0x{at:x} declares {size} bytes but {} remain",
                r.bytes_remaining()
            );
        }
        let pos = r.original_position();
        let body = r.read_bytes(size as usize).map_err(werr)?;
        out.push(RawSection { id, pos, body });
    }
    Ok(out)
}

/// A standard section other than code, data and data count, as wasmparser's `Parser` gives
/// it (its readers hold the contents to the core spec).
fn module_payload<'data>(s: &RawSection<'data>) -> Result<Payload<'data>> {
    use wasmparser::*;
    let r = BinaryReader::new(s.body, s.pos);
    let range = s.pos..s.pos + s.body.len() as u64;
    // The readers read the section's count first: an error there names the section.
    let named = |e: BinaryReaderError| {
        let name = touchstone_format::section_name(s.id).to_lowercase();
        werr(e).context(format!("{name} section"))
    };
    Ok(match s.id {
        1 => Payload::TypeSection(TypeSectionReader::new(r).map_err(named)?),
        2 => Payload::ImportSection(ImportSectionReader::new(r).map_err(named)?),
        3 => Payload::FunctionSection(FunctionSectionReader::new(r).map_err(named)?),
        4 => Payload::TableSection(TableSectionReader::new(r).map_err(named)?),
        5 => Payload::MemorySection(MemorySectionReader::new(r).map_err(named)?),
        6 => Payload::GlobalSection(GlobalSectionReader::new(r).map_err(named)?),
        7 => Payload::ExportSection(ExportSectionReader::new(r).map_err(named)?),
        8 => {
            let mut r = r;
            let func = ctx(r.read_var_u32(), "start section: function index")?;
            if !r.eof() {
                bail!(
                    "unexpected content in the start section (at offset 0x{:x})",
                    r.original_position()
                );
            }
            Payload::StartSection { func, range }
        }
        9 => Payload::ElementSection(ElementSectionReader::new(r).map_err(named)?),
        13 => Payload::TagSection(TagSectionReader::new(r).map_err(named)?),
        id => Payload::UnknownSection {
            id,
            contents: s.body,
            range,
        },
    })
}

/// The magic number and version 1.
fn check_header(data: &[u8]) -> Result<()> {
    if data.len() < 8 || &data[0..4] != b"\0asm" {
        bail!("not a WebAssembly object: bad magic number");
    }
    if data[4..8] != [1, 0, 0, 0] {
        bail!(
            "invalid version number: {}",
            u32::from_le_bytes([data[4], data[5], data[6], data[7]])
        );
    }
    Ok(())
}

/// The standard sections other than code and data, each through wasmparser's reader; errors
/// name the section.
fn read_module_section<'data>(
    obj: &mut Object<'data>,
    later: &mut Deferred<'data>,
    payload: Payload<'data>,
) -> Result<()> {
    match payload {
        Payload::TypeSection(r) => read_type_section(obj, r)?,
        Payload::ImportSection(r) => read_import_section(obj, r)?,
        Payload::FunctionSection(r) => {
            for t in r {
                later
                    .function_types
                    .push(t.map_err(werr).context("function section")?);
            }
        }
        Payload::TableSection(r) => {
            for t in r {
                obj.tables
                    .push(t.map_err(werr).context("table section")?.ty);
            }
        }
        Payload::MemorySection(r) => {
            for m in r {
                obj.memories
                    .push(m.map_err(werr).context("memory section")?);
            }
        }
        Payload::TagSection(r) => {
            for t in r {
                obj.tags
                    .push(t.map_err(werr).context("tag section")?.func_type_idx);
            }
        }
        Payload::GlobalSection(r) => {
            for (i, g) in r.into_iter().enumerate() {
                let g = g.map_err(werr).context("global section")?;
                check_init_expr(&g.init_expr, &format!("global section: global {i}"))?;
                let mut er = g.init_expr.get_binary_reader();
                let init = er.read_bytes(er.bytes_remaining()).map_err(werr)?;
                obj.globals.push(Global { ty: g.ty, init });
            }
        }
        // Objects export only functions given an explicit export name (`export_name`
        // attribute); the name replaces the symbol name on export.
        Payload::ExportSection(r) => {
            for e in r {
                let e = e.map_err(werr).context("export section")?;
                if e.kind == wasmparser::ExternalKind::Func {
                    obj.export_names.push((e.index, e.name));
                }
            }
        }
        // Older LLVM wrote the address-taken functions of an object into an element segment;
        // the linker builds the table from TABLE_INDEX relocations instead and, like lld,
        // ignores input element segments.
        Payload::StartSection { .. } | Payload::ElementSection(_) => {}
        Payload::DataCountSection { .. } => {}
        other => {
            let id = other.as_section().map_or(0, |(id, _)| id);
            bail!("unsupported section (id {id}) in a relocatable object");
        }
    }
    Ok(())
}

fn read_type_section(obj: &mut Object, r: wasmparser::TypeSectionReader) -> Result<()> {
    for rec in r {
        let rec = rec.map_err(werr).context("type section")?;
        for sub in rec.into_types() {
            match &sub.composite_type.inner {
                wasmparser::CompositeInnerType::Func(f) => obj.types.push(FuncType {
                    params: f.params().to_vec(),
                    results: f.results().to_vec(),
                }),
                _ => bail!("type section: only function types are supported"),
            }
        }
    }
    Ok(())
}

fn read_import_section<'data>(
    obj: &mut Object<'data>,
    r: wasmparser::ImportSectionReader<'data>,
) -> Result<()> {
    for imp in r.into_imports() {
        let imp = imp.map_err(werr).context("import section")?;
        let i = obj.imports.len() as u32;
        match imp.ty {
            TypeRef::Func(_) | TypeRef::FuncExact(_) => obj.imported_functions.push(i),
            TypeRef::Global(_) => obj.imported_globals.push(i),
            TypeRef::Table(_) => obj.imported_tables.push(i),
            TypeRef::Tag(_) => obj.imported_tags.push(i),
            TypeRef::Memory(_) => {}
        }
        obj.imports.push(Import {
            module: imp.module,
            field: imp.name,
            ty: imp.ty,
        });
    }
    Ok(())
}

/// The data section's segments, each with its offset inside the section payload (where
/// `reloc.DATA` offsets point). Names, alignment and flags come from the `linking` section.
/// An initializer expression may hold only constants, `global.get`, `ref.null`, `ref.func`
/// and the extended-const arithmetic (`i32`/`i64` add, sub, mul), as LLVM's object reader
/// requires (`readInitExpr`: `invalid opcode in init_expr: N`, N the opcode byte; `place`
/// follows on a `>>>` line, so the first line stays LLVM's).
pub(crate) fn check_init_expr(expr: &wasmparser::ConstExpr, place: &str) -> Result<()> {
    use wasmparser::Operator as O;
    let mut raw = expr.get_binary_reader();
    let start = raw.original_position();
    let bytes = raw.read_bytes(raw.bytes_remaining()).map_err(werr)?;
    let mut ops = expr.get_operators_reader();
    while !ops.eof() {
        let at = (ops.original_position() - start) as usize;
        let opcode_byte = bytes.get(at).copied().unwrap_or(0);
        let op = ops.read().map_err(werr)?;
        match op {
            O::I32Const { .. }
            | O::I64Const { .. }
            | O::F32Const { .. }
            | O::F64Const { .. }
            | O::GlobalGet { .. }
            | O::RefNull { .. }
            | O::RefFunc { .. }
            | O::I32Add
            | O::I32Sub
            | O::I32Mul
            | O::I64Add
            | O::I64Sub
            | O::I64Mul
            | O::End => {}
            _ => bail!("invalid opcode in init_expr: {opcode_byte}\n>>> {place}"),
        }
    }
    Ok(())
}

/// The data section's segments, each with its offset inside the section payload (where
/// `reloc.DATA` offsets point), read as LLVM's reader reads them (`parseDataSection`); names,
/// alignment and flags come from the `linking` section.
fn read_data_section<'data>(
    obj: &mut Object<'data>,
    s: &RawSection<'data>,
    data_count: Option<u32>,
) -> Result<()> {
    let mut r = BinaryReader::new(s.body, s.pos);
    let count = lax::u32(&mut r, "segment count").context("data section")?;
    if data_count.is_some_and(|n| n != count) {
        bail!("data section: number of data segments does not match DataCount section");
    }
    let n = check_count(count, &r, "data segment").context("data section")?;
    for i in 0..n {
        let place = || format!("data section: segment {i}");
        // LLVM's reader (`parseDataSection`) looks at two bits of the flags, IS_PASSIVE and
        // HAS_MEMINDEX, and ignores the others; wasm-ld writes segments of its own.
        let flags = lax::u32(&mut r, "flags").with_context(place)?;
        if flags & WASM_DATA_SEGMENT_HAS_MEMINDEX != 0 {
            lax::u32(&mut r, "memory index").with_context(place)?;
        }
        let passive = flags & WASM_DATA_SEGMENT_IS_PASSIVE != 0;
        if !passive {
            let offset_expr: wasmparser::ConstExpr = r.read().map_err(werr).with_context(place)?;
            check_init_expr(&offset_expr, &format!("data section: segment {i} offset"))?;
        }
        let at = r.original_position();
        let size = lax::u32(&mut r, "size").with_context(place)?;
        if size as usize > r.bytes_remaining() {
            bail!(
                "invalid segment size: data section: segment {i} at 0x{at:x} declares {size} bytes but {} remain",
                r.bytes_remaining()
            );
        }
        let offset = r.current_position();
        let data = r.read_bytes(size as usize).map_err(werr)?;
        obj.data_segments.push(DataSegment {
            name: "",
            p2align: 0,
            flags: 0,
            data,
            offset: offset as u32,
            passive,
            relocs: RelocRange::default(),
        });
    }
    if !r.eof() {
        bail!(
            "data section ended prematurely: {} bytes after the last segment at 0x{:x}",
            r.bytes_remaining(),
            r.original_position()
        );
    }
    Ok(())
}

/// A custom section: `linking`, `reloc.*` and `name` are kept for later; `target_features`
/// and `producers` are read now; any other is an input custom section, copied to the output.
fn read_custom_section<'data>(
    obj: &mut Object<'data>,
    later: &mut Deferred<'data>,
    s: &RawSection<'data>,
    section_index: u32,
) -> Result<()> {
    let mut r = BinaryReader::new(s.body, s.pos);
    let at = r.original_position();
    let name_bytes = lax::bytes(&mut r, "custom section name")?;
    let pos = r.original_position();
    let body = &s.body[r.current_position()..];
    // A relocation section names its target by index in its payload; as for LLVM's reader,
    // the rest of its name only labels it and need not be UTF-8 (the linker never writes it).
    if let Some(target) = name_bytes.strip_prefix(b"reloc.") {
        later
            .reloc_sections
            .push((body, pos, String::from_utf8_lossy(target)));
        return Ok(());
    }
    let Ok(name) = std::str::from_utf8(name_bytes) else {
        bail!("custom section name: malformed UTF-8 encoding (at offset 0x{at:x})");
    };
    if name == "linking" {
        later.linking = Some((body, pos));
    } else if name == "target_features" {
        obj.target_features =
            read_target_features(body, pos).context("custom section 'target_features'")?;
    } else if name == "producers" {
        obj.producers = read_producers(body, pos).context("custom section 'producers'")?;
    } else if name == "name" {
        later.names = Some((body, pos));
    } else {
        obj.custom_sections.push(CustomSection {
            name,
            data: body,
            section_index,
            relocs: Vec::new(),
        });
    }
    Ok(())
}

/// Pairs the function section's type indices with the code section's bodies.
fn add_functions<'data>(
    obj: &mut Object<'data>,
    types: Vec<u32>,
    bodies: Vec<(u32, &'data [u8])>,
) -> Result<()> {
    if types.len() != bodies.len() {
        bail!(
            "function section declares {} functions but the code section has {} bodies",
            types.len(),
            bodies.len()
        );
    }
    for (ty, (offset, body)) in types.into_iter().zip(bodies) {
        if ty as usize >= obj.types.len() {
            bail!(
                "function section: type index {ty} out of range (type section has {})",
                obj.types.len()
            );
        }
        obj.functions.push(Function {
            type_index: ty,
            body,
            offset,
            relocs: RelocRange::default(),
        });
    }
    Ok(())
}

fn check_import_types(obj: &Object) -> Result<()> {
    for imp in &obj.imports {
        if let TypeRef::Func(t) | TypeRef::FuncExact(t) = imp.ty {
            if t as usize >= obj.types.len() {
                bail!(
                    "import section: import {}.{}: type index {t} out of range",
                    imp.module,
                    imp.field
                );
            }
        }
    }
    Ok(())
}

/// The `linking` section (required: LLVM's reader calls a module without one "not a
/// relocatable wasm file"), then the `reloc.*` sections, each chunk's relocation range, and
/// the function names of the `name` section (a malformed one is ignored, as LLVM's reader
/// only warns about it).
fn read_deferred<'data>(obj: &mut Object<'data>, later: Deferred<'data>) -> Result<()> {
    let Some((body, pos)) = later.linking else {
        bail!("not a relocatable wasm file");
    };
    read_linking(obj, body, pos).context("custom section 'linking'")?;
    check_symbols(obj).context("custom section 'linking'")?;
    obj.has_linking = true;
    for (body, pos, target) in later.reloc_sections {
        read_reloc_section(obj, body, pos)
            .with_context(|| format!("custom section 'reloc.{target}'"))?;
    }
    for f in &mut obj.functions {
        f.relocs = RelocRange::of_chunk(&obj.code_relocs, f.offset, f.body.len());
    }
    for seg in &mut obj.data_segments {
        seg.relocs = RelocRange::of_chunk(&obj.data_relocs, seg.offset, seg.data.len());
    }
    if let Some((body, pos)) = later.names {
        obj.function_names = read_function_names(body, pos).unwrap_or_default();
    }
    Ok(())
}

/// Where a section stands in LLVM's section order (`WasmSectionOrderChecker::getSectionOrder`):
/// the standard sections in their order (the tag section between memory and global), then the
/// custom sections LLVM knows; `None` for the other custom sections, which may go anywhere.
fn section_order(id: u8, custom_name: &[u8]) -> Option<usize> {
    Some(match id {
        1..=5 => id as usize,     // type, import, function, table, memory: 1-5
        13 => 6,                  // tag
        6..=9 => id as usize + 1, // global, export, start, elem: 7-10
        12 => 11,                 // data count
        10 => 12,                 // code
        11 => 13,                 // data
        0 => match custom_name {
            b"dylink" | b"dylink.0" => 14,
            b"linking" => 15,
            n if n.starts_with(b"reloc.") => 16,
            b"name" => 17,
            b"producers" => 18,
            b"target_features" => 19,
            _ => return None,
        },
        _ => return None,
    })
}

/// The sections that may not come before a section of order `o` (LLVM's
/// `DisallowedPredecessors`, followed transitively): each standard section and the custom
/// sections after it, itself included (no duplicates); `dylink` comes before everything;
/// `linking` before `reloc.*` and `name`, `name` before `producers`, `producers` before
/// `target_features`; `reloc.*` sections may repeat and stand anywhere after `linking`.
fn disallowed_before(o: usize) -> &'static [usize] {
    const AFTER: [&[usize]; 20] = [
        &[],
        &[1, 2],
        &[2, 3],
        &[3, 4],
        &[4, 5],
        &[5, 6],
        &[6, 7],
        &[7, 8],
        &[8, 9],
        &[9, 10],
        &[10, 11],
        &[11, 12],
        &[12, 13],
        &[13, 15],
        &[14, 1],
        &[15, 16, 17],
        &[],
        &[17, 18],
        &[18, 19],
        &[19],
    ];
    AFTER[o]
}

/// LLVM's object reader refuses a section that comes after one it must precede: `out of
/// order section type: N` (`WasmSectionOrderChecker::isValidSectionOrder`, checked as each
/// section is read, before any is parsed): the standard sections (a duplicate among them)
/// and the custom sections LLVM orders (a second `target_features`, `linking` after `name`,
/// ...).
fn check_section_order(sections: &[RawSection]) -> Result<()> {
    let mut order = SectionOrder::default();
    for s in sections {
        let name = if s.id == 0 {
            // An unreadable name is reported when the section is parsed.
            lax::bytes(&mut BinaryReader::new(s.body, 0), "").unwrap_or(b"")
        } else {
            b""
        };
        order.check(s.id, name)?;
    }
    Ok(())
}

/// LLVM's `WasmSectionOrderChecker`, fed one section at a time (objects and shared
/// libraries are read by the same reader in LLVM, so both are checked with it).
#[derive(Default)]
pub(crate) struct SectionOrder {
    seen: [bool; 20],
}

impl SectionOrder {
    /// Checks the next section (`name`: a custom section's name): `out of order section
    /// type: N` when a section it must precede came before.
    pub(crate) fn check(&mut self, id: u8, name: &[u8]) -> Result<()> {
        let Some(order) = section_order(id, name) else {
            return Ok(());
        };
        // Everything reachable from `order` through the table must not have been seen.
        let mut stack = vec![order];
        let mut checked = [false; 20];
        while let Some(o) = stack.pop() {
            for &next in disallowed_before(o) {
                if !checked[next] {
                    checked[next] = true;
                    if self.seen[next] {
                        bail!("out of order section type: {id}");
                    }
                    stack.push(next);
                }
            }
        }
        self.seen[order] = true;
        Ok(())
    }
}

/// Walks the code section payload: returns each body (size LEB included) with its offset.
fn read_code_section(payload: &[u8], base: u64) -> Result<Vec<(u32, &[u8])>> {
    let mut r = BinaryReader::new(payload, base);
    let count = lax::u32(&mut r, "function count")?;
    let n = check_count(count, &r, "function")?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let start = r.current_position();
        let size = ctx(r.read_var_u32(), "function body size")
            .with_context(|| format!("function body {i}"))?;
        if size as usize > r.bytes_remaining() {
            bail!(
                "function body {i} at 0x{:x}: size {size} runs past the end of the section",
                base + start as u64
            );
        }
        r.read_bytes(size as usize).map_err(werr)?;
        out.push((start as u32, &payload[start..r.current_position()]));
    }
    if !r.eof() {
        bail!(
            "{} trailing bytes after the last function body",
            r.bytes_remaining()
        );
    }
    Ok(out)
}

fn read_target_features(body: &[u8], pos: u64) -> Result<Vec<Feature<'_>>> {
    let mut r = BinaryReader::new(body, pos);
    let count = lax::u32(&mut r, "feature count")?;
    let n = check_count(count, &r, "feature")?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let at = r.original_position();
        let prefix = ctx(r.read_u8(), "feature prefix")?;
        if !matches!(prefix, b'+' | b'-') {
            bail!("unknown feature policy prefix 0x{prefix:02x} at 0x{at:x}");
        }
        let len = lax::u32(&mut r, "feature name length")?;
        let name = r.read_bytes(len as usize).map_err(werr)?;
        out.push(Feature { prefix, name });
    }
    Ok(out)
}

#[allow(clippy::type_complexity)]
fn read_producers(body: &[u8], pos: u64) -> Result<Vec<(&str, Vec<(&str, &str)>)>> {
    let mut r = BinaryReader::new(body, pos);
    let count = lax::u32(&mut r, "field count")?;
    let n = check_count(count, &r, "field")?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let field = lax::string(&mut r, "field name")?;
        let vcount = lax::u32(&mut r, "value count")?;
        let vn = check_count(vcount, &r, "value")?;
        let mut values = Vec::with_capacity(vn);
        for _ in 0..vn {
            let name = lax::string(&mut r, "producer name")?;
            let version = lax::string(&mut r, "producer version")?;
            values.push((name, version));
        }
        out.push((field, values));
    }
    Ok(out)
}

fn read_function_names(body: &[u8], pos: u64) -> Result<Vec<(u32, &str)>> {
    let mut r = BinaryReader::new(body, pos);
    let mut out = Vec::new();
    while !r.eof() {
        let id = ctx(r.read_u8(), "subsection id")?;
        let size = lax::u32(&mut r, "subsection size")?;
        let sub = ctx(r.read_bytes(size as usize), "subsection")?;
        if id != 1 {
            continue;
        }
        let mut s = BinaryReader::new(sub, 0);
        let count = lax::u32(&mut s, "name count")?;
        let n = check_count(count, &s, "name")?;
        for _ in 0..n {
            let idx = lax::u32(&mut s, "function index")?;
            let name = lax::string(&mut s, "function name")?;
            out.push((idx, name));
        }
    }
    Ok(out)
}

fn read_linking<'data>(obj: &mut Object<'data>, body: &'data [u8], pos: u64) -> Result<()> {
    let mut r = BinaryReader::new(body, pos);
    let version = lax::u32(&mut r, "version")?;
    if version != linking::VERSION {
        bail!(
            "unexpected metadata version: {version} (Expected: {})",
            linking::VERSION
        );
    }
    while !r.eof() {
        let at = r.original_position();
        let id = ctx(r.read_u8(), "subsection id")?;
        let size = lax::u32(&mut r, "subsection size")?;
        if size as usize > r.bytes_remaining() {
            bail!("subsection {id} at 0x{at:x}: size {size} runs past the end of the section");
        }
        let sub_pos = r.original_position();
        let sub = r.read_bytes(size as usize).map_err(werr)?;
        let mut s = BinaryReader::new(sub, sub_pos);
        match id {
            WASM_SEGMENT_INFO => read_segment_info(obj, &mut s).context("WASM_SEGMENT_INFO")?,
            WASM_INIT_FUNCS => read_init_funcs(obj, &mut s).context("WASM_INIT_FUNCS")?,
            WASM_COMDAT_INFO => read_comdats(obj, &mut s).context("WASM_COMDAT_INFO")?,
            WASM_SYMBOL_TABLE => read_symbol_table(obj, &mut s).context("WASM_SYMBOL_TABLE")?,
            // LLVM's reader (`parseLinkingSection`) skips a subsection type it does not
            // know, and so does wasm-ld.
            _ => continue,
        }
        if !s.eof() {
            bail!(
                "subsection {id} at 0x{at:x}: {} bytes left over",
                s.bytes_remaining()
            );
        }
    }
    Ok(())
}

fn read_segment_info<'data>(obj: &mut Object<'data>, r: &mut BinaryReader<'data>) -> Result<()> {
    let count = lax::u32(r, "segment count")?;
    // LLVM's reader refuses more entries than segments ("too many segment names") and takes
    // fewer: the segments after them keep an empty name, alignment 1 and no flags.
    if count as usize > obj.data_segments.len() {
        bail!(
            "too many segment names: segment count {count}, but the data section has {} segments",
            obj.data_segments.len()
        );
    }
    for seg in obj.data_segments.iter_mut().take(count as usize) {
        // The name borrows the input: re-read it through the same lifetime.
        seg.name = lax::string(r, "segment name")?;
        let at = r.original_position();
        seg.p2align = lax::u32(r, "segment alignment")?;
        if seg.p2align > 31 {
            bail!(
                "segment '{}' at 0x{at:x}: alignment 2^{} is too large",
                seg.name,
                seg.p2align
            );
        }
        seg.flags = lax::u32(r, "segment flags")?;
    }
    Ok(())
}

/// Checks made by LLVM's object reader once the symbol table is known: init functions name
/// function symbols; a defined global name appears once.
fn check_symbols(obj: &Object) -> Result<()> {
    for init in &obj.init_funcs {
        let ok = obj
            .symbols
            .get(init.symbol as usize)
            .is_some_and(|s| s.kind == SymbolKind::Function);
        if !ok {
            bail!("invalid function symbol: {}", init.symbol);
        }
    }
    let mut seen = std::collections::HashSet::new();
    for s in &obj.symbols {
        if !s.is_local() && s.kind != SymbolKind::Section && !seen.insert(s.name) {
            bail!("duplicate symbol name {}", s.name);
        }
    }
    Ok(())
}

fn read_init_funcs(obj: &mut Object, r: &mut BinaryReader) -> Result<()> {
    let count = lax::u32(r, "init function count")?;
    let n = check_count(count, r, "init function")?;
    for _ in 0..n {
        let priority = lax::u32(r, "priority")?;
        let symbol = lax::u32(r, "symbol index")?;
        obj.init_funcs.push(InitFunc { priority, symbol });
    }
    Ok(())
}

fn read_comdats<'data>(obj: &mut Object<'data>, r: &mut BinaryReader<'data>) -> Result<()> {
    let count = lax::u32(r, "comdat count")?;
    let n = check_count(count, r, "comdat")?;
    for _ in 0..n {
        let name = lax::string(r, "comdat name")?;
        let flags = lax::u32(r, "comdat flags")?;
        if flags != 0 {
            bail!("comdat '{name}': unsupported flags 0x{flags:x}");
        }
        let ecount = lax::u32(r, "comdat entry count")?;
        let en = check_count(ecount, r, "comdat entry")?;
        let mut c = Comdat {
            name,
            functions: Vec::new(),
            data_segments: Vec::new(),
            custom_sections: Vec::new(),
        };
        for _ in 0..en {
            let at = r.original_position();
            let kind = ctx(r.read_u8(), "comdat entry kind")?;
            let index = lax::u32(r, "comdat entry index")?;
            match kind {
                0 => c.data_segments.push(index),
                1 => c.functions.push(index),
                5 => c.custom_sections.push(index),
                // Globals, tags and tables in comdats: accepted, not deduplicated (as lld).
                2..=4 => {}
                _ => bail!("comdat '{name}': unknown entry kind {kind} at 0x{at:x}"),
            }
        }
        obj.comdats.push(c);
    }
    Ok(())
}

fn read_symbol_table<'data>(obj: &mut Object<'data>, r: &mut BinaryReader<'data>) -> Result<()> {
    let count = lax::u32(r, "symbol count")?;
    let n = check_count(count, r, "symbol")?;
    obj.symbols.reserve(n);
    for i in 0..n {
        let at = r.original_position();
        let sym = read_symbol(obj, r).with_context(|| format!("symbol {i} at 0x{at:x}"))?;
        obj.symbols.push(sym);
    }
    Ok(())
}

/// One record of the `WASM_SYMBOL_TABLE` subsection as it is stored (tool-conventions
/// Linking.md), before anything is checked against the rest of the object.
struct SymbolRecord<'data> {
    kind: SymbolKind,
    flags: u32,
    /// The function, global, tag or table index; the section index of a section symbol; 0 for
    /// a data symbol.
    index: u32,
    /// The stored name: absent for section symbols and for undefined function, global, tag
    /// and table symbols without EXPLICIT_NAME (those take their import's field name).
    name: Option<&'data str>,
    /// Where a defined data symbol lives.
    data: Option<DataRef>,
}

impl SymbolRecord<'_> {
    fn is_defined(&self) -> bool {
        self.flags & WASM_SYM_UNDEFINED == 0
    }
}

/// Decodes one symbol record: the one decoder of the symbol table, used both for a whole
/// object ([`read_symbol`]) and for the names an archive member offers before it is loaded
/// ([`lazy_symbols`]). `check_index(kind, flags, index)` runs on a function, global, tag or
/// table symbol after its index is read and before its name, which is where LLVM's object
/// reader checks the index, so a record broken twice reports what LLVM reports.
fn read_symbol_record<'data>(
    r: &mut BinaryReader<'data>,
    mut check_index: impl FnMut(SymbolKind, u32, u32) -> Result<()>,
) -> Result<SymbolRecord<'data>> {
    let kind = ctx(r.read_u8(), "kind")?;
    let Some(kind) = SymbolKind::from_code(kind) else {
        bail!("unknown symbol kind {kind}");
    };
    let flags = lax::u32(r, "flags")?;
    let undefined = flags & WASM_SYM_UNDEFINED != 0;
    let explicit = flags & WASM_SYM_EXPLICIT_NAME != 0;
    let mut rec = SymbolRecord {
        kind,
        flags,
        index: 0,
        name: None,
        data: None,
    };
    match kind {
        SymbolKind::Function | SymbolKind::Global | SymbolKind::Tag | SymbolKind::Table => {
            rec.index = lax::u32(r, "element index")?;
            check_index(kind, flags, rec.index)?;
            if !undefined || explicit {
                rec.name = Some(lax::string(r, "name")?);
            }
        }
        SymbolKind::Data => {
            rec.name = Some(lax::string(r, "name")?);
            if !undefined {
                rec.data = Some(DataRef {
                    segment: lax::u32(r, "segment index")?,
                    offset: lax::u64(r, "segment offset")?,
                    size: lax::u64(r, "size")?,
                });
            }
        }
        SymbolKind::Section => {
            rec.index = lax::u32(r, "section index")?;
        }
    }
    Ok(rec)
}

/// The checks LLVM's object reader makes on a function, global, tag or table symbol's index
/// before it reads the name: the index exists, it is an import exactly when the symbol is
/// undefined, and a global is not weakly undefined.
fn check_element_index(obj: &Object, kind: SymbolKind, flags: u32, index: u32) -> Result<()> {
    let undefined = flags & WASM_SYM_UNDEFINED != 0;
    let (imported, total) = element_space(obj, kind);
    if index as usize >= total {
        bail!(
            "{} index {index} out of range ({total} in the object)",
            kind.describe()
        );
    }
    let is_import = (index as usize) < imported.len();
    if undefined != is_import {
        bail!(
            "{} symbol with index {index} is {} but the index is {}",
            kind.describe(),
            if undefined { "undefined" } else { "defined" },
            if is_import {
                "an import"
            } else {
                "a definition"
            }
        );
    }
    // A global cannot be weakly undefined (there is no stub for a global): LLVM's object
    // reader refuses the object, so wasm-ld does too, referenced or not.
    let weak = flags & 0x3 == WASM_SYM_BINDING_WEAK; // the binding field's value
    if undefined && kind == SymbolKind::Global && weak {
        let imp = &obj.imports[imported[index as usize] as usize];
        bail!(
            "undefined weak global symbol (import {}.{})",
            imp.module,
            imp.field
        );
    }
    Ok(())
}

/// The imports of one element index space (function, global, tag or table) and its size.
fn element_space<'a>(obj: &'a Object, kind: SymbolKind) -> (&'a [u32], usize) {
    match kind {
        SymbolKind::Function => (
            &obj.imported_functions,
            obj.imported_functions.len() + obj.functions.len(),
        ),
        SymbolKind::Global => (
            &obj.imported_globals,
            obj.imported_globals.len() + obj.globals.len(),
        ),
        SymbolKind::Tag => (&obj.imported_tags, obj.imported_tags.len() + obj.tags.len()),
        _ => (
            &obj.imported_tables,
            obj.imported_tables.len() + obj.tables.len(),
        ),
    }
}

/// Reads one symbol of a whole object and checks it against the object's sections.
fn read_symbol<'data>(obj: &Object<'data>, r: &mut BinaryReader<'data>) -> Result<Symbol<'data>> {
    let rec = read_symbol_record(r, |kind, flags, index| {
        check_element_index(obj, kind, flags, index)
    })?;
    let undefined = !rec.is_defined();
    let mut sym = Symbol {
        kind: rec.kind,
        flags: rec.flags,
        name: rec.name.unwrap_or(""),
        index: rec.index,
        data: rec.data,
        import_module: None,
        import_name: None,
    };
    match rec.kind {
        SymbolKind::Function | SymbolKind::Global | SymbolKind::Tag | SymbolKind::Table => {
            if undefined {
                let (imported, _) = element_space(obj, rec.kind);
                let imp = &obj.imports[imported[sym.index as usize] as usize];
                if rec.name.is_none() {
                    sym.name = imp.field;
                } else {
                    sym.import_name = Some(imp.field);
                }
                sym.import_module = Some(imp.module);
            }
        }
        SymbolKind::Data => {
            if let Some(DataRef {
                segment, offset, ..
            }) = rec.data
            {
                let Some(seg) = obj.data_segments.get(segment as usize) else {
                    bail!(
                        "data symbol '{}': segment index {segment} out of range ({} segments)",
                        sym.name,
                        obj.data_segments.len()
                    );
                };
                // As LLVM's reader, only the offset is checked: a size running past the
                // segment is accepted (lld links such objects).
                if offset > seg.data.len() as u64 {
                    bail!(
                        "invalid data symbol offset: `{}` (offset: {offset} segment size: {})",
                        sym.name,
                        seg.data.len()
                    );
                }
            }
        }
        SymbolKind::Section => {
            if let Some(c) = obj
                .custom_sections
                .iter()
                .find(|c| c.section_index == sym.index)
            {
                sym.name = c.name;
            }
        }
    }
    Ok(sym)
}

fn read_reloc_section<'data>(obj: &mut Object<'data>, body: &'data [u8], pos: u64) -> Result<()> {
    let mut r = BinaryReader::new(body, pos);
    let target = lax::u32(&mut r, "target section index")?;
    let count = lax::u32(&mut r, "relocation count")?;
    let n = check_count(count, &r, "relocation")?;
    let mut relocs = Vec::with_capacity(n);
    let mut last_offset = 0u32;
    for i in 0..n {
        let at = r.original_position();
        let reloc = read_reloc(obj, &mut r).with_context(|| format!("entry {i} at 0x{at:x}"))?;
        if i > 0 && reloc.offset < last_offset {
            bail!(
                "entry {i} at 0x{at:x}: relocation offsets must be in increasing order ({} after {last_offset})",
                reloc.offset
            );
        }
        last_offset = reloc.offset;
        relocs.push(reloc);
    }
    if !r.eof() {
        bail!(
            "{} bytes left over after {n} relocations",
            r.bytes_remaining()
        );
    }
    // Check that each relocation lies inside its target and, in the code and data sections,
    // inside one function body or data segment: the linker patches each chunk's own copy
    // (found by the `mutate` fuzz target: a corrupted offset near the end of a body).
    // Chunks: (what, start, length), in offset order; those sections end with the last one.
    type Chunks<'a> = Vec<(&'a str, usize, usize)>;
    let end = |chunks: &Chunks| chunks.last().map_or(0, |&(_, start, len)| start + len);
    let (chunks, target_len, dest): (Chunks, usize, &mut Vec<Reloc>) =
        if Some(target) == obj.code_section_index {
            let chunks = obj.functions.iter();
            let chunks: Chunks = chunks
                .map(|f| ("function body", f.offset as usize, f.body.len()))
                .collect();
            let len = end(&chunks);
            (chunks, len, &mut obj.code_relocs)
        } else if Some(target) == obj.data_section_index {
            let chunks = obj.data_segments.iter();
            let chunks: Chunks = chunks
                .map(|s| ("data segment", s.offset as usize, s.data.len()))
                .collect();
            let len = end(&chunks);
            (chunks, len, &mut obj.data_relocs)
        } else if let Some(c) = obj
            .custom_sections
            .iter_mut()
            .find(|c| c.section_index == target)
        {
            (Vec::new(), c.data.len(), &mut c.relocs)
        } else {
            bail!("target section index {target} is not the code, data or a custom section");
        };
    for (i, rel) in relocs.iter().enumerate() {
        let (at, end) = (rel.offset as usize, rel.offset as usize + rel.ty.width());
        let k = chunks.partition_point(|&(_, start, _)| start <= at);
        if let Some(&(what, start, len)) = k.checked_sub(1).map(|k| &chunks[k]) {
            if at < start + len && end > start + len {
                bail!(
                    "entry {i}: {} at offset 0x{at:x} runs past the end of {what} {} (0x{start:x}..0x{:x})",
                    rel.ty.name(),
                    k - 1,
                    start + len
                );
            }
        }
        if end > target_len {
            bail!(
                "entry {i}: {} at offset 0x{:x} runs past the end of its section ({target_len} bytes)",
                rel.ty.name(),
                rel.offset
            );
        }
    }
    *dest = relocs;
    Ok(())
}

fn read_reloc(obj: &Object, r: &mut BinaryReader) -> Result<Reloc> {
    let ty_byte = ctx(r.read_u8(), "relocation type")?;
    let Some(ty) = RelocType::from_u8(ty_byte) else {
        bail!("invalid relocation type: {ty_byte}");
    };
    let offset = lax::u32(r, "offset")?;
    let index = lax::u32(r, "index")?;
    let addend = match ty.info().addend {
        Addend::I64 => lax::i64(r, "addend")?,
        Addend::I32 => lax::i32(r, "addend")? as i64,
        Addend::None => 0,
    };
    match ty.symbol_kind() {
        None => {
            if index as usize >= obj.types.len() {
                bail!(
                    "{}: type index {index} out of range (type section has {})",
                    ty.name(),
                    obj.types.len()
                );
            }
        }
        Some(kind) => {
            let Some(sym) = obj.symbols.get(index as usize) else {
                bail!(
                    "{}: symbol index {index} out of range (symbol table has {})",
                    ty.name(),
                    obj.symbols.len()
                );
            };
            // Data relocations may only point at data symbols; function-like ones at
            // functions, etc. GLOBAL_INDEX relocations may also name a data or function
            // symbol: they then mean its GOT entry.
            let got = matches!(
                ty,
                RelocType::GLOBAL_INDEX_LEB | RelocType::GLOBAL_INDEX_I32
            ) && matches!(sym.kind, SymbolKind::Data | SymbolKind::Function);
            if sym.kind != kind && !got {
                bail!(
                    "invalid {} relocation: {} ({} against {} symbol, index {index})",
                    kind.describe(),
                    sym.name,
                    ty.name(),
                    sym.kind.describe(),
                );
            }
        }
    }
    Ok(Reloc {
        ty,
        offset,
        index,
        addend,
    })
}

#[cfg(test)]
mod against_wasmparser;

#[cfg(test)]
mod tests {
    use super::*;

    /// A section: id, one-byte size, payload.
    fn section(id: u8, payload: &[u8]) -> Vec<u8> {
        assert!(payload.len() < 128, "one-byte size");
        let mut s = vec![id, payload.len() as u8];
        s.extend_from_slice(payload);
        s
    }

    fn custom(name: &str, body: &[u8]) -> Vec<u8> {
        let mut payload = vec![name.len() as u8];
        payload.extend_from_slice(name.as_bytes());
        payload.extend_from_slice(body);
        section(0, &payload)
    }

    fn string(out: &mut Vec<u8>, s: &str) {
        out.push(s.len() as u8);
        out.extend_from_slice(s.as_bytes());
    }

    /// An object with one imported and two defined functions, two data segments, and
    /// relocations in the second body and the second segment (and one in the first body).
    /// `kind0` is the kind byte of the first symbol record.
    fn object(kind0: u8) -> Vec<u8> {
        let mut o = b"\0asm\x01\0\0\0".to_vec();
        o.extend(section(1, &[1, 0x60, 0, 0]));
        o.extend(section(2, &[1, 3, b'e', b'n', b'v', 1, b'g', 0x00, 0]));
        o.extend(section(3, &[2, 0, 0]));
        // Code payload: count at 0; body 0 at 1..10 (its call LEB at 4..9), body 1 at 10..19
        // (its call LEB at 13..18).
        let body = [8, 0, 0x10, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b];
        let mut code = vec![2];
        code.extend_from_slice(&body);
        code.extend_from_slice(&body);
        o.extend(section(10, &code));
        // Data payload: count at 0; segment 0's bytes at 6..10, segment 1's at 15..19.
        let seg = [0, 0x41, 0, 0x0b, 4, 1, 2, 3, 4];
        let mut data = vec![2];
        data.extend_from_slice(&seg);
        data.extend_from_slice(&seg);
        o.extend(section(11, &data));
        let mut symbols = vec![5];
        for (kind, flags, index, name) in [
            (kind0, 0, 1, "f0"),
            (0, 0, 2, "f1"),
            (0, WASM_SYM_UNDEFINED as u8, 0, ""),
            (0, WASM_SYM_BINDING_LOCAL as u8, 1, "local_f0"),
        ] {
            symbols.extend_from_slice(&[kind, flags, index]);
            if !name.is_empty() {
                string(&mut symbols, name);
            }
        }
        symbols.extend_from_slice(&[1, 0]);
        string(&mut symbols, "d");
        symbols.extend_from_slice(&[0, 0, 4]);
        let mut linking = vec![2, WASM_SYMBOL_TABLE, symbols.len() as u8];
        linking.extend(symbols);
        o.extend(custom("linking", &linking));
        // Sections: type 0, import 1, function 2, code 3, data 4.
        let (call, addr) = (
            RelocType::FUNCTION_INDEX_LEB as u8,
            RelocType::MEMORY_ADDR_I32 as u8,
        );
        o.extend(custom("reloc.CODE", &[3, 2, call, 4, 2, call, 13, 0]));
        o.extend(custom("reloc.DATA", &[4, 1, addr, 15, 4, 0]));
        o
    }

    #[test]
    fn each_chunk_gets_the_relocations_inside_it() {
        let bytes = object(0);
        let obj = parse(&bytes).expect("parses");
        let offsets = |relocs: &[Reloc]| relocs.iter().map(|r| r.offset).collect::<Vec<_>>();
        assert_eq!(offsets(obj.function_relocs(0)), [4]);
        assert_eq!(offsets(obj.function_relocs(1)), [13]);
        assert_eq!(offsets(obj.segment_relocs(0)), [] as [u32; 0]);
        assert_eq!(offsets(obj.segment_relocs(1)), [15]);
        assert_eq!(obj.data_segments[1].relocs.range(), 0..1);
    }

    #[test]
    fn the_lazy_scan_offers_the_defined_global_symbols_the_full_parse_reads() {
        let bytes = object(0);
        let obj = parse(&bytes).expect("parses");
        let from_parse: Vec<(&str, SymbolKind)> = obj
            .symbols
            .iter()
            .filter(|s| s.is_defined() && !s.is_local())
            .map(|s| (s.name, s.kind))
            .collect();
        let lazy = lazy_symbols(&bytes).expect("scans");
        assert_eq!(lazy, from_parse);
        assert_eq!(
            lazy,
            [
                ("f0", SymbolKind::Function),
                ("f1", SymbolKind::Function),
                ("d", SymbolKind::Data)
            ]
        );
        assert_eq!(
            obj.symbols[2].name, "g",
            "an undefined symbol takes its import's name"
        );
    }

    /// `o` with the bytes `old` (which occur once) replaced by `new`.
    fn replaced(o: &[u8], old: &[u8], new: &[u8]) -> Vec<u8> {
        let at = o
            .windows(old.len())
            .position(|w| w == old)
            .expect("the bytes to replace");
        assert!(o[at + 1..].windows(old.len()).all(|w| w != old), "once");
        [&o[..at], new, &o[at + old.len()..]].concat()
    }

    /// An unsigned LEB of `v` in exactly `width` bytes.
    fn padded(v: u64, width: usize) -> Vec<u8> {
        let mut out = Vec::new();
        touchstone_format::leb::write_uleb_padded(&mut out, v, width);
        out
    }

    /// What the linker takes from an object: symbols, bodies, segments and relocations.
    fn summary(obj: &Object) -> String {
        format!(
            "{:?} {:?} {:?} {:?} {:?}",
            obj.symbols
                .iter()
                .map(|s| (s.kind, s.flags, s.name, s.index, s.data))
                .collect::<Vec<_>>(),
            obj.functions
                .iter()
                .map(|f| (f.offset, f.body, f.relocs))
                .collect::<Vec<_>>(),
            obj.data_segments
                .iter()
                .map(|d| (d.offset, d.data, d.passive, d.relocs))
                .collect::<Vec<_>>(),
            obj.code_relocs
                .iter()
                .map(|r| (r.ty, r.offset, r.index, r.addend))
                .collect::<Vec<_>>(),
            obj.data_relocs
                .iter()
                .map(|r| (r.ty, r.offset, r.index, r.addend))
                .collect::<Vec<_>>(),
        )
    }

    /// LLVM's reader takes a LEB with any number of padding bytes (wasm-ld links such
    /// objects); the core spec stops at 5 bytes for a 32-bit value. Section sizes, the
    /// `linking` and `reloc.*` sections and the data section's framing are read LLVM's way.
    #[test]
    fn padded_lebs_are_read_as_llvm_reads_them() {
        let plain = object(0);
        let want = summary(&parse(&plain).expect("parses"));
        // Every section size in 11 bytes.
        let mut o = plain[..8].to_vec();
        let mut at = 8;
        while at < plain.len() {
            let (id, size) = (plain[at], plain[at + 1] as usize);
            o.push(id);
            o.extend(padded(size as u64, 11));
            o.extend_from_slice(&plain[at + 2..at + 2 + size]);
            at += 2 + size;
        }
        assert!(wasmparser::Parser::new(0).parse_all(&o).any(|p| p.is_err()));
        assert_eq!(summary(&parse(&o).expect("padded sizes parse")), want);
        assert_eq!(lazy_symbols(&o).unwrap(), lazy_symbols(&plain).unwrap());
        // A relocation offset in 7 bytes.
        let call = RelocType::FUNCTION_INDEX_LEB as u8;
        let reloc_code = custom("reloc.CODE", &[3, 2, call, 4, 2, call, 13, 0]);
        let mut entries = vec![3, 2, call];
        entries.extend(padded(4, 7));
        entries.extend([2, call, 13, 0]);
        let o = replaced(&plain, &reloc_code, &custom("reloc.CODE", &entries));
        assert_eq!(
            summary(&parse(&o).expect("a padded reloc offset parses")),
            want
        );
        // The data section's count in 7 bytes: the segments (and the relocation into the
        // second, whose offset follows) move by 6 bytes.
        let seg = [0, 0x41, 0, 0x0b, 4, 1, 2, 3, 4];
        let data = [&[2][..], &seg, &seg].concat();
        let padded_data = [&padded(2, 7)[..], &seg, &seg].concat();
        let addr = RelocType::MEMORY_ADDR_I32 as u8;
        let o = replaced(&plain, &section(11, &data), &section(11, &padded_data));
        let o = replaced(
            &o,
            &custom("reloc.DATA", &[4, 1, addr, 15, 4, 0]),
            &custom("reloc.DATA", &[4, 1, addr, 21, 4, 0]),
        );
        let obj = parse(&o).expect("a padded segment count parses");
        assert_eq!(obj.data_segments[0].offset, 12);
        assert_eq!(obj.data_segments[1].data, [1, 2, 3, 4]);
        assert_eq!(obj.data_segments[1].relocs.range(), 0..1);
    }

    /// LLVM's reader looks at two bits of a data segment's flags (passive, has a memory
    /// index) and ignores the others; wasm-ld writes segments of its own.
    #[test]
    fn unknown_data_segment_flags_are_ignored_as_llvm_does() {
        let plain = object(0);
        let want = summary(&parse(&plain).expect("parses"));
        let seg = [0, 0x41, 0, 0x0b, 4, 1, 2, 3, 4];
        let mut data = vec![2];
        data.extend_from_slice(&seg);
        data.extend_from_slice(&seg);
        for flags in [0x04, 0x08, 0x40] {
            let mut flagged = data.clone();
            flagged[1] = flags;
            let o = replaced(&plain, &section(11, &data), &section(11, &flagged));
            // wasmparser's reader refuses the flags, as the core spec does.
            let refused = wasmparser::Parser::new(0).parse_all(&o).any(|p| match p {
                Ok(wasmparser::Payload::DataSection(r)) => r.into_iter().any(|s| s.is_err()),
                _ => false,
            });
            assert!(refused, "flags {flags:#x}");
            let obj = parse(&o).unwrap_or_else(|e| panic!("flags {flags:#x}: {e}"));
            assert_eq!(summary(&obj), want, "flags {flags:#x}");
        }
        // Passive with a memory index (3): the index is read (here in 3 bytes, so that the
        // segment keeps its length), there is no offset expression.
        let mut passive = vec![2, 3, 0x80, 0x80, 0, 4, 1, 2, 3, 4];
        passive.extend_from_slice(&seg);
        let o = replaced(&plain, &section(11, &data), &section(11, &passive));
        let obj = parse(&o).expect("flags 3 parse");
        assert!(obj.data_segments[0].passive && obj.data_segments[0].data == [1, 2, 3, 4]);
    }

    /// LLVM's reader finds a relocation section's target by the index in its payload; the
    /// name after `reloc.` only labels it, and need not be UTF-8. Any other custom section
    /// name must be (the linker writes it to the output).
    #[test]
    fn a_relocation_section_name_need_not_be_utf8() {
        let plain = object(0);
        let want = summary(&parse(&plain).expect("parses"));
        let o = replaced(&plain, b"reloc.CODE", b"reloc.\x98ODE");
        assert_eq!(summary(&parse(&o).expect("parses")), want);
        let o = [&plain[..], &custom("x", b"")].concat();
        let o = replaced(&o, b"\x01x", b"\x01\xff");
        let e = parse(&o).map(|_| ()).unwrap_err().to_string();
        assert!(e.contains("custom section name: malformed UTF-8"), "{e}");
    }

    /// `o` (an [`object`]) with `extra` appended to the `linking` section's payload.
    fn with_linking_subsection(o: &[u8], extra: &[u8]) -> Vec<u8> {
        let at = o
            .windows(8)
            .position(|w| w == b"\x07linking")
            .expect("a linking section")
            - 2;
        let size = o[at + 1] as usize;
        let mut payload = o[at + 2..at + 2 + size].to_vec();
        payload.extend_from_slice(extra);
        [&o[..at], &section(0, &payload), &o[at + 2 + size..]].concat()
    }

    /// LLVM's reader skips a `linking` subsection type it does not know.
    #[test]
    fn an_unknown_linking_subsection_is_skipped() {
        let plain = object(0);
        let want = summary(&parse(&plain).expect("parses"));
        let o = with_linking_subsection(&plain, &[99, 3, 0xaa, 0xbb, 0xcc]);
        assert_eq!(summary(&parse(&o).expect("parses")), want);
        // Its size must still fit the section.
        let o = with_linking_subsection(&plain, &[99, 9, 0xaa]);
        let e = parse(&o).map(|_| ()).unwrap_err().to_string();
        assert!(e.contains("runs past the end of the section"), "{e}");
    }

    /// LLVM's reader takes fewer WASM_SEGMENT_INFO entries than segments (the others keep no
    /// name, alignment 1 and no flags), but not more.
    #[test]
    fn segment_info_may_name_fewer_segments_than_there_are() {
        let plain = object(0);
        let o = with_linking_subsection(&plain, &[WASM_SEGMENT_INFO, 6, 1, 2, b's', b'0', 2, 0]);
        let obj = parse(&o).expect("one entry for two segments parses");
        let segs = &obj.data_segments;
        assert_eq!((segs[0].name, segs[0].p2align), ("s0", 2));
        assert_eq!((segs[1].name, segs[1].p2align, segs[1].flags), ("", 0, 0));
        let mut three = vec![WASM_SEGMENT_INFO, 16, 3];
        for n in [b'a', b'b', b'c'] {
            three.extend_from_slice(&[2, b's', n, 0, 0]);
        }
        let e = parse(&with_linking_subsection(&plain, &three))
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(e.contains("too many segment names"), "{e}");
    }

    #[test]
    fn a_data_count_that_disagrees_with_the_data_section_is_refused() {
        let plain = object(0);
        let code_at = plain
            .windows(2)
            .position(|w| w == [10, 19])
            .expect("the code section");
        // The data count section moves the code and data sections up one index.
        let (call, addr) = (
            RelocType::FUNCTION_INDEX_LEB as u8,
            RelocType::MEMORY_ADDR_I32 as u8,
        );
        let plain = replaced(
            &plain,
            &custom("reloc.CODE", &[3, 2, call, 4, 2, call, 13, 0]),
            &custom("reloc.CODE", &[4, 2, call, 4, 2, call, 13, 0]),
        );
        let plain = replaced(
            &plain,
            &custom("reloc.DATA", &[4, 1, addr, 15, 4, 0]),
            &custom("reloc.DATA", &[5, 1, addr, 15, 4, 0]),
        );
        for (count, ok) in [(2, true), (3, false)] {
            let o = [&plain[..code_at], &section(12, &[count]), &plain[code_at..]].concat();
            match parse(&o) {
                Ok(_) => assert!(ok, "count {count} parsed"),
                Err(e) => {
                    assert!(!ok, "count {count}: {e}");
                    assert!(e.to_string().contains("does not match DataCount"), "{e}");
                }
            }
        }
    }

    #[test]
    fn both_readers_refuse_an_unknown_symbol_kind() {
        let bytes = object(9);
        let full = parse(&bytes).map(|_| ()).unwrap_err().to_string();
        let lazy = lazy_symbols(&bytes).map(|_| ()).unwrap_err().to_string();
        assert!(full.contains("unknown symbol kind 9"), "{full}");
        assert!(lazy.contains("unknown symbol kind 9"), "{lazy}");
    }
}
