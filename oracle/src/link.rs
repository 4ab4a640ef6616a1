//! Linkers as commands: a wasm-ld-compatible command line (`PROG ARGS... INPUTS... -o OUT`) or
//! a shell template with `{args}`, `{inputs}` and `{output}` placeholders for linkers with
//! another command line. Links run in a work directory with relative paths, so the printed
//! command reproduces the link exactly.

use anyhow::{anyhow, bail, Context as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one link may take before it counts as a failure.
const LINK_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkerCommand {
    /// Program and leading arguments of a wasm-ld-compatible linker.
    WasmLd(Vec<String>),
    /// A shell command with `{args}`, `{inputs}`, `{output}` placeholders.
    Template(String),
}

/// A linker under test or the reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Linker {
    /// Short name for tables and file names.
    pub name: String,
    pub command: LinkerCommand,
}

/// The path of the Rust toolchain's rust-lld (`rustc --print sysroot`, then
/// `lib/rustlib/HOST/bin/rust-lld`); an error says how to get it when it is missing. Found
/// once per process: the two `rustc` runs cost more than a small link (a fuzz campaign asks
/// for the reference on every case).
pub fn rust_lld_path() -> anyhow::Result<std::path::PathBuf> {
    static FOUND: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    FOUND
        .get_or_init(|| find_rust_lld().map_err(|e| format!("{e:#}")))
        .clone()
        .map_err(|e| anyhow!(e))
}

fn find_rust_lld() -> anyhow::Result<PathBuf> {
    let out = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .context("cannot run `rustc --print sysroot` to find rust-lld")?;
    let sysroot = String::from_utf8(out.stdout)?.trim().to_string();
    let host = host_triple()?;
    let lld = Path::new(&sysroot)
        .join("lib/rustlib")
        .join(host)
        .join("bin/rust-lld");
    if !lld.is_file() {
        bail!(
            "rust-lld not found at {} (install the Rust toolchain's llvm-tools/lld)",
            lld.display()
        );
    }
    Ok(lld)
}

/// The link arguments of one case, in wasm-ld order, split for templates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkArgs {
    /// Options and inputs in command-line order (inputs may be interleaved with options such
    /// as `--whole-archive`).
    pub all: Vec<String>,
    /// The input file names (a subset of `all`).
    pub inputs: Vec<String>,
}

impl LinkArgs {
    /// `all` without the inputs.
    pub fn options(&self) -> Vec<String> {
        self.all
            .iter()
            .filter(|a| !self.inputs.contains(a))
            .cloned()
            .collect()
    }
}

/// What a link did.
#[derive(Clone, Debug)]
pub struct LinkResult {
    /// True when the linker exited with status 0.
    pub success: bool,
    /// Exit status, `None` when killed (timeout or signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// The output module, when the linker wrote one.
    pub output: Option<Vec<u8>>,
    /// The output file name (relative to the work directory).
    pub output_name: String,
    /// The work directory.
    pub work: PathBuf,
    /// The shell command reproducing the link (`cd WORK && ...`).
    pub command: String,
}

#[cfg(test)]
impl LinkResult {
    /// A successful link that wrote `wat`'s module (for the checks' and comparisons' tests).
    pub(crate) fn wrote_for_test(wat: &str) -> LinkResult {
        LinkResult {
            success: true,
            code: Some(0),
            stdout: String::new(),
            stderr: String::new(),
            output: Some(wat::parse_str(wat).expect("the test module assembles")),
            output_name: "out.wasm".into(),
            work: PathBuf::from("."),
            command: String::new(),
        }
    }
}

fn quote(s: &str) -> String {
    shell_words::quote(s).into_owned()
}

impl Linker {
    /// Parses `[NAME=]COMMAND`. A command containing `{output}` is a template; otherwise it is
    /// split into words and used wasm-ld style. A relative program path is made absolute so it
    /// still works from the work directory.
    pub fn parse(spec: &str) -> anyhow::Result<Linker> {
        let spec = spec.trim();
        let (name, cmd) = match spec.split_once('=') {
            Some((n, c))
                if !n.is_empty()
                    && !c.trim().is_empty()
                    && n.chars().all(|ch| {
                        ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' || ch == '.'
                    }) =>
            {
                (Some(n.to_string()), c.trim())
            }
            _ => (None, spec),
        };
        if cmd.is_empty() {
            bail!("empty linker command");
        }
        if cmd.contains("{output}") {
            let name = name.unwrap_or_else(|| {
                cmd.split_whitespace()
                    .next()
                    .map(base_name)
                    .unwrap_or_else(|| "linker".into())
            });
            return Ok(Linker {
                name,
                command: LinkerCommand::Template(cmd.to_string()),
            });
        }
        let mut words =
            shell_words::split(cmd).with_context(|| format!("cannot split `{cmd}` into words"))?;
        if words.is_empty() {
            bail!("empty linker command");
        }
        if words[0].contains('/') {
            let p = Path::new(&words[0]);
            if p.is_relative() {
                let abs = std::env::current_dir()?.join(p);
                words[0] = abs.to_string_lossy().into_owned();
            }
        }
        let name = name.unwrap_or_else(|| base_name(&words[0]));
        Ok(Linker {
            name,
            command: LinkerCommand::WasmLd(words),
        })
    }

