//! Csdl -> Model: qualify every name (aliases to namespaces), check that every type
//! reference resolves, link base types, split bound operations from their binding
//! parameter and attach annotations to their targets.

use super::types::*;
use super::{Model, OperationId};
use crate::csdl::{Annotation, Csdl, Namespaces, StructuredKind, TypeRef, join};
use crate::error::{ErrorKind, Location, SourceError};
use std::collections::BTreeMap;

/// Resolves one CSDL document into a [`Model`].
pub fn resolve(csdl: &Csdl) -> Result<Model, Box<SourceError>> {
    let resolver = Resolver::new(csdl)?;
    resolver.run()
}

struct Resolver<'a> {
    csdl: &'a Csdl,
    /// Alias or namespace -> namespace.
    namespaces: Namespaces,
}

impl<'a> Resolver<'a> {
    fn new(csdl: &'a Csdl) -> Result<Self, Box<SourceError>> {
        let mut first_seen: BTreeMap<&str, Location> = BTreeMap::new();
        for schema in &csdl.schemas {
            if let Some(first) = first_seen.insert(&schema.namespace, schema.location) {
                return Err(located(
                    csdl,
                    schema.location,
                    format!("Schema \"{}\"", schema.namespace),
                    ErrorKind::DuplicateName {
                        name: schema.namespace.clone(),
                        first,
                    },
                ));
            }
        }
        Ok(Resolver {
            csdl,
            namespaces: Namespaces::of(csdl),
        })
    }

    /// `graph.x` -> `microsoft.graph.x`; unknown namespaces are left as written.
    fn qualify(&self, name: &str) -> String {
        self.namespaces.qualify(name)
    }

    fn run(self) -> Result<Model, Box<SourceError>> {
        let mut model = Model {
            source: self.csdl.source.clone(),
            namespaces: self.namespaces.clone(),
            unmodelled: self.csdl.unmodelled.clone(),
            ..Model::default()
        };
        self.collect_types(&mut model)?;
        self.resolve_types(&mut model)?;
        self.check_base_types(&model)?;
        self.resolve_operations(&mut model)?;
        self.resolve_container(&mut model)?;
        self.attach_annotations(&mut model);
        Ok(model)
    }

    /// Registers every named type so that references can be checked in any order.
    fn collect_types(&self, model: &mut Model) -> Result<(), Box<SourceError>> {
        for schema in &self.csdl.schemas {
            let ns = &schema.namespace;
            let structured = schema.entity_types.iter().chain(&schema.complex_types);
            for ty in structured {
                let def = TypeDef::Structured(StructuredDef {
                    name: join(ns, '.', &ty.name),
                    kind: ty.kind,
                    base: None,
                    is_abstract: ty.is_abstract,
                    open_type: ty.open_type,
                    has_stream: ty.has_stream,
                    key: ty.key.clone(),
                    properties: Vec::new(),
                    location: ty.location,
                });
                self.insert_type(model, def)?;
            }
            for en in &schema.enum_types {
                let underlying = match &en.underlying_type {
                    Some(name) => self.primitive(name, en.location, "EnumType", &en.name)?,
                    None => Primitive::Int32,
                };
                let def = TypeDef::Enum(EnumDef {
                    name: join(ns, '.', &en.name),
                    is_flags: en.is_flags,
                    underlying,
                    members: en
                        .members
                        .iter()
                        .map(|m| EnumMemberDef {
                            name: m.name.clone(),
                            value: m.value,
                        })
                        .collect(),
                    location: en.location,
                });
                self.insert_type(model, def)?;
            }
            for td in &schema.type_definitions {
                let underlying =
                    self.primitive(&td.underlying_type, td.location, "TypeDefinition", &td.name)?;
                let def = TypeDef::Definition(TypeDefinitionDef {
                    name: join(ns, '.', &td.name),
                    underlying,
                    location: td.location,
                });
                self.insert_type(model, def)?;
            }
        }
        Ok(())
    }

    fn insert_type(&self, model: &mut Model, def: TypeDef) -> Result<(), Box<SourceError>> {
        let name = def.name().to_string();
        if let Some(first) = model.types.get(&name) {
            return Err(located(
                self.csdl,
                def.location(),
                format!("{} \"{name}\"", def.kind_label()),
                ErrorKind::DuplicateName {
                    name,
                    first: first.location(),
                },
            ));
        }
        model.types.insert(name, def);
        Ok(())
    }

    fn primitive(
        &self,
        name: &str,
        location: Location,
        element: &str,
        owner: &str,
    ) -> Result<Primitive, Box<SourceError>> {
        name.strip_prefix("Edm.")
            .and_then(Primitive::from_edm)
            .ok_or_else(|| {
                located(
                    self.csdl,
                    location,
                    format!("{element} \"{owner}\""),
                    ErrorKind::UnresolvedReference {
                        reference: name.to_string(),
                        what: "underlying type".to_string(),
                    },
                )
            })
    }

