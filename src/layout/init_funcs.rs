//! Layout step: the init functions `__wasm_call_ctors` calls, in order (lld
//! `Writer::calculateInitFunctions`): every `WASM_INIT_FUNCS` entry of every live object whose
//! function survived GC and COMDAT selection, stable-sorted by priority, so that entries of
//! equal priority keep object order and, within an object, their order in the section.

use super::{defined_element, Target};
use crate::bail;
use crate::error::Result;
use crate::gc::Live;
use crate::object::SymbolKind;
use crate::resolve::{ObjectId, Resolved};

/// An init function: symbol `symbol` of `object`.
pub type InitFunc = (ObjectId, u32);

/// The live init functions, in call order. An entry that names a non-function symbol, or no
/// symbol, is an error naming the object.
pub fn collect_init_funcs(res: &Resolved, live: &Live) -> Result<Vec<InitFunc>> {
    let mut all: Vec<(u32, ObjectId, u32)> = Vec::new();
    for (oi, o) in res.objects.iter().enumerate() {
        if !live.objects[oi] {
            continue;
        }
        let oid = ObjectId::new(oi);
        for init in &o.obj.init_funcs {
            let Some(sym) = o.obj.symbols.get(init.symbol as usize) else {
                bail!(
                    "{}: init function symbol index {} out of range",
                    o.name,
                    init.symbol
                );
            };
            if sym.kind != SymbolKind::Function {
                bail!("{}: init function '{}' is not a function", o.name, sym.name);
            }
            if is_live_function(res, live, res.target(oid, init.symbol)) {
                all.push((init.priority, oid, init.symbol));
            }
        }
    }
    all.sort_by_key(|(p, _, _)| *p);
    Ok(all.into_iter().map(|(_, o, s)| (o, s)).collect())
}

/// Whether `t` is a defined function that survived GC (dead and COMDAT-discarded ones did not).
fn is_live_function(res: &Resolved, live: &Live, t: Target) -> bool {
    let Target::Defined(d, i) = t else {
        return false;
    };
    defined_element(res, d, i).is_some_and(|f| live.functions[d.index()][f])
}
