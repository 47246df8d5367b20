//! Unit tests of the protocol views and the walker: exact field values,
//! every truncation length, and arbitrary bytes for every link type.

use proptest::prelude::*;
use zcpkt::proto::fields::{write_field, FieldName, FrameInfo, Timestamp, UnknownField, Value};
use zcpkt::proto::{
    link_type, ArpSlice, EthernetSlice, Icmpv4Slice, Icmpv6Slice, Ipv4Slice, Ipv6ExtSlice,
    Ipv6Slice, Layer, Layers, NullPayload, NullSlice, Partial, Proto, Sll2Slice, SllSlice,
    TcpSlice, UdpSlice, VlanSlice, VxlanSlice,
};

const ETH: [u8; 14] = [1, 2, 3, 4, 5, 6, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x08, 0x00];
const IPV4: [u8; 24] = [
    0x46, 0x00, 0x00, 0x2c, 0xbe, 0xef, 0x20, 0x03, 64, 17, 0x12, 0x34, 10, 0, 0, 1, 10, 0, 0, 2,
    0x94, 4, 0, 0,
];
const UDP: [u8; 8] = [0x9c, 0x40, 0x12, 0xb5, 0x00, 0x14, 0, 0];

fn ipv6_header(nxt: u8, plen: u16) -> Vec<u8> {
    let mut h = vec![0x6a, 0xb1, 0x23, 0x45];
    h.extend(plen.to_be_bytes());
    h.extend([nxt, 255]);
    h.extend([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0, 0x97, 0x01]);
    h.extend([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    h
}

fn tcp_header(data_offset: u8, extra: usize) -> Vec<u8> {
    let mut t = vec![0x01, 0xbb, 0xc3, 0x50, 0, 0, 0, 7, 0, 0, 0, 9, data_offset << 4, 0x12];
    t.extend([0x72, 0x10, 0, 0, 0, 0]);
    t.extend(std::iter::repeat(1).take(extra));
    t
}

/// Asserts `from` gives a view exactly for the prefixes of at least `whole`
/// bytes, and never panics on any prefix.
macro_rules! check_prefixes {
    ($bytes:expr, $whole:expr, $from:expr) => {{
        let bytes: &[u8] = &$bytes;
        for n in 0..=bytes.len() {
            let prefix = &bytes[..n];
            assert_eq!($from(prefix).is_some(), n >= $whole, "prefix of {n} bytes");
        }
    }};
}

#[test]
fn ethernet_fields_and_prefixes() {
    let mut frame = ETH.to_vec();
    frame.extend([9, 9]);
    let eth = EthernetSlice::from_slice(&frame).unwrap();
    assert_eq!(eth.destination(), [1, 2, 3, 4, 5, 6]);
    assert_eq!(eth.source(), [0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);
    assert_eq!(eth.ether_type(), 0x0800);
    assert_eq!(eth.payload(), &[9, 9]);
    check_prefixes!(frame, 14, EthernetSlice::from_slice);
}

#[test]
fn vlan_fields_and_prefixes() {
    let bytes = [0xb0, 0x2a, 0x86, 0xdd, 7];
    let tag = VlanSlice::from_slice(0x8100, &bytes).unwrap();
    assert_eq!(tag.tpid(), 0x8100);
    assert!(tag.is_8021q());
    assert_eq!(tag.priority(), 5);
    assert!(tag.drop_eligible());
    assert_eq!(tag.vlan_id(), 42);
    assert_eq!(tag.ether_type(), 0x86dd);
    assert_eq!(tag.payload(), &[7]);
    assert!(!VlanSlice::from_slice(0x88a8, &bytes).unwrap().is_8021q());
    check_prefixes!(bytes, 4, |b: &[u8]| VlanSlice::from_slice(0x8100, b).map(|_| ()));
}

#[test]
fn sll_and_sll2_fields() {
    let sll = [0, 4, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x06, 0xee];
    let v = SllSlice::from_slice(&sll).unwrap();
    assert_eq!((v.packet_type(), v.arphrd_type(), v.address_len()), (4, 1, 6));
    assert_eq!(v.address_field(), &[1, 2, 3, 4, 5, 6, 0, 0]);
    assert_eq!(v.protocol(), 0x0806);
    assert_eq!(v.payload(), &[0xee]);
    check_prefixes!(sll, 16, SllSlice::from_slice);

    let sll2 = [0x86, 0xdd, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6, 1, 2, 3, 4, 5, 6, 0, 0];
    let v = Sll2Slice::from_slice(&sll2).unwrap();
    assert_eq!(v.protocol(), 0x86dd);
    assert_eq!(v.interface_index(), 3);
    assert_eq!((v.arphrd_type(), v.packet_type(), v.address_len()), (1, 4, 6));
    assert!(v.payload().is_empty());
    check_prefixes!(sll2, 20, Sll2Slice::from_slice);
}

#[test]
fn null_families_in_both_byte_orders() {
    let kind = |h: [u8; 4]| NullSlice::from_slice(&h).unwrap().payload_kind();
    assert_eq!(kind(2u32.to_le_bytes()), NullPayload::Family(2));
    assert_eq!(kind(2u32.to_be_bytes()), NullPayload::Family(2));
    for af in [24u32, 28, 30] {
        assert_eq!(kind(af.to_le_bytes()), NullPayload::Family(af));
        assert_eq!(kind(af.to_be_bytes()), NullPayload::Family(af));
    }
    assert_eq!(kind(0x86ddu32.to_be_bytes()), NullPayload::EtherType(0x86dd));
    assert_eq!(kind([0xff, 3, 0, 0x21]), NullPayload::Ppp);
    check_prefixes!([2, 0, 0, 0], 4, NullSlice::from_slice);
}

#[test]
fn arp_needs_its_addresses() {
    let mut arp = vec![0, 1, 8, 0, 6, 4, 0, 2];
    arp.extend([0; 20]);
    let v = ArpSlice::from_slice(&arp).unwrap();
    assert_eq!((v.hardware_type(), v.protocol_type(), v.operation()), (1, 0x0800, 2));
    assert_eq!(v.addresses().len(), 20);
    check_prefixes!(arp, 28, ArpSlice::from_slice);
}

#[test]
fn ipv4_fields_options_and_prefixes() {
    let mut dgram = IPV4.to_vec();
    dgram.extend(UDP);
    dgram.extend([0; 12]);
    dgram.extend([0xee; 5]); // trailer past the total length
    let ip = Ipv4Slice::from_slice(&dgram).unwrap();
    assert_eq!(ip.header_len(), 24);
    assert_eq!(ip.total_len(), 44);
    assert_eq!(ip.identification(), 0xbeef);
    assert!(ip.more_fragments() && !ip.dont_fragment());
    assert_eq!(ip.fragment_offset(), 3);
    assert!(ip.is_later_fragment());
    assert_eq!((ip.ttl(), ip.protocol(), ip.checksum()), (64, 17, 0x1234));
    assert_eq!(ip.source(), [10, 0, 0, 1]);
    assert_eq!(ip.destination(), [10, 0, 0, 2]);
    assert_eq!(ip.options(), &[0x94, 4, 0, 0]);
    assert_eq!(ip.payload().len(), 20, "payload ends at the total length");
    assert_eq!(ip.route_destination(), None);
    check_prefixes!(dgram, 24, Ipv4Slice::from_slice);

    // Malformed: version, IHL, total length below the header.
    let mut bad = dgram.clone();
    bad[0] = 0x56;
    assert!(Ipv4Slice::from_slice(&bad).is_none());
    bad[0] = 0x44;
    assert!(Ipv4Slice::from_slice(&bad).is_none());
    bad[0] = 0x46;
    bad[2..4].copy_from_slice(&20u16.to_be_bytes());
    assert!(Ipv4Slice::from_slice(&bad).is_none());
    // Total length 0 (TSO): the captured bytes are the datagram.
    bad[2..4].copy_from_slice(&0u16.to_be_bytes());
    assert_eq!(Ipv4Slice::from_slice(&bad).unwrap().payload().len(), 25);
}

#[test]
fn ipv4_source_route_destination() {
    let mut h = IPV4.to_vec();
    h[0] = 0x48;
    h.truncate(20);
    h.extend([1, 0x83, 11, 4, 1, 1, 1, 1, 2, 2, 2, 2]);
    h[2..4].copy_from_slice(&32u16.to_be_bytes());
    let ip = Ipv4Slice::from_slice(&h).unwrap();
    assert_eq!(ip.route_destination(), Some([2, 2, 2, 2]));
    h[23] = 12; // pointer past the route: used up
    assert_eq!(Ipv4Slice::from_slice(&h).unwrap().route_destination(), None);
}

#[test]
fn ipv6_and_extension_headers() {
    let mut p = ipv6_header(44, 16);
    p.extend([17, 0, 0x00, 0x19, 0xde, 0xad, 0xbe, 0xef]); // fragment: offset 3, M
    p.extend(UDP);
    let ip = Ipv6Slice::from_slice(&p).unwrap();
    assert_eq!(ip.traffic_class(), 0xab);
    assert_eq!(ip.flow_label(), 0x12345);
    assert_eq!((ip.payload_len(), ip.next_header(), ip.hop_limit()), (16, 44, 255));
    assert_eq!(ip.source()[15], 0x01);
    assert_eq!(ip.destination()[15], 1);
    check_prefixes!(p, 40, Ipv6Slice::from_slice);

    let frag = Ipv6ExtSlice::from_slice(44, ip.payload()).unwrap();
    assert_eq!(frag.kind(), 44);
    assert_eq!(frag.next_header(), 17);
    assert_eq!(frag.fragment_offset(), Some(3));
    assert_eq!(frag.more_fragments(), Some(true));
    assert_eq!(frag.fragment_identification(), Some(0xdeadbeef));
    assert_eq!(frag.payload(), &UDP);
    check_prefixes!(ip.payload(), 8, |b: &[u8]| Ipv6ExtSlice::from_slice(44, b).map(|_| ()));

    let hop = [6, 1, 1, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xaa];
    let ext = Ipv6ExtSlice::from_slice(0, &hop).unwrap();
    assert_eq!((ext.next_header(), ext.header().len()), (6, 16));
    assert_eq!(ext.fragment_offset(), None);
    check_prefixes!(hop, 16, |b: &[u8]| Ipv6ExtSlice::from_slice(0, b).map(|_| ()));
    assert!(Ipv6ExtSlice::from_slice(6, &hop).is_none());
}

#[test]
fn ipv6_payload_length_0_is_a_jumbogram_or_empty() {
    let field = |frame: &[u8], name: &str| {
        let mut out = String::new();
        let layers = Layers::new(link_type::RAW, frame);
        write_field(&mut out, name.parse().unwrap(), &FrameInfo::default(), layers, ';').unwrap();
        out
    };
    // A TSO capture: payload length 0, no hop-by-hop header. Wireshark 4
    // decodes nothing after the fixed header.
    let mut p = ipv6_header(17, 0);
    p.extend(UDP);
    let ip = Ipv6Slice::from_slice(&p).unwrap();
    assert_eq!((ip.payload(), ip.jumbo_payload_len()), (&[][..], None));
    assert_eq!(field(&p, "ipv6.nxt"), "17");
    assert_eq!(field(&p, "udp.srcport"), "");

    // A jumbogram: hop-by-hop (Pad1, then the Jumbo Payload option, then
    // PadN) and a TCP segment of 69 992 data bytes, then a 6-byte trailer.
    let hop = [6, 1, 0, 0xc2, 4, 0, 1, 0x11, 0x8c, 1, 3, 0, 0, 0, 0, 0];
    let payload_len = (hop.len() + 20 + 69_992) as u32;
    assert_eq!(u32::from_be_bytes([0, 1, 0x11, 0x8c]), payload_len);
    let mut j = ipv6_header(0, 0);
    j.extend(hop);
    j.extend(tcp_header(5, 69_992));
    j.extend([0; 6]);
    let ip = Ipv6Slice::from_slice(&j).unwrap();
    assert_eq!(ip.jumbo_payload_len(), Some(payload_len));
    assert_eq!(ip.payload().len(), payload_len as usize);
    assert_eq!(field(&j, "tcp.srcport"), "443");
    assert_eq!(field(&j, "tcp.len"), "69992");

    // A Jumbo Payload option under 65536 is no jumbogram.
    j[46..50].copy_from_slice(&65_535u32.to_be_bytes());
    let ip = Ipv6Slice::from_slice(&j).unwrap();
    assert_eq!((ip.payload(), ip.jumbo_payload_len()), (&[][..], None));
    assert_eq!(field(&j, "tcp.srcport"), "");
    // Nor is one with a non-zero payload length (that length stands).
    j[4..6].copy_from_slice(&36u16.to_be_bytes());
    j[46..50].copy_from_slice(&payload_len.to_be_bytes());
    let ip = Ipv6Slice::from_slice(&j).unwrap();
    assert_eq!((ip.payload().len(), ip.jumbo_payload_len()), (36, None));
    assert_eq!(field(&j, "tcp.len"), "0");
}

#[test]
fn udp_length_0_over_ipv6_is_the_ip_payload_length() {
    let fields = |frame: &[u8], names: &[&str]| {
        let mut out = Vec::new();
        for name in names {
            let mut s = String::new();
            let layers = Layers::new(link_type::RAW, frame);
            write_field(&mut s, name.parse().unwrap(), &FrameInfo::default(), layers, ';').unwrap();
            out.push(s);
        }
        out
    };
    // UDP 40000 -> 4789 with length 0, carrying VXLAN, an Ethernet frame,
    // and IPv4 (not a fragment) with UDP 40000 -> 53 (length 20).
    let mut vx = vec![0x9c, 0x40, 0x12, 0xb5, 0, 0, 0, 0, 0x08, 0, 0, 0, 0, 0, 1, 0];
    vx.extend(ETH);
    let mut inner = IPV4;
    inner[6..8].copy_from_slice(&[0, 0]);
    vx.extend(inner);
    vx.extend([0x9c, 0x40, 0, 53, 0, 20, 0, 0]);
    vx.extend([0; 12]);
    let names = ["udp.length", "udp.dstport", "eth.type", "ip.src"];
    let mut v6 = ipv6_header(17, vx.len() as u16);
    v6.extend(&vx);
    assert_eq!(fields(&v6, &names), ["0;20", "4789;53", "0x0800", "10.0.0.1"]);
    // Over IPv4 a length of 0 is a bad length: nothing follows.
    let mut v4 = inner.to_vec();
    v4[2..4].copy_from_slice(&((IPV4.len() + vx.len()) as u16).to_be_bytes());
    v4.extend(&vx);
    assert_eq!(fields(&v4, &names), ["0", "4789", "", "10.0.0.1"]);
}

#[test]
fn sll_on_a_gre_tunnel_follows_the_gre_protocol_type() {
    let kinds = |link: u16, frame: &[u8]| -> Vec<&'static str> {
        Layers::new(link, frame)
            .map(|l| match l {
                Layer::Sll(_) | Layer::Sll2(_) => "sll",
                Layer::Ethernet(_) => "eth",
                Layer::Ipv4(_) => "ipv4",
                Layer::Ipv6(_) => "ipv6",
                Layer::Udp(_) => "udp",
                Layer::Arp(_) => "arp",
                _ => "other",
            })
            .collect()
    };
    let mut ip = IPV4.to_vec();
    ip[6..8].copy_from_slice(&[0, 0]);
    ip.extend([0x9c, 0x40, 0, 53, 0, 20, 0, 0]); // UDP 40000 -> 53
    ip.extend([0; 12]);
    let sll = |arphrd: u16, proto: u16, payload: &[u8]| {
        let mut h = vec![0, 0];
        h.extend(arphrd.to_be_bytes());
        h.extend([0; 10]);
        h.extend(proto.to_be_bytes());
        h.extend(payload);
        h
    };
    let sll2 = |arphrd: u16, proto: u16, payload: &[u8]| {
        let mut h = proto.to_be_bytes().to_vec();
        h.extend([0, 0, 0, 0, 0, 3]);
        h.extend(arphrd.to_be_bytes());
        h.extend([0; 10]);
        h.extend(payload);
        h
    };
    let mut bridged = ETH.to_vec();
    bridged.extend(&ip);
    for (link, frame) in [
        (link_type::LINUX_SLL, sll(778, 0x0800, &ip)),
        (link_type::LINUX_SLL2, sll2(778, 0x0800, &ip)),
    ] {
        assert_eq!(kinds(link, &frame), ["sll", "ipv4", "udp"]);
    }
    assert_eq!(
        kinds(link_type::LINUX_SLL, &sll(778, 0x6558, &bridged)),
        ["sll", "eth", "ipv4", "udp"]
    );
    // GRE does not carry a VLAN tag by its EtherType; netlink is no EtherType.
    assert_eq!(kinds(link_type::LINUX_SLL, &sll(778, 0x8100, &[0; 24])), ["sll"]);
    assert_eq!(kinds(link_type::LINUX_SLL2, &sll2(824, 0x0800, &ip)), ["sll"]);
    assert_eq!(kinds(link_type::LINUX_SLL, &sll(1, 0x6558, &bridged)), ["sll"]);
}

#[test]
fn an_atomic_fragment_header_does_not_undo_a_first_fragment() {
    let tcp_len = |frame: &[u8]| {
        let mut s = String::new();
        let layers = Layers::new(link_type::RAW, frame);
        write_field(&mut s, "tcp.len".parse().unwrap(), &FrameInfo::default(), layers, ';')
            .unwrap();
        s
    };
    let seg = tcp_header(5, 10);
    // Fragment header: next header, reserved, offset 0 and M, identification.
    let frag = |next: u8, more: bool| [next, 0, 0, u8::from(more), 0, 0, 0, 1];
    let mut whole = ipv6_header(44, 8 + seg.len() as u16);
    whole.extend(frag(6, false));
    whole.extend(&seg);
    assert_eq!(tcp_len(&whole), "10");
    // A first fragment (M set), then an atomic fragment header: the TCP
    // length is still unknown (Wireshark leaves `tcp.len` empty).
    let mut twice = ipv6_header(44, 16 + seg.len() as u16);
    twice.extend(frag(44, true));
    twice.extend(frag(6, false));
    twice.extend(&seg);
    assert_eq!(tcp_len(&twice), "");
}

#[test]
fn tcp_udp_icmp_vxlan_fields() {
    let t = tcp_header(6, 4);
    let tcp = TcpSlice::from_slice_with_len(&t, Some(1448 + 24)).unwrap();
    assert_eq!((tcp.source_port(), tcp.destination_port()), (443, 50000));
    assert_eq!((tcp.sequence_number(), tcp.acknowledgment_number()), (7, 9));
    assert_eq!((tcp.header_len(), tcp.flags(), tcp.window()), (24, 0x012, 0x7210));
    assert_eq!(tcp.options(), &[1, 1, 1, 1]);
    assert_eq!(tcp.payload_len(), Some(1448));
    assert_eq!(TcpSlice::from_slice_with_len(&t, None).unwrap().payload_len(), None);
    check_prefixes!(t, 24, TcpSlice::from_slice);
    assert!(TcpSlice::from_slice(&tcp_header(4, 0)).is_none());

    let udp = UdpSlice::from_slice(&UDP).unwrap();
    assert_eq!((udp.source_port(), udp.destination_port()), (40000, 4789));
    assert_eq!((udp.length(), udp.checksum()), (20, 0));
    check_prefixes!(UDP, 8, UdpSlice::from_slice);

    let icmp = [3, 1, 0xab, 0xcd, 0, 0, 5, 0xdc, 0x45];
    let v4 = Icmpv4Slice::from_slice(&icmp).unwrap();
    assert_eq!((v4.icmp_type(), v4.code(), v4.checksum()), (3, 1, 0xabcd));
    assert_eq!(v4.rest_of_header(), [0, 0, 5, 0xdc]);
    assert!(v4.is_error());
    assert_eq!(v4.payload(), &[0x45]);
    check_prefixes!(icmp, 8, Icmpv4Slice::from_slice);
    let v6 = Icmpv6Slice::from_slice(&icmp).unwrap();
    assert!(!v6.is_error() || v6.icmp_type() <= 4);
    assert!(!Icmpv6Slice::from_slice(&[128, 0, 0, 0, 0, 0, 0, 0]).unwrap().is_error());

    let vx = [0x08, 0, 0, 0, 0x12, 0x34, 0x56, 0, 1];
    let v = VxlanSlice::from_slice(&vx).unwrap();
    assert_eq!((v.flags(), v.vni(), v.payload()), (8, 0x123456, &[1][..]));
    check_prefixes!(vx, 8, VxlanSlice::from_slice);
}

fn eth_ipv4_udp_vxlan() -> Vec<u8> {
    let mut inner = ETH.to_vec();
    inner[12..14].copy_from_slice(&[0x81, 0x00]);
    inner.extend([0, 5, 0x86, 0xdd]);
    inner.extend(ipv6_header(58, 8));
    inner.extend([128, 0, 0, 0, 0, 1, 0, 1]);
    let mut f = ETH.to_vec();
    let mut ip = IPV4.to_vec();
    ip[6] = 0x40; // DF, not a fragment
    ip[7] = 0;
    let udp_len = (8 + 8 + inner.len()) as u16;
    ip[2..4].copy_from_slice(&(24 + udp_len).to_be_bytes());
    f.extend(ip);
    f.extend([0x9c, 0x40, 0x12, 0xb5]);
    f.extend(udp_len.to_be_bytes());
    f.extend([0, 0, 0x08, 0, 0, 0, 0, 0, 1, 0]);
    f.extend(inner);
    f
}

#[test]
fn walker_lists_every_layer_outer_first() {
    let frame = eth_ipv4_udp_vxlan();
    let kinds: Vec<&str> = Layers::new(link_type::ETHERNET, &frame)
        .map(|l| match l {
            Layer::Ethernet(_) => "eth",
            Layer::Vlan(_) => "vlan",
            Layer::Ipv4(_) => "ipv4",
            Layer::Ipv6(_) => "ipv6",
            Layer::Udp(_) => "udp",
            Layer::Vxlan(_) => "vxlan",
            Layer::Icmpv6(_) => "icmpv6",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["eth", "ipv4", "udp", "vxlan", "eth", "vlan", "ipv6", "icmpv6"]);

    let mut out = String::new();
    for (name, want) in [
        ("eth.type", "0x0800;0x8100"),
        ("vlan.id", "5"),
        ("ip.dst", "10.0.0.2"),
        ("ipv6.src", "fe80::ff:fe00:9701"),
        ("udp.length", "82"),
        ("icmpv6.type", "128"),
        ("tcp.len", ""),
    ] {
        out.clear();
        let layers = Layers::new(link_type::ETHERNET, &frame);
        write_field(&mut out, name.parse().unwrap(), &FrameInfo::default(), layers, ';').unwrap();
        assert_eq!(out, want, "{name}");
    }
}

#[test]
fn walker_ends_with_the_cut_header_as_partial() {
    let frame = eth_ipv4_udp_vxlan();
    for n in 0..=frame.len() {
        let layers: Vec<Layer> =
            Layers::with_orig_len(link_type::ETHERNET, &frame[..n], frame.len()).collect();
        // Only the last layer may be partial, and whole layers come first.
        for l in &layers[..layers.len().saturating_sub(1)] {
            assert!(!matches!(l, Layer::Partial(_)), "cut at {n}");
        }
        if n > 0 && n < 14 {
            assert!(matches!(layers[..], [Layer::Partial(Partial { proto: Proto::Ethernet, .. })]));
        }
    }
}

#[test]
fn field_names_parse_and_print() {
    for &f in FieldName::ALL {
        assert_eq!(f.as_str().parse::<FieldName>(), Ok(f));
        assert_eq!(f.to_string(), f.as_str());
    }
    assert_eq!(FieldName::ALL.len(), 26);
    assert_eq!("ip.ttl".parse::<FieldName>(), Err(UnknownField));
}

#[test]
fn frame_fields_come_from_the_container() {
    let info = FrameInfo {
        number: 3,
        time: Some(Timestamp { secs: 1_700_000_000, nanos: 60_000 }),
        len: 1514,
        cap_len: 96,
        interface_id: None,
        section_number: Some(2),
    };
    let mut got = Vec::new();
    for name in [
        "frame.number",
        "frame.time_epoch",
        "frame.len",
        "frame.cap_len",
        "frame.interface_id",
        "frame.section_number",
    ] {
        let mut s = String::new();
        write_field(&mut s, name.parse().unwrap(), &info, Layers::new(999, &[]), ';').unwrap();
        got.push(s);
    }
    assert_eq!(got, ["3", "1700000000.000060000", "1514", "96", "", "2"]);
    let neg = Value::Epoch(Timestamp { secs: -1, nanos: 250_000_000 });
    // As tshark 4.0 prints -0.75 s: the seconds rounded down, then the
    // fraction above them (`zcpkt-cli/tests/fields.rs` checks it against tshark).
    assert_eq!(neg.to_string(), "-1.250000000");
}

#[test]
fn ipv6_text_is_rfc_5952() {
    let text = |a: [u8; 16]| Value::Ipv6(a).to_string();
    assert_eq!(text([0; 16]), "::");
    let mut a = [0; 16];
    a[15] = 1;
    assert_eq!(text(a), "::1");
    let tie = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1];
    assert_eq!(text(tie), "2001:db8::1:0:0:1");
    let one_zero = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1];
    assert_eq!(text(one_zero), "2001:db8:0:1:1:1:1:1");
    let mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1];
    assert_eq!(text(mapped), "::ffff:10.0.0.1");
}

