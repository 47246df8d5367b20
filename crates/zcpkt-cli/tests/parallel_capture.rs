//! `info`, `stats` and `check` fold the frames of a mapped pcap or pcapng
//! file on several threads, `fields` formats them on several threads, and
//! `info` and `check` read a pcap file of large frames by record headers:
//! their output and exit code are those of one thread, and of a pipe, on
//! clean and damaged captures of several batches.

#[path = "../../zcpkt/tests/capture_util/mod.rs"]
mod capture_util;
#[path = "../../zcpkt/tests/proto_frames/mod.rs"]
mod proto_frames;

use std::path::Path;

use assert_cmd::Command;
use capture_util::{Ng, Pcap};
use proto_frames::{eth, ipv4, ipv6, tcp, udp, v4};
use zcpkt::capture::ByteOrder;

/// Frames enough for several of the CLI's 512 KiB batches.
const FRAMES: u32 = 16_000;

fn frame(i: u32) -> Vec<u8> {
    let port = 1000 + (i % 37) as u16;
    match i % 3 {
        0 => eth(0x0800, &ipv4(6, &tcp(40001, port, &[], &vec![7; (i % 90) as usize]))),
        1 => {
            let mut ip = v4(17);
            ip.src = [10, 0, (i % 5) as u8, 1];
            eth(0x0800, &ip.build(&udp(5353, port, &[1, 2, 3, 4])))
        }
        _ => eth(0x86dd, &ipv6(17, &udp(port, 2000, &[]))),
    }
}

/// Seconds of frame `i`: increasing, except one step back at `back`.
fn secs(i: u32, back: u32) -> u32 {
    1_700_000_000 + i - u32::from(i >= back) * 5
}

/// The file and where each record starts.
fn pcap_records(back: u32) -> (Vec<u8>, Vec<usize>) {
    let mut pcap = Pcap::new(ByteOrder::Little, false, 65535, 1);
    let mut offsets = Vec::new();
    for i in 0..FRAMES {
        let data = frame(i);
        let at = pcap.record(secs(i, back), i % 1000, data.len() as u32 + 2, &data);
        offsets.push(at as usize);
    }
    (pcap.bytes, offsets)
}

fn pcap_file(back: u32) -> Vec<u8> {
    pcap_records(back).0
}

/// Two sections; the second's interfaces are described mid-section, and
/// other blocks come between the frames. Returns the file and where each
/// frame's block starts.
fn pcapng_blocks(back: u32) -> (Vec<u8>, Vec<usize>) {
    let mut offsets = Vec::new();
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[(2, b"hw".to_vec())]);
    ng.idb(1, 0, &[(2, b"eth0".to_vec())]);
    for i in 0..FRAMES {
        if i == FRAMES / 2 {
            ng.shb(ByteOrder::Big, &[]);
            ng.idb(1, 65535, &[]);
        }
        if i == FRAMES / 2 + 100 {
            ng.idb(1, 0, &[(2, b"eth1".to_vec())]);
        }
        if i % 1000 == 999 {
            ng.block(5, &[0; 12]);
        }
        let iface = u32::from(i > FRAMES / 2 + 100 && i % 2 == 0);
        let data = frame(i);
        let ts = u64::from(secs(i, back)) * 1_000_000 + u64::from(i % 1000);
        offsets.push(ng.epb(iface, ts, data.len() as u32, &data, &[]) as usize);
    }
    (ng.bytes, offsets)
}

fn pcapng_file(back: u32) -> Vec<u8> {
    pcapng_blocks(back).0
}

/// The first frame of the CLI's second batch (the first block at or past
/// 512 KiB from where the walk starts): time going back there is seen only
/// when two batches' parts are merged.
fn second_batch(offsets: &[usize], walk_start: usize) -> u32 {
    offsets.iter().position(|&at| at >= walk_start + (512 << 10)).unwrap() as u32
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> (String, String, i32) {
    let mut cmd = Command::cargo_bin("zcpkt").unwrap();
    cmd.args(args);
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes.to_vec());
    }
    let out = cmd.output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (text(&out.stdout), text(&out.stderr), out.status.code().unwrap())
}

/// Every command's output with 2 and 3 threads is the one with 1.
fn same_on_all_threads(path: &Path) {
    let file = path.to_str().unwrap();
    let commands: [&[&str]; 6] =
        [&["info"], &["info", "--json"], &["stats"], &["stats", "--json"], &["check"], &FIELDS];
    for command in commands {
        let with = |threads: &str| {
            let mut args = command.to_vec();
            args.extend([file, "--threads", threads]);
            run(&args, None)
        };
        let one = with("1");
        assert!(one.2 <= 1, "{command:?}: {one:?}");
        let damaged = file.contains("damaged") || file.contains("truncated");
        assert_eq!(one.2 == 1, damaged, "{command:?} on {file}: {one:?}");
        for threads in ["2", "3"] {
            assert_eq!(with(threads), one, "{command:?} --threads {threads} on {file}");
        }
    }
}

