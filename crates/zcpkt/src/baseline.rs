//! The copying baseline: an idiomatic, allocation-based parser of PKT v1.
//!
//! It is the yardstick of the benchmarks and the differential oracle of the
//! tests, so it is written independently of the zero-copy parser in
//! [`crate::pkt`] (it shares only the error and field types, the format
//! constants and the CRC crate) and is never slowed on purpose: the same
//! checks in the same order (`shared/spec/dump-json.md`), the same CRC
//! implementation, `memchr` for the byte searches. What it does differently
//! is what most parsers do: every packet is copied into a fresh
//! [`OwnedPacket`] (a `String` per identifier, a `Vec` per extension value
//! and for the payload), and the streaming job reads each field with
//! `Read` into a fresh buffer.
//!
//! ```
//! use zcpkt::baseline::{BaselineParser, OwnedRecord};
//! use zcpkt::NewPacket;
//!
//! let mut capture = vec![0u8; 64];
//! let n = NewPacket::new("a", "bc", b"hi").encode(&mut capture).unwrap();
//! capture.truncate(n);
//! let records = BaselineParser::new().parse_all(&capture, false);
//! assert!(matches!(&records[..], [OwnedRecord::Packet(p)] if p.payload == b"hi"));
//! ```

use std::io::{self, BufReader, Read};

use crate::pkt::format::{EXTENSION_HEAD_LEN, FIXED_HEADER_LEN, MAGIC, MIN_HEADER_LEN, VERSION};
use crate::{Error, ErrorKind, ExtensionType, IdField, PacketFlags, Record, Skipped};

/// One extension record, its value copied out of the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedExtension {
    /// The record's type.
    pub ty: ExtensionType,
    /// The record's VALUE bytes.
    pub value: Vec<u8>,
}

/// A packet whose framing is intact, every field copied out of the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedPacket {
    /// Byte offset of the packet's first byte from the start of the input.
    pub offset: u64,
    /// VERSION (always 1).
    pub version: u8,
    /// FLAGS, reserved bits included.
    pub flags: PacketFlags,
    /// HEADER_LEN.
    pub header_len: u16,
    /// PAYLOAD_LEN.
    pub payload_len: u32,
    /// CHECKSUM as stored.
    pub checksum: u32,
    /// TIMESTAMP: microseconds since the Unix epoch (UTC).
    pub timestamp: u64,
    /// SOURCE_ID.
    pub source_id: String,
    /// DEST_ID.
    pub dest_id: String,
    /// The extension records; on a malformed area, those before the first
    /// record that does not fit.
    pub extensions: Vec<OwnedExtension>,
    /// Absolute offset of the first extension record that does not fit,
    /// when the extension area is malformed.
    pub malformed_extension_offset: Option<u64>,
    /// CRC-32 of the payload, or `None` when checksums are not verified.
    pub computed_checksum: Option<u32>,
    /// The payload bytes.
    pub payload: Vec<u8>,
}

impl OwnedPacket {
    /// The packet's size in bytes: `HEADER_LEN + PAYLOAD_LEN`.
    pub fn len(&self) -> u64 {
        u64::from(self.header_len) + u64::from(self.payload_len)
    }

    /// Always false: a packet has at least a 26-byte header.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the payload's CRC-32 equals CHECKSUM; `None` when not verified.
    pub fn checksum_ok(&self) -> Option<bool> {
        self.computed_checksum.map(|crc| crc == self.checksum)
    }

    /// True when the packet has no error at all (of the checks that ran).
    pub fn is_valid(&self) -> bool {
        self.malformed_extension_offset.is_none() && self.checksum_ok() != Some(false)
    }

    /// The packet's framing-kept errors in record order: MalformedExtension,
    /// then ChecksumMismatch.
    pub fn errors(&self) -> impl Iterator<Item = Error> {
        let malformed = self
            .malformed_extension_offset
            .map(|record_offset| ErrorKind::MalformedExtension { record_offset });
        let mismatch = self
            .computed_checksum
            .filter(|&computed| computed != self.checksum)
            .map(|computed| ErrorKind::ChecksumMismatch { stored: self.checksum, computed });
        let offset = self.offset;
        [malformed, mismatch].into_iter().flatten().map(move |kind| Error::new(offset, kind))
    }
}

