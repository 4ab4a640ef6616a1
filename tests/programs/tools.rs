//! The external tools the real-program tests drive: clang-19 and wasi-libc (to compile C for
//! wasm32-wasi), and the three linkers compared (touchstone-ld, rust-lld from the Rust toolchain,
//! Debian's wasm-ld-19). A missing tool is an error that says what to install, never a skip.
//! Also a small process runner with a time limit, so a hanging linker fails the test instead of
//! hanging it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian's wasi-libc puts its headers and libraries (`--sysroot=/usr`).
pub const WASI_INCLUDE_DIR: &str = "/usr/include/wasm32-wasi";
pub const WASI_LIB_DIR: &str = "/usr/lib/wasm32-wasi";
/// Debian's libc++ for wasm32 (packages libc++-19-dev-wasm32, libc++abi-19-dev-wasm32).
pub const LIBCXX_INCLUDE_DIR: &str = "/usr/include/wasm32-wasi/c++/v1";

const INSTALL_HINT: &str = "run `bash ci/setup` (installs clang-19 lld-19 llvm-19 wasi-libc \
                            libclang-rt-19-dev-wasm32 libc++-19-dev-wasm32 libc++abi-19-dev-wasm32)";

/// One linker with a wasm-ld-compatible command line.
#[derive(Clone, Debug)]
pub struct Linker {
    /// Short name used in file names and reports: `touchstone`, `rust-lld`, `wasm-ld-19`.
    pub name: &'static str,
    /// The program to run.
    pub program: PathBuf,
    /// Arguments that go before the wasm-ld arguments (`-flavor wasm` for rust-lld).
    pub prefix_args: Vec<String>,
    /// A path that clang's `-fuse-ld=` can call directly with wasm-ld arguments.
    pub driver_path: PathBuf,
}

impl Linker {
    /// The full argv for linking with `args`.
    pub fn argv(&self, args: &[String]) -> Vec<String> {
        let mut argv = vec![self.program.display().to_string()];
        argv.extend(self.prefix_args.iter().cloned());
        argv.extend(args.iter().cloned());
        argv
    }
}

/// Everything the tests run, found once.
#[derive(Clone, Debug)]
pub struct Tools {
    pub clang: PathBuf,
    /// First line of `clang-19 --version`, part of the object cache key.
    pub clang_version: String,
    /// compiler-rt builtins for wasm32 (`clang --print-libgcc-file-name`), linked last as the
    /// clang driver does.
    pub builtins: PathBuf,
    /// touchstone-ld, rust-lld, wasm-ld-19, in that order; the reference is `rust-lld`.
    pub linkers: Vec<Linker>,
}

impl Tools {
    /// The linker named `name` (`touchstone`, `rust-lld`, `wasm-ld-19`); fails the test if
    /// there is none. (Not every test binary that includes this module uses it.)
    #[allow(dead_code)]
    pub fn linker(&self, name: &str) -> Linker {
        self.linkers
            .iter()
            .find(|l| l.name == name)
            .unwrap_or_else(|| panic!("no linker {name}"))
            .clone()
    }

