//! Faults in the client, against servers on 127.0.0.1 only: wiremock, or a raw
//! tokio listener where the fault is at the socket level. Every case ends in a
//! typed error or a bounded retry, never a hang (each test body runs under
//! `tokio::time::timeout`) or a panic; POST and PATCH are never repeated when the
//! outcome of the first attempt is unknown (503/504 without `Retry-After`, a
//! connection lost after the request was sent, a timeout).
//!
//! Each case prints one `fault-matrix | case | outcome |` line (run with
//! `--nocapture`). What `runtime_client.rs` already proves is not repeated here:
//! refused GET/POST, 502 HTML, 401 with an error envelope, a 503 storm, Retry-After
//! in the past / 3600 s / malformed on 503, a slow header, a truncated JSON body
//! with a correct Content-Length.
#![forbid(unsafe_code)]

use msgraph_sync::models::SynchronizationJob;
use msgraph_sync::runtime::auth::{AccessToken, TokenFuture, TokenProvider};
use msgraph_sync::runtime::client::reqwest::Method;
use msgraph_sync::runtime::client::{Client, ClientBuilder};
use msgraph_sync::runtime::error::Error;
use msgraph_sync::runtime::request::{GetRequest, ListRequest, SendRequest};
use msgraph_sync::runtime::retry::RetryPolicy;
use serde_json::json;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use msgraph_sync_tests::mock::{self, fast_retries, job_path, jobs_path, refused_base_url};

const JOB: &str = "/servicePrincipals/{id}/synchronization/jobs/{jobId}";
const JOBS: &str = "/servicePrincipals/{id}/synchronization/jobs";
/// Generous: proves "bounded", not "fast".
const BOUND: Duration = Duration::from_secs(10);

/// Runs a test body under a hard time limit: a hang fails the test instead of
/// stalling the suite.
async fn bounded<F: Future<Output = ()>>(body: F) {
    tokio::time::timeout(BOUND, body)
        .await
        .expect("the case hung: it did not finish within the bound");
}

/// Three attempts, millisecond backoff, a 5 s budget, a 2 s per-attempt timeout.
fn builder(base: &str) -> ClientBuilder {
    mock::builder(base)
        .retry_policy(fast_retries().max_attempts(3))
        .timeout(Duration::from_secs(2))
}

fn client(base: &str) -> Client {
    builder(base).build().expect("client")
}

/// One request of `method` on a job, decoded as a job (or `()` when the
/// method has no useful response).
async fn call(client: &Client, method: Method) -> Result<(), Error> {
    match method {
        Method::GET => GetRequest::<SynchronizationJob>::new(client, job_path(), JOB)
            .await
            .map(drop),
        Method::POST => SendRequest::<SynchronizationJob>::new(client, method, jobs_path(), JOBS)
            .json(&json!({"templateId": "scim"}))
            .await
            .map(drop),
        _ => {
            SendRequest::<()>::new(client, method, job_path(), JOB)
                .json(&json!({"templateId": "scim"}))
                .await
        }
    }
}

/// The error's variant, looking through retries: `RetriesExhausted(3) <- Transport(body)`.
fn variant(err: &Error) -> String {
    match err {
        Error::Graph(graph) => format!("Graph({})", graph.status),
        Error::Transport(inner) => {
            let kind = if inner.is_connect() {
                "connect"
            } else if inner.is_body() || inner.is_decode() {
                "body"
            } else if inner.is_request() {
                "request"
            } else {
                "other"
            };
            format!("Transport({kind})")
        }
        Error::Timeout { after } => format!("Timeout({} ms)", after.as_millis()),
        Error::Decode { status, .. } => format!("Decode({status})"),
        Error::Auth(_) => "Auth".to_string(),
        Error::Encode(_) => "Encode".to_string(),
        Error::RetriesExhausted { attempts, last } => {
            format!("RetriesExhausted({attempts}) <- {}", variant(last))
        }
        Error::Config(_) => "Config".to_string(),
        _ => "unknown".to_string(),
    }
}

/// Prints one row of the fault matrix.
fn row(case: &str, outcome: &str) {
    println!("fault-matrix | {case} | {outcome} |");
}

