//! The per-frame fields of `shared/spec/fields.md`, written as
//! `tshark -T fields -E occurrence=a` prints them.
//!
//! A field is named by a [`FieldName`] (parsed from its Wireshark name) and
//! its value in a frame is written by [`write_field`]: every occurrence,
//! outer layer first, joined by the aggregator, or nothing when the frame
//! does not have the field. Values are formatted with [`core::fmt::Write`],
//! so this works without `std` and without allocating.
//!
//! The `frame.*` fields come from the capture container, which this module
//! does not read: the caller fills a [`FrameInfo`] per frame.
//!
//! # Where this follows Wireshark rather than the header layout
//!
//! - A header cut short by the snap length (a [`Layer::Partial`]) shows the
//!   fields Wireshark shows for the same bytes: each dissector reads its
//!   fields in its own order and stops at the first that is not captured,
//!   so e.g. IPv4 shows `ip.flags.mf` from 8 bytes and `ip.proto` from 10,
//!   but UDP shows neither port before 4 bytes are there.
//! - `tcp.len` is the segment's length from the IP lengths (capped by the
//!   frame's original length, as Wireshark's reported length is) minus the
//!   TCP header length.

use core::fmt::{self, Write};
use core::str::FromStr;

use super::net::{RouteDestinations, RouteEnd};
use super::{be16, Layer, Layers, Partial, Proto};

macro_rules! field_names {
    ($($variant:ident = $name:literal, $doc:literal;)*) => {
        /// A field of `fields.md`'s table, by its Wireshark name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum FieldName {
            $(#[doc = $doc] $variant,)*
        }

        impl FieldName {
            /// Every field, in `fields.md`'s order.
            pub const ALL: &'static [FieldName] = &[$(FieldName::$variant),*];

            /// The Wireshark name (`"ip.src"`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(FieldName::$variant => $name,)*
                }
            }
        }

        impl FromStr for FieldName {
            type Err = UnknownField;

            fn from_str(s: &str) -> Result<Self, UnknownField> {
                match s {
                    $($name => Ok(FieldName::$variant),)*
                    _ => Err(UnknownField),
                }
            }
        }
    };
}

field_names! {
    FrameNumber = "frame.number", "`frame.number`: 1-based over the whole file.";
    FrameTimeEpoch = "frame.time_epoch", "`frame.time_epoch`: seconds with 9 decimals.";
    FrameLen = "frame.len", "`frame.len`: original length.";
    FrameCapLen = "frame.cap_len", "`frame.cap_len`: captured length.";
    FrameInterfaceId = "frame.interface_id", "`frame.interface_id`: pcapng interface ID.";
    FrameSectionNumber = "frame.section_number", "`frame.section_number`: 1-based pcapng section.";
    EthSrc = "eth.src", "`eth.src`: source MAC.";
    EthDst = "eth.dst", "`eth.dst`: destination MAC.";
    EthType = "eth.type", "`eth.type`: Ethernet type field (the outer TPID of a tagged frame).";
    VlanId = "vlan.id", "`vlan.id`: VLAN ID of an 802.1Q tag.";
    IpSrc = "ip.src", "`ip.src`: IPv4 source.";
    IpDst = "ip.dst", "`ip.dst`: IPv4 destination.";
    IpProto = "ip.proto", "`ip.proto`: IPv4 protocol.";
    IpFlagsMf = "ip.flags.mf", "`ip.flags.mf`: More Fragments flag.";
    IpFragOffset = "ip.frag_offset", "`ip.frag_offset`: fragment offset in 8-byte units.";
    Ipv6Src = "ipv6.src", "`ipv6.src`: IPv6 source.";
    Ipv6Dst = "ipv6.dst", "`ipv6.dst`: IPv6 destination.";
    Ipv6Nxt = "ipv6.nxt", "`ipv6.nxt`: the fixed header's Next Header.";
    TcpSrcport = "tcp.srcport", "`tcp.srcport`.";
    TcpDstport = "tcp.dstport", "`tcp.dstport`.";
    TcpLen = "tcp.len", "`tcp.len`: TCP payload length from the IP lengths.";
    UdpSrcport = "udp.srcport", "`udp.srcport`.";
    UdpDstport = "udp.dstport", "`udp.dstport`.";
    UdpLength = "udp.length", "`udp.length`: the UDP header's length field.";
    IcmpType = "icmp.type", "`icmp.type`.";
    Icmpv6Type = "icmpv6.type", "`icmpv6.type`.";
}

