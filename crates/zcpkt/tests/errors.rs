//! Every error of the spec's table, at exact absolute offsets with exact
//! details; the check order of dump-json.md; truncation at every byte;
//! recovery (exact skipped ranges); the strict iterators.
//!
//! Inputs are assembled byte by byte from the layout in pkt-format.md (the
//! `Raw` builder below), not with the crate's encoder, so the expected values
//! come from the spec and from how each input was built.

use zcpkt::{Error, ErrorKind, ExtensionType, IdField, Parser, Record, Skipped};

const MAGIC: [u8; 4] = *b"PKT\0";

/// A packet laid out as in pkt-format.md. Derived fields (HEADER_LEN,
/// PAYLOAD_LEN, CHECKSUM) are computed unless overridden.
#[derive(Clone, Debug)]
struct Raw {
    magic: [u8; 4],
    version: u8,
    flags: u8,
    header_len: Option<u16>,
    payload_len: Option<u32>,
    checksum: Option<u32>,
    timestamp: u64,
    /// Everything after the 24 fixed bytes up to HEADER_LEN.
    header_rest: Vec<u8>,
    payload: Vec<u8>,
}

impl Raw {
    fn new(header_rest: &[u8], payload: &[u8]) -> Self {
        Self {
            magic: MAGIC,
            version: 1,
            flags: 0,
            header_len: None,
            payload_len: None,
            checksum: None,
            timestamp: 0,
            header_rest: header_rest.to_vec(),
            payload: payload.to_vec(),
        }
    }

    fn version(mut self, v: u8) -> Self {
        self.version = v;
        self
    }
    fn magic(mut self, m: [u8; 4]) -> Self {
        self.magic = m;
        self
    }
    fn header_len(mut self, n: u16) -> Self {
        self.header_len = Some(n);
        self
    }
    fn payload_len(mut self, n: u32) -> Self {
        self.payload_len = Some(n);
        self
    }
    fn checksum(mut self, c: u32) -> Self {
        self.checksum = Some(c);
        self
    }

    fn bytes(&self) -> Vec<u8> {
        let header_len =
            self.header_len.unwrap_or(u16::try_from(24 + self.header_rest.len()).unwrap());
        let payload_len = self.payload_len.unwrap_or(self.payload.len() as u32);
        let checksum = self.checksum.unwrap_or_else(|| crc32fast::hash(&self.payload));
        let mut out = Vec::new();
        out.extend_from_slice(&self.magic);
        out.push(self.version);
        out.push(self.flags);
        out.extend_from_slice(&header_len.to_le_bytes());
        out.extend_from_slice(&payload_len.to_le_bytes());
        out.extend_from_slice(&checksum.to_le_bytes());
        out.extend_from_slice(&self.timestamp.to_le_bytes());
        out.extend_from_slice(&self.header_rest);
        out.extend_from_slice(&self.payload);
        out
    }
}

/// SOURCE_ID 00 DEST_ID 00 EXTENSIONS.
fn ids(src: &[u8], dst: &[u8], ext: &[u8]) -> Vec<u8> {
    let mut v = src.to_vec();
    v.push(0);
    v.extend_from_slice(dst);
    v.push(0);
    v.extend_from_slice(ext);
    v
}

/// One TLV record.
fn tlv(ty: u8, value: &[u8]) -> Vec<u8> {
    let mut v = vec![ty];
    v.extend_from_slice(&(value.len() as u16).to_le_bytes());
    v.extend_from_slice(value);
    v
}

/// A valid packet.
fn good(src: &str, dst: &str, payload: &[u8]) -> Vec<u8> {
    Raw::new(&ids(src.as_bytes(), dst.as_bytes(), &[]), payload).bytes()
}

/// Two valid packets (31 + 41 bytes), so that the packet under test starts
/// at a non-zero absolute offset.
fn prefix() -> Vec<u8> {
    let mut v = good("a", "bc", b"hi");
    assert_eq!(v.len(), 31);
    let second = Raw::new(&ids(b"src", b"", &tlv(1, b"xy")), b"payload").bytes();
    assert_eq!(second.len(), 24 + 4 + 1 + 5 + 7);
    v.extend_from_slice(&second);
    v
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// A record reduced to what these tests compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum R {
    P(u64, u64),
    E(Error),
    S(u64, u64),
}

fn summary(parser: Parser, input: &[u8], recover: bool) -> Vec<R> {
    parser
        .records(input, recover)
        .map(|r| match r {
            Record::Packet(p) => R::P(p.offset, p.len() as u64),
            Record::Error(e) => R::E(e),
            Record::Skipped(Skipped { offset, len }) => R::S(offset, len),
        })
        .collect()
}

fn err(offset: usize, kind: ErrorKind) -> R {
    R::E(Error::new(offset as u64, kind))
}

fn pkt(offset: usize, len: usize) -> R {
    R::P(offset as u64, len as u64)
}

fn skip(offset: usize, len: usize) -> R {
    R::S(offset as u64, len as u64)
}

