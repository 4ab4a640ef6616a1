//! The canonical model of a linked module, and the structural comparison of two models.
//!
//! Two linkers may number functions, types and globals differently and still produce the same
//! program. The model therefore names every entity by its identity instead of its index: a
//! function by its name-section name (or its import/export name, or `#N` as a last resort), a
//! type by its signature, a data segment by its name. Function bodies are decoded and each
//! instruction is rendered with indices replaced by these identities. Constants and memory
//! offsets that may be addresses are compared tolerantly: two instructions are equal when their
//! raw values are equal or when both values map to the same symbolic place (a data segment and
//! an offset in it, a named global's value, or a function in the indirect table).
//!
//! `diff` lists each difference with a dotted key (`export.main.kind`, `func[foo].body`,
//! `data.rodata.bytes@0x40`, `memory.initial`, `global.__stack_pointer.init`); a testsuite case
//! may allow a key with `differs-from-wasm-ld: key -- reason`.

use anyhow::{anyhow, bail, Context as _};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use wasmparser::{
    BlockType, ConstExpr, DataKind, ElementItems, ElementKind, ExternalKind, FuncType, KnownCustom,
    Name, Operator, Parser, Payload, RefType, TypeRef, ValType,
};

/// One difference between two modules.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Difference {
    /// Dotted key, e.g. `func[foo].body`.
    pub key: String,
    /// What the first module has there.
    pub a: String,
    /// What the second module has there.
    pub b: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} vs {}", self.key, clip(&self.a), clip(&self.b))
    }
}

fn clip(s: &str) -> String {
    const MAX: usize = 120;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}...")
    }
}

/// Validates `wasm` with every feature wasmparser knows.
pub fn validate(wasm: &[u8]) -> anyhow::Result<()> {
    let mut v = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
    v.validate_all(wasm).map(|_| ()).map_err(|e| {
        anyhow!(
            "invalid module at offset 0x{:x}: {}",
            e.offset(),
            e.message()
        )
    })
}

/// Compares two linked modules structurally. An empty list means equivalent.
pub fn diff(a: &[u8], b: &[u8]) -> anyhow::Result<Vec<Difference>> {
    let ma = Model::parse(a).context("first module")?;
    let mb = Model::parse(b).context("second module")?;
    Ok(ma.diff(&mb))
}

/// One instruction: its text with identities in place of indices, and, when an immediate may
/// be an address or a table index, the text with that immediate replaced by its symbolic place.
#[derive(Clone, Debug)]
struct Instr {
    text: String,
    symbolic: Option<String>,
}

impl Instr {
    fn same(&self, other: &Instr) -> bool {
        self.text == other.text
            || matches!((&self.symbolic, &other.symbolic), (Some(x), Some(y)) if x == y)
    }
}

#[derive(Clone, Debug)]
struct Function {
    ty: String,
    /// `None` for imported functions.
    locals: Option<String>,
    body: Vec<Instr>,
}

#[derive(Clone, Debug)]
struct Global {
    ty: String,
    init: Vec<Instr>,
}

#[derive(Clone, Debug)]
struct Segment {
    /// `None` for passive segments.
    memory: Option<u32>,
    offset: Option<Vec<Instr>>,
    /// The start address when the offset is a constant.
    address: Option<u64>,
    bytes: Vec<u8>,
}

#[derive(Clone, Debug)]
struct Table {
    ty: String,
    initial: u64,
    maximum: Option<u64>,
    /// Slot -> function identity (or the element expression).
    slots: BTreeMap<u64, String>,
}

/// The canonical model of one module.
#[derive(Clone, Debug, Default)]
pub struct Model {
    types: Vec<String>,
    func_ids: Vec<String>,
    funcs: BTreeMap<String, Function>,
    imports: BTreeMap<String, String>,
    exports: BTreeMap<String, (String, String)>,
    global_ids: Vec<String>,
    globals: BTreeMap<String, Global>,
    /// Constant values of globals (for address mapping).
    global_values: Vec<Option<i64>>,
    table_ids: Vec<String>,
    tables: BTreeMap<String, Table>,
    memories: Vec<(String, u64, Option<u64>)>,
    memory64: bool,
    tag_ids: Vec<String>,
    data_ids: Vec<String>,
    data: BTreeMap<String, Segment>,
    elem_ids: Vec<String>,
    passive_elems: BTreeMap<String, Vec<String>>,
    start: Option<String>,
    custom: BTreeMap<String, Vec<u8>>,
    custom_order: Vec<String>,
    module_name: Option<String>,
    /// The `linking` and `reloc.*` sections as dotted-key entries (`crate::linking`).
    linking: BTreeMap<String, String>,
}

struct Names {
    funcs: HashMap<u32, String>,
    globals: HashMap<u32, String>,
    tables: HashMap<u32, String>,
    data: HashMap<u32, String>,
    tags: HashMap<u32, String>,
    elems: HashMap<u32, String>,
    module: Option<String>,
}

fn read_names(wasm: &[u8]) -> anyhow::Result<Names> {
    let mut names = Names {
        funcs: HashMap::new(),
        globals: HashMap::new(),
        tables: HashMap::new(),
        data: HashMap::new(),
        tags: HashMap::new(),
        elems: HashMap::new(),
        module: None,
    };
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload?;
        let Payload::CustomSection(c) = payload else {
            continue;
        };
        let KnownCustom::Name(reader) = c.as_known() else {
            continue;
        };
        // A malformed name section only loses names; the module stays comparable.
        for sub in reader.into_iter().flatten() {
            let (map, target) = match sub {
                Name::Module { name, .. } => {
                    names.module = Some(name.to_string());
                    continue;
                }
                Name::Function(m) => (m, &mut names.funcs),
                Name::Global(m) => (m, &mut names.globals),
                Name::Table(m) => (m, &mut names.tables),
                Name::Data(m) => (m, &mut names.data),
                Name::Tag(m) => (m, &mut names.tags),
                Name::Element(m) => (m, &mut names.elems),
                _ => continue,
            };
            for n in map.into_iter().flatten() {
                target.insert(n.index, n.name.to_string());
            }
        }
    }
    Ok(names)
}

