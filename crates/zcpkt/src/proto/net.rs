//! Network-layer views: ARP, IPv4, IPv6 and IPv6 extension headers.

use super::{ip_proto, split};

/// An ARP packet (fixed 8 bytes plus two hardware and two protocol addresses).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArpSlice<'a> {
    fixed: &'a [u8; 8],
    addresses: &'a [u8],
}

impl<'a> ArpSlice<'a> {
    /// The view of `bytes`, or `None` if they hold less than the whole packet
    /// its address lengths call for.
    pub fn from_slice(bytes: &'a [u8]) -> Option<Self> {
        let (fixed, rest) = split::<8>(bytes)?;
        let each = usize::from(fixed[4]) + usize::from(fixed[5]);
        let addresses = rest.get(..each.checked_mul(2)?)?;
        Some(Self { fixed, addresses })
    }

    /// Hardware type (1 = Ethernet).
    pub fn hardware_type(&self) -> u16 {
        u16::from_be_bytes([self.fixed[0], self.fixed[1]])
    }

    /// Protocol type (an EtherType).
    pub fn protocol_type(&self) -> u16 {
        u16::from_be_bytes([self.fixed[2], self.fixed[3]])
    }

    /// Operation (1 request, 2 reply).
    pub fn operation(&self) -> u16 {
        u16::from_be_bytes([self.fixed[6], self.fixed[7]])
    }

    /// Sender hardware, sender protocol, target hardware and target protocol
    /// addresses, back to back.
    pub fn addresses(&self) -> &'a [u8] {
        self.addresses
    }
}

/// An IPv4 header with its options, and the datagram's payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv4Slice<'a> {
    fixed: &'a [u8; 20],
    options: &'a [u8],
    payload: &'a [u8],
    quoted: bool,
}

impl<'a> Ipv4Slice<'a> {
    /// The view of `bytes`, or `None` unless they start with a whole, sane
    /// IPv4 header: version 4, IHL >= 5, all IHL words present, and a total
    /// length that is 0 or covers the header (Wireshark stops at the same
    /// checks).
    pub fn from_slice(bytes: &'a [u8]) -> Option<Self> {
        let (fixed, rest) = split::<20>(bytes)?;
        if fixed[0] >> 4 != 4 {
            return None;
        }
        let header_len = usize::from(fixed[0] & 0x0f) * 4;
        let options = rest.get(..header_len.checked_sub(20)?)?;
        let total = usize::from(u16::from_be_bytes([fixed[2], fixed[3]]));
        if total != 0 && total < header_len {
            return None;
        }
        let after = rest.get(options.len()..)?;
        // A total length of 0 is what TSO-offloading NICs hand to the
        // capture: Wireshark then takes the captured bytes as the datagram.
        let payload = if total == 0 {
            after
        } else {
            let want = total - header_len;
            after.get(..want).unwrap_or(after)
        };
        Some(Self { fixed, options, payload, quoted: false })
    }

    /// The view marked as in the packet an ICMP error quotes.
    pub(crate) fn quoted_by_error(self) -> Self {
        Self { quoted: true, ..self }
    }

    /// Whether the layer walker found this header in the packet an ICMP
    /// error quotes, where Wireshark catches what its option dissectors
    /// throw and goes on with the next option (and after the header).
    pub fn is_quoted(&self) -> bool {
        self.quoted
    }

    /// Header length in bytes (IHL × 4).
    pub fn header_len(&self) -> usize {
        20 + self.options.len()
    }

    /// DSCP and ECN byte.
    pub fn dsfield(&self) -> u8 {
        self.fixed[1]
    }

    /// Total length field.
    pub fn total_len(&self) -> u16 {
        u16::from_be_bytes([self.fixed[2], self.fixed[3]])
    }

    /// Identification.
    pub fn identification(&self) -> u16 {
        u16::from_be_bytes([self.fixed[4], self.fixed[5]])
    }

    /// Don't Fragment flag.
    pub fn dont_fragment(&self) -> bool {
        self.fixed[6] & 0x40 != 0
    }

    /// More Fragments flag.
    pub fn more_fragments(&self) -> bool {
        self.fixed[6] & 0x20 != 0
    }

    /// Fragment offset in 8-byte units, as in the header.
    pub fn fragment_offset(&self) -> u16 {
        u16::from_be_bytes([self.fixed[6], self.fixed[7]]) & 0x1fff
    }

