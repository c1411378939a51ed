//! Typed CSDL (OData 4.0 EDMX) as written in the file: names are kept exactly as
//! written (aliases unresolved); resolution happens in `model`.

use crate::error::Location;
use std::collections::BTreeMap;

/// One parsed CSDL document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Csdl {
    /// The file name or URL the document was read from, used in error messages.
    pub source: String,
    /// `Edmx/@Version`.
    pub version: String,
    pub references: Vec<Reference>,
    pub schemas: Vec<Schema>,
    /// Elements and attributes the reader saw but does not model, counted by
    /// `Element` or `Element@Attribute`, so nothing is dropped silently.
    pub unmodelled: BTreeMap<String, usize>,
    /// Deviations from the CSDL spec that lose no meaning, read as what the spec
    /// says they mean (in document order). The reader never prints them;
    /// `inspect` lists them and the slice writer writes the spec form.
    pub deviations: Vec<Deviation>,
}

/// One tolerated deviation from the CSDL spec: where it is, what was found and
/// what it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deviation {
    pub file: String,
    /// The location of the attribute.
    pub location: Location,
    /// The element's qualified name as written, e.g. `Property`.
    pub element: String,
    pub attribute: String,
    /// The value as written, e.g. `Variable`.
    pub found: String,
    /// The value it was read as, e.g. `variable`.
    pub read_as: String,
    /// The name of the rule that tolerates it (see the reader's `tolerate` module).
    pub rule: &'static str,
    /// Where the spec defines the value.
    pub reference: &'static str,
}

impl std::fmt::Display for Deviation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: in <{}>: attribute `{}` has value {:?}, read as {:?} ({}; {})",
            self.file,
            self.location,
            self.element,
            self.attribute,
            self.found,
            self.read_as,
            self.rule,
            self.reference
        )
    }
}

/// `edmx:Reference` with its `edmx:Include`s.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reference {
    pub uri: String,
    pub includes: Vec<Include>,
    pub location: Location,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Include {
    pub namespace: String,
    pub alias: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schema {
    pub namespace: String,
    pub alias: Option<String>,
    pub entity_types: Vec<StructuredType>,
    pub complex_types: Vec<StructuredType>,
    pub enum_types: Vec<EnumType>,
    pub type_definitions: Vec<TypeDefinition>,
    /// Actions and functions in file order; overloads share a name.
    pub operations: Vec<Operation>,
    pub terms: Vec<Term>,
    pub entity_container: Option<EntityContainer>,
    /// `Annotations` blocks (external targeting).
    pub annotations: Vec<Annotations>,
    /// `Annotation` elements directly inside `Schema`.
    pub inline_annotations: Vec<Annotation>,
    pub location: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StructuredKind {
    Entity,
    Complex,
}

/// `EntityType` or `ComplexType`.
#[derive(Debug, Clone, PartialEq)]
pub struct StructuredType {
    pub kind: StructuredKind,
    pub name: String,
    pub base_type: Option<String>,
    pub is_abstract: bool,
    pub open_type: bool,
    /// Entity types only.
    pub has_stream: bool,
    /// Entity types only: `Key/PropertyRef/@Name` (and `@Alias` ignored).
    pub key: Vec<String>,
    pub properties: Vec<Property>,
    pub navigation_properties: Vec<NavigationProperty>,
    pub annotations: Vec<Annotation>,
    pub location: Location,
}

/// A type reference as written: `graph.x`, `Edm.String`, `Collection(self.y)`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeRef {
    pub collection: bool,
    /// The qualified name inside `Collection(...)` if any, as written.
    pub name: String,
}

impl TypeRef {
    /// Parses `Collection(X)` or `X`; returns `None` for an empty or unbalanced text.
    pub fn parse(text: &str) -> Option<TypeRef> {
        let text = text.trim();
        let (collection, name) = match text.strip_prefix("Collection(") {
            Some(rest) => (true, rest.strip_suffix(')')?),
            None => (false, text),
        };
        if name.is_empty() || name.contains(['(', ')', ' ']) {
            return None;
        }
        Some(TypeRef {
            collection,
            name: name.to_string(),
        })
    }
}

impl std::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.collection {
            write!(f, "Collection({})", self.name)
        } else {
            f.write_str(&self.name)
        }
    }
}