/// Gives each entity of one index space a unique identity: its name, `name#2` for the second
/// entity with the same name, or the fallback.
fn identities(
    count: usize,
    names: &HashMap<u32, String>,
    fallback: impl Fn(usize) -> String,
) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    (0..count)
        .map(|i| {
            let base = names
                .get(&(i as u32))
                .cloned()
                .unwrap_or_else(|| fallback(i));
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                base
            } else {
                format!("{base}#{n}")
            }
        })
        .collect()
}

fn sig(ty: &FuncType) -> String {
    let list = |v: &[ValType]| {
        v.iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!("({}) -> ({})", list(ty.params()), list(ty.results()))
}

fn ref_type(r: &RefType) -> String {
    format!("{r}")
}

/// A global: the import it comes from, its type, and its initialiser when defined.
type RawGlobal<'a> = (
    Option<(String, String)>,
    wasmparser::GlobalType,
    Option<ConstExpr<'a>>,
);

struct Raw<'a> {
    imported_funcs: Vec<(String, String, u32)>,
    defined_funcs: Vec<u32>,
    bodies: Vec<wasmparser::FunctionBody<'a>>,
    globals: Vec<RawGlobal<'a>>,
    tables: Vec<(Option<(String, String)>, wasmparser::TableType)>,
    memories: Vec<(Option<(String, String)>, wasmparser::MemoryType)>,
    tags: Vec<(Option<(String, String)>, u32)>,
    exports: Vec<(String, ExternalKind, u32)>,
    elements: Vec<wasmparser::Element<'a>>,
    data: Vec<wasmparser::Data<'a>>,
    start: Option<u32>,
    custom: Vec<(String, Vec<u8>)>,
    /// Every section's name in module order (`CODE`, `DATA`, ..., a custom section's own).
    section_names: Vec<String>,
}

impl Model {
    /// Builds the model of a module; fails on a module wasmparser cannot read.
    pub fn parse(wasm: &[u8]) -> anyhow::Result<Model> {
        let names = read_names(wasm)?;
        let mut raw = Raw {
            imported_funcs: Vec::new(),
            defined_funcs: Vec::new(),
            bodies: Vec::new(),
            globals: Vec::new(),
            tables: Vec::new(),
            memories: Vec::new(),
            tags: Vec::new(),
            exports: Vec::new(),
            elements: Vec::new(),
            data: Vec::new(),
            start: None,
            custom: Vec::new(),
            section_names: Vec::new(),
        };
        let mut model = Model::default();
        for payload in Parser::new(0).parse_all(wasm) {
            let payload = payload?;
            match (&payload, payload.as_section()) {
                (Payload::CustomSection(c), _) => raw.section_names.push(c.name().to_string()),
                (_, Some((id, _))) => raw
                    .section_names
                    .push(touchstone_format::section_name(id).to_string()),
                _ => {}
            }
            match payload {
                Payload::TypeSection(r) => {
                    for rec in r {
                        for sub in rec?.into_types() {
                            model.types.push(match &sub.composite_type.inner {
                                wasmparser::CompositeInnerType::Func(f) => sig(f),
                                other => format!("{other:?}"),
                            });
                        }
                    }
                }
                Payload::ImportSection(r) => {
                    for imp in r.into_imports() {
                        let imp = imp?;
                        let who = Some((imp.module.to_string(), imp.name.to_string()));
                        match imp.ty {
                            TypeRef::Func(t) | TypeRef::FuncExact(t) => raw.imported_funcs.push((
                                imp.module.to_string(),
                                imp.name.to_string(),
                                t,
                            )),
                            TypeRef::Global(g) => raw.globals.push((who, g, None)),
                            TypeRef::Table(t) => raw.tables.push((who, t)),
                            TypeRef::Memory(m) => raw.memories.push((who, m)),
                            TypeRef::Tag(t) => raw.tags.push((who, t.func_type_idx)),
                        }
                    }
                }
                Payload::FunctionSection(r) => {
                    for t in r {
                        raw.defined_funcs.push(t?);
                    }
                }
                Payload::TableSection(r) => {
                    for t in r {
                        raw.tables.push((None, t?.ty));
                    }
                }
                Payload::MemorySection(r) => {
                    for m in r {
                        raw.memories.push((None, m?));
                    }
                }
                Payload::TagSection(r) => {
                    for t in r {
                        raw.tags.push((None, t?.func_type_idx));
                    }
                }
                Payload::GlobalSection(r) => {
                    for g in r {
                        let g = g?;
                        raw.globals.push((None, g.ty, Some(g.init_expr)));
                    }
                }
                Payload::ExportSection(r) => {
                    for e in r {
                        let e = e?;
                        raw.exports.push((e.name.to_string(), e.kind, e.index));
                    }
                }
                Payload::StartSection { func, .. } => raw.start = Some(func),
                Payload::ElementSection(r) => {
                    for e in r {
                        raw.elements.push(e?);
                    }
                }
                Payload::DataSection(r) => {
                    for d in r {
                        raw.data.push(d?);
                    }
                }
                Payload::CodeSectionEntry(body) => raw.bodies.push(body),
                Payload::CustomSection(c) => {
                    raw.custom.push((c.name().to_string(), c.data().to_vec()));
                }
                _ => {}
            }
        }
        model.module_name = names.module.clone();
        model.build(raw, &names)?;
        Ok(model)
    }

    fn type_sig(&self, index: u32) -> String {
        self.types
            .get(index as usize)
            .cloned()
            .unwrap_or_else(|| format!("type#{index}?"))
    }

    fn func_id(&self, index: u32) -> String {
        self.func_ids
            .get(index as usize)
            .cloned()
            .unwrap_or_else(|| format!("func#{index}?"))
    }

