//! Creates a provisioning job from a template (`POST .../synchronization/jobs`,
//! 201 Created) and starts it (`POST .../jobs/{id}/start`, 204).
//!
//! `GRAPH_TOKEN=... SERVICE_PRINCIPAL_ID=... TEMPLATE_ID=scim cargo run -p msgraph-sync --example create_and_start_job`

use msgraph_sync::models::SynchronizationJob;
use msgraph_sync::{Client, ClientBuilder, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = ClientBuilder::from_env()?.build()?;
    let service_principal_id = required_var("SERVICE_PRINCIPAL_ID")?;
    let template_id = std::env::var("TEMPLATE_ID").unwrap_or_else(|_| "scim".to_string());
    let job = create_and_start_job(&client, &service_principal_id, &template_id).await?;
    println!("job {} created and started", job.id.unwrap_or_default());
    Ok(())
}

/// The environment variable `name`, or an error that names it.
fn required_var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("the environment variable {name} is not set"))
}

/// Creates a job from `template_id` and starts it; returns the job as Graph created it.
pub async fn create_and_start_job(
    client: &Client,
    service_principal_id: &str,
    template_id: &str,
) -> Result<SynchronizationJob, Error> {
    let synchronization = client
        .service_principal(service_principal_id)
        .synchronization();
    let job = synchronization
        .jobs()
        .create(&SynchronizationJob::default().template_id(template_id))
        .await?;
    let job_id = job
        .id
        .clone()
        .ok_or_else(|| Error::Config("Graph returned a job without an id".into()))?;
    synchronization.job(&job_id).start().await?;
    Ok(job)
}
