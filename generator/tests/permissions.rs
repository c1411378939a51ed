//! Tests of `permissions`: small fixtures for each quirk of Graph's permissions
//! reference, then the real `../shared/metadata/permissions.json` when present.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use msgraph_sync_generator::permissions::{
    self, PathPermissions, Permission, PermissionsErrorKind, PermissionsIndex, PermissionsSlice,
    Scheme, normalize_path,
};

const SECRETS: &str = "/servicePrincipals/{servicePrincipal-id}/synchronization/secrets";
const SCHEMA: &str =
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/schema";

mod support;
use support::permissions_fixture;

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(permissions_fixture(name)).expect("fixture exists")
}

fn fixture(name: &str) -> PermissionsIndex {
    permissions::parse(name, &fixture_bytes(name)).expect("fixture parses")
}

fn perm(name: &str, least: bool, level: Option<u32>) -> Permission {
    Permission {
        name: name.to_owned(),
        least_privileged: least,
        privilege_level: level,
        also_requires: Vec::new(),
    }
}

/// The seed's table for PUT .../synchronization/secrets (Graph docs, v1.0).
fn seed_secrets_table() -> BTreeMap<Scheme, Vec<Permission>> {
    BTreeMap::from([
        (
            Scheme::DelegatedWork,
            vec![perm("Synchronization.ReadWrite.All", true, Some(3))],
        ),
        (
            Scheme::Application,
            vec![
                perm("Application.ReadWrite.OwnedBy", true, Some(3)),
                perm("Synchronization.ReadWrite.All", false, Some(4)),
            ],
        ),
    ])
}

fn names(entry: &PathPermissions, scheme: Scheme) -> Vec<(&str, bool)> {
    entry.schemes.get(&scheme).map_or_else(Vec::new, |ps| {
        ps.iter()
            .map(|p| (p.name.as_str(), p.least_privileged))
            .collect()
    })
}

#[test]
fn scheme_order_names_and_labels() {
    assert!(Scheme::DelegatedWork < Scheme::DelegatedPersonal);
    assert!(Scheme::DelegatedPersonal < Scheme::Application);
    assert_eq!(Scheme::DelegatedPersonal.as_str(), "DelegatedPersonal");
    assert_eq!(
        Scheme::DelegatedWork.label(),
        "delegated (work or school account)"
    );
    assert_eq!(
        Scheme::DelegatedPersonal.label(),
        "delegated (personal Microsoft account)"
    );
    assert_eq!(Scheme::Application.label(), "application");
    assert_eq!(Scheme::parse("application"), Some(Scheme::Application));
    assert_eq!(Scheme::parse("DelegatedFuture"), None);
}

#[test]
fn normalization_ignores_case_parameter_names_and_trailing_slashes() {
    let expected = "/serviceprincipals/{}/synchronization/secrets";
    for spelling in [
        SECRETS,
        "/serviceprincipals/{id}/synchronization/secrets",
        "/servicePrincipals/{servicePrincipalId}/synchronization/secrets/",
        "servicePrincipals/{id}//synchronization/secrets",
        " /ServicePrincipals/{ id }/Synchronization/Secrets ",
    ] {
        assert_eq!(normalize_path(spelling), expected, "{spelling:?}");
    }
    assert_eq!(normalize_path("/"), "/");
    assert_ne!(
        normalize_path("/me/drive/root:/{id}:/content"),
        normalize_path("/me/drive/root/{id}/content")
    );
}

#[test]
fn case_and_parameter_names_differ_from_the_source() {
    let index = fixture("basic.json");
    let entry = index.lookup("put", SECRETS).expect("secrets resolves");
    assert_eq!(entry.method, "PUT");
    assert_eq!(entry.path, SECRETS, "the path is the caller's spelling");
    assert_eq!(entry.schemes, seed_secrets_table());
    assert_eq!(
        index.lookup("PUT", "/SERVICEPRINCIPALS/{x}/SYNCHRONIZATION/SECRETS/"),
        Some(PathPermissions {
            path: "/SERVICEPRINCIPALS/{x}/SYNCHRONIZATION/SECRETS/".to_owned(),
            ..entry
        })
    );
}

