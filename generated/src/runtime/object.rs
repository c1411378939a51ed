//! The (de)serialization machinery behind every generated model struct.
//!
//! Generated structs do not `#[derive(Deserialize, Serialize)]`: derive with
//! `#[serde(flatten)]` (needed to keep unknown properties) buffers every object into
//! an intermediate tree, which is slow, and it cannot tell an absent property from a
//! `null` one. Instead each struct implements [`GraphObject`] (one `match` on the
//! property name, one list of `encode_*` calls) and forwards serde to [`deserialize`]
//! and [`serialize`] here:
//!
//! ```ignore
//! impl<'de> serde::Deserialize<'de> for SynchronizationJob {
//!     fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
//!         crate::runtime::object::deserialize(d)
//!     }
//! }
//! impl serde::Serialize for SynchronizationJob {
//!     fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
//!         crate::runtime::object::serialize(self, s)
//!     }
//! }
//! ```

use crate::runtime::nullable::Nullable;
use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserializer, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// Properties of a JSON object that its type does not declare: members added by newer
/// Graph versions or beta, and `@odata.*` / `property@odata.*` annotations. They are
/// kept on decode and written back on encode, so decode -> encode loses nothing.
pub type AdditionalProperties = serde_json::Map<String, serde_json::Value>;

/// A generated model struct (an OData entity or complex type), decoded and encoded
/// property by property so that absent, `null` and unknown properties survive.
///
/// `Default` is the starting point of a decode: every property absent.
pub trait GraphObject: Default {
    /// Qualified OData name, e.g. "microsoft.graph.synchronizationJob".
    const ODATA_TYPE: &'static str;

    /// Decodes the declared property `key` from `map` into self; returns Ok(false) when
    /// `key` is not a declared property (the caller then keeps it as an additional
    /// property). Must call `map.next_value()` exactly once when it returns `Ok(true)`
    /// and never when it returns `Ok(false)`.
    #[doc(hidden)]
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;

    /// Writes the declared properties that are present (skips absent ones).
    #[doc(hidden)]
    fn encode_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;

    /// The unknown properties and annotations kept from decoding (or set by the caller).
    fn additional_properties(&self) -> &AdditionalProperties;

    /// Mutable access to the unknown properties, for decoding and for callers that
    /// need to send a property this version does not declare.
    fn additional_properties_mut(&mut self) -> &mut AdditionalProperties;
}

/// Decodes a JSON object into `T`: declared properties through
/// [`GraphObject::decode_field`], everything else into its additional properties.
///
/// Property names are borrowed from the input when the deserializer can lend them
/// (`serde_json::from_slice`/`from_str`), so declared properties cost no allocation
/// for their names. A repeated property keeps its last value.
pub fn deserialize<'de, D: Deserializer<'de>, T: GraphObject>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// Encodes `value` as a JSON object.
///
/// Order: first the additional properties whose name contains `@` (`@odata.type`,
/// `@odata.context`, `prop@odata.type`, ...), then the declared properties, then the
/// other additional properties. OData requires `@odata.type` to come first and
/// property annotations to precede their property; Graph's reader rejects bodies
/// that break either rule.
///
/// An additional property must not repeat a declared property's name: both would be
/// written.
pub fn serialize<S: Serializer, T: GraphObject>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let extra = value.additional_properties();
    let mut map = serializer.serialize_map(None)?;
    for (key, item) in extra.iter().filter(|(key, _)| is_annotation(key)) {
        map.serialize_entry(key, item)?;
    }
    value.encode_fields(&mut map)?;
    for (key, item) in extra.iter().filter(|(key, _)| !is_annotation(key)) {
        map.serialize_entry(key, item)?;
    }
    map.end()
}

/// Writes `key: value` when `value` is `Some`; skips `None` (an absent property).
pub fn encode_optional<M: SerializeMap, T: Serialize>(
    map: &mut M,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(value) => map.serialize_entry(key, value),
        None => Ok(()),
    }
}

/// Writes `key: value` for `Value`, `key: null` for `Null`, nothing for `Absent`.
pub fn encode_nullable<M: SerializeMap, T: Serialize>(
    map: &mut M,
    key: &'static str,
    value: &Nullable<T>,
) -> Result<(), M::Error> {
    match value {
        Nullable::Absent => Ok(()),
        Nullable::Null => map.serialize_entry(key, &()),
        Nullable::Value(value) => map.serialize_entry(key, value),
    }
}

/// Instance and property annotations (`@odata.type`, `members@odata.nextLink`).
fn is_annotation(key: &str) -> bool {
    key.contains('@')
}