    /// Whether this datagram is a fragment after the first (its payload does
    /// not start with the L4 header).
    pub fn is_later_fragment(&self) -> bool {
        self.fragment_offset() != 0
    }

    /// Whether an option is shorter than the fields Wireshark's dissector
    /// of its type reads (a Timestamp option of 2 or 3 bytes, a Traceroute
    /// under 12, …; measured against tshark 4.0): tshark then gives up on the
    /// datagram, so nothing after this header is decoded either (unless it
    /// is the packet an ICMP error quotes).
    pub fn has_short_option(&self) -> bool {
        short_option(self.options)
    }

    /// Time to live.
    pub fn ttl(&self) -> u8 {
        self.fixed[8]
    }

    /// Protocol of the payload.
    pub fn protocol(&self) -> u8 {
        self.fixed[9]
    }

    /// Header checksum as written.
    pub fn checksum(&self) -> u16 {
        u16::from_be_bytes([self.fixed[10], self.fixed[11]])
    }

    /// Source address.
    pub fn source(&self) -> [u8; 4] {
        let f = self.fixed;
        [f[12], f[13], f[14], f[15]]
    }

    /// Destination address.
    pub fn destination(&self) -> [u8; 4] {
        let f = self.fixed;
        [f[16], f[17], f[18], f[19]]
    }

    /// The final destination of a loose or strict source route (the last
    /// address of the route option, unless its pointer says the route is
    /// used up), which Wireshark shows as `ip.dst`; `None` without one.
    pub fn route_destination(&self) -> Option<[u8; 4]> {
        match source_route_offset(self.options, self.options.len()) {
            Some(RouteEnd::Last(at)) => super::array::<4>(self.options, at),
            _ => None,
        }
    }

    /// The options (IHL × 4 − 20 bytes).
    pub fn options(&self) -> &'a [u8] {
        self.options
    }

    /// The payload: up to the total length, or the captured bytes if they
    /// end first (or the total length is 0).
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
}

/// An IPv6 fixed header (40 bytes) and what follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv6Slice<'a> {
    fixed: &'a [u8; 40],
    payload: &'a [u8],
}

impl<'a> Ipv6Slice<'a> {
    /// Header length in bytes.
    pub const LEN: usize = 40;

    /// The view of `bytes`, or `None` unless they start with a whole header
    /// of version 6.
    pub fn from_slice(bytes: &'a [u8]) -> Option<Self> {
        let (fixed, rest) = split::<40>(bytes)?;
        if fixed[0] >> 4 != 6 {
            return None;
        }
        let plen = match u16::from_be_bytes([fixed[4], fixed[5]]) {
            // Payload length 0: a jumbogram's length is in its hop-by-hop
            // header. Otherwise (a TSO capture, or damage) the datagram is
            // empty, as Wireshark 4 takes it by default (`ipv6.tso_support`
            // off): nothing after the fixed header is decoded.
            0 => jumbo_payload_len(fixed[6], rest).map_or(0, |len| len as usize),
            plen => usize::from(plen),
        };
        let payload = rest.get(..plen).unwrap_or(rest);
        Some(Self { fixed, payload })
    }

    /// The Jumbo Payload option's length (RFC 2675): for a payload length
    /// of 0, the value of a Jumbo Payload option (type 0xC2, 4 bytes) of a
    /// hop-by-hop header right after the fixed header, if it is above
    /// 65535 (a jumbogram), as Wireshark reads it; `None` otherwise.
    pub fn jumbo_payload_len(&self) -> Option<u32> {
        if self.payload_len() != 0 {
            return None;
        }
        // A jumbogram's payload starts with that hop-by-hop header.
        jumbo_payload_len(self.fixed[6], self.payload)
    }

    /// Traffic class.
    pub fn traffic_class(&self) -> u8 {
        (self.fixed[0] << 4) | (self.fixed[1] >> 4)
    }

    /// Flow label (20 bits).
    pub fn flow_label(&self) -> u32 {
        let f = self.fixed;
        u32::from_be_bytes([0, f[1] & 0x0f, f[2], f[3]])
    }

    /// Payload length field.
    pub fn payload_len(&self) -> u16 {
        u16::from_be_bytes([self.fixed[4], self.fixed[5]])
    }

    /// The fixed header's Next Header.
    pub fn next_header(&self) -> u8 {
        self.fixed[6]
    }

    /// Hop limit.
    pub fn hop_limit(&self) -> u8 {
        self.fixed[7]
    }

