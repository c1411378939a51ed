//! Reading ahead on a second thread: a large document's later schemas are read
//! by another parser while this one reads the earlier ones, and taken over when
//! this one gets there.
//!
//! Nothing here changes what the reader returns. The other parser starts at a
//! guess (a `<Schema` tag near the middle of the text) and reads `DataServices`
//! children from there with the same handlers; its part is used only when this
//! parser, reading in order, arrives at exactly that offset between two children
//! of `DataServices`, which is where the guess assumed it was. A guess that falls
//! elsewhere (inside a comment, say) is dropped, and a part that failed is read
//! again here, so that errors are the ones the sequential reader reports.

use super::events::{Parser, Result, is_blank, is_blank_byte};
use crate::csdl::ast::{Deviation, Schema};
use crate::error::ErrorKind;
use std::collections::BTreeMap;
use std::sync::mpsc;

/// Below this size a second thread costs more than it saves.
pub(super) const MIN_SPLIT_BYTES: usize = 1 << 20;

/// The later part, in the making on another thread.
#[derive(Debug)]
pub(super) struct Ahead {
    /// Where the part starts: the `<` of a start tag.
    from: usize,
    part: mpsc::Receiver<Result<Part>>,
}

/// What the other parser read: the children of `DataServices` from
/// [`Ahead::from`] up to `end`, with what it counted on the way.
#[derive(Debug)]
pub(super) struct Part {
    schemas: Vec<Schema>,
    unmodelled: BTreeMap<String, usize>,
    deviations: Vec<Deviation>,
    /// The offset just after the last child read.
    end: usize,
}

/// Where a second parser should start in `text`: the `<Schema` tag nearest the
/// middle, other than the first (which leaves this thread nothing to do).
/// `None` for documents under `min_bytes` or when only one core is available.
pub(super) fn split_point(text: &str, min_bytes: usize) -> Option<usize> {
    if text.len() < min_bytes || !parallel() {
        return None;
    }
    let middle = text.len() / 2;
    memchr::memmem::find_iter(text.as_bytes(), b"<Schema")
        .filter(|&at| {
            let next = text.as_bytes().get(at + "<Schema".len()).copied();
            next.is_some_and(|b| is_blank_byte(b) || b == b'>' || b == b'/')
        })
        .skip(1)
        .min_by_key(|&at| at.abs_diff(middle))
}

fn parallel() -> bool {
    std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
}

impl Ahead {
    /// Reads the part from `from` on another thread of `scope`.
    pub(super) fn spawn<'scope, 'env: 'scope>(
        scope: &'scope std::thread::Scope<'scope, 'env>,
        source: &'env str,
        text: &'env str,
        from: usize,
    ) -> Ahead {
        let (sender, part) = mpsc::sync_channel(1);
        scope.spawn(move || {
            // The receiver may be gone: the guess was dropped or reading failed.
            let _ = sender.send(Parser::read_part(source, text, from));
        });
        Ahead { from, part }
    }
}

impl<'a> Parser<'a> {
    /// Reads the children of `DataServices` from `from` until its end tag, as
    /// [`Parser::data_services`] would.
    fn read_part(source: &'a str, text: &'a str, from: usize) -> Result<Part> {
        let mut parser = Parser::new(source, text);
        // As deep as the children of DataServices are (for the depth limit);
        // errors are not reported from here, so the names are never shown.
        parser.open.extend(["edmx:Edmx", "edmx:DataServices"]);
        parser.pass_over(from);
        let mut schemas = Vec::new();
        loop {
            let rest = after_blanks(text, parser.position());
            if rest.is_empty() || rest.starts_with("</") {
                break;
            }
            if rest.starts_with("<!--") || rest.starts_with("<?") {
                // A comment or processing instruction between children.
                parser.next_event()?;
                continue;
            }
            let more =
                parser.next_child(&mut |p, child| p.data_services_child(child, &mut schemas))?;
            if !more {
                // Not reached: only blanks lie before an element or end tag.
                let kind = ErrorKind::MalformedXml("read past the end of DataServices".into());
                return Err(parser.error_at(parser.position(), "edmx:DataServices", kind));
            }
        }
        Ok(Part {
            schemas,
            unmodelled: std::mem::take(&mut parser.unmodelled),
            deviations: std::mem::take(&mut parser.deviations),
            end: parser.position(),
        })
    }

