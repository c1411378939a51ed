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
use futures_util::stream::{self, BoxStream};
use futures_util::{Stream, StreamExt};
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

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

/// Every page of a collection, from [`ListRequest::pages`](super::request::ListRequest::pages).
///
/// Read it with the inherent [`next`](PageStream::next) (no other crate needed), or
/// use it as a [`futures_util::Stream`] with any stream combinator. It ends after the
/// last page or after the first error.
#[must_use = "a stream does nothing until it is read"]
pub struct PageStream<T> {
    inner: BoxStream<'static, Result<Page<T>, Error>>,
}

/// Every item of every page of a collection, from
/// [`ListRequest::stream`](super::request::ListRequest::stream):
///
/// ```no_run
/// # async fn run(client: msgraph_sync::Client) -> Result<(), msgraph_sync::Error> {
/// let mut jobs = client.service_principal("sp-id").synchronization().jobs().list().stream();
/// while let Some(job) = jobs.next().await {
///     println!("{:?}", job?.id);
/// }
/// # Ok(()) }
/// ```
///
/// Read it with the inherent [`next`](ItemStream::next) or
/// [`try_collect`](ItemStream::try_collect), or use it as a [`futures_util::Stream`].
/// It ends after the last item or after the first error.
#[must_use = "a stream does nothing until it is read"]
pub struct ItemStream<T> {
    inner: BoxStream<'static, Result<T, Error>>,
}

impl<T> PageStream<T> {
    /// The next page (fetching it), `None` after the last page or after an error.
    pub async fn next(&mut self) -> Option<Result<Page<T>, Error>> {
        self.inner.next().await
    }

    /// Every remaining page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<Page<T>>, Error> {
        let mut pages = Vec::new();
        while let Some(page) = self.inner.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }
}

impl<T> ItemStream<T> {
    /// The next item (fetching the next page when needed), `None` at the end or
    /// after an error.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        self.inner.next().await
    }

    /// Every remaining item of every page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error> {
        let mut items = Vec::new();
        while let Some(item) = self.inner.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<T> Stream for PageStream<T> {
    type Item = Result<Page<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> Stream for ItemStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for PageStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PageStream")
    }
}

impl<T> fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ItemStream")
    }
}

/// Every page from `first` on, following next links.
pub(crate) fn pages<T>(client: Client, first: Request) -> PageStream<T>
where
    T: DeserializeOwned + Send + 'static,
{
    PageStream {
        inner: page_stream(client, first),
    }
}

/// Every item of every page from `first` on.
pub(crate) fn items<T>(client: Client, first: Request) -> ItemStream<T>
where
    T: DeserializeOwned + Send + 'static,
{
    ItemStream {
        inner: flatten_pages(page_stream(client, first)),
    }
}

fn page_stream<T>(client: Client, first: Request) -> BoxStream<'static, Result<Page<T>, Error>>
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

/// The items of each page in order; an error ends the stream after the items before it.
fn flatten_pages<T: Send + 'static>(
    pages: BoxStream<'static, Result<Page<T>, Error>>,
) -> BoxStream<'static, Result<T, Error>> {
    pages
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

    fn page(values: &[u32], next: bool) -> Result<Page<u32>, Error> {
        Ok(Page {
            value: values.to_vec(),
            next_link: next.then(|| "https://x/next".to_string()),
            ..Page::default()
        })
    }

    fn item_stream(pages: Vec<Result<Page<u32>, Error>>) -> ItemStream<u32> {
        ItemStream {
            inner: flatten_pages(stream::iter(pages).boxed()),
        }
    }

    #[tokio::test]
    async fn next_reads_items_across_pages_and_stops_after_an_error() {
        let mut items = item_stream(vec![
            page(&[1, 2], true),
            page(&[], true),
            page(&[3], true),
            Err(Error::Config("next link refused".into())),
            page(&[4], false),
        ]);
        let mut seen = Vec::new();
        while let Some(item) = items.next().await {
            match item {
                Ok(n) => seen.push(n),
                Err(err) => {
                    assert!(matches!(err, Error::Config(_)), "{err:?}");
                    break;
                }
            }
        }
        assert_eq!(seen, [1, 2, 3]);
    }

    #[tokio::test]
    async fn try_collect_gives_every_item_or_the_first_error() {
        let all = item_stream(vec![page(&[1, 2], true), page(&[3], false)]);
        assert_eq!(all.try_collect().await.expect("no error"), [1, 2, 3]);
        let failing = item_stream(vec![page(&[1], true), Err(Error::Config("first".into()))]);
        let err = failing.try_collect().await.expect_err("the error");
        assert_eq!(err.to_string(), Error::Config("first".into()).to_string());
    }

    #[tokio::test]
    async fn page_stream_next_and_try_collect() {
        let mut pages = PageStream {
            inner: stream::iter(vec![page(&[1], true), page(&[2], false)]).boxed(),
        };
        let first = pages.next().await.expect("a page").expect("ok");
        assert_eq!(first.value, [1]);
        let rest = pages.try_collect().await.expect("ok");
        assert_eq!(rest.len(), 1);
        assert!(!rest[0].has_next());
    }

    #[test]
    fn page_requires_value() {
        assert!(serde_json::from_str::<Page<u32>>(r#"{"id":"x"}"#).is_err());
        let last: Page<u32> =
            serde_json::from_str(r#"{"value":[],"@odata.nextLink":null}"#).unwrap();
        assert!(!last.has_next());
    }
}
