//! Typed indices. Each index space the linker keeps in a flat vector has its own `u32`
//! newtype with a private field: an object number cannot be used as a symbol number by
//! mistake, and the conversion to a vector position is written once, here.

use std::fmt;

/// Declares an index newtype: `new` from a vector position, `index` back to one.
macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident, $debug:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u32);

        impl $name {
            /// The index of position `i` of its vector. Every index space is smaller than
            /// the input it comes from, which is smaller than 4 GiB.
            pub fn new(i: usize) -> $name {
                $name(u32::try_from(i).expect(concat!(stringify!($name), " overflows u32")))
            }

            /// Its position in its vector.
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// Every index of a vector of `len` elements, in order.
            #[allow(dead_code, reason = "not every index space is walked whole")]
            pub fn all(len: usize) -> impl Iterator<Item = $name> {
                (0..len).map($name::new)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($debug, "#{}"), self.0)
            }
        }
    };
}

index_type!(
    /// A loaded object, in object order (`Resolved::objects`).
    ObjectId,
    "obj"
);

impl ObjectId {
    /// No object: the "file" of an undefined symbol the linker itself adds (`--wrap`'s
    /// `__real_`/`__wrap_` names; lld's file-less `addUndefinedFunction`), which diagnostics
    /// name `<internal>`. Far above any object count and below the provisional ids of
    /// objects being loaded (counted down from `u32::MAX`).
    pub const NONE: ObjectId = ObjectId(u32::MAX / 2);
}

index_type!(
    /// A slot of the global symbol table, in order of first insertion (`Resolved::symbols`).
    SymbolId,
    "sym"
);
