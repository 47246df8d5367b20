//! Frames crafted byte by byte for the tshark differential tests: every
//! link type `fields.md` names, every layer, and every cut length of many.
//! Shared by `fields_tshark.rs` (library) and, through `#[path]`, by the
//! CLI's `tests/fields.rs`.

#![allow(dead_code)]

/// A crafted frame: what it is, its captured bytes and its original length.
pub struct Frame {
    pub name: String,
    pub data: Vec<u8>,
    pub orig_len: usize,
}

pub fn whole(name: &str, data: Vec<u8>) -> Frame {
    let orig_len = data.len();
    Frame { name: name.to_string(), data, orig_len }
}

/// The frame cut to every length from 0 to its whole length, as a snap
/// length would (the original length stays).
pub fn all_cuts(name: &str, data: &[u8]) -> Vec<Frame> {
    (0..=data.len())
        .map(|n| Frame {
            name: format!("{name} cut at {n}"),
            data: data[..n].to_vec(),
            orig_len: data.len(),
        })
        .collect()
}

// ---- frame builders ---------------------------------------------------

pub const MAC_A: [u8; 6] = [0x00, 0x1b, 0x21, 0x0a, 0xbc, 0xde];
pub const MAC_B: [u8; 6] = [0x02, 0x42, 0xac, 0x11, 0x00, 0x02];
pub const IP_A: [u8; 4] = [192, 168, 1, 10];
pub const IP_B: [u8; 4] = [10, 20, 30, 40];
pub const V6_A: [u8; 16] = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0, 0x97, 0x01];
pub const V6_B: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

pub fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

pub fn eth(ty: u16, payload: &[u8]) -> Vec<u8> {
    cat(&[&MAC_B, &MAC_A, &ty.to_be_bytes(), payload])
}

/// A tag's TCI and inner type (the TPID is the previous header's type).
pub fn tag(vid: u16, inner: u16, payload: &[u8]) -> Vec<u8> {
    cat(&[&(0x2000 | vid).to_be_bytes(), &inner.to_be_bytes(), payload])
}

pub struct V4 {
    pub proto: u8,
    pub src: [u8; 4],
    pub dst: [u8; 4],
    pub options: Vec<u8>,
    pub flags_frag: u16,
    pub total_len: Option<u16>,
}

pub fn v4(proto: u8) -> V4 {
    V4 { proto, src: IP_A, dst: IP_B, options: vec![], flags_frag: 0x4000, total_len: None }
}

impl V4 {
    pub fn build(&self, payload: &[u8]) -> Vec<u8> {
        let hl = 20 + self.options.len();
        let total = self.total_len.unwrap_or((hl + payload.len()) as u16);
        let mut h = vec![0x40 | (hl / 4) as u8, 0];
        h.extend(total.to_be_bytes());
        h.extend([0x12, 0x34]);
        h.extend(self.flags_frag.to_be_bytes());
        h.extend([64, self.proto, 0, 0]);
        h.extend(self.src);
        h.extend(self.dst);
        h.extend(&self.options);
        h.extend(payload);
        h
    }
}

pub fn ipv4(proto: u8, payload: &[u8]) -> Vec<u8> {
    v4(proto).build(payload)
}

pub fn ipv6_addrs(nxt: u8, src: [u8; 16], dst: [u8; 16], payload: &[u8]) -> Vec<u8> {
    let mut h = vec![0x60, 0, 0, 0];
    h.extend((payload.len() as u16).to_be_bytes());
    h.extend([nxt, 64]);
    h.extend(src);
    h.extend(dst);
    h.extend(payload);
    h
}

pub fn ipv6(nxt: u8, payload: &[u8]) -> Vec<u8> {
    ipv6_addrs(nxt, V6_A, V6_B, payload)
}

/// Hop-by-hop or destination options: one PadN filling 8 bytes.
pub fn opts_ext(nxt: u8, payload: &[u8]) -> Vec<u8> {
    cat(&[&[nxt, 0, 1, 4, 0, 0, 0, 0], payload])
}

/// A type 2 routing header (one address, segments left 1).
pub fn routing_ext(nxt: u8, payload: &[u8]) -> Vec<u8> {
    cat(&[&[nxt, 2, 2, 1, 0, 0, 0, 0], &V6_B, payload])
}