fn requests_word(n: usize) -> String {
    if n == 1 {
        "1 request".to_string()
    } else {
        format!("{n} requests")
    }
}

/// Asserts the error's variant and the number of requests the server saw, and
/// prints the row.
fn expect(
    case: &str,
    result: Result<(), Error>,
    want: &str,
    requests: usize,
    want_requests: usize,
) {
    let err = result.expect_err(case);
    let got = variant(&err);
    assert_eq!(got, want, "{case}: {err}");
    assert_eq!(requests, want_requests, "{case}: requests seen; {err}");
    // Every error says something readable, with no panic in Display or Debug.
    assert!(!err.to_string().is_empty() && !format!("{err:?}").is_empty());
    row(case, &format!("{got}; {}", requests_word(requests)));
}

#[tokio::test]
async fn connection_refused_retries_only_idempotent_methods() {
    bounded(async {
        let client = client(&refused_base_url());
        for (method, want) in [
            (Method::GET, "RetriesExhausted(3) <- Transport(connect)"),
            (Method::PUT, "RetriesExhausted(3) <- Transport(connect)"),
            (Method::DELETE, "RetriesExhausted(3) <- Transport(connect)"),
            (Method::PATCH, "Transport(connect)"),
        ] {
            let err = call(&client, method.clone()).await.expect_err("refused");
            assert_eq!(variant(&err), want, "{method}: {err}");
            assert!(err.to_string().contains("connect"), "{err}");
            row(&format!("connection refused, {method}"), want);
        }
    })
    .await;
}

/// How the raw server misbehaves once it has read a whole request.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// `200` with `Content-Length: N`, then N/2 bytes of the body, then close.
    HalfBody,
    /// Close (FIN) without answering.
    CloseAfterRequest,
    /// Reset (RST) without answering.
    ResetAfterRequest,
    /// Never answer (keep the connection open).
    Hang,
    /// `200` headers at once, then one body byte every 100 ms.
    TrickleBody,
    /// Chunked `200` whose JSON ends early but whose chunks end properly.
    ChunkedTruncatedJson,
    /// Chunked `200`, one chunk, then close without the last chunk.
    ChunkedCut,
    /// Bytes that are not HTTP at all.
    NotHttp,
}

/// A raw HTTP/1.1 server on 127.0.0.1 that reads whole requests (head and
/// body, so the request was sent) and then misbehaves; counts requests.
struct RawServer {
    base: String,
    requests: Arc<AtomicUsize>,
}

impl RawServer {
    async fn start(fault: Fault) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let counter = counter.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, fault, &counter).await;
                });
            }
        });
        RawServer { base, requests }
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Reads one request (head and `Content-Length` body); false at end of stream.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<bool> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(false);
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut have = buffer.len() - head_end;
    while have < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(false);
        }
        have += n;
    }
    Ok(true)
}

