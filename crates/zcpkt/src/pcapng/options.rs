//! Options: the (code, length, value, padding) records at the end of a block.

use crate::capture::{ByteOrder, CaptureError, CaptureErrorKind};

/// Option codes this crate names. Codes are per block type, so the same
/// number means different things in different blocks.
pub mod option {
    /// `opt_endofopt`: ends the options (any block).
    pub const END_OF_OPT: u16 = 0;
    /// `opt_comment`: a UTF-8 comment (any block, repeatable).
    pub const COMMENT: u16 = 1;
    /// SHB `shb_hardware`.
    pub const SHB_HARDWARE: u16 = 2;
    /// SHB `shb_os`.
    pub const SHB_OS: u16 = 3;
    /// SHB `shb_userappl`.
    pub const SHB_USERAPPL: u16 = 4;
    /// IDB `if_name`.
    pub const IF_NAME: u16 = 2;
    /// IDB `if_description`.
    pub const IF_DESCRIPTION: u16 = 3;
    /// IDB `if_tsresol`: one byte, 10^-n or (high bit) 2^-n seconds.
    pub const IF_TSRESOL: u16 = 9;
    /// IDB `if_fcslen`.
    pub const IF_FCSLEN: u16 = 13;
    /// IDB `if_tsoffset`: signed seconds added to every timestamp.
    pub const IF_TSOFFSET: u16 = 14;
    /// EPB `epb_flags` (and the obsolete PB's `pack_flags`).
    pub const EPB_FLAGS: u16 = 2;
    /// EPB `epb_hash`.
    pub const EPB_HASH: u16 = 3;
    /// EPB `epb_dropcount`.
    pub const EPB_DROPCOUNT: u16 = 4;
    /// EPB `epb_packetid`.
    pub const EPB_PACKETID: u16 = 5;
    /// EPB `epb_queue`.
    pub const EPB_QUEUE: u16 = 6;
    /// EPB `epb_verdict`.
    pub const EPB_VERDICT: u16 = 7;
    /// IDB `if_filter`: a type byte, then the filter.
    pub const IF_FILTER: u16 = 11;
    /// The custom option codes (any block): copyable UTF-8, copyable
    /// binary, and the same two not to be copied. Each starts with a
    /// 4-byte Private Enterprise Number.
    pub const CUSTOM: [u16; 4] = [2988, 2989, 19372, 19373];
}

/// Bytes of an option's header (code and length).
const OPTION_HEAD_LEN: usize = 4;

/// The validated options of one block: a slice of the input, walked lazily.
///
/// Construction checked that every option's header and value lie inside the
/// block, so iteration cannot fail. The walk ends at `opt_endofopt` or at the
/// end of the area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Options<'a> {
    bytes: &'a [u8],
    order: ByteOrder,
    offset: u64,
}

/// One option: its code and value (padding excluded), borrowed from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BlockOption<'a> {
    /// The option code (meaning depends on the block type).
    pub code: u16,
    /// The value bytes, without padding.
    pub value: &'a [u8],
    /// Byte offset of the option's header from the start of the input.
    pub offset: u64,
    order: ByteOrder,
}

impl<'a> BlockOption<'a> {
    /// The value as a `u32` in the section's byte order, if it is 4 bytes.
    pub fn as_u32(&self) -> Option<u32> {
        Some(self.order.u32(*<&[u8; 4]>::try_from(self.value).ok()?))
    }

    /// The value as a `u64` in the section's byte order, if it is 8 bytes.
    pub fn as_u64(&self) -> Option<u64> {
        Some(self.order.u64(*<&[u8; 8]>::try_from(self.value).ok()?))
    }
}

impl<'a> Options<'a> {
    /// No options (pcap records, Simple Packet Blocks).
    pub const EMPTY: Options<'static> = Options { bytes: &[], order: ByteOrder::Little, offset: 0 };

    /// Checks the options area `bytes` (at absolute `offset`, inside the
    /// block at `block_offset`) and returns it as `Options`, cut at
    /// `opt_endofopt`. An option whose header or value does not fit is a
    /// `MalformedOption` error of the block.
    ///
    /// A custom option (any of [`option::CUSTOM`]) shorter than its 4-byte
    /// Private Enterprise Number is a `BadOptionLength` error of the
    /// block, as Wireshark refuses it in any block.
    pub fn parse(
        bytes: &'a [u8],
        order: ByteOrder,
        offset: u64,
        block_offset: u64,
    ) -> Result<Self, CaptureError> {
        Self::parse_with(bytes, order, offset, block_offset, |_, _| true)
    }

