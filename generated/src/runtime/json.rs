//! JSON entry points that name the JSON path of a failure (`jobs[0].schedule.interval`)
//! without paying for path tracking when decoding succeeds.

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
    fn redacts_escaped_literals() {
        assert_eq!(
            redact_string_literals(r#"invalid type: string "a\"b", expected u32"#),
            r#"invalid type: string "<redacted>", expected u32"#
        );
    }
}
