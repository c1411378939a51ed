//! Flags enums (CSDL `EnumType IsFlags="true"`), e.g. `synchronizationJobRestartScope`.
//!
//! A flags value is a set of members whose CSDL values are OR'ed together
//! (`Full = 15` is `ConnectorDataStore | Escrows | Watermark | QuarantineState`). On the
//! wire it is one string of member names: Graph writes them separated by `", "`
//! (`"Watermark, Escrows, QuarantineState"`), OData's grammar by `","`. Both are read;
//! what Graph writes is written.
//!
//! The generator emits, per flags type, a marker implementing [`FlagMembers`], a
//! newtype over [`Flags`] with one constant per member, and an invocation of
//! [`flags_newtype!`] for the operators, conversions and serde impls every flags type
//! has in common:
//!
//! ```ignore
//! pub struct SynchronizationJobRestartScopeMembers;
//! impl FlagMembers for SynchronizationJobRestartScopeMembers {
//!     const NAME: &'static str = "microsoft.graph.synchronizationJobRestartScope";
//!     const MEMBERS: &'static [(&'static str, u64)] = &[("None", 0), ("ConnectorDataStore", 1), /* ... */];
//! }
//! #[derive(Clone, Default, PartialEq, Eq, Hash)]
//! pub struct SynchronizationJobRestartScope(pub Flags<SynchronizationJobRestartScopeMembers>);
//! impl SynchronizationJobRestartScope {
//!     pub const EMPTY: Self = Self(Flags::from_bits(0));
//!     pub const FULL: Self = Self(Flags::from_bits(15));
//!     // ...
//! }
//! flags_newtype!(SynchronizationJobRestartScope, SynchronizationJobRestartScopeMembers);
//! ```

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::convert::Infallible;
use std::fmt::{self, Write as _};
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ops::{BitAnd, BitOr, BitOrAssign};
use std::str::FromStr;

/// The members of one flags type, as the CSDL declares them. Implemented by a
/// generated marker type so that [`Flags`] knows names and values without storing them.
pub trait FlagMembers {
    /// Qualified OData name, e.g. "microsoft.graph.synchronizationJobRestartScope".
    const NAME: &'static str;
    /// `(member name, value)` in CSDL order. Composite members (`Full = 15`) and a
    /// zero member (`None = 0`) are allowed.
    const MEMBERS: &'static [(&'static str, u64)];
}

/// A value of a flags enum: known bits plus member names this version does not know.
///
/// Unknown names (members Graph added later) are kept, in order and without
/// duplicates, and written back, so decode -> encode never loses a member. Equality is
/// on the bits and on the unknown names as a set.
pub struct Flags<M> {
    bits: u64,
    unknown: Vec<String>,
    marker: PhantomData<fn() -> M>,
}

impl<M> Flags<M> {
    /// The value with exactly these bits (and no unknown names). `const`, so generated
    /// code can declare one constant per member.
    pub const fn from_bits(bits: u64) -> Self {
        Self {
            bits,
            unknown: Vec::new(),
            marker: PhantomData,
        }
    }

    /// No member set.
    pub const fn empty() -> Self {
        Self::from_bits(0)
    }

    /// The known bits (unknown names have no bits).
    pub const fn bits(&self) -> u64 {
        self.bits
    }

    /// True when no bit is set and no unknown name is kept.
    pub const fn is_empty(&self) -> bool {
        self.bits == 0 && self.unknown.is_empty()
    }

    /// Member names received that this version does not declare, in first-seen order.
    pub fn unknown_members(&self) -> &[String] {
        &self.unknown
    }

    /// True when every bit and every unknown name of `other` is in `self`.
    pub fn contains(&self, other: &Self) -> bool {
        self.bits & other.bits == other.bits
            && other.unknown.iter().all(|name| self.unknown.contains(name))
    }

    /// Adds the bits and unknown names of `other`.
    pub fn insert(&mut self, other: &Self) {
        self.bits |= other.bits;
        for name in &other.unknown {
            if !self.unknown.contains(name) {
                self.unknown.push(name.clone());
            }
        }
    }

    /// Removes the bits and unknown names of `other`.
    pub fn remove(&mut self, other: &Self) {
        self.bits &= !other.bits;
        self.unknown.retain(|name| !other.unknown.contains(name));
    }

    /// Keeps a token that names no member, once.
    fn push_unknown(&mut self, token: &str) {
        if !self.unknown.iter().any(|name| name == token) {
            self.unknown.push(token.to_owned());
        }
    }
}

