//! The profile (`metadata/profile.toml`): which part of Graph to generate and how.

use crate::error::InputError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What to generate: roots of the closure, entry sets of the path tree, the
/// crate's name, secret properties and media types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Name of the generated crate.
    pub crate_name: String,
    /// Qualified type names the closure starts from.
    pub roots: Vec<String>,
    /// Entity sets (or singletons) the HTTP paths start from.
    pub entry_sets: Vec<String>,
    /// `Type/property` whose values are secrets: redacted in `Debug`.
    #[serde(default)]
    pub secret_properties: Vec<String>,
    /// Content type of the upload body of media entities, by type.
    #[serde(default)]
    pub media_types: BTreeMap<String, String>,
}

impl Profile {
    /// Parses the TOML text; `source` names the file in errors.
    pub fn parse(source: &str, text: &str) -> Result<Profile, InputError> {
        toml::from_str(text).map_err(|error| InputError::Toml {
            source: source.to_string(),
            error: Box::new(error),
        })
    }

    pub fn is_secret(&self, type_name: &str, property: &str) -> bool {
        self.secret_properties
            .iter()
            .any(|entry| entry.split_once('/') == Some((type_name, property)))
    }
}