    /// rust-lld from the Rust toolchain (`rustc --print sysroot`), as `rust-lld -flavor wasm`.
    pub fn rust_lld() -> anyhow::Result<Linker> {
        let lld = rust_lld_path()?;
        Ok(Linker {
            name: "rust-lld".into(),
            command: LinkerCommand::WasmLd(vec![
                lld.to_string_lossy().into_owned(),
                "-flavor".into(),
                "wasm".into(),
            ]),
        })
    }

    /// Debian's wasm-ld-19, when installed.
    pub fn wasm_ld_19() -> Option<Linker> {
        let found = std::env::var_os("PATH")?
            .to_str()?
            .split(':')
            .map(|d| Path::new(d).join("wasm-ld-19"))
            .find(|p| p.is_file())?;
        Some(Linker {
            name: "wasm-ld-19".into(),
            command: LinkerCommand::WasmLd(vec![found.to_string_lossy().into_owned()]),
        })
    }

    /// The shell command (without `cd`) that links `args` into `output`.
    pub fn shell_command(&self, args: &LinkArgs, output: &str) -> String {
        match &self.command {
            LinkerCommand::WasmLd(words) => {
                let mut all: Vec<String> = words.clone();
                all.extend(args.all.iter().cloned());
                all.push("-o".into());
                all.push(output.into());
                all.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
            }
            LinkerCommand::Template(t) => {
                let join = |v: &[String]| v.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ");
                t.replace("{args}", &join(&args.options()))
                    .replace("{inputs}", &join(&args.inputs))
                    .replace("{output}", &quote(output))
            }
        }
    }

    /// Links in `work`, writing `output` there (any old file is removed first). wasm-ld names
    /// the module after the output's file name, so linkers being compared should write files
    /// with the same name (in different folders).
    pub fn link(&self, args: &LinkArgs, work: &Path, output: &str) -> anyhow::Result<LinkResult> {
        let out_path = work.join(output);
        let _ = std::fs::remove_file(&out_path);
        if let Some(parent) = out_path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let stdout_path = work.join(format!("{output}.stdout"));
        let stderr_path = work.join(format!("{output}.stderr"));
        let mut cmd = match &self.command {
            LinkerCommand::WasmLd(words) => {
                let mut c = Command::new(&words[0]);
                c.args(&words[1..]).args(&args.all).arg("-o").arg(output);
                c
            }
            LinkerCommand::Template(_) => {
                let mut c = Command::new("sh");
                c.arg("-c").arg(self.shell_command(args, output));
                c
            }
        };
        cmd.current_dir(work)
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&stdout_path)?)
            .stderr(std::fs::File::create(&stderr_path)?);
        let mut child = cmd
            .spawn()
            .with_context(|| format!("cannot start linker {}", self.name))?;
        let started = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait()? {
                break Some(s);
            }
            if started.elapsed() > LINK_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let read = |p: &Path| {
            std::fs::read(p)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        };
        let mut stderr = read(&stderr_path);
        if status.is_none() {
            stderr.push_str(&format!(
                "\n(touchstone: linker killed after {}s)",
                LINK_TIMEOUT.as_secs()
            ));
        }
        let output_bytes = std::fs::read(&out_path).ok();
        Ok(LinkResult {
            success: status.map(|s| s.success()).unwrap_or(false),
            code: status.and_then(|s| s.code()),
            stdout: read(&stdout_path),
            stderr,
            output: output_bytes,
            output_name: output.to_string(),
            work: work.to_path_buf(),
            command: format!(
                "cd {} && {}",
                quote(&work.to_string_lossy()),
                self.shell_command(args, output)
            ),
        })
    }
}

fn base_name(prog: &str) -> String {
    Path::new(prog)
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| prog.to_string())
}

fn host_triple() -> anyhow::Result<String> {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .context("cannot run `rustc -vV`")?;
    let text = String::from_utf8(out.stdout)?;
    text.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(|h| h.trim().to_string())
        .ok_or_else(|| anyhow!("`rustc -vV` printed no host triple"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse() {
        let l = Linker::parse("ts=/bin/true --foo").unwrap();
        assert_eq!(l.name, "ts");
        assert_eq!(
            l.command,
            LinkerCommand::WasmLd(vec!["/bin/true".into(), "--foo".into()])
        );
        let t = Linker::parse("my-ld {args} --out {output} {inputs}").unwrap();
        assert_eq!(t.name, "my-ld");
        let args = LinkArgs {
            all: vec!["--no-entry".into(), "a.o".into()],
            inputs: vec!["a.o".into()],
        };
        assert_eq!(
            t.shell_command(&args, "out.wasm"),
            "my-ld --no-entry --out out.wasm a.o"
        );
        assert_eq!(
            l.shell_command(&args, "o.wasm"),
            "/bin/true --foo --no-entry a.o -o o.wasm"
        );
        assert!(Linker::parse("  ").is_err());
    }
}
