//! `zcpkt bench`: zcpkt against the copying baseline and the machine's
//! ceilings, on the same bytes, in one run, each job in a fresh process.
//!
//! The driver writes (or takes) the capture files, then runs every job of
//! [`jobs::Job`] as `zcpkt bench-worker JOB FILE` several times: a fresh
//! process per run gives each job a cold heap and its own peak RSS, as a
//! user's run of a tool would have. The table reports medians.

mod hostile;
mod jobs;
mod page_cache;
mod report;
mod worker;

use std::path::{Path, PathBuf};
use std::process::Command;

use indicatif::{ProgressBar, ProgressStyle};
use zcpkt::generate::{GenConfig, Limit, Profile};

use crate::error::{CliError, Outcome};

pub use jobs::Job;
pub use worker::WorkerArgs;

use hostile::Hostile;
use page_cache::PageCache;
use report::{Row, Sample};

/// Errors of the benchmark driver, shown as one line.
pub type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Measure zcpkt against the copying baseline and the machine's limits.
///
/// Runs every job (zcpkt over a slice, mmap, stream, all cores, collecting;
/// the copying baseline streaming and collecting; each with and without CRC;
/// then the CRC-32 and read ceilings) on the same capture, each run in a
/// fresh process, and prints medians. Generated captures are first evicted
/// from the page cache and read back once, as a capture read from disk is
/// cached (`--page-cache`). Without FILE it generates one capture
/// per profile (small, seed, large) in the temporary directory and removes
/// them afterwards.
///
/// JSON rows (--json), one object per line: input, job, crc, input_bytes,
/// seconds, gb_per_s, packets, mpkt_per_s, errors, allocs, alloc_bytes,
/// peak_rss_kib, page_faults (during the job), vs_baseline (baseline
/// seconds / job seconds, same job and CRC setting, or null), vs_crc (job
/// GB/s / one-core CRC-32 GB/s), threads, page_cache (`reread` or `keep`).
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// A capture to measure; without it, captures are generated (one per profile).
    pub file: Option<PathBuf>,
    /// Size of each generated capture (e.g. 64MiB, 1GiB).
    #[arg(long, value_parser = crate::units::parse_size)]
    pub size: Option<u64>,
    /// Profiles to generate (repeatable); default: small, seed and large.
    #[arg(long = "profile", value_parser = crate::cmd::gen::parse_profile)]
    pub profiles: Vec<Profile>,
    /// The full set behind the README's targets: 1 GiB per profile.
    #[arg(long)]
    pub full: bool,
    /// Runs per job; the table shows the median.
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Worker threads for the all-cores jobs (default: all cores; 1 to 1024).
    #[arg(long, value_parser = crate::input::parse_threads)]
    pub threads: Option<usize>,
    /// Seed of the generated captures.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The page-cache state to measure in: `reread` evicts each input and
    /// reads it back once (cached as after reading from disk: large folios,
    /// cheap to map), `keep` leaves it as it is. Default: `reread` for the
    /// generated captures, `keep` for a FILE.
    #[arg(long, value_enum)]
    pub page_cache: Option<PageCache>,
    /// Print the rows as JSON Lines instead of a table.
    #[arg(long)]
    pub json: bool,
}

const DEFAULT_SIZE: u64 = 256 << 20;
const FULL_SIZE: u64 = 1 << 30;

/// Runs the benchmark and prints its table (or JSON rows).
pub fn run(args: &BenchArgs) -> Result<Outcome, CliError> {
    drive(args).map_err(|e| CliError::Message(e.to_string()))?;
    Ok(Outcome::Clean)
}

/// The hidden `bench-worker` command.
pub fn run_worker(args: &WorkerArgs) -> Result<Outcome, CliError> {
    worker::run(args).map_err(|e| CliError::Message(e.to_string()))?;
    Ok(Outcome::Clean)
}

fn drive(args: &BenchArgs) -> BenchResult<()> {
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map(std::num::NonZeroUsize::get).unwrap_or(1)
    });
    let inputs = inputs(args)?;
    let default_state = if args.file.is_some() { PageCache::Keep } else { PageCache::Reread };
    let page_cache = args.page_cache.unwrap_or(default_state);
    let mut rows = Vec::new();
    for input in &inputs {
        page_cache
            .prepare(&input.path)
            .map_err(|e| format!("cannot prepare {}: {e}", input.path.display()))?;
        rows.extend(measure(&input.label, &input.path, &input.plan, args.runs.max(1), threads)?);
    }
    report::print(&rows, args.json, threads, page_cache)?;
    Ok(())
}

