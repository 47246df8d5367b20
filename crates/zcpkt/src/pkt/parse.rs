//! Framing, validation and hand-out of one packet from a slice: the hot path.
//!
//! [`Parser::parse_packet`] is the one function every reader of this crate
//! calls, whatever the source (slice, mmap, stream buffer, parallel chunk).
//! It reads the fixed header once, byte-wise (packets are unaligned), finds
//! the identifier terminators with `memchr`, and checks the extension area
//! and the CRC only after the framing is known to hold.

use super::error::{Error, ErrorKind, IdField};
use super::extension;
use super::flags::PacketFlags;
use super::format::{field, FIXED_HEADER_LEN, MAGIC, MIN_HEADER_LEN, VERSION};
use super::packet::Packet;

/// Payloads larger than this are hashed in pieces by
/// [`Parser::parse_packet_hashing`], which reports its progress after each:
/// pieces of this size, ending on multiples of it in absolute offsets (the
/// first may be shorter). Smaller payloads (every ordinary packet) are
/// hashed in one call.
pub const HASH_PIECE: usize = 1 << 20;

/// Hears how far the checksum of a large payload has got, during
/// [`Parser::parse_packet_hashing`] (and the `*_hashing` methods of the
/// iterators built on it), e.g. to release the memory behind it.
///
/// `()` hears nothing and turns the piecewise hashing off.
pub trait HashProgress {
    /// Whether to hash payloads larger than [`HASH_PIECE`] in pieces and
    /// call [`hashed`](Self::hashed); `false` only for `()`.
    const PIECES: bool = true;

    /// The payload that starts at absolute offset `payload_start` has been
    /// hashed up to (not including) absolute offset `hashed_to`: the parse
    /// reads none of `payload_start..hashed_to` again. (The packet it hands
    /// out still points there: bytes given back to the system must read
    /// back the same, as the pages of a read-only file map do.)
    fn hashed(&mut self, payload_start: u64, hashed_to: u64);
}

impl HashProgress for () {
    const PIECES: bool = false;

    #[inline(always)]
    fn hashed(&mut self, _: u64, _: u64) {}
}

/// How packets are checked. `Parser::default()` verifies checksums and sets
/// no maximum packet size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parser {
    verify_checksum: bool,
    max_packet_size: Option<u64>,
}

impl Default for Parser {
    fn default() -> Self {
        Self::new()
    }
}

/// The checked framing fields of a fixed header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixedHeader {
    /// FLAGS.
    pub flags: PacketFlags,
    /// HEADER_LEN, at least 26.
    pub header_len: u16,
    /// PAYLOAD_LEN.
    pub payload_len: u32,
    /// CHECKSUM.
    pub checksum: u32,
    /// TIMESTAMP.
    pub timestamp: u64,
}

impl FixedHeader {
    /// `HEADER_LEN + PAYLOAD_LEN`: the packet's size in bytes.
    #[inline]
    pub const fn packet_len(&self) -> u64 {
        self.header_len as u64 + self.payload_len as u64
    }

    /// Reads and checks the fixed header of the packet at the start of
    /// `input` (at absolute `offset`), in the spec's order: Truncated (under
    /// 24 bytes), BadMagic, UnsupportedVersion, BadHeaderLen.
    #[inline]
    pub fn read(input: &[u8], offset: u64) -> Result<Self, Error> {
        let Some(head) = input.first_chunk::<FIXED_HEADER_LEN>() else {
            let available = input.len() as u64;
            return Err(Error::new(offset, ErrorKind::Truncated { available }));
        };
        if head[..4] != MAGIC {
            return Err(Error::new(offset, ErrorKind::BadMagic));
        }
        let version = head[field::VERSION];
        if version != VERSION {
            return Err(Error::new(offset, ErrorKind::UnsupportedVersion { version }));
        }
        let header_len = u16::from_le_bytes([head[field::HEADER_LEN], head[field::HEADER_LEN + 1]]);
        if header_len < MIN_HEADER_LEN {
            return Err(Error::new(offset, ErrorKind::BadHeaderLen { header_len }));
        }
        Ok(Self {
            flags: PacketFlags::from_bits_retain(head[field::FLAGS]),
            header_len,
            payload_len: u32::from_le_bytes(le_bytes(head, field::PAYLOAD_LEN)),
            checksum: u32::from_le_bytes(le_bytes(head, field::CHECKSUM)),
            timestamp: u64::from_le_bytes(le_bytes(head, field::TIMESTAMP)),
        })
    }
}

