//! The stages wired together: `load` (metadata/ -> model, closure, paths),
//! `generate` (-> files in memory), `update` (a full CSDL -> metadata/). Every
//! error surfaces before anything is written.

use crate::changes::{ApiChanges, ApiSurface};
use crate::csdl::{self, Csdl};
use crate::descriptions;
use crate::emit::{self, FormatCache, GeneratedFile, TypeSpace};
use crate::error::{InputError, SourceError};
use crate::fetch::{FetchError, fetch};
use crate::fixups::{self, FixupReport};
use crate::lock::{Lock, SourceLock, sha256_hex};
use crate::model::{self, ApiPath, Closure, Model};
use crate::permissions::{self, Grants, PathPermissions, PermissionsIndex, PermissionsSlice};
use crate::profile::Profile;
use crate::slice;
use crate::stamp;
use crate::write::{self, Filesystem, WriteError};
use std::fmt;
use std::path::Path;

pub const SLICE_FILE: &str = "metadata/synchronization.csdl.xml";
pub const PERMISSIONS_FILE: &str = "metadata/permissions.json";
pub const PROFILE_FILE: &str = "metadata/profile.toml";
pub const LOCK_FILE: &str = "metadata/lock.toml";

/// Any failure of a command, with what and where.
#[derive(Debug)]
pub enum Error {
    /// The CSDL is malformed or inconsistent (file:line:column).
    Source(Box<SourceError>),
    /// An input is missing or invalid (profile, lock, permissions, a fetch, the
    /// profile against the document).
    Input(InputError),
    /// Writing the output failed; the tree was left as it was.
    Write(Box<WriteError>),
    /// The slice `update` wrote does not read back to what it was cut from (a
    /// bug): nothing was written.
    Slice(SliceCheck),
    /// An emitter produced something inconsistent (a bug): nothing was written.
    Internal(String),
}

/// How a written slice failed to read back.
#[derive(Debug)]
pub enum SliceCheck {
    /// It does not read, resolve or analyse.
    Unreadable(Box<Error>),
    /// It reads to another closure, other bound operations or other paths.
    Differs,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Source(err) => err.fmt(f),
            Error::Input(err) => err.fmt(f),
            Error::Write(err) => err.fmt(f),
            Error::Slice(SliceCheck::Unreadable(err)) => {
                write!(f, "the written slice does not read back: {err}")
            }
            Error::Slice(SliceCheck::Differs) => {
                f.write_str("the slice does not read back to the same closure and paths")
            }
            Error::Internal(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Source(err) => Some(err.as_ref()),
            Error::Input(err) => Some(err),
            Error::Write(err) => Some(err.as_ref()),
            Error::Slice(SliceCheck::Unreadable(err)) => Some(err.as_ref()),
            Error::Slice(SliceCheck::Differs) | Error::Internal(_) => None,
        }
    }
}

impl From<InputError> for Error {
    fn from(err: InputError) -> Self {
        Error::Input(err)
    }
}

impl From<FetchError> for Error {
    fn from(err: FetchError) -> Self {
        Error::Input(InputError::Fetch(err))
    }
}

impl From<SourceError> for Error {
    fn from(err: SourceError) -> Self {
        Error::Source(Box::new(err))
    }
}

impl From<Box<SourceError>> for Error {
    fn from(err: Box<SourceError>) -> Self {
        Error::Source(err)
    }
}

impl From<WriteError> for Error {
    fn from(err: WriteError) -> Self {
        Error::Write(Box::new(err))
    }
}

impl From<permissions::PermissionsError> for Error {
    fn from(err: permissions::PermissionsError) -> Self {
        Error::Input(InputError::Permissions(err))
    }
}

/// Everything derived from one CSDL and profile.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub csdl: Csdl,
    pub model: Model,
    pub closure: Closure,
    pub paths: Vec<ApiPath>,
    /// The permissions reference's entries for `paths` (what `update` commits).
    pub granted: Vec<PathPermissions>,
    /// What each rule of [`crate::fixups`] did to this document.
    pub fixups: Vec<FixupReport>,
    /// Profile entry sets the document does not have: no paths start there.
    pub absent_entry_sets: Vec<String>,
}

