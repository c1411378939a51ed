//! The HTTP path tree: from the profile's entry sets (`servicePrincipals`,
//! `applications`) down through navigation properties into the closure, with the
//! methods the metadata gives each path. Plain data: the permissions reference is
//! applied afterwards, by [`super::apply_permissions`].
//!
//! Rules (documented in the README):
//! - reads come from the metadata: GET on every navigable path (a list on
//!   collections), bound actions as POST and bound functions as GET;
//! - writes (POST create, PATCH/PUT update, DELETE) come from Capabilities
//!   annotations (`UpdateRestrictions/UpdateMethod` turns PATCH into PUT) or from the
//!   permissions reference listing that method for that path (each node says which
//!   writes the reference may add: [`ListedWrites`]);
//! - a structural property is a path only when it can be written: a Capabilities
//!   annotation on it, or the permissions reference listing a write method for it
//!   (`synchronization/secrets`; `fixups` supplies the annotation where Graph's
//!   served metadata lacks it); until the permissions are applied it is a node
//!   without endpoints;
//! - media entities without properties (`bulkUpload`) are upload-only (fixups).

use super::{
    CAPABILITIES_DELETE, CAPABILITIES_INSERT, Closure, FullName, Model, OperationId, TypeTarget,
    TypeUse, local_name,
};
use crate::csdl::OperationKind;
use crate::error::InputError;
use crate::fixups;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    /// Every method, in the order endpoints are listed.
    pub const ALL: [HttpMethod; 5] = [
        HttpMethod::Get,
        HttpMethod::Post,
        HttpMethod::Put,
        HttpMethod::Patch,
        HttpMethod::Delete,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }

    pub fn parse(text: &str) -> Option<HttpMethod> {
        Some(match text.to_ascii_uppercase().as_str() {
            "GET" => HttpMethod::Get,
            "POST" => HttpMethod::Post,
            "PUT" => HttpMethod::Put,
            "PATCH" => HttpMethod::Patch,
            "DELETE" => HttpMethod::Delete,
            _ => return None,
        })
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Segment {
    Literal(String),
    /// A key, written `{<entityType>-id}`.
    Key {
        entity_type: FullName,
    },
}

impl Segment {
    pub fn parameter_name(entity_type: &str) -> String {
        format!("{}-id", local_name(entity_type))
    }
}

/// What a path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathTarget {
    /// A single-valued navigation property: `.../synchronization`.
    Single(FullName),
    /// A collection-valued navigation property: `.../jobs`.
    Collection(FullName),
    /// One member of a collection: `.../jobs/{synchronizationJob-id}`.
    Item(FullName),
    /// A structural property addressed on its own: `.../secrets`.
    Property {
        owner: FullName,
        name: String,
        ty: TypeUse,
    },
    /// A bound action or function.
    Operation(OperationId),
}

/// Why an endpoint exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// OData reads: GET on navigable paths.
    Convention,
    /// A Capabilities annotation (the term's name).
    Annotation(String),
    /// The permissions reference lists this method for this path.
    Permissions,
    /// A bound action or function in the metadata.
    Operation,
    /// A documented rule in `fixups`.
    Fixup(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EndpointKind {
    List,
    Get,
    Create,
    Update,
    Replace,
    Delete,
    /// POST of a media entity's content (bulkUpload).
    Upload,
    Action(OperationId),
    Function(OperationId),
}

/// One method on one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub method: HttpMethod,
    pub kind: EndpointKind,
    pub origin: Origin,
}

/// A path of the API with its endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiPath {
    pub segments: Vec<Segment>,
    pub target: PathTarget,
    pub endpoints: Vec<Endpoint>,
}

impl ApiPath {
    /// `/servicePrincipals/{servicePrincipal-id}/synchronization/jobs`.
    pub fn template(&self) -> String {
        template_of(&self.segments)
    }
}

/// `/servicePrincipals/{servicePrincipal-id}/synchronization` for these segments.
pub fn template_of(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        match segment {
            Segment::Literal(text) => out.push_str(text),
            Segment::Key { entity_type } => {
                out.push('{');
                out.push_str(&Segment::parameter_name(entity_type));
                out.push('}');
            }
        }
    }
    out
}

/// Which write endpoints the permissions reference may add to a path when it
/// lists their method for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListedWrites {
    /// None: reads, operations and upload-only media entities.
    None,
    /// POST (create) on a collection.
    Create,
    /// PUT (replace), PATCH (update) and DELETE on a single entity or property.
    Instance,
}

