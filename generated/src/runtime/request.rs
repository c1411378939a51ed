//! Requests: the untyped [`Request`] the client sends, and the typed operations
//! that generated builders return ([`GetRequest`], [`ListRequest`],
//! [`SendRequest`]). Each typed operation holds a client and a request, does
//! nothing until awaited, and decodes the response as `T`.

use super::client::Client;
use super::error::Error;
use super::json;
use super::paging::{self, ItemStream, Page, PageStream};
use super::path::RequestPath;
use futures_util::future::BoxFuture;
/// The HTTP types requests are made of, re-exported for generated code and callers.
pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
pub use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::any::TypeId;
use std::borrow::Cow;
use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;

/// `application/json`, the content type of ordinary Graph bodies.
pub const JSON: &str = "application/json";
/// `application/scim+json`, the content type of `bulkUpload`.
pub const SCIM_JSON: &str = "application/scim+json";

/// A request body: bytes and their content type.
#[derive(Clone, PartialEq, Eq)]
pub struct Body {
    /// The encoded body.
    pub bytes: Vec<u8>,
    /// Its media type, `application/json` unless said otherwise.
    pub content_type: Cow<'static, str>,
}

impl Body {
    /// A JSON body from encoded bytes.
    pub fn json(bytes: impl Into<Vec<u8>>) -> Self {
        Body {
            bytes: bytes.into(),
            content_type: Cow::Borrowed(JSON),
        }
    }
}

/// Bodies may hold secrets (synchronization secrets, credentials): only their
/// size and type are shown.
impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Body")
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// An HTTP request below the client's base URL, before authentication.
///
/// `path_template` (e.g. `/servicePrincipals/{id}/synchronization/jobs/{jobId}`)
/// names the operation in tracing spans instead of the concrete path, so ids do
/// not end up in logs and spans group by operation.
#[derive(Clone)]
pub struct Request {
    /// The HTTP method.
    pub method: Method,
    /// The encoded path below the API version.
    pub path: RequestPath,
    /// The path with placeholders, for tracing.
    pub path_template: &'static str,
    /// Query options in order; names are sent as written (`$select`), values are
    /// percent-encoded.
    pub query: Vec<(&'static str, String)>,
    /// The body, if any.
    pub body: Option<Body>,
    /// Extra headers (e.g. `ConsistencyLevel`), added after the client's own.
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl Request {
    /// A request without query, body or extra headers.
    pub fn new(method: Method, path: RequestPath, path_template: &'static str) -> Self {
        Request {
            method,
            path,
            path_template,
            query: Vec::new(),
            body: None,
            headers: Vec::new(),
        }
    }

    /// Adds a query option.
    #[must_use]
    pub fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    /// Sets a query option, replacing an earlier one of the same name.
    #[must_use]
    pub fn set_query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.retain(|(n, _)| *n != name);
        self.query.push((name, value.into()));
        self
    }

    /// Appends comma-separated items to a list-valued option (`$select`, `$expand`).
    #[must_use]
    pub fn query_list<I, S>(mut self, name: &'static str, items: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut joined = match self.query.iter().position(|(n, _)| *n == name) {
            Some(index) => self.query.remove(index).1,
            None => String::new(),
        };
        for item in items {
            if !joined.is_empty() {
                joined.push(',');
            }
            joined.push_str(&item.into());
        }
        self.query.push((name, joined));
        self
    }

    /// Sets an `application/json` body from encoded bytes.
    #[must_use]
    pub fn json_body(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.body = Some(Body::json(bytes));
        self
    }

    /// Sets a body with its content type (e.g. [`SCIM_JSON`]).
    #[must_use]
    pub fn body(
        mut self,
        bytes: impl Into<Vec<u8>>,
        content_type: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.body = Some(Body {
            bytes: bytes.into(),
            content_type: content_type.into(),
        });
        self
    }

    /// Adds a header.
    #[must_use]
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }
}

/// Shows the operation, never the body or header values.
impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path.as_str())
            .field("path_template", &self.path_template)
            .field("query", &self.query)
            .field("body", &self.body)
            .field("headers", &header_names)
            .finish()
    }
}

/// A successful response, undecoded.
#[derive(Clone)]
pub struct RawResponse {
    /// The status (2xx: other statuses become [`Error::Graph`]).
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body as received.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// Decodes the body as `T`; an empty body decodes as JSON `null`, so `()` and
    /// `Option<_>` accept 204 No Content. An invalid date-time, duration, GUID or
    /// base64 text is kept marked invalid; [`RawResponse::json_strict`] refuses it.
    pub fn json<T: DeserializeOwned + 'static>(&self) -> Result<T, Error> {
        decode(self.status, &self.body, false)
    }

    /// As [`RawResponse::json`], but an invalid date-time, duration, GUID or base64
    /// text is an [`Error::Decode`] naming its JSON path.
    pub fn json_strict<T: DeserializeOwned + 'static>(&self) -> Result<T, Error> {
        decode(self.status, &self.body, true)
    }

    /// The `request-id` header Graph sets on every response.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("request-id").and_then(|v| v.to_str().ok())
    }
}

