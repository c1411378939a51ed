//! Stage 1: bytes -> [`Csdl`] with quick-xml's streaming reader over the input
//! slice (no DOM, names borrowed until they go into the AST).
//!
//! Rules every handler follows:
//! - every element and attribute the AST does not model is counted in
//!   [`Csdl::unmodelled`] (`Element`, `Element@Attribute`; `xmlns` declarations
//!   are ignored; descendants of an unmodelled element count as elements only);
//! - every error is a [`SourceError`] whose `element` is the qualified name as
//!   written and whose location is the start tag (or the attribute for a bad
//!   attribute value, or the end of input for a truncated document);
//! - elements match on their local name, so the `edmx:` prefix is not checked.

mod ahead;
mod annotations;
mod attrs;
mod container;
mod events;
mod names;
mod operations;
mod position;
mod tolerate;
mod types;

use super::ast::{Csdl, Include, OperationKind, Reference, Schema, StructuredKind};
use super::xml_text::first_non_xml_char;
use crate::error::{ErrorKind, SourceError};
use events::{Parser, Result, Start, is_blank};
use names::NameSet;
use quick_xml::events::Event;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads one CSDL document from `bytes`; `source` names it in errors.
/// (Boxed inside the reader; returned unboxed here as the stage's interface says.)
#[allow(clippy::result_large_err)]
pub fn read(source: &str, bytes: &[u8]) -> std::result::Result<Csdl, SourceError> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let text =
        std::str::from_utf8(bytes).map_err(|e| *invalid_utf8(source, bytes, e.valid_up_to()))?;
    if let Some((offset, c)) = first_non_xml_char(text) {
        return Err(*not_xml_char(source, text, offset, c));
    }
    let split = ahead::split_point(text, ahead::MIN_SPLIT_BYTES);
    read_text(source, text, split)
}

/// Reads a checked text; with `split`, another thread reads the children of
/// `DataServices` from that offset meanwhile (same result, see `ahead`).
#[allow(clippy::result_large_err)]
fn read_text(
    source: &str,
    text: &str,
    split: Option<usize>,
) -> std::result::Result<Csdl, SourceError> {
    std::thread::scope(|scope| {
        let mut parser = Parser::new(source, text);
        parser.ahead = split.map(|from| ahead::Ahead::spawn(scope, source, text, from));
        let mut csdl = parser.document().map_err(|e| *e)?;
        csdl.source = source.to_string();
        csdl.unmodelled = std::mem::take(&mut parser.unmodelled);
        csdl.deviations = std::mem::take(&mut parser.deviations);
        Ok(csdl)
    })
}

/// Locates a character that XML does not allow (a control character, U+FFFE or
/// U+FFFF) and names the element it is in: quick-xml would read it, but no
/// conforming parser does, and the slice writer could not write it back.
fn not_xml_char(source: &str, text: &str, offset: usize, c: char) -> Box<SourceError> {
    let prefix = text.get(..offset).unwrap_or_default();
    let mut parser = Parser::new(source, prefix);
    let element = parser.innermost_at_end();
    let kind = ErrorKind::MalformedXml(format!(
        "character U+{:04X} is not allowed in XML",
        c as u32
    ));
    parser.error_at(offset, element, kind)
}

/// Locates the first byte that is not UTF-8 and names the element it is in.
fn invalid_utf8(source: &str, bytes: &[u8], valid_up_to: usize) -> Box<SourceError> {
    let prefix = bytes.get(..valid_up_to).unwrap_or_default();
    let prefix = std::str::from_utf8(prefix).unwrap_or_default();
    let mut parser = Parser::new(source, prefix);
    let element = parser.innermost_at_end();
    let kind = ErrorKind::MalformedXml("the document is not valid UTF-8".to_string());
    parser.error_at(prefix.len(), element, kind)
}

