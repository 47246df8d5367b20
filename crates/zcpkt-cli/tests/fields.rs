//! `zcpkt fields` end to end: pcap and pcapng files built byte by byte,
//! carrying the crafted frames of the library's tshark differential
//! (`zcpkt/tests/proto_frames`), printed by `zcpkt fields` and by tshark
//! with every field of fields.md; the outputs must be byte for byte equal.
//! Then damage (frames before it, one stderr line with the offset, exit 1),
//! the `-E` options, usage errors and standard input.
//!
//! The tshark comparisons are skipped, with a note, when `tshark` is absent.

#[path = "../../zcpkt/tests/capture_util/mod.rs"]
mod capture_util;
#[path = "../../zcpkt/tests/proto_frames/mod.rs"]
mod proto_frames;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use capture_util::{Ng, Opt, Pcap};
use proto_frames::Frame;
use zcpkt::capture::ByteOrder;
use zcpkt::pcapng::{block_type, option};
use zcpkt::proto::fields::FieldName;

fn all_fields() -> Vec<&'static str> {
    FieldName::ALL.iter().map(|f| f.as_str()).collect()
}

fn zcpkt_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("zcpkt")
}

fn tshark_available() -> bool {
    Command::new("tshark").arg("--version").output().is_ok_and(|o| o.status.success())
}

macro_rules! need_tshark {
    () => {
        if !tshark_available() {
            eprintln!("note: tshark is not installed; skipping the tshark comparison");
            return;
        }
    };
}

fn temp_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn field_args(fields: &[&str]) -> Vec<String> {
    fields.iter().flat_map(|f| ["-e".to_string(), f.to_string()]).collect()
}

/// `zcpkt fields FILE -E separator=, -e ...` plus `extra` options.
fn ours(path: &Path, fields: &[&str], extra: &[&str]) -> Output {
    Command::new(zcpkt_bin())
        .arg("fields")
        .arg(path)
        .args(["-E", "separator=,"])
        .args(extra)
        .args(field_args(fields))
        .output()
        .unwrap()
}

/// tshark with the options fields.md names, plus `extra`.
fn theirs(path: &Path, fields: &[&str], extra: &[&str]) -> Output {
    Command::new("tshark")
        .args(["-n", "-o", "tcp.desegment_tcp_streams:FALSE", "-o", "ip.defragment:FALSE"])
        .args(["-o", "ipv6.defragment:FALSE", "-r"])
        .arg(path)
        .args(["-T", "fields", "-E", "separator=,", "-E", "aggregator=;", "-E", "occurrence=a"])
        .args(extra)
        .args(field_args(fields))
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The first differing lines, for a readable failure.
fn first_differences(ours: &str, theirs: &str) -> String {
    let mut report = String::new();
    let (a, b): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i).copied(), b.get(i).copied());
        if x != y {
            report.push_str(&format!("line {}:\n  tshark: {y:?}\n  zcpkt:  {x:?}\n", i + 1));
            if report.len() > 4000 {
                break;
            }
        }
    }
    report
}

/// zcpkt and tshark print the same bytes for a clean file; zcpkt exits 0
/// with nothing on stderr. Returns the output.
fn same_as_tshark(path: &Path, fields: &[&str], extra: &[&str]) -> String {
    let mine = ours(path, fields, extra);
    let them = theirs(path, fields, extra);
    assert!(them.status.success(), "tshark failed on {path:?}: {}", text(&them.stderr));
    assert_eq!(text(&mine.stderr), "", "{path:?}");
    assert_eq!(mine.status.code(), Some(0), "{path:?}");
    let (a, b) = (text(&mine.stdout), text(&them.stdout));
    assert!(a == b, "{path:?} differs from tshark:\n{}", first_differences(&a, &b));
    a
}

// ---- captures ----------------------------------------------------------

/// Every crafted frame set, with its link type.
fn frame_sets() -> Vec<(u16, Vec<Frame>)> {
    use zcpkt::proto::link_type as lt;
    vec![
        (lt::ETHERNET, proto_frames::ethernet_frames()),
        (lt::LINUX_SLL, proto_frames::sll_frames()),
        (lt::LINUX_SLL2, proto_frames::sll2_frames()),
        (lt::RAW, proto_frames::raw_frames()),
        (lt::NULL, proto_frames::null_frames()),
    ]
}

