//! Layout step: the tag section (exception handling). Live defined tags in object order,
//! after the imported ones; their types are registered after the defined functions'.

use super::imports::Imports;
use super::{defined_element, Target, TypeTable};
use crate::bail;
use crate::error::Result;
use crate::gc::Live;
use crate::resolve::{ObjectId, Resolved};

/// The tag index space.
pub struct TagSpace {
    pub num_imported: u32,
    /// Defined tags: their output type indices.
    pub defined: Vec<u32>,
    /// Per object, per defined tag: its output index.
    pub of_object: Vec<Vec<Option<u32>>>,
    /// Per global symbol: its index when imported.
    pub of_symbol: Vec<Option<u32>>,
}

impl TagSpace {
    /// The output tag index of `t`, if it has one.
    pub fn index(&self, res: &Resolved, t: Target) -> Option<u32> {
        match t {
            Target::Defined(o, i) => {
                let d = defined_element(res, o, i)?;
                self.of_object[o.index()].get(d).copied().flatten()
            }
            Target::Undefined(id) => self.of_symbol[id.index()],
            Target::Synthetic(_) | Target::MismatchStub(_) => None,
        }
    }
}

/// Lays out the live defined tags and registers their types.
pub fn layout_tags(
    res: &Resolved,
    live: &Live,
    imports: &mut Imports,
    types: &mut TypeTable,
) -> Result<TagSpace> {
    let mut space = TagSpace {
        num_imported: imports.tags,
        defined: Vec::new(),
        of_object: super::per_object(res, |o| o.tags.len()),
        of_symbol: std::mem::take(&mut imports.tag_of_symbol),
    };
    for (oi, o) in res.objects.iter().enumerate() {
        for (t, &ty) in o.obj.tags.iter().enumerate() {
            if !live.tags[oi][t] {
                continue;
            }
            if o.obj.types.get(ty as usize).is_none() {
                bail!("{}: tag {t} has type index {ty} out of range", o.name);
            }
            let out_ty = types.register_object_type(res, ObjectId::new(oi), ty);
            space.of_object[oi][t] = Some(space.num_imported + space.defined.len() as u32);
            space.defined.push(out_ty);
        }
    }
    Ok(space)
}