async fn serve(mut stream: TcpStream, fault: Fault, requests: &AtomicUsize) -> std::io::Result<()> {
    if !read_request(&mut stream).await? {
        return Ok(());
    }
    requests.fetch_add(1, Ordering::SeqCst);
    let body =
        br#"{"id":"job-1","templateId":"scim","@odata.type":"microsoft.graph.synchronizationJob"}"#;
    match fault {
        Fault::HalfBody => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body[..body.len() / 2]).await?;
            stream.flush().await?;
        }
        Fault::CloseAfterRequest => {}
        Fault::ResetAfterRequest => {
            stream.set_zero_linger()?;
        }
        Fault::Hang => {
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        Fault::TrickleBody => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).await?;
            for byte in body {
                stream.write_all(&[*byte]).await?;
                stream.flush().await?;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        Fault::ChunkedTruncatedJson | Fault::ChunkedCut => {
            let part = &body[..body.len() / 2];
            let mut out = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            out.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
            out.extend_from_slice(part);
            out.extend_from_slice(b"\r\n");
            if let Fault::ChunkedTruncatedJson = fault {
                out.extend_from_slice(b"0\r\n\r\n");
            }
            stream.write_all(&out).await?;
            stream.flush().await?;
            if let Fault::ChunkedTruncatedJson = fault {
                // Keep the connection as a well-behaved keep-alive server would.
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
        Fault::NotHttp => {
            stream
                .write_all(b"SSH-2.0-OpenSSH_9.6\r\n\x00\x01\x02 garbage\r\n\r\n")
                .await?;
            stream.flush().await?;
        }
    }
    // Dropping the stream closes it (FIN, or RST after set_zero_linger).
    Ok(())
}

/// Runs `method` against a fresh raw server with `fault`; returns the result and
/// how many requests the server read.
async fn against(
    fault: Fault,
    method: Method,
    client_of: fn(&str) -> Client,
) -> (Result<(), Error>, usize) {
    let server = RawServer::start(fault).await;
    let client = client_of(&server.base);
    let result = call(&client, method).await;
    // Let the server task count a request that raced the client's error.
    tokio::time::sleep(Duration::from_millis(20)).await;
    (result, server.requests())
}

#[tokio::test]
async fn connection_lost_mid_body_retries_get_but_not_post() {
    bounded(async {
        for (method, want, want_requests) in [
            (Method::GET, "RetriesExhausted(3) <- Transport(body)", 3),
            (Method::PUT, "RetriesExhausted(3) <- Transport(body)", 3),
            (Method::POST, "Transport(body)", 1),
            (Method::PATCH, "Transport(body)", 1),
        ] {
            let (result, requests) = against(Fault::HalfBody, method.clone(), client).await;
            expect(
                &format!("closed after half the Content-Length body, {method}"),
                result,
                want,
                requests,
                want_requests,
            );
        }
    })
    .await;
}

#[tokio::test]
async fn connection_lost_after_the_request_was_sent_never_repeats_post_or_patch() {
    bounded(async {
        for fault in [Fault::CloseAfterRequest, Fault::ResetAfterRequest] {
            for (method, retried) in [
                (Method::GET, true),
                (Method::DELETE, true),
                (Method::POST, false),
                (Method::PATCH, false),
            ] {
                let (result, requests) = against(fault, method.clone(), client).await;
                let err = result.expect_err("no response");
                let got = variant(&err);
                assert!(
                    got.ends_with("Transport(request)")
                        || got.ends_with("Transport(other)")
                        || got.ends_with("Transport(body)"),
                    "{fault:?} {method}: {got}: {err}"
                );
                if retried {
                    assert!(got.starts_with("RetriesExhausted(3)"), "{method}: {got}");
                    assert_eq!(requests, 3, "{fault:?} {method}");
                } else {
                    assert!(got.starts_with("Transport("), "{method}: {got}");
                    assert_eq!(requests, 1, "{fault:?} {method}: repeated: {err}");
                }
                let case = match fault {
                    Fault::CloseAfterRequest => "closed (FIN) after the request, no response",
                    _ => "reset (RST) after the request, no response",
                };
                row(
                    &format!("{case}, {method}"),
                    &format!("{got}; {}", requests_word(requests)),
                );
            }
        }
    })
    .await;
}

#[tokio::test]
async fn chunked_bodies_cut_short() {
    bounded(async {
        let (result, requests) = against(Fault::ChunkedTruncatedJson, Method::GET, client).await;
        // The transfer completed: the body is whole as HTTP, but not as JSON. A
        // decode error is final (repeating would fetch the same bytes).
        expect(
            "chunked body complete, JSON truncated, GET",
            result,
            "Decode(200)",
            requests,
            1,
        );
        let (result, requests) = against(Fault::ChunkedCut, Method::GET, client).await;
        expect(
            "chunked body cut before the last chunk, GET",
            result,
            "RetriesExhausted(3) <- Transport(body)",
            requests,
            3,
        );
        let (result, requests) = against(Fault::ChunkedCut, Method::POST, client).await;
        expect(
            "chunked body cut before the last chunk, POST",
            result,
            "Transport(body)",
            requests,
            1,
        );
    })
    .await;
}

#[tokio::test]
async fn a_response_that_is_not_http_is_a_transport_error() {
    bounded(async {
        let (result, requests) = against(Fault::NotHttp, Method::GET, client).await;
        let err = result.expect_err("not HTTP");
        let got = variant(&err);
        assert!(
            got.starts_with("RetriesExhausted(3) <- Transport("),
            "{got}"
        );
        assert_eq!(requests, 3);
        row("answer is not HTTP, GET", &format!("{got}; 3 requests"));
        let (result, requests) = against(Fault::NotHttp, Method::POST, client).await;
        let err = result.expect_err("not HTTP");
        let got = variant(&err);
        assert!(got.starts_with("Transport("), "{got}");
        assert_eq!(requests, 1);
        row("answer is not HTTP, POST", &format!("{got}; 1 request"));
    })
    .await;
}

fn short_timeout(base: &str) -> Client {
    builder(base)
        .timeout(Duration::from_millis(300))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(2)
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5)),
        )
        .build()
        .expect("client")
}

