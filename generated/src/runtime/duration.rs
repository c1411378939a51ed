//! `Edm.Duration`: an ISO 8601 / XML Schema duration, kept exactly as written.
//!
//! A month (`P1M`) and a minute (`PT1M`) are different things, months and years have
//! no fixed length, and Graph sends values such as `P10675199DT2H48M5.4775807S`
//! (.NET `TimeSpan.MaxValue`) that must go back unchanged. So the text is the value;
//! the parsed components are there to read, and [`Duration::to_std`] converts when
//! the duration has a fixed length.

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt::{self, Write as _};
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// An `Edm.Duration`, e.g. `PT40M` or `-P1DT12H`.
///
/// Grammar (uppercase designators only, no spaces):
/// `["-"] "P" [n "Y"] [n "M"] [n "W"] [n "D"] ["T" [n "H"] [n "M"] [d "S"]]` where `n`
/// is a decimal integer, `d` is `n` or `n "." n` (any number of fraction digits), at
/// least one component is present and a `T` is followed by at least one. Weeks are
/// accepted (ISO 8601) and count as 7 days.
///
/// Equality and hashing are by text: `PT60M` and `PT1H` are different values, as they
/// are on the wire.
#[derive(Clone)]
pub struct Duration {
    text: String,
    negative: bool,
    years: u64,
    months: u64,
    weeks: u64,
    days: u64,
    hours: u64,
    minutes: u64,
    seconds: u64,
    nanoseconds: u32,
    /// Byte range of the seconds number (before `S`) in `text`, if present.
    seconds_span: Option<(usize, usize)>,
}

/// Why a text is not an ISO 8601 duration, and at which character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDurationError {
    offset: usize,
    reason: &'static str,
}

impl ParseDurationError {
    /// Character offset (0-based) where the text stopped being a duration.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What was expected or wrong there.
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

impl fmt::Display for ParseDurationError {
    /// Names the problem and where; never quotes the input.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid ISO 8601 duration at character {}: {}",
            self.offset, self.reason
        )
    }
}

impl std::error::Error for ParseDurationError {}

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

