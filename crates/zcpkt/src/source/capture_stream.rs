//! [`CaptureStream`]: pcap and pcapng frames from any [`io::Read`] (pipes,
//! stdin, sockets) in bounded memory.
//!
//! The reader detects the format from the first four bytes, then calls the
//! containers' own hot paths, [`pcap::Parser::parse_record`] and
//! [`pcapng::Parser::parse_block`], on a buffer it refills in place. A record
//! or block that lies whole in the buffer costs one parse call and a cursor
//! bump; the frame handed out borrows the buffer (a lending `next`, so the
//! next call may overwrite it). When the buffer holds only part of one, the
//! unread bytes move to its front and the reader reads more, growing the
//! buffer by doubling, only while real bytes arrive, and never past what the
//! parser would accept:
//!
//! - pcap: the 24-byte global header, or a record header plus the largest
//!   captured length the [`pcap::Parser`] accepts (256 KiB by default);
//! - pcapng: the largest Block Total Length the [`pcapng::Parser`] accepts
//!   (16 MiB by default).
//!
//! A length over those limits is reported (`RecordTooLarge`) from the bytes
//! that state it, before anything is allocated for it, so memory stays under
//! `max(buffer size, limit)` whatever the input claims.
//!
//! The frames and errors are exactly those of [`pcap::Frames`] or
//! [`pcapng::Frames`] over the whole input as one slice (the parse functions
//! only answer `Truncated` when the bytes they were given end too soon, and
//! the reader only gives up on more bytes at the end of input), whatever
//! sizes the reads return. Like those iterators, the reader stops after the
//! first error of the input.
//!
//! # Section and interface information
//!
//! pcapng's Section Header and Interface Description Blocks carry strings
//! (`shb_hardware`, `if_name`, …) that a summary wants to print long after
//! the buffer holding them has moved on. Two ways to get them:
//!
//! - zero-copy: [`next_block`](CaptureStream::next_block) hands out every
//!   block, [`pcapng::Block::Section`] and [`pcapng::Block::Interface`]
//!   included, with options borrowing the buffer until the next call;
//! - bounded copies: whichever method is used, the reader keeps the current
//!   section's [`SectionInfo`] and its interfaces' [`InterfaceInfo`]. They
//!   are copied once per SHB/IDB (never per frame), each string cut to
//!   [`MAX_INFO_STRING`] bytes and at most [`MAX_INFO_COMMENTS`] comments
//!   kept, and an interface table never exceeds the parser state's capacity
//!   `N`, so this memory is bounded too. Info is not the hot path; copying
//!   a few small strings there keeps the frame path free of lifetimes tied
//!   to old buffer contents.

use std::io;

use super::error::SourceError;

use crate::capture::{detect, CaptureError, CaptureErrorKind, Format, Frame, LinkType, Resolution};
use crate::pcap;
use crate::pcapng::{
    self, block_type, option, Block, Interface, Options, SectionHeader, State,
    DEFAULT_INTERFACE_CAPACITY, SHB_TYPE_BYTES,
};

use super::read_buffer::ReadBuffer;

/// The longest option string kept in a [`SectionInfo`] or [`InterfaceInfo`];
/// longer values are cut (the whole value is available, zero-copy, from
/// [`CaptureStream::next_block`]).
pub const MAX_INFO_STRING: usize = 1024;

/// The most `opt_comment` values kept per section.
pub const MAX_INFO_COMMENTS: usize = 16;

/// The current pcapng section's header, as bounded copies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SectionInfo {
    /// Byte offset of the Section Header Block.
    pub offset: u64,
    /// 0-based index of the section in the file.
    pub index: u32,
    /// `shb_hardware`, cut to [`MAX_INFO_STRING`] bytes.
    pub hardware: Option<Box<[u8]>>,
    /// `shb_os`, cut to [`MAX_INFO_STRING`] bytes.
    pub os: Option<Box<[u8]>>,
    /// `shb_userappl`, cut to [`MAX_INFO_STRING`] bytes.
    pub user_appl: Option<Box<[u8]>>,
    /// The first [`MAX_INFO_COMMENTS`] `opt_comment` values, each cut.
    pub comments: Vec<Box<[u8]>>,
}

