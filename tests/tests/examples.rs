//! Every JSON example from Graph's documentation (`../shared/examples/`, v1.0 and
//! beta) decodes as its type and re-encodes to an equal JSON value, or is listed
//! here with the reason it cannot. Placeholders where a date-time, duration, GUID or
//! base64 value belongs (`""`, `"String (timestamp)"`, `"{id}"`) are kept as invalid
//! values and round-trip; a string where a boolean or number belongs cannot. A new failure fails the test, and so does a
//! listed example that starts to pass (so the list stays true).

use msgraph_sync::models::{AnyModel, TYPE_NAMES};
use msgraph_sync::runtime::scim::BulkRequest;
use msgraph_sync_tests::{documented_examples_dir, first_difference, json_eq_flags_as_sets};
use serde_json::Value;
use std::collections::BTreeMap;

/// Examples that cannot round-trip, with the reason (file -> reason).
const KNOWN: &[(&str, &str)] = &[
    (
        "v1.0/004-synchronization-synchronization-list-jobs-2.json",
        r#"not valid JSON: trailing comma after `"quarantine": null`"#,
    ),
    (
        "v1.0/022-synchronization-synchronizationjob-validatecredentials-1.json",
        r#"not valid JSON: unquoted keys"#,
    ),
    (
        "v1.0/026-synchronization-synchronizationschema-parseexpression-1.json",
        r#"not valid JSON: unquoted keys (`definition`, `properties`)"#,
    ),
    (
        "v1.0/028-synchronization-synchronizationschema-update-1.json",
        r#"not valid JSON: trailing comma before `]`"#,
    ),
    (
        "v1.0/035-synchronization-attributemapping-0.json",
        r#"placeholder: `"Boolean"` where a boolean belongs"#,
    ),
    (
        "v1.0/037-synchronization-attributemappingparameterschema-0.json",
        r#"placeholder: `"Boolean"` where a boolean belongs"#,
    ),
    (
        "v1.0/041-synchronization-bulkupload-0.json",
        r#"not valid JSON: a bare `"schemas": [...]` member"#,
    ),
    (
        "v1.0/042-synchronization-bulkupload-1.json",
        r#"not valid JSON: a fragment with prose inside"#,
    ),
    (
        "v1.0/051-synchronization-metadataentry-0.json",
        r#"annotated `microsoft.graph.metadataEntry`, a type outside the synchronization API, and the JSON names no type"#,
    ),
    (
        "v1.0/056-synchronization-objectmapping-1.json",
        r#"placeholder: `"Boolean"` where a boolean belongs"#,
    ),
    (
        "v1.0/058-synchronization-overview-1.json",
        r#"a `GET /servicePrincipals` listing from the overview walkthrough: not a synchronization type"#,
    ),
    (
        "v1.0/059-synchronization-overview-3.json",
        r#"a `GET /servicePrincipals` listing from the overview walkthrough: not a synchronization type"#,
    ),
    (
        "v1.0/063-synchronization-parseexpressionresponse-0.json",
        r#"placeholder: `"Boolean"` where a boolean belongs"#,
    ),
    (
        "v1.0/066-synchronization-stringkeylongvaluepair-0.json",
        r#"placeholder: `"Integer"`/`"Int64"` string where an Int64 belongs"#,
    ),
    (
        "v1.0/070-synchronization-synchronizationerror-0.json",
        r#"placeholder: `"Boolean"` where a boolean belongs"#,
    ),
    (
        "v1.0/071-synchronization-synchronizationjob-0.json",
        r#"synchronizationJobSettings shown as one object; the metadata declares a collection"#,
    ),
    (
        "v1.0/077-synchronization-synchronizationprogress-0.json",
        r#"placeholder: `"Integer"`/`"Int64"` string where an Int64 belongs"#,
    ),
    (
        "v1.0/078-synchronization-synchronizationquarantine-0.json",
        r#"placeholder: `"Integer"`/`"Int64"` string where an Int64 belongs (seriesCount; its date-time placeholders are kept)"#,
    ),
    (
        "v1.0/083-synchronization-synchronizationstatus-0.json",
        r#"placeholder: `"Integer"`/`"Int64"` string where an Int64 belongs"#,
    ),
    (
        "beta/004-synchronization-synchronization-list-jobs-2.json",
        r#"not valid JSON: trailing comma after `"quarantine": null`"#,
    ),
    (
        "beta/026-synchronization-synchronizationschema-parseexpression-1.json",
        r#"not valid JSON: unquoted keys (`definition`, `properties`)"#,
    ),
    (
        "beta/028-synchronization-synchronizationschema-update-1.json",
        r#"not valid JSON: trailing comma before `]`"#,
    ),
    (
        "beta/035-synchronization-attributemapping-0.json",
        r#"placeholder: `"Boolean"` where a boolean belongs"#,
    ),
    (
        "beta/037-synchronization-attributemappingparameterschema-0.json",
        r#"placeholder: `"Boolean"` where a boolean belongs"#,
    ),
    (
        "beta/041-synchronization-bulkupload-0.json",
        r#"not valid JSON: a bare `"schemas": [...]` member"#,
    ),
    (
        "beta/042-synchronization-bulkupload-1.json",
        r#"not valid JSON: a fragment with prose inside"#,
    ),
    (
        "beta/053-synchronization-metadataentry-0.json",
        r#"annotated `microsoft.graph.metadataEntry`, a type outside the synchronization API, and the JSON names no type"#,
    ),
    (
        "beta/058-synchronization-objectmapping-1.json",
        r#"placeholder: `"Boolean"` where a boolean belongs"#,
    ),
    (
        "beta/060-synchronization-overview-1.json",
        r#"a `GET /servicePrincipals` listing from the overview walkthrough: not a synchronization type"#,
    ),
    (
        "beta/061-synchronization-overview-3.json",
        r#"a `GET /servicePrincipals` listing from the overview walkthrough: not a synchronization type"#,
    ),
    (
        "beta/068-synchronization-stringkeylongvaluepair-0.json",
        r#"placeholder: `"Integer"`/`"Int64"` string where an Int64 belongs"#,
    ),
    (
        "beta/073-synchronization-synchronizationjob-0.json",
        r#"synchronizationJobSettings shown as one object; the metadata declares a collection"#,
    ),
    (
        "beta/085-synchronization-synchronizationstatus-0.json",
        r#"placeholder: `"Integer"`/`"Int64"` string where an Int64 belongs"#,
    ),
];

