//! Secrets never leak: three canaries, (a) a synchronization secret value, (b)
//! credentials of validateCredentials / acquireAccessToken, (c) a bearer token
//! (a `StaticToken` and a `TokenProvider`), never appear in `Debug` or `{:#?}`,
//! in `Display` (or the source chain) of any error the client returns, in
//! `tracing` output at TRACE level (the client's spans and events, and reqwest's,
//! hyper's and rustls' own through the `log` bridge), or in panic messages of
//! `.expect()` / `.unwrap()` on those errors and models.
//!
//! `redaction.rs` covers `Debug` of the secret-bearing models built in code and
//! through the registry; `runtime_client.rs` covers `Debug` of tokens and clients
//! and errors of a 401, a decode, a timeout, refused and auth. This file extends
//! that to requests built by the generated API, secrets decoded under unknown
//! names, Graph errors that echo what was sent, tracing, and panics.
#![forbid(unsafe_code)]

use msgraph_sync::models::{
    AcquireAccessTokenParameters, Synchronization, SynchronizationJob, SynchronizationSecret,
    SynchronizationSecretKeyStringValuePair, ValidateCredentialsParameters,
};
use msgraph_sync::runtime::auth::{AccessToken, AuthError, TokenFuture, TokenProvider};
use msgraph_sync::runtime::client::Client;
use msgraph_sync::runtime::error::Error;
use msgraph_sync::runtime::retry::RetryPolicy;
use serde_json::json;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use msgraph_sync_tests::mock;
use msgraph_sync_tests::traces::Captured;
use tracing_subscriber::fmt::format::FmtSpan;

/// (a) the value of a synchronization secret.
const SECRET: &str = "c4n4ry-secret-value-5d1f";
/// (b) a credential sent to validateCredentials / acquireAccessToken.
const CREDENTIAL: &str = "c4n4ry-credential-8b2e";
/// (c) the bearer token.
const TOKEN: &str = "c4n4ry-bearer-token-3a7c";
/// What every canary contains: its absence proves all three absent.
const MARK: &str = "c4n4ry";

fn assert_clean(label: &str, text: &str) {
    let leaks: Vec<&str> = text.lines().filter(|l| l.contains(MARK)).take(5).collect();
    assert!(leaks.is_empty(), "{label} leaks a canary: {leaks:#?}");
}

fn secret_pair() -> SynchronizationSecretKeyStringValuePair {
    SynchronizationSecretKeyStringValuePair::default()
        .key(SynchronizationSecret::SecretToken)
        .value(SECRET)
}

fn credential_pair() -> SynchronizationSecretKeyStringValuePair {
    SynchronizationSecretKeyStringValuePair::default()
        .key(SynchronizationSecret::Password)
        .value(CREDENTIAL)
}

fn validate_parameters() -> ValidateCredentialsParameters {
    ValidateCredentialsParameters::default()
        .application_identifier("app-id")
        .template_id("scim")
        .use_saved_credentials(false)
        .credentials([credential_pair(), secret_pair()])
}

fn acquire_parameters() -> AcquireAccessTokenParameters {
    AcquireAccessTokenParameters::default().credentials([credential_pair(), secret_pair()])
}

/// A token provider handing out the canary token.
struct CanaryProvider;

impl TokenProvider for CanaryProvider {
    fn token<'a>(&'a self, _scopes: &'a [String]) -> TokenFuture<'a> {
        Box::pin(async { Ok(AccessToken::new(TOKEN)) })
    }
}

/// A token provider that fails; it holds the credential it would have used.
struct FailingProvider {
    client_secret: String,
}

impl TokenProvider for FailingProvider {
    fn token<'a>(&'a self, _scopes: &'a [String]) -> TokenFuture<'a> {
        let length = self.client_secret.len();
        Box::pin(async move {
            Err(AuthError::with_source(
                format!("the token endpoint refused the client secret ({length} characters)"),
                std::io::Error::other("AADSTS7000215: Invalid client secret provided."),
            ))
        })
    }
}

fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(2)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(2))
}

fn static_client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .static_token(TOKEN)
        .retry_policy(fast())
        .timeout(Duration::from_secs(2))
        .build()
        .expect("client")
}

fn provider_client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .token_provider(CanaryProvider)
        .retry_policy(fast())
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client")
}

