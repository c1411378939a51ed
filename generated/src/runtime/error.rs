//! The one error type of the client: what failed (Graph said no, the network
//! failed, a response did not decode, ...) and enough context to act on it, never
//! a token, an `Authorization` header, a request body or a raw response body.

use super::auth::AuthError;
use super::json::DecodeError;
use super::redact::REDACTED;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

/// Everything a request can fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Graph answered with a non-success status (the decoded error envelope).
    Graph(Box<GraphError>),
    /// The request did not complete: connection refused or reset, TLS, DNS. The
    /// reqwest error is kept without its URL.
    Transport(reqwest::Error),
    /// One attempt took longer than the client's per-attempt timeout.
    Timeout {
        /// The per-attempt timeout that ran out.
        after: Duration,
    },
    /// A success response whose body is not the expected JSON.
    Decode {
        /// HTTP status of the response.
        status: u16,
        /// Where in the JSON document decoding failed (string values redacted).
        source: DecodeError,
    },
    /// No token could be obtained.
    Auth(AuthError),
    /// The request body could not be encoded as JSON.
    Encode(serde_json::Error),
    /// Retries were allowed and all of them failed; `last` is the final failure.
    RetriesExhausted {
        /// How many attempts were made, the first one included.
        attempts: u32,
        /// The error of the last attempt.
        last: Box<Error>,
    },
    /// The client or request is unusable as configured (no token provider, a bad
    /// base URL, an id that cannot be put in a path, a next link to another host).
    Config(String),
}

impl Error {
    /// The Graph error, also when it ended a series of retries.
    pub fn graph_error(&self) -> Option<&GraphError> {
        match self {
            Error::Graph(graph) => Some(graph),
            Error::RetriesExhausted { last, .. } => last.graph_error(),
            _ => None,
        }
    }

    /// The HTTP status of a Graph or decode error, if there was a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Graph(graph) => Some(graph.status),
            Error::Decode { status, .. } => Some(*status),
            Error::RetriesExhausted { last, .. } => last.status(),
            _ => None,
        }
    }

    /// Whether an attempt timed out (also after retries).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::RetriesExhausted { last, .. } => last.is_timeout(),
            _ => false,
        }
    }

    /// The final error, looking through [`Error::RetriesExhausted`].
    pub fn last(&self) -> &Error {
        match self {
            Error::RetriesExhausted { last, .. } => last.last(),
            other => other,
        }
    }

    pub(crate) fn transport(err: reqwest::Error) -> Self {
        Error::Transport(err.without_url())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Graph(graph) => fmt::Display::fmt(graph, f),
            Error::Transport(err) => {
                let kind = if err.is_connect() {
                    "connect"
                } else if err.is_timeout() {
                    "timeout"
                } else if err.is_body() || err.is_decode() {
                    "response body"
                } else if err.is_request() {
                    "request"
                } else {
                    "other"
                };
                write!(f, "transport error ({kind}): {err}")?;
                // The root cause ("Connection refused (os error 111)") says the most.
                let mut root = None;
                let mut next = err.source();
                while let Some(cause) = next {
                    root = Some(cause);
                    next = cause.source();
                }
                match root {
                    Some(cause) => write!(f, ": {cause}"),
                    None => Ok(()),
                }
            }
            Error::Timeout { after } => {
                write!(f, "request timed out after {} ms", after.as_millis())
            }
            Error::Decode { status, source } => {
                write!(f, "response (HTTP {status}) did not decode: {source}")
            }
            Error::Auth(err) => write!(f, "authentication failed: {err}"),
            Error::Encode(err) => write!(f, "request body did not encode as JSON: {err}"),
            Error::RetriesExhausted { attempts, last } => {
                write!(f, "gave up after {attempts} attempts: {last}")
            }
            Error::Config(message) => write!(f, "invalid configuration: {message}"),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Graph(_) | Error::Timeout { .. } | Error::Config(_) => None,
            Error::Transport(err) => Some(err),
            Error::Decode { source, .. } => Some(source),
            Error::Auth(err) => Some(err),
            Error::Encode(err) => Some(err),
            Error::RetriesExhausted { last, .. } => Some(last.as_ref()),
        }
    }
}

