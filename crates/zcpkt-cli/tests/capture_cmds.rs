//! `check`, `stats`, `dump` and `filter` on pcap and pcapng captures: exact
//! output on small crafted inputs, damage offsets and exit codes, standard
//! input, and (when installed) tshark reading what `filter` wrote.

#[path = "../../zcpkt/tests/capture_util/mod.rs"]
mod capture_util;
#[path = "../../zcpkt/tests/proto_frames/mod.rs"]
mod proto_frames;

use std::path::PathBuf;

use assert_cmd::Command;
use capture_util::Ng;
use proto_frames::{eth, ipv4, ipv6, tcp, udp, v4};
use zcpkt::capture::{ByteOrder, LinkType, Resolution};
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

// The shared test writer (`crates/zcpkt/tests/capture_util`), one block at
// a time, little-endian.

fn block(block_type: u32, body: &[u8]) -> Vec<u8> {
    let mut ng = Ng::new();
    ng.block(block_type, body);
    ng.bytes
}

fn shb() -> Vec<u8> {
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[]);
    ng.bytes
}

fn idb(link: u16, snaplen: u32) -> Vec<u8> {
    let mut ng = Ng::new();
    ng.idb(link, snaplen, &[]);
    ng.bytes
}

/// An EPB with µs timestamp `ts`.
fn epb(iface: u32, ts: u64, data: &[u8]) -> Vec<u8> {
    let mut ng = Ng::new();
    ng.epb(iface, ts, data.len() as u32, data, &[]);
    ng.bytes
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
             bytes skipped:       0\ntotal bytes:         {}\n",
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
             bytes skipped:       0\ntotal bytes:         {}\n",
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
    let (left, needed) = (cut - third, 16 + f_udp6().len());
    let path = temp(&dir, "cut.pcap", &pcap);
    let damage = format!("offset {third}: truncated ({left} bytes left in input, {needed} needed)");
    let expected = format!(
        "{damage}\noffset {third}: skipped {left} bytes up to offset {cut}\n\
         format:              pcap\nframes ok:           2\ndamage:              1\n\
         \x20 Truncated:         1\nbytes skipped:       {left}\ntotal bytes:         {cut}\n"
    );
    let (out, err, code) = run_on("check", &path, &[]);
    assert_eq!(
        (out, err, code),
        (expected.clone(), format!("zcpkt: {}: {damage}\n", path.display()), 1)
    );
    let (out, err, code) = run(&["check", "-"], Some(&pcap));
    assert_eq!((out, err, code), (expected, format!("zcpkt: standard input: {damage}\n"), 1));
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

/// Damage in the middle: a file is read past it, a pipe up to it (recovery
/// needs the bytes after each candidate), the rest reported skipped.
#[test]
fn check_reads_a_file_and_a_pipe_past_damage() {
    let dir = tempfile::tempdir().unwrap();
    let mut pcap = sample_pcap();
    let second = 24 + 16 + f_tcp().len();
    let third = second + 16 + f_udp().len();
    pcap[second + 8..second + 12].copy_from_slice(&[0xff; 4]);
    let damage = format!("offset {second}: length 4294967295 exceeds the limit of 262144 bytes");
    let summary = |frames: usize, skipped: usize| {
        format!(
            "format:              pcap\nframes ok:           {frames}\ndamage:              1\n\
             \x20 RecordTooLarge:    1\nbytes skipped:       {skipped}\ntotal bytes:         {}\n",
            pcap.len()
        )
    };
    let path = temp(&dir, "mid.pcap", &pcap);
    let (out, _, code) = run_on("check", &path, &[]);
    let skipped = third - second;
    let expected = format!(
        "{damage}\noffset {second}: skipped {skipped} bytes up to offset {third}\n{}",
        summary(2, skipped)
    );
    assert_eq!((out, code), (expected.clone(), 1));
    // A pipe is read past the damage as it arrives: the same lines.
    let (out, err, code) = run(&["check", "-"], Some(&pcap));
    assert_eq!((out, err, code), (expected, format!("zcpkt: standard input: {damage}\n"), 1));
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
    assert_eq!(
        j["top_undercount"],
        serde_json::json!({"sources": 0, "destinations": 0, "tcp_ports": 0, "udp_ports": 0})
    );
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

/// A scan: 20 004 sources seen once each (more than the 16 384 addresses a
/// busiest-list keeps), and one source sending every 7th frame. The scan's
/// counts are approximate, the busy source is still first with a count at
/// most the stated undercount under its 3 000 frames, and the one
/// destination and port are exact.
#[test]
fn stats_lists_the_busiest_of_a_scan_in_bounded_memory() {
    let busy = [10, 0, 0, 1];
    let mut f = Vec::new();
    pcap::write_header(&mut f, Resolution::MICROS, 65535, LinkType::ETHERNET).unwrap();
    let frames = 23_338u32; // 7 x 3334
    for i in 0..frames {
        let src = match i % 7 {
            0 => busy,
            _ => [172, 16 + (i >> 16) as u8, (i >> 8) as u8, i as u8],
        };
        let ip = proto_frames::V4 { src, ..v4(UDP) };
        let frame = eth(0x0800, &ip.build(&udp(999, 53, &[1])));
        pcap::write_record(&mut f, 1_700_000_000, i, frame.len() as u32, &frame).unwrap();
    }
    let busy_frames = 3334;
    let dir = tempfile::tempdir().unwrap();
    let path = temp(&dir, "scan.pcap", &f);

    let (out, err, code) = run_on("stats", &path, &["--json", "--top", "1"]);
    assert_eq!((code, err.as_str()), (0, ""));
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    let under = j["top_undercount"]["sources"].as_u64().unwrap();
    // At most frames / (8192 + 1), and not 0: the table overflowed.
    assert!((1..=u64::from(frames) / 8193).contains(&under), "undercount {under}");
    assert_eq!(j["top_sources"][0]["address"], "10.0.0.1");
    let counted = j["top_sources"][0]["frames"].as_u64().unwrap();
    assert!((busy_frames - under..=busy_frames).contains(&counted), "{counted} frames");
    assert_eq!(j["top_destinations"][0]["frames"], u64::from(frames));
    assert_eq!(j["top_udp_ports"][0]["frames"], u64::from(frames));
    for exact in ["destinations", "tcp_ports", "udp_ports"] {
        assert_eq!(j["top_undercount"][exact], 0, "{exact}");
    }

    let (out, _, code) = run_on("stats", &path, &["--top", "1"]);
    assert_eq!(code, 0);
    let note = format!("top sources (approximate: too many to count each; up to {under} under)\n");
    assert!(out.contains(&note), "{out}");
    assert!(out.contains("top destinations\n"), "{out}");
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

/// Past year 9999, times take ISO 8601's expanded form (`+` and the
/// year) everywhere they are printed, and `--since` reads it back.
#[test]
fn times_past_year_9999_have_the_expanded_year() {
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[]);
    ng.idb(1, 0, &[]);
    ng.epb(0, u64::MAX, 60, &f_tcp(), &[]); // µs: 586524-01-19T08:01:49.551615Z
    ng.epb(0, 253_402_300_800_000_000, 60, &f_udp(), &[]); // +10000-01-01
    let dir = tempfile::tempdir().unwrap();
    let path = temp(&dir, "far.pcapng", &ng.bytes);
    let far = "+586524-01-19T08:01:49.551615000Z";
    let (out, err, code) = run_on("dump", &path, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("  {far} ")), "{out}");
    assert!(out.contains("  +10000-01-01T00:00:00.000000000Z "), "{out}");
    let (out, _, _) = run_on("info", &path, &[]);
    assert!(
        out.contains(&format!("Last packet time:    {far} (18446744073709.551615000)")),
        "{out}"
    );
    let (out, _, _) = run_on("stats", &path, &[]);
    assert!(
        out.contains(&format!("time             +10000-01-01T00:00:00.000000000Z .. {far}")),
        "{out}"
    );
    let (out, err, code) = filter(&ng.bytes, "far.pcapng", &["--since", "+10000-01-01T00:00:01Z"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(frames_of(&out.unwrap()), [f_tcp()]);
}

/// Epoch seconds before 1970 are the decimal value of the time, as `info`
/// and the library's `Timestamp` print them: 23:59:59.25 on 1969-12-31 is
/// -0.75 s, not "-1.25" (the whole seconds' floor and the fraction above
/// it, which reads back as another time).
#[test]
fn stats_epoch_times_before_1970_are_their_decimal_value() {
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[]);
    // if_tsoffset -1700000001 s: the frames land 0.75 s before the epoch
    // and 0.45 s after it.
    ng.idb(1, 0, &[(14, (-1_700_000_001i64).to_le_bytes().to_vec())]);
    ng.epb(0, 1_700_000_000_250_000, 60, &f_tcp(), &[]);
    ng.epb(0, 1_700_000_001_450_000, 60, &f_udp(), &[]);
    let dir = tempfile::tempdir().unwrap();
    let path = temp(&dir, "early.pcapng", &ng.bytes);
    let (out, err, code) = run_on("stats", &path, &["--json"]);
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (&j["time"]["first"], &j["time"]["first_iso"]),
        (&"-0.750000000".into(), &"1969-12-31T23:59:59.250000000Z".into())
    );
    assert_eq!(j["time"]["last"], "0.450000000");
    assert_eq!(j["time"]["duration_ns"], 1_200_000_000);
    let (out, _, _) = run_on("info", &path, &["--json"]);
    let info: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(info["first_time"]["epoch"], j["time"]["first"]);
}

// ------------------------------------------------------------------- filter

/// The frames (data) of a pcap or pcapng file, read back with the library.
fn frames_of(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    match zcpkt::detect(bytes) {
        Some(zcpkt::Format::Pcap) => {
            for frame in pcap::Parser::new().frames(bytes) {
                out.push(frame.unwrap().data.to_vec());
            }
        }
        Some(zcpkt::Format::PcapNg) => {
            let mut frames = zcpkt::pcapng::Parser::new().frames(bytes);
            while let Some(block) = frames.next_block() {
                if let zcpkt::pcapng::Block::Frame(f) = block.unwrap() {
                    out.push(f.data.to_vec());
                }
            }
        }
        other => panic!("not a capture: {other:?}"),
    }
    out
}

/// `zcpkt filter IN -o OUT ARGS`: (output frames, stderr, exit code).
fn filter(input: &[u8], name: &str, extra: &[&str]) -> (Option<Vec<u8>>, String, i32) {
    let dir = tempfile::tempdir().unwrap();
    let path = temp(&dir, name, input);
    let out = dir.path().join(format!("out-{name}"));
    let mut args = vec!["filter", path.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let (_, err, code) = run(&args, None);
    (std::fs::read(&out).ok(), err, code)
}

fn matching(input: &[u8], name: &str, expr: &str) -> Vec<Vec<u8>> {
    let (out, err, code) = filter(input, name, &["--expr", expr]);
    assert_eq!(code, 0, "{expr}: {err}");
    frames_of(&out.unwrap())
}

#[test]
fn filter_expressions_each_operator_on_pcap_and_pcapng() {
    let (t, u, u6) = (f_tcp(), f_udp(), f_udp6());
    for (bytes, name) in [(sample_pcap(), "a.pcap"), (sample_pcapng(), "a.pcapng")] {
        let m = |e: &str| matching(&bytes, name, e);
        assert_eq!(m("ip.src == 192.168.1.10"), vec![t.clone()]);
        assert_eq!(m("ip.src != 192.168.1.10"), vec![u.clone()]); // the IPv6 frame has no ip.src
        assert_eq!(m("tcp.dstport == 443 || udp.dstport == 2000"), vec![t.clone(), u6.clone()]);
        assert_eq!(m("ip.dst == 10.20.30.40 && udp.srcport == 5353"), vec![u.clone()]);
        assert_eq!(
            m("(udp.dstport == 53 || udp.dstport == 2000) && ipv6.dst == 2001:db8::1"),
            vec![u6.clone()]
        );
        assert_eq!(m("eth.src == 00:1b:21:0a:bc:de && eth.type == 0x86dd"), vec![u6.clone()]);
        assert_eq!(m("frame.number == 2"), vec![u.clone()]);
        assert_eq!(m("tcp.dstport == 1"), Vec::<Vec<u8>>::new());
    }
}

#[test]
fn filter_any_occurrence_semantics_on_qinq() {
    // Two 802.1Q tags, VLAN 10 outside, 20 inside.
    let inner = proto_frames::tag(20, 0x0800, &ipv4(UDP, &udp(1, 2, &[])));
    let frame = eth(0x8100, &proto_frames::tag(10, 0x8100, &inner));
    let mut f = Vec::new();
    pcap::write_header(&mut f, Resolution::NANOS, 65535, LinkType::ETHERNET).unwrap();
    pcap::write_record(&mut f, 1, 2, frame.len() as u32, &frame).unwrap();
    let m = |e: &str| matching(&f, "q.pcap", e).len();
    assert_eq!(m("vlan.id == 10"), 1);
    assert_eq!(m("vlan.id == 20"), 1);
    assert_eq!(m("vlan.id != 10"), 0); // an occurrence equals 10
    assert_eq!(m("vlan.id != 30"), 1);
    assert_eq!(m("tcp.srcport != 1"), 0); // no TCP at all
                                          // The output keeps the nanosecond header and the timestamp.
    let (out, _, _) = filter(&f, "q.pcap", &["--expr", "vlan.id == 20"]);
    assert_eq!(out.unwrap(), f);
}

#[test]
fn filter_parse_errors_are_one_line_exit_2() {
    for expr in
        ["", "ip.src ==", "ip.srcx == 1", "ip.src == 1.2.3", "(tcp.len == 1", "tcp.len == 1 tcp"]
    {
        let (out, err, code) = filter(&sample_pcap(), "a.pcap", &["--expr", expr]);
        assert_eq!(code, 2, "{expr:?}");
        assert!(out.is_none());
        assert_eq!(err.lines().count(), 1, "{expr:?}: {err}");
        assert!(err.contains("invalid expression"), "{err}");
    }
    // PKT options on a capture, capture options on PKT.
    let (_, err, code) = filter(&sample_pcap(), "a.pcap", &["--source", "x"]);
    assert_eq!((code, err.lines().count()), (2, 1), "{err}");
    // A pcap file has no interfaces (frame.interface_id is empty, as
    // `--expr 'frame.interface_id == 0'` sees it): --interface is refused
    // there, before anything is written, from a file or a pipe.
    for interface in ["0", "1"] {
        let (out, err, code) = filter(&sample_pcap(), "a.pcap", &["--interface", interface]);
        assert_eq!((code, out, err.lines().count()), (2, None, 1), "{err}");
        assert!(err.contains("--interface selects pcapng interfaces"), "{err}");
        let piped = zcpkt()
            .args(["filter", "-", "-o", "-", "--interface", interface])
            .write_stdin(sample_pcap())
            .output()
            .unwrap();
        assert_eq!((piped.status.code(), piped.stdout.len()), (Some(2), 0));
    }
    assert!(matching(&sample_pcap(), "a.pcap", "frame.interface_id == 0").is_empty());
    let packet = zcpkt::NewPacket::new("a", "b", b"x");
    let mut pkt = vec![0; packet.encoded_len().unwrap()];
    packet.encode(&mut pkt).unwrap();
    let (_, err, code) = filter(&pkt, "a.pkt", &["--expr", "tcp.len == 1"]);
    assert_eq!((code, err.lines().count()), (2, 1), "{err}");
}

#[test]
fn filter_interface_time_and_damage() {
    let ng = sample_pcapng();
    let (out, err, code) = filter(&ng, "a.pcapng", &["--interface", "1"]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    assert_eq!(frames_of(&out), [f_udp()]);
    // Both IDBs (interface IDs stay those of the input), the statistics
    // block, one EPB.
    assert_eq!(out.len(), 28 + 2 * 20 + 24 + (32 + f_udp().len().next_multiple_of(4)));
    let (out, err, code) = filter(
        &sample_pcap(),
        "a.pcap",
        &["--since", "2023-11-14T22:13:21Z", "--until", "2023-11-14T22:13:22Z"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(frames_of(&out.unwrap()), [f_udp()]);
    // Damage at the end: no output without --recover; the frames before
    // it with.
    let mut cut = sample_pcap();
    cut.truncate(cut.len() - 2);
    let (out, err, code) = filter(&cut, "c.pcap", &[]);
    assert_eq!((out.is_none(), code), (true, 1), "{err}");
    assert!(err.contains("truncated"), "{err}");
    let (out, _, code) = filter(&cut, "c.pcap", &["--recover"]);
    assert_eq!(code, 1);
    assert_eq!(frames_of(&out.unwrap()), [f_tcp(), f_udp()]);
}

/// A timestamp field the reader's `Timestamp` cannot give back is copied
/// as stored: pcapng units over `i64::MAX` seconds (1 s resolution, or an
/// `if_tsoffset` that saturates the sum), and pcap fractions of a second
/// or more (which the reader carries into the seconds).
#[test]
fn filter_copies_timestamp_fields_as_stored() {
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[]);
    ng.idb(1, 0, &[(zcpkt::pcapng::option::IF_TSRESOL, vec![0])]);
    let tsoffset = ng.n64(i64::MAX as u64);
    ng.idb(1, 0, &[(zcpkt::pcapng::option::IF_TSOFFSET, tsoffset)]);
    ng.epb(0, u64::MAX, 60, &f_tcp(), &[]);
    ng.epb(0, 1 << 63, 60, &f_tcp(), &[]);
    ng.epb(1, u64::MAX, 60, &f_udp(), &[]);
    ng.shb(ByteOrder::Big, &[]);
    ng.idb(1, 0, &[(zcpkt::pcapng::option::IF_TSRESOL, vec![0x80])]);
    ng.epb(0, u64::MAX - 1, 60, &f_tcp(), &[]);
    let mut pcap = capture_util::Pcap::new(ByteOrder::Little, false, 65535, 1);
    pcap.record(u32::MAX, 1_500_000, 60, &f_tcp());
    pcap.record(7, u32::MAX, 60, &f_udp());
    let mut pcap_ns = capture_util::Pcap::new(ByteOrder::Little, true, 65535, 1);
    pcap_ns.record(u32::MAX, 1_000_000_000, 60, &f_tcp());
    for (bytes, name) in [(ng.bytes, "t.pcapng"), (pcap.bytes, "t.pcap"), (pcap_ns.bytes, "n.pcap")]
    {
        let (out, err, code) = filter(&bytes, name, &[]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(out.as_ref() == Some(&bytes), "{name}: the copy differs from the input");
    }
}

/// `filter --recover` from a pipe writes what it writes from the file:
/// the frames on both sides of damage in the middle.
#[test]
fn filter_recovers_a_piped_capture_as_a_file() {
    let mut pcap = sample_pcap();
    let second = 24 + 16 + f_tcp().len();
    pcap[second + 8..second + 12].copy_from_slice(&[0xff; 4]);
    let mut ng = sample_pcapng();
    let first = shb().len() + 2 * idb(1, 65535).len();
    let second = first + epb(0, 0, &f_tcp()).len();
    ng[second + 4..second + 8].copy_from_slice(&[0x42; 4]);
    for (bytes, name) in [(pcap, "mid.pcap"), (ng, "mid.pcapng")] {
        let (file_out, _, file_code) = filter(&bytes, name, &["--recover"]);
        let piped = zcpkt()
            .args(["filter", "-", "-o", "-", "--recover"])
            .write_stdin(bytes)
            .output()
            .unwrap();
        assert_eq!(piped.status.code(), Some(file_code), "{name}");
        assert_eq!(frames_of(&piped.stdout), [f_tcp(), f_udp6()], "{name}");
        assert_eq!(Some(piped.stdout), file_out, "{name}");
    }
}

#[test]
fn filter_from_stdin_to_stdout() {
    let ng = sample_pcapng();
    let out = zcpkt()
        .args(["filter", "-", "-o", "-", "--expr", "udp.dstport == 53"])
        .write_stdin(ng)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(frames_of(&out.stdout), [f_udp()]);
}

/// tshark reads the output, with the expected frames and identical bytes.
#[test]
fn filter_output_is_read_by_tshark() {
    let tshark = std::process::Command::new("tshark").arg("--version").output();
    if !tshark.is_ok_and(|o| o.status.success()) {
        eprintln!("tshark not installed: skipped");
        return;
    }
    for (bytes, name) in [(sample_pcap(), "a.pcap"), (sample_pcapng(), "a.pcapng")] {
        let dir = tempfile::tempdir().unwrap();
        let path = temp(&dir, name, &bytes);
        let out = dir.path().join("out");
        let (_, err, code) = run(
            &[
                "filter",
                path.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
                "-f",
                "udp.dstport != 0",
            ],
            None,
        );
        assert_eq!(code, 0, "{err}");
        let fields = |file: &std::path::Path, field: &str| {
            let o = std::process::Command::new("tshark")
                .args(["-n", "-r"])
                .arg(file)
                .args(["-T", "fields", "-e", field])
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            String::from_utf8(o.stdout).unwrap()
        };
        assert_eq!(fields(&out, "frame.number"), "1\n2\n");
        let hex: Vec<String> = [f_udp(), f_udp6()]
            .iter()
            .map(|f| f.iter().map(|b| format!("{b:02x}")).collect::<String>())
            .collect();
        let got = fields(&out, "frame.time_epoch");
        assert_eq!(got.lines().count(), 2, "{got}");
        let raw = std::process::Command::new("tshark")
            .args(["-n", "-r"])
            .arg(&out)
            .args(["-T", "json", "-x"])
            .output()
            .unwrap();
        let raw = String::from_utf8_lossy(&raw.stdout);
        // `-x` shows each frame's bytes as one hex string: the originals.
        for h in &hex {
            assert!(raw.contains(&format!("\"{h}\"")), "{raw}");
        }
    }
}

#[test]
fn check_recovers_past_damage_in_the_middle() {
    let dir = tempfile::tempdir().unwrap();
    // pcap: the second record's captured length over the limit.
    let mut pcap = sample_pcap();
    let second = 24 + 16 + f_tcp().len();
    let third = second + 16 + f_udp().len();
    pcap[second + 8..second + 12].copy_from_slice(&[0xff; 4]);
    let path = temp(&dir, "mid.pcap", &pcap);
    let damage = format!("offset {second}: length 4294967295 exceeds the limit of 262144 bytes");
    let (out, err, code) = run_on("check", &path, &[]);
    assert_eq!(
        (out, err, code),
        (
            format!(
                "{damage}\noffset {second}: skipped {} bytes up to offset {third}\n\
                 format:              pcap\nframes ok:           2\ndamage:              1\n\
                 \x20 RecordTooLarge:    1\nbytes skipped:       {}\n\
                 total bytes:         {}\n",
                third - second,
                third - second,
                pcap.len()
            ),
            format!("zcpkt: {}: {damage}\n", path.display()),
            1
        )
    );
    // pcapng: the second packet block's length not a multiple of 4.
    let ng = sample_pcapng();
    let first = shb().len() + 2 * idb(1, 65535).len();
    let second = first + epb(0, 0, &f_tcp()).len();
    let isb = second + epb(1, 0, &f_udp()).len();
    let mut damaged = ng.clone();
    damaged[second + 4..second + 8].copy_from_slice(&[0x42; 4]);
    let path = temp(&dir, "mid.pcapng", &damaged);
    let damage = format!("offset {second}: block total length 1111638594 is not a multiple of 4");
    let (out, err, code) = run_on("check", &path, &["-q"]);
    assert_eq!(
        (out, err, code),
        (
            format!(
                "format:              pcapng\nframes ok:           2\nsections:            1\n\
                 interfaces:          2\nother blocks:        1\ndamage:              1\n\
                 \x20 UnalignedBlockLength: 1\nbytes skipped:       {}\n\
                 total bytes:         {}\n",
                isb - second,
                ng.len()
            ),
            format!("zcpkt: {}: {damage}\n", path.display()),
            1
        )
    );
}

#[test]
fn dump_and_filter_recover_past_damage_in_the_middle() {
    // pcap: the second record's captured length over the limit.
    let mut pcap = sample_pcap();
    let second = 24 + 16 + f_tcp().len();
    let third = second + 16 + f_udp().len();
    pcap[second + 8..second + 12].copy_from_slice(&[0xff; 4]);
    let damage = format!("offset {second}: length 4294967295 exceeds the limit of 262144 bytes");
    let (out, err, code) = filter(&pcap, "mid.pcap", &[]);
    assert_eq!((out, code), (None, 1));
    assert!(err.ends_with("zcpkt filter: no output written (--recover reads past the damage)\n"));
    let (out, err, code) = filter(&pcap, "mid.pcap", &["--recover"]);
    let out = out.unwrap();
    assert_eq!((frames_of(&out), code), (vec![f_tcp(), f_udp6()], 1));
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines[0].ends_with(&format!("mid.pcap: {damage}")), "{err}");
    let skipped = third - second;
    let out_name = "out-mid.pcap";
    assert!(lines[1].starts_with("zcpkt filter: 2 of 2 frames matched, written to "), "{err}");
    assert!(lines[1].ends_with(&format!("{out_name}; skipped {skipped} damaged bytes")), "{err}");
    // The output is whole frames only: clean.
    let dir = tempfile::tempdir().unwrap();
    let (check, _, code) = run_on("check", &temp(&dir, "o.pcap", &out), &["-q"]);
    assert_eq!(code, 0, "{check}");
    // dump: the table goes on past the damage; without --recover it stops.
    let (table, err, code) = run(&["dump", "-"], Some(&pcap));
    assert_eq!((table.lines().count(), code), (2, 1), "{table}");
    assert_eq!(err, format!("zcpkt: standard input: {damage}\n"));
    let file = temp(&dir, "mid.pcap", &pcap);
    let (table, err, code) = run(&["dump", "--recover", file.to_str().unwrap()], None);
    let numbers: Vec<&str> =
        table.lines().skip(1).map(|l| l.split_whitespace().next().unwrap()).collect();
    assert_eq!((numbers, code), (vec!["1", "2"], 1), "{table}");
    assert!(table.lines().nth(2).unwrap().contains("IPv6"), "{table}");
    assert_eq!(err, format!("zcpkt: {}: {damage}\n", file.display()));
    // A pipe with --recover: read past the damage as it arrives, as the
    // file is.
    let (piped, err, code) = run(&["dump", "--recover", "-"], Some(&pcap));
    assert_eq!((piped, code), (table, 1));
    assert_eq!(err, format!("zcpkt: standard input: {damage}\n"));
    // pcapng: the second packet block's length not a multiple of 4.
    let mut ng = sample_pcapng();
    let first = shb().len() + 2 * idb(1, 65535).len();
    let second = first + epb(0, 0, &f_tcp()).len();
    ng[second + 4..second + 8].copy_from_slice(&[0x42; 4]);
    let (out, err, code) = filter(&ng, "mid.pcapng", &["--recover"]);
    assert_eq!((frames_of(&out.unwrap()), code), (vec![f_tcp(), f_udp6()], 1), "{err}");
    let damage = format!("offset {second}: block total length 1111638594 is not a multiple of 4");
    assert!(err.lines().next().unwrap().ends_with(&format!("mid.pcapng: {damage}")), "{err}");
}
