//! Decodes a JSON document from stdin as a named Graph type and writes it back,
//! re-encoded, to stdout: `cargo run -q -p msgraph-sync --example roundtrip --
//! synchronizationJob < in.json > out.json`. The type is named as Graph names it,
//! with or without the `microsoft.graph.` namespace and in any case
//! (`synchronizationJob`, `microsoft.graph.synchronizationJob`,
//! `Collection(synchronizationJob)`). Exits 2 with the JSON path of the failure when
//! the document does not decode; 1 on a usage error.

use msgraph_sync::models::{AnyModel, TYPE_NAMES};
use std::io::{Read, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(type_name) = std::env::args().nth(1) else {
        eprintln!(
            "usage: roundtrip <type name, e.g. synchronizationJob or Collection(synchronizationJob)> < in.json"
        );
        eprintln!("types: {}", TYPE_NAMES.join(", "));
        return ExitCode::from(1);
    };
    let mut input = String::new();
    if let Err(err) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("error: cannot read standard input: {err}");
        return ExitCode::from(1);
    }
    let decoded = match AnyModel::decode(&qualified(&type_name), &input) {
        Ok(decoded) => decoded,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let encoded = match serde_json::to_string(&decoded) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("error: cannot encode: {err}");
            return ExitCode::from(2);
        }
    };
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{encoded}").is_err() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// The registry's name for `name`: a qualified name as it is, a local name
/// (`synchronizationJob`, any case) with its namespace, inside `Collection(...)` too.
/// A name that matches no type is returned unchanged, for the registry to reject.
fn qualified(name: &str) -> String {
    let name = name.trim().trim_start_matches('#');
    if let Some(inner) = name
        .strip_prefix("Collection(")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        return format!("Collection({})", qualified(inner));
    }
    if TYPE_NAMES.contains(&name) {
        return name.to_string();
    }
    let matches: Vec<&str> = TYPE_NAMES
        .iter()
        .copied()
        .filter(|full| {
            full.eq_ignore_ascii_case(name)
                || full
                    .strip_prefix("microsoft.graph.")
                    .is_some_and(|local| local.eq_ignore_ascii_case(name))
        })
        .collect();
    match matches.as_slice() {
        [only] => (*only).to_string(),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::qualified;

    #[test]
    fn local_and_qualified_names_name_the_same_type() {
        let job = "microsoft.graph.synchronizationJob";
        assert_eq!(qualified(job), job);
        assert_eq!(qualified("synchronizationJob"), job);
        assert_eq!(qualified("SynchronizationJob"), job);
        assert_eq!(qualified("#synchronizationJob"), job);
        assert_eq!(
            qualified("Collection(synchronizationJob)"),
            format!("Collection({job})")
        );
        assert_eq!(
            qualified("acquireAccessToken.parameters"),
            "microsoft.graph.acquireAccessToken.parameters"
        );
        assert_eq!(qualified("noSuchType"), "noSuchType");
    }
}
