//! Byte offset -> 1-based line and column, computed incrementally so a whole
//! document costs one pass over its bytes however many locations are asked for.

use crate::error::Location;
use memchr::Memchr;

/// Walks the newlines of the text once, in step with the offsets asked for
/// (which the reader asks for in increasing order).
#[derive(Debug)]
pub(super) struct LineIndex<'a> {
    text: &'a [u8],
    /// The newlines not yet passed, and the first of them.
    newlines: Memchr<'a>,
    next_newline: Option<usize>,
    line: u32,
    /// The offset and column of the last location, for the same-line case.
    offset: usize,
    column: u32,
}

impl<'a> LineIndex<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        LineIndex::new_bytes(text.as_bytes())
    }

    /// The location of byte `offset` (clamped to the end of the text). Columns
    /// count characters, not bytes. Asking for an earlier offset than last time
    /// rescans from the start, which only error paths do.
    pub(super) fn locate(&mut self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            *self = LineIndex::new_bytes(self.text);
        }
        let mut line_start = None;
        while let Some(newline) = self.next_newline.filter(|&n| n < offset) {
            self.line = self.line.saturating_add(1);
            line_start = Some(newline + 1);
            self.next_newline = self.newlines.next();
        }
        // Count characters from the line start, or from the last location on the same line.
        let (from, column) = match line_start {
            Some(start) => (start, 1),
            None => (self.offset, self.column),
        };
        let passed = self.text.get(from..offset).unwrap_or_default();
        self.column = column.saturating_add(saturate(chars(passed)));
        self.offset = offset;
        Location {
            line: self.line,
            column: self.column,
        }
    }

    fn new_bytes(text: &'a [u8]) -> Self {
        let mut newlines = memchr::memchr_iter(b'\n', text);
        LineIndex {
            text,
            next_newline: newlines.next(),
            newlines,
            line: 1,
            offset: 0,
            column: 1,
        }
    }
}

/// Counts UTF-8 characters: every byte that is not a continuation byte.
fn chars(bytes: &[u8]) -> usize {
    if bytes.is_ascii() {
        return bytes.len();
    }
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(line: u32, column: u32) -> Location {
        Location { line, column }
    }

    #[test]
    fn counts_lines_and_characters() {
        let mut index = LineIndex::new("ab\ncé\n\nxyz");
        assert_eq!(index.locate(0), loc(1, 1));
        assert_eq!(index.locate(2), loc(1, 3));
        assert_eq!(index.locate(3), loc(2, 1));
        assert_eq!(index.locate(6), loc(2, 3));
        assert_eq!(index.locate(8), loc(4, 1));
        assert_eq!(index.locate(100), loc(4, 4));
        assert_eq!(index.locate(1), loc(1, 2));
    }

    #[test]
    fn agrees_with_a_naive_count_at_every_offset() {
        let text = "<a>\n  <b x='é'/>\r\n\n<c>ü</c>  <d/>\n";
        let mut index = LineIndex::new(text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let before = &text[..offset];
            let line = before.matches('\n').count() as u32 + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            assert_eq!(index.locate(offset), loc(line, column), "offset {offset}");
        }
    }
}
