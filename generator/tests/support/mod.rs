//! Setup shared by the generator's integration tests and benchmarks: where the
//! workspace and the fixtures are, running the built binary, and scratch copies of
//! the workspace. Each test file takes it with `mod support;`; a benchmark with
//! `#[path = "../tests/support/mod.rs"] mod support;`.
//!
//! It lives here rather than in the `msgraph-sync-tests` crate: that crate depends
//! on the generator (a dev-dependency back would be a cycle), pulls in the whole
//! generated client with its HTTP stack, and would turn on the generator's `fetch`
//! feature in these tests, which must also run without it.
// Every test binary compiles this module and uses only part of it.
#![allow(dead_code)]

pub mod fixture_models;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The folders a generation reads or writes: a scratch copy of these is a
/// workspace `cargo run` and `--check` work in.
pub const GENERATION_FOLDERS: &[&str] = &[
    "metadata",
    "generated/src/models",
    "generated/src/api",
    "tests/tests/generated",
];

/// The workspace root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the workspace root")
}

/// A CSDL fixture of `generator/tests/fixtures/csdl` (`name` may name a subfolder).
pub fn csdl_fixture(name: &str) -> PathBuf {
    fixtures().join("csdl").join(name)
}

/// A permissions fixture of `generator/tests/fixtures/permissions`.
pub fn permissions_fixture(name: &str) -> PathBuf {
    fixtures().join("permissions").join(name)
}

/// `../shared/metadata` beside the workspace: Graph's full files, too large to
/// commit (the tests that read them are ignored, with the reason, without them).
pub fn shared_metadata() -> PathBuf {
    repo().join("../shared/metadata")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The generator's binary run with `args`, in this process's directory.
pub fn run(args: &[&str]) -> Output {
    binary().args(args).output().expect("the generator runs")
}

/// The generator's binary run with `args` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    binary()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the generator runs")
}

/// The generator's binary run on the workspace at `root` (`--root root`), then `extra`.
pub fn run_at(root: &Path, extra: &[&str]) -> Output {
    binary()
        .arg("--root")
        .arg(root)
        .args(extra)
        .output()
        .expect("the generator runs")
}

/// The generator's binary, to run with arguments or environment of a test's own.
pub fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_msgraph-sync-generator"))
}

/// A temp workspace root holding a copy of the committed inputs and outputs
/// ([`GENERATION_FOLDERS`]).
pub fn generation_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for folder in GENERATION_FOLDERS {
        copy_dir(&repo().join(folder), &dir.path().join(folder), &[]);
    }
    dir
}

/// Copies the folder `from` to `to`, recursively, leaving out folders named in `skip`.
pub fn copy_dir(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
        let name = entry.file_name();
        let (path, target) = (entry.path(), to.join(&name));
        if path.is_dir() {
            if !skip.iter().any(|s| name == *s) {
                copy_dir(&path, &target, skip);
            }
        } else {
            std::fs::copy(&path, &target)
                .unwrap_or_else(|err| panic!("copy {}: {err}", path.display()));
        }
    }
}
