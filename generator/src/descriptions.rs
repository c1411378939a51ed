//! Graph's descriptions from extra documents given to `update --descriptions`,
//! merged into the main CSDL as OData annotations so that the committed slice
//! carries them and `cargo run` needs nothing else.
//!
//! Two input forms, one output form:
//! - a CSDL annotations document (such as Graph's "WithDescriptions" files): its
//!   `Org.OData.Core.V1.Description`, `LongDescription` and `Links` annotations,
//!   inline or in `Annotations` blocks, with its aliases qualified;
//! - Graph's operations table (TSV: `method`, `path`, `summary`, `description`,
//!   `externalDocs_url`), each row matched to the generator's own path tree and
//!   turned into the annotations Graph's own CSDL uses for requests: a
//!   `Capabilities.{Read,Insert,Update,Delete}Restrictions` record with
//!   `Description` (the summary) and `LongDescription` on the request's target path
//!   (`microsoft.graph.GraphService/servicePrincipals/synchronization/jobs`; a read
//!   by key under `ReadRestrictions/ReadByKeyRestrictions`), `Core.Description` and
//!   `Core.LongDescription` on a bound operation
//!   (`microsoft.graph.start(microsoft.graph.synchronizationJob)`), and `Core.Links`
//!   (`rel`, `href`) for the reference page.
//!
//! Requests are annotated on the target path through the entity set, not on the
//! navigation property (`microsoft.graph.synchronization/jobs`), because Graph
//! gives different texts for the same navigation property under
//! `applications` and `servicePrincipals`, and because a restrictions annotation
//! on a navigation property is what makes a write endpoint (see
//! `model::paths`): a description must never add one. For the same reason a
//! restrictions record from a CSDL document is taken only on a target path, and
//! only its description properties are kept. [`endpoint_text`] reads both places.

use crate::csdl::{self, Annotation, Annotations, Csdl, Expr, Namespaces, PropertyValue, Record};
use crate::error::{InputError, Location, TableProblem};
use crate::model::{
    ApiPath, Endpoint, EndpointKind, HttpMethod, Model, OperationId, PathTarget, Segment,
};
use crate::permissions::normalize_path;
use crate::pipeline::Error;
use std::collections::{BTreeMap, BTreeSet};

pub const DESCRIPTION: &str = "Org.OData.Core.V1.Description";
pub const LONG_DESCRIPTION: &str = "Org.OData.Core.V1.LongDescription";
pub const LINKS: &str = "Org.OData.Core.V1.Links";
pub const READ_RESTRICTIONS: &str = "Org.OData.Capabilities.V1.ReadRestrictions";
pub const INSERT_RESTRICTIONS: &str = "Org.OData.Capabilities.V1.InsertRestrictions";
pub const UPDATE_RESTRICTIONS: &str = "Org.OData.Capabilities.V1.UpdateRestrictions";
pub const DELETE_RESTRICTIONS: &str = "Org.OData.Capabilities.V1.DeleteRestrictions";
/// The record property of `ReadRestrictions` that describes a read by key.
pub const READ_BY_KEY: &str = "ReadByKeyRestrictions";
/// Graph's link relations for reference pages: `<prefix>list`, `get`, `create`,
/// `update`, `delete`, `action`, `function`.
pub const REL_PREFIX: &str = "https://graph.microsoft.com/rels/docs/";

const TABLE_HEADER: [&str; 5] = [
    "method",
    "path",
    "summary",
    "description",
    "externalDocs_url",
];

/// One extra document, read and checked; [`merge`] applies it.
#[derive(Debug, Clone)]
pub struct Extra {
    /// The path or URL it was read from.
    pub source: String,
    content: Content,
}

#[derive(Debug, Clone)]
enum Content {
    /// Annotation blocks with qualified targets and terms.
    Annotations(Vec<Annotations>),
    Operations(Vec<OperationRow>),
}

/// One row of the operations table.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OperationRow {
    line: usize,
    method: HttpMethod,
    path: String,
    summary: String,
    description: String,
    link: String,
}

