//! The object assembler: turns annotated `.wat` into a WebAssembly relocatable object, shaped
//! like the objects clang and llvm-mc emit (tool-conventions Linking.md: a `linking` section
//! version 2 with WASM_SYMBOL_TABLE, WASM_SEGMENT_INFO, WASM_INIT_FUNCS and WASM_COMDAT_INFO;
//! `reloc.CODE`, `reloc.DATA` and `reloc.<custom>` sections; a padded 5-byte LEB (10 for 64-bit)
//! at every relocation site; `producers` if the text has one, and `target_features` last, as
//! clang 19 writes it).
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
//! - Target features: without a `(@features ...)` or `(@no-features)` annotation, the object
//!   gets the `target_features` section clang 19 would give the same code (`features.rs`): its
//!   default set `+multivalue +mutable-globals +reference-types +sign-ext`, plus every feature
//!   the module's instructions, types and sections use (`atomics`, `bulk-memory`,
//!   `nontrapping-fptoint`, `simd128`, `tail-call`, `exception-handling`, ...; thread-local
//!   data adds `atomics` and `bulk-memory`), sorted by name, then `memory64` for a 64-bit
//!   memory. All entries are `+`. It is the last section, after `producers`, as in clang's
//!   objects.
//!
//! Module annotations:
//! - `(@features +NAME -NAME =NAME ...)`: exactly this `target_features` section instead of the
//!   inferred one (entries in the order given; repeated annotations add to it; an empty
//!   `(@features)` writes a section with no entries).
//! - `(@no-features)`: no `target_features` section at all (as llvm-mc, or clang
//!   `-mcpu=mvp`, writes); for cases that test objects without one.
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
mod binary;
mod code;
mod emit;
mod features;
mod fields;
pub mod reloc;
mod sexpr;
mod text;

use annot::{RelocKind, RelocSpec, Src, SymSpec, Target};
use anyhow::Result;
use binary::{read_binary, Parsed};
use reloc::Site;
use sexpr::Node;
use std::collections::HashMap;
use std::path::Path;
use text::{parse_wast, Ast};
use touchstone_format::{leb, SymbolKind};

const K_FUNC: usize = 0;
const K_TABLE: usize = 1;
const K_MEMORY: usize = 2;
const K_GLOBAL: usize = 3;
const K_TAG: usize = 4;
const KIND_NAMES: [&str; 5] = ["func", "table", "memory", "global", "tag"];
// Symbol kind codes of WASM_SYMBOL_TABLE, as the symbol records store them.
const SYM_FUNCTION: u8 = SymbolKind::Function as u8;
const SYM_DATA: u8 = SymbolKind::Data as u8;
const SYM_GLOBAL: u8 = SymbolKind::Global as u8;
const SYM_SECTION: u8 = SymbolKind::Section as u8;
const SYM_TAG: u8 = SymbolKind::Tag as u8;
const SYM_TABLE: u8 = SymbolKind::Table as u8;
/// Symbol kinds of WASM_SYMBOL_TABLE for our item kinds (memory has none).
const SYM_KIND: [u8; 5] = [SYM_FUNCTION, SYM_TABLE, 255, SYM_GLOBAL, SYM_TAG];

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
    features: Features,
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

/// What the object's `target_features` section holds.
#[derive(Debug)]
enum Features {
    /// What clang 19 would write for this code (no annotation).
    Infer,
    /// `(@no-features)`: no section.
    Absent,
    /// `(@features ...)`: these entries.
    Explicit(Vec<(u8, String)>),
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
            features: Features::Infer,
            undef_data: Vec::new(),
            add_table: false,
            linking_version: touchstone_format::linking::VERSION,
            no_linking: false,
            truncate: None,
            pokes: Vec::new(),
            instr_anns: vec![Vec::new(); ast.defs[K_FUNC].len()],
            exports: Vec::new(),
            ast,
        })
    }

    fn err(&self, pos: usize, msg: impl std::fmt::Display) -> anyhow::Error {
        self.src.err(pos, msg)
    }

    fn run(mut self, binary: &[u8]) -> Result<Vec<u8>> {
        let parsed = read_binary(binary).map_err(|e| {
            anyhow::anyhow!("{}: re-reading the encoded module: {e}", self.src.path)
        })?;
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
                kind: SYM_TABLE,
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
                        kind: SYM_SECTION,
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
        if reloc::is_memory_addr(ty) {
            if let Some(Symbol {
                kind: SYM_DATA,
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
        if reloc::has_addend(ty) {
            addend
        } else {
            0
        }
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
