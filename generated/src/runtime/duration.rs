//! `Edm.Duration`: an ISO 8601 / XML Schema duration, kept exactly as written.
//!
//! A month (`P1M`) and a minute (`PT1M`) are different things, months and years have
//! no fixed length, and Graph sends values such as `P10675199DT2H48M5.4775807S`
//! (.NET `TimeSpan.MaxValue`) that must go back unchanged. So the text is the value;
//! the parsed components are there to read, and [`Duration::to_std`] converts when
//! the duration has a fixed length.

use crate::runtime::text_value::{Kind, ParseError, text_value_type};
use std::fmt::Write as _;

/// The error type of [`Duration::parse`] (the shared [`ParseError`]).
pub type ParseDurationError = ParseError;

text_value_type! {
    /// An `Edm.Duration`, e.g. `PT40M` or `-P1DT12H`.
    ///
    /// Grammar (uppercase designators only, no spaces):
    /// `["-"] "P" [n "Y"] [n "M"] [n "W"] [n "D"] ["T" [n "H"] [n "M"] [d "S"]]` where `n`
    /// is a decimal integer, `d` is `n` or `n "." n` (any number of fraction digits), at
    /// least one component is present and a `T` is followed by at least one. Weeks are
    /// accepted (ISO 8601) and count as 7 days. Other text received is kept as it came
    /// and marked invalid (see [`crate::runtime::text_value`]).
    ///
    /// Equality and hashing are by text: `PT60M` and `PT1H` are different values, as they
    /// are on the wire.
    pub struct Duration(kind: Kind::Duration, parsed: DurationParts, parse: parse_value);
    debug: text;
    eq: text;
    into_parsed: no;
}

/// The components of a valid [`Duration`], as written (see [`Duration::parts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DurationParts {
    negative: bool,
    years: u64,
    months: u64,
    weeks: u64,
    days: u64,
    hours: u64,
    minutes: u64,
    seconds: u64,
    nanoseconds: u32,
    /// Byte range of the seconds number (before `S`) in the text, if present.
    seconds_span: Option<(usize, usize)>,
}

/// The parser's position in the component order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Start,
    Years,
    Months,
    Weeks,
    Days,
    Hours,
    Minutes,
    Seconds,
}

/// Parses `text`; errors say what was wrong at which character.
fn parse_value(text: &str) -> Result<DurationParts, ParseError> {
    let bytes = text.as_bytes();
    let error =
        |offset: usize, reason: &'static str| ParseError::at(Kind::Duration, offset, reason);
    if bytes.is_empty() {
        return Err(error(
            0,
            "expected a duration such as `PT1M`, found an empty string",
        ));
    }
    let mut duration = DurationParts {
        negative: false,
        years: 0,
        months: 0,
        weeks: 0,
        days: 0,
        hours: 0,
        minutes: 0,
        seconds: 0,
        nanoseconds: 0,
        seconds_span: None,
    };
    let mut pos = 0;
    if bytes[pos] == b'-' {
        duration.negative = true;
        pos += 1;
    }
    if bytes.get(pos) != Some(&b'P') {
        return Err(error(pos, "expected `P` (optionally after `-`)"));
    }
    pos += 1;
    let mut slot = Slot::Start;
    let mut in_time = false;
    let mut any_component = false;
    loop {
        match bytes.get(pos) {
            None => break,
            Some(b'T') if !in_time => {
                in_time = true;
                pos += 1;
                if !bytes.get(pos).is_some_and(u8::is_ascii_digit) {
                    return Err(error(pos, "expected a number after `T`"));
                }
                continue;
            }
            Some(b'T') => return Err(error(pos, "`T` appears twice")),
            Some(b) if b.is_ascii_digit() => {}
            Some(_) => {
                let reason = if any_component {
                    "expected a number or `T`"
                } else {
                    "expected a number after `P`"
                };
                return Err(error(pos, reason));
            }
        }
        // A number, then a designator.
        let start = pos;
        let value =
            read_integer(bytes, &mut pos).ok_or_else(|| error(start, "number too large"))?;
        let mut fraction = None;
        if bytes.get(pos) == Some(&b'.') {
            let dot = pos;
            pos += 1;
            let digits_start = pos;
            while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
                pos += 1;
            }
            if pos == digits_start {
                return Err(error(pos, "expected a digit after `.`"));
            }
            fraction = Some((dot, digits_start, pos));
        }
        let designator_at = pos;
        let next = match (bytes.get(pos), in_time) {
            (None, _) => {
                return Err(error(
                    pos,
                    "expected a designator (Y, M, W, D, H, M or S) after the number",
                ));
            }
            (Some(b'Y'), false) => Slot::Years,
            (Some(b'M'), false) => Slot::Months,
            (Some(b'W'), false) => Slot::Weeks,
            (Some(b'D'), false) => Slot::Days,
            (Some(b'H'), true) => Slot::Hours,
            (Some(b'M'), true) => Slot::Minutes,
            (Some(b'S'), true) => Slot::Seconds,
            (Some(b'H' | b'S'), false) => {
                return Err(error(pos, "hours and seconds must come after `T`"));
            }
            (Some(b'Y' | b'W' | b'D'), true) => {
                return Err(error(pos, "years, weeks and days must come before `T`"));
            }
            (Some(_), _) => {
                return Err(error(
                    pos,
                    "expected a designator (Y, M, W, D, H, M or S) after the number",
                ));
            }
        };
        if next <= slot {
            return Err(error(designator_at, "component repeated or out of order"));
        }
        if let Some((dot, digits_start, digits_end)) = fraction {
            if next != Slot::Seconds {
                return Err(error(dot, "only seconds may have a fraction"));
            }
            duration.nanoseconds = nanoseconds(&bytes[digits_start..digits_end]);
        }
        match next {
            Slot::Years => duration.years = value,
            Slot::Months => duration.months = value,
            Slot::Weeks => duration.weeks = value,
            Slot::Days => duration.days = value,
            Slot::Hours => duration.hours = value,
            Slot::Minutes => duration.minutes = value,
            Slot::Seconds => {
                duration.seconds = value;
                duration.seconds_span = Some((start, designator_at));
            }
            Slot::Start => {}
        }
        slot = next;
        any_component = true;
        pos += 1;
    }
    if !any_component {
        return Err(error(pos, "expected at least one component after `P`"));
    }
    Ok(duration)
}

