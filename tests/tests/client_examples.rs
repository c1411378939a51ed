//! The client examples in `generated/examples/` (the Rust counterparts of the seed
//! snippets), run against a local mock server: each sends the method, path,
//! headers and body Graph documents.
#![allow(dead_code)]

#[path = "../../generated/examples/bulk_upload.rs"]
mod bulk_upload;
#[path = "../../generated/examples/create_and_start_job.rs"]
mod create_and_start_job;
#[path = "../../generated/examples/provision_on_demand.rs"]
mod provision_on_demand;
#[path = "../../generated/examples/put_secrets.rs"]
mod put_secrets;
#[path = "../../generated/examples/set_synchronization.rs"]
mod set_synchronization;

use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use msgraph_sync_tests::mock::{self, body_of};

#[tokio::test]
async fn put_secrets_sends_seed_002() {
    let (server, client) = mock::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1.0/servicePrincipals/sp-1/synchronization/secrets"))
        .and(header("authorization", "Bearer test-token"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"value": [
            {"key": "BaseAddress", "value": "user@domain.com"},
            {"key": "SecretToken", "value": "password-value"},
            {"key": "SyncNotificationSettings", "value": "{\"Enabled\":false,\"DeleteThresholdEnabled\":false}"},
            {"key": "SyncAll", "value": "false"}
        ]})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    put_secrets::put_secrets(&client, "sp-1")
        .await
        .expect("204");
}

#[tokio::test]
async fn set_synchronization_puts_the_seed_003_body() {
    let (server, client) = mock::start().await;
    let body = set_synchronization::synchronization_body().expect("body");
    Mock::given(method("PUT"))
        .and(path("/v1.0/servicePrincipals/sp-1/synchronization"))
        .and(body_json(serde_json::to_value(&body).expect("encode")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    set_synchronization::set_synchronization(&client, "sp-1", &body)
        .await
        .expect("204");
}

#[tokio::test]
async fn create_and_start_job_posts_then_starts() {
    let (server, client) = mock::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/servicePrincipals/sp-1/synchronization/jobs"))
        .and(body_json(json!({"templateId": "scim"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "scim.abc", "templateId": "scim", "schedule": {"interval": "PT40M", "state": "Disabled"}})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(
            "/v1.0/servicePrincipals/sp-1/synchronization/jobs/scim.abc/start",
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let job = create_and_start_job::create_and_start_job(&client, "sp-1", "scim")
        .await
        .expect("job");
    assert_eq!(job.id.as_deref(), Some("scim.abc"));
    let start = &server.received_requests().await.expect("recorded")[1];
    assert!(start.body.is_empty(), "start has no body");
}

#[tokio::test]
async fn provision_on_demand_sends_parameters_and_reads_the_pair() {
    let (server, client) = mock::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/servicePrincipals/sp-1/synchronization/jobs/job-1/provisionOnDemand"))
        .and(body_json(json!({"parameters": [{"ruleId": "rule-1", "subjects": [{"objectId": "user-1", "objectTypeName": "User"}]}]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.stringKeyStringValuePair",
            "key": "{\"provisioningSteps\":[]}",
            "value": "{\"timestamp\":\"2020-12-01T18:38:41.4472164Z\"}"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let pair = provision_on_demand::provision_user(&client, "sp-1", "job-1", "rule-1", "user-1")
        .await
        .expect("pair");
    assert_eq!(
        pair.value.value().map(String::as_str),
        Some("{\"timestamp\":\"2020-12-01T18:38:41.4472164Z\"}")
    );
    assert!(pair.additional_properties.contains_key("@odata.context"));
}

#[tokio::test]
async fn bulk_upload_posts_scim_json() {
    let (server, client) = mock::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/v1.0/servicePrincipals/sp-1/synchronization/jobs/job-1/bulkUpload",
        ))
        .and(header("content-type", "application/scim+json"))
        .respond_with(ResponseTemplate::new(202).insert_header(
            "location",
            "https://graph.microsoft.com/v1.0/auditLogs/provisioning",
        ))
        .expect(1)
        .mount(&server)
        .await;
    bulk_upload::upload_users(&client, "sp-1", "job-1")
        .await
        .expect("202");
    let requests = server.received_requests().await.expect("recorded");
    let body = body_of(&requests[0]);
    assert_eq!(
        body["schemas"],
        json!(["urn:ietf:params:scim:api:messages:2.0:BulkRequest"])
    );
    let operations = body["Operations"].as_array().expect("operations");
    assert_eq!(operations.len(), 2);
    assert_eq!(operations[0]["method"], "POST");
    assert_eq!(operations[0]["path"], "/Users");
    let data = &operations[0]["data"];
    assert_eq!(
        data["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["department"],
        "Tour Operations"
    );
    assert_eq!(
        data["urn:ietf:params:scim:schemas:extension:csv:1.0:User"]["HireDate"],
        "2024-01-15"
    );
}
