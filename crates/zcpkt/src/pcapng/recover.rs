//! `Recovering`: the pcapng blocks of a slice, read past damage.
//!
//! Blocks are read as [`Frames::next_block`](super::Frames::next_block)
//! reads them, with one more check: when no block is framed where a
//! packet (or other non-section, non-interface) block ends, and the input
//! does not end there, either its length or what follows is damaged (a
//! length damaged so that its trailing copy still matches: a later block
//! of the same length, say). A search inside the block tells which: a
//! block that passes the rule below starting before its end means its
//! length is wrong (`RecordOverlapsNext` at the block, skipped up to the
//! one inside); otherwise it is handed out and the damage after it is
//! reported there, as the strict reader does.
//!
//! At damage the strict reader's error is handed out, then a search finds
//! the first position after it where a block is *plausible* and reading
//! goes on there; the bytes in between are one skipped range.
//!
//! # The re-synchronisation rule
//!
//! A position `q` is where reading resumes iff:
//!
//! 1. a block is framed at `q`: a known block type (SHB, IDB, PB, SPB, NRB,
//!    ISB, EPB, DSB, custom) in the current section's byte order, or an
//!    SHB with its byte-order magic (which brings its own order); a total
//!    length that is a multiple of 4, at least the type's minimum, within
//!    the parser's block size limit and within the input; the trailing
//!    copy of the length equal to the leading one;
//! 2. the block after it (at `q` + its length) is framed the same way, in
//!    the candidate's byte order, or the candidate ends exactly at the
//!    input's end. One block's framing passes by chance inside packet data
//!    now and then; two in a row, each with a matching trailer, much less;
//! 3. its options area (EPB, PB, SHB, IDB, ISB; for an NRB its whole body,
//!    records and options) is at most [`MAX_CANDIDATE_OPTIONS`] bytes,
//!    which bounds the work per candidate, and at most the reader's
//!    options credit (see [Work](#work)), which bounds the work in all;
//! 4. its content passes the block's own checks, against the reader's
//!    state at the damage: a packet block names an interface the current
//!    section has, an SHB has version 1.x, options are well formed, a
//!    DSB holds its secrets, and so on ([`Parser::parse_block`]; the list
//!    is in the [module docs](super#what-is-checked-inside-blocks)). A new SHB starts a new section (its
//!    byte order, an empty interface table).
//!
//! Every byte position after the damage is tried, not only those 4-byte
//! aligned from the section's start: damage that removes or inserts a
//! number of bytes that is not a multiple of 4 shifts every block after it.
//!
//! # What it cannot guarantee
//!
//! - Packet data that holds two consecutive blocks that pass the rule (a
//!   capture of a pcapng file's transfer, say) is taken for blocks when the
//!   search reaches it; the real blocks after it are still found, as
//!   reading goes on from those fake blocks and re-synchronises again at
//!   the next damage.
//! - A block right before further damage fails rule 2 and is skipped,
//!   unless it is the last of the input.
//! - A block whose options area is over [`MAX_CANDIDATE_OPTIONS`] bytes is
//!   never where reading resumes (it can still be read after one that is).
//! - A block passing rules 1, 2 and 4 is passed over when the options
//!   credit (see [Work](#work)) does not cover its options area: that
//!   takes candidates walked just before it, in the searches run so far
//!   (the credit carries from one search to the next). Exactly: a block
//!   with `o` bytes of options is passed over iff, for some `n`, the
//!   candidates walked at the `n` positions tried just before it took
//!   more than [`MAX_CANDIDATE_OPTIONS`] - `o` +
//!   [`OPTIONS_CREDIT_PER_POSITION`] × `n` bytes; so only within `o` /
//!   [`OPTIONS_CREDIT_PER_POSITION`] positions tried (512 at most) after
//!   the last candidate walked, and never for a block with no options
//!   area (SPB, DSB, custom). Real blocks do not overlap, so
//!   they never take the credit from each other; it takes overlapping
//!   candidates with kilobytes of options (crafted, or an unlucky stretch
//!   of packet data), and reading resumes at the next block the credit
//!   covers.
//! - A damaged length that still frames (its trailing copy matching by
//!   chance) and ends where a block is framed misframes the blocks after
//!   it until framing fails; blocks in that stretch are lost.
//! - Packets need their section's Section Header Block and their
//!   interface's Interface Description Block: packets of an interface whose
//!   IDB is damaged fail rule 4 (`UnknownInterface` or `NoInterface`), and
//!   with the first SHB damaged only a later SHB can resume reading.
//!
//! # Work
//!
//! Each position tried costs O(1) for rules 1 to 3 and, for the few that
//! pass them, a walk of their options area for rule 4. A search inside a
//! block covers that block only and either finds where reading resumes
//! (no other search then) or lets the block be read; a search after an
//! error starts past the error, and reading goes on where it ends. So the
//! searches cover disjoint ranges: each position is tried at most once.
//!
//! The walks are paid from an options credit the reader keeps across its
//! searches: it starts at [`MAX_CANDIDATE_OPTIONS`] bytes, every position
//! tried adds [`OPTIONS_CREDIT_PER_POSITION`] bytes up to that cap, and a
//! candidate passing rules 1 and 2 is walked only if the credit covers its
//! options area, which is then taken from it (rule 3). The credit never
//! goes below zero, so the options walked in all are at most
//! [`OPTIONS_CREDIT_PER_POSITION`] × the positions tried +
//! [`MAX_CANDIDATE_OPTIONS`]: the total work is linear in the input's
//! length with a small constant, whatever it holds. [`Recovering::work`]
//! counts it (positions tried plus options bytes walked) for the tests.
//!
//! Without the credit, crafted input could make each position pay up to
//! [`MAX_CANDIDATE_OPTIONS`]: framed EPB headers a few bytes apart, each
//! trailer and next block placed after them, with overlapping options
//! areas that fail only at their last option (about 70 s of CPU per GiB).
//! The fuzz seed `recover_pcapng_nested_candidates` (60 nested candidates
//! in 2 KB) is such input.