#[tokio::test]
async fn slow_bodies_and_silent_servers_time_out_per_attempt() {
    bounded(async {
        for (fault, method, want, want_requests) in [
            // Headers arrive at once; the body trickles past the timeout, which covers
            // the whole exchange and not only the headers.
            (
                Fault::TrickleBody,
                Method::GET,
                "RetriesExhausted(2) <- Timeout(300 ms)",
                2,
            ),
            (Fault::TrickleBody, Method::POST, "Timeout(300 ms)", 1),
            // The request is read and never answered.
            (
                Fault::Hang,
                Method::GET,
                "RetriesExhausted(2) <- Timeout(300 ms)",
                2,
            ),
            (Fault::Hang, Method::PATCH, "Timeout(300 ms)", 1),
        ] {
            let started = Instant::now();
            let (result, requests) = against(fault, method.clone(), short_timeout).await;
            let elapsed = started.elapsed();
            assert!(result.as_ref().is_err_and(Error::is_timeout));
            expect(
                &format!("{fault:?}, {method}, 300 ms timeout"),
                result,
                want,
                requests,
                want_requests,
            );
            assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
        }
    })
    .await;
}

/// A list page of `count` jobs, about 100 bytes each.
fn big_page(count: usize) -> Vec<u8> {
    let mut body = String::with_capacity(count * 110 + 64);
    body.push_str(r#"{"@odata.context":"ctx","value":["#);
    for i in 0..count {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            r#"{{"id":"job-{i:08}","templateId":"scim-template","schedule":{{"interval":"PT40M","state":"Active"}}}}"#
        ));
    }
    body.push_str("]}");
    body.into_bytes()
}

