//! What changed in the generated API between two analyses (what `metadata/` held
//! before `update`, and what it will hold after): types, properties, enum and flags
//! members, endpoints and their permissions, each change marked breaking or not.
//! Plain data in, plain data out; `update` prints it, writes it as Markdown on
//! request, and can refuse a breaking change.

use crate::model::{ApiPath, Closure, Model, TypeDef};
use crate::permissions::PermissionsSlice;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The API as a user of the generated crate sees it, reduced to comparable text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiSurface {
    pub types: BTreeMap<String, TypeShape>,
    /// `METHOD /path` -> the permissions that grant it (one line per scheme).
    pub endpoints: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeShape {
    Structured {
        kind: &'static str,
        base: Option<String>,
        /// Own and inherited properties: name -> type and nullability.
        properties: BTreeMap<String, PropertyShape>,
    },
    Enum {
        flags: bool,
        members: BTreeMap<String, i64>,
    },
    Definition {
        underlying: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyShape {
    pub ty: String,
    pub nullable: bool,
}

impl ApiSurface {
    /// The surface of the closure's types and the paths' endpoints.
    pub fn of(
        model: &Model,
        closure: &Closure,
        paths: &[ApiPath],
        permissions: &PermissionsSlice,
    ) -> ApiSurface {
        let types = closure
            .types
            .keys()
            .filter_map(|name| Some((name.clone(), type_shape(model, model.types.get(name)?))))
            .collect();
        let grants = permissions.grants();
        let mut endpoints = BTreeMap::new();
        for path in paths {
            let template = path.template();
            for endpoint in &path.endpoints {
                let method = endpoint.method.as_str();
                let granted = grants
                    .get(method, &template)
                    .map(|p| p.doc_lines())
                    .unwrap_or_default();
                endpoints.insert(format!("{method} {template}"), granted);
            }
        }
        ApiSurface { types, endpoints }
    }
}

fn type_shape(model: &Model, def: &TypeDef) -> TypeShape {
    match def {
        TypeDef::Structured(s) => TypeShape::Structured {
            kind: def.kind_label(),
            base: s.base.clone(),
            properties: model
                .all_properties(&s.name)
                .into_iter()
                .map(|p| {
                    let shape = PropertyShape {
                        ty: p.ty.to_string(),
                        nullable: p.nullable,
                    };
                    (p.name.clone(), shape)
                })
                .collect(),
        },
        TypeDef::Enum(e) => TypeShape::Enum {
            flags: e.is_flags,
            members: e
                .members
                .iter()
                .map(|m| (m.name.clone(), m.value))
                .collect(),
        },
        TypeDef::Definition(d) => TypeShape::Definition {
            underlying: d.underlying.edm_name().to_string(),
        },
    }
}

/// One difference, in words a user of the crate understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Breaks code or deployments built on the previous crate.
    pub breaking: bool,
    /// What it concerns: a type name or an endpoint.
    pub subject: String,
    pub what: String,
}

/// Every difference between two surfaces, types first, then endpoints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiChanges {
    pub changes: Vec<Change>,
}

impl ApiChanges {
    pub fn between(old: &ApiSurface, new: &ApiSurface) -> ApiChanges {
        let mut out = Vec::new();
        for (name, shape) in &old.types {
            if !new.types.contains_key(name) {
                out.push(change(true, name, format!("{} removed", shape.label())));
            }
        }
        for (name, shape) in &new.types {
            match old.types.get(name) {
                None => out.push(change(false, name, format!("{} added", shape.label()))),
                Some(before) => type_changes(name, before, shape, &mut out),
            }
        }
        for endpoint in old.endpoints.keys() {
            if !new.endpoints.contains_key(endpoint) {
                out.push(change(true, endpoint, "endpoint removed".to_string()));
            }
        }
        for (endpoint, grants) in &new.endpoints {
            match old.endpoints.get(endpoint) {
                None => out.push(change(false, endpoint, "endpoint added".to_string())),
                Some(before) if before != grants => out.push(change(
                    false,
                    endpoint,
                    format!(
                        "permissions changed: {} -> {}",
                        grant_text(before),
                        grant_text(grants)
                    ),
                )),
                Some(_) => {}
            }
        }
        ApiChanges { changes: out }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
    }

    /// Plain text for the terminal: one line per change, `!` marking breaking ones.
    pub fn to_text(&self) -> String {
        if self.is_empty() {
            return "no API change\n".to_string();
        }
        let mut out = format!(
            "{} API change(s), {} breaking:\n",
            self.changes.len(),
            self.breaking()
        );
        for c in &self.changes {
            let mark = if c.breaking { "! breaking" } else { "  " };
            let _ = writeln!(out, "{mark} {}: {}", c.subject, c.what);
        }
        out
    }

    /// Markdown for a pull request or a changelog.
    pub fn to_markdown(&self, title: &str) -> String {
        let mut out = format!("## {title}\n\n");
        if self.is_empty() {
            out.push_str("No API change.\n");
            return out;
        }
        let _ = writeln!(
            out,
            "{} change(s), **{} breaking**.\n\n| | what | change |\n|---|---|---|",
            self.changes.len(),
            self.breaking()
        );
        for c in &self.changes {
            let mark = if c.breaking { "**breaking**" } else { "" };
            let _ = writeln!(
                out,
                "| {mark} | `{}` | {} |",
                c.subject.replace('|', "\\|"),
                c.what.replace('|', "\\|")
            );
        }
        out
    }
}

impl TypeShape {
    fn label(&self) -> &'static str {
        match self {
            TypeShape::Structured { kind, .. } => kind,
            TypeShape::Enum { flags: true, .. } => "flags enum type",
            TypeShape::Enum { .. } => "enum type",
            TypeShape::Definition { .. } => "type definition",
        }
    }
}