/// `N` bytes of the fixed header from `at`; `at + N <= 24` at every call site,
/// so the compiler drops the bounds check.
#[inline(always)]
fn le_bytes<const N: usize>(head: &[u8; FIXED_HEADER_LEN], at: usize) -> [u8; N] {
    let mut out = [0; N];
    out.copy_from_slice(&head[at..at + N]);
    out
}

impl Parser {
    /// A parser that verifies checksums and accepts packets of any size.
    pub const fn new() -> Self {
        Self { verify_checksum: true, max_packet_size: None }
    }

    /// Whether to compute each payload's CRC-32 and report mismatches
    /// (default `true`). Off, [`Packet::checksum_ok`] is `None`.
    pub const fn verify_checksum(mut self, verify: bool) -> Self {
        self.verify_checksum = verify;
        self
    }

    /// The largest packet (`HEADER_LEN + PAYLOAD_LEN`) to accept; a larger
    /// one is a `TooLarge` error that keeps framing. Default: no limit.
    pub const fn max_packet_size(mut self, limit: Option<u64>) -> Self {
        self.max_packet_size = limit;
        self
    }

    /// Whether checksums are verified.
    pub const fn verifies_checksum(&self) -> bool {
        self.verify_checksum
    }

    /// The configured maximum packet size, if any.
    pub const fn packet_size_limit(&self) -> Option<u64> {
        self.max_packet_size
    }

    /// The `TooLarge` error for a packet of `size` bytes at `offset`, if it
    /// is over the limit.
    #[inline]
    pub fn check_size(&self, size: u64, offset: u64) -> Result<(), Error> {
        match self.max_packet_size {
            Some(limit) if size > limit => {
                Err(Error::new(offset, ErrorKind::TooLarge { size, limit }))
            }
            _ => Ok(()),
        }
    }

    /// Frames, validates and hands out the packet at the start of `input`,
    /// whose first byte is at absolute `offset` in the whole input.
    ///
    /// `Err` is an error that replaces the packet: one that loses framing
    /// (resume by re-synchronising) or `TooLarge` (resume at
    /// `offset + size`). `Ok` is a framed packet, which may still carry a
    /// malformed extension area or a checksum mismatch ([`Packet::errors`]).
    ///
    /// `Truncated` means `input` ended first; a streaming caller that can
    /// read more retries with more bytes.
    #[inline]
    pub fn parse_packet<'a>(&self, input: &'a [u8], offset: u64) -> Result<Packet<'a>, Error> {
        self.parse_packet_hashing(input, offset, &mut ())
    }

    /// [`parse_packet`](Self::parse_packet), hashing a payload larger than
    /// [`HASH_PIECE`] one piece at a time and telling `progress` after each
    /// piece how far it got (see [`HashProgress`]): for a reader that gives
    /// back the memory behind a huge packet while it is being checked. The
    /// result is the same; with `()` this is exactly `parse_packet`.
    #[inline]
    pub fn parse_packet_hashing<'a, H: HashProgress + ?Sized>(
        &self,
        input: &'a [u8],
        offset: u64,
        progress: &mut H,
    ) -> Result<Packet<'a>, Error> {
        let fixed = FixedHeader::read(input, offset)?;
        let size = fixed.packet_len();
        let available = input.len() as u64;
        if size > available {
            return Err(Error::new(offset, ErrorKind::Truncated { available }));
        }
        self.check_size(size, offset)?;
        // size <= input.len(), so both conversions and splits are in range.
        let (bytes, _) = input.split_at(size as usize);
        let (header, payload) = bytes.split_at(usize::from(fixed.header_len));
        let ids = &header[FIXED_HEADER_LEN..];
        let (source_id, dest_id, extension_area) = split_ids(ids, offset)?;

        let malformed_extension_at = if extension_area.is_empty() {
            None
        } else {
            // The area lies inside a header of at most 65535 bytes.
            extension::validate(extension_area).err().map(|at| at as u16)
        };
        // Two plain fields rather than an `Option<u32>`: 4 bytes less per packet.
        // `H::PIECES` is a constant: for `()` the test and the cold call
        // compile away, leaving the one `crc32fast::hash` call.
        let computed_checksum = if !self.verify_checksum {
            0
        } else if H::PIECES && payload.len() > HASH_PIECE {
            let payload_offset = offset.saturating_add(u64::from(fixed.header_len));
            hash_in_pieces(payload, payload_offset, progress)
        } else {
            crc32fast::hash(payload)
        };
        Ok(Packet {
            offset,
            version: VERSION,
            flags: fixed.flags,
            header_len: fixed.header_len,
            payload_len: fixed.payload_len,
            checksum: fixed.checksum,
            timestamp: fixed.timestamp,
            source_id,
            dest_id,
            payload,
            bytes,
            // At most HEADER_LEN, a u16.
            extension_start: (usize::from(fixed.header_len) - extension_area.len()) as u16,
            malformed_extension_at,
            computed_checksum,
            checksum_verified: self.verify_checksum,
        })
    }
}

