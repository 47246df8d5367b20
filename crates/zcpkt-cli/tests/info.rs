//! `zcpkt info`: exact fields on crafted pcap, pcapng and PKT files, damage
//! and exit codes, standard input, and capinfos/tcpdump as an oracle
//! (skipped with a note when they are not installed).

#[path = "../../zcpkt/tests/capture_util/mod.rs"]
mod capture_util;

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use capture_util::{Ng, Opt};
use serde_json::Value;
use zcpkt::capture::{ByteOrder, LinkType, Resolution};
use zcpkt::{pcap, NewPacket};

fn zcpkt() -> Command {
    Command::cargo_bin("zcpkt").unwrap()
}

fn temp(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs `zcpkt info --json` on `path`; returns (JSON, stderr, exit code).
fn info_json(path: &Path) -> (Value, String, i32) {
    let out = zcpkt().args(["info", "--json"]).arg(path).output().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (json, String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code().unwrap())
}

fn info_json_stdin(bytes: &[u8]) -> (Value, String, i32) {
    // Piped, so the stream reader (not the map) reads it.
    let out = zcpkt().args(["info", "--json", "-"]).write_stdin(bytes.to_vec()).output().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (json, String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code().unwrap())
}

/// Three Ethernet frames, µs, out of time order at the end.
fn sample_pcap() -> Vec<u8> {
    let mut f = Vec::new();
    pcap::write_header(&mut f, Resolution::MICROS, 65535, LinkType::ETHERNET).unwrap();
    pcap::write_record(&mut f, 1_700_000_000, 60, 60, &[0; 60]).unwrap();
    pcap::write_record(&mut f, 1_700_000_002, 2_060, 100, &[1; 80]).unwrap();
    pcap::write_record(&mut f, 1_700_000_001, 0, 40, &[2; 40]).unwrap();
    f
}

// ------------------------------------------------ a small pcapng writer (LE)

// The shared test writer (`crates/zcpkt/tests/capture_util`), one block at
// a time, little-endian.

fn owned(opts: &[(u16, &[u8])]) -> Vec<Opt> {
    opts.iter().map(|(code, value)| (*code, value.to_vec())).collect()
}

fn block(block_type: u32, body: &[u8]) -> Vec<u8> {
    let mut ng = Ng::new();
    ng.block(block_type, body);
    ng.bytes
}

fn shb(opts: &[(u16, &[u8])]) -> Vec<u8> {
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &owned(opts));
    ng.bytes
}

fn idb(link: u16, snaplen: u32, opts: &[(u16, &[u8])]) -> Vec<u8> {
    let mut ng = Ng::new();
    ng.idb(link, snaplen, &owned(opts));
    ng.bytes
}

fn epb(iface: u32, ts: u64, data: &[u8]) -> Vec<u8> {
    let mut ng = Ng::new();
    ng.epb(iface, ts, data.len() as u32, data, &[]);
    ng.bytes
}

/// Two sections: the first with SHB strings, two interfaces (µs Ethernet,
/// ns raw IP); the second with one Ethernet interface.
fn sample_pcapng() -> Vec<u8> {
    let mut f = shb(&[(2, b"hw1"), (3, b"Linux 6"), (4, b"myapp"), (1, b"a comment")]);
    f.extend(idb(1, 262_144, &[(2, b"eth0"), (3, b"first nic")]));
    f.extend(idb(101, 1500, &[(2, b"tun0"), (9, &[9])]));
    f.extend(epb(0, 1_700_000_000_000_000, &[0; 60]));
    f.extend(epb(1, 1_700_000_001_000_000_000, &[0; 40]));
    f.extend(block(5, &[0; 12])); // statistics: not a frame
    f.extend(shb(&[]));
    f.extend(idb(1, 65535, &[]));
    f.extend(epb(0, 1_700_000_003_000_000, &[0; 70]));
    f
}

// ------------------------------------------------------------ exact fields

