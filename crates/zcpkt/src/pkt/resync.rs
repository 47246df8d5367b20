//! Re-synchronisation: finding the next packet after framing is lost.
//!
//! The answer is the first `PKT\0` at or after a position that starts a
//! packet with no error at all. Checking each candidate with a full
//! [`Parser::parse_packet`] (what [`find_next_valid_naive`] does) is
//! quadratic on hostile input: candidates can be 4 bytes apart while each
//! one's checks read up to 64 KiB (identifier terminators, UTF-8, the
//! extension walk) or up to the whole rest of the input (the payload CRC).
//!
//! [`Scanner`] answers the same question with work that is amortised over
//! the candidates, using only fixed-size state (no allocation):
//!
//! - Only "valid or not" matters, so the checks run cheapest first: fixed
//!   header and size (O(1)), then the rest, the CRC last.
//! - Terminators: candidate positions only increase, so "the first 00 at or
//!   after `q`" is cached and reused while the cached 00 is still at or
//!   after `q`; each `memchr` starts past the previous answer, and stops at
//!   the candidate's header end (so it never reads past the candidate).
//! - UTF-8: for a range `[a, nul)` already validated, a suffix `[q, nul)` is
//!   valid iff `q` is not a continuation byte; if `[a, nul)` has its first
//!   error at `e`, every `q <= e` fails too (a char boundary reaches the
//!   same bad sequence, a continuation byte fails at once). So a range is
//!   revalidated only from past the last error.
//! - Extensions: the TLV records from an area start `x` form a fixed chain
//!   of positions; the area `[x, h)` is valid iff `h` is on it. The chain
//!   from the current `x` is memoised in a 64 Ki-bit map, so the
//!   candidates sharing one area start walk it once.
//! - CRC: see [`CrcIndex`]: raw CRC registers at checkpoints, combined in
//!   GF(2) (`crc.rs`), so a payload is never hashed per candidate.
//!
//! Memory against time: the coarse CRC checkpoints that payload *ends* are
//! computed from are at most 4096, inline (16 KiB), so over a large input
//! they are far apart, and ends scattered over the whole input cost up to
//! half that distance each (`n / 8192` bytes: work per byte doubles with
//! the input past 16 MiB). A caller holding the whole input can lend a
//! larger table ([`Scanner::with_table`], [`Records::with_checkpoints`]):
//! [`checkpoints_for`]`(n)` entries, `n / 1024` bytes (1 MiB per GiB),
//! keep a checkpoint every 4 KiB and the work per byte flat. The core
//! allocates nothing either way: the table is a `&mut [u32]` or a `Vec` the
//! caller made; `MappedFile::records` (with `std`) makes one when
//! recovering.
//!
//! [`Records::with_checkpoints`]: super::Records::with_checkpoints
//!
//! The scanner reads its input through a [`Window`]: the whole input (a
//! slice, [`Scanner::find`]) or the part of a stream that is buffered
//! ([`Scanner::scan`]). Every cache holds positions, not bytes, and only
//! reads at or after the candidate being judged, so the window may move on
//! and refill between calls: a candidate the window cannot decide is
//! reported as [`Scan::NeedMore`]. The CRC checkpoints are the one cache
//! whose anchors may lie before the candidate: before asking for more, the
//! scanner computes `S` at the new window's start (a *floor*) and never
//! hashes from a checkpoint below it again, so what is known past it stays
//! usable. A budget makes
//! [`Scanner::scan`] return control ([`Scan::Paused`]) during a long
//! search, so a caller can release memory behind and ahead of it.
//!
//! Reads far from the search: the bytes between a coarse checkpoint (or
//! the cursor) and a payload end far ahead are read at a new, scattered
//! place for each candidate. Through a memory map each such read faults in
//! a whole page-cache folio (up to 2 MiB), so over a hostile input they
//! would map most of it. [`Scanner::scan_reading`] takes a [`ReadAt`] that
//! serves those reads instead (a file's positioned reads, say, with
//! `std`); the window still serves everything near the search, and the
//! sequential pass that computes the checkpoints.

use super::crc;
use super::format::{field, FIXED_HEADER_LEN, MAGIC, MAX_HEADER_LEN, MIN_HEADER_LEN, VERSION};
use super::parse::Parser;

/// The position, relative to `input`, of the first `PKT\0` at or after
/// `from` that starts a packet with no error at all (as `parser` checks), or
/// `None` if there is none before the end of `input`.
///
/// `input` must reach the end of the whole input: a candidate that would run
/// past it is not a packet. `base` is the absolute offset of `input[0]`
/// (validity does not depend on it; it is kept for the signature's sake).
///
/// Work is amortised over the candidates (see the module documentation);
/// to search the same input repeatedly, keep a [`Scanner`].
pub fn find_next_valid(parser: &Parser, input: &[u8], from: usize, base: u64) -> Option<usize> {
    let _ = base;
    Scanner::new().find(parser, input, from)
}

/// [`find_next_valid`] done the obvious way: a full `parse_packet` per
/// candidate. Quadratic on hostile input; kept as the tests' oracle.
#[doc(hidden)]
pub fn find_next_valid_naive(
    parser: &Parser,
    input: &[u8],
    from: usize,
    base: u64,
) -> Option<usize> {
    let finder = memchr::memmem::Finder::new(&MAGIC);
    let mut at = from;
    loop {
        let rest = input.get(at..)?;
        let candidate = at + finder.find(rest)?;
        let tail = input.get(candidate..)?;
        if matches!(parser.parse_packet(tail, base + candidate as u64), Ok(p) if p.is_valid()) {
            return Some(candidate);
        }
        at = candidate + 1;
    }
}