/// The two records of `prefix()`.
fn prefix_records() -> Vec<R> {
    vec![pkt(0, 31), pkt(31, 41)]
}

/// Asserts that the packet `bad`, placed after `prefix()` and followed by
/// nothing, gives exactly `kind` (a framing-lost error) at its offset, via
/// `parse_packet` at that absolute offset, strict `Records` and `Packets`.
fn assert_lost(bad: &[u8], kind: ErrorKind) {
    assert_lost_with(Parser::new(), bad, kind);
}

fn assert_lost_with(parser: Parser, bad: &[u8], kind: ErrorKind) {
    let pre = prefix();
    let off = pre.len();
    let input = cat(&[&pre, bad]);
    let expected = Error::new(off as u64, kind);
    assert!(!kind.keeps_framing());
    assert_eq!(parser.parse_packet(&input[off..], off as u64), Err(expected));

    let mut want = prefix_records();
    want.push(R::E(expected));
    assert_eq!(summary(parser, &input, false), want);

    let packets: Vec<_> = parser.packets(&input).map(|r| r.map(|p| p.offset)).collect();
    assert_eq!(packets, vec![Ok(0), Ok(31), Err(expected)]);
}

// ---------------------------------------------------------------- each kind

#[test]
fn truncated_fewer_than_24_bytes() {
    let full = good("a", "bc", b"hi");
    for k in [1usize, 10, 23] {
        assert_lost(&full[..k], ErrorKind::Truncated { available: k as u64 });
    }
}

#[test]
fn truncated_header_or_payload_past_end() {
    let full = good("source", "dest", b"0123456789");
    assert_eq!(full.len(), 24 + 7 + 5 + 10);
    // Inside the identifiers (header incomplete), at the end of the header
    // (no payload at all), one payload byte short.
    for k in [24usize, 30, 36, 45] {
        assert_lost(&full[..k], ErrorKind::Truncated { available: k as u64 });
    }
    // PAYLOAD_LEN says one byte more than the input holds.
    let bad = Raw::new(&ids(b"a", b"b", &[]), b"xyz").payload_len(4).bytes();
    assert_lost(&bad, ErrorKind::Truncated { available: bad.len() as u64 });
    // HEADER_LEN alone runs past the end.
    let bad = Raw::new(&ids(b"a", b"b", &[]), b"").header_len(200).bytes();
    assert_lost(&bad, ErrorKind::Truncated { available: 28 });
    // Largest possible sizes do not overflow.
    let bad =
        Raw::new(&ids(b"a", b"b", &[]), b"").header_len(u16::MAX).payload_len(u32::MAX).bytes();
    assert_lost(&bad, ErrorKind::Truncated { available: 28 });
}

#[test]
fn bad_magic() {
    for m in [*b"PKT\x01", *b"pkt\0", *b"\0PKT", [0; 4], *b"PKT "] {
        let bad = Raw::new(&ids(b"a", b"b", &[]), b"x").magic(m).bytes();
        assert_lost(&bad, ErrorKind::BadMagic);
    }
}

#[test]
fn unsupported_version() {
    for v in [0u8, 2, 0x10, 255] {
        let bad = Raw::new(&ids(b"a", b"b", &[]), b"x").version(v).bytes();
        assert_lost(&bad, ErrorKind::UnsupportedVersion { version: v });
    }
}

#[test]
fn bad_header_len() {
    for n in [0u16, 1, 24, 25] {
        let bad = Raw::new(&ids(b"a", b"b", &[]), b"x").header_len(n).bytes();
        assert_lost(&bad, ErrorKind::BadHeaderLen { header_len: n });
    }
    // 26 is the minimum: two empty identifiers.
    let ok = Raw::new(&ids(b"", b"", &[]), b"x").bytes();
    let p = Parser::new().parse_packet(&ok, 5).unwrap();
    assert_eq!((p.header_len, p.source_id, p.dest_id, p.offset), (26, "", "", 5));
}

#[test]
fn unterminated_source_id() {
    let pre_len = prefix().len() as u64;
    // The header ends right after "abc"; the 00 bytes exist only in the
    // payload, which must not be searched.
    let bad = Raw::new(b"abc", b"\0\0x\0").bytes();
    assert_lost(
        &bad,
        ErrorKind::UnterminatedId { field: IdField::Source, field_offset: pre_len + 24 },
    );
    // Same, with the 00 in the next packet.
    let bad = Raw::new(b"abc", b"").bytes();
    let next = good("", "", b"");
    let input = cat(&[&prefix(), &bad, &next]);
    let mut want = prefix_records();
    want.push(R::E(Error::new(
        pre_len,
        ErrorKind::UnterminatedId { field: IdField::Source, field_offset: pre_len + 24 },
    )));
    assert_eq!(summary(Parser::new(), &input, false), want);
}

