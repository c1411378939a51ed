//! The CSDL reader on one fixture per Graph quirk, on malformed documents (exact
//! error locations), on the full Graph files when `../shared` is present, and on
//! damaged input (never a panic).

use msgraph_sync_generator::csdl::{
    self, ConstantKind, Csdl, EnumType, Expr, Operation, OperationKind, PropertyValue, Record,
    Schema, StructuredType, TypeRef,
};
use msgraph_sync_generator::error::{ErrorKind, Location, SourceError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod support;
use support::{csdl_fixture, repo, shared_metadata};

fn fixture_bytes(name: &str) -> Vec<u8> {
    let path = csdl_fixture(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_fixture(name: &str) -> Csdl {
    csdl::read(name, &fixture_bytes(name)).unwrap_or_else(|e| panic!("{e}"))
}

fn read_error(name: &str) -> SourceError {
    match csdl::read(name, &fixture_bytes(name)) {
        Ok(_) => panic!("{name} read without error"),
        Err(error) => error,
    }
}

fn read_str(text: &str) -> Result<Csdl, Box<SourceError>> {
    csdl::read("inline.xml", text.as_bytes()).map_err(Box::new)
}

fn at(line: u32, column: u32) -> Location {
    Location { line, column }
}

fn schema<'c>(csdl: &'c Csdl, namespace: &str) -> &'c Schema {
    let found = csdl.schemas.iter().find(|s| s.namespace == namespace);
    found.unwrap_or_else(|| panic!("no schema {namespace}"))
}

fn entity<'s>(schema: &'s Schema, name: &str) -> &'s StructuredType {
    let found = schema.entity_types.iter().find(|t| t.name == name);
    found.unwrap_or_else(|| panic!("no entity type {name}"))
}

fn complex<'s>(schema: &'s Schema, name: &str) -> &'s StructuredType {
    let found = schema.complex_types.iter().find(|t| t.name == name);
    found.unwrap_or_else(|| panic!("no complex type {name}"))
}

fn enumeration<'s>(schema: &'s Schema, name: &str) -> &'s EnumType {
    let found = schema.enum_types.iter().find(|t| t.name == name);
    found.unwrap_or_else(|| panic!("no enum type {name}"))
}

fn operations<'s>(schema: &'s Schema, name: &str) -> Vec<&'s Operation> {
    schema
        .operations
        .iter()
        .filter(|o| o.name == name)
        .collect()
}

fn property_type(ty: &StructuredType, name: &str) -> TypeRef {
    let found = ty.properties.iter().find(|p| p.name == name);
    found
        .unwrap_or_else(|| panic!("no property {name}"))
        .type_ref
        .clone()
}

fn type_ref(text: &str) -> TypeRef {
    TypeRef::parse(text).unwrap_or_else(|| panic!("bad type {text}"))
}

fn record(expr: &Expr) -> &Record {
    match expr {
        Expr::Record(record) => record,
        other => panic!("not a record: {other:?}"),
    }
}

fn field<'r>(record: &'r Record, property: &str) -> &'r PropertyValue {
    let found = record.properties.iter().find(|p| p.property == property);
    found.unwrap_or_else(|| panic!("no property value {property}"))
}

/// The fixtures that model one quirk each and must read cleanly.
const QUIRK_FIXTURES: &[&str] = &[
    "bom.xml",
    "aliases.xml",
    "memberless_enum.xml",
    "keyword_names.xml",
    "namespace_clash.xml",
    "function_and_complex_type.xml",
    "overloads_by_binding.xml",
    "annotations_across_schemas.xml",
    "untyped.xml",
    "has_stream.xml",
    "update_method_put.xml",
    "flags_enum.xml",
];

#[test]
fn every_quirk_fixture_is_complete_and_fully_modelled() {
    for name in QUIRK_FIXTURES {
        let csdl = read_fixture(name);
        assert_eq!(csdl.source, *name);
        assert_eq!(csdl.version, "4.0", "{name}");
        assert!(csdl.unmodelled.is_empty(), "{name}: {:?}", csdl.unmodelled);
        let graph = schema(&csdl, "microsoft.graph");
        let base = entity(graph, "entity");
        assert_eq!(base.key, ["id"], "{name}");
        assert!(base.base_type.is_none() && base.is_abstract, "{name}");
    }
}

#[test]
fn bom_is_stripped_and_locations_count_from_the_first_character() {
    let bytes = fixture_bytes("bom.xml");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let csdl = read_fixture("bom.xml");
    let graph = schema(&csdl, "microsoft.graph");
    assert_eq!(graph.location, at(4, 5));
    assert_eq!(entity(graph, "entity").location, at(5, 7));
    assert_eq!(entity(graph, "entity").properties[0].location, at(9, 9));
    assert_eq!(
        property_type(entity(graph, "user"), "identity"),
        type_ref("graph.identity")
    );
}

#[test]
fn aliases_and_full_names_are_kept_as_written() {
    let csdl = read_fixture("aliases.xml");
    assert_eq!(csdl.references.len(), 1);
    let reference = &csdl.references[0];
    assert!(reference.uri.ends_with("Org.OData.Core.V1.xml"));
    assert_eq!(reference.includes[0].namespace, "Org.OData.Core.V1");
    assert_eq!(reference.includes[0].alias.as_deref(), Some("Core"));
    assert_eq!(reference.location, at(3, 3));

    let graph = schema(&csdl, "microsoft.graph");
    let security = schema(&csdl, "microsoft.graph.security");
    assert_eq!(graph.alias.as_deref(), Some("graph"));
    assert_eq!(security.alias.as_deref(), Some("self"));

    let set = complex(graph, "identitySet");
    assert_eq!(
        property_type(set, "user"),
        type_ref("microsoft.graph.identity")
    );
    assert_eq!(
        property_type(set, "application"),
        type_ref("graph.identity")
    );
    let user = entity(graph, "user");
    assert_eq!(user.base_type.as_deref(), Some("microsoft.graph.entity"));
    let alerts = &user.navigation_properties[0];
    assert_eq!(
        alerts.type_ref,
        type_ref("Collection(microsoft.graph.security.alert)")
    );

    let alert = entity(security, "alert");
    assert_eq!(alert.base_type.as_deref(), Some("graph.entity"));
    let evidence = property_type(alert, "evidence");
    assert!(evidence.collection);
    assert_eq!(evidence.name, "self.alertEvidence");
    let first = property_type(alert, "firstEvidence");
    assert_eq!(first, type_ref("microsoft.graph.security.alertEvidence"));
    assert_eq!(alert.annotations[0].term, "Core.Description");
    assert_eq!(security.annotations[0].target, "self.alert/evidence");
}

#[test]
fn enums_without_members_read_as_empty() {
    let csdl = read_fixture("memberless_enum.xml");
    let graph = schema(&csdl, "microsoft.graph");
    assert!(enumeration(graph, "auditLogRecordType").members.is_empty());
    assert!(enumeration(graph, "auditLogUserType").members.is_empty());
    assert_eq!(enumeration(graph, "riskLevel").members.len(), 2);
    let record = entity(graph, "auditLogRecord");
    assert_eq!(
        property_type(record, "recordType"),
        type_ref("graph.auditLogRecordType")
    );
}

