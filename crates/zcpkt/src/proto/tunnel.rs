//! Tunnel views: GRE, MPLS, Geneve, and the 802.2 LLC/SNAP header of
//! 802.3 frames.

use super::{be16, split};

/// A GRE header (RFC 2784, 2890; PPTP's enhanced GRE, RFC 2637) with its
/// optional fields, and the packet it carries.
///
/// Its length is what Wireshark 4.0's GRE dissector reads: the 4-byte
/// header; a checksum and offset if the C or R bit is set; a key (K); a
/// sequence number (S); an acknowledgment number (A, only for PPP of a
/// version other than 0, as PPTP's); with the R bit, source route entries
/// up to one whose address family and length are both 0; and for WCCP
/// (protocol type 0x883e) v2 a 4-byte redirect header, told from v1 by the
/// byte after the first 4 not starting an IPv4 header, whatever field it
/// is. Flags, recursion and version are not checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GreSlice<'a> {
    fixed: &'a [u8; 4],
    fields: &'a [u8],
    payload: &'a [u8],
}

/// GRE flag bits (the first 16 bits, with the version).
const CHECKSUM: u16 = 0x8000;
const ROUTING: u16 = 0x4000;
const KEY: u16 = 0x2000;
const SEQUENCE: u16 = 0x1000;
const ACK: u16 = 0x0080;
const VERSION: u16 = 0x0007;

impl<'a> GreSlice<'a> {
    /// Protocol type of PPP, whose acknowledgment number PPTP adds.
    const PPP: u16 = 0x880b;
    /// Protocol type of WCCP.
    const WCCP: u16 = 0x883e;

    /// The view of `bytes`, or `None` if they end inside the header (the
    /// source route entries or the byte WCCP's version is told by
    /// included).
    pub fn from_slice(bytes: &'a [u8]) -> Option<Self> {
        let (fixed, rest) = split::<4>(bytes)?;
        let flags = u16::from_be_bytes([fixed[0], fixed[1]]);
        let ty = u16::from_be_bytes([fixed[2], fixed[3]]);
        let wccp2 = ty == Self::WCCP && rest.first()? >> 4 != 4;
        let words = usize::from(flags & (CHECKSUM | ROUTING) != 0)
            + usize::from(flags & KEY != 0)
            + usize::from(flags & SEQUENCE != 0)
            + usize::from(ty == Self::PPP && flags & ACK != 0 && flags & VERSION != 0);
        let mut len = words * 4;
        if flags & ROUTING != 0 {
            // Each entry takes at least 4 bytes that must be there: the
            // loop ends with the bytes.
            loop {
                let family = be16(rest, len)?;
                let sre_len = *rest.get(len.checked_add(3)?)?;
                len = len.checked_add(4)?;
                if family == 0 && sre_len == 0 {
                    break;
                }
                len = len.checked_add(usize::from(sre_len))?;
            }
        }
        if wccp2 {
            len = len.checked_add(4)?;
        }
        let (fields, payload) = rest.split_at_checked(len)?;
        Some(Self { fixed, fields, payload })
    }

    /// Flags and version (the first 16 bits).
    pub fn flags_and_version(&self) -> u16 {
        u16::from_be_bytes([self.fixed[0], self.fixed[1]])
    }

    /// Version (0 for GRE, 1 for PPTP's enhanced GRE).
    pub fn version(&self) -> u8 {
        self.fixed[1] & 0x07
    }

    /// Whether the S bit says a sequence number is present (which tells
    /// ERSPAN type II and III from type I).
    pub fn has_sequence_number(&self) -> bool {
        self.flags_and_version() & SEQUENCE != 0
    }

    /// The protocol type of the payload (an EtherType, mostly).
    pub fn protocol_type(&self) -> u16 {
        u16::from_be_bytes([self.fixed[2], self.fixed[3]])
    }

    /// The key (K bit), if present; PPTP's payload length and call ID.
    pub fn key(&self) -> Option<u32> {
        let at = 4 * usize::from(self.flags_and_version() & (CHECKSUM | ROUTING) != 0);
        let key = self.flags_and_version() & KEY != 0;
        key.then(|| super::array::<4>(self.fields, at).map(u32::from_be_bytes)).flatten()
    }

    /// Header length in bytes, optional fields included.
    pub fn header_len(&self) -> usize {
        4 + self.fields.len()
    }

    /// The packet carried.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
}

/// An MPLS label stack (RFC 3032): 4-byte entries up to the one with the
/// bottom-of-stack bit, and what it carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MplsSlice<'a> {
    stack: &'a [u8],
    payload: &'a [u8],
}

impl<'a> MplsSlice<'a> {
    /// The view of `bytes`, or `None` if they end before an entry with
    /// the bottom-of-stack bit.
    pub fn from_slice(bytes: &'a [u8]) -> Option<Self> {
        let mut len = 0usize;
        loop {
            let entry = super::array::<4>(bytes, len)?;
            len = len.checked_add(4)?;
            if entry[2] & 1 != 0 {
                break;
            }
        }
        let (stack, payload) = bytes.split_at_checked(len)?;
        Some(Self { stack, payload })
    }

