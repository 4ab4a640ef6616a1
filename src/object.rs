//! Stage `object`: parse ONE relocatable object into an [`Object`], or fail with an error that
//! names the section, byte offset and (where there is one) the symbol.
//!
//! The object's bytes are borrowed (`'data`), never copied: function bodies and data segment
//! contents stay slices of the input, and later stages copy them once into the output. Standard
//! sections are read with wasmparser; the code and data sections are walked by hand because the
//! linker needs the exact offset of every body and segment (relocation offsets are relative to
//! the section payload), and the `linking` / `reloc.*` custom sections
//! (tool-conventions Linking.md) are decoded here. Parsing returns a whole `Object` or an error,
//! so a failure leaves nothing half-built.

use crate::error::{Context, Error, Result};
use crate::{bail, err};
use touchstone_format::reloc::Addend;
use wasmparser::{BinaryReader, Parser, Payload, TypeRef, ValType};

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
}

impl DataSegment<'_> {
    pub fn is_tls(&self) -> bool {
        self.flags & WASM_SEG_FLAG_TLS != 0
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
    pub name: &'data str,
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
            let (kind, imported) = match sym.kind {
                SymbolKind::Function => (0, self.num_imported_functions()),
                SymbolKind::Global => (1, self.num_imported_globals()),
                SymbolKind::Tag => (2, self.num_imported_tags()),
                SymbolKind::Table => (3, self.num_imported_tables()),
                SymbolKind::Data | SymbolKind::Section => continue,
            };
            let slot = sym
                .index
                .checked_sub(imported)
                .and_then(|i| names[kind].get_mut(i as usize));
            if let Some(slot @ None) = slot {
                *slot = Some(sym.name);
            }
        }
        names
    }

    /// The type of global `index` (object index space, imports first).
    pub fn global_type(&self, index: u32) -> Option<wasmparser::GlobalType> {
        if let Some(&imp) = self.imported_globals.get(index as usize) {
            match self.imports[imp as usize].ty {
                TypeRef::Global(t) => Some(t),
                _ => None,
            }
        } else {
            self.globals
                .get((index - self.num_imported_globals()) as usize)
                .map(|g| g.ty)
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
            self.functions
                .get((index - self.num_imported_functions()) as usize)?
                .type_index
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
    check_section_sizes(data)?;
    let mut r = BinaryReader::new(data, 0);
    r.read_bytes(8).map_err(werr)?;
    while !r.eof() {
        let id = ctx(r.read_u8(), "section id")?;
        let size = ctx(r.read_var_u32(), "section size")?;
        let pos = r.original_position();
        let body = r.read_bytes(size as usize).map_err(werr)?;
        if id != 0 {
            continue;
        }
        let mut b = BinaryReader::new(body, pos);
        if ctx(b.read_string(), "custom section name")? != "linking" {
            continue;
        }
        return lazy_symbols_in_linking(&mut b).context("custom section 'linking'");
    }
    bail!("not a relocatable wasm file");
}

fn lazy_symbols_in_linking<'data>(
    r: &mut BinaryReader<'data>,
) -> Result<Vec<(&'data str, SymbolKind)>> {
    let version = ctx(r.read_var_u32(), "version")?;
    if version != 2 {
        bail!("unexpected metadata version: {version} (Expected: 2)");
    }
    let mut out = Vec::new();
    while !r.eof() {
        let id = ctx(r.read_u8(), "subsection id")?;
        let size = ctx(r.read_var_u32(), "subsection size")?;
        let pos = r.original_position();
        let sub = ctx(r.read_bytes(size as usize), "subsection")?;
        if id != WASM_SYMBOL_TABLE {
            continue;
        }
        let mut s = BinaryReader::new(sub, pos);
        let count = ctx(s.read_var_u32(), "symbol count")?;
        let n = check_count(count, &s, "symbol")?;
        for _ in 0..n {
            let kind = ctx(s.read_u8(), "kind")?;
            let flags = ctx(s.read_var_u32(), "flags")?;
            let undefined = flags & WASM_SYM_UNDEFINED != 0;
            let explicit = flags & WASM_SYM_EXPLICIT_NAME != 0;
            let (kind, name) = match kind {
                0 | 2 | 4 | 5 => {
                    ctx(s.read_var_u32(), "element index")?;
                    let name = if !undefined || explicit {
                        Some(ctx(s.read_string(), "name")?)
                    } else {
                        None
                    };
                    let k = match kind {
                        0 => SymbolKind::Function,
                        2 => SymbolKind::Global,
                        4 => SymbolKind::Tag,
                        _ => SymbolKind::Table,
                    };
                    (k, name)
                }
                1 => {
                    let name = ctx(s.read_string(), "name")?;
                    if !undefined {
                        ctx(s.read_var_u32(), "segment index")?;
                        ctx(s.read_var_u64(), "segment offset")?;
                        ctx(s.read_var_u64(), "size")?;
                    }
                    (SymbolKind::Data, Some(name))
                }
                3 => {
                    ctx(s.read_var_u32(), "section index")?;
                    (SymbolKind::Section, None)
                }
                k => bail!("unknown symbol kind {k}"),
            };
            if let Some(name) = name {
                if !undefined && flags & WASM_SYM_BINDING_LOCAL == 0 && kind != SymbolKind::Section
                {
                    out.push((name, kind));
                }
            }
        }
    }
    Ok(out)
}