#[test]
fn unterminated_dest_id() {
    let pre_len = prefix().len() as u64;
    // SOURCE_ID "src" 00, DEST_ID "de" without 00; a 00 in the payload.
    let bad = Raw::new(b"src\0de", b"\0").bytes();
    assert_lost(
        &bad,
        ErrorKind::UnterminatedId { field: IdField::Dest, field_offset: pre_len + 24 + 4 },
    );
    // Empty dest area: SOURCE_ID ends exactly at HEADER_LEN.
    let bad = Raw::new(b"s\0", b"\0\0").bytes();
    assert_lost(
        &bad,
        ErrorKind::UnterminatedId { field: IdField::Dest, field_offset: pre_len + 26 },
    );
}

#[test]
fn invalid_utf8() {
    let pre_len = prefix().len() as u64;
    let source = |field_offset| ErrorKind::InvalidUtf8 { field: IdField::Source, field_offset };
    let dest = |field_offset| ErrorKind::InvalidUtf8 { field: IdField::Dest, field_offset };
    // Invalid byte, lone continuation, truncated 2-byte sequence, overlong
    // encoding, surrogate.
    for bytes in [&b"\xff"[..], b"a\x80", b"ab\xc3", b"\xc0\xaf", b"\xed\xa0\x80"] {
        let bad = Raw::new(&ids(bytes, b"ok", &[]), b"p").bytes();
        assert_lost(&bad, source(pre_len + 24));
        let bad = Raw::new(&ids("é".as_bytes(), bytes, &[]), b"p").bytes();
        assert_lost(&bad, dest(pre_len + 24 + 3));
    }
}

#[test]
fn checksum_mismatch() {
    let pre = prefix();
    let off = pre.len();
    // CRC-32 of "hi" is 0xD8932AAC (pkt-format.md's worked example).
    let bad = Raw::new(&ids(b"a", b"bc", &[]), b"hi").checksum(0x1234_5678).bytes();
    let next = good("n", "m", b"");
    let input = cat(&[&pre, &bad, &next]);
    let kind = ErrorKind::ChecksumMismatch { stored: 0x1234_5678, computed: 0xD893_2AAC };

    let p = Parser::new().parse_packet(&input[off..], off as u64).unwrap();
    assert_eq!(p.checksum, 0x1234_5678);
    assert_eq!(p.computed_checksum(), Some(0xD893_2AAC));
    assert_eq!(p.checksum_ok(), Some(false));
    assert!(!p.is_valid());
    assert_eq!(p.errors().collect::<Vec<_>>(), vec![Error::new(off as u64, kind)]);

    let mut want = prefix_records();
    want.extend([pkt(off, 31), err(off, kind), pkt(off + 31, next.len())]);
    assert_eq!(summary(Parser::new(), &input, false), want);
    assert_eq!(summary(Parser::new(), &input, true), want);

    // Empty payload: computed CRC is 0.
    let bad = Raw::new(&ids(b"", b"", &[]), b"").checksum(7).bytes();
    let p = Parser::new().parse_packet(&bad, 3).unwrap();
    let want = Error::new(3, ErrorKind::ChecksumMismatch { stored: 7, computed: 0 });
    assert_eq!(p.errors().collect::<Vec<_>>(), vec![want]);
}

/// `area` after ids "s"/"d": the packet at `off` has its extension area at
/// `off + 24 + 2 + 2`.
fn malformed_case(area: &[u8], first_bad: usize, good_records: &[(u8, &[u8])]) {
    let pre = prefix();
    let off = pre.len();
    let bad = Raw::new(&ids(b"s", b"d", area), b"pay").bytes();
    let next = good("n", "m", b"z");
    let input = cat(&[&pre, &bad, &next]);
    let record_offset = (off + 28 + first_bad) as u64;
    let kind = ErrorKind::MalformedExtension { record_offset };

    let p = Parser::new().parse_packet(&input[off..], off as u64).unwrap();
    assert_eq!(p.malformed_extension_offset(), Some(record_offset));
    assert_eq!(p.extension_area(), area);
    assert_eq!(p.checksum_ok(), Some(true));
    assert!(!p.is_valid());
    // The iterator yields the records that fit, then stops.
    let exts: Vec<(u8, Vec<u8>)> =
        p.extensions().map(|e| (e.ty.to_byte(), e.value.to_vec())).collect();
    let want_exts: Vec<(u8, Vec<u8>)> =
        good_records.iter().map(|(t, v)| (*t, v.to_vec())).collect();
    assert_eq!(exts, want_exts);

    let mut want = prefix_records();
    want.extend([pkt(off, bad.len()), err(off, kind), pkt(off + bad.len(), next.len())]);
    assert_eq!(summary(Parser::new(), &input, false), want);
    assert_eq!(summary(Parser::new(), &input, true), want);
}

#[test]
fn malformed_extension_head_runs_past() {
    malformed_case(&[1], 0, &[]);
    malformed_case(&[1, 0], 0, &[]);
}

