//! Layout step: memory. Output data segments and their addresses, the stack, the heap
//! symbols, the TLS block and the initial/maximum memory size (lld `Writer::layoutMemory`);
//! the `__start_X`/`__stop_X` symbols; and string merging, shared with the debug string
//! sections of `customs.rs`.
//!
//! Input segments are grouped into output segments by name ([`output_segment_name`]: the
//! rule of data segment merging), output segments are stable-sorted by category (`.tdata`,
//! `.rodata`, `.data`, other, `.bss`), and each input is placed at its alignment. At `-O1`
//! and above, string segments of alignment 1 are split into NUL-terminated pieces,
//! deduplicated, sorted by their reversed bytes and tail-merged into one chunk per output
//! segment ([`merge_strings`]).

use crate::args::Config;
use crate::bail;
use crate::error::Result;
use crate::gc::Live;
use crate::object::SymbolKind;
use crate::resolve::{ObjectId, Resolved, SymbolId, Synthetic};
use rustc_hash::FxHashMap as HashMap;

/// Strings merged from several inputs: the bytes and, per input piece, its output offset.
#[derive(Clone, Debug, Default)]
pub struct MergedStrings {
    pub bytes: Vec<u8>,
    /// Per contributing input (in contribution order): sorted (input offset, length,
    /// output offset) of each piece.
    pub pieces: Vec<Vec<(u32, u32, u32)>>,
}

impl MergedStrings {
    /// Maps `offset` inside contribution `part` to an offset in the merged bytes.
    pub fn map(&self, part: usize, offset: u64) -> Option<u64> {
        let pieces = self.pieces.get(part)?;
        let i = pieces.partition_point(|p| (p.0 as u64) <= offset);
        let (start, len, out) = *pieces.get(i.checked_sub(1)?)?;
        let delta = offset - start as u64;
        // An offset just past a piece (e.g. the end of the segment) maps past it.
        if delta > len as u64 {
            return None;
        }
        Some(out as u64 + delta)
    }
}

/// Builds merged strings from a list of inputs (each: bytes to split at NULs). `name_of(i)`
/// names input `i` (file and segment or section) for the error when it does not end in a NUL.
pub fn merge_strings(inputs: &[&[u8]], name_of: impl Fn(usize) -> String) -> Result<MergedStrings> {
    // Split each input into NUL-terminated pieces.
    let mut all: Vec<(usize, u32, &[u8])> = Vec::new();
    for (pi, data) in inputs.iter().enumerate() {
        let mut off = 0usize;
        while off < data.len() {
            let Some(end) = data[off..].iter().position(|&b| b == 0) else {
                bail!(
                    "{}: string is not null terminated (at offset 0x{off:x})",
                    name_of(pi)
                );
            };
            all.push((pi, off as u32, &data[off..off + end + 1]));
            off += end + 1;
        }
    }
    // Distinct pieces, sorted by reversed bytes, descending (a proper suffix sorts after the
    // longer string), then tail-merged against the previously emitted piece. Sorting on
    // reversed copies lets the comparison be a plain memcmp.
    let unique: rustc_hash::FxHashSet<&[u8]> = all.iter().map(|p| p.2).collect();
    let mut keyed: Vec<(Vec<u8>, &[u8])> = unique
        .into_iter()
        .map(|s| (s.iter().rev().copied().collect(), s))
        .collect();
    keyed.sort_unstable_by(|a, b| b.0.cmp(&a.0));
    let distinct: Vec<&[u8]> = keyed.into_iter().map(|(_, s)| s).collect();
    let mut bytes: Vec<u8> = Vec::new();
    let mut offset_of: HashMap<&[u8], u32> =
        HashMap::with_capacity_and_hasher(distinct.len(), Default::default());
    let mut prev: &[u8] = &[];
    for s in distinct {
        if prev.ends_with(s) {
            offset_of.insert(s, (bytes.len() - s.len()) as u32);
            continue;
        }
        offset_of.insert(s, bytes.len() as u32);
        bytes.extend_from_slice(s);
        prev = s;
    }
    let mut pieces: Vec<Vec<(u32, u32, u32)>> = vec![Vec::new(); inputs.len()];
    for (pi, off, s) in all {
        pieces[pi].push((off, s.len() as u32, offset_of[s]));
    }
    Ok(MergedStrings { bytes, pieces })
}