/// Every link type the walker knows, and one it does not.
const LINK_TYPES: [u16; 6] = [0, 1, 101, 113, 276, 147];

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(lt in prop::sample::select(&LINK_TYPES[..]), data in prop::collection::vec(any::<u8>(), 0..200), extra in 0usize..2000) {
        let mut out = String::new();
        for &field in FieldName::ALL {
            out.clear();
            let layers = Layers::with_orig_len(lt, &data, data.len() + extra);
            write_field(&mut out, field, &FrameInfo::default(), layers, ';').unwrap();
        }
        // The walk terminates: every layer consumes bytes.
        prop_assert!(Layers::new(lt, &data).count() <= data.len());
    }

    /// Frames that start well-formed and then turn arbitrary reach deeper layers.
    #[test]
    fn structured_prefixes_never_panic(tail in prop::collection::vec(any::<u8>(), 0..120), cut in 0usize..200) {
        let mut frame = eth_ipv4_udp_vxlan();
        frame.truncate(cut.min(frame.len()));
        frame.extend(tail);
        let mut out = String::new();
        for &field in FieldName::ALL {
            let layers = Layers::new(link_type::ETHERNET, &frame);
            write_field(&mut out, field, &FrameInfo::default(), layers, ';').unwrap();
        }
    }
}