#[test]
fn malformed_extension_value_runs_past() {
    // LENGTH 5, only 2 value bytes before HEADER_LEN.
    malformed_case(&[4, 5, 0, b'a', b'b'], 0, &[]);
    // LENGTH 0xFFFF.
    malformed_case(&[9, 0xFF, 0xFF], 0, &[]);
}

#[test]
fn malformed_extension_second_record() {
    let first = tlv(2, b"key");
    // A good record (6 bytes) then a head that runs past.
    malformed_case(&cat(&[&first, &[3, 1]]), 6, &[(2, b"key")]);
    // A good record then a value that runs past.
    malformed_case(&cat(&[&first, &tlv(0, b""), &[200, 3, 0, 1]]), 9, &[(2, b"key"), (0, b"")]);
}

#[test]
fn well_formed_extensions_decode() {
    let area = cat(&[
        &tlv(1, b"m"),
        &tlv(2, b""),
        &tlv(3, b"cc"),
        &tlv(4, b"r"),
        &tlv(0, b"z"),
        &tlv(255, b"ff"),
    ]);
    let bytes = Raw::new(&ids(b"s", b"d", &area), b"").bytes();
    let p = Parser::new().parse_packet(&bytes, 0).unwrap();
    assert!(p.is_valid());
    let got: Vec<_> = p.extensions().map(|e| (e.ty, e.value)).collect();
    assert_eq!(
        got,
        vec![
            (ExtensionType::Metadata, &b"m"[..]),
            (ExtensionType::Encryption, &b""[..]),
            (ExtensionType::Compression, &b"cc"[..]),
            (ExtensionType::Routing, &b"r"[..]),
            (ExtensionType::Custom(0), &b"z"[..]),
            (ExtensionType::Custom(255), &b"ff"[..]),
        ]
    );
}

#[test]
fn too_large_keeps_framing() {
    let pre = prefix(); // packets of 31 and 41 bytes
    let off = pre.len();
    let big = good("big", "", &[7u8; 60]); // 24 + 4 + 1 + 60 = 89
    assert_eq!(big.len(), 89);
    let exact = good("e", "", &[1u8; 61 - 27]); // exactly the limit
    assert_eq!(exact.len(), 61);
    let next = good("n", "m", b"z");
    let input = cat(&[&pre, &big, &exact, &next]);
    let parser = Parser::new().max_packet_size(Some(61));
    let kind = ErrorKind::TooLarge { size: 89, limit: 61 };

    assert_eq!(parser.parse_packet(&input[off..], off as u64), Err(Error::new(off as u64, kind)));
    let mut want = prefix_records();
    want.extend([err(off, kind), pkt(off + 89, 61), pkt(off + 150, next.len())]);
    assert_eq!(summary(parser, &input, false), want);
    assert_eq!(summary(parser, &input, true), want);

    let packets: Vec<_> = parser.packets(&input).map(|r| r.map(|p| p.offset)).collect();
    let o = off as u64;
    assert_eq!(packets, vec![Ok(0), Ok(31), Err(Error::new(o, kind)), Ok(o + 89), Ok(o + 150)]);

    // Without a limit the big packet is fine.
    assert!(Parser::new().parse_packet(&big, 0).unwrap().is_valid());
}

// ---------------------------------------------------------------- check order

#[test]
fn order_truncated_before_magic() {
    // 23 bytes of garbage: Truncated, not BadMagic.
    assert_lost(&[0xAA; 23], ErrorKind::Truncated { available: 23 });
}

#[test]
fn order_magic_before_version_and_header_len() {
    let bad =
        Raw::new(&ids(b"a", b"b", &[]), b"").magic(*b"XKT\0").version(9).header_len(3).bytes();
    assert_lost(&bad, ErrorKind::BadMagic);
}

#[test]
fn order_version_before_header_len() {
    let bad = Raw::new(&ids(b"a", b"b", &[]), b"").version(2).header_len(25).bytes();
    assert_lost(&bad, ErrorKind::UnsupportedVersion { version: 2 });
}

#[test]
fn order_header_len_before_truncated_payload() {
    let bad = Raw::new(&ids(b"a", b"b", &[]), b"").header_len(0).payload_len(1000).bytes();
    assert_lost(&bad, ErrorKind::BadHeaderLen { header_len: 0 });
}

#[test]
fn order_truncated_before_ids() {
    // SOURCE_ID unterminated and the payload is 7 bytes short.
    let bad = Raw::new(b"abc", b"xyz").payload_len(10).bytes();
    assert_lost(&bad, ErrorKind::Truncated { available: 30 });
    // Invalid UTF-8 and short.
    let bad = Raw::new(&ids(b"\xff", b"\xff", &[]), b"").payload_len(1).bytes();
    assert_lost(&bad, ErrorKind::Truncated { available: bad.len() as u64 });
}

#[test]
fn order_source_terminator_before_source_utf8() {
    let pre_len = prefix().len() as u64;
    let bad = Raw::new(b"\xff\xfe", b"").bytes();
    assert_lost(
        &bad,
        ErrorKind::UnterminatedId { field: IdField::Source, field_offset: pre_len + 24 },
    );
}

