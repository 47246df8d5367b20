//! `StreamReader`: the same records as `Records` over the whole input,
//! whatever the reads return, in bounded memory.

use std::io::{self, Read};

use proptest::prelude::*;
use proptest::sample::Index;
use zcpkt::source::stream::{StreamError, StreamReader};
use zcpkt::{
    Error, ErrorKind, Extension, ExtensionType, NewPacket, PacketFlags, Parser, Record, Skipped,
};

// ---------------------------------------------------------------- helpers

/// What a read call does, cycling through the list.
#[derive(Clone, Copy, Debug)]
enum Fault {
    None,
    Interrupted,
    WouldBlock,
}

/// Returns the chunk sizes it is given, in turn, and the faults.
struct ChoppyReader<'a> {
    data: &'a [u8],
    chunks: Vec<usize>,
    faults: Vec<Fault>,
    calls: usize,
}

impl<'a> ChoppyReader<'a> {
    fn new(data: &'a [u8], chunks: Vec<usize>, faults: Vec<Fault>) -> Self {
        Self { data, chunks, faults, calls: 0 }
    }

    fn chunks(data: &'a [u8], chunk: usize) -> Self {
        Self::new(data, vec![chunk], vec![Fault::None])
    }
}

impl Read for ChoppyReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let call = self.calls;
        self.calls += 1;
        match self.faults[call % self.faults.len()] {
            Fault::Interrupted => return Err(io::ErrorKind::Interrupted.into()),
            Fault::WouldBlock => return Err(io::ErrorKind::WouldBlock.into()),
            Fault::None => {}
        }
        let n = self.chunks[call % self.chunks.len()].min(out.len()).min(self.data.len());
        let (now, rest) = self.data.split_at(n);
        out[..n].copy_from_slice(now);
        self.data = rest;
        Ok(n)
    }
}

fn encode(packet: NewPacket<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    packet.write_to(&mut out).unwrap();
    out
}

fn packet_of_size(size: usize) -> Vec<u8> {
    let header = NewPacket::new("s", "d", b"").encoded_len().unwrap();
    let payload: Vec<u8> = (0..size - header).map(|i| i as u8).collect();
    let bytes = encode(NewPacket::new("s", "d", &payload));
    assert_eq!(bytes.len(), size);
    bytes
}

/// Owned, comparable form of a record: its `Debug` text shows every field
/// and every borrowed byte.
fn show(record: &Record<'_>) -> String {
    format!("{record:?}")
}

/// Drains `reader`'s records, retrying after `WouldBlock`.
fn drain_records<R: Read>(reader: &mut StreamReader<R>, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..limit {
        match reader.next_record() {
            None => return out,
            Some(Ok(record)) => out.push(show(&record)),
            Some(Err(error)) => assert_eq!(error.kind(), io::ErrorKind::WouldBlock),
        }
    }
    panic!("no end after {limit} calls");
}

