//! `touchstone reduce`: delta debugging of a diverging testsuite case. The case (a folder with
//! a main file, or a case file and the inputs it names) is linked by the linker under test and
//! by the reference and judged as `touchstone fuzz` judges a case ([`crate::fuzz::judge`]); its
//! divergence's signature is then kept while parts are taken away, coarse to fine, until no
//! single part can go:
//!
//! 1. the predicted results (`run: ... -> VALUES`, `stdout:`, `exit:`, `trap:`), so that the
//!    code can change: the comparison with the reference stays;
//! 2. inputs: objects and archive members (with their files and their mentions in `args:`);
//! 3. linker options (`args:` words that name no input);
//! 4. the top-level fields of each `.wat` input: functions, data segments, globals, imports,
//!    exports, annotations such as `(@init ...)` and comments;
//! 5. the instructions of each function (the generator writes one a line).
//!
//! Each step removes chunks of halving size (ddmin's complement tests), so a case of a few
//! hundred parts takes some hundreds of links. A candidate that does not build (a removed
//! function still called), that the reference judges against the case's expectations, or that
//! diverges differently, is not taken. The result is a case folder with `DIVERGENCE.txt`.

use crate::case::{directive, Case, MAIN_FILES};
use crate::fuzz::{judge, Verdict};
use crate::link::Linker;
use anyhow::{anyhow, bail, Context as _};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A case as files: the main file's name and every file's bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct Folder {
    pub main: String,
    pub files: BTreeMap<String, Vec<u8>>,
}

/// An `args:` word and its place among them.
type Word = (usize, String);

/// What [`reduce`] did.
pub struct Reduced {
    pub verdict: Verdict,
    /// One line per accepted removal, in order.
    pub removed: Vec<String>,
    /// Candidates linked and judged.
    pub tests: usize,
    pub folder: Folder,
}

