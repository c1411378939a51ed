//! Turns the raw document into the index: one entry per (method, normalized
//! path), merging every permission, path set and path spelling that grants it.

use std::collections::{BTreeMap, HashMap};

use super::normalize::normalize_path;
use super::raw::{RawDocument, RawPathSet, RawPermission};
use super::{Permission, Scheme};

/// What the index keeps for one (method, normalized path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct IndexEntry {
    /// Upper-case HTTP method.
    pub method: String,
    /// One spelling of the path from the source (the smallest, for determinism).
    pub path: String,
    /// Sorted as `PathPermissions::schemes` promises.
    pub schemes: BTreeMap<Scheme, Vec<Permission>>,
}

/// Things in the source this module does not know, counted rather than fatal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Unknowns {
    /// Scheme name -> occurrences (permission schemes, scheme keys, `least=` lists).
    pub schemes: BTreeMap<String, usize>,
    /// Annotation key (the part before `=` in a path's value) -> occurrences.
    pub annotations: BTreeMap<String, usize>,
}

/// The per-path value of a path set, e.g. `least=DelegatedWork;AlsoRequires=X,Y`.
#[derive(Debug, Default)]
struct Annotations {
    least: Vec<Scheme>,
    also_requires: Vec<String>,
}

/// An entry being built; a scheme holds few permissions, so a `Vec` searched by
/// name merges fastest.
#[derive(Debug)]
struct Slot {
    method: String,
    path: String,
    schemes: BTreeMap<Scheme, Vec<Permission>>,
}

/// Normalized paths by source spelling: most paths occur in several path sets.
type PathCache<'a> = HashMap<&'a str, String>;

/// The index key: method and normalized path in one string (no allocation per part).
pub(super) fn key(method: &str, normalized_path: &str) -> String {
    let mut key = String::with_capacity(method.len() + 1 + normalized_path.len());
    key.push_str(method);
    key.push(' ');
    key.push_str(normalized_path);
    key
}

/// Builds the index entries from a parsed document; with `under`, only paths whose
/// first normalized segment is one of those (lower-case) names.
pub(super) fn build(
    document: &RawDocument<'_>,
    under: Option<&PathFilter>,
) -> (HashMap<String, IndexEntry>, Unknowns) {
    let mut slots: HashMap<String, Slot> = HashMap::new();
    let mut unknowns = Unknowns::default();
    let mut cache = PathCache::new();
    let mut context = Build {
        under,
        buffer: Vec::new(),
    };
    for (name, permission) in &document.permissions {
        for scheme in permission.schemes.keys() {
            check_scheme(scheme, &mut unknowns);
        }
        for path_set in &permission.path_sets {
            let name = name.as_ref();
            add_path_set(
                &mut slots,
                &mut unknowns,
                &mut cache,
                &mut context,
                (name, permission),
                path_set,
            );
        }
    }
    let entries = slots
        .into_iter()
        .map(|(key, slot)| (key, finish(slot)))
        .collect();
    (entries, unknowns)
}

/// Adds every (method, path, scheme) of one path set to the slots.
fn add_path_set<'a>(
    slots: &mut HashMap<String, Slot>,
    unknowns: &mut Unknowns,
    cache: &mut PathCache<'a>,
    context: &mut Build<'_>,
    (name, permission): (&str, &RawPermission<'_>),
    path_set: &'a RawPathSet<'_>,
) {
    let schemes: Vec<Scheme> = path_set
        .scheme_keys
        .iter()
        .filter_map(|s| check_scheme(s, unknowns))
        .collect();
    let methods: Vec<String> = path_set
        .methods
        .iter()
        .map(|m| m.trim().to_ascii_uppercase())
        .filter(|m| !m.is_empty())
        .collect();
    for (path, value) in &path_set.paths {
        let path: &'a str = path;
        if context
            .under
            .is_some_and(|filter| !filter.may_hold(path, &mut context.buffer))
        {
            continue;
        }
        let normalized = cache.entry(path).or_insert_with(|| normalize_path(path));
        if context
            .under
            .is_some_and(|filter| !filter.holds(normalized))
        {
            continue;
        }
        let annotations = parse_annotations(value.as_deref().unwrap_or(""), unknowns);
        for method in &methods {
            let slot = slots
                .entry(key(method, normalized))
                .or_insert_with(|| Slot {
                    method: method.clone(),
                    path: path.to_owned(),
                    schemes: BTreeMap::new(),
                });
            if path < slot.path.as_str() {
                path.clone_into(&mut slot.path);
            }
            for &scheme in &schemes {
                let known = slot.schemes.entry(scheme).or_default();
                merge(known, name, permission, scheme, &annotations);
            }
        }
    }
}

