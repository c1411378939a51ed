//! Request body shapes that are not model types.

use serde::Serialize;

/// `{"value": [...]}`: how OData sends a collection as a body (PUT `secrets`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ValueBody<'a, T> {
    /// The items, sent as the `value` array.
    pub value: &'a [T],
}