impl Analysis {
    /// What the document lacks of the profile, in words (empty when complete).
    pub fn absences(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .closure
            .absent_roots
            .iter()
            .map(|root| {
                format!(
                    "profile root `{root}` is not in {}: its type, the types only it brings in and its endpoints are not generated",
                    self.model.source
                )
            })
            .collect();
        if self.model.entry_sets.is_empty() {
            out.push(format!(
                "{} has no entity container: the models are generated, the request builders are not",
                self.model.source
            ));
        } else {
            out.extend(self.absent_entry_sets.iter().map(|set| {
                format!(
                    "profile entry set `{set}` is not in {}: no request builders under `/{set}`",
                    self.model.source
                )
            }));
        }
        out
    }
}

/// Reads, resolves, applies the fixups, computes the closure of the roots the
/// document has and the path tree under the entry sets it has, then applies the
/// permissions reference (`grants`) to that tree.
pub fn analyze(
    source: &str,
    bytes: &[u8],
    profile: &Profile,
    grants: &dyn Grants,
) -> Result<Analysis, Error> {
    resolve_document(source, bytes, profile)?.with_paths(profile, grants)
}

/// A document read, resolved, fixed up and closed over the profile's roots: all
/// of [`analyze`] that does not need the permissions reference, so that `update`
/// can read the reference on another thread meanwhile.
#[derive(Debug)]
struct Resolved {
    csdl: Csdl,
    model: Model,
    fixups: Vec<FixupReport>,
    closure: Closure,
}

fn resolve_document(source: &str, bytes: &[u8], profile: &Profile) -> Result<Resolved, Error> {
    resolve_read(csdl::read(source, bytes)?, profile)
}

/// [`resolve_document`] from the document read.
fn resolve_read(csdl: Csdl, profile: &Profile) -> Result<Resolved, Error> {
    let mut model = model::resolve(&csdl)?;
    let fixups = fixups::apply(&mut model);
    let closure = Closure::compute_available(&model, &profile.roots)?;
    Ok(Resolved {
        csdl,
        model,
        fixups,
        closure,
    })
}

impl Resolved {
    /// The path tree under the profile's entry sets the document has, with the
    /// permissions reference applied.
    fn with_paths(self, profile: &Profile, grants: &dyn Grants) -> Result<Analysis, Error> {
        let Resolved {
            csdl,
            model,
            fixups,
            closure,
        } = self;
        let (entry_sets, absent_entry_sets): (Vec<String>, Vec<String>) = profile
            .entry_sets
            .iter()
            .cloned()
            .partition(|set| model.entry_sets.contains_key(set));
        let tree = model::build_paths(&model, &closure, &entry_sets)?;
        let permitted = model::apply_permissions(tree, grants);
        Ok(Analysis {
            csdl,
            model,
            closure,
            paths: permitted.paths,
            granted: permitted.permissions,
            fixups,
            absent_entry_sets,
        })
    }
}

/// The committed inputs in `metadata/`, analysed.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub profile: Profile,
    pub lock: Lock,
    pub permissions: PermissionsSlice,
    pub analysis: Analysis,
}

impl Loaded {
    /// The API this generates, for [`ApiChanges`].
    pub fn surface(&self) -> ApiSurface {
        let a = &self.analysis;
        ApiSurface::of(&a.model, &a.closure, &a.paths, &self.permissions)
    }
}

pub fn load(root: &Path) -> Result<Loaded, Error> {
    let profile = load_profile(root)?;
    let lock = Lock::parse(LOCK_FILE, &read_text(root, LOCK_FILE)?)?;
    let permissions =
        PermissionsSlice::from_json(PERMISSIONS_FILE, &read_text(root, PERMISSIONS_FILE)?)?;
    let bytes = read_bytes(root, SLICE_FILE)?;
    let analysis = analyze(SLICE_FILE, &bytes, &profile, &permissions.grants())?;
    Ok(Loaded {
        profile,
        lock,
        permissions,
        analysis,
    })
}

