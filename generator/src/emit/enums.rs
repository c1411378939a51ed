//! The emitters for enum types: plain enums keep unknown members as a value;
//! `IsFlags` enums keep the CSDL values and Graph's comma-separated wire form.

use super::docs;
use super::lower::enums::{Enum, EnumKind};
use super::names;
use super::runtime::{self, Import};
use proc_macro2::TokenStream;
use quote::quote;

/// Emits an enum type of either kind.
pub fn enumeration(def: &Enum) -> TokenStream {
    match &def.kind {
        EnumKind::Plain { unknown } => plain(def, unknown),
        EnumKind::Flags { members_name } => flags(def, members_name),
    }
}

/// A plain enum with an `Unknown(String)` catch-all (or `Unknown2` if a member is
/// itself called `unknown`).
fn plain(def: &Enum, unknown: &str) -> TokenStream {
    let name = names::ident(&def.rust_name);
    let odata_name = &def.odata_name;
    let unknown = names::ident(unknown);
    let doc = docs::doc_attrs(&def.doc);
    let variant_defs = def.members.iter().map(|m| {
        let ident = names::ident(&m.rust_name);
        let doc = docs::doc_attrs(&m.doc);
        quote!(#doc #ident,)
    });
    let from_arms = def.members.iter().map(|m| {
        let ident = names::ident(&m.rust_name);
        let wire = &m.wire;
        quote!(#wire => Self::#ident,)
    });
    let as_arms = def.members.iter().map(|m| {
        let ident = names::ident(&m.rust_name);
        let wire = &m.wire;
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
/// values kept. A newtype (not an alias) so that the type is this crate's own; the
/// runtime's `flags_newtype!` writes the impls every flags type shares.
fn flags(def: &Enum, members_name: &str) -> TokenStream {
    let name = names::ident(&def.rust_name);
    let members_name = names::ident(members_name);
    let odata_name = &def.odata_name;
    let mut table = Vec::new();
    let mut consts = Vec::new();
    for m in &def.members {
        let wire = &m.wire;
        let value = u64::try_from(m.value).unwrap_or(0);
        table.push(quote!((#wire, #value)));
        let ident = names::ident(&m.rust_name);
        let doc = docs::doc_attrs(&m.doc);
        consts.push(quote!(#doc pub const #ident: Self = Self(Flags::from_bits(#value));));
    }
    let doc = docs::doc_attrs(&def.doc);
    let members_doc = format!(
        " The members of `{}` with their CSDL values.",
        def.odata_name
    );
    let flags_newtype = runtime::FLAGS_NEWTYPE.ident();
    let use_runtime = runtime::imports(&[
        Import::Type(runtime::FLAG_MEMBERS),
        Import::Type(runtime::FLAGS),
        Import::Type(runtime::FLAGS_NEWTYPE),
    ]);
    quote! {
        #use_runtime

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
        }

        #flags_newtype!(#name, #members_name);
    }
}