impl FieldName {
    /// Whether the field comes from the container ([`FrameInfo`]) rather
    /// than the frame's bytes.
    pub fn is_frame_field(self) -> bool {
        matches!(
            self,
            FieldName::FrameNumber
                | FieldName::FrameTimeEpoch
                | FieldName::FrameLen
                | FieldName::FrameCapLen
                | FieldName::FrameInterfaceId
                | FieldName::FrameSectionNumber
        )
    }
}

impl fmt::Display for FieldName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A field name that is not in `fields.md`'s table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownField;

impl fmt::Display for UnknownField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown field name")
    }
}

#[cfg(feature = "std")]
impl std::error::Error for UnknownField {}

/// A timestamp: `secs` since 1970-01-01 UTC plus `nanos` (< 10^9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamp {
    /// Whole seconds (negative before 1970).
    pub secs: i64,
    /// Nanoseconds added to `secs`, `0..1_000_000_000`.
    pub nanos: u32,
}

/// What the capture container knows about a frame: the source of the
/// `frame.*` fields. The container reader (pcap, pcapng) fills it in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameInfo {
    /// 1-based frame number over the whole file.
    pub number: u64,
    /// Timestamp, `None` for a block without one (pcapng Simple Packet Block).
    pub time: Option<Timestamp>,
    /// Original (wire) length.
    pub len: u64,
    /// Captured length.
    pub cap_len: u64,
    /// pcapng interface ID; `None` for pcap.
    pub interface_id: Option<u32>,
    /// pcapng 1-based section number; `None` for pcap.
    pub section_number: Option<u64>,
}

/// One occurrence of a field, formatted by its `Display` as tshark does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// Decimal integer.
    Uint(u64),
    /// `0x` and 4 lower-case hex digits.
    Hex16(u16),
    /// `0` or `1`.
    Bool(bool),
    /// `aa:bb:cc:dd:ee:ff`.
    Mac([u8; 6]),
    /// Dotted quad.
    Ipv4([u8; 4]),
    /// RFC 5952 text.
    Ipv6([u8; 16]),
    /// Seconds with 9 decimals: whole seconds rounded down, then the
    /// fraction above them (before 1970 too, as tshark prints them).
    Epoch(Timestamp),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Value::Uint(v) => write!(f, "{v}"),
            Value::Hex16(v) => write!(f, "0x{v:04x}"),
            Value::Bool(b) => f.write_str(if b { "1" } else { "0" }),
            Value::Mac(m) => write!(
                f,
                "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
                m[0], m[1], m[2], m[3], m[4], m[5]
            ),
            Value::Ipv4(a) => write!(f, "{}.{}.{}.{}", a[0], a[1], a[2], a[3]),
            Value::Ipv6(a) => write_ipv6(f, &a),
            Value::Epoch(t) => write_epoch(f, t),
        }
    }
}

/// RFC 5952: lower-case hex without leading zeros, the longest run of two
/// or more zero groups (the first of equals) as `::`; like Wireshark's
/// (BIND-derived) `ws_inet_ntop6`, IPv4-mapped (`::ffff:a.b.c.d`) and
/// IPv4-compatible (`::a.b.c.d`, when the zero run is exactly the first six
/// groups) addresses end in a dotted quad.
fn write_ipv6<W: Write>(f: &mut W, a: &[u8; 16]) -> fmt::Result {
    let mut g = [0u16; 8];
    for (i, word) in g.iter_mut().enumerate() {
        *word = u16::from_be_bytes([a[2 * i], a[2 * i + 1]]);
    }
    if g[..5] == [0; 5] && g[5] == 0xffff {
        return write!(f, "::ffff:{}.{}.{}.{}", a[12], a[13], a[14], a[15]);
    }
    if g[..6] == [0; 6] && g[6] != 0 {
        return write!(f, "::{}.{}.{}.{}", a[12], a[13], a[14], a[15]);
    }
    // The longest run of zero groups: (start, len).
    let (mut best, mut cur) = ((0usize, 0usize), (0usize, 0usize));
    for (i, &w) in g.iter().enumerate() {
        if w == 0 {
            if cur.1 == 0 {
                cur.0 = i;
            }
            cur.1 += 1;
            if cur.1 > best.1 {
                best = cur;
            }
        } else {
            cur.1 = 0;
        }
    }
    let mut i = 0;
    while i < 8 {
        if best.1 >= 2 && i == best.0 {
            f.write_str("::")?;
            i += best.1;
            continue;
        }
        if i != 0 && !(best.1 >= 2 && i == best.0 + best.1) {
            f.write_char(':')?;
        }
        write!(f, "{:x}", g[i])?;
        i += 1;
    }
    Ok(())
}

