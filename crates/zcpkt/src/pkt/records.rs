//! `Records`: the record stream of `dump --json`, with optional recovery.

use super::error::{Error, ErrorKind};
use super::packet::{Packet, PacketErrors};
use super::parse::{HashProgress, Parser};
use super::resync::{InlineCheckpoints, ReadAt, Scan, Scanner, Window, COARSE};

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

/// Where a recovery's search stopped when its budget ran out (see
/// [`Records::search`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchProgress {
    /// The search has passed every position before this one (relative to
    /// the slice); of those it reads again only checksum anchors, at most
    /// one coarse checkpoint stride back (`len / (table - 1)` bytes rounded
    /// up to a power of two, at least 4 KiB, for a checkpoint table of
    /// `table` entries: 4096 inline).
    pub position: usize,
    /// The furthest position read so far: payload checksums read ahead of
    /// `position`, up to the end of the slice.
    pub read_to: usize,
}

/// Iterates over the records of a slice: packets, errors and, when
/// recovering, skipped ranges, in the order the spec gives.
///
/// Without recovery it stops after the first error that loses framing; with
/// recovery it goes on at the next `PKT\0` that starts a valid packet.
///
/// `C` is the recovery scanner's checkpoint table: inline by default, or
/// lent with [`with_checkpoints`](Records::with_checkpoints).
#[derive(Clone, Debug)]
pub struct Records<'a, C = InlineCheckpoints> {
    input: &'a [u8],
    pos: usize,
    base: u64,
    parser: Parser,
    recover: bool,
    pending_errors: Option<PacketErrors>,
    /// A recovery under way (its error was given), or over (its `skipped`
    /// record is next).
    recovery: Option<Recovery>,
    /// Kept across recoveries so that their total work stays linear.
    scanner: Scanner<C>,
}

/// The search for the packet that ends a skipped range.
#[derive(Clone, Copy, Debug)]
struct Recovery {
    /// The `skipped` record's offset: the error's.
    offset: u64,
    /// The search goes on from here.
    at: usize,
    /// Where the next packet starts (the input's end if none), once found.
    found: Option<usize>,
}

impl<'a> Records<'a> {
    /// Records of `input`, whose first byte is at absolute offset `base`.
    pub const fn new(parser: Parser, input: &'a [u8], base: u64, recover: bool) -> Self {
        Self::with_checkpoints(parser, input, base, recover, [0; COARSE])
    }
}

impl<'a, C: AsRef<[u32]> + AsMut<[u32]>> Records<'a, C> {
    /// [`new`](Records::new), with the recovery scanner's checkpoints kept
    /// in `table` (see [`Scanner::with_table`]): with
    /// [`checkpoints_for`](super::checkpoints_for)`(input.len())` entries,
    /// recovery stays linear however the fake payloads' ends are scattered,
    /// for `input.len() / 1024` bytes of table. The records are the same.
    pub const fn with_checkpoints(
        parser: Parser,
        input: &'a [u8],
        base: u64,
        recover: bool,
        table: C,
    ) -> Self {
        Self {
            input,
            pos: 0,
            base,
            parser,
            recover,
            pending_errors: None,
            recovery: None,
            scanner: Scanner::with_table(table),
        }
    }

    /// Bytes consumed so far (relative to the slice's start).
    pub const fn position(&self) -> usize {
        self.pos
    }

    /// Goes on from `position` (a packet boundary, relative to the slice),
    /// giving the records a new `Records` over the rest of the slice would
    /// give, but keeping what earlier recoveries learned about the input:
    /// for a caller that parses the stretches between recoveries itself
    /// (the parallel parser), so that their total work stays linear.
    pub fn resume_at(&mut self, position: usize) {
        self.pos = position.min(self.input.len());
        self.pending_errors = None;
        self.recovery = None;
    }

