//! Re-reading the module the `wast` crate encoded (with wasmparser): section ranges, import
//! entries, exports, memory limits, custom sections and every function body's instructions
//! with their byte ranges.

pub(super) struct OpInfo<'a> {
    pub(super) op: wasmparser::Operator<'a>,
    pub(super) start: usize,
    pub(super) end: usize,
}

pub(super) struct Body<'a> {
    pub(super) start: usize,
    pub(super) ops_start: usize,
    pub(super) ops: Vec<OpInfo<'a>>,
}

pub(super) struct MemInfo {
    pub(super) initial: u64,
    pub(super) maximum: Option<u64>,
    pub(super) shared: bool,
}

/// What the assembler needs from the module `wast` encoded.
#[derive(Default)]
pub(super) struct Parsed<'a> {
    pub(super) types: Option<std::ops::Range<usize>>,
    pub(super) import_entries: Vec<std::ops::Range<usize>>,
    pub(super) functions: Option<std::ops::Range<usize>>,
    pub(super) tables: Option<std::ops::Range<usize>>,
    pub(super) memory: Option<MemInfo>,
    pub(super) tags: Option<std::ops::Range<usize>>,
    pub(super) globals: Option<std::ops::Range<usize>>,
    /// (name, external kind byte, index)
    pub(super) exports: Vec<(String, u8, u32)>,
    pub(super) start: Option<std::ops::Range<usize>>,
    pub(super) elems: Option<std::ops::Range<usize>>,
    pub(super) datacount: Option<std::ops::Range<usize>>,
    pub(super) bodies: Vec<Body<'a>>,
    pub(super) customs: Vec<(String, Vec<u8>)>,
    pub(super) uses_call_indirect: bool,
}

pub(super) fn rng(r: std::ops::Range<u64>) -> std::ops::Range<usize> {
    r.start as usize..r.end as usize
}

pub(super) enum BinError {
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

pub(super) fn read_binary(binary: &[u8]) -> std::result::Result<Parsed<'_>, BinError> {
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
