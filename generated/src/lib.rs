//! Typed client for the Microsoft Graph synchronization API: provisioning jobs,
//! templates, schemas, secrets and bulk upload, generated from Graph's CSDL.
//!
//! - [`models`]: every type of the API, lossless on the wire (absent, `null` and a
//!   value stay distinct; unknown properties and enum members are kept).
//! - [`api`]: request builders that follow the URL, starting from [`Client`]:
//!   `client.service_principal(id).synchronization().job(job_id).start().await?`.
//! - [`runtime`]: the hand-written parts (HTTP, auth, clouds, retries, paging,
//!   errors, value types). `models` and `api` are generated: do not edit them.
#![forbid(unsafe_code)]

#[rustfmt::skip]
pub mod api;
#[rustfmt::skip]
pub mod models;
pub mod runtime;

pub use runtime::client::{Client, ClientBuilder};
pub use runtime::cloud::{ApiVersion, Cloud};
pub use runtime::error::Error;
pub use runtime::nullable::Nullable;
