//! `Frames`: the strict iterator over the records of a pcap slice.

use super::header::{Header, HEADER_LEN, RECORD_HEADER_LEN};
use super::parse::Parser;
use crate::capture::{CaptureError, Frame};

/// Iterates over the frames of a pcap file held in a slice.
///
/// Yields `Ok` for each record; at the first damage (global header or
/// record) yields that one `Err` and then stops, so every good frame before
/// the damage comes first. An empty input is a valid capture of zero frames;
/// a header with no records too.
#[derive(Clone, Debug)]
pub struct Frames<'a> {
    input: &'a [u8],
    pos: usize,
    base: u64,
    parser: Parser,
    header: Option<Header>,
    done: bool,
}

impl<'a> Frames<'a> {
    /// Frames of the whole file `input` (global header first), whose first
    /// byte is at absolute offset `base`.
    pub const fn new(parser: Parser, input: &'a [u8], base: u64) -> Self {
        Self { input, pos: 0, base, parser, header: None, done: false }
    }

    /// Frames of `input` holding records only (no global header), in a file
    /// whose header is `header`, `input` starting at absolute offset `base`:
    /// for a source that parses windows of a large file.
    pub const fn records(parser: Parser, header: Header, input: &'a [u8], base: u64) -> Self {
        Self { input, pos: 0, base, parser, header: Some(header), done: false }
    }

    /// The global header, once read (after the first call to `next` on a
    /// non-empty input with a valid header).
    pub const fn header(&self) -> Option<&Header> {
        self.header.as_ref()
    }

    /// Bytes consumed so far (relative to the slice's start).
    pub const fn position(&self) -> usize {
        self.pos
    }

    fn fail(&mut self, error: CaptureError) -> Option<Result<Frame<'a>, CaptureError>> {
        self.done = true;
        Some(Err(error))
    }
}

impl<'a> Iterator for Frames<'a> {
    type Item = Result<Frame<'a>, CaptureError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let header = match self.header {
            Some(header) => header,
            None if self.input.is_empty() => return None,
            None => match Header::read_at(self.input, self.base) {
                Ok(header) => {
                    self.header = Some(header);
                    self.pos = HEADER_LEN;
                    header
                }
                Err(error) => return self.fail(error),
            },
        };
        let rest = self.input.get(self.pos..).filter(|rest| !rest.is_empty())?;
        let offset = self.base + self.pos as u64;
        match self.parser.parse_record(&header, rest, offset) {
            Ok(frame) => {
                self.pos += RECORD_HEADER_LEN + frame.data.len();
                Some(Ok(frame))
            }
            Err(error) => self.fail(error),
        }
    }
}

impl core::iter::FusedIterator for Frames<'_> {}