/// [`find_next_valid`] that also returns the work it did, in units of
/// bytes examined (searched, validated or hashed) plus one per candidate
/// and per extension record visited. For tests that check linear growth.
#[doc(hidden)]
pub fn find_next_valid_counted(parser: &Parser, input: &[u8], from: usize) -> (Option<usize>, u64) {
    let mut scanner = Scanner::new();
    let found = scanner.find(parser, input, from);
    (found, scanner.work)
}

/// The bytes of the input a [`Scanner`] is shown at once: `bytes` hold the
/// input's positions `start..start + bytes.len()`, and `is_end` says
/// whether the input ends there.
///
/// Positions are the caller's (a stream's offsets, say); the scanner's
/// caches keep them across calls, so the windows shown to one scanner must
/// be of one input, and their starts and ends must never move back.
#[derive(Clone, Copy, Debug)]
pub struct Window<'a> {
    bytes: &'a [u8],
    start: usize,
    is_end: bool,
}

impl<'a> Window<'a> {
    /// The input's positions `start..` held by `bytes` (cut short where
    /// positions would overflow), ending the input iff `is_end`.
    pub fn new(bytes: &'a [u8], start: usize, is_end: bool) -> Self {
        let len = bytes.len().min(usize::MAX - start);
        Self { bytes: bytes.get(..len).unwrap_or_default(), start, is_end }
    }

    /// The whole input, at positions from 0.
    pub const fn whole(input: &'a [u8]) -> Self {
        Self { bytes: input, start: 0, is_end: true }
    }

    /// The position just past the last byte held.
    #[inline]
    fn end(&self) -> usize {
        self.start + self.bytes.len()
    }

    /// The bytes at positions `from..to`, if the window holds them all.
    #[inline]
    fn get(&self, from: usize, to: usize) -> Option<&'a [u8]> {
        let from = from.checked_sub(self.start)?;
        let to = to.checked_sub(self.start)?;
        self.bytes.get(from..to)
    }

    /// The bytes from `from` to the window's end (empty if outside it).
    #[inline]
    fn rest(&self, from: usize) -> &'a [u8] {
        self.get(from, self.end()).unwrap_or_default()
    }

    #[inline]
    fn byte(&self, at: usize) -> Option<u8> {
        self.get(at, at.checked_add(1)?).map(|bytes| bytes[0])
    }
}

/// Most bytes a [`ReadAt`] is asked for at once.
pub const READ_AT_MAX: usize = 4096;

/// Another way than its window to read the input, for the checksum reads
/// a [`Scanner`] makes far ahead of its search, at scattered positions
/// (see the module documentation): lets a caller whose window is a memory
/// map read those bytes without mapping them (with `std`,
/// `zcpkt::source::mmap::PositionedReader` does so by positioned reads).
///
/// Positions are the window's. The bytes must be the input's: the
/// scanner's answers are only right if they are.
pub trait ReadAt {
    /// The input's bytes at positions `at..at + len` (`len` is at most
    /// [`READ_AT_MAX`] and more than 0), borrowed from the reader's own
    /// buffer, or `None` if it cannot read them (the scanner then reads them
    /// from its window, which must hold them as usual).
    fn read_at(&mut self, at: usize, len: usize) -> Option<&[u8]>;
}

/// Reads nothing: the scanner reads every byte from its window.
impl ReadAt for () {
    fn read_at(&mut self, _: usize, _: usize) -> Option<&[u8]> {
        None
    }
}

/// What [`Scanner::scan`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scan {
    /// The first `PKT\0` at or after the start position that starts a
    /// packet with no error at all.
    Found(usize),
    /// No valid packet starts at or after the start position, up to the
    /// end of input.
    NotFound,
    /// Nothing before `keep_from` starts a valid packet, and what follows
    /// needs bytes past the window: scan again from `keep_from` with a
    /// window that starts at or before it and reaches `need_to` (or the
    /// end of input).
    NeedMore {
        /// Where to scan from next; the bytes from here on must be kept.
        keep_from: usize,
        /// The position the next window should reach.
        need_to: usize,
    },
    /// The budget is spent, with nothing before `resume_at` starting a
    /// valid packet: scan again from `resume_at`.
    Paused {
        /// Where to scan from next.
        resume_at: usize,
        /// The furthest position read so far (payload checksums can read
        /// far ahead of `resume_at`): for callers that release memory.
        read_to: usize,
    },
}

/// The verdict on one candidate.
enum Verdict {
    Valid,
    Invalid,
    /// The window ends before this position, which would decide.
    NeedMore(usize),
    /// The budget ran out first.
    Paused,
}

/// Reusable state for finding valid packets after lost framing, in fixed
/// memory (about 32 KiB, no allocation), or with a checkpoint table the
/// caller lends ([`with_table`](Scanner::with_table)).
///
/// Calls to [`find`](Self::find) on one input with non-decreasing `from`
/// (what a reader going forward does) share their caches, so the total
/// work over all of them stays linear in the input's size. Any other order
/// is still correct, only slower. The caches recognise an input by its
/// address and length: do not change the bytes between calls on the same
/// buffer (or use a new scanner).
///
/// [`scan`](Self::scan) does the same over a [`Window`] that moves along an
/// input (a stream's buffer), and can stop after a budget of work.
///
/// Limits: payload ends scattered over the whole input cost up to
/// `input.len() / 8192` hashed bytes each with the inline table (see
/// `CrcIndex`; a table of [`checkpoints_for`] the input's length bounds
/// that by 2 KiB), and the extension chain is memoised for one area start
/// at a time, so a chain that other candidates' chains do not share is
/// walked per candidate (at most 21845 steps: one header).
#[derive(Clone)]
pub struct Scanner<C = InlineCheckpoints> {
    /// The input the caches describe, as (address, length); only compared.
    input_id: (usize, usize),
    /// The parser configuration the caches were built for.
    verify: bool,
    work: u64,
    source_nul: NulCache,
    dest_nul: NulCache,
    source_utf8: Utf8Cache,
    dest_utf8: Utf8Cache,
    tlv: TlvMemo,
    crc: CrcIndex<C>,
}

