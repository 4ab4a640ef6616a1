//! Stage `write`: emit the module bytes, one function per section in wasm-ld's order, and write
//! them atomically (a temporary file beside the output, then rename): an error never leaves a
//! partial output behind.
//!
//! The module is streamed: every section's size is known from the layout, so headers are
//! written first and function bodies, data segments and custom sections are copied once,
//! with their relocation sites patched (`relocate`), into a buffer that is written to the
//! file in 4 MiB spills. `--build-id` is hashed as the bytes go out and patched into the last
//! section. Everything the linker writes itself uses minimal LEBs.

use crate::args::{BuildId, Config};
use crate::error::Result;
use crate::layout::memory::SegmentChunk;
use crate::layout::relocatable::{OutReloc, Relocatable, SymbolPlace};
use crate::layout::synthetic::{base_plus_expr, const_expr};
use crate::layout::{Layout, OutFunction, OutImportKind};
use crate::leb;
use crate::object::{FuncType, SymbolKind};
use crate::relocate::{self, Site};
use crate::resolve::Resolved;
use crate::{bail, err};
use std::io::Write;
use std::path::{Path, PathBuf};
use wasmparser::{RefType, ValType};

fn val_type(out: &mut Vec<u8>, t: ValType) -> Result<()> {
    out.push(match t {
        ValType::I32 => 0x7f,
        ValType::I64 => 0x7e,
        ValType::F32 => 0x7d,
        ValType::F64 => 0x7c,
        ValType::V128 => 0x7b,
        ValType::Ref(r) => return ref_type(out, r),
    });
    Ok(())
}

fn ref_type(out: &mut Vec<u8>, r: RefType) -> Result<()> {
    if r == RefType::FUNCREF {
        out.push(0x70);
    } else if r == RefType::EXTERNREF {
        out.push(0x6f);
    } else if r == RefType::EXNREF {
        out.push(0x69);
    } else {
        bail!("reference type {r:?} is not supported");
    }
    Ok(())
}

fn name(out: &mut Vec<u8>, s: &str) {
    leb::write_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

fn section(out: &mut Vec<u8>, id: u8, body: &[u8]) {
    out.push(id);
    leb::write_u32(out, body.len() as u32);
    out.extend_from_slice(body);
}

fn custom_section(out: &mut Vec<u8>, sec_name: &str, payload: &[u8]) {
    let mut body = Vec::with_capacity(payload.len() + sec_name.len() + 5);
    name(&mut body, sec_name);
    body.extend_from_slice(payload);
    section(out, 0, &body);
}

fn limits(out: &mut Vec<u8>, flags: u8, min: u64, max: Option<u64>) {
    out.push(flags | u8::from(max.is_some()));
    leb::write_u64(out, min);
    if let Some(m) = max {
        leb::write_u64(out, m);
    }
}

fn func_type(out: &mut Vec<u8>, t: &FuncType) -> Result<()> {
    out.push(0x60);
    leb::write_u32(out, t.params.len() as u32);
    for &p in &t.params {
        val_type(out, p)?;
    }
    leb::write_u32(out, t.results.len() as u32);
    for &r in &t.results {
        val_type(out, r)?;
    }
    Ok(())
}

/// Where the module goes: a buffer that, when a file is attached, is written out and emptied
/// whenever it grows past [`SPILL_BYTES`] at a point between two chunks. Positions are
/// logical (from the start of the module), so code that lays out a section by offsets works
/// the same on a file and in memory. Every size is known before its bytes are written, so
/// nothing already written is ever patched; peak memory for the output is one spill's worth
/// plus the largest chunk, not the whole module.
struct Out {
    buf: Vec<u8>,
    /// Bytes already written to `file`.
    base: u64,
    file: Option<std::fs::File>,
    /// The output path, for errors.
    path: std::path::PathBuf,
    /// For `--build-id=fast|sha1`: hashes what is written, as it is written.
    hasher: Option<ChunkHasher>,
}

/// lld's build-id hash: the output is cut into 1 MiB chunks, each chunk hashed, and the
/// concatenated chunk hashes hashed again (xxh3-64 little-endian, or SHA-1).
struct ChunkHasher {
    sha1: bool,
    pending: Vec<u8>,
    hashes: Vec<u8>,
}

const BUILD_ID_CHUNK: usize = 1 << 20;

impl ChunkHasher {
    fn new(config: &Config) -> Option<ChunkHasher> {
        let sha1 = match config.build_id {
            BuildId::Fast => false,
            BuildId::Sha1 => true,
            _ => return None,
        };
        Some(ChunkHasher {
            sha1,
            pending: Vec::new(),
            hashes: Vec::new(),
        })
    }

    fn hash(sha1: bool, data: &[u8], out: &mut Vec<u8>) {
        if sha1 {
            use sha1::Digest;
            out.extend_from_slice(&sha1::Sha1::digest(data));
        } else {
            out.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(data).to_le_bytes());
        }
    }

    fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            if self.pending.is_empty() && data.len() >= BUILD_ID_CHUNK {
                Self::hash(self.sha1, &data[..BUILD_ID_CHUNK], &mut self.hashes);
                data = &data[BUILD_ID_CHUNK..];
                continue;
            }
            let take = (BUILD_ID_CHUNK - self.pending.len()).min(data.len());
            self.pending.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.pending.len() == BUILD_ID_CHUNK {
                Self::hash(self.sha1, &self.pending, &mut self.hashes);
                self.pending.clear();
            }
        }
    }

    /// The build id: 16 bytes (a v5 UUID from the xxh3 hash), or 20 (SHA-1).
    fn finish(mut self) -> Vec<u8> {
        if !self.pending.is_empty() {
            Self::hash(self.sha1, &self.pending, &mut self.hashes);
        }
        let mut file_hash = Vec::new();
        Self::hash(self.sha1, &self.hashes, &mut file_hash);
        if self.sha1 {
            return file_hash;
        }
        // A name-based (v5) UUID in lld's namespace.
        use sha1::Digest;
        const NAMESPACE: [u8; 16] = [
            0xA1, 0xFA, 0x48, 0x2D, 0x0E, 0x22, 0x03, 0x8D, 0x33, 0x8B, 0x52, 0x1C, 0xD6, 0xD2,
            0x12, 0xB2,
        ];
        let mut sha = sha1::Sha1::new();
        sha.update(NAMESPACE);
        sha.update(&file_hash);
        uuid_bits(sha.finalize()[..16].to_vec(), 5)
    }
}