/// A pcap of `frames` in `order`, µs or ns, with varied timestamps.
fn pcap_of(order: ByteOrder, nanos: bool, link: u16, frames: &[Frame]) -> Vec<u8> {
    let mut p = Pcap::new(order, nanos, 262_144, link.into());
    let unit: u32 = if nanos { 1_000_000_000 } else { 1_000_000 };
    for (i, f) in frames.iter().enumerate() {
        let i = i as u32;
        let frac = (i.wrapping_mul(2_654_435_761) % unit).max(i % 3);
        p.record(1_700_000_000 + i * 7, frac, f.orig_len as u32, &f.data);
    }
    p.bytes
}

/// A pcapng of every frame set: two sections of opposite byte order, each
/// with one interface per link type at a different `if_tsresol` (10^-6,
/// 10^-9, 2^-10, 2^-30, 10^-3) and `if_tsoffset`; EPBs, obsolete PBs, SPBs
/// (whole Ethernet frames on interface 0), and blocks that carry no packet
/// (statistics, name resolution, decryption secrets, an unknown type).
fn multi_pcapng() -> Vec<u8> {
    let sets = frame_sets();
    let mut ng = Ng::new();
    let resolutions: [Option<u8>; 5] = [None, Some(9), Some(0x80 | 10), Some(0x80 | 30), Some(3)];
    for (section, order) in [ByteOrder::Little, ByteOrder::Big].into_iter().enumerate() {
        ng.shb(order, &[(option::SHB_USERAPPL, b"zcpkt fields test".to_vec())]);
        // An unused interface first in the second section, so interface IDs
        // differ between sections.
        if section == 1 {
            ng.idb(1, 0, &[]);
        }
        let first = if section == 1 { 1 } else { 0 };
        let mut units = Vec::new();
        for (i, (link, _)) in sets.iter().enumerate() {
            let which = (i + section) % resolutions.len();
            let mut opts: Vec<Opt> = Vec::new();
            if let Some(r) = resolutions[which] {
                opts.push((option::IF_TSRESOL, vec![r]));
            }
            if i % 2 == 1 {
                opts.push((option::IF_TSOFFSET, ng.n64(1_000 * (i as u64 + 1))));
            }
            ng.idb(*link, 0, &opts);
            units.push(match resolutions[which] {
                None => 1_000_000u64,
                Some(9) => 1_000_000_000,
                Some(3) => 1_000,
                Some(r) => 1u64 << (r & 0x7f),
            });
        }
        ng.block(block_type::INTERFACE_STATISTICS, &[0; 12]);
        for (i, (_, frames)) in sets.iter().enumerate() {
            let iface = first + i as u32;
            // Half the frames of each set in each section.
            for (n, f) in frames.iter().enumerate().filter(|(n, _)| n % 2 == section) {
                let ts = (1_600_000_000 + n as u64) * units[i] + (n as u64 * 7919) % units[i];
                match n % 13 {
                    5 => {
                        ng.pb(iface as u16, ts, f.orig_len as u32, &f.data, &[]);
                    }
                    // An SPB's packet is min(original, snaplen) bytes long:
                    // only whole frames of interface 0 can be one here.
                    9 if section == 0 && i == 0 && f.data.len() == f.orig_len => {
                        ng.spb(f.orig_len as u32, &f.data);
                    }
                    11 => {
                        let comment = (option::COMMENT, b"a comment".to_vec());
                        ng.epb(iface, ts, f.orig_len as u32, &f.data, &[comment]);
                    }
                    _ => {
                        ng.epb(iface, ts, f.orig_len as u32, &f.data, &[]);
                    }
                }
                if n % 97 == 0 {
                    ng.block(block_type::NAME_RESOLUTION, &[0; 4]);
                }
                if n % 211 == 0 {
                    ng.block(0x0000_0101, &[1, 2, 3, 4, 5, 6, 7, 8]);
                }
            }
        }
        let mut dsb = b"TLSK".to_vec();
        dsb.extend(ng.n32(0));
        ng.block(block_type::DECRYPTION_SECRETS, &dsb);
    }
    ng.bytes
}

// ---- (a) clean captures: byte for byte as tshark -----------------------

