//! `Packet<'a>`: one parsed packet, borrowing every variable field from the input.

use super::error::{Error, ErrorKind};
use super::extension::Extensions;
use super::flags::PacketFlags;

/// A packet whose framing is intact, as handed out by the parsers.
///
/// The identifiers, the extension area and the payload are slices of the
/// input: nothing is copied, and the borrow checker keeps the input alive for
/// as long as the packet is used. A `Packet` is `Copy` (104 bytes on 64-bit
/// targets).
///
/// A packet may still carry the two errors that keep framing: a malformed
/// extension area and a checksum mismatch. [`errors`](Self::errors) lists
/// them; [`is_valid`](Self::is_valid) says there are none.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Packet<'a> {
    /// Byte offset of the packet's first byte from the start of the input.
    pub offset: u64,
    /// VERSION (always 1 for a parsed packet).
    pub version: u8,
    /// FLAGS, reserved bits included.
    pub flags: PacketFlags,
    /// HEADER_LEN: bytes from the packet's first byte to its payload.
    pub header_len: u16,
    /// PAYLOAD_LEN.
    pub payload_len: u32,
    /// CHECKSUM as stored (CRC-32 of the payload).
    pub checksum: u32,
    /// TIMESTAMP: microseconds since the Unix epoch (UTC).
    pub timestamp: u64,
    /// SOURCE_ID, without its terminator.
    pub source_id: &'a str,
    /// DEST_ID, without its terminator.
    pub dest_id: &'a str,
    /// The payload bytes.
    pub payload: &'a [u8],
    // The private fields are kept small: programs that collect millions of
    // packets pay for every byte (a slice is 16 bytes, an `Option<u32>` 8).
    pub(crate) bytes: &'a [u8],
    /// Where the extension area starts in `bytes`; it ends at `header_len`.
    pub(crate) extension_start: u16,
    /// Position in the extension area of the first record that does not fit.
    pub(crate) malformed_extension_at: Option<u16>,
    /// The payload's CRC-32 as computed, valid when `checksum_verified`.
    pub(crate) computed_checksum: u32,
    pub(crate) checksum_verified: bool,
}

impl<'a> Packet<'a> {
    /// The packet's size in bytes: `HEADER_LEN + PAYLOAD_LEN`.
    #[inline]
    pub const fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Always false: a packet has at least a 26-byte header.
    #[inline]
    pub const fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The offset of the first byte after the packet.
    #[inline]
    pub const fn end_offset(&self) -> u64 {
        self.offset + self.bytes.len() as u64
    }

    /// The packet's original bytes, header and payload, exactly as read.
    #[inline]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The raw extension area (between DEST_ID's terminator and the payload).
    #[inline]
    pub const fn extension_area(&self) -> &'a [u8] {
        // Both ends lie in `bytes` for a parsed packet; `split_at_checked`
        // (rather than indexing) keeps this a `const fn` that cannot panic
        // even if the public `header_len` was changed.
        let Some((header, _)) = self.bytes.split_at_checked(self.header_len as usize) else {
            return &[];
        };
        match header.split_at_checked(self.extension_start as usize) {
            Some((_, area)) => area,
            None => &[],
        }
    }

    /// The extension records, decoded lazily. On a malformed area the
    /// iterator stops before the first record that does not fit.
    #[inline]
    pub const fn extensions(&self) -> Extensions<'a> {
        Extensions::new(self.extension_area())
    }

    /// Absolute offset of the first extension record that does not fit, if
    /// the extension area is malformed.
    pub fn malformed_extension_offset(&self) -> Option<u64> {
        let area_start = self.offset + u64::from(self.extension_start);
        self.malformed_extension_at.map(|at| area_start + u64::from(at))
    }

    /// CRC-32 of the payload as computed by the parser, or `None` when
    /// checksum verification was switched off.
    #[inline]
    pub const fn computed_checksum(&self) -> Option<u32> {
        if self.checksum_verified {
            Some(self.computed_checksum)
        } else {
            None
        }
    }

    /// Whether the payload's CRC-32 equals CHECKSUM; `None` when not verified.
    #[inline]
    pub fn checksum_ok(&self) -> Option<bool> {
        self.computed_checksum().map(|crc| crc == self.checksum)
    }

    /// True when the packet has no error at all (of the checks that ran).
    #[inline]
    pub fn is_valid(&self) -> bool {
        self.malformed_extension_at.is_none() && self.checksum_ok() != Some(false)
    }

    /// The framing-kept errors of this packet, in the order `dump --json`
    /// prints them: MalformedExtension, then ChecksumMismatch.
    pub fn errors(&self) -> PacketErrors {
        let malformed = self.malformed_extension_offset().map(|record_offset| {
            Error::new(self.offset, ErrorKind::MalformedExtension { record_offset })
        });
        let mismatch = match self.computed_checksum() {
            Some(computed) if computed != self.checksum => Some(Error::new(
                self.offset,
                ErrorKind::ChecksumMismatch { stored: self.checksum, computed },
            )),
            _ => None,
        };
        PacketErrors { pending: [malformed, mismatch], next: 0 }
    }
}

/// Prints the fields as they read through the API (the extension area as a
/// slice, the computed checksum as an `Option`), not their packed storage.
impl core::fmt::Debug for Packet<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Packet")
            .field("offset", &self.offset)
            .field("version", &self.version)
            .field("flags", &self.flags)
            .field("header_len", &self.header_len)
            .field("payload_len", &self.payload_len)
            .field("checksum", &self.checksum)
            .field("timestamp", &self.timestamp)
            .field("source_id", &self.source_id)
            .field("dest_id", &self.dest_id)
            .field("payload", &self.payload)
            .field("bytes", &self.bytes)
            .field("extension_area", &self.extension_area())
            .field("malformed_extension_at", &self.malformed_extension_at)
            .field("computed_checksum", &self.computed_checksum())
            .finish()
    }
}

/// The (at most two) framing-kept errors of a packet; see [`Packet::errors`].
#[derive(Clone, Copy, Debug)]
pub struct PacketErrors {
    pending: [Option<Error>; 2],
    next: usize,
}

impl Iterator for PacketErrors {
    type Item = Error;

    fn next(&mut self) -> Option<Error> {
        while let Some(slot) = self.pending.get(self.next) {
            self.next += 1;
            if slot.is_some() {
                return *slot;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    /// Collecting millions of packets pays for every byte of `Packet`: keep
    /// it from growing back by accident (it was 120 bytes).
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn packet_stays_104_bytes() {
        assert_eq!(core::mem::size_of::<super::Packet<'_>>(), 104);
    }
}
