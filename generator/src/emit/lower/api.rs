//! The client lowered: the builder tree (a node per entry item and per path that
//! is not an operation), built once, and every endpoint as a [`Call`] on the node
//! it hangs off, with its doc, its request and its types decided.

use super::super::docs;
use super::super::names::{self, NameScope};
use super::space::TypeSpace;
use super::types::RustType;
use crate::csdl::OperationKind;
use crate::model::{ApiPath, Endpoint, EndpointKind, HttpMethod, PathTarget, Segment, template_of};
use crate::permissions::{PermissionsSlice, SliceGrants};
use heck::ToUpperCamelCase;
use std::collections::BTreeMap;

/// The lowered client: its builder nodes and, in the paths' order, its calls.
#[derive(Debug, Clone, Default)]
pub struct Api {
    pub nodes: Vec<Node>,
    /// Every endpoint whose node exists, in the order of the paths and their endpoints.
    pub calls: Vec<Call>,
}

/// A node of the builder tree: an entry item, or a path that is not an operation.
#[derive(Debug, Clone)]
pub struct Node {
    pub segments: Vec<Segment>,
    /// `/servicePrincipals/{servicePrincipal-id}/synchronization`.
    pub template: String,
    pub struct_name: String,
    /// `(parent node, accessor method, takes an id)`; `None` for entry items.
    pub parent: Option<(usize, String, bool)>,
    pub entry_set: String,
}

/// One endpoint as a method of its node's builder.
#[derive(Debug, Clone)]
pub struct Call {
    /// The node whose builder has the method.
    pub node: usize,
    /// The endpoint's own path (an operation's is one segment below its node).
    pub segments: Vec<Segment>,
    pub template: String,
    pub method: HttpMethod,
    /// The method's name before it is made unique on its builder.
    pub name: String,
    pub doc: Vec<String>,
    pub request: Request,
}

/// What a call sends and what it returns; `None` types are `()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `ListRequest<T>` on the node's path.
    List(Option<RustType>),
    /// `GetRequest<T>` on the node's path.
    Get(Option<RustType>),
    /// POST of a `T`, answered with it.
    Create(Option<RustType>),
    /// PATCH (or PUT when `replace`) of a `T`, or of `{"value": [T...]}` for a
    /// collection.
    Write {
        replace: bool,
        collection: bool,
        element: Option<RustType>,
    },
    Delete,
    /// POST of a SCIM BulkRequest as `content_type`.
    Upload {
        content_type: String,
    },
    /// A bound function (GET of `segment`): a list when it returns a collection.
    Function {
        segment: String,
        returns: RustType,
        collection: bool,
    },
    /// A bound action (POST to `segment`), with its parameter object if any.
    Action {
        segment: String,
        returns: Option<RustType>,
        collection: bool,
        parameters: Option<String>,
    },
}

impl Api {
    /// Lowers the paths: the tree first, then each endpoint onto its node.
    pub fn lower(
        space: &TypeSpace<'_>,
        paths: &[ApiPath],
        permissions: &PermissionsSlice,
    ) -> Result<Api, String> {
        let grants = permissions.grants();
        let mut api = Api {
            nodes: build_nodes(paths),
            calls: Vec::new(),
        };
        for path in paths {
            let Some(node) = api.node_of(path) else {
                continue;
            };
            for endpoint in &path.endpoints {
                let call = lower_call(space, &grants, path, endpoint, node)?;
                api.calls.push(call);
            }
        }
        Ok(api)
    }

    /// The node a path's endpoints belong to: its own, or for an operation the
    /// node it hangs off.
    fn node_of(&self, path: &ApiPath) -> Option<usize> {
        let segments = if matches!(path.target, PathTarget::Operation(_)) {
            &path.segments[..path.segments.len().saturating_sub(1)]
        } else {
            &path.segments[..]
        };
        self.nodes.iter().position(|n| n.segments == segments)
    }

    /// The node's own calls, then the operations that hang off it.
    pub fn calls_of(&self, node: usize) -> impl Iterator<Item = &Call> {
        let own = self
            .calls
            .iter()
            .filter(move |c| c.node == node && !c.is_operation());
        let operations = self
            .calls
            .iter()
            .filter(move |c| c.node == node && c.is_operation());
        own.chain(operations)
    }

    /// The nodes that hang off `node`.
    pub fn children(&self, node: usize) -> impl Iterator<Item = &Node> {
        self.nodes
            .iter()
            .filter(move |n| n.parent.as_ref().is_some_and(|(p, _, _)| *p == node))
    }
}

impl Call {
    fn is_operation(&self) -> bool {
        matches!(
            self.request,
            Request::Function { .. } | Request::Action { .. }
        )
    }
}

