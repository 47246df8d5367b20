//! `Recovering`: the records of a pcap slice, read past damage.
//!
//! Records are read as [`Frames`](super::Frames) reads them, with two more
//! checks:
//!
//! - a record header that no writer produces — an original length of 0,
//!   or a fraction of a second at or over one second — is damage
//!   (`ImplausibleRecord`): that is how a zeroed or overwritten region
//!   reads, which the strict reader would take for empty records;
//! - when the header right after a record is not plausible (the rule
//!   below) and the input does not end there, either the record's
//!   captured length or what follows it is damaged. A search inside the
//!   record tells which: a plausible record starting before its end
//!   means its length is wrong (`RecordOverlapsNext` at the record,
//!   skipped up to the one inside), unless the comparison below moves
//!   that candidate past the record's end. Otherwise the record is handed
//!   out and what follows is read as usual (damage there is reported
//!   there, as the strict reader does; an odd but valid record is read).
//!
//! At damage the error is handed out, then a search finds the first
//! position after it where a record is plausible (a candidate), which is
//! compared (below), and reading goes on there or where the comparison
//! moves it; the bytes in between are one skipped range.
//!
//! # The re-synchronisation rule
//!
//! pcap records have no magic, so a position `q` is where reading may
//! resume (a resume point; a search takes the first, its candidate) iff
//! the record header at `q` is plausible:
//!
//! - its captured length is at most the parser's limit, at most the file's
//!   snap length (unless that is 0), and at most its original length;
//! - its original length is between 1 and [`MAX_ORIGINAL_LEN`];
//! - its fraction of a second is below 10^6 (µs files) or 10^9 (ns files);
//! - its seconds are within [`TIMESTAMP_WINDOW_SECS`] of the last record
//!   read that a plausible record near it in time followed (either way;
//!   not checked before the first such record): a record right before
//!   damage may be garbage that passed, so it does not move the window. A
//!   search inside a record compares with that record's own seconds;
//! - the record lies within the input;
//!
//! and the header right after the record is plausible too, or the record
//! ends exactly at the input's end. Every byte position after the damage is
//! tried: pcap records are not aligned.
//!
//! # Comparing a candidate
//!
//! A candidate's record may be misframed data: in a regular trace (a
//! simulator's: timestamps near the epoch, zeroed payloads, one record
//! size) a header read a byte or 8 bytes off is often plausible too, and
//! its record, taken, runs over the real ones and lands on another such
//! header. The real record is then inside it, and nearer in time. So a
//! candidate (found with timestamps near a reference: the window's centre
//! after damage, the record's own seconds inside a record) is replaced by
//! the first position inside its record (after it, before its end) where
//! the rule holds with that reference and whose seconds are strictly
//! nearer the reference than the candidate's. Inside a record, the
//! replacement may lie past the record's end: then its length was right
//! and it is handed out. Not done after damage before any record was read
//! that a plausible one followed (no reference). The positions a
//! comparison tries are paid from a credit (see Work): one that runs out
//! of it keeps the candidate.
//!
//! # What it cannot guarantee
//!
//! - A damaged captured length that lands, by chance, on a plausible
//!   header misframes the records after it, which are read until a header
//!   fails; records in that stretch are lost and frames of garbage handed
//!   out. A captured length made smaller hands out the record cut short
//!   (nothing tells where it really ended), then resumes at the next one.
//! - A record right before damage can be condemned by a record "inside" it
//!   whose header is partly its last bytes and partly what follows: the
//!   first bytes of the next header removed, say, leave a header whose
//!   high-order bytes are real. That record is then lost
//!   (`RecordOverlapsNext` at its offset) and the damaged one read.
//! - On an undamaged file, a record followed by an odd one (a timestamp
//!   jump, a captured length over the original) whose data holds two
//!   plausible headers in a row is reported as `RecordOverlapsNext`.
//! - Packet data that holds two plausible headers in a row, each at the
//!   other's end, is taken for records when the search reaches it (the
//!   real records after it are found again at the next damage), unless a
//!   real record nearer in time lies inside the first (the comparison).
//!   Regular captures hold such data by construction (big-endian, 64-byte
//!   frames: a header read one byte late has captured length 16384, and
//!   16 + 16384 = 205 records of 80 bytes, so the next one is plausible as
//!   well); the comparison finds the real record inside, so 40 bytes of
//!   damage in such a file lose the damaged record only (they lost about
//!   1 200 records to misframing before it). That fails when the damage
//!   covers every real header inside the misframed candidate's record,
//!   when timestamps do not grow with the records (a misframed header may
//!   be the nearer in time), or when crafted input has spent the credit.
//! - A record right before further damage fails the rule's second half and
//!   is skipped, unless it is the last of the input; so is one whose
//!   captured length is over the snap length or its original length (the
//!   search resumes at a later one). Records more than the window away in
//!   time from the last good one are never where reading resumes: if the
//!   capture's clock jumped (or it paused for weeks) right at the damage,
//!   every record after it is skipped.
//!
//! # Work
//!
//! Each position costs O(1). A search that tells a record's damage apart
//! covers that record only, up to the candidate it finds; a search after
//! an error starts past the error and stops at its candidate; reading
//! goes on at or after that candidate. So those searches try each
//! position at most twice. A comparison tries the positions after its
//! candidate up to the end of that one's record, which crafted input can
//! make overlap from one candidate to the next; so comparisons are paid
//! from a credit that each byte handed out or skipped adds one to, up to
//! [`COMPARE_CREDIT_RECORDS`] of the largest records (the parser's limit
//! and a header), and that each position a comparison tries takes one
//! from, the comparison stopping when it is spent. A comparison covers
//! at most one record, which reading it then adds back: it is crafted
//! input that spends the credit, not a capture's own damage. The total
//! work is at most twice the input's length plus the credit's cap.

