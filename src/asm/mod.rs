//! The object assembler: turns annotated `.wat` into a WebAssembly relocatable object, shaped
//! like the objects clang and llvm-mc emit (tool-conventions Linking.md: a `linking` section
//! version 2 with WASM_SYMBOL_TABLE, WASM_SEGMENT_INFO, WASM_INIT_FUNCS and WASM_COMDAT_INFO;
//! `reloc.CODE`, `reloc.DATA` and `reloc.<custom>` sections; a padded 5-byte LEB (10 for 64-bit)
//! at every relocation site; optional `producers` and `target_features`).
//!
//! How it works: the text is parsed and encoded by the `wast` crate (which skips unknown
//! annotations), then re-read with wasmparser; each function body is copied instruction by
//! instruction, and only the immediates that need a relocation are re-encoded (padded). A small
//! S-expression reader ([`sexpr`]) finds the annotations and which field / instruction / data
//! value they belong to.
//!
//! # What the assembler does by itself
//! - Every function, global, table and tag gets a symbol, in source order. Defined items are
//!   named by their `$id` (without `$`), else by their first export name, else get a local name
//!   `func3`/`global0`/...; imports are undefined symbols named by the import field. An import
//!   whose module is not `env`, or whose symbol name differs from the field, gets
//!   `EXPLICIT_NAME` (so the linker may import it).
//! - `call`, `return_call`, `ref.func` -> FUNCTION_INDEX_LEB; `call_indirect` -> TYPE_INDEX_LEB
//!   and TABLE_NUMBER_LEB; `global.get/set` -> GLOBAL_INDEX_LEB; `table.*` -> TABLE_NUMBER_LEB;
//!   `throw`, `catch`, `try_table` catch clauses -> TAG_INDEX_LEB; block types given by type
//!   index -> TYPE_INDEX_LEB.
//! - Memory: `env.__linear_memory` is imported (a `(memory ...)` definition becomes that import,
//!   with its limits); data segments are made active at offsets laid out one after another (each
//!   aligned), as llvm-mc does; offsets written in the source are ignored.
//! - Table: if the module has no table but uses `call_indirect` or a table-index relocation,
//!   `env.__indirect_function_table` is imported with an undefined, NO_STRIP table symbol.
//! - Function exports stay in the export section and set `EXPORTED` on the symbol (lld takes
//!   the export name from there). Exports of globals/tables/tags set `EXPORTED` and are
//!   dropped; memory exports are dropped. The `name` section is dropped.
//!
//! # Annotations
//! Field annotations (anywhere inside the field):
//! - `(@sym [NAME] FLAG...)` on func/global/table/tag/import: NAME is `$name` or `"name"`;
//!   FLAGs: `weak local global hidden default exported no_exported explicit_name
//!   no_explicit_name no_strip tls absolute undefined flags=N` (flags=N sets the exact word).
//! - `(@nosym)`: no symbol for this item. `(@alias NAME FLAG...)`: one more symbol for it.
//! - `(@init [PRIORITY])` on a function: an init function (default priority 65535).
//! - `(@comdat NAME)` on a function, data segment or `@section`.
//! - `(@segment [NAME] align=N p2align=N strings tls retain flags=N)` on a data segment. The
//!   default name is `.data.<id>` (or `.data`), the default alignment 1.
//!
//! Data segments: values (strings, `(i32 ...)` lists) and these annotations, in order:
//! - `(@sym NAME FLAG... [size=N])`: a data symbol at the current offset; its size runs to the
//!   next `@sym` or the segment end. Without any `@sym`, a segment with an `$id` gets one
//!   symbol of that name covering it (an anonymous one a local symbol named after it). Symbols
//!   in a `tls` segment get the TLS flag.
//! - a relocated word: `(@addr $sym [+ADDEND])` (MEMORY_ADDR_I32, I64 with `(@wasm64)`),
//!   `(@funcaddr $f)` (TABLE_INDEX_I32/I64), or `(@reloc TYPE TARGET [ADDEND])` for any type
//!   (the word is as wide as the type's field: 4, 8, 5 or 10 bytes).
//! - `(@zero N)`: N zero bytes.
//!
//! Instruction annotations, written right after the instruction (also inside a folded one):
//! - after `i32.const`/`i64.const`: `(@addr $sym [ADDEND])` MEMORY_ADDR_SLEB(64),
//!   `(@addr.rel ...)` MEMORY_ADDR_REL_SLEB(64), `(@addr.tls ...)` MEMORY_ADDR_TLS_SLEB(64),
//!   `(@funcaddr $f)` TABLE_INDEX_SLEB(64), `(@funcaddr.rel $f)` TABLE_INDEX_REL_SLEB(64).
//! - after a load/store: `(@addr $sym [ADDEND])` on the memarg offset: MEMORY_ADDR_LEB(64).
//! - `(@reloc TYPE TARGET [ADDEND])`: any type by name (`memory_addr_sleb`, case and `R_WASM_`
//!   optional) or number, on the immediate that type patches (replacing the automatic one);
//!   TARGET `$name`/`"name"` is a symbol (or a `@section` name: a section symbol), `#N` a raw
//!   symbol index, a number a type index for TYPE_INDEX_LEB. `(@reloc none)`: no relocation on
//!   this instruction at all (minimal LEBs kept).
//!
//! Module annotations:
//! - `(@features +NAME -NAME =NAME ...)`: a `target_features` section.
//! - `(@undef-data NAME FLAG...)`: an undefined data symbol.
//! - `(@init $f [PRIORITY])`: an init function by symbol name.
//! - `(@section "NAME" ITEM...)`: a custom section; ITEMs as in data segments (strings,
//!   `@reloc` words, `@zero`, `@comdat`). `(@producers ...)` and `(@custom ...)` of the `wast`
//!   crate also work.
//! - `(@wasm64)`: a 64-bit memory (also implied by `(memory i64 ...)`).
//! - Making broken objects: `(@linking-version N)`, `(@no-linking)`, `(@truncate N)` (cut the
//!   output to N bytes), `(@poke OFFSET "bytes")` (overwrite output bytes).
//!
//! Errors name the file, line and column.

mod annot;
mod code;
pub mod reloc;
mod sexpr;

use crate::error::Result;
use annot::{RelocKind, RelocSpec, Src, SymSpec, Target};
use reloc::Site;
use sexpr::Node;
use std::collections::HashMap;
use std::path::Path;
use wast::core::{
    DataVal, FuncKind, GlobalKind, ImportItems, ItemKind, MemoryKind, ModuleField, ModuleKind,
    TableKind, TagKind,
};

const K_FUNC: usize = 0;
const K_TABLE: usize = 1;
const K_MEMORY: usize = 2;
const K_GLOBAL: usize = 3;
const K_TAG: usize = 4;
const KIND_NAMES: [&str; 5] = ["func", "table", "memory", "global", "tag"];
/// Symbol kinds of WASM_SYMBOL_TABLE for our item kinds (memory has none).
const SYM_KIND: [u8; 5] = [0, 5, 255, 2, 4];

/// Assembles the annotated `.wat` text `source` (read from `path`, used in messages) into the
/// bytes of a relocatable object.
pub fn assemble(source: &str, path: &Path) -> Result<Vec<u8>> {
    let path_str = path.display().to_string();
    let src = Src {
        path: &path_str,
        text: source,
    };
    let top = sexpr::parse(source, &path_str)?;
    let fields = module_fields(&top);
    let (ast, binary) = parse_wast(src)?;
    Asm::new(src, fields, ast)?.run(&binary)
}

/// The module-level nodes (inside `(module ...)` if there is one).
fn module_fields(top: &[Node]) -> Vec<&Node> {
    if let [m @ Node::List { items, .. }] = top {
        if m.keyword() == Some("module") {
            return items[1..]
                .iter()
                .filter(|n| matches!(n, Node::List { .. }))
                .collect();
        }
    }
    top.iter()
        .filter(|n| matches!(n, Node::List { .. }))
        .collect()
}

