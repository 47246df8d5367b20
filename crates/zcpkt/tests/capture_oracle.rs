//! tshark and capinfos as an oracle: files built here are read by both zcpkt
//! and Wireshark's tools, and the frame count and per-frame fields
//! (`frame.time_epoch`, lengths, interface and section) must agree.
//!
//! Skipped, with a note, when `tshark` or `capinfos` is not installed (CI
//! does not install them yet).

mod capture_util;

use std::path::PathBuf;
use std::process::Command;

use capture_util::{Ng, Pcap};
use zcpkt::capture::{ByteOrder, Frame};
use zcpkt::pcapng::{block_type, option};
use zcpkt::{detect, Format};

fn tool_present(name: &str) -> bool {
    Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success())
}

fn write_temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zcpkt-oracle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// zcpkt's frames of `bytes` in tshark's `-T fields -E separator=,` form,
/// and whether it ended with an error.
fn zcpkt_fields(bytes: &[u8]) -> (Vec<String>, bool) {
    let frames: Vec<Result<Frame<'_>, _>> = match detect(bytes) {
        Some(Format::Pcap) => zcpkt::pcap::Parser::new().frames(bytes).collect(),
        Some(Format::PcapNg) => zcpkt::pcapng::Parser::new().frames(bytes).collect(),
        other => panic!("not a capture: {other:?}"),
    };
    let pcapng = detect(bytes) == Some(Format::PcapNg);
    let mut lines = Vec::new();
    let mut failed = false;
    for (i, frame) in frames.into_iter().enumerate() {
        let Ok(f) = frame else {
            failed = true;
            break;
        };
        let time = f.timestamp.map(|t| t.to_string()).unwrap_or_default();
        let (iface, section) = if pcapng {
            (f.interface_id.to_string(), (f.section + 1).to_string())
        } else {
            (String::new(), String::new())
        };
        let n = i + 1;
        lines.push(format!("{n},{time},{},{},{iface},{section}", f.original_len, f.captured_len));
    }
    (lines, failed)
}

fn tshark_fields(path: &PathBuf) -> (Vec<String>, bool) {
    let out = Command::new("tshark")
        .args(["-n", "-r"])
        .arg(path)
        .args(["-T", "fields", "-E", "separator=,"])
        .args(["-e", "frame.number", "-e", "frame.time_epoch", "-e", "frame.len"])
        .args(["-e", "frame.cap_len", "-e", "frame.interface_id", "-e", "frame.section_number"])
        .output()
        .unwrap();
    let lines = String::from_utf8(out.stdout).unwrap().lines().map(str::to_owned).collect();
    (lines, !out.status.success())
}

fn capinfos_count(path: &PathBuf) -> Option<usize> {
    let out = Command::new("capinfos").args(["-c", "-M"]).arg(path).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.starts_with("Number of packets"))?;
    line.split(':').nth(1)?.trim().parse().ok()
}

fn check(name: &str, bytes: &[u8]) {
    let path = write_temp(name, bytes);
    let (ours, our_error) = zcpkt_fields(bytes);
    let (theirs, their_error) = tshark_fields(&path);
    assert_eq!(ours, theirs, "{name}: frames differ from tshark's");
    assert_eq!(our_error, their_error, "{name}: tshark and zcpkt disagree on damage");
    if !our_error {
        assert_eq!(capinfos_count(&path), Some(ours.len()), "{name}: capinfos -c");
    }
}

