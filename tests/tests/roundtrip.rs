//! Every generated type decodes and re-encodes sample JSON to an equal JSON value:
//! every property set, `null` in every nullable slot, unknown properties,
//! `@odata.type`, unknown enum and flags members (samples come from the model).

use msgraph_sync::models::{AnyModel, TYPE_NAMES};
use msgraph_sync_tests::first_difference;
use msgraph_sync_tests::samples;
use serde_json::Value;
use std::collections::BTreeSet;

fn all_samples() -> Vec<(String, Value, &'static str)> {
    samples::of_committed_crate()
        .into_iter()
        .map(|(name, sample, flavour)| (name, sample, flavour.label()))
        .collect()
}

#[test]
fn every_type_round_trips_its_samples() {
    let mut checked = 0;
    for (name, sample, flavour) in all_samples() {
        let text = sample.to_string();
        let decoded = AnyModel::decode(&name, &text)
            .unwrap_or_else(|err| panic!("{name} ({flavour}) does not decode: {err}\n{text}"));
        let encoded = serde_json::to_value(&decoded).expect("encode");
        assert!(
            encoded == sample,
            "{name} ({flavour}) changed: {}",
            first_difference(&sample, &encoded, "$").unwrap_or_default()
        );
        // The same sample as a one-element collection.
        let collection = Value::Array(vec![sample.clone()]).to_string();
        let decoded =
            AnyModel::decode(&format!("Collection({name})"), &collection).expect("collection");
        assert_eq!(
            serde_json::to_value(&decoded).expect("encode"),
            Value::Array(vec![sample])
        );
        checked += 1;
    }
    println!("{checked} samples round-tripped");
    assert!(
        checked >= 2 * 67,
        "expected samples for at least 67 types, got {checked}"
    );
}

#[test]
fn every_registry_type_has_a_sample() {
    let sampled: BTreeSet<String> = all_samples().into_iter().map(|(name, _, _)| name).collect();
    let registered: BTreeSet<String> = TYPE_NAMES.iter().map(|s| s.to_string()).collect();
    assert_eq!(sampled, registered);
}

#[test]
fn absent_null_and_value_are_three_states() {
    use msgraph_sync::models::SynchronizationSchedule;
    use msgraph_sync::runtime::nullable::Nullable;
    let absent: SynchronizationSchedule = serde_json::from_str("{}").expect("decode");
    assert!(absent.expiration.is_absent());
    assert_eq!(serde_json::to_string(&absent).expect("encode"), "{}");

    let null: SynchronizationSchedule =
        serde_json::from_str(r#"{"expiration":null}"#).expect("decode");
    assert!(null.expiration.is_null());
    assert_eq!(
        serde_json::to_string(&null).expect("encode"),
        r#"{"expiration":null}"#
    );

    let value: SynchronizationSchedule =
        serde_json::from_str(r#"{"expiration":"2019-03-20T15:47:50.4707552Z","interval":"PT40M"}"#)
            .expect("decode");
    assert!(matches!(value.expiration, Nullable::Value(_)));
    assert_eq!(
        serde_json::to_string(&value).expect("encode"),
        r#"{"expiration":"2019-03-20T15:47:50.4707552Z","interval":"PT40M"}"#
    );
}

#[test]
fn a_value_of_the_wrong_type_names_the_json_path() {
    let json = r#"{"jobs":[{"schedule":{"interval":40}}]}"#;
    let err = AnyModel::decode("microsoft.graph.synchronization", json).expect_err("must fail");
    let text = err.to_string();
    assert!(text.contains("jobs[0].schedule.interval"), "{text}");
    // An invalid duration text is kept by default, and located when decoding strictly.
    let json = r#"{"jobs":[{"schedule":{"interval":"forty minutes"}}]}"#;
    let kept = AnyModel::decode("microsoft.graph.synchronization", json).expect("kept");
    assert_eq!(serde_json::to_string(&kept).expect("encode"), json);
    let err = msgraph_sync::runtime::json::with_strict_values(|| {
        AnyModel::decode("microsoft.graph.synchronization", json)
    })
    .expect_err("strict values refuse it");
    let text = err.to_string();
    assert!(text.contains("jobs[0].schedule.interval"), "{text}");
}

#[test]
fn odata_type_selects_a_derived_type() {
    let json =
        r##"{"@odata.type":"#microsoft.graph.synchronizationJob","id":"j1","templateId":"t"}"##;
    let decoded = AnyModel::decode("microsoft.graph.entity", json).expect("decode");
    assert_eq!(
        decoded.odata_type(),
        Some("microsoft.graph.synchronizationJob")
    );
    assert_eq!(
        serde_json::to_value(&decoded).expect("encode"),
        serde_json::from_str::<Value>(json).expect("json")
    );
}

#[test]
fn unknown_enum_members_and_flags_are_kept() {
    use msgraph_sync::models::{ObjectMapping, SynchronizationStatusCode};
    let status: SynchronizationStatusCode =
        serde_json::from_str(r#""SomethingNew""#).expect("decode");
    assert_eq!(
        status,
        SynchronizationStatusCode::Unknown("SomethingNew".into())
    );
    assert_eq!(
        serde_json::to_string(&status).expect("encode"),
        r#""SomethingNew""#
    );

    let mapping: ObjectMapping =
        serde_json::from_str(r#"{"flowTypes":"Add, Update, Delete, Teleport"}"#).expect("decode");
    assert_eq!(
        serde_json::to_string(&mapping).expect("encode"),
        r#"{"flowTypes":"Add, Update, Delete, Teleport"}"#
    );
}
