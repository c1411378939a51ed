//! Reading graph-v1.0.csdl.xml: a plain quick-xml event scan that decodes every
//! attribute (the floor any streaming reader pays) against `csdl::read`, which
//! must stay within 2x of it. Besides divan's timings this prints a table with
//! median times and peak memory; peak memory comes from re-running this binary
//! once per mode (`READ_CSDL_PEAK=baseline|scan|read`) and reading `VmHWM`, so
//! no global allocator (and no unsafe code) is needed.

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const PEAK_ENV: &str = "READ_CSDL_PEAK";

#[path = "../tests/support/mod.rs"]
mod support;

fn csdl_path() -> PathBuf {
    support::shared_metadata().join("graph-v1.0.csdl.xml")
}

fn input() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| std::fs::read(csdl_path()).unwrap_or_default())
}

/// Every event, every attribute decoded; returns a checksum so nothing is optimized away.
fn plain_scan(bytes: &[u8]) -> usize {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return 0;
    };
    let mut reader = Reader::from_str(text);
    let mut sum = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                for attribute in e.attributes().flatten() {
                    if let Ok(value) = attribute.normalized_value(XmlVersion::Implicit1_0) {
                        sum += attribute.key.0.len() + value.len();
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => return sum,
            Ok(_) => sum += 1,
        }
    }
}

fn read_graph(bytes: &[u8]) -> msgraph_sync_generator::csdl::Csdl {
    match msgraph_sync_generator::csdl::read("graph-v1.0.csdl.xml", bytes) {
        Ok(csdl) => csdl,
        Err(error) => panic!("graph-v1.0.csdl.xml does not read: {error}"),
    }
}

#[divan::bench]
fn plain_quick_xml_scan(bencher: divan::Bencher) {
    bencher.bench(|| plain_scan(divan::black_box(input())));
}

#[divan::bench]
fn csdl_read(bencher: divan::Bencher) {
    bencher.bench(|| read_graph(divan::black_box(input())));
}

fn main() {
    if !csdl_path().exists() {
        println!(
            "skipped: ../shared/metadata not found ({})",
            csdl_path().display()
        );
        return;
    }
    if let Ok(mode) = std::env::var(PEAK_ENV) {
        peak_child(&mode);
        return;
    }
    divan::main();
    summary();
}

/// Child mode: do the work once and print the peak resident set in KiB.
fn peak_child(mode: &str) {
    let bytes = input();
    let kept = match mode {
        "scan" => plain_scan(bytes),
        "read" => read_graph(bytes).schemas.len(),
        _ => bytes.len(),
    };
    divan::black_box(kept);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        });
    match hwm {
        Some(kib) => println!("VmHWM_KIB={kib}"),
        None => println!("VmHWM_KIB=unknown"),
    }
}

/// Peak KiB of a child run in `mode`, if the platform reports it.
fn peak_of(mode: &str) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let output = std::process::Command::new(exe)
        .env(PEAK_ENV, mode)
        .output()
        .ok()?;
    let stdout = String::from_utf8(output.stdout).ok()?;
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM_KIB=")?.parse().ok())
}

/// Median wall times of `runs` calls of `first` and `second`, interleaved so
/// both see the same machine load; results are dropped outside the timing.
fn medians<A, B>(
    runs: usize,
    mut first: impl FnMut() -> A,
    mut second: impl FnMut() -> B,
) -> (Duration, Duration) {
    fn timed<T>(work: &mut impl FnMut() -> T) -> Duration {
        let start = Instant::now();
        let out = divan::black_box(work());
        let elapsed = start.elapsed();
        drop(out);
        elapsed
    }
    let (mut a, mut b): (Vec<Duration>, Vec<Duration>) = (0..runs)
        .map(|_| (timed(&mut first), timed(&mut second)))
        .unzip();
    a.sort();
    b.sort();
    (a[runs / 2], b[runs / 2])
}

fn summary() {
    let bytes = input();
    medians(5, || plain_scan(bytes), || read_graph(bytes));
    let (scan, read) = medians(60, || plain_scan(bytes), || read_graph(bytes));
    let baseline = peak_of("baseline");
    let mib = |mode: &str| match (peak_of(mode), baseline) {
        (Some(peak), Some(base)) => format!("{:.1}", peak.saturating_sub(base) as f64 / 1024.0),
        _ => "n/a".to_string(),
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!();
    println!(
        "graph-v1.0.csdl.xml, {} bytes (medians of 60 interleaved runs; peak = VmHWM above a process that only loaded the file)",
        bytes.len()
    );
    println!("{:<22} {:>9} {:>10}", "", "ms", "peak MiB");
    println!(
        "{:<22} {:>9.2} {:>10}",
        "plain_quick_xml_scan",
        ms(scan),
        mib("scan")
    );
    println!("{:<22} {:>9.2} {:>10}", "csdl_read", ms(read), mib("read"));
    println!("ratio read/scan: {:.2}x (budget 2x)", ms(read) / ms(scan));
}
