//! The copying baseline against the zero-copy `Records`: the same records,
//! byte for byte, on valid, damaged and arbitrary input, for every parser
//! configuration, from a slice and from a stream read in random pieces.

use std::io;

use proptest::prelude::*;
use proptest::sample::Index;
use zcpkt::baseline::{BaselineParser, OwnedRecord};
use zcpkt::generate::{generate_to_vec, GenConfig, Limit, Profile};
use zcpkt::{
    Error, ErrorKind, Extension, ExtensionArea, ExtensionType, NewPacket, PacketFlags, Parser,
    Skipped,
};

/// Every combination of recovery, checksum verification and size limit.
fn configurations(limit: u64) -> impl Iterator<Item = (bool, bool, Option<u64>)> {
    [false, true].into_iter().flat_map(move |recover| {
        [false, true].into_iter().flat_map(move |verify| {
            [None, Some(limit)].into_iter().map(move |max| (recover, verify, max))
        })
    })
}

/// A reader that hands out the input in pieces of the given sizes (cycled),
/// a 0 meaning an `Interrupted` error (never twice in a row, so that
/// reading always progresses).
struct Piecewise<'a> {
    input: &'a [u8],
    sizes: Vec<usize>,
    next: usize,
    interrupted: bool,
}

impl io::Read for Piecewise<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let size = self.sizes.get(self.next % self.sizes.len().max(1)).copied().unwrap_or(7);
        self.next += 1;
        let interrupt = size == 0 && !self.interrupted;
        self.interrupted = interrupt;
        if interrupt {
            return Err(io::ErrorKind::Interrupted.into());
        }
        let n = size.max(1).min(buf.len()).min(self.input.len());
        buf[..n].copy_from_slice(&self.input[..n]);
        self.input = &self.input[n..];
        Ok(n)
    }
}

/// Asserts that the baseline, from a slice and from a piecewise stream,
/// gives exactly the records of the zero-copy parser.
fn assert_same_records(input: &[u8], limit: u64, sizes: &[usize]) -> Result<(), TestCaseError> {
    for (recover, verify, max) in configurations(limit) {
        let parser = Parser::new().verify_checksum(verify).max_packet_size(max);
        let expected: Vec<OwnedRecord> =
            parser.records(input, recover).map(OwnedRecord::from).collect();
        let baseline = BaselineParser::new().verify_checksum(verify).max_packet_size(max);
        let setting = format!("recover={recover} verify={verify} max={max:?}");
        prop_assert_eq!(&baseline.parse_all(input, recover), &expected, "slice, {}", setting);

        let mut streamed = Vec::new();
        let reader = Piecewise { input, sizes: sizes.to_vec(), next: 0, interrupted: false };
        baseline.read_records(reader, recover, |r| streamed.push(r)).unwrap();
        prop_assert_eq!(&streamed, &expected, "stream, {}", setting);
    }
    Ok(())
}

fn read_sizes() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(prop_oneof![1 => Just(0usize), 8 => 1usize..20, 1 => 20usize..5000], 1..8)
}

fn profile() -> impl Strategy<Value = Profile> {
    prop::sample::select(Profile::ALL.to_vec())
}

fn capture(profile: Profile, seed: u64, bytes: u64) -> Vec<u8> {
    generate_to_vec(&GenConfig { profile, seed, limit: Limit::Bytes(bytes) })
}

