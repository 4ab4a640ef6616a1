//! Emulation of the two LLVM hash tables whose iteration order shows in wasm-ld's output:
//! the `--export` names, which the driver (`LinkerDriver::linkerMain`) keeps in a `StringMap`
//! and extracts archive members while iterating, and the names with signature variants,
//! which `SymbolTable::handleSymbolVariants` walks in a `DenseMap` to make the
//! `signature_mismatch:` stubs. Deterministic, but not input order: a byte-identical linker
//! has to reproduce them.
//!
//! `StringMap` (the `--export` name set): hash = low 32 bits of XXH3-64 (seed 0); 16 initial
//! buckets; quadratic probing h, h+1, h+3, h+6, ...; after an insert, when
//! `items * 4 > buckets * 3`, the table doubles and old entries are re-placed in old-bucket
//! order. Iteration walks the buckets in ascending order.
//!
//! `DenseMap<CachedHashStringRef, _>` (the signature-mismatch variants): hash = low 32 bits of
//! LLVM's `hash_value(StringRef)` ([`llvm_hash_value`], the CityHash-derived routines of the
//! pre-xxh3 `llvm/ADT/Hashing.h`); 64 buckets at the first insert; before each insert, when
//! `(entries + 1) * 4 >= buckets * 3`, the table doubles and old entries are re-placed in
//! old-bucket order; same probing; iteration in ascending bucket order.
//!
//! Both emulations are checked against rust-lld 22 by the unit tests in
//! `hash/against_rust_lld.rs`.

/// The order in which LLVM's `StringMap` iterates over `names` inserted in the given order
/// (duplicates are ignored). Names are `str` or bytes (a `StringRef` may hold any bytes).
pub fn string_map_order<'a, T: ?Sized + AsRef<[u8]> + PartialEq>(names: &[&'a T]) -> Vec<&'a T> {
    let mut buckets: Vec<Option<(u32, &'a T)>> = vec![None; 16];
    let mut items = 0usize;
    for &name in names {
        let h = xxhash_rust::xxh3::xxh3_64(name.as_ref()) as u32;
        if find(&buckets, h, name).is_some() {
            continue;
        }
        let slot = probe_free(&buckets, h);
        buckets[slot] = Some((h, name));
        items += 1;
        if items * 4 > buckets.len() * 3 {
            buckets = regrow(&buckets, buckets.len() * 2);
        }
    }
    buckets.into_iter().flatten().map(|(_, n)| n).collect()
}

/// The order in which LLVM's `DenseMap<CachedHashStringRef, _>` iterates over `names`
/// inserted in the given order (duplicates are ignored). The key hash is the low 32 bits of
/// [`llvm_hash_value`].
pub fn dense_map_order<'a>(names: &[&'a str]) -> Vec<&'a str> {
    let mut buckets: Vec<Option<(u32, &'a str)>> = Vec::new();
    let mut entries = 0usize;
    for &name in names {
        let h = llvm_hash_value(name.as_bytes()) as u32;
        if !buckets.is_empty() && find(&buckets, h, name).is_some() {
            continue;
        }
        // DenseMap grows before inserting; an empty map goes straight to 64 buckets.
        if (entries + 1) * 4 >= buckets.len() * 3 {
            let size = (buckets.len() * 2).max(64);
            buckets = regrow(&buckets, size);
        }
        let slot = probe_free(&buckets, h);
        buckets[slot] = Some((h, name));
        entries += 1;
    }
    buckets.into_iter().flatten().map(|(_, n)| n).collect()
}

