//! Graph's descriptions reach the generated code: every item of the committed
//! slice that Graph describes (types, properties, enum members, endpoints) shows
//! the text in its docs, and every description annotation in the slice belongs to
//! a generated item. Also the extra-document reader and merge rules.

use msgraph_sync_generator::descriptions::{self, DESCRIPTION, LONG_DESCRIPTION};
use msgraph_sync_generator::emit::{GeneratedFile, TypeSpace, names};
use msgraph_sync_generator::model::{Model, TypeDef};
use msgraph_sync_generator::pipeline;
use std::collections::{BTreeMap, BTreeSet};

mod support;
use support::repo;

/// The doc comment text of a file, with Markdown escapes and URL brackets removed.
fn docs_of(contents: &str) -> String {
    let docs: Vec<&str> = contents
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            l.strip_prefix("///").or_else(|| l.strip_prefix("//!"))
        })
        .map(str::trim)
        .collect();
    normalize(&docs.join("\n"))
}

fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\\' | '<' | '>'))
        .collect()
}

fn shows(docs: &str, text: &str) -> bool {
    text.trim()
        .lines()
        .all(|line| docs.contains(&normalize(line.trim())))
}

fn texts(model: &Model, target: &str) -> Vec<String> {
    [DESCRIPTION, LONG_DESCRIPTION]
        .iter()
        .filter_map(
            |term| match model.annotation(target, term)?.value.as_ref()? {
                msgraph_sync_generator::csdl::Expr::String(s) if !s.trim().is_empty() => {
                    Some(s.clone())
                }
                _ => None,
            },
        )
        .collect()
}

#[derive(Default)]
struct Coverage {
    described: BTreeMap<&'static str, usize>,
    undescribed: BTreeMap<&'static str, Vec<String>>,
    missing: Vec<String>,
    checked_targets: BTreeSet<String>,
}

impl Coverage {
    fn check(&mut self, kind: &'static str, target: &str, wanted: &[String], docs: &str) {
        self.checked_targets.insert(target.to_string());
        if wanted.is_empty() {
            self.undescribed
                .entry(kind)
                .or_default()
                .push(target.to_string());
            return;
        }
        *self.described.entry(kind).or_default() += 1;
        for text in wanted {
            if !shows(docs, text) {
                self.missing.push(format!("{kind} {target}: {text}"));
            }
        }
    }
}