#[test]
fn least_mark_for_one_scheme_or_for_two() {
    let index = fixture("basic.json");
    let secrets = index.lookup("PUT", SECRETS).expect("secrets");
    assert_eq!(
        names(&secrets, Scheme::Application),
        [
            ("Application.ReadWrite.OwnedBy", true),
            ("Synchronization.ReadWrite.All", false)
        ]
    );
    let job =
        "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}";
    let patch = index.lookup("PATCH", job).expect("job patch");
    assert_eq!(
        names(&patch, Scheme::DelegatedWork),
        [("Synchronization.ReadWrite.All", true)]
    );
    assert_eq!(
        names(&patch, Scheme::Application),
        [("Synchronization.ReadWrite.All", true)]
    );
    let me = index.lookup("GET", "/me").expect("me");
    assert_eq!(names(&me, Scheme::DelegatedPersonal), [("User.Read", true)]);
}

#[test]
fn a_path_in_several_permissions_and_spellings_is_merged_and_sorted() {
    let index = fixture("basic.json");
    let schema = index.lookup("GET", SCHEMA).expect("schema");
    // Two spellings of the path in Synchronization.ReadWrite.All: the one marked
    // least wins. Least first, then privilege level, then name.
    assert_eq!(
        schema.schemes[&Scheme::DelegatedWork],
        [
            perm("Synchronization.Read.All", true, Some(3)),
            perm("Synchronization.ReadWrite.All", true, Some(3)),
        ]
    );
    assert_eq!(
        schema.schemes[&Scheme::Application],
        [
            perm("Application.ReadWrite.OwnedBy", true, Some(3)),
            perm("Synchronization.Read.All", false, Some(3)),
            perm("Synchronization.ReadWrite.All", false, Some(4)),
        ]
    );
    assert!(!schema.schemes.contains_key(&Scheme::DelegatedPersonal));
    let post = index
        .lookup("POST", SCHEMA)
        .expect("second method of a path set");
    assert_eq!(
        names(&post, Scheme::Application),
        [("Application.ReadWrite.OwnedBy", true)]
    );
    // A permission with no level for a scheme sorts after those with one.
    let me = index.lookup("GET", "/me/").expect("me");
    assert_eq!(
        me.schemes[&Scheme::Application],
        [perm("Directory.Read.All", false, None)]
    );
    assert_eq!(
        names(&me, Scheme::DelegatedWork),
        [("User.Read", true), ("Directory.Read.All", false)]
    );
}

#[test]
fn other_path_forms_of_the_reference() {
    let index = fixture("basic.json");
    let start = "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/start";
    assert!(
        index.lookup("POST", start).is_some(),
        "microsoft.graph. prefix"
    );
    assert!(
        index
            .lookup(
                "GET",
                "/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/previewScope"
            )
            .is_some(),
        "key in parentheses"
    );
    assert!(
        index
            .lookup("GET", "/agentRegistry/agentInstances")
            .is_none()
    );
    let owners = index
        .lookup("POST", "/applications/{application-id}/owners/$ref")
        .expect("$ref");
    assert_eq!(
        owners.schemes[&Scheme::Application][0].also_requires,
        ["Application.Read.All", "Directory.Read.All"]
    );
    assert_eq!(
        owners.doc_lines(),
        [
            "Application: Application.ReadWrite.OwnedBy (least privileged; also requires one of Application.Read.All, Directory.Read.All)"
        ]
    );
    assert!(index.unknown_annotations().is_empty());
}

#[test]
fn misses_are_none() {
    let index = fixture("basic.json");
    assert_eq!(index.lookup("DELETE", SECRETS), None);
    assert_eq!(
        index.lookup("PUT", "/servicePrincipals/{id}/synchronization"),
        None
    );
    assert_eq!(
        index.lookup("PUT", "/applications/{id}/synchronization/secrets"),
        None
    );
    assert!(!index.is_empty());
    assert_eq!(index.source(), "basic.json");
}

