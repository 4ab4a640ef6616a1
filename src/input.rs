//! Stage `input`: read (mmap) every input file named by the [`Config`], classify it as an
//! object or an archive, and index archive members.
//!
//! The file bytes stay mapped for the whole link; later stages borrow them (`'data`). Archives
//! (GNU and BSD `ar`, with or without a symbol index, with long names) are split into members
//! with the `object` crate; a member is named `lib.a(member.o)` in every message, as wasm-ld
//! names it. `-lNAME` is looked up as `libNAME.a` in the `-L` directories in order
//! (`-l:NAME` looks up `NAME` itself).

use crate::args::{Config, InputSpec};
use crate::bail;
use crate::error::{Context, Result};
use memmap2::Mmap;
use std::path::{Path, PathBuf};

/// The bytes of one input file, mapped or read.
pub enum FileData {
    Mapped(Mmap),
    Owned(Vec<u8>),
}

impl FileData {
    pub fn bytes(&self) -> &[u8] {
        match self {
            FileData::Mapped(m) => m,
            FileData::Owned(v) => v,
        }
    }
}

/// One input file as read from disk.
pub struct InputFile {
    pub path: PathBuf,
    pub data: FileData,
    pub whole_archive: bool,
    /// Between `--start-lib` and `--end-lib`: loaded only when needed, like a member.
    pub lazy: bool,
    /// Whether a shared library may be linked against at this place of the command line.
    pub dynamic: bool,
}

/// Reads every input in command-line order.
pub fn read_inputs(config: &Config) -> Result<Vec<InputFile>> {
    let mut files = Vec::with_capacity(config.inputs.len());
    for spec in &config.inputs {
        let (path, whole_archive, lazy, dynamic) = match spec {
            InputSpec::File {
                path,
                whole_archive,
                lazy,
                bdynamic,
            } => (
                path.clone(),
                *whole_archive,
                *lazy,
                links_dynamically(config, *bdynamic),
            ),
            InputSpec::Library {
                name,
                whole_archive,
                bdynamic,
            } => {
                let dynamic = links_dynamically(config, *bdynamic);
                let path = find_library(name, dynamic, &config.search_paths)?;
                (path, *whole_archive, false, dynamic)
            }
        };
        let data = read_file(&path)?;
        files.push(InputFile {
            path,
            data,
            whole_archive,
            lazy,
            dynamic,
        });
    }
    Ok(files)
}

/// The symbols the archives' `.imports` files list: an archive `X.a` may come with `X.imports`,
/// one symbol a line, each allowed to stay undefined (an import), as if named in
/// `--allow-undefined-file` (lld `readImportFile`, called from `LinkerDriver::addFile`).
pub fn archive_import_lists(files: &[InputFile]) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for list in archive_import_files(files) {
        let text =
            std::fs::read(&list).with_context(|| format!("cannot open {}", list.display()))?;
        for line in String::from_utf8_lossy(&text).split('\n') {
            let line = line.trim();
            if !line.is_empty() && !line.starts_with('#') {
                names.push(line.to_string());
            }
        }
    }
    Ok(names)
}

/// The `.imports` files that come with the archives among `files`.
pub fn archive_import_files(files: &[InputFile]) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|f| f.data.bytes().starts_with(b"!<arch>\n"))
        .map(|f| f.path.with_extension("imports"))
        .filter(|list| list.is_file())
        .collect()
}

/// Each member header's size field must be decimal digits, padded with spaces, as LLVM's
/// archive reader requires (`ArchiveMemberHeader::getSize`); the `object` crate is more
/// lenient. Checked as lld does when it walks the members (`getArchiveMembers`), with its
/// words. Headers are followed as far as the sizes lead; other damage is the `object`
/// crate's to report.
fn check_member_sizes(path: &Path, data: &[u8]) -> Result<()> {
    let mut at = 8;
    while let Some(header) = data.get(at..at + 60) {
        let field = &header[48..58];
        let digits = field.strip_suffix(b" ").map_or(field, |_| {
            let end = field.iter().rposition(|&b| b != b' ').map_or(0, |i| i + 1);
            &field[..end]
        });
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            bail!(
                "{}: Archive::children failed: truncated or malformed archive (characters in size field in archive member header are not all decimal numbers: '{}' for the archive member header at offset {at})",
                path.display(),
                String::from_utf8_lossy(field).trim_end_matches(' ')
            );
        }
        let size: usize = std::str::from_utf8(digits)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(usize::MAX);
        at = at
            .saturating_add(60)
            .saturating_add(size)
            .saturating_add(size & 1);
    }
    Ok(())
}

