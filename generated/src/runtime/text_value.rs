//! What the text-kept value types (`Edm.DateTimeOffset`, `Edm.Duration`, `Edm.Guid`,
//! `Edm.Binary`) share: their parse error, the strict-values switch, and the macro
//! that writes their common surface.
//!
//! # Tolerant by default, strict on request
//!
//! Each of these types keeps the JSON text as the value and computes a typed form
//! beside it. Graph does not always send a valid text: its own documented response
//! of `GET .../synchronization/jobs/{id}` has `""` in `status.quarantine.currentBegan`.
//! Refusing the whole response for one such value would leave the user unable to
//! read the job at all, so by default a text that does not parse is **kept as it
//! was, marked invalid**: it decodes, it is written back unchanged, and only its
//! typed accessors (`to_offset_date_time()`, `to_std()`, `to_uuid()`, `decode()`,
//! ...) return a [`ParseError`] that names the value and says why.
//!
//! A value that has no lossless form in these types (a JSON number or boolean
//! where a date-time belongs) is still a decode error naming its JSON path.
//!
//! Callers who prefer the old, strict behaviour (an invalid text is a decode error
//! naming its JSON path) use [`crate::runtime::json::from_slice_strict`] /
//! [`crate::runtime::json::from_str_strict`] (or wrap any decode in
//! [`crate::runtime::json::with_strict_values`]), or build the client with
//! `ClientBuilder::strict_values(true)`.
//!
//! How strictness reaches the `Deserialize` impls: serde gives a `Deserialize` impl
//! no way to receive options, so the strict entry points run the decode inside
//! `strict_values`, which sets a thread-local flag for the duration of that one
//! synchronous call and restores the previous state afterwards (also on panic).
//! Decoding never awaits, so the flag cannot leak into another task; nothing else
//! reads or writes it.

use std::cell::Cell;
use std::fmt;

/// Which value type a [`ParseError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// `Edm.DateTimeOffset` ([`crate::runtime::date_time::DateTimeOffset`]).
    DateTimeOffset,
    /// `Edm.Duration` ([`crate::runtime::duration::Duration`]).
    Duration,
    /// `Edm.Guid` ([`crate::runtime::guid::Guid`]).
    Guid,
    /// `Edm.Binary` ([`crate::runtime::binary::Binary`]).
    Binary,
}

impl Kind {
    /// The OData name, e.g. `Edm.DateTimeOffset`.
    pub fn edm_name(self) -> &'static str {
        match self {
            Kind::DateTimeOffset => "Edm.DateTimeOffset",
            Kind::Duration => "Edm.Duration",
            Kind::Guid => "Edm.Guid",
            Kind::Binary => "Edm.Binary",
        }
    }

    /// What the text should have been, as used in messages.
    fn what(self) -> &'static str {
        match self {
            Kind::DateTimeOffset => "ISO 8601 date-time",
            Kind::Duration => "ISO 8601 duration",
            Kind::Guid => "GUID",
            Kind::Binary => "base64",
        }
    }

    /// What serde reports when the JSON value is not even a string.
    pub(crate) fn expecting(self) -> &'static str {
        match self {
            Kind::DateTimeOffset => "an ISO 8601 date-time string such as 2019-03-20T15:47:50Z",
            Kind::Duration => "an ISO 8601 duration string such as PT1M",
            Kind::Guid => "a GUID string (8-4-4-4-12 hex digits)",
            Kind::Binary => "a base64 string",
        }
    }
}

/// Why a text is not a valid value of its type, and at which character.
///
/// Its message never quotes the text: what Graph sent where a date-time belongs
/// may be anything, a secret included (see `runtime::redact`). From a typed
/// accessor of a kept invalid value the message also names the value by its type
/// and length, and [`ParseError::value`] gives the text to code that asks.
#[derive(Clone, PartialEq, Eq)]
pub struct ParseError {
    kind: Kind,
    offset: usize,
    reason: &'static str,
    /// The reason is a whole sentence (the empty text), not "at character N".
    standalone: bool,
    /// The value's text, attached by accessors.
    value: Option<Box<str>>,
}

impl ParseError {
    /// An error at character `offset` (0-based).
    pub(crate) fn at(kind: Kind, offset: usize, reason: &'static str) -> Self {
        ParseError {
            kind,
            offset,
            reason,
            standalone: false,
            value: None,
        }
    }

    /// An error whose reason says it all (`found an empty string`).
    pub(crate) fn standalone(kind: Kind, reason: &'static str) -> Self {
        ParseError {
            standalone: true,
            ..ParseError::at(kind, 0, reason)
        }
    }

    /// The same error, naming the value `text` it is about.
    pub(crate) fn for_value(&self, text: &str) -> Self {
        ParseError {
            value: Some(text.into()),
            ..self.clone()
        }
    }

