//! `check`, `stats`, `dump` and `filter` on pcap and pcapng captures: exact
//! output on small crafted inputs, damage offsets and exit codes, standard
//! input, and (when installed) tshark reading what `filter` wrote.

#[path = "../../zcpkt/tests/proto_frames/mod.rs"]
mod proto_frames;

use std::path::PathBuf;

use assert_cmd::Command;
use proto_frames::{eth, ipv4, ipv6, tcp, udp, v4};
use zcpkt::capture::{LinkType, Resolution};
use zcpkt::pcap;

fn zcpkt() -> Command {
    Command::cargo_bin("zcpkt").unwrap()
}

fn temp(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs zcpkt with `args`; returns (stdout, stderr, exit code).
fn run(args: &[&str], stdin: Option<&[u8]>) -> (String, String, i32) {
    let mut cmd = zcpkt();
    cmd.args(args);
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes.to_vec());
    }
    let out = cmd.output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap(),
    )
}

fn run_on(cmd: &str, path: &std::path::Path, extra: &[&str]) -> (String, String, i32) {
    let path = path.to_str().unwrap();
    let mut args = vec![cmd, path];
    args.extend_from_slice(extra);
    run(&args, None)
}

// ----------------------------------------------------------- the frames

const TCP: u8 = 6;
const UDP: u8 = 17;

/// Ethernet/IPv4 192.168.1.10 → 10.20.30.40 / TCP 40001 → 443, 10 bytes.
fn f_tcp() -> Vec<u8> {
    eth(0x0800, &ipv4(TCP, &tcp(40001, 443, &[], &[7; 10])))
}

/// Ethernet/IPv4 10.0.0.1 → 10.20.30.40 / UDP 5353 → 53, 4 bytes.
fn f_udp() -> Vec<u8> {
    let mut ip = v4(UDP);
    ip.src = [10, 0, 0, 1];
    eth(0x0800, &ip.build(&udp(5353, 53, &[1, 2, 3, 4])))
}

/// Ethernet/IPv6 fe80::… → 2001:db8::1 / UDP 1000 → 2000.
fn f_udp6() -> Vec<u8> {
    eth(0x86dd, &ipv6(UDP, &udp(1000, 2000, &[])))
}

/// Three Ethernet frames in a µs pcap, 1 s apart.
fn sample_pcap() -> Vec<u8> {
    let mut f = Vec::new();
    pcap::write_header(&mut f, Resolution::MICROS, 65535, LinkType::ETHERNET).unwrap();
    for (i, frame) in [f_tcp(), f_udp(), f_udp6()].iter().enumerate() {
        let len = frame.len() as u32;
        pcap::write_record(&mut f, 1_700_000_000 + i as u32, 500, len, frame).unwrap();
    }
    f
}

// ------------------------------------------------ a small pcapng writer (LE)

fn block(block_type: u32, body: &[u8]) -> Vec<u8> {
    let mut body = body.to_vec();
    body.resize(body.len().next_multiple_of(4), 0);
    let total = (body.len() + 12) as u32;
    let mut b = block_type.to_le_bytes().to_vec();
    b.extend(total.to_le_bytes());
    b.extend(body);
    b.extend(total.to_le_bytes());
    b
}

fn shb() -> Vec<u8> {
    let mut body = 0x1a2b_3c4du32.to_le_bytes().to_vec();
    body.extend(1u16.to_le_bytes());
    body.extend(0u16.to_le_bytes());
    body.extend(u64::MAX.to_le_bytes());
    block(0x0a0d_0d0a, &body)
}

fn idb(link: u16, snaplen: u32) -> Vec<u8> {
    let mut body = link.to_le_bytes().to_vec();
    body.extend([0, 0]);
    body.extend(snaplen.to_le_bytes());
    block(1, &body)
}

/// An EPB with µs timestamp `ts`.
fn epb(iface: u32, ts: u64, data: &[u8]) -> Vec<u8> {
    let mut body = iface.to_le_bytes().to_vec();
    body.extend(((ts >> 32) as u32).to_le_bytes());
    body.extend((ts as u32).to_le_bytes());
    body.extend((data.len() as u32).to_le_bytes());
    body.extend((data.len() as u32).to_le_bytes());
    body.extend(data);
    block(6, &body)
}