/// The coarse CRC checkpoint table a [`Scanner`] holds inline when none is
/// lent: 4096 entries (16 KiB).
pub type InlineCheckpoints = [u32; COARSE];

/// The length of a checkpoint table (for [`Scanner::with_table`]) that
/// keeps recovery over an input of `len` bytes linear however its payload
/// ends are scattered: one checkpoint per 4 KiB of input (`len / 1024`
/// bytes: 1 MiB per GiB), and never fewer than the inline table holds.
pub const fn checkpoints_for(len: usize) -> usize {
    let needed = (len / MIN_STRIDE).saturating_add(2);
    if needed > COARSE {
        needed
    } else {
        COARSE
    }
}

impl<C> core::fmt::Debug for Scanner<C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The memo arrays are tens of KiB of noise: show the position only.
        f.debug_struct("Scanner").field("work", &self.work).finish_non_exhaustive()
    }
}

impl Default for Scanner {
    fn default() -> Self {
        Self::new()
    }
}

impl Scanner {
    /// A scanner with empty caches and its inline checkpoint table.
    pub const fn new() -> Self {
        Self::with_table([0; COARSE])
    }
}

impl<C: AsRef<[u32]> + AsMut<[u32]>> Scanner<C> {
    /// A scanner with empty caches that keeps its coarse CRC checkpoints in
    /// `table` (its contents do not matter) instead of inline: a table of
    /// [`checkpoints_for`] the input's length keeps a checkpoint every
    /// 4 KiB, so that payload ends scattered over the whole input cost at
    /// most 2 KiB of hashing each instead of up to `len / 8192` bytes. The
    /// scanner allocates nothing: `table` may be a borrowed `&mut [u32]`,
    /// or a `Vec` or `Box` it then owns. Any length works; a table of
    /// fewer than 2 entries holds no checkpoint, so each candidate's
    /// payload is then hashed in full (as `parse_packet` does).
    pub const fn with_table(table: C) -> Self {
        Self {
            input_id: (0, 0),
            verify: true,
            work: 0,
            source_nul: NulCache::new(),
            dest_nul: NulCache::new(),
            source_utf8: Utf8Cache::new(),
            dest_utf8: Utf8Cache::new(),
            tlv: TlvMemo::new(),
            crc: CrcIndex::new(table),
        }
    }

    /// Work done so far (see [`find_next_valid_counted`]).
    #[doc(hidden)]
    pub const fn work(&self) -> u64 {
        self.work
    }

    /// The position, relative to `input`, of the first `PKT\0` at or after
    /// `from` that starts a packet with no error at all, as
    /// [`find_next_valid`] gives it.
    pub fn find(&mut self, parser: &Parser, input: &[u8], from: usize) -> Option<usize> {
        let id = (input.as_ptr() as usize, input.len());
        if id != self.input_id {
            // Another input: nothing cached applies.
            self.reset();
            self.input_id = id;
        }
        match self.scan(parser, Window::whole(input), from, u64::MAX) {
            Scan::Found(at) => Some(at),
            // A whole input with no budget can neither need more nor pause.
            Scan::NotFound | Scan::NeedMore { .. } | Scan::Paused { .. } => None,
        }
    }

    /// Forgets everything cached (the work count stays): for a new input.
    pub fn reset(&mut self) {
        self.input_id = (0, 0);
        self.source_nul = NulCache::new();
        self.dest_nul = NulCache::new();
        self.source_utf8 = Utf8Cache::new();
        self.dest_utf8 = Utf8Cache::new();
        self.tlv.forget();
        self.crc.forget();
    }

    /// Looks in `window` for the first `PKT\0` at or after `from` that
    /// starts a packet with no error at all, as [`find`](Self::find) does
    /// on a whole input, stopping after about `budget` units of work (see
    /// [`find_next_valid_counted`]; `u64::MAX` for none).
    ///
    /// Successive calls on one input (windows whose starts and ends never
    /// move back, `from` never decreasing) share their caches, so their
    /// total work stays linear in the input's size plus the bytes the
    /// windows kept from one call to the next.
    pub fn scan(&mut self, parser: &Parser, window: Window<'_>, from: usize, budget: u64) -> Scan {
        self.scan_reading(parser, window, from, budget, &mut ())
    }

