//! Request paths built segment by segment, so that an id can never change which
//! resource a request addresses.
//!
//! Literal segments come from the generator (they are trusted, but characters that
//! cannot appear in a path are still encoded). Ids are encoded as exactly one path
//! segment: every byte outside RFC 3986's unreserved set (`A-Z a-z 0-9 - . _ ~`) is
//! percent-encoded, so `/`, `?`, `#`, `%` and `\` in an id stay inside the segment.
//!
//! The ids `.` and `..` are encoded as `%2E` and `%2E%2E`, yet URL parsers that
//! follow the WHATWG URL standard (the `url` crate under reqwest among them) still
//! treat those encodings as dot segments and remove them. A path with such an id
//! (or an empty id) is therefore marked invalid, and the client refuses to send it
//! with [`Error::Config`](super::error::Error::Config) rather than address another
//! resource.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use std::fmt;

/// Everything except RFC 3986 unreserved characters.
const ID_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'!')
    .add(b'"')
    .add(b'#')
    .add(b'$')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'*')
    .add(b'+')
    .add(b',')
    .add(b'/')
    .add(b':')
    .add(b';')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'@')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Characters that may never appear literally in a path: literals keep `/`, `:`,
/// `@`, sub-delimiters and unreserved characters, and lose the rest.
const LITERAL: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A URL path below the API version, e.g.
/// `/servicePrincipals/abc%2Fdef/synchronization/jobs`.
///
/// ```
/// # use msgraph_sync::runtime::path::RequestPath;
/// let path = RequestPath::new()
///     .push("servicePrincipals")
///     .push_id("abc/def")
///     .push("synchronization");
/// assert_eq!(path.as_str(), "/servicePrincipals/abc%2Fdef/synchronization");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct RequestPath {
    buf: String,
    invalid: Option<&'static str>,
}

impl RequestPath {
    /// The empty path (`/`).
    pub fn new() -> Self {
        RequestPath::default()
    }

    /// Appends a literal segment (or several, separated by `/`) written by the
    /// generator, such as `servicePrincipals` or `synchronization/jobs`.
    #[must_use]
    pub fn push(mut self, literal: &str) -> Self {
        let literal = literal.trim_matches('/');
        if !literal.is_empty() {
            self.buf.push('/');
            self.buf.extend(utf8_percent_encode(literal, LITERAL));
        }
        self
    }

    /// Appends an id (a key from the caller or from a response) as one segment.
    #[must_use]
    pub fn push_id(mut self, id: impl fmt::Display) -> Self {
        self.buf.push('/');
        let start = self.buf.len();
        let mut writer = SegmentWriter { buf: &mut self.buf };
        // Writing into a String cannot fail; a Display impl that reports an error
        // leaves a partial id, which is marked invalid below.
        if fmt::write(&mut writer, format_args!("{id}")).is_err() {
            self.invalid.get_or_insert("an id failed to format");
        }
        match &self.buf[start..] {
            "" => {
                self.invalid.get_or_insert("an id is empty");
            }
            "." => {
                self.buf.truncate(start);
                self.buf.push_str("%2E");
                self.invalid
                    .get_or_insert("an id is `.`, which URL parsers remove even when encoded");
            }
            ".." => {
                self.buf.truncate(start);
                self.buf.push_str("%2E%2E");
                self.invalid
                    .get_or_insert("an id is `..`, which URL parsers resolve even when encoded");
            }
            _ => {}
        }
        self
    }

    /// The encoded path, starting with `/`.
    pub fn as_str(&self) -> &str {
        if self.buf.is_empty() { "/" } else { &self.buf }
    }

    /// Why this path cannot be sent safely, if it cannot (an empty, `.` or `..` id).
    pub fn invalid_reason(&self) -> Option<&'static str> {
        self.invalid
    }
}

impl fmt::Display for RequestPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Percent-encodes whatever is written into it as one path segment.
struct SegmentWriter<'a> {
    buf: &'a mut String,
}

impl fmt::Write for SegmentWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.buf.extend(utf8_percent_encode(s, ID_SEGMENT));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_id(id: &str) -> RequestPath {
        RequestPath::new()
            .push("servicePrincipals")
            .push_id(id)
            .push("synchronization")
    }

    #[test]
    fn ids_are_one_segment() {
        assert_eq!(
            with_id("abc/def").as_str(),
            "/servicePrincipals/abc%2Fdef/synchronization"
        );
        assert_eq!(
            with_id("a?b#c%d e\\f").as_str(),
            "/servicePrincipals/a%3Fb%23c%25d%20e%5Cf/synchronization"
        );
        assert_eq!(
            with_id("../../users").as_str(),
            "/servicePrincipals/..%2F..%2Fusers/synchronization"
        );
        assert_eq!(
            with_id("é'x").as_str(),
            "/servicePrincipals/%C3%A9%27x/synchronization"
        );
        assert_eq!(
            with_id("AZaz09-._~").as_str(),
            "/servicePrincipals/AZaz09-._~/synchronization"
        );
        assert!(with_id("abc").invalid_reason().is_none());
    }

    #[test]
    fn dot_ids_are_encoded_and_marked() {
        let dot = with_id(".");
        assert_eq!(dot.as_str(), "/servicePrincipals/%2E/synchronization");
        assert!(dot.invalid_reason().is_some());
        let dots = with_id("..");
        assert_eq!(dots.as_str(), "/servicePrincipals/%2E%2E/synchronization");
        assert!(dots.invalid_reason().is_some());
        assert!(with_id("").invalid_reason().is_some());
        assert!(with_id("...").invalid_reason().is_none());
    }

    #[test]
    fn literals() {
        assert_eq!(RequestPath::new().as_str(), "/");
        assert_eq!(
            RequestPath::new().push("/synchronization/jobs/").as_str(),
            "/synchronization/jobs"
        );
        assert_eq!(RequestPath::new().push("a?b#c").as_str(), "/a%3Fb%23c");
        assert_eq!(RequestPath::new().push_id(42).as_str(), "/42");
    }
}