impl<M: FlagMembers> Flags<M> {
    /// Reads a flags string; never fails.
    ///
    /// Tokens are separated by `,` with optional spaces around them (`"A, B"` and
    /// `"A,B"`), in any order. A known member name ORs its value into the bits; a
    /// decimal number (OData's numeric form) ORs itself in; anything else is kept as an
    /// unknown member. Empty tokens are ignored, so `""` is the empty value. Names are
    /// case-sensitive, as in the CSDL.
    pub fn parse(text: &str) -> Self {
        let mut flags = Self::empty();
        for token in text.split(',').map(str::trim) {
            if token.is_empty() {
                continue;
            }
            if let Some(&(_, value)) = M::MEMBERS.iter().find(|(name, _)| *name == token) {
                flags.bits |= value;
            } else if let Some(value) = parse_number(token) {
                flags.bits |= value;
            } else {
                flags.push_unknown(token);
            }
        }
        flags
    }

    /// The names of the known members that make up the bits, the way .NET names
    /// them, in ascending value order: walking members from the highest value down,
    /// a member is taken when all its bits are set and it adds bits not yet covered,
    /// so 15 is `["Full"]` and 47 is `["Full", "ForceDeletes"]`. Empty bits give the
    /// zero-valued member, if the type has one. Bits no member covers are left out
    /// (see [`Flags::to_wire`]).
    pub fn member_names(&self) -> Vec<&'static str> {
        if self.bits == 0 {
            return zero_member::<M>().into_iter().collect();
        }
        decompose::<M>(self.bits)
            .0
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    /// The wire form Graph (.NET) writes: [`Flags::member_names`] joined by `", "`,
    /// then the unknown names, then any bits no member covers as one decimal number.
    /// No bits and no unknown names give the zero member's name (`"None"`) or `""`.
    pub fn to_wire(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = self.write_tokens(&mut out, ", ", false);
        out
    }

    /// Writes the tokens of [`Flags::to_wire`] separated by `separator`; `debug`
    /// quotes unknown names.
    fn write_tokens(&self, out: &mut impl fmt::Write, separator: &str, debug: bool) -> fmt::Result {
        if self.bits == 0 && self.unknown.is_empty() {
            return match zero_member::<M>() {
                Some(name) => out.write_str(name),
                None => Ok(()),
            };
        }
        let (members, rest) = decompose::<M>(self.bits);
        let mut first = true;
        let mut separate = |out: &mut dyn fmt::Write| {
            if first {
                first = false;
                Ok(())
            } else {
                out.write_str(separator)
            }
        };
        for (name, _) in members {
            separate(out)?;
            out.write_str(name)?;
        }
        for name in &self.unknown {
            separate(out)?;
            if debug {
                write!(out, "{name:?}")?;
            } else {
                out.write_str(name)?;
            }
        }
        if rest != 0 {
            separate(out)?;
            write!(out, "{rest}")?;
        }
        Ok(())
    }
}

/// A token made only of ASCII digits that fits in `u64`.
fn parse_number(token: &str) -> Option<u64> {
    if token.bytes().all(|b| b.is_ascii_digit()) {
        token.parse().ok()
    } else {
        None
    }
}

/// The first member declared with value 0 (`None`), if any.
fn zero_member<M: FlagMembers>() -> Option<&'static str> {
    M::MEMBERS
        .iter()
        .find(|(_, value)| *value == 0)
        .map(|(name, _)| *name)
}

/// Splits `bits` into members (ascending by value) and the bits no member covers.
fn decompose<M: FlagMembers>(bits: u64) -> (Vec<(&'static str, u64)>, u64) {
    let members = M::MEMBERS;
    let mut order: Vec<usize> = (0..members.len()).collect();
    // Highest value first; of equal values, the one declared first wins.
    order.sort_by(|&a, &b| members[b].1.cmp(&members[a].1).then(a.cmp(&b)));
    let mut covered = 0u64;
    let mut taken = Vec::new();
    for index in order {
        let (name, value) = members[index];
        if value != 0 && bits & value == value && value & !covered != 0 {
            covered |= value;
            taken.push((name, value));
        }
    }
    taken.sort_by_key(|&(_, value)| value);
    (taken, bits & !covered)
}

impl<M> Clone for Flags<M> {
    fn clone(&self) -> Self {
        Self {
            bits: self.bits,
            unknown: self.unknown.clone(),
            marker: PhantomData,
        }
    }
}

impl<M> Default for Flags<M> {
    /// The empty value: no bits, no unknown names.
    fn default() -> Self {
        Self::empty()
    }
}

impl<M> PartialEq for Flags<M> {
    /// Same bits and the same unknown names, in any order.
    fn eq(&self, other: &Self) -> bool {
        self.bits == other.bits
            && self.unknown.len() == other.unknown.len()
            && self.unknown.iter().all(|name| other.unknown.contains(name))
    }
}

impl<M> Eq for Flags<M> {}

impl<M> Hash for Flags<M> {
    /// Hashes the bits and the number of unknown names: consistent with `Eq` (whose
    /// unknown names are an unordered set) without sorting on every hash.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.bits.hash(state);
        self.unknown.len().hash(state);
    }
}

