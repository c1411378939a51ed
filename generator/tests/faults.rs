//! Faults in generation: a filesystem that fails on the Nth write, rename, remove
//! or folder creation (once, for good, or as a full disk writing half a file), a
//! permission-denied output (simulated, and with real obstacles root cannot
//! bypass), leftovers of a killed run, bad input at each stage of `cargo run`,
//! `--check` on edited, missing and stray files, and regeneration twice in a row.
//! After every failure the tree is exactly as it was, folders included: no
//! temporary or partial files, strays still there, and a following successful
//! run loses nothing.
#![forbid(unsafe_code)]

use msgraph_sync_generator::emit::{self, GeneratedFile};
use msgraph_sync_generator::pipeline;
use msgraph_sync_generator::write::{self, Filesystem, RealFs, WriteError};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod support;
use support::{generation_copy, repo, run_at};

const CHANGED_MODEL: &str = "generated/src/models/synchronization_job.rs";
const CHANGED_API: &str = "generated/src/api/applications.rs";
const MISSING_MODEL: &str = "generated/src/models/filter.rs";
const STRAY_MODEL: &str = "generated/src/models/retired_type.rs";
const STRAY_API: &str = "generated/src/api/retired_paths.rs";

/// A copy where several generated files differ: two changed, one missing, two
/// stray generated files (with the marker, so `cargo run` removes them).
fn dirty_copy() -> tempfile::TempDir {
    let dir = generation_copy();
    let root = dir.path();
    append(root, CHANGED_MODEL, "// edited by hand\n");
    let api = root.join(CHANGED_API);
    let text = std::fs::read_to_string(&api).expect("read");
    std::fs::write(&api, text.replacen("pub fn ", "pub fn renamed_", 1)).expect("write");
    std::fs::remove_file(root.join(MISSING_MODEL)).expect("remove");
    for stray in [STRAY_MODEL, STRAY_API] {
        std::fs::write(
            root.join(stray),
            format!("{}\npub struct Retired;\n", generated_header()),
        )
        .expect("write stray");
    }
    dir
}

fn append(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    let mut contents = std::fs::read(&path).expect("read");
    contents.extend_from_slice(text.as_bytes());
    std::fs::write(&path, contents).expect("write");
}

fn generated_header() -> String {
    let files = generated_files();
    files[0].contents.lines().next().unwrap_or_default().into()
}

/// What the generator writes for the committed metadata (computed once).
fn generated_files() -> &'static [GeneratedFile] {
    static FILES: OnceLock<Vec<GeneratedFile>> = OnceLock::new();
    FILES.get_or_init(|| {
        let loaded = pipeline::load(&repo()).expect("committed metadata loads");
        pipeline::generate(&loaded).expect("committed metadata generates")
    })
}

/// Every file (with its bytes) and every folder (as `None`) under `root`, by
/// relative path: an extra empty folder or a leftover temporary file shows.
fn snapshot(root: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir").flatten() {
            let path = entry.path();
            let relative = path
                .strip_prefix(root)
                .expect("inside root")
                .to_string_lossy()
                .replace('\\', "/");
            if entry.file_type().expect("file type").is_dir() {
                out.insert(format!("{relative}/"), None);
                stack.push(path);
            } else {
                out.insert(relative, Some(std::fs::read(&path).expect("read")));
            }
        }
    }
    out
}

/// Names the first difference between two snapshots, for assertion messages.
fn first_difference(
    before: &BTreeMap<String, Option<Vec<u8>>>,
    after: &BTreeMap<String, Option<Vec<u8>>>,
) -> String {
    for (path, contents) in before {
        match after.get(path) {
            None => return format!("{path} disappeared"),
            Some(now) if now != contents => return format!("{path} changed"),
            Some(_) => {}
        }
    }
    after
        .keys()
        .find(|path| !before.contains_key(*path))
        .map_or_else(|| "no difference".into(), |path| format!("{path} appeared"))
}

fn assert_unchanged(label: &str, before: &BTreeMap<String, Option<Vec<u8>>>, root: &Path) {
    let after = snapshot(root);
    assert!(
        &after == before,
        "{label}: the tree changed: {}",
        first_difference(before, &after)
    );
}