    /// Resolves a type reference against the registered types.
    fn type_use(
        &self,
        model: &Model,
        type_ref: &TypeRef,
        location: Location,
        element: impl FnOnce() -> String,
    ) -> Result<TypeUse, Box<SourceError>> {
        let target = if let Some(edm) = type_ref.name.strip_prefix("Edm.") {
            Primitive::from_edm(edm).map(TypeTarget::Primitive)
        } else {
            let full = self.qualify(&type_ref.name);
            model
                .types
                .contains_key(&full)
                .then_some(TypeTarget::Named(full))
        };
        match target {
            Some(target) => Ok(TypeUse {
                collection: type_ref.collection,
                target,
            }),
            None => Err(located(
                self.csdl,
                location,
                element(),
                ErrorKind::UnresolvedReference {
                    reference: type_ref.to_string(),
                    what: "type".to_string(),
                },
            )),
        }
    }

    fn resolve_types(&self, model: &mut Model) -> Result<(), Box<SourceError>> {
        for schema in &self.csdl.schemas {
            let ns = &schema.namespace;
            for ty in schema.entity_types.iter().chain(&schema.complex_types) {
                let full = join(ns, '.', &ty.name);
                let base = match &ty.base_type {
                    Some(base) => {
                        let type_ref = TypeRef {
                            collection: false,
                            name: base.clone(),
                        };
                        let resolved = self.type_use(model, &type_ref, ty.location, || {
                            format!("{} \"{}\" (BaseType)", kind_element(ty.kind), ty.name)
                        })?;
                        resolved.named().map(str::to_string)
                    }
                    None => None,
                };
                let mut properties =
                    Vec::with_capacity(ty.properties.len() + ty.navigation_properties.len());
                for p in &ty.properties {
                    let resolved = self.type_use(model, &p.type_ref, p.location, || {
                        format!("Property \"{}\" of {full}", p.name)
                    })?;
                    properties.push(PropertyDef {
                        name: p.name.clone(),
                        ty: resolved,
                        nullable: p.facets.nullable.unwrap_or(true),
                        default_value: p.default_value.clone(),
                        navigation: None,
                        declared_in: full.clone(),
                        location: p.location,
                    });
                }
                for n in &ty.navigation_properties {
                    let resolved = self.type_use(model, &n.type_ref, n.location, || {
                        format!("NavigationProperty \"{}\" of {full}", n.name)
                    })?;
                    properties.push(PropertyDef {
                        name: n.name.clone(),
                        ty: resolved,
                        nullable: n.nullable.unwrap_or(true),
                        default_value: None,
                        navigation: Some(Navigation {
                            contains_target: n.contains_target,
                            partner: n.partner.clone(),
                        }),
                        declared_in: full.clone(),
                        location: n.location,
                    });
                }
                if let Some(TypeDef::Structured(def)) = model.types.get_mut(&full) {
                    def.base = base;
                    def.properties = properties;
                }
            }
        }
        Ok(())
    }

    /// Base types must be structured types of the same kind, without cycles.
    fn check_base_types(&self, model: &Model) -> Result<(), Box<SourceError>> {
        for def in model.types.values() {
            let TypeDef::Structured(start) = def else {
                continue;
            };
            let mut seen = vec![start.name.as_str()];
            let mut current = start;
            while let Some(base) = &current.base {
                let Some(TypeDef::Structured(next)) = model.types.get(base) else {
                    return Err(located(
                        self.csdl,
                        current.location,
                        format!("{} \"{}\"", kind_element(current.kind), current.name),
                        ErrorKind::Invalid(format!("base type `{base}` is not a structured type")),
                    ));
                };
                if next.kind != current.kind {
                    return Err(located(
                        self.csdl,
                        current.location,
                        format!("{} \"{}\"", kind_element(current.kind), current.name),
                        ErrorKind::Invalid(format!("base type `{base}` is of another kind")),
                    ));
                }
                if seen.contains(&next.name.as_str()) {
                    return Err(located(
                        self.csdl,
                        start.location,
                        format!("{} \"{}\"", kind_element(start.kind), start.name),
                        ErrorKind::Invalid(format!(
                            "base types form a cycle: {} -> {}",
                            seen.join(" -> "),
                            next.name
                        )),
                    ));
                }
                seen.push(&next.name);
                current = next;
            }
        }
        Ok(())
    }