use super::header::{Header, HEADER_LEN, RECORD_HEADER_LEN};
use super::parse::{Parser, DEFAULT_MAX_RECORD_SIZE};
use crate::capture::{bytes_at, CaptureError, CaptureErrorKind, Frame};
use crate::capture_record::{CaptureRecord, Skipped};
use crate::pcapng::Block;
use crate::window_end::{in_window, WindowEnd};

/// The largest original length a plausible record header has: libpcap's
/// largest snap length, which no link type's frames exceed in practice.
pub const MAX_ORIGINAL_LEN: u32 = DEFAULT_MAX_RECORD_SIZE;

/// How far (seconds, either way) a plausible record's timestamp may be from
/// the last record read: 30 days, so a recorder restarted after a long
/// weekend still resumes, while random seconds pass one time in ~800.
pub const TIMESTAMP_WINDOW_SECS: u32 = 30 * 24 * 3600;

/// How many of the largest records (the parser's limit and a header) the
/// comparisons of candidates (module docs) may try positions of ahead of
/// the bytes read: each byte handed out or skipped adds one to their
/// credit, up to that. Crafted input can make every candidate's
/// comparison run to its record's end; this keeps their work within the
/// input's length plus the cap, while a real candidate's comparison (one
/// record) always has the credit.
pub const COMPARE_CREDIT_RECORDS: u64 = 2;

