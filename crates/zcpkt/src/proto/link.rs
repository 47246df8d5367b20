//! Link-layer views: Ethernet II, 802.1Q/802.1ad tags, Linux SLL and SLL2,
//! BSD null/loopback.

use super::{be16, split};

/// An Ethernet II header (14 bytes) and what follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EthernetSlice<'a> {
    header: &'a [u8; 14],
    payload: &'a [u8],
}

impl<'a> EthernetSlice<'a> {
    /// Header length in bytes.
    pub const LEN: usize = 14;

    /// The view of `bytes`, or `None` if they hold less than a whole header.
    pub fn from_slice(bytes: &'a [u8]) -> Option<Self> {
        let (header, payload) = split::<14>(bytes)?;
        Some(Self { header, payload })
    }

    /// Destination MAC address.
    pub fn destination(&self) -> [u8; 6] {
        let h = self.header;
        [h[0], h[1], h[2], h[3], h[4], h[5]]
    }

    /// Source MAC address.
    pub fn source(&self) -> [u8; 6] {
        let h = self.header;
        [h[6], h[7], h[8], h[9], h[10], h[11]]
    }

    /// The type/length field: an EtherType (or TPID) when >= 0x0600, an
    /// 802.3 length otherwise.
    pub fn ether_type(&self) -> u16 {
        u16::from_be_bytes([self.header[12], self.header[13]])
    }

    /// The header's 14 bytes.
    pub fn header(&self) -> &'a [u8; 14] {
        self.header
    }

    /// The bytes after the header.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
}

/// A VLAN tag's last 4 bytes (TCI and inner EtherType); the TPID that
/// introduced it is the previous header's type field, kept in
/// [`tpid`](Self::tpid).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VlanSlice<'a> {
    tpid: u16,
    header: &'a [u8; 4],
    payload: &'a [u8],
}

impl<'a> VlanSlice<'a> {
    /// Bytes after the TPID: TCI (2) and EtherType (2).
    pub const LEN: usize = 4;

    /// The view of `bytes` (starting at the TCI) for a tag introduced by
    /// `tpid`, or `None` if they hold less than 4 bytes.
    pub fn from_slice(tpid: u16, bytes: &'a [u8]) -> Option<Self> {
        let (header, payload) = split::<4>(bytes)?;
        Some(Self { tpid, header, payload })
    }

    /// The TPID this tag was introduced by (0x8100, 0x88a8 or 0x9100).
    pub fn tpid(&self) -> u16 {
        self.tpid
    }

    /// Whether Wireshark decodes this tag as an 802.1Q `vlan` (0x8100 and
    /// the pre-standard 0x9100) rather than an 802.1ad `ieee8021ad` S-tag.
    pub fn is_8021q(&self) -> bool {
        self.tpid != super::ether_type::QINQ
    }

    /// The whole Tag Control Information.
    pub fn tci(&self) -> u16 {
        u16::from_be_bytes([self.header[0], self.header[1]])
    }

    /// Priority code point (3 bits).
    pub fn priority(&self) -> u8 {
        self.header[0] >> 5
    }

    /// Drop eligible indicator (formerly CFI).
    pub fn drop_eligible(&self) -> bool {
        self.header[0] & 0x10 != 0
    }

    /// VLAN identifier (12 bits).
    pub fn vlan_id(&self) -> u16 {
        self.tci() & 0x0fff
    }

    /// The EtherType (or next TPID) of what follows the tag.
    pub fn ether_type(&self) -> u16 {
        u16::from_be_bytes([self.header[2], self.header[3]])
    }

    /// The bytes after the tag.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
}

/// A Linux cooked capture v1 header (16 bytes, link type 113).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SllSlice<'a> {
    header: &'a [u8; 16],
    payload: &'a [u8],
}

impl<'a> SllSlice<'a> {
    /// Header length in bytes.
    pub const LEN: usize = 16;

    /// The view of `bytes`, or `None` if they hold less than a whole header.
    pub fn from_slice(bytes: &'a [u8]) -> Option<Self> {
        let (header, payload) = split::<16>(bytes)?;
        Some(Self { header, payload })
    }

    /// Packet type (0 to us, 1 broadcast, 2 multicast, 3 other host, 4 outgoing).
    pub fn packet_type(&self) -> u16 {
        u16::from_be_bytes([self.header[0], self.header[1]])
    }

