//! Doc comments for generated items: Graph's prose made Markdown-safe, and doc
//! lines as `#[doc]` attributes. What the lines say is decided in `lower::docs`.

use proc_macro2::TokenStream;
use quote::quote;

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
