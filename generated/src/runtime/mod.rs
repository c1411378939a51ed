//! Hand-written runtime of the client. Nothing in this folder is generated: the
//! generator writes only `src/models/` and `src/api/`, which build on these pieces.

// Value types and the (de)serialization machinery that generated models use.
pub mod binary;
pub mod date_time;
pub mod duration;
pub mod enums;
pub mod flags;
pub mod guid;
pub mod json;
pub mod nullable;
pub mod object;
pub mod redact;
pub mod registry;
pub mod text_value;

// Request bodies the metadata does not describe: OData's collection wrapper and SCIM.
pub mod body;
pub mod scim;

// The HTTP side: client, clouds, authentication, requests, retries, paging, errors.
pub mod auth;
pub mod client;
pub mod cloud;
pub mod env;
pub mod error;
pub mod paging;
pub mod path;
pub mod request;
pub mod retry;
