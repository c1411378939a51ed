//! Type elements: `EntityType`, `ComplexType` (with `Key`, `Property`,
//! `NavigationProperty`), `EnumType` (with `Member`), `TypeDefinition`, `Term`.

use super::attrs::{boolean, facet, number, type_ref};
use super::events::{Parser, Result, Start};
use crate::csdl::ast::{
    EnumMember, EnumType, Facets, NavigationProperty, Property, StructuredKind, StructuredType,
    Term, TypeDefinition,
};
use crate::error::ErrorKind;

impl<'a> Parser<'a> {
    /// `EntityType` or `ComplexType`; property and navigation property names share one name space.
    pub(super) fn structured_type(
        &mut self,
        start: Start<'a>,
        kind: StructuredKind,
    ) -> Result<StructuredType> {
        let entity = kind == StructuredKind::Entity;
        let (mut name, mut base_type) = (None, None);
        let (mut is_abstract, mut open_type, mut has_stream) = (false, false, false);
        self.attrs(&start, |key, value| {
            match key {
                "Name" => name = Some(value.into_owned()),
                "BaseType" => base_type = Some(value.into_owned()),
                "Abstract" => is_abstract = boolean(key, &value)?,
                "OpenType" => open_type = boolean(key, &value)?,
                "HasStream" if entity => has_stream = boolean(key, &value)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let mut ty = StructuredType {
            kind,
            name: self.required(&start, name, "Name")?,
            base_type,
            is_abstract,
            open_type,
            has_stream,
            key: Vec::new(),
            properties: Vec::new(),
            navigation_properties: Vec::new(),
            annotations: Vec::new(),
            location: start.location,
        };
        let mut members = self.name_set();
        self.children(&start, |p, child| match child.local {
            "Key" if entity => p.key(child, &mut ty.key),
            "Property" => {
                let property = p.property(child)?;
                p.unique(&mut members, "Property", &property.name, property.location)?;
                ty.properties.push(property);
                Ok(())
            }
            "NavigationProperty" => {
                let navigation = p.navigation_property(child)?;
                p.unique(
                    &mut members,
                    "NavigationProperty",
                    &navigation.name,
                    navigation.location,
                )?;
                ty.navigation_properties.push(navigation);
                Ok(())
            }
            "Annotation" => p.annotation_into(child, &mut ty.annotations),
            _ => p.skip(child),
        })?;
        self.recycle(members);
        Ok(ty)
    }

    /// `Key` with its `PropertyRef` names.
    fn key(&mut self, start: Start<'a>, key: &mut Vec<String>) -> Result<()> {
        self.no_attrs(&start)?;
        self.children(&start, |p, child| {
            if child.local != "PropertyRef" {
                return p.skip(child);
            }
            let mut name = None;
            p.attrs(&child, |k, value| {
                if k != "Name" {
                    return Ok(false);
                }
                name = Some(value.into_owned());
                Ok(true)
            })?;
            key.push(p.required(&child, name, "Name")?);
            p.children(&child, |p, grandchild| p.skip(grandchild))
        })
    }

    fn property(&mut self, start: Start<'a>) -> Result<Property> {
        let (mut name, mut ty, mut default_value) = (None, None, None);
        let mut facets = Facets::default();
        self.attrs(&start, |key, value| {
            match key {
                "Name" => name = Some(value.into_owned()),
                "Type" => ty = Some(type_ref(key, &value)?),
                "DefaultValue" => default_value = Some(value.into_owned()),
                _ => return facet(&mut facets, key, value),
            }
            Ok(true)
        })?;
        let mut property = Property {
            name: self.required(&start, name, "Name")?,
            type_ref: self.required(&start, ty, "Type")?,
            facets,
            default_value,
            annotations: Vec::new(),
            location: start.location,
        };
        self.annotations_only(&start, &mut property.annotations)?;
        Ok(property)
    }

    fn navigation_property(&mut self, start: Start<'a>) -> Result<NavigationProperty> {
        let (mut name, mut ty, mut nullable, mut partner) = (None, None, None, None);
        let mut contains_target = false;
        self.attrs(&start, |key, value| {
            match key {
                "Name" => name = Some(value.into_owned()),
                "Type" => ty = Some(type_ref(key, &value)?),
                "Nullable" => nullable = Some(boolean(key, &value)?),
                "Partner" => partner = Some(value.into_owned()),
                "ContainsTarget" => contains_target = boolean(key, &value)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let mut navigation = NavigationProperty {
            name: self.required(&start, name, "Name")?,
            type_ref: self.required(&start, ty, "Type")?,
            nullable,
            partner,
            contains_target,
            annotations: Vec::new(),
            location: start.location,
        };
        self.annotations_only(&start, &mut navigation.annotations)?;
        Ok(navigation)
    }

    /// `EnumType`; members without `Value` get the previous value + 1 (the first gets 0).
    pub(super) fn enum_type(&mut self, start: Start<'a>) -> Result<EnumType> {
        let (mut name, mut underlying_type, mut is_flags) = (None, None, false);
        self.attrs(&start, |key, value| {
            match key {
                "Name" => name = Some(value.into_owned()),
                "UnderlyingType" => underlying_type = Some(value.into_owned()),
                "IsFlags" => is_flags = boolean(key, &value)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let mut ty = EnumType {
            name: self.required(&start, name, "Name")?,
            underlying_type,
            is_flags,
            members: Vec::new(),
            annotations: Vec::new(),
            location: start.location,
        };
        let mut names = self.name_set();
        self.children(&start, |p, child| match child.local {
            "Member" => {
                let previous = ty.members.last().map(|m| m.value);
                let member = p.member(child, previous)?;
                p.unique(&mut names, "Member", &member.name, member.location)?;
                ty.members.push(member);
                Ok(())
            }
            "Annotation" => p.annotation_into(child, &mut ty.annotations),
            _ => p.skip(child),
        })?;
        self.recycle(names);
        Ok(ty)
    }

    fn member(&mut self, start: Start<'a>, previous: Option<i64>) -> Result<EnumMember> {
        let (mut name, mut value) = (None, None);
        self.attrs(&start, |key, text| {
            match key {
                "Name" => name = Some(text.into_owned()),
                "Value" => value = Some(number::<i64>(key, &text, "a 64-bit integer")?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let name = self.required(&start, name, "Name")?;
        let implicit = match previous {
            None => Some(0),
            Some(previous) => previous.checked_add(1),
        };
        let Some(resolved) = value.or(implicit) else {
            let kind = ErrorKind::InvalidElement(format!(
                "the implicit value of member `{name}` overflows"
            ));
            return Err(self.error(&start, kind));
        };
        let mut member = EnumMember {
            name,
            value: resolved,
            explicit_value: value.is_some(),
            annotations: Vec::new(),
            location: start.location,
        };
        self.annotations_only(&start, &mut member.annotations)?;
        Ok(member)
    }

    pub(super) fn type_definition(&mut self, start: Start<'a>) -> Result<TypeDefinition> {
        let (mut name, mut underlying_type) = (None, None);
        let mut facets = Facets::default();
        self.attrs(&start, |key, value| {
            match key {
                "Name" => name = Some(value.into_owned()),
                "UnderlyingType" => underlying_type = Some(value.into_owned()),
                _ => return facet(&mut facets, key, value),
            }
            Ok(true)
        })?;
        let mut definition = TypeDefinition {
            name: self.required(&start, name, "Name")?,
            underlying_type: self.required(&start, underlying_type, "UnderlyingType")?,
            facets,
            annotations: Vec::new(),
            location: start.location,
        };
        self.annotations_only(&start, &mut definition.annotations)?;
        Ok(definition)
    }

    pub(super) fn term(&mut self, start: Start<'a>) -> Result<Term> {
        let (mut name, mut ty, mut base_term, mut default_value) = (None, None, None, None);
        let mut applies_to = Vec::new();
        let mut facets = Facets::default();
        self.attrs(&start, |key, value| {
            match key {
                "Name" => name = Some(value.into_owned()),
                "Type" => ty = Some(type_ref(key, &value)?),
                "BaseTerm" => base_term = Some(value.into_owned()),
                "AppliesTo" => applies_to = value.split_whitespace().map(str::to_string).collect(),
                "DefaultValue" => default_value = Some(value.into_owned()),
                _ => return facet(&mut facets, key, value),
            }
            Ok(true)
        })?;
        let mut term = Term {
            name: self.required(&start, name, "Name")?,
            type_ref: self.required(&start, ty, "Type")?,
            base_term,
            applies_to,
            default_value,
            facets,
            annotations: Vec::new(),
            location: start.location,
        };
        self.annotations_only(&start, &mut term.annotations)?;
        Ok(term)
    }
}