#[test]
fn pcap_every_link_type_both_byte_orders_us_and_ns_agree_with_tshark() {
    need_tshark!();
    let dir = tempfile::tempdir().unwrap();
    let fields = all_fields();
    let variants = [
        (ByteOrder::Little, false),
        (ByteOrder::Big, true),
        (ByteOrder::Little, true),
        (ByteOrder::Big, false),
    ];
    let mut total = 0;
    for (set, (link, frames)) in frame_sets().iter().enumerate() {
        // Ethernet (the largest set) in all four; the others in two each.
        let picks: Vec<usize> =
            if set == 0 { vec![0, 1, 2, 3] } else { vec![set % 4, (set + 2) % 4] };
        for v in picks {
            let (order, nanos) = variants[v];
            let name = format!("link{link}-{order:?}-{}.pcap", if nanos { "ns" } else { "us" });
            let path = temp_file(dir.path(), &name, &pcap_of(order, nanos, *link, frames));
            let lines = same_as_tshark(&path, &fields, &[]).lines().count();
            assert_eq!(lines, frames.len(), "{name}");
            total += lines;
        }
    }
    eprintln!("{total} pcap frames agree with tshark on all {} fields", fields.len());
}

#[test]
fn pcapng_sections_interfaces_resolutions_and_block_kinds_agree_with_tshark() {
    need_tshark!();
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(dir.path(), "multi.pcapng", &multi_pcapng());
    let expected: usize = frame_sets().iter().map(|(_, f)| f.len()).sum();
    let fields = all_fields();
    let out = same_as_tshark(&path, &fields, &[]);
    let lines = out.lines().count();
    assert_eq!(lines, expected);
    // The file has what it should: SPBs (no time), both sections, and
    // interface IDs 0 to 5.
    let column = |name: &str| fields.iter().position(|f| *f == name).unwrap();
    let cells = |name: &str| -> std::collections::BTreeSet<String> {
        out.lines().map(|l| l.split(',').nth(column(name)).unwrap().to_string()).collect()
    };
    assert!(cells("frame.time_epoch").contains(""), "no SPB");
    assert_eq!(cells("frame.section_number").into_iter().collect::<Vec<_>>(), ["1", "2"]);
    assert_eq!(cells("frame.interface_id").len(), 6);
    eprintln!("{lines} pcapng frames agree with tshark");
}

/// Times before 1970 (a negative `if_tsoffset`): tshark 4.0 prints the
/// whole seconds rounded down, then the fraction above them (-0.75 s is
/// `-1.250000000`), and so does `zcpkt fields`.
#[test]
fn times_before_1970_print_as_tshark_prints_them() {
    need_tshark!();
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[]);
    let offsets: [i64; 3] = [-1, -2, -1_000_000];
    for offset in offsets {
        ng.idb(1, 0, &[(option::IF_TSOFFSET, ng.n64(offset as u64))]);
    }
    let data = [0u8; 60];
    // Microseconds: a quarter second, none, all but one, one and a half.
    for (iface, units) in [(0, 250_000), (1, 0), (2, 999_999), (0, 1_500_000), (1, 1)] {
        ng.epb(iface, units, 60, &data, &[]);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(dir.path(), "before-1970.pcapng", &ng.bytes);
    let out = same_as_tshark(&path, &["frame.time_epoch"], &[]);
    let expected = ["-1.250000000", "-2.000000000", "-1000000.999999000", "0.500000000"];
    assert_eq!(out.lines().take(4).collect::<Vec<_>>(), expected);
}

// ---- (b) damage ---------------------------------------------------------

