//! The registry emitter: decode and re-encode any generated type by its OData name
//! (`microsoft.graph.synchronizationJob`, `Collection(...)`), following
//! `@odata.type` to a derived type.

use super::lower::registry::Registry;
use super::names;
use super::runtime::{self, Import};
use proc_macro2::TokenStream;
use quote::quote;

pub fn registry(registry: &Registry) -> TokenStream {
    let entries = &registry.entries;
    let imports = entries.iter().map(|e| names::ident(&e.rust));
    let names_list = entries.iter().map(|e| &e.odata);
    let variants = entries.iter().map(|e| {
        let ident = names::ident(&e.rust);
        let doc = format!(" `{}`", e.odata);
        if e.boxed {
            quote!(#[doc = #doc] #ident(Box<#ident>),)
        } else {
            quote!(#[doc = #doc] #ident(#ident),)
        }
    });
    let decode_arms = entries.iter().map(|e| {
        let ident = names::ident(&e.rust);
        let odata = &e.odata;
        let wrap = if e.boxed {
            quote!(Box::new(value))
        } else {
            quote!(value)
        };
        quote!(#odata => decode_as(json, collection, |value: #ident| AnyModel::#ident(#wrap)),)
    });
    let serialize_arms = entries.iter().map(|e| {
        let ident = names::ident(&e.rust);
        quote!(AnyModel::#ident(value) => value.serialize(serializer),)
    });
    let name_arms = entries.iter().map(|e| {
        let ident = names::ident(&e.rust);
        let odata = &e.odata;
        quote!(AnyModel::#ident(_) => Some(#odata),)
    });
    let derived_arms = registry
        .derived
        .iter()
        .map(|(base, derived)| quote!(#base => &[#(#derived),*],));
    let use_runtime = runtime::imports(&[Import::Module(runtime::REGISTRY)]);
    let registry_error = runtime::REGISTRY_ERROR.path();
    quote! {
        use super::{#(#imports),*};
        #use_runtime
        pub use #registry_error;
        use serde::de::DeserializeOwned;
        use serde::{Serialize, Serializer};

        /// The OData names of every type in the registry, sorted.
        pub const TYPE_NAMES: &[&str] = &[#(#names_list),*];

        /// A decoded value of any generated type: what [`AnyModel::decode`] returns.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum AnyModel {
            #(#variants)*
            /// `Collection(...)` of one type: a JSON array.
            Collection(Vec<AnyModel>),
        }

        impl AnyModel {
            /// Decodes `json` as the type named `type_name` (`microsoft.graph.x`, with or
            /// without a leading `#`, or `Collection(microsoft.graph.x)`). A JSON object
            /// whose `@odata.type` names a type derived from the requested one is
            /// decoded as that derived type.
            pub fn decode(type_name: &str, json: &str) -> Result<AnyModel, RegistryError> {
                let (name, collection) = registry::requested_type(type_name);
                let name = if collection {
                    name
                } else {
                    registry::derived_type(name, json, derived_types(name))
                };
                match name {
                    #(#decode_arms)*
                    other => Err(RegistryError::UnknownType(other.to_string())),
                }
            }

            /// The OData name of the value's type (`None` for a collection).
            pub fn odata_type(&self) -> Option<&'static str> {
                match self {
                    #(#name_arms)*
                    AnyModel::Collection(_) => None,
                }
            }
        }

        impl Serialize for AnyModel {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    AnyModel::Collection(items) => items.serialize(serializer),
                }
            }
        }

        fn decode_as<T: DeserializeOwned>(
            json: &str,
            collection: bool,
            wrap: fn(T) -> AnyModel,
        ) -> Result<AnyModel, RegistryError> {
            registry::decode_as(json, collection, wrap, AnyModel::Collection)
        }

        /// Types derived (directly or not) from `base` that the registry knows.
        fn derived_types(base: &str) -> &'static [&'static str] {
            match base {
                #(#derived_arms)*
                _ => &[],
            }
        }
    }
}