/// One damage done to a capture.
#[derive(Clone, Debug)]
enum Mutation {
    Flip(Index, u8),
    Truncate(Index),
    Insert(Index, Vec<u8>),
    Remove(Index, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let garbage = prop_oneof![
        prop::collection::vec(any::<u8>(), 1..40),
        Just(b"PKT\0".to_vec()),
        Just(b"PKT\0\x01".to_vec()),
    ];
    prop_oneof![
        4 => (any::<Index>(), 1u8..=255).prop_map(|(at, mask)| Mutation::Flip(at, mask)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        2 => (any::<Index>(), garbage).prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        1 => (any::<Index>(), 1usize..64).prop_map(|(at, len)| Mutation::Remove(at, len)),
    ]
}

fn apply(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for mutation in mutations {
        let at = |index: &Index, len: usize| index.index(len + 1);
        match mutation {
            Mutation::Flip(index, mask) if !bytes.is_empty() => {
                let i = index.index(bytes.len());
                bytes[i] ^= mask;
            }
            Mutation::Flip(..) => {}
            Mutation::Truncate(index) => bytes.truncate(at(index, bytes.len())),
            Mutation::Insert(index, garbage) => {
                let i = at(index, bytes.len());
                bytes.splice(i..i, garbage.iter().copied());
            }
            Mutation::Remove(index, len) => {
                let i = at(index, bytes.len());
                let end = (i + len).min(bytes.len());
                bytes.drain(i..end);
            }
        }
    }
    bytes
}

fn id() -> impl Strategy<Value = String> {
    "[a-zé😀-]{0,6}"
}

/// A packet as the encoder writes it, with random fields.
fn encoded_packet() -> impl Strategy<Value = Vec<u8>> {
    let extensions =
        prop::collection::vec((any::<u8>(), prop::collection::vec(any::<u8>(), 0..8)), 0..3);
    (id(), id(), any::<u8>(), any::<u64>(), extensions, prop::collection::vec(any::<u8>(), 0..48))
        .prop_map(|(source, dest, flags, timestamp, extensions, payload)| {
            let records: Vec<Extension<'_>> = extensions
                .iter()
                .map(|(ty, value)| Extension { ty: ExtensionType::from_byte(*ty), value })
                .collect();
            let packet = NewPacket::new(&source, &dest, &payload)
                .flags(PacketFlags::from_bits_retain(flags))
                .timestamp(timestamp)
                .extensions(&records);
            encode(&packet)
        })
}

fn encode(packet: &NewPacket<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    packet.write_to(&mut out).expect("encodable");
    out
}

/// A framed packet whose extension area is arbitrary bytes (often malformed).
fn packet_with_raw_extensions() -> impl Strategy<Value = Vec<u8>> {
    (id(), prop::collection::vec(any::<u8>(), 0..12), prop::collection::vec(any::<u8>(), 0..16))
        .prop_map(|(source, area, payload)| {
            let mut packet = NewPacket::new(&source, "d", &payload);
            packet.extensions = ExtensionArea::Encoded(&area);
            encode(&packet)
        })
}

/// A packet whose stored checksum is wrong.
fn packet_with_bad_checksum() -> impl Strategy<Value = Vec<u8>> {
    (encoded_packet(), 1u32..).prop_map(|(mut bytes, delta)| {
        let stored = u32::from_le_bytes(bytes[12..16].try_into().unwrap());
        bytes[12..16].copy_from_slice(&stored.wrapping_add(delta).to_le_bytes());
        bytes
    })
}

/// `PKT\0` and a header of random (mostly small) lengths, then random bytes:
/// every framing error, and packets that claim more than the input holds.
fn header_ish() -> impl Strategy<Value = Vec<u8>> {
    let version = prop_oneof![4 => Just(1u8), 1 => any::<u8>()];
    let header_len = prop_oneof![4 => 20u16..48, 1 => any::<u16>()];
    let payload_len = prop_oneof![4 => 0u32..32, 1 => any::<u32>()];
    let tail =
        prop::collection::vec(prop_oneof![3 => Just(0u8), 4 => any::<u8>(), 1 => 0x80u8..], 0..48);
    (version, any::<u8>(), header_len, payload_len, any::<[u8; 12]>(), tail).prop_map(
        |(version, flags, header_len, payload_len, rest, tail)| {
            let mut bytes = b"PKT\0".to_vec();
            bytes.extend([version, flags]);
            bytes.extend(header_len.to_le_bytes());
            bytes.extend(payload_len.to_le_bytes());
            bytes.extend(rest);
            bytes.extend(tail);
            bytes
        },
    )
}

fn fragment() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => encoded_packet(),
        2 => packet_with_raw_extensions(),
        2 => packet_with_bad_checksum(),
        3 => header_ish(),
        1 => prop::collection::vec(any::<u8>(), 0..24),
        1 => Just(b"PKT\0".to_vec()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn generated_captures(profile in profile(), seed in any::<u64>(), bytes in 0u64..150_000,
                          limit in 0u64..70_000, sizes in read_sizes()) {
        assert_same_records(&capture(profile, seed, bytes), limit, &sizes)?;
    }

    #[test]
    fn damaged_captures(profile in profile(), seed in any::<u64>(), bytes in 0u64..40_000,
                        mutations in prop::collection::vec(mutation(), 1..6),
                        limit in 0u64..5_000, sizes in read_sizes()) {
        let damaged = apply(capture(profile, seed, bytes), &mutations);
        assert_same_records(&damaged, limit, &sizes)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(input in prop::collection::vec(any::<u8>(), 0..200),
                       limit in 0u64..100, sizes in read_sizes()) {
        assert_same_records(&input, limit, &sizes)?;
    }

    #[test]
    fn crafted_fragments(fragments in prop::collection::vec(fragment(), 0..10),
                         limit in 0u64..120, sizes in read_sizes()) {
        assert_same_records(&fragments.concat(), limit, &sizes)?;
    }
}

// Direct checks of the baseline, so that it is not only as right as the
// parser it is compared with.

fn example() -> Vec<u8> {
    encode(&NewPacket::new("a", "bc", b"hi").flags(PacketFlags::PRIORITY).timestamp(1))
}

#[test]
fn worked_example_fields() {
    let records = BaselineParser::new().parse_all(&example(), false);
    let [OwnedRecord::Packet(packet)] = &records[..] else { panic!("{records:?}") };
    assert_eq!(
        (packet.offset, packet.version, packet.flags, packet.header_len, packet.payload_len),
        (0, 1, PacketFlags::PRIORITY, 29, 2)
    );
    assert_eq!((packet.checksum, packet.timestamp), (0xD893_2AAC, 1));
    assert_eq!((packet.source_id.as_str(), packet.dest_id.as_str()), ("a", "bc"));
    assert_eq!(packet.payload, b"hi");
    assert!(packet.extensions.is_empty());
    assert_eq!(packet.checksum_ok(), Some(true));
    assert!(packet.is_valid());
}

#[test]
fn damaged_packet_is_followed_by_its_errors() {
    let mut bytes = example();
    bytes[12] ^= 1; // CHECKSUM
    let area = [9u8, 5, 0, 1]; // a record that claims 5 bytes and has 1
    let mut packet = NewPacket::new("a", "bc", b"hi");
    packet.extensions = ExtensionArea::Encoded(&area);
    let second = encode(&packet);
    bytes.extend(&second);
    let records = BaselineParser::new().parse_all(&bytes, false);
    assert_eq!(records.len(), 4);
    assert!(matches!(&records[0], OwnedRecord::Packet(p) if p.offset == 0));
    let mismatch = ErrorKind::ChecksumMismatch { stored: 0xD893_2AAD, computed: 0xD893_2AAC };
    assert_eq!(records[1], OwnedRecord::Error(Error::new(0, mismatch)));
    assert!(matches!(&records[2], OwnedRecord::Packet(p) if p.offset == 31));
    let malformed = ErrorKind::MalformedExtension { record_offset: 31 + 29 };
    assert_eq!(records[3], OwnedRecord::Error(Error::new(31, malformed)));
}

#[test]
fn recovery_skips_to_the_next_valid_packet() {
    let mut bytes = b"junkPKT\0".to_vec();
    bytes.extend(example());
    let records = BaselineParser::new().parse_all(&bytes, true);
    assert_eq!(records[0], OwnedRecord::Error(Error::new(0, ErrorKind::BadMagic)));
    assert_eq!(records[1], OwnedRecord::Skipped(Skipped { offset: 0, len: 8 }));
    assert!(matches!(&records[2], OwnedRecord::Packet(p) if p.offset == 8));
    assert_eq!(records.len(), 3);
    assert_eq!(BaselineParser::new().parse_all(&bytes, false).len(), 1);
}

#[test]
fn too_large_keeps_framing_unless_cut_short() {
    let two = [example(), example()].concat();
    let parser = BaselineParser::new().max_packet_size(Some(30));
    let too_large = |offset| Error::new(offset, ErrorKind::TooLarge { size: 31, limit: 30 });
    let mut streamed = Vec::new();
    parser.read_records(&two[..], false, |r| streamed.push(r)).unwrap();
    let expected = [OwnedRecord::Error(too_large(0)), OwnedRecord::Error(too_large(31))];
    assert_eq!(streamed, expected);

    let mut streamed = Vec::new();
    parser.read_records(&two[..40], false, |r| streamed.push(r)).unwrap();
    let truncated = Error::new(31, ErrorKind::Truncated { available: 9 });
    assert_eq!(streamed, [OwnedRecord::Error(too_large(0)), OwnedRecord::Error(truncated)]);
}

#[test]
fn stream_recovery_finds_a_magic_across_its_read_chunks() {
    // Recovery reads the stream in 64 KiB chunks: put the next packet's
    // `PKT\0` on every position around the first chunk boundary.
    for garbage in 65_530..65_540 {
        let mut input = vec![0xAA; garbage];
        input.extend(example());
        let expected = [
            OwnedRecord::Error(Error::new(0, ErrorKind::BadMagic)),
            OwnedRecord::Skipped(Skipped { offset: 0, len: garbage as u64 }),
        ];
        let mut streamed = Vec::new();
        BaselineParser::new().read_records(&input[..], true, |r| streamed.push(r)).unwrap();
        assert_eq!(streamed[..2], expected, "{garbage}");
        assert!(matches!(&streamed[2..], [OwnedRecord::Packet(p)] if p.offset == garbage as u64));
        let zero_copy: Vec<OwnedRecord> =
            Parser::new().records(&input, true).map(OwnedRecord::from).collect();
        assert_eq!(streamed, zero_copy);
    }
}
