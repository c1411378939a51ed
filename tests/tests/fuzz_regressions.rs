//! The fuzz targets' bodies (`msgraph_sync_tests::fuzzing`) on stable: every crash
//! the fuzzers found (`tests/fuzz/regressions/<target>/`), every committed seed
//! (`tests/fuzz/seeds/<target>/`), every CSDL fixture, a few hundred deterministic
//! structural mutations of each CSDL document, the generator's samples and the
//! documented JSON examples (when `../shared/examples` is present). A failure names
//! the target and the input file.

use msgraph_sync::models::TYPE_NAMES;
use msgraph_sync_tests::fuzzing::{self, TARGETS};
use msgraph_sync_tests::samples;
use msgraph_sync_tests::{documented_examples_dir, workspace_root};
use serde_json::Value;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// Files below `dir` (recursively), sorted; none when it does not exist.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Runs `f`, turning a panic into an error message for the report.
fn guarded(label: &str, f: impl FnOnce()) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        let short: String = message.chars().take(600).collect();
        format!("{label}: {short}")
    })
}

fn assert_no_failures(what: &str, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} of the {what} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_regression_and_seed_input_replays() {
    let fuzz = workspace_root().join("tests/fuzz");
    let mut failures = Vec::new();
    for kind in ["regressions", "seeds"] {
        let mut counts = Vec::new();
        for target in TARGETS {
            let files = files_in(&fuzz.join(kind).join(target));
            for file in &files {
                let data = std::fs::read(file).expect("readable");
                let label = format!("{target} {}", file.display());
                if let Err(err) = guarded(&label, || {
                    assert!(fuzzing::run(target, &data), "unknown target");
                }) {
                    failures.push(err);
                }
            }
            counts.push(format!("{target} {}", files.len()));
        }
        println!("{kind} replayed: {}", counts.join(", "));
    }
    assert_no_failures("regression and seed inputs", &failures);
}

#[test]
fn every_csdl_fixture_goes_through_csdl_read() {
    let root = workspace_root();
    let mut files = files_in(&root.join("generator/tests/fixtures"));
    files.extend(files_in(&root.join("metadata")));
    files.retain(|f| f.extension().is_some_and(|x| x == "xml"));
    assert!(
        files.len() > 10,
        "expected the CSDL fixtures, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for file in &files {
        let data = std::fs::read(file).expect("readable");
        if let Err(err) = guarded(&file.display().to_string(), || fuzzing::csdl_read(&data)) {
            failures.push(err);
        }
    }
    println!("csdl_read: {} fixtures", files.len());
    assert_no_failures("CSDL fixtures", &failures);
}

/// A small deterministic generator (xorshift64*) for mutation inputs.
fn pseudo_random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

#[test]
fn structural_mutations_of_every_document_close_and_slice() {
    let docs = fuzzing::seed_documents();
    assert!(
        docs.len() > 10,
        "expected the slice and the fixtures, found {}",
        docs.len()
    );
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    for (index, (name, _)) in docs.iter().enumerate() {
        let index = u8::try_from(index).expect("fewer than 256 documents");
        // Unmutated, with one root and then three; every entry set; emitted (the 2s
        // keep entry sets and then select emission).
        let mut one_root = vec![0, index, 0, 0, 0, 0, 0];
        one_root.extend([2; 40]);
        let mut three_roots = vec![0, index, 0, 2, 0, 1, 0, 5, 0, 9, 0];
        three_roots.extend([2; 40]);
        inputs.push((format!("{name} unmutated"), one_root));
        inputs.push((format!("{name} unmutated"), three_roots));
        // Mutated: 24 inputs per document, up to 7 mutations each.
        for k in 0..24u64 {
            let mut input = vec![0, index];
            input.extend(pseudo_random_bytes(u64::from(index) << 8 | k, 96));
            inputs.push((format!("{name} mutated"), input));
        }
    }
    let mut failures = Vec::new();
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    for (label, input) in &inputs {
        let label = format!("model_closure {label} {input:?}");
        let mut outcome = None;
        match guarded(&label, || {
            outcome = Some(fuzzing::model_closure_outcome(input))
        }) {
            Ok(()) => {
                *outcomes
                    .entry(format!("{:?}", outcome.expect("set")))
                    .or_default() += 1
            }
            Err(err) => failures.push(err),
        }
    }
    let runs = inputs.len();
    println!(
        "model_closure: {runs} inputs over {} documents: {outcomes:?}",
        docs.len()
    );
    assert_no_failures("structural mutations", &failures);
}

#[test]
fn samples_go_through_registry_decode() {
    let mut failures = Vec::new();
    let mut runs = 0;
    for (name, sample, _) in samples::of_committed_crate() {
        let json = sample.to_string();
        let collection = Value::Array(vec![sample]).to_string();
        for (type_name, text) in [
            (name.clone(), json),
            (format!("Collection({name})"), collection),
        ] {
            if let Err(err) = guarded(&type_name, || {
                fuzzing::registry_decode_as(&type_name, &text)
            }) {
                failures.push(err);
            }
            runs += 1;
        }
    }
    println!("registry_decode: {runs} generator samples");
    assert_no_failures("samples", &failures);
}

#[test]
#[cfg_attr(
    not(shared_data),
    ignore = "needs ../shared (Graph's full metadata and documented examples), absent beside this checkout"
)]
fn documented_examples_go_through_registry_decode() {
    let mut failures = Vec::new();
    let files: Vec<PathBuf> = files_in(&documented_examples_dir())
        .into_iter()
        .filter(|f| f.extension().is_some_and(|x| x == "json"))
        .collect();
    let mut strings = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        // Every example under every type: most fail to decode, which is fine; what
        // decodes must round-trip.
        for type_name in TYPE_NAMES {
            let label = format!("{type_name} {}", file.display());
            if let Err(err) = guarded(&label, || fuzzing::registry_decode_as(type_name, &text)) {
                failures.push(err);
            }
        }
        // Every string in it through the duration and flags parsers.
        if let Ok(value) = serde_json::from_str::<Value>(&text) {
            let mut stack = vec![value];
            while let Some(value) = stack.pop() {
                match value {
                    Value::String(s) => {
                        strings += 1;
                        let label = format!("string {s:?} in {}", file.display());
                        if let Err(err) = guarded(&label, || {
                            fuzzing::duration_text(&s);
                            fuzzing::flags_text(&s);
                        }) {
                            failures.push(err);
                        }
                    }
                    Value::Array(items) => stack.extend(items),
                    Value::Object(map) => stack.extend(map.into_iter().map(|(_, v)| v)),
                    _ => {}
                }
            }
        }
    }
    println!(
        "registry_decode: {} examples x {} types; {strings} example strings through duration and flags",
        files.len(),
        TYPE_NAMES.len()
    );
    assert_no_failures("documented examples", &failures);
}
