//! Generation speed: from Graph's full v1.0 CSDL (3.5 MB) to formatted files in
//! memory, and from the committed slice in metadata/ (what `cargo run` does,
//! without the disk writes).

use msgraph_sync_generator::lock::{Lock, SourceLock};
use msgraph_sync_generator::pipeline::{self, Loaded};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

static COMMITTED: LazyLock<Loaded> = LazyLock::new(|| pipeline::load(&root()).expect("load"));

static FULL: LazyLock<Option<Vec<u8>>> =
    LazyLock::new(|| std::fs::read(root().join("../shared/metadata/graph-v1.0.csdl.xml")).ok());

fn main() {
    if FULL.is_none() {
        println!(
            "skipped generate_from_full_csdl: ../shared/metadata/graph-v1.0.csdl.xml not found"
        );
    }
    divan::main();
}

/// `cargo run` without writing: load metadata/, generate every file.
#[divan::bench]
fn generate_from_slice() -> usize {
    let loaded = pipeline::load(&root()).expect("load");
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
    let permitted = |template: &str| pipeline::permitted_methods(&committed.permissions, template);
    let analysis = pipeline::analyze(
        "graph-v1.0.csdl.xml",
        black_box(bytes),
        &committed.profile,
        &permitted,
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
        },
        permissions: committed.permissions.clone(),
        analysis,
    };
    pipeline::generate(&loaded).expect("generate").len()
}