/// Iterates over the frames of a pcap file in a slice, going on past
/// damage: every frame (as a [`Block::Frame`]), then at damage a
/// [`CaptureRecord::Error`] and a [`CaptureRecord::Skipped`] for the bytes
/// up to where reading resumes (see the module docs for the rule).
///
/// The global header and the frames and skipped ranges tile the input.
/// A global header that cannot be read leaves no byte order to read
/// records with: its error, then the whole input skipped. An empty input
/// has no records. On an undamaged file it gives exactly the frames of
/// [`Frames`](super::Frames), unless a record has an original length of 0
/// or a fraction of a second at or over one second, or an odd record
/// follows one whose data looks like records (see the module docs).
#[derive(Clone, Debug)]
pub struct Recovering<'a> {
    input: &'a [u8],
    pos: usize,
    base: u64,
    parser: Parser,
    header: Option<Header>,
    /// The seconds of the last record read that a plausible record near it
    /// in time follows (or the input's end): the timestamp window's centre.
    /// A record before damage is not trusted with it (it may be garbage
    /// that passed); one after a jump of the clock is, once confirmed.
    last_secs: Option<u32>,
    /// An error was given at `pos`: its skipped range is next, up to the
    /// position given or to where a search from `pos` resumes reading.
    damaged: Option<Option<usize>>,
    /// Where that search goes on: positions before it were tried by
    /// [`search`](Self::search) steps.
    search_at: usize,
    /// Absolute offset of that error: where its skipped range starts.
    origin: u64,
    work: u64,
    /// Where the input ends: the slice's end, or a stream's window whose
    /// decisions that look past it are taken again with more bytes.
    end: WindowEnd,
    /// Where the last `find` stopped when a position's check went short.
    stopped: usize,
    /// What the comparisons have taken of their credit's cap
    /// ([`COMPARE_CREDIT_RECORDS`]): 0 is a full credit (so a stream's
    /// default state starts with one).
    debt: u64,
}

/// What a recovering reader over a stream's window carries to the next
/// window: its state, with positions as absolute offsets. The default is
/// the state before the first byte of a stream.
#[derive(Clone, Copy, Debug, Default)]
#[cfg_attr(not(feature = "std"), allow(dead_code))] // for the std stream
pub(crate) struct Carried {
    pos: u64,
    header: Option<Header>,
    last_secs: Option<u32>,
    damaged: Option<Option<u64>>,
    search_at: u64,
    origin: u64,
    work: u64,
    debt: u64,
}

#[cfg_attr(not(feature = "std"), allow(dead_code))] // for the std stream
impl Carried {
    /// The first absolute offset a window must still hold: where reading
    /// goes on, or (during a search) one byte before where the search goes
    /// on, which then stands for the damage's position.
    pub(crate) fn keep_from(&self) -> u64 {
        match self.damaged {
            Some(None) => self.search_at.saturating_sub(1).max(self.pos),
            _ => self.pos,
        }
    }

    /// The global header, once read.
    pub(crate) const fn header(&self) -> Option<&Header> {
        self.header.as_ref()
    }

    /// Work done by the searches so far.
    pub(crate) const fn work(&self) -> u64 {
        self.work
    }
}

/// The four fields of a record header, as written.
#[derive(Clone, Copy)]
struct Fields {
    secs: u32,
    frac: u32,
    captured: u32,
    original: u32,
}

impl<'a> Recovering<'a> {
    /// Frames of the whole file `input` (global header first), whose first
    /// byte is at absolute offset `base`.
    pub const fn new(parser: Parser, input: &'a [u8], base: u64) -> Self {
        Self {
            input,
            pos: 0,
            base,
            parser,
            header: None,
            last_secs: None,
            damaged: None,
            search_at: 0,
            origin: 0,
            work: 0,
            end: WindowEnd::whole(),
            stopped: 0,
            debt: 0,
        }
    }

    /// A reader over a stream's buffered `window` (whose first byte is at
    /// absolute offset `base`, at or before `carried.keep_from()`), going
    /// on from `carried`; `complete` when the window runs to the input's
    /// end.
    #[cfg_attr(not(feature = "std"), allow(dead_code))] // for the std stream
    pub(crate) fn resume(
        parser: Parser,
        window: &'a [u8],
        base: u64,
        carried: &Carried,
        complete: bool,
    ) -> Self {
        let rel = |abs| in_window(abs, base);
        Self {
            input: window,
            // During a search the damage may lie before the window: the
            // skipped range's start is `origin` anyway.
            pos: rel(carried.pos),
            base,
            parser,
            header: carried.header,
            last_secs: carried.last_secs,
            damaged: carried.damaged.map(|to| to.map(rel)),
            search_at: rel(carried.search_at),
            origin: carried.origin,
            work: carried.work,
            end: WindowEnd::window(complete),
            stopped: 0,
            debt: carried.debt,
        }
    }