#[test]
fn pcap_fields() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp(&dir, "a.pcap", &sample_pcap());
    let (j, err, code) = info_json(&path);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(j["file_type"], "pcap");
    assert_eq!(j["file_size"], 24 + 3 * 16 + 180);
    assert_eq!(j["encapsulation"], "Ethernet");
    assert_eq!(j["timestamp_precision"], "microseconds");
    assert_eq!(j["snaplen"], 65535);
    assert_eq!(j["packets"], 3);
    assert_eq!(j["data_size"], 200); // original lengths, as capinfos
    assert_eq!(j["captured_size"], 180);
    assert_eq!(j["first_time"]["epoch"], "1700000000.000060000");
    assert_eq!(j["first_time"]["iso"], "2023-11-14T22:13:20.000060000Z");
    assert_eq!(j["last_time"]["epoch"], "1700000002.002060000");
    assert_eq!(j["duration_ns"], 2_002_000_000);
    assert_eq!(j["data_byte_rate"].as_f64().unwrap(), 200.0 / 2.002);
    assert_eq!(j["data_bit_rate"].as_f64().unwrap(), 200.0 / 2.002 * 8.0);
    assert_eq!(j["average_packet_size"].as_f64().unwrap(), 200.0 / 3.0);
    assert_eq!(j["average_packet_rate"].as_f64().unwrap(), 3.0 / 2.002);
    assert_eq!(j["strict_time_order"], false);
    assert_eq!(j["section"], Value::Null);
    assert_eq!(j["interfaces"][0]["packets"], 3);
    assert_eq!(j["interfaces"][0]["link_type"], 1);
    assert_eq!(j["error"], Value::Null);

    let text = zcpkt().arg("info").arg(&path).assert().success().get_output().stdout.clone();
    let text = String::from_utf8(text).unwrap();
    for line in [
        "File type:           pcap",
        "File encapsulation:  Ethernet",
        "File timestamp precision:  microseconds (6)",
        "Packet size limit:   file hdr: 65535 bytes",
        "Number of packets:   3",
        "Data size:           200 bytes",
        "Captured size:       180 bytes",
        "Capture duration:    2.002000000 seconds",
        "First packet time:   2023-11-14T22:13:20.000060000Z (1700000000.000060000)",
        "Last packet time:    2023-11-14T22:13:22.002060000Z (1700000002.002060000)",
        "Data byte rate:      99.90 bytes/s",
        "Data bit rate:       799.20 bits/s",
        "Average packet size: 66.67 bytes",
        "Average packet rate: 1.50 packets/s",
        "Strict time order:   False",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
    }
}

#[test]
fn pcapng_fields_across_sections() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = sample_pcapng();
    let path = temp(&dir, "b.pcapng", &bytes);
    let (j, err, code) = info_json(&path);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(j["file_type"], "pcapng");
    assert_eq!(j["file_size"], bytes.len());
    assert_eq!(j["encapsulation"], "per-packet");
    assert_eq!(
        j["encapsulations"],
        serde_json::json!([
            {"link_type": 1, "name": "Ethernet", "packets": 2},
            {"link_type": 101, "name": "Raw IP", "packets": 1},
        ])
    );
    assert_eq!(j["timestamp_precision"], "per-packet");
    assert_eq!(j["snaplen"], Value::Null);
    assert_eq!((j["packets"].as_u64(), j["data_size"].as_u64()), (Some(3), Some(170)));
    assert_eq!(j["first_time"]["epoch"], "1700000000.000000000");
    assert_eq!(j["last_time"]["epoch"], "1700000003.000000000");
    assert_eq!(j["strict_time_order"], true);
    assert_eq!(
        j["section"],
        serde_json::json!({"hardware": "hw1", "os": "Linux 6", "application": "myapp", "comments": ["a comment"]})
    );
    let ifaces = j["interfaces"].as_array().unwrap();
    assert_eq!(ifaces.len(), 3);
    assert_eq!(
        ifaces[1],
        serde_json::json!({
            "section": 0, "id": 1, "name": "tun0", "description": null, "link_type": 101,
            "link_type_name": "Raw IP", "snaplen": 1500, "timestamp_resolution": "nanoseconds",
            "packets": 1, "fcs_len": null,
        })
    );
    assert_eq!(
        (ifaces[0]["description"].as_str(), ifaces[0]["packets"].as_u64()),
        (Some("first nic"), Some(1))
    );
    assert_eq!((ifaces[2]["section"].as_u64(), ifaces[2]["id"].as_u64()), (Some(1), Some(0)));
    assert_eq!(ifaces[2]["packets"], 1);
    // The stream gives the same summary, but for the file name.
    let (mut s, _, code) = info_json_stdin(&bytes);
    assert_eq!(code, 0);
    s["file"] = j["file"].clone();
    assert_eq!(s, j);
}

