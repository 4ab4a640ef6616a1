//! Running linked modules in wasmtime: a WASI command (`_start`) with captured stdout, stderr
//! and exit status, or a named export called with arguments. The "behaviour" comparison level
//! compares these outcomes, and the final linear memory (`FullRun::memory`,
//! `ExportOutcome::memory`).
//!
//! Every run gets WASI preview1 imports (stdio captured in memory, never the host's), a fuel
//! budget so a looping module ends with a trap instead of hanging the test, and its own store.

use anyhow::{anyhow, bail, Context as _};
use std::fmt;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use wasmtime::{Engine, Linker, Module, Store, Trap, Val, ValType};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

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
    /// Shared libraries a `dylink.0` module may need (see [`crate::dylink`]).
    pub libs: Vec<crate::dylink::Library>,
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

/// A command run together with the final contents of the module's memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FullRun {
    pub outcome: RunOutcome,
    /// The bytes of the exported memory named `memory` (or else the first exported memory)
    /// after the run; `None` when the module exports no memory.
    pub memory: Option<Vec<u8>>,
}

/// A WebAssembly number: an argument to or a result of an exported function. Floats are kept
/// as bits so values compare exactly (NaN payloads included).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
}

impl Value {
    /// Parses a value of the given type: decimal or `0x` hex integers (negative allowed, and
    /// unsigned values that fit the width), or float literals (`1.5`, `-0`, `inf`, `nan`).
    pub fn parse(text: &str, ty: &ValType) -> anyhow::Result<Value> {
        let t = text.trim();
        let int = || parse_int(t).ok_or_else(|| anyhow!("`{t}` is not an integer"));
        Ok(match ty {
            ValType::I32 => {
                let v = int()?;
                if v < i32::MIN as i128 || v > u32::MAX as i128 {
                    bail!("`{t}` does not fit in i32");
                }
                Value::I32(v as i64 as i32)
            }
            ValType::I64 => {
                let v = int()?;
                if v < i64::MIN as i128 || v > u64::MAX as i128 {
                    bail!("`{t}` does not fit in i64");
                }
                Value::I64(v as i64)
            }
            ValType::F32 => Value::F32(parse_float(t)?.to_bits_f32()),
            ValType::F64 => Value::F64(parse_float(t)?.to_bits_f64()),
            other => bail!("values of type {other} cannot be written as text"),
        })
    }

    /// The type name in the text format (`i32`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::I32(_) => "i32",
            Value::I64(_) => "i64",
            Value::F32(_) => "f32",
            Value::F64(_) => "f64",
        }
    }

    fn to_val(self) -> Val {
        match self {
            Value::I32(v) => Val::I32(v),
            Value::I64(v) => Val::I64(v),
            Value::F32(v) => Val::F32(v),
            Value::F64(v) => Val::F64(v),
        }
    }

    fn from_val(v: &Val) -> anyhow::Result<Value> {
        Ok(match v {
            Val::I32(v) => Value::I32(*v),
            Val::I64(v) => Value::I64(*v),
            Val::F32(v) => Value::F32(*v),
            Val::F64(v) => Value::F64(*v),
            other => bail!("result of type {:?} is not a number", other),
        })
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::I32(v) => write!(f, "{v}"),
            Value::I64(v) => write!(f, "{v}"),
            Value::F32(v) => write!(f, "{}", f32::from_bits(*v)),
            Value::F64(v) => write!(f, "{}", f64::from_bits(*v)),
        }
    }
}

fn parse_int(t: &str) -> Option<i128> {
    let (neg, rest) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let rest = rest.replace('_', "");
    let v = if let Some(hex) = rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")) {
        i128::from_str_radix(hex, 16).ok()?
    } else {
        rest.parse::<i128>().ok()?
    };
    Some(if neg { -v } else { v })
}

/// A parsed float literal kept in f64 (or as raw NaN) until the width is known.
enum Float {
    Num(f64),
    Nan,
}

