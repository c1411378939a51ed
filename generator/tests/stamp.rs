//! The stamp that lets `cargo run` and `--check` skip generation: it vouches for
//! the tree only while the generator, every input and every output are as the
//! last full run left them; a hand-edited output, a changed input or a rebuilt
//! generator always means full generation.

use msgraph_sync_generator::emit::{self, GeneratedFile};
use msgraph_sync_generator::pipeline;
use msgraph_sync_generator::stamp::{self, GeneratorId, Key};
use msgraph_sync_generator::write::{self, RealFs};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};

mod support;

const OUTPUT: &str = "generated/src/models/synchronization_job.rs";
const FULL_RUN: &str = " unchanged (";
const SKIPPED: &str = "as the last run left them";

/// A scratch workspace with the committed inputs and outputs and a `target/`.
fn workspace() -> tempfile::TempDir {
    let dir = support::generation_copy();
    std::fs::create_dir(dir.path().join("target")).expect("target");
    dir
}

fn generated(root: &Path) -> Vec<GeneratedFile> {
    let loaded = pipeline::load(root).expect("load");
    pipeline::generate(&loaded).expect("generate")
}

fn append(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    let mut bytes = std::fs::read(&path).expect("read");
    bytes.extend_from_slice(text.as_bytes());
    std::fs::write(&path, bytes).expect("write");
}

/// A workspace whose stamp was recorded by generator `a`.
fn stamped() -> (tempfile::TempDir, Key, usize) {
    let dir = workspace();
    let root = dir.path();
    let files = generated(root);
    write::apply(&RealFs, root, &files, emit::OWNED_DIRS).expect("apply");
    let key = Key::current(&RealFs, root, &GeneratorId::named("a")).expect("key");
    assert!(stamp::record(&RealFs, root, &key, &files).expect("record"));
    (dir, key, files.len())
}

fn fresh(root: &Path, key: &Key) -> Option<usize> {
    stamp::fresh_outputs(&RealFs, root, key, emit::OWNED_DIRS)
}

#[test]
fn a_stamp_vouches_for_an_untouched_tree() {
    let (dir, key, count) = stamped();
    assert_eq!(fresh(dir.path(), &key), Some(count));
}

#[test]
fn a_hand_edited_output_is_not_fresh() {
    let (dir, key, _) = stamped();
    append(dir.path(), OUTPUT, "// edited by hand\n");
    assert_eq!(fresh(dir.path(), &key), None);
}

#[test]
fn a_missing_or_stray_output_is_not_fresh() {
    let (dir, key, _) = stamped();
    std::fs::remove_file(dir.path().join(OUTPUT)).expect("rm");
    assert_eq!(fresh(dir.path(), &key), None);

    let (dir, key, _) = stamped();
    std::fs::write(dir.path().join("generated/src/api/extra.rs"), "// stray").expect("write");
    assert_eq!(fresh(dir.path(), &key), None);
}

#[test]
fn a_changed_input_changes_the_key() {
    let (dir, key, _) = stamped();
    append(dir.path(), "metadata/profile.toml", "\n# a comment\n");
    let now = Key::current(&RealFs, dir.path(), &GeneratorId::named("a")).expect("key");
    assert_ne!(now, key);
    assert_eq!(fresh(dir.path(), &now), None);
    // An added input file counts too.
    let (dir, _, _) = stamped();
    std::fs::write(dir.path().join("metadata/notes.txt"), "x").expect("write");
    let now = Key::current(&RealFs, dir.path(), &GeneratorId::named("a")).expect("key");
    assert_eq!(fresh(dir.path(), &now), None);
}

#[test]
fn another_generator_is_not_fresh() {
    let (dir, _, _) = stamped();
    let rebuilt = Key::current(&RealFs, dir.path(), &GeneratorId::named("b")).expect("key");
    assert_eq!(fresh(dir.path(), &rebuilt), None);
}

#[test]
fn no_stamp_and_a_garbled_stamp_are_not_fresh() {
    let dir = workspace();
    let key = Key::current(&RealFs, dir.path(), &GeneratorId::named("a")).expect("key");
    assert_eq!(fresh(dir.path(), &key), None);
    let (dir, key, _) = stamped();
    let path = dir.path().join(stamp::STAMP_FILE);
    let text = std::fs::read_to_string(&path).expect("stamp");
    std::fs::write(&path, text.replacen("output ", "outptu ", 1)).expect("write");
    assert_eq!(fresh(dir.path(), &key), None);
}

#[test]
fn without_a_target_folder_nothing_is_recorded() {
    let dir = workspace();
    std::fs::remove_dir(dir.path().join("target")).expect("rmdir");
    let key = Key::current(&RealFs, dir.path(), &GeneratorId::named("a")).expect("key");
    let files = generated(dir.path());
    assert!(!stamp::record(&RealFs, dir.path(), &key, &files).expect("record"));
    assert!(!dir.path().join("target").exists());
}

