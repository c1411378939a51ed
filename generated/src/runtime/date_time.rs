//! `Edm.DateTimeOffset`: a date-time with offset, kept exactly as received.
//!
//! Graph writes seven fractional digits (`2019-03-20T15:47:50.4707552Z`), numeric
//! offsets (`-05:00`) and `.NET`'s minimum `0001-01-01T00:00:00Z` for "never". Any
//! re-formatting would change what a PATCH sends back, so the text is the value; a
//! `time::OffsetDateTime` is computed once, during validation, for callers that need
//! to compute with it.

use crate::runtime::text_value::{Kind, ParseError, text_value_type};
use std::fmt::Write as _;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// The error type of [`DateTimeOffset::parse`] (the shared [`ParseError`]).
pub type ParseDateTimeError = ParseError;

text_value_type! {
    /// An `Edm.DateTimeOffset`, e.g. `2019-03-20T15:47:50.4707552Z`.
    ///
    /// Accepted (OData's `dateTimeOffsetValue`, a superset of RFC 3339's `date-time`):
    /// `["-"]YYYY-MM-DD"T"hh:mm[:ss[.f…]]("Z" | ("+"/"-")hh:mm)` with a year of four or
    /// more digits in `time`'s range, a real calendar day, hours 00-23, minutes and
    /// seconds 00-59 (no leap second: `time` cannot represent it), any number of fraction
    /// digits (past the ninth they are kept in the text and ignored in the value), and an
    /// offset of at most 23:59. Strict on purpose: `T` and `Z` must be uppercase, and no
    /// spaces, as Graph writes them.
    ///
    /// Any other text received from Graph (`""` in documented responses) is kept as it
    /// came and marked invalid: see [`crate::runtime::text_value`].
    ///
    /// Equality and hashing are by text, so `...Z` and `...+00:00` differ, as they do on
    /// the wire. There is no `Ord`: text order is not time order across offsets; compare
    /// [`DateTimeOffset::to_offset_date_time`] values instead.
    pub struct DateTimeOffset(kind: Kind::DateTimeOffset, parsed: OffsetDateTime, parse: parse_value);
    debug: text;
    eq: text;
    into_parsed: yes;
}

/// Reads the fixed-layout fields left to right.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn fail<T>(&self, offset: usize, reason: &'static str) -> Result<T, ParseError> {
        Err(ParseError::at(Kind::DateTimeOffset, offset, reason))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Exactly `count` ASCII digits (count <= 4).
    fn digits(&mut self, count: usize, reason: &'static str) -> Result<u32, ParseError> {
        let mut value = 0u32;
        for _ in 0..count {
            match self.peek() {
                Some(b) if b.is_ascii_digit() => {
                    value = value * 10 + u32::from(b - b'0');
                    self.pos += 1;
                }
                _ => return self.fail(self.pos, reason),
            }
        }
        Ok(value)
    }

    fn expect(&mut self, byte: u8, reason: &'static str) -> Result<(), ParseError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            self.fail(self.pos, reason)
        }
    }

    /// Two digits no greater than `max`.
    fn two_digits(
        &mut self,
        max: u32,
        missing: &'static str,
        range: &'static str,
    ) -> Result<u8, ParseError> {
        let start = self.pos;
        let value = self.digits(2, missing)?;
        match u8::try_from(value) {
            Ok(value) if u32::from(value) <= max => Ok(value),
            _ => self.fail(start, range),
        }
    }
}

impl DateTimeOffset {
    /// The instant with its offset, for arithmetic and comparisons (computed during
    /// validation). Fraction digits past the ninth are truncated. An error, naming
    /// the value, when the text is invalid.
    pub fn to_offset_date_time(&self) -> Result<OffsetDateTime, ParseError> {
        self.parsed().copied()
    }
}

