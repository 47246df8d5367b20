//! `zcpkt gen` and `zcpkt bench`: what they write and report, not how fast.

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use zcpkt::generate::{generate_to_vec, GenConfig, Limit, Profile};
use zcpkt::Parser;

fn zcpkt() -> Command {
    Command::cargo_bin("zcpkt").unwrap()
}

/// Runs one bench job in a worker process and returns its JSON line.
fn worker(job: &str, file: &Path, crc: bool) -> serde_json::Value {
    let mut cmd = zcpkt();
    cmd.args(["bench-worker", job]).arg(file).args(["--threads", "2"]);
    if !crc {
        cmd.arg("--no-crc");
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{job}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Runs `zcpkt bench ... --json` and returns its rows.
fn bench_rows(cmd: &mut Command) -> Vec<serde_json::Value> {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    rows
}

fn field(row: &serde_json::Value, name: &str) -> u64 {
    row[name].as_u64().unwrap_or_else(|| panic!("no {name} in {row}"))
}

#[test]
fn gen_writes_the_library_generators_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seed.pkt");
    let status = zcpkt()
        .args(["gen"])
        .arg(&out)
        .args(["--profile", "seed", "--packets", "300", "--seed", "7"])
        .status()
        .unwrap();
    assert!(status.success());
    let config = GenConfig { profile: Profile::Seed, seed: 7, limit: Limit::Packets(300) };
    assert_eq!(std::fs::read(&out).unwrap(), generate_to_vec(&config));
}

#[test]
fn every_job_sees_every_packet_and_zero_copy_jobs_do_not_allocate_per_packet() {
    let dir = tempfile::tempdir().unwrap();
    let mut allocs_by_size = Vec::new();
    for (name, packets) in [("x1.pkt", 2_000u64), ("x10.pkt", 20_000)] {
        let file = dir.path().join(name);
        let config = GenConfig { profile: Profile::Small, seed: 3, limit: Limit::Packets(packets) };
        let bytes = generate_to_vec(&config);
        assert_eq!(Parser::new().packets(&bytes).filter(Result::is_ok).count() as u64, packets);
        std::fs::write(&file, bytes).unwrap();

        let mut allocs = Vec::new();
        for job in [
            "slice",
            "mmap",
            "mmap-whole",
            "stream",
            "parallel",
            "parallel-slice",
            "collect",
            "baseline-stream",
            "baseline-collect",
        ] {
            for crc in [true, false] {
                let row = worker(job, &file, crc);
                assert_eq!(field(&row, "packets"), packets, "{job} crc={crc}");
                assert_eq!(field(&row, "errors"), 0, "{job} crc={crc}");
                allocs.push((job, crc, field(&row, "allocs")));
                // The map's pages come in by faults during the job.
                if job.starts_with("mmap") {
                    assert!(field(&row, "page_faults") >= 1, "{job}: {row}");
                }
            }
        }
        allocs_by_size.push(allocs);
    }
    let (small, large) = (&allocs_by_size[0], &allocs_by_size[1]);
    for ((job, crc, a1), (_, _, a10)) in small.iter().zip(large) {
        match *job {
            // Whole-slice, map and stream paths: a fixed setup count, not per packet.
            "slice" | "mmap" | "mmap-whole" | "stream" => {
                assert_eq!(a1, a10, "{job} crc={crc}: allocations grew with the input");
                assert!(*a1 <= 1, "{job} crc={crc}: {a1} allocations");
            }
            // Starting a thread pool (its count varies a little with thread
            // timing) and a fixed ring of chunk slots: a few dozen, whatever
            // the size. tests/parallel_alloc.rs pins the parser's own count.
            "parallel" | "parallel-slice" => {
                assert!(*a1 <= 64 && *a10 <= 64, "{job} crc={crc}: {a1} / {a10}")
            }
            // The baseline copies every packet: at least one allocation each.
            "baseline-stream" | "baseline-collect" => assert!(*a10 >= 20_000, "{job}: {a10}"),
            _ => {}
        }
    }
}

#[test]
fn bench_on_a_given_file_reports_every_job_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.pkt");
    let config = GenConfig { profile: Profile::Seed, seed: 1, limit: Limit::Packets(500) };
    std::fs::write(&file, generate_to_vec(&config)).unwrap();
    let rows = bench_rows(zcpkt().arg("bench").arg(&file).args(["--runs", "1", "--json"]));
    // 9 parsing jobs with and without CRC, recovery, then 5 ceilings.
    assert_eq!(rows.len(), 24);
    for row in &rows {
        assert_eq!(row["input"], "in.pkt");
        // A given file is measured as found in the page cache.
        assert_eq!(row["page_cache"], "keep");
        let job = row["job"].as_str().unwrap();
        if !job.starts_with("crc") && job != "read" {
            assert_eq!(field(row, "packets"), 500, "{job}");
        }
        let has_baseline = matches!(
            job,
            "slice" | "mmap" | "mmap-whole" | "stream" | "parallel" | "parallel-slice" | "collect"
        );
        assert_eq!(row["vs_baseline"].is_f64(), has_baseline, "{job}");
    }
}

#[test]
fn bench_generates_and_removes_its_inputs_including_hostile_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = bench_rows(
        zcpkt()
            .args(["bench", "--size", "256KiB", "--runs", "1", "--profile", "seed", "--json"])
            .env("TMPDIR", tmp.path()),
    );
    let labels: Vec<&str> = rows.iter().map(|r| r["input"].as_str().unwrap()).collect();
    assert_eq!(labels.iter().filter(|l| **l == "seed").count(), 24);
    // Generated captures are evicted and read back before they are measured.
    assert!(rows.iter().all(|r| r["page_cache"] == "reread"), "{rows:?}");
    // Recovery through hostile files: one error, then everything skipped.
    for hostile in ["hostile-magic", "hostile-crc"] {
        let row = rows.iter().find(|r| r["input"] == hostile).expect(hostile);
        assert_eq!(row["job"], "recover");
        assert_eq!(field(row, "packets"), 0, "{hostile}");
        assert_eq!(field(row, "errors"), 1, "{hostile}");
        assert_eq!(field(row, "input_bytes"), 64 << 10, "{hostile}");
    }
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "temporary inputs left behind");
}

#[test]
fn bench_of_tiny_generated_captures_runs() {
    // --size 100: hostile files of 25 bytes, under one 32-byte stride of
    // the late-CRC kind (which panicked with a capacity overflow).
    let tmp = tempfile::tempdir().unwrap();
    let rows = bench_rows(
        zcpkt()
            .args(["bench", "--size", "100", "--runs", "1", "--profile", "small", "--json"])
            .env("TMPDIR", tmp.path()),
    );
    for hostile in ["hostile-magic", "hostile-crc"] {
        let row = rows.iter().find(|r| r["input"] == hostile).expect(hostile);
        assert_eq!(field(row, "input_bytes"), 25, "{hostile}");
        assert_eq!(field(row, "packets"), 0, "{hostile}");
    }
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "temporary inputs left behind");
}

#[test]
fn bench_rereads_a_given_file_on_request_and_leaves_it_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.pkt");
    let config = GenConfig { profile: Profile::Small, seed: 2, limit: Limit::Packets(300) };
    let bytes = generate_to_vec(&config);
    std::fs::write(&file, &bytes).unwrap();
    let rows = bench_rows(zcpkt().arg("bench").arg(&file).args([
        "--runs",
        "1",
        "--json",
        "--page-cache",
        "reread",
    ]));
    assert_eq!(rows.len(), 24);
    assert!(rows.iter().all(|r| r["page_cache"] == "reread"), "{rows:?}");
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
}
