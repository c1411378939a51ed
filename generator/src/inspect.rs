//! `inspect`: what the generator sees, so users can trust the slice: counts per
//! kind, the closure with the chain that pulled each type in, the paths with their
//! methods and permissions, what the reader did not model and which deviations
//! from the spec it tolerated.

use crate::csdl::{Deviation, StructuredKind};
use crate::error::InputError;
use crate::model::{EndpointKind, Origin, PathTarget, TypeDef, element_type};
use crate::permissions::PermissionsSlice;
use crate::pipeline::Analysis;
use std::fmt::Write;

/// The full report, or the details of one type when `type_name` is given.
pub fn report(
    analysis: &Analysis,
    permissions: &PermissionsSlice,
    type_name: Option<&str>,
) -> Result<String, InputError> {
    match type_name {
        Some(name) => type_report(analysis, name),
        None => Ok(full_report(analysis, permissions)),
    }
}

fn full_report(analysis: &Analysis, permissions: &PermissionsSlice) -> String {
    let model = &analysis.model;
    let closure = &analysis.closure;
    let mut out = String::new();
    let _ = writeln!(out, "Source: {}", model.source);
    completeness(analysis, &mut out);
    let (entity, complex, enums, definitions) = kind_counts(model.types.values());
    let bound = model
        .operations
        .iter()
        .filter(|op| op.binding.is_some())
        .count();
    let _ = writeln!(
        out,
        "Document: {} types ({entity} entity, {complex} complex, {enums} enum, {definitions} type definitions), {} operations ({bound} bound), {} entity sets and singletons, {} annotation targets",
        model.types.len(),
        model.operations.len(),
        model.entry_sets.len(),
        model.annotations.len(),
    );
    let in_closure: Vec<&TypeDef> = closure
        .types
        .keys()
        .filter_map(|n| model.types.get(n))
        .collect();
    let (entity, complex, enums, definitions) = kind_counts(in_closure.iter().copied());
    let _ = writeln!(
        out,
        "\nClosure from {}: {} types ({complex} complex, {enums} enum, {entity} entity, {definitions} type definitions) and {} bound operations",
        closure.roots.join(", "),
        closure.types.len(),
        closure.operations.len(),
    );
    for name in closure.types.keys() {
        let kind = model.types.get(name).map_or("?", TypeDef::kind_label);
        let chain: Vec<String> = closure
            .chain(name)
            .iter()
            .skip(1)
            .map(|(ty, edge)| format!("{edge} -> {}", crate::model::local_name(ty)))
            .collect();
        let root = closure
            .chain(name)
            .first()
            .map(|(r, _)| r.clone())
            .unwrap_or_default();
        if chain.is_empty() {
            let _ = writeln!(out, "  {name} ({kind}): root");
        } else {
            let _ = writeln!(out, "  {name} ({kind}): {root} via {}", chain.join(", "));
        }
    }
    let _ = writeln!(out, "\nBound operations:");
    for &index in &closure.operations {
        if let Some(op) = model.operations.get(index) {
            let binding = op.binding_type();
            let returns = op
                .return_type
                .as_ref()
                .map_or("nothing".to_string(), |r| r.ty.to_string());
            let _ = writeln!(
                out,
                "  {:?} {} bound to {binding}, returns {returns}",
                op.kind, op.name
            );
        }
    }
    let endpoints: usize = analysis.paths.iter().map(|p| p.endpoints.len()).sum();
    let _ = writeln!(
        out,
        "\nPaths: {} paths, {endpoints} endpoints (method, origin, permissions least privileged first)",
        analysis.paths.len()
    );
    let grants = permissions.grants();
    for path in &analysis.paths {
        let template = path.template();
        for endpoint in &path.endpoints {
            let origin = match &endpoint.origin {
                Origin::Convention => "OData read".to_string(),
                Origin::Annotation(term) => format!("annotation {term}"),
                Origin::Permissions => "permissions reference".to_string(),
                Origin::Operation => "bound operation".to_string(),
                Origin::Fixup(rule) => format!("fixup: {rule}"),
            };
            let _ = writeln!(
                out,
                "  {:<6} {template}  [{origin}]",
                endpoint.method.as_str()
            );
            match grants.get(endpoint.method.as_str(), &template) {
                Some(p) => {
                    for line in p.doc_lines() {
                        let _ = writeln!(out, "           {line}");
                    }
                }
                None => {
                    let _ = writeln!(out, "           (no entry in the permissions reference)");
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "\nNot modelled by the reader (counted, not dropped silently):"
    );
    if model.unmodelled.is_empty() {
        let _ = writeln!(out, "  nothing");
    }
    for (what, count) in &model.unmodelled {
        let _ = writeln!(out, "  {what}: {count}");
    }
    let _ = writeln!(
        out,
        "Annotations blocks whose target names nothing: {}",
        model.unresolved_annotation_targets.len()
    );
    for (target, location) in model.unresolved_annotation_targets.iter().take(20) {
        let _ = writeln!(out, "  {target} ({}:{location})", model.source);
    }
    out.push_str(&deviations_section(&analysis.csdl.deviations));
    out
}

/// Every deviation from the CSDL spec that the reader tolerated, with its place:
/// read as the spec form (and written so in the slice), listed so nothing is
/// accepted silently.
fn deviations_section(deviations: &[Deviation]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nTolerated deviations from the CSDL spec (read as the spec form, written so in the slice): {}",
        deviations.len()
    );
    for d in deviations {
        let _ = writeln!(
            out,
            "  {}:{}: <{}> {}=\"{}\" read as \"{}\" ({}; {})",
            d.file, d.location, d.element, d.attribute, d.found, d.read_as, d.rule, d.reference
        );
    }
    out
}

fn kind_counts<'a>(types: impl Iterator<Item = &'a TypeDef>) -> (usize, usize, usize, usize) {
    let mut counts = (0, 0, 0, 0);
    for def in types {
        match def {
            TypeDef::Structured(s) if s.kind == StructuredKind::Entity => counts.0 += 1,
            TypeDef::Structured(_) => counts.1 += 1,
            TypeDef::Enum(_) => counts.2 += 1,
            TypeDef::Definition(_) => counts.3 += 1,
        }
    }
    counts
}

fn type_report(analysis: &Analysis, name: &str) -> Result<String, InputError> {
    let model = &analysis.model;
    let full = model
        .types
        .keys()
        .find(|full| {
            full.as_str() == name || crate::model::local_name(full).eq_ignore_ascii_case(name)
        })
        .ok_or_else(|| InputError::UnknownType {
            name: name.to_string(),
            document: model.source.clone(),
        })?;
    let def = &model.types[full];
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{full} ({}) at {}:{}",
        def.kind_label(),
        model.source,
        def.location()
    );
    if analysis.closure.contains(full) {
        let _ = writeln!(out, "In the closure; pulled in by:");
        for (ty, edge) in analysis.closure.chain(full) {
            let _ = writeln!(out, "  {edge}: {ty}");
        }
    } else {
        let _ = writeln!(out, "Not in the closure.");
    }
    match def {
        TypeDef::Structured(_) => {
            let chain: Vec<&str> = model
                .base_chain(full)
                .iter()
                .map(|b| b.name.as_str())
                .collect();
            let _ = writeln!(out, "Base chain: {}", chain.join(" -> "));
            let _ = writeln!(out, "Properties:");
            for p in model.all_properties(full) {
                let nav = if p.navigation.is_some() {
                    " (navigation)"
                } else {
                    ""
                };
                let nullable = if p.nullable {
                    "nullable"
                } else {
                    "not nullable"
                };
                let _ = writeln!(out, "  {}: {} {nullable}{nav}", p.name, p.ty);
            }
            let _ = writeln!(out, "Bound operations:");
            for collection in [false, true] {
                for (_, op) in model.bound_operations(full, collection) {
                    let on = if collection { "collection" } else { "instance" };
                    let _ = writeln!(out, "  {:?} {} (on the {on})", op.kind, op.name);
                }
            }
        }
        TypeDef::Enum(e) => {
            let _ = writeln!(out, "IsFlags: {}; members:", e.is_flags);
            for m in &e.members {
                let _ = writeln!(out, "  {} = {}", m.name, m.value);
            }
        }
        TypeDef::Definition(d) => {
            let _ = writeln!(out, "Underlying type: {}", d.underlying.edm_name());
        }
    }
    let _ = writeln!(out, "Paths addressing it:");
    for path in &analysis.paths {
        let addresses = element_type(model, path).and_then(|t| t.named().map(str::to_string));
        let is_target = addresses.as_deref() == Some(full.as_str())
            && !matches!(path.target, PathTarget::Operation(_));
        if is_target {
            let methods: Vec<&str> = path
                .endpoints
                .iter()
                .filter(|e| !matches!(e.kind, EndpointKind::Action(_) | EndpointKind::Function(_)))
                .map(|e| e.method.as_str())
                .collect();
            let _ = writeln!(out, "  {} {}", methods.join(","), path.template());
        }
    }
    for (k, v) in model
        .annotations
        .iter()
        .filter(|(k, _)| k.starts_with(full.as_str()))
    {
        let terms: Vec<&str> = v.iter().map(|a| a.term.as_str()).collect();
        let _ = writeln!(out, "Annotations on {k}: {}", terms.join(", "));
    }
    Ok(out)
}

