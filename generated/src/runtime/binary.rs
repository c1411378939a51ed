//! `Edm.Binary`: base64 text, kept as received.
//!
//! The OData JSON format says base64url (`-`, `_`, padding optional), but Graph, built
//! on .NET's `Convert.ToBase64String`, sends standard base64 (`+`, `/`, padded). Both
//! are read. The text is kept as received, so decode -> encode sends back the same
//! bytes in the same spelling.

use crate::runtime::text_value::{Kind, ParseError, text_value_type};
use base64::Engine as _;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{self, GeneralPurpose, GeneralPurposeConfig};
use std::fmt;

/// Decoding: padding optional, non-zero trailing bits tolerated (some encoders leave
/// them); validation in [`Binary::parse`] has already enforced the rest.
const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

/// The error type of [`Binary::parse`] (the shared [`ParseError`]).
pub type ParseBinaryError = ParseError;

text_value_type! {
    /// An `Edm.Binary` value as base64 text, standard (`+/`) or URL-safe (`-_`) alphabet,
    /// with or without `=` padding (when present it must be complete). No whitespace.
    /// Other text received is kept as it came and marked invalid (see
    /// [`crate::runtime::text_value`]).
    ///
    /// Equality and hashing are by text. `Debug` shows only the decoded length (or,
    /// for an invalid value, the text's length): binary properties in this API hold
    /// keys and certificates.
    pub struct Binary(kind: Kind::Binary, parsed: Alphabet, parse: parse_value);
    debug: custom;
    eq: text;
    into_parsed: no;
}

/// Which base64 alphabet a valid text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alphabet {
    Standard,
    UrlSafe,
}

impl Alphabet {
    fn engine(self) -> &'static GeneralPurpose {
        match self {
            Alphabet::Standard => &STANDARD_LENIENT,
            Alphabet::UrlSafe => &URL_SAFE_LENIENT,
        }
    }
}

/// Validates `text` as base64 (either alphabet, padding optional).
fn parse_value(text: &str) -> Result<Alphabet, ParseError> {
    let error = |offset: usize, reason: &'static str| ParseError::at(Kind::Binary, offset, reason);
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
    let alphabet = if url_safe_at.is_some() {
        Alphabet::UrlSafe
    } else {
        Alphabet::Standard
    };
    // The decoder is the final judge; `decode` relies on this having succeeded.
    match alphabet.engine().decode(bytes) {
        Ok(_) => Ok(alphabet),
        Err(_) => Err(error(0, "not valid base64")),
    }
}

impl Binary {
    /// Encodes `bytes` as standard base64 with padding: what Graph (.NET) writes and
    /// what its reader (`Convert.FromBase64String`) accepts. For a server that wants
    /// the OData base64url form, use [`Binary::from_bytes_url_safe`].
    pub fn from_bytes(bytes: &[u8]) -> Self {
        Binary {
            text: general_purpose::STANDARD.encode(bytes),
            parsed: Ok(Alphabet::Standard),
        }
    }

    /// Encodes `bytes` as base64url without padding (the OData JSON format's form).
    pub fn from_bytes_url_safe(bytes: &[u8]) -> Self {
        Binary {
            text: general_purpose::URL_SAFE_NO_PAD.encode(bytes),
            parsed: Ok(Alphabet::UrlSafe),
        }
    }

    /// The decoded bytes; an error, naming the value (by length only), when the
    /// text is invalid.
    pub fn decode(&self) -> Result<Vec<u8>, ParseError> {
        let alphabet = *self.parsed()?;
        // Same engine and text as the successful decode during validation (or text
        // this crate encoded), so the fallback is unreachable.
        Ok(alphabet.engine().decode(&self.text).unwrap_or_default())
    }

    /// Number of decoded bytes, computed from the text length; an error when the
    /// text is invalid.
    pub fn decoded_len(&self) -> Result<usize, ParseError> {
        self.parsed()?;
        let data = self.text.trim_end_matches('=').len();
        Ok(data / 4 * 3 + (data % 4).saturating_sub(1))
    }
}

