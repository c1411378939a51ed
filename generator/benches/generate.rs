//! Generation speed: from Graph's full v1.0 CSDL (3.5 MB) to formatted files in
//! memory, and from the committed slice in metadata/ (what `cargo run` does,
//! without the disk writes); `update`'s whole plan (nothing is written), the
//! permissions reference alone, and the stamp check that lets an up-to-date
//! `cargo run` skip generation. Whole-process numbers beside a bare quick-xml
//! scan: `tests/scripts/perf-wholeprocess.sh`.

use msgraph_sync_generator::emit;
use msgraph_sync_generator::lock::{Lock, SourceLock};
use msgraph_sync_generator::permissions;
use msgraph_sync_generator::pipeline::{self, Loaded};
use msgraph_sync_generator::stamp::{self, GeneratorId, Key};
use msgraph_sync_generator::write::RealFs;
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::LazyLock;

#[path = "../tests/support/mod.rs"]
mod support;

static COMMITTED: LazyLock<Loaded> =
    LazyLock::new(|| pipeline::load(&support::repo()).expect("load"));

fn full_csdl_path() -> PathBuf {
    support::shared_metadata().join("graph-v1.0.csdl.xml")
}

fn permissions_path() -> PathBuf {
    support::shared_metadata().join("permissions.json")
}

static FULL: LazyLock<Option<Vec<u8>>> = LazyLock::new(|| std::fs::read(full_csdl_path()).ok());

static PERMISSIONS: LazyLock<Option<Vec<u8>>> =
    LazyLock::new(|| std::fs::read(permissions_path()).ok());

fn main() {
    if FULL.is_none() || PERMISSIONS.is_none() {
        println!(
            "skipped generate_from_full_csdl, update_plan, permissions_parse: \
             ../shared/metadata/graph-v1.0.csdl.xml or permissions.json not found"
        );
    }
    divan::main();
}

/// `cargo run` without writing: load metadata/, generate every file.
#[divan::bench]
fn generate_from_slice() -> usize {
    let loaded = pipeline::load(&support::repo()).expect("load");
    pipeline::generate(black_box(&loaded))
        .expect("generate")
        .len()
}

/// The full CSDL: read, resolve, closure, paths, emit and format.
#[divan::bench]
fn generate_from_full_csdl() -> usize {
    let Some(bytes) = FULL.as_ref() else {
        return 0;
    };
    let committed = &*COMMITTED;
    let analysis = pipeline::analyze(
        "graph-v1.0.csdl.xml",
        black_box(bytes),
        &committed.profile,
        &committed.permissions.grants(),
    )
    .expect("analyze");
    let loaded = Loaded {
        profile: committed.profile.clone(),
        lock: Lock {
            generator_version: String::new(),
            csdl: SourceLock {
                source: String::new(),
                sha256: String::new(),
            },
            permissions: None,
            descriptions: Vec::new(),
        },
        permissions: committed.permissions.clone(),
        analysis,
    };
    pipeline::generate(&loaded).expect("generate").len()
}

/// `update --from graph-v1.0 --permissions permissions.json` up to writing: both
/// inputs read, resolved, sliced, read back, compared and the crate generated.
#[divan::bench]
fn update_plan() -> usize {
    if FULL.is_none() || PERMISSIONS.is_none() {
        return 0;
    }
    let options = pipeline::UpdateOptions {
        permissions: Some(permissions_path().display().to_string()),
        ..pipeline::UpdateOptions::default()
    };
    let from = full_csdl_path().display().to_string();
    pipeline::plan_update(&RealFs, &support::repo(), black_box(&from), &options)
        .expect("plan")
        .files
        .len()
}

/// Graph's permissions reference (3 MB) parsed and indexed.
#[divan::bench]
fn permissions_parse() -> usize {
    let Some(bytes) = PERMISSIONS.as_ref() else {
        return 0;
    };
    permissions::parse("permissions.json", black_box(bytes))
        .expect("parse")
        .len()
}

/// What an up-to-date `cargo run` does instead of generating: hash metadata/,
/// compare the stamp's output hashes with the files and look for strays. Measured
/// on a scratch copy stamped first, so the answer is "fresh".
#[divan::bench]
fn stamp_check(bencher: divan::Bencher) {
    let scratch = support::generation_copy();
    std::fs::create_dir(scratch.path().join("target")).expect("target");
    let generator = GeneratorId::named("bench");
    let key = Key::current(&RealFs, scratch.path(), &generator).expect("key");
    let files = pipeline::generate(&COMMITTED).expect("generate");
    stamp::record(&RealFs, scratch.path(), &key, &files).expect("record");
    bencher.bench(|| {
        let key = Key::current(&RealFs, scratch.path(), &generator).expect("key");
        let fresh = stamp::fresh_outputs(&RealFs, scratch.path(), &key, emit::OWNED_DIRS);
        assert_eq!(fresh, Some(files.len()));
    });
}