/// One record of the `dump --json` stream, owning its data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OwnedRecord {
    /// A packet whose framing is intact (its errors follow it).
    Packet(OwnedPacket),
    /// An error at a position where a packet was expected.
    Error(Error),
    /// Bytes skipped by recovery.
    Skipped(Skipped),
}

/// Copies a zero-copy record into an owned one.
///
/// This exists for differential tests (the zero-copy [`Records`](crate::Records)
/// against [`BaselineParser`]), not as a way to parse: the baseline never
/// uses it.
impl From<Record<'_>> for OwnedRecord {
    fn from(record: Record<'_>) -> Self {
        match record {
            Record::Packet(packet) => Self::Packet(OwnedPacket {
                offset: packet.offset,
                version: packet.version,
                flags: packet.flags,
                header_len: packet.header_len,
                payload_len: packet.payload_len,
                checksum: packet.checksum,
                timestamp: packet.timestamp,
                source_id: packet.source_id.to_owned(),
                dest_id: packet.dest_id.to_owned(),
                extensions: packet
                    .extensions()
                    .map(|ext| OwnedExtension { ty: ext.ty, value: ext.value.to_vec() })
                    .collect(),
                malformed_extension_offset: packet.malformed_extension_offset(),
                computed_checksum: packet.computed_checksum(),
                payload: packet.payload.to_vec(),
            }),
            Record::Error(error) => Self::Error(error),
            Record::Skipped(skipped) => Self::Skipped(skipped),
        }
    }
}

/// The copying parser. `BaselineParser::default()` verifies checksums and
/// sets no maximum packet size, like [`Parser`](crate::Parser).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BaselineParser {
    verify_checksum: bool,
    max_packet_size: Option<u64>,
}

impl Default for BaselineParser {
    fn default() -> Self {
        Self::new()
    }
}

/// The checked fields of a fixed header.
#[derive(Clone, Copy, Debug)]
struct Fixed {
    flags: PacketFlags,
    header_len: u16,
    payload_len: u32,
    checksum: u32,
    timestamp: u64,
}

impl Fixed {
    /// Checks the fixed header at the start of `bytes` in the spec's order.
    fn read(bytes: &[u8], offset: u64) -> Result<Self, Error> {
        let fail = |kind| Err(Error::new(offset, kind));
        let Some(head) = bytes.get(..FIXED_HEADER_LEN) else {
            return fail(ErrorKind::Truncated { available: bytes.len() as u64 });
        };
        let mut cursor = head;
        if take::<4>(&mut cursor) != MAGIC {
            return fail(ErrorKind::BadMagic);
        }
        let [version, flags] = take::<2>(&mut cursor);
        if version != VERSION {
            return fail(ErrorKind::UnsupportedVersion { version });
        }
        let header_len = u16::from_le_bytes(take(&mut cursor));
        if header_len < MIN_HEADER_LEN {
            return fail(ErrorKind::BadHeaderLen { header_len });
        }
        Ok(Self {
            flags: PacketFlags::from_bits_retain(flags),
            header_len,
            payload_len: u32::from_le_bytes(take(&mut cursor)),
            checksum: u32::from_le_bytes(take(&mut cursor)),
            timestamp: u64::from_le_bytes(take(&mut cursor)),
        })
    }

    fn size(&self) -> u64 {
        u64::from(self.header_len) + u64::from(self.payload_len)
    }

    /// Bytes of the header after the fixed part: identifiers and extensions.
    fn rest_len(&self) -> usize {
        usize::from(self.header_len).saturating_sub(FIXED_HEADER_LEN)
    }
}

/// The next `N` bytes of `cursor` (zeros past its end, which the callers'
/// length checks rule out).
fn take<const N: usize>(cursor: &mut &[u8]) -> [u8; N] {
    let mut out = [0; N];
    let n = N.min(cursor.len());
    out[..n].copy_from_slice(&cursor[..n]);
    *cursor = &cursor[n..];
    out
}

