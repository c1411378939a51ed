//! The parser core: quick-xml events with their byte offsets, the stack of open
//! elements (for error messages), child iteration, skipping of unmodelled
//! subtrees and text content. Element handlers live in sibling modules.

use super::position::LineIndex;
use crate::csdl::ast::Deviation;
use crate::csdl::xml_text::{is_xml_char, qname_problem};
use crate::error::{ErrorKind, Location, SourceError};
use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesRef, BytesStart, Event};
use std::collections::BTreeMap;

/// Errors are boxed inside the reader: `SourceError` is large, and small
/// `Result`s keep the recursive handlers' frames small.
pub(super) type Result<T> = std::result::Result<T, Box<SourceError>>;

/// Deeper nesting is refused so that the recursive handlers cannot exhaust
/// the stack on hostile input, even in debug builds on a 2 MiB test thread:
/// Graph's documents nest at most 16 levels.
const MAX_DEPTH: usize = 64;

/// A start tag (or empty-element tag) with where it is.
#[derive(Debug)]
pub(super) struct Start<'a> {
    /// The name as written, e.g. `edmx:Reference`.
    pub(super) qname: &'a str,
    /// The name without its prefix, e.g. `Reference`.
    pub(super) local: &'a str,
    /// The attributes as written (name, raw value), checked once when the tag
    /// was read, so handlers do not parse the tag a second time.
    pub(super) attributes: Vec<(&'a str, &'a str)>,
    /// Byte offset of the `<`.
    pub(super) offset: usize,
    pub(super) location: Location,
    /// `<x/>`: there are no children and no end tag to read.
    pub(super) empty: bool,
}

/// Streaming state shared by all element handlers.
#[derive(Debug)]
pub(super) struct Parser<'a> {
    source: &'a str,
    pub(super) text: &'a str,
    reader: Reader<&'a [u8]>,
    lines: LineIndex<'a>,
    /// Qualified names of the open elements, innermost last.
    pub(super) open: Vec<&'a str>,
    pub(super) unmodelled: BTreeMap<String, usize>,
    /// Tolerated deviations from the spec, in document order.
    pub(super) deviations: Vec<Deviation>,
    /// Scratch buffer for `Element@Attribute` keys, so counting does not allocate.
    key: String,
    /// Name sets given back after use, so each type does not grow a fresh one.
    pub(super) spare_sets: Vec<super::names::NameSet>,
    /// The attributes of the tag `next_event` read last, and where that tag starts.
    checked: (usize, Vec<(&'a str, &'a str)>),
    /// Later schemas another thread is reading (see `ahead`).
    pub(super) ahead: Option<super::ahead::Ahead>,
}

impl<'a> Parser<'a> {
    pub(super) fn new(source: &'a str, text: &'a str) -> Self {
        let mut reader = Reader::from_str(text);
        reader.config_mut().trim_text_start = true;
        Parser {
            source,
            text,
            reader,
            lines: LineIndex::new(text),
            open: Vec::with_capacity(16),
            unmodelled: BTreeMap::new(),
            deviations: Vec::new(),
            key: String::new(),
            spare_sets: Vec::new(),
            checked: (usize::MAX, Vec::new()),
            ahead: None,
        }
    }

    /// The next event and the byte offset where it starts.
    ///
    /// Leading whitespace of text is trimmed by quick-xml (so the blank text
    /// between tags costs no event), which means the position before an event
    /// may lie before skipped blanks; the start is therefore computed back from
    /// the position after the event, whose raw length is known.
    pub(super) fn next_event(&mut self) -> Result<(Event<'a>, usize)> {
        let before = offset_of_u64(self.reader.buffer_position());
        match self.reader.read_event() {
            Ok(event) => {
                let after = offset_of_u64(self.reader.buffer_position());
                let raw = match &event {
                    Event::Start(e) => Some(e.len() + 2),
                    Event::Empty(e) => Some(e.len() + 3),
                    Event::Text(t) => Some(t.len()),
                    _ => None,
                };
                let offset = raw.and_then(|raw| after.checked_sub(raw)).unwrap_or(before);
                let offset = offset.max(before);
                if let Event::Start(e) | Event::Empty(e) = &event {
                    self.check_names(e, offset)?;
                }
                Ok((event, offset))
            }
            Err(error) => {
                let at = offset_of_u64(self.reader.error_position());
                let element = self.innermost();
                Err(self.error_at(at, element, ErrorKind::MalformedXml(error.to_string())))
            }
        }
    }