pub fn frag_ext(nxt: u8, offset: u16, more: bool, payload: &[u8]) -> Vec<u8> {
    let w = (offset << 3) | u16::from(more);
    cat(&[&[nxt, 0], &w.to_be_bytes(), &[0, 0, 0xab, 0xcd], payload])
}

pub fn tcp(sport: u16, dport: u16, options: &[u8], payload: &[u8]) -> Vec<u8> {
    let hl = 20 + options.len();
    let mut h = sport.to_be_bytes().to_vec();
    h.extend(dport.to_be_bytes());
    h.extend([0, 0, 0, 1, 0, 0, 0, 0]);
    h.extend([((hl / 4) as u8) << 4, 0x18, 0xff, 0xff, 0, 0, 0, 0]);
    h.extend(options);
    h.extend(payload);
    h
}

pub fn udp_len(sport: u16, dport: u16, len: u16, payload: &[u8]) -> Vec<u8> {
    let mut h = sport.to_be_bytes().to_vec();
    h.extend(dport.to_be_bytes());
    h.extend(len.to_be_bytes());
    h.extend([0, 0]);
    h.extend(payload);
    h
}

pub fn udp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    udp_len(sport, dport, (8 + payload.len()) as u16, payload)
}

pub fn icmp(ty: u8, code: u8, rest: [u8; 4], payload: &[u8]) -> Vec<u8> {
    cat(&[&[ty, code, 0, 0], &rest, payload])
}

pub fn vxlan(inner: &[u8]) -> Vec<u8> {
    cat(&[&[0x08, 0, 0, 0, 0, 0x12, 0x34, 0], inner])
}

pub const PAYLOAD: &[u8] = b"zero-copy zero-allocation payload bytes";

pub fn udp_dgram() -> Vec<u8> {
    udp(40000, 50001, PAYLOAD)
}

pub fn tcp_seg() -> Vec<u8> {
    tcp(40001, 50002, &[], PAYLOAD)
}

// ---- the frames, by link type -----------------------------------------

/// What goes after a link header: the network-layer variety every link
/// type gets, as (name, EtherType, bytes).
pub fn network_payloads() -> Vec<(String, u16, Vec<u8>)> {
    let mut out: Vec<(String, u16, Vec<u8>)> = Vec::new();
    let mut add = |name: &str, ty: u16, b: Vec<u8>| out.push((name.to_string(), ty, b));
    add("ipv4/udp", 0x0800, ipv4(17, &udp_dgram()));
    add("ipv4/tcp", 0x0800, ipv4(6, &tcp_seg()));
    add("ipv6/udp", 0x86dd, ipv6(17, &udp_dgram()));
    add("ipv6/tcp", 0x86dd, ipv6(6, &tcp_seg()));
    add("ipv4/icmp echo", 0x0800, ipv4(1, &icmp(8, 0, [0, 1, 0, 7], PAYLOAD)));
    add("ipv6/icmpv6 echo", 0x86dd, ipv6(58, &icmp(128, 0, [0, 1, 0, 7], PAYLOAD)));
    let arp = {
        let mut a = vec![0, 1, 8, 0, 6, 4, 0, 1];
        a.extend(MAC_A);
        a.extend(IP_A);
        a.extend([0; 6]);
        a.extend(IP_B);
        a
    };
    add("arp", 0x0806, arp);
    out
}