/// The variable part of a header, decoded and copied.
struct HeaderFields {
    source_id: String,
    dest_id: String,
    extensions: Vec<OwnedExtension>,
    malformed_extension_offset: Option<u64>,
}

/// The outcome of reading one packet position of a stream.
enum Step {
    /// The input ended at a packet boundary.
    End,
    Packet(OwnedPacket),
    /// A `TooLarge` error: framing kept.
    TooLarge(Error),
    /// An error that loses framing, with the packet's bytes read so far
    /// (kept only when recovering, to search them for the next packet).
    Lost(Error, Vec<u8>),
}

/// Read-ahead that was given back: recovery reads past the packet it finds.
const RESYNC_CHUNK: usize = 64 * 1024;
/// Largest buffer reserved up front for a payload whose length is not
/// bounded by a maximum packet size: a corrupt length must not allocate GBs.
const UNBOUNDED_PAYLOAD_RESERVE: usize = 1 << 20;

impl BaselineParser {
    /// A parser that verifies checksums and accepts packets of any size.
    pub const fn new() -> Self {
        Self { verify_checksum: true, max_packet_size: None }
    }

    /// Whether to compute each payload's CRC-32 and report mismatches
    /// (default `true`).
    pub const fn verify_checksum(mut self, verify: bool) -> Self {
        self.verify_checksum = verify;
        self
    }

    /// The largest packet (`HEADER_LEN + PAYLOAD_LEN`) to accept; a larger
    /// one is a `TooLarge` error that keeps framing. Default: no limit.
    pub const fn max_packet_size(mut self, limit: Option<u64>) -> Self {
        self.max_packet_size = limit;
        self
    }

    /// Every record of `input`, collected (offsets from 0). `recover` goes
    /// on past errors that lose framing.
    pub fn parse_all(&self, input: &[u8], recover: bool) -> Vec<OwnedRecord> {
        let mut records = Vec::new();
        self.for_each_record(input, recover, |record| records.push(record));
        records
    }

    /// Calls `f` with every record of `input`, in order.
    pub fn for_each_record<F: FnMut(OwnedRecord)>(&self, input: &[u8], recover: bool, mut f: F) {
        let mut pos = 0usize;
        while pos < input.len() {
            match self.decode(input, pos) {
                Ok(packet) => {
                    pos = pos.saturating_add(usize::try_from(packet.len()).unwrap_or(usize::MAX));
                    emit_packet(packet, &mut f);
                }
                Err(error) => {
                    f(OwnedRecord::Error(error));
                    if let ErrorKind::TooLarge { size, .. } = error.kind {
                        // Reported only when the whole packet is present.
                        pos = pos.saturating_add(usize::try_from(size).unwrap_or(usize::MAX));
                        continue;
                    }
                    if !recover {
                        return;
                    }
                    let next = self.next_valid(input, pos + 1).unwrap_or(input.len());
                    let len = (next - pos) as u64;
                    f(OwnedRecord::Skipped(Skipped { offset: error.offset, len }));
                    pos = next;
                }
            }
        }
    }

    /// Calls `f` with every record of the stream `reader`, in order.
    ///
    /// Each packet is read field by field into fresh buffers through a
    /// `BufReader`. Recovery keeps the bytes it has to search in memory: the
    /// failed packet's bytes read so far (with a maximum packet size set,
    /// that includes a too-large packet cut short by the end of input) and
    /// the candidates it checks.
    pub fn read_records<R: Read, F: FnMut(OwnedRecord)>(
        &self,
        reader: R,
        recover: bool,
        mut f: F,
    ) -> io::Result<()> {
        let mut stream = Stream::new(reader);
        loop {
            let offset = stream.offset;
            match self.read_packet(&mut stream, recover)? {
                Step::End => return Ok(()),
                Step::Packet(packet) => emit_packet(packet, &mut f),
                Step::TooLarge(error) => f(OwnedRecord::Error(error)),
                Step::Lost(error, bytes) => {
                    f(OwnedRecord::Error(error));
                    if !recover {
                        return Ok(());
                    }
                    stream.unread(bytes.get(1..).unwrap_or_default());
                    let len = self.resync(&mut stream)?.saturating_sub(offset);
                    f(OwnedRecord::Skipped(Skipped { offset, len }));
                }
            }
        }
    }

