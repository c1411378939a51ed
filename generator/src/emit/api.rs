//! The client emitter: a request builder per node of the path tree, e.g.
//! `client.service_principal(id).synchronization().job(job_id).start()`, with
//! every endpoint's HTTP method, path and permissions in its doc comment. Also
//! emits a test that drives every endpoint through its builder.

use super::names::{self, NameScope};
use super::runtime::{self, Import};
use super::space::{Imports, TypeSpace};
use crate::csdl::OperationKind;
use crate::model::{
    ApiPath, Endpoint, EndpointKind, PathTarget, Segment, TypeUse, local_name, template_of,
};
use crate::permissions::PermissionsSlice;
use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// A node of the builder tree: an entry item, or a path that is not an operation.
#[derive(Debug, Clone)]
pub struct Node {
    pub segments: Vec<Segment>,
    pub struct_name: String,
    /// Index into the path list (`None` for an entry item such as `/servicePrincipals/{id}`).
    pub path: Option<usize>,
    /// `(parent node, accessor method, takes an id)`; `None` for entry items.
    pub parent: Option<(usize, String, bool)>,
    pub entry_set: String,
}

/// The builder tree of one entry set's paths.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

impl Tree {
    /// Builds nodes for every entry item and non-operation path.
    pub fn build(paths: &[ApiPath]) -> Tree {
        let mut tree = Tree::default();
        let mut by_segments: BTreeMap<Vec<Segment>, usize> = BTreeMap::new();
        let mut struct_names = NameScope::default();
        for (index, path) in paths.iter().enumerate() {
            if matches!(path.target, PathTarget::Operation(_)) {
                continue;
            }
            let entry_len = entry_len(&path.segments);
            let entry: Vec<Segment> = path.segments[..entry_len].to_vec();
            let entry_set = literal(&path.segments[0]).to_string();
            if !by_segments.contains_key(&entry) {
                let name = struct_names.claim(format!("{}Request", node_name(&entry)));
                by_segments.insert(entry.clone(), tree.nodes.len());
                tree.nodes.push(Node {
                    segments: entry.clone(),
                    struct_name: name,
                    path: None,
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
            by_segments.insert(path.segments.clone(), tree.nodes.len());
            tree.nodes.push(Node {
                segments: path.segments.clone(),
                struct_name: name,
                path: Some(index),
                parent: parent.map(|p| (p, accessor, is_item)),
                entry_set,
            });
        }
        tree
    }

    /// The node an operation path hangs off.
    fn operation_parent(&self, path: &ApiPath) -> Option<usize> {
        let prefix = &path.segments[..path.segments.len().saturating_sub(1)];
        self.nodes.iter().position(|n| n.segments == prefix)
    }

    /// The Rust expression that reaches `node` from a `client`, with sample ids.
    fn chain(&self, node: usize) -> TokenStream {
        let n = &self.nodes[node];
        match &n.parent {
            None => {
                let method = names::ident(&entry_method(&n.entry_set));
                let id = sample_id(&n.segments);
                quote!(client.#method(#id))
            }
            Some((parent, accessor, takes_id)) => {
                let base = self.chain(*parent);
                let method = names::ident(accessor);
                if *takes_id {
                    let id = sample_id(&n.segments);
                    quote!(#base.#method(#id))
                } else {
                    quote!(#base.#method())
                }
            }
        }
    }
}

/// `servicePrincipals` -> `service_principal`.
fn entry_method(entry_set: &str) -> String {
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

fn literal(segment: &Segment) -> &str {
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

/// Sample ids for the generated endpoint test: `sp-1`, `job-2`...; one per key.
fn sample_id(segments: &[Segment]) -> String {
    let keys = segments
        .iter()
        .filter(|s| matches!(s, Segment::Key { .. }))
        .count();
    match segments.last() {
        Some(Segment::Key { entity_type }) => format!("{}-{keys}", local_name(entity_type)),
        _ => format!("id-{keys}"),
    }
}

/// The concrete path the sample ids give.
fn sample_path(segments: &[Segment]) -> String {
    let mut out = String::new();
    for (i, segment) in segments.iter().enumerate() {
        out.push('/');
        match segment {
            Segment::Literal(text) => out.push_str(text),
            Segment::Key { .. } => out.push_str(&sample_id(&segments[..=i])),
        }
    }
    out
}

/// The api files: `mod.rs` and one file per entry set.
pub fn files(
    space: &TypeSpace<'_>,
    paths: &[ApiPath],
    permissions: &PermissionsSlice,
) -> Result<Vec<(String, TokenStream)>, String> {
    let tree = Tree::build(paths);
    let mut by_entry: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, node) in tree.nodes.iter().enumerate() {
        by_entry.entry(node.entry_set.as_str()).or_default().push(i);
    }
    let mut out = Vec::new();
    let mut modules = Vec::new();
    for (entry, nodes) in &by_entry {
        let module = names::module_name(&entry.to_upper_camel_case());
        let mut imports = Imports::default();
        let structs = nodes
            .iter()
            .map(|&i| node_struct(space, paths, permissions, &tree, i, &mut imports))
            .collect::<Result<Vec<TokenStream>, String>>()?;
        let models: Vec<_> = imports.models.iter().map(|i| names::ident(i)).collect();
        let use_models = if models.is_empty() {
            quote!()
        } else {
            quote!(use crate::models::{#(#models),*};)
        };
        let use_values = imports.runtime.iter().map(|ty| ty.import());
        let use_client = runtime::CLIENT.import();
        let use_path = runtime::REQUEST_PATH.import();
        let use_requests = runtime::imports(&[
            Import::Type(runtime::GET_REQUEST),
            Import::Type(runtime::LIST_REQUEST),
            Import::Type(runtime::SEND_REQUEST),
        ]);
        let tokens = quote! {
            #use_models
            #(#use_values)*
            #use_client
            #use_path
            #[allow(unused_imports)]
            #use_requests
            use reqwest::Method;

            #(#structs)*
        };
        out.push((format!("{module}.rs"), tokens));
        modules.push(module);
    }
    let decls = modules.iter().map(|m| {
        let ident = names::ident(m);
        quote!(mod #ident; pub use #ident::*;)
    });
    out.push((
        "mod.rs".to_string(),
        quote! {
            //! Request builders for every synchronization path, generated from the
            //! metadata's navigation tree. Start from [`crate::Client`]:
            //! `client.service_principal(id).synchronization().jobs().list()`.
            #(#decls)*
        },
    ));
    Ok(out)
}

fn node_struct(
    space: &TypeSpace<'_>,
    paths: &[ApiPath],
    permissions: &PermissionsSlice,
    tree: &Tree,
    index: usize,
    imports: &mut Imports,
) -> Result<TokenStream, String> {
    let node = &tree.nodes[index];
    let name = names::ident(&node.struct_name);
    let doc = format!(" Requests on `{}`.", template_of(&node.segments));
    let mut scope = NameScope::default();
    let mut own = Vec::new();
    if let Some(path) = node.path.and_then(|i| paths.get(i)) {
        for endpoint in &path.endpoints {
            own.push(endpoint_method(
                space,
                path,
                endpoint,
                permissions,
                &mut scope,
                imports,
            )?);
        }
    }
    let operations = operations(space, paths, permissions, tree, index, &mut scope, imports)?;
    let children = children(tree, index, &mut scope);
    let entry = if node.parent.is_none() {
        entry_point(node, &name)
    } else {
        quote!()
    };
    Ok(quote! {
        #entry

        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct #name {
            client: Client,
            path: RequestPath,
        }

        impl #name {
            #(#own)*
            #operations
            #children
        }
    })
}

/// `client.service_principal(id)`: the way in from the client.
fn entry_point(node: &Node, name: &proc_macro2::Ident) -> TokenStream {
    let method = names::ident(&entry_method(&node.entry_set));
    let set = &node.entry_set;
    let doc = format!(" `/{set}/{{id}}`: the requests below one of the `{set}`.");
    quote! {
        impl Client {
            #[doc = #doc]
            pub fn #method(&self, id: impl AsRef<str>) -> #name {
                #name {
                    client: self.clone(),
                    path: RequestPath::new().push(#set).push_id(id.as_ref()),
                }
            }
        }
    }
}

/// Accessors of the child nodes.
fn children(tree: &Tree, index: usize, scope: &mut NameScope) -> TokenStream {
    let mut out = Vec::new();
    for child in tree
        .nodes
        .iter()
        .filter(|n| n.parent.as_ref().is_some_and(|(p, _, _)| *p == index))
    {
        let Some((_, accessor, takes_id)) = &child.parent else {
            continue;
        };
        let method = names::ident(&scope.claim(accessor.clone()));
        let child_name = names::ident(&child.struct_name);
        let doc = format!(" `{}`.", template_of(&child.segments));
        if *takes_id {
            let n = child.segments.len();
            let collection = literal(&child.segments[n - 2]);
            out.push(quote! {
                #[doc = #doc]
                pub fn #method(&self, id: impl AsRef<str>) -> #child_name {
                    #child_name {
                        client: self.client.clone(),
                        path: self.path.clone().push(#collection).push_id(id.as_ref()),
                    }
                }
            });
        } else {
            let segment = literal(&child.segments[child.segments.len() - 1]);
            out.push(quote! {
                #[doc = #doc]
                pub fn #method(&self) -> #child_name {
                    #child_name {
                        client: self.client.clone(),
                        path: self.path.clone().push(#segment),
                    }
                }
            });
        }
    }
    quote!(#(#out)*)
}

/// Bound operations whose path hangs off this node.
fn operations(
    space: &TypeSpace<'_>,
    paths: &[ApiPath],
    permissions: &PermissionsSlice,
    tree: &Tree,
    index: usize,
    scope: &mut NameScope,
    imports: &mut Imports,
) -> Result<TokenStream, String> {
    let mut out = Vec::new();
    for path in paths {
        if !matches!(path.target, PathTarget::Operation(_))
            || tree.operation_parent(path) != Some(index)
        {
            continue;
        }
        for endpoint in &path.endpoints {
            out.push(endpoint_method(
                space,
                path,
                endpoint,
                permissions,
                scope,
                imports,
            )?);
        }
    }
    Ok(quote!(#(#out)*))
}

/// What one endpoint's builder method sends and returns.
struct Shape {
    name: String,
    summary: String,
    /// The argument (`body: &T`), if any.
    argument: TokenStream,
    /// The expression building the request.
    request: TokenStream,
    returns: TokenStream,
}

fn endpoint_method(
    space: &TypeSpace<'_>,
    path: &ApiPath,
    endpoint: &Endpoint,
    permissions: &PermissionsSlice,
    scope: &mut NameScope,
    imports: &mut Imports,
) -> Result<TokenStream, String> {
    let template = path.template();
    let shape = shape(space, path, endpoint, &template, imports)?;
    let method_name = names::ident(&scope.claim(shape.name.clone()));
    let graph = crate::descriptions::endpoint_text(space.model, path, endpoint);
    let mut doc = Vec::new();
    for text in [&graph.summary, &graph.description].into_iter().flatten() {
        doc.extend(super::docs::graph_text(text));
        doc.push(String::new());
    }
    if let Some(href) = &graph.link {
        doc.extend([format!("[Graph reference]({href})"), String::new()]);
    }
    doc.extend([
        format!("`{} {template}`", endpoint.method.as_str()),
        String::new(),
        shape.summary.clone(),
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
    let doc = super::docs::doc_attrs(&doc);
    let argument = &shape.argument;
    let request = &shape.request;
    let returns = &shape.returns;
    Ok(quote! {
        #doc
        pub fn #method_name(&self #argument) -> #returns {
            #request
        }
    })
}

fn shape(
    space: &TypeSpace<'_>,
    path: &ApiPath,
    endpoint: &Endpoint,
    template: &str,
    imports: &mut Imports,
) -> Result<Shape, String> {
    let element = |imports: &mut Imports| -> TokenStream {
        let ty = crate::model::element_type(space.model, path).map(|t| TypeUse {
            collection: false,
            ..t
        });
        match ty {
            Some(ty) => space.value_type(&ty, false, imports),
            None => quote!(()),
        }
    };
    let own_path = quote!(self.path.clone());
    let value_body = runtime::VALUE_BODY.path();
    let bulk_request = runtime::BULK_REQUEST.path();
    Ok(match endpoint.kind {
        EndpointKind::List => {
            let t = element(imports);
            Shape {
                name: "list".into(),
                summary: "Lists the collection: `.await` gives the first page, `.stream()` follows `@odata.nextLink`.".into(),
                argument: quote!(),
                request: quote!(ListRequest::new(&self.client, #own_path, #template)),
                returns: quote!(ListRequest<#t>),
            }
        }
        EndpointKind::Get => {
            let t = element(imports);
            Shape {
                name: "get".into(),
                summary: "Reads the resource.".into(),
                argument: quote!(),
                request: quote!(GetRequest::new(&self.client, #own_path, #template)),
                returns: quote!(GetRequest<#t>),
            }
        }
        EndpointKind::Create => {
            let t = element(imports);
            Shape {
                name: "create".into(),
                summary: "Creates a member of the collection; Graph answers with it (201 Created)."
                    .into(),
                argument: quote!(, body: &#t),
                request: quote!(SendRequest::new(&self.client, Method::POST, #own_path, #template).json(body)),
                returns: quote!(SendRequest<#t>),
            }
        }
        EndpointKind::Update | EndpointKind::Replace => {
            let put = endpoint.kind == EndpointKind::Replace;
            let (name, method, summary) = if put {
                (
                    "put",
                    quote!(Method::PUT),
                    "Replaces the resource (PUT); Graph answers 204 No Content.",
                )
            } else {
                (
                    "update",
                    quote!(Method::PATCH),
                    "Updates the properties that are set (PATCH); absent ones are left alone, `Nullable::Null` clears one. Graph answers 204 No Content.",
                )
            };
            let collection =
                crate::model::element_type(space.model, path).is_some_and(|t| t.collection);
            let t = element(imports);
            if collection {
                Shape {
                    name: name.into(),
                    summary: format!("{summary} The body is `{{\"value\": [...]}}`."),
                    argument: quote!(, values: &[#t]),
                    request: quote!(SendRequest::new(&self.client, #method, #own_path, #template)
                        .json(&#value_body { value: values })),
                    returns: quote!(SendRequest<()>),
                }
            } else {
                Shape {
                    name: name.into(),
                    summary: summary.into(),
                    argument: quote!(, body: &#t),
                    request: quote!(SendRequest::new(&self.client, #method, #own_path, #template).json(body)),
                    returns: quote!(SendRequest<()>),
                }
            }
        }
        EndpointKind::Delete => Shape {
            name: "delete".into(),
            summary: "Deletes the resource; Graph answers 204 No Content.".into(),
            argument: quote!(),
            request: quote!(SendRequest::new(&self.client, Method::DELETE, #own_path, #template)),
            returns: quote!(SendRequest<()>),
        },
        EndpointKind::Upload => {
            let content_type = match &path.target {
                PathTarget::Single(t) => space.profile.media_types.get(t).cloned(),
                _ => None,
            }
            .unwrap_or_else(|| "application/octet-stream".to_string());
            Shape {
                name: "post".into(),
                summary: format!(
                    "Uploads the content as `{content_type}`: a SCIM BulkRequest. Graph answers 202 Accepted."
                ),
                argument: quote!(, body: &#bulk_request),
                request: quote!(SendRequest::new(&self.client, Method::POST, #own_path, #template)
                    .json_as(body, #content_type)),
                returns: quote!(SendRequest<()>),
            }
        }
        EndpointKind::Action(index) | EndpointKind::Function(index) => {
            operation_shape(space, path, index, template, imports)?
        }
    })
}

fn operation_shape(
    space: &TypeSpace<'_>,
    path: &ApiPath,
    index: usize,
    template: &str,
    imports: &mut Imports,
) -> Result<Shape, String> {
    let op = space
        .model
        .operations
        .get(index)
        .ok_or_else(|| format!("{template}: operation #{index} is not in the model"))?;
    let name = names::field_name(op.local_name());
    let binding = op
        .binding
        .as_ref()
        .map(|b| b.ty.to_string())
        .unwrap_or_default();
    let own_path = {
        let segment = literal(
            path.segments
                .last()
                .unwrap_or(&Segment::Literal(String::new())),
        )
        .to_string();
        quote!(self.path.clone().push(#segment))
    };
    let returns_collection = op.return_type.as_ref().is_some_and(|r| r.ty.collection);
    let return_element = op.return_type.as_ref().map(|r| {
        let ty = TypeUse {
            collection: false,
            ..r.ty.clone()
        };
        space.value_type(&ty, false, imports)
    });
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
    if op.kind == OperationKind::Function {
        let t = return_element.unwrap_or(quote!(serde_json::Value));
        let (request, returns) = if returns_collection {
            (
                quote!(ListRequest::new(&self.client, #own_path, #template)),
                quote!(ListRequest<#t>),
            )
        } else {
            (
                quote!(GetRequest::new(&self.client, #own_path, #template)),
                quote!(GetRequest<#t>),
            )
        };
        return Ok(Shape {
            name,
            summary,
            argument: quote!(),
            request,
            returns,
        });
    }
    let page = runtime::PAGE.path();
    let returns = match (&return_element, returns_collection) {
        (Some(t), true) => quote!(SendRequest<#page<#t>>),
        (Some(t), false) => quote!(SendRequest<#t>),
        (None, _) => quote!(SendRequest<()>),
    };
    let base = quote!(SendRequest::new(&self.client, Method::POST, #own_path, #template));
    Ok(match space.param_struct(index) {
        Some(params) => {
            let params_name = names::ident(&params.rust_name);
            imports.models.insert(params.rust_name.clone());
            Shape {
                name,
                summary,
                argument: quote!(, parameters: &#params_name),
                request: quote!(#base.json(parameters)),
                returns,
            }
        }
        None => Shape {
            name,
            summary,
            argument: quote!(),
            request: base,
            returns,
        },
    })
}

/// A test (in the tests crate) that calls every endpoint through its builder
/// against a local mock server and checks the method and path it sent.
pub fn endpoint_test(space: &TypeSpace<'_>, paths: &[ApiPath]) -> TokenStream {
    let tree = Tree::build(paths);
    let mut cases = Vec::new();
    for path in paths {
        let node = if matches!(path.target, PathTarget::Operation(_)) {
            tree.operation_parent(path)
        } else {
            tree.nodes.iter().position(|n| n.segments == path.segments)
        };
        let Some(node) = node else { continue };
        let chain = tree.chain(node);
        let concrete = sample_path(&path.segments);
        for endpoint in &path.endpoints {
            let method = endpoint.method.as_str();
            let call = match endpoint.kind {
                EndpointKind::List => quote!(#chain.list().send_raw().await),
                EndpointKind::Get => quote!(#chain.get().send_raw().await),
                EndpointKind::Create => quote!(#chain.create(&Default::default()).send_raw().await),
                EndpointKind::Update => {
                    if is_collection_property(path) {
                        quote!(#chain.update(&[]).send_raw().await)
                    } else {
                        quote!(#chain.update(&Default::default()).send_raw().await)
                    }
                }
                EndpointKind::Replace => {
                    if is_collection_property(path) {
                        quote!(#chain.put(&[]).send_raw().await)
                    } else {
                        quote!(#chain.put(&Default::default()).send_raw().await)
                    }
                }
                EndpointKind::Delete => quote!(#chain.delete().send_raw().await),
                EndpointKind::Upload => quote!(#chain.post(&Default::default()).send_raw().await),
                EndpointKind::Action(index) | EndpointKind::Function(index) => {
                    let Some(Segment::Literal(op)) = path.segments.last() else {
                        continue;
                    };
                    let method_name = names::ident(&names::field_name(op));
                    if space.param_struct(index).is_some() {
                        quote!(#chain.#method_name(&Default::default()).send_raw().await)
                    } else {
                        quote!(#chain.#method_name().send_raw().await)
                    }
                }
            };
            let label = format!("{method} {}", path.template());
            cases.push(quote! {
                (#label, #method, #concrete, Box::pin(async { #call.map(|r| r.status.as_u16()) }) as Pending<'_>),
            });
        }
    }
    quote! {
        //! Every endpoint of the generated client, called through its builder against a
        //! local mock server: the method and path it sends must be the metadata's.
        #![allow(clippy::too_many_lines)]

        use msgraph_sync::{Client, runtime::retry::RetryPolicy};
        use std::future::Future;
        use std::pin::Pin;
        use wiremock::matchers::{method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};

        type Pending<'a> = Pin<Box<dyn Future<Output = Result<u16, msgraph_sync::Error>> + 'a>>;

        #[tokio::test]
        async fn every_endpoint_sends_its_method_and_path() {
            let server = MockServer::start().await;
            let client = Client::builder()
                .base_url(server.uri())
                .static_token("test-token")
                .retry_policy(RetryPolicy::none())
                .build()
                .expect("client");
            let cases = [#(#cases)*];
            let mut failures = Vec::new();
            let count = cases.len();
            for (label, expected_method, expected_path, pending) in cases {
                server.reset().await;
                Mock::given(method(expected_method))
                    .and(path(format!("/v1.0{expected_path}")))
                    .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
                    .expect(1)
                    .mount(&server)
                    .await;
                match pending.await {
                    Ok(200) => {}
                    other => failures.push(format!("{label}: {other:?}")),
                }
            }
            assert!(failures.is_empty(), "endpoints that did not reach the mock:\n{}", failures.join("\n"));
            println!("{count} endpoints called through their builders");
        }
    }
}

fn is_collection_property(path: &ApiPath) -> bool {
    matches!(&path.target, PathTarget::Property { ty, .. } if ty.collection)
}