/// A capture to measure and the label its rows get.
struct Input {
    label: String,
    path: PathBuf,
    plan: Vec<(Job, bool)>,
    _temp: Option<TempCapture>,
}

/// Every parsing job with and without CRC, the recovery job, the ceilings.
fn full_plan() -> Vec<(Job, bool)> {
    Job::PARSERS
        .iter()
        .flat_map(|&job| [(job, true), (job, false)])
        .chain([(Job::Recover, true)])
        .chain(Job::CEILINGS.iter().map(|&job| (job, true)))
        .collect()
}

/// A generated capture, removed when dropped.
struct TempCapture(PathBuf);

impl Drop for TempCapture {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn inputs(args: &BenchArgs) -> BenchResult<Vec<Input>> {
    if let Some(file) = &args.file {
        let label = file.file_name().map_or("input".into(), |n| n.to_string_lossy().into_owned());
        return Ok(vec![Input { label, path: file.clone(), plan: full_plan(), _temp: None }]);
    }
    let size = args.size.unwrap_or(if args.full { FULL_SIZE } else { DEFAULT_SIZE });
    let profiles = if args.profiles.is_empty() {
        vec![Profile::Small, Profile::Seed, Profile::Large]
    } else {
        args.profiles.clone()
    };
    let captures = profiles.into_iter().map(|profile| {
        let path = std::env::temp_dir().join(format!(
            "zcpkt-bench-{}-{}-{}.pkt",
            std::process::id(),
            profile.name(),
            size
        ));
        let config = GenConfig { profile, seed: args.seed, limit: Limit::Bytes(size) };
        crate::cmd::gen::gen_to_file(&config, Some(size), &path)
            .map_err(|e| format!("cannot generate {}: {e:?}", path.display()))?;
        Ok(Input {
            label: profile.name().into(),
            path: path.clone(),
            plan: full_plan(),
            _temp: Some(TempCapture(path)),
        })
    });
    // Hostile files a quarter the size (256 MiB with --full): recovery
    // through them, next to recovery over the valid captures above.
    let hostile = Hostile::ALL.into_iter().map(|kind| {
        let path = std::env::temp_dir().join(format!(
            "zcpkt-bench-{}-{}.pkt",
            std::process::id(),
            kind.label()
        ));
        kind.write(size / 4, &path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(Input {
            label: kind.label().into(),
            path: path.clone(),
            plan: vec![(Job::Recover, true)],
            _temp: Some(TempCapture(path)),
        })
    });
    captures.chain(hostile).collect()
}

/// Every job on one capture, `runs` times each, in fresh processes.
fn measure(
    label: &str,
    path: &Path,
    plan: &[(Job, bool)],
    runs: usize,
    threads: usize,
) -> BenchResult<Vec<Row>> {
    let bytes = std::fs::metadata(path)?.len();
    let progress = ProgressBar::new((plan.len() * runs) as u64).with_style(
        ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} jobs, {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    progress.set_message(label.to_string());
    let mut rows = Vec::new();
    for &(job, crc) in plan {
        let mut samples = Vec::with_capacity(runs);
        for _ in 0..runs {
            samples.push(spawn_worker(job, path, crc, threads)?);
            progress.inc(1);
        }
        rows.push(Row::from_samples(label, job, crc, bytes, &samples));
    }
    progress.finish_and_clear();
    Ok(rows)
}

fn spawn_worker(job: Job, path: &Path, crc: bool, threads: usize) -> BenchResult<Sample> {
    let exe = std::env::current_exe()?;
    let mut cmd = Command::new(exe);
    cmd.arg("bench-worker").arg(job.cli_name()).arg(path).arg("--threads").arg(threads.to_string());
    if !crc {
        cmd.arg("--no-crc");
    }
    let output = cmd.output()?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let (name, status) = (job.name(), output.status);
        return Err(format!("bench worker {name} failed ({status}): {}", stderr.trim()).into());
    }
    Sample::parse(&output.stdout)
}
