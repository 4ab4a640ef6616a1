//! A small dynamic loader for `dylink.0` modules (WebAssembly/tool-conventions
//! DynamicLinking.md), on wasmtime, so that PIC output is run and not only compared as bytes.
//!
//! [`load`] instantiates the main module, then every shared library it needs (a library's own
//! needs first, each once), in that order:
//! - one memory, one indirect function table and one `__stack_pointer` are shared by all
//!   (created here, or the main module's own when it defines them and exports them);
//! - each PIC module gets a region of memory aligned as its `dylink.0` memory info asks, at
//!   its `__memory_base` (from the main module's `malloc` when it exports one, else grown at
//!   the memory's end), and its table slots at its `__table_base`;
//! - function imports resolve to the exports of the modules loaded (the main module first, then
//!   the libraries in load order, the first definition winning), through a trampoline when
//!   the definition comes from a module not loaded yet;
//! - `GOT.mem.NAME` imports get the address of data NAME, `GOT.func.NAME` the table slot of
//!   function NAME (given one on first use);
//! - then each module's `__wasm_apply_data_relocs` runs, each library's `__wasm_call_ctors`,
//!   and the caller runs the main module.
//!
//! An import nothing provides is an error naming the module and the import, unless `dylink.0`
//! lists it as weak (then a GOT entry is 0 and a function traps when called); a function whose
//! signature differs from its import's is an error naming both modules.

use crate::run::{self, Ending, WasiStore};
use anyhow::{anyhow, bail, Context as _};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use wasmparser::{Dylink0Subsection, KnownCustom, Parser, Payload};
use wasmtime::{
    ExternType, Func, FuncType, Global, GlobalType, Instance, Memory, Module, Mutability, Ref,
    RefType, Table, TableType, Val, ValType,
};

/// A module to load: its name (what `dylink.0` needed-library lists say) and bytes.
#[derive(Clone, Debug)]
pub struct Library {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What a module's `dylink.0` section says.
#[derive(Clone, Debug, Default)]
pub struct DylinkInfo {
    pub memory_size: u32,
    pub memory_alignment: u32,
    pub table_size: u32,
    pub needed: Vec<String>,
    /// `(module, field)` of the imports the loader may leave unresolved (weak).
    pub weak_imports: Vec<(String, String)>,
}

/// The `dylink.0` section of `wasm`, if it has one.
pub fn dylink_info(wasm: &[u8]) -> anyhow::Result<Option<DylinkInfo>> {
    for payload in Parser::new(0).parse_all(wasm) {
        let Payload::CustomSection(c) = payload? else {
            continue;
        };
        let KnownCustom::Dylink0(reader) = c.as_known() else {
            continue;
        };
        let mut info = DylinkInfo::default();
        for sub in reader {
            match sub? {
                Dylink0Subsection::MemInfo(m) => {
                    info.memory_size = m.memory_size;
                    info.memory_alignment = m.memory_alignment;
                    info.table_size = m.table_size;
                }
                Dylink0Subsection::Needed(n) => {
                    info.needed = n.iter().map(|s| s.to_string()).collect();
                }
                Dylink0Subsection::ImportInfo(list) => {
                    for i in list {
                        info.weak_imports.push((i.module.into(), i.field.into()));
                    }
                }
                _ => {}
            }
        }
        return Ok(Some(info));
    }
    Ok(None)
}

/// Whether `wasm` is run through the loader: it has a `dylink.0` section and is
/// position-independent (imports `__memory_base`), needs libraries, or libraries are given.
pub fn wants_loader(wasm: &[u8], options: &run::WasiOptions) -> anyhow::Result<bool> {
    let Some(info) = dylink_info(wasm)? else {
        return Ok(false);
    };
    if !options.libs.is_empty() || !info.needed.is_empty() {
        return Ok(true);
    }
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::ImportSection(r) = payload? {
            for import in r.into_imports() {
                let import = import?;
                if import.module == "env" && import.name == "__memory_base" {
                    return Ok(true);
                }
            }
        }
    }
    Ok(false)
}

