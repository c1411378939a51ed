//! Doc text read from the model: Graph's description first (from the metadata's
//! `Core.Description` / `Core.LongDescription`), then only what the Rust type does
//! not say already (the JSON name, read-only, secrets).

use super::super::docs::graph_text;
use crate::csdl::Expr;
use crate::descriptions::{DESCRIPTION, LONG_DESCRIPTION};
use crate::model::{Model, PropertyDef};

const COMPUTED: &str = "Org.OData.Core.V1.Computed";
const PERMISSIONS: &str = "Org.OData.Core.V1.Permissions";

/// The Core.Description (and LongDescription) of a target, if the metadata has
/// one, as Markdown-safe doc lines.
fn description(model: &Model, target: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for term in [DESCRIPTION, LONG_DESCRIPTION] {
        if let Some(Expr::String(text)) = model
            .annotation(target, term)
            .and_then(|a| a.value.as_ref())
            && !text.trim().is_empty()
        {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(graph_text(text));
        }
    }
    lines
}

/// [`description`] as a paragraph: followed by a blank line when there is one,
/// so that what the generator adds starts a paragraph of its own.
pub fn description_paragraph(model: &Model, target: &str) -> Vec<String> {
    let mut lines = description(model, target);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// The doc lines of one property: Graph's description, then the JSON name, and
/// read-only, the default value and the secret note where they apply.
pub fn property_lines(model: &Model, property: &PropertyDef, secret: bool) -> Vec<String> {
    let target = format!("{}/{}", property.declared_in, property.name);
    let mut lines = description_paragraph(model, &target);
    let mut facts = format!("JSON `{}`", property.name);
    if is_read_only(model, &target) {
        facts.push_str("; read-only: Graph sets it and ignores it in requests");
    }
    if let Some(default) = &property.default_value {
        facts.push_str(&format!("; default `{default}`"));
    }
    facts.push('.');
    lines.push(facts);
    if secret {
        lines.push("Secret: shown as `<redacted>` in `Debug` output.".to_string());
    }
    lines
}

/// `Core.Computed` (true or without a value), or `Core.Permissions` of `Read` only.
fn is_read_only(model: &Model, target: &str) -> bool {
    let computed = model
        .annotation(target, COMPUTED)
        .is_some_and(|a| matches!(a.value, None | Some(Expr::Bool(true))));
    let read = model
        .annotation(target, PERMISSIONS)
        .is_some_and(|a| matches!(&a.value, Some(Expr::EnumMember(m)) if m.ends_with("/Read")));
    computed || read
}
