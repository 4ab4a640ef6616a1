//! The program generator for property tests and fuzzers: from an [`arbitrary::Unstructured`]
//! it builds a random but valid *set* of relocatable objects and archives, plus linker options,
//! together with the outcome a correct link must have.
//!
//! How: it picks template instances (see [`template`]: `.wat` fragments in
//! `oracle/src/gen/templates/` with holes), fills the holes with random values, places each part of
//! each instance in an object or an archive member (respecting the template's `after`
//! constraints), assembles every object with [`crate::asm`], writes archives with a symbol
//! index ([`archive`]), and adds a main object whose exported `run` calls every instance's
//! `u<K>` and folds the results into a checksum (`acc = acc * 31 + u_k`, wrapping i32). The
//! prediction comes from the templates' own `expect` lines, which encode the linking rules
//! (strong beats weak, first weak or COMDAT wins, archive members pulled only by strong
//! references, init functions by priority, ...). So a link is checked by running `run`.
//!
//! Adding a template file (and a line in [`template::SOURCES`]) is how a new corner of the
//! spec gets fuzzed.

pub mod template;

use anyhow::Result;
use anyhow::{anyhow as err, bail};
use arbitrary::Unstructured;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use template::{Expect, PartKind, Template};

/// Limits on what [`generate`] builds.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Most template instances in one program (at least 1 is always made).
    pub max_instances: usize,
    /// Whether extra linker options (`--no-gc-sections`, `--stack-first`, ...) may be chosen.
    pub random_options: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_instances: 6,
            random_options: true,
        }
    }
}

/// Whether an input file is an object or an archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Object,
    Archive,
}

/// One generated input file.
#[derive(Clone, Debug)]
pub struct GenFile {
    /// File name (no directory), e.g. `o2.o` or `lib1.a`.
    pub name: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
    /// The `.wat` sources: one (`o2.wat`, text) for an object; one per member for an archive
    /// (member name, text), in member order.
    pub sources: Vec<(String, String)>,
}

/// One template instance in a program.
#[derive(Clone, Debug)]
pub struct Instance {
    pub template: String,
    pub k: usize,
    pub values: Vec<i32>,
    pub priorities: Vec<i32>,
    /// What `u<K>` must return.
    pub expected: i32,
}

/// A generated program: inputs in command-line order, options, and the predicted outcome.
#[derive(Clone, Debug)]
pub struct Program {
    pub files: Vec<GenFile>,
    /// Linker options other than inputs and `-o` (always `--no-entry --export=run`).
    pub options: Vec<String>,
    pub instances: Vec<Instance>,
    /// What the exported `run` (type [] -> [i32]) must return.
    pub expected: i32,
    /// Custom sections the output must have: name -> contents that must appear in it, in order.
    pub customs: Vec<(String, Vec<Vec<u8>>)>,
    /// For each instance, where each of its parts is: (index in `files`, member index).
    pub placements: Vec<Vec<(usize, usize)>>,
    /// For each instance, its template.
    pub templates: Vec<Template>,
}

/// Where one part was placed: (file id, member index within an archive).
#[derive(Clone, Copy, Debug)]
struct Place {
    file: usize,
    member: usize,
}

struct Slot {
    kind: FileKind,
    /// For objects: one member (index 0). For archives: one member per part.
    members: Vec<Vec<(usize, usize)>>,
}

fn arb<T>(r: arbitrary::Result<T>) -> Result<T> {
    r.map_err(|e| err!("generator input: {e}"))
}

/// The checksum `run` computes from the `u<K>` results, in instance order.
pub fn checksum(values: impl IntoIterator<Item = i32>) -> i32 {
    values
        .into_iter()
        .fold(0i32, |acc, v| acc.wrapping_mul(31).wrapping_add(v))
}

/// Builds a random program from `u` with the shipped templates.
pub fn generate(u: &mut Unstructured, limits: &Limits) -> Result<Program> {
    let templates = template::all()?;
    generate_with(u, limits, &templates)
}

