//! Demangling of C++ symbol names for the name section (WASM-LD-RULES 10.3): lld writes
//! demangled names unless `--no-demangle`; `__main_argc_argv` is always written as `main`.

use crate::args::Config;

pub fn demangle(config: &Config, name: &str) -> String {
    if name == "__main_argc_argv" {
        return "main".into();
    }
    if config.demangle && name.starts_with("_Z") {
        if let Ok(sym) = cpp_demangle::Symbol::new(name) {
            if let Ok(s) = sym.demangle() {
                return s;
            }
        }
    }
    name.to_string()
}
