//! Which permissions grant an HTTP method on a Graph path, per scheme, from Graph's
//! permissions reference (`permissions.json`, microsoft-graph-devx-content).
//!
//! The generator writes these into doc comments of operations ("least privileged
//! first"), and `update` keeps the slice's share in `metadata/permissions.json`
//! ([`PermissionsSlice`]) so that plain `cargo run` needs no network and no
//! `../shared`. Paths are matched after [`normalize_path`], because the reference
//! and the CSDL spell the same path differently (case, parameter names, ...).
//!
//! Input the module does not know (a new scheme, a new per-path annotation) is
//! counted and skipped, never fatal: see [`PermissionsIndex::unknown_schemes`].

#![forbid(unsafe_code)]

mod build;
mod error;
mod normalize;
mod raw;
mod slice;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

pub use error::{PermissionsError, PermissionsErrorKind};
pub use normalize::normalize_path;
pub use slice::{PermissionsSlice, SliceGrants};

use build::{IndexEntry, PathFilter, Unknowns};

/// How an app holds a permission; Graph's docs give one table row per scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Scheme {
    /// Delegated, signed in with a work or school (Entra ID) account.
    DelegatedWork,
    /// Delegated, signed in with a personal Microsoft account.
    DelegatedPersonal,
    /// App-only, no signed-in user.
    Application,
}

impl Scheme {
    /// Every scheme, in the order Graph's docs list them.
    pub const ALL: [Scheme; 3] = [
        Scheme::DelegatedWork,
        Scheme::DelegatedPersonal,
        Scheme::Application,
    ];

    /// The key permissions.json uses for this scheme.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::DelegatedWork => "DelegatedWork",
            Scheme::DelegatedPersonal => "DelegatedPersonal",
            Scheme::Application => "Application",
        }
    }

    /// The wording of Graph's docs ("Permission type" column), lower-case.
    pub fn label(self) -> &'static str {
        match self {
            Scheme::DelegatedWork => "delegated (work or school account)",
            Scheme::DelegatedPersonal => "delegated (personal Microsoft account)",
            Scheme::Application => "application",
        }
    }

    /// The scheme of a permissions.json key, ignoring case; `None` if unknown.
    pub fn parse(key: &str) -> Option<Scheme> {
        Scheme::ALL
            .into_iter()
            .find(|scheme| scheme.as_str().eq_ignore_ascii_case(key.trim()))
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One permission that grants a path under one scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    /// The permission's name, e.g. `Synchronization.ReadWrite.All`.
    pub name: String,
    /// Marked least privileged for this path and scheme (`least=` in the source).
    pub least_privileged: bool,
    /// Graph's privilege level of the permission under this scheme (1 = lowest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privilege_level: Option<u32>,
    /// Further permissions needed together with this one (`AlsoRequires=` in the
    /// source; the app needs one of them too). Empty for every synchronization path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_requires: Vec<String>,
}

/// The permissions that grant one HTTP method on one path, per scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathPermissions {
    /// Upper-case HTTP method.
    pub method: String,
    /// The path as the caller gave it (for lookups) or as recorded (in a slice).
    pub path: String,
    /// Per scheme: least privileged first, then by privilege level, then by name.
    /// A scheme that no permission grants is absent.
    pub schemes: BTreeMap<Scheme, Vec<Permission>>,
}

impl PathPermissions {
    /// One line per scheme for generated doc comments, e.g.
    /// `Application: Application.ReadWrite.OwnedBy (least privileged), Synchronization.ReadWrite.All`.
    pub fn doc_lines(&self) -> Vec<String> {
        self.schemes
            .iter()
            .map(|(scheme, permissions)| {
                let names: Vec<String> = permissions.iter().map(doc_item).collect();
                format!("{}: {}", capitalize(scheme.label()), names.join(", "))
            })
            .collect()
    }
}

/// A permission as written in a doc line, with its marks in parentheses.
fn doc_item(permission: &Permission) -> String {
    let mut marks = Vec::new();
    if permission.least_privileged {
        marks.push("least privileged".to_owned());
    }
    if !permission.also_requires.is_empty() {
        marks.push(format!(
            "also requires one of {}",
            permission.also_requires.join(", ")
        ));
    }
    if marks.is_empty() {
        permission.name.clone()
    } else {
        format!("{} ({})", permission.name, marks.join("; "))
    }
}

/// The label with its first letter upper-cased, to start a sentence.
fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The order `PathPermissions::schemes` promises: least privileged first, then by
/// privilege level (unknown last), then by name.
pub(crate) fn sort_permissions(permissions: &mut [Permission]) {
    permissions.sort_by(|a, b| {
        (
            !a.least_privileged,
            a.privilege_level.unwrap_or(u32::MAX),
            &a.name,
        )
            .cmp(&(
                !b.least_privileged,
                b.privilege_level.unwrap_or(u32::MAX),
                &b.name,
            ))
    });
}

