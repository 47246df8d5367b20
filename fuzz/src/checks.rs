//! The invariants the fuzz targets assert, shared with the CI replay test.
//!
//! Each target in `fuzz/fuzz_targets/` is a one-line call into this file, and
//! `crates/zcpkt/tests/fuzz_seeds.rs` includes it (`#[path]`) to run every
//! file of `fuzz/seeds/` through the very same functions. It needs `zcpkt`
//! and `std` only; its CRC-32, TLV decoder, error oracle and encoder are
//! small references written from `shared/spec/pkt-format.md`, independent of
//! the crate's code.
//!
//! The `parallel` checks need zcpkt's `parallel` feature: `#[cfg(feature =
//! "parallel")]` means the fuzz crate's feature of that name (on by default,
//! it turns zcpkt's on) there, and zcpkt's own feature in the replay test.

use std::io;

use zcpkt::pkt::{find_next_valid, find_next_valid_naive, Scan, Scanner, Window};
use zcpkt::source::stream::{StreamError, StreamReader};
use zcpkt::{
    EncodeError, Error, ErrorKind, Extension, ExtensionArea, ExtensionType, IdField, NewPacket,
    Packet, PacketFlags, Parser, Record, Records, Skipped,
};

/// A base offset for the "same input at another absolute offset" checks.
pub const BASE: u64 = 0x0123_4567_89AB;

/// Config bytes the replay test tries for `slice_recover` (CRC on/off, no
/// limit, limits around typical small packet sizes).
pub const CONFIG_SAMPLES: [u8; 8] = [0, 1, 128, 129, 128 + 2 * 7, 129 + 2 * 8, 129 + 2 * 16, 255];

// ------------------------------------------------------------------ targets

/// Target `slice_strict`: the strict record stream and `Packets` of `data`,
/// for a default parser and a permissive one with a small size limit.
pub fn slice_strict(data: &[u8]) {
    check_strict(Parser::new(), data);
    check_strict(Parser::new().verify_checksum(false).max_packet_size(Some(64)), data);
}

/// Target `slice_recover`: the first byte chooses the parser
/// ([`parser_from_byte`]), the rest is the input of the recovering stream.
pub fn slice_recover(data: &[u8]) {
    if let Some((&config, input)) = data.split_first() {
        check_recover(parser_from_byte(config), input);
    }
}

/// Target `extensions`: `area` as the extension area of an otherwise valid
/// packet, followed by a second valid packet.
pub fn extensions(area: &[u8]) {
    let payload: &[u8] = b"payload";
    let new = NewPacket {
        flags: PacketFlags::PRIORITY,
        timestamp: 7,
        source_id: "src",
        dest_id: "dst",
        extensions: ExtensionArea::Encoded(area),
        payload,
    };
    let header_len = 24 + 4 + 4 + area.len();
    if header_len > usize::from(u16::MAX) {
        assert_eq!(new.header_len(), Err(EncodeError::HeaderTooLong { len: header_len }));
        return;
    }
    assert_eq!(new.header_len().map(usize::from), Ok(header_len));
    let first_len = header_len + payload.len();
    let second = NewPacket::new("n", "", b"x");
    let mut buf = vec![0u8; first_len + 28];
    assert_eq!(new.encode(&mut buf), Ok(first_len));
    assert_eq!(second.encode(&mut buf[first_len..]), Ok(28));

    let parser = Parser::new();
    let p = match parser.parse_packet(&buf, 0) {
        Ok(p) => p,
        Err(e) => panic!("a well-formed header does not frame: {e:?}"),
    };
    check_packet(&parser, &buf, 0, 0, &p);
    assert!(same_slice(p.extension_area(), &buf[32..header_len]));
    assert_eq!(p.checksum_ok(), Some(true));

    // The brief's assertion, spelled out: either the records re-encode to
    // exactly the area, or the iterator stops at exactly the bad record.
    let encoded = encode_records(p.extensions());
    match p.malformed_extension_offset() {
        None => assert_eq!(encoded, area),
        Some(offset) => {
            let at = usize::try_from(offset - 32).unwrap();
            assert!(at < area.len());
            assert_eq!(encoded, &area[..at]);
            let rest = &area[at..];
            let fits = rest.len() >= 3
                && usize::from(u16::from_le_bytes([rest[1], rest[2]])) <= rest.len() - 3;
            assert!(!fits, "record at {at} fits, yet reported as malformed");
        }
    }

    // Framing is kept: the next packet follows, whatever the area holds.
    let records: Vec<Record> = parser.records(&buf, false).collect();
    let malformed = usize::from(p.malformed_extension_offset().is_some());
    assert_eq!(records.len(), 2 + malformed);
    assert!(
        matches!(records.last(), Some(Record::Packet(q)) if q.is_valid() && q.offset == first_len as u64)
    );
    check_strict(parser, &buf);
    check_recover(parser, &buf);

    // At another absolute offset, the malformed offset moves with it.
    let shifted = parser.parse_packet(&buf, BASE).unwrap();
    assert_eq!(
        shifted.malformed_extension_offset(),
        p.malformed_extension_offset().map(|o| o + BASE)
    );
}

/// The structured input of target `roundtrip`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoundTrip {
    /// FLAGS, reserved bits included.
    pub flags: u8,
    /// TIMESTAMP.
    pub timestamp: u64,
    /// SOURCE_ID.
    pub source: String,
    /// DEST_ID.
    pub dest: String,
    /// Extension records (TYPE byte, VALUE).
    pub extensions: Vec<(u8, Vec<u8>)>,
    /// The payload.
    pub payload: Vec<u8>,
}

impl RoundTrip {
    /// The fields of a parsed packet whose extension area is well formed.
    pub fn from_packet(p: &Packet) -> Self {
        Self {
            flags: p.flags.bits(),
            timestamp: p.timestamp,
            source: p.source_id.to_owned(),
            dest: p.dest_id.to_owned(),
            extensions: p.extensions().map(|e| (e.ty.to_byte(), e.value.to_vec())).collect(),
            payload: p.payload.to_vec(),
        }
    }

    /// HEADER_LEN as the spec defines it.
    fn header_len(&self) -> usize {
        24 + self.source.len()
            + 1
            + self.dest.len()
            + 1
            + self.extensions.iter().map(|(_, v)| 3 + v.len()).sum::<usize>()
    }

    /// The error the encoder must give, in its documented order.
    fn encode_error(&self) -> Option<EncodeError> {
        for (field, id) in [(IdField::Source, &self.source), (IdField::Dest, &self.dest)] {
            if let Some(at) = id.bytes().position(|b| b == 0) {
                return Some(EncodeError::IdContainsNul { field, at });
            }
        }
        if let Some((index, (_, v))) =
            self.extensions.iter().enumerate().find(|(_, (_, v))| v.len() > usize::from(u16::MAX))
        {
            return Some(EncodeError::ExtensionTooLong { index, len: v.len() });
        }
        let len = self.header_len();
        (len > usize::from(u16::MAX)).then_some(EncodeError::HeaderTooLong { len })
    }

    /// The packet's bytes, laid out by hand from the spec's table.
    fn reference_encoding(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(b"PKT\0");
        out.extend_from_slice(&[1, self.flags]);
        out.extend_from_slice(&(self.header_len() as u16).to_le_bytes());
        out.extend_from_slice(&(self.payload.len() as u32).to_le_bytes());
        out.extend_from_slice(&crc32(&self.payload).to_le_bytes());
        out.extend_from_slice(&self.timestamp.to_le_bytes());
        for id in [&self.source, &self.dest] {
            out.extend_from_slice(id.as_bytes());
            out.push(0);
        }
        for (ty, value) in &self.extensions {
            out.push(*ty);
            out.extend_from_slice(&(value.len() as u16).to_le_bytes());
            out.extend_from_slice(value);
        }
        out.extend_from_slice(&self.payload);
        out
    }
}

/// Target `roundtrip`: encode, parse, compare every field, re-encode.
pub fn roundtrip(input: &RoundTrip) {
    let exts: Vec<Extension> = input
        .extensions
        .iter()
        .map(|(ty, value)| Extension { ty: ExtensionType::from_byte(*ty), value })
        .collect();
    let new = NewPacket::new(&input.source, &input.dest, &input.payload)
        .flags(PacketFlags::from_bits_retain(input.flags))
        .timestamp(input.timestamp)
        .extensions(&exts);
    if let Some(error) = input.encode_error() {
        assert_eq!(new.header_len(), Err(error));
        assert_eq!(new.encode(&mut [0u8; 64]), Err(error));
        return;
    }
    let len = input.header_len() + input.payload.len();
    assert_eq!(new.header_len().map(usize::from), Ok(input.header_len()));
    assert_eq!(new.encoded_len(), Ok(len));

    // Encode twice in a row; a buffer one byte short is refused.
    let mut buf = vec![0u8; 2 * len];
    assert_eq!(
        new.encode(&mut buf[..len - 1]),
        Err(EncodeError::BufferTooSmall { needed: len, available: len - 1 })
    );
    assert_eq!(new.encode(&mut buf), Ok(len));
    assert_eq!(buf[..len], input.reference_encoding()[..]);
    let (first, second) = buf.split_at_mut(len);
    second.copy_from_slice(first);

    let parser = Parser::new();
    let p = parser.parse_packet(&buf, 0).unwrap();
    check_packet(&parser, &buf, 0, 0, &p);
    assert!(p.is_valid());
    assert_eq!(p.flags.bits(), input.flags);
    assert_eq!(p.timestamp, input.timestamp);
    assert_eq!(p.source_id, input.source);
    assert_eq!(p.dest_id, input.dest);
    assert_eq!(p.payload, &input.payload[..]);
    assert_eq!(p.payload_len as usize, input.payload.len());
    assert_eq!(usize::from(p.header_len), input.header_len());
    assert_eq!(p.checksum, crc32(&input.payload));
    assert_eq!(p.len(), len);
    assert_eq!(RoundTrip::from_packet(&p), *input);

    // Re-encoding the parsed packet gives the identical bytes.
    let again = NewPacket::from_packet(&p);
    let mut out = vec![0u8; len];
    assert_eq!(again.encode(&mut out), Ok(len));
    assert_eq!(out[..], buf[..len]);
    let mut written = Vec::new();
    assert_eq!(again.write_to(&mut written).unwrap(), len);
    assert_eq!(written[..], buf[..len]);

    // Two copies: two valid packets, at 0 and at len.
    let packets: Vec<Result<Packet, Error>> = parser.packets(&buf).collect();
    assert!(
        matches!(&packets[..], [Ok(a), Ok(b)] if a.offset == 0 && b.offset == len as u64 && a.as_bytes() == b.as_bytes())
    );
    check_strict(parser, &buf);
}

// ------------------------------------------------------------------ parser config

/// The parser a config byte chooses: bit 0 verifies checksums; the other
/// seven bits give no size limit below 64, else a limit of `(n - 64) * 4`
/// bytes (0 to 252).
pub fn parser_from_byte(byte: u8) -> Parser {
    let limit = match byte >> 1 {
        n @ 64.. => Some(u64::from(n - 64) * 4),
        _ => None,
    };
    Parser::new().verify_checksum(byte & 1 == 1).max_packet_size(limit)
}

// ------------------------------------------------------------------ references

/// CRC-32/ISO-HDLC, bit by bit (`123456789` gives `0xCBF43926`).
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// Reference TLV decoding of an extension area: the records that fit, as
/// (TYPE, position of VALUE, LENGTH), and the position of the first record
/// that does not fit (`None` when the records fill the area exactly).
pub fn reference_tlv(area: &[u8]) -> (Vec<(u8, usize, usize)>, Option<usize>) {
    let mut records = Vec::new();
    let mut at = 0;
    while at < area.len() {
        let rest = &area[at..];
        if rest.len() < 3 {
            return (records, Some(at));
        }
        let len = usize::from(u16::from_le_bytes([rest[1], rest[2]]));
        if len > rest.len() - 3 {
            return (records, Some(at));
        }
        records.push((rest[0], at + 3, len));
        at += 3 + len;
    }
    (records, None)
}

/// Reference framing check of the packet at the start of `rest` (at
/// absolute `offset`), in the spec's order: `Ok` when the packet is framed
/// (it may still have a malformed area or a bad checksum), else the error.
pub fn reference_frame(parser: &Parser, rest: &[u8], offset: u64) -> Result<(), ErrorKind> {
    let available = rest.len() as u64;
    if rest.len() < 24 {
        return Err(ErrorKind::Truncated { available });
    }
    if rest[..4] != *b"PKT\0" {
        return Err(ErrorKind::BadMagic);
    }
    if rest[4] != 1 {
        return Err(ErrorKind::UnsupportedVersion { version: rest[4] });
    }
    let header_len = u16::from_le_bytes([rest[6], rest[7]]);
    if header_len < 26 {
        return Err(ErrorKind::BadHeaderLen { header_len });
    }
    let payload_len = u32::from_le_bytes([rest[8], rest[9], rest[10], rest[11]]);
    let size = u64::from(header_len) + u64::from(payload_len);
    if size > available {
        return Err(ErrorKind::Truncated { available });
    }
    if let Some(limit) = parser.packet_size_limit() {
        if size > limit {
            return Err(ErrorKind::TooLarge { size, limit });
        }
    }
    let header = &rest[..usize::from(header_len)];
    let mut start = 24;
    for field in [IdField::Source, IdField::Dest] {
        let field_offset = offset + start as u64;
        let Some(nul) = header[start..].iter().position(|&b| b == 0) else {
            return Err(ErrorKind::UnterminatedId { field, field_offset });
        };
        if core::str::from_utf8(&header[start..start + nul]).is_err() {
            return Err(ErrorKind::InvalidUtf8 { field, field_offset });
        }
        start += nul + 1;
    }
    Ok(())
}

// ------------------------------------------------------------------ packets

/// Whether `a` is exactly the slice `b` (same address, same length): the
/// zero-copy promise.
pub fn same_slice(a: &[u8], b: &[u8]) -> bool {
    a.as_ptr() == b.as_ptr() && a.len() == b.len()
}

fn encode_records<'a>(records: impl Iterator<Item = Extension<'a>>) -> Vec<u8> {
    let mut out = Vec::new();
    for e in records {
        out.push(e.ty.to_byte());
        out.extend_from_slice(&(e.value.len() as u16).to_le_bytes());
        out.extend_from_slice(e.value);
    }
    out
}

