//! [`ReadBuffer`]: the bounded, refillable buffer that the streaming readers
//! ([`StreamReader`](super::stream::StreamReader) and
//! [`CaptureStream`](super::capture_stream::CaptureStream)) parse from.
//!
//! It owns the reader, one buffer and a cursor into it. The unread bytes are
//! [`buffered`](ReadBuffer::buffered); [`fill`](ReadBuffer::fill) moves them
//! to the buffer's front and reads once more, growing the buffer, by doubling
//! at most and only while real bytes arrive, towards what the caller needs.
//! The buffer is allocated on the first read, so that configuring its size
//! costs nothing.

use std::io;

/// A reader, a buffer that grows on demand, and a cursor into it.
#[derive(Debug)]
pub(crate) struct ReadBuffer<R> {
    reader: R,
    /// The size of the first allocation (at least 1 byte).
    initial: usize,
    /// Allocated on the first read, so that configuring the size costs nothing.
    buf: Vec<u8>,
    /// The unread bytes are `buf[start..end]`.
    start: usize,
    end: usize,
    /// Absolute offset of `buf[start]`.
    consumed: u64,
    eof: bool,
    /// Bytes moved to the front by refills, for tests that count work.
    moved: u64,
}

/// The cursor of a [`ReadBuffer`], split off by [`ReadBuffer::split`] so
/// that it can move while the buffered bytes stay borrowed.
pub(crate) struct Cursor<'a> {
    start: &'a mut usize,
    consumed: &'a mut u64,
    /// Bytes buffered when the cursor was split off.
    available: usize,
}

impl Cursor<'_> {
    /// Absolute offset of the first buffered byte.
    #[inline]
    pub(crate) fn offset(&self) -> u64 {
        *self.consumed
    }

    /// Moves the cursor `n` bytes on; `n` is at most what is buffered.
    #[inline]
    pub(crate) fn consume(&mut self, n: usize) {
        debug_assert!(n <= self.available);
        self.available -= n;
        *self.start += n;
        *self.consumed += n as u64;
    }
}

impl<R> ReadBuffer<R> {
    /// A buffer over `reader` whose first allocation is `initial` bytes (at
    /// least 1); nothing is allocated yet.
    pub(crate) fn new(reader: R, initial: usize) -> Self {
        Self {
            reader,
            initial: initial.max(1),
            buf: Vec::new(),
            start: 0,
            end: 0,
            consumed: 0,
            eof: false,
            moved: 0,
        }
    }

    /// Sets the size of the first allocation (at least 1 byte). Once the
    /// buffer is allocated, it is kept.
    pub(crate) fn set_initial_size(&mut self, bytes: usize) {
        self.initial = bytes.max(1);
    }

    /// The unread bytes.
    #[inline]
    pub(crate) fn buffered(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// The unread bytes, and the cursor to move past them while they are
    /// borrowed (parsing hands out values borrowing the buffer).
    #[inline]
    pub(crate) fn split(&mut self) -> (&[u8], Cursor<'_>) {
        let buffered = &self.buf[self.start..self.end];
        let available = buffered.len();
        (buffered, Cursor { start: &mut self.start, consumed: &mut self.consumed, available })
    }

    /// Moves the cursor `n` bytes on; `n` is at most what is buffered.
    #[inline]
    pub(crate) fn consume(&mut self, n: usize) {
        debug_assert!(n <= self.end - self.start);
        self.start += n;
        self.consumed += n as u64;
    }

    /// Bytes consumed: the absolute offset of the first buffered byte.
    #[inline]
    pub(crate) const fn offset(&self) -> u64 {
        self.consumed
    }

    /// Whether a read returned the end of input.
    #[inline]
    pub(crate) const fn is_eof(&self) -> bool {
        self.eof
    }

    /// The buffer's current size in bytes (0 before the first read).
    #[inline]
    pub(crate) fn capacity(&self) -> usize {
        self.buf.len()
    }

    /// Bytes moved to the buffer's front by refills so far.
    pub(crate) const fn moved(&self) -> u64 {
        self.moved
    }

    /// The underlying reader.
    pub(crate) fn into_inner(self) -> R {
        self.reader
    }
}

impl<R: io::Read> ReadBuffer<R> {
    /// Reads once into the buffer (at least one byte, or the end of input,
    /// which sets [`is_eof`](Self::is_eof)), after moving the unread bytes to
    /// its front and, when it is full, growing it towards `need` bytes.
    /// Growth doubles at most, so a length field's claim alone never
    /// allocates: only bytes that arrive do. `Interrupted` is retried; any
    /// other error leaves the unread bytes as they were.
    pub(crate) fn fill(&mut self, need: u64) -> io::Result<()> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.moved += (self.end - self.start) as u64;
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            self.grow(need);
        }
        loop {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    // A reader claiming more than it was given must not move `end` out.
                    self.end = self.end.saturating_add(n).min(self.buf.len());
                    return Ok(());
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
    }

