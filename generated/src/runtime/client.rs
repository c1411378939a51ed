//! The client: where requests go (cloud, version, base URL), how they are
//! authenticated, and the one send path every generated operation goes through
//! ([`Client::send_raw`]): headers, token, per-attempt timeout, retries, tracing.

use super::auth::{AccessToken, AuthError, StaticToken, TokenProvider};
use super::cloud::{ApiVersion, Cloud};
use super::error::{Error, GraphError};
use super::paging::Page;
use super::request::{self, Body, RawResponse, Request};
use super::retry::{self, RetryPolicy};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue, RETRY_AFTER, USER_AGENT,
};
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tracing::Instrument;

/// The HTTP client crate the runtime is built on, re-exported so that a custom
/// [`ClientBuilder::http_client`] has the matching version.
pub use reqwest;

/// The per-attempt timeout unless [`ClientBuilder::timeout`] says otherwise (the
/// .NET Graph SDK's default).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);

/// The default `User-Agent`.
pub const DEFAULT_USER_AGENT: &str = concat!("msgraph-sync/", env!("CARGO_PKG_VERSION"));

/// Characters encoded in query names and values: the delimiters of a query
/// (`& = + # ;`), `%`, quotes, spaces and other characters not allowed in a URL.
/// `$`, `,`, `/`, `:`, `(`, `)` stay readable (`$select=id,status`).
const QUERY: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'+')
    .add(b';')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A Microsoft Graph client. Cloning is cheap (one `Arc`); clones share the
/// connection pool and configuration.
///
/// ```no_run
/// # use msgraph_sync::runtime::{client::Client, cloud::Cloud};
/// let client = Client::builder()
///     .cloud(Cloud::UsGovL4)
///     .static_token("eyJ...")
///     .build()?;
/// assert_eq!(client.base_url(), "https://graph.microsoft.us/v1.0");
/// # Ok::<(), msgraph_sync::runtime::error::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// `https://graph.microsoft.com/v1.0`, no trailing slash.
    base_url: String,
    /// The same, parsed, for origin checks of next links.
    base: Url,
    cloud: Cloud,
    version: ApiVersion,
    scopes: Vec<String>,
    tokens: Arc<dyn TokenProvider>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    user_agent: HeaderValue,
    include_unknown_enum_members: bool,
    strict_values: bool,
}

impl Client {
    /// A builder with the defaults: global cloud, v1.0, default retries.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL requests are relative to, e.g. `https://graph.microsoft.com/v1.0`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The cloud the client was built for.
    pub fn cloud(&self) -> &Cloud {
        &self.inner.cloud
    }

    /// The API version.
    pub fn version(&self) -> ApiVersion {
        self.inner.version
    }

    /// The scopes the token provider is asked for (the cloud's `.default` scope).
    pub fn scopes(&self) -> &[String] {
        &self.inner.scopes
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The underlying HTTP client.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// Whether responses are decoded with strict values
    /// ([`ClientBuilder::strict_values`]).
    pub fn strict_values(&self) -> bool {
        self.inner.strict_values
    }

    /// Decodes a success response as `T` the way this client is configured to.
    pub(crate) fn decode<T: DeserializeOwned + 'static>(
        &self,
        response: &RawResponse,
    ) -> Result<T, Error> {
        request::decode(response.status, &response.body, self.inner.strict_values)
    }

    /// Sends a request: authenticates each attempt, adds the standard headers,
    /// applies the per-attempt timeout and the retry policy, and traces the request
    /// in a `graph_request` span. A non-success status becomes [`Error::Graph`].
    pub async fn send_raw(&self, request: Request) -> Result<RawResponse, Error> {
        if let Some(reason) = request.path.invalid_reason() {
            return Err(Error::Config(format!(
                "cannot send {} {}: {reason}",
                request.method, request.path_template
            )));
        }
        let url = self.url_for(&request)?;
        self.execute(
            request.method,
            url,
            request.path_template,
            request.body,
            request.headers,
        )
        .await
    }