/// Checks a packet handed out for `input[at..]` (whose first byte is at
/// absolute `base`) against the bytes and the references; returns the
/// framing-kept errors that must follow it in a record stream, in order.
pub fn check_packet(parser: &Parser, input: &[u8], at: usize, base: u64, p: &Packet) -> Vec<Error> {
    let offset = base + at as u64;
    assert_eq!(p.offset, offset);
    assert_eq!(reference_frame(parser, &input[at..], offset), Ok(()));
    assert_eq!(p.version, 1);
    assert!(p.header_len >= 26);
    let h = usize::from(p.header_len);
    assert_eq!(p.len(), h + p.payload_len as usize);
    assert!(!p.is_empty());
    assert_eq!(p.end_offset(), offset + p.len() as u64);
    if let Some(limit) = parser.packet_size_limit() {
        assert!(p.len() as u64 <= limit);
    }

    // Zero copy: the packet and each of its fields are slices of the input,
    // at their places.
    assert!(at + p.len() <= input.len());
    let bytes = p.as_bytes();
    assert!(same_slice(bytes, &input[at..at + p.len()]));
    assert_eq!(bytes[..4], *b"PKT\0");
    assert_eq!(bytes[4], 1);
    assert_eq!(bytes[5], p.flags.bits());
    assert_eq!(bytes[6..8], p.header_len.to_le_bytes());
    assert_eq!(bytes[8..12], p.payload_len.to_le_bytes());
    assert_eq!(bytes[12..16], p.checksum.to_le_bytes());
    assert_eq!(bytes[16..24], p.timestamp.to_le_bytes());
    let src = p.source_id.as_bytes();
    assert!(same_slice(src, &bytes[24..24 + src.len()]));
    assert_eq!(bytes[24 + src.len()], 0);
    let dest_start = 24 + src.len() + 1;
    let dst = p.dest_id.as_bytes();
    assert!(same_slice(dst, &bytes[dest_start..dest_start + dst.len()]));
    assert_eq!(bytes[dest_start + dst.len()], 0);
    let area_start = dest_start + dst.len() + 1;
    assert!(area_start <= h);
    let area = p.extension_area();
    assert!(same_slice(area, &bytes[area_start..h]));
    assert!(same_slice(p.payload, &bytes[h..]));

    // The extension records, against the reference decoding.
    let (want, malformed_at) = reference_tlv(area);
    let mut count = 0;
    for (e, &(ty, pos, len)) in p.extensions().zip(&want) {
        assert_eq!(e.ty.to_byte(), ty);
        assert_eq!(e.ty, ExtensionType::from_byte(ty));
        assert!(same_slice(e.value, &area[pos..pos + len]));
        count += 1;
    }
    assert_eq!(count, want.len());
    let mut iter = p.extensions();
    iter.by_ref().for_each(drop);
    assert!(iter.next().is_none(), "Extensions is not fused");
    let encoded = encode_records(p.extensions());
    let area_offset = offset + area_start as u64;
    assert_eq!(p.malformed_extension_offset(), malformed_at.map(|k| area_offset + k as u64));
    assert_eq!(encoded, area[..malformed_at.unwrap_or(area.len())]);

    // The checksum, against the reference CRC.
    let computed = crc32(p.payload);
    let mut errors = Vec::new();
    if let Some(record_offset) = p.malformed_extension_offset() {
        errors.push(Error::new(offset, ErrorKind::MalformedExtension { record_offset }));
    }
    if parser.verifies_checksum() {
        assert_eq!(p.computed_checksum(), Some(computed));
        assert_eq!(p.checksum_ok(), Some(computed == p.checksum));
        if computed != p.checksum {
            let stored = p.checksum;
            errors.push(Error::new(offset, ErrorKind::ChecksumMismatch { stored, computed }));
        }
    } else {
        assert_eq!(p.computed_checksum(), None);
        assert_eq!(p.checksum_ok(), None);
    }
    assert_eq!(p.errors().collect::<Vec<_>>(), errors);
    assert_eq!(p.is_valid(), errors.is_empty());

    // Parsing the same place again gives the same packet.
    assert_eq!(parser.parse_packet(&input[at..], offset), Ok(*p));

    // Re-encoding gives the packet's bytes back, the checksum recomputed.
    let mut out = vec![0u8; p.len()];
    assert_eq!(NewPacket::from_packet(p).encode(&mut out), Ok(p.len()));
    assert_eq!(out[..12], bytes[..12]);
    assert_eq!(out[12..16], computed.to_le_bytes());
    assert_eq!(out[16..], bytes[16..]);
    errors
}

/// Checks an error reported where a packet was expected, at `input[at..]`.
pub fn check_error(parser: &Parser, input: &[u8], at: usize, base: u64, e: Error) {
    let offset = base + at as u64;
    assert_eq!(e.offset, offset, "error where no packet was expected");
    assert_eq!(parser.parse_packet(&input[at..], offset), Err(e));
    assert!(
        !matches!(
            e.kind,
            ErrorKind::MalformedExtension { .. } | ErrorKind::ChecksumMismatch { .. }
        ),
        "{e:?} without its packet"
    );
    assert_eq!(reference_frame(parser, &input[at..], offset), Err(e.kind));
    if let ErrorKind::TooLarge { size, limit } = e.kind {
        assert_eq!(parser.packet_size_limit(), Some(limit));
        assert!(size > limit && at as u64 + size <= input.len() as u64);
    }
}

// ------------------------------------------------------------------ streams

/// Checks the strict record stream (`Records` without recovery) and
/// `Packets` of `input`: packets and errors where packets are expected,
/// each packet's errors right after it, a stop only after an error that
/// loses framing, the recovering stream's prefix, and the same stream at
/// another base offset.
pub fn check_strict(parser: Parser, input: &[u8]) {
    let mut records = parser.records(input, false);
    let strict: Vec<Record> = records.by_ref().collect();
    assert!(records.next().is_none(), "Records is not fused");
    assert_eq!(records.position(), input.len());

    let mut cursor = 0;
    let mut i = 0;
    let mut lost = None;
    while i < strict.len() {
        assert!(lost.is_none(), "strict stream goes on after {lost:?}");
        match strict[i] {
            Record::Packet(p) => {
                i += 1;
                for e in check_packet(&parser, input, cursor, 0, &p) {
                    assert_eq!(strict.get(i), Some(&Record::Error(e)));
                    i += 1;
                }
                cursor += p.len();
            }
            Record::Error(e) => {
                check_error(&parser, input, cursor, 0, e);
                i += 1;
                match e.kind {
                    ErrorKind::TooLarge { size, .. } => cursor += size as usize,
                    _ => lost = Some(e),
                }
            }
            Record::Skipped(s) => panic!("strict stream skipped {s:?}"),
        }
    }
    if lost.is_none() {
        assert_eq!(cursor, input.len(), "strict stream stopped early");
    }

    // The recovering stream, up to and including the first error that
    // loses framing, is the strict stream; then comes that error's Skipped.
    let recover: Vec<Record> = parser.records(input, true).collect();
    assert!(recover.len() >= strict.len());
    assert_eq!(strict[..], recover[..strict.len()]);
    match lost {
        Some(e) => assert!(
            matches!(recover.get(strict.len()), Some(Record::Skipped(s)) if s.offset == e.offset)
        ),
        None => assert_eq!(recover.len(), strict.len()),
    }

    // Packets: Ok for a valid packet, its first error for a damaged one,
    // every error that replaces a packet; fused.
    let mut want = Vec::new();
    let mut k = 0;
    while k < strict.len() {
        match strict[k] {
            Record::Packet(p) => {
                let errors = p.errors().count();
                want.push(match p.errors().next() {
                    None => Ok(p),
                    Some(e) => Err(e),
                });
                k += 1 + errors;
            }
            Record::Error(e) => {
                want.push(Err(e));
                k += 1;
            }
            Record::Skipped(_) => unreachable!(),
        }
    }
    let mut packets = parser.packets(input);
    let got: Vec<Result<Packet, Error>> = packets.by_ref().collect();
    assert_eq!(got, want);
    assert!(packets.next().is_none(), "Packets is not fused");
    assert_eq!(packets.position(), input.len());

    check_base(parser, input, &strict, false);
}

/// Checks the recovering record stream of `input`: packets, TooLarge errors
/// and skipped ranges tile `[0, len)` exactly; every Skipped comes right
/// after the error at its offset, jumps over no valid packet, and ends at a
/// valid packet or at the end of the input.
pub fn check_recover(parser: Parser, input: &[u8]) {
    let len = input.len();
    let mut records = parser.records(input, true);
    let recs: Vec<Record> = records.by_ref().collect();
    assert!(records.next().is_none(), "Records is not fused");
    assert_eq!(records.position(), len);

    let mut cursor = 0;
    let mut i = 0;
    while i < recs.len() {
        match recs[i] {
            Record::Packet(p) => {
                i += 1;
                for e in check_packet(&parser, input, cursor, 0, &p) {
                    assert_eq!(recs.get(i), Some(&Record::Error(e)));
                    i += 1;
                }
                cursor += p.len();
            }
            Record::Error(e) => {
                check_error(&parser, input, cursor, 0, e);
                i += 1;
                if let ErrorKind::TooLarge { size, .. } = e.kind {
                    cursor += size as usize;
                    continue;
                }
                let Some(&Record::Skipped(s)) = recs.get(i) else {
                    panic!("no Skipped after {e:?}: {:?}", recs.get(i));
                };
                i += 1;
                assert_eq!(s.offset, e.offset);
                assert!(s.len >= 1 && cursor as u64 + s.len <= len as u64);
                let end = cursor + s.len as usize;
                for j in cursor + 1..end {
                    assert!(!is_valid_at(&parser, input, j), "valid packet at {j} skipped");
                }
                if end < len {
                    assert!(is_valid_at(&parser, input, end), "skip ends at no valid packet");
                    assert!(matches!(recs.get(i), Some(Record::Packet(p)) if p.is_valid()));
                    assert_eq!(find_next_valid(&parser, input, cursor + 1, 0), Some(end));
                } else {
                    assert_eq!(find_next_valid(&parser, input, cursor + 1, 0), None);
                }
                cursor = end;
            }
            Record::Skipped(s) => panic!("{s:?} not right after its error"),
        }
    }
    assert_eq!(cursor, len, "records do not tile the input");
    check_base(parser, input, &recs, true);
}

fn is_valid_at(parser: &Parser, input: &[u8], at: usize) -> bool {
    matches!(parser.parse_packet(&input[at..], at as u64), Ok(p) if p.is_valid())
}

/// An error kind's absolute offsets moved by `by`.
fn shift_kind(kind: ErrorKind, by: u64) -> ErrorKind {
    match kind {
        ErrorKind::UnterminatedId { field, field_offset } => {
            ErrorKind::UnterminatedId { field, field_offset: field_offset + by }
        }
        ErrorKind::InvalidUtf8 { field, field_offset } => {
            ErrorKind::InvalidUtf8 { field, field_offset: field_offset + by }
        }
        ErrorKind::MalformedExtension { record_offset } => {
            ErrorKind::MalformedExtension { record_offset: record_offset + by }
        }
        other => other,
    }
}

/// The same stream read with `input[0]` at absolute [`BASE`]: every offset
/// moves by BASE, nothing else changes.
fn check_base(parser: Parser, input: &[u8], at_zero: &[Record], recover: bool) {
    let moved: Vec<Record> = Records::new(parser, input, BASE, recover).collect();
    assert_eq!(moved.len(), at_zero.len());
    for (m, z) in moved.iter().zip(at_zero) {
        match (m, z) {
            (Record::Packet(m), Record::Packet(z)) => {
                assert_eq!(m.offset, z.offset + BASE);
                assert!(same_slice(m.as_bytes(), z.as_bytes()));
                assert_eq!(
                    m.malformed_extension_offset(),
                    z.malformed_extension_offset().map(|o| o + BASE)
                );
                assert_eq!(m.computed_checksum(), z.computed_checksum());
            }
            (Record::Error(m), Record::Error(z)) => {
                assert_eq!(*m, Error::new(z.offset + BASE, shift_kind(z.kind, BASE)));
            }
            (Record::Skipped(m), Record::Skipped(z)) => {
                assert_eq!(*m, Skipped { offset: z.offset + BASE, len: z.len });
            }
            (m, z) => panic!("at base {BASE}: {m:?} instead of {z:?}"),
        }
    }
    if !recover {
        let moved: Vec<Result<Packet, Error>> = zcpkt::Packets::new(parser, input, BASE).collect();
        let at_zero: Vec<Result<Packet, Error>> = parser.packets(input).collect();
        assert_eq!(moved.len(), at_zero.len());
        for (m, z) in moved.iter().zip(&at_zero) {
            match (m, z) {
                (Ok(m), Ok(z)) => assert_eq!(m.offset, z.offset + BASE),
                (Err(m), Err(z)) => {
                    assert_eq!(*m, Error::new(z.offset + BASE, shift_kind(z.kind, BASE)))
                }
                (m, z) => panic!("at base {BASE}: {m:?} instead of {z:?}"),
            }
        }
    }
}

// ------------------------------------------------------------------ stream

/// An [`io::Read`] handing out `data` in reads whose sizes and faults follow
/// `pattern`, cyclically ([`read_step`]). A fault is never followed by
/// another one, so every other call at least makes progress.
#[derive(Debug)]
pub struct PatternReader<'a> {
    data: &'a [u8],
    pattern: &'a [u8],
    calls: usize,
    faulted: bool,
}

impl<'a> PatternReader<'a> {
    /// A reader of `data`; an empty `pattern` reads 128 bytes at a time.
    pub fn new(data: &'a [u8], pattern: &'a [u8]) -> Self {
        Self { data, pattern, calls: 0, faulted: false }
    }
}

/// What one pattern byte makes a read do: `0xFC`, `0xFD`: fail with
/// `Interrupted` (the stream retries by itself); `0xFE`, `0xFF`: fail with
/// `WouldBlock` (returned to the caller, who calls again); otherwise return
/// `(b & 0x7F) + 1` bytes, times 32 if bit 7 is set (1 to 128, 32 to 4096).
pub fn read_step(byte: u8) -> Result<usize, io::ErrorKind> {
    match byte {
        0xFC | 0xFD => Err(io::ErrorKind::Interrupted),
        0xFE | 0xFF => Err(io::ErrorKind::WouldBlock),
        _ => Ok((usize::from(byte & 0x7F) + 1) << (5 * usize::from(byte >> 7))),
    }
}

impl io::Read for PatternReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let byte = match self.pattern {
            [] => 0x7F,
            pattern => pattern[self.calls % pattern.len()],
        };
        self.calls += 1;
        let size = match read_step(byte) {
            Err(kind) if !self.faulted => {
                self.faulted = true;
                return Err(kind.into());
            }
            Err(_) => 64,
            Ok(size) => size,
        };
        self.faulted = false;
        let n = size.min(out.len()).min(self.data.len());
        let (now, rest) = self.data.split_at(n);
        out[..n].copy_from_slice(now);
        self.data = rest;
        Ok(n)
    }
}

/// Target `stream`: bytes 0-1 (u16 LE) choose the initial buffer size
/// (`1 + n % 4096`); byte 2: bit 0 recover, bit 1 verify CRCs, bits 2-3 the
/// maximum packet size (0: `u64::MAX`, 1: none, i.e. the reader's 16 MiB
/// default, 2: byte 3, 3: byte 3 times 4); bytes 4-7 the read pattern
/// ([`read_step`]); the rest is the input.
pub fn stream(data: &[u8]) {
    let (head, input) = data.split_at(data.len().min(8));
    let byte = |i: usize| head.get(i).copied().unwrap_or(0);
    let buffer = 1 + usize::from(u16::from_le_bytes([byte(0), byte(1)])) % 4096;
    let flags = byte(2);
    let limit = match (flags >> 2) & 3 {
        0 => Some(u64::MAX),
        1 => None,
        2 => Some(u64::from(byte(3))),
        _ => Some(u64::from(byte(3)) * 4),
    };
    let parser = Parser::new().verify_checksum(flags & 2 != 0).max_packet_size(limit);
    check_stream(parser, flags & 1 != 0, buffer, head.get(4..).unwrap_or(&[]), input);
}

/// Whether `rest` starts with a fixed header (magic, version, HEADER_LEN)
/// claiming more than `max` bytes: a packet the stream counts through
/// instead of holding.
fn claims_over(rest: &[u8], max: u64) -> bool {
    rest.len() >= 24 && rest[..4] == *b"PKT\0" && rest[4] == 1 && {
        let header_len = u16::from_le_bytes([rest[6], rest[7]]);
        let payload_len = u32::from_le_bytes([rest[8], rest[9], rest[10], rest[11]]);
        header_len >= 26 && u64::from(header_len) + u64::from(payload_len) > max
    }
}

/// `StreamReader` over `input`, read as `pattern` cuts it from a `buffer`
/// byte buffer: `next_record` gives the records of `Records` over the whole
/// slice (same parser, the stream's maximum, same `recover`) and
/// `next_packet` those of `Packets`; the buffer stays within its bound.
///
/// The one documented exception (a packet claiming more than the maximum,
/// cut short by the end of input: its bytes were discarded while counting)
/// is honoured by comparing the records only up to and including that
/// packet's `Truncated` error; past it the stream must still end, and with
/// recovery at the end of the input.
pub fn check_stream(parser: Parser, recover: bool, buffer: usize, pattern: &[u8], input: &[u8]) {
    let max = parser.packet_size_limit().unwrap_or(StreamReader::<&[u8]>::DEFAULT_MAX_PACKET);
    let slice = parser.max_packet_size(Some(max));
    // Memory: under max(buffer, maximum, 24); without a real maximum, the
    // buffer grows (by doubling at most) only while bytes arrive.
    let bound = buffer.max(24).max(match usize::try_from(max) {
        Ok(max) if max < (1 << 24) => max,
        _ => 2 * input.len(),
    });
    let calls_limit = 8 * input.len() + 64;

    let expected: Vec<Record> = slice.records(input, recover).collect();
    let mut reader = StreamReader::new(PatternReader::new(input, pattern))
        .with_parser(parser)
        .buffer_size(buffer)
        .recover(recover);
    let (mut i, mut calls, mut diverged) = (0, 0, false);
    loop {
        calls += 1;
        assert!(calls <= calls_limit, "next_record: no end after {calls_limit} calls");
        match reader.next_record() {
            None => break,
            Some(Err(error)) => assert_eq!(error.kind(), io::ErrorKind::WouldBlock),
            Some(Ok(record)) => {
                if !diverged {
                    assert_eq!(Some(&record), expected.get(i), "stream record {i}");
                    if let Record::Error(Error { offset, kind: ErrorKind::Truncated { .. } }) =
                        record
                    {
                        diverged = claims_over(&input[offset as usize..], max);
                    }
                }
                i += 1;
            }
        }
        let capacity = reader.buffer_capacity();
        assert!(capacity <= bound, "buffer of {capacity} bytes, bound {bound}");
    }
    assert!(reader.next_record().is_none(), "next_record is not fused");
    if !diverged {
        assert_eq!(i, expected.len(), "stream ended early");
    }
    if recover {
        assert_eq!(reader.offset(), input.len() as u64);
    }

    // next_packet never recovers: exactly `Packets`, no exception.
    let expected: Vec<Result<Packet, Error>> = slice.packets(input).collect();
    let mut reader = StreamReader::new(PatternReader::new(input, pattern))
        .with_parser(parser)
        .buffer_size(buffer);
    let (mut i, mut calls) = (0, 0);
    loop {
        calls += 1;
        assert!(calls <= calls_limit, "next_packet: no end after {calls_limit} calls");
        let got = match reader.next_packet() {
            None => break,
            Some(Err(StreamError::Io(error))) => {
                assert_eq!(error.kind(), io::ErrorKind::WouldBlock);
                continue;
            }
            Some(Err(StreamError::Input(error))) => Err(error),
            Some(Ok(packet)) => Ok(packet),
        };
        assert_eq!(Some(&got), expected.get(i), "stream packet {i}");
        i += 1;
        assert!(reader.buffer_capacity() <= bound);
    }
    assert_eq!(i, expected.len(), "next_packet ended early");
}

