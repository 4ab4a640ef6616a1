//! Parsing the text with the `wast` crate: what each field declares (ids, import names,
//! instruction positions, data values) and the encoded module bytes.

use super::*;
use wast::core::{
    DataVal, FuncKind, GlobalKind, ImportItems, ItemKind, MemoryKind, ModuleField, ModuleKind,
    TableKind, TagKind,
};

/// One function/table/memory/global/tag as the text declared it.
#[derive(Clone, Debug, Default)]
pub(super) struct Item {
    pub(super) id: Option<String>,
    pub(super) import: Option<(String, String)>,
    pub(super) pos: usize,
    pub(super) instr_spans: Vec<usize>,
    pub(super) is64: bool,
}

#[derive(Debug, Default)]
pub(super) struct Ast {
    pub(super) imports: [Vec<Item>; 5],
    pub(super) defs: [Vec<Item>; 5],
    pub(super) datas: Vec<DataItem>,
}

#[derive(Debug)]
pub(super) struct DataItem {
    pub(super) id: Option<String>,
    pub(super) pos: usize,
    pub(super) vals: Vec<Vec<u8>>,
}

pub(super) fn parse_wast(src: Src) -> Result<(Ast, Vec<u8>)> {
    let werr = |mut e: wast::Error| {
        e.set_path(Path::new(src.path));
        e.set_text(src.text);
        anyhow::anyhow!("{e}")
    };
    let mut buf = wast::parser::ParseBuffer::new(src.text).map_err(werr)?;
    buf.track_instr_spans(true);
    let mut wat = wast::parser::parse::<wast::Wat>(&buf).map_err(werr)?;
    let wast::Wat::Module(module) = &mut wat else {
        return Err(anyhow::anyhow!(
            "{}: expected a core module, not a component",
            src.path
        ));
    };
    let ModuleKind::Text(mfields) = &module.kind else {
        return Err(anyhow::anyhow!(
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

pub(super) fn is_mem64(m: &wast::core::MemoryType) -> bool {
    m.limits.is64
}