impl Duration {
    /// The components; an error, naming the value, when the text is invalid.
    pub fn parts(&self) -> Result<&DurationParts, ParseError> {
        self.parsed()
    }

    /// The fixed length ([`DurationParts::to_std`]): `Ok(None)` when it has none or
    /// does not fit, an error naming the value when the text is invalid.
    pub fn to_std(&self) -> Result<Option<std::time::Duration>, ParseError> {
        Ok(self.parsed()?.to_std())
    }

    /// The seconds number exactly as written (`"5.4775807"`), if there is one; an
    /// error when the text is invalid.
    pub fn seconds_text(&self) -> Result<Option<&str>, ParseError> {
        Ok(self
            .parsed()?
            .seconds_span
            .and_then(|(start, end)| self.text.get(start..end)))
    }

    /// The canonical text .NET's `XmlConvert.ToString(TimeSpan)` writes:
    /// `P{d}DT{h}H{m}M{s}.{fraction}S` with zero parts left out, fraction trailing
    /// zeros trimmed, and `PT0S` for zero. Nanosecond precision is kept.
    pub fn from_std(duration: std::time::Duration) -> Self {
        let total = duration.as_secs();
        let nanos = duration.subsec_nanos();
        let (days, hours, minutes, seconds) = (
            total / 86_400,
            total % 86_400 / 3_600,
            total % 3_600 / 60,
            total % 60,
        );
        let mut text = String::from("P");
        // Writing into a String cannot fail.
        if days != 0 {
            let _ = write!(text, "{days}D");
        }
        let mut seconds_span = None;
        if hours != 0 || minutes != 0 || seconds != 0 || nanos != 0 {
            text.push('T');
            if hours != 0 {
                let _ = write!(text, "{hours}H");
            }
            if minutes != 0 {
                let _ = write!(text, "{minutes}M");
            }
            if seconds != 0 || nanos != 0 {
                let start = text.len();
                let _ = write!(text, "{seconds}");
                if nanos != 0 {
                    let fraction = format!("{nanos:09}");
                    text.push('.');
                    text.push_str(fraction.trim_end_matches('0'));
                }
                seconds_span = Some((start, text.len()));
                text.push('S');
            }
        }
        if text == "P" {
            text.push_str("T0S");
            seconds_span = Some((2, 3));
        }
        let parts = DurationParts {
            negative: false,
            years: 0,
            months: 0,
            weeks: 0,
            days,
            hours,
            minutes,
            seconds,
            nanoseconds: nanos,
            seconds_span,
        };
        Duration {
            text,
            parsed: Ok(parts),
        }
    }
}