// ------------------------------------------------------------------ parallel

/// The maximum packet sizes the `parallel` target chooses from (one thread
/// pool is kept per configuration, so there are few).
#[cfg(feature = "parallel")]
pub const PARALLEL_LIMITS: [Option<u64>; 8] =
    [None, Some(0), Some(26), Some(28), Some(40), Some(64), Some(100), Some(252)];

/// The configuration of the `parallel` target's byte 1 (5 bits): bit 0
/// verifies checksums, bit 1 recovers, bits 2-4 index [`PARALLEL_LIMITS`].
#[cfg(feature = "parallel")]
pub fn parallel_config(config: u8) -> (Parser, bool) {
    let parser = Parser::new()
        .verify_checksum(config & 1 != 0)
        .max_packet_size(PARALLEL_LIMITS[usize::from(config >> 2 & 7)]);
    (parser, config & 2 != 0)
}

/// A `ParallelParser` for `config` on a dedicated pool of 2 threads, built
/// once per configuration (a pool per input would spend more time starting
/// threads than parsing).
#[cfg(feature = "parallel")]
fn pooled(config: u8) -> zcpkt::parallel::ParallelParser {
    use std::sync::{Mutex, PoisonError};
    static POOLS: Mutex<Vec<Option<zcpkt::parallel::ParallelParser>>> = Mutex::new(Vec::new());
    let mut pools = POOLS.lock().unwrap_or_else(PoisonError::into_inner);
    let config = config & 0x1F;
    if pools.is_empty() {
        pools.resize(32, None);
    }
    let pool = pools[usize::from(config)].get_or_insert_with(|| {
        let (parser, recover) = parallel_config(config);
        zcpkt::parallel::ParallelParser::new(parser)
            .recover(recover)
            .threads(2)
            .expect("a pool of 2 threads")
    });
    pool.clone()
}

/// Target `parallel`: byte 0 chooses the chunk size (0-31: 1 to 32 bytes,
/// then 64 to 510 in steps of 2), byte 1 the configuration
/// ([`parallel_config`]); the rest is the input.
#[cfg(feature = "parallel")]
pub fn parallel(data: &[u8]) {
    let byte = |i: usize| data.get(i).copied().unwrap_or(0);
    let chunk = match byte(0) {
        b @ 0..=31 => 1 + usize::from(b),
        b => 64 + 2 * usize::from(b - 32),
    };
    check_parallel(byte(1), chunk, data.get(2..).unwrap_or(&[]));
}

/// Per-kind counts and sums of a record stream: a `fold` whose `reduce`
/// (field-wise addition) is associative.
#[cfg(feature = "parallel")]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    packets: u64,
    valid: u64,
    errors: u64,
    skipped: u64,
    bytes: u64,
    offsets: u64,
}

#[cfg(feature = "parallel")]
impl Tally {
    fn add(mut self, record: Record) -> Self {
        match record {
            Record::Packet(p) => {
                self.packets += 1;
                self.valid += u64::from(p.is_valid());
                self.bytes += p.len() as u64;
                self.offsets = self.offsets.wrapping_add(p.offset);
            }
            Record::Error(e) => {
                self.errors += 1;
                self.offsets = self.offsets.wrapping_add(e.offset);
            }
            Record::Skipped(s) => {
                self.skipped += 1;
                self.bytes += s.len;
                self.offsets = self.offsets.wrapping_add(s.offset);
            }
        }
        self
    }

    fn merge(self, other: Self) -> Self {
        Self {
            packets: self.packets + other.packets,
            valid: self.valid + other.valid,
            errors: self.errors + other.errors,
            skipped: self.skipped + other.skipped,
            bytes: self.bytes + other.bytes,
            offsets: self.offsets.wrapping_add(other.offsets),
        }
    }
}

/// `ParallelParser` over `input` in `chunk`-byte chunks, for the
/// configuration byte `config`: `records_in_order` on 2 threads gives
/// exactly `Records` (the very sub-slices of the input), a `fold` that
/// concatenates gives them too, and a counting fold on rayon's global pool
/// equals the sequential count.
#[cfg(feature = "parallel")]
pub fn check_parallel(config: u8, chunk: usize, input: &[u8]) {
    let (parser, recover) = parallel_config(config);
    let expected: Vec<Record> = parser.records(input, recover).collect();
    let parallel = pooled(config).chunk_size(chunk);

    let mut got = Vec::new();
    parallel.records_in_order(input, |record| got.push(record));
    assert_eq!(got, expected, "records_in_order, chunk size {chunk}");
    for (g, e) in got.iter().zip(&expected) {
        if let (Record::Packet(g), Record::Packet(e)) = (g, e) {
            assert!(same_slice(g.as_bytes(), e.as_bytes()));
        }
    }

    let concatenated = parallel.fold(
        input,
        Vec::new,
        |mut records, record| {
            records.push(record);
            records
        },
        |mut a, mut b| {
            a.append(&mut b);
            a
        },
    );
    assert_eq!(concatenated, expected, "fold (concatenation), chunk size {chunk}");

    let global = zcpkt::parallel::ParallelParser::new(parser).recover(recover).chunk_size(chunk);
    let tally = global.fold(input, Tally::default, Tally::add, Tally::merge);
    assert_eq!(tally, expected.iter().copied().fold(Tally::default(), Tally::add));
}

// ------------------------------------------------------------------ resync

/// Target `resync`: byte 0 is a parser config ([`parser_from_byte`]),
/// bytes 1-2 (u16 LE) a start position (modulo the input's length + 1), the
/// rest the input.
pub fn resync(data: &[u8]) {
    let Some((&config, rest)) = data.split_first() else { return };
    let (from, input) = match rest {
        [lo, hi, input @ ..] => (usize::from(u16::from_le_bytes([*lo, *hi])), input),
        _ => (0, rest),
    };
    check_resync(parser_from_byte(config), input, from % (input.len() + 1));
}

/// Whether a packet with no error at all starts at `input[at..]`, by the
/// references alone: framed, extension area well formed, CRC right (if
/// verified).
fn reference_valid(parser: &Parser, input: &[u8], at: usize) -> bool {
    let rest = &input[at..];
    if reference_frame(parser, rest, at as u64).is_err() {
        return false;
    }
    let header_len = usize::from(u16::from_le_bytes([rest[6], rest[7]]));
    let payload_len = u32::from_le_bytes([rest[8], rest[9], rest[10], rest[11]]) as usize;
    let header = &rest[..header_len];
    let source_nul = 24 + header[24..].iter().position(|&b| b == 0).unwrap();
    let dest_nul = source_nul + 1 + header[source_nul + 1..].iter().position(|&b| b == 0).unwrap();
    if reference_tlv(&header[dest_nul + 1..]).1.is_some() {
        return false;
    }
    let checksum = u32::from_le_bytes([rest[12], rest[13], rest[14], rest[15]]);
    !parser.verifies_checksum() || crc32(&rest[header_len..header_len + payload_len]) == checksum
}

/// `find_next_valid` and a reused `Scanner` against the naive oracle: from
/// every start position (a scanner going forward, as a reader does, then
/// one going backward and switching the CRC setting), and from `from` for
/// the naive search itself (quadratic, so from one position only).
pub fn check_resync(parser: Parser, input: &[u8], from: usize) {
    let n = input.len();
    let other = parser.verify_checksum(!parser.verifies_checksum());
    // next[p]: the first valid packet at or after p, for each parser.
    let mut next = [vec![None; n + 1], vec![None; n + 1]];
    for at in (0..n).rev() {
        for (k, parser) in [&parser, &other].into_iter().enumerate() {
            let valid = reference_valid(parser, input, at);
            let parsed = parser.parse_packet(&input[at..], at as u64);
            assert_eq!(valid, matches!(parsed, Ok(p) if p.is_valid()), "validity at {at}");
            next[k][at] = if valid { Some(at) } else { next[k][at + 1] };
        }
    }
    assert_eq!(find_next_valid_naive(&parser, input, from, 0), next[0][from]);
    assert_eq!(find_next_valid_naive(&other, input, from, BASE), next[1][from]);
    assert_eq!(find_next_valid(&parser, input, from, 0), next[0][from]);
    assert_eq!(find_next_valid(&other, input, from, BASE), next[1][from]);

    let mut forward = Scanner::new();
    for (at, &want) in next[0].iter().enumerate() {
        assert_eq!(forward.find(&parser, input, at), want, "forward from {at}");
    }
    // Any order is correct, only slower; the caches follow a CRC switch.
    let mut backward = Scanner::new();
    for at in (0..=n).rev().step_by(3) {
        let k = at % 2;
        let parser = [&parser, &other][k];
        assert_eq!(backward.find(parser, input, at), next[k][at], "backward from {at}");
    }
    // The forward scanner once more, from `from`, after its last search.
    assert_eq!(forward.find(&other, input, from), next[1][from]);

    // Through a window moving on as a stream's buffer does, in budgeted
    // steps: every valid packet, in order.
    let valid: Vec<usize> = (0..n).filter(|&at| next[0][at] == Some(at)).collect();
    let (step, budget) = (1 + from % 64, 1 + (from % 512) as u64);
    assert_eq!(windowed_finds(&parser, input, step, budget), valid, "step {step}, budget {budget}");
}

/// Every valid packet `Scanner::scan` finds through a window that grows by
/// `step` bytes per read and starts where the scanner says to keep bytes
/// from, `budget` units of work per call.
fn windowed_finds(parser: &Parser, input: &[u8], step: usize, budget: u64) -> Vec<usize> {
    let mut scanner = Scanner::new();
    let (mut start, mut at, mut end) = (0, 0, step.min(input.len()));
    let mut found = Vec::new();
    loop {
        let window = Window::new(&input[start..end], start, end == input.len());
        match scanner.scan(parser, window, at, budget) {
            Scan::Found(packet) => {
                found.push(packet);
                at = packet + 1;
            }
            Scan::NotFound => return found,
            Scan::Paused { resume_at, read_to } => {
                assert!(resume_at >= at && read_to <= end);
                at = resume_at;
            }
            Scan::NeedMore { keep_from, need_to } => {
                assert!(keep_from >= at && keep_from <= end && need_to > end && end < input.len());
                (start, at) = (keep_from, keep_from);
                end = (end + step).min(input.len());
            }
        }
    }
}

// ------------------------------------------------------------------ captures
//
// pcap and pcapng: the strict slice readers checked against the layout of
// the bytes (draft-ietf-opsawg-pcap / -pcapng, read here independently of
// the crate's framing code), the stream and parallel readers against the
// slice readers, and the protocol views over every frame.

use zcpkt::capture::{ByteOrder, CaptureError, CaptureErrorKind, Frame, Timestamp};
use zcpkt::pcapng::Block;
use zcpkt::proto::fields::{layer_value, write_fields, FieldName, FrameInfo};
use zcpkt::proto::{Layer, Layers};
use zcpkt::{detect, pcap, pcapng, Format};

/// The magics `capture_slice` puts before its input, so that both formats
/// (pcap in either byte order and resolution, pcapng) are reached from any
/// bytes: none, pcap µs little-endian, pcap ns big-endian, pcapng SHB type.
pub const CAPTURE_PREFIXES: [&[u8]; 4] =
    [b"", &[0xd4, 0xc3, 0xb2, 0xa1], &[0xa1, 0xb2, 0x3c, 0x4d], &[0x0a, 0x0d, 0x0d, 0x0a]];

/// The small limits of the second parser configuration: a pcap record or
/// pcapng packet captured length, and a pcapng Block Total Length.
pub const SMALL_RECORD: u32 = 40;
/// See [`SMALL_RECORD`].
pub const SMALL_BLOCK: u32 = 96;

/// The two parser configurations every capture check runs: the defaults,
/// and [`SMALL_RECORD`] / [`SMALL_BLOCK`].
pub fn capture_parsers(small: bool) -> (pcap::Parser, pcapng::Parser) {
    if small {
        (
            pcap::Parser::new().max_record_size(SMALL_RECORD),
            pcapng::Parser::new().max_record_size(SMALL_RECORD).max_block_size(SMALL_BLOCK),
        )
    } else {
        (pcap::Parser::new(), pcapng::Parser::new())
    }
}

/// `data` behind each of [`CAPTURE_PREFIXES`].
pub fn prefixed(data: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    CAPTURE_PREFIXES.iter().map(move |p| [*p, data].concat())
}

/// Target `capture_slice`: `data` as a capture, and behind each magic of
/// [`CAPTURE_PREFIXES`]; the pcap and pcapng slice readers under both
/// parser configurations, and the protocol views over every frame.
pub fn capture_slice(data: &[u8]) {
    for input in prefixed(data) {
        check_capture_slice(&input);
    }
}

/// All the slice checks of one input (see [`capture_slice`]).
pub fn check_capture_slice(input: &[u8]) {
    let (pcap_default, ng_default) = capture_parsers(false);
    let (pcap_small, ng_small) = capture_parsers(true);
    let default = check_pcap(pcap_default, input);
    let small = check_pcap(pcap_small, input);
    check_pcap_limit(&default, &small);
    let ng = check_pcapng(ng_default, input);
    let ng_small_blocks = check_pcapng(ng_small, input);
    check_pcapng_limit(&ng, &ng_small_blocks);
    // The recovering readers, against the bytes and the strict readers.
    check_pcap_recover(pcap_default, input, &default);
    check_pcap_recover(pcap_small, input, &small);
    check_pcapng_recover(ng_default, input, &ng);
    check_pcapng_recover(ng_small, input, &ng_small_blocks);
    // The protocol views over every frame of the detected format.
    let frames: Vec<&Frame> = match detect(input) {
        Some(Format::PcapNg) => ng
            .iter()
            .filter_map(|b| match b {
                Ok(Block::Frame(f)) => Some(f),
                _ => None,
            })
            .collect(),
        _ => default.iter().filter_map(|f| f.as_ref().ok()).collect(),
    };
    let pcapng = detect(input) == Some(Format::PcapNg);
    for (k, frame) in frames.into_iter().enumerate() {
        check_layers_of(Layers::of_frame(frame), frame.data, frame.link_type.0);
        check_frame_fields(k as u64 + 1, frame, pcapng);
    }
}

