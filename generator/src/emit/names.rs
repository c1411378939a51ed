//! Rust identifiers for CSDL names: case conversion, keywords, and deterministic
//! disambiguation when two names map to the same identifier.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};
use std::collections::BTreeSet;

/// Rust keywords (strict and reserved, 2024 edition) that need `r#` or a suffix.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; these get a trailing `_`.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// A type name: `synchronizationJob` -> `SynchronizationJob`.
pub fn type_name(csdl_name: &str) -> String {
    let name = csdl_name.to_upper_camel_case();
    fix_start(if name.is_empty() {
        "Unnamed".to_string()
    } else {
        name
    })
}

/// A field or method name: `templateId` -> `template_id`.
pub fn field_name(csdl_name: &str) -> String {
    let name = csdl_name.to_snake_case();
    fix_start(if name.is_empty() {
        "unnamed".to_string()
    } else {
        name
    })
}

/// A constant name: `forceDeletes` -> `FORCE_DELETES`.
pub fn const_name(csdl_name: &str) -> String {
    let name = csdl_name.to_shouty_snake_case();
    fix_start(if name.is_empty() {
        "UNNAMED".to_string()
    } else {
        name
    })
}

/// A module (file) name for a type name.
pub fn module_name(rust_type_name: &str) -> String {
    let name = rust_type_name.to_snake_case();
    let name = if name.is_empty() {
        "unnamed".to_string()
    } else {
        fix_start(name)
    };
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// Makes a non-empty name a valid identifier: a leading digit gets a `_` before it
/// (`1st` -> `_1st`), and so do characters CSDL allows but Rust does not (a name may
/// hold any Unicode letter or digit: `a²` -> `a_`, `٣x` -> `_٣x`). Found by fuzzing
/// (tests/fuzz, model_closure): `Ident::new` panicked on such names.
fn fix_start(name: String) -> String {
    if lexes_as_one_ident(&name) && !name.starts_with(|c: char| c.is_ascii_digit()) {
        return name;
    }
    let mut out: String = name
        .chars()
        .map(|c| {
            if lexes_as_one_ident(&format!("_{c}")) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !lexes_as_one_ident(&out) || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// Whether `text` is exactly one identifier token (keywords included, raw ones not).
/// ASCII names (nearly all) are decided here; others are lexed.
fn lexes_as_one_ident(text: &str) -> bool {
    use syn::ext::IdentExt;
    let bytes = text.as_bytes();
    let ascii_ident = match bytes {
        [first, rest @ ..] => {
            (first.is_ascii_alphabetic() || (*first == b'_' && !rest.is_empty()))
                && rest.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
        }
        [] => false,
    };
    ascii_ident
        || (!text.contains('#') && syn::parse::Parser::parse_str(Ident::parse_any, text).is_ok())
}

/// An identifier token, raw (`r#type`) for keywords and suffixed (`self_`) where
/// raw identifiers are not allowed. A name that is no identifier at all is made one
/// as [`field_name`] would (never a panic); `""` becomes `unnamed`.
pub fn ident(name: &str) -> Ident {
    if name.is_empty() {
        return Ident::new("unnamed", Span::call_site());
    }
    if !lexes_as_one_ident(name) {
        return ident(&fix_start(name.to_string()));
    }
    if NOT_RAW.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// Hands out unique names within one scope, in call order (so callers must call in
/// a deterministic order): a clash gets `2`, `3`, ... appended.
#[derive(Debug, Default)]
pub struct NameScope {
    used: BTreeSet<String>,
}

impl NameScope {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        NameScope {
            used: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    pub fn claim(&mut self, wanted: String) -> String {
        if self.used.insert(wanted.clone()) {
            return wanted;
        }
        (2..)
            .map(|n| format!("{wanted}{n}"))
            .find(|candidate| self.used.insert(candidate.clone()))
            .unwrap_or(wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("Self").to_string(), "Self_");
        assert_eq!(ident("name").to_string(), "name");
        assert_eq!(type_name("self"), "Self");
        assert_eq!(field_name("templateId"), "template_id");
        assert_eq!(const_name("ForceDeletes"), "FORCE_DELETES");
        assert_eq!(module_name("Match"), "match_");
    }

    #[test]
    fn names_rust_does_not_allow_become_identifiers() {
        assert_eq!(field_name("a\u{b2}"), "a_");
        assert_eq!(field_name("\u{663}x"), "_\u{663}x");
        assert_eq!(field_name("1st"), "_1st");
        assert_eq!(field_name("\u{e9}t\u{e9}"), "\u{e9}t\u{e9}");
        assert_eq!(module_name(""), "unnamed");
        assert_eq!(ident("").to_string(), "unnamed");
        assert_eq!(ident("a\u{b2}").to_string(), "a_");
        assert_eq!(ident("x-y").to_string(), "x_y");
        assert_eq!(ident("r#type").to_string(), "r_type");
    }

    /// The ASCII shortcut answers as the lexer does.
    #[test]
    fn the_ascii_shortcut_agrees_with_the_lexer() {
        use syn::ext::IdentExt;
        let lexer = |text: &str| {
            !text.contains('#') && syn::parse::Parser::parse_str(Ident::parse_any, text).is_ok()
        };
        for text in [
            "a",
            "A1",
            "_1",
            "__",
            "_",
            "self",
            "type",
            "r",
            "br",
            "c",
            "b",
            "x_y",
            "1a",
            "a-b",
            "",
            " a",
            "a ",
            "a.b",
            "r#x",
            "\u{e9}t\u{e9}",
            "a\u{b2}",
            "_\u{e9}",
        ] {
            assert_eq!(lexes_as_one_ident(text), lexer(text), "{text:?}");
        }
    }

    #[test]
    fn clashes_are_numbered() {
        let mut scope = NameScope::with_reserved(&["additional_properties"]);
        assert_eq!(scope.claim("a".into()), "a");
        assert_eq!(scope.claim("a".into()), "a2");
        assert_eq!(
            scope.claim("additional_properties".into()),
            "additional_properties2"
        );
    }
}
