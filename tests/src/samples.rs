//! Sample JSON documents for every type of the closure, built from the model: every
//! property set, `null` where the metadata allows it, an unknown property, an
//! `@odata.type` annotation and an unknown enum member. The round-trip tests decode
//! and re-encode them through the generated crate.

use msgraph_sync_generator::emit::TypeSpace;
use msgraph_sync_generator::model::{
    Model, ParameterDef, Primitive, PropertyDef, TypeDef, TypeTarget, TypeUse,
};
use msgraph_sync_generator::pipeline;
use serde_json::{Map, Value, json};

/// Which flavour of sample: values everywhere, or `null` in every nullable slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Values,
    Nulls,
}

impl Flavour {
    /// Both flavours.
    pub const ALL: [Flavour; 2] = [Flavour::Values, Flavour::Nulls];

    /// How a failure message names the flavour.
    pub fn label(self) -> &'static str {
        match self {
            Flavour::Values => "values",
            Flavour::Nulls => "nulls",
        }
    }
}

/// `(registry name, sample, flavour)` for every type and parameter object of the
/// committed crate (generated from `metadata/`), in both flavours.
pub fn of_committed_crate() -> Vec<(String, Value, Flavour)> {
    let loaded = pipeline::load(&crate::workspace_root()).expect("metadata/ loads");
    let analysis = &loaded.analysis;
    let space = TypeSpace::new(&analysis.model, &analysis.closure, &loaded.profile);
    Flavour::ALL
        .into_iter()
        .flat_map(|flavour| {
            all(&space, flavour)
                .into_iter()
                .map(move |(name, sample)| (name, sample, flavour))
        })
        .collect()
}

/// `(registry name, sample)` for every type and parameter object of the space.
pub fn all(space: &TypeSpace<'_>, flavour: Flavour) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = space
        .types()
        .into_iter()
        .filter(|(def, _)| !matches!(def, TypeDef::Definition(_)))
        .map(|(def, _)| {
            (
                def.name().to_string(),
                named(space.model, def.name(), flavour, 0),
            )
        })
        .collect();
    for params in &space.params {
        let mut object = Map::new();
        for p in &params.parameters {
            object.insert(p.name.clone(), parameter(space.model, p, flavour, 0));
        }
        object.insert("futureParameter".into(), json!("kept"));
        out.push((params.key.clone(), Value::Object(object)));
    }
    out
}

fn parameter(model: &Model, p: &ParameterDef, flavour: Flavour, depth: usize) -> Value {
    if flavour == Flavour::Nulls && p.nullable {
        return Value::Null;
    }
    of_type(model, &p.ty, flavour, depth)
}

/// A sample of the named type.
pub fn named(model: &Model, name: &str, flavour: Flavour, depth: usize) -> Value {
    match model.types.get(name) {
        Some(TypeDef::Structured(_)) => {
            let mut object = Map::new();
            object.insert("@odata.type".into(), json!(format!("#{name}")));
            for p in model.all_properties(name) {
                object.insert(p.name.clone(), property(model, p, flavour, depth));
            }
            object.insert("futureProperty".into(), json!({"nested": [1, "two", null]}));
            Value::Object(object)
        }
        Some(TypeDef::Enum(e)) if e.is_flags => {
            let known: Vec<&str> = e
                .members
                .iter()
                .filter(|m| m.value > 0)
                .map(|m| m.name.as_str())
                .take(1)
                .collect();
            let mut names = known.join(", ");
            if flavour == Flavour::Nulls {
                names.push_str(if names.is_empty() {
                    "FutureFlag"
                } else {
                    ", FutureFlag"
                });
            }
            json!(names)
        }
        Some(TypeDef::Enum(e)) => match (flavour, e.members.last()) {
            (Flavour::Values, Some(member)) => json!(member.name),
            _ => json!("futureMember"),
        },
        Some(TypeDef::Definition(d)) => primitive(d.underlying, flavour),
        None => Value::Null,
    }
}

fn property(model: &Model, p: &PropertyDef, flavour: Flavour, depth: usize) -> Value {
    if flavour == Flavour::Nulls && p.nullable {
        return Value::Null;
    }
    if depth > 2 && p.ty.named().is_some_and(|n| model.structured(n).is_some()) {
        // Deep enough: an empty object or list still exercises the type.
        return if p.ty.collection {
            json!([])
        } else {
            json!({})
        };
    }
    of_type(model, &p.ty, flavour, depth)
}

fn of_type(model: &Model, ty: &TypeUse, flavour: Flavour, depth: usize) -> Value {
    let one = match &ty.target {
        TypeTarget::Primitive(p) => primitive(*p, flavour),
        TypeTarget::Named(name) => named(model, name, flavour, depth + 1),
    };
    if ty.collection { json!([one]) } else { one }
}

fn primitive(p: Primitive, flavour: Flavour) -> Value {
    let values = flavour == Flavour::Values;
    match p {
        Primitive::String => json!(if values {
            "sample \u{e9}\u{1F600} \"quoted\""
        } else {
            ""
        }),
        Primitive::Boolean => json!(values),
        Primitive::Byte => json!(255),
        Primitive::SByte => json!(-128),
        Primitive::Int16 => json!(-32768),
        Primitive::Int32 => json!(if values { 2147483647 } else { -1 }),
        Primitive::Int64 => json!(if values {
            9007199254740993_i64
        } else {
            i64::MIN
        }),
        Primitive::Single | Primitive::Double | Primitive::Decimal => json!(1.5),
        Primitive::DateTimeOffset => json!(if values {
            "2019-03-20T15:47:50.4707552Z"
        } else {
            "2021-05-01T00:00:00-05:00"
        }),
        Primitive::Date => json!("2021-05-01"),
        Primitive::TimeOfDay => json!("13:45:00.1234567"),
        Primitive::Duration => json!(if values {
            "P10675199DT2H48M5.4775807S"
        } else {
            "P1M"
        }),
        Primitive::Guid => json!(if values {
            "B7F0C6F8-1A2B-4C3D-8E9F-0123456789AB"
        } else {
            "00000000-0000-0000-0000-000000000000"
        }),
        Primitive::Binary => json!("AQID"),
        Primitive::Untyped | Primitive::Spatial | Primitive::Stream | Primitive::Abstract => {
            json!({"any": ["json", 1, true, null]})
        }
    }
}
