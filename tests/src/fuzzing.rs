//! The bodies of the fuzz targets in `tests/fuzz/` as plain functions, so that the
//! fuzz targets are one-liners and the same code runs on stable in `cargo test`
//! (`tests/tests/fuzz_regressions.rs` replays every seed and every crash kept under
//! `tests/fuzz/regressions/<target>/`).
//!
//! Each function takes arbitrary bytes and panics only when it finds a bug: errors
//! from the code under test are fine, panics and broken round-trips are not.

use msgraph_sync::models::{AnyModel, SynchronizationJobRestartScopeMembers, TYPE_NAMES};
use msgraph_sync::runtime::duration::Duration;
use msgraph_sync::runtime::flags::Flags;
use msgraph_sync::runtime::json::with_strict_values;
use msgraph_sync_generator::csdl;
use msgraph_sync_generator::emit::{self, TypeSpace};
use msgraph_sync_generator::model::{self, Closure, Model};
use msgraph_sync_generator::permissions::{Grants, PathPermissions, PermissionsSlice};
use msgraph_sync_generator::profile::Profile;
use msgraph_sync_generator::slice;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The names of the fuzz targets, as in `tests/fuzz/Cargo.toml`.
pub const TARGETS: &[&str] = &[
    "csdl_read",
    "model_closure",
    "duration_parse",
    "flags_parse",
    "registry_decode",
];

/// Runs the body of the target named `target` on `data`; `false` for an unknown name.
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "csdl_read" => csdl_read(data),
        "model_closure" => model_closure(data),
        "duration_parse" => duration_parse(data),
        "flags_parse" => flags_parse(data),
        "registry_decode" => registry_decode(data),
        _ => return false,
    }
    true
}

// ---------------------------------------------------------------------------------
// csdl_read

/// Any bytes through the CSDL reader; when they read, through `resolve` as well, and
/// through the slice writer: what the writer writes reads back, and writing that
/// again gives the same text. Errors are expected; a panic is a bug.
pub fn csdl_read(data: &[u8]) {
    if let Ok(csdl) = csdl::read("fuzz.xml", data) {
        let _ = model::resolve(&csdl);
        check_writer_round_trip(&csdl);
    }
}

/// `write(read(write(csdl))) == write(csdl)`: the writer's output reads back to the
/// same document (the text is compared, so source locations do not matter).
pub fn check_writer_round_trip(csdl: &csdl::Csdl) {
    let first = slice::xml::write(csdl, "");
    let reread = csdl::read("written.xml", first.as_bytes())
        .unwrap_or_else(|err| panic!("the writer's output does not read back: {err}\n{first}"));
    let second = slice::xml::write(&reread, "");
    assert!(
        first == second,
        "the writer's output reads back differently:\n{}",
        first_line_difference(&first, &second)
    );
}

fn first_line_difference(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| format!("line {}: {x:?}\nbecame:  {y:?}", i + 1))
        .unwrap_or_else(|| format!("{} lines became {}", a.lines().count(), b.lines().count()))
}

// ---------------------------------------------------------------------------------
// model_closure

/// The CSDL documents the structural fuzzer starts from: the committed slice and
/// every fixture in `generator/tests/fixtures/csdl/` (not the malformed ones), read
/// once, in name order (so an input always means the same mutations).
pub fn seed_documents() -> &'static [(String, Vec<Node>)] {
    static DOCS: OnceLock<Vec<(String, Vec<Node>)>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let root = crate::workspace_root();
        let mut files: Vec<PathBuf> = vec![root.join("metadata/synchronization.csdl.xml")];
        let fixtures = root.join("generator/tests/fixtures/csdl");
        let mut more: Vec<PathBuf> = std::fs::read_dir(&fixtures)
            .map(|dir| {
                dir.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "xml"))
                    .collect()
            })
            .unwrap_or_default();
        more.sort();
        files.extend(more);
        files
            .into_iter()
            .filter_map(|path| {
                let bytes = std::fs::read(&path).ok()?;
                let text = String::from_utf8(bytes).ok()?;
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                let nodes = parse_xml(text)?;
                let name = path.file_name()?.to_string_lossy().into_owned();
                Some((name, nodes))
            })
            .collect()
    })
}

