//! Typed client for the Microsoft Graph synchronization API.
#![forbid(unsafe_code)]
pub mod runtime;
