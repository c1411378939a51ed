//! The floor of reading a CSDL, as a whole process: read the file, run a plain
//! quick-xml event loop over it and decode every attribute (the scan of
//! `benches/read_csdl.rs`), print a checksum. `tests/scripts/perf-wholeprocess.sh` times
//! the generator's `update`, `cargo run` and `--check` against it.
//!
//! `cargo run --release -p msgraph-sync-generator --example scan_csdl -- FILE`
#![forbid(unsafe_code)]

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: scan_csdl FILE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("cannot read {}: {err}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    match scan(&bytes) {
        Ok((events, attributes)) => {
            println!("{events} events, {attributes} attribute bytes");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{}: {err}", path.to_string_lossy());
            ExitCode::from(2)
        }
    }
}

/// Every event, every attribute decoded and normalized: (events, attribute bytes).
fn scan(bytes: &[u8]) -> Result<(usize, usize), String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|err| err.to_string())?;
    let mut reader = Reader::from_str(text);
    let (mut events, mut attribute_bytes) = (0, 0);
    loop {
        let event = reader
            .read_event()
            .map_err(|err| format!("at byte {}: {err}", reader.error_position()))?;
        events += 1;
        match event {
            Event::Start(e) | Event::Empty(e) => {
                for attribute in e.attributes() {
                    let attribute = attribute.map_err(|err| err.to_string())?;
                    let value = attribute
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map_err(|err| err.to_string())?;
                    attribute_bytes += attribute.key.0.len() + value.len();
                }
            }
            Event::Eof => return Ok((events, attribute_bytes)),
            _ => {}
        }
    }
}