pub fn ethernet_frames() -> Vec<Frame> {
    let mut f = Vec::new();
    for (name, ty, b) in network_payloads() {
        f.push(whole(&format!("eth/{name}"), eth(ty, &b)));
        f.push(whole(&format!("eth/802.1Q/{name}"), eth(0x8100, &tag(42, ty, &b))));
        f.push(whole(
            &format!("eth/802.1ad/802.1Q/{name}"),
            eth(0x88a8, &tag(100, 0x8100, &tag(200, ty, &b))),
        ));
        f.extend(all_cuts(&format!("eth/{name}"), &eth(ty, &b)));
    }
    f.push(whole(
        "eth/802.1Q/802.1Q/ipv4/udp",
        eth(0x8100, &tag(7, 0x8100, &tag(4095, 0x0800, &ipv4(17, &udp_dgram())))),
    ));
    f.push(whole(
        "eth/0x9100/802.1Q/ipv4/udp",
        eth(0x9100, &tag(7, 0x8100, &tag(8, 0x0800, &ipv4(17, &udp_dgram())))),
    ));
    f.extend(all_cuts(
        "eth/802.1ad/802.1Q/ipv4/tcp",
        &eth(0x88a8, &tag(100, 0x8100, &tag(200, 0x0800, &ipv4(6, &tcp_seg())))),
    ));
    f.push(whole("eth/802.3 length", eth(46, &[0xaa; 46])));
    f.push(whole("eth/unknown type", eth(0x88cc, &[0; 46])));

    // IPv4 options, fragments, odd lengths, IP in IP.
    let mut o = v4(17);
    o.options = vec![0x94, 0x04, 0x00, 0x00];
    f.extend(all_cuts("ipv4 options/udp", &eth(0x0800, &o.build(&udp_dgram()))));
    let mut o = v4(6);
    o.options = vec![0x01; 40];
    f.push(whole("ipv4 40 bytes of options/tcp", eth(0x0800, &o.build(&tcp_seg()))));
    for (name, ff) in [
        ("first fragment", 0x2000u16),
        ("middle fragment", 0x2000 | 10),
        ("last fragment", 185),
        ("df", 0x4000),
    ] {
        for (l4, proto, payload) in [("udp", 17u8, udp_dgram()), ("tcp", 6, tcp_seg())] {
            let mut h = v4(proto);
            h.flags_frag = ff;
            f.push(whole(&format!("ipv4 {name}/{l4}"), eth(0x0800, &h.build(&payload))));
        }
    }
    let mut h = v4(6);
    h.total_len = Some(1500);
    f.push(Frame {
        name: "ipv4/tcp 1448 bytes cut by snaplen".into(),
        data: eth(
            0x0800,
            &h.build(&tcp(443, 50000, &[1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2], &[0; 30])),
        ),
        orig_len: 1514,
    });
    let mut h = v4(6);
    h.total_len = Some(0);
    f.push(whole("ipv4 total length 0 (TSO)/tcp", eth(0x0800, &h.build(&tcp_seg()))));
    let mut h = v4(17);
    h.total_len = Some(12);
    f.push(whole("ipv4 total length < header", eth(0x0800, &h.build(&udp_dgram()))));
    let mut h = v4(6);
    h.total_len = Some(30);
    f.push(whole("ipv4 total length shorter than tcp", eth(0x0800, &h.build(&tcp_seg()))));
    let mut h = v4(6);
    h.total_len = Some(400);
    f.push(whole("ipv4 total length longer than frame", eth(0x0800, &h.build(&tcp_seg()))));
    f.push(whole("ipv4 version 5", {
        let mut b = eth(0x0800, &ipv4(17, &udp_dgram()));
        b[14] = 0x55;
        b
    }));
    f.push(whole("ipv4 ihl 4", {
        let mut b = eth(0x0800, &ipv4(17, &udp_dgram()));
        b[14] = 0x44;
        b
    }));
    for (code, ptr) in [(0x83u8, 4u8), (0x89, 8), (0x83, 12), (0x83, 5), (0x07, 4)] {
        let mut h = v4(17);
        h.options = vec![1, code, 11, ptr, 1, 1, 1, 1, 2, 2, 2, 2];
        f.push(whole(
            &format!("ipv4 option {code:#x} ptr {ptr}"),
            eth(0x0800, &h.build(&udp_dgram())),
        ));
        f.extend(all_cuts(
            &format!("ipv4 option {code:#x} ptr {ptr}"),
            &eth(0x0800, &h.build(&[])),
        ));
    }
    let mut h = v4(17);
    h.options = vec![0x94, 4, 0, 0, 0x83, 7, 4, 9, 9, 9, 9, 0];
    f.push(whole("ipv4 router alert then lsrr", eth(0x0800, &h.build(&udp_dgram()))));
    let mut h = v4(17);
    h.options = vec![0x94, 5, 0, 0, 0x83, 7, 4, 9, 9, 9, 9, 0];
    f.push(whole("ipv4 bad router alert then lsrr", eth(0x0800, &h.build(&udp_dgram()))));
    f.push(whole("ethertype ipv4 carrying ipv6", eth(0x0800, &ipv6(17, &udp_dgram()))));
    f.push(whole("ipip", eth(0x0800, &ipv4(4, &ipv4(17, &udp_dgram())))));
    f.push(whole("ipv6 in ipv4", eth(0x0800, &ipv4(41, &ipv6(6, &tcp_seg())))));
    f.push(whole("ipv4 unknown proto", eth(0x0800, &ipv4(132, &[0; 20]))));

    // UDP lengths.
    f.push(whole("udp length 4", eth(0x0800, &ipv4(17, &udp_len(1000, 2000, 4, PAYLOAD)))));
    f.push(whole(
        "udp length too long",
        eth(0x0800, &ipv4(17, &udp_len(1000, 2000, 900, PAYLOAD))),
    ));
    f.push(whole("udp length short", eth(0x0800, &ipv4(17, &udp_len(1000, 2000, 12, PAYLOAD)))));

    // TCP header lengths.
    f.push(whole(
        "tcp with options",
        eth(0x0800, &ipv4(6, &tcp(22, 50000, &[2, 4, 5, 0xb4, 1, 1, 4, 2], PAYLOAD))),
    ));
    f.push(whole(
        "tcp data offset 4",
        eth(
            0x0800,
            &ipv4(6, &{
                let mut t = tcp_seg();
                t[12] = 0x40;
                t
            }),
        ),
    ));
    f.push(whole(
        "tcp data offset 15 past the end",
        eth(
            0x0800,
            &ipv4(6, &{
                let mut t = tcp(1, 2, &[], &[0; 10]);
                t[12] = 0xf0;
                t
            }),
        ),
    ));
    f.extend(all_cuts(
        "eth/ipv4/tcp options",
        &eth(0x0800, &ipv4(6, &tcp(22, 50000, &[2, 4, 5, 0xb4], &[1, 2, 3]))),
    ));

    // IPv6 extension headers and fragments.
    f.extend(all_cuts("ipv6 hop-by-hop/udp", &eth(0x86dd, &ipv6(0, &opts_ext(17, &udp_dgram())))));
    f.push(whole("ipv6 routing/tcp", eth(0x86dd, &ipv6(43, &routing_ext(6, &tcp_seg())))));
    f.push(whole(
        "ipv6 dest opts/icmpv6",
        eth(0x86dd, &ipv6(60, &opts_ext(58, &icmp(128, 0, [0; 4], PAYLOAD)))),
    ));
    f.push(whole(
        "ipv6 first fragment/udp",
        eth(0x86dd, &ipv6(44, &frag_ext(17, 0, true, &udp_dgram()))),
    ));
    f.push(whole(
        "ipv6 later fragment/udp",
        eth(0x86dd, &ipv6(44, &frag_ext(17, 100, false, &udp_dgram()))),
    ));
    f.push(whole(
        "ipv6 first fragment/tcp",
        eth(0x86dd, &ipv6(44, &frag_ext(6, 0, true, &tcp_seg()))),
    ));
    f.push(whole(
        "ipv6 atomic fragment/tcp",
        eth(0x86dd, &ipv6(44, &frag_ext(6, 0, false, &tcp_seg()))),
    ));
    let mut h = v4(17);
    h.flags_frag = 0x2000;
    f.push(whole(
        "ipv4 first fragment/vxlan/tcp",
        eth(0x0800, &h.build(&udp(50000, 4789, &vxlan(&eth(0x0800, &ipv4(6, &tcp_seg())))))),
    ));
    f.push(whole(
        "ipv6 middle fragment/tcp",
        eth(0x86dd, &ipv6(44, &frag_ext(6, 3, true, &tcp_seg()))),
    ));
    f.extend(all_cuts(
        "ipv6 hop/routing/frag/dest/tcp",
        &eth(
            0x86dd,
            &ipv6(
                0,
                &opts_ext(43, &routing_ext(44, &frag_ext(60, 0, false, &opts_ext(6, &tcp_seg())))),
            ),
        ),
    ));
    f.push(whole(
        "ipv6 first fragment/routing/atomic fragment/tcp",
        eth(
            0x86dd,
            &ipv6(44, &frag_ext(43, 0, true, &routing_ext(44, &frag_ext(6, 0, false, &tcp_seg())))),
        ),
    ));
    for (name, inner) in [
        ("ipv4", ipv4(6, &tcp_seg())),
        ("ipv6", ipv6(6, &tcp_seg())),
        ("ipv6 atomic fragment", ipv6(44, &frag_ext(6, 0, false, &tcp_seg()))),
    ] {
        let next = if name == "ipv4" { 4 } else { 41 };
        f.push(whole(
            &format!("ipv6 first fragment/{name}/tcp"),
            eth(0x86dd, &ipv6(44, &frag_ext(next, 0, true, &inner))),
        ));
        let mut h = v4(next);
        h.flags_frag = 0x2000;
        f.push(whole(&format!("ipv4 first fragment/{name}/tcp"), eth(0x0800, &h.build(&inner))));
    }
    f.push(whole("ipv6 in ipv6", eth(0x86dd, &ipv6(41, &ipv6(17, &udp_dgram())))));
    f.push(whole("ipv4 in ipv6", eth(0x86dd, &ipv6(4, &ipv4(17, &udp_dgram())))));
    f.push(whole("ipv6 no next header", eth(0x86dd, &ipv6(59, &[]))));
    // Payload length 0: a jumbogram (RFC 2675) has its length in a
    // hop-by-hop option; anything else (a TSO capture) is an empty
    // datagram to Wireshark 4 (`ipv6.tso_support` is off by default).
    let zero_plen = |mut h: Vec<u8>| {
        h[4..6].copy_from_slice(&[0, 0]);
        eth(0x86dd, &h)
    };
    f.push(whole("ipv6 payload length 0 (TSO)/tcp", zero_plen(ipv6(6, &tcp_seg()))));
    f.push(whole("ipv6 payload length 0 (TSO)/udp", zero_plen(ipv6(17, &udp_dgram()))));
    f.push(whole(
        "ipv6 payload length 0/hop-by-hop without jumbo/udp",
        zero_plen(ipv6(0, &opts_ext(17, &udp_dgram()))),
    ));
    let jumbo = |value: u32, padding: &[u8], payload: &[u8]| {
        let mut hop = vec![6, 0];
        hop.extend(padding);
        hop.extend([0xc2, 4]);
        hop.extend(value.to_be_bytes());
        hop.resize(hop.len().next_multiple_of(8), 0);
        hop[1] = (hop.len() / 8 - 1) as u8;
        zero_plen(ipv6(0, &cat(&[&hop, payload])))
    };
    let big = tcp(443, 50000, &[], &vec![0x5a; 70_000]);
    for (name, value, padding) in [
        ("jumbogram", 8 + big.len() as u32, &[][..]),
        ("jumbogram, pad1 pad1 first", 16 + big.len() as u32, &[0, 0][..]),
        ("jumbogram, padn first", 16 + big.len() as u32, &[1, 0][..]),
        ("jumbo option under 65536 on a big frame", 8 + big.len() as u32 - 5000, &[][..]),
    ] {
        f.push(whole(&format!("ipv6 {name}/tcp"), jumbo(value, padding, &big)));
    }
    f.push(whole("ipv6 jumbo option under 65536/tcp", jumbo(65_535, &[], &tcp_seg())));
    f.push(whole("ipv6 jumbo option of 28/tcp", jumbo(28, &[], &tcp_seg())));
    let mut trailer = jumbo(8 + big.len() as u32, &[], &big);
    trailer.extend([0; 6]);
    f.push(whole("ipv6 jumbogram and a trailer/tcp", trailer));
    let cut = jumbo(8 + big.len() as u32, &[], &big);
    f.push(Frame {
        name: "ipv6 jumbogram cut by snaplen/tcp".into(),
        data: cut[..200].to_vec(),
        orig_len: cut.len(),
    });
    let addrs: [[u8; 16]; 14] = [
        [0; 16],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1],
        [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1],
        [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6],
        [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, 0, 0, 0xab],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 1, 2, 3, 4],
        [0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 2, 3, 4],
    ];
    for a in addrs {
        for b in addrs {
            f.push(whole("ipv6 address text", eth(0x86dd, &ipv6_addrs(59, a, b, &[]))));
        }
    }
    let mut h = ipv6(6, &tcp(443, 50000, &[], &[0; 10]));
    h[4..6].copy_from_slice(&1460u16.to_be_bytes());
    f.push(Frame {
        name: "ipv6/tcp cut by snaplen".into(),
        data: eth(0x86dd, &h),
        orig_len: 14 + 40 + 1460,
    });

    // ICMP errors quoting IP + UDP/TCP.
    let quoted_udp = ipv4(17, &udp(33000, 33434, &[0; 32]));
    let quoted_tcp = ipv4(6, &tcp(40000, 80, &[], &[0; 100]));
    for ty in [3u8, 4, 5, 11, 12] {
        f.push(whole(
            &format!("icmp {ty} quoting ip/udp"),
            eth(0x0800, &ipv4(1, &icmp(ty, 1, [0; 4], &quoted_udp[..28]))),
        ));
        f.push(whole(
            &format!("icmp {ty} quoting ip/tcp"),
            eth(0x0800, &ipv4(1, &icmp(ty, 1, [0; 4], &quoted_tcp[..28]))),
        ));
    }
    f.push(whole(
        "icmp 3 quoting whole ip/udp",
        eth(0x0800, &ipv4(1, &icmp(3, 3, [0; 4], &quoted_udp))),
    ));
    f.push(whole(
        "icmp 11 quoting whole ip/tcp",
        eth(0x0800, &ipv4(1, &icmp(11, 0, [0; 4], &quoted_tcp))),
    ));
    f.push(whole(
        "icmp 3 quoting ip/icmp echo",
        eth(0x0800, &ipv4(1, &icmp(3, 1, [0; 4], &ipv4(1, &icmp(8, 0, [0; 4], &[]))))),
    ));
    f.extend(all_cuts(
        "icmp 3 quoting ip/udp",
        &eth(0x0800, &ipv4(1, &icmp(3, 3, [0; 4], &quoted_udp[..28]))),
    ));
    f.push(whole("icmp 0 echo reply", eth(0x0800, &ipv4(1, &icmp(0, 0, [0; 4], PAYLOAD)))));
    f.push(whole("icmp 13 timestamp", eth(0x0800, &ipv4(1, &icmp(13, 0, [0; 4], &[0; 12])))));
    let quoted6_udp = ipv6(17, &udp(33000, 33434, &[0; 32]));
    let quoted6_tcp = ipv6(6, &tcp(40000, 80, &[], &[0; 100]));
    for ty in [1u8, 2, 3, 4] {
        f.push(whole(
            &format!("icmpv6 {ty} quoting ipv6/udp"),
            eth(0x86dd, &ipv6(58, &icmp(ty, 0, [0, 0, 5, 0], &quoted6_udp))),
        ));
        f.push(whole(
            &format!("icmpv6 {ty} quoting ipv6/tcp"),
            eth(0x86dd, &ipv6(58, &icmp(ty, 0, [0, 0, 5, 0], &quoted6_tcp[..48]))),
        ));
    }
    f.extend(all_cuts(
        "icmpv6 1 quoting ipv6/udp",
        &eth(0x86dd, &ipv6(58, &icmp(1, 4, [0; 4], &quoted6_udp[..48]))),
    ));
    f.push(whole("icmpv6 129 echo reply", eth(0x86dd, &ipv6(58, &icmp(129, 0, [0; 4], PAYLOAD)))));
    f.push(whole(
        "icmpv6 135 neighbor solicitation",
        eth(0x86dd, &ipv6(58, &icmp(135, 0, [0; 4], &V6_B))),
    ));

    // VXLAN.
    let inner = eth(0x0800, &ipv4(6, &tcp_seg()));
    // A UDP length of 0 over IPv6 (RFC 2675) is the length of what the IP
    // header carries; over IPv4 it is just a bad length.
    let vxlan_len0 = udp_len(50000, 4789, 0, &vxlan(&inner));
    f.push(whole("vxlan over ipv6, udp length 0", eth(0x86dd, &ipv6(17, &vxlan_len0))));
    f.push(whole("vxlan over ipv4, udp length 0", eth(0x0800, &ipv4(17, &vxlan_len0))));
    f.push(whole(
        "vxlan over ipv6 in ipv4, udp length 0",
        eth(0x0800, &ipv4(41, &ipv6(17, &vxlan_len0))),
    ));
    f.push(whole(
        "vxlan over ipv6 hop-by-hop, udp length 0, trailer",
        cat(&[&eth(0x86dd, &ipv6(0, &opts_ext(17, &vxlan_len0))), &[0; 6]]),
    ));
    let mut short = ipv6(17, &vxlan_len0);
    short[4..6].copy_from_slice(&30u16.to_be_bytes());
    f.push(whole("vxlan over ipv6 payload length 30, udp length 0", eth(0x86dd, &short)));
    f.push(whole(
        "icmpv6 1 quoting ipv6/vxlan, udp length 0",
        eth(0x86dd, &ipv6(58, &icmp(1, 4, [0; 4], &ipv6(17, &vxlan_len0)))),
    ));
    f.extend(all_cuts("vxlan over ipv6, udp length 0", &eth(0x86dd, &ipv6(17, &vxlan_len0))));
    f.extend(all_cuts(
        "vxlan inner eth/ipv4/tcp",
        &eth(0x0800, &ipv4(17, &udp(50000, 4789, &vxlan(&inner)))),
    ));
    f.push(whole(
        "vxlan from port 4789",
        eth(0x0800, &ipv4(17, &udp(4789, 50000, &vxlan(&inner)))),
    ));
    f.push(whole(
        "vxlan over ipv6, inner 802.1Q/ipv6/udp",
        eth(
            0x86dd,
            &ipv6(
                17,
                &udp(50000, 4789, &vxlan(&eth(0x8100, &tag(5, 0x86dd, &ipv6(17, &udp_dgram()))))),
            ),
        ),
    ));
    f.push(whole(
        "vxlan inner icmp error",
        eth(
            0x0800,
            &ipv4(
                17,
                &udp(
                    50000,
                    4789,
                    &vxlan(&eth(0x0800, &ipv4(1, &icmp(3, 3, [0; 4], &quoted_udp[..28])))),
                ),
            ),
        ),
    ));
    f
}

