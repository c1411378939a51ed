//! Lowering: the model, closure and profile turned into plain data the emitters
//! turn into tokens and nothing else. Names, docs, field shapes and imports are
//! decided here, once.

pub mod api;
pub mod docs;
pub mod enums;
pub mod fields;
pub mod registry;
pub mod space;
pub mod types;