/// The `frame.*` fields of `frame` (the `number`th) as the CLI fills them,
/// and a line of every field: `frame.time_epoch` prints as the capture
/// timestamp's own `Display` does, and the timestamp is a whole second
/// count and a fraction below one second.
fn check_frame_fields(number: u64, frame: &Frame, pcapng: bool) {
    use zcpkt::proto::fields::{frame_value, Timestamp as FieldTime};
    let info = FrameInfo {
        number,
        time: frame.timestamp.map(|t| FieldTime { secs: t.seconds(), nanos: t.subsec_nanos() }),
        len: frame.original_len.into(),
        cap_len: frame.captured_len.into(),
        interface_id: pcapng.then_some(frame.interface_id),
        section_number: pcapng.then_some(u64::from(frame.section) + 1),
    };
    if let Some(t) = frame.timestamp {
        let per_sec = t.resolution().units_per_second().expect("a timestamp of no resolution");
        assert!(t.fraction() < per_sec, "{t:?}");
        assert!(t.subsec_nanos() < 1_000_000_000);
        // tshark's form: whole seconds rounded down, then the fraction
        // above them (before 1970 too), where `Display` gives the value.
        let epoch = frame_value(FieldName::FrameTimeEpoch, &info).map(|v| v.to_string());
        let tshark = format!("{}.{:09}", t.seconds(), t.subsec_nanos());
        assert_eq!(epoch, Some(tshark), "frame.time_epoch");
        if t.seconds() >= 0 {
            assert_eq!(epoch, Some(t.to_string()), "frame.time_epoch");
        }
    }
    let mut line = String::new();
    write_fields(&mut line, FieldName::ALL, &info, Layers::of_frame(frame), '\t', ',').unwrap();
}