    /// The state to go on from in the next window.
    #[cfg_attr(not(feature = "std"), allow(dead_code))] // for the std stream
    pub(crate) fn carried(&self) -> Carried {
        let abs = |rel: usize| self.base + rel as u64;
        Carried {
            pos: abs(self.pos),
            header: self.header,
            last_secs: self.last_secs,
            damaged: self.damaged.map(|to| to.map(abs)),
            search_at: abs(self.search_at),
            origin: self.origin,
            work: self.work,
            debt: self.debt,
        }
    }

    /// Undoes the decisions taken since `carried` was taken from this
    /// reader (over the same window).
    #[cfg_attr(not(feature = "std"), allow(dead_code))] // for the std stream
    pub(crate) fn undo(&mut self, carried: &Carried) {
        let end = core::mem::replace(&mut self.end, WindowEnd::whole());
        *self = Self { end, ..Self::resume(self.parser, self.input, self.base, carried, true) };
    }

    /// Whether a decision since the last call needed bytes past the window
    /// (see [`WindowEnd`]); clears the flag.
    #[cfg_attr(not(feature = "std"), allow(dead_code))] // for the std stream
    pub(crate) fn take_short(&self) -> bool {
        self.end.take_short()
    }

    /// Whether the input ends at `at` (see [`WindowEnd::ends_at`]).
    fn ends_at(&self, at: usize) -> bool {
        self.end.ends_at(at, self.input.len())
    }

    /// The global header, once read.
    pub const fn header(&self) -> Option<&Header> {
        self.header.as_ref()
    }

    /// Bytes consumed so far (relative to the slice's start).
    pub const fn position(&self) -> usize {
        self.pos
    }

    /// Work done by the searches so far: one per position tried.
    pub const fn work(&self) -> u64 {
        self.work
    }

    /// Goes on with the search after damage for at most `budget`
    /// positions: `Some` with the position it has reached if the budget
    /// ran out first (call again), `None` if no search is under way or it
    /// has finished (the next [`next`](Iterator::next) then searches no
    /// more). `next` alone runs a search to its end, which after damage
    /// followed by a gigabyte of garbage means reading that gigabyte in
    /// one call; calling this first lets a caller act during a long one,
    /// e.g. release the pages of a map that the search has passed (nothing
    /// before the position returned is read again). The records are the
    /// same either way.
    #[inline]
    pub fn search(&mut self, budget: u64) -> Option<usize> {
        if self.damaged != Some(None) {
            return None;
        }
        let len = self.input.len();
        let from = self.search_at.max(self.pos + 1);
        let budget = usize::try_from(budget).unwrap_or(usize::MAX);
        let to = from.saturating_add(budget).min(len);
        // Not found up to `to`: the next step (or `skip`) starts there.
        self.search_at = to;
        // With no global header, nothing after it can be read (`skip`).
        let found = match self.header {
            Some(_) => self.find(from, to, self.last_secs),
            None => None,
        };
        if let Some(at) = found {
            let (work, debt) = (self.work, self.debt);
            let to = self.resume_point(at);
            if self.end.is_short() {
                // The comparison needs more bytes: found again from `at`.
                (self.work, self.debt) = (work.saturating_sub(1), debt);
                self.search_at = at;
                return Some(at);
            }
            self.damaged = Some(Some(to));
            return None;
        }
        let searched = self.end.searched(to, len, self.stopped);
        self.search_at = searched.at;
        searched.more
    }

    fn fields(&self, at: usize) -> Option<Fields> {
        let order = self.header?.byte_order;
        let head = self.input.get(at..).and_then(|rest| rest.first_chunk::<RECORD_HEADER_LEN>());
        let Some(head) = head else {
            self.end.past_end();
            return None;
        };
        Some(Fields {
            secs: order.u32(bytes_at(head, 0)),
            frac: order.u32(bytes_at(head, 4)),
            captured: order.u32(bytes_at(head, 8)),
            original: order.u32(bytes_at(head, 12)),
        })
    }