/// One section, two Ethernet interfaces; frames on 0, 1, 0.
fn sample_pcapng() -> Vec<u8> {
    let mut f = shb();
    f.extend(idb(1, 65535));
    f.extend(idb(1, 65535));
    f.extend(epb(0, 1_700_000_000_000_000, &f_tcp()));
    f.extend(epb(1, 1_700_000_000_500_000, &f_udp()));
    f.extend(block(5, &[0; 12])); // interface statistics: not a frame
    f.extend(epb(0, 1_700_000_001_000_000, &f_udp6()));
    f
}

// -------------------------------------------------------------------- check

#[test]
fn check_clean_pcap_and_pcapng() {
    let dir = tempfile::tempdir().unwrap();
    let pcap = sample_pcap();
    let path = temp(&dir, "a.pcap", &pcap);
    let (out, err, code) = run_on("check", &path, &[]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        format!(
            "format:              pcap\nframes ok:           3\ndamage:              none\n\
             total bytes:         {}\n",
            pcap.len()
        )
    );
    let ng = sample_pcapng();
    let path = temp(&dir, "a.pcapng", &ng);
    let (out, err, code) = run_on("check", &path, &[]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        format!(
            "format:              pcapng\nframes ok:           3\nsections:            1\n\
             interfaces:          2\nother blocks:        1\ndamage:              none\n\
             total bytes:         {}\n",
            ng.len()
        )
    );
}

#[test]
fn check_damage_gives_offset_and_exit_1_on_files_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let mut pcap = sample_pcap();
    let cut = pcap.len() - 5; // inside the third record
    pcap.truncate(cut);
    let third = 24 + 2 * 16 + f_tcp().len() + f_udp().len();
    let path = temp(&dir, "cut.pcap", &pcap);
    for (out, err, code) in [run_on("check", &path, &[]), run(&["check", "-"], Some(&pcap))] {
        assert_eq!(code, 1, "{out}{err}");
        assert!(out.contains("frames ok:           2\n"), "{out}");
        assert!(out.contains(&format!("damage:              offset {third}: truncated")), "{out}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(&format!("offset {third}: truncated")), "{err}");
    }
    // A block whose trailing length disagrees.
    let mut ng = sample_pcapng();
    let at = ng.len() - 4;
    ng[at] ^= 0xff;
    let path = temp(&dir, "bad.pcapng", &ng);
    let (out, err, code) = run_on("check", &path, &[]);
    assert_eq!(code, 1);
    assert!(out.contains("frames ok:           2\n"), "{out}");
    assert!(err.contains("offset"), "{err}");
}

#[test]
fn check_empty_shb_only_and_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp(&dir, "shb.pcapng", &shb());
    let (out, _, code) = run_on("check", &path, &[]);
    assert_eq!(code, 0);
    assert!(out.contains("frames ok:           0\n"), "{out}");
    // A pcap header alone: zero frames.
    let mut header = Vec::new();
    pcap::write_header(&mut header, Resolution::NANOS, 65535, LinkType::ETHERNET).unwrap();
    let (out, _, code) = run(&["check", "-"], Some(&header));
    assert_eq!(code, 0);
    assert!(out.contains("frames ok:           0\n"), "{out}");
}

// -------------------------------------------------------------------- stats

#[test]
fn stats_text_on_pcap() {
    let dir = tempfile::tempdir().unwrap();
    let pcap = sample_pcap();
    let path = temp(&dir, "a.pcap", &pcap);
    let (out, err, code) = run_on("stats", &path, &["--top", "2"]);
    assert_eq!((code, err.as_str()), (0, ""));
    let (a, b, c) = (f_tcp().len(), f_udp().len(), f_udp6().len());
    let total = a + b + c;
    let want = format!(
        "format           pcap\n\
         frames           3\n\
         bytes            {total} original, {total} captured, {} file\n",
        pcap.len()
    );
    assert!(out.starts_with(&want), "{out}");
    assert!(
        out.contains(
            "time             2023-11-14T22:13:20.000500000Z .. 2023-11-14T22:13:22.000500000Z\n"
        ),
        "{out}"
    );
    assert!(out.contains("duration         2.000000000 s\n"), "{out}");
    assert!(out.contains(
        "protocols        ethernet 3, vlan 0, arp 0, ipv4 2, ipv6 1, tcp 1, udp 2, icmp 0, icmpv6 0, vxlan 0, other 0\n"
    ), "{out}");
    // Two destinations tie on frames: 10.20.30.40 has 2 frames, then by bytes.
    assert!(
        out.contains(&format!(
            "top destinations\n  {:<39} {:>10} frames {:>14} bytes\n",
            "10.20.30.40",
            2,
            a + b
        )),
        "{out}"
    );
    assert!(out.ends_with("damage           none\n"), "{out}");
}

