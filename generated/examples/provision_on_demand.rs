//! Provisions one user on demand (`POST .../jobs/{id}/provisionOnDemand`) and prints
//! the result Graph returns (a key/value pair whose value is a JSON text).
//!
//! `GRAPH_TOKEN=... SERVICE_PRINCIPAL_ID=... JOB_ID=... RULE_ID=... USER_ID=... cargo run -p msgraph-sync --example provision_on_demand`

use msgraph_sync::models::{
    ProvisionOnDemandParameters, StringKeyStringValuePair, SynchronizationJobApplicationParameters,
    SynchronizationJobSubject,
};
use msgraph_sync::{Client, ClientBuilder, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = ClientBuilder::from_env()?.build()?;
    let result = provision_user(
        &client,
        &required_var("SERVICE_PRINCIPAL_ID")?,
        &required_var("JOB_ID")?,
        &required_var("RULE_ID")?,
        &required_var("USER_ID")?,
    )
    .await?;
    println!(
        "{}: {}",
        result.key.value().map_or("", String::as_str),
        result.value.value().map_or("", String::as_str)
    );
    Ok(())
}

/// The environment variable `name`, or an error that names it.
fn required_var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("the environment variable {name} is not set"))
}

/// Asks the job to provision the user `user_id` now, under synchronization rule `rule_id`.
pub async fn provision_user(
    client: &Client,
    service_principal_id: &str,
    job_id: &str,
    rule_id: &str,
    user_id: &str,
) -> Result<StringKeyStringValuePair, Error> {
    let parameters = ProvisionOnDemandParameters::default().parameters([
        SynchronizationJobApplicationParameters::default()
            .rule_id(rule_id)
            .subjects([SynchronizationJobSubject::default()
                .object_id(user_id)
                .object_type_name("User")]),
    ]);
    client
        .service_principal(service_principal_id)
        .synchronization()
        .job(job_id)
        .provision_on_demand(&parameters)
        .await
}