impl Duration {
    /// Parses and keeps `text`. Errors say what was wrong at which character.
    pub fn parse(text: &str) -> Result<Self, ParseDurationError> {
        let bytes = text.as_bytes();
        let error = |offset: usize, reason: &'static str| ParseDurationError { offset, reason };
        if bytes.is_empty() {
            return Err(error(
                0,
                "expected a duration such as `PT1M`, found an empty string",
            ));
        }
        let mut duration = Duration {
            text: String::new(),
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
        duration.text = text.to_owned();
        Ok(duration)
    }

    /// The text exactly as received or built.
    pub fn as_str(&self) -> &str {
        &self.text
    }

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

    /// The seconds number exactly as written (`"5.4775807"`), if there is one.
    pub fn seconds_text(&self) -> Option<&str> {
        self.seconds_span
            .and_then(|(start, end)| self.text.get(start..end))
    }

    /// True when years or months are non-zero: such a duration has no fixed length
    /// (a month is 28 to 31 days) and [`Duration::to_std`] gives `None`.
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
        Duration {
            text,
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
        }
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

impl PartialEq for Duration {
    /// By text: `PT1H` and `PT60M` differ, as on the wire.
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Duration {}

impl Hash for Duration {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl fmt::Debug for Duration {
    /// `Duration("PT40M")`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Duration").field(&self.text).finish()
    }
}

impl fmt::Display for Duration {
    /// The text as kept.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Duration {
    type Err = ParseDurationError;

    fn from_str(text: &str) -> Result<Self, ParseDurationError> {
        Duration::parse(text)
    }
}

impl From<std::time::Duration> for Duration {
    /// As [`Duration::from_std`].
    fn from(duration: std::time::Duration) -> Self {
        Duration::from_std(duration)
    }
}

impl Serialize for Duration {
    /// The text as a JSON string.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Duration {
    /// A JSON string holding a valid duration; the error names the problem.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(DurationVisitor)
    }
}

/// Accepts a string and parses it.
struct DurationVisitor;

impl Visitor<'_> for DurationVisitor {
    type Value = Duration;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an ISO 8601 duration string such as PT1M")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Duration, E> {
        Duration::parse(text).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::json;
    use std::time::Duration as Std;

    fn parse(text: &str) -> Duration {
        Duration::parse(text).unwrap_or_else(|err| panic!("{text}: {err}"))
    }

    fn error(text: &str) -> ParseDurationError {
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
        assert_eq!((month.months(), month.minutes()), (1, 0));
        assert_eq!((minute.months(), minute.minutes()), (0, 1));
        assert!(month.has_calendar_parts());
        assert!(!minute.has_calendar_parts());
        assert_eq!(month.to_std(), None);
        assert_eq!(minute.to_std(), Some(Std::from_secs(60)));
        assert_eq!(parse("P1Y").to_std(), None);
    }

    #[test]
    fn timespan_max_value_round_trips() {
        let text = "P10675199DT2H48M5.4775807S";
        let max = parse(text);
        assert_eq!(max.as_str(), text);
        assert_eq!(max.to_string(), text);
        assert_eq!(max.days(), 10_675_199);
        assert_eq!((max.hours(), max.minutes(), max.seconds()), (2, 48, 5));
        assert_eq!(max.subsec_nanos(), 477_580_700);
        assert_eq!(max.seconds_text(), Some("5.4775807"));
        let expected = Std::from_secs(10_675_199 * 86_400 + 2 * 3_600 + 48 * 60 + 5)
            + Std::from_nanos(477_580_700);
        assert_eq!(max.to_std(), Some(expected));
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
        assert_eq!(parse("PT60M").to_std(), parse("PT1H").to_std());
    }

    #[test]
    fn negative_and_components() {
        let minus_day = parse("-P1D");
        assert!(minus_day.is_negative());
        assert_eq!(minus_day.days(), 1);
        assert_eq!(minus_day.to_std(), None);
        assert_eq!(parse("-PT0S").to_std(), Some(Std::ZERO));
        let all = parse("P1Y2M3W4DT5H6M7.000000000001S");
        assert_eq!(
            (all.years(), all.months(), all.weeks(), all.days()),
            (1, 2, 3, 4)
        );
        assert_eq!((all.hours(), all.minutes(), all.seconds()), (5, 6, 7));
        assert_eq!(all.subsec_nanos(), 0);
        assert_eq!(parse("P2W").to_std(), Some(Std::from_secs(14 * 86_400)));
        assert_eq!(
            parse("PT1.1234567891234S").to_std(),
            Some(Std::new(1, 123_456_789))
        );
        assert_eq!(parse("PT0.5S").to_std(), Some(Std::from_millis(500)));
        assert_eq!(parse("PT40M").seconds_text(), None);
        assert_eq!(
            parse("P213503982334601DT1S").to_std(),
            Some(Std::from_secs(213_503_982_334_601 * 86_400 + 1))
        );
        assert_eq!(parse("P213503982334602D").to_std(), None);
        assert_eq!(
            parse("PT18446744073709551615S").to_std(),
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
            assert_eq!(parse(text).to_std(), Some(std));
            assert_eq!(duration.to_std(), Some(std));
            let reparsed = parse(duration.as_str());
            assert_eq!(reparsed.seconds_text(), duration.seconds_text());
            assert_eq!(reparsed.days(), duration.days());
        }
        assert_eq!(Duration::default().as_str(), "PT0S");
        assert_eq!(Duration::default().seconds_text(), Some("0"));
        let max = Duration::from_std(Std::MAX);
        assert_eq!(parse(max.as_str()).to_std(), Some(Std::MAX));
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
        for (text, offset, reason) in cases {
            let err = error(text);
            assert_eq!(err.offset(), offset, "{text}: {err}");
            assert!(err.to_string().contains(reason), "{text}: {err}");
            assert!(
                err.to_string().contains(&format!("character {offset}")),
                "{err}"
            );
        }
    }

    #[test]
    fn json_errors_name_the_problem() {
        let err = json::from_str::<Duration>("\"P1H\"").unwrap_err();
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
}