/// Where an input segment went.
#[derive(Clone, Copy, Debug)]
pub enum SegmentPlace {
    /// At `offset` inside output segment `segment`.
    Plain { segment: u32, offset: u64 },
    /// Merged: contribution `part` of the merged chunk of output segment `segment`.
    Merged { segment: u32, chunk: u32, part: u32 },
}

/// One piece of an output segment's contents.
#[derive(Clone, Debug)]
pub enum SegmentChunk {
    Input {
        object: ObjectId,
        segment: u32,
        offset: u64,
    },
    Merged {
        strings: MergedStrings,
        offset: u64,
    },
}

/// An output data segment.
#[derive(Clone, Debug)]
pub struct OutSegment {
    pub name: String,
    pub start: u64,
    pub size: u64,
    pub p2align: u32,
    pub is_bss: bool,
    pub is_tls: bool,
    pub chunks: Vec<SegmentChunk>,
}

/// The memory layout.
pub struct MemoryLayout<'data> {
    pub segments: Vec<OutSegment>,
    /// Per object, per input segment.
    pub places: Vec<Vec<Option<SegmentPlace>>>,
    pub stack_pointer: u64,
    pub stack_low: u64,
    pub stack_high: u64,
    pub global_base: u64,
    pub data_end: u64,
    pub heap_base: u64,
    pub heap_end: u64,
    pub tls_base: u64,
    pub tls_size: u64,
    pub tls_align: u64,
    /// Whether an output segment is TLS (`.tdata`).
    pub has_tls: bool,
    /// Address of `__wasm_init_memory_flag` (shared memory).
    pub init_memory_flag: Option<u64>,
    pub initial_pages: u64,
    pub max_pages: Option<u64>,
    pub page_size: u64,
    pub table_base: u64,
    _marker: std::marker::PhantomData<&'data ()>,
}

impl MemoryLayout<'_> {
    /// The address of byte `offset` of input segment `seg` of object `o`.
    pub fn input_address(&self, o: ObjectId, seg: usize, offset: u64) -> Option<u64> {
        match self.places.get(o.index())?.get(seg).copied().flatten()? {
            SegmentPlace::Plain {
                segment,
                offset: at,
            } => Some(self.segments[segment as usize].start + at + offset),
            SegmentPlace::Merged {
                segment,
                chunk,
                part,
            } => {
                let s = &self.segments[segment as usize];
                let SegmentChunk::Merged {
                    strings,
                    offset: at,
                } = &s.chunks[chunk as usize]
                else {
                    return None;
                };
                Some(s.start + at + strings.map(part as usize, offset)?)
            }
        }
    }

    /// The output segment input segment `seg` of object `o` went to, if it is live.
    pub fn output_segment(&self, o: ObjectId, seg: usize) -> Option<&OutSegment> {
        let segment = match self.places.get(o.index())?.get(seg).copied().flatten()? {
            SegmentPlace::Plain { segment, .. } | SegmentPlace::Merged { segment, .. } => segment,
        };
        self.segments.get(segment as usize)
    }

    /// For byte `offset` of input segment `seg` of object `o` placed in a TLS output segment
    /// (`.tdata`): its offset from the start of that segment. wasm-ld 22 gives this value, not
    /// the address, to every relocation against such a symbol (TLS or not) and to the export of
    /// a TLS data symbol; only internal GOT entries without shared memory get the address.
    pub fn tls_offset(&self, o: ObjectId, seg: usize, offset: u64) -> Option<u64> {
        let s = self.output_segment(o, seg)?;
        if !s.is_tls {
            return None;
        }
        Some(self.input_address(o, seg, offset)? - s.start)
    }

    pub fn synthetic_value(&self, s: Synthetic) -> u64 {
        match s {
            Synthetic::DsoHandle | Synthetic::GlobalBase => self.global_base,
            Synthetic::DataEnd => self.data_end,
            Synthetic::StackLow => self.stack_low,
            Synthetic::StackHigh => self.stack_high,
            Synthetic::HeapBase => self.heap_base,
            Synthetic::HeapEnd => self.heap_end,
            Synthetic::MemoryBase => 0,
            Synthetic::TableBase => self.table_base,
            Synthetic::FirstPageEnd => self.page_size,
            Synthetic::TlsBase => self.tls_base,
            Synthetic::TlsSize => self.tls_size,
            Synthetic::TlsAlign => self.tls_align,
            Synthetic::CallCtors
            | Synthetic::StackPointer
            | Synthetic::IndirectFunctionTable
            | Synthetic::InitTls => 0,
        }
    }
}