/// Builds a random program from `u` using `templates`.
pub fn generate_with(
    u: &mut Unstructured,
    limits: &Limits,
    templates: &[Template],
) -> Result<Program> {
    if templates.is_empty() {
        bail!("no templates to generate from");
    }
    let n = arb(u.int_in_range(1..=limits.max_instances.max(1)))?;
    // File ids index `slots`; `order` is the command line order of the ids. Slot 0 is the
    // main object (holding `run`).
    let mut slots = vec![Slot {
        kind: FileKind::Object,
        members: vec![vec![]],
    }];
    let mut order = vec![0usize];
    let mut instances = Vec::with_capacity(n);
    let mut placements: Vec<Vec<Place>> = Vec::with_capacity(n);
    for k in 0..n {
        let ti = arb(u.choose_index(templates.len()))?;
        let t = &templates[ti];
        let mut values = Vec::with_capacity(t.values);
        for _ in 0..t.values {
            // Mostly small numbers (readable reproducers), sometimes any i32.
            let v = if arb(u.ratio(1u8, 4))? {
                arb(u.arbitrary::<i32>())?
            } else {
                arb(u.int_in_range(-100..=1000))?
            };
            values.push(v);
        }
        let mut priorities = Vec::with_capacity(t.priorities);
        for _ in 0..t.priorities {
            priorities.push(100 * arb(u.int_in_range(1..=3))?);
        }
        let mut places: Vec<Place> = Vec::with_capacity(t.parts.len());
        for part in &t.parts {
            let min_pos = match &part.after {
                Some(a) => {
                    let ai = t.parts.iter().position(|p| &p.name == a).unwrap_or(0);
                    let p = places[ai];
                    Some((pos_of(&order, p.file), p.member))
                }
                None => None,
            };
            let used: Vec<usize> = places.iter().map(|p| p.file).collect();
            let want = match part.kind {
                PartKind::Object => FileKind::Object,
                PartKind::Archive => FileKind::Archive,
            };
            // Existing files that fit; then the option of a new file.
            let mut cands: Vec<usize> = order
                .iter()
                .copied()
                .filter(|&f| slots[f].kind == want)
                .filter(|f| want == FileKind::Archive || !used.contains(f))
                .filter(|&f| {
                    let member = match want {
                        FileKind::Object => 0,
                        FileKind::Archive => slots[f].members.len(),
                    };
                    min_pos.is_none_or(|m| (pos_of(&order, f), member) > m)
                })
                .collect();
            cands.push(usize::MAX);
            let pick = cands[arb(u.choose_index(cands.len()))?];
            let file = if pick == usize::MAX {
                let id = slots.len();
                slots.push(Slot {
                    kind: want,
                    members: if want == FileKind::Object {
                        vec![vec![]]
                    } else {
                        vec![]
                    },
                });
                let lo = min_pos.map_or(0, |m| m.0 + 1);
                let at = arb(u.int_in_range(lo..=order.len()))?;
                order.insert(at, id);
                id
            } else {
                pick
            };
            let member = match want {
                FileKind::Object => 0,
                FileKind::Archive => {
                    slots[file].members.push(vec![]);
                    slots[file].members.len() - 1
                }
            };
            slots[file].members[member].push((k, places.len()));
            places.push(Place { file, member });
        }
        instances.push(Instance {
            template: t.name.clone(),
            k,
            values,
            priorities,
            expected: 0,
        });
        placements.push(places);
    }
    // Sources and bytes, in command-line order.
    let mut files = Vec::with_capacity(order.len());
    let (mut n_obj, mut n_ar) = (0, 0);
    for &id in &order {
        let slot = &slots[id];
        match slot.kind {
            FileKind::Object => {
                let name = if id == 0 {
                    "run".to_string()
                } else {
                    n_obj += 1;
                    format!("o{n_obj}")
                };
                let text = module_text(
                    &slot.members[0],
                    &instances,
                    &placements,
                    templates,
                    (id == 0).then_some(&instances[..]),
                    id,
                )?;
                let src_name = format!("{name}.wat");
                let bytes = crate::asm::assemble(&text, Path::new(&src_name))
                    .map_err(|e| err!("generated {src_name} does not assemble: {e}\n{text}"))?;
                files.push(GenFile {
                    name: format!("{name}.o"),
                    kind: FileKind::Object,
                    bytes,
                    sources: vec![(src_name, text)],
                });
            }
            FileKind::Archive => {
                n_ar += 1;
                let mut members = Vec::new();
                let mut sources = Vec::new();
                for (mi, parts) in slot.members.iter().enumerate() {
                    let text = module_text(parts, &instances, &placements, templates, None, id)?;
                    let mname = format!("a{n_ar}m{mi}.o");
                    let bytes = crate::asm::assemble(&text, Path::new(&mname))
                        .map_err(|e| err!("generated {mname} does not assemble: {e}\n{text}"))?;
                    let symbols = crate::ar::index_symbols(&bytes)
                        .map_err(|e| err!("generated {mname} does not parse: {e}"))?;
                    members.push(crate::ar::Member {
                        name: mname.clone(),
                        bytes,
                        symbols,
                    });
                    sources.push((mname, text));
                }
                files.push(GenFile {
                    name: format!("lib{n_ar}.a"),
                    kind: FileKind::Archive,
                    bytes: crate::ar::write(&members, true),
                    sources,
                });
            }
        }
    }
    let mut options = vec!["--no-entry".to_string(), "--export=run".to_string()];
    if limits.random_options {
        let extras: [&[&str]; 9] = [
            &["--no-gc-sections"],
            &["--stack-first"],
            // Above the stack: wasm-ld 22 puts the stack first by default and refuses a
            // global base inside it.
            &["--global-base=131072"],
            &["-z", "stack-size=8192"],
            &["-O0"],
            &["-O2"],
            &["--export-dynamic"],
            &["--no-merge-data-segments"],
            &["--initial-memory=1048576"],
        ];
        for e in extras {
            if arb(u.ratio(1u8, 5))? {
                options.extend(e.iter().map(|s| s.to_string()));
            }
        }
    }
    let used: Vec<Template> = instances
        .iter()
        .map(|i| {
            templates
                .iter()
                .find(|t| t.name == i.template)
                .cloned()
                .ok_or_else(|| err!("no template {}", i.template))
        })
        .collect::<Result<_>>()?;
    let placements = placements
        .iter()
        .map(|ps| {
            ps.iter()
                .map(|p| (pos_of(&order, p.file), p.member))
                .collect()
        })
        .collect();
    let mut program = Program {
        files,
        options,
        instances,
        expected: 0,
        customs: Vec::new(),
        placements,
        templates: used,
    };
    program.predict()?;
    Ok(program)
}

