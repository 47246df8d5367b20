//! [`RecoveringCaptureStream`]: pcap and pcapng read past damage from any
//! [`io::Read`] (pipes, stdin, sockets), in bounded memory.
//!
//! The recovering slice readers ([`pcap::Recovering`],
//! [`pcapng::Recovering`]) judge a position by bytes after it: the record
//! or block there and the one after it, and, when a block's end shows
//! damage, the candidates inside it. This reader runs those very readers
//! over its buffered window, told that more bytes may follow it: a decision
//! that looked past the window's end is dropped (the reader's state is
//! restored) and taken again once more bytes are in. A search through
//! garbage is not dropped but paused where it stands: the bytes it has
//! passed are let go, so a gigabyte of garbage is searched through a buffer
//! of a few MiB. So the records are exactly the slice reader's over the
//! whole input, whatever sizes the reads return (tested with reads of
//! random sizes).
//!
//! Memory: the buffer (1 MiB at first) grows, by doubling, only when one
//! decision needs more bytes than it holds: a record and the one after it,
//! and the records a search inside it looks at, so at most about three
//! times the largest record or block the parser accepts.
//!
//! Records are handed to a closure ([`for_each`](RecoveringCaptureStream::for_each))
//! rather than by a lending `next`: a block found by a search is judged
//! with the window that holds it and handed out right after its skipped
//! range, before the window moves.

use core::ops::ControlFlow;
use std::io;

use super::read_buffer::ReadBuffer;
use crate::capture::{detect, Format};
use crate::capture_record::CaptureRecord;
use crate::pcap;
use crate::pcapng::{self, State, DEFAULT_INTERFACE_CAPACITY};

/// pcap and pcapng records from a reader, past damage (module docs).
///
/// ```
/// use std::ops::ControlFlow;
/// use zcpkt::capture::{LinkType, Resolution};
/// use zcpkt::capture_record::CaptureRecord;
/// use zcpkt::pcap;
/// use zcpkt::source::capture_recover_stream::RecoveringCaptureStream;
///
/// let mut file = Vec::new();
/// pcap::write_header(&mut file, Resolution::MICROS, 65535, LinkType::ETHERNET)?;
/// pcap::write_record(&mut file, 1_700_000_000, 0, 60, &[1u8; 60])?;
/// file.extend([0xff; 7]); // garbage between two records
/// pcap::write_record(&mut file, 1_700_000_001, 0, 60, &[2u8; 60])?;
///
/// let mut stream = RecoveringCaptureStream::new(&file[..]).buffer_size(64);
/// let mut seen = Vec::new();
/// stream.for_each(|record| {
///     seen.push(match record {
///         CaptureRecord::Block(block) => format!("frame at {}", record.offset()),
///         CaptureRecord::Error(error) => format!("damage at {}", error.offset),
///         CaptureRecord::Skipped(s) => format!("{} bytes skipped", s.len),
///     });
///     ControlFlow::Continue(())
/// })?;
/// assert_eq!(seen, ["frame at 24", "damage at 100", "7 bytes skipped", "frame at 107"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct RecoveringCaptureStream<R, const N: usize = DEFAULT_INTERFACE_CAPACITY> {
    buf: ReadBuffer<R>,
    pcap_parser: pcap::Parser,
    pcapng_parser: pcapng::Parser,
    format: Option<Format>,
    pcap: pcap::Carried,
    pcapng: pcapng::Carried<N>,
    finished: bool,
}

impl<R: io::Read> RecoveringCaptureStream<R> {
    /// A reader over `reader` with the containers' default limits.
    pub fn new(reader: R) -> Self {
        Self::with_capacity(reader)
    }
}

impl<R: io::Read, const N: usize> RecoveringCaptureStream<R, N> {
    /// The initial buffer size: 1 MiB.
    pub const DEFAULT_BUFFER: usize = 1 << 20;

    /// A reader whose pcapng interface tables hold `N` interfaces per
    /// section (choose `N` with a type annotation).
    pub fn with_capacity(reader: R) -> Self {
        Self {
            buf: ReadBuffer::new(reader, Self::DEFAULT_BUFFER),
            pcap_parser: pcap::Parser::new(),
            pcapng_parser: pcapng::Parser::new(),
            format: None,
            pcap: pcap::Carried::start(),
            pcapng: pcapng::Carried::start(),
            finished: false,
        }
    }

    /// Checks pcap records as `parser` does.
    pub fn pcap_parser(mut self, parser: pcap::Parser) -> Self {
        self.pcap_parser = parser;
        self
    }

    /// Checks pcapng blocks as `parser` does.
    pub fn pcapng_parser(mut self, parser: pcapng::Parser) -> Self {
        self.pcapng_parser = parser;
        self
    }

    /// The buffer's initial size (at least 1 byte). Set it before reading.
    pub fn buffer_size(mut self, bytes: usize) -> Self {
        self.buf.set_initial_size(bytes);
        self
    }