    /// Source address.
    pub fn source(&self) -> [u8; 16] {
        let mut a = [0; 16];
        a.copy_from_slice(&self.fixed[8..24]);
        a
    }

    /// Destination address.
    pub fn destination(&self) -> [u8; 16] {
        let mut a = [0; 16];
        a.copy_from_slice(&self.fixed[24..40]);
        a
    }

    /// Everything after the fixed header (extension headers included), up
    /// to the payload length (a jumbogram's for a payload length of 0, see
    /// [`jumbo_payload_len`](Self::jumbo_payload_len); else nothing) or the
    /// captured bytes' end.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
}

/// The value of a Jumbo Payload option above 65535 in the hop-by-hop
/// header at the start of `after_fixed` (the bytes after an IPv6 fixed
/// header whose Next Header is `next_header`), read as Wireshark reads it:
/// the options are walked in order (Pad1 is one byte) up to the header's
/// end or the captured bytes' end, and the first option of type 0xC2 and
/// length 4 gives the value.
fn jumbo_payload_len(next_header: u8, after_fixed: &[u8]) -> Option<u32> {
    const PAD1: u8 = 0;
    const JUMBO: u8 = 0xc2;
    if next_header != ip_proto::HOP_BY_HOP {
        return None;
    }
    let (head, _) = split::<2>(after_fixed)?;
    let end = (usize::from(head[1]) + 1) * 8;
    let options = after_fixed.get(2..end.min(after_fixed.len()))?;
    let mut at = 0;
    while let Some(&kind) = options.get(at) {
        if kind == PAD1 {
            at += 1;
            continue;
        }
        let len = usize::from(*options.get(at + 1)?);
        if kind == JUMBO && len == 4 {
            let value = u32::from_be_bytes(super::array::<4>(options, at + 2)?);
            return (value > 0xffff).then_some(value);
        }
        at += 2 + len;
    }
    None
}

/// One IPv6 extension header: hop-by-hop options (0), routing (43),
/// fragment (44) or destination options (60).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv6ExtSlice<'a> {
    kind: u8,
    header: &'a [u8],
    payload: &'a [u8],
}

impl<'a> Ipv6ExtSlice<'a> {
    /// Whether `next_header` names an extension header this view decodes.
    pub fn is_extension(next_header: u8) -> bool {
        matches!(
            next_header,
            ip_proto::HOP_BY_HOP | ip_proto::ROUTING | ip_proto::FRAGMENT | ip_proto::DEST_OPTS
        )
    }

    /// The view of `bytes` as an extension header of type `kind` (the
    /// previous header's Next Header), or `None` if `kind` is not one of the
    /// four or the bytes hold less than the whole header.
    pub fn from_slice(kind: u8, bytes: &'a [u8]) -> Option<Self> {
        if !Self::is_extension(kind) {
            return None;
        }
        let (head, _) = split::<2>(bytes)?;
        // The fragment header's second byte is reserved: it is always 8 bytes.
        let len = if kind == ip_proto::FRAGMENT { 8 } else { (usize::from(head[1]) + 1) * 8 };
        let (header, payload) = bytes.split_at_checked(len)?;
        Some(Self { kind, header, payload })
    }

    /// The header's type (the Next Header value that introduced it).
    pub fn kind(&self) -> u8 {
        self.kind
    }

    /// Next Header of what follows this header.
    pub fn next_header(&self) -> u8 {
        self.header.first().copied().unwrap_or(0)
    }

