//! Writing the object: sections in the order llvm-mc uses (standard sections, custom
//! sections, `linking`, `reloc.*`, `producers`, `target_features`), the rewritten code section
//! with its relocations, the data section with active segments at their object-local offsets,
//! and the `linking` section's subsections.

use super::reloc::RelocType as T;
use super::*;
use touchstone_format::linking;

/// A relocation entry as written.
#[derive(Clone, Debug)]
pub(super) struct Entry {
    pub(super) ty: u8,
    pub(super) offset: u32,
    pub(super) index: u32,
    pub(super) addend: i64,
}

impl Asm<'_> {
    /// Rewrites the code section; returns its payload and relocations.
    pub(super) fn code_section(
        &mut self,
        parsed: &Parsed,
        binary: &[u8],
    ) -> Result<(Vec<u8>, Vec<Entry>)> {
        let mut payload = Vec::new();
        leb::write_u64(&mut payload, parsed.bodies.len() as u64);
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
                        RelocKind::Explicit(t) => t,
                        RelocKind::Addr if classes(Site::Const32) => T::MEMORY_ADDR_SLEB as u8,
                        RelocKind::Addr if classes(Site::Const64) => T::MEMORY_ADDR_SLEB64 as u8,
                        RelocKind::Addr if classes(Site::MemOffset) => {
                            if self.wasm64 {
                                T::MEMORY_ADDR_LEB64 as u8
                            } else {
                                T::MEMORY_ADDR_LEB as u8
                            }
                        }
                        RelocKind::AddrRel if classes(Site::Const32) => {
                            T::MEMORY_ADDR_REL_SLEB as u8
                        }
                        RelocKind::AddrRel if classes(Site::Const64) => {
                            T::MEMORY_ADDR_REL_SLEB64 as u8
                        }
                        RelocKind::AddrTls if classes(Site::Const32) => {
                            T::MEMORY_ADDR_TLS_SLEB as u8
                        }
                        RelocKind::AddrTls if classes(Site::Const64) => {
                            T::MEMORY_ADDR_TLS_SLEB64 as u8
                        }
                        RelocKind::FuncAddr if classes(Site::Const32) => T::TABLE_INDEX_SLEB as u8,
                        RelocKind::FuncAddr if classes(Site::Const64) => {
                            T::TABLE_INDEX_SLEB64 as u8
                        }
                        RelocKind::FuncAddrRel if classes(Site::Const32) => {
                            T::TABLE_INDEX_REL_SLEB as u8
                        }
                        RelocKind::FuncAddrRel if classes(Site::Const64) => {
                            T::TABLE_INDEX_REL_SLEB64 as u8
                        }
                        _ => {
                            return Err(self.err(
                                spec.pos,
                                "this annotation does not fit the instruction before it",
                            ))
                        }
                    };
                    let class = reloc::site(ty);
                    let Some(si) = sites
                        .iter()
                        .enumerate()
                        .position(|(i, s)| s.class == class && !explicit[i])
                    else {
                        return Err(self.err(
                            spec.pos,
                            format!("{} does not fit the instruction before it", reloc::name(ty)),
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
            leb::write_u64(&mut payload, out.len() as u64);
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
    pub(super) fn word_relocs(
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
            reloc::encode(*ty, value, &mut enc);
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

    pub(super) fn write(mut self, binary: &[u8], parsed: &Parsed) -> Result<Vec<u8>> {
        // Decided before the sections below consume the annotations it looks at.
        let features = match std::mem::replace(&mut self.features, Features::Absent) {
            Features::Absent => None,
            Features::Explicit(list) => Some(list),
            Features::Infer => Some(self.inferred_features(binary)?),
        };
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
            reloc::write_name("env", &mut imports);
            reloc::write_name("__linear_memory", &mut imports);
            imports.push(0x02);
            imports.push(flags);
            leb::write_u64(&mut imports, min);
            if let Some(m) = max {
                leb::write_u64(&mut imports, m);
            }
            n_imports += 1;
        }
        for r in &parsed.import_entries {
            imports.extend_from_slice(&binary[r.clone()]);
            n_imports += 1;
        }
        if self.add_table {
            reloc::write_name("env", &mut imports);
            reloc::write_name("__indirect_function_table", &mut imports);
            // A 64-bit object uses a 64-bit indirect table (lld makes it table64 with -mwasm64).
            let limits = if self.wasm64 { 0x04 } else { 0x00 };
            imports.extend_from_slice(&[0x01, 0x70, limits, 0x00]);
            n_imports += 1;
        }
        let mut import_payload = Vec::new();
        leb::write_u64(&mut import_payload, n_imports);
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
            leb::write_u64(&mut p, self.exports.len() as u64);
            for (name, idx) in &self.exports {
                reloc::write_name(name, &mut p);
                p.push(0);
                leb::write_u64(&mut p, u64::from(*idx));
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
            leb::write_u64(&mut p, self.segments.len() as u64);
            for i in 0..self.segments.len() {
                p.push(0);
                let addr = self.segments[i].addr;
                if self.wasm64 {
                    p.push(0x42);
                    leb::write_i64(&mut p, addr as i64);
                } else {
                    p.push(0x41);
                    leb::write_i64(&mut p, addr as i32 as i64);
                }
                p.push(0x0b);
                let mut bytes = std::mem::take(&mut self.segments[i].bytes);
                leb::write_u64(&mut p, bytes.len() as u64);
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
                reloc::write_name(&c.0, &mut p);
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
            reloc::write_name(&c.name, &mut p);
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
            reloc::write_name(&name, &mut p);
            leb::write_u64(&mut p, target as u64);
            leb::write_u64(&mut p, entries.len() as u64);
            for e in entries {
                p.push(e.ty);
                leb::write_u64(&mut p, u64::from(e.offset));
                leb::write_u64(&mut p, u64::from(e.index));
                if reloc::has_addend(e.ty) {
                    leb::write_i64(&mut p, e.addend);
                }
            }
            sections.push((0, p));
        }
        for c in &parsed.customs {
            if c.0 == "producers" {
                let mut p = Vec::new();
                reloc::write_name(&c.0, &mut p);
                p.extend_from_slice(&c.1);
                sections.push((0, p));
            }
        }
        if let Some(features) = features {
            let mut p = Vec::new();
            reloc::write_name("target_features", &mut p);
            leb::write_u64(&mut p, features.len() as u64);
            for (prefix, name) in &features {
                p.push(*prefix);
                reloc::write_name(name, &mut p);
            }
            sections.push((0, p));
        }
        let mut out = b"\0asm\x01\0\0\0".to_vec();
        for (id, payload) in sections {
            out.push(id);
            leb::write_u64(&mut out, payload.len() as u64);
            out.extend_from_slice(&payload);
        }
        for (off, bytes) in &self.pokes {
            let end = off + bytes.len();
            if end > out.len() {
                return Err(anyhow::anyhow!(
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

    /// The `target_features` entries clang 19 would write for this module (`features.rs`).
    fn inferred_features(&self, binary: &[u8]) -> Result<Vec<(u8, String)>> {
        let mut used = features::used(binary).map_err(|e| {
            anyhow::anyhow!("{}: re-reading the encoded module: {e}", self.src.path)
        })?;
        // Thread-local data: clang keeps it only with atomics and bulk-memory (-pthread).
        let tls_reloc = |r: &RelocSpec| match r.kind {
            RelocKind::AddrTls => true,
            RelocKind::Explicit(ty) => {
                ty == T::MEMORY_ADDR_TLS_SLEB as u8 || ty == T::MEMORY_ADDR_TLS_SLEB64 as u8
            }
            _ => false,
        };
        let tls = self.segments.iter().any(|s| s.flags & 2 != 0)
            || self.syms.iter().any(|s| s.flags & annot::TLS != 0)
            || self.instr_anns.iter().flatten().any(|(_, r)| tls_reloc(r))
            || self
                .segments
                .iter()
                .flat_map(|s| &s.relocs)
                .any(|(_, r, _)| tls_reloc(r))
            || self
                .customs
                .iter()
                .flat_map(|c| &c.relocs)
                .any(|(_, r, _)| tls_reloc(r));
        if tls {
            used.insert("atomics");
            used.insert("bulk-memory");
        }
        Ok(features::entries(&used, self.wasm64))
    }

    pub(super) fn linking_section(&self, custom_index: &HashMap<String, usize>) -> Result<Vec<u8>> {
        let mut p = Vec::new();
        reloc::write_name("linking", &mut p);
        leb::write_u64(&mut p, u64::from(self.linking_version));
        let sub = |id: u8, body: Vec<u8>, p: &mut Vec<u8>| {
            p.push(id);
            leb::write_u64(p, body.len() as u64);
            p.extend_from_slice(&body);
        };
        if !self.syms.is_empty() {
            let mut b = Vec::new();
            leb::write_u64(&mut b, self.syms.len() as u64);
            for s in &self.syms {
                b.push(s.kind);
                leb::write_u64(&mut b, u64::from(s.flags));
                let undefined = s.flags & annot::UNDEFINED != 0;
                match s.kind {
                    SYM_DATA => {
                        reloc::write_name(&s.name, &mut b);
                        if !undefined {
                            let (seg, off, size) = s.data.unwrap_or((0, 0, 0));
                            leb::write_u64(&mut b, u64::from(seg));
                            leb::write_u64(&mut b, off);
                            leb::write_u64(&mut b, size);
                        }
                    }
                    SYM_SECTION => {
                        let name = s.section.as_deref().unwrap_or("");
                        let idx = custom_index.get(name).copied().unwrap_or(0);
                        leb::write_u64(&mut b, idx as u64);
                    }
                    _ => {
                        leb::write_u64(&mut b, u64::from(s.index));
                        if !undefined || s.flags & annot::EXPLICIT_NAME != 0 {
                            reloc::write_name(&s.name, &mut b);
                        }
                    }
                }
            }
            sub(linking::WASM_SYMBOL_TABLE, b, &mut p);
        }
        if !self.segments.is_empty() {
            let mut b = Vec::new();
            leb::write_u64(&mut b, self.segments.len() as u64);
            for s in &self.segments {
                reloc::write_name(&s.name, &mut b);
                leb::write_u64(&mut b, u64::from(s.p2align));
                leb::write_u64(&mut b, u64::from(s.flags));
            }
            sub(linking::WASM_SEGMENT_INFO, b, &mut p);
        }
        if !self.init_funcs.is_empty() {
            let mut b = Vec::new();
            leb::write_u64(&mut b, self.init_funcs.len() as u64);
            for (prio, sym) in &self.init_funcs {
                leb::write_u64(&mut b, u64::from(*prio));
                leb::write_u64(&mut b, u64::from(*sym));
            }
            sub(linking::WASM_INIT_FUNCS, b, &mut p);
        }
        if !self.comdats.is_empty() {
            let mut b = Vec::new();
            leb::write_u64(&mut b, self.comdats.len() as u64);
            for (name, entries) in &self.comdats {
                reloc::write_name(name, &mut b);
                leb::write_u64(&mut b, 0);
                leb::write_u64(&mut b, entries.len() as u64);
                for (kind, r) in entries {
                    b.push(*kind);
                    let idx = match r {
                        ComdatRef::Index(i) => u64::from(*i),
                        ComdatRef::Section(n) => custom_index.get(n).copied().unwrap_or(0) as u64,
                    };
                    leb::write_u64(&mut b, idx);
                }
            }
            sub(linking::WASM_COMDAT_INFO, b, &mut p);
        }
        Ok(p)
    }
}
