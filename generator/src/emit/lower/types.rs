//! The Rust type of one value, as plain data (tokens cannot cross threads): a
//! builtin, a runtime value type or a generated model.

use super::super::names;
use super::super::runtime::RuntimeType;
use proc_macro2::TokenStream;
use quote::quote;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    /// A type of Rust or a dependency, by path: `String`, `serde_json::Value`.
    Builtin(&'static str),
    /// A value type of the runtime (`DateTimeOffset`): imported by name.
    Runtime(RuntimeType),
    /// A generated model, by its Rust name: imported by name.
    Model(String),
}

impl RustType {
    /// The type as written where its imports are in scope.
    pub fn tokens(&self) -> TokenStream {
        match self {
            RustType::Builtin(path) => {
                let segments = path.split("::").map(names::ident);
                quote!(#(#segments)::*)
            }
            RustType::Runtime(ty) => {
                let ident = ty.ident();
                quote!(#ident)
            }
            RustType::Model(name) => {
                let ident = names::ident(name);
                quote!(#ident)
            }
        }
    }

    /// The model's Rust name, if this is a generated model.
    pub fn model(&self) -> Option<&str> {
        match self {
            RustType::Model(name) => Some(name),
            _ => None,
        }
    }

    /// The runtime type, if this is one.
    pub fn runtime(&self) -> Option<RuntimeType> {
        match self {
            RustType::Runtime(ty) => Some(*ty),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::runtime;

    #[test]
    fn tokens_name_the_type_as_imported() {
        assert_eq!(
            RustType::Builtin("serde_json::Value").tokens().to_string(),
            "serde_json :: Value"
        );
        assert_eq!(
            RustType::Runtime(runtime::GUID).tokens().to_string(),
            "Guid"
        );
        assert_eq!(
            RustType::Model("SynchronizationJob".into())
                .tokens()
                .to_string(),
            "SynchronizationJob"
        );
        assert_eq!(RustType::Model("Job".into()).model(), Some("Job"));
        assert_eq!(
            RustType::Runtime(runtime::GUID).runtime(),
            Some(runtime::GUID)
        );
    }
}