/// Sets the version nibble and the DCE variant bits of a UUID.
fn uuid_bits(mut id: Vec<u8>, version: u8) -> Vec<u8> {
    id[6] = (version << 4) | (id[6] & 0x0f);
    id[8] = (id[8] & 0xbf) | 0x80;
    id
}

/// How much output is buffered before it is written to the file.
const SPILL_BYTES: usize = 4 << 20;

impl Out {
    /// The logical position of the next byte.
    fn pos(&self) -> u64 {
        self.base + self.buf.len() as u64
    }

    /// Pads with zeros up to logical position `pos` (at or after the last spill).
    fn zero_to(&mut self, pos: u64) {
        let rel = pos.saturating_sub(self.base) as usize;
        if rel > self.buf.len() {
            self.buf.resize(rel, 0);
        }
    }

    /// Writes the buffer to the file when it is large; call only between chunks.
    fn spill(&mut self) -> Result<()> {
        if self.buf.len() < SPILL_BYTES {
            return Ok(());
        }
        self.flush()
    }

    fn flush(&mut self) -> Result<()> {
        if let Some(f) = &mut self.file {
            if let Some(h) = &mut self.hasher {
                h.update(&self.buf);
            }
            f.write_all(&self.buf)
                .map_err(|e| err!("cannot write output file {}: {e}", self.path.display()))?;
            self.base += self.buf.len() as u64;
            self.buf.clear();
        }
        Ok(())
    }
}

/// The module bytes, in memory.
pub fn build(config: &Config, res: &Resolved, layout: &Layout) -> Result<Vec<u8>> {
    let mut out = Out {
        buf: Vec::new(),
        base: 0,
        file: None,
        path: config.output.clone(),
        hasher: ChunkHasher::new(config),
    };
    emit(config, res, layout, &mut out)?;
    Ok(out.buf)
}

/// Checks, before the link, that the output file and the map file can be written, as
/// wasm-ld's driver does with lld's `tryCreateFile` so that a long link does not fail at its
/// end: `-` (stdout) always can; a folder cannot (`Is a directory`); a regular file, or one
/// that does not exist yet, can when a temporary file can be created next to it (the message
/// is the system's, e.g. `No such file or directory` for a missing folder); another kind of
/// file (`/dev/null`) is written in place and is not checked. Both are checked and reported.
pub fn check_writable(config: &Config) -> Result<()> {
    let mut errors = Vec::new();
    if let Err(e) = try_create(&config.output) {
        errors.push(format!(
            "cannot open output file {}: {e}",
            config.output.display()
        ));
    }
    if let Some(map) = &config.map_file {
        if let Err(e) = try_create(map) {
            errors.push(format!("cannot open map file {}: {e}", map.display()));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(crate::Error::new(errors.join("\n")))
    }
}

/// wasm-ld writes the `--why-extract=` file once symbols are resolved, before it lays out a
/// `-shared`/`-pie` module; touchstone-ld refuses those earlier, so for them it first checks
/// that the file can be written, for wasm-ld's error.
pub fn check_why_extract(config: &Config) -> Result<()> {
    match &config.why_extract {
        Some(path) if config.shared || config.pie => try_create(path).map_err(|e| {
            crate::Error::new(format!(
                "cannot open --why-extract= file {}: {e}",
                path.display()
            ))
        }),
        _ => Ok(()),
    }
}

/// Whether `path` can be written as an output file (see [`check_writable`]); the reason if not.
fn try_create(path: &Path) -> std::result::Result<(), String> {
    if path.as_os_str().is_empty() || path == Path::new("-") {
        return Ok(());
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => return Err("Is a directory".into()),
        Ok(m) if !m.is_file() => return Ok(()),
        _ => {}
    }
    let probe = PathBuf::from(format!("{}.tmp{}", path.display(), std::process::id()));
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe);
    match created {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(crate::error::os_message(&e)),
    }
}

/// Links into `path`. `-` is stdout (the module is built in memory, then written). A file
/// that exists and is neither regular nor a folder (`/dev/null`, a pipe) is written in place,
/// never replaced. Otherwise the link is atomic: the module is streamed into a temporary file
/// in the same directory, then renamed; on any error the temporary file is removed and `path`
/// is left as it was.
pub fn write_file(config: &Config, res: &Resolved, layout: &Layout, path: &Path) -> Result<()> {
    if path == Path::new("-") || std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
    {
        return write_bytes(path, &build(config, res, layout)?);
    }
    let (tmp, file) = create_temp(path)?;
    let mut out = Out {
        buf: Vec::with_capacity(SPILL_BYTES + (1 << 20)),
        base: 0,
        file: Some(file),
        path: path.to_path_buf(),
        hasher: ChunkHasher::new(config),
    };
    emit(config, res, layout, &mut out)?;
    out.flush()?;
    drop(out.file.take());
    tmp.rename_to(path)
}

/// Writes a module built in memory (with `--touchstone-validate`, or for a device or `-`) as
/// [`write_file`] writes one: atomically into a file, as is to stdout or a device.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    if path == Path::new("-") {
        return write_stdout(bytes);
    }
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return std::fs::write(path, bytes).map_err(|e| cannot_write(path, &e));
    }
    let (tmp, mut file) = create_temp(path)?;
    file.write_all(bytes).map_err(|e| cannot_write(path, &e))?;
    drop(file);
    tmp.rename_to(path)
}

fn cannot_write(path: &Path, e: &std::io::Error) -> crate::Error {
    err!(
        "cannot write output file {}: {}",
        path.display(),
        crate::error::os_message(e)
    )
}

