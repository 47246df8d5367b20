//! Differential test: the protocol fields of frames crafted byte by byte, as
//! `zcpkt::proto::fields` writes them and as tshark prints them.
//!
//! The frames go into one pcap file per link type (a tiny writer below),
//! tshark reads each with the options `fields.md` names, and every line must
//! agree. The `frame.*` fields come from the container and are not compared
//! here. Skipped, with a note, when `tshark` is not installed.
//!
//! Deliberate deviations (not exercised here, documented in
//! `zcpkt::proto`): a lower UDP port whose protocol claims some VXLAN or
//! MSRCP payloads and not others is taken as claiming none; tunnels
//! other than VXLAN, MSRCP, Geneve, IP in IP, IPv6 in IP, Ethernet in IP,
//! GRE, MPLS and 802.3 LLC/SNAP are not followed; an MPLS payload of first
//! nibble 0 (an Ethernet pseudowire) is not decoded.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use zcpkt::proto::fields::{write_field, FieldName, FrameInfo};
use zcpkt::proto::{link_type, Layers, VXLAN_PORT};

mod proto_frames;

use proto_frames::*;

/// The L2-L4 fields of `fields.md`, in the column order used for both sides.
const FIELDS: &[&str] = &[
    "eth.src",
    "eth.dst",
    "eth.type",
    "vlan.id",
    "ip.src",
    "ip.dst",
    "ip.proto",
    "ip.flags.mf",
    "ip.frag_offset",
    "ipv6.src",
    "ipv6.dst",
    "ipv6.nxt",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.len",
    "udp.srcport",
    "udp.dstport",
    "udp.length",
    "icmp.type",
    "icmpv6.type",
];

// ---- the comparison ---------------------------------------------------

fn write_pcap(path: &Path, link_type: u16, frames: &[Frame]) {
    let mut b = Vec::new();
    b.extend(0xa1b2_c3d4u32.to_le_bytes());
    b.extend(2u16.to_le_bytes());
    b.extend(4u16.to_le_bytes());
    b.extend(0i32.to_le_bytes());
    b.extend(0u32.to_le_bytes());
    b.extend(262_144u32.to_le_bytes());
    b.extend(u32::from(link_type).to_le_bytes());
    for (i, fr) in frames.iter().enumerate() {
        b.extend((1_700_000_000 + i as u32).to_le_bytes());
        b.extend(0u32.to_le_bytes());
        b.extend((fr.data.len() as u32).to_le_bytes());
        b.extend((fr.orig_len as u32).to_le_bytes());
        b.extend(&fr.data);
    }
    std::fs::write(path, b).unwrap();
}

fn tshark_available() -> bool {
    Command::new("tshark").arg("--version").output().is_ok_and(|o| o.status.success())
}

fn ours(link_type: u16, fr: &Frame, fields: &[FieldName]) -> String {
    let mut line = String::new();
    for (i, &field) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let layers = Layers::with_orig_len(link_type, &fr.data, fr.orig_len);
        write_field(&mut line, field, &FrameInfo::default(), layers, ';').unwrap();
    }
    line
}