    /// The value type.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Character offset (0-based) where the text stopped being valid.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What was expected or wrong there.
    pub fn reason(&self) -> &'static str {
        self.reason
    }

    /// The text of the invalid value, when the error comes from an accessor (never
    /// part of the message).
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(text) = &self.value {
            write!(
                f,
                "invalid {} value ({} characters): ",
                self.kind.edm_name(),
                text.chars().count()
            )?;
        }
        if self.standalone {
            f.write_str(self.reason)
        } else {
            write!(
                f,
                "invalid {} at character {}: {}",
                self.kind.what(),
                self.offset,
                self.reason
            )
        }
    }
}

impl fmt::Debug for ParseError {
    /// The fields, with the value's length in place of its text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParseError")
            .field("kind", &self.kind)
            .field("offset", &self.offset)
            .field("reason", &self.reason)
            .field(
                "value_chars",
                &self.value.as_ref().map(|text| text.chars().count()),
            )
            .finish()
    }
}

impl std::error::Error for ParseError {}

thread_local! {
    /// Set only inside [`strict_values`].
    static STRICT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `decode` with strict values: an invalid text of a text-kept type is a
/// deserialization error instead of a kept invalid value. Nests; restores the
/// previous state when `decode` returns or panics.
pub(crate) fn strict_values<R>(decode: impl FnOnce() -> R) -> R {
    /// Restores the previous state on drop.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            STRICT.with(|strict| strict.set(self.0));
        }
    }
    let _restore = Restore(STRICT.with(|strict| strict.replace(true)));
    decode()
}

/// Whether the current decode is strict (see [`strict_values`]).
pub(crate) fn is_strict() -> bool {
    STRICT.with(Cell::get)
}

/// Writes the surface every text-kept value type shares: the struct (the text and
/// the parse outcome), `parse` (strict), `from_text` (any text), `as_str`,
/// `is_valid`, `parse_error`, `Display`, `FromStr`, `Serialize`, `Deserialize`
/// (tolerant or strict, see the module docs), and on request `Debug` showing the
/// text, `PartialEq`/`Eq`/`Hash` by text, and `TryFrom<Type> for Parsed`.
///
/// The type's file supplies `fn parse_value(&str) -> Result<Parsed, ParseError>`,
/// `Default`, conversions and the typed accessors (through `self.parsed()`, which
/// attaches the value to the error).
macro_rules! text_value_type {
    (
        $(#[$meta:meta])*
        pub struct $name:ident(kind: $kind:expr, parsed: $parsed:ty, parse: $parse:path);
        debug: $debug:ident;
        eq: $eq:ident;
        into_parsed: $into:ident;
    ) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct $name {
            text: String,
            parsed: Result<$parsed, $crate::runtime::text_value::ParseError>,
        }

        impl $name {
            /// Validates and keeps `text`; the error says what was wrong at which
            /// character (and does not quote the text).
            pub fn parse(text: &str) -> Result<Self, $crate::runtime::text_value::ParseError> {
                let parsed = $parse(text)?;
                Ok($name {
                    text: text.to_owned(),
                    parsed: Ok(parsed),
                })
            }

            /// Keeps any text: a valid one as [`Self::parse`] would, an invalid one
            /// marked invalid (it is written back unchanged; typed accessors fail).
            pub fn from_text(text: impl Into<String>) -> Self {
                let text = text.into();
                let parsed = $parse(&text);
                $name { text, parsed }
            }

            /// The text exactly as received or built.
            pub fn as_str(&self) -> &str {
                &self.text
            }

            /// Whether the text is valid; an invalid value is kept and sent back
            /// as it came, but its typed accessors return an error.
            pub fn is_valid(&self) -> bool {
                self.parsed.is_ok()
            }

            /// Why the text is invalid, or `None` when it is valid.
            pub fn parse_error(&self) -> Option<&$crate::runtime::text_value::ParseError> {
                self.parsed.as_ref().err()
            }

            /// The typed form, or the error naming this value.
            fn parsed(&self) -> Result<&$parsed, $crate::runtime::text_value::ParseError> {
                self.parsed.as_ref().map_err(|err| err.for_value(&self.text))
            }
        }

        impl ::std::fmt::Display for $name {
            /// The text as kept.
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.text)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::runtime::text_value::ParseError;

            /// As [`Self::parse`]: strict.
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $name::parse(text)
            }
        }

        impl ::serde::Serialize for $name {
            /// The text as a JSON string, valid or not.
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.text)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            /// A JSON string; an invalid text is kept marked invalid, or is an error
            /// when decoding strictly. Any other JSON value is an error.
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct TextVisitor;

                impl ::serde::de::Visitor<'_> for TextVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str($kind.expecting())
                    }

                    fn visit_str<E: ::serde::de::Error>(self, text: &str) -> Result<$name, E> {
                        if $crate::runtime::text_value::is_strict() {
                            $name::parse(text).map_err(E::custom)
                        } else {
                            Ok($name::from_text(text))
                        }
                    }

                    fn visit_string<E: ::serde::de::Error>(self, text: String) -> Result<$name, E> {
                        if $crate::runtime::text_value::is_strict() {
                            $name::parse(&text).map_err(E::custom)
                        } else {
                            Ok($name::from_text(text))
                        }
                    }
                }

                deserializer.deserialize_str(TextVisitor)
            }
        }

        $crate::runtime::text_value::text_value_type!(@debug $debug $name);
        $crate::runtime::text_value::text_value_type!(@eq $eq $name);
        $crate::runtime::text_value::text_value_type!(@into $into $name, $parsed);
    };

    (@into yes $name:ident, $parsed:ty) => {
        impl TryFrom<$name> for $parsed {
            type Error = $crate::runtime::text_value::ParseError;

            /// The typed form; an error naming the value when its text is invalid.
            fn try_from(value: $name) -> Result<Self, Self::Error> {
                value.parsed().copied()
            }
        }
    };
    (@into no $name:ident, $parsed:ty) => {};

    (@debug text $name:ident) => {
        impl ::std::fmt::Debug for $name {
            /// `Name("text")`, or `Name(<invalid, N characters>)` for a kept invalid
            /// value, whose text may be anything (a secret included).
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let mut tuple = f.debug_tuple(stringify!($name));
                if self.is_valid() {
                    tuple.field(&self.text);
                } else {
                    tuple.field(&format_args!(
                        "<invalid, {} characters>",
                        self.text.chars().count()
                    ));
                }
                tuple.finish()
            }
        }
    };
    (@debug custom $name:ident) => {};

    (@eq text $name:ident) => {
        impl PartialEq for $name {
            /// By text, as on the wire.
            fn eq(&self, other: &Self) -> bool {
                self.text == other.text
            }
        }

        impl Eq for $name {}

        impl ::std::hash::Hash for $name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                self.text.hash(state);
            }
        }
    };
    (@eq custom $name:ident) => {};
}

