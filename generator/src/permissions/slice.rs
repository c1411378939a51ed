//! The permissions of the slice's paths, as committed in `metadata/permissions.json`.
//!
//! `update` writes it from the full reference; plain `cargo run` reads it back, so
//! regeneration needs neither the 3 MB reference nor the network. The text is
//! deterministic (sorted, pretty, newline-terminated) so that diffs stay readable.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::normalize::normalize_path;
use super::{Grants, PathPermissions, PermissionsError};

/// The permissions of the slice's paths: written to `metadata/permissions.json` by
/// `update` and read back by plain `cargo run`; deterministic, pretty JSON, sorted by
/// (path, method).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionsSlice {
    /// Where the entries came from (file name or URL of the full reference).
    pub source: String,
    pub entries: Vec<PathPermissions>,
}

impl PermissionsSlice {
    /// A slice with entries sorted by (path, method); of entries that name the same
    /// method and normalized path, the first given is kept.
    pub fn new(source: &str, mut entries: Vec<PathPermissions>) -> Self {
        let mut seen = HashSet::new();
        entries.retain(|e| seen.insert((e.method.clone(), normalize_path(&e.path))));
        sort_entries(&mut entries);
        PermissionsSlice {
            source: source.to_owned(),
            entries,
        }
    }

    /// Pretty JSON ending with a newline, entries sorted by (path, method) whatever
    /// their order in memory.
    pub fn to_json(&self) -> String {
        let mut sorted = self.clone();
        sort_entries(&mut sorted.entries);
        // Serializing strings, maps with string keys and integers cannot fail.
        let mut text = serde_json::to_string_pretty(&sorted).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads a slice back; `source` names the file in errors. Rejects upper/lower
    /// case mixes in methods and duplicate (method, normalized path) entries.
    pub fn from_json(source: &str, text: &str) -> Result<Self, PermissionsError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let slice: PermissionsSlice =
            serde_json::from_str(text).map_err(|e| PermissionsError::json(source, &e))?;
        slice.validate(source)?;
        Ok(slice)
    }

    /// The entry for `method` on `path` (one lookup; for many, index once with
    /// [`PermissionsSlice::grants`]).
    pub fn get(&self, method: &str, path: &str) -> Option<&PathPermissions> {
        self.grants().get(method, path)
    }

    /// The slice indexed for lookups by method and path (any spelling, matched
    /// like [`super::PermissionsIndex::lookup`]).
    pub fn grants(&self) -> SliceGrants<'_> {
        let mut by_key = HashMap::with_capacity(self.entries.len());
        for entry in &self.entries {
            by_key
                .entry((
                    entry.method.to_ascii_uppercase(),
                    normalize_path(&entry.path),
                ))
                .or_insert(entry);
        }
        SliceGrants { by_key }
    }

    /// Checks the rules `to_json` output always keeps.
    fn validate(&self, source: &str) -> Result<(), PermissionsError> {
        let mut seen = HashSet::new();
        for entry in &self.entries {
            if entry.method.is_empty() || entry.method != entry.method.to_ascii_uppercase() {
                return Err(PermissionsError::invalid(
                    source,
                    format!(
                        "method {:?} of {} is not upper-case",
                        entry.method, entry.path
                    ),
                ));
            }
            if !seen.insert((entry.method.as_str(), normalize_path(&entry.path))) {
                return Err(PermissionsError::invalid(
                    source,
                    format!("duplicate entry {} {}", entry.method, entry.path),
                ));
            }
        }
        Ok(())
    }
}

/// A [`PermissionsSlice`] indexed by (upper-case method, normalized path); the
/// first entry of a key answers.
#[derive(Debug, Clone)]
pub struct SliceGrants<'a> {
    by_key: HashMap<(String, String), &'a PathPermissions>,
}

impl<'a> SliceGrants<'a> {
    /// The entry for `method` on `path`, as recorded (its path spelled as in the slice).
    pub fn get(&self, method: &str, path: &str) -> Option<&'a PathPermissions> {
        let key = (method.trim().to_ascii_uppercase(), normalize_path(path));
        self.by_key.get(&key).copied()
    }
}

impl Grants for SliceGrants<'_> {
    fn granted(&self, method: &str, path: &str) -> Option<PathPermissions> {
        self.get(method, path).cloned()
    }
}

/// The committed order: by path, then method.
fn sort_entries(entries: &mut [PathPermissions]) {
    entries.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
}