/// A table of `size` buckets holding the entries of `old`, re-placed in old-bucket order.
fn regrow<'a, T: ?Sized>(old: &[Option<(u32, &'a T)>], size: usize) -> Vec<Option<(u32, &'a T)>> {
    let mut grown: Vec<Option<(u32, &'a T)>> = vec![None; size];
    for &(h, n) in old.iter().flatten() {
        let s = probe_free(&grown, h);
        grown[s] = Some((h, n));
    }
    grown
}

fn find<T: ?Sized + PartialEq>(buckets: &[Option<(u32, &T)>], h: u32, name: &T) -> Option<usize> {
    let mask = buckets.len() - 1;
    let mut i = h as usize & mask;
    let mut step = 1;
    loop {
        match buckets[i] {
            None => return None,
            Some((bh, bn)) if bh == h && bn == name => return Some(i),
            _ => {}
        }
        i = (i + step) & mask;
        step += 1;
    }
}

fn probe_free<T>(buckets: &[Option<T>], h: u32) -> usize {
    let mask = buckets.len() - 1;
    let mut i = h as usize & mask;
    let mut step = 1;
    while buckets[i].is_some() {
        i = (i + step) & mask;
        step += 1;
    }
    i
}

// ---- LLVM `hash_value(StringRef)` (CityHash-derived, pre-xxh3 Hashing.h) ----

/// The fixed execution seed of release (non ABI-breaking-checks) LLVM builds.
const SEED: u64 = 0xff51_afd7_ed55_8ccd;
const K0: u64 = 0xc3a5_c85c_97cb_3127;
const K1: u64 = 0xb492_b66f_be98_f273;
const K2: u64 = 0x9ae1_6a3b_2f90_404f;
const K3: u64 = 0xc949_d7c7_509e_6557;

/// LLVM's 64-bit `hash_value(StringRef)` of `bytes` as computed by rust-lld 22 (and LLVM
/// 17-21): `hash_short` for up to 64 bytes, the 56-byte `hash_state` mixer beyond, seed
/// `0xff51afd7ed558ccd`. Only the low 32 bits matter for `DenseMap` bucket placement.
pub fn llvm_hash_value(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    if len <= 64 {
        return hash_short(bytes, SEED);
    }
    let mut st = State::new(&bytes[..64], SEED);
    let whole = len & !63;
    let mut at = 64;
    while at != whole {
        st.mix(&bytes[at..at + 64]);
        at += 64;
    }
    if len & 63 != 0 {
        st.mix(&bytes[len - 64..]);
    }
    st.finalize(len as u64)
}

fn le64(s: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&s[at..at + 8]);
    u64::from_le_bytes(b)
}

fn le32(s: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&s[at..at + 4]);
    u64::from(u32::from_le_bytes(b))
}

fn shift_mix(v: u64) -> u64 {
    v ^ (v >> 47)
}

/// Murmur-style mix of two words.
fn mix16(low: u64, high: u64) -> u64 {
    const MUL: u64 = 0x9ddf_ea08_eb38_2d69;
    let mut a = (low ^ high).wrapping_mul(MUL);
    a ^= a >> 47;
    let mut b = (high ^ a).wrapping_mul(MUL);
    b ^= b >> 47;
    b.wrapping_mul(MUL)
}

fn hash_short(s: &[u8], seed: u64) -> u64 {
    let len = s.len();
    let n = len as u64;
    match len {
        0 => K2 ^ seed,
        1..=3 => {
            let y = u32::from(s[0]).wrapping_add(u32::from(s[len >> 1]) << 8);
            let z = (len as u32).wrapping_add(u32::from(s[len - 1]) << 2);
            shift_mix(u64::from(y).wrapping_mul(K2) ^ u64::from(z).wrapping_mul(K3) ^ seed)
                .wrapping_mul(K2)
        }
        4..=8 => mix16(n.wrapping_add(le32(s, 0) << 3), seed ^ le32(s, len - 4)),
        9..=16 => {
            let a = le64(s, 0);
            let b = le64(s, len - 8);
            mix16(seed ^ a, b.wrapping_add(n).rotate_right((len % 64) as u32)) ^ b
        }
        17..=32 => {
            let a = le64(s, 0).wrapping_mul(K1);
            let b = le64(s, 8);
            let c = le64(s, len - 8).wrapping_mul(K2);
            let d = le64(s, len - 16).wrapping_mul(K0);
            mix16(
                a.wrapping_sub(b)
                    .rotate_right(43)
                    .wrapping_add((c ^ seed).rotate_right(30))
                    .wrapping_add(d),
                a.wrapping_add((b ^ K3).rotate_right(20))
                    .wrapping_sub(c)
                    .wrapping_add(n)
                    .wrapping_add(seed),
            )
        }
        _ => {
            let mut z = le64(s, 24);
            let mut a = le64(s, 0).wrapping_add(n.wrapping_add(le64(s, len - 16)).wrapping_mul(K0));
            let mut b = a.wrapping_add(z).rotate_right(52);
            let mut c = a.rotate_right(37);
            a = a.wrapping_add(le64(s, 8));
            c = c.wrapping_add(a.rotate_right(7));
            a = a.wrapping_add(le64(s, 16));
            let vf = a.wrapping_add(z);
            let vs = b.wrapping_add(a.rotate_right(31)).wrapping_add(c);
            a = le64(s, 16).wrapping_add(le64(s, len - 32));
            z = le64(s, len - 8);
            b = a.wrapping_add(z).rotate_right(52);
            c = a.rotate_right(37);
            a = a.wrapping_add(le64(s, len - 24));
            c = c.wrapping_add(a.rotate_right(7));
            a = a.wrapping_add(le64(s, len - 16));
            let wf = a.wrapping_add(z);
            let ws = b.wrapping_add(a.rotate_right(31)).wrapping_add(c);
            let r = shift_mix(
                vf.wrapping_add(ws)
                    .wrapping_mul(K2)
                    .wrapping_add(wf.wrapping_add(vs).wrapping_mul(K0)),
            );
            shift_mix((seed ^ r.wrapping_mul(K0)).wrapping_add(vs)).wrapping_mul(K2)
        }
    }
}