/// zcpkt on a damaged file: exit 1, one stderr line naming `offset`, and
/// stdout equal to tshark's (the frames before the damage) when tshark is
/// here. Returns zcpkt's stdout.
fn damaged(dir: &Path, name: &str, bytes: &[u8], offset: u64, frames_before: usize) -> String {
    let path = temp_file(dir, name, bytes);
    let fields = all_fields();
    let mine = ours(&path, &fields, &[]);
    let stderr = text(&mine.stderr);
    assert_eq!(mine.status.code(), Some(1), "{name}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
    assert!(stderr.contains(&format!("offset {offset}: ")), "{name}: {stderr}");
    eprintln!("{stderr}", stderr = stderr.trim_end());
    let stdout = text(&mine.stdout);
    assert_eq!(stdout.lines().count(), frames_before, "{name}");
    if tshark_available() {
        let them = theirs(&path, &fields, &[]);
        let b = text(&them.stdout);
        assert!(!them.status.success(), "{name}: tshark saw no damage");
        assert!(stdout == b, "{name} differs from tshark:\n{}", first_differences(&stdout, &b));
    }
    stdout
}

#[test]
fn damage_gives_the_frames_before_it_then_one_line_with_the_offset() {
    let dir = tempfile::tempdir().unwrap();
    let frames = proto_frames::ethernet_frames();
    let frames = &frames[..40];

    // A cut-off record (ns magic: for µs, Wireshark guesses among libpcap
    // variants, and a cut file can tip its guess).
    let mut p = Pcap::new(ByteOrder::Big, true, 65535, 1);
    let mut last = 0;
    for (i, f) in frames.iter().enumerate() {
        last = p.record(1_700_000_000 + i as u32, 5, f.orig_len as u32, &f.data);
    }
    let mut cut = p.bytes.clone();
    cut.truncate(cut.len() - 3);
    damaged(dir.path(), "cut.pcap", &cut, last, frames.len() - 1);

    // A record whose captured length is over the reader's limit.
    let mut big = p.bytes.clone();
    let at = big.len();
    let mut tail = Pcap { bytes: Vec::new(), order: ByteOrder::Big };
    tail.record_raw(1_700_000_100, 0, 0x7fff_0000, 60, &[0; 60]);
    big.extend(tail.bytes);
    damaged(dir.path(), "too-large.pcap", &big, at as u64, frames.len());

    // pcapng: the same frames, then each kind of damage.
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[]);
    ng.idb(1, 0, &[]);
    for (i, f) in frames.iter().enumerate() {
        ng.epb(0, 1_700_000_000_000_000 + i as u64, f.orig_len as u32, &f.data, &[]);
    }
    let good = ng.bytes.clone();

    let mut m = Ng { bytes: good.clone(), order: ByteOrder::Little };
    let at = m.epb(0, 1_700_000_001_000_000, 60, &[0; 60], &[]);
    let end = m.bytes.len();
    m.patch32(end - 4, 84);
    damaged(dir.path(), "length-mismatch.pcapng", &m.bytes, at, frames.len());

    let mut m = Ng { bytes: good.clone(), order: ByteOrder::Little };
    let at = m.shb(ByteOrder::Little, &[]);
    m.patch32(at as usize + 8, 0xdead_beef);
    damaged(dir.path(), "bad-magic.pcapng", &m.bytes, at, frames.len());

    let mut m = Ng { bytes: good.clone(), order: ByteOrder::Little };
    let at = m.epb(3, 1_700_000_001_000_000, 60, &[0; 60], &[]);
    m.epb(0, 1_700_000_002_000_000, 60, &[0; 60], &[]);
    damaged(dir.path(), "missing-interface.pcapng", &m.bytes, at, frames.len());

    let mut cut = good.clone();
    let at = cut.len() - (12 + 20 + frames.last().unwrap().data.len().next_multiple_of(4));
    cut.truncate(cut.len() - 6);
    damaged(dir.path(), "cut.pcapng", &cut, at as u64, frames.len() - 1);
}

// ---- (c) options, usage errors, standard input -------------------------

fn sample_pcapng() -> Vec<u8> {
    use proto_frames::*;
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[]);
    ng.idb(1, 0, &[]);
    let frames = [
        eth(0x8100, &tag(100, 0x8100, &tag(200, 0x0800, &ipv4(6, &tcp_seg())))),
        eth(0x0800, &ipv4(17, &udp(50000, 4789, &vxlan(&eth(0x0800, &ipv4(6, &tcp_seg())))))),
        eth(0x86dd, &ipv6(17, &udp_dgram())),
    ];
    for (i, f) in frames.iter().enumerate() {
        ng.epb(0, 1_700_000_000_000_060 + i as u64, f.len() as u32, f, &[]);
    }
    ng.bytes
}

const SOME_FIELDS: &[&str] =
    &["frame.number", "vlan.id", "ip.src", "tcp.srcport", "udp.length", "frame.time_epoch"];

#[test]
fn header_separator_and_aggregator_options_print_as_tsharks() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(dir.path(), "s.pcapng", &sample_pcapng());
    let run = |extra: &[&str]| {
        let out = Command::new(zcpkt_bin())
            .arg("fields")
            .arg(&path)
            .args(extra)
            .args(field_args(SOME_FIELDS))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        text(&out.stdout)
    };
    // Defaults: tab, `;`, no header.
    let plain = run(&[]);
    assert_eq!(
        plain.lines().next().unwrap(),
        "1\t100;200\t192.168.1.10\t40001\t\t1700000000.000060000"
    );
    assert_eq!(
        run(&["-E", "header=y"]).lines().next().unwrap(),
        "frame.number\tvlan.id\tip.src\ttcp.srcport\tudp.length\tframe.time_epoch"
    );
    let custom = run(&["-E", "header=y", "-E", "separator=|", "-E", "aggregator=/s"]);
    assert_eq!(
        custom.lines().nth(2).unwrap(),
        "2||192.168.1.10 192.168.1.10|40001|109|1700000000.000061000"
    );
    if tshark_available() {
        for extra in [
            &["-E", "header=y"][..],
            &["-E", "header=y", "-E", "separator=|", "-E", "aggregator=/s"],
            &["-E", "separator=/s", "-E", "aggregator=+"],
            &["-E", "separator=/t"],
        ] {
            same_as_tshark(&path, SOME_FIELDS, extra);
        }
    }
}

