//! When and how long to wait before trying a request again.
//!
//! Graph throttles with 429 and sheds load with 503/504, usually with a
//! `Retry-After` header. The rules, after Microsoft's throttling guidance:
//!
//! - **429 Too Many Requests** is retried for every method: a throttled request
//!   was not executed, so repeating it cannot apply it twice.
//! - **503 Service Unavailable / 504 Gateway Timeout** and transport failures
//!   (connection refused or reset, per-attempt timeout) are retried only for
//!   idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS). A POST or PATCH may
//!   already have been applied, so it is retried on 503/504 only when the response
//!   carries a valid `Retry-After` (the service explicitly asks for a retry), and
//!   never after a transport failure.
//! - The wait is `Retry-After` when present: delta-seconds or an HTTP-date (a date
//!   in the past means "now"; a malformed value falls back to backoff). Otherwise
//!   exponential backoff with full jitter: a random wait in
//!   `[0, min(max_delay, base_delay * 2^(retry-1))]`.
//! - Attempts stop at `max_attempts`, and as soon as the next wait would end past
//!   `max_total` since the first attempt (a `Retry-After` far in the future gives up
//!   at once with the typed Graph error, which carries `retry_after`).

use reqwest::Method;
use std::time::{Duration, SystemTime};

/// How persistently the client retries throttled and failed requests.
///
/// ```
/// # use msgraph_sync::runtime::retry::RetryPolicy;
/// # use std::time::Duration;
/// let policy = RetryPolicy::default().max_attempts(6).base_delay(Duration::from_millis(200));
/// assert_eq!(policy.max_attempts, 6);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included (1 disables retries). Default 4.
    pub max_attempts: u32,
    /// The first backoff step when the response names no wait. Default 500 ms.
    pub base_delay: Duration,
    /// The largest backoff step (not applied to `Retry-After`). Default 30 s.
    pub max_delay: Duration,
    /// The longest time from the first attempt to the start of the last one.
    /// Default 60 s.
    pub max_total: Duration,
    /// Full jitter on backoff (spreads retries of many clients). Default on.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_total: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// The default policy.
    pub fn new() -> Self {
        RetryPolicy::default()
    }

    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets the number of attempts, the first one included (0 counts as 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Sets the first backoff step.
    #[must_use]
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets the largest backoff step.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets the overall time budget for retries.
    #[must_use]
    pub fn max_total(mut self, total: Duration) -> Self {
        self.max_total = total;
        self
    }

    /// Turns full jitter on or off (off makes waits deterministic, for tests).
    #[must_use]
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The wait before retry number `retry` (1 for the first retry) when the
    /// response gave no `Retry-After`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        let cap = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        if self.jitter {
            let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
            Duration::from_nanos(fastrand::u64(0..=nanos))
        } else {
            cap
        }
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts.max(1)
    }
}

/// GET, HEAD, PUT, DELETE, OPTIONS (and TRACE): repeating them has the effect of
/// sending them once, so they may be retried after a failure of unknown outcome.
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// Whether a response status may be retried for this method (see the module doc).
/// `retry_after` is whether the response carried a valid `Retry-After`.
pub fn is_retryable_status(method: &Method, status: u16, retry_after: bool) -> bool {
    match status {
        429 => true,
        503 | 504 => is_idempotent(method) || retry_after,
        _ => false,
    }
}

/// Parses a `Retry-After` value at time `now`: delta-seconds (`"120"`) or an
/// HTTP-date (`"Wed, 21 Oct 2015 07:28:00 GMT"`). A date in the past is a zero
/// wait; anything else (negative, fractional, garbage) is `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Absurdly long numbers saturate; they exceed any budget anyway.
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        for bad in ["", "-1", "1.5", "soon", "Wed, 99 Foo 2015"] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
        assert!(parse_retry_after("99999999999999999999999", now).is_some());
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350))
            .jitter(false);
        let waits: Vec<u128> = (1..=4).map(|n| policy.backoff(n).as_millis()).collect();
        assert_eq!(waits, [100, 200, 350, 350]);
        let jittered = policy.jitter(true);
        for n in 1..=40 {
            assert!(jittered.backoff(n) <= Duration::from_millis(350));
        }
    }

    #[test]
    fn which_methods_retry() {
        assert!(is_retryable_status(&Method::POST, 429, false));
        assert!(is_retryable_status(&Method::GET, 503, false));
        assert!(is_retryable_status(&Method::PUT, 504, false));
        assert!(!is_retryable_status(&Method::POST, 503, false));
        assert!(!is_retryable_status(&Method::PATCH, 504, false));
        assert!(is_retryable_status(&Method::POST, 503, true));
        assert!(!is_retryable_status(&Method::GET, 500, true));
        assert_eq!(RetryPolicy::none().attempts(), 1);
        assert_eq!(RetryPolicy::none().max_attempts(0).attempts(), 1);
    }
}