/// Decision: a 10 MB response decodes. Graph's largest synchronization responses
/// (a schema with every directory and attribute mapping) run to megabytes, so the
/// client buffers the body and decodes it; time is bounded by the per-attempt
/// timeout, memory by the body's size (read once, decoded in place). A 10 MB body
/// that is not the expected JSON, or an error page of 10 MB, is a short typed error
/// that does not carry the body.
#[tokio::test]
async fn ten_megabyte_responses_decode_or_fail_short() {
    bounded(async {
        let page = big_page(105_000);
        assert!(page.len() > 10_000_000, "{}", page.len());
        let server = MockServer::start().await;
        mock::respond(
            &server,
            "GET",
            ResponseTemplate::new(200).set_body_raw(page.clone(), "application/json"),
        )
        .await;
        let started = Instant::now();
        let jobs =
            ListRequest::<SynchronizationJob>::new(&client(&server.uri()), jobs_path(), JOBS)
                .await
                .expect("10 MB decodes");
        let elapsed = started.elapsed();
        assert_eq!(jobs.value.len(), 105_000);
        assert_eq!(jobs.value[104_999].id.as_deref(), Some("job-00104999"));
        assert!(elapsed < BOUND, "{elapsed:?}");
        row(
            "10 MB list page (105,000 jobs), GET",
            &format!("decoded; 1 request ({} bytes)", page.len()),
        );

        // 10 MB of JSON of the wrong shape: a short decode error.
        let mut wrong = page.clone();
        let at = wrong.len() - 100;
        wrong[at..at + 4].copy_from_slice(b"!!!!");
        let server = MockServer::start().await;
        mock::respond(
            &server,
            "GET",
            ResponseTemplate::new(200).set_body_raw(wrong, "application/json"),
        )
        .await;
        let err = ListRequest::<SynchronizationJob>::new(&client(&server.uri()), jobs_path(), JOBS)
            .await
            .expect_err("malformed");
        assert_eq!(variant(&err), "Decode(200)");
        assert!(err.to_string().len() < 1_000, "{}", err.to_string().len());
        assert!(format!("{err:?}").len() < 2_000);
        row(
            "10 MB body, malformed near the end, GET",
            "Decode(200); 1 request; message < 1 KB",
        );

        // A 10 MB HTML error page: a Graph error that describes the body, retried
        // for GET as any 503.
        let html = format!(
            "<html><body>{}</body></html>",
            "overloaded ".repeat(1_000_000)
        );
        let server = MockServer::start().await;
        mock::respond(
            &server,
            "GET",
            ResponseTemplate::new(503).set_body_raw(html, "text/html"),
        )
        .await;
        let err = GetRequest::<SynchronizationJob>::new(&client(&server.uri()), job_path(), JOB)
            .await
            .expect_err("503");
        assert_eq!(variant(&err), "RetriesExhausted(3) <- Graph(503)");
        let text = err.to_string();
        assert!(
            text.len() < 1_000 && !text.contains("overloaded"),
            "{}",
            text.len()
        );
        assert!(text.contains("text/html"), "{text}");
        assert_eq!(mock::received(&server).await.len(), 3);
        row(
            "10 MB HTML error page with 503, GET",
            "RetriesExhausted(3) <- Graph(503); 3 requests; message < 1 KB",
        );
    })
    .await;
}

#[tokio::test]
async fn html_instead_of_json() {
    bounded(async {
        // A proxy or captive portal answering 200 with a page.
        let server = MockServer::start().await;
        mock::respond(
            &server,
            "GET",
            ResponseTemplate::new(200).set_body_raw(
                "<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>",
                "text/html",
            ),
        )
        .await;
        let err = GetRequest::<SynchronizationJob>::new(&client(&server.uri()), job_path(), JOB)
            .await
            .expect_err("html");
        assert_eq!(variant(&err), "Decode(200)");
        assert!(!format!("{err} {err:?}").contains("Wi-Fi"), "{err}");
        row("HTML page with 200, GET", "Decode(200); 1 request");

        // An HTML 503 from a gateway: retried for GET, never for PATCH.
        for (m, want, want_requests) in [
            (Method::GET, "RetriesExhausted(3) <- Graph(503)", 3),
            (Method::PATCH, "Graph(503)", 1),
        ] {
            let server = MockServer::start().await;
            Mock::given(method(m.as_str()))
                .respond_with(
                    ResponseTemplate::new(503).set_body_raw("<html>busy</html>", "text/html"),
                )
                .mount(&server)
                .await;
            let result = call(&client(&server.uri()), m.clone()).await;
            let requests = mock::received(&server).await.len();
            let note = result
                .as_ref()
                .err()
                .and_then(Error::graph_error)
                .and_then(|g| g.note.clone())
                .unwrap_or_default();
            assert!(note.contains("text/html"), "{note}");
            expect(
                &format!("HTML page with 503, {m}"),
                result,
                want,
                requests,
                want_requests,
            );
        }
    })
    .await;
}

/// Counts the tokens it hands out.
#[derive(Default)]
struct CountingProvider(AtomicUsize);

impl TokenProvider for CountingProvider {
    fn token<'a>(&'a self, _scopes: &'a [String]) -> TokenFuture<'a> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(AccessToken::new("expired-token")) })
    }
}

