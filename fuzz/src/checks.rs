//! The invariants the fuzz targets assert, shared with the CI replay test.
//!
//! Each target in `fuzz/fuzz_targets/` is a one-line call into this file, and
//! `crates/zcpkt/tests/fuzz_seeds.rs` includes it (`#[path]`) to run every
//! file of `fuzz/seeds/` through the very same functions. It needs `zcpkt`
//! and `std` only; its CRC-32, TLV decoder, error oracle and encoder are
//! small references written from `shared/spec/pkt-format.md`, independent of
//! the crate's code.

use zcpkt::pkt::find_next_valid;
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
