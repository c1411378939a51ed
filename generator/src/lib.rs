//! Generator library: CSDL -> model -> slice/emit -> files.
#![forbid(unsafe_code)]

pub mod csdl;
pub mod error;
pub mod permissions;
