//! The models of a quirk fixture (`generator/tests/fixtures/csdl`): what the emitter
//! snapshots pin (`emit_snapshots.rs`) and what the tests crate's build script
//! generates so that `cargo build` compiles them (it includes this file with
//! `#[path]`, as a build script cannot reach test code otherwise).

use msgraph_sync_generator::csdl;
use msgraph_sync_generator::emit::{self, GeneratedFile, TypeSpace};
use msgraph_sync_generator::lock::sha256_hex;
use msgraph_sync_generator::model::{self, Closure};
use msgraph_sync_generator::permissions::PermissionsSlice;
use msgraph_sync_generator::pipeline::Error;
use msgraph_sync_generator::profile::Profile;

/// The models generated for every type of a document (roots = all its entity,
/// complex and enum types), and the request builders of its entity sets if it has
/// any (no permissions): what the emitter snapshots pin.
pub fn models_of_document(source: &str, bytes: &[u8]) -> Result<Vec<GeneratedFile>, Error> {
    let csdl = csdl::read(source, bytes)?;
    let model = model::resolve(&csdl)?;
    let roots: Vec<String> = model.types.keys().cloned().collect();
    let closure = Closure::compute(&model, &roots).map_err(Error::Input)?;
    let profile = Profile {
        crate_name: "fixture".to_string(),
        roots,
        entry_sets: model.entry_sets.keys().cloned().collect(),
        secret_properties: Vec::new(),
        media_types: Default::default(),
    };
    let space = TypeSpace::new(&model, &closure, &profile);
    let mut files = emit::models(
        &space,
        &emit::header(),
        &sha256_hex(bytes),
        &emit::FormatCache::disabled(),
    )
    .map_err(Error::Internal)?;
    if !profile.entry_sets.is_empty() {
        let tree = model::build_paths(&model, &closure, &profile.entry_sets)?;
        let none = PermissionsSlice::new("none", Vec::new());
        let paths = model::apply_permissions(tree, &none.grants()).paths;
        files.extend(
            emit::api(&space, &paths, &none, &emit::header(), false).map_err(Error::Internal)?,
        );
    }
    Ok(files)
}

/// Joins generated model files into one module body (`mod x;` replaced by the file
/// inline), so a build script can `include!` a whole generated folder (the request
/// builders are left out: they need the crate's runtime).
pub fn inline_modules(files: &[GeneratedFile]) -> String {
    let by_name: std::collections::BTreeMap<&str, &str> = files
        .iter()
        .filter(|f| f.path.starts_with("generated/src/models/"))
        .filter_map(|f| {
            let name = f.path.rsplit('/').next()?.strip_suffix(".rs")?;
            Some((name, f.contents.as_str()))
        })
        .collect();
    let root = by_name.get("mod").copied().unwrap_or_default();
    let mut out = String::new();
    for line in root.lines() {
        let module = line
            .trim()
            .strip_prefix("mod ")
            .and_then(|rest| rest.strip_suffix(';'));
        match module.and_then(|m| {
            by_name
                .get(m.trim_start_matches("r#"))
                .map(|body| (m, body))
        }) {
            Some((name, body)) => {
                out.push_str(&format!("mod {name} {{\n{body}\n}}\n"));
            }
            None if line.starts_with("//!") => {}
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}