    /// Goes on with a recovery under way for about `budget` units of work
    /// (bytes examined): `Some` with where it stands if the budget ran out
    /// first (call again), `None` if no search is under way (the next
    /// [`next`](Iterator::next) then searches no more). `next` alone runs a
    /// search to its end; calling this first lets a caller act during a
    /// long one, e.g. release memory (as
    /// the `std` feature's `source::mmap::MappedFile` does). The records
    /// are the same either way.
    #[inline]
    pub fn search(&mut self, budget: u64) -> Option<SearchProgress> {
        self.search_reading(budget, &mut ())
    }

    /// [`search`](Self::search), with the checksum reads far ahead of the
    /// search served by `far` where it can (see [`Scanner::scan_reading`]):
    /// `far` reads the slice's positions, e.g. a mapped file's bytes by
    /// positioned reads, so that those scattered reads do not map the
    /// pages they touch. The records are the same.
    #[inline]
    pub fn search_reading(&mut self, budget: u64, far: &mut dyn ReadAt) -> Option<SearchProgress> {
        match self.recovery {
            Some(recovery) if recovery.found.is_none() => self.search_from(recovery, budget, far),
            _ => None,
        }
    }

    fn search_from(
        &mut self,
        recovery: Recovery,
        budget: u64,
        far: &mut dyn ReadAt,
    ) -> Option<SearchProgress> {
        let window = Window::whole(self.input);
        let found = match self.scanner.scan_reading(&self.parser, window, recovery.at, budget, far)
        {
            Scan::Found(at) => at,
            Scan::Paused { resume_at, read_to } => {
                self.recovery = Some(Recovery { at: resume_at, ..recovery });
                return Some(SearchProgress { position: resume_at, read_to });
            }
            // A whole input never needs more.
            Scan::NotFound | Scan::NeedMore { .. } => self.input.len(),
        };
        self.recovery = Some(Recovery { found: Some(found), ..recovery });
        None
    }

    fn lost_framing(&mut self, error: Error) {
        if self.recover {
            self.recovery = Some(Recovery { offset: error.offset, at: self.pos + 1, found: None });
        } else {
            self.pos = self.input.len();
        }
    }

    /// The `skipped` record that ends a recovery, searching to its end.
    #[cold]
    fn skipped(&mut self, recovery: Recovery) -> Record<'a> {
        if recovery.found.is_none() {
            // With no budget the search runs to its end.
            let _ = self.search_from(recovery, u64::MAX, &mut ());
        }
        let next = self.recovery.and_then(|r| r.found).unwrap_or(self.input.len());
        self.recovery = None;
        let len = (next - self.pos) as u64;
        self.pos = next;
        Record::Skipped(Skipped { offset: recovery.offset, len })
    }
}

impl<'a, C: AsRef<[u32]> + AsMut<[u32]>> Iterator for Records<'a, C> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        self.next_hashing(&mut ())
    }
}

impl<'a, C: AsRef<[u32]> + AsMut<[u32]>> Records<'a, C> {
    /// [`next`](Iterator::next), hashing a large payload in pieces and
    /// telling `progress` how far it got (see
    /// [`Parser::parse_packet_hashing`]), e.g. to release the memory behind
    /// it (as the `std` feature's `source::mmap::MappedFile` does). The
    /// records are the same.
    #[inline]
    pub fn next_hashing<H: HashProgress + ?Sized>(
        &mut self,
        progress: &mut H,
    ) -> Option<Record<'a>> {
        if let Some(error) = self.pending_errors.as_mut().and_then(Iterator::next) {
            return Some(Record::Error(error));
        }
        self.pending_errors = None;
        if let Some(recovery) = self.recovery {
            return Some(self.skipped(recovery));
        }
        let rest = self.input.get(self.pos..).filter(|rest| !rest.is_empty())?;
        let offset = self.base + self.pos as u64;
        match self.parser.parse_packet_hashing(rest, offset, progress) {
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

impl<C: AsRef<[u32]> + AsMut<[u32]>> core::iter::FusedIterator for Records<'_, C> {}

impl Parser {
    /// The record stream of `input` (offsets from 0); `recover` goes on past
    /// errors that lose framing.
    pub const fn records<'a>(&self, input: &'a [u8], recover: bool) -> Records<'a> {
        Records::new(*self, input, 0, recover)
    }
}