/// What [`merge`] did, for `update`'s report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Annotations added to the main document.
    pub added: usize,
    /// Annotations the main document (or an earlier extra document) already has for
    /// the same target, term and qualifier: the first one wins.
    pub kept_existing: usize,
    /// Rows of an operations table that name no path or method of the path tree
    /// (`source: METHOD path`).
    pub unmatched_rows: Vec<String>,
    /// Annotation targets that name nothing in the main document.
    pub unresolved_targets: Vec<String>,
}

/// Reads one extra document: an operations table when `source` ends in `.tsv` or
/// the bytes start with its header, a CSDL document otherwise.
pub fn load(source: &str, bytes: &[u8]) -> Result<Extra, Error> {
    let table = source.to_ascii_lowercase().ends_with(".tsv") || bytes.starts_with(b"method\t");
    if !table {
        return Ok(from_document(source, &csdl::read(source, bytes)?));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        Error::Input(InputError::NotUtf8 {
            source: source.to_string(),
        })
    })?;
    Ok(Extra {
        source: source.to_string(),
        content: Content::Operations(read_table(source, text)?),
    })
}

/// The annotations of a document already read (the committed slice, which
/// `update` has read anyway), as [`load`] would give them.
pub fn from_document(source: &str, doc: &Csdl) -> Extra {
    Extra {
        source: source.to_string(),
        content: Content::Annotations(read_annotations(doc)),
    }
}

fn read_table(source: &str, text: &str) -> Result<Vec<OperationRow>, Error> {
    let mut lines = text.lines().enumerate();
    let header: Vec<&str> = lines
        .next()
        .map(|(_, l)| l.trim_end_matches('\r').split('\t').collect())
        .unwrap_or_default();
    if header != TABLE_HEADER {
        return Err(table_error(
            source,
            1,
            TableProblem::Header {
                expected: TABLE_HEADER.join("\\t"),
            },
        ));
    }
    let mut rows = Vec::new();
    for (index, line) in lines {
        let line_number = index + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let [method, path, summary, description, link] = cells.as_slice() else {
            return Err(table_error(
                source,
                line_number,
                TableProblem::Cells { found: cells.len() },
            ));
        };
        let method = HttpMethod::parse(method).ok_or_else(|| {
            let method = method.to_string();
            table_error(source, line_number, TableProblem::Method { method })
        })?;
        if !path.starts_with('/') {
            let path = path.to_string();
            return Err(table_error(
                source,
                line_number,
                TableProblem::Path { path },
            ));
        }
        rows.push(OperationRow {
            line: line_number,
            method,
            path: path.to_string(),
            summary: summary.trim().to_string(),
            description: description.trim().to_string(),
            link: link.trim().to_string(),
        });
    }
    Ok(rows)
}

fn table_error(source: &str, line: usize, problem: TableProblem) -> Error {
    Error::Input(InputError::Table {
        source: source.to_string(),
        line,
        problem,
    })
}

/// Every annotation of the document that carries a description, as blocks with
/// qualified targets and terms (inline annotations become blocks too).
fn read_annotations(doc: &Csdl) -> Vec<Annotations> {
    let names = Namespaces::of(doc);
    let mut blocks = Vec::new();
    let mut push = |target: String, annotations: &[Annotation], qualifier: Option<&String>| {
        let kept: Vec<Annotation> = annotations
            .iter()
            .map(|a| Annotation {
                term: names.qualify(&a.term),
                qualifier: a.qualifier.clone().or_else(|| qualifier.cloned()),
                ..a.clone()
            })
            .filter(|a| is_description_term(&a.term))
            .collect();
        if !kept.is_empty() {
            blocks.push(Annotations {
                target,
                qualifier: None,
                annotations: kept,
                location: Location::default(),
            });
        }
    };
    for schema in &doc.schemas {
        let ns = &schema.namespace;
        for ty in schema.entity_types.iter().chain(&schema.complex_types) {
            let target = format!("{ns}.{}", ty.name);
            push(target.clone(), &ty.annotations, None);
            for p in &ty.properties {
                push(format!("{target}/{}", p.name), &p.annotations, None);
            }
            for n in &ty.navigation_properties {
                push(format!("{target}/{}", n.name), &n.annotations, None);
            }
        }
        for en in &schema.enum_types {
            let target = format!("{ns}.{}", en.name);
            push(target.clone(), &en.annotations, None);
            for m in &en.members {
                push(format!("{target}/{}", m.name), &m.annotations, None);
            }
        }
        for op in &schema.operations {
            let mut target = format!("{ns}.{}", op.name);
            if op.is_bound
                && let Some(binding) = op.parameters.first()
            {
                let ty = &binding.type_ref;
                let name = names.qualify(&ty.name);
                if ty.collection {
                    target.push_str(&format!("(Collection({name}))"));
                } else {
                    target.push_str(&format!("({name})"));
                }
            }
            push(target, &op.annotations, None);
        }
        for block in &schema.annotations {
            push(
                names.qualify_target(&block.target),
                &block.annotations,
                block.qualifier.as_ref(),
            );
        }
    }
    blocks
}

