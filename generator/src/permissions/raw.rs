//! The shape of Graph's permissions.json, as far as this module reads it.
//!
//! Fields it does not need (display names, descriptions, owners) are skipped by
//! serde; fields whose absence does no harm default to empty. Names and paths are
//! borrowed from the input where they have no escapes (nearly always), which
//! keeps parsing the 3 MB reference cheap.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// A string borrowed from the input when it can be, owned when it has escapes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Text<'a>(pub Cow<'a, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor(std::marker::PhantomData))
    }
}

/// Visits strings, keeping borrowed ones borrowed.
struct TextVisitor<'a>(std::marker::PhantomData<&'a str>);

impl<'de: 'a, 'a> Visitor<'de> for TextVisitor<'a> {
    type Value = Text<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v.to_owned())))
    }
}

/// The whole document: `{"$schema": ..., "permissions": {NAME: ...}}`.
#[derive(Debug, Deserialize)]
pub(super) struct RawDocument<'a> {
    #[serde(borrow)]
    pub permissions: HashMap<Text<'a>, RawPermission<'a>>,
}

/// One permission: its schemes (with privilege levels) and the paths it grants.
#[derive(Debug, Deserialize)]
pub(super) struct RawPermission<'a> {
    #[serde(default, borrow)]
    pub schemes: HashMap<Text<'a>, RawScheme>,
    #[serde(default, borrow, rename = "pathSets")]
    pub path_sets: Vec<RawPathSet<'a>>,
}

/// One scheme of a permission; only the privilege level matters here.
#[derive(Debug, Deserialize)]
pub(super) struct RawScheme {
    /// Read loosely: a missing or non-integer level is "unknown", not an error.
    #[serde(default, rename = "privilegeLevel")]
    pub privilege_level: Option<serde_json::Value>,
}

impl RawScheme {
    /// The privilege level when it is a non-negative integer that fits in `u32`.
    pub fn level(&self) -> Option<u32> {
        self.privilege_level
            .as_ref()
            .and_then(serde_json::Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    }
}

/// Schemes x methods x paths that a permission grants, with per-path annotations.
#[derive(Debug, Deserialize)]
pub(super) struct RawPathSet<'a> {
    #[serde(default, borrow, rename = "schemeKeys")]
    pub scheme_keys: Vec<Text<'a>>,
    #[serde(default, borrow)]
    pub methods: Vec<Text<'a>>,
    /// Path -> annotations such as `least=DelegatedWork,Application;AlsoRequires=X`.
    #[serde(default, borrow)]
    pub paths: HashMap<Text<'a>, Option<Text<'a>>>,
}
