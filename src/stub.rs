//! Stub libraries: text files that begin with `#STUB`, standing for a shared library whose
//! symbols the embedder provides (wasm-ld's `StubFile`, documented in lld's
//! `docs/WebAssembly.rst`). Each line names a symbol the library provides, optionally with
//! the symbols it needs from the module (`foo: dep1,dep2`); `#` starts a comment line.
//! Resolution (`resolve::Resolver::process_stub_libraries`) imports each provided symbol
//! the program leaves undefined and exports its dependencies.

/// One stub library as wasm-ld reads it.
pub struct StubLibrary<'data> {
    /// The file name, as diagnostics print it.
    pub name: String,
    /// Each provided symbol with its dependencies, in the iteration order of the `DenseMap`
    /// wasm-ld keeps them in (`StubFile::symbolDependencies`), which shows in the order of
    /// its diagnostics and of the members it extracts.
    pub symbols: Vec<(&'data str, Vec<&'data str>)>,
}

/// Whether an input is a stub library (lld's `addFile` looks for `#STUB` at the start of a
/// file no other magic matches).
pub fn is_stub(data: &[u8]) -> bool {
    data.starts_with(b"#STUB")
}

/// Reads a stub library as lld's `StubFile::parse` does: line by line, trimmed; the first
/// line is `#STUB`; empty lines and lines starting with `#` are skipped; `NAME` or
/// `NAME: DEP,DEP,...` (each part trimmed). A name given twice keeps only its last line's
/// dependencies. Text that is not UTF-8 is refused.
pub fn parse(name: String, data: &[u8]) -> crate::error::Result<StubLibrary<'_>> {
    let text = std::str::from_utf8(data).map_err(|e| {
        crate::err!(
            "{name}: stub library is not UTF-8 text at offset {}",
            e.valid_up_to()
        )
    })?;
    let mut order: Vec<&str> = Vec::new();
    let mut deps: rustc_hash::FxHashMap<&str, Vec<&str>> = Default::default();
    for line in text.split('\n').map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (symbol, rest) = line.split_once(':').unwrap_or((line, ""));
        let symbol = symbol.trim();
        let list = rest
            .trim()
            .split(',')
            .map(str::trim)
            .filter(|_| !rest.trim().is_empty())
            .collect();
        if deps.insert(symbol, list).is_none() {
            order.push(symbol);
        }
    }
    let symbols = crate::hash::dense_map_order(&order)
        .into_iter()
        .map(|s| (s, deps.remove(s).unwrap_or_default()))
        .collect();
    Ok(StubLibrary { name, symbols })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_comments_and_dependencies() {
        let text = b"#STUB\n# a comment\n foo_import : foodep1, foodep2 \nbar\n\nbaz: bazdep\n";
        let stub = parse("libstub.so".into(), text).unwrap();
        let mut got: Vec<(&str, Vec<&str>)> = stub.symbols;
        got.sort();
        assert_eq!(
            got,
            vec![
                ("bar", vec![]),
                ("baz", vec!["bazdep"]),
                ("foo_import", vec!["foodep1", "foodep2"]),
            ]
        );
    }

    #[test]
    fn a_repeated_name_keeps_its_last_line() {
        let stub = parse("s.so".into(), b"#STUB\nfoo: a\nfoo: b,c\n").unwrap();
        assert_eq!(stub.symbols, vec![("foo", vec!["b", "c"])]);
    }

    #[test]
    fn binary_garbage_is_an_error_naming_the_file() {
        let e = parse("s.so".into(), b"#STUB\n\xff\xfe").err().unwrap();
        assert!(e.to_string().starts_with("s.so: "), "{e}");
    }
}