pub fn sll_frames() -> Vec<Frame> {
    let mut f = Vec::new();
    for (name, ty, b) in network_payloads() {
        let hdr = |proto: u16| cat(&[&[0, 0, 0, 1, 0, 6], &MAC_A, &[0, 0], &proto.to_be_bytes()]);
        f.push(whole(&format!("sll/{name}"), cat(&[&hdr(ty), &b])));
        f.push(whole(&format!("sll/802.1Q/{name}"), cat(&[&hdr(0x8100), &tag(9, ty, &b)])));
        f.extend(all_cuts(&format!("sll/{name}"), &cat(&[&hdr(ty), &b])));
    }
    // A GRE tunnel (ARPHRD_IPGRE, 778) and netlink (824) in `-i any`
    // captures: the protocol is a GRE protocol type, resp. a netlink family.
    for (arphrd, kind) in [(778u16, "gre"), (824, "netlink")] {
        let hdr = |proto: u16| {
            cat(&[&[0, 0], &arphrd.to_be_bytes(), &[0, 0], &[0; 8], &proto.to_be_bytes()])
        };
        for (name, ty, b) in network_payloads() {
            f.push(whole(&format!("sll {kind}/{name}"), cat(&[&hdr(ty), &b])));
            f.push(whole(
                &format!("sll {kind}/802.1Q/{name}"),
                cat(&[&hdr(0x8100), &tag(9, ty, &b)]),
            ));
        }
        let inner = eth(0x0800, &ipv4(17, &udp_dgram()));
        f.push(whole(&format!("sll {kind}/ethernet bridging"), cat(&[&hdr(0x6558), &inner])));
        f.extend(all_cuts(&format!("sll {kind}/ipv4/udp"), &cat(&[&hdr(0x0800), &inner[14..]])));
    }
    f
}

