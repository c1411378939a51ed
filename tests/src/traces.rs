//! Capturing `tracing` output in a test binary, to check what the client logs.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use tracing::Level;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::util::SubscriberInitExt;

/// Everything the subscriber wrote, shared with it.
#[derive(Clone, Debug, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// What was written so far.
    pub fn text(&self) -> String {
        self.0
            .lock()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut buffer) = self.0.lock() {
            buffer.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The process-wide subscriber of this test binary, installed by the first call:
/// events up to `level` and the `spans` events, with targets and fields, written
/// without colour into a buffer; `log` records (reqwest, rustls) are bridged in.
///
/// Process-wide, because a scoped (thread-local) subscriber is not reliable while
/// other tests run in parallel: tracing caches a callsite's interest from the
/// thread that first hits it, so a span could be disabled for good by another
/// test's thread. One binary asks for one setting; another is refused.
pub fn captured(level: Level, spans: FmtSpan) -> &'static Captured {
    static TRACES: OnceLock<(Level, FmtSpan, Captured)> = OnceLock::new();
    let (installed_level, installed_spans, captured) = TRACES.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_max_level(level)
            .with_target(true)
            .with_span_events(spans.clone())
            .finish()
            .try_init()
            .expect("the only subscriber of this test binary");
        (level, spans.clone(), captured)
    });
    assert!(
        *installed_level == level && *installed_spans == spans,
        "this test binary captures traces at {installed_level} with {installed_spans:?} already"
    );
    captured
}