use super::block::{block_type, minimum_len, RawBlock};
use super::parse::{Block, Parser};
use super::state::{State, StateMark, DEFAULT_INTERFACE_CAPACITY};
use super::SHB_TYPE_BYTES;
use crate::capture::{CaptureError, CaptureErrorKind};
use crate::capture_record::{CaptureRecord, Skipped};
use crate::window_end::{in_window, WindowEnd};

/// The largest options area (bytes) of a block where reading may resume
/// after damage. Writers put a few dozen bytes of options on a packet and
/// a few hundred on a section or interface; the bound keeps the work per
/// candidate constant.
pub const MAX_CANDIDATE_OPTIONS: usize = 4096;

/// The options bytes the search may walk (rule 4) per position it tries:
/// what every position adds to the reader's options credit (see the
/// module docs' Work section).
///
/// Any value from 1 keeps the credit full at every real candidate when
/// only real ones are walked: blocks do not overlap and a block's options
/// lie inside it, so the positions from one real candidate to the next
/// earn at least the first one's options back. The value only sets how
/// soon the credit comes back after overlapping (crafted) candidates took
/// it, [`MAX_CANDIDATE_OPTIONS`] / 8 = 512 positions at most, against what
/// crafted input can make each position cost: 8 bytes of walk, about 4 ns,
/// of the order of trying a position (crafted input ran at about 7 ns a
/// byte with 8, 11 with 16, 70 with no credit).
pub const OPTIONS_CREDIT_PER_POSITION: usize = 8;