impl ListedWrites {
    /// The endpoint a listed `method` adds, if this kind of path takes it.
    pub fn endpoint_kind(self, method: HttpMethod) -> Option<EndpointKind> {
        match (self, method) {
            (ListedWrites::Create, HttpMethod::Post) => Some(EndpointKind::Create),
            (ListedWrites::Instance, HttpMethod::Put | HttpMethod::Patch) => {
                Some(update_kind(method))
            }
            (ListedWrites::Instance, HttpMethod::Delete) => Some(EndpointKind::Delete),
            _ => None,
        }
    }
}

/// One path of the tree with the endpoints the metadata gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathNode {
    /// Without endpoints for a structural property nothing in the metadata writes.
    pub path: ApiPath,
    pub listed_writes: ListedWrites,
}

/// The path tree as the metadata alone describes it, in a deterministic order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathTree {
    pub nodes: Vec<PathNode>,
}

/// Builds the path tree below the entry sets, in a deterministic order.
pub fn build(
    model: &Model,
    closure: &Closure,
    entry_sets: &[String],
) -> Result<PathTree, InputError> {
    let mut walker = Walker {
        model,
        closure,
        nodes: Vec::new(),
    };
    for set_name in entry_sets {
        let set = model
            .entry_sets
            .get(set_name)
            .ok_or_else(|| InputError::UnknownEntrySet {
                set: set_name.clone(),
                document: model.source.clone(),
            })?;
        let mut segments = vec![Segment::Literal(set.name.clone())];
        if !set.singleton {
            segments.push(Segment::Key {
                entity_type: set.entity_type.clone(),
            });
        }
        let mut visiting = vec![set.entity_type.clone()];
        walker.walk_instance(&segments, &set.entity_type, &mut visiting);
    }
    Ok(PathTree {
        nodes: walker.nodes,
    })
}

struct Walker<'a> {
    model: &'a Model,
    closure: &'a Closure,
    nodes: Vec<PathNode>,
}

