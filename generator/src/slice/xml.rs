//! Writes a [`Csdl`] back as EDMX XML: deterministic (same AST, same bytes),
//! two-space indented, everything the reader models written back.
//!
//! The writer must never write what the reader cannot read: every value and
//! text is escaped, the comment is made a valid comment, and element names
//! (fixed, except the names of unmodelled expressions, which the reader has
//! checked) are asserted to be XML names in debug builds. A document the reader
//! produced holds only XML characters; a hand-built one with a character XML
//! does not allow gets a character reference that the reader refuses, located in
//! the written text, rather than a silently changed value.

use crate::csdl::xml_text::{is_qname, is_xml_char};
use crate::csdl::*;
use std::fmt::Write;

/// Serializes the document; `comment` goes in an XML comment after the declaration.
pub fn write(csdl: &Csdl, comment: &str) -> String {
    let mut w = XmlWriter::default();
    w.out
        .push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    if !comment.is_empty() {
        let _ = writeln!(w.out, "<!-- {} -->", comment_text(comment));
    }
    let version = if csdl.version.is_empty() {
        "4.0"
    } else {
        &csdl.version
    };
    w.open(
        "edmx:Edmx",
        &[
            ("Version", Some(version)),
            (
                "xmlns:edmx",
                Some("http://docs.oasis-open.org/odata/ns/edmx"),
            ),
        ],
    );
    for reference in &csdl.references {
        w.open("edmx:Reference", &[("Uri", Some(&reference.uri))]);
        for include in &reference.includes {
            w.empty(
                "edmx:Include",
                &[
                    ("Namespace", Some(&include.namespace)),
                    ("Alias", include.alias.as_deref()),
                ],
            );
        }
        w.close("edmx:Reference");
    }
    w.open("edmx:DataServices", &[]);
    for schema in &csdl.schemas {
        w.schema(schema);
    }
    w.close("edmx:DataServices");
    w.close("edmx:Edmx");
    w.out
}

#[derive(Default)]
struct XmlWriter {
    out: String,
    depth: usize,
}

type Attrs<'a> = [(&'a str, Option<&'a str>)];