impl From<AuthError> for Error {
    fn from(err: AuthError) -> Self {
        Error::Auth(err)
    }
}

/// A non-success response from Graph, decoded from its error envelope
/// `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`
/// and its headers. Whatever Graph quotes back from the request (its token, the
/// string values of its body of 8 characters or more) reads `<redacted>`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct GraphError {
    /// HTTP status, e.g. 404.
    pub status: u16,
    /// Graph's error code, e.g. `Request_ResourceNotFound`.
    pub code: Option<String>,
    /// Graph's human-readable message.
    pub message: Option<String>,
    /// The `innerError` object as sent (date, request ids, nested codes).
    pub inner_error: Option<serde_json::Value>,
    /// The `details` array, when Graph sent one.
    pub details: Vec<serde_json::Value>,
    /// The `request-id` response header, else the one in `innerError`: quote it to
    /// Microsoft support.
    pub request_id: Option<String>,
    /// The `client-request-id` the response names, else the one the client sent.
    pub client_request_id: Option<String>,
    /// How long Graph asked to wait (`Retry-After`), when it said and it parsed.
    pub retry_after: Option<Duration>,
    /// The `WWW-Authenticate` header of a 401 (what the token lacks).
    pub www_authenticate: Option<String>,
    /// Set when the body was not a Graph error envelope (an HTML page from a proxy,
    /// an empty body): what it was, never the body itself.
    pub note: Option<String>,
}

impl GraphError {
    /// Builds the error from a response. `sent_client_request_id` is the id the
    /// client sent, used when the response does not echo one.
    pub(crate) fn from_response(
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        sent_client_request_id: Option<&str>,
        retry_after: Option<Duration>,
    ) -> GraphError {
        let mut error = GraphError {
            status: status.as_u16(),
            code: None,
            message: None,
            inner_error: None,
            details: Vec::new(),
            request_id: header_text(headers, "request-id"),
            client_request_id: header_text(headers, "client-request-id"),
            retry_after,
            www_authenticate: header_text(headers, "www-authenticate"),
            note: None,
        };
        match serde_json::from_slice::<Envelope>(body) {
            Ok(Envelope { error: Some(body) }) => {
                error.code = body.code;
                error.message = body.message.and_then(message_text);
                error.details = body.details.unwrap_or_default();
                if let Some(inner) = body.inner_error {
                    let from_inner = |key: &str| {
                        inner
                            .get(key)
                            .and_then(serde_json::Value::as_str)
                            .map(str::to_string)
                    };
                    if error.request_id.is_none() {
                        error.request_id = from_inner("request-id");
                    }
                    if error.client_request_id.is_none() {
                        error.client_request_id = from_inner("client-request-id");
                    }
                    error.inner_error = Some(inner);
                }
            }
            _ => {
                let content_type = header_text(headers, "content-type")
                    .map(|ct| sanitize(&ct, 60))
                    .unwrap_or_else(|| "no content type".to_string());
                error.note = Some(if body.iter().all(u8::is_ascii_whitespace) {
                    "empty error body".to_string()
                } else {
                    format!(
                        "error body is not a Graph error envelope ({content_type}, {} bytes)",
                        body.len()
                    )
                });
            }
        }
        if error.client_request_id.is_none() {
            error.client_request_id = sent_client_request_id.map(str::to_string);
        }
        error
    }
}

impl GraphError {
    /// Replaces every occurrence of `sent` (what the request carried: its token and
    /// the strings of its body) in the error by `<redacted>`: Graph may quote what
    /// it was sent (a credential it could not validate), and errors end up in logs.
    pub(crate) fn redact_echoes(&mut self, sent: &[String]) {
        if sent.is_empty() {
            return;
        }
        let texts = [
            &mut self.code,
            &mut self.message,
            &mut self.request_id,
            &mut self.client_request_id,
            &mut self.www_authenticate,
        ];
        for text in texts.into_iter().flatten() {
            redact_text(text, sent);
        }
        if let Some(inner) = &mut self.inner_error {
            redact_value(inner, sent);
        }
        for detail in &mut self.details {
            redact_value(detail, sent);
        }
    }
}

