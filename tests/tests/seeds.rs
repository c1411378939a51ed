//! The request bodies the product was asked for (`../shared/seeds/`): PUT secrets
//! (seeds 001/002) and the whole `Set-MgServicePrincipalSynchronization` body tree
//! (seed 003), written with the generated builders, must encode to exactly the JSON
//! Graph documents and decode back to the same values.

use msgraph_sync::models::*;
use msgraph_sync::runtime::body::ValueBody;
use serde_json::json;

/// The `set_synchronization` example builds seed 003's body; this test pins it.
#[allow(dead_code)]
#[path = "../../generated/examples/set_synchronization.rs"]
mod set_synchronization;

use set_synchronization::synchronization_body;

fn secrets() -> Vec<SynchronizationSecretKeyStringValuePair> {
    let pair = |key: SynchronizationSecret, value: &str| {
        SynchronizationSecretKeyStringValuePair::default()
            .key(key)
            .value(value)
    };
    vec![
        pair(SynchronizationSecret::BaseAddress, "user@domain.com"),
        pair(SynchronizationSecret::SecretToken, "password-value"),
        pair(
            SynchronizationSecret::SyncNotificationSettings,
            r#"{"Enabled":false,"DeleteThresholdEnabled":false}"#,
        ),
        pair(SynchronizationSecret::SyncAll, "false"),
    ]
}

#[test]
fn put_secrets_body_matches_seed_002() {
    let expected = json!({"value": [
        {"key": "BaseAddress", "value": "user@domain.com"},
        {"key": "SecretToken", "value": "password-value"},
        {"key": "SyncNotificationSettings", "value": "{\"Enabled\":false,\"DeleteThresholdEnabled\":false}"},
        {"key": "SyncAll", "value": "false"}
    ]});
    let built = secrets();
    assert_eq!(
        serde_json::to_value(ValueBody { value: &built }).expect("encode"),
        expected
    );
    let decoded: Vec<SynchronizationSecretKeyStringValuePair> =
        serde_json::from_value(expected["value"].clone()).expect("decode");
    assert_eq!(decoded, built);
}