/// One function/table/memory/global/tag as the text declared it.
#[derive(Clone, Debug, Default)]
struct Item {
    id: Option<String>,
    import: Option<(String, String)>,
    pos: usize,
    instr_spans: Vec<usize>,
    is64: bool,
}

#[derive(Debug, Default)]
struct Ast {
    imports: [Vec<Item>; 5],
    defs: [Vec<Item>; 5],
    datas: Vec<DataItem>,
}

#[derive(Debug)]
struct DataItem {
    id: Option<String>,
    pos: usize,
    vals: Vec<Vec<u8>>,
}

fn parse_wast(src: Src) -> Result<(Ast, Vec<u8>)> {
    let werr = |mut e: wast::Error| {
        e.set_path(Path::new(src.path));
        e.set_text(src.text);
        crate::err!("{e}")
    };
    let mut buf = wast::parser::ParseBuffer::new(src.text).map_err(werr)?;
    buf.track_instr_spans(true);
    let mut wat = wast::parser::parse::<wast::Wat>(&buf).map_err(werr)?;
    let wast::Wat::Module(module) = &mut wat else {
        return Err(crate::err!(
            "{}: expected a core module, not a component",
            src.path
        ));
    };
    let ModuleKind::Text(mfields) = &module.kind else {
        return Err(crate::err!(
            "{}: `(module binary ...)` is not supported",
            src.path
        ));
    };
    let mut ast = Ast::default();
    let id = |i: &Option<wast::token::Id>| i.map(|i| i.name().to_string());
    for f in mfields {
        match f {
            ModuleField::Import(imps) => {
                let ImportItems::Single { module, name, sig } = &imps.items else {
                    return Err(src.err(
                        imps.span.offset(),
                        "compact import groups are not supported",
                    ));
                };
                let (kind, is64) = match &sig.kind {
                    ItemKind::Func(_) | ItemKind::FuncExact(_) => (K_FUNC, false),
                    ItemKind::Table(_) => (K_TABLE, false),
                    ItemKind::Memory(m) => (K_MEMORY, is_mem64(m)),
                    ItemKind::Global(_) => (K_GLOBAL, false),
                    ItemKind::Tag(_) => (K_TAG, false),
                };
                ast.imports[kind].push(Item {
                    id: id(&sig.id),
                    import: Some((module.to_string(), name.to_string())),
                    pos: sig.span.offset(),
                    is64,
                    ..Item::default()
                });
            }
            ModuleField::Func(func) => {
                let mut item = Item {
                    id: id(&func.id),
                    pos: func.span.offset(),
                    ..Item::default()
                };
                match &func.kind {
                    FuncKind::Import(imp, _) => {
                        item.import = Some((imp.module.to_string(), imp.field.to_string()));
                        ast.imports[K_FUNC].push(item);
                    }
                    FuncKind::Inline { expression, .. } => {
                        item.instr_spans = expression
                            .instr_spans
                            .as_ref()
                            .map(|s| s.iter().map(|s| s.offset()).collect())
                            .unwrap_or_default();
                        ast.defs[K_FUNC].push(item);
                    }
                }
            }
            ModuleField::Table(t) => {
                let item = Item {
                    id: id(&t.id),
                    pos: t.span.offset(),
                    ..Item::default()
                };
                match &t.kind {
                    TableKind::Import { import, .. } => ast.imports[K_TABLE].push(Item {
                        import: Some((import.module.to_string(), import.field.to_string())),
                        ..item
                    }),
                    _ => ast.defs[K_TABLE].push(item),
                }
            }
            ModuleField::Memory(m) => {
                let item = Item {
                    id: id(&m.id),
                    pos: m.span.offset(),
                    ..Item::default()
                };
                match &m.kind {
                    MemoryKind::Import { import, ty } => ast.imports[K_MEMORY].push(Item {
                        import: Some((import.module.to_string(), import.field.to_string())),
                        is64: is_mem64(ty),
                        ..item
                    }),
                    MemoryKind::Normal(ty) => ast.defs[K_MEMORY].push(Item {
                        is64: is_mem64(ty),
                        ..item
                    }),
                    MemoryKind::Inline { .. } => {
                        return Err(src.err(
                            m.span.offset(),
                            "inline `(memory (data ...))` is not supported; write a data segment",
                        ))
                    }
                }
            }
            ModuleField::Global(g) => {
                let item = Item {
                    id: id(&g.id),
                    pos: g.span.offset(),
                    ..Item::default()
                };
                match &g.kind {
                    GlobalKind::Import(imp) => ast.imports[K_GLOBAL].push(Item {
                        import: Some((imp.module.to_string(), imp.field.to_string())),
                        ..item
                    }),
                    GlobalKind::Inline(_) => ast.defs[K_GLOBAL].push(item),
                }
            }
            ModuleField::Tag(t) => {
                let item = Item {
                    id: id(&t.id),
                    pos: t.span.offset(),
                    ..Item::default()
                };
                match &t.kind {
                    TagKind::Import(imp) => ast.imports[K_TAG].push(Item {
                        import: Some((imp.module.to_string(), imp.field.to_string())),
                        ..item
                    }),
                    TagKind::Inline() => ast.defs[K_TAG].push(item),
                }
            }
            ModuleField::Data(d) => ast.datas.push(DataItem {
                id: id(&d.id),
                pos: d.span.offset(),
                vals: d
                    .data
                    .iter()
                    .map(|v| match v {
                        DataVal::String(s) => s.to_vec(),
                        DataVal::Integral(b) => b.clone(),
                    })
                    .collect(),
            }),
            _ => {}
        }
    }
    let binary = module.encode().map_err(werr)?;
    Ok((ast, binary))
}

fn is_mem64(m: &wast::core::MemoryType) -> bool {
    m.limits.is64
}

/// A symbol of the WASM_SYMBOL_TABLE being built.
#[derive(Clone, Debug)]
struct Symbol {
    kind: u8,
    flags: u32,
    name: String,
    /// Element index (function/global/table/tag).
    index: u32,
    /// Data symbols: (segment, offset, size) when defined.
    data: Option<(u32, u64, u64)>,
    /// Section symbols: the custom section's name.
    section: Option<String>,
}

/// A data segment being built.
#[derive(Debug, Default)]
struct Segment {
    name: String,
    p2align: u32,
    flags: u32,
    bytes: Vec<u8>,
    /// (offset in segment, spec, width)
    relocs: Vec<(usize, RelocSpec, u8)>,
    /// virtual address inside the object's data layout.
    addr: u64,
}

/// A custom section from `(@section ...)`.
struct CustomSec {
    name: String,
    bytes: Vec<u8>,
    relocs: Vec<(usize, RelocSpec, u8)>,
}

/// A relocation entry as written.
#[derive(Clone, Debug)]
struct Entry {
    ty: u8,
    offset: u32,
    index: u32,
    addend: i64,
}

struct Asm<'a> {
    src: Src<'a>,
    fields: Vec<&'a Node>,
    ast: Ast,
    wasm64: bool,
    syms: Vec<Symbol>,
    by_name: HashMap<String, u32>,
    /// `$id` of an item -> its primary symbol (a fallback for targets).
    id_map: HashMap<String, u32>,
    /// Primary symbol of each item, per kind, by wasm index.
    item_sym: [Vec<Option<u32>>; 5],
    init_funcs: Vec<(u32, u32)>,
    comdats: Vec<(String, Vec<(u8, ComdatRef)>)>,
    segments: Vec<Segment>,
    customs: Vec<CustomSec>,
    features: Vec<(u8, String)>,
    undef_data: Vec<(usize, SymSpec)>,
    add_table: bool,
    linking_version: u32,
    no_linking: bool,
    truncate: Option<usize>,
    pokes: Vec<(usize, Vec<u8>)>,
    /// Instruction annotations per defined function: (instruction index, spec).
    instr_anns: Vec<Vec<(usize, RelocSpec)>>,
    exports: Vec<(String, u32)>,
}