/// A temporary file beside `path`, removed unless renamed into place.
fn create_temp(path: &Path) -> Result<(TempFile, std::fs::File)> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = TempFile(dir.join(format!(".{file_name}.tmp{}", std::process::id())));
    // Executable like lld's output (mode 0777 less the umask).
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o777);
    let file = opts.open(&tmp.0).map_err(|e| cannot_write(path, &e))?;
    Ok((tmp, file))
}

/// Writes a module built in memory to stdout (`-o -`).
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|e| {
            err!(
                "cannot write output file -: {}",
                crate::error::os_message(&e)
            )
        })
}

/// The temporary output file: removed when dropped (an error or a panic on the way), unless
/// it was renamed into place and forgotten.
struct TempFile(std::path::PathBuf);

impl TempFile {
    /// Moves the finished file into place. No fsync: like lld, the rename only has to be
    /// atomic against our own errors, not durable against power loss, and fsync costs a link
    /// its speed advantage.
    fn rename_to(self, path: &Path) -> Result<()> {
        std::fs::rename(&self.0, path).map_err(|e| cannot_write(path, &e))?;
        std::mem::forget(self);
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Emits the module: the header, then one function per section, in the order wasm-ld writes
/// them (the standard sections in spec order, `dylink.0` first, then the custom sections
/// copied from the inputs, `name`, `producers`, `target_features` and `build_id`).
fn emit(config: &Config, res: &Resolved, layout: &Layout, out: &mut Out) -> Result<()> {
    out.buf.extend_from_slice(b"\0asm\x01\0\0\0");
    dylink_section(config, res, layout, out);
    type_section(layout, out)?;
    import_section(config, layout, out)?;
    function_section(res, layout, out)?;
    table_section(layout, out)?;
    memory_section(config, layout, out);
    tag_section(layout, out)?;
    global_section(layout, out)?;
    export_section(layout, out)?;
    start_section(layout, out);
    element_section(layout, out);
    let emitted = emitted_segments(config, layout);
    data_count_section(config, &emitted, out);
    // Nothing is spilled before the code section: the buffer holds every section so far.
    let before_code = sections_in(&out.buf, out.base)?;
    let body_offsets = code_section(config, res, layout, out)?;
    data_section(config, res, layout, &emitted, out)?;
    input_custom_sections(res, layout, &body_offsets, out)?;
    if let Some(r) = &layout.relocatable {
        let code = before_code;
        let data = code + u32::from(!layout.functions.defined.is_empty());
        let first_custom = data + u32::from(!emitted.is_empty());
        linking_section(layout, r, first_custom, out);
        reloc_sections(layout, r, code, data, first_custom, out);
    }
    let keep = |n: &str| !config.strip_all || config.keep_sections.iter().any(|k| k == n);
    if keep("name") {
        let payload = name_section(config, res, layout)?;
        custom_section(&mut out.buf, "name", &payload);
    }
    if keep("producers") {
        producers_section(layout, out);
    }
    if keep("target_features") {
        target_features_section(layout, out);
    }
    build_id(config, out)
}

/// A section holding a vector of `items`, each written by `item`; none when there are none.
fn vec_section<T>(
    out: &mut Out,
    id: u8,
    items: &[T],
    mut item: impl FnMut(&mut Vec<u8>, &T) -> Result<()>,
) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let mut b = Vec::new();
    leb::write_u32(&mut b, items.len() as u32);
    for x in items {
        item(&mut b, x)?;
    }
    section(&mut out.buf, id, &b);
    Ok(())
}

/// `dylink.0` (lld `DylinkSection::writeBody`): in a PIC output, or when shared libraries or
/// `--unresolved-symbols=import-dynamic` make a static module loadable by a dynamic linker.
/// The subsections, in order: memory info (always; a static layout reserves no memory of its
/// own, so its size is 0), needed libraries (every shared library given, by
/// file name, used or not), export info (exported TLS data), import info (live
/// weak undefined symbols, with
/// their import names and flags), runtime paths (`-rpath`).
fn dylink_section(config: &Config, res: &Resolved, layout: &Layout, out: &mut Out) {
    let import_dynamic = config.unresolved == crate::args::UnresolvedPolicy::ImportDynamic;
    if !config.is_pic() && !import_dynamic && res.shared_libs.is_empty() {
        return;
    }
    let memory = &layout.memory;
    // The alignment is the largest segment's in any link; a static layout places its data
    // itself, so it asks for no memory (lld `layoutMemory` sets the size only for PIC).
    let align = memory.segments.iter().map(|s| s.p2align).max().unwrap_or(0);
    let size = if config.is_pic() { memory.data_end } else { 0 };
    let mut b = Vec::new();
    let mut subsection = |id: u8, body: &[u8]| {
        b.push(id);
        leb::write_u32(&mut b, body.len() as u32);
        b.extend_from_slice(body);
    };
    let mut info = Vec::new();
    leb::write_u64(&mut info, size);
    leb::write_u32(&mut info, align);
    leb::write_u32(&mut info, layout.tables.elements.len() as u32);
    leb::write_u32(&mut info, 0); // table alignment
    subsection(1, &info); // WASM_DYLINK_MEM_INFO
    if !res.shared_libs.is_empty() {
        let mut body = Vec::new();
        leb::write_u32(&mut body, res.shared_libs.len() as u32);
        for lib in &res.shared_libs {
            let file = std::path::Path::new(lib)
                .file_name()
                .and_then(|f| f.to_str());
            name(&mut body, file.unwrap_or(lib));
        }
        subsection(2, &body); // WASM_DYLINK_NEEDED
    }
    if !layout.tls_exports.is_empty() {
        let mut body = Vec::new();
        leb::write_u32(&mut body, layout.tls_exports.len() as u32);
        for &id in &layout.tls_exports {
            let s = res.sym(id);
            name(&mut body, s.name);
            leb::write_u32(&mut body, s.flags | crate::object::WASM_SYM_TLS);
        }
        subsection(3, &body); // WASM_DYLINK_EXPORT_INFO
    }
    if !layout.weak_imports.is_empty() {
        let mut body = Vec::new();
        leb::write_u32(&mut body, layout.weak_imports.len() as u32);
        for &id in &layout.weak_imports {
            let s = res.sym(id);
            name(&mut body, s.import_module.unwrap_or("env"));
            name(&mut body, s.import_name.unwrap_or(s.name));
            leb::write_u32(&mut body, s.flags);
        }
        subsection(4, &body); // WASM_DYLINK_IMPORT_INFO
    }
    if !config.rpath.is_empty() {
        let mut body = Vec::new();
        leb::write_u32(&mut body, config.rpath.len() as u32);
        for p in &config.rpath {
            name(&mut body, p);
        }
        subsection(5, &body); // WASM_DYLINK_RUNTIME_PATH
    }
    custom_section(&mut out.buf, "dylink.0", &b);
}

fn type_section(layout: &Layout, out: &mut Out) -> Result<()> {
    vec_section(out, 1, &layout.types.types, func_type)
}

fn import_section(config: &Config, layout: &Layout, out: &mut Out) -> Result<()> {
    vec_section(out, 2, &layout.imports, |b, imp| {
        name(b, &imp.module);
        name(b, &imp.field);
        match &imp.kind {
            OutImportKind::Function(t) => {
                b.push(0x00);
                leb::write_u32(b, *t);
            }
            OutImportKind::Table(t) => {
                b.push(0x01);
                ref_type(b, t.element_type)?;
                limits(b, if t.table64 { 4 } else { 0 }, t.initial, t.maximum);
            }
            OutImportKind::Memory(_) => {
                b.push(0x02);
                let mut flags = if config.shared_memory { 2 } else { 0 };
                if layout.is64 {
                    flags |= 4;
                }
                limits(
                    b,
                    flags,
                    layout.memory.initial_pages,
                    layout.memory.max_pages,
                );
            }
            OutImportKind::Global(g) => {
                b.push(0x03);
                val_type(b, g.content_type)?;
                b.push(u8::from(g.mutable));
            }
            OutImportKind::Tag(t) => {
                b.push(0x04);
                b.push(0x00);
                leb::write_u32(b, *t);
            }
        }
        Ok(())
    })
}

fn function_section(res: &Resolved, layout: &Layout, out: &mut Out) -> Result<()> {
    vec_section(out, 3, &layout.functions.defined, |b, f| {
        let t = match f {
            OutFunction::Object { object, index } => {
                let ti = res.object(*object).obj.functions[*index as usize].type_index;
                layout.types.of_object[object.index()][ti as usize]
                    .ok_or_else(|| err!("function type was not registered"))?
            }
            OutFunction::Synthetic { type_index, .. } => *type_index,
        };
        leb::write_u32(b, t);
        Ok(())
    })
}

fn table_section(layout: &Layout, out: &mut Out) -> Result<()> {
    vec_section(out, 4, &layout.tables.defined, |b, t| {
        ref_type(b, t.ty.element_type)?;
        let flags = if t.ty.table64 { 4 } else { 0 };
        limits(b, flags, t.ty.initial, t.ty.maximum);
        Ok(())
    })
}

/// The memory section, unless the memory is imported. A page size other than 64 KiB is
/// written with the custom-page-sizes flag and its log2.
fn memory_section(config: &Config, layout: &Layout, out: &mut Out) {
    if config.import_memory.is_some() {
        return;
    }
    let mut b = Vec::new();
    leb::write_u32(&mut b, 1);
    let mut flags = 0u8;
    if config.shared_memory {
        flags |= 2;
    }
    if layout.is64 {
        flags |= 4;
    }
    let custom_page = layout.memory.page_size != 65536;
    if custom_page {
        flags |= 8;
    }
    let m = &layout.memory;
    limits(&mut b, flags, m.initial_pages, m.max_pages);
    if custom_page {
        leb::write_u32(&mut b, m.page_size.trailing_zeros());
    }
    section(&mut out.buf, 5, &b);
}

fn tag_section(layout: &Layout, out: &mut Out) -> Result<()> {
    vec_section(out, 13, &layout.tags.defined, |b, &t| {
        b.push(0x00); // attribute: exception
        leb::write_u32(b, t);
        Ok(())
    })
}

fn global_section(layout: &Layout, out: &mut Out) -> Result<()> {
    vec_section(out, 6, &layout.globals.defined, |b, g| {
        val_type(b, g.ty)?;
        b.push(u8::from(g.mutable));
        b.extend_from_slice(&g.init);
        Ok(())
    })
}

fn export_section(layout: &Layout, out: &mut Out) -> Result<()> {
    vec_section(out, 7, &layout.exports, |b, e| {
        name(b, &e.name);
        b.push(e.kind as u8);
        leb::write_u32(b, e.index);
        Ok(())
    })
}

/// The start section, when there is a start function ([`crate::layout::FunctionSpace::start`]).
fn start_section(layout: &Layout, out: &mut Out) {
    if let Some(start) = layout.functions.start() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, start);
        section(&mut out.buf, 8, &b);
    }
}