    /// Fetches the page an `@odata.nextLink` points to (same origin only).
    pub async fn get_next_page<T: DeserializeOwned + 'static>(
        &self,
        next_link: &str,
    ) -> Result<Page<T>, Error> {
        let response = self.get_next_link(next_link, "@odata.nextLink").await?;
        self.decode(&response)
    }

    /// GET of an absolute next link, refused unless it has the base URL's origin.
    pub(crate) async fn get_next_link(
        &self,
        link: &str,
        template: &'static str,
    ) -> Result<RawResponse, Error> {
        let url = Url::parse(link)
            .map_err(|_| Error::Config("@odata.nextLink is not an absolute URL".to_string()))?;
        if url.origin() != self.inner.base.origin() {
            return Err(Error::Config(format!(
                "@odata.nextLink points to another origin ({}) than the client's base URL; \
                 not following it, so the token is not sent there",
                url.origin().ascii_serialization()
            )));
        }
        self.execute(Method::GET, url, template, None, Vec::new())
            .await
    }

    /// The base URL, the encoded path and the encoded query.
    fn url_for(&self, request: &Request) -> Result<Url, Error> {
        let base = &self.inner.base_url;
        let path = request.path.as_str();
        let mut url = String::with_capacity(base.len() + path.len() + 16 * request.query.len());
        url.push_str(base);
        url.push_str(path);
        for (index, (name, value)) in request.query.iter().enumerate() {
            url.push(if index == 0 { '?' } else { '&' });
            url.extend(utf8_percent_encode(name, QUERY));
            url.push('=');
            url.extend(utf8_percent_encode(value, QUERY));
        }
        Url::parse(&url).map_err(|err| {
            Error::Config(format!(
                "the URL of {} is invalid: {err}",
                request.path_template
            ))
        })
    }

    async fn execute(
        &self,
        method: Method,
        url: Url,
        template: &'static str,
        body: Option<Body>,
        headers: Vec<(HeaderName, HeaderValue)>,
    ) -> Result<RawResponse, Error> {
        let client_request_id = new_client_request_id();
        let span = tracing::info_span!(
            "graph_request",
            method = %method,
            path = template,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            attempt = tracing::field::Empty,
            client_request_id = %client_request_id,
        );
        let prepared = self.prepare(method, url, body, headers, &client_request_id)?;
        self.run(prepared, &client_request_id, &span)
            .instrument(span.clone())
            .await
    }

    /// The request every attempt clones (everything but the token).
    fn prepare(
        &self,
        method: Method,
        url: Url,
        body: Option<Body>,
        headers: Vec<(HeaderName, HeaderValue)>,
        client_request_id: &str,
    ) -> Result<reqwest::Request, Error> {
        let inner = &self.inner;
        let mut request = reqwest::Request::new(method, url);
        let map = request.headers_mut();
        map.insert(ACCEPT, HeaderValue::from_static("application/json"));
        map.insert(USER_AGENT, inner.user_agent.clone());
        if let Ok(id) = HeaderValue::from_str(client_request_id) {
            map.insert(HeaderName::from_static("client-request-id"), id);
        }
        if inner.include_unknown_enum_members {
            map.insert(
                HeaderName::from_static("prefer"),
                HeaderValue::from_static("include-unknown-enum-members"),
            );
        }
        if let Some(body) = body {
            let content_type = HeaderValue::from_str(&body.content_type).map_err(|_| {
                Error::Config("the body's content type is not a valid header value".to_string())
            })?;
            map.insert(CONTENT_TYPE, content_type);
            *request.body_mut() = Some(body.bytes.into());
        }
        for (name, value) in headers {
            request.headers_mut().append(name, value);
        }
        Ok(request)
    }

    /// Attempts until success, a final error, or the retry policy gives up.
    async fn run(
        &self,
        prepared: reqwest::Request,
        client_request_id: &str,
        span: &tracing::Span,
    ) -> Result<RawResponse, Error> {
        let policy = &self.inner.retry;
        let idempotent = retry::is_idempotent(prepared.method());
        let started = Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let outcome = self.attempt(&prepared).await;
            let (error, retryable, wait) = match outcome {
                Ok((response, token)) => {
                    span.record("status", response.status.as_u16());
                    if let Some(id) = response.request_id() {
                        span.record("request_id", id);
                    }
                    if response.status.is_success() {
                        return Ok(response);
                    }
                    let retry_after = response
                        .headers
                        .get(RETRY_AFTER)
                        .and_then(|value| value.to_str().ok())
                        .and_then(|value| retry::parse_retry_after(value, SystemTime::now()));
                    let status = response.status.as_u16();
                    let retryable = retry::is_retryable_status(
                        prepared.method(),
                        status,
                        retry_after.is_some(),
                    );
                    let mut graph = GraphError::from_response(
                        response.status,
                        &response.headers,
                        &response.body,
                        Some(client_request_id),
                        retry_after,
                    );
                    graph.redact_echoes(&sent_secrets(&token, prepared.body()));
                    (Error::Graph(Box::new(graph)), retryable, retry_after)
                }
                Err(err @ (Error::Transport(_) | Error::Timeout { .. })) => (err, idempotent, None),
                Err(err) => return Err(err),
            };
            if !retryable {
                return Err(error);
            }
            let wait = wait.unwrap_or_else(|| policy.backoff(attempt));
            if attempt >= policy.attempts()
                || started.elapsed().saturating_add(wait) > policy.max_total
            {
                tracing::debug!(
                    attempt,
                    wait_ms = millis(wait),
                    "giving up on Graph request"
                );
                return Err(if attempt > 1 {
                    Error::RetriesExhausted {
                        attempts: attempt,
                        last: Box::new(error),
                    }
                } else {
                    error
                });
            }
            tracing::debug!(attempt, wait_ms = millis(wait), error = %error, "retrying Graph request");
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt: a fresh token, the request, the whole body, within the timeout.
    /// The token comes back with the response, to keep it out of a Graph error.
    async fn attempt(
        &self,
        prepared: &reqwest::Request,
    ) -> Result<(RawResponse, AccessToken), Error> {
        let inner = &self.inner;
        // The per-attempt timeout also bounds the token provider: a credential that
        // never answers must not hang the request.
        let token = match inner.timeout {
            Some(after) => tokio::time::timeout(after, inner.tokens.token(&inner.scopes))
                .await
                .unwrap_or_else(|_| {
                    Err(AuthError::new(format!(
                        "the token provider did not answer within {} ms",
                        after.as_millis()
                    )))
                }),
            None => inner.tokens.token(&inner.scopes).await,
        }
        .map_err(Error::Auth)?;
        let mut authorization = HeaderValue::try_from(format!("Bearer {}", token.secret()))
            .map_err(|_| {
                Error::Auth(AuthError::new(
                    "the token contains characters that cannot be sent in an HTTP header",
                ))
            })?;
        authorization.set_sensitive(true);
        let mut request = prepared
            .try_clone()
            .ok_or_else(|| Error::Config("the request body cannot be replayed".to_string()))?;
        request.headers_mut().insert(AUTHORIZATION, authorization);
        let exchange = async {
            let mut response = inner
                .http
                .execute(request)
                .await
                .map_err(Error::transport)?;
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(Error::transport)?;
            Ok(RawResponse {
                status,
                headers,
                body: Vec::from(body),
            })
        };
        let response = match inner.timeout {
            Some(after) => tokio::time::timeout(after, exchange)
                .await
                .unwrap_or(Err(Error::Timeout { after })),
            None => exchange.await,
        }?;
        Ok((response, token))
    }
}

