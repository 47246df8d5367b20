//! Property tests: encode/parse round trips, sequences, no panics and the
//! record-stream invariants on arbitrary and damaged input, encoder errors.
//!
//! Case counts are moderate; `PROPTEST_CASES` overrides them.

use proptest::prelude::*;
use proptest::sample::Index;
use zcpkt::{
    EncodeError, Error, ErrorKind, Extension, ExtensionType, IdField, NewPacket, Packet,
    PacketFlags, Parser, Record,
};

mod support;
use support::{config, Spec};

/// Any UTF-8 text without NUL: empty, arbitrary chars, multi-byte heavy.
fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        any::<String>().prop_map(|s| s.replace('\0', "")),
        "[a-zé日😀\u{7f}\u{80}\u{ffff}]{0,12}",
    ]
}

fn spec(max_payload: usize, max_ext: usize) -> impl Strategy<Value = Spec> {
    (
        any::<u8>(),
        any::<u64>(),
        id(),
        id(),
        prop::collection::vec((any::<u8>(), prop::collection::vec(any::<u8>(), 0..max_ext)), 0..5),
        prop::collection::vec(any::<u8>(), 0..max_payload),
    )
        .prop_map(|(flags, timestamp, source, dest, exts, payload)| Spec {
            flags,
            timestamp,
            source,
            dest,
            exts,
            payload,
        })
}

/// Checks a parsed packet against the spec it was encoded from.
fn assert_matches(p: &Packet, s: &Spec, offset: u64) {
    assert_eq!(p.offset, offset);
    assert_eq!(p.version, 1);
    assert_eq!(p.flags.bits(), s.flags);
    assert_eq!(usize::from(p.header_len), s.header_len());
    assert_eq!(p.payload_len as usize, s.payload.len());
    assert_eq!(p.checksum, crc32fast::hash(&s.payload));
    assert_eq!(p.timestamp, s.timestamp);
    assert_eq!(p.source_id, s.source);
    assert_eq!(p.dest_id, s.dest);
    assert_eq!(p.payload, &s.payload[..]);
    let exts: Vec<(u8, Vec<u8>)> =
        p.extensions().map(|e| (e.ty.to_byte(), e.value.to_vec())).collect();
    assert_eq!(exts, s.exts);
    for (e, (t, _)) in p.extensions().zip(&s.exts) {
        let want = match t {
            1 => ExtensionType::Metadata,
            2 => ExtensionType::Encryption,
            3 => ExtensionType::Compression,
            4 => ExtensionType::Routing,
            other => ExtensionType::Custom(*other),
        };
        assert_eq!(e.ty, want);
    }
    assert_eq!(p.checksum_ok(), Some(true));
    assert_eq!(p.malformed_extension_offset(), None);
    assert!(p.is_valid());
    assert_eq!(p.errors().count(), 0);
    assert_eq!(p.len(), s.header_len() + s.payload.len());
    assert_eq!(p.end_offset(), offset + p.len() as u64);
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn round_trip(s in spec(2048, 64)) {
        let bytes = s.encode();
        // The encoder writes the layout of pkt-format.md.
        prop_assert_eq!(&bytes[..4], b"PKT\0");
        prop_assert_eq!(bytes[4], 1);
        prop_assert_eq!(bytes[5], s.flags);
        prop_assert_eq!(usize::from(u16::from_le_bytes([bytes[6], bytes[7]])), s.header_len());
        prop_assert_eq!(u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize, s.payload.len());
        prop_assert_eq!(u32::from_le_bytes(bytes[12..16].try_into().unwrap()), crc32fast::hash(&s.payload));
        prop_assert_eq!(u64::from_le_bytes(bytes[16..24].try_into().unwrap()), s.timestamp);
        prop_assert_eq!(&bytes[24..24 + s.source.len()], s.source.as_bytes());
        prop_assert_eq!(bytes[24 + s.source.len()], 0);

        let p = Parser::new().parse_packet(&bytes, 0).unwrap();
        assert_matches(&p, &s, 0);
        prop_assert_eq!(p.as_bytes(), &bytes[..]);

        // Re-encoding the parsed packet gives identical bytes (reserved flag
        // bits included), via encode and write_to.
        let again = NewPacket::from_packet(&p);
        let mut buf = vec![0u8; bytes.len()];
        prop_assert_eq!(again.encode(&mut buf), Ok(bytes.len()));
        prop_assert_eq!(&buf, &bytes);
        let mut written = Vec::new();
        prop_assert_eq!(again.write_to(&mut written).unwrap(), bytes.len());
        prop_assert_eq!(&written, &bytes);

        // At a non-zero absolute offset, after arbitrary bytes.
        let mut shifted = vec![0xEEu8; 13];
        shifted.extend_from_slice(&bytes);
        let p = Parser::new().parse_packet(&shifted[13..], 1_000_013).unwrap();
        assert_matches(&p, &s, 1_000_013);
    }

    #[test]
    fn all_flag_values_kept(flags in any::<u8>(), ts in any::<u64>()) {
        let s = Spec { flags, timestamp: ts, source: "s".into(), dest: String::new(), exts: vec![], payload: vec![1] };
        let bytes = s.encode();
        let p = Parser::new().parse_packet(&bytes, 0).unwrap();
        prop_assert_eq!(p.flags.bits(), flags);
        prop_assert_eq!(p.flags.reserved_bits(), flags & 0xF0);
        let mut buf = vec![0u8; bytes.len()];
        NewPacket::from_packet(&p).encode(&mut buf).unwrap();
        prop_assert_eq!(buf[5], flags);
    }

    #[test]
    fn sequences_parse_back_in_order(specs in prop::collection::vec(spec(256, 16), 0..10)) {
        let encoded: Vec<Vec<u8>> = specs.iter().map(Spec::encode).collect();
        let input = encoded.concat();
        let mut offsets = Vec::new();
        let mut at = 0u64;
        for e in &encoded {
            offsets.push(at);
            at += e.len() as u64;
        }
        let parser = Parser::new();
        let packets: Vec<Packet> = parser.packets(&input).map(Result::unwrap).collect();
        prop_assert_eq!(packets.len(), specs.len());
        for ((p, s), o) in packets.iter().zip(&specs).zip(&offsets) {
            assert_matches(p, s, *o);
        }
        let records: Vec<Record> = parser.records(&input, false).collect();
        prop_assert_eq!(records.len(), specs.len());
        for ((r, s), o) in records.iter().zip(&specs).zip(&offsets) {
            match r {
                Record::Packet(p) => assert_matches(p, s, *o),
                other => prop_assert!(false, "unexpected record {:?}", other),
            }
        }
        prop_assert_eq!(parser.records(&input, true).count(), specs.len());
    }
}

