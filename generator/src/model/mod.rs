//! Stage 2: Csdl -> Model. Names resolved, references checked, annotations attached;
//! then the closure of the profile's roots, the HTTP path tree under the entry sets,
//! and the permissions reference applied to that tree.

mod closure;
mod operations;
mod paths;
mod permitted;
mod resolve;
mod types;

pub use closure::{Closure, Edge, Pull};
pub use operations::{OperationId, Operations};
pub use paths::{
    ApiPath, Endpoint, EndpointKind, HttpMethod, ListedWrites, Origin, PathNode, PathTarget,
    PathTree, Segment, build as build_paths, element_type, template_of,
};
pub use permitted::{Permitted, apply_permissions};
pub use resolve::resolve;
pub use types::*;

use crate::csdl::{Expr, Namespaces};
use crate::error::Location;
use std::collections::BTreeMap;

/// The whole resolved document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model {
    /// File name or URL of the CSDL.
    pub source: String,
    /// Alias or namespace -> namespace.
    pub namespaces: Namespaces,
    pub types: BTreeMap<FullName, TypeDef>,
    /// Every action and function in file order, by id; bound ones carry their binding.
    pub operations: Operations,
    /// Entity sets and singletons by name.
    pub entry_sets: BTreeMap<String, EntrySetDef>,
    /// The qualified name of the entity container, if any.
    pub container_name: Option<FullName>,
    /// Annotations by resolved target.
    pub annotations: AnnotationMap,
    /// `Annotations` blocks whose target names nothing in the document (kept, reported).
    pub unresolved_annotation_targets: Vec<(String, Location)>,
    /// What the reader did not model, by element or `Element@Attribute`.
    pub unmodelled: BTreeMap<String, usize>,
}

impl Model {
    pub fn structured(&self, name: &str) -> Option<&StructuredDef> {
        match self.types.get(name) {
            Some(TypeDef::Structured(def)) => Some(def),
            _ => None,
        }
    }

    /// `name` itself, then its base type, up to the root base.
    fn self_and_bases<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a StructuredDef> + 'a {
        std::iter::successors(self.structured(name), move |def| {
            def.base.as_deref().and_then(|base| self.structured(base))
        })
    }

    /// The base-type chain from the root base down to `name` itself.
    pub fn base_chain(&self, name: &str) -> Vec<&StructuredDef> {
        let mut chain: Vec<&StructuredDef> = self.self_and_bases(name).collect();
        chain.reverse();
        chain
    }

    /// Own and inherited properties, base type's first (as they appear in JSON).
    pub fn all_properties(&self, name: &str) -> Vec<&PropertyDef> {
        self.base_chain(name)
            .into_iter()
            .flat_map(|def| def.properties.iter())
            .collect()
    }

    /// Whether `type_name` or one of its base types declares a property `name`
    /// (no list is built: annotation targets are checked by the thousand).
    pub fn has_property(&self, type_name: &str, name: &str) -> bool {
        self.self_and_bases(type_name)
            .any(|def| def.properties.iter().any(|p| p.name == name))
    }

    /// Operations bound to `type_name` (or to `Collection(type_name)` when `collection`).
    pub fn bound_operations<'a>(
        &'a self,
        type_name: &'a str,
        collection: bool,
    ) -> impl Iterator<Item = (OperationId, &'a OperationDef)> + 'a {
        self.operations.with_ids().filter(move |(_, op)| {
            op.binding
                .as_ref()
                .is_some_and(|b| b.ty.collection == collection && b.ty.named() == Some(type_name))
        })
    }

    pub fn annotations_for(&self, target: &str) -> &[AnnotationDef] {
        self.annotations.get(target).map_or(&[], Vec::as_slice)
    }

    /// The annotation of `term` on `target`, if any (unqualified ones first).
    pub fn annotation(&self, target: &str, term: &str) -> Option<&AnnotationDef> {
        let all = self.annotations_for(target);
        all.iter()
            .find(|a| a.term == term && a.qualifier.is_none())
            .or_else(|| all.iter().find(|a| a.term == term))
    }

    /// Whether an annotation target names something in the document.
    pub fn target_resolves(&self, target: &str) -> bool {
        let head = target.split(['(', '/']).next().unwrap_or_default();
        let path_rest = target.split_once('/').map(|(_, rest)| rest);
        if let Some(def) = self.types.get(head) {
            return match (def, path_rest) {
                (_, None) => true,
                (TypeDef::Structured(_), Some(rest)) => {
                    let first = rest.split('/').next().unwrap_or_default();
                    self.has_property(head, first)
                }
                (TypeDef::Enum(e), Some(rest)) => e.members.iter().any(|m| m.name == rest),
                (TypeDef::Definition(_), Some(_)) => false,
            };
        }
        if self.operations.has_name(head) {
            return true;
        }
        if self.container_name.as_deref() == Some(head) {
            return match path_rest {
                None => true,
                Some(rest) => {
                    let first = rest.split('/').next().unwrap_or_default();
                    self.entry_sets.contains_key(first)
                }
            };
        }
        false
    }

    /// `UpdateMethod` of a Capabilities.UpdateRestrictions annotation on `target`
    /// ("PUT" or "PATCH"), or `None` without one.
    pub fn update_restrictions(&self, target: &str) -> Option<UpdateRule> {
        let annotation = self.annotation(target, CAPABILITIES_UPDATE)?;
        let updatable = !matches!(
            annotation.record_value("Updatable"),
            Some(Expr::Bool(false))
        );
        let method = match annotation.record_value("UpdateMethod") {
            Some(Expr::EnumMember(member)) if member.ends_with("/PUT") => HttpMethod::Put,
            _ => HttpMethod::Patch,
        };
        Some(UpdateRule {
            updatable,
            method,
            supplied_by: annotation.supplied_by,
        })
    }

    /// Whether a `Capabilities.<term>` record on `target` sets `property` to `value`.
    pub fn capability_flag(&self, target: &str, term: &str, property: &str) -> Option<bool> {
        match self.annotation(target, term)?.record_value(property) {
            Some(Expr::Bool(value)) => Some(*value),
            _ => None,
        }
    }
}

/// What a Capabilities.UpdateRestrictions annotation allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpdateRule {
    pub updatable: bool,
    pub method: HttpMethod,
    /// The `fixups` rule behind the annotation, if it is not Graph's own.
    pub supplied_by: Option<&'static str>,
}

pub const CAPABILITIES_UPDATE: &str = "Org.OData.Capabilities.V1.UpdateRestrictions";
pub const CAPABILITIES_INSERT: &str = "Org.OData.Capabilities.V1.InsertRestrictions";
pub const CAPABILITIES_DELETE: &str = "Org.OData.Capabilities.V1.DeleteRestrictions";