fn pos_of(order: &[usize], file: usize) -> usize {
    order.iter().position(|&f| f == file).unwrap_or(usize::MAX)
}

/// Replaces `{K}`, `{Vn}` and `{Pn}` in `text`.
fn fill(text: &str, inst: &Instance) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find('}');
        let hole = end.map(|e| &after[..e]);
        let value = match hole {
            Some("K") => Some(inst.k.to_string()),
            Some(h) => hole_text(h, inst),
            None => None,
        };
        match (value, end) {
            (Some(v), Some(e)) => {
                out.push_str(&v);
                rest = &after[e + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A hole's text: a number, or with `:bytes` a `.wat` string of its 4 little-endian bytes.
fn hole_text(h: &str, inst: &Instance) -> Option<String> {
    match h.strip_suffix(":bytes") {
        Some(h) => {
            let v = hole_value(h, inst)?;
            Some(
                v.to_le_bytes()
                    .iter()
                    .fold(String::from("\""), |s, b| s + &format!("\\{b:02x}"))
                    + "\"",
            )
        }
        None => hole_value(h, inst).map(|v| v.to_string()),
    }
}

fn hole_value(h: &str, inst: &Instance) -> Option<i32> {
    let (list, n) = if let Some(n) = h.strip_prefix('V') {
        (&inst.values, n)
    } else if let Some(n) = h.strip_prefix('P') {
        (&inst.priorities, n)
    } else {
        return None;
    };
    list.get(n.parse::<usize>().ok()?).copied()
}

/// What `u<K>` of this instance returns, given where its parts went (file index, member).
fn predict(t: &Template, inst: &Instance, places: &[(usize, usize)]) -> Result<i32> {
    let in_order = t.parts.iter().enumerate().all(|(i, p)| match &p.after {
        Some(a) => t
            .parts
            .iter()
            .position(|q| &q.name == a)
            .is_some_and(|ai| places[i] > places[ai]),
        None => true,
    });
    match &t.expect {
        Expect::Expr(e) => {
            // Without an `otherwise` line the order changes only the custom sections.
            let e = match (&t.otherwise, in_order) {
                (Some(o), false) => o,
                _ => e,
            };
            template::eval(e, &|h| hole_value(h, inst))
        }
        Expect::InitLog { mul, entries } => {
            // Stable sort by priority; ties keep collection order: the object's place on the
            // command line, then the object's own list.
            let mut runs: Vec<(i32, (usize, usize), usize, i32)> = Vec::new();
            for (i, (part, hole, number)) in entries.iter().enumerate() {
                let pi = t
                    .parts
                    .iter()
                    .position(|p| &p.name == part)
                    .ok_or_else(|| err!("template {}: unknown part {part}", t.name))?;
                let prio = hole_value(hole, inst)
                    .ok_or_else(|| err!("template {}: unknown hole {hole}", t.name))?;
                runs.push((prio, places[pi], i, *number));
            }
            runs.sort();
            Ok(runs
                .iter()
                .fold(0i32, |acc, r| acc.wrapping_mul(*mul).wrapping_add(r.3)))
        }
    }
}

/// The text of one object: every part placed in it (imports first, as the text format wants),
/// and for the main object the `run` function.
fn module_text(
    parts: &[(usize, usize)],
    instances: &[Instance],
    placements: &[Vec<Place>],
    templates: &[Template],
    main: Option<&[Instance]>,
    file: usize,
) -> Result<String> {
    let mut imports = Vec::new();
    let mut others = Vec::new();
    let mut features: Vec<String> = Vec::new();
    for &(k, pi) in parts {
        let inst = &instances[k];
        let t = templates
            .iter()
            .find(|t| t.name == inst.template)
            .ok_or_else(|| err!("no template {}", inst.template))?;
        let text = fill(&t.parts[pi].text, inst);
        others.push(format!(";; {} #{k} part {}", t.name, t.parts[pi].name));
        for f in top_level_fields(&text)? {
            if let Some(list) = f
                .strip_prefix("(@features")
                .and_then(|r| r.strip_suffix(')'))
            {
                // One target_features section per object: the union of the parts' lists.
                for feature in list.split_whitespace() {
                    if !features.iter().any(|x| x == feature) {
                        features.push(feature.to_string());
                    }
                }
            } else if f.starts_with("(import") {
                // Parts may share an import written identically (e.g. `__tls_base`).
                if !imports.contains(&f) {
                    imports.push(f);
                }
            } else {
                others.push(f);
            }
        }
    }
    if let Some(all) = main {
        let mut body = String::new();
        for inst in all {
            let t = templates
                .iter()
                .find(|t| t.name == inst.template)
                .ok_or_else(|| err!("no template {}", inst.template))?;
            let k = inst.k;
            if placements[k][t.entry].file != file {
                imports.push(format!(
                    "(import \"env\" \"u{k}\" (func $u{k} (result i32)))"
                ));
            }
            let _ = write!(
                body,
                "\n    local.get $acc i32.const 31 i32.mul call $u{k} i32.add local.set $acc"
            );
        }
        others.push(format!(
            "(func $run (result i32) (local $acc i32){body}\n    local.get $acc)"
        ));
    }
    if !features.is_empty() {
        others.push(format!("(@features {})", features.join(" ")));
    }
    let mut out = String::from("(module\n");
    for f in imports.iter().chain(&others) {
        for line in f.lines() {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(")\n");
    Ok(out)
}

/// Splits module-field text into its top-level parenthesised fields (comments dropped).
fn top_level_fields(text: &str) -> Result<Vec<String>> {
    let b = text.as_bytes();
    let mut fields = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b';' if b.get(i + 1) == Some(&b';') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'(' if b.get(i + 1) == Some(&b';') => {
                let end = text[i..]
                    .find(";)")
                    .ok_or_else(|| err!("unclosed block comment"))?;
                i += end + 2;
                continue;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'(' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            b')' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| err!("unbalanced `)` in template text"))?;
                if depth == 0 {
                    fields.push(text[start..=i].to_string());
                }
            }
            _ => {}
        }
        i += 1;
    }
    if depth != 0 {
        bail!("unbalanced `(` in template text");
    }
    Ok(fields)
}

impl Program {
    /// Recomputes the predictions (each `u<K>`, the checksum, the custom sections) from the
    /// templates and where the parts are.
    fn predict(&mut self) -> Result<()> {
        for (i, inst) in self.instances.iter_mut().enumerate() {
            inst.expected = predict(&self.templates[i], inst, &self.placements[i])?;
        }
        self.expected = checksum(self.instances.iter().map(|i| i.expected));
        // name -> (where the part is, content)
        type Placed = Vec<((usize, usize), Vec<u8>)>;
        let mut customs: Vec<(String, Placed)> = Vec::new();
        for (i, inst) in self.instances.iter().enumerate() {
            for (pi, part) in self.templates[i].parts.iter().enumerate() {
                for (name, content) in &part.customs {
                    let name = fill(name, inst);
                    let at = self.placements[i][pi];
                    let content = fill(content, inst).into_bytes();
                    match customs.iter_mut().find(|c| c.0 == name) {
                        Some(c) => c.1.push((at, content)),
                        None => customs.push((name, vec![(at, content)])),
                    }
                }
            }
        }
        self.customs = customs
            .into_iter()
            .map(|(name, mut v)| {
                v.sort_by_key(|c| c.0);
                (name, v.into_iter().map(|c| c.1).collect())
            })
            .collect();
        Ok(())
    }

    /// The same program with its input files in another command-line order: `order[i]` is
    /// the index in `self.files` of the file that goes i-th. The prediction follows the
    /// templates' rules for the new order (`otherwise` when an `after` no longer holds).
    pub fn reordered(&self, order: &[usize]) -> Result<Program> {
        let mut sorted = order.to_vec();
        sorted.sort_unstable();
        if sorted != (0..self.files.len()).collect::<Vec<_>>() {
            bail!("reordered: {order:?} is not a permutation of the input files");
        }
        let mut p = self.clone();
        p.files = order.iter().map(|&i| self.files[i].clone()).collect();
        let new_pos = |old: usize| order.iter().position(|&o| o == old).unwrap_or(usize::MAX);
        for places in &mut p.placements {
            for pl in places.iter_mut() {
                pl.0 = new_pos(pl.0);
            }
        }
        p.predict()?;
        Ok(p)
    }

    /// Writes the inputs into `dir`; returns their paths in command-line order.
    pub fn write(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        let mut paths = Vec::with_capacity(self.files.len());
        for f in &self.files {
            let p = dir.join(&f.name);
            std::fs::write(&p, &f.bytes).map_err(|e| err!("cannot write {}: {e}", p.display()))?;
            paths.push(p);
        }
        Ok(paths)
    }

    /// The full wasm-ld command line (without the program name) for inputs written into `dir`.
    pub fn args(&self, dir: &Path, output: &Path) -> Vec<String> {
        let mut a = self.options.clone();
        a.extend(
            self.files
                .iter()
                .map(|f| dir.join(&f.name).display().to_string()),
        );
        a.push("-o".into());
        a.push(output.display().to_string());
        a
    }

    /// Checks a linked module: it validates, and has the predicted custom sections.
    pub fn check_module(&self, wasm: &[u8]) -> Result<()> {
        let mut validator =
            wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
        validator
            .validate_all(wasm)
            .map_err(|e| err!("output does not validate: {e}"))?;
        for (name, contents) in &self.customs {
            let mut found = None;
            for payload in wasmparser::Parser::new(0).parse_all(wasm) {
                if let Ok(wasmparser::Payload::CustomSection(c)) = payload {
                    if c.name() == name {
                        found = Some(c.data().to_vec());
                    }
                }
            }
            let data = found.ok_or_else(|| err!("output has no custom section `{name}`"))?;
            let mut at = 0;
            for c in contents {
                match find(&data[at..], c) {
                    Some(i) => at += i + c.len(),
                    None => bail!(
                        "custom section `{name}`: `{}` missing or out of order in `{}`",
                        String::from_utf8_lossy(c),
                        String::from_utf8_lossy(&data)
                    ),
                }
            }
        }
        Ok(())
    }

    /// Checks what `run` returned against the prediction, naming the instances on a mismatch.
    pub fn check_result(&self, got: i32) -> Result<()> {
        if got == self.expected {
            return Ok(());
        }
        let mut per = String::new();
        for i in &self.instances {
            let _ = write!(per, " u{}={} ({})", i.k, i.expected, i.template);
        }
        bail!("run returned {got}, predicted {} from{per}", self.expected)
    }

    /// A readable listing: options, then each file with its sources.
    pub fn describe(&self) -> String {
        let mut s = format!("options: {}\n", self.options.join(" "));
        for f in &self.files {
            let _ = writeln!(s, "== {} ({:?}, {} bytes)", f.name, f.kind, f.bytes.len());
            for (n, text) in &f.sources {
                let _ = writeln!(s, "-- {n}\n{text}");
            }
        }
        let _ = writeln!(s, "expected run() = {}", self.expected);
        s
    }

    /// Writes the program as a testsuite case folder (`main.wat` with directives, one `.wat`
    /// per object and archive member), expecting `run` to return the prediction. `comment`
    /// becomes the case's first comment line.
    pub fn write_case(&self, dir: &Path, comment: &str) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| err!("cannot create {}: {e}", dir.display()))?;
        let mut main = String::new();
        // The inputs are named in the args, which puts them in exactly this order (the
        // directive file itself, an empty object, comes last).
        let mut names = Vec::new();
        for f in &self.files {
            match f.kind {
                FileKind::Object => names.push(f.sources[0].0.clone()),
                FileKind::Archive => {
                    let members: Vec<String> = f
                        .sources
                        .iter()
                        .map(|(n, _)| n.replace(".o", ".wat"))
                        .collect();
                    let _ = writeln!(main, ";;! archive: {} = {}", f.name, members.join(" "));
                    names.push(f.name.clone());
                }
            }
        }
        let objects: Vec<&String> = names.iter().filter(|n| n.ends_with(".wat")).collect();
        if !objects.is_empty() {
            let list: Vec<&str> = objects.iter().map(|s| s.as_str()).collect();
            let _ = writeln!(main, ";;! object: {}", list.join(" "));
        }
        let _ = writeln!(
            main,
            ";;! args: {} {}",
            self.options.join(" "),
            names.join(" ")
        );
        let _ = writeln!(main, ";;! run: call run -> {}", self.expected);
        for line in comment.lines() {
            let _ = writeln!(main, ";; {line}");
        }
        main.push_str(
            ";; Generated by touchstone_oracle::gen; this empty object is linked last.\n(module)\n",
        );
        let w = |name: &str, text: &str| {
            let p = dir.join(name);
            std::fs::write(&p, text).map_err(|e| err!("cannot write {}: {e}", p.display()))
        };
        w("main.wat", &main)?;
        for f in &self.files {
            for (n, text) in &f.sources {
                let n = if f.kind == FileKind::Archive {
                    n.replace(".o", ".wat")
                } else {
                    n.clone()
                };
                w(&n, text)?;
            }
        }
        Ok(())
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use touchstone_format::RelocType;

    #[test]
    fn fields_split_at_top_level() {
        let f = top_level_fields("(a (b \"()\")) ;; (c)\n(; (x) ;) (d)").unwrap();
        assert_eq!(f, ["(a (b \"()\"))", "(d)"]);
        assert!(top_level_fields("(a").is_err());
    }

    #[test]
    fn holes_fill() {
        let i = Instance {
            template: "t".into(),
            k: 7,
            values: vec![-3, 9],
            priorities: vec![200],
            expected: 0,
        };
        assert_eq!(fill("$f{K} {V1} {P0} {V5} {x}", &i), "$f7 9 200 {V5} {x}");
        assert_eq!(fill("{V0:bytes}", &i), "\"\\fd\\ff\\ff\\ff\"");
    }

    /// Checks one generated object with wasmparser: it validates as a module, its linking
    /// section and every relocation section read to the end, and each relocation site lies
    /// inside its target section. Returns its defined, non-local symbol names.
    fn check_object(name: &str, bytes: &[u8]) -> Vec<String> {
        use wasmparser::{KnownCustom, Parser, Payload, Validator, WasmFeatures};
        Validator::new_with_features(WasmFeatures::all())
            .validate_all(bytes)
            .unwrap_or_else(|e| panic!("{name} does not validate: {e}"));
        let mut sections = Vec::new();
        let mut linking = false;
        for payload in Parser::new(0).parse_all(bytes) {
            let payload = payload.unwrap_or_else(|e| panic!("{name}: {e}"));
            if let Some((_, range)) = payload.as_section() {
                sections.push(range.end - range.start);
            }
            let Payload::CustomSection(c) = payload else {
                continue;
            };
            match c.as_known() {
                KnownCustom::Linking(reader) => {
                    linking = true;
                    for sub in reader {
                        sub.unwrap_or_else(|e| panic!("{name}: linking section: {e}"));
                    }
                }
                KnownCustom::Reloc(reader) => {
                    let target = sections[reader.section_index() as usize];
                    for entry in reader.entries() {
                        let e = entry.unwrap_or_else(|e| panic!("{name}: {}: {e}", c.name()));
                        let width = RelocType::from_u8(e.ty as u8)
                            .unwrap_or_else(|| panic!("{name}: unknown relocation {:?}", e.ty))
                            .width();
                        assert!(
                            e.offset as u64 + width as u64 <= target,
                            "{name}: {} site at {} runs past its section",
                            c.name(),
                            e.offset
                        );
                    }
                }
                _ => {}
            }
        }
        assert!(linking, "{name} has no linking section");
        crate::ar::index_symbols(bytes).unwrap_or_else(|e| panic!("{name}: symbol table: {e}"))
    }

    #[test]
    fn every_seed_generates_valid_objects() {
        for seed in 0..40u32 {
            let bytes: Vec<u8> = (0..400u32)
                .map(|i| (i.wrapping_mul(2654435761).wrapping_add(seed * 97) >> 13) as u8)
                .collect();
            let mut u = Unstructured::new(&bytes);
            let p = generate(&mut u, &Limits::default()).unwrap();
            let run = p.files.iter().find(|f| f.name == "run.o").expect("run.o");
            assert!(check_object("run.o", &run.bytes).contains(&"run".to_string()));
            for f in &p.files {
                match f.kind {
                    FileKind::Object => {
                        check_object(&f.name, &f.bytes);
                    }
                    FileKind::Archive => {
                        // Every member is a valid object, and the archive's symbol index
                        // names exactly the members' defined global symbols.
                        let a = object::read::archive::ArchiveFile::parse(&f.bytes[..])
                            .unwrap_or_else(|e| panic!("{}: {e}", f.name));
                        let mut want = Vec::new();
                        for m in a.members() {
                            let m = m.unwrap();
                            let name = String::from_utf8_lossy(m.name()).into_owned();
                            want.extend(check_object(&name, m.data(&f.bytes[..]).unwrap()));
                        }
                        let index: Vec<String> = a
                            .symbols()
                            .unwrap()
                            .expect("a symbol index")
                            .map(|s| String::from_utf8_lossy(s.unwrap().name()).into_owned())
                            .collect();
                        assert_eq!(index, want, "{}: symbol index", f.name);
                    }
                }
            }
        }
    }
}
