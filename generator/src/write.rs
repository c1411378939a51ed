//! Stage 5: files -> disk. Writes only what changed, atomically (every new file is
//! written to a temporary beside its target first; only when all are written are
//! they renamed into place, and a failed rename restores what was replaced),
//! removes stray generated files, and in `--check` mode compares instead.

use crate::emit::GeneratedFile;
use std::collections::BTreeSet;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// The marker every generated file starts with.
pub const GENERATED_MARKER: &str = "// @generated";

/// The file operations the writer needs; tests substitute failing ones.
pub trait Filesystem {
    fn read(&self, path: &Path) -> io::Result<Option<Vec<u8>>>;
    fn write(&self, path: &Path, contents: &[u8]) -> io::Result<()>;
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    fn remove(&self, path: &Path) -> io::Result<()>;
    fn create_dir_all(&self, path: &Path) -> io::Result<()>;
    /// Files (not folders) directly or indirectly inside `dir`; empty if it does not exist.
    fn list(&self, dir: &Path) -> io::Result<Vec<PathBuf>>;
}

/// The real filesystem.
#[derive(Debug, Clone, Copy, Default)]
pub struct RealFs;

impl Filesystem for RealFs {
    fn read(&self, path: &Path) -> io::Result<Option<Vec<u8>>> {
        match std::fs::read(path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err),
        }
    }
    fn write(&self, path: &Path, contents: &[u8]) -> io::Result<()> {
        std::fs::write(path, contents)
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::rename(from, to)
    }
    fn remove(&self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }
    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        std::fs::create_dir_all(path)
    }
    fn list(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(current) = stack.pop() {
            let entries = match std::fs::read_dir(&current) {
                Ok(entries) => entries,
                Err(err) if err.kind() == io::ErrorKind::NotFound => continue,
                Err(err) => return Err(err),
            };
            for entry in entries {
                let entry = entry?;
                if entry.file_type()?.is_dir() {
                    stack.push(entry.path());
                } else {
                    out.push(entry.path());
                }
            }
        }
        out.sort();
        Ok(out)
    }
}

/// How a file on disk differs from what the generator writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DiffKind {
    Changed,
    Missing,
    Stray,
}

impl fmt::Display for DiffKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DiffKind::Changed => "changed",
            DiffKind::Missing => "missing",
            DiffKind::Stray => "stray",
        })
    }
}

/// One difference, with a unified diff from what is on disk to what should be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub path: String,
    pub kind: DiffKind,
    pub diff: String,
}

