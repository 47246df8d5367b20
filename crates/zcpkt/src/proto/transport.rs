//! Transport-layer views: TCP, UDP, ICMP, ICMPv6, and VXLAN (over UDP).

use super::split;

/// A TCP header with its options, and the segment's captured payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TcpSlice<'a> {
    fixed: &'a [u8; 20],
    options: &'a [u8],
    payload: &'a [u8],
    segment_len: Option<usize>,
}

impl<'a> TcpSlice<'a> {
    /// The view of `bytes`, or `None` unless they start with a whole header
    /// (data offset >= 5 and all its words present). The segment's length
    /// for [`payload_len`](Self::payload_len) is taken as `bytes.len()`.
    pub fn from_slice(bytes: &'a [u8]) -> Option<Self> {
        Self::from_slice_with_len(bytes, Some(bytes.len()))
    }

    /// As [`from_slice`](Self::from_slice), with the segment's length as the
    /// IP header(s) give it (`segment_len`), which is more than `bytes.len()`
    /// when the snap length cut the frame, and `None` when it is not known
    /// (a fragment, or a segment quoted by an ICMP error).
    pub fn from_slice_with_len(bytes: &'a [u8], segment_len: Option<usize>) -> Option<Self> {
        let (fixed, rest) = split::<20>(bytes)?;
        let header_len = usize::from(fixed[12] >> 4) * 4;
        let (options, payload) = rest.split_at_checked(header_len.checked_sub(20)?)?;
        Some(Self { fixed, options, payload, segment_len })
    }

    /// Source port.
    pub fn source_port(&self) -> u16 {
        u16::from_be_bytes([self.fixed[0], self.fixed[1]])
    }

    /// Destination port.
    pub fn destination_port(&self) -> u16 {
        u16::from_be_bytes([self.fixed[2], self.fixed[3]])
    }

    /// Sequence number.
    pub fn sequence_number(&self) -> u32 {
        let f = self.fixed;
        u32::from_be_bytes([f[4], f[5], f[6], f[7]])
    }

    /// Acknowledgment number.
    pub fn acknowledgment_number(&self) -> u32 {
        let f = self.fixed;
        u32::from_be_bytes([f[8], f[9], f[10], f[11]])
    }

    /// Header length in bytes (data offset × 4).
    pub fn header_len(&self) -> usize {
        20 + self.options.len()
    }

    /// The flags (low 12 bits of bytes 12-13: NS, CWR, ECE, URG, ACK, PSH,
    /// RST, SYN, FIN and the reserved bits).
    pub fn flags(&self) -> u16 {
        u16::from_be_bytes([self.fixed[12], self.fixed[13]]) & 0x0fff
    }

    /// Window.
    pub fn window(&self) -> u16 {
        u16::from_be_bytes([self.fixed[14], self.fixed[15]])
    }

    /// The options.
    pub fn options(&self) -> &'a [u8] {
        self.options
    }

    /// The payload bytes that were captured.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// The segment's length from the IP lengths (header included), if known.
    pub fn segment_len(&self) -> Option<usize> {
        self.segment_len
    }

    /// Payload length from the IP lengths (Wireshark's `tcp.len`), or
    /// `None` when the segment length is unknown or less than the header.
    pub fn payload_len(&self) -> Option<usize> {
        self.segment_len?.checked_sub(self.header_len())
    }
}

/// A UDP header (8 bytes) and the datagram's payload; or a UDP-Lite
/// header (RFC 3828, IP protocol 136), the same but for its length field,
/// which is a checksum coverage (see [`lite_len`](Self::lite_len)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UdpSlice<'a> {
    header: &'a [u8; 8],
    payload: &'a [u8],
    lite_len: Option<usize>,
}

impl<'a> UdpSlice<'a> {
    /// Header length in bytes.
    pub const LEN: usize = 8;

    /// The view of `bytes`, or `None` if they hold less than 8 bytes.
    pub fn from_slice(bytes: &'a [u8]) -> Option<Self> {
        let (header, rest) = split::<8>(bytes)?;
        // The payload ends where the length field says, if it is sane and
        // the bytes go that far (as Wireshark narrows its buffer).
        let len = usize::from(u16::from_be_bytes([header[4], header[5]]));
        let payload = match len.checked_sub(8) {
            Some(want) => rest.get(..want).unwrap_or(rest),
            None => rest,
        };
        Some(Self { header, payload, lite_len: None })
    }

    /// The view of `bytes` as a UDP-Lite header, or `None` if they hold
    /// less than 8 bytes: the payload is all the bytes after it, and
    /// `len`, the datagram's length as the IP header(s) give it, is its
    /// [`lite_len`](Self::lite_len).
    pub fn from_slice_lite(bytes: &'a [u8], len: usize) -> Option<Self> {
        let (header, payload) = split::<8>(bytes)?;
        Some(Self { header, payload, lite_len: Some(len) })
    }

    /// For UDP-Lite, the datagram's length from the IP header(s), which
    /// Wireshark shows as `udp.length`; `None` for UDP.
    pub fn lite_len(&self) -> Option<usize> {
        self.lite_len
    }

