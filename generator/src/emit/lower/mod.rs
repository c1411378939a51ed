//! Lowering: the model, closure and profile turned into plain data the emitters
//! turn into tokens and nothing else. Names, docs, field shapes and imports are
//! decided here, once.

pub mod api;
pub mod fields;
pub mod space;
pub mod types;