#[test]
fn order_source_utf8_before_dest() {
    let pre_len = prefix().len() as u64;
    // Invalid source, unterminated dest.
    let bad = Raw::new(b"\xff\0dd", b"").bytes();
    assert_lost(
        &bad,
        ErrorKind::InvalidUtf8 { field: IdField::Source, field_offset: pre_len + 24 },
    );
    // Invalid source, invalid dest.
    let bad = Raw::new(&ids(b"\xff", b"\xff", &[]), b"").bytes();
    assert_lost(
        &bad,
        ErrorKind::InvalidUtf8 { field: IdField::Source, field_offset: pre_len + 24 },
    );
}

#[test]
fn order_dest_terminator_before_dest_utf8() {
    let pre_len = prefix().len() as u64;
    let bad = Raw::new(b"s\0\xff", b"\0").bytes();
    assert_lost(
        &bad,
        ErrorKind::UnterminatedId { field: IdField::Dest, field_offset: pre_len + 26 },
    );
}

#[test]
fn order_framing_lost_beats_framing_kept() {
    let pre_len = prefix().len() as u64;
    // Invalid dest UTF-8, malformed extension area and a bad CRC: only the
    // framing-lost error, and no packet record.
    let bad = Raw::new(&ids(b"s", b"\xc3", &[1, 9]), b"p").checksum(1).bytes();
    assert_lost(&bad, ErrorKind::InvalidUtf8 { field: IdField::Dest, field_offset: pre_len + 26 });
}

#[test]
fn order_malformed_extension_then_checksum() {
    let pre = prefix();
    let off = pre.len();
    let bad = Raw::new(&ids(b"s", b"d", &[5, 10, 0, 1]), b"hi").checksum(0).bytes();
    let next = good("", "", b"");
    let input = cat(&[&pre, &bad, &next]);
    let mut want = prefix_records();
    want.extend([
        pkt(off, bad.len()),
        err(off, ErrorKind::MalformedExtension { record_offset: (off + 28) as u64 }),
        err(off, ErrorKind::ChecksumMismatch { stored: 0, computed: 0xD893_2AAC }),
        pkt(off + bad.len(), 26),
    ]);
    assert_eq!(summary(Parser::new(), &input, false), want);
    assert_eq!(summary(Parser::new(), &input, true), want);
    // Packets gives the first of the two, then goes on.
    let packets: Vec<_> = Parser::new().packets(&input).map(|r| r.map(|p| p.offset)).collect();
    let o = off as u64;
    assert_eq!(
        packets,
        vec![
            Ok(0),
            Ok(31),
            Err(Error::new(o, ErrorKind::MalformedExtension { record_offset: o + 28 })),
            Ok(o + bad.len() as u64),
        ]
    );
}

#[test]
fn order_truncated_before_too_large() {
    // Over the limit but incomplete: Truncated, as without a limit.
    let full = good("big", "", &[7u8; 60]);
    let parser = Parser::new().max_packet_size(Some(50));
    assert_lost_with(parser, &full[..80], ErrorKind::Truncated { available: 80 });
    // Too large and a bad CRC: TooLarge replaces the packet record.
    let bad = Raw::new(&ids(b"big", b"", &[]), &[7u8; 60]).checksum(3).bytes();
    let input = cat(&[&prefix(), &bad]);
    let mut want = prefix_records();
    want.push(err(72, ErrorKind::TooLarge { size: 89, limit: 80 }));
    assert_eq!(summary(Parser::new().max_packet_size(Some(80)), &input, false), want);
}

// ---------------------------------------------------------------- Display

#[test]
fn display_is_one_line_with_offset() {
    let kinds = [
        ErrorKind::Truncated { available: 3 },
        ErrorKind::BadMagic,
        ErrorKind::UnsupportedVersion { version: 2 },
        ErrorKind::BadHeaderLen { header_len: 25 },
        ErrorKind::UnterminatedId { field: IdField::Source, field_offset: 9 },
        ErrorKind::InvalidUtf8 { field: IdField::Dest, field_offset: 9 },
        ErrorKind::ChecksumMismatch { stored: 1, computed: 2 },
        ErrorKind::MalformedExtension { record_offset: 9 },
        ErrorKind::TooLarge { size: 10, limit: 5 },
    ];
    for kind in kinds {
        let text = Error::new(987_654_321, kind).to_string();
        assert!(!text.contains('\n'), "{text:?}");
        assert!(text.contains("987654321"), "{text:?}");
        assert!(!text.is_empty());
    }
}

// ---------------------------------------------------------------- truncation everywhere

