//! Structured values lowered: per struct its Rust name, doc and fields; per field
//! its JSON and Rust names, its doc, the type of one value and its [`FieldShape`].

use super::super::names::{self, NameScope};
use super::super::runtime::{self, RuntimeType};
use super::docs;
use super::space::{ParamStruct, TypeSpace};
use super::types::RustType;
use crate::model::{PropertyDef, StructuredDef, TypeUse};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// How a field holds its value: absent-or-value (`Option`) or absent-null-or-value
/// (`Nullable`), around one value, a boxed one or a collection. The one place that
/// knows what each wrapping means for the field's type, its setter and its codec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldShape {
    /// One value, held inline: `Option<T>` / `Nullable<T>`.
    Single { nullable: bool },
    /// One value that leads back to its owner, so boxed: `Option<Box<T>>`.
    Boxed { nullable: bool },
    /// A JSON array: `Option<Vec<T>>`.
    Collection { nullable: bool },
}

impl FieldShape {
    fn of(ty: &TypeUse, nullable: bool, boxed: bool) -> FieldShape {
        if ty.collection {
            FieldShape::Collection { nullable }
        } else if boxed {
            FieldShape::Boxed { nullable }
        } else {
            FieldShape::Single { nullable }
        }
    }

    /// Whether the field tells `null` from absent (`Nullable` rather than `Option`).
    pub fn nullable(self) -> bool {
        match self {
            FieldShape::Single { nullable }
            | FieldShape::Boxed { nullable }
            | FieldShape::Collection { nullable } => nullable,
        }
    }

