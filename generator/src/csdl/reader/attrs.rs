//! Attributes: one pass over a start tag's attributes, with typed value parsers
//! whose errors point at the attribute itself.

use super::events::{Parser, Result, Start};
use super::tolerate::{Tolerated, tolerate};
use crate::csdl::ast::{Facets, TypeRef};
use crate::csdl::xml_text::first_non_xml_char;
use crate::error::{ErrorKind, SourceError};
use quick_xml::XmlVersion;
use quick_xml::events::attributes::Attribute;
use quick_xml::name::QName;
use std::borrow::Cow;
use std::collections::HashSet;
use std::str::FromStr;

/// What a visitor says about one attribute.
pub(super) type Seen = std::result::Result<bool, ErrorKind>;

impl<'a> Parser<'a> {
    /// Calls `visit(name, value)` for every attribute of `start` except namespace
    /// declarations. `visit` returns `Ok(false)` for an attribute the AST does not
    /// model (counted as `Element@Attribute`), or an error located at the attribute.
    pub(super) fn attrs(
        &mut self,
        start: &Start<'a>,
        mut visit: impl FnMut(&str, Cow<'_, str>) -> Seen,
    ) -> Result<()> {
        let mut seen = SeenKeys::default();
        for &(key, raw) in &start.attributes {
            let attribute = Attribute {
                key: QName(key),
                value: Cow::Borrowed(raw),
            };
            if seen.insert(key) {
                let kind = ErrorKind::MalformedXml(format!("duplicated attribute `{key}`"));
                return Err(self.attr_error(start, key, kind));
            }
            if key == "xmlns" || key.starts_with("xmlns:") {
                continue;
            }
            let value = match attribute.normalized_value(XmlVersion::Implicit1_0) {
                Ok(value) => value,
                Err(e) => {
                    let kind = ErrorKind::MalformedXml(format!("attribute `{key}`: {e}"));
                    return Err(self.attr_error(start, key, kind));
                }
            };
            // Raw characters were refused up front, so only a value that references
            // resolved (an owned one) can hold a character XML does not allow.
            if let Cow::Owned(resolved) = &value
                && let Some((_, c)) = first_non_xml_char(resolved)
            {
                let kind = ErrorKind::MalformedXml(format!(
                    "attribute `{key}` refers to U+{:04X}, which XML does not allow",
                    c as u32
                ));
                return Err(self.attr_error(start, key, kind));
            }
            let (read, tolerated) = match tolerate(start.local, key, &value) {
                Some(tolerated) => (
                    visit(key, Cow::Borrowed(tolerated.read_as)),
                    Some((value, tolerated)),
                ),
                None => (visit(key, value), None),
            };
            match read {
                Ok(true) => {
                    if let Some((found, tolerated)) = tolerated {
                        self.record_deviation(start, key, &found, &tolerated);
                    }
                }
                Ok(false) => self.count(start.local, Some(key)),
                Err(kind) => return Err(self.attr_error(start, key, kind)),
            }
        }
        Ok(())
    }

    /// Records a tolerated deviation at the attribute named `key`.
    fn record_deviation(
        &mut self,
        start: &Start<'a>,
        key: &str,
        found: &str,
        tolerated: &Tolerated,
    ) {
        let at = self.offset_in_text(key).unwrap_or(start.offset);
        let location = self.locate(at);
        let deviation = tolerated.deviation(self.source(), location, start.qname, key, found);
        self.deviations.push(deviation);
    }

    /// An error located at the attribute named `key` (a slice of the input).
    fn attr_error(&mut self, start: &Start<'a>, key: &str, kind: ErrorKind) -> Box<SourceError> {
        let at = self.offset_in_text(key).unwrap_or(start.offset);
        self.error_at(at, start.qname, kind)
    }

    /// Visits attributes of an element that has none in the AST (each is counted).
    pub(super) fn no_attrs(&mut self, start: &Start<'a>) -> Result<()> {
        self.attrs(start, |_, _| Ok(false))
    }

    /// `value`, or a `MissingAttribute` error at `start`.
    pub(super) fn required<T>(
        &self,
        start: &Start<'_>,
        value: Option<T>,
        attribute: &str,
    ) -> Result<T> {
        value.ok_or_else(|| {
            self.error(
                start,
                ErrorKind::MissingAttribute {
                    attribute: attribute.to_string(),
                },
            )
        })
    }
}

/// The attribute names of one tag: a few inline, a hash set past that (so a
/// hostile tag with thousands of attributes stays linear).
#[derive(Debug, Default)]
struct SeenKeys<'k> {
    inline: [&'k str; 8],
    len: usize,
    many: HashSet<&'k str>,
}

impl<'k> SeenKeys<'k> {
    /// Records `key`; true if it was already there.
    fn insert(&mut self, key: &'k str) -> bool {
        let inline = self.inline.get(..self.len).unwrap_or_default();
        if inline.contains(&key) {
            return true;
        }
        if let Some(slot) = self.inline.get_mut(self.len) {
            *slot = key;
            self.len += 1;
            return false;
        }
        !self.many.insert(key)
    }
}

/// An `InvalidAttribute` error.
pub(super) fn invalid(attribute: &str, value: &str, expected: &str) -> ErrorKind {
    ErrorKind::InvalidAttribute {
        attribute: attribute.to_string(),
        value: value.to_string(),
        expected: expected.to_string(),
    }
}

/// CSDL booleans are exactly `true` or `false`.
pub(super) fn boolean(attribute: &str, value: &str) -> std::result::Result<bool, ErrorKind> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(invalid(attribute, value, "`true` or `false`")),
    }
}