/// The output segment an input segment goes to (lld `getOutputDataSegmentName`): every TLS
/// segment to `.tdata`; with segment merging (the default), `.text.*`, `.data.*`, `.bss.*`
/// and `.rodata.*` to `.text`, `.data`, `.bss` and `.rodata`; any other name to itself.
fn output_segment_name(config: &Config, name: &str, tls: bool) -> String {
    if tls {
        return ".tdata".into();
    }
    if !config.merge_data_segments {
        return name.to_string();
    }
    for prefix in [".text.", ".data.", ".bss.", ".rodata."] {
        if name.starts_with(prefix) {
            return prefix[..prefix.len() - 1].to_string();
        }
    }
    name.to_string()
}

/// Whether an input segment lands in a `.bss` output segment, one left out of the data
/// section. Never with `-r` or `--emit-relocs`: an object, or a module whose relocations are
/// kept, has its zeroes written like any data (lld `createOutputSegment`; checked against
/// rust-lld: `.bss` is written, and an imported memory gets no `__wasm_init_memory` to clear
/// it).
pub fn is_bss_name(config: &Config, name: &str, tls: bool) -> bool {
    !config.relocatable
        && !config.emit_relocs
        && output_segment_name(config, name, tls).starts_with(".bss")
}

/// The sort key of an output segment (lld `Writer::createOutputSegments` sorts this way,
/// stably): `.tdata`, `.rodata`, `.data`, any other name, `.bss`.
fn category(name: &str) -> u32 {
    if name.starts_with(".tdata") {
        0
    } else if name.starts_with(".rodata") {
        1
    } else if name.starts_with(".data") {
        2
    } else if name.starts_with(".bss") {
        4
    } else {
        3
    }
}

fn align_to(v: u64, a: u64) -> u64 {
    if a <= 1 {
        v
    } else {
        v.div_ceil(a) * a
    }
}

/// The memory layout (lld `Writer::layoutMemory`): output segments built from the live input
/// segments, then addresses for the stack, the segments and the heap, and the memory size.
pub fn layout_memory<'data>(
    config: &Config,
    res: &Resolved<'data>,
    live: &Live,
    errors: &mut Vec<String>,
) -> Result<MemoryLayout<'data>> {
    let groups = group_segments(config, res, live)?;
    let mut places: Vec<Vec<Option<SegmentPlace>>> =
        super::per_object(res, |o| o.data_segments.len());
    let mut segments: Vec<OutSegment> = Vec::new();
    for (si, g) in groups.iter().enumerate() {
        segments.push(build_segment(config, res, si as u32, g, &mut places)?);
    }
    assign_addresses(config, res, segments, places, errors)
}

/// Live input segments grouped by output segment: groups in order of first use, then stably
/// sorted by [`category`]; inputs in object order.
struct Group {
    name: String,
    is_tls: bool,
    inputs: Vec<(ObjectId, u32)>,
}

