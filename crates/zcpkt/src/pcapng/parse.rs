//! Parsing one block into what it means for the reader: the hot path.

use super::block::{block_type, RawBlock};
use super::options::{option, Options};
use super::state::{Interface, State};
use crate::capture::{
    bytes_at, fcs_bytes, ByteOrder, CaptureError, CaptureErrorKind, Frame, LinkType, Resolution,
    Timestamp,
};
use crate::pcap::DEFAULT_MAX_RECORD_SIZE;

/// The largest block read by default (16 MiB, Wireshark's `MAX_BLOCK_SIZE`
/// order of magnitude): name resolution and secrets blocks can be large, but
/// a hostile length must not make a streaming reader buffer gigabytes.
pub const DEFAULT_MAX_BLOCK_SIZE: u32 = 16 * 1024 * 1024;

/// How blocks are checked. `Parser::default()` accepts packets up to
/// 256 KiB captured (like pcap) and blocks up to 16 MiB.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Parser {
    max_record_size: u32,
    max_block_size: u32,
}

impl Default for Parser {
    fn default() -> Self {
        Self::new()
    }
}

/// A Section Header Block: the section's byte order, version and options.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SectionHeader<'a> {
    /// Byte offset of the block.
    pub offset: u64,
    /// 0-based index of the section in the file.
    pub index: u32,
    /// The section's byte order.
    pub byte_order: ByteOrder,
    /// Major version (1).
    pub version_major: u16,
    /// Minor version (0, or 2 as some writers put).
    pub version_minor: u16,
    /// Section Length, `None` when unspecified (-1).
    pub section_length: Option<u64>,
    /// The block's options.
    pub options: Options<'a>,
}

impl<'a> SectionHeader<'a> {
    /// `shb_hardware`.
    pub fn hardware(&self) -> Option<&'a [u8]> {
        self.options.get(option::SHB_HARDWARE)
    }

    /// `shb_os`.
    pub fn os(&self) -> Option<&'a [u8]> {
        self.options.get(option::SHB_OS)
    }

    /// `shb_userappl`.
    pub fn user_appl(&self) -> Option<&'a [u8]> {
        self.options.get(option::SHB_USERAPPL)
    }

    /// Every `opt_comment`.
    pub fn comments(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.options.comments()
    }
}