#[derive(Clone, Debug)]
enum ComdatRef {
    Index(u32),
    Section(String),
}

impl<'a> Asm<'a> {
    fn new(src: Src<'a>, fields: Vec<&'a Node>, ast: Ast) -> Result<Asm<'a>> {
        let wasm64 = ast.imports[K_MEMORY]
            .iter()
            .chain(&ast.defs[K_MEMORY])
            .any(|m| m.is64);
        Ok(Asm {
            src,
            fields,
            wasm64,
            syms: Vec::new(),
            by_name: HashMap::new(),
            id_map: HashMap::new(),
            item_sym: Default::default(),
            init_funcs: Vec::new(),
            comdats: Vec::new(),
            segments: Vec::new(),
            customs: Vec::new(),
            features: Vec::new(),
            undef_data: Vec::new(),
            add_table: false,
            linking_version: 2,
            no_linking: false,
            truncate: None,
            pokes: Vec::new(),
            instr_anns: vec![Vec::new(); ast.defs[K_FUNC].len()],
            exports: Vec::new(),
            ast,
        })
    }

    fn err(&self, pos: usize, msg: impl std::fmt::Display) -> crate::Error {
        self.src.err(pos, msg)
    }

    fn run(mut self, binary: &[u8]) -> Result<Vec<u8>> {
        let parsed = read_binary(binary)
            .map_err(|e| crate::err!("{}: re-reading the encoded module: {e}", self.src.path))?;
        self.exports = parsed
            .exports
            .iter()
            .filter(|e| e.1 == 0)
            .map(|e| (e.0.clone(), e.2))
            .collect();
        self.build_symbols(&parsed)?;
        // Decide whether the indirect function table must be imported.
        let has_table = !self.ast.imports[K_TABLE].is_empty() || !self.ast.defs[K_TABLE].is_empty();
        if !has_table && (parsed.uses_call_indirect || self.annotations_need_table()) {
            self.add_table = true;
            let idx = self.push_sym(Symbol {
                kind: 5,
                flags: annot::UNDEFINED | annot::NO_STRIP,
                name: "__indirect_function_table".into(),
                index: 0,
                data: None,
                section: None,
            });
            self.item_sym[K_TABLE] = vec![Some(idx)];
        }
        self.write(binary, &parsed)
    }

    fn push_sym(&mut self, s: Symbol) -> u32 {
        let idx = self.syms.len() as u32;
        self.by_name.entry(s.name.clone()).or_insert(idx);
        self.syms.push(s);
        idx
    }

    fn annotations_need_table(&self) -> bool {
        let table_kind = |k: &RelocKind| match k {
            RelocKind::FuncAddr | RelocKind::FuncAddrRel => true,
            RelocKind::Explicit(t) => matches!(t.code, 1 | 2 | 12 | 18 | 19 | 20 | 24),
            _ => false,
        };
        self.instr_anns
            .iter()
            .flatten()
            .any(|(_, s)| table_kind(&s.kind))
            || self
                .segments
                .iter()
                .flat_map(|s| &s.relocs)
                .any(|r| table_kind(&r.1.kind))
            || self
                .customs
                .iter()
                .flat_map(|s| &s.relocs)
                .any(|r| table_kind(&r.1.kind))
    }

    /// Which field (index into `self.fields`) contains byte offset `pos`.
    fn field_at(&self, pos: usize) -> Option<usize> {
        self.fields.iter().position(|f| match f {
            Node::List { start, end, .. } => *start <= pos && pos < *end,
            _ => false,
        })
    }

    /// Walks every field in source order, creating symbols, segments and custom sections.
    fn build_symbols(&mut self, parsed: &Parsed) -> Result<()> {
        // Map each field to the item it declares: (kind, wasm index).
        let mut field_item: HashMap<usize, (usize, u32)> = HashMap::new();
        for k in 0..5 {
            let n_imp = self.ast.imports[k].len() as u32;
            let items: Vec<(usize, u32)> = self.ast.imports[k]
                .iter()
                .enumerate()
                .map(|(i, it)| (it.pos, i as u32))
                .chain(
                    self.ast.defs[k]
                        .iter()
                        .enumerate()
                        .map(|(i, it)| (it.pos, n_imp + i as u32)),
                )
                .collect();
            self.item_sym[k] = vec![None; items.len()];
            for (pos, idx) in items {
                if let Some(f) = self.field_at(pos) {
                    field_item.insert(f, (k, idx));
                }
            }
        }
        let mut data_field: HashMap<usize, usize> = HashMap::new();
        for (i, d) in self.ast.datas.iter().enumerate() {
            if let Some(f) = self.field_at(d.pos) {
                data_field.insert(f, i);
            }
        }
        // Symbols named after exports, for items without ids.
        let mut pending_inits: Vec<(usize, String, u32)> = Vec::new();
        let fields = self.fields.clone();
        let mut seg_count = 0usize;
        for (fi, field) in fields.iter().enumerate() {
            let Node::List {
                ann, items, start, ..
            } = field
            else {
                continue;
            };
            if let Some(name) = ann {
                self.module_annotation(name, *start, &items[..], &mut pending_inits)?;
                continue;
            }
            if let Some(&(kind, index)) = field_item.get(&fi) {
                self.item_field(kind, index, field, parsed)?;
            } else if let Some(&di) = data_field.get(&fi) {
                if di != seg_count {
                    return Err(self.err(*start, "internal: data segments out of order"));
                }
                seg_count += 1;
                self.data_field(di, field)?;
            } else {
                // Other fields (type, export, elem, start): annotations inside are errors.
                let mut anns = Vec::new();
                collect_anns(items, &mut anns);
                if let Some((name, pos, _)) = anns.into_iter().find(|a| !is_wast_native(a.0)) {
                    return Err(self.err(pos, format!("annotation `@{name}` is not allowed here")));
                }
            }
        }
        for (pos, spec) in std::mem::take(&mut self.undef_data) {
            let name = spec
                .name
                .clone()
                .ok_or_else(|| self.err(pos, "(@undef-data NAME ...) needs a name"))?;
            self.push_sym(Symbol {
                kind: 1,
                flags: spec.apply(annot::UNDEFINED),
                name,
                index: 0,
                data: None,
                section: None,
            });
        }
        for (pos, name, prio) in pending_inits {
            let idx = *self
                .by_name
                .get(&name)
                .ok_or_else(|| self.err(pos, format!("(@init): no symbol named `{name}`")))?;
            self.init_funcs.push((prio, idx));
        }
        // Layout of segments in the object's own address space.
        let mut addr = 0u64;
        for s in &mut self.segments {
            let align = 1u64 << s.p2align.min(63);
            addr = addr.div_ceil(align) * align;
            s.addr = addr;
            addr += s.bytes.len() as u64;
        }
        Ok(())
    }

    fn module_annotation(
        &mut self,
        name: &str,
        pos: usize,
        args: &[Node],
        pending_inits: &mut Vec<(usize, String, u32)>,
    ) -> Result<()> {
        let src = self.src;
        match name {
            "features" => {
                for a in args {
                    let Node::Atom { text, pos } = a else {
                        return Err(self.err(a.pos(), "expected +name, -name or =name"));
                    };
                    let (prefix, rest) =
                        text.split_at(text.chars().next().map_or(0, char::len_utf8));
                    let p = match prefix {
                        "+" => b'+',
                        "-" => b'-',
                        "=" => b'=',
                        _ => return Err(self.err(*pos, "feature needs a +, - or = prefix")),
                    };
                    self.features.push((p, rest.to_string()));
                }
            }
            "undef-data" => {
                let spec = annot::sym_spec(src, pos, args)?;
                self.undef_data.push((pos, spec));
            }
            "init" => {
                let Some(target) = args.first().and_then(annot::name_of) else {
                    return Err(self.err(
                        pos,
                        "(@init $func [PRIORITY]) at module level needs a symbol",
                    ));
                };
                let prio = match args.get(1) {
                    Some(a) => {
                        annot::int_arg(src, pos, std::slice::from_ref(a), "priority")? as u32
                    }
                    None => 65535,
                };
                pending_inits.push((pos, target, prio));
            }
            "section" => self.custom_section(pos, args)?,
            "wasm64" => self.wasm64 = true,
            "linking-version" => {
                self.linking_version = annot::int_arg(src, pos, args, "version")? as u32
            }
            "no-linking" => self.no_linking = true,
            "truncate" => self.truncate = Some(annot::int_arg(src, pos, args, "length")? as usize),
            "poke" => match args {
                [Node::Atom { text, pos: p }, Node::Str { bytes, .. }] => {
                    let off = annot::number(text)
                        .and_then(|n| usize::try_from(n).ok())
                        .ok_or_else(|| self.err(*p, "bad offset"))?;
                    self.pokes.push((off, bytes.clone()));
                }
                _ => return Err(self.err(pos, "(@poke OFFSET \"bytes\")")),
            },
            n if is_wast_native(n) => {}
            n => {
                return Err(self.err(
                    pos,
                    format!(
                        "unknown module annotation `@{n}` (expected features, undef-data, init, \
                         section, wasm64, linking-version, no-linking, truncate, poke)"
                    ),
                ))
            }
        }
        Ok(())
    }

    /// A func/table/memory/global/tag field (defined or imported).
    fn item_field(&mut self, kind: usize, index: u32, field: &Node, parsed: &Parsed) -> Result<()> {
        let Node::List { items, start, .. } = field else {
            return Ok(());
        };
        let mut anns = Vec::new();
        collect_anns(items, &mut anns);
        let n_imp = self.ast.imports[kind].len() as u32;
        let item = if index < n_imp {
            self.ast.imports[kind][index as usize].clone()
        } else {
            self.ast.defs[kind][(index - n_imp) as usize].clone()
        };
        let mut spec: Option<SymSpec> = None;
        let mut nosym = false;
        let mut aliases = Vec::new();
        let mut inits = Vec::new();
        for (name, pos, args) in anns {
            let src = self.src;
            match name {
                "sym" => spec = Some(annot::sym_spec(src, pos, args)?),
                "nosym" => nosym = true,
                "alias" => aliases.push(annot::sym_spec(src, pos, args)?),
                "init" if kind == K_FUNC => {
                    let prio = if args.is_empty() {
                        65535
                    } else {
                        annot::int_arg(src, pos, args, "priority")? as u32
                    };
                    inits.push(prio);
                }
                "comdat" if kind == K_FUNC && item.import.is_none() => {
                    let Some(c) = args.first().and_then(annot::name_of) else {
                        return Err(self.err(pos, "(@comdat NAME)"));
                    };
                    self.add_comdat(c, 1, ComdatRef::Index(index));
                }
                n if annot::is_reloc(n) && kind == K_FUNC && item.import.is_none() => {
                    let spec = annot::reloc_spec(src, n, pos, args)?;
                    let spans = &item.instr_spans;
                    let Some(k) = spans.iter().rposition(|&s| s < pos) else {
                        return Err(
                            self.err(pos, "relocation annotation before the first instruction")
                        );
                    };
                    self.instr_anns[(index - n_imp) as usize].push((k, spec));
                }
                n if is_wast_native(n) => {}
                n => {
                    return Err(self.err(
                        pos,
                        format!(
                            "annotation `@{n}` is not allowed in a {} field",
                            KIND_NAMES[kind]
                        ),
                    ))
                }
            }
        }
        if kind == K_MEMORY {
            if spec.is_some() || !aliases.is_empty() {
                return Err(self.err(*start, "memories have no symbols"));
            }
            return Ok(());
        }
        if nosym {
            if !inits.is_empty() {
                return Err(self.err(*start, "(@init) needs a symbol; remove (@nosym)"));
            }
            return Ok(());
        }
        let spec = spec.unwrap_or_default();
        let exported = self
            .exports
            .iter()
            .find(|e| kind == K_FUNC && e.1 == index)
            .map(|e| e.0.clone());
        let other_export = parsed
            .exports
            .iter()
            .any(|e| e.2 == index && e.1 == SYM_KIND_TO_EXTERNAL[kind]);
        let (name, mut flags) = match &item.import {
            Some((module, field)) => {
                let name = spec.name.clone().unwrap_or_else(|| field.clone());
                let mut flags = annot::UNDEFINED;
                if module != "env" || &name != field {
                    flags |= annot::EXPLICIT_NAME;
                }
                (name, flags)
            }
            None => match spec.name.clone().or(item.id.clone()).or(exported.clone()) {
                Some(n) => (n, 0),
                None => (format!("{}{}", KIND_NAMES[kind], index), annot::LOCAL),
            },
        };
        if item.import.is_none() && (exported.is_some() || other_export) {
            flags |= annot::EXPORTED;
        }
        let flags = spec.apply(flags);
        let sym = self.push_sym(Symbol {
            kind: SYM_KIND[kind],
            flags,
            name,
            index,
            data: None,
            section: None,
        });
        self.item_sym[kind][index as usize] = Some(sym);
        if let Some(id) = &item.id {
            self.id_map.entry(id.clone()).or_insert(sym);
        }
        for a in aliases {
            let name = a
                .name
                .clone()
                .ok_or_else(|| self.err(a.pos, "(@alias NAME ...) needs a name"))?;
            let base = if item.import.is_some() {
                annot::UNDEFINED
            } else {
                0
            };
            self.push_sym(Symbol {
                kind: SYM_KIND[kind],
                flags: a.apply(base),
                name,
                index,
                data: None,
                section: None,
            });
        }
        for prio in inits {
            self.init_funcs.push((prio, sym));
        }
        Ok(())
    }

    fn add_comdat(&mut self, name: String, kind: u8, r: ComdatRef) {
        match self.comdats.iter_mut().find(|c| c.0 == name) {
            Some(c) => c.1.push((kind, r)),
            None => self.comdats.push((name, vec![(kind, r)])),
        }
    }

    /// A data segment field: values, symbols, relocated words.
    fn data_field(&mut self, di: usize, field: &Node) -> Result<()> {
        let Node::List { items, start, .. } = field else {
            return Ok(());
        };
        let seg_index = self.segments.len() as u32;
        let id = self.ast.datas[di].id.clone();
        let vals = std::mem::take(&mut self.ast.datas[di].vals);
        let mut seg = Segment::default();
        let mut seg_spec = annot::SegSpec::default();
        let mut syms: Vec<SymSpec> = Vec::new();
        let mut sym_offsets: Vec<u64> = Vec::new();
        let mut k = 0usize;
        let src = self.src;
        for (i, node) in items.iter().enumerate().skip(1) {
            match node {
                // The segment's `$id`.
                Node::Atom { text, .. } if i == 1 && text.starts_with('$') => {}
                Node::Str { pos, .. } => {
                    let v = vals
                        .get(k)
                        .ok_or_else(|| self.err(*pos, "internal: data values out of step"))?;
                    seg.bytes.extend_from_slice(v);
                    k += 1;
                }
                Node::List { ann: None, .. } => {
                    let kw = node.keyword().unwrap_or("");
                    if matches!(kw, "i8" | "i16" | "i32" | "i64" | "f32" | "f64" | "v128") {
                        let v = vals.get(k).ok_or_else(|| {
                            self.err(node.pos(), "internal: data values out of step")
                        })?;
                        seg.bytes.extend_from_slice(v);
                        k += 1;
                    }
                }
                Node::List {
                    ann: Some(name),
                    items: args,
                    start: pos,
                    ..
                } => match name.as_str() {
                    "sym" => {
                        let s = annot::sym_spec(src, *pos, args)?;
                        if s.name.is_none() {
                            return Err(self.err(*pos, "a data (@sym NAME ...) needs a name"));
                        }
                        sym_offsets.push(s.offset.unwrap_or(seg.bytes.len() as u64));
                        syms.push(s);
                    }
                    "segment" => seg_spec = annot::seg_spec(src, args)?,
                    "comdat" => {
                        let Some(c) = args.first().and_then(annot::name_of) else {
                            return Err(self.err(*pos, "(@comdat NAME)"));
                        };
                        self.add_comdat(c, 0, ComdatRef::Index(seg_index));
                    }
                    "zero" => {
                        let n = annot::int_arg(src, *pos, args, "byte count")?;
                        let n = usize::try_from(n).map_err(|_| self.err(*pos, "bad byte count"))?;
                        seg.bytes.resize(seg.bytes.len() + n, 0);
                    }
                    n if annot::is_reloc(n) => {
                        let spec = annot::reloc_spec(src, n, *pos, args)?;
                        let ty = self.data_reloc_type(&spec)?;
                        let off = seg.bytes.len();
                        seg.bytes.resize(off + reloc::by_code(ty).width.size(), 0);
                        seg.relocs.push((off, spec, ty));
                    }
                    n if is_wast_native(n) => {}
                    n => {
                        return Err(self.err(
                            *pos,
                            format!("annotation `@{n}` is not allowed in a data segment"),
                        ))
                    }
                },
                _ => {}
            }
        }
        if k != vals.len() {
            return Err(self.err(
                *start,
                "internal: could not match the data values of this segment",
            ));
        }
        seg.name = seg_spec.name.clone().unwrap_or_else(|| match &id {
            Some(id) => format!(".data.{id}"),
            None => ".data".to_string(),
        });
        seg.p2align = seg_spec.p2align.unwrap_or(0);
        seg.flags = seg_spec.raw_flags.unwrap_or(seg_spec.flags);
        let tls = seg.flags & 2 != 0;
        let len = seg.bytes.len() as u64;
        if syms.is_empty() {
            let (name, flags) = match &id {
                Some(id) => (id.clone(), 0),
                None => (seg.name.clone(), annot::LOCAL),
            };
            syms.push(SymSpec {
                name: Some(name),
                set: flags,
                ..SymSpec::default()
            });
            sym_offsets.push(0);
        }
        for (j, s) in syms.iter().enumerate() {
            let off = sym_offsets[j];
            let size = s.size.unwrap_or_else(|| {
                sym_offsets
                    .get(j + 1)
                    .copied()
                    .unwrap_or(len)
                    .saturating_sub(off)
            });
            let base = if tls { annot::TLS } else { 0 };
            self.push_sym(Symbol {
                kind: 1,
                flags: s.apply(base),
                name: s.name.clone().unwrap_or_default(),
                index: 0,
                data: Some((seg_index, off, size)),
                section: None,
            });
        }
        self.segments.push(seg);
        Ok(())
    }

    /// The relocation type of a data word annotation.
    fn data_reloc_type(&self, spec: &RelocSpec) -> Result<u8> {
        Ok(match spec.kind {
            RelocKind::Explicit(t) => t.code,
            RelocKind::Addr => {
                if self.wasm64 {
                    16
                } else {
                    5
                }
            }
            RelocKind::FuncAddr => {
                if self.wasm64 {
                    19
                } else {
                    2
                }
            }
            _ => {
                return Err(self.err(
                    spec.pos,
                    "in data, use (@addr ...), (@funcaddr ...) or (@reloc TYPE ...)",
                ))
            }
        })
    }

    fn custom_section(&mut self, pos: usize, args: &[Node]) -> Result<()> {
        let Some(Node::Str { bytes, .. }) = args.first() else {
            return Err(self.err(pos, "(@section \"NAME\" ...) needs a name string"));
        };
        let name = String::from_utf8_lossy(bytes).into_owned();
        let mut sec = CustomSec {
            name: name.clone(),
            bytes: Vec::new(),
            relocs: Vec::new(),
        };
        let src = self.src;
        for node in &args[1..] {
            match node {
                Node::Str { bytes, .. } => sec.bytes.extend_from_slice(bytes),
                Node::List {
                    ann: Some(a),
                    items,
                    start,
                    ..
                } => match a.as_str() {
                    "zero" => {
                        let n = annot::int_arg(src, *start, items, "byte count")?;
                        sec.bytes.resize(sec.bytes.len() + n.max(0) as usize, 0);
                    }
                    "comdat" => {
                        let Some(c) = items.first().and_then(annot::name_of) else {
                            return Err(self.err(*start, "(@comdat NAME)"));
                        };
                        self.add_comdat(c, 5, ComdatRef::Section(name.clone()));
                    }
                    n if annot::is_reloc(n) => {
                        let spec = annot::reloc_spec(src, n, *start, items)?;
                        let ty = self.data_reloc_type(&spec)?;
                        let off = sec.bytes.len();
                        sec.bytes.resize(off + reloc::by_code(ty).width.size(), 0);
                        sec.relocs.push((off, spec, ty));
                    }
                    n => {
                        return Err(self.err(
                            *start,
                            format!("annotation `@{n}` is not allowed in @section"),
                        ))
                    }
                },
                other => return Err(self.err(other.pos(), "expected a string or an annotation")),
            }
        }
        self.customs.push(sec);
        Ok(())
    }

    /// Resolves a relocation target to a symbol index (creating section symbols on demand).
    fn resolve(&mut self, target: &Target, ty: u8, pos: usize) -> Result<u32> {
        match target {
            Target::Raw(n) => Ok(*n),
            Target::Num(n) if ty == reloc::TYPE_INDEX_LEB => Ok(*n),
            Target::Num(_) => {
                Err(self.err(pos, "a plain number is only a target for TYPE_INDEX_LEB"))
            }
            Target::Name(name) => {
                if let Some(&i) = self.by_name.get(name).or_else(|| self.id_map.get(name)) {
                    return Ok(i);
                }
                if self.customs.iter().any(|c| &c.name == name) {
                    return Ok(self.push_sym(Symbol {
                        kind: 3,
                        flags: annot::LOCAL,
                        name: name.clone(),
                        index: 0,
                        data: None,
                        section: Some(name.clone()),
                    }));
                }
                Err(self.err(pos, format!("no symbol named `{name}`")))
            }
        }
    }

    /// The value to store at a relocation site before linking: the object-local address for
    /// memory relocations against data defined here, else the addend.
    fn site_value(&self, ty: u8, index: u32, addend: i64) -> i64 {
        let r = reloc::by_code(ty);
        if r.name.starts_with("MEMORY_ADDR") {
            if let Some(Symbol {
                kind: 1,
                data: Some((seg, off, _)),
                flags,
                ..
            }) = self.syms.get(index as usize)
            {
                if flags & annot::TLS == 0 {
                    if let Some(s) = self.segments.get(*seg as usize) {
                        return (s.addr + off) as i64 + addend;
                    }
                }
            }
            return addend;
        }
        if r.has_addend {
            addend
        } else {
            0
        }
    }

    /// Rewrites the code section; returns its payload and relocations.
    fn code_section(&mut self, parsed: &Parsed, binary: &[u8]) -> Result<(Vec<u8>, Vec<Entry>)> {
        let mut payload = Vec::new();
        reloc::uleb(parsed.bodies.len() as u64, &mut payload);
        let mut entries = Vec::new();
        let n_imp = self.ast.imports[K_FUNC].len();
        for (j, body) in parsed.bodies.iter().enumerate() {
            let fpos = self.ast.defs[K_FUNC].get(j).map_or(0, |f| f.pos);
            let anns = self.instr_anns.get(j).cloned().unwrap_or_default();
            if !anns.is_empty() && self.ast.defs[K_FUNC][j].instr_spans.len() + 1 != body.ops.len()
            {
                return Err(self.err(
                    fpos,
                    "cannot match annotations to instructions in this function",
                ));
            }
            let mut out = binary[body.start..body.ops_start].to_vec();
            let mut body_relocs: Vec<(usize, Entry)> = Vec::new();
            for (k, op) in body.ops.iter().enumerate() {
                let bytes = &binary[op.start..op.end];
                let sites = code::sites(&op.op, bytes)
                    .map_err(|e| self.err(fpos, format!("function {}: {e}", n_imp + j)))?;
                let mine: Vec<&RelocSpec> =
                    anns.iter().filter(|a| a.0 == k).map(|a| &a.1).collect();
                let none = mine.iter().any(|s| matches!(s.kind, RelocKind::None));
                let mut chosen: Vec<Option<code::SiteReloc>> = vec![None; sites.len()];
                if !none {
                    for (si, s) in sites.iter().enumerate() {
                        let ty = match s.class {
                            Site::Func => reloc::FUNCTION_INDEX_LEB,
                            Site::Global => reloc::GLOBAL_INDEX_LEB,
                            Site::Table => reloc::TABLE_NUMBER_LEB,
                            Site::Tag => reloc::TAG_INDEX_LEB,
                            Site::Type => {
                                chosen[si] = Some(code::SiteReloc {
                                    site: si,
                                    ty: reloc::TYPE_INDEX_LEB,
                                    index: s.value as u32,
                                    addend: 0,
                                    value: s.value,
                                });
                                continue;
                            }
                            _ => continue,
                        };
                        chosen[si] = Some(code::SiteReloc {
                            site: si,
                            ty,
                            index: u32::MAX,
                            addend: 0,
                            value: s.value,
                        });
                    }
                }
                let mut explicit = vec![false; sites.len()];
                for spec in mine {
                    if matches!(spec.kind, RelocKind::None) {
                        continue;
                    }
                    let classes = |c: Site| sites.iter().any(|s| s.class == c);
                    let ty = match spec.kind {
                        RelocKind::Explicit(t) => t.code,
                        RelocKind::Addr if classes(Site::Const32) => 4,
                        RelocKind::Addr if classes(Site::Const64) => 15,
                        RelocKind::Addr if classes(Site::MemOffset) => {
                            if self.wasm64 {
                                14
                            } else {
                                3
                            }
                        }
                        RelocKind::AddrRel if classes(Site::Const32) => 11,
                        RelocKind::AddrRel if classes(Site::Const64) => 17,
                        RelocKind::AddrTls if classes(Site::Const32) => 21,
                        RelocKind::AddrTls if classes(Site::Const64) => 25,
                        RelocKind::FuncAddr if classes(Site::Const32) => 1,
                        RelocKind::FuncAddr if classes(Site::Const64) => 18,
                        RelocKind::FuncAddrRel if classes(Site::Const32) => 12,
                        RelocKind::FuncAddrRel if classes(Site::Const64) => 24,
                        _ => {
                            return Err(self.err(
                                spec.pos,
                                "this annotation does not fit the instruction before it",
                            ))
                        }
                    };
                    let class = reloc::by_code(ty).site;
                    let Some(si) = sites
                        .iter()
                        .enumerate()
                        .position(|(i, s)| s.class == class && !explicit[i])
                    else {
                        return Err(self.err(
                            spec.pos,
                            format!(
                                "R_WASM_{} does not fit the instruction before it",
                                reloc::by_code(ty).name
                            ),
                        ));
                    };
                    explicit[si] = true;
                    let target = spec
                        .target
                        .clone()
                        .ok_or_else(|| self.err(spec.pos, "missing target"))?;
                    let index = self.resolve(&target, ty, spec.pos)?;
                    let value = if matches!(
                        class,
                        Site::Func | Site::Type | Site::Global | Site::Table | Site::Tag
                    ) {
                        sites[si].value
                    } else {
                        self.site_value(ty, index, spec.addend)
                    };
                    chosen[si] = Some(code::SiteReloc {
                        site: si,
                        ty,
                        index,
                        addend: spec.addend,
                        value,
                    });
                }
                // Fill in symbols of automatic relocations.
                let mut relocs = Vec::new();
                for c in chosen.into_iter().flatten() {
                    let mut c = c;
                    if c.index == u32::MAX {
                        let kind = match c.ty {
                            reloc::FUNCTION_INDEX_LEB => K_FUNC,
                            reloc::GLOBAL_INDEX_LEB => K_GLOBAL,
                            reloc::TABLE_NUMBER_LEB => K_TABLE,
                            _ => K_TAG,
                        };
                        let idx = sites[c.site].value as usize;
                        c.index = self.item_sym[kind]
                            .get(idx)
                            .copied()
                            .flatten()
                            .ok_or_else(|| {
                                self.err(
                                    fpos,
                                    format!(
                                        "function {}: {} {idx} has no symbol (add one, or write (@reloc none) after the instruction)",
                                        n_imp + j,
                                        KIND_NAMES[kind]
                                    ),
                                )
                            })?;
                    }
                    relocs.push(c);
                }
                if relocs.is_empty() {
                    out.extend_from_slice(bytes);
                } else {
                    let (new, placed) = code::rewrite(bytes, &sites, &relocs);
                    let base = out.len();
                    for (off, r) in placed {
                        body_relocs.push((
                            base + off,
                            Entry {
                                ty: r.ty,
                                offset: 0,
                                index: r.index,
                                addend: r.addend,
                            },
                        ));
                    }
                    out.extend_from_slice(&new);
                }
            }
            reloc::uleb(out.len() as u64, &mut payload);
            let base = payload.len();
            for (off, mut e) in body_relocs {
                e.offset = (base + off) as u32;
                entries.push(e);
            }
            payload.extend_from_slice(&out);
        }
        Ok((payload, entries))
    }

    /// Resolves the pending relocations of a data segment or custom section.
    fn word_relocs(
        &mut self,
        relocs: &[(usize, RelocSpec, u8)],
        bytes: &mut [u8],
        base: usize,
    ) -> Result<Vec<Entry>> {
        let mut entries = Vec::new();
        for (off, spec, ty) in relocs {
            let target = spec
                .target
                .clone()
                .ok_or_else(|| self.err(spec.pos, "missing target"))?;
            let index = self.resolve(&target, *ty, spec.pos)?;
            let value = self.site_value(*ty, index, spec.addend);
            let mut enc = Vec::new();
            reloc::by_code(*ty).width.encode(value, &mut enc);
            bytes[*off..*off + enc.len()].copy_from_slice(&enc);
            entries.push(Entry {
                ty: *ty,
                offset: (base + off) as u32,
                index,
                addend: spec.addend,
            });
        }
        Ok(entries)
    }

    fn write(mut self, binary: &[u8], parsed: &Parsed) -> Result<Vec<u8>> {
        let mut sections: Vec<(u8, Vec<u8>)> = Vec::new();
        let raw = |r: &std::ops::Range<usize>| binary[r.clone()].to_vec();
        if let Some(r) = &parsed.types {
            sections.push((1, raw(r)));
        }
        // Imports: memory (if needed), the text's imports, then the table (if needed).
        let mut imports = Vec::new();
        let mut n_imports = 0u64;
        let data_size = self
            .segments
            .last()
            .map_or(0, |s| s.addr + s.bytes.len() as u64);
        if self.ast.imports[K_MEMORY].is_empty() {
            let (mut flags, mut min, mut max) = (0u8, data_size.div_ceil(65536), None);
            if let Some(m) = &parsed.memory {
                min = min.max(m.initial);
                max = m.maximum;
                if m.shared {
                    flags |= 2;
                }
            }
            if self.wasm64 {
                flags |= 4;
            }
            if max.is_some() {
                flags |= 1;
            }
            reloc::name("env", &mut imports);
            reloc::name("__linear_memory", &mut imports);
            imports.push(0x02);
            imports.push(flags);
            reloc::uleb(min, &mut imports);
            if let Some(m) = max {
                reloc::uleb(m, &mut imports);
            }
            n_imports += 1;
        }
        for r in &parsed.import_entries {
            imports.extend_from_slice(&binary[r.clone()]);
            n_imports += 1;
        }
        if self.add_table {
            reloc::name("env", &mut imports);
            reloc::name("__indirect_function_table", &mut imports);
            // A 64-bit object uses a 64-bit indirect table (lld makes it table64 with -mwasm64).
            let limits = if self.wasm64 { 0x04 } else { 0x00 };
            imports.extend_from_slice(&[0x01, 0x70, limits, 0x00]);
            n_imports += 1;
        }
        let mut import_payload = Vec::new();
        reloc::uleb(n_imports, &mut import_payload);
        import_payload.extend_from_slice(&imports);
        sections.push((2, import_payload));
        if let Some(r) = &parsed.functions {
            sections.push((3, raw(r)));
        }
        if let Some(r) = &parsed.tables {
            sections.push((4, raw(r)));
        }
        if let Some(r) = &parsed.tags {
            sections.push((13, raw(r)));
        }
        if let Some(r) = &parsed.globals {
            sections.push((6, raw(r)));
        }
        if !self.exports.is_empty() {
            let mut p = Vec::new();
            reloc::uleb(self.exports.len() as u64, &mut p);
            for (name, idx) in &self.exports {
                reloc::name(name, &mut p);
                p.push(0);
                reloc::uleb(u64::from(*idx), &mut p);
            }
            sections.push((7, p));
        }
        if let Some(r) = &parsed.start {
            sections.push((8, raw(r)));
        }
        if let Some(r) = &parsed.elems {
            sections.push((9, raw(r)));
        }
        if let Some(r) = &parsed.datacount {
            sections.push((12, raw(r)));
        }
        let mut code_relocs = Vec::new();
        let mut code_index = None;
        if !parsed.bodies.is_empty() {
            let (payload, relocs) = self.code_section(parsed, binary)?;
            code_index = Some(sections.len());
            sections.push((10, payload));
            code_relocs = relocs;
        }
        let mut data_relocs = Vec::new();
        let mut data_index = None;
        if !self.segments.is_empty() {
            let mut p = Vec::new();
            reloc::uleb(self.segments.len() as u64, &mut p);
            for i in 0..self.segments.len() {
                p.push(0);
                let addr = self.segments[i].addr;
                if self.wasm64 {
                    p.push(0x42);
                    reloc::sleb(addr as i64, &mut p);
                } else {
                    p.push(0x41);
                    reloc::sleb(addr as i32 as i64, &mut p);
                }
                p.push(0x0b);
                let mut bytes = std::mem::take(&mut self.segments[i].bytes);
                reloc::uleb(bytes.len() as u64, &mut p);
                let relocs = self.segments[i].relocs.clone();
                let entries = self.word_relocs(&relocs, &mut bytes, p.len())?;
                data_relocs.extend(entries);
                p.extend_from_slice(&bytes);
                self.segments[i].bytes = bytes;
            }
            data_index = Some(sections.len());
            sections.push((11, p));
        }
        for c in &parsed.customs {
            if c.0 != "producers" {
                let mut p = Vec::new();
                reloc::name(&c.0, &mut p);
                p.extend_from_slice(&c.1);
                sections.push((0, p));
            }
        }
        let mut custom_relocs = Vec::new();
        let customs = std::mem::take(&mut self.customs);
        self.customs = customs
            .iter()
            .map(|c| CustomSec {
                name: c.name.clone(),
                bytes: Vec::new(),
                relocs: Vec::new(),
            })
            .collect();
        let mut custom_index: HashMap<String, usize> = HashMap::new();
        for c in &customs {
            let mut p = Vec::new();
            reloc::name(&c.name, &mut p);
            let mut bytes = c.bytes.clone();
            let entries = self.word_relocs(&c.relocs, &mut bytes, 0)?;
            p.extend_from_slice(&bytes);
            custom_index.entry(c.name.clone()).or_insert(sections.len());
            if !entries.is_empty() {
                custom_relocs.push((sections.len(), c.name.clone(), entries));
            }
            sections.push((0, p));
        }
        // The linking section.
        if !self.no_linking {
            let linking = self.linking_section(&custom_index)?;
            sections.push((0, linking));
        }
        let mut reloc_sections = Vec::new();
        if let Some(i) = code_index {
            if !code_relocs.is_empty() {
                reloc_sections.push(("reloc.CODE".to_string(), i, code_relocs));
            }
        }
        if let Some(i) = data_index {
            if !data_relocs.is_empty() {
                reloc_sections.push(("reloc.DATA".to_string(), i, data_relocs));
            }
        }
        for (i, name, entries) in custom_relocs {
            reloc_sections.push((format!("reloc.{name}"), i, entries));
        }
        for (name, target, mut entries) in reloc_sections {
            entries.sort_by_key(|e| e.offset);
            let mut p = Vec::new();
            reloc::name(&name, &mut p);
            reloc::uleb(target as u64, &mut p);
            reloc::uleb(entries.len() as u64, &mut p);
            for e in entries {
                p.push(e.ty);
                reloc::uleb(u64::from(e.offset), &mut p);
                reloc::uleb(u64::from(e.index), &mut p);
                if reloc::RELOC_TYPES
                    .get(e.ty as usize)
                    .is_some_and(|r| r.has_addend)
                {
                    reloc::sleb(e.addend, &mut p);
                }
            }
            sections.push((0, p));
        }
        for c in &parsed.customs {
            if c.0 == "producers" {
                let mut p = Vec::new();
                reloc::name(&c.0, &mut p);
                p.extend_from_slice(&c.1);
                sections.push((0, p));
            }
        }
        if !self.features.is_empty() {
            let mut p = Vec::new();
            reloc::name("target_features", &mut p);
            reloc::uleb(self.features.len() as u64, &mut p);
            for (prefix, name) in &self.features {
                p.push(*prefix);
                reloc::name(name, &mut p);
            }
            sections.push((0, p));
        }
        let mut out = b"\0asm\x01\0\0\0".to_vec();
        for (id, payload) in sections {
            out.push(id);
            reloc::uleb(payload.len() as u64, &mut out);
            out.extend_from_slice(&payload);
        }
        for (off, bytes) in &self.pokes {
            let end = off + bytes.len();
            if end > out.len() {
                return Err(crate::err!(
                    "{}: (@poke {off}) is past the end of the object ({} bytes)",
                    self.src.path,
                    out.len()
                ));
            }
            out[*off..end].copy_from_slice(bytes);
        }
        if let Some(n) = self.truncate {
            out.truncate(n);
        }
        Ok(out)
    }

    fn linking_section(&self, custom_index: &HashMap<String, usize>) -> Result<Vec<u8>> {
        let mut p = Vec::new();
        reloc::name("linking", &mut p);
        reloc::uleb(u64::from(self.linking_version), &mut p);
        let sub = |id: u8, body: Vec<u8>, p: &mut Vec<u8>| {
            p.push(id);
            reloc::uleb(body.len() as u64, p);
            p.extend_from_slice(&body);
        };
        if !self.syms.is_empty() {
            let mut b = Vec::new();
            reloc::uleb(self.syms.len() as u64, &mut b);
            for s in &self.syms {
                b.push(s.kind);
                reloc::uleb(u64::from(s.flags), &mut b);
                let undefined = s.flags & annot::UNDEFINED != 0;
                match s.kind {
                    1 => {
                        reloc::name(&s.name, &mut b);
                        if !undefined {
                            let (seg, off, size) = s.data.unwrap_or((0, 0, 0));
                            reloc::uleb(u64::from(seg), &mut b);
                            reloc::uleb(off, &mut b);
                            reloc::uleb(size, &mut b);
                        }
                    }
                    3 => {
                        let name = s.section.as_deref().unwrap_or("");
                        let idx = custom_index.get(name).copied().unwrap_or(0);
                        reloc::uleb(idx as u64, &mut b);
                    }
                    _ => {
                        reloc::uleb(u64::from(s.index), &mut b);
                        if !undefined || s.flags & annot::EXPLICIT_NAME != 0 {
                            reloc::name(&s.name, &mut b);
                        }
                    }
                }
            }
            sub(8, b, &mut p);
        }
        if !self.segments.is_empty() {
            let mut b = Vec::new();
            reloc::uleb(self.segments.len() as u64, &mut b);
            for s in &self.segments {
                reloc::name(&s.name, &mut b);
                reloc::uleb(u64::from(s.p2align), &mut b);
                reloc::uleb(u64::from(s.flags), &mut b);
            }
            sub(5, b, &mut p);
        }
        if !self.init_funcs.is_empty() {
            let mut b = Vec::new();
            reloc::uleb(self.init_funcs.len() as u64, &mut b);
            for (prio, sym) in &self.init_funcs {
                reloc::uleb(u64::from(*prio), &mut b);
                reloc::uleb(u64::from(*sym), &mut b);
            }
            sub(6, b, &mut p);
        }
        if !self.comdats.is_empty() {
            let mut b = Vec::new();
            reloc::uleb(self.comdats.len() as u64, &mut b);
            for (name, entries) in &self.comdats {
                reloc::name(name, &mut b);
                reloc::uleb(0, &mut b);
                reloc::uleb(entries.len() as u64, &mut b);
                for (kind, r) in entries {
                    b.push(*kind);
                    let idx = match r {
                        ComdatRef::Index(i) => u64::from(*i),
                        ComdatRef::Section(n) => custom_index.get(n).copied().unwrap_or(0) as u64,
                    };
                    reloc::uleb(idx, &mut b);
                }
            }
            sub(7, b, &mut p);
        }
        Ok(p)
    }
}

