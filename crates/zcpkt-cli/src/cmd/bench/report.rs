//! Rows of `zcpkt bench`: medians of a job's runs, ratios, table and JSON.

use std::io::Write;

use super::jobs::Job;
use super::page_cache::PageCache;
use super::BenchResult;

/// One worker run, as the worker printed it.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    nanos: u64,
    packets: u64,
    errors: u64,
    allocs: u64,
    alloc_bytes: u64,
    peak_rss_kib: u64,
    page_faults: u64,
}

impl Sample {
    /// Parses the worker's JSON line.
    pub fn parse(stdout: &[u8]) -> BenchResult<Self> {
        let value: serde_json::Value = serde_json::from_slice(stdout)?;
        let field = |name: &str| {
            value.get(name).and_then(serde_json::Value::as_u64).ok_or_else(|| {
                format!("bench worker printed no {name}: {}", String::from_utf8_lossy(stdout))
            })
        };
        Ok(Self {
            nanos: field("nanos")?,
            packets: field("packets")?,
            errors: field("errors")?,
            allocs: field("allocs")?,
            alloc_bytes: field("alloc_bytes")?,
            peak_rss_kib: field("peak_rss_kib")?,
            page_faults: field("page_faults")?,
        })
    }
}

/// A job's result on one capture.
#[derive(Clone, Debug)]
pub struct Row {
    input: String,
    job: Job,
    crc: bool,
    input_bytes: u64,
    seconds: f64,
    packets: u64,
    errors: u64,
    allocs: u64,
    alloc_bytes: u64,
    peak_rss_kib: u64,
    page_faults: u64,
    vs_baseline: Option<f64>,
    vs_crc: Option<f64>,
}

fn median(mut values: Vec<u64>) -> u64 {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or(0)
}

impl Row {
    /// The median of `samples` of `job` on `input`.
    pub fn from_samples(
        input: &str,
        job: Job,
        crc: bool,
        input_bytes: u64,
        samples: &[Sample],
    ) -> Row {
        let pick = |f: fn(&Sample) -> u64| median(samples.iter().map(f).collect());
        Row {
            input: input.to_string(),
            job,
            crc,
            input_bytes,
            seconds: pick(|s| s.nanos) as f64 / 1e9,
            packets: pick(|s| s.packets),
            errors: pick(|s| s.errors),
            allocs: pick(|s| s.allocs),
            alloc_bytes: pick(|s| s.alloc_bytes),
            peak_rss_kib: pick(|s| s.peak_rss_kib),
            page_faults: pick(|s| s.page_faults),
            vs_baseline: None,
            vs_crc: None,
        }
    }

    fn gb_per_s(&self) -> f64 {
        self.input_bytes as f64 / self.seconds.max(1e-9) / 1e9
    }

    fn mpkt_per_s(&self) -> f64 {
        self.packets as f64 / self.seconds.max(1e-9) / 1e6
    }
}

/// Fills in each row's ratios against its baseline and the 1-core CRC ceiling.
fn add_ratios(rows: &mut [Row]) {
    let snapshot = rows.to_vec();
    for row in rows.iter_mut() {
        let same_input = |job: Job, crc: bool| {
            snapshot.iter().find(|r| r.input == row.input && r.job == job && r.crc == crc)
        };
        if let Some(base) = row.job.baseline().and_then(|job| same_input(job, row.crc)) {
            row.vs_baseline = Some(base.seconds / row.seconds.max(1e-9));
        }
        if let Some(ceiling) = same_input(Job::Crc1, true) {
            row.vs_crc = Some(row.gb_per_s() / ceiling.gb_per_s().max(1e-9));
        }
    }
}

/// Prints the rows as a table (or JSON Lines) on standard output.
pub fn print(rows: &[Row], json: bool, threads: usize, page_cache: PageCache) -> BenchResult<()> {
    let mut rows = rows.to_vec();
    add_ratios(&mut rows);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        for row in &rows {
            writeln!(out, "{}", row_json(row, threads, page_cache))?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "{:<13} {:<28} {:>3} {:>8} {:>7} {:>8} {:>9} {:>9} {:>8} {:>8} {:>9} {:>7}",
        "input",
        "job",
        "crc",
        "seconds",
        "GB/s",
        "Mpkt/s",
        "allocs",
        "alloc MB",
        "RSS MB",
        "faults",
        "vs base",
        "vs crc"
    )?;
    for row in &rows {
        let ratio =
            |r: Option<f64>, suffix: &str| r.map_or("-".into(), |v| format!("{v:.2}{suffix}"));
        writeln!(
            out,
            "{:<13} {:<28} {:>3} {:>8.3} {:>7.2} {:>8.2} {:>9} {:>9.1} {:>8.1} {:>8} {:>9} {:>7}",
            row.input,
            row.job.name(),
            if row.crc { "on" } else { "off" },
            row.seconds,
            row.gb_per_s(),
            row.mpkt_per_s(),
            row.allocs,
            row.alloc_bytes as f64 / 1e6,
            row.peak_rss_kib as f64 / 1024.0,
            row.page_faults,
            ratio(row.vs_baseline, "x"),
            ratio(row.vs_crc.map(|v| v * 100.0), "%"),
        )?;
    }
    writeln!(
        out,
        "\n{threads} threads for all-cores jobs; medians of fresh-process runs; files in the page cache ({}). \
         'faults' = page faults during the job; \
         'vs base' = baseline seconds / job seconds (same job, same CRC setting); \
         'vs crc' = job GB/s / one-core CRC-32 GB/s.",
        match page_cache {
            PageCache::Reread => "evicted, then read back once, as after reading from disk",
            PageCache::Keep => "as found",
        }
    )?;
    Ok(())
}

fn row_json(row: &Row, threads: usize, page_cache: PageCache) -> serde_json::Value {
    serde_json::json!({
        "input": row.input,
        "job": row.job.cli_name(),
        "crc": row.crc,
        "input_bytes": row.input_bytes,
        "seconds": row.seconds,
        "gb_per_s": row.gb_per_s(),
        "packets": row.packets,
        "mpkt_per_s": row.mpkt_per_s(),
        "errors": row.errors,
        "allocs": row.allocs,
        "alloc_bytes": row.alloc_bytes,
        "peak_rss_kib": row.peak_rss_kib,
        "page_faults": row.page_faults,
        "vs_baseline": row.vs_baseline,
        "vs_crc": row.vs_crc,
        "threads": threads,
        "page_cache": page_cache.name(),
    })
}
