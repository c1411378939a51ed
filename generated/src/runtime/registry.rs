//! What every generated registry (`models::registry`, [`crate::models::AnyModel`])
//! does the same way: read the requested OData type name, follow `@odata.type` to a
//! derived type, decode one value or a collection, and report what failed.
//!
//! The generated registry keeps only what depends on the types: the `AnyModel`
//! enum, the name -> type match and the table of derived types. Real functions here
//! (rather than a macro) so that this code is compiled once, in this crate.

use crate::runtime::json::{self, DecodeError};
use serde::de::DeserializeOwned;
use std::fmt;

/// Why [`AnyModel::decode`](crate::models::AnyModel::decode) failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryError {
    /// The name is not a type of this crate.
    UnknownType(String),
    /// The JSON does not decode as the type; names the JSON path.
    Decode(DecodeError),
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegistryError::UnknownType(name) => write!(f, "unknown type `{name}`"),
            RegistryError::Decode(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for RegistryError {}

impl From<DecodeError> for RegistryError {
    fn from(err: DecodeError) -> Self {
        RegistryError::Decode(err)
    }
}

/// The type a registry is asked for: `type_name` trimmed, without a leading `#`, and
/// whether it was `Collection(...)` (then the inner name, also without `#`).
pub fn requested_type(type_name: &str) -> (&str, bool) {
    let name = type_name.trim().trim_start_matches('#');
    match name
        .strip_prefix("Collection(")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        Some(inner) => (inner.trim_start_matches('#'), true),
        None => (name, false),
    }
}

/// The `@odata.type` of the JSON object `json` when it names one of `derived` (the
/// types derived from `requested`); otherwise `requested`. The JSON is only probed
/// when `derived` is not empty.
pub fn derived_type<'a>(requested: &'a str, json: &'a str, derived: &[&'static str]) -> &'a str {
    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(rename = "@odata.type")]
        odata_type: Option<String>,
    }
    if derived.is_empty() {
        return requested;
    }
    let Ok(Probe {
        odata_type: Some(found),
    }) = serde_json::from_str::<Probe>(json)
    else {
        return requested;
    };
    let found = found.trim_start_matches('#');
    derived
        .iter()
        .copied()
        .find(|d| *d == found)
        .unwrap_or(requested)
}

/// Decodes `json` as one `T` (or, for a `collection`, a JSON array of `T`) and wraps
/// it as a registry value: `wrap` makes one value, `collect` the collection.
pub fn decode_as<T: DeserializeOwned, M>(
    json: &str,
    collection: bool,
    wrap: fn(T) -> M,
    collect: fn(Vec<M>) -> M,
) -> Result<M, RegistryError> {
    if collection {
        let items: Vec<T> = json::from_str(json)?;
        Ok(collect(items.into_iter().map(wrap).collect()))
    } else {
        Ok(wrap(json::from_str(json)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requested_type_reads_hashes_and_collections() {
        assert_eq!(
            requested_type(" #microsoft.graph.filter "),
            ("microsoft.graph.filter", false)
        );
        assert_eq!(
            requested_type("Collection(#microsoft.graph.filter)"),
            ("microsoft.graph.filter", true)
        );
        assert_eq!(
            requested_type("#Collection(microsoft.graph.filter)"),
            ("microsoft.graph.filter", true)
        );
        assert_eq!(requested_type("Collection(x"), ("Collection(x", false));
    }

    #[test]
    fn derived_type_follows_only_known_derived_names() {
        let derived = &["microsoft.graph.b", "microsoft.graph.c"];
        let json = r##"{"@odata.type": "#microsoft.graph.c", "x": 1}"##;
        assert_eq!(
            derived_type("microsoft.graph.a", json, derived),
            "microsoft.graph.c"
        );
        let other = r#"{"@odata.type": "microsoft.graph.z"}"#;
        assert_eq!(
            derived_type("microsoft.graph.a", other, derived),
            "microsoft.graph.a"
        );
        assert_eq!(
            derived_type("microsoft.graph.a", "[1, 2]", derived),
            "microsoft.graph.a"
        );
        assert_eq!(
            derived_type("microsoft.graph.a", json, &[]),
            "microsoft.graph.a"
        );
    }

    #[test]
    fn decode_as_wraps_one_value_or_a_collection() {
        #[derive(Debug, PartialEq)]
        enum Any {
            Number(u8),
            Many(Vec<Any>),
        }
        assert_eq!(
            decode_as("7", false, Any::Number, Any::Many),
            Ok(Any::Number(7))
        );
        assert_eq!(
            decode_as("[1, 2]", true, Any::Number, Any::Many),
            Ok(Any::Many(vec![Any::Number(1), Any::Number(2)]))
        );
        let err = decode_as("\"x\"", false, Any::Number, Any::Many).expect_err("not a number");
        assert!(matches!(err, RegistryError::Decode(_)), "{err:?}");
        assert_eq!(
            RegistryError::UnknownType("x.y".into()).to_string(),
            "unknown type `x.y`"
        );
    }
}
