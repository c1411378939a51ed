//! `Edm.Binary`: base64 text, kept as received.
//!
//! The OData JSON format says base64url (`-`, `_`, padding optional), but Graph, built
//! on .NET's `Convert.ToBase64String`, sends standard base64 (`+`, `/`, padded). Both
//! are read. The text is kept as received, so decode -> encode sends back the same
//! bytes in the same spelling.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{self, GeneralPurpose, GeneralPurposeConfig};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// Decoding: padding optional, non-zero trailing bits tolerated (some encoders leave
/// them); validation in [`Binary::parse`] has already enforced the rest.
const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

/// An `Edm.Binary` value as base64 text, standard (`+/`) or URL-safe (`-_`) alphabet,
/// with or without `=` padding (when present it must be complete). No whitespace.
///
/// Equality and hashing are by text. `Debug` shows only the decoded length: binary
/// properties in this API hold keys and certificates.
#[derive(Clone)]
pub struct Binary {
    text: String,
    url_safe: bool,
}

/// Why a text is not base64, and at which character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseBinaryError {
    offset: usize,
    reason: &'static str,
}

impl ParseBinaryError {
    /// Character offset (0-based) of the problem.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What was wrong there.
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

impl fmt::Display for ParseBinaryError {
    /// Names the problem and where; never quotes the input.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid base64 at character {}: {}",
            self.offset, self.reason
        )
    }
}

impl std::error::Error for ParseBinaryError {}

impl Binary {
    /// Validates `text` as base64 (either alphabet, padding optional) and keeps it.
    pub fn parse(text: &str) -> Result<Self, ParseBinaryError> {
        let error = |offset: usize, reason: &'static str| ParseBinaryError { offset, reason };
        let bytes = text.as_bytes();
        let mut standard_at = None;
        let mut url_safe_at = None;
        let mut data_len = bytes.len();
        for (index, &byte) in bytes.iter().enumerate() {
            match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => {}
                b'+' | b'/' => {
                    standard_at.get_or_insert(index);
                }
                b'-' | b'_' => {
                    url_safe_at.get_or_insert(index);
                }
                b'=' => {
                    data_len = index;
                    break;
                }
                _ => {
                    // Offsets count characters; everything before is ASCII.
                    return Err(error(index, "not a base64 character"));
                }
            }
        }
        if let (Some(standard), Some(url_safe)) = (standard_at, url_safe_at) {
            return Err(error(
                standard.max(url_safe),
                "mixes the standard (+/) and URL-safe (-_) alphabets",
            ));
        }
        let padding = &bytes[data_len..];
        if let Some(index) = padding.iter().position(|&b| b != b'=') {
            return Err(error(data_len + index, "text after `=` padding"));
        }
        if data_len % 4 == 1 {
            return Err(error(
                data_len,
                "length is not valid base64 (one character too many or too few)",
            ));
        }
        let needed = (4 - data_len % 4) % 4;
        if !padding.is_empty() && padding.len() != needed {
            return Err(error(data_len, "wrong number of `=` padding characters"));
        }
        let url_safe = url_safe_at.is_some();
        let binary = Binary {
            text: text.to_owned(),
            url_safe,
        };
        // The decoder is the final judge; `decode` relies on this having succeeded.
        match binary.engine().decode(bytes) {
            Ok(_) => Ok(binary),
            Err(_) => Err(error(0, "not valid base64")),
        }
    }

    /// Encodes `bytes` as standard base64 with padding: what Graph (.NET) writes and
    /// what its reader (`Convert.FromBase64String`) accepts. For a server that wants
    /// the OData base64url form, use [`Binary::from_bytes_url_safe`].
    pub fn from_bytes(bytes: &[u8]) -> Self {
        Binary {
            text: general_purpose::STANDARD.encode(bytes),
            url_safe: false,
        }
    }

    /// Encodes `bytes` as base64url without padding (the OData JSON format's form).
    pub fn from_bytes_url_safe(bytes: &[u8]) -> Self {
        Binary {
            text: general_purpose::URL_SAFE_NO_PAD.encode(bytes),
            url_safe: true,
        }
    }

    /// The base64 text exactly as received or built.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The decoded bytes. Cannot fail: the text was decoded once during validation.
    pub fn decode(&self) -> Vec<u8> {
        // Same engine and text as the successful decode in `parse` (or text this
        // crate encoded), so the error arm is unreachable.
        self.engine().decode(&self.text).unwrap_or_default()
    }

    /// Number of decoded bytes, computed from the text length.
    pub fn decoded_len(&self) -> usize {
        let data = self.text.trim_end_matches('=').len();
        data / 4 * 3 + (data % 4).saturating_sub(1)
    }

    fn engine(&self) -> &'static GeneralPurpose {
        if self.url_safe {
            &URL_SAFE_LENIENT
        } else {
            &STANDARD_LENIENT
        }
    }
}