/// The file operations a [`FaultyFs`] can fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Write,
    Rename,
    Remove,
    CreateDirAll,
}

const OPS: [Op; 4] = [Op::Write, Op::Rename, Op::Remove, Op::CreateDirAll];

/// How a [`FaultyFs`] fails from the Nth operation of its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Only the Nth operation fails (a transient error), doing nothing.
    Once(io::ErrorKind),
    /// The Nth and every later operation of the kind fail, doing nothing (a
    /// read-only folder: `PermissionDenied`).
    FromThenOn(io::ErrorKind),
    /// Writes only: from the Nth write on, the first half of the contents reach the
    /// disk and then the write fails; `true` as `StorageFull`, `false` as an `Other`
    /// error saying "No space left on device".
    DiskFull { storage_full: bool },
}

/// RealFs, failing the Nth operation of one kind; counts operations of every kind.
struct FaultyFs {
    op: Option<Op>,
    nth: usize,
    mode: Mode,
    counts: Cell<[usize; 4]>,
    failures: RefCell<Vec<(Op, PathBuf)>>,
}

impl FaultyFs {
    fn new(op: Op, nth: usize, mode: Mode) -> Self {
        FaultyFs {
            op: Some(op),
            nth,
            mode,
            counts: Cell::new([0; 4]),
            failures: RefCell::new(Vec::new()),
        }
    }

    /// Never fails; counts.
    fn counting() -> Self {
        FaultyFs {
            op: None,
            nth: 0,
            mode: Mode::Once(io::ErrorKind::Other),
            counts: Cell::new([0; 4]),
            failures: RefCell::new(Vec::new()),
        }
    }

    /// Counts the operation; `Err` if it must fail.
    fn check(&self, op: Op, path: &Path) -> Result<(), io::Error> {
        let mut counts = self.counts.get();
        counts[index(op)] += 1;
        self.counts.set(counts);
        let n = counts[index(op)];
        if self.op != Some(op) {
            return Ok(());
        }
        let fails = match self.mode {
            Mode::Once(_) => n == self.nth,
            Mode::FromThenOn(_) | Mode::DiskFull { .. } => n >= self.nth,
        };
        if !fails {
            return Ok(());
        }
        self.failures.borrow_mut().push((op, path.to_path_buf()));
        Err(match self.mode {
            Mode::Once(kind) | Mode::FromThenOn(kind) => {
                io::Error::new(kind, format!("injected {op:?} failure #{n}"))
            }
            Mode::DiskFull { storage_full: true } => io::Error::from(io::ErrorKind::StorageFull),
            Mode::DiskFull {
                storage_full: false,
            } => io::Error::other("No space left on device (os error 28)"),
        })
    }
}

fn index(op: Op) -> usize {
    match op {
        Op::Write => 0,
        Op::Rename => 1,
        Op::Remove => 2,
        Op::CreateDirAll => 3,
    }
}

impl Filesystem for FaultyFs {
    fn read(&self, path: &Path) -> io::Result<Option<Vec<u8>>> {
        RealFs.read(path)
    }
    fn write(&self, path: &Path, contents: &[u8]) -> io::Result<()> {
        match self.check(Op::Write, path) {
            Ok(()) => RealFs.write(path, contents),
            Err(err) => {
                if let Mode::DiskFull { .. } = self.mode {
                    // The disk filled up halfway through the file.
                    RealFs.write(path, &contents[..contents.len() / 2])?;
                }
                Err(err)
            }
        }
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.check(Op::Rename, to)?;
        RealFs.rename(from, to)
    }
    fn remove(&self, path: &Path) -> io::Result<()> {
        self.check(Op::Remove, path)?;
        RealFs.remove(path)
    }
    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        self.check(Op::CreateDirAll, path)?;
        RealFs.create_dir_all(path)
    }
    fn is_dir(&self, path: &Path) -> bool {
        RealFs.is_dir(path)
    }
    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        RealFs.remove_dir(path)
    }
    fn list(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        RealFs.list(dir)
    }
}