pub fn sll2_frames() -> Vec<Frame> {
    let mut f = Vec::new();
    for (name, ty, b) in network_payloads() {
        let hdr = |proto: u16| {
            cat(&[&proto.to_be_bytes(), &[0, 0, 0, 0, 0, 3, 0, 1, 4, 6], &MAC_A, &[0, 0]])
        };
        f.push(whole(&format!("sll2/{name}"), cat(&[&hdr(ty), &b])));
        f.push(whole(&format!("sll2/802.1Q/{name}"), cat(&[&hdr(0x8100), &tag(9, ty, &b)])));
        f.extend(all_cuts(&format!("sll2/{name}"), &cat(&[&hdr(ty), &b])));
    }
    for arphrd in [778u16, 824] {
        let hdr = |proto: u16| {
            cat(&[
                &proto.to_be_bytes(),
                &[0, 0, 0, 0, 0, 3],
                &arphrd.to_be_bytes(),
                &[0, 0],
                &[0; 8],
            ])
        };
        for (name, ty, b) in network_payloads() {
            f.push(whole(&format!("sll2 arphrd {arphrd}/{name}"), cat(&[&hdr(ty), &b])));
        }
        let inner = eth(0x86dd, &ipv6(6, &tcp_seg()));
        f.push(whole(
            &format!("sll2 arphrd {arphrd}/ethernet bridging"),
            cat(&[&hdr(0x6558), &inner]),
        ));
    }
    f
}

