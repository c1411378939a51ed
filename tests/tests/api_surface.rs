//! Every path and method the metadata slice describes (what `inspect` lists) has a
//! builder method whose doc comment names it, and no builder documents an endpoint
//! the metadata does not describe.

use msgraph_sync_generator::pipeline;
use msgraph_sync_tests::workspace_root;
use std::collections::BTreeSet;

#[test]
fn every_endpoint_of_the_slice_has_a_builder_and_no_more() {
    let root = workspace_root();
    let loaded = pipeline::load(&root).expect("metadata/ loads");
    let expected: BTreeSet<String> = loaded
        .analysis
        .paths
        .iter()
        .flat_map(|path| {
            let template = path.template();
            path.endpoints
                .iter()
                .map(move |e| format!("{} {template}", e.method.as_str()))
        })
        .collect();
    let mut documented = BTreeSet::new();
    for entry in std::fs::read_dir(root.join("generated/src/api")).expect("api folder") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
        for line in text.lines() {
            let Some(doc) = line.trim().strip_prefix("/// `") else {
                continue;
            };
            let Some(endpoint) = doc.strip_suffix('`') else {
                continue;
            };
            if ["GET ", "POST ", "PUT ", "PATCH ", "DELETE "]
                .iter()
                .any(|m| endpoint.starts_with(m))
            {
                documented.insert(endpoint.to_string());
            }
        }
    }
    let missing: Vec<_> = expected.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&expected).collect();
    assert!(
        missing.is_empty(),
        "endpoints without a builder: {missing:#?}"
    );
    assert!(
        extra.is_empty(),
        "builders for endpoints the metadata does not describe: {extra:#?}"
    );
    assert_eq!(
        expected.len(),
        66,
        "the synchronization API of graph-v1.0 has 66 endpoints on 56 paths"
    );
    println!("{} endpoints, each with a builder", expected.len());
}