/// The element section: one active segment filling the indirect table from `--table-base`
/// (the MVP form when the table is number 0, the explicit-table form otherwise).
fn element_section(layout: &Layout, out: &mut Out) {
    let tables = &layout.tables;
    if tables.elements.is_empty() {
        return;
    }
    let table = tables.indirect.unwrap_or(0);
    let mut b = Vec::new();
    leb::write_u32(&mut b, 1);
    if table == 0 {
        b.push(0x00);
    } else {
        b.push(0x02);
        leb::write_u32(&mut b, table);
    }
    match layout.table_base_global {
        Some(g) => b.extend_from_slice(&base_plus_expr(layout.is64, g, 0)),
        None => b.extend_from_slice(&const_expr(layout.is64, tables.base as u64)),
    }
    if table != 0 {
        b.push(0x00);
    }
    leb::write_u32(&mut b, tables.elements.len() as u32);
    for &f in &tables.elements {
        leb::write_u32(&mut b, f);
    }
    section(&mut out.buf, 9, &b);
}

/// The data count section: with shared memory, whose passive segments `memory.init` names.
fn data_count_section(config: &Config, emitted: &[usize], out: &mut Out) {
    if config.shared_memory && !emitted.is_empty() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, emitted.len() as u32);
        section(&mut out.buf, 12, &b);
    }
}