fn run(exe: &Path, root: &Path, extra: &[&str]) -> Output {
    let out = Command::new(exe)
        .arg("--root")
        .arg(root)
        .args(extra)
        .output()
        .expect("runs");
    assert!(
        out.status.code() == Some(0) || extra == ["--check"],
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The tests that copy the binary run one at a time: a copy still open for
/// writing in one test would be inherited by the other's child process, and
/// executing it then fails with "text file busy".
static BINARY_COPIES: Mutex<()> = Mutex::new(());

/// A scratch workspace with a copy of the binary in its `target/` (so "rebuilding"
/// it cannot disturb other tests), and the turn of the tests that copy it.
fn workspace_with_binary() -> (MutexGuard<'static, ()>, tempfile::TempDir, PathBuf) {
    let turn = BINARY_COPIES.lock().unwrap_or_else(|p| p.into_inner());
    let dir = workspace();
    let exe = dir.path().join("target/msgraph-sync-generator");
    std::fs::copy(env!("CARGO_BIN_EXE_msgraph-sync-generator"), &exe).expect("copy exe");
    (turn, dir, exe)
}

/// The three cases through the real binary: each falls back to a full run that
/// puts the tree right; only an untouched tree is skipped.
#[test]
fn the_binary_skips_only_an_untouched_tree() {
    let (_turn, dir, exe) = workspace_with_binary();
    let root = dir.path();
    let committed = std::fs::read(root.join(OUTPUT)).expect("read");

    let first = stdout(&run(&exe, root, &[]));
    assert!(
        first.contains(FULL_RUN) && !first.contains(SKIPPED),
        "{first}"
    );
    let second = stdout(&run(&exe, root, &[]));
    assert!(second.contains(SKIPPED), "{second}");
    let check = stdout(&run(&exe, root, &["--check"]));
    assert!(
        check.contains("up to date (as the last run left them)"),
        "{check}"
    );

    // A hand-edited output: `--check` fails, `cargo run` rewrites it.
    append(root, OUTPUT, "// edited by hand\n");
    let check = run(&exe, root, &["--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stdout(&check));
    let repaired = stdout(&run(&exe, root, &[]));
    assert!(repaired.contains("1 written"), "{repaired}");
    assert_eq!(std::fs::read(root.join(OUTPUT)).expect("read"), committed);
    assert!(stdout(&run(&exe, root, &[])).contains(SKIPPED));

    // A changed input: a full run (which here writes nothing new).
    append(root, "metadata/profile.toml", "\n# a comment\n");
    let changed = stdout(&run(&exe, root, &[]));
    assert!(
        changed.contains("0 written") && !changed.contains(SKIPPED),
        "{changed}"
    );
    assert!(stdout(&run(&exe, root, &[])).contains(SKIPPED));

    // A rebuilt generator (a new file at the same path): a full run.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let bytes = std::fs::read(&exe).expect("read exe");
    std::fs::remove_file(&exe).expect("rm exe");
    std::fs::write(&exe, bytes).expect("write exe");
    set_executable(&exe);
    let rebuilt = stdout(&run(&exe, root, &[]));
    assert!(!rebuilt.contains(SKIPPED), "{rebuilt}");
    assert!(stdout(&run(&exe, root, &[])).contains(SKIPPED));
}

#[cfg(unix)]
fn set_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[cfg(not(unix))]
fn set_executable(_: &Path) {}

const REUSED: &str = "the crate as the last run left it";

/// `update` with nothing changed takes the crate from disk (the stamp vouches for
/// it under the metadata the update plans); anything else regenerates, and the
/// result is always what a full generation without `target/` gives.
#[test]
fn update_reuses_the_crate_only_while_nothing_changed() {
    let (_turn, dir, exe) = workspace_with_binary();
    let root = dir.path();
    // The committed slice is a CSDL with every root: update from a copy of it.
    std::fs::copy(root.join(pipeline::SLICE_FILE), root.join("source.xml")).expect("copy");
    let source = root.join("source.xml").display().to_string();
    let update = ["update", "--from", source.as_str()];

    let first = stdout(&run(&exe, root, &update));
    assert!(!first.contains(REUSED), "{first}");
    assert!(root.join(emit::CACHE_FILE).is_file(), "no format cache");
    let second = stdout(&run(&exe, root, &update));
    assert!(
        second.contains(REUSED) && second.contains(" 0 written"),
        "{second}"
    );

    // A hand-edited output is not reused: update puts it right.
    let committed = std::fs::read(root.join(OUTPUT)).expect("read");
    append(root, OUTPUT, "// edited by hand\n");
    let repaired = stdout(&run(&exe, root, &update));
    assert!(
        !repaired.contains(REUSED) && repaired.contains(" 1 written"),
        "{repaired}"
    );
    assert_eq!(std::fs::read(root.join(OUTPUT)).expect("read"), committed);

    // No stamp: a generation whose formatting comes from the cache, same bytes.
    std::fs::remove_file(root.join(stamp::STAMP_FILE)).expect("rm stamp");
    let cached = stdout(&run(&exe, root, &update));
    assert!(
        !cached.contains(REUSED) && cached.contains(" 0 written"),
        "{cached}"
    );

    // Without target/ (no stamp, no cache) the tree is what generation gives.
    std::fs::remove_dir_all(root.join("target")).expect("rm target");
    let check = support::run_at(root, &["--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}
