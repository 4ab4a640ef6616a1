//! Parsing the assembler's annotations (`(@sym ...)`, `(@reloc ...)`, ...) into typed values.
//! The syntax is documented in the header of `asm/mod.rs` and in `testsuite/README.md`.

use super::reloc;
use super::sexpr::{located, Node};
use anyhow::Result;

use touchstone_format::flags;

// The symbol flags, by the short names the annotations use.
pub const WEAK: u32 = flags::WASM_SYM_BINDING_WEAK;
pub const LOCAL: u32 = flags::WASM_SYM_BINDING_LOCAL;
pub const HIDDEN: u32 = flags::WASM_SYM_VISIBILITY_HIDDEN;
pub const UNDEFINED: u32 = flags::WASM_SYM_UNDEFINED;
pub const EXPORTED: u32 = flags::WASM_SYM_EXPORTED;
pub const EXPLICIT_NAME: u32 = flags::WASM_SYM_EXPLICIT_NAME;
pub const NO_STRIP: u32 = flags::WASM_SYM_NO_STRIP;
pub const TLS: u32 = flags::WASM_SYM_TLS;
pub const ABSOLUTE: u32 = flags::WASM_SYM_ABSOLUTE;

/// Where errors point: the file name and its text.
#[derive(Clone, Copy)]
pub struct Src<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

impl Src<'_> {
    pub fn err(&self, pos: usize, msg: impl std::fmt::Display) -> anyhow::Error {
        located(self.path, self.text, pos, msg)
    }
}

/// A reference to a symbol (or, for TYPE_INDEX_LEB, a type index).
#[derive(Clone, Debug)]
pub enum Target {
    /// By symbol name (`$name` or `"name"`).
    Name(String),
    /// A raw symbol-table index (`#12`), written without any check.
    Raw(u32),
    /// A plain number (type index for TYPE_INDEX_LEB).
    Num(u32),
}

/// The symbol attributes of `(@sym ...)` / `(@alias ...)`.
#[derive(Clone, Debug, Default)]
pub struct SymSpec {
    pub name: Option<String>,
    pub set: u32,
    pub clear: u32,
    /// `flags=N`: the exact flags word, replacing everything else.
    pub raw: Option<u32>,
    pub size: Option<u64>,
    pub offset: Option<u64>,
    pub pos: usize,
}

impl SymSpec {
    pub fn apply(&self, mut flags: u32) -> u32 {
        flags = (flags & !self.clear) | self.set;
        self.raw.unwrap_or(flags)
    }
}

/// Which relocation an instruction or data annotation asks for.
#[derive(Clone, Copy, Debug)]
pub enum RelocKind {
    Explicit(u8),
    /// `(@reloc none)`: no relocation at all on this instruction.
    None,
    Addr,
    AddrRel,
    AddrTls,
    FuncAddr,
    FuncAddrRel,
}

#[derive(Clone, Debug)]
pub struct RelocSpec {
    pub kind: RelocKind,
    pub target: Option<Target>,
    pub addend: i64,
    pub pos: usize,
}

/// Segment attributes from `(@segment ...)`.
#[derive(Clone, Debug, Default)]
pub struct SegSpec {
    pub name: Option<String>,
    pub p2align: Option<u32>,
    pub flags: u32,
    pub raw_flags: Option<u32>,
}

/// Parses a number: decimal or `0x` hex, optional sign, `_` separators.
pub fn number(text: &str) -> Option<i64> {
    let t = text.replace('_', "");
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, t.strip_prefix('+').unwrap_or(&t).to_string()),
    };
    let v = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()? as i64
    } else {
        t.parse::<u64>().ok()? as i64
    };
    Some(if neg { v.wrapping_neg() } else { v })
}

/// Reads a symbol or section name: `$name` or `"name"`.
pub fn name_of(node: &Node) -> Option<String> {
    match node {
        Node::Atom { text, .. } => text.strip_prefix('$').map(str::to_string),
        Node::Str { bytes, .. } => Some(String::from_utf8_lossy(bytes).into_owned()),
        Node::List { .. } => None,
    }
}