fn write_epoch<W: Write>(f: &mut W, t: Timestamp) -> fmt::Result {
    // Before 1970 too, the whole seconds (rounded down) then the fraction
    // above them, as tshark 4.0 prints them: -0.75 s is `-1.250000000`.
    // Not the decimal value (`info` and `stats` print that), because this
    // output is made to be diffed with tshark's.
    write!(f, "{}.{:09}", t.secs, t.nanos.min(999_999_999))
}

/// The value of a `frame.*` field, or `None` for a non-frame field or one
/// the container does not have.
pub fn frame_value(field: FieldName, frame: &FrameInfo) -> Option<Value> {
    match field {
        FieldName::FrameNumber => Some(Value::Uint(frame.number)),
        FieldName::FrameTimeEpoch => frame.time.map(Value::Epoch),
        FieldName::FrameLen => Some(Value::Uint(frame.len)),
        FieldName::FrameCapLen => Some(Value::Uint(frame.cap_len)),
        FieldName::FrameInterfaceId => frame.interface_id.map(|i| Value::Uint(i.into())),
        FieldName::FrameSectionNumber => frame.section_number.map(Value::Uint),
        _ => None,
    }
}

/// Every value `field` has in one layer, in Wireshark's order: the one of
/// [`layer_value`], except for `ip.dst`, which tshark 4.0 shows once per
/// source route in use of an IPv4 header with more than one.
pub fn layer_values<'a>(field: FieldName, layer: &Layer<'a>) -> Values<'a> {
    match (field, layer) {
        (FieldName::IpDst, Layer::Ipv4(ip)) => {
            let options = ip.options();
            let mut values = ip_destinations(options, options.len(), Some(ip.destination()));
            values.routes = values.routes.caught(ip.is_quoted());
            values
        }
        (FieldName::IpDst, Layer::Partial(p)) if p.proto == Proto::Ipv4 => {
            partial_ip_destinations(p.bytes)
        }
        _ => Values { first: layer_value(field, layer), routes: RouteDestinations::new(&[], 0) },
    }
}

/// The values of a field in one layer ([`layer_values`]).
#[derive(Clone, Debug)]
pub struct Values<'a> {
    first: Option<Value>,
    routes: RouteDestinations<'a>,
}

impl Iterator for Values<'_> {
    type Item = Value;

    fn next(&mut self) -> Option<Value> {
        self.first.take().or_else(|| self.routes.next().map(Value::Ipv4))
    }
}

/// `ip.dst` of an IPv4 header whose options are `options` (the captured
/// part of `len` bytes) and whose destination field is `header` (if
/// captured), as tshark 4.0 shows it: the header's destination unless the
/// first source route is in use (Wireshark's `get_dst_offset`), then the
/// final destination of each source route in use that its dissection of
/// the options reaches.
fn ip_destinations<'a>(options: &'a [u8], len: usize, header: Option<[u8; 4]>) -> Values<'a> {
    let none = Values { first: None, routes: RouteDestinations::new(&[], 0) };
    match super::net::source_route_offset(options, len) {
        // A byte the search needs was not captured: nothing is shown.
        None => none,
        Some(RouteEnd::Header) => {
            Values { first: header.map(Value::Ipv4), routes: RouteDestinations::new(options, len) }
        }
        Some(_) => Values { first: None, routes: RouteDestinations::new(options, len) },
    }
}