/// Drives one object decode; names `T::ODATA_TYPE` when the input is not an object.
struct ObjectVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: GraphObject> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object of type {}", T::ODATA_TYPE)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut object = T::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if !object.decode_field(key.as_str(), &mut map)? {
                let value: serde_json::Value = map.next_value()?;
                object
                    .additional_properties_mut()
                    .insert(key.into_string(), value);
            }
        }
        Ok(object)
    }
}

/// A property name, borrowed from the input when possible.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }

    fn into_string(self) -> String {
        match self {
            Key::Borrowed(key) => key.to_owned(),
            Key::Owned(key) => key,
        }
    }
}

/// Decodes a property name without allocating when the deserializer can lend it.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<'de>, D::Error> {
        deserializer.deserialize_str(KeySeed)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(key))
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(key.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::json;
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    /// What the generator will write, by hand: one nested object, every field kind.
    #[derive(Debug, Default, Clone, PartialEq)]
    struct Job {
        id: Option<String>,
        schedule: Nullable<Schedule>,
        status: Nullable<String>,
        tags: Option<Vec<String>>,
        additional_properties: AdditionalProperties,
    }

    #[derive(Debug, Default, Clone, PartialEq)]
    struct Schedule {
        interval: Option<String>,
        state: Nullable<String>,
        additional_properties: AdditionalProperties,
    }

    impl GraphObject for Job {
        const ODATA_TYPE: &'static str = "microsoft.graph.synchronizationJob";

        fn decode_field<'de, A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<bool, A::Error> {
            match key {
                "id" => self.id = Some(map.next_value()?),
                "schedule" => self.schedule = map.next_value()?,
                "status" => self.status = map.next_value()?,
                "tags" => self.tags = Some(map.next_value()?),
                _ => return Ok(false),
            }
            Ok(true)
        }

        fn encode_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
            encode_optional(map, "id", &self.id)?;
            encode_nullable(map, "schedule", &self.schedule)?;
            encode_nullable(map, "status", &self.status)?;
            encode_optional(map, "tags", &self.tags)?;
            Ok(())
        }

        fn additional_properties(&self) -> &AdditionalProperties {
            &self.additional_properties
        }

        fn additional_properties_mut(&mut self) -> &mut AdditionalProperties {
            &mut self.additional_properties
        }
    }

    impl GraphObject for Schedule {
        const ODATA_TYPE: &'static str = "microsoft.graph.synchronizationSchedule";

        fn decode_field<'de, A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<bool, A::Error> {
            match key {
                "interval" => self.interval = Some(map.next_value()?),
                "state" => self.state = map.next_value()?,
                _ => return Ok(false),
            }
            Ok(true)
        }

        fn encode_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
            encode_optional(map, "interval", &self.interval)?;
            encode_nullable(map, "state", &self.state)
        }

        fn additional_properties(&self) -> &AdditionalProperties {
            &self.additional_properties
        }

        fn additional_properties_mut(&mut self) -> &mut AdditionalProperties {
            &mut self.additional_properties
        }
    }

    macro_rules! forward_serde {
        ($($ty:ty),*) => {$(
            impl<'de> Deserialize<'de> for $ty {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    deserialize(d)
                }
            }
            impl Serialize for $ty {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    serialize(self, s)
                }
            }
        )*};
    }
    forward_serde!(Job, Schedule);

    fn round_trip(text: &str) -> (Job, serde_json::Value) {
        let job: Job = json::from_str(text).unwrap();
        let encoded = serde_json::to_value(&job).unwrap();
        let original: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(encoded, original, "decode -> encode changed {text}");
        (job, encoded)
    }

    #[test]
    fn absent_null_and_value_stay_apart() {
        let (absent, _) = round_trip(r#"{"id":"job1"}"#);
        assert_eq!(absent.schedule, Nullable::Absent);
        assert_eq!(absent.status, Nullable::Absent);
        assert_eq!(absent.tags, None);

        let (null, _) = round_trip(r#"{"id":"job1","schedule":null,"status":null}"#);
        assert_eq!(null.schedule, Nullable::Null);
        assert_eq!(null.status, Nullable::Null);

        let (value, _) = round_trip(
            r#"{"id":"job1","schedule":{"interval":"PT40M","state":null},"status":"Active","tags":[]}"#,
        );
        let schedule = value.schedule.value().unwrap();
        assert_eq!(schedule.interval.as_deref(), Some("PT40M"));
        assert_eq!(schedule.state, Nullable::Null);
        assert_eq!(value.status, Nullable::Value("Active".to_string()));
        assert_eq!(value.tags, Some(vec![]));
    }

    #[test]
    fn encode_writes_exactly_the_present_properties() {
        let job = Job {
            id: Some("j".into()),
            schedule: Nullable::Null,
            ..Job::default()
        };
        assert_eq!(
            serde_json::to_string(&job).unwrap(),
            r#"{"id":"j","schedule":null}"#
        );
        assert_eq!(serde_json::to_string(&Job::default()).unwrap(), "{}");
    }

    #[test]
    fn unknown_properties_and_annotations_are_kept() {
        let text = r##"{
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#jobs/$entity",
            "@odata.type": "#microsoft.graph.synchronizationJob",
            "id": "job1",
            "newProperty": {"nested": [1, 2, {"deep": null}]},
            "schedule": {"interval": "PT20M", "beta": true, "@odata.type": "#microsoft.graph.synchronizationSchedule"},
            "tags@odata.type": "#Collection(String)",
            "tags": ["a"]
        }"##;
        let (job, _) = round_trip(text);
        assert_eq!(job.additional_properties.len(), 4);
        assert_eq!(
            job.additional_properties["@odata.type"],
            json!("#microsoft.graph.synchronizationJob")
        );
        assert_eq!(
            job.additional_properties["newProperty"],
            json!({"nested": [1, 2, {"deep": null}]})
        );
        let schedule = job.schedule.value().unwrap();
        assert_eq!(schedule.additional_properties["beta"], json!(true));
    }

    #[test]
    fn annotations_are_written_before_properties() {
        let text = r##"{"zeta":1,"id":"j","@odata.type":"#microsoft.graph.synchronizationJob","tags@odata.type":"#Collection(String)","tags":["a"]}"##;
        let job: Job = json::from_str(text).unwrap();
        assert_eq!(
            serde_json::to_string(&job).unwrap(),
            r##"{"@odata.type":"#microsoft.graph.synchronizationJob","tags@odata.type":"#Collection(String)","id":"j","tags":["a"],"zeta":1}"##
        );
    }

    #[test]
    fn keys_with_escapes_and_owned_keys_decode() {
        // `\u0069d` is `id`: serde_json hands it over as a transient string.
        let job: Job = json::from_str(r#"{"\u0069d":"j","n\u00e9w":1}"#).unwrap();
        assert_eq!(job.id.as_deref(), Some("j"));
        assert_eq!(job.additional_properties["n\u{e9}w"], json!(1));
        // From a serde_json::Value the keys come as owned strings.
        let job: Job = serde_json::from_value(json!({"id": "j", "x": [true]})).unwrap();
        assert_eq!(job.id.as_deref(), Some("j"));
        assert_eq!(job.additional_properties["x"], json!([true]));
        // From a reader the keys come as transient strings.
        let job: Job = serde_json::from_reader(&br#"{"id":"r","status":null}"#[..]).unwrap();
        assert_eq!(job.id.as_deref(), Some("r"));
        assert_eq!(job.status, Nullable::Null);
    }

    #[test]
    fn errors_name_the_type_and_the_path() {
        let err = json::from_str::<Job>("[1]").unwrap_err();
        assert!(
            err.message
                .contains("a JSON object of type microsoft.graph.synchronizationJob"),
            "{err}"
        );
        let err = json::from_str::<Job>(r#"{"schedule":{"interval":5}}"#).unwrap_err();
        assert_eq!(err.path, "schedule.interval");
        let err = json::from_str::<Job>(r#"{"id":"j","tags":"hunter2-canary"}"#).unwrap_err();
        assert_eq!(err.path, "tags");
        assert!(!err.to_string().contains("hunter2-canary"), "{err}");
    }

    #[test]
    fn keys_are_borrowed_when_the_input_allows() {
        let mut from_slice = serde_json::Deserializer::from_slice(br#""schedule""#);
        assert!(matches!(
            KeySeed.deserialize(&mut from_slice),
            Ok(Key::Borrowed("schedule"))
        ));
        let mut escaped = serde_json::Deserializer::from_str(r#""sch\u0065dule""#);
        match KeySeed.deserialize(&mut escaped) {
            Ok(Key::Owned(key)) => assert_eq!(key, "schedule"),
            _ => panic!("escaped key should decode to an owned string"),
        }
    }

    #[test]
    fn repeated_property_keeps_the_last_value() {
        let job: Job = json::from_str(r#"{"id":"a","id":"b","x":1,"x":2}"#).unwrap();
        assert_eq!(job.id.as_deref(), Some("b"));
        assert_eq!(job.additional_properties["x"], json!(2));
    }
}