#[test]
fn rust_keywords_are_ordinary_names_to_the_reader() {
    let csdl = read_fixture("keyword_names.xml");
    let graph = schema(&csdl, "microsoft.graph");
    let ty = complex(graph, "type");
    let names: Vec<&str> = ty.properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["type", "match", "self", "Self", "crate", "async", "ref"]
    );
    assert_eq!(
        property_type(complex(graph, "Self"), "super"),
        type_ref("graph.type")
    );
    let members: Vec<&str> = enumeration(graph, "crate")
        .members
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(members, ["self", "Self", "async"]);
    let matched = entity(graph, "match");
    assert_eq!(property_type(matched, "async"), type_ref("graph.crate"));
    assert_eq!(matched.navigation_properties[0].name, "self");
}

#[test]
fn the_same_type_name_in_two_namespaces_is_no_duplicate() {
    let csdl = read_fixture("namespace_clash.xml");
    let graph = schema(&csdl, "microsoft.graph");
    let security = schema(&csdl, "microsoft.graph.security");
    assert_eq!(complex(graph, "alert").properties[0].name, "title");
    assert_eq!(complex(security, "alert").properties[0].name, "severity");
    let incident = entity(graph, "incident");
    assert_eq!(
        property_type(incident, "securityAlert").name,
        "microsoft.graph.security.alert"
    );
}

#[test]
fn a_function_may_share_its_name_with_a_complex_type() {
    let csdl = read_fixture("function_and_complex_type.xml");
    let graph = schema(&csdl, "microsoft.graph");
    assert_eq!(complex(graph, "image").properties.len(), 2);
    let image = operations(graph, "image");
    assert_eq!(image.len(), 1);
    assert_eq!(image[0].kind, OperationKind::Function);
    assert!(image[0].is_bound);
    assert_eq!(image[0].parameters[0].type_ref, type_ref("graph.driveItem"));
    let returned = image[0].return_type.as_ref().map(|r| r.type_ref.clone());
    assert_eq!(returned, Some(type_ref("graph.image")));
}

#[test]
fn operations_overloaded_by_binding_are_all_kept() {
    let csdl = read_fixture("overloads_by_binding.xml");
    let graph = schema(&csdl, "microsoft.graph");
    let validate = operations(graph, "validateCredentials");
    assert_eq!(validate.len(), 2);
    let bindings: Vec<&TypeRef> = validate.iter().map(|o| &o.parameters[0].type_ref).collect();
    assert_eq!(
        bindings[0],
        &type_ref("Collection(graph.synchronizationJob)")
    );
    assert_eq!(bindings[1], &type_ref("graph.synchronizationJob"));
    assert!(
        validate
            .iter()
            .all(|o| o.kind == OperationKind::Action && o.is_bound)
    );
    assert!(
        validate
            .iter()
            .all(|o| o.parameters[0].name == "bindingParameter")
    );
    assert_eq!(validate[0].parameters[1].facets.unicode, Some(false));
    assert!(validate[0].location < validate[1].location);
    let pause = operations(graph, "pause");
    assert_eq!(pause[0].parameters[0].name, "bindparameter");
    let token = operations(graph, "acquireAccessToken");
    assert_eq!(token[0].kind, OperationKind::Function);
}

#[test]
fn annotations_in_one_schema_target_another() {
    let csdl = read_fixture("annotations_across_schemas.xml");
    let other = schema(&csdl, "microsoft.graph.annotations");
    assert!(other.entity_types.is_empty());
    let targets: Vec<&str> = other
        .annotations
        .iter()
        .map(|a| a.target.as_str())
        .collect();
    assert_eq!(
        targets,
        [
            "microsoft.graph.synchronizationJob",
            "microsoft.graph.synchronizationJob/schedule"
        ]
    );
    let on_type = &other.annotations[0].annotations[0];
    assert_eq!(on_type.term, "Org.OData.Core.V1.Description");
    assert_eq!(
        on_type.value,
        Some(Expr::String("Performs synchronization.".into()))
    );
    assert_eq!(
        other.annotations[1].annotations[0].value,
        Some(Expr::Bool(true))
    );
}

#[test]
fn edm_untyped_is_an_ordinary_type_reference() {
    let csdl = read_fixture("untyped.xml");
    let graph = schema(&csdl, "microsoft.graph");
    let value = complex(graph, "settingValue");
    assert_eq!(
        property_type(value, "currentValue"),
        type_ref("Edm.Untyped")
    );
    assert_eq!(
        property_type(value, "history"),
        type_ref("Collection(Edm.Untyped)")
    );
    let apply = operations(graph, "apply");
    assert_eq!(apply[0].parameters[1].name, "desiredValue");
    assert_eq!(apply[0].parameters[1].type_ref, type_ref("Edm.Untyped"));
    let returned = apply[0].return_type.as_ref().map(|r| r.type_ref.clone());
    assert_eq!(returned, Some(type_ref("Edm.Untyped")));
}

#[test]
fn has_stream_entities_may_have_no_properties() {
    let csdl = read_fixture("has_stream.xml");
    let graph = schema(&csdl, "microsoft.graph");
    let upload = entity(graph, "bulkUpload");
    assert!(upload.has_stream);
    assert!(upload.properties.is_empty() && upload.navigation_properties.is_empty());
    assert_eq!(upload.base_type.as_deref(), Some("graph.entity"));
    assert!(!entity(graph, "entity").has_stream);
    let job = entity(graph, "synchronizationJob");
    assert!(job.navigation_properties[0].contains_target);
}

#[test]
fn update_method_put_reads_the_same_as_attribute_and_as_element() {
    let csdl = read_fixture("update_method_put.xml");
    let graph = schema(&csdl, "microsoft.graph");
    let put = Expr::EnumMember("Org.OData.Capabilities.V1.HttpMethod/PUT".into());

    let inline = &entity(graph, "synchronization").annotations[0];
    assert_eq!(inline.term, "Org.OData.Capabilities.V1.UpdateRestrictions");
    let value = inline.value.as_ref().map(record);
    assert_eq!(value.map(|r| &field(r, "UpdateMethod").value), Some(&put));

    let block = &graph.annotations[0];
    assert_eq!(
        block.target,
        "microsoft.graph.servicePrincipal/synchronization"
    );
    let restrictions = block.annotations[0].value.as_ref().map(record);
    let restrictions = restrictions.unwrap_or_else(|| panic!("no record"));
    assert_eq!(field(restrictions, "UpdateMethod").value, put);
    assert_eq!(field(restrictions, "Updatable").value, Expr::Bool(true));
}