/// A well-formed CSDL document, mutated structurally as `data` says (elements
/// dropped, duplicated, moved; names and `Type`/`BaseType`/`IsFlags`/`Value`/...
/// attributes changed to names of the document or odd values), then read, resolved,
/// closed over roots of the document, turned into paths, emitted (models and API),
/// sliced, written, read back:
/// nothing may panic, and when the mutated document resolves, its slice must read
/// back and resolve to the same closure.
pub fn model_closure(data: &[u8]) {
    model_closure_outcome(data);
}

/// How far a [`model_closure`] input got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// No documents to start from.
    NoDocuments,
    /// The mutated document does not read (an error, as it should be).
    Unreadable,
    /// It reads but does not resolve (an error naming what is wrong).
    Unresolved,
    /// It resolves: closure, paths and slice were checked.
    Checked,
}

/// [`model_closure`], saying how far the input got (the stable test prints the mix).
pub fn model_closure_outcome(data: &[u8]) -> Outcome {
    let mut input = Input::new(data);
    match mutated_document(&mut input) {
        Some(text) => check_document(&text, &mut input),
        None => Outcome::NoDocuments,
    }
}

/// The mutated document an input of [`model_closure`] stands for (to look at a
/// crash); `input` is left at the bytes that choose roots and entry sets.
pub fn mutated_document(input: &mut Input<'_>) -> Option<String> {
    let docs = seed_documents();
    if docs.is_empty() {
        return None;
    }
    let (_, original) = &docs[input.pick(docs.len())];
    let mut nodes = original.clone();
    let mutations = input.byte() % 8;
    for _ in 0..mutations {
        mutate(&mut nodes, input);
    }
    Some(write_xml(&nodes))
}

/// Reads `text` and, when it resolves, checks closure, paths and slice with roots
/// and entry sets chosen by `input`.
pub fn check_document(text: &str, input: &mut Input<'_>) -> Outcome {
    let Ok(csdl) = csdl::read("fuzz.xml", text.as_bytes()) else {
        return Outcome::Unreadable;
    };
    check_writer_round_trip(&csdl);
    let Ok(model) = model::resolve(&csdl) else {
        return Outcome::Unresolved;
    };
    let names: Vec<&String> = model.types.keys().collect();
    if names.is_empty() {
        return Outcome::Checked;
    }
    let mut roots = Vec::new();
    for _ in 0..1 + input.byte() % 3 {
        roots.push(names[input.pick(names.len())].clone());
    }
    if input.byte() == 0xff {
        // An unknown root is an error, not a panic.
        let mut unknown = roots.clone();
        unknown.push("no.such.Type".to_string());
        assert!(Closure::compute(&model, &unknown).is_err());
    }
    let closure = Closure::compute(&model, &roots).expect("roots are types of the model");
    for name in closure.types.keys() {
        let chain = closure.chain(name);
        assert!(!chain.is_empty(), "{name} has no chain back to a root");
    }
    let entry_sets: Vec<String> = model
        .entry_sets
        .keys()
        .filter(|_| input.byte().is_multiple_of(2))
        .cloned()
        .collect();
    let tree = model::build_paths(&model, &closure, &entry_sets)
        .expect("entry sets are entry sets of the model");
    // Every method granted on every path: every write a reference can add.
    let paths = model::apply_permissions(tree, &GrantAll).paths;
    for path in &paths {
        let _ = path.template();
        let _ = model::element_type(&model, path);
    }
    let profile = Profile {
        crate_name: "fuzz".to_string(),
        roots: roots.clone(),
        entry_sets,
        secret_properties: Vec::new(),
        media_types: Default::default(),
    };
    // The emitters may refuse (an error), never panic. They are slow (a formatted
    // crate each time), so one input in 16 emits (not exhausted ones: short inputs are
    // most of a corpus).
    if (1..=16).contains(&input.byte()) {
        let space = TypeSpace::new(&model, &closure, &profile);
        let _ = emit::models(&space, "// fuzz", "0", &emit::FormatCache::disabled());
        let permissions = PermissionsSlice::new("fuzz", Vec::new());
        let _ = emit::api(&space, &paths, &permissions, "// fuzz", true);
    }
    check_slice(&csdl, &model, &closure, &profile);
    Outcome::Checked
}

