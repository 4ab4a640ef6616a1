//! Demangling of C++ symbol names, as lld's `maybeDemangleSymbol` does it: for the name
//! section (each defined function without a debug name of its own is named by its symbol,
//! demangled, as lld's `NameSection` writes it) and wherever a diagnostic prints a symbol
//! (undefined symbols, duplicate symbols, type and signature mismatches, --why-extract,
//! --trace-symbol). Names are demangled unless `--no-demangle`; `__main_argc_argv` is always
//! written as `main`.

use crate::args::Config;

mod itanium;

pub fn demangle(config: &Config, name: &str) -> String {
    if name == "__main_argc_argv" {
        return "main".into();
    }
    if config.demangle && name.starts_with("_Z") {
        // A suffix after the mangled name (`_Z3fooi.command_export`, `.constprop.0`) is
        // written the way LLVM's demangler writes it, `foo(int) (.command_export)`.
        let (mangled, suffix) = match name.find('.') {
            Some(i) => (&name[..i], Some(&name[i..])),
            None => (name, None),
        };
        if let Some(s) = itanium::demangle(mangled) {
            return match suffix {
                Some(suffix) => format!("{s} ({suffix})"),
                None => s,
            };
        }
    }
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_are_written_as_llvm_does() {
        let c = Config::default();
        assert_eq!(demangle(&c, "_Z3fooi"), "foo(int)");
        assert_eq!(
            demangle(&c, "_Z3fooi.command_export"),
            "foo(int) (.command_export)"
        );
        assert_eq!(demangle(&c, "_Z3barv.constprop.0"), "bar() (.constprop.0)");
        assert_eq!(
            demangle(&c, "_start.command_export"),
            "_start.command_export"
        );
        assert_eq!(demangle(&c, "_Znot valid"), "_Znot valid");
        // Nesting too deep to demangle is left mangled, as an unparsable name is.
        let deep = format!("_Z1f{}i", "P".repeat(100_000));
        assert_eq!(demangle(&c, &deep), deep);
    }

    /// Every mangled name defined or referenced in wasm32 libc++ and libc++abi, in
    /// tests/cxx/demangle.cpp compiled at -O2 and -O0 -g, and listed in
    /// tests/cxx/mangled-names.txt, demangled here and by
    /// llvm-cxxfilt-19 (LLVM's ItaniumDemangle, what lld uses), must read the same.
    #[test]
    fn libcxx_names_match_llvm_cxxfilt() {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let mut inputs = vec![
            "/usr/lib/wasm32-wasi/libc++.a".to_string(),
            "/usr/lib/wasm32-wasi/libc++abi.a".to_string(),
        ];
        let dir = std::env::temp_dir().join(format!("touchstone-demangle-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let source = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cxx/demangle.cpp");
        for (i, opt) in [&["-O2"][..], &["-O0", "-g"]].iter().enumerate() {
            let object = dir.join(format!("demangle{i}.o"));
            let status = Command::new("clang++-19")
                .args(["--target=wasm32-wasi", "--sysroot=/usr", "-nostdlibinc"])
                .args(["-isystem", "/usr/include/wasm32-wasi/c++/v1"])
                .args([
                    "-isystem",
                    "/usr/include/wasm32-wasi",
                    "-fno-exceptions",
                    "-c",
                ])
                .args(*opt)
                .arg(source)
                .arg("-o")
                .arg(&object)
                .status()
                .expect("clang++-19 (package clang-19, ci/setup)");
            assert!(status.success(), "clang++-19 {opt:?} {source} failed");
            inputs.push(object.to_str().unwrap().to_string());
        }
        let mut names = std::collections::BTreeSet::new();
        // Names from real C++ (HarfBuzz's expression-heavy templates) that libc++ lacks, and
        // when DEMANGLE_EXTRA_NAMES names a file, its lines too (to try a new code base).
        let listed = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cxx/mangled-names.txt");
        let mut lists = vec![std::fs::read_to_string(listed).unwrap()];
        if let Ok(extra) = std::env::var("DEMANGLE_EXTRA_NAMES") {
            lists.push(std::fs::read_to_string(&extra).expect("DEMANGLE_EXTRA_NAMES file"));
        }
        for line in lists.iter().flat_map(|text| text.lines()) {
            if line.starts_with("_Z") {
                names.insert(line.to_string());
            }
        }
        for archive in inputs.iter().map(String::as_str) {
            assert!(
                std::path::Path::new(archive).exists(),
                "{archive} is missing: install libc++-19-dev-wasm32 and libc++abi-19-dev-wasm32 (ci/setup)"
            );
            let out = Command::new("llvm-nm-19")
                .args(["-j", archive])
                .output()
                .expect("llvm-nm-19 (package llvm-19, ci/setup)");
            assert!(out.status.success(), "llvm-nm-19 -j {archive} failed");
            for line in String::from_utf8(out.stdout).unwrap().lines() {
                if line.starts_with("_Z") {
                    names.insert(line.to_string());
                }
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(names.len() > 3500, "only {} mangled names", names.len());
        let names: Vec<String> = names.into_iter().collect();
        let mut child = Command::new("llvm-cxxfilt-19")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("llvm-cxxfilt-19 (package llvm-19, ci/setup)");
        let mut stdin = child.stdin.take().unwrap();
        let input = names.join("\n") + "\n";
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        let expected: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
        assert_eq!(expected.len(), names.len());
        let c = Config::default();
        let mismatches: Vec<String> = names
            .iter()
            .zip(&expected)
            .filter(|(name, want)| demangle(&c, name) != **want)
            .map(|(name, want)| format!("{name}\n  llvm: {want}\n  ours: {}", demangle(&c, name)))
            .collect();
        if let Ok(path) = std::env::var("DEMANGLE_MISMATCHES") {
            std::fs::write(path, mismatches.join("\n")).unwrap();
        }
        assert!(
            mismatches.is_empty(),
            "{} of {} names demangle differently from llvm-cxxfilt-19, e.g.\n{}",
            mismatches.len(),
            names.len(),
            mismatches[..mismatches.len().min(10)].join("\n")
        );
    }
}