/// The relative paths `apply` touches in a dirty copy (for "the error names it").
fn touched(root: &Path) -> Vec<String> {
    write::compare(&RealFs, root, generated_files(), emit::OWNED_DIRS)
        .expect("compare")
        .into_iter()
        .map(|d| d.path)
        .collect()
}

/// Runs `apply` with `fs` on a fresh copy prepared by `prepare`; it must fail,
/// name a path it touches, and leave the tree exactly as it was. A normal run
/// afterwards must then bring the tree in line (nothing was lost or wedged).
fn fails_cleanly(label: &str, prepare: fn() -> tempfile::TempDir, fs: &FaultyFs) -> WriteError {
    let dir = prepare();
    let root = dir.path();
    let touched = touched(root);
    let before = snapshot(root);
    let err = write::apply(fs, root, generated_files(), emit::OWNED_DIRS)
        .expect_err(&format!("{label}: the injected fault must surface"));
    let message = err.to_string();
    assert!(
        touched.iter().any(|t| err.path.ends_with(t.as_str())) && message.contains(&err.path),
        "{label}: the error does not name a touched path: {message}"
    );
    assert!(Path::new(&err.path).starts_with(root), "{label}: {message}");
    assert_unchanged(label, &before, root);

    let applied = write::apply(&RealFs, root, generated_files(), emit::OWNED_DIRS)
        .unwrap_or_else(|e| panic!("{label}: the run after the failure fails: {e}"));
    assert_eq!(applied.written.len() + applied.removed.len(), touched.len());
    let left = write::compare(&RealFs, root, generated_files(), emit::OWNED_DIRS).expect("compare");
    assert!(left.is_empty(), "{label}: still differs: {left:?}");
    err
}

/// How many operations of each kind a successful `apply` on a copy performs.
fn operation_counts(prepare: fn() -> tempfile::TempDir) -> [usize; 4] {
    let dir = prepare();
    let fs = FaultyFs::counting();
    write::apply(&fs, dir.path(), generated_files(), emit::OWNED_DIRS).expect("apply");
    assert!(
        write::compare(&RealFs, dir.path(), generated_files(), emit::OWNED_DIRS)
            .expect("compare")
            .is_empty()
    );
    fs.counts.get()
}

/// `PermissionDenied` from the first failure on. Removal is the exception: undoing
/// a file the run created takes a removal, so removals that fail for good cannot be
/// undone by anyone; and a folder that refuses removals refuses renames too (on
/// POSIX both need write permission on the folder), which is the persistent rename
/// case. A removal that fails for good is denied once instead.
fn persistent_denial(op: Op) -> Mode {
    match op {
        Op::Remove => Mode::Once(io::ErrorKind::PermissionDenied),
        _ => Mode::FromThenOn(io::ErrorKind::PermissionDenied),
    }
}

/// Runs every fault (each kind, each N, each mode) against copies from `prepare`;
/// returns how many faults were injected.
fn every_fault(prepare: fn() -> tempfile::TempDir) -> usize {
    let counts = operation_counts(prepare);
    let mut injected = 0;
    for op in OPS {
        let total = counts[index(op)];
        assert!(total > 0, "{op:?} never happens; the scenario is too small");
        let mut modes = vec![
            Mode::Once(io::ErrorKind::Other),
            Mode::Once(io::ErrorKind::PermissionDenied),
        ];
        if op != Op::Remove {
            modes.push(persistent_denial(op));
        }
        if op == Op::Write {
            modes.push(Mode::DiskFull { storage_full: true });
            modes.push(Mode::DiskFull {
                storage_full: false,
            });
        }
        for nth in 1..=total {
            for mode in &modes {
                let label = format!("{op:?} #{nth}/{total} {mode:?}");
                let fs = FaultyFs::new(op, nth, *mode);
                let err = fails_cleanly(&label, prepare, &fs);
                assert!(
                    !fs.failures.borrow().is_empty(),
                    "{label}: no fault was injected"
                );
                let expected_kind = match mode {
                    Mode::Once(kind) | Mode::FromThenOn(kind) => *kind,
                    Mode::DiskFull { storage_full: true } => io::ErrorKind::StorageFull,
                    Mode::DiskFull {
                        storage_full: false,
                    } => io::ErrorKind::Other,
                };
                assert_eq!(err.source.kind(), expected_kind, "{label}: {err}");
                if let Mode::DiskFull {
                    storage_full: false,
                } = mode
                {
                    assert!(
                        err.to_string().contains("No space left on device"),
                        "{label}: {err}"
                    );
                }
                injected += 1;
            }
        }
    }
    injected
}