/// The slice of `closure` written as XML reads back, resolves, and has the same
/// closure (type names and bound operations by name and binding).
pub fn check_slice(csdl: &csdl::Csdl, model: &Model, closure: &Closure, profile: &Profile) {
    let sliced = slice::slice(csdl, model, closure, profile);
    let xml = slice::xml::write(&sliced, "fuzz slice");
    let reread = csdl::read("slice.xml", xml.as_bytes())
        .unwrap_or_else(|err| panic!("the written slice does not read back: {err}\n{xml}"));
    let model2 = model::resolve(&reread)
        .unwrap_or_else(|err| panic!("the written slice does not resolve: {err}\n{xml}"));
    let closure2 = Closure::compute(&model2, &profile.roots)
        .unwrap_or_else(|err| panic!("a root is missing from the slice: {err}\n{xml}"));
    let types = |c: &Closure| c.types.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        types(closure),
        types(&closure2),
        "closure types differ\n{xml}"
    );
    assert_eq!(
        bound_operations(model, closure),
        bound_operations(&model2, &closure2),
        "bound operations differ\n{xml}"
    );
}

/// `(qualified name, binding type)` of every operation of the closure.
pub fn bound_operations(model: &Model, closure: &Closure) -> BTreeSet<(String, String)> {
    closure
        .operations
        .iter()
        .filter_map(|&i| model.operations.get(i))
        .map(|op| {
            let binding = op.binding.as_ref().map_or_else(String::new, |b| {
                let name = b.ty.named().unwrap_or("?");
                if b.ty.collection {
                    format!("Collection({name})")
                } else {
                    name.to_string()
                }
            });
            (op.name.clone(), binding)
        })
        .collect()
}

/// The fuzzer's bytes as a stream of choices (zeros once exhausted).
#[derive(Debug)]
pub struct Input<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Input<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Input { data, pos: 0 }
    }

    pub fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    /// An index below `n` (`n > 0`), from two bytes.
    pub fn pick(&mut self, n: usize) -> usize {
        let value = usize::from(self.byte()) << 8 | usize::from(self.byte());
        value % n.max(1)
    }
}

