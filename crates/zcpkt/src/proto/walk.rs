//! The layer walker: a frame's headers, outer to inner, without allocation.

use super::link::NullPayload;
use super::{
    ether_type, ip_proto, link_type, udp_ports, ArpSlice, EthernetSlice, GeneveSlice, GreSlice,
    Icmpv4Slice, Icmpv6Slice, Ipv4Slice, Ipv6ExtSlice, Ipv6Slice, LlcSlice, MplsSlice, NullSlice,
    Sll2Slice, SllSlice, TcpSlice, UdpSlice, VlanSlice, VxlanSlice, GENEVE_PORT, MSRCP_PORT,
    VXLAN_PORT,
};
use crate::capture::Frame;

/// A protocol header the walker knows, named without its bytes (what a
/// [`Partial`] layer would have been).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proto {
    /// Ethernet II.
    Ethernet,
    /// A VLAN tag, with the TPID that introduced it.
    Vlan(u16),
    /// Linux cooked capture v1.
    Sll,
    /// Linux cooked capture v2.
    Sll2,
    /// BSD null/loopback.
    Null,
    /// ARP.
    Arp,
    /// IPv4.
    Ipv4,
    /// IPv6 fixed header.
    Ipv6,
    /// An IPv6 extension header of the given type.
    Ipv6Ext(u8),
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
    /// UDP-Lite (decoded as a [`Layer::Udp`]).
    UdpLite,
    /// ICMP.
    Icmpv4,
    /// ICMPv6.
    Icmpv6,
    /// VXLAN.
    Vxlan,
    /// GRE.
    Gre,
    /// An MPLS label stack.
    Mpls,
    /// 802.2 LLC (and SNAP), with the 802.3 length field before it.
    Llc(u16),
    /// Geneve.
    Geneve,
}

/// A header the frame's bytes end inside of, or that is malformed so that
/// nothing after it can be found. It ends the walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partial<'a> {
    /// What the header would have been.
    pub proto: Proto,
    /// The bytes from the header's start to the end of the captured data.
    pub bytes: &'a [u8],
    /// The header's length plus payload as the frame's original length and
    /// the enclosing headers' length fields give it (>= `bytes.len()`), or
    /// `None` where Wireshark does not trust it: inside an IP fragment or
    /// an ICMP error's quoted packet.
    pub reported_len: Option<usize>,
}