fn atom(node: &Node) -> Option<&str> {
    match node {
        Node::Atom { text, .. } => Some(text),
        _ => None,
    }
}

/// Reads a `key=value` numeric argument.
fn key_num(src: Src, node: &Node, text: &str, key: &str) -> Result<Option<u64>> {
    let Some(v) = text.strip_prefix(key).and_then(|r| r.strip_prefix('=')) else {
        return Ok(None);
    };
    number(v)
        .and_then(|n| u64::try_from(n).ok())
        .map(Some)
        .ok_or_else(|| src.err(node.pos(), format!("bad number in `{text}`")))
}

/// `(@sym [NAME] flag...)` and `(@alias NAME flag...)`.
pub fn sym_spec(src: Src, pos: usize, args: &[Node]) -> Result<SymSpec> {
    let mut spec = SymSpec {
        pos,
        ..Default::default()
    };
    for (i, a) in args.iter().enumerate() {
        if i == 0 {
            if let Some(n) = name_of(a) {
                spec.name = Some(n);
                continue;
            }
        }
        let Some(t) = atom(a) else {
            return Err(src.err(a.pos(), "expected a symbol flag"));
        };
        let (set, clear) = match t {
            "weak" => (WEAK, LOCAL),
            "local" => (LOCAL, WEAK),
            "global" => (0, WEAK | LOCAL),
            "hidden" => (HIDDEN, 0),
            "default" => (0, HIDDEN),
            "undefined" => (UNDEFINED, 0),
            "exported" => (EXPORTED, 0),
            "no_exported" => (0, EXPORTED),
            "explicit_name" => (EXPLICIT_NAME, 0),
            "no_explicit_name" => (0, EXPLICIT_NAME),
            "no_strip" | "retain" => (NO_STRIP, 0),
            "tls" => (TLS, 0),
            "absolute" => (ABSOLUTE, 0),
            _ => {
                if let Some(v) = key_num(src, a, t, "flags")? {
                    spec.raw = Some(v as u32);
                } else if let Some(v) = key_num(src, a, t, "size")? {
                    spec.size = Some(v);
                } else if let Some(v) = key_num(src, a, t, "offset")? {
                    spec.offset = Some(v);
                } else {
                    return Err(src.err(
                        a.pos(),
                        format!(
                            "unknown symbol flag `{t}` (expected weak, local, global, hidden, \
                             default, exported, explicit_name, no_explicit_name, no_strip, tls, \
                             absolute, undefined, flags=N, size=N, offset=N)"
                        ),
                    ));
                }
                continue;
            }
        };
        spec.set = (spec.set & !clear) | set;
        spec.clear = (spec.clear & !set) | clear;
    }
    Ok(spec)
}

/// `(@segment [NAME] align=N strings tls retain flags=N)`.
pub fn seg_spec(src: Src, args: &[Node]) -> Result<SegSpec> {
    let mut spec = SegSpec::default();
    for (i, a) in args.iter().enumerate() {
        if i == 0 {
            if let Some(n) = name_of(a) {
                spec.name = Some(n);
                continue;
            }
        }
        let Some(t) = atom(a) else {
            return Err(src.err(a.pos(), "expected a segment attribute"));
        };
        match t {
            "strings" => spec.flags |= 1,
            "tls" => spec.flags |= 2,
            "retain" => spec.flags |= 4,
            _ => {
                if let Some(v) = key_num(src, a, t, "align")? {
                    if !v.is_power_of_two() {
                        return Err(src.err(a.pos(), "align= must be a power of two (bytes)"));
                    }
                    spec.p2align = Some(v.trailing_zeros());
                } else if let Some(v) = key_num(src, a, t, "p2align")? {
                    spec.p2align = Some(v as u32);
                } else if let Some(v) = key_num(src, a, t, "flags")? {
                    spec.raw_flags = Some(v as u32);
                } else {
                    return Err(src.err(
                        a.pos(),
                        format!(
                            "unknown segment attribute `{t}` (expected a name, align=N, \
                             p2align=N, strings, tls, retain, flags=N)"
                        ),
                    ));
                }
            }
        }
    }
    Ok(spec)
}