/// A node of a minimal XML tree: enough to mutate CSDL documents structurally and
/// write them back (attribute values and text are kept escaped, as written).
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    /// Text, comments, processing instructions: written back verbatim.
    Raw(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub name: String,
    /// `(name, escaped value)`.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

/// Parses well-formed XML without DTDs into nodes; `None` when it is not.
pub fn parse_xml(text: &str) -> Option<Vec<Node>> {
    let mut pos = 0;
    let nodes = parse_nodes(text, &mut pos, None)?;
    (pos == text.len()).then_some(nodes)
}

fn parse_nodes(text: &str, pos: &mut usize, parent: Option<&str>) -> Option<Vec<Node>> {
    let mut nodes = Vec::new();
    while *pos < text.len() {
        let rest = &text[*pos..];
        if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>')?;
            if Some(after[..end].trim()) != parent {
                return None;
            }
            *pos += 2 + end + 1;
            return Some(nodes);
        }
        if rest.starts_with("<?") || rest.starts_with("<!--") {
            let close = if rest.starts_with("<?") { "?>" } else { "-->" };
            let end = rest.find(close)? + close.len();
            nodes.push(Node::Raw(rest[..end].to_string()));
            *pos += end;
            continue;
        }
        if rest.starts_with("<!") {
            return None;
        }
        if let Some(after) = rest.strip_prefix('<') {
            let name_len = after.find(|c: char| c.is_whitespace() || c == '/' || c == '>')?;
            let name = after[..name_len].to_string();
            *pos += 1 + name_len;
            let mut attrs = Vec::new();
            loop {
                let rest = &text[*pos..];
                let trimmed = rest.trim_start();
                *pos += rest.len() - trimmed.len();
                if let Some(_after) = trimmed.strip_prefix("/>") {
                    *pos += 2;
                    nodes.push(Node::Element(Element {
                        name,
                        attrs,
                        children: Vec::new(),
                    }));
                    break;
                }
                if trimmed.starts_with('>') {
                    *pos += 1;
                    let children = parse_nodes(text, pos, Some(&name))?;
                    nodes.push(Node::Element(Element {
                        name,
                        attrs,
                        children,
                    }));
                    break;
                }
                let eq = trimmed.find('=')?;
                let attr = trimmed[..eq].trim().to_string();
                let value_part = trimmed[eq + 1..].trim_start();
                let quote = value_part.chars().next()?;
                if quote != '"' && quote != '\'' {
                    return None;
                }
                let end = value_part[1..].find(quote)?;
                let value = value_part[1..1 + end].to_string();
                *pos += trimmed.len() - value_part.len() + 1 + end + 1;
                attrs.push((attr, value));
            }
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        nodes.push(Node::Raw(rest[..end].to_string()));
        *pos += end;
    }
    parent.is_none().then_some(nodes)
}

/// Writes nodes back as XML text.
pub fn write_xml(nodes: &[Node]) -> String {
    let mut out = String::new();
    write_nodes(nodes, &mut out);
    out
}

fn write_nodes(nodes: &[Node], out: &mut String) {
    for node in nodes {
        match node {
            Node::Raw(text) => out.push_str(text),
            Node::Element(e) => {
                out.push('<');
                out.push_str(&e.name);
                for (name, value) in &e.attrs {
                    out.push(' ');
                    out.push_str(name);
                    out.push_str("=\"");
                    out.push_str(value);
                    out.push('"');
                }
                if e.children.is_empty() {
                    out.push_str(" />");
                } else {
                    out.push('>');
                    write_nodes(&e.children, out);
                    out.push_str("</");
                    out.push_str(&e.name);
                    out.push('>');
                }
            }
        }
    }
}

/// Escapes text for an attribute value.
pub fn escape_attr(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

/// Attributes whose values decide the model's structure, most interesting first.
const ATTRIBUTES: &[&str] = &[
    "Type",
    "BaseType",
    "IsFlags",
    "Value",
    "Name",
    "Nullable",
    "IsBound",
    "EntityType",
    "Namespace",
    "Alias",
    "Target",
    "Term",
    "Abstract",
    "ContainsTarget",
    "Partner",
    "UnderlyingType",
    "HasStream",
    "OpenType",
    "IsComposable",
    "EnumMember",
    "Bool",
    "String",
    "Qualifier",
];

const ODD_VALUES: &[&str] = &[
    "",
    "true",
    "false",
    "0",
    "1",
    "-1",
    "15",
    "32",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "Edm.String",
    "Edm.Int64",
    "Edm.Duration",
    "Edm.Untyped",
    "Edm.Stream",
    "Edm.PrimitiveType",
    "Edm.GeographyPoint",
    "Edm.Nope",
    "Collection(Edm.String)",
    "Collection(",
    "Collection()",
    "Collection(Collection(Edm.String))",
    "Edm.",
    ".",
    "..",
    "a.",
    ".b",
    "graph",
    "self",
    "microsoft.graph",
    "Org.OData.Core.V1.Description",
    "Org.OData.Capabilities.V1.UpdateRestrictions",
    "Org.OData.Capabilities.V1.HttpMethod/PUT",
    "x/y/z",
    "&amp;&lt;",
    "\u{e9}\u{1F600}",
    "type",
    "self",
    "Self",
    "_",
    "1st",
    "r#type",
    "x-y",
    "\u{e9}t\u{e9}",
    "a\u{b2}",
    "\u{663}x",
];

/// A value for `attr`: usually one of the right kind (a boolean for `IsFlags`, a
/// number for `Value`, a name of the document otherwise), sometimes anything.
fn pick_value(nodes: &[Node], attr: &str, input: &mut Input<'_>) -> String {
    const BOOLEANS: &[&str] = &["true", "false"];
    const NUMBERS: &[&str] = &[
        "0",
        "1",
        "2",
        "4",
        "8",
        "15",
        "32",
        "-1",
        "9223372036854775807",
    ];
    let typed: Option<&[&str]> = match attr {
        "IsFlags" | "Nullable" | "IsBound" | "Abstract" | "ContainsTarget" | "HasStream"
        | "OpenType" | "IsComposable" | "Bool" => Some(BOOLEANS),
        "Value" => Some(NUMBERS),
        _ => None,
    };
    match typed {
        Some(values) if input.byte() < 224 => values[input.pick(values.len())].to_string(),
        _ => {
            let pool = value_pool(nodes);
            pool[input.pick(pool.len())].clone()
        }
    }
}

/// Names and values already in the document, plus qualified and collection forms.
fn value_pool(nodes: &[Node]) -> Vec<String> {
    let mut namespaces = Vec::new();
    let mut names = Vec::new();
    let mut others = BTreeSet::new();
    visit(nodes, &mut |e| {
        for (attr, value) in &e.attrs {
            match attr.as_str() {
                "Namespace" | "Alias" => namespaces.push(value.clone()),
                "Name" => names.push(value.clone()),
                _ => {
                    others.insert(value.clone());
                }
            }
        }
    });
    let mut pool: Vec<String> = ODD_VALUES.iter().map(|s| s.to_string()).collect();
    for name in &names {
        pool.push(name.clone());
        for ns in &namespaces {
            pool.push(format!("{ns}.{name}"));
            pool.push(format!("Collection({ns}.{name})"));
        }
    }
    pool.extend(namespaces);
    pool.extend(others);
    pool
}

fn visit(nodes: &[Node], f: &mut impl FnMut(&Element)) {
    for node in nodes {
        if let Node::Element(e) = node {
            f(e);
            visit(&e.children, f);
        }
    }
}

/// Index paths of every element below the root element.
fn element_paths(nodes: &[Node], prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    for (i, node) in nodes.iter().enumerate() {
        if let Node::Element(e) = node {
            prefix.push(i);
            if prefix.len() > 1 {
                out.push(prefix.clone());
            }
            element_paths(&e.children, prefix, out);
            prefix.pop();
        }
    }
}

fn children_at<'n>(nodes: &'n mut Vec<Node>, path: &[usize]) -> Option<&'n mut Vec<Node>> {
    let mut current = nodes;
    for &i in path {
        match current.get_mut(i) {
            Some(Node::Element(e)) => current = &mut e.children,
            _ => return None,
        }
    }
    Some(current)
}

