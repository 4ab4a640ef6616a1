//! Demangling of C++ symbol names, as lld's `maybeDemangleSymbol` does it: for the name
//! section (each defined function without a debug name of its own is named by its symbol,
//! demangled, as lld's `NameSection` writes it) and wherever a diagnostic prints a symbol
//! (undefined symbols, duplicate symbols, type and signature mismatches, --why-extract,
//! --trace-symbol). Names are demangled unless `--no-demangle`; `__main_argc_argv` is always
//! written as `main`.

use crate::args::Config;

pub fn demangle(config: &Config, name: &str) -> String {
    if name == "__main_argc_argv" {
        return "main".into();
    }
    if config.demangle && name.starts_with("_Z") {
        // A suffix after the mangled name (`_Z3fooi.command_export`, `.constprop.0`) is
        // written the way LLVM's demangler writes it, `foo(int) (.command_export)`, not as
        // cpp_demangle's `[clone .command_export]`.
        let (mangled, suffix) = match name.find('.') {
            Some(i) => (&name[..i], Some(&name[i..])),
            None => (name, None),
        };
        if let Some(s) = cpp_demangle::Symbol::new(mangled)
            .ok()
            .and_then(|sym| sym.demangle().ok())
        {
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
    }
}
