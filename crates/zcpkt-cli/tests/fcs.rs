//! Frames that carry a Frame Check Sequence, as the capture says it: the
//! pcap header's FCS bits, pcapng `if_fcslen`, the FCS length in
//! `epb_flags`. What tshark 4.0 does, and zcpkt must too: on Ethernet, the
//! FCS comes off the payload before it is decoded (so a header that only
//! the FCS bytes completed is cut), `frame.len` keeps it; a capture that
//! does not say (or says 0) decodes the FCS as payload.
//!
//! Every crafted Ethernet frame of the library's differential, with 4 FCS
//! bytes after it, goes through each way of saying it; `zcpkt fields` must
//! print what tshark prints for every field. Then `info` against capinfos
//! (its `FCS length = ` line), and `filter` keeping the pcap FCS bits.
//! Skipped, with a note, where tshark or capinfos is not installed.

#[path = "../../zcpkt/tests/capture_util/mod.rs"]
mod capture_util;
#[path = "../../zcpkt/tests/proto_frames/mod.rs"]
mod proto_frames;

use std::path::Path;
use std::process::Command;

use capture_util::{Ng, Opt, Pcap};
use zcpkt::capture::ByteOrder;
use zcpkt::pcapng::option;
use zcpkt::proto::fields::FieldName;

const FCS: [u8; 4] = [0xde, 0xad, 0xbe, 0xef];

fn tool(name: &str) -> bool {
    Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// (captured bytes, original length): each Ethernet frame with an FCS on
/// the wire; a frame the snap length cut has lost its FCS first.
fn frames() -> Vec<(Vec<u8>, u32)> {
    proto_frames::ethernet_frames()
        .into_iter()
        .map(|f| {
            let mut data = f.data.clone();
            if data.len() == f.orig_len {
                data.extend(FCS);
            }
            (data, f.orig_len as u32 + 4)
        })
        .collect()
}

fn zcpkt() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin("zcpkt"))
}

fn fields_args() -> Vec<String> {
    FieldName::ALL.iter().flat_map(|f| ["-e".to_string(), f.as_str().to_string()]).collect()
}

/// zcpkt's and tshark's fields of `path`, which must agree; the output.
fn same_fields(path: &Path) -> String {
    let ours = zcpkt()
        .arg("fields")
        .arg(path)
        .args(["-E", "separator=,"])
        .args(fields_args())
        .output()
        .unwrap();
    assert_eq!(ours.status.code(), Some(0), "{}", String::from_utf8_lossy(&ours.stderr));
    let theirs = Command::new("tshark")
        .args(["-n", "-o", "tcp.desegment_tcp_streams:FALSE", "-o", "ip.defragment:FALSE"])
        .args(["-o", "ipv6.defragment:FALSE", "-r"])
        .arg(path)
        .args(["-T", "fields", "-E", "separator=,", "-E", "aggregator=;", "-E", "occurrence=a"])
        .args(fields_args())
        .output()
        .unwrap();
    assert!(theirs.status.success(), "{}", String::from_utf8_lossy(&theirs.stderr));
    let (a, b) =
        (String::from_utf8(ours.stdout).unwrap(), String::from_utf8(theirs.stdout).unwrap());
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        assert_eq!(x, y, "{path:?} frame {}: zcpkt (left), tshark (right)", i + 1);
    }
    assert_eq!(a.lines().count(), b.lines().count(), "{path:?}");
    a
}

fn pcap_with(link_field: u32) -> Vec<u8> {
    let mut p = Pcap::new(ByteOrder::Little, false, 262_144, link_field);
    for (i, (data, orig)) in frames().iter().enumerate() {
        p.record(1_700_000_000 + i as u32, 0, *orig, data);
    }
    p.bytes
}

/// One interface per way of saying the FCS, each with every frame; in the
/// section's byte order.
fn pcapng_with(order: ByteOrder) -> Vec<u8> {
    let mut ng = Ng::new();
    ng.shb(order, &[]);
    let idbs: [&[Opt]; 6] = [
        &[(option::IF_FCSLEN, vec![32])], // bits
        &[(option::IF_FCSLEN, vec![4])],  // under 8: bytes
        &[(option::IF_FCSLEN, vec![0])],  // no FCS
        &[(option::IF_FCSLEN, vec![16])], // 2 bytes
        &[],                              // not said: epb_flags below
        &[(option::IF_FCSLEN, vec![32])], // said, but epb_flags says 0
    ];
    for opts in idbs {
        ng.idb(1, 0, opts);
    }
    for (iface, _) in idbs.iter().enumerate() {
        for (i, (data, orig)) in frames().iter().enumerate() {
            let flags = |fcs: u32| vec![(option::EPB_FLAGS, ng.n32(fcs << 5 | 1))];
            let opts = match (iface, i % 3) {
                (4, 0) => flags(4),
                (4, 1) => flags(8), // octets, unlike if_fcslen: 8 bytes
                (5, _) => flags(0),
                _ => vec![],
            };
            ng.epb(iface as u32, 1_700_000_000_000_000 + i as u64, *orig, data, &opts);
        }
    }
    ng.bytes
}

