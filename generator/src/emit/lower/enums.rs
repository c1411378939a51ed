//! Enum types lowered: Rust names for the type and its members (claimed once,
//! so clashes and keywords are settled here), and every doc line.

use super::super::names::{self, NameScope};
use super::docs;
use super::space::TypeSpace;
use crate::model::EnumDef;

/// A plain or flags enum type.
#[derive(Debug, Clone)]
pub struct Enum {
    pub rust_name: String,
    /// The qualified CSDL name.
    pub odata_name: String,
    pub doc: Vec<String>,
    pub members: Vec<Member>,
    pub kind: EnumKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumKind {
    /// Sent as one member name; `unknown` names the catch-all variant (`Unknown`,
    /// or `Unknown2` when a member is itself called `unknown`).
    Plain { unknown: String },
    /// `IsFlags`: members combine; the type is a newtype over `Flags<members>`.
    Flags { members_name: String },
}

/// One member: a variant (plain) or a constant (flags).
#[derive(Debug, Clone)]
pub struct Member {
    pub rust_name: String,
    pub wire: String,
    pub value: i64,
    pub doc: Vec<String>,
}

/// Lowers a plain enum.
pub fn plain(space: &TypeSpace<'_>, def: &EnumDef, rust_name: &str) -> Enum {
    let mut scope = NameScope::default();
    let members = members(space, def, |name| scope.claim(names::type_name(name)));
    let unknown = scope.claim("Unknown".to_string());
    let evolvable = def.members.iter().any(|m| m.name == "unknownFutureValue");
    let mut doc = docs::description_paragraph(space.model, &def.name);
    doc.push(format!(
        "The Graph enum type `{}`, sent as its member name.",
        def.name
    ));
    doc.push(String::new());
    doc.push(format!(
        "A member this crate does not know decodes to `{unknown}(name)` and encodes back unchanged.{}",
        if evolvable {
            " Graph evolves this enum: members after `unknownFutureValue` are sent only \
             with `Prefer: include-unknown-enum-members` (the client sends it by default)."
        } else {
            ""
        }
    ));
    Enum {
        rust_name: rust_name.to_string(),
        odata_name: def.name.clone(),
        doc,
        members,
        kind: EnumKind::Plain { unknown },
    }
}

/// Lowers a flags enum.
pub fn flags(space: &TypeSpace<'_>, def: &EnumDef, rust_name: &str) -> Enum {
    let mut scope = NameScope::with_reserved(&["EMPTY"]);
    let members = members(space, def, |name| scope.claim(names::const_name(name)));
    let mut doc = docs::description_paragraph(space.model, &def.name);
    doc.push(format!(
        "The Graph flags enum type `{}` (`IsFlags`): members combine with `|` and keep \
         their CSDL values; on the wire a comma-separated list of member names \
         (`\"A, B\"`). Unknown names are kept. The [`Flags`] it wraps (via `Deref`) \
         offers `contains`, `bits`, `member_names` and the rest.",
        def.name
    ));
    Enum {
        rust_name: rust_name.to_string(),
        odata_name: def.name.clone(),
        doc,
        members,
        kind: EnumKind::Flags {
            members_name: format!("{rust_name}Members"),
        },
    }
}

fn members(
    space: &TypeSpace<'_>,
    def: &EnumDef,
    mut rust_name: impl FnMut(&str) -> String,
) -> Vec<Member> {
    def.members
        .iter()
        .map(|m| {
            let mut doc =
                docs::description_paragraph(space.model, &format!("{}/{}", def.name, m.name));
            doc.push(format!("`{}` (value {}).", m.name, m.value));
            Member {
                rust_name: rust_name(&m.name),
                wire: m.name.clone(),
                value: m.value,
                doc,
            }
        })
        .collect()
}