#[test]
fn truncation_at_every_byte() {
    let pre = prefix();
    let off = pre.len();
    let area = cat(&[&tlv(1, b"k=v"), &tlv(200, b""), &tlv(3, &[0; 5])]);
    let full = Raw::new(&ids("sensör".as_bytes(), b"hub", &area), b"the payload PKT\0").bytes();
    assert!(Parser::new().parse_packet(&full, 0).unwrap().is_valid());
    for k in 0..full.len() {
        let input = cat(&[&pre, &full[..k]]);
        let mut want = prefix_records();
        if k > 0 {
            want.push(err(off, ErrorKind::Truncated { available: k as u64 }));
        }
        assert_eq!(summary(Parser::new(), &input, false), want, "k = {k}");
        if k > 0 {
            want.push(skip(off, k));
        }
        assert_eq!(summary(Parser::new(), &input, true), want, "k = {k} (recover)");
        let got: Vec<_> = Parser::new().packets(&input).map(|r| r.map(|p| p.offset)).collect();
        let mut want_packets = vec![Ok(0), Ok(31)];
        if k > 0 {
            let kind = ErrorKind::Truncated { available: k as u64 };
            want_packets.push(Err(Error::new(off as u64, kind)));
        }
        assert_eq!(got, want_packets, "k = {k} (Packets)");
    }
    // And the whole packet parses.
    let input = cat(&[&pre, &full]);
    let mut want = prefix_records();
    want.push(pkt(off, full.len()));
    assert_eq!(summary(Parser::new(), &input, false), want);
}

// ---------------------------------------------------------------- recovery

#[test]
fn recover_garbage_between_packets() {
    let p0 = good("a", "b", b"one");
    let p1 = good("c", "d", b"two");
    let garbage = b"garbage";
    let input = cat(&[&p0, garbage, &p1]);
    let n0 = p0.len();
    let want = vec![
        pkt(0, n0),
        err(n0, ErrorKind::BadMagic),
        skip(n0, garbage.len()),
        pkt(n0 + garbage.len(), p1.len()),
    ];
    assert_eq!(summary(Parser::new(), &input, true), want);
    assert_eq!(summary(Parser::new(), &input, false), want[..2].to_vec());

    // One byte of garbage: the next packet starts at offset + 1.
    let input = cat(&[&p0, b"Z", &p1]);
    let want = vec![pkt(0, n0), err(n0, ErrorKind::BadMagic), skip(n0, 1), pkt(n0 + 1, p1.len())];
    assert_eq!(summary(Parser::new(), &input, true), want);
}

#[test]
fn recover_corrupted_header_mid_stream() {
    let ps: Vec<Vec<u8>> =
        (0..4).map(|i| good(&format!("s{i}"), "d", &vec![i as u8; 10 * i])).collect();
    let mut corrupt = ps.clone();
    corrupt[1][4] = 7; // VERSION
    let input = corrupt.concat();
    let o: Vec<usize> = ps
        .iter()
        .scan(0, |acc, p| {
            let o = *acc;
            *acc += p.len();
            Some(o)
        })
        .collect();
    let want = vec![
        pkt(0, ps[0].len()),
        err(o[1], ErrorKind::UnsupportedVersion { version: 7 }),
        skip(o[1], ps[1].len()),
        pkt(o[2], ps[2].len()),
        pkt(o[3], ps[3].len()),
    ];
    assert_eq!(summary(Parser::new(), &input, true), want);
    assert_eq!(summary(Parser::new(), &input, false), want[..2].to_vec());
    assert_eq!(
        Parser::new().packets(&input).map(|r| r.map(|p| p.offset)).collect::<Vec<_>>(),
        vec![Ok(0), Err(Error::new(o[1] as u64, ErrorKind::UnsupportedVersion { version: 7 }))]
    );
}

#[test]
fn recover_resyncs_inside_a_payload() {
    // A packet whose header is broken carries a complete valid packet in its
    // payload: that inner packet is the next valid `PKT\0`.
    let inner = good("in", "ner", b"x");
    let outer = Raw::new(&ids(b"o", b"", &[]), &cat(&[b"abc", &inner, b"de"])).version(3).bytes();
    let p0 = good("a", "b", b"");
    let input = cat(&[&p0, &outer]);
    let n0 = p0.len();
    let inner_at = n0 + 24 + 3 + 3;
    assert_eq!(&input[inner_at..inner_at + 4], b"PKT\0");
    let want = vec![
        pkt(0, n0),
        err(n0, ErrorKind::UnsupportedVersion { version: 3 }),
        skip(n0, inner_at - n0),
        pkt(inner_at, inner.len()),
        err(inner_at + inner.len(), ErrorKind::Truncated { available: 2 }),
        skip(inner_at + inner.len(), 2),
    ];
    assert_eq!(summary(Parser::new(), &input, true), want);
}