#[test]
fn doc_lines_match_the_docs_table() {
    let index = fixture("basic.json");
    let secrets = index.lookup("PUT", SECRETS).expect("secrets");
    assert_eq!(
        secrets.doc_lines(),
        [
            "Delegated (work or school account): Synchronization.ReadWrite.All (least privileged)",
            "Application: Application.ReadWrite.OwnedBy (least privileged), Synchronization.ReadWrite.All",
        ]
    );
    let me = index.lookup("GET", "/me").expect("me");
    assert_eq!(
        me.doc_lines()[1],
        "Delegated (personal Microsoft account): User.Read (least privileged)"
    );
}

#[test]
fn unknown_scheme_is_counted_and_skipped() {
    let index = fixture("unknown_scheme.json");
    assert_eq!(
        index.unknown_schemes(),
        &BTreeMap::from([("DelegatedFuture".to_owned(), 3)])
    );
    assert_eq!(
        index.unknown_annotations(),
        &BTreeMap::from([("Condition".to_owned(), 1)])
    );
    let entry = index
        .lookup("GET", "/future/{future-id}")
        .expect("known scheme kept");
    assert_eq!(
        entry.schemes,
        BTreeMap::from([(
            Scheme::DelegatedWork,
            vec![perm("Future.ReadWrite.All", true, Some(2))]
        )])
    );
}

#[test]
fn malformed_json_names_source_line_and_column() {
    let error = permissions::parse("malformed.json", &fixture_bytes("malformed.json"))
        .expect_err("malformed");
    assert_eq!(error.source, "malformed.json");
    let PermissionsErrorKind::Json { line, column, .. } = &error.kind else {
        panic!("expected a JSON error, got {error:?}");
    };
    assert_eq!((*line, *column), (5, 7));
    let text = error.to_string();
    assert!(
        text.starts_with("malformed.json:5:7: invalid permissions JSON: "),
        "{text}"
    );
    assert!(!text.contains(" at line "), "location said once: {text}");
}

#[test]
fn wrong_shape_and_bad_bytes_are_errors() {
    let missing = permissions::parse(
        "missing_permissions.json",
        &fixture_bytes("missing_permissions.json"),
    )
    .expect_err("no permissions object");
    assert!(
        missing.to_string().contains("missing field `permissions`"),
        "{missing}"
    );
    assert!(permissions::parse("empty", b"").is_err());
    assert!(permissions::parse("utf8", b"{\"permissions\": {\"\xff\": {}}}").is_err());
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), &fixture_bytes("basic.json")].concat();
    assert_eq!(
        permissions::parse("basic.json", &with_bom).expect("BOM allowed"),
        fixture("basic.json")
    );
}

fn basic_slice() -> PermissionsSlice {
    fixture("basic.json").slice(
        "basic.json",
        [
            ("PUT", SECRETS),
            ("GET", SCHEMA),
            ("post", SCHEMA),
            (
                "GET",
                "/servicePrincipals/{id}/synchronization/jobs/{jobId}/schema/",
            ),
            ("DELETE", SECRETS),
        ],
    )
}

#[test]
fn slice_json_is_sorted_pretty_and_stable() {
    let slice = basic_slice();
    assert_eq!(
        slice.entries.len(),
        3,
        "miss dropped, duplicate spelling merged"
    );
    let json = slice.to_json();
    let expected = std::fs::read_to_string(permissions_fixture("slice.json")).expect("golden");
    assert_eq!(
        json, expected,
        "golden slice; on purpose? rewrite tests/fixtures/permissions/slice.json"
    );
    let mut reversed = slice.clone();
    reversed.entries.reverse();
    assert_eq!(reversed.to_json(), json, "order in memory does not matter");
}

#[test]
fn slice_round_trips_and_finds_any_spelling() {
    let slice = basic_slice();
    let back = PermissionsSlice::from_json("slice.json", &slice.to_json()).expect("reads back");
    assert_eq!(back, slice);
    let entry = back
        .get("put", "/serviceprincipals/{id}/synchronization/secrets/")
        .expect("any spelling");
    assert_eq!(entry.schemes, seed_secrets_table());
    assert!(back.get("PATCH", SECRETS).is_none());
}

