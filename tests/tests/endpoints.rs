//! Calls every endpoint of the client through its generated builder against a local
//! mock server. The cases are generated (see `generated/endpoints.rs`) from the same
//! path tree as the builders, so a path or method without a builder fails to compile.

#[rustfmt::skip]
#[path = "generated/endpoints.rs"]
mod generated;