    /// Refuses a start tag whose element name or attribute names are not XML
    /// names (quick-xml reads `<a" b="c">` as an element named `a"`), or whose
    /// attributes do not parse. Every tag passes here, skipped ones included, so
    /// nothing the reader accepts is ill-formed in its names. The attributes are
    /// kept for [`Parser::start`].
    fn check_names(&mut self, event: &BytesStart<'a>, offset: usize) -> Result<()> {
        let name = self.name_at(offset, event);
        if let Some((at, why)) = qname_problem(name) {
            let element = self.innermost();
            let kind =
                ErrorKind::MalformedXml(format!("element name `{name}` is not an XML name: {why}"));
            return Err(self.error_at(offset + 1 + at, element, kind));
        }
        let mut checked = std::mem::take(&mut self.checked.1);
        checked.clear();
        let mut attributes = event.attributes();
        attributes.with_checks(false);
        for attribute in attributes {
            let attribute = attribute.map_err(|e| self.attr_syntax_error(offset, name, &e))?;
            let key = attribute.key.0;
            if let Some((at, why)) = qname_problem(key) {
                let kind = ErrorKind::MalformedXml(format!(
                    "attribute name `{key}` is not an XML name: {why}"
                ));
                let key_offset = self.offset_in_text(key).unwrap_or(offset);
                return Err(self.error_at(key_offset + at, name, kind));
            }
            // The reader borrows from the input, so both are slices of it.
            let (Some(key), Some(value)) = (self.in_text(key), self.in_text(&attribute.value))
            else {
                let kind = ErrorKind::MalformedXml(format!(
                    "attribute `{key}` was not read from the document"
                ));
                return Err(self.error_at(offset, name, kind));
            };
            checked.push((key, value));
        }
        self.checked = (offset, checked);
        Ok(())
    }

    /// A quick-xml attribute error; its positions count from the byte after `<`.
    pub(super) fn attr_syntax_error(
        &mut self,
        offset: usize,
        element: &str,
        error: &AttrError,
    ) -> Box<SourceError> {
        let relative = match *error {
            AttrError::ExpectedEq(p)
            | AttrError::ExpectedValue(p)
            | AttrError::UnquotedValue(p)
            | AttrError::ExpectedQuote(p, _)
            | AttrError::Duplicated(p, _) => p,
        };
        let at = offset.saturating_add(1).saturating_add(relative);
        self.error_at(at, element, ErrorKind::MalformedXml(error.to_string()))
    }

    /// Keeps (or stops keeping) leading whitespace of text: text-valued elements
    /// such as `<String>` need it verbatim.
    fn keep_leading_blanks(&mut self, keep: bool) {
        self.reader.config_mut().trim_text_start = !keep;
    }