pub fn load_profile(root: &Path) -> Result<Profile, Error> {
    Ok(Profile::parse(
        PROFILE_FILE,
        &read_text(root, PROFILE_FILE)?,
    )?)
}

/// The generated files for the loaded inputs.
pub fn generate(loaded: &Loaded) -> Result<Vec<GeneratedFile>, Error> {
    generate_cached(loaded, &FormatCache::disabled())
}

/// [`generate`], formatting only the files whose tokens `cache` has not seen.
pub fn generate_cached(loaded: &Loaded, cache: &FormatCache) -> Result<Vec<GeneratedFile>, Error> {
    emit::lower_and_emit(|| lower(loaded), &emit::header(), cache)?.map_err(Error::Internal)
}

/// [`load`] then [`generate_cached`], with the formatting threads started before
/// `metadata/` is read so that their start-up overlaps it (`cargo run`, `--check`).
pub fn load_and_generate(root: &Path, cache: &FormatCache) -> Result<Vec<GeneratedFile>, Error> {
    emit::lower_and_emit(|| lower(&load(root)?), &emit::header(), cache)?.map_err(Error::Internal)
}

/// The loaded inputs lowered for the emitters: every generated file's data.
fn lower(loaded: &Loaded) -> Result<emit::lower::Lowered, Error> {
    let analysis = &loaded.analysis;
    let space = TypeSpace::new(&analysis.model, &analysis.closure, &loaded.profile);
    emit::lower::Lowered::all(
        &space,
        &analysis.paths,
        &loaded.permissions,
        &loaded.lock.csdl.sha256,
    )
    .map_err(Error::Internal)
}

/// What `update` is asked to do besides reading `from`.
#[derive(Debug, Clone, Default)]
pub struct UpdateOptions {
    /// Graph's permissions reference (path or URL); without it the committed
    /// permissions are kept.
    pub permissions: Option<String>,
    /// Refuse (writing nothing) when the API change is breaking.
    pub fail_on_breaking: bool,
    /// Extra description documents (paths or URLs), merged in order (see
    /// [`descriptions::merge`]); without any, the committed slice's are kept.
    pub descriptions: Vec<String>,
}

/// What `update` found: the new inputs and generated files, and how the API
/// changed against what `metadata/` held. Nothing is written yet.
#[derive(Debug, Clone)]
pub struct UpdatePlan {
    pub types: usize,
    pub operations: usize,
    pub paths: usize,
    pub slice_bytes: usize,
    pub source_bytes: usize,
    pub permission_entries: usize,
    /// `metadata/` files, then the generated files.
    pub files: Vec<GeneratedFile>,
    pub changes: ApiChanges,
    /// Why there was nothing to compare against (no readable `metadata/` before).
    pub no_previous: Option<String>,
    pub fixups: Vec<FixupReport>,
    pub absences: Vec<String>,
    /// What the description documents added.
    pub descriptions: descriptions::Summary,
    /// The lock as it will be written.
    pub lock: Lock,
    /// The generated files were taken from disk: the stamp in `target/` vouched
    /// for them under the metadata planned here (nothing to regenerate).
    pub outputs_reused: bool,
    /// What the plan was worked out from.
    pub workings: Workings,
}

/// What a plan was worked out from: the full document's analysis (some 30 MB in
/// small allocations), the permissions reference, what `metadata/` held and the
/// slice read back. The plan keeps them so that when to free them is the
/// caller's choice: freeing takes about 10 ms, which a process about to exit
/// need not spend (the command line does not).
#[derive(Clone)]
pub struct Workings {
    /// Only owned: dropping the plan frees it.
    _held: std::sync::Arc<dyn std::any::Any + Send + Sync>,
}

impl fmt::Debug for Workings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Workings { .. }")
    }
}

impl UpdatePlan {
    /// The generated files alone (the crate and its endpoint test), without
    /// `metadata/`'s (which come first in `files`).
    pub fn generated(&self) -> &[GeneratedFile] {
        let metadata = self
            .files
            .partition_point(|file| file.path.starts_with("metadata/"));
        &self.files[metadata..]
    }
}