/// Iterates over the blocks of a pcapng file in a slice, going on past
/// damage: every block, then at damage a [`CaptureRecord::Error`] and a
/// [`CaptureRecord::Skipped`] for the bytes up to where reading resumes
/// (see the module docs for the rule). The blocks and skipped ranges tile
/// the input. On an undamaged file it gives exactly the blocks of
/// [`Frames::next_block`](super::Frames::next_block).
#[derive(Clone, Debug)]
pub struct Recovering<'a, const N: usize = DEFAULT_INTERFACE_CAPACITY> {
    input: &'a [u8],
    pos: usize,
    base: u64,
    parser: Parser,
    state: State<N>,
    /// An error was given at `pos`: a search and its skipped range are next.
    damaged: bool,
    /// The block where the last search resumed reading, parsed (with the
    /// state updated) when it was judged, due after its skipped range.
    found: Option<(Block<'a>, usize)>,
    /// Where `found` starts.
    found_at: usize,
    /// Where the search after damage goes on: positions before it were
    /// tried by [`search`](Self::search) steps.
    search_at: usize,
    work: u64,
    /// Options bytes rule 4 may still walk (see the module docs' Work):
    /// at most [`MAX_CANDIDATE_OPTIONS`], never below zero.
    credit: usize,
    /// Absolute offset of the last error: where its skipped range starts.
    origin: u64,
    /// Where the input ends: the slice's end, or a stream's window whose
    /// decisions that look past it are taken again with more bytes.
    end: WindowEnd,
    /// Where the last `find` stopped when a position's check went short.
    stopped: usize,
    /// The state before `found` was parsed into it.
    found_mark: StateMark,
    /// Where the due skipped range ends, for a stream's reader resumed
    /// between an error and its skipped range when a search had found
    /// where it ends (the block there is then read again).
    skip_to: Option<usize>,
}

/// What a recovering reader over a stream's window carries to the next
/// window: its state, with positions as absolute offsets.
#[derive(Clone, Debug)]
#[cfg_attr(not(feature = "std"), allow(dead_code))] // for the std stream
pub(crate) struct Carried<const N: usize> {
    state: State<N>,
    pos: u64,
    damaged: bool,
    search_at: u64,
    work: u64,
    credit: usize,
    origin: u64,
    skip_to: Option<u64>,
}

#[cfg_attr(not(feature = "std"), allow(dead_code))] // for the std stream
impl<const N: usize> Carried<N> {
    /// The state before the first byte of a stream.
    pub(crate) const fn start() -> Self {
        Self {
            state: State::new(),
            pos: 0,
            damaged: false,
            search_at: 0,
            work: 0,
            credit: MAX_CANDIDATE_OPTIONS,
            origin: 0,
            skip_to: None,
        }
    }

    /// The first absolute offset a window must still hold: where reading
    /// goes on, or (during a search) one byte before where the search goes
    /// on, which then stands for the damage's position.
    pub(crate) fn keep_from(&self) -> u64 {
        match self.damaged {
            true => self.search_at.saturating_sub(1).max(self.pos),
            false => self.pos,
        }
    }

    /// The reader's state: the current section and its interfaces.
    pub(crate) const fn state(&self) -> &State<N> {
        &self.state
    }

    /// Work done by the searches so far.
    pub(crate) const fn work(&self) -> u64 {
        self.work
    }
}

/// What one decision ([`Iterator::next`]) can change, to undo it
/// (`Recovering::undo`) without copying the interface table.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(not(feature = "std"), allow(dead_code))] // for the std stream
pub(crate) struct Undo {
    pos: usize,
    damaged: bool,
    found_at: usize,
    search_at: usize,
    work: u64,
    credit: usize,
    origin: u64,
    skip_to: Option<usize>,
    state: StateMark,
}