    /// Whether `fields` are what a writer could produce: checked on every
    /// record, the strict checks aside.
    fn is_sane(&self, fields: Fields) -> bool {
        let per_sec = self.header.and_then(|h| h.resolution.units_per_second()).unwrap_or(0);
        fields.original != 0 && u64::from(fields.frac) < per_sec
    }

    /// The end of the record at `at` if its header is plausible (the rule's
    /// first half).
    fn plausible(&self, at: usize, reference: Option<u32>) -> Option<usize> {
        let f = self.fields(at)?;
        let snaplen = self.header?.snaplen;
        let limit = self.parser.record_size_limit();
        let fits = f.captured <= limit
            && (snaplen == 0 || f.captured <= snaplen)
            && f.captured <= f.original
            && f.original <= MAX_ORIGINAL_LEN;
        let near = reference.map_or(true, |r| f.secs.abs_diff(r) <= TIMESTAMP_WINDOW_SECS);
        if !(fits && near && self.is_sane(f)) {
            return None;
        }
        let end = at.checked_add(RECORD_HEADER_LEN)?.checked_add(f.captured as usize)?;
        if end > self.input.len() {
            self.end.past_end();
            return None;
        }
        Some(end)
    }

    /// The first position in `from..to` where the rule holds, with
    /// timestamps near `reference`.
    fn find(&mut self, from: usize, to: usize, reference: Option<u32>) -> Option<usize> {
        self.find_where(from, to, reference, |_| true)
    }

    /// The first position in `from..to` where the rule holds, with
    /// timestamps near `reference`, and whose seconds pass `accept`.
    fn find_where(
        &mut self,
        from: usize,
        to: usize,
        reference: Option<u32>,
        accept: impl Fn(u32) -> bool,
    ) -> Option<usize> {
        for at in from..to.min(self.input.len()) {
            self.work += 1;
            let resumes = self
                .plausible(at, reference)
                .is_some_and(|end| self.ends_at(end) || self.plausible(end, reference).is_some())
                && self.fields(at).is_some_and(|f| accept(f.secs));
            if self.end.is_short() {
                // Judged with bytes the window lacks: not at all.
                self.work -= 1;
                self.stopped = at;
                return None;
            }
            if resumes {
                return Some(at);
            }
        }
        None
    }

    /// The first resume point inside the record at `at` (a candidate
    /// found with timestamps near `reference`) whose seconds are strictly
    /// nearer `reference` than its own, within the credit: where `at`'s
    /// record is misframed data, and reading resumes instead.
    fn nearer_inside(&mut self, at: usize, reference: u32) -> Option<usize> {
        let end = self.plausible(at, Some(reference))?;
        let bar = self.fields(at)?.secs.abs_diff(reference);
        let cap = COMPARE_CREDIT_RECORDS
            * (u64::from(self.parser.record_size_limit()) + RECORD_HEADER_LEN as u64);
        let room = cap.saturating_sub(self.debt);
        let room = usize::try_from(room).unwrap_or(usize::MAX);
        let to = end.min(at.saturating_add(1).saturating_add(room));
        let work = self.work;
        let nearer = self.find_where(at + 1, to, Some(reference), |s| s.abs_diff(reference) < bar);
        self.debt += self.work - work;
        nearer
    }

    /// Where reading resumes after damage when a search found `at`: there,
    /// or at a resume point inside its record nearer the window's centre.
    fn resume_point(&mut self, at: usize) -> usize {
        match self.last_secs {
            Some(reference) => self.nearer_inside(at, reference).unwrap_or(at),
            None => at,
        }
    }

    /// Adds the `len` bytes just handed out or skipped to the credit.
    fn earn(&mut self, len: u64) {
        self.debt = self.debt.saturating_sub(len);
    }

