//! The emitter for structured values: entity and complex types, and the parameter
//! objects of bound actions. One shape for both: public fields, builder-style
//! setters, `Default`, and lossless (de)serialization through `runtime::object`.

use super::docs;
use super::names::{self, NameScope};
use super::runtime::{self, Import};
use super::space::{Imports, ParamStruct, TypeSpace};
use crate::model::{PropertyDef, StructuredDef, TypeUse};
use proc_macro2::TokenStream;
use quote::quote;

/// One field of a generated struct.
struct Field {
    json_name: String,
    rust_name: String,
    /// The value type without Option/Nullable.
    value_type: TokenStream,
    /// The type of one value: the item of a collection, the inside of a `Box`.
    element_type: TokenStream,
    /// `Option` (absent or value) rather than `Nullable` (absent, null or value).
    optional_only: bool,
    collection: bool,
    boxed: bool,
    secret: bool,
    doc: Vec<String>,
}

/// Emits an entity or complex type.
pub fn structured(space: &TypeSpace<'_>, def: &StructuredDef, rust_name: &str) -> TokenStream {
    let model = space.model;
    let mut imports = Imports::default();
    let mut scope = NameScope::with_reserved(&["additional_properties"]);
    let fields: Vec<Field> = model
        .all_properties(&def.name)
        .into_iter()
        .map(|p| property_field(space, def, p, &mut scope, &mut imports))
        .collect();
    let mut doc = docs::description(model, &def.name);
    if !doc.is_empty() {
        doc.push(String::new());
    }
    let kind = if space.is_entity(&def.name) {
        "entity type"
    } else {
        "complex type"
    };
    doc.push(format!("The Graph {kind} `{}`.", def.name));
    if let Some(base) = &def.base {
        doc.push(format!("Base type `{base}`: its properties are included."));
    }
    if def.is_abstract {
        doc.push("Abstract in the metadata: Graph sends one of its derived types.".to_string());
    }
    if def.has_stream {
        doc.push(
            "A media entity (`HasStream`): its content is uploaded, not read as JSON.".to_string(),
        );
    }
    emit_object(rust_name, &def.name, &doc, &fields, imports)
}

/// Emits the parameter object of one or more bound actions.
pub fn parameters(space: &TypeSpace<'_>, params: &ParamStruct) -> TokenStream {
    let mut imports = Imports::default();
    let mut scope = NameScope::with_reserved(&["additional_properties"]);
    let fields: Vec<Field> = params
        .parameters
        .iter()
        .map(|p| {
            let rust_name = scope.claim(names::field_name(&p.name));
            let secret = is_secret_type(space, &p.ty);
            let mut doc = vec![format!("JSON `{}`.", p.name)];
            if secret {
                doc.push("Carries secrets: their values are redacted in `Debug`.".to_string());
            }
            Field {
                json_name: p.name.clone(),
                rust_name,
                value_type: space.value_type(&p.ty, false, &mut imports),
                element_type: space.value_type(&single(&p.ty), false, &mut imports),
                optional_only: !p.nullable,
                collection: p.ty.collection,
                boxed: false,
                secret: false,
                doc,
            }
        })
        .collect();
    let operations: Vec<String> = params
        .operations
        .iter()
        .filter_map(|&i| space.model.operations.get(i))
        .map(|op| {
            let binding = op
                .binding
                .as_ref()
                .map(|b| b.ty.to_string())
                .unwrap_or_default();
            format!("`{}` bound to `{binding}`", op.name)
        })
        .collect();
    let doc = vec![
        format!(
            "The request body of the action {}.",
            operations.join(" and ")
        ),
        String::new(),
        format!("Registry name: `{}`.", params.key),
    ];
    emit_object(&params.rust_name, &params.key, &doc, &fields, imports)
}

/// Whether a value of this type carries profile-marked secrets (so its own Debug redacts).
fn is_secret_type(space: &TypeSpace<'_>, ty: &TypeUse) -> bool {
    ty.named().is_some_and(|name| {
        space.profile.secret_properties.iter().any(|entry| {
            entry
                .split_once('/')
                .is_some_and(|(owner, _)| owner == name)
        })
    })
}

fn property_field(
    space: &TypeSpace<'_>,
    def: &StructuredDef,
    p: &PropertyDef,
    scope: &mut NameScope,
    imports: &mut Imports,
) -> Field {
    let boxed = space.is_boxed(&def.name, &p.name);
    let secret = space.profile.is_secret(&p.declared_in, &p.name)
        || space.profile.is_secret(&def.name, &p.name);
    let optional_only = !p.nullable;
    Field {
        json_name: p.name.clone(),
        rust_name: scope.claim(names::field_name(&p.name)),
        value_type: space.value_type(&p.ty, boxed, imports),
        element_type: space.value_type(&single(&p.ty), false, imports),
        optional_only,
        collection: p.ty.collection,
        boxed,
        secret,
        doc: docs::property_lines(space.model, p, secret),
    }
}

