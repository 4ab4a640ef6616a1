//! Compiling C and C++ sources to wasm32-wasi relocatable objects with clang-19, once: each object is
//! cached under the cargo target directory, named by a hash of everything that decides its
//! bytes (compiler version, source path and contents, flags, our extra headers), so warm runs
//! skip compilation. Misses are compiled in parallel, longest source first, and each object is
//! written under a temporary name and renamed, so concurrent test runs never see half a file.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use super::tools::{run_with_limit, shell_line, Tools};

/// One C file with its flags (beyond `Tools::base_cflags`).
#[derive(Clone, Debug)]
pub struct CompileJob {
    pub source: PathBuf,
    pub flags: Vec<String>,
}

/// Compiles every job that is not cached yet; returns the object paths in job order.
/// `extra_key` is mixed into every cache key (e.g. the contents of headers we supply).
pub fn compile_all(
    tools: &Tools,
    cache_dir: &Path,
    extra_key: &[u8],
    jobs: &[CompileJob],
) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(cache_dir)
        .map_err(|e| format!("cannot create {}: {e}", cache_dir.display()))?;
    let mut objects = Vec::with_capacity(jobs.len());
    let mut pending = Vec::new();
    for job in jobs {
        let contents = std::fs::read(&job.source)
            .map_err(|e| format!("cannot read {}: {e}", job.source.display()))?;
        let key = cache_key(&tools.clang_version, job, &contents, extra_key);
        let stem = job
            .source
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let object = cache_dir.join(format!("{stem}-{key}.o"));
        if !object.is_file() && !pending.iter().any(|(_, o, _)| o == &object) {
            pending.push((job.clone(), object.clone(), contents.len()));
        }
        objects.push(object);
    }
    // Longest first, so the big SQLite compile does not start last.
    pending.sort_by_key(|(_, _, size)| std::cmp::Reverse(*size));
    let threads = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(2)
        .min(pending.len());
    let next = AtomicUsize::new(0);
    let errors = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((job, object, _)) = pending.get(i) else {
                    break;
                };
                if let Err(e) = compile_one(tools, job, object) {
                    errors.lock().unwrap_or_else(|p| p.into_inner()).push(e);
                }
            });
        }
    });
    let errors = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    if errors.is_empty() {
        Ok(objects)
    } else {
        Err(errors.join("\n"))
    }
}

fn compile_one(tools: &Tools, job: &CompileJob, object: &Path) -> Result<(), String> {
    let temp = object.with_extension(format!("o.tmp{}", std::process::id()));
    let mut argv = vec![tools.clang.display().to_string()];
    argv.extend(tools.base_cflags(is_cxx(&job.source)));
    argv.extend(job.flags.iter().cloned());
    argv.extend([
        "-c".to_string(),
        job.source.display().to_string(),
        "-o".to_string(),
        temp.display().to_string(),
    ]);
    let done = run_with_limit(&argv, None, Duration::from_secs(900))?;
    if !done.success {
        let _ = std::fs::remove_file(&temp);
        return Err(format!(
            "compiling failed ({}): {}\n{}",
            done.status,
            shell_line(&argv),
            String::from_utf8_lossy(&done.stderr)
        ));
    }
    std::fs::rename(&temp, object).map_err(|e| {
        format!(
            "cannot move {} to {}: {e}",
            temp.display(),
            object.display()
        )
    })
}

/// Whether clang compiles `source` as C++ (by its extension, as clang's driver decides).
pub fn is_cxx(source: &Path) -> bool {
    source
        .extension()
        .is_some_and(|e| e == "cc" || e == "cpp" || e == "cxx")
}

/// 128 bits of SipHash (two differently seeded runs) over everything that decides the object.
fn cache_key(clang_version: &str, job: &CompileJob, contents: &[u8], extra: &[u8]) -> String {
    let half = |seed: u64| {
        let mut hasher = std::hash::DefaultHasher::new();
        seed.hash(&mut hasher);
        clang_version.hash(&mut hasher);
        job.source.hash(&mut hasher);
        job.flags.hash(&mut hasher);
        contents.hash(&mut hasher);
        extra.hash(&mut hasher);
        hasher.finish()
    };
    format!("{:016x}{:016x}", half(1), half(2))
}
