//! `Records`: the record stream of `dump --json`, with optional recovery.

use super::error::{Error, ErrorKind};
use super::packet::{Packet, PacketErrors};
use super::parse::Parser;
use super::resync::Scanner;

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
    pending_skip: Option<Skipped>,
    /// Kept across recoveries so that their total work stays linear.
    scanner: Scanner,
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
            pending_skip: None,
            scanner: Scanner::new(),
        }
    }

    /// Bytes consumed so far (relative to the slice's start).
    pub const fn position(&self) -> usize {
        self.pos
    }

    fn lost_framing(&mut self, error: Error) {
        let next = if self.recover {
            self.scanner.find(&self.parser, self.input, self.pos + 1)
        } else {
            None
        };
        let next = next.unwrap_or(self.input.len());
        if self.recover {
            let len = (next - self.pos) as u64;
            self.pending_skip = Some(Skipped { offset: error.offset, len });
        }
        self.pos = next;
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        if let Some(error) = self.pending_errors.as_mut().and_then(Iterator::next) {
            return Some(Record::Error(error));
        }
        self.pending_errors = None;
        if let Some(skipped) = self.pending_skip.take() {
            return Some(Record::Skipped(skipped));
        }
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

impl core::iter::FusedIterator for Records<'_> {}

impl Parser {
    /// The record stream of `input` (offsets from 0); `recover` goes on past
    /// errors that lose framing.
    pub const fn records<'a>(&self, input: &'a [u8], recover: bool) -> Records<'a> {
        Records::new(*self, input, 0, recover)
    }
}
