//! [`StreamReader`]: packets and records from any [`io::Read`] (files, pipes,
//! stdin, sockets) in bounded memory.
//!
//! The reader owns one buffer and a cursor into it. A packet that lies whole
//! in the buffer costs one [`Parser::parse_packet`] call and a cursor bump;
//! the packet it hands out borrows the buffer (a lending `next`, so the next
//! call may overwrite it). When the buffer holds only part of a packet, the
//! unread bytes move to its front (`copy_within`) and the reader reads more,
//! growing the buffer, by doubling and only while real bytes arrive, up to
//! the size of that packet. `Truncated` from the parser therefore means "read
//! more" until the input ends.
//!
//! Memory stays under `max(buffer size, maximum packet size, 24)`:
//!
//! - A packet whose header claims more than the maximum is never held
//!   whole. The reader first reads ahead up to the maximum from the packet's
//!   first byte, and then one byte more, read on its own and not kept, to
//!   learn whether the input goes on. If the input ends within those `max`
//!   bytes, all of it is buffered: the packet is
//!   `Truncated`, and recovery searches those bytes as the slice reader does.
//!   Otherwise the reader counts its way through the packet, reading and
//!   discarding its bytes, and reports `TooLarge` once all were seen (framing
//!   kept) or `Truncated` if the input ends first (`dump-json.md`).
//! - Recovery keeps no skipped bytes. It runs the slice reader's
//!   [`Scanner`] over the buffer as a [`Window`] onto the stream, so its work
//!   is amortised the same way (linear: no candidate's payload is hashed on
//!   its own, see `pkt/resync.rs`). The scanner says which bytes to keep:
//!   from the first candidate it cannot decide yet (whose bytes the reader
//!   then reads), or the last three bytes (a magic split across two reads).
//!   A candidate larger than the maximum is passed over at once: it could
//!   only be `TooLarge` or `Truncated`, never a packet with no error at all.
//!   The scanner's state is fixed (about 32 KiB, inside the reader, besides
//!   the buffer), so the bound above holds during recovery too. What a contiguous
//!   buffer of that size cannot avoid is copying: each refill moves the
//!   kept bytes (from the undecided candidate on) to its front. A full
//!   buffer grows towards the maximum, so a refill decides as many
//!   candidates as fit; but candidates a few bytes apart that each claim
//!   nearly all of it still cost one copy of it per few candidates (in
//!   `tests/stream.rs`: fakes every 32 bytes reaching 60 KiB, maximum
//!   64 KiB, 13 bytes copied per input byte; linear in the input, with a
//!   factor of about `reach / (max - reach)`).
//!
//! The records are those [`Records`](crate::Records) gives over the whole
//! input as one slice, with the same parser (including the maximum) and the
//! same `recover` flag, whatever sizes the reads return, with one exception a
//! bounded buffer forces: a claim over the maximum that is cut short more
//! than `max` bytes later. That is, a packet at `offset` whose header claims
//! `size > max` bytes, where the input ends after `offset + available` with
//! `max < available < size`. Its bytes were discarded while counting, so,
//! with `recover`, the `Skipped` range after its `Truncated { available }`
//! error runs to the end of input. (A slice reader would search those bytes
//! for a packet, but a stream can only learn that they were cut short after
//! reading all of them. Finding the first valid packet among them while
//! counting is cheap, but if the claim is then cut short, the records go on
//! from that packet, so every byte from it to the end of the claim, up to
//! 4 GiB, would have to be kept until the input tells which case it is.)
//! Without `recover`, and for
//! [`next_packet`](StreamReader::next_packet), there is no exception: the
//! records stop at that `Truncated` error in both readers.

use std::io;

use super::error::SourceError;

use crate::pkt::format::{field, FIXED_HEADER_LEN};
use crate::pkt::{
    Error, ErrorKind, FixedHeader, Packet, PacketErrors, Parser, Record, Scan, Scanner, Skipped,
    Window,
};

