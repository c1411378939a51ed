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
    let use_runtime = runtime::imports(&[
        Import::Module(runtime::JSON),
        Import::Type(runtime::DECODE_ERROR),
    ]);
    quote! {
        use super::{#(#imports),*};
        #use_runtime
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

        /// Why [`AnyModel::decode`] failed.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum RegistryError {
            /// The name is not a type of this crate.
            UnknownType(String),
            /// The JSON does not decode as the type; names the JSON path.
            Decode(DecodeError),
        }

        impl std::fmt::Display for RegistryError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    RegistryError::UnknownType(name) => write!(f, "unknown type `{name}`"),
                    RegistryError::Decode(err) => err.fmt(f),
                }
            }
        }

        impl std::error::Error for RegistryError {}

        impl From<DecodeError> for RegistryError {
            fn from(err: DecodeError) -> Self {
                RegistryError::Decode(err)
            }
        }

        impl AnyModel {
            /// Decodes `json` as the type named `type_name` (`microsoft.graph.x`, with or
            /// without a leading `#`, or `Collection(microsoft.graph.x)`). A JSON object
            /// whose `@odata.type` names a type derived from the requested one is
            /// decoded as that derived type.
            pub fn decode(type_name: &str, json: &str) -> Result<AnyModel, RegistryError> {
                let name = type_name.trim().trim_start_matches('#');
                let (name, collection) = match name
                    .strip_prefix("Collection(")
                    .and_then(|rest| rest.strip_suffix(')'))
                {
                    Some(inner) => (inner.trim_start_matches('#'), true),
                    None => (name, false),
                };
                let name = if collection { name } else { derived_type(name, json) };
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
            if collection {
                let items: Vec<T> = json::from_str(json)?;
                Ok(AnyModel::Collection(items.into_iter().map(wrap).collect()))
            } else {
                Ok(wrap(json::from_str(json)?))
            }
        }

        /// The `@odata.type` of a JSON object when it names a type derived from
        /// `requested`; otherwise `requested`.
        fn derived_type<'a>(requested: &'a str, json: &'a str) -> &'a str {
            #[derive(serde::Deserialize)]
            struct Probe {
                #[serde(rename = "@odata.type")]
                odata_type: Option<String>,
            }
            let derived = derived_types(requested);
            if derived.is_empty() {
                return requested;
            }
            let Ok(Probe { odata_type: Some(found) }) = serde_json::from_str::<Probe>(json) else {
                return requested;
            };
            let found = found.trim_start_matches('#');
            derived.iter().copied().find(|d| *d == found).unwrap_or(requested)
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