fn pcap_files() -> Vec<(&'static str, Vec<u8>)> {
    let mut files = Vec::new();
    for (name, order, nanos) in
        [("le-us.pcap", ByteOrder::Little, false), ("be-ns.pcap", ByteOrder::Big, true)]
    {
        let mut p = Pcap::new(order, nanos, 65535, 1);
        p.record(1_700_000_000, 60, 60, &[0; 60]);
        p.record(1_700_000_001, 999_999, 1514, &[0; 100]);
        p.record(1_700_000_002, 5, 10, &[0; 10]);
        files.push((name, p.bytes));
    }
    // Cut the ns file: for a µs magic, Wireshark guesses among the
    // modified-libpcap variants (SS990417, Nokia, …) whose record headers
    // are longer, and a cut file can tip its guess, after which it shows
    // different frames entirely. The ns magic has no variants.
    // Reserved bits of the LinkType field: tshark refuses the file ("pcap:
    // network type reserved field not zero"); FCS bits it reads.
    for (name, field) in [("reserved.pcap", 0x0001_0001), ("fcs.pcap", 0x2400_0001)] {
        let mut p = Pcap::new(ByteOrder::Little, false, 65535, field);
        p.record(1_700_000_000, 60, 64, &[0; 64]);
        files.push((name, p.bytes));
    }
    let mut cut = files[1].1.clone();
    cut.truncate(cut.len() - 3);
    files.push(("cut.pcap", cut));
    files
}