impl DurationParts {
    /// True when the text starts with `-`.
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The `Y` component (0 when absent).
    pub fn years(&self) -> u64 {
        self.years
    }

    /// The `M` component before `T`: calendar months, not minutes (0 when absent).
    pub fn months(&self) -> u64 {
        self.months
    }

    /// The `W` component (0 when absent); a week is 7 days.
    pub fn weeks(&self) -> u64 {
        self.weeks
    }

    /// The `D` component (0 when absent); weeks are not folded in.
    pub fn days(&self) -> u64 {
        self.days
    }

    /// The `H` component (0 when absent).
    pub fn hours(&self) -> u64 {
        self.hours
    }

    /// The `M` component after `T`: minutes (0 when absent).
    pub fn minutes(&self) -> u64 {
        self.minutes
    }

    /// Whole seconds of the `S` component (0 when absent).
    pub fn seconds(&self) -> u64 {
        self.seconds
    }

    /// Fraction of the `S` component in nanoseconds; digits past the ninth are
    /// truncated here (they stay in the text).
    pub fn subsec_nanos(&self) -> u32 {
        self.nanoseconds
    }

    /// True when years or months are non-zero: such a duration has no fixed length
    /// (a month is 28 to 31 days) and [`DurationParts::to_std`] gives `None`.
    pub fn has_calendar_parts(&self) -> bool {
        self.years != 0 || self.months != 0
    }

    /// The fixed length as a `std::time::Duration`, counting a day as 24 hours and a
    /// week as 7 days, with fraction digits past the ninth truncated.
    ///
    /// `None` when the duration is negative (and not zero), has calendar parts, or
    /// does not fit.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        if self.has_calendar_parts() {
            return None;
        }
        let days = self.weeks.checked_mul(7)?.checked_add(self.days)?;
        let seconds = days
            .checked_mul(86_400)?
            .checked_add(self.hours.checked_mul(3_600)?)?
            .checked_add(self.minutes.checked_mul(60)?)?
            .checked_add(self.seconds)?;
        if self.negative && (seconds != 0 || self.nanoseconds != 0) {
            return None;
        }
        Some(std::time::Duration::new(seconds, self.nanoseconds))
    }
}

/// Reads ASCII digits at `pos` as a `u64`; `None` on overflow.
fn read_integer(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut value: u64 = 0;
    let mut overflow = false;
    while let Some(digit) = bytes.get(*pos).filter(|b| b.is_ascii_digit()) {
        match value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(digit.wrapping_sub(b'0'))))
        {
            Some(next) => value = next,
            None => overflow = true,
        }
        *pos += 1;
    }
    if overflow { None } else { Some(value) }
}

/// Fraction digits (non-empty, ASCII) as nanoseconds, truncated to nine digits.
fn nanoseconds(digits: &[u8]) -> u32 {
    let mut nanos = 0u32;
    for index in 0..9 {
        let digit = digits
            .get(index)
            .map_or(0, |b| u32::from(b.wrapping_sub(b'0')));
        nanos = nanos * 10 + digit;
    }
    nanos
}

impl Default for Duration {
    /// Zero, written `PT0S` (what .NET writes for `TimeSpan.Zero`).
    fn default() -> Self {
        Duration::from_std(std::time::Duration::ZERO)
    }
}

