//! `Records`: the record stream of `dump --json`, with optional recovery.

use super::error::{Error, ErrorKind};
use super::packet::{Packet, PacketErrors};
use super::parse::Parser;
use super::resync::{Scan, Scanner, Window};

/// A byte range that recovery jumped over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Skipped {
    /// Offset of the first skipped byte (the failed packet's first byte).
    pub offset: u64,
    /// Number of bytes skipped.
    pub len: u64,
}

/// One record of the stream `shared/spec/dump-json.md` describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Record<'a> {
    /// A packet whose framing is intact (it may be followed by its errors).
    Packet(Packet<'a>),
    /// An error at a position where a packet was expected.
    Error(Error),
    /// Bytes skipped by recovery (only when recovering).
    Skipped(Skipped),
}

/// What [`Records::next_bounded`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bounded<T> {
    /// What [`Iterator::next`] gives.
    Ready(T),
    /// Recovery spent its budget searching; call again to go on.
    Pending {
        /// The search has passed every position before this one (relative
        /// to the slice): only its checksum anchors, at most one coarse
        /// checkpoint stride back (`len / 4095` bytes rounded up to a power
        /// of two, at least 4 KiB), are read again.
        position: usize,
        /// The furthest position read so far: payload checksums read ahead
        /// of `position`, up to the end of the slice.
        read_to: usize,
    },
}

/// Iterates over the records of a slice: packets, errors and, when
/// recovering, skipped ranges, in the order the spec gives.
///
/// Without recovery it stops after the first error that loses framing; with
/// recovery it goes on at the next `PKT\0` that starts a valid packet.
#[derive(Clone, Debug)]
pub struct Records<'a> {
    input: &'a [u8],
    pos: usize,
    base: u64,
    parser: Parser,
    recover: bool,
    pending_errors: Option<PacketErrors>,
    /// A recovery under way, after its error record.
    resync: Option<Resync>,
    /// Kept across recoveries so that their total work stays linear.
    scanner: Scanner,
}

/// The search for the packet that ends a skipped range.
#[derive(Clone, Copy, Debug)]
struct Resync {
    /// The `skipped` record's offset: the error's.
    offset: u64,
    /// The search goes on from here.
    at: usize,
}

impl<'a> Records<'a> {
    /// Records of `input`, whose first byte is at absolute offset `base`.
    pub const fn new(parser: Parser, input: &'a [u8], base: u64, recover: bool) -> Self {
        Self {
            input,
            pos: 0,
            base,
            parser,
            recover,
            pending_errors: None,
            resync: None,
            scanner: Scanner::new(),
        }
    }

    /// Bytes consumed so far (relative to the slice's start).
    pub const fn position(&self) -> usize {
        self.pos
    }

    /// [`next`](Iterator::next), but a recovery returns control after about
    /// `budget` units of search work (bytes examined), saying where it is:
    /// a caller can then release memory the search has passed (as
    /// [`MappedFile`](crate::source::mmap::MappedFile) does) and call again.
    /// The records are the same whatever the budget.
    #[inline]
    pub fn next_bounded(&mut self, budget: u64) -> Bounded<Option<Record<'a>>> {
        if let Some(error) = self.pending_errors.as_mut().and_then(Iterator::next) {
            return Bounded::Ready(Some(Record::Error(error)));
        }
        self.pending_errors = None;
        match self.resync {
            Some(resync) => self.search(resync, budget),
            None => Bounded::Ready(self.parse_next()),
        }
    }

    fn lost_framing(&mut self, error: Error) {
        if self.recover {
            self.resync = Some(Resync { offset: error.offset, at: self.pos + 1 });
        } else {
            self.pos = self.input.len();
        }
    }

    /// Goes on with a recovery; the `skipped` record once it is over.
    fn search(&mut self, resync: Resync, budget: u64) -> Bounded<Option<Record<'a>>> {
        let window = Window::whole(self.input);
        let next = match self.scanner.scan(&self.parser, window, resync.at, budget) {
            Scan::Found(at) => at,
            Scan::Paused { resume_at, read_to } => {
                self.resync = Some(Resync { at: resume_at, ..resync });
                return Bounded::Pending { position: resume_at, read_to };
            }
            // A whole input never needs more.
            Scan::NotFound | Scan::NeedMore { .. } => self.input.len(),
        };
        self.resync = None;
        let len = (next - self.pos) as u64;
        self.pos = next;
        Bounded::Ready(Some(Record::Skipped(Skipped { offset: resync.offset, len })))
    }

    #[inline]
    fn parse_next(&mut self) -> Option<Record<'a>> {
        let rest = self.input.get(self.pos..).filter(|rest| !rest.is_empty())?;
        let offset = self.base + self.pos as u64;
        match self.parser.parse_packet(rest, offset) {
            Ok(packet) => {
                self.pos += packet.len();
                if !packet.is_valid() {
                    self.pending_errors = Some(packet.errors());
                }
                Some(Record::Packet(packet))
            }
            Err(error) => {
                if let ErrorKind::TooLarge { size, .. } = error.kind {
                    // Checked against the slice: the whole packet is present.
                    self.pos += size as usize;
                } else {
                    self.lost_framing(error);
                }
                Some(Record::Error(error))
            }
        }
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;

    #[inline]
    fn next(&mut self) -> Option<Record<'a>> {
        loop {
            // With no budget a recovery runs to its end.
            if let Bounded::Ready(record) = self.next_bounded(u64::MAX) {
                return record;
            }
        }
    }
}

impl core::iter::FusedIterator for Records<'_> {}

impl Parser {
    /// The record stream of `input` (offsets from 0); `recover` goes on past
    /// errors that lose framing.
    pub const fn records<'a>(&self, input: &'a [u8], recover: bool) -> Records<'a> {
        Records::new(*self, input, 0, recover)
    }
}