#[test]
fn unknown_field_or_option_is_a_one_line_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(dir.path(), "s.pcapng", &sample_pcapng());
    for args in [
        &["-e", "ip.src", "-e", "ip.bogus"][..],
        &["-e", "ip.src", "-E", "separator=ab"],
        &["-e", "ip.src", "-E", "occurrence=f"],
        &["-E", "header=y"],
    ] {
        let out = Command::new(zcpkt_bin()).arg("fields").arg(&path).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(text(&out.stdout), "", "{args:?}");
        assert_eq!(text(&out.stderr).lines().count(), 1, "{args:?}: {}", text(&out.stderr));
    }
}

#[test]
fn unreadable_unknown_and_pkt_inputs_exit_2_empty_ones_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let run = |path: &Path| {
        Command::new(zcpkt_bin()).arg("fields").arg(path).args(["-e", "ip.src"]).output().unwrap()
    };
    for (name, bytes) in [
        ("text.txt", &b"hello, world\n"[..]),
        ("short", &[0xd4, 0xc3][..]),
        ("x.pkt", &b"PKT\0\x01\x00\x00\x00"[..]),
    ] {
        let out = run(&temp_file(dir.path(), name, bytes));
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert_eq!(text(&out.stderr).lines().count(), 1, "{name}");
    }
    let out = run(&dir.path().join("does-not-exist"));
    assert_eq!(out.status.code(), Some(2));
    let out = run(dir.path());
    assert_eq!(out.status.code(), Some(2), "a directory");

    let mut shb_only = Ng::new();
    shb_only.shb(ByteOrder::Big, &[]);
    let header_only = Pcap::new(ByteOrder::Little, false, 65535, 1).bytes;
    for (name, bytes) in
        [("empty", &[][..]), ("shb.pcapng", &shb_only.bytes), ("hdr.pcap", &header_only)]
    {
        let out = run(&temp_file(dir.path(), name, bytes));
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert_eq!((text(&out.stdout).as_str(), text(&out.stderr).as_str()), ("", ""), "{name}");
    }
}

#[test]
fn standard_input_piped_or_redirected_reads_like_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = sample_pcapng();
    let path = temp_file(dir.path(), "s.pcapng", &bytes);
    let fields = all_fields();
    let from_file = ours(&path, &fields, &[]);
    assert_eq!(from_file.status.code(), Some(0));

    // A pipe.
    let mut child = Command::new(zcpkt_bin())
        .args(["fields", "-", "-E", "separator=,"])
        .args(field_args(&fields))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let piped = child.wait_with_output().unwrap();
    assert_eq!(piped.status.code(), Some(0));
    assert_eq!(text(&piped.stdout), text(&from_file.stdout));

    // `< file`: mapped.
    let redirected = Command::new(zcpkt_bin())
        .args(["fields", "-", "-E", "separator=,"])
        .args(field_args(&fields))
        .stdin(std::fs::File::open(&path).unwrap())
        .output()
        .unwrap();
    assert_eq!(redirected.status.code(), Some(0));
    assert_eq!(text(&redirected.stdout), text(&from_file.stdout));

    // A damaged pipe: the frames before, then the error.
    let mut child = Command::new(zcpkt_bin())
        .args(["fields", "-", "-e", "frame.number"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&bytes[..bytes.len() - 2]).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "1\n2\n");
    assert!(
        text(&out.stderr).starts_with("zcpkt: standard input: offset "),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let frame = proto_frames::eth(0x0800, &proto_frames::ipv4(17, &proto_frames::udp_dgram()));
    let mut p = Pcap::new(ByteOrder::Little, false, 65535, 1);
    for i in 0..50_000 {
        p.record(1_700_000_000 + i, 0, frame.len() as u32, &frame);
    }
    let path = temp_file(dir.path(), "big.pcap", &p.bytes);
    let mut child = Command::new(zcpkt_bin())
        .arg("fields")
        .arg(&path)
        .args(field_args(&all_fields()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    // The reader is gone once the BufReader is dropped above.
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with("1\t"), "{first}");
    assert_eq!((out.status.code(), text(&out.stderr).as_str()), (Some(0), ""));
}