/// Never prints the token provider.
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("cloud", &inner.cloud)
            .field("scopes", &inner.scopes)
            .field("token_provider", &"<redacted>")
            .field("retry", &inner.retry)
            .field("timeout", &inner.timeout)
            .field("user_agent", &inner.user_agent)
            .field(
                "include_unknown_enum_members",
                &inner.include_unknown_enum_members,
            )
            .field("strict_values", &inner.strict_values)
            .finish()
    }
}

/// Configures a [`Client`]; only a token provider is required.
pub struct ClientBuilder {
    cloud: Cloud,
    version: ApiVersion,
    base_url: Option<String>,
    tokens: Option<Arc<dyn TokenProvider>>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    user_agent: Option<String>,
    include_unknown_enum_members: bool,
    strict_values: bool,
    http: Option<reqwest::Client>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            cloud: Cloud::Global,
            version: ApiVersion::V1_0,
            base_url: None,
            tokens: None,
            retry: RetryPolicy::default(),
            timeout: Some(DEFAULT_TIMEOUT),
            user_agent: None,
            include_unknown_enum_members: true,
            strict_values: false,
            http: None,
        }
    }
}

impl ClientBuilder {
    /// The national cloud: its Graph host and token scope.
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.cloud = cloud;
        self
    }

    /// The API version (default v1.0).
    pub fn version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    /// Another host for the cloud's Graph (a proxy, a local mock server such as
    /// `http://127.0.0.1:8080`); the version is appended. The token scope stays
    /// the cloud's.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Where tokens come from.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.tokens = Some(Arc::new(provider));
        self
    }

    /// A fixed bearer token ([`StaticToken`]).
    pub fn static_token(self, token: impl Into<String>) -> Self {
        self.token_provider(StaticToken::new(token))
    }

    /// Retries of throttled and failed requests ([`RetryPolicy::none`] disables).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The limit on one attempt, from sending to the end of the response body
    /// (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default `msgraph-sync/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Whether to send `Prefer: include-unknown-enum-members` (default true), so
    /// Graph sends enum members added after `unknownFutureValue` as they are.
    pub fn include_unknown_enum_members(mut self, include: bool) -> Self {
        self.include_unknown_enum_members = include;
        self
    }

    /// Whether a date-time, duration, GUID or base64 text in a response that does
    /// not parse fails the decode with [`Error::Decode`] naming its JSON path (true),
    /// or is kept as received, marked invalid, and sent back unchanged (false, the
    /// default). See [`crate::runtime::text_value`].
    pub fn strict_values(mut self, strict: bool) -> Self {
        self.strict_values = strict;
        self
    }

    /// A preconfigured HTTP client (proxy, TLS roots, pool settings).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let tokens = self.tokens.ok_or_else(|| {
            Error::Config(
                "no token provider: call .static_token(..) or .token_provider(..)".to_string(),
            )
        })?;
        let host = self
            .base_url
            .as_deref()
            .unwrap_or_else(|| self.cloud.graph_base_url())
            .trim_end_matches('/');
        let base_url = format!("{host}/{}", self.version.as_str());
        // The URL itself is not echoed: a proxy URL may carry credentials.
        let base = Url::parse(&base_url).map_err(|err| {
            Error::Config(format!("the base URL is not a valid absolute URL: {err}"))
        })?;
        if !matches!(base.scheme(), "https" | "http")
            || base.query().is_some()
            || base.fragment().is_some()
        {
            return Err(Error::Config(
                "the base URL must be http(s) without query or fragment".to_string(),
            ));
        }
        let user_agent =
            HeaderValue::from_str(self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT))
                .map_err(|_| {
                    Error::Config("the user agent is not a valid header value".to_string())
                })?;
        let http = match self.http {
            Some(http) => http,
            None => http_client_builder()?
                .build()
                .map_err(|err| Error::Config(format!("could not build the HTTP client: {err}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                base,
                scopes: vec![self.cloud.scope().to_string()],
                cloud: self.cloud,
                version: self.version,
                tokens,
                retry: self.retry,
                timeout: self.timeout,
                user_agent,
                include_unknown_enum_members: self.include_unknown_enum_members,
                strict_values: self.strict_values,
            }),
        })
    }
}

