//! `Action` and `Function` with their `Parameter`s and `ReturnType`. Operations
//! are overloaded in Graph, so their names are never checked for uniqueness.

use super::attrs::{boolean, facet, type_ref};
use super::events::{Parser, Result, Start};
use crate::csdl::ast::{Facets, Operation, OperationKind, Parameter, ReturnType};
use crate::error::ErrorKind;

impl<'a> Parser<'a> {
    pub(super) fn operation(&mut self, start: Start<'a>, kind: OperationKind) -> Result<Operation> {
        let function = kind == OperationKind::Function;
        let (mut name, mut entity_set_path) = (None, None);
        let (mut is_bound, mut is_composable) = (false, false);
        self.attrs(&start, |key, value| {
            match key {
                "Name" => name = Some(value.into_owned()),
                "IsBound" => is_bound = boolean(key, &value)?,
                "IsComposable" if function => is_composable = boolean(key, &value)?,
                "EntitySetPath" => entity_set_path = Some(value.into_owned()),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let mut operation = Operation {
            kind,
            name: self.required(&start, name, "Name")?,
            is_bound,
            is_composable,
            entity_set_path,
            parameters: Vec::new(),
            return_type: None,
            annotations: Vec::new(),
            location: start.location,
        };
        self.children(&start, |p, child| match child.local {
            "Parameter" => {
                operation.parameters.push(p.parameter(child)?);
                Ok(())
            }
            "ReturnType" if operation.return_type.is_some() => {
                let kind =
                    ErrorKind::InvalidElement("an operation has at most one ReturnType".into());
                Err(p.error(&child, kind))
            }
            "ReturnType" => {
                operation.return_type = Some(p.return_type(child)?);
                Ok(())
            }
            "Annotation" => p.annotation_into(child, &mut operation.annotations),
            _ => p.skip(child),
        })?;
        Ok(operation)
    }

    fn parameter(&mut self, start: Start<'a>) -> Result<Parameter> {
        let (mut name, mut ty) = (None, None);
        let mut facets = Facets::default();
        self.attrs(&start, |key, value| {
            match key {
                "Name" => name = Some(value.into_owned()),
                "Type" => ty = Some(type_ref(key, &value)?),
                _ => return facet(&mut facets, key, value),
            }
            Ok(true)
        })?;
        let mut parameter = Parameter {
            name: self.required(&start, name, "Name")?,
            type_ref: self.required(&start, ty, "Type")?,
            facets,
            annotations: Vec::new(),
            location: start.location,
        };
        self.annotations_only(&start, &mut parameter.annotations)?;
        Ok(parameter)
    }

    fn return_type(&mut self, start: Start<'a>) -> Result<ReturnType> {
        let mut ty = None;
        let mut facets = Facets::default();
        self.attrs(&start, |key, value| {
            if key == "Type" {
                ty = Some(type_ref(key, &value)?);
                return Ok(true);
            }
            facet(&mut facets, key, value)
        })?;
        let mut return_type = ReturnType {
            type_ref: self.required(&start, ty, "Type")?,
            facets,
            annotations: Vec::new(),
            location: start.location,
        };
        self.annotations_only(&start, &mut return_type.annotations)?;
        Ok(return_type)
    }
}
