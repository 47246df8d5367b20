//! The parallel parser gives exactly the sequential record stream, whatever
//! the chunk size and however adversarial the input.

#![cfg(feature = "parallel")]

use proptest::prelude::*;
use zcpkt::parallel::ParallelParser;
use zcpkt::pkt::ExtensionArea;
use zcpkt::{ErrorKind, NewPacket, Parser, Record};

/// A piece of a payload, chosen to fool anything that looks for packets
/// by content.
#[derive(Clone, Debug)]
enum Piece {
    Bytes(Vec<u8>),
    Magic,
    /// A complete, valid packet inside the payload.
    FakePacket(Vec<u8>),
    /// Just the fixed header of a fake packet, claiming more bytes.
    FakeHeader(u32),
}

#[derive(Clone, Debug)]
struct Spec {
    source: String,
    dest: String,
    extension_area: Vec<u8>,
    pieces: Vec<Piece>,
}

/// A damage applied to the encoded capture.
#[derive(Clone, Debug)]
enum Damage {
    /// Overwrites a byte of a packet's header (`at` modulo its length).
    Header { packet: usize, at: usize, value: u8 },
    /// Replaces every 00 of a packet's identifiers: UnterminatedId.
    Unterminate { packet: usize },
    /// Overwrites any byte.
    Byte { at: usize, value: u8 },
    /// Inserts bytes anywhere.
    Insert { at: usize, bytes: Vec<u8> },
    /// Cuts the capture short.
    Truncate { keep: usize },
}

fn encode(packet: &NewPacket<'_>) -> Vec<u8> {
    let mut out = vec![0; packet.encoded_len().expect("small packet")];
    packet.encode(&mut out).expect("buffer sized by encoded_len");
    out
}

fn payload_of(pieces: &[Piece]) -> Vec<u8> {
    let mut payload = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Bytes(bytes) => payload.extend_from_slice(bytes),
            Piece::Magic => payload.extend_from_slice(b"PKT\0"),
            Piece::FakePacket(inner) => payload.extend(encode(&NewPacket::new("x", "y", inner))),
            Piece::FakeHeader(claimed) => {
                let fake = encode(&NewPacket::new("", "", &[]));
                payload.extend_from_slice(&fake[..8]);
                payload.extend_from_slice(&claimed.to_le_bytes());
                payload.extend_from_slice(&fake[12..24]);
            }
        }
    }
    payload
}

/// The capture and the offset and header length of each packet in it.
fn build(specs: &[Spec]) -> (Vec<u8>, Vec<(usize, usize)>) {
    let mut capture = Vec::new();
    let mut packets = Vec::new();
    for spec in specs {
        let payload = payload_of(&spec.pieces);
        let packet = NewPacket {
            extensions: ExtensionArea::Encoded(&spec.extension_area),
            ..NewPacket::new(&spec.source, &spec.dest, &payload)
        };
        let header_len = usize::from(packet.header_len().expect("short ids"));
        packets.push((capture.len(), header_len));
        capture.extend(encode(&packet));
    }
    (capture, packets)
}