struct Row {
    file: String,
    doc_path: String,
    block_type: String,
    odata_type: String,
    url: String,
    valid_json: bool,
}

fn rows(index: &str) -> Vec<Row> {
    let mut lines = index.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect("column");
    let (file, doc, block, odata, url, valid) = (
        col("file"),
        col("doc_path"),
        col("block_type"),
        col("odata_type"),
        col("url"),
        col("valid_json"),
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            let cell = |i: usize| cells.get(i).copied().unwrap_or_default().to_string();
            Row {
                file: cell(file),
                doc_path: cell(doc),
                block_type: cell(block),
                odata_type: cell(odata),
                url: cell(url),
                valid_json: cell(valid) == "yes",
            }
        })
        .collect()
}

/// What an example's body is, from its annotation, its request URL or its page.
enum Target {
    Type(String),
    Scim,
    /// `{"value": [...]}` of a type, sent as a body (PUT secrets).
    ValueBody(String),
    Unknown(String),
}

fn target(row: &Row) -> Target {
    let path = row
        .url
        .split('?')
        .next()
        .unwrap_or_default()
        .trim_end_matches('/');
    let last = path.rsplit('/').next().unwrap_or_default();
    if row.block_type == "request" {
        return match last {
            "secrets" => {
                Target::ValueBody("microsoft.graph.synchronizationSecretKeyStringValuePair".into())
            }
            "bulkUpload" => Target::Scim,
            "acquireAccessToken"
            | "provisionOnDemand"
            | "restart"
            | "validateCredentials"
            | "parseExpression" => Target::Type(format!("microsoft.graph.{last}.parameters")),
            "jobs" => Target::Type("microsoft.graph.synchronizationJob".into()),
            _ if path.contains("/templates/") => {
                Target::Type("microsoft.graph.synchronizationTemplate".into())
            }
            _ if path.ends_with("/schema") => {
                Target::Type("microsoft.graph.synchronizationSchema".into())
            }
            _ => Target::Unknown(format!("request to {path}")),
        };
    }
    if !row.odata_type.is_empty() {
        return Target::Type(row.odata_type.clone());
    }
    if path.contains("/templates/") {
        return Target::Type("microsoft.graph.synchronizationTemplate".into());
    }
    if path.ends_with("/schema") {
        return Target::Type("microsoft.graph.synchronizationSchema".into());
    }
    if path.ends_with("/jobs") || path.contains("/jobs/") {
        return Target::Type("microsoft.graph.synchronizationJob".into());
    }
    // A resource page: `.../synchronization-objectdefinition.md` -> objectDefinition.
    let page = row
        .doc_path
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".md");
    let resource = page.strip_prefix("synchronization-").unwrap_or(page);
    TYPE_NAMES
        .iter()
        .find(|n| {
            n.rsplit('.')
                .next()
                .is_some_and(|l| l.eq_ignore_ascii_case(resource))
        })
        .map_or_else(
            || Target::Unknown(format!("no type for {}", row.doc_path)),
            |n| Target::Type(n.to_string()),
        )
}