impl Float {
    fn to_bits_f32(&self) -> u32 {
        match self {
            Float::Num(v) => (*v as f32).to_bits(),
            Float::Nan => 0x7fc0_0000,
        }
    }
    fn to_bits_f64(&self) -> u64 {
        match self {
            Float::Num(v) => v.to_bits(),
            Float::Nan => 0x7ff8_0000_0000_0000,
        }
    }
}

fn parse_float(t: &str) -> anyhow::Result<Float> {
    let lower = t.to_ascii_lowercase();
    let body = lower.trim_start_matches(['-', '+']);
    if body == "nan" {
        return Ok(Float::Nan);
    }
    if body == "inf" || body == "infinity" {
        let neg = lower.starts_with('-');
        return Ok(Float::Num(if neg {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        }));
    }
    if let Some(v) = parse_int(t) {
        return Ok(Float::Num(v as f64));
    }
    t.parse::<f64>()
        .map(Float::Num)
        .map_err(|_| anyhow!("`{t}` is not a number"))
}

/// What calling an export showed the outside world.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportOutcome {
    /// The results, when the call returned.
    pub results: Option<Vec<Value>>,
    /// The trap message when the call trapped.
    pub trap: Option<String>,
    /// The exit status when the call ended with WASI `proc_exit`.
    pub exit_code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// The exported memory after the call (see `FullRun::memory`).
    pub memory: Option<Vec<u8>>,
}

/// Fuel given to each run: enough for real programs, small enough that an infinite loop ends
/// within seconds.
pub(crate) const FUEL: u64 = 20_000_000_000;
/// Most bytes captured per output stream.
const PIPE_CAPACITY: usize = 64 << 20;

/// Set by [`compile_for_many_small_modules`], read once when the engine is made.
static MANY_SMALL_MODULES: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Tunes this process's wasmtime engine for compiling many small modules, each run once (a
/// fuzz target): Cranelift without optimizations, on the calling thread. Compiling, not
/// running, is then most of a run, and a worker thread per function only adds handoffs.
/// Behaviour is the same either way. Takes effect only before the first run of the process.
pub fn compile_for_many_small_modules() {
    MANY_SMALL_MODULES.store(true, std::sync::atomic::Ordering::Relaxed);
}

pub(crate) fn engine() -> anyhow::Result<&'static Engine> {
    static ENGINE: OnceLock<Result<Engine, String>> = OnceLock::new();
    let engine = ENGINE.get_or_init(|| {
        let mut config = wasmtime::Config::new();
        if MANY_SMALL_MODULES.load(std::sync::atomic::Ordering::Relaxed) {
            config.cranelift_opt_level(wasmtime::OptLevel::None);
            config.parallel_compilation(false);
        }
        config.consume_fuel(true);
        config.wasm_multi_memory(true);
        config.wasm_memory64(true);
        config.wasm_tail_call(true);
        config.wasm_threads(true);
        config.wasm_bulk_memory(true);
        config.wasm_reference_types(true);
        config.wasm_simd(true);
        config.wasm_relaxed_simd(true);
        config.wasm_extended_const(true);
        config.wasm_exceptions(true);
        config.wasm_wide_arithmetic(true);
        Engine::new(&config).map_err(|e| format!("{e:#}"))
    });
    engine
        .as_ref()
        .map_err(|e| anyhow!("cannot create the wasmtime engine: {e}"))
}

/// How many compiled modules `compile` keeps.
const MODULE_CACHE: usize = 32;

/// Compiles `wasm`, or reuses the module compiled from the same bytes recently: a conformance
/// run executes the same output several times (the reference's against each linker's, and
/// every output identical to it), and compiling dominates the run of a real program. The last
/// `MODULE_CACHE` distinct modules are kept, most recently used last.
pub(crate) fn compile(engine: &Engine, wasm: &[u8]) -> wasmtime::Result<Module> {
    static CACHE: Mutex<Vec<(Vec<u8>, Module)>> = Mutex::new(Vec::new());
    if let Ok(mut cache) = CACHE.lock() {
        if let Some(i) = cache.iter().position(|(bytes, _)| bytes == wasm) {
            let hit = cache.remove(i);
            let module = hit.1.clone();
            cache.push(hit);
            return Ok(module);
        }
    }
    // Compiled outside the lock, so other threads' runs go on meanwhile.
    let module = Module::new(engine, wasm)?;
    if let Ok(mut cache) = CACHE.lock() {
        if cache.len() >= MODULE_CACHE {
            cache.remove(0);
        }
        cache.push((wasm.to_vec(), module.clone()));
    }
    Ok(module)
}

