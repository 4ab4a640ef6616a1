//! Patched relocation sites read back, with wasmparser (an independent reader), as the value
//! written at the relocation's width, for every relocation type; and the bytes around the site
//! are left alone.

use proptest::prelude::*;
use touchstone_format::reloc::RelocType;

/// Reads back a patched site the way a consumer of the output would, with wasmparser,
/// choosing the reader from the type's name alone (Linking.md's naming: `_LEB` unsigned,
/// `_SLEB` signed, `_I32`/`_I64` words, `64` for the wide forms), not from the table.
fn read_back(ty: RelocType, site: &[u8]) -> Result<u64, String> {
    let mut r = wasmparser::BinaryReader::new(site, 0);
    let e = |e: wasmparser::BinaryReaderError| e.to_string();
    let name = ty.name();
    Ok(if name.ends_with("_SLEB") {
        r.read_var_i32().map_err(e)? as u32 as u64
    } else if name.ends_with("_SLEB64") {
        r.read_var_i64().map_err(e)? as u64
    } else if name.ends_with("_LEB") {
        r.read_var_u32().map_err(e)? as u64
    } else if name.ends_with("_LEB64") {
        r.read_var_u64().map_err(e)?
    } else if name.ends_with("_I64") {
        u64::from_le_bytes(site.try_into().map_err(|_| "not 8 bytes".to_string())?)
    } else {
        assert!(name.ends_with("_I32"), "{name}");
        u32::from_le_bytes(site.try_into().map_err(|_| "not 4 bytes".to_string())?) as u64
    })
}

/// The value a site of this type can hold (what `patch` keeps of `v`).
fn representable(ty: RelocType, v: u64) -> u64 {
    match ty.width() {
        5 | 4 => v as u32 as u64,
        _ => v,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn patched_sites_round_trip_for_every_relocation_width(
        code in 0u8..=26,
        v in prop_oneof![any::<u64>(), any::<u32>().prop_map(u64::from), (0u64..300),
                         any::<i32>().prop_map(|x| x as i64 as u64)],
        before in proptest::collection::vec(any::<u8>(), 0..8),
        after in proptest::collection::vec(any::<u8>(), 0..8),
    ) {
        let ty = RelocType::from_u8(code).expect("relocation types 0..=26 exist");
        let w = ty.width();
        let mut buf = before.clone();
        buf.extend(std::iter::repeat_n(0xaau8, w));
        buf.extend(&after);
        ty.patch(&mut buf, before.len(), v);
        prop_assert_eq!(&buf[..before.len()], &before[..], "bytes before the site changed");
        prop_assert_eq!(&buf[before.len() + w..], &after[..], "bytes after the site changed");
        let site = &buf[before.len()..before.len() + w];
        let got = read_back(ty, site).map_err(TestCaseError::fail)?;
        prop_assert_eq!(got, representable(ty, v), "{:?} site {:02x?}", ty, site);
        if w == 5 || w == 10 {
            // Padded: every byte but the last has the continuation bit.
            prop_assert!(site[..w - 1].iter().all(|b| b & 0x80 != 0) && site[w - 1] & 0x80 == 0);
        }
    }
}
