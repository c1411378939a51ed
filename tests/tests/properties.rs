//! Property tests (proptest), on stable in `cargo test`:
//!
//! - every generated type: arbitrary JSON built from the MODEL (each property absent,
//!   `null` when nullable, or a random valid value; unicode and escapes in strings;
//!   integer extremes; date-times with 0-9 fraction digits and offsets; durations;
//!   GUIDs in either case; now and then an invalid text (`""`, a placeholder, any
//!   string) where a date-time, duration, GUID or base64 value belongs, which is kept;
//!   known and unknown enum members; flags subsets; unknown properties and `@odata`
//!   annotations) decodes and re-encodes to an equal value;
//! - durations and flags: print -> parse -> equal, and parse is stable on anything;
//! - the slice of a random closure reads back to the same closure, on the committed
//!   slice and (when `../shared` is present) on the full Graph v1.0 CSDL.
//!
//! Each test prints its case counts (`cargo test --test properties -- --nocapture`).

use msgraph_sync::models::{AnyModel, SynchronizationJobRestartScopeMembers, TYPE_NAMES};
use msgraph_sync::runtime::duration::Duration;
use msgraph_sync::runtime::flags::FlagMembers;
use msgraph_sync_generator::csdl::{self, Csdl};
use msgraph_sync_generator::emit::TypeSpace;
use msgraph_sync_generator::model::{
    self, Closure, EnumDef, Model, Primitive, TypeDef, TypeTarget, TypeUse,
};
use msgraph_sync_generator::pipeline::{self, Loaded};
use msgraph_sync_generator::profile::Profile;
use msgraph_sync_tests::fuzzing::{self, RestartScope};
use msgraph_sync_tests::{first_difference, shared_dir, workspace_root};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;
use std::time::Instant;

/// Cases per generated type, per parser property, per slice source.
const CASES: u32 = 256;
/// Cases for slices of the full Graph CSDL (each reads and writes megabytes).
const FULL_CSDL_CASES: u32 = 64;
/// Nesting depth below which structured values are generated in full.
const MAX_DEPTH: usize = 3;

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| pipeline::load(&workspace_root()).expect("metadata/ loads"))
}

// ---------------------------------------------------------------------------------
// Arbitrary JSON from the model

/// Strings: anything unicode, plus short ones dense in escapes and quotes.
fn any_string() -> BoxedStrategy<String> {
    prop_oneof![
        3 => any::<String>(),
        2 => "[a-zA-Z0-9 ._-]{0,12}",
        2 => "[\"\\\\/\\x00-\\x1f\\x7f\u{e9}\u{1F600}\u{2028}\u{fffd}a ]{0,8}",
    ]
    .boxed()
}