    /// The value without the presence wrapper: `T`, `Box<T>` or `Vec<T>`.
    pub fn value_type(self, element: &TokenStream) -> TokenStream {
        match self {
            FieldShape::Single { .. } => element.clone(),
            FieldShape::Boxed { .. } => quote!(Box<#element>),
            FieldShape::Collection { .. } => quote!(Vec<#element>),
        }
    }

    /// The field's type: `Option<...>` or `Nullable<...>`.
    pub fn field_type(self, element: &TokenStream) -> TokenStream {
        let value = self.value_type(element);
        if self.nullable() {
            let nullable = runtime::NULLABLE.ident();
            quote!(#nullable<#value>)
        } else {
            quote!(Option<#value>)
        }
    }

    /// `value` (of the value type) as present: `Some(value)` or `Nullable::Value(value)`.
    pub fn present(self, value: TokenStream) -> TokenStream {
        if self.nullable() {
            let nullable = runtime::NULLABLE.ident();
            quote!(#nullable::Value(#value))
        } else {
            quote!(Some(#value))
        }
    }

    /// The setter's parameter and the expression of the value it sets.
    pub fn setter_input(self, element: &TokenStream) -> (TokenStream, TokenStream) {
        match self {
            FieldShape::Single { .. } => (
                quote!(value: impl Into<#element>),
                self.present(quote!(value.into())),
            ),
            FieldShape::Boxed { .. } => (
                quote!(value: impl Into<#element>),
                self.present(quote!(Box::new(value.into()))),
            ),
            FieldShape::Collection { .. } => (
                quote!(values: impl IntoIterator<Item = impl Into<#element>>),
                self.present(quote!(values.into_iter().map(Into::into).collect())),
            ),
        }
    }

    /// What the setter's doc adds after "Sets `name`".
    pub fn setter_note(self) -> &'static str {
        if self.nullable() {
            " to a value (assign `Nullable::Null` to send `null`)"
        } else {
            ""
        }
    }

    /// The decode arm's assignment of the next map value to `field`.
    pub fn decode(self, field: &TokenStream) -> TokenStream {
        if self.nullable() {
            quote!(#field = map.next_value()?)
        } else {
            quote!(#field = Some(map.next_value()?))
        }
    }

    /// The runtime encoder for the field: absent is skipped, and `null` is written
    /// only for a `Nullable`.
    pub fn encoder(self) -> TokenStream {
        let object = runtime::OBJECT.ident();
        if self.nullable() {
            quote!(#object::encode_nullable)
        } else {
            quote!(#object::encode_optional)
        }
    }
}

/// One field of a generated struct.
#[derive(Debug, Clone)]
pub struct Field {
    pub json_name: String,
    pub rust_name: String,
    /// The builder-style setter's name (`set_<field>` where the field's would
    /// shadow a trait method).
    pub setter_name: String,
    pub shape: FieldShape,
    /// The type of one value: the item of a collection, the inside of a `Box`.
    pub element: RustType,
    /// Redacted in `Debug`.
    pub secret: bool,
    pub doc: Vec<String>,
}

/// A generated struct: an entity or complex type, or the parameters of bound actions.
#[derive(Debug, Clone)]
pub struct Object {
    pub rust_name: String,
    /// `ODATA_TYPE`: the qualified name, or the parameters' registry key.
    pub odata_type: String,
    pub doc: Vec<String>,
    pub fields: Vec<Field>,
}

impl Object {
    /// Generated models the fields name, other than the struct itself.
    pub fn model_imports(&self) -> BTreeSet<&str> {
        self.fields
            .iter()
            .filter_map(|f| f.element.model())
            .filter(|m| *m != self.rust_name)
            .collect()
    }

    /// Runtime value types the fields name.
    pub fn runtime_imports(&self) -> BTreeSet<RuntimeType> {
        self.fields
            .iter()
            .filter_map(|f| f.element.runtime())
            .collect()
    }
}

/// Lowers an entity or complex type.
pub fn structured(space: &TypeSpace<'_>, def: &StructuredDef, rust_name: &str) -> Object {
    let model = space.model;
    let mut scope = NameScope::with_reserved(&["additional_properties"]);
    let fields: Vec<Field> = model
        .all_properties(&def.name)
        .into_iter()
        .map(|p| property_field(space, def, p, &mut scope))
        .collect();
    let mut doc = docs::description_paragraph(model, &def.name);
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
    Object {
        rust_name: rust_name.to_string(),
        odata_type: def.name.clone(),
        doc,
        fields,
    }
}

/// Lowers the parameter object of one or more bound actions.
pub fn parameters(space: &TypeSpace<'_>, params: &ParamStruct) -> Object {
    let mut scope = NameScope::with_reserved(&["additional_properties"]);
    let fields: Vec<Field> = params
        .parameters
        .iter()
        .map(|p| {
            let rust_name = scope.claim(names::field_name(&p.name));
            let mut doc = vec![format!("JSON `{}`.", p.name)];
            if is_secret_type(space, &p.ty) {
                doc.push("Carries secrets: their values are redacted in `Debug`.".to_string());
            }
            // The value's own `Debug` redacts; the field needs no redaction.
            let secret = false;
            let shape = FieldShape::of(&p.ty, p.nullable, false);
            Field::new(
                &p.name,
                rust_name,
                shape,
                space.rust_type(&p.ty),
                secret,
                doc,
            )
        })
        .collect();
    let operations: Vec<String> = params
        .operations
        .iter()
        .filter_map(|&i| space.model.operations.get(i))
        .map(|op| {
            let binding = op.binding_type();
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
    Object {
        rust_name: params.rust_name.clone(),
        odata_type: params.key.clone(),
        doc,
        fields,
    }
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
) -> Field {
    let boxed = space.is_boxed(&def.name, &p.name);
    let secret = space.profile.is_secret(&p.declared_in, &p.name)
        || space.profile.is_secret(&def.name, &p.name);
    let rust_name = scope.claim(names::field_name(&p.name));
    let shape = FieldShape::of(&p.ty, p.nullable, boxed);
    let doc = docs::property_lines(space.model, p, secret);
    Field::new(
        &p.name,
        rust_name,
        shape,
        space.rust_type(&p.ty),
        secret,
        doc,
    )
}

impl Field {
    /// A field named `rust_name` in Rust; its setter's name follows from it.
    fn new(
        json_name: &str,
        rust_name: String,
        shape: FieldShape,
        element: RustType,
        secret: bool,
        doc: Vec<String>,
    ) -> Field {
        Field {
            json_name: json_name.to_string(),
            setter_name: setter_name(&rust_name),
            rust_name,
            shape,
            element,
            secret,
            doc,
        }
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
fn setter_name(field: &str) -> String {
    if TRAIT_METHODS.contains(&field) {
        format!("set_{field}")
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(tokens: TokenStream) -> String {
        tokens.to_string()
    }

    #[test]
    fn each_shape_wraps_and_sets_its_value() {
        let t = quote!(T);
        let optional_list = FieldShape::Collection { nullable: false };
        assert_eq!(text(optional_list.field_type(&t)), "Option < Vec < T > >");
        assert_eq!(
            text(optional_list.setter_input(&t).1),
            "Some (values . into_iter () . map (Into :: into) . collect ())"
        );
        let nullable_box = FieldShape::Boxed { nullable: true };
        assert_eq!(text(nullable_box.field_type(&t)), "Nullable < Box < T > >");
        assert_eq!(
            text(nullable_box.setter_input(&t).1),
            "Nullable :: Value (Box :: new (value . into ()))"
        );
        assert_eq!(text(nullable_box.encoder()), "object :: encode_nullable");
        let single = FieldShape::Single { nullable: false };
        assert_eq!(text(single.field_type(&t)), "Option < T >");
        assert_eq!(
            text(single.decode(&quote!(self.x))),
            "self . x = Some (map . next_value () ?)"
        );
        assert_eq!(single.setter_note(), "");
        let list = TypeUse {
            collection: true,
            target: crate::model::TypeTarget::Primitive(crate::model::Primitive::String),
        };
        assert_eq!(
            FieldShape::of(&list, true, true),
            FieldShape::Collection { nullable: true }
        );
        let one = TypeUse {
            collection: false,
            ..list
        };
        assert_eq!(
            FieldShape::of(&one, false, true),
            FieldShape::Boxed { nullable: false }
        );
    }
}
