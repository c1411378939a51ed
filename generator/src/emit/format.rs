//! Tokens -> formatted source, in-process with prettyplease (no dependency on a
//! local rustfmt), with the `@generated` header on the first line.

use proc_macro2::TokenStream;

/// Parses and pretty-prints one file; a syntax error here is a generator bug and is
/// reported with the file's name.
pub fn format_file(file_name: &str, header: &str, tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|err| format!("generated tokens for {file_name} do not parse: {err}"))?;
    let body = prettyplease::unparse(&file);
    Ok(format!("{header}\n{body}"))
}