    /// Takes over the part read ahead when the reader (between two children of
    /// `DataServices`) is where it starts: its schemas are returned and the
    /// reader moves past them. `None` when there is no part to take here.
    pub(super) fn take_ahead(&mut self) -> Option<Vec<Schema>> {
        let from = self.ahead.as_ref()?.from;
        let position = self.position();
        if position > from {
            // The guess was not a child of DataServices: nobody waits for it.
            self.ahead = None;
            return None;
        }
        if !self.text.get(position..from).is_some_and(is_blank) {
            return None;
        }
        let ahead = self.ahead.take()?;
        // A part that failed is read here again, for the sequential error.
        let part = ahead.part.recv().ok()?.ok()?;
        for (key, count) in part.unmodelled {
            *self.unmodelled.entry(key).or_default() += count;
        }
        self.deviations.extend(part.deviations);
        self.pass_over(part.end);
        #[cfg(test)]
        tests::TAKEN.with(|taken| taken.set(true));
        Some(part.schemas)
    }
}

/// The text from `position` on, without the blanks it starts with.
fn after_blanks(text: &str, position: usize) -> &str {
    let rest = text.get(position..).unwrap_or_default();
    rest.trim_start_matches(|c: char| c.is_ascii() && is_blank_byte(c as u8))
}

#[cfg(test)]
mod tests {
    use super::super::read_text;
    use super::*;

    thread_local! {
        /// Set when the reader on this thread takes a part over.
        pub(super) static TAKEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// Three schemas with what the parts must carry over: unmodelled elements
    /// and attributes, a tolerated deviation in each, comments between schemas
    /// and before the end of `DataServices`, and an element there that is not
    /// a schema.
    fn document(third_schema_body: &str) -> String {
        document_ending(third_schema_body, "<!-- after the last schema -->")
    }

    fn document_ending(third_schema_body: &str, trailer: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="one" Alias="o" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="a" Extra="x"><Property Name="p" Type="Edm.Decimal" Scale="Variable"/></ComplexType>
      <Gadget/>
    </Schema>
    <!-- <Schema Namespace="in a comment"> -->
    <Schema Namespace="two" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="b"><Property Name="q" Type="one.a" /></ComplexType>
      <Gadget><Widget/></Gadget>
      <EnumType Name="e"><Member Name="m" Value="1"/></EnumType>
    </Schema>
    <Stray Attribute="y"/>
    <Schema Namespace="three" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      {third_schema_body}
    </Schema>
    {trailer}
  </edmx:DataServices>
</edmx:Edmx>
"#
        )
    }

    const THIRD: &str = r#"<EntityType Name="c"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/><Property Name="d" Type="Edm.Decimal" Scale="Variable"/></EntityType>"#;

    /// Every `<` of the text as the guess: only boundaries between children of
    /// `DataServices` are taken, and whichever it is, the result is the
    /// sequential reader's, down to the counts, deviations and their order.
    fn assert_every_guess_reads_the_same(text: &str) {
        assert_every_guess_reads_as_sequential(text, true);
    }

    /// With `some_taken`, at least one guess must have been a boundary whose
    /// part was used.
    fn assert_every_guess_reads_as_sequential(text: &str, some_taken: bool) {
        let sequential = read_text("doc.xml", text, None);
        let guesses: Vec<usize> = memchr::memchr_iter(b'<', text.as_bytes()).collect();
        assert!(guesses.len() > 5);
        let mut taken = 0;
        for from in guesses {
            let split = read_text("doc.xml", text, Some(from));
            assert_eq!(split, sequential, "guess at byte {from}");
            taken += usize::from(TAKEN.with(std::cell::Cell::take));
        }
        assert!(taken > 0 || !some_taken, "no guess was taken");
    }