/// Parses one relocatable object.
pub fn parse(data: &[u8]) -> Result<Object<'_>> {
    if data.len() < 8 || &data[0..4] != b"\0asm" {
        bail!("not a WebAssembly object: bad magic number");
    }
    if data[4..8] != [1, 0, 0, 0] {
        bail!(
            "invalid version number: {}",
            u32::from_le_bytes([data[4], data[5], data[6], data[7]])
        );
    }
    check_section_sizes(data)?;
    let mut obj = Object::default();
    let mut section_index: u32 = 0;
    // Custom sections that come after the ones they relocate: collect reloc sections and
    // the linking section, decode them when all sections are known.
    let mut linking: Option<(&[u8], u64)> = None;
    let mut reloc_sections: Vec<(&[u8], u64, &str)> = Vec::new();
    let mut func_type_indices: Vec<u32> = Vec::new();
    let mut names_section: Option<(&[u8], u64)> = None;
    let mut code_bodies: Vec<(u32, &[u8])> = Vec::new();

    for payload in Parser::new(0).parse_all(data) {
        let payload = payload.map_err(werr)?;
        match payload {
            Payload::Version { .. } => continue,
            Payload::TypeSection(r) => {
                for rec in r {
                    let rec = rec.map_err(werr).context("type section")?;
                    for sub in rec.into_types() {
                        match &sub.composite_type.inner {
                            wasmparser::CompositeInnerType::Func(f) => {
                                obj.types.push(FuncType {
                                    params: f.params().to_vec(),
                                    results: f.results().to_vec(),
                                });
                            }
                            _ => bail!("type section: only function types are supported"),
                        }
                    }
                }
            }
            Payload::ImportSection(r) => {
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
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    func_type_indices.push(t.map_err(werr).context("function section")?);
                }
            }
            Payload::TableSection(r) => {
                for t in r {
                    let t = t.map_err(werr).context("table section")?;
                    obj.tables.push(t.ty);
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
                for g in r {
                    let g = g.map_err(werr).context("global section")?;
                    let mut er = g.init_expr.get_binary_reader();
                    let init = er.read_bytes(er.bytes_remaining()).map_err(werr)?;
                    obj.globals.push(Global { ty: g.ty, init });
                }
            }
            // Objects export only functions given an explicit export name
            // (`export_name` attribute); the name replaces the symbol name on export.
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.map_err(werr).context("export section")?;
                    if e.kind == wasmparser::ExternalKind::Func {
                        obj.export_names.push((e.index, e.name));
                    }
                }
            }
            Payload::StartSection { .. } => {}
            // Older LLVM wrote the address-taken functions of an object into an element
            // segment; the linker builds the table from TABLE_INDEX relocations instead and,
            // like lld, ignores input element segments.
            Payload::ElementSection(_) => {}
            Payload::DataCountSection { .. } => {}
            Payload::CodeSectionStart {
                unchecked_range: range,
                ..
            } => {
                obj.code_section_index = Some(section_index);
                let Some(payload_data) = data.get(range.start as usize..range.end as usize) else {
                    bail!(
                        "code section at 0x{:x}: size runs past the end of the file",
                        range.start
                    );
                };
                code_bodies =
                    read_code_section(payload_data, range.start).context("code section")?;
                section_index += 1;
                continue;
            }
            Payload::CodeSectionEntry(_) => continue,
            Payload::DataSection(r) => {
                obj.data_section_index = Some(section_index);
                let base = r.range().start;
                for seg in r {
                    let seg = seg.map_err(werr).context("data section")?;
                    let offset =
                        (seg.data.as_ptr() as usize - data.as_ptr() as usize) - base as usize;
                    let passive = matches!(seg.kind, wasmparser::DataKind::Passive);
                    obj.data_segments.push(DataSegment {
                        name: "",
                        p2align: 0,
                        flags: 0,
                        data: seg.data,
                        offset: offset as u32,
                        passive,
                    });
                }
            }
            Payload::CustomSection(c) => {
                let name = c.name();
                let body = c.data();
                let pos = c.data_offset();
                if name == "linking" {
                    linking = Some((body, pos));
                } else if let Some(target) = name.strip_prefix("reloc.") {
                    reloc_sections.push((body, pos, target));
                } else if name == "target_features" {
                    obj.target_features = read_target_features(body, pos)
                        .context("custom section 'target_features'")?;
                } else if name == "producers" {
                    obj.producers =
                        read_producers(body, pos).context("custom section 'producers'")?;
                } else if name == "name" {
                    names_section = Some((body, pos));
                } else {
                    obj.custom_sections.push(CustomSection {
                        name,
                        data: body,
                        section_index,
                        relocs: Vec::new(),
                    });
                }
            }
            Payload::End(_) => break,
            other => {
                bail!(
                    "unsupported section (id {:?}) in a relocatable object",
                    other.as_section().map(|(id, _)| id)
                );
            }
        }
        section_index += 1;
    }

    if func_type_indices.len() != code_bodies.len() {
        bail!(
            "function section declares {} functions but the code section has {} bodies",
            func_type_indices.len(),
            code_bodies.len()
        );
    }
    for (ty, (offset, body)) in func_type_indices.into_iter().zip(code_bodies) {
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
        });
    }
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

    if let Some((body, pos)) = linking {
        read_linking(&mut obj, body, pos).context("custom section 'linking'")?;
        check_symbols(&obj).context("custom section 'linking'")?;
        obj.has_linking = true;
    } else {
        // LLVM's reader: without a `linking` section a module is not an object.
        bail!("not a relocatable wasm file");
    }
    for (body, pos, target) in reloc_sections {
        read_reloc_section(&mut obj, body, pos)
            .with_context(|| format!("custom section 'reloc.{target}'"))?;
    }
    if let Some((body, pos)) = names_section {
        // Function debug names. A malformed name section is ignored, as LLVM's reader
        // only warns about it.
        obj.function_names = read_function_names(body, pos).unwrap_or_default();
    }
    Ok(obj)
}