    /// The skipped range from the damage at `pos` to `to` (or to where
    /// the search from there resumes reading).
    fn skip(&mut self, to: Option<usize>) -> CaptureRecord<'a> {
        let from = self.pos;
        let next = match (to, self.header) {
            (Some(to), _) => to,
            (None, Some(_)) => {
                let to = self.input.len();
                let start = self.search_at.max(from + 1);
                match self.find(start, to, self.last_secs) {
                    Some(at) => self.resume_point(at),
                    None => {
                        self.end.past_end();
                        to
                    }
                }
            }
            (None, None) => {
                self.end.past_end();
                self.input.len()
            }
        };
        self.pos = next;
        let len = self.base + next as u64 - self.origin;
        self.earn(len);
        CaptureRecord::Skipped(Skipped { offset: self.origin, len })
    }

    /// Hands out `error` at `pos`; its skipped range ends at `skip_to`, or
    /// where a search from `pos` resumes reading.
    fn fail(&mut self, error: CaptureError, skip_to: Option<usize>) -> Option<CaptureRecord<'a>> {
        self.damaged = Some(skip_to);
        self.search_at = 0;
        self.origin = self.base + self.pos as u64;
        if matches!(error.kind, CaptureErrorKind::Truncated { .. }) {
            self.end.past_end();
        }
        Some(CaptureRecord::Error(error))
    }

    /// The record at `pos`, checked strictly and for sanity.
    ///
    /// When no plausible record follows it, either its own captured length
    /// or what follows is damaged (or the next record is odd). A search
    /// inside it tells them apart: a plausible record starting before its
    /// end, once compared, means its length is wrong
    /// (`RecordOverlapsNext`); otherwise it is handed out, and what
    /// follows is read as usual.
    fn record(&mut self, header: &Header) -> Option<CaptureRecord<'a>> {
        let Some(rest) = self.input.get(self.pos..).filter(|rest| !rest.is_empty()) else {
            self.end.past_end();
            return None;
        };
        let offset = self.base + self.pos as u64;
        let frame = match self.parser.parse_record(header, rest, offset) {
            Ok(frame) => frame,
            Err(error) => return self.fail(error, None),
        };
        // The strict parse read a whole header there.
        let fields = self.fields(self.pos)?;
        if !self.is_sane(fields) {
            let kind = CaptureErrorKind::ImplausibleRecord {
                original_len: fields.original,
                fraction: fields.frac,
            };
            return self.fail(CaptureError::new(offset, kind), None);
        }
        let end = self.pos + RECORD_HEADER_LEN + frame.data.len();
        if self.ends_at(end) || self.plausible(end, Some(fields.secs)).is_some() {
            self.last_secs = Some(fields.secs);
        } else if let Some(next) = self.find(self.pos + 1, end, Some(fields.secs)) {
            let next = self.nearer_inside(next, fields.secs).unwrap_or(next);
            // Past the end: the length was right, what follows is damaged.
            if next < end {
                let kind =
                    CaptureErrorKind::RecordOverlapsNext { next_record: self.base + next as u64 };
                return self.fail(CaptureError::new(offset, kind), Some(next));
            }
        }
        self.earn((end - self.pos) as u64);
        self.pos = end;
        Some(frame_record(frame))
    }
}

fn frame_record(frame: Frame<'_>) -> CaptureRecord<'_> {
    CaptureRecord::Block(Block::Frame(frame))
}

impl<'a> Iterator for Recovering<'a> {
    type Item = CaptureRecord<'a>;

    #[inline]
    fn next(&mut self) -> Option<CaptureRecord<'a>> {
        if let Some(to) = self.damaged.take() {
            return Some(self.skip(to));
        }
        let header = match self.header {
            Some(header) => header,
            None if self.pos > 0 => return None,
            None if self.input.is_empty() => {
                self.end.past_end();
                return None;
            }
            None => match Header::read_at(self.input, self.base) {
                Ok(header) => {
                    self.header = Some(header);
                    self.pos = HEADER_LEN;
                    header
                }
                Err(error) => return self.fail(error, None),
            },
        };
        self.record(&header)
    }
}

impl core::iter::FusedIterator for Recovering<'_> {}

impl Parser {
    /// The recovering iterator over the frames of a whole pcap file in
    /// `input`.
    pub const fn recovering<'a>(&self, input: &'a [u8]) -> Recovering<'a> {
        Recovering::new(*self, input, 0)
    }
}
