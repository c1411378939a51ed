//! Tokens -> formatted source, in-process with prettyplease (no dependency on a
//! local rustfmt), with the `@generated` header on the first line and a blank line
//! between items (prettyplease writes none).

use proc_macro2::TokenStream;

/// Parses and pretty-prints one file; a syntax error here is a generator bug and is
/// reported with the file's name.
pub fn format_file(file_name: &str, header: &str, tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|err| format!("generated tokens for {file_name} do not parse: {err}"))?;
    let body = space_items(&prettyplease::unparse(&file));
    Ok(format!("{header}\n{body}"))
}

/// Inserts a blank line before an item (or its docs and attributes) that follows
/// the closing `}` of the item before it at the same indentation, before the first
/// item after a group of `use` or `mod` lines, and after the module's `//!` docs.
/// Lines inside string literals are never touched.
pub fn space_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut in_string = StringState::Outside;
    let mut previous: Option<&str> = None;
    // The kind of the top-level statement the previous line belongs to.
    let mut statement_kind: Option<&str> = None;
    for line in text.lines() {
        let starts_outside = in_string == StringState::Outside;
        if starts_outside && let Some(prev) = previous {
            let indent = indentation(line);
            let trimmed = line.trim_start();
            // A macro invocation is an item only at the top level (in a body it
            // is a statement).
            let item = item_kind(trimmed)
                .or_else(|| (indent == 0 && is_macro_call(trimmed)).then_some("item"));
            let blank = match item {
                Some(kind) => {
                    let after_item = prev.trim() == "}" && indentation(prev) == indent;
                    let after_group = indent == 0
                        && prev.trim_end().ends_with(';')
                        && (statement_kind.is_some_and(|k| k != kind) || is_struct_line(prev));
                    let after_inner_docs =
                        prev.trim_start().starts_with("//!") && !trimmed.starts_with("//!");
                    after_item || after_group || after_inner_docs
                }
                None => false,
            };
            if blank && !prev.trim().is_empty() {
                out.push('\n');
            }
            if indent == 0 && item.is_some() {
                statement_kind = item;
            }
        } else if previous.is_none() {
            statement_kind = item_kind(line.trim_start());
        }
        out.push_str(line);
        out.push('\n');
        in_string = scan(line, in_string);
        previous = Some(line);
    }
    out
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The kind of item a line starts (`use`, `mod`, or `item` for anything else,
/// its docs and attributes included), or `None` for a line inside a body.
fn item_kind(trimmed: &str) -> Option<&'static str> {
    let rest = trimmed
        .strip_prefix("pub(crate) ")
        .or_else(|| trimmed.strip_prefix("pub "))
        .unwrap_or(trimmed);
    if rest.starts_with("use ") {
        return Some("use");
    }
    if rest.starts_with("mod ") {
        return Some("mod");
    }
    const STARTS: [&str; 14] = [
        "///",
        "//!",
        "#[",
        "#![",
        "fn ",
        "impl",
        "struct ",
        "enum ",
        "const ",
        "static ",
        "type ",
        "trait ",
        "async fn ",
        "unsafe ",
    ];
    (STARTS.iter().any(|s| rest.starts_with(s)) || trimmed.starts_with("pub ")).then_some("item")
}

/// A unit or tuple struct declared on one line (`pub struct X;`).
fn is_struct_line(line: &str) -> bool {
    let rest = line.strip_prefix("pub ").unwrap_or(line);
    rest.starts_with("struct ") && line.trim_end().ends_with(';')
}

/// `name!(...)` or `name! {`: a macro invocation standing as an item.
fn is_macro_call(text: &str) -> bool {
    let name_len = text
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    name_len > 0 && text[name_len..].starts_with('!')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StringState {
    Outside,
    /// Inside `"..."`.
    Plain,
    /// Inside `r#"..."#` with this many `#`.
    Raw(usize),
}

/// The string state at the end of `line`, given the state at its start. Comments
/// end at the line's end; char literals and lifetimes are told apart.
fn scan(line: &str, mut state: StringState) -> StringState {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match state {
            StringState::Plain => match bytes[i] {
                b'\\' => i += 1,
                b'"' => state = StringState::Outside,
                _ => {}
            },
            StringState::Raw(hashes) => {
                if bytes[i] == b'"'
                    && bytes[i + 1..].iter().take_while(|&&b| b == b'#').count() >= hashes
                {
                    state = StringState::Outside;
                    i += hashes;
                }
            }
            StringState::Outside => match bytes[i] {
                b'/' if bytes.get(i + 1) == Some(&b'/') => return state,
                b'"' => state = StringState::Plain,
                b'r' if is_raw_start(bytes, i) => {
                    let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
                    state = StringState::Raw(hashes);
                    i += hashes + 1;
                }
                b'\'' => {
                    // `'x'` or `'\n'` is a char literal; `'a` a lifetime.
                    if bytes.get(i + 1) == Some(&b'\\') {
                        i += 2;
                        while i < bytes.len() && bytes[i] != b'\'' {
                            i += 1;
                        }
                    } else if let Some(len) = char_len(&line[i + 1..])
                        && bytes.get(i + 1 + len) == Some(&b'\'')
                    {
                        i += 1 + len;
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    state
}

/// `r"` or `r#..."` that is not the end of an identifier (`for"` cannot occur).
fn is_raw_start(bytes: &[u8], i: usize) -> bool {
    let before_ok = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
    let after = &bytes[i + 1..];
    let hashes = after.iter().take_while(|&&b| b == b'#').count();
    before_ok && after.get(hashes) == Some(&b'"')
}

fn char_len(rest: &str) -> Option<usize> {
    rest.chars().next().map(char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::space_items;

    #[test]
    fn separates_items_and_groups_but_not_strings() {
        let text = "//! Module docs.\nmod a;\nmod b;\npub use a::A;\nuse x::Y;\n/// Doc.\npub struct S {\n    pub a: u8,\n}\nimpl S {\n    fn f() {\n        let s = \"\n}\nfn g() {}\";\n    }\n    fn h() {}\n}\n";
        let expected = "//! Module docs.\n\nmod a;\nmod b;\n\npub use a::A;\nuse x::Y;\n\n/// Doc.\npub struct S {\n    pub a: u8,\n}\n\nimpl S {\n    fn f() {\n        let s = \"\n}\nfn g() {}\";\n    }\n\n    fn h() {}\n}\n";
        assert_eq!(space_items(text), expected);
    }

    #[test]
    fn raw_strings_and_char_literals_do_not_confuse_the_scanner() {
        let text = "const A: char = '\"';\nconst B: &str = r#\"\n}\nfn x() {}\"#;\nfn f<'a>() {\n}\nfn g() {}\n";
        let expected = "const A: char = '\"';\nconst B: &str = r#\"\n}\nfn x() {}\"#;\nfn f<'a>() {\n}\n\nfn g() {}\n";
        assert_eq!(space_items(text), expected);
    }
}
