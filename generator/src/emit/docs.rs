//! Doc comment text for generated items: what the item is in CSDL, its JSON name,
//! nullability, and any description the metadata carries.

use crate::csdl::Expr;
use crate::model::{Model, PropertyDef, TypeUse};
use proc_macro2::TokenStream;
use quote::quote;

const DESCRIPTION: &str = "Org.OData.Core.V1.Description";
const LONG_DESCRIPTION: &str = "Org.OData.Core.V1.LongDescription";

/// The Core.Description (and LongDescription) of a target, if the metadata has one.
pub fn description(model: &Model, target: &str) -> Vec<String> {
    [DESCRIPTION, LONG_DESCRIPTION]
        .iter()
        .filter_map(
            |term| match model.annotation(target, term)?.value.as_ref()? {
                Expr::String(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
                _ => None,
            },
        )
        .collect()
}

/// `#[doc = "..."]` attributes, one per line; blank strings give blank doc lines.
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#lines)*)
}

/// The doc lines of one property.
pub fn property_lines(
    model: &Model,
    owner: &str,
    property: &PropertyDef,
    secret: bool,
    optional_only: bool,
) -> Vec<String> {
    let mut lines = description(
        model,
        &format!("{}/{}", property.declared_in, property.name),
    );
    if !lines.is_empty() {
        lines.push(String::new());
    }
    let kind = match &property.navigation {
        Some(nav) if nav.contains_target => "contained navigation property",
        Some(_) => "navigation property",
        None => "property",
    };
    let nullability = if optional_only {
        "not nullable: absent or a value"
    } else {
        "nullable: absent, `null` or a value"
    };
    lines.push(format!(
        "JSON `{}`: {kind} of type `{}`; {nullability}.",
        property.name,
        type_label(&property.ty)
    ));
    if property.declared_in != owner {
        lines.push(format!("Inherited from `{}`.", property.declared_in));
    }
    if let Some(default) = &property.default_value {
        lines.push(format!("Default value in the metadata: `{default}`."));
    }
    if secret {
        lines.push("Secret: shown as `<redacted>` in `Debug` output.".to_string());
    }
    lines
}

pub fn type_label(ty: &TypeUse) -> String {
    ty.to_string()
}