#[test]
fn recover_passes_over_fake_candidates() {
    let p0 = good("a", "b", b"one");
    let p1 = good("c", "d", b"two");
    let mut garbage = b"##PKT\0".to_vec(); // candidate whose VERSION is 'P'
    garbage.extend(Raw::new(&ids(b"a", b"b", &[]), b"").version(2).bytes());
    garbage.extend(Raw::new(&ids(b"a", b"b", &[]), b"").header_len(25).bytes());
    garbage.extend(Raw::new(b"unterminated", b"").bytes());
    garbage.extend(Raw::new(&ids(b"\xff", b"b", &[]), b"").bytes());
    garbage.extend(Raw::new(&ids(b"a", b"b", &[]), b"").payload_len(100_000).bytes());
    garbage.extend(b"PKT\0PKT\0");
    let input = cat(&[&p0, &garbage, &p1]);
    let n0 = p0.len();
    let want = vec![
        pkt(0, n0),
        err(n0, ErrorKind::BadMagic),
        skip(n0, garbage.len()),
        pkt(n0 + garbage.len(), p1.len()),
    ];
    assert_eq!(summary(Parser::new(), &input, true), want);
}

#[test]
fn recover_bad_crc_or_malformed_candidate_is_not_a_resync_point() {
    let p0 = good("a", "b", b"one");
    let p1 = good("c", "d", b"two");
    let bad_crc = Raw::new(&ids(b"x", b"y", &[]), b"data").checksum(0xDEAD_BEEF).bytes();
    let malformed = Raw::new(&ids(b"x", b"y", &[1, 1]), b"data").bytes();
    let n0 = p0.len();
    for candidate in [&bad_crc, &malformed] {
        let input = cat(&[&p0, b"junk!", candidate, &p1]);
        let skipped = 5 + candidate.len();
        let want = vec![
            pkt(0, n0),
            err(n0, ErrorKind::BadMagic),
            skip(n0, skipped),
            pkt(n0 + skipped, p1.len()),
        ];
        assert_eq!(summary(Parser::new(), &input, true), want);
    }
    // Without the junk in front, the same packet is a packet record with
    // its error: it is only "not a resync point", not unreadable.
    let input = cat(&[&p0, &bad_crc, &p1]);
    let kind =
        ErrorKind::ChecksumMismatch { stored: 0xDEAD_BEEF, computed: crc32fast::hash(b"data") };
    let want =
        vec![pkt(0, n0), pkt(n0, bad_crc.len()), err(n0, kind), pkt(n0 + bad_crc.len(), p1.len())];
    assert_eq!(summary(Parser::new(), &input, true), want);
}

#[test]
fn recover_too_large_candidate_is_not_a_resync_point() {
    let p0 = good("a", "b", b"");
    let big = good("big", "", &[0u8; 100]);
    let p1 = good("c", "d", b"");
    let input = cat(&[&p0, b"??", &big, &p1]);
    let n0 = p0.len();
    let parser = Parser::new().max_packet_size(Some(64));
    let want = vec![
        pkt(0, n0),
        err(n0, ErrorKind::BadMagic),
        skip(n0, 2 + big.len()),
        pkt(n0 + 2 + big.len(), p1.len()),
    ];
    assert_eq!(summary(parser, &input, true), want);
}

#[test]
fn recover_to_end_of_input() {
    let p0 = good("a", "b", b"one");
    let n0 = p0.len();
    // Garbage then a truncated packet: nothing valid follows.
    let p1 = good("c", "d", b"two");
    let input = cat(&[&p0, b"zz", &p1[..p1.len() - 1]]);
    let want = vec![pkt(0, n0), err(n0, ErrorKind::BadMagic), skip(n0, 2 + p1.len() - 1)];
    assert_eq!(summary(Parser::new(), &input, true), want);
    // Fewer than 24 bytes at the end.
    let input = cat(&[&p0, b"tail"]);
    let want = vec![pkt(0, n0), err(n0, ErrorKind::Truncated { available: 4 }), skip(n0, 4)];
    assert_eq!(summary(Parser::new(), &input, true), want);
    // Only garbage.
    let input = vec![0x55u8; 100];
    let want = vec![err(0, ErrorKind::BadMagic), skip(0, 100)];
    assert_eq!(summary(Parser::new(), &input, true), want);
    // Empty input: no records at all.
    assert_eq!(summary(Parser::new(), &[], true), vec![]);
    assert_eq!(Parser::new().packets(&[]).count(), 0);
}

