//! National clouds and API versions: which Graph host a client talks to and which
//! token scope it asks its [`TokenProvider`](super::auth::TokenProvider) for.
//!
//! The hosts and scopes are those of Microsoft's "national cloud deployments" page;
//! the synchronization API is available in all four clouds.

use std::fmt;

/// A Microsoft Graph deployment. Tokens are issued per cloud, so the scope a client
/// asks for must match the host it sends requests to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Cloud {
    /// The global service, `https://graph.microsoft.com`.
    #[default]
    Global,
    /// US Government L4 (GCC High), `https://graph.microsoft.us`.
    UsGovL4,
    /// US Government L5 (DoD), `https://dod-graph.microsoft.us`.
    UsGovL5Dod,
    /// China operated by 21Vianet, `https://microsoftgraph.chinacloudapi.cn`.
    China,
    /// Any other deployment (a sovereign cloud not listed, a test tenant behind a
    /// gateway): the host without a version path, and the `.default` scope to ask for.
    Custom {
        /// Scheme and host, e.g. `https://graph.example.net`.
        base_url: String,
        /// The token scope, e.g. `https://graph.example.net/.default`.
        scope: String,
    },
}

impl Cloud {
    /// The Graph host of this cloud, without a trailing slash or version.
    pub fn graph_base_url(&self) -> &str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGovL4 => "https://graph.microsoft.us",
            Cloud::UsGovL5Dod => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
            Cloud::Custom { base_url, .. } => base_url,
        }
    }

    /// The OAuth scope that grants the application's Graph permissions in this cloud.
    pub fn scope(&self) -> &str {
        match self {
            Cloud::Global => "https://graph.microsoft.com/.default",
            Cloud::UsGovL4 => "https://graph.microsoft.us/.default",
            Cloud::UsGovL5Dod => "https://dod-graph.microsoft.us/.default",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn/.default",
            Cloud::Custom { scope, .. } => scope,
        }
    }
}

/// The Graph API version a client addresses. Beta carries properties and paths
/// that v1.0 lacks, and may change without notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ApiVersion {
    /// `v1.0`, the stable API.
    #[default]
    V1_0,
    /// `beta`, the preview API.
    Beta,
}

impl ApiVersion {
    /// The path segment of this version: `v1.0` or `beta`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1_0 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_scopes_of_every_cloud() {
        let cases = [
            (Cloud::Global, "https://graph.microsoft.com"),
            (Cloud::UsGovL4, "https://graph.microsoft.us"),
            (Cloud::UsGovL5Dod, "https://dod-graph.microsoft.us"),
            (Cloud::China, "https://microsoftgraph.chinacloudapi.cn"),
        ];
        for (cloud, host) in cases {
            assert_eq!(cloud.graph_base_url(), host);
            assert_eq!(cloud.scope(), format!("{host}/.default"));
        }
    }

    #[test]
    fn custom_cloud_uses_what_it_is_given() {
        let cloud = Cloud::Custom {
            base_url: "https://graph.example.net".into(),
            scope: "api://example/.default".into(),
        };
        assert_eq!(cloud.graph_base_url(), "https://graph.example.net");
        assert_eq!(cloud.scope(), "api://example/.default");
    }

    #[test]
    fn versions() {
        assert_eq!(ApiVersion::default(), ApiVersion::V1_0);
        assert_eq!(ApiVersion::V1_0.as_str(), "v1.0");
        assert_eq!(ApiVersion::Beta.to_string(), "beta");
    }
}