/// Shows status and size; bodies may contain secrets.
impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("request_id", &self.request_id())
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Decodes a success body. An empty (or blank) body is read as `null`; for `T = ()`
/// the body is ignored altogether, since Graph sometimes answers with a body where
/// its documentation promises 204 No Content. `strict`: see
/// [`crate::runtime::client::ClientBuilder::strict_values`].
pub(crate) fn decode<T: DeserializeOwned + 'static>(
    status: StatusCode,
    body: &[u8],
    strict: bool,
) -> Result<T, Error> {
    let body: &[u8] =
        if TypeId::of::<T>() == TypeId::of::<()>() || body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            body
        };
    let decoded = if strict {
        json::from_slice_strict(body)
    } else {
        json::from_slice(body)
    };
    decoded.map_err(|source| Error::Decode {
        status: status.as_u16(),
        source,
    })
}

/// `query`, `header` and `request`, shared by every typed request.
macro_rules! request_options {
    () => {
        /// Any other query option.
        pub fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
            self.request = self.request.query(name, value);
            self
        }

        /// An extra header.
        pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
            self.request = self.request.header(name, value);
            self
        }

        /// The request as it will be sent (before authentication).
        pub fn request(&self) -> &Request {
            &self.request
        }
    };
}

/// OData `$select` and `$expand`, shared by the reads.
macro_rules! select_and_expand {
    () => {
        /// OData `$select`: only these properties (comma-joined; repeated calls add).
        pub fn select<I, S>(mut self, properties: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            self.request = self.request.query_list("$select", properties);
            self
        }

        /// OData `$expand`: include these navigation properties.
        pub fn expand<I, S>(mut self, properties: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            self.request = self.request.query_list("$expand", properties);
            self
        }
    };
}

/// `GET` of one entity or value, decoded as `T`.
#[must_use = "a request does nothing until it is awaited"]
pub struct GetRequest<T> {
    client: Client,
    request: Request,
    _output: PhantomData<fn() -> T>,
}

impl<T> GetRequest<T> {
    /// A GET of `path`; `path_template` names the operation in traces.
    #[doc(hidden)]
    pub fn new(client: &Client, path: RequestPath, path_template: &'static str) -> Self {
        GetRequest {
            client: client.clone(),
            request: Request::new(Method::GET, path, path_template),
            _output: PhantomData,
        }
    }

    select_and_expand!();

    request_options!();

    /// Sends and returns the undecoded response.
    pub async fn send_raw(self) -> Result<RawResponse, Error> {
        self.client.send_raw(self.request).await
    }
}

impl<T: DeserializeOwned + Send + 'static> GetRequest<T> {
    /// Sends and decodes (the same as `.await`).
    pub async fn send(self) -> Result<T, Error> {
        let response = self.client.send_raw(self.request).await?;
        self.client.decode(&response)
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for GetRequest<T> {
    type Output = Result<T, Error>;
    type IntoFuture = BoxFuture<'static, Result<T, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T> fmt::Debug for GetRequest<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetRequest")
            .field("request", &self.request)
            .finish()
    }
}

/// `GET` of a collection: one [`Page`] (`.await`, [`ListRequest::page`]) or every
/// item across pages ([`ListRequest::stream`], following `@odata.nextLink`).
#[must_use = "a request does nothing until it is awaited or streamed"]
pub struct ListRequest<T> {
    client: Client,
    request: Request,
    _output: PhantomData<fn() -> T>,
}

impl<T> ListRequest<T> {
    /// A GET of the collection at `path`.
    #[doc(hidden)]
    pub fn new(client: &Client, path: RequestPath, path_template: &'static str) -> Self {
        ListRequest {
            client: client.clone(),
            request: Request::new(Method::GET, path, path_template),
            _output: PhantomData,
        }
    }

    select_and_expand!();

    /// OData `$filter`, e.g. `status/code eq 'Active'` (encoded when sent).
    pub fn filter(mut self, expression: impl Into<String>) -> Self {
        self.request = self.request.set_query("$filter", expression);
        self
    }

    /// OData `$top`: page size.
    pub fn top(mut self, count: u32) -> Self {
        self.request = self.request.set_query("$top", count.to_string());
        self
    }

    request_options!();

    /// Sends the first page's request and returns the undecoded response.
    pub async fn send_raw(self) -> Result<RawResponse, Error> {
        self.client.send_raw(self.request).await
    }
}

