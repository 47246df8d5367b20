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
//! and the records a search inside it looks at (for pcap, with the record
//! of the candidate it found and those inside that one), so at most about
//! three times the largest record or block the parser accepts.
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
    pub const DEFAULT_BUFFER: usize = DEFAULT_BUFFER;

    /// A reader whose pcapng interface tables hold `N` interfaces per
    /// section (choose `N` with a type annotation).
    pub fn with_capacity(reader: R) -> Self {
        Self {
            buf: ReadBuffer::new(reader, Self::DEFAULT_BUFFER),
            pcap_parser: pcap::Parser::new(),
            pcapng_parser: pcapng::Parser::new(),
            format: None,
            pcap: pcap::Carried::default(),
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
        let (buf, finished) = (&mut self.buf, &mut self.finished);
        match format {
            Format::PcapNg => {
                let (parser, carried) = (self.pcapng_parser, &mut self.pcapng);
                let limit = parser.block_size_limit();
                drive::<PcapNgReader<N>, _>(buf, parser, limit, carried, &mut f, finished)
            }
            _ => {
                let (parser, carried) = (self.pcap_parser, &mut self.pcap);
                let limit = parser.record_size_limit();
                drive::<PcapReader, _>(buf, parser, limit, carried, &mut f, finished)
            }
        }
    }
}

/// Hands the records of the input in `buf` to `f` with the recovering
/// reader `W`, going on from `carried` (see the module docs): window after
/// window, undoing a decision that went short and taking it again with more
/// bytes, letting a search go on where it stopped.
fn drive<W: WindowReader, R: io::Read>(
    buf: &mut ReadBuffer<R>,
    parser: W::Parser,
    limit: u32,
    carried: &mut W::Carried,
    f: &mut impl FnMut(CaptureRecord<'_>) -> ControlFlow<()>,
    finished: &mut bool,
) -> io::Result<()> {
    loop {
        let complete = buf.is_eof();
        let mut reader = W::resume(parser, buf.buffered(), buf.offset(), carried, complete);
        loop {
            // A search goes as far as the window lets it, then waits for
            // more bytes with what it has passed let go.
            if W::search(&mut reader).is_some() && W::take_short(&reader) {
                break;
            }
            let undo = W::undo_point(&reader);
            let record = reader.next();
            if W::take_short(&reader) {
                // Judged with bytes the window lacks: again, with more.
                W::undo(&mut reader, undo);
                break;
            }
            let Some(record) = record else {
                *carried = W::carried(&reader);
                *finished = true;
                return Ok(());
            };
            if f(record).is_break() {
                *carried = W::carried(&reader);
                return Ok(());
            }
        }
        *carried = W::carried(&reader);
        drop(reader);
        refill(buf, W::keep_from(carried), limit)?;
    }
}

/// A recovering slice reader as [`drive`] runs it over a stream's windows.
trait WindowReader {
    type Reader<'a>: Iterator<Item = CaptureRecord<'a>>;
    type Parser: Copy;
    /// Its state between windows, positions absolute.
    type Carried;
    /// What undoes one decision.
    type Undo;

    fn resume<'a>(
        parser: Self::Parser,
        window: &'a [u8],
        base: u64,
        carried: &Self::Carried,
        complete: bool,
    ) -> Self::Reader<'a>;
    /// A search step to the window's end (`Some` if it stopped short of
    /// where reading resumes).
    fn search(reader: &mut Self::Reader<'_>) -> Option<usize>;
    fn take_short(reader: &Self::Reader<'_>) -> bool;
    fn undo_point(reader: &Self::Reader<'_>) -> Self::Undo;
    fn undo(reader: &mut Self::Reader<'_>, point: Self::Undo);
    fn carried(reader: &Self::Reader<'_>) -> Self::Carried;
    /// The first absolute offset the next window must hold.
    fn keep_from(carried: &Self::Carried) -> u64;
}

struct PcapReader;

impl WindowReader for PcapReader {
    type Reader<'a> = pcap::Recovering<'a>;
    type Parser = pcap::Parser;
    type Carried = pcap::Carried;
    // The state is a few scalars: the whole of it.
    type Undo = pcap::Carried;

    fn resume<'a>(
        parser: pcap::Parser,
        window: &'a [u8],
        base: u64,
        carried: &pcap::Carried,
        complete: bool,
    ) -> pcap::Recovering<'a> {
        pcap::Recovering::resume(parser, window, base, carried, complete)
    }

    fn search(reader: &mut pcap::Recovering<'_>) -> Option<usize> {
        reader.search(u64::MAX)
    }

    fn take_short(reader: &pcap::Recovering<'_>) -> bool {
        reader.take_short()
    }

    fn undo_point(reader: &pcap::Recovering<'_>) -> pcap::Carried {
        reader.carried()
    }

    fn undo(reader: &mut pcap::Recovering<'_>, point: pcap::Carried) {
        reader.undo(&point);
    }

    fn carried(reader: &pcap::Recovering<'_>) -> pcap::Carried {
        reader.carried()
    }

    fn keep_from(carried: &pcap::Carried) -> u64 {
        carried.keep_from()
    }
}

struct PcapNgReader<const N: usize>;

impl<const N: usize> WindowReader for PcapNgReader<N> {
    type Reader<'a> = pcapng::Recovering<'a, N>;
    type Parser = pcapng::Parser;
    type Carried = pcapng::Carried<N>;
    // Not the interface table: a mark of what one block changes of it.
    type Undo = pcapng::Undo;

    fn resume<'a>(
        parser: pcapng::Parser,
        window: &'a [u8],
        base: u64,
        carried: &pcapng::Carried<N>,
        complete: bool,
    ) -> pcapng::Recovering<'a, N> {
        pcapng::Recovering::resume(parser, window, base, carried, complete)
    }

    fn search(reader: &mut pcapng::Recovering<'_, N>) -> Option<usize> {
        reader.search(u64::MAX)
    }

    fn take_short(reader: &pcapng::Recovering<'_, N>) -> bool {
        reader.take_short()
    }

    fn undo_point(reader: &pcapng::Recovering<'_, N>) -> pcapng::Undo {
        reader.undo_point()
    }

    fn undo(reader: &mut pcapng::Recovering<'_, N>, point: pcapng::Undo) {
        reader.undo(point);
    }

    fn carried(reader: &pcapng::Recovering<'_, N>) -> pcapng::Carried<N> {
        reader.carried()
    }

    fn keep_from(carried: &pcapng::Carried<N>) -> u64 {
        carried.keep_from()
    }
}

/// The initial buffer size of a [`RecoveringCaptureStream`].
const DEFAULT_BUFFER: usize = 1 << 20;

/// Lets go of the bytes before absolute offset `keep`, and reads more,
/// doubling the buffer if what is kept fills it. A decision never needs
/// more than three of the largest records (`limit` bytes) and their
/// headers; a window that large still short means the reader is wrong,
/// which ends the stream with an error rather than growing forever.
fn refill<R: io::Read>(buf: &mut ReadBuffer<R>, keep: u64, limit: u32) -> io::Result<()> {
    if buf.is_eof() {
        return Err(io::Error::other("recovery needed bytes past the end of the input"));
    }
    let drop = usize::try_from(keep.saturating_sub(buf.offset())).unwrap_or(usize::MAX);
    buf.consume(drop.min(buf.buffered().len()));
    let held = buf.buffered().len() as u64;
    let most = 4 * (u64::from(limit) + 64) + DEFAULT_BUFFER as u64;
    if held >= most {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("recovery needed more than {most} bytes buffered"),
        ));
    }
    buf.fill((2 * held).clamp(held + 1, most))
}