    fn resolve_operations(&self, model: &mut Model) -> Result<(), Box<SourceError>> {
        for (schema_index, schema) in self.csdl.schemas.iter().enumerate() {
            for (position, op) in schema.operations.iter().enumerate() {
                let full = format!("{}.{}", schema.namespace, op.name);
                let element = || format!("{:?} \"{}\"", op.kind, op.name);
                let mut parameters = Vec::with_capacity(op.parameters.len());
                for p in &op.parameters {
                    let ty = self.type_use(model, &p.type_ref, p.location, || {
                        format!("Parameter \"{}\" of {:?} \"{}\"", p.name, op.kind, op.name)
                    })?;
                    parameters.push(ParameterDef {
                        name: p.name.clone(),
                        ty,
                        nullable: p.facets.nullable.unwrap_or(true),
                    });
                }
                let binding = if op.is_bound {
                    if parameters.is_empty() {
                        return Err(located(
                            self.csdl,
                            op.location,
                            element(),
                            ErrorKind::Invalid(
                                "a bound operation needs a binding parameter".to_string(),
                            ),
                        ));
                    }
                    let first = parameters.remove(0);
                    Some(Binding {
                        parameter_name: first.name,
                        ty: first.ty,
                    })
                } else {
                    None
                };
                let return_type = match &op.return_type {
                    Some(rt) => Some(ParameterDef {
                        name: String::new(),
                        ty: self.type_use(model, &rt.type_ref, rt.location, || {
                            format!("ReturnType of {:?} \"{}\"", op.kind, op.name)
                        })?,
                        nullable: rt.facets.nullable.unwrap_or(true),
                    }),
                    None => None,
                };
                let id = OperationId::new(schema_index, position);
                model.operations.push(
                    id,
                    OperationDef {
                        kind: op.kind,
                        name: full,
                        binding,
                        parameters,
                        return_type,
                        is_composable: op.is_composable,
                        location: op.location,
                    },
                );
            }
        }
        Ok(())
    }

    fn resolve_container(&self, model: &mut Model) -> Result<(), Box<SourceError>> {
        for schema in &self.csdl.schemas {
            let Some(container) = &schema.entity_container else {
                continue;
            };
            model.container_name = Some(format!("{}.{}", schema.namespace, container.name));
            let sets = container
                .entity_sets
                .iter()
                .map(|s| (&s.name, &s.entity_type, s.location, false, "EntitySet"));
            let singletons = container
                .singletons
                .iter()
                .map(|s| (&s.name, &s.type_name, s.location, true, "Singleton"));
            for (name, type_name, location, singleton, element) in sets.chain(singletons) {
                let type_ref = TypeRef {
                    collection: false,
                    name: type_name.clone(),
                };
                let ty = self.type_use(model, &type_ref, location, || {
                    format!("{element} \"{name}\"")
                })?;
                let entity_type = ty.named().unwrap_or_default().to_string();
                model.entry_sets.insert(
                    name.clone(),
                    EntrySetDef {
                        name: name.clone(),
                        entity_type,
                        singleton,
                    },
                );
            }
        }
        Ok(())
    }

    /// Attaches inline annotations and `Annotations` blocks (from any schema) to
    /// their resolved targets.
    fn attach_annotations(&self, model: &mut Model) {
        for schema in &self.csdl.schemas {
            let ns = &schema.namespace;
            for ty in schema.entity_types.iter().chain(&schema.complex_types) {
                let target = join(ns, '.', &ty.name);
                self.add(model, &target, &ty.annotations, None);
                for p in &ty.properties {
                    self.add_member(model, &target, &p.name, &p.annotations);
                }
                for n in &ty.navigation_properties {
                    self.add_member(model, &target, &n.name, &n.annotations);
                }
            }
            for en in &schema.enum_types {
                let target = join(ns, '.', &en.name);
                self.add(model, &target, &en.annotations, None);
                for m in &en.members {
                    self.add_member(model, &target, &m.name, &m.annotations);
                }
            }
            for op in &schema.operations {
                self.add(model, &join(ns, '.', &op.name), &op.annotations, None);
            }
            if let Some(container) = &schema.entity_container {
                let target = join(ns, '.', &container.name);
                for set in &container.entity_sets {
                    self.add_member(model, &target, &set.name, &set.annotations);
                }
                for single in &container.singletons {
                    self.add_member(model, &target, &single.name, &single.annotations);
                }
            }
            for block in &schema.annotations {
                let target = self.namespaces.qualify_target(&block.target);
                if !model.target_resolves(&target) {
                    model
                        .unresolved_annotation_targets
                        .push((block.target.clone(), block.location));
                }
                self.add(
                    model,
                    &target,
                    &block.annotations,
                    block.qualifier.as_deref(),
                );
            }
        }
    }

    /// Annotations on `owner/member`; the target is spelled only when there are any.
    fn add_member(&self, model: &mut Model, owner: &str, member: &str, annotations: &[Annotation]) {
        if !annotations.is_empty() {
            self.add(model, &join(owner, '/', member), annotations, None);
        }
    }

    fn add(
        &self,
        model: &mut Model,
        target: &str,
        annotations: &[Annotation],
        block_qualifier: Option<&str>,
    ) {
        if annotations.is_empty() {
            return;
        }
        let entry = model.annotations.entry(target.to_string()).or_default();
        entry.reserve(annotations.len());
        for a in annotations {
            entry.push(AnnotationDef {
                term: self.qualify(&a.term),
                qualifier: a.qualifier.clone().or(block_qualifier.map(str::to_string)),
                value: a.value.clone(),
                supplied_by: None,
            });
        }
    }
}

fn kind_element(kind: StructuredKind) -> &'static str {
    match kind {
        StructuredKind::Entity => "EntityType",
        StructuredKind::Complex => "ComplexType",
    }
}

fn located(csdl: &Csdl, location: Location, element: String, kind: ErrorKind) -> Box<SourceError> {
    Box::new(SourceError {
        file: csdl.source.clone(),
        location,
        element,
        kind,
    })
}