fn is_description_term(term: &str) -> bool {
    [
        DESCRIPTION,
        LONG_DESCRIPTION,
        LINKS,
        READ_RESTRICTIONS,
        INSERT_RESTRICTIONS,
        UPDATE_RESTRICTIONS,
        DELETE_RESTRICTIONS,
    ]
    .contains(&term)
}

fn is_restrictions(term: &str) -> bool {
    [
        READ_RESTRICTIONS,
        INSERT_RESTRICTIONS,
        UPDATE_RESTRICTIONS,
        DELETE_RESTRICTIONS,
    ]
    .contains(&term)
}

/// Merges the extra documents, in order, into `csdl` (the main document, already
/// resolved into `model`, with its path tree `paths`). An annotation the main
/// document already has for the same target, term and qualifier is not replaced:
/// **the main CSDL wins**, then the earlier extra document.
pub fn merge(csdl: &mut Csdl, model: &Model, paths: &[ApiPath], extras: &[Extra]) -> Summary {
    let mut summary = Summary::default();
    if extras.is_empty() {
        return summary;
    }
    // What the extras added, by target, term and qualifier; what the main
    // document has is looked up in `model` (cheaper than copying its keys).
    let mut added_keys: BTreeSet<(String, String, Option<String>)> = BTreeSet::new();
    let in_main = |target: &str, annotation: &Annotation| {
        model.annotations.get(target).is_some_and(|list| {
            list.iter()
                .any(|a| a.term == annotation.term && a.qualifier == annotation.qualifier)
        })
    };
    for extra in extras {
        let blocks = match &extra.content {
            Content::Annotations(blocks) => blocks.clone(),
            Content::Operations(rows) => {
                let (blocks, unmatched) = operation_blocks(model, paths, rows);
                summary.unmatched_rows.extend(
                    unmatched
                        .into_iter()
                        .map(|row| format!("{}:{}: {}", extra.source, row.0, row.1)),
                );
                blocks
            }
        };
        for block in blocks {
            if !model.target_resolves(&block.target) {
                summary.unresolved_targets.push(block.target.clone());
                continue;
            }
            let on_path = is_target_path(model, &block.target);
            let mut kept = Vec::new();
            for annotation in block.annotations {
                let Some(annotation) = description_only(annotation, on_path) else {
                    continue;
                };
                let added = !in_main(&block.target, &annotation)
                    && added_keys.insert((
                        block.target.clone(),
                        annotation.term.clone(),
                        annotation.qualifier.clone(),
                    ));
                if added {
                    kept.push(annotation);
                } else {
                    summary.kept_existing += 1;
                }
            }
            if kept.is_empty() {
                continue;
            }
            let namespace = head_namespace(&block.target);
            let Some(schema) = csdl.schemas.iter_mut().find(|s| s.namespace == namespace) else {
                summary.unresolved_targets.push(block.target.clone());
                continue;
            };
            summary.added += kept.len();
            schema.annotations.push(Annotations {
                target: block.target,
                qualifier: None,
                annotations: kept,
                location: Location::default(),
            });
        }
    }
    summary
}

/// The annotation reduced to what describes: restrictions only on a target path
/// and only their `Description`, `LongDescription` and `ReadByKeyRestrictions`.
fn description_only(annotation: Annotation, on_path: bool) -> Option<Annotation> {
    if !is_restrictions(&annotation.term) {
        return Some(annotation);
    }
    if !on_path {
        return None;
    }
    let Some(Expr::Record(record)) = &annotation.value else {
        return None;
    };
    let record = describing_record(record)?;
    Some(Annotation {
        value: Some(Expr::Record(record)),
        annotations: Vec::new(),
        ..annotation
    })
}

