//! Stage 3 (for `update`): the closure written back as a small, valid CSDL that
//! the reader reads to the same closure and path tree.

pub mod xml;

use crate::csdl::{Csdl, EntityContainer, Schema, StructuredType};
use crate::model::{Closure, Model, OperationId};
use crate::profile::Profile;
use std::collections::BTreeSet;

/// Filters the document down to the closure, the profile's entry sets (their
/// entity types pruned to the navigation properties that lead into the closure),
/// and the annotations and terms that apply to what is kept.
pub fn slice(csdl: &Csdl, model: &Model, closure: &Closure, profile: &Profile) -> Csdl {
    let entry_types: BTreeSet<&str> = profile
        .entry_sets
        .iter()
        .filter_map(|set| model.entry_sets.get(set))
        .map(|set| set.entity_type.as_str())
        .collect();
    let kept_operations: BTreeSet<&str> = closure
        .operations
        .iter()
        .filter_map(|&i| model.operations.get(i))
        .map(|op| op.name.as_str())
        .collect();
    let mut schemas = Vec::new();
    for (schema_index, schema) in csdl.schemas.iter().enumerate() {
        let ns = &schema.namespace;
        let qualified = |name: &str| format!("{ns}.{name}");
        let mut kept = Schema {
            namespace: schema.namespace.clone(),
            alias: schema.alias.clone(),
            location: schema.location,
            ..Schema::default()
        };
        for ty in &schema.entity_types {
            let full = qualified(&ty.name);
            if closure.contains(&full) {
                kept.entity_types.push(ty.clone());
            } else if entry_types.contains(full.as_str()) {
                kept.entity_types
                    .push(pruned_entry_type(ty, &full, model, closure));
            }
        }
        kept.complex_types = schema
            .complex_types
            .iter()
            .filter(|t| closure.contains(&qualified(&t.name)))
            .cloned()
            .collect();
        kept.enum_types = schema
            .enum_types
            .iter()
            .filter(|t| closure.contains(&qualified(&t.name)))
            .cloned()
            .collect();
        kept.type_definitions = schema
            .type_definitions
            .iter()
            .filter(|t| closure.contains(&qualified(&t.name)))
            .cloned()
            .collect();
        for (position, op) in schema.operations.iter().enumerate() {
            if closure
                .operations
                .contains(&OperationId::new(schema_index, position))
            {
                kept.operations.push(op.clone());
            }
        }
        if let Some(container) = &schema.entity_container {
            kept.entity_container = Some(pruned_container(container, profile));
        }
        let container_name = schema.entity_container.as_ref().map(|c| qualified(&c.name));
        kept.annotations = schema
            .annotations
            .iter()
            .filter(|block| {
                let target = model.namespaces.qualify_head(&block.target);
                closure.contains(&target)
                    || kept_operations.contains(target.as_str())
                    || container_name
                        .as_deref()
                        .is_some_and(|c| block_targets_entry_set(model, &block.target, c, profile))
            })
            .cloned()
            .collect();
        schemas.push(kept);
    }
    keep_used_terms(csdl, model, &mut schemas);
    schemas.retain(|s| !is_empty(s));
    Csdl {
        source: csdl.source.clone(),
        version: csdl.version.clone(),
        references: csdl.references.clone(),
        schemas,
        unmodelled: Default::default(),
        deviations: Vec::new(),
    }
}

/// An entry set's entity type reduced to its key (through the base type that
/// declares it) and its navigation properties into the closure.
fn pruned_entry_type(
    ty: &StructuredType,
    full: &str,
    model: &Model,
    closure: &Closure,
) -> StructuredType {
    let chain = model.base_chain(full);
    let root = chain.first().map(|def| def.name.clone());
    let base_type = root.filter(|r| r != full && closure.contains(r));
    let navigation_properties = ty
        .navigation_properties
        .iter()
        .filter(|n| closure.contains(&model.namespaces.qualify(&n.type_ref.name)))
        .cloned()
        .collect();
    StructuredType {
        base_type,
        is_abstract: false,
        open_type: false,
        has_stream: false,
        properties: Vec::new(),
        navigation_properties,
        annotations: Vec::new(),
        ..ty.clone()
    }
}

fn pruned_container(container: &EntityContainer, profile: &Profile) -> EntityContainer {
    let wanted = |name: &String| profile.entry_sets.contains(name);
    EntityContainer {
        name: container.name.clone(),
        extends: None,
        entity_sets: container
            .entity_sets
            .iter()
            .filter(|s| wanted(&s.name))
            .map(|s| crate::csdl::EntitySet {
                navigation_property_bindings: Vec::new(),
                ..s.clone()
            })
            .collect(),
        singletons: container
            .singletons
            .iter()
            .filter(|s| wanted(&s.name))
            .map(|s| crate::csdl::Singleton {
                navigation_property_bindings: Vec::new(),
                ..s.clone()
            })
            .collect(),
        action_imports: Vec::new(),
        function_imports: Vec::new(),
        annotations: Vec::new(),
        location: container.location,
    }
}

fn block_targets_entry_set(
    model: &Model,
    target: &str,
    container: &str,
    profile: &Profile,
) -> bool {
    model.namespaces.qualify_head(target) == container
        && target
            .split('/')
            .nth(1)
            .is_some_and(|set| profile.entry_sets.iter().any(|e| e == set))
}

/// Keeps the terms that kept annotations use; drops the rest.
fn keep_used_terms(csdl: &Csdl, model: &Model, schemas: &mut [Schema]) {
    let mut used = BTreeSet::new();
    for schema in schemas.iter() {
        for block in &schema.annotations {
            for a in &block.annotations {
                used.insert(model.namespaces.qualify_head(&a.term));
            }
        }
        let inline = schema
            .entity_types
            .iter()
            .chain(&schema.complex_types)
            .flat_map(|t| {
                t.annotations
                    .iter()
                    .chain(t.properties.iter().flat_map(|p| &p.annotations))
                    .chain(t.navigation_properties.iter().flat_map(|n| &n.annotations))
            });
        for a in inline {
            used.insert(model.namespaces.qualify_head(&a.term));
        }
    }
    for (kept, original) in schemas.iter_mut().zip(&csdl.schemas) {
        kept.terms = original
            .terms
            .iter()
            .filter(|t| used.contains(&format!("{}.{}", original.namespace, t.name)))
            .cloned()
            .collect();
    }
}

fn is_empty(schema: &Schema) -> bool {
    schema.entity_types.is_empty()
        && schema.complex_types.is_empty()
        && schema.enum_types.is_empty()
        && schema.type_definitions.is_empty()
        && schema.operations.is_empty()
        && schema.terms.is_empty()
        && schema.annotations.is_empty()
        && schema
            .entity_container
            .as_ref()
            .is_none_or(|c| c.entity_sets.is_empty() && c.singletons.is_empty())
}