impl SectionInfo {
    /// Bounded copies of `header`'s strings.
    pub fn from_header(header: &SectionHeader<'_>) -> Self {
        Self {
            offset: header.offset,
            index: header.index,
            hardware: header.hardware().map(bounded),
            os: header.os().map(bounded),
            user_appl: header.user_appl().map(bounded),
            comments: header.comments().take(MAX_INFO_COMMENTS).map(bounded).collect(),
        }
    }
}

/// One interface of the current pcapng section, as bounded copies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterfaceInfo {
    /// The interface's ID in its section.
    pub id: u32,
    /// What the parser keeps of it (link type, snap length, resolution, …).
    pub interface: Interface,
    /// The `if_tsresol` byte when the block has a one-byte one.
    pub tsresol: Option<u8>,
    /// `if_name`, cut to [`MAX_INFO_STRING`] bytes.
    pub name: Option<Box<[u8]>>,
    /// `if_description`, cut to [`MAX_INFO_STRING`] bytes.
    pub description: Option<Box<[u8]>>,
}

impl InterfaceInfo {
    /// Bounded copies of an Interface Description Block's strings.
    pub fn new(id: u32, interface: Interface, options: &Options<'_>) -> Self {
        Self {
            id,
            interface,
            tsresol: match options.get(option::IF_TSRESOL) {
                Some(&[byte]) => Some(byte),
                _ => None,
            },
            name: options.get(option::IF_NAME).map(bounded),
            description: options.get(option::IF_DESCRIPTION).map(bounded),
        }
    }

    /// The interface's link type.
    pub const fn link_type(&self) -> LinkType {
        self.interface.link_type
    }

    /// The interface's timestamp resolution.
    pub const fn resolution(&self) -> Resolution {
        self.interface.resolution
    }
}

fn bounded(value: &[u8]) -> Box<[u8]> {
    value[..value.len().min(MAX_INFO_STRING)].into()
}

/// Why [`CaptureStream`] gave no frame.
pub type StreamCaptureError = SourceError<CaptureError>;

/// Which container the input turned out to be, with its reading state.
#[derive(Clone, Debug)]
enum Container {
    /// Fewer than four bytes seen so far.
    Undetected,
    /// pcap; the global header once read.
    Pcap(Option<pcap::Header>),
    PcapNg,
    /// Stopped: after an error, or an empty input.
    Done,
}

/// What comes next at the cursor, found without borrowing the buffer.
enum Next {
    End,
    /// The buffer holds all the parse function looks at (or all the input
    /// has); `frame` says whether it is a packet record/block.
    Ready {
        frame: bool,
    },
}

/// Reads pcap or pcapng frames from an [`io::Read`] in a bounded buffer. See
/// the [module documentation](self).
///
/// ```
/// use zcpkt::capture::{LinkType, Resolution};
/// use zcpkt::pcap;
/// use zcpkt::source::capture_stream::CaptureStream;
///
/// let mut file = Vec::new();
/// pcap::write_header(&mut file, Resolution::MICROS, 65535, LinkType::ETHERNET)?;
/// pcap::write_record(&mut file, 1_700_000_000, 60, 60, &[0u8; 60])?;
///
/// let mut stream = CaptureStream::new(&file[..]).buffer_size(32);
/// let mut sizes = Vec::new();
/// while let Some(frame) = stream.next_frame() {
///     sizes.push(frame?.data.len()); // the frame borrows the stream's buffer
/// }
/// assert_eq!(sizes, [60]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct CaptureStream<R, const N: usize = DEFAULT_INTERFACE_CAPACITY> {
    buf: ReadBuffer<R>,
    pcap: pcap::Parser,
    pcapng: pcapng::Parser,
    format: Option<Format>,
    container: Container,
    /// Kept apart from `container`, which forgets it at the end of input.
    pcap_header: Option<pcap::Header>,
    state: State<N>,
    section: Option<SectionInfo>,
    interfaces: Vec<InterfaceInfo>,
}