/// Type facets shared by properties, parameters, return types, terms and type definitions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub nullable: Option<bool>,
    /// `MaxLength`: a number or `max`, kept as written.
    pub max_length: Option<String>,
    pub precision: Option<u32>,
    /// `Scale`: a number, `variable` or `floating`, kept as written.
    pub scale: Option<String>,
    pub unicode: Option<bool>,
    pub srid: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub name: String,
    pub type_ref: TypeRef,
    pub facets: Facets,
    pub default_value: Option<String>,
    pub annotations: Vec<Annotation>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NavigationProperty {
    pub name: String,
    pub type_ref: TypeRef,
    pub nullable: Option<bool>,
    pub partner: Option<String>,
    pub contains_target: bool,
    pub annotations: Vec<Annotation>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumType {
    pub name: String,
    /// `Edm.Int32` when absent.
    pub underlying_type: Option<String>,
    pub is_flags: bool,
    pub members: Vec<EnumMember>,
    pub annotations: Vec<Annotation>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumMember {
    pub name: String,
    /// The explicit value, or the implicit one (previous + 1, starting at 0).
    pub value: i64,
    pub explicit_value: bool,
    pub annotations: Vec<Annotation>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDefinition {
    pub name: String,
    pub underlying_type: String,
    pub facets: Facets,
    pub annotations: Vec<Annotation>,
    pub location: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OperationKind {
    Action,
    Function,
}

/// `Action` or `Function`.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub kind: OperationKind,
    pub name: String,
    pub is_bound: bool,
    /// Functions only.
    pub is_composable: bool,
    pub entity_set_path: Option<String>,
    pub parameters: Vec<Parameter>,
    pub return_type: Option<ReturnType>,
    pub annotations: Vec<Annotation>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub type_ref: TypeRef,
    pub facets: Facets,
    pub annotations: Vec<Annotation>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReturnType {
    pub type_ref: TypeRef,
    pub facets: Facets,
    pub annotations: Vec<Annotation>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub name: String,
    pub type_ref: TypeRef,
    pub base_term: Option<String>,
    /// `AppliesTo`, split on whitespace.
    pub applies_to: Vec<String>,
    pub default_value: Option<String>,
    pub facets: Facets,
    pub annotations: Vec<Annotation>,
    pub location: Location,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntityContainer {
    pub name: String,
    pub extends: Option<String>,
    pub entity_sets: Vec<EntitySet>,
    pub singletons: Vec<Singleton>,
    pub action_imports: Vec<ActionImport>,
    pub function_imports: Vec<FunctionImport>,
    pub annotations: Vec<Annotation>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EntitySet {
    pub name: String,
    pub entity_type: String,
    pub include_in_service_document: Option<bool>,
    pub navigation_property_bindings: Vec<NavigationPropertyBinding>,
    pub annotations: Vec<Annotation>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Singleton {
    pub name: String,
    pub type_name: String,
    pub navigation_property_bindings: Vec<NavigationPropertyBinding>,
    pub annotations: Vec<Annotation>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavigationPropertyBinding {
    pub path: String,
    pub target: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActionImport {
    pub name: String,
    pub action: String,
    pub entity_set: Option<String>,
    pub annotations: Vec<Annotation>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FunctionImport {
    pub name: String,
    pub function: String,
    pub entity_set: Option<String>,
    pub include_in_service_document: Option<bool>,
    pub annotations: Vec<Annotation>,
    pub location: Location,
}

/// An `Annotations` block: annotations applied to an element named by `target`.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotations {
    pub target: String,
    pub qualifier: Option<String>,
    pub annotations: Vec<Annotation>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// The term's qualified name as written (may use an alias).
    pub term: String,
    pub qualifier: Option<String>,
    /// `None` when the annotation has no value (the term's default applies).
    pub value: Option<Expr>,
    /// Annotations of the annotation.
    pub annotations: Vec<Annotation>,
    pub location: Location,
}

/// An annotation expression. Constant and path expressions are given as an
/// attribute (`String="..."`) or as a child element (`<String>...</String>`); both
/// read to the same value.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    String(String),
    Bool(bool),
    Int(i64),
    /// `Float`, kept as written.
    Float(String),
    /// `Decimal`, kept as written.
    Decimal(String),
    /// `Date`, `DateTimeOffset`, `TimeOfDay`, `Duration`, `Guid`, `Binary`: kept as written.
    Temporal {
        kind: ConstantKind,
        text: String,
    },
    EnumMember(String),
    Path(String),
    PropertyPath(String),
    NavigationPropertyPath(String),
    AnnotationPath(String),
    ModelElementPath(String),
    Null,
    Record(Record),
    Collection(Vec<Expr>),
    /// A dynamic expression (`Apply`, `If`, `Cast`, ...) that the reader does not
    /// model; also counted in `Csdl::unmodelled`.
    Unmodelled {
        element: String,
    },
}

/// Constant kinds kept verbatim as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConstantKind {
    Date,
    DateTimeOffset,
    TimeOfDay,
    Duration,
    Guid,
    Binary,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub type_name: Option<String>,
    pub properties: Vec<PropertyValue>,
    pub annotations: Vec<Annotation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PropertyValue {
    pub property: String,
    pub value: Expr,
    pub annotations: Vec<Annotation>,
}