struct Prepared {
    store: Store<WasiP1Ctx>,
    instance: wasmtime::Instance,
    stdout: MemoryOutputPipe,
    stderr: MemoryOutputPipe,
}

/// Turns a wasmtime error into an anyhow error with context.
pub(crate) fn wt<T>(r: wasmtime::Result<T>, context: &str) -> anyhow::Result<T> {
    r.map_err(|e| anyhow::Error::from(e).context(context.to_string()))
}

/// A store with WASI preview1 (stdio captured) and a linker holding its imports.
pub(crate) struct WasiStore {
    pub store: Store<WasiP1Ctx>,
    pub linker: Linker<WasiP1Ctx>,
    pub stdout: MemoryOutputPipe,
    pub stderr: MemoryOutputPipe,
}

/// A fresh store with WASI imports for `options` and a fuel budget.
pub(crate) fn wasi_store(options: &WasiOptions, fuel: u64) -> anyhow::Result<WasiStore> {
    let engine = engine()?;
    let stdout = MemoryOutputPipe::new(PIPE_CAPACITY);
    let stderr = MemoryOutputPipe::new(PIPE_CAPACITY);
    let mut builder = WasiCtxBuilder::new();
    builder
        .stdin(MemoryInputPipe::new(options.stdin.clone()))
        .stdout(stdout.clone())
        .stderr(stderr.clone())
        .args(&options.args)
        .envs(&options.env);
    for (host, guest) in &options.preopens {
        wt(
            builder
                .preopened_dir(host, guest, FsPerms::ReadWrite)
                .map(|_| ()),
            &format!("cannot preopen {} as {guest}", host.display()),
        )?;
    }
    let mut linker: Linker<WasiP1Ctx> = Linker::new(engine);
    wt(
        wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |t| t),
        "cannot add WASI preview1 to the wasmtime linker",
    )?;
    let mut store = Store::new(engine, builder.build_p1());
    wt(store.set_fuel(fuel), "cannot set fuel")?;
    Ok(WasiStore {
        store,
        linker,
        stdout,
        stderr,
    })
}

/// Instantiates the module with WASI imports. A trap or exit during instantiation (start
/// function, segment initialisation) is an `Ending`, not harness trouble.
fn prepare(
    wasm: &[u8],
    options: &WasiOptions,
    fuel: u64,
) -> anyhow::Result<Result<Prepared, Ending>> {
    // A position-independent module, or one that needs libraries, goes through the loader.
    if crate::dylink::wants_loader(wasm, options)? {
        return Ok(
            crate::dylink::load(wasm, &options.libs, options, fuel)?.map(|l| Prepared {
                store: l.wasi.store,
                instance: l.main,
                stdout: l.wasi.stdout,
                stderr: l.wasi.stderr,
            }),
        );
    }
    let engine = engine()?;
    let module = wt(compile(engine, wasm), "wasmtime rejected the module")?;
    let WasiStore {
        mut store,
        linker,
        stdout,
        stderr,
    } = wasi_store(options, fuel)?;
    let instance = match linker.instantiate(&mut store, &module) {
        Ok(i) => i,
        Err(e) => {
            if e.downcast_ref::<Trap>().is_some() || e.downcast_ref::<I32Exit>().is_some() {
                return Ok(Err(classify(e)));
            }
            return Err(
                anyhow::Error::from(e).context("cannot instantiate the module (missing import?)")
            );
        }
    };
    Ok(Ok(Prepared {
        store,
        instance,
        stdout,
        stderr,
    }))
}

