//! `PUT /servicePrincipals/{id}/synchronization/secrets`: saves the credentials the
//! provisioning service uses to reach the target application (the Rust counterpart of
//! the C#, JavaScript, PowerShell and Python snippets in Graph's documentation).
//!
//! `GRAPH_TOKEN=... SERVICE_PRINCIPAL_ID=... cargo run -p msgraph-sync --example put_secrets`
//! (also `GRAPH_CLOUD`, `GRAPH_VERSION`, `GRAPH_BASE_URL`; see `ClientBuilder::from_env`).

use msgraph_sync::models::{
    SynchronizationSecret as Secret, SynchronizationSecretKeyStringValuePair as Pair,
};
use msgraph_sync::{Client, ClientBuilder, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = ClientBuilder::from_env()?.build()?;
    put_secrets(&client, &required_var("SERVICE_PRINCIPAL_ID")?).await?;
    println!("secrets saved");
    Ok(())
}

/// The environment variable `name`, or an error that names it.
fn required_var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("the environment variable {name} is not set"))
}

/// Saves the credentials the provisioning service uses to reach the target app.
pub async fn put_secrets(client: &Client, service_principal_id: &str) -> Result<(), Error> {
    let pair = |key: Secret, value: &str| Pair::default().key(key).value(value);
    let settings = r#"{"Enabled":false,"DeleteThresholdEnabled":false}"#;
    let secrets = [
        pair(Secret::BaseAddress, "user@domain.com"),
        pair(Secret::SecretToken, "password-value"),
        pair(Secret::SyncNotificationSettings, settings),
        pair(Secret::SyncAll, "false"),
    ];
    let synchronization = client
        .service_principal(service_principal_id)
        .synchronization();
    synchronization.secrets().put(&secrets).await
}
