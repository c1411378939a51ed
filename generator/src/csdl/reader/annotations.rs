//! `Annotations`, `Annotation` and annotation expressions. Constant and path
//! expressions read the same whether written as an attribute (`String="x"`) or
//! as a child element (`<String>x</String>`); dynamic expressions become
//! `Expr::Unmodelled` and are counted.

use super::attrs::{boolean, invalid, number};
use super::events::{Parser, Result, Start};
use crate::csdl::ast::{Annotation, Annotations, ConstantKind, Expr, PropertyValue, Record};
use crate::error::ErrorKind;
use std::borrow::Cow;

impl<'a> Parser<'a> {
    /// An `Annotations` block that targets an element by path.
    pub(super) fn annotations_block(&mut self, start: Start<'a>) -> Result<Annotations> {
        let (mut target, mut qualifier) = (None, None);
        self.attrs(&start, |key, value| {
            match key {
                "Target" => target = Some(value.into_owned()),
                "Qualifier" => qualifier = Some(value.into_owned()),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let mut block = Annotations {
            target: self.required(&start, target, "Target")?,
            qualifier,
            annotations: Vec::new(),
            location: start.location,
        };
        self.annotations_only(&start, &mut block.annotations)?;
        Ok(block)
    }

    /// Reads an `Annotation` and appends it to its owner's list. The first one
    /// gets an exact-size list: most owners have one, and `Vec`'s minimum
    /// capacity of four would waste about 500 bytes each.
    pub(super) fn annotation_into(
        &mut self,
        start: Start<'a>,
        list: &mut Vec<Annotation>,
    ) -> Result<()> {
        let annotation = self.annotation(start)?;
        if list.capacity() == 0 {
            list.reserve_exact(1);
        }
        list.push(annotation);
        Ok(())
    }

    /// Reads the children of an element whose only modelled children are annotations.
    pub(super) fn annotations_only(
        &mut self,
        start: &Start<'a>,
        list: &mut Vec<Annotation>,
    ) -> Result<()> {
        self.children(start, |p, child| match child.local {
            "Annotation" => p.annotation_into(child, list),
            _ => p.skip(child),
        })
    }

    fn annotation(&mut self, start: Start<'a>) -> Result<Annotation> {
        let (mut term, mut qualifier, mut value) = (None, None, None);
        self.attrs(&start, |key, text| {
            match key {
                "Term" => term = Some(text.into_owned()),
                "Qualifier" => qualifier = Some(text.into_owned()),
                _ => return value_attribute(&mut value, key, text),
            }
            Ok(true)
        })?;
        let mut annotation = Annotation {
            term: self.required(&start, term, "Term")?,
            qualifier,
            value,
            annotations: Vec::new(),
            location: start.location,
        };
        self.children(&start, |p, child| match child.local {
            "Annotation" => p.annotation_into(child, &mut annotation.annotations),
            _ => p.value_element(child, &mut annotation.value),
        })?;
        Ok(annotation)
    }

    /// Stores the expression `start` in `slot`, which must still be empty.
    fn value_element(&mut self, start: Start<'a>, slot: &mut Option<Expr>) -> Result<()> {
        if slot.is_some() {
            let kind = ErrorKind::InvalidElement(format!(
                "<{}> has more than one value expression",
                self.innermost()
            ));
            return Err(self.error(&start, kind));
        }
        *slot = Some(self.expression(start)?);
        Ok(())
    }

    fn expression(&mut self, start: Start<'a>) -> Result<Expr> {
        match start.local {
            "Record" => Ok(Expr::Record(self.record(start)?)),
            "Collection" => Ok(Expr::Collection(self.collection(start)?)),
            "Null" => {
                self.no_attrs(&start)?;
                self.children(&start, |p, child| p.skip(child))?;
                Ok(Expr::Null)
            }
            name if is_constant(name) => {
                self.no_attrs(&start)?;
                let text = self.text_content(&start)?;
                let text = if name == "String" {
                    Cow::Owned(text)
                } else {
                    Cow::Owned(text.trim().to_string())
                };
                match constant(name, text) {
                    Some(Ok(expr)) => Ok(expr),
                    Some(Err(kind)) => Err(self.error(&start, element_text_error(kind))),
                    None => Err(self.error(&start, ErrorKind::InvalidElement(format!("<{name}>")))),
                }
            }
            _ => {
                let element = start.local.to_string();
                self.skip(start)?;
                Ok(Expr::Unmodelled { element })
            }
        }
    }

    fn record(&mut self, start: Start<'a>) -> Result<Record> {
        let mut record = Record::default();
        self.attrs(&start, |key, value| {
            if key != "Type" {
                return Ok(false);
            }
            record.type_name = Some(value.into_owned());
            Ok(true)
        })?;
        self.children(&start, |p, child| match child.local {
            "PropertyValue" => {
                record.properties.push(p.property_value(child)?);
                Ok(())
            }
            "Annotation" => p.annotation_into(child, &mut record.annotations),
            _ => p.skip(child),
        })?;
        Ok(record)
    }

    fn property_value(&mut self, start: Start<'a>) -> Result<PropertyValue> {
        let (mut property, mut value) = (None, None);
        self.attrs(&start, |key, text| {
            if key == "Property" {
                property = Some(text.into_owned());
                return Ok(true);
            }
            value_attribute(&mut value, key, text)
        })?;
        let property = self.required(&start, property, "Property")?;
        let mut annotations = Vec::new();
        self.children(&start, |p, child| match child.local {
            "Annotation" => p.annotation_into(child, &mut annotations),
            _ => p.value_element(child, &mut value),
        })?;
        let Some(value) = value else {
            let kind = ErrorKind::InvalidElement(format!(
                "<PropertyValue Property=\"{property}\"> has no value"
            ));
            return Err(self.error(&start, kind));
        };
        Ok(PropertyValue {
            property,
            value,
            annotations,
        })
    }

    fn collection(&mut self, start: Start<'a>) -> Result<Vec<Expr>> {
        self.no_attrs(&start)?;
        let mut items = Vec::new();
        self.children(&start, |p, child| {
            if child.local == "Annotation" {
                return p.skip(child);
            }
            items.push(p.expression(child)?);
            Ok(())
        })?;
        Ok(items)
    }
}

/// Handles an attribute that may be a value expression (`String="x"`); `Ok(false)`
/// if `key` is not an expression name.
fn value_attribute(
    slot: &mut Option<Expr>,
    key: &str,
    text: Cow<'_, str>,
) -> std::result::Result<bool, ErrorKind> {
    if !is_constant(key) {
        return Ok(false);
    }
    if slot.is_some() {
        return Err(invalid(
            key,
            &text,
            "at most one value expression per element",
        ));
    }
    match constant(key, text) {
        Some(expr) => *slot = Some(expr?),
        None => return Ok(false),
    }
    Ok(true)
}

/// Constant and path expression names (the names [`constant`] accepts).
fn is_constant(name: &str) -> bool {
    matches!(
        name,
        "String"
            | "Bool"
            | "Int"
            | "Float"
            | "Decimal"
            | "Date"
            | "DateTimeOffset"
            | "TimeOfDay"
            | "Duration"
            | "Guid"
            | "Binary"
            | "EnumMember"
            | "Path"
            | "PropertyPath"
            | "NavigationPropertyPath"
            | "AnnotationPath"
            | "ModelElementPath"
    )
}

/// The constant or path expression named `name` with text `text`, or `None`
/// when `name` is not one. Errors name `name` as the attribute.
fn constant(name: &str, text: Cow<'_, str>) -> Option<std::result::Result<Expr, ErrorKind>> {
    let temporal = |kind| {
        Some(Ok(Expr::Temporal {
            kind,
            text: text.to_string(),
        }))
    };
    let expr = match name {
        "String" => Expr::String(text.into_owned()),
        "Bool" => return Some(boolean(name, &text).map(Expr::Bool)),
        "Int" => return Some(number(name, &text, "a 64-bit integer").map(Expr::Int)),
        "Float" => Expr::Float(text.into_owned()),
        "Decimal" => Expr::Decimal(text.into_owned()),
        "Date" => return temporal(ConstantKind::Date),
        "DateTimeOffset" => return temporal(ConstantKind::DateTimeOffset),
        "TimeOfDay" => return temporal(ConstantKind::TimeOfDay),
        "Duration" => return temporal(ConstantKind::Duration),
        "Guid" => return temporal(ConstantKind::Guid),
        "Binary" => return temporal(ConstantKind::Binary),
        "EnumMember" => Expr::EnumMember(text.into_owned()),
        "Path" => Expr::Path(text.into_owned()),
        "PropertyPath" => Expr::PropertyPath(text.into_owned()),
        "NavigationPropertyPath" => Expr::NavigationPropertyPath(text.into_owned()),
        "AnnotationPath" => Expr::AnnotationPath(text.into_owned()),
        "ModelElementPath" => Expr::ModelElementPath(text.into_owned()),
        _ => return None,
    };
    Some(Ok(expr))
}

/// Rephrases a value error for the element form (`<Int>abc</Int>`).
fn element_text_error(kind: ErrorKind) -> ErrorKind {
    match kind {
        ErrorKind::InvalidAttribute {
            attribute,
            value,
            expected,
        } => ErrorKind::InvalidElement(format!(
            "<{attribute}> has text {value:?}, expected {expected}"
        )),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_constant_name_has_a_reading() {
        for name in [
            "String",
            "Bool",
            "Int",
            "Float",
            "Decimal",
            "Date",
            "DateTimeOffset",
            "TimeOfDay",
            "Duration",
            "Guid",
            "Binary",
            "EnumMember",
            "Path",
            "PropertyPath",
            "NavigationPropertyPath",
            "AnnotationPath",
            "ModelElementPath",
        ] {
            assert!(is_constant(name), "{name}");
            assert!(constant(name, Cow::Borrowed("1")).is_some(), "{name}");
        }
        assert!(!is_constant("Apply"));
        assert!(constant("Apply", Cow::Borrowed("1")).is_none());
    }
}
