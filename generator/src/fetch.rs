//! Reads an input given as a path or an `http(s)://` URL (Graph's live `$metadata`).
//!
//! The default build has no network stack: regeneration, `--check`, `inspect` and
//! `update --from <file>` need none, and a fresh `cargo run` then builds no TLS, no
//! async runtime and no C library. A URL is fetched by the system's `curl` (shipped
//! with Windows 10+, macOS and most Linux images); the `fetch` feature builds an
//! HTTP client in instead. When neither is there, the error says how to get one.

/// The user agent of a fetch.
const USER_AGENT: &str = concat!("msgraph-sync-generator/", env!("CARGO_PKG_VERSION"));

/// The limit on one fetch, connecting to the end of the body.
const TIMEOUT_SECS: u64 = 120;

/// Why a source could not be read or fetched, naming it.
#[derive(Debug)]
pub enum FetchError {
    /// A local file cannot be read.
    Read { path: String, error: std::io::Error },
    /// The request failed (connection, TLS, timeout, ...), in the client's words.
    Request { url: String, message: String },
    /// The server answered with an error status.
    Status { url: String, status: String },
    /// The body could not be read to its end.
    Body { url: String, message: String },
    /// `curl` ran and failed (its exit status and message; HTTP >= 400 included).
    Curl {
        url: String,
        status: String,
        stderr: String,
    },
    /// `curl` could not be started for another reason than being absent.
    RunCurl { url: String, error: std::io::Error },
    /// This build has no HTTP client and `curl` is not on PATH.
    NoClient { url: String },
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Read { path, error } => write!(f, "cannot read {path}: {error}"),
            FetchError::Request { url, message } => write!(f, "cannot fetch {url}: {message}"),
            FetchError::Status { url, status } => write!(f, "cannot fetch {url}: HTTP {status}"),
            FetchError::Body { url, message } => {
                write!(f, "cannot read the body of {url}: {message}")
            }
            FetchError::Curl {
                url,
                status,
                stderr,
            } => write!(f, "cannot fetch {url}: curl failed ({status}): {stderr}"),
            FetchError::RunCurl { url, error } => {
                write!(f, "cannot fetch {url}: cannot run curl: {error}")
            }
            FetchError::NoClient { url } => write!(f, "cannot fetch {url}: {}", how_to_fetch(url)),
        }
    }
}

impl std::error::Error for FetchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FetchError::Read { error, .. } | FetchError::RunCurl { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// The bytes of `source`; errors say which source and why.
pub fn fetch(source: &str) -> Result<Vec<u8>, FetchError> {
    if is_url(source) {
        fetch_url(source)
    } else {
        std::fs::read(source).map_err(|error| FetchError::Read {
            path: source.to_string(),
            error,
        })
    }
}

/// Whether `source` is fetched rather than read from disk.
pub fn is_url(source: &str) -> bool {
    let scheme = |prefix: &str| {
        source
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    scheme("http://") || scheme("https://")
}

/// What to do when this build cannot fetch `url`: the three ways to get the file.
pub fn how_to_fetch(url: &str) -> String {
    format!(
        "this generator is built without an HTTP client and `curl` is not on PATH. \
         Either install curl, or build the generator's own client with the `fetch` \
         feature (`cargo run --features fetch -- update --from '{url}'`), or download \
         the file and pass its path (`update --from graph-v1.0.csdl.xml`)"
    )
}

/// In-process: ureq over rustls with the ring provider and the platform's roots.
#[cfg(feature = "fetch")]
fn fetch_url(url: &str) -> Result<Vec<u8>, FetchError> {
    use std::time::Duration;
    use ureq::tls::{RootCerts, TlsConfig};
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(TIMEOUT_SECS)))
        .user_agent(USER_AGENT)
        .http_status_as_error(false)
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::PlatformVerifier)
                .build(),
        )
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(|err| FetchError::Request {
        url: url.to_string(),
        message: err.to_string(),
    })?;
    let status = response.status();
    if !status.is_success() {
        return Err(FetchError::Status {
            url: url.to_string(),
            status: status.to_string(),
        });
    }
    response
        .body_mut()
        .with_config()
        // ureq's default stops at 10 MiB; full Graph CSDLs are 3-8 MB and growing.
        .limit(MAX_BODY_BYTES)
        .read_to_vec()
        .map_err(|err| FetchError::Body {
            url: url.to_string(),
            message: err.to_string(),
        })
}

/// The largest body a fetch accepts.
#[cfg(feature = "fetch")]
const MAX_BODY_BYTES: u64 = 1 << 30;

/// Out of process: `curl` writes the body to our stdout; failures (HTTP >= 400
/// included, through `--fail`) come back as its exit status and message.
#[cfg(not(feature = "fetch"))]
fn fetch_url(url: &str) -> Result<Vec<u8>, FetchError> {
    let output = std::process::Command::new("curl")
        .args([
            "--silent",
            "--show-error",
            "--fail",
            "--location",
            "--compressed",
        ])
        .args([
            "--proto",
            "=http,https",
            "--max-time",
            &TIMEOUT_SECS.to_string(),
        ])
        .args(["--user-agent", USER_AGENT, "--", url])
        .stdin(std::process::Stdio::null())
        .output();
    match output {
        Ok(output) if output.status.success() => Ok(output.stdout),
        Ok(output) => Err(FetchError::Curl {
            url: url.to_string(),
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        }),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Err(FetchError::NoClient {
            url: url.to_string(),
        }),
        Err(error) => Err(FetchError::RunCurl {
            url: url.to_string(),
            error,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_url("https://graph.microsoft.com/v1.0/$metadata"));
        assert!(is_url("HTTP://127.0.0.1:8080/x"));
        assert!(!is_url("metadata/graph-v1.0.csdl.xml"));
        assert!(!is_url("ftp://example.com/x"));
        assert!(!is_url("http:"));
    }

    #[test]
    fn a_missing_file_is_named() {
        let err = fetch("no/such/file.xml").unwrap_err();
        assert!(
            matches!(&err, FetchError::Read { path, error }
                if path == "no/such/file.xml" && error.kind() == std::io::ErrorKind::NotFound),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("cannot read no/such/file.xml: "),
            "{err}"
        );
    }
}
