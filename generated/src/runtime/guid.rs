//! `Edm.Guid`: a GUID kept as received.
//!
//! Graph writes GUIDs lowercase, but documented examples and other writers use
//! uppercase; sending back a different spelling than was received makes diffs and
//! signatures noisy, so the text is kept and a `uuid::Uuid` is computed alongside.

use crate::runtime::text_value::{Kind, ParseError, text_value_type};
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};
use uuid::Uuid;

/// The error type of [`Guid::parse`] (the shared [`ParseError`]).
pub type ParseGuidError = ParseError;

text_value_type! {
    /// An `Edm.Guid` in OData's form `8-4-4-4-12` hex digits (either case, no braces).
    ///
    /// Equality, hashing and ordering are by GUID value, not text: `ABC...` and `abc...`
    /// name the same object in Graph. `as_str`/`Display`/serde keep the text. A text
    /// that is not a GUID (`"{id}"` in documented examples) is kept as it came and
    /// marked invalid (see [`crate::runtime::text_value`]); invalid values compare by
    /// text and order after every valid one.
    pub struct Guid(kind: Kind::Guid, parsed: Uuid, parse: parse_value);
    debug: text;
    eq: custom;
    into_parsed: yes;
}

/// Validates `text` as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex, either case).
fn parse_value(text: &str) -> Result<Uuid, ParseError> {
    let error = |offset: usize, reason: &'static str| ParseError::at(Kind::Guid, offset, reason);
    let mut value: u128 = 0;
    let mut chars = 0;
    for (offset, c) in text.chars().enumerate() {
        chars = offset + 1;
        if matches!(offset, 8 | 13 | 18 | 23) {
            if c != '-' {
                return Err(error(
                    offset,
                    "expected `-` (GUIDs are 8-4-4-4-12 hex digits)",
                ));
            }
            continue;
        }
        if offset >= 36 {
            return Err(error(offset, "unexpected text after 36 characters"));
        }
        match c.to_digit(16) {
            Some(digit) => value = (value << 4) | u128::from(digit),
            None => return Err(error(offset, "expected a hexadecimal digit")),
        }
    }
    if chars < 36 {
        return Err(error(
            chars,
            "GUID too short (expected 8-4-4-4-12 hex digits)",
        ));
    }
    Ok(Uuid::from_u128(value))
}

impl Guid {
    /// The GUID as a `uuid::Uuid` (computed during validation); an error, naming
    /// the value, when the text is invalid.
    pub fn to_uuid(&self) -> Result<Uuid, ParseError> {
        self.parsed().copied()
    }

    /// What equality, hashing and ordering use: the value, or the text if invalid.
    fn key(&self) -> Result<Uuid, &str> {
        match &self.parsed {
            Ok(value) => Ok(*value),
            Err(_) => Err(&self.text),
        }
    }
}

impl From<Uuid> for Guid {
    /// Lowercase hyphenated text, as Graph writes it.
    fn from(value: Uuid) -> Self {
        Guid {
            text: value.hyphenated().to_string(),
            parsed: Ok(value),
        }
    }
}

impl Default for Guid {
    /// The nil GUID, `00000000-0000-0000-0000-000000000000`.
    fn default() -> Self {
        Guid::from(Uuid::nil())
    }
}

impl PartialEq for Guid {
    /// By value: case does not matter.
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Guid {}

impl PartialOrd for Guid {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Guid {
    /// By value, consistent with `Eq` (`Ok` before `Err`: valid first).
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl Hash for Guid {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::json;
    use crate::runtime::text_value::assert_parse_errors;
    use std::hash::BuildHasher;

    #[test]
    fn case_is_kept_and_value_compared() {
        let upper = "0AE4B5B9-6C5B-4F4E-8E7A-1D2C3B4A5F60";
        let lower = "0ae4b5b9-6c5b-4f4e-8e7a-1d2c3b4a5f60";
        let a: Guid = json::from_str(&format!("\"{upper}\"")).unwrap();
        let b: Guid = json::from_str(&format!("\"{lower}\"")).unwrap();
        assert_eq!(a.as_str(), upper);
        assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{upper}\""));
        assert_eq!(b.to_string(), lower);
        assert_eq!(a, b);
        assert_eq!(a.to_uuid().unwrap(), Uuid::parse_str(lower).unwrap());
        assert_eq!(Guid::from(a.to_uuid().unwrap()).as_str(), lower);
        assert_eq!(
            Guid::default().as_str(),
            "00000000-0000-0000-0000-000000000000"
        );
        let mixed = Guid::parse("0Ae4b5b9-6c5B-4f4e-8e7a-1d2c3b4a5f60").unwrap();
        assert_eq!(mixed.as_str(), "0Ae4b5b9-6c5B-4f4e-8e7a-1d2c3b4a5f60");
        assert_eq!(mixed, a);
    }

    #[test]
    fn invalid_texts_are_errors() {
        let cases = [
            ("", 0, "too short"),
            ("0ae4b5b9-6c5b-4f4e-8e7a-1d2c3b4a5f6", 35, "too short"),
            ("0ae4b5b9-6c5b-4f4e-8e7a-1d2c3b4a5f600", 36, "after 36"),
            ("0ae4b5b96c5b-4f4e-8e7a-1d2c3b4a5f60x", 8, "expected `-`"),
            ("{0ae4b5b9-6c5b-4f4e-8e7a-1d2c3b4a5f6}", 0, "hexadecimal"),
            ("0ae4b5b9-6c5b-4f4e-8e7a-1d2c3b4a5fg0", 34, "hexadecimal"),
            ("0ae4b5b96c5b4f4e8e7a1d2c3b4a5f60", 8, "expected `-`"),
            ("0ae4b5b9-6c5b-4f4e-8e7a-1d2c3b4a5fé0", 34, "hexadecimal"),
        ];
        assert_parse_errors(Guid::parse, &cases);
        let err = json::from_str_strict::<Guid>("\"placeholder-id\"").unwrap_err();
        assert!(err.message.contains("invalid GUID"), "{err}");
        assert!(!err.to_string().contains("placeholder"), "{err}");
    }

    #[test]
    fn invalid_texts_are_kept_compared_by_text_and_ordered_last() {
        let placeholder: Guid = json::from_str("\"{id}\"").unwrap();
        assert!(!placeholder.is_valid());
        assert_eq!(serde_json::to_string(&placeholder).unwrap(), "\"{id}\"");
        let err = placeholder.to_uuid().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid Edm.Guid value (4 characters): invalid GUID at character 0: expected a hexadecimal digit"
        );
        assert!(Uuid::try_from(placeholder.clone()).is_err());
        assert_eq!(format!("{placeholder:?}"), "Guid(<invalid, 4 characters>)");
        assert_eq!(placeholder, Guid::from_text("{id}"));
        assert_ne!(placeholder, Guid::from_text("{ID}"));
        let nil = Guid::default();
        assert!(nil < placeholder && Guid::from(Uuid::max()) < placeholder);
        let upper = Guid::from_text("0AE4B5B9-6C5B-4F4E-8E7A-1D2C3B4A5F60");
        let lower = Guid::from_text("0ae4b5b9-6c5b-4f4e-8e7a-1d2c3b4a5f60");
        assert!(upper.is_valid());
        assert_eq!(upper, lower);
        let state = std::collections::hash_map::RandomState::new();
        assert_eq!(state.hash_one(&upper), state.hash_one(&lower));
    }
}