    /// [`scan`](Self::scan), with the checksum reads far ahead of the
    /// search (between a checkpoint and a payload end at least 128 KiB
    /// on) served by `far` where it can: for a window that is a memory
    /// map, so that those scattered reads do not map the pages they touch.
    /// The answer and the work counted are the same.
    pub fn scan_reading(
        &mut self,
        parser: &Parser,
        window: Window<'_>,
        from: usize,
        budget: u64,
        far: &mut dyn ReadAt,
    ) -> Scan {
        self.verify = parser.verifies_checksum();
        let stop = self.work.saturating_add(budget);
        let finder = memchr::memmem::Finder::new(&MAGIC);
        let mut at = from.max(window.start);
        loop {
            if self.work >= stop {
                return self.paused(at);
            }
            // A stretch the budget allows; a magic may straddle its end.
            let rest = window.rest(at);
            let left = usize::try_from(stop - self.work).unwrap_or(usize::MAX);
            let stretch = &rest[..rest.len().min(left.saturating_add(MAGIC.len() - 1))];
            let mut off = 0;
            while let Some(found) = finder.find(&stretch[off..]) {
                let candidate = at + off + found;
                self.work += found as u64 + 1;
                match self.judge(parser, &window, candidate, stop, far) {
                    Verdict::Invalid => off += found + 1,
                    verdict => return self.decided(verdict, &window, candidate, far),
                }
                if self.work >= stop {
                    return self.paused(at + off);
                }
            }
            if stretch.len() == rest.len() {
                return self.end_of_window(&window, at + off, far);
            }
            // No magic starts before the stretch's last three bytes.
            let searched = stretch.len() - (MAGIC.len() - 1);
            self.work += (searched - off) as u64;
            at += searched;
        }
    }

    fn paused(&self, resume_at: usize) -> Scan {
        Scan::Paused { resume_at, read_to: self.crc.frontier().max(resume_at) }
    }

    /// The answer once the candidate at `c` is not plainly invalid.
    fn decided(
        &mut self,
        verdict: Verdict,
        window: &Window<'_>,
        c: usize,
        far: &mut dyn ReadAt,
    ) -> Scan {
        match verdict {
            Verdict::Valid => Scan::Found(c),
            Verdict::NeedMore(need_to) => {
                self.crc.carry(window, c, &mut self.work, far);
                Scan::NeedMore { keep_from: c, need_to }
            }
            Verdict::Paused => self.paused(c),
            // Not passed here; answering "search on" would also be right.
            Verdict::Invalid => self.paused(c + 1),
        }
    }

    /// No `PKT\0` starts in the window at or after `at`.
    fn end_of_window(&mut self, window: &Window<'_>, at: usize, far: &mut dyn ReadAt) -> Scan {
        let end = window.end();
        self.work += end.saturating_sub(at) as u64;
        if window.is_end {
            return Scan::NotFound;
        }
        // Keep the start of a magic that the next bytes may complete.
        let keep_from = end.saturating_sub(MAGIC.len() - 1).max(at);
        self.crc.carry(window, keep_from, &mut self.work, far);
        Scan::NeedMore { keep_from, need_to: end.saturating_add(1) }
    }

    /// Whether the `PKT\0` at `c` starts a packet with no error at all:
    /// the verdict of `parse_packet(..).is_valid()`, reached in another
    /// order (the verdict is a conjunction, so the order does not matter).
    fn judge(
        &mut self,
        parser: &Parser,
        w: &Window<'_>,
        c: usize,
        stop: u64,
        far: &mut dyn ReadAt,
    ) -> Verdict {
        // c is in the window: the caller found its magic there.
        let rest = w.bytes.get(c - w.start..).unwrap_or_default();
        let Some(head) = rest.first_chunk::<FIXED_HEADER_LEN>() else {
            return short_of(w, c.saturating_add(FIXED_HEADER_LEN));
        };
        let header_len = u16::from_le_bytes([head[field::HEADER_LEN], head[field::HEADER_LEN + 1]]);
        if head[..4] != MAGIC || head[field::VERSION] != VERSION || header_len < MIN_HEADER_LEN {
            return Verdict::Invalid;
        }
        let at = field::PAYLOAD_LEN;
        let payload_len = u32::from_le_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
        let at = field::CHECKSUM;
        let checksum = u32::from_le_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
        let size = u64::from(header_len) + u64::from(payload_len);
        if parser.check_size(size, 0).is_err() {
            return Verdict::Invalid;
        }
        if size > rest.len() as u64 {
            let end = usize::try_from(size).map_or(usize::MAX, |size| c.saturating_add(size));
            return short_of(w, end);
        }
        // size fits in the window, so these positions are in range.
        let header_end = c + usize::from(header_len);
        let packet_end = c + size as usize;
        if !self.header_is_valid(w, c, header_end) {
            return Verdict::Invalid;
        }
        if !self.verify {
            return Verdict::Valid;
        }
        if self.crc.cap() < 2 {
            // No checkpoints to combine: the payload, which the window
            // holds (size checked above), hashed once for this candidate.
            let payload = w.get(header_end, packet_end).unwrap_or_default();
            self.work += payload.len() as u64;
            return if !crc::advance(u32::MAX, payload) == checksum {
                Verdict::Valid
            } else {
                Verdict::Invalid
            };
        }
        self.crc.start(w, c, reach(parser));
        if !self.crc.prepare(w, c, packet_end, stop, &mut self.work, far) {
            return Verdict::Paused;
        }
        let s_a = self.crc.s_at(w, header_end, c, &mut self.work, far);
        let s_b = self.crc.s_at(w, packet_end, c, &mut self.work, far);
        if crc::range_crc(s_a, s_b, u64::from(payload_len)) == checksum {
            Verdict::Valid
        } else {
            Verdict::Invalid
        }
    }

