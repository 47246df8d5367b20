//! `zcpkt filter` on pcapng keeps what the frames it keeps mean: every
//! section header and interface block with all options (`if_tsresol`,
//! `if_tsoffset`, names, …), in each section's byte order, and every option
//! of the kept packet blocks (comments, `epb_flags`, drop counts, packet
//! IDs, hashes). Checked with the library (options byte for byte) and,
//! when installed, with tshark (per-frame fields of the output equal the
//! input's for the frames `tshark -Y` keeps) and capinfos (the same section
//! and interface lines).

#[path = "../../zcpkt/tests/capture_util/mod.rs"]
mod capture_util;
#[path = "../../zcpkt/tests/proto_frames/mod.rs"]
mod proto_frames;

use std::path::Path;
use std::process::Command;

use capture_util::{Ng, Opt};
use proto_frames::{eth, ipv4, tcp, udp};
use zcpkt::capture::ByteOrder;
use zcpkt::pcapng::{block_type, option, Block, Parser};

const EXPR: &str = "udp.dstport == 53 || tcp.dstport == 443";

fn dns() -> Vec<u8> {
    eth(0x0800, &ipv4(17, &udp(40000, 53, b"query")))
}

fn web() -> Vec<u8> {
    eth(0x0800, &ipv4(6, &tcp(40001, 443, &[], b"hello")))
}

fn other() -> Vec<u8> {
    eth(0x0800, &ipv4(17, &udp(40002, 123, b"ntp")))
}

fn text(v: &str) -> Vec<u8> {
    v.as_bytes().to_vec()
}

/// Two sections of opposite byte order. The first: SHB strings and a
/// comment; interface 0 in ns with `if_tsoffset`, interface 1 in 2^-20 s
/// with a negative offset; EPBs with every common option, an SPB, an
/// obsolete PB, and blocks without packets. The second (big-endian):
/// raw IP in ms.
fn input() -> (Vec<u8>, usize) {
    let mut ng = Ng::new();
    let mut kept = 0;
    ng.shb(
        ByteOrder::Little,
        &[
            (option::COMMENT, text("first section")),
            (option::SHB_HARDWARE, text("test rig")),
            (option::SHB_OS, text("Linux 6.1")),
            (option::SHB_USERAPPL, text("zcpkt filter test")),
        ],
    );
    let offset0 = ng.n64(1_000_000);
    ng.idb(
        1,
        65535,
        &[
            (option::IF_NAME, text("eth0")),
            (option::IF_DESCRIPTION, text("uplink")),
            (option::IF_TSRESOL, vec![9]),
            (option::IF_TSOFFSET, offset0),
            (11, [&[0u8][..], b"udp or tcp"].concat()), // if_filter (libpcap)
            (12, text("Linux")),                        // if_os
        ],
    );
    let offset1 = ng.n64((-5i64) as u64);
    ng.idb(
        1,
        0,
        &[
            (option::IF_NAME, text("eth1")),
            (option::IF_TSRESOL, vec![0x80 | 20]),
            (option::IF_TSOFFSET, offset1),
        ],
    );
    let ns = 1_699_000_000_000_000_123u64; // + 10^6 s of offset: 1.7e9 s
    for i in 0..6u64 {
        let (frame, keep) = match i % 3 {
            0 => (dns(), true),
            1 => (other(), false),
            _ => (web(), true),
        };
        kept += usize::from(keep);
        let options: Vec<Opt> = match i {
            0 => vec![(option::COMMENT, text("first dns"))],
            2 => vec![
                (option::COMMENT, text("one")),
                (option::COMMENT, text("two")),
                (option::EPB_FLAGS, ng.n32(0x0000_0002)), // outbound
                (option::EPB_DROPCOUNT, ng.n64(7)),
                (option::EPB_PACKETID, ng.n64(0xfeed_beef)),
            ],
            3 => vec![
                (option::EPB_FLAGS, ng.n32(0x0000_0001)), // inbound
                (option::EPB_HASH, [&[2u8][..], &[1, 2, 3, 4]].concat()),
            ],
            4 => vec![(option::COMMENT, text("not kept"))],
            _ => vec![],
        };
        ng.epb(0, ns + i * 1_000_001, frame.len() as u32, &frame, &options);
        if i == 2 {
            let units = 1_700_000_001u64 * (1 << 20) + 12_345; // + (-5) s
            let w = web();
            ng.epb(1, units, 1500, &w[..w.len() - 2], &[(option::COMMENT, text("cut"))]);
            kept += 1;
            ng.block(block_type::INTERFACE_STATISTICS, &[0; 12]);
            ng.block(block_type::NAME_RESOLUTION, &[0; 4]);
        }
    }
    ng.spb(dns().len() as u32, &dns());
    ng.pb(1, 1_700_000_002u64 << 20, web().len() as u32, &web(), &[(option::EPB_FLAGS, ng.n32(1))]);
    kept += 2;
    ng.block(block_type::CUSTOM_NO_COPY, &[0, 0, 0x7e, 0x12, 1, 2, 3, 4]);
    ng.block(0x0000_0101, &[9; 8]); // an unknown type

    ng.shb(ByteOrder::Big, &[(option::COMMENT, text("second section"))]);
    ng.idb(101, 4096, &[(option::IF_NAME, text("tun0")), (option::IF_TSRESOL, vec![3])]);
    for i in 0..4u64 {
        let frame = ipv4(17, &udp(5000, if i % 2 == 0 { 53 } else { 54 }, b"q"));
        let comment = (option::COMMENT, text(&format!("big-endian {i}")));
        ng.epb(0, 1_700_000_003_000 + i, frame.len() as u32, &frame, &[comment]);
        kept += usize::from(i % 2 == 0);
    }
    let mut dsb = b"TLSK".to_vec();
    dsb.extend(ng.n32(0));
    ng.block(block_type::DECRYPTION_SECRETS, &dsb);
    (ng.bytes, kept)
}