    fn build(&mut self, raw: Raw<'_>, names: &Names) -> anyhow::Result<()> {
        // Identities: name section first, then import/export names, then position.
        let n_imported = raw.imported_funcs.len();
        let mut export_names: HashMap<(u8, u32), String> = HashMap::new();
        for (name, kind, index) in &raw.exports {
            export_names
                .entry((kind_code(*kind), *index))
                .or_insert_with(|| name.clone());
        }
        let func_fallback = |i: usize| {
            if i < n_imported {
                let (m, f, _) = &raw.imported_funcs[i];
                format!("import:{m}.{f}")
            } else if let Some(e) = export_names.get(&(0, i as u32)) {
                format!("export:{e}")
            } else {
                format!("#{}", i - n_imported)
            }
        };
        self.func_ids = identities(
            n_imported + raw.defined_funcs.len(),
            &names.funcs,
            func_fallback,
        );
        let entity_fallback = |imports: Vec<Option<String>>, code: u8, what: &'static str| {
            let export_names = &export_names;
            move |i: usize| {
                if let Some(Some(imp)) = imports.get(i) {
                    format!("import:{imp}")
                } else if let Some(e) = export_names.get(&(code, i as u32)) {
                    format!("export:{e}")
                } else {
                    let _ = what;
                    format!("#{i}")
                }
            }
        };
        let imp_name = |w: &Option<(String, String)>| w.as_ref().map(|(m, f)| format!("{m}.{f}"));
        self.global_ids = identities(
            raw.globals.len(),
            &names.globals,
            entity_fallback(
                raw.globals.iter().map(|g| imp_name(&g.0)).collect(),
                3,
                "global",
            ),
        );
        self.table_ids = identities(
            raw.tables.len(),
            &names.tables,
            entity_fallback(
                raw.tables.iter().map(|t| imp_name(&t.0)).collect(),
                1,
                "table",
            ),
        );
        self.tag_ids = identities(
            raw.tags.len(),
            &names.tags,
            entity_fallback(raw.tags.iter().map(|t| imp_name(&t.0)).collect(), 4, "tag"),
        );
        self.data_ids = identities(raw.data.len(), &names.data, |i| format!("#{i}"))
            .into_iter()
            .map(|n| n.trim_start_matches('.').to_string())
            .collect();
        self.elem_ids = identities(raw.elements.len(), &names.elems, |i| format!("#{i}"));

        // Global values first: the address map needs them.
        for (_, _, init) in &raw.globals {
            self.global_values
                .push(init.as_ref().and_then(|e| const_value(e).ok().flatten()));
        }

        // Memories.
        for (i, (imp, m)) in raw.memories.iter().enumerate() {
            let id = match imp {
                Some((md, f)) => format!("import:{md}.{f}"),
                None => format!("#{i}"),
            };
            self.memories.push((
                format!("{id}{}", if m.shared { " shared" } else { "" }),
                m.initial,
                m.maximum,
            ));
            if i == 0 {
                self.memory64 = m.memory64;
            }
        }

        // Data segments (before code: the address map needs their placement).
        for (i, d) in raw.data.iter().enumerate() {
            let (memory, address) = match &d.kind {
                DataKind::Passive => (None, None),
                DataKind::Active {
                    memory_index,
                    offset_expr,
                } => (
                    Some(*memory_index),
                    const_value(offset_expr).ok().flatten().map(|v| v as u64),
                ),
            };
            self.data.insert(
                self.data_ids[i].clone(),
                Segment {
                    memory,
                    offset: None,
                    address,
                    bytes: d.data.to_vec(),
                },
            );
        }

        // Tables and their contents.
        for (i, (imp, t)) in raw.tables.iter().enumerate() {
            self.tables.insert(
                self.table_ids[i].clone(),
                Table {
                    ty: format!(
                        "{}{}{}",
                        ref_type(&t.element_type),
                        if t.table64 { " table64" } else { "" },
                        match imp {
                            Some((m, f)) => format!(" imported from {m}.{f}"),
                            None => String::new(),
                        }
                    ),
                    initial: t.initial,
                    maximum: t.maximum,
                    slots: BTreeMap::new(),
                },
            );
        }
        for (i, e) in raw.elements.iter().enumerate() {
            let items: Vec<String> = match &e.items {
                ElementItems::Functions(r) => r
                    .clone()
                    .into_iter()
                    .map(|f| f.map(|f| self.func_id(f)))
                    .collect::<Result<_, _>>()?,
                ElementItems::Expressions(_, r) => r
                    .clone()
                    .into_iter()
                    .map(|c| {
                        c.map_err(anyhow::Error::from).and_then(|c| {
                            Ok(self
                                .const_expr(&c)?
                                .iter()
                                .map(|i| i.text.clone())
                                .collect::<Vec<_>>()
                                .join(" "))
                        })
                    })
                    .collect::<anyhow::Result<_>>()?,
            };
            match &e.kind {
                ElementKind::Active {
                    table_index,
                    offset_expr,
                } => {
                    let t = table_index.unwrap_or(0);
                    let tid = self
                        .table_ids
                        .get(t as usize)
                        .cloned()
                        .unwrap_or_else(|| format!("table#{t}?"));
                    let base = const_value(offset_expr)?
                        .ok_or_else(|| anyhow!("element segment {i} has a non-constant offset"))?;
                    // (A PIC module's slots count from its imported `__table_base`.)
                    let table = self
                        .tables
                        .get_mut(&tid)
                        .ok_or_else(|| anyhow!("element segment {i}: no table {t}"))?;
                    for (k, item) in items.into_iter().enumerate() {
                        table.slots.insert(base as u64 + k as u64, item);
                    }
                }
                ElementKind::Passive | ElementKind::Declared => {
                    let what = if matches!(e.kind, ElementKind::Passive) {
                        "passive"
                    } else {
                        "declared"
                    };
                    self.passive_elems
                        .insert(format!("{}.{what}", self.elem_ids[i]), items);
                }
            }
        }

        // Now that the address map is complete, render the constant expressions.
        for (i, d) in raw.data.iter().enumerate() {
            if let DataKind::Active { offset_expr, .. } = &d.kind {
                // Raw values: a segment's own address always maps to itself.
                let rendered = raw_instrs(self.const_expr(offset_expr)?);
                if let Some(seg) = self.data.get_mut(&self.data_ids[i]) {
                    seg.offset = Some(rendered);
                }
            }
        }
        for (i, (imp, ty, init)) in raw.globals.iter().enumerate() {
            let init = match init {
                Some(e) => raw_instrs(self.const_expr(e)?),
                None => vec![Instr {
                    text: match imp {
                        Some((m, f)) => format!("imported from {m}.{f}"),
                        None => "imported".into(),
                    },
                    symbolic: None,
                }],
            };
            self.globals.insert(
                self.global_ids[i].clone(),
                Global {
                    ty: format!(
                        "{}{}",
                        if ty.mutable { "mut " } else { "" },
                        ty.content_type
                    ),
                    init,
                },
            );
        }