fn group_segments(config: &Config, res: &Resolved, live: &Live) -> Result<Vec<Group>> {
    let mut groups: Vec<Group> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::default();
    for (oi, o) in res.objects.iter().enumerate() {
        for (si, seg) in o.obj.data_segments.iter().enumerate() {
            if !live.segments[oi][si] {
                continue;
            }
            if seg.passive {
                bail!(
                    "{}: passive data segment '{}' in an object is not supported",
                    o.name,
                    seg.name
                );
            }
            let name = output_segment_name(config, seg.name, seg.is_thread_local());
            let mut new_group = || {
                groups.push(Group {
                    name: name.clone(),
                    is_tls: false,
                    inputs: Vec::new(),
                });
                groups.len() - 1
            };
            // With `-r`, a segment of a COMDAT group keeps a segment of its own, so that the
            // final link can keep or drop it with its group (lld `createOutputSegments`).
            let gi = if config.relocatable && segment_comdat(&o.obj, si as u32).is_some() {
                new_group()
            } else {
                *by_name.entry(name.clone()).or_insert_with(new_group)
            };
            groups[gi].is_tls |= seg.is_thread_local();
            groups[gi].inputs.push((ObjectId::new(oi), si as u32));
        }
    }
    groups.sort_by_key(|g| category(&g.name));
    Ok(groups)
}

/// The COMDAT group data segment `segment` of `obj` belongs to, if any.
pub fn segment_comdat<'data>(
    obj: &crate::object::Object<'data>,
    segment: u32,
) -> Option<&'data str> {
    obj.comdats
        .iter()
        .find(|c| c.data_segments.contains(&segment))
        .map(|c| c.name)
}

/// Builds output segment `si` from its group, recording where each input went. At `-O1` and
/// above, string segments (the STRINGS flag) of alignment 1 are merged (lld
/// `MergeInputChunk` and `SyntheticMergedChunk`): those with the same flags form one merged
/// chunk, standing where the first of them stood, whose pieces are deduplicated and
/// tail-merged ([`merge_strings`]). Other inputs are placed in order at their alignment.
fn build_segment(
    config: &Config,
    res: &Resolved,
    si: u32,
    g: &Group,
    places: &mut [Vec<Option<SegmentPlace>>],
) -> Result<OutSegment> {
    let mergeable = |o: ObjectId, s: u32| {
        let seg = &res.object(o).obj.data_segments[s as usize];
        config.opt_level >= 1 && seg.is_strings() && seg.p2align == 0 && !seg.data.is_empty()
    };
    let mut chunks: Vec<SegmentChunk> = Vec::new();
    let mut merged_flags: Vec<(u32, usize)> = Vec::new(); // (flags, chunk index)
    let mut merged_members: Vec<Vec<(ObjectId, u32)>> = Vec::new();
    for &(o, s) in &g.inputs {
        if !mergeable(o, s) {
            chunks.push(SegmentChunk::Input {
                object: o,
                segment: s,
                offset: 0,
            });
            continue;
        }
        let key = res.object(o).obj.data_segments[s as usize].flags;
        if let Some(pos) = merged_flags.iter().position(|(f, _)| *f == key) {
            merged_members[pos].push((o, s));
            continue;
        }
        merged_flags.push((key, chunks.len()));
        merged_members.push(vec![(o, s)]);
        chunks.push(SegmentChunk::Merged {
            strings: MergedStrings::default(),
            offset: 0,
        });
    }
    for (members, &(_, ci)) in merged_members.iter().zip(&merged_flags) {
        let datas: Vec<&[u8]> = members
            .iter()
            .map(|&(o, s)| res.object(o).obj.data_segments[s as usize].data)
            .collect();
        let strings = merge_strings(&datas, |i| {
            let (o, s) = members[i];
            let obj = res.object(o);
            format!(
                "{}: data segment {s} ({})",
                obj.name, obj.obj.data_segments[s as usize].name
            )
        })?;
        chunks[ci] = SegmentChunk::Merged { strings, offset: 0 };
        for (part, &(o, s)) in members.iter().enumerate() {
            places[o.index()][s as usize] = Some(SegmentPlace::Merged {
                segment: si,
                chunk: ci as u32,
                part: part as u32,
            });
        }
    }
    let mut size = 0u64;
    let mut p2align = 0u32;
    for c in chunks.iter_mut() {
        match c {
            SegmentChunk::Input {
                object,
                segment,
                offset,
            } => {
                let seg = &res.object(*object).obj.data_segments[*segment as usize];
                size = align_to(size, seg.alignment());
                *offset = size;
                p2align = p2align.max(seg.p2align);
                places[object.index()][*segment as usize] = Some(SegmentPlace::Plain {
                    segment: si,
                    offset: size,
                });
                size += seg.data.len() as u64;
            }
            SegmentChunk::Merged { strings, offset } => {
                *offset = size;
                size += strings.bytes.len() as u64;
            }
        }
    }
    Ok(OutSegment {
        name: g.name.clone(),
        start: 0,
        size,
        p2align,
        is_bss: is_bss_name(config, &g.name, g.is_tls),
        is_tls: g.is_tls,
        chunks,
    })
}