#[test]
fn flags_keep_their_values_and_implicit_values_count_from_zero() {
    let csdl = read_fixture("flags_enum.xml");
    let graph = schema(&csdl, "microsoft.graph");
    let scope = enumeration(graph, "synchronizationJobRestartScope");
    assert!(scope.is_flags);
    let values: Vec<(&str, i64)> = scope
        .members
        .iter()
        .map(|m| (m.name.as_str(), m.value))
        .collect();
    assert_eq!(
        values,
        [
            ("None", 0),
            ("ConnectorDataStore", 1),
            ("Escrows", 2),
            ("Watermark", 4),
            ("QuarantineState", 8),
            ("Full", 15),
            ("ForceDeletes", 32)
        ]
    );
    assert!(scope.members.iter().all(|m| m.explicit_value));
    let status = enumeration(graph, "synchronizationStatusCode");
    assert!(!status.is_flags);
    let values: Vec<i64> = status.members.iter().map(|m| m.value).collect();
    assert_eq!(values, [0, 1, 2, 3, 4]);
    assert!(status.members.iter().all(|m| !m.explicit_value));
}

#[test]
fn implicit_values_follow_the_previous_member() {
    let doc = wrap_schema(
        r#"<EnumType Name="e"><Member Name="a" /><Member Name="b" Value="10" /><Member Name="c" /></EnumType>"#,
    );
    let csdl = read_str(&doc).unwrap_or_else(|e| panic!("{e}"));
    let values: Vec<i64> = csdl.schemas[0].enum_types[0]
        .members
        .iter()
        .map(|m| m.value)
        .collect();
    assert_eq!(values, [0, 10, 11]);
}

