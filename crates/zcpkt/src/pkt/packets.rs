//! `Packets`: the strict iterator over the packets of a slice.

use super::error::Error;
use super::packet::Packet;
use super::parse::{HashProgress, Parser};

/// Iterates over the packets of a slice, stopping at the first error that
/// loses framing.
///
/// Yields `Ok` for each valid packet and `Err` for each error: a packet with
/// a malformed extension area or a checksum mismatch gives its first error
/// and iteration goes on after it (as after `TooLarge`); an error that loses
/// framing is yielded last. Use [`Records`](super::Records) to see damaged
/// packets' fields, every error, and to recover past corruption.
#[derive(Clone, Debug)]
pub struct Packets<'a> {
    input: &'a [u8],
    pos: usize,
    base: u64,
    parser: Parser,
}

impl<'a> Packets<'a> {
    /// Packets of `input`, whose first byte is at absolute offset `base`.
    pub const fn new(parser: Parser, input: &'a [u8], base: u64) -> Self {
        Self { input, pos: 0, base, parser }
    }

    /// Bytes consumed so far (relative to the slice's start).
    pub const fn position(&self) -> usize {
        self.pos
    }
}

impl<'a> Packets<'a> {
    /// [`next`](Iterator::next), hashing a large payload in pieces and
    /// telling `progress` how far it got (see
    /// [`Parser::parse_packet_hashing`]). The items are the same.
    #[inline]
    pub fn next_hashing<H: HashProgress + ?Sized>(
        &mut self,
        progress: &mut H,
    ) -> Option<Result<Packet<'a>, Error>> {
        let rest = self.input.get(self.pos..).filter(|rest| !rest.is_empty())?;
        let offset = self.base + self.pos as u64;
        match self.parser.parse_packet_hashing(rest, offset, progress) {
            Ok(packet) => {
                self.pos += packet.len();
                // `is_valid` is two flag tests; building the error list is
                // only worth it for the rare damaged packet.
                if packet.is_valid() {
                    return Some(Ok(packet));
                }
                Some(packet.errors().next().map_or(Ok(packet), Err))
            }
            Err(error) => {
                self.pos = match error.kind {
                    super::ErrorKind::TooLarge { size, .. } => {
                        self.pos.saturating_add(size as usize)
                    }
                    _ => self.input.len(),
                };
                Some(Err(error))
            }
        }
    }
}

impl<'a> Iterator for Packets<'a> {
    type Item = Result<Packet<'a>, Error>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.next_hashing(&mut ())
    }
}

impl core::iter::FusedIterator for Packets<'_> {}

impl Parser {
    /// The strict iterator over the packets of `input` (offsets from 0).
    pub const fn packets<'a>(&self, input: &'a [u8]) -> Packets<'a> {
        Packets::new(*self, input, 0)
    }
}