    /// The whole header.
    pub fn header(&self) -> &'a [u8] {
        self.header
    }

    /// Whether Wireshark's (4.0) dissector of this routing header's type
    /// throws: it reads the type's data as the header's length (minus 4)
    /// bounds it, so it throws where the data its fields say it holds does
    /// not fit: a Mobile IPv6 (2) header without its address, an RPL (3)
    /// header whose CmprI, CmprE and Pad call for more addresses than fit,
    /// a segment routing (4) header without room for Last Entry + 1
    /// addresses, a compact (5, 6) header whose Segments Left points past
    /// it or whose SIDs are all non-zero. Decoding then stops after
    /// this header, except in the packet an ICMPv6 error quotes, where
    /// Wireshark catches it and goes on. `ipv6_addresses` says whether the
    /// innermost IP header is IPv6 (the RPL type's dissector gives up on
    /// anything else without reading).
    pub fn routing_type_throws(&self, ipv6_addresses: bool) -> bool {
        self.kind == ip_proto::ROUTING && routing_type_overruns(self.header, ipv6_addresses)
    }

    /// For a hop-by-hop or destination options header, whether Wireshark's
    /// (4.0) dissection of its options throws, which ends the decoding of
    /// the datagram: an option whose length byte or fields run past the
    /// end of `bytes` (this header and what follows it in the datagram, as
    /// captured and up to the IPv6 payload length; each option type's
    /// dissector reads the fields of its type, whatever its length says,
    /// and the header's own end is no limit). See `ipv6_options`.
    pub fn options_overrun(&self, bytes: &[u8]) -> bool {
        matches!(self.kind, ip_proto::HOP_BY_HOP | ip_proto::DEST_OPTS)
            && super::ipv6_options::options_throw(bytes, self.header.len())
    }

    /// For a fragment header: the fragment offset in 8-byte units.
    pub fn fragment_offset(&self) -> Option<u16> {
        self.fragment_word().map(|w| w >> 3)
    }

    /// For a fragment header: the M (more fragments) flag.
    pub fn more_fragments(&self) -> Option<bool> {
        self.fragment_word().map(|w| w & 1 != 0)
    }

    /// For a fragment header: the identification.
    pub fn fragment_identification(&self) -> Option<u32> {
        if self.kind != ip_proto::FRAGMENT {
            return None;
        }
        super::array::<4>(self.header, 4).map(u32::from_be_bytes)
    }

    fn fragment_word(&self) -> Option<u16> {
        if self.kind != ip_proto::FRAGMENT {
            return None;
        }
        super::be16(self.header, 2)
    }

    /// The bytes after this header.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
}

/// What the IPv4 options say of the destination Wireshark shows as
/// `ip.dst`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RouteEnd {
    /// No source route in use: the header's destination.
    Header,
    /// The route's last address, at this offset in the options.
    Last(usize),
    /// A route in use whose addresses are not whole (its length is not 3
    /// plus a multiple of 4): tshark shows no `ip.dst` at all.
    None,
}

/// Wireshark's `get_dst_offset`: walks the IPv4 options (`options` holds
/// the captured part of `len` option bytes) looking for a loose (0x83) or
/// strict (0x89) source route whose pointer is still inside it (see
/// [`RouteEnd`]; `Header` when there is none, or an option is malformed,
/// which ends the search), and `None` when a byte the walk needs was not
/// captured.
pub(crate) fn source_route_offset(options: &[u8], len: usize) -> Option<RouteEnd> {
    let mut at = 0usize;
    let mut left = len;
    while left > 0 {
        let opt = *options.get(at)?;
        left -= 1;
        // End of list and NOP have no length byte.
        if opt == 0 || opt == 1 {
            at += 1;
            if opt == 0 {
                return Some(RouteEnd::Header);
            }
            continue;
        }
        if left == 0 {
            return Some(RouteEnd::Header);
        }
        let olen = usize::from(*options.get(at + 1)?);
        left -= 1;
        if olen < 2 || olen - 2 > left {
            return Some(RouteEnd::Header);
        }
        if opt == 0x83 || opt == 0x89 {
            // A route without a pointer is not one in use.
            if olen < 3 {
                return Some(RouteEnd::Header);
            }
            let ptr = usize::from(*options.get(at + 2)?);
            if ptr < 4 || ptr % 4 != 0 || ptr > olen {
                return Some(RouteEnd::Header);
            }
            // Measured against tshark 4.0 (`fields_tshark.rs`).
            if (olen - 3) % 4 != 0 {
                return Some(RouteEnd::None);
            }
            return Some(RouteEnd::Last(at + olen - 4));
        }
        at += olen;
        left -= olen - 2;
    }
    Some(RouteEnd::Header)
}

/// Whether one of the IPv4 `options` is shorter than what Wireshark's
/// dissector of its type reads, which throws and ends the dissection of
/// the datagram (tshark 4.0, measured option by option and length by
/// length in `fields_tshark.rs`): the pointer of Record Route, Loose and
/// Strict Source Route (3 bytes), the level of Security and Extended
/// Security (3), MTU Probe and Reply, Stream ID, Router Alert and
/// Timestamp (4), Traceroute (12), CIPSO's domain of interpretation (6,
/// and its tags: [`cipso_tags_throw`]), Quick-Start's function (3, and its
/// nonce: 8 for a rate request or report). The walk stops, with no verdict, where
/// Wireshark's stops: end of list, a length under 2 or past the options,
/// or bytes not captured.
pub(crate) fn short_option(options: &[u8]) -> bool {
    let mut at = 0usize;
    while let Some(&opt) = options.get(at) {
        match opt {
            0 => return false,
            1 => {
                at += 1;
                continue;
            }
            _ => {}
        }
        let Some(&olen) = options.get(at + 1) else { return false };
        let olen = usize::from(olen);
        if olen < 2 || at + olen > options.len() {
            return false;
        }
        if options.get(at..at + olen).is_some_and(option_throws) {
            return true;
        }
        at += olen;
    }
    false
}

