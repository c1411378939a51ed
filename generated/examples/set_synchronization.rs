//! The Rust counterpart of PowerShell's `Set-MgServicePrincipalSynchronization`: `PUT
//! /servicePrincipals/{id}/synchronization` with the whole body tree: jobs with their
//! schedule, status and schema (directories, objects, attributes, synchronization
//! rules, object and attribute mappings with nested sources, scope filters), secrets
//! and templates.
//!
//! `GRAPH_TOKEN=... SERVICE_PRINCIPAL_ID=... cargo run -p msgraph-sync --example set_synchronization`

use msgraph_sync::models::*;
use msgraph_sync::{Client, ClientBuilder, DateTimeOffset, Duration, Error, Guid, Nullable};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = ClientBuilder::from_env()?.build()?;
    let service_principal_id = required_var("SERVICE_PRINCIPAL_ID")?;
    set_synchronization(&client, &service_principal_id, &synchronization_body()?).await?;
    println!("synchronization replaced");
    Ok(())
}

/// The environment variable `name`, or an error that names it.
fn required_var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("the environment variable {name} is not set"))
}

/// Replaces the service principal's synchronization (PUT, 204 No Content).
pub async fn set_synchronization(
    client: &Client,
    service_principal_id: &str,
    body: &Synchronization,
) -> Result<(), Error> {
    client
        .service_principal(service_principal_id)
        .synchronization()
        .put(body)
        .await
}

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

/// Every node of the cmdlet's BODYPARAMETER tree, built with the generated setters.
pub fn synchronization_body() -> Result<Synchronization, Box<dyn std::error::Error>> {
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
        .default_value("null")
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
            .discovery_date_time(DateTimeOffset::parse("2019-03-20T15:47:50.4707552Z")?)
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
        .time_began(DateTimeOffset::parse("2021-05-01T00:00:00-05:00")?)
        .time_ended(DateTimeOffset::parse("0001-01-01T00:00:00Z")?)
        .error(
            SynchronizationError::default()
                .code("None")
                .message("")
                .tenant_actionable(false),
        );
    let mut quarantine = SynchronizationQuarantine::default()
        .reason(QuarantineReason::EncounteredQuarantineException)
        .series_count(2)
        .next_attempt(DateTimeOffset::parse("2024-02-29T23:59:59.9999999+14:00")?);
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
                .expiration(DateTimeOffset::parse("2026-12-31T00:00:00Z")?)
                .interval(Duration::parse("PT40M")?)
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
        .application_id(Guid::parse("8ADF8E6E-67B2-4CF2-A259-E3DC5476C621")?)
        .set_default(true)
        .description("Template for AWS")
        .discoverable(true)
        .factory_tag("AWS")
        .metadata([SynchronizationMetadataEntry::default()
            .key(SynchronizationMetadata::GalleryApplicationIdentifier)
            .value("aws")])
        .schema(schema);
    Ok(Synchronization::default()
        .id("synchronization-1")
        .jobs([job])
        .secrets(secrets())
        .templates([template]))
}