impl From<std::time::Duration> for Duration {
    /// As [`Duration::from_std`].
    fn from(duration: std::time::Duration) -> Self {
        Duration::from_std(duration)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::json;
    use crate::runtime::text_value::assert_parse_errors;
    use std::time::Duration as Std;

    fn parse(text: &str) -> Duration {
        Duration::parse(text).unwrap_or_else(|err| panic!("{text}: {err}"))
    }

    fn error(text: &str) -> ParseError {
        match Duration::parse(text) {
            Ok(duration) => panic!("{text} parsed as {duration:?}"),
            Err(err) => err,
        }
    }

    #[test]
    fn a_month_is_not_a_minute() {
        let month = parse("P1M");
        let minute = parse("PT1M");
        assert_ne!(month, minute);
        assert_eq!(
            (
                month.parts().unwrap().months(),
                month.parts().unwrap().minutes()
            ),
            (1, 0)
        );
        assert_eq!(
            (
                minute.parts().unwrap().months(),
                minute.parts().unwrap().minutes()
            ),
            (0, 1)
        );
        assert!(month.parts().unwrap().has_calendar_parts());
        assert!(!minute.parts().unwrap().has_calendar_parts());
        assert_eq!(month.to_std().unwrap(), None);
        assert_eq!(minute.to_std().unwrap(), Some(Std::from_secs(60)));
        assert_eq!(parse("P1Y").to_std().unwrap(), None);
    }

    #[test]
    fn timespan_max_value_round_trips() {
        let text = "P10675199DT2H48M5.4775807S";
        let max = parse(text);
        assert_eq!(max.as_str(), text);
        assert_eq!(max.to_string(), text);
        assert_eq!(max.parts().unwrap().days(), 10_675_199);
        assert_eq!(
            (
                max.parts().unwrap().hours(),
                max.parts().unwrap().minutes(),
                max.parts().unwrap().seconds()
            ),
            (2, 48, 5)
        );
        assert_eq!(max.parts().unwrap().subsec_nanos(), 477_580_700);
        assert_eq!(max.seconds_text().unwrap(), Some("5.4775807"));
        let expected = Std::from_secs(10_675_199 * 86_400 + 2 * 3_600 + 48 * 60 + 5)
            + Std::from_nanos(477_580_700);
        assert_eq!(max.to_std().unwrap(), Some(expected));
        assert_eq!(Duration::from_std(expected).as_str(), text);
        let json_text = format!("\"{text}\"");
        let decoded: Duration = json::from_str(&json_text).unwrap();
        assert_eq!(serde_json::to_string(&decoded).unwrap(), json_text);
    }

    #[test]
    fn texts_are_kept_exactly() {
        for text in [
            "PT40M",
            "PT0S",
            "P0D",
            "PT60M",
            "PT1H",
            "P1Y2M3W4DT5H6M7.000000000001S",
            "P2W",
            "PT0.5S",
            "P001D",
            "PT1.1234567891234S",
            "-P1D",
            "-PT0S",
        ] {
            let duration = parse(text);
            assert_eq!(duration.as_str(), text);
            let decoded: Duration = json::from_str(&format!("\"{text}\"")).unwrap();
            assert_eq!(decoded, duration);
        }
        assert_ne!(parse("PT60M"), parse("PT1H"));
        assert_eq!(
            parse("PT60M").to_std().unwrap(),
            parse("PT1H").to_std().unwrap()
        );
    }

    #[test]
    fn negative_and_components() {
        let minus_day = parse("-P1D");
        assert!(minus_day.parts().unwrap().is_negative());
        assert_eq!(minus_day.parts().unwrap().days(), 1);
        assert_eq!(minus_day.to_std().unwrap(), None);
        assert_eq!(parse("-PT0S").to_std().unwrap(), Some(Std::ZERO));
        let all = parse("P1Y2M3W4DT5H6M7.000000000001S");
        assert_eq!(
            (
                all.parts().unwrap().years(),
                all.parts().unwrap().months(),
                all.parts().unwrap().weeks(),
                all.parts().unwrap().days()
            ),
            (1, 2, 3, 4)
        );
        assert_eq!(
            (
                all.parts().unwrap().hours(),
                all.parts().unwrap().minutes(),
                all.parts().unwrap().seconds()
            ),
            (5, 6, 7)
        );
        assert_eq!(all.parts().unwrap().subsec_nanos(), 0);
        assert_eq!(
            parse("P2W").to_std().unwrap(),
            Some(Std::from_secs(14 * 86_400))
        );
        assert_eq!(
            parse("PT1.1234567891234S").to_std().unwrap(),
            Some(Std::new(1, 123_456_789))
        );
        assert_eq!(
            parse("PT0.5S").to_std().unwrap(),
            Some(Std::from_millis(500))
        );
        assert_eq!(parse("PT40M").seconds_text().unwrap(), None);
        assert_eq!(
            parse("P213503982334601DT1S").to_std().unwrap(),
            Some(Std::from_secs(213_503_982_334_601 * 86_400 + 1))
        );
        assert_eq!(parse("P213503982334602D").to_std().unwrap(), None);
        assert_eq!(
            parse("PT18446744073709551615S").to_std().unwrap(),
            Some(Std::from_secs(u64::MAX))
        );
    }

    #[test]
    fn from_std_writes_what_dotnet_writes() {
        let cases = [
            (Std::ZERO, "PT0S"),
            (Std::from_secs(60), "PT1M"),
            (Std::from_secs(86_400), "P1D"),
            (Std::from_secs(90_061), "P1DT1H1M1S"),
            (Std::from_millis(1_500), "PT1.5S"),
            (Std::from_nanos(1), "PT0.000000001S"),
            (Std::from_secs(3_600 + 5), "PT1H5S"),
            (Std::from_secs(40 * 60), "PT40M"),
        ];
        for (std, text) in cases {
            let duration = Duration::from_std(std);
            assert_eq!(duration.as_str(), text);
            assert_eq!(parse(text).to_std().unwrap(), Some(std));
            assert_eq!(duration.to_std().unwrap(), Some(std));
            let reparsed = parse(duration.as_str());
            assert_eq!(
                reparsed.seconds_text().unwrap(),
                duration.seconds_text().unwrap()
            );
            assert_eq!(
                reparsed.parts().unwrap().days(),
                duration.parts().unwrap().days()
            );
        }
        assert_eq!(Duration::default().as_str(), "PT0S");
        assert_eq!(Duration::default().seconds_text().unwrap(), Some("0"));
        let max = Duration::from_std(Std::MAX);
        assert_eq!(parse(max.as_str()).to_std().unwrap(), Some(Std::MAX));
    }

    #[test]
    fn errors_say_what_and_where() {
        let cases = [
            ("", 0, "empty string"),
            ("P", 1, "at least one component"),
            ("PT", 2, "number after `T`"),
            ("P1DT", 4, "number after `T`"),
            ("1D", 0, "expected `P`"),
            ("-1D", 1, "expected `P`"),
            ("p1d", 0, "expected `P`"),
            ("P1H", 2, "after `T`"),
            ("PT1D", 3, "before `T`"),
            ("PT1.S", 4, "digit after `.`"),
            ("PT.5S", 2, "number after `T`"),
            ("P1.5D", 2, "only seconds"),
            ("P1", 2, "designator"),
            ("P1X", 2, "designator"),
            ("P1D1Y", 4, "out of order"),
            ("P1M1M", 4, "out of order"),
            ("PT1S1M", 5, "out of order"),
            ("P1DT1HT1M", 6, "twice"),
            ("P1D ", 3, "number or `T`"),
            ("P-1D", 1, "number after `P`"),
            ("P99999999999999999999D", 1, "too large"),
            (" P1D", 0, "expected `P`"),
            ("P1Dé", 3, "number or `T`"),
        ];
        assert_parse_errors(Duration::parse, &cases);
    }

    #[test]
    fn json_errors_name_the_problem() {
        let err = json::from_str_strict::<Duration>("\"P1H\"").unwrap_err();
        assert!(
            err.message
                .contains("hours and seconds must come after `T`"),
            "{err}"
        );
        let err = json::from_str::<Duration>("60").unwrap_err();
        assert!(err.message.contains("ISO 8601 duration"), "{err}");
        let decoded: Duration = serde_json::from_value(serde_json::json!("PT1M")).unwrap();
        assert_eq!(decoded, parse("PT1M"));
    }

    #[test]
    fn invalid_texts_are_kept_and_accessors_name_them() {
        for text in ["", "P1H", "String (duration)", "1 hour"] {
            let json_text = serde_json::to_string(text).unwrap();
            let value: Duration = json::from_str(&json_text).unwrap();
            let owned: Duration = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(owned, value);
            assert!(!value.is_valid());
            assert_eq!(value.as_str(), text);
            assert_eq!(serde_json::to_string(&value).unwrap(), json_text);
            assert_eq!(value.parse_error(), Some(&error(text)));
            for err in [
                value.to_std().unwrap_err(),
                value.parts().unwrap_err(),
                value.seconds_text().unwrap_err(),
            ] {
                assert_eq!(err.value(), Some(text));
                let message = err.to_string();
                let prefix = format!(
                    "invalid Edm.Duration value ({} characters): ",
                    text.chars().count()
                );
                assert!(message.starts_with(&prefix), "{message}");
            }
            assert_eq!(
                format!("{value:?}"),
                format!("Duration(<invalid, {} characters>)", text.chars().count())
            );
        }
        assert_eq!(format!("{:?}", parse("PT40M")), "Duration(\"PT40M\")");
        assert!(Duration::from_text("PT40M").is_valid());
    }
}
