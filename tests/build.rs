//! Generates the models of every quirk fixture (generator/tests/fixtures/csdl) into
//! OUT_DIR so that `cargo build` compiles them: the emitter's output must compile
//! for keyword names, name clashes, memberless enums, overloads and the rest.

use std::path::Path;

fn main() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/tests/fixtures/csdl");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    println!("cargo:rerun-if-changed=../generator/src");
    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .map(|dir| {
            dir.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.ends_with(".xml"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::new();
    for name in names {
        let path = fixtures.join(&name);
        println!("cargo:rerun-if-changed={}", path.display());
        let bytes = std::fs::read(&path).unwrap_or_default();
        let files = match msgraph_sync_generator::pipeline::models_of_document(&name, &bytes) {
            Ok(files) => files,
            Err(err) => {
                println!("cargo:warning=fixture {name} does not generate: {err}");
                std::process::exit(1);
            }
        };
        let module = name.trim_end_matches(".xml");
        out.push_str(&format!(
            "/// Models generated from the fixture `{name}`.\npub mod {module} {{\n{}\n}}\n",
            msgraph_sync_generator::pipeline::inline_modules(&files)
        ));
    }
    let target = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("fixture_models.rs");
    if let Err(err) = std::fs::write(&target, out) {
        println!("cargo:warning=cannot write {}: {err}", target.display());
        std::process::exit(1);
    }
}
