//! `Edm.Guid`: a GUID kept as received.
//!
//! Graph writes GUIDs lowercase, but documented examples and other writers use
//! uppercase; sending back a different spelling than was received makes diffs and
//! signatures noisy, so the text is kept and a `uuid::Uuid` is computed alongside.

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;
use uuid::Uuid;

/// An `Edm.Guid` in OData's form `8-4-4-4-12` hex digits (either case, no braces).
///
/// Equality, hashing and ordering are by GUID value, not text: `ABC...` and `abc...`
/// name the same object in Graph. `as_str`/`Display`/serde keep the text.
#[derive(Clone)]
pub struct Guid {
    text: String,
    value: Uuid,
}

/// Why a text is not an `8-4-4-4-12` GUID, and at which character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseGuidError {
    offset: usize,
    reason: &'static str,
}

impl ParseGuidError {
    /// Character offset (0-based) of the problem.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What was expected there.
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

impl fmt::Display for ParseGuidError {
    /// Names the problem and where; never quotes the input.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid GUID at character {}: {}",
            self.offset, self.reason
        )
    }
}

impl std::error::Error for ParseGuidError {}

impl Guid {
    /// Validates `text` as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex, either case)
    /// and keeps it.
    pub fn parse(text: &str) -> Result<Self, ParseGuidError> {
        let mut value: u128 = 0;
        let mut chars = 0;
        for (offset, c) in text.chars().enumerate() {
            chars = offset + 1;
            if matches!(offset, 8 | 13 | 18 | 23) {
                if c != '-' {
                    return Err(ParseGuidError {
                        offset,
                        reason: "expected `-` (GUIDs are 8-4-4-4-12 hex digits)",
                    });
                }
                continue;
            }
            if offset >= 36 {
                return Err(ParseGuidError {
                    offset,
                    reason: "unexpected text after 36 characters",
                });
            }
            match c.to_digit(16) {
                Some(digit) => value = (value << 4) | u128::from(digit),
                None => {
                    return Err(ParseGuidError {
                        offset,
                        reason: "expected a hexadecimal digit",
                    });
                }
            }
        }
        if chars < 36 {
            return Err(ParseGuidError {
                offset: chars,
                reason: "GUID too short (expected 8-4-4-4-12 hex digits)",
            });
        }
        Ok(Guid {
            text: text.to_owned(),
            value: Uuid::from_u128(value),
        })
    }

    /// The text exactly as received or built.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The GUID as a `uuid::Uuid` (computed during validation; cannot fail).
    pub fn to_uuid(&self) -> Uuid {
        self.value
    }
}

impl From<Uuid> for Guid {
    /// Lowercase hyphenated text, as Graph writes it.
    fn from(value: Uuid) -> Self {
        Guid {
            text: value.hyphenated().to_string(),
            value,
        }
    }
}

impl From<Guid> for Uuid {
    fn from(value: Guid) -> Self {
        value.value
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
        self.value == other.value
    }
}

impl Eq for Guid {}

impl PartialOrd for Guid {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Guid {
    /// By value, consistent with `Eq`.
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl Hash for Guid {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl fmt::Debug for Guid {
    /// `Guid("0ae4b5b9-...")`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Guid").field(&self.text).finish()
    }
}

impl fmt::Display for Guid {
    /// The text as kept.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Guid {
    type Err = ParseGuidError;

    fn from_str(text: &str) -> Result<Self, ParseGuidError> {
        Guid::parse(text)
    }
}

impl Serialize for Guid {
    /// The text as a JSON string.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Guid {
    /// A JSON string holding a valid GUID; the error names the problem.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(GuidVisitor)
    }
}

/// Accepts a string and validates it.
struct GuidVisitor;

impl Visitor<'_> for GuidVisitor {
    type Value = Guid;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a GUID string (8-4-4-4-12 hex digits)")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Guid, E> {
        Guid::parse(text).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::json;

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
        assert_eq!(a.to_uuid(), Uuid::parse_str(lower).unwrap());
        assert_eq!(Guid::from(a.to_uuid()).as_str(), lower);
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
        for (text, offset, reason) in cases {
            let err = Guid::parse(text).unwrap_err();
            assert_eq!(err.offset(), offset, "{text}: {err}");
            assert!(err.to_string().contains(reason), "{text}: {err}");
        }
        let err = json::from_str::<Guid>("\"placeholder-id\"").unwrap_err();
        assert!(err.message.contains("invalid GUID"), "{err}");
        assert!(!err.to_string().contains("placeholder"), "{err}");
    }
}