    /// Terminators, UTF-8 and extensions of the header `[c, header_end)`,
    /// which the window holds.
    fn header_is_valid(&mut self, w: &Window<'_>, c: usize, header_end: usize) -> bool {
        let ids = c + FIXED_HEADER_LEN;
        let Some(source_nul) = self.source_nul.next(w, ids, header_end, &mut self.work) else {
            return false;
        };
        let Some(dest_nul) = self.dest_nul.next(w, source_nul + 1, header_end, &mut self.work)
        else {
            return false;
        };
        self.source_utf8.valid(w, ids, source_nul, &mut self.work)
            && self.dest_utf8.valid(w, source_nul + 1, dest_nul, &mut self.work)
            && self.tlv.reaches(w, dest_nul + 1, header_end, &mut self.work)
    }
}

/// The verdict on a candidate that needs the bytes up to `end`, which the
/// window does not hold: no packet if the input ends first.
fn short_of(w: &Window<'_>, end: usize) -> Verdict {
    if w.is_end {
        Verdict::Invalid
    } else {
        Verdict::NeedMore(end)
    }
}

/// The farthest a valid packet reaches past its first byte under `parser`.
fn reach(parser: &Parser) -> usize {
    let largest = MAX_HEADER_LEN as u64 + u64::from(u32::MAX);
    let reach = parser.packet_size_limit().map_or(largest, |limit| limit.min(largest));
    usize::try_from(reach).unwrap_or(usize::MAX)
}

/// "The first 00 at or after `q`, before a limit", remembered for the next,
/// larger `q`.
#[derive(Clone, Copy, Debug)]
struct NulCache {
    /// The query the answer was computed for; `usize::MAX`: nothing cached.
    from: usize,
    /// There is no 00 in `from..nul.unwrap_or(to)`.
    to: usize,
    /// The first 00 at or after `from`, if found before `to`.
    nul: Option<usize>,
}

impl NulCache {
    const fn new() -> Self {
        Self { from: usize::MAX, to: 0, nul: None }
    }

    /// The first 00 in `q..limit`, if any.
    fn next(&mut self, w: &Window<'_>, q: usize, limit: usize, work: &mut u64) -> Option<usize> {
        let known = self.from != usize::MAX && q >= self.from;
        let start = match self.nul {
            // The cached 00 is also the first at or after any q between
            // the cached query and it.
            Some(nul) if known && nul >= q => return Some(nul).filter(|&nul| nul < limit),
            None if known && limit <= self.to => return None,
            // No 00 in `from..to`, which covers q: search on from `to`.
            None if known && q <= self.to => self.to,
            _ => {
                self.from = q;
                q
            }
        };
        let bytes = w.get(start, limit.max(start)).unwrap_or_default();
        let nul = memchr::memchr(0, bytes);
        *work += nul.map_or(bytes.len(), |at| at + 1) as u64;
        self.nul = nul.map(|at| start + at);
        self.to = limit.max(start);
        self.nul
    }
}
/// UTF-8 validity of `[q, end)` for increasing `q` and `end`.
#[derive(Clone, Copy, Debug)]
struct Utf8Cache {
    /// The validated range was `[start, end)`; `start > end`: nothing cached.
    start: usize,
    end: usize,
    /// Where its first invalid sequence starts, `None` if it is valid.
    error: Option<usize>,
}

impl Utf8Cache {
    const fn new() -> Self {
        Self { start: 1, end: 0, error: None }
    }

    #[inline]
    fn valid(&mut self, w: &Window<'_>, q: usize, end: usize, work: &mut u64) -> bool {
        if self.start <= self.end && end == self.end && q >= self.start {
            match self.error {
                // A suffix of valid UTF-8 is valid iff it starts on a char
                // boundary, i.e. not on a continuation byte (10xxxxxx).
                None => return q == end || w.byte(q).map_or(true, |b| b & 0xC0 != 0x80),
                // Up to the error, decoding from q either fails at once (q
                // inside a char) or runs in step with the cached decoding
                // and fails at the same sequence.
                Some(error) if q <= error => return false,
                Some(_) => {}
            }
        }
        let bytes = w.get(q, end).unwrap_or_default();
        let error = match core::str::from_utf8(bytes) {
            Ok(_) => {
                *work += bytes.len() as u64;
                None
            }
            Err(e) => {
                *work += e.valid_up_to() as u64 + 4;
                Some(q + e.valid_up_to())
            }
        };
        *self = Self { start: q, end, error };
        error.is_none()
    }
}

/// Bits in the extension-chain map: more than any header is long.
const TLV_WINDOW: usize = MAX_HEADER_LEN + 1;
const TLV_WORDS: usize = TLV_WINDOW.div_ceil(64);

/// The chain of TLV record positions from one area start `x`:
/// `p0 = x`, `p(k+1) = p(k) + 3 + LENGTH at p(k)`. An area `[x, h)` is valid
/// iff `h` is on the chain (the records then fill it exactly; a record that
/// runs past `h` steps over it). Positions are recorded lazily up to the
/// largest `h` asked about, in a bit map relative to `x`.
#[derive(Clone)]
struct TlvMemo {
    /// The area start the map describes; `usize::MAX`: none.
    start: usize,
    /// The first chain position not yet recorded; `usize::MAX` once the
    /// chain has run out of input.
    next: usize,
    /// Words of `bits` that may be non-zero (cleared on the next start).
    dirty: usize,
    bits: [u64; TLV_WORDS],
}

impl TlvMemo {
    const fn new() -> Self {
        Self { start: usize::MAX, next: usize::MAX, dirty: 0, bits: [0; TLV_WORDS] }
    }

