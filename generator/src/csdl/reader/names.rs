//! Duplicate-name detection, applied as each named child is finished so the
//! first error in document order is the one reported.
//!
//! Tens of thousands of names go through here per Graph document, so a set
//! keeps its names in one arena string and indexes them by a fast 64-bit hash
//! (no allocation per name, no SipHash). Names whose hashes collide without
//! being equal go to a short overflow list; the answer is always exact.

use super::events::{Parser, Result};
use crate::error::{ErrorKind, Location, SourceError};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

/// Names already seen in one CSDL name space (a schema's types and terms, a
/// type's properties, an enum's members, a container's children).
#[derive(Debug, Default)]
pub(super) struct NameSet {
    arena: String,
    by_hash: HashMap<u64, (Range<usize>, Location), BuildHasherDefault<PassThrough>>,
    overflow: Vec<(Range<usize>, Location)>,
}

impl NameSet {
    /// Empties the set, keeping its capacity for the next owner.
    pub(super) fn clear(&mut self) {
        self.arena.clear();
        self.by_hash.clear();
        self.overflow.clear();
    }

    /// Adds `name`; returns where it was first declared if it was already there.
    fn insert(&mut self, name: &str, location: Location) -> Option<Location> {
        let range = self.arena.len()..self.arena.len() + name.len();
        match self.by_hash.entry(hash(name)) {
            Entry::Vacant(slot) => {
                slot.insert((range, location));
            }
            Entry::Occupied(slot) => {
                let (first_range, first) = slot.get();
                if self.arena.get(first_range.clone()) == Some(name) {
                    return Some(*first);
                }
                let arena = &self.arena;
                let earlier = self
                    .overflow
                    .iter()
                    .find(|(r, _)| arena.get(r.clone()) == Some(name));
                if let Some((_, first)) = earlier {
                    return Some(*first);
                }
                self.overflow.push((range, location));
            }
        }
        self.arena.push_str(name);
        None
    }
}

/// FxHash-style word-at-a-time hash; fine for names (not a DoS-resistant hash:
/// crafted collisions only cost linear scans of the overflow list).
fn hash(name: &str) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut h = name.len() as u64;
    for chunk in name.as_bytes().chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    h
}

/// The keys are already hashes.
#[derive(Debug, Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl Parser<'_> {
    /// A cleared set, reusing one returned by [`Parser::recycle`] if there is one.
    pub(super) fn name_set(&mut self) -> NameSet {
        self.spare_sets.pop().unwrap_or_default()
    }

    /// Gives a set back for reuse (types and enums each need one).
    pub(super) fn recycle(&mut self, mut set: NameSet) {
        set.clear();
        self.spare_sets.push(set);
    }

    /// Records `name` (declared by `element` at `location`) in `set`, or returns
    /// `DuplicateName` located at this second declaration.
    pub(super) fn unique(
        &self,
        set: &mut NameSet,
        element: &str,
        name: &str,
        location: Location,
    ) -> Result<()> {
        match set.insert(name, location) {
            None => Ok(()),
            Some(first) => Err(Box::new(SourceError {
                file: self.source().to_string(),
                location,
                element: element.to_string(),
                kind: ErrorKind::DuplicateName {
                    name: name.to_string(),
                    first,
                },
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32) -> Location {
        Location { line, column: 1 }
    }

    #[test]
    fn finds_repeats_exactly() {
        let mut set = NameSet::default();
        assert_eq!(set.insert("id", at(1)), None);
        assert_eq!(set.insert("Id", at(2)), None);
        assert_eq!(set.insert("displayName", at(3)), None);
        assert_eq!(set.insert("id", at(4)), Some(at(1)));
        assert_eq!(set.insert("displayName", at(5)), Some(at(3)));
    }

    #[test]
    fn hash_collisions_are_told_apart() {
        let mut set = NameSet::default();
        // Force a collision by planting a different name under "b"'s hash.
        set.arena.push('a');
        set.by_hash.insert(hash("b"), (0..1, at(1)));
        assert_eq!(set.insert("b", at(2)), None);
        assert_eq!(set.insert("b", at(3)), Some(at(2)));
        assert_eq!(set.insert("a", at(4)), None);
    }
}