/// How a call ended, other than by returning.
pub(crate) enum Ending {
    Exit(i32),
    Trap(String),
}

/// Sorts an error from a call into a WASI exit, a trap, or trouble in the harness. Start-up
/// traps (start function, data segments out of bounds) come here too.
pub(crate) fn classify(err: wasmtime::Error) -> Ending {
    if let Some(exit) = err.downcast_ref::<I32Exit>() {
        return Ending::Exit(exit.0);
    }
    if let Some(trap) = err.downcast_ref::<Trap>() {
        return Ending::Trap(trap.to_string());
    }
    // Host errors (e.g. a WASI call that failed fatally) end the run like a trap; keep the
    // outermost message, which does not carry backtrace addresses.
    Ending::Trap(err.to_string())
}

fn final_memory(p: &mut Prepared) -> Option<Vec<u8>> {
    let mem = p.instance.get_memory(&mut p.store, "memory").or_else(|| {
        let exports: Vec<_> = p.instance.exports(&mut p.store).collect::<Vec<_>>();
        let mut found = None;
        for e in exports {
            if let Some(m) = e.into_memory() {
                found = Some(m);
                break;
            }
        }
        found
    });
    mem.map(|m| m.data(&p.store).to_vec())
}

/// Instantiates `wasm` as a WASI preview1 command and runs `_start`.
pub fn run_wasi(wasm: &[u8], options: &WasiOptions) -> anyhow::Result<RunOutcome> {
    Ok(run_wasi_full(wasm, options)?.outcome)
}

/// Like [`run_wasi`], and also returns the final linear memory.
pub fn run_wasi_full(wasm: &[u8], options: &WasiOptions) -> anyhow::Result<FullRun> {
    run_wasi_fuel(wasm, options, FUEL)
}

fn run_wasi_fuel(wasm: &[u8], options: &WasiOptions, fuel: u64) -> anyhow::Result<FullRun> {
    let mut p = match prepare_or_trap(wasm, options, fuel)? {
        Ok(p) => p,
        Err(trapped) => return Ok(trapped),
    };
    let start = wt(
        p.instance.get_typed_func::<(), ()>(&mut p.store, "_start"),
        "the module has no `_start` export of type [] -> []",
    )?;
    let (exit_code, trap) = match start.call(&mut p.store, ()) {
        Ok(()) => (0, None),
        Err(e) => match classify(e) {
            Ending::Exit(code) => (code, None),
            Ending::Trap(msg) => (0, Some(msg)),
        },
    };
    let memory = final_memory(&mut p);
    Ok(FullRun {
        outcome: RunOutcome {
            stdout: p.stdout.contents().to_vec(),
            stderr: p.stderr.contents().to_vec(),
            exit_code,
            trap,
        },
        memory,
    })
}

/// Instantiates; a trap or exit during instantiation is an outcome, not harness trouble.
fn prepare_or_trap(
    wasm: &[u8],
    options: &WasiOptions,
    fuel: u64,
) -> anyhow::Result<Result<Prepared, FullRun>> {
    Ok(prepare(wasm, options, fuel)?.map_err(|ending| {
        let (exit_code, trap) = match ending {
            Ending::Exit(c) => (c, None),
            Ending::Trap(t) => (0, Some(t)),
        };
        FullRun {
            outcome: RunOutcome {
                stdout: Vec::new(),
                stderr: Vec::new(),
                exit_code,
                trap,
            },
            memory: None,
        }
    }))
}

/// The parameter and result types of the exported function `name`.
pub fn export_signature(wasm: &[u8], name: &str) -> anyhow::Result<(Vec<ValType>, Vec<ValType>)> {
    let engine = engine()?;
    let module = wt(compile(engine, wasm), "wasmtime rejected the module")?;
    let export = module
        .get_export(name)
        .ok_or_else(|| anyhow!("the module has no export `{name}`"))?;
    let func = export
        .func()
        .ok_or_else(|| anyhow!("export `{name}` is not a function"))?;
    Ok((func.params().collect(), func.results().collect()))
}