    #[test]
    fn every_guess_gives_the_sequential_document() {
        for trailer in ["<!-- after the last schema -->", "<?pi after?>", ""] {
            assert_every_guess_reads_the_same(&document_ending(THIRD, trailer));
        }
        let text = document(THIRD);
        let csdl = read_text("doc.xml", &text, None).expect("reads");
        assert_eq!(csdl.schemas.len(), 3);
        assert_eq!(csdl.deviations.len(), 2);
        assert_eq!(csdl.unmodelled.get("Gadget"), Some(&2));
        assert_eq!(csdl.unmodelled.get("Stray"), Some(&1));
        assert_every_guess_reads_the_same(&text);
    }

    #[test]
    fn errors_after_the_guess_are_the_sequential_errors() {
        for broken in [
            // malformed XML, an unclosed element, a bad attribute, a bad name
            r#"<EntityType Name="c"><Property Name="x" Type="Edm.String"></EntityType>"#,
            r#"<EntityType Name="c" Name="d"/>"#,
            r#"<EntityType Name="c"><Property Name="x" Type="Edm.Int32" Nullable="maybe"/></EntityType>"#,
            r#"<EntityType Name="c"/><EntityType Name="c"/>"#,
            r#"<Entity"Type Name="c"/>"#,
        ] {
            let text = document(broken);
            let sequential = read_text("doc.xml", &text, None);
            assert!(sequential.is_err(), "{broken} is refused");
            assert_every_guess_reads_as_sequential(&text, false);
        }
    }

    #[test]
    fn an_unfinished_document_fails_as_it_does_sequentially() {
        let text = document(THIRD);
        let cut = text.find("<!-- after").expect("marker");
        assert_every_guess_reads_as_sequential(&text[..cut], true);
        let mid_schema = text.find("<EnumType").expect("marker");
        assert_every_guess_reads_as_sequential(&text[..mid_schema], false);
    }

    #[test]
    fn the_guess_is_the_schema_tag_nearest_the_middle_but_not_the_first() {
        let text = document(THIRD);
        let second = text.find("<Schema Namespace=\"two\"").expect("second");
        let third = text.find("<Schema Namespace=\"three\"").expect("third");
        let middle = text.len() / 2;
        let nearest = if second.abs_diff(middle) <= third.abs_diff(middle) {
            second
        } else {
            third
        };
        if parallel() {
            assert_eq!(split_point(&text, 0), Some(nearest));
        }
        assert_eq!(
            split_point(&text, text.len() + 1),
            None,
            "small documents are read on one thread"
        );
        let one_schema = "<Schema Namespace=\"a\"/><SchemaTwo/>";
        assert_eq!(
            split_point(one_schema, 0),
            None,
            "only the first schema tag"
        );
    }

    /// Graph's v1.0 metadata splits between its schemas; read both ways it
    /// gives the same document.
    #[test]
    #[cfg_attr(
        not(shared_data),
        ignore = "needs ../shared/metadata beside the workspace"
    )]
    fn graph_metadata_reads_the_same_on_two_threads() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/metadata/graph-v1.0.csdl.xml"
        );
        let bytes = std::fs::read(path).expect("read the metadata");
        let text = std::str::from_utf8(&bytes).expect("UTF-8");
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let from = text
            .find("<Schema Namespace=\"microsoft.graph.identityGovernance\"")
            .expect("schema");
        let split = read_text("v1.0", text, Some(from)).expect("reads");
        assert!(TAKEN.with(std::cell::Cell::take), "the part was used");
        assert_eq!(split, read_text("v1.0", text, None).expect("reads"));
        assert!(split_point(text, MIN_SPLIT_BYTES).is_some() || !parallel());
    }
}
