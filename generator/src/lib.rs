//! Generator library: CSDL -> model -> slice/emit -> files.
#![forbid(unsafe_code)]

pub mod changes;
pub mod csdl;
pub mod descriptions;
pub mod emit;
pub mod error;
pub mod fetch;
pub mod fixups;
pub mod inspect;
pub mod lock;
pub mod model;
pub mod permissions;
pub mod pipeline;
pub mod profile;
pub mod slice;
pub mod stamp;
pub mod write;