impl XmlWriter {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn start(&mut self, name: &str, attrs: &Attrs<'_>) {
        debug_assert!(is_qname(name), "the writer was given element name {name:?}");
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            if let Some(value) = value {
                let _ = write!(self.out, " {key}=\"{}\"", escape(value));
            }
        }
    }

    fn open(&mut self, name: &str, attrs: &Attrs<'_>) {
        self.start(name, attrs);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    fn empty(&mut self, name: &str, attrs: &Attrs<'_>) {
        self.start(name, attrs);
        self.out.push_str(" />\n");
    }

    fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        let _ = writeln!(self.out, "</{name}>");
    }

    fn text_element(&mut self, name: &str, text: &str) {
        debug_assert!(is_qname(name), "the writer was given element name {name:?}");
        self.indent();
        let _ = writeln!(self.out, "<{name}>{}</{name}>", escape(text));
    }

    /// An element whose children are only annotations (empty form when none).
    fn with_annotations(&mut self, name: &str, attrs: &Attrs<'_>, annotations: &[Annotation]) {
        if annotations.is_empty() {
            self.empty(name, attrs);
        } else {
            self.open(name, attrs);
            self.annotations(annotations);
            self.close(name);
        }
    }

    fn schema(&mut self, schema: &Schema) {
        self.open(
            "Schema",
            &[
                ("Namespace", Some(&schema.namespace)),
                ("Alias", schema.alias.as_deref()),
                ("xmlns", Some("http://docs.oasis-open.org/odata/ns/edm")),
            ],
        );
        for en in &schema.enum_types {
            self.enum_type(en);
        }
        for td in &schema.type_definitions {
            let mut attrs = vec![("Name", Some(td.name.as_str()))];
            attrs.push(("UnderlyingType", Some(&td.underlying_type)));
            let facets = facet_attrs(&td.facets);
            attrs.extend(facets.iter().map(|(k, v)| (*k, v.as_deref())));
            self.with_annotations("TypeDefinition", &attrs, &td.annotations);
        }
        for ty in schema.complex_types.iter().chain(&schema.entity_types) {
            self.structured(ty);
        }
        for op in &schema.operations {
            self.operation(op);
        }
        for term in &schema.terms {
            self.term(term);
        }
        if let Some(container) = &schema.entity_container {
            self.container(container);
        }
        for block in &schema.annotations {
            self.open(
                "Annotations",
                &[
                    ("Target", Some(&block.target)),
                    ("Qualifier", block.qualifier.as_deref()),
                ],
            );
            self.annotations(&block.annotations);
            self.close("Annotations");
        }
        self.annotations(&schema.inline_annotations);
        self.close("Schema");
    }

    fn enum_type(&mut self, en: &EnumType) {
        let attrs = [
            ("Name", Some(en.name.as_str())),
            ("UnderlyingType", en.underlying_type.as_deref()),
            ("IsFlags", en.is_flags.then_some("true")),
        ];
        if en.members.is_empty() && en.annotations.is_empty() {
            self.empty("EnumType", &attrs);
            return;
        }
        self.open("EnumType", &attrs);
        for m in &en.members {
            let value = m.value.to_string();
            let attrs = [
                ("Name", Some(m.name.as_str())),
                ("Value", m.explicit_value.then_some(value.as_str())),
            ];
            self.with_annotations("Member", &attrs, &m.annotations);
        }
        self.annotations(&en.annotations);
        self.close("EnumType");
    }

    fn structured(&mut self, ty: &StructuredType) {
        let (element, is_entity) = match ty.kind {
            StructuredKind::Entity => ("EntityType", true),
            StructuredKind::Complex => ("ComplexType", false),
        };
        let attrs = [
            ("Name", Some(ty.name.as_str())),
            ("BaseType", ty.base_type.as_deref()),
            ("Abstract", ty.is_abstract.then_some("true")),
            ("OpenType", ty.open_type.then_some("true")),
            ("HasStream", (is_entity && ty.has_stream).then_some("true")),
        ];
        let empty = ty.key.is_empty()
            && ty.properties.is_empty()
            && ty.navigation_properties.is_empty()
            && ty.annotations.is_empty();
        if empty {
            self.empty(element, &attrs);
            return;
        }
        self.open(element, &attrs);
        if !ty.key.is_empty() {
            self.open("Key", &[]);
            for key in &ty.key {
                self.empty("PropertyRef", &[("Name", Some(key))]);
            }
            self.close("Key");
        }
        for p in &ty.properties {
            let type_text = p.type_ref.to_string();
            let mut attrs = vec![
                ("Name", Some(p.name.as_str())),
                ("Type", Some(type_text.as_str())),
            ];
            let facets = facet_attrs(&p.facets);
            attrs.extend(facets.iter().map(|(k, v)| (*k, v.as_deref())));
            attrs.push(("DefaultValue", p.default_value.as_deref()));
            self.with_annotations("Property", &attrs, &p.annotations);
        }
        for n in &ty.navigation_properties {
            let type_text = n.type_ref.to_string();
            let nullable = n.nullable.map(bool_text);
            let attrs = [
                ("Name", Some(n.name.as_str())),
                ("Type", Some(type_text.as_str())),
                ("Nullable", nullable),
                ("Partner", n.partner.as_deref()),
                ("ContainsTarget", n.contains_target.then_some("true")),
            ];
            self.with_annotations("NavigationProperty", &attrs, &n.annotations);
        }
        self.annotations(&ty.annotations);
        self.close(element);
    }

    fn operation(&mut self, op: &Operation) {
        let element = match op.kind {
            OperationKind::Action => "Action",
            OperationKind::Function => "Function",
        };
        let attrs = [
            ("Name", Some(op.name.as_str())),
            ("IsBound", op.is_bound.then_some("true")),
            ("IsComposable", op.is_composable.then_some("true")),
            ("EntitySetPath", op.entity_set_path.as_deref()),
        ];
        if op.parameters.is_empty() && op.return_type.is_none() && op.annotations.is_empty() {
            self.empty(element, &attrs);
            return;
        }
        self.open(element, &attrs);
        for p in &op.parameters {
            let type_text = p.type_ref.to_string();
            let mut attrs = vec![
                ("Name", Some(p.name.as_str())),
                ("Type", Some(type_text.as_str())),
            ];
            let facets = facet_attrs(&p.facets);
            attrs.extend(facets.iter().map(|(k, v)| (*k, v.as_deref())));
            self.with_annotations("Parameter", &attrs, &p.annotations);
        }
        if let Some(rt) = &op.return_type {
            let type_text = rt.type_ref.to_string();
            let mut attrs = vec![("Type", Some(type_text.as_str()))];
            let facets = facet_attrs(&rt.facets);
            attrs.extend(facets.iter().map(|(k, v)| (*k, v.as_deref())));
            self.with_annotations("ReturnType", &attrs, &rt.annotations);
        }
        self.annotations(&op.annotations);
        self.close(element);
    }

    fn term(&mut self, term: &Term) {
        let type_text = term.type_ref.to_string();
        let applies_to = term.applies_to.join(" ");
        let mut attrs = vec![
            ("Name", Some(term.name.as_str())),
            ("Type", Some(type_text.as_str())),
            ("BaseTerm", term.base_term.as_deref()),
            (
                "AppliesTo",
                (!applies_to.is_empty()).then_some(applies_to.as_str()),
            ),
            ("DefaultValue", term.default_value.as_deref()),
        ];
        let facets = facet_attrs(&term.facets);
        attrs.extend(facets.iter().map(|(k, v)| (*k, v.as_deref())));
        self.with_annotations("Term", &attrs, &term.annotations);
    }

    fn container(&mut self, container: &EntityContainer) {
        self.open(
            "EntityContainer",
            &[
                ("Name", Some(&container.name)),
                ("Extends", container.extends.as_deref()),
            ],
        );
        for set in &container.entity_sets {
            let include = set.include_in_service_document.map(bool_text);
            let attrs = [
                ("Name", Some(set.name.as_str())),
                ("EntityType", Some(set.entity_type.as_str())),
                ("IncludeInServiceDocument", include),
            ];
            self.source_with_bindings(
                "EntitySet",
                &attrs,
                &set.navigation_property_bindings,
                &set.annotations,
            );
        }
        for single in &container.singletons {
            let attrs = [
                ("Name", Some(single.name.as_str())),
                ("Type", Some(single.type_name.as_str())),
            ];
            self.source_with_bindings(
                "Singleton",
                &attrs,
                &single.navigation_property_bindings,
                &single.annotations,
            );
        }
        for import in &container.action_imports {
            let attrs = [
                ("Name", Some(import.name.as_str())),
                ("Action", Some(import.action.as_str())),
                ("EntitySet", import.entity_set.as_deref()),
            ];
            self.with_annotations("ActionImport", &attrs, &import.annotations);
        }
        for import in &container.function_imports {
            let include = import.include_in_service_document.map(bool_text);
            let attrs = [
                ("Name", Some(import.name.as_str())),
                ("Function", Some(import.function.as_str())),
                ("EntitySet", import.entity_set.as_deref()),
                ("IncludeInServiceDocument", include),
            ];
            self.with_annotations("FunctionImport", &attrs, &import.annotations);
        }
        self.annotations(&container.annotations);
        self.close("EntityContainer");
    }

    fn source_with_bindings(
        &mut self,
        element: &str,
        attrs: &Attrs<'_>,
        bindings: &[NavigationPropertyBinding],
        annotations: &[Annotation],
    ) {
        if bindings.is_empty() && annotations.is_empty() {
            self.empty(element, attrs);
            return;
        }
        self.open(element, attrs);
        for b in bindings {
            self.empty(
                "NavigationPropertyBinding",
                &[("Path", Some(&b.path)), ("Target", Some(&b.target))],
            );
        }
        self.annotations(annotations);
        self.close(element);
    }

    fn annotations(&mut self, annotations: &[Annotation]) {
        for a in annotations {
            self.annotation(a);
        }
    }

    fn annotation(&mut self, a: &Annotation) {
        let mut attrs = vec![
            ("Term", Some(a.term.as_str())),
            ("Qualifier", a.qualifier.as_deref()),
        ];
        // Simple constants go in an attribute, everything else in a child element.
        let inline = a.value.as_ref().and_then(inline_constant);
        if let Some((key, value)) = &inline {
            attrs.push((key, Some(value.as_str())));
        }
        let child = if inline.is_some() {
            None
        } else {
            a.value.as_ref()
        };
        if child.is_none() && a.annotations.is_empty() {
            self.empty("Annotation", &attrs);
            return;
        }
        self.open("Annotation", &attrs);
        if let Some(expr) = child {
            self.expr(expr);
        }
        self.annotations(&a.annotations);
        self.close("Annotation");
    }

    fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Record(record) => {
                let attrs = [("Type", record.type_name.as_deref())];
                if record.properties.is_empty() && record.annotations.is_empty() {
                    self.empty("Record", &attrs);
                    return;
                }
                self.open("Record", &attrs);
                for pv in &record.properties {
                    let mut attrs = vec![("Property", Some(pv.property.as_str()))];
                    let inline = inline_constant(&pv.value);
                    if let Some((key, value)) = &inline {
                        attrs.push((key, Some(value.as_str())));
                    }
                    if inline.is_some() && pv.annotations.is_empty() {
                        self.empty("PropertyValue", &attrs);
                        continue;
                    }
                    self.open("PropertyValue", &attrs);
                    if inline.is_none() {
                        self.expr(&pv.value);
                    }
                    self.annotations(&pv.annotations);
                    self.close("PropertyValue");
                }
                self.annotations(&record.annotations);
                self.close("Record");
            }
            Expr::Collection(items) => {
                if items.is_empty() {
                    self.empty("Collection", &[]);
                    return;
                }
                self.open("Collection", &[]);
                for item in items {
                    self.expr(item);
                }
                self.close("Collection");
            }
            Expr::Null => self.empty("Null", &[]),
            Expr::Unmodelled { element } => {
                // The reader kept only the element's name; write an empty marker so the
                // slice stays valid and the count stays visible.
                self.empty(element, &[]);
            }
            other => {
                if let Some((element, text)) = element_constant(other) {
                    self.text_element(element, &text);
                }
            }
        }
    }
}