fn emit_object(
    rust_name: &str,
    odata_type: &str,
    doc: &[String],
    fields: &[Field],
    imports: Imports,
) -> TokenStream {
    let name = names::ident(rust_name);
    let doc = docs::doc_attrs(doc);
    let any_secret = fields.iter().any(|f| f.secret);
    let any_nullable = fields.iter().any(|f| !f.optional_only);
    let field_defs = fields.iter().map(|f| {
        let ident = names::ident(&f.rust_name);
        let ty = wrapped(f);
        let doc = docs::doc_attrs(&f.doc);
        quote! { #doc pub #ident: #ty, }
    });
    let setters = fields.iter().map(setter);
    let decode_arms = fields.iter().map(|f| {
        let ident = names::ident(&f.rust_name);
        let key = &f.json_name;
        if f.optional_only {
            quote!(#key => self.#ident = Some(map.next_value()?),)
        } else {
            quote!(#key => self.#ident = map.next_value()?,)
        }
    });
    let encode_calls = fields.iter().map(|f| {
        let ident = names::ident(&f.rust_name);
        let key = &f.json_name;
        if f.optional_only {
            quote!(object::encode_optional(map, #key, &self.#ident)?;)
        } else {
            quote!(object::encode_nullable(map, #key, &self.#ident)?;)
        }
    });
    let derive_debug = if any_secret { quote!() } else { quote!(Debug,) };
    let debug_impl = if any_secret {
        debug_impl(rust_name, fields)
    } else {
        quote!()
    };
    let use_models = model_imports(&imports, rust_name);
    let use_runtime = runtime_imports(&imports, any_nullable, any_secret);
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

fn wrapped(f: &Field) -> TokenStream {
    let value = &f.value_type;
    if f.optional_only {
        quote!(Option<#value>)
    } else {
        quote!(Nullable<#value>)
    }
}

/// Method names of traits every generated struct implements: a setter with one of
/// these names would shadow the trait method (`SynchronizationTemplate::default()`),
/// so such setters are called `set_<field>`.
const TRAIT_METHODS: &[&str] = &[
    "default",
    "clone",
    "clone_from",
    "eq",
    "ne",
    "fmt",
    "serialize",
    "deserialize",
    "decode_field",
    "encode_fields",
    "additional_properties",
    "additional_properties_mut",
    "into",
    "from",
    "try_into",
    "try_from",
    "to_owned",
    "borrow",
    "type_id",
];

/// The setter's name: the field's, or `set_<field>` where that would shadow a trait method.
pub fn setter_name(field: &str) -> String {
    if TRAIT_METHODS.contains(&field) {
        format!("set_{field}")
    } else {
        field.to_string()
    }
}

/// A builder-style setter named like the field: `job.template_id("x")`.
fn setter(f: &Field) -> TokenStream {
    let field_ident = names::ident(&f.rust_name);
    let ident = names::ident(&setter_name(&f.rust_name));
    let value_type = &f.value_type;
    let wrap = |value: TokenStream| {
        if f.optional_only {
            quote!(Some(#value))
        } else {
            quote!(Nullable::Value(#value))
        }
    };
    let doc = format!(
        " Sets `{}`{}.",
        f.json_name,
        if f.optional_only {
            ""
        } else {
            " to a value (assign `Nullable::Null` to send `null`)"
        }
    );
    if f.collection {
        let element = &f.element_type;
        let assigned = wrap(quote!(values.into_iter().map(Into::into).collect()));
        quote! {
            #[doc = #doc]
            #[must_use]
            pub fn #ident(mut self, values: impl IntoIterator<Item = impl Into<#element>>) -> Self {
                self.#field_ident = #assigned;
                self
            }
        }
    } else if f.boxed {
        let element = &f.element_type;
        let assigned = wrap(quote!(Box::new(value.into())));
        quote! {
            #[doc = #doc]
            #[must_use]
            pub fn #ident(mut self, value: impl Into<#element>) -> Self {
                self.#field_ident = #assigned;
                self
            }
        }
    } else {
        let assigned = wrap(quote!(value.into()));
        quote! {
            #[doc = #doc]
            #[must_use]
            pub fn #ident(mut self, value: impl Into<#value_type>) -> Self {
                self.#field_ident = #assigned;
                self
            }
        }
    }
}

/// The same type, one value rather than a collection.
fn single(ty: &TypeUse) -> TypeUse {
    TypeUse {
        collection: false,
        ..ty.clone()
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

fn model_imports(imports: &Imports, own: &str) -> TokenStream {
    let models: Vec<_> = imports
        .models
        .iter()
        .filter(|i| i.as_str() != own)
        .map(|i| names::ident(i))
        .collect();
    if models.is_empty() {
        quote!()
    } else {
        quote!(use super::{#(#models),*};)
    }
}

fn runtime_imports(imports: &Imports, nullable: bool, secret: bool) -> TokenStream {
    let mut items: Vec<Import> = imports.runtime.iter().copied().map(Import::Type).collect();
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