/// Addresses, in lld `layoutMemory`'s order: the stack first (`--stack-first`, the default in
/// wasm-ld 22: 16-aligned at 0, then data at `--global-base` or right after the stack), else
/// data from `--global-base` (default 1024) and the stack after it; each segment at its
/// alignment; with shared memory, `__wasm_init_memory`'s 4-byte once-flag after the data; the
/// heap base (16-aligned only when `__heap_base` is used); `--initial-heap`,
/// `--initial-memory`, page alignment, and `--max-memory` (or the initial size when memory
/// cannot grow or is shared).
fn assign_addresses<'data>(
    config: &Config,
    res: &Resolved,
    mut segments: Vec<OutSegment>,
    places: Vec<Vec<Option<SegmentPlace>>>,
    errors: &mut Vec<String>,
) -> Result<MemoryLayout<'data>> {
    let page_size = config.page_size.unwrap_or(65536);
    let stack_size = config.stack_size;
    let mut ptr: u64 = 0;
    let (mut stack_low, mut stack_high) = (0, 0);
    // With `-r` there is no stack and data starts at 0 (lld `layoutMemory`'s placeStack does
    // nothing, and `setConfigs` leaves the global base at 0). A PIC output has no stack of
    // its own either (it shares the main module's) and its data starts at `__memory_base`,
    // so its addresses are offsets from 0.
    let place_stack = !config.relocatable && !config.is_pic();
    if !place_stack {
        ptr = config.global_base.unwrap_or(0);
    } else if config.stack_first {
        ptr = align_to(ptr, 16);
        stack_low = ptr;
        ptr += stack_size;
        stack_high = ptr;
        if let Some(gb) = config.global_base {
            if gb < ptr {
                bail!("--global-base cannot be less than stack size when --stack-first is used");
            }
            ptr = gb;
        }
    } else {
        ptr = config.global_base.unwrap_or(1024);
    }
    let global_base = ptr;
    for s in segments.iter_mut() {
        ptr = align_to(ptr, 1u64 << s.p2align);
        s.start = ptr;
        ptr += s.size;
    }
    let init_memory_flag = if config.shared_memory && segments.iter().any(|s| !s.is_bss) {
        ptr = align_to(ptr, 4);
        let f = ptr;
        ptr += 4;
        Some(f)
    } else {
        None
    };
    let data_end = ptr;
    if !config.stack_first && place_stack {
        ptr = align_to(ptr, 16);
        stack_low = ptr;
        ptr += stack_size;
        stack_high = ptr;
    }
    // Only a used `__heap_base` aligns the pointer (lld's layoutMemory).
    let heap_base_used = res.find("__heap_base").is_some_and(|id| {
        matches!(
            res.sym(id).def,
            crate::resolve::Def::Synthetic(Synthetic::HeapBase)
        )
    });
    if heap_base_used {
        ptr = align_to(ptr, 16);
    }
    let heap_base = ptr;
    // As lld, every size error is reported (not only the first), and the layout goes on.
    let check_aligned = |errors: &mut Vec<String>, what: &str, v: u64| {
        if !v.is_multiple_of(page_size) {
            errors.push(format!(
                "{what} must be aligned to the page size ({page_size} bytes)"
            ));
        }
    };
    // A wasm32 memory holds at most 4 GiB; lld allows wasm64 16 GiB.
    let max_memory_setting: u64 = if config.is64.unwrap_or(false) {
        1 << 34
    } else {
        1 << 32
    };
    if let Some(h) = config.initial_heap.filter(|&h| h != 0) {
        check_aligned(errors, "initial heap", h);
        let max_initial_heap = max_memory_setting.saturating_sub(ptr);
        if h > max_initial_heap {
            errors.push(format!(
                "initial heap too large, cannot be greater than {max_initial_heap}"
            ));
        }
        ptr = ptr.saturating_add(h);
    }
    if let Some(m) = config.initial_memory.filter(|&m| m != 0) {
        check_aligned(errors, "initial memory", m);
        if ptr > m {
            errors.push(format!("initial memory too small, {ptr} bytes needed"));
        }
        if m > max_memory_setting {
            errors.push(format!(
                "initial memory too large, cannot be greater than {max_memory_setting}"
            ));
        }
        ptr = m;
    }
    ptr = align_to(ptr, page_size);
    let initial_pages = ptr / page_size;
    let heap_end = ptr;
    let max_pages = if let Some(m) = config.max_memory.filter(|&m| m != 0) {
        check_aligned(errors, "maximum memory", m);
        if ptr > m {
            errors.push(format!("maximum memory too small, {ptr} bytes needed"));
        }
        if m > max_memory_setting {
            errors.push(format!(
                "maximum memory too large, cannot be greater than {max_memory_setting}"
            ));
        }
        Some(m / page_size)
    } else if config.no_growable_memory {
        Some(initial_pages)
    } else if config.shared_memory && config.is_pic() {
        // A shared memory needs a maximum; a PIC module cannot know its program's, so it
        // allows the most the address space holds (lld `layoutMemory`).
        Some(max_memory_setting / page_size)
    } else if config.shared_memory {
        Some(initial_pages)
    } else {
        None
    };
    let tdata = segments.iter().find(|s| s.is_tls);
    let has_tls = tdata.is_some();
    // wasm-ld's `layoutMemory` sets the TLS globals only from a TLS segment: without one,
    // `__tls_base`, `__tls_size` and `__tls_align` keep their initial 0 (checked with
    // rust-lld 22: a `global.get __tls_base` and no `.tdata` read 0, with and without GC).
    let (tls_base, tls_size, tls_align) = match tdata {
        Some(s) => (s.start, s.size, 1u64 << s.p2align),
        None => (0, 0, 0),
    };
    Ok(MemoryLayout {
        segments,
        places,
        stack_pointer: stack_high,
        stack_low,
        stack_high,
        global_base,
        data_end,
        heap_base,
        heap_end,
        tls_base,
        tls_size,
        tls_align,
        has_tls,
        init_memory_flag,
        initial_pages,
        max_pages,
        page_size,
        table_base: config.table_base.unwrap_or(1),
        _marker: std::marker::PhantomData,
    })
}