    /// The format, once the first bytes were read (input that is neither
    /// pcapng nor empty is read as pcap, whose header then fails).
    pub const fn format(&self) -> Option<Format> {
        self.format
    }

    /// The pcap global header, once read.
    pub const fn pcap_header(&self) -> Option<&pcap::Header> {
        self.pcap.header()
    }

    /// The buffer's size now.
    pub fn buffer_capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// The pcapng reader's state: the current section and its interfaces
    /// (as of the last record handed out).
    pub const fn state(&self) -> &State<N> {
        self.pcapng.state()
    }

    /// Work done by the searches so far (as the slice readers count it).
    pub const fn work(&self) -> u64 {
        match self.format {
            Some(Format::PcapNg) => self.pcapng.work(),
            _ => self.pcap.work(),
        }
    }

    /// Hands every record to `f`, in file order, until the input ends or
    /// `f` breaks (a later call goes on from there). The records borrow the
    /// buffer for the call only. An error reading the input ends the call
    /// with it; the records before it were handed out.
    pub fn for_each(
        &mut self,
        mut f: impl FnMut(CaptureRecord<'_>) -> ControlFlow<()>,
    ) -> io::Result<()> {
        if self.finished {
            return Ok(());
        }
        while self.buf.buffered().len() < 4 && !self.buf.is_eof() {
            self.buf.fill(4)?;
        }
        if self.buf.buffered().is_empty() {
            self.finished = true;
            return Ok(());
        }
        let format = *self.format.get_or_insert(match detect(self.buf.buffered()) {
            Some(Format::PcapNg) => Format::PcapNg,
            _ => Format::Pcap,
        });
        match format {
            Format::PcapNg => self.pcapng_records(&mut f),
            _ => self.pcap_records(&mut f),
        }
    }

    fn pcap_records(
        &mut self,
        f: &mut impl FnMut(CaptureRecord<'_>) -> ControlFlow<()>,
    ) -> io::Result<()> {
        loop {
            let complete = self.buf.is_eof();
            let base = self.buf.offset();
            let window = self.buf.buffered();
            let parser = self.pcap_parser;
            let mut reader = pcap::Recovering::resume(parser, window, base, &self.pcap, complete);
            loop {
                // A search goes as far as the window lets it, then waits
                // for more bytes with what it has passed let go.
                if reader.search(u64::MAX).is_some() && reader.take_short() {
                    self.pcap = reader.carried();
                    break;
                }
                let before = reader.carried();
                let record = reader.next();
                if reader.take_short() {
                    // Judged with bytes the window lacks: again, with more.
                    self.pcap = before;
                    break;
                }
                let Some(record) = record else {
                    self.pcap = reader.carried();
                    self.finished = true;
                    return Ok(());
                };
                if f(record).is_break() {
                    self.pcap = reader.carried();
                    return Ok(());
                }
            }
            self.refill(self.pcap.keep_from(), self.pcap_parser.record_size_limit())?;
        }
    }

    fn pcapng_records(
        &mut self,
        f: &mut impl FnMut(CaptureRecord<'_>) -> ControlFlow<()>,
    ) -> io::Result<()> {
        loop {
            let complete = self.buf.is_eof();
            let base = self.buf.offset();
            let window = self.buf.buffered();
            let parser = self.pcapng_parser;
            let mut reader =
                pcapng::Recovering::resume(parser, window, base, &self.pcapng, complete);
            loop {
                if reader.search(u64::MAX).is_some() && reader.take_short() {
                    break;
                }
                let undo = reader.undo_point();
                let record = reader.next();
                if reader.take_short() {
                    reader.undo(undo);
                    break;
                }
                let Some(record) = record else {
                    self.pcapng = reader.carried();
                    self.finished = true;
                    return Ok(());
                };
                if f(record).is_break() {
                    self.pcapng = reader.carried();
                    return Ok(());
                }
            }
            self.pcapng = reader.carried();
            self.refill(self.pcapng.keep_from(), self.pcapng_parser.block_size_limit())?;
        }
    }

    /// Lets go of the bytes before absolute offset `keep`, and reads more,
    /// doubling the buffer if what is kept fills it. A decision never needs
    /// more than three of the largest records (`limit` bytes) and their
    /// headers; a window that large still short means the reader is wrong,
    /// which ends the stream with an error rather than growing forever.
    fn refill(&mut self, keep: u64, limit: u32) -> io::Result<()> {
        if self.buf.is_eof() {
            return Err(io::Error::other("recovery needed bytes past the end of the input"));
        }
        let drop = usize::try_from(keep.saturating_sub(self.buf.offset())).unwrap_or(usize::MAX);
        self.buf.consume(drop.min(self.buf.buffered().len()));
        let held = self.buf.buffered().len() as u64;
        let most = 4 * (u64::from(limit) + 64) + Self::DEFAULT_BUFFER as u64;
        if held >= most {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("recovery needed more than {most} bytes buffered"),
            ));
        }
        self.buf.fill((2 * held).clamp(held + 1, most))
    }
}