impl<M> BitOr for Flags<M> {
    type Output = Self;

    /// The union of bits and unknown names.
    fn bitor(mut self, rhs: Self) -> Self {
        self |= rhs;
        self
    }
}

impl<M> BitOrAssign for Flags<M> {
    fn bitor_assign(&mut self, rhs: Self) {
        self.bits |= rhs.bits;
        for name in rhs.unknown {
            if !self.unknown.contains(&name) {
                self.unknown.push(name);
            }
        }
    }
}

impl<M> BitAnd for Flags<M> {
    type Output = Self;

    /// The intersection of bits and unknown names.
    fn bitand(mut self, rhs: Self) -> Self {
        self.bits &= rhs.bits;
        self.unknown.retain(|name| rhs.unknown.contains(name));
        self
    }
}

impl<M: FlagMembers> fmt::Debug for Flags<M> {
    /// `SynchronizationJobRestartScope(Full | ForceDeletes)`; unknown names quoted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let short = M::NAME.rsplit('.').next().unwrap_or(M::NAME);
        let mut chars = short.chars();
        if let Some(first) = chars.next() {
            f.write_char(first.to_ascii_uppercase())?;
            f.write_str(chars.as_str())?;
        }
        f.write_char('(')?;
        self.write_tokens(f, " | ", true)?;
        f.write_char(')')
    }
}

impl<M: FlagMembers> fmt::Display for Flags<M> {
    /// The wire form, as [`Flags::to_wire`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_tokens(f, ", ", false)
    }
}

impl<M: FlagMembers> FromStr for Flags<M> {
    type Err = Infallible;

    /// [`Flags::parse`], which never fails.
    fn from_str(text: &str) -> Result<Self, Infallible> {
        Ok(Self::parse(text))
    }
}

impl<M: FlagMembers> Serialize for Flags<M> {
    /// A JSON string in Graph's form (`"Full, ForceDeletes"`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_wire())
    }
}

impl<'de, M: FlagMembers> Deserialize<'de> for Flags<M> {
    /// A JSON string as [`Flags::parse`] reads it; a non-negative JSON integer is
    /// accepted too, as the raw bits (some OData writers send enums as numbers).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FlagsVisitor(PhantomData))
    }
}

/// Accepts a string (or the raw bits as an integer).
struct FlagsVisitor<M>(PhantomData<fn() -> M>);

impl<M: FlagMembers> Visitor<'_> for FlagsVisitor<M> {
    type Value = Flags<M>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a string of {} member names separated by commas",
            M::NAME
        )
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Flags<M>, E> {
        Ok(Flags::parse(text))
    }

    fn visit_u64<E: de::Error>(self, bits: u64) -> Result<Flags<M>, E> {
        Ok(Flags::from_bits(bits))
    }
}

/// Writes what every generated flags newtype `$name(pub Flags<$members>)` shares:
/// `parse` and `to_wire`, `Deref` to the [`Flags`] it wraps, `|`, `|=`, `&`,
/// `From<Flags<$members>>`, `FromStr` (never fails), `Debug` and `Display` as the
/// wrapped value, and serde as the wire form.
///
/// A macro because these are impls of std and serde traits on the generated type,
/// which no generic impl in this crate can provide. Exported (hidden) so that code
/// generated into another crate (the tests' fixture models) can use it as
/// `runtime::flags::flags_newtype`.
#[doc(hidden)]
#[macro_export]
macro_rules! __flags_newtype {
    ($name:ident, $members:ident) => {
        impl $name {
            /// Reads the wire form; never fails (unknown names are kept).
            pub fn parse(text: &str) -> Self {
                Self($crate::runtime::flags::Flags::parse(text))
            }

            /// The wire form, as Graph writes it.
            pub fn to_wire(&self) -> ::std::string::String {
                self.0.to_wire()
            }
        }

        impl ::std::ops::Deref for $name {
            type Target = $crate::runtime::flags::Flags<$members>;

            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl ::std::ops::BitOr for $name {
            type Output = Self;

            fn bitor(self, other: Self) -> Self {
                Self(self.0 | other.0)
            }
        }

        impl ::std::ops::BitOrAssign for $name {
            fn bitor_assign(&mut self, other: Self) {
                self.0 |= other.0;
            }
        }

        impl ::std::ops::BitAnd for $name {
            type Output = Self;

            fn bitand(self, other: Self) -> Self {
                Self(self.0 & other.0)
            }
        }

        impl ::std::convert::From<$crate::runtime::flags::Flags<$members>> for $name {
            fn from(flags: $crate::runtime::flags::Flags<$members>) -> Self {
                Self(flags)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::parse(text))
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0.to_wire())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                ::serde::Serialize::serialize(&self.0, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <$crate::runtime::flags::Flags<$members> as ::serde::Deserialize<'de>>::deserialize(
                    deserializer,
                )
                .map(Self)
            }
        }
    };
}