/// A PIC output without extended-const has one `__memory_base` to place its data at, so
/// every segment written to the binary becomes part of one active segment, `.data` (lld
/// `Writer::combineOutputSegments`). Addresses do not move: each input keeps its place, the
/// gaps are zero-filled. Segments left out of the binary (`.bss`) stay as they are, after it.
/// `in_binary` tells which segments are written ([`crate::write::emitted_segments`]'s rule).
pub fn combine_pic_segments(
    mut memory: MemoryLayout,
    in_binary: impl Fn(&OutSegment) -> bool,
) -> MemoryLayout {
    if memory.segments.len() <= 1 || !memory.segments.iter().any(&in_binary) {
        return memory;
    }
    let old = std::mem::take(&mut memory.segments);
    let start = old[0].start;
    let mut combined = OutSegment {
        name: ".data".into(),
        start,
        size: 0,
        p2align: 0,
        is_bss: false,
        is_tls: false,
        chunks: Vec::new(),
    };
    let mut kept = Vec::new();
    // Old segment index -> (new index, offset added to its chunk offsets, chunk index base).
    let mut moved: Vec<(u32, u64, u32)> = Vec::with_capacity(old.len());
    for seg in old {
        if !in_binary(&seg) {
            moved.push((u32::MAX, 0, 0));
            kept.push(seg);
            continue;
        }
        let delta = seg.start - start;
        moved.push((0, delta, combined.chunks.len() as u32));
        combined.p2align = combined.p2align.max(seg.p2align);
        combined.size = delta + seg.size;
        combined
            .chunks
            .extend(seg.chunks.into_iter().map(|c| match c {
                SegmentChunk::Input {
                    object,
                    segment,
                    offset,
                } => SegmentChunk::Input {
                    object,
                    segment,
                    offset: offset + delta,
                },
                SegmentChunk::Merged { strings, offset } => SegmentChunk::Merged {
                    strings,
                    offset: offset + delta,
                },
            }));
    }
    // The kept segments follow the combined one.
    for (next, m) in (1..).zip(moved.iter_mut().filter(|m| m.0 == u32::MAX)) {
        m.0 = next;
    }
    for place in memory.places.iter_mut().flatten().flatten() {
        *place = match *place {
            SegmentPlace::Plain { segment, offset } => {
                let (to, delta, _) = moved[segment as usize];
                let delta = if to == 0 { delta } else { 0 };
                SegmentPlace::Plain {
                    segment: to,
                    offset: offset + delta,
                }
            }
            SegmentPlace::Merged {
                segment,
                chunk,
                part,
            } => {
                let (to, _, base) = moved[segment as usize];
                let base = if to == 0 { base } else { 0 };
                SegmentPlace::Merged {
                    segment: to,
                    chunk: chunk + base,
                    part,
                }
            }
        };
    }
    memory.segments = std::iter::once(combined).chain(kept).collect();
    memory
}

