//! The closure of the profile's roots: every type and bound operation reachable
//! through property types, base types, navigation properties and bound operations'
//! parameters and return types. Each member records what pulled it in, so
//! `inspect` can show the chain back to a root.

use super::{FullName, Model, OperationId, TypeDef};
use crate::error::InputError;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;

/// Why a type is in the closure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edge {
    Root,
    BaseType,
    Property(String),
    NavigationProperty(String),
    Parameter {
        operation: String,
        parameter: String,
    },
    ReturnType {
        operation: String,
    },
}

impl fmt::Display for Edge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Edge::Root => f.write_str("root"),
            Edge::BaseType => f.write_str("base type"),
            Edge::Property(name) => write!(f, "property `{name}`"),
            Edge::NavigationProperty(name) => write!(f, "navigation property `{name}`"),
            Edge::Parameter {
                operation,
                parameter,
            } => write!(
                f,
                "parameter `{parameter}` of bound operation `{operation}`"
            ),
            Edge::ReturnType { operation } => {
                write!(f, "return type of bound operation `{operation}`")
            }
        }
    }
}

/// The first reason a type was reached: from which type, through which edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pull {
    pub from: Option<FullName>,
    pub edge: Edge,
}

/// Types and bound operations reachable from the roots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Closure {
    /// The roots the closure starts from (those the document has).
    pub roots: Vec<FullName>,
    /// Profile roots the document does not have (see [`Closure::compute_available`]).
    pub absent_roots: Vec<FullName>,
    pub types: BTreeMap<FullName, Pull>,
    /// Bound operations, in file order.
    pub operations: BTreeSet<OperationId>,
}

impl Closure {
    /// The closure of the roots the document has; the others are recorded in
    /// `absent_roots` (a national cloud or an older date may lack one, such as
    /// `bulkUpload`). Only a document with none of the roots is an error.
    pub fn compute_available(model: &Model, roots: &[String]) -> Result<Closure, InputError> {
        let (present, absent): (Vec<String>, Vec<String>) = roots
            .iter()
            .cloned()
            .partition(|root| model.types.contains_key(root));
        if present.is_empty() {
            return Err(InputError::NoProfileRoots {
                roots: roots.to_vec(),
                document: model.source.clone(),
            });
        }
        let mut closure = Closure::compute(model, &present)?;
        closure.absent_roots = absent;
        Ok(closure)
    }

    /// Computes the closure; an unknown root is an error naming it.
    pub fn compute(model: &Model, roots: &[String]) -> Result<Closure, InputError> {
        let mut closure = Closure {
            roots: roots.to_vec(),
            ..Closure::default()
        };
        let mut queue = VecDeque::new();
        for root in roots {
            if !model.types.contains_key(root) {
                return Err(InputError::UnknownRoot {
                    root: root.clone(),
                    document: model.source.clone(),
                });
            }
            closure.reach(&mut queue, root, None, Edge::Root);
        }
        while let Some(name) = queue.pop_front() {
            let Some(TypeDef::Structured(def)) = model.types.get(&name) else {
                continue;
            };
            if let Some(base) = &def.base {
                closure.reach(&mut queue, base, Some(&name), Edge::BaseType);
            }
            for p in &def.properties {
                if let Some(target) = p.ty.named() {
                    let edge = if p.navigation.is_some() {
                        Edge::NavigationProperty(p.name.clone())
                    } else {
                        Edge::Property(p.name.clone())
                    };
                    closure.reach(&mut queue, target, Some(&name), edge);
                }
            }
            for collection in [false, true] {
                for (index, op) in model.bound_operations(&name, collection) {
                    if !closure.operations.insert(index) {
                        continue;
                    }
                    for param in &op.parameters {
                        if let Some(target) = param.ty.named() {
                            let edge = Edge::Parameter {
                                operation: op.local_name().to_string(),
                                parameter: param.name.clone(),
                            };
                            closure.reach(&mut queue, target, Some(&name), edge);
                        }
                    }
                    if let Some(target) = op.return_type.as_ref().and_then(|r| r.ty.named()) {
                        let edge = Edge::ReturnType {
                            operation: op.local_name().to_string(),
                        };
                        closure.reach(&mut queue, target, Some(&name), edge);
                    }
                }
            }
        }
        Ok(closure)
    }

    fn reach(
        &mut self,
        queue: &mut VecDeque<FullName>,
        name: &str,
        from: Option<&str>,
        edge: Edge,
    ) {
        if self.types.contains_key(name) {
            return;
        }
        self.types.insert(
            name.to_string(),
            Pull {
                from: from.map(str::to_string),
                edge,
            },
        );
        queue.push_back(name.to_string());
    }

    /// The chain from a root down to `name`: `[(root, Root), ..., (name, edge)]`.
    pub fn chain(&self, name: &str) -> Vec<(FullName, Edge)> {
        let mut chain = Vec::new();
        let mut current = Some(name.to_string());
        while let Some(type_name) = current {
            let Some(pull) = self.types.get(&type_name) else {
                break;
            };
            chain.push((type_name, pull.edge.clone()));
            if chain.len() > self.types.len() {
                break;
            }
            current = pull.from.clone();
        }
        chain.reverse();
        chain
    }

    pub fn contains(&self, name: &str) -> bool {
        self.types.contains_key(name)
    }
}
