//! Layout step: the type section. Function types are deduplicated in the order they are first
//! registered, which is wasm-ld's `Writer::calculateTypes` order: types named by
//! `TYPE_INDEX_LEB` relocations during the relocation scan, then imported functions' and
//! tags' signatures in import order, then defined functions' in function order, then defined
//! tags'. Each step registers its own types here; this file only keeps the table.

use super::functions::OutFunction;
use crate::object::FuncType;
use crate::resolve::{ObjectId, Resolved};
use rustc_hash::FxHashMap as HashMap;

/// The output's function types, deduplicated in registration order, and each input type's
/// output index once something registered it.
pub struct TypeTable {
    pub types: Vec<FuncType>,
    map: HashMap<FuncType, u32>,
    /// Per object: object type index -> output type index (registered ones).
    pub of_object: Vec<Vec<Option<u32>>>,
}

impl TypeTable {
    pub fn new(res: &Resolved) -> TypeTable {
        TypeTable {
            types: Vec::new(),
            map: HashMap::default(),
            of_object: super::per_object(res, |o| o.types.len()),
        }
    }

    /// The output index of `t`, added at the end when it is new.
    pub fn intern(&mut self, t: &FuncType) -> u32 {
        if let Some(&i) = self.map.get(t) {
            return i;
        }
        let i = self.types.len() as u32;
        self.types.push(t.clone());
        self.map.insert(t.clone(), i);
        i
    }

    /// Registers type `ty` of object `o` (already checked to be in range) and returns its
    /// output index.
    pub fn register_object_type(&mut self, res: &Resolved, o: ObjectId, ty: u32) -> u32 {
        if let Some(t) = self.of_object[o.index()][ty as usize] {
            return t;
        }
        let t = self.intern(&res.object(o).obj.types[ty as usize]);
        self.of_object[o.index()][ty as usize] = Some(t);
        t
    }

    /// Registers the defined functions' types in function order (linker-made functions take
    /// their signature's type).
    pub fn register_functions(&mut self, res: &Resolved, functions: &mut [OutFunction]) {
        for f in functions.iter_mut() {
            match f {
                OutFunction::Object { object, index } => {
                    let ti = res.object(*object).obj.functions[*index as usize].type_index;
                    self.register_object_type(res, *object, ti);
                }
                OutFunction::Synthetic {
                    sig, type_index, ..
                } => *type_index = self.intern(sig),
            }
        }
    }
}