/// Reads a full CSDL (and optionally a permissions reference) and works out the
/// slice, the permissions of its paths, the lock and the regenerated crate, plus
/// the API changes against what `metadata/` held. The slice is read back and must
/// give the same closure and paths. Writes nothing: see [`write_plan`].
pub fn plan_update(
    fs: &dyn Filesystem,
    root: &Path,
    from: &str,
    options: &UpdateOptions,
) -> Result<UpdatePlan, Error> {
    plan_update_cached(fs, root, from, options, &FormatCache::disabled())
}

/// [`plan_update`], reusing what the last run left in `target/`: when the stamp
/// vouches for the generated files under the metadata this update plans (nothing
/// changed), they are taken as they are on disk; otherwise only the files whose
/// tokens `cache` has not seen are formatted.
pub fn plan_update_cached(
    fs: &dyn Filesystem,
    root: &Path,
    from: &str,
    options: &UpdateOptions,
    cache: &FormatCache,
) -> Result<UpdatePlan, Error> {
    let profile = load_profile(root)?;
    let bytes = fetch(from)?;
    let (extras, described_by) = load_descriptions(root, &options.descriptions)?;
    let committed_permissions = match options.permissions {
        Some(_) => None,
        None => fs.read(&root.join(PERMISSIONS_FILE)).ok().flatten(),
    };
    // The CSDL is read on both cores (see csdl::read); then this thread resolves
    // and hashes it while another loads what metadata/ held and reads the
    // permissions: about the same work.
    let csdl = csdl::read(from, &bytes);
    let (resolved, csdl_sha256, side) = std::thread::scope(|scope| {
        let side = scope.spawn(|| {
            let previous = load(root);
            let permissions = permission_source(
                committed_permissions,
                root,
                options,
                &profile.entry_sets,
                &previous,
            );
            (previous, permissions)
        });
        let resolved = csdl
            .map_err(Error::from)
            .and_then(|csdl| resolve_read(csdl, &profile));
        let csdl_sha256 = sha256_hex(&bytes);
        let side = side
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (resolved, csdl_sha256, side)
    });
    let (previous, permissions) = side;
    let (reference, permissions_lock) = permissions?;
    let mut full = {
        let slice_grants;
        let grants: &dyn Grants = match &reference {
            PermissionSource::Index(index) => index,
            PermissionSource::Slice(slice) => {
                slice_grants = slice.grants();
                &slice_grants
            }
        };
        resolved?.with_paths(&profile, grants)?
    };
    let extras = if options.descriptions.is_empty() {
        committed_descriptions(fs, root, &previous)?
    } else {
        extras
    };
    let described = descriptions::merge(&mut full.csdl, &full.model, &full.paths, &extras);

    let entries = std::mem::take(&mut full.granted);
    let permission_source = permissions_lock
        .as_ref()
        .map_or_else(|| "none".to_string(), |l| l.source.clone());
    let permissions_slice = PermissionsSlice::new(&permission_source, entries);
    let lock = Lock {
        generator_version: env!("CARGO_PKG_VERSION").to_string(),
        csdl: SourceLock {
            source: portable_source(root, from),
            sha256: csdl_sha256,
        },
        permissions: permissions_lock,
        descriptions: if options.descriptions.is_empty() {
            previous
                .as_ref()
                .map(|loaded| loaded.lock.descriptions.clone())
                .unwrap_or_default()
        } else {
            described_by
        },
    };
    let sliced = slice::slice(&full.csdl, &full.model, &full.closure, &profile);
    let comment = format!(
        "The synchronization slice of Microsoft Graph's metadata (Copyright (c) Microsoft \
         Corporation, MIT License{}), written by the generator's `update` command; \
         metadata/lock.toml names the sources and their SHA-256. Do not edit: run update again.",
        if extras.is_empty() {
            ""
        } else {
            "; descriptions by Microsoft, MIT License"
        }
    );
    let xml = slice::xml::write(&sliced, &comment);
    let back = verify_slice(&full, &xml, &profile, &permissions_slice)?;

    let next = Loaded {
        profile,
        lock: lock.clone(),
        permissions: permissions_slice,
        analysis: back,
    };
    let (changes, no_previous) = match &previous {
        Ok(before) => (
            ApiChanges::between(&before.surface(), &next.surface()),
            None,
        ),
        Err(err) => (ApiChanges::default(), Some(err.to_string())),
    };
    let mut files = vec![
        GeneratedFile {
            path: SLICE_FILE.to_string(),
            contents: xml.clone(),
        },
        GeneratedFile {
            path: PERMISSIONS_FILE.to_string(),
            contents: next.permissions.to_json(),
        },
        GeneratedFile {
            path: LOCK_FILE.to_string(),
            contents: lock.to_toml(),
        },
    ];
    let (types, operations, paths) = (
        full.closure.types.len(),
        full.closure.operations.len(),
        full.paths.len(),
    );
    let absences = full.absences();
    let fixups = std::mem::take(&mut full.fixups);
    let stamped = stamped_outputs(fs, root, cache, &files);
    let outputs_reused = stamped.is_some();
    let generated = match stamped {
        Some(on_disk) => on_disk,
        None => generate_cached(&next, cache)?,
    };
    files.extend(generated);
    Ok(UpdatePlan {
        types,
        operations,
        paths,
        slice_bytes: xml.len(),
        source_bytes: bytes.len(),
        permission_entries: next.permissions.entries.len(),
        files,
        changes,
        no_previous,
        absences,
        descriptions: described,
        fixups,
        lock,
        outputs_reused,
        workings: Workings {
            _held: std::sync::Arc::new((full, reference, previous, next)),
        },
    })
}

