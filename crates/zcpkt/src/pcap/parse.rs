//! Framing, validation and hand-out of one pcap record: the hot path.

use super::header::{Header, RECORD_HEADER_LEN};
use crate::capture::{bytes_at, CaptureError, CaptureErrorKind, Frame, LinkType, Timestamp};
use crate::pcapng::Options;

/// libpcap's `MAXIMUM_SNAPLEN` (and Wireshark's `WTAP_MAX_PACKET_SIZE_STANDARD`):
/// the largest captured length either accepts for ordinary link types.
pub const DEFAULT_MAX_RECORD_SIZE: u32 = 262_144;

/// A pcap record's header, checked, without the record's data: what a
/// reader that does not look at the frames' bytes needs (see
/// [`Parser::parse_record_header`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RecordHeader {
    /// When the frame was captured (`None` only under a hand-made
    /// [`Header`] whose resolution has too many units per second; a header
    /// read from a file is µs or ns).
    pub timestamp: Option<Timestamp>,
    /// The frame's length on the wire.
    pub original_len: u32,
    /// Bytes captured: the record's data follows its 16-byte header.
    pub captured_len: u32,
    /// The file's link-layer type.
    pub link_type: LinkType,
    /// Byte offset of the record from the start of the input.
    pub offset: u64,
}

impl RecordHeader {
    /// The record's length: its header and data.
    pub const fn record_len(&self) -> u64 {
        RECORD_HEADER_LEN as u64 + self.captured_len as u64
    }
}

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
        let record = self.parse_record_header(header, head, input.len() as u64, offset)?;
        // The record header's check made sure the data is there.
        let data = input
            .get(RECORD_HEADER_LEN..)
            .and_then(|rest| rest.get(..record.captured_len as usize))
            .unwrap_or_default();
        Ok(Frame {
            timestamp: record.timestamp,
            original_len: record.original_len,
            captured_len: record.captured_len,
            interface_id: 0,
            section: 0,
            link_type: record.link_type,
            data,
            offset,
            options: Options::EMPTY,
            fcs_len: header.fcs_len(),
            packet_block_drops: None,
            raw_timestamp: u64::from(header.byte_order.u32(bytes_at(head, 0))) << 32
                | u64::from(header.byte_order.u32(bytes_at(head, 4))),
        })
    }

    /// Checks the record header `head` of a record at absolute `offset`,
    /// with `available` bytes of input from `offset` on (the header
    /// included), as [`parse_record`](Self::parse_record) does, with the
    /// same errors: for readers that fetch record headers only.
    #[inline]
    pub fn parse_record_header(
        &self,
        header: &Header,
        head: &[u8; RECORD_HEADER_LEN],
        available: u64,
        offset: u64,
    ) -> Result<RecordHeader, CaptureError> {
        let order = header.byte_order;
        let secs = order.u32(bytes_at(head, 0));
        let frac = order.u32(bytes_at(head, 4));
        let captured_len = order.u32(bytes_at(head, 8));
        let original_len = order.u32(bytes_at(head, 12));
        CaptureError::check_record_size(captured_len, self.max_record_size, offset)?;
        let needed = RECORD_HEADER_LEN as u64 + u64::from(captured_len);
        if needed > available {
            let kind = CaptureErrorKind::Truncated { available, needed };
            return Err(CaptureError::new(offset, kind));
        }
        let timestamp = Timestamp::new(i64::from(secs), u64::from(frac), header.resolution);
        let link_type = header.link_type();
        Ok(RecordHeader { timestamp, original_len, captured_len, link_type, offset })
    }

    /// The strict iterator over the frames of a whole pcap file in `input`.
    pub const fn frames<'a>(&self, input: &'a [u8]) -> super::Frames<'a> {
        super::Frames::new(*self, input, 0)
    }
}