/// What a reader sees of each frame, options as raw bytes.
#[derive(Debug, PartialEq)]
struct Seen {
    section: u32,
    interface: u32,
    time: Option<String>,
    original_len: u32,
    data: Vec<u8>,
    options: Vec<u8>,
    order: ByteOrder,
}

fn frames(bytes: &[u8]) -> Vec<Seen> {
    Parser::new()
        .frames(bytes)
        .map(|f| {
            let f = f.unwrap();
            Seen {
                section: f.section,
                interface: f.interface_id,
                time: f.timestamp.map(|t| t.to_string()),
                original_len: f.original_len,
                data: f.data.to_vec(),
                options: f.options.as_bytes().to_vec(),
                order: f.options.byte_order(),
            }
        })
        .collect()
}

/// Every block that is not a packet, as (type, body) — what filter copies.
fn headers(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut blocks = Parser::new().frames(bytes);
    while let Some(block) = blocks.next_block() {
        match block.unwrap() {
            Block::Section(s) => {
                out.push((format!("SHB {:?}", s.byte_order), s.options.as_bytes().to_vec()))
            }
            Block::Interface { id, interface, options } => {
                // Everything but where the block is.
                let i = interface;
                let what = (i.link_type, i.snaplen, i.resolution, i.tsoffset, i.fcs_len);
                out.push((format!("IDB {id} {what:?}"), options.as_bytes().to_vec()))
            }
            Block::Other(raw) => out.push((format!("{:#x}", raw.block_type), raw.body.to_vec())),
            Block::Frame(_) => {}
        }
    }
    out
}

fn filter(path: &Path, out: &Path) -> String {
    let o = Command::new(assert_cmd::cargo::cargo_bin("zcpkt"))
        .arg("filter")
        .arg(path)
        .arg("-o")
        .arg(out)
        .args(["--expr", EXPR])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{err}");
    err
}

