//! [`Nullable`]: a nullable JSON property in its three wire states.
//!
//! Graph gives `absent`, `null` and a value different meanings: a PATCH that omits a
//! property leaves it alone, one that sends `null` clears it. `Option<T>` can only hold
//! two of those states, so generated models use `Nullable<T>` for nullable properties.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The three wire states of a nullable JSON property: absent, `null`, or a value.
///
/// Keeping them apart makes decode -> encode lossless and lets a PATCH clear a
/// property (`Null`) without touching the others (`Absent`).
///
/// On the wire: `Value(v)` encodes as `v`; `Null` encodes as `null`; `Absent` is
/// skipped by the containing object (see [`crate::runtime::object::encode_nullable`])
/// and encodes as `null` if serialized on its own. Decoding `null` gives `Null`, any
/// other JSON gives `Value`; a property missing from the object keeps the field's
/// default, `Absent`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Nullable<T> {
    /// The property was not in the JSON object (or is not to be sent).
    #[default]
    Absent,
    /// The property was (or is to be sent as) JSON `null`.
    Null,
    /// The property has a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// True when the property is absent: it was not received and will not be sent.
    pub const fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// True when the property is an explicit JSON `null`.
    pub const fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// True when the property holds a value.
    pub const fn is_value(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }

    /// The value, if any; `None` for both `Absent` and `Null`.
    pub const fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value for in-place edits, if any.
    pub fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// Takes the value out, if any, losing the absent/null distinction.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// Borrows the value while keeping the state, like `Option::as_ref`.
    pub const fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(value),
        }
    }

    /// Mutably borrows the value while keeping the state, like `Option::as_mut`.
    pub fn as_mut(&mut self) -> Nullable<&mut T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(value),
        }
    }

    /// Transforms the value while keeping `Absent` and `Null` as they are.
    pub fn map<U, F: FnOnce(T) -> U>(self, f: F) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(f(value)),
        }
    }

    /// Takes the state out and leaves `Absent`, like `Option::take`.
    pub fn take(&mut self) -> Nullable<T> {
        std::mem::take(self)
    }

    /// `Some(v)` becomes `Value(v)` and `None` becomes `Null`: the mapping a PATCH
    /// wants when a field is set from an `Option` (absent must be chosen explicitly).
    pub fn from_option(option: Option<T>) -> Self {
        match option {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    /// A plain value is a present, non-null property.
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    /// `Value(v)` as `v`; `Null` (and a stray `Absent`) as `null`. Objects skip
    /// `Absent` before getting here.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => value.serialize(serializer),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    /// `null` as `Null`, anything else as `Value`. `Absent` never comes out of here:
    /// it is the default of a field whose key was not in the object.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessors_follow_the_state() {
        let absent: Nullable<u32> = Nullable::Absent;
        let null: Nullable<u32> = Nullable::Null;
        let mut value: Nullable<u32> = 7.into();
        assert!(absent.is_absent() && !absent.is_null() && !absent.is_value());
        assert!(null.is_null() && !null.is_absent() && !null.is_value());
        assert!(value.is_value());
        assert_eq!(value.value(), Some(&7));
        assert_eq!(null.value(), None);
        if let Some(v) = value.value_mut() {
            *v = 8;
        }
        assert_eq!(value.as_ref(), Nullable::Value(&8));
        assert_eq!(value.clone().map(|v| v * 2), Nullable::Value(16));
        assert_eq!(null.clone().map(|v| v * 2), Nullable::Null);
        assert_eq!(absent.clone().map(|v| v * 2), Nullable::Absent);
        assert_eq!(value.clone().into_value(), Some(8));
        assert_eq!(Nullable::<u32>::default(), Nullable::Absent);
        assert_eq!(Nullable::from_option(None::<u32>), Nullable::Null);
        assert_eq!(value.take(), Nullable::Value(8));
        assert!(value.is_absent());
    }

    #[test]
    fn serde_of_a_lone_value() {
        assert_eq!(serde_json::to_string(&Nullable::Value(3)).unwrap(), "3");
        assert_eq!(
            serde_json::to_string(&Nullable::<u8>::Null).unwrap(),
            "null"
        );
        let null: Nullable<String> = serde_json::from_str("null").unwrap();
        assert_eq!(null, Nullable::Null);
        let value: Nullable<String> = serde_json::from_str("\"x\"").unwrap();
        assert_eq!(value, Nullable::Value("x".to_string()));
        let list: Vec<Nullable<u8>> = serde_json::from_str("[1,null]").unwrap();
        assert_eq!(list, vec![Nullable::Value(1), Nullable::Null]);
    }
}