impl<'a, const N: usize> Recovering<'a, N> {
    /// Blocks of the whole file `input`, whose first byte is at absolute
    /// offset `base`.
    pub const fn new(parser: Parser, input: &'a [u8], base: u64) -> Self {
        Self {
            input,
            pos: 0,
            base,
            parser,
            state: State::new(),
            damaged: false,
            found: None,
            found_at: 0,
            search_at: 0,
            work: 0,
            credit: MAX_CANDIDATE_OPTIONS,
            origin: 0,
            end: WindowEnd::whole(),
            stopped: 0,
            found_mark: State::<N>::new().mark(),
            skip_to: None,
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
        carried: &Carried<N>,
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
            state: carried.state.clone(),
            damaged: carried.damaged,
            found: None,
            found_at: 0,
            search_at: rel(carried.search_at),
            work: carried.work,
            credit: carried.credit,
            origin: carried.origin,
            end: WindowEnd::window(complete),
            stopped: 0,
            found_mark: carried.state.mark(),
            skip_to: carried.skip_to.map(rel),
        }
    }

    /// The state to go on from in the next window. A block a search found
    /// and not yet handed out is read there again: the rule guarantees a
    /// block framed after it, so the plain read takes it as the search did,
    /// from the state before it.
    #[cfg_attr(not(feature = "std"), allow(dead_code))] // for the std stream
    pub(crate) fn carried(&self) -> Carried<N> {
        let abs = |rel: usize| self.base + rel as u64;
        let mut carried = Carried {
            state: self.state.clone(),
            pos: abs(self.pos),
            damaged: self.damaged,
            search_at: abs(self.search_at),
            work: self.work,
            credit: self.credit,
            origin: self.origin,
            skip_to: self.skip_to.map(abs),
        };
        if self.found.is_some() {
            carried.state.restore(self.found_mark);
            if self.damaged {
                // The skipped range up to it first.
                carried.skip_to = Some(abs(self.found_at));
            } else {
                carried.pos = abs(self.found_at);
            }
        }
        carried
    }

    /// What the next decision may change (see [`undo`](Self::undo)).
    #[cfg_attr(not(feature = "std"), allow(dead_code))] // for the std stream
    pub(crate) fn undo_point(&self) -> Undo {
        Undo {
            pos: self.pos,
            damaged: self.damaged,
            found_at: self.found_at,
            search_at: self.search_at,
            work: self.work,
            credit: self.credit,
            origin: self.origin,
            skip_to: self.skip_to,
            state: self.state.mark(),
        }
    }

    /// Undoes the decision taken since `undo_point` returned `point`: one
    /// that went short hands out no found block and changed the state by
    /// at most one block.
    #[cfg_attr(not(feature = "std"), allow(dead_code))] // for the std stream
    pub(crate) fn undo(&mut self, point: Undo) {
        self.pos = point.pos;
        self.damaged = point.damaged;
        self.found = None;
        self.found_at = point.found_at;
        self.search_at = point.search_at;
        self.work = point.work;
        self.credit = point.credit;
        self.origin = point.origin;
        self.skip_to = point.skip_to;
        self.state.restore(point.state);
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

    /// The reader's state: the current section and its interfaces.
    pub const fn state(&self) -> &State<N> {
        &self.state
    }

    /// Bytes consumed so far (relative to the slice's start): blocks read
    /// and ranges skipped.
    pub const fn position(&self) -> usize {
        self.pos
    }

    /// Work done by the searches so far: one per position tried plus the
    /// options bytes of the candidates whose content was checked.
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
        if !self.damaged || self.found.is_some() || self.skip_to.is_some() {
            return None;
        }
        let len = self.input.len();
        let from = self.search_at.max(self.pos + 1);
        let budget = usize::try_from(budget).unwrap_or(usize::MAX);
        let to = from.saturating_add(budget).min(len);
        // Not found up to `to`: the next step (or `skip`) starts there.
        self.search_at = to;
        if self.find(from, to).is_some() {
            return None;
        }
        let searched = self.end.searched(to, len, self.stopped);
        self.search_at = searched.at;
        searched.more
    }

