//! Deliberate damage to a correct linker's output, to prove the oracle notices it
//! (`touchstone mutate KIND IN OUT`, used by the mutant linkers in oracle/tests/mutants.rs).
//! Each mutation rewrites one section of the module and keeps it valid:
//! - `drop-export`: removes the last export;
//! - `data-byte`: flips the low bit of the first byte of the first non-empty data segment;
//! - `swap-bodies`: swaps the bodies of the first two defined functions of the same type;
//! - `swap-table`: swaps the first two entries of the first element segment.

use anyhow::{anyhow, bail, Context as _};
use touchstone_format::leb;
use wasmparser::{ElementItems, ElementKind, Parser, Payload};

/// The mutation names.
pub const KINDS: [&str; 4] = ["drop-export", "data-byte", "swap-bodies", "swap-table"];

/// Offset of `inner` within `outer` (a sub-slice of it).
fn offset_in(outer: &[u8], inner: &[u8]) -> anyhow::Result<usize> {
    let (o, i) = (outer.as_ptr() as usize, inner.as_ptr() as usize);
    if i < o || i + inner.len() > o + outer.len() {
        bail!("slice is not inside the module");
    }
    Ok(i - o)
}

/// Replaces the body of the section with id `id` by `body`.
fn replace_section(wasm: &[u8], id: u8, body: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = wasm[..8].to_vec();
    let mut found = false;
    for p in Parser::new(0).parse_all(wasm) {
        let p = p?;
        let Some((sid, range)) = p.as_section() else {
            continue;
        };
        let range = range.start as usize..range.end as usize;
        if sid == id && !found {
            found = true;
            out.push(id);
            leb::write_u64(&mut out, body.len() as u64);
            out.extend_from_slice(body);
        } else {
            out.push(sid);
            leb::write_u64(&mut out, range.len() as u64);
            out.extend_from_slice(&wasm[range.clone()]);
        }
    }
    if !found {
        bail!("the module has no section {id}");
    }
    Ok(out)
}

/// Applies mutation `kind` to `wasm`.
pub fn mutate(kind: &str, wasm: &[u8]) -> anyhow::Result<Vec<u8>> {
    match kind {
        "drop-export" => {
            for p in Parser::new(0).parse_all(wasm) {
                if let Payload::ExportSection(r) = p? {
                    let exports: Vec<_> = r.into_iter().collect::<Result<_, _>>()?;
                    let keep = &exports[..exports.len().saturating_sub(1)];
                    let mut body = Vec::new();
                    leb::write_u64(&mut body, keep.len() as u64);
                    for e in keep {
                        leb::write_u64(&mut body, e.name.len() as u64);
                        body.extend_from_slice(e.name.as_bytes());
                        body.push(match e.kind {
                            wasmparser::ExternalKind::Func
                            | wasmparser::ExternalKind::FuncExact => 0,
                            wasmparser::ExternalKind::Table => 1,
                            wasmparser::ExternalKind::Memory => 2,
                            wasmparser::ExternalKind::Global => 3,
                            wasmparser::ExternalKind::Tag => 4,
                        });
                        leb::write_u64(&mut body, e.index as u64);
                    }
                    return replace_section(wasm, 7, &body);
                }
            }
            bail!("the module has no exports")
        }
        "data-byte" => {
            for p in Parser::new(0).parse_all(wasm) {
                if let Payload::DataSection(r) = p? {
                    for d in r {
                        let d = d?;
                        if !d.data.is_empty() {
                            let at = offset_in(wasm, d.data)?;
                            let mut out = wasm.to_vec();
                            out[at] ^= 1;
                            return Ok(out);
                        }
                    }
                }
            }
            bail!("the module has no non-empty data segment")
        }
        "swap-bodies" => {
            let mut types = Vec::new();
            let mut bodies = Vec::new();
            let mut code_range = None;
            for p in Parser::new(0).parse_all(wasm) {
                match p? {
                    Payload::FunctionSection(r) => {
                        types = r.into_iter().collect::<Result<Vec<u32>, _>>()?
                    }
                    Payload::CodeSectionStart { .. } => code_range = Some(()),
                    Payload::CodeSectionEntry(b) => {
                        let r = b.range();
                        bodies.push(r.start as usize..r.end as usize)
                    }
                    _ => {}
                }
            }
            code_range.ok_or_else(|| anyhow!("the module has no code"))?;
            let (i, j) = (0..types.len())
                .find_map(|i| {
                    ((i + 1)..types.len())
                        .find(|&j| types[j] == types[i])
                        .map(|j| (i, j))
                })
                .ok_or_else(|| anyhow!("no two defined functions share a type"))?;
            let mut order: Vec<usize> = (0..bodies.len()).collect();
            order.swap(i, j);
            let mut body = Vec::new();
            leb::write_u64(&mut body, bodies.len() as u64);
            for k in order {
                let r = &bodies[k];
                leb::write_u64(&mut body, r.len() as u64);
                body.extend_from_slice(&wasm[r.clone()]);
            }
            replace_section(wasm, 10, &body)
        }
        "swap-table" => {
            for p in Parser::new(0).parse_all(wasm) {
                if let Payload::ElementSection(r) = p? {
                    let elems: Vec<_> = r.into_iter().collect::<Result<_, _>>()?;
                    let mut body = Vec::new();
                    leb::write_u64(&mut body, elems.len() as u64);
                    let mut swapped = false;
                    for e in &elems {
                        let (
                            ElementKind::Active {
                                table_index,
                                offset_expr,
                            },
                            ElementItems::Functions(items),
                        ) = (&e.kind, &e.items)
                        else {
                            bail!("only active function-index element segments can be mutated");
                        };
                        let mut funcs: Vec<u32> =
                            items.clone().into_iter().collect::<Result<_, _>>()?;
                        if !swapped && funcs.len() >= 2 {
                            funcs.swap(0, 1);
                            swapped = true;
                        }
                        match table_index {
                            None | Some(0) => body.push(0),
                            Some(t) => {
                                body.push(2);
                                leb::write_u64(&mut body, *t as u64);
                            }
                        }
                        let mut rd = offset_expr.get_binary_reader();
                        let expr = rd.read_bytes(rd.bytes_remaining())?;
                        body.extend_from_slice(expr);
                        if table_index.is_some_and(|t| t != 0) {
                            body.push(0); // elemkind funcref
                        }
                        leb::write_u64(&mut body, funcs.len() as u64);
                        for f in funcs {
                            leb::write_u64(&mut body, f as u64);
                        }
                    }
                    if !swapped {
                        bail!("no element segment has two entries");
                    }
                    return replace_section(wasm, 9, &body);
                }
            }
            bail!("the module has no element section")
        }
        other => bail!("unknown mutation `{other}` (one of {})", KINDS.join(", ")),
    }
    .with_context(|| format!("mutation {kind}"))
}