/// Walks the section headers before anything else reads them: a section whose size runs past
/// the end of the file is "section too large" (LLVM's words), named with its id and offset.
fn check_section_sizes(data: &[u8]) -> Result<()> {
    let mut r = BinaryReader::new(data, 0);
    r.read_bytes(8).map_err(werr)?;
    while !r.eof() {
        let at = r.original_position();
        let id = ctx(r.read_u8(), "section id")?;
        let size = ctx(r.read_var_u32(), "section size")?;
        if size as usize > r.bytes_remaining() {
            bail!(
                "section too large: section {id} at offset 0x{at:x} declares {size} bytes but {} remain",
                r.bytes_remaining()
            );
        }
        r.read_bytes(size as usize).map_err(werr)?;
    }
    Ok(())
}

/// Walks the code section payload: returns each body (size LEB included) with its offset.
fn read_code_section(payload: &[u8], base: u64) -> Result<Vec<(u32, &[u8])>> {
    let mut r = BinaryReader::new(payload, base);
    let count = ctx(r.read_var_u32(), "function count")?;
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
    let count = ctx(r.read_var_u32(), "feature count")?;
    let n = check_count(count, &r, "feature")?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let at = r.original_position();
        let prefix = ctx(r.read_u8(), "feature prefix")?;
        if !matches!(prefix, b'+' | b'-') {
            bail!("unknown feature policy prefix 0x{prefix:02x} at 0x{at:x}");
        }
        let name = ctx(r.read_string(), "feature name")?;
        out.push(Feature { prefix, name });
    }
    Ok(out)
}

