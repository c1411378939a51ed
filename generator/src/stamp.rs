//! Knowing that there is nothing to do without generating: a stamp in the
//! workspace's `target/` records what the last full run depended on and what it
//! left on disk.
//!
//! Generation is a pure function of the generator program and the files in
//! `metadata/` (nothing else is read: no clock, no environment, no network). The
//! stamp's key names the generator (its executable's path, size and modification
//! time, and its version) and the SHA-256 of every file under `metadata/`; the stamp
//! also lists the SHA-256 of every file that run generated. When the key is the
//! same, the same generator on the same inputs would write the same files; when
//! every listed file on disk still has its recorded hash and the generator-owned
//! folders hold no other file, a full run would write nothing and remove nothing,
//! and `--check` would find no difference. Anything else (a hand-edited, missing or
//! stray output, a changed input, a rebuilt generator, a missing or unreadable
//! stamp) falls back to full generation. A rebuild always gets a new modification
//! time (cargo writes a new file), so it never matches an old stamp.
//!
//! The stamp is only written where `target/` already exists, so a workspace
//! without one (a fresh copy, a test's scratch tree) is never given a new folder.

use crate::emit::GeneratedFile;
use crate::lock::sha256_hex;
use crate::write::{Filesystem, replace_file};
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::Path;

/// Where the stamp lives, relative to the workspace root.
pub const STAMP_FILE: &str = "target/msgraph-sync-generator.stamp";

/// The first line of a stamp: a new format never matches an old stamp.
const FORMAT_LINE: &str = "msgraph-sync-generator stamp 1";

/// The input folder whose every file is part of the key.
const INPUT_DIR: &str = "metadata";

/// Which generator program runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratorId(String);

impl GeneratorId {
    /// The running executable: version, path, size and modification time (to the
    /// nanosecond where the filesystem keeps it). `None` when the platform cannot
    /// say; then no stamp is used.
    pub fn of_current_exe() -> Option<GeneratorId> {
        let exe = std::env::current_exe().ok()?;
        let meta = std::fs::metadata(&exe).ok()?;
        let modified = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        Some(GeneratorId(format!(
            "{} {} {} {}.{:09}",
            env!("CARGO_PKG_VERSION"),
            exe.display(),
            meta.len(),
            modified.as_secs(),
            modified.subsec_nanos()
        )))
    }

    /// An identity given by the caller (tests, other front ends).
    pub fn named(text: &str) -> GeneratorId {
        GeneratorId(text.replace('\n', " "))
    }

    /// The identity as one line of text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What one generation depends on: the generator and the hash of every input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    lines: Vec<String>,
}

impl Key {
    /// The key for `generator` running on the inputs now under `root`.
    pub fn current(fs: &dyn Filesystem, root: &Path, generator: &GeneratorId) -> io::Result<Key> {
        Key::planned(fs, root, generator, &[])
    }

    /// The key `generator` will have once `planned` (workspace-relative paths
    /// under `metadata/`, with their new contents) are written over the inputs
    /// now under `root`.
    pub fn planned(
        fs: &dyn Filesystem,
        root: &Path,
        generator: &GeneratorId,
        planned: &[GeneratedFile],
    ) -> io::Result<Key> {
        let mut inputs = BTreeMap::new();
        for path in fs.list(&root.join(INPUT_DIR))? {
            let bytes = fs.read(&path)?.unwrap_or_default();
            inputs.insert(relative(root, &path), sha256_hex(&bytes));
        }
        let prefix = format!("{INPUT_DIR}/");
        for file in planned.iter().filter(|f| f.path.starts_with(&prefix)) {
            inputs.insert(file.path.clone(), sha256_hex(file.contents.as_bytes()));
        }
        let mut lines = vec![format!("generator {}", generator.0)];
        lines.extend(
            inputs
                .into_iter()
                .map(|(path, hash)| format!("input {path} {hash}")),
        );
        Ok(Key { lines })
    }
}

/// The number of generated files when the stamp under `root` was written for
/// `key` and the files it lists are on disk unchanged, with no other file in
/// `owned_dirs`. Any doubt (no stamp, an unreadable file) answers `None`.
pub fn fresh_outputs(
    fs: &dyn Filesystem,
    root: &Path,
    key: &Key,
    owned_dirs: &[&str],
) -> Option<usize> {
    fresh_files(fs, root, key, owned_dirs).map(|files| files.len())
}

/// The generated files as they are on disk, when the stamp vouches for them
/// under `key` (see [`fresh_outputs`]): what generating would give again.
pub fn fresh_files(
    fs: &dyn Filesystem,
    root: &Path,
    key: &Key,
    owned_dirs: &[&str],
) -> Option<Vec<GeneratedFile>> {
    let bytes = fs.read(&root.join(STAMP_FILE)).ok()??;
    let text = std::str::from_utf8(&bytes).ok()?;
    let mut lines = text.lines();
    if lines.next() != Some(FORMAT_LINE) {
        return None;
    }
    let recorded_key: Vec<&str> = lines.by_ref().take(key.lines.len()).collect();
    if recorded_key != key.lines {
        return None;
    }
    let mut outputs = Vec::new();
    for line in lines {
        let (path, hash) = line
            .strip_prefix("output ")
            .and_then(|rest| rest.rsplit_once(' '))?;
        let contents = match fs.read(&root.join(path)) {
            Ok(Some(bytes)) if sha256_hex(&bytes) == hash => String::from_utf8(bytes).ok()?,
            _ => return None,
        };
        outputs.push(GeneratedFile {
            path: path.to_string(),
            contents,
        });
    }
    let listed: BTreeSet<&str> = outputs.iter().map(|f| f.path.as_str()).collect();
    let no_strays = owned_dirs.iter().all(|dir| {
        fs.list(&root.join(dir)).is_ok_and(|files| {
            files
                .iter()
                .all(|path| listed.contains(relative(root, path).as_str()))
        })
    });
    no_strays.then_some(outputs)
}

/// Records that the generated `files` are on disk for `key`. Writes nothing (and
/// returns `Ok(false)`) when the workspace has no `target/` folder; a stamp that
/// cannot be written only costs the next run a full generation.
pub fn record(
    fs: &dyn Filesystem,
    root: &Path,
    key: &Key,
    files: &[GeneratedFile],
) -> io::Result<bool> {
    let target = root.join(STAMP_FILE);
    if !target.parent().is_some_and(|dir| fs.is_dir(dir)) {
        return Ok(false);
    }
    let mut text = String::from(FORMAT_LINE);
    text.push('\n');
    for line in &key.lines {
        text.push_str(line);
        text.push('\n');
    }
    for file in files {
        text.push_str("output ");
        text.push_str(&file.path);
        text.push(' ');
        text.push_str(&sha256_hex(file.contents.as_bytes()));
        text.push('\n');
    }
    replace_file(fs, &target, text.as_bytes())?;
    Ok(true)
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| path.display().to_string())
}