#[test]
fn every_failed_operation_leaves_the_tree_as_it_was() {
    let counts = operation_counts(dirty_copy);
    // Two changed and one missing file: three temporaries, three renames, three
    // folder checks; two strays removed.
    assert_eq!(
        counts,
        [3, 3, 2, 3],
        "write, rename, remove, create_dir_all"
    );
    let injected = every_fault(dirty_copy);
    println!("generation faults injected on a dirty tree: {injected}");
}

/// A copy without any generated folder (say after `git rm -r` of them): the
/// generation writes every file from scratch.
fn empty_output_copy() -> tempfile::TempDir {
    let dir = generation_copy();
    for owned in emit::OWNED_DIRS {
        std::fs::remove_dir_all(dir.path().join(owned)).expect("rm");
    }
    dir
}

/// A full generation, from nothing (78 files, three new folders): a failure at
/// its first, second, middle, second-to-last and last write, rename and folder
/// creation (once, or as a full disk) leaves nothing behind, not even the folders;
/// the same tree is reused, since it must not change. (Every N of every kind runs on
/// the dirty trees above; here a sample keeps the test fast, since each failed
/// run from scratch writes and takes back up to 78 files.)
#[test]
fn a_failure_anywhere_in_a_generation_from_scratch_leaves_nothing() {
    let files = generated_files();
    let counts = operation_counts(empty_output_copy);
    assert_eq!(counts[index(Op::Write)], files.len());
    assert_eq!(counts[index(Op::Rename)], files.len());
    assert_eq!(counts[index(Op::Remove)], 0);
    let dir = empty_output_copy();
    let root = dir.path();
    let before = snapshot(root);
    let mut injected = 0;
    for op in [Op::Write, Op::Rename, Op::CreateDirAll] {
        let total = counts[index(op)];
        let mut sample = vec![1, 2, total / 2, total - 1, total];
        sample.dedup();
        for nth in sample {
            let mut modes = vec![Mode::Once(io::ErrorKind::Other)];
            if op == Op::Write {
                modes.push(Mode::DiskFull {
                    storage_full: nth % 2 == 0,
                });
            }
            for mode in modes {
                let label = format!("from scratch: {op:?} #{nth} {mode:?}");
                let fs = FaultyFs::new(op, nth, mode);
                let err = write::apply(&fs, root, files, emit::OWNED_DIRS).expect_err(&label);
                let relative = Path::new(&err.path)
                    .strip_prefix(root)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                assert!(
                    files.iter().any(|f| f.path == relative),
                    "{label}: names no generated file: {err}"
                );
                assert_unchanged(&label, &before, root);
                injected += 1;
            }
        }
    }
    println!("generation faults injected from scratch: {injected}");
    write::apply(&RealFs, root, files, emit::OWNED_DIRS).expect("then it succeeds");
    let clean = generation_copy();
    assert!(snapshot(clean.path()) == snapshot(root));
}

/// The missing file's whole folder is missing too: `apply` creates the folder, and
/// a failure afterwards must remove it again.
fn dirty_copy_without_a_folder() -> tempfile::TempDir {
    let dir = dirty_copy();
    std::fs::remove_dir_all(dir.path().join("tests/tests/generated")).expect("rm");
    dir
}

#[test]
fn a_folder_created_for_a_missing_file_is_removed_on_failure() {
    let injected = every_fault(dirty_copy_without_a_folder);
    println!("generation faults injected with a missing folder: {injected}");
}