/// A number of type `T`.
pub(super) fn number<T: FromStr>(
    attribute: &str,
    value: &str,
    expected: &str,
) -> std::result::Result<T, ErrorKind> {
    value
        .parse()
        .map_err(|_| invalid(attribute, value, expected))
}

/// A type reference that [`TypeRef::parse`] accepts.
pub(super) fn type_ref(attribute: &str, value: &str) -> std::result::Result<TypeRef, ErrorKind> {
    TypeRef::parse(value).ok_or_else(|| {
        invalid(
            attribute,
            value,
            "a qualified type name or Collection(name)",
        )
    })
}

/// A non-negative integer or one of `words`, kept as written.
fn number_or(
    attribute: &str,
    value: Cow<'_, str>,
    words: &[&str],
) -> std::result::Result<String, ErrorKind> {
    let is_number = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    if is_number || words.contains(&value.as_ref()) {
        Ok(value.into_owned())
    } else {
        let expected = format!("a non-negative integer or one of {words:?}");
        Err(invalid(attribute, &value, &expected))
    }
}

/// Sets the facet named `key`; `Ok(false)` when `key` is not a facet.
pub(super) fn facet(facets: &mut Facets, key: &str, value: Cow<'_, str>) -> Seen {
    match key {
        "Nullable" => facets.nullable = Some(boolean(key, &value)?),
        "Unicode" => facets.unicode = Some(boolean(key, &value)?),
        "Precision" => facets.precision = Some(number(key, &value, "a non-negative integer")?),
        "MaxLength" => facets.max_length = Some(number_or(key, value, &["max"])?),
        "Scale" => facets.scale = Some(number_or(key, value, &["variable", "floating"])?),
        "SRID" => facets.srid = Some(number_or(key, value, &["variable"])?),
        _ => return Ok(false),
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_keys_spot_repeats_inline_and_beyond() {
        let names: Vec<String> = (0..20).map(|i| format!("a{i}")).collect();
        let mut seen = SeenKeys::default();
        for name in &names {
            assert!(!seen.insert(name));
        }
        assert!(seen.insert("a3"));
        assert!(seen.insert("a15"));
    }
}