    /// Decodes the packet at `input[pos..]`, copying it.
    fn decode(&self, input: &[u8], pos: usize) -> Result<OwnedPacket, Error> {
        let rest = input.get(pos..).unwrap_or_default();
        let offset = pos as u64;
        let fixed = Fixed::read(rest, offset)?;
        let size = fixed.size();
        if size > rest.len() as u64 {
            let available = rest.len() as u64;
            return Err(Error::new(offset, ErrorKind::Truncated { available }));
        }
        self.check_size(size, offset)?;
        let header_end = usize::from(fixed.header_len);
        let header_rest = rest.get(FIXED_HEADER_LEN..header_end).unwrap_or_default();
        let fields = self.header_fields(&fixed, offset, header_rest)?;
        let payload = rest.get(header_end..header_end + fixed.payload_len as usize);
        Ok(self.assemble(fixed, offset, fields, payload.unwrap_or_default().to_vec()))
    }

    fn check_size(&self, size: u64, offset: u64) -> Result<(), Error> {
        match self.max_packet_size {
            Some(limit) if size > limit => {
                Err(Error::new(offset, ErrorKind::TooLarge { size, limit }))
            }
            _ => Ok(()),
        }
    }

    /// Splits and copies the identifiers and extensions of `header_rest`
    /// (the header after its fixed 24 bytes).
    fn header_fields(
        &self,
        fixed: &Fixed,
        offset: u64,
        header_rest: &[u8],
    ) -> Result<HeaderFields, Error> {
        let source_start = offset + FIXED_HEADER_LEN as u64;
        let (source_id, after_source) =
            copy_id(header_rest, offset, source_start, IdField::Source)?;
        let dest_start = source_start + source_id.len() as u64 + 1;
        let (dest_id, area) = copy_id(after_source, offset, dest_start, IdField::Dest)?;
        let area_start = offset + u64::from(fixed.header_len) - area.len() as u64;
        let (extensions, malformed_at) = copy_extensions(area);
        Ok(HeaderFields {
            source_id,
            dest_id,
            extensions,
            malformed_extension_offset: malformed_at.map(|at| area_start + at as u64),
        })
    }

    fn assemble(
        &self,
        fixed: Fixed,
        offset: u64,
        fields: HeaderFields,
        payload: Vec<u8>,
    ) -> OwnedPacket {
        OwnedPacket {
            offset,
            version: VERSION,
            flags: fixed.flags,
            header_len: fixed.header_len,
            payload_len: fixed.payload_len,
            checksum: fixed.checksum,
            timestamp: fixed.timestamp,
            source_id: fields.source_id,
            dest_id: fields.dest_id,
            extensions: fields.extensions,
            malformed_extension_offset: fields.malformed_extension_offset,
            computed_checksum: self.verify_checksum.then(|| crc32fast::hash(&payload)),
            payload,
        }
    }

    /// The first position at or after `from` where a `PKT\0` starts a packet
    /// with no error at all.
    fn next_valid(&self, input: &[u8], from: usize) -> Option<usize> {
        let mut at = from;
        loop {
            let candidate = at + memchr::memmem::find(input.get(at..)?, &MAGIC)?;
            if self.decode(input, candidate).is_ok_and(|packet| packet.is_valid()) {
                return Some(candidate);
            }
            at = candidate + 1;
        }
    }

