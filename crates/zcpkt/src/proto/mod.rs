//! Protocol views: lazy, zero-copy slices over the headers of a captured
//! frame, and a walker that lists a frame's layers outer to inner.
//!
//! Every view (`EthernetSlice`, `Ipv4Slice`, ...) borrows the frame's bytes
//! and decodes a field only when asked, like `etherparse`'s `*Slice` types.
//! A view exists only for a *whole* header: `from_slice` returns `None` when
//! the bytes end inside the header (or the header is malformed so that its
//! length is unknown), and then every accessor is infallible. Nothing here
//! allocates, panics on input or uses `unsafe`; all offsets are checked.
//!
//! [`Layers`] walks a frame given its link type, yielding one [`Layer`] per
//! header. A header cut short by the snap length (or malformed) ends the walk
//! with [`Layer::Partial`], which keeps the bytes that are there: Wireshark
//! shows the fields of such a header that are whole, and
//! [`fields`] does the same.
//!
//! # Why not `etherparse`
//!
//! `etherparse` (0.16–0.19, `default-features = false` works in `no_std`)
//! was evaluated for Ethernet, VLAN, IPv4/IPv6, TCP, UDP and ICMP. It is not
//! used, because for this crate's one consumer — printing Wireshark's fields —
//! it would cover less than half of the layers and fight the semantics of
//! the rest:
//!
//! - it has no SLL2, BSD null/loopback or VXLAN slices, and its SLL slice
//!   rejects packet types and ARPHRD values it does not know, where
//!   Wireshark decodes the protocol field regardless;
//! - a header cut short is an error (`LenError`) in `etherparse`, while
//!   Wireshark (and `fields.md`) print the fields of the cut header that are
//!   whole (`ip.proto` with 10 bytes of IPv4 header, `udp.srcport` with 4);
//! - its lax IPv4 slicing interprets length fields its own way (e.g. a total
//!   length of 0 is an error), while Wireshark's TSO rule takes the
//!   captured length, and `tcp.len` must follow Wireshark's reported-length
//!   arithmetic, including for the IP+TCP headers quoted by ICMP errors,
//!   which `etherparse` does not walk into;
//! - it would add a dependency (and `unsafe` unchecked reads) for
//!   ~15 lines of big-endian reads per header.
//!
//! The views here are written in the same slice style instead, and the
//! differential test `tests/fields_tshark.rs` checks them against tshark.

//! # Known deviations from Wireshark
//!
//! Checked by `tests/fields_tshark.rs` against tshark 4.0 on ~76,000
//! crafted frames (every link type, every layer, every cut length of many
//! of them; random IPv6 options, routing headers, IPv4 options, CIPSO
//! tags and chains of extension headers and tunnels; UDP ports below
//! VXLAN's and MSRCP's; GRE headers of every flag, protocol type and
//! payload; MPLS label stacks; 802.3 LLC/SNAP; Geneve and the UDP ports
//! below 6081), which agree line for line. Not modelled, so they may differ:
//!
//! - UDP is VXLAN (port 4789), MSRCP (port 3343, an Ethernet frame) or
//!   Geneve (port 6081) by its lower port, else by its higher port unless
//!   the lower port's own protocol claims the datagram, as tshark 4.0
//!   tries them; which protocols claim it is a table measured on VXLAN
//!   packets and one on Geneve packets (see `udp_ports`): ports whose
//!   protocol claims some payloads and not others (269, 500, 502, 631,
//!   698, 1052, 1113, 1755; for Geneve also 925, 3544, 4341, 4754, 5031)
//!   are taken as not claiming, and what a claiming protocol decodes
//!   inside (LISP on 4341 and 4342, 925 can show an IP header) is not
//!   followed.
//! - Tunnels other than VXLAN, MSRCP, Geneve, IPv4/IPv6-in-IP, Ethernet
//!   in IP (EtherIP, IP protocol 97, and 143), GRE, MPLS, 802.3 frames'
//!   LLC/SNAP and PPP-in-HDLC remnants of raw/null captures (MPLS over UDP
//!   on 6635, NSH, ...) are not followed. Inside LLC, SNAP with OUI 0 or
//!   Cisco's (an EtherType, in information frames) and 802.1 bridged
//!   Ethernet are; other SAPs and OUIs are not. Inside GRE (and a Linux
//!   cooked capture on a GRE tunnel) IPv4, IPv6, ARP, Ethernet (0x6558,
//!   0x6400), MPLS, PPP's IPv4, IPv6 and MPLS, WCCP and ERSPAN types I to
//!   III are; other protocol types (3GPP2's 0x88d2 and 0x8881, ...) are
//!   not, nor PPP's other protocols.
//! - MPLS (EtherTypes 0x8847, 0x8848, IP protocol 137, PPP 0x281 and
//!   0x283) is followed to IPv4 or IPv6 by the payload's first nibble, as
//!   tshark 4.0 guesses. A first nibble of 0 is an Ethernet pseudowire to
//!   tshark, with a control word or not by whether both MAC addresses'
//!   OUIs are in its manufacturer database: not modelled, nothing
//!   follows here, where tshark shows the inner Ethernet frame.
//! - Each frame is decoded on its own (`fields.md`); tshark keeps
//!   conversations across frames, so a protocol one frame sets up (a TFTP
//!   request sets up its reply's ports, ...) can decide how it decodes a
//!   later frame between the same hosts.