#[test]
fn every_item_graph_describes_shows_its_description() {
    let root = repo();
    let loaded = pipeline::load(&root).expect("metadata/ loads");
    let files = pipeline::generate(&loaded).expect("generates");
    let docs: BTreeMap<&str, String> = files
        .iter()
        .map(|f: &GeneratedFile| (f.path.as_str(), docs_of(&f.contents)))
        .collect();
    let analysis = &loaded.analysis;
    let model = &analysis.model;
    let space = TypeSpace::new(model, &analysis.closure, &loaded.profile);
    let mut coverage = Coverage::default();
    let mut seen_properties = BTreeSet::new();
    for (def, rust_name) in space.types() {
        let path = format!("generated/src/models/{}.rs", names::module_name(rust_name));
        let Some(file_docs) = docs.get(path.as_str()) else {
            continue;
        };
        coverage.check("type", def.name(), &texts(model, def.name()), file_docs);
        match def {
            TypeDef::Structured(s) => {
                for p in model.all_properties(&s.name) {
                    let target = format!("{}/{}", p.declared_in, p.name);
                    let wanted = texts(model, &target);
                    if seen_properties.insert(target.clone()) {
                        coverage.check("property", &target, &wanted, file_docs);
                    } else {
                        // An inherited property: its description shows in every type.
                        coverage.check("inherited property", &target, &wanted, file_docs);
                    }
                }
            }
            TypeDef::Enum(e) => {
                for m in &e.members {
                    let target = format!("{}/{}", e.name, m.name);
                    coverage.check("enum member", &target, &texts(model, &target), file_docs);
                }
            }
            TypeDef::Definition(_) => {}
        }
    }
    let api_docs: String = docs
        .iter()
        .filter(|(path, _)| path.starts_with("generated/src/api/"))
        .map(|(_, d)| d.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for path in &analysis.paths {
        for endpoint in &path.endpoints {
            let text = descriptions::endpoint_text(model, path, endpoint);
            let label = format!("{} {}", endpoint.method, path.template());
            let wanted: Vec<String> = [&text.summary, &text.description, &text.link]
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            coverage.check("endpoint", &label, &wanted, &api_docs);
            if text.summary.is_some() && text.link.is_none() {
                coverage
                    .undescribed
                    .entry("endpoint without a reference link")
                    .or_default()
                    .push(label.clone());
            }
        }
        if let Some(target) = descriptions::target_path(model, path) {
            coverage.checked_targets.insert(target);
        }
    }
    for index in &analysis.closure.operations {
        if let Some(target) = descriptions::operation_target(model, *index) {
            coverage.checked_targets.insert(target);
        }
    }
    let stray: Vec<&String> = model
        .annotations
        .iter()
        .filter(|(_, list)| {
            list.iter()
                .any(|a| a.term == DESCRIPTION || a.term == LONG_DESCRIPTION)
        })
        .map(|(target, _)| target)
        .filter(|target| !coverage.checked_targets.contains(*target))
        .collect();

    for (kind, items) in &coverage.undescribed {
        println!("Graph gives no text for {} {kind}(s):", items.len());
        for item in items {
            println!("  {item}");
        }
    }
    println!("described: {:?}", coverage.described);
    assert!(
        coverage.missing.is_empty(),
        "{} described items lack their text in the generated docs:\n{}",
        coverage.missing.len(),
        coverage.missing.join("\n")
    );
    assert!(
        stray.is_empty(),
        "description annotations whose target is no generated item: {stray:?}"
    );
    // The committed slice carries Graph's descriptions (134 properties, 60 endpoints).
    assert!(coverage.described.get("property").copied().unwrap_or(0) >= 100);
    assert!(coverage.described.get("endpoint").copied().unwrap_or(0) >= 50);
}

/// The committed slice without the request and operation descriptions, analysed.
fn slice_without_request_texts() -> (pipeline::Analysis, pipeline::Loaded) {
    let root = repo();
    let loaded = pipeline::load(&root).expect("metadata/ loads");
    let mut csdl = loaded.analysis.csdl.clone();
    for schema in &mut csdl.schemas {
        schema
            .annotations
            .retain(|b| !b.target.contains("GraphService/") && !b.target.contains('('));
    }
    let xml = msgraph_sync_generator::slice::xml::write(&csdl, "");
    let grants = loaded.permissions.grants();
    let analysis = pipeline::analyze("stripped", xml.as_bytes(), &loaded.profile, &grants)
        .expect("stripped slice analyses");
    (analysis, loaded)
}

#[test]
fn operations_table_rows_become_annotations_on_their_requests() {
    let (mut analysis, _) = slice_without_request_texts();
    let table = "method\tpath\tsummary\tdescription\texternalDocs_url\n\
        POST\t/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/microsoft.graph.start\tStart it\tStarts the job.\thttps://example.test/start\n\
        GET\t/SERVICEPRINCIPALS/{id}/synchronization/jobs/{jobId}\tGet a job\t\t\n\
        GET\t/servicePrincipals/{id}/synchronization/jobs\tList jobs\tAll of them.\thttps://example.test/list\n\
        GET\t/servicePrincipals/{id}/nothing\tNo such path\t\t\n";
    let extra = descriptions::load("ops.tsv", table.as_bytes()).expect("table reads");
    let summary = descriptions::merge(
        &mut analysis.csdl,
        &analysis.model,
        &analysis.paths,
        &[extra],
    );
    // start: Description, LongDescription, Links; jobs: one ReadRestrictions
    // record (the list and, nested, the read by key) and its Links.
    assert_eq!(summary.added, 5, "{summary:?}");
    assert_eq!(
        summary.unmatched_rows,
        ["ops.tsv:5: GET /servicePrincipals/{id}/nothing"]
    );
    let model = msgraph_sync_generator::model::resolve(&analysis.csdl).expect("resolves");
    let text_of = |method: &str, template: &str| {
        let path = analysis
            .paths
            .iter()
            .find(|p| p.template() == template)
            .expect("path");
        let endpoint = path
            .endpoints
            .iter()
            .find(|e| e.method.as_str() == method)
            .expect("endpoint");
        descriptions::endpoint_text(&model, path, endpoint)
    };
    let start = text_of(
        "POST",
        "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/start",
    );
    assert_eq!(start.summary.as_deref(), Some("Start it"));
    assert_eq!(start.description.as_deref(), Some("Starts the job."));
    assert_eq!(start.link.as_deref(), Some("https://example.test/start"));
    let get = text_of(
        "GET",
        "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}",
    );
    assert_eq!(get.summary.as_deref(), Some("Get a job"));
    assert_eq!(get.link, None);
    let list = text_of(
        "GET",
        "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs",
    );
    assert_eq!(list.summary.as_deref(), Some("List jobs"));
    assert_eq!(list.link.as_deref(), Some("https://example.test/list"));
    // The same request under the other entry set stays undescribed.
    let other = text_of("GET", "/applications/{application-id}/synchronization/jobs");
    assert_eq!(other, descriptions::EndpointText::default());
}

#[test]
fn annotations_documents_are_qualified_and_the_main_document_wins() {
    let (mut analysis, _) = slice_without_request_texts();
    let doc = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:Reference Uri="https://example.test/Core.xml">
    <edmx:Include Namespace="Org.OData.Core.V1" Alias="C" />
  </edmx:Reference>
  <edmx:Reference Uri="https://example.test/Capabilities.xml">
    <edmx:Include Namespace="Org.OData.Capabilities.V1" Alias="Cap" />
  </edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="g" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <Annotations Target="g.synchronizationJob">
        <Annotation Term="C.Description" String="A job." />
        <Annotation Term="C.Computed" Bool="true" />
      </Annotations>
      <Annotations Target="g.synchronizationSchedule/interval">
        <Annotation Term="C.Description" String="Not this one." />
      </Annotations>
      <Annotations Target="g.synchronization/jobs">
        <Annotation Term="Cap.InsertRestrictions">
          <Record><PropertyValue Property="Description" String="Would add a POST" /></Record>
        </Annotation>
      </Annotations>
      <Annotations Target="g.GraphService/applications/synchronization/jobs">
        <Annotation Term="Cap.ReadRestrictions">
          <Record>
            <PropertyValue Property="Readable" Bool="false" />
            <PropertyValue Property="Description" String="List the jobs" />
          </Record>
        </Annotation>
      </Annotations>
      <Annotations Target="g.nothingHere">
        <Annotation Term="C.Description" String="Dangling." />
      </Annotations>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;
    let extra = descriptions::load("extra.xml", doc.as_bytes()).expect("document reads");
    let paths_before: Vec<String> = analysis.paths.iter().map(|p| p.template()).collect();
    let summary = descriptions::merge(
        &mut analysis.csdl,
        &analysis.model,
        &analysis.paths,
        &[extra],
    );
    // The job's description and the list's record; not Computed (no description
    // term), not the interval (the main document has one), not the insert record
    // (on a navigation property it would make an endpoint), not the dangling target.
    assert_eq!(summary.added, 2, "{summary:?}");
    assert_eq!(summary.kept_existing, 1);
    assert_eq!(summary.unresolved_targets, ["microsoft.graph.nothingHere"]);
    let model = msgraph_sync_generator::model::resolve(&analysis.csdl).expect("resolves");
    assert_eq!(
        texts(&model, "microsoft.graph.synchronizationJob"),
        ["A job."]
    );
    assert_ne!(
        texts(&model, "microsoft.graph.synchronizationSchedule/interval"),
        ["Not this one."]
    );
    let list = model
        .annotation(
            "microsoft.graph.GraphService/applications/synchronization/jobs",
            descriptions::READ_RESTRICTIONS,
        )
        .expect("read restrictions");
    assert!(
        list.record_value("Readable").is_none(),
        "only descriptions are taken"
    );
    assert!(list.record_value("Description").is_some());
    let loaded_profile = pipeline::load_profile(&repo()).expect("profile");
    let closure = msgraph_sync_generator::model::Closure::compute(&model, &loaded_profile.roots)
        .expect("closure");
    let tree =
        msgraph_sync_generator::model::build_paths(&model, &closure, &loaded_profile.entry_sets)
            .expect("paths");
    let no_permissions = msgraph_sync_generator::permissions::PermissionsSlice::new("none", vec![]);
    let paths = msgraph_sync_generator::model::apply_permissions(tree, &no_permissions.grants());
    let paths_after: Vec<String> = paths.paths.iter().map(|p| p.template()).collect();
    assert_eq!(paths_before, paths_after, "descriptions never add a path");
}

#[test]
fn malformed_tables_are_rejected_with_the_line() {
    let bad_header = descriptions::load("ops.tsv", b"verb\tpath\n").unwrap_err();
    assert!(bad_header.to_string().contains("ops.tsv:1"), "{bad_header}");
    let bad_method = descriptions::load(
        "ops.tsv",
        b"method\tpath\tsummary\tdescription\texternalDocs_url\nFETCH\t/x\ta\tb\tc\n",
    )
    .unwrap_err();
    assert!(
        bad_method.to_string().contains("ops.tsv:2: `FETCH`"),
        "{bad_method}"
    );
    let short = descriptions::load(
        "ops.tsv",
        b"method\tpath\tsummary\tdescription\texternalDocs_url\nGET\t/x\n",
    )
    .unwrap_err();
    assert!(short.to_string().contains("found 2"), "{short}");
    let not_csdl = descriptions::load("extra.xml", b"<html/>").unwrap_err();
    assert!(not_csdl.to_string().contains("extra.xml"), "{not_csdl}");
}

#[test]
fn update_takes_descriptions_and_keeps_them_on_the_next_update() {
    let repo = repo();
    let (analysis, _) = slice_without_request_texts();
    let work = tempfile::tempdir().expect("tempdir");
    let root = work.path().join("root");
    std::fs::create_dir_all(root.join("metadata")).expect("mkdir");
    for file in ["profile.toml", "permissions.json"] {
        std::fs::copy(
            repo.join("metadata").join(file),
            root.join("metadata").join(file),
        )
        .expect("copy");
    }
    let from = work.path().join("full.csdl.xml");
    let xml = msgraph_sync_generator::slice::xml::write(&analysis.csdl, "");
    std::fs::write(&from, xml).expect("write csdl");
    let table = work.path().join("ops.tsv");
    std::fs::write(
        &table,
        "method\tpath\tsummary\tdescription\texternalDocs_url\n\
         POST\t/servicePrincipals/{id}/synchronization/jobs/{id}/start\tStart it now\t\t\n",
    )
    .expect("write table");
    let update = |extra: &[&str]| {
        let mut args = vec!["update", "--from", from.to_str().expect("utf8")];
        args.extend(extra);
        let out = support::run_at(&root, &args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let stdout = update(&["--descriptions", table.to_str().expect("utf8")]);
    assert!(
        stdout.contains("descriptions: 1 annotations added"),
        "{stdout}"
    );
    let api = root.join("generated/src/api/service_principals.rs");
    let slice = root.join("metadata/synchronization.csdl.xml");
    for file in [&api, &slice] {
        let text = std::fs::read_to_string(file).expect("read");
        assert!(text.contains("Start it now"), "{}", file.display());
    }
    // Without --descriptions, the committed slice's descriptions are kept.
    update(&[]);
    let text = std::fs::read_to_string(&slice).expect("read");
    assert!(text.contains("Start it now"));
    assert!(
        std::fs::read_to_string(&api)
            .expect("read")
            .contains("Start it now")
    );
}
