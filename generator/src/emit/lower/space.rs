//! The type space: a Rust name for every type in the closure and every operation's
//! parameter object, assigned before anything is emitted (so forward references and
//! cycles need no ordering), plus where recursion needs a `Box`.

use super::super::names::{self, NameScope};
use super::super::runtime;
use super::types::RustType;
use crate::csdl::StructuredKind;
use crate::model::{
    Closure, FullName, Model, OperationDef, ParameterDef, Primitive, TypeDef, TypeTarget, TypeUse,
    local_name, namespace_of,
};
use crate::profile::Profile;
use std::collections::{BTreeMap, BTreeSet};

/// Names reserved in the models module for the registry.
pub const RESERVED: &[&str] = &["AnyModel", "RegistryError", "TYPE_NAMES"];

/// The parameters of one or more bound actions (overloads share one struct when
/// their parameters are the same).
#[derive(Debug, Clone)]
pub struct ParamStruct {
    /// Registry key: `<operation qualified name>.parameters`.
    pub key: String,
    pub rust_name: String,
    pub module: String,
    /// The operations that take these parameters.
    pub operations: Vec<crate::model::OperationId>,
    pub parameters: Vec<ParameterDef>,
}

/// Rust names for everything the emitters write.
#[derive(Debug)]
pub struct TypeSpace<'m> {
    pub model: &'m Model,
    pub closure: &'m Closure,
    pub profile: &'m Profile,
    names: BTreeMap<FullName, String>,
    pub params: Vec<ParamStruct>,
    /// `(owner, property)` pairs whose value is boxed to break a cycle.
    boxed: BTreeSet<(FullName, String)>,
}

impl<'m> TypeSpace<'m> {
    pub fn new(model: &'m Model, closure: &'m Closure, profile: &'m Profile) -> Self {
        let mut scope = NameScope::with_reserved(RESERVED);
        let main_namespace = profile.roots.first().map(|r| namespace_of(r)).unwrap_or("");
        let mut by_rust_name: BTreeMap<String, Vec<&FullName>> = BTreeMap::new();
        for name in closure.types.keys() {
            by_rust_name
                .entry(names::type_name(local_name(name)))
                .or_default()
                .push(name);
        }
        let mut names = BTreeMap::new();
        for (rust_name, full_names) in &by_rust_name {
            for full in full_names {
                let wanted = if full_names.len() > 1 && namespace_of(full) != main_namespace {
                    namespace_prefixed(full, main_namespace)
                } else {
                    rust_name.clone()
                };
                names.insert((*full).clone(), scope.claim(wanted));
            }
        }
        let params = param_structs(model, closure, &mut scope);
        let boxed = boxed_properties(model, closure);
        TypeSpace {
            model,
            closure,
            profile,
            names,
            params,
            boxed,
        }
    }

    /// The Rust name of a closure type.
    pub fn rust_name(&self, full: &str) -> &str {
        self.names.get(full).map_or("UnknownType", String::as_str)
    }

    /// Closure types in emission order (by Rust name).
    pub fn types(&self) -> Vec<(&'m TypeDef, &str)> {
        let mut out: Vec<_> = self
            .names
            .iter()
            .filter_map(|(full, rust)| self.model.types.get(full).map(|def| (def, rust.as_str())))
            .collect();
        out.sort_by(|a, b| a.1.cmp(b.1));
        out
    }

    pub fn is_boxed(&self, owner: &str, property: &str) -> bool {
        self.boxed
            .contains(&(owner.to_string(), property.to_string()))
    }

    /// The Rust type of one value of `ty` (the item of a collection).
    pub fn rust_type(&self, ty: &TypeUse) -> RustType {
        match &ty.target {
            TypeTarget::Primitive(p) => primitive_type(*p),
            TypeTarget::Named(full) => match self.model.types.get(full) {
                Some(TypeDef::Definition(def)) => primitive_type(def.underlying),
                _ => RustType::Model(self.rust_name(full).to_string()),
            },
        }
    }