/// Decodes and re-encodes; `Err` says why it cannot.
fn round_trip(row: &Row, text: &str) -> Result<(), String> {
    if !row.valid_json {
        return Err("not valid JSON".into());
    }
    let original: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let target = match target(row) {
        // The page's annotation names a type outside the API (beta's
        // synchronizationMetadataEntry page says `metadataEntry`): trust the JSON's own
        // `@odata.type` when it names one of ours.
        Target::Type(name) if !TYPE_NAMES.contains(&name.as_str()) => original
            .get("@odata.type")
            .and_then(Value::as_str)
            .map(|t| t.trim_start_matches('#'))
            .filter(|t| TYPE_NAMES.contains(t))
            .map_or(Target::Type(name), |t| Target::Type(t.to_string())),
        other => other,
    };
    let encoded = match target {
        Target::Unknown(why) => return Err(why),
        Target::Scim => {
            let request: BulkRequest =
                msgraph_sync::runtime::json::from_str(text).map_err(|e| e.to_string())?;
            serde_json::to_value(&request).map_err(|e| e.to_string())?
        }
        Target::ValueBody(name) => {
            let items = original.get("value").ok_or("no `value` member")?;
            with_value_decoded(&original, &name, items)?
        }
        Target::Type(name) => match original.get("value").filter(|v| v.is_array()) {
            // A collection response: the items are the typed part; the envelope's
            // `@odata.*` members belong to the response, not the type.
            Some(items) if row.block_type == "response" || row.block_type == "ignored" => {
                with_value_decoded(&original, &name, items)?
            }
            _ => {
                let decoded = AnyModel::decode(&name, text).map_err(|e| e.to_string())?;
                serde_json::to_value(&decoded).map_err(|e| e.to_string())?
            }
        },
    };
    if json_eq_flags_as_sets(&original, &encoded) {
        Ok(())
    } else {
        Err(format!(
            "changed: {}",
            first_difference(&original, &encoded, "$").unwrap_or_default()
        ))
    }
}

/// `envelope` with its `value` member replaced by `items` decoded as a collection of
/// `name` and encoded again: the envelope's other members are the response's.
fn with_value_decoded(envelope: &Value, name: &str, items: &Value) -> Result<Value, String> {
    let decoded = AnyModel::decode(&format!("Collection({name})"), &items.to_string())
        .map_err(|e| e.to_string())?;
    let mut object = envelope.as_object().cloned().unwrap_or_default();
    object.insert(
        "value".into(),
        serde_json::to_value(&decoded).map_err(|e| e.to_string())?,
    );
    Ok(Value::Object(object))
}

#[test]
#[cfg_attr(
    not(shared_data),
    ignore = "needs ../shared (Graph's full metadata and documented examples), absent beside this checkout"
)]
fn documented_examples_round_trip_or_are_listed() {
    let examples = documented_examples_dir();
    let index = std::fs::read_to_string(examples.join("index.tsv")).expect("index.tsv");
    let known: BTreeMap<&str, &str> = KNOWN.iter().copied().collect();
    let mut passed = 0;
    let mut listed = 0;
    let mut problems = Vec::new();
    let all = rows(&index);
    for row in &all {
        let text = std::fs::read_to_string(examples.join(&row.file)).expect("example file");
        let outcome = round_trip(row, &text);
        match (outcome, known.get(row.file.as_str())) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some(reason)) => problems.push(format!(
                "{}: listed ({reason}) but now round-trips; remove it from KNOWN",
                row.file
            )),
            (Err(why), Some(reason)) => {
                println!("  listed: {}: {reason}\n    fails with: {why}", row.file);
                listed += 1
            }
            (Err(why), None) => problems.push(format!(
                "(\"{}\", \"{}\"),",
                row.file,
                why.replace('"', "'")
            )),
        }
    }
    println!(
        "documented examples: {} in all, {passed} round-trip, {listed} listed with a reason",
        all.len()
    );
    assert!(
        problems.is_empty(),
        "unexpected outcomes:\n{}",
        problems.join("\n")
    );
    assert_eq!(passed + listed, all.len());
}