/// The 56-byte mixing state used for inputs longer than 64 bytes.
struct State {
    h: [u64; 7],
}

impl State {
    fn new(first: &[u8], seed: u64) -> State {
        let h4 = seed.wrapping_mul(K1);
        let h5 = shift_mix(seed);
        let mut st = State {
            h: [
                0,
                seed,
                mix16(seed, K1),
                (seed ^ K1).rotate_right(49),
                h4,
                h5,
                mix16(h4, h5),
            ],
        };
        st.mix(first);
        st
    }

    /// Folds 32 bytes of `s` into the pair (`a`, `b`).
    fn mix32(s: &[u8], a: &mut u64, b: &mut u64) {
        *a = a.wrapping_add(le64(s, 0));
        let c = le64(s, 24);
        *b = b.wrapping_add(*a).wrapping_add(c).rotate_right(21);
        let d = *a;
        *a = a.wrapping_add(le64(s, 8)).wrapping_add(le64(s, 16));
        *b = b.wrapping_add(a.rotate_right(44)).wrapping_add(d);
        *a = a.wrapping_add(c);
    }

    /// Mixes one 64-byte chunk.
    fn mix(&mut self, s: &[u8]) {
        let [mut h0, mut h1, mut h2, mut h3, mut h4, mut h5, mut h6] = self.h;
        h0 = h0
            .wrapping_add(h1)
            .wrapping_add(h3)
            .wrapping_add(le64(s, 8))
            .rotate_right(37)
            .wrapping_mul(K1);
        h1 = h1
            .wrapping_add(h4)
            .wrapping_add(le64(s, 48))
            .rotate_right(42)
            .wrapping_mul(K1);
        h0 ^= h6;
        h1 = h1.wrapping_add(h3).wrapping_add(le64(s, 40));
        h2 = h2.wrapping_add(h5).rotate_right(33).wrapping_mul(K1);
        h3 = h4.wrapping_mul(K1);
        h4 = h0.wrapping_add(h5);
        Self::mix32(&s[..32], &mut h3, &mut h4);
        h5 = h2.wrapping_add(h6);
        h6 = h1.wrapping_add(le64(s, 16));
        Self::mix32(&s[32..], &mut h5, &mut h6);
        self.h = [h2, h1, h0, h3, h4, h5, h6];
    }

    fn finalize(&self, length: u64) -> u64 {
        let [h0, h1, h2, h3, h4, h5, h6] = self.h;
        mix16(
            mix16(h3, h5)
                .wrapping_add(shift_mix(h1).wrapping_mul(K1))
                .wrapping_add(h2),
            mix16(h4, h6)
                .wrapping_add(shift_mix(length).wrapping_mul(K1))
                .wrapping_add(h0),
        )
    }
}

#[cfg(test)]
mod tests {
    //! Expected values were printed by a small C++ program calling LLVM 19.1's own
    //! `hash_value(StringRef)`, `xxh3_64bits`, `DenseMap<CachedHashStringRef, int>` and
    //! `StringMap<int>` (libLLVM-19 of this machine, a release build with the fixed seed).
    use super::*;