#[test]
fn slice_rejects_duplicates_lower_case_methods_and_bad_json() {
    let mut slice = basic_slice();
    let mut copy = slice.entries[0].clone();
    copy.path = copy.path.to_uppercase();
    slice.entries.push(copy);
    let error = PermissionsSlice::from_json("dup.json", &slice.to_json()).expect_err("dup");
    assert!(
        error
            .to_string()
            .starts_with("dup.json: invalid permissions: duplicate entry"),
        "{error}"
    );

    let mut slice = basic_slice();
    slice.entries[0].method = "put".to_owned();
    let error = PermissionsSlice::from_json("case.json", &slice.to_json()).expect_err("case");
    assert!(error.to_string().contains("not upper-case"), "{error}");

    let error = PermissionsSlice::from_json("bad.json", "{\n  \"source\": 1\n}").expect_err("bad");
    assert!(error.to_string().starts_with("bad.json:2:13: "), "{error}");
}

// ---- The real reference, when ../shared/metadata is present ----

// The tests below are ignored (with the reason) when `../shared` is absent.

fn shared_permissions_path() -> PathBuf {
    support::shared_metadata().join("permissions.json")
}

fn real_index() -> &'static PermissionsIndex {
    static INDEX: OnceLock<PermissionsIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let bytes = std::fs::read(shared_permissions_path()).expect("readable");
        permissions::parse("permissions.json", &bytes).expect("real file parses")
    })
}

#[test]
#[cfg_attr(
    not(shared_data),
    ignore = "needs ../shared/metadata (Graph's full CSDL and permissions), absent beside this checkout"
)]
fn real_secrets_put_gives_the_seed_table() {
    let index = real_index();
    let entry = index.lookup("PUT", SECRETS).expect("PUT secrets");
    assert_eq!(entry.schemes, seed_secrets_table());
    assert!(
        index.unknown_schemes().is_empty(),
        "{:?}",
        index.unknown_schemes()
    );
    assert!(
        index.unknown_annotations().is_empty(),
        "{:?}",
        index.unknown_annotations()
    );
}

#[test]
#[cfg_attr(
    not(shared_data),
    ignore = "needs ../shared/metadata (Graph's full CSDL and permissions), absent beside this checkout"
)]
fn real_bulk_upload_templates_and_discover_resolve() {
    let index = real_index();
    let bulk = index
        .lookup(
            "POST",
            "/servicePrincipals/{id}/synchronization/jobs/{synchronizationJob-id}/bulkUpload",
        )
        .expect("bulkUpload");
    assert!(
        bulk.schemes[&Scheme::DelegatedWork]
            .iter()
            .any(|p| p.name == "SynchronizationData-User.Upload" && p.least_privileged)
    );
    assert!(
        index
            .lookup(
                "GET",
                "/applications/{application-id}/synchronization/templates"
            )
            .is_some()
    );
    let discover = "/servicePrincipals/{id}/synchronization/jobs/{synchronizationJob-id}/schema/directories/{directoryDefinition-id}/discover";
    assert!(index.lookup("POST", discover).is_some());
    // Two spellings of GET .../jobs/{id}/schema are merged.
    let schema = index.lookup("GET", SCHEMA).expect("schema");
    assert!(
        schema.schemes[&Scheme::Application]
            .iter()
            .any(|p| p.name == "CustomSecAttributeProvisioning.Read.All")
    );
}

#[test]
#[cfg_attr(
    not(shared_data),
    ignore = "needs ../shared/metadata (Graph's full CSDL and permissions), absent beside this checkout"
)]
fn real_synchronization_paths_for_the_record() {
    let index = real_index();
    let sync: Vec<PathPermissions> = index
        .entries()
        .into_iter()
        .filter(|e| e.path.to_ascii_lowercase().contains("/synchronization"))
        .collect();
    println!(
        "{} synchronization entries in permissions.json:",
        sync.len()
    );
    for entry in &sync {
        println!("{} {}", entry.method, entry.path);
        for line in entry.doc_lines() {
            println!("    {line}");
        }
    }
    assert!(sync.len() >= 30, "{}", sync.len());
}

