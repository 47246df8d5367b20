//! Framing, validation and hand-out of one pcap record: the hot path.

use super::header::{Header, RECORD_HEADER_LEN};
use crate::capture::{bytes_at, CaptureError, Frame, Timestamp};
use crate::pcapng::Options;

/// libpcap's `MAXIMUM_SNAPLEN` (and Wireshark's `WTAP_MAX_PACKET_SIZE_STANDARD`):
/// the largest captured length either accepts for ordinary link types.
pub const DEFAULT_MAX_RECORD_SIZE: u32 = 262_144;

/// How records are checked. `Parser::default()` accepts captured lengths up
/// to [`DEFAULT_MAX_RECORD_SIZE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Parser {
    max_record_size: u32,
}

impl Default for Parser {
    fn default() -> Self {
        Self::new()
    }
}

impl Parser {
    /// A parser with the default maximum record size (256 KiB).
    pub const fn new() -> Self {
        Self { max_record_size: DEFAULT_MAX_RECORD_SIZE }
    }

    /// The largest captured length to accept; a larger one is a
    /// `RecordTooLarge` error. It bounds what a streaming reader buffers and
    /// stops a hostile length from being taken at face value.
    pub const fn max_record_size(mut self, limit: u32) -> Self {
        self.max_record_size = limit;
        self
    }

    /// The configured maximum record size.
    pub const fn record_size_limit(&self) -> u32 {
        self.max_record_size
    }

    /// Frames and hands out the record at the start of `input`, whose first
    /// byte is at absolute `offset`, in a file with global header `header`.
    ///
    /// Checks, in order: a whole record header (`Truncated`), the captured
    /// length against the limit (`RecordTooLarge`), the whole record
    /// (`Truncated`, needing `16 + captured length`).
    ///
    /// A captured length over the header's snap length or over the original
    /// length is accepted as written, whole: Wireshark does so, and libpcap
    /// 1.10 (`sf-pcap.c`) reads such a record too (it only refuses lengths
    /// over its per-link-type maximum, as the limit here does), though it
    /// then cuts what it hands out to the snap length. Keeping every byte
    /// matches tshark's `frame.cap_len`, which `fields.md` follows.
    #[inline]
    pub fn parse_record<'a>(
        &self,
        header: &Header,
        input: &'a [u8],
        offset: u64,
    ) -> Result<Frame<'a>, CaptureError> {
        let Some(head) = input.first_chunk::<RECORD_HEADER_LEN>() else {
            return Err(CaptureError::truncated(offset, input.len(), RECORD_HEADER_LEN as u64));
        };
        let order = header.byte_order;
        let secs = order.u32(bytes_at(head, 0));
        let frac = order.u32(bytes_at(head, 4));
        let captured_len = order.u32(bytes_at(head, 8));
        let original_len = order.u32(bytes_at(head, 12));
        CaptureError::check_record_size(captured_len, self.max_record_size, offset)?;
        // Both terms fit a u64 and a 32-bit usize cannot hold a larger
        // slice, so the comparison is done in u64.
        let needed = RECORD_HEADER_LEN as u64 + u64::from(captured_len);
        let data = match input.get(RECORD_HEADER_LEN..) {
            Some(rest) if u64::from(captured_len) <= rest.len() as u64 => {
                &rest[..captured_len as usize]
            }
            _ => return Err(CaptureError::truncated(offset, input.len(), needed)),
        };
        // The header's resolution is µs or ns, both valid, so `new` is Some.
        let timestamp = Timestamp::new(i64::from(secs), u64::from(frac), header.resolution);
        Ok(Frame {
            timestamp,
            original_len,
            captured_len,
            interface_id: 0,
            section: 0,
            link_type: header.link_type(),
            data,
            offset,
            options: Options::EMPTY,
            fcs_len: header.fcs_len(),
            packet_block_drops: None,
        })
    }

    /// The strict iterator over the frames of a whole pcap file in `input`.
    pub const fn frames<'a>(&self, input: &'a [u8]) -> super::Frames<'a> {
        super::Frames::new(*self, input, 0)
    }
}
