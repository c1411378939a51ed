//! Typed client for the Microsoft Graph synchronization API: provisioning jobs,
//! templates, schemas, secrets and bulk upload, generated from Graph's CSDL.
//!
//! ```no_run
//! use msgraph_sync::prelude::*;
//!
//! # async fn run() -> Result<(), msgraph_sync::Error> {
//! let client = Client::builder().static_token("eyJ0eXAi...").build()?;
//! let mut jobs = client.service_principal("sp-id").synchronization().jobs().list().stream();
//! while let Some(job) = jobs.next().await {
//!     let job = job?;
//!     println!("{:?} {:?}", job.id, job.template_id);
//! }
//! # Ok(()) }
//! ```
//!
//! - [`models`]: every type of the API, lossless on the wire (absent, `null` and a
//!   value stay distinct; unknown properties and enum members are kept).
//! - [`api`]: request builders that follow the URL, starting from [`Client`]:
//!   `client.service_principal(id).synchronization().job(job_id).start().await?`.
//! - The crate root and [`prelude`]: the client, its configuration, errors, paging,
//!   and the value types the models use ([`Duration`], [`DateTimeOffset`], [`Guid`],
//!   [`Binary`], [`Nullable`], flags); [`scim`]: the bulk-upload body.
//!
//! `models` and `api` are generated from Graph's metadata; the rest is hand-written.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[rustfmt::skip]
pub mod api;
#[rustfmt::skip]
pub mod models;
/// The hand-written runtime, by module. Generated code refers to it by these paths;
/// users import from the crate root, [`prelude`] or [`scim`] instead.
//
// Hidden from the docs so that its plumbing (decoding helpers, request paths,
// constructors) does not stand next to the types users write. `missing_docs` skips
// hidden modules, so it is hidden for rustdoc and rustc but not for clippy (a
// well-known cfg): `cargo clippy -- -D warnings` in CI still requires every public
// runtime item to be documented.
#[cfg_attr(not(clippy), doc(hidden))]
pub mod runtime;

/// The `reqwest` this crate was built with, for [`ClientBuilder::http_client`].
pub use reqwest;
pub use runtime::auth::{AccessToken, AuthError, StaticToken, TokenFuture, TokenProvider};
pub use runtime::binary::Binary;
pub use runtime::client::{Client, ClientBuilder, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT};
pub use runtime::cloud::{ApiVersion, Cloud};
pub use runtime::date_time::DateTimeOffset;
pub use runtime::duration::Duration;
pub use runtime::enums::WireEnum;
pub use runtime::error::{Error, GraphError};
pub use runtime::flags::{FlagMembers, Flags};
pub use runtime::guid::Guid;
pub use runtime::json::DecodeError;
pub use runtime::nullable::Nullable;
pub use runtime::object::{AdditionalProperties, GraphObject};
pub use runtime::paging::{ItemStream, Page, PageStream};
pub use runtime::request::{GetRequest, ListRequest, RawResponse, SendRequest};
pub use runtime::retry::RetryPolicy;

/// `azure_identity` credentials as token providers (cargo feature `azure`): any
/// `Arc<dyn TokenCredential>` is a [`TokenProvider`].
#[cfg(feature = "azure")]
#[cfg_attr(docsrs, doc(cfg(feature = "azure")))]
pub mod azure {
    pub use crate::runtime::auth::azure::{TokenCredential, azure_identity};
}

/// The SCIM 2.0 bulk request that `POST .../jobs/{id}/bulkUpload` takes
/// (`application/scim+json`): users with the core and enterprise-extension
/// attributes, and any other attribute as JSON.
pub mod scim {
    pub use crate::runtime::scim::{
        Attributes, BULK_REQUEST_SCHEMA, BulkOperation, BulkRequest, ENTERPRISE_USER_SCHEMA,
        EnterpriseUser, ScimAddress, ScimManager, ScimMultiValued, ScimName, ScimUser, USER_SCHEMA,
    };
}

/// What most programs need, in one import: `use msgraph_sync::prelude::*;`.
///
/// The client and its configuration, errors, paging, the value types the models use
/// and the traits of generated types. Models stay in [`models`].
pub mod prelude {
    pub use crate::{
        ApiVersion, Binary, Client, ClientBuilder, Cloud, DateTimeOffset, Duration, Error,
        GraphError, GraphObject, Guid, ItemStream, Nullable, Page, PageStream, RetryPolicy,
        StaticToken, TokenProvider, WireEnum,
    };
}

/// Every Rust block of the README compiles (`cargo test -p msgraph-sync --doc
/// --features azure`; its authentication example needs the `azure` feature).
#[cfg(all(doctest, feature = "azure"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