    /// Parameter structs for the operation at `index`.
    pub fn param_struct(&self, index: crate::model::OperationId) -> Option<&ParamStruct> {
        self.params.iter().find(|p| p.operations.contains(&index))
    }

    pub fn is_entity(&self, full: &str) -> bool {
        self.model
            .structured(full)
            .is_some_and(|s| s.kind == StructuredKind::Entity)
    }
}

/// `microsoft.graph.security.alert` -> `SecurityAlert` (namespace beyond the main one).
fn namespace_prefixed(full: &str, main_namespace: &str) -> String {
    let ns = namespace_of(full);
    let relative = ns
        .strip_prefix(main_namespace)
        .map(|r| r.trim_start_matches('.'))
        .filter(|r| !r.is_empty())
        .unwrap_or(ns);
    let prefix: String = relative.split('.').map(names::type_name).collect();
    format!("{prefix}{}", names::type_name(local_name(full)))
}

/// The Rust type of a primitive.
fn primitive_type(p: Primitive) -> RustType {
    RustType::Builtin(match p {
        Primitive::String | Primitive::Date | Primitive::TimeOfDay => "String",
        Primitive::Boolean => "bool",
        Primitive::Byte => "u8",
        Primitive::SByte => "i8",
        Primitive::Int16 => "i16",
        Primitive::Int32 => "i32",
        Primitive::Int64 => "i64",
        Primitive::Single => "f32",
        Primitive::Double | Primitive::Decimal => "f64",
        Primitive::DateTimeOffset => return RustType::Runtime(runtime::DATE_TIME_OFFSET),
        Primitive::Duration => return RustType::Runtime(runtime::DURATION),
        Primitive::Guid => return RustType::Runtime(runtime::GUID),
        Primitive::Binary => return RustType::Runtime(runtime::BINARY),
        Primitive::Untyped | Primitive::Spatial | Primitive::Stream | Primitive::Abstract => {
            "serde_json::Value"
        }
    })
}

/// One struct per distinct parameter list of the closure's bound actions that take
/// parameters (functions in the closure take none; their parameters go in the URL).
fn param_structs(model: &Model, closure: &Closure, scope: &mut NameScope) -> Vec<ParamStruct> {
    let mut out: Vec<ParamStruct> = Vec::new();
    for &index in &closure.operations {
        let Some(op) = model.operations.get(index) else {
            continue;
        };
        if op.parameters.is_empty() || op.kind != crate::csdl::OperationKind::Action {
            continue;
        }
        if let Some(existing) = out
            .iter_mut()
            .find(|p| p.key == key_of(op) && p.parameters == op.parameters)
        {
            existing.operations.push(index);
            continue;
        }
        let rust_name = scope.claim(format!("{}Parameters", names::type_name(op.local_name())));
        out.push(ParamStruct {
            key: key_of(op),
            module: names::module_name(&rust_name),
            rust_name,
            operations: vec![index],
            parameters: op.parameters.clone(),
        });
    }
    out
}

fn key_of(op: &OperationDef) -> String {
    format!("{}.parameters", op.name)
}

/// Single-valued structured properties that lead back to their owner form cycles of
/// infinite size; those are boxed. Collections are already indirect.
fn boxed_properties(model: &Model, closure: &Closure) -> BTreeSet<(FullName, String)> {
    let mut edges: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for name in closure.types.keys() {
        for p in model.all_properties(name) {
            if p.ty.collection {
                continue;
            }
            if let Some(target) = p.ty.named()
                && model.structured(target).is_some()
            {
                edges.entry(name).or_default().push((target, &p.name));
            }
        }
    }
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(current) = stack.pop() {
            if current == to {
                return true;
            }
            if !seen.insert(current) {
                continue;
            }
            if let Some(next) = edges.get(current) {
                stack.extend(next.iter().map(|(t, _)| *t));
            }
        }
        false
    };
    let mut boxed = BTreeSet::new();
    for (owner, targets) in &edges {
        for (target, property) in targets {
            if reaches(target, owner) {
                boxed.insert((owner.to_string(), property.to_string()));
            }
        }
    }
    boxed
}
