//! Reads an input given as a path or an `http(s)://` URL (Graph's live `$metadata`).

/// The bytes of `source`; errors say which source and why.
pub fn fetch(source: &str) -> Result<Vec<u8>, String> {
    if source.starts_with("http://") || source.starts_with("https://") {
        fetch_url(source)
    } else {
        std::fs::read(source).map_err(|err| format!("cannot read {source}: {err}"))
    }
}

#[cfg(not(feature = "fetch"))]
fn fetch_url(url: &str) -> Result<Vec<u8>, String> {
    Err(format!(
        "cannot fetch {url}: built without the `fetch` feature"
    ))
}

#[cfg(feature = "fetch")]
fn fetch_url(url: &str) -> Result<Vec<u8>, String> {
    let client = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(120))
        .user_agent(concat!(
            "msgraph-sync-generator/",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
        .map_err(|err| format!("cannot build an HTTP client: {err}"))?;
    let response = client
        .get(url)
        .send()
        .map_err(|err| format!("cannot fetch {url}: {err}"))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("cannot fetch {url}: HTTP {status}"));
    }
    response
        .bytes()
        .map(|b| b.to_vec())
        .map_err(|err| format!("cannot read the body of {url}: {err}"))
}