impl Default for Binary {
    /// No bytes: the empty string.
    fn default() -> Self {
        Binary::from_bytes(&[])
    }
}

impl fmt::Debug for Binary {
    /// `Binary(<32 bytes>)`, or `Binary(<invalid base64, 12 characters>)`: the
    /// content may be key material, so it is not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.decoded_len() {
            Ok(len) => write!(f, "Binary(<{len} bytes>)"),
            Err(_) => write!(
                f,
                "Binary(<invalid base64, {} characters>)",
                self.text.chars().count()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::json;
    use crate::runtime::text_value::assert_parse_errors;

    #[test]
    fn both_alphabets_with_and_without_padding() {
        let bytes = [0xfa, 0xec, 0x20, 0x55, 0x00, 0xff];
        for text in ["+uwgVQD/", "-uwgVQD_"] {
            let binary = Binary::parse(text).unwrap();
            assert_eq!(binary.decode().unwrap(), bytes);
            assert_eq!(binary.decoded_len().unwrap(), 6);
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
            assert_eq!(binary.decode().unwrap(), expected, "{text}");
            assert_eq!(binary.decoded_len().unwrap(), expected.len(), "{text}");
            assert_eq!(binary.as_str(), text);
            assert_eq!(
                serde_json::to_string(&binary).unwrap(),
                format!("\"{text}\"")
            );
        }
        // Non-canonical trailing bits are tolerated.
        assert_eq!(Binary::parse("aGl=").unwrap().decode().unwrap(), b"hi");
    }

    #[test]
    fn from_bytes_writes_what_graph_writes() {
        let bytes: Vec<u8> = (0..=255).collect();
        let binary = Binary::from_bytes(&bytes);
        assert!(binary.as_str().ends_with("w=="));
        assert!(binary.as_str().contains('+') && binary.as_str().contains('/'));
        assert_eq!(binary.decode().unwrap(), bytes);
        assert_eq!(Binary::parse(binary.as_str()).unwrap(), binary);
        let url = Binary::from_bytes_url_safe(&bytes);
        assert!(!url.as_str().contains('=') && url.as_str().contains('-'));
        assert_eq!(url.decode().unwrap(), bytes);
        assert_eq!(
            Binary::parse(url.as_str()).unwrap().decode().unwrap(),
            bytes
        );
        assert_eq!(Binary::default().as_str(), "");
        for len in 0..8 {
            assert_eq!(
                Binary::from_bytes(&bytes[..len]).decoded_len().unwrap(),
                len
            );
            assert_eq!(
                Binary::from_bytes_url_safe(&bytes[..len])
                    .decoded_len()
                    .unwrap(),
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
        assert_parse_errors(Binary::parse, &cases);
        let err = json::from_str_strict::<Binary>("\"a+b-\"").unwrap_err();
        assert!(err.message.contains("mixes"), "{err}");
    }

    #[test]
    fn invalid_texts_are_kept_and_never_shown() {
        let text = "hunter2 canary!";
        let json_text = format!("\"{text}\"");
        let binary: Binary = json::from_str(&json_text).unwrap();
        assert!(!binary.is_valid());
        assert_eq!(binary.as_str(), text);
        assert_eq!(serde_json::to_string(&binary).unwrap(), json_text);
        let err = binary.decode().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid Edm.Binary value (15 characters): invalid base64 at character 7: not a base64 character"
        );
        assert!(binary.decoded_len().is_err());
        let debug = format!("{binary:?}");
        assert_eq!(debug, "Binary(<invalid base64, 15 characters>)");
        assert!(!format!("{binary:#?}").contains("hunter2"));
        let strict = json::from_str_strict::<Binary>(&json_text).unwrap_err();
        assert!(!strict.to_string().contains("hunter2"), "{strict}");
    }

    #[test]
    fn debug_hides_the_content() {
        let binary = Binary::from_bytes(b"hunter2-canary");
        let debug = format!("{binary:?}");
        assert_eq!(debug, "Binary(<14 bytes>)");
        assert!(!debug.contains(binary.as_str()));
    }
}