    /// Number of label stack entries (at least 1).
    pub fn depth(&self) -> usize {
        self.stack.len() / 4
    }

    /// The `i`-th entry's label (20 bits), outermost first.
    pub fn label(&self, i: usize) -> Option<u32> {
        let e = super::array::<4>(self.stack, i.checked_mul(4)?)?;
        Some(u32::from_be_bytes(e) >> 12)
    }

    /// The bottom entry's label.
    pub fn bottom_label(&self) -> u32 {
        self.label(self.depth().saturating_sub(1)).unwrap_or(0)
    }

    /// The label stack's bytes.
    pub fn stack(&self) -> &'a [u8] {
        self.stack
    }

    /// What the stack carries.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
}

/// An IEEE 802.2 LLC header (DSAP, SSAP, a 1-byte U-format or 2-byte I-
/// or S-format control field) and, when both SAPs are 0xAA, the SNAP
/// header after it (a 3-byte OUI and a 2-byte protocol ID): what an
/// 802.3 frame (a type/length field of 1 to 1500) carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LlcSlice<'a> {
    header: &'a [u8],
    payload: &'a [u8],
}

impl<'a> LlcSlice<'a> {
    /// The SAP of SNAP.
    const SNAP_SAP: u8 = 0xaa;

    /// The view of `bytes`, or `None` if they end inside the LLC header
    /// or, for SNAP, the SNAP header.
    pub fn from_slice(bytes: &'a [u8]) -> Option<Self> {
        let (&[dsap, ssap, control], _) = split::<3>(bytes)?;
        let control_len = if control & 3 == 3 { 1 } else { 2 };
        let snap = if dsap == Self::SNAP_SAP && ssap == Self::SNAP_SAP { 5 } else { 0 };
        let (header, payload) = bytes.split_at_checked(2 + control_len + snap)?;
        Some(Self { header, payload })
    }

    /// Destination service access point.
    pub fn dsap(&self) -> u8 {
        self.header.first().copied().unwrap_or(0)
    }

    /// Source service access point.
    pub fn ssap(&self) -> u8 {
        self.header.get(1).copied().unwrap_or(0)
    }

    /// The control field (its first byte in the 2-byte formats).
    pub fn control(&self) -> u8 {
        self.header.get(2).copied().unwrap_or(0)
    }

    /// Whether the frame carries information (an I-format frame, or a
    /// UI frame, control 0x03): only then does Wireshark decode a SNAP
    /// EtherType's payload.
    pub fn is_information(&self) -> bool {
        self.control() & 1 == 0 || self.control() == 0x03
    }

    /// The SNAP OUI and protocol ID, if the header has SNAP.
    pub fn snap(&self) -> Option<([u8; 3], u16)> {
        let at = self.header.len().checked_sub(5)?;
        if at < 3 {
            return None;
        }
        let [a, b, c, p, q] = super::array::<5>(self.header, at)?;
        Some(([a, b, c], u16::from_be_bytes([p, q])))
    }

    /// Header length in bytes (LLC and SNAP).
    pub fn header_len(&self) -> usize {
        self.header.len()
    }

    /// What the header carries.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
}

/// A Geneve header (RFC 8926, UDP port 6081): 8 bytes and the options
/// its option length gives, and the packet it carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GeneveSlice<'a> {
    fixed: &'a [u8; 8],
    options: &'a [u8],
    payload: &'a [u8],
}

impl<'a> GeneveSlice<'a> {
    /// The view of `bytes`, or `None` if they end inside the header or its
    /// options (the version is not checked, as Wireshark 4.0 does not).
    pub fn from_slice(bytes: &'a [u8]) -> Option<Self> {
        let (fixed, rest) = split::<8>(bytes)?;
        let (options, payload) = rest.split_at_checked(usize::from(fixed[0] & 0x3f) * 4)?;
        Some(Self { fixed, options, payload })
    }

    /// Version (2 bits).
    pub fn version(&self) -> u8 {
        self.fixed[0] >> 6
    }

    /// The protocol type of the payload (an EtherType; 0x6558 Ethernet).
    pub fn protocol_type(&self) -> u16 {
        u16::from_be_bytes([self.fixed[2], self.fixed[3]])
    }

    /// The virtual network identifier (24 bits).
    pub fn vni(&self) -> u32 {
        let f = self.fixed;
        u32::from_be_bytes([0, f[4], f[5], f[6]])
    }

    /// The options (option length × 4 bytes).
    pub fn options(&self) -> &'a [u8] {
        self.options
    }

    /// Header length in bytes, options included.
    pub fn header_len(&self) -> usize {
        8 + self.options.len()
    }

    /// The packet carried.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
}