    /// [`Options::parse`], with also `BadOptionLength` for an option of a
    /// code and length that `length_ok` refuses (the block type's own
    /// rules).
    #[inline]
    pub(crate) fn parse_with(
        bytes: &'a [u8],
        order: ByteOrder,
        offset: u64,
        block_offset: u64,
        length_ok: impl Fn(u16, usize) -> bool,
    ) -> Result<Self, CaptureError> {
        let mut pos = 0usize;
        while pos < bytes.len() {
            let option_offset = offset + pos as u64;
            let malformed = CaptureError::new(
                block_offset,
                CaptureErrorKind::MalformedOption { option_offset },
            );
            let Some(head) = bytes[pos..].first_chunk::<OPTION_HEAD_LEN>() else {
                return Err(malformed);
            };
            let code = order.u16([head[0], head[1]]);
            if code == option::END_OF_OPT {
                break;
            }
            let len = usize::from(order.u16([head[2], head[3]]));
            // At most 4 + 65535 + 3: no overflow.
            let padded = OPTION_HEAD_LEN + len.next_multiple_of(4);
            if padded > bytes.len() - pos {
                return Err(malformed);
            }
            let custom_too_short = len < 4 && option::CUSTOM.contains(&code);
            if custom_too_short || !length_ok(code, len) {
                let kind = CaptureErrorKind::BadOptionLength {
                    option_offset,
                    code,
                    length: len as u16, // read from a u16
                };
                return Err(CaptureError::new(block_offset, kind));
            }
            pos += padded;
        }
        Ok(Self { bytes: &bytes[..pos], order, offset })
    }

    /// The options in order.
    pub const fn iter(&self) -> OptionsIter<'a> {
        OptionsIter { rest: self.bytes, order: self.order, offset: self.offset }
    }

    /// Whether there are no options.
    pub const fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The byte order of the values (the section's).
    pub const fn byte_order(&self) -> ByteOrder {
        self.order
    }

    /// The raw options area (validated, up to `opt_endofopt`).
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The value of the first option with `code`.
    pub fn get(&self, code: u16) -> Option<&'a [u8]> {
        self.iter().find(|o| o.code == code).map(|o| o.value)
    }

    /// The values of every option with `code`, in order.
    pub fn all(&self, code: u16) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.iter().filter(move |o| o.code == code).map(|o| o.value)
    }

    /// The first option with `code` as a `u32`, if it is 4 bytes long.
    pub fn u32(&self, code: u16) -> Option<u32> {
        self.iter().find(|o| o.code == code)?.as_u32()
    }

    /// The first option with `code` as a `u64`, if it is 8 bytes long.
    pub fn u64(&self, code: u16) -> Option<u64> {
        self.iter().find(|o| o.code == code)?.as_u64()
    }

    /// Every `opt_comment`, in order.
    pub fn comments(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.all(option::COMMENT)
    }
}

impl<'a> IntoIterator for Options<'a> {
    type Item = BlockOption<'a>;
    type IntoIter = OptionsIter<'a>;

    fn into_iter(self) -> OptionsIter<'a> {
        self.iter()
    }
}

/// Iterator over validated [`Options`].
#[derive(Clone, Debug)]
pub struct OptionsIter<'a> {
    rest: &'a [u8],
    order: ByteOrder,
    offset: u64,
}

impl<'a> Iterator for OptionsIter<'a> {
    type Item = BlockOption<'a>;

    fn next(&mut self) -> Option<BlockOption<'a>> {
        // The area was validated, so each `get` succeeds; on a miss (which
        // would be a bug) the walk just ends instead of panicking.
        let head = self.rest.first_chunk::<OPTION_HEAD_LEN>()?;
        let code = self.order.u16([head[0], head[1]]);
        let len = usize::from(self.order.u16([head[2], head[3]]));
        let value = self.rest.get(OPTION_HEAD_LEN..OPTION_HEAD_LEN + len)?;
        let padded = OPTION_HEAD_LEN + len.next_multiple_of(4);
        let option = BlockOption { code, value, offset: self.offset, order: self.order };
        self.rest = self.rest.get(padded..).unwrap_or_default();
        self.offset += padded as u64;
        Some(option)
    }
}

impl core::iter::FusedIterator for OptionsIter<'_> {}