impl Walker<'_> {
    /// Below one entity instance of `type_name` at `prefix`.
    fn walk_instance(&mut self, prefix: &[Segment], type_name: &str, visiting: &mut Vec<FullName>) {
        for property in self.model.all_properties(type_name) {
            let Some(target) = property.ty.named() else {
                continue;
            };
            let owner_target = format!("{}/{}", property.declared_in, property.name);
            let mut segments = prefix.to_vec();
            segments.push(Segment::Literal(property.name.clone()));
            if property.navigation.is_none() {
                self.structural_property(segments, type_name, property, &owner_target);
                continue;
            }
            if !self.closure.contains(target) || visiting.iter().any(|v| v == target) {
                continue;
            }
            visiting.push(target.to_string());
            if property.ty.collection {
                self.collection(segments, target, &owner_target, visiting);
            } else {
                self.single(segments, target, &owner_target, visiting);
            }
            visiting.pop();
        }
        self.operations(prefix, type_name, false);
    }

    fn single(
        &mut self,
        segments: Vec<Segment>,
        target: &str,
        nav_target: &str,
        visiting: &mut Vec<FullName>,
    ) {
        let (endpoints, listed_writes) =
            if let Some(rule) = fixups::upload_only_media_entity(self.model, target) {
                let upload = Endpoint {
                    method: HttpMethod::Post,
                    kind: EndpointKind::Upload,
                    origin: Origin::Fixup(rule),
                };
                (vec![upload], ListedWrites::None)
            } else {
                let mut endpoints = vec![read(EndpointKind::Get)];
                endpoints.extend(self.writes(&[nav_target, target], false));
                (endpoints, ListedWrites::Instance)
            };
        self.push(
            &segments,
            PathTarget::Single(target.to_string()),
            endpoints,
            listed_writes,
        );
        self.walk_instance(&segments, target, visiting);
    }

    fn collection(
        &mut self,
        segments: Vec<Segment>,
        target: &str,
        nav_target: &str,
        visiting: &mut Vec<FullName>,
    ) {
        let mut endpoints = vec![read(EndpointKind::List)];
        endpoints.extend(self.writes(&[nav_target], true));
        self.push(
            &segments,
            PathTarget::Collection(target.to_string()),
            endpoints,
            ListedWrites::Create,
        );
        self.operations(&segments, target, true);

        let mut item = segments;
        item.push(Segment::Key {
            entity_type: target.to_string(),
        });
        let mut endpoints = vec![read(EndpointKind::Get)];
        endpoints.extend(self.writes(&[target], false));
        self.push(
            &item,
            PathTarget::Item(target.to_string()),
            endpoints,
            ListedWrites::Instance,
        );
        self.walk_instance(&item, target, visiting);
    }

    fn structural_property(
        &mut self,
        segments: Vec<Segment>,
        owner: &str,
        property: &super::PropertyDef,
        target: &str,
    ) {
        if !self.closure.contains(owner) {
            return;
        }
        let endpoints = self.writes(&[target], false);
        let path_target = PathTarget::Property {
            owner: owner.to_string(),
            name: property.name.clone(),
            ty: property.ty.clone(),
        };
        self.push(&segments, path_target, endpoints, ListedWrites::Instance);
    }

    /// Bound operations on an instance (or on the collection) of `type_name`.
    fn operations(&mut self, prefix: &[Segment], type_name: &str, collection: bool) {
        let bound: Vec<_> = self
            .model
            .bound_operations(type_name, collection)
            .filter(|(index, _)| self.closure.operations.contains(index))
            .map(|(index, op)| (index, op.kind, op.local_name().to_string()))
            .collect();
        for (index, kind, name) in bound {
            let mut segments = prefix.to_vec();
            segments.push(Segment::Literal(name));
            let (method, endpoint_kind) = match kind {
                OperationKind::Action => (HttpMethod::Post, EndpointKind::Action(index)),
                OperationKind::Function => (HttpMethod::Get, EndpointKind::Function(index)),
            };
            let endpoint = Endpoint {
                method,
                kind: endpoint_kind,
                origin: Origin::Operation,
            };
            self.push(
                &segments,
                PathTarget::Operation(index),
                vec![endpoint],
                ListedWrites::None,
            );
        }
    }

    /// Write endpoints from Capabilities annotations on `targets`.
    fn writes(&self, targets: &[&str], collection: bool) -> Vec<Endpoint> {
        let mut out: Vec<Endpoint> = Vec::new();
        let add = |out: &mut Vec<Endpoint>, method, kind, origin| {
            if !out.iter().any(|e| e.method == method) {
                out.push(Endpoint {
                    method,
                    kind,
                    origin,
                });
            }
        };
        for target in targets {
            if collection {
                if self
                    .model
                    .capability_flag(target, CAPABILITIES_INSERT, "Insertable")
                    == Some(true)
                {
                    add(
                        &mut out,
                        HttpMethod::Post,
                        EndpointKind::Create,
                        annotation(CAPABILITIES_INSERT),
                    );
                }
                continue;
            }
            if let Some(rule) = self.model.update_restrictions(target)
                && rule.updatable
            {
                let kind = update_kind(rule.method);
                let origin = rule
                    .supplied_by
                    .map_or_else(|| annotation(super::CAPABILITIES_UPDATE), Origin::Fixup);
                add(&mut out, rule.method, kind, origin);
            }
            if self
                .model
                .capability_flag(target, CAPABILITIES_DELETE, "Deletable")
                == Some(true)
            {
                add(
                    &mut out,
                    HttpMethod::Delete,
                    EndpointKind::Delete,
                    annotation(CAPABILITIES_DELETE),
                );
            }
        }
        out.sort_by_key(|e| e.method);
        out
    }

    fn push(
        &mut self,
        segments: &[Segment],
        target: PathTarget,
        endpoints: Vec<Endpoint>,
        listed_writes: ListedWrites,
    ) {
        self.nodes.push(PathNode {
            path: ApiPath {
                segments: segments.to_vec(),
                target,
                endpoints,
            },
            listed_writes,
        });
    }
}

fn read(kind: EndpointKind) -> Endpoint {
    Endpoint {
        method: HttpMethod::Get,
        kind,
        origin: Origin::Convention,
    }
}

fn annotation(term: &str) -> Origin {
    Origin::Annotation(local_name(term).to_string())
}

fn update_kind(method: HttpMethod) -> EndpointKind {
    if method == HttpMethod::Put {
        EndpointKind::Replace
    } else {
        EndpointKind::Update
    }
}

/// The element type of a path's response body, for `inspect` and emitters.
pub fn element_type(model: &Model, path: &ApiPath) -> Option<TypeUse> {
    match &path.target {
        PathTarget::Single(name) | PathTarget::Item(name) => Some(TypeUse {
            collection: false,
            target: TypeTarget::Named(name.clone()),
        }),
        PathTarget::Collection(name) => Some(TypeUse {
            collection: true,
            target: TypeTarget::Named(name.clone()),
        }),
        PathTarget::Property { ty, .. } => Some(ty.clone()),
        PathTarget::Operation(id) => model
            .operations
            .get(*id)
            .and_then(|op| op.return_type.as_ref())
            .map(|r| r.ty.clone()),
    }
}