fn describing_record(record: &Record) -> Option<Record> {
    let properties: Vec<PropertyValue> = record
        .properties
        .iter()
        .filter_map(|pv| match (pv.property.as_str(), &pv.value) {
            ("Description" | "LongDescription", Expr::String(_)) => Some(pv.clone()),
            (READ_BY_KEY, Expr::Record(inner)) => Some(PropertyValue {
                value: Expr::Record(describing_record(inner)?),
                ..pv.clone()
            }),
            _ => None,
        })
        .collect();
    (!properties.is_empty()).then(|| Record {
        type_name: None,
        properties,
        annotations: Vec::new(),
    })
}

/// Whether `target` is a path through the entity container
/// (`microsoft.graph.GraphService/servicePrincipals/...`).
fn is_target_path(model: &Model, target: &str) -> bool {
    let head = target.split('/').next().unwrap_or_default();
    target.contains('/') && model.container_name.as_deref() == Some(head)
}

fn head_namespace(target: &str) -> &str {
    let head = target.split(['/', '(']).next().unwrap_or_default();
    head.rsplit_once('.').map_or("", |(ns, _)| ns)
}

type Unmatched = Vec<(usize, String)>;

/// The annotations for the rows of an operations table, one block per target.
fn operation_blocks(
    model: &Model,
    paths: &[ApiPath],
    rows: &[OperationRow],
) -> (Vec<Annotations>, Unmatched) {
    let mut index: BTreeMap<(HttpMethod, String), (&ApiPath, &Endpoint)> = BTreeMap::new();
    for path in paths {
        let key = normalize_path(&path.template());
        for endpoint in &path.endpoints {
            index.insert((endpoint.method, key.clone()), (path, endpoint));
        }
    }
    // target -> (term -> record), target -> links, target -> Core texts.
    let mut records: BTreeMap<String, BTreeMap<&'static str, Record>> = BTreeMap::new();
    let mut texts: BTreeMap<String, BTreeMap<&'static str, String>> = BTreeMap::new();
    let mut links: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut unmatched = Vec::new();
    for row in rows {
        let found = index.get(&(row.method, normalize_path(&row.path)));
        let Some(place) = found.and_then(|(path, endpoint)| place(model, path, endpoint)) else {
            unmatched.push((row.line, format!("{} {}", row.method, row.path)));
            continue;
        };
        let describe = |properties: &mut Vec<PropertyValue>| {
            for (name, text) in [
                ("Description", &row.summary),
                ("LongDescription", &row.description),
            ] {
                if !text.is_empty() && !properties.iter().any(|p| p.property == name) {
                    properties.push(string_property(name, text));
                }
            }
        };
        match &place.form {
            Form::Operation => {
                let entry = texts.entry(place.target.clone()).or_default();
                for (term, text) in [
                    (DESCRIPTION, &row.summary),
                    (LONG_DESCRIPTION, &row.description),
                ] {
                    if !text.is_empty() {
                        entry.entry(term).or_insert_with(|| text.clone());
                    }
                }
            }
            Form::Restrictions { term, by_key } => {
                let record = records
                    .entry(place.target.clone())
                    .or_default()
                    .entry(term)
                    .or_default();
                if *by_key {
                    let position = record
                        .properties
                        .iter()
                        .position(|p| p.property == READ_BY_KEY);
                    let position = position.unwrap_or_else(|| {
                        record.properties.push(PropertyValue {
                            property: READ_BY_KEY.to_string(),
                            value: Expr::Record(Record::default()),
                            annotations: Vec::new(),
                        });
                        record.properties.len() - 1
                    });
                    if let Some(Expr::Record(inner)) =
                        record.properties.get_mut(position).map(|p| &mut p.value)
                    {
                        describe(&mut inner.properties);
                    }
                } else {
                    describe(&mut record.properties);
                    // Description first, the nested read-by-key record last.
                    record.properties.sort_by_key(|p| p.property == READ_BY_KEY);
                }
            }
        }
        if !row.link.is_empty() {
            links
                .entry(place.target.clone())
                .or_default()
                .entry(format!("{REL_PREFIX}{}", place.rel))
                .or_insert_with(|| row.link.clone());
        }
    }
    let targets: BTreeSet<&String> = records
        .keys()
        .chain(texts.keys())
        .chain(links.keys())
        .collect();
    let blocks = targets
        .into_iter()
        .map(|target| {
            let mut annotations = Vec::new();
            for (term, text) in texts.get(target).into_iter().flatten() {
                annotations.push(annotation(term, Expr::String(text.clone())));
            }
            for (term, record) in records.get(target).into_iter().flatten() {
                annotations.push(annotation(term, Expr::Record(record.clone())));
            }
            if let Some(links) = links.get(target) {
                let items = links
                    .iter()
                    .map(|(rel, href)| {
                        Expr::Record(Record {
                            type_name: None,
                            properties: vec![
                                string_property("rel", rel),
                                string_property("href", href),
                            ],
                            annotations: Vec::new(),
                        })
                    })
                    .collect();
                annotations.push(annotation(LINKS, Expr::Collection(items)));
            }
            Annotations {
                target: target.clone(),
                qualifier: None,
                annotations,
                location: Location::default(),
            }
        })
        .collect();
    (blocks, unmatched)
}