/// The code section; returns where each body's code starts inside the section payload (past
/// its size LEB), for `FUNCTION_OFFSET` relocations in custom sections. Bodies keep their sizes
/// (only `--compress-relocations` changes them), so the section size is known first and the
/// bodies are relocated straight into the output: no second copy of the largest section.
fn code_section(
    config: &Config,
    res: &Resolved,
    layout: &Layout,
    out: &mut Out,
) -> Result<Vec<u64>> {
    let functions = &layout.functions.defined;
    let mut body_offsets: Vec<u64> = Vec::with_capacity(functions.len());
    if functions.is_empty() {
        return Ok(body_offsets);
    }
    if config.compress_relocations {
        // Sizes change: stage the section (a rarely used option).
        let mut b = Vec::new();
        leb::write_u32(&mut b, functions.len() as u32);
        for f in functions {
            let start = b.len();
            let body = match f {
                OutFunction::Object { object, index } => {
                    let o = res.object(*object);
                    let func = &o.obj.functions[*index as usize];
                    let relocs = o.obj.function_relocs(*index as usize);
                    relocate::compressed_body(res, layout, *object, func.body, func.offset, relocs)?
                }
                OutFunction::Synthetic { body, .. } => body.clone(),
            };
            b.extend_from_slice(&body);
            body_offsets.push((start + leb_len(&body)) as u64);
        }
        section(&mut out.buf, 10, &b);
        return Ok(body_offsets);
    }
    let body_len = |f: &OutFunction| match f {
        OutFunction::Object { object, index } => res.object(*object).obj.functions[*index as usize]
            .body
            .len(),
        OutFunction::Synthetic { body, .. } => body.len(),
    };
    let count = functions.len() as u32;
    let size = leb::size_u32(count) + functions.iter().map(body_len).sum::<usize>();
    out.buf.push(10);
    leb::write_u32(&mut out.buf, size as u32);
    let payload_start = out.pos();
    leb::write_u32(&mut out.buf, count);
    for f in functions {
        let start = out.pos() - payload_start;
        match f {
            OutFunction::Object { object, index } => {
                let o = res.object(*object);
                let func = &o.obj.functions[*index as usize];
                let relocs = o.obj.function_relocs(*index as usize);
                relocate::relocate_into(
                    &mut out.buf,
                    res,
                    layout,
                    *object,
                    func.body,
                    func.offset,
                    relocs,
                    &Site::Code,
                )?;
                body_offsets.push(start + leb_len(func.body) as u64);
            }
            OutFunction::Synthetic { body, .. } => {
                out.buf.extend_from_slice(body);
                body_offsets.push(start + leb_len(body) as u64);
            }
        }
        out.spill()?;
    }
    Ok(body_offsets)
}

/// The data section: the emitted segments, active at their address, or passive with shared
/// memory (`__wasm_init_memory` copies them). Segment headers are small: they are built first,
/// so the section size is known and the segment bytes go straight into the output, each input
/// chunk relocated in place and the gaps between chunks zero-filled.
fn data_section(
    config: &Config,
    res: &Resolved,
    layout: &Layout,
    emitted: &[usize],
    out: &mut Out,
) -> Result<()> {
    if emitted.is_empty() {
        return Ok(());
    }
    let segments = &layout.memory.segments;
    let headers: Vec<Vec<u8>> = emitted
        .iter()
        .map(|&si| segment_header(config, layout, &segments[si]))
        .collect();
    let size = leb::size_u32(emitted.len() as u32)
        + emitted
            .iter()
            .zip(&headers)
            .map(|(&si, h)| h.len() + segments[si].size as usize)
            .sum::<usize>();
    out.buf.push(11);
    leb::write_u32(&mut out.buf, size as u32);
    leb::write_u32(&mut out.buf, emitted.len() as u32);
    for (&si, header) in emitted.iter().zip(&headers) {
        let s = &segments[si];
        out.buf.extend_from_slice(header);
        let seg_start = out.pos();
        for c in &s.chunks {
            match c {
                SegmentChunk::Input {
                    object,
                    segment,
                    offset,
                } => {
                    out.zero_to(seg_start + offset);
                    let o = res.object(*object);
                    let seg = &o.obj.data_segments[*segment as usize];
                    let relocs = o.obj.segment_relocs(*segment as usize);
                    let site = Site::Data {
                        address: s.start + offset,
                    };
                    let (data, at) = (seg.data, seg.offset);
                    relocate::relocate_into(
                        &mut out.buf,
                        res,
                        layout,
                        *object,
                        data,
                        at,
                        relocs,
                        &site,
                    )?;
                }
                SegmentChunk::Merged { strings, offset } => {
                    out.zero_to(seg_start + offset);
                    out.buf.extend_from_slice(&strings.bytes);
                }
            }
            out.spill()?;
        }
        out.zero_to(seg_start + s.size);
    }
    Ok(())
}

/// A data segment's header: passive with shared memory (`__wasm_init_memory` copies it),
/// else active at its address, which in a PIC output is an offset from `__memory_base` (one
/// segment at the base itself, `combine_pic_segments`, or with extended-const each at its
/// own); then its size.
pub(crate) fn segment_header(
    config: &Config,
    layout: &Layout,
    s: &crate::layout::memory::OutSegment,
) -> Vec<u8> {
    let mut h = Vec::new();
    if config.shared_memory {
        h.push(0x01);
    } else if let Some(g) = layout.memory_base_global {
        h.push(0x00);
        h.extend_from_slice(&base_plus_expr(layout.is64, g, s.start));
    } else {
        h.push(0x00);
        h.extend_from_slice(&const_expr(layout.is64, s.start));
    }
    leb::write_u64(&mut h, s.size);
    h
}