/// Whether `wasm` has a `linking` section (an object, not a shared library).
pub fn has_linking_section(wasm: &[u8]) -> bool {
    Parser::new(0)
        .parse_all(wasm)
        .any(|p| matches!(p, Ok(Payload::CustomSection(c)) if c.name() == "linking"))
}

/// Stack given to the modules when the loader makes the stack.
const STACK_SIZE: u64 = 1 << 16;
const PAGE: u64 = 1 << 16;

/// Functions found so far, by name, for trampolines that resolve late.
type FuncTable = Arc<Mutex<HashMap<String, Func>>>;

/// The loaded program: the store, the main module's instance, and where the output goes.
pub(crate) struct Loaded {
    pub wasi: WasiStore,
    pub main: Instance,
}

struct Loader {
    wasi: WasiStore,
    memory: Option<Memory>,
    table: Option<Table>,
    stack_pointer: Option<Global>,
    funcs: FuncTable,
    /// Absolute addresses of the data the modules export.
    data: HashMap<String, u64>,
    /// GOT entries to resolve once everything is loaded: (module, name, global, weak).
    got: Vec<(String, String, Global, bool)>,
    /// Table slots given to functions through `GOT.func`.
    slots: HashMap<String, u64>,
    /// Function imports bound to a trampoline: (importing module, name, weak), checked
    /// once everything is loaded.
    trampolines: Vec<(String, String, bool)>,
    /// The first free byte of memory.
    next: u64,
    /// The main module's allocator, when it exports one (`malloc`, or `realloc` called with
    /// a null pointer): libraries' memory comes from it.
    malloc: Option<(Func, bool)>,
}