fn apply(capture: &mut Vec<u8>, packets: &[(usize, usize)], damage: &Damage) {
    if capture.is_empty() {
        return;
    }
    let len = capture.len();
    match damage {
        Damage::Header { packet, at, value } if !packets.is_empty() => {
            let (offset, header_len) = packets[packet % packets.len()];
            if let Some(byte) = capture.get_mut(offset + at % header_len) {
                *byte = *value;
            }
        }
        Damage::Unterminate { packet } if !packets.is_empty() => {
            let (offset, header_len) = packets[packet % packets.len()];
            for byte in capture.iter_mut().take(offset + header_len).skip(offset + 24) {
                if *byte == 0 {
                    *byte = b'z';
                }
            }
        }
        Damage::Byte { at, value } => capture[at % len] = *value,
        Damage::Insert { at, bytes } => {
            let at = at % len;
            capture.splice(at..at, bytes.iter().copied());
        }
        Damage::Truncate { keep } => capture.truncate(keep % len),
        _ => {}
    }
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        3 => prop::collection::vec(any::<u8>(), 0..80).prop_map(Piece::Bytes),
        2 => Just(Piece::Magic),
        2 => prop::collection::vec(any::<u8>(), 0..40).prop_map(Piece::FakePacket),
        1 => (0u32..200).prop_map(Piece::FakeHeader),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    let extension_area = prop_oneof![
        4 => Just(Vec::new()),
        1 => Just(vec![1, 2, 0, 7, 7]),
        1 => prop::collection::vec(any::<u8>(), 1..6),
    ];
    ("[a-c]{0,3}", "[a-c]{0,3}", extension_area, prop::collection::vec(piece(), 0..5)).prop_map(
        |(source, dest, extension_area, pieces)| Spec { source, dest, extension_area, pieces },
    )
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), any::<usize>(), any::<u8>())
            .prop_map(|(packet, at, value)| Damage::Header { packet, at, value }),
        any::<usize>().prop_map(|packet| Damage::Unterminate { packet }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, value)| Damage::Byte { at, value }),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..30))
            .prop_map(|(at, bytes)| Damage::Insert { at, bytes }),
        any::<usize>().prop_map(|keep| Damage::Truncate { keep }),
    ]
}

/// Captures with payloads built to look like packets, then damaged.
fn capture() -> impl Strategy<Value = Vec<u8>> {
    (prop::collection::vec(spec(), 0..14), prop::collection::vec(damage(), 0..4)).prop_map(
        |(specs, damages)| {
            let (mut capture, packets) = build(&specs);
            for damage in &damages {
                apply(&mut capture, &packets, damage);
            }
            capture
        },
    )
}

fn parser() -> impl Strategy<Value = Parser> {
    (any::<bool>(), prop::option::weighted(0.2, 40u64..300))
        .prop_map(|(verify, limit)| Parser::new().verify_checksum(verify).max_packet_size(limit))
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Totals {
    packets: u64,
    errors: [u64; ErrorKind::NAMES.len()],
    skipped_bytes: u64,
    payload_bytes: u64,
}

fn add(mut totals: Totals, record: Record<'_>) -> Totals {
    match record {
        Record::Packet(packet) => {
            totals.packets += 1;
            totals.payload_bytes += packet.payload.len() as u64;
        }
        Record::Error(error) => {
            let name = error.kind.name();
            let index = ErrorKind::NAMES.iter().position(|&n| n == name).expect("known name");
            totals.errors[index] += 1;
        }
        Record::Skipped(skipped) => totals.skipped_bytes += skipped.len,
    }
    totals
}

fn merge(mut a: Totals, b: Totals) -> Totals {
    a.packets += b.packets;
    a.skipped_bytes += b.skipped_bytes;
    a.payload_bytes += b.payload_bytes;
    for (a, b) in a.errors.iter_mut().zip(b.errors) {
        *a += b;
    }
    a
}

fn in_order<'a>(parallel: &ParallelParser, input: &'a [u8]) -> Vec<Record<'a>> {
    let mut records = Vec::new();
    parallel.records_in_order(input, |record| records.push(record));
    records
}

