//! The framing every pcapng block shares: type, total length, body, the
//! total length again.

use super::{BYTE_ORDER_MAGIC, SHB_TYPE_BYTES};
use crate::capture::{bytes_at, ByteOrder, CaptureError, CaptureErrorKind};

/// Block type codes (draft-ietf-opsawg-pcapng §10.1).
pub mod block_type {
    /// Section Header Block.
    pub const SECTION_HEADER: u32 = 0x0a0d_0d0a;
    /// Interface Description Block.
    pub const INTERFACE_DESCRIPTION: u32 = 1;
    /// Packet Block (obsolete, still read).
    pub const PACKET: u32 = 2;
    /// Simple Packet Block.
    pub const SIMPLE_PACKET: u32 = 3;
    /// Name Resolution Block.
    pub const NAME_RESOLUTION: u32 = 4;
    /// Interface Statistics Block.
    pub const INTERFACE_STATISTICS: u32 = 5;
    /// Enhanced Packet Block.
    pub const ENHANCED_PACKET: u32 = 6;
    /// Decryption Secrets Block.
    pub const DECRYPTION_SECRETS: u32 = 0x0a;
    /// Custom Block that may be copied.
    pub const CUSTOM: u32 = 0x0000_0bad;
    /// Custom Block that must not be copied.
    pub const CUSTOM_NO_COPY: u32 = 0x4000_0bad;
}

/// Bytes every block has besides its body: type, and the total length twice.
pub const BLOCK_OVERHEAD: u32 = 12;

/// The smallest Block Total Length of each block type this crate reads: the
/// overhead plus the fixed fields.
pub(crate) const fn minimum_len(block_type: u32) -> u32 {
    BLOCK_OVERHEAD
        + match block_type {
            block_type::SECTION_HEADER => 16,
            block_type::INTERFACE_DESCRIPTION => 8,
            block_type::PACKET | block_type::ENHANCED_PACKET => 20,
            block_type::SIMPLE_PACKET => 4,
            block_type::NAME_RESOLUTION => 4,
            block_type::INTERFACE_STATISTICS => 12,
            block_type::CUSTOM | block_type::CUSTOM_NO_COPY => 4,
            block_type::DECRYPTION_SECRETS => 8,
            _ => 0,
        }
}

/// One framed block: its type and body, borrowed from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RawBlock<'a> {
    /// Byte offset of the block from the start of the input.
    pub offset: u64,
    /// The Block Type.
    pub block_type: u32,
    /// The byte order of the block's section.
    pub byte_order: ByteOrder,
    /// Everything between the leading and the trailing Block Total Length.
    pub body: &'a [u8],
}

impl<'a> RawBlock<'a> {
    /// The Block Total Length: the body plus 12.
    pub const fn total_len(&self) -> usize {
        self.body.len() + BLOCK_OVERHEAD as usize
    }

    /// Frames the block at the start of `input` (absolute `offset`).
    ///
    /// `order` is the current section's byte order, `None` before the first
    /// section. A Section Header Block brings its own order (read from its
    /// byte-order magic); any other block before the first section is
    /// `BadMagic`. Checks, in order: the 8 (SHB: 12) bytes that say the
    /// type, order and length (`Truncated`), `BadMagic`, a length that is a
    /// multiple of 4 (`UnalignedBlockLength`) and at least the type's fixed
    /// part (`BlockTooShort`), at most `max_block_size` (`RecordTooLarge`),
    /// present in full (`Truncated`), and the trailing length equal to the
    /// leading one (`BlockLengthMismatch`).
    #[inline]
    pub fn read(
        input: &'a [u8],
        offset: u64,
        order: Option<ByteOrder>,
        max_block_size: u32,
    ) -> Result<Self, CaptureError> {
        let truncated = |needed: u64| CaptureError::truncated(offset, input.len(), needed);
        let Some(type_bytes) = input.first_chunk::<4>() else {
            return Err(truncated(if order.is_some() { 8 } else { 12 }));
        };
        let order = if *type_bytes == SHB_TYPE_BYTES {
            let Some(head) = input.first_chunk::<12>() else {
                return Err(truncated(12));
            };
            let magic: [u8; 4] = bytes_at(head, 8);
            match ByteOrder::Little.u32(magic) {
                BYTE_ORDER_MAGIC => ByteOrder::Little,
                _ if ByteOrder::Big.u32(magic) == BYTE_ORDER_MAGIC => ByteOrder::Big,
                _ => {
                    let found = u32::from_be_bytes(magic);
                    return Err(CaptureError::new(offset, CaptureErrorKind::BadMagic { found }));
                }
            }
        } else if let Some(order) = order {
            order
        } else {
            let found = u32::from_be_bytes(*type_bytes);
            return Err(CaptureError::new(offset, CaptureErrorKind::BadMagic { found }));
        };
        let Some(head) = input.first_chunk::<8>() else {
            return Err(truncated(8));
        };
        let block_type = order.u32(bytes_at(head, 0));
        let length = order.u32(bytes_at(head, 4));
        if length % 4 != 0 {
            return Err(CaptureError::new(
                offset,
                CaptureErrorKind::UnalignedBlockLength { length },
            ));
        }
        let minimum = minimum_len(block_type);
        if length < minimum {
            return Err(CaptureError::new(
                offset,
                CaptureErrorKind::BlockTooShort { length, minimum },
            ));
        }
        if length > max_block_size {
            return Err(CaptureError::new(
                offset,
                CaptureErrorKind::RecordTooLarge {
                    size: u64::from(length),
                    limit: u64::from(max_block_size),
                },
            ));
        }
        // Compared in u64: a 32-bit usize may be smaller than the length.
        if u64::from(length) > input.len() as u64 {
            return Err(truncated(u64::from(length)));
        }
        // 12 <= length <= input.len(), so the splits are in range.
        let length_usize = length as usize;
        let block = &input[..length_usize];
        let (rest, trailer) = block.split_at(length_usize - 4);
        let trailing = order.u32([trailer[0], trailer[1], trailer[2], trailer[3]]);
        if trailing != length {
            return Err(CaptureError::new(
                offset,
                CaptureErrorKind::BlockLengthMismatch { leading: length, trailing },
            ));
        }
        Ok(Self { offset, block_type, byte_order: order, body: &rest[8..] })
    }
}
