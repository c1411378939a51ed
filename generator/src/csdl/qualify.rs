//! Alias qualification, written once: a document's names (`graph.x`,
//! `Core.Description`, annotation targets such as `graph.start(graph.job)`) turned
//! into full names (`microsoft.graph.x`) with the document's own aliases.

use super::Csdl;
use std::collections::BTreeMap;

/// Alias or namespace -> namespace, for one document: its schemas and the
/// namespaces its references include.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Namespaces(BTreeMap<String, String>);

impl Namespaces {
    /// The namespaces and aliases `doc` declares (schemas first, then references).
    pub fn of(doc: &Csdl) -> Namespaces {
        let mut map = BTreeMap::new();
        for schema in &doc.schemas {
            map.insert(schema.namespace.clone(), schema.namespace.clone());
            if let Some(alias) = &schema.alias {
                map.insert(alias.clone(), schema.namespace.clone());
            }
        }
        for include in doc.references.iter().flat_map(|r| &r.includes) {
            map.insert(include.namespace.clone(), include.namespace.clone());
            if let Some(alias) = &include.alias {
                map.insert(alias.clone(), include.namespace.clone());
            }
        }
        Namespaces(map)
    }

    /// The namespace an alias or namespace stands for, if the document declares it.
    pub fn get(&self, alias_or_namespace: &str) -> Option<&str> {
        self.0.get(alias_or_namespace).map(String::as_str)
    }

    /// `graph.x` -> `microsoft.graph.x`; names in unknown namespaces and names
    /// without a namespace are left as written.
    pub fn qualify(&self, name: &str) -> String {
        match name.rsplit_once('.') {
            Some((ns, local)) => match self.0.get(ns) {
                Some(full) => join(full, '.', local),
                None => name.to_string(),
            },
            None => name.to_string(),
        }
    }

    /// The qualified name before any `/` or `(` of an annotation target.
    pub fn qualify_head(&self, target: &str) -> String {
        self.qualify(target_head(target))
    }

    /// Qualifies every name of an annotation target: the head and the parameter
    /// types of an operation (`graph.start(graph.job)`,
    /// `graph.validate(Collection(graph.job))`); the path after them
    /// (`graph.synchronization/secrets`) is kept as written.
    pub fn qualify_target(&self, target: &str) -> String {
        let head = target_head(target);
        let rest = &target[head.len()..];
        let mut out = self.qualify(head);
        let path = match rest.strip_prefix('(') {
            Some(inner) => {
                let (params, after) = match closing_paren(inner) {
                    Some(close) => (&inner[..close], &inner[close + 1..]),
                    None => (inner, ""),
                };
                out.push('(');
                for (i, param) in params.split(',').enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let param = param.trim();
                    match param.strip_prefix("Collection(") {
                        Some(inner) => {
                            out.push_str("Collection(");
                            out.push_str(&self.qualify(inner.trim_end_matches(')')));
                            out.push(')');
                        }
                        None => out.push_str(&self.qualify(param)),
                    }
                }
                out.push(')');
                after
            }
            None => rest,
        };
        out.push_str(path);
        out
    }
}

/// The part of an annotation target before any `/` or `(`.
fn target_head(target: &str) -> &str {
    target.split(['/', '(']).next().unwrap_or_default()
}

/// The index in `text` (after an opening parenthesis) of the parenthesis that
/// closes it.
fn closing_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// `head`, `separator`, `tail` in one allocation (names are joined by the
/// thousand; `format!` costs several times more).
pub fn join(head: &str, separator: char, tail: &str) -> String {
    let mut out = String::with_capacity(head.len() + 1 + tail.len());
    out.push_str(head);
    out.push(separator);
    out.push_str(tail);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csdl::{Include, Reference, Schema};

    fn names() -> Namespaces {
        Namespaces::of(&Csdl {
            schemas: vec![Schema {
                namespace: "microsoft.graph".into(),
                alias: Some("graph".into()),
                ..Schema::default()
            }],
            references: vec![Reference {
                includes: vec![Include {
                    namespace: "Org.OData.Core.V1".into(),
                    alias: Some("Core".into()),
                }],
                ..Reference::default()
            }],
            ..Csdl::default()
        })
    }

    #[test]
    fn names_are_qualified_by_alias_and_left_alone_otherwise() {
        let names = names();
        assert_eq!(names.qualify("graph.job"), "microsoft.graph.job");
        assert_eq!(names.qualify("microsoft.graph.job"), "microsoft.graph.job");
        assert_eq!(
            names.qualify("Core.Description"),
            "Org.OData.Core.V1.Description"
        );
        assert_eq!(names.qualify("other.job"), "other.job");
        assert_eq!(names.qualify("job"), "job");
        assert_eq!(names.get("graph"), Some("microsoft.graph"));
        assert_eq!(
            names.qualify_head("graph.synchronization/secrets"),
            "microsoft.graph.synchronization"
        );
    }

    #[test]
    fn every_name_of_a_target_is_qualified() {
        let names = names();
        for (target, qualified) in [
            (
                "graph.synchronization/secrets",
                "microsoft.graph.synchronization/secrets",
            ),
            (
                "graph.start(graph.job)",
                "microsoft.graph.start(microsoft.graph.job)",
            ),
            (
                "graph.validate(Collection(graph.job))",
                "microsoft.graph.validate(Collection(microsoft.graph.job))",
            ),
            (
                "graph.f(graph.a, Collection(graph.b))",
                "microsoft.graph.f(microsoft.graph.a,Collection(microsoft.graph.b))",
            ),
            (
                "graph.f(Collection(graph.a),graph.b)",
                "microsoft.graph.f(Collection(microsoft.graph.a),microsoft.graph.b)",
            ),
            (
                "graph.f(graph.a)/p",
                "microsoft.graph.f(microsoft.graph.a)/p",
            ),
            ("graph.f(graph.a", "microsoft.graph.f(microsoft.graph.a)"),
            ("graph.f()", "microsoft.graph.f()"),
            ("graph.Service/jobs", "microsoft.graph.Service/jobs"),
            ("plain", "plain"),
        ] {
            assert_eq!(names.qualify_target(target), qualified, "{target}");
        }
    }
}