#[test]
#[cfg_attr(
    not(shared_data),
    ignore = "needs ../shared/metadata (Graph's full CSDL and permissions), absent beside this checkout"
)]
fn real_parse_time() {
    let path = shared_permissions_path();
    let bytes = std::fs::read(&path).expect("readable");
    let mut times = Vec::new();
    let mut len = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let index = permissions::parse("permissions.json", &bytes).expect("parses");
        times.push(start.elapsed());
        len = index.len();
    }
    times.sort();
    println!(
        "parse of {} bytes -> {len} (method, path) entries: min {:?}, median {:?} (5 runs, {} build)",
        bytes.len(),
        times[0],
        times[2],
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
}

/// `parse_under` (what `update` uses) answers every lookup under the entry sets
/// exactly as `parse` does, whatever the spelling, and knows nothing elsewhere.
#[test]
fn an_index_under_entry_sets_answers_like_the_full_one() {
    let json = r#"{"permissions": {"A.Read": {
        "schemes": {"Application": {"privilegeLevel": 1}},
        "pathSets": [{"schemeKeys": ["Application"], "methods": ["GET", "POST"], "paths": {
            "/servicePrincipals/{id}/synchronization": "least=Application",
            " / Service Principals /{id}/jobs": "",
            "/servicePrincipals({id})/owners": "",
            "/microsoft.graph.applications/{app-id}/x": "",
            "/serviceprincipals(appId='{appId}')/y": "",
            "/users/{id}/servicePrincipals": "",
            "/usërs/{id}": ""
        }}]}}}"#;
    let full = permissions::parse("inline", json.as_bytes()).expect("parse");
    let under = permissions::parse_under(
        "inline",
        json.as_bytes(),
        &["servicePrincipals".to_string(), "applications".to_string()],
    )
    .expect("parse_under");
    let inside = [
        "/servicePrincipals/{x}/synchronization",
        "/serviceprincipals/{x}/jobs",
        "/servicePrincipals/{x}/owners",
        "/applications/{x}/x",
    ];
    for path in inside {
        for method in ["GET", "POST"] {
            let got = under.lookup(method, path);
            assert!(got.is_some(), "{method} {path}");
            assert_eq!(got, full.lookup(method, path), "{method} {path}");
        }
    }
    for path in [
        "/serviceprincipals(appid={x})/y",
        "/users/{x}/serviceprincipals",
        "/usërs/{x}",
    ] {
        assert!(full.lookup("GET", path).is_some(), "{path}");
        assert_eq!(under.lookup("GET", path), None, "{path}");
    }
}

/// The same on Graph's real reference, for every path it has under the two
/// entry sets of the profile.
#[test]
fn an_index_under_entry_sets_matches_on_the_real_reference() {
    let path = shared_permissions_path();
    let Ok(bytes) = std::fs::read(&path) else {
        println!("skipped: ../shared not found");
        return;
    };
    let full = permissions::parse("permissions.json", &bytes).expect("parse");
    let sets = ["servicePrincipals".to_string(), "applications".to_string()];
    let under = permissions::parse_under("permissions.json", &bytes, &sets).expect("parse_under");
    let mut inside = 0;
    for entry in full.entries() {
        let normalized = normalize_path(&entry.path);
        let first = normalized
            .trim_start_matches('/')
            .split(['/', '?'])
            .next()
            .unwrap_or("");
        let got = under.lookup(&entry.method, &entry.path);
        if first == "serviceprincipals" || first == "applications" {
            inside += 1;
            assert_eq!(
                got,
                full.lookup(&entry.method, &entry.path),
                "{}",
                entry.path
            );
        } else {
            assert_eq!(got, None, "{}", entry.path);
        }
    }
    assert_eq!(under.len(), inside);
    assert!(inside > 50, "{inside}");
}