const FIELDS: [&str; 15] = [
    "fields",
    "-e",
    "frame.number",
    "-e",
    "frame.time_epoch",
    "-e",
    "frame.interface_id",
    "-e",
    "ip.src",
    "-e",
    "ipv6.dst",
    "-e",
    "udp.dstport",
    "-E",
    "header=y",
];

/// A pipe is streamed: `info --json`, `check` and `fields` agree with the
/// file read (`check` reads both past every damage).
fn same_as_a_pipe(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let file = run(&["info", "--json", path.to_str().unwrap(), "--threads", "2"], None);
    let piped = run(&["info", "--json", "-", "--threads", "2"], Some(&bytes));
    let file_json: serde_json::Value = serde_json::from_str(&file.0).unwrap();
    let mut piped_json: serde_json::Value = serde_json::from_str(&piped.0).unwrap();
    piped_json["file"] = file_json["file"].clone();
    assert_eq!((piped_json, piped.2), (file_json, file.2));
    for command in [&["check"][..], &FIELDS] {
        let on = |file: &str, stdin| run(&[command, &[file]].concat(), stdin);
        let (out, err, code) = on(path.to_str().unwrap(), None);
        let err = err.replace(path.to_str().unwrap(), "standard input");
        let piped = on("-", Some(&bytes));
        assert_eq!(piped, (out, err, code), "{command:?}");
    }
}

fn check_all(name: &str, bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    same_on_all_threads(&path);
    same_as_a_pipe(&path);
}

#[test]
fn pcap_clean_and_with_time_going_back() {
    let clean = pcap_file(u32::MAX);
    assert!(clean.len() > 2 * (512 << 10), "several batches");
    check_all("clean.pcap", &clean);
    check_all("back.pcap", &pcap_file(7_000));
    let boundary = second_batch(&pcap_records(u32::MAX).1, 24);
    check_all("back-at-batch.pcap", &pcap_file(boundary));
}

#[test]
fn pcap_damaged_mid_file_and_truncated() {
    let (mut damaged, offsets) = pcap_records(u32::MAX);
    // A captured length over the limit, two thirds in.
    let at = offsets[offsets.len() * 2 / 3] + 8;
    damaged[at..at + 4].copy_from_slice(&[0xff; 4]);
    check_all("damaged.pcap", &damaged);
    let mut truncated = pcap_file(u32::MAX);
    truncated.truncate(truncated.len() - 7);
    check_all("truncated.pcap", &truncated);
}

#[test]
fn pcapng_sections_interfaces_and_other_blocks() {
    check_all("clean.pcapng", &pcapng_file(u32::MAX));
    check_all("back.pcapng", &pcapng_file(9_000));
    let boundary = second_batch(&pcapng_blocks(u32::MAX).1, 0);
    check_all("back-at-batch.pcapng", &pcapng_file(boundary));
}

#[test]
fn pcapng_damaged_mid_file() {
    let (mut damaged, offsets) = pcapng_blocks(u32::MAX);
    // A block total length that is not a multiple of 4, three quarters in.
    let at = offsets[offsets.len() * 3 / 4] + 4;
    damaged[at..at + 4].copy_from_slice(&[0x42; 4]);
    check_all("damaged.pcapng", &damaged);
}

/// 300 frames of 6-9 KB: read by record headers.
fn large_pcap() -> (Vec<u8>, Vec<usize>) {
    let mut pcap = Pcap::new(ByteOrder::Big, true, 65535, 1);
    let mut offsets = Vec::new();
    for i in 0..300u32 {
        let mut data = frame(i);
        data.resize(6000 + (i as usize * 11) % 3000, 0);
        let at = pcap.record(secs(i, 200), i * 7, data.len() as u32, &data);
        offsets.push(at as usize);
    }
    (pcap.bytes, offsets)
}

#[test]
fn pcap_of_large_frames_clean_damaged_and_truncated() {
    let (clean, offsets) = large_pcap();
    check_all("large.pcap", &clean);
    let mut damaged = clean.clone();
    let at = offsets[250] + 8;
    damaged[at..at + 4].copy_from_slice(&[0x7f; 4]);
    check_all("large-damaged.pcap", &damaged);
    for cut in [10, offsets[100] + 3, offsets[299] + 100] {
        check_all("large-truncated.pcap", &clean[..cut]);
    }
    check_all("large-header-only.pcap", &clean[..24]);
}
