//! The SCIM 2.0 BulkRequest that `POST .../jobs/{id}/bulkUpload` takes as
//! `application/scim+json` (RFC 7644 section 3.7). Graph's metadata describes
//! `bulkUpload` only as a media entity, so these types are hand-written: users with
//! the core and enterprise-extension attributes, and room for custom ones
//! (any other schema URN or attribute lands in `additional_attributes`).
//!
//! Every scalar is a [`Nullable`], so absent, `null` and a value survive a round trip.

use super::nullable::Nullable;
use serde::{Deserialize, Serialize};

/// `urn:ietf:params:scim:api:messages:2.0:BulkRequest`.
pub const BULK_REQUEST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
/// `urn:ietf:params:scim:schemas:core:2.0:User`.
pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`.
pub const ENTERPRISE_USER_SCHEMA: &str =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// Extra JSON members, kept in order of appearance is not guaranteed (sorted keys).
pub type Attributes = serde_json::Map<String, serde_json::Value>;

/// A SCIM bulk request: up to Graph's limit of operations, each creating or
/// updating one user in the provisioning job's directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkRequest {
    pub schemas: Vec<String>,
    #[serde(rename = "Operations")]
    pub operations: Vec<BulkOperation>,
    /// Errors after which the service stops processing the request.
    #[serde(
        rename = "failOnErrors",
        default,
        skip_serializing_if = "Nullable::is_absent"
    )]
    pub fail_on_errors: Nullable<i64>,
    #[serde(flatten)]
    pub additional_attributes: Attributes,
}

impl Default for BulkRequest {
    fn default() -> Self {
        BulkRequest {
            schemas: vec![BULK_REQUEST_SCHEMA.to_string()],
            operations: Vec::new(),
            fail_on_errors: Nullable::Absent,
            additional_attributes: Attributes::new(),
        }
    }
}

impl BulkRequest {
    /// A request with the BulkRequest schema and these operations.
    pub fn new(operations: impl IntoIterator<Item = BulkOperation>) -> Self {
        BulkRequest {
            operations: operations.into_iter().collect(),
            ..BulkRequest::default()
        }
    }
}

/// One operation of a bulk request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BulkOperation {
    /// `POST` (create) or `PATCH`, `PUT`, `DELETE`.
    pub method: String,
    #[serde(
        rename = "bulkId",
        default,
        skip_serializing_if = "Nullable::is_absent"
    )]
    pub bulk_id: Nullable<String>,
    /// `/Users`, or `/Users/{id}`.
    pub path: String,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub data: Nullable<ScimUser>,
    #[serde(flatten)]
    pub additional_attributes: Attributes,
}

impl BulkOperation {
    /// `POST /Users` of one user, with its bulk id.
    pub fn create_user(bulk_id: impl Into<String>, user: ScimUser) -> Self {
        BulkOperation {
            method: "POST".to_string(),
            bulk_id: Nullable::Value(bulk_id.into()),
            path: "/Users".to_string(),
            data: Nullable::Value(user),
            additional_attributes: Attributes::new(),
        }
    }
}

/// A SCIM user: the core schema, the enterprise extension, and any other attributes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScimUser {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemas: Vec<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub external_id: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub user_name: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub name: Nullable<ScimName>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub display_name: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub nick_name: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub emails: Nullable<Vec<ScimMultiValued>>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub addresses: Nullable<Vec<ScimAddress>>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub phone_numbers: Nullable<Vec<ScimMultiValued>>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub user_type: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub title: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub preferred_language: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub locale: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub timezone: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub active: Nullable<bool>,
    /// The enterprise extension (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`).
    #[serde(
        rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        default,
        skip_serializing_if = "Nullable::is_absent"
    )]
    pub enterprise: Nullable<EnterpriseUser>,
    /// Custom attributes and other extensions, written as given.
    #[serde(flatten)]
    pub additional_attributes: Attributes,
}

/// SCIM `name`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScimName {
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub formatted: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub family_name: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub given_name: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub middle_name: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub honorific_prefix: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub honorific_suffix: Nullable<String>,
    #[serde(flatten)]
    pub additional_attributes: Attributes,
}

/// A SCIM multi-valued attribute entry (`emails`, `phoneNumbers`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScimMultiValued {
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub value: Nullable<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Nullable::is_absent")]
    pub kind: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub primary: Nullable<bool>,
    #[serde(flatten)]
    pub additional_attributes: Attributes,
}

/// A SCIM address.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScimAddress {
    #[serde(rename = "type", default, skip_serializing_if = "Nullable::is_absent")]
    pub kind: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub street_address: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub locality: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub region: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub postal_code: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub country: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub formatted: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub primary: Nullable<bool>,
    #[serde(flatten)]
    pub additional_attributes: Attributes,
}

/// The SCIM enterprise user extension.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnterpriseUser {
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub employee_number: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub cost_center: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub organization: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub division: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub department: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub manager: Nullable<ScimManager>,
    #[serde(flatten)]
    pub additional_attributes: Attributes,
}

/// The enterprise extension's `manager`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScimManager {
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub value: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub display_name: Nullable<String>,
    #[serde(flatten)]
    pub additional_attributes: Attributes,
}