impl<T: DeserializeOwned + Send + 'static> ListRequest<T> {
    /// The first page.
    pub async fn page(self) -> Result<Page<T>, Error> {
        let response = self.client.send_raw(self.request).await?;
        self.client.decode(&response)
    }

    /// Every page, following `@odata.nextLink` until there is none. A next link
    /// to another origin than the client's base URL ends the stream with
    /// [`Error::Config`]: the token is never sent elsewhere.
    pub fn pages(self) -> PageStream<T> {
        paging::pages(self.client, self.request)
    }

    /// Every item of every page, following `@odata.nextLink` like
    /// [`pages`](Self::pages); read it with `while let Some(item) = stream.next().await`.
    /// The stream ends after the first error.
    pub fn stream(self) -> ItemStream<T> {
        paging::items(self.client, self.request)
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for ListRequest<T> {
    type Output = Result<Page<T>, Error>;
    type IntoFuture = BoxFuture<'static, Result<Page<T>, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.page())
    }
}

impl<T> fmt::Debug for ListRequest<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListRequest")
            .field("request", &self.request)
            .finish()
    }
}

/// Any other request (POST, PUT, PATCH, DELETE, actions, functions), decoded as
/// `T`. An empty response body (204, 202) decodes as `null`, so `T = ()` fits
/// no-content operations and `Option<X>` yields `None`.
#[must_use = "a request does nothing until it is awaited"]
pub struct SendRequest<T> {
    client: Client,
    request: Request,
    encode_error: Option<serde_json::Error>,
    _output: PhantomData<fn() -> T>,
}

impl<T> SendRequest<T> {
    /// A request with `method` to `path`.
    #[doc(hidden)]
    pub fn new(
        client: &Client,
        method: Method,
        path: RequestPath,
        path_template: &'static str,
    ) -> Self {
        SendRequest {
            client: client.clone(),
            request: Request::new(method, path, path_template),
            encode_error: None,
            _output: PhantomData,
        }
    }

    /// Encodes `value` as the JSON body now; an encoding error is returned when
    /// the request is sent.
    #[doc(hidden)]
    pub fn json<B: Serialize + ?Sized>(mut self, value: &B) -> Self {
        match json::to_vec(value) {
            Ok(bytes) => self.request = self.request.json_body(bytes),
            Err(err) => self.encode_error = Some(err),
        }
        self
    }

    /// Encodes `value` as JSON now, sent with another JSON media type (e.g.
    /// [`SCIM_JSON`] for `bulkUpload`); an encoding error is returned at send.
    #[doc(hidden)]
    pub fn json_as<B: Serialize + ?Sized>(
        mut self,
        value: &B,
        content_type: impl Into<Cow<'static, str>>,
    ) -> Self {
        match json::to_vec(value) {
            Ok(bytes) => self.request = self.request.body(bytes, content_type),
            Err(err) => self.encode_error = Some(err),
        }
        self
    }

    /// Sets an encoded body with its content type.
    #[doc(hidden)]
    pub fn body(
        mut self,
        bytes: impl Into<Vec<u8>>,
        content_type: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.request = self.request.body(bytes, content_type);
        self
    }

    request_options!();

    /// Sends and returns the undecoded response.
    pub async fn send_raw(self) -> Result<RawResponse, Error> {
        if let Some(err) = self.encode_error {
            return Err(Error::Encode(err));
        }
        self.client.send_raw(self.request).await
    }
}

impl<T: DeserializeOwned + Send + 'static> SendRequest<T> {
    /// Sends and decodes (the same as `.await`).
    pub async fn send(self) -> Result<T, Error> {
        let client = self.client.clone();
        let response = self.send_raw().await?;
        client.decode(&response)
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for SendRequest<T> {
    type Output = Result<T, Error>;
    type IntoFuture = BoxFuture<'static, Result<T, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T> fmt::Debug for SendRequest<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendRequest")
            .field("request", &self.request)
            .field("encode_error", &self.encode_error.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_bodies_decode_as_null() {
        for strict in [false, true] {
            decode::<()>(StatusCode::NO_CONTENT, b"", strict).unwrap();
            decode::<()>(StatusCode::OK, br#"{"ignored":true}"#, strict).unwrap();
            assert_eq!(
                decode::<Option<u32>>(StatusCode::ACCEPTED, b" \n", strict).unwrap(),
                None
            );
            let err = decode::<u32>(StatusCode::OK, b"", strict).unwrap_err();
            assert!(matches!(err, Error::Decode { status: 200, .. }), "{err}");
        }
    }

    #[test]
    fn list_options_join() {
        let request = Request::new(Method::GET, RequestPath::new(), "/")
            .query_list("$select", ["id", "status"])
            .query_list("$select", ["schedule"]);
        assert_eq!(
            request.query,
            [("$select", "id,status,schedule".to_string())]
        );
    }
}