/// What one block means for a reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block<'a> {
    /// A Section Header Block: a new section starts.
    Section(SectionHeader<'a>),
    /// An Interface Description Block, added to the section's table as `id`.
    Interface {
        /// The interface's ID in its section.
        id: u32,
        /// What the reader keeps of it.
        interface: Interface,
        /// The block's options (`if_name`, `if_description`, …).
        options: Options<'a>,
    },
    /// A packet: Enhanced, Simple or obsolete Packet Block.
    Frame(Frame<'a>),
    /// Any other block (statistics, name resolution, decryption secrets,
    /// custom, unknown), framed and read past.
    Other(RawBlock<'a>),
}

impl Parser {
    /// A parser with the default limits.
    pub const fn new() -> Self {
        Self { max_record_size: DEFAULT_MAX_RECORD_SIZE, max_block_size: DEFAULT_MAX_BLOCK_SIZE }
    }

    /// The largest captured packet length to accept (`RecordTooLarge`
    /// beyond). Default 256 KiB, as libpcap and Wireshark.
    pub const fn max_record_size(mut self, limit: u32) -> Self {
        self.max_record_size = limit;
        self
    }

    /// The largest Block Total Length to accept (`RecordTooLarge` beyond).
    /// Default [`DEFAULT_MAX_BLOCK_SIZE`].
    pub const fn max_block_size(mut self, limit: u32) -> Self {
        self.max_block_size = limit;
        self
    }

    /// The configured maximum captured length.
    pub const fn record_size_limit(&self) -> u32 {
        self.max_record_size
    }

    /// The configured maximum block length.
    pub const fn block_size_limit(&self) -> u32 {
        self.max_block_size
    }

    /// Frames, validates and interprets the block at the start of `input`
    /// (absolute `offset`), updating `state` (a new section, a new
    /// interface). Returns the block and its length in bytes.
    ///
    /// Framing errors come from [`RawBlock::read`]; then, per type:
    /// `UnsupportedVersion` (SHB major not 1), `UnsupportedTsresol` and
    /// `TooManyInterfaces` (IDB), `NoInterface`/`UnknownInterface`,
    /// `RecordTooLarge` and `PacketExceedsBlock` (packet blocks),
    /// `SecretsExceedBlock` (DSB), `BadNameRecord` (NRB), and `MalformedOption` and
    /// `BadOptionLength` for any block whose options are read.
    #[inline]
    pub fn parse_block<'a, const N: usize>(
        &self,
        state: &mut State<N>,
        input: &'a [u8],
        offset: u64,
    ) -> Result<(Block<'a>, usize), CaptureError> {
        let raw = RawBlock::read(input, offset, state.byte_order(), self.max_block_size)?;
        let block = match raw.block_type {
            block_type::ENHANCED_PACKET => Block::Frame(self.enhanced_packet(state, &raw)?),
            block_type::SIMPLE_PACKET => Block::Frame(self.simple_packet(state, &raw)?),
            block_type::PACKET => Block::Frame(self.enhanced_packet(state, &raw)?),
            block_type::INTERFACE_DESCRIPTION => interface(state, &raw)?,
            block_type::SECTION_HEADER => Block::Section(section(state, &raw)?),
            block_type::DECRYPTION_SECRETS => Block::Other(secrets(&raw)?),
            block_type::NAME_RESOLUTION => Block::Other(name_resolution(&raw)?),
            block_type::INTERFACE_STATISTICS => Block::Other(statistics(&raw)?),
            _ => Block::Other(raw),
        };
        Ok((block, raw.total_len()))
    }

    /// An Enhanced Packet Block, or an obsolete Packet Block (the same
    /// layout but a 16-bit interface ID followed by a 16-bit drop count).
    #[inline]
    fn enhanced_packet<'a, const N: usize>(
        &self,
        state: &State<N>,
        raw: &RawBlock<'a>,
    ) -> Result<Frame<'a>, CaptureError> {
        const FIXED: usize = 20;
        let order = raw.byte_order;
        let offset = raw.offset;
        // The framing guaranteed at least 20 body bytes for both types.
        let Some(head) = raw.body.first_chunk::<FIXED>() else {
            return Err(CaptureError::truncated(offset, raw.total_len(), 32));
        };
        let interface_id = if raw.block_type == block_type::PACKET {
            u32::from(order.u16(bytes_at(head, 0)))
        } else {
            order.u32(bytes_at(head, 0))
        };
        let interface = state.interface(interface_id, offset)?;
        let units =
            u64::from(order.u32(bytes_at(head, 4))) << 32 | u64::from(order.u32(bytes_at(head, 8)));
        let captured_len = order.u32(bytes_at(head, 12));
        let original_len = order.u32(bytes_at(head, 16));
        self.check_record_size(captured_len, offset)?;
        let rest = &raw.body[FIXED..];
        let padded = padded_within(captured_len, rest).map_err(|room| {
            CaptureError::new(offset, CaptureErrorKind::PacketExceedsBlock { captured_len, room })
        })?;
        let (data, rest) = rest.split_at(captured_len as usize);
        let options_at = &rest[padded - captured_len as usize..];
        let options_offset = offset + 8 + (FIXED as u64) + padded as u64;
        let options =
            Options::parse_with(options_at, order, options_offset, offset, packet_option_ok)?;
        let timestamp = Timestamp::from_units_per_sec(
            units,
            interface.resolution,
            interface.per_sec,
            interface.tsoffset,
        );
        // Only blocks with options pay for the walk. epb_flags counts
        // octets (Wireshark takes them as they are, unlike if_fcslen), and
        // 0 there means "not said", leaving the interface's.
        let fcs_len = match options.is_empty() {
            true => interface.fcs_len,
            false => match options.u32(option::EPB_FLAGS).map(|f| (f >> 5 & 0xf) as u8) {
                Some(octets @ 1..) => Some(octets),
                _ => interface.fcs_len,
            },
        };
        let packet_block_drops =
            (raw.block_type == block_type::PACKET).then(|| order.u16(bytes_at(head, 2)));
        Ok(Frame {
            timestamp: Some(timestamp),
            original_len,
            captured_len,
            interface_id,
            section: state.section().map_or(0, |s| s.index),
            link_type: interface.link_type,
            data,
            offset,
            options,
            fcs_len,
            packet_block_drops,
            raw_timestamp: units,
        })
    }

    /// A Simple Packet Block: interface 0, no timestamp, no options.
    ///
    /// The block stores no captured length: the pcapng spec makes it the
    /// lesser of the original length and the interface's snap length (0:
    /// none), and the block must hold that many bytes, padded to 4. A block
    /// with less room is damaged, as a cut EPB is (`PacketExceedsBlock`,
    /// with that captured length and the room): the packet it describes is
    /// not all there. Wireshark refuses it too ("total block length ... of
    /// an SPB is too small for N bytes of packet data"), where taking the
    /// room as the captured length would hand out a cut frame as whole.
    /// More room than that is accepted and read past: the spec asks only
    /// that the data be there (Wireshark 4.0 reads only the padded data
    /// and so misreads such a block's trailing length, calling the
    /// lengths mismatched).
    #[inline]
    fn simple_packet<'a, const N: usize>(
        &self,
        state: &State<N>,
        raw: &RawBlock<'a>,
    ) -> Result<Frame<'a>, CaptureError> {
        let offset = raw.offset;
        let Some((head, room)) = raw.body.split_first_chunk::<4>() else {
            return Err(CaptureError::truncated(offset, raw.total_len(), 16));
        };
        let interface = state.interface(0, offset)?;
        let original_len = raw.byte_order.u32(*head);
        let captured_len = match interface.snaplen {
            0 => original_len,
            snaplen => original_len.min(snaplen),
        };
        self.check_record_size(captured_len, offset)?;
        padded_within(captured_len, room).map_err(|room| {
            CaptureError::new(offset, CaptureErrorKind::PacketExceedsBlock { captured_len, room })
        })?;
        Ok(Frame {
            timestamp: None,
            original_len,
            captured_len,
            interface_id: 0,
            section: state.section().map_or(0, |s| s.index),
            link_type: interface.link_type,
            data: &room[..captured_len as usize],
            offset,
            options: Options::EMPTY,
            fcs_len: interface.fcs_len,
            packet_block_drops: None,
            raw_timestamp: 0,
        })
    }

    #[inline]
    fn check_record_size(&self, captured_len: u32, offset: u64) -> Result<(), CaptureError> {
        CaptureError::check_record_size(captured_len, self.max_record_size, offset)
    }
}

