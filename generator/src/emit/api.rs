//! The client emitter: a request builder per node of the path tree, e.g.
//! `client.service_principal(id).synchronization().job(job_id).start()`, with
//! every endpoint's HTTP method, path and permissions in its doc comment. Also
//! emits a test that drives every endpoint through its builder.

use super::docs;
use super::lower::api::{Api, Call, Node, Request, entry_method, literal};
use super::lower::types::RustType;
use super::names::{self, NameScope};
use super::runtime::{self, Import};
use crate::model::{Segment, local_name};
use crate::write::Output;
use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// The Rust expression that reaches `node` from a `client`, with sample ids.
fn chain(api: &Api, node: usize) -> TokenStream {
    let n = &api.nodes[node];
    match &n.parent {
        None => {
            let method = names::ident(&entry_method(&n.entry_set));
            let id = sample_id(&n.segments);
            quote!(client.#method(#id))
        }
        Some((parent, accessor, takes_id)) => {
            let base = chain(api, *parent);
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
pub fn files(api: &Api) -> Vec<(Output, TokenStream)> {
    let mut by_entry: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, node) in api.nodes.iter().enumerate() {
        by_entry.entry(node.entry_set.as_str()).or_default().push(i);
    }
    let mut out = Vec::new();
    let mut modules = Vec::new();
    for (entry, nodes) in &by_entry {
        let module = names::module_name(&entry.to_upper_camel_case());
        let mut imports = Imports::default();
        let structs: Vec<TokenStream> = nodes
            .iter()
            .map(|&i| node_struct(api, i, &mut imports))
            .collect();
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
        out.push((Output::Api(module.clone()), tokens));
        modules.push(module);
    }
    let decls = modules.iter().map(|m| {
        let ident = names::ident(m);
        quote!(mod #ident; pub use #ident::*;)
    });
    out.push((
        Output::ApiRoot,
        quote! {
            //! Request builders for every synchronization path, generated from the
            //! metadata's navigation tree. Start from [`crate::Client`]:
            //! `client.service_principal(id).synchronization().jobs().list()`.
            #(#decls)*
        },
    ));
    out
}

/// The items a file's signatures name, for its `use` lines.
#[derive(Default)]
struct Imports {
    models: BTreeSet<String>,
    runtime: BTreeSet<runtime::RuntimeType>,
}

impl Imports {
    /// `ty` as written in the file (`()` for none), noting its import.
    fn name(&mut self, ty: Option<&RustType>) -> TokenStream {
        let Some(ty) = ty else {
            return quote!(());
        };
        if let Some(model) = ty.model() {
            self.models.insert(model.to_string());
        }
        if let Some(runtime) = ty.runtime() {
            self.runtime.insert(runtime);
        }
        ty.tokens()
    }
}

fn node_struct(api: &Api, index: usize, imports: &mut Imports) -> TokenStream {
    let node = &api.nodes[index];
    let name = names::ident(&node.struct_name);
    let doc = format!(" Requests on `{}`.", node.template);
    let mut scope = NameScope::default();
    let calls: Vec<TokenStream> = api
        .calls_of(index)
        .map(|call| endpoint_method(call, &mut scope, imports))
        .collect();
    let children = children(api, index, &mut scope);
    let entry = if node.parent.is_none() {
        entry_point(node, &name)
    } else {
        quote!()
    };
    quote! {
        #entry

        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct #name {
            client: Client,
            path: RequestPath,
        }

        impl #name {
            #(#calls)*
            #children
        }
    }
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
fn children(api: &Api, index: usize, scope: &mut NameScope) -> TokenStream {
    let mut out = Vec::new();
    for child in api.children(index) {
        let Some((_, accessor, takes_id)) = &child.parent else {
            continue;
        };
        let method = names::ident(&scope.claim(accessor.clone()));
        let child_name = names::ident(&child.struct_name);
        let doc = format!(" `{}`.", child.template);
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

/// One call as a builder method; its name made unique on the builder.
fn endpoint_method(call: &Call, scope: &mut NameScope, imports: &mut Imports) -> TokenStream {
    let method_name = names::ident(&scope.claim(call.name.clone()));
    let doc = docs::doc_attrs(&call.doc);
    let template = &call.template;
    let own_path = quote!(self.path.clone());
    let (argument, request, returns) = match &call.request {
        Request::List(element) => {
            let t = imports.name(element.as_ref());
            (
                quote!(),
                quote!(ListRequest::new(&self.client, #own_path, #template)),
                quote!(ListRequest<#t>),
            )
        }
        Request::Get(element) => {
            let t = imports.name(element.as_ref());
            (
                quote!(),
                quote!(GetRequest::new(&self.client, #own_path, #template)),
                quote!(GetRequest<#t>),
            )
        }
        Request::Create(element) => {
            let t = imports.name(element.as_ref());
            (
                quote!(, body: &#t),
                quote!(SendRequest::new(&self.client, Method::POST, #own_path, #template).json(body)),
                quote!(SendRequest<#t>),
            )
        }
        Request::Write {
            replace,
            collection,
            element,
        } => {
            let method = if *replace {
                quote!(Method::PUT)
            } else {
                quote!(Method::PATCH)
            };
            let t = imports.name(element.as_ref());
            if *collection {
                let value_body = runtime::VALUE_BODY.path();
                (
                    quote!(, values: &[#t]),
                    quote!(SendRequest::new(&self.client, #method, #own_path, #template)
                        .json(&#value_body { value: values })),
                    quote!(SendRequest<()>),
                )
            } else {
                (
                    quote!(, body: &#t),
                    quote!(SendRequest::new(&self.client, #method, #own_path, #template).json(body)),
                    quote!(SendRequest<()>),
                )
            }
        }
        Request::Delete => (
            quote!(),
            quote!(SendRequest::new(&self.client, Method::DELETE, #own_path, #template)),
            quote!(SendRequest<()>),
        ),
        Request::Upload { content_type } => {
            let bulk_request = runtime::BULK_REQUEST.path();
            (
                quote!(, body: &#bulk_request),
                quote!(SendRequest::new(&self.client, Method::POST, #own_path, #template)
                    .json_as(body, #content_type)),
                quote!(SendRequest<()>),
            )
        }
        Request::Function {
            segment,
            returns,
            collection,
        } => {
            let own_path = quote!(self.path.clone().push(#segment));
            let t = imports.name(Some(returns));
            if *collection {
                (
                    quote!(),
                    quote!(ListRequest::new(&self.client, #own_path, #template)),
                    quote!(ListRequest<#t>),
                )
            } else {
                (
                    quote!(),
                    quote!(GetRequest::new(&self.client, #own_path, #template)),
                    quote!(GetRequest<#t>),
                )
            }
        }
        Request::Action {
            segment,
            returns,
            collection,
            parameters,
        } => {
            let own_path = quote!(self.path.clone().push(#segment));
            let returns = match (returns, collection) {
                (Some(t), true) => {
                    let t = imports.name(Some(t));
                    let page = runtime::PAGE.path();
                    quote!(SendRequest<#page<#t>>)
                }
                (Some(t), false) => {
                    let t = imports.name(Some(t));
                    quote!(SendRequest<#t>)
                }
                (None, _) => quote!(SendRequest<()>),
            };
            let base = quote!(SendRequest::new(&self.client, Method::POST, #own_path, #template));
            match parameters {
                Some(params) => {
                    imports.models.insert(params.clone());
                    let params_name = names::ident(params);
                    (
                        quote!(, parameters: &#params_name),
                        quote!(#base.json(parameters)),
                        returns,
                    )
                }
                None => (quote!(), base, returns),
            }
        }
    };
    quote! {
        #doc
        pub fn #method_name(&self #argument) -> #returns {
            #request
        }
    }
}

/// A test (in the tests crate) that calls every endpoint through its builder
/// against a local mock server and checks the method and path it sent.
pub fn endpoint_test(api: &Api) -> TokenStream {
    let mut cases = Vec::new();
    for call in &api.calls {
        let chain = chain(api, call.node);
        let concrete = sample_path(&call.segments);
        let method = call.method.as_str();
        // The builder method is named as the lowering named the call.
        let name = names::ident(&call.name);
        let invocation = match &call.request {
            Request::List(_) | Request::Get(_) | Request::Delete => {
                quote!(#chain.#name().send_raw().await)
            }
            Request::Write {
                collection: true, ..
            } => quote!(#chain.#name(&[]).send_raw().await),
            Request::Create(_)
            | Request::Write { .. }
            | Request::Upload { .. }
            | Request::Action {
                parameters: Some(_),
                ..
            } => quote!(#chain.#name(&Default::default()).send_raw().await),
            Request::Function { .. } | Request::Action { .. } => {
                quote!(#chain.#name().send_raw().await)
            }
        };
        let label = format!("{method} {}", call.template);
        cases.push(quote! {
            (#label, #method, #concrete, Box::pin(async { #invocation.map(|r| r.status.as_u16()) }) as Pending<'_>),
        });
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