/// A failure while comparing or writing; the tree is left as it was.
#[derive(Debug)]
pub struct WriteError {
    pub path: String,
    pub action: &'static str,
    pub source: io::Error,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot {} {}: {}", self.action, self.path, self.source)
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn error(path: &Path, action: &'static str, source: io::Error) -> WriteError {
    WriteError {
        path: path.display().to_string(),
        action,
        source,
    }
}

/// Compares the generated files with the tree under `root`: changed and missing
/// files, and stray generated files in the owned folders.
pub fn compare(
    fs: &dyn Filesystem,
    root: &Path,
    files: &[GeneratedFile],
    owned_dirs: &[&str],
) -> Result<Vec<Difference>, WriteError> {
    let mut out = Vec::new();
    for file in files {
        let path = root.join(&file.path);
        let current = fs.read(&path).map_err(|e| error(&path, "read", e))?;
        match current {
            None => out.push(Difference {
                path: file.path.clone(),
                kind: DiffKind::Missing,
                diff: unified_diff(&file.path, "", &file.contents),
            }),
            Some(bytes) if bytes != file.contents.as_bytes() => {
                let old = String::from_utf8_lossy(&bytes);
                out.push(Difference {
                    path: file.path.clone(),
                    kind: DiffKind::Changed,
                    diff: unified_diff(&file.path, &old, &file.contents),
                });
            }
            Some(_) => {}
        }
    }
    for stray in strays(fs, root, files, owned_dirs)? {
        let path = root.join(&stray);
        let old = fs.read(&path).map_err(|e| error(&path, "read", e))?;
        let old = String::from_utf8_lossy(old.as_deref().unwrap_or_default()).into_owned();
        out.push(Difference {
            diff: unified_diff(&stray, &old, ""),
            path: stray,
            kind: DiffKind::Stray,
        });
    }
    Ok(out)
}

/// Files in the owned folders that the generator no longer writes (relative paths).
fn strays(
    fs: &dyn Filesystem,
    root: &Path,
    files: &[GeneratedFile],
    owned_dirs: &[&str],
) -> Result<Vec<String>, WriteError> {
    let expected: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut out = Vec::new();
    for dir in owned_dirs {
        let dir_path = root.join(dir);
        for path in fs
            .list(&dir_path)
            .map_err(|e| error(&dir_path, "list", e))?
        {
            let relative = path
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_else(|_| path.display().to_string());
            if !expected.contains(relative.as_str()) {
                out.push(relative);
            }
        }
    }
    Ok(out)
}

/// What `apply` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

/// Brings the tree in line with `files`. Refuses (changing nothing) when an owned
/// folder holds a file without the `@generated` marker: that is someone's work.
pub fn apply(
    fs: &dyn Filesystem,
    root: &Path,
    files: &[GeneratedFile],
    owned_dirs: &[&str],
) -> Result<Applied, WriteError> {
    let differences = compare(fs, root, files, owned_dirs)?;
    let mut applied = Applied {
        unchanged: files.len()
            - differences
                .iter()
                .filter(|d| d.kind != DiffKind::Stray)
                .count(),
        ..Applied::default()
    };
    let mut strays = Vec::new();
    for d in differences.iter().filter(|d| d.kind == DiffKind::Stray) {
        let path = root.join(&d.path);
        let bytes = fs.read(&path).map_err(|e| error(&path, "read", e))?;
        if !bytes
            .unwrap_or_default()
            .starts_with(GENERATED_MARKER.as_bytes())
        {
            return Err(error(
                &path,
                "remove",
                io::Error::other(
                    "it is in a generator-owned folder but has no @generated header; \
                     move hand-written code out of that folder",
                ),
            ));
        }
        strays.push(path);
    }
    let targets: Vec<(&GeneratedFile, PathBuf)> = differences
        .iter()
        .filter(|d| d.kind != DiffKind::Stray)
        .filter_map(|d| files.iter().find(|f| f.path == d.path))
        .map(|f| (f, root.join(&f.path)))
        .collect();

    // Phase 1: every new content goes to a temporary file; any failure undoes them.
    let mut temps: Vec<PathBuf> = Vec::new();
    for (file, target) in &targets {
        let temp = temp_path(target);
        let result = target
            .parent()
            .map_or(Ok(()), |dir| fs.create_dir_all(dir))
            .and_then(|()| fs.write(&temp, file.contents.as_bytes()));
        if let Err(err) = result {
            for t in &temps {
                let _ = fs.remove(t);
            }
            let _ = fs.remove(&temp);
            return Err(error(target, "write", err));
        }
        temps.push(temp);
    }
    // Phase 2: rename into place; on failure restore the files already replaced.
    let mut replaced: Vec<(PathBuf, Option<Vec<u8>>)> = Vec::new();
    for ((file, target), temp) in targets.iter().zip(&temps) {
        let previous = fs.read(target).map_err(|e| error(target, "read", e));
        let outcome = previous.and_then(|previous| {
            fs.rename(temp, target)
                .map(|()| previous)
                .map_err(|e| error(target, "replace", e))
        });
        match outcome {
            Ok(previous) => {
                replaced.push((target.clone(), previous));
                applied.written.push(file.path.clone());
            }
            Err(err) => {
                restore(fs, &replaced);
                for t in &temps {
                    let _ = fs.remove(t);
                }
                return Err(err);
            }
        }
    }
    // Phase 3: stray generated files go last, once everything new is in place.
    for path in strays {
        fs.remove(&path).map_err(|e| error(&path, "remove", e))?;
        let relative = path
            .strip_prefix(root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        applied.removed.push(relative);
    }
    Ok(applied)
}

fn restore(fs: &dyn Filesystem, replaced: &[(PathBuf, Option<Vec<u8>>)]) {
    for (path, previous) in replaced.iter().rev() {
        let _ = match previous {
            Some(bytes) => fs.write(path, bytes),
            None => fs.remove(path),
        };
    }
}

fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.msgraph-sync-tmp"))
}

/// A unified diff of one file, `a/` before and `b/` after.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}