#[test]
fn pkt_fields() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = Vec::new();
    for (ts, payload) in [(1_000_000u64, &b"hello"[..]), (3_500_000, b"worlds!")] {
        NewPacket::new("a", "b", payload).timestamp(ts).write_to(&mut bytes).unwrap();
    }
    let path = temp(&dir, "c.pkt", &bytes);
    let (j, err, code) = info_json(&path);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(j["file_type"], "pkt");
    assert_eq!(
        (j["packets"].as_u64(), j["data_size"].as_u64()),
        (Some(2), Some(bytes.len() as u64))
    );
    assert_eq!(j["first_time"]["epoch"], "1.000000000");
    assert_eq!(j["last_time"]["iso"], "1970-01-01T00:00:03.500000000Z");
    assert_eq!(j["duration_ns"], 2_500_000_000u64);
    assert_eq!(j["timestamp_precision"], "microseconds");
    assert_eq!((j["encapsulation"].clone(), j["snaplen"].clone()), (Value::Null, Value::Null));
    assert_eq!(j["interfaces"], serde_json::json!([]));
    let (mut s, _, code) = info_json_stdin(&bytes);
    assert_eq!(code, 0);
    s["file"] = j["file"].clone();
    assert_eq!(s, j);
}

#[test]
fn empty_and_shb_only_are_zero_packets() {
    let dir = tempfile::tempdir().unwrap();
    let (j, err, code) = info_json(&temp(&dir, "empty", b""));
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!((j["file_type"].as_str(), j["packets"].as_u64()), (Some("empty"), Some(0)));
    assert_eq!(j["first_time"], Value::Null);
    let (j, _, code) = info_json_stdin(b"");
    assert_eq!((code, j["file_type"].as_str()), (0, Some("empty")));
    let (j, err, code) = info_json(&temp(&dir, "shb.pcapng", &shb(&[(2, b"hw")])));
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!((j["packets"].as_u64(), j["section"]["hardware"].as_str()), (Some(0), Some("hw")));
}

// ----------------------------------------------------------- damage

#[test]
fn damage_gives_the_frames_before_it_one_line_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let full = sample_pcap();
    // Cut inside the third record (which starts at 24 + 16 + 60 + 16 + 80 = 196).
    let cut = &full[..200];
    for (j, err, code) in [info_json(&temp(&dir, "cut.pcap", cut)), info_json_stdin(cut)] {
        assert_eq!(code, 1);
        assert_eq!(j["packets"], 2);
        assert_eq!(j["file_size"], 200);
        assert_eq!(j["error"]["offset"], 196);
        assert_eq!(j["error"]["kind"], "Truncated");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("offset 196"), "{err}");
    }
    // A pcapng packet naming an interface its section lacks.
    let mut ng = shb(&[]);
    ng.extend(idb(1, 0, &[]));
    ng.extend(epb(0, 1, &[1; 8]));
    let at = ng.len();
    ng.extend(epb(5, 2, &[1; 8]));
    ng.extend(epb(0, 3, &[1; 8]));
    for (j, err, code) in [info_json(&temp(&dir, "iface.pcapng", &ng)), info_json_stdin(&ng)] {
        assert_eq!((code, j["packets"].as_u64()), (1, Some(1)));
        assert_eq!(
            (j["error"]["offset"].as_u64(), j["error"]["kind"].as_str()),
            (Some(at as u64), Some("UnknownInterface"))
        );
        assert!(err.starts_with("zcpkt: ") && err.contains(&format!("offset {at}")), "{err}");
    }
    // A header cut short: a damaged capture of zero frames.
    let (j, err, code) = info_json(&temp(&dir, "head.pcap", &full[..10]));
    assert_eq!((code, j["packets"].as_u64()), (1, Some(0)));
    assert!(err.contains("offset 0"), "{err}");
}

