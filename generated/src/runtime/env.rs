//! A client configured from environment variables, for scripts and the examples.

use super::client::{Client, ClientBuilder};
use super::cloud::{ApiVersion, Cloud};
use super::error::Error;

impl ClientBuilder {
    /// A builder configured from the environment:
    ///
    /// - `GRAPH_TOKEN` (required): a bearer token for the cloud's Graph;
    /// - `GRAPH_CLOUD`: `global` (default), `usgov` (L4), `dod` (L5), `china`;
    /// - `GRAPH_VERSION`: `v1.0` (default) or `beta`;
    /// - `GRAPH_BASE_URL`: another host (a proxy, a local mock server).
    pub fn from_env() -> Result<ClientBuilder, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::from_env`] reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, Error> {
        let token = lookup("GRAPH_TOKEN")
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| Error::Config("GRAPH_TOKEN is not set".to_string()))?;
        let cloud = match lookup("GRAPH_CLOUD")
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("" | "global") => Cloud::Global,
            Some("usgov" | "usgovl4" | "l4") => Cloud::UsGovL4,
            Some("dod" | "usgovl5" | "l5") => Cloud::UsGovL5Dod,
            Some("china" | "21vianet") => Cloud::China,
            Some(other) => {
                return Err(Error::Config(format!(
                    "GRAPH_CLOUD `{other}` is not one of global, usgov, dod, china"
                )));
            }
        };
        let version = match lookup("GRAPH_VERSION").as_deref() {
            None | Some("" | "v1.0") => ApiVersion::V1_0,
            Some("beta") => ApiVersion::Beta,
            Some(other) => {
                return Err(Error::Config(format!(
                    "GRAPH_VERSION `{other}` is not v1.0 or beta"
                )));
            }
        };
        let mut builder = Client::builder()
            .cloud(cloud)
            .version(version)
            .static_token(token);
        if let Some(base_url) = lookup("GRAPH_BASE_URL").filter(|u| !u.is_empty()) {
            builder = builder.base_url(base_url);
        }
        Ok(builder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn reads_cloud_version_and_base_url() {
        let vars = [
            ("GRAPH_TOKEN", "t"),
            ("GRAPH_CLOUD", "dod"),
            ("GRAPH_VERSION", "beta"),
        ];
        let client = ClientBuilder::from_lookup(lookup(&vars))
            .expect("builder")
            .build()
            .expect("client");
        assert_eq!(client.base_url(), "https://dod-graph.microsoft.us/beta");
        let vars = [
            ("GRAPH_TOKEN", "t"),
            ("GRAPH_BASE_URL", "http://127.0.0.1:9"),
        ];
        let client = ClientBuilder::from_lookup(lookup(&vars))
            .expect("builder")
            .build()
            .expect("client");
        assert_eq!(client.base_url(), "http://127.0.0.1:9/v1.0");
    }

    #[test]
    fn missing_token_or_unknown_cloud_is_a_config_error() {
        assert!(matches!(
            ClientBuilder::from_lookup(lookup(&[])),
            Err(Error::Config(_))
        ));
        let vars = [("GRAPH_TOKEN", "t"), ("GRAPH_CLOUD", "mars")];
        assert!(matches!(
            ClientBuilder::from_lookup(lookup(&vars)),
            Err(Error::Config(_))
        ));
    }
}