/// The CRC-32 of `payload` (whose first byte is at absolute `payload_offset`),
/// [`HASH_PIECE`] bytes at a time, telling `progress` after each piece.
#[cold]
#[inline(never)]
fn hash_in_pieces<H: HashProgress + ?Sized>(
    payload: &[u8],
    payload_offset: u64,
    progress: &mut H,
) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    let mut hashed_to = payload_offset;
    // The pieces end on multiples of HASH_PIECE in absolute offsets (the
    // first may be shorter), so that a map's whole blocks are done with,
    // and can be released, before the next one is read.
    let misalign = (payload_offset % HASH_PIECE as u64) as usize;
    let (first, rest) = payload.split_at((HASH_PIECE - misalign).min(payload.len()));
    for piece in core::iter::once(first).chain(rest.chunks(HASH_PIECE)) {
        hasher.update(piece);
        // A piece is at most 1 MiB: the conversion is exact.
        hashed_to = hashed_to.saturating_add(piece.len() as u64);
        progress.hashed(payload_offset, hashed_to);
    }
    hasher.finalize()
}

/// Splits SOURCE_ID and DEST_ID off `ids` (the header after its fixed
/// part, in the packet at `offset`); returns them and the extension area.
///
/// The fast path finds both terminators, then validates `SOURCE\0DEST` with
/// one UTF-8 check: 00 is a one-byte character, so the pair is valid exactly
/// when both identifiers are, and on short ids one call costs much less than
/// two. Anything wrong is left to [`split_id`], field by field, which reports
/// the error the spec's order asks for.
#[inline]
fn split_ids(ids: &[u8], offset: u64) -> Result<(&str, &str, &[u8]), Error> {
    if let Some((source_len, dest_end)) = find_terminators(ids) {
        if let (Ok(both), Some(extension_area)) =
            (core::str::from_utf8(&ids[..dest_end]), ids.get(dest_end + 1..))
        {
            // `both[source_len]` is the 00, a character boundary.
            let (source_id, dest_id) = both.split_at(source_len);
            return Ok((source_id, dest_id.get(1..).unwrap_or_default(), extension_area));
        }
    }
    let (source_id, after_source) = split_id(ids, offset, FIXED_HEADER_LEN, IdField::Source)?;
    let dest_start = FIXED_HEADER_LEN + source_id.len() + 1;
    let (dest_id, extension_area) = split_id(after_source, offset, dest_start, IdField::Dest)?;
    Ok((source_id, dest_id, extension_area))
}

/// The positions of the first two 00 bytes of `ids`: the terminators of
/// SOURCE_ID and DEST_ID, if both are there. The search never looks past the
/// header (`ids` ends at HEADER_LEN).
///
/// Identifiers are a few to a few dozen bytes: memchr's word-at-a-time
/// searcher costs fewer instructions there than its AVX2 one, which scans
/// inputs under 32 bytes byte by byte (callgrind, `hotpath small`: 389
/// instead of 403 instructions per packet without CRC).
#[inline]
fn find_terminators(ids: &[u8]) -> Option<(usize, usize)> {
    let nul = memchr::arch::all::memchr::One::new(0);
    let first = nul.find(ids)?;
    let second = first + 1 + nul.find(ids.get(first + 1..)?)?;
    Some((first, second))
}