        // Imports.
        for (m, f, t) in &raw.imported_funcs {
            self.imports
                .insert(format!("{m}.{f}"), format!("func {}", self.type_sig(*t)));
        }
        for (imp, ty, _) in &raw.globals {
            if let Some((m, f)) = imp {
                self.imports.insert(
                    format!("{m}.{f}"),
                    format!(
                        "global {}{}",
                        if ty.mutable { "mut " } else { "" },
                        ty.content_type
                    ),
                );
            }
        }
        for (imp, t) in &raw.tables {
            if let Some((m, f)) = imp {
                self.imports.insert(
                    format!("{m}.{f}"),
                    format!("table {} {}", ref_type(&t.element_type), t.initial),
                );
            }
        }
        for (imp, mem) in &raw.memories {
            if let Some((m, f)) = imp {
                self.imports.insert(
                    format!("{m}.{f}"),
                    format!(
                        "memory{} {}{}",
                        if mem.memory64 { "64" } else { "" },
                        mem.initial,
                        if mem.shared { " shared" } else { "" }
                    ),
                );
            }
        }
        for (imp, t) in &raw.tags {
            if let Some((m, f)) = imp {
                self.imports
                    .insert(format!("{m}.{f}"), format!("tag {}", self.type_sig(*t)));
            }
        }

        // Exports.
        for (name, kind, index) in &raw.exports {
            let (k, target) = match kind {
                ExternalKind::Func | ExternalKind::FuncExact => ("func", self.func_id(*index)),
                ExternalKind::Global => ("global", self.id_in(&self.global_ids, *index)),
                ExternalKind::Table => ("table", self.id_in(&self.table_ids, *index)),
                ExternalKind::Memory => ("memory", format!("#{index}")),
                ExternalKind::Tag => ("tag", self.id_in(&self.tag_ids, *index)),
            };
            self.exports.insert(name.clone(), (k.to_string(), target));
        }
        self.start = raw.start.map(|s| self.func_id(s));

        // Functions.
        for (i, (_, _, t)) in raw.imported_funcs.iter().enumerate() {
            self.funcs.insert(
                self.func_ids[i].clone(),
                Function {
                    ty: self.type_sig(*t),
                    locals: None,
                    body: Vec::new(),
                },
            );
        }
        if raw.bodies.len() != raw.defined_funcs.len() {
            bail!(
                "{} function declarations but {} bodies",
                raw.defined_funcs.len(),
                raw.bodies.len()
            );
        }
        for (k, (t, body)) in raw.defined_funcs.iter().zip(&raw.bodies).enumerate() {
            let id = self.func_ids[n_imported + k].clone();
            let mut locals = Vec::new();
            for l in body.get_locals_reader()? {
                let (n, ty) = l?;
                locals.push(format!("{n}x{ty}"));
            }
            let mut code = Vec::new();
            let mut ops = body.get_operators_reader()?;
            while !ops.eof() {
                let op = ops
                    .read()
                    .with_context(|| format!("function {id}: cannot decode"))?;
                code.push(self.instr(&op));
            }
            self.funcs.insert(
                id,
                Function {
                    ty: self.type_sig(*t),
                    locals: Some(locals.join(" ")),
                    body: code,
                },
            );
        }