/// `ExternalKind` byte per item kind, to match exports.
const SYM_KIND_TO_EXTERNAL: [u8; 5] = [0, 1, 2, 3, 4];

/// Annotations the `wast` crate itself understands (left alone here).
fn is_wast_native(name: &str) -> bool {
    matches!(name, "custom" | "producers" | "name" | "dylink.0") || name.starts_with("metadata.")
}

/// Collects every annotation inside `items`, recursively: (name, position, arguments).
fn collect_anns<'n>(items: &'n [Node], out: &mut Vec<(&'n str, usize, &'n [Node])>) {
    for n in items {
        if let Node::List {
            ann, items, start, ..
        } = n
        {
            match ann {
                Some(a) => out.push((a.as_str(), *start, &items[..])),
                None => collect_anns(items, out),
            }
        }
    }
}

struct OpInfo<'a> {
    op: wasmparser::Operator<'a>,
    start: usize,
    end: usize,
}

struct Body<'a> {
    start: usize,
    ops_start: usize,
    ops: Vec<OpInfo<'a>>,
}

struct MemInfo {
    initial: u64,
    maximum: Option<u64>,
    shared: bool,
}

/// What the assembler needs from the module `wast` encoded.
#[derive(Default)]
struct Parsed<'a> {
    types: Option<std::ops::Range<usize>>,
    import_entries: Vec<std::ops::Range<usize>>,
    functions: Option<std::ops::Range<usize>>,
    tables: Option<std::ops::Range<usize>>,
    memory: Option<MemInfo>,
    tags: Option<std::ops::Range<usize>>,
    globals: Option<std::ops::Range<usize>>,
    /// (name, external kind byte, index)
    exports: Vec<(String, u8, u32)>,
    start: Option<std::ops::Range<usize>>,
    elems: Option<std::ops::Range<usize>>,
    datacount: Option<std::ops::Range<usize>>,
    bodies: Vec<Body<'a>>,
    customs: Vec<(String, Vec<u8>)>,
    uses_call_indirect: bool,
}

