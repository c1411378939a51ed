//! OData collections: one [`Page`] of a collection response, and streams that
//! follow `@odata.nextLink` from page to page.
//!
//! A next link is an absolute URL chosen by the server. It is requested as it is,
//! but only when it has the same origin (scheme, host, port) as the client's base
//! URL: a link elsewhere ends the stream with an error instead of sending the token
//! to another host.

use super::client::Client;
use super::error::Error;
use super::request::Request;
use futures_util::StreamExt;
use futures_util::stream::{self, BoxStream};
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// One page of a collection: `{"value":[...],"@odata.nextLink":"...",...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub value: Vec<T>,
    /// The URL of the next page, absent on the last page.
    pub next_link: Option<String>,
    /// Every other member (`@odata.context`, `@odata.count`, ...), kept as sent.
    pub additional: serde_json::Map<String, serde_json::Value>,
}

impl<T> Page<T> {
    /// Whether a next page exists.
    pub fn has_next(&self) -> bool {
        self.next_link.is_some()
    }
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            value: Vec::new(),
            next_link: None,
            additional: serde_json::Map::new(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PageVisitor<T>(PhantomData<fn() -> T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for PageVisitor<T> {
            type Value = Page<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an OData collection object with a `value` array")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Page<T>, A::Error> {
                let mut value = None;
                let mut next_link = None;
                let mut additional = serde_json::Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "value" => value = Some(map.next_value::<Vec<T>>()?),
                        "@odata.nextLink" => next_link = map.next_value::<Option<String>>()?,
                        _ => {
                            let member = map.next_value::<serde_json::Value>()?;
                            additional.insert(key, member);
                        }
                    }
                }
                let value = value.ok_or_else(|| serde::de::Error::missing_field("value"))?;
                Ok(Page {
                    value,
                    next_link,
                    additional,
                })
            }
        }

        deserializer.deserialize_map(PageVisitor(PhantomData))
    }
}

impl<T: Serialize> Serialize for Page<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (key, member) in &self.additional {
            map.serialize_entry(key, member)?;
        }
        map.serialize_entry("value", &self.value)?;
        if let Some(link) = &self.next_link {
            map.serialize_entry("@odata.nextLink", link)?;
        }
        map.end()
    }
}

enum Cursor {
    First(Request),
    Next { url: String, template: &'static str },
    Done,
}

/// Every page from `first` on, following next links.
pub(crate) fn pages<T>(client: Client, first: Request) -> BoxStream<'static, Result<Page<T>, Error>>
where
    T: DeserializeOwned + Send + 'static,
{
    stream::unfold(
        (client, Cursor::First(first)),
        |(client, cursor)| async move {
            let (template, response) = match cursor {
                Cursor::Done => return None,
                Cursor::First(request) => {
                    let template = request.path_template;
                    (template, client.send_raw(request).await)
                }
                Cursor::Next { url, template } => {
                    (template, client.get_next_link(&url, template).await)
                }
            };
            let page = response.and_then(|response| client.decode::<Page<T>>(&response));
            match page {
                Ok(page) => {
                    let cursor = match &page.next_link {
                        Some(url) => Cursor::Next {
                            url: url.clone(),
                            template,
                        },
                        None => Cursor::Done,
                    };
                    Some((Ok(page), (client, cursor)))
                }
                Err(err) => Some((Err(err), (client, Cursor::Done))),
            }
        },
    )
    .boxed()
}

/// Every item of every page from `first` on.
pub(crate) fn items<T>(client: Client, first: Request) -> BoxStream<'static, Result<T, Error>>
where
    T: DeserializeOwned + Send + 'static,
{
    pages::<T>(client, first)
        .flat_map(|page| {
            let (items, err) = match page {
                Ok(page) => (page.value, None),
                Err(err) => (Vec::new(), Some(err)),
            };
            stream::iter(items.into_iter().map(Ok).chain(err.map(Err)))
        })
        .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_keeps_annotations() {
        let page: Page<u32> = serde_json::from_str(
            r#"{"@odata.context":"ctx","value":[1,2],"@odata.nextLink":"https://x/next","@odata.count":5}"#,
        )
        .unwrap();
        assert_eq!(page.value, [1, 2]);
        assert_eq!(page.next_link.as_deref(), Some("https://x/next"));
        assert_eq!(page.additional["@odata.count"], 5);
        let again: Page<u32> =
            serde_json::from_value(serde_json::to_value(&page).unwrap()).unwrap();
        assert_eq!(again, page);
    }

    #[test]
    fn page_requires_value() {
        assert!(serde_json::from_str::<Page<u32>>(r#"{"id":"x"}"#).is_err());
        let last: Page<u32> =
            serde_json::from_str(r#"{"value":[],"@odata.nextLink":null}"#).unwrap();
        assert!(!last.has_next());
    }
}