/// [`ip_destinations`] of an IPv4 header cut short: none unless it passes
/// the checks Wireshark makes before it shows any field (see
/// [`partial_value`]), and no route's, as the options are not all there
/// (their dissection throws before it shows any).
fn partial_ip_destinations(b: &[u8]) -> Values<'_> {
    let none = Values { first: None, routes: RouteDestinations::new(&[], 0) };
    let (Some(&v), Some(total)) = (b.first(), be16(b, 2)) else { return none };
    let header_len = usize::from(v & 0x0f) * 4;
    let total = usize::from(total);
    if v >> 4 != 4 || header_len < 20 || (total != 0 && total < header_len) {
        return none;
    }
    let options = b.get(20..header_len.min(b.len())).unwrap_or(&[]);
    let mut values = ip_destinations(options, header_len - 20, super::array::<4>(b, 16));
    values.routes = RouteDestinations::new(&[], 0);
    values
}

/// The value `field` has in one layer, if that layer carries it (the
/// first, for `ip.dst`, which can occur more than once per layer: see
/// [`layer_values`]). Every other field of the table occurs at most once
/// per layer.
pub fn layer_value(field: FieldName, layer: &Layer<'_>) -> Option<Value> {
    use FieldName as F;
    match (field, layer) {
        (F::EthSrc, Layer::Ethernet(e)) => Some(Value::Mac(e.source())),
        (F::EthDst, Layer::Ethernet(e)) => Some(Value::Mac(e.destination())),
        // An 802.3 frame has a length there, which Wireshark calls `eth.len`.
        // Wireshark takes 0 as an Ethernet II type, not an 802.3 length.
        (F::EthType, Layer::Ethernet(e)) if e.ether_type() >= 0x0600 || e.ether_type() == 0 => {
            Some(Value::Hex16(e.ether_type()))
        }
        (F::VlanId, Layer::Vlan(v)) if v.is_8021q() => Some(Value::Uint(v.vlan_id().into())),
        (F::IpSrc, Layer::Ipv4(ip)) => Some(Value::Ipv4(ip.source())),
        // The first of them, as Wireshark shows them.
        (F::IpDst, Layer::Ipv4(_)) => layer_values(field, layer).next(),
        (F::IpProto, Layer::Ipv4(ip)) => Some(Value::Uint(ip.protocol().into())),
        (F::IpFlagsMf, Layer::Ipv4(ip)) => Some(Value::Bool(ip.more_fragments())),
        (F::IpFragOffset, Layer::Ipv4(ip)) => Some(Value::Uint(ip.fragment_offset().into())),
        (F::Ipv6Src, Layer::Ipv6(ip)) => Some(Value::Ipv6(ip.source())),
        (F::Ipv6Dst, Layer::Ipv6(ip)) => Some(Value::Ipv6(ip.destination())),
        (F::Ipv6Nxt, Layer::Ipv6(ip)) => Some(Value::Uint(ip.next_header().into())),
        (F::TcpSrcport, Layer::Tcp(t)) => Some(Value::Uint(t.source_port().into())),
        (F::TcpDstport, Layer::Tcp(t)) => Some(Value::Uint(t.destination_port().into())),
        (F::TcpLen, Layer::Tcp(t)) => t.payload_len().map(|n| Value::Uint(n as u64)),
        (F::UdpSrcport, Layer::Udp(u)) => Some(Value::Uint(u.source_port().into())),
        (F::UdpDstport, Layer::Udp(u)) => Some(Value::Uint(u.destination_port().into())),
        (F::UdpLength, Layer::Udp(u)) => match u.lite_len() {
            Some(len) => Some(Value::Uint(len as u64)),
            None => Some(Value::Uint(u.length().into())),
        },
        (F::IcmpType, Layer::Icmpv4(i)) => Some(Value::Uint(i.icmp_type().into())),
        (F::Icmpv6Type, Layer::Icmpv6(i)) => Some(Value::Uint(i.icmp_type().into())),
        (_, Layer::Partial(p)) => partial_value(field, p),
        _ => None,
    }
}