    fn join(v: &[&str]) -> String {
        v.join(" ")
    }

    #[test]
    fn hash_value_matches_llvm_for_every_length_class() {
        let x128 = "x".repeat(128);
        let y200 = "y".repeat(200);
        let cases: &[(&str, u64)] = &[
            ("", 0x65b0c5ecc2c5cc82),
            ("a", 0xaeb6f9d5517c61f8),
            ("ab", 0x7ab1edb96be496b4),
            ("abc", 0xe38e60bf19c71a3f),
            ("abcd", 0x6bbfd27d34c9023c),
            ("main_func", 0xda91ca948da6be1d),
            ("abcdefghi", 0xb03630898b830f7c),
            ("__wasm_call_ctors", 0xc744a4299525209c),
            ("signature_mismatch_helper_17b", 0x01032d4d6167376c),
            ("a_name_that_is_exactly_thirty_three", 0x27687c11ba1219c6),
            (
                "this_function_name_is_quite_long_and_spans_more_than_32_bytes_x",
                0x6c2201c9b7636734,
            ),
            (
                "an_identifier_longer_than_sixty_four_bytes_so_that_the_hash_state_path_runs",
                0x705297ca0afefb40,
            ),
            (&x128, 0xf99ecd66e7afbe10),
            (&y200, 0x15faef02f74a551a),
        ];
        for &(s, want) in cases {
            assert_eq!(
                llvm_hash_value(s.as_bytes()),
                want,
                "hash_value({s:?}) (len {})",
                s.len()
            );
        }
    }

    #[test]
    fn xxh3_matches_llvm() {
        assert_eq!(xxhash_rust::xxh3::xxh3_64(b"a"), 0xe6c632b61e964e1f);
        assert_eq!(
            xxhash_rust::xxh3::xxh3_64(b"__wasm_call_ctors"),
            0x0bb0a4019e03a181
        );
    }

    const GREEK: [&str; 10] = [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    ];

    #[test]
    fn dense_map_small() {
        assert_eq!(
            join(&dense_map_order(&GREEK)),
            "gamma zeta eta epsilon iota delta kappa beta theta alpha"
        );
    }

    #[test]
    fn string_map_small() {
        assert_eq!(
            join(&string_map_order(&GREEK)),
            "delta beta kappa eta gamma iota epsilon alpha zeta theta"
        );
    }

    #[test]
    fn dense_map_grows_past_64_buckets() {
        let owned: Vec<String> = (0..60).map(|i| format!("fn{i}")).collect();
        let names: Vec<&str> = owned.iter().map(String::as_str).collect();
        assert_eq!(
            join(&dense_map_order(&names)),
            "fn4 fn46 fn22 fn58 fn27 fn24 fn15 fn21 fn14 fn33 fn34 fn37 fn52 fn32 fn50 fn30 \
             fn42 fn23 fn48 fn53 fn45 fn8 fn38 fn59 fn10 fn54 fn2 fn56 fn35 fn57 fn51 fn25 fn6 \
             fn44 fn26 fn13 fn55 fn18 fn9 fn29 fn16 fn47 fn17 fn1 fn7 fn28 fn31 fn12 fn19 fn43 \
             fn3 fn49 fn39 fn11 fn5 fn40 fn41 fn0 fn36 fn20"
        );
    }

    #[test]
    fn string_map_grows_past_16_buckets() {
        let owned: Vec<String> = (0..30).map(|i| format!("e{i}")).collect();
        let names: Vec<&str> = owned.iter().map(String::as_str).collect();
        assert_eq!(
            join(&string_map_order(&names)),
            "e23 e16 e22 e24 e27 e9 e11 e20 e15 e12 e5 e19 e18 e8 e3 e10 e28 e21 e7 e14 e6 e0 \
             e13 e1 e17 e2 e4 e29 e25 e26"
        );
    }

    #[test]
    fn duplicates_are_ignored() {
        let names = ["b", "a", "b", "c", "a"];
        assert_eq!(dense_map_order(&names).len(), 3);
        assert_eq!(string_map_order(&names).len(), 3);
        assert_eq!(dense_map_order(&names), dense_map_order(&["b", "a", "c"]));
        assert_eq!(string_map_order(&names), string_map_order(&["b", "a", "c"]));
    }
}

#[cfg(test)]
mod against_rust_lld;