#[test]
fn kept_frames_keep_their_options_timestamps_interfaces_and_sections() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, kept) = input();
    let path = dir.path().join("in.pcapng");
    std::fs::write(&path, &bytes).unwrap();
    let out = dir.path().join("out.pcapng");
    let err = filter(&path, &out);
    assert!(err.contains(&format!("{kept} of 13 frames matched")), "{err}");
    let written = std::fs::read(&out).unwrap();

    // The frames that match, exactly as they were (the obsolete PB reads
    // the same as an EPB); the non-matching ones are gone.
    let mut want: Vec<Seen> = frames(&bytes)
        .into_iter()
        .filter(|s| {
            s.data.windows(2).any(|w| w == 53u16.to_be_bytes() || w == 443u16.to_be_bytes())
        })
        .collect();
    // The obsolete PB (the 7th kept) is written as an EPB whose
    // epb_dropcount carries the PB's drops count (0), as Wireshark does.
    assert_eq!(want[6].options, [2, 0, 4, 0, 1, 0, 0, 0]);
    want[6].options.extend([4, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let got = frames(&written);
    assert_eq!(got.len(), kept);
    assert_eq!(got, want);
    assert!(got.iter().any(|s| s.time.is_none()), "the SPB stays one");
    assert!(got.iter().any(|s| s.order == ByteOrder::Big && !s.options.is_empty()));

    // Sections, interfaces, statistics, names and secrets as they were; the
    // do-not-copy custom block and the unknown block left out.
    let dropped = [format!("{:#x}", block_type::CUSTOM_NO_COPY), "0x101".to_string()];
    let want: Vec<_> = headers(&bytes).into_iter().filter(|(k, _)| !dropped.contains(k)).collect();
    assert_eq!(headers(&written), want);

    // Standard input (streamed) to standard output: the same bytes.
    let piped = Command::new(assert_cmd::cargo::cargo_bin("zcpkt"))
        .args(["filter", "-", "-o", "-", "--expr", EXPR])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut piped = piped;
    let mut stdin = piped.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, &bytes).unwrap();
    drop(stdin);
    let piped = piped.wait_with_output().unwrap();
    assert_eq!(piped.status.code(), Some(0));
    assert!(piped.stdout == written, "streamed output differs from the mapped one");
}

// ---- tshark and capinfos ----------------------------------------------

fn tool(name: &str) -> bool {
    Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// The per-frame fields that come from the container and its options.
const FRAME_FIELDS: &[&str] = &[
    "frame.time_epoch",
    "frame.len",
    "frame.cap_len",
    "frame.section_number",
    "frame.interface_id",
    "frame.interface_name",
    "frame.interface_description",
    "frame.encap_type",
    "frame.packet_flags",
    "frame.comment",
    "frame.drop_count",
    "frame.packet_id",
    "ip.src",
    "udp.dstport",
    "tcp.dstport",
];

fn tshark(path: &Path, display_filter: Option<&str>) -> String {
    let mut cmd = Command::new("tshark");
    cmd.args(["-n", "-r"]).arg(path);
    if let Some(f) = display_filter {
        cmd.args(["-Y", f]);
    }
    cmd.args(["-T", "fields", "-E", "separator=,", "-E", "aggregator=;", "-E", "occurrence=a"]);
    for f in FRAME_FIELDS {
        cmd.args(["-e", f]);
    }
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// capinfos' lines about the first section and every interface.
fn capinfos_metadata(path: &Path) -> Vec<String> {
    let o = Command::new("capinfos").arg(path).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    const KEEP: &[&str] = &[
        "File encapsulation:",
        "File timestamp precision:",
        "Capture hardware:",
        "Capture oper-sys:",
        "Capture application:",
        "Capture comment:",
        "Number of interfaces in file:",
        "Interface #",
        "Name = ",
        "Description = ",
        "Encapsulation = ",
        "Capture length = ",
        "Time precision = ",
        "Time ticks per second = ",
        "Time resolution = ",
        "Filter string = ",
        "Operating system = ",
        "Number of stat entries = ",
    ];
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| KEEP.iter().any(|k| l.starts_with(k)))
        .map(str::to_owned)
        .collect()
}

#[test]
fn tshark_and_capinfos_see_the_kept_frames_as_in_the_input() {
    if !tool("tshark") || !tool("capinfos") {
        eprintln!("note: tshark or capinfos is not installed; skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (bytes, kept) = input();
    let path = dir.path().join("in.pcapng");
    std::fs::write(&path, &bytes).unwrap();
    let out = dir.path().join("out.pcapng");
    filter(&path, &out);

    let want = tshark(&path, Some(EXPR));
    let got = tshark(&out, None);
    assert_eq!(got.lines().count(), kept);
    assert_eq!(got, want);
    // The options really are in there (not two empty columns agreeing).
    // (tshark 4.0 names section 2's interface 0 after section 1's: it
    // looks interface names up by ID alone. Input and output agree.)
    for needle in ["first dns", "one;two", "cut", "big-endian 2", "uplink", "eth1"] {
        assert!(got.contains(needle), "{needle:?} missing:\n{got}");
    }

    let (a, b) = (capinfos_metadata(&path), capinfos_metadata(&out));
    // capinfos 4.0 prints no line for if_tsoffset: the times above check it.
    assert!(a.iter().any(|l| l.starts_with("Filter string = ")), "{a:?}");
    assert_eq!(b, a);
}

/// `filter --recover` writes `input` (damaged) to a file that tshark reads
/// without error; returns what tshark lists of it and zcpkt's stderr.
fn recovered_reads_cleanly(name: &str, input: &[u8]) -> Option<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    let out = dir.path().join("out.pcapng");
    std::fs::write(&path, input).unwrap();
    let o = Command::new(assert_cmd::cargo::cargo_bin("zcpkt"))
        .arg("filter")
        .arg(&path)
        .arg("-o")
        .arg(&out)
        .arg("--recover")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "{err}");
    if !tool("tshark") {
        eprintln!("note: tshark is not installed; skipping");
        return None;
    }
    let listed = Command::new("tshark").args(["-n", "-r"]).arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&listed.stderr);
    assert!(listed.status.success() && !stderr.contains("appears"), "{name}: {stderr}");
    Some((String::from_utf8(listed.stdout).unwrap(), err))
}