/// `len` bytes padded to 4, if that many lie in `room` (what a block has
/// left for them); else `Err` with the room's length, for the error.
#[inline]
fn padded_within(len: u32, room: &[u8]) -> Result<usize, u32> {
    // The padded length fits a u64; the room is under the u32 block length.
    let padded = u64::from(len).next_multiple_of(4);
    match usize::try_from(padded) {
        Ok(padded) if padded <= room.len() => Ok(padded),
        _ => Err(room.len() as u32),
    }
}

/// Whether a packet block (EPB, PB) may have option `code` of `len`
/// bytes: Wireshark 4.0 refuses a file with a fixed-size packet option
/// of another size ("packet block flags option length 0 is not 4"),
/// where it only ignores, say, an `if_tsresol` of the wrong size.
#[inline]
fn packet_option_ok(code: u16, len: usize) -> bool {
    match code {
        option::EPB_FLAGS | option::EPB_QUEUE => len == 4,
        option::EPB_DROPCOUNT | option::EPB_PACKETID => len == 8,
        option::EPB_VERDICT => len >= 1,
        _ => true,
    }
}

/// A Section Header Block: checks the version, reads the options and starts
/// a new section in `state`.
fn section<'a, const N: usize>(
    state: &mut State<N>,
    raw: &RawBlock<'a>,
) -> Result<SectionHeader<'a>, CaptureError> {
    let order = raw.byte_order;
    let Some((head, options)) = raw.body.split_first_chunk::<16>() else {
        return Err(CaptureError::truncated(raw.offset, raw.total_len(), 28));
    };
    let version_major = order.u16(bytes_at(head, 4));
    let version_minor = order.u16(bytes_at(head, 6));
    if version_major != 1 {
        return Err(CaptureError::new(
            raw.offset,
            CaptureErrorKind::UnsupportedVersion { major: version_major, minor: version_minor },
        ));
    }
    let section_length = Some(order.u64(bytes_at(head, 8))).filter(|&l| l != u64::MAX);
    let options = Options::parse(options, order, raw.offset + 24, raw.offset)?;
    let section = state.start_section(raw.offset, order);
    Ok(SectionHeader {
        offset: raw.offset,
        index: section.index,
        byte_order: order,
        version_major,
        version_minor,
        section_length,
        options,
    })
}

