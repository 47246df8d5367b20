//! Micro-harness for the per-packet hot path: where does the time go?
//!
//! Generates a capture in memory, then times, over the same bytes:
//!
//! | job           | what it does                                                        |
//! |---------------|---------------------------------------------------------------------|
//! | `parse-crc`   | `Parser::packets` with CRC verification, reading every header field |
//! | `parse-nocrc` | the same without CRC                                                |
//! | `collect`     | `Parser::packets` (CRC on) collected into a `Vec<Packet>`           |
//! | `crc-whole`   | `crc32fast::hash` over the whole buffer in one call (the ceiling)   |
//! | `crc-each`    | `crc32fast::hash` of each payload, nothing else (payload ranges are |
//! |               | found before the clock starts)                                      |
//! | `crc-hasher`  | the same with one reused `crc32fast::Hasher` (no per-call CPU       |
//! |               | feature detection)                                                  |
//!
//! `parse-crc` minus `crc-each` is the cost of framing and validation;
//! `crc-each` against `crc-whole` is the cost of hashing in per-packet calls.
//!
//! `hotpath crc-sizes` instead hashes a 1 MiB buffer (cache-resident) in
//! calls of 16 B to 1 MiB, to show crc32fast's per-call cost by size.
//!
//! ```text
//! cargo run --release -p zcpkt --example hotpath -- [small|seed|large|mixed] [MIB] [REPS] [JOB]
//! # defaults: small 64 7, all jobs. Instruction counts (repeatable on a noisy machine):
//! valgrind --tool=callgrind target/release/examples/hotpath small 8 1 parse-crc
//! ```

use std::hint::black_box;
use std::ops::Range;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use zcpkt::generate::{generate_to_vec, GenConfig, Limit, Profile};
use zcpkt::{Packet, Parser};

const JOBS: [&str; 6] =
    ["parse-crc", "parse-nocrc", "collect", "crc-whole", "crc-each", "crc-hasher"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("crc-sizes") {
        crc_sizes();
        return ExitCode::SUCCESS;
    }
    let arg = |i: usize| args.get(i).map(String::as_str);
    let profile = match arg(0).unwrap_or("small").parse::<Profile>() {
        Ok(profile) => profile,
        Err(e) => return usage(&e.to_string()),
    };
    let (Ok(mib), Ok(reps)) =
        (arg(1).unwrap_or("64").parse::<u64>(), arg(2).unwrap_or("7").parse::<usize>())
    else {
        return usage("MIB and REPS are numbers");
    };
    let jobs: Vec<&str> = match arg(3) {
        None => JOBS.to_vec(),
        Some(job) if JOBS.contains(&job) => vec![job],
        Some(job) => return usage(&format!("unknown job {job:?}")),
    };

    let config = GenConfig { profile, seed: 1, limit: Limit::Bytes(mib << 20) };
    let bytes = generate_to_vec(&config);
    let payloads: Vec<Range<usize>> = Parser::new()
        .verify_checksum(false)
        .packets(&bytes)
        .filter_map(Result::ok)
        .map(|p| {
            let start = p.offset as usize + usize::from(p.header_len);
            start..start + p.payload.len()
        })
        .collect();
    let packets = payloads.len() as f64;
    let payload_bytes: usize = payloads.iter().map(ExactSizeIterator::len).sum();
    println!(
        "{profile}: {} packets, {:.1} MiB, mean packet {:.0} B, mean payload {:.0} B, \
         size_of::<Packet>() = {} B, {reps} reps",
        payloads.len(),
        bytes.len() as f64 / f64::from(1 << 20),
        bytes.len() as f64 / packets,
        payload_bytes as f64 / packets,
        std::mem::size_of::<Packet<'_>>(),
    );
    println!(
        "{:<12} {:>10} {:>10} {:>9} {:>9} {:>8}",
        "job", "best ms", "median ms", "Mpkt/s", "GB/s", "ns/pkt"
    );

    for job in jobs {
        let mut times: Vec<Duration> = (0..reps.max(1))
            .map(|_| {
                let start = Instant::now();
                black_box(run(job, &bytes, &payloads));
                start.elapsed()
            })
            .collect();
        times.sort();
        let best = times[0].as_secs_f64();
        let median = times[times.len() / 2].as_secs_f64();
        println!(
            "{job:<12} {:>10.2} {:>10.2} {:>9.2} {:>9.2} {:>8.1}",
            best * 1e3,
            median * 1e3,
            packets / best / 1e6,
            bytes.len() as f64 / best / 1e9,
            best * 1e9 / packets,
        );
    }
    ExitCode::SUCCESS
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("hotpath: {problem}");
    eprintln!("usage: hotpath [small|seed|large|mixed] [MIB] [REPS] [{}]", JOBS.join("|"));
    ExitCode::from(2)
}