    /// The skipped range from the damage at `pos` to where reading resumes
    /// (`found` was set when the damage was judged, or is set now).
    fn skip(&mut self) -> CaptureRecord<'a> {
        let from = self.pos;
        let next = match (self.found, self.skip_to.take()) {
            (Some((_, _)), _) => self.found_at,
            (None, Some(to)) => to,
            (None, None) => {
                let to = self.input.len();
                let start = self.search_at.max(from.saturating_add(1));
                self.find(start, to).unwrap_or_else(|| {
                    self.end.past_end();
                    to
                })
            }
        };
        self.pos = next;
        let len = self.base + next as u64 - self.origin;
        CaptureRecord::Skipped(Skipped { offset: self.origin, len })
    }

    /// The first position in `from..to` where the rule holds, its block
    /// parsed into `found`.
    fn find(&mut self, from: usize, to: usize) -> Option<usize> {
        for at in from..to.min(self.input.len()) {
            self.work += 1;
            let credit = self.credit;
            let found = self.candidate(at);
            if self.end.is_short() {
                // Judged with bytes the window lacks: not at all (the
                // checks that go short come before any walk or state).
                self.work -= 1;
                self.credit = credit;
                self.stopped = at;
                return None;
            }
            if let Some(found) = found {
                self.found = Some(found);
                self.found_at = at;
                return Some(at);
            }
        }
        None
    }

    /// Whether `block`, just read at `pos`, is a packet or other block
    /// whose length runs over a block that the rule accepts, while no block
    /// is framed where it ends: its length is damaged (a section or
    /// interface block changed the state already, and is kept).
    fn overlaps_next(&mut self, block: &Block<'a>, end: usize) -> Option<usize> {
        if matches!(block, Block::Section(_) | Block::Interface { .. }) || self.ends_at(end) {
            return None;
        }
        let rest = self.input.get(end..)?;
        let order = self.state.byte_order();
        let limit = self.parser.block_size_limit();
        match RawBlock::read(rest, self.base + end as u64, order, limit) {
            Ok(_) => return None,
            Err(error) => self.end.truncated(&error),
        }
        if self.end.is_short() {
            return None;
        }
        self.find(self.pos + 1, end)
    }

    /// The block at `at` if reading may resume there: rules 1 to 3 first
    /// (constant work), then rule 4, which updates the state only when the
    /// block passes (as [`Parser::parse_block`] does).
    fn candidate(&mut self, at: usize) -> Option<(Block<'a>, usize)> {
        // Every position tried earns its share, whatever it holds: the
        // credit, not the candidates' spacing, bounds the walks.
        self.credit =
            self.credit.saturating_add(OPTIONS_CREDIT_PER_POSITION).min(MAX_CANDIDATE_OPTIONS);
        let raw = self.framed(at, self.state.byte_order())?;
        let end = at.checked_add(raw.total_len())?;
        if !self.ends_at(end) {
            self.framed(end, Some(raw.byte_order))?;
        }
        if self.end.is_short() {
            return None;
        }
        let options = options_len(&raw)?;
        if options > MAX_CANDIDATE_OPTIONS {
            return None;
        }
        // Not covered: not walked, so not a resume point (a real block is
        // lost only right after candidates that took the credit).
        self.credit = self.credit.checked_sub(options)?;
        self.work += options as u64;
        let rest = self.input.get(at..)?;
        let offset = self.base + at as u64;
        self.found_mark = self.state.mark();
        self.parser.parse_block(&mut self.state, rest, offset).ok()
    }

    /// The block of a known type framed at `at`, in `order` (or its own,
    /// for a Section Header Block).
    fn framed(&self, at: usize, order: Option<crate::capture::ByteOrder>) -> Option<RawBlock<'a>> {
        let rest = self.input.get(at..)?;
        // The type first (the same answer): reading the trailer of a length
        // found in garbage touches a page up to the block size limit ahead,
        // which a search through a map would keep mapped for nothing.
        let Some(&type_bytes) = rest.first_chunk::<4>() else {
            self.end.past_end();
            return None;
        };
        let shb = type_bytes == SHB_TYPE_BYTES;
        if !shb && !order.is_some_and(|order| is_known(order.u32(type_bytes))) {
            return None;
        }
        let offset = self.base + at as u64;
        let raw = match RawBlock::read(rest, offset, order, self.parser.block_size_limit()) {
            Ok(raw) => raw,
            Err(error) => {
                self.end.truncated(&error);
                return None;
            }
        };
        is_known(raw.block_type).then_some(raw)
    }
}