/// What the document lacks of the profile, and what each fixup did to it.
fn completeness(analysis: &Analysis, out: &mut String) {
    let absences = analysis.absences();
    if absences.is_empty() {
        let _ = writeln!(out, "Every profile root and entry set is in the document.");
    }
    for absence in absences {
        let _ = writeln!(out, "Absent: {absence}");
    }
    let _ = writeln!(
        out,
        "Fixups (rules that make up for gaps in Graph's metadata):"
    );
    for fixup in &analysis.fixups {
        let _ = writeln!(out, "  {fixup}");
    }
}

#[cfg(test)]
mod deviations_tests {
    use super::deviations_section;

    #[test]
    fn each_tolerated_deviation_is_listed_with_its_place() {
        let text = include_str!("../tests/fixtures/csdl/deviations/facet_keyword_case.xml");
        let csdl = crate::csdl::read("fixture.xml", text.as_bytes()).expect("reads");
        let section = deviations_section(&csdl.deviations);
        let lines: Vec<&str> = section.lines().collect();
        assert_eq!(
            lines.get(1..3),
            Some(
                [
                    "Tolerated deviations from the CSDL spec (read as the spec form, written so in the slice): 3",
                    "  fixture.xml:16:52: <Property> Scale=\"Variable\" read as \"variable\" (facet keyword in another letter case; OData CSDL XML 4.01 §7.2.4 Scale: `variable` or `floating`)",
                ]
                .as_slice()
            )
        );
        assert_eq!(lines.len(), 5, "{section}");
        assert!(lines[3].starts_with("  fixture.xml:18:49: <Property> MaxLength=\"Max\""));
        assert!(lines[4].starts_with("  fixture.xml:22:40: <ReturnType> Scale=\"Floating\""));
    }

    #[test]
    fn none_is_said_as_none() {
        assert_eq!(
            deviations_section(&[]),
            "\nTolerated deviations from the CSDL spec (read as the spec form, written so in the slice): 0\n"
        );
    }
}