/// Whether `-l` looks for shared libraries, and a shared library given may be linked
/// against (lld's `isStatic` false): after `-Bdynamic`
/// (which `-r` ignores), after `-Bstatic` not, and by default only with `-pie` or `-shared`.
fn links_dynamically(config: &Config, bdynamic: Option<bool>) -> bool {
    match bdynamic {
        Some(false) => false,
        Some(true) if !config.relocatable => true,
        _ => config.pie || config.shared,
    }
}

/// lld's `searchLibrary`: `-l:NAME` is NAME in the first search path that has it; `-lNAME`
/// is, in each search path in turn, `libNAME.so` (when linking dynamically: a shared or a
/// stub library) then `libNAME.a`.
fn find_library(name: &str, dynamic: bool, paths: &[PathBuf]) -> Result<PathBuf> {
    let files = match name.strip_prefix(':') {
        Some(exact) => vec![exact.to_string()],
        None if dynamic => vec![format!("lib{name}.so"), format!("lib{name}.a")],
        None => vec![format!("lib{name}.a")],
    };
    for dir in paths {
        for file in &files {
            let p = dir.join(file);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    bail!("unable to find library -l{name}")
}

fn read_file(path: &Path) -> Result<FileData> {
    let f = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let len = f
        .metadata()
        .with_context(|| format!("cannot open {}", path.display()))?
        .len();
    if len == 0 {
        return Ok(FileData::Owned(Vec::new()));
    }
    // SAFETY: the map is read-only and lives as long as `FileData`. Like every linker that
    // maps its inputs (lld, wild), we assume input files are not truncated or rewritten while
    // the link runs; that is outside what a memory-safe program can guard against.
    match unsafe { Mmap::map(&f) } {
        Ok(m) => Ok(FileData::Mapped(m)),
        Err(_) => {
            Ok(FileData::Owned(std::fs::read(path).with_context(|| {
                format!("cannot read {}", path.display())
            })?))
        }
    }
}

/// What an input file holds.
pub enum Kind {
    Object,
    Archive,
    /// A `#STUB` text file (`crate::stub`).
    Stub,
}

pub fn classify(path: &Path, data: &[u8]) -> Result<Kind> {
    if data.starts_with(b"\0asm") {
        Ok(Kind::Object)
    } else if data.starts_with(b"!<arch>\n") || data.starts_with(b"!<thin>\n") {
        Ok(Kind::Archive)
    } else if crate::stub::is_stub(data) {
        Ok(Kind::Stub)
    } else {
        bail!("unknown file type: {}", path.display())
    }
}

/// One member of an archive.
pub struct Member<'data> {
    pub name: String,
    pub data: &'data [u8],
}

/// Splits an archive into its members, in archive order. Members that are not WebAssembly
/// objects (e.g. a symbol index, or stray files) are skipped, as wasm-ld skips them.
pub fn archive_members<'data>(path: &Path, data: &'data [u8]) -> Result<Vec<Member<'data>>> {
    check_member_sizes(path, data)?;
    let archive = object::read::archive::ArchiveFile::parse(data)
        .map_err(|e| crate::err!("{}: malformed archive: {e}", path.display()))?;
    if archive.is_thin() {
        bail!("{}: thin archives are not supported", path.display());
    }
    let mut out = Vec::new();
    for (i, m) in archive.members().enumerate() {
        let m =
            m.map_err(|e| crate::err!("{}: malformed archive member {i}: {e}", path.display()))?;
        let name = String::from_utf8_lossy(m.name()).into_owned();
        let bytes = m.data(data).map_err(|e| {
            crate::err!("{}({name}): malformed archive member: {e}", path.display())
        })?;
        out.push(Member { name, data: bytes });
    }
    Ok(out)
}
