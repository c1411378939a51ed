//! Requests per second through the full client stack (token, headers, span, URL
//! building, retry bookkeeping, typed decode) against bare reqwest, both talking to
//! a minimal keep-alive HTTP/1.1 server on 127.0.0.1 in the same process.
//!
//! `cargo bench -p msgraph-sync-tests --bench client_rps`
//!
//! Each row sends a fixed number of requests (`ROUNDS` x `REQUESTS`, after a
//! warm-up; client and bare rounds interleaved, the median reported), either one
//! after another on one connection or from 32 concurrent tasks sharing one client
//! (and its pool). Overhead is the client's time per request minus bare
//! reqwest's, from the rates of the matching rows.
#![forbid(unsafe_code)]

use msgraph_sync::runtime::client::{Client, reqwest};
use msgraph_sync::runtime::path::RequestPath;
use msgraph_sync::runtime::request::GetRequest;
use serde::Deserialize;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const REQUESTS: usize = 5_000;
const ROUNDS: usize = 5;
const WARM_UP: usize = 200;
const CONCURRENCY: usize = 32;
const ROW_LIMIT: Duration = Duration::from_secs(120);
const BODY: &str =
    r#"{"id":"job-1","templateId":"scim","schedule":{"interval":"PT40M","state":"Active"}}"#;
const PATH: &str = "/v1.0/servicePrincipals/sp-1/synchronization/jobs/job-1";

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Job {
    id: String,
    #[serde(rename = "templateId")]
    template_id: String,
    schedule: Schedule,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Schedule {
    interval: String,
    state: String,
}

/// Answers every request (GET, no body) with the same small JSON, keeping the
/// connection open.
async fn serve(mut stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nrequest-id: bench\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    let mut pending = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    let mut out = Vec::with_capacity(8192);
    loop {
        let read = match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(read) => read,
        };
        pending.extend_from_slice(&chunk[..read]);
        out.clear();
        while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
            pending.drain(..end + 4);
            out.extend_from_slice(response.as_bytes());
        }
        if !out.is_empty() && stream.write_all(&out).await.is_err() {
            return;
        }
    }
}

async fn start_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream));
        }
    });
    addr
}

fn job_path() -> RequestPath {
    RequestPath::new()
        .push("servicePrincipals")
        .push_id("sp-1")
        .push("synchronization/jobs")
        .push_id("job-1")
}

async fn client_get(client: &Client) {
    let job: Job = GetRequest::new(
        client,
        job_path(),
        "/servicePrincipals/{id}/synchronization/jobs/{jobId}",
    )
    .await
    .expect("client GET");
    std::hint::black_box(job);
}

async fn bare_get(http: &reqwest::Client, url: &str) {
    let response = http
        .get(url)
        .bearer_auth("bench-token")
        .send()
        .await
        .expect("bare GET");
    let body = response.bytes().await.expect("bare body");
    std::hint::black_box(body);
}

/// Runs `requests` calls of `one`, split over `tasks` concurrent tasks; returns
/// requests per second.
async fn measure<F, Fut>(tasks: usize, requests: usize, one: F) -> f64
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let started = Instant::now();
    let run = async {
        let mut handles = Vec::with_capacity(tasks);
        for task in 0..tasks {
            let one = one.clone();
            let share = requests / tasks + usize::from(task < requests % tasks);
            handles.push(tokio::spawn(async move {
                for _ in 0..share {
                    one().await;
                }
            }));
        }
        for handle in handles {
            handle.await.expect("task");
        }
    };
    tokio::time::timeout(ROW_LIMIT, run)
        .await
        .expect("row finished in time");
    requests as f64 / started.elapsed().as_secs_f64()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

#[tokio::main]
async fn main() {
    let addr = start_server().await;
    let base = format!("http://{addr}");
    let url = format!("{base}{PATH}");
    let client = Client::builder()
        .base_url(base)
        .static_token("bench-token")
        .build()
        .expect("client");
    let http = msgraph_sync::runtime::client::http_client_builder()
        .expect("TLS")
        .build()
        .expect("reqwest client");

    let mut rows = Vec::new();
    for &(tasks, label) in &[
        (1, "1 connection (sequential)"),
        (CONCURRENCY, "32 concurrent"),
    ] {
        let c = client.clone();
        let client_one = move || {
            let c = c.clone();
            async move { client_get(&c).await }
        };
        let h = http.clone();
        let u = url.clone();
        let bare_one = move || {
            let h = h.clone();
            let u = u.clone();
            async move { bare_get(&h, &u).await }
        };
        measure(tasks, WARM_UP, client_one.clone()).await;
        measure(tasks, WARM_UP, bare_one.clone()).await;
        // Interleaved rounds, median of each: the machine is shared and noisy.
        let mut ours = Vec::with_capacity(ROUNDS);
        let mut bare = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            bare.push(measure(tasks, REQUESTS, bare_one.clone()).await);
            ours.push(measure(tasks, REQUESTS, client_one.clone()).await);
        }
        rows.push((label, median(ours), median(bare)));
    }

    println!(
        "client_rps: median of {ROUNDS} rounds of {REQUESTS} GETs per row, \
         127.0.0.1 keep-alive server, {}-byte JSON body",
        BODY.len()
    );
    println!(
        "{:<28} {:>14} {:>14} {:>22}",
        "row", "client rps", "reqwest rps", "overhead µs/request"
    );
    for (label, ours, bare) in rows {
        let overhead = (1.0 / ours - 1.0 / bare) * 1e6;
        println!("{label:<28} {ours:>14.0} {bare:>14.0} {overhead:>22.1}");
    }
}
