//! Sets `cfg(shared_data)` when `../shared/metadata` (Graph's full CSDL files and
//! permissions reference, kept beside the workspace) is present. The integration tests
//! that read those files carry `#[cfg_attr(not(shared_data), ignore = "...")]`, so in a
//! clone without them they show as ignored, with the reason, instead of passing.
//! The folder is watched only while it exists: after adding it, touch this file (or
//! `cargo clean -p msgraph-sync-generator`). Nothing else depends on the cfg.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(shared_data)");
    println!("cargo:rerun-if-changed=build.rs");
    let metadata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/metadata");
    if metadata.is_dir() {
        println!("cargo:rerun-if-changed={}", metadata.display());
        println!("cargo::rustc-cfg=shared_data");
    }
}