/// Any JSON value, for unknown properties and `Edm.Untyped`.
fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        any_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map(any_string(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DDThh:mm[:ss[.f{1,9}]](Z|±hh:mm)`, every part in range.
fn date_time() -> BoxedStrategy<String> {
    let date = (1u32..=9999, 1u32..=12)
        .prop_flat_map(|(y, m)| (Just(y), Just(m), 1..=days_in_month(y, m)));
    let seconds = prop_oneof![
        1 => Just(String::new()),
        6 => (0u32..60, "[0-9]{0,9}").prop_map(|(s, f)| {
            if f.is_empty() { format!(":{s:02}") } else { format!(":{s:02}.{f}") }
        }),
    ];
    let offset = prop_oneof![
        2 => Just("Z".to_string()),
        1 => (select(vec!['+', '-']), 0u32..24, 0u32..60)
            .prop_map(|(sign, h, m)| format!("{sign}{h:02}:{m:02}")),
    ];
    let general =
        (date, 0u32..24, 0u32..60, seconds, offset).prop_map(|((y, mo, d), h, mi, s, off)| {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}{s}{off}")
        });
    prop_oneof![
        8 => general,
        1 => Just("0001-01-01T00:00:00Z".to_string()),
        1 => Just("2019-03-20T15:47:50.4707552Z".to_string()),
        1 => Just("9999-12-31T23:59:59.9999999-05:00".to_string()),
    ]
    .boxed()
}

/// Components of a duration; `None` leaves the component out.
#[derive(Debug, Clone)]
struct DurationParts {
    negative: bool,
    date: [Option<u64>; 4],
    time: [Option<u64>; 2],
    seconds: Option<(u64, String)>,
}

impl DurationParts {
    fn text(&self) -> String {
        let mut out = String::new();
        if self.negative {
            out.push('-');
        }
        out.push('P');
        for (value, unit) in self.date.iter().zip(["Y", "M", "W", "D"]) {
            if let Some(v) = value {
                out.push_str(&format!("{v}{unit}"));
            }
        }
        if self.time.iter().any(Option::is_some) || self.seconds.is_some() {
            out.push('T');
            for (value, unit) in self.time.iter().zip(["H", "M"]) {
                if let Some(v) = value {
                    out.push_str(&format!("{v}{unit}"));
                }
            }
            if let Some((s, fraction)) = &self.seconds {
                out.push_str(&s.to_string());
                if !fraction.is_empty() {
                    out.push('.');
                    out.push_str(fraction);
                }
                out.push('S');
            }
        }
        out
    }

    fn nanos(&self) -> u32 {
        let fraction = self.seconds.as_ref().map_or("", |(_, f)| f.as_str());
        let nine: String = fraction
            .chars()
            .chain(std::iter::repeat('0'))
            .take(9)
            .collect();
        nine.parse().expect("nine digits")
    }
}

fn duration_parts() -> impl Strategy<Value = DurationParts> {
    let number = || {
        prop_oneof![
            6 => (0u64..1000).prop_map(Some),
            1 => any::<u64>().prop_map(Some),
            4 => Just(None),
        ]
    };
    (
        any::<bool>(),
        [number(), number(), number(), number()],
        [number(), number()],
        prop_oneof![
            2 => Just(None),
            3 => (prop_oneof![0u64..60, any::<u64>()], "[0-9]{0,12}").prop_map(Some),
        ],
    )
        .prop_map(|(negative, date, time, seconds)| DurationParts {
            negative,
            date,
            time,
            seconds,
        })
        .prop_filter("a duration has at least one component", |p| {
            p.date.iter().chain(&p.time).any(Option::is_some) || p.seconds.is_some()
        })
}

fn guid() -> BoxedStrategy<String> {
    (any::<[u8; 16]>(), 0u8..3, any::<u32>())
        .prop_map(|(bytes, case, mask)| {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let text = format!(
                "{}-{}-{}-{}-{}",
                &hex[..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..]
            );
            match case {
                0 => text,
                1 => text.to_uppercase(),
                _ => text
                    .chars()
                    .enumerate()
                    .map(|(i, c)| {
                        if mask >> (i % 32) & 1 == 1 {
                            c.to_ascii_uppercase()
                        } else {
                            c
                        }
                    })
                    .collect(),
            }
        })
        .boxed()
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A text-kept value (date-time, duration, GUID, base64): mostly valid, sometimes a
/// text Graph's documentation shows there (`""`, a placeholder) or any string; an
/// invalid one is kept by the decode and must come back unchanged.
fn or_invalid_text(valid: BoxedStrategy<String>) -> BoxedStrategy<Value> {
    let placeholders = select(vec![
        "",
        "String (timestamp)",
        "DateTimeOffset",
        "{id}",
        "String (identifier)",
        "not base64!",
    ])
    .prop_map(str::to_string);
    prop_oneof![
        18 => valid,
        1 => placeholders,
        1 => any_string(),
    ]
    .prop_map(Value::String)
    .boxed()
}

fn primitive(p: Primitive) -> BoxedStrategy<Value> {
    match p {
        Primitive::String => any_string().prop_map(Value::String).boxed(),
        Primitive::Boolean => any::<bool>().prop_map(Value::Bool).boxed(),
        Primitive::Byte => any::<u8>().prop_map(Value::from).boxed(),
        Primitive::SByte => any::<i8>().prop_map(Value::from).boxed(),
        Primitive::Int16 => any::<i16>().prop_map(Value::from).boxed(),
        Primitive::Int32 => {
            prop_oneof![any::<i32>(), -1000i32..1000, Just(i32::MIN), Just(i32::MAX)]
                .prop_map(Value::from)
                .boxed()
        }
        Primitive::Int64 => prop_oneof![
            any::<i64>(),
            -1000i64..1000,
            Just(i64::MIN),
            Just(i64::MAX),
            Just(9_007_199_254_740_993),
        ]
        .prop_map(Value::from)
        .boxed(),
        Primitive::Single | Primitive::Double | Primitive::Decimal => (-4_000_000i64..4_000_000)
            .prop_map(|n| Value::from(n as f64 / 4.0))
            .boxed(),
        Primitive::DateTimeOffset => or_invalid_text(date_time()),
        Primitive::Date => date_time()
            .prop_map(|t| Value::String(t[..10].to_string()))
            .boxed(),
        Primitive::TimeOfDay => (0u32..24, 0u32..60, 0u32..60, "[0-9]{0,7}")
            .prop_map(|(h, m, s, f)| {
                let fraction = if f.is_empty() {
                    String::new()
                } else {
                    format!(".{f}")
                };
                Value::String(format!("{h:02}:{m:02}:{s:02}{fraction}"))
            })
            .boxed(),
        Primitive::Duration => or_invalid_text(duration_parts().prop_map(|d| d.text()).boxed()),
        Primitive::Guid => or_invalid_text(guid()),
        Primitive::Binary => {
            or_invalid_text(vec(any::<u8>(), 0..24).prop_map(|b| base64(&b)).boxed())
        }
        Primitive::Untyped | Primitive::Spatial | Primitive::Stream | Primitive::Abstract => {
            any_json()
        }
    }
}

/// The wire form the runtime writes for these bits and unknown names (an independent
/// oracle of `Flags::to_wire`): members by .NET's rule (highest value first, taken
/// when all its bits are set and it adds bits), ascending by value, then unknown
/// names, then uncovered bits as a number; `None`'s name (or "") when empty.
fn flags_wire(members: &[(String, u64)], bits: u64, unknown: &[String]) -> String {
    if bits == 0 && unknown.is_empty() {
        return members
            .iter()
            .find(|(_, v)| *v == 0)
            .map(|(n, _)| n.clone())
            .unwrap_or_default();
    }
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by(|&a, &b| members[b].1.cmp(&members[a].1).then(a.cmp(&b)));
    let mut covered = 0u64;
    let mut taken = Vec::new();
    for i in order {
        let (name, value) = &members[i];
        if *value != 0 && bits & value == *value && value & !covered != 0 {
            covered |= value;
            taken.push((name.clone(), *value));
        }
    }
    taken.sort_by_key(|(_, v)| *v);
    let mut tokens: Vec<String> = taken.into_iter().map(|(n, _)| n).collect();
    tokens.extend(unknown.iter().cloned());
    if bits & !covered != 0 {
        tokens.push((bits & !covered).to_string());
    }
    tokens.join(", ")
}

/// Unknown flag or enum member names: never a declared name, never a number.
fn unknown_names(declared: BTreeSet<String>) -> BoxedStrategy<Vec<String>> {
    vec("[A-Z][A-Za-z]{0,10}", 0..3)
        .prop_map(move |names| {
            let mut out: Vec<String> = Vec::new();
            for n in names {
                if !declared.contains(&n) && !out.contains(&n) {
                    out.push(n);
                }
            }
            out
        })
        .boxed()
}

fn flags_value(e: &EnumDef) -> BoxedStrategy<Value> {
    let members: Vec<(String, u64)> = e
        .members
        .iter()
        .map(|m| (m.name.clone(), u64::try_from(m.value).unwrap_or(0)))
        .collect();
    let all_bits = members.iter().fold(0u64, |acc, (_, v)| acc | v);
    let declared = members.iter().map(|(n, _)| n.clone()).collect();
    (
        any::<u64>(),
        prop_oneof![4 => Just(0u64), 1 => (40u32..63).prop_map(|b| 1u64 << b)],
        unknown_names(declared),
    )
        .prop_map(move |(bits, stray, unknown)| {
            Value::String(flags_wire(&members, bits & all_bits | stray, &unknown))
        })
        .boxed()
}

fn enum_value(e: &EnumDef) -> BoxedStrategy<Value> {
    let names: Vec<String> = e.members.iter().map(|m| m.name.clone()).collect();
    let unknown = prop_oneof!["[A-Za-z]{1,12}", any_string()];
    if names.is_empty() {
        return unknown.prop_map(Value::String).boxed();
    }
    prop_oneof![3 => select(names), 1 => unknown]
        .prop_map(Value::String)
        .boxed()
}

/// Builds (and memoizes) strategies for the model's types.
struct Arbitrary<'m> {
    model: &'m Model,
    closure: &'m Closure,
    memo: BTreeMap<(String, usize), BoxedStrategy<Value>>,
}

impl<'m> Arbitrary<'m> {
    fn new(model: &'m Model, closure: &'m Closure) -> Self {
        Arbitrary {
            model,
            closure,
            memo: BTreeMap::new(),
        }
    }

    fn of_type(&mut self, ty: &TypeUse, depth: usize) -> BoxedStrategy<Value> {
        let deep = depth >= MAX_DEPTH
            && ty
                .named()
                .is_some_and(|n| self.model.structured(n).is_some());
        if deep {
            // Deep enough: an empty object or list still exercises the type.
            return Just(if ty.collection {
                Value::Array(Vec::new())
            } else {
                Value::Object(Map::new())
            })
            .boxed();
        }
        let one = match &ty.target {
            TypeTarget::Primitive(p) => primitive(*p),
            TypeTarget::Named(name) => self.named(name, depth + 1),
        };
        if ty.collection {
            vec(one, 0..3).prop_map(Value::Array).boxed()
        } else {
            one
        }
    }

    fn named(&mut self, name: &str, depth: usize) -> BoxedStrategy<Value> {
        let key = (name.to_string(), depth);
        if let Some(s) = self.memo.get(&key) {
            return s.clone();
        }
        let strategy = match self.model.types.get(name) {
            Some(TypeDef::Structured(_)) => self.object(name, depth),
            Some(TypeDef::Enum(e)) if e.is_flags => flags_value(e),
            Some(TypeDef::Enum(e)) => enum_value(e),
            Some(TypeDef::Definition(d)) => primitive(d.underlying),
            None => Just(Value::Null).boxed(),
        };
        self.memo.insert(key, strategy.clone());
        strategy
    }

    /// Types of the closure derived from `name` (for `@odata.type`), `name` first.
    fn derived(&self, name: &str) -> Vec<String> {
        let mut out = vec![name.to_string()];
        for other in self.closure.types.keys() {
            if other != name && self.model.base_chain(other).iter().any(|d| d.name == name) {
                out.push(other.clone());
            }
        }
        out
    }

    fn object(&mut self, name: &str, depth: usize) -> BoxedStrategy<Value> {
        let properties: Vec<(String, TypeUse, bool)> = self
            .model
            .all_properties(name)
            .into_iter()
            .map(|p| (p.name.clone(), p.ty.clone(), p.nullable))
            .collect();
        let fields = properties
            .iter()
            .map(|(key, ty, nullable)| self.slot(key, ty, *nullable, depth))
            .collect::<Vec<_>>();
        let declared: BTreeSet<String> = properties.into_iter().map(|(n, _, _)| n).collect();
        let odata_type = prop_oneof![
            2 => Just(None),
            1 => select(self.derived(name)).prop_map(|n| Some(format!("#{n}"))),
        ];
        (fields, extra_properties(), odata_type)
            .prop_map(move |(fields, extras, odata_type)| {
                let mut object = Map::new();
                if let Some(t) = odata_type {
                    object.insert("@odata.type".into(), Value::String(t));
                }
                for (key, value) in fields.into_iter().flatten() {
                    object.insert(key, value);
                }
                for (key, value) in extras {
                    if !declared.contains(&key) && key != "@odata.type" {
                        object.insert(key, value);
                    }
                }
                Value::Object(object)
            })
            .boxed()
    }

    /// One property slot: absent, `null` (when nullable) or a value.
    fn slot(
        &mut self,
        key: &str,
        ty: &TypeUse,
        nullable: bool,
        depth: usize,
    ) -> BoxedStrategy<Option<(String, Value)>> {
        let value = self.of_type(ty, depth);
        let key = key.to_string();
        let null = Some((key.clone(), Value::Null));
        let present = value.prop_map(move |v| Some((key.clone(), v)));
        if nullable {
            prop_oneof![1 => Just(None), 1 => Just(null), 3 => present].boxed()
        } else {
            prop_oneof![1 => Just(None), 3 => present].boxed()
        }
    }
}

/// Unknown properties and `@odata` annotations.
fn extra_properties() -> BoxedStrategy<Vec<(String, Value)>> {
    let key = prop_oneof![
        "[a-z][a-zA-Z0-9]{0,10}",
        "@odata\\.(etag|context|nextLink|id|count)",
        "[a-z][a-zA-Z]{0,8}@odata\\.(type|nextLink|count)",
        "@[a-z]{1,8}\\.[a-z]{1,8}",
        any_string(),
    ];
    vec((key, any_json()), 0..3).boxed()
}

/// `(registry name, strategy)` for every type and parameter object of the crate.
fn registry_strategies() -> Vec<(String, BoxedStrategy<Value>)> {
    let loaded = loaded();
    let analysis = &loaded.analysis;
    let space = TypeSpace::new(&analysis.model, &analysis.closure, &loaded.profile);
    let mut arbitrary = Arbitrary::new(&analysis.model, &analysis.closure);
    let mut out: Vec<(String, BoxedStrategy<Value>)> = space
        .types()
        .into_iter()
        .map(|(def, _)| (def.name().to_string(), arbitrary.named(def.name(), 0)))
        .collect();
    for params in &space.params {
        let fields: Vec<_> = params
            .parameters
            .iter()
            .map(|p| arbitrary.slot(&p.name, &p.ty, p.nullable, 0))
            .collect();
        let declared: BTreeSet<String> = params.parameters.iter().map(|p| p.name.clone()).collect();
        let strategy = (fields, extra_properties())
            .prop_map(move |(fields, extras)| {
                let mut object: Map<String, Value> = fields.into_iter().flatten().collect();
                for (key, value) in extras {
                    if !declared.contains(&key) {
                        object.insert(key, value);
                    }
                }
                Value::Object(object)
            })
            .boxed();
        out.push((params.key.clone(), strategy));
    }
    out
}

#[test]
fn every_type_round_trips_arbitrary_json_built_from_the_model() {
    let started = Instant::now();
    let strategies = registry_strategies();
    let names: BTreeSet<&str> = strategies.iter().map(|(n, _)| n.as_str()).collect();
    let registered: BTreeSet<&str> = TYPE_NAMES.iter().copied().collect();
    assert_eq!(names, registered, "a strategy for every registry type");
    for (name, strategy) in &strategies {
        let mut runner = TestRunner::new(config(CASES));
        runner
            .run(strategy, |value| {
                let text = value.to_string();
                let decoded = AnyModel::decode(name, &text)
                    .map_err(|err| TestCaseError::fail(format!("does not decode: {err}")))?;
                let encoded = serde_json::to_value(&decoded)
                    .map_err(|err| TestCaseError::fail(format!("does not encode: {err}")))?;
                prop_assert!(
                    encoded == value,
                    "changed: {}",
                    first_difference(&value, &encoded, "$").unwrap_or_default()
                );
                Ok(())
            })
            .unwrap_or_else(|err| panic!("{name}: {err}"));
    }
    println!(
        "model-built JSON: {} types x {CASES} cases = {} round trips in {:.1?}",
        strategies.len(),
        strategies.len() as u64 * u64::from(CASES),
        started.elapsed()
    );
}

/// Found by the test above: without serde_json's `float_roundtrip` feature a float in
/// an unknown property came back with other digits (`-4.0784052011662796e+250` became
/// `-4.07840520116628e+250`). Kept as a fixed case.
#[test]
fn floats_in_unknown_properties_keep_their_digits() {
    for number in [
        "-4.0784052011662796e+250",
        "2.2250738585072014e-308",
        "0.30000000000000004",
    ] {
        let expected: f64 = number.parse().expect("a float");
        let text = format!(r#"{{"apiExpressions":[{{"a":[{number}]}}],"future":{number}}}"#);
        let decoded =
            AnyModel::decode("microsoft.graph.attributeDefinition", &text).expect("decodes");
        let encoded = serde_json::to_value(&decoded).expect("encodes");
        assert_eq!(encoded["future"].as_f64(), Some(expected), "{number}");
        assert_eq!(
            encoded["apiExpressions"][0]["a"][0].as_f64(),
            Some(expected),
            "{number}"
        );
    }
}

// ---------------------------------------------------------------------------------
// Durations and flags

/// Runs `test` on `cases` values of `strategy` and prints the count.
fn check<S: Strategy>(
    label: &str,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let started = Instant::now();
    TestRunner::new(config(CASES))
        .run(&strategy, test)
        .unwrap_or_else(|err| panic!("{label}: {err}"));
    println!("{label}: {CASES} cases in {:.1?}", started.elapsed());
}

#[test]
fn duration_components_print_parse_equal() {
    check("duration components", duration_parts(), |parts| {
        let text = parts.text();
        let parsed = Duration::parse(&text)
            .map_err(|err| TestCaseError::fail(format!("{text:?}: {err}")))?;
        prop_assert_eq!(parsed.as_str(), text.as_str());
        let components = *parsed.parts().expect("a parsed duration has parts");
        prop_assert_eq!(components.is_negative(), parts.negative);
        let [y, mo, w, d] = parts.date.map(Option::unwrap_or_default);
        let [h, mi] = parts.time.map(Option::unwrap_or_default);
        let s = parts.seconds.as_ref().map_or(0, |(s, _)| *s);
        prop_assert_eq!(
            (
                components.years(),
                components.months(),
                components.weeks(),
                components.days()
            ),
            (y, mo, w, d)
        );
        prop_assert_eq!(
            (
                components.hours(),
                components.minutes(),
                components.seconds()
            ),
            (h, mi, s)
        );
        prop_assert_eq!(components.subsec_nanos(), parts.nanos());
        let again = Duration::parse(&parsed.to_string()).expect("printed duration parses");
        prop_assert_eq!(&again, &parsed);
        fuzzing::duration_text(&text);
        Ok(())
    });
}

#[test]
fn duration_from_std_prints_and_parses_back() {
    let strategy = (any::<u64>(), 0u32..1_000_000_000);
    check("duration from_std", strategy, |(secs, nanos)| {
        let std = std::time::Duration::new(secs, nanos);
        let printed = Duration::from_std(std);
        let parsed = Duration::parse(printed.as_str())
            .map_err(|err| TestCaseError::fail(format!("{:?}: {err}", printed.as_str())))?;
        prop_assert_eq!(&parsed, &printed);
        prop_assert_eq!(parsed.to_std(), Ok(Some(std)));
        Ok(())
    });
}

#[test]
fn duration_parse_is_stable_on_any_text() {
    let text = prop_oneof![
        any::<String>(),
        "-?P[0-9YMWDTHS.]{0,14}",
        "-?P([0-9]{1,3}[YMWD]){0,3}(T([0-9]{1,3}[HM]){0,2}([0-9]{1,3}(\\.[0-9]{0,12})?S)?)?",
    ];
    check("duration parse(print(parse(s)))", text, |text| {
        if let Ok(parsed) = Duration::parse(&text) {
            let again = Duration::parse(&parsed.to_string()).expect("printed duration parses");
            prop_assert_eq!(again, parsed);
        }
        fuzzing::duration_text(&text);
        Ok(())
    });
}

fn restart_scope_members() -> Vec<(String, u64)> {
    SynchronizationJobRestartScopeMembers::MEMBERS
        .iter()
        .map(|(n, v)| (n.to_string(), *v))
        .collect()
}

#[test]
fn flags_bit_sets_print_parse_equal() {
    let members = restart_scope_members();
    let declared = members.iter().map(|(n, _)| n.clone()).collect();
    let strategy = (any::<u64>(), unknown_names(declared));
    check("flags bit sets", strategy, |(bits, unknown)| {
        let mut flags = RestartScope::from_bits(bits);
        for name in &unknown {
            flags |= RestartScope::parse(name);
        }
        let wire = flags.to_wire();
        prop_assert_eq!(&wire, &flags_wire(&members, bits, &unknown));
        let parsed = RestartScope::parse(&wire);
        prop_assert_eq!(&parsed, &flags);
        prop_assert_eq!(parsed.bits(), bits);
        fuzzing::flags_text(&wire);
        Ok(())
    });
}

#[test]
fn flags_read_any_order_and_either_separator() {
    let members = restart_scope_members();
    let names: Vec<String> = members.iter().map(|(n, _)| n.clone()).collect();
    let strategy = (
        subsequence(names, 0..=members.len()).prop_shuffle(),
        any::<bool>(),
    );
    check("flags any order", strategy, |(names, tight)| {
        let expected = names.iter().fold(0u64, |bits, name| {
            bits | members
                .iter()
                .find(|(n, _)| n == name)
                .map_or(0, |(_, v)| *v)
        });
        let text = names.join(if tight { "," } else { ", " });
        let parsed = RestartScope::parse(&text);
        prop_assert_eq!(parsed.bits(), expected);
        prop_assert!(parsed.unknown_members().is_empty());
        prop_assert_eq!(RestartScope::parse(&parsed.to_wire()), parsed);
        Ok(())
    });
}

#[test]
fn flags_parse_is_stable_on_any_text() {
    let tokens = vec![
        "None",
        "Full",
        "Escrows",
        "Watermark",
        "ForceDeletes",
        "X",
        "64",
        " ",
        "",
    ];
    let text = prop_oneof![
        any::<String>(),
        "[A-Za-z0-9, ]{0,40}",
        vec(select(tokens), 0..6).prop_map(|t| t.join(",")),
    ];
    check("flags parse(print(parse(s)))", text, |text| {
        let parsed = RestartScope::parse(&text);
        prop_assert_eq!(RestartScope::parse(&parsed.to_wire()), parsed);
        fuzzing::flags_text(&text);
        Ok(())
    });
}

// ---------------------------------------------------------------------------------
// Slices of random closures

/// Random root subsets of the document's types: the slice of their closure, written
/// and read back, has the same closure (types and bound operations).
fn slices_read_back_to_the_same_closure(label: &str, csdl: &Csdl, cases: u32) {
    let started = Instant::now();
    let model = model::resolve(csdl).unwrap_or_else(|err| panic!("{label} resolves: {err}"));
    let names: Vec<String> = model.types.keys().cloned().collect();
    let entry_sets = loaded().profile.entry_sets.clone();
    let mut runner = TestRunner::new(config(cases));
    let closure_sizes = std::cell::RefCell::new(Vec::new());
    runner
        .run(&subsequence(names, 1..=4), |roots| {
            let closure = Closure::compute(&model, &roots).expect("roots are types");
            closure_sizes.borrow_mut().push(closure.types.len());
            let profile = Profile {
                crate_name: "properties".to_string(),
                roots,
                entry_sets: entry_sets.clone(),
                secret_properties: Vec::new(),
                media_types: BTreeMap::new(),
            };
            fuzzing::check_slice(csdl, &model, &closure, &profile);
            Ok(())
        })
        .unwrap_or_else(|err| panic!("{label}: {err}"));
    let mut closure_sizes = closure_sizes.into_inner();
    closure_sizes.sort_unstable();
    println!(
        "slice of random closures, {label}: {cases} cases ({} types in the model; closures of {} to {} types, median {}) in {:.1?}",
        model.types.len(),
        closure_sizes.first().unwrap_or(&0),
        closure_sizes.last().unwrap_or(&0),
        closure_sizes.get(closure_sizes.len() / 2).unwrap_or(&0),
        started.elapsed()
    );
}

#[test]
fn slices_of_random_closures_of_the_committed_slice_read_back() {
    let csdl = &loaded().analysis.csdl;
    slices_read_back_to_the_same_closure(pipeline::SLICE_FILE, csdl, CASES);
}

#[test]
#[cfg_attr(
    not(shared_data),
    ignore = "needs ../shared (Graph's full metadata and documented examples), absent beside this checkout"
)]
fn slices_of_random_closures_of_the_full_graph_csdl_read_back() {
    let path = shared_dir().join("metadata/graph-v1.0.csdl.xml");
    let bytes =
        std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    let csdl = csdl::read("graph-v1.0.csdl.xml", &bytes).expect("the full CSDL reads");
    slices_read_back_to_the_same_closure("graph-v1.0.csdl.xml", &csdl, FULL_CSDL_CASES);
}