/// Never prints the token provider.
impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("cloud", &self.cloud)
            .field("version", &self.version)
            .field("base_url", &self.base_url)
            .field(
                "token_provider",
                &self.tokens.as_ref().map(|_| "<redacted>"),
            )
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field(
                "include_unknown_enum_members",
                &self.include_unknown_enum_members,
            )
            .field("strict_values", &self.strict_values)
            .finish()
    }
}

/// A `reqwest::ClientBuilder` with the TLS stack this crate's features choose: the
/// default HTTP client is built from it, and a custom one for
/// [`ClientBuilder::http_client`] (proxy, pool settings) can start from it too.
/// With `rustls-ring` (the default) the ring provider is given to this client only:
/// a process default provider the application installed is used instead, and none
/// is installed behind its back (a plain `reqwest::Client::new()` elsewhere in the
/// process still needs one).
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, Error> {
    tls::configure(reqwest::Client::builder())
        .map_err(|err| Error::Config(format!("could not set up TLS: {err}")))
}

#[cfg(not(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc",
    feature = "native-tls"
)))]
compile_error!(
    "msgraph-sync needs a TLS feature: `rustls-ring` (the default), `rustls-aws-lc` or `native-tls`"
);

/// TLS for the default HTTP client; which one is used when several features are on:
/// `native-tls`, then `rustls-aws-lc`, then `rustls-ring`.
mod tls {
    /// The OS's TLS.
    #[cfg(feature = "native-tls")]
    pub(super) fn configure(
        builder: reqwest::ClientBuilder,
    ) -> Result<reqwest::ClientBuilder, String> {
        Ok(builder.tls_backend_native())
    }

    /// reqwest's own rustls set-up: a process default provider if installed, else aws-lc-rs.
    #[cfg(all(feature = "rustls-aws-lc", not(feature = "native-tls")))]
    pub(super) fn configure(
        builder: reqwest::ClientBuilder,
    ) -> Result<reqwest::ClientBuilder, String> {
        Ok(builder.tls_backend_rustls())
    }

    /// What reqwest builds with `rustls-no-provider` (TLS 1.2 and 1.3, the platform's
    /// certificate verifier, ALPN h2 then http/1.1), with ring passed in explicitly
    /// rather than installed as the process default.
    #[cfg(all(
        feature = "rustls-ring",
        not(feature = "rustls-aws-lc"),
        not(feature = "native-tls")
    ))]
    pub(super) fn configure(
        builder: reqwest::ClientBuilder,
    ) -> Result<reqwest::ClientBuilder, String> {
        use std::sync::Arc;
        let provider = rustls::crypto::CryptoProvider::get_default()
            .cloned()
            .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
        let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
            .map_err(|err| format!("the platform's certificate roots: {err}"))?;
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|err| err.to_string())?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(builder.tls_backend_preconfigured(config))
    }
}