// ------------------------------------------------------------------ arbitrary input

fn parser() -> impl Strategy<Value = Parser> {
    (any::<bool>(), prop::option::of(0u64..400))
        .prop_map(|(verify, limit)| Parser::new().verify_checksum(verify).max_packet_size(limit))
}

/// A valid capture damaged by a few edits (flips, truncation, insertions of
/// garbage or of fake `PKT\0` candidates, deletions).
fn damaged() -> impl Strategy<Value = Vec<u8>> {
    let edit = (0u8..8, any::<Index>(), any::<u8>(), prop::collection::vec(any::<u8>(), 0..30));
    (prop::collection::vec(spec(80, 8), 0..7), prop::collection::vec(edit, 0..5)).prop_map(
        |(specs, edits)| {
            let mut bytes = Vec::new();
            let mut starts = Vec::new();
            for s in &specs {
                starts.push(bytes.len());
                bytes.extend(s.encode());
            }
            for (kind, index, byte, mut insert) in edits {
                let i = if bytes.is_empty() { 0 } else { index.index(bytes.len()) };
                match kind {
                    // A fixed-header field of a packet (VERSION, FLAGS,
                    // HEADER_LEN, PAYLOAD_LEN, CHECKSUM bytes).
                    6 | 7 if !starts.is_empty() => {
                        let at = starts[index.index(starts.len())] + 4 + usize::from(byte % 12);
                        if let Some(b) = bytes.get_mut(at) {
                            *b = if kind == 6 { byte % 40 } else { byte };
                        }
                    }
                    0 if !bytes.is_empty() => bytes[i] ^= byte | 1,
                    1 => bytes.truncate(i),
                    2 => {
                        bytes.splice(i..i, insert);
                    }
                    3 => {
                        insert.splice(0..0, *b"PKT\0\x01");
                        bytes.splice(i..i, insert);
                    }
                    4 => {
                        let end = (i + insert.len()).min(bytes.len());
                        bytes.drain(i..end);
                    }
                    _ if !bytes.is_empty() => bytes[i] = byte,
                    _ => bytes.extend(insert),
                }
            }
            bytes
        },
    )
}