/// Drains `reader`'s packets as `Packets` would show them, retrying after `WouldBlock`.
fn drain_packets<R: Read>(reader: &mut StreamReader<R>, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..limit {
        match reader.next_packet() {
            None => return out,
            Some(Ok(packet)) => out.push(format!("{:?}", Ok::<_, Error>(packet))),
            Some(Err(StreamError::Input(error))) => {
                out.push(format!("{:?}", Err::<zcpkt::Packet<'_>, _>(error)))
            }
            Some(Err(StreamError::Io(error))) => {
                assert_eq!(error.kind(), io::ErrorKind::WouldBlock)
            }
        }
    }
    panic!("no end after {limit} calls");
}

/// Whether the packet at `offset` has a valid fixed header claiming more
/// than `max` bytes: one the stream counts through instead of holding.
fn claims_over(input: &[u8], offset: u64, max: u64) -> bool {
    let rest = &input[offset as usize..];
    zcpkt::pkt::FixedHeader::read(rest, offset).is_ok_and(|fixed| fixed.packet_len() > max)
}

/// `Records` over the whole slice, with the one documented difference of a
/// stream: after `Truncated` on a packet claiming more than the maximum and
/// cut short more than `max` bytes after its start, its bytes were
/// discarded, so recovery skips to the end of input.
fn expected_records(input: &[u8], parser: Parser, recover: bool) -> Vec<String> {
    let max = parser.packet_size_limit().expect("a stream always has a maximum");
    let mut out = Vec::new();
    for record in parser.records(input, recover) {
        out.push(show(&record));
        if let Record::Error(Error { offset, kind: ErrorKind::Truncated { available } }) = record {
            if claims_over(input, offset, max) && available > max {
                assert_eq!(available, input.len() as u64 - offset);
                if recover {
                    out.push(show(&Record::Skipped(Skipped { offset, len: available })));
                }
                break;
            }
        }
    }
    out
}

fn stream_records(
    input: &[u8],
    parser: Parser,
    recover: bool,
    buffer: usize,
    chunk: usize,
) -> Vec<String> {
    let mut reader = StreamReader::new(ChoppyReader::chunks(input, chunk))
        .with_parser(parser)
        .buffer_size(buffer)
        .recover(recover);
    drain_records(&mut reader, 100_000)
}

fn records_of(input: &[u8], parser: Parser, recover: bool) -> Vec<String> {
    parser.records(input, recover).map(|record| show(&record)).collect()
}

// ------------------------------------------------------------- properties

fn id() -> impl Strategy<Value = String> {
    "[a-z0-9é-]{0,6}"
}

prop_compose! {
    fn new_packet()(
        source in id(),
        dest in id(),
        payload in prop::collection::vec(any::<u8>(), 0..120),
        flags in any::<u8>(),
        timestamp in any::<u64>(),
        extensions in prop::collection::vec((any::<u8>(), prop::collection::vec(any::<u8>(), 0..12)), 0..3),
    ) -> Vec<u8> {
        let extensions: Vec<Extension<'_>> = extensions
            .iter()
            .map(|(ty, value)| Extension { ty: ExtensionType::from_byte(*ty), value })
            .collect();
        encode(
            NewPacket::new(&source, &dest, &payload)
                .flags(PacketFlags::from_bits_retain(flags))
                .timestamp(timestamp)
                .extensions(&extensions),
        )
    }
}

#[derive(Clone, Debug)]
enum Damage {
    Insert(Index, Vec<u8>),
    /// A fixed header claiming `payload_len` (often far more than is there).
    InsertHeader(Index, u16, u32),
    Flip(Index, u8),
    Truncate(Index),
}

fn damage() -> impl Strategy<Value = Damage> {
    let claim = prop_oneof![0u32..400, any::<u32>()];
    prop_oneof![
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..40))
            .prop_map(|(at, b)| Damage::Insert(at, b)),
        (any::<Index>(), 20u16..120, claim).prop_map(|(at, h, p)| Damage::InsertHeader(at, h, p)),
        (any::<Index>(), 1u8..=255).prop_map(|(at, x)| Damage::Flip(at, x)),
        any::<Index>().prop_map(Damage::Truncate),
    ]
}

fn apply(mut bytes: Vec<u8>, damage: &[Damage]) -> Vec<u8> {
    for damage in damage {
        let at = |index: &Index| index.index(bytes.len() + 1);
        match damage {
            Damage::Insert(index, garbage) => {
                let at = at(index);
                bytes.splice(at..at, garbage.iter().copied());
            }
            Damage::InsertHeader(index, header_len, payload_len) => {
                let at = at(index);
                let mut header = b"PKT\0\x01\x00".to_vec();
                header.extend_from_slice(&header_len.to_le_bytes());
                header.extend_from_slice(&payload_len.to_le_bytes());
                header.extend_from_slice(&[0; 12]);
                bytes.splice(at..at, header);
            }
            Damage::Flip(index, xor) => {
                if !bytes.is_empty() {
                    let at = index.index(bytes.len());
                    bytes[at] ^= xor;
                }
            }
            Damage::Truncate(index) => bytes.truncate(at(index)),
        }
    }
    bytes
}