use super::read_buffer::ReadBuffer;

/// Reads packets or `dump --json` records from an [`io::Read`], in a bounded
/// buffer. See the [module documentation](self).
///
/// ```
/// use zcpkt::source::stream::StreamReader;
/// use zcpkt::NewPacket;
///
/// let mut capture = Vec::new();
/// NewPacket::new("a", "b", b"hello").write_to(&mut capture)?;
/// NewPacket::new("a", "b", b"world").write_to(&mut capture)?;
///
/// let mut reader = StreamReader::new(&capture[..]).buffer_size(64);
/// let mut payloads = Vec::new();
/// while let Some(packet) = reader.next_packet() {
///     payloads.push(packet?.payload.to_vec()); // the packet borrows the reader's buffer
/// }
/// assert_eq!(payloads, [b"hello", b"world"]);
/// assert_eq!(reader.offset(), capture.len() as u64);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct StreamReader<R> {
    buf: ReadBuffer<R>,
    parser: Parser,
    max_packet: u64,
    recover: bool,
    state: State,
    pending_errors: Option<PacketErrors>,
    /// Kept across recoveries so that their total work stays linear.
    scanner: Scanner,
    /// The offset the scanner's positions count from (0 unless they
    /// outgrew `usize`).
    scan_base: u64,
}

#[derive(Clone, Copy, Debug)]
enum State {
    /// A packet is expected at the cursor.
    Parsing,
    /// Discarding the bytes of the packet at `offset`, over the maximum.
    Oversize { offset: u64, size: u64 },
    /// Looking, from the cursor on, for the packet that ends the skipped
    /// range starting at `from` (where framing was lost).
    Resync { from: u64 },
    /// Stopped after an error that lost framing, without recovery.
    Done,
}

/// What the reader found at its position, borrowing nothing.
enum Step {
    /// `parse_packet` on the buffered bytes answers as on the whole input.
    Decidable,
    Error(Error),
    Skipped(Skipped),
    End,
}

/// Which record stream is being read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Records,
    Packets,
}

impl<R: io::Read> StreamReader<R> {
    /// The initial buffer size: 1 MiB.
    pub const DEFAULT_BUFFER: usize = 1 << 20;
    /// The maximum packet size when the parser sets none: 16 MiB, as
    /// `dump-json.md` gives for streamed input.
    pub const DEFAULT_MAX_PACKET: u64 = 16 << 20;

    /// A reader over `reader` that verifies checksums, does not recover,
    /// starts with a [`DEFAULT_BUFFER`](Self::DEFAULT_BUFFER) buffer and
    /// accepts packets up to [`DEFAULT_MAX_PACKET`](Self::DEFAULT_MAX_PACKET).
    pub fn new(reader: R) -> Self {
        Self {
            buf: ReadBuffer::new(reader, Self::DEFAULT_BUFFER),
            parser: Parser::new().max_packet_size(Some(Self::DEFAULT_MAX_PACKET)),
            max_packet: Self::DEFAULT_MAX_PACKET,
            recover: false,
            state: State::Parsing,
            pending_errors: None,
            scanner: Scanner::new(),
            scan_base: 0,
        }
    }

    /// Checks packets as `parser` does. Its maximum packet size becomes the
    /// reader's (none means [`DEFAULT_MAX_PACKET`](Self::DEFAULT_MAX_PACKET)):
    /// a stream needs one to bound its buffer.
    pub fn with_parser(mut self, parser: Parser) -> Self {
        self.max_packet = parser.packet_size_limit().unwrap_or(Self::DEFAULT_MAX_PACKET);
        self.parser = parser.max_packet_size(Some(self.max_packet));
        self
    }

    /// The buffer's initial size (at least 1 byte); it grows to hold a larger
    /// packet. Set it before reading: once allocated, it is kept.
    pub fn buffer_size(mut self, bytes: usize) -> Self {
        self.buf.set_initial_size(bytes);
        self
    }