pub fn raw_frames() -> Vec<Frame> {
    let mut f = Vec::new();
    for (name, _, b) in network_payloads() {
        if name == "arp" {
            continue;
        }
        f.push(whole(&format!("raw/{name}"), b.clone()));
        f.extend(all_cuts(&format!("raw/{name}"), &b));
    }
    f.push(whole("raw version 0", vec![0x05; 30]));
    f.push(whole("raw 10 zero bytes/ipv4/udp", cat(&[&[0; 10], &ipv4(17, &udp_dgram())])));
    f.push(whole("raw 10 zero bytes/ipv6/udp", cat(&[&[0; 10], &ipv6(17, &udp_dgram())])));
    f.push(whole("raw ppp ff03", cat(&[&[0xff, 3, 0, 0x21], &ipv4(17, &udp_dgram())])));
    f.push(whole(
        "raw ppp ipv6 compressed protocol",
        cat(&[&[0xff, 3, 0x57], &ipv6(17, &udp_dgram())]),
    ));
    f.push(whole(
        "raw ppp unknown protocol",
        cat(&[&[0xff, 3, 0xc0, 0x21], &ipv4(17, &udp_dgram())]),
    ));
    f.push(whole("raw ppp at 1", cat(&[&[0x45, 0xff, 3, 0x21], &ipv4(17, &udp_dgram())])));
    let mut b = ipv4(17, &udp_dgram());
    b[6] = 0xff;
    b[7] = 3;
    f.push(whole("raw ppp at 6", b));
    f
}