#[test]
fn fields_of_frames_with_an_fcs_agree_with_tshark() {
    if !tool("tshark") {
        eprintln!("note: tshark is not installed; skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(String, Vec<u8>)> = vec![
        ("fcs-4.pcap".into(), pcap_with(0x2400_0001)),
        ("fcs-2.pcap".into(), pcap_with(0x1400_0001)),
        ("fcs-0.pcap".into(), pcap_with(0x0400_0001)),
        ("fcs-bits-not-present.pcap".into(), pcap_with(0x2000_0001)),
        ("fcs-unsaid.pcap".into(), pcap_with(1)),
        ("fcs-le.pcapng".into(), pcapng_with(ByteOrder::Little)),
        ("fcs-be.pcapng".into(), pcapng_with(ByteOrder::Big)),
    ];
    let mut outputs = Vec::new();
    for (name, bytes) in &files {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        outputs.push(same_fields(&path));
    }
    // The FCS changes what is decoded (else the files would print alike).
    assert_ne!(outputs[0], outputs[4]);
    assert_eq!(outputs[2], outputs[4], "an FCS length of 0 is no FCS");
    eprintln!("{} frames per file agree with tshark", frames().len());
}

/// capinfos' interface lines that zcpkt prints the same.
fn interface_lines(text: &str) -> Vec<String> {
    const SAME: &[&str] =
        &["Interface #", "Encapsulation = ", "Capture length = ", "FCS length = "];
    text.lines()
        .map(|l| l.trim().replace(" (1 - ether)", " (1)"))
        .filter(|l| SAME.iter().any(|p| l.starts_with(p)))
        .collect()
}

#[test]
fn info_shows_the_fcs_length_as_capinfos_and_json_gives_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let ng = dir.path().join("fcs.pcapng");
    std::fs::write(&ng, pcapng_with(ByteOrder::Little)).unwrap();
    let pcap = dir.path().join("fcs.pcap");
    std::fs::write(&pcap, pcap_with(0x2400_0001)).unwrap();

    let json = zcpkt().args(["info", "--json"]).arg(&ng).output().unwrap();
    let j: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let fcs: Vec<_> =
        j["interfaces"].as_array().unwrap().iter().map(|i| i["fcs_len"].clone()).collect();
    assert_eq!(fcs, [4.into(), 4.into(), 0.into(), 2.into(), serde_json::Value::Null, 4.into()]);
    let json = zcpkt().args(["info", "--json"]).arg(&pcap).output().unwrap();
    let j: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(j["interfaces"][0]["fcs_len"], 4);

    let ours = String::from_utf8(zcpkt().arg("info").arg(&ng).output().unwrap().stdout).unwrap();
    let lines = interface_lines(&ours);
    assert_eq!(lines.iter().filter(|l| l.starts_with("FCS length = ")).count(), 5, "{ours}");
    if !tool("capinfos") {
        eprintln!("note: capinfos is not installed; not compared");
        return;
    }
    for path in [&ng, &pcap] {
        let ours =
            String::from_utf8(zcpkt().arg("info").arg(path).output().unwrap().stdout).unwrap();
        let theirs = Command::new("capinfos").arg(path).output().unwrap();
        let theirs = String::from_utf8(theirs.stdout).unwrap();
        assert_eq!(interface_lines(&ours), interface_lines(&theirs), "{path:?}");
    }
}

#[test]
fn filter_keeps_the_pcap_fcs_bits() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.pcap");
    let bytes = pcap_with(0x2400_0001);
    std::fs::write(&input, &bytes).unwrap();
    let out = dir.path().join("out.pcap");
    let o = zcpkt().arg("filter").arg(&input).arg("-o").arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    // Every frame kept: the file is the same, header included.
    assert!(std::fs::read(&out).unwrap() == bytes);
}