        // The `linking` and `reloc.*` sections of a relocatable output, as entries naming
        // identities (see `crate::linking`); kept as bytes when they cannot be read.
        let relocatable: Vec<(String, Vec<u8>)> = raw
            .custom
            .iter()
            .filter(|(n, _)| n == "linking" || n.starts_with("reloc."))
            .cloned()
            .collect();
        let ids = crate::linking::Identities {
            funcs: &self.func_ids,
            globals: &self.global_ids,
            data: &self.data_ids,
            tables: &self.table_ids,
            tags: &self.tag_ids,
            types: &self.types,
            sections: &raw.section_names,
        };
        let read = crate::linking::entries(&relocatable, &ids);
        let linking_read = read.is_ok();
        self.linking = read.unwrap_or_default();
        // Custom sections; `name` only by its place (its names are the identities above).
        for (name, bytes) in raw.custom {
            if name == "name" {
                if !self.custom_order.contains(&name) {
                    self.custom_order.push(name);
                }
                continue;
            }
            if linking_read && (name == "linking" || name.starts_with("reloc.")) {
                self.custom_order.push(name);
                continue;
            }
            if !self.custom.contains_key(&name) {
                self.custom_order.push(name.clone());
            }
            self.custom
                .entry(name)
                .or_default()
                .extend_from_slice(&bytes);
        }
        Ok(())
    }

    fn id_in(&self, ids: &[String], index: u32) -> String {
        ids.get(index as usize)
            .cloned()
            .unwrap_or_else(|| format!("#{index}?"))
    }

    /// The symbolic place an address or table index may stand for.
    fn place(&self, value: i64) -> Option<String> {
        if value <= 0 {
            return None;
        }
        let v = value as u64;
        // Inside a data segment.
        for (name, seg) in &self.data {
            if let Some(start) = seg.address {
                if v >= start && v < start + seg.bytes.len() as u64 {
                    return Some(format!("&{name}+{}", v - start));
                }
            }
        }
        // The value of a named global (`__heap_base`, `__data_end`, the stack top).
        for (i, gv) in self.global_values.iter().enumerate() {
            if *gv == Some(value) {
                return Some(format!("&global:{}", self.global_ids[i]));
            }
        }
        // Just past the end of a segment.
        for (name, seg) in &self.data {
            if let Some(start) = seg.address {
                if v == start + seg.bytes.len() as u64 {
                    return Some(format!("&{name}+{}", v - start));
                }
            }
        }
        // Zero-initialised data (`.bss`) is not emitted as a segment; it follows the highest
        // segment, so addresses above that segment (and inside the memory) are offsets from it.
        let highest = self
            .data
            .iter()
            .filter_map(|(name, seg)| seg.address.map(|a| (a, name)))
            .max();
        let memory_bytes = self.memories.first().map(|m| m.1.saturating_mul(65536));
        if let (Some((start, name)), Some(limit)) = (highest, memory_bytes) {
            if v >= start && v < limit {
                return Some(format!("&{name}+{}", v - start));
            }
        }
        // A slot of the indirect function table.
        for (tname, t) in &self.tables {
            if let Some(f) = t.slots.get(&v) {
                return Some(format!("&{tname}[{f}]"));
            }
        }
        None
    }

    fn const_expr(&self, e: &ConstExpr<'_>) -> anyhow::Result<Vec<Instr>> {
        let mut r = e.get_operators_reader();
        let mut out = Vec::new();
        while !r.eof() {
            out.push(self.instr(&r.read()?));
        }
        Ok(out)
    }

    fn block(&self, b: &BlockType) -> String {
        match b {
            BlockType::Empty => String::new(),
            BlockType::Type(t) => format!(" (result {t})"),
            BlockType::FuncType(i) => format!(" (type {})", self.type_sig(*i)),
        }
    }

    fn instr(&self, op: &Operator<'_>) -> Instr {
        let plain = |text: String| Instr {
            text,
            symbolic: None,
        };
        let f = |i: &u32| self.func_id(*i);
        let g = |i: &u32| self.id_in(&self.global_ids, *i);
        let t = |i: &u32| self.id_in(&self.table_ids, *i);
        let d = |i: &u32| self.id_in(&self.data_ids, *i);
        let e = |i: &u32| self.id_in(&self.elem_ids, *i);
        match op {
            Operator::Call { function_index } => plain(format!("call {}", f(function_index))),
            Operator::ReturnCall { function_index } => {
                plain(format!("return_call {}", f(function_index)))
            }
            Operator::RefFunc { function_index } => {
                plain(format!("ref.func {}", f(function_index)))
            }
            Operator::CallIndirect {
                type_index,
                table_index,
            } => plain(format!(
                "call_indirect {} {}",
                t(table_index),
                self.type_sig(*type_index)
            )),
            Operator::ReturnCallIndirect {
                type_index,
                table_index,
            } => plain(format!(
                "return_call_indirect {} {}",
                t(table_index),
                self.type_sig(*type_index)
            )),
            Operator::CallRef { type_index } => {
                plain(format!("call_ref {}", self.type_sig(*type_index)))
            }
            Operator::ReturnCallRef { type_index } => {
                plain(format!("return_call_ref {}", self.type_sig(*type_index)))
            }
            Operator::GlobalGet { global_index } => {
                plain(format!("global.get {}", g(global_index)))
            }
            Operator::GlobalSet { global_index } => {
                plain(format!("global.set {}", g(global_index)))
            }
            Operator::TableGet { table } => plain(format!("table.get {}", t(table))),
            Operator::TableSet { table } => plain(format!("table.set {}", t(table))),
            Operator::TableSize { table } => plain(format!("table.size {}", t(table))),
            Operator::TableGrow { table } => plain(format!("table.grow {}", t(table))),
            Operator::TableFill { table } => plain(format!("table.fill {}", t(table))),
            Operator::TableCopy {
                dst_table,
                src_table,
            } => plain(format!("table.copy {} {}", t(dst_table), t(src_table))),
            Operator::TableInit { elem_index, table } => {
                plain(format!("table.init {} {}", t(table), e(elem_index)))
            }
            Operator::ElemDrop { elem_index } => plain(format!("elem.drop {}", e(elem_index))),
            Operator::MemoryInit { data_index, mem } => {
                plain(format!("memory.init {mem} {}", d(data_index)))
            }
            Operator::DataDrop { data_index } => plain(format!("data.drop {}", d(data_index))),
            Operator::Block { blockty } => plain(format!("block{}", self.block(blockty))),
            Operator::Loop { blockty } => plain(format!("loop{}", self.block(blockty))),
            Operator::If { blockty } => plain(format!("if{}", self.block(blockty))),
            Operator::Throw { tag_index } => {
                plain(format!("throw {}", self.id_in(&self.tag_ids, *tag_index)))
            }
            Operator::TryTable { try_table } => {
                let catches: Vec<String> = try_table
                    .catches
                    .iter()
                    .map(|c| match c {
                        wasmparser::Catch::One { tag, label } => {
                            format!("catch {} {label}", self.id_in(&self.tag_ids, *tag))
                        }
                        wasmparser::Catch::OneRef { tag, label } => {
                            format!("catch_ref {} {label}", self.id_in(&self.tag_ids, *tag))
                        }
                        other => format!("{other:?}"),
                    })
                    .collect();
                plain(format!(
                    "try_table{} {}",
                    self.block(&try_table.ty),
                    catches.join(" ")
                ))
            }
            Operator::I32Const { value } => Instr {
                text: format!("i32.const {value}"),
                symbolic: self
                    .place(*value as u32 as i64)
                    .map(|p| format!("i32.const {p}")),
            },
            Operator::I64Const { value } => Instr {
                text: format!("i64.const {value}"),
                symbolic: self.place(*value).map(|p| format!("i64.const {p}")),
            },
            other => {
                // Memory accesses: the static offset may be an address (R_WASM_MEMORY_ADDR_LEB).
                let text = format!("{other:?}");
                let symbolic = memarg_offset(&text).and_then(|(before, value, after)| {
                    self.place(value as i64)
                        .map(|p| format!("{before}offset: {p}{after}"))
                });
                Instr { text, symbolic }
            }
        }
    }

    /// Lists the differences between `self` (A) and `other` (B), in a fixed order: memory,
    /// imports, exports, start, globals, tables, functions, data, custom sections.
    pub fn diff(&self, other: &Model) -> Vec<Difference> {
        let mut out = Vec::new();
        let mut push = |key: String, a: String, b: String| {
            out.push(Difference { key, a, b });
        };
        // Memory.
        if self.memories.len() != other.memories.len() {
            push(
                "memory.count".into(),
                self.memories.len().to_string(),
                other.memories.len().to_string(),
            );
        }
        for (i, (ma, mb)) in self.memories.iter().zip(&other.memories).enumerate() {
            let p = if i == 0 {
                "memory".to_string()
            } else {
                format!("memory[{i}]")
            };
            if ma.0 != mb.0 {
                push(format!("{p}.kind"), ma.0.clone(), mb.0.clone());
            }
            if ma.1 != mb.1 {
                push(format!("{p}.initial"), ma.1.to_string(), mb.1.to_string());
            }
            if ma.2 != mb.2 {
                push(format!("{p}.maximum"), opt(&ma.2), opt(&mb.2));
            }
        }
        // Imports.
        diff_maps(
            &self.imports,
            &other.imports,
            "import",
            &mut push,
            |k, a, b, push| {
                if a != b {
                    push(format!("import.{k}.type"), a.clone(), b.clone());
                }
            },
        );
        // Exports.
        diff_maps(
            &self.exports,
            &other.exports,
            "export",
            &mut push,
            |k, a, b, push| {
                if a.0 != b.0 {
                    push(format!("export.{k}.kind"), a.0.clone(), b.0.clone());
                } else if a.1 != b.1 {
                    push(format!("export.{k}.target"), a.1.clone(), b.1.clone());
                }
            },
        );
        // Start.
        if self.start != other.start {
            push("start".into(), opt(&self.start), opt(&other.start));
        }
        // Globals.
        diff_maps(
            &self.globals,
            &other.globals,
            "global",
            &mut push,
            |k, a, b, push| {
                if a.ty != b.ty {
                    push(format!("global.{k}.type"), a.ty.clone(), b.ty.clone());
                }
                if let Some((x, y)) = first_instr_diff(&a.init, &b.init) {
                    push(format!("global.{k}.init"), x, y);
                }
            },
        );
        // Tables.
        diff_maps(
            &self.tables,
            &other.tables,
            "table",
            &mut push,
            |k, a, b, push| {
                if a.ty != b.ty {
                    push(format!("table.{k}.type"), a.ty.clone(), b.ty.clone());
                }
                if a.initial != b.initial {
                    push(
                        format!("table.{k}.initial"),
                        a.initial.to_string(),
                        b.initial.to_string(),
                    );
                }
                if a.maximum != b.maximum {
                    push(
                        format!("table.{k}.maximum"),
                        opt(&a.maximum),
                        opt(&b.maximum),
                    );
                }
                let slots: std::collections::BTreeSet<u64> =
                    a.slots.keys().chain(b.slots.keys()).copied().collect();
                for s in slots {
                    let (x, y) = (a.slots.get(&s), b.slots.get(&s));
                    if x != y {
                        push(format!("table.{k}.elem[{s}]"), opt(&x), opt(&y));
                        break;
                    }
                }
            },
        );
        if self.passive_elems != other.passive_elems {
            push(
                "elem.passive".into(),
                format!("{:?}", self.passive_elems),
                format!("{:?}", other.passive_elems),
            );
        }
        // Functions.
        diff_maps(
            &self.funcs,
            &other.funcs,
            "func",
            &mut push,
            |k, a, b, push| {
                let p = format!("func[{k}]");
                if a.ty != b.ty {
                    push(format!("{p}.type"), a.ty.clone(), b.ty.clone());
                }
                if a.locals.is_some() != b.locals.is_some() {
                    let what = |l: &Option<String>| {
                        if l.is_some() {
                            "defined".to_string()
                        } else {
                            "imported".to_string()
                        }
                    };
                    push(format!("{p}.kind"), what(&a.locals), what(&b.locals));
                    return;
                }
                if a.locals != b.locals {
                    push(format!("{p}.locals"), opt(&a.locals), opt(&b.locals));
                }
                if let Some((x, y)) = first_instr_diff(&a.body, &b.body) {
                    push(format!("{p}.body"), x, y);
                }
            },
        );
        // Data.
        diff_maps(
            &self.data,
            &other.data,
            "data",
            &mut push,
            |k, a, b, push| {
                if a.memory != b.memory {
                    push(format!("data.{k}.mode"), mode(a), mode(b));
                    return;
                }
                match (&a.offset, &b.offset) {
                    (Some(x), Some(y)) => {
                        if let Some((x, y)) = first_instr_diff(x, y) {
                            push(format!("data.{k}.offset"), x, y);
                        }
                    }
                    (x, y) if x.is_some() != y.is_some() => {
                        push(format!("data.{k}.mode"), mode(a), mode(b));
                    }
                    _ => {}
                }
                if a.bytes.len() != b.bytes.len() {
                    push(
                        format!("data.{k}.size"),
                        a.bytes.len().to_string(),
                        b.bytes.len().to_string(),
                    );
                }
                if let Some(at) = self.first_data_diff(a, other, b) {
                    let show = |s: &Segment| {
                        let end = (at + 16).min(s.bytes.len());
                        hex(s.bytes.get(at..end).unwrap_or(&[]))
                    };
                    push(format!("data.{k}.bytes@0x{at:x}"), show(a), show(b));
                }
            },
        );
        // Custom sections.
        diff_maps(
            &self.custom,
            &other.custom,
            "custom",
            &mut push,
            |k, a, b, push| {
                if a != b {
                    let at = a
                        .iter()
                        .zip(b.iter())
                        .position(|(x, y)| x != y)
                        .unwrap_or(a.len().min(b.len()));
                    let show = |s: &[u8]| {
                        format!(
                            "{} bytes, at 0x{at:x}: {}",
                            s.len(),
                            hex(s.get(at..(at + 16).min(s.len())).unwrap_or(&[]))
                        )
                    };
                    push(format!("custom.{k}"), show(a), show(b));
                }
            },
        );
        // The symbol table, segment info, init functions, COMDATs and relocations.
        for (key, a, b) in crate::linking::diff(&self.linking, &other.linking) {
            push(key, a, b);
        }
        if out.is_empty()
            && ordered_customs(&self.custom_order, &other.custom_order)
                != ordered_customs(&other.custom_order, &self.custom_order)
        {
            out.push(Difference {
                key: "custom.order".into(),
                a: self.custom_order.join(","),
                b: other.custom_order.join(","),
            });
        }
        if out.is_empty() && self.module_name != other.module_name {
            out.push(Difference {
                key: "name.module".into(),
                a: opt(&self.module_name),
                b: opt(&other.module_name),
            });
        }
        out
    }

    /// The first byte offset where two segments differ, ignoring pointer-sized words that map
    /// to the same symbolic place in both modules.
    fn first_data_diff(&self, a: &Segment, other: &Model, b: &Segment) -> Option<usize> {
        let word = if self.memory64 { 8 } else { 4 };
        let n = a.bytes.len().min(b.bytes.len());
        let mut i = 0;
        while i < n {
            if a.bytes[i] == b.bytes[i] {
                i += 1;
                continue;
            }
            let base = a.address.unwrap_or(0) as usize;
            let w = i - ((base + i) % word).min(i);
            let read = |s: &Segment| -> Option<i64> {
                let bytes = s.bytes.get(w..w + word)?;
                let mut v = [0u8; 8];
                v[..word].copy_from_slice(bytes);
                Some(i64::from_le_bytes(v))
            };
            match (read(a), read(b)) {
                (Some(x), Some(y)) => match (self.place(x), other.place(y)) {
                    (Some(p), Some(q)) if p == q => {
                        i = w + word;
                        continue;
                    }
                    _ => return Some(i),
                },
                _ => return Some(i),
            }
        }
        (a.bytes.len() != b.bytes.len()).then_some(n)
    }
}