fn parse_value(text: &str) -> Result<OffsetDateTime, ParseError> {
    let mut c = Cursor {
        bytes: text.as_bytes(),
        pos: 0,
    };
    if c.bytes.is_empty() {
        return Err(ParseError::standalone(
            Kind::DateTimeOffset,
            "expected an ISO 8601 date-time, found an empty string",
        ));
    }
    // Year: optional '-', four or more digits.
    let negative = c.peek() == Some(b'-');
    if negative {
        c.pos += 1;
    }
    let year_start = c.pos;
    let mut year: i32 = 0;
    while let Some(b) = c.peek().filter(u8::is_ascii_digit) {
        year = match year
            .checked_mul(10)
            .and_then(|y| y.checked_add(i32::from(b - b'0')))
        {
            Some(year) => year,
            None => return c.fail(year_start, "year out of range"),
        };
        c.pos += 1;
    }
    if c.pos - year_start < 4 {
        return c.fail(c.pos, "expected a four-digit year");
    }
    if negative {
        year = -year;
    }
    c.expect(b'-', "expected `-` after the year")?;
    let month_at = c.pos;
    let month = c.two_digits(12, "expected a two-digit month", "month must be 01-12")?;
    let month = match Month::try_from(month) {
        Ok(month) => month,
        Err(_) => return c.fail(month_at, "month must be 01-12"),
    };
    c.expect(b'-', "expected `-` after the month")?;
    let day_at = c.pos;
    let day = c.two_digits(31, "expected a two-digit day", "day must be 01-31")?;
    let date = match Date::from_calendar_date(year, month, day) {
        Ok(date) => date,
        Err(err) if err.name() == "year" => return c.fail(year_start, "year out of range"),
        Err(_) => return c.fail(day_at, "no such day in that month"),
    };
    c.expect(b'T', "expected `T` between date and time")?;
    let hour = c.two_digits(23, "expected a two-digit hour", "hour must be 00-23")?;
    c.expect(b':', "expected `:` after the hour")?;
    let minute = c.two_digits(59, "expected two-digit minutes", "minutes must be 00-59")?;
    let mut second = 0;
    let mut nanosecond = 0u32;
    let has_seconds = c.peek() == Some(b':');
    if has_seconds {
        c.pos += 1;
        second = c.two_digits(
            59,
            "expected two-digit seconds",
            "seconds must be 00-59 (leap seconds are not supported)",
        )?;
        if c.peek() == Some(b'.') {
            c.pos += 1;
            let digits_start = c.pos;
            while let Some(b) = c.peek().filter(u8::is_ascii_digit) {
                if c.pos - digits_start < 9 {
                    nanosecond = nanosecond * 10 + u32::from(b - b'0');
                }
                c.pos += 1;
            }
            let count = c.pos - digits_start;
            if count == 0 {
                return c.fail(c.pos, "expected a digit after `.`");
            }
            for _ in count..9 {
                nanosecond *= 10;
            }
        }
    }
    let time = match Time::from_hms_nano(hour, minute, second, nanosecond) {
        Ok(time) => time,
        Err(_) => return c.fail(c.pos, "time out of range"),
    };
    let offset_at = c.pos;
    let offset = match c.peek() {
        Some(b'Z') => {
            c.pos += 1;
            UtcOffset::UTC
        }
        Some(sign @ (b'+' | b'-')) => {
            c.pos += 1;
            let hours = c.two_digits(
                23,
                "expected a two-digit offset hour",
                "offset hours must be 00-23",
            )?;
            c.expect(b':', "expected `:` in the offset")?;
            let minutes = c.two_digits(
                59,
                "expected two-digit offset minutes",
                "offset minutes must be 00-59",
            )?;
            // Both fit in i8 (checked above); the sign applies to both parts.
            let (hours, minutes) = (hours as i8, minutes as i8); // <= 59: no wrap
            let (hours, minutes) = if sign == b'-' {
                (-hours, -minutes)
            } else {
                (hours, minutes)
            };
            match UtcOffset::from_hms(hours, minutes, 0) {
                Ok(offset) => offset,
                Err(_) => return c.fail(offset_at, "offset out of range"),
            }
        }
        _ => {
            let reason = if has_seconds {
                "expected `Z` or an offset such as `+01:00`"
            } else {
                "expected `:` and seconds, `Z` or an offset such as `+01:00`"
            };
            return c.fail(offset_at, reason);
        }
    };
    if c.pos != c.bytes.len() {
        return c.fail(c.pos, "unexpected text after the offset");
    }
    Ok(PrimitiveDateTime::new(date, time).assume_offset(offset))
}