    /// Reads one byte past the buffer, on its own, and drops it together with
    /// the buffered bytes: the cursor moves past all of them. `Ok(false)` at
    /// the end of input (which sets [`is_eof`](Self::is_eof)), with nothing
    /// consumed. `Interrupted` is retried.
    pub(crate) fn discard_through_next(&mut self) -> io::Result<bool> {
        let mut byte = [0];
        loop {
            match self.reader.read(&mut byte) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(_) => break,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
        self.consume(self.end - self.start);
        self.consumed += 1;
        Ok(true)
    }

    fn grow(&mut self, need: u64) {
        let len = self.buf.len();
        let size = if len == 0 {
            self.initial
        } else {
            let need = usize::try_from(need).unwrap_or(usize::MAX);
            len.saturating_mul(2).min(need).max(len + 1)
        };
        // Exactly: `resize` alone may round the allocation up past the bound.
        self.buf.reserve_exact(size - len);
        self.buf.resize(size, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::ReadBuffer;
    use std::collections::VecDeque;
    use std::io::{self, Read};

    /// Replays scripted reads: `Ok(n)` gives up to `n` bytes of `data` (and
    /// claims `claim` more than it gave), `Err` returns that error kind.
    struct Script {
        data: VecDeque<u8>,
        steps: VecDeque<Result<usize, io::ErrorKind>>,
        claim: usize,
    }

    impl Script {
        fn new(data: &[u8], steps: &[Result<usize, io::ErrorKind>]) -> Self {
            Self {
                data: data.iter().copied().collect(),
                steps: steps.iter().copied().collect(),
                claim: 0,
            }
        }
    }

    impl Read for Script {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let limit = match self.steps.pop_front() {
                Some(Err(kind)) => return Err(kind.into()),
                Some(Ok(limit)) => limit,
                None => usize::MAX,
            };
            let n = limit.min(out.len()).min(self.data.len());
            for (slot, byte) in out.iter_mut().zip(self.data.drain(..n)) {
                *slot = byte;
            }
            Ok(if n == 0 { 0 } else { n + self.claim })
        }
    }

    #[test]
    fn allocates_lazily_then_grows_by_doubling_at_most_and_never_past_need() {
        let data = [7u8; 100];
        let mut buffer = ReadBuffer::new(&data[..], 4);
        assert_eq!(buffer.capacity(), 0);
        buffer.fill(1000).unwrap();
        assert_eq!(buffer.capacity(), 4, "the first allocation is the initial size");
        buffer.fill(1000).unwrap();
        assert_eq!(buffer.capacity(), 8, "doubling at most, whatever the claim");
        buffer.fill(10).unwrap();
        assert_eq!(buffer.capacity(), 10, "never past what is needed");
        buffer.fill(10).unwrap();
        assert_eq!(buffer.capacity(), 11, "at least one byte more when full");
        assert_eq!(buffer.buffered().len(), 11);
        // Consumed bytes make room without growing.
        buffer.consume(5);
        buffer.fill(1000).unwrap();
        assert_eq!(buffer.capacity(), 11);
        assert_eq!(buffer.buffered().len(), 11);
        assert_eq!(buffer.offset(), 5);
    }

    #[test]
    fn zero_initial_size_is_one_byte() {
        let mut buffer = ReadBuffer::new(&b"ab"[..], 0);
        buffer.fill(1).unwrap();
        assert_eq!(buffer.capacity(), 1);
        assert_eq!(buffer.buffered(), b"a");
    }

    #[test]
    fn a_reader_claiming_more_than_given_is_clamped() {
        let mut script = Script::new(b"abcdef", &[Ok(3), Ok(3)]);
        script.claim = 1000;
        let mut buffer = ReadBuffer::new(script, 4);
        buffer.fill(4).unwrap();
        assert_eq!(buffer.buffered(), b"abc\0", "`end` stops at the buffer's end");
        buffer.consume(4);
        assert_eq!(buffer.offset(), 4);
        buffer.fill(4).unwrap();
        assert_eq!(buffer.buffered().len(), 4);
    }

    #[test]
    fn interrupted_is_retried_and_other_errors_leave_the_bytes() {
        use io::ErrorKind::{Interrupted, Other};
        let script = Script::new(b"abcd", &[Err(Interrupted), Err(Interrupted), Ok(2), Err(Other)]);
        let mut buffer = ReadBuffer::new(script, 8);
        buffer.fill(8).unwrap();
        assert_eq!(buffer.buffered(), b"ab");
        buffer.consume(1);
        assert_eq!(buffer.fill(8).unwrap_err().kind(), Other);
        assert_eq!(buffer.buffered(), b"b");
        assert_eq!(buffer.offset(), 1);
        assert!(!buffer.is_eof());
        buffer.fill(8).unwrap();
        assert_eq!(buffer.buffered(), b"bcd");
    }

    #[test]
    fn end_of_input_sets_eof_and_keeps_the_bytes() {
        let mut buffer = ReadBuffer::new(&b"xy"[..], 8);
        buffer.fill(8).unwrap();
        assert!(!buffer.is_eof());
        buffer.fill(8).unwrap();
        assert!(buffer.is_eof());
        assert_eq!(buffer.buffered(), b"xy");
        let (bytes, mut cursor) = buffer.split();
        assert_eq!(bytes, b"xy");
        cursor.consume(2);
        assert_eq!(cursor.offset(), 2);
        assert_eq!(buffer.offset(), 2);
        assert!(buffer.buffered().is_empty());
        assert!(buffer.into_inner().is_empty());
    }

    #[test]
    fn discard_through_next_drops_the_buffer_and_one_more_byte() {
        let script = Script::new(b"abcde", &[Ok(3), Err(io::ErrorKind::Interrupted)]);
        let mut buffer = ReadBuffer::new(script, 8);
        buffer.fill(8).unwrap();
        assert!(buffer.discard_through_next().unwrap());
        assert_eq!(buffer.offset(), 4);
        assert!(buffer.buffered().is_empty());
        buffer.fill(8).unwrap();
        assert_eq!(buffer.buffered(), b"e");
        assert!(buffer.discard_through_next().is_ok_and(|more| !more));
        assert!(buffer.is_eof());
        assert_eq!(buffer.buffered(), b"e", "nothing is consumed at the end of input");
        assert_eq!(buffer.offset(), 4);
    }
}
