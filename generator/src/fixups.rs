//! Every rule that makes up for a gap in Graph's metadata, in one place. Each rule
//! names the gap, links to where Graph documents the real behaviour, applies only
//! when the metadata still shows the gap, and reports what it did. A rule that no
//! supported file needs any more fails the `fixups_are_still_needed` test (the
//! "never applied" check of k8s-openapi's codegen), so dead rules get deleted
//! rather than lingering; `update` also warns when the file it reads does not
//! need a rule.

use crate::csdl::{Expr, PropertyValue, Record};
use crate::model::{AnnotationDef, CAPABILITIES_UPDATE, Model, TypeDef};
use std::fmt;

/// What one rule did to one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The metadata has the gap; the rule filled it (what it added).
    Applied(String),
    /// The metadata already says what the rule would add: Graph has closed the gap
    /// in this file.
    NotNeeded(String),
    /// What the rule is about is not in this document (say, no bulk upload).
    NotApplicable(String),
}

/// One rule's outcome on one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixupReport {
    pub name: &'static str,
    /// Where Graph documents the behaviour the rule supplies.
    pub reference: &'static str,
    pub outcome: Outcome,
}

impl fmt::Display for FixupReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.outcome {
            Outcome::Applied(what) => write!(f, "fixup `{}` applied: {what}", self.name),
            Outcome::NotNeeded(why) => write!(
                f,
                "fixup `{}` not needed: {why}; remove it once no supported metadata needs it ({})",
                self.name, self.reference
            ),
            Outcome::NotApplicable(why) => {
                write!(f, "fixup `{}` does not apply: {why}", self.name)
            }
        }
    }
}

/// Name and reference of the rule that gives `secrets` its `PUT`.
pub const SECRETS_PUT: &str = "synchronization secrets are replaced with PUT";
const SECRETS_PUT_REFERENCE: &str =
    "https://learn.microsoft.com/graph/api/synchronization-serviceprincipal-put-synchronization";
/// Name and reference of the upload-only media entity rule.
pub const UPLOAD_ONLY: &str = "media entity without properties is upload-only";
const UPLOAD_ONLY_REFERENCE: &str =
    "https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-post-bulkupload";

const SYNCHRONIZATION: &str = "microsoft.graph.synchronization";
const SECRETS: &str = "secrets";
const BULK_UPLOAD: &str = "microsoft.graph.bulkUpload";

/// Applies every rule that changes the model, in a fixed order, and reports each
/// rule's outcome (the upload-only rule is consulted by the path builder; it is
/// reported here too so that `update` lists every rule once).
pub fn apply(model: &mut Model) -> Vec<FixupReport> {
    vec![secrets_replace_with_put(model), upload_only_report(model)]
}

/// Graph documents `PUT /servicePrincipals/{id}/synchronization/secrets` (the
/// endpoint that saves a provisioning connector's credentials), and the cleaned
/// v1.0 metadata says so with `Capabilities.UpdateRestrictions` (`UpdateMethod`
/// PUT) on `synchronization/secrets`. The metadata Graph serves (national clouds,
/// production files of 2023 and 2024) lacks that annotation, and a structural
/// property is only addressable through one: without this rule the endpoint
/// vanishes. The rule adds the annotation when the property exists without it.
fn secrets_replace_with_put(model: &mut Model) -> FixupReport {
    let report = |outcome| FixupReport {
        name: SECRETS_PUT,
        reference: SECRETS_PUT_REFERENCE,
        outcome,
    };
    let target = format!("{SYNCHRONIZATION}/{SECRETS}");
    let has_property = matches!(
        model.types.get(SYNCHRONIZATION),
        Some(TypeDef::Structured(def))
            if def.properties.iter().any(|p| p.name == SECRETS && p.navigation.is_none())
    );
    if !has_property {
        return report(Outcome::NotApplicable(format!(
            "`{target}` is not a structural property in {}",
            model.source
        )));
    }
    if model.annotation(&target, CAPABILITIES_UPDATE).is_some() {
        return report(Outcome::NotNeeded(format!(
            "the metadata annotates `{target}` with UpdateRestrictions"
        )));
    }
    let record = Record {
        type_name: None,
        properties: vec![
            PropertyValue {
                property: "UpdateMethod".to_string(),
                value: Expr::EnumMember("Org.OData.Capabilities.V1.HttpMethod/PUT".to_string()),
                annotations: Vec::new(),
            },
            PropertyValue {
                property: "Updatable".to_string(),
                value: Expr::Bool(true),
                annotations: Vec::new(),
            },
        ],
        annotations: Vec::new(),
    };
    model
        .annotations
        .entry(target.clone())
        .or_default()
        .push(AnnotationDef {
            term: CAPABILITIES_UPDATE.to_string(),
            qualifier: None,
            value: Some(Expr::Record(record)),
            supplied_by: Some(SECRETS_PUT),
        });
    report(Outcome::Applied(format!(
        "UpdateRestrictions (UpdateMethod PUT) on `{target}`"
    )))
}

fn upload_only_report(model: &Model) -> FixupReport {
    let outcome = match model.types.get(BULK_UPLOAD) {
        None => Outcome::NotApplicable(format!("`{BULK_UPLOAD}` is not in {}", model.source)),
        Some(_) if upload_only_media_entity(model, BULK_UPLOAD).is_some() => Outcome::Applied(
            format!("`{BULK_UPLOAD}` is POST-only (a SCIM BulkRequest upload)"),
        ),
        Some(_) => Outcome::NotNeeded(format!(
            "`{BULK_UPLOAD}` now has properties or no stream: the metadata describes it"
        )),
    };
    FixupReport {
        name: UPLOAD_ONLY,
        reference: UPLOAD_ONLY_REFERENCE,
        outcome,
    }
}

/// `bulkUpload` is an entity type with `HasStream="true"` and no properties of its
/// own: its only use is a POST of the stream (a SCIM BulkRequest). OData's
/// conventions would give it GET/PATCH/DELETE, which the service does not offer.
/// Returns the rule's name when `type_name` is such a media entity.
pub fn upload_only_media_entity(model: &Model, type_name: &str) -> Option<&'static str> {
    match model.types.get(type_name) {
        Some(TypeDef::Structured(def)) if def.has_stream && def.properties.is_empty() => {
            Some(UPLOAD_ONLY)
        }
        _ => None,
    }
}