/// The custom sections copied from the inputs. The payload size is known from the layout: the
/// header is written first, then each contribution is relocated in place (or the merged
/// strings copied).
fn input_custom_sections(
    res: &Resolved,
    layout: &Layout,
    body_offsets: &[u64],
    out: &mut Out,
) -> Result<()> {
    let offset_of = |f: u32| -> Option<u64> {
        let i = f.checked_sub(layout.functions.num_imported)? as usize;
        body_offsets.get(i).copied()
    };
    for c in &layout.customs {
        out.buf.push(0);
        let name_len = c.name.len() as u32;
        leb::write_u32(
            &mut out.buf,
            leb::size_u32(name_len) as u32 + name_len + c.size,
        );
        name(&mut out.buf, &c.name);
        let payload_start = out.pos();
        if let Some(m) = &c.merged {
            out.buf.extend_from_slice(&m.bytes);
        }
        for p in c.parts.iter().filter(|_| c.merged.is_none()) {
            let sec = &res.object(p.object).obj.custom_sections[p.section];
            out.zero_to(payload_start + p.offset as u64);
            let site = Site::Custom {
                name: &c.name,
                function_code_offset: &offset_of,
            };
            relocate::relocate_into(
                &mut out.buf,
                res,
                layout,
                p.object,
                sec.data,
                0,
                &sec.relocs,
                &site,
            )?;
            out.spill()?;
        }
        if out.pos() - payload_start != c.size as u64 {
            bail!(
                "internal error: custom section {} is {} bytes, laid out as {}",
                c.name,
                out.pos() - payload_start,
                c.size
            );
        }
    }
    Ok(())
}

/// The `producers` section, when any input has one.
fn producers_section(layout: &Layout, out: &mut Out) {
    if layout.producers.is_empty() {
        return;
    }
    let mut b = Vec::new();
    leb::write_u32(&mut b, layout.producers.len() as u32);
    for (field, values) in &layout.producers {
        name(&mut b, field);
        leb::write_u32(&mut b, values.len() as u32);
        for (n, v) in values {
            name(&mut b, n);
            name(&mut b, v);
        }
    }
    custom_section(&mut out.buf, "producers", &b);
}

/// The `target_features` section: every feature of the output, as used (`+`).
fn target_features_section(layout: &Layout, out: &mut Out) {
    if layout.features.0.is_empty() {
        return;
    }
    let mut b = Vec::new();
    leb::write_u32(&mut b, layout.features.0.len() as u32);
    for f in &layout.features.0 {
        b.push(b'+');
        leb::write_u32(&mut b, f.len() as u32);
        b.extend_from_slice(f);
    }
    custom_section(&mut out.buf, "target_features", &b);
}

/// The `build_id` section, last in the module (kept by --strip-all, as in wasm-ld): written
/// with spaces in place of the id, which is then computed (for the hashed styles, over
/// everything written, placeholder included) and put in place.
fn build_id(config: &Config, out: &mut Out) -> Result<()> {
    let len = match &config.build_id {
        BuildId::None => return Ok(()),
        BuildId::Hex(bytes) => bytes.len(),
        BuildId::Fast | BuildId::Uuid => 16,
        BuildId::Sha1 => 20,
    };
    let mut b = Vec::with_capacity(len + 5);
    leb::write_u32(&mut b, len as u32);
    b.resize(b.len() + len, b' ');
    custom_section(&mut out.buf, "build_id", &b);
    let id = match &config.build_id {
        BuildId::Hex(bytes) => bytes.clone(),
        BuildId::Uuid => {
            let mut id = vec![0u8; 16];
            getrandom::getrandom(&mut id).map_err(|e| err!("entropy source failure: {e}"))?;
            uuid_bits(id, 4)
        }
        _ => {
            let mut h = out
                .hasher
                .take()
                .ok_or_else(|| err!("internal error: no build-id hasher"))?;
            h.update(&out.buf);
            h.finish()
        }
    };
    let n = out.buf.len();
    out.buf[n - id.len()..].copy_from_slice(&id);
    Ok(())
}

/// How many sections `buf` (the module from its start: `base` is 0) holds.
fn sections_in(buf: &[u8], base: u64) -> Result<u32> {
    if base != 0 {
        bail!("internal error: the module was spilled before its code section");
    }
    let mut at = 8;
    let mut n = 0;
    while at < buf.len() {
        let mut r = wasmparser::BinaryReader::new(&buf[at + 1..], 0);
        let size = r
            .read_var_u32()
            .map_err(|e| err!("internal error: section size: {e}"))?;
        at += 1 + r.original_position() as usize + size as usize;
        n += 1;
    }
    Ok(n)
}

/// Linking subsection ids and symbol kinds (tool-conventions Linking.md).
const WASM_SEGMENT_INFO: u8 = 5;
const WASM_INIT_FUNCS: u8 = 6;
const WASM_COMDAT_INFO: u8 = 7;
const WASM_SYMBOL_TABLE: u8 = 8;

