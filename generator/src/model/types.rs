//! The resolved model: every name qualified with its namespace (aliases gone),
//! every type reference checked, base types and bound operations linked.

use crate::csdl::{ConstantKind, Expr, OperationKind, StructuredKind};
use crate::error::Location;
use std::collections::BTreeMap;

/// A namespace-qualified name, e.g. `microsoft.graph.synchronizationJob`.
pub type FullName = String;

/// The `Edm` primitive types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    Binary,
    Boolean,
    Byte,
    Date,
    DateTimeOffset,
    Decimal,
    Double,
    Duration,
    Guid,
    Int16,
    Int32,
    Int64,
    SByte,
    Single,
    Stream,
    String,
    TimeOfDay,
    Untyped,
    /// `Edm.Geography*`, `Edm.Geometry*`: kept as JSON.
    Spatial,
    /// Abstract `Edm.PrimitiveType`, `Edm.ComplexType`, `Edm.EntityType`, ...
    Abstract,
}

impl Primitive {
    /// Maps `Edm.X` (the part after `Edm.`) to a primitive.
    pub fn from_edm(name: &str) -> Option<Primitive> {
        Some(match name {
            "Binary" => Primitive::Binary,
            "Boolean" => Primitive::Boolean,
            "Byte" => Primitive::Byte,
            "Date" => Primitive::Date,
            "DateTimeOffset" => Primitive::DateTimeOffset,
            "Decimal" => Primitive::Decimal,
            "Double" => Primitive::Double,
            "Duration" => Primitive::Duration,
            "Guid" => Primitive::Guid,
            "Int16" => Primitive::Int16,
            "Int32" => Primitive::Int32,
            "Int64" => Primitive::Int64,
            "SByte" => Primitive::SByte,
            "Single" => Primitive::Single,
            "Stream" => Primitive::Stream,
            "String" => Primitive::String,
            "TimeOfDay" => Primitive::TimeOfDay,
            "Untyped" => Primitive::Untyped,
            "PrimitiveType"
            | "ComplexType"
            | "EntityType"
            | "AnnotationPath"
            | "PropertyPath"
            | "NavigationPropertyPath"
            | "AnyPropertyPath"
            | "ModelElementPath" => Primitive::Abstract,
            other if other.starts_with("Geography") || other.starts_with("Geometry") => {
                Primitive::Spatial
            }
            _ => return None,
        })
    }

    /// The `Edm.` name, for messages and the slice writer.
    pub fn edm_name(self) -> &'static str {
        match self {
            Primitive::Binary => "Edm.Binary",
            Primitive::Boolean => "Edm.Boolean",
            Primitive::Byte => "Edm.Byte",
            Primitive::Date => "Edm.Date",
            Primitive::DateTimeOffset => "Edm.DateTimeOffset",
            Primitive::Decimal => "Edm.Decimal",
            Primitive::Double => "Edm.Double",
            Primitive::Duration => "Edm.Duration",
            Primitive::Guid => "Edm.Guid",
            Primitive::Int16 => "Edm.Int16",
            Primitive::Int32 => "Edm.Int32",
            Primitive::Int64 => "Edm.Int64",
            Primitive::SByte => "Edm.SByte",
            Primitive::Single => "Edm.Single",
            Primitive::Stream => "Edm.Stream",
            Primitive::String => "Edm.String",
            Primitive::TimeOfDay => "Edm.TimeOfDay",
            Primitive::Untyped => "Edm.Untyped",
            Primitive::Spatial => "Edm.Geography",
            Primitive::Abstract => "Edm.PrimitiveType",
        }
    }
}

/// What a type reference points at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeTarget {
    Primitive(Primitive),
    Named(FullName),
}

/// A resolved type reference: `Collection(...)` or single.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeUse {
    pub collection: bool,
    pub target: TypeTarget,
}

impl TypeUse {
    /// The named type this reference mentions, if any.
    pub fn named(&self) -> Option<&str> {
        match &self.target {
            TypeTarget::Named(name) => Some(name),
            TypeTarget::Primitive(_) => None,
        }
    }
}

impl std::fmt::Display for TypeUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = match &self.target {
            TypeTarget::Primitive(p) => p.edm_name(),
            TypeTarget::Named(name) => name,
        };
        if self.collection {
            write!(f, "Collection({inner})")
        } else {
            f.write_str(inner)
        }
    }
}

