//! `POST .../jobs/{id}/bulkUpload` with a SCIM BulkRequest as
//! `application/scim+json` (permission SynchronizationData-User.Upload): two users with
//! the core and enterprise-extension attributes and a custom one.
//!
//! `GRAPH_TOKEN=... SERVICE_PRINCIPAL_ID=... JOB_ID=... cargo run -p msgraph-sync --example bulk_upload`

use msgraph_sync::scim::{
    BulkOperation, BulkRequest, ENTERPRISE_USER_SCHEMA, EnterpriseUser, ScimManager,
    ScimMultiValued, ScimName, ScimUser, USER_SCHEMA,
};
use msgraph_sync::{Client, ClientBuilder, Error, Nullable};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = ClientBuilder::from_env()?.build()?;
    let service_principal_id = required_var("SERVICE_PRINCIPAL_ID")?;
    let job_id = required_var("JOB_ID")?;
    upload_users(&client, &service_principal_id, &job_id).await?;
    println!("bulk request accepted");
    Ok(())
}

/// The environment variable `name`, or an error that names it.
fn required_var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("the environment variable {name} is not set"))
}

fn user(id: &str, given: &str, family: &str, department: &str) -> ScimUser {
    let mut user = ScimUser {
        schemas: vec![USER_SCHEMA.into(), ENTERPRISE_USER_SCHEMA.into()],
        external_id: id.to_string().into(),
        user_name: format!("{given}.{family}@example.com").into(),
        name: Nullable::Value(ScimName {
            given_name: given.to_string().into(),
            family_name: family.to_string().into(),
            ..ScimName::default()
        }),
        display_name: format!("{given} {family}").into(),
        emails: Nullable::Value(vec![ScimMultiValued {
            value: format!("{given}.{family}@example.com").into(),
            kind: "work".to_string().into(),
            primary: true.into(),
            ..ScimMultiValued::default()
        }]),
        active: true.into(),
        enterprise: Nullable::Value(EnterpriseUser {
            employee_number: id.to_string().into(),
            department: department.to_string().into(),
            manager: Nullable::Value(ScimManager {
                value: "89607".to_string().into(),
                ..ScimManager::default()
            }),
            ..EnterpriseUser::default()
        }),
        ..ScimUser::default()
    };
    // A custom attribute the target app maps: any other schema goes here as JSON.
    user.additional_attributes.insert(
        "urn:ietf:params:scim:schemas:extension:csv:1.0:User".into(),
        serde_json::json!({"HireDate": "2024-01-15"}),
    );
    user
}

/// Sends two users to the job's provisioning pipeline.
pub async fn upload_users(
    client: &Client,
    service_principal_id: &str,
    job_id: &str,
) -> Result<(), Error> {
    let request = BulkRequest::new([
        BulkOperation::create_user(
            "701984",
            user("701984", "Barbara", "Jensen", "Tour Operations"),
        ),
        BulkOperation::create_user(
            "701985",
            user("701985", "Kathy", "Jensen", "Tour Operations"),
        ),
    ]);
    client
        .service_principal(service_principal_id)
        .synchronization()
        .job(job_id)
        .bulk_upload()
        .post(&request)
        .await
}