/// The `linking` section of a relocatable output (lld `LinkingSection::writeBody`): version
/// 2, then the symbol table, segment info, init functions and COMDAT groups, each subsection
/// only when it has entries. A section symbol names its output section by index:
/// `first_custom` is the index of the first custom section copied from the inputs.
fn linking_section(layout: &Layout, r: &Relocatable, first_custom: u32, out: &mut Out) {
    let mut b = Vec::new();
    leb::write_u32(&mut b, 2);
    let sub = |b: &mut Vec<u8>, id: u8, body: Vec<u8>| {
        b.push(id);
        leb::write_u32(b, body.len() as u32);
        b.extend_from_slice(&body);
    };
    if !r.symbols.is_empty() {
        let mut t = Vec::new();
        leb::write_u32(&mut t, r.symbols.len() as u32);
        for s in &r.symbols {
            t.push(s.kind() as u8);
            leb::write_u32(&mut t, s.flags);
            match s.place {
                SymbolPlace::Function(i)
                | SymbolPlace::Global(i)
                | SymbolPlace::Table(i)
                | SymbolPlace::Tag(i) => {
                    leb::write_u32(&mut t, i);
                    if s.writes_name() {
                        name(&mut t, &s.name);
                    }
                }
                SymbolPlace::Data(segment, offset, size) => {
                    name(&mut t, &s.name);
                    leb::write_u32(&mut t, segment);
                    leb::write_u64(&mut t, offset);
                    leb::write_u64(&mut t, size);
                }
                SymbolPlace::UndefinedData => name(&mut t, &s.name),
                // An absolute symbol names no segment: 0 stands in its place.
                SymbolPlace::Absolute(address) => {
                    name(&mut t, &s.name);
                    leb::write_u32(&mut t, 0);
                    leb::write_u64(&mut t, address);
                    leb::write_u64(&mut t, 0);
                }
                SymbolPlace::Section(n) => leb::write_u32(&mut t, first_custom + n),
            }
        }
        sub(&mut b, WASM_SYMBOL_TABLE, t);
    }
    let segments = &layout.memory.segments;
    if !segments.is_empty() {
        let mut t = Vec::new();
        leb::write_u32(&mut t, segments.len() as u32);
        for s in segments {
            name(&mut t, &s.name);
            leb::write_u32(&mut t, s.p2align);
            // lld writes `OutputSegment::linkingFlags`, which nothing sets: 0, even for a
            // `.tdata` of TLS inputs or merged strings (checked against rust-lld).
            leb::write_u32(&mut t, 0);
        }
        sub(&mut b, WASM_SEGMENT_INFO, t);
    }
    if !r.init_funcs.is_empty() {
        let mut t = Vec::new();
        leb::write_u32(&mut t, r.init_funcs.len() as u32);
        for &(priority, symbol) in &r.init_funcs {
            leb::write_u32(&mut t, priority);
            leb::write_u32(&mut t, symbol);
        }
        sub(&mut b, WASM_INIT_FUNCS, t);
    }
    if !r.comdats.is_empty() {
        let mut t = Vec::new();
        leb::write_u32(&mut t, r.comdats.len() as u32);
        for (comdat, entries) in &r.comdats {
            name(&mut t, comdat);
            leb::write_u32(&mut t, 0);
            leb::write_u32(&mut t, entries.len() as u32);
            for &(kind, index) in entries {
                t.push(kind);
                leb::write_u32(&mut t, index);
            }
        }
        sub(&mut b, WASM_COMDAT_INFO, t);
    }
    custom_section(&mut out.buf, "linking", &b);
}

/// The `reloc.*` sections of a relocatable output, after `linking` (lld
/// `Writer::createRelocSections`, `RelocSection::writeBody`): one per section with
/// relocations to count (see [`Relocatable::code_count`]), in section order (code, data, then
/// the copied custom sections), each naming its section by index.
fn reloc_sections(
    layout: &Layout,
    r: &Relocatable,
    code: u32,
    data: u32,
    first_custom: u32,
    out: &mut Out,
) {
    let mut one = |sec_name: &str, index: u32, relocs: &[OutReloc], count: u32| {
        if count == 0 {
            return;
        }
        let mut b = Vec::new();
        leb::write_u32(&mut b, index);
        leb::write_u32(&mut b, count);
        for rel in relocs {
            b.push(rel.ty as u8);
            leb::write_u64(&mut b, rel.offset);
            leb::write_u32(&mut b, rel.index);
            if rel.ty.has_addend() {
                leb::write_i64(&mut b, rel.addend);
            }
        }
        custom_section(&mut out.buf, sec_name, &b);
    };
    one("reloc.CODE", code, &r.code_relocs, r.code_count);
    one("reloc.DATA", data, &r.data_relocs, r.data_count);
    for ((c, relocs), n) in layout.customs.iter().zip(&r.custom_relocs).zip(0u32..) {
        let count = relocs.len() as u32;
        one(
            &format!("reloc.{}", c.name),
            first_custom + n,
            relocs,
            count,
        );
    }
}

/// The output segments written to the data section: bss is left out unless the memory is
/// imported without bulk-memory (lld `Writer::createDataSegments`: zeroed memory needs no
/// bytes, unless an imported memory cannot be cleared by `__wasm_init_memory`); since bss sorts last, indices stay 0..k-1.
pub(crate) fn emitted_segments(config: &Config, layout: &Layout) -> Vec<usize> {
    let in_binary = segment_in_binary(config, &layout.features);
    layout
        .memory
        .segments
        .iter()
        .enumerate()
        .filter(|(_, s)| in_binary(s))
        .map(|(i, _)| i)
        .collect()
}

/// Whether an output segment is written to the data section (lld
/// `OutputSegment::requiredInBinary`): any but `.bss`, which is written too when the memory
/// is imported (it may not be zero) and nothing can clear it at start-up (no shared memory,
/// no bulk-memory).
pub(crate) fn segment_in_binary(
    config: &Config,
    features: &crate::layout::features::FeatureSet,
) -> impl Fn(&crate::layout::memory::OutSegment) -> bool {
    let emit_bss =
        config.import_memory.is_some() && !config.shared_memory && !features.has("bulk-memory");
    move |s| !s.is_bss || emit_bss
}

fn leb_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|b| b & 0x80 == 0)
        .map_or(bytes.len(), |p| p + 1)
}