/// A structural or navigation property as declared on its type.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyDef {
    pub name: String,
    pub ty: TypeUse,
    /// CSDL `Nullable` (default true).
    pub nullable: bool,
    pub default_value: Option<String>,
    /// `Some` for navigation properties.
    pub navigation: Option<Navigation>,
    /// The type that declares the property (a base type for inherited ones).
    pub declared_in: FullName,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Navigation {
    pub contains_target: bool,
    pub partner: Option<String>,
}

/// An entity or complex type.
#[derive(Debug, Clone, PartialEq)]
pub struct StructuredDef {
    pub name: FullName,
    pub kind: StructuredKind,
    pub base: Option<FullName>,
    pub is_abstract: bool,
    pub open_type: bool,
    pub has_stream: bool,
    pub key: Vec<String>,
    /// Own properties only; see [`super::Model::all_properties`] for inherited ones.
    pub properties: Vec<PropertyDef>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumMemberDef {
    pub name: String,
    pub value: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    pub name: FullName,
    pub is_flags: bool,
    pub underlying: Primitive,
    pub members: Vec<EnumMemberDef>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDefinitionDef {
    pub name: FullName,
    pub underlying: Primitive,
    pub location: Location,
}

/// Any named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    Structured(StructuredDef),
    Enum(EnumDef),
    Definition(TypeDefinitionDef),
}

impl TypeDef {
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Structured(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
            TypeDef::Definition(d) => &d.name,
        }
    }

    pub fn location(&self) -> Location {
        match self {
            TypeDef::Structured(s) => s.location,
            TypeDef::Enum(e) => e.location,
            TypeDef::Definition(d) => d.location,
        }
    }

    /// "entity type", "complex type", "enum type", "flags enum type", "type definition".
    pub fn kind_label(&self) -> &'static str {
        match self {
            TypeDef::Structured(s) if s.kind == StructuredKind::Entity => "entity type",
            TypeDef::Structured(_) => "complex type",
            TypeDef::Enum(e) if e.is_flags => "flags enum type",
            TypeDef::Enum(_) => "enum type",
            TypeDef::Definition(_) => "type definition",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParameterDef {
    pub name: String,
    pub ty: TypeUse,
    pub nullable: bool,
}

/// The binding parameter of a bound operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// As written: Graph uses `bindingParameter`, `bindparameter` and others.
    pub parameter_name: String,
    pub ty: TypeUse,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OperationDef {
    pub kind: OperationKind,
    pub name: FullName,
    pub binding: Option<Binding>,
    /// Parameters after the binding parameter.
    pub parameters: Vec<ParameterDef>,
    pub return_type: Option<ParameterDef>,
    pub is_composable: bool,
    pub location: Location,
}

impl OperationDef {
    /// The binding parameter's type as written (`Collection(ns.t)` or `ns.t`);
    /// empty for an unbound operation.
    pub fn binding_type(&self) -> String {
        self.binding
            .as_ref()
            .map(|b| b.ty.to_string())
            .unwrap_or_default()
    }

    /// The unqualified name, as it appears in a URL path.
    pub fn local_name(&self) -> &str {
        local_name(&self.name)
    }
}

/// An entity set or singleton of the entity container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntrySetDef {
    pub name: String,
    pub entity_type: FullName,
    pub singleton: bool,
}

/// One annotation with its term resolved (aliases expanded).
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotationDef {
    pub term: FullName,
    pub qualifier: Option<String>,
    pub value: Option<Expr>,
    /// The `fixups` rule that supplied this annotation where Graph's metadata
    /// lacks it; `None` for annotations read from the document.
    pub supplied_by: Option<&'static str>,
}

impl AnnotationDef {
    /// The `PropertyValue` named `property` when the value is a record.
    pub fn record_value(&self, property: &str) -> Option<&Expr> {
        match &self.value {
            Some(Expr::Record(record)) => record
                .properties
                .iter()
                .find(|p| p.property == property)
                .map(|p| &p.value),
            _ => None,
        }
    }
}

/// Constant kinds are re-exported for emitters that look at annotation values.
pub type Constant = ConstantKind;

/// The last dot-separated segment of a qualified name.
pub fn local_name(full: &str) -> &str {
    full.rsplit_once('.').map_or(full, |(_, local)| local)
}

/// The namespace part of a qualified name.
pub fn namespace_of(full: &str) -> &str {
    full.rsplit_once('.').map_or("", |(ns, _)| ns)
}

/// Annotations by resolved target (`microsoft.graph.synchronization`,
/// `microsoft.graph.synchronization/secrets`, ...).
pub type AnnotationMap = BTreeMap<String, Vec<AnnotationDef>>;