fn rng(r: std::ops::Range<u64>) -> std::ops::Range<usize> {
    r.start as usize..r.end as usize
}

enum BinError {
    Wasm(wasmparser::BinaryReaderError),
    Msg(String),
}

impl From<wasmparser::BinaryReaderError> for BinError {
    fn from(e: wasmparser::BinaryReaderError) -> BinError {
        BinError::Wasm(e)
    }
}

impl std::fmt::Display for BinError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BinError::Wasm(e) => write!(f, "{e}"),
            BinError::Msg(m) => f.write_str(m),
        }
    }
}

fn read_binary(binary: &[u8]) -> std::result::Result<Parsed<'_>, BinError> {
    use wasmparser::{ExternalKind, Payload};
    let mut p = Parsed::default();
    for payload in wasmparser::Parser::new(0).parse_all(binary) {
        match payload? {
            Payload::TypeSection(r) => p.types = Some(rng(r.range())),
            Payload::ImportSection(r) => {
                let end = r.range().end;
                let mut starts = Vec::new();
                for item in r.into_iter_with_offsets() {
                    let (off, imps) = item?;
                    if !matches!(imps, wasmparser::Imports::Single(..)) {
                        return Err(BinError::Msg(format!(
                            "compact import groups are not supported (at {off})"
                        )));
                    }
                    starts.push(off);
                }
                for (i, s) in starts.iter().enumerate() {
                    let e = starts.get(i + 1).copied().unwrap_or(end);
                    p.import_entries.push(*s as usize..e as usize);
                }
            }
            Payload::FunctionSection(r) => p.functions = Some(rng(r.range())),
            Payload::TableSection(r) => p.tables = Some(rng(r.range())),
            Payload::MemorySection(r) => {
                if let Some(m) = r.into_iter().next() {
                    let m = m?;
                    p.memory = Some(MemInfo {
                        initial: m.initial,
                        maximum: m.maximum,
                        shared: m.shared,
                    });
                }
            }
            Payload::TagSection(r) => p.tags = Some(rng(r.range())),
            Payload::GlobalSection(r) => p.globals = Some(rng(r.range())),
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e?;
                    let kind = match e.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => 0,
                        ExternalKind::Table => 1,
                        ExternalKind::Memory => 2,
                        ExternalKind::Global => 3,
                        ExternalKind::Tag => 4,
                    };
                    p.exports.push((e.name.to_string(), kind, e.index));
                }
            }
            Payload::StartSection { range, .. } => p.start = Some(rng(range)),
            Payload::ElementSection(r) => p.elems = Some(rng(r.range())),
            Payload::DataCountSection { range, .. } => p.datacount = Some(rng(range)),
            Payload::CodeSectionEntry(body) => {
                let mut locals = body.get_locals_reader()?;
                for _ in 0..locals.get_count() {
                    locals.read()?;
                }
                let ops_start = locals.original_position() as usize;
                let mut reader = body.get_operators_reader()?;
                let mut ops: Vec<OpInfo> = Vec::new();
                while !reader.eof() {
                    let (op, off) = reader.read_with_offset()?;
                    if matches!(
                        op,
                        wasmparser::Operator::CallIndirect { .. }
                            | wasmparser::Operator::ReturnCallIndirect { .. }
                    ) {
                        p.uses_call_indirect = true;
                    }
                    if let Some(last) = ops.last_mut() {
                        last.end = off as usize;
                    }
                    ops.push(OpInfo {
                        op,
                        start: off as usize,
                        end: body.range().end as usize,
                    });
                }
                p.bodies.push(Body {
                    start: body.range().start as usize,
                    ops_start,
                    ops,
                });
            }
            Payload::CustomSection(r) if r.name() != "name" => {
                p.customs.push((r.name().to_string(), r.data().to_vec()));
            }
            _ => {}
        }
    }
    Ok(p)
}