/// Constants written as an attribute (`String="..."`).
fn inline_constant(expr: &Expr) -> Option<(&'static str, String)> {
    match expr {
        Expr::Record(_) | Expr::Collection(_) | Expr::Null | Expr::Unmodelled { .. } => None,
        other => element_constant(other),
    }
}

/// The element name and text of a constant or path expression.
fn element_constant(expr: &Expr) -> Option<(&'static str, String)> {
    Some(match expr {
        Expr::String(s) => ("String", s.clone()),
        Expr::Bool(b) => ("Bool", bool_text(*b).to_string()),
        Expr::Int(i) => ("Int", i.to_string()),
        Expr::Float(s) => ("Float", s.clone()),
        Expr::Decimal(s) => ("Decimal", s.clone()),
        Expr::Temporal { kind, text } => {
            let name = match kind {
                ConstantKind::Date => "Date",
                ConstantKind::DateTimeOffset => "DateTimeOffset",
                ConstantKind::TimeOfDay => "TimeOfDay",
                ConstantKind::Duration => "Duration",
                ConstantKind::Guid => "Guid",
                ConstantKind::Binary => "Binary",
            };
            (name, text.clone())
        }
        Expr::EnumMember(s) => ("EnumMember", s.clone()),
        Expr::Path(s) => ("Path", s.clone()),
        Expr::PropertyPath(s) => ("PropertyPath", s.clone()),
        Expr::NavigationPropertyPath(s) => ("NavigationPropertyPath", s.clone()),
        Expr::AnnotationPath(s) => ("AnnotationPath", s.clone()),
        Expr::ModelElementPath(s) => ("ModelElementPath", s.clone()),
        Expr::Null | Expr::Record(_) | Expr::Collection(_) | Expr::Unmodelled { .. } => {
            return None;
        }
    })
}

