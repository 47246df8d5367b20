//! `zcpkt bench-worker`: runs one job and prints its measurement as one
//! JSON line for the driver.

use std::path::PathBuf;

use super::jobs::{self, Job};

/// Options of the hidden `bench-worker` command.
#[derive(Debug, clap::Args)]
pub struct WorkerArgs {
    /// The job to run.
    #[arg(value_enum)]
    pub job: Job,
    /// The capture.
    pub file: PathBuf,
    /// Skip CRC verification.
    #[arg(long)]
    pub no_crc: bool,
    /// Threads of the all-cores jobs.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
}

/// Runs the job and prints `{"nanos":…,"packets":…,…}`.
pub fn run(args: &WorkerArgs) -> super::BenchResult<()> {
    let measured = jobs::run(args.job, &args.file, !args.no_crc, args.threads)?;
    let line = serde_json::json!({
        "nanos": measured.elapsed.as_nanos() as u64,
        "packets": measured.tally.packets,
        "errors": measured.tally.errors,
        "digest": measured.tally.digest,
        "allocs": measured.allocs.count,
        "alloc_bytes": measured.allocs.bytes,
        "peak_rss_kib": peak_rss_kib().unwrap_or(0),
        "page_faults": measured.page_faults,
    });
    println!("{line}");
    Ok(())
}

/// The process's peak resident set (VmHWM), as `/usr/bin/time -v` reports it.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