#[allow(clippy::type_complexity)]
fn read_producers(body: &[u8], pos: u64) -> Result<Vec<(&str, Vec<(&str, &str)>)>> {
    let mut r = BinaryReader::new(body, pos);
    let count = ctx(r.read_var_u32(), "field count")?;
    let n = check_count(count, &r, "field")?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let field = ctx(r.read_string(), "field name")?;
        let vcount = ctx(r.read_var_u32(), "value count")?;
        let vn = check_count(vcount, &r, "value")?;
        let mut values = Vec::with_capacity(vn);
        for _ in 0..vn {
            let name = ctx(r.read_string(), "producer name")?;
            let version = ctx(r.read_string(), "producer version")?;
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
        let size = ctx(r.read_var_u32(), "subsection size")?;
        let sub = ctx(r.read_bytes(size as usize), "subsection")?;
        if id != 1 {
            continue;
        }
        let mut s = BinaryReader::new(sub, 0);
        let count = ctx(s.read_var_u32(), "name count")?;
        let n = check_count(count, &s, "name")?;
        for _ in 0..n {
            let idx = ctx(s.read_var_u32(), "function index")?;
            let name = ctx(s.read_unlimited_string(), "function name")?;
            out.push((idx, name));
        }
    }
    Ok(out)
}

const WASM_SEGMENT_INFO: u8 = 5;
const WASM_INIT_FUNCS: u8 = 6;
const WASM_COMDAT_INFO: u8 = 7;
const WASM_SYMBOL_TABLE: u8 = 8;

