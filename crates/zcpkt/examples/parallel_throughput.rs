//! Sequential vs parallel throughput, CRC on, over an in-memory capture.
//!
//! ```text
//! cargo run --release --features parallel --example parallel_throughput -- [MIB] [THREADS] [CHUNK_KIB] [RUNS] [ONLY]
//! ```
//!
//! Each line gives the best of `RUNS` runs (default 3): wall-clock MB/s,
//! its speed-up over sequential, and the CPU time the process's threads
//! used (from `/proc/self/task/*/schedstat`, on Linux) relative to
//! sequential's: on a loaded
//! machine the wall clock says little, but CPU time near 1.00 means the
//! parallel version does no more work than the sequential one. The `crc`
//! lines are the ceiling: `crc32fast` alone over the capture, on one
//! thread and split in `THREADS` parts on a pool of as many threads (memory
//! bandwidth permitting, the best parallel parsing can do). `ONLY` runs one
//! of `seq`, `fold`, `ordered`, `crc` (for profilers).

use std::time::Instant;

use zcpkt::parallel::ParallelParser;
use zcpkt::{NewPacket, Parser, Record};

fn main() {
    let mut args = std::env::args().skip(1);
    let mib: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let threads: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    let chunk_kib: Option<usize> = args.next().and_then(|a| a.parse().ok());
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3).max(1);
    let only = args.next();
    let capture = capture(mib << 20);
    let parser = Parser::new();
    let mut parallel = ParallelParser::new(parser).threads(threads).expect("thread pool");
    if let Some(kib) = chunk_kib {
        parallel = parallel.chunk_size(kib << 10);
    }
    let threads = if threads == 0 { rayon_threads() } else { threads };
    let megabytes = capture.len() as f64 / 1e6;
    let enabled = |name: &str| only.as_deref().map_or(true, |only| only == name);

    let expected = parser.records(&capture, false).fold(0, count);
    println!("{megabytes:.0} MB, {expected} packets, {threads} threads");
    let mut reference = None;
    let mut report = |name: &str, (secs, cpu): (f64, Option<f64>)| {
        let (ref_secs, ref_cpu) = *reference.get_or_insert((secs, cpu));
        let cpu = match (cpu, ref_cpu) {
            (Some(cpu), Some(ref_cpu)) if ref_cpu > 0.0 => format!("cpu x{:.2}", cpu / ref_cpu),
            _ => String::new(),
        };
        println!("{name:<18}{:7.0} MB/s  x{:.2}  {cpu}", megabytes / secs, ref_secs / secs);
    };
    if enabled("seq") {
        report(
            "sequential",
            best(runs, || parser.records(&capture, false).fold(0, count), expected),
        );
    }
    if enabled("fold") {
        let fold = || parallel.fold(&capture, || 0, count, |a, b| a + b);
        report("parallel fold", best(runs, fold, expected));
    }
    if enabled("ordered") {
        let ordered = || {
            let mut n = 0;
            parallel.records_in_order(&capture, |record| n = count(n, record));
            n
        };
        report("parallel ordered", best(runs, ordered, expected));
    }
    if enabled("crc") {
        let crc = crc32fast::hash(&capture);
        report("crc 1 thread", best(runs, || crc32fast::hash(&capture), crc));
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        let part = capture.len().div_ceil(threads);
        let split = || {
            let parts = pool
                .broadcast(|ctx| capture.chunks(part).nth(ctx.index()).map_or(0, crc32fast::hash));
            parts.into_iter().fold(0, |a, b| a ^ b)
        };
        let parts = split();
        report(&format!("crc {threads} threads"), best(runs, split, parts));
        // The same amount of hashing over 256 KiB that stays in cache: if
        // this does not scale, the process is not getting the cores.
        let cached = &capture[..capture.len().min(256 << 10)];
        let rounds = capture.len() / cached.len().max(1);
        let hash_rounds = |rounds: usize| (0..rounds).fold(0, |x, _| x ^ crc32fast::hash(cached));
        let one = hash_rounds(rounds);
        report("crc cached 1", best(runs, || hash_rounds(rounds), one));
        let per_thread = rounds.div_ceil(threads);
        let all = || pool.broadcast(|_| hash_rounds(per_thread)).len();
        report(&format!("crc cached {threads}"), best(runs, all, threads));
    }
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

fn count(n: u64, record: Record<'_>) -> u64 {
    n + u64::from(matches!(record, Record::Packet(_)))
}

/// The fastest of `runs` runs of `f` (checked against `expected`): wall
/// seconds and, if known, CPU seconds.
fn best<T: PartialEq + std::fmt::Debug>(
    runs: usize,
    f: impl Fn() -> T,
    expected: T,
) -> (f64, Option<f64>) {
    let mut fastest = (f64::INFINITY, None);
    for _ in 0..runs {
        let cpu_before = cpu_seconds();
        let start = Instant::now();
        let result = f();
        let secs = start.elapsed().as_secs_f64();
        let cpu = cpu_before.zip(cpu_seconds()).map(|(before, after)| after - before);
        assert_eq!(result, expected);
        if secs < fastest.0 {
            fastest = (secs, cpu);
        }
    }
    fastest
}

/// CPU time of this process's live threads so far (Linux only): the
/// thread pools persist, so this covers all the work measured.
fn cpu_seconds() -> Option<f64> {
    let mut nanos = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let schedstat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        nanos += schedstat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(nanos as f64 / 1e9)
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