fn annotation(term: &str, value: Expr) -> Annotation {
    Annotation {
        term: term.to_string(),
        qualifier: None,
        value: Some(value),
        annotations: Vec::new(),
        location: Location::default(),
    }
}

fn string_property(name: &str, text: &str) -> PropertyValue {
    PropertyValue {
        property: name.to_string(),
        value: Expr::String(text.to_string()),
        annotations: Vec::new(),
    }
}

/// Where the texts of one endpoint live.
struct Place {
    target: String,
    form: Form,
    /// The link relation after [`REL_PREFIX`].
    rel: &'static str,
}

enum Form {
    /// `Core.Description` / `Core.LongDescription` on the operation.
    Operation,
    /// A restrictions record on the target path (nested under `ReadByKeyRestrictions`).
    Restrictions { term: &'static str, by_key: bool },
}

fn place(model: &Model, path: &ApiPath, endpoint: &Endpoint) -> Option<Place> {
    let (term, by_key, rel) = match endpoint.kind {
        EndpointKind::Action(index) | EndpointKind::Function(index) => {
            let rel = if matches!(endpoint.kind, EndpointKind::Action(_)) {
                "action"
            } else {
                "function"
            };
            return Some(Place {
                target: operation_target(model, index)?,
                form: Form::Operation,
                rel,
            });
        }
        EndpointKind::List => (READ_RESTRICTIONS, false, "list"),
        EndpointKind::Get => (
            READ_RESTRICTIONS,
            matches!(path.target, PathTarget::Item(_)),
            "get",
        ),
        EndpointKind::Create => (INSERT_RESTRICTIONS, false, "create"),
        EndpointKind::Update | EndpointKind::Replace => (UPDATE_RESTRICTIONS, false, "update"),
        EndpointKind::Delete => (DELETE_RESTRICTIONS, false, "delete"),
        // Graph's table describes the media content as `PUT .../$value`, which is
        // not the upload this client sends (`POST .../bulkUpload`).
        EndpointKind::Upload => return None,
    };
    Some(Place {
        target: target_path(model, path)?,
        form: Form::Restrictions { term, by_key },
        rel,
    })
}

/// `microsoft.graph.start(microsoft.graph.synchronizationJob)`.
pub fn operation_target(model: &Model, id: OperationId) -> Option<String> {
    let op = model.operations.get(id)?;
    let binding = op.binding.as_ref()?;
    Some(format!("{}({})", op.name, binding.ty))
}

/// `microsoft.graph.GraphService/servicePrincipals/synchronization/jobs`: the
/// container, then the literal segments of the path (keys dropped).
pub fn target_path(model: &Model, path: &ApiPath) -> Option<String> {
    let mut out = model.container_name.clone()?;
    for segment in &path.segments {
        if let Segment::Literal(text) = segment {
            out.push('/');
            out.push_str(text);
        }
    }
    Some(out)
}

/// `microsoft.graph.synchronization/jobs`: the navigation (or structural) property
/// a path ends in, where Graph's own CSDL puts request descriptions.
fn property_target(model: &Model, path: &ApiPath) -> Option<String> {
    let mut literals = path.segments.iter().filter_map(|s| match s {
        Segment::Literal(text) => Some(text.as_str()),
        Segment::Key { .. } => None,
    });
    let mut ty = model.entry_sets.get(literals.next()?)?.entity_type.clone();
    let mut target = None;
    for name in literals {
        let property = model
            .all_properties(&ty)
            .into_iter()
            .find(|p| p.name == name)?;
        target = Some(format!("{}/{}", property.declared_in, property.name));
        ty = property.ty.named()?.to_string();
    }
    target
}

/// Graph's texts for one endpoint, as the emitters show them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointText {
    pub summary: Option<String>,
    pub description: Option<String>,
    pub link: Option<String>,
}

