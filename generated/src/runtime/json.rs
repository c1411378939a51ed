//! JSON entry points that name the JSON path of a failure (`jobs[0].schedule.interval`)
//! without paying for path tracking when decoding succeeds.
//!
//! [`from_str`]/[`from_slice`] keep a text-kept value that does not parse (a date-time
//! `""`) as an invalid value; [`from_str_strict`]/[`from_slice_strict`] make it a decode
//! error at its JSON path instead (see [`crate::runtime::text_value`]).

use crate::runtime::text_value;
use serde::de::DeserializeOwned;
use std::fmt;

/// A JSON document that did not decode as the requested type.
///
/// The message never quotes string values from the input (they may be secrets):
/// string literals in the underlying error are replaced by `"<redacted>"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The JSON path of the failing value, `.` for the document itself.
    pub path: String,
    /// What was wrong, with string literals redacted.
    pub message: String,
    /// 1-based line in the input, when known (0 otherwise).
    pub line: usize,
    /// 1-based column in the input, when known (0 otherwise).
    pub column: usize,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "JSON decode error at `{}` (line {}, column {}): {}",
            self.path, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for DecodeError {}

/// Decodes `T` from a JSON text.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    from_slice(text.as_bytes())
}

/// Decodes `T` from JSON bytes. The fast path is a plain `serde_json` decode; only
/// on failure is the input decoded again with path tracking to locate the error.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    match serde_json::from_slice(bytes) {
        Ok(value) => Ok(value),
        Err(first) => {
            let mut deserializer = serde_json::Deserializer::from_slice(bytes);
            match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
                Err(err) => {
                    let path = err.path().to_string();
                    let inner = err.into_inner();
                    Err(located(path, &inner))
                }
                // Unreachable in practice (same input, same result); report the first error.
                Ok(_) => Err(located(".".to_string(), &first)),
            }
        }
    }
}

/// Decodes `T` from a JSON text strictly: an invalid date-time, duration, GUID or
/// base64 text is an error naming its JSON path instead of a kept invalid value.
pub fn from_str_strict<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    from_slice_strict(text.as_bytes())
}

/// Decodes `T` from JSON bytes strictly (see [`from_str_strict`]).
pub fn from_slice_strict<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    with_strict_values(|| from_slice(bytes))
}

/// Runs `decode` (any decode on this thread: `serde_json::from_value`,
/// `AnyModel::decode`, ...) with strict values: an invalid date-time, duration, GUID
/// or base64 text is a deserialization error instead of a kept invalid value. The
/// setting ends when `decode` returns (or panics); do not await inside it.
pub fn with_strict_values<R>(decode: impl FnOnce() -> R) -> R {
    text_value::strict_values(decode)
}

/// Encodes a value as compact JSON.
pub fn to_string<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    serde_json::to_string(value)
}

/// Encodes a value as compact JSON bytes.
pub fn to_vec<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(value)
}

fn located(path: String, err: &serde_json::Error) -> DecodeError {
    DecodeError {
        path,
        message: redact_string_literals(&strip_position(&err.to_string())),
        line: err.line(),
        column: err.column(),
    }
}

/// serde_json appends " at line L column C"; the position is kept in fields instead.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

/// Replaces every `"..."` (with `\"` escapes) in an error message by `"<redacted>"`.
pub fn redact_string_literals(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            out.push(c);
            continue;
        }
        let mut escaped = false;
        for inner in chars.by_ref() {
            if escaped {
                escaped = false;
            } else if inner == '\\' {
                escaped = true;
            } else if inner == '"' {
                break;
            }
        }
        out.push_str("\"<redacted>\"");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_names_path_and_hides_strings() {
        #[derive(Debug, serde::Deserialize)]
        struct Inner {
            #[allow(dead_code)]
            n: u32,
        }
        #[derive(Debug, serde::Deserialize)]
        struct Outer {
            #[allow(dead_code)]
            items: Vec<Inner>,
        }
        let err = from_str::<Outer>(r#"{"items":[{"n":1},{"n":"hunter2"}]}"#).unwrap_err();
        assert_eq!(err.path, "items[1].n");
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert_eq!(err.line, 1);
    }

    #[test]
    fn strict_decode_locates_an_invalid_value_that_tolerant_decode_keeps() {
        use crate::runtime::date_time::DateTimeOffset;
        use crate::runtime::guid::Guid;
        #[derive(Debug, serde::Deserialize, serde::Serialize)]
        struct Item {
            when: DateTimeOffset,
            id: Option<Guid>,
        }
        #[derive(Debug, serde::Deserialize, serde::Serialize)]
        struct Outer {
            items: Vec<Item>,
        }
        let text =
            r#"{"items":[{"when":"2019-03-20T15:47:50Z","id":null},{"when":"","id":"{id}"}]}"#;
        let kept: Outer = from_str(text).unwrap();
        assert!(kept.items[0].when.is_valid());
        assert!(!kept.items[1].when.is_valid());
        assert!(!kept.items[1].id.as_ref().unwrap().is_valid());
        assert_eq!(to_string(&kept).unwrap(), text);

        let err = from_str_strict::<Outer>(text).unwrap_err();
        assert_eq!(err.path, "items[1].when");
        assert_eq!(
            err.message,
            "expected an ISO 8601 date-time, found an empty string"
        );
        let err = from_slice_strict::<Outer>(
            br#"{"items":[{"when":"2019-03-20T15:47:50Z","id":"secret-looking-id"}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.path, "items[0].id");
        assert!(err.message.contains("invalid GUID at character"), "{err}");
        assert!(!err.to_string().contains("secret"), "{err}");
        // The strict scope ends with the call.
        assert!(from_str::<Outer>(text).is_ok());

        // No lossless form: still a located error in either mode.
        let number = r#"{"items":[{"when":20190320}]}"#;
        for err in [
            from_str::<Outer>(number).unwrap_err(),
            from_str_strict::<Outer>(number).unwrap_err(),
        ] {
            assert_eq!(err.path, "items[0].when");
            assert!(err.message.contains("ISO 8601 date-time string"), "{err}");
        }
    }

    #[test]
    fn redacts_escaped_literals() {
        assert_eq!(
            redact_string_literals(r#"invalid type: string "a\"b", expected u32"#),
            r#"invalid type: string "<redacted>", expected u32"#
        );
    }
}
