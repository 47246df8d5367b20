//! Sequential vs parallel throughput, CRC on, over an in-memory capture.
//!
//! ```text
//! cargo run --release --features parallel --example parallel_throughput -- [MIB] [THREADS] [CHUNK_KIB]
//! ```

use std::time::Instant;

use zcpkt::parallel::ParallelParser;
use zcpkt::{NewPacket, Parser, Record};

fn main() {
    let mut args = std::env::args().skip(1);
    let mib: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let threads: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    let chunk_kib: Option<usize> = args.next().and_then(|a| a.parse().ok());
    let capture = capture(mib << 20);
    let parser = Parser::new();
    let mut parallel = ParallelParser::new(parser).threads(threads).expect("thread pool");
    if let Some(kib) = chunk_kib {
        parallel = parallel.chunk_size(kib << 10);
    }
    let megabytes = capture.len() as f64 / 1e6;

    let (sequential, seq_secs) = timed(|| parser.records(&capture, false).fold(0, count));
    let (folded, fold_secs) = timed(|| parallel.fold(&capture, || 0, count, |a, b| a + b));
    let (ordered, ordered_secs) = timed(|| {
        let mut n = 0;
        parallel.records_in_order(&capture, |record| n = count(n, record));
        n
    });
    assert_eq!((folded, ordered), (sequential, sequential));
    println!("{megabytes:.0} MB, {sequential} packets");
    println!("sequential        {:7.0} MB/s", megabytes / seq_secs);
    println!("parallel fold     {:7.0} MB/s  x{:.2}", megabytes / fold_secs, seq_secs / fold_secs);
    println!(
        "parallel ordered  {:7.0} MB/s  x{:.2}",
        megabytes / ordered_secs,
        seq_secs / ordered_secs
    );
}

fn count(n: u64, record: Record<'_>) -> u64 {
    n + u64::from(matches!(record, Record::Packet(_)))
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let result = f();
    (result, start.elapsed().as_secs_f64())
}

/// Packets with payloads of 64 B to 4 KiB (pseudo-random sizes).
fn capture(target: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(target + 8192);
    let payload = vec![0x5Au8; 4096];
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    while out.len() < target {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = 64 + (state % (4096 - 64 + 1)) as usize;
        NewPacket::new("sensor-17", "collector", &payload[..len]).write_to(&mut out).expect("vec");
    }
    out
}