impl Default for Binary {
    /// No bytes: the empty string.
    fn default() -> Self {
        Binary::from_bytes(&[])
    }
}

impl PartialEq for Binary {
    /// By text, as on the wire.
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Binary {}

impl Hash for Binary {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl fmt::Debug for Binary {
    /// `Binary(<32 bytes>)`: the content may be key material, so it is not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Binary(<{} bytes>)", self.decoded_len())
    }
}

impl fmt::Display for Binary {
    /// The base64 text as kept.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Binary {
    type Err = ParseBinaryError;

    fn from_str(text: &str) -> Result<Self, ParseBinaryError> {
        Binary::parse(text)
    }
}

impl Serialize for Binary {
    /// The base64 text as a JSON string.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Binary {
    /// A JSON string holding valid base64; the error names the problem.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(BinaryVisitor)
    }
}

/// Accepts a string and validates it.
struct BinaryVisitor;

impl Visitor<'_> for BinaryVisitor {
    type Value = Binary;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a base64 string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Binary, E> {
        Binary::parse(text).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::json;

    #[test]
    fn both_alphabets_with_and_without_padding() {
        let bytes = [0xfa, 0xec, 0x20, 0x55, 0x00, 0xff];
        for text in ["+uwgVQD/", "-uwgVQD_"] {
            let binary = Binary::parse(text).unwrap();
            assert_eq!(binary.decode(), bytes);
            assert_eq!(binary.decoded_len(), 6);
        }
        for (text, expected) in [
            ("aGk=", &b"hi"[..]),
            ("aGk", b"hi"),
            ("aA==", b"h"),
            ("aA", b"h"),
            ("", b""),
            ("aGVsbG8gd29ybGQ", b"hello world"),
            ("+/8=", &[0xfb, 0xff]),
            ("-_8", &[0xfb, 0xff]),
        ] {
            let binary: Binary = json::from_str(&format!("\"{text}\"")).unwrap();
            assert_eq!(binary.decode(), expected, "{text}");
            assert_eq!(binary.decoded_len(), expected.len(), "{text}");
            assert_eq!(binary.as_str(), text);
            assert_eq!(
                serde_json::to_string(&binary).unwrap(),
                format!("\"{text}\"")
            );
        }
        // Non-canonical trailing bits are tolerated.
        assert_eq!(Binary::parse("aGl=").unwrap().decode(), b"hi");
    }

    #[test]
    fn from_bytes_writes_what_graph_writes() {
        let bytes: Vec<u8> = (0..=255).collect();
        let binary = Binary::from_bytes(&bytes);
        assert!(binary.as_str().ends_with("w=="));
        assert!(binary.as_str().contains('+') && binary.as_str().contains('/'));
        assert_eq!(binary.decode(), bytes);
        assert_eq!(Binary::parse(binary.as_str()).unwrap(), binary);
        let url = Binary::from_bytes_url_safe(&bytes);
        assert!(!url.as_str().contains('=') && url.as_str().contains('-'));
        assert_eq!(url.decode(), bytes);
        assert_eq!(Binary::parse(url.as_str()).unwrap().decode(), bytes);
        assert_eq!(Binary::default().as_str(), "");
        for len in 0..8 {
            assert_eq!(Binary::from_bytes(&bytes[..len]).decoded_len(), len);
            assert_eq!(
                Binary::from_bytes_url_safe(&bytes[..len]).decoded_len(),
                len
            );
        }
    }

    #[test]
    fn invalid_texts_are_errors() {
        let cases = [
            ("aGk =", 3, "not a base64 character"),
            ("aG\nk=", 2, "not a base64 character"),
            ("a+b-", 3, "mixes"),
            ("aGk=x", 4, "after `=`"),
            ("aGk==", 3, "number of `=`"),
            ("aGVsb", 5, "length"),
            ("a", 1, "length"),
            ("=", 0, "number of `=`"),
            ("aGké", 3, "not a base64 character"),
        ];
        for (text, offset, reason) in cases {
            let err = Binary::parse(text).unwrap_err();
            assert_eq!(err.offset(), offset, "{text}: {err}");
            assert!(err.to_string().contains(reason), "{text}: {err}");
        }
        let err = json::from_str::<Binary>("\"a+b-\"").unwrap_err();
        assert!(err.message.contains("mixes"), "{err}");
    }

    #[test]
    fn debug_hides_the_content() {
        let binary = Binary::from_bytes(b"hunter2-canary");
        let debug = format!("{binary:?}");
        assert_eq!(debug, "Binary(<14 bytes>)");
        assert!(!debug.contains(binary.as_str()));
    }
}
