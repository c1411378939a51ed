//! The emitters for enum types: plain enums keep unknown members as a value;
//! `IsFlags` enums keep the CSDL values and Graph's comma-separated wire form.

use super::docs;
use super::names::{self, NameScope};
use super::runtime::{self, Import};
use super::space::TypeSpace;
use crate::model::EnumDef;
use proc_macro2::TokenStream;
use quote::quote;

/// A plain enum with an `Unknown(String)` catch-all (or `Unknown2` if a member is
/// itself called `unknown`).
pub fn plain(space: &TypeSpace<'_>, def: &EnumDef, rust_name: &str) -> TokenStream {
    let name = names::ident(rust_name);
    let odata_name = &def.name;
    let mut scope = NameScope::default();
    let variants: Vec<(String, &str, i64)> = def
        .members
        .iter()
        .map(|m| {
            (
                scope.claim(names::type_name(&m.name)),
                m.name.as_str(),
                m.value,
            )
        })
        .collect();
    let unknown = names::ident(&scope.claim("Unknown".to_string()));
    let evolvable = def.members.iter().any(|m| m.name == "unknownFutureValue");
    let mut doc = docs::description(space.model, &def.name);
    if !doc.is_empty() {
        doc.push(String::new());
    }
    doc.push(format!(
        "The Graph enum type `{}`, sent as its member name.",
        def.name
    ));
    doc.push(String::new());
    doc.push(format!(
        "A member this crate does not know decodes to `{unknown}(name)` and encodes back unchanged.{}",
        if evolvable {
            " Graph evolves this enum: members after `unknownFutureValue` are sent only \
             with `Prefer: include-unknown-enum-members` (the client sends it by default)."
        } else {
            ""
        }
    ));
    let doc = docs::doc_attrs(&doc);
    let variant_defs = variants.iter().map(|(rust, wire, value)| {
        let ident = names::ident(rust);
        let doc = member_doc(space, &def.name, wire, *value);
        quote!(#doc #ident,)
    });
    let from_arms = variants.iter().map(|(rust, wire, _)| {
        let ident = names::ident(rust);
        quote!(#wire => Self::#ident,)
    });
    let as_arms = variants.iter().map(|(rust, wire, _)| {
        let ident = names::ident(rust);
        quote!(Self::#ident => #wire,)
    });
    let use_runtime = runtime::imports(&[
        Import::Module(runtime::ENUMS),
        Import::Type(runtime::WIRE_ENUM),
    ]);
    quote! {
        #use_runtime
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_defs)*
            /// A member this version of the crate does not know, kept verbatim.
            #unknown(String),
        }

        impl WireEnum for #name {
            const NAME: &'static str = #odata_name;

            fn from_wire(text: &str) -> Self {
                match text {
                    #(#from_arms)*
                    other => Self::#unknown(other.to_string()),
                }
            }

            fn as_wire(&self) -> &str {
                match self {
                    #(#as_arms)*
                    Self::#unknown(other) => other,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_wire())
            }
        }

        impl From<&str> for #name {
            fn from(text: &str) -> Self {
                Self::from_wire(text)
            }
        }

        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                enums::serialize(self, serializer)
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                enums::deserialize(deserializer)
            }
        }
    }
}

/// A flags enum: a newtype over `Flags<Members>` with one constant per member, CSDL
/// values kept. A newtype (not an alias) so that the type is this crate's own.
pub fn flags(space: &TypeSpace<'_>, def: &EnumDef, rust_name: &str) -> TokenStream {
    let name = names::ident(rust_name);
    let members_name = names::ident(&format!("{rust_name}Members"));
    let odata_name = &def.name;
    let mut scope = NameScope::with_reserved(&["EMPTY"]);
    let mut table = Vec::new();
    let mut consts = Vec::new();
    for m in &def.members {
        let wire = &m.name;
        let value = u64::try_from(m.value).unwrap_or(0);
        table.push(quote!((#wire, #value)));
        let ident = names::ident(&scope.claim(names::const_name(&m.name)));
        let doc = member_doc(space, &def.name, wire, m.value);
        consts.push(quote!(#doc pub const #ident: Self = Self(Flags::from_bits(#value));));
    }
    let mut doc = docs::description(space.model, &def.name);
    if !doc.is_empty() {
        doc.push(String::new());
    }
    doc.push(format!(
        "The Graph flags enum type `{}` (`IsFlags`): members combine with `|` and keep \
         their CSDL values; on the wire a comma-separated list of member names \
         (`\"A, B\"`). Unknown names are kept. The [`Flags`] it wraps (via `Deref`) \
         offers `contains`, `bits`, `member_names` and the rest.",
        def.name
    ));
    let doc = docs::doc_attrs(&doc);
    let members_doc = format!(" The members of `{}` with their CSDL values.", def.name);
    let use_runtime = runtime::imports(&[
        Import::Type(runtime::FLAG_MEMBERS),
        Import::Type(runtime::FLAGS),
    ]);
    quote! {
        #use_runtime
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        #[doc = #members_doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct #members_name;

        impl FlagMembers for #members_name {
            const NAME: &'static str = #odata_name;
            const MEMBERS: &'static [(&'static str, u64)] = &[#(#table),*];
        }

        #doc
        #[derive(Clone, Default, PartialEq, Eq, Hash)]
        pub struct #name(pub Flags<#members_name>);

        impl #name {
            /// No member set.
            pub const EMPTY: Self = Self(Flags::from_bits(0));
            #(#consts)*

            /// Reads the wire form; never fails (unknown names are kept).
            pub fn parse(text: &str) -> Self {
                Self(Flags::parse(text))
            }

            /// The wire form, as Graph writes it.
            pub fn to_wire(&self) -> String {
                self.0.to_wire()
            }
        }

        impl std::ops::Deref for #name {
            type Target = Flags<#members_name>;

            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl std::ops::BitOr for #name {
            type Output = Self;

            fn bitor(self, other: Self) -> Self {
                Self(self.0 | other.0)
            }
        }

        impl std::ops::BitOrAssign for #name {
            fn bitor_assign(&mut self, other: Self) {
                self.0 |= other.0;
            }
        }

        impl std::ops::BitAnd for #name {
            type Output = Self;

            fn bitand(self, other: Self) -> Self {
                Self(self.0 & other.0)
            }
        }

        impl From<Flags<#members_name>> for #name {
            fn from(flags: Flags<#members_name>) -> Self {
                Self(flags)
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Ok(Self::parse(text))
            }
        }

        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0.to_wire())
            }
        }

        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(serializer)
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Flags::deserialize(deserializer).map(Self)
            }
        }
    }
}

/// Graph's description of a member (if any), then its wire name and value.
fn member_doc(space: &TypeSpace<'_>, enum_name: &str, wire: &str, value: i64) -> TokenStream {
    let mut lines = docs::description(space.model, &format!("{enum_name}/{wire}"));
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!("`{wire}` (value {value})."));
    docs::doc_attrs(&lines)
}
