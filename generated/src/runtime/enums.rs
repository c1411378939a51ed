//! Forward-compatible string enums (CSDL `EnumType` without `IsFlags`).
//!
//! Graph adds enum members over time (its evolvable enums end in
//! `unknownFutureValue`, and `Prefer: include-unknown-enum-members` makes it send the
//! newer ones). A deployed client must not fail on them, so every generated enum has
//! an `Unknown(String)` variant that keeps the member verbatim and writes it back:
//!
//! ```ignore
//! match job.status.code {
//!     SynchronizationStatusCode::Running => {}
//!     SynchronizationStatusCode::Paused => {}
//!     // Members added after this crate was generated land here, text kept.
//!     other => eprintln!("status {}", other.as_wire()),
//! }
//! ```
//!
//! Generated enums forward serde to [`serialize`] and [`deserialize`].

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// A string enum as it appears on the wire. Matching is exact (OData member names are
/// case-sensitive: `"string"` is not `"String"`); text that names no member becomes
/// the enum's `Unknown(text)` variant, so decoding never fails on a new member.
pub trait WireEnum: Sized {
    /// Qualified OData name, e.g. "microsoft.graph.synchronizationStatusCode", used in
    /// error messages. Defaults to "" (the message then names no type).
    const NAME: &'static str = "";

    /// The member named `text`, or `Unknown(text)`. Never fails.
    fn from_wire(text: &str) -> Self;

    /// Like [`WireEnum::from_wire`] for text the caller already owns; an implementation
    /// may override it to move `text` into `Unknown` instead of copying it.
    fn from_wire_owned(text: String) -> Self {
        Self::from_wire(&text)
    }

    /// The member's name as Graph writes it (an unknown member's text as received).
    fn as_wire(&self) -> &str;
}

/// Encodes a [`WireEnum`] as its JSON string.
pub fn serialize<S: Serializer, T: WireEnum>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.as_wire())
}

/// Decodes a [`WireEnum`] from a JSON string (borrowed or owned); anything other than
/// a string is an error naming the enum.
pub fn deserialize<'de, D: Deserializer<'de>, T: WireEnum>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_str(EnumVisitor(PhantomData))
}

/// Accepts strings only; `expecting` names the enum.
struct EnumVisitor<T>(PhantomData<fn() -> T>);

impl<T: WireEnum> Visitor<'_> for EnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if T::NAME.is_empty() {
            f.write_str("a string member of an enumeration")
        } else {
            write!(f, "a string member of {}", T::NAME)
        }
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        Ok(T::from_wire(text))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<T, E> {
        Ok(T::from_wire_owned(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::json;
    use serde::{Deserialize, Serialize};

    /// Shaped like a generated enum.
    #[derive(Debug, Clone, PartialEq, Eq)]
    enum SynchronizationStatusCode {
        NotConfigured,
        Running,
        Paused,
        Quarantine,
        UnknownFutureValue,
        Unknown(String),
    }

    impl WireEnum for SynchronizationStatusCode {
        const NAME: &'static str = "microsoft.graph.synchronizationStatusCode";

        fn from_wire(text: &str) -> Self {
            match text {
                "NotConfigured" => Self::NotConfigured,
                "Running" => Self::Running,
                "Paused" => Self::Paused,
                "Quarantine" => Self::Quarantine,
                "unknownFutureValue" => Self::UnknownFutureValue,
                other => Self::Unknown(other.to_owned()),
            }
        }

        fn as_wire(&self) -> &str {
            match self {
                Self::NotConfigured => "NotConfigured",
                Self::Running => "Running",
                Self::Paused => "Paused",
                Self::Quarantine => "Quarantine",
                Self::UnknownFutureValue => "unknownFutureValue",
                Self::Unknown(text) => text,
            }
        }
    }

    impl<'de> Deserialize<'de> for SynchronizationStatusCode {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize(d)
        }
    }

    impl Serialize for SynchronizationStatusCode {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize(self, s)
        }
    }

    /// Relies on the default `NAME`.
    #[derive(Debug, PartialEq)]
    struct Anonymous(String);

    impl WireEnum for Anonymous {
        fn from_wire(text: &str) -> Self {
            Anonymous(text.to_owned())
        }

        fn as_wire(&self) -> &str {
            &self.0
        }
    }

    impl<'de> Deserialize<'de> for Anonymous {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize(d)
        }
    }

    #[test]
    fn known_members_round_trip() {
        let code: SynchronizationStatusCode = json::from_str("\"Quarantine\"").unwrap();
        assert_eq!(code, SynchronizationStatusCode::Quarantine);
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"Quarantine\"");
        let code: SynchronizationStatusCode = json::from_str("\"unknownFutureValue\"").unwrap();
        assert_eq!(code, SynchronizationStatusCode::UnknownFutureValue);
    }

    #[test]
    fn unknown_member_is_kept_exactly() {
        for text in ["Throttled", "running", "RUNNING", "", "ünïcode \"quoted\""] {
            let json_text = serde_json::to_string(text).unwrap();
            let code: SynchronizationStatusCode = json::from_str(&json_text).unwrap();
            assert_eq!(code, SynchronizationStatusCode::Unknown(text.to_string()));
            assert_eq!(serde_json::to_string(&code).unwrap(), json_text);
        }
        // Owned strings (from a serde_json::Value) take the `visit_string` path.
        let code: SynchronizationStatusCode =
            serde_json::from_value(serde_json::json!("Paused")).unwrap();
        assert_eq!(code, SynchronizationStatusCode::Paused);
    }

    #[test]
    fn non_strings_are_errors_naming_the_enum() {
        for text in ["3", "null", "{}", "[\"Running\"]", "true"] {
            let err = json::from_str::<SynchronizationStatusCode>(text).unwrap_err();
            assert!(
                err.message.contains(
                    "expected a string member of microsoft.graph.synchronizationStatusCode"
                ),
                "{text}: {err}"
            );
        }
        let err = json::from_str::<Anonymous>("1").unwrap_err();
        assert!(
            err.message
                .contains("expected a string member of an enumeration"),
            "{err}"
        );
        assert_eq!(
            json::from_str::<Anonymous>("\"x\"").unwrap(),
            Anonymous("x".into())
        );
    }
}