/// A `u16` / `u32` of `input` at `at` in `order`, if there.
fn rd16(input: &[u8], at: usize, order: ByteOrder) -> Option<u16> {
    Some(order.u16(input.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn rd32(input: &[u8], at: usize, order: ByteOrder) -> Option<u32> {
    Some(order.u32(input.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

/// Where `inner` lies in `outer` (start, end), asserting it lies inside.
fn span(outer: &[u8], inner: &[u8]) -> (usize, usize) {
    let (o, i) = (outer.as_ptr() as usize, inner.as_ptr() as usize);
    assert!(
        i >= o && i + inner.len() <= o + outer.len(),
        "a slice of {} bytes at {:#x} lies outside the input ({} bytes at {o:#x})",
        inner.len(),
        i,
        outer.len()
    );
    (i - o, i - o + inner.len())
}

/// Checks the error that ends a capture at `pos` (the end of the last good
/// record/block): at that offset, inside the input, and nothing after it.
fn check_capture_end(input: &[u8], pos: usize, error: &CaptureError) {
    assert_eq!(error.offset, pos as u64, "error offset: {error:?}");
    assert!(pos < input.len(), "an error at the end of input: {error:?}");
    if let CaptureErrorKind::Truncated { available, needed } = error.kind {
        assert_eq!(available, (input.len() - pos) as u64, "{error:?}");
        assert!(needed > available, "{error:?}");
    }
}

// ------------------------------------------------------------------ pcap

/// The strict pcap reader over `input`, checked record by record against
/// the bytes: offsets tile the input from byte 24, each frame's data is
/// the very sub-slice its record header says, fields as written, and the
/// one error (last, at the end of the last good record) is the one the
/// documented check order gives there. Also `Frames::records` from byte 24,
/// `parse_record_header`, fusing, `position()` and base offsets.
pub fn check_pcap(parser: pcap::Parser, input: &[u8]) -> Vec<Result<Frame<'_>, CaptureError>> {
    let mut frames = pcap::Frames::new(parser, input, 0);
    let bound = input.len() / pcap::RECORD_HEADER_LEN + 2;
    let items: Vec<_> = frames.by_ref().take(bound).collect();
    assert!(frames.next().is_none(), "more than {bound} items");
    assert!(frames.next().is_none(), "not fused");
    let limit = parser.record_size_limit();

    if input.is_empty() {
        assert!(items.is_empty());
        return items;
    }
    let header = match pcap::Header::read(input) {
        Ok(header) => header,
        Err(error) => {
            assert_eq!(items, [Err(error)]);
            assert_eq!(error.offset, 0);
            assert_eq!(frames.position(), 0);
            check_pcap_header_error(input, &error);
            return items;
        }
    };
    assert_eq!(frames.header(), Some(&header));
    assert_eq!(header.link_type_field & 0x03ff_0000, 0, "reserved link type bits taken");
    let order = header.byte_order;
    let mut pos = pcap::HEADER_LEN;
    let mut end = None;
    for (k, item) in items.iter().enumerate() {
        let rest = &input[pos..];
        match item {
            Ok(frame) => {
                assert!(end.is_none(), "a frame after the error");
                assert_eq!(frame.offset, pos as u64);
                let cap = rd32(input, pos + 8, order).unwrap();
                assert!(cap <= limit);
                let data_at = pos + pcap::RECORD_HEADER_LEN;
                let data = &input[data_at..data_at + cap as usize];
                assert!(same_slice(frame.data, data), "frame {k}: data is not the record's bytes");
                assert_eq!(frame.captured_len, cap);
                assert_eq!(frame.original_len, rd32(input, pos + 12, order).unwrap());
                let secs = rd32(input, pos, order).unwrap();
                let frac = rd32(input, pos + 4, order).unwrap();
                let ts = Timestamp::new(i64::from(secs), u64::from(frac), header.resolution);
                assert_eq!(frame.timestamp, ts);
                assert_eq!(frame.raw_timestamp, u64::from(secs) << 32 | u64::from(frac));
                let t = frame.timestamp.expect("a pcap frame without a timestamp");
                // µs or ns: a fraction of a second or more carries.
                let per_sec = if header.resolution == zcpkt::capture::Resolution::NANOS {
                    1_000_000_000
                } else {
                    1_000_000
                };
                let carried = i64::from(secs) + i64::from(frac / per_sec);
                assert_eq!((t.seconds(), t.fraction()), (carried, u64::from(frac % per_sec)));
                assert_eq!((frame.interface_id, frame.section), (0, 0));
                assert_eq!(frame.link_type, header.link_type());
                assert_eq!(frame.fcs_len, header.fcs_len());
                assert!(frame.options.is_empty());
                assert_eq!(frame.packet_block_drops, None);
                let head: &[u8; 16] = rest[..16].try_into().unwrap();
                let record = parser
                    .parse_record_header(&header, head, rest.len() as u64, pos as u64)
                    .expect("parse_record_header refuses a record parse_record took");
                assert_eq!(record.record_len(), 16 + u64::from(cap));
                assert_eq!(record.timestamp, frame.timestamp);
                pos = data_at + cap as usize;
            }
            Err(error) => {
                assert!(end.is_none(), "two errors");
                assert_eq!(k, items.len() - 1, "the error is not the last item");
                check_capture_end(input, pos, error);
                let expected = if rest.len() < 16 {
                    CaptureErrorKind::Truncated { available: rest.len() as u64, needed: 16 }
                } else {
                    let cap = rd32(rest, 8, order).unwrap();
                    if cap > limit {
                        CaptureErrorKind::RecordTooLarge {
                            size: u64::from(cap),
                            limit: u64::from(limit),
                        }
                    } else {
                        CaptureErrorKind::Truncated {
                            available: rest.len() as u64,
                            needed: 16 + u64::from(cap),
                        }
                    }
                };
                assert_eq!(error.kind, expected, "at {pos}");
                if let Some(head) = rest.first_chunk::<16>() {
                    let at =
                        parser.parse_record_header(&header, head, rest.len() as u64, pos as u64);
                    assert_eq!(at, Err(*error), "parse_record_header");
                }
                end = Some(pos);
            }
        }
    }
    if end.is_none() {
        assert_eq!(pos, input.len(), "the frames stop before the end without an error");
    }
    assert_eq!(frames.position(), pos);

    // The records alone, from byte 24, as a windowed reader reads them.
    let records: Vec<_> =
        pcap::Frames::records(parser, header, &input[pcap::HEADER_LEN..], 24).collect();
    assert_eq!(records, items, "Frames::records");
    // At another absolute offset: the offsets move, nothing else.
    let shifted: Vec<_> = pcap::Frames::new(parser, input, BASE).collect();
    assert_eq!(shifted.len(), items.len());
    for (s, i) in shifted.iter().zip(&items) {
        match (s, i) {
            (Ok(s), Ok(i)) => {
                let mut moved = *i;
                moved.offset += BASE;
                assert_eq!(*s, moved);
                assert!(same_slice(s.data, i.data));
            }
            (Err(s), Err(i)) => assert_eq!(*s, CaptureError::new(i.offset + BASE, i.kind)),
            _ => panic!("at base {BASE:#x}: {s:?} for {i:?}"),
        }
    }
    items
}

/// A global header error: what the first bytes say, in the documented
/// order (Truncated under 4 bytes, BadMagic, Truncated under 24,
/// UnsupportedVersion).
fn check_pcap_header_error(input: &[u8], error: &CaptureError) {
    let magic = input.first_chunk::<4>().copied();
    let order = magic.and_then(|m| {
        let known = [pcap::MAGIC_MICROS, pcap::MAGIC_NANOS];
        [ByteOrder::Little, ByteOrder::Big].into_iter().find(|o| known.contains(&o.u32(m)))
    });
    let expected = match (magic, order) {
        (None, _) => CaptureErrorKind::Truncated { available: input.len() as u64, needed: 24 },
        (Some(m), None) => CaptureErrorKind::BadMagic { found: u32::from_be_bytes(m) },
        (Some(_), Some(_)) if input.len() < 24 => {
            CaptureErrorKind::Truncated { available: input.len() as u64, needed: 24 }
        }
        (Some(_), Some(o)) if rd16(input, 4, o) != Some(2) => {
            CaptureErrorKind::UnsupportedVersion {
                major: rd16(input, 4, o).unwrap(),
                minor: rd16(input, 6, o).unwrap(),
            }
        }
        (Some(_), Some(o)) => {
            let link_type_field = rd32(input, 20, o).unwrap();
            assert_ne!(link_type_field & 0x03ff_0000, 0, "a header error with reserved bits clear");
            CaptureErrorKind::ReservedLinkTypeBits { link_type_field }
        }
    };
    assert_eq!(error.kind, expected);
    if let CaptureErrorKind::UnsupportedVersion { major, .. } = expected {
        assert_ne!(major, 2);
    }
}

/// The small-limit reader gives the default reader's items up to the first
/// record whose captured length is over the limit, then `RecordTooLarge`
/// there (or, at the default reader's error, that error or RecordTooLarge).
fn check_pcap_limit(
    default: &[Result<Frame, CaptureError>],
    small: &[Result<Frame, CaptureError>],
) {
    let limit = u64::from(SMALL_RECORD);
    for (k, d) in default.iter().enumerate() {
        let s = small.get(k).unwrap_or_else(|| panic!("the small-limit reader stops at item {k}"));
        match d {
            Ok(f) if u64::from(f.captured_len) > limit => {
                let kind =
                    CaptureErrorKind::RecordTooLarge { size: u64::from(f.captured_len), limit };
                assert_eq!(*s, Err(CaptureError::new(f.offset, kind)));
                assert_eq!(small.len(), k + 1);
                return;
            }
            Ok(_) => assert_eq!(s, d),
            Err(e) => {
                let too_large = matches!(s, Err(CaptureError {
                    offset, kind: CaptureErrorKind::RecordTooLarge { size, limit: l } })
                    if *offset == e.offset && *l == limit && *size > limit);
                assert!(s == d || too_large, "small limit: {s:?} for {d:?}");
                assert_eq!(small.len(), k + 1);
                return;
            }
        }
    }
    assert_eq!(small.len(), default.len());
}

// ------------------------------------------------------------------ pcapng

/// The fixed part of each block type the readers interpret (after the
/// 8-byte type and length).
fn ng_fixed(block_type: u32) -> u32 {
    match block_type {
        0x0a0d_0d0a => 16,
        1 => 8,
        2 | 6 => 20,
        3 => 4,
        4 => 4,
        5 => 12,
        0x0a => 8,
        0x0bad | 0x4000_0bad => 4,
        _ => 0,
    }
}

/// Whether Wireshark 4.0 reads option `code` of `len` bytes in a block of
/// `block_type` (SHB, IDB, PB or EPB): custom options hold a 4-byte PEN;
/// packet blocks' flags and queue are 4 bytes, drop count and packet ID
/// 8, a verdict at least 1; an IDB's filter at least its type byte.
fn ng_option_length_ok(block_type: u32, code: u16, len: usize) -> bool {
    match (block_type, code) {
        (_, 2988 | 2989 | 19372 | 19373) => len >= 4,
        (2 | 6, 2 | 6) => len == 4,
        (2 | 6, 4 | 5) => len == 8,
        (2 | 6, 7) => len >= 1,
        (1, 11) => len >= 1,
        _ => true,
    }
}

/// What Wireshark 4.0 makes of the options from `from` to `body_end` of
/// a block of `block_type`: each header and value inside the body (else
/// `MalformedOption` there), up to `opt_endofopt`; lengths as
/// [`ng_option_length_ok`] says (else `BadOptionLength`).
fn ng_options(
    input: &[u8],
    from: usize,
    body_end: usize,
    o: ByteOrder,
    block_type: u32,
) -> Result<(), CaptureErrorKind> {
    let mut opt = from;
    while opt < body_end {
        let malformed = CaptureErrorKind::MalformedOption { option_offset: opt as u64 };
        if opt + 4 > body_end {
            return Err(malformed);
        }
        let code = rd16(input, opt, o).unwrap();
        if code == 0 {
            break;
        }
        let l = rd16(input, opt + 2, o).unwrap();
        if opt + 4 + usize::from(l).next_multiple_of(4) > body_end {
            return Err(malformed);
        }
        if !ng_option_length_ok(block_type, code, usize::from(l)) {
            let option_offset = opt as u64;
            return Err(CaptureErrorKind::BadOptionLength { option_offset, code, length: l });
        }
        opt += 4 + usize::from(l).next_multiple_of(4);
    }
    Ok(())
}

/// What Wireshark 4.0 makes of the Name Resolution Block at `at` (framed,
/// `len` bytes): records of (type, length, value padded to 4) inside the
/// body, IPv4 ones of at least 4 bytes, IPv6 ones of at least 16 whose
/// names, if any, end with 0, up to the body's end or an end record
/// (type 0) whose 4 bytes are followed by the options (its length is not
/// read); the options' headers and values inside the body, custom ones of
/// at least 4 bytes.
fn ng_nrb(input: &[u8], at: usize, len: u32, o: ByteOrder) -> Result<(), CaptureErrorKind> {
    let body_end = at + len as usize - 4;
    let mut pos = at + 8;
    while pos < body_end {
        let (record_type, length) =
            (rd16(input, pos, o).unwrap(), rd16(input, pos + 2, o).unwrap());
        if record_type == 0 {
            return ng_options(input, pos + 4, body_end, o, 4);
        }
        let bad =
            CaptureErrorKind::BadNameRecord { record_offset: pos as u64, record_type, length };
        let l = usize::from(length);
        if pos + 4 + l.next_multiple_of(4) > body_end {
            return Err(bad);
        }
        let address = [0, 4, 16].get(usize::from(record_type)).copied().unwrap_or(0);
        if l < address || (address > 0 && l > address && input[pos + 4 + l - 1] != 0) {
            return Err(bad);
        }
        pos += 4 + l.next_multiple_of(4);
    }
    Ok(())
}

/// Whether the Decryption Secrets Block at `at` (framed, `len` bytes)
/// holds its secrets, padded to 4, before its trailing length.
fn ng_secrets_fit(input: &[u8], at: usize, len: u32, order: ByteOrder) -> bool {
    let secrets_len = rd32(input, at + 12, order).unwrap();
    u64::from(secrets_len).next_multiple_of(4) <= u64::from(len - 20)
}

/// The strict pcapng reader over `input`, block by block (`next_block`),
/// checked against the bytes: each block at the end of the previous one,
/// framed as its leading and trailing lengths say, sections and interfaces
/// tracked independently, each frame's data the very sub-slice its block
/// says, options inside the block; the one error last, at the end of the
/// last good block, of a kind the bytes there justify. Also the frame
/// iterator (= the frames of the blocks), interface options, fusing,
/// `position()` and base offsets.
pub fn check_pcapng(parser: pcapng::Parser, input: &[u8]) -> Vec<Result<Block<'_>, CaptureError>> {
    let mut reader = pcapng::Frames::<'_, 64>::new(parser, input, 0);
    let bound = input.len() / 12 + 2;
    let mut items = Vec::new();
    while let Some(item) = reader.next_block() {
        items.push(item);
        assert!(items.len() <= bound, "more than {bound} blocks");
    }
    assert!(reader.next_block().is_none() && reader.next().is_none(), "not fused");

    let (record_limit, block_limit) = (parser.record_size_limit(), parser.block_size_limit());
    let mut pos = 0usize;
    let mut order: Option<ByteOrder> = None;
    let mut sections = 0u32;
    // (link type, snap length) of the current section's interfaces, and
    // what the reader kept of each.
    let mut interfaces: Vec<(u16, u32)> = Vec::new();
    let mut kept: Vec<pcapng::Interface> = Vec::new();
    let mut ended = false;
    for (k, item) in items.iter().enumerate() {
        assert!(!ended, "an item after the error");
        let rest = &input[pos..];
        let is_shb = rest.first_chunk::<4>() == Some(&[0x0a, 0x0d, 0x0d, 0x0a]);
        let block_order = if is_shb {
            match rest.get(8..12) {
                Some([0x4d, 0x3c, 0x2b, 0x1a]) => Some(ByteOrder::Little),
                Some([0x1a, 0x2b, 0x3c, 0x4d]) => Some(ByteOrder::Big),
                _ => None,
            }
        } else {
            order
        };
        let block = match item {
            Ok(block) => block,
            Err(error) => {
                assert_eq!(k, items.len() - 1, "the error is not the last item");
                check_capture_end(input, pos, error);
                check_pcapng_error(input, pos, block_order, is_shb, &interfaces, parser, error);
                ended = true;
                continue;
            }
        };
        let o = block_order.expect("a block framed without a byte order");
        let block_type = rd32(rest, 0, o).unwrap();
        let len = rd32(rest, 4, o).unwrap();
        assert!(len & 3 == 0 && len >= 12 + ng_fixed(block_type) && len <= block_limit, "{len}");
        let len_usize = len as usize;
        assert!(len_usize <= rest.len());
        assert_eq!(rd32(rest, len_usize - 4, o), Some(len), "trailing length");
        let body_end = pos + len_usize - 4;
        let offset = pos as u64;
        match block {
            Block::Section(h) => {
                assert!(is_shb);
                assert_eq!((h.offset, h.index, h.byte_order), (offset, sections, o));
                assert_eq!((h.version_major, h.version_minor), (1, rd16(rest, 14, o).unwrap()));
                check_options(input, &h.options, pos + 24, body_end, block_type);
                let _ = (h.hardware(), h.os(), h.user_appl(), h.comments().count());
                order = Some(o);
                sections += 1;
                interfaces.clear();
                kept.clear();
            }
            Block::Interface { id, interface, options } => {
                assert_eq!(block_type, 1);
                assert_eq!(*id as usize, interfaces.len());
                assert_eq!(interface.offset, offset);
                assert_eq!(interface.link_type.0, rd16(rest, 8, o).unwrap());
                assert_eq!(interface.snaplen, rd32(rest, 12, o).unwrap());
                assert!(interface.resolution.units_per_second().is_some());
                check_options(input, options, pos + 16, body_end, block_type);
                interfaces.push((interface.link_type.0, interface.snaplen));
                kept.push(*interface);
                assert!(interfaces.len() <= pcapng::DEFAULT_INTERFACE_CAPACITY);
            }
            Block::Frame(f) => {
                assert_eq!(f.offset, offset);
                assert_eq!(f.section, sections.checked_sub(1).expect("a frame before any section"));
                assert!(f.captured_len <= record_limit);
                assert_eq!(f.data.len(), f.captured_len as usize);
                match block_type {
                    2 | 6 => {
                        let id = match block_type {
                            2 => u32::from(rd16(rest, 8, o).unwrap()),
                            _ => rd32(rest, 8, o).unwrap(),
                        };
                        assert_eq!(f.interface_id, id);
                        let cap = rd32(rest, 20, o).unwrap();
                        assert_eq!(f.captured_len, cap);
                        assert_eq!(f.original_len, rd32(rest, 24, o).unwrap());
                        let data = &input[pos + 28..pos + 28 + cap as usize];
                        assert!(same_slice(f.data, data), "EPB data is not the block's bytes");
                        let padded = (cap as usize).next_multiple_of(4);
                        assert!(pos + 28 + padded <= body_end);
                        check_options(input, &f.options, pos + 28 + padded, body_end, block_type);
                        let t = f.timestamp.expect("an EPB without a timestamp");
                        let units = u64::from(rd32(rest, 12, o).unwrap()) << 32
                            | u64::from(rd32(rest, 16, o).unwrap());
                        assert_eq!(f.raw_timestamp, units, "the field as stored, always");
                        let interface = kept.get(id as usize).expect("an EPB of no interface");
                        assert_eq!(t.resolution(), interface.resolution);
                        // Exact unless the seconds had to saturate.
                        let per_sec = interface.resolution.units_per_second().unwrap();
                        let secs = i128::from(units / per_sec) + i128::from(interface.tsoffset);
                        let whole_fits = units / per_sec <= i64::MAX as u64;
                        if whole_fits && i64::try_from(secs).is_ok() {
                            assert_eq!(i128::from(t.seconds()), secs);
                            assert_eq!(t.fraction(), units % per_sec);
                            assert_eq!(t.to_units(interface.tsoffset), Some(units));
                        }
                        let drops = (block_type == 2).then(|| rd16(rest, 10, o).unwrap());
                        assert_eq!(f.packet_block_drops, drops);
                    }
                    3 => {
                        assert_eq!(f.interface_id, 0);
                        let original = rd32(rest, 8, o).unwrap();
                        assert_eq!(f.original_len, original);
                        let snaplen = interfaces.first().expect("an SPB with no interface").1;
                        let cap = if snaplen == 0 { original } else { original.min(snaplen) };
                        assert!(u64::from(cap).next_multiple_of(4) <= u64::from(len - 16));
                        assert_eq!(f.captured_len, cap);
                        assert!(same_slice(f.data, &input[pos + 12..pos + 12 + cap as usize]));
                        assert!(f.timestamp.is_none() && f.options.is_empty());
                        assert_eq!((f.packet_block_drops, f.raw_timestamp), (None, 0));
                    }
                    t => panic!("a frame from block type {t:#x}"),
                }
                let (link_type, _) = *interfaces
                    .get(f.interface_id as usize)
                    .expect("a frame of an interface the section does not have");
                assert_eq!(f.link_type.0, link_type);
                let _ = (f.epb_flags(), f.comments().count());
            }
            Block::Other(raw) => {
                assert!(!matches!(block_type, 1 | 2 | 3 | 6) && !is_shb);
                if block_type == 0x0a {
                    assert!(ng_secrets_fit(input, pos, len, o), "a DSB's secrets past its end");
                }
                if block_type == 4 {
                    assert_eq!(ng_nrb(input, pos, len, o), Ok(()), "an NRB Wireshark refuses");
                }
                if block_type == 5 {
                    assert_eq!(ng_options(input, pos + 20, body_end, o, 5), Ok(()), "ISB options");
                }
                assert_eq!((raw.offset, raw.block_type, raw.byte_order), (offset, block_type, o));
                assert!(same_slice(raw.body, &input[pos + 8..body_end]));
                assert_eq!(raw.total_len(), len_usize);
            }
        }
        pos += len_usize;
    }
    if !ended {
        assert_eq!(pos, input.len(), "the blocks stop before the end without an error");
    }
    assert_eq!(reader.position(), pos);
    // Every interface of the last section reads its options again.
    let state_interfaces = reader.state().interfaces().len();
    assert_eq!(state_interfaces, interfaces.len());
    for id in 0..=state_interfaces as u32 {
        assert_eq!(reader.interface_options(id).is_some(), (id as usize) < state_interfaces);
    }

    // The frame iterator: the frames of the blocks, and the same error.
    let frames: Vec<_> = pcapng::Frames::<'_, 64>::new(parser, input, 0).collect();
    let expected: Vec<_> = items
        .iter()
        .filter_map(|item| match item {
            Ok(Block::Frame(f)) => Some(Ok(*f)),
            Ok(_) => None,
            Err(e) => Some(Err(*e)),
        })
        .collect();
    assert_eq!(frames, expected, "Frames::next");
    // At another absolute offset: the offsets move, nothing else.
    let mut shifted = pcapng::Frames::<'_, 64>::new(parser, input, BASE);
    for item in &items {
        let s = shifted.next_block().expect("fewer blocks at another base");
        assert_shifted(&s, item);
    }
    assert!(shifted.next_block().is_none());
    items
}

/// A block's options, against the bytes: the area starts at `area` (an
/// offset in `input`) and stays before `body_end`; each option's header
/// is where the previous one (padded to 4) ended, its offset says so, and
/// its value is the very `len` bytes after its header.
fn check_options(
    input: &[u8],
    options: &pcapng::Options,
    area: usize,
    body_end: usize,
    block_type: u32,
) {
    let (s, e) = span(input, options.as_bytes());
    assert!(s == area && e <= body_end, "options at {s}..{e}, area {area}..{body_end}");
    let order = options.byte_order();
    let mut at = area;
    for option in options.iter() {
        assert_eq!(option.offset, at as u64, "option offset");
        assert_eq!(Some(option.code), rd16(input, at, order));
        assert_ne!(option.code, 0, "opt_endofopt handed out");
        let len = usize::from(rd16(input, at + 2, order).unwrap());
        assert!(ng_option_length_ok(block_type, option.code, len), "{option:?} in {block_type}");
        assert_eq!(span(input, option.value), (at + 4, at + 4 + len));
        at += 4 + len.next_multiple_of(4);
    }
    assert_eq!(at, e, "the options do not tile their area");
}

/// `s` is `i` read at base [`BASE`]: offsets moved by it, nothing else.
fn assert_shifted(s: &Result<Block, CaptureError>, i: &Result<Block, CaptureError>) {
    let options_moved = |s: &pcapng::Options, i: &pcapng::Options| {
        assert!(same_slice(s.as_bytes(), i.as_bytes()));
        let so: Vec<u64> = s.iter().map(|o| o.offset).collect();
        let io: Vec<u64> = i.iter().map(|o| o.offset + BASE).collect();
        assert_eq!(so, io);
    };
    match (s, i) {
        (Ok(Block::Section(s)), Ok(Block::Section(i))) => {
            assert_eq!(s.offset, i.offset + BASE);
            assert_eq!(
                (s.index, s.byte_order, s.version_minor),
                (i.index, i.byte_order, i.version_minor)
            );
            assert_eq!(s.section_length, i.section_length);
            options_moved(&s.options, &i.options);
        }
        (
            Ok(Block::Interface { id: sid, interface: si, options: so }),
            Ok(Block::Interface { id, interface, options }),
        ) => {
            let mut moved = *interface;
            moved.offset += BASE;
            assert_eq!((*sid, *si), (*id, moved));
            options_moved(so, options);
        }
        (Ok(Block::Frame(s)), Ok(Block::Frame(i))) => {
            options_moved(&s.options, &i.options);
            let mut moved = *i;
            moved.offset += BASE;
            moved.options = s.options;
            assert_eq!(*s, moved);
            assert!(same_slice(s.data, i.data));
        }
        (Ok(Block::Other(s)), Ok(Block::Other(i))) => {
            let mut moved = *i;
            moved.offset += BASE;
            assert_eq!(*s, moved);
        }
        (Err(s), Err(i)) => {
            let mut moved = *i;
            moved.offset += BASE;
            if let CaptureErrorKind::MalformedOption { option_offset }
            | CaptureErrorKind::BadOptionLength { option_offset, .. }
            | CaptureErrorKind::BadNameRecord { record_offset: option_offset, .. } =
                &mut moved.kind
            {
                *option_offset += BASE;
            }
            assert_eq!(*s, moved);
        }
        _ => panic!("at base {BASE:#x}: {s:?} for {i:?}"),
    }
}

/// The error of the pcapng block at `pos`: a kind its bytes justify.
fn check_pcapng_error(
    input: &[u8],
    pos: usize,
    order: Option<ByteOrder>,
    is_shb: bool,
    interfaces: &[(u16, u32)],
    parser: pcapng::Parser,
    error: &CaptureError,
) {
    let rest = &input[pos..];
    let len = order.and_then(|o| rd32(rest, 4, o));
    let block_type = order.and_then(|o| rd32(rest, 0, o));
    let offset = pos as u64;
    use CaptureErrorKind as K;
    let content = matches!(
        error.kind,
        K::BadNameRecord { .. } | K::MalformedOption { .. } | K::BadOptionLength { .. }
    );
    if content && block_type == Some(4) && !is_shb {
        let o = order.unwrap();
        assert_eq!(ng_nrb(input, pos, len.unwrap(), o), Err(error.kind), "{error:?}");
        return;
    }
    if content && block_type == Some(5) && !is_shb {
        let (o, end) = (order.unwrap(), pos + len.unwrap() as usize - 4);
        assert_eq!(ng_options(input, pos + 20, end, o, 5), Err(error.kind), "{error:?}");
        return;
    }
    match error.kind {
        K::Truncated { needed, .. } => {
            let framed_len = len.map_or(0, u64::from);
            assert!(
                needed <= 12 || needed == framed_len,
                "Truncated needing {needed} of a block of length {len:?}"
            );
        }
        K::BadMagic { found } => {
            let at = if is_shb { 8 } else { 0 };
            assert!(order.is_none(), "BadMagic with a byte order");
            assert_eq!(found, rd32(rest, at, ByteOrder::Big).unwrap());
        }
        K::UnsupportedVersion { major, minor } => {
            let o = order.unwrap();
            assert!(is_shb && major != 1);
            assert_eq!((major, minor), (rd16(rest, 12, o).unwrap(), rd16(rest, 14, o).unwrap()));
        }
        K::RecordTooLarge { size, limit } => {
            let block = len == Some(size as u32) && limit == u64::from(parser.block_size_limit());
            let record = limit == u64::from(parser.record_size_limit())
                && matches!(block_type, Some(2 | 3 | 6));
            assert!((block || record) && size > limit, "{error:?} of a block of length {len:?}");
        }
        K::UnalignedBlockLength { length } => {
            assert_eq!(Some(length), len);
            assert_ne!(length % 4, 0);
        }
        K::BlockTooShort { length, minimum } => {
            assert_eq!(Some(length), len);
            assert_eq!(minimum, 12 + ng_fixed(block_type.unwrap()));
            assert!(length < minimum);
        }
        K::BlockLengthMismatch { leading, trailing } => {
            assert_eq!(Some(leading), len);
            let at = leading as usize - 4;
            assert_eq!(Some(trailing), rd32(rest, at, order.unwrap()));
            assert_ne!(leading, trailing);
        }
        K::PacketExceedsBlock { captured_len, room } => {
            let o = order.unwrap();
            if block_type == Some(3) {
                // An SPB's captured length: min(original, interface 0's
                // snap length unless 0), which the block must hold.
                let original = rd32(rest, 8, o).unwrap();
                let snaplen = interfaces.first().expect("an SPB with no interface").1;
                let cap = if snaplen == 0 { original } else { original.min(snaplen) };
                assert_eq!(captured_len, cap);
                assert_eq!(room, len.unwrap() - 16);
            } else {
                assert!(matches!(block_type, Some(2 | 6)));
                assert_eq!(Some(captured_len), rd32(rest, 20, o));
                assert_eq!(room, len.unwrap() - 32);
            }
            assert!(u64::from(captured_len).next_multiple_of(4) > u64::from(room));
        }
        K::NoInterface => {
            assert!(matches!(block_type, Some(2 | 3 | 6)) && interfaces.is_empty());
        }
        K::UnknownInterface { interface_id, interfaces: count } => {
            assert!(matches!(block_type, Some(2 | 3 | 6)));
            assert_eq!(count as usize, interfaces.len());
            assert!(interface_id >= count);
        }
        K::TooManyInterfaces { limit } => {
            assert_eq!(block_type, Some(1));
            assert_eq!(limit as usize, interfaces.len());
        }
        K::UnsupportedTsresol { tsresol } => {
            assert_eq!(block_type, Some(1));
            assert!(zcpkt::capture::Resolution::from_tsresol(tsresol).units_per_second().is_none());
        }
        K::MalformedOption { option_offset } => {
            let end = offset + u64::from(len.unwrap());
            assert!(option_offset > offset && option_offset < end, "{error:?}");
        }
        K::BadOptionLength { option_offset, code, length } => {
            let o = order.unwrap();
            let end = offset + u64::from(len.unwrap());
            assert!(option_offset > offset && option_offset + 4 <= end, "{error:?}");
            let at = option_offset as usize;
            assert_eq!((Some(code), Some(length)), (rd16(input, at, o), rd16(input, at + 2, o)));
            let block_type = if is_shb { 0x0a0d_0d0a } else { block_type.unwrap() };
            assert!(matches!(block_type, 0x0a0d_0d0a | 1 | 2 | 6), "{error:?}");
            assert!(!ng_option_length_ok(block_type, code, usize::from(length)), "{error:?}");
        }
        K::BadNameRecord { .. } => panic!("{error:?} of a block of type {block_type:?}"),
        K::ReservedLinkTypeBits { .. } => panic!("{error:?} in pcapng"),
        K::SecretsExceedBlock { secrets_len, room } => {
            let o = order.unwrap();
            assert_eq!(block_type, Some(0x0a));
            assert_eq!(Some(secrets_len), rd32(rest, 12, o));
            assert_eq!(room, len.unwrap() - 20);
            assert!(!ng_secrets_fit(input, pos, len.unwrap(), o));
        }
        K::ImplausibleRecord { .. } | K::RecordOverlapsNext { .. } => {
            panic!("{error:?} from the strict reader: only the recovering readers give it")
        }
    }
}

/// The small-limit pcapng reader gives the default reader's blocks up to
/// the first one longer than [`SMALL_BLOCK`] or holding a packet longer
/// than [`SMALL_RECORD`], then `RecordTooLarge` there (at the default
/// reader's error: that error, or RecordTooLarge).
fn check_pcapng_limit(
    default: &[Result<Block, CaptureError>],
    small: &[Result<Block, CaptureError>],
) {
    let block_limit = u64::from(SMALL_BLOCK);
    let record_limit = u64::from(SMALL_RECORD);
    for (k, d) in default.iter().enumerate() {
        let s = small.get(k).unwrap_or_else(|| panic!("the small-limit reader stops at item {k}"));
        let offset = match d {
            Ok(Block::Section(h)) => h.offset,
            Ok(Block::Interface { interface, .. }) => interface.offset,
            Ok(Block::Frame(f)) => f.offset,
            Ok(Block::Other(raw)) => raw.offset,
            Err(e) => {
                let too_large = matches!(s, Err(CaptureError {
                    offset, kind: CaptureErrorKind::RecordTooLarge { size, limit } })
                    if *offset == e.offset && *size > *limit
                        && (*limit == block_limit || *limit == record_limit));
                assert!(s == d || too_large, "small limits: {s:?} for {d:?}");
                assert_eq!(small.len(), k + 1);
                return;
            }
        };
        // A block the small reader takes is the same block (`check_pcapng`
        // checked it is within the small limits); else it is refused as
        // RecordTooLarge, over the block limit or (a packet) the record one.
        match s {
            Ok(_) => assert_eq!(s, d),
            Err(CaptureError {
                offset: o,
                kind: CaptureErrorKind::RecordTooLarge { size, limit },
            }) => {
                assert_eq!(*o, offset);
                assert!(*size > *limit);
                let frame_too_large = matches!(d, Ok(Block::Frame(f))
                    if *limit == record_limit && *size == u64::from(f.captured_len));
                assert!(*limit == block_limit || frame_too_large, "{s:?} for {d:?}");
                assert_eq!(small.len(), k + 1);
                return;
            }
            Err(e) => panic!("small limits: {e:?} for {d:?}"),
        }
    }
    assert_eq!(small.len(), default.len());
}

// ------------------------------------------------------------------ recovering readers

use zcpkt::capture_record::CaptureRecord;

/// The records of a recovering reader, at most `2 * len + 2` of them (each
/// block and skipped range takes at least one byte, an error none but is
/// followed by a skipped range), then fused.
fn collect_recovering<'a>(
    mut reader: impl Iterator<Item = CaptureRecord<'a>>,
    len: usize,
) -> Vec<CaptureRecord<'a>> {
    let bound = 2 * len + 2;
    let records: Vec<_> = reader.by_ref().take(bound).collect();
    assert!(reader.next().is_none(), "more than {bound} records");
    assert!(reader.next().is_none(), "not fused");
    records
}

/// The skipped range that must follow the error `records[k]` at `pos`: it
/// starts there and is not empty.
fn skipped_after(records: &[CaptureRecord], k: usize, pos: usize) -> Skipped {
    match records.get(k + 1) {
        Some(CaptureRecord::Skipped(s)) => {
            assert_eq!(s.offset, pos as u64, "a skipped range away from its error");
            assert!(s.len > 0, "an empty skipped range at {pos}");
            *s
        }
        other => panic!("{:?} is followed by {other:?}, not a skipped range", records[k]),
    }
}

/// `shifted` is `records` read at base [`BASE`]: every offset moved by it
/// (those inside error kinds too), nothing else.
fn check_recover_base(records: &[CaptureRecord], shifted: &[CaptureRecord]) {
    assert_eq!(shifted.len(), records.len(), "at base {BASE:#x}");
    for (s, r) in shifted.iter().zip(records) {
        assert_eq!(s.offset(), r.offset() + BASE, "{s:?} for {r:?}");
        match (s, r) {
            (CaptureRecord::Block(s), CaptureRecord::Block(r)) => {
                assert_shifted(&Ok(*s), &Ok(*r));
            }
            (CaptureRecord::Error(s), CaptureRecord::Error(r)) => {
                let mut moved = *r;
                moved.offset += BASE;
                match &mut moved.kind {
                    CaptureErrorKind::MalformedOption { option_offset }
                    | CaptureErrorKind::BadOptionLength { option_offset, .. }
                    | CaptureErrorKind::BadNameRecord { record_offset: option_offset, .. } => {
                        *option_offset += BASE
                    }
                    CaptureErrorKind::RecordOverlapsNext { next_record } => *next_record += BASE,
                    _ => {}
                }
                assert_eq!(*s, moved);
            }
            (CaptureRecord::Skipped(s), CaptureRecord::Skipped(r)) => assert_eq!(s.len, r.len),
            _ => panic!("at base {BASE:#x}: {s:?} for {r:?}"),
        }
    }
}

/// The recovering pcap reader over `input`, against the bytes and the
/// strict reader's items `strict` (same parser):
///
/// - records tile the input after the 24-byte global header: each frame
///   where the previous record ended, as `parse_record` reads it there
///   (the very sub-slice), with an original length over 0 and a fraction
///   below one second; each error at that position, followed by a
///   non-empty `Skipped` from it; the last record ends at the input's end;
///   an unreadable global header is its error and the whole input skipped;
/// - each error is `parse_record`'s error there, or `ImplausibleRecord`
///   (the fields as written, original length 0 or fraction >= 1 s), or
///   `RecordOverlapsNext` of a record the strict parse takes, not ending at
///   the input's end, naming a position inside it where its skipped range
///   ends;
/// - each skipped range is the documented search's: it ends at the first
///   position after the error that passes the re-synchronisation rule
///   (written here from the module docs, the timestamp window around the
///   seconds of the last frame followed by a plausible record, or, for
///   `RecordOverlapsNext`, the record's own), or the input's end, unless
///   the comparison (module docs, with its credit replayed) finds a resume
///   point inside that one's record strictly nearer in time: there;
/// - a record whose end holds no plausible header (the input going on)
///   and inside which that search finds a resume point is a frame only if
///   the comparison finds one past its end;
/// - the strict frames come first, unchanged, up to the first one that is
///   implausible (then `ImplausibleRecord` there) or condemned by
///   `RecordOverlapsNext` (only if the strict frame after it, if any, fails
///   the documented plausibility rule measured from its seconds); then, if
///   the strict reader failed there, its very error. So a strict read with
///   no error and plausible records gives exactly its frames;
/// - `work()` exactly the positions those searches and comparisons try, and
///   at most twice the input's length plus the comparisons' credit cap
///   (module docs); the same records at base [`BASE`].
pub fn check_pcap_recover(
    parser: pcap::Parser,
    input: &[u8],
    strict: &[Result<Frame<'_>, CaptureError>],
) {
    let len = input.len();
    let mut reader = pcap::Recovering::new(parser, input, 0);
    let records = collect_recovering(reader.by_ref(), len);
    let work = reader.work();
    let cap = pcap::COMPARE_CREDIT_RECORDS * (u64::from(parser.record_size_limit()) + 16);
    assert!(work <= 2 * len as u64 + cap, "work {work} for {len} bytes");
    assert_eq!(reader.position(), len);
    let shifted = collect_recovering(pcap::Recovering::new(parser, input, BASE), len);
    check_recover_base(&records, &shifted);
    if input.is_empty() {
        assert!(records.is_empty());
        return;
    }
    let header = match pcap::Header::read(input) {
        Ok(header) => header,
        Err(error) => {
            let skipped = Skipped { offset: 0, len: len as u64 };
            assert_eq!(records, [CaptureRecord::Error(error), CaptureRecord::Skipped(skipped)]);
            assert_eq!(reader.header(), None);
            return;
        }
    };
    assert_eq!(reader.header(), Some(&header));
    let order = header.byte_order;
    let per_sec = header.resolution.units_per_second().unwrap();
    let sane = |at: usize| {
        rd32(input, at + 12, order).unwrap() != 0
            && u64::from(rd32(input, at + 4, order).unwrap()) < per_sec
    };

    // The re-synchronisation rule (module docs): the end of the record at
    // `at` if its header is plausible with timestamps near `reference`.
    let plausible = |at: usize, reference: Option<u32>| {
        let (secs, captured, original) =
            (rd32(input, at, order)?, rd32(input, at + 8, order)?, rd32(input, at + 12, order)?);
        let end = at + 16 + captured as usize;
        let ok = captured <= parser.record_size_limit()
            && (header.snaplen == 0 || captured <= header.snaplen)
            && captured <= original
            && original <= pcap::MAX_ORIGINAL_LEN
            && !matches!(reference, Some(r) if secs.abs_diff(r) > pcap::TIMESTAMP_WINDOW_SECS)
            && sane(at)
            && end <= len;
        ok.then_some(end)
    };
    let resumes = |at: usize, reference: Option<u32>| {
        plausible(at, reference)
            .is_some_and(|end| end == len || plausible(end, reference).is_some())
    };
    // A search over `from..to` whose seconds pass `accept`: what it finds,
    // and the positions it tries (up to and with the one found).
    let search = |from: usize, to: usize, reference: Option<u32>, accept: &dyn Fn(u32) -> bool| {
        let range = from..to.min(len).max(from);
        let found = range
            .clone()
            .find(|&at| resumes(at, reference) && accept(rd32(input, at, order).unwrap()));
        (found, found.map_or(range.len(), |at| at + 1 - from) as u64)
    };
    let any = |_: u32| true;
    // The comparison of a candidate `at` found near `reference` (module
    // docs): the first resume point inside its record strictly nearer in
    // time, within the credit (`debt` is what comparisons took of it).
    let nearer_inside = |debt: &mut u64, tried: &mut u64, at: usize, reference: u32| {
        let end = plausible(at, Some(reference)).expect("a candidate passes the rule");
        let bar = rd32(input, at, order).unwrap().abs_diff(reference);
        let room = (cap - *debt) as usize;
        let nearer = |secs: u32| secs.abs_diff(reference) < bar;
        let (found, n) = search(at + 1, end.min(at + 1 + room), Some(reference), &nearer);
        *debt += n;
        *tried += n;
        found
    };
    let (mut debt, mut tried) = (0u64, 0u64);
    // The seconds of the last record followed by a plausible one near it.
    let mut last_secs: Option<u32> = None;

    // Tiling, and each record as the bytes and the strict parse say.
    let mut pos = pcap::HEADER_LEN;
    let mut k = 0;
    while k < records.len() {
        let rest = &input[pos..];
        let parsed = parser.parse_record(&header, rest, pos as u64);
        match &records[k] {
            CaptureRecord::Block(Block::Frame(f)) => {
                let expected = parsed.expect("a frame parse_record refuses");
                assert_eq!(*f, expected);
                let cap = rd32(input, pos + 8, order).unwrap() as usize;
                let data = &input[pos + 16..pos + 16 + cap];
                assert!(same_slice(f.data, data), "frame at {pos}: data is not the record's bytes");
                assert!(sane(pos), "an implausible frame at {pos}");
                let secs = rd32(input, pos, order).unwrap();
                let end = pos + 16 + cap;
                if end == len || plausible(end, Some(secs)).is_some() {
                    last_secs = Some(secs);
                } else {
                    let (next, n) = search(pos + 1, end, Some(secs), &any);
                    tried += n;
                    if let Some(next) = next {
                        let kept = nearer_inside(&mut debt, &mut tried, next, secs);
                        assert!(kept.is_some_and(|at| at > end), "frame at {pos}: {next} resumes");
                    }
                }
                debt = debt.saturating_sub((end - pos) as u64);
                pos = end;
            }
            CaptureRecord::Error(e) => {
                assert_eq!(e.offset, pos as u64, "error away from the end of the last record");
                let s = skipped_after(&records, k, pos);
                match e.kind {
                    CaptureErrorKind::ImplausibleRecord { original_len, fraction } => {
                        parsed.expect("ImplausibleRecord where parse_record fails");
                        assert_eq!(original_len, rd32(input, pos + 12, order).unwrap());
                        assert_eq!(fraction, rd32(input, pos + 4, order).unwrap());
                        assert!(!sane(pos), "{e:?} of a plausible record");
                    }
                    CaptureErrorKind::RecordOverlapsNext { next_record } => {
                        let f = parsed.expect("RecordOverlapsNext where parse_record fails");
                        assert!(sane(pos), "{e:?} of an implausible record");
                        let end = pos + 16 + f.data.len();
                        assert_ne!(end, len, "{e:?} of the input's last record");
                        assert!(next_record > pos as u64 && next_record < end as u64, "{e:?}");
                        assert_eq!(s.offset + s.len, next_record, "{e:?} skips elsewhere");
                        assert!(records.get(k + 2).is_some(), "nothing at {next_record}");
                    }
                    _ => assert_eq!(parsed, Err(*e)),
                }
                let to = match e.kind {
                    // The search inside the record, near its own seconds.
                    CaptureErrorKind::RecordOverlapsNext { .. } => {
                        let secs = rd32(input, pos, order).unwrap();
                        let end = pos + 16 + rd32(input, pos + 8, order).unwrap() as usize;
                        let (next, n) = search(pos + 1, end, Some(secs), &any);
                        tried += n;
                        let next = next.expect("RecordOverlapsNext with no record inside");
                        nearer_inside(&mut debt, &mut tried, next, secs).unwrap_or(next)
                    }
                    _ => {
                        let (at, n) = search(pos + 1, len, last_secs, &any);
                        tried += n;
                        match (at, last_secs) {
                            (Some(at), Some(r)) => {
                                nearer_inside(&mut debt, &mut tried, at, r).unwrap_or(at)
                            }
                            (at, _) => at.unwrap_or(len),
                        }
                    }
                };
                assert_eq!(pos + s.len as usize, to, "{e:?}: skipped elsewhere");
                debt = debt.saturating_sub(s.len);
                pos += s.len as usize;
                k += 1;
            }
            other => panic!("{other:?} at {pos}: not a frame after an error"),
        }
        k += 1;
    }
    assert_eq!(pos, len, "the records stop before the end");
    assert_eq!(work, tried, "work: the positions the searches and comparisons try");

    // Against the strict reader.
    let plausible_after = |f: &Frame, next: &Frame| {
        let at = next.offset as usize;
        let (secs, next_secs) =
            (rd32(input, f.offset as usize, order).unwrap(), rd32(input, at, order).unwrap());
        sane(at)
            && (header.snaplen == 0 || next.captured_len <= header.snaplen)
            && next.captured_len <= next.original_len
            && next.original_len <= pcap::MAX_ORIGINAL_LEN
            && secs.abs_diff(next_secs) <= pcap::TIMESTAMP_WINDOW_SECS
    };
    let mut r = records.iter();
    for (i, item) in strict.iter().enumerate() {
        let rec = r.next().unwrap_or_else(|| panic!("no record for the strict {item:?}"));
        let f = match item {
            Ok(f) => f,
            Err(e) => {
                assert_eq!(*rec, CaptureRecord::Error(*e), "the strict reader's error");
                return;
            }
        };
        if *rec == CaptureRecord::Block(Block::Frame(*f)) {
            continue;
        }
        let CaptureRecord::Error(e) = rec else { panic!("{rec:?} for the strict {f:?}") };
        assert_eq!(e.offset, f.offset, "{e:?} for the strict {f:?}");
        let at = f.offset as usize;
        match e.kind {
            CaptureErrorKind::ImplausibleRecord { .. } => {}
            CaptureErrorKind::RecordOverlapsNext { .. } => {
                assert!(sane(at));
                match strict.get(i + 1) {
                    Some(Ok(next)) => {
                        assert!(
                            !plausible_after(f, next),
                            "{e:?} though a plausible record follows"
                        )
                    }
                    Some(Err(_)) => {}
                    None => panic!("{e:?} of the strict reader's last record"),
                }
            }
            _ => panic!("{e:?} for the strict {f:?}"),
        }
        return;
    }
    assert_eq!(r.next(), None, "more records than the strict reader's frames");
}

/// The block types a recovering pcapng reader may resume at (the spec's,
/// §10.1): SHB, IDB, PB, SPB, NRB, ISB, EPB, DSB, custom (both).
const NG_KNOWN: [u32; 10] = [0x0a0d_0d0a, 1, 2, 3, 4, 5, 6, 0x0a, 0x0bad, 0x4000_0bad];

/// The length of a block framed at `at` in `order` (an SHB in the order of
/// its byte-order magic): a known type, a length that is a multiple of 4,
/// at least 12 plus its fixed part, within `limit` and the input, and a
/// trailing copy equal to it. Then the block's order too.
fn ng_framed(
    input: &[u8],
    at: usize,
    order: Option<ByteOrder>,
    limit: u32,
) -> Option<(usize, ByteOrder)> {
    let (len, order) = ng_framed_any(input, at, order, limit)?;
    NG_KNOWN.contains(&rd32(input, at, order)?).then_some((len, order))
}

/// As [`ng_framed`], of any block type (an unknown one's fixed part is 0).
fn ng_framed_any(
    input: &[u8],
    at: usize,
    order: Option<ByteOrder>,
    limit: u32,
) -> Option<(usize, ByteOrder)> {
    let order = if input.get(at..at + 4)? == [0x0a, 0x0d, 0x0d, 0x0a] {
        match input.get(at + 8..at + 12)? {
            [0x4d, 0x3c, 0x2b, 0x1a] => ByteOrder::Little,
            [0x1a, 0x2b, 0x3c, 0x4d] => ByteOrder::Big,
            _ => return None,
        }
    } else {
        order?
    };
    let block_type = rd32(input, at, order)?;
    let len = rd32(input, at + 4, order)?;
    let ok = len % 4 == 0
        && len >= 12 + ng_fixed(block_type)
        && len <= limit
        && (len as usize) <= input.len() - at
        && rd32(input, at + len as usize - 4, order) == Some(len);
    ok.then_some((len as usize, order))
}

/// The options bytes of the block at `at` if it passes the recovering
/// pcapng reader's rules 1 to 3 with the section's byte order `order`:
/// framed, the block after it framed in its order (or the input's end),
/// its options area (after a packet's padded data) at most
/// `MAX_CANDIDATE_OPTIONS` bytes.
fn ng_rules_1_to_3(input: &[u8], at: usize, order: Option<ByteOrder>, limit: u32) -> Option<usize> {
    let (len, o) = ng_framed(input, at, order, limit)?;
    if at + len != input.len() {
        ng_framed(input, at + len, Some(o), limit)?;
    }
    let block_type = rd32(input, at, o)?;
    let room = len - 12 - ng_fixed(block_type) as usize;
    let options = match block_type {
        2 | 6 => room.checked_sub((rd32(input, at + 20, o)? as usize).next_multiple_of(4))?,
        0x0a0d_0d0a | 1 | 5 => room,
        4 => len - 12,
        _ => 0,
    };
    (options <= pcapng::MAX_CANDIDATE_OPTIONS).then_some(options)
}

/// The recovering pcapng reader's searches, replayed in the order it runs
/// them (from the records it gave) with its options credit: every
/// position tried earns `OPTIONS_CREDIT_PER_POSITION` bytes, up to
/// `MAX_CANDIDATE_OPTIONS` (where it starts); a position passing rules 1
/// and 2 and the cap of rule 3 has its options walked (rule 4) only if
/// the credit covers them, which are then taken from it. So the outcome
/// of each position is known exactly, and so is `work()`.
struct NgSearches {
    credit: usize,
    /// Positions tried.
    tried: u64,
    /// Options bytes walked.
    walked: u64,
}

impl NgSearches {
    const fn new() -> Self {
        Self { credit: pcapng::MAX_CANDIDATE_OPTIONS, tried: 0, walked: 0 }
    }

    /// Tries `at` with `state` as the reader does: whether reading may
    /// resume there (rules 1 to 3 from the bytes and the credit, rule 4
    /// by `parse_block` on a copy of the state).
    fn resumes_at(
        &mut self,
        parser: pcapng::Parser,
        input: &[u8],
        at: usize,
        state: &pcapng::State<64>,
    ) -> bool {
        self.tried += 1;
        self.credit =
            (self.credit + pcapng::OPTIONS_CREDIT_PER_POSITION).min(pcapng::MAX_CANDIDATE_OPTIONS);
        let limit = parser.block_size_limit();
        let Some(options) = ng_rules_1_to_3(input, at, state.byte_order(), limit) else {
            return false;
        };
        if options > self.credit {
            return false;
        }
        self.credit -= options;
        self.walked += options as u64;
        parser.parse_block(&mut state.clone(), &input[at..], at as u64).is_ok()
    }

    /// The search from `from` that ended at `to`: no position before `to`
    /// passes, `to` does, unless it is `end` (where the search stops
    /// without a block: the input's end after damage, the block's end
    /// inside a block).
    fn search(
        &mut self,
        parser: pcapng::Parser,
        input: &[u8],
        from: usize,
        to: usize,
        end: usize,
        state: &pcapng::State<64>,
    ) {
        for at in from..to {
            let credit = self.credit;
            assert!(
                !self.resumes_at(parser, input, at, state),
                "the search from {from} passes over {at} (credit {credit})"
            );
        }
        let credit = self.credit;
        assert!(
            to == end || self.resumes_at(parser, input, to, state),
            "the search from {from} resumes at {to} (credit {credit})"
        );
    }
}

/// The recovering pcapng reader over `input`, against the bytes, the
/// block parser and the strict reader's items `strict` (same parser):
///
/// - records tile the input from 0: each block where the previous record
///   ended, framed as its leading and trailing lengths say (in its
///   section's byte order), equal to `parse_block` there with the state
///   the blocks before it give (the very sub-slices); each error at that
///   position, followed by a non-empty `Skipped` from it; the last record
///   ends at the input's end;
/// - each error is `parse_block`'s error there (the state unchanged), or
///   `RecordOverlapsNext` of a packet or other block (not a section or
///   interface) that `parse_block` takes there, not ending at the input's
///   end, naming a position inside it where its skipped range ends;
/// - each skipped range is the documented search's, and so is each search
///   inside a block: the searches are replayed in the reader's order
///   ([`NgSearches`]) with its options credit, the search after an error
///   from the next position to the skipped range's end (from the bytes in
///   the section's byte order and `parse_block` on a copy of the state),
///   the search inside a packet or other block (not a section or interface)
///   that does not end at the input's end and where no block (of any type)
///   is framed at its end, from the next position to its end
///   (`RecordOverlapsNext`: to the position it names, where the skipped
///   range ends; else none passes and the block is read); no position
///   before a search's end passes the rules with the credit it has there,
///   its end does (or is the input's or the block's end). A block found by
///   a search is not searched inside;
/// - the strict blocks come first, unchanged, then the strict reader's
///   error, except that the last strict block before that error may be
///   condemned by `RecordOverlapsNext` instead (the one case the module
///   docs allow: no block starts where it ends). So a strict read with no
///   error gives exactly the strict blocks and no error;
/// - `work()` is exactly the replay's (positions tried plus options bytes
///   walked) and within the bound the module docs argue: each position
///   tried at most once, each adding at most `OPTIONS_CREDIT_PER_POSITION`
///   to a credit that starts at `MAX_CANDIDATE_OPTIONS` and never goes
///   below zero, so at most `(1 + OPTIONS_CREDIT_PER_POSITION) * len +
///   MAX_CANDIDATE_OPTIONS`, whatever the input holds;
/// - the same records at base [`BASE`].
pub fn check_pcapng_recover(
    parser: pcapng::Parser,
    input: &[u8],
    strict: &[Result<Block<'_>, CaptureError>],
) {
    let len = input.len();
    let mut reader = pcapng::Recovering::<'_, 64>::new(parser, input, 0);
    let records = collect_recovering(reader.by_ref(), len);
    let per_position = 1 + pcapng::OPTIONS_CREDIT_PER_POSITION as u64;
    let bound = per_position * len as u64 + pcapng::MAX_CANDIDATE_OPTIONS as u64;
    assert!(reader.work() <= bound, "work {} for {len} bytes (bound {bound})", reader.work());
    assert_eq!(reader.position(), len);
    let shifted = collect_recovering(pcapng::Recovering::<'_, 64>::new(parser, input, BASE), len);
    check_recover_base(&records, &shifted);

    let limit = parser.block_size_limit();
    let mut searches = NgSearches::new();
    // The block at `pos` was found by a search (no search inside it).
    let mut found = false;
    let mut state = pcapng::State::<64>::new();
    let mut pos = 0usize;
    let mut k = 0;
    while k < records.len() {
        let rest = &input[pos..];
        let mut probe = state.clone();
        let parsed = parser.parse_block(&mut probe, rest, pos as u64);
        match &records[k] {
            CaptureRecord::Block(block) => {
                let (expected, block_len) = parsed.expect("a block parse_block refuses");
                assert_eq!(*block, expected);
                state = probe;
                let order = state.byte_order().expect("a block with no byte order");
                let framed = rd32(rest, 4, order).unwrap() as usize;
                assert_eq!(framed, block_len, "block length");
                assert_eq!(rd32(rest, block_len - 4, order), Some(framed as u32), "trailer");
                assert!(
                    block_len % 4 == 0 && block_len as u64 <= u64::from(parser.block_size_limit())
                );
                match block {
                    Block::Frame(f) => {
                        let at = if rd32(rest, 0, order) == Some(3) { 12 } else { 28 };
                        let data = &input[pos + at..pos + at + f.data.len()];
                        assert!(same_slice(f.data, data), "frame at {pos}: not the block's data");
                    }
                    Block::Other(raw) => {
                        assert!(same_slice(raw.body, &input[pos + 8..pos + block_len - 4]));
                    }
                    Block::Section(h) => assert_eq!(h.byte_order, order),
                    Block::Interface { .. } => {}
                }
                let end = pos + block_len;
                let searched = !core::mem::take(&mut found)
                    && !matches!(block, Block::Section(_) | Block::Interface { .. })
                    && end != len
                    && ng_framed_any(input, end, Some(order), limit).is_none();
                if searched {
                    searches.search(parser, input, pos + 1, end, end, &state);
                }
                pos = end;
            }
            CaptureRecord::Error(e) => {
                assert_eq!(e.offset, pos as u64, "error away from the end of the last block");
                assert!(!found, "{e:?} where a search found a block");
                let s = skipped_after(&records, k, pos);
                let to = pos + s.len as usize;
                if let CaptureErrorKind::RecordOverlapsNext { next_record } = e.kind {
                    let (block, block_len) =
                        parsed.expect("RecordOverlapsNext where parse_block fails");
                    assert!(
                        !matches!(block, Block::Section(_) | Block::Interface { .. }),
                        "{e:?} of {block:?}"
                    );
                    let end = pos + block_len;
                    assert_ne!(end, len, "{e:?} of the input's last block");
                    assert!(
                        ng_framed_any(input, end, probe.byte_order(), limit).is_none(),
                        "{e:?} though a block is framed at its end"
                    );
                    // The search inside the block, which found `to`.
                    searches.search(parser, input, pos + 1, to, end, &probe);
                    assert!(next_record > pos as u64 && next_record < end as u64, "{e:?}");
                    assert_eq!(s.offset + s.len, next_record, "{e:?} skips elsewhere");
                    assert!(records.get(k + 2).is_some(), "nothing at {next_record}");
                    // A packet or other block leaves the state as it was.
                } else {
                    assert_eq!(parsed.map(|(b, _)| b), Err(*e));
                    // The search after the error, to the input's end.
                    searches.search(parser, input, pos + 1, to, len, &state);
                }
                found = to != len;
                pos = to;
                k += 1;
            }
            other => panic!("{other:?} at {pos}: not a block after an error"),
        }
        k += 1;
    }
    assert_eq!(pos, len, "the records stop before the end");
    assert_eq!(
        reader.work(),
        searches.tried + searches.walked,
        "work: {} positions tried, {} options bytes walked",
        searches.tried,
        searches.walked
    );

    // Against the strict reader.
    let mut r = records.iter();
    for (i, item) in strict.iter().enumerate() {
        let rec = r.next().unwrap_or_else(|| panic!("no record for the strict {item:?}"));
        match item {
            Ok(block) if *rec == CaptureRecord::Block(*block) => {}
            Ok(block) => {
                let condemned = matches!(rec, CaptureRecord::Error(CaptureError {
                    offset, kind: CaptureErrorKind::RecordOverlapsNext { .. } })
                    if *offset == CaptureRecord::Block(*block).offset());
                assert!(condemned, "{rec:?} for the strict {block:?}");
                assert!(
                    i + 2 == strict.len() && strict[i + 1].is_err(),
                    "{rec:?}: a block the strict reader follows with a block"
                );
                return;
            }
            Err(e) => {
                assert_eq!(*rec, CaptureRecord::Error(*e), "the strict reader's error");
                return;
            }
        }
    }
    assert_eq!(r.next(), None, "more records than the strict reader's blocks");
}

// ------------------------------------------------------------------ capture stream

/// What the slice readers give for a whole capture, as the stream and
/// parallel readers promise to give it: the blocks of
/// `pcapng::Frames::next_block` when `input` starts with a Section Header
/// Block, else the frames of `pcap::Frames` (as `Block::Frame`), up to the
/// first error, and that error.
pub fn sequential_capture(small: bool, input: &[u8]) -> (Vec<Block<'_>>, Option<CaptureError>) {
    let (pcap_parser, ng_parser) = capture_parsers(small);
    let mut blocks = Vec::new();
    if detect(input) == Some(Format::PcapNg) {
        let mut frames = pcapng::Frames::<'_, 64>::new(ng_parser, input, 0);
        while let Some(block) = frames.next_block() {
            match block {
                Ok(block) => blocks.push(block),
                Err(error) => return (blocks, Some(error)),
            }
        }
    } else {
        for frame in pcap::Frames::new(pcap_parser, input, 0) {
            match frame {
                Ok(frame) => blocks.push(Block::Frame(frame)),
                Err(error) => return (blocks, Some(error)),
            }
        }
    }
    (blocks, None)
}

/// Target `capture_stream`: byte 0: initial buffer size (`b + 1` for
/// `b < 128`, else `64 × (b - 127)`); bytes 1-4: the read pattern
/// ([`read_step`]; `WouldBlock` is retried by the caller); byte 5: bit 0
/// the small limits ([`capture_parsers`]), bits 1-2 a magic of
/// [`CAPTURE_PREFIXES`] put before the rest, the capture.
pub fn capture_stream(data: &[u8]) {
    let (head, rest) = data.split_at(data.len().min(6));
    let byte = |i: usize| head.get(i).copied().unwrap_or(0);
    let buffer = match byte(0) {
        b @ 0..=127 => usize::from(b) + 1,
        b => 64 * usize::from(b - 127),
    };
    let config = byte(5);
    let input = [CAPTURE_PREFIXES[usize::from(config >> 1 & 3)], rest].concat();
    check_capture_stream(config & 1 != 0, buffer, head.get(1..5).unwrap_or(&[]), &input);
    check_recovering_stream(config & 1 != 0, buffer, head.get(1..5).unwrap_or(&[]), &input);
}

/// `RecoveringCaptureStream` over `input` read as `pattern` cuts it (its
/// `WouldBlock` errors retried), from a `buffer` byte buffer: exactly the
/// records of the recovering slice reader of the format the magic tells
/// (pcapng, else pcap), and the same search work.
pub fn check_recovering_stream(small: bool, buffer: usize, pattern: &[u8], input: &[u8]) {
    use std::ops::ControlFlow;
    use zcpkt::source::capture_recover_stream::RecoveringCaptureStream;

    let (pcap_parser, ng_parser) = capture_parsers(small);
    let (expected, work): (Vec<String>, u64) = if detect(input) == Some(Format::PcapNg) {
        let mut reader = pcapng::Recovering::<'_, 64>::new(ng_parser, input, 0);
        let records = reader.by_ref().map(|r| format!("{r:?}")).collect();
        (records, reader.work())
    } else {
        let mut reader = pcap::Recovering::new(pcap_parser, input, 0);
        let records = reader.by_ref().map(|r| format!("{r:?}")).collect();
        (records, reader.work())
    };
    let mut stream = RecoveringCaptureStream::new(PatternReader::new(input, pattern))
        .pcap_parser(pcap_parser)
        .pcapng_parser(ng_parser)
        .buffer_size(buffer);
    let mut got = Vec::new();
    let mut calls = 0;
    loop {
        calls += 1;
        assert!(calls <= 8 * input.len() + 64, "the stream does not end");
        let read = stream.for_each(|record| {
            got.push(format!("{record:?}"));
            ControlFlow::Continue(())
        });
        match read {
            Ok(()) => break,
            Err(e) => assert_eq!(e.kind(), io::ErrorKind::WouldBlock, "{e}"),
        }
    }
    assert_eq!(got, expected);
    assert_eq!(stream.work(), work, "search work");
}

/// A block as owned text (its `Debug` form shows every field and byte, no
/// address), to compare blocks borrowing different buffers.
fn owned(block: &Block) -> String {
    format!("{block:?}")
}

/// `CaptureStream` over `input` read as `pattern` cuts it, from a `buffer`
/// byte buffer: `next_block` gives exactly [`sequential_capture`] (blocks
/// and error, with offsets), `next_frame` exactly its frames; inputs of 1-3
/// bytes are `Truncated` at 0 needing 4 (the stream cannot tell the
/// format), others of no capture magic `BadMagic`; fused; at a clean end
/// `offset()` is the input's length; the buffer stays within its bound.
pub fn check_capture_stream(small: bool, buffer: usize, pattern: &[u8], input: &[u8]) {
    use zcpkt::source::capture_stream::{CaptureStream, StreamCaptureError};
    use zcpkt::source::error::SourceError;

    let (pcap_parser, ng_parser) = capture_parsers(small);
    let (blocks, mut error) = sequential_capture(small, input);
    let expected: Vec<String> = blocks.iter().map(owned).collect();
    if (1..4).contains(&input.len()) {
        let kind = CaptureErrorKind::Truncated { available: input.len() as u64, needed: 4 };
        error = Some(CaptureError::new(0, kind));
    }
    let expected_frames: Vec<String> =
        blocks.iter().filter(|b| matches!(b, Block::Frame(_))).map(owned).collect();
    let bound = buffer
        .max(24)
        .max((SMALL_RECORD as usize + 16).max(SMALL_BLOCK as usize))
        .max(if small { 0 } else { 2 * input.len() });
    let calls_limit = 8 * input.len() + 64;

    for frames_only in [false, true] {
        let mut stream = CaptureStream::new(PatternReader::new(input, pattern))
            .pcap_parser(pcap_parser)
            .pcapng_parser(ng_parser)
            .buffer_size(buffer);
        let (mut got, mut got_error, mut calls) = (Vec::new(), None, 0);
        loop {
            calls += 1;
            assert!(calls <= calls_limit, "the stream does not end");
            let item = match frames_only {
                false => stream.next_block().map(|b| b.map(|b| owned(&b))),
                true => stream.next_frame().map(|f| f.map(|f| owned(&Block::Frame(f)))),
            };
            match item {
                None => break,
                Some(Ok(block)) => {
                    assert!(got_error.is_none(), "a block after the error");
                    got.push(block);
                }
                Some(Err(StreamCaptureError::Input(e))) => {
                    assert!(got_error.is_none(), "two errors");
                    got_error = Some(e);
                }
                Some(Err(SourceError::Io(e))) => {
                    assert_eq!(e.kind(), io::ErrorKind::WouldBlock, "{e}");
                }
            }
            assert!(stream.buffer_capacity() <= bound, "buffer of {}", stream.buffer_capacity());
        }
        assert!(stream.next_block().is_none() && stream.next_frame().is_none(), "not fused");
        let want = if frames_only { &expected_frames } else { &expected };
        assert_eq!(&got, want, "frames_only: {frames_only}");
        assert_eq!(got_error, error, "frames_only: {frames_only}");
        if error.is_none() {
            assert_eq!(stream.offset(), input.len() as u64);
        }
        if let (Some(Format::Pcap), Ok(header)) = (detect(input), pcap::Header::read(input)) {
            assert_eq!(stream.pcap_header(), Some(&header));
        }
        // The bounded copies follow the parser's state.
        let interfaces = stream.state().interfaces();
        assert_eq!(stream.interface_info().len(), interfaces.len());
        for (k, (info, interface)) in stream.interface_info().iter().zip(interfaces).enumerate() {
            assert_eq!((info.id as usize, &info.interface), (k, interface));
            for name in [&info.name, &info.description].into_iter().flatten() {
                assert!(name.len() <= zcpkt::source::capture_stream::MAX_INFO_STRING);
            }
        }
        let section = stream.section_info().map(|s| (s.offset, s.index));
        assert_eq!(section, stream.state().section().map(|s| (s.offset, s.index)));
    }
}

// ------------------------------------------------------------------ capture parallel

/// A `ParallelCapture` on a dedicated pool of 2 threads per configuration
/// (default or small limits), built once.
#[cfg(feature = "parallel")]
fn pooled_capture(small: bool) -> zcpkt::parallel::capture::ParallelCapture {
    use std::sync::{Mutex, PoisonError};
    use zcpkt::parallel::capture::ParallelCapture;
    static POOLS: Mutex<[Option<ParallelCapture>; 2]> = Mutex::new([None, None]);
    let mut pools = POOLS.lock().unwrap_or_else(PoisonError::into_inner);
    let pool = pools[usize::from(small)].get_or_insert_with(|| {
        let (pcap_parser, ng_parser) = capture_parsers(small);
        ParallelCapture::new()
            .pcap_parser(pcap_parser)
            .pcapng_parser(ng_parser)
            .threads(2)
            .expect("a pool of 2 threads")
    });
    pool.clone()
}

/// Target `capture_parallel`: byte 0: batch size (0-31: 1-32 bytes, else
/// 64-510); byte 1: bit 0 the small limits, bits 1-2 a magic of
/// [`CAPTURE_PREFIXES`] put before the rest, the capture.
#[cfg(feature = "parallel")]
pub fn capture_parallel(data: &[u8]) {
    let byte = |i: usize| data.get(i).copied().unwrap_or(0);
    let batch = match byte(0) {
        b @ 0..=31 => 1 + usize::from(b),
        b => 64 + 2 * usize::from(b - 32),
    };
    let config = byte(1);
    let prefix = CAPTURE_PREFIXES[usize::from(config >> 1 & 3)];
    let input = [prefix, data.get(2..).unwrap_or(&[])].concat();
    check_capture_parallel(config & 1 != 0, batch, &input);
}

/// `ParallelCapture` over `input` in batches of `batch` bytes, 2 threads:
/// `blocks_in_order` gives exactly [`sequential_capture`] (the very
/// sub-slices), a concatenating `fold` too, `fold_counted` tells each block
/// the frames before it, and a counting fold on rayon's global pool equals
/// the sequential count.
#[cfg(feature = "parallel")]
pub fn check_capture_parallel<'a>(small: bool, batch: usize, input: &'a [u8]) {
    let (expected, error) = sequential_capture(small, input);
    let parallel = pooled_capture(small).batch_size(batch);

    let mut got = Vec::new();
    let got_error = parallel.blocks_in_order(input, |block| got.push(block));
    assert_eq!((&got, got_error), (&expected, error), "blocks_in_order, batch {batch}");
    for (g, e) in got.iter().zip(&expected) {
        if let (Block::Frame(g), Block::Frame(e)) = (g, e) {
            assert!(same_slice(g.data, e.data));
        }
    }

    let push = |v: &mut Vec<Block<'a>>, b| v.push(b);
    let concat = |mut a: Vec<Block<'a>>, mut b: Vec<Block<'a>>| {
        a.append(&mut b);
        a
    };
    let folded = parallel.fold(input, Vec::new, push, concat);
    assert_eq!((&folded.0, folded.1), (&expected, error), "fold, batch {batch}");

    let counted = parallel.fold_counted(
        input,
        Vec::new,
        |v: &mut Vec<u64>, frames, block| {
            if matches!(block, Block::Frame(_)) {
                v.push(frames);
            }
        },
        |mut a, mut b| {
            a.append(&mut b);
            a
        },
    );
    let frames = expected.iter().filter(|b| matches!(b, Block::Frame(_))).count() as u64;
    assert_eq!(counted, ((0..frames).collect::<Vec<_>>(), error), "fold_counted");

    let (pcap_parser, ng_parser) = capture_parsers(small);
    let global = zcpkt::parallel::capture::ParallelCapture::new()
        .pcap_parser(pcap_parser)
        .pcapng_parser(ng_parser)
        .batch_size(batch);
    let count = |n: &mut u64, b: Block<'_>| *n += u64::from(matches!(b, Block::Frame(_)));
    assert_eq!(global.fold(input, || 0, count, |a, b| a + b), (frames, error), "global pool");
}

// ------------------------------------------------------------------ layers

/// The link types `layers` walks every input as: the five decoded ones and
/// one that is not (802.11, no layers).
pub const LINK_TYPES: [u16; 6] = [0, 1, 101, 113, 276, 105];

/// Target `layers`: byte 0: bits 0-2 an FCS length, bits 3-7 how much
/// longer the frame was on the wire (× 97 bytes); the rest, a frame walked
/// as each of [`LINK_TYPES`], with and without the FCS and original length.
pub fn layers(data: &[u8]) {
    let Some((&config, frame)) = data.split_first() else { return };
    let fcs = config & 7;
    let orig = frame.len() + 97 * usize::from(config >> 3);
    for link_type in LINK_TYPES {
        check_layers_of(
            Layers::with_orig_len(link_type, frame, orig).with_fcs_len(fcs),
            frame,
            link_type,
        );
        check_layers_of(Layers::new(link_type, frame), frame, link_type);
    }
}

/// The walk `layers` over `frame`: ends within `frame.len() / 4 + 2` layers
/// and stays ended; no layers for a link type not decoded; each layer lies
/// inside the frame and inside the previous layer, starting after its
/// start; a `Partial` only last; every accessor and every field's value
/// (and `write_fields` over the walk) computed without a panic.
pub fn check_layers_of(layers: Layers<'_>, frame: &[u8], link_type: u16) {
    let bound = frame.len() / 4 + 2;
    let mut walk = layers.clone();
    let list: Vec<Layer> = walk.by_ref().take(bound).collect();
    assert!(walk.next().is_none(), "more than {bound} layers");
    assert!(walk.next().is_none(), "not fused");
    if !matches!(link_type, 0 | 1 | 101 | 113 | 276) {
        assert!(list.is_empty());
    }
    let mut previous: Option<(usize, usize)> = None;
    for (k, layer) in list.iter().enumerate() {
        let (start, end) = layer_span(frame, layer);
        assert!(start <= end);
        if let Some((s, e)) = previous {
            assert!(start > s && end <= e, "layer {k} {layer:?} at {start}..{end}, in {s}..{e}");
        }
        if matches!(layer, Layer::Partial(_)) {
            assert_eq!(k, list.len() - 1, "a Partial layer is not the last");
        }
        previous = Some((start, end));
        for &field in FieldName::ALL {
            if let Some(value) = layer_value(field, layer) {
                let _ = value.to_string();
            }
        }
    }
    let mut line = String::new();
    let info = FrameInfo::default();
    write_fields(&mut line, FieldName::ALL, &info, layers, ',', ';').unwrap();
}

/// The bytes `layer` covers in `frame` (its header's start to its
/// payload's end), calling every accessor and checking every slice it
/// hands out lies inside `frame` where its header says.
fn layer_span(frame: &[u8], layer: &Layer) -> (usize, usize) {
    let at = |inner: &[u8]| span(frame, inner);
    // The header of `len` bytes before `payload`.
    let before = |payload: &[u8], len: usize| {
        let (s, e) = at(payload);
        (s.checked_sub(len).expect("a header before the frame's start"), e)
    };
    match layer {
        Layer::Ethernet(v) => {
            let _ = (v.destination(), v.source(), v.ether_type());
            let (s, e) = at(v.header());
            assert_eq!(at(v.payload()).0, e);
            (s, at(v.payload()).1)
        }
        Layer::Vlan(v) => {
            let _ = (v.tpid(), v.is_8021q(), v.tci(), v.priority(), v.drop_eligible());
            let _ = (v.vlan_id(), v.ether_type());
            before(v.payload(), 4)
        }
        Layer::Sll(v) => {
            let _ = (v.packet_type(), v.arphrd_type(), v.address_len(), v.protocol());
            let (s, e) = before(v.payload(), 16);
            assert_eq!(at(v.address_field()), (s + 6, s + 14));
            (s, e)
        }
        Layer::Sll2(v) => {
            let _ = (v.protocol(), v.interface_index(), v.arphrd_type(), v.packet_type());
            let _ = v.address_len();
            let (s, e) = before(v.payload(), 20);
            assert_eq!(at(v.address_field()), (s + 12, s + 20));
            (s, e)
        }
        Layer::Null(v) => {
            let _ = (v.raw(), v.payload_kind());
            before(v.payload(), 4)
        }
        Layer::Arp(v) => {
            let _ = (v.hardware_type(), v.protocol_type(), v.operation());
            before(v.addresses(), 8)
        }
        Layer::Ipv4(v) => {
            let _ = (v.dsfield(), v.total_len(), v.identification(), v.dont_fragment());
            let _ = (v.more_fragments(), v.fragment_offset(), v.is_later_fragment(), v.ttl());
            let _ = (v.protocol(), v.checksum(), v.source(), v.destination());
            let _ = v.route_destination();
            assert_eq!(v.header_len(), 20 + v.options().len());
            let (s, e) = before(v.options(), 20);
            assert_eq!(at(v.payload()).0, e);
            (s, at(v.payload()).1)
        }
        Layer::Ipv6(v) => {
            let _ = (v.traffic_class(), v.flow_label(), v.payload_len(), v.next_header());
            let _ = (v.hop_limit(), v.source(), v.destination());
            before(v.payload(), 40)
        }
        Layer::Ipv6Ext(v) => {
            let _ = (v.kind(), v.next_header(), v.fragment_offset(), v.more_fragments());
            let _ = v.fragment_identification();
            let (s, e) = at(v.header());
            assert!(e - s >= 8);
            assert_eq!(at(v.payload()).0, e);
            (s, at(v.payload()).1)
        }
        Layer::Tcp(v) => {
            let _ = (v.source_port(), v.destination_port(), v.sequence_number());
            let _ = (v.acknowledgment_number(), v.flags(), v.window());
            let _ = (v.segment_len(), v.payload_len());
            assert_eq!(v.header_len(), 20 + v.options().len());
            let (s, e) = before(v.options(), 20);
            assert_eq!(at(v.payload()).0, e);
            (s, at(v.payload()).1)
        }
        Layer::Udp(v) => {
            let _ = (v.source_port(), v.destination_port(), v.length(), v.checksum());
            before(v.payload(), 8)
        }
        Layer::Icmpv4(v) => {
            let _ = (v.icmp_type(), v.code(), v.checksum(), v.rest_of_header(), v.is_error());
            before(v.payload(), 8)
        }
        Layer::Icmpv6(v) => {
            let _ = (v.icmp_type(), v.code(), v.checksum(), v.rest_of_header(), v.is_error());
            before(v.payload(), 8)
        }
        Layer::Vxlan(v) => {
            let _ = (v.flags(), v.vni());
            before(v.payload(), 8)
        }
        Layer::Gre(v) => {
            let _ = (v.flags_and_version(), v.version(), v.has_sequence_number());
            let _ = (v.protocol_type(), v.key());
            assert!(v.header_len() >= 4);
            before(v.payload(), v.header_len())
        }
        Layer::Geneve(v) => {
            let _ = (v.version(), v.protocol_type(), v.vni());
            let (s, e) = before(v.options(), 8);
            assert_eq!(at(v.payload()).0, e);
            assert_eq!(v.header_len(), 8 + v.options().len());
            (s, at(v.payload()).1)
        }
        Layer::Llc(v) => {
            let _ = (v.dsap(), v.ssap(), v.control(), v.is_information(), v.snap());
            before(v.payload(), v.header_len())
        }
        Layer::Mpls(v) => {
            let _ = (v.depth(), v.label(0), v.label(v.depth()), v.bottom_label());
            assert_eq!(v.stack().len(), v.depth() * 4);
            let (s, e) = at(v.stack());
            assert_eq!(at(v.payload()).0, e);
            (s, at(v.payload()).1)
        }
        Layer::Partial(p) => {
            if let Some(reported) = p.reported_len {
                assert!(reported >= p.bytes.len(), "{p:?}");
            }
            at(p.bytes)
        }
    }
}