/// Reads `TARGET [ADDEND]` (`$sym`, `$sym+4`, `"sym"`, `#3`, `7`), starting at `args[0]`.
fn target_addend(src: Src, args: &[Node]) -> Result<(Option<Target>, i64)> {
    let mut target = None;
    let mut addend = 0i64;
    for (i, a) in args.iter().enumerate() {
        match a {
            Node::Atom { text, .. } if i == 0 && text.starts_with('$') => {
                let body = &text[1..];
                let split = body
                    .char_indices()
                    .skip(1)
                    .filter(|(_, c)| *c == '+' || *c == '-')
                    .map(|(i, _)| i)
                    .find(|&i| number(&body[i..]).is_some());
                match split {
                    Some(s) => {
                        target = Some(Target::Name(body[..s].to_string()));
                        addend = number(&body[s..]).unwrap_or(0);
                    }
                    None => target = Some(Target::Name(body.to_string())),
                }
            }
            Node::Str { bytes, .. } if i == 0 => {
                target = Some(Target::Name(String::from_utf8_lossy(bytes).into_owned()))
            }
            Node::Atom { text, .. } if i == 0 && text.starts_with('#') => {
                let n = number(&text[1..])
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| src.err(a.pos(), "bad raw symbol index"))?;
                target = Some(Target::Raw(n));
            }
            Node::Atom { text, .. } if i == 0 && args.len() == 1 && number(text).is_some() => {
                let n = number(text)
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| src.err(a.pos(), "bad index"))?;
                target = Some(Target::Num(n));
            }
            Node::Atom { text, .. } if i > 0 || target.is_some() => {
                addend = number(text).ok_or_else(|| src.err(a.pos(), "bad addend"))?;
            }
            _ => return Err(src.err(a.pos(), "expected a symbol ($name or \"name\") or addend")),
        }
    }
    Ok((target, addend))
}

/// Instruction and data-word relocation annotations: `@reloc`, `@addr`, `@addr.rel`,
/// `@addr.tls`, `@funcaddr`, `@funcaddr.rel`.
pub fn reloc_spec(src: Src, name: &str, pos: usize, args: &[Node]) -> Result<RelocSpec> {
    let (kind, rest) = match name {
        "reloc" => {
            let Some(first) = args.first().and_then(atom) else {
                return Err(src.err(pos, "(@reloc TYPE TARGET [ADDEND]): missing TYPE"));
            };
            if first == "none" {
                (RelocKind::None, &args[1..])
            } else {
                let ty = reloc::by_name(first).ok_or_else(|| {
                    src.err(
                        pos,
                        format!("unknown relocation type `{first}` (use a name like memory_addr_sleb or a number 0..=26)"),
                    )
                })?;
                (RelocKind::Explicit(ty), &args[1..])
            }
        }
        "addr" => (RelocKind::Addr, args),
        "addr.rel" => (RelocKind::AddrRel, args),
        "addr.tls" => (RelocKind::AddrTls, args),
        "funcaddr" => (RelocKind::FuncAddr, args),
        "funcaddr.rel" => (RelocKind::FuncAddrRel, args),
        _ => return Err(src.err(pos, format!("`@{name}` is not a relocation annotation"))),
    };
    let (target, addend) = target_addend(src, rest)?;
    if target.is_none() && !matches!(kind, RelocKind::None) {
        return Err(src.err(pos, format!("(@{name} ...) needs a target symbol")));
    }
    Ok(RelocSpec {
        kind,
        target,
        addend,
        pos,
    })
}

/// Whether an annotation name is a relocation annotation.
pub fn is_reloc(name: &str) -> bool {
    matches!(
        name,
        "reloc" | "addr" | "addr.rel" | "addr.tls" | "funcaddr" | "funcaddr.rel"
    )
}

/// Reads one integer argument.
pub fn int_arg(src: Src, pos: usize, args: &[Node], what: &str) -> Result<i64> {
    match args {
        [Node::Atom { text, pos }] => {
            number(text).ok_or_else(|| src.err(*pos, format!("bad {what}")))
        }
        _ => Err(src.err(pos, format!("expected one number: {what}"))),
    }
}