/// Graph's summary, description and reference link of an endpoint, from either
/// place they may be: the target path (or the operation), then the navigation
/// property.
pub fn endpoint_text(model: &Model, path: &ApiPath, endpoint: &Endpoint) -> EndpointText {
    let Some(place) = place(model, path, endpoint) else {
        return EndpointText::default();
    };
    let text = |expr: Option<&Expr>| match expr {
        Some(Expr::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    let mut candidates = vec![place.target.clone()];
    match &place.form {
        Form::Operation => {
            if let Some(op) = operation_id(endpoint).and_then(|id| model.operations.get(id)) {
                // An overload's target may list more parameter types, or none.
                let prefix = format!("{},", place.target.trim_end_matches(')'));
                candidates.extend(
                    model
                        .annotations
                        .range(prefix.clone()..)
                        .take_while(|(k, _)| k.starts_with(&prefix))
                        .map(|(k, _)| k.clone()),
                );
                candidates.push(op.name.clone());
            }
        }
        Form::Restrictions { .. } => candidates.extend(property_target(model, path)),
    }
    let mut out = EndpointText::default();
    for target in &candidates {
        let (summary, description) = match &place.form {
            Form::Operation => (
                text(
                    model
                        .annotation(target, DESCRIPTION)
                        .and_then(|a| a.value.as_ref()),
                ),
                text(
                    model
                        .annotation(target, LONG_DESCRIPTION)
                        .and_then(|a| a.value.as_ref()),
                ),
            ),
            Form::Restrictions { term, by_key } => {
                let record = model.annotation(target, term).and_then(|a| match &a.value {
                    Some(Expr::Record(r)) => Some(r),
                    _ => None,
                });
                let record = if *by_key {
                    record.and_then(|r| match record_value(r, READ_BY_KEY) {
                        Some(Expr::Record(inner)) => Some(inner),
                        _ => None,
                    })
                } else {
                    record
                };
                (
                    text(record.and_then(|r| record_value(r, "Description"))),
                    text(record.and_then(|r| record_value(r, "LongDescription"))),
                )
            }
        };
        out.summary = out.summary.or(summary);
        out.description = out.description.or(description);
        out.link = out.link.or_else(|| link(model, target, place.rel));
    }
    out
}

fn operation_id(endpoint: &Endpoint) -> Option<OperationId> {
    match endpoint.kind {
        EndpointKind::Action(id) | EndpointKind::Function(id) => Some(id),
        _ => None,
    }
}

fn record_value<'a>(record: &'a Record, property: &str) -> Option<&'a Expr> {
    record
        .properties
        .iter()
        .find(|p| p.property == property)
        .map(|p| &p.value)
}

/// The `href` of the `Core.Links` record on `target` with relation `rel`.
fn link(model: &Model, target: &str, rel: &str) -> Option<String> {
    let Some(Expr::Collection(items)) = model.annotation(target, LINKS)?.value.as_ref() else {
        return None;
    };
    let wanted = format!("{REL_PREFIX}{rel}");
    items.iter().find_map(|item| match item {
        Expr::Record(r) => match (record_value(r, "rel"), record_value(r, "href")) {
            (Some(Expr::String(found)), Some(Expr::String(href))) if *found == wanted => {
                Some(href.clone())
            }
            _ => None,
        },
        _ => None,
    })
}