fn compare(label: &str, link_type: u16, frames: &[Frame]) {
    let fields: Vec<FieldName> = FIELDS.iter().map(|f| f.parse().unwrap()).collect();
    let dir = std::env::temp_dir().join(format!("zcpkt-fields-tshark-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{label}.pcap"));
    write_pcap(&path, link_type, frames);
    let mut cmd = Command::new("tshark");
    cmd.args(["-n", "-o", "tcp.desegment_tcp_streams:FALSE", "-o", "ip.defragment:FALSE"])
        .args(["-o", "ipv6.defragment:FALSE", "-r"])
        .arg(&path)
        .args(["-T", "fields", "-E", "separator=,", "-E", "aggregator=;", "-E", "occurrence=a"]);
    for f in FIELDS {
        cmd.args(["-e", f]);
    }
    let out = cmd.output().expect("run tshark");
    assert!(out.status.success(), "tshark failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let theirs: Vec<&str> = text.lines().collect();
    assert_eq!(theirs.len(), frames.len(), "{label}: tshark printed a different number of lines");
    let mut report = String::new();
    let mut bad = 0;
    for (i, (fr, want)) in frames.iter().zip(&theirs).enumerate() {
        let got = ours(link_type, fr, &fields);
        if got != *want {
            bad += 1;
            if bad <= 400 {
                let _ = writeln!(
                    report,
                    "frame {} ({}):\n  tshark: {want}\n  zcpkt:  {got}",
                    i + 1,
                    fr.name
                );
            }
        }
    }
    let _ = std::fs::remove_file(&path);
    assert!(
        bad == 0,
        "{label}: {bad} of {} frames differ (columns: {})\n{report}",
        frames.len(),
        FIELDS.join(",")
    );
}

macro_rules! differential {
    ($name:ident, $lt:expr, $frames:expr) => {
        #[test]
        fn $name() {
            if !tshark_available() {
                eprintln!("note: tshark is not installed; skipping the tshark comparison");
                return;
            }
            compare(stringify!($name), $lt, &$frames);
        }
    };
}

differential!(ethernet, link_type::ETHERNET, ethernet_frames());
differential!(linux_sll, link_type::LINUX_SLL, sll_frames());
differential!(linux_sll2, link_type::LINUX_SLL2, sll2_frames());
differential!(raw_ip, link_type::RAW, raw_frames());
differential!(null_loopback, link_type::NULL, null_frames());

/// Raw IPv4 datagrams carrying TCP, each with one option of every type at
/// every length from 2 to 14, its third byte (a route's pointer,
/// Quick-Start's function) 0, 4, 16 or 0x80: where tshark gives up on the
/// datagram (an option shorter than its fields) or shows no `ip.dst` (a
/// source route of broken addresses), so must zcpkt; also quoted by an
/// ICMP error (third byte 4), where tshark does not give up.
fn ipv4_option_frames() -> Vec<Frame> {
    let mut frames = Vec::new();
    for kind in 2u8..=255 {
        for len in 2u8..=14 {
            for third in [0u8, 4, 16, 0x80] {
                let mut options = vec![kind, len];
                options.extend((2..len).map(|i| if i == 2 { third } else { 0x0a + i }));
                options.resize(options.len().next_multiple_of(4), 0);
                let ip = proto_frames::V4 { options, ..v4(6) };
                let name = format!("ipv4 option {kind:#04x} length {len} third byte {third}");
                let dgram = ip.build(&tcp(1234, 80, &[], b"data"));
                if third == 4 {
                    let error = ipv4(1, &icmp(3, 0, [0; 4], &dgram));
                    frames.push(whole(&format!("icmp error quoting {name}"), error));
                }
                frames.push(whole(&name, dgram));
            }
        }
    }
    frames
}

differential!(ipv4_options, link_type::RAW, ipv4_option_frames());

/// Raw ICMP errors (and two non-errors) of every type, with the second
/// rest-of-header byte (RFC 4884's length of the original datagram, a
/// Redirect's gateway) 0, 1, 2, 3, 5, 6, 7 or 200, quoting IPv4 (with and
/// without options, a first fragment, a total length of 0, a header
/// length nibble of 15 or 3) carrying IPv4/TCP or UDP, and IPv6/UDP:
/// tshark decodes a Redirect's quote only to the IP header and 8 bytes,
/// and another error's with a length byte only to the IPv4 header and that
/// many words, unless the IPv4 total length is 0.
fn icmp_quote_frames() -> Vec<Frame> {
    let inner = ipv4(6, &tcp(1000, 80, &[], &[0x78; 30]));
    let udp9 = udp(50000, 2000, &[0x78; 9]);
    let mut quotes: Vec<(&str, Vec<u8>)> = vec![
        ("ipv4/ipv4/tcp", ipv4(4, &inner)),
        ("ipv4 options/ipv4/tcp", V4 { options: vec![1, 1, 1, 0], ..v4(4) }.build(&inner)),
        ("ipv4/udp", ipv4(17, &udp9)),
        ("ipv6/udp", ipv6(17, &udp9)),
        ("ipv4 first fragment/ipv4/tcp", V4 { flags_frag: 0x2000, ..v4(4) }.build(&inner)),
    ];
    let tso = V4 { total_len: Some(0), ..v4(4) }.build(&inner);
    quotes.push(("ipv4 total length 0/ipv4/tcp", tso));
    for nibble in [0x4f, 0x43] {
        let mut q = ipv4(17, &udp9);
        q[0] = nibble;
        quotes.push(if nibble == 0x4f { ("ihl 15/udp", q) } else { ("ihl 3/udp", q) });
    }
    let mut frames = Vec::new();
    for ty in [3u8, 4, 5, 11, 12, 0, 8] {
        for len in [0u8, 1, 2, 3, 5, 6, 7, 20, 200] {
            for (name, q) in &quotes {
                let frame = ipv4(1, &icmp(ty, 0, [9, len, 0, 0], q));
                frames.push(whole(&format!("icmp {ty} length byte {len} quoting {name}"), frame));
            }
        }
    }
    frames
}

differential!(icmp_quotes, link_type::RAW, icmp_quote_frames());

/// Raw IPv4/UDP datagrams whose options are two or three of: source
/// routes in use, used up, with a bad pointer or broken addresses, and
/// options malformed in ways that stop Wireshark's search for the first
/// route or its dissection of the options, or neither: tshark 4.0 shows
/// the header's destination only while the first route is not in use,
/// and one more `ip.dst` per route in use that the options' dissection
/// reaches. Plus every cut of a header with two routes.
fn ipv4_route_frames() -> Vec<Frame> {
    let route = |kind: u8, ptr: u8, addr: u8| vec![kind, 7, ptr, addr, addr, addr, addr];
    let pieces: Vec<(&str, Vec<u8>)> = vec![
        ("lsrr", route(0x83, 4, 3)),
        ("ssrr", route(0x89, 4, 4)),
        ("used-up lsrr", route(0x83, 8, 5)),
        ("lsrr pointer 5", route(0x83, 5, 6)),
        ("lsrr of broken addresses", vec![0x83, 6, 4, 9, 9, 9]),
        ("timestamp of length 2", vec![0x44, 2]),
        ("router alert of length 5", vec![0x94, 5, 0, 0, 0]),
        ("nop", vec![1]),
        ("cipso of length 4", vec![0x86, 4, 0, 0]),
        ("record route", vec![7, 7, 4, 8, 8, 8, 8]),
        ("ssrr of length 2", vec![0x89, 2]),
        ("lsrr of length 3", vec![0x83, 3, 4]),
    ];
    let mut frames = Vec::new();
    for (a, first) in &pieces {
        for (b, second) in &pieces {
            for (c, third) in
                pieces.iter().take(5).map(|(n, p)| (*n, &p[..])).chain([("", &[][..])])
            {
                let mut options = cat(&[first, second, third]);
                options.resize(options.len().next_multiple_of(4), 0);
                let ip = V4 { options, ..v4(17) };
                let name = format!("ipv4 options {a}, {b}, {c}");
                frames.push(whole(&name, ip.build(&udp(1234, 80, b"data"))));
            }
        }
    }
    let mut options = cat(&[&route(0x83, 4, 3), &route(0x89, 4, 4)]);
    options.resize(16, 0);
    frames.extend(all_cuts("ipv4 lsrr, ssrr", &V4 { options, ..v4(17) }.build(&udp(1, 2, &[]))));
    frames
}

differential!(ipv4_routes, link_type::RAW, ipv4_route_frames());

/// Raw IPv6/UDP datagrams with a routing header of type 0, 2 (Mobile IPv6)
/// or 4 (segment routing), 0 to 5 units long, with Segments Left 0 to 2
/// and (type 4) Last Entry 0 to 3, on its own and in the packet an
/// ICMPv6 error quotes: tshark 4.0 stops after a type 2 header without
/// room for its address and a type 4 header without room for its
/// segments, except in a quoted packet.
fn ipv6_routing_frames() -> Vec<Frame> {
    let mut frames = Vec::new();
    for kind in [0u8, 2, 4] {
        for units in 0u8..=5 {
            for left in 0u8..=2 {
                for last_entry in [0u8, 1, 2, 3] {
                    let mut rh = vec![17, units, kind, left, last_entry, 0, 0, 0];
                    rh.extend((0..usize::from(units) * 8).map(|i| i as u8));
                    let dgram = ipv6(43, &cat(&[&rh, &udp(1234, 80, b"data")]));
                    let name = format!(
                        "ipv6 routing type {kind} length {units} left {left} last {last_entry}"
                    );
                    frames.push(whole(&name, dgram.clone()));
                    let error = ipv6(58, &icmp(1, 0, [0; 4], &dgram));
                    frames.push(whole(&format!("icmpv6 error quoting {name}"), error));
                }
            }
        }
    }
    let rh = [17, 0, 4, 1, 0, 0, 0, 0];
    frames.extend(all_cuts("ipv6 short srh", &ipv6(43, &cat(&[&rh, &udp(1, 2, &[])]))));
    frames
}

differential!(ipv6_routing, link_type::RAW, ipv6_routing_frames());

/// Raw UDP-Lite (IP protocol 136) datagrams: tshark 4.0 shows them with
/// the `udp.*` fields, `udp.length` being the length the IP header gives
/// (the header's field is a checksum coverage), in a first fragment and
/// an ICMP error's quote too; VXLAN on port 4789 is followed. Every cut
/// of one, and whole datagrams of 3 to 8 bytes.
fn udp_lite_frames() -> Vec<Frame> {
    let lite = udp_len(50000, 2000, 0x1234, &[0x78; 20]);
    let inner = eth(0x0800, &ipv4(17, &udp(1, 2, b"a")));
    let mut frames = vec![
        whole("ipv4/udp-lite", ipv4(136, &lite)),
        whole("ipv6/udp-lite", ipv6(136, &lite)),
        whole("ipv4 total length 30/udp-lite", V4 { total_len: Some(30), ..v4(136) }.build(&lite)),
        whole("ipv4 total length 0/udp-lite", V4 { total_len: Some(0), ..v4(136) }.build(&lite)),
        whole("ipv4 first fragment/udp-lite", V4 { flags_frag: 0x2000, ..v4(136) }.build(&lite)),
        whole("ipv6 first fragment/udp-lite", ipv6(44, &frag_ext(136, 0, true, &lite))),
        whole("icmp 3 quoting ipv4/udp-lite", ipv4(1, &icmp(3, 0, [0; 4], &ipv4(136, &lite)))),
        whole(
            "icmp 3 quoting ipv4/udp-lite cut to 6",
            ipv4(1, &icmp(3, 0, [0; 4], &ipv4(136, &lite)[..26])),
        ),
        whole(
            "icmpv6 1 quoting ipv6/udp-lite cut to 6",
            ipv6(58, &icmp(1, 0, [0; 4], &ipv6(136, &lite)[..46])),
        ),
        whole("ipv4/udp-lite/vxlan", ipv4(136, &udp_len(50000, 4789, 8, &vxlan(&inner)))),
    ];
    for n in 3..=8 {
        frames.push(whole(&format!("ipv4/udp-lite of {n} bytes"), ipv4(136, &lite[..n])));
    }
    frames.extend(all_cuts("ipv4/udp-lite", &ipv4(136, &lite)));
    let first = V4 { flags_frag: 0x2000, ..v4(136) }.build(&lite);
    frames.extend(all_cuts("ipv4 first fragment/udp-lite", &first));
    frames
}

differential!(udp_lite, link_type::RAW, udp_lite_frames());

/// Raw ICMP and ICMPv6 errors quoting errors quoting errors, 1 to 20 deep,
/// of one version or alternating, around a UDP datagram, whole and cut:
/// tshark 4.0 decodes every level.
fn nested_icmp_error_frames() -> Vec<Frame> {
    let mut frames = Vec::new();
    for depth in [1, 2, 3, 6, 20] {
        let mut v4 = ipv4(17, &udp(50000, 2000, b"data"));
        let mut v6 = ipv6(17, &udp(50000, 2000, b"data"));
        let mut mixed = v4.clone();
        for i in 0..depth {
            v4 = ipv4(1, &icmp(3, 3, [0; 4], &v4));
            v6 = ipv6(58, &icmp(1, 4, [0; 4], &v6));
            mixed = if i % 2 == 0 {
                ipv4(1, &icmp(11, 0, [0; 4], &mixed))
            } else {
                ipv6(58, &icmp(3, 0, [0; 4], &mixed))
            };
        }
        frames.push(whole(&format!("{depth} icmp errors deep"), v4.clone()));
        frames.push(whole(&format!("{depth} icmpv6 errors deep"), v6));
        frames.push(whole(&format!("{depth} alternating icmp/icmpv6 errors deep"), mixed));
        if depth == 3 {
            frames.extend(all_cuts("3 icmp errors deep", &v4));
        }
    }
    frames
}

differential!(nested_icmp_errors, link_type::RAW, nested_icmp_error_frames());

/// Raw IPv6/UDP datagrams with a destination options (or hop-by-hop)
/// header of one unit whose first option is of a type from a sample of
/// known and unknown ones and of length 0 to 7, 15, 16, 17, 40 or 153, the
/// rest of the header 0x11 bytes; also quoted by an ICMPv6 error: where
/// tshark 4.0 throws in the options (one runs past the end of the packet,
/// or is shorter than its fields) nothing after the header is decoded.
fn ipv6_option_frames() -> Vec<Frame> {
    let mut frames = Vec::new();
    let kinds = [0x00u8, 0x01, 0x04, 0x05, 0x07, 0x0f, 0x1e, 0x26, 0x30, 0x31, 0x41, 0x63];
    for kind in kinds.into_iter().chain([0x6d, 0x8a, 0xc2, 0xc9, 0xee]) {
        for len in (0u8..=7).chain([15, 16, 17, 40, 153]) {
            for ext in [60u8, 0] {
                let mut hdr = vec![17, 0, kind, len, 0x11, 0x11, 0x11, 0x11];
                hdr.extend(udp(1234, 80, &[0x78; 5]));
                let name = format!("ipv6 {ext} option {kind:#04x} length {len}");
                frames.push(whole(&name, ipv6(ext, &hdr)));
                if ext == 60 {
                    let error = ipv6(58, &icmp(1, 0, [0; 4], &ipv6(ext, &hdr)));
                    frames.push(whole(&format!("icmpv6 error quoting {name}"), error));
                }
            }
        }
    }
    let hdr = cat(&[&[17, 0, 0x1e, 15, 1, 1, 1, 1], &udp(1, 2, &[0; 3])]);
    frames.extend(all_cuts("ipv6 option running past the header", &ipv6(60, &hdr)));
    frames
}

differential!(ipv6_options, link_type::RAW, ipv6_option_frames());

/// BSD null/loopback headers that are an EtherType in neither byte order
/// once Wireshark's rules have normalised them (`02 00 08 00`, ...):
/// tshark decodes what the low 16 bits name.
fn null_garbage_frames() -> Vec<Frame> {
    let v4 = ipv4(17, &udp_dgram());
    let mut frames = Vec::new();
    for hdr in [[2u8, 0, 8, 0], [1, 2, 8, 0], [0, 1, 8, 0], [0xff, 2, 8, 0], [2, 0, 0x81, 0]] {
        let payload = if hdr[2] == 0x81 { tag(5, 0x0800, &v4) } else { v4.clone() };
        let name = format!("null header {hdr:02x?}");
        frames.push(whole(&name, cat(&[&hdr, &payload])));
    }
    frames.push(whole(
        "null header ff 02 86 dd",
        cat(&[&[0xff, 2, 0x86, 0xdd], &ipv6(6, &tcp_seg())]),
    ));
    frames
}

differential!(null_garbage, link_type::NULL, null_garbage_frames());

/// The IPv6 option types tshark 4.0 has a dissector (or a name) for, which
/// the random options below are mostly drawn from.
const IPV6_OPTION_TYPES: &[u8] = &[
    0x00, 0x01, 0x04, 0x05, 0x07, 0x08, 0x0f, 0x1e, 0x26, 0x30, 0x31, 0x3e, 0x41, 0x5e, 0x63, 0x6d,
    0x7e, 0x8a, 0x8b, 0x8c, 0x9e, 0xbe, 0xc2, 0xc9, 0xde, 0xee, 0xfe,
];

/// An IOAM trace option (0x31, IOAM type 0 or 1) of a random length, node
/// length, remaining length and trace type, its node data 0, 1 or 4.
fn random_ioam_trace(r: &mut Rng) -> Vec<u8> {
    let len = r.pick(&[10u8, 12, 14, 16, 18, 20, 22, 26, 30, 34, 40]);
    let node_words = r.pick(&[0u8, 1, 1, 2, 3]);
    let any_type = r.next_u64() as u32 & 0xff_ffff;
    let trace_type: u32 = r.pick(&[
        0x80_0000, 0xc0_0000, 0x80_8000, 0x80_0002, 0x00_0002, 0x40_0000, 0xff_0000, any_type,
    ]);
    let mut data = vec![0, r.pick(&[0, 1, 1, 2]), 0x12, 0x34];
    data.push(node_words << 3 | (r.byte() & 2));
    data.push((r.byte() & 0x80) | r.pick(&[0, 0, 1, 2]));
    data.extend(&trace_type.to_be_bytes()[1..]);
    data.push(0);
    data.extend((0..len).map(|_| r.pick(&[0, 1, 4])));
    data.truncate(usize::from(len));
    cat(&[&[0x31, len], &data])
}

/// One random option: mostly a known type, a short length and data biased
/// towards the values option dissectors branch on.
fn random_ipv6_option(r: &mut Rng) -> Vec<u8> {
    if r.chance(20) {
        return vec![r.pick(&[0, 1]), r.pick(&[0, 1, 2])];
    }
    let kind = if r.chance(85) {
        let extra = [0x31, 0x31, 0x08, 0x8c, 0x6d, 0x26];
        if r.chance(20) {
            r.pick(&extra)
        } else {
            r.pick(IPV6_OPTION_TYPES)
        }
    } else {
        r.byte()
    };
    if kind == 0x31 && r.chance(50) {
        return random_ioam_trace(r);
    }
    let len = if r.chance(90) {
        r.pick(&[0u8, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 18, 20, 24])
    } else {
        r.byte()
    };
    let data: Vec<u8> = (0..len)
        .map(
            |_| if r.chance(50) { r.byte() } else { r.pick(&[0, 1, 2, 8, 0x10, 0x40, 0x80, 0xc0]) },
        )
        .collect();
    cat(&[&[kind, len], &data])
}

/// Raw IPv6/UDP datagrams with a hop-by-hop or destination options header
/// of 1 to 41 units of random options (which may run past the header into
/// the UDP header): whole, cut, with a short payload length, or quoted by
/// an ICMPv6 error. Where tshark 4.0 throws in the options (a field an
/// option type's dissector reads, or the data it did not read, runs past
/// the end of the packet) nothing after the header is decoded.
fn ipv6_random_option_frames() -> Vec<Frame> {
    let mut r = Rng::new(0x6f70_7473);
    let mut frames = Vec::new();
    for i in 0..6000 {
        let units: u8 = r.pick(&[0, 0, 1, 1, 2, 3, 5, 31, 33, 40]);
        let kind = r.pick(&[0u8, 60]);
        let header_len = (usize::from(units) + 1) * 8;
        let mut header = vec![17, units];
        while header.len() < header_len {
            header.extend(random_ipv6_option(&mut r));
        }
        // Options spilling past the header stand for what follows it.
        if r.chance(50) {
            header.truncate(header_len);
            let payload_len = r.pick(&[0, 3, 8, 20]);
            let payload = r.bytes(payload_len);
            header.extend(udp(1234, 80, &payload));
        }
        let name = format!("random ipv6 options #{i}, {kind} of {units} units");
        let dgram = ipv6(kind, &header);
        frames.push(match r.below(20) {
            0..=3 => {
                let cut = r.below(dgram.len() - 40 + 1) + 40;
                whole(&format!("{name}, cut at {cut}"), dgram[..cut].to_vec())
            }
            4..=6 => {
                let mut short = dgram;
                let plen = r.below(header.len() + 1) as u16;
                short[4..6].copy_from_slice(&plen.to_be_bytes());
                whole(&format!("{name}, payload length {plen}"), short)
            }
            7..=8 => whole(
                &format!("icmpv6 error quoting {name}"),
                ipv6(58, &icmp(1, 0, [0; 4], &dgram)),
            ),
            _ => whole(&name, dgram),
        });
    }
    frames
}

differential!(ipv6_random_options, link_type::RAW, ipv6_random_option_frames());

/// An Ethernet frame whose source MAC starts with `first` (an MSRCP
/// packet's type byte) and whose type is `ty`.
fn eth_from(first: u8, ty: u16, payload: &[u8]) -> Vec<u8> {
    cat(&[&[0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, first, 1, 2, 3, 4, 5], &ty.to_be_bytes(), payload])
}

/// Ethernet frames inside IP, whole and cut at every length: EtherIP (IP
/// protocol 97, a 2-byte header of any version), IP protocol 143 (no
/// header), MSRCP (UDP port 3343: an Ethernet frame unless its seventh
/// byte is 0 or 1, and only with 16 bytes captured), over IPv4 and IPv6,
/// in fragments, ICMP errors and each other; the ports of MSRCP and VXLAN
/// both present (Wireshark tries the lower port first); IPv4's protocol
/// 44, an IPv6 fragment header that tshark 4.0 follows whatever its offset
/// and flag unless an IPv6 header came before. tshark shows the inner
/// frame's `eth.*` and IP fields after the outer ones.
fn ethernet_in_ip_frames() -> Vec<Frame> {
    let inner = eth_from(2, 0x0800, &ipv4(17, &udp(1111, 2222, b"hello")));
    let tagged = eth_from(2, 0x8100, &tag(5, 0x86dd, &ipv6(6, &tcp(3333, 4444, &[], b"xyz"))));
    let etherip = |payload: &[u8]| cat(&[&[0x30, 0], payload]);
    let mut frames = Vec::new();
    for (name, f) in [
        ("ipv4/etherip", ipv4(97, &etherip(&inner))),
        ("ipv6/etherip/802.1Q", ipv6(97, &etherip(&tagged))),
        ("ipv4/143", ipv4(143, &inner)),
        ("ipv6/143/802.1Q", ipv6(143, &tagged)),
        ("ipv4/udp 3343", ipv4(17, &udp(1000, 3343, &inner))),
        ("ipv6/udp 3343 source/802.1Q", ipv6(17, &udp(3343, 60000, &tagged))),
    ] {
        frames.extend(all_cuts(name, &f));
    }
    for version in [0u8, 0x10, 0x30, 0x31, 0x40, 0xff] {
        let name = format!("ipv4/etherip version byte {version:#04x}");
        frames.push(whole(&name, ipv4(97, &cat(&[&[version, 0], &inner]))));
    }
    for kind in [0u8, 1, 2, 3, 0x80, 0xff] {
        for n in [0, 6, 7, 15, 16, 17, 20, 60] {
            let mut payload = cat(&[&inner, &[0; 60]]);
            payload[6] = kind;
            payload.truncate(n);
            let name = format!("udp 3343, {n} bytes, seventh {kind}");
            frames.push(whole(&name, ipv4(17, &udp(1000, 3343, &payload))));
        }
    }
    for (sport, dport) in [(3343, 4789), (4789, 3343), (5000, 3343), (4789, 5000), (3343, 3343)] {
        let name = format!("udp {sport} -> {dport}");
        frames.push(whole(&format!("{name}/vxlan"), ipv4(17, &udp(sport, dport, &vxlan(&inner)))));
        frames.push(whole(&format!("{name}/ethernet"), ipv4(17, &udp(sport, dport, &inner))));
    }
    for len in [0u16, 4, 8, 12, 24, 30, 500] {
        let name = format!("udp 3343 length {len}");
        frames.push(whole(&name, ipv4(17, &udp_len(1000, 3343, len, &inner))));
    }
    let first = V4 { flags_frag: 0x2000, ..v4(17) };
    frames.push(whole("first fragment/udp 3343", first.build(&udp(1000, 3343, &inner))));
    let first = V4 { flags_frag: 0x2000, ..v4(97) };
    frames.push(whole("first fragment/etherip", first.build(&etherip(&inner))));
    let quoted = ipv4(1, &icmp(3, 0, [0; 4], &ipv4(97, &etherip(&inner))));
    frames.push(whole("icmp error quoting etherip", quoted));
    let quoted = ipv6(58, &icmp(1, 0, [0; 4], &ipv6(143, &inner)));
    frames.push(whole("icmpv6 error quoting 143", quoted));
    let nested = eth_from(2, 0x0800, &ipv4(97, &etherip(&inner)));
    frames.push(whole("etherip/etherip", ipv4(97, &etherip(&nested))));
    frames.push(whole("etherip/802.3", ipv4(97, &etherip(&eth_from(2, 0x40, &[0; 64])))));
    frames.push(whole("udp-lite 3343", ipv4(136, &udp_len(1000, 3343, 8, &inner))));
    frames.extend(fragment_header_frames(&inner));
    frames
}

/// IPv6 fragment headers (first, middle, later, atomic) before TCP, UDP,
/// IP protocol 143 and EtherIP, after IPv4 (protocol 44), after IPv6, after
/// IPv4 in IPv6, after IPv4 in an ICMP error and after an IPv4 first
/// fragment.
fn fragment_header_frames(inner: &[u8]) -> Vec<Frame> {
    let mut frames = Vec::new();
    let payloads = [
        (17u8, udp(5, 6, b"abc")),
        (6, tcp(5, 6, &[], b"abcdef")),
        (143, inner.to_vec()),
        (97, cat(&[&[0x30, 0], inner])),
    ];
    for (next, payload) in &payloads {
        for (offset, more) in [(0u16, false), (0, true), (1, false), (1, true)] {
            let frag = frag_ext(*next, offset, more, payload);
            let name = format!("fragment offset {offset} more {more}/{next}");
            let first = V4 { flags_frag: 0x2000, ..v4(44) }.build(&frag);
            frames.push(whole(&format!("ipv4/{name}"), ipv4(44, &frag)));
            frames.push(whole(&format!("ipv6/{name}"), ipv6(44, &frag)));
            frames.push(whole(&format!("ipv6/ipv4/{name}"), ipv6(4, &ipv4(44, &frag))));
            let error = ipv4(1, &icmp(3, 0, [0; 4], &ipv4(44, &frag)));
            frames.push(whole(&format!("icmp error quoting ipv4/{name}"), error));
            frames.push(whole(&format!("ipv4 first fragment/{name}"), first));
        }
    }
    frames
}

differential!(ethernet_in_ip, link_type::RAW, ethernet_in_ip_frames());

/// UDP datagrams behind a routing header of a random type (mostly RPL and
/// the compact types 5 and 6), length, Segments Left and data (bytes of
/// the compact types' SIDs 0 more or less often), under IPv6, IPv4
/// (protocol 43), IPv4 in IPv6, after a destination options header, and
/// quoted by an ICMPv6 error: where tshark 4.0's dissector of the type
/// reads past the header, nothing after it is decoded (except in the
/// quoted packet); RPL's is read only under an IPv6 header.
fn random_routing_frames() -> Vec<Frame> {
    let mut r = Rng::new(0x7274_6864);
    let mut frames = Vec::new();
    for i in 0..4000 {
        let kind = r.pick(&[0u8, 2, 3, 3, 3, 4, 5, 5, 6, 6, 1, 7, 253]);
        let any = r.byte();
        let units = r.pick(&[0u8, 0, 1, 1, 2, 2, 3, 4, 5, 6, 8, 10, any]);
        let any = r.byte();
        let left = r.pick(&[0u8, 1, 2, 3, 4, 5, 7, 8, 9, any]);
        let any = r.byte();
        let compression =
            if r.chance(60) { any } else { r.pick(&[0, 0x11, 0xff, 0xf0, 0x0f, 0x88]) };
        let any = r.byte();
        let pad = if r.chance(60) { any } else { r.pick(&[0, 0x10, 0xf0]) };
        let zeroes = r.below(30);
        let data: Vec<u8> = (0..usize::from(units) * 8 + 2)
            .map(|_| if r.chance(zeroes) { 0 } else { r.byte().max(1) })
            .collect();
        let header = cat(&[&[17, units, kind, left, compression, pad], &data]);
        let dgram = cat(&[&header, &udp(1234, 80, b"data")]);
        let name = format!("random routing #{i}, type {kind}, {units} units, left {left}");
        let (how, frame) = match r.below(20) {
            0..=9 => ("ipv6", ipv6(43, &dgram)),
            10..=12 => ("ipv4", ipv4(43, &dgram)),
            13..=14 => ("ipv6/ipv4", ipv6(4, &ipv4(43, &dgram))),
            15..=17 => {
                ("icmpv6 error quoting ipv6", ipv6(58, &icmp(1, 0, [0; 4], &ipv6(43, &dgram))))
            }
            _ => ("ipv6/destination options", ipv6(60, &opts_ext(43, &dgram))),
        };
        frames.push(whole(&format!("{how}/{name}"), frame));
    }
    frames
}

differential!(random_routing, link_type::RAW, random_routing_frames());

/// A random CIPSO tag: mostly of a known type (padding, 1, 2, 5, 6, 7),
/// its length near the checks' limits (4, 34), its data random.
fn random_cipso_tag(r: &mut Rng) -> Vec<u8> {
    let any = r.byte();
    let kind = r.pick(&[0, 0, 1, 2, 5, 6, 7, 1, 2, 5, 6, 7, 3, 4, any]);
    if kind == 0 {
        return vec![0];
    }
    let any = r.byte();
    let len = r.pick(&[0u8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 33, 34, 35, 36, any]);
    let data = r.bytes(usize::from(len.saturating_sub(2)));
    cat(&[&[kind, len], &data])
}

/// A random IPv4 option: mostly a known type, a CIPSO option of one or two
/// tags whose length ends near the last tag's end, or another type of a
/// length around its fields' and a third byte (a pointer, a function)
/// among the values they branch on.
fn random_ipv4_option(r: &mut Rng) -> Vec<u8> {
    const KNOWN: &[u8] = &[
        0x07, 0x82, 0x83, 0x85, 0x89, 0x0b, 0x0c, 0x44, 0x88, 0x94, 0x52, 0x86, 0x19, 0x01, 0x00,
        0x83, 0x89, 0x86,
    ];
    let kind = if r.chance(85) { r.pick(KNOWN) } else { r.byte() };
    if kind <= 1 {
        return vec![kind];
    }
    if kind == 0x86 && r.chance(70) {
        let tags = (0..r.pick(&[1, 2])).map(|_| random_cipso_tag(r)).collect::<Vec<_>>().concat();
        let len = (6 + tags.len() as isize + r.pick(&[-2, -1, 0, 0, 1])).clamp(2, 38) as usize;
        let mut option = cat(&[&[0x86, len as u8, 0, 0, 0, 1], &tags, &[0; 40]]);
        option.truncate(len);
        return option;
    }
    let any = r.below(41) as u8;
    let len = r.pick(&[2u8, 3, 4, 5, 6, 7, 8, 11, 12, 15, any]);
    let any = r.byte();
    let third = r.pick(&[0u8, 4, 8, 12, 16, 0x80, 5, any]);
    let mut option = cat(&[&[kind, len, third], &r.bytes(40)]);
    option.truncate(usize::from(len));
    option
}

/// Raw IPv4/UDP datagrams with one to four random options (CIPSO with
/// random tags more often than not), whole or quoted by an ICMP error:
/// tshark 4.0 gives up on the datagram where an option's dissector throws
/// (a CIPSO tag checked against the option's end one byte too late), and
/// shows one `ip.dst` per source route its dissection reaches; in the
/// quoted packet it catches the throw and goes on with the next option.
fn random_ipv4_option_frames() -> Vec<Frame> {
    let mut r = Rng::new(0x6970_7634);
    let mut frames = Vec::new();
    for i in 0..6000 {
        let count = r.pick(&[1, 2, 3, 4]);
        let mut options =
            (0..count).map(|_| random_ipv4_option(&mut r)).collect::<Vec<_>>().concat();
        options.truncate(40);
        options.resize(options.len().next_multiple_of(4), 0);
        let name = format!("random ipv4 options #{i}: {options:02x?}");
        let dgram = V4 { options, ..v4(17) }.build(&udp(1234, 80, b"data"));
        frames.push(if r.chance(30) {
            whole(&format!("icmp error quoting {name}"), ipv4(1, &icmp(3, 0, [0; 4], &dgram)))
        } else {
            whole(&name, dgram)
        });
    }
    frames
}

differential!(ipv4_random_options, link_type::RAW, random_ipv4_option_frames());

/// Raw IPv4/UDP datagrams with a CIPSO option of one tag of every type
/// from 0 to 8 and every length from 0 to 36, alone or followed by a tag
/// of type 3, the option ending 2 bytes before to 1 byte after the
/// tag(s) (as far as 40 bytes of options allow); whole and quoted by an
/// ICMP error.
fn cipso_tag_frames() -> Vec<Frame> {
    let mut frames = Vec::new();
    for kind in 0u8..=8 {
        for len in 0u8..=36 {
            for next in [&[][..], &[3, 8][..]] {
                let tag =
                    cat(&[&[kind, len], &vec![0x81; usize::from(len.saturating_sub(2))], next]);
                for delta in [-2isize, -1, 0, 1] {
                    let olen = (6 + tag.len() as isize + delta).clamp(2, 40) as usize;
                    let mut options = cat(&[&[0x86, olen as u8, 0, 0, 0, 1], &tag, &[0; 40]]);
                    options.truncate(olen);
                    options.resize(olen.next_multiple_of(4), 0);
                    let name = format!("cipso tag {kind} length {len}, option {olen}, {next:?}");
                    let dgram = V4 { options, ..v4(17) }.build(&udp(1234, 80, b"data"));
                    let error = ipv4(1, &icmp(3, 0, [0; 4], &dgram));
                    frames.push(whole(&format!("icmp error quoting {name}"), error));
                    frames.push(whole(&name, dgram));
                }
            }
        }
    }
    frames
}

differential!(cipso_tags, link_type::RAW, cipso_tag_frames());

/// A random chain of headers ending in UDP (to or from a port of DNS,
/// MSRCP or VXLAN) or TCP carrying `payload`: hop-by-hop and destination
/// options (random options), routing headers (types 0 to 6, their data 0,
/// 1 or random), fragment headers (offset 0 or 1, M 0 or 1), EtherIP, IP
/// protocol 143, IPv4 and IPv6 in IP, at most 4 deep. Returns the first
/// header's protocol number and the chain's bytes.
fn random_chain(r: &mut Rng, depth: usize, payload: &[u8]) -> (u8, Vec<u8>) {
    let kind = if depth < 4 {
        r.pick(&[0u8, 60, 43, 44, 97, 143, 4, 41, 17, 6])
    } else {
        r.pick(&[17, 6])
    };
    if kind == 17 {
        let (source, destination) = (r.pick(&[1234, 3343, 4789, 53]), r.pick(&[80, 4789, 3343]));
        return (17, udp(source, destination, payload));
    }
    if kind == 6 {
        return (6, tcp(1, 2, &[], payload));
    }
    let (next, rest) = random_chain(r, depth + 1, payload);
    let header = match kind {
        97 | 143 => {
            let ip = if r.chance(50) {
                eth(0x86dd, &ipv6(next, &rest))
            } else {
                eth(0x0800, &ipv4(next, &rest))
            };
            return (kind, if kind == 97 { cat(&[&[0x30, 0], &ip]) } else { ip });
        }
        4 => return (4, ipv4(next, &rest)),
        41 => return (41, ipv6(next, &rest)),
        0 | 60 => {
            let units = r.pick(&[0u8, 0, 1, 2]);
            let len = (usize::from(units) + 1) * 8;
            let mut header = vec![next, units];
            while header.len() < len {
                header.extend(random_ipv6_option(r));
            }
            header.truncate(len);
            header
        }
        43 => {
            let (units, routing) = (r.pick(&[0u8, 1, 2, 3]), r.pick(&[0u8, 2, 3, 4, 5, 6]));
            let mut header = vec![next, units, routing, r.pick(&[0, 1, 2])];
            for _ in 0..usize::from(units) * 8 + 4 {
                let any = r.byte();
                header.push(r.pick(&[0, 0, 1, any]));
            }
            header
        }
        _ => frag_ext(next, r.pick(&[0, 1]), r.chance(50), &[]),
    };
    (kind, cat(&[&header, &rest]))
}

/// Raw IPv6, IPv4 or ICMPv6-error-quoted datagrams whose payload is a
/// random chain of headers ([`random_chain`]), a fifth of them cut short,
/// each from a source address of its own (so that no conversation one
/// frame's protocol sets up in tshark reaches another): the extension
/// headers' checks, Ethernet in IP and fragment headers after IPv4 or
/// IPv6 in every order.
fn random_chain_frames() -> Vec<Frame> {
    let mut r = Rng::new(0x6368_6169);
    let mut frames = Vec::new();
    for i in 0..5000u32 {
        let (next, chain) = random_chain(&mut r, 0, b"payload!");
        let source = i.to_be_bytes();
        let mut frame = match r.below(10) {
            0..=4 => {
                ipv6_addrs(next, cat(&[&V6_A[..12], &source]).try_into().unwrap(), V6_B, &chain)
            }
            5..=7 => V4 { src: source, ..v4(next) }.build(&chain),
            _ => {
                let quoted = ipv6(next, &chain);
                let src = cat(&[&V6_A[..12], &source]).try_into().unwrap();
                ipv6_addrs(58, src, V6_B, &icmp(1, 0, [0; 4], &quoted))
            }
        };
        if r.chance(20) {
            frame.truncate(20 + r.below(frame.len() - 20 + 1));
        }
        frames.push(whole(&format!("random chain #{i}"), frame));
    }
    frames
}

differential!(random_chains, link_type::RAW, random_chain_frames());

/// UDP datagrams between VXLAN's port (4789) or MSRCP's (3343) and a
/// lower port whose protocol tshark 4.0 tries first (the ports of
/// `zcpkt::proto`'s table, among others registered and not), both ways,
/// carrying VXLAN packets of four kinds (or, to 3343, Ethernet frames):
/// where that protocol claims the datagram there is no inner frame. Each
/// frame comes from a source address of its own, so that no conversation
/// one sets up in tshark reaches another.
fn lower_port_frames() -> Vec<Frame> {
    let ports = [
        7u16, 13, 19, 37, 49, 53, 67, 68, 69, 111, 123, 137, 138, 173, 213, 319, 320, 389, 427,
        434, 464, 496, 513, 514, 520, 521, 524, 525, 546, 547, 664, 701, 853, 854, 910, 921, 925,
        1001, 1153, 1194, 1293, 1628, 1629, 1718, 1719, 1745, 1900, 1985, 2029, 2099, 2157, 2221,
        2222, 2246, 2268, 2269, 2313, 2345, 2887, 2944, 2945, 2948, 2949, 3000, 3130, 3250, 3357,
        3389, 3452, 3455, 3544, 3567, 3671, 3784, 3785, 3804, 3863, 4305, 4306, 4307, 4341, 4342,
        4500, 4551, 4555, 4569, 4729, 4754, 4784, 0, 80, 161, 443, 1024, 2000, 3333, 4000, 4788,
        4790, 60000,
    ];
    let inners = [
        eth(0x0800, &ipv4(17, &udp(1111, 2222, b"hello"))),
        cat(&[&[0xff; 6], &[0x52, 0x54, 0, 0x12, 0x34, 0x56, 0x08, 0x06], &[0; 28]]),
        eth(0x86dd, &ipv6(6, &tcp(3333, 4444, &[], &[0x78; 40]))),
        eth_from(2, 0x0800, &ipv4(6, &tcp(443, 50000, &[], &[0; 100]))),
    ];
    let mut frames = Vec::new();
    for tunnel in [VXLAN_PORT, 3343] {
        for &port in ports.iter().filter(|&&p| p < tunnel || p > 4789) {
            for (k, inner) in inners.iter().enumerate() {
                let payload = if tunnel == VXLAN_PORT { vxlan(inner) } else { inner.clone() };
                for (source, destination) in [(port, tunnel), (tunnel, port)] {
                    let n = frames.len() as u32 + 1;
                    let ip = V4 { src: n.to_be_bytes(), ..v4(17) };
                    let frame = ip.build(&udp(source, destination, &payload));
                    frames.push(whole(&format!("udp {source} -> {destination}, inner {k}"), frame));
                }
            }
        }
    }
    frames
}

differential!(udp_lower_port, link_type::RAW, lower_port_frames());

/// Ethernet frames whose type/length field is 0, 1, 46, 1500, 1501,
/// 1535 or 1536, on their own and inside VXLAN, with zeroes, counting
/// bytes or an IPX-style 0xffff after the header: tshark 4.0 shows a type
/// of 0 as `eth.type` (an Ethernet II type, not an 802.3 length).
fn ethernet_type_field_frames() -> Vec<Frame> {
    let mut frames = Vec::new();
    for ty in [0u16, 1, 46, 1500, 1501, 1535, 1536] {
        for payload in [vec![0; 46], (0..60).collect(), cat(&[&[0xff, 0xff], &[0; 44]])] {
            let frame = eth(ty, &payload);
            let name = format!("eth type {ty:#06x}, payload {:02x?}", &payload[..3]);
            let tunnelled = eth(0x0800, &ipv4(17, &udp(50000, 4789, &vxlan(&frame))));
            frames.push(whole(&format!("vxlan/{name}"), tunnelled));
            frames.push(whole(&name, frame));
        }
    }
    frames
}

differential!(ethernet_type_field, link_type::ETHERNET, ethernet_type_field_frames());

/// A GRE header: flags and version, protocol type, then `fields` (the
/// optional fields, source route entries, ...) as given.
fn gre(flags: u16, ty: u16, fields: &[u8], payload: &[u8]) -> Vec<u8> {
    cat(&[&flags.to_be_bytes(), &ty.to_be_bytes(), fields, payload])
}

/// GRE protocol types, and payloads for them (one fitting each, plus
/// others that do not fit): IPv4, IPv6, ARP, Ethernet (transparent
/// bridging and 0x6400), PPP (with and without address and control
/// bytes, compressed protocol or not), WCCP (with a v2 redirect header or
/// not), ERSPAN types I, II and III (frame types, the O bit), MPLS and
/// an unknown type.
fn gre_payloads() -> (Vec<u16>, Vec<(&'static str, Vec<u8>)>) {
    let types = vec![
        0x0800, 0x86dd, 0x0806, 0x6558, 0x6400, 0x880b, 0x883e, 0x88be, 0x22eb, 0x8847, 0x1234,
    ];
    let v4 = V4 { src: [1, 1, 1, 1], dst: [2, 2, 2, 2], ..v4(17) }.build(&udp(1111, 2222, b"hi"));
    let v6 = ipv6(6, &tcp(3333, 4444, &[], b"xyz"));
    let frame = eth(0x0800, &v4);
    let arp = cat(&[&[0, 1, 8, 0, 6, 4, 0, 1], &MAC_A, &IP_A, &[0; 6], &IP_B]);
    let payloads = vec![
        ("ipv4", v4.clone()),
        ("ipv6", v6.clone()),
        ("arp", arp),
        ("ethernet", frame.clone()),
        ("ppp ff03 0021 ipv4", cat(&[&[0xff, 3, 0, 0x21], &v4])),
        ("ppp ff03 21 ipv4", cat(&[&[0xff, 3, 0x21], &v4])),
        ("ppp 0057 ipv6", cat(&[&[0, 0x57], &v6])),
        ("ppp 57 ipv6", cat(&[&[0x57], &v6])),
        ("ppp ff00 57 ipv6", cat(&[&[0xff, 0, 0x57], &v6])),
        ("ppp ff 0021 ipv4", cat(&[&[0xff, 0, 0x21], &v4])),
        ("ppp 0281 ipv4", cat(&[&[2, 0x81], &v4])),
        ("wccp redirect ipv4", cat(&[&[0, 1, 2, 3], &v4])),
        ("wccp redirect ipv6", cat(&[&[0x10, 1, 2, 3], &v6])),
        ("erspan ii", cat(&[&[0x10, 1, 0, 5, 0, 0, 0, 9], &frame])),
        ("erspan ii version 0", cat(&[&[0x00, 1, 0, 5, 0, 0, 0, 9], &frame])),
        ("erspan iii", cat(&[&[0x20, 1, 0, 5, 0, 0, 0, 9, 0, 0, 0x83, 0x46], &frame])),
        ("erspan iii o", cat(&[&[0x20, 1, 0, 5, 0, 0, 0, 9, 0, 0, 0, 1], &[7; 8], &frame])),
        ("erspan iii frame type 2", cat(&[&[0x20, 1, 0, 5, 0, 0, 0, 9, 0, 0, 8, 0], &v4])),
        ("erspan iii frame type 1", cat(&[&[0x20, 1, 0, 5, 0, 0, 0, 9, 0, 0, 4, 0], &frame])),
        ("erspan version 3", cat(&[&[0x30, 1, 0, 5, 0, 0, 0, 9, 0, 0, 0, 0], &frame])),
        ("mpls ipv4", cat(&[&[0, 0x01, 0x01, 0x40], &v4])),
        ("mpls ipv6", cat(&[&[0, 0x01, 0x01, 0x40], &v6])),
        ("zeroes", vec![0; 40]),
    ];
    (types, payloads)
}

/// Whether the payload named `name` goes under GRE protocol type `ty` in
/// the grids: under MPLS only a label stack, as other payloads read as
/// labels could leave an Ethernet pseudowire, whose decoding is not
/// modelled.
fn fits_mpls(ty: u16, name: &str) -> bool {
    ty != 0x8847 || name.starts_with("mpls")
}

/// The optional fields of a GRE header with `flags` and protocol type
/// `ty`, filled with `fill`; `sres` are the source route entries.
fn gre_fields(flags: u16, ty: u16, fill: u8, sres: &[u8]) -> Vec<u8> {
    let mut f = Vec::new();
    let words = usize::from(flags & 0xc000 != 0)
        + usize::from(flags & 0x2000 != 0)
        + usize::from(flags & 0x1000 != 0)
        + usize::from(ty == 0x880b && flags & 0x0080 != 0 && flags & 7 != 0);
    f.resize(words * 4, fill);
    if flags & 0x4000 != 0 {
        f.extend(sres);
    }
    f
}

/// GRE (IP protocol 47) over raw IPv4 and IPv6: every protocol type with
/// every payload of [`gre_payloads`], under flags C, R, K, S, A, the
/// strict source route bit, recursion and reserved bits and versions 0 and
/// 1 (PPTP), their fields filled with 0 or 0x45 (WCCP tells v2 by the
/// byte after the first 4, whatever field it is); source route entries
/// ending or not at one of family and length 0; whole, cut at every
/// length, in a first fragment, an ICMP error, GRE in GRE and a header
/// without payload. tshark 4.0 shows the inner packet's fields after the
/// outer ones.
fn gre_frames() -> Vec<Frame> {
    let (types, payloads) = gre_payloads();
    let mut frames = Vec::new();
    let flag_sets = [
        0x0000u16, 0x0001, 0x8000, 0x2000, 0x1000, 0x3001, 0x3081, 0x2001, 0x0081, 0x0080, 0xb000,
        0x0800, 0x0700, 0x0078, 0x0007, 0x4000, 0xf000,
    ];
    for &ty in &types {
        for (name, payload) in payloads.iter().filter(|(name, _)| fits_mpls(ty, name)) {
            for &flags in &flag_sets {
                for fill in [0u8, 0x45] {
                    if fill == 0x45 && flags & 0xb000 == 0 {
                        continue;
                    }
                    let fields = gre_fields(flags, ty, fill, &[0, 0, 0, 0]);
                    let packet = gre(flags, ty, &fields, payload);
                    let label = format!("gre {flags:#06x} type {ty:#06x} fill {fill}/{name}");
                    frames.push(whole(&format!("ipv4/{label}"), ipv4(47, &packet)));
                    if flags == 0x2000 {
                        frames.push(whole(&format!("ipv6/{label}"), ipv6(47, &packet)));
                    }
                }
            }
        }
    }
    let dgram = ipv4(17, &udp(1111, 2222, b"hi"));
    for sres in [
        &[0u8, 1, 0, 0][..],
        &[0, 0, 0, 4, 1, 2, 3, 4, 0, 0, 0, 0],
        &[0, 2, 0, 4, 1, 2, 3, 4, 0, 0, 0, 0],
        &[0, 2, 0, 0, 0, 0, 0, 0],
        &[0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 0],
        &[0, 0, 0, 200],
    ] {
        for flags in [0x4000u16, 0xe000] {
            let packet = gre(flags, 0x0800, &gre_fields(flags, 0x0800, 0, sres), &dgram);
            frames.push(whole(&format!("gre {flags:#06x} routing {sres:02x?}"), ipv4(47, &packet)));
        }
    }
    let frame = eth(0x0800, &dgram);
    let erspan3 = cat(&[&[0x20, 1, 0, 5, 0, 0, 0, 9, 0, 0, 0, 1], &[7; 8], &frame]);
    for (name, packet) in [
        ("gre/ipv4", gre(0, 0x0800, &[], &dgram)),
        ("gre key/ethernet", gre(0x2000, 0x6558, &[0, 0, 0, 1], &frame)),
        (
            "gre pptp/ppp",
            gre(0x3081, 0x880b, &[0, 9, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2], &[0xff, 3, 0, 0x21]),
        ),
        ("gre wccp", gre(0, 0x883e, &[], &cat(&[&[0, 1, 2, 3], &dgram]))),
        ("gre/erspan iii", gre(0x1000, 0x22eb, &[0, 0, 0, 1], &erspan3)),
        (
            "gre routing",
            gre(0x4000, 0x0800, &[0, 0, 0, 0, 0, 2, 0, 4, 1, 2, 3, 4, 0, 0, 0, 0], &dgram),
        ),
    ] {
        frames.extend(all_cuts(&format!("ipv4/{name}"), &ipv4(47, &packet)));
    }
    let inner = gre(0x2000, 0x0800, &[0, 0, 0, 7], &dgram);
    let first = V4 { flags_frag: 0x2000, ..v4(47) };
    frames.push(whole("first fragment/gre", first.build(&inner)));
    frames.push(whole("icmp error quoting gre", ipv4(1, &icmp(3, 0, [0; 4], &ipv4(47, &inner)))));
    frames.push(whole("gre/gre", ipv4(47, &gre(0, 0x0800, &[], &ipv4(47, &inner)))));
    frames.push(whole("gre/ipv6/gre", ipv4(47, &gre(0, 0x86dd, &[], &ipv6(47, &inner)))));
    for flags in [0u16, 0x1000, 0x3081] {
        let packet = gre(flags, 0x880b, &gre_fields(flags, 0x880b, 0, &[]), &[]);
        frames.push(whole(&format!("gre {flags:#06x} without payload"), ipv4(47, &packet)));
    }
    frames
}

differential!(gre_tunnels, link_type::RAW, gre_frames());

/// Random GRE packets: flags drawn bit by bit, a protocol type and a
/// payload of [`gre_payloads`] (fitting or not), fields and source route
/// entries random, a fifth cut short; each from a source address of its
/// own.
fn random_gre_frames() -> Vec<Frame> {
    let (types, payloads) = gre_payloads();
    let mut r = Rng::new(0x6772_6520);
    let mut frames = Vec::new();
    for i in 0..3000u32 {
        let mut flags = 0u16;
        for bit in [0x8000u16, 0x4000, 0x2000, 0x1000, 0x0800, 0x0080, 0x0001] {
            if r.chance(if bit == 0x4000 { 10 } else { 35 }) {
                flags |= bit;
            }
        }
        let ty = if r.chance(80) { r.pick(&types) } else { r.pick(&[0x880b, 0x883e, 0x88be]) };
        let pick = &payloads[r.below(payloads.len())];
        let mpls = payloads.iter().find(|(name, _)| *name == "mpls ipv4").unwrap();
        let (name, payload) = if fits_mpls(ty, pick.0) { pick } else { mpls };
        let mut sres = Vec::new();
        for _ in 0..r.below(3) {
            let len = r.pick(&[0u8, 0, 4, 8, 3]);
            sres.extend([0, r.pick(&[0, 0, 2]), 0, len]);
            sres.extend(r.bytes(usize::from(len)));
        }
        if r.chance(80) {
            sres.extend([0, 0, 0, 0]);
        }
        let fill = r.pick(&[0u8, 0x45, 0x60, 0xff]);
        let packet = gre(flags, ty, &gre_fields(flags, ty, fill, &sres), payload);
        let src = i.to_be_bytes();
        let mut frame = V4 { src, ..v4(47) }.build(&packet);
        let label = format!("random gre #{i} {flags:#06x} type {ty:#06x}/{name}");
        if r.chance(20) {
            let cut = 20 + r.below(frame.len() - 20 + 1);
            frame.truncate(cut);
            frames.push(Frame { name: format!("{label} cut at {cut}"), orig_len: 0, data: frame });
            let last = frames.last_mut().unwrap();
            last.orig_len = packet.len() + 20;
        } else {
            frames.push(whole(&label, frame));
        }
    }
    frames
}

differential!(gre_random, link_type::RAW, random_gre_frames());

/// Linux cooked captures (SLL and SLL2) on a GRE tunnel (ARPHRD_IPGRE,
/// 778), whose protocol field is a GRE protocol type without a GRE
/// header: every type and payload of [`gre_payloads`] (ERSPAN is then
/// type I, WCCP has no redirect header).
fn sll_gre_frames() -> Vec<Frame> {
    let (types, payloads) = gre_payloads();
    let mut frames = Vec::new();
    for &ty in &types {
        for (name, payload) in payloads.iter().filter(|(name, _)| fits_mpls(ty, name)) {
            let hdr = cat(&[&[0, 0], &778u16.to_be_bytes(), &[0, 0], &[0; 8], &ty.to_be_bytes()]);
            frames.push(whole(&format!("sll gre {ty:#06x}/{name}"), cat(&[&hdr, payload])));
        }
    }
    frames
}

differential!(sll_gre, link_type::LINUX_SLL, sll_gre_frames());

/// An MPLS label stack entry.
fn label(label: u32, bottom: bool, ttl: u8) -> [u8; 4] {
    (label << 12 | u32::from(bottom) << 8 | u32::from(ttl)).to_be_bytes()
}

/// The first nibble of what an MPLS label stack at the start of `b`
/// carries (`None` if the stack or payload is not there): tshark 4.0
/// decodes a payload starting with nibble 0 as an Ethernet pseudowire by
/// its manufacturer database, which zcpkt does not model, so the grids
/// leave such frames out.
fn mpls_payload_nibble(b: &[u8]) -> Option<u8> {
    let mut at = 0;
    while b.get(at + 2)? & 1 == 0 {
        at += 4;
    }
    b.get(at + 4).map(|x| x >> 4)
}

/// MPLS label stacks (EtherTypes 0x8847 and 0x8848, behind a VLAN tag,
/// in IP (protocol 137), GRE, Linux cooked captures and PPP (0x281,
/// 0x283) in GRE and raw captures): 1 to 4 entries of reserved and other
/// labels, the bottom one a GAL (13), OAM alert (14) or other, carrying
/// IPv4, IPv6 or bytes of every first nibble but 0; stacks without a
/// bottom entry; whole and cut at every length. tshark 4.0 guesses IPv4
/// or IPv6 from the first nibble, and decodes nothing after a bottom GAL
/// or OAM alert label.
fn mpls_frames() -> (Vec<Frame>, Vec<Frame>) {
    let v4 = V4 { src: [1, 1, 1, 1], dst: [2, 2, 2, 2], ..v4(17) }.build(&udp(1111, 2222, b"hi"));
    let v6 = ipv6(6, &tcp(3333, 4444, &[], b"xyz"));
    let mut payloads = vec![("ipv4", v4.clone()), ("ipv6", v6.clone())];
    for nibble in 1u8..16 {
        if nibble != 4 && nibble != 6 {
            payloads.push(("nibble", cat(&[&[nibble << 4 | 5], &v4[1..]])));
        }
    }
    let labels = [0u32, 1, 2, 3, 7, 13, 14, 15, 16, 1000, 0xfffff];
    let mut ethernet = Vec::new();
    let mut raw = Vec::new();
    for (i, &bottom) in labels.iter().enumerate() {
        for depth in 1..=3 {
            for (name, payload) in &payloads {
                let mut stack = Vec::new();
                for d in 1..depth {
                    stack.extend(label(labels[(i + d) % labels.len()], false, 64));
                }
                stack.extend(label(bottom, true, 1));
                let packet = cat(&[&stack, payload]);
                let label_name = format!("mpls {depth} deep, bottom {bottom}/{name}");
                let ty = if depth == 2 { 0x8848 } else { 0x8847 };
                ethernet.push(whole(&format!("ethernet {ty:#06x}/{label_name}"), eth(ty, &packet)));
                if depth == 1 {
                    let tagged = eth(0x8100, &tag(9, 0x8847, &packet));
                    ethernet.push(whole(&format!("802.1Q/{label_name}"), tagged));
                    raw.push(whole(&format!("ipv4 137/{label_name}"), ipv4(137, &packet)));
                    raw.push(whole(&format!("ipv6 137/{label_name}"), ipv6(137, &packet)));
                    let gre = gre(0, 0x8847, &[], &packet);
                    raw.push(whole(&format!("gre/{label_name}"), ipv4(47, &gre)));
                    let ppp = cat(&[&[0xff, 3, 2, 0x81], &packet]);
                    raw.push(whole(&format!("ppp 0281/{label_name}"), ppp.clone()));
                    let gre = gre_ppp(&cat(&[&[2, 0x83], &packet]));
                    raw.push(whole(&format!("gre ppp 0283/{label_name}"), ipv4(47, &gre)));
                }
            }
        }
    }
    // No bottom-of-stack bit: the stack runs on into the payload.
    for (name, payload) in &payloads {
        let packet = cat(&[&label(16, false, 64), payload]);
        if mpls_payload_nibble(&packet) != Some(0) {
            ethernet.push(whole(&format!("mpls without bottom/{name}"), eth(0x8847, &packet)));
        }
    }
    ethernet.push(whole("mpls of 3 bytes", eth(0x8847, &[0, 1, 1])));
    let stack = cat(&[&label(16, false, 64), &label(17, true, 64)]);
    ethernet.extend(all_cuts("ethernet/mpls/ipv4", &eth(0x8847, &cat(&[&stack, &v4]))));
    ethernet.extend(all_cuts("ethernet/mpls/ipv6", &eth(0x8847, &cat(&[&stack, &v6]))));
    raw.extend(all_cuts("ipv4 137/mpls/ipv4", &ipv4(137, &cat(&[&stack, &v4]))));
    (ethernet, raw)
}

/// A PPP-in-GRE packet (PPTP: version 1, key, sequence number).
fn gre_ppp(ppp: &[u8]) -> Vec<u8> {
    gre(0x3001, 0x880b, &[0, 9, 0, 1, 0, 0, 0, 1], ppp)
}

differential!(mpls_ethernet, link_type::ETHERNET, mpls_frames().0);
differential!(mpls_raw, link_type::RAW, mpls_frames().1);

/// Random MPLS label stacks in Ethernet frames: 1 to 5 entries of random
/// labels (reserved ones often), a bottom-of-stack bit mostly on the last,
/// IPv4, IPv6 or random bytes after, a fifth cut short; frames whose
/// payload starts with nibble 0 are left out (see [`mpls_payload_nibble`]).
fn random_mpls_frames() -> Vec<Frame> {
    let mut r = Rng::new(0x6d70_6c73);
    let mut frames = Vec::new();
    let mut i = 0u32;
    while frames.len() < 3000 {
        i += 1;
        let depth = 1 + r.below(5);
        let mut stack = Vec::new();
        for d in 0..depth {
            let any = (r.next_u64() & 0xfffff) as u32;
            let value = r.pick(&[0, 1, 2, 3, 7, 13, 14, 15, 16, any, any, any]);
            let bottom = if d + 1 == depth { r.chance(90) } else { r.chance(5) };
            stack.extend(label(value, bottom, r.byte()));
        }
        let src = i.to_be_bytes();
        let n = r.below(20);
        let data = r.bytes(n);
        let payload = match r.below(4) {
            0 => V4 { src, ..v4(17) }.build(&udp(1000, 2000, &data)),
            1 => ipv6(17, &udp(1000, 2000, &data)),
            2 => V4 { src, ..v4(6) }.build(&tcp(1000, 2000, &[], &data)),
            _ => cat(&[&data, &data, &data]),
        };
        let mut packet = cat(&[&stack, &payload]);
        if mpls_payload_nibble(&packet) == Some(0) {
            continue;
        }
        let orig_len = packet.len() + 14;
        if r.chance(20) {
            packet.truncate(r.below(packet.len() + 1));
        }
        let data = eth(r.pick(&[0x8847, 0x8848]), &packet);
        frames.push(Frame { name: format!("random mpls #{i}"), data, orig_len });
    }
    frames
}

differential!(mpls_random, link_type::ETHERNET, random_mpls_frames());

/// 802.3 frames (a type/length field of 1 to 1500) with an 802.2 LLC
/// header: SAPs of SNAP (0xAA both) or not, U-format (UI or not) and I-
/// and S-format control fields, SNAP OUIs 0, Cisco's 0x0000f8, 802.1
/// bridged (protocol IDs 1 and 7: an Ethernet frame, with an FCS or not)
/// and others, carrying IPv4/TCP, IPv6, ARP, a VLAN tag, MPLS or an
/// Ethernet frame; the length field exact, shorter than the payload (it
/// cuts it, `tcp.len` too) or longer, 1500 and 1501; behind a VLAN tag
/// and inside VXLAN; cut at every length. tshark 4.0 decodes a SNAP
/// EtherType's packet only in an information frame.
fn llc_frames() -> Vec<Frame> {
    let v4 = V4 { src: [3, 3, 3, 3], ..v4(6) }.build(&tcp(1, 2, &[], &[0x78; 30]));
    let v6 = ipv6(17, &udp(1111, 2222, b"hi"));
    let arp = cat(&[&[0, 1, 8, 0, 6, 4, 0, 1], &MAC_A, &IP_A, &[0; 6], &IP_B]);
    let frame = eth(0x0800, &v4);
    let payloads: Vec<(u16, &str, Vec<u8>)> = vec![
        (0x0800, "ipv4", v4.clone()),
        (0x86dd, "ipv6", v6.clone()),
        (0x0806, "arp", arp),
        (0x8100, "802.1Q", tag(5, 0x0800, &v4)),
        (0x8847, "mpls", cat(&[&label(16, true, 64), &v4])),
        (0x0001, "bridged with fcs", cat(&[&[0, 0], &frame])),
        (0x0007, "bridged", cat(&[&[0, 0], &frame])),
        (0x000e, "bpdu", vec![0; 35]),
        (0x1234, "unknown", v4.clone()),
    ];
    let saps: [(u8, u8); 6] =
        [(0xaa, 0xaa), (0xaa, 0xab), (0xab, 0xaa), (0x42, 0x42), (0xe0, 0xe0), (0, 0)];
    let controls: [&[u8]; 8] =
        [&[3], &[0x13], &[0, 0], &[2, 1], &[1, 0], &[0xef], &[0xff], &[0x43]];
    let ouis: [[u8; 3]; 6] =
        [[0, 0, 0], [0, 0, 0xf8], [0, 0, 0x0c], [8, 0, 7], [0, 0x80, 0xc2], [0x12, 0x34, 0x56]];
    let mut frames = Vec::new();
    for (dsap, ssap) in saps {
        for control in controls {
            for oui in ouis {
                for (pid, name, payload) in &payloads {
                    let llc = cat(&[&[dsap, ssap], control, &oui, &pid.to_be_bytes(), payload]);
                    let label = format!(
                        "802.3 saps {dsap:#04x}/{ssap:#04x} control {control:02x?} oui {oui:02x?} pid {pid:#06x}/{name}"
                    );
                    frames.push(whole(&label, eth(llc.len() as u16, &llc)));
                }
            }
        }
    }
    let snap = cat(&[&[0xaa, 0xaa, 3, 0, 0, 0, 8, 0], &v4]);
    let n = snap.len() as u16;
    for len in [1u16, 2, 3, 8, 20, 28, 40, n - 10, n - 1, n, n + 1, n + 20, 1500, 1501] {
        frames.push(whole(&format!("802.3 length {len}/snap/ipv4"), eth(len, &snap)));
        let padded = cat(&[&snap, &[0; 10]]);
        frames.push(whole(&format!("802.3 length {len}/snap/ipv4 + 10"), eth(len, &padded)));
    }
    let bridged = cat(&[&[0xaa, 0xaa, 3, 0, 0x80, 0xc2, 0, 1, 0, 0], &frame]);
    frames.push(whole("802.3/bridged with fcs", eth(bridged.len() as u16, &bridged)));
    let fcs = cat(&[&bridged, b"abcd"]);
    frames.push(whole("802.3/bridged with an fcs", eth(fcs.len() as u16, &fcs)));
    frames.push(whole("802.3 length 200/bridged with fcs", eth(200, &bridged)));
    frames.push(whole("802.1Q/802.3/snap", eth(0x8100, &tag(5, n, &snap))));
    let tunnelled = ipv4(17, &udp(50000, 4789, &vxlan(&eth(n, &snap))));
    frames.push(whole("vxlan/802.3/snap", eth(0x0800, &tunnelled)));
    frames.push(whole("802.3/snap/802.3/snap", eth(200, &cat(&[&bridged[..10], &eth(n, &snap)]))));
    frames.extend(all_cuts("802.3/snap/ipv4", &eth(n, &snap)));
    frames.extend(all_cuts(
        "802.3/i-frame snap/ipv6",
        &eth(100, &cat(&[&[0xaa, 0xaa, 0, 0, 0, 0, 0, 0x86, 0xdd], &v6])),
    ));
    frames.extend(all_cuts("802.3/bridged", &eth(bridged.len() as u16, &bridged)));
    frames
}

differential!(llc_snap, link_type::ETHERNET, llc_frames());

/// Random 802.3 frames: SAPs 0xAA (mostly) or random, a random control
/// byte (I, S and U formats), OUI 0, 0x0000f8, 0x0080c2 or random, a
/// protocol ID that fits the payload or not, a length field exact,
/// shorter or longer, a fifth cut short.
fn random_llc_frames() -> Vec<Frame> {
    let mut r = Rng::new(0x6c6c_6320);
    let mut frames = Vec::new();
    for i in 0..3000u32 {
        let src = i.to_be_bytes();
        let payload = match r.below(3) {
            0 => V4 { src, ..v4(17) }.build(&udp(1, 2, b"abc")),
            1 => ipv6(6, &tcp(1, 2, &[], b"abc")),
            _ => cat(&[&[0, 0], &eth(0x0800, &V4 { src, ..v4(17) }.build(&udp(1, 2, b"abc")))]),
        };
        let any = r.byte();
        let sap = |r: &mut Rng| if r.chance(80) { 0xaa } else { any };
        let (dsap, ssap) = (sap(&mut r), sap(&mut r));
        let control = r.pick(&[3, 3, 3, 0, 1, 2, 0x13, 0xef, any]);
        let any = [r.byte(), r.byte(), r.byte()];
        let oui = r.pick(&[[0, 0, 0], [0, 0, 0], [0, 0, 0xf8], [0, 0x80, 0xc2], any]);
        let any_pid = u16::from(r.byte());
        let pid: u16 = r.pick(&[0x0800, 0x86dd, 0x0001, 0x0007, 0x8100, any_pid]);
        let second = r.byte();
        let llc = cat(&[&[dsap, ssap, control, second], &oui, &pid.to_be_bytes(), &payload]);
        let llc = if control & 3 == 3 && r.chance(90) { cat(&[&llc[..3], &llc[4..]]) } else { llc };
        let exact = llc.len() as u16;
        let short = 1 + r.below(60) as u16;
        let len = r.pick(&[exact, exact, exact, exact - 5, exact + 5, short, 1500]);
        let mut frame = eth(len, &llc);
        let orig_len = frame.len();
        if r.chance(20) {
            frame.truncate(14 + r.below(frame.len() - 14 + 1));
        }
        frames.push(Frame {
            name: format!("random 802.3 #{i} length {len}"),
            data: frame,
            orig_len,
        });
    }
    frames
}

differential!(llc_random, link_type::ETHERNET, random_llc_frames());

/// A Geneve header: version and option length byte, protocol type, VNI 5,
/// then `options` and `payload`.
fn geneve(first: u8, ty: u16, options: &[u8], payload: &[u8]) -> Vec<u8> {
    cat(&[&[first, 0], &ty.to_be_bytes(), &[0, 0, 5, 0], options, payload])
}

/// Geneve (UDP port 6081) over IPv4 and IPv6: versions 0 to 3, option
/// lengths 0 to 63 words (options well formed or not), protocol types
/// Ethernet (0x6558), IPv4, IPv6, a VLAN tag, MPLS, ARP and unknown; to
/// and from 6081, the other port higher, an unregistered lower one, VXLAN's,
/// MSRCP's or one whose protocol claims the datagram (DNS, NTP); Geneve in
/// Geneve and in VXLAN; cut at every length. tshark 4.0 does not check
/// the version or the options.
fn geneve_frames() -> Vec<Frame> {
    let v4 = V4 { src: [1, 1, 1, 1], dst: [2, 2, 2, 2], ..v4(17) }.build(&udp(1111, 2222, b"hi"));
    let v6 = ipv6(6, &tcp(3333, 4444, &[], b"xyz"));
    let frame = eth(0x0800, &v4);
    let payloads: Vec<(u16, &str, Vec<u8>)> = vec![
        (0x6558, "ethernet", frame.clone()),
        (0x0800, "ipv4", v4.clone()),
        (0x86dd, "ipv6", v6.clone()),
        (0x8100, "802.1Q", tag(5, 0x86dd, &v6)),
        (0x8847, "mpls", cat(&[&label(16, true, 64), &v4])),
        (0x0806, "arp", vec![0; 28]),
        (0x1234, "unknown", frame.clone()),
        (0x0800, "ipv6 as ipv4", v6.clone()),
    ];
    let mut frames = Vec::new();
    for version in 0u8..4 {
        for words in [0u8, 1, 2, 5, 63] {
            for (ty, name, payload) in &payloads {
                let options: Vec<u8> = (0..usize::from(words) * 4)
                    .map(|i| if i % 4 == 3 { (i as u8) & 0x1f } else { 1 + i as u8 })
                    .collect();
                let g = geneve(version << 6 | words, *ty, &options, payload);
                let label =
                    format!("geneve version {version} options {words} type {ty:#06x}/{name}");
                frames.push(whole(&format!("ipv4/{label}"), ipv4(17, &udp(50000, 6081, &g))));
                if words == 1 {
                    frames.push(whole(&format!("ipv6/{label}"), ipv6(17, &udp(6081, 60000, &g))));
                }
            }
        }
    }
    let g = geneve(1, 0x6558, &[1, 2, 3, 0x1f], &frame);
    for (source, destination) in [
        (6081u16, 50000u16),
        (1000, 6081),
        (6081, 4790),
        (5000, 6081),
        (6081, 6081),
        (53, 6081),
        (6081, 123),
        (4789, 6081),
        (6081, 3343),
    ] {
        let name = format!("udp {source} -> {destination}/geneve");
        frames.push(whole(&name, ipv4(17, &udp(source, destination, &g))));
    }
    let nested = geneve(0, 0x6558, &[], &eth(0x0800, &ipv4(17, &udp(50000, 6081, &g))));
    frames.push(whole("geneve/geneve", ipv4(17, &udp(50000, 6081, &nested))));
    let vx = vxlan(&eth(0x86dd, &ipv6(17, &udp(50000, 6081, &g))));
    frames.push(whole("vxlan/geneve", ipv4(17, &udp(50000, 4789, &vx))));
    frames.extend(all_cuts("ipv4/geneve/ethernet", &ipv4(17, &udp(50000, 6081, &g))));
    let g6 = geneve(0, 0x86dd, &[], &v6);
    frames.extend(all_cuts("ipv6/geneve/ipv6", &ipv6(17, &udp(50000, 6081, &g6))));
    frames
}

differential!(geneve_tunnels, link_type::RAW, geneve_frames());

/// Random Geneve packets: a random first byte (version, option length),
/// protocol type from a set or random, random options, an Ethernet
/// frame, IPv4 or IPv6 after, a fifth cut short; each from a source
/// address of its own.
fn random_geneve_frames() -> Vec<Frame> {
    let mut r = Rng::new(0x6765_6e76);
    let mut frames = Vec::new();
    for i in 0..2000u32 {
        let src = i.to_be_bytes();
        let dgram = V4 { src: [9, 9, 9, 9], ..v4(17) }.build(&udp(1, 2, b"abc"));
        let payload = match r.below(3) {
            0 => eth(0x0800, &dgram),
            1 => dgram,
            _ => ipv6(17, &udp(1, 2, b"abc")),
        };
        let first = if r.chance(70) { r.byte() & 0xc3 } else { r.byte() };
        let any = u16::from(r.byte()) << 8 | u16::from(r.byte());
        let ty = r.pick(&[0x6558, 0x0800, 0x86dd, 0x8100, any]);
        let options = r.bytes(usize::from(first & 0x3f) * 4);
        let g = geneve(first, ty, &options, &payload);
        let mut frame = V4 { src, ..v4(17) }.build(&udp(50000, 6081, &g));
        let orig_len = frame.len();
        if r.chance(20) {
            frame.truncate(20 + r.below(frame.len() - 20 + 1));
        }
        frames.push(Frame {
            name: format!("random geneve #{i} type {ty:#06x}"),
            data: frame,
            orig_len,
        });
    }
    frames
}

differential!(geneve_random, link_type::RAW, random_geneve_frames());

/// UDP datagrams between Geneve's port (6081) and a lower port whose
/// protocol tshark 4.0 tries first (the measured ports of
/// `zcpkt::proto`'s tables but those that claim some Geneve packets and
/// not others, those registered between 4789 and 6081, and others), both
/// ways, carrying Geneve packets of three kinds: where that
/// protocol claims the datagram there is no inner packet. Each frame
/// comes from a source address of its own.
fn geneve_lower_port_frames() -> Vec<Frame> {
    let ports = [
        7u16, 13, 19, 37, 49, 53, 67, 68, 69, 111, 123, 137, 138, 173, 213, 269, 319, 320, 389,
        427, 434, 464, 496, 513, 514, 520, 521, 524, 525, 546, 547, 664, 701, 853, 854, 910, 921,
        1001, 1153, 1194, 1293, 1628, 1629, 1718, 1719, 1745, 1900, 1985, 2029, 2099, 2157, 2221,
        2222, 2246, 2268, 2269, 2313, 2345, 2887, 2944, 2945, 2948, 2949, 3000, 3130, 3250, 3343,
        3357, 3389, 3452, 3455, 3567, 3671, 3784, 3785, 3804, 3863, 4305, 4306, 4307, 4342, 4500,
        4551, 4555, 4569, 4729, 4784, 4789, 4790, 4791, 4991, 5000, 5001, 5050, 5060, 5072, 5094,
        5246, 5247, 5264, 5265, 5350, 5351, 5353, 5355, 5404, 5405, 5436, 5555, 5567, 5678, 5683,
        5684, 5868, 6060, 6073, 0, 80, 1000, 6080, 6082, 60000,
    ];
    let dgram =
        V4 { src: [1, 1, 1, 1], dst: [2, 2, 2, 2], ..v4(17) }.build(&udp(1111, 2222, b"hi"));
    let packets = [
        geneve(0, 0x6558, &[], &eth(0x0800, &dgram)),
        geneve(1, 0x0800, &[1, 2, 3, 0], &dgram),
        geneve(0, 0x86dd, &[], &ipv6(6, &tcp(3333, 4444, &[], b"xyz"))),
    ];
    let mut frames = Vec::new();
    for port in ports {
        for (k, packet) in packets.iter().enumerate() {
            for (source, destination) in [(port, 6081), (6081, port)] {
                let n = frames.len() as u32 + 1;
                let frame =
                    V4 { src: n.to_be_bytes(), ..v4(17) }.build(&udp(source, destination, packet));
                frames.push(whole(&format!("udp {source} -> {destination}, geneve {k}"), frame));
            }
        }
    }
    frames
}

differential!(geneve_lower_port, link_type::RAW, geneve_lower_port_frames());
