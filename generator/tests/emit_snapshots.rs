//! Emitter output for each quirk fixture, pinned with insta snapshots (review a
//! change with `cargo insta review` or by reading the `.snap.new` file). The same
//! outputs are compiled by the tests crate's build script.

use msgraph_sync_generator::pipeline;
use std::path::Path;

fn snapshot(fixture: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/csdl")
        .join(fixture);
    let bytes = std::fs::read(&path).expect("fixture");
    let files = pipeline::models_of_document(fixture, &bytes).expect("fixture generates");
    files
        .iter()
        .map(|f| format!("=== {}\n{}", f.path, f.contents))
        .collect::<Vec<_>>()
        .join("\n")
}

macro_rules! fixture_snapshots {
    ($($name:ident => $file:literal),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                insta::assert_snapshot!(stringify!($name), snapshot($file));
            }
        )*
    };
}

fixture_snapshots! {
    aliases => "aliases.xml",
    annotations_across_schemas => "annotations_across_schemas.xml",
    bom => "bom.xml",
    date_time_returns => "date_time_returns.xml",
    flags_enum => "flags_enum.xml",
    function_and_complex_type => "function_and_complex_type.xml",
    has_stream => "has_stream.xml",
    keyword_names => "keyword_names.xml",
    memberless_enum => "memberless_enum.xml",
    namespace_clash => "namespace_clash.xml",
    overloads_by_binding => "overloads_by_binding.xml",
    untyped => "untyped.xml",
    update_method_put => "update_method_put.xml",
}

#[test]
fn every_fixture_has_a_snapshot_test() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csdl");
    let mut fixtures: Vec<String> = std::fs::read_dir(dir)
        .expect("fixtures")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".xml") && n != "all_elements.xml")
        .collect();
    fixtures.sort();
    let source = include_str!("emit_snapshots.rs");
    for fixture in fixtures {
        assert!(
            source.contains(&format!("\"{fixture}\"")),
            "no snapshot test for {fixture}"
        );
    }
}
