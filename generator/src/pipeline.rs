//! The stages wired together: `load` (metadata/ -> model, closure, paths),
//! `generate` (-> files in memory), `update` (a full CSDL -> metadata/). Every
//! error surfaces before anything is written.

use crate::changes::{ApiChanges, ApiSurface};
use crate::csdl::{self, Csdl};
use crate::descriptions;
use crate::emit::{self, GeneratedFile, TypeSpace};
use crate::error::SourceError;
use crate::fetch::fetch;
use crate::fixups::{self, FixupReport};
use crate::lock::{Lock, SourceLock, sha256_hex};
use crate::model::{self, ApiPath, Closure, HttpMethod, Model};
use crate::permissions::{self, PathPermissions, PermissionsIndex, PermissionsSlice};
use crate::profile::Profile;
use crate::slice;
use crate::write::{self, Filesystem, WriteError};
use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

pub const SLICE_FILE: &str = "metadata/synchronization.csdl.xml";
pub const PERMISSIONS_FILE: &str = "metadata/permissions.json";
pub const PROFILE_FILE: &str = "metadata/profile.toml";
pub const LOCK_FILE: &str = "metadata/lock.toml";

const METHODS: [HttpMethod; 5] = [
    HttpMethod::Get,
    HttpMethod::Post,
    HttpMethod::Put,
    HttpMethod::Patch,
    HttpMethod::Delete,
];

