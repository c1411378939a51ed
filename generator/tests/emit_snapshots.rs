//! Emitter output for each quirk fixture, pinned with insta snapshots (review a
//! change with `cargo insta review` or by reading the `.snap.new` file). The same
//! outputs are compiled by the tests crate's build script.
//!
//! The fixtures are found by `glob!`: a new fixture gets a snapshot without being
//! listed here.

mod support;

use std::path::Path;
use support::fixture_models::models_of_document;

/// The reader's every-element fixture: it has no quirk for the emitter of its own
/// (the tests crate's build script still compiles its models).
const NOT_SNAPSHOT: &str = "all_elements.xml";

fn snapshot(path: &Path) -> String {
    let name = file_name(path);
    let bytes = std::fs::read(path).expect("fixture");
    let files = models_of_document(name, &bytes).expect("fixture generates");
    files
        .iter()
        .map(|f| format!("=== {}\n{}", f.path, f.contents))
        .collect::<Vec<_>>()
        .join("\n")
}

fn file_name(path: &Path) -> &str {
    path.file_name()
        .and_then(|n| n.to_str())
        .expect("a UTF-8 file name")
}

#[test]
fn every_quirk_fixture_has_its_models_pinned() {
    insta::glob!("fixtures/csdl/*.xml", |path| {
        let name = file_name(path);
        if name == NOT_SNAPSHOT {
            return;
        }
        // One snapshot per fixture, named after it alone (`emit_snapshots__aliases`),
        // as before the fixtures were discovered; glob! would add `@aliases.xml`.
        let mut settings = insta::Settings::clone_current();
        settings.remove_snapshot_suffix();
        settings.bind(|| {
            insta::assert_snapshot!(name.trim_end_matches(".xml"), snapshot(path));
        });
    });
}

/// An operation returning a runtime value type imports it from its module
/// (once this came out as an identifier, `runtime__DateTimeOffset`).
#[test]
fn an_operation_returning_a_date_time_imports_it_from_its_runtime_module() {
    let path = support::csdl_fixture("date_time_returns.xml");
    let bytes = std::fs::read(&path).expect("fixture");
    let files = models_of_document("date_time_returns.xml", &bytes).expect("fixture generates");
    let api = files
        .iter()
        .find(|f| f.path == "generated/src/api/service_principals.rs")
        .expect("request builders");
    assert!(
        api.contents
            .contains("use crate::runtime::date_time::DateTimeOffset;\n"),
        "{}",
        api.contents
    );
    assert!(api.contents.contains("-> GetRequest<DateTimeOffset>"));
    assert!(api.contents.contains("-> SendRequest<DateTimeOffset>"));
    assert!(files.iter().all(|f| !f.contents.contains("runtime__")));
}