pub(crate) use text_value_type;

/// Checks `(text, offset, reason)` cases against a parser: each fails at that
/// character with a message containing the reason (and the offset).
#[cfg(test)]
pub(crate) fn assert_parse_errors<T: fmt::Debug>(
    parse: impl Fn(&str) -> Result<T, ParseError>,
    cases: &[(&str, usize, &str)],
) {
    for &(text, offset, reason) in cases {
        let err = match parse(text) {
            Ok(value) => panic!("{text:?} parsed as {value:?}"),
            Err(err) => err,
        };
        assert_eq!(err.offset(), offset, "{text}: {err}");
        let message = err.to_string();
        assert!(message.contains(reason), "{text}: {message}");
        assert!(
            err.standalone || message.contains(&format!("character {offset}")),
            "{text}: {message}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_scope_nests_and_restores_on_panic() {
        assert!(!is_strict());
        strict_values(|| {
            assert!(is_strict());
            strict_values(|| assert!(is_strict()));
            assert!(is_strict());
        });
        assert!(!is_strict());
        let panicked = std::panic::catch_unwind(|| strict_values(|| panic!("inside")));
        assert!(panicked.is_err());
        assert!(!is_strict(), "a panic inside the scope leaves it strict");
    }

    #[test]
    fn messages_never_quote_the_text() {
        let err = ParseError::at(Kind::Guid, 3, "expected a hexadecimal digit");
        assert_eq!(
            err.to_string(),
            "invalid GUID at character 3: expected a hexadecimal digit"
        );
        assert_eq!(err.value(), None);
        let named = err.for_value("abcx-hunter2");
        assert_eq!(
            named.to_string(),
            "invalid Edm.Guid value (12 characters): invalid GUID at character 3: expected a hexadecimal digit"
        );
        assert_eq!(named.value(), Some("abcx-hunter2"));
        let empty = ParseError::standalone(Kind::Duration, "found an empty string").for_value("");
        assert_eq!(
            empty.to_string(),
            "invalid Edm.Duration value (0 characters): found an empty string"
        );
        let secret =
            ParseError::at(Kind::Binary, 2, "not a base64 character").for_value("hunter2-canary!");
        let shown = format!("{secret} {secret:?} {secret:#?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_eq!(
            format!("{secret:?}"),
            "ParseError { kind: Binary, offset: 2, reason: \"not a base64 character\", value_chars: Some(15) }"
        );
        assert_eq!(secret.kind().edm_name(), "Edm.Binary");
    }
}