/// Where the custom section `name` stands among the custom sections, for the equivalent level's
/// `custom.order`: `None` when its place means nothing, else the name under which its place is
/// compared (sections under one name may come in any order among themselves).
///
/// Consumers find `producers` and `target_features` by name (a module has one of each, read as a
/// whole), so their places are free: a wasm-tools print/parse round trip of a linked module moves
/// `target_features` before `producers`, and the program is the same. The debug sections
/// (`.debug_*`, and `external_debug_info` and `sourceMappingURL`, which point at debug
/// information elsewhere) are found by name too, so their order among themselves is free; as a
/// block they keep their place. Every other custom section is compared in order, since its
/// place can mean something: `dylink.0` must be the first section, `linking` comes before the
/// `reloc.*` sections, `name` follows the data, and a user's own sections may be read in the
/// order they were concatenated. Where the free sections stand is still a difference of bytes,
/// at the identical level.
pub fn custom_order_key(name: &str) -> Option<&str> {
    match name {
        "producers" | "target_features" => None,
        _ if name.starts_with(".debug") => Some(".debug_*"),
        "external_debug_info" | "sourceMappingURL" => Some(".debug_*"),
        _ => Some(name),
    }
}

/// The order of the custom sections in `order` that `other` has too (a section only one module
/// has is a difference of contents), as [`custom_order_key`] compares it.
fn ordered_customs<'a>(order: &'a [String], other: &[String]) -> Vec<&'a str> {
    let mut out: Vec<&str> = order
        .iter()
        .filter(|n| other.contains(n))
        .filter_map(|n| custom_order_key(n))
        .collect();
    out.dedup();
    out
}