    /// Wraps a start tag that began at `offset`.
    pub(super) fn start(
        &mut self,
        event: &BytesStart<'a>,
        offset: usize,
        empty: bool,
    ) -> Start<'a> {
        let qname = self.name_at(offset, event);
        // Every caller wraps the tag `next_event` has just read and checked: its
        // list moves over.
        debug_assert_eq!(self.checked.0, offset, "start() on a tag read earlier");
        let attributes = std::mem::take(&mut self.checked.1);
        Start {
            local: local_name(qname),
            attributes,
            qname,
            offset,
            location: self.lines.locate(offset),
            empty,
        }
    }

    /// The element name borrowed from the input (a start tag's name follows its `<`).
    fn name_at(&self, offset: usize, event: &BytesStart<'_>) -> &'a str {
        let name = event.name().0;
        let range = offset.saturating_add(1)..offset.saturating_add(1 + name.len());
        match self.text.get(range) {
            // The reader borrows from the input, so this is normally the very same slice.
            Some(found) if std::ptr::eq(found.as_ptr(), name.as_ptr()) || found == name => found,
            _ => "?",
        }
    }

    /// Calls `child` for each child element of `parent` (which must own the child
    /// completely: read it or `skip` it) and returns after `parent`'s end tag.
    /// Blank text and comments are ignored; other text is an error.
    pub(super) fn children(
        &mut self,
        parent: &Start<'a>,
        mut child: impl FnMut(&mut Self, Start<'a>) -> Result<()>,
    ) -> Result<()> {
        if parent.empty {
            return Ok(());
        }
        self.enter(parent)?;
        while self.next_child(&mut child)? {}
        self.open.pop();
        Ok(())
    }

    /// Opens `parent` for [`Parser::next_child`], refusing nesting deeper than
    /// [`MAX_DEPTH`]. The caller pops it after the end tag.
    pub(super) fn enter(&mut self, parent: &Start<'a>) -> Result<()> {
        if self.open.len() >= MAX_DEPTH {
            let kind = ErrorKind::InvalidElement(format!(
                "elements are nested more than {MAX_DEPTH} levels deep"
            ));
            return Err(self.error(parent, kind));
        }
        self.open.push(parent.qname);
        Ok(())
    }

    /// Reads up to the next child element of the innermost open element and
    /// hands it to `child`; `false` once that element's end tag is read.
    pub(super) fn next_child(
        &mut self,
        child: &mut impl FnMut(&mut Self, Start<'a>) -> Result<()>,
    ) -> Result<bool> {
        loop {
            let (event, offset) = self.next_event()?;
            match event {
                Event::Start(e) => {
                    let start = self.start(&e, offset, false);
                    child(self, start)?;
                    return Ok(true);
                }
                Event::Empty(e) => {
                    let start = self.start(&e, offset, true);
                    child(self, start)?;
                    return Ok(true);
                }
                Event::End(_) => return Ok(false),
                Event::Eof => return Err(self.truncated()),
                Event::Text(text) if is_blank(&text) => {}
                Event::CData(text) if is_blank(&text) => {}
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                    return Err(self.unexpected_text(offset));
                }
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            }
        }
    }

    /// The byte offset the reader has reached: everything before it is read.
    pub(super) fn position(&self) -> usize {
        offset_of_u64(self.reader.buffer_position())
    }

    /// Moves the reader forward to `offset` without reading what lies between,
    /// which must be whole elements (and blanks or comments) that another
    /// parser has read: the reader's state between two tags stays valid.
    pub(super) fn pass_over(&mut self, offset: usize) {
        use std::io::BufRead;
        let from = self.position();
        self.reader.stream().consume(offset.saturating_sub(from));
    }

    /// Skips an element the AST does not model, counting it and every descendant
    /// element in `unmodelled`.
    pub(super) fn skip(&mut self, start: Start<'a>) -> Result<()> {
        self.count(start.local, None);
        if start.empty {
            return Ok(());
        }
        let base = self.open.len();
        self.open.push(start.qname);
        while self.open.len() > base {
            let (event, offset) = self.next_event()?;
            match event {
                Event::Start(e) => {
                    let name = self.name_at(offset, &e);
                    self.count(local_name(name), None);
                    self.open.push(name);
                }
                Event::Empty(e) => {
                    let name = self.name_at(offset, &e);
                    self.count(local_name(name), None);
                }
                Event::End(_) => {
                    self.open.pop();
                }
                Event::Eof => return Err(self.truncated()),
                _ => {}
            }
        }
        Ok(())
    }

    /// The text inside an element that may only hold text (`<String>`, `<Int>`,
    /// ...), with references resolved and line ends normalized.
    pub(super) fn text_content(&mut self, start: &Start<'a>) -> Result<String> {
        let mut text = String::new();
        if start.empty {
            return Ok(text);
        }
        self.open.push(start.qname);
        self.keep_leading_blanks(true);
        let read = self.text_until_end(start, &mut text);
        self.keep_leading_blanks(false);
        read?;
        self.open.pop();
        Ok(text)
    }

    /// Appends text events to `text` up to the end tag of `start`.
    fn text_until_end(&mut self, start: &Start<'a>, text: &mut String) -> Result<()> {
        loop {
            let (event, offset) = self.next_event()?;
            match event {
                Event::Text(t) => text.push_str(&t.xml10_content()),
                Event::CData(t) => text.push_str(&t.xml10_content()),
                Event::GeneralRef(r) => self.push_reference(text, &r, offset)?,
                Event::End(_) => return Ok(()),
                Event::Start(e) | Event::Empty(e) => {
                    let child = self.name_at(offset, &e);
                    let kind = ErrorKind::InvalidElement(format!(
                        "<{}> may only contain text, found <{child}>",
                        start.qname
                    ));
                    return Err(self.error_at(offset, child, kind));
                }
                Event::Eof => return Err(self.truncated()),
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            }
        }
    }

    /// Appends the character an entity or character reference stands for.
    fn push_reference(
        &mut self,
        text: &mut String,
        reference: &BytesRef<'_>,
        offset: usize,
    ) -> Result<()> {
        let resolved = match reference.resolve_char_ref() {
            Ok(Some(c)) if is_xml_char(c) => {
                text.push(c);
                return Ok(());
            }
            Ok(Some(c)) => {
                let element = self.innermost();
                let kind = ErrorKind::MalformedXml(format!(
                    "`&{};` refers to U+{:04X}, which XML does not allow",
                    &**reference, c as u32
                ));
                return Err(self.error_at(offset, element, kind));
            }
            Ok(None) => resolve_predefined_entity(reference),
            Err(_) => None,
        };
        match resolved {
            Some(s) => {
                text.push_str(s);
                Ok(())
            }
            None => {
                let element = self.innermost();
                let kind =
                    ErrorKind::MalformedXml(format!("unknown reference `&{};`", &**reference));
                Err(self.error_at(offset, element, kind))
            }
        }
    }

    /// Counts an unmodelled `Element` or `Element@Attribute`.
    pub(super) fn count(&mut self, element: &str, attribute: Option<&str>) {
        self.key.clear();
        self.key.push_str(element);
        if let Some(attribute) = attribute {
            self.key.push('@');
            self.key.push_str(attribute);
        }
        match self.unmodelled.get_mut(self.key.as_str()) {
            Some(n) => *n += 1,
            None => {
                self.unmodelled.insert(self.key.clone(), 1);
            }
        }
    }

    /// The file name used in errors.
    pub(super) fn source(&self) -> &'a str {
        self.source
    }

    /// The innermost open element, for errors that are not about a start tag.
    pub(super) fn innermost(&self) -> &'a str {
        self.open.last().copied().unwrap_or("document")
    }

    /// An error about the element `start`, located at its start tag.
    pub(super) fn error(&self, start: &Start<'_>, kind: ErrorKind) -> Box<SourceError> {
        Box::new(SourceError {
            file: self.source.to_string(),
            location: start.location,
            element: start.qname.to_string(),
            kind,
        })
    }

    /// The line and column of byte `offset`.
    pub(super) fn locate(&mut self, offset: usize) -> Location {
        self.lines.locate(offset)
    }

    /// An error located at byte `offset`.
    pub(super) fn error_at(
        &mut self,
        offset: usize,
        element: &str,
        kind: ErrorKind,
    ) -> Box<SourceError> {
        Box::new(SourceError {
            file: self.source.to_string(),
            location: self.lines.locate(offset),
            element: element.to_string(),
            kind,
        })
    }

    /// The input ended inside an element.
    pub(super) fn truncated(&mut self) -> Box<SourceError> {
        let element = self.innermost();
        let kind = ErrorKind::MalformedXml(format!(
            "unexpected end of input: <{element}> is not closed"
        ));
        self.error_at(self.text.len(), element, kind)
    }

    /// Non-blank text where CSDL allows only elements.
    pub(super) fn unexpected_text(&mut self, offset: usize) -> Box<SourceError> {
        let element = self.innermost();
        let kind = ErrorKind::InvalidElement(format!("<{element}> may not contain text"));
        self.error_at(offset, element, kind)
    }

    /// The byte offset of `slice` if it borrows from the input text.
    /// `slice` as the part of the input it is (it must lie inside the input).
    fn in_text(&self, slice: &str) -> Option<&'a str> {
        let start = self.offset_in_text(slice)?;
        self.text
            .get(start..start + slice.len())
            .filter(|found| std::ptr::eq(found.as_ptr(), slice.as_ptr()))
    }

    pub(super) fn offset_in_text(&self, slice: &str) -> Option<usize> {
        let base = self.text.as_ptr() as usize;
        let offset = (slice.as_ptr() as usize).checked_sub(base)?;
        (offset <= self.text.len()).then_some(offset)
    }
}

/// `edmx:Reference` -> `Reference`.
pub(super) fn local_name(qname: &str) -> &str {
    // Names are short: a plain loop beats a searcher's setup.
    match qname.bytes().rposition(|b| b == b':') {
        Some(colon) => qname.get(colon + 1..).unwrap_or(qname),
        None => qname,
    }
}

/// Whitespace only (XML's four whitespace characters).
pub(super) fn is_blank(text: &str) -> bool {
    text.bytes().all(is_blank_byte)
}

/// One of XML's four whitespace characters.
pub(super) fn is_blank_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn offset_of_u64(offset: u64) -> usize {
    usize::try_from(offset).unwrap_or(usize::MAX)
}