fn input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..300),
        // Mostly header-like bytes: magic, version 1, small lengths.
        1 => prop::collection::vec(
            prop_oneof![
                Just(b'P'),
                Just(b'K'),
                Just(b'T'),
                Just(0u8),
                Just(1u8),
                Just(26u8),
                any::<u8>()
            ],
            0..300
        ),
        4 => damaged(),
    ]
}

fn is_valid_at(parser: &Parser, input: &[u8], at: usize) -> bool {
    matches!(parser.parse_packet(&input[at..], at as u64), Ok(p) if p.is_valid())
}

/// Checks every invariant of the recover-mode record stream, and that the
/// strict `Records` and `Packets` are its prefix.
fn check_streams(parser: Parser, input: &[u8]) {
    let len = input.len() as u64;
    let recs: Vec<Record> = parser.records(input, true).collect();
    let mut cursor = 0u64;
    let mut i = 0;
    // Index (exclusive) of the end of the strict stream.
    let mut strict_end = None;
    while i < recs.len() {
        let at = cursor as usize;
        match recs[i] {
            Record::Packet(p) => {
                assert_eq!(p.offset, cursor, "packet where one was expected");
                assert_eq!(parser.parse_packet(&input[at..], cursor), Ok(p));
                assert_eq!(p.len(), usize::from(p.header_len) + p.payload_len as usize);
                assert!(p.header_len >= 26);
                assert_eq!(p.as_bytes(), &input[at..at + p.len()]);
                assert_eq!(p.payload, &input[at + usize::from(p.header_len)..at + p.len()]);
                if let Some(limit) = parser.packet_size_limit() {
                    assert!(p.len() as u64 <= limit);
                }
                i += 1;
                // Its framing-kept errors, right after it, in order.
                let mut expected = Vec::new();
                if let Some(record_offset) = p.malformed_extension_offset() {
                    let area_start =
                        cursor + u64::from(p.header_len) - p.extension_area().len() as u64;
                    assert!(
                        record_offset >= area_start
                            && record_offset < cursor + u64::from(p.header_len)
                    );
                    expected.push(ErrorKind::MalformedExtension { record_offset });
                }
                let computed = crc32fast::hash(p.payload);
                if parser.verifies_checksum() {
                    assert_eq!(p.computed_checksum(), Some(computed));
                    if computed != p.checksum {
                        expected.push(ErrorKind::ChecksumMismatch { stored: p.checksum, computed });
                    }
                } else {
                    assert_eq!(p.checksum_ok(), None);
                }
                for kind in expected {
                    assert_eq!(recs.get(i), Some(&Record::Error(Error::new(cursor, kind))));
                    i += 1;
                }
                cursor += p.len() as u64;
            }
            Record::Error(e) => {
                assert_eq!(e.offset, cursor, "error where no packet was expected");
                assert_eq!(parser.parse_packet(&input[at..], cursor), Err(e));
                i += 1;
                match e.kind {
                    ErrorKind::TooLarge { size, limit } => {
                        assert_eq!(Some(limit), parser.packet_size_limit());
                        assert!(size > limit);
                        assert!(cursor + size <= len);
                        cursor += size;
                    }
                    kind if kind.keeps_framing() => panic!("{kind:?} without its packet"),
                    kind => {
                        match kind {
                            ErrorKind::Truncated { available } => {
                                assert_eq!(available, len - cursor)
                            }
                            ErrorKind::UnterminatedId { field: IdField::Source, field_offset }
                            | ErrorKind::InvalidUtf8 { field: IdField::Source, field_offset } => {
                                assert_eq!(field_offset, cursor + 24)
                            }
                            ErrorKind::UnterminatedId { field_offset, .. }
                            | ErrorKind::InvalidUtf8 { field_offset, .. } => {
                                assert!(field_offset > cursor + 24)
                            }
                            _ => {}
                        }
                        strict_end.get_or_insert(i);
                        let Some(Record::Skipped(s)) = recs.get(i) else {
                            panic!("no Skipped after {e:?}: {:?}", recs.get(i));
                        };
                        assert_eq!(s.offset, e.offset);
                        assert!(s.len >= 1 && cursor + s.len <= len);
                        // Nothing valid was jumped over...
                        for j in at + 1..at + s.len as usize {
                            assert!(!is_valid_at(&parser, input, j), "valid packet at {j} skipped");
                        }
                        i += 1;
                        cursor += s.len;
                        // ... and it lands on a valid packet or the end.
                        if cursor < len {
                            assert!(is_valid_at(&parser, input, cursor as usize));
                            assert!(matches!(recs.get(i), Some(Record::Packet(p)) if p.is_valid()));
                        }
                    }
                }
            }
            Record::Skipped(s) => panic!("Skipped {s:?} not right after its error"),
        }
    }
    assert_eq!(cursor, len, "records do not tile the input");

    // Strict Records: the recover stream up to the first framing-lost error.
    let strict: Vec<Record> = parser.records(input, false).collect();
    let end = strict_end.unwrap_or(recs.len());
    assert_eq!(strict, recs[..end]);

    // Packets: Ok for a valid packet, its first error for a damaged one,
    // every error that replaces a packet; fused.
    let mut want = Vec::new();
    let mut k = 0;
    while k < strict.len() {
        match strict[k] {
            Record::Packet(p) => {
                let errors = p.errors().count();
                want.push(if errors == 0 {
                    Ok(p)
                } else {
                    let Record::Error(e) = strict[k + 1] else { panic!() };
                    Err(e)
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
    assert!(packets.next().is_none());
}

proptest! {
    #![proptest_config(config(192))]

    #[test]
    fn record_stream_invariants(parser in parser(), input in input()) {
        check_streams(parser, &input);
    }

    #[test]
    fn parse_packet_never_panics(input in input(), offset in any::<u64>(), start in any::<Index>()) {
        let start = if input.is_empty() { 0 } else { start.index(input.len()) };
        let offset = offset / 2;
        for parser in [Parser::new(), Parser::new().verify_checksum(false).max_packet_size(Some(40))] {
            match parser.parse_packet(&input[start..], offset) {
                Ok(p) => {
                    prop_assert_eq!(p.offset, offset);
                    prop_assert!(p.len() <= input.len() - start);
                    let _ = p.extensions().count();
                    let _ = p.errors().count();
                }
                Err(e) => prop_assert_eq!(e.offset, offset),
            }
        }
    }
}

// ------------------------------------------------------------------ encoder errors

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn encode_id_with_nul(before in id(), after in id(), in_dest in any::<bool>(), other in id()) {
        let bad = format!("{before}\0{after}");
        let (source, dest, field) = if in_dest {
            (other.as_str(), bad.as_str(), IdField::Dest)
        } else {
            (bad.as_str(), other.as_str(), IdField::Source)
        };
        let packet = NewPacket::new(source, dest, b"");
        let want = EncodeError::IdContainsNul { field, at: before.len() };
        prop_assert_eq!(packet.header_len(), Err(want));
        let mut buf = [0u8; 512];
        prop_assert_eq!(packet.encode(&mut buf), Err(want));
    }

    #[test]
    fn encode_header_length_limit(a in 64_900usize..65_500, b in 0usize..8, ext in prop::collection::vec(0usize..40, 0..3)) {
        let source = "x".repeat(a);
        let dest = "é".repeat(b);
        let values: Vec<Vec<u8>> = ext.iter().map(|n| vec![0u8; *n]).collect();
        let exts: Vec<Extension> = values.iter().map(|v| Extension { ty: ExtensionType::Custom(9), value: v }).collect();
        let len = 24 + source.len() + 1 + dest.len() + 1 + ext.iter().map(|n| 3 + n).sum::<usize>();
        let packet = NewPacket::new(&source, &dest, b"p").extensions(&exts);
        if len <= 65_535 {
            prop_assert_eq!(packet.header_len(), Ok(len as u16));
            let mut buf = vec![0u8; len + 1];
            prop_assert_eq!(packet.encode(&mut buf), Ok(len + 1));
            let p = Parser::new().parse_packet(&buf, 0).unwrap();
            prop_assert_eq!(usize::from(p.header_len), len);
        } else {
            prop_assert_eq!(packet.header_len(), Err(EncodeError::HeaderTooLong { len }));
            let mut buf = vec![0u8; len + 1];
            prop_assert_eq!(packet.encode(&mut buf), Err(EncodeError::HeaderTooLong { len }));
        }
    }

    #[test]
    fn encode_buffer_too_small(s in spec(300, 16), short in any::<Index>()) {
        let bytes = s.encode();
        let needed = bytes.len();
        let available = short.index(needed); // 0 ..= needed - 1
        let exts: Vec<Extension> = s.exts.iter().map(|(t, v)| Extension { ty: ExtensionType::from_byte(*t), value: v }).collect();
        let packet = NewPacket::new(&s.source, &s.dest, &s.payload)
            .flags(PacketFlags::from_bits_retain(s.flags))
            .timestamp(s.timestamp)
            .extensions(&exts);
        let mut buf = vec![0xAAu8; available];
        prop_assert_eq!(packet.encode(&mut buf), Err(EncodeError::BufferTooSmall { needed, available }));
        // encode_header needs only HEADER_LEN bytes.
        let header_len = s.header_len();
        let result = packet.encode_header(&mut buf);
        if available < header_len {
            prop_assert_eq!(result, Err(EncodeError::BufferTooSmall { needed: header_len, available }));
        } else {
            prop_assert_eq!(result, Ok(header_len));
            prop_assert_eq!(&buf[..header_len], &bytes[..header_len]);
        }
        // A larger buffer: the packet at its start, the rest untouched.
        let mut big = vec![0xAAu8; needed + 7];
        prop_assert_eq!(packet.encode(&mut big), Ok(needed));
        prop_assert_eq!(&big[..needed], &bytes[..]);
        prop_assert!(big[needed..].iter().all(|&b| b == 0xAA));
    }
}

#[test]
fn encode_id_nul_source_reported_first() {
    let packet = NewPacket::new("a\0", "\0b", b"");
    assert_eq!(
        packet.header_len(),
        Err(EncodeError::IdContainsNul { field: IdField::Source, at: 1 })
    );
}

#[test]
fn encode_extension_too_long() {
    let small = [1u8; 4];
    let huge = vec![0u8; 65_536];
    let exts = [
        Extension { ty: ExtensionType::Metadata, value: &small },
        Extension { ty: ExtensionType::Custom(77), value: &huge },
    ];
    let packet = NewPacket::new("s", "d", b"").extensions(&exts);
    let want = EncodeError::ExtensionTooLong { index: 1, len: 65_536 };
    assert_eq!(packet.header_len(), Err(want));
    assert_eq!(packet.encoded_len(), Err(want));
    let mut buf = vec![0u8; 70_000];
    assert_eq!(packet.encode(&mut buf), Err(want));

    // A value of exactly 65535 bytes is a valid record, but with the rest of
    // the header it exceeds HEADER_LEN's range: 24 + 2 + 2 + 3 + 65535.
    let max = vec![0u8; 65_535];
    let exts = [Extension { ty: ExtensionType::Routing, value: &max }];
    let packet = NewPacket::new("s", "d", b"").extensions(&exts);
    assert_eq!(packet.header_len(), Err(EncodeError::HeaderTooLong { len: 65_566 }));
    // The largest value that fits: 65535 - 24 - 2 - 3 = 65506 with empty ids.
    let fits = vec![5u8; 65_506];
    let exts = [Extension { ty: ExtensionType::Routing, value: &fits }];
    let packet = NewPacket::new("", "", b"").extensions(&exts);
    assert_eq!(packet.header_len(), Ok(65_535));
    let mut buf = vec![0u8; 65_535];
    assert_eq!(packet.encode(&mut buf), Ok(65_535));
    let p = Parser::new().parse_packet(&buf, 0).unwrap();
    let got: Vec<_> = p.extensions().map(|e| (e.ty, e.value.len())).collect();
    assert_eq!(got, vec![(ExtensionType::Routing, 65_506)]);
}

#[test]
fn encode_empty_packet_minimum_header() {
    let mut buf = [0u8; 26];
    assert_eq!(NewPacket::new("", "", b"").encode(&mut buf), Ok(26));
    assert_eq!(
        NewPacket::new("", "", b"x").encode(&mut buf),
        Err(EncodeError::BufferTooSmall { needed: 27, available: 26 })
    );
}