fn element_at<'n>(nodes: &'n mut Vec<Node>, path: &[usize]) -> Option<&'n mut Element> {
    let (last, parent) = path.split_last()?;
    match children_at(nodes, parent)?.get_mut(*last) {
        Some(Node::Element(e)) => Some(e),
        _ => None,
    }
}

/// One structural mutation chosen by `input`.
fn mutate(nodes: &mut Vec<Node>, input: &mut Input<'_>) {
    let mut paths = Vec::new();
    element_paths(nodes, &mut Vec::new(), &mut paths);
    if paths.is_empty() {
        return;
    }
    let path = paths[input.pick(paths.len())].clone();
    let (last, parent) = path.split_last().expect("paths are not empty");
    match input.byte() % 7 {
        // Drop the element.
        0 => {
            if let Some(children) = children_at(nodes, parent) {
                children.remove(*last);
            }
        }
        // Duplicate it in place; mostly under a new name (a same-named copy is an
        // error the reader reports).
        1 => {
            let rename = input.byte() < 192;
            if let Some(children) = children_at(nodes, parent) {
                let mut copy = children[*last].clone();
                if let Node::Element(e) = &mut copy
                    && rename
                    && let Some((_, name)) = e.attrs.iter_mut().find(|(n, _)| n == "Name")
                {
                    name.push_str("Copy");
                }
                children.insert(*last + 1, copy);
            }
        }
        // Move it into another element (or to another place among its siblings).
        2 => {
            let target = paths[input.pick(paths.len())].clone();
            if target.starts_with(&path) {
                return;
            }
            let Some(children) = children_at(nodes, parent) else {
                return;
            };
            let node = children.remove(*last);
            // Removing shifted later siblings of `path` one place to the left.
            let mut target = target;
            if target.len() > parent.len()
                && target[..parent.len()] == *parent
                && target[parent.len()] > *last
            {
                target[parent.len()] -= 1;
            }
            match children_at(nodes, &target) {
                Some(children) => {
                    let at = input.pick(children.len() + 1);
                    children.insert(at, node);
                }
                None => {
                    if let Some(children) = children_at(nodes, parent) {
                        children.insert(*last, node);
                    }
                }
            }
        }
        // Set a structural attribute to a name of the document or an odd value.
        3 | 4 => {
            // Mostly the four that shape the model most: Type, BaseType, IsFlags, Value.
            let i = input.pick(ATTRIBUTES.len());
            let attr = if input.byte() < 128 {
                ATTRIBUTES[i % 4]
            } else {
                ATTRIBUTES[i]
            };
            let value = escape_attr(&pick_value(nodes, attr, input));
            if let Some(e) = element_at(nodes, &path) {
                set_attr(e, attr, value);
            }
        }
        // Change an attribute the element has.
        5 => {
            if let Some(e) = element_at(nodes, &path)
                && !e.attrs.is_empty()
            {
                let i = input.pick(e.attrs.len());
                let attr = e.attrs[i].0.clone();
                let value = escape_attr(&pick_value(nodes, &attr, input));
                if let Some(e) = element_at(nodes, &path) {
                    e.attrs[i].1 = value;
                }
            }
        }
        // Remove an attribute (sometimes: most removals make the document unreadable).
        _ => {
            let remove = input.byte() < 96;
            if let Some(e) = element_at(nodes, &path)
                && remove
                && !e.attrs.is_empty()
            {
                let i = input.pick(e.attrs.len());
                e.attrs.remove(i);
            }
        }
    }
}