/// An Interface Description Block: reads `if_tsresol`, `if_tsoffset` and
/// `if_fcslen` and adds the interface to the section's table.
fn interface<'a, const N: usize>(
    state: &mut State<N>,
    raw: &RawBlock<'a>,
) -> Result<Block<'a>, CaptureError> {
    let order = raw.byte_order;
    let Some((head, options)) = raw.body.split_first_chunk::<8>() else {
        return Err(CaptureError::truncated(raw.offset, raw.total_len(), 20));
    };
    let options = Options::parse_with(options, order, raw.offset + 16, raw.offset, |code, len| {
        // Wireshark reads the filter's type byte unchecked.
        code != option::IF_FILTER || len >= 1
    })?;
    // Like Wireshark, a tsresol option of the wrong length is ignored (the
    // default stays); an unrepresentable one refuses the interface.
    let resolution = match options.get(option::IF_TSRESOL) {
        Some(&[byte]) => Resolution::from_tsresol(byte),
        _ => Resolution::MICROS,
    };
    let Some(per_sec) = resolution.units_per_second() else {
        let tsresol = options.get(option::IF_TSRESOL).and_then(|v| v.first().copied());
        return Err(CaptureError::new(
            raw.offset,
            CaptureErrorKind::UnsupportedTsresol { tsresol: tsresol.unwrap_or_default() },
        ));
    };
    let interface = Interface {
        offset: raw.offset,
        link_type: LinkType(order.u16(bytes_at(head, 0))),
        snaplen: order.u32(bytes_at(head, 4)),
        resolution,
        tsoffset: options.u64(option::IF_TSOFFSET).map_or(0, |v| v as i64),
        fcs_len: match options.get(option::IF_FCSLEN) {
            Some(&[value]) => Some(fcs_bytes(value)),
            _ => None,
        },
        per_sec,
    };
    let id = state.add_interface(interface, raw.offset)?;
    Ok(Block::Interface { id, interface, options })
}

/// A Decryption Secrets Block: its secrets, padded to 4, must lie inside
/// it. Wireshark 4.0 reads a longer Secrets Length as given, past the
/// block, and reports the file cut short; the options after the secrets
/// are not read (Wireshark does not read them either).
fn secrets<'a>(raw: &RawBlock<'a>) -> Result<RawBlock<'a>, CaptureError> {
    // The framing guaranteed the 8 bytes of type and length.
    let Some((head, room)) = raw.body.split_first_chunk::<8>() else {
        return Err(CaptureError::truncated(raw.offset, raw.total_len(), 20));
    };
    let secrets_len = raw.byte_order.u32(bytes_at(head, 4));
    padded_within(secrets_len, room).map_err(|room| {
        CaptureError::new(raw.offset, CaptureErrorKind::SecretsExceedBlock { secrets_len, room })
    })?;
    Ok(*raw)
}

/// A Name Resolution Block: each record (type, length, value padded to 4)
/// inside the block, an IPv4 record of at least 4 bytes and an IPv6 one of
/// at least 16, their names (if any) ending with a 0 byte; then, after
/// the end record's 4 bytes (its length is not read, as Wireshark 4.0
/// does not), the options. Records may also run to the block's end with
/// no end record, which Wireshark reads.
fn name_resolution<'a>(raw: &RawBlock<'a>) -> Result<RawBlock<'a>, CaptureError> {
    const IPV4: u16 = 1;
    const IPV6: u16 = 2;
    let order = raw.byte_order;
    let mut pos = 0usize;
    while let Some(head) = raw.body.get(pos..).and_then(|rest| rest.first_chunk::<4>()) {
        let record_type = order.u16(bytes_at(head, 0));
        let length = order.u16(bytes_at(head, 2));
        let record_offset = raw.offset + 8 + pos as u64;
        if record_type == 0 {
            let options = &raw.body[pos + 4..];
            Options::parse(options, order, record_offset + 4, raw.offset)?;
            break;
        }
        let bad = CaptureErrorKind::BadNameRecord { record_offset, record_type, length };
        let len = usize::from(length);
        // At most 4 + 65535 + 3: no overflow.
        let padded = 4 + len.next_multiple_of(4);
        let Some(value) =
            raw.body.get(pos + 4..pos + 4 + len).filter(|_| padded <= raw.body.len() - pos)
        else {
            return Err(CaptureError::new(raw.offset, bad));
        };
        let address = match record_type {
            IPV4 => 4,
            IPV6 => 16,
            _ => 0,
        };
        let names_unterminated = len > address && value.last() != Some(&0);
        if len < address || (address > 0 && names_unterminated) {
            return Err(CaptureError::new(raw.offset, bad));
        }
        pos += padded;
    }
    Ok(*raw)
}

/// An Interface Statistics Block: its options, after the interface ID and
/// timestamp, must be well formed, as Wireshark 4.0 reads them. The
/// interface ID is not checked against the section (Wireshark does not).
fn statistics<'a>(raw: &RawBlock<'a>) -> Result<RawBlock<'a>, CaptureError> {
    // The framing guaranteed the 12 bytes of ID and timestamp.
    let Some((_, options)) = raw.body.split_first_chunk::<12>() else {
        return Err(CaptureError::truncated(raw.offset, raw.total_len(), 24));
    };
    Options::parse(options, raw.byte_order, raw.offset + 20, raw.offset)?;
    Ok(*raw)
}