#[test]
fn strict_stops_at_framing_lost_but_not_at_framing_kept() {
    let parser = Parser::new().max_packet_size(Some(100));
    let p0 = good("a", "b", b"0");
    let bad_crc = Raw::new(&ids(b"c", b"", &[]), b"hi").checksum(5).bytes();
    let malformed = Raw::new(&ids(b"m", b"", &[7]), b"").bytes();
    let big = good("big", "", &[1; 200]);
    let p1 = good("e", "f", b"1");
    let garbage = b"not a packet, not at all";
    let p2 = good("g", "h", b"2");
    let parts: [&[u8]; 7] = [&p0, &bad_crc, &malformed, &big, &p1, garbage, &p2];
    let o: Vec<usize> = parts
        .iter()
        .scan(0, |acc, p| {
            let o = *acc;
            *acc += p.len();
            Some(o)
        })
        .collect();
    let input = parts.concat();
    let crc = ErrorKind::ChecksumMismatch { stored: 5, computed: 0xD893_2AAC };
    let mal = ErrorKind::MalformedExtension { record_offset: (o[2] + 24 + 3) as u64 };
    let large = ErrorKind::TooLarge { size: big.len() as u64, limit: 100 };
    let strict = vec![
        pkt(o[0], p0.len()),
        pkt(o[1], bad_crc.len()),
        err(o[1], crc),
        pkt(o[2], malformed.len()),
        err(o[2], mal),
        err(o[3], large),
        pkt(o[4], p1.len()),
        err(o[5], ErrorKind::BadMagic),
    ];
    assert_eq!(summary(parser, &input, false), strict);
    let mut recover = strict.clone();
    recover.extend([skip(o[5], garbage.len()), pkt(o[6], p2.len())]);
    assert_eq!(summary(parser, &input, true), recover);

    // Packets: Ok for valid packets, the first error of a damaged one, the
    // framing-lost error last, then nothing (fused).
    let mut it = parser.packets(&input);
    let mut got = Vec::new();
    for r in it.by_ref() {
        got.push(r.map(|p| p.offset));
    }
    let e = |i: usize, k| Err(Error::new(o[i] as u64, k));
    assert_eq!(
        got,
        vec![Ok(0), e(1, crc), e(2, mal), e(3, large), Ok(o[4] as u64), e(5, ErrorKind::BadMagic),]
    );
    assert!(it.next().is_none());
    assert_eq!(it.position(), input.len());
}

#[test]
fn records_and_packets_with_a_base_offset() {
    // A slice that starts at absolute offset 1000 of a larger input.
    let p0 = good("a", "b", b"x");
    let bad = Raw::new(&ids(b"a", b"b", &[]), b"").magic(*b"PKT!").bytes();
    let p1 = good("c", "d", b"y");
    let slice = cat(&[&p0, &bad, &p1]);
    let base = 1000u64;
    let got: Vec<R> = zcpkt::Records::new(Parser::new(), &slice, base, true)
        .map(|r| match r {
            Record::Packet(p) => R::P(p.offset, p.len() as u64),
            Record::Error(e) => R::E(e),
            Record::Skipped(s) => R::S(s.offset, s.len),
        })
        .collect();
    let n0 = p0.len() as u64;
    let nb = bad.len() as u64;
    assert_eq!(
        got,
        vec![
            R::P(base, n0),
            R::E(Error::new(base + n0, ErrorKind::BadMagic)),
            R::S(base + n0, nb),
            R::P(base + n0 + nb, p1.len() as u64),
        ]
    );
    let got: Vec<_> =
        zcpkt::Packets::new(Parser::new(), &slice, base).map(|r| r.map(|p| p.offset)).collect();
    assert_eq!(got, vec![Ok(base), Err(Error::new(base + n0, ErrorKind::BadMagic))]);
}

// ---------------------------------------------------------------- checksum off

#[test]
fn verify_checksum_off() {
    let parser = Parser::new().verify_checksum(false);
    assert!(!parser.verifies_checksum());
    let p0 = good("a", "b", b"ok");
    let bad_crc = Raw::new(&ids(b"c", b"d", &[]), b"hi").checksum(0xFFFF_FFFF).bytes();
    let malformed = Raw::new(&ids(b"c", b"d", &[1, 2]), b"hi").checksum(1).bytes();
    let input = cat(&[&p0, &bad_crc, &malformed]);
    let n0 = p0.len();
    let nb = bad_crc.len();

    let p = parser.parse_packet(&input[n0..], n0 as u64).unwrap();
    assert_eq!(p.checksum_ok(), None);
    assert_eq!(p.computed_checksum(), None);
    assert_eq!(p.checksum, 0xFFFF_FFFF);
    assert!(p.is_valid());
    assert_eq!(p.errors().count(), 0);
    assert_eq!(parser.parse_packet(&p0, 0).unwrap().checksum_ok(), None);

    // No ChecksumMismatch anywhere; the malformed area is still reported.
    let want = vec![
        pkt(0, n0),
        pkt(n0, nb),
        pkt(n0 + nb, malformed.len()),
        err(n0 + nb, ErrorKind::MalformedExtension { record_offset: (n0 + nb + 28) as u64 }),
    ];
    assert_eq!(summary(parser, &input, false), want);
    assert_eq!(summary(parser, &input, true), want);
    let got: Vec<_> = parser.packets(&input).map(|r| r.is_ok()).collect();
    assert_eq!(got, vec![true, true, false]);
}

/// Only a TooLarge error stands for a packet whose framing was kept (its
/// size), which `check`, `stats` and `info` count as a packet.
#[test]
fn only_too_large_stands_for_a_framed_packet() {
    let too_large = ErrorKind::TooLarge { size: 70_000, limit: 65_536 };
    assert_eq!(too_large.framed_packet_size(), Some(70_000));
    for kind in [ErrorKind::BadMagic, ErrorKind::Truncated { available: 3 }] {
        assert_eq!(kind.framed_packet_size(), None, "{kind:?}");
    }
}