/// The generated files on disk, when the stamp in `target/` says they are what
/// `cache`'s generator gives for the metadata files `planned`.
fn stamped_outputs(
    fs: &dyn Filesystem,
    root: &Path,
    cache: &FormatCache,
    planned: &[GeneratedFile],
) -> Option<Vec<GeneratedFile>> {
    let key = stamp::Key::planned(fs, root, cache.generator()?, planned).ok()?;
    stamp::fresh_files(fs, root, &key, emit::OWNED_DIRS)
}

/// The permissions `update` joins onto the paths: the reference given (read and
/// indexed under the entry sets), else the slice metadata/ holds (`committed`, read by the caller);
/// with what the lock records of it.
fn permission_source(
    committed: Option<Vec<u8>>,
    root: &Path,
    options: &UpdateOptions,
    entry_sets: &[String],
    previous: &Result<Loaded, Error>,
) -> Result<(PermissionSource, Option<SourceLock>), Error> {
    Ok(match &options.permissions {
        Some(source) => {
            let permission_bytes = fetch(source)?;
            // Every path `update` looks up starts at an entry set.
            let index = permissions::parse_under(source, &permission_bytes, entry_sets)?;
            let lock = SourceLock {
                source: portable_source(root, source),
                sha256: sha256_hex(&permission_bytes),
            };
            (PermissionSource::Index(index), Some(lock))
        }
        None => {
            let existing = match committed {
                Some(bytes) => {
                    let text = String::from_utf8_lossy(&bytes);
                    PermissionsSlice::from_json(PERMISSIONS_FILE, &text)?
                }
                _ => PermissionsSlice::new("none", Vec::new()),
            };
            let previous_lock = previous
                .as_ref()
                .ok()
                .and_then(|loaded| loaded.lock.permissions.clone());
            (PermissionSource::Slice(existing), previous_lock)
        }
    })
}

/// Writes an update's files in one atomic step (metadata and the crate together).
pub fn write_plan(
    fs: &dyn Filesystem,
    root: &Path,
    plan: &UpdatePlan,
) -> Result<write::Applied, Error> {
    Ok(write::apply(fs, root, &plan.files, emit::OWNED_DIRS)?)
}

/// How a source is recorded in `metadata/lock.toml`: a URL as given, a local file
/// relative to the workspace root (so the committed files say the same on every
/// machine), with `/` separators.
pub fn portable_source(root: &Path, source: &str) -> String {
    if is_url(source) {
        return source.to_string();
    }
    let (Ok(file), Ok(base)) = (std::fs::canonicalize(source), std::fs::canonicalize(root)) else {
        return source.replace('\\', "/");
    };
    relative_path(&base, &file).unwrap_or_else(|| {
        file.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| source.to_string())
    })
}

fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

/// `file` relative to `base` (both absolute), or `None` on another drive.
fn relative_path(base: &Path, file: &Path) -> Option<String> {
    use std::path::Component;
    let base: Vec<Component> = base.components().collect();
    let file: Vec<Component> = file.components().collect();
    if base.first() != file.first() {
        return None;
    }
    let common = base.iter().zip(&file).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); base.len() - common];
    parts.extend(
        file[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(parts.join("/"))
}

/// The description documents given to `update`, with their lock entries (none
/// given: see [`committed_descriptions`]).
fn load_descriptions(
    root: &Path,
    sources: &[String],
) -> Result<(Vec<descriptions::Extra>, Vec<SourceLock>), Error> {
    let mut extras = Vec::new();
    let mut locks = Vec::new();
    for source in sources {
        let bytes = fetch(source)?;
        extras.push(descriptions::load(source, &bytes)?);
        locks.push(SourceLock {
            source: portable_source(root, source),
            sha256: sha256_hex(&bytes),
        });
    }
    Ok((extras, locks))
}

/// Without `--descriptions`, `update` merges the committed slice's descriptions
/// (so an update keeps them; their lock entries stay the previous lock's): taken
/// from the slice `previous` read, else read from disk.
fn committed_descriptions(
    fs: &dyn Filesystem,
    root: &Path,
    previous: &Result<Loaded, Error>,
) -> Result<Vec<descriptions::Extra>, Error> {
    Ok(match previous {
        Ok(loaded) => vec![descriptions::from_document(
            SLICE_FILE,
            &loaded.analysis.csdl,
        )],
        Err(_) => match fs.read(&root.join(SLICE_FILE)) {
            Ok(Some(bytes)) => vec![descriptions::load(SLICE_FILE, &bytes)?],
            _ => Vec::new(),
        },
    })
}

/// Where `update` takes permissions from: a full reference, or the committed slice.
enum PermissionSource {
    Index(PermissionsIndex),
    Slice(PermissionsSlice),
}

/// The slice must read back to the same closure, operations and paths.
fn verify_slice(
    full: &Analysis,
    xml: &str,
    profile: &Profile,
    permissions: &PermissionsSlice,
) -> Result<Analysis, Error> {
    let back = analyze(SLICE_FILE, xml.as_bytes(), profile, &permissions.grants())
        .map_err(|err| Error::Slice(SliceCheck::Unreadable(Box::new(err))))?;
    let types = |a: &Analysis| a.closure.types.keys().cloned().collect::<Vec<_>>();
    let operations = |a: &Analysis| {
        let mut ops: Vec<String> = a
            .closure
            .operations
            .iter()
            .filter_map(|&i| a.model.operations.get(i))
            .map(|op| {
                let binding = op.binding_type();
                format!("{}({binding})", op.name)
            })
            .collect();
        ops.sort();
        ops
    };
    let paths = |a: &Analysis| {
        a.paths
            .iter()
            .map(|p| {
                let methods: Vec<_> = p.endpoints.iter().map(|e| e.method.as_str()).collect();
                format!("{} {}", methods.join(","), p.template())
            })
            .collect::<Vec<_>>()
    };
    if types(full) != types(&back)
        || operations(full) != operations(&back)
        || paths(full) != paths(&back)
    {
        return Err(Error::Slice(SliceCheck::Differs));
    }
    Ok(back)
}

fn read_bytes(root: &Path, relative: &str) -> Result<Vec<u8>, Error> {
    std::fs::read(root.join(relative)).map_err(|error| {
        Error::Input(InputError::Read {
            source: relative.to_string(),
            error,
        })
    })
}

fn read_text(root: &Path, relative: &str) -> Result<String, Error> {
    let bytes = read_bytes(root, relative)?;
    String::from_utf8(bytes).map_err(|_| {
        Error::Input(InputError::NotUtf8 {
            source: relative.to_string(),
        })
    })
}
