//! The pcap global header.

use crate::capture::{bytes_at, ByteOrder, CaptureError, CaptureErrorKind, LinkType, Resolution};

/// The magic of a file with microsecond timestamps, as a `u32` in the file's
/// byte order.
pub const MAGIC_MICROS: u32 = 0xa1b2_c3d4;
/// The magic of a file with nanosecond timestamps.
pub const MAGIC_NANOS: u32 = 0xa1b2_3c4d;
/// Bytes of the global header.
pub const HEADER_LEN: usize = 24;
/// Bytes of a record header (timestamp, captured and original length).
pub const RECORD_HEADER_LEN: usize = 16;

/// The LinkType field's `f` bit: the upper four bits hold an FCS length
/// (libpcap `LT_FCS_LENGTH_PRESENT`).
const FCS_PRESENT: u32 = 0x0400_0000;

/// The LinkType field's reserved bits 16–25 (libpcap `LT_RESERVED1`).
const LINK_TYPE_RESERVED: u32 = 0x03ff_0000;

/// A pcap global header, read and checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Header {
    /// The byte order of every multi-byte field in the file.
    pub byte_order: ByteOrder,
    /// Units of the records' fractional timestamp field: µs or ns.
    pub resolution: Resolution,
    /// Major version (always 2 for a header that parsed).
    pub version_major: u16,
    /// Minor version (4 in practice; older minors are read the same way).
    pub version_minor: u16,
    /// `thiszone`: always 0 in practice. Like libpcap and Wireshark, the
    /// readers do not apply it to timestamps.
    pub this_zone: i32,
    /// `sigfigs`: always 0 in practice.
    pub sigfigs: u32,
    /// The snapshot length the capture was taken with.
    pub snaplen: u32,
    /// The LinkType field as stored, FCS bits included.
    pub link_type_field: u32,
}

impl Header {
    /// [`read`](Self::read) of a file whose first byte is at absolute
    /// offset `base` (the error's offset moved there), for the iterators.
    pub(crate) fn read_at(input: &[u8], base: u64) -> Result<Self, CaptureError> {
        Self::read(input).map_err(|mut error| {
            error.offset = error.offset.saturating_add(base);
            error
        })
    }

    /// Reads and checks the global header at the start of `input`, in this
    /// order: Truncated (under 24 bytes; under 4 is Truncated too, as there
    /// is no magic to judge), BadMagic, UnsupportedVersion (major not 2),
    /// ReservedLinkTypeBits (bits 16–25 of the LinkType field set, which
    /// Wireshark refuses; libpcap ignores them).
    ///
    /// libpcap also accepts version 543.0 (DG/UX) and swaps the length
    /// fields of 2.0–2.2 files; those files are too rare to be worth a
    /// branch on the hot path, so 543.0 is unsupported and 2.x files are all
    /// read with the 2.4 record layout.
    pub fn read(input: &[u8]) -> Result<Self, CaptureError> {
        let Some(head) = input.first_chunk::<HEADER_LEN>() else {
            if let Some(magic) = input.first_chunk::<4>() {
                Self::order_and_resolution(*magic)?;
            }
            return Err(CaptureError::truncated(0, input.len(), HEADER_LEN as u64));
        };
        let (byte_order, resolution) = Self::order_and_resolution(bytes_at(head, 0))?;
        let version_major = byte_order.u16(bytes_at(head, 4));
        let version_minor = byte_order.u16(bytes_at(head, 6));
        if version_major != 2 {
            return Err(CaptureError::new(
                0,
                CaptureErrorKind::UnsupportedVersion { major: version_major, minor: version_minor },
            ));
        }
        let link_type_field = byte_order.u32(bytes_at(head, 20));
        if link_type_field & LINK_TYPE_RESERVED != 0 {
            let kind = CaptureErrorKind::ReservedLinkTypeBits { link_type_field };
            return Err(CaptureError::new(0, kind));
        }
        Ok(Self {
            byte_order,
            resolution,
            version_major,
            version_minor,
            this_zone: byte_order.u32(bytes_at(head, 8)) as i32,
            sigfigs: byte_order.u32(bytes_at(head, 12)),
            snaplen: byte_order.u32(bytes_at(head, 16)),
            link_type_field,
        })
    }

    fn order_and_resolution(magic: [u8; 4]) -> Result<(ByteOrder, Resolution), CaptureError> {
        for order in [ByteOrder::Little, ByteOrder::Big] {
            match order.u32(magic) {
                MAGIC_MICROS => return Ok((order, Resolution::MICROS)),
                MAGIC_NANOS => return Ok((order, Resolution::NANOS)),
                _ => {}
            }
        }
        let found = u32::from_be_bytes(magic);
        Err(CaptureError::new(0, CaptureErrorKind::BadMagic { found }))
    }

    /// The link-layer type: the LinkType field's low 16 bits (bits 16–25 are
    /// reserved, 26–31 describe the FCS).
    pub const fn link_type(&self) -> LinkType {
        LinkType(self.link_type_field as u16)
    }

    /// The number of FCS bytes at the end of every frame, when the header
    /// says (the `f` bit set: the top four bits count 16-bit words, libpcap
    /// `LT_FCS_LENGTH`). `None` when the header does not say. Every frame
    /// of the file carries it as [`Frame::fcs_len`](crate::Frame::fcs_len).
    pub const fn fcs_len(&self) -> Option<u8> {
        if self.link_type_field & FCS_PRESENT != 0 {
            Some(((self.link_type_field >> 28) as u8) * 2)
        } else {
            None
        }
    }
}