fn input() -> impl Strategy<Value = Vec<u8>> {
    let capture = || prop::collection::vec(new_packet(), 0..6).prop_map(|packets| packets.concat());
    prop_oneof![
        2 => capture(),
        5 => (capture(), prop::collection::vec(damage(), 1..4)).prop_map(|(c, d)| apply(c, &d)),
        1 => prop::collection::vec(any::<u8>(), 0..300),
    ]
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![6 => Just(Fault::None), 1 => Just(Fault::Interrupted), 1 => Just(Fault::WouldBlock)]
}

/// Read sizes and faults; the first call of each cycle reads, so it ends.
fn reads() -> impl Strategy<Value = (Vec<usize>, Vec<Fault>)> {
    let chunks = prop::collection::vec(prop_oneof![1usize..8, 1usize..200], 1..6);
    let faults = prop::collection::vec(fault(), 0..5).prop_map(|mut f| {
        f.insert(0, Fault::None);
        f
    });
    (chunks, faults)
}

fn settings() -> impl Strategy<Value = (Parser, usize)> {
    let max = prop::sample::select(vec![26u64, 60, 100, 200, 1 << 24, u64::MAX]);
    let buffer = prop::sample::select(vec![1usize, 16, 24, 100, 1 << 20]);
    (any::<bool>(), max, buffer).prop_map(|(crc, max, buffer)| {
        (Parser::new().verify_checksum(crc).max_packet_size(Some(max)), buffer)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    #[test]
    fn records_match_the_slice_reader(
        input in input(),
        (parser, buffer) in settings(),
        recover in any::<bool>(),
        (chunks, faults) in reads(),
    ) {
        let mut reader = StreamReader::new(ChoppyReader::new(&input, chunks, faults))
            .with_parser(parser)
            .buffer_size(buffer)
            .recover(recover);
        let got = drain_records(&mut reader, 100_000);
        prop_assert_eq!(got, expected_records(&input, parser, recover));
        let max = parser.packet_size_limit().unwrap();
        prop_assert!(reader.buffer_capacity() as u64 <= (buffer as u64).max(max).max(24));
    }

    #[test]
    fn packets_match_the_strict_slice_iterator(
        input in input(),
        (parser, buffer) in settings(),
        (chunks, faults) in reads(),
    ) {
        let mut reader = StreamReader::new(ChoppyReader::new(&input, chunks, faults))
            .with_parser(parser)
            .buffer_size(buffer)
            .recover(true);
        let got = drain_packets(&mut reader, 100_000);
        let expected: Vec<String> = parser.packets(&input).map(|r| format!("{r:?}")).collect();
        prop_assert_eq!(got, expected);
    }
}

// ------------------------------------------------------- size and memory

/// A fixed header claiming a `payload_len` payload, then `tail` bytes.
fn claim(payload_len: u32, tail: usize) -> Vec<u8> {
    let mut bytes = b"PKT\0\x01\x00\x1a\x00".to_vec();
    bytes.extend_from_slice(&payload_len.to_le_bytes());
    bytes.extend_from_slice(&[0; 12]);
    bytes.extend(std::iter::repeat(0xAB).take(tail));
    bytes
}

#[test]
fn a_4_gib_claim_on_a_tiny_input_is_truncated_at_once() {
    let input = claim(u32::MAX, 16);
    let truncated = show(&Record::Error(Error::new(0, ErrorKind::Truncated { available: 40 })));
    let skipped = show(&Record::Skipped(Skipped { offset: 0, len: 40 }));

    let mut reader = StreamReader::new(&input[..]);
    assert_eq!(drain_records(&mut reader, 10), std::slice::from_ref(&truncated));
    assert_eq!(reader.buffer_capacity(), StreamReader::<&[u8]>::DEFAULT_BUFFER);

    // Even with no practical maximum, only the bytes that arrive are buffered.
    let unlimited = Parser::new().max_packet_size(Some(u64::MAX));
    let mut reader = StreamReader::new(ChoppyReader::chunks(&input, 3))
        .with_parser(unlimited)
        .buffer_size(8)
        .recover(true);
    assert_eq!(drain_records(&mut reader, 10), [truncated, skipped]);
    assert!(reader.buffer_capacity() <= 64, "buffer grew to {}", reader.buffer_capacity());
}

#[test]
fn packets_over_the_maximum_are_counted_through_and_reported_too_large() {
    let small = packet_of_size(40);
    let at_max = packet_of_size(300);
    let over = packet_of_size(301);
    let input = [&small[..], &over, &at_max, &over, &small].concat();
    let parser = Parser::new().max_packet_size(Some(300));

    let mut reader =
        StreamReader::new(ChoppyReader::chunks(&input, 7)).with_parser(parser).buffer_size(16);
    let mut kinds = Vec::new();
    while let Some(record) = reader.next_record() {
        kinds.push(match record.unwrap() {
            Record::Packet(packet) => format!("packet {} {}", packet.offset, packet.len()),
            Record::Error(error) => format!("{} {:?}", error.offset, error.kind),
            Record::Skipped(_) => unreachable!("not recovering"),
        });
    }
    assert_eq!(
        kinds,
        [
            "packet 0 40",
            "40 TooLarge { size: 301, limit: 300 }",
            "packet 341 300",
            "641 TooLarge { size: 301, limit: 300 }",
            "packet 942 40",
        ]
    );
    assert_eq!(reader.offset(), input.len() as u64);
    assert_eq!(reader.buffer_capacity(), 300, "grown to the largest packet held, no further");
    assert_eq!(stream_records(&input, parser, false, 16, 7), records_of(&input, parser, false));
}

#[test]
fn an_oversized_packet_cut_short_is_truncated_with_the_bytes_it_had() {
    let input = [packet_of_size(40), packet_of_size(500)[..250].to_vec()].concat();
    let parser = Parser::new().max_packet_size(Some(100));
    for recover in [false, true] {
        let mut expected = vec![
            show(&Record::Packet(parser.parse_packet(&input, 0).unwrap())),
            show(&Record::Error(Error::new(40, ErrorKind::Truncated { available: 250 }))),
        ];
        if recover {
            expected.push(show(&Record::Skipped(Skipped { offset: 40, len: 250 })));
        }
        for (buffer, chunk) in [(16, 5), (64, 64), (1 << 20, 1 << 20)] {
            assert_eq!(stream_records(&input, parser, recover, buffer, chunk), expected);
        }
        assert_eq!(records_of(&input, parser, recover), expected);
    }
}

/// Buffer sizes and read sizes around a maximum of `max`: smaller, equal
/// (the look-ahead then reads the byte after the window on its own) and
/// larger buffers, tiny and large reads.
fn buffers_and_reads(max: usize) -> Vec<(usize, usize)> {
    vec![(1, 1), (16, 5), (max - 1, 7), (max, 3), (max, max), (max + 1, 64), (1 << 20, 1 << 20)]
}

/// A claim over the maximum cut short within `max` bytes: every byte is
/// buffered, so the records are the slice reader's, including the resync
/// inside the claimed bytes, up to a cut exactly `max` bytes after it.
#[test]
fn a_claim_over_the_maximum_cut_short_within_max_bytes_resyncs_as_the_slice_reader() {
    let max = 100;
    let parser = Parser::new().max_packet_size(Some(max as u64));
    let inner = packet_of_size(50);
    // `claim` writes 24 bytes then `tail`: inputs of 84 bytes, exactly
    // `max` bytes (the inner packet ends there), and `max` bytes that cut
    // the inner packet short too (nothing to resume at).
    for tail in [10, 26, 40] {
        let mut input = claim(1000, tail);
        input.extend_from_slice(&inner);
        input.truncate(max);
        let available = input.len() as u64;
        let at = 24 + tail as u64;
        let mut expected = vec![
            show(&Record::Error(Error::new(0, ErrorKind::Truncated { available }))),
            show(&Record::Skipped(Skipped { offset: 0, len: at.min(available) })),
        ];
        if at + 50 <= available {
            expected.push(show(&Record::Packet(parser.parse_packet(&inner, at).unwrap())));
        } else {
            expected[1] = show(&Record::Skipped(Skipped { offset: 0, len: available }));
        }
        assert_eq!(records_of(&input, parser, true), expected, "tail {tail}");
        for (buffer, chunk) in buffers_and_reads(max) {
            let got = stream_records(&input, parser, true, buffer, chunk);
            assert_eq!(got, expected, "tail {tail}, buffer {buffer}, reads of {chunk}");
            let strict = stream_records(&input, parser, false, buffer, chunk);
            assert_eq!(strict, records_of(&input, parser, false));
            assert_eq!(strict, expected[..1]);
        }
    }
}

/// The one difference from `Records`: a claim over the maximum cut short
/// more than `max` bytes later. The stream counted through its bytes and
/// cannot search them again, so recovery skips to the end of input.
#[test]
fn a_claim_over_the_maximum_cut_short_beyond_max_bytes_skips_to_the_end() {
    let max = 100;
    let parser = Parser::new().max_packet_size(Some(max as u64));
    let inner = packet_of_size(50);
    for extra in [1, 2, 50, 500] {
        // The cut comes `max + extra` bytes after the claim's start.
        let mut input = claim(1000, 10);
        while input.len() < max + extra {
            input.extend_from_slice(&inner);
        }
        input.truncate(max + extra);
        let available = input.len() as u64;
        let truncated = show(&Record::Error(Error::new(0, ErrorKind::Truncated { available })));
        let expected =
            [truncated.clone(), show(&Record::Skipped(Skipped { offset: 0, len: available }))];
        for (buffer, chunk) in buffers_and_reads(max) {
            let got = stream_records(&input, parser, true, buffer, chunk);
            assert_eq!(got, expected, "extra {extra}, buffer {buffer}, reads of {chunk}");
            // Without recovery there is no difference.
            let strict = stream_records(&input, parser, false, buffer, chunk);
            assert_eq!(strict, records_of(&input, parser, false));
            assert_eq!(strict, expected[..1]);
        }
        // The slice reader resumes at the first packet inside.
        let slice = records_of(&input, parser, true);
        assert_eq!(slice[..2], [truncated, show(&Record::Skipped(Skipped { offset: 0, len: 34 }))]);
        assert_eq!(slice.len() > 2, 34 + 50 <= available);
    }
}

/// A claim over the maximum with all its bytes present is `TooLarge` and
/// keeps framing, in both readers and both modes, even when a valid packet
/// lies inside the claimed bytes.
#[test]
fn a_claim_over_the_maximum_fully_present_is_too_large_with_framing_kept() {
    let max = 100;
    let parser = Parser::new().max_packet_size(Some(max as u64));
    let inner = packet_of_size(50);
    let after = packet_of_size(40);
    for size in [max + 1, 2 * max, 10 * max] {
        let mut input = claim((size - 26) as u32, 10);
        input.extend_from_slice(&inner);
        input.resize(size, 0xCD);
        input.extend_from_slice(&after);
        let expected = vec![
            show(&Record::Error(Error::new(
                0,
                ErrorKind::TooLarge { size: size as u64, limit: max as u64 },
            ))),
            show(&Record::Packet(parser.parse_packet(&after, size as u64).unwrap())),
        ];
        for recover in [false, true] {
            assert_eq!(records_of(&input, parser, recover), expected);
            for (buffer, chunk) in buffers_and_reads(max) {
                let mut reader = StreamReader::new(ChoppyReader::chunks(&input, chunk))
                    .with_parser(parser)
                    .buffer_size(buffer)
                    .recover(recover);
                let got = drain_records(&mut reader, 100);
                assert_eq!(got, expected, "size {size}, buffer {buffer}, reads of {chunk}");
                assert!(reader.buffer_capacity() <= buffer.max(max));
            }
        }
    }
}

#[test]
fn the_buffer_grows_to_the_largest_packet_and_no_further() {
    let big = packet_of_size(100_000);
    let input = [packet_of_size(40), big, packet_of_size(40)].concat();
    let mut reader = StreamReader::new(&input[..]).buffer_size(1024);
    let mut sizes = Vec::new();
    while let Some(packet) = reader.next_packet() {
        sizes.push(packet.unwrap().len());
    }
    assert_eq!(sizes, [40, 100_000, 40]);
    assert_eq!(reader.buffer_capacity(), 100_000);
}

// --------------------------------------------------------------- recovery

/// Garbage with no `PKT\0`, `len` bytes, not starting with `P`.
fn garbage(len: usize) -> Vec<u8> {
    (0..len).map(|i| b"xPKT-"[i % 5]).collect()
}

#[test]
fn recovery_across_refills_counts_the_skipped_bytes_exactly() {
    let first = packet_of_size(40);
    let last = encode(NewPacket::new("after", "gap", b"payload"));
    let mut gap = garbage(3000);
    // Candidates that must be passed over: a bad version, a header claiming
    // more than the maximum, one judged only after reading into `last`,
    // and a `PKT` prefix right before `last`'s magic.
    gap.splice(500..500, b"PKT\0\x02".iter().copied());
    gap.splice(1000..1000, claim(1 << 20, 0));
    gap.splice(2000..2000, claim(1040, 0));
    gap.extend_from_slice(b"PKT");
    let input = [&first[..], &gap, &last].concat();
    let gap_len = gap.len() as u64;
    let parser = Parser::new().max_packet_size(Some(4096));

    let expected = vec![
        show(&Record::Packet(parser.parse_packet(&input, 0).unwrap())),
        show(&Record::Error(Error::new(40, ErrorKind::BadMagic))),
        show(&Record::Skipped(Skipped { offset: 40, len: gap_len })),
        show(&Record::Packet(parser.parse_packet(&input[40 + gap.len()..], 40 + gap_len).unwrap())),
    ];
    assert_eq!(records_of(&input, parser, true), expected);
    for (buffer, chunk) in [(1, 1), (16, 3), (64, 100), (4096, 4096)] {
        let mut reader = StreamReader::new(ChoppyReader::chunks(&input, chunk))
            .with_parser(parser)
            .buffer_size(buffer)
            .recover(true);
        assert_eq!(drain_records(&mut reader, 1000), expected, "buffer {buffer}, reads of {chunk}");
        assert!(reader.buffer_capacity() <= 4096);
    }
}

#[test]
fn a_valid_packet_over_the_maximum_is_no_recovery_candidate() {
    let small = packet_of_size(40);
    let input = [&garbage(30)[..], &packet_of_size(200), &small].concat();
    let parser = Parser::new().max_packet_size(Some(100));
    let expected = vec![
        show(&Record::Error(Error::new(0, ErrorKind::BadMagic))),
        show(&Record::Skipped(Skipped { offset: 0, len: 230 })),
        show(&Record::Packet(parser.parse_packet(&small, 230).unwrap())),
    ];
    assert_eq!(records_of(&input, parser, true), expected);
    assert_eq!(stream_records(&input, parser, true, 16, 9), expected);
    // Without a maximum the same bytes are a packet to resume at.
    let found = zcpkt::pkt::find_next_valid(&Parser::new(), &input, 1, 0);
    assert_eq!(found, Some(30));
}

#[test]
fn without_recovery_the_first_error_that_loses_framing_ends_the_records() {
    let input = [&packet_of_size(40)[..], &garbage(10), &packet_of_size(40)].concat();
    let got = stream_records(&input, Parser::new(), false, 16, 4);
    assert_eq!(got.len(), 2);
    assert_eq!(got[1], show(&Record::Error(Error::new(40, ErrorKind::BadMagic))));
}

#[test]
fn next_packet_is_strict_and_never_recovers() {
    let damaged = {
        let mut bytes = packet_of_size(40);
        bytes[39] ^= 1;
        bytes
    };
    let input = [&packet_of_size(40)[..], &damaged, &garbage(10), &packet_of_size(40)].concat();
    let mut reader =
        StreamReader::new(ChoppyReader::chunks(&input, 6)).buffer_size(8).recover(true);
    assert!(reader.next_packet().unwrap().is_ok());
    let mismatch = reader.next_packet().unwrap().unwrap_err();
    assert!(matches!(
        mismatch,
        StreamError::Input(Error { offset: 40, kind: ErrorKind::ChecksumMismatch { .. } })
    ));
    let lost = reader.next_packet().unwrap().unwrap_err();
    assert!(matches!(lost, StreamError::Input(Error { offset: 80, kind: ErrorKind::BadMagic })));
    assert!(reader.next_packet().is_none());
    assert!(reader.next_packet().is_none());
}

// -------------------------------------------------------------------- I/O

#[test]
fn interrupted_reads_are_retried_and_other_errors_returned_then_resumed() {
    let input = [packet_of_size(40), packet_of_size(60)].concat();
    let faults = vec![Fault::None, Fault::Interrupted, Fault::WouldBlock];
    let mut reader = StreamReader::new(ChoppyReader::new(&input, vec![30], faults)).buffer_size(16);
    let mut events = Vec::new();
    while let Some(item) = reader.next_packet() {
        events.push(match item {
            Ok(packet) => format!("packet {}", packet.len()),
            Err(StreamError::Io(error)) => format!("io {:?}", error.kind()),
            Err(StreamError::Input(error)) => format!("error {error}"),
        });
    }
    // Every third read call fails with WouldBlock, the one before it with
    // Interrupted (retried inside). Reads that get data: 16, 8, 16 bytes for
    // the first packet (buffer 16 -> 24 -> 40), 30, 10, 20 for the second
    // (40 -> 60), then the end of input.
    let blocked = "io WouldBlock";
    assert_eq!(
        events,
        [blocked, blocked, "packet 40", blocked, blocked, blocked, "packet 60", blocked]
    );
    assert_eq!(reader.offset(), 100);
}

#[test]
fn an_empty_input_has_no_records() {
    let mut reader = StreamReader::new(io::empty()).recover(true);
    assert!(reader.next_record().is_none());
    assert!(reader.next_packet().is_none());
    assert_eq!(reader.offset(), 0);
}

#[test]
fn stream_errors_show_and_convert() {
    let packet = StreamError::from(Error::new(31, ErrorKind::BadMagic));
    assert_eq!(packet.to_string(), "offset 31: bad magic (expected \"PKT\\0\")");
    let io = StreamError::from(io::Error::other("disk on fire"));
    assert_eq!(io.to_string(), "disk on fire");
    assert!(matches!(io, StreamError::Io(_)));
    let boxed: Box<dyn std::error::Error> = Box::new(packet);
    assert!(boxed.source().is_none());
}

// ------------------------------------------------------- hostile recovery

/// A fake fixed header with empty identifiers (26 bytes) claiming
/// `payload_len` bytes, with a checksum that never matches, padded with
/// bytes holding neither 00 nor `PKT\0` to `stride` bytes.
fn fake(payload_len: u32, stride: usize) -> Vec<u8> {
    let mut bytes = b"PKT\0\x01\x00\x1a\x00".to_vec();
    bytes.extend_from_slice(&payload_len.to_le_bytes());
    bytes.extend_from_slice(&0xBAD_C0DEu32.to_le_bytes());
    bytes.extend_from_slice(&[7; 8]);
    bytes.extend_from_slice(&[0, 0]);
    bytes.resize(stride, b'x');
    bytes
}

/// After a bad first byte, a fake header every 32 bytes whose packet ends
/// `reach` bytes on, less up to 4 KiB or half of `reach` (never past the
/// end, so that each fails at its checksum), then a real packet.
fn fakes_reaching(n: usize, reach: usize) -> Vec<u8> {
    let mut input = vec![b'X'; 32];
    let mut i = 0usize;
    while input.len() + 32 <= n {
        let at = input.len();
        let spread = i.wrapping_mul(2_654_435_761) % (reach / 2).clamp(1, 4096);
        let end = (at + reach - spread).min(n).max(at + 26);
        input.extend(fake((end - at - 26) as u32, 32));
        i += 1;
    }
    input.resize(n, b'x');
    input.extend(encode(NewPacket::new("after", "fakes", b"found")));
    input
}

/// `PKT\0` repeated, with a real packet at `hidden` (if any) and at the end.
fn repeated_magic(n: usize, hidden: Option<usize>) -> Vec<u8> {
    let mut input = b"PKT\0".repeat(n / 4);
    if let Some(at) = hidden {
        input.splice(at..at, packet_of_size(40));
    }
    input.extend(packet_of_size(50));
    input
}

#[test]
fn hostile_inputs_give_the_slice_records_whatever_the_reads() {
    let inputs = [
        ("repeated magic", repeated_magic(6000, Some(2001))),
        ("fakes reaching the end", fakes_reaching(6000, 6000)),
        ("fakes reaching 1 KiB", fakes_reaching(6000, 1024)),
        ("fakes reaching 3 KiB", fakes_reaching(20_000, 3000)),
    ];
    let parsers = [
        Parser::new(),
        Parser::new().max_packet_size(Some(4096)),
        Parser::new().max_packet_size(Some(2000)).verify_checksum(false),
    ];
    for (name, input) in &inputs {
        for parser in parsers {
            let parser = parser.max_packet_size(parser.packet_size_limit().or(Some(1 << 24)));
            let expected = expected_records(input, parser, true);
            assert!(expected.len() >= 3, "{name}: {expected:?}");
            for (buffer, chunk) in [(1, 1), (16, 7), (100, 33), (4096, 4096), (1 << 20, 1 << 20)] {
                let got = stream_records(input, parser, true, buffer, chunk);
                assert_eq!(got, expected, "{name}, buffer {buffer}, reads of {chunk}");
            }
        }
    }
}

/// Drains a recovering stream reader over `input`; its recovery work and
/// the bytes its buffer moved.
fn stream_resync_work(input: &[u8], parser: Parser, buffer: usize) -> (u64, u64) {
    let mut reader = StreamReader::new(ChoppyReader::chunks(input, 64 << 10))
        .with_parser(parser)
        .buffer_size(buffer)
        .recover(true);
    let records = drain_records(&mut reader, 1_000_000);
    assert_eq!(records.len(), 3, "error, skipped, packet: {records:?}");
    let max = parser.packet_size_limit().unwrap();
    assert!(reader.buffer_capacity() as u64 <= max.max(buffer as u64));
    (reader.resync_work(), reader.bytes_moved())
}

fn assert_stream_linear(
    name: &str,
    make: impl Fn(usize) -> Vec<u8>,
    parser: Parser,
    buffer: usize,
) {
    let n = 1 << 20;
    let (small, moved) = stream_resync_work(&make(n), parser, buffer);
    let (large, moved_large) = stream_resync_work(&make(4 * n), parser, buffer);
    let ratio = large as f64 / small as f64;
    eprintln!("{name}: work {small} at {n} bytes, {large} at {} bytes: ratio {ratio:.2}", 4 * n);
    eprintln!("{name}: bytes moved by refills {moved} at {n} bytes, {moved_large} at {}", 4 * n);
    assert!(ratio <= 4.5, "{name}: work grew {ratio:.2}x for 4x the input");
    assert!(small <= 64 * n as u64, "{name}: {small} units for {n} bytes");
    // Refills copy what the buffer keeps: linear too (it is bounded by the
    // candidates' reach over what the buffer holds past it).
    let bound = 4.5 * moved as f64 + n as f64;
    assert!(moved_large as f64 <= bound, "{name}: {moved} then {moved_large} moved");
}

/// The stream's recovery work grows linearly with the input (the counts of
/// `tests/resync.rs`, no timing), also when the buffer holds only part of
/// the candidates' reach and moves on under them.
#[test]
fn stream_recovery_work_is_linear() {
    let default = Parser::new().max_packet_size(Some(StreamReader::<&[u8]>::DEFAULT_MAX_PACKET));
    assert_stream_linear("repeated magic", |n| repeated_magic(n, None), default, 1 << 20);
    // Whole input in the buffer (it grows to hold the first candidate).
    assert_stream_linear("fakes reaching the end", |n| fakes_reaching(n, n), default, 64 << 10);
    // A window of 64 KiB, candidates reaching 30 KiB: the buffer moves on
    // while candidates are pending.
    let small = Parser::new().max_packet_size(Some(64 << 10));
    assert_stream_linear("fakes reaching 30 KiB", |n| fakes_reaching(n, 30 << 10), small, 64 << 10);
    assert_stream_linear("fakes reaching 60 KiB", |n| fakes_reaching(n, 60 << 10), small, 4096);
}
