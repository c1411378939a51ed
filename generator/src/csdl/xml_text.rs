//! What XML 1.0 allows in names and text, shared by the reader (which refuses
//! the rest, because quick-xml is lenient) and the slice writer (which must never
//! write what the reader would refuse).
//!
//! References: XML 1.0 (Fifth Edition) productions [2] `Char`, [4] `NameStartChar`,
//! [4a] `NameChar`, [5] `Name`; Namespaces in XML 1.0 [7] `QName` (a name has at most
//! one colon, with a non-empty prefix and local part).

/// XML 1.0 `Char`: the characters a document may contain at all, even as a
/// character reference.
pub fn is_xml_char(c: char) -> bool {
    matches!(c,
        '\u{9}' | '\u{A}' | '\u{D}'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// The byte offset and character of the first character of `text` that XML 1.0
/// does not allow.
pub fn first_non_xml_char(text: &str) -> Option<(usize, char)> {
    // Only C0 controls and U+FFFE/U+FFFF (bytes EF BF BE/BF) can be invalid in a
    // Rust string (no surrogates). Chunks are screened with a branch-free test the
    // compiler vectorises; only a chunk holding a candidate is looked at closely.
    const CHUNK: usize = 64;
    let bytes = text.as_bytes();
    let candidate = |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') | (b == 0xEF);
    for (index, chunk) in bytes.chunks(CHUNK).enumerate() {
        if !chunk.iter().fold(false, |any, &b| any | candidate(b)) {
            continue;
        }
        let start = index * CHUNK;
        for (i, &b) in chunk.iter().enumerate() {
            let at = start + i;
            let invalid = if b == 0xEF {
                bytes.get(at + 1) == Some(&0xBF) && matches!(bytes.get(at + 2), Some(0xBE | 0xBF))
            } else {
                candidate(b)
            };
            if invalid {
                return text[at..].chars().next().map(|c| (at, c));
            }
        }
    }
    None
}

/// XML 1.0 `NameStartChar`, without the colon (which [`is_qname`] places).
fn is_name_start_char(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}'
        | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}'
        | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}'
        | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}'
        | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 `NameChar`, without the colon.
fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c,
            '-' | '.' | '0'..='9' | '\u{B7}'
            | '\u{300}'..='\u{36F}'
            | '\u{203F}'..='\u{2040}')
}

/// Why `name` is not an XML name with at most one namespace prefix (a `QName`),
/// or `None` when it is one. The answer names the first offending character and
/// its byte offset in `name`.
pub fn qname_problem(name: &str) -> Option<(usize, String)> {
    if name.is_empty() {
        return Some((0, "a name may not be empty".to_string()));
    }
    // Fast path: the plain ASCII names that make up nearly every CSDL document.
    let bytes = name.as_bytes();
    let plain = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    if (bytes[0].is_ascii_alphabetic() || bytes[0] == b'_') && bytes.iter().all(plain) {
        return None;
    }
    let mut part_start = true;
    let mut colons = 0;
    for (i, c) in name.char_indices() {
        if c == ':' {
            colons += 1;
            let why = if part_start {
                "a colon may only separate a prefix from a local name"
            } else if colons > 1 {
                "a name may hold at most one colon"
            } else {
                part_start = true;
                continue;
            };
            return Some((i, why.to_string()));
        }
        let allowed = if part_start {
            is_name_start_char(c)
        } else {
            is_name_char(c)
        };
        if !allowed {
            let place = if part_start { "start" } else { "appear in" };
            return Some((
                i,
                format!("{c:?} (U+{:04X}) may not {place} a name", c as u32),
            ));
        }
        part_start = false;
    }
    part_start.then(|| {
        let why = "a colon may only separate a prefix from a local name";
        (name.len() - 1, why.to_string())
    })
}

/// True when `name` is an XML name with at most one namespace prefix.
pub fn is_qname(name: &str) -> bool {
    // Fast path for the ASCII names that make up every real document.
    let bytes = name.as_bytes();
    let ascii_simple = bytes
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    ascii_simple || qname_problem(name).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_name_production() {
        for name in [
            "a",
            "Edmx",
            "edmx:Edmx",
            "xmlns:edmx",
            "_x",
            "a-b.c1",
            "é",
            "名前",
            "a·b",
            "x\u{300}",
        ] {
            assert!(is_qname(name), "{name}");
            assert_eq!(qname_problem(name), None, "{name}");
        }
        for (name, at) in [
            ("", 0),
            ("CtionScheduleState\"", 18),
            ("1a", 0),
            ("-a", 0),
            (".a", 0),
            ("a b", 1),
            ("a<b", 1),
            ("a=b", 1),
            ("a'", 1),
            ("a&b", 1),
            ("a/", 1),
            (":a", 0),
            ("a:", 1),
            ("a:b:c", 3),
            ("a:1", 2),
            ("a\u{0}", 1),
            ("·a", 0),
            ("a\u{D7}", 1),
        ] {
            assert!(!is_qname(name), "{name:?}");
            let problem = qname_problem(name).map(|(i, _)| i);
            assert_eq!(problem, Some(at), "{name:?}");
        }
    }

    #[test]
    fn characters_follow_the_char_production() {
        assert_eq!(first_non_xml_char("plain\ttext\r\n é 名 \u{10000}"), None);
        assert_eq!(first_non_xml_char("a\u{0}b"), Some((1, '\u{0}')));
        assert_eq!(first_non_xml_char("é\u{1F}"), Some((2, '\u{1F}')));
        assert_eq!(first_non_xml_char("ｅ\u{FFFE}"), Some((3, '\u{FFFE}')));
        assert_eq!(
            first_non_xml_char("\u{FFFD}\u{FFFF}"),
            Some((3, '\u{FFFF}'))
        );
        assert!(!is_xml_char('\u{B}'));
        assert!(is_xml_char('\u{FFFD}'));
    }
}