fn build_nodes(paths: &[ApiPath]) -> Vec<Node> {
    let mut nodes: Vec<Node> = Vec::new();
    let mut by_segments: BTreeMap<Vec<Segment>, usize> = BTreeMap::new();
    let mut struct_names = NameScope::default();
    for path in paths {
        if matches!(path.target, PathTarget::Operation(_)) {
            continue;
        }
        let entry_len = entry_len(&path.segments);
        let entry: Vec<Segment> = path.segments[..entry_len].to_vec();
        let entry_set = literal(&path.segments[0]).to_string();
        if !by_segments.contains_key(&entry) {
            let name = struct_names.claim(format!("{}Request", node_name(&entry)));
            by_segments.insert(entry.clone(), nodes.len());
            nodes.push(Node {
                template: template_of(&entry),
                segments: entry.clone(),
                struct_name: name,
                parent: None,
                entry_set: entry_set.clone(),
            });
        }
        // The parent is the longest proper prefix that is a node; an item hangs
        // off its collection's parent (`synchronization.job(id)`).
        let is_item = matches!(path.segments.last(), Some(Segment::Key { .. }));
        let parent_len = if is_item {
            path.segments.len() - 2
        } else {
            path.segments.len() - 1
        };
        let parent = by_segments.get(&path.segments[..parent_len]).copied();
        let accessor_literal = literal(&path.segments[parent_len]);
        let accessor = if is_item {
            names::field_name(&singular(accessor_literal))
        } else {
            names::field_name(accessor_literal)
        };
        let name = struct_names.claim(format!("{}Request", node_name(&path.segments)));
        by_segments.insert(path.segments.clone(), nodes.len());
        nodes.push(Node {
            template: path.template(),
            segments: path.segments.clone(),
            struct_name: name,
            parent: parent.map(|p| (p, accessor, is_item)),
            entry_set,
        });
    }
    nodes
}

/// `servicePrincipals` -> `service_principal`.
pub fn entry_method(entry_set: &str) -> String {
    names::field_name(&singular(entry_set))
}

/// Naive English singular for Graph's collection names.
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = word.strip_suffix("sses") {
        format!("{stem}ss")
    } else if let Some(stem) = word.strip_suffix('s') {
        stem.to_string()
    } else {
        word.to_string()
    }
}

fn entry_len(segments: &[Segment]) -> usize {
    if matches!(segments.get(1), Some(Segment::Key { .. })) {
        2
    } else {
        1
    }
}

/// A segment's text (`item` for a key).
pub fn literal(segment: &Segment) -> &str {
    match segment {
        Segment::Literal(text) => text,
        Segment::Key { .. } => "item",
    }
}

/// `ServicePrincipalSynchronizationJobSchema` for
/// `/servicePrincipals/{id}/synchronization/jobs/{id}/schema`.
fn node_name(segments: &[Segment]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < segments.len() {
        let text = literal(&segments[i]);
        if matches!(segments.get(i + 1), Some(Segment::Key { .. })) {
            out.push_str(&singular(text).to_upper_camel_case());
            i += 2;
        } else {
            out.push_str(&text.to_upper_camel_case());
            i += 1;
        }
    }
    out
}

fn lower_call(
    space: &TypeSpace<'_>,
    permissions: &SliceGrants<'_>,
    path: &ApiPath,
    endpoint: &Endpoint,
    node: usize,
) -> Result<Call, String> {
    let template = path.template();
    let (name, summary, request) = request(space, path, endpoint, &template)?;
    let graph = crate::descriptions::endpoint_text(space.model, path, endpoint);
    let mut doc = Vec::new();
    for text in [&graph.summary, &graph.description].into_iter().flatten() {
        doc.extend(docs::graph_text(text));
        doc.push(String::new());
    }
    if let Some(href) = &graph.link {
        doc.extend([format!("[Graph reference]({href})"), String::new()]);
    }
    doc.extend([
        format!("`{} {template}`", endpoint.method.as_str()),
        String::new(),
        summary,
        String::new(),
    ]);
    match permissions.get(endpoint.method.as_str(), &template) {
        Some(p) => {
            doc.push("Permissions (least privileged first):".to_string());
            doc.extend(p.doc_lines().into_iter().map(|l| format!("- {l}")));
        }
        None => {
            doc.push("The permissions reference lists no permissions for this path.".to_string())
        }
    }
    Ok(Call {
        node,
        segments: path.segments.clone(),
        template,
        method: endpoint.method,
        name,
        doc,
        request,
    })
}

