//! Locating the sources of the real programs. SQLite's amalgamation, Lua's and HarfBuzz's come
//! from crates.io packages pinned in tests/programs/fetch/Cargo.toml (with a committed
//! Cargo.lock): `cargo fetch` downloads them into cargo's registry and `cargo metadata` says
//! where each package was unpacked.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::tools::{run_with_limit, shell_line};

/// Pinned in tests/programs/fetch/Cargo.toml; the directories below are inside these packages.
const SQLITE_PACKAGE: (&str, &str) = ("libsqlite3-sys", "0.39.1");
const LUA_PACKAGE: (&str, &str) = ("lua-src", "551.1.0");
const HARFBUZZ_PACKAGE: (&str, &str) = ("harfbuzz-sys", "0.8.0");

/// Where the real programs' sources are.
#[derive(Clone, Debug)]
pub struct Sources {
    /// Holds sqlite3.c and sqlite3.h (SQLite 3.54.1).
    pub sqlite_dir: PathBuf,
    /// Holds Lua 5.4.9's src/ files (lapi.c, ..., lua.h).
    pub lua_dir: PathBuf,
    /// HarfBuzz 8.4.0's top directory: src/ (harfbuzz.cc, hb.h, ...) and perf/fonts/.
    pub harfbuzz_dir: PathBuf,
}

pub fn fetch(repo_root: &Path) -> Result<Sources, String> {
    let manifest = repo_root.join("tests/programs/fetch/Cargo.toml");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_string());
    let manifest_arg = manifest.display().to_string();
    let fetch = vec![
        cargo.clone(),
        "fetch".into(),
        "--locked".into(),
        "--manifest-path".into(),
        manifest_arg.clone(),
    ];
    let fetched = run_with_limit(&fetch, None, Duration::from_secs(300))?;
    if !fetched.success {
        return Err(format!(
            "`{}` failed ({}): {}",
            shell_line(&fetch),
            fetched.status,
            String::from_utf8_lossy(&fetched.stderr)
        ));
    }
    let metadata = vec![
        cargo,
        "metadata".into(),
        "--format-version=1".into(),
        "--locked".into(),
        "--offline".into(),
        "--manifest-path".into(),
        manifest_arg,
    ];
    let described = run_with_limit(&metadata, None, Duration::from_secs(120))?;
    if !described.success {
        return Err(format!(
            "`{}` failed ({}): {}",
            shell_line(&metadata),
            described.status,
            String::from_utf8_lossy(&described.stderr)
        ));
    }
    let json = String::from_utf8_lossy(&described.stdout);
    let manifests = json_string_values(&json, "manifest_path");
    let package_dir = |(name, version): (&str, &str)| -> Result<PathBuf, String> {
        // Registry sources unpack into `<name>-<version>/`.
        let wanted = format!("{name}-{version}");
        manifests
            .iter()
            .map(PathBuf::from)
            .filter_map(|path| path.parent().map(Path::to_path_buf))
            .find(|dir| dir.file_name().is_some_and(|n| n == wanted.as_str()))
            .ok_or_else(|| {
                format!(
                    "`cargo metadata` for {} lists no package {wanted}",
                    manifest.display()
                )
            })
    };
    let sources = Sources {
        sqlite_dir: package_dir(SQLITE_PACKAGE)?.join("sqlite3"),
        lua_dir: package_dir(LUA_PACKAGE)?.join("lua-5.4.9"),
        harfbuzz_dir: package_dir(HARFBUZZ_PACKAGE)?.join("harfbuzz"),
    };
    for file in [
        sources.sqlite_dir.join("sqlite3.c"),
        sources.lua_dir.join("lua.h"),
        sources.harfbuzz_dir.join("src/harfbuzz.cc"),
        sources.harfbuzz_dir.join("perf/fonts/Roboto-Regular.ttf"),
    ] {
        if !file.is_file() {
            return Err(format!(
                "expected source file {} is missing",
                file.display()
            ));
        }
    }
    Ok(sources)
}

/// Every string value of `"key": "..."` in a JSON text, unescaped. `cargo metadata` is the only
/// input; this avoids a JSON dependency for one field.
fn json_string_values(json: &str, key: &str) -> Vec<String> {
    let needle = format!("\"{key}\":\"");
    let mut values = Vec::new();
    let mut rest = json;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        let mut value = String::new();
        let mut chars = rest.char_indices();
        let mut end = rest.len();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    end = i + 1;
                    break;
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, 't')) => value.push('\t'),
                    Some((_, other)) => value.push(other),
                    None => break,
                },
                c => value.push(c),
            }
        }
        values.push(value);
        rest = &rest[end..];
    }
    values
}