/// One timed pass of `job`; the result folds what was read so nothing is
/// optimised away.
#[inline(never)]
fn run(job: &str, bytes: &[u8], payloads: &[Range<usize>]) -> u64 {
    match job {
        "parse-crc" => visit(Parser::new(), bytes),
        "parse-nocrc" => visit(Parser::new().verify_checksum(false), bytes),
        "collect" => {
            let packets: Vec<Packet<'_>> =
                Parser::new().packets(bytes).filter_map(Result::ok).collect();
            packets.iter().fold(packets.len() as u64, |acc, p| acc.wrapping_add(digest(p)))
        }
        "crc-whole" => u64::from(crc32fast::hash(bytes)),
        "crc-each" => payloads
            .iter()
            .fold(0, |acc, r| acc.wrapping_add(u64::from(crc32fast::hash(&bytes[r.clone()])))),
        "crc-hasher" => {
            let mut hasher = crc32fast::Hasher::new();
            payloads.iter().fold(0, |acc, r| {
                hasher.reset();
                hasher.update(&bytes[r.clone()]);
                acc.wrapping_add(u64::from(hasher.clone().finalize()))
            })
        }
        _ => unreachable!("jobs are checked in main"),
    }
}

/// Parses every packet and reads its header fields, like `zcpkt bench`.
fn visit(parser: Parser, bytes: &[u8]) -> u64 {
    parser.packets(bytes).fold(0, |acc, packet| match packet {
        Ok(p) => acc.wrapping_add(digest(&p)),
        Err(_) => acc.wrapping_add(1 << 32),
    })
}

#[inline]
fn digest(p: &Packet<'_>) -> u64 {
    let ids = p.source_id.len() + p.dest_id.len();
    p.timestamp ^ (p.payload.len() + ids) as u64 ^ u64::from(p.flags.bits())
}

/// crc32fast's throughput by call size over a cache-resident buffer: with
/// `hash` (CPU feature detection on every call), with a reused `Hasher`, and
/// with the calls starting 3 bytes off a 16-byte boundary.
fn crc_sizes() {
    const BUFFER: usize = 1 << 20;
    let bytes: Vec<u8> = (0..BUFFER + 64).map(|i| (i * 131 % 251) as u8).collect();
    println!(
        "{:>8} {:>12} {:>12} {:>12} {:>10}",
        "call B", "hash GB/s", "hasher GB/s", "+3 GB/s", "ns/call"
    );
    for size in [16, 64, 127, 128, 136, 256, 512, 1024, 2047, 2048, 4096, 16384, 65536, BUFFER] {
        let time = |offset: usize, reuse: bool| {
            let data = &bytes[offset..offset + BUFFER];
            let mut hasher = crc32fast::Hasher::new();
            (0..15)
                .map(|_| {
                    let start = Instant::now();
                    let fold = data.chunks(size).fold(0u32, |acc, chunk| {
                        let crc = if reuse {
                            hasher.reset();
                            hasher.update(chunk);
                            hasher.clone().finalize()
                        } else {
                            crc32fast::hash(chunk)
                        };
                        acc ^ crc
                    });
                    black_box(fold);
                    start.elapsed().as_secs_f64()
                })
                .fold(f64::INFINITY, f64::min)
        };
        let (hash, hasher, unaligned) = (time(0, false), time(0, true), time(3, false));
        let calls = BUFFER.div_ceil(size) as f64;
        println!(
            "{size:>8} {:>12.2} {:>12.2} {:>12.2} {:>10.1}",
            BUFFER as f64 / hash / 1e9,
            BUFFER as f64 / hasher / 1e9,
            BUFFER as f64 / unaligned / 1e9,
            hash * 1e9 / calls,
        );
    }
}