    /// Reads the packet at the stream's position.
    fn read_packet<R: Read>(&self, stream: &mut Stream<R>, recover: bool) -> io::Result<Step> {
        let offset = stream.offset;
        let mut head = [0u8; FIXED_HEADER_LEN];
        let got = read_full(stream, &mut head)?;
        if got == 0 {
            return Ok(Step::End);
        }
        let fixed = match Fixed::read(&head[..got], offset) {
            Ok(fixed) => fixed,
            Err(error) => return Ok(Step::Lost(error, head[..got].to_vec())),
        };
        let size = fixed.size();
        if let Err(error) = self.check_size(size, offset) {
            return self.skip_too_large(stream, error, &head, size, recover);
        }
        let mut header_rest = Vec::with_capacity(fixed.rest_len());
        stream.take(fixed.rest_len() as u64).read_to_end(&mut header_rest)?;
        let mut payload = Vec::new();
        if header_rest.len() == fixed.rest_len() {
            payload.reserve(payload_reserve(fixed.payload_len, self.max_packet_size));
            stream.take(u64::from(fixed.payload_len)).read_to_end(&mut payload)?;
        }
        let read = FIXED_HEADER_LEN + header_rest.len() + payload.len();
        let lost = |error| Step::Lost(error, [&head[..], &header_rest, &payload].concat());
        if read as u64 != size {
            let available = read as u64;
            return Ok(lost(Error::new(offset, ErrorKind::Truncated { available })));
        }
        Ok(match self.header_fields(&fixed, offset, &header_rest) {
            Ok(fields) => Step::Packet(self.assemble(fixed, offset, fields, payload)),
            Err(error) => lost(error),
        })
    }

    /// Counts through a packet over the size limit: `TooLarge` if it is all
    /// there, `Truncated` (framing lost) if the input ends first.
    fn skip_too_large<R: Read>(
        &self,
        stream: &mut Stream<R>,
        error: Error,
        head: &[u8; FIXED_HEADER_LEN],
        size: u64,
        recover: bool,
    ) -> io::Result<Step> {
        let rest = size - FIXED_HEADER_LEN as u64;
        let mut kept = head.to_vec();
        let skipped = if recover {
            stream.take(rest).read_to_end(&mut kept)? as u64
        } else {
            io::copy(&mut stream.take(rest), &mut io::sink())?
        };
        if skipped == rest {
            return Ok(Step::TooLarge(error));
        }
        let available = FIXED_HEADER_LEN as u64 + skipped;
        Ok(Step::Lost(Error::new(error.offset, ErrorKind::Truncated { available }), kept))
    }

    /// Reads on until the stream's position is a `PKT\0` that starts a
    /// packet with no error at all, or the end of input; returns that
    /// offset. The packet found is given back to the stream, unread.
    fn resync<R: Read>(&self, stream: &mut Stream<R>) -> io::Result<u64> {
        let mut window = Vec::new();
        let mut window_offset = stream.offset;
        let mut scan = 0;
        loop {
            let found = window.get(scan..).and_then(|rest| memchr::memmem::find(rest, &MAGIC));
            if let Some(at) = found {
                let candidate = scan + at;
                if self.stream_candidate_valid(stream, &mut window, candidate)? {
                    stream.unread(window.get(candidate..).unwrap_or_default());
                    return Ok(window_offset + candidate as u64);
                }
                scan = candidate + 1;
                continue;
            }
            // The last three bytes may begin a `PKT\0`; the rest is skipped.
            let keep_from = window.len().saturating_sub(MAGIC.len() - 1).max(scan);
            window.drain(..keep_from.min(window.len()));
            window_offset += keep_from as u64;
            scan = 0;
            let read = stream.take(RESYNC_CHUNK as u64).read_to_end(&mut window)?;
            if read == 0 {
                return Ok(window_offset + window.len() as u64);
            }
        }
    }

    /// Whether the packet at `window[candidate..]` has no error at all,
    /// reading more of the stream into `window` as the candidate needs.
    fn stream_candidate_valid<R: Read>(
        &self,
        stream: &mut Stream<R>,
        window: &mut Vec<u8>,
        candidate: usize,
    ) -> io::Result<bool> {
        fill_to(stream, window, candidate + FIXED_HEADER_LEN)?;
        let Ok(fixed) = Fixed::read(window.get(candidate..).unwrap_or_default(), 0) else {
            return Ok(false);
        };
        let size = fixed.size();
        let Ok(end) = usize::try_from(size).map(|size| candidate.saturating_add(size)) else {
            return Ok(false);
        };
        if self.check_size(size, 0).is_err() {
            return Ok(false);
        }
        fill_to(stream, window, end)?;
        let bytes = window.get(candidate..end).unwrap_or_default();
        Ok(self.decode(bytes, 0).is_ok_and(|packet| packet.is_valid()))
    }
}

