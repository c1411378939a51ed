//! A client against a local mock server (wiremock on 127.0.0.1), as the client
//! tests set it up: a static token, millisecond retries, bounded timeouts.

use msgraph_sync::runtime::client::{Client, ClientBuilder};
use msgraph_sync::runtime::path::RequestPath;
use msgraph_sync::runtime::retry::RetryPolicy;
use serde_json::Value;
use std::time::Duration;
use wiremock::{Mock, MockServer, Request, ResponseTemplate, matchers};

/// The bearer token the mock clients send.
pub const TOKEN: &str = "test-token";

/// Retries that wait milliseconds, within a 5 s budget: a retrying test takes no time.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
        .max_total(Duration::from_secs(5))
}

/// A client builder for the server at `base`: [`TOKEN`], [`fast_retries`], a 5 s
/// timeout. Tests change what they are about on it.
pub fn builder(base: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base)
        .static_token(TOKEN)
        .retry_policy(fast_retries())
        .timeout(Duration::from_secs(5))
}

/// A [`builder`]'s client for `server`.
pub fn client(server: &MockServer) -> Client {
    builder(&server.uri()).build().expect("client builds")
}

/// A mock server started on 127.0.0.1 and a [`client`] for it.
pub async fn start() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = client(&server);
    (server, client)
}

/// A base URL on 127.0.0.1 whose port refuses connections: bind, note the port,
/// drop the listener.
pub fn refused_base_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// `servicePrincipals/sp-1/synchronization/jobs`.
pub fn jobs_path() -> RequestPath {
    RequestPath::new()
        .push("servicePrincipals")
        .push_id("sp-1")
        .push("synchronization")
        .push("jobs")
}

/// `servicePrincipals/sp-1/synchronization/jobs/job-1`.
pub fn job_path() -> RequestPath {
    jobs_path().push_id("job-1")
}

/// The requests the server received, in order.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

/// A request header as text.
pub fn header_of<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// A request's JSON body.
pub fn body_of(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("JSON body")
}

/// Answers every `method` request to `server` with `response`.
pub async fn respond(server: &MockServer, method: &str, response: ResponseTemplate) {
    Mock::given(matchers::method(method))
        .respond_with(response)
        .mount(server)
        .await;
}

/// Answers the first `method` request to `server` with `first`, every later one
/// with `then`.
pub async fn respond_once_then(
    server: &MockServer,
    method: &str,
    first: ResponseTemplate,
    then: ResponseTemplate,
) {
    Mock::given(matchers::method(method))
        .respond_with(first)
        .up_to_n_times(1)
        .mount(server)
        .await;
    respond(server, method, then).await;
}

/// Every request `server` received carried the header `name` with `value`.
pub async fn assert_every_request_has(server: &MockServer, name: &str, value: &str) {
    let requests = received(server).await;
    assert!(!requests.is_empty(), "no request was received");
    for request in requests {
        assert_eq!(header_of(&request, name), Some(value), "{}", request.url);
    }
}
