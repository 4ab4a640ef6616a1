//! Running linked modules in wasmtime: a WASI command (`_start`) with captured stdout, stderr
//! and exit status, or a named export called with arguments. The "behaviour" comparison level
//! compares these outcomes.

use std::path::PathBuf;

/// How to run a WASI command module.
#[derive(Clone, Debug, Default)]
pub struct WasiOptions {
    /// argv, including argv[0].
    pub args: Vec<String>,
    /// Bytes fed to stdin.
    pub stdin: Vec<u8>,
    /// Host directories made visible to the guest: (host path, guest path).
    pub preopens: Vec<(PathBuf, String)>,
    /// Environment variables.
    pub env: Vec<(String, String)>,
}

/// What a run showed the outside world.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunOutcome {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// The WASI exit status (0 when `_start` returned normally).
    pub exit_code: i32,
    /// The trap message when the module trapped instead of exiting.
    pub trap: Option<String>,
}

/// Instantiates `wasm` as a WASI preview1 command and runs `_start`.
pub fn run_wasi(wasm: &[u8], options: &WasiOptions) -> anyhow::Result<RunOutcome> {
    let _ = (wasm, options);
    anyhow::bail!("run_wasi is not built yet")
}