fn facet_attrs(f: &Facets) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("Nullable", f.nullable.map(|b| bool_text(b).to_string())),
        ("MaxLength", f.max_length.clone()),
        ("Precision", f.precision.map(|p| p.to_string())),
        ("Scale", f.scale.clone()),
        ("Unicode", f.unicode.map(|b| bool_text(b).to_string())),
        ("SRID", f.srid.clone()),
    ]
}

fn bool_text(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// Escapes an attribute value or element text so that the reader reads back
/// exactly `text` (line ends and tabs as references: attribute normalization and
/// line-end normalization would change them otherwise).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if !is_xml_char(c) => {
                debug_assert!(false, "the writer was given U+{:04X} in {text:?}", c as u32);
                // Refused on reading, with a location: never a changed value.
                let _ = write!(out, "&#{};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// `comment` as the text of an XML comment: no `--` (a space goes between two
/// hyphens), no trailing hyphen, and U+FFFD for characters XML does not allow
/// (it is a note for readers, not data).
fn comment_text(comment: &str) -> String {
    let mut out = String::with_capacity(comment.len());
    for c in comment.chars() {
        if c == '-' && out.ends_with('-') {
            out.push(' ');
        }
        out.push(if is_xml_char(c) { c } else { '\u{FFFD}' });
    }
    if out.ends_with('-') {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_back(xml: &str) -> Csdl {
        crate::csdl::read("written.xml", xml.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{xml}"))
    }

    #[test]
    fn comments_never_hold_a_double_hyphen_or_a_bad_character() {
        for comment in [
            "a--b",
            "---",
            "----x",
            "ends-",
            "--",
            "a\u{0}b\u{FFFF}",
            "-->",
        ] {
            let text = comment_text(comment);
            assert!(!text.contains("--"), "{comment:?} -> {text:?}");
            assert!(!text.ends_with('-'), "{comment:?} -> {text:?}");
            let xml = write(&Csdl::default(), comment);
            assert_eq!(read_back(&xml).schemas, Vec::<Schema>::new());
        }
        assert_eq!(comment_text("update --from x"), "update - -from x");
        assert_eq!(comment_text("a\u{1}b"), "a\u{FFFD}b");
    }

    #[test]
    fn every_value_and_text_reads_back_exactly() {
        let nasty = "a\"b'c<d>e&f\tg\nh\ri ]]> &amp; é";
        let mut csdl = Csdl {
            version: "4.0".into(),
            ..Csdl::default()
        };
        let annotation = Annotation {
            term: nasty.into(),
            qualifier: Some(nasty.into()),
            value: Some(Expr::Collection(vec![
                Expr::String(nasty.into()),
                Expr::String(format!("  {nasty}  ")),
                Expr::Path(nasty.trim().into()),
                Expr::Unmodelled {
                    element: "Apply".into(),
                },
            ])),
            annotations: Vec::new(),
            location: Default::default(),
        };
        csdl.schemas.push(Schema {
            namespace: nasty.into(),
            alias: Some(nasty.into()),
            annotations: vec![Annotations {
                target: nasty.into(),
                qualifier: None,
                annotations: vec![annotation.clone()],
                location: Default::default(),
            }],
            inline_annotations: vec![Annotation {
                value: Some(Expr::String(nasty.into())),
                ..annotation
            }],
            ..Schema::default()
        });
        let xml = write(&csdl, "");
        let back = read_back(&xml);
        assert_eq!(back.schemas.len(), 1);
        let (schema, written) = (&back.schemas[0], &csdl.schemas[0]);
        assert_eq!(schema.namespace, nasty);
        assert_eq!(schema.alias.as_deref(), Some(nasty));
        assert_eq!(schema.annotations[0].target, written.annotations[0].target);
        assert_eq!(
            schema.annotations[0].annotations[0].value,
            written.annotations[0].annotations[0].value
        );
        assert_eq!(
            schema.inline_annotations[0].value,
            written.inline_annotations[0].value
        );
        assert_eq!(write(&back, ""), xml);
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "element name")]
    fn a_name_that_is_not_an_xml_name_is_caught_in_debug_builds() {
        let mut csdl = Csdl::default();
        csdl.schemas.push(Schema {
            namespace: "n".into(),
            inline_annotations: vec![Annotation {
                term: "t".into(),
                qualifier: None,
                value: Some(Expr::Unmodelled {
                    element: "CtionScheduleState\"".into(),
                }),
                annotations: Vec::new(),
                location: Default::default(),
            }],
            ..Schema::default()
        });
        let _ = write(&csdl, "");
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "U+0000")]
    fn a_character_xml_does_not_allow_is_caught_in_debug_builds() {
        let mut csdl = Csdl::default();
        csdl.schemas.push(Schema {
            namespace: "n\u{0}".into(),
            ..Schema::default()
        });
        let _ = write(&csdl, "");
    }

    #[test]
    #[cfg(not(debug_assertions))]
    fn a_character_xml_does_not_allow_is_refused_on_reading_back() {
        let mut csdl = Csdl::default();
        csdl.schemas.push(Schema {
            namespace: "n\u{1}".into(),
            ..Schema::default()
        });
        let xml = write(&csdl, "");
        let error = crate::csdl::read("written.xml", xml.as_bytes()).expect_err("refused");
        assert!(error.to_string().contains("U+0001"), "{error}");
    }
}