    fn forget(&mut self) {
        self.bits[..self.dirty].fill(0);
        self.dirty = 0;
        self.start = usize::MAX;
        self.next = usize::MAX;
    }

    /// Whether the records from `x` fill `[x, h)` exactly (`x <= h`, and
    /// `h - x` below 64 KiB: both lie in one header).
    fn reaches(&mut self, w: &Window<'_>, x: usize, h: usize, work: &mut u64) -> bool {
        let Some(rel) = h.checked_sub(x).filter(|&rel| rel < TLV_WINDOW) else {
            return false;
        };
        if self.start != x {
            self.forget();
            self.start = x;
            self.next = x;
        }
        while self.next <= h {
            let p = self.next;
            let bit = p - x;
            self.bits[bit / 64] |= 1 << (bit % 64);
            self.dirty = self.dirty.max(bit / 64 + 1);
            *work += 1;
            self.next = match w.get(p + 1, p.saturating_add(3)) {
                Some(&[lo, hi]) => p.saturating_add(3 + usize::from(u16::from_le_bytes([lo, hi]))),
                // A head that does not fit in the input ends the chain:
                // every h past p is then at most the input's end, short of
                // p + 3.
                _ if w.is_end => usize::MAX,
                // Short of the window's end, which is at or past h (the
                // header is held), so h < p + 3: decided by the bits; the
                // next, larger window resumes at p.
                _ => break,
            };
        }
        self.bits[rel / 64] & (1 << (rel % 64)) != 0
    }
}

/// Fine checkpoints: one every `FINE` bytes.
const FINE: usize = 64;
/// Fine checkpoints kept: they cover 128 KiB from the current candidate,
/// which holds every payload start (at most 64 KiB after its packet).
const RING: usize = 2048;
/// Coarse checkpoints: the whole rest of the input in at most this many.
pub(super) const COARSE: usize = 4096;
/// The smallest coarse stride, so that small inputs do not hash in tiny
/// pieces.
const MIN_STRIDE: usize = 4096;

/// `S(x)`: the raw CRC register (no inversions) over `input[origin..x]`,
/// for any `x`, without hashing more than a bounded stretch per query
/// after one sequential pass.
///
/// - Payload starts lie within 64 KiB of the candidate, which only moves
///   forward: a ring of fine checkpoints (every 64 bytes) over the 128 KiB
///   after it answers them by hashing under 64 bytes.
/// - Payload ends can be anywhere after: coarse checkpoints (as many as
///   the table holds, 4096 inline; stride a power of two fitting the rest
///   of the input, at least 4 KiB), plus a cursor at
///   the last end asked about, reached forwards by hashing or backwards by
///   hashing and un-shifting in GF(2) (`crc::retreat`). Ends that stay
///   close together or move steadily cost their distance; scattered ones
///   cost up to half a stride each: with fixed memory, ends scattered over
///   the whole input cannot all be close to a checkpoint (a time-space
///   trade-off), so with the inline table that case stays `O(n / 4096)`
///   per candidate. Measured (a fake header every 32 bytes, ends spread
///   over the whole input, `tests/resync.rs`): 18-21 units of work per
///   byte up to 4 MiB, 38 at 16 MiB, then doubling with the input, 72 at
///   32 MiB and 141 at 64 MiB. A table of [`checkpoints_for`]`(n)` lent by the
///   caller keeps the stride at 4 KiB: 21.5 units per byte at 16, 32 and
///   64 MiB, for `n / 1024` bytes (256 KiB for 256 MiB).
/// - The floor: see [`carry`](Self::carry).
#[derive(Clone)]
struct CrcIndex<C> {
    /// `S` is relative to this position; `usize::MAX`: not started.
    origin: usize,
    /// Fine checkpoint `j` is `S(origin + j * FINE)`, in `ring[j % RING]`,
    /// held for `j` in `ring_lo..ring_hi`.
    ring: [u32; RING],
    ring_lo: usize,
    ring_hi: usize,
    /// Coarse checkpoint `i` is `S(origin + i * stride)`, held for
    /// `i < coarse_len`: inline (`COARSE` of them) or lent by the caller.
    coarse: C,
    coarse_len: usize,
    stride: usize,
    /// `S(cursor) = cursor_s`.
    cursor: usize,
    cursor_s: u32,
    /// `S(floor) = floor_s`. Bytes before the floor may be gone (a stream's
    /// window moved on), so no hashing starts from a checkpoint below it:
    /// the floor itself stands in for those.
    floor: usize,
    floor_s: u32,
}

impl<C: AsRef<[u32]> + AsMut<[u32]>> CrcIndex<C> {
    const fn new(coarse: C) -> Self {
        Self {
            origin: usize::MAX,
            ring: [0; RING],
            ring_lo: 0,
            ring_hi: 0,
            coarse,
            coarse_len: 0,
            stride: MIN_STRIDE,
            cursor: 0,
            cursor_s: 0,
            floor: 0,
            floor_s: 0,
        }
    }

    fn forget(&mut self) {
        self.origin = usize::MAX;
    }

    /// Coarse checkpoints the table holds (at least 2 once started: see
    /// [`Scanner::with_table`]).
    #[inline]
    fn cap(&self) -> usize {
        self.coarse.as_ref().len()
    }

    /// The furthest position whose `S` is known (0 before any start).
    fn frontier(&self) -> usize {
        if self.origin == usize::MAX {
            return 0;
        }
        let ring = self.origin + self.ring_hi.saturating_sub(1) * FINE;
        let coarse = self.origin + self.coarse_len.saturating_sub(1) * self.stride;
        ring.max(coarse).max(self.cursor).max(self.floor)
    }