/// The fields Wireshark still shows for a header the capture ends inside:
/// those its dissector reads before the first byte that is missing, after
/// the sanity checks it makes first.
fn partial_value(field: FieldName, p: &Partial<'_>) -> Option<Value> {
    use FieldName as F;
    let b = p.bytes;
    let byte = |i: usize| b.get(i).copied();
    let u16_at = |i: usize| be16(b, i);
    let need = |n: usize| b.len() >= n;
    match (p.proto, field) {
        (Proto::Vlan(tpid), F::VlanId) if tpid != super::ether_type::QINQ => {
            u16_at(0).map(|tci| Value::Uint((tci & 0x0fff).into()))
        }
        (Proto::Ipv4, _) => {
            let v = byte(0)?;
            let header_len = usize::from(v & 0x0f) * 4;
            if v >> 4 != 4 || header_len < 20 {
                return None;
            }
            let total = usize::from(u16_at(2)?);
            if total != 0 && total < header_len {
                return None;
            }
            match field {
                F::IpFlagsMf => byte(7).and(byte(6)).map(|f| Value::Bool(f & 0x20 != 0)),
                F::IpFragOffset => byte(7).and(u16_at(6)).map(|w| Value::Uint((w & 0x1fff).into())),
                F::IpProto => byte(9).map(|p| Value::Uint(p.into())),
                F::IpSrc => super::array::<4>(b, 12).map(Value::Ipv4),
                F::IpDst => partial_ip_destinations(b).next(),
                _ => None,
            }
        }
        (Proto::Ipv6, _) => {
            if byte(0)? >> 4 != 6 {
                return None;
            }
            match field {
                F::Ipv6Nxt => byte(6).map(|n| Value::Uint(n.into())),
                F::Ipv6Src => super::array::<16>(b, 8).map(Value::Ipv6),
                F::Ipv6Dst => super::array::<16>(b, 24).map(Value::Ipv6),
                _ => None,
            }
        }
        // Both ports are read before either is shown.
        (Proto::Tcp, F::TcpSrcport) if need(4) => u16_at(0).map(|v| Value::Uint(v.into())),
        (Proto::Tcp, F::TcpDstport) if need(4) => u16_at(2).map(|v| Value::Uint(v.into())),
        (Proto::Udp, F::UdpSrcport) if need(4) => u16_at(0).map(|v| Value::Uint(v.into())),
        (Proto::Udp, F::UdpDstport) if need(4) => u16_at(2).map(|v| Value::Uint(v.into())),
        (Proto::Udp, F::UdpLength) => u16_at(4).map(|v| Value::Uint(v.into())),
        (Proto::UdpLite, F::UdpSrcport) if need(4) => u16_at(0).map(|v| Value::Uint(v.into())),
        (Proto::UdpLite, F::UdpDstport) if need(4) => u16_at(2).map(|v| Value::Uint(v.into())),
        // Shown once the coverage field is read.
        (Proto::UdpLite, F::UdpLength) if need(6) => p.reported_len.map(|n| Value::Uint(n as u64)),
        // Wireshark reads type, code, checksum and 2 more bytes first.
        (Proto::Icmpv4, F::IcmpType) if need(6) => byte(0).map(|v| Value::Uint(v.into())),
        // The segment length is shown once the window (bytes 14-15) is
        // read, with a known reported length of at least the header length
        // (any data offset, even one below 5: Wireshark computes it first).
        (Proto::Tcp, F::TcpLen) if need(16) => {
            let header_len = usize::from(byte(12)? >> 4) * 4;
            let seg = p.reported_len?.checked_sub(header_len)?;
            Some(Value::Uint(seg as u64))
        }
        (Proto::Icmpv6, F::Icmpv6Type) => byte(0).map(|v| Value::Uint(v.into())),
        _ => None,
    }
}

/// Writes every occurrence of `field` in a frame, outer first, separated
/// by `aggregator`; writes nothing if the frame does not have it.
///
/// `layers` is the frame's walk ([`Layers::with_orig_len`], or its layers
/// collected); `frame` gives the `frame.*` fields.
///
/// ```
/// use zcpkt::proto::fields::{write_field, FieldName, FrameInfo};
/// use zcpkt::proto::{link_type, Layers};
///
/// let mut frame = vec![0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x81, 0x00, 0x00, 0x2a, 0x08, 0x00];
/// frame.extend([0x45, 0, 0, 20, 0, 0, 0x20, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
/// let mut out = String::new();
/// for name in ["eth.type", "vlan.id", "ip.flags.mf", "tcp.srcport"] {
///     let field: FieldName = name.parse().unwrap();
///     let layers = Layers::new(link_type::ETHERNET, &frame);
///     write_field(&mut out, field, &FrameInfo::default(), layers, ';')?;
///     out.push(',');
/// }
/// assert_eq!(out, "0x8100,42,1,,");
/// # Ok::<(), core::fmt::Error>(())
/// ```
pub fn write_field<'a, W: Write>(
    out: &mut W,
    field: FieldName,
    frame: &FrameInfo,
    layers: impl IntoIterator<Item = Layer<'a>>,
    aggregator: char,
) -> fmt::Result {
    if field.is_frame_field() {
        return match frame_value(field, frame) {
            Some(v) => write!(out, "{v}"),
            None => Ok(()),
        };
    }
    let mut first = true;
    for layer in layers {
        for v in layer_values(field, &layer) {
            if !first {
                out.write_char(aggregator)?;
            }
            first = false;
            write!(out, "{v}")?;
        }
    }
    Ok(())
}

