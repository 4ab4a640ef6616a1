//! Reading the fields of the text in source order: creating the symbols of functions,
//! globals, tables, tags and imports, laying out data segments with their data symbols and
//! relocated words, custom sections, init functions, COMDAT groups and module annotations.

use super::*;
use reloc::RelocType;

impl Asm<'_> {
    pub(super) fn annotations_need_table(&self) -> bool {
        let table_kind = |k: &RelocKind| match k {
            RelocKind::FuncAddr | RelocKind::FuncAddrRel => true,
            RelocKind::Explicit(t) => reloc::uses_table(*t),
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
    pub(super) fn field_at(&self, pos: usize) -> Option<usize> {
        self.fields.iter().position(|f| match f {
            Node::List { start, end, .. } => *start <= pos && pos < *end,
            _ => false,
        })
    }

    /// Walks every field in source order, creating symbols, segments and custom sections.
    pub(super) fn build_symbols(&mut self, parsed: &Parsed) -> Result<()> {
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
                kind: SYM_DATA,
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

    pub(super) fn module_annotation(
        &mut self,
        name: &str,
        pos: usize,
        args: &[Node],
        pending_inits: &mut Vec<(usize, String, u32)>,
    ) -> Result<()> {
        let src = self.src;
        match name {
            "features" => {
                let mut list = match std::mem::replace(&mut self.features, Features::Infer) {
                    Features::Explicit(l) => l,
                    Features::Infer => Vec::new(),
                    Features::Absent => {
                        return Err(self.err(pos, "(@features ...) after (@no-features)"))
                    }
                };
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
                    list.push((p, rest.to_string()));
                }
                self.features = Features::Explicit(list);
            }
            "no-features" => {
                if !args.is_empty() {
                    return Err(self.err(pos, "(@no-features) takes no arguments"));
                }
                if matches!(self.features, Features::Explicit(_)) {
                    return Err(self.err(pos, "(@no-features) after (@features ...)"));
                }
                self.features = Features::Absent;
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
                        "unknown module annotation `@{n}` (expected features, no-features, undef-data, \
                         init, section, wasm64, linking-version, no-linking, truncate, poke)"
                    ),
                ))
            }
        }
        Ok(())
    }

    /// A func/table/memory/global/tag field (defined or imported).
    pub(super) fn item_field(
        &mut self,
        kind: usize,
        index: u32,
        field: &Node,
        parsed: &Parsed,
    ) -> Result<()> {
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

    pub(super) fn add_comdat(&mut self, name: String, kind: u8, r: ComdatRef) {
        match self.comdats.iter_mut().find(|c| c.0 == name) {
            Some(c) => c.1.push((kind, r)),
            None => self.comdats.push((name, vec![(kind, r)])),
        }
    }

    /// A data segment field: values, symbols, relocated words.
    pub(super) fn data_field(&mut self, di: usize, field: &Node) -> Result<()> {
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
                        seg.bytes.resize(off + reloc::width(ty), 0);
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
                kind: SYM_DATA,
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
    pub(super) fn data_reloc_type(&self, spec: &RelocSpec) -> Result<u8> {
        Ok(match spec.kind {
            RelocKind::Explicit(t) => t,
            RelocKind::Addr => {
                if self.wasm64 {
                    RelocType::MEMORY_ADDR_I64 as u8
                } else {
                    RelocType::MEMORY_ADDR_I32 as u8
                }
            }
            RelocKind::FuncAddr => {
                if self.wasm64 {
                    RelocType::TABLE_INDEX_I64 as u8
                } else {
                    RelocType::TABLE_INDEX_I32 as u8
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

    pub(super) fn custom_section(&mut self, pos: usize, args: &[Node]) -> Result<()> {
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
                        sec.bytes.resize(off + reloc::width(ty), 0);
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
}
