//! Stage 5: files -> disk. Writes only what changed, atomically (every new file is
//! written to a temporary beside its target first; only when all are written are
//! they renamed into place; a failure at any step puts back what was replaced or
//! removed and takes away the temporaries and folders it created), removes stray
//! generated files, and in `--check` mode compares instead.

use crate::emit::GeneratedFile;
use std::collections::BTreeSet;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// The marker every generated file starts with.
pub const GENERATED_MARKER: &str = "// @generated";

const MODELS_DIR: &str = "generated/src/models";
const API_DIR: &str = "generated/src/api";
const TESTS_DIR: &str = "tests/tests/generated";

/// The folders the generator owns entirely: every file in them is generated.
pub const OWNED_DIRS: &[&str] = &[MODELS_DIR, API_DIR, TESTS_DIR];

/// What an output file holds. [`Output::path`] is the one place that says where
/// each goes; emitters name only what they emit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Output {
    /// `<module>.rs` in the client crate's models folder (a model, or the registry).
    Model(String),
    /// The models folder's `mod.rs`.
    ModelsRoot,
    /// `<module>.rs` in the client crate's api folder (one entry set's builders).
    Api(String),
    /// The api folder's `mod.rs`.
    ApiRoot,
    /// The tests crate's test that calls every endpoint through its builder.
    EndpointTest,
}

impl Output {
    /// The file's path relative to the workspace root, with `/` separators.
    pub fn path(&self) -> String {
        match self {
            Output::Model(module) => format!("{MODELS_DIR}/{module}.rs"),
            Output::ModelsRoot => format!("{MODELS_DIR}/mod.rs"),
            Output::Api(module) => format!("{API_DIR}/{module}.rs"),
            Output::ApiRoot => format!("{API_DIR}/mod.rs"),
            Output::EndpointTest => format!("{TESTS_DIR}/endpoints.rs"),
        }
    }
}

/// The file operations the writer needs; tests substitute failing ones.
pub trait Filesystem {
    fn read(&self, path: &Path) -> io::Result<Option<Vec<u8>>>;
    fn write(&self, path: &Path, contents: &[u8]) -> io::Result<()>;
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    fn remove(&self, path: &Path) -> io::Result<()>;
    fn create_dir_all(&self, path: &Path) -> io::Result<()>;
    /// Whether `path` is an existing folder.
    fn is_dir(&self, path: &Path) -> bool;
    /// Removes an empty folder (undoing `create_dir_all` after a failure).
    fn remove_dir(&self, path: &Path) -> io::Result<()>;
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
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }
    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        std::fs::remove_dir(path)
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
    scan(fs, root, files, owned_dirs, true)
}