/// A permissions reference to look paths up in: Graph's full reference
/// ([`PermissionsIndex`]) or the slice committed in `metadata/` ([`SliceGrants`]),
/// so that one step applies either to the path tree.
pub trait Grants {
    /// The permissions that grant `method` on `path` (any spelling), if any.
    fn granted(&self, method: &str, path: &str) -> Option<PathPermissions>;
}

impl Grants for PermissionsIndex {
    fn granted(&self, method: &str, path: &str) -> Option<PathPermissions> {
        self.lookup(method, path)
    }
}

/// Graph's whole permissions reference, indexed by (method, normalized path).
///
/// Built once by [`parse`]; [`PermissionsIndex::lookup`] is a hash lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionsIndex {
    source: String,
    entries: HashMap<String, IndexEntry>,
    unknowns: Unknowns,
}

/// Parses permissions.json bytes (UTF-8, a leading BOM is allowed) into an index.
///
/// `source` names the file or URL in errors. Unknown schemes and annotations are
/// counted, not fatal; malformed JSON or a missing `permissions` object is an error
/// with line and column.
pub fn parse(source: &str, bytes: &[u8]) -> Result<PermissionsIndex, PermissionsError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let document: raw::RawDocument =
        serde_json::from_slice(bytes).map_err(|e| PermissionsError::json(source, &e))?;
    let (entries, unknowns) = build::build(&document, None);
    Ok(PermissionsIndex {
        source: source.to_owned(),
        entries,
        unknowns,
    })
}

/// Like [`parse`], but indexes only the paths under the given first segments (the
/// profile's entry sets, in any spelling): what `update` looks up, at a fraction
/// of the cost, since most of the reference's 7,000 paths lie elsewhere. Lookups
/// of paths under those segments answer exactly as with [`parse`]; the unknown
/// annotations counted are those of the indexed paths.
pub fn parse_under(
    source: &str,
    bytes: &[u8],
    first_segments: &[String],
) -> Result<PermissionsIndex, PermissionsError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let document: raw::RawDocument =
        serde_json::from_slice(bytes).map_err(|e| PermissionsError::json(source, &e))?;
    let filter = PathFilter::new(first_segments);
    let (entries, unknowns) = build::build(&document, Some(&filter));
    Ok(PermissionsIndex {
        source: source.to_owned(),
        entries,
        unknowns,
    })
}

impl PermissionsIndex {
    /// The permissions that grant `method` on `path` (any spelling), if any.
    pub fn lookup(&self, method: &str, path: &str) -> Option<PathPermissions> {
        let method = method.trim().to_ascii_uppercase();
        let entry = self
            .entries
            .get(&build::key(&method, &normalize_path(path)))?;
        Some(PathPermissions {
            method,
            path: path.to_owned(),
            schemes: entry.schemes.clone(),
        })
    }

    /// The number of distinct (method, normalized path) pairs.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the source granted no path at all.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The file or URL the index was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Scheme names the source uses that this module does not know, with how
    /// often they occur; their grants are skipped.
    pub fn unknown_schemes(&self) -> &BTreeMap<String, usize> {
        &self.unknowns.schemes
    }

    /// Per-path annotation keys other than `least` and `AlsoRequires`, with counts;
    /// they are ignored.
    pub fn unknown_annotations(&self) -> &BTreeMap<String, usize> {
        &self.unknowns.annotations
    }

    /// Every entry, sorted by (normalized path, method); `path` is one of the
    /// source's spellings. For listings and reports, not for lookups.
    pub fn entries(&self) -> Vec<PathPermissions> {
        let mut keyed: Vec<(String, PathPermissions)> = self
            .entries
            .values()
            .map(|entry| {
                let permissions = PathPermissions {
                    method: entry.method.clone(),
                    path: entry.path.clone(),
                    schemes: entry.schemes.clone(),
                };
                (normalize_path(&entry.path), permissions)
            })
            .collect();
        keyed.sort_by(|(a, pa), (b, pb)| (a, &pa.method).cmp(&(b, &pb.method)));
        keyed
            .into_iter()
            .map(|(_, permissions)| permissions)
            .collect()
    }

    /// The slice to commit: the permissions of the given (method, path) pairs,
    /// recorded under the caller's spelling. Pairs nothing grants are left out.
    pub fn slice<'a>(
        &self,
        source: &str,
        requests: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> PermissionsSlice {
        let entries = requests
            .into_iter()
            .filter_map(|(method, path)| self.lookup(method, path))
            .collect();
        PermissionsSlice::new(source, entries)
    }
}