#[test]
fn pkt_damage_is_exit_1_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = Vec::new();
    for ts in 1..=3u64 {
        NewPacket::new("a", "b", b"payload").timestamp(ts).write_to(&mut bytes).unwrap();
    }
    let len = bytes.len();
    bytes.truncate(len - 3);
    let (j, err, code) = info_json(&temp(&dir, "cut.pkt", &bytes));
    assert_eq!((code, j["packets"].as_u64()), (1, Some(2)));
    assert_eq!(j["error"]["kind"], "Truncated");
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// README's schema: "PKT is read past its errors: `packets` counts every
/// intact packet, and standard error says how many more errors there
/// were", framing lost or not (as `check` and `stats` read it).
#[test]
fn pkt_is_read_past_errors_that_lose_framing() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = Vec::new();
    NewPacket::new("a", "b", b"one").timestamp(1).write_to(&mut bytes).unwrap();
    let garbage_at = bytes.len() as u64;
    bytes.extend_from_slice(b"junk");
    NewPacket::new("a", "b", b"two").timestamp(2).write_to(&mut bytes).unwrap();
    NewPacket::new("a", "b", b"six").timestamp(6).write_to(&mut bytes).unwrap();
    // The third packet's payload changed: a checksum mismatch, framing kept.
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    let expected_message = format!("offset {garbage_at}: bad magic (expected \"PKT\\0\")");
    let path = temp(&dir, "junk.pkt", &bytes);
    for (j, err, code) in [info_json(&path), info_json_stdin(&bytes)] {
        assert_eq!(code, 1);
        assert_eq!(j["packets"], 3);
        assert_eq!(j["data_size"], bytes.len() as u64 - 4);
        assert_eq!(j["last_time"]["epoch"], "0.000006000");
        assert_eq!(
            j["error"],
            serde_json::json!({"offset": garbage_at, "kind": "BadMagic", "message": expected_message})
        );
        assert!(err.ends_with(&format!("{expected_message} (and 1 more errors)\n")), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

/// A packet over `--max-packet` keeps its framing (dump-json.md), so it is
/// one of the packets "whose framing is intact" that `packets` counts (as
/// in `check` and `stats`), with its HEADER_LEN + PAYLOAD_LEN in the sizes.
#[test]
fn pkt_too_large_packets_are_counted_with_their_size() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = Vec::new();
    NewPacket::new("a", "b", b"hi").timestamp(1).write_to(&mut bytes).unwrap();
    let big_at = bytes.len() as u64;
    NewPacket::new("a", "b", &[7; 100]).timestamp(50).write_to(&mut bytes).unwrap();
    let big_len = bytes.len() as u64 - big_at;
    NewPacket::new("a", "b", b"yo").timestamp(3).write_to(&mut bytes).unwrap();
    let path = temp(&dir, "big.pkt", &bytes);
    let message =
        format!("offset {big_at}: packet of {big_len} bytes exceeds the limit of 64 bytes");
    for out in [
        zcpkt().args(["info", "--json", "--max-packet", "64"]).arg(&path).output().unwrap(),
        zcpkt()
            .args(["info", "--json", "--max-packet", "64", "-"])
            .write_stdin(bytes.clone())
            .output()
            .unwrap(),
    ] {
        let j: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(j["packets"], 3);
        let all = Some(bytes.len() as u64);
        assert_eq!((j["data_size"].as_u64(), j["captured_size"].as_u64()), (all, all));
        // Nothing of it was read but its size: its timestamp is not known.
        assert_eq!(j["last_time"]["epoch"], "0.000003000");
        assert_eq!(j["error"]["kind"], "TooLarge");
        assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
        assert!(String::from_utf8_lossy(&out.stderr).contains(&message));
    }
}

#[test]
fn unknown_and_unreadable_are_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for bytes in [&b"hello world"[..], b"ab"] {
        let (_, err, code) = info_json(&temp(&dir, "junk", bytes));
        assert_eq!(code, 2);
        assert!(err.contains("unknown format"), "{err}");
        let (_, _, code) = info_json_stdin(bytes);
        assert_eq!(code, 2);
    }
    let (_, err, code) = info_json(&dir.path().join("missing.pcap"));
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1);
}

// -------------------------------------------------- capinfos and tcpdump

fn tool_present(name: &str, arg: &str) -> bool {
    StdCommand::new(name).arg(arg).output().is_ok_and(|o| o.status.success())
}

/// capinfos' machine-readable table (`-T -M`, times as epoch seconds):
/// packets, data size, start, end, encapsulation.
fn capinfos(path: &Path) -> Vec<String> {
    let out = StdCommand::new("capinfos")
        .args(["-T", "-M", "-r", "-S", "-c", "-d", "-a", "-e", "-E"])
        .arg(path)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    text.trim_end().split('\t').map(str::to_owned).collect()
}

/// Seconds since the epoch, as printed by capinfos or zcpkt, in nanoseconds.
fn nanos(text: &str) -> i128 {
    let (secs, frac) = text.split_once('.').unwrap_or((text, ""));
    let frac = format!("{frac:0<9}");
    secs.parse::<i128>().unwrap() * 1_000_000_000 + frac[..9].parse::<i128>().unwrap()
}

