//! Doc comment text for generated items: Graph's description first (from the
//! metadata's `Core.Description` / `Core.LongDescription`), then only what the Rust
//! type does not say already (the JSON name, read-only, secrets).

use crate::csdl::Expr;
use crate::descriptions::{DESCRIPTION, LONG_DESCRIPTION};
use crate::model::{Model, PropertyDef};
use proc_macro2::TokenStream;
use quote::quote;

const COMPUTED: &str = "Org.OData.Core.V1.Computed";
const PERMISSIONS: &str = "Org.OData.Core.V1.Permissions";

/// The Core.Description (and LongDescription) of a target, if the metadata has
/// one, as Markdown-safe doc lines.
pub fn description(model: &Model, target: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for term in [DESCRIPTION, LONG_DESCRIPTION] {
        if let Some(Expr::String(text)) = model
            .annotation(target, term)
            .and_then(|a| a.value.as_ref())
            && !text.trim().is_empty()
        {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(graph_text(text));
        }
    }
    lines
}

/// Graph's prose as doc lines: one per line of the text, trimmed, with the
/// characters Markdown would read as markup escaped and bare URLs made links, so
/// rustdoc shows the text as Graph wrote it (and never warns about it).
pub fn graph_text(text: &str) -> Vec<String> {
    text.trim()
        .lines()
        .map(|line| markdown_line(line.trim()))
        .collect()
}

fn markdown_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.starts_with("https://") || word.starts_with("http://") {
            let (url, tail) = split_url(word);
            out.push('<');
            out.push_str(url);
            out.push('>');
            escape_into(tail, &mut out, false);
        } else {
            escape_into(word, &mut out, i == 0);
        }
    }
    out
}

/// A URL without the sentence punctuation that follows it.
fn split_url(word: &str) -> (&str, &str) {
    let end = word
        .trim_end_matches(['.', ',', ';', ':', ')', '\'', '"'])
        .len();
    word.split_at(end)
}

fn escape_into(text: &str, out: &mut String, line_start: bool) {
    for (i, c) in text.chars().enumerate() {
        let markup = matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|')
            || (line_start && i == 0 && matches!(c, '#' | '-' | '+'));
        if markup {
            out.push('\\');
        }
        out.push(c);
    }
}

/// `#[doc = "..."]` attributes, one per line (a line with a line break becomes
/// several, so prettyplease never falls back to a `/** */` block); blank strings
/// give blank doc lines.
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().flat_map(|line| line.split('\n')).map(|line| {
        let line = line.trim_end();
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#lines)*)
}

/// The doc lines of one property: Graph's description, then the JSON name, and
/// read-only, the default value and the secret note where they apply.
pub fn property_lines(model: &Model, property: &PropertyDef, secret: bool) -> Vec<String> {
    let target = format!("{}/{}", property.declared_in, property.name);
    let mut lines = description(model, &target);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    let mut facts = format!("JSON `{}`", property.name);
    if is_read_only(model, &target) {
        facts.push_str("; read-only: Graph sets it and ignores it in requests");
    }
    if let Some(default) = &property.default_value {
        facts.push_str(&format!("; default `{default}`"));
    }
    facts.push('.');
    lines.push(facts);
    if secret {
        lines.push("Secret: shown as `<redacted>` in `Debug` output.".to_string());
    }
    lines
}

/// `Core.Computed` (true or without a value), or `Core.Permissions` of `Read` only.
fn is_read_only(model: &Model, target: &str) -> bool {
    let computed = model
        .annotation(target, COMPUTED)
        .is_some_and(|a| matches!(a.value, None | Some(Expr::Bool(true))));
    let read = model
        .annotation(target, PERMISSIONS)
        .is_some_and(|a| matches!(&a.value, Some(Expr::EnumMember(m)) if m.ends_with("/Read")));
    computed || read
}
