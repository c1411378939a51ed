//! The registry lowered: every generated type by OData name, and the derived
//! types of each base that has some.

use super::space::TypeSpace;
use crate::model::TypeDef;

#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// Sorted by OData name.
    pub entries: Vec<Entry>,
    /// `(base, derived types sorted)` for every structured type with derived
    /// types, in the types' emission order.
    pub derived: Vec<(String, Vec<String>)>,
}

/// One registry entry: OData name and Rust type name, and whether the variant is boxed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub odata: String,
    pub rust: String,
    pub boxed: bool,
}

pub fn lower(space: &TypeSpace<'_>) -> Registry {
    let types = space.types();
    let mut entries: Vec<Entry> = types
        .iter()
        // Type definitions are their underlying primitive: no Rust type of their own.
        .filter(|(def, _)| !matches!(def, TypeDef::Definition(_)))
        .map(|(def, rust)| Entry {
            odata: def.name().to_string(),
            rust: rust.to_string(),
            boxed: matches!(def, TypeDef::Structured(_)),
        })
        .collect();
    entries.extend(space.params.iter().map(|p| Entry {
        odata: p.key.clone(),
        rust: p.rust_name.clone(),
        boxed: true,
    }));
    entries.sort_by(|a, b| a.odata.cmp(&b.odata));
    let mut derived = Vec::new();
    for (base, _) in &types {
        let TypeDef::Structured(_) = base else {
            continue;
        };
        let mut below: Vec<String> = types
            .iter()
            .filter(|(def, _)| {
                def.name() != base.name()
                    && space
                        .model
                        .base_chain(def.name())
                        .iter()
                        .any(|b| b.name == base.name())
            })
            .map(|(def, _)| def.name().to_string())
            .collect();
        if below.is_empty() {
            continue;
        }
        below.sort();
        derived.push((base.name().to_string(), below));
    }
    Registry { entries, derived }
}
