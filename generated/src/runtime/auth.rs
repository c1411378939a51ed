//! Authentication: a small trait the client asks for a bearer token before every
//! attempt, a static token that works out of the box, and (behind the `azure`
//! cargo feature) an adapter for `azure_identity` credentials.
//!
//! The client does not cache tokens: a provider that fetches them over the network
//! should cache and refresh them itself (`azure_identity`'s credentials do).
//! Tokens never appear in `Debug` output, errors or logs.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<AccessToken, AuthError>> + Send + 'a>>;

/// Something that hands out OAuth bearer tokens for Microsoft Graph.
///
/// `scopes` is the client's cloud scope, e.g. `["https://graph.microsoft.com/.default"]`
/// (see [`Cloud::scope`](super::cloud::Cloud::scope)). The trait is object safe and
/// spelled without `async fn` so the client can hold any provider as
/// `Arc<dyn TokenProvider>`.
pub trait TokenProvider: Send + Sync + 'static {
    /// A token valid for `scopes`, fetched or taken from a cache.
    fn token<'a>(&'a self, scopes: &'a [String]) -> TokenFuture<'a>;
}

impl<P: TokenProvider + ?Sized> TokenProvider for Arc<P> {
    fn token<'a>(&'a self, scopes: &'a [String]) -> TokenFuture<'a> {
        (**self).token(scopes)
    }
}

impl<P: TokenProvider + ?Sized> TokenProvider for Box<P> {
    fn token<'a>(&'a self, scopes: &'a [String]) -> TokenFuture<'a> {
        (**self).token(scopes)
    }
}

/// A bearer token. It has no `Display`, and its `Debug` prints `<redacted>`, so it
/// cannot leak through logging by accident; [`AccessToken::secret`] is the one way in.
#[derive(Clone)]
pub struct AccessToken {
    secret: Arc<str>,
    /// When the token stops being valid, if the issuer said.
    pub expires_at: Option<SystemTime>,
}

impl AccessToken {
    /// A token with no known expiry.
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken {
            secret: Arc::from(token.into()),
            expires_at: None,
        }
    }

    /// The same token with an expiry time.
    #[must_use]
    pub fn with_expires_at(mut self, expires_at: SystemTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// The raw token, for the `Authorization` header.
    pub fn secret(&self) -> &str {
        &self.secret
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A fixed token, e.g. one obtained by another tool (`az account get-access-token`).
/// It is never refreshed: requests fail with 401 once it expires.
#[derive(Clone)]
pub struct StaticToken {
    token: AccessToken,
}

impl StaticToken {
    /// Wraps a raw bearer token (without the `Bearer ` prefix).
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken {
            token: AccessToken::new(token),
        }
    }
}

impl From<AccessToken> for StaticToken {
    fn from(token: AccessToken) -> Self {
        StaticToken { token }
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticToken")
            .field("token", &"<redacted>")
            .finish()
    }
}

impl TokenProvider for StaticToken {
    fn token<'a>(&'a self, _scopes: &'a [String]) -> TokenFuture<'a> {
        let token = self.token.clone();
        Box::pin(std::future::ready(Ok(token)))
    }
}

/// A token could not be obtained. The message says why without quoting secrets;
/// the underlying error, if any, is available through [`StdError::source`].
pub struct AuthError {
    message: String,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl AuthError {
    /// An error with a message (which must not contain secrets).
    pub fn new(message: impl Into<String>) -> Self {
        AuthError {
            message: message.into(),
            source: None,
        }
    }

    /// An error caused by another one (kept as the `source`).
    pub fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
    ) -> Self {
        AuthError {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// The message, without the source.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Debug for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthError")
            .field("message", &self.message)
            .field("has_source", &self.source.is_some())
            .finish()
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for AuthError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// `azure_identity` credentials as token providers (cargo feature `azure`).
///
/// ```ignore
/// let credential: Arc<dyn TokenCredential> = ClientSecretCredential::new(tenant, client_id, secret, None)?;
/// let client = Client::builder().token_provider(credential).build()?;
/// ```
#[cfg(feature = "azure")]
pub mod azure {
    use super::{AccessToken, AuthError, TokenFuture, TokenProvider};
    pub use azure_core::credentials::TokenCredential;
    /// The `azure_identity` crate this adapter was built against, so callers can
    /// name its credentials without a second, possibly mismatched, dependency.
    pub use azure_identity;
    use std::sync::Arc;
    use std::time::SystemTime;

    impl TokenProvider for Arc<dyn TokenCredential> {
        fn token<'a>(&'a self, scopes: &'a [String]) -> TokenFuture<'a> {
            Box::pin(async move {
                let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
                match self.get_token(&scopes, None).await {
                    Ok(token) => Ok(AccessToken::new(token.token.secret())
                        .with_expires_at(SystemTime::from(token.expires_on))),
                    Err(err) => Err(AuthError::with_source(
                        format!("azure credential failed to get a token ({})", err.kind()),
                        err,
                    )),
                }
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_tokens() {
        let token = AccessToken::new("canary-token-s3cr3t");
        assert!(!format!("{token:?}").contains("s3cr3t"));
        let token = StaticToken::new("canary-token-s3cr3t");
        assert!(!format!("{token:?}").contains("s3cr3t"));
    }

    #[tokio::test]
    async fn static_token_hands_out_its_token() {
        let provider = StaticToken::new("abc");
        let token = provider.token(&["s".to_string()]).await.unwrap();
        assert_eq!(token.secret(), "abc");
    }
}