/// A random (version 4) UUID, fresh per logical request and kept across retries,
/// so Graph's logs tie the attempts together.
fn new_client_request_id() -> String {
    let mut bytes = [0u8; 16];
    fastrand::fill(&mut bytes);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// What a Graph error must not quote back: the attempt's token and the string
/// values of the JSON request body of at least [`ECHO_MIN_CHARS`] characters (a
/// secret is not shorter; shorter strings, such as `true` or a short key, would
/// only blank out words of Graph's message).
fn sent_secrets(token: &AccessToken, body: Option<&reqwest::Body>) -> Vec<String> {
    fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(text) if text.chars().count() >= ECHO_MIN_CHARS => {
                out.push(text.clone());
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if !token.secret().is_empty() {
        out.push(token.secret().to_string());
    }
    if let Some(value) = body
        .and_then(reqwest::Body::as_bytes)
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(bytes).ok())
    {
        strings(&value, &mut out);
    }
    // Longest first, so a secret containing another is replaced whole.
    out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    out.dedup();
    out
}

/// The shortest request-body string that a Graph error is scrubbed of.
const ECHO_MIN_CHARS: usize = 8;

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::path::RequestPath;

    fn client(builder: ClientBuilder) -> Client {
        builder.static_token("t").build().unwrap()
    }

    #[test]
    fn base_urls() {
        assert_eq!(
            client(Client::builder()).base_url(),
            "https://graph.microsoft.com/v1.0"
        );
        let beta = client(
            Client::builder()
                .cloud(Cloud::China)
                .version(ApiVersion::Beta),
        );
        assert_eq!(
            beta.base_url(),
            "https://microsoftgraph.chinacloudapi.cn/beta"
        );
        assert_eq!(
            beta.scopes(),
            ["https://microsoftgraph.chinacloudapi.cn/.default"]
        );
        let local = client(
            Client::builder()
                .cloud(Cloud::UsGovL5Dod)
                .base_url("http://127.0.0.1:9/"),
        );
        assert_eq!(local.base_url(), "http://127.0.0.1:9/v1.0");
        assert_eq!(local.scopes(), ["https://dod-graph.microsoft.us/.default"]);
    }

    #[test]
    fn build_errors() {
        assert!(matches!(Client::builder().build(), Err(Error::Config(_))));
        let bad = Client::builder()
            .base_url("not a url")
            .static_token("t")
            .build();
        assert!(matches!(bad, Err(Error::Config(_))));
        let bad = Client::builder()
            .base_url("ftp://x")
            .static_token("t")
            .build();
        assert!(matches!(bad, Err(Error::Config(_))));
    }

    #[test]
    fn query_encoding() {
        let client = client(Client::builder());
        let request = Request::new(Method::GET, RequestPath::new().push("jobs"), "/jobs")
            .query("$filter", "name eq 'a&b=c+d#e%'")
            .query("$select", "id,status");
        let url = client.url_for(&request).unwrap();
        assert_eq!(
            url.as_str(),
            "https://graph.microsoft.com/v1.0/jobs?$filter=name%20eq%20%27a%26b%3Dc%2Bd%23e%25%27&$select=id,status"
        );
    }

    /// The default HTTP client's TLS stack is wired up (no missing-provider panic)
    /// and offers HTTP/2 and HTTP/1.1: the first bytes it sends to an `https` URL
    /// are a TLS handshake record whose ALPN list names both.
    #[tokio::test]
    async fn tls_sends_a_client_hello_offering_h2_and_http1() {
        use tokio::io::AsyncReadExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut hello = vec![0; 8192];
            let n = stream.read(&mut hello).await.unwrap();
            hello.truncate(n);
            hello
        });
        let http = http_client_builder().unwrap().build().unwrap();
        let sent = http.get(format!("https://{addr}/")).send().await;
        assert!(sent.is_err(), "the server never answers the handshake");
        let hello = server.await.unwrap();
        let has = |needle: &[u8]| hello.windows(needle.len()).any(|w| w == needle);
        assert_eq!(hello.first(), Some(&0x16), "{hello:?}");
        assert!(has(b"\x02h2") && has(b"\x08http/1.1"), "{hello:?}");
    }

    #[test]
    fn request_ids_look_like_uuids() {
        let a = new_client_request_id();
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
        assert_ne!(a, new_client_request_id());
    }
}