#[test]
fn simulated_permission_denied_names_the_path_and_changes_nothing() {
    for op in OPS {
        let fs = FaultyFs::new(op, 1, persistent_denial(op));
        let err = fails_cleanly(&format!("{op:?} denied"), dirty_copy, &fs);
        assert_eq!(err.source.kind(), io::ErrorKind::PermissionDenied);
        let failed = fs.failures.borrow()[0].1.clone();
        let named = Path::new(&err.path);
        match op {
            // Writes go to a temporary beside the target: the error names the target.
            Op::Write => {
                let name = failed.file_name().expect("name").to_string_lossy();
                let target = name
                    .strip_prefix('.')
                    .and_then(|n| n.strip_suffix(".msgraph-sync-tmp"))
                    .expect("a temporary");
                assert_eq!(named, failed.with_file_name(target), "{err}");
            }
            // A folder is created for the target inside it.
            Op::CreateDirAll => assert!(named.starts_with(&failed), "{err}"),
            Op::Rename | Op::Remove => assert_eq!(named, failed, "{err}"),
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The binary failed with exit 2, without a panic, naming `needle` on stderr,
/// and left the tree as it was.
fn refuses(
    label: &str,
    root: &Path,
    before: &BTreeMap<String, Option<Vec<u8>>>,
    args: &[&str],
    needle: &str,
) -> String {
    let out = run_at(root, args);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{label}: {stderr}");
    assert!(
        stderr.contains(needle),
        "{label}: no {needle:?} in {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{label}: {stderr}");
    assert_unchanged(label, before, root);
    stderr
}

#[test]
fn real_obstacles_stop_the_cli_with_exit_2_and_change_nothing() {
    // A folder where a generated file must go (root cannot write a file there).
    let dir = dirty_copy();
    let root = dir.path();
    let obstacle = root.join("generated/src/models/entity.rs");
    std::fs::remove_file(&obstacle).expect("rm");
    std::fs::create_dir(&obstacle).expect("mkdir");
    std::fs::write(obstacle.join("keep.txt"), "someone's notes").expect("write");
    let before = snapshot(root);
    refuses(
        "folder in place of a file",
        root,
        &before,
        &[],
        "generated/src/models/entity.rs",
    );

    // A file where a generated folder must go.
    let dir = dirty_copy();
    let root = dir.path();
    let folder = root.join("tests/tests/generated");
    std::fs::remove_dir_all(&folder).expect("rm");
    std::fs::write(&folder, "not a folder").expect("write");
    let before = snapshot(root);
    refuses(
        "file in place of a folder",
        root,
        &before,
        &[],
        "tests/tests/generated",
    );

    // The in-process writer says the same, with a typed error naming the path.
    let err =
        write::apply(&RealFs, root, generated_files(), emit::OWNED_DIRS).expect_err("obstacle");
    assert!(err.path.contains("tests/tests/generated"), "{err}");
    assert_unchanged("in-process obstacle", &before, root);

    // A folder where a temporary would go (say, someone's backup) does not stop the
    // writer: it takes another temporary name and leaves the folder alone.
    let dir = dirty_copy();
    let root = dir.path();
    let temp = root.join("generated/src/models/.synchronization_job.rs.msgraph-sync-tmp");
    std::fs::create_dir(&temp).expect("mkdir");
    let out = run_at(root, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(temp.is_dir());
    std::fs::remove_dir(&temp).expect("rmdir");
    assert!(snapshot(root) == snapshot(generation_copy().path()));
}

/// Bad input: each stage of `cargo run` refuses with exit 2, names the file (and
/// line:column for XML), and writes nothing although the tree needs work.
#[test]
fn bad_input_at_each_stage_exits_2_and_writes_nothing() {
    const SLICE: &str = "metadata/synchronization.csdl.xml";

    let slice_text = std::fs::read_to_string(repo().join(SLICE)).expect("slice");
    let lines: Vec<&str> = slice_text.lines().collect();

    // Malformed XML: an unquoted attribute value on a line of its own.
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with("<EntityType "))
        .expect("an entity type");
    let mut malformed: Vec<&str> = lines.clone();
    malformed.insert(at, "<EntityType Name=broken>");
    let malformed = malformed.join("\n");
    let malformed_spot = format!("{SLICE}:{}:", at + 1);

    // A dangling type: a property whose type names nothing.
    let property = lines
        .iter()
        .position(|l| l.contains("<Property ") && l.contains("Type=\"Edm.String\""))
        .expect("a string property");
    let mut dangling: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    dangling[property] = dangling[property].replace("Edm.String", "microsoft.graph.noSuchType");
    let dangling = dangling.join("\n");
    let dangling_spot = format!("{SLICE}:{}:", property + 1);

    let profile = std::fs::read_to_string(repo().join("metadata/profile.toml")).expect("profile");
    let lock = std::fs::read_to_string(repo().join("metadata/lock.toml")).expect("lock");
    let permissions =
        std::fs::read_to_string(repo().join("metadata/permissions.json")).expect("permissions");

    let cases: Vec<(&str, &str, Vec<u8>, String)> = vec![
        (
            "malformed slice XML",
            SLICE,
            malformed.into_bytes(),
            malformed_spot,
        ),
        (
            "truncated slice XML",
            SLICE,
            slice_text.as_bytes()[..slice_text.len() / 2].to_vec(),
            format!("{SLICE}:"),
        ),
        ("dangling type", SLICE, dangling.into_bytes(), dangling_spot),
        (
            "profile TOML syntax",
            "metadata/profile.toml",
            format!("{profile}\nroots = [\n").into_bytes(),
            "metadata/profile.toml".into(),
        ),
        (
            "profile unknown key",
            "metadata/profile.toml",
            format!("favourite_colour = \"blue\"\n{profile}").into_bytes(),
            "metadata/profile.toml".into(),
        ),
        (
            "profile not UTF-8",
            "metadata/profile.toml",
            vec![0xff, 0xfe, b'x'],
            "metadata/profile.toml".into(),
        ),
        (
            "permissions JSON truncated",
            "metadata/permissions.json",
            permissions.as_bytes()[..permissions.len() / 2].to_vec(),
            "metadata/permissions.json:".into(),
        ),
        (
            "permissions JSON of the wrong shape",
            "metadata/permissions.json",
            b"[1, 2, 3]".to_vec(),
            "metadata/permissions.json".into(),
        ),
        (
            "lock missing a field",
            "metadata/lock.toml",
            lock.lines()
                .filter(|l| !l.trim_start().starts_with("sha256"))
                .collect::<Vec<_>>()
                .join("\n")
                .into_bytes(),
            "metadata/lock.toml".into(),
        ),
        (
            "lock TOML syntax",
            "metadata/lock.toml",
            b"[csdl\nsource = ".to_vec(),
            "metadata/lock.toml".into(),
        ),
    ];
    for (label, file, contents, needle) in cases {
        let dir = dirty_copy();
        let root = dir.path();
        std::fs::write(root.join(file), &contents).expect("write input");
        let before = snapshot(root);
        let stderr = refuses(label, root, &before, &[], &needle);
        println!("{label}: {}", stderr.trim());
        // `--check` reads the same inputs and refuses the same way.
        refuses(
            &format!("{label} (--check)"),
            root,
            &before,
            &["--check"],
            &needle,
        );
    }

    // A missing input is named too.
    let dir = dirty_copy();
    let root = dir.path();
    std::fs::remove_file(root.join("metadata/lock.toml")).expect("rm");
    let before = snapshot(root);
    refuses("missing lock", root, &before, &[], "metadata/lock.toml");
}

#[test]
fn check_passes_on_an_unmodified_copy() {
    let dir = generation_copy();
    let out = run_at(dir.path(), &["--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("up to date"));
}

/// `--check` on a copy with one difference: exit 1, the kind and path on stderr, a
/// unified diff with `a/` and `b/` headers on stdout, and nothing written.
fn check_reports(kind: &str, path: &str, prepare: impl FnOnce(&Path)) -> String {
    let dir = generation_copy();
    let root = dir.path();
    prepare(root);
    let before = snapshot(root);
    let out = run_at(root, &["--check"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stderr.contains(&format!("{kind} {path}")), "{stderr}");
    assert!(stderr.contains("1 generated file(s) differ"), "{stderr}");
    assert!(stdout.contains(&format!("--- a/{path}\n")), "{stdout}");
    assert!(stdout.contains(&format!("+++ b/{path}\n")), "{stdout}");
    assert!(stdout.contains("\n@@ "), "{stdout}");
    assert_unchanged(kind, &before, root);
    stdout
}

#[test]
fn check_detects_an_edited_file() {
    let diff = check_reports("changed", CHANGED_MODEL, |root| {
        append(root, CHANGED_MODEL, "// edited by hand\n");
    });
    assert!(diff.contains("\n-// edited by hand\n"), "{diff}");
}

#[test]
fn check_detects_a_missing_file() {
    let diff = check_reports("missing", MISSING_MODEL, |root| {
        std::fs::remove_file(root.join(MISSING_MODEL)).expect("rm");
    });
    assert!(diff.contains("\n+pub struct Filter "), "{diff}");
}

#[test]
fn check_detects_a_stray_file() {
    let diff = check_reports("stray", STRAY_MODEL, |root| {
        std::fs::write(
            root.join(STRAY_MODEL),
            format!("{}\npub struct Retired;\n", generated_header()),
        )
        .expect("write");
    });
    assert!(diff.contains("\n-pub struct Retired;\n"), "{diff}");
}

#[test]
fn a_hand_written_file_in_an_owned_folder_is_refused() {
    let dir = dirty_copy();
    let root = dir.path();
    let mine = "generated/src/api/my_helpers.rs";
    std::fs::write(root.join(mine), "pub fn mine() {}\n").expect("write");
    let before = snapshot(root);
    let stderr = refuses("hand-written file", root, &before, &[], mine);
    assert!(stderr.contains("@generated"), "{stderr}");
}

/// A dirty copy with what a run killed between writing its temporaries and
/// renaming them leaves behind: a full temporary and an empty one (killed at the
/// first byte) for targets that still differ, and an empty one for a target that
/// no longer does.
fn dirty_copy_with_leftovers() -> tempfile::TempDir {
    let dir = dirty_copy();
    let root = dir.path();
    let leftover = |relative: &str, contents: &[u8]| {
        let target = root.join(relative);
        let name = target.file_name().expect("name").to_string_lossy();
        let temp = target.with_file_name(format!(".{name}.msgraph-sync-tmp"));
        std::fs::write(temp, contents).expect("write leftover");
    };
    let new_model = generated_files()
        .iter()
        .find(|f| f.path == CHANGED_MODEL)
        .expect("generated");
    leftover(CHANGED_MODEL, new_model.contents.as_bytes());
    leftover(CHANGED_API, b"");
    leftover("generated/src/models/entity.rs", b"");
    dir
}

/// The next run takes a killed run's leftovers away (they are the writer's own,
/// with or without the marker); a failure of that run puts them back as they were.
#[test]
fn leftovers_of_a_killed_run_are_cleaned_up_by_the_next() {
    let injected = every_fault(dirty_copy_with_leftovers);
    println!("generation faults injected with leftovers: {injected}");
    let dir = dirty_copy_with_leftovers();
    let root = dir.path();
    let out = run_at(root, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let clean = generation_copy();
    let (expected, got) = (snapshot(clean.path()), snapshot(root));
    assert!(
        expected == got,
        "after the next run: {}",
        first_difference(&expected, &got)
    );
}

#[test]
fn two_regenerations_in_a_row_write_identical_bytes() {
    let dir = dirty_copy();
    let root = dir.path();
    let first = run_at(root, &[]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(
        text(&first.stdout).contains("3 written, 2 removed"),
        "{}",
        text(&first.stdout)
    );
    let after_first = snapshot(root);
    let second = run_at(root, &[]);
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert!(
        text(&second.stdout).contains("0 written, 0 removed"),
        "{}",
        text(&second.stdout)
    );
    assert_unchanged("second regeneration", &after_first, root);
    // And both equal the committed tree.
    let clean = generation_copy();
    assert!(
        snapshot(clean.path()) == after_first,
        "regenerated tree differs from the committed one: {}",
        first_difference(&snapshot(clean.path()), &after_first)
    );
    let check = run_at(root, &["--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
}