fn set_attr(e: &mut Element, attr: &str, value: String) {
    match e.attrs.iter_mut().find(|(name, _)| name == attr) {
        Some(slot) => slot.1 = value,
        None => e.attrs.push((attr.to_string(), value)),
    }
}

// ---------------------------------------------------------------------------------
// duration_parse

/// Any text through `Duration::parse`; what parses prints as it was written and
/// parses again to an equal value with the same components. What does not parse is
/// kept by a tolerant decode exactly as written (marked invalid, accessors failing
/// with the parse error) and refused by a strict one.
pub fn duration_parse(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        duration_text(text);
    }
}

pub fn duration_text(text: &str) {
    let json = serde_json::to_string(text).expect("a string encodes");
    let kept: Duration = msgraph_sync::runtime::json::from_str(&json)
        .unwrap_or_else(|err| panic!("{json}: a JSON string must decode tolerantly: {err}"));
    assert_eq!(kept.as_str(), text, "a decoded duration keeps its text");
    assert_eq!(
        serde_json::to_string(&kept).expect("a kept duration encodes"),
        json,
        "a decoded duration encodes as it came"
    );
    let Ok(duration) = Duration::parse(text) else {
        let err = Duration::parse(text).expect_err("checked above");
        assert!(
            !kept.is_valid(),
            "{text:?} does not parse but decoded valid"
        );
        assert_eq!(kept.parse_error(), Some(&err));
        let accessor = kept
            .to_std()
            .expect_err("an invalid duration has no length");
        assert_eq!(accessor.value(), Some(text));
        assert_eq!(accessor.reason(), err.reason());
        assert!(
            msgraph_sync::runtime::json::from_str_strict::<Duration>(&json).is_err(),
            "{text:?}: strict decoding must refuse an invalid duration"
        );
        return;
    };
    assert!(kept.is_valid() && kept == duration);
    let printed = duration.to_string();
    assert_eq!(printed, text, "a duration prints as it was written");
    let again = Duration::parse(&printed)
        .unwrap_or_else(|err| panic!("{printed:?} printed but does not parse: {err}"));
    assert_eq!(again, duration);
    assert_eq!(again.parts(), duration.parts());
    assert_eq!(again.seconds_text(), duration.seconds_text());
    if let Some(std) = duration.to_std().expect("a valid duration") {
        let canonical = Duration::from_std(std);
        assert_eq!(
            canonical.to_std(),
            Ok(Some(std)),
            "from_std(to_std(d)) keeps the length"
        );
        let reparsed = Duration::parse(canonical.as_str())
            .unwrap_or_else(|err| panic!("from_std wrote {:?}: {err}", canonical.as_str()));
        assert_eq!(reparsed.to_std(), Ok(Some(std)));
    }
    let decoded: Duration =
        msgraph_sync::runtime::json::from_str_strict(&json).expect("a valid duration decodes");
    assert_eq!(decoded, duration);
}

