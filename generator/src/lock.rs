//! The lock file (`metadata/lock.toml`): where the slice came from, the SHA-256 of
//! what was read, and the generator's version, so a regeneration is traceable.

use crate::error::InputError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One input of `update`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceLock {
    /// The path or URL given to `update`.
    pub source: String,
    /// SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// Version of the generator that wrote the slice.
    pub generator_version: String,
    pub csdl: SourceLock,
    pub permissions: Option<SourceLock>,
    /// The description documents merged into the slice (`update --descriptions`);
    /// kept from the previous lock when an update carries the slice's over.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub descriptions: Vec<SourceLock>,
}

impl Lock {
    pub fn parse(source: &str, text: &str) -> Result<Lock, InputError> {
        toml::from_str(text).map_err(|error| InputError::Toml {
            source: source.to_string(),
            error: Box::new(error),
        })
    }

    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!("# Written by `cargo run -- update`; do not edit.\n{body}")
    }
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
