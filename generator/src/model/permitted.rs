//! The permissions reference applied to the path tree: a separate step after
//! [`super::build_paths`], data in and data out. For every path it looks up each
//! method once; a listed write method the path takes (see [`super::ListedWrites`]) becomes
//! an endpoint, a structural property nothing writes is dropped, and the entries
//! found for the paths that stay are the share of the reference to keep
//! (`metadata/permissions.json`).

use super::paths::{ApiPath, Endpoint, HttpMethod, Origin, PathTree};
use crate::permissions::{Grants, PathPermissions};

/// The path tree with the permissions applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Permitted {
    /// The paths of the API with every endpoint.
    pub paths: Vec<ApiPath>,
    /// The reference's entries for those paths, in path order and then
    /// [`HttpMethod::ALL`] order.
    pub permissions: Vec<PathPermissions>,
}

/// Applies `grants` to `tree`.
pub fn apply_permissions(tree: PathTree, grants: &dyn Grants) -> Permitted {
    let mut out = Permitted::default();
    for node in tree.nodes {
        let mut path = node.path;
        let template = path.template();
        let mut found = Vec::new();
        for method in HttpMethod::ALL {
            let Some(granted) = grants.granted(method.as_str(), &template) else {
                continue;
            };
            found.push(granted);
            let Some(kind) = node.listed_writes.endpoint_kind(method) else {
                continue;
            };
            if !path.endpoints.iter().any(|e| e.method == method) {
                path.endpoints.push(Endpoint {
                    method,
                    kind,
                    origin: Origin::Permissions,
                });
            }
        }
        if path.endpoints.is_empty() {
            continue;
        }
        path.endpoints.sort_by_key(|e| e.method);
        out.paths.push(path);
        out.permissions.extend(found);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EndpointKind, ListedWrites, OperationId, PathNode, PathTarget, Segment};
    use crate::permissions::PermissionsSlice;

    fn node(
        name: &str,
        target: PathTarget,
        endpoints: Vec<Endpoint>,
        listed: ListedWrites,
    ) -> PathNode {
        PathNode {
            path: ApiPath {
                segments: vec![Segment::Literal(name.to_string())],
                target,
                endpoints,
            },
            listed_writes: listed,
        }
    }

    fn endpoint(method: HttpMethod, kind: EndpointKind, origin: Origin) -> Endpoint {
        Endpoint {
            method,
            kind,
            origin,
        }
    }

    fn entry(method: &str, path: &str) -> PathPermissions {
        PathPermissions {
            method: method.to_string(),
            path: path.to_string(),
            schemes: Default::default(),
        }
    }

    #[test]
    fn listed_writes_become_endpoints_and_unwritten_properties_are_dropped() {
        let property = |name: &str| PathTarget::Property {
            owner: "n.owner".into(),
            name: name.into(),
            ty: crate::model::TypeUse {
                collection: false,
                target: crate::model::TypeTarget::Named("n.t".into()),
            },
        };
        let list = endpoint(HttpMethod::Get, EndpointKind::List, Origin::Convention);
        let action = OperationId::new(0, 0);
        let run = endpoint(
            HttpMethod::Post,
            EndpointKind::Action(action),
            Origin::Operation,
        );
        let tree = PathTree {
            nodes: vec![
                node(
                    "secrets",
                    property("secrets"),
                    vec![],
                    ListedWrites::Instance,
                ),
                node(
                    "jobs",
                    PathTarget::Collection("n.job".into()),
                    vec![list.clone()],
                    ListedWrites::Create,
                ),
                node(
                    "run",
                    PathTarget::Operation(action),
                    vec![run.clone()],
                    ListedWrites::None,
                ),
                node("hidden", property("hidden"), vec![], ListedWrites::Instance),
            ],
        };
        let reference = PermissionsSlice::new(
            "test",
            vec![
                entry("PUT", "/SECRETS"),
                entry("DELETE", "/secrets"),
                entry("POST", "/jobs"),
                entry("PATCH", "/jobs"),
                entry("DELETE", "/run"),
                entry("GET", "/hidden"),
            ],
        );
        let permitted = apply_permissions(tree, &reference.grants());
        let methods = |i: usize| -> Vec<(HttpMethod, EndpointKind)> {
            permitted.paths[i]
                .endpoints
                .iter()
                .map(|e| (e.method, e.kind))
                .collect()
        };
        assert_eq!(permitted.paths.len(), 3, "`hidden` is not written: no path");
        assert_eq!(
            methods(0),
            [
                (HttpMethod::Put, EndpointKind::Replace),
                (HttpMethod::Delete, EndpointKind::Delete)
            ]
        );
        assert!(
            permitted.paths[0]
                .endpoints
                .iter()
                .all(|e| e.origin == Origin::Permissions)
        );
        assert_eq!(
            methods(1),
            [
                (HttpMethod::Get, EndpointKind::List),
                (HttpMethod::Post, EndpointKind::Create)
            ],
            "PATCH is no write of a collection"
        );
        assert_eq!(
            permitted.paths[2].endpoints,
            [run],
            "operations take no listed writes"
        );
        let kept: Vec<(&str, &str)> = permitted
            .permissions
            .iter()
            .map(|p| (p.method.as_str(), p.path.as_str()))
            .collect();
        assert_eq!(
            kept,
            [
                ("PUT", "/SECRETS"),
                ("DELETE", "/secrets"),
                ("POST", "/jobs"),
                ("PATCH", "/jobs"),
                ("DELETE", "/run")
            ],
            "every entry of a kept path, none of a dropped one, as recorded"
        );
    }
}
