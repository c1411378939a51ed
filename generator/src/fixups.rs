//! Every rule that works around an oddity of Graph's metadata, in one place. Each
//! function names the quirk, applies only when the metadata still shows it, and is
//! pinned by a test that fails once the quirk is gone upstream (so dead rules get
//! deleted rather than lingering).

use crate::model::{Model, TypeDef};

/// `bulkUpload` is an entity type with `HasStream="true"` and no properties of its
/// own: its only use is a POST of the stream (a SCIM BulkRequest). OData's
/// conventions would give it GET/PATCH/DELETE, which the service does not offer.
/// Returns the rule's name when `type_name` is such a media entity.
pub fn upload_only_media_entity(model: &Model, type_name: &str) -> Option<&'static str> {
    match model.types.get(type_name) {
        Some(TypeDef::Structured(def)) if def.has_stream && def.properties.is_empty() => {
            Some("media entity without properties is upload-only")
        }
        _ => None,
    }
}