/// What is being built.
struct Build<'f> {
    under: Option<&'f PathFilter>,
    /// Reused by [`PathFilter::may_hold`].
    buffer: Vec<u8>,
}

/// The first path segments (entry sets) an index is restricted to, normalized.
#[derive(Debug, Clone)]
pub(super) struct PathFilter {
    segments: Vec<String>,
}

impl PathFilter {
    pub fn new(segments: &[String]) -> PathFilter {
        let segments = segments
            .iter()
            .map(|s| normalize_path(s).trim_start_matches('/').to_owned())
            .collect();
        PathFilter { segments }
    }

    /// A quick test on the path as written, never false for a path that
    /// [`PathFilter::holds`] after normalizing: an ASCII path (normalization
    /// only lower-cases it and drops whitespace and parameter names) must contain
    /// one of the names, ignoring case and whitespace; any other path is normalized.
    fn may_hold(&self, path: &str, squeezed: &mut Vec<u8>) -> bool {
        if !path.is_ascii() {
            return true;
        }
        squeezed.clear();
        squeezed.extend(
            path.bytes()
                .filter(|b| !b.is_ascii_whitespace())
                .map(|b| b.to_ascii_lowercase()),
        );
        self.segments
            .iter()
            .any(|segment| memchr::memmem::find(squeezed, segment.as_bytes()).is_some())
    }

    /// Whether a normalized path starts with one of the names as its first segment.
    fn holds(&self, normalized: &str) -> bool {
        let first = normalized
            .trim_start_matches('/')
            .split(['/', '?'])
            .next()
            .unwrap_or_default();
        self.segments.iter().any(|segment| segment == first)
    }
}

/// Merges one grant into what is already known: any spelling that marks it least
/// privileged wins, and extra requirements are united.
fn merge(
    known: &mut Vec<Permission>,
    name: &str,
    permission: &RawPermission<'_>,
    scheme: Scheme,
    annotations: &Annotations,
) {
    let least = annotations.least.contains(&scheme);
    match known.iter_mut().find(|p| p.name == name) {
        None => known.push(Permission {
            name: name.to_owned(),
            least_privileged: least,
            privilege_level: level(permission, scheme),
            also_requires: annotations.also_requires.clone(),
        }),
        Some(existing) => {
            existing.least_privileged |= least;
            if !annotations.also_requires.is_empty() {
                let also = &mut existing.also_requires;
                also.extend(annotations.also_requires.iter().cloned());
                also.sort();
                also.dedup();
            }
        }
    }
}

/// The permission's privilege level under `scheme` (scheme keys matched like
/// everywhere else, ignoring case).
fn level(permission: &RawPermission<'_>, scheme: Scheme) -> Option<u32> {
    permission
        .schemes
        .iter()
        .find(|(key, _)| Scheme::parse(key) == Some(scheme))
        .and_then(|(_, raw)| raw.level())
}

/// Turns a slot into an entry with each scheme's permissions in the promised order.
fn finish(slot: Slot) -> IndexEntry {
    let schemes = slot
        .schemes
        .into_iter()
        .map(|(scheme, mut permissions)| {
            super::sort_permissions(&mut permissions);
            (scheme, permissions)
        })
        .filter(|(_, permissions)| !permissions.is_empty())
        .collect();
    IndexEntry {
        method: slot.method,
        path: slot.path,
        schemes,
    }
}

/// Parses a path's annotations; unknown keys and schemes are counted, not fatal.
fn parse_annotations(value: &str, unknowns: &mut Unknowns) -> Annotations {
    let mut annotations = Annotations::default();
    for part in value.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, list) = part.split_once('=').unwrap_or((part, ""));
        let items = list.split(',').map(str::trim).filter(|i| !i.is_empty());
        match key.trim().to_ascii_lowercase().as_str() {
            "least" => annotations
                .least
                .extend(items.filter_map(|s| check_scheme(s, unknowns))),
            "alsorequires" => annotations.also_requires.extend(items.map(str::to_owned)),
            _ => {
                *unknowns
                    .annotations
                    .entry(key.trim().to_owned())
                    .or_default() += 1
            }
        }
    }
    annotations.also_requires.sort();
    annotations.also_requires.dedup();
    annotations
}

/// The scheme of that name, or `None` after counting it as unknown.
fn check_scheme(name: &str, unknowns: &mut Unknowns) -> Option<Scheme> {
    let scheme = Scheme::parse(name);
    if scheme.is_none() {
        *unknowns.schemes.entry(name.to_owned()).or_default() += 1;
    }
    scheme
}