/// Whether `code` is a block type of the pcapng spec (§10.1) that writers
/// use; anything else at a candidate position is taken as noise.
fn is_known(code: u32) -> bool {
    use block_type as t;
    matches!(
        code,
        t::SECTION_HEADER
            | t::INTERFACE_DESCRIPTION
            | t::PACKET
            | t::SIMPLE_PACKET
            | t::NAME_RESOLUTION
            | t::INTERFACE_STATISTICS
            | t::ENHANCED_PACKET
            | t::DECRYPTION_SECRETS
            | t::CUSTOM
            | t::CUSTOM_NO_COPY
    )
}

/// Bytes of `raw`'s options area that [`Parser::parse_block`] walks: after
/// the fixed fields (and a packet's padded data); an NRB's whole body
/// (its records, then its options). `None` when the packet
/// data does not fit (the block then fails its content check anyway).
fn options_len(raw: &RawBlock<'_>) -> Option<usize> {
    let fixed = (minimum_len(raw.block_type) - super::BLOCK_OVERHEAD) as usize;
    let body = raw.body.len();
    match raw.block_type {
        block_type::ENHANCED_PACKET | block_type::PACKET => {
            let head = raw.body.get(12..16)?;
            let captured = raw.byte_order.u32([head[0], head[1], head[2], head[3]]);
            let padded = usize::try_from(captured).ok()?.checked_next_multiple_of(4)?;
            body.checked_sub(fixed)?.checked_sub(padded)
        }
        block_type::SECTION_HEADER
        | block_type::INTERFACE_DESCRIPTION
        | block_type::INTERFACE_STATISTICS => body.checked_sub(fixed),
        // Records and options: the whole body is walked.
        block_type::NAME_RESOLUTION => Some(body),
        _ => Some(0),
    }
}

impl<'a, const N: usize> Iterator for Recovering<'a, N> {
    type Item = CaptureRecord<'a>;

    #[inline]
    fn next(&mut self) -> Option<CaptureRecord<'a>> {
        if core::mem::take(&mut self.damaged) {
            return Some(self.skip());
        }
        // Tested first: `take` on the large `Option` would move it whole on
        // every block, found or not.
        if self.found.is_some() {
            if let Some((block, len)) = self.found.take() {
                self.pos += len;
                return Some(CaptureRecord::Block(block));
            }
        }
        let Some(rest) = self.input.get(self.pos..).filter(|rest| !rest.is_empty()) else {
            self.end.past_end();
            return None;
        };
        let offset = self.base + self.pos as u64;
        match self.parser.parse_block(&mut self.state, rest, offset) {
            Ok((block, len)) => {
                if let Some(next) = self.overlaps_next(&block, self.pos + len) {
                    self.damaged = true;
                    self.search_at = 0;
                    self.origin = offset;
                    let kind = CaptureErrorKind::RecordOverlapsNext {
                        next_record: self.base + next as u64,
                    };
                    return Some(CaptureRecord::Error(CaptureError::new(offset, kind)));
                }
                self.pos += len;
                Some(CaptureRecord::Block(block))
            }
            Err(error) => {
                self.end.truncated(&error);
                self.damaged = true;
                self.search_at = 0;
                self.origin = offset;
                Some(CaptureRecord::Error(error))
            }
        }
    }
}

impl<const N: usize> core::iter::FusedIterator for Recovering<'_, N> {}

impl Parser {
    /// The recovering iterator over the blocks of a whole pcapng file in
    /// `input`, with the default interface capacity.
    pub const fn recovering<'a>(&self, input: &'a [u8]) -> Recovering<'a> {
        Recovering::new(*self, input, 0)
    }
}