    /// Prepares to check the candidate at `c`, whose payload ends at `x`
    /// (`c < x <= w.end()`), once [`start`](Self::start)ed for it: computes
    /// the coarse checkpoints a far `x` needs, in order, stopping once
    /// `work` reaches `stop`: `false` if it did (call again to go on).
    fn prepare(
        &mut self,
        w: &Window<'_>,
        c: usize,
        x: usize,
        stop: u64,
        work: &mut u64,
        far: &mut dyn ReadAt,
    ) -> bool {
        let (j, floor_j) = ((x - self.origin) / FINE, (c - self.origin) / FINE);
        if j < floor_j + RING {
            return true;
        }
        let i = ((x - self.origin) / self.stride).min(self.cap() - 1);
        // At least one checkpoint per call, so that any budget progresses.
        while self.coarse_len <= i && self.extend_coarse(w, i, work, far) {
            if *work >= stop && self.coarse_len <= i {
                return false;
            }
        }
        true
    }

    /// Keeps what is known when it can serve the candidate at `c` (and
    /// every position it can reach) from anchors the window still holds,
    /// and otherwise starts over at `c`, so that nothing before the
    /// candidate is hashed. Starting over loses only positions at or after
    /// `c` hashed for earlier candidates: the window moved on without
    /// [`carry`](Self::carry), or `c` is past what the coarse checkpoints
    /// can cover (every `reach` bytes or more of a moving window).
    fn start(&mut self, w: &Window<'_>, c: usize, reach: usize) {
        let rest = w.end() - c;
        let needed = c.saturating_add(reach.min(rest));
        let cap = self.cap();
        let coverage = self.origin.saturating_add((cap - 1).saturating_mul(self.stride));
        if self.origin != usize::MAX && self.floor >= w.start && c >= self.floor {
            let frontier = self.frontier();
            if c <= frontier && frontier <= w.end() && needed <= coverage {
                return;
            }
        }
        // A window short of the end moves on: room for candidates up to
        // `reach` past it before starting over.
        let span = if w.is_end { rest } else { rest.max(reach.saturating_mul(2)) };
        self.origin = c;
        self.ring[0] = 0;
        self.ring_lo = 0;
        self.ring_hi = 1;
        self.coarse.as_mut()[0] = 0;
        self.coarse_len = 1;
        self.stride = span.div_ceil(cap - 1).max(MIN_STRIDE).next_power_of_two();
        self.cursor = c;
        self.cursor_s = 0;
        self.floor = c;
        self.floor_s = 0;
    }

    /// Raises the floor to `to`, the start of the caller's next window, so
    /// that what is known from `to` on stays usable once the bytes before
    /// it are gone. Costs what `S(to)` costs, as for a payload start.
    fn carry(&mut self, w: &Window<'_>, to: usize, work: &mut u64, far: &mut dyn ReadAt) {
        if self.origin == usize::MAX || to <= self.floor {
            return;
        }
        if self.floor < w.start || to > self.frontier() || to > w.end() {
            // Bytes already gone, or nothing known from `to` on: start over
            // at the next candidate.
            self.forget();
            return;
        }
        let s = self.s_at(w, to, to, work, far);
        self.floor = to;
        self.floor_s = s;
    }

    /// Computes the next coarse checkpoint (coarse_len <= i < cap), or
    /// the first one at or above the floor when the last one is below it;
    /// `false` if that one is past checkpoint `i` (the floor is then
    /// within a stride of any position before it).
    ///
    /// The pass runs ahead of the search, up to the furthest payload end
    /// asked about (the whole input, on hostile input), so it reads through
    /// `far` where it can, as [`far`](Self::far) does.
    fn extend_coarse(
        &mut self,
        w: &Window<'_>,
        i: usize,
        work: &mut u64,
        far: &mut dyn ReadAt,
    ) -> bool {
        let prev = self.coarse_len - 1;
        let at = self.origin + prev * self.stride;
        if at < self.floor {
            let next = (self.floor - self.origin).div_ceil(self.stride);
            if next > i {
                return false;
            }
            let to = self.origin + next * self.stride;
            self.coarse.as_mut()[next] = read_from(self.floor_s, w, self.floor, to, work, far);
            self.coarse_len = next + 1;
            return true;
        }
        let s = read_from(self.coarse.as_ref()[prev], w, at, at + self.stride, work, far);
        self.coarse.as_mut()[self.coarse_len] = s;
        self.coarse_len += 1;
        true
    }

    /// `S(x)`, for `origin <= x <= w.end()`, asked while checking the
    /// candidate at `floor` (`origin <= floor <= x`; it never decreases).
    fn s_at(
        &mut self,
        w: &Window<'_>,
        x: usize,
        floor: usize,
        work: &mut u64,
        far: &mut dyn ReadAt,
    ) -> u32 {
        let j = (x - self.origin) / FINE;
        let floor_j = (floor - self.origin) / FINE;
        if j < floor_j + RING {
            if j >= self.ring_hi {
                self.extend_ring(w, j, work, far);
            }
            if (self.ring_lo..self.ring_hi).contains(&j) {
                let at = self.origin + j * FINE;
                if at < self.floor {
                    // floor <= x < at + FINE: the floor is closer.
                    return hash_from(self.floor_s, w, self.floor, x, work);
                }
                return hash_from(self.ring[j % RING], w, at, x, work);
            }
        }
        self.far(w, x, work, far)
    }