fn redact_text(text: &mut String, sent: &[String]) {
    for secret in sent {
        if text.contains(secret.as_str()) {
            *text = text.replace(secret.as_str(), REDACTED);
        }
    }
}

fn redact_value(value: &mut serde_json::Value, sent: &[String]) {
    match value {
        serde_json::Value::String(text) => redact_text(text, sent),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| redact_value(v, sent)),
        serde_json::Value::Object(map) => {
            let echoed_keys = map
                .keys()
                .any(|k| sent.iter().any(|s| k.contains(s.as_str())));
            if echoed_keys {
                *map = std::mem::take(map)
                    .into_iter()
                    .map(|(mut k, v)| {
                        redact_text(&mut k, sent);
                        (k, v)
                    })
                    .collect();
            }
            map.values_mut().for_each(|v| redact_value(v, sent));
        }
        _ => {}
    }
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Graph returned HTTP {}", self.status)?;
        if let Some(reason) = StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
        {
            write!(f, " {reason}")?;
        }
        if let Some(code) = &self.code {
            write!(f, ": {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(note) = &self.note {
            write!(f, " ({note})")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request-id {id}]")?;
        }
        if let Some(id) = &self.client_request_id {
            write!(f, " [client-request-id {id}]")?;
        }
        Ok(())
    }
}

impl StdError for GraphError {}

#[derive(Deserialize)]
struct Envelope {
    error: Option<EnvelopeBody>,
}

#[derive(Deserialize)]
struct EnvelopeBody {
    code: Option<String>,
    /// A string in Graph; `{"lang","value"}` in some older services.
    message: Option<serde_json::Value>,
    #[serde(rename = "innerError", alias = "innererror")]
    inner_error: Option<serde_json::Value>,
    details: Option<Vec<serde_json::Value>>,
}

fn message_text(message: serde_json::Value) -> Option<String> {
    match message {
        serde_json::Value::String(text) => Some(text),
        serde_json::Value::Object(mut map) => match map.remove("value") {
            Some(serde_json::Value::String(text)) => Some(text),
            _ => None,
        },
        _ => None,
    }
}

/// A header as text, if present and visible ASCII.
pub(crate) fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
}

/// Printable ASCII only, at most `max` characters.
fn sanitize(text: &str, max: usize) -> String {
    text.chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(max)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn envelope_with_inner_error() {
        let body = br#"{"error":{"code":"Request_ResourceNotFound","message":"Gone.","innerError":{"date":"2026-01-01T00:00:00","request-id":"rid","client-request-id":"cid"}}}"#;
        let err =
            GraphError::from_response(StatusCode::NOT_FOUND, &HeaderMap::new(), body, None, None);
        assert_eq!(err.code.as_deref(), Some("Request_ResourceNotFound"));
        assert_eq!(err.message.as_deref(), Some("Gone."));
        assert_eq!(err.request_id.as_deref(), Some("rid"));
        assert_eq!(err.client_request_id.as_deref(), Some("cid"));
        assert!(err.note.is_none());
        let text = err.to_string();
        assert!(
            text.contains("404 Not Found: Request_ResourceNotFound: Gone."),
            "{text}"
        );
    }

    #[test]
    fn html_body_is_described_not_quoted() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("text/html"));
        let body = b"<html>secret-ish page</html>";
        let err =
            GraphError::from_response(StatusCode::BAD_GATEWAY, &headers, body, Some("sent"), None);
        assert!(err.code.is_none());
        assert_eq!(err.client_request_id.as_deref(), Some("sent"));
        let text = format!("{err} {err:?}");
        assert!(!text.contains("secret-ish"), "{text}");
        assert!(text.contains("text/html"), "{text}");
    }
}