fn assert_same_as_sequential(parser: Parser, recover: bool, chunk_size: usize, input: &[u8]) {
    let sequential: Vec<Record> = parser.records(input, recover).collect();
    let parallel = ParallelParser::new(parser).recover(recover).chunk_size(chunk_size);
    assert_eq!(in_order(&parallel, input), sequential);
    let expected = sequential.iter().copied().fold(Totals::default(), add);
    assert_eq!(parallel.fold(input, Totals::default, add, merge), expected);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn ordered_records_and_fold_equal_sequential(
        input in capture(),
        parser in parser(),
        recover in any::<bool>(),
        chunk_size in 64usize..512,
    ) {
        assert_same_as_sequential(parser, recover, chunk_size, &input);
    }

    #[test]
    fn fold_combines_chunks_in_file_order(input in capture(), chunk_size in 1usize..300) {
        let parallel = ParallelParser::new(Parser::new()).recover(true).chunk_size(chunk_size);
        let offsets = parallel.fold(
            &input,
            Vec::new,
            |mut offsets, record| {
                offsets.push(offset_of(&record));
                offsets
            },
            |mut a, b| {
                a.extend(b);
                a
            },
        );
        let expected: Vec<u64> = Parser::new().records(&input, true).map(|r| offset_of(&r)).collect();
        prop_assert_eq!(offsets, expected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn progress_reports_increasing_record_boundaries(
        input in capture(),
        recover in any::<bool>(),
        chunk_size in 1usize..300,
    ) {
        let parallel = ParallelParser::new(Parser::new()).recover(recover).chunk_size(chunk_size);
        let mut positions = Vec::new();
        let count = |n: usize, _| n + 1;
        let folded =
            parallel.fold_with_progress(&input, || 0, count, |a, b| a + b, |p| positions.push(p));
        let records: Vec<Record<'_>> = Parser::new().records(&input, recover).collect();
        prop_assert_eq!(folded, records.len());
        let boundaries: Vec<usize> = records
            .iter()
            .flat_map(|r| [offset_of(r), end_of(r)])
            .map(|at| usize::try_from(at).unwrap())
            .collect();
        prop_assert!(positions.windows(2).all(|w| w[0] < w[1]), "{:?}", positions);
        for position in &positions {
            prop_assert!(boundaries.contains(position), "{} not a boundary", position);
        }
    }
}

#[test]
fn progress_reaches_the_end_of_a_valid_capture() {
    let mut input = Vec::new();
    for i in 0..200u16 {
        input.extend(encode(&NewPacket::new("source", "dest", &i.to_le_bytes().repeat(20))));
    }
    let parallel = ParallelParser::new(Parser::new()).chunk_size(1000);
    let mut positions = Vec::new();
    let packets = parallel.fold_with_progress(
        &input,
        || 0,
        |n: usize, _| n + 1,
        |a, b| a + b,
        |p| positions.push(p),
    );
    assert_eq!(packets, 200);
    assert_eq!(positions.last(), Some(&input.len()));
    // A report per chunk, give or take the packets straddling chunk ends.
    assert!(positions.len() >= input.len() / 1000 - 1, "{positions:?}");
}

/// Where a record's bytes end.
fn end_of(record: &Record<'_>) -> u64 {
    match record {
        Record::Packet(packet) => packet.offset + packet.len() as u64,
        Record::Error(error) => match error.kind {
            ErrorKind::TooLarge { size, .. } => error.offset + size,
            _ => error.offset,
        },
        Record::Skipped(skipped) => skipped.offset + skipped.len,
    }
}

fn offset_of(record: &Record<'_>) -> u64 {
    match record {
        Record::Packet(packet) => packet.offset,
        Record::Error(error) => error.offset,
        Record::Skipped(skipped) => skipped.offset,
    }
}

/// A packet whose payload holds a valid packet exactly where a byte-offset
/// split would cut, then a damaged packet whose re-synchronisation lands on
/// a fake packet inside its own payload.
fn fake_packets_at_edges() -> Vec<u8> {
    let fake = encode(&NewPacket::new("fake", "edge", b"looks real"));
    let mut payload = vec![7u8; 100 - 31];
    payload.extend_from_slice(&fake);
    payload.extend_from_slice(&fake);
    let mut capture = encode(&NewPacket::new("a", "b", &payload));
    let damaged_at = capture.len();
    capture.extend(encode(&NewPacket::new("c", "d", &payload)));
    capture[damaged_at + 24 + 1] = b'!'; // SOURCE_ID "c" loses its terminator...
    capture[damaged_at + 24 + 3] = b'!'; // ...and so does DEST_ID.
    for i in 0..5u8 {
        capture.extend(encode(&NewPacket::new("e", "f", &[i; 50])));
    }
    capture
}

#[test]
fn fake_packets_at_chunk_edges_and_resync_into_a_payload() {
    let input = fake_packets_at_edges();
    let records: Vec<Record> = Parser::new().records(&input, true).collect();
    assert!(records.iter().any(|r| matches!(r, Record::Skipped(_))));
    for chunk_size in [1, 31, 69, 100, 131, 200, 4096] {
        for recover in [false, true] {
            assert_same_as_sequential(Parser::new(), recover, chunk_size, &input);
        }
    }
}

#[test]
fn dedicated_pools_of_any_size_give_the_same_records() {
    let input = fake_packets_at_edges();
    let sequential: Vec<Record> = Parser::new().records(&input, true).collect();
    for threads in [0, 1, 2, 3, 4] {
        let parallel = ParallelParser::new(Parser::new())
            .recover(true)
            .chunk_size(64)
            .threads(threads)
            .expect("thread pool");
        assert_eq!(in_order(&parallel, &input), sequential);
    }
}

#[test]
fn empty_input_gives_no_record() {
    let parallel = ParallelParser::new(Parser::new()).recover(true);
    assert!(in_order(&parallel, &[]).is_empty());
    assert_eq!(parallel.fold(&[], || 0, |n, _| n + 1, |a, b| a + b), 0);
}

#[test]
fn garbage_only_input_gives_one_error_and_one_skip() {
    let input = [0xAAu8; 1000];
    let parallel = ParallelParser::new(Parser::new()).recover(true).chunk_size(64);
    let records = in_order(&parallel, &input);
    assert_eq!(records.len(), 2);
    assert!(matches!(records[0], Record::Error(e) if e.kind == ErrorKind::BadMagic));
    assert!(matches!(records[1], Record::Skipped(s) if s.offset == 0 && s.len == 1000));
}

#[test]
fn a_panicking_fold_panics_the_caller_instead_of_hanging() {
    let input = fake_packets_at_edges();
    let parallel = ParallelParser::new(Parser::new()).chunk_size(64);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        parallel.fold(&input, || 0u32, |_, _| panic!("user code failed"), |a, b| a + b)
    }));
    assert!(result.is_err());
}