/// One header of a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer<'a> {
    /// Ethernet II (link type 1, and inside VXLAN).
    Ethernet(EthernetSlice<'a>),
    /// An 802.1Q / 802.1ad tag.
    Vlan(VlanSlice<'a>),
    /// Linux cooked capture v1 (link type 113).
    Sll(SllSlice<'a>),
    /// Linux cooked capture v2 (link type 276).
    Sll2(Sll2Slice<'a>),
    /// BSD null/loopback (link type 0).
    Null(NullSlice<'a>),
    /// ARP.
    Arp(ArpSlice<'a>),
    /// IPv4 (also the header an ICMP error quotes, and IP in IP).
    Ipv4(Ipv4Slice<'a>),
    /// IPv6 fixed header.
    Ipv6(Ipv6Slice<'a>),
    /// IPv6 extension header.
    Ipv6Ext(Ipv6ExtSlice<'a>),
    /// TCP.
    Tcp(TcpSlice<'a>),
    /// UDP.
    Udp(UdpSlice<'a>),
    /// ICMP.
    Icmpv4(Icmpv4Slice<'a>),
    /// ICMPv6.
    Icmpv6(Icmpv6Slice<'a>),
    /// VXLAN; the inner Ethernet frame follows as the next layers.
    Vxlan(VxlanSlice<'a>),
    /// GRE (IP protocol 47); what it carries follows, when the walker
    /// decodes its protocol type.
    Gre(GreSlice<'a>),
    /// An MPLS label stack; the IPv4 or IPv6 packet it carries follows.
    Mpls(MplsSlice<'a>),
    /// The 802.2 LLC header (with SNAP) of an 802.3 frame; an IPv4, IPv6,
    /// ARP, ... packet or bridged Ethernet frame may follow.
    Llc(LlcSlice<'a>),
    /// Geneve (UDP port 6081); the packet it carries follows.
    Geneve(GeneveSlice<'a>),
    /// A header cut short (or malformed); the last layer.
    Partial(Partial<'a>),
}

/// Bytes still to decode, and how long they were on the wire.
#[derive(Clone, Copy, Debug)]
struct Input<'a> {
    bytes: &'a [u8],
    reported: usize,
}

impl<'a> Input<'a> {
    /// The input after a header of `header_len` bytes whose payload is
    /// `payload` (a sub-slice the view chose, possibly shortened by a length
    /// field that also caps the reported length at `claimed`).
    fn after(self, header_len: usize, payload: &'a [u8], claimed: Option<usize>) -> Self {
        let reported = match claimed {
            Some(c) => self.reported.min(c),
            None => self.reported,
        };
        Input { bytes: payload, reported: reported.saturating_sub(header_len) }
    }
}

#[derive(Clone, Copy, Debug)]
enum Next<'a> {
    Done,
    Header(Proto, Input<'a>),
    /// Link type 101: IPv4 or IPv6 by the version nibble.
    Raw(Input<'a>),
}

/// Iterator over a frame's layers, outer to inner (see [`Layer`]).
///
/// ```
/// use zcpkt::proto::{link_type, Layer, Layers};
///
/// // A raw IPv4 datagram carrying UDP 1234 -> 53.
/// let frame = [
///     0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
///     0x04, 0xd2, 0, 53, 0, 8, 0, 0,
/// ];
/// let layers: Vec<Layer> = Layers::new(link_type::RAW, &frame).collect();
/// assert!(matches!(layers[0], Layer::Ipv4(ip) if ip.source() == [10, 0, 0, 1]));
/// assert!(matches!(layers[1], Layer::Udp(udp) if udp.destination_port() == 53));
/// assert_eq!(layers.len(), 2);
/// ```
#[derive(Clone, Debug)]
pub struct Layers<'a> {
    next: Next<'a>,
    /// Set once an ICMP error's quoted packet is being walked: lengths
    /// there are the quoted packet's, not what was captured. (An error
    /// quoted inside an error is followed too, to any depth, as tshark 4.0
    /// does.)
    in_error: bool,
    /// Set by the innermost IP header when its payload is a first fragment
    /// (Wireshark's `pinfo->fragmented`): the L4 length is then unknown.
    fragmented: bool,
    /// Whether the innermost IP header so far is IPv6 (Wireshark's
    /// `pinfo->src` type): a UDP length field of 0 there stands for the
    /// length of what the IP header carries (RFC 2675, UDP jumbograms).
    ipv6: bool,
    /// Whether an IPv6 header came before (Wireshark's per-packet IPv6
    /// state): only then is a fragment header a fragment; after IPv4's
    /// protocol 44 alone it is decoded and what follows it too, whatever
    /// its offset and flag.
    seen_ipv6: bool,
    /// FCS bytes at the end of the outer Ethernet frame, still to take off
    /// its payload (0 once done, so VXLAN's inner frame keeps its bytes).
    fcs: u8,
}

impl<'a> Layers<'a> {
    /// The layers of a frame of `link_type` whose captured bytes are `data`
    /// (taken as its whole original length too). Unknown link types give no
    /// layers.
    pub fn new(link_type: u16, data: &'a [u8]) -> Self {
        Self::with_orig_len(link_type, data, data.len())
    }

    /// The layers of a frame whose original (wire) length is `orig_len`,
    /// which lengths derived like `tcp.len` need when the snap length cut the
    /// frame.
    pub fn with_orig_len(link_type: u16, data: &'a [u8], orig_len: usize) -> Self {
        let input = Input { bytes: data, reported: orig_len.max(data.len()) };
        let next = match link_type {
            link_type::ETHERNET => Next::Header(Proto::Ethernet, input),
            link_type::LINUX_SLL => Next::Header(Proto::Sll, input),
            link_type::LINUX_SLL2 => Next::Header(Proto::Sll2, input),
            link_type::NULL => Next::Header(Proto::Null, input),
            link_type::RAW => Next::Raw(input),
            _ => Next::Done,
        };
        Self { next, in_error: false, fragmented: false, ipv6: false, seen_ipv6: false, fcs: 0 }
    }

    /// The layers of a captured frame: its link type, bytes, original length
    /// and FCS length ([`Frame::fcs_len`]).
    pub fn of_frame(frame: &Frame<'a>) -> Self {
        let orig_len = usize::try_from(frame.original_len).unwrap_or(usize::MAX);
        Self::with_orig_len(frame.link_type.0, frame.data, orig_len)
            .with_fcs_len(frame.fcs_len.unwrap_or(0))
    }

    /// Takes `fcs_len` bytes of Frame Check Sequence off the end of an
    /// Ethernet frame before its payload is decoded, as Wireshark's
    /// EtherType dissector does when the capture gives an FCS length (a
    /// pcap header's FCS bits, `if_fcslen`, `epb_flags`): the payload's
    /// length on the wire loses `fcs_len` bytes (if it has that many), and
    /// the captured payload is cut to that length. Without it the FCS is
    /// read as payload, as Wireshark reads a frame whose capture does not
    /// say (its "assume packets have FCS" preference is off by default).
    /// Only the link type Ethernet has one; other link types ignore it.
    pub fn with_fcs_len(mut self, fcs_len: u8) -> Self {
        self.fcs = fcs_len;
        self
    }
}

/// What an EtherType (or SLL protocol) introduces, among what is decoded.
fn by_ether_type(t: u16) -> Option<Proto> {
    match t {
        ether_type::IPV4 => Some(Proto::Ipv4),
        ether_type::IPV6 => Some(Proto::Ipv6),
        ether_type::ARP => Some(Proto::Arp),
        ether_type::VLAN | ether_type::QINQ | ether_type::QINQ_OLD => Some(Proto::Vlan(t)),
        // One test for both MPLS types, after the common ones: as two
        // more arms of the match it cost 1% more instructions for the
        // whole walk of small.pcapng.
        t if t.wrapping_sub(ether_type::MPLS) <= 1 => Some(Proto::Mpls),
        _ => None,
    }
}

/// What an Ethernet header's or VLAN tag's type/length field `t`
/// introduces: what the EtherType does, or for an 802.3 length (1 to
/// 1500; Wireshark takes 0 as a type) an LLC header.
// Not `by_ether_type`'s arm: a SNAP protocol ID or a Linux cooked
// capture's protocol of 1 to 1500 is no 802.3 length.
fn by_type_or_length(t: u16) -> Option<Proto> {
    // The EtherTypes first: the length test only for what they are not.
    by_ether_type(t).or_else(|| (1..=1500).contains(&t).then_some(Proto::Llc(t)))
}

/// What an IP protocol / Next Header introduces, among what is decoded.
fn by_ip_proto(p: u8) -> Option<Proto> {
    match p {
        ip_proto::TCP => Some(Proto::Tcp),
        ip_proto::UDP => Some(Proto::Udp),
        ip_proto::UDP_LITE => Some(Proto::UdpLite),
        ip_proto::ICMP => Some(Proto::Icmpv4),
        ip_proto::ICMPV6 => Some(Proto::Icmpv6),
        ip_proto::IPIP => Some(Proto::Ipv4),
        ip_proto::IPV6 => Some(Proto::Ipv6),
        ip_proto::ETHERNET => Some(Proto::Ethernet),
        ip_proto::GRE => Some(Proto::Gre),
        ip_proto::MPLS => Some(Proto::Mpls),
        p if Ipv6ExtSlice::is_extension(p) => Some(Proto::Ipv6Ext(p)),
        _ => None,
    }
}

/// What follows an IP header or IPv6 extension header whose protocol /
/// Next Header is `p`, its payload being `rest`.
// Always inlined: out of line (three callers) its result went through
// memory, 2% more instructions for the whole walk (cachegrind).
#[inline(always)]
fn after_ip(p: u8, rest: Input<'_>) -> Next<'_> {
    match by_ip_proto(p) {
        Some(proto) => Next::Header(proto, rest),
        // EtherIP's header has no layer here (none of its fields is
        // printed); Wireshark reads it whatever its version says, and an
        // EtherIP packet cut inside it ends the decoding.
        None if p == ip_proto::ETHERIP && rest.bytes.len() >= 2 => {
            Next::Header(Proto::Ethernet, skip(rest, 2))
        }
        None => Next::Done,
    }
}

/// GRE protocol types (`gre.proto`) that Wireshark 4.0 decodes into
/// something the walker follows, besides the EtherTypes of IPv4, IPv6 and
/// ARP.
mod gre_type {
    /// Transparent Ethernet bridging: an Ethernet frame.
    pub const ETHERNET: u16 = 0x6558;
    /// Also an Ethernet frame to Wireshark's GRE table.
    pub const ETHERNET_6400: u16 = 0x6400;
    /// PPP (PPTP's enhanced GRE, version 1).
    pub const PPP: u16 = 0x880b;
    /// WCCP: an IP packet, after a redirect header in WCCP v2.
    pub const WCCP: u16 = 0x883e;
    /// ERSPAN type I (no header) or, with the sequence number bit, II or III.
    pub const ERSPAN: u16 = 0x88be;
    /// ERSPAN type III.
    pub const ERSPAN_III: u16 = 0x22eb;
}

/// A GRE header and what follows it, if the header is whole.
// Out of line and cold: GRE is rare next to TCP and UDP, and `decode` is
// inlined into the walk's loop.
#[cold]
#[inline(never)]
fn decode_gre(input: Input<'_>) -> Option<(Layer<'_>, Next<'_>)> {
    let gre = GreSlice::from_slice(input.bytes)?;
    let rest = input.after(gre.header_len(), gre.payload(), None);
    let erspan_type_i = !gre.has_sequence_number();
    Some((Layer::Gre(gre), by_gre_type(gre.protocol_type(), rest, erspan_type_i)))
}

/// An MPLS label stack and what follows it, if the stack is whole: what
/// tshark 4.0 guesses from the payload's first nibble, IPv4 (4) or IPv6
/// (6), unless the bottom label is a GAL (13) or OAM alert (14). A first
/// nibble of 0 is an Ethernet pseudowire to Wireshark, with or without a
/// control word by whether both MAC addresses' OUIs are in its
/// manufacturer database, which is not modelled: nothing follows.
// Out of line and cold, like `decode_gre`.
#[cold]
#[inline(never)]
fn decode_mpls(input: Input<'_>) -> Option<(Layer<'_>, Next<'_>)> {
    const GAL: u32 = 13;
    const OAM_ALERT: u32 = 14;
    let mpls = MplsSlice::from_slice(input.bytes)?;
    let rest = input.after(mpls.stack().len(), mpls.payload(), None);
    let next = match (mpls.bottom_label(), mpls.payload().first().map(|b| b >> 4)) {
        (GAL | OAM_ALERT, _) => Next::Done,
        (_, Some(4)) => Next::Header(Proto::Ipv4, rest),
        (_, Some(6)) => Next::Header(Proto::Ipv6, rest),
        _ => Next::Done,
    };
    Some((Layer::Mpls(mpls), next))
}

/// An 802.2 LLC header and what follows it, if the header (and SNAP's)
/// is whole within the 802.3 length `len` (which cuts the payload, unless
/// it runs past the end), as Wireshark 4.0 decodes it: with SNAP and OUI 0 or 0x0000f8
/// (Cisco), the protocol ID is an EtherType whose packet is decoded in an
/// information frame (I format or UI); with OUI 0x0080c2 (802.1 bridged),
/// protocol ID 1 or 7 is an Ethernet frame after 2 bytes of padding,
/// with (1) or without (7) an FCS at its end.
// Out of line and cold, like `decode_gre`.
#[cold]
#[inline(never)]
fn decode_llc(len: u16, input: Input<'_>) -> Option<(Layer<'_>, Next<'_>)> {
    const OUI_ENCAP_ETHER: [u8; 3] = [0, 0, 0];
    const OUI_CISCO_90: [u8; 3] = [0, 0, 0xf8];
    const OUI_BRIDGED: [u8; 3] = [0, 0x80, 0xc2];
    let len = usize::from(len);
    let bytes = input.bytes.get(..len).unwrap_or(input.bytes);
    let input = Input { bytes, reported: input.reported.min(len) };
    let llc = LlcSlice::from_slice(input.bytes)?;
    let rest = input.after(llc.header_len(), llc.payload(), None);
    let next = match llc.snap() {
        Some((OUI_ENCAP_ETHER | OUI_CISCO_90, t)) if llc.is_information() => {
            then(by_ether_type(t), rest)
        }
        Some((OUI_BRIDGED, 1)) => {
            // The FCS off the frame's end, as the Ethernet arm takes a
            // capture's FCS off its payload (not through `self.fcs`: the
            // walk of a capture without FCS then needs no FCS code).
            let mut frame = skip(rest, 2);
            if frame.reported >= EthernetSlice::LEN + 4 {
                frame.reported -= 4;
                frame.bytes = frame.bytes.get(..frame.reported).unwrap_or(frame.bytes);
            }
            Next::Header(Proto::Ethernet, frame)
        }
        Some((OUI_BRIDGED, 7)) => Next::Header(Proto::Ethernet, skip(rest, 2)),
        _ => Next::Done,
    };
    Some((Layer::Llc(llc), next))
}

/// A Geneve header and what follows it, if the header and its options are
/// whole: what its protocol type names as an EtherType, 0x6558 being an
/// Ethernet frame.
// Out of line and cold, like `decode_gre`.
#[cold]
#[inline(never)]
fn decode_geneve(input: Input<'_>) -> Option<(Layer<'_>, Next<'_>)> {
    let geneve = GeneveSlice::from_slice(input.bytes)?;
    let rest = input.after(geneve.header_len(), geneve.payload(), None);
    let next = match geneve.protocol_type() {
        gre_type::ETHERNET => Next::Header(Proto::Ethernet, rest),
        t => then(by_ether_type(t), rest),
    };
    Some((Layer::Geneve(geneve), next))
}

/// What a GRE protocol type introduces (`gre.proto`, also a Linux cooked
/// capture's protocol on a GRE tunnel, which has no GRE header: there
/// `erspan_type_i` is set, as Wireshark then has no sequence number bit to
/// tell ERSPAN type I from II).
// Out of line and cold, for Linux cooked captures too.
#[cold]
#[inline(never)]
fn by_gre_type(ty: u16, rest: Input<'_>, erspan_type_i: bool) -> Next<'_> {
    match ty {
        // WCCP's payload goes to the IP dissector, which takes version 6
        // to IPv6 too.
        ether_type::IPV4 | gre_type::WCCP => Next::Header(Proto::Ipv4, rest),
        ether_type::IPV6 => Next::Header(Proto::Ipv6, rest),
        ether_type::ARP => Next::Header(Proto::Arp, rest),
        gre_type::ETHERNET | gre_type::ETHERNET_6400 => Next::Header(Proto::Ethernet, rest),
        ether_type::MPLS | ether_type::MPLS_MULTICAST => Next::Header(Proto::Mpls, rest),
        gre_type::ERSPAN if erspan_type_i => Next::Header(Proto::Ethernet, rest),
        gre_type::ERSPAN | gre_type::ERSPAN_III => erspan(rest),
        gre_type::PPP => {
            // The address and control bytes are skipped when the first
            // is 0xff, whatever the second.
            let rest = if rest.bytes.first() == Some(&0xff) { skip(rest, 2) } else { rest };
            match ppp_protocol(rest) {
                Some((p, inner)) => Next::Header(p, inner),
                None => Next::Done,
            }
        }
        _ => Next::Done,
    }
}

/// ERSPAN type II (version 1: an 8-byte header) or III (version 2: 12
/// bytes, 8 more with the O bit), then an Ethernet frame; a type III
/// header whose frame type is not 0 (Ethernet), or another version, ends
/// the decoding, as in Wireshark 4.0.
fn erspan(input: Input<'_>) -> Next<'_> {
    let b = input.bytes;
    let len = match b.first().map(|v| v >> 4) {
        Some(1) => 8,
        Some(2) => match super::be16(b, 10) {
            Some(w) if w & 0x7c00 != 0 => return Next::Done,
            Some(w) if w & 1 != 0 => 20,
            Some(_) => 12,
            None => return Next::Done,
        },
        _ => return Next::Done,
    };
    Next::Header(Proto::Ethernet, skip(input, len))
}

/// What a UDP payload `rest` carries among what is decoded, by its ports
/// as Wireshark tries them: the lower port first, then the higher, if the
/// length field covers the UDP header (`length_ok`). A lower port whose
/// own protocol claims the datagram ([`udp_ports::claims`]) ends the
/// decoding (a table of its own for Geneve's payloads). MSRCP is an
/// Ethernet frame unless its type byte (the seventh)
/// says request or response, and needs 16 bytes captured (it reads a
/// sequence number at 12).
#[inline]
fn udp_payload(source: u16, destination: u16, length_ok: bool, rest: Input<'_>) -> Next<'_> {
    let tunnel = |port| port == VXLAN_PORT || port == MSRCP_PORT || port == GENEVE_PORT;
    // Most datagrams are none of them: one range test per port (the three
    // lie between MSRCP's and Geneve's) sends them away.
    let near = |port: u16| port.wrapping_sub(MSRCP_PORT) <= GENEVE_PORT - MSRCP_PORT;
    if !length_ok || !(near(source) || near(destination)) {
        return Next::Done;
    }
    let (low, high) = (source.min(destination), source.max(destination));
    let port = match low {
        _ if tunnel(low) => low,
        _ if !tunnel(high) => return Next::Done,
        _ if high == GENEVE_PORT && udp_ports::claims_geneve(low, low == destination) => {
            return Next::Done
        }
        _ if high != GENEVE_PORT && udp_ports::claims(low, low == destination) => {
            return Next::Done
        }
        _ => high,
    };
    match (port, rest.bytes.get(6), rest.bytes.len() >= 16) {
        (VXLAN_PORT, ..) => Next::Header(Proto::Vxlan, rest),
        (GENEVE_PORT, ..) => Next::Header(Proto::Geneve, rest),
        (_, Some(2..), true) => Next::Header(Proto::Ethernet, rest),
        _ => Next::Done,
    }
}

/// What a Linux cooked capture's protocol field introduces (its payload
/// being `rest`), by the interface's ARPHRD type: an EtherType, except on
/// a GRE tunnel (778, ARPHRD_IPGRE: a GRE protocol type, decoded as after
/// a GRE header; not VLAN tags) and netlink (824, ARPHRD_NETLINK: a
/// netlink family, not decoded).
fn by_sll_protocol(arphrd: u16, protocol: u16, rest: Input<'_>) -> Next<'_> {
    const ARPHRD_IPGRE: u16 = 778;
    const ARPHRD_NETLINK: u16 = 824;
    match arphrd {
        ARPHRD_IPGRE => by_gre_type(protocol, rest, true),
        ARPHRD_NETLINK => Next::Done,
        _ => then(by_ether_type(protocol), rest),
    }
}

fn then(proto: Option<Proto>, input: Input<'_>) -> Next<'_> {
    match proto {
        Some(p) => Next::Header(p, input),
        None => Next::Done,
    }
}

impl<'a> Layers<'a> {
    /// Decodes the header `proto` at `input`, returning its layer and what
    /// follows it.
    #[inline]
    fn decode(&mut self, proto: Proto, input: Input<'a>) -> (Layer<'a>, Next<'a>) {
        let length_known = !self.in_error && !self.fragmented;
        let partial = || {
            (
                Layer::Partial(Partial {
                    proto,
                    bytes: input.bytes,
                    // UDP-Lite's length is the IP header's, trusted or not.
                    reported_len: (length_known || proto == Proto::UdpLite)
                        .then_some(input.reported),
                }),
                Next::Done,
            )
        };
        match proto {
            Proto::Ethernet => match EthernetSlice::from_slice(input.bytes) {
                Some(eth) => {
                    let mut rest = input.after(EthernetSlice::LEN, eth.payload(), None);
                    let fcs = usize::from(core::mem::take(&mut self.fcs));
                    if fcs > 0 && rest.reported >= fcs {
                        rest.reported -= fcs;
                        rest.bytes = rest.bytes.get(..rest.reported).unwrap_or(rest.bytes);
                    }
                    (Layer::Ethernet(eth), then(by_type_or_length(eth.ether_type()), rest))
                }
                None => partial(),
            },
            Proto::Vlan(tpid) => match VlanSlice::from_slice(tpid, input.bytes) {
                Some(tag) => {
                    let rest = input.after(VlanSlice::LEN, tag.payload(), None);
                    (Layer::Vlan(tag), then(by_type_or_length(tag.ether_type()), rest))
                }
                None => partial(),
            },
            Proto::Sll => match SllSlice::from_slice(input.bytes) {
                Some(sll) => {
                    let rest = input.after(SllSlice::LEN, sll.payload(), None);
                    let next = by_sll_protocol(sll.arphrd_type(), sll.protocol(), rest);
                    (Layer::Sll(sll), next)
                }
                None => partial(),
            },
            Proto::Sll2 => match Sll2Slice::from_slice(input.bytes) {
                Some(sll) => {
                    let rest = input.after(Sll2Slice::LEN, sll.payload(), None);
                    let next = by_sll_protocol(sll.arphrd_type(), sll.protocol(), rest);
                    (Layer::Sll2(sll), next)
                }
                None => partial(),
            },
            Proto::Null => match NullSlice::from_slice(input.bytes) {
                Some(null) => {
                    let rest = input.after(NullSlice::LEN, null.payload(), None);
                    let next = match null.payload_kind() {
                        NullPayload::Family(2) => then(Some(Proto::Ipv4), rest),
                        NullPayload::Family(24 | 28 | 30) => then(Some(Proto::Ipv6), rest),
                        NullPayload::EtherType(t) => then(by_ether_type(t), rest),
                        // The PPP header starts where the family would.
                        NullPayload::Ppp => match ppp_hdlc(input) {
                            Some((p, inner)) => Next::Header(p, inner),
                            None => Next::Done,
                        },
                        NullPayload::Family(_) => Next::Done,
                    };
                    (Layer::Null(null), next)
                }
                None => partial(),
            },
            Proto::Arp => match ArpSlice::from_slice(input.bytes) {
                Some(arp) => (Layer::Arp(arp), Next::Done),
                None => partial(),
            },
            // Wireshark hands an "IPv4" header of version 6 to IPv6 (Linux
            // cooked captures have been seen with such frames).
            Proto::Ipv4 if input.bytes.first().map(|b| b >> 4) == Some(6) => {
                self.decode(Proto::Ipv6, input)
            }
            Proto::Ipv4 => match Ipv4Slice::from_slice(input.bytes) {
                Some(ip) => {
                    let ip = if self.in_error { ip.quoted_by_error() } else { ip };
                    self.ipv6 = false;
                    let total = usize::from(ip.total_len());
                    let claimed = (total != 0).then_some(total);
                    let rest = input.after(ip.header_len(), ip.payload(), claimed);
                    // Without reassembly only the first fragment starts with
                    // the L4 header.
                    // An option Wireshark cannot read ends its dissection
                    // of the datagram (`Ipv4Slice::has_short_option`),
                    // except in the packet an ICMP error quotes.
                    let short = ip.has_short_option() && !self.in_error;
                    let next = if ip.is_later_fragment() || short {
                        Next::Done
                    } else {
                        self.fragmented = ip.more_fragments();
                        after_ip(ip.protocol(), rest)
                    };
                    (Layer::Ipv4(ip), next)
                }
                None => partial(),
            },
            Proto::Ipv6 => match Ipv6Slice::from_slice(input.bytes) {
                Some(ip) => {
                    self.ipv6 = true;
                    self.seen_ipv6 = true;
                    // Payload length 0: a jumbogram's length, else an
                    // empty datagram (see `Ipv6Slice::from_slice`).
                    let plen = match (ip.payload_len(), ip.jumbo_payload_len()) {
                        (0, jumbo) => jumbo.map_or(0, |len| len as usize),
                        (plen, _) => usize::from(plen),
                    };
                    let claimed = Some(plen.saturating_add(Ipv6Slice::LEN));
                    let rest = input.after(Ipv6Slice::LEN, ip.payload(), claimed);
                    (Layer::Ipv6(ip), after_ip(ip.next_header(), rest))
                }
                None => partial(),
            },
            Proto::Ipv6Ext(kind) => match Ipv6ExtSlice::from_slice(kind, input.bytes) {
                Some(ext) => {
                    let rest = input.after(ext.header().len(), ext.payload(), None);
                    let next = match (ext.fragment_offset(), ext.more_fragments()) {
                        _ if ext.routing_type_throws(self.ipv6) && !self.in_error => Next::Done,
                        _ if ext.options_overrun(input.bytes) => Next::Done,
                        (Some(offset), _) if offset != 0 && self.seen_ipv6 => Next::Done,
                        (Some(_), more) if self.seen_ipv6 => {
                            // Like Wireshark's IPv6 dissector, a fragment
                            // header only ever sets it (IPv4 sets and clears).
                            self.fragmented |= more == Some(true);
                            after_ip(ext.next_header(), rest)
                        }
                        _ => after_ip(ext.next_header(), rest),
                    };
                    (Layer::Ipv6Ext(ext), next)
                }
                None => partial(),
            },
            Proto::Tcp => match TcpSlice::from_slice_with_len(
                input.bytes,
                length_known.then_some(input.reported),
            ) {
                Some(tcp) => (Layer::Tcp(tcp), Next::Done),
                None => partial(),
            },
            Proto::Udp => match UdpSlice::from_slice(input.bytes) {
                Some(udp) => {
                    let len = match udp.length() {
                        // Over IPv6, a jumbogram's: all the IP header carries.
                        0 if self.ipv6 => input.reported,
                        len => usize::from(len),
                    };
                    let claimed = (len >= UdpSlice::LEN).then_some(len);
                    let rest = input.after(UdpSlice::LEN, udp.payload(), claimed);
                    let (source, destination) = (udp.source_port(), udp.destination_port());
                    let next = udp_payload(source, destination, len >= UdpSlice::LEN, rest);
                    (Layer::Udp(udp), next)
                }
                None => partial(),
            },
            // Wireshark's UDP dissector, with the IP header's length (in a
            // fragment or an ICMP error too) in place of the length field.
            Proto::UdpLite => match UdpSlice::from_slice_lite(input.bytes, input.reported) {
                Some(udp) => {
                    let rest = input.after(UdpSlice::LEN, udp.payload(), None);
                    let (source, destination) = (udp.source_port(), udp.destination_port());
                    (Layer::Udp(udp), udp_payload(source, destination, true, rest))
                }
                None => partial(),
            },
            Proto::Icmpv4 => match Icmpv4Slice::from_slice(input.bytes) {
                Some(icmp) => {
                    let rest = input.after(Icmpv4Slice::LEN, icmp.quoted(), None);
                    let next = if icmp.is_error() {
                        self.in_error = true;
                        Next::Header(Proto::Ipv4, rest)
                    } else {
                        Next::Done
                    };
                    (Layer::Icmpv4(icmp), next)
                }
                None => partial(),
            },
            Proto::Icmpv6 => match Icmpv6Slice::from_slice(input.bytes) {
                Some(icmp) => {
                    let rest = input.after(Icmpv6Slice::LEN, icmp.payload(), None);
                    let next = if icmp.is_error() {
                        self.in_error = true;
                        Next::Header(Proto::Ipv6, rest)
                    } else {
                        Next::Done
                    };
                    (Layer::Icmpv6(icmp), next)
                }
                None => partial(),
            },
            Proto::Gre => match decode_gre(input) {
                Some(decoded) => decoded,
                None => partial(),
            },
            Proto::Mpls => match decode_mpls(input) {
                Some(decoded) => decoded,
                None => partial(),
            },
            Proto::Geneve => match decode_geneve(input) {
                Some(decoded) => decoded,
                None => partial(),
            },
            Proto::Llc(len) => match decode_llc(len, input) {
                Some(decoded) => decoded,
                None => partial(),
            },
            Proto::Vxlan => match VxlanSlice::from_slice(input.bytes) {
                Some(vxlan) => {
                    let rest = input.after(VxlanSlice::LEN, vxlan.payload(), None);
                    (Layer::Vxlan(vxlan), Next::Header(Proto::Ethernet, rest))
                }
                None => partial(),
            },
        }
    }
}

/// Where link type 101 starts, as Wireshark's `packet-raw.c` decides: it
/// first looks for remnants of PPP framing (at offsets 0, 6 and 1 — the
/// check at 6 needs 8 bytes, so shorter frames decode to nothing) and for
/// 10 zero bytes before the IP header, then goes by the version nibble.
fn raw_start(input: Input<'_>) -> Option<(Proto, Input<'_>)> {
    let b = input.bytes;
    let ppp = |at: usize| super::be16(b, at).map(|w| w == 0xff03);
    for at in [0, 6, 1] {
        if ppp(at)? {
            return ppp_hdlc(skip(input, at));
        }
    }
    let input = match b.split_at_checked(10) {
        Some((zeroes, rest)) if zeroes.iter().all(|&x| x == 0) => {
            Input { bytes: rest, reported: input.reported.saturating_sub(10) }
        }
        _ => input,
    };
    match input.bytes.first()? >> 4 {
        4 => Some((Proto::Ipv4, input)),
        6 => Some((Proto::Ipv6, input)),
        _ => None,
    }
}

fn skip(input: Input<'_>, n: usize) -> Input<'_> {
    Input { bytes: input.bytes.get(n..).unwrap_or(&[]), reported: input.reported.saturating_sub(n) }
}

/// PPP in HDLC-like framing (`ff 03`, then a 1-byte compressed or 2-byte
/// protocol), as remnants of it appear in raw and null captures: skipped
/// without a layer of its own, to the IPv4 (0x21) or IPv6 (0x57) inside.
fn ppp_hdlc(input: Input<'_>) -> Option<(Proto, Input<'_>)> {
    ppp_protocol(skip(input, 2))
}

/// A PPP protocol field (1 byte when odd, as compressed, else 2) and the
/// IPv4 (0x21), IPv6 (0x57) or MPLS (0x281, 0x283) packet after it.
fn ppp_protocol(input: Input<'_>) -> Option<(Proto, Input<'_>)> {
    let first = *input.bytes.first()?;
    let (protocol, len) =
        if first & 1 == 1 { (u16::from(first), 1) } else { (super::be16(input.bytes, 0)?, 2) };
    let proto = match protocol {
        0x21 => Proto::Ipv4,
        0x57 => Proto::Ipv6,
        0x281 | 0x283 => Proto::Mpls,
        _ => return None,
    };
    Some((proto, skip(input, len)))
}

impl<'a> Iterator for Layers<'a> {
    type Item = Layer<'a>;

    // Inlined (with `decode`) into the caller's loop, the walk's state stays
    // in registers: out of line, each call reloaded `self.next` just after
    // the previous call stored it, a store-forwarding stall that was a third
    // of the walk's time.
    #[inline]
    fn next(&mut self) -> Option<Layer<'a>> {
        let (proto, input) = match self.next {
            Next::Done => return None,
            Next::Header(proto, input) => (proto, input),
            Next::Raw(input) => match raw_start(input) {
                Some(start) => start,
                None => {
                    self.next = Next::Done;
                    return None;
                }
            },
        };
        // A header with no bytes at all is not there: nothing to show.
        if input.bytes.is_empty() {
            self.next = Next::Done;
            return None;
        }
        let (layer, next) = self.decode(proto, input);
        self.next = next;
        Some(layer)
    }
}

impl core::iter::FusedIterator for Layers<'_> {}