/// Whether Wireshark's dissector of the IPv4 option `option` (its type,
/// length and data, whole) throws: it is shorter than the fields its type
/// has ([`option_needs`]), or it is a CIPSO option whose tags do
/// ([`cipso_tags_throw`]).
fn option_throws(option: &[u8]) -> bool {
    const CIPSO: u8 = 0x86;
    let Some(&opt) = option.first() else { return false };
    let olen = option.len();
    olen < option_needs(opt, option.get(2).copied(), olen)
        || (opt == CIPSO && cipso_tags_throw(option))
}

/// Whether Wireshark 4.0's walk of a CIPSO option's tags (after the
/// 4-byte domain of interpretation) throws. It checks a tag's length
/// against the option's end one byte too late, so a tag of a known type
/// (1, 2, 5, 6, 7) that passes its checks (a length of 4 to 34, or 2 to
/// 34 for type 7) but ends one byte past the option throws when its
/// fields are read, unless it is an enumerated (2) or ranged (5) tag of
/// an odd length over 4, whose reading stops a byte early. That byte
/// early is also where the walk goes on after such a tag. Padding (0) is
/// one byte; any other type, or a failed check, ends the walk (reading
/// the length of a tag of another type in the option's last byte
/// throws too).
fn cipso_tags_throw(option: &[u8]) -> bool {
    const TAG_LEN_MAX: usize = 34;
    let len = option.len();
    let mut at = 6;
    while let Some(&tag) = option.get(at) {
        let tag_len = option.get(at + 1).map_or(1, |&l| usize::from(l));
        let min = match tag {
            0 => {
                at += 1;
                continue;
            }
            1 | 2 | 5 | 6 => 4,
            7 => 2,
            // An unknown tag's length byte is read (for its text) if it
            // is not past the option's end, which is one byte too late.
            _ => return at + 1 == len,
        };
        if tag_len < min || tag_len > TAG_LEN_MAX || at + tag_len - 1 > len {
            return false;
        }
        let stops_early = matches!(tag, 2 | 5) && tag_len > 4 && tag_len % 2 == 1;
        if at + tag_len > len {
            return !stops_early;
        }
        at += if stops_early { tag_len - 1 } else { tag_len };
    }
    false
}

/// The bytes Wireshark's dissector of IPv4 option `opt` (of length `olen`,
/// whose third byte is `third`) reads (see [`short_option`]).
fn option_needs(opt: u8, third: Option<u8>, olen: usize) -> usize {
    match opt {
        0x07 | 0x82 | 0x83 | 0x85 | 0x89 => 3,
        0x0b | 0x0c | 0x44 | 0x88 | 0x94 => 4,
        0x52 => 12,
        0x86 => 6,
        0x19 => match third.map(|f| f >> 4) {
            Some(0 | 8) if olen >= 3 => 8,
            _ => 3,
        },
        _ => 2,
    }
}

/// The final destinations of the loose and strict source routes, which
/// tshark 4.0 shows as `ip.dst`, one per route, as its dissection of the
/// options meets them: each route whose pointer is still inside it and
/// whose addresses are whole gives its last address. (The header's
/// destination comes first when the first route is not in use, see
/// [`source_route_offset`].) The walk ends where Wireshark's dissection
/// of the options does: end of list, a length under 2 or past the
/// options, an option shorter than its fields ([`short_option`]), or
/// bytes not captured. `options` holds the captured part of `len` option
/// bytes.
#[derive(Clone, Debug)]
pub(crate) struct RouteDestinations<'a> {
    options: &'a [u8],
    at: usize,
    left: usize,
    /// Whether an option that throws is caught and the walk goes on (in
    /// the packet an ICMP error quotes).
    caught: bool,
}

impl<'a> RouteDestinations<'a> {
    pub(crate) fn new(options: &'a [u8], len: usize) -> Self {
        Self { options, at: 0, left: len, caught: false }
    }