#[test]
fn a_panicking_callback_stops_the_workers_and_the_parser_stays_usable() {
    let input = fake_packets_at_edges();
    let parallel = ParallelParser::new(Parser::new()).chunk_size(64).threads(2).expect("pool");
    let expected: Vec<Record> = Parser::new().records(&input, false).collect();
    for panic_at in [0, 1, expected.len() / 2, expected.len() - 1] {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut seen = 0;
            parallel.records_in_order(&input, |_| {
                assert!(seen != panic_at, "callback failed");
                seen += 1;
            });
        }));
        assert!(result.is_err());
        // The call returned, so its workers have stopped; the pool still works.
        assert_eq!(in_order(&parallel, &input), expected);
    }
}

/// A recovery through 2 MiB of `PKT\0` between two packets, and another
/// after them: the searching callback sees each long search go forward, in
/// positions of the whole input, and the records stay the sequential ones.
#[test]
fn records_in_order_searching_reports_long_recoveries_as_they_go() {
    let packet = encode(&NewPacket::new("a", "b", b"payload"));
    let garbage = b"PKT\0".repeat(1 << 19);
    let input = [&packet[..], &garbage, &packet, &garbage, &packet].concat();
    let parallel = ParallelParser::new(Parser::new()).recover(true).chunk_size(4096);
    let mut records = Vec::new();
    let mut reports = Vec::new();
    parallel.records_in_order_searching(
        &input,
        |r| records.push(r),
        |at, to| reports.push((at, to)),
    );
    let sequential: Vec<Record> = Parser::new().records(&input, true).collect();
    assert_eq!(records, sequential);
    // About one report per SEARCH_STEP of work (one unit per byte here).
    assert!(reports.len() >= 4, "{reports:?}");
    let second = packet.len() + garbage.len() + packet.len();
    assert!(reports.iter().any(|&(at, _)| at > second), "{reports:?}");
    for &(at, to) in &reports {
        assert!(at >= packet.len() && at <= to && to <= input.len(), "{at} {to}");
    }
}
