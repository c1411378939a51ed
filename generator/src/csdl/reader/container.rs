//! `EntityContainer` and its children, which share one name space.

use super::attrs::boolean;
use super::events::{Parser, Result, Start};
use crate::csdl::ast::{
    ActionImport, EntityContainer, EntitySet, FunctionImport, NavigationPropertyBinding, Singleton,
};

impl<'a> Parser<'a> {
    pub(super) fn entity_container(&mut self, start: Start<'a>) -> Result<EntityContainer> {
        let (mut name, mut extends) = (None, None);
        self.attrs(&start, |key, value| {
            match key {
                "Name" => name = Some(value.into_owned()),
                "Extends" => extends = Some(value.into_owned()),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let mut container = EntityContainer {
            name: self.required(&start, name, "Name")?,
            extends,
            location: start.location,
            ..EntityContainer::default()
        };
        let mut names = self.name_set();
        self.children(&start, |p, child| match child.local {
            "EntitySet" => {
                let set = p.entity_set(child)?;
                p.unique(&mut names, "EntitySet", &set.name, set.location)?;
                container.entity_sets.push(set);
                Ok(())
            }
            "Singleton" => {
                let singleton = p.singleton(child)?;
                p.unique(&mut names, "Singleton", &singleton.name, singleton.location)?;
                container.singletons.push(singleton);
                Ok(())
            }
            "ActionImport" => {
                let import = p.action_import(child)?;
                p.unique(&mut names, "ActionImport", &import.name, import.location)?;
                container.action_imports.push(import);
                Ok(())
            }
            "FunctionImport" => {
                let import = p.function_import(child)?;
                p.unique(&mut names, "FunctionImport", &import.name, import.location)?;
                container.function_imports.push(import);
                Ok(())
            }
            "Annotation" => p.annotation_into(child, &mut container.annotations),
            _ => p.skip(child),
        })?;
        self.recycle(names);
        Ok(container)
    }

    fn entity_set(&mut self, start: Start<'a>) -> Result<EntitySet> {
        let (mut name, mut entity_type, mut include) = (None, None, None);
        self.attrs(&start, |key, value| {
            match key {
                "Name" => name = Some(value.into_owned()),
                "EntityType" => entity_type = Some(value.into_owned()),
                "IncludeInServiceDocument" => include = Some(boolean(key, &value)?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let mut set = EntitySet {
            name: self.required(&start, name, "Name")?,
            entity_type: self.required(&start, entity_type, "EntityType")?,
            include_in_service_document: include,
            navigation_property_bindings: Vec::new(),
            annotations: Vec::new(),
            location: start.location,
        };
        self.bindings_and_annotations(
            &start,
            &mut set.navigation_property_bindings,
            &mut set.annotations,
        )?;
        Ok(set)
    }

    fn singleton(&mut self, start: Start<'a>) -> Result<Singleton> {
        let (mut name, mut type_name) = (None, None);
        self.attrs(&start, |key, value| {
            match key {
                "Name" => name = Some(value.into_owned()),
                "Type" => type_name = Some(value.into_owned()),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let mut singleton = Singleton {
            name: self.required(&start, name, "Name")?,
            type_name: self.required(&start, type_name, "Type")?,
            navigation_property_bindings: Vec::new(),
            annotations: Vec::new(),
            location: start.location,
        };
        self.bindings_and_annotations(
            &start,
            &mut singleton.navigation_property_bindings,
            &mut singleton.annotations,
        )?;
        Ok(singleton)
    }

    /// The children of an entity set or singleton.
    fn bindings_and_annotations(
        &mut self,
        start: &Start<'a>,
        bindings: &mut Vec<NavigationPropertyBinding>,
        annotations: &mut Vec<crate::csdl::ast::Annotation>,
    ) -> Result<()> {
        self.children(start, |p, child| match child.local {
            "NavigationPropertyBinding" => {
                bindings.push(p.binding(child)?);
                Ok(())
            }
            "Annotation" => p.annotation_into(child, annotations),
            _ => p.skip(child),
        })
    }

    fn binding(&mut self, start: Start<'a>) -> Result<NavigationPropertyBinding> {
        let (mut path, mut target) = (None, None);
        self.attrs(&start, |key, value| {
            match key {
                "Path" => path = Some(value.into_owned()),
                "Target" => target = Some(value.into_owned()),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let binding = NavigationPropertyBinding {
            path: self.required(&start, path, "Path")?,
            target: self.required(&start, target, "Target")?,
        };
        self.children(&start, |p, child| p.skip(child))?;
        Ok(binding)
    }

    fn action_import(&mut self, start: Start<'a>) -> Result<ActionImport> {
        let (mut name, mut action, mut entity_set) = (None, None, None);
        self.attrs(&start, |key, value| {
            match key {
                "Name" => name = Some(value.into_owned()),
                "Action" => action = Some(value.into_owned()),
                "EntitySet" => entity_set = Some(value.into_owned()),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let mut import = ActionImport {
            name: self.required(&start, name, "Name")?,
            action: self.required(&start, action, "Action")?,
            entity_set,
            annotations: Vec::new(),
            location: start.location,
        };
        self.annotations_only(&start, &mut import.annotations)?;
        Ok(import)
    }

    fn function_import(&mut self, start: Start<'a>) -> Result<FunctionImport> {
        let (mut name, mut function, mut entity_set, mut include) = (None, None, None, None);
        self.attrs(&start, |key, value| {
            match key {
                "Name" => name = Some(value.into_owned()),
                "Function" => function = Some(value.into_owned()),
                "EntitySet" => entity_set = Some(value.into_owned()),
                "IncludeInServiceDocument" => include = Some(boolean(key, &value)?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let mut import = FunctionImport {
            name: self.required(&start, name, "Name")?,
            function: self.required(&start, function, "Function")?,
            entity_set,
            include_in_service_document: include,
            annotations: Vec::new(),
            location: start.location,
        };
        self.annotations_only(&start, &mut import.annotations)?;
        Ok(import)
    }
}
