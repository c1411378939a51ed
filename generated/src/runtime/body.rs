//! Request body shapes that are not model types.

use serde::Serialize;

/// `{"value": [...]}`: how OData sends a collection as a body (PUT `secrets`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ValueBody<'a, T> {
    pub value: &'a [T],
}