    /// Source port.
    pub fn source_port(&self) -> u16 {
        u16::from_be_bytes([self.header[0], self.header[1]])
    }

    /// Destination port.
    pub fn destination_port(&self) -> u16 {
        u16::from_be_bytes([self.header[2], self.header[3]])
    }

    /// The length field (header included), as written (UDP-Lite: the
    /// checksum coverage).
    pub fn length(&self) -> u16 {
        u16::from_be_bytes([self.header[4], self.header[5]])
    }

    /// Checksum as written.
    pub fn checksum(&self) -> u16 {
        u16::from_be_bytes([self.header[6], self.header[7]])
    }

    /// The payload bytes that were captured, up to the length field.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
}

macro_rules! icmp_slice {
    ($(#[$doc:meta])* $name:ident, $error:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name<'a> {
            header: &'a [u8; 8],
            payload: &'a [u8],
        }

        impl<'a> $name<'a> {
            /// Header length in bytes: type, code, checksum and the 4-byte
            /// rest of header (identifier/sequence, pointer, MTU or unused).
            pub const LEN: usize = 8;

            /// The view of `bytes`, or `None` if they hold less than 8 bytes.
            pub fn from_slice(bytes: &'a [u8]) -> Option<Self> {
                let (header, payload) = split::<8>(bytes)?;
                Some(Self { header, payload })
            }

            /// Message type.
            pub fn icmp_type(&self) -> u8 {
                self.header[0]
            }

            /// Code.
            pub fn code(&self) -> u8 {
                self.header[1]
            }

            /// Checksum as written.
            pub fn checksum(&self) -> u16 {
                u16::from_be_bytes([self.header[2], self.header[3]])
            }

            /// The 4 bytes after the checksum.
            pub fn rest_of_header(&self) -> [u8; 4] {
                let h = self.header;
                [h[4], h[5], h[6], h[7]]
            }

            /// Whether this is an error message, whose payload quotes the
            /// offending packet's IP header and first L4 bytes.
            pub fn is_error(&self) -> bool {
                #[allow(clippy::redundant_closure_call)]
                ($error)(self.icmp_type())
            }

            /// The bytes after the 8-byte header (for an error, the quoted
            /// packet).
            pub fn payload(&self) -> &'a [u8] {
                self.payload
            }
        }
    };
}

icmp_slice!(
    /// An ICMP (for IPv4) message header. Errors: destination unreachable
    /// (3), source quench (4), redirect (5), time exceeded (11) and
    /// parameter problem (12).
    Icmpv4Slice,
    |t: u8| matches!(t, 3 | 4 | 5 | 11 | 12)
);

impl<'a> Icmpv4Slice<'a> {
    /// For an error, the part of the payload Wireshark (4.0) decodes as the
    /// quoted datagram: a Redirect (5) quotes the IP header and 8 bytes of
    /// its payload, as RFC 792 has it; another error whose second
    /// rest-of-header byte is not 0 (the length of the original datagram
    /// in 32-bit words, RFC 4884) and that quotes an IPv4 header with a
    /// total length other than 0 quotes that header and that many words of
    /// its payload. The IP header's length is the first byte's low
    /// nibble in words, whatever the version nibble says (an IPv6 header
    /// quoted by a Redirect keeps 8 bytes). Otherwise, and for non-errors,
    /// the whole payload (measured against tshark 4.0 in
    /// `tests/fields_tshark.rs`).
    pub fn quoted(&self) -> &'a [u8] {
        let payload = self.payload;
        let Some(&first) = payload.first() else { return payload };
        let words = match (self.icmp_type(), self.header[5]) {
            (5, _) => 2,
            // Not with a total length of 0 (Wireshark then takes the
            // captured bytes as the datagram).
            (3 | 4 | 11 | 12, length)
                if length != 0 && first >> 4 == 4 && super::be16(payload, 2) != Some(0) =>
            {
                usize::from(length)
            }
            _ => return payload,
        };
        let len = (usize::from(first & 0x0f) + words) * 4;
        payload.get(..len).unwrap_or(payload)
    }
}

icmp_slice!(
    /// An ICMPv6 message header. Errors: destination unreachable (1), packet
    /// too big (2), time exceeded (3) and parameter problem (4).
    Icmpv6Slice,
    |t: u8| matches!(t, 1..=4)
);

/// A VXLAN header (8 bytes) and the inner Ethernet frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VxlanSlice<'a> {
    header: &'a [u8; 8],
    payload: &'a [u8],
}

impl<'a> VxlanSlice<'a> {
    /// Header length in bytes.
    pub const LEN: usize = 8;

    /// The view of `bytes`, or `None` if they hold less than 8 bytes.
    pub fn from_slice(bytes: &'a [u8]) -> Option<Self> {
        let (header, payload) = split::<8>(bytes)?;
        Some(Self { header, payload })
    }

    /// The flags byte (0x08: VNI valid).
    pub fn flags(&self) -> u8 {
        self.header[0]
    }

    /// The VXLAN network identifier (24 bits).
    pub fn vni(&self) -> u32 {
        let h = self.header;
        u32::from_be_bytes([0, h[4], h[5], h[6]])
    }

    /// The inner Ethernet frame.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
}
