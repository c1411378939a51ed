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

/// Extra JSON members, written back as given (in sorted key order, not the order of
/// appearance).
pub type Attributes = serde_json::Map<String, serde_json::Value>;

/// A SCIM bulk request: up to Graph's limit of operations, each creating or
/// updating one user in the provisioning job's directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkRequest {
    /// The message schema URNs; [`BULK_REQUEST_SCHEMA`] by default.
    pub schemas: Vec<String>,
    /// The operations, in order (JSON `Operations`).
    #[serde(rename = "Operations")]
    pub operations: Vec<BulkOperation>,
    /// Errors after which the service stops processing the request.
    #[serde(
        rename = "failOnErrors",
        default,
        skip_serializing_if = "Nullable::is_absent"
    )]
    pub fail_on_errors: Nullable<i64>,
    /// Any other member of the request, written as given.
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
    /// A client-chosen id for this operation (JSON `bulkId`), which the response refers to.
    #[serde(
        rename = "bulkId",
        default,
        skip_serializing_if = "Nullable::is_absent"
    )]
    pub bulk_id: Nullable<String>,
    /// `/Users`, or `/Users/{id}`.
    pub path: String,
    /// The user this operation creates or replaces.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub data: Nullable<ScimUser>,
    /// Any other member of the operation (`version`, ...), written as given.
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
    /// The schema URNs the user carries ([`USER_SCHEMA`], [`ENTERPRISE_USER_SCHEMA`], custom ones); omitted when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemas: Vec<String>,
    /// The id of the user in the source system (`externalId`), usually the matching attribute.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub external_id: Nullable<String>,
    /// The unique sign-in name (`userName`).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub user_name: Nullable<String>,
    /// The parts of the user's name.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub name: Nullable<ScimName>,
    /// The name to display (`displayName`).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub display_name: Nullable<String>,
    /// The casual name (`nickName`).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub nick_name: Nullable<String>,
    /// E-mail addresses.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub emails: Nullable<Vec<ScimMultiValued>>,
    /// Postal addresses.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub addresses: Nullable<Vec<ScimAddress>>,
    /// Phone numbers (`phoneNumbers`).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub phone_numbers: Nullable<Vec<ScimMultiValued>>,
    /// The relationship to the organisation (`userType`: `Employee`, `Contractor`, ...).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub user_type: Nullable<String>,
    /// The job title.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub title: Nullable<String>,
    /// The preferred language (`preferredLanguage`, e.g. `en-US`).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub preferred_language: Nullable<String>,
    /// The locale for formatting (e.g. `en-US`).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub locale: Nullable<String>,
    /// The time zone (IANA name, e.g. `Europe/Berlin`).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub timezone: Nullable<String>,
    /// Whether the account is active.
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
    /// The full name, formatted for display.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub formatted: Nullable<String>,
    /// The family name (`familyName`).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub family_name: Nullable<String>,
    /// The given name (`givenName`).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub given_name: Nullable<String>,
    /// The middle name (`middleName`).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub middle_name: Nullable<String>,
    /// The honorific prefix (`honorificPrefix`, e.g. `Ms.`).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub honorific_prefix: Nullable<String>,
    /// The honorific suffix (`honorificSuffix`, e.g. `III`).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub honorific_suffix: Nullable<String>,
    /// Any other member, written as given.
    #[serde(flatten)]
    pub additional_attributes: Attributes,
}

/// A SCIM multi-valued attribute entry (`emails`, `phoneNumbers`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScimMultiValued {
    /// The value (an address, a number).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub value: Nullable<String>,
    /// Its kind (JSON `type`: `work`, `home`, `mobile`, ...).
    #[serde(rename = "type", default, skip_serializing_if = "Nullable::is_absent")]
    pub kind: Nullable<String>,
    /// Whether this is the primary entry.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub primary: Nullable<bool>,
    /// Any other member (`display`, ...), written as given.
    #[serde(flatten)]
    pub additional_attributes: Attributes,
}

/// A SCIM address.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScimAddress {
    /// Its kind (JSON `type`: `work`, `home`, ...).
    #[serde(rename = "type", default, skip_serializing_if = "Nullable::is_absent")]
    pub kind: Nullable<String>,
    /// Street and number (`streetAddress`).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub street_address: Nullable<String>,
    /// City or locality.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub locality: Nullable<String>,
    /// State or region.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub region: Nullable<String>,
    /// Postal code (`postalCode`).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub postal_code: Nullable<String>,
    /// Country (ISO 3166-1 alpha-2 code).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub country: Nullable<String>,
    /// The full address, formatted for display.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub formatted: Nullable<String>,
    /// Whether this is the primary address.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub primary: Nullable<bool>,
    /// Any other member, written as given.
    #[serde(flatten)]
    pub additional_attributes: Attributes,
}

/// The SCIM enterprise user extension.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnterpriseUser {
    /// The employee number (`employeeNumber`).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub employee_number: Nullable<String>,
    /// The cost center (`costCenter`).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub cost_center: Nullable<String>,
    /// The organisation.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub organization: Nullable<String>,
    /// The division.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub division: Nullable<String>,
    /// The department.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub department: Nullable<String>,
    /// The user's manager.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub manager: Nullable<ScimManager>,
    /// Any other member of the extension, written as given.
    #[serde(flatten)]
    pub additional_attributes: Attributes,
}

/// The enterprise extension's `manager`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScimManager {
    /// The manager's id (`value`): the `externalId` of another user in the same upload or already provisioned.
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub value: Nullable<String>,
    /// The manager's display name (`displayName`).
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    pub display_name: Nullable<String>,
    /// Any other member (`$ref`, ...), written as given.
    #[serde(flatten)]
    pub additional_attributes: Attributes,
}