/// Layers a frame's walk keeps on the stack for [`write_fields`]; a frame
/// with more (VXLAN inside VXLAN inside ...) is walked again per field.
const CACHED_LAYERS: usize = 16;

/// Writes a whole line's cells: each of `fields` as [`write_field`] does,
/// separated by `separator` (no line end). The frame is walked once, not
/// once per field, and nothing is allocated.
pub fn write_fields<W: Write>(
    out: &mut W,
    fields: &[FieldName],
    frame: &FrameInfo,
    layers: Layers<'_>,
    separator: char,
    aggregator: char,
) -> fmt::Result {
    let mut cache = [None; CACHED_LAYERS];
    let mut cached = 0;
    let mut complete = true;
    if !fields.iter().all(|f| f.is_frame_field()) {
        for layer in layers.clone() {
            match cache.get_mut(cached) {
                Some(slot) => *slot = Some(layer),
                None => {
                    complete = false;
                    break;
                }
            }
            cached += 1;
        }
    }
    for (i, &field) in fields.iter().enumerate() {
        if i > 0 {
            out.write_char(separator)?;
        }
        if complete {
            write_field(out, field, frame, cache[..cached].iter().flatten().copied(), aggregator)?;
        } else {
            write_field(out, field, frame, layers.clone(), aggregator)?;
        }
    }
    Ok(())
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use crate::proto::link_type;

    /// Ethernet/IPv4/UDP 4789/VXLAN wrapped `depth` times around an
    /// Ethernet/IPv4/UDP datagram.
    fn nested_vxlan(depth: usize) -> Vec<u8> {
        let mut frame = eth_ipv4_udp(1000, 2000, &[]);
        for _ in 0..depth {
            let mut vxlan = vec![0x08, 0, 0, 0, 0, 0, 1, 0];
            vxlan.extend(&frame);
            frame = eth_ipv4_udp(50000, 4789, &vxlan);
        }
        frame
    }

    fn eth_ipv4_udp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
        let mut f = vec![2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00];
        let total = (28 + payload.len()) as u16;
        f.extend([0x45, 0]);
        f.extend(total.to_be_bytes());
        f.extend([0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        f.extend(sport.to_be_bytes());
        f.extend(dport.to_be_bytes());
        f.extend((8 + payload.len() as u16).to_be_bytes());
        f.extend([0, 0]);
        f.extend(payload);
        f
    }

    #[test]
    fn write_fields_is_write_field_per_cell_below_and_above_the_layer_cache() {
        let fields = [FieldName::FrameNumber, FieldName::UdpDstport, FieldName::IpSrc];
        let info = FrameInfo { number: 7, ..FrameInfo::default() };
        // Depth 1 fits the cache; depth 5 has 4 * 5 + 3 layers, more than it holds.
        for depth in [0, 1, 5] {
            let frame = nested_vxlan(depth);
            let layers = Layers::new(link_type::ETHERNET, &frame);
            assert_eq!(layers.clone().count() > CACHED_LAYERS, depth == 5);
            let mut line = String::new();
            write_fields(&mut line, &fields, &info, layers.clone(), ',', ';').unwrap();
            let mut want = String::new();
            for (i, &f) in fields.iter().enumerate() {
                if i > 0 {
                    want.push(',');
                }
                write_field(&mut want, f, &info, layers.clone(), ';').unwrap();
            }
            assert_eq!(line, want);
            assert_eq!(line.matches("4789").count(), depth, "{line}");
        }
    }
}