/// Emits a packet record and then its framing-kept errors.
fn emit_packet<F: FnMut(OwnedRecord)>(packet: OwnedPacket, f: &mut F) {
    let errors = packet.errors();
    f(OwnedRecord::Packet(packet));
    errors.for_each(|error| f(OwnedRecord::Error(error)));
}

/// Splits a 00-terminated identifier off `rest` and copies it into a String.
fn copy_id(
    rest: &[u8],
    offset: u64,
    field_offset: u64,
    field: IdField,
) -> Result<(String, &[u8]), Error> {
    let Some(nul) = memchr::memchr(0, rest) else {
        return Err(Error::new(offset, ErrorKind::UnterminatedId { field, field_offset }));
    };
    let id = String::from_utf8(rest[..nul].to_vec())
        .map_err(|_| Error::new(offset, ErrorKind::InvalidUtf8 { field, field_offset }))?;
    Ok((id, &rest[nul + 1..]))
}

/// Copies the TLV records of `area`; on a malformed area also returns the
/// position (in `area`) of the first record that does not fit.
fn copy_extensions(area: &[u8]) -> (Vec<OwnedExtension>, Option<usize>) {
    let mut extensions = Vec::new();
    let mut pos = 0;
    while pos < area.len() {
        let Some(&[ty, lo, hi]) = area.get(pos..pos + EXTENSION_HEAD_LEN) else {
            return (extensions, Some(pos));
        };
        let start = pos + EXTENSION_HEAD_LEN;
        let end = start + usize::from(u16::from_le_bytes([lo, hi]));
        let Some(value) = area.get(start..end) else {
            return (extensions, Some(pos));
        };
        extensions.push(OwnedExtension { ty: ExtensionType::from_byte(ty), value: value.to_vec() });
        pos = end;
    }
    (extensions, None)
}

/// Bytes to reserve for a payload of `len`: all of it when a size limit
/// already bounds it, else at most [`UNBOUNDED_PAYLOAD_RESERVE`] (the rest
/// grows as bytes actually arrive).
fn payload_reserve(len: u32, limit: Option<u64>) -> usize {
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    if limit.is_some() {
        len
    } else {
        len.min(UNBOUNDED_PAYLOAD_RESERVE)
    }
}

/// Reads until `buf` is full or the input ends; returns the bytes read.
fn read_full<R: Read>(reader: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Reads from `stream` onto `window` until it holds `len` bytes or the
/// input ends.
fn fill_to<R: Read>(stream: &mut Stream<R>, window: &mut Vec<u8>, len: usize) -> io::Result<()> {
    if let Some(missing) = len.checked_sub(window.len()).filter(|&n| n > 0) {
        stream.take(missing as u64).read_to_end(window)?;
    }
    Ok(())
}

/// A buffered reader that knows its absolute position and can be given
/// bytes back (recovery reads past the packet it finds).
struct Stream<R> {
    inner: BufReader<R>,
    given_back: Vec<u8>,
    given_back_pos: usize,
    /// Absolute offset of the next byte `read` returns.
    offset: u64,
}

impl<R: Read> Stream<R> {
    fn new(reader: R) -> Self {
        Self { inner: BufReader::new(reader), given_back: Vec::new(), given_back_pos: 0, offset: 0 }
    }

    /// Makes `bytes`, the last bytes read, the next ones `read` returns.
    fn unread(&mut self, bytes: &[u8]) {
        let pending = self.given_back.get(self.given_back_pos..).unwrap_or_default();
        self.given_back = [bytes, pending].concat();
        self.given_back_pos = 0;
        self.offset = self.offset.saturating_sub(bytes.len() as u64);
    }

    /// `Read::take` on a borrow, so the stream stays usable afterwards.
    fn take(&mut self, limit: u64) -> io::Take<&mut Self> {
        Read::take(self, limit)
    }
}

impl<R: Read> Read for Stream<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let pending = self.given_back.get(self.given_back_pos..).unwrap_or_default();
        let n = if pending.is_empty() {
            self.inner.read(buf)?
        } else {
            let n = pending.len().min(buf.len());
            buf[..n].copy_from_slice(&pending[..n]);
            self.given_back_pos += n;
            n
        };
        self.offset += n as u64;
        Ok(n)
    }
}