/// The call's name, its one-line summary and its request.
fn request(
    space: &TypeSpace<'_>,
    path: &ApiPath,
    endpoint: &Endpoint,
    template: &str,
) -> Result<(String, String, Request), String> {
    let element_use = crate::model::element_type(space.model, path);
    let element = element_use.as_ref().map(|t| space.rust_type(t));
    Ok(match endpoint.kind {
        EndpointKind::List => (
            "list".into(),
            "Lists the collection: `.await` gives the first page, `.stream()` follows `@odata.nextLink`.".into(),
            Request::List(element),
        ),
        EndpointKind::Get => ("get".into(), "Reads the resource.".into(), Request::Get(element)),
        EndpointKind::Create => (
            "create".into(),
            "Creates a member of the collection; Graph answers with it (201 Created).".into(),
            Request::Create(element),
        ),
        EndpointKind::Update | EndpointKind::Replace => {
            let replace = endpoint.kind == EndpointKind::Replace;
            let (name, summary) = if replace {
                ("put", "Replaces the resource (PUT); Graph answers 204 No Content.")
            } else {
                (
                    "update",
                    "Updates the properties that are set (PATCH); absent ones are left alone, `Nullable::Null` clears one. Graph answers 204 No Content.",
                )
            };
            let collection = element_use.as_ref().is_some_and(|t| t.collection);
            let summary = if collection {
                format!("{summary} The body is `{{\"value\": [...]}}`.")
            } else {
                summary.to_string()
            };
            (
                name.into(),
                summary,
                Request::Write {
                    replace,
                    collection,
                    element,
                },
            )
        }
        EndpointKind::Delete => (
            "delete".into(),
            "Deletes the resource; Graph answers 204 No Content.".into(),
            Request::Delete,
        ),
        EndpointKind::Upload => {
            let content_type = match &path.target {
                PathTarget::Single(t) => space.profile.media_types.get(t).cloned(),
                _ => None,
            }
            .unwrap_or_else(|| "application/octet-stream".to_string());
            (
                "post".into(),
                format!(
                    "Uploads the content as `{content_type}`: a SCIM BulkRequest. Graph answers 202 Accepted."
                ),
                Request::Upload { content_type },
            )
        }
        EndpointKind::Action(index) | EndpointKind::Function(index) => {
            operation(space, path, index, template)?
        }
    })
}

fn operation(
    space: &TypeSpace<'_>,
    path: &ApiPath,
    index: crate::model::OperationId,
    template: &str,
) -> Result<(String, String, Request), String> {
    let op = space
        .model
        .operations
        .get(index)
        .ok_or_else(|| format!("{template}: operation #{index} is not in the model"))?;
    let name = names::field_name(op.local_name());
    let binding = op.binding_type();
    let segment = path.segments.last().map_or("", literal).to_string();
    let collection = op.return_type.as_ref().is_some_and(|r| r.ty.collection);
    let returns = op.return_type.as_ref().map(|r| space.rust_type(&r.ty));
    let kind = if op.kind == OperationKind::Action {
        "action"
    } else {
        "function"
    };
    let summary = format!(
        "The bound {kind} `{}` (bound to `{binding}`), returning {}.",
        op.name,
        op.return_type
            .as_ref()
            .map_or("nothing (204 No Content)".to_string(), |r| format!(
                "`{}`",
                r.ty
            ))
    );
    let request = if op.kind == OperationKind::Function {
        Request::Function {
            segment,
            returns: returns.unwrap_or(RustType::Builtin("serde_json::Value")),
            collection,
        }
    } else {
        Request::Action {
            segment,
            returns,
            collection,
            parameters: space.param_struct(index).map(|p| p.rust_name.clone()),
        }
    };
    Ok((name, summary, request))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::runtime;
    use crate::model::{Closure, Model};
    use crate::profile::Profile;

    fn fixture() -> (Model, Closure, Profile, Vec<ApiPath>) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/csdl/date_time_returns.xml");
        let bytes = std::fs::read(path).expect("fixture");
        let csdl = crate::csdl::read("date_time_returns.xml", &bytes).expect("reads");
        let model = crate::model::resolve(&csdl).expect("resolves");
        let roots: Vec<String> = model.types.keys().cloned().collect();
        let closure = Closure::compute(&model, &roots).expect("closure");
        let profile = Profile {
            crate_name: "fixture".to_string(),
            roots,
            entry_sets: vec!["servicePrincipals".to_string()],
            secret_properties: Vec::new(),
            media_types: Default::default(),
        };
        let tree = crate::model::build_paths(&model, &closure, &profile.entry_sets).expect("paths");
        let none = crate::permissions::PermissionsSlice::new("none", Vec::new());
        let paths = crate::model::apply_permissions(tree, &none.grants()).paths;
        (model, closure, profile, paths)
    }

    #[test]
    fn operations_hang_off_the_node_of_their_binding_path() {
        let (model, closure, profile, paths) = fixture();
        let space = TypeSpace::new(&model, &closure, &profile);
        let permissions = PermissionsSlice::new("none", Vec::new());
        let api = Api::lower(&space, &paths, &permissions).expect("lowers");
        let job = api
            .nodes
            .iter()
            .position(|n| n.struct_name == "ServicePrincipalSynchronizationJobRequest")
            .expect("job node");
        let names: Vec<&str> = api.calls_of(job).map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["get", "next_run", "reschedule"]);
        let next_run = api
            .calls
            .iter()
            .find(|c| c.name == "next_run")
            .expect("call");
        assert_eq!(
            next_run.request,
            Request::Function {
                segment: "nextRun".to_string(),
                returns: RustType::Runtime(runtime::DATE_TIME_OFFSET),
                collection: false,
            }
        );
        assert!(matches!(
            &api.calls.iter().find(|c| c.name == "reschedule").expect("call").request,
            Request::Action { parameters: Some(p), .. } if p == "RescheduleParameters"
        ));
        let children: Vec<&str> = api.children(0).map(|n| n.struct_name.as_str()).collect();
        assert_eq!(children, ["ServicePrincipalSynchronizationRequest"]);
    }
}