/// Any failure of a command, with what and where.
#[derive(Debug)]
pub enum Error {
    /// The CSDL is malformed or inconsistent (file:line:column).
    Source(Box<SourceError>),
    /// An input is missing or invalid (profile, lock, permissions, a fetch).
    Input(String),
    /// Writing the output failed; the tree was left as it was.
    Write(Box<WriteError>),
    /// The generator produced something inconsistent (a bug): nothing was written.
    Internal(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Source(err) => err.fmt(f),
            Error::Input(message) | Error::Internal(message) => f.write_str(message),
            Error::Write(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

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
        Error::Input(err.to_string())
    }
}

/// Everything derived from one CSDL and profile.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub csdl: Csdl,
    pub model: Model,
    pub closure: Closure,
    pub paths: Vec<ApiPath>,
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
/// document has and the path tree under the entry sets it has. `permitted` gives
/// the methods the permissions reference lists for a path template.
pub fn analyze(
    source: &str,
    bytes: &[u8],
    profile: &Profile,
    permitted: &dyn Fn(&str) -> BTreeSet<HttpMethod>,
) -> Result<Analysis, Error> {
    resolve_document(source, bytes, profile)?.with_paths(profile, permitted)
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
    let csdl = csdl::read(source, bytes)?;
    let mut model = model::resolve(&csdl)?;
    let fixups = fixups::apply(&mut model);
    let closure = Closure::compute_available(&model, &profile.roots).map_err(Error::Input)?;
    Ok(Resolved {
        csdl,
        model,
        fixups,
        closure,
    })
}

impl Resolved {
    /// The path tree under the profile's entry sets the document has.
    fn with_paths(
        self,
        profile: &Profile,
        permitted: &dyn Fn(&str) -> BTreeSet<HttpMethod>,
    ) -> Result<Analysis, Error> {
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
        let paths =
            model::build_paths(&model, &closure, &entry_sets, permitted).map_err(Error::Input)?;
        Ok(Analysis {
            csdl,
            model,
            closure,
            paths,
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
    let lock = Lock::parse(LOCK_FILE, &read_text(root, LOCK_FILE)?).map_err(Error::Input)?;
    let permissions =
        PermissionsSlice::from_json(PERMISSIONS_FILE, &read_text(root, PERMISSIONS_FILE)?)?;
    let bytes = read_bytes(root, SLICE_FILE)?;
    let permitted = |template: &str| permitted_methods(&permissions, template);
    let analysis = analyze(SLICE_FILE, &bytes, &profile, &permitted)?;
    Ok(Loaded {
        profile,
        lock,
        permissions,
        analysis,
    })
}

pub fn load_profile(root: &Path) -> Result<Profile, Error> {
    Profile::parse(PROFILE_FILE, &read_text(root, PROFILE_FILE)?).map_err(Error::Input)
}

/// The generated files for the loaded inputs.
pub fn generate(loaded: &Loaded) -> Result<Vec<GeneratedFile>, Error> {
    let analysis = &loaded.analysis;
    let space = TypeSpace::new(&analysis.model, &analysis.closure, &loaded.profile);
    emit::all(
        &space,
        &analysis.paths,
        &loaded.permissions,
        &emit::header(),
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
    let profile = load_profile(root)?;
    let bytes = fetch(from).map_err(Error::Input)?;
    let (extras, described_by) = load_descriptions(fs, root, &options.descriptions)?;
    let committed_permissions = match options.permissions {
        Some(_) => None,
        None => fs.read(&root.join(PERMISSIONS_FILE)).ok().flatten(),
    };
    // Two threads: this one reads and resolves the CSDL (the larger share); the
    // other loads what metadata/ held, reads the permissions and hashes the CSDL.
    let (resolved, side) = std::thread::scope(|scope| {
        let side = scope.spawn(|| {
            let previous = load(root);
            let permissions = permission_source(
                committed_permissions,
                root,
                options,
                &profile.entry_sets,
                &previous,
            );
            (previous, permissions, sha256_hex(&bytes))
        });
        let resolved = resolve_document(from, &bytes, &profile);
        let side = side
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (resolved, side)
    });
    let (previous, permissions, csdl_sha256) = side;
    let (index, permissions_lock) = permissions?;
    let permitted = |template: &str| index.methods(template);
    let mut full = resolved?.with_paths(&profile, &permitted)?;
    let described = descriptions::merge(&mut full.csdl, &full.model, &full.paths, &extras);

    let entries: Vec<PathPermissions> = full
        .paths
        .iter()
        .flat_map(|path| {
            let template = path.template();
            METHODS
                .iter()
                .filter_map(|m| index.lookup(m.as_str(), &template))
                .collect::<Vec<_>>()
        })
        .collect();
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
    // The full document and the reference are no longer needed: freed on another
    // thread while the crate is generated (freeing them is a tenth of the work).
    let generated = std::thread::scope(|scope| {
        scope.spawn(move || drop((full, index, previous)));
        generate(&next)
    })?;
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
    })
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
            let permission_bytes = fetch(source).map_err(Error::Input)?;
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

/// The description documents `update` merges, with their lock entries: the given
/// ones, or else the committed slice (so an update without `--descriptions` keeps
/// them; its lock entries are then the previous lock's).
fn load_descriptions(
    fs: &dyn Filesystem,
    root: &Path,
    sources: &[String],
) -> Result<(Vec<descriptions::Extra>, Vec<SourceLock>), Error> {
    if sources.is_empty() {
        let extras = match fs.read(&root.join(SLICE_FILE)) {
            Ok(Some(bytes)) => vec![descriptions::load(SLICE_FILE, &bytes)?],
            _ => Vec::new(),
        };
        return Ok((extras, Vec::new()));
    }
    let mut extras = Vec::new();
    let mut locks = Vec::new();
    for source in sources {
        let bytes = fetch(source).map_err(Error::Input)?;
        extras.push(descriptions::load(source, &bytes)?);
        locks.push(SourceLock {
            source: portable_source(root, source),
            sha256: sha256_hex(&bytes),
        });
    }
    Ok((extras, locks))
}

/// Where `update` takes permissions from: a full reference, or the committed slice.
enum PermissionSource {
    Index(PermissionsIndex),
    Slice(PermissionsSlice),
}

impl PermissionSource {
    fn lookup(&self, method: &str, path: &str) -> Option<PathPermissions> {
        match self {
            PermissionSource::Index(index) => index.lookup(method, path),
            PermissionSource::Slice(slice) => slice.get(method, path).cloned(),
        }
    }

    fn methods(&self, template: &str) -> BTreeSet<HttpMethod> {
        METHODS
            .into_iter()
            .filter(|m| self.lookup(m.as_str(), template).is_some())
            .collect()
    }
}

/// The methods the permissions `slice` lists for a path template: what
/// [`model::build_paths`] takes to add write endpoints.
pub fn permitted_methods(slice: &PermissionsSlice, template: &str) -> BTreeSet<HttpMethod> {
    METHODS
        .into_iter()
        .filter(|m| slice.get(m.as_str(), template).is_some())
        .collect()
}

/// The slice must read back to the same closure, operations and paths.
fn verify_slice(
    full: &Analysis,
    xml: &str,
    profile: &Profile,
    permissions: &PermissionsSlice,
) -> Result<Analysis, Error> {
    let permitted = |template: &str| permitted_methods(permissions, template);
    let back = analyze(SLICE_FILE, xml.as_bytes(), profile, &permitted)
        .map_err(|err| Error::Internal(format!("the written slice does not read back: {err}")))?;
    let types = |a: &Analysis| a.closure.types.keys().cloned().collect::<Vec<_>>();
    let operations = |a: &Analysis| {
        let mut ops: Vec<String> = a
            .closure
            .operations
            .iter()
            .filter_map(|&i| a.model.operations.get(i))
            .map(|op| {
                let binding = op
                    .binding
                    .as_ref()
                    .map(|b| b.ty.to_string())
                    .unwrap_or_default();
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
        return Err(Error::Internal(
            "the slice does not read back to the same closure and paths".to_string(),
        ));
    }
    Ok(back)
}

fn read_bytes(root: &Path, relative: &str) -> Result<Vec<u8>, Error> {
    std::fs::read(root.join(relative))
        .map_err(|err| Error::Input(format!("cannot read {relative}: {err}")))
}

fn read_text(root: &Path, relative: &str) -> Result<String, Error> {
    let bytes = read_bytes(root, relative)?;
    String::from_utf8(bytes).map_err(|_| Error::Input(format!("{relative} is not UTF-8")))
}

/// The models generated for every type of a document (roots = all its entity,
/// complex and enum types), and the request builders of its entity sets if it has
/// any (no permissions): what the emitter tests snapshot and compile.
pub fn models_of_document(source: &str, bytes: &[u8]) -> Result<Vec<GeneratedFile>, Error> {
    let csdl = csdl::read(source, bytes)?;
    let model = model::resolve(&csdl)?;
    let roots: Vec<String> = model.types.keys().cloned().collect();
    let closure = Closure::compute(&model, &roots).map_err(Error::Input)?;
    let profile = Profile {
        crate_name: "fixture".to_string(),
        roots,
        entry_sets: model.entry_sets.keys().cloned().collect(),
        secret_properties: Vec::new(),
        media_types: Default::default(),
    };
    let space = TypeSpace::new(&model, &closure, &profile);
    let mut files =
        emit::models(&space, &emit::header(), &sha256_hex(bytes)).map_err(Error::Internal)?;
    if !profile.entry_sets.is_empty() {
        let paths = model::build_paths(&model, &closure, &profile.entry_sets, &|_| BTreeSet::new())
            .map_err(Error::Input)?;
        let permissions = PermissionsSlice::new("none", Vec::new());
        files.extend(
            emit::request_builders(&space, &paths, &permissions, &emit::header())
                .map_err(Error::Internal)?,
        );
    }
    Ok(files)
}

/// Joins generated model files into one module body (`mod x;` replaced by the file
/// inline), so a build script can `include!` a whole generated folder.
pub fn inline_modules(files: &[GeneratedFile]) -> String {
    let by_name: std::collections::BTreeMap<&str, &str> = files
        .iter()
        .filter(|f| f.path.starts_with("generated/src/models/"))
        .filter_map(|f| {
            let name = f.path.rsplit('/').next()?.strip_suffix(".rs")?;
            Some((name, f.contents.as_str()))
        })
        .collect();
    let root = by_name.get("mod").copied().unwrap_or_default();
    let mut out = String::new();
    for line in root.lines() {
        let module = line
            .trim()
            .strip_prefix("mod ")
            .and_then(|rest| rest.strip_suffix(';'));
        match module.and_then(|m| {
            by_name
                .get(m.trim_start_matches("r#"))
                .map(|body| (m, body))
        }) {
            Some((name, body)) => {
                out.push_str(&format!("mod {name} {{\n{body}\n}}\n"));
            }
            None if line.starts_with("//!") => {}
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}
