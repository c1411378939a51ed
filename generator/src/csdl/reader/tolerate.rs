//! Deviations from the CSDL spec that Graph has published and that lose no
//! meaning: each is one named rule here, read as the spec form and recorded as a
//! [`Deviation`] on the document (never printed by the reader). Anything else
//! that does not parse stays a located error.

use crate::csdl::ast::Deviation;

/// One tolerance: which attribute it applies to and how it reads a value.
struct Rule {
    /// The name shown in `inspect`.
    name: &'static str,
    /// Where the spec defines the value.
    reference: &'static str,
    /// The elements (local names) on which the attribute has this meaning.
    elements: &'static [&'static str],
    attribute: &'static str,
    /// The spec's form of `value`, when `value` deviates in a way this rule tolerates.
    read: fn(&str) -> Option<&'static str>,
}

/// Elements that carry type facets (CSDL XML 4.01 §7.2).
const FACET_ELEMENTS: &[&str] = &[
    "Property",
    "Parameter",
    "ReturnType",
    "Term",
    "TypeDefinition",
];

const RULES: &[Rule] = &[
    Rule {
        name: "facet keyword in another letter case",
        reference: "OData CSDL XML 4.01 §7.2.4 Scale: `variable` or `floating`",
        elements: FACET_ELEMENTS,
        attribute: "Scale",
        read: |value| keyword_in_other_case(value, &["variable", "floating"]),
    },
    Rule {
        name: "facet keyword in another letter case",
        reference: "OData CSDL XML 4.01 §7.2.6 SRID: `variable`",
        elements: FACET_ELEMENTS,
        attribute: "SRID",
        read: |value| keyword_in_other_case(value, &["variable"]),
    },
    Rule {
        name: "facet keyword in another letter case",
        reference: "OData CSDL XML 4.01 §7.2.2 MaxLength: `max`",
        elements: FACET_ELEMENTS,
        attribute: "MaxLength",
        read: |value| keyword_in_other_case(value, &["max"]),
    },
];

/// The keyword that `value` spells in another letter case (`Variable` for
/// `variable`); `None` for the exact keyword and for anything else.
fn keyword_in_other_case(value: &str, keywords: &[&'static str]) -> Option<&'static str> {
    keywords
        .iter()
        .find(|k| value != **k && value.eq_ignore_ascii_case(k))
        .copied()
}

/// What a tolerated value reads as, and the rule that says so.
pub(super) struct Tolerated {
    pub(super) read_as: &'static str,
    rule: &'static Rule,
}

/// The tolerance for attribute `attribute` with `value` on element `element`
/// (local name), if a rule applies.
pub(super) fn tolerate(element: &str, attribute: &str, value: &str) -> Option<Tolerated> {
    RULES
        .iter()
        .filter(|rule| rule.attribute == attribute && rule.elements.contains(&element))
        .find_map(|rule| {
            let read_as = (rule.read)(value)?;
            Some(Tolerated { read_as, rule })
        })
}

impl Tolerated {
    /// The record of this tolerance for the document.
    pub(super) fn deviation(
        &self,
        file: &str,
        location: crate::error::Location,
        element: &str,
        attribute: &str,
        found: &str,
    ) -> Deviation {
        Deviation {
            file: file.to_string(),
            location,
            element: element.to_string(),
            attribute: attribute.to_string(),
            found: found.to_string(),
            read_as: self.read_as.to_string(),
            rule: self.rule.name,
            reference: self.rule.reference,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_in_another_case_read_as_the_spec_form() {
        let read = |e, a, v| tolerate(e, a, v).map(|t| t.read_as);
        assert_eq!(read("Property", "Scale", "Variable"), Some("variable"));
        assert_eq!(read("Parameter", "Scale", "FLOATING"), Some("floating"));
        assert_eq!(read("Term", "SRID", "Variable"), Some("variable"));
        assert_eq!(read("TypeDefinition", "MaxLength", "MAX"), Some("max"));
        // The spec form and other values are no deviation (the facet parser decides).
        assert_eq!(read("Property", "Scale", "variable"), None);
        assert_eq!(read("Property", "Scale", "7"), None);
        assert_eq!(read("Property", "Scale", "Varied"), None);
        assert_eq!(read("Property", "MaxLength", "Variable"), None);
        // Only where the attribute is a facet.
        assert_eq!(read("EntityType", "Scale", "Variable"), None);
    }
}