#[tokio::test]
async fn unauthorized_with_a_claims_challenge_and_no_body() {
    bounded(async {
        let challenge = r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3MiOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZX19fQ==""#;
        let server = MockServer::start().await;
        mock::respond(&server, "POST", ResponseTemplate::new(401).insert_header("WWW-Authenticate", challenge)).await;
        let provider = Arc::new(CountingProvider::default());
        let client = builder(&server.uri())
            .token_provider(provider.clone())
            .build()
            .expect("client");
        let result = SendRequest::<()>::new(&client, Method::POST, job_path().push("start"), JOB).await;
        let requests = mock::received(&server).await.len();
        let err = result.as_ref().expect_err("401");
        let graph = err.graph_error().expect("typed");
        assert_eq!(graph.www_authenticate.as_deref(), Some(challenge));
        assert_eq!(graph.note.as_deref(), Some("empty error body"));
        assert!(graph.client_request_id.is_some());
        assert_eq!(provider.0.load(Ordering::SeqCst), 1, "one token, one attempt");
        expect("401 with a claims challenge, empty body, POST", result, "Graph(401)", requests, 1);
    })
    .await;
}

fn storm_client(base: &str, attempts: u32, total: Duration) -> Client {
    builder(base)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(attempts)
                .base_delay(Duration::from_millis(2))
                .max_delay(Duration::from_millis(10))
                .max_total(total),
        )
        .build()
        .expect("client")
}

async fn storm(
    retry_after: Option<&str>,
    m: Method,
    client_of: impl Fn(&str) -> Client,
) -> (Result<(), Error>, usize, Duration) {
    let server = MockServer::start().await;
    let mut response = ResponseTemplate::new(429)
        .set_body_json(json!({"error": {"code": "TooManyRequests", "message": "Slow down."}}));
    if let Some(value) = retry_after {
        response = response.insert_header("Retry-After", value);
    }
    Mock::given(method(m.as_str()))
        .respond_with(response)
        .mount(&server)
        .await;
    let started = Instant::now();
    let result = call(&client_of(&server.uri()), m).await;
    let elapsed = started.elapsed();
    let requests = mock::received(&server).await.len();
    (result, requests, elapsed)
}

#[tokio::test]
async fn a_429_storm_is_bounded_in_attempts_and_in_time() {
    bounded(async {
        // Bounded by attempts: Retry-After 0 forever.
        let (result, requests, elapsed) = storm(Some("0"), Method::GET, |b| {
            storm_client(b, 6, Duration::from_secs(5))
        })
        .await;
        assert!(elapsed < BOUND);
        expect(
            "429 storm, Retry-After: 0, GET, 6 attempts",
            result,
            "RetriesExhausted(6) <- Graph(429)",
            requests,
            6,
        );

        // 429 means "not executed": POST is retried too, with backoff when no wait is named.
        let (result, requests, _) = storm(None, Method::POST, |b| {
            storm_client(b, 4, Duration::from_secs(5))
        })
        .await;
        expect(
            "429 storm, no Retry-After, POST, 4 attempts",
            result,
            "RetriesExhausted(4) <- Graph(429)",
            requests,
            4,
        );

        // Bounded by time: Retry-After 1 s with a 1.5 s budget and 100 attempts allowed:
        // attempt 1 at 0 s, attempt 2 at 1 s, and a third would start at 2 s > 1.5 s.
        let (result, requests, elapsed) = storm(Some("1"), Method::GET, |b| {
            storm_client(b, 100, Duration::from_millis(1_500))
        })
        .await;
        assert!(
            elapsed >= Duration::from_millis(900) && elapsed < Duration::from_secs(5),
            "{elapsed:?}"
        );
        let retry_after = result
            .as_ref()
            .err()
            .and_then(Error::graph_error)
            .and_then(|g| g.retry_after);
        assert_eq!(retry_after, Some(Duration::from_secs(1)));
        expect(
            "429 storm, Retry-After: 1, 1.5 s budget, 100 attempts allowed, GET",
            result,
            "RetriesExhausted(2) <- Graph(429)",
            requests,
            2,
        );
    })
    .await;
}