#[test]
fn every_modelled_element_and_attribute_is_read() {
    let csdl = read_fixture("all_elements.xml");
    assert_eq!(csdl.references.len(), 2);
    assert_eq!(csdl.references[1].includes[0].alias, None);
    let graph = schema(&csdl, "microsoft.graph");
    assert_eq!(graph.inline_annotations[0].term, "Core.Description");

    let percent = &graph.type_definitions[0];
    assert_eq!(
        (percent.name.as_str(), percent.underlying_type.as_str()),
        ("percent", "Edm.Decimal")
    );
    assert_eq!(percent.facets.precision, Some(5));
    assert_eq!(percent.facets.scale.as_deref(), Some("2"));
    assert_eq!(percent.annotations.len(), 1);

    let term = &graph.terms[0];
    assert_eq!(term.name, "sensitive");
    assert_eq!(term.type_ref, type_ref("Edm.Boolean"));
    assert_eq!(term.applies_to, ["Property", "Parameter"]);
    assert_eq!(term.default_value.as_deref(), Some("true"));
    assert_eq!(term.facets.nullable, Some(false));

    let color = enumeration(graph, "color");
    assert_eq!(color.underlying_type.as_deref(), Some("Edm.Int64"));
    assert_eq!(
        color.members[0].annotations[0].value,
        Some(Expr::String("Red.".into()))
    );

    check_user(entity(graph, "user"));
    check_operations(graph);
    check_container(graph);
    check_annotation_expressions(graph);

    let expected: BTreeMap<String, usize> = [
        ("Apply", 1),
        ("Bool", 1),
        ("If", 1),
        ("IncludeAnnotations", 1),
        ("OnDelete", 1),
        ("Path", 1),
        ("PropertyRef@Alias", 1),
        ("ReferentialConstraint", 1),
        ("String", 4),
        ("UrlRef", 1),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(csdl.unmodelled, expected);
}

fn check_user(user: &StructuredType) {
    assert!(user.open_type && !user.is_abstract);
    assert_eq!(user.location, at(29, 7));
    let name = &user.properties[0];
    assert_eq!(name.facets.max_length.as_deref(), Some("max"));
    assert_eq!(name.facets.unicode, Some(false));
    assert_eq!(name.default_value.as_deref(), Some("anonymous"));
    let text = Expr::String("The name & title\nshown in lists.".into());
    assert_eq!(name.annotations[0].value, Some(text));
    assert_eq!(name.annotations[0].location, at(31, 11));
    assert_eq!(user.properties[1].facets.scale.as_deref(), Some("variable"));
    assert_eq!(user.properties[2].facets.srid.as_deref(), Some("4326"));
    assert_eq!(user.properties[3].facets.nullable, Some(false));
    let manager = &user.navigation_properties[0];
    assert_eq!(manager.nullable, Some(true));
    assert_eq!(manager.partner.as_deref(), Some("directReports"));
    assert!(!manager.contains_target);
    assert!(user.navigation_properties[2].contains_target);
}

fn check_operations(graph: &Schema) {
    let assign = operations(graph, "assign")[0];
    assert_eq!(
        assign.entity_set_path.as_deref(),
        Some("bindingParameter/manager")
    );
    let note = &assign.parameters[1];
    assert_eq!(note.facets.nullable, Some(true));
    assert_eq!(note.facets.max_length.as_deref(), Some("200"));
    let optional = note.annotations[0].value.as_ref().map(record);
    let optional = optional.unwrap_or_else(|| panic!("no record"));
    assert_eq!(
        optional.type_name.as_deref(),
        Some("Org.OData.Core.V1.OptionalParameterType")
    );
    assert_eq!(
        field(optional, "DefaultValue").value,
        Expr::String("none".into())
    );
    let returned = assign
        .return_type
        .as_ref()
        .unwrap_or_else(|| panic!("no return type"));
    assert_eq!(returned.facets.nullable, Some(false));
    assert_eq!(returned.annotations.len(), 1);
    assert_eq!(assign.annotations.len(), 1);
    let count = operations(graph, "reportCount")[0];
    assert!(count.is_composable && count.is_bound);
    let today = operations(graph, "today")[0];
    assert!(!today.is_bound && today.parameters.is_empty());
    let reset = operations(graph, "reset")[0];
    assert!(reset.return_type.is_none());
}

fn check_container(graph: &Schema) {
    let container = graph
        .entity_container
        .as_ref()
        .unwrap_or_else(|| panic!("no container"));
    assert_eq!(container.name, "GraphService");
    let users = &container.entity_sets[0];
    assert_eq!(users.entity_type, "microsoft.graph.user");
    assert_eq!(users.include_in_service_document, Some(true));
    assert_eq!(users.navigation_property_bindings[0].path, "manager");
    assert_eq!(users.annotations[0].value, Some(Expr::Bool(true)));
    let me = &container.singletons[0];
    assert_eq!(me.type_name, "microsoft.graph.user");
    assert_eq!(me.navigation_property_bindings[0].target, "users");
    assert_eq!(container.action_imports[0].action, "microsoft.graph.reset");
    let today = &container.function_imports[0];
    assert_eq!(today.function, "microsoft.graph.today");
    assert_eq!(today.include_in_service_document, Some(false));
    assert_eq!(today.entity_set.as_deref(), Some("users"));
    assert_eq!(container.annotations.len(), 1);
}

fn check_annotation_expressions(graph: &Schema) {
    let block = &graph.annotations[0];
    assert_eq!(block.qualifier.as_deref(), Some("v1"));
    let read = &block.annotations[0];
    assert_eq!(read.qualifier.as_deref(), Some("list"));
    assert_eq!(read.annotations[0].term, "Core.Description");
    let attributes = read
        .value
        .as_ref()
        .map(record)
        .unwrap_or_else(|| panic!("no record"));
    let temporal = |kind, text: &str| Expr::Temporal {
        kind,
        text: text.to_string(),
    };
    let expected = [
        ("Readable", Expr::Bool(true)),
        ("Int", Expr::Int(-42)),
        ("Float", Expr::Float("1.5e3".into())),
        ("Decimal", Expr::Decimal("3.14".into())),
        ("Date", temporal(ConstantKind::Date, "2026-08-20")),
        (
            "DateTimeOffset",
            temporal(
                ConstantKind::DateTimeOffset,
                "2026-08-20T10:00:00.1234567-05:00",
            ),
        ),
        (
            "TimeOfDay",
            temporal(ConstantKind::TimeOfDay, "23:59:59.999"),
        ),
        (
            "Duration",
            temporal(ConstantKind::Duration, "P10675199DT2H48M5.4775807S"),
        ),
        (
            "Guid",
            temporal(ConstantKind::Guid, "21EC2020-3AEA-1069-A2DD-08002B30309D"),
        ),
        ("Binary", temporal(ConstantKind::Binary, "T0RhdGE")),
        (
            "EnumMember",
            Expr::EnumMember("graph.color/red graph.color/green".into()),
        ),
        ("Path", Expr::Path("manager/displayName".into())),
        ("PropertyPath", Expr::PropertyPath("displayName".into())),
        (
            "NavigationPropertyPath",
            Expr::NavigationPropertyPath("manager".into()),
        ),
        (
            "AnnotationPath",
            Expr::AnnotationPath("@Core.Description".into()),
        ),
        (
            "ModelElementPath",
            Expr::ModelElementPath("graph.user".into()),
        ),
    ];
    for (property, value) in &expected {
        assert_eq!(&field(attributes, property).value, value, "{property}");
    }
    let nested = field(attributes, "Nested");
    assert_eq!(nested.annotations.len(), 1);
    let inner = record(&nested.value);
    assert_eq!(inner.type_name.as_deref(), Some("graph.address"));
    assert_eq!(inner.annotations.len(), 1);
    assert_eq!(field(inner, "street").value, Expr::String("Main St".into()));

    let insert = block.annotations[1]
        .value
        .as_ref()
        .map(record)
        .unwrap_or_else(|| panic!("no record"));
    let expected = [
        ("Int", Expr::Int(7)),
        ("Bool", Expr::Bool(false)),
        ("Float", Expr::Float("2.5".into())),
        ("Decimal", Expr::Decimal("10.00".into())),
        ("Date", temporal(ConstantKind::Date, "2026-01-31")),
        (
            "DateTimeOffset",
            temporal(ConstantKind::DateTimeOffset, "0001-01-01T00:00:00Z"),
        ),
        ("TimeOfDay", temporal(ConstantKind::TimeOfDay, "07:30:00")),
        ("Duration", temporal(ConstantKind::Duration, "P1M")),
        (
            "Guid",
            temporal(ConstantKind::Guid, "00000000-0000-0000-0000-000000000000"),
        ),
        ("Binary", temporal(ConstantKind::Binary, "AAEC")),
        ("Path", Expr::Path("settings/theme".into())),
        (
            "AnnotationPath",
            Expr::AnnotationPath("@Core.Description".into()),
        ),
        (
            "ModelElementPath",
            Expr::ModelElementPath("graph.address".into()),
        ),
        ("Nothing", Expr::Null),
    ];
    for (property, value) in &expected {
        assert_eq!(&field(insert, property).value, value, "{property}");
    }
    let collection = Expr::Collection(vec![
        Expr::PropertyPath("id".into()),
        Expr::NavigationPropertyPath("manager".into()),
        Expr::String(" spaced ".into()),
        Expr::Record(Record::default()),
        Expr::Collection(Vec::new()),
    ]);
    assert_eq!(field(insert, "NonInsertableProperties").value, collection);

    assert_eq!(block.annotations[2].term, "Core.Computed");
    assert_eq!(block.annotations[2].value, None);
    let apply = Expr::Unmodelled {
        element: "Apply".into(),
    };
    assert_eq!(block.annotations[3].value, Some(apply));
    let links = Expr::Collection(vec![
        Expr::Unmodelled {
            element: "UrlRef".into(),
        },
        Expr::Unmodelled {
            element: "If".into(),
        },
    ]);
    assert_eq!(block.annotations[4].value, Some(links));
}

fn wrap_schema(body: &str) -> String {
    format!(
        "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n\
         <edmx:DataServices>\n\
         <Schema Namespace=\"ns\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n\
         {body}\n\
         </Schema>\n\
         </edmx:DataServices>\n\
         </edmx:Edmx>\n"
    )
}

/// The error for `body` placed on line 4, column 1 of a minimal document.
fn schema_error(body: &str) -> Box<SourceError> {
    match read_str(&wrap_schema(body)) {
        Ok(_) => panic!("no error for {body}"),
        Err(error) => error,
    }
}

fn invalid(attribute: &str, value: &str) -> impl Fn(&ErrorKind) -> bool {
    let (attribute, value) = (attribute.to_string(), value.to_string());
    move |kind| matches!(kind, ErrorKind::InvalidAttribute { attribute: a, value: v, .. } if *a == attribute && *v == value)
}

#[test]
fn unknown_attributes_are_counted_and_namespace_declarations_ignored() {
    let doc = wrap_schema(
        r#"<ComplexType Name="a" HasStream="true" xmlns:x="urn:x" x:extra="1"><Property Name="p" Type="Edm.String" Foo="bar" /></ComplexType>
<Action Name="go" IsComposable="true" />"#,
    );
    let csdl = read_str(&doc).unwrap_or_else(|e| panic!("{e}"));
    let keys: Vec<(&str, usize)> = csdl
        .unmodelled
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        keys,
        [
            ("Action@IsComposable", 1),
            ("ComplexType@HasStream", 1),
            ("ComplexType@x:extra", 1),
            ("Property@Foo", 1)
        ]
    );
}

#[test]
fn truncated_document_is_reported_at_the_end_naming_the_open_element() {
    let error = read_error("malformed/truncated.xml");
    assert_eq!(error.file, "malformed/truncated.xml");
    assert_eq!(error.location, at(13, 1));
    assert_eq!(error.element, "EntityType");
    let expected = "unexpected end of input: <EntityType> is not closed";
    assert_eq!(error.kind, ErrorKind::MalformedXml(expected.into()));
}