/// Reads the case at `path`: a folder with a main file (every file in it but
/// `DIVERGENCE.txt`), or a case file with the files its `object:`/`archive:` directives and
/// `args:` words name beside it.
pub fn read_case(path: &Path) -> anyhow::Result<Folder> {
    let read = |p: &Path| std::fs::read(p).with_context(|| format!("cannot read {}", p.display()));
    let mut files = BTreeMap::new();
    if path.is_dir() {
        let main = MAIN_FILES
            .iter()
            .find(|m| path.join(m).is_file())
            .ok_or_else(|| {
                anyhow!(
                    "{}: no {} in the folder",
                    path.display(),
                    MAIN_FILES.join(", ")
                )
            })?;
        for entry in std::fs::read_dir(path)? {
            let p = entry?.path();
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            if let Some(name) = name.filter(|n| p.is_file() && n != "DIVERGENCE.txt") {
                files.insert(name, read(&p)?);
            }
        }
        return Ok(Folder {
            main: main.to_string(),
            files,
        });
    }
    let main = file_name(path)?;
    let text =
        String::from_utf8(read(path)?).with_context(|| format!("{}: not UTF-8", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    for word in Directives::parse(&text).words() {
        let p = dir.join(&word);
        if word != main && p.is_file() {
            files.insert(word, read(&p)?);
        }
    }
    files.insert(main.clone(), text.into_bytes());
    Ok(Folder { main, files })
}

fn file_name(path: &Path) -> anyhow::Result<String> {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| anyhow!("{}: not a file", path.display()))
}

impl Folder {
    /// Writes the files into `dir` (emptied first).
    pub fn write(&self, dir: &Path) -> anyhow::Result<()> {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        for (name, bytes) in &self.files {
            std::fs::write(dir.join(name), bytes)
                .with_context(|| format!("cannot write {}", dir.join(name).display()))?;
        }
        Ok(())
    }

    fn main_text(&self) -> String {
        String::from_utf8_lossy(&self.files[&self.main]).into_owned()
    }

    fn with_text(&self, name: &str, text: String) -> Folder {
        let mut f = self.clone();
        f.files.insert(name.to_string(), text.into_bytes());
        f
    }
}

/// The directive lines of a main file that name inputs and options, as parsed words.
struct Directives {
    /// `object:` files, in order.
    objects: Vec<String>,
    /// `archive:` name, its members, and the directive's key (`archive` or `archive-no-index`).
    archives: Vec<(String, Vec<String>, String)>,
    args: Vec<String>,
}

impl Directives {
    fn parse(text: &str) -> Directives {
        let mut d = Directives {
            objects: Vec::new(),
            archives: Vec::new(),
            args: Vec::new(),
        };
        for (key, value) in text.lines().filter_map(directive) {
            match key {
                "object" | "objects" => {
                    d.objects.extend(value.split_whitespace().map(String::from))
                }
                "archive" | "archive-no-index" => {
                    if let Some((name, members)) = value.split_once('=') {
                        let members = members.split_whitespace().map(String::from).collect();
                        d.archives
                            .push((name.trim().to_string(), members, key.to_string()));
                    }
                }
                "args" => d
                    .args
                    .extend(shell_words::split(value.trim()).unwrap_or_default()),
                _ => {}
            }
        }
        d
    }

    /// Every word that may name a file.
    fn words(&self) -> Vec<String> {
        let mut w = self.objects.clone();
        for (name, members, _) in &self.archives {
            w.push(name.clone());
            w.extend(members.iter().cloned());
        }
        w.extend(self.args.iter().cloned());
        w
    }

    /// The main file's text with these directives in place of the old ones (at the first
    /// one's line; other lines kept).
    fn render(&self, text: &str) -> String {
        let prefix = text
            .trim_start()
            .split_once('!')
            .map_or(";;", |(p, _)| p)
            .to_string();
        let mut lines = Vec::new();
        if !self.objects.is_empty() {
            lines.push(format!("{prefix}! object: {}", self.objects.join(" ")));
        }
        for (name, members, key) in &self.archives {
            lines.push(format!("{prefix}! {key}: {name} = {}", members.join(" ")));
        }
        if !self.args.is_empty() {
            lines.push(format!("{prefix}! args: {}", shell_words::join(&self.args)));
        }
        let mut out = String::new();
        let mut placed = false;
        for line in text.lines() {
            let ours = directive(line).is_some_and(|(k, _)| {
                matches!(
                    k,
                    "object" | "objects" | "archive" | "archive-no-index" | "args"
                )
            });
            if ours {
                if !placed {
                    lines.iter().for_each(|l| {
                        out.push_str(l);
                        out.push('\n');
                    });
                    placed = true;
                }
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
        if !placed {
            out = lines.join("\n") + "\n" + &out;
        }
        out
    }
}

/// Reduces the case at `path`, keeping the divergence of `linker` from `reference`; `log` is
/// told each removal. Work folders go under `work`.
pub fn reduce(
    path: &Path,
    linker: &Linker,
    reference: &Linker,
    work: &Path,
    log: &mut dyn FnMut(&str),
) -> anyhow::Result<Reduced> {
    reduce_ignoring(path, linker, reference, &[], work, log)
}

/// [`reduce`], every candidate judged with the difference keys `ignore` dropped (`--ignore`,
/// as the campaign that found the case judged it).
pub fn reduce_ignoring(
    path: &Path,
    linker: &Linker,
    reference: &Linker,
    ignore: &[String],
    work: &Path,
    log: &mut dyn FnMut(&str),
) -> anyhow::Result<Reduced> {
    let start = read_case(path)?;
    let mut r = Reducer {
        linker,
        reference,
        ignore,
        work,
        tests: 0,
        target: String::new(),
        removed: Vec::new(),
        log,
    };
    let verdict = r.verdict(&start)?.ok_or_else(|| {
        anyhow!(
            "{}: the case does not diverge: nothing to reduce",
            path.display()
        )
    })?;
    r.target = verdict.signature.clone();
    (r.log)(&format!("signature: {}", verdict.signature));
    let mut folder = r.strip_predictions(start);
    loop {
        let before = folder.clone();
        folder = r.reduce_inputs(folder);
        folder = r.reduce_args(folder);
        for name in wat_files(&folder) {
            folder = r.reduce_fields(folder, &name);
            folder = r.reduce_lines(folder, &name);
        }
        if folder == before {
            break;
        }
    }
    let verdict = r
        .verdict(&folder)?
        .ok_or_else(|| anyhow!("internal error: the reduced case does not diverge"))?;
    Ok(Reduced {
        verdict,
        removed: r.removed,
        tests: r.tests,
        folder,
    })
}

struct Reducer<'a> {
    linker: &'a Linker,
    reference: &'a Linker,
    ignore: &'a [String],
    work: &'a Path,
    tests: usize,
    /// The signature every candidate must keep.
    target: String,
    removed: Vec<String>,
    log: &'a mut dyn FnMut(&str),
}

impl Reducer<'_> {
    /// Links and judges `folder`.
    fn verdict(&mut self, folder: &Folder) -> anyhow::Result<Option<Verdict>> {
        self.tests += 1;
        let dir = self.work.join("candidate");
        folder.write(&dir)?;
        let mut case = Case::parse(&dir.join(&folder.main), "reduce")?;
        case.ignore = self.ignore.to_vec();
        judge(&case, self.linker, self.reference, &self.work.join("links"))
    }

    /// Whether `folder` still diverges the same way.
    fn keeps(&mut self, folder: &Folder) -> bool {
        matches!(self.verdict(folder), Ok(Some(v)) if v.signature == self.target)
    }

    fn accept(&mut self, what: String) {
        (self.log)(&format!("removed {what}"));
        self.removed.push(what);
    }

    /// Step 1: run results and expected output go, the runs stay.
    fn strip_predictions(&mut self, folder: Folder) -> Folder {
        let text = folder.main_text();
        let mut out = String::new();
        for line in text.lines() {
            match directive(line) {
                Some(("stdout" | "stderr" | "exit" | "trap", _)) => continue,
                Some(("run", value)) if value.contains("->") => {
                    let (call, _) = value.split_once("->").unwrap_or((value, ""));
                    let prefix = &line[..line.find("run:").unwrap_or(0)];
                    out.push_str(&format!("{prefix}run: {}\n", call.trim()));
                }
                _ => {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        if out == text || out.trim_end() == text.trim_end() {
            return folder;
        }
        let candidate = folder.with_text(&folder.main.clone(), out);
        if self.keeps(&candidate) {
            self.accept("the predicted results".into());
            return candidate;
        }
        folder
    }

    /// Step 2: objects and archive members.
    fn reduce_inputs(&mut self, folder: Folder) -> Folder {
        let d = Directives::parse(&folder.main_text());
        let mut units: Vec<String> = d.objects.clone();
        for (_, members, _) in &d.archives {
            units.extend(members.iter().cloned());
        }
        let units: Vec<String> = units.into_iter().filter(|u| *u != folder.main).collect();
        let kept = self.ddmin(&folder, units, "inputs", without_inputs);
        without_inputs(&folder, &kept)
    }

    /// Step 3: option words that name no input.
    fn reduce_args(&mut self, folder: Folder) -> Folder {
        let d = Directives::parse(&folder.main_text());
        let (inputs, options): (Vec<Word>, Vec<Word>) =
            d.args.iter().cloned().enumerate().partition(|(_, a)| {
                folder.files.contains_key(a) || d.archives.iter().any(|x| &x.0 == a)
            });
        let rebuild = |f: &Folder, kept: &[(usize, String)]| {
            let mut d = Directives::parse(&f.main_text());
            let mut args: Vec<(usize, String)> =
                inputs.iter().cloned().chain(kept.iter().cloned()).collect();
            args.sort();
            d.args = args.into_iter().map(|(_, a)| a).collect();
            f.with_text(&f.main, d.render(&f.main_text()))
        };
        let kept = self.ddmin(&folder, options, "options", |f, kept| rebuild(f, kept));
        rebuild(&folder, &kept)
    }

    /// Step 4: top-level fields of a `.wat` file.
    fn reduce_fields(&mut self, folder: Folder, name: &str) -> Folder {
        let text = String::from_utf8_lossy(&folder.files[name]).into_owned();
        let Some(module) = Module::parse(&text) else {
            return folder;
        };
        let units: Vec<(usize, String)> = module.fields.iter().cloned().enumerate().collect();
        let what = format!("fields of {name}");
        let kept = self.ddmin(&folder, units, &what, |f, kept| {
            f.with_text(name, module.render(kept.iter().map(|(_, t)| t.as_str())))
        });
        folder.with_text(name, module.render(kept.iter().map(|(_, t)| t.as_str())))
    }

    /// Step 5: the instruction lines of each function of a `.wat` file.
    fn reduce_lines(&mut self, mut folder: Folder, name: &str) -> Folder {
        let mut field = 0;
        loop {
            let text = String::from_utf8_lossy(&folder.files[name]).into_owned();
            let Some(module) = Module::parse(&text) else {
                return folder;
            };
            let Some(func) = module.fields.get(field).cloned() else {
                return folder;
            };
            field += 1;
            let Some((header, body)) = func_lines(&func) else {
                continue;
            };
            let units: Vec<(usize, String)> = body.into_iter().enumerate().collect();
            let rebuild = |f: &Folder, kept: &[(usize, String)]| {
                let lines: Vec<&str> = kept.iter().map(|(_, l)| l.as_str()).collect();
                let func = format!("{header}\n{})", lines.join("\n"));
                let mut fields = module.fields.clone();
                fields[field - 1] = func;
                f.with_text(name, module.render(fields.iter().map(String::as_str)))
            };
            let what = format!("instructions of {name} field {field}");
            let kept = self.ddmin(&folder, units, &what, |f, kept| rebuild(f, kept));
            folder = rebuild(&folder, &kept);
        }
    }

    /// Removes chunks of `units` (halving their size down to one) while `make(folder, kept)`
    /// keeps the divergence; returns the units kept. `what` names a unit for the log.
    fn ddmin<T: Clone + std::fmt::Debug>(
        &mut self,
        folder: &Folder,
        mut units: Vec<T>,
        what: &str,
        make: impl Fn(&Folder, &[T]) -> Folder,
    ) -> Vec<T> {
        let mut size = units.len().div_ceil(2).max(1);
        while !units.is_empty() {
            let mut at = 0;
            while at < units.len() {
                let end = (at + size).min(units.len());
                let mut kept = units[..at].to_vec();
                kept.extend_from_slice(&units[end..]);
                if self.keeps(&make(folder, &kept)) {
                    let gone = end - at;
                    self.accept(format!("{what} ({gone})"));
                    units = kept;
                } else {
                    at = end;
                }
            }
            if size == 1 {
                break;
            }
            size = size.div_ceil(2);
        }
        units
    }
}

/// `folder` with only the inputs `kept` of its `object:` and archive members: the others'
/// files and mentions in `args:` go, and an archive left empty goes too.
fn without_inputs(folder: &Folder, kept: &[String]) -> Folder {
    let text = folder.main_text();
    let mut d = Directives::parse(&text);
    let gone = |x: &String| !kept.contains(x) && *x != folder.main;
    let mut removed: Vec<String> = d.objects.iter().filter(|o| gone(o)).cloned().collect();
    d.objects.retain(|o| !gone(o));
    for (name, members, _) in &mut d.archives {
        removed.extend(members.iter().filter(|m| gone(m)).cloned());
        members.retain(|m| !gone(m));
        if members.is_empty() {
            removed.push(name.clone());
        }
    }
    d.archives.retain(|(_, m, _)| !m.is_empty());
    d.args.retain(|a| !removed.contains(a));
    let mut f = folder.with_text(&folder.main, d.render(&text));
    for r in &removed {
        // A file another directive still names stays.
        if !Directives::parse(&f.main_text()).words().contains(r) {
            f.files.remove(r);
        }
    }
    f
}

/// The `.wat` files of a folder, main file included.
fn wat_files(folder: &Folder) -> Vec<String> {
    folder
        .files
        .keys()
        .filter(|n| n.ends_with(".wat"))
        .cloned()
        .collect()
}

/// A `.wat` text cut into what comes before its fields (the directives and `(module`), the
/// fields (top-level s-expressions and comments), and what follows the module.
struct Module {
    head: String,
    fields: Vec<String>,
    tail: String,
}

impl Module {
    fn parse(text: &str) -> Option<Module> {
        let start = find_module(text)?;
        let b = text.as_bytes();
        let mut at = start;
        let mut fields = Vec::new();
        loop {
            while at < b.len() && b[at].is_ascii_whitespace() {
                at += 1;
            }
            match b.get(at)? {
                b')' => break,
                b';' if b.get(at + 1) == Some(&b';') => {
                    let end = text[at..].find('\n').map_or(b.len(), |n| at + n);
                    fields.push(text[at..end].to_string());
                    at = end;
                }
                b'(' => {
                    let end = sexpr_end(b, at)?;
                    fields.push(text[at..end].to_string());
                    at = end;
                }
                _ => {
                    // An atom at module level (`$name`): kept with the head.
                    if !fields.is_empty() {
                        return None;
                    }
                    while at < b.len() && !b[at].is_ascii_whitespace() && b[at] != b'(' {
                        at += 1;
                    }
                }
            }
        }
        let head_end = if fields.is_empty() {
            at
        } else {
            text[..at].find(&fields[0])?
        };
        Some(Module {
            head: text[..head_end].trim_end().to_string(),
            fields,
            tail: text[at + 1..].to_string(),
        })
    }

    fn render<'a>(&self, fields: impl Iterator<Item = &'a str>) -> String {
        let mut out = self.head.clone();
        for f in fields {
            out.push_str("\n  ");
            out.push_str(f);
        }
        out.push_str("\n)");
        out.push_str(&self.tail);
        out
    }
}

/// Where the fields of the first `(module` start (just past the keyword).
fn find_module(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut at = 0;
    while at < b.len() {
        if b[at] == b';' && b.get(at + 1) == Some(&b';') {
            at = text[at..].find('\n').map_or(b.len(), |n| at + n);
            continue;
        }
        if text[at..].starts_with("(module") {
            return Some(at + "(module".len());
        }
        at += 1;
    }
    None
}

/// The end (exclusive) of the s-expression opening at `start`, past strings and comments.
fn sexpr_end(b: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = start;
    while at < b.len() {
        match b[at] {
            b'"' => {
                at += 1;
                while *b.get(at)? != b'"' {
                    at += if b[at] == b'\\' { 2 } else { 1 };
                }
            }
            b';' if b.get(at + 1) == Some(&b';') => {
                while at < b.len() && b[at] != b'\n' {
                    at += 1;
                }
                continue;
            }
            b'(' if b.get(at + 1) == Some(&b';') => {
                let close = b[at..].windows(2).position(|w| w == b";)")?;
                at += close + 2;
                continue;
            }
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(at + 1);
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// A multi-line `(func ...)` as its first line and its body lines (the closing parenthesis
/// taken off the last).
fn func_lines(field: &str) -> Option<(String, Vec<String>)> {
    if !field.starts_with("(func") {
        return None;
    }
    let mut lines: Vec<String> = field.lines().map(String::from).collect();
    if lines.len() < 2 {
        return None;
    }
    let header = lines.remove(0);
    let last = lines.last_mut()?;
    *last = last.trim_end().strip_suffix(')')?.to_string();
    if last.trim().is_empty() {
        lines.pop();
    }
    Some((header, lines))
}

/// Writes the reduced case to `out` (emptied first) with `DIVERGENCE.txt`: `signature`, the
/// difference, what was removed, how to reproduce it.
pub fn keep(r: &Reduced, signature: &str, out: &Path) -> anyhow::Result<PathBuf> {
    r.folder.write(out)?;
    let mut text = format!(
        "{signature}\n\n{}\n\nReduced by `touchstone reduce` in {} links; removed:\n",
        r.verdict.summary, r.tests
    );
    for line in &r.removed {
        text.push_str(&format!("  - {line}\n"));
    }
    text.push_str("\nReproduce:\n");
    for c in &r.verdict.commands {
        text.push_str(&format!("    {c}\n"));
    }
    std::fs::write(out.join("DIVERGENCE.txt"), text)?;
    if !out.join(&r.folder.main).is_file() {
        bail!("internal error: {} was not written", r.folder.main);
    }
    Ok(out.to_path_buf())
}

/// Says in the `DIVERGENCE.txt` of the case folder `folder` which difference keys `--ignore`
/// dropped when it was judged, as the options that judge it the same way again; nothing when
/// `ignore` is empty.
pub fn note_ignored(ignore: &[String], folder: &Path) -> anyhow::Result<()> {
    if ignore.is_empty() {
        return Ok(());
    }
    let path = folder.join("DIVERGENCE.txt");
    let mut text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let options: Vec<String> = ignore
        .iter()
        .map(|k| format!("--ignore {}", shell_words::quote(k)))
        .collect();
    text.push_str(&format!(
        "\nJudged with {} (the differences it matches dropped).\n",
        options.join(" ")
    ));
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAT: &str = ";;! args: --no-entry --export=run a.wat\n;; a comment\n(module\n  (import \"env\" \"f\" (func $f (result i32)))\n  ;; part a\n  (func $run (result i32)\n    call $f\n    i32.const 1\n    i32.add)\n  (data $d (@segment \".data.d\") \"a)b\\\"(\")\n)\n";

    #[test]
    fn modules_split_into_fields_and_render_back() {
        let m = Module::parse(WAT).unwrap();
        assert_eq!(m.fields.len(), 4, "{:?}", m.fields);
        assert!(m.fields[3].ends_with("\"a)b\\\"(\")"), "{:?}", m.fields[3]);
        let all = m.render(m.fields.iter().map(String::as_str));
        assert_eq!(Module::parse(&all).unwrap().fields, m.fields);
        let fewer = m.render(m.fields.iter().skip(1).map(String::as_str));
        assert!(!fewer.contains("import") && fewer.contains("(func $run"));
        assert!(fewer.starts_with(";;! args:"));
    }

    #[test]
    fn functions_give_their_instruction_lines() {
        let m = Module::parse(WAT).unwrap();
        let (header, body) = func_lines(&m.fields[2]).unwrap();
        assert_eq!(header, "(func $run (result i32)");
        assert_eq!(body, ["    call $f", "    i32.const 1", "    i32.add"]);
        assert!(func_lines("(func $s (result i32) i32.const 1)").is_none());
    }

    #[test]
    fn inputs_leave_directives_args_and_files() {
        let main = ";;! object: a.wat b.wat\n;;! archive: lib.a = m.wat\n;;! args: --no-entry --whole-archive lib.a b.wat\n(module)\n";
        let mut files = BTreeMap::new();
        for n in ["main.wat", "a.wat", "b.wat", "m.wat"] {
            files.insert(n.to_string(), b"(module)".to_vec());
        }
        files.insert("main.wat".into(), main.as_bytes().to_vec());
        let f = Folder {
            main: "main.wat".into(),
            files,
        };
        let g = without_inputs(&f, &["a.wat".to_string()]);
        let text = g.main_text();
        assert!(
            text.starts_with(";;! object: a.wat\n;;! args: --no-entry --whole-archive\n"),
            "{text}"
        );
        assert_eq!(g.files.keys().collect::<Vec<_>>(), ["a.wat", "main.wat"]);
    }
}