// ---------------------------------------------------------------------------------
// flags_parse

/// `synchronizationJobRestartScope`, the generated flags type.
pub type RestartScope = Flags<SynchronizationJobRestartScopeMembers>;

/// Any text through `Flags::parse` (which never fails); the wire form parses back to
/// an equal value and is a fixed point.
pub fn flags_parse(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        flags_text(text);
    }
}

pub fn flags_text(text: &str) {
    let flags = RestartScope::parse(text);
    let wire = flags.to_wire();
    let again = RestartScope::parse(&wire);
    assert_eq!(again, flags, "{text:?} -> {wire:?} changed the value");
    assert_eq!(again.to_wire(), wire, "the wire form is not a fixed point");
    assert_eq!(
        flags.to_string().parse::<RestartScope>().ok(),
        Some(flags.clone())
    );
    let json = serde_json::to_string(&flags).expect("flags encode");
    let decoded: RestartScope = serde_json::from_str(&json).expect("encoded flags decode");
    assert_eq!(decoded, flags);
}

// ---------------------------------------------------------------------------------
// registry_decode

/// The first byte picks a type of the registry (its high bit: a collection of it),
/// the rest is JSON text; what decodes must encode and decode again to an equal
/// value, and encode to the same text.
pub fn registry_decode(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(json) = std::str::from_utf8(rest) else {
        return;
    };
    let name = TYPE_NAMES[usize::from(first & 0x7f) % TYPE_NAMES.len()];
    if first & 0x80 == 0 {
        registry_decode_as(name, json);
    } else {
        registry_decode_as(&format!("Collection({name})"), json);
    }
}

/// The input byte that makes [`registry_decode`] pick `type_name` (not a collection).
pub fn registry_selector(type_name: &str) -> Option<u8> {
    TYPE_NAMES
        .iter()
        .position(|n| *n == type_name)
        .and_then(|i| u8::try_from(i).ok())
}

/// Also: a strict decode (invalid date-times, durations, GUIDs, base64 refused)
/// accepts a subset of what the default tolerant decode accepts, with equal values.
pub fn registry_decode_as(type_name: &str, json: &str) {
    let tolerant = AnyModel::decode(type_name, json);
    let strict = with_strict_values(|| AnyModel::decode(type_name, json));
    match (&tolerant, &strict) {
        (Ok(kept), Ok(strict)) => assert!(
            kept == strict,
            "{type_name}: strict and tolerant decodes differ: {json}"
        ),
        (Err(err), Ok(_)) => {
            panic!("{type_name}: decodes strictly but not tolerantly ({err}): {json}")
        }
        (_, Err(_)) => {}
    }
    let Ok(decoded) = tolerant else {
        return;
    };
    let encoded = serde_json::to_string(&decoded)
        .unwrap_or_else(|err| panic!("{type_name}: a decoded value does not encode: {err}"));
    let again = AnyModel::decode(type_name, &encoded)
        .unwrap_or_else(|err| panic!("{type_name}: {encoded} does not decode again: {err}"));
    assert!(
        again == decoded,
        "{type_name}: decode -> encode -> decode changed the value: {encoded}"
    );
    let re_encoded = serde_json::to_string(&again).expect("encodes");
    assert_eq!(re_encoded, encoded, "{type_name}: encoding is not stable");
}

/// A permissions reference that grants every method on every path.
struct GrantAll;

impl Grants for GrantAll {
    fn granted(&self, method: &str, path: &str) -> Option<PathPermissions> {
        Some(PathPermissions {
            method: method.to_string(),
            path: path.to_string(),
            schemes: Default::default(),
        })
    }
}