/// The `name` section (lld `NameSection`): the module name, function names (imports by symbol
/// name, demangled, as `toString(Symbol)` gives it; input functions by their input
/// name-section name, else their symbol's, demangled;
/// linker-made ones by [`crate::layout::SyntheticFunction::name`]), global names and data
/// segment names.
fn name_section(config: &Config, res: &Resolved, layout: &Layout) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    // Module name: --soname, else the file name of -o.
    let module = match &config.soname {
        Some(s) => s.clone(),
        None => config
            .output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    if !module.is_empty() {
        let mut b = Vec::new();
        name(&mut b, &module);
        out.push(0);
        leb::write_u32(&mut out, b.len() as u32);
        out.extend_from_slice(&b);
    }
    // Function names.
    let mut entries: Vec<(u32, String)> = Vec::new();
    let mut fi = 0u32;
    for imp in &layout.imports {
        if let OutImportKind::Function(_) = imp.kind {
            entries.push((fi, crate::demangle::demangle(config, &imp.name)));
            fi += 1;
        }
    }
    // Per object, built on first use: each defined function's first defined symbol name and
    // its name in the input's own name section. lld (`NameSection`) counts a function that
    // has either, but writes only one that has a symbol (its name-section name if it has
    // one, else the symbol's, demangled): a function no symbol names (a COMDAT copy that a
    // `-r` link kept) is counted and not written, as rust-lld writes it.
    // (symbol name, name-section name)
    type Names<'a> = Vec<(Option<&'a str>, Option<&'a str>)>;
    let mut object_names: Vec<Option<Names>> = vec![None; res.objects.len()];
    // (index, name to write, or None for one counted only)
    let mut entries: Vec<(u32, Option<String>)> =
        entries.into_iter().map(|(i, n)| (i, Some(n))).collect();
    for f in &layout.functions.defined {
        let n = match f {
            OutFunction::Object { object, index } => {
                let o = &res.object(*object).obj;
                let names = object_names[object.index()].get_or_insert_with(|| {
                    let [functions, ..] = o.element_names();
                    let mut names: Names = functions.into_iter().map(|n| (n, None)).collect();
                    for &(i, dn) in &o.function_names {
                        if let Some(n) = o
                            .defined_index(SymbolKind::Function, i)
                            .and_then(|i| names.get_mut(i))
                        {
                            n.1.get_or_insert(dn);
                        }
                    }
                    names
                });
                match names.get(*index as usize) {
                    Some(&(Some(_), Some(dn))) => Some(dn.to_string()),
                    Some(&(Some(sym), None)) => Some(crate::demangle::demangle(config, sym)),
                    Some(&(None, Some(_))) => None,
                    _ => Some(String::new()),
                }
            }
            // Demangled like any name: `_Z3fooi.command_export` is written as
            // `foo(int) (.command_export)`, the suffix read as a clone suffix.
            OutFunction::Synthetic { kind, .. } => {
                Some(crate::demangle::demangle(config, &kind.name(config, res)))
            }
        };
        entries.push((fi, n));
        fi += 1;
    }
    if !entries.is_empty() {
        let mut b = Vec::new();
        let named = entries
            .iter()
            .filter(|(_, n)| n.as_ref().is_none_or(|n| !n.is_empty()))
            .count();
        leb::write_u32(&mut b, named as u32);
        for (i, n) in &entries {
            let Some(n) = n.as_ref().filter(|n| !n.is_empty()) else {
                continue;
            };
            leb::write_u32(&mut b, *i);
            name(&mut b, n);
        }
        out.push(1);
        leb::write_u32(&mut out, b.len() as u32);
        out.extend_from_slice(&b);
    }
    // Global names.
    let mut gentries: Vec<(u32, String)> = Vec::new();
    let mut gi = 0u32;
    for imp in &layout.imports {
        if let OutImportKind::Global(_) = imp.kind {
            gentries.push((gi, crate::demangle::demangle(config, &imp.name)));
            gi += 1;
        }
    }
    for g in &layout.globals.defined {
        if let Some(n) = &g.name {
            gentries.push((gi, n.clone()));
        }
        gi += 1;
    }
    if !gentries.is_empty() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, gentries.len() as u32);
        for (i, n) in &gentries {
            leb::write_u32(&mut b, *i);
            name(&mut b, n);
        }
        out.push(7);
        leb::write_u32(&mut out, b.len() as u32);
        out.extend_from_slice(&b);
    }
    // Data segment names: emitted segments, by their index in the data section; a segment
    // without a name (an object whose segment info names fewer segments than it has) is left
    // out (lld `NameSection::numNamedDataSegments`).
    let segs: Vec<(usize, &str)> = emitted_segments(config, layout)
        .into_iter()
        .map(|i| layout.memory.segments[i].name.as_str())
        .enumerate()
        .filter(|(_, n)| !n.is_empty())
        .collect();
    if !segs.is_empty() {
        let mut b = Vec::new();
        leb::write_u32(&mut b, segs.len() as u32);
        for (i, n) in &segs {
            leb::write_u32(&mut b, *i as u32);
            name(&mut b, n);
        }
        out.push(9);
        leb::write_u32(&mut out, b.len() as u32);
        out.extend_from_slice(&b);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hasher(sha1: bool) -> ChunkHasher {
        ChunkHasher {
            sha1,
            pending: Vec::new(),
            hashes: Vec::new(),
        }
    }

    /// Streamed output is hashed in pieces of any size; the id must not depend on them.
    #[test]
    fn build_id_hash_does_not_depend_on_how_the_output_is_fed() {
        let data: Vec<u8> = (0..3 * BUILD_ID_CHUNK + 12345)
            .map(|i| (i * 7 + i / 977) as u8)
            .collect();
        for sha1 in [false, true] {
            let mut whole = hasher(sha1);
            whole.update(&data);
            let mut pieces = hasher(sha1);
            for piece in data.chunks(BUILD_ID_CHUNK / 3 + 17) {
                pieces.update(piece);
            }
            let (a, b) = (whole.finish(), pieces.finish());
            assert_eq!(a, b);
            assert_eq!(a.len(), if sha1 { 20 } else { 16 });
        }
    }

    #[test]
    fn build_id_uuids_carry_their_version_and_variant() {
        let id = uuid_bits(vec![0xff; 16], 5);
        assert_eq!(id[6] >> 4, 5);
        assert_eq!(id[8] & 0xc0, 0x80);
        let id = uuid_bits(vec![0; 16], 4);
        assert_eq!(id[6], 0x40);
        assert_eq!(id[8], 0x80);
    }
}