fn raw_instrs(v: Vec<Instr>) -> Vec<Instr> {
    v.into_iter()
        .map(|i| Instr {
            symbolic: None,
            ..i
        })
        .collect()
}

fn mode(s: &Segment) -> String {
    match s.memory {
        None => "passive".into(),
        Some(m) => format!("active in memory {m}"),
    }
}

fn hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn opt<T: fmt::Display>(v: &Option<T>) -> String {
    match v {
        Some(v) => v.to_string(),
        None => "none".into(),
    }
}

fn kind_code(k: ExternalKind) -> u8 {
    match k {
        ExternalKind::Func | ExternalKind::FuncExact => 0,
        ExternalKind::Table => 1,
        ExternalKind::Memory => 2,
        ExternalKind::Global => 3,
        ExternalKind::Tag => 4,
    }
}

type Push<'a> = dyn FnMut(String, String, String) + 'a;

fn diff_maps<V>(
    a: &BTreeMap<String, V>,
    b: &BTreeMap<String, V>,
    what: &str,
    push: &mut Push<'_>,
    mut each: impl FnMut(&str, &V, &V, &mut Push<'_>),
) {
    let key = |k: &str| {
        if what == "func" {
            format!("func[{k}]")
        } else {
            format!("{what}.{k}")
        }
    };
    for (k, va) in a {
        match b.get(k) {
            Some(vb) => each(k, va, vb, push),
            None => push(key(k), "present".into(), "absent".into()),
        }
    }
    for k in b.keys() {
        if !a.contains_key(k) {
            push(key(k), "absent".into(), "present".into());
        }
    }
}

fn first_instr_diff(a: &[Instr], b: &[Instr]) -> Option<(String, String)> {
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        if !x.same(y) {
            return Some((format!("#{i}: {}", x.text), format!("#{i}: {}", y.text)));
        }
    }
    if a.len() != b.len() {
        return Some((
            format!("{} instructions", a.len()),
            format!("{} instructions", b.len()),
        ));
    }
    None
}

/// The value of a constant expression made of one `i32.const`/`i64.const` (then `end`).
/// The value of an offset expression: a constant, or, in a position-independent module, an
/// offset from an imported base (`global.get BASE`, or `global.get BASE; CONST; add` with
/// extended-const), counted from the base: the model places a PIC module at 0.
fn const_value(e: &ConstExpr<'_>) -> anyhow::Result<Option<i64>> {
    let mut r = e.get_operators_reader();
    let constant = |op: &Operator| match *op {
        Operator::I32Const { value } => Some(value as u32 as i64),
        Operator::I64Const { value } => Some(value),
        _ => None,
    };
    let first = r.read()?;
    let v = match first {
        Operator::GlobalGet { .. } => match r.read()? {
            Operator::End => return Ok(Some(0)),
            op => match (constant(&op), r.read()?) {
                (Some(v), Operator::I32Add | Operator::I64Add) => v,
                _ => return Ok(None),
            },
        },
        op => match constant(&op) {
            Some(v) => v,
            None => return Ok(None),
        },
    };
    match r.read()? {
        Operator::End => Ok(Some(v)),
        _ => Ok(None),
    }
}