impl<R: io::Read> CaptureStream<R> {
    /// A reader over `reader` with the containers' default limits and a
    /// [`DEFAULT_BUFFER`](Self::DEFAULT_BUFFER) initial buffer.
    pub fn new(reader: R) -> Self {
        Self::with_capacity(reader)
    }
}

impl<R: io::Read, const N: usize> CaptureStream<R, N> {
    /// The initial buffer size: 1 MiB.
    pub const DEFAULT_BUFFER: usize = 1 << 20;

    /// A reader whose pcapng interface tables hold `N` interfaces per section
    /// (choose `N` with a type annotation).
    pub fn with_capacity(reader: R) -> Self {
        Self {
            buf: ReadBuffer::new(reader, Self::DEFAULT_BUFFER),
            pcap: pcap::Parser::new(),
            pcapng: pcapng::Parser::new(),
            format: None,
            container: Container::Undetected,
            pcap_header: None,
            state: State::new(),
            section: None,
            interfaces: Vec::new(),
        }
    }

    /// Checks pcap records as `parser` does; its maximum record size bounds
    /// the buffer for pcap input.
    pub fn pcap_parser(mut self, parser: pcap::Parser) -> Self {
        self.pcap = parser;
        self
    }

    /// Checks pcapng blocks as `parser` does; its maximum block size bounds
    /// the buffer for pcapng input.
    pub fn pcapng_parser(mut self, parser: pcapng::Parser) -> Self {
        self.pcapng = parser;
        self
    }

    /// The buffer's initial size (at least 1 byte); it grows to hold a larger
    /// record or block. Set it before reading: once allocated, it is kept.
    pub fn buffer_size(mut self, bytes: usize) -> Self {
        self.buf.set_initial_size(bytes);
        self
    }

    /// The format, once the first four bytes were read (`Some(Format::Pkt)`
    /// for a PKT input, which this reader reports as `BadMagic`).
    pub const fn format(&self) -> Option<Format> {
        self.format
    }

    /// The pcap global header, once read (also after the end of input or
    /// damage).
    pub fn pcap_header(&self) -> Option<&pcap::Header> {
        self.pcap_header.as_ref()
    }

    /// The pcapng reader's state: the current section and its interfaces
    /// (integers only).
    pub const fn state(&self) -> &State<N> {
        &self.state
    }

    /// The current pcapng section's header strings, as bounded copies.
    pub const fn section_info(&self) -> Option<&SectionInfo> {
        self.section.as_ref()
    }

    /// The current pcapng section's interfaces, by ID, as bounded copies.
    pub fn interface_info(&self) -> &[InterfaceInfo] {
        &self.interfaces
    }

    /// Bytes consumed: the absolute offset of the next byte to look at.
    pub const fn offset(&self) -> u64 {
        self.buf.offset()
    }

    /// The buffer's current size in bytes (0 before the first read).
    pub fn buffer_capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// The underlying reader.
    pub fn into_inner(self) -> R {
        self.buf.into_inner()
    }