fn change(breaking: bool, subject: &str, what: String) -> Change {
    Change {
        breaking,
        subject: subject.to_string(),
        what,
    }
}

fn grant_text(lines: &[String]) -> String {
    if lines.is_empty() {
        "none listed".to_string()
    } else {
        lines.join("; ")
    }
}

fn type_changes(name: &str, old: &TypeShape, new: &TypeShape, out: &mut Vec<Change>) {
    match (old, new) {
        (
            TypeShape::Structured {
                base: old_base,
                properties: old_props,
                ..
            },
            TypeShape::Structured {
                base: new_base,
                properties: new_props,
                ..
            },
        ) => {
            if old_base != new_base {
                let what = format!("base type {old_base:?} -> {new_base:?}");
                out.push(change(true, name, what));
            }
            property_changes(name, old_props, new_props, out);
        }
        (
            TypeShape::Enum {
                members: old_members,
                ..
            },
            TypeShape::Enum {
                members: new_members,
                ..
            },
        ) => {
            for (member, value) in old_members {
                match new_members.get(member) {
                    None => out.push(change(true, name, format!("member `{member}` removed"))),
                    Some(v) if v != value => out.push(change(
                        true,
                        name,
                        format!("member `{member}` value {value} -> {v}"),
                    )),
                    Some(_) => {}
                }
            }
            for (member, value) in new_members {
                if !old_members.contains_key(member) {
                    let what = format!("member `{member}` = {value} added");
                    out.push(change(false, name, what));
                }
            }
        }
        _ if old != new => out.push(change(
            true,
            name,
            format!("kind changed: {} -> {}", old.label(), new.label()),
        )),
        _ => {}
    }
    if let (TypeShape::Enum { flags: a, .. }, TypeShape::Enum { flags: b, .. }) = (old, new)
        && a != b
    {
        out.push(change(true, name, format!("IsFlags {a} -> {b}")));
    }
}

