//! The request bodies the product was asked for (`../shared/seeds/`): PUT secrets
//! (seeds 001/002) and the whole `Set-MgServicePrincipalSynchronization` body tree
//! (seed 003), written with the generated builders, must encode to exactly the JSON
//! Graph documents and decode back to the same values.

use msgraph_sync::models::*;
use msgraph_sync::runtime::body::ValueBody;
use msgraph_sync::runtime::date_time::DateTimeOffset;
use msgraph_sync::runtime::duration::Duration;
use msgraph_sync::runtime::nullable::Nullable;
use serde_json::{Value, json};

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

/// Every node of seed 003's BODYPARAMETER tree, built with the generated setters.
fn synchronization_body() -> Synchronization {
    let source = AttributeMappingSource::default()
        .expression("Join(\" \", [givenName], [surname])")
        .name("Join")
        .r#type(AttributeMappingSourceType::Function)
        .parameters([StringKeyAttributeMappingSourceValuePair::default()
            .key("source1")
            .value(
                AttributeMappingSource::default()
                    .expression("[givenName]")
                    .name("givenName")
                    .r#type(AttributeMappingSourceType::Attribute),
            )]);
    let clause = FilterClause::default()
        .operator_name("EQUALS")
        .source_operand_name("department")
        .target_operand(FilterOperand::default().values(["Sales"]));
    let scope = Filter::default()
        .category_filter_groups([FilterGroup::default()
            .name("category")
            .clauses([clause.clone()])])
        .groups([FilterGroup::default()
            .name("sales")
            .clauses([clause.clone()])])
        .input_filter_groups([FilterGroup::default().name("input").clauses([clause])]);
    let rule = SynchronizationRule::default()
        .id("rule-1")
        .name("USER_TO_SCIM")
        .editable(true)
        .priority(1)
        .source_directory_name("Azure Active Directory")
        .target_directory_name("customappsso")
        .container_filter(
            ContainerFilter::default().included_containers(["OU=Sales,DC=contoso,DC=com"]),
        )
        .group_filter(GroupFilter::default().included_groups(["group-1"]))
        .metadata([StringKeyStringValuePair::default()
            .key("defaultSourceObjectMappings")
            .value("[]")])
        .object_mappings([ObjectMapping::default()
            .enabled(true)
            .flow_types(ObjectFlowTypes::ADD | ObjectFlowTypes::UPDATE | ObjectFlowTypes::DELETE)
            .name("Provision Azure Active Directory Users")
            .source_object_name("User")
            .target_object_name("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
            .metadata([ObjectMappingMetadataEntry::default()
                .key(ObjectMappingMetadata::ExcludeFromReporting)
                .value("true")])
            .scope(scope)
            .attribute_mappings([AttributeMapping::default()
                .default_value("")
                .export_missing_references(false)
                .flow_behavior(AttributeFlowBehavior::FlowWhenChanged)
                .flow_type(AttributeFlowType::Always)
                .matching_priority(0)
                .source(source)
                .target_attribute_name("displayName")])]);
    let attribute = AttributeDefinition::default()
        .anchor(true)
        .api_expressions([StringKeyStringValuePair::default()
            .key("Get")
            .value("users/{id}")])
        .case_exact(false)
        .default_value(Value::Null.to_string())
        .flow_null_values(false)
        .metadata([AttributeDefinitionMetadataEntry::default()
            .key(AttributeDefinitionMetadata::BaseAttributeName)
            .value("objectId")])
        .multivalued(false)
        .mutability(Mutability::ReadWrite)
        .name("objectId")
        .referenced_objects([ReferencedObject::default().referenced_object_name("User")])
        .required(true)
        .r#type(AttributeType::String);
    let schema = SynchronizationSchema::default()
        .id("schema-1")
        .version("Date:2024-01-01~Version:2")
        .directories([DirectoryDefinition::default()
            .id("directory-1")
            .name("Azure Active Directory")
            .discoverabilities(DirectoryDefinitionDiscoverabilities::ATTRIBUTE_NAMES)
            .discovery_date_time(
                DateTimeOffset::parse("2019-03-20T15:47:50.4707552Z").expect("date"),
            )
            .read_only(true)
            .version("2.0")
            .objects([ObjectDefinition::default()
                .name("User")
                .supported_apis(["users"])
                .metadata([ObjectDefinitionMetadataEntry::default()
                    .key(ObjectDefinitionMetadata::PropertyNameAccountEnabled)
                    .value("accountEnabled")])
                .attributes([attribute])])])
        .synchronization_rules([rule]);
    let execution = SynchronizationTaskExecution::default()
        .activity_identifier("activity-1")
        .count_entitled(10)
        .count_exported(3)
        .state(SynchronizationTaskExecutionResult::Succeeded)
        .time_began(DateTimeOffset::parse("2021-05-01T00:00:00-05:00").expect("date"))
        .time_ended(DateTimeOffset::parse("0001-01-01T00:00:00Z").expect("date"))
        .error(
            SynchronizationError::default()
                .code("None")
                .message("")
                .tenant_actionable(false),
        );
    let mut quarantine = SynchronizationQuarantine::default()
        .reason(QuarantineReason::EncounteredQuarantineException)
        .series_count(2)
        .next_attempt(DateTimeOffset::parse("2024-02-29T23:59:59.9999999+14:00").expect("date"));
    // A nullable property cleared explicitly: sent as `null`, not omitted.
    quarantine.error = Nullable::Null;
    let status = SynchronizationStatus::default()
        .code(SynchronizationStatusCode::Active)
        .count_successive_complete_failures(0)
        .escrows_pruned(false)
        .last_execution(execution)
        .progress([SynchronizationProgress::default()
            .completed_units(5)
            .total_units(10)
            .units("users")])
        .quarantine(quarantine)
        .synchronized_entry_count_by_type([StringKeyLongValuePair::default()
            .key("User")
            .value(9_007_199_254_740_993_i64)])
        .troubleshooting_url("https://example.com/troubleshoot");
    let job = SynchronizationJob::default()
        .id("AWS.1e0f0b0a")
        .template_id("AWS")
        .schedule(
            SynchronizationSchedule::default()
                .expiration(DateTimeOffset::parse("2026-12-31T00:00:00Z").expect("date"))
                .interval(Duration::parse("PT40M").expect("duration"))
                .state(SynchronizationScheduleState::Active),
        )
        .schema(schema.clone())
        .status(status)
        .synchronization_job_settings([KeyValuePair::default()
            .name("QuarantineTooManyDeletesThreshold")
            .value("500")])
        .bulk_upload(BulkUpload::default().id("bulk-1"));
    let template = SynchronizationTemplate::default()
        .id("template-1")
        .application_id(
            msgraph_sync::runtime::guid::Guid::parse("8ADF8E6E-67B2-4CF2-A259-E3DC5476C621")
                .expect("guid"),
        )
        .set_default(true)
        .description("Template for AWS")
        .discoverable(true)
        .factory_tag("AWS")
        .metadata([SynchronizationMetadataEntry::default()
            .key(SynchronizationMetadata::GalleryApplicationIdentifier)
            .value("aws")])
        .schema(schema);
    Synchronization::default()
        .id("synchronization-1")
        .jobs([job])
        .secrets(secrets())
        .templates([template])
}

#[test]
fn set_synchronization_body_covers_seed_003_and_round_trips() {
    let body = synchronization_body();
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