#[test]
fn set_synchronization_body_covers_seed_003_and_round_trips() {
    let body = synchronization_body().expect("body");
    let encoded = serde_json::to_value(&body).expect("encode");
    let expected_schema = json!({
        "id": "schema-1",
        "synchronizationRules": [{
            "containerFilter": {"includedContainers": ["OU=Sales,DC=contoso,DC=com"]},
            "editable": true,
            "groupFilter": {"includedGroups": ["group-1"]},
            "id": "rule-1",
            "metadata": [{"key": "defaultSourceObjectMappings", "value": "[]"}],
            "name": "USER_TO_SCIM",
            "objectMappings": [{
                "attributeMappings": [{
                    "defaultValue": "",
                    "exportMissingReferences": false,
                    "flowBehavior": "FlowWhenChanged",
                    "flowType": "Always",
                    "matchingPriority": 0,
                    "source": {
                        "expression": "Join(\" \", [givenName], [surname])",
                        "name": "Join",
                        "parameters": [{"key": "source1", "value": {"expression": "[givenName]", "name": "givenName", "type": "Attribute"}}],
                        "type": "Function"
                    },
                    "targetAttributeName": "displayName"
                }],
                "enabled": true,
                "flowTypes": "Add, Update, Delete",
                "metadata": [{"key": "ExcludeFromReporting", "value": "true"}],
                "name": "Provision Azure Active Directory Users",
                "scope": {
                    "categoryFilterGroups": [{"clauses": [{"operatorName": "EQUALS", "sourceOperandName": "department", "targetOperand": {"values": ["Sales"]}}], "name": "category"}],
                    "groups": [{"clauses": [{"operatorName": "EQUALS", "sourceOperandName": "department", "targetOperand": {"values": ["Sales"]}}], "name": "sales"}],
                    "inputFilterGroups": [{"clauses": [{"operatorName": "EQUALS", "sourceOperandName": "department", "targetOperand": {"values": ["Sales"]}}], "name": "input"}]
                },
                "sourceObjectName": "User",
                "targetObjectName": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
            }],
            "priority": 1,
            "sourceDirectoryName": "Azure Active Directory",
            "targetDirectoryName": "customappsso"
        }],
        "version": "Date:2024-01-01~Version:2",
        "directories": [{
            "id": "directory-1",
            "discoverabilities": "AttributeNames",
            "discoveryDateTime": "2019-03-20T15:47:50.4707552Z",
            "name": "Azure Active Directory",
            "objects": [{
                "attributes": [{
                    "anchor": true,
                    "apiExpressions": [{"key": "Get", "value": "users/{id}"}],
                    "caseExact": false,
                    "defaultValue": "null",
                    "flowNullValues": false,
                    "metadata": [{"key": "BaseAttributeName", "value": "objectId"}],
                    "multivalued": false,
                    "mutability": "ReadWrite",
                    "name": "objectId",
                    "referencedObjects": [{"referencedObjectName": "User"}],
                    "required": true,
                    "type": "String"
                }],
                "metadata": [{"key": "PropertyNameAccountEnabled", "value": "accountEnabled"}],
                "name": "User",
                "supportedApis": ["users"]
            }],
            "readOnly": true,
            "version": "2.0"
        }]
    });
    let expected = json!({
        "id": "synchronization-1",
        "secrets": [
            {"key": "BaseAddress", "value": "user@domain.com"},
            {"key": "SecretToken", "value": "password-value"},
            {"key": "SyncNotificationSettings", "value": "{\"Enabled\":false,\"DeleteThresholdEnabled\":false}"},
            {"key": "SyncAll", "value": "false"}
        ],
        "jobs": [{
            "id": "AWS.1e0f0b0a",
            "schedule": {"expiration": "2026-12-31T00:00:00Z", "interval": "PT40M", "state": "Active"},
            "status": {
                "code": "Active",
                "countSuccessiveCompleteFailures": 0,
                "escrowsPruned": false,
                "lastExecution": {
                    "activityIdentifier": "activity-1",
                    "countEntitled": 10,
                    "countExported": 3,
                    "error": {"code": "None", "message": "", "tenantActionable": false},
                    "state": "Succeeded",
                    "timeBegan": "2021-05-01T00:00:00-05:00",
                    "timeEnded": "0001-01-01T00:00:00Z"
                },
                "progress": [{"completedUnits": 5, "totalUnits": 10, "units": "users"}],
                "quarantine": {"error": null, "nextAttempt": "2024-02-29T23:59:59.9999999+14:00", "reason": "EncounteredQuarantineException", "seriesCount": 2},
                "synchronizedEntryCountByType": [{"key": "User", "value": 9_007_199_254_740_993_i64}],
                "troubleshootingUrl": "https://example.com/troubleshoot"
            },
            "synchronizationJobSettings": [{"name": "QuarantineTooManyDeletesThreshold", "value": "500"}],
            "templateId": "AWS",
            "bulkUpload": {"id": "bulk-1"},
            "schema": expected_schema
        }],
        "templates": [{
            "id": "template-1",
            "applicationId": "8ADF8E6E-67B2-4CF2-A259-E3DC5476C621",
            "default": true,
            "description": "Template for AWS",
            "discoverable": true,
            "factoryTag": "AWS",
            "metadata": [{"key": "GalleryApplicationIdentifier", "value": "aws"}],
            "schema": expected_schema
        }]
    });
    assert_eq!(
        encoded,
        expected,
        "{}",
        msgraph_sync_tests::first_difference(&expected, &encoded, "$").unwrap_or_default()
    );
    let decoded: Synchronization = serde_json::from_value(expected).expect("decode");
    assert_eq!(decoded, body);
}