pub use crate::__flags_newtype as flags_newtype;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::json;

    /// As the generator emits it for graph-v1.0.csdl.xml.
    struct RestartScopeMembers;

    impl FlagMembers for RestartScopeMembers {
        const NAME: &'static str = "microsoft.graph.synchronizationJobRestartScope";
        const MEMBERS: &'static [(&'static str, u64)] = &[
            ("None", 0),
            ("ConnectorDataStore", 1),
            ("Escrows", 2),
            ("Watermark", 4),
            ("QuarantineState", 8),
            ("Full", 15),
            ("ForceDeletes", 32),
        ];
    }

    type RestartScope = Flags<RestartScopeMembers>;

    impl Flags<RestartScopeMembers> {
        const ESCROWS: Self = Self::from_bits(2);
        const FULL: Self = Self::from_bits(15);
        const FORCE_DELETES: Self = Self::from_bits(32);
    }

    /// A flags type without a zero member.
    struct NoZeroMembers;

    impl FlagMembers for NoZeroMembers {
        const NAME: &'static str = "microsoft.graph.noZero";
        const MEMBERS: &'static [(&'static str, u64)] = &[("A", 1), ("B", 2)];
    }

    #[test]
    fn reads_graph_and_odata_forms() {
        let scope = RestartScope::parse("Watermark, Escrows, QuarantineState");
        assert_eq!(scope.bits(), 14);
        assert!(scope.unknown_members().is_empty());
        assert_eq!(scope.to_wire(), "Escrows, Watermark, QuarantineState");
        assert_eq!(
            scope.member_names(),
            ["Escrows", "Watermark", "QuarantineState"]
        );
        assert_eq!(
            RestartScope::parse("Watermark,Escrows"),
            RestartScope::parse("Escrows, Watermark")
        );
        assert_eq!(RestartScope::parse("Watermark,Escrows").bits(), 6);
        assert_eq!(RestartScope::parse("  Watermark ,Escrows ,").bits(), 6);
    }

    #[test]
    fn composite_members_are_named_like_dotnet() {
        assert_eq!(RestartScope::parse("Full").bits(), 15);
        assert_eq!(RestartScope::FULL.to_wire(), "Full");
        assert_eq!(RestartScope::from_bits(47).to_wire(), "Full, ForceDeletes");
        assert_eq!(
            RestartScope::from_bits(47).member_names(),
            ["Full", "ForceDeletes"]
        );
        assert_eq!(RestartScope::parse("Full, ForceDeletes").bits(), 47);
        assert_eq!(
            RestartScope::parse("ConnectorDataStore, Escrows, Watermark, QuarantineState")
                .to_wire(),
            "Full"
        );
        assert_eq!(
            RestartScope::from_bits(33).to_wire(),
            "ConnectorDataStore, ForceDeletes"
        );
    }

    #[test]
    fn empty_and_zero() {
        assert_eq!(RestartScope::parse(""), RestartScope::empty());
        assert_eq!(RestartScope::parse("None"), RestartScope::empty());
        assert_eq!(RestartScope::empty().to_wire(), "None");
        assert_eq!(RestartScope::empty().member_names(), ["None"]);
        assert!(RestartScope::default().is_empty());
        assert_eq!(Flags::<NoZeroMembers>::empty().to_wire(), "");
        assert!(Flags::<NoZeroMembers>::empty().member_names().is_empty());
    }

    #[test]
    fn unknown_names_are_kept_once_in_order() {
        let scope = RestartScope::parse("Escrows, Future, Full, Other,Future, escrows");
        assert_eq!(scope.bits(), 15);
        assert_eq!(scope.unknown_members(), ["Future", "Other", "escrows"]);
        assert_eq!(scope.to_wire(), "Full, Future, Other, escrows");
        let only_unknown = RestartScope::parse("Future");
        assert_eq!(only_unknown.to_wire(), "Future");
        assert!(!only_unknown.is_empty());
    }

    #[test]
    fn numbers_and_uncovered_bits() {
        assert_eq!(RestartScope::parse("15"), RestartScope::FULL);
        assert_eq!(RestartScope::parse("Escrows, 64").bits(), 66);
        assert_eq!(
            RestartScope::from_bits(64 | 32).to_wire(),
            "ForceDeletes, 64"
        );
        assert_eq!(Flags::<NoZeroMembers>::from_bits(4).to_wire(), "4");
        // Too large or signed numbers are not bits: kept as text.
        let odd = RestartScope::parse("-1, 99999999999999999999999");
        assert_eq!(odd.bits(), 0);
        assert_eq!(odd.unknown_members(), ["-1", "99999999999999999999999"]);
    }

    #[test]
    fn round_trips() {
        let mut samples: Vec<RestartScope> = (0..=130).map(RestartScope::from_bits).collect();
        samples.push(RestartScope::from_bits(u64::MAX));
        samples.push(RestartScope::parse("Future"));
        samples.push(RestartScope::parse("Future, Full, Next, 128"));
        samples.push(RestartScope::parse("None, Future"));
        for value in samples {
            let wire = value.to_wire();
            assert_eq!(RestartScope::parse(&wire), value, "{wire}");
            assert_eq!(wire, value.to_string());
            let json_text = serde_json::to_string(&value).unwrap();
            let back: RestartScope = json::from_str(&json_text).unwrap();
            assert_eq!(back, value, "{json_text}");
        }
        for bits in 0..=8 {
            let value = Flags::<NoZeroMembers>::from_bits(bits);
            assert_eq!(Flags::<NoZeroMembers>::parse(&value.to_wire()), value);
        }
    }

    #[test]
    fn set_operations() {
        let mut scope = RestartScope::ESCROWS | RestartScope::FORCE_DELETES;
        assert_eq!(scope.bits(), 34);
        assert!(scope.contains(&RestartScope::ESCROWS));
        assert!(!scope.contains(&RestartScope::FULL));
        scope.insert(&RestartScope::FULL);
        assert_eq!(scope.bits(), 47);
        scope.remove(&RestartScope::FORCE_DELETES);
        assert_eq!(scope, RestartScope::FULL);
        assert_eq!((scope.clone() & RestartScope::ESCROWS).bits(), 2);
        scope |= RestartScope::parse("Future");
        assert!(scope.contains(&RestartScope::parse("Future, Escrows")));
        assert_eq!(
            (scope.clone() & RestartScope::parse("Future")).unknown_members(),
            ["Future"]
        );
        scope.remove(&RestartScope::parse("Future"));
        assert!(scope.unknown_members().is_empty());
        assert_eq!(RestartScope::parse("A, B"), RestartScope::parse("B,A"));
        let set: std::collections::HashSet<RestartScope> =
            [RestartScope::parse("A, B"), RestartScope::parse("B, A")].into();
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn debug_display_and_serde() {
        let scope = RestartScope::from_bits(47);
        assert_eq!(
            format!("{scope:?}"),
            "SynchronizationJobRestartScope(Full | ForceDeletes)"
        );
        assert_eq!(format!("{scope}"), "Full, ForceDeletes");
        assert_eq!(
            format!("{:?}", RestartScope::parse("Escrows, Future")),
            "SynchronizationJobRestartScope(Escrows | \"Future\")"
        );
        assert_eq!(
            format!("{:?}", RestartScope::empty()),
            "SynchronizationJobRestartScope(None)"
        );
        assert_eq!(
            serde_json::to_string(&scope).unwrap(),
            "\"Full, ForceDeletes\""
        );
        let decoded: RestartScope =
            json::from_str("\"Watermark, Escrows, QuarantineState\"").unwrap();
        assert_eq!(decoded.bits(), 14);
        let decoded: RestartScope = json::from_str("15").unwrap();
        assert_eq!(decoded, RestartScope::FULL);
        let parsed: RestartScope = "Full".parse().unwrap();
        assert_eq!(parsed, RestartScope::FULL);
        let err = json::from_str::<RestartScope>("[]").unwrap_err();
        assert!(
            err.message
                .contains("microsoft.graph.synchronizationJobRestartScope"),
            "{err}"
        );
        assert!(json::from_str::<RestartScope>("-1").is_err());
    }
}
