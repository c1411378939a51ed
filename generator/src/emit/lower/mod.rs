//! Lowering: the model, closure and profile (through the [`TypeSpace`]) and the
//! paths turned into plain data that the emitters turn into tokens and nothing
//! else. Names, docs, field shapes, the builder tree and imports are decided here,
//! once; where each file goes is `write::Output`'s.

pub mod api;
pub mod docs;
pub mod enums;
pub mod fields;
pub mod registry;
pub mod space;
pub mod types;

use crate::model::{ApiPath, TypeDef};
use crate::permissions::PermissionsSlice;
use space::TypeSpace;

/// Everything one generation emits.
#[derive(Debug, Clone, Default)]
pub struct Lowered {
    /// The models folder, if emitted.
    pub models: Option<Models>,
    /// The request builders, if emitted.
    pub api: Option<api::Api>,
    /// Whether the test that calls every endpoint comes with the builders.
    pub endpoint_test: bool,
}

/// The models folder: one file per type or parameter object, the registry, and
/// `mod.rs`'s modules with what each exports.
#[derive(Debug, Clone, Default)]
pub struct Models {
    pub files: Vec<ModelFile>,
    pub registry: registry::Registry,
    /// `(module, exported names)`, sorted.
    pub modules: Vec<(String, Vec<String>)>,
    /// SHA-256 of the metadata, for `METADATA_SHA256`.
    pub source_sha256: String,
}

/// One model file.
#[derive(Debug, Clone)]
pub struct ModelFile {
    pub module: String,
    pub item: ModelItem,
}

#[derive(Debug, Clone)]
pub enum ModelItem {
    Object(fields::Object),
    Enum(enums::Enum),
}

impl Lowered {
    /// The models and the request builders with their endpoint test.
    pub fn all(
        space: &TypeSpace<'_>,
        paths: &[ApiPath],
        permissions: &PermissionsSlice,
        source_sha256: &str,
    ) -> Result<Lowered, String> {
        Ok(Lowered {
            models: Some(models(space, source_sha256)),
            api: Some(api::Api::lower(space, paths, permissions)?),
            endpoint_test: true,
        })
    }

    /// The models alone.
    pub fn models(space: &TypeSpace<'_>, source_sha256: &str) -> Lowered {
        Lowered {
            models: Some(models(space, source_sha256)),
            ..Lowered::default()
        }
    }

    /// The request builders alone, with or without their endpoint test.
    pub fn api(
        space: &TypeSpace<'_>,
        paths: &[ApiPath],
        permissions: &PermissionsSlice,
        endpoint_test: bool,
    ) -> Result<Lowered, String> {
        Ok(Lowered {
            models: None,
            api: Some(api::Api::lower(space, paths, permissions)?),
            endpoint_test,
        })
    }
}

/// Names reserved in the models module for the registry, and what it exports.
const REGISTRY_EXPORTS: &[&str] = space::RESERVED;

fn models(space: &TypeSpace<'_>, source_sha256: &str) -> Models {
    let mut files = Vec::new();
    let mut modules: Vec<(String, Vec<String>)> = Vec::new();
    for (def, rust_name) in space.types() {
        let module = super::names::module_name(rust_name);
        let (item, exports) = match def {
            TypeDef::Structured(s) => (
                ModelItem::Object(fields::structured(space, s, rust_name)),
                vec![rust_name.to_string()],
            ),
            TypeDef::Enum(e) if e.is_flags => (
                ModelItem::Enum(enums::flags(space, e, rust_name)),
                vec![rust_name.to_string(), format!("{rust_name}Members")],
            ),
            TypeDef::Enum(e) => (
                ModelItem::Enum(enums::plain(space, e, rust_name)),
                vec![rust_name.to_string()],
            ),
            // Type definitions map to their underlying primitive; nothing to emit.
            TypeDef::Definition(_) => continue,
        };
        files.push(ModelFile {
            module: module.clone(),
            item,
        });
        modules.push((module, exports));
    }
    for params in &space.params {
        files.push(ModelFile {
            module: params.module.clone(),
            item: ModelItem::Object(fields::parameters(space, params)),
        });
        modules.push((params.module.clone(), vec![params.rust_name.clone()]));
    }
    modules.push((
        "registry".to_string(),
        REGISTRY_EXPORTS.iter().map(|e| e.to_string()).collect(),
    ));
    modules.sort();
    Models {
        files,
        registry: registry::lower(space),
        modules,
        source_sha256: source_sha256.to_string(),
    }
}
