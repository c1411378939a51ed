//! Path normalization: one key for every spelling of the same Graph path.
//!
//! permissions.json and the CSDL navigation tree spell the same path in many
//! ways. The rules below were derived from the real file (7,343 distinct paths):
//!
//! - case differs (`servicePrincipals` vs `serviceprincipals`): lower-case all;
//! - parameter names differ (`{id}`, `{servicePrincipalId}`, `{servicePrincipal-id}`,
//!   and the typo `{id}}`): every `{...}` becomes `{}`, quoted (`'{id}'`) or not;
//! - empty segments (leading, trailing or doubled `/`) are dropped;
//! - whitespace is dropped (`f(a={value}, b={value})`);
//! - key-in-parentheses (`workflows({id})`, `ingest('{itemId}')`) becomes a key
//!   segment (`workflows/{}`), as OData treats both alike; named keys and function
//!   parameters (`serviceprincipals(appid={value})`, `range(address={value})`) stay;
//! - an empty argument list (`filterOperators()`) is dropped;
//! - the namespace of qualified segments (`microsoft.graph.start`, alias
//!   `graph.x`) is dropped, since Graph accepts bound operations unqualified;
//! - a query suffix (`?$filter=...`) is kept, normalized the same way, so a
//!   filtered listing never lends its permissions to the plain path.

/// The namespace prefixes dropped from qualified segments (full name, then alias).
const NAMESPACE_PREFIXES: [&str; 2] = ["microsoft.graph.", "graph."];

/// Normalizes a path template so that spellings of the same path compare equal.
///
/// Lower-case segments joined by `/`, each parameter as `{}`; see the module docs.
/// Always starts with `/`; the root normalizes to `/`.
pub fn normalize_path(path: &str) -> String {
    let (path_part, query) = match path.split_once('?') {
        Some((path_part, query)) => (path_part, Some(query)),
        None => (path, None),
    };
    let mut out = String::with_capacity(path.len() + 1);
    let mut segment = String::new();
    for raw in path_part.split('/') {
        segment.clear();
        normalize_text_into(raw, &mut segment);
        push_segment(&mut out, &segment);
    }
    if out.is_empty() {
        out.push('/');
    }
    if let Some(query) = query {
        segment.clear();
        normalize_text_into(query, &mut segment);
        if !segment.is_empty() {
            out.push('?');
            out.push_str(&segment);
        }
    }
    out
}

/// Appends one normalized segment (or two, for a key in parentheses) to `out`.
fn push_segment(out: &mut String, text: &str) {
    let mut text = strip_namespace(text);
    if let Some(name) = text.strip_suffix("()").filter(|n| !n.is_empty()) {
        text = name;
    }
    if text.is_empty() {
        return;
    }
    out.push('/');
    match text.strip_suffix("({})").filter(|n| !n.is_empty()) {
        Some(name) => {
            out.push_str(name);
            out.push_str("/{}");
        }
        None => out.push_str(text),
    }
}

/// Drops a leading `microsoft.graph.` or `graph.` from a qualified segment.
fn strip_namespace(text: &str) -> &str {
    NAMESPACE_PREFIXES
        .iter()
        .find_map(|prefix| text.strip_prefix(prefix))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(text)
}

/// Appends `text` lower-cased, without whitespace, every `{...}` (or `'{...}'`)
/// turned into `{}`.
fn normalize_text_into(text: &str, out: &mut String) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' => {
                // Skip the parameter name, its closing brace, and stray extra braces
                // (`{id}}` occurs in the real file). An unclosed brace runs to the end.
                for inner in chars.by_ref() {
                    if inner == '}' {
                        break;
                    }
                }
                while chars.next_if_eq(&'}').is_some() {}
                if out.ends_with('\'') && chars.next_if_eq(&'\'').is_some() {
                    out.pop();
                }
                out.push_str("{}");
            }
            c if c.is_ascii() => {
                if !c.is_ascii_whitespace() {
                    out.push(c.to_ascii_lowercase());
                }
            }
            c if c.is_whitespace() => {}
            c => out.extend(c.to_lowercase()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_path;

    #[test]
    fn forms_seen_in_permissions_json() {
        let cases = [
            (
                "/servicePrincipals/{servicePrincipal-id}/synchronization/secrets",
                "/serviceprincipals/{}/synchronization/secrets",
            ),
            (
                "/serviceprincipals/{id}/synchronization/secrets/",
                "/serviceprincipals/{}/synchronization/secrets",
            ),
            ("/a/{id}}/b", "/a/{}/b"),
            (
                "/me/drive/root:/{id}:/workbook",
                "/me/drive/root:/{}:/workbook",
            ),
            ("/x/workflows({id})/preview", "/x/workflows/{}/preview"),
            ("/rp/ingest('{itemId}')", "/rp/ingest/{}"),
            (
                "/sites/getOperationStatus(operationId='{id}')",
                "/sites/getoperationstatus(operationid={})",
            ),
            (
                "/r/resizedrange(deltarows={value}, deltacolumns={value})",
                "/r/resizedrange(deltarows={},deltacolumns={})",
            ),
            ("/jobs/{id}/microsoft.graph.start", "/jobs/{}/start"),
            ("/schema/filterOperators()", "/schema/filteroperators"),
            ("/a?$filter=id eq '{id}'", "/a?$filter=ideq{}"),
            ("", "/"),
            ("//", "/"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_path(input), expected, "{input}");
        }
    }
}