#[tokio::test]
async fn retry_after_past_far_future_and_malformed() {
    bounded(async {
        // In the past on a 503 for PATCH: a valid Retry-After is the service asking for
        // the retry, and a date in the past means now.
        let server = MockServer::start().await;
        mock::respond_once_then(
            &server,
            "PATCH",
            ResponseTemplate::new(503)
                .insert_header("Retry-After", "Thu, 01 Jan 1970 00:00:01 GMT"),
            ResponseTemplate::new(204),
        )
        .await;
        let client = storm_client(&server.uri(), 4, Duration::from_secs(5));
        let started = Instant::now();
        call(&client, Method::PATCH).await.expect("retried at once");
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(mock::received(&server).await.len(), 2);
        row(
            "503 with Retry-After in the past (1970), PATCH",
            "retried at once, then 204; 2 requests",
        );

        // Far in the future, as a date and as absurd delta-seconds: give up at once
        // with the typed error carrying the wait, no overflow, no sleep.
        for value in ["Fri, 31 Dec 9999 23:59:59 GMT", "99999999999999999999999"] {
            let (result, requests, elapsed) = storm(Some(value), Method::GET, |b| {
                storm_client(b, 4, Duration::from_secs(60))
            })
            .await;
            assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
            let wait = result
                .as_ref()
                .err()
                .and_then(Error::graph_error)
                .and_then(|g| g.retry_after)
                .expect("the wait is kept");
            assert!(wait > Duration::from_secs(60 * 60 * 24 * 365), "{wait:?}");
            expect(
                &format!("429 with Retry-After: {value}, GET"),
                result,
                "Graph(429)",
                requests,
                1,
            );
        }

        // Malformed on a 429: backoff instead (429 is retried for every method).
        for value in ["soon", "-1", "1.5", "", "Thu, 32 Foo 2026 99:00:00 GMT"] {
            let server = MockServer::start().await;
            mock::respond_once_then(
                &server,
                "POST",
                ResponseTemplate::new(429).insert_header("Retry-After", value),
                ResponseTemplate::new(201).set_body_json(json!({"id": "job-1"})),
            )
            .await;
            call(
                &storm_client(&server.uri(), 4, Duration::from_secs(5)),
                Method::POST,
            )
            .await
            .expect("retried after backoff");
            assert_eq!(mock::received(&server).await.len(), 2);
            row(
                &format!("429 with malformed Retry-After {value:?}, POST"),
                "backoff, retried, then 201; 2 requests",
            );
        }
    })
    .await;
}

#[tokio::test]
async fn post_and_patch_are_not_repeated_on_503_or_504_without_retry_after() {
    bounded(async {
        for status in [503, 504] {
            for (m, want_requests) in [
                (Method::POST, 1),
                (Method::PATCH, 1),
                (Method::PUT, 3),
                (Method::DELETE, 3),
            ] {
                let server = MockServer::start().await;
                Mock::given(method(m.as_str()))
                    .respond_with(ResponseTemplate::new(status))
                    .mount(&server)
                    .await;
                let result = call(&client(&server.uri()), m.clone()).await;
                let requests = mock::received(&server).await.len();
                let want = if want_requests == 1 {
                    format!("Graph({status})")
                } else {
                    format!("RetriesExhausted(3) <- Graph({status})")
                };
                expect(
                    &format!("{status} without Retry-After, {m}"),
                    result,
                    &want,
                    requests,
                    want_requests,
                );
            }
        }
    })
    .await;
}

/// A token provider that never answers is bounded by the per-attempt timeout.
#[tokio::test]
async fn a_token_provider_that_never_answers_times_out() {
    use msgraph_sync::runtime::auth::{TokenFuture, TokenProvider};
    struct Never;
    impl TokenProvider for Never {
        fn token<'a>(&'a self, _scopes: &'a [String]) -> TokenFuture<'a> {
            Box::pin(std::future::pending())
        }
    }
    let client = msgraph_sync::Client::builder()
        .base_url("http://127.0.0.1:9")
        .token_provider(Never)
        .timeout(std::time::Duration::from_millis(200))
        .build()
        .expect("client");
    let outcome = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        client.service_principal("sp-1").synchronization().get(),
    )
    .await
    .expect("bounded");
    let err = outcome.expect_err("no token, no request");
    assert!(matches!(err, msgraph_sync::Error::Auth(_)), "{err:?}");
    assert!(err.to_string().contains("did not answer"), "{err}");
}