    /// Computes fine checkpoints up to `j`, sequentially, or re-seeds the
    /// ring at `j` when the gap is larger than the ring, or just above the
    /// floor when the ring ends below it.
    fn extend_ring(&mut self, w: &Window<'_>, j: usize, work: &mut u64, far: &mut dyn ReadAt) {
        let last = self.origin + (self.ring_hi - 1) * FINE;
        if last < self.floor && j < self.ring_hi + RING {
            let next = (self.floor - self.origin).div_ceil(FINE);
            if j < next {
                // Within FINE of the floor: `far` hashes from it.
                return;
            }
            let to = self.origin + next * FINE;
            self.ring[next % RING] = hash_from(self.floor_s, w, self.floor, to, work);
            self.ring_lo = next;
            self.ring_hi = next + 1;
        }
        if j >= self.ring_hi + RING {
            let s = self.far(w, self.origin + j * FINE, work, far);
            self.ring[j % RING] = s;
            self.ring_lo = j;
            self.ring_hi = j + 1;
            return;
        }
        while self.ring_hi <= j {
            let prev = self.ring_hi - 1;
            let at = self.origin + prev * FINE;
            let s = hash_from(self.ring[prev % RING], w, at, at + FINE, work);
            self.ring[self.ring_hi % RING] = s;
            self.ring_hi += 1;
        }
        self.ring_lo = self.ring_lo.max(self.ring_hi.saturating_sub(RING));
    }

    /// `S(x)` from the nearest of: the coarse checkpoints around `x`, the
    /// cursor and the floor (none below the floor); moves the cursor to `x`.
    /// The bytes between are read through `reader` where it can: they lie
    /// at a far, scattered place (the coarse checkpoints before it were
    /// computed in order, from the window).
    fn far(&mut self, w: &Window<'_>, x: usize, work: &mut u64, reader: &mut dyn ReadAt) -> u32 {
        let i = (x - self.origin) / self.stride;
        // Coarse checkpoints are computed once each, in order.
        let wanted = i.min(self.cap() - 1);
        while self.coarse_len <= wanted && self.extend_coarse(w, wanted, work, reader) {}
        let i = i.min(self.coarse_len - 1);
        let lower = self.origin + i * self.stride;
        let mut best = (x - self.floor, Anchor::Floor);
        if lower >= self.floor {
            best = best.min((x - lower, Anchor::Lower));
        }
        if i + 1 < self.coarse_len {
            let upper = lower + self.stride;
            best = best.min((upper - x, Anchor::Upper));
        }
        if self.cursor >= self.floor {
            best = best.min((self.cursor.abs_diff(x), Anchor::Cursor));
        }
        let (s, at) = match best.1 {
            Anchor::Floor => (self.floor_s, self.floor),
            Anchor::Lower => (self.coarse.as_ref()[i], lower),
            Anchor::Upper => (self.coarse.as_ref()[i + 1], lower + self.stride),
            Anchor::Cursor => (self.cursor_s, self.cursor),
        };
        let s = if at <= x {
            read_from(s, w, at, x, work, reader)
        } else {
            read_back(s, w, x, at, work, reader)
        };
        self.cursor = x;
        self.cursor_s = s;
        s
    }
}

/// Where a far `S(x)` is computed from (ordered: ties prefer the first).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Anchor {
    Floor,
    Lower,
    Cursor,
    Upper,
}

/// `S(to)` from `s = S(at)`, `at <= to`.
#[inline]
fn hash_from(s: u32, w: &Window<'_>, at: usize, to: usize, work: &mut u64) -> u32 {
    let bytes = w.get(at, to).unwrap_or_default();
    debug_assert_eq!(bytes.len(), to - at, "hashing outside the window");
    *work += bytes.len() as u64;
    crc::advance(s, bytes)
}

/// [`hash_from`], reading the bytes through `reader` where it can (in
/// pieces of at most [`READ_AT_MAX`]), and from the window otherwise.
fn read_from(
    mut s: u32,
    w: &Window<'_>,
    mut at: usize,
    to: usize,
    work: &mut u64,
    reader: &mut dyn ReadAt,
) -> u32 {
    while at < to {
        let len = (to - at).min(READ_AT_MAX);
        let Some(bytes) = reader.read_at(at, len).filter(|bytes| bytes.len() == len) else {
            return hash_from(s, w, at, to, work);
        };
        *work += len as u64;
        s = crc::advance(s, bytes);
        at += len;
    }
    s
}

/// [`hash_back`], reading the bytes through `reader` where it can (in
/// pieces of at most [`READ_AT_MAX`], the last first), and from the window
/// otherwise.
fn read_back(
    mut s: u32,
    w: &Window<'_>,
    to: usize,
    mut at: usize,
    work: &mut u64,
    reader: &mut dyn ReadAt,
) -> u32 {
    while at > to {
        let len = (at - to).min(READ_AT_MAX);
        let Some(bytes) = reader.read_at(at - len, len).filter(|bytes| bytes.len() == len) else {
            return hash_back(s, w, to, at, work);
        };
        *work += len as u64;
        s = crc::retreat(s, bytes);
        at -= len;
    }
    s
}

/// `S(to)` from `s = S(at)`, `to <= at`.
#[inline]
fn hash_back(s: u32, w: &Window<'_>, to: usize, at: usize, work: &mut u64) -> u32 {
    let bytes = w.get(to, at).unwrap_or_default();
    debug_assert_eq!(bytes.len(), at - to, "hashing outside the window");
    *work += bytes.len() as u64;
    crc::retreat(s, bytes)
}