    /// The next frame, as [`pcap::Frames`] or [`pcapng::Frames`] give it over
    /// the whole input; blocks that carry no packet are read past (and
    /// recorded in [`section_info`](Self::section_info) and
    /// [`interface_info`](Self::interface_info)). `None` at the end, and
    /// after the first error. An empty input is zero frames; fewer than 4
    /// bytes, or 4 bytes of no capture magic, is an error at offset 0.
    pub fn next_frame(&mut self) -> Option<Result<Frame<'_>, StreamCaptureError>> {
        loop {
            match self.prepare() {
                Err(error) => return Some(Err(error)),
                Ok(Next::End) => return None,
                Ok(Next::Ready { frame: true }) => break,
                Ok(Next::Ready { frame: false }) => match self.next_block() {
                    // The block is dropped here, so the loop may read again.
                    Some(Ok(_)) => continue,
                    Some(Err(error)) => return Some(Err(error)),
                    None => return None,
                },
            }
        }
        match self.parse()? {
            Ok(Block::Frame(frame)) => Some(Ok(frame)),
            // `prepare` classified the unit as a packet record or block, and
            // parsing gives `Block::Frame` for exactly those types.
            Ok(_) => None,
            Err(error) => Some(Err(error.into())),
        }
    }

    /// The next block: every pcapng block (sections, interfaces, packets and
    /// the others), or each pcap record as [`Block::Frame`]; options borrow
    /// the buffer until the next call. `None` at the end and after the first
    /// error.
    pub fn next_block(&mut self) -> Option<Result<Block<'_>, StreamCaptureError>> {
        match self.prepare() {
            Err(error) => return Some(Err(error)),
            Ok(Next::End) => return None,
            Ok(Next::Ready { .. }) => {}
        }
        Some(self.parse()?.map_err(StreamCaptureError::from))
    }

    /// Parses the unit at the cursor, which [`prepare`](Self::prepare) made
    /// decidable, and moves past it; records section and interface info.
    /// The block borrows the buffered bytes, so only the cursor split off
    /// them and fields other than `buf` change.
    #[inline]
    fn parse(&mut self) -> Option<Result<Block<'_>, CaptureError>> {
        let (buffered, mut cursor) = self.buf.split();
        let offset = cursor.offset();
        let result = match &self.container {
            Container::Pcap(Some(header)) => self
                .pcap
                .parse_record(header, buffered, offset)
                .map(|frame| (Block::Frame(frame), pcap::RECORD_HEADER_LEN + frame.data.len())),
            Container::PcapNg => self.pcapng.parse_block(&mut self.state, buffered, offset),
            // `prepare` never answers Ready in the other states.
            _ => return None,
        };
        Some(match result {
            Ok((block, len)) => {
                match &block {
                    Block::Section(header) => {
                        self.section = Some(SectionInfo::from_header(header));
                        self.interfaces.clear();
                    }
                    Block::Interface { id, interface, options } => {
                        self.interfaces.push(InterfaceInfo::new(*id, *interface, options));
                    }
                    _ => {}
                }
                // `len` bytes were parsed out of the buffer, so they are in it.
                cursor.consume(len);
                Ok(block)
            }
            Err(error) => {
                self.container = Container::Done;
                Err(error)
            }
        })
    }

    /// Reads until the unit at the cursor can be parsed as on the whole
    /// input: detects the format and reads the pcap header first.
    fn prepare(&mut self) -> Result<Next, StreamCaptureError> {
        loop {
            let need = match &self.container {
                Container::Done => return Ok(Next::End),
                Container::Undetected => self.detect()?,
                Container::Pcap(None) => self.read_pcap_header()?,
                Container::Pcap(Some(header)) => match self.pcap_need(header) {
                    None => return Ok(Next::Ready { frame: true }),
                    need => need,
                },
                Container::PcapNg => match self.pcapng_need() {
                    Ok(frame) => return Ok(Next::Ready { frame }),
                    Err(need) => need,
                },
            };
            if let Some(need) = need {
                if self.buf.is_eof() {
                    if self.buf.buffered().is_empty() {
                        self.container = Container::Done;
                        return Ok(Next::End);
                    }
                    // The parse function will report what the input lacks.
                    return Ok(Next::Ready { frame: true });
                }
                self.buf.fill(need)?;
            }
        }
    }

    /// Detection: `Some(4)` while fewer than four bytes are buffered.
    fn detect(&mut self) -> Result<Option<u64>, StreamCaptureError> {
        let buffered = self.buf.buffered();
        if buffered.len() < 4 {
            if self.buf.is_eof() && !buffered.is_empty() {
                let available = buffered.len() as u64;
                self.container = Container::Done;
                let kind = CaptureErrorKind::Truncated { available, needed: 4 };
                return Err(CaptureError::new(0, kind).into());
            }
            return Ok(Some(4));
        }
        let magic = [buffered[0], buffered[1], buffered[2], buffered[3]];
        self.format = detect(&magic);
        self.container = match self.format {
            Some(Format::Pcap) => Container::Pcap(None),
            Some(Format::PcapNg) => Container::PcapNg,
            Some(Format::Pkt) | None => {
                self.container = Container::Done;
                let found = u32::from_be_bytes(magic);
                return Err(CaptureError::new(0, CaptureErrorKind::BadMagic { found }).into());
            }
        };
        Ok(None)
    }

    /// Reads the pcap global header once 24 bytes (or all the input) are in.
    fn read_pcap_header(&mut self) -> Result<Option<u64>, StreamCaptureError> {
        let buffered = self.buf.buffered();
        if buffered.len() < pcap::HEADER_LEN && !self.buf.is_eof() {
            return Ok(Some(pcap::HEADER_LEN as u64));
        }
        match pcap::Header::read(buffered) {
            Ok(header) => {
                self.container = Container::Pcap(Some(header));
                self.pcap_header = Some(header);
                self.buf.consume(pcap::HEADER_LEN);
                Ok(None)
            }
            Err(error) => {
                self.container = Container::Done;
                Err(error.into())
            }
        }
    }

    /// `None` when the buffer holds what `parse_record` looks at for the
    /// record at the cursor, else the bytes needed from the cursor.
    #[inline]
    fn pcap_need(&self, header: &pcap::Header) -> Option<u64> {
        let buffered = self.buf.buffered();
        let Some(head) = buffered.first_chunk::<{ pcap::RECORD_HEADER_LEN }>() else {
            return Some(pcap::RECORD_HEADER_LEN as u64);
        };
        let captured_len = header.byte_order.u32([head[8], head[9], head[10], head[11]]);
        if captured_len > self.pcap.record_size_limit() {
            return None; // RecordTooLarge, from these bytes alone.
        }
        let needed = pcap::RECORD_HEADER_LEN as u64 + u64::from(captured_len);
        (needed > buffered.len() as u64).then_some(needed)
    }

    /// `Ok(is a packet block)` when the buffer holds what `parse_block`
    /// looks at for the block at the cursor, else `Err(bytes needed)`.
    #[inline]
    fn pcapng_need(&self) -> Result<bool, Option<u64>> {
        let buffered = self.buf.buffered();
        let order = self.state.byte_order();
        // Fast path: an ordinary block of a known section, whole in the buffer.
        if let (Some(order), Some(head)) = (order, buffered.first_chunk::<8>()) {
            let type_bytes = [head[0], head[1], head[2], head[3]];
            let length = order.u32([head[4], head[5], head[6], head[7]]);
            if type_bytes != SHB_TYPE_BYTES && u64::from(length) <= buffered.len() as u64 {
                return Ok(is_packet_block(order.u32(type_bytes)));
            }
        }
        // The framing alone decides whether more bytes are needed; it does
        // not touch the state, so trying it costs nothing but a few loads.
        let limit = self.pcapng.block_size_limit();
        match pcapng::RawBlock::read(buffered, self.buf.offset(), order, limit) {
            Ok(raw) => Ok(is_packet_block(raw.block_type)),
            Err(CaptureError { kind: CaptureErrorKind::Truncated { needed, .. }, .. }) => {
                Err(Some(needed))
            }
            Err(_) => Ok(true), // the error is the next thing to hand out
        }
    }
}

/// Whether `parse_block` gives a [`Block::Frame`] for this block type.
const fn is_packet_block(block_type: u32) -> bool {
    matches!(
        block_type,
        block_type::ENHANCED_PACKET | block_type::SIMPLE_PACKET | block_type::PACKET
    )
}
