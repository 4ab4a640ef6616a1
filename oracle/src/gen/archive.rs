//! A GNU `ar` archive writer for generated programs: a `/` symbol index (big-endian count,
//! member header offsets, NUL-terminated names, as llvm-ar writes it), then each member with a
//! 60-byte header, padded to an even size. Member names are short (`m0.o`), so no long-name
//! table is needed.

/// Builds an archive of `members` (name, bytes, defined global symbol names), in order.
pub fn write(members: &[(String, Vec<u8>, Vec<String>)]) -> Vec<u8> {
    let symbols: usize = members.iter().map(|m| m.2.len()).sum();
    let names_len: usize = members
        .iter()
        .flat_map(|m| m.2.iter())
        .map(|s| s.len() + 1)
        .sum();
    let mut index_size = 4 + 4 * symbols + names_len;
    index_size += index_size % 2;
    // Offsets of the member headers: after the magic, the index header and the index.
    let mut offsets = Vec::with_capacity(members.len());
    let mut at = 8 + 60 + index_size;
    for (_, bytes, _) in members {
        offsets.push(at);
        at += 60 + bytes.len() + bytes.len() % 2;
    }
    let mut out = b"!<arch>\n".to_vec();
    let mut index = Vec::with_capacity(index_size);
    index.extend_from_slice(&(symbols as u32).to_be_bytes());
    for (m, off) in members.iter().zip(&offsets) {
        for _ in &m.2 {
            index.extend_from_slice(&(*off as u32).to_be_bytes());
        }
    }
    for s in members.iter().flat_map(|m| m.2.iter()) {
        index.extend_from_slice(s.as_bytes());
        index.push(0);
    }
    if index.len() % 2 == 1 {
        index.push(0);
    }
    header(&mut out, "/", index.len());
    out.extend_from_slice(&index);
    for (name, bytes, _) in members {
        header(&mut out, &format!("{name}/"), bytes.len());
        out.extend_from_slice(bytes);
        if bytes.len() % 2 == 1 {
            out.push(b'\n');
        }
    }
    out
}

fn header(out: &mut Vec<u8>, name: &str, size: usize) {
    let field = |out: &mut Vec<u8>, s: &str, width: usize| {
        out.extend_from_slice(s.as_bytes());
        out.extend(std::iter::repeat_n(b' ', width.saturating_sub(s.len())));
    };
    field(out, name, 16);
    field(out, "0", 12);
    field(out, "0", 6);
    field(out, "0", 6);
    field(out, "644", 8);
    field(out, &size.to_string(), 10);
    out.extend_from_slice(b"`\n");
}

#[cfg(test)]
mod tests {
    #[test]
    fn members_read_back() {
        let a = super::write(&[
            (
                "a.o".into(),
                b"\0asmabc".to_vec(),
                vec!["f".into(), "g".into()],
            ),
            ("b.o".into(), b"\0asm".to_vec(), vec![]),
        ]);
        // Read back with an independent reader (the `object` crate).
        let archive = object::read::archive::ArchiveFile::parse(&a[..]).unwrap();
        let got: Vec<(Vec<u8>, Vec<u8>)> = archive
            .members()
            .map(|m| {
                let m = m.unwrap();
                (m.name().to_vec(), m.data(&a[..]).unwrap().to_vec())
            })
            .collect();
        assert_eq!(
            got,
            [
                (b"a.o".to_vec(), b"\0asmabc".to_vec()),
                (b"b.o".to_vec(), b"\0asm".to_vec())
            ]
        );
        let index: Vec<(Vec<u8>, u64)> = archive
            .symbols()
            .unwrap()
            .unwrap()
            .map(|s| {
                let s = s.unwrap();
                (s.name().to_vec(), s.offset().0)
            })
            .collect();
        let names: Vec<&[u8]> = index.iter().map(|s| &s.0[..]).collect();
        assert_eq!(names, [&b"f"[..], b"g"]);
        assert_eq!(
            index[0].1, index[1].1,
            "both symbols are in the first member"
        );
    }
}