/// A DNS frame, then damage: bytes that frame no block,
/// then a block `bogus` writes (framed, with a framed block after it)
/// whose contents tshark rejects, then two good frames. Recovery must not
/// resume at the bogus block, or the output holds it.
fn damaged_then(bogus: impl Fn(&mut Ng)) -> Vec<u8> {
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[]);
    ng.idb(1, 0, &[]);
    let frame = dns();
    ng.epb(0, 1_700_000_000_000_000, frame.len() as u32, &frame, &[]);
    ng.bytes.extend([0xee; 8]);
    bogus(&mut ng);
    ng.epb(0, 1_700_000_000_000_001, frame.len() as u32, &frame, &[]);
    ng.epb(0, 1_700_000_000_000_002, frame.len() as u32, &frame, &[]);
    ng.bytes
}

#[test]
fn recovery_never_resumes_at_a_secrets_block_with_secrets_past_its_end() {
    let input = damaged_then(|ng| {
        let mut body = ng.n32(0x544c_534b);
        body.extend(ng.n32(9));
        body.extend([0x5a; 8]);
        ng.block(block_type::DECRYPTION_SECRETS, &body);
    });
    if let Some((listed, err)) = recovered_reads_cleanly("dsb.pcapng", &input) {
        assert_eq!(listed.lines().count(), 3, "{listed}");
        assert!(err.contains("skipped 36 damaged bytes"), "{err}");
    }
}

#[test]
fn recovery_never_resumes_at_a_packet_with_a_bad_option_length() {
    let input = damaged_then(|ng| {
        ng.epb(0, 1_700_000_000_000_000, 4, b"abcd", &[(option::EPB_DROPCOUNT, vec![0; 4])]);
    });
    if let Some((listed, err)) = recovered_reads_cleanly("dropcount.pcapng", &input) {
        assert_eq!(listed.lines().count(), 3, "{listed}");
        assert!(err.contains("skipped 56 damaged bytes"), "{err}");
    }
}

#[test]
fn recovery_never_resumes_at_a_name_resolution_block_with_a_record_past_its_end() {
    let input = damaged_then(|ng| {
        // An IPv4 record of 40 bytes in a 16-byte body.
        let body = [&[1, 0, 40, 0, 10, 0, 0, 1][..], b"host", &[0; 4]].concat();
        ng.block(block_type::NAME_RESOLUTION, &body);
    });
    if let Some((listed, err)) = recovered_reads_cleanly("nrb.pcapng", &input) {
        assert_eq!(listed.lines().count(), 3, "{listed}");
        assert!(err.contains("skipped 36 damaged bytes"), "{err}");
    }
}

#[test]
fn recovery_never_resumes_at_a_statistics_block_with_an_option_past_its_end() {
    let input = damaged_then(|ng| {
        let body = [&[0; 12][..], &[4, 0, 99, 0]].concat();
        ng.block(block_type::INTERFACE_STATISTICS, &body);
    });
    if let Some((listed, err)) = recovered_reads_cleanly("isb.pcapng", &input) {
        assert_eq!(listed.lines().count(), 3, "{listed}");
        assert!(err.contains("skipped 36 damaged bytes"), "{err}");
    }
}