pub fn null_frames() -> Vec<Frame> {
    let mut f = Vec::new();
    let v4 = ipv4(17, &udp_dgram());
    let v6 = ipv6(6, &tcp_seg());
    for (name, hdr, b) in [
        ("null LE 2", 2u32.to_le_bytes(), &v4),
        ("null BE 2", 2u32.to_be_bytes(), &v4),
        ("null LE 24", 24u32.to_le_bytes(), &v6),
        ("null LE 28", 28u32.to_le_bytes(), &v6),
        ("null LE 30", 30u32.to_le_bytes(), &v6),
        ("null BE 24", 24u32.to_be_bytes(), &v6),
        ("null BE 28", 28u32.to_be_bytes(), &v6),
        ("null BE 30", 30u32.to_be_bytes(), &v6),
        ("null LE 0x0800", 0x0800u32.to_le_bytes(), &v4),
        ("null BE 0x86dd", 0x86ddu32.to_be_bytes(), &v6),
        ("null unknown family 99", 99u32.to_le_bytes(), &v4),
        ("null ppp", [0xff, 3, 0, 0x21], &v4),
    ] {
        f.push(whole(name, cat(&[&hdr, b])));
    }
    f.extend(all_cuts("null LE 2", &cat(&[&2u32.to_le_bytes(), &ipv4(6, &tcp_seg())])));
    f.extend(all_cuts(
        "null BE 30",
        &cat(&[&30u32.to_be_bytes(), &ipv6(58, &icmp(128, 0, [0; 4], &[]))]),
    ));
    f
}

// ---- random frames ----------------------------------------------------

/// A small deterministic generator (SplitMix64) for the random grids: the
/// same seed gives the same frames on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn byte(&mut self) -> u8 {
        self.next_u64() as u8
    }

    /// `true` with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.byte()).collect()
    }
}
