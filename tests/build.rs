//! Generates the models of every quirk fixture (generator/tests/fixtures/csdl) into
//! OUT_DIR so that `cargo build` compiles them: the emitter's output must compile
//! for keyword names, name clashes, memberless enums, overloads and the rest.

use std::path::Path;

// The generator's test support, shared with its emitter snapshots.
#[path = "../generator/tests/support/fixture_models.rs"]
mod fixture_models;

fn main() {
    detect_shared_data();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/tests/fixtures/csdl");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    println!("cargo:rerun-if-changed=../generator/src");
    println!("cargo:rerun-if-changed=../generator/tests/support/fixture_models.rs");
    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .map(|dir| {
            dir.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.ends_with(".xml"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::new();
    for name in names {
        let path = fixtures.join(&name);
        println!("cargo:rerun-if-changed={}", path.display());
        let bytes = std::fs::read(&path).unwrap_or_default();
        let files = match fixture_models::models_of_document(&name, &bytes) {
            Ok(files) => files,
            Err(err) => {
                println!("cargo:warning=fixture {name} does not generate: {err}");
                std::process::exit(1);
            }
        };
        let module = name.trim_end_matches(".xml");
        out.push_str(&format!(
            "/// Models generated from the fixture `{name}`.\npub mod {module} {{\n{}\n}}\n",
            fixture_models::inline_modules(&files)
        ));
    }
    let target = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("fixture_models.rs");
    if let Err(err) = std::fs::write(&target, out) {
        println!("cargo:warning=cannot write {}: {err}", target.display());
        std::process::exit(1);
    }
}

/// Sets `cfg(shared_data)` when `../shared` (Graph's full metadata and documented
/// examples, kept beside the workspace) is present, so that the tests that need it
/// run; without it they show as ignored in the `cargo test` summary, with the reason.
/// The folder is watched only while it exists: after adding it to a clone, touch this
/// file (or `cargo clean -p msgraph-sync-tests`) so that the tests stop being ignored.
fn detect_shared_data() {
    println!("cargo::rustc-check-cfg=cfg(shared_data)");
    println!("cargo:rerun-if-changed=build.rs");
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    if shared.join("metadata").is_dir() && shared.join("examples").is_dir() {
        println!(
            "cargo:rerun-if-changed={}",
            shared.join("metadata").display()
        );
        println!(
            "cargo:rerun-if-changed={}",
            shared.join("examples").display()
        );
        println!("cargo::rustc-cfg=shared_data");
    }
}
