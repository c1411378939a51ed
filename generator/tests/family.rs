//! The metadata Graph really serves (`../shared/metadata/family/`: other clouds,
//! other dates) and the two files beside it: `update --from` each, with the full
//! permissions reference, into a copy of the workspace. Every file gives a complete
//! client: the slice is the file's closure, every documented endpoint of the types
//! present is generated (PUT secrets included, bulk upload only where the file has
//! it), and the crate compiles. Also: an update that does not change the API
//! touches at most two generated files, and one that drops bulk upload says so.

use msgraph_sync_generator::fixups::{self, Outcome};
use msgraph_sync_generator::model::PathTarget;
use msgraph_sync_generator::pipeline::{self, UpdateOptions, UpdatePlan};
use msgraph_sync_generator::write::RealFs;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

mod support;
use support::{copy_dir, repo, shared_metadata};

/// Every served file and the two files one folder up (the tests that read them
/// are ignored, with the reason, without `../shared`).
fn family() -> Vec<PathBuf> {
    let shared = shared_metadata();
    let entries = std::fs::read_dir(shared.join("family"))
        .unwrap_or_else(|err| panic!("{}: {err}", shared.join("family").display()));
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.push(shared.join("graph-v1.0.csdl.xml"));
    files.push(shared.join("graph-beta-usnat.csdl.xml"));
    files.sort();
    files
}

fn permissions() -> String {
    shared_metadata()
        .join("permissions.json")
        .display()
        .to_string()
}

/// A copy of the workspace's sources (no target, no git, no fuzz corpora).
fn workspace_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let skip = ["target", ".git", "corpus", "artifacts", "coverage", "fuzz"];
    copy_dir(&repo(), dir.path(), &skip);
    dir
}

fn plan(root: &Path, from: &Path) -> UpdatePlan {
    let options = UpdateOptions {
        permissions: Some(permissions()),
        ..UpdateOptions::default()
    };
    pipeline::plan_update(&RealFs, root, &from.display().to_string(), &options)
        .unwrap_or_else(|err| panic!("update --from {}: {err}", from.display()))
}

fn has_type(bytes: &[u8], local: &str) -> bool {
    let needle = format!("<EntityType Name=\"{local}\"");
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
#[cfg_attr(
    not(shared_data),
    ignore = "needs ../shared/metadata (the metadata Graph serves), absent beside this checkout"
)]
fn every_served_file_gives_a_complete_client_that_compiles() {
    let files = family();
    let mut compiled: BTreeMap<Vec<(String, String)>, String> = BTreeMap::new();
    let reference = reference_endpoints(files.iter().find(|f| f.ends_with("graph-v1.0.csdl.xml")));
    assert!(reference.len() >= 66, "{}", reference.len());
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let dir = workspace_copy();
        let root = dir.path();
        let plan = plan(root, file);
        pipeline::write_plan(&RealFs, root, &plan).expect("write");
        let loaded = pipeline::load(root).expect("the written metadata loads");
        let full_bytes = std::fs::read(file).expect("read");
        let grants = loaded.permissions.grants();
        let full =
            pipeline::analyze(&name, &full_bytes, &loaded.profile, &grants).expect("analyze");

        // The slice is exactly the file's closure.
        let closure = |a: &pipeline::Analysis| a.closure.types.keys().cloned().collect::<Vec<_>>();
        assert_eq!(closure(&loaded.analysis), closure(&full), "{name}: closure");
        let declared: BTreeSet<String> = loaded
            .analysis
            .model
            .types
            .keys()
            .filter(|t| !loaded.analysis.closure.contains(t))
            .cloned()
            .collect();
        let entry_types: BTreeSet<String> = loaded
            .analysis
            .model
            .entry_sets
            .values()
            .map(|s| s.entity_type.clone())
            .collect();
        assert!(
            declared.is_subset(&entry_types),
            "{name}: the slice declares types outside the closure: {declared:?}"
        );

        // Every documented endpoint of the types present: those of the cleaned
        // v1.0 file, less the ones whose operation or media type this file lacks.
        let endpoints = endpoints(&loaded.analysis);
        let operations: BTreeSet<&str> = full
            .model
            .operations
            .iter()
            .map(|op| op.local_name())
            .collect();
        for (endpoint, needs) in &reference {
            let present = match needs {
                None => true,
                Some(n) if n == "bulkUpload" => has_type(&full_bytes, "bulkUpload"),
                Some(op) => operations.contains(op.as_str()),
            };
            assert_eq!(
                endpoints.contains(endpoint),
                present,
                "{name}: {endpoint} (needs {needs:?})"
            );
        }
        for set in [
            "servicePrincipals/{servicePrincipal-id}",
            "applications/{application-id}",
        ] {
            let secrets = format!("PUT /{set}/synchronization/secrets");
            assert!(endpoints.contains(&secrets), "{name}: {secrets} missing");
        }

        // The crate compiles; identical outputs are compiled once.
        let generated: Vec<(String, String)> = plan
            .files
            .iter()
            .filter(|f| f.path.starts_with("generated/") && !f.path.ends_with("models/mod.rs"))
            .map(|f| (f.path.clone(), f.contents.clone()))
            .collect();
        if let Some(same) = compiled.get(&generated) {
            println!("{name}: same crate as {same}");
            continue;
        }
        cargo_check(root, &name);
        compiled.insert(generated, name);
    }
    println!(
        "{} files, {} distinct crates compiled",
        files.len(),
        compiled.len()
    );
}

