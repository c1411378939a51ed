//! The drift check as a test: regenerate in memory and compare with the committed
//! files. Fails with a unified diff per changed, missing or stray file.

use msgraph_sync_generator::{emit, pipeline, write};

#[test]
fn generated_files_are_up_to_date() {
    let root = msgraph_sync_tests::workspace_root();
    let loaded = pipeline::load(&root).expect("metadata/ loads");
    let files = pipeline::generate(&loaded).expect("generation succeeds");
    let differences =
        write::compare(&write::RealFs, &root, &files, emit::OWNED_DIRS).expect("compare");
    if !differences.is_empty() {
        let mut report = String::new();
        for d in &differences {
            report.push_str(&format!("{} {}\n{}\n", d.kind, d.path, d.diff));
        }
        panic!(
            "{} generated file(s) are stale. Run `cargo run` and commit the result.\n\n{report}",
            differences.len()
        );
    }
}

#[test]
fn generation_is_deterministic() {
    let root = msgraph_sync_tests::workspace_root();
    let first = pipeline::generate(&pipeline::load(&root).expect("load")).expect("generate");
    let second = pipeline::generate(&pipeline::load(&root).expect("load")).expect("generate");
    assert_eq!(first, second, "two generations from the same input differ");
}

/// Every file says `@generated` and how to regenerate; the source's hash is in
/// exactly one of them (so an update that leaves the API alone touches one file).
#[test]
fn every_generated_file_carries_the_header_and_one_records_the_lock_hash() {
    let root = msgraph_sync_tests::workspace_root();
    let loaded = pipeline::load(&root).expect("load");
    let files = pipeline::generate(&loaded).expect("generate");
    for file in &files {
        let first_line = file.contents.lines().next().unwrap_or_default();
        assert!(
            first_line.starts_with(write::GENERATED_MARKER),
            "{}: {first_line}",
            file.path
        );
        assert!(file.contents.contains("run `cargo run`"), "{}", file.path);
    }
    let with_hash: Vec<&str> = files
        .iter()
        .filter(|f| f.contents.contains(&loaded.lock.csdl.sha256))
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(with_hash, ["generated/src/models/mod.rs"]);
}