    /// The walk of an IPv4 header in the packet an ICMP error quotes
    /// (`quoted`), where an option that throws gives no destination and
    /// the walk goes on after it.
    pub(crate) fn caught(self, quoted: bool) -> Self {
        Self { caught: quoted, ..self }
    }

    /// The next option: `None` to end the walk, `Some(None)` for an option
    /// that gives no destination.
    fn step(&mut self) -> Option<Option<[u8; 4]>> {
        let at = self.at;
        let opt = *self.options.get(at)?;
        self.left -= 1;
        match opt {
            0 => return None,
            1 => {
                self.at += 1;
                return Some(None);
            }
            _ => {}
        }
        if self.left == 0 {
            return None;
        }
        let olen = usize::from(*self.options.get(at + 1)?);
        self.left -= 1;
        let third = self.options.get(at + 2).copied();
        if olen < 2 || olen - 2 > self.left {
            return None;
        }
        let option = self.options.get(at..at + olen)?;
        self.at += olen;
        self.left -= olen - 2;
        if option_throws(option) {
            return self.caught.then_some(None);
        }
        if opt == 0x83 || opt == 0x89 {
            let ptr = usize::from(third?);
            if ptr >= 4 && ptr % 4 == 0 && ptr <= olen && (olen - 3) % 4 == 0 {
                return super::array::<4>(self.options, at + olen - 4).map(Some);
            }
        }
        Some(None)
    }
}

impl Iterator for RouteDestinations<'_> {
    type Item = [u8; 4];

    fn next(&mut self) -> Option<[u8; 4]> {
        while self.left > 0 {
            match self.step() {
                Some(Some(address)) => return Some(address),
                Some(None) => {}
                None => self.left = 0,
            }
        }
        None
    }
}

/// Whether the type-specific data of the routing header `header` (whole)
/// is too short for the dissector of its type in Wireshark 4.0, which
/// reads it from byte 4 with the header's length as its end:
///
/// - type 2 (Mobile IPv6): 4 reserved bytes and a home address;
/// - type 3 (RPL, only under an IPv6 header): 4 bytes of CmprI, CmprE and
///   Pad, then n addresses of 16 − CmprI bytes except the last, of
///   16 − CmprE, where n = ((length × 8 − Pad − (16 − CmprE)) / (16 −
///   CmprI)) + 1 in C's arithmetic (0 for a length of 0);
/// - type 4 (segment routing): 4 bytes, then Last Entry + 1 addresses;
/// - types 5 and 6 (compact, 16- and 32-bit SIDs): the SID Segments Left
///   points to, and the SIDs up to the first of 0, each read after the
///   previous: one past the last when none is 0.
// Out of line: routing headers are rare, and the walk's loop stays small.
#[inline(never)]
fn routing_type_overruns(header: &[u8], ipv6_addresses: bool) -> bool {
    let data_len = header.len().saturating_sub(4);
    let (Some(&units), Some(&kind), Some(&left)) = (header.get(1), header.get(2), header.get(3))
    else {
        return false;
    };
    let data = header.get(4..).unwrap_or(&[]);
    match kind {
        2 => data_len < 20,
        3 if ipv6_addresses => rpl_len(units, data).is_some_and(|len| len > data_len),
        4 => data.first().is_some_and(|&last| 4 + (usize::from(last) + 1) * 16 > data_len),
        5 | 6 => {
            let sid_len = if kind == 5 { 2 } else { 4 };
            let current_end = (usize::from(left) + 1) * sid_len;
            let all_set = data.chunks_exact(sid_len).all(|sid| sid.iter().any(|&b| b != 0));
            current_end > data_len || all_set
        }
        _ => false,
    }
}

/// The bytes an RPL routing header's data (`data`, after the first 4
/// bytes of a header of `units` 8-byte units after the first) takes by its
/// CmprI, CmprE and Pad, as Wireshark 4.0 computes it; `None` without the
/// 2 bytes they are in.
fn rpl_len(units: u8, data: &[u8]) -> Option<usize> {
    let (&first, &second) = (data.first()?, data.get(1)?);
    let internal = 16 - i32::from(first >> 4);
    let last = 16 - i32::from(first & 0x0f);
    let pad = i32::from(second >> 4);
    let count = match units {
        0 => 0,
        // Rust's integer division truncates towards zero, as C's does.
        _ => (i32::from(units) * 8 - pad - last) / internal + 1,
    };
    let count = usize::try_from(count).ok().filter(|&n| n > 0)?;
    Some(4 + (count - 1) * internal as usize + last as usize)
}