fn property_changes(
    name: &str,
    old: &BTreeMap<String, PropertyShape>,
    new: &BTreeMap<String, PropertyShape>,
    out: &mut Vec<Change>,
) {
    for (property, shape) in old {
        match new.get(property) {
            None => out.push(change(true, name, format!("property `{property}` removed"))),
            Some(now) => {
                if now.ty != shape.ty {
                    let what = format!("property `{property}` type {} -> {}", shape.ty, now.ty);
                    out.push(change(true, name, what));
                }
                if now.nullable != shape.nullable {
                    // Nullable -> not nullable changes `Nullable<T>` to `Option<T>`
                    // and the other way round: either way user code must change.
                    let what = format!(
                        "property `{property}` nullable {} -> {}",
                        shape.nullable, now.nullable
                    );
                    out.push(change(true, name, what));
                }
            }
        }
    }
    for (property, shape) in new {
        if !old.contains_key(property) {
            let what = format!("property `{property}` ({}) added", shape.ty);
            out.push(change(false, name, what));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn structured(props: &[(&str, &str, bool)]) -> TypeShape {
        TypeShape::Structured {
            kind: "complex type",
            base: None,
            properties: props
                .iter()
                .map(|(n, t, nullable)| {
                    let shape = PropertyShape {
                        ty: t.to_string(),
                        nullable: *nullable,
                    };
                    (n.to_string(), shape)
                })
                .collect(),
        }
    }

    fn surface(types: Vec<(&str, TypeShape)>, endpoints: &[(&str, &[&str])]) -> ApiSurface {
        ApiSurface {
            types: types.into_iter().map(|(n, t)| (n.to_string(), t)).collect(),
            endpoints: endpoints
                .iter()
                .map(|(e, g)| (e.to_string(), g.iter().map(|s| s.to_string()).collect()))
                .collect(),
        }
    }

    #[test]
    fn property_type_and_nullability_changes_are_breaking_additions_are_not() {
        let old = surface(
            vec![(
                "t",
                structured(&[("a", "Edm.String", true), ("b", "Edm.Int32", true)]),
            )],
            &[("GET /x", &["Application: A"])],
        );
        let new = surface(
            vec![(
                "t",
                structured(&[
                    ("a", "Edm.String", false),
                    ("b", "Edm.Int64", true),
                    ("c", "Edm.Boolean", true),
                ]),
            )],
            &[("GET /x", &["Application: B"]), ("POST /x", &[])],
        );
        let changes = ApiChanges::between(&old, &new);
        let lines: Vec<(bool, &str)> = changes
            .changes
            .iter()
            .map(|c| (c.breaking, c.what.as_str()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (true, "property `a` nullable true -> false"),
                (true, "property `b` type Edm.Int32 -> Edm.Int64"),
                (false, "property `c` (Edm.Boolean) added"),
                (
                    false,
                    "permissions changed: Application: A -> Application: B"
                ),
                (false, "endpoint added"),
            ]
        );
        assert_eq!(changes.breaking(), 2);
        assert!(ApiChanges::between(&new, &new).is_empty());
        assert_eq!(ApiChanges::between(&new, &new).to_text(), "no API change\n");
    }

    #[test]
    fn member_value_changes_and_flags_changes_are_breaking() {
        let enum_of = |flags, members: &[(&str, i64)]| TypeShape::Enum {
            flags,
            members: members.iter().map(|(n, v)| (n.to_string(), *v)).collect(),
        };
        let old = surface(vec![("e", enum_of(false, &[("A", 0), ("B", 1)]))], &[]);
        let new = surface(
            vec![("e", enum_of(true, &[("A", 0), ("B", 2), ("C", 4)]))],
            &[],
        );
        let text = ApiChanges::between(&old, &new).to_text();
        assert!(
            text.contains("! breaking e: member `B` value 1 -> 2"),
            "{text}"
        );
        assert!(text.contains("   e: member `C` = 4 added"), "{text}");
        assert!(
            text.contains("! breaking e: IsFlags false -> true"),
            "{text}"
        );
    }
}
