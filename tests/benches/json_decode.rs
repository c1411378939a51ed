//! Decode and encode of a large, realistic synchronizationSchema document (two
//! directories of 40 objects x 25 attributes, one rule with 12 object mappings x 40
//! attribute mappings with nested function sources): generated types against
//! `serde_json::Value`, measured side by side in one run.

use msgraph_sync::models::SynchronizationSchema;
use serde_json::{Value, json};
use std::hint::black_box;
use std::sync::LazyLock;

fn main() {
    println!(
        "document: {} bytes, {} attribute mappings",
        DOCUMENT.len(),
        DOCUMENT.matches("targetAttributeName").count()
    );
    divan::main();
}

static DOCUMENT: LazyLock<String> = LazyLock::new(|| document().to_string());

fn attribute(i: usize) -> Value {
    json!({
        "anchor": i == 0, "caseExact": false, "defaultValue": null, "flowNullValues": false,
        "multivalued": i.is_multiple_of(7), "mutability": "ReadWrite", "name": format!("attribute{i}"),
        "required": false, "type": if i.is_multiple_of(3) { "Reference" } else { "String" },
        "apiExpressions": [], "metadata": [{"key": "MaximumLength", "value": "256"}],
        "referencedObjects": if i.is_multiple_of(3) { json!([{"referencedObjectName": "User", "referencedProperty": null}]) } else { json!([]) }
    })
}

fn mapping(i: usize) -> Value {
    json!({
        "defaultValue": "", "exportMissingReferences": false, "flowBehavior": "FlowWhenChanged",
        "flowType": if i.is_multiple_of(5) { "Always" } else { "Default" }, "matchingPriority": i % 2,
        "targetAttributeName": format!("urn:ietf:params:scim:schemas:core:2.0:User:attr{i}"),
        "source": {
            "expression": format!("Join(\" \", [givenName{i}], [surname])"), "name": "Join", "type": "Function",
            "parameters": [
                {"key": "separator", "value": {"expression": "\" \"", "name": "\" \"", "parameters": [], "type": "Constant"}},
                {"key": "source1", "value": {"expression": "[givenName]", "name": "givenName", "parameters": [], "type": "Attribute"}}
            ]
        }
    })
}

fn document() -> Value {
    let objects: Vec<Value> = (0..40)
        .map(|o| {
            json!({
                "name": format!("Object{o}"), "supportedApis": [],
                "metadata": [{"key": "PropertyNameAccountEnabled", "value": "accountEnabled"}],
                "attributes": (0..25).map(attribute).collect::<Vec<_>>()
            })
        })
        .collect();
    let directories: Vec<Value> = ["Azure Active Directory", "Target Directory"]
        .iter()
        .enumerate()
        .map(|(d, name)| json!({
            "id": format!("directory-{d}"), "name": name, "discoverabilities": "AttributeNames, AttributeDataTypes",
            "discoveryDateTime": "2019-03-20T15:47:50.4707552Z", "readOnly": false, "version": "1.0",
            "objects": objects
        }))
        .collect();
    let object_mappings: Vec<Value> = (0..12)
        .map(|m| json!({
            "enabled": true, "flowTypes": "Add, Update, Delete", "name": format!("Provision objects {m}"),
            "sourceObjectName": "User", "targetObjectName": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            "metadata": [], "scope": null,
            "attributeMappings": (0..40).map(mapping).collect::<Vec<_>>()
        }))
        .collect();
    json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('x')/synchronization/jobs('y')/schema/$entity",
        "id": "schema-1", "version": "Date:2019-03-20T15:47:50Z~Version:3",
        "directories": directories,
        "synchronizationRules": [{
            "editable": true, "id": "rule-1", "name": "USER_TO_SCIM", "priority": 1,
            "sourceDirectoryName": "Azure Active Directory", "targetDirectoryName": "Target Directory",
            "metadata": [{"key": "defaultSourceObjectMappings", "value": "[]"}],
            "objectMappings": object_mappings
        }]
    })
}

#[divan::bench]
fn decode_typed() -> SynchronizationSchema {
    serde_json::from_str(black_box(&DOCUMENT)).expect("typed decode")
}

#[divan::bench]
fn decode_value() -> Value {
    serde_json::from_str(black_box(&DOCUMENT)).expect("value decode")
}

#[divan::bench]
fn encode_typed(bencher: divan::Bencher) {
    let typed: SynchronizationSchema = serde_json::from_str(&DOCUMENT).expect("typed decode");
    bencher.bench(|| serde_json::to_string(black_box(&typed)).expect("encode"));
}

#[divan::bench]
fn encode_value(bencher: divan::Bencher) {
    let value: Value = serde_json::from_str(&DOCUMENT).expect("value decode");
    bencher.bench(|| serde_json::to_string(black_box(&value)).expect("encode"));
}