fn pcapng_files() -> Vec<(&'static str, Vec<u8>)> {
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[(option::SHB_USERAPPL, b"zcpkt".to_vec())]);
    ng.idb(1, 0, &[]);
    ng.idb(1, 0, &[(option::IF_TSRESOL, vec![9])]);
    ng.idb(1, 0, &[(option::IF_TSRESOL, vec![0x80 | 10])]);
    ng.idb(1, 0, &[(option::IF_TSRESOL, vec![0x80 | 30])]);
    let offset = ng.n64(1000);
    ng.idb(1, 0, &[(option::IF_TSOFFSET, offset)]);
    ng.epb(0, 1_700_000_000_000_060, 60, &[0; 60], &[(option::COMMENT, b"hi".to_vec())]);
    ng.epb(1, 1_700_000_000_123_456_789, 60, &[0; 60], &[]);
    ng.epb(2, 1_700_000_000 * 1024 + 1, 60, &[0; 60], &[]);
    ng.epb(3, (5 << 30) + (1 << 30) - 1, 60, &[0; 60], &[]);
    ng.epb(4, 7_000_001, 60, &[0; 60], &[]);
    ng.block(block_type::INTERFACE_STATISTICS, &[0; 12]);
    // No Custom Block here: tshark 4.0 lists one as a frame of its own,
    // where `fields.md` (like libpcap and capinfos) does not count it.
    ng.block(block_type::NAME_RESOLUTION, &[0; 4]);
    ng.shb(ByteOrder::Big, &[]);
    ng.idb(1, 32, &[]);
    ng.idb(1, 0, &[]);
    ng.epb(1, 1_700_000_000_000_001, 60, &[0; 60], &[]);
    // An SPB holds min(original, snaplen) bytes: Wireshark reads exactly
    // that many and expects the trailer right after.
    ng.spb(60, &[0; 32]);
    ng.pb(1, 1_700_000_000_000_002, 60, &[0; 60], &[]);
    let good = ng.bytes.clone();
    let mut cut = good.clone();
    cut.truncate(cut.len() - 10);
    let mut unknown_iface = good.clone();
    let mut tail = Ng { bytes: Vec::new(), order: ByteOrder::Big };
    tail.epb(7, 0, 0, &[], &[]);
    unknown_iface.extend_from_slice(&tail.bytes);
    // An SPB without room for min(original, snaplen) bytes is damage to
    // tshark ("total block length 76 of an SPB is too small for 100 bytes
    // of packet data"), not a frame cut to the room.
    let mut short_spb = Ng::new();
    short_spb.shb(ByteOrder::Little, &[]);
    short_spb.idb(1, 0, &[]);
    short_spb.spb(61, &[0; 61]);
    short_spb.spb(100, &[0; 60]);
    short_spb.spb(60, &[0; 60]);
    // A DSB's secrets, padded to 4, must fit in it: tshark reads a longer
    // Secrets Length as given and finds the file "cut short".
    let mut dsb = Ng::new();
    dsb.shb(ByteOrder::Little, &[]);
    dsb.idb(1, 0, &[]);
    let secrets = |ng: &mut Ng, secrets_len: u32, data: &[u8]| {
        let mut body = ng.n32(0x544c_534b);
        body.extend(ng.n32(secrets_len));
        body.extend_from_slice(data);
        ng.block(block_type::DECRYPTION_SECRETS, &body);
    };
    secrets(&mut dsb, 5, &[0x61; 8]);
    dsb.epb(0, 1_700_000_000_000_001, 60, &[0; 60], &[]);
    let good_dsb = dsb.bytes.clone();
    secrets(&mut dsb, 9, &[0x61; 8]);
    dsb.epb(0, 1_700_000_000_000_002, 60, &[0; 60], &[]);
    // Options of a length their code does not allow: tshark refuses an
    // epb_flags of 0 bytes ("packet block flags option length 0 is not
    // 4") and ignores an if_tsresol of 2 or an empty epb_hash.
    let mut options = Ng::new();
    options.shb(ByteOrder::Little, &[]);
    options.idb(1, 0, &[(option::IF_TSRESOL, vec![9, 9]), (option::IF_TSOFFSET, vec![0; 4])]);
    options.epb(0, 1_700_000_000_000_001, 60, &[0; 60], &[(option::EPB_HASH, vec![])]);
    let ignored_options = options.bytes.clone();
    options.epb(0, 1_700_000_000_000_002, 60, &[0; 60], &[(option::EPB_FLAGS, vec![])]);
    options.epb(0, 1_700_000_000_000_003, 60, &[0; 60], &[]);
    // Name resolution records: tshark reads names ending with 0 and
    // refuses one without ("NRB record has non-null-terminated host name").
    let mut nrb = Ng::new();
    nrb.shb(ByteOrder::Little, &[]);
    nrb.idb(1, 0, &[]);
    let names = [&[1, 0, 9, 0, 10, 0, 0, 1][..], b"a\0b\0\0", &[0; 3], &[0; 4]].concat();
    nrb.block(block_type::NAME_RESOLUTION, &names);
    nrb.epb(0, 1_700_000_000_000_001, 60, &[0; 60], &[]);
    let good_nrb = nrb.bytes.clone();
    let unterminated = [&[1, 0, 8, 0, 10, 0, 0, 1][..], b"host", &[0; 4]].concat();
    nrb.block(block_type::NAME_RESOLUTION, &unterminated);
    nrb.epb(0, 1_700_000_000_000_002, 60, &[0; 60], &[]);
    // An ISB's options must be well formed ("Not enough data to handle
    // option of length 99"); a Custom Block needs its PEN ("total block
    // length 12 of a CB is too small (< 16)").
    let mut isb = Ng::new();
    isb.shb(ByteOrder::Little, &[]);
    isb.idb(1, 0, &[]);
    isb.epb(0, 1_700_000_000_000_001, 60, &[0; 60], &[]);
    let mut custom = Ng { bytes: isb.bytes.clone(), order: ByteOrder::Little };
    isb.block(block_type::INTERFACE_STATISTICS, &[&[0; 12][..], &[4, 0, 99, 0]].concat());
    isb.epb(0, 1_700_000_000_000_002, 60, &[0; 60], &[]);
    custom.block(block_type::CUSTOM_NO_COPY, &[]);
    custom.epb(0, 1_700_000_000_000_002, 60, &[0; 60], &[]);
    vec![
        ("multi.pcapng", good),
        ("isb-option-past-end.pcapng", isb.bytes),
        ("custom-short.pcapng", custom.bytes),
        ("nrb.pcapng", good_nrb),
        ("nrb-unterminated.pcapng", nrb.bytes),
        ("options-ignored.pcapng", ignored_options),
        ("epb-flags-empty.pcapng", options.bytes),
        ("dsb.pcapng", good_dsb),
        ("dsb-past-end.pcapng", dsb.bytes),
        ("cut.pcapng", cut),
        ("iface.pcapng", unknown_iface),
        ("short-spb.pcapng", short_spb.bytes),
    ]
}

#[test]
fn agrees_with_tshark_and_capinfos() {
    if !tool_present("tshark") || !tool_present("capinfos") {
        eprintln!("note: tshark/capinfos not installed; skipping the oracle test");
        return;
    }
    for (name, bytes) in pcap_files().into_iter().chain(pcapng_files()) {
        check(name, &bytes);
    }
}
