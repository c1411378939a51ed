//! Shared helpers for the workspace's integration tests.
#![forbid(unsafe_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or_else(|| manifest.to_path_buf())
}

/// `../shared` beside the workspace, if present. Prints a skip message naming the
/// test when it is absent (a user's clone has no `../shared`; CI always has it).
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let dir = workspace_root().join("../shared");
    if dir.join("metadata").is_dir() {
        Some(dir)
    } else {
        println!("skipped {test}: ../shared not found beside the workspace");
        None
    }
}

/// JSON equality where a string of comma-separated names (a flags value) equals
/// another with the same names in another order or spacing: Graph writes
/// `"Watermark, Escrows"` in any order, the crate writes them by value.
pub fn json_eq_flags_as_sets(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq_flags_as_sets(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| json_eq_flags_as_sets(v, w))
        }
        (Value::String(x), Value::String(y)) if x != y && x.contains(',') => {
            let set = |s: &str| {
                let mut parts: Vec<String> = s.split(',').map(|p| p.trim().to_string()).collect();
                parts.sort();
                parts
            };
            set(x) == set(y)
        }
        _ => a == b,
    }
}

/// The first difference between two JSON values, as a JSON path and both sides.
pub fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => {
                        if let Some(d) = first_difference(v, w, &format!("{path}.{k}")) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("{path}.{k}: missing after re-encoding")),
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{path}.{k}: added by re-encoding"))
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| first_difference(v, w, &format!("{path}[{i}]"))),
        _ if json_eq_flags_as_sets(a, b) => None,
        _ => Some(format!("{path}: {a} became {b}")),
    }
}