#[test]
fn stats_json_on_pcapng_and_stdin_with_damage() {
    let dir = tempfile::tempdir().unwrap();
    let ng = sample_pcapng();
    let path = temp(&dir, "a.pcapng", &ng);
    let (out, err, code) = run_on("stats", &path, &["--json", "--top", "1"]);
    assert_eq!((code, err.as_str()), (0, ""));
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["format"], "pcapng");
    assert_eq!(j["frames"], 3);
    assert_eq!(j["bytes"]["file"], ng.len());
    assert_eq!(j["time"]["first"], "1700000000.000000000");
    assert_eq!(j["time"]["duration_ns"], 1_000_000_000u64);
    assert_eq!(j["time"]["frames_per_sec"], 3.0);
    assert_eq!(j["protocols"]["udp"], 2);
    assert_eq!(j["protocols"]["other"], 0);
    assert_eq!(j["top_destinations"][0]["address"], "10.20.30.40");
    assert_eq!(j["top_destinations"][0]["frames"], 2);
    assert_eq!(j["top_destinations"].as_array().unwrap().len(), 1);
    assert_eq!(j["top_tcp_ports"][0]["port"], 443);
    assert_eq!(j["top_sources"][0]["frames"], 1);
    assert!(j["damage"].is_null());
    // Damaged, piped: the frames before the damage, then exit 1.
    let mut cut = ng.clone();
    cut.truncate(ng.len() - 3);
    let (out, err, code) = run(&["stats", "--json", "-"], Some(&cut));
    assert_eq!(code, 1, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["frames"], 2);
    assert_eq!(j["damage"]["kind"], "Truncated");
    assert_eq!(err.lines().count(), 1);
    let ipv6 = j["top_sources"][0]["address"].as_str().unwrap().to_owned();
    assert!(!ipv6.is_empty());
}

// --------------------------------------------------------------------- dump

const DUMP_HEADER: &str =
    "     NO.  TIME                               IF   LINK    ORIG     CAP  SUMMARY\n";

#[test]
fn dump_table_on_pcap_and_pcapng() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp(&dir, "a.pcap", &sample_pcap());
    let (out, err, code) = run_on("dump", &path, &[]);
    assert_eq!((code, err.as_str()), (0, ""));
    let (a, b, c) = (f_tcp().len(), f_udp().len(), f_udp6().len());
    let want = format!(
        "{DUMP_HEADER}\
         {:>8}  2023-11-14T22:13:20.000500000Z      -      1  {a:>6}  {a:>6}  IPv4 192.168.1.10 → 10.20.30.40 TCP 40001 → 443 len 10\n\
         {:>8}  2023-11-14T22:13:21.000500000Z      -      1  {b:>6}  {b:>6}  IPv4 10.0.0.1 → 10.20.30.40 UDP 5353 → 53 len 4\n\
         {:>8}  2023-11-14T22:13:22.000500000Z      -      1  {c:>6}  {c:>6}  IPv6 fe80::ff:fe00:9701 → 2001:db8::1 UDP 1000 → 2000 len 0\n",
        1, 2, 3
    );
    assert_eq!(out, want);
    let path = temp(&dir, "a.pcapng", &sample_pcapng());
    let (out, err, code) = run_on("dump", &path, &["--limit", "2"]);
    assert_eq!((code, err.as_str()), (0, ""));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[1].starts_with("       1  2023-11-14T22:13:20.000000000Z    0/0      1"),
        "{out}"
    );
    assert!(
        lines[2].starts_with("       2  2023-11-14T22:13:20.500000000Z    0/1      1"),
        "{out}"
    );
}

#[test]
fn dump_damage_stdin_empty_and_json_refused() {
    let mut cut = sample_pcap();
    cut.truncate(cut.len() - 1);
    let (out, err, code) = run(&["dump", "-"], Some(&cut));
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 3, "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("truncated"), "{err}");
    // SHB only: zero frames, just the header.
    let (out, _, code) = run(&["dump", "-"], Some(&shb()));
    assert_eq!((out.as_str(), code), (DUMP_HEADER, 0));
    for bytes in [sample_pcap(), shb()] {
        let (out, err, code) = run(&["dump", "--json", "-"], Some(&bytes));
        assert_eq!((out.as_str(), code), ("", 2));
        assert_eq!(err.lines().count(), 1);
        assert!(err.contains("--json"), "{err}");
    }
}