    /// ARPHRD_ type of the interface.
    pub fn arphrd_type(&self) -> u16 {
        u16::from_be_bytes([self.header[2], self.header[3]])
    }

    /// Link-layer address length as written (the field holds at most 8).
    pub fn address_len(&self) -> u16 {
        u16::from_be_bytes([self.header[4], self.header[5]])
    }

    /// The 8-byte address field (only `address_len` bytes are meaningful).
    pub fn address_field(&self) -> &'a [u8] {
        &self.header[6..14]
    }

    /// Protocol: an EtherType for most ARPHRD types.
    pub fn protocol(&self) -> u16 {
        u16::from_be_bytes([self.header[14], self.header[15]])
    }

    /// The bytes after the header.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
}

/// A Linux cooked capture v2 header (20 bytes, link type 276).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sll2Slice<'a> {
    header: &'a [u8; 20],
    payload: &'a [u8],
}

impl<'a> Sll2Slice<'a> {
    /// Header length in bytes.
    pub const LEN: usize = 20;

    /// The view of `bytes`, or `None` if they hold less than a whole header.
    pub fn from_slice(bytes: &'a [u8]) -> Option<Self> {
        let (header, payload) = split::<20>(bytes)?;
        Some(Self { header, payload })
    }

    /// Protocol: an EtherType for most ARPHRD types.
    pub fn protocol(&self) -> u16 {
        u16::from_be_bytes([self.header[0], self.header[1]])
    }

    /// Interface index.
    pub fn interface_index(&self) -> u32 {
        let h = self.header;
        u32::from_be_bytes([h[4], h[5], h[6], h[7]])
    }

    /// ARPHRD_ type of the interface.
    pub fn arphrd_type(&self) -> u16 {
        u16::from_be_bytes([self.header[8], self.header[9]])
    }

    /// Packet type.
    pub fn packet_type(&self) -> u8 {
        self.header[10]
    }

    /// Link-layer address length as written.
    pub fn address_len(&self) -> u8 {
        self.header[11]
    }

    /// The 8-byte address field.
    pub fn address_field(&self) -> &'a [u8] {
        &self.header[12..20]
    }

    /// The bytes after the header.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
}

/// What a BSD null/loopback header says follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NullPayload {
    /// An address family (`AF_*` value, as normalised by Wireshark's rules).
    Family(u32),
    /// An EtherType (some systems write one instead of a family).
    EtherType(u16),
    /// PPP in HDLC-like framing (the header starts ff 03): not decoded.
    Ppp,
}

/// A BSD null/loopback header (4 bytes, link type 0): an address family in
/// the byte order of the machine that captured it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NullSlice<'a> {
    header: &'a [u8; 4],
    payload: &'a [u8],
}

impl<'a> NullSlice<'a> {
    /// Header length in bytes.
    pub const LEN: usize = 4;

    /// The view of `bytes`, or `None` if they hold less than 4 bytes.
    pub fn from_slice(bytes: &'a [u8]) -> Option<Self> {
        let (header, payload) = split::<4>(bytes)?;
        Some(Self { header, payload })
    }

    /// The 4 header bytes as written.
    pub fn raw(&self) -> [u8; 4] {
        *self.header
    }

    /// What follows, decided as Wireshark's `packet-null.c` does (read on a
    /// little-endian host, which is what the tshark comparison runs on):
    /// the family is written in the capturing host's order, so a value with
    /// bits in the upper half is taken as byte-swapped; some systems put an
    /// EtherType or a family in one byte of the word, which the two shifts
    /// recover.
    pub fn payload_kind(&self) -> NullPayload {
        let h = self.header;
        if be16(h, 0) == Some(0xff03) {
            return NullPayload::Ppp;
        }
        let mut v = u32::from_le_bytes(*h);
        if v & 0xffff_0000 != 0 {
            if v & 0xff00_0000 == 0 && v & 0x00ff_0000 < 0x0006_0000 {
                v >>= 16;
            } else {
                v = v.swap_bytes();
            }
        } else if v & 0x0000_00ff == 0 && v & 0x0000_ff00 < 0x0000_0600 {
            v >>= 8;
        }
        if v > 1500 {
            // Wireshark hands the EtherType dissector the low 16 bits (a
            // word still wider than that after the rules above is garbage,
            // but its low half is decoded all the same).
            NullPayload::EtherType((v & 0xffff) as u16)
        } else {
            NullPayload::Family(v)
        }
    }

    /// The bytes after the header.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
}