/// The differences, with unified diffs only when `with_diffs` (`apply` needs just
/// the kinds; diffing every file of a fresh tree would be wasted work).
fn scan(
    fs: &dyn Filesystem,
    root: &Path,
    files: &[GeneratedFile],
    owned_dirs: &[&str],
    with_diffs: bool,
) -> Result<Vec<Difference>, WriteError> {
    let diff = |path: &str, old: &str, new: &str| {
        if with_diffs {
            unified_diff(path, old, new)
        } else {
            String::new()
        }
    };
    let mut out = Vec::new();
    for file in files {
        let path = root.join(&file.path);
        let current = fs.read(&path).map_err(|e| error(&path, "read", e))?;
        match current {
            None => out.push(Difference {
                path: file.path.clone(),
                kind: DiffKind::Missing,
                diff: diff(&file.path, "", &file.contents),
            }),
            Some(bytes) if bytes != file.contents.as_bytes() => {
                let old = String::from_utf8_lossy(&bytes);
                out.push(Difference {
                    path: file.path.clone(),
                    kind: DiffKind::Changed,
                    diff: diff(&file.path, &old, &file.contents),
                });
            }
            Some(_) => {}
        }
    }
    for stray in strays(fs, root, files, owned_dirs)? {
        let text = if with_diffs {
            let path = root.join(&stray);
            let old = fs.read(&path).map_err(|e| error(&path, "read", e))?;
            diff(
                &stray,
                &String::from_utf8_lossy(old.as_deref().unwrap_or_default()),
                "",
            )
        } else {
            String::new()
        };
        out.push(Difference {
            diff: text,
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
    let differences = scan(fs, root, files, owned_dirs, false)?;
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
        let bytes = fs
            .read(&path)
            .map_err(|e| error(&path, "read", e))?
            .unwrap_or_default();
        // The writer's own temporaries, left by a run that was killed, go too.
        if !bytes.starts_with(GENERATED_MARKER.as_bytes()) && !is_temp_path(&path) {
            return Err(error(
                &path,
                "remove",
                io::Error::other(
                    "it is in a generator-owned folder but has no @generated header; \
                     move hand-written code out of that folder",
                ),
            ));
        }
        strays.push((path, bytes));
    }
    let targets: Vec<(&GeneratedFile, PathBuf)> = differences
        .iter()
        .filter(|d| d.kind != DiffKind::Stray)
        .filter_map(|d| files.iter().find(|f| f.path == d.path))
        .map(|f| (f, root.join(&f.path)))
        .collect();

    // Everything done so far, undone in reverse if a later step fails.
    let mut undo = Undo::default();
    // Phase 1: every new content goes to a temporary file beside its target.
    for (file, target) in &targets {
        if let Some(dir) = target.parent() {
            let missing: Vec<PathBuf> = dir
                .ancestors()
                .take_while(|a| !fs.is_dir(a))
                .map(Path::to_path_buf)
                .collect();
            if let Err(err) = fs.create_dir_all(dir) {
                undo.created_dirs.extend(missing.into_iter().rev());
                undo.rollback(fs);
                return Err(error(target, "write", err));
            }
            undo.created_dirs.extend(missing.into_iter().rev());
        }
        let temp = free_temp_path(fs, target);
        undo.temps.push(temp.clone());
        if let Err(err) = fs.write(&temp, file.contents.as_bytes()) {
            undo.rollback(fs);
            return Err(error(target, "write", err));
        }
    }
    // Phase 2: rename into place, remembering what each rename replaced.
    for ((file, target), temp) in targets.iter().zip(&undo.temps) {
        let outcome = fs
            .read(target)
            .map_err(|e| error(target, "read", e))
            .and_then(|previous| {
                fs.rename(temp, target)
                    .map(|()| previous)
                    .map_err(|e| error(target, "replace", e))
            });
        match outcome {
            Ok(previous) => {
                undo.replaced.push((target.clone(), previous));
                applied.written.push(file.path.clone());
            }
            Err(err) => {
                undo.rollback(fs);
                return Err(err);
            }
        }
    }
    // Phase 3: stray generated files go last, once everything new is in place; a
    // failure puts back the strays already removed and the files replaced.
    for (path, bytes) in strays {
        if let Err(err) = fs.remove(&path) {
            undo.rollback(fs);
            return Err(error(&path, "remove", err));
        }
        let relative = path
            .strip_prefix(root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        applied.removed.push(relative);
        undo.removed.push((path, bytes));
    }
    Ok(applied)
}

/// What `apply` changed so far, in order.
#[derive(Default)]
struct Undo {
    /// Folders that did not exist, outermost first.
    created_dirs: Vec<PathBuf>,
    /// Temporaries written (or being written); those renamed are gone already.
    temps: Vec<PathBuf>,
    /// Targets renamed over, with what they held before (`None`: did not exist).
    replaced: Vec<(PathBuf, Option<Vec<u8>>)>,
    /// Strays removed, with their bytes.
    removed: Vec<(PathBuf, Vec<u8>)>,
}

impl Undo {
    /// Puts the tree back as it was, best effort, newest change first.
    fn rollback(&self, fs: &dyn Filesystem) {
        for (path, bytes) in self.removed.iter().rev() {
            let _ = fs.write(path, bytes);
        }
        restore(fs, &self.replaced);
        for temp in &self.temps {
            let _ = fs.remove(temp);
        }
        for dir in self.created_dirs.iter().rev() {
            let _ = fs.remove_dir(dir);
        }
    }
}

fn restore(fs: &dyn Filesystem, replaced: &[(PathBuf, Option<Vec<u8>>)]) {
    for (path, previous) in replaced.iter().rev() {
        let _ = match previous {
            Some(bytes) => fs.write(path, bytes),
            None => fs.remove(path),
        };
    }
}

const TEMP_SUFFIX: &str = ".msgraph-sync-tmp";

/// A name for the temporary of `target` that nothing uses: `.name.msgraph-sync-tmp`,
/// else `.name.N.msgraph-sync-tmp`. A run that was killed may have left the first
/// behind; it is never written over, and goes with the other strays at the end.
fn free_temp_path(fs: &dyn Filesystem, target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let candidate = |n: u32| match n {
        0 => target.with_file_name(format!(".{name}{TEMP_SUFFIX}")),
        n => target.with_file_name(format!(".{name}.{n}{TEMP_SUFFIX}")),
    };
    // `read` fails on a folder: only a name that reads as absent is free.
    (0..100)
        .map(candidate)
        .find(|path| matches!(fs.read(path), Ok(None)))
        .unwrap_or_else(|| candidate(0))
}

/// Whether `path` is named like one of the writer's temporaries.
fn is_temp_path(path: &Path) -> bool {
    path.file_name()
        .map(|n| n.to_string_lossy())
        .is_some_and(|n| n.starts_with('.') && n.ends_with(TEMP_SUFFIX))
}

/// Replaces one file as a whole: written beside (named after the process, so two
/// runs never share a temporary) and renamed over it, so a reader never sees half
/// of it. For files outside the generated tree (the stamp, the format cache).
pub fn replace_file(fs: &dyn Filesystem, target: &Path, contents: &[u8]) -> io::Result<()> {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    let temp = target.with_file_name(name);
    fs.write(&temp, contents)?;
    fs.rename(&temp, target).inspect_err(|_| {
        let _ = fs.remove(&temp);
    })
}

/// A unified diff of one file, `a/` before and `b/` after.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_output_lies_in_an_owned_folder() {
        let outputs = [
            Output::Model("synchronization_job".to_string()),
            Output::ModelsRoot,
            Output::Api("service_principals".to_string()),
            Output::ApiRoot,
            Output::EndpointTest,
        ];
        for output in outputs {
            let path = output.path();
            assert!(
                OWNED_DIRS.iter().any(|dir| path
                    .strip_prefix(dir)
                    .is_some_and(|rest| rest.starts_with('/'))),
                "{path}"
            );
        }
        assert_eq!(
            Output::Model("registry".to_string()).path(),
            "generated/src/models/registry.rs"
        );
        assert_eq!(
            Output::EndpointTest.path(),
            "tests/tests/generated/endpoints.rs"
        );
    }
}