/// `__start_X` / `__stop_X` (lld `Writer::addStartStopSymbols`): an undefined data symbol
/// named after an output segment whose name is a C identifier is defined as the segment's
/// start or end address.
pub fn segment_bounds(res: &Resolved, memory: &MemoryLayout) -> HashMap<SymbolId, u64> {
    let mut out = HashMap::default();
    for (i, s) in res.symbols.iter().enumerate() {
        if s.kind != SymbolKind::Data || s.is_defined() {
            continue;
        }
        let (seg_name, stop) = if let Some(n) = s.name.strip_prefix("__start_") {
            (n, false)
        } else if let Some(n) = s.name.strip_prefix("__stop_") {
            (n, true)
        } else {
            continue;
        };
        if !is_c_identifier(seg_name) {
            continue;
        }
        if let Some(seg) = memory.segments.iter().find(|g| g.name == seg_name) {
            let addr = if stop {
                seg.start + seg.size
            } else {
                seg.start
            };
            out.insert(SymbolId::new(i), addr);
        }
    }
    out
}

fn is_c_identifier(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two inputs whose merged layout was checked against rust-lld 22: pieces sorted by their
    /// reversed bytes, descending, and suffixes (`lo` in `hello`, `bc` in `abc`) shared.
    #[test]
    fn string_merge_matches_the_verified_example() {
        let a: &[u8] = b"hello\0xyz\0lo\0abc\0";
        let b: &[u8] = b"hello\0zzz\0bc\0ello\0";
        let m = merge_strings(&[a, b], |i| format!("input {i}")).unwrap();
        assert_eq!(m.bytes, b"zzz\0xyz\0hello\0abc\0");
        // "lo" lives inside "hello", "bc" inside "abc".
        assert_eq!(m.map(0, 10), Some(11));
        assert_eq!(m.map(1, 10), Some(15));
    }
}
