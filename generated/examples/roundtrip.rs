//! Decodes a JSON document from stdin as a named Graph type and writes it back,
//! re-encoded, to stdout: `cargo run -q -p msgraph-sync --example roundtrip --
//! microsoft.graph.synchronizationJob < in.json > out.json`. Exits 2 with the JSON
//! path of the failure when the document does not decode; 1 on a usage error.

use msgraph_sync::models::{AnyModel, TYPE_NAMES};
use std::io::{Read, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(type_name) = std::env::args().nth(1) else {
        eprintln!(
            "usage: roundtrip <type name, e.g. microsoft.graph.synchronizationJob or Collection(...)> < in.json"
        );
        eprintln!("types: {}", TYPE_NAMES.join(", "));
        return ExitCode::from(1);
    };
    let mut input = String::new();
    if let Err(err) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("error: cannot read standard input: {err}");
        return ExitCode::from(1);
    }
    let decoded = match AnyModel::decode(&type_name, &input) {
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
