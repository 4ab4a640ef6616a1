//! `--reproduce=FILE`: a tar file from which the link can be run again elsewhere, as lld's
//! `--reproduce` writes it. Every entry is under a folder named by FILE's stem (`repro.tar`
//! holds `repro/...`): `response.txt` (the command line with each input's path rewritten to
//! where the tar holds it, see `args::relative_to_root`), `version.txt`, and every file the
//! link read (inputs, libraries found by `-l`, `--allow-undefined-file`, archives' `.imports`)
//! at its absolute path without the leading `/`. Extracted, `touchstone-ld @repro/response.txt`
//! run inside it links the same inputs. The tar is written (atomically) once the inputs are
//! read, so a link that fails later can still be reproduced.

use crate::args::{relative_to_root, Config};
use crate::error::{Context as _, Result};
use std::path::{Path, PathBuf};

/// Writes `config.reproduce`'s tar with the command line, the input `files` (path as named,
/// bytes) and the `others` the link read (read again here).
pub fn write_tar(config: &Config, files: &[(&Path, &[u8])], others: &[PathBuf]) -> Result<()> {
    let Some(tar_path) = &config.reproduce else {
        return Ok(());
    };
    let base = tar_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "repro".into());
    let version = format!("{}\n", crate::VERSION);
    let mut read_again = Vec::with_capacity(others.len());
    for path in others {
        let data =
            std::fs::read(path).with_context(|| format!("cannot open {}", path.display()))?;
        read_again.push((path.as_path(), data));
    }
    let mut entries = vec![
        ("response.txt".to_string(), config.response_file.as_bytes()),
        ("version.txt".to_string(), version.as_bytes()),
    ];
    let mut seen = std::collections::HashSet::new();
    let all = files
        .iter()
        .map(|(p, d)| (*p, *d))
        .chain(read_again.iter().map(|(p, d)| (*p, d.as_slice())));
    for (path, data) in all {
        let name = relative_to_root(path);
        if seen.insert(name.clone()) {
            entries.push((name, data));
        }
    }
    // Streamed into a temporary file beside the tar (the inputs are not copied in memory),
    // then renamed into place.
    let temp = tar_path.with_extension(format!("tmp{}", std::process::id()));
    let written = std::fs::File::create(&temp).and_then(|file| {
        let mut builder = tar::Builder::new(std::io::BufWriter::new(file));
        for (name, data) in &entries {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            builder.append_data(&mut header, format!("{base}/{name}"), *data)?;
        }
        builder
            .into_inner()?
            .into_inner()
            .map_err(|e| e.into_error())?;
        std::fs::rename(&temp, tar_path)
    });
    written
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&temp);
        })
        .with_context(|| format!("--reproduce: cannot write {}", tar_path.display()))
}