/// Parses text arguments for the exported function `name` using its parameter types.
pub fn parse_args(wasm: &[u8], name: &str, args: &[String]) -> anyhow::Result<Vec<Value>> {
    let (params, _) = export_signature(wasm, name)?;
    if params.len() != args.len() {
        bail!(
            "export `{name}` takes {} arguments, {} given",
            params.len(),
            args.len()
        );
    }
    params
        .iter()
        .zip(args)
        .enumerate()
        .map(|(i, (ty, a))| {
            Value::parse(a, ty).with_context(|| format!("argument {} of `{name}`", i + 1))
        })
        .collect()
}

/// Instantiates `wasm` (with WASI imports available and default options) and calls the export
/// `name` with `args`, which must match its parameter types.
pub fn run_export(wasm: &[u8], name: &str, args: &[Value]) -> anyhow::Result<ExportOutcome> {
    run_export_with(wasm, name, args, &WasiOptions::default())
}

/// Like [`run_export`] with explicit WASI options.
pub fn run_export_with(
    wasm: &[u8],
    name: &str,
    args: &[Value],
    options: &WasiOptions,
) -> anyhow::Result<ExportOutcome> {
    let mut p = match prepare_or_trap(wasm, options, FUEL)? {
        Ok(p) => p,
        Err(trapped) => {
            return Ok(ExportOutcome {
                results: None,
                trap: trapped.outcome.trap,
                exit_code: (trapped.outcome.exit_code != 0).then_some(trapped.outcome.exit_code),
                stdout: Vec::new(),
                stderr: Vec::new(),
                memory: None,
            })
        }
    };
    let func = p
        .instance
        .get_func(&mut p.store, name)
        .ok_or_else(|| anyhow!("the module has no function export `{name}`"))?;
    let ty = func.ty(&p.store);
    let params: Vec<ValType> = ty.params().collect();
    if params.len() != args.len() {
        bail!(
            "export `{name}` takes {} arguments, {} given",
            params.len(),
            args.len()
        );
    }
    for (i, (want, got)) in params.iter().zip(args).enumerate() {
        let ok = matches!(
            (want, got),
            (ValType::I32, Value::I32(_))
                | (ValType::I64, Value::I64(_))
                | (ValType::F32, Value::F32(_))
                | (ValType::F64, Value::F64(_))
        );
        if !ok {
            bail!(
                "argument {} of `{name}`: expected {want}, got {}",
                i + 1,
                got.type_name()
            );
        }
    }
    let vals: Vec<Val> = args.iter().map(|a| a.to_val()).collect();
    let mut out = vec![Val::I32(0); ty.results().len()];
    let (results, trap, exit_code) = match func.call(&mut p.store, &vals, &mut out) {
        Ok(()) => {
            let r = out
                .iter()
                .map(Value::from_val)
                .collect::<anyhow::Result<Vec<_>>>()?;
            (Some(r), None, None)
        }
        Err(e) => match classify(e) {
            Ending::Exit(code) => (None, None, Some(code)),
            Ending::Trap(msg) => (None, Some(msg), None),
        },
    };
    let memory = final_memory(&mut p);
    Ok(ExportOutcome {
        results,
        trap,
        exit_code,
        stdout: p.stdout.contents().to_vec(),
        stderr: p.stderr.contents().to_vec(),
        memory,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wat(text: &str) -> Vec<u8> {
        wat::parse_str(text).expect("test module parses")
    }

    const HELLO: &str = r#"(module
      (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "hello\n")
      (func (export "_start")
        (i32.store (i32.const 0) (i32.const 16))
        (i32.store (i32.const 4) (i32.const 6))
        (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (call $exit (i32.const 3)))
      (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
      (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
      (func (export "f") (param f64) (result f64) (f64.mul (local.get 0) (f64.const 2)))
    )"#;

    #[test]
    fn command_prints_and_exits() {
        let run = run_wasi_full(&wat(HELLO), &WasiOptions::default()).unwrap();
        assert_eq!(run.outcome.stdout, b"hello\n");
        assert_eq!(run.outcome.exit_code, 3);
        assert_eq!(run.outcome.trap, None);
        let mem = run.memory.unwrap();
        assert_eq!(mem.len(), 65536);
        assert_eq!(&mem[16..22], b"hello\n");
        assert_eq!(&mem[8..12], &6u32.to_le_bytes());
    }

    #[test]
    fn start_returning_is_exit_zero_and_traps_are_reported() {
        let m = wat(r#"(module (func (export "_start")))"#);
        let out = run_wasi(&m, &WasiOptions::default()).unwrap();
        assert_eq!((out.exit_code, out.trap), (0, None));
        let m = wat(r#"(module (func (export "_start") unreachable))"#);
        let out = run_wasi(&m, &WasiOptions::default()).unwrap();
        assert!(out.trap.unwrap().contains("unreachable"));
        let m = wat(r#"(module (func (export "_start") (loop (br 0))))"#);
        let out = run_wasi_fuel(&m, &WasiOptions::default(), 1_000_000)
            .unwrap()
            .outcome;
        assert!(out.trap.unwrap().contains("fuel"));
    }

    #[test]
    fn exports_take_arguments_and_give_results() {
        let m = wat(HELLO);
        let args = parse_args(&m, "add", &["40".into(), "2".into()]).unwrap();
        let out = run_export(&m, "add", &args).unwrap();
        assert_eq!(out.results, Some(vec![Value::I32(42)]));
        let out = run_export(&m, "div", &[Value::I32(1), Value::I32(0)]).unwrap();
        assert!(out.trap.unwrap().contains("divide by zero"));
        let args = parse_args(&m, "f", &["1.25".into()]).unwrap();
        let out = run_export(&m, "f", &args).unwrap();
        assert_eq!(out.results, Some(vec![Value::F64(2.5f64.to_bits())]));
        assert!(run_export(&m, "add", &[Value::I64(1), Value::I32(2)]).is_err());
        assert!(run_export(&m, "nope", &[]).is_err());
        let out = run_export(&m, "_start", &[]).unwrap();
        assert_eq!(out.exit_code, Some(3));
        assert_eq!(out.stdout, b"hello\n");
    }

    #[test]
    fn stdin_args_and_env_reach_the_guest() {
        // Reads up to 16 bytes from stdin into 100 and writes them back to stdout, then exits
        // with argc * 10 + environ count.
        let m = wat(r#"(module
          (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "args_sizes_get" (func $args (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "environ_sizes_get" (func $envs (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (memory (export "memory") 1)
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 100))
            (i32.store (i32.const 4) (i32.const 16))
            (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
            (i32.store (i32.const 4) (i32.load (i32.const 8)))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (drop (call $args (i32.const 20) (i32.const 24)))
            (drop (call $envs (i32.const 28) (i32.const 32)))
            (call $exit (i32.add (i32.mul (i32.load (i32.const 20)) (i32.const 10))
                                 (i32.load (i32.const 28))))))"#);
        let options = WasiOptions {
            args: vec!["prog".into(), "a".into()],
            stdin: b"ping".to_vec(),
            preopens: vec![],
            env: vec![("A".into(), "1".into())],
            libs: vec![],
        };
        let out = run_wasi(&m, &options).unwrap();
        assert_eq!(out.stdout, b"ping");
        assert_eq!(out.exit_code, 21);
    }

    #[test]
    fn values_parse_by_type() {
        assert_eq!(Value::parse("-1", &ValType::I32).unwrap(), Value::I32(-1));
        assert_eq!(
            Value::parse("0xffffffff", &ValType::I32).unwrap(),
            Value::I32(-1)
        );
        assert!(Value::parse("0x1ffffffff", &ValType::I32).is_err());
        assert_eq!(
            Value::parse("3", &ValType::F32).unwrap(),
            Value::F32(3f32.to_bits())
        );
        assert!(Value::parse("x", &ValType::I64).is_err());
    }
}
