//! The emitter for structured values: entity and complex types, and the parameter
//! objects of bound actions. One shape for both: public fields, builder-style
//! setters, `Default`, and lossless (de)serialization through `runtime::object`.

use super::docs;
use super::lower::fields::{Field, Object};
use super::names;
use super::runtime::{self, Import};
use proc_macro2::TokenStream;
use quote::quote;

/// Emits a struct: an entity or complex type, or the parameters of bound actions.
pub fn object(object: &Object) -> TokenStream {
    let rust_name = object.rust_name.as_str();
    let odata_type = &object.odata_type;
    let fields = &object.fields;
    let name = names::ident(rust_name);
    let doc = docs::doc_attrs(&object.doc);
    let any_secret = fields.iter().any(|f| f.secret);
    let any_nullable = fields.iter().any(|f| f.shape.nullable());
    let field_defs = fields.iter().map(|f| {
        let ident = names::ident(&f.rust_name);
        let ty = f.shape.field_type(&f.element.tokens());
        let doc = docs::doc_attrs(&f.doc);
        quote! { #doc pub #ident: #ty, }
    });
    let setters = fields.iter().map(setter);
    let decode_arms = fields.iter().map(|f| {
        let ident = names::ident(&f.rust_name);
        let key = &f.json_name;
        let assign = f.shape.decode(&quote!(self.#ident));
        quote!(#key => #assign,)
    });
    let encode_calls = fields.iter().map(|f| {
        let ident = names::ident(&f.rust_name);
        let key = &f.json_name;
        let encoder = f.shape.encoder();
        quote!(#encoder(map, #key, &self.#ident)?;)
    });
    let derive_debug = if any_secret { quote!() } else { quote!(Debug,) };
    let debug_impl = if any_secret {
        debug_impl(rust_name, fields)
    } else {
        quote!()
    };
    let use_models = model_imports(object);
    let use_runtime = runtime_imports(object, any_nullable, any_secret);
    let additional_doc = docs::doc_attrs(&[
        "Properties the metadata does not declare (newer Graph versions, `@odata.*`".to_string(),
        "annotations): kept on decode and written back on encode.".to_string(),
    ]);
    let decode_match = if fields.is_empty() {
        quote! { let _ = map; Ok(false) }
    } else {
        quote! {
            match key {
                #(#decode_arms)*
                _ => return Ok(false),
            }
            Ok(true)
        }
    };
    quote! {
        #use_models
        #use_runtime

        #doc
        #[derive(Clone, #derive_debug Default, PartialEq)]
        pub struct #name {
            #(#field_defs)*
            #additional_doc
            pub additional_properties: AdditionalProperties,
        }

        impl #name {
            #(#setters)*
        }

        impl GraphObject for #name {
            const ODATA_TYPE: &'static str = #odata_type;

            fn decode_field<'de, A: MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> Result<bool, A::Error> {
                #decode_match
            }

            fn encode_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                #(#encode_calls)*
                let _ = map;
                Ok(())
            }

            fn additional_properties(&self) -> &AdditionalProperties {
                &self.additional_properties
            }

            fn additional_properties_mut(&mut self) -> &mut AdditionalProperties {
                &mut self.additional_properties
            }
        }

        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                object::serialize(self, serializer)
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                object::deserialize(deserializer)
            }
        }

        #debug_impl
    }
}

/// A builder-style setter named like the field: `job.template_id("x")`.
fn setter(f: &Field) -> TokenStream {
    let field_ident = names::ident(&f.rust_name);
    let ident = names::ident(&f.setter_name);
    let (input, assigned) = f.shape.setter_input(&f.element.tokens());
    let doc = format!(" Sets `{}`{}.", f.json_name, f.shape.setter_note());
    quote! {
        #[doc = #doc]
        #[must_use]
        pub fn #ident(mut self, #input) -> Self {
            self.#field_ident = #assigned;
            self
        }
    }
}

/// `Debug` of a type with secret fields: those show only their shape, and so do
/// the undeclared properties (a secret sent as `"Value"` instead of `"value"` lands
/// there).
fn debug_impl(rust_name: &str, fields: &[Field]) -> TokenStream {
    let name = names::ident(rust_name);
    let entries = fields.iter().map(|f| {
        let ident = names::ident(&f.rust_name);
        let label = &f.rust_name;
        if f.secret {
            quote!(.field(#label, &Redacted(&self.#ident)))
        } else {
            quote!(.field(#label, &self.#ident))
        }
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#rust_name)
                    #(#entries)*
                    .field("additional_properties", &Redacted(&self.additional_properties))
                    .finish()
            }
        }
    }
}

fn model_imports(object: &Object) -> TokenStream {
    let models: Vec<_> = object
        .model_imports()
        .into_iter()
        .map(names::ident)
        .collect();
    if models.is_empty() {
        quote!()
    } else {
        quote!(use super::{#(#models),*};)
    }
}

fn runtime_imports(object: &Object, nullable: bool, secret: bool) -> TokenStream {
    let mut items: Vec<Import> = object
        .runtime_imports()
        .into_iter()
        .map(Import::Type)
        .collect();
    if nullable {
        items.push(Import::Type(runtime::NULLABLE));
    }
    if secret {
        items.push(Import::Type(runtime::REDACTED));
    }
    items.extend([
        Import::Module(runtime::OBJECT),
        Import::Type(runtime::ADDITIONAL_PROPERTIES),
        Import::Type(runtime::GRAPH_OBJECT),
    ]);
    let use_runtime = runtime::imports(&items);
    quote! {
        #use_runtime
        use serde::de::MapAccess;
        use serde::ser::SerializeMap;
        use serde::{Deserialize, Deserializer, Serialize, Serializer};
    }
}