/// `METHOD /path` of every endpoint of an analysis.
fn endpoints(analysis: &pipeline::Analysis) -> BTreeSet<String> {
    analysis
        .paths
        .iter()
        .flat_map(|p| {
            let template = p.template();
            p.endpoints
                .iter()
                .map(move |e| format!("{} {template}", e.method))
        })
        .collect()
}

/// The endpoints the cleaned v1.0 file gives, each with the bound operation or
/// media type it needs (a file without it cannot have the endpoint).
fn reference_endpoints(cleaned: Option<&PathBuf>) -> BTreeMap<String, Option<String>> {
    let cleaned = cleaned.expect("graph-v1.0.csdl.xml");
    let dir = workspace_copy();
    let plan = plan(dir.path(), cleaned);
    pipeline::write_plan(&RealFs, dir.path(), &plan).expect("write");
    let analysis = pipeline::load(dir.path()).expect("load").analysis;
    let mut out = BTreeMap::new();
    for path in &analysis.paths {
        let needs = match &path.target {
            PathTarget::Operation(index) => {
                Some(analysis.model.operations[*index].local_name().to_string())
            }
            PathTarget::Single(t) if t == "microsoft.graph.bulkUpload" => {
                Some("bulkUpload".to_string())
            }
            _ => None,
        };
        let template = path.template();
        for e in &path.endpoints {
            out.insert(format!("{} {template}", e.method), needs.clone());
        }
    }
    out
}

fn cargo_check(root: &Path, name: &str) {
    let target = repo().join("target/family-check");
    let out = Command::new(env!("CARGO"))
        .args(["check", "-q", "--offline", "-p", "msgraph-sync", "--lib"])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo check runs");
    assert!(
        out.status.success(),
        "{name}: the generated crate does not compile:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[cfg_attr(
    not(shared_data),
    ignore = "needs ../shared/metadata (the metadata Graph serves), absent beside this checkout"
)]
fn an_update_without_api_change_rewrites_at_most_two_generated_files() {
    let files = family();
    let file = files
        .iter()
        .find(|f| f.ends_with("v1.0-Prod-2024-10-08.csdl.xml"))
        .expect("Prod-2024-10-08 in the family");
    let dir = workspace_copy();
    let plan = plan(dir.path(), file);
    assert!(plan.no_previous.is_none(), "{:?}", plan.no_previous);
    assert!(plan.changes.is_empty(), "{}", plan.changes.to_text());
    assert_eq!(plan.changes.to_text(), "no API change\n");
    let differences = msgraph_sync_generator::write::compare(&RealFs, dir.path(), &plan.files, &[])
        .expect("compare");
    let generated: Vec<&str> = differences
        .iter()
        .map(|d| d.path.as_str())
        .filter(|p| p.starts_with("generated/"))
        .collect();
    assert!(generated.len() <= 2, "{generated:?}");
}

#[test]
#[cfg_attr(
    not(shared_data),
    ignore = "needs ../shared/metadata (the metadata Graph serves), absent beside this checkout"
)]
fn an_update_from_a_cloud_without_bulk_upload_reports_it_removed_and_breaking() {
    let files = family();
    let file = files
        .iter()
        .find(|f| f.ends_with("v1.0-USSec.csdl.xml"))
        .expect("USSec in the family");
    let dir = workspace_copy();
    let plan = plan(dir.path(), file);
    let text = plan.changes.to_text();
    for expected in [
        "! breaking microsoft.graph.bulkUpload: entity type removed",
        "! breaking POST /servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/bulkUpload: endpoint removed",
    ] {
        assert!(text.contains(expected), "{expected} not in:\n{text}");
    }
    assert!(plan.changes.breaking() >= 2);
    assert!(
        plan.absences
            .iter()
            .any(|a| a.contains("`microsoft.graph.bulkUpload` is not in")),
        "{:?}",
        plan.absences
    );
    let markdown = plan.changes.to_markdown("changes");
    assert!(
        markdown.contains("| **breaking** | `microsoft.graph.bulkUpload` | entity type removed |")
    );
}

/// k8s-openapi's "never applied" check: a rule that no served file needs any more
/// fails here, so it gets deleted instead of lingering.
#[test]
#[cfg_attr(
    not(shared_data),
    ignore = "needs ../shared/metadata (the metadata Graph serves), absent beside this checkout"
)]
fn fixups_are_still_needed() {
    let files = family();
    let mut applied: BTreeMap<&str, usize> = BTreeMap::new();
    for file in &files {
        let bytes = std::fs::read(file).expect("read");
        let csdl = msgraph_sync_generator::csdl::read("family", &bytes).expect("read");
        let mut model = msgraph_sync_generator::model::resolve(&csdl).expect("resolve");
        for report in fixups::apply(&mut model) {
            let count = applied.entry(report.name).or_default();
            if matches!(report.outcome, Outcome::Applied(_)) {
                *count += 1;
            }
        }
    }
    for (name, count) in applied {
        assert!(
            count > 0,
            "fixup `{name}` is applied to no file: Graph no longer needs it"
        );
    }
}
