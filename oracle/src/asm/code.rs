//! Rewriting one function body for a relocatable object: every index immediate (function,
//! type, global, table, tag) and every annotated address immediate becomes a padded LEB with a
//! relocation entry, exactly where clang/llvm-mc put them; all other bytes are copied as they
//! are. Only the immediates are re-encoded, never the instructions around them.

use super::reloc::{self, Site};
use anyhow::Result;
use touchstone_format::leb;
use wasmparser::Operator;

/// One immediate inside an instruction that a relocation can patch.
#[derive(Clone, Debug)]
pub struct SiteLoc {
    /// Byte range inside the instruction.
    pub start: usize,
    pub end: usize,
    pub class: Site,
    /// The value the text gave (index, constant or offset).
    pub value: i64,
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn byte(&mut self) -> Result<u8> {
        let v = *self
            .b
            .get(self.pos)
            .ok_or_else(|| anyhow::anyhow!("truncated instruction"))?;
        self.pos += 1;
        Ok(v)
    }

    fn uleb(&mut self) -> Result<(u64, usize, usize)> {
        let start = self.pos;
        let (v, n) = leb::read_u64(self.b, start)
            .ok_or_else(|| anyhow::anyhow!("truncated or overlong LEB128 in an instruction"))?;
        self.pos += n;
        Ok((v, start, self.pos))
    }

    fn sleb(&mut self) -> Result<(i64, usize, usize)> {
        let start = self.pos;
        let (v, n) = leb::read_i64(self.b, start)
            .ok_or_else(|| anyhow::anyhow!("truncated or overlong LEB128 in an instruction"))?;
        self.pos += n;
        Ok((v, start, self.pos))
    }

    fn site_u(&mut self, class: Site, out: &mut Vec<SiteLoc>) -> Result<()> {
        let (v, start, end) = self.uleb()?;
        out.push(SiteLoc {
            start,
            end,
            class,
            value: v as i64,
        });
        Ok(())
    }

    fn block_type(&mut self, out: &mut Vec<SiteLoc>) -> Result<()> {
        let (v, start, end) = self.sleb()?;
        if v >= 0 {
            out.push(SiteLoc {
                start,
                end,
                class: Site::Type,
                value: v,
            });
        }
        Ok(())
    }
}

/// Finds the relocatable immediates of one instruction (`bytes` is the whole instruction).
pub fn sites(op: &Operator, bytes: &[u8]) -> Result<Vec<SiteLoc>> {
    let mut c = Cursor { b: bytes, pos: 0 };
    let mut out = Vec::new();
    match op {
        Operator::Call { .. } | Operator::ReturnCall { .. } | Operator::RefFunc { .. } => {
            c.byte()?;
            c.site_u(Site::Func, &mut out)?;
        }
        Operator::CallIndirect { .. } | Operator::ReturnCallIndirect { .. } => {
            c.byte()?;
            c.site_u(Site::Type, &mut out)?;
            c.site_u(Site::Table, &mut out)?;
        }
        Operator::GlobalGet { .. } | Operator::GlobalSet { .. } => {
            c.byte()?;
            c.site_u(Site::Global, &mut out)?;
        }
        Operator::TableGet { .. } | Operator::TableSet { .. } => {
            c.byte()?;
            c.site_u(Site::Table, &mut out)?;
        }
        Operator::TableSize { .. } | Operator::TableGrow { .. } | Operator::TableFill { .. } => {
            c.byte()?;
            c.uleb()?;
            c.site_u(Site::Table, &mut out)?;
        }
        Operator::TableCopy { .. } => {
            c.byte()?;
            c.uleb()?;
            c.site_u(Site::Table, &mut out)?;
            c.site_u(Site::Table, &mut out)?;
        }
        Operator::TableInit { .. } => {
            c.byte()?;
            c.uleb()?;
            c.uleb()?;
            c.site_u(Site::Table, &mut out)?;
        }
        Operator::Throw { .. } | Operator::Catch { .. } => {
            c.byte()?;
            c.site_u(Site::Tag, &mut out)?;
        }
        Operator::Block { .. }
        | Operator::Loop { .. }
        | Operator::If { .. }
        | Operator::Try { .. } => {
            c.byte()?;
            c.block_type(&mut out)?;
        }
        Operator::TryTable { .. } => {
            c.byte()?;
            c.block_type(&mut out)?;
            let (n, _, _) = c.uleb()?;
            for _ in 0..n {
                let kind = c.byte()?;
                if kind == 0 || kind == 1 {
                    c.site_u(Site::Tag, &mut out)?;
                }
                c.uleb()?;
            }
        }
        Operator::I32Const { .. } | Operator::I64Const { .. } => {
            c.byte()?;
            let (v, start, end) = c.sleb()?;
            let class = if matches!(op, Operator::I32Const { .. }) {
                Site::Const32
            } else {
                Site::Const64
            };
            out.push(SiteLoc {
                start,
                end,
                class,
                value: v,
            });
        }
        _ => {
            if has_memarg(bytes)? {
                let first = c.byte()?;
                if first >= 0xfc {
                    c.uleb()?;
                }
                let (align, _, _) = c.uleb()?;
                if align & 0x40 != 0 {
                    c.uleb()?;
                }
                c.site_u(Site::MemOffset, &mut out)?;
            }
        }
    }
    Ok(out)
}

/// Whether the instruction's immediates start with a memarg (loads, stores, SIMD and atomic
/// memory accesses).
fn has_memarg(bytes: &[u8]) -> Result<bool> {
    let Some(&first) = bytes.first() else {
        return Ok(false);
    };
    if (0x28..=0x3e).contains(&first) {
        return Ok(true);
    }
    if first == 0xfd || first == 0xfe {
        let mut c = Cursor { b: bytes, pos: 1 };
        let (sub, _, _) = c.uleb()?;
        return Ok(if first == 0xfd {
            sub <= 11 || (84..=93).contains(&sub)
        } else {
            sub <= 2 || (0x10..=0x4e).contains(&sub)
        });
    }
    Ok(false)
}

/// A relocation chosen for one site of an instruction.
#[derive(Clone, Debug)]
pub struct SiteReloc {
    pub site: usize,
    pub ty: u8,
    /// Symbol index (type index for TYPE_INDEX_LEB).
    pub index: u32,
    pub addend: i64,
    /// The value to store in the padded field.
    pub value: i64,
}

/// Re-encodes one instruction with the given relocations; returns the new bytes and each
/// relocation with its offset inside the new bytes, in offset order.
pub fn rewrite(
    bytes: &[u8],
    sites: &[SiteLoc],
    relocs: &[SiteReloc],
) -> (Vec<u8>, Vec<(usize, SiteReloc)>) {
    let mut order: Vec<&SiteReloc> = relocs.iter().collect();
    order.sort_by_key(|r| sites[r.site].start);
    let mut out = Vec::with_capacity(bytes.len() + 10);
    let mut placed = Vec::new();
    let mut pos = 0;
    for r in order {
        let s = &sites[r.site];
        out.extend_from_slice(&bytes[pos..s.start]);
        placed.push((out.len(), r.clone()));
        reloc::encode(r.ty, r.value, &mut out);
        pos = s.end;
    }
    out.extend_from_slice(&bytes[pos..]);
    (out, placed)
}