/// Writes `value` in RFC 3339 form: fraction only when non-zero, trailing zeros
/// trimmed, `Z` for UTC.
fn format_value(value: OffsetDateTime) -> String {
    let mut text = String::with_capacity(35);
    let year = value.year();
    // Writing into a String cannot fail.
    if year < 0 {
        let _ = write!(text, "-{:04}", year.unsigned_abs());
    } else {
        let _ = write!(text, "{year:04}");
    }
    let _ = write!(
        text,
        "-{:02}-{:02}T{:02}:{:02}:{:02}",
        u8::from(value.month()),
        value.day(),
        value.hour(),
        value.minute(),
        value.second()
    );
    let nanos = value.nanosecond();
    if nanos != 0 {
        let digits = format!("{nanos:09}");
        text.push('.');
        text.push_str(digits.trim_end_matches('0'));
    }
    let offset = value.offset();
    if offset.is_utc() {
        text.push('Z');
    } else {
        let (hours, minutes, _) = offset.as_hms();
        let sign = if offset.is_negative() { '-' } else { '+' };
        let _ = write!(
            text,
            "{sign}{:02}:{:02}",
            hours.unsigned_abs(),
            minutes.unsigned_abs()
        );
    }
    text
}

impl From<OffsetDateTime> for DateTimeOffset {
    /// RFC 3339 text (`2019-03-20T15:47:50.4707552Z`, `...-05:00`). An offset with
    /// seconds, which the format cannot carry, is converted to UTC first (or, at the
    /// very edge of the representable range, has its seconds dropped).
    fn from(value: OffsetDateTime) -> Self {
        let value = if value.offset().seconds_past_minute() == 0 {
            value
        } else {
            match value.checked_to_offset(UtcOffset::UTC) {
                Some(utc) => utc,
                None => {
                    let (hours, minutes, _) = value.offset().as_hms();
                    match UtcOffset::from_hms(hours, minutes, 0) {
                        Ok(offset) => value.replace_offset(offset),
                        Err(_) => value.replace_offset(UtcOffset::UTC),
                    }
                }
            }
        };
        DateTimeOffset {
            text: format_value(value),
            parsed: Ok(value),
        }
    }
}

