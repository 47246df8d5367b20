//! A buffered writer that hands its inner writer whole, aligned chunks.
//!
//! `BufWriter` writes whenever the next piece does not fit, so its writes
//! start at arbitrary file offsets. The page cache builds its folios from
//! the writes it gets: on Linux 6.x file systems with large folios, writes
//! of 2 MiB at 2 MiB-aligned offsets leave 2 MiB folios, which a later
//! memory map takes in with one page fault each, where 256 KiB writes leave
//! folios a map takes in 64 KiB per fault (walking a 1 GiB map: about
//! 6 ms against 60 ms on this project's VM). So the files zcpkt writes
//! (`gen`, `filter`) are written in whole chunks of [`CHUNK`] bytes, and
//! are as cheap to map right after they are written as after a read from
//! disk.

use std::io::{self, Write};

/// Bytes per write: the x86-64 huge-page size, the largest folio the page
/// cache builds.
pub const CHUNK: usize = 2 << 20;

/// Buffers writes and passes them on in writes of exactly [`CHUNK`] bytes
/// (the last one, at [`flush`](Write::flush), may be shorter).
pub struct ChunkedWriter<W: Write> {
    inner: W,
    buf: Vec<u8>,
}

impl<W: Write> ChunkedWriter<W> {
    /// A writer with an empty buffer of [`CHUNK`] bytes.
    pub fn new(inner: W) -> Self {
        Self { inner, buf: Vec::with_capacity(CHUNK) }
    }

    /// The inner writer (bytes still buffered are not in it yet).
    pub fn get_ref(&self) -> &W {
        &self.inner
    }

    fn write_buffer(&mut self) -> io::Result<()> {
        // On error the buffer is kept, so a later flush can retry it whole.
        self.inner.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }
}

impl<W: Write> Write for ChunkedWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.len() == CHUNK {
            self.write_buffer()?;
        }
        let n = data.len().min(CHUNK - self.buf.len());
        self.buf.extend_from_slice(&data[..n]);
        if self.buf.len() == CHUNK {
            self.write_buffer()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.write_buffer()?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records the length of every write it gets.
    #[derive(Default)]
    struct Recorder {
        bytes: Vec<u8>,
        writes: Vec<usize>,
    }

    impl Write for Recorder {
        fn write(&mut self, data: &[u8]) -> io::Result<usize> {
            self.bytes.extend_from_slice(data);
            self.writes.push(data.len());
            Ok(data.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn passes_on_whole_chunks_then_the_rest_at_flush() {
        let mut writer = ChunkedWriter::new(Recorder::default());
        let mut expected = Vec::new();
        // Pieces of every size from 1 to 99 999 bytes, then one of 5 MiB.
        for (i, len) in (1..100_000).step_by(997).chain([5 << 20]).enumerate() {
            let piece = vec![i as u8; len];
            writer.write_all(&piece).unwrap();
            expected.extend_from_slice(&piece);
        }
        writer.flush().unwrap();
        let recorder = writer.inner;
        assert_eq!(recorder.bytes, expected);
        let (last, whole) = recorder.writes.split_last().unwrap();
        assert!(whole.iter().all(|&len| len == CHUNK), "{:?}", recorder.writes);
        assert_eq!(whole.len(), expected.len() / CHUNK);
        assert_eq!(*last, expected.len() % CHUNK);
    }

    #[test]
    fn an_exact_multiple_leaves_nothing_for_flush() {
        let mut writer = ChunkedWriter::new(Recorder::default());
        writer.write_all(&vec![1; 2 * CHUNK]).unwrap();
        writer.flush().unwrap();
        assert_eq!(writer.inner.writes, [CHUNK, CHUNK]);
    }
}