/// Every span (new, enter, exit, close, with fields) and event at TRACE level, and
/// the `log` records of reqwest and rustls. Every test calls this first, so
/// everything this binary does is captured, whichever test runs first.
fn traces() -> &'static Captured {
    msgraph_sync_tests::traces::captured(tracing::Level::TRACE, FmtSpan::FULL)
}

/// Everything a user may print about a value.
fn shown<T: std::fmt::Debug>(value: &T) -> String {
    format!("{value:?}\n{value:#?}")
}

/// Display, Debug and pretty Debug of an error and of every source below it.
fn shown_error(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = format!("{err}\n{err:?}\n{err:#?}");
    let mut source = err.source();
    while let Some(cause) = source {
        out.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    out
}

#[tokio::test]
async fn debug_of_requests_built_by_the_api_and_of_secrets_under_unknown_names() {
    traces();
    let client = static_client("http://127.0.0.1:9");
    let synchronization = client.service_principal("sp-1").synchronization();
    let values: Vec<(&str, String)> = vec![
        (
            "secrets().put",
            shown(&synchronization.secrets().put(&[secret_pair()])),
        ),
        (
            "put(synchronization)",
            shown(&synchronization.put(&Synchronization::default().secrets([secret_pair()]))),
        ),
        (
            "acquire_access_token",
            shown(&synchronization.acquire_access_token(&acquire_parameters())),
        ),
        (
            "jobs().validate_credentials",
            shown(
                &synchronization
                    .jobs()
                    .validate_credentials(&validate_parameters()),
            ),
        ),
        (
            "job().validate_credentials request",
            shown(
                synchronization
                    .job("job-1")
                    .validate_credentials(&validate_parameters())
                    .request(),
            ),
        ),
        ("builder chain", shown(&synchronization)),
        (
            "provider client",
            shown(&provider_client("http://127.0.0.1:9")),
        ),
    ];
    for (label, text) in &values {
        assert_clean(label, text);
    }

    // A secret decoded under a name the metadata does not declare (PowerShell and
    // C# users write `Key`/`Value`; Graph reads names case-insensitively) lands in
    // the unknown properties of the secret-bearing type: still redacted.
    let pascal = format!(r#"{{"Key":"SecretToken","Value":"{SECRET}"}}"#);
    let pair: SynchronizationSecretKeyStringValuePair =
        serde_json::from_str(&pascal).expect("decodes");
    assert!(
        serde_json::to_string(&pair)
            .expect("encodes")
            .contains(SECRET),
        "kept for sending"
    );
    assert_clean("pair with PascalCase Value", &shown(&pair));
    let parameters: ValidateCredentialsParameters = serde_json::from_value(json!({
        "credentials": [{"key": "Password", "value": CREDENTIAL, "valueHint": CREDENTIAL}]
    }))
    .expect("decodes");
    assert_clean("credentials with an unknown property", &shown(&parameters));
}

/// Builds one of each error the client returns, each after sending all three
/// canaries (token in the header, secrets in the body) where it sends anything.
async fn every_error() -> Vec<(&'static str, Error)> {
    tokio::time::timeout(Duration::from_secs(10), every_error_unbounded())
        .await
        .expect("the requests finished within the bound")
}

async fn every_error_unbounded() -> Vec<(&'static str, Error)> {
    let server = MockServer::start().await;
    // Graph echoing what it was sent: in the message, the inner error, the details.
    let echo = json!({"error": {
        "code": "InvalidCredentials",
        "message": format!(
            "Credential '{CREDENTIAL}' could not be validated with secret {SECRET}; token {TOKEN} (Bearer {TOKEN})"
        ),
        "innerError": {"request-id": "rid-1", "echo": {"sent": [CREDENTIAL, SECRET]}, "date": "2026-11-23T12:00:00"},
        "details": [{"code": "Echo", "message": format!("value={SECRET}"), "target": TOKEN}]
    }});
    Mock::given(method("POST"))
        .and(path_regex("validateCredentials$"))
        .respond_with(ResponseTemplate::new(400).set_body_json(echo.clone()))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path_regex("secrets$"))
        .respond_with(ResponseTemplate::new(503).set_body_json(echo.clone()))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex("acquireAccessToken$"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .set_body_json(echo),
        )
        .mount(&server)
        .await;
    // Success bodies that do not decode, with the canaries in every position.
    Mock::given(method("GET"))
        .and(path_regex("jobs/wrong-type$"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            format!(r#"{{"id":"j","schedule":{{"interval":"{SECRET}"}}}}"#),
            "application/json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("jobs/bad-date$"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            format!(r#"{{"id":"j","status":{{"lastExecution":{{"timeBegan":"{CREDENTIAL}"}}}}}}"#),
            "application/json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("jobs/bare$"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(format!(r#"{{"id": {TOKEN}}}"#), "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("jobs/truncated$"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            format!(r#"{{"id":"j","templateId":"{SECRET}"#),
            "application/json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("jobs/slow$"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;

    let refused = mock::refused_base_url();
    let base = server.uri();
    let stat = static_client(&base);
    let prov = provider_client(&base);
    let strict = Client::builder()
        .base_url(&base)
        .static_token(TOKEN)
        .retry_policy(fast())
        .strict_values(true)
        .build()
        .expect("client");
    let sp = |client: &Client| client.service_principal("sp-1").synchronization();
    let job = |client: &Client, id: &str| sp(client).job(id).get().send();
    let mut errors = vec![
        (
            "Graph 400 echoing the canaries (static token)",
            sp(&stat)
                .jobs()
                .validate_credentials(&validate_parameters())
                .await
                .expect_err("400"),
        ),
        (
            "Graph 400 echoing the canaries (token provider)",
            sp(&prov)
                .job("job-1")
                .validate_credentials(&validate_parameters())
                .await
                .expect_err("400"),
        ),
        (
            "Graph 503 echoing the canaries, retried (PUT secrets)",
            sp(&stat)
                .secrets()
                .put(&[secret_pair(), credential_pair()])
                .await
                .expect_err("503"),
        ),
        (
            "Graph 401 echoing the canaries (acquireAccessToken)",
            sp(&prov)
                .acquire_access_token(&acquire_parameters())
                .await
                .expect_err("401"),
        ),
        (
            "decode: secret where a duration belongs (strict values)",
            job(&strict, "wrong-type").await.expect_err("decode"),
        ),
        (
            "decode: credential where a date-time belongs (strict values)",
            job(&strict, "bad-date").await.expect_err("decode"),
        ),
        (
            "decode: token as a bare JSON token",
            job(&stat, "bare").await.expect_err("decode"),
        ),
        (
            "decode: truncated inside the secret",
            job(&stat, "truncated").await.expect_err("decode"),
        ),
        (
            "timeout (token provider)",
            job(&prov, "slow").await.expect_err("timeout"),
        ),
        (
            "transport: refused (PUT secrets)",
            sp(&static_client(&refused))
                .secrets()
                .put(&[secret_pair()])
                .await
                .expect_err("refused"),
        ),
        (
            "transport: refused (validateCredentials)",
            sp(&provider_client(&refused))
                .jobs()
                .validate_credentials(&validate_parameters())
                .await
                .expect_err("refused"),
        ),
    ];
    let failing = Client::builder()
        .base_url(&base)
        .token_provider(FailingProvider {
            client_secret: CREDENTIAL.to_string(),
        })
        .build()
        .expect("client");
    errors.push((
        "auth: the provider failed",
        sp(&failing)
            .secrets()
            .put(&[secret_pair()])
            .await
            .expect_err("auth"),
    ));
    let bad_header = Client::builder()
        .base_url(&base)
        .static_token(format!("{TOKEN}\r\nX-Injected: 1"))
        .build()
        .expect("client");
    errors.push((
        "auth: the token cannot be a header",
        job(&bad_header, "job-1").await.expect_err("auth"),
    ));
    errors
}

fn variant(err: &Error) -> &'static str {
    match err.last() {
        Error::Graph(_) => "graph",
        Error::Decode { .. } => "decode",
        Error::Timeout { .. } => "timeout",
        Error::Transport(_) => "transport",
        Error::Auth(_) => "auth",
        _ => "other",
    }
}

#[tokio::test]
async fn no_error_displays_a_canary() {
    traces();
    let errors = every_error().await;
    let kinds: Vec<&str> = errors.iter().map(|(_, e)| variant(e)).collect();
    assert_eq!(
        kinds,
        [
            "graph",
            "graph",
            "graph",
            "graph",
            "decode",
            "decode",
            "decode",
            "decode",
            "timeout",
            "transport",
            "transport",
            "auth",
            "auth"
        ]
    );
    for (label, err) in &errors {
        assert_clean(label, &shown_error(err));
        if let Some(graph) = err.graph_error() {
            assert_clean(label, &shown_error(graph));
            assert_clean(label, &format!("{:?}", graph.inner_error));
            assert_clean(label, &format!("{:?}", graph.details));
        }
    }
    // What Graph said stays readable around what was taken out.
    let graph = errors[0].1.graph_error().expect("graph");
    assert_eq!(graph.code.as_deref(), Some("InvalidCredentials"));
    let message = graph.message.as_deref().unwrap_or_default();
    assert!(
        message
            .starts_with("Credential '<redacted>' could not be validated with secret <redacted>"),
        "{message}"
    );
    assert_eq!(
        graph.inner_error.as_ref().map(|i| i["request-id"].clone()),
        Some(json!("rid-1"))
    );
    assert_eq!(graph.request_id.as_deref(), Some("rid-1"));
    let retried = &errors[2].1;
    assert!(
        matches!(retried, Error::RetriesExhausted { attempts: 2, .. }),
        "{retried:?}"
    );
}

/// Captures the messages of panics raised inside [`PanicCapture::panics`] on this
/// thread; every other panic (a failing assertion of a test) goes to the previous
/// hook as usual.
struct PanicCapture {
    messages: Arc<Mutex<Vec<String>>>,
    armed: Arc<AtomicBool>,
}

impl PanicCapture {
    fn install() -> PanicCapture {
        let messages = Arc::new(Mutex::new(Vec::new()));
        let armed = Arc::new(AtomicBool::new(false));
        let (sink, on) = (messages.clone(), armed.clone());
        let me = std::thread::current().id();
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if std::thread::current().id() == me && on.load(Ordering::SeqCst) {
                if let Ok(mut all) = sink.lock() {
                    all.push(info.to_string());
                }
            } else {
                previous(info);
            }
        }));
        PanicCapture { messages, armed }
    }

    /// Runs `f`, which must panic; returns the panic's message and payload.
    fn panics(&self, label: &str, f: impl FnOnce()) -> String {
        let before = self.messages.lock().map(|m| m.len()).unwrap_or_default();
        self.armed.store(true, Ordering::SeqCst);
        let outcome = panic::catch_unwind(AssertUnwindSafe(f));
        self.armed.store(false, Ordering::SeqCst);
        let payload = outcome.expect_err(label);
        let payload = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        let messages = self.messages.lock().map(|m| m.clone()).unwrap_or_default();
        assert_eq!(
            messages.len(),
            before + 1,
            "{label}: the hook saw the panic"
        );
        format!("{}\n{payload}", messages[before])
    }
}

impl Drop for PanicCapture {
    fn drop(&mut self) {
        // Back to the default hook; `take_hook` must not run while panicking.
        if !std::thread::panicking() {
            let _ = panic::take_hook();
        }
    }
}

/// A labelled closure that panics.
type Panicking<'a> = (&'static str, Box<dyn Fn() + 'a>);

#[tokio::test]
// The point is to panic on `Err` and `Ok` values, as careless callers do.
#[allow(clippy::unnecessary_literal_unwrap)]
async fn no_panic_message_carries_a_canary() {
    traces();
    let errors = every_error().await;
    let capture = PanicCapture::install();
    let mut checked = 0;
    for (label, err) in errors {
        let result: Result<(), Error> = Err(err);
        let message = capture.panics(label, || result.expect(label));
        assert!(message.contains(label), "{label}: {message}");
        assert_clean(label, &message);
        checked += 1;
    }
    let models: Vec<Panicking<'_>> = vec![
        (
            "unwrap_err on a secret pair",
            Box::new(|| {
                let ok: Result<_, ()> = Ok(secret_pair());
                ok.unwrap_err();
            }),
        ),
        (
            "unwrap on validate parameters",
            Box::new(|| {
                let err: Result<(), _> = Err(validate_parameters());
                err.unwrap();
            }),
        ),
        (
            "expect on acquire parameters",
            Box::new(|| {
                let err: Result<(), _> = Err(acquire_parameters());
                err.expect("expect on acquire parameters");
            }),
        ),
        (
            "assert_eq on synchronizations",
            Box::new(|| {
                let a = Synchronization::default().secrets([secret_pair()]);
                let b = Synchronization::default().secrets([credential_pair()]);
                assert_eq!(a, b, "assert_eq on synchronizations");
            }),
        ),
        (
            "expect on a decoded job",
            Box::new(|| {
                let job: Result<SynchronizationJob, _> = Err(secret_pair());
                job.expect("expect on a decoded job");
            }),
        ),
    ];
    for (label, f) in models {
        let message = capture.panics(label, f);
        assert_clean(label, &message);
        assert!(message.contains("<redacted>"), "{label}: {message}");
        checked += 1;
    }
    drop(capture);
    assert_eq!(checked, 18);
}

#[tokio::test]
async fn tracing_at_trace_level_never_records_a_canary() {
    let traces = traces();
    let server = MockServer::start().await;
    mock::respond(
        &server,
        "PUT",
        ResponseTemplate::new(204).insert_header("request-id", "rid-ok"),
    )
    .await;
    mock::respond(
        &server,
        "POST",
        ResponseTemplate::new(503)
            .set_body_json(json!({"error": {
                "code": "Echo", "message": format!("{CREDENTIAL} {SECRET} {TOKEN}")
            }}))
            .insert_header("Retry-After", "0"),
    )
    .await;
    let requests = async {
        for client in [static_client(&server.uri()), provider_client(&server.uri())] {
            let synchronization = client.service_principal("sp-1").synchronization();
            synchronization
                .secrets()
                .put(&[secret_pair(), credential_pair()])
                .await
                .expect("PUT secrets");
            synchronization
                .put(&Synchronization::default().secrets([secret_pair()]))
                .await
                .expect("PUT synchronization");
            // A 503 that asks for a retry: "retrying" and "giving up" events name the
            // error, which echoes every canary.
            let err = synchronization
                .jobs()
                .validate_credentials(&validate_parameters())
                .await
                .expect_err("503");
            assert!(
                matches!(err, Error::RetriesExhausted { attempts: 2, .. }),
                "{err:?}"
            );
            synchronization
                .acquire_access_token(&acquire_parameters())
                .await
                .expect_err("503");
        }
    };
    tokio::time::timeout(Duration::from_secs(10), requests)
        .await
        .expect("the requests finished within the bound");
    let requests = mock::received(&server).await;
    assert!(
        requests
            .iter()
            .all(|r| mock::header_of(r, "authorization") == Some(&format!("Bearer {TOKEN}")))
    );
    assert!(
        requests
            .iter()
            .any(|r| String::from_utf8_lossy(&r.body).contains(SECRET))
    );

    let output = traces.text();
    assert!(
        output.contains("graph_request"),
        "nothing captured: {output}"
    );
    assert!(output.contains("retrying Graph request"), "{output}");
    assert!(output.contains("TRACE"), "no TRACE-level record: {output}");
    let dependencies: std::collections::BTreeSet<&str> = output
        .lines()
        .filter_map(|line| {
            ["reqwest", "hyper", "h2", "rustls", "wiremock"]
                .into_iter()
                .find(|t| line.contains(&format!(" {t}")))
        })
        .collect();
    println!(
        "captured {} trace lines; dependency targets seen: {dependencies:?}",
        output.lines().count()
    );
    // hyper-util's own tracing events, and reqwest's `log` records through the bridge.
    assert!(
        dependencies.contains("hyper") && dependencies.contains("reqwest"),
        "{dependencies:?}"
    );
    assert_clean("tracing output", &output);
}

/// By default a secret where a date-time or duration belongs is kept (as an invalid
/// value) and sent back as it came; neither `Debug` nor the accessors' errors show it.
#[test]
fn kept_invalid_values_never_show_their_text() {
    use msgraph_sync::models::SynchronizationJob;
    let json = format!(
        r#"{{"id":"j","schedule":{{"interval":"{SECRET}"}},"status":{{"lastExecution":{{"timeBegan":"{CREDENTIAL}"}}}}}}"#
    );
    let job: SynchronizationJob = msgraph_sync::runtime::json::from_str(&json).expect("kept");
    assert_eq!(serde_json::to_string(&job).expect("encodes"), json);
    assert_clean("Debug of the job", &format!("{job:?}\n{job:#?}"));
    let interval = job
        .schedule
        .value()
        .and_then(|s| s.interval.as_ref())
        .expect("interval");
    let began = job
        .status
        .value()
        .and_then(|s| s.last_execution.value())
        .and_then(|e| e.time_began.as_ref())
        .expect("timeBegan");
    let errors = [
        interval.to_std().expect_err("not a duration"),
        began.to_offset_date_time().expect_err("not a date-time"),
    ];
    for err in &errors {
        assert_clean("accessor error", &format!("{err}\n{err:?}\n{err:#?}"));
    }
    assert_eq!(errors[0].value(), Some(SECRET));
}