#[test]
fn bad_attribute_value_is_reported_at_the_attribute() {
    let error = read_error("malformed/bad_attribute.xml");
    assert_eq!(error.location, at(12, 56));
    assert_eq!(error.element, "Property");
    let expected = ErrorKind::InvalidAttribute {
        attribute: "Nullable".into(),
        value: "maybe".into(),
        expected: "`true` or `false`".into(),
    };
    assert_eq!(error.kind, expected);
    assert_eq!(
        error.to_string(),
        "malformed/bad_attribute.xml:12:56: in <Property>: attribute `Nullable` has value \"maybe\", expected `true` or `false`"
    );
}

#[test]
fn missing_attribute_is_reported_at_the_element() {
    let error = read_error("malformed/missing_attribute.xml");
    assert_eq!(error.location, at(12, 9));
    assert_eq!(error.element, "Property");
    assert_eq!(
        error.kind,
        ErrorKind::MissingAttribute {
            attribute: "Type".into()
        }
    );
}

#[test]
fn duplicate_member_name_points_at_both_declarations() {
    let error = read_error("malformed/duplicate_name.xml");
    assert_eq!(error.location, at(13, 9));
    assert_eq!(error.element, "NavigationProperty");
    let expected = ErrorKind::DuplicateName {
        name: "manager".into(),
        first: at(12, 9),
    };
    assert_eq!(error.kind, expected);
}

#[test]
fn a_root_other_than_edmx_is_not_csdl() {
    let error = read_error("malformed/not_csdl.xml");
    assert_eq!(error.location, at(2, 1));
    assert_eq!(error.element, "Schema");
    assert!(matches!(error.kind, ErrorKind::NotCsdl(_)), "{error}");
}

#[test]
fn a_dangling_type_reference_is_left_to_the_model() {
    let csdl = read_fixture("malformed/dangling_type.xml");
    let user = entity(schema(&csdl, "microsoft.graph"), "user");
    assert_eq!(
        property_type(user, "mailboxSettings"),
        type_ref("graph.mailboxSettingsThatDoNotExist")
    );
}

#[test]
fn bad_values_are_invalid_attributes_at_the_attribute() {
    let cases = [
        (
            r#"<EnumType Name="e" IsFlags="yes" />"#,
            20,
            invalid("IsFlags", "yes"),
        ),
        (
            r#"<EnumType Name="e"><Member Name="m" Value="abc" /></EnumType>"#,
            37,
            invalid("Value", "abc"),
        ),
        (
            r#"<ComplexType Name="c"><Property Name="p" Type="Edm.Decimal" Precision="x" /></ComplexType>"#,
            61,
            invalid("Precision", "x"),
        ),
        (
            r#"<ComplexType Name="c"><Property Name="p" Type="Collection(Edm.String" /></ComplexType>"#,
            42,
            invalid("Type", "Collection(Edm.String"),
        ),
        (
            r#"<ComplexType Name="c"><Property Name="p" Type="Edm.String" MaxLength="-1" /></ComplexType>"#,
            60,
            invalid("MaxLength", "-1"),
        ),
        (
            r#"<Annotations Target="t"><Annotation Term="x" Bool="yes" /></Annotations>"#,
            46,
            invalid("Bool", "yes"),
        ),
        (
            r#"<Annotations Target="t"><Annotation Term="x" Int="1.5" /></Annotations>"#,
            46,
            invalid("Int", "1.5"),
        ),
    ];
    for (body, column, check) in cases {
        let error = schema_error(body);
        assert_eq!(error.location, at(4, column), "{body}: {error}");
        assert!(check(&error.kind), "{body}: {error}");
    }
}