/// Loads `main` and the libraries it needs, found among `libs` by name; an `Ending` when a
/// start function or a constructor traps or exits.
pub(crate) fn load(
    main: &[u8],
    libs: &[Library],
    options: &run::WasiOptions,
    fuel: u64,
) -> anyhow::Result<Result<Loaded, Ending>> {
    let info = dylink_info(main)?.unwrap_or_default();
    let mut order = Vec::new();
    needed_order(&info.needed, libs, &mut order, &mut Vec::new())?;
    let mut l = Loader {
        wasi: run::wasi_store(options, fuel)?,
        memory: None,
        table: None,
        stack_pointer: None,
        funcs: Arc::default(),
        data: HashMap::new(),
        got: Vec::new(),
        slots: HashMap::new(),
        trampolines: Vec::new(),
        next: 0,
        malloc: None,
    };
    let mut instances = Vec::new();
    let main_instance = match l.instantiate("the main module", main, &info, true)? {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    instances.push(main_instance);
    for &n in &order {
        let lib = &libs[n];
        let info = dylink_info(&lib.bytes)?
            .ok_or_else(|| anyhow!("{}: not a shared library (no dylink.0 section)", lib.name))?;
        match l.instantiate(&lib.name, &lib.bytes, &info, false)? {
            Ok(i) => instances.push(i),
            Err(e) => return Ok(Err(e)),
        }
    }
    l.resolve_got()?;
    l.check_trampolines()?;
    // Libraries first (their data may be read by the main module's constructors).
    let mut startup: Vec<(Instance, &str)> = Vec::new();
    for &i in instances[1..].iter().chain(std::iter::once(&instances[0])) {
        startup.push((i, "__wasm_apply_data_relocs"));
    }
    for &i in &instances[1..] {
        startup.push((i, "__wasm_call_ctors"));
    }
    for (instance, name) in startup {
        if let Some(f) = instance.get_func(&mut l.wasi.store, name) {
            let ty = f.ty(&l.wasi.store);
            if ty.params().len() != 0 || ty.results().len() != 0 {
                bail!("{name} of a loaded module is not () -> ()");
            }
            if let Err(e) = f.call(&mut l.wasi.store, &[], &mut []) {
                return Ok(Err(run::classify(e)));
            }
        }
    }
    Ok(Ok(Loaded {
        wasi: l.wasi,
        main: instances[0],
    }))
}

/// The libraries to load for `needed`, dependencies first, each once.
fn needed_order(
    needed: &[String],
    libs: &[Library],
    order: &mut Vec<usize>,
    path: &mut Vec<usize>,
) -> anyhow::Result<()> {
    for name in needed {
        let n = libs
            .iter()
            .position(|l| l.name == *name || file_name(&l.name) == name.as_str())
            .ok_or_else(|| anyhow!("needed library {name} not found (give it with --lib)"))?;
        if order.contains(&n) || path.contains(&n) {
            continue;
        }
        path.push(n);
        let deps = dylink_info(&libs[n].bytes)?.unwrap_or_default().needed;
        needed_order(&deps, libs, order, path)?;
        path.pop();
        order.push(n);
    }
    Ok(())
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn align(v: u64, log2: u32) -> u64 {
    let a = 1u64 << log2.min(32);
    v.div_ceil(a) * a
}

impl Loader {
    /// Instantiates one module: its memory region and table slots first, then its imports.
    fn instantiate(
        &mut self,
        name: &str,
        wasm: &[u8],
        info: &DylinkInfo,
        is_main: bool,
    ) -> anyhow::Result<Result<Instance, Ending>> {
        let engine = run::engine()?;
        let module = run::wt(
            run::compile(engine, wasm),
            &format!("{name}: wasmtime rejected it"),
        )?;
        let pic = module
            .imports()
            .any(|i| i.module() == "env" && i.name() == "__memory_base");
        let memory_base = if pic {
            self.reserve_memory(&module, info)?
        } else {
            0
        };
        let table_base = self.reserve_table(&module, info)?;
        let mut imports = Vec::new();
        for import in module.imports() {
            let weak = info
                .weak_imports
                .iter()
                .any(|(m, f)| m == import.module() && f == import.name());
            if matches!(import.ty(), ExternType::Func(_))
                && import.module() != "wasi_snapshot_preview1"
            {
                let known = self
                    .funcs
                    .lock()
                    .map_err(|_| anyhow!("poisoned"))?
                    .contains_key(import.name());
                if !known {
                    self.trampolines
                        .push((name.to_string(), import.name().to_string(), weak));
                }
            }
            let item = self
                .import(&import, memory_base, table_base, weak)
                .with_context(|| {
                    format!(
                        "{name}: cannot resolve import {}.{}",
                        import.module(),
                        import.name()
                    )
                })?;
            imports.push(item);
        }
        let instance = match Instance::new(&mut self.wasi.store, &module, &imports) {
            Ok(i) => i,
            Err(e) if e.downcast_ref::<wasmtime::Trap>().is_some() => {
                return Ok(Err(run::classify(e)))
            }
            Err(e) => {
                return Err(anyhow::Error::from(e).context(format!("{name}: cannot instantiate")))
            }
        };
        if is_main {
            self.adopt_main(instance)?;
        }
        self.register_exports(&module, instance, memory_base, pic);
        Ok(Ok(instance))
    }

    /// A PIC module's memory region: aligned as `dylink.0` asks, after what is in use, the
    /// memory created (or grown) to hold it; the stack follows the main module's data.
    fn reserve_memory(&mut self, module: &Module, info: &DylinkInfo) -> anyhow::Result<u64> {
        if let Some(base) = self.allocate(info)? {
            return Ok(base);
        }
        let base = align(self.next, info.memory_alignment);
        let end = base + u64::from(info.memory_size);
        self.next = end;
        let imports_memory = module
            .imports()
            .any(|i| matches!(i.ty(), ExternType::Memory(_)));
        match self.memory {
            Some(m) => self.ensure_memory(m, self.next)?,
            None if imports_memory => {
                let ty = module
                    .imports()
                    .find_map(|i| match i.ty() {
                        ExternType::Memory(m) => Some(m),
                        _ => None,
                    })
                    .expect("checked above");
                let pages = self.next.div_ceil(PAGE).max(ty.minimum());
                let ty = wasmtime::MemoryType::new(pages as u32, ty.maximum().map(|m| m as u32));
                self.memory = Some(Memory::new(&mut self.wasi.store, ty)?);
            }
            // The module defines its memory: grown once it exists (`adopt_main`).
            None => {}
        }
        Ok(base)
    }

    /// A library's memory from the main module's `malloc` (as Emscripten's loader takes it):
    /// memory the loader grew itself would be inside the first heap a C library's allocator
    /// claims (wasi-libc's takes everything from `__heap_base` to the memory's end on its
    /// first call), which would then hand the library's data out.
    fn allocate(&mut self, info: &DylinkInfo) -> anyhow::Result<Option<u64>> {
        let Some((malloc, is_realloc)) = self.malloc else {
            return Ok(None);
        };
        let alignment = 1u64 << info.memory_alignment.min(16);
        let size = u64::from(info.memory_size) + alignment;
        let ty = malloc.ty(&self.wasi.store);
        let word = |v: u64| match ty.params().next() {
            Some(ValType::I64) => Val::I64(v as i64),
            _ => Val::I32(v as i32),
        };
        let args = if is_realloc {
            vec![word(0), word(size)]
        } else {
            vec![word(size)]
        };
        let mut result = [Val::I32(0)];
        run::wt(
            malloc.call(&mut self.wasi.store, &args, &mut result),
            "the main module's malloc failed while loading a library",
        )?;
        let ptr = match result[0] {
            Val::I64(v) => v as u64,
            Val::I32(v) => v as u32 as u64,
            _ => bail!("the main module's malloc returned no address"),
        };
        if ptr == 0 {
            bail!("the main module's malloc has no {size} bytes for a library");
        }
        Ok(Some(align(ptr, info.memory_alignment)))
    }

    fn ensure_memory(&mut self, memory: Memory, bytes: u64) -> anyhow::Result<()> {
        let have = memory.data_size(&self.wasi.store) as u64;
        if bytes > have {
            run::wt(
                memory.grow(&mut self.wasi.store, (bytes - have).div_ceil(PAGE)),
                "cannot grow the memory for a library",
            )?;
        }
        Ok(())
    }

    /// The module's table slots, after those in use.
    fn reserve_table(&mut self, module: &Module, info: &DylinkInfo) -> anyhow::Result<u64> {
        let table_type = module.imports().find_map(|i| match i.ty() {
            ExternType::Table(t) if i.name() == "__indirect_function_table" => Some(t),
            _ => None,
        });
        if self.table.is_none() {
            if let Some(t) = &table_type {
                let ty = TableType::new(RefType::FUNCREF, t.minimum() as u32, None);
                self.table = Some(Table::new(&mut self.wasi.store, ty, Ref::Func(None))?);
                return Ok(0);
            }
        }
        let Some(table) = self.table else {
            return Ok(0);
        };
        let base = table.size(&self.wasi.store);
        table.grow(
            &mut self.wasi.store,
            u64::from(info.table_size),
            Ref::Func(None),
        )?;
        Ok(base)
    }

    /// The value for one import.
    fn import(
        &mut self,
        import: &wasmtime::ImportType,
        memory_base: u64,
        table_base: u64,
        weak: bool,
    ) -> anyhow::Result<wasmtime::Extern> {
        let (module, field) = (import.module(), import.name());
        if module == "wasi_snapshot_preview1" {
            return self
                .wasi
                .linker
                .get_by_import(&mut self.wasi.store, import)
                .ok_or_else(|| anyhow!("WASI has no such function"));
        }
        let constant = |store: &mut wasmtime::Store<_>, v: u64, ty: &GlobalType| {
            let val = match ty.content() {
                ValType::I64 => Val::I64(v as i64),
                _ => Val::I32(v as i32),
            };
            Global::new(
                store,
                GlobalType::new(ty.content().clone(), Mutability::Const),
                val,
            )
        };
        Ok(match (module, field, import.ty()) {
            (_, _, ExternType::Memory(_)) => self
                .memory
                .ok_or_else(|| anyhow!("no memory to share"))?
                .into(),
            (_, "__indirect_function_table", ExternType::Table(_)) => self
                .table
                .ok_or_else(|| anyhow!("no table to share"))?
                .into(),
            ("env", "__memory_base", ExternType::Global(g)) => {
                constant(&mut self.wasi.store, memory_base, &g)?.into()
            }
            ("env", "__table_base", ExternType::Global(g)) => {
                constant(&mut self.wasi.store, table_base, &g)?.into()
            }
            ("env", "__stack_pointer", ExternType::Global(g)) => {
                if self.stack_pointer.is_none() {
                    // The stack goes after what is placed so far, growing down from its top.
                    self.next = align(self.next, 4) + STACK_SIZE;
                    if let Some(m) = self.memory {
                        self.ensure_memory(m, self.next)?;
                    }
                    let store = &mut self.wasi.store;
                    let val = Val::I32(self.next as i32);
                    let ty = GlobalType::new(g.content().clone(), Mutability::Var);
                    self.stack_pointer = Some(Global::new(&mut *store, ty, val)?);
                }
                self.stack_pointer.expect("made above").into()
            }
            ("GOT.mem" | "GOT.func", _, ExternType::Global(g)) => {
                let ty = GlobalType::new(g.content().clone(), Mutability::Var);
                let zero = match g.content() {
                    ValType::I64 => Val::I64(0),
                    _ => Val::I32(0),
                };
                let global = Global::new(&mut self.wasi.store, ty, zero)?;
                self.got.push((module.into(), field.into(), global, weak));
                global.into()
            }
            (_, _, ExternType::Func(ty)) => self.function(field, ty, weak)?.into(),
            (_, _, other) => bail!("nothing provides an import of type {other:?}"),
        })
    }

    /// A function import: the definition already loaded (its signature checked), or a
    /// trampoline that finds it when called.
    fn function(&mut self, name: &str, ty: FuncType, weak: bool) -> anyhow::Result<Func> {
        let found = self
            .funcs
            .lock()
            .map_err(|_| anyhow!("poisoned"))?
            .get(name)
            .copied();
        if let Some(f) = found {
            let have = f.ty(&self.wasi.store);
            if !FuncType::eq(&have, &ty) {
                bail!("signature mismatch: the import is {ty:?}, the definition is {have:?}");
            }
            return Ok(f);
        }
        let funcs = Arc::clone(&self.funcs);
        let name = name.to_string();
        Ok(Func::new(
            &mut self.wasi.store,
            ty,
            move |mut caller, params, results| {
                let target = funcs.lock().ok().and_then(|m| m.get(&name).copied());
                match target {
                    Some(f) => f.call(&mut caller, params, results),
                    None if weak => Err(wasmtime::Error::msg(format!(
                        "weak function {name} is not defined"
                    ))),
                    None => Err(wasmtime::Error::msg(format!(
                        "function {name} is not defined by any module"
                    ))),
                }
            },
        ))
    }

    /// The main module's own memory, table and stack pointer, when it defines them: shared
    /// with the libraries (it must export them for that).
    fn adopt_main(&mut self, instance: Instance) -> anyhow::Result<()> {
        let store = &mut self.wasi.store;
        if self.memory.is_none() {
            self.memory = instance.get_memory(&mut *store, "memory");
        }
        if self.table.is_none() {
            self.table = instance.get_table(&mut *store, "__indirect_function_table");
        }
        if self.stack_pointer.is_none() {
            self.stack_pointer = instance.get_global(&mut *store, "__stack_pointer");
        }
        let allocator = |name: &str, params: usize, store: &mut wasmtime::Store<_>| {
            instance.get_func(&mut *store, name).filter(|f| {
                let ty = f.ty(&*store);
                ty.params().len() == params && ty.results().len() == 1
            })
        };
        self.malloc = allocator("malloc", 1, store)
            .map(|f| (f, false))
            .or_else(|| allocator("realloc", 2, store).map(|f| (f, true)));
        if let Some(m) = self.memory {
            // A static main module places its data itself: libraries go after its memory.
            let size = m.data_size(&*store) as u64;
            if self.next == 0 {
                self.next = size;
            }
            self.ensure_memory(m, self.next)?;
            if let Some(sp) = self.stack_pointer {
                if sp.get(&mut self.wasi.store).i32() == Some(0) {
                    sp.set(&mut self.wasi.store, Val::I32(self.next as i32))?;
                }
            }
        }
        Ok(())
    }

    /// Records a module's exports: functions by name (the first definition of a name wins),
    /// and the data addresses a PIC module exports as globals (offsets from its base).
    fn register_exports(&mut self, module: &Module, instance: Instance, base: u64, pic: bool) {
        let skip = ["__wasm_apply_data_relocs", "__wasm_call_ctors", "_start"];
        for export in module.exports() {
            let name = export.name().to_string();
            if skip.contains(&name.as_str()) {
                continue;
            }
            match export.ty() {
                ExternType::Func(_) => {
                    if let Some(f) = instance.get_func(&mut self.wasi.store, &name) {
                        if let Ok(mut funcs) = self.funcs.lock() {
                            funcs.entry(name).or_insert(f);
                        }
                    }
                }
                ExternType::Global(g) if g.mutability() == Mutability::Const => {
                    let Some(global) = instance.get_global(&mut self.wasi.store, &name) else {
                        continue;
                    };
                    let v = match global.get(&mut self.wasi.store) {
                        Val::I32(v) => v as u32 as u64,
                        Val::I64(v) => v as u64,
                        _ => continue,
                    };
                    let address = if pic { base + v } else { v };
                    self.data.entry(name).or_insert(address);
                }
                _ => {}
            }
        }
    }

    /// Every GOT entry: the address of its data, or the table slot of its function (given
    /// one at the end of the table on first use).
    fn resolve_got(&mut self) -> anyhow::Result<()> {
        for (module, name, global, weak) in std::mem::take(&mut self.got) {
            let value = if module == "GOT.mem" {
                match self.data.get(&name) {
                    Some(&a) => a,
                    None if weak => 0,
                    None => bail!("GOT.mem.{name}: no module exports data {name}"),
                }
            } else {
                let f = self.funcs.lock().ok().and_then(|m| m.get(&name).copied());
                match f {
                    Some(f) => self.slot_of(&name, f)?,
                    None if weak => 0,
                    None => bail!("GOT.func.{name}: no module exports function {name}"),
                }
            };
            let v = match global.ty(&self.wasi.store).content() {
                ValType::I64 => Val::I64(value as i64),
                _ => Val::I32(value as i32),
            };
            global.set(&mut self.wasi.store, v)?;
        }
        Ok(())
    }

    /// Every function import bound to a trampoline must have found its definition (weak
    /// ones may not: they trap if called).
    fn check_trampolines(&self) -> anyhow::Result<()> {
        let funcs = self.funcs.lock().map_err(|_| anyhow!("poisoned"))?;
        for (module, name, weak) in &self.trampolines {
            if !weak && !funcs.contains_key(name) {
                bail!(
                    "{module}: cannot resolve import env.{name}: no module exports function {name}"
                );
            }
        }
        Ok(())
    }

    fn slot_of(&mut self, name: &str, f: Func) -> anyhow::Result<u64> {
        if let Some(&s) = self.slots.get(name) {
            return Ok(s);
        }
        let table = self
            .table
            .ok_or_else(|| anyhow!("GOT.func.{name}: no indirect function table"))?;
        let slot = table.grow(&mut self.wasi.store, 1, Ref::Func(Some(f)))?;
        self.slots.insert(name.to_string(), slot);
        Ok(slot)
    }
}