fn read_linking<'data>(obj: &mut Object<'data>, body: &'data [u8], pos: u64) -> Result<()> {
    let mut r = BinaryReader::new(body, pos);
    let version = ctx(r.read_var_u32(), "version")?;
    if version != 2 {
        bail!("unexpected metadata version: {version} (Expected: 2)");
    }
    while !r.eof() {
        let at = r.original_position();
        let id = ctx(r.read_u8(), "subsection id")?;
        let size = ctx(r.read_var_u32(), "subsection size")?;
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
            _ => bail!("unknown subsection type {id} at 0x{at:x}"),
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
    let count = ctx(r.read_var_u32(), "segment count")?;
    if count as usize != obj.data_segments.len() {
        bail!(
            "segment count {count} does not match the data section's {} segments",
            obj.data_segments.len()
        );
    }
    for seg in obj.data_segments.iter_mut() {
        // The name borrows the input: re-read it through the same lifetime.
        seg.name = ctx(r.read_string(), "segment name")?;
        seg.p2align = ctx(r.read_var_u32(), "segment alignment")?;
        if seg.p2align > 31 {
            bail!(
                "segment '{}': alignment 2^{} is too large",
                seg.name,
                seg.p2align
            );
        }
        seg.flags = ctx(r.read_var_u32(), "segment flags")?;
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
    let count = ctx(r.read_var_u32(), "init function count")?;
    let n = check_count(count, r, "init function")?;
    for _ in 0..n {
        let priority = ctx(r.read_var_u32(), "priority")?;
        let symbol = ctx(r.read_var_u32(), "symbol index")?;
        obj.init_funcs.push(InitFunc { priority, symbol });
    }
    Ok(())
}

fn read_comdats<'data>(obj: &mut Object<'data>, r: &mut BinaryReader<'data>) -> Result<()> {
    let count = ctx(r.read_var_u32(), "comdat count")?;
    let n = check_count(count, r, "comdat")?;
    for _ in 0..n {
        let name = ctx(r.read_string(), "comdat name")?;
        let flags = ctx(r.read_var_u32(), "comdat flags")?;
        if flags != 0 {
            bail!("comdat '{name}': unsupported flags 0x{flags:x}");
        }
        let ecount = ctx(r.read_var_u32(), "comdat entry count")?;
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
            let index = ctx(r.read_var_u32(), "comdat entry index")?;
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
    let count = ctx(r.read_var_u32(), "symbol count")?;
    let n = check_count(count, r, "symbol")?;
    obj.symbols.reserve(n);
    for i in 0..n {
        let at = r.original_position();
        let sym = read_symbol(obj, r).with_context(|| format!("symbol {i} at 0x{at:x}"))?;
        obj.symbols.push(sym);
    }
    Ok(())
}

fn read_symbol<'data>(obj: &Object<'data>, r: &mut BinaryReader<'data>) -> Result<Symbol<'data>> {
    let kind = match ctx(r.read_u8(), "kind")? {
        0 => SymbolKind::Function,
        1 => SymbolKind::Data,
        2 => SymbolKind::Global,
        3 => SymbolKind::Section,
        4 => SymbolKind::Tag,
        5 => SymbolKind::Table,
        k => bail!("unknown symbol kind {k}"),
    };
    let flags = ctx(r.read_var_u32(), "flags")?;
    let undefined = flags & WASM_SYM_UNDEFINED != 0;
    let explicit = flags & WASM_SYM_EXPLICIT_NAME != 0;
    let mut sym = Symbol {
        kind,
        flags,
        name: "",
        index: 0,
        data: None,
        import_module: None,
        import_name: None,
    };
    match kind {
        SymbolKind::Function | SymbolKind::Global | SymbolKind::Tag | SymbolKind::Table => {
            sym.index = ctx(r.read_var_u32(), "element index")?;
            let (imported, total) = match kind {
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
            };
            if sym.index as usize >= total {
                bail!(
                    "{} index {} out of range ({total} in the object)",
                    kind.describe(),
                    sym.index
                );
            }
            let is_import = (sym.index as usize) < imported.len();
            if undefined != is_import {
                bail!(
                    "{} symbol with index {} is {} but the index is {}",
                    kind.describe(),
                    sym.index,
                    if undefined { "undefined" } else { "defined" },
                    if is_import {
                        "an import"
                    } else {
                        "a definition"
                    }
                );
            }
            // A global cannot be weakly undefined (there is no stub for a global): LLVM's
            // object reader refuses the object, so wasm-ld does too, referenced or not.
            let weak = flags & 0x3 == WASM_SYM_BINDING_WEAK; // the binding field's value
            if undefined && kind == SymbolKind::Global && weak {
                let imp = &obj.imports[imported[sym.index as usize] as usize];
                bail!(
                    "undefined weak global symbol (import {}.{})",
                    imp.module,
                    imp.field
                );
            }
            if !undefined || explicit {
                sym.name = ctx(r.read_string(), "name")?;
            }
            if undefined {
                let imp = &obj.imports[imported[sym.index as usize] as usize];
                if !explicit {
                    sym.name = imp.field;
                } else {
                    sym.import_name = Some(imp.field);
                }
                sym.import_module = Some(imp.module);
            }
        }
        SymbolKind::Data => {
            sym.name = ctx(r.read_string(), "name")?;
            if !undefined {
                let segment = ctx(r.read_var_u32(), "segment index")?;
                let offset = ctx(r.read_var_u64(), "segment offset")?;
                let size = ctx(r.read_var_u64(), "size")?;
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
                sym.data = Some(DataRef {
                    segment,
                    offset,
                    size,
                });
            }
        }
        SymbolKind::Section => {
            sym.index = ctx(r.read_var_u32(), "section index")?;
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
    let target = ctx(r.read_var_u32(), "target section index")?;
    let count = ctx(r.read_var_u32(), "relocation count")?;
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
    let offset = ctx(r.read_var_u32(), "offset")?;
    let index = ctx(r.read_var_u32(), "index")?;
    let addend = match ty.info().addend {
        Addend::I64 => ctx(r.read_var_i64(), "addend")?,
        Addend::I32 => ctx(r.read_var_i32(), "addend")? as i64,
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