#[test]
fn required_attributes_are_enforced() {
    let cases = [
        (r#"<EntityType />"#, "EntityType", "Name"),
        (
            r#"<ComplexType Name="c"><NavigationProperty Name="n" /></ComplexType>"#,
            "NavigationProperty",
            "Type",
        ),
        (
            r#"<Action Name="a"><Parameter Type="Edm.String" /></Action>"#,
            "Parameter",
            "Name",
        ),
        (
            r#"<Function Name="f"><ReturnType /></Function>"#,
            "ReturnType",
            "Type",
        ),
        (r#"<Term Name="t" />"#, "Term", "Type"),
        (
            r#"<TypeDefinition Name="t" />"#,
            "TypeDefinition",
            "UnderlyingType",
        ),
        (
            r#"<EnumType Name="e"><Member Value="1" /></EnumType>"#,
            "Member",
            "Name",
        ),
        (
            r#"<Annotations><Annotation Term="t" /></Annotations>"#,
            "Annotations",
            "Target",
        ),
        (
            r#"<Annotations Target="x"><Annotation /></Annotations>"#,
            "Annotation",
            "Term",
        ),
        (
            r#"<EntityContainer Name="c"><EntitySet Name="s" /></EntityContainer>"#,
            "EntitySet",
            "EntityType",
        ),
        (
            r#"<EntityContainer Name="c"><Singleton Name="s" /></EntityContainer>"#,
            "Singleton",
            "Type",
        ),
        (
            r#"<EntityContainer Name="c"><ActionImport Name="s" /></EntityContainer>"#,
            "ActionImport",
            "Action",
        ),
        (
            r#"<EntityContainer Name="c"><EntitySet Name="s" EntityType="t"><NavigationPropertyBinding Path="p" /></EntitySet></EntityContainer>"#,
            "NavigationPropertyBinding",
            "Target",
        ),
        (
            r#"<Annotations Target="x"><Annotation Term="t"><Record><PropertyValue String="v" /></Record></Annotation></Annotations>"#,
            "PropertyValue",
            "Property",
        ),
    ];
    for (body, element, attribute) in cases {
        let error = schema_error(body);
        assert_eq!(error.element, element, "{body}");
        assert_eq!(
            error.kind,
            ErrorKind::MissingAttribute {
                attribute: attribute.into()
            },
            "{body}"
        );
        assert_eq!(error.location.line, 4, "{body}");
    }
    let error =
        read_str("<edmx:Edmx><edmx:DataServices><Schema /></edmx:DataServices></edmx:Edmx>")
            .err()
            .unwrap_or_else(|| panic!("no error"));
    assert_eq!(
        (error.element.as_str(), error.location),
        ("edmx:Edmx", at(1, 1))
    );
    assert_eq!(
        error.kind,
        ErrorKind::MissingAttribute {
            attribute: "Version".into()
        }
    );
}

#[test]
fn duplicate_names_follow_csdl_name_spaces() {
    let duplicate = |body: &str| match schema_error(body).kind {
        ErrorKind::DuplicateName { name, first } => (name, first),
        other => panic!("{body}: {other:?}"),
    };
    // Types and terms share the schema's name space.
    let (name, first) = duplicate(r#"<ComplexType Name="x" /><EnumType Name="x" />"#);
    assert_eq!((name.as_str(), first), ("x", at(4, 1)));
    duplicate(
        r#"<Term Name="x" Type="Edm.String" /><TypeDefinition Name="x" UnderlyingType="Edm.String" />"#,
    );
    duplicate(r#"<EnumType Name="e"><Member Name="a" /><Member Name="a" /></EnumType>"#);
    duplicate(
        r#"<EntityContainer Name="c"><EntitySet Name="a" EntityType="t" /><Singleton Name="a" Type="t" /></EntityContainer>"#,
    );
    // Operations are overloaded and may share a name with a type.
    let fine = wrap_schema(
        r#"<ComplexType Name="x" /><Function Name="x"><ReturnType Type="Edm.String" /></Function><Function Name="x"><Parameter Name="p" Type="Edm.Int32" /><ReturnType Type="Edm.String" /></Function><Action Name="x" />"#,
    );
    let csdl = read_str(&fine).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(csdl.schemas[0].operations.len(), 3);
}

#[test]
fn malformed_xml_is_located() {
    let error = schema_error(
        "<ComplexType Name=\"a\">\n  <Property Name=\"p\" Type=\"Edm.String\" />\n</EnumType>",
    );
    assert_eq!(error.location, at(6, 1));
    assert_eq!(error.element, "ComplexType");
    assert!(matches!(error.kind, ErrorKind::MalformedXml(_)), "{error}");

    let error = schema_error(r#"<ComplexType Name="a" Name="b" />"#);
    assert_eq!(error.location, at(4, 23));
    assert!(matches!(error.kind, ErrorKind::MalformedXml(_)), "{error}");

    let error = schema_error(r#"<ComplexType Name="a">text</ComplexType>"#);
    assert_eq!(
        (error.location, error.element.as_str()),
        (at(4, 23), "ComplexType")
    );
    assert!(
        matches!(error.kind, ErrorKind::InvalidElement(_)),
        "{error}"
    );

    let error = schema_error(
        r#"<Annotations Target="t"><Annotation Term="x"><Int>4x</Int></Annotation></Annotations>"#,
    );
    assert_eq!((error.location, error.element.as_str()), (at(4, 46), "Int"));

    let error = read_str("").err().unwrap_or_else(|| panic!("no error"));
    assert!(matches!(error.kind, ErrorKind::NotCsdl(_)), "{error}");
    let error = read_str("<edmx:Edmx Version=\"4.0\" /><extra />")
        .err()
        .unwrap_or_else(|| panic!("no error"));
    assert_eq!(
        (error.location, error.element.as_str()),
        (at(1, 28), "extra")
    );
}

#[test]
fn text_that_is_not_utf8_is_located_in_its_element() {
    let mut bytes = fixture_bytes("update_method_put.xml");
    let text = String::from_utf8(bytes.clone()).unwrap_or_else(|e| panic!("{e}"));
    let at_put = text
        .find("HttpMethod/PUT</EnumMember>")
        .unwrap_or_else(|| panic!("no PUT"));
    bytes[at_put] = 0xFF;
    let error = csdl::read("bad.xml", &bytes)
        .err()
        .unwrap_or_else(|| panic!("no error"));
    let line = text[..at_put].matches('\n').count() as u32 + 1;
    let column = (at_put - text[..at_put].rfind('\n').unwrap_or(0)) as u32;
    assert_eq!(error.location, at(line, column));
    assert_eq!(error.element, "EnumMember");
    assert!(matches!(error.kind, ErrorKind::MalformedXml(_)), "{error}");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let body = format!(
        r#"<Annotations Target="t"><Annotation Term="x">{}{}</Annotation></Annotations>"#,
        "<Collection>".repeat(depth),
        "</Collection>".repeat(depth)
    );
    let error = schema_error(&body);
    assert!(
        matches!(error.kind, ErrorKind::InvalidElement(_)),
        "{error}"
    );
    assert_eq!(error.element, "Collection");
}

#[test]
fn damaged_input_never_panics() {
    let full = fixture_bytes("all_elements.xml");
    for end in 0..full.len() {
        if let Err(error) = csdl::read("prefix.xml", &full[..end]) {
            assert!(error.location.line >= 1 && error.location.column >= 1);
        }
    }
    let small = fixture_bytes("update_method_put.xml");
    for position in 0..small.len() {
        for replacement in [
            b'<', b'>', b'"', b'/', b'&', b' ', b'x', b'=', 0x00, 0xC3, 0xFF,
        ] {
            let mut damaged = small.clone();
            damaged[position] = replacement;
            let _ = csdl::read("flipped.xml", &damaged);
        }
    }
}

fn count_tags(text: &str, element: &str) -> usize {
    text.matches(&format!("<{element} ")).count() + text.matches(&format!("<{element}>")).count()
}

fn check_full_file(path: &Path, expected: [usize; 6]) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("graph");
    let csdl = csdl::read(name, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let total = |f: fn(&Schema) -> usize| csdl.schemas.iter().map(f).sum::<usize>();
    let kind =
        |k: OperationKind| move |s: &Schema| s.operations.iter().filter(|o| o.kind == k).count();
    let actions = csdl
        .schemas
        .iter()
        .map(kind(OperationKind::Action))
        .sum::<usize>();
    let functions = csdl
        .schemas
        .iter()
        .map(kind(OperationKind::Function))
        .sum::<usize>();
    let counts = [
        total(|s| s.entity_types.len()),
        total(|s| s.complex_types.len()),
        total(|s| s.enum_types.len()),
        actions,
        functions,
        csdl.schemas.len(),
    ];
    assert_eq!(
        counts, expected,
        "{name}: EntityType, ComplexType, EnumType, Action, Function, Schema"
    );
    let text = String::from_utf8_lossy(&bytes);
    let independent = [
        "EntityType",
        "ComplexType",
        "EnumType",
        "Action",
        "Function",
        "Schema",
    ]
    .map(|e| count_tags(&text, e));
    assert_eq!(counts, independent, "{name}: counted by tag");
    println!("{name}: unmodelled {:?}", csdl.unmodelled);
}

#[test]
#[cfg_attr(
    not(shared_data),
    ignore = "needs ../shared/metadata (Graph's full CSDL and permissions), absent beside this checkout"
)]
fn the_full_graph_files_read_completely() {
    let dir = shared_metadata();
    check_full_file(
        &dir.join("graph-v1.0.csdl.xml"),
        [1182, 1780, 861, 857, 324, 11],
    );
    check_full_file(
        &dir.join("graph-beta-usnat.csdl.xml"),
        [722, 1044, 479, 705, 251, 6],
    );
}

#[test]
#[cfg_attr(
    not(shared_data),
    ignore = "needs ../shared/metadata (Graph's full CSDL and permissions), absent beside this checkout"
)]
fn graph_v1_locations_and_quirks() {
    let dir = shared_metadata();
    let bytes = std::fs::read(dir.join("graph-v1.0.csdl.xml")).unwrap_or_else(|e| panic!("{e}"));
    let csdl = csdl::read("graph-v1.0.csdl.xml", &bytes).unwrap_or_else(|e| panic!("{e}"));
    let graph = schema(&csdl, "microsoft.graph");
    assert_eq!(graph.alias.as_deref(), Some("graph"));
    assert_eq!(entity(graph, "synchronization").location, at(20358, 7));
    assert!(entity(graph, "bulkUpload").has_stream);
    let scope = enumeration(graph, "synchronizationJobRestartScope");
    assert_eq!(
        scope
            .members
            .iter()
            .find(|m| m.name == "ForceDeletes")
            .map(|m| m.value),
        Some(32)
    );
    assert_eq!(operations(graph, "validateCredentials").len(), 2);
    assert!(enumeration(graph, "auditLogRecordType").members.is_empty());
}

// ---------------------------------------------------------------------------------
// XML names and characters: quick-xml is lenient; the reader is not, so that the
// slice writer never gets anything it cannot write back.

/// The error for `body` (on line 4 of a minimal document), as `(line, column,
/// element, message)`.
fn located(body: &str) -> (Location, String, String) {
    let error = schema_error(body);
    assert!(
        matches!(error.kind, ErrorKind::MalformedXml(_)),
        "{body}: {error}"
    );
    (
        error.location,
        error.element.clone(),
        error.kind.to_string(),
    )
}

#[test]
fn element_names_that_are_not_xml_names_are_refused_where_they_are() {
    let cases = [
        // An annotation expression (the fuzzer's find: the name ends in a quote).
        (
            r#"<Annotations Target="t"><Annotation Term="x"><Collection><A"b" /></Collection></Annotation></Annotations>"#,
            at(4, 60),
            "Collection",
            "element name `A\"b\"` is not an XML name: '\"' (U+0022) may not appear in a name",
        ),
        // An expression element directly in an annotation.
        (
            r#"<Annotation Term="x"><Re=cord /></Annotation>"#,
            at(4, 25),
            "Annotation",
            "element name `Re=cord` is not an XML name: '=' (U+003D) may not appear in a name",
        ),
        // A type's member.
        (
            r#"<ComplexType Name="a"><1Property Name="p" Type="Edm.String" /></ComplexType>"#,
            at(4, 24),
            "ComplexType",
            "element name `1Property` is not an XML name: '1' (U+0031) may not start a name",
        ),
        // Inside an element the reader skips.
        (
            r#"<ComplexType Name="a"><Unknown><x:y:z /></Unknown></ComplexType>"#,
            at(4, 36),
            "Unknown",
            "element name `x:y:z` is not an XML name: a name may hold at most one colon",
        ),
        // A schema child.
        (
            r#"<EnumType: Name="e" />"#,
            at(4, 10),
            "Schema",
            "element name `EnumType:` is not an XML name: a colon may only separate a prefix from a local name",
        ),
    ];
    for (body, location, element, message) in cases {
        let (found, in_element, text) = located(body);
        assert_eq!(
            (found, in_element.as_str(), text.as_str()),
            (
                location,
                element,
                format!("malformed XML: {message}").as_str()
            ),
            "{body}"
        );
    }
}

#[test]
fn attribute_names_that_are_not_xml_names_are_refused_where_they_are() {
    let cases = [
        // On a type.
        (
            r#"<ComplexType Name="a" Ab(stract="true" />"#,
            at(4, 25),
            "ComplexType",
            "attribute name `Ab(stract` is not an XML name: '(' (U+0028) may not appear in a name",
        ),
        // On a property inside a type.
        (
            r#"<ComplexType Name="a"><Property Name="p" Type="Edm.String" .Nullable="false" /></ComplexType>"#,
            at(4, 60),
            "Property",
            "attribute name `.Nullable` is not an XML name: '.' (U+002E) may not start a name",
        ),
        // On an annotation.
        (
            r#"<Annotation Term="x" Str'i'ng="y" />"#,
            at(4, 25),
            "Annotation",
            "attribute name `Str'i'ng` is not an XML name: '\\'' (U+0027) may not appear in a name",
        ),
        // On an annotation expression.
        (
            r#"<Annotation Term="x"><Record><PropertyValue Property="p" Bo:ol:="true" /></Record></Annotation>"#,
            at(4, 63),
            "PropertyValue",
            "attribute name `Bo:ol:` is not an XML name: a name may hold at most one colon",
        ),
        // On an element the reader skips.
        (
            r#"<Unknown :a="1" />"#,
            at(4, 10),
            "Unknown",
            "attribute name `:a` is not an XML name: a colon may only separate a prefix from a local name",
        ),
    ];
    for (body, location, element, message) in cases {
        let (found, in_element, text) = located(body);
        assert_eq!(
            (found, in_element.as_str(), text.as_str()),
            (
                location,
                element,
                format!("malformed XML: {message}").as_str()
            ),
            "{body}"
        );
    }
}

#[test]
fn names_from_every_script_that_xml_allows_are_read() {
    let csdl = read_str(&wrap_schema(
        r#"<ComplexType Name="a" xmlns:é="urn:x" é:données="1" 名前="2" _x-y.z·="3">
<Property Name="p" Type="Edm.String"><Annotation Term="x"><Collection><é:Ápply /></Collection></Annotation></Property>
</ComplexType>"#,
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let ty = &csdl.schemas[0].complex_types[0];
    let value = ty.properties[0].annotations[0].value.clone();
    let apply = Expr::Unmodelled {
        element: "Ápply".into(),
    };
    assert_eq!(value, Some(Expr::Collection(vec![apply])));
    assert!(csdl.unmodelled.contains_key("ComplexType@名前"));
}

#[test]
fn characters_that_xml_does_not_allow_are_refused_where_they_are() {
    // Raw, in an attribute value.
    let (location, element, message) = located("<ComplexType Name=\"a\u{0}b\" />");
    assert_eq!((location, element.as_str()), (at(4, 21), "Schema"));
    assert_eq!(
        message,
        "malformed XML: character U+0000 is not allowed in XML"
    );
    // Raw, in text.
    let (location, element, _) =
        located("<Annotation Term=\"x\"><String>a\u{1F}</String></Annotation>");
    assert_eq!((location, element.as_str()), (at(4, 31), "String"));
    // Raw, in a comment (no conforming parser reads the document).
    let (location, element, _) = located("<!-- \u{FFFF} -->");
    assert_eq!((location, element.as_str()), (at(4, 6), "Schema"));
    // As a reference in an attribute value.
    let (location, element, message) = located(r#"<ComplexType Name="a&#1;" />"#);
    assert_eq!((location, element.as_str()), (at(4, 14), "ComplexType"));
    assert_eq!(
        message,
        "malformed XML: attribute `Name` refers to U+0001, which XML does not allow"
    );
    // As a reference in text.
    let (location, element, message) =
        located(r#"<Annotation Term="x"><String>a&#x1b;</String></Annotation>"#);
    assert_eq!((location, element.as_str()), (at(4, 31), "String"));
    assert_eq!(
        message,
        "malformed XML: `&#x1b;` refers to U+001B, which XML does not allow"
    );
    // Tabs, line ends and everything else XML allows read as written.
    let csdl = read_str(&wrap_schema(
        "<Annotation Term=\"x\"><String>\ta&#9;&#10;&#xD;\u{FFFD}\u{10000}</String></Annotation>",
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        csdl.schemas[0].inline_annotations[0].value,
        Some(Expr::String("\ta\t\n\r\u{FFFD}\u{10000}".into()))
    );
}

#[test]
fn the_fuzzers_non_xml_element_name_is_a_located_error() {
    let path = repo().join("tests/fuzz/regressions/csdl_read/non-xml-element-name-ed4499b7");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let error = csdl::read("crash.xml", &bytes)
        .err()
        .unwrap_or_else(|| panic!("read without error"));
    // The input holds NUL bytes too (in attribute values, which the writer would
    // have copied through): the first of them is the first error.
    assert_eq!(
        error.to_string(),
        "crash.xml:53:69: in <EntityType>: malformed XML: character U+0000 is not allowed in XML"
    );
    // Without them, an attribute name of an unmodelled attribute.
    let without_nul: Vec<u8> = bytes.into_iter().filter(|&b| b != 0).collect();
    let error = csdl::read("crash.xml", &without_nul)
        .err()
        .unwrap_or_else(|| panic!("read without error"));
    assert_eq!(
        error.to_string(),
        "crash.xml:36:59: in <Property>: malformed XML: attribute name `Precis%on` is not an XML name: '%' (U+0025) may not appear in a name"
    );
    // Without that too, the element name that the writer could not write back.
    let text = String::from_utf8(without_nul).unwrap_or_else(|e| panic!("{e}"));
    let text = text.replace("Precis%on", "Precision");
    let error = csdl::read("crash.xml", text.as_bytes())
        .err()
        .unwrap_or_else(|| panic!("read without error"));
    assert_eq!(
        error.to_string(),
        "crash.xml:102:36: in <Collection>: malformed XML: element name `CtionScheduleState\"` is not an XML name: '\"' (U+0022) may not appear in a name"
    );
}

// ---------------------------------------------------------------------------------
// Tolerated deviations from the spec

#[test]
fn facet_keywords_in_another_case_are_read_as_the_spec_form_and_recorded() {
    let name = "deviations/facet_keyword_case.xml";
    let csdl = read_fixture(name);
    let found: Vec<String> = csdl.deviations.iter().map(ToString::to_string).collect();
    let reference = |section: &str| format!("OData CSDL XML 4.01 {section}");
    assert_eq!(
        found,
        [
            format!(
                "{name}:16:52: in <Property>: attribute `Scale` has value \"Variable\", read as \"variable\" (facet keyword in another letter case; {}: `variable` or `floating`)",
                reference("§7.2.4 Scale")
            ),
            format!(
                "{name}:18:49: in <Property>: attribute `MaxLength` has value \"Max\", read as \"max\" (facet keyword in another letter case; {}: `max`)",
                reference("§7.2.2 MaxLength")
            ),
            format!(
                "{name}:22:40: in <ReturnType>: attribute `Scale` has value \"Floating\", read as \"floating\" (facet keyword in another letter case; {}: `variable` or `floating`)",
                reference("§7.2.4 Scale")
            ),
        ]
    );
    let first = &csdl.deviations[0];
    assert_eq!(
        (
            first.file.as_str(),
            first.location,
            first.element.as_str(),
            first.attribute.as_str(),
            first.found.as_str(),
            first.read_as.as_str()
        ),
        (
            name,
            at(16, 52),
            "Property",
            "Scale",
            "Variable",
            "variable"
        )
    );
    let graph = schema(&csdl, "microsoft.graph");
    let line = complex(graph, "invoiceLine");
    let facets: Vec<(Option<&str>, Option<&str>)> = line
        .properties
        .iter()
        .map(|p| (p.facets.scale.as_deref(), p.facets.max_length.as_deref()))
        .collect();
    assert_eq!(
        facets,
        [
            (Some("variable"), None),
            (Some("variable"), None),
            (None, Some("max"))
        ]
    );
    let total = &operations(graph, "total")[0];
    let returns = total.return_type.as_ref().map(|r| r.facets.scale.clone());
    assert_eq!(returns, Some(Some("floating".to_string())));
    assert!(csdl.unmodelled.is_empty(), "{:?}", csdl.unmodelled);

    // The slice writer writes the spec form, which reads with no deviation.
    let written = msgraph_sync_generator::slice::xml::write(&csdl, "");
    assert!(written.contains(r#"Scale="variable""#), "{written}");
    assert!(!written.contains("Variable") && !written.contains("Floating"));
    let again = csdl::read("written.xml", written.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert!(again.deviations.is_empty(), "{:?}", again.deviations);
    let written_again = msgraph_sync_generator::slice::xml::write(&again, "");
    assert_eq!(written_again, written);
}

#[test]
fn values_that_lose_meaning_stay_errors() {
    for (attribute, value) in [
        ("Scale", "Varied"),
        ("Scale", "-1"),
        ("MaxLength", "Maximum"),
    ] {
        let error = schema_error(&format!(
            r#"<ComplexType Name="a"><Property Name="p" Type="Edm.Decimal" {attribute}="{value}" /></ComplexType>"#
        ));
        assert!(invalid(attribute, value)(&error.kind), "{error}");
        assert_eq!(error.location, at(4, 61));
    }
    // A deviation is only one where the attribute is a facet.
    let csdl = read_str(&wrap_schema(r#"<ComplexType Name="a" Scale="Variable" />"#))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(csdl.deviations.is_empty());
    assert_eq!(csdl.unmodelled.get("ComplexType@Scale"), Some(&1));
}

/// Every metadata file Graph serves (`../shared/metadata/family/`) and both files
/// in `../shared/metadata/` read and resolve; the deviations are the known ones.
#[test]
#[cfg_attr(
    not(shared_data),
    ignore = "needs ../shared/metadata (the metadata Graph serves), absent beside this checkout"
)]
fn every_graph_metadata_file_reads_and_resolves() {
    let dir = shared_metadata();
    let mut files: Vec<PathBuf> = [dir.clone(), dir.join("family")]
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flat_map(|entries| entries.flatten().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "expected 8 Graph files, found {files:?}");
    let mut counts = BTreeMap::new();
    for path in &files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let csdl = csdl::read(name, &bytes).unwrap_or_else(|e| panic!("{e}"));
        if let Err(error) = msgraph_sync_generator::model::resolve(&csdl) {
            panic!("{name}: {error}");
        }
        for deviation in &csdl.deviations {
            println!("{deviation}");
        }
        counts.insert(name.to_string(), csdl.deviations.len());
        if name == "v1.0-Prod-2023-10-11.csdl.xml" {
            let places: Vec<(Location, &str, &str)> = csdl
                .deviations
                .iter()
                .map(|d| (d.location, d.attribute.as_str(), d.found.as_str()))
                .collect();
            assert_eq!(
                places,
                [
                    (at(21699, 52), "Scale", "Variable"),
                    (at(21701, 62), "Scale", "Variable")
                ]
            );
        }
    }
    println!("deviations per file: {counts:?}");
}