#![forbid(unsafe_code)]

pub mod fields;
pub mod filter;
mod ipv6_options;
mod link;
pub(crate) mod net;
mod transport;
mod tunnel;
mod udp_ports;
mod walk;

pub use link::{EthernetSlice, NullPayload, NullSlice, Sll2Slice, SllSlice, VlanSlice};
pub use net::{ArpSlice, Ipv4Slice, Ipv6ExtSlice, Ipv6Slice};
pub use transport::{Icmpv4Slice, Icmpv6Slice, TcpSlice, UdpSlice, VxlanSlice};
pub use tunnel::{GeneveSlice, GreSlice, LlcSlice, MplsSlice};
pub use walk::{Layer, Layers, Partial, Proto};

/// Link-layer header type numbers (`LINKTYPE_*` of pcap/pcapng) decoded here.
pub mod link_type {
    /// BSD loopback / null: a 4-byte address family.
    pub const NULL: u16 = 0;
    /// Ethernet II (and 802.3).
    pub const ETHERNET: u16 = 1;
    /// Raw IPv4 or IPv6, chosen by the version nibble.
    pub const RAW: u16 = 101;
    /// Linux cooked capture v1 (SLL).
    pub const LINUX_SLL: u16 = 113;
    /// Linux cooked capture v2 (SLL2).
    pub const LINUX_SLL2: u16 = 276;
}

/// EtherType values the walker follows.
pub mod ether_type {
    /// IPv4.
    pub const IPV4: u16 = 0x0800;
    /// ARP.
    pub const ARP: u16 = 0x0806;
    /// IEEE 802.1Q customer VLAN tag.
    pub const VLAN: u16 = 0x8100;
    /// IEEE 802.1ad service VLAN tag (QinQ outer tag).
    pub const QINQ: u16 = 0x88a8;
    /// Pre-standard QinQ tag, decoded as 802.1Q by Wireshark.
    pub const QINQ_OLD: u16 = 0x9100;
    /// IPv6.
    pub const IPV6: u16 = 0x86dd;
    /// MPLS unicast.
    pub const MPLS: u16 = 0x8847;
    /// MPLS multicast.
    pub const MPLS_MULTICAST: u16 = 0x8848;
}

/// IP protocol / IPv6 next-header numbers the walker follows.
pub mod ip_proto {
    /// IPv6 hop-by-hop options.
    pub const HOP_BY_HOP: u8 = 0;
    /// ICMP.
    pub const ICMP: u8 = 1;
    /// IPv4 in IP.
    pub const IPIP: u8 = 4;
    /// TCP.
    pub const TCP: u8 = 6;
    /// UDP.
    pub const UDP: u8 = 17;
    /// UDP-Lite.
    pub const UDP_LITE: u8 = 136;
    /// MPLS in IP (RFC 4023).
    pub const MPLS: u8 = 137;
    /// IPv6 in IP.
    pub const IPV6: u8 = 41;
    /// GRE (RFC 2784, 2890; PPTP's enhanced GRE, RFC 2637).
    pub const GRE: u8 = 47;
    /// IPv6 routing header.
    pub const ROUTING: u8 = 43;
    /// IPv6 fragment header.
    pub const FRAGMENT: u8 = 44;
    /// ICMPv6.
    pub const ICMPV6: u8 = 58;
    /// IPv6 destination options.
    pub const DEST_OPTS: u8 = 60;
    /// EtherIP (RFC 3378): a 2-byte header, then an Ethernet frame.
    pub const ETHERIP: u8 = 97;
    /// An Ethernet frame (RFC 8986), with no header of its own.
    pub const ETHERNET: u8 = 143;
}

/// The UDP port VXLAN is registered on (IANA).
pub const VXLAN_PORT: u16 = 4789;

/// The UDP port Geneve is registered on (IANA).
pub const GENEVE_PORT: u16 = 6081;

/// The UDP port of Microsoft's cluster route control protocol (MSRCP),
/// whose packets Wireshark 4.0 decodes as an Ethernet frame unless their
/// seventh byte says request (0) or response (1).
pub const MSRCP_PORT: u16 = 3343;

/// `bytes[at..at + 2]` as a big-endian `u16`, if the bytes are there.
#[inline]
pub(crate) fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    array::<2>(bytes, at).map(u16::from_be_bytes)
}

/// `bytes[at..at + N]` as an array, if the bytes are there.
#[inline]
pub(crate) fn array<const N: usize>(bytes: &[u8], at: usize) -> Option<[u8; N]> {
    let end = at.checked_add(N)?;
    bytes.get(at..end)?.try_into().ok()
}

/// Splits off the first `N` bytes as an array reference, so that a view's
/// accessors index a fixed-size array (no bounds check can fail).
#[inline]
pub(crate) fn split<const N: usize>(bytes: &[u8]) -> Option<(&[u8; N], &[u8])> {
    let (head, rest) = bytes.split_at_checked(N)?;
    Some((head.try_into().ok()?, rest))
}
