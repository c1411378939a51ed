//! The one table of runtime items that generated code names (`crate::runtime::...`).
//! Each entry knows its module and its name, so the path written inline and the
//! `use` line come from the same place: no import travels as a string, and no
//! other emitter spells `crate::runtime`.

use super::names;
use proc_macro2::TokenStream;
use quote::quote;

/// A module of the runtime, for items used through it (`object::serialize`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuntimeModule(&'static str);

impl RuntimeModule {
    /// The module's name, for calls through it after a `self` import.
    pub fn ident(self) -> proc_macro2::Ident {
        names::ident(self.0)
    }
}

/// A type or trait of the runtime. Ordered by name first: the order imports are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuntimeType {
    name: &'static str,
    module: RuntimeModule,
}

impl RuntimeType {
    const fn new(module: &'static str, name: &'static str) -> Self {
        RuntimeType {
            name,
            module: RuntimeModule(module),
        }
    }

    /// The bare name, valid where the item is imported.
    pub fn ident(self) -> proc_macro2::Ident {
        names::ident(self.name)
    }

    /// The full path, valid anywhere in the generated crate.
    pub fn path(self) -> TokenStream {
        let module = self.module.ident();
        let name = self.ident();
        quote!(crate::runtime::#module::#name)
    }

    /// `use crate::runtime::<module>::<Name>;`
    pub fn import(self) -> TokenStream {
        imports(&[Import::Type(self)])
    }
}

pub const OBJECT: RuntimeModule = RuntimeModule("object");
pub const ENUMS: RuntimeModule = RuntimeModule("enums");
pub const JSON: RuntimeModule = RuntimeModule("json");
pub const REGISTRY: RuntimeModule = RuntimeModule("registry");

pub const DATE_TIME_OFFSET: RuntimeType = RuntimeType::new("date_time", "DateTimeOffset");
pub const DURATION: RuntimeType = RuntimeType::new("duration", "Duration");
pub const GUID: RuntimeType = RuntimeType::new("guid", "Guid");
pub const BINARY: RuntimeType = RuntimeType::new("binary", "Binary");
pub const NULLABLE: RuntimeType = RuntimeType::new("nullable", "Nullable");
pub const REDACTED: RuntimeType = RuntimeType::new("redact", "Redacted");
pub const ADDITIONAL_PROPERTIES: RuntimeType = RuntimeType::new("object", "AdditionalProperties");
pub const GRAPH_OBJECT: RuntimeType = RuntimeType::new("object", "GraphObject");
pub const WIRE_ENUM: RuntimeType = RuntimeType::new("enums", "WireEnum");
pub const FLAG_MEMBERS: RuntimeType = RuntimeType::new("flags", "FlagMembers");
pub const FLAGS: RuntimeType = RuntimeType::new("flags", "Flags");
/// The macro that writes the impls every generated flags type shares.
pub const FLAGS_NEWTYPE: RuntimeType = RuntimeType::new("flags", "flags_newtype");
pub const REGISTRY_ERROR: RuntimeType = RuntimeType::new("registry", "RegistryError");
pub const DECODE_ERROR: RuntimeType = RuntimeType::new("json", "DecodeError");
pub const CLIENT: RuntimeType = RuntimeType::new("client", "Client");
pub const REQUEST_PATH: RuntimeType = RuntimeType::new("path", "RequestPath");
pub const GET_REQUEST: RuntimeType = RuntimeType::new("request", "GetRequest");
pub const LIST_REQUEST: RuntimeType = RuntimeType::new("request", "ListRequest");
pub const SEND_REQUEST: RuntimeType = RuntimeType::new("request", "SendRequest");
pub const VALUE_BODY: RuntimeType = RuntimeType::new("body", "ValueBody");
pub const BULK_REQUEST: RuntimeType = RuntimeType::new("scim", "BulkRequest");
pub const PAGE: RuntimeType = RuntimeType::new("paging", "Page");

/// One item of a `use crate::runtime::...` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Import {
    /// The module itself (`object::{self, ...}`).
    Module(RuntimeModule),
    Type(RuntimeType),
}

impl Import {
    fn module(self) -> RuntimeModule {
        match self {
            Import::Module(module) => module,
            Import::Type(ty) => ty.module,
        }
    }
}

/// One `use crate::runtime::...;` for the items, grouped by module in the order
/// the items first name them: `use crate::runtime::m::X;`,
/// `use crate::runtime::m::{self, X};` or `use crate::runtime::{a::X, b::Y};`.
pub fn imports(items: &[Import]) -> TokenStream {
    let mut modules: Vec<(RuntimeModule, Vec<Import>)> = Vec::new();
    for &item in items {
        match modules.iter_mut().find(|(m, _)| *m == item.module()) {
            Some((_, group)) => group.push(item),
            None => modules.push((item.module(), vec![item])),
        }
    }
    let trees: Vec<TokenStream> = modules
        .iter()
        .map(|(module, group)| {
            let module = module.ident();
            let members: Vec<TokenStream> = group
                .iter()
                .map(|item| match item {
                    Import::Module(_) => quote!(self),
                    Import::Type(ty) => {
                        let ident = ty.ident();
                        quote!(#ident)
                    }
                })
                .collect();
            match (group.as_slice(), members.as_slice()) {
                ([Import::Module(_)], _) => quote!(#module),
                ([Import::Type(_)], [single]) => quote!(#module::#single),
                _ => quote!(#module::{#(#members),*}),
            }
        })
        .collect();
    match trees.as_slice() {
        [] => quote!(),
        [single] => quote!(use crate::runtime::#single;),
        _ => quote!(use crate::runtime::{#(#trees),*};),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type_gives_its_path_and_its_import() {
        assert_eq!(
            DATE_TIME_OFFSET.path().to_string(),
            "crate :: runtime :: date_time :: DateTimeOffset"
        );
        assert_eq!(
            DATE_TIME_OFFSET.import().to_string(),
            "use crate :: runtime :: date_time :: DateTimeOffset ;"
        );
    }

    #[test]
    fn imports_group_by_module() {
        let one = imports(&[
            Import::Module(OBJECT),
            Import::Type(ADDITIONAL_PROPERTIES),
            Import::Type(GRAPH_OBJECT),
        ]);
        assert_eq!(
            one.to_string(),
            "use crate :: runtime :: object :: { self , AdditionalProperties , GraphObject } ;"
        );
        let two = imports(&[Import::Type(GUID), Import::Type(NULLABLE)]);
        assert_eq!(
            two.to_string(),
            "use crate :: runtime :: { guid :: Guid , nullable :: Nullable } ;"
        );
        assert!(imports(&[]).is_empty());
    }
}