#[test]
fn agrees_with_capinfos_and_tcpdump() {
    if !tool_present("capinfos", "-v") {
        eprintln!("note: capinfos not installed; differential test skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut nanos_pcap = Vec::new();
    pcap::write_header(&mut nanos_pcap, Resolution::NANOS, 1500, LinkType::RAW).unwrap();
    for i in 0..50u32 {
        pcap::write_record(
            &mut nanos_pcap,
            1_600_000_000 + i * 7,
            i * 13_331,
            1000,
            &vec![0x45; (i * 17 % 300) as usize],
        )
        .unwrap();
    }
    let mut single = shb(&[]);
    single.extend(idb(1, 0, &[(9, &[3])]));
    for i in 0..20u64 {
        single.extend(epb(0, 1_650_000_000_000 + i * 1234, &vec![0; (i * 7) as usize]));
    }
    let files = [
        ("a.pcap", sample_pcap(), true),
        ("n.pcap", nanos_pcap, true),
        ("b.pcapng", sample_pcapng(), false),
        ("s.pcapng", single, false),
    ];
    for (name, bytes, is_pcap) in files {
        let path = temp(&dir, name, &bytes);
        let (j, _, code) = info_json(&path);
        assert_eq!(code, 0, "{name}");
        let c = capinfos(&path);
        // file, encapsulation, packets, data size, start, end
        assert_eq!(c.len(), 6, "{name}: {c:?}");
        assert_eq!(c[2].parse::<u64>().unwrap(), j["packets"].as_u64().unwrap(), "{name}: packets");
        assert_eq!(c[3].parse::<u64>().unwrap(), j["data_size"].as_u64().unwrap(), "{name}: data");
        assert_eq!(
            nanos(&c[4]),
            nanos(j["first_time"]["epoch"].as_str().unwrap()),
            "{name}: first"
        );
        assert_eq!(nanos(&c[5]), nanos(j["last_time"]["epoch"].as_str().unwrap()), "{name}: last");
        let encapsulation = match j["encapsulation"].as_str().unwrap() {
            "Ethernet" => "ether",
            "Raw IP" => "rawip",
            "per-packet" => "per-packet",
            other => panic!("{name}: no capinfos short name known for {other}"),
        };
        assert_eq!(c[1], encapsulation, "{name}: encapsulation");
        if is_pcap && tool_present("tcpdump", "--version") {
            // `--count` prints "N packets" (one line per packet is not: a
            // frame tcpdump cannot decode may take several lines).
            let out =
                StdCommand::new("tcpdump").args(["--count", "-r"]).arg(&path).output().unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            let lines: u64 = text.split_whitespace().next().unwrap().parse().unwrap();
            assert_eq!(lines, j["packets"].as_u64().unwrap(), "{name}: tcpdump");
        } else if is_pcap {
            eprintln!("note: tcpdump not installed; its packet count is not compared");
        }
    }
}

/// A snap length of 0 (no limit), and one that is set: `info` shows the
/// file's limit and the interface's capture length as capinfos does (a
/// pcap header's 0 reads as Wireshark's 262144; pcapng has no file limit).
#[test]
fn snap_lengths_read_as_capinfos_reads_them() {
    if !tool_present("capinfos", "-v") {
        eprintln!("note: capinfos not installed; differential test skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for snaplen in [0u32, 1500] {
        let mut p = Vec::new();
        pcap::write_header(&mut p, Resolution::MICROS, snaplen, LinkType::ETHERNET).unwrap();
        pcap::write_record(&mut p, 1_700_000_000, 0, 60, &[0; 60]).unwrap();
        files.push((format!("s{snaplen}.pcap"), p));
        let mut ng = shb(&[]);
        ng.extend(idb(1, snaplen, &[]));
        ng.extend(epb(0, 1_700_000_000_000_000, &[0; 60]));
        files.push((format!("s{snaplen}.pcapng"), ng));
    }
    for (name, bytes) in files {
        let path = temp(&dir, &name, &bytes);
        let lines = |out: &[u8], prefix: &str| -> Vec<String> {
            let text = String::from_utf8_lossy(out);
            text.lines()
                .map(str::trim)
                .filter(|l| l.starts_with(prefix))
                .map(String::from)
                .collect()
        };
        let ours = zcpkt().arg("info").arg(&path).output().unwrap();
        let theirs = StdCommand::new("capinfos").arg(&path).output().unwrap();
        let length = "Capture length = ";
        assert_eq!(lines(&ours.stdout, length), lines(&theirs.stdout, length), "{name}");
        let limit = "Packet size limit:";
        assert_eq!(lines(&ours.stdout, limit), lines(&theirs.stdout, limit), "{name}");
    }
}
