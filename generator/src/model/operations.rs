//! Operations by stable id: an operation is named by where the document declares
//! it (its schema's position, its position in that schema), so every stage that
//! refers to one (the closure, the path tree, the slice writer walking the CSDL
//! again) names the same element without counting in step with `resolve`.

use super::OperationDef;
use std::collections::HashSet;
use std::fmt;

/// Where an action or function is declared: the schema's position in the
/// document and the operation's position among that schema's operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperationId {
    schema: u32,
    position: u32,
}

impl OperationId {
    /// The id of `Csdl::schemas[schema].operations[position]`.
    pub fn new(schema: usize, position: usize) -> OperationId {
        // A document with 2^32 schemas or operations does not fit in memory.
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        OperationId {
            schema: narrow(schema),
            position: narrow(position),
        }
    }
}

impl fmt::Display for OperationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "schema {} operation {}", self.schema, self.position)
    }
}

/// Every action and function of a document in file order, found by id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Operations {
    /// Sorted by id (file order).
    defs: Vec<(OperationId, OperationDef)>,
    /// Every operation's qualified name, so that a name is found without a scan
    /// (annotation targets are checked by the thousand).
    names: HashSet<String>,
}

impl Operations {
    /// Adds the operation declared at `id`; ids must come in file order.
    pub fn push(&mut self, id: OperationId, def: OperationDef) {
        debug_assert!(self.defs.last().is_none_or(|(last, _)| *last < id));
        self.names.insert(def.name.to_string());
        self.defs.push((id, def));
    }

    /// Whether an operation (of any overload) has the qualified `name`.
    pub fn has_name(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    pub fn get(&self, id: OperationId) -> Option<&OperationDef> {
        self.defs
            .binary_search_by_key(&id, |(key, _)| *key)
            .ok()
            .map(|i| &self.defs[i].1)
    }

    /// Every operation in file order.
    pub fn iter(&self) -> impl Iterator<Item = &OperationDef> {
        self.defs.iter().map(|(_, def)| def)
    }

    /// Every operation in file order, with its id.
    pub fn with_ids(&self) -> impl Iterator<Item = (OperationId, &OperationDef)> {
        self.defs.iter().map(|(id, def)| (*id, def))
    }

    pub fn len(&self) -> usize {
        self.defs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }
}

impl std::ops::Index<OperationId> for Operations {
    type Output = OperationDef;

    /// Panics when no operation has that id (ids come from the same model).
    fn index(&self, id: OperationId) -> &OperationDef {
        match self.get(id) {
            Some(def) => def,
            None => panic!("no operation at {id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csdl::OperationKind;

    fn op(name: &str) -> OperationDef {
        OperationDef {
            kind: OperationKind::Action,
            name: name.to_string(),
            binding: None,
            parameters: Vec::new(),
            return_type: None,
            is_composable: false,
            location: Default::default(),
        }
    }

    #[test]
    fn operations_are_found_by_where_they_are_declared() {
        let mut ops = Operations::default();
        ops.push(OperationId::new(0, 0), op("a.first"));
        ops.push(OperationId::new(0, 1), op("a.second"));
        ops.push(OperationId::new(2, 0), op("c.third"));
        assert_eq!(
            ops.get(OperationId::new(0, 1)).map(|o| o.name.as_str()),
            Some("a.second")
        );
        assert_eq!(ops[OperationId::new(2, 0)].name, "c.third");
        assert!(ops.get(OperationId::new(1, 0)).is_none());
        assert!(ops.get(OperationId::new(0, 2)).is_none());
        let order: Vec<&str> = ops.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(order, ["a.first", "a.second", "c.third"]);
        assert_eq!(
            ops.with_ids().nth(2).map(|(id, _)| id),
            Some(OperationId::new(2, 0))
        );
        assert_eq!(ops.len(), 3);
    }
}