impl<'a> Parser<'a> {
    /// The document: prolog, the `edmx:Edmx` root, nothing after it.
    fn document(&mut self) -> Result<Csdl> {
        loop {
            let (event, offset) = self.next_event()?;
            let start = match event {
                Event::Start(e) => self.start(&e, offset, false),
                Event::Empty(e) => self.start(&e, offset, true),
                Event::Eof => {
                    let kind = ErrorKind::NotCsdl("the document has no root element".into());
                    return Err(self.error_at(offset, "document", kind));
                }
                Event::Text(t) if is_blank(&t) => continue,
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) | Event::End(_) => {
                    return Err(self.unexpected_text(offset));
                }
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => continue,
            };
            if start.local != "Edmx" {
                let kind = ErrorKind::NotCsdl(format!(
                    "the root element is <{}>, not <edmx:Edmx>",
                    start.qname
                ));
                return Err(self.error(&start, kind));
            }
            let csdl = self.edmx(start)?;
            self.epilog()?;
            return Ok(csdl);
        }
    }

    /// After the root: only blanks, comments and processing instructions.
    fn epilog(&mut self) -> Result<()> {
        loop {
            let (event, offset) = self.next_event()?;
            match event {
                Event::Eof => return Ok(()),
                Event::Start(e) | Event::Empty(e) => {
                    let start = self.start(&e, offset, true);
                    let kind = ErrorKind::MalformedXml("content after the root element".into());
                    return Err(self.error(&start, kind));
                }
                Event::Text(t) if is_blank(&t) => {}
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
                _ => return Err(self.unexpected_text(offset)),
            }
        }
    }

    /// The qualified name of the innermost element open at the end of the text,
    /// tolerating errors (used to name the element around non-UTF-8 bytes).
    fn innermost_at_end(&mut self) -> &'a str {
        let mut open: Vec<&'a str> = Vec::new();
        while let Ok((event, offset)) = self.next_event() {
            match event {
                Event::Start(e) => open.push(self.start(&e, offset, false).qname),
                Event::End(_) => {
                    open.pop();
                }
                Event::Eof => break,
                _ => {}
            }
        }
        open.last().copied().unwrap_or("document")
    }

    fn edmx(&mut self, start: Start<'a>) -> Result<Csdl> {
        let mut version = None;
        self.attrs(&start, |key, value| {
            if key != "Version" {
                return Ok(false);
            }
            version = Some(value.into_owned());
            Ok(true)
        })?;
        let mut csdl = Csdl {
            version: self.required(&start, version, "Version")?,
            ..Csdl::default()
        };
        self.children(&start, |p, child| match child.local {
            "Reference" => {
                csdl.references.push(p.reference(child)?);
                Ok(())
            }
            "DataServices" => p.data_services(child, &mut csdl.schemas),
            _ => p.skip(child),
        })?;
        Ok(csdl)
    }

    fn reference(&mut self, start: Start<'a>) -> Result<Reference> {
        let mut uri = None;
        self.attrs(&start, |key, value| {
            if key != "Uri" {
                return Ok(false);
            }
            uri = Some(value.into_owned());
            Ok(true)
        })?;
        let mut reference = Reference {
            uri: self.required(&start, uri, "Uri")?,
            includes: Vec::new(),
            location: start.location,
        };
        self.children(&start, |p, child| match child.local {
            "Include" => {
                reference.includes.push(p.include(child)?);
                Ok(())
            }
            _ => p.skip(child),
        })?;
        Ok(reference)
    }

    fn include(&mut self, start: Start<'a>) -> Result<Include> {
        let (mut namespace, mut alias) = (None, None);
        self.attrs(&start, |key, value| {
            match key {
                "Namespace" => namespace = Some(value.into_owned()),
                "Alias" => alias = Some(value.into_owned()),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let include = Include {
            namespace: self.required(&start, namespace, "Namespace")?,
            alias,
        };
        self.children(&start, |p, child| p.skip(child))?;
        Ok(include)
    }

    /// `DataServices`, taking over the schemas read ahead on another thread
    /// when it gets to where they start.
    fn data_services(&mut self, start: Start<'a>, schemas: &mut Vec<Schema>) -> Result<()> {
        self.no_attrs(&start)?;
        if start.empty {
            return Ok(());
        }
        self.enter(&start)?;
        loop {
            if let Some(read_ahead) = self.take_ahead() {
                schemas.extend(read_ahead);
            }
            if !self.next_child(&mut |p, child| p.data_services_child(child, schemas))? {
                break;
            }
        }
        self.open.pop();
        Ok(())
    }

    fn data_services_child(&mut self, child: Start<'a>, schemas: &mut Vec<Schema>) -> Result<()> {
        match child.local {
            "Schema" => {
                schemas.push(self.schema(child)?);
                Ok(())
            }
            _ => self.skip(child),
        }
    }

    /// A `Schema`: types and terms share one name space; operations may repeat
    /// (overloads) and may share a name with a type.
    fn schema(&mut self, start: Start<'a>) -> Result<Schema> {
        let (mut namespace, mut alias) = (None, None);
        self.attrs(&start, |key, value| {
            match key {
                "Namespace" => namespace = Some(value.into_owned()),
                "Alias" => alias = Some(value.into_owned()),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let mut schema = Schema {
            namespace: self.required(&start, namespace, "Namespace")?,
            alias,
            location: start.location,
            ..Schema::default()
        };
        let mut names = self.name_set();
        self.children(&start, |p, child| {
            p.schema_child(child, &mut schema, &mut names)
        })?;
        self.recycle(names);
        Ok(schema)
    }

    fn schema_child(
        &mut self,
        child: Start<'a>,
        schema: &mut Schema,
        names: &mut NameSet,
    ) -> Result<()> {
        let element = child.local;
        match element {
            "EntityType" | "ComplexType" => {
                let entity = element == "EntityType";
                let kind = if entity {
                    StructuredKind::Entity
                } else {
                    StructuredKind::Complex
                };
                let ty = self.structured_type(child, kind)?;
                self.unique(names, element, &ty.name, ty.location)?;
                let list = if entity {
                    &mut schema.entity_types
                } else {
                    &mut schema.complex_types
                };
                list.push(ty);
            }
            "EnumType" => {
                let ty = self.enum_type(child)?;
                self.unique(names, element, &ty.name, ty.location)?;
                schema.enum_types.push(ty);
            }
            "TypeDefinition" => {
                let ty = self.type_definition(child)?;
                self.unique(names, element, &ty.name, ty.location)?;
                schema.type_definitions.push(ty);
            }
            "Term" => {
                let term = self.term(child)?;
                self.unique(names, element, &term.name, term.location)?;
                schema.terms.push(term);
            }
            "Action" => schema
                .operations
                .push(self.operation(child, OperationKind::Action)?),
            "Function" => schema
                .operations
                .push(self.operation(child, OperationKind::Function)?),
            "EntityContainer" if schema.entity_container.is_some() => {
                let kind =
                    ErrorKind::InvalidElement("a schema has at most one EntityContainer".into());
                return Err(self.error(&child, kind));
            }
            "EntityContainer" => schema.entity_container = Some(self.entity_container(child)?),
            "Annotations" => schema.annotations.push(self.annotations_block(child)?),
            "Annotation" => self.annotation_into(child, &mut schema.inline_annotations)?,
            _ => self.skip(child)?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::events::local_name;

    #[test]
    fn local_names_drop_the_prefix() {
        assert_eq!(local_name("edmx:Edmx"), "Edmx");
        assert_eq!(local_name("Schema"), "Schema");
    }
}