/// Splits a 00-terminated UTF-8 identifier off `rest`, which starts `start`
/// bytes into the packet at `offset`; returns it and what follows its 00.
#[inline]
fn split_id(
    rest: &[u8],
    offset: u64,
    start: usize,
    field: IdField,
) -> Result<(&str, &[u8]), Error> {
    let field_offset = offset + start as u64;
    let Some(nul) = memchr::memchr(0, rest) else {
        return Err(Error::new(offset, ErrorKind::UnterminatedId { field, field_offset }));
    };
    let (text, after) = rest.split_at(nul);
    let id = core::str::from_utf8(text)
        .map_err(|_| Error::new(offset, ErrorKind::InvalidUtf8 { field, field_offset }))?;
    Ok((id, after.get(1..).unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::{find_terminators, HashProgress, Parser, HASH_PIECE};
    use crate::pkt::NewPacket;

    /// Records every report.
    struct Reports(Vec<(u64, u64)>);

    impl HashProgress for Reports {
        fn hashed(&mut self, payload_start: u64, hashed_to: u64) {
            self.0.push((payload_start, hashed_to));
        }
    }

    #[test]
    fn a_payload_over_the_piece_is_hashed_in_pieces_with_the_same_result() {
        let base = 1_000_003u64;
        for size in [0, 1, HASH_PIECE - 1, HASH_PIECE, HASH_PIECE + 1, 3 * HASH_PIECE + 5] {
            for wrong in [false, true] {
                let payload: Vec<u8> = (0..size).map(|i| (i * 7 + i / 251) as u8).collect();
                let mut bytes = Vec::new();
                NewPacket::new("src", "dst", &payload).write_to(&mut bytes).unwrap();
                if wrong && size > 0 {
                    let last = bytes.len() - 1;
                    bytes[last] ^= 1;
                }
                for parser in [Parser::new(), Parser::new().verify_checksum(false)] {
                    let mut reports = Reports(Vec::new());
                    let pieced = parser.parse_packet_hashing(&bytes, base, &mut reports);
                    assert_eq!(pieced, parser.parse_packet(&bytes, base), "{size}");
                    let packet = pieced.unwrap();
                    assert_eq!(
                        packet.checksum_ok(),
                        parser.verifies_checksum().then_some(!wrong || size == 0)
                    );
                    // One report per piece, from the payload's start to its
                    // end, at each multiple of the piece between.
                    let start = base + u64::from(packet.header_len);
                    let end = start + size as u64;
                    let piece = HASH_PIECE as u64;
                    let expected: Vec<(u64, u64)> =
                        if parser.verifies_checksum() && size > HASH_PIECE {
                            (start / piece + 1..=end.div_ceil(piece))
                                .map(|k| (start, (k * piece).min(end)))
                                .collect()
                        } else {
                            Vec::new()
                        };
                    assert_eq!(reports.0, expected, "{size}");
                }
            }
        }
    }

    /// The first two 00 bytes, found the obvious way.
    fn reference(ids: &[u8]) -> Option<(usize, usize)> {
        let mut nuls = ids.iter().enumerate().filter(|(_, &b)| b == 0).map(|(i, _)| i);
        Some((nuls.next()?, nuls.next()?))
    }

    #[test]
    fn find_terminators_agrees_with_a_byte_loop() {
        // Every length around the word size and the register-scan limit,
        // every place for the two 00s (or none, or one), and filler bytes
        // that stress the bit trick (01, 7f, 80, ff are its edge cases).
        for len in 0..=80 {
            for filler in [0x01, 0x7f, 0x80, 0xff, b'a'] {
                for first in 0..=len {
                    for second in first..=len {
                        let mut ids = vec![filler; len];
                        if first < len {
                            ids[first] = 0;
                        }
                        if second < len {
                            ids[second] = 0;
                        }
                        assert_eq!(find_terminators(&ids), reference(&ids), "{ids:?}");
                    }
                }
            }
        }
    }
}