    /// Whether [`next_record`](Self::next_record) goes on past errors that
    /// lose framing (default `false`).
    pub fn recover(mut self, recover: bool) -> Self {
        self.recover = recover;
        self
    }

    /// The next record of `dump --json`: packets, errors and, when
    /// recovering, skipped ranges, as [`Records`](crate::Records) gives them
    /// over the whole input (see the [module documentation](self) for the
    /// one exception). `None` at the end.
    ///
    /// An I/O error leaves the reader as it was: calling again retries the
    /// read (`Interrupted` is retried without returning).
    pub fn next_record(&mut self) -> Option<io::Result<Record<'_>>> {
        if let Some(error) = self.next_pending_error() {
            return Some(Ok(Record::Error(error)));
        }
        match self.advance(Mode::Records) {
            Err(error) => return Some(Err(error)),
            Ok(Step::End) => return None,
            Ok(Step::Error(error)) => return Some(Ok(Record::Error(error))),
            Ok(Step::Skipped(skipped)) => return Some(Ok(Record::Skipped(skipped))),
            Ok(Step::Decidable) => {}
        }
        Some(Ok(match self.parse_buffered(Mode::Records) {
            Ok(packet) => Record::Packet(packet),
            Err(error) => Record::Error(error),
        }))
    }

    /// The next packet, with the strict semantics of [`Packets`](crate::Packets):
    /// `Ok` for a valid packet; `Err` with the first error of a damaged
    /// packet or a `TooLarge` one, after which reading goes on; `Err` with
    /// an error that loses framing, after which it stops (this method never
    /// recovers). `None` at the end.
    ///
    /// An I/O error leaves the reader as it was: calling again retries.
    pub fn next_packet(&mut self) -> Option<Result<Packet<'_>, StreamError>> {
        if let Some(error) = self.next_pending_error() {
            return Some(Err(error.into()));
        }
        loop {
            match self.advance(Mode::Packets) {
                Err(error) => return Some(Err(error.into())),
                Ok(Step::End) => return None,
                Ok(Step::Error(error)) => return Some(Err(error.into())),
                // Only a recovery begun by `next_record` gets here.
                Ok(Step::Skipped(_)) => {}
                Ok(Step::Decidable) => break,
            }
        }
        Some(match self.parse_buffered(Mode::Packets) {
            Ok(packet) => match packet.errors().next() {
                None => Ok(packet),
                Some(error) => Err(error.into()),
            },
            Err(error) => Err(error.into()),
        })
    }

    /// Bytes consumed: the absolute offset of the next byte to look at.
    pub const fn offset(&self) -> u64 {
        self.buf.offset()
    }

    /// The buffer's current size in bytes (0 before the first read).
    pub fn buffer_capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// Work done by recovery so far, in the units of
    /// [`find_next_valid_counted`](crate::pkt::find_next_valid_counted).
    #[doc(hidden)]
    pub const fn resync_work(&self) -> u64 {
        self.scanner.work()
    }

    /// Bytes the buffer has moved to its front when refilling, so far.
    #[doc(hidden)]
    pub const fn bytes_moved(&self) -> u64 {
        self.buf.moved()
    }

    /// The underlying reader.
    pub fn into_inner(self) -> R {
        self.buf.into_inner()
    }

    fn next_pending_error(&mut self) -> Option<Error> {
        let error = self.pending_errors.as_mut().and_then(Iterator::next);
        if error.is_none() {
            self.pending_errors = None;
        }
        error
    }

    fn recovers(&self, mode: Mode) -> bool {
        self.recover && mode == Mode::Records
    }

    /// Reads until the reader knows what comes next.
    #[inline]
    fn advance(&mut self, mode: Mode) -> io::Result<Step> {
        loop {
            let step = match self.state {
                State::Parsing => self.frame()?,
                State::Oversize { offset, size } => self.count_through(offset, size, mode)?,
                State::Resync { from } => self.resync(from)?,
                State::Done => Some(Step::End),
            };
            if let Some(step) = step {
                return Ok(step);
            }
        }
    }

    /// `Decidable` once the buffer holds all `parse_packet` looks at for the
    /// packet at the cursor (or the input ended); otherwise reads more.
    #[inline]
    fn frame(&mut self) -> io::Result<Option<Step>> {
        let buffered = self.buf.buffered();
        if claimed_size(buffered).is_some_and(|size| size <= buffered.len() as u64) {
            return Ok(Some(Step::Decidable));
        }
        if buffered.is_empty() && self.buf.is_eof() {
            return Ok(Some(Step::End));
        }
        let need = match FixedHeader::read(buffered, self.buf.offset()) {
            // Checked before the end of input so that the outcome does not
            // depend on how the reads were cut.
            Ok(fixed) if fixed.packet_len() > self.max_packet => {
                return self.look_ahead(fixed.packet_len());
            }
            Ok(fixed) if !self.buf.is_eof() => fixed.packet_len(),
            Err(Error { kind: ErrorKind::Truncated { .. }, .. }) if !self.buf.is_eof() => {
                FIXED_HEADER_LEN as u64
            }
            _ => return Ok(Some(Step::Decidable)),
        };
        self.buf.fill(need)?;
        Ok(None)
    }

    /// The packet at the cursor claims `size` bytes, more than the maximum,
    /// and the buffer holds fewer. Reads until it holds the packet's first
    /// `max` bytes and knows whether another follows, without growing the
    /// buffer past `max`: if the input ends within those `max` bytes, all
    /// of it is buffered, so the packet is `Decidable` (`Truncated`, and
    /// recovery searches those bytes as the slice reader does); otherwise
    /// the reader counts its way through the packet.
    fn look_ahead(&mut self, size: u64) -> io::Result<Option<Step>> {
        let window = self.max_packet;
        let buffered = self.buf.buffered().len() as u64;
        if buffered > window {
            self.state = State::Oversize { offset: self.buf.offset(), size };
            return Ok(None);
        }
        if self.buf.is_eof() {
            return Ok(Some(Step::Decidable));
        }
        if buffered < window {
            self.buf.fill(window)?;
            return Ok(None);
        }
        // The buffer holds exactly `max` bytes of the packet: one more byte
        // decides, and it can only be one the packet claims (`size > max`),
        // so it is counted, not kept.
        let offset = self.buf.offset();
        if self.buf.discard_through_next()? {
            self.state = State::Oversize { offset, size };
        }
        Ok(None)
    }

    /// One packet from the buffer, which holds all of it or all the input
    /// has; moves the cursor past it, or past what an error leaves behind.
    ///
    /// The packet borrows the buffered bytes, so only the cursor split off
    /// them and fields other than `buf` change.
    #[inline]
    fn parse_buffered(&mut self, mode: Mode) -> Result<Packet<'_>, Error> {
        let (buffered, mut cursor) = self.buf.split();
        match self.parser.parse_packet(buffered, cursor.offset()) {
            Ok(packet) => {
                cursor.consume(packet.len());
                if mode == Mode::Records && !packet.is_valid() {
                    self.pending_errors = Some(packet.errors());
                }
                Ok(packet)
            }
            Err(error) => {
                let skip = match error.kind {
                    // parse_packet reports TooLarge only with all `size` bytes given.
                    ErrorKind::TooLarge { size, .. } => {
                        usize::try_from(size).map_or(buffered.len(), |s| s.min(buffered.len()))
                    }
                    // `self.recovers(mode)`, with the buffer borrowed.
                    _ if self.recover && mode == Mode::Records => {
                        self.state = State::Resync { from: error.offset };
                        1
                    }
                    _ => {
                        self.state = State::Done;
                        0
                    }
                };
                cursor.consume(skip);
                Err(error)
            }
        }
    }

    /// Discards the bytes of the oversized packet at `offset`, reading
    /// through them; reports it once all `size` were seen or the input ended.
    fn count_through(&mut self, offset: u64, size: u64, mode: Mode) -> io::Result<Option<Step>> {
        let end = offset.saturating_add(size);
        let remaining = end.saturating_sub(self.buf.offset());
        let buffered = self.buf.buffered().len();
        self.buf.consume(usize::try_from(remaining).map_or(buffered, |r| r.min(buffered)));
        if self.buf.offset() == end {
            self.state = State::Parsing;
            let limit = self.max_packet;
            return Ok(Some(Step::Error(Error::new(offset, ErrorKind::TooLarge { size, limit }))));
        }
        if self.buf.is_eof() {
            // The discarded bytes cannot be searched again: recovery skips to the end.
            self.state =
                if self.recovers(mode) { State::Resync { from: offset } } else { State::Done };
            let available = self.buf.offset() - offset;
            return Ok(Some(Step::Error(Error::new(offset, ErrorKind::Truncated { available }))));
        }
        self.buf.fill(1)?;
        Ok(None)
    }

    /// Looks for the first `PKT\0` at or after the cursor that starts a
    /// packet with no error at all, in what is buffered; keeps only what
    /// the scanner has not passed, and reads more when it asks.
    fn resync(&mut self, from: u64) -> io::Result<Option<Step>> {
        let start = self.scan_position();
        let window = Window::new(self.buf.buffered(), start, self.buf.is_eof());
        match self.scanner.scan(&self.parser, window, start, u64::MAX) {
            Scan::Found(at) => {
                self.buf.consume(at - start);
                Ok(Some(self.end_resync(from)))
            }
            Scan::NotFound => {
                self.buf.consume(self.buf.buffered().len());
                Ok(Some(self.end_resync(from)))
            }
            Scan::NeedMore { keep_from, need_to } => {
                self.buf.consume(keep_from - start);
                // A full buffer may grow up to the maximum, not just to the
                // candidate: each refill then decides more candidates after
                // it, so fewer refills copy the kept bytes.
                let need = ((need_to - keep_from) as u64).max(self.max_packet);
                self.buf.fill(need)?;
                Ok(None)
            }
            // No budget was set: this cannot happen; scanning again is right.
            Scan::Paused { .. } => Ok(None),
        }
    }

    /// The scanner's position for the cursor. Positions count from
    /// `scan_base`; should they outgrow half of `usize` (only on 32-bit
    /// targets), the scanner starts over from the cursor.
    fn scan_position(&mut self) -> usize {
        let offset = self.buf.offset();
        match usize::try_from(offset.saturating_sub(self.scan_base)) {
            Ok(position) if position <= usize::MAX / 2 => position,
            _ => {
                self.scanner.reset();
                self.scan_base = offset;
                0
            }
        }
    }

    fn end_resync(&mut self, from: u64) -> Step {
        self.state = State::Parsing;
        Step::Skipped(Skipped { offset: from, len: self.buf.offset() - from })
    }
}

/// `HEADER_LEN + PAYLOAD_LEN` as the fixed header at the start of `bytes`
/// claims it, unchecked (the parser checks), or `None` under 24 bytes.
#[inline]
fn claimed_size(bytes: &[u8]) -> Option<u64> {
    let head = bytes.first_chunk::<FIXED_HEADER_LEN>()?;
    let header_len = u16::from_le_bytes([head[field::HEADER_LEN], head[field::HEADER_LEN + 1]]);
    let at = field::PAYLOAD_LEN;
    let payload_len = u32::from_le_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    Some(u64::from(header_len) + u64::from(payload_len))
}

/// Why [`StreamReader::next_packet`] gave no packet.
pub type StreamError = SourceError<Error>;