/// Splits the Debug text of a memory instruction around its `offset: N` immediate.
fn memarg_offset(text: &str) -> Option<(&str, u64, &str)> {
    let at = text.find("offset: ")?;
    let rest = &text[at + "offset: ".len()..];
    let len = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
    let value: u64 = rest[..len].parse().ok()?;
    Some((&text[..at], value, &rest[len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wasm(text: &str) -> Vec<u8> {
        wat::parse_str(text).expect("test module parses")
    }

    fn keys(a: &str, b: &str) -> Vec<String> {
        diff(&wasm(a), &wasm(b))
            .unwrap()
            .into_iter()
            .map(|d| d.key)
            .collect()
    }

    #[test]
    fn function_and_type_order_do_not_matter() {
        let a = r#"(module
          (type (func (param i32) (result i32)))
          (type (func))
          (func $f (type 0) (call $g) (local.get 0))
          (func $g (type 1))
          (export "f" (func $f)))"#;
        let b = r#"(module
          (type (func))
          (type (func (param i32) (result i32)))
          (func $g (type 0))
          (func $f (type 1) (call $g) (local.get 0))
          (export "f" (func $f)))"#;
        assert_eq!(keys(a, b), Vec::<String>::new());
    }

    #[test]
    fn changed_call_target_is_a_body_difference() {
        let a = r#"(module (func $f (call $g)) (func $g) (func $h))"#;
        let b = r#"(module (func $f (call $h)) (func $g) (func $h))"#;
        let d = diff(&wasm(a), &wasm(b)).unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].key, "func[f].body");
        assert_eq!(d[0].a, "#0: call g");
        assert_eq!(d[0].b, "#0: call h");
    }

    #[test]
    fn pointers_into_moved_data_are_equivalent() {
        // The same string at different addresses, referenced from code and from data.
        let a = r#"(module (memory 1)
          (data $.rodata (i32.const 1024) "hi\00\00")
          (data $.data (i32.const 2048) "\00\04\00\00")
          (func $f (result i32) (i32.const 1026)))"#;
        let b = r#"(module (memory 1)
          (data $.rodata (i32.const 4096) "hi\00\00")
          (data $.data (i32.const 2048) "\00\10\00\00")
          (func $f (result i32) (i32.const 4098)))"#;
        assert_eq!(keys(a, b), vec!["data.rodata.offset".to_string()]);
        let c = r#"(module (memory 1)
          (data $.rodata (i32.const 1024) "hi\00\00")
          (data $.data (i32.const 2048) "\01\04\00\00")
          (func $f (result i32) (i32.const 1025)))"#;
        assert_eq!(
            keys(a, c),
            vec![
                "func[f].body".to_string(),
                "data.data.bytes@0x0".to_string()
            ]
        );
    }

    #[test]
    fn exports_globals_memory_and_tables_have_keys() {
        let a = r#"(module (memory 2) (global $__stack_pointer (mut i32) (i32.const 66560))
          (table 2 2 funcref) (elem (i32.const 1) $f)
          (func $f) (func $g) (export "main" (func $f)) (export "x" (func $g)))"#;
        let b = r#"(module (memory 3) (global $__stack_pointer (mut i32) (i32.const 70000))
          (table 2 2 funcref) (elem (i32.const 1) $g)
          (func $f) (func $g) (export "main" (global $__stack_pointer)) (export "y" (func $g)))"#;
        assert_eq!(
            keys(a, b),
            vec![
                "memory.initial",
                "export.main.kind",
                "export.x",
                "export.y",
                "global.__stack_pointer.init",
                "table.#0.elem[1]",
            ]
        );
    }

    /// A module of one function with the custom sections `sections` appended, in that order
    /// (a section name given twice is two sections).
    fn with_customs(sections: &[(&str, &[u8])]) -> Vec<u8> {
        let mut m = wasm(r#"(module (func (export "f")))"#);
        for (name, data) in sections {
            let mut body = vec![name.len() as u8];
            body.extend_from_slice(name.as_bytes());
            body.extend_from_slice(data);
            m.push(0);
            m.push(body.len() as u8);
            m.extend(body);
        }
        m
    }

    /// `producers` with one field (`processed-by`: `touchstone 1`) and `target_features` with
    /// `+mutable-globals`, as a linker writes them.
    const PRODUCERS: &[u8] = b"\x01\x0cprocessed-by\x01\x0atouchstone\x011";
    const FEATURES: &[u8] = b"\x01\x2b\x0fmutable-globals";

    #[test]
    fn the_place_of_producers_target_features_and_debug_sections_is_free() {
        let order = |a: &[(&str, &[u8])], b: &[(&str, &[u8])]| {
            let d = diff(&with_customs(a), &with_customs(b)).unwrap();
            d.into_iter().map(|d| d.key).collect::<Vec<_>>()
        };
        let none = Vec::<String>::new();
        // Equivalent, not identical.
        let (p, t) = (("producers", PRODUCERS), ("target_features", FEATURES));
        assert_ne!(with_customs(&[p, t]), with_customs(&[t, p]));
        assert_eq!(order(&[p, t], &[t, p]), none);
        let (u, v) = (("user", &b"u"[..]), ("other", &b"v"[..]));
        assert_eq!(order(&[u, p, v, t], &[t, u, v, p]), none);
        // Debug sections among themselves.
        let (info, line, map) = (
            (".debug_info", &b"i"[..]),
            (".debug_line", &b"l"[..]),
            ("sourceMappingURL", &b"\x01m"[..]),
        );
        assert_eq!(
            order(&[u, info, line, map, v], &[u, map, line, info, v]),
            none
        );
        // But the debug block keeps its place, and so do other sections.
        let moved = order(&[u, info, line, v], &[info, line, u, v]);
        assert_eq!(moved, ["custom.order"]);
        assert_eq!(order(&[u, v], &[v, u]), ["custom.order"]);
        assert_eq!(
            order(&[("name", b""), u], &[u, ("name", b"")]),
            ["custom.order"]
        );
        assert_eq!(
            order(&[("dylink.0", b""), u], &[u, ("dylink.0", b"")]),
            ["custom.order"]
        );
        // A section one module lacks is a difference of contents, not of order.
        assert_eq!(order(&[("name", b""), u, v], &[u, v]), none);
        assert_eq!(order(&[u, v], &[u]), ["custom.other"]);
    }

    /// What the rule is for: wasmprinter and wat (wasm-tools' print and parse) give back the
    /// module with `target_features` before `producers`.
    #[test]
    fn a_print_parse_round_trip_is_equivalent() {
        let linked = with_customs(&[("producers", PRODUCERS), ("target_features", FEATURES)]);
        let text = wasmprinter::print_bytes(&linked).unwrap();
        let back = wat::parse_str(&text).unwrap();
        let names = |m: &[u8]| {
            Parser::new(0)
                .parse_all(m)
                .filter_map(|p| match p {
                    Ok(Payload::CustomSection(c)) => Some(c.name().to_string()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&linked), ["producers", "target_features"]);
        assert_eq!(names(&back), ["target_features", "producers"], "{text}");
        assert_eq!(diff(&linked, &back).unwrap(), []);
    }

    #[test]
    fn validation_rejects_bad_modules() {
        assert!(validate(&wasm("(module (func (result i32) (i32.const 1)))")).is_ok());
        // A type mismatch: the body leaves nothing for the result.
        let bad = b"\0asm\x01\0\0\0\x01\x05\x01\x60\0\x01\x7f\x03\x02\x01\0\x0a\x04\x01\x02\0\x0b";
        assert!(validate(bad).is_err());
    }
}
