//! `Frames`: the strict iterator over the packets of a pcapng slice.

use super::block::RawBlock;
use super::options::Options;
use super::parse::{Block, Parser};
use super::state::{State, DEFAULT_INTERFACE_CAPACITY};
use crate::capture::{CaptureError, Frame};

/// Iterates over the frames of a pcapng file held in a slice, across all
/// its sections.
///
/// Yields `Ok` for each packet block; blocks that carry no packet are read
/// past (use [`next_block`](Self::next_block) to see them). At the first
/// damage it yields that one `Err` and then stops, so every good frame
/// before the damage comes first. An empty input, and a file with only a
/// Section Header Block, are valid captures of zero frames.
///
/// `N` is the capacity of each section's interface table (see the module
/// docs); `Frames` is a few KiB because the table lives inside it.
#[derive(Clone, Debug)]
pub struct Frames<'a, const N: usize = DEFAULT_INTERFACE_CAPACITY> {
    input: &'a [u8],
    pos: usize,
    base: u64,
    parser: Parser,
    state: State<N>,
    done: bool,
}

impl<'a, const N: usize> Frames<'a, N> {
    /// Frames of the whole file `input`, whose first byte is at absolute
    /// offset `base`.
    pub const fn new(parser: Parser, input: &'a [u8], base: u64) -> Self {
        Self { input, pos: 0, base, parser, state: State::new(), done: false }
    }

    /// Frames of `input`, a slice of a file from a block boundary at
    /// absolute offset `base`, where a reader's state is `state` (as
    /// [`state`](Self::state) returned it there): for readers that split a
    /// file at block boundaries.
    pub const fn resume(parser: Parser, state: State<N>, input: &'a [u8], base: u64) -> Self {
        Self { input, pos: 0, base, parser, state, done: false }
    }

    /// The reader's state: the current section and its interfaces.
    pub const fn state(&self) -> &State<N> {
        &self.state
    }

    /// Bytes consumed so far (relative to the slice's start).
    pub const fn position(&self) -> usize {
        self.pos
    }

    /// The options of interface `id` of the current section, read again
    /// from its Interface Description Block.
    pub fn interface_options(&self, id: u32) -> Option<Options<'a>> {
        let interface = self.state.interfaces().get(usize::try_from(id).ok()?)?;
        let at = usize::try_from(interface.offset.checked_sub(self.base)?).ok()?;
        let raw = RawBlock::read(
            self.input.get(at..)?,
            interface.offset,
            self.state.byte_order(),
            u32::MAX,
        )
        .ok()?;
        let options = raw.body.get(8..)?;
        Options::parse(options, raw.byte_order, interface.offset + 16, interface.offset).ok()
    }

    /// The next block of any kind, or the error that ends the file.
    pub fn next_block(&mut self) -> Option<Result<Block<'a>, CaptureError>> {
        if self.done {
            return None;
        }
        let rest = self.input.get(self.pos..).filter(|rest| !rest.is_empty())?;
        let offset = self.base + self.pos as u64;
        match self.parser.parse_block(&mut self.state, rest, offset) {
            Ok((block, len)) => {
                self.pos += len;
                Some(Ok(block))
            }
            Err(error) => {
                self.done = true;
                Some(Err(error))
            }
        }
    }
}

impl<'a, const N: usize> Iterator for Frames<'a, N> {
    type Item = Result<Frame<'a>, CaptureError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.next_block()? {
                Ok(Block::Frame(frame)) => return Some(Ok(frame)),
                Ok(_) => continue,
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

impl<const N: usize> core::iter::FusedIterator for Frames<'_, N> {}

impl Parser {
    /// The strict iterator over the frames of a whole pcapng file in `input`,
    /// with the default interface capacity.
    pub const fn frames<'a>(&self, input: &'a [u8]) -> Frames<'a> {
        Frames::new(*self, input, 0)
    }
}