impl Default for DateTimeOffset {
    /// `0001-01-01T00:00:00Z`: .NET's `DateTimeOffset.MinValue`, Graph's "never".
    fn default() -> Self {
        let date = match Date::from_calendar_date(1, Month::January, 1) {
            Ok(date) => date,
            Err(_) => Date::MIN,
        };
        DateTimeOffset::from(PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::json;
    use crate::runtime::text_value::assert_parse_errors;

    fn parse(text: &str) -> DateTimeOffset {
        DateTimeOffset::parse(text).unwrap_or_else(|err| panic!("{text}: {err}"))
    }

    fn error(text: &str) -> ParseError {
        match DateTimeOffset::parse(text) {
            Ok(value) => panic!("{text} parsed as {value:?}"),
            Err(err) => err,
        }
    }

    #[test]
    fn graph_examples_come_back_byte_identical() {
        for text in [
            "2019-03-20T15:47:50.4707552Z",
            "2019-03-20T10:47:50-05:00",
            "0001-01-01T00:00:00Z",
            "2019-03-20T15:47:50.1234567891234+14:00",
            "2019-03-20T15:47:50.000Z",
            "2019-03-20T15:47Z",
            "2019-03-20T15:47:50+00:00",
            "2019-03-20T15:47:50-00:00",
            "2024-02-29T23:59:59.9999999Z",
            "9999-12-31T23:59:59.9999999Z",
            "-0001-01-01T00:00:00Z",
        ] {
            let json_text = format!("\"{text}\"");
            let value: DateTimeOffset = json::from_str(&json_text).unwrap();
            assert_eq!(value.as_str(), text);
            assert_eq!(value.to_string(), text);
            assert_eq!(serde_json::to_string(&value).unwrap(), json_text);
        }
        assert_ne!(
            parse("2019-03-20T15:47:50Z"),
            parse("2019-03-20T15:47:50+00:00")
        );
    }

    #[test]
    fn offset_date_time_is_computed() {
        let value = parse("2019-03-20T15:47:50.4707552Z")
            .to_offset_date_time()
            .unwrap();
        assert_eq!(value.year(), 2019);
        assert_eq!(value.month(), Month::March);
        assert_eq!(
            (value.day(), value.hour(), value.minute(), value.second()),
            (20, 15, 47, 50)
        );
        assert_eq!(value.nanosecond(), 470_755_200);
        assert!(value.offset().is_utc());

        let eastern = parse("2019-03-20T10:47:50-05:00")
            .to_offset_date_time()
            .unwrap();
        assert_eq!(eastern.offset().as_hms(), (-5, 0, 0));
        assert_eq!(
            eastern,
            parse("2019-03-20T15:47:50Z").to_offset_date_time().unwrap()
        );
        let half = parse("2019-03-20T10:17:50-05:30")
            .to_offset_date_time()
            .unwrap();
        assert_eq!(half.offset().as_hms(), (-5, -30, 0));
        assert_eq!(
            half,
            parse("2019-03-20T15:47:50Z").to_offset_date_time().unwrap()
        );

        let min = parse("0001-01-01T00:00:00Z").to_offset_date_time().unwrap();
        assert_eq!((min.year(), u8::from(min.month()), min.day()), (1, 1, 1));
        let long = parse("2019-03-20T15:47:50.1234567891234Z")
            .to_offset_date_time()
            .unwrap();
        assert_eq!(long.nanosecond(), 123_456_789);
    }

    #[test]
    fn from_offset_date_time_writes_rfc3339() {
        let cases = [
            "2019-03-20T15:47:50.4707552Z",
            "2019-03-20T10:47:50-05:00",
            "0001-01-01T00:00:00Z",
            "2019-03-20T10:47:50.5+05:45",
        ];
        for text in cases {
            let built = DateTimeOffset::from(parse(text).to_offset_date_time().unwrap());
            assert_eq!(built.as_str(), text);
            assert_eq!(
                parse(built.as_str()).to_offset_date_time().unwrap(),
                built.to_offset_date_time().unwrap()
            );
        }
        assert_eq!(DateTimeOffset::default().as_str(), "0001-01-01T00:00:00Z");
        let odd = parse("2019-03-20T15:47:50Z")
            .to_offset_date_time()
            .unwrap()
            .to_offset(UtcOffset::from_hms(1, 0, 30).unwrap());
        let built = DateTimeOffset::from(odd);
        assert_eq!(built.as_str(), "2019-03-20T15:47:50Z");
        assert_eq!(built.to_offset_date_time().unwrap(), odd);
    }

    #[test]
    fn invalid_texts_are_errors() {
        let err = error("");
        assert_eq!(
            err.to_string(),
            "expected an ISO 8601 date-time, found an empty string"
        );
        let cases = [
            ("2019-13-01T00:00:00Z", 5, "month must be 01-12"),
            ("2019-00-01T00:00:00Z", 5, "month must be 01-12"),
            ("2019-02-29T00:00:00Z", 8, "no such day"),
            ("2019-04-31T00:00:00Z", 8, "no such day"),
            ("2019-04-32T00:00:00Z", 8, "day must be 01-31"),
            ("2019-03-20", 10, "expected `T`"),
            ("2019-03-20 15:47:50Z", 10, "expected `T`"),
            ("2019-03-20t15:47:50Z", 10, "expected `T`"),
            ("2019-03-20T24:00:00Z", 11, "hour must be 00-23"),
            ("2019-03-20T15:60:00Z", 14, "minutes must be 00-59"),
            ("2019-03-20T15:47:60Z", 17, "leap seconds"),
            ("2019-03-20T15:47:50", 19, "`Z` or an offset"),
            ("2019-03-20T15:47", 16, "seconds, `Z` or an offset"),
            ("2019-03-20T15:47:50z", 19, "`Z` or an offset"),
            ("2019-03-20T15:47:50.Z", 20, "digit after `.`"),
            ("2019-03-20T15:47:50+0500", 22, "`:` in the offset"),
            ("2019-03-20T15:47:50+24:00", 20, "offset hours"),
            ("2019-03-20T15:47:50+05:60", 23, "offset minutes"),
            ("2019-03-20T15:47:50Z ", 20, "unexpected text"),
            ("19-03-20T15:47:50Z", 2, "four-digit year"),
            ("2019-3-20T15:47:50Z", 6, "two-digit month"),
            ("not a date", 0, "four-digit year"),
            ("2019-03-20T15:47:5é", 18, "two-digit seconds"),
            ("99999999999-01-01T00:00:00Z", 0, "year out of range"),
        ];
        assert_parse_errors(DateTimeOffset::parse, &cases);
    }

    #[test]
    fn strict_json_errors_name_the_problem() {
        let err = json::from_str_strict::<DateTimeOffset>("\"\"").unwrap_err();
        assert!(
            err.message
                .contains("expected an ISO 8601 date-time, found an empty string"),
            "{err}"
        );
        let err = json::from_str_strict::<DateTimeOffset>("\"2019-13-01T00:00:00Z\"").unwrap_err();
        assert!(err.message.contains("month must be 01-12"), "{err}");
        assert!(json::from_str::<DateTimeOffset>("0").is_err());
        assert!(json::from_str::<DateTimeOffset>("true").is_err());
        assert!(json::from_str::<DateTimeOffset>("null").is_err());
    }

    #[test]
    fn invalid_texts_are_kept_and_accessors_name_them() {
        for text in [
            "",
            "String (timestamp)",
            "2019-13-01T00:00:00Z",
            "DateTimeOffset",
        ] {
            let json_text = serde_json::to_string(text).unwrap();
            let value: DateTimeOffset = json::from_str(&json_text).unwrap();
            assert!(!value.is_valid(), "{text}");
            assert_eq!(value.as_str(), text);
            assert_eq!(value.to_string(), text);
            assert_eq!(serde_json::to_string(&value).unwrap(), json_text);
            assert_eq!(value, DateTimeOffset::from_text(text));
            let err = value.to_offset_date_time().unwrap_err();
            assert_eq!(err.value(), Some(text));
            assert_eq!(Some(&error(text)), value.parse_error());
            let message = err.to_string();
            let prefix = format!(
                "invalid Edm.DateTimeOffset value ({} characters): ",
                text.chars().count()
            );
            assert!(message.starts_with(&prefix), "{message}");
            assert!(!message.contains(&json_text), "{message}");
            assert!(!format!("{err:?}").contains(&json_text), "{err:?}");
            assert!(OffsetDateTime::try_from(value.clone()).is_err());
            assert_eq!(
                format!("{value:?}"),
                format!(
                    "DateTimeOffset(<invalid, {} characters>)",
                    text.chars().count()
                )
            );
        }
        let err = DateTimeOffset::from_text("")
            .to_offset_date_time()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid Edm.DateTimeOffset value (0 characters): expected an ISO 8601 date-time, found an empty string"
        );
        let valid = DateTimeOffset::from_text("2019-03-20T15:47:50Z");
        assert!(valid.is_valid() && valid.parse_error().is_none());
        assert_eq!(valid, parse("2019-03-20T15:47:50Z"));
        assert_eq!(
            format!("{valid:?}"),
            "DateTimeOffset(\"2019-03-20T15:47:50Z\")"
        );
        assert_eq!(
            OffsetDateTime::try_from(valid.clone()).unwrap(),
            valid.to_offset_date_time().unwrap()
        );
    }
}