    /// Finds every tool or explains what is missing. `work_dir` holds the `wasm-ld` symlink to
    /// rust-lld that clang's `-fuse-ld=` needs (lld picks its flavor from argv[0]).
    pub fn find(work_dir: &Path) -> Result<Tools, String> {
        let clang = find_on_path("clang-19")
            .ok_or_else(|| format!("clang-19 is not on PATH: {INSTALL_HINT}"))?;
        let version = run_with_limit(
            &[clang.display().to_string(), "--version".into()],
            None,
            Duration::from_secs(60),
        )?;
        let clang_version = String::from_utf8_lossy(&version.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        let printed = run_with_limit(
            &[
                clang.display().to_string(),
                "--target=wasm32-wasi".into(),
                "--print-libgcc-file-name".into(),
            ],
            None,
            Duration::from_secs(60),
        )?;
        let builtins = PathBuf::from(String::from_utf8_lossy(&printed.stdout).trim());
        if !builtins.is_file() {
            return Err(format!(
                "wasm32 compiler-rt builtins {} are missing (package libclang-rt-19-dev-wasm32): \
                 {INSTALL_HINT}",
                builtins.display()
            ));
        }
        for needed in [
            Path::new(WASI_LIB_DIR).join("crt1-command.o"),
            Path::new(WASI_LIB_DIR).join("libc.a"),
            Path::new(WASI_INCLUDE_DIR).join("stdio.h"),
        ] {
            if !needed.is_file() {
                return Err(format!(
                    "wasi-libc file {} is missing (package wasi-libc): {INSTALL_HINT}",
                    needed.display()
                ));
            }
        }
        for (needed, package) in [
            (
                Path::new(LIBCXX_INCLUDE_DIR).join("vector"),
                "libc++-19-dev-wasm32",
            ),
            (
                Path::new(WASI_LIB_DIR).join("libc++.a"),
                "libc++-19-dev-wasm32",
            ),
            (
                Path::new(WASI_LIB_DIR).join("libc++abi.a"),
                "libc++abi-19-dev-wasm32",
            ),
        ] {
            if !needed.is_file() {
                return Err(format!(
                    "libc++ file {} is missing (package {package}): {INSTALL_HINT}",
                    needed.display()
                ));
            }
        }

        let touchstone = PathBuf::from(env!("CARGO_BIN_EXE_touchstone-ld"));
        let rust_lld = rust_lld_path()?;
        std::fs::create_dir_all(work_dir)
            .map_err(|e| format!("cannot create {}: {e}", work_dir.display()))?;
        let rust_lld_as_wasm_ld = symlink_as(work_dir, &rust_lld, "wasm-ld")?;
        let wasm_ld_19 = find_on_path("wasm-ld-19")
            .ok_or_else(|| format!("wasm-ld-19 is not on PATH (package lld-19): {INSTALL_HINT}"))?;
        let linkers = vec![
            Linker {
                name: "touchstone",
                program: touchstone.clone(),
                prefix_args: Vec::new(),
                driver_path: touchstone,
            },
            Linker {
                name: "rust-lld",
                program: rust_lld,
                prefix_args: vec!["-flavor".into(), "wasm".into()],
                driver_path: rust_lld_as_wasm_ld,
            },
            Linker {
                name: "wasm-ld-19",
                program: wasm_ld_19.clone(),
                prefix_args: Vec::new(),
                driver_path: wasm_ld_19,
            },
        ];
        Ok(Tools {
            clang,
            clang_version,
            builtins,
            linkers,
        })
    }

    /// The compiler flags every compilation shares: target, and wasi-libc's headers only
    /// (`--sysroot=/usr` alone lets glibc's /usr/include leak in). C++ also gets libc++'s
    /// headers, before wasi-libc's as libc++ requires, and no exceptions (Debian's wasm32
    /// libc++ is built without them).
    pub fn base_cflags(&self, cxx: bool) -> Vec<String> {
        let mut flags = vec![
            "--target=wasm32-wasi".into(),
            "--sysroot=/usr".into(),
            "-nostdlibinc".into(),
        ];
        if cxx {
            flags.extend(["-isystem".into(), LIBCXX_INCLUDE_DIR.into()]);
            flags.push("-fno-exceptions".into());
        }
        flags.extend(["-isystem".into(), WASI_INCLUDE_DIR.into()]);
        flags
    }
}

/// rust-lld from the active Rust toolchain (the oracle's lookup).
fn rust_lld_path() -> Result<PathBuf, String> {
    touchstone_oracle::link::rust_lld_path().map_err(|e| format!("{e:#}"))
}

/// Makes `dir/name` a symlink to `target`, replacing an older link atomically.
fn symlink_as(dir: &Path, target: &Path, name: &str) -> Result<PathBuf, String> {
    let link = dir.join(name);
    if std::fs::read_link(&link).ok().as_deref() == Some(target) {
        return Ok(link);
    }
    let temp = dir.join(format!(".{name}.{}", std::process::id()));
    let _ = std::fs::remove_file(&temp);
    std::os::unix::fs::symlink(target, &temp)
        .and_then(|()| std::fs::rename(&temp, &link))
        .map_err(|e| {
            format!(
                "cannot link {} -> {}: {e}",
                link.display(),
                target.display()
            )
        })?;
    Ok(link)
}

pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// What a finished process printed.
pub struct Finished {
    pub success: bool,
    pub status: String,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Runs `argv` (in `cwd`, if given) and waits at most `limit`, killing it after that.
/// Spawn failures and time-outs are errors; a non-zero exit is reported in `Finished`.
pub fn run_with_limit(
    argv: &[String],
    cwd: Option<&Path>,
    limit: Duration,
) -> Result<Finished, String> {
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| "empty command line".to_string())?;
    let shown = shell_line(argv);
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(dir) = cwd {
        command.current_dir(dir);
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start `{shown}`: {e}"))?;
    // Pipes are drained by threads so a chatty child never blocks on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("`{shown}` did not finish within {limit:?}; killed"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for `{shown}`: {e}")),
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    Ok(Finished {
        success: status.success(),
        status: status.to_string(),
        stdout,
        stderr,
    })
}

/// A command line as a shell would read it, for reports and reproduction.
pub fn shell_line(argv: &[String]) -> String {
    argv.iter()
        .map(|arg| {
            if !arg.is_empty()
                && arg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_=./,:+@%".contains(c))
            {
                arg.clone()
            } else {
                format!("'{}'", arg.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
