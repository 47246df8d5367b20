//! Re-synchronisation: the amortised scanner against the naive oracle on
//! hostile input, `Records` against a naive reference, and a work count
//! that grows linearly with the input (no timing).
//!
//! Case counts are moderate; `PROPTEST_CASES` overrides them.

use proptest::prelude::*;
use zcpkt::pkt::{
    checkpoints_for, find_next_valid, find_next_valid_counted, find_next_valid_naive, ReadAt, Scan,
    Scanner, SearchProgress, Window, READ_AT_MAX,
};
use zcpkt::{
    Error, ErrorKind, Extension, ExtensionType, NewPacket, Parser, Record, Records, Skipped,
};

mod support;
use support::config;

/// A fixed header: magic, version 1, the given fields.
fn fixed(flags: u8, header_len: u16, payload_len: u32, checksum: u32) -> Vec<u8> {
    let mut v = b"PKT\0".to_vec();
    v.push(1);
    v.push(flags);
    v.extend_from_slice(&header_len.to_le_bytes());
    v.extend_from_slice(&payload_len.to_le_bytes());
    v.extend_from_slice(&checksum.to_le_bytes());
    v.extend_from_slice(&7u64.to_le_bytes());
    v
}

/// One piece of a hostile input.
#[derive(Clone, Debug)]
enum Piece {
    /// `PKT\0` repeated.
    Magics(usize),
    /// Random bytes.
    Noise(Vec<u8>),
    /// A fake header: its fields, what follows the fixed part (ids,
    /// extensions, payload), and what to patch once the input is built.
    Fake { header_len: u16, payload_len: u32, body: Vec<u8>, to_end: Option<usize>, fix_crc: bool },
    /// A real packet.
    Real(Vec<u8>),
}

/// Bytes that look like identifiers: text with or without a 00, bad UTF-8
/// (lone continuation bytes, truncated sequences) at various places.
fn id_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(vec![0]),
        Just(b"ab\0".to_vec()),
        "[a-zé日😀]{0,8}".prop_map(|s| {
            let mut v = s.into_bytes();
            v.push(0);
            v
        }),
        prop::collection::vec(prop_oneof![Just(0x80u8), Just(0xE2), Just(0xC3), Just(b'x')], 0..6)
            .prop_map(|mut v| {
                v.push(0);
                v
            }),
        prop::collection::vec(1u8..=255, 0..40), // no terminator
    ]
}

/// An extension area: tiny records, maybe with a bad tail.
fn ext_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        (0usize..40, 0usize..3).prop_map(|(n, tail)| {
            let mut v = Vec::new();
            for i in 0..n {
                v.extend_from_slice(&[(i % 7) as u8, (i % 2) as u8, 0]);
                if i % 2 == 1 {
                    v.push(b'v');
                }
            }
            v.extend(std::iter::repeat(9u8).take(tail));
            v
        }),
        prop::collection::vec(any::<u8>(), 0..20),
    ]
}

fn piece() -> impl Strategy<Value = Piece> {
    let fake = (
        id_bytes(),
        id_bytes(),
        ext_bytes(),
        prop::collection::vec(any::<u8>(), 0..24),
        prop_oneof![Just(None), (0usize..64).prop_map(Some)],
        any::<bool>(),
        prop_oneof![
            3 => Just(None),
            1 => (26u16..=400).prop_map(Some),
            1 => (60_000u16..=u16::MAX).prop_map(Some),
        ],
        0u32..64,
    )
        .prop_map(|(src, dst, ext, payload, to_end, fix_crc, header_len, payload_len)| {
            let mut body = [src, dst, ext].concat();
            // By default the header ends where the body's header part ends.
            let header_len = header_len.unwrap_or((24 + body.len()).clamp(26, 65_535) as u16);
            body.extend_from_slice(&payload);
            Piece::Fake { header_len, payload_len, body, to_end, fix_crc }
        });
    let real = ("[a-z]{0,3}", "[a-z]{0,3}", prop::collection::vec(any::<u8>(), 0..16), 0usize..3)
        .prop_map(|(s, d, payload, exts)| {
            let values: Vec<Vec<u8>> = (0..exts).map(|i| vec![i as u8; i]).collect();
            let exts: Vec<Extension> = values
                .iter()
                .map(|v| Extension { ty: ExtensionType::Metadata, value: v })
                .collect();
            let packet = NewPacket::new(&s, &d, &payload).extensions(&exts);
            let mut buf = vec![0; packet.encoded_len().unwrap()];
            packet.encode(&mut buf).unwrap();
            Piece::Real(buf)
        });
    prop_oneof![
        1 => (1usize..20).prop_map(Piece::Magics),
        1 => prop::collection::vec(any::<u8>(), 0..16).prop_map(Piece::Noise),
        4 => fake,
        1 => real,
    ]
}

/// Builds a hostile input from pieces, then patches the fake headers:
/// payloads that run to near the end, and (some) correct checksums, so
/// that candidates fail late, or not at all.
fn build(pieces: &[Piece]) -> Vec<u8> {
    let mut input = Vec::new();
    let mut patches = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Magics(n) => input.extend(b"PKT\0".repeat(*n)),
            Piece::Noise(bytes) | Piece::Real(bytes) => input.extend_from_slice(bytes),
            Piece::Fake { header_len, payload_len, body, to_end, fix_crc } => {
                patches.push((input.len(), *header_len, *to_end, *fix_crc));
                input.extend(fixed(0, *header_len, *payload_len, 0x1234_5678));
                input.extend_from_slice(body);
            }
        }
    }
    let len = input.len();
    for &(at, header_len, to_end, _) in &patches {
        if let Some(back) = to_end {
            let end = len.saturating_sub(back).max(at + usize::from(header_len));
            let payload_len = (end - at - usize::from(header_len)) as u32;
            input[at + 8..at + 12].copy_from_slice(&payload_len.to_le_bytes());
        }
    }
    // Later headers first: an earlier payload may contain a later header.
    for &(at, header_len, _, fix_crc) in patches.iter().rev() {
        let payload_len = u32::from_le_bytes(input[at + 8..at + 12].try_into().unwrap());
        let start = at + usize::from(header_len);
        let end = start + payload_len as usize;
        if fix_crc && end <= len {
            let crc = crc32fast::hash(&input[start..end]);
            input[at + 12..at + 16].copy_from_slice(&crc.to_le_bytes());
        }
    }
    input
}

fn parsers() -> [Parser; 3] {
    [Parser::new(), Parser::new().verify_checksum(false), Parser::new().max_packet_size(Some(200))]
}

/// What these tests compare of a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum R {
    P(u64, u64),
    E(Error),
    S(u64, u64),
}

fn show(record: &Record) -> R {
    match record {
        Record::Packet(p) => R::P(p.offset, p.len() as u64),
        Record::Error(e) => R::E(*e),
        Record::Skipped(Skipped { offset, len }) => R::S(*offset, *len),
    }
}

/// The record stream as `dump-json.md` defines it, written plainly on
/// top of the naive search.
fn reference_records(parser: &Parser, input: &[u8], recover: bool) -> Vec<R> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < input.len() {
        match parser.parse_packet(&input[pos..], pos as u64) {
            Ok(packet) => {
                out.push(R::P(packet.offset, packet.len() as u64));
                out.extend(packet.errors().map(R::E));
                pos += packet.len();
            }
            Err(error) => {
                out.push(R::E(error));
                if let ErrorKind::TooLarge { size, .. } = error.kind {
                    pos += size as usize;
                } else if recover {
                    let next =
                        find_next_valid_naive(parser, input, pos + 1, 0).unwrap_or(input.len());
                    out.push(R::S(pos as u64, (next - pos) as u64));
                    pos = next;
                } else {
                    break;
                }
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(config(600))]

    /// The scanner agrees with the oracle from every start position, with
    /// fresh state (the free function) and with one scanner reused over
    /// increasing starts (what `Records` does).
    #[test]
    fn scanner_equals_naive(pieces in prop::collection::vec(piece(), 0..12)) {
        let input = build(&pieces);
        for parser in parsers() {
            let mut scanner = Scanner::new();
            for from in 0..=input.len() + 1 {
                let naive = find_next_valid_naive(&parser, &input, from, 0);
                prop_assert_eq!(find_next_valid(&parser, &input, from, 0), naive, "from {}", from);
                prop_assert_eq!(scanner.find(&parser, &input, from), naive, "reused, from {}", from);
            }
        }
    }

    /// A real packet hidden at a random position in hostile bytes is found
    /// (or an earlier valid one, exactly as the oracle says).
    #[test]
    fn hidden_packet_is_found(
        pieces in prop::collection::vec(piece(), 0..8),
        at in any::<prop::sample::Index>(),
        from in any::<prop::sample::Index>(),
    ) {
        let mut input = build(&pieces);
        let packet = {
            let p = NewPacket::new("hidden", "here", b"payload");
            let mut buf = vec![0; p.encoded_len().unwrap()];
            p.encode(&mut buf).unwrap();
            buf
        };
        let at = at.index(input.len() + 1);
        input.splice(at..at, packet);
        let from = from.index(at + 1);
        for parser in parsers() {
            let naive = find_next_valid_naive(&parser, &input, from, 0);
            prop_assert!(naive.is_some_and(|found| found <= at));
            prop_assert_eq!(find_next_valid(&parser, &input, from, 0), naive);
        }
    }

    /// `Records` over hostile input equals the plain reference, with the
    /// inline checkpoint table or a lent one of any length.
    #[test]
    fn records_equal_reference(
        pieces in prop::collection::vec(piece(), 0..16),
        table in prop_oneof![Just(0usize), 1usize..4, Just(4096)],
    ) {
        let input = build(&pieces);
        for parser in parsers() {
            for recover in [false, true] {
                let expected = reference_records(&parser, &input, recover);
                let got: Vec<R> = parser.records(&input, recover).map(|r| show(&r)).collect();
                prop_assert_eq!(&got, &expected);
                let lent = Records::with_checkpoints(parser, &input, 0, recover, vec![0; table]);
                let got: Vec<R> = lent.map(|r| show(&r)).collect();
                prop_assert_eq!(&got, &expected, "table {}", table);
                // Far reads served by another copy of the input, some refused.
                let mut reader = CopyReader::new(&input, 3);
                let mut lent = Records::with_checkpoints(parser, &input, 0, recover, vec![0; table]);
                let mut got = Vec::new();
                loop {
                    while lent.search_reading(1000, &mut reader).is_some() {}
                    let Some(record) = lent.next() else { break };
                    got.push(show(&record));
                }
                prop_assert_eq!(got, expected, "read far, table {}", table);
            }
        }
    }
}

/// A repeating block of a few random-looking fields and magic: fuzzes the
/// caches' reuse across many close candidates with one input.
#[test]
fn dense_candidates_with_shared_terminators() {
    let mut input = Vec::new();
    for i in 0..300u32 {
        input.extend(fixed(0, 26 + (i % 40) as u16, i % 5, 0));
        input.extend_from_slice(&[b'a', 0x80 * (i % 3 == 0) as u8, 0, b'b', 0, 1, 0, 0]);
        input.extend(b"PKT\0".repeat((i % 3) as usize));
    }
    for parser in parsers() {
        let mut scanner = Scanner::new();
        for from in 0..input.len() {
            let naive = find_next_valid_naive(&parser, &input, from, 0);
            assert_eq!(scanner.find(&parser, &input, from), naive, "from {from}");
        }
    }
}

#[test]
fn a_valid_packet_after_far_reaching_fakes() {
    // Fakes whose payloads end at scattered places near the end, with
    // wrong checksums, then one packet with the right checksum.
    let mut input = Vec::new();
    for i in 0..200u32 {
        input.extend(fixed(0, 26, 0, i));
        input.extend_from_slice(&[0, 0, (i % 251) as u8, 3]);
    }
    let target = input.len();
    let real = NewPacket::new("x", "y", b"found me");
    let mut buf = vec![0; real.encoded_len().unwrap()];
    real.encode(&mut buf).unwrap();
    input.extend_from_slice(&buf);
    input.extend(std::iter::repeat(0x5A).take(5000));
    let len = input.len();
    for i in 0..200usize {
        let at = i * 30;
        let end = len - (i * 7919) % 3000;
        input[at + 8..at + 12].copy_from_slice(&((end - at - 26) as u32).to_le_bytes());
    }
    let (found, _) = find_next_valid_counted(&Parser::new(), &input, 1);
    assert_eq!(found, Some(target));
    assert_eq!(find_next_valid_naive(&Parser::new(), &input, 1, 0), Some(target));
}

// ---- linear work ----

/// `PKT\0` repeated to `n` bytes.
fn repeated_magic(n: usize) -> Vec<u8> {
    b"PKT\0".repeat(n / 4)
}

/// A fake header every 32 bytes, empty ids, payload running to within
/// `spread` bytes of the end (a different end each), wrong checksum.
fn far_payloads(n: usize, spread: usize) -> Vec<u8> {
    let mut input = Vec::with_capacity(n);
    let mut i = 0usize;
    while input.len() + 32 <= n {
        let at = input.len();
        let end = (n - (i.wrapping_mul(2_654_435_761) % spread.max(1))).max(at + 26);
        input.extend(fixed(0, 26, (end - at - 26) as u32, 0xBAD));
        input.extend_from_slice(&[0, 0, 1, 2, 3, 4]);
        i += 1;
    }
    input.resize(n, 9);
    input
}

/// A fake header every 64 bytes with HEADER_LEN 0xF0F0 and no 00 other
/// than the magics' (the terminator search runs to the next candidate).
fn long_headers(n: usize) -> Vec<u8> {
    let mut input = Vec::with_capacity(n);
    while input.len() + 64 <= n {
        input.extend(fixed(0, 0xF0F0, 0x0001_0101, 0x0101_0101));
        let ts = input.len() - 8;
        input[ts..].fill(b't');
        input.extend_from_slice(&[b'x'; 40]);
    }
    input.resize(n, b'x');
    input
}

fn work(input: &[u8]) -> u64 {
    let (found, work) = find_next_valid_counted(&Parser::new(), input, 1);
    assert_eq!(found, None);
    work
}

fn assert_linear(name: &str, make: impl Fn(usize) -> Vec<u8>) {
    let n = 1 << 20;
    let (small, large) = (work(&make(n)), work(&make(4 * n)));
    let ratio = large as f64 / small as f64;
    eprintln!("{name}: work {small} at {n} bytes, {large} at {} bytes: ratio {ratio:.2}", 4 * n);
    assert!(ratio <= 4.5, "{name}: work grew {ratio:.2}x for 4x the input");
    assert!(small <= 64 * n as u64, "{name}: {small} units for {n} bytes");
}

#[test]
fn work_is_linear_on_repeated_magic() {
    assert_linear("repeated magic", repeated_magic);
}

#[test]
fn work_is_linear_on_payloads_to_the_end() {
    assert_linear("payloads to the end, same end", |n| far_payloads(n, 1));
    assert_linear("payloads to the end, ends spread over 4 KiB", |n| far_payloads(n, 4096));
}

#[test]
fn work_is_linear_on_long_headers() {
    assert_linear("long headers", long_headers);
}

/// Work per byte with a lent table of `checkpoints_for(n)` entries.
fn work_per_byte_lent(input: &[u8]) -> f64 {
    let mut scanner = Scanner::with_table(vec![0u32; checkpoints_for(input.len())]);
    assert_eq!(scanner.find(&Parser::new(), input, 1), None);
    scanner.work() as f64 / input.len() as f64
}

/// Payload ends scattered over the whole input: with the inline table
/// (4096 checkpoints) the work per byte doubles with the input past
/// 16 MiB (measured 38, 72, 141 at 16, 32, 64 MiB); a table of a
/// checkpoint per 4 KiB keeps it flat.
#[test]
fn scattered_ends_are_linear_with_a_lent_table() {
    let per_byte: Vec<f64> = [16usize, 32, 64]
        .iter()
        .map(|&mib| work_per_byte_lent(&far_payloads(mib << 20, mib << 20)))
        .collect();
    eprintln!("scattered ends, lent table: {per_byte:.1?} units per byte at 16, 32, 64 MiB");
    for (mib, &w) in [32, 64].iter().zip(&per_byte[1..]) {
        assert!(w <= 1.1 * per_byte[0], "{w:.1} units per byte at {mib} MiB, {per_byte:.1?}");
    }
    assert!(per_byte[2] <= 64.0, "{per_byte:.1?}");
}

/// Lent tables of any length, from none at all to more than the input
/// needs, give the oracle's answers, whole and through a moving window:
/// over 64 KiB, tables of 2, 3, 5, 17 entries give strides of 64, 32, 16
/// and 4 KiB.
#[test]
fn lent_tables_of_any_length_equal_naive() {
    let n = 64 << 10;
    let mut input = far_payloads(n, n);
    let mut real = |at: usize, payload: &[u8]| {
        let p = NewPacket::new("x", "y", payload);
        let mut buf = vec![0; p.encoded_len().unwrap()];
        p.encode(&mut buf).unwrap();
        input.splice(at..at, buf);
    };
    real(n - 300, b"near the end");
    real(40_000, b"in the middle");
    real(9_000, &[7; 5000]);
    let from: Vec<usize> = (0..input.len()).step_by(97).chain([1, 9_000, 9_001]).collect();
    let naive: Vec<Option<usize>> =
        from.iter().map(|&at| find_next_valid_naive(&Parser::new(), &input, at, 0)).collect();
    assert!(naive.iter().filter(|found| found.is_some()).count() > 300);
    for len in [0, 1, 2, 3, 5, 17, 4096, checkpoints_for(n) + 100] {
        let mut scanner = Scanner::with_table(vec![0u32; len]);
        for (&at, &expected) in from.iter().zip(&naive) {
            assert_eq!(
                scanner.find(&Parser::new(), &input, at),
                expected,
                "table {len}, from {at}"
            );
        }
        let mut borrowed = vec![0u32; len];
        let mut scanner = Scanner::with_table(&mut borrowed[..]);
        let (mut at, mut end) = (0, 0);
        loop {
            let expected = find_next_valid_naive(&Parser::new(), &input, at, 0);
            let (found, _) =
                scan_windowed(&mut scanner, &Parser::new(), &input, at, (4000, 3000), &mut end);
            assert_eq!(found, expected, "windowed, table {len}, from {at}");
            match found {
                Some(found) => at = found + 1,
                None => break,
            }
        }
    }
}

/// Serves far reads from its own copy of the input, refusing every
/// `refuse`-th read (none for 0), and counts the reads it served.
struct CopyReader {
    bytes: Vec<u8>,
    refuse: usize,
    calls: usize,
    served: usize,
}

impl CopyReader {
    fn new(input: &[u8], refuse: usize) -> Self {
        Self { bytes: input.to_vec(), refuse, calls: 0, served: 0 }
    }
}

impl ReadAt for CopyReader {
    fn read_at(&mut self, at: usize, len: usize) -> Option<&[u8]> {
        assert!(len > 0 && len <= READ_AT_MAX, "{len} bytes asked for");
        assert!(at + len <= self.bytes.len(), "{at}+{len} past the input");
        self.calls += 1;
        if self.refuse != 0 && self.calls % self.refuse == 0 {
            return None;
        }
        self.served += 1;
        self.bytes.get(at..at + len)
    }
}

/// Scattered payload ends (and a few real packets), their far checksum
/// reads served by a reader (as a mapped file's positioned reads are):
/// the same answers and the same work as reading the window (which
/// `lent_tables_of_any_length_equal_naive` checks against the oracle),
/// whether the reader serves every read or refuses some (the window then
/// serves them).
#[test]
fn far_reads_through_a_reader_give_the_window_answers() {
    let n = 384 << 10;
    let mut input = far_payloads(n, n);
    for (at, payload) in
        [(n - 300, &b"near the end"[..]), (200_000, b"middle"), (9_000, &[7; 5000])]
    {
        let p = NewPacket::new("x", "y", payload);
        let mut buf = vec![0; p.encoded_len().unwrap()];
        p.encode(&mut buf).unwrap();
        input.splice(at..at, buf);
    }
    let from: Vec<usize> = (0..input.len()).step_by(4099).chain([9_000, 9_001]).collect();
    let mut from = from;
    from.sort_unstable();
    // Tables short of a checkpoint per 4 KiB hash far more per candidate:
    // `lent_tables_of_any_length_equal_naive` covers them.
    for len in [4096, checkpoints_for(input.len()) + 5] {
        for refuse in [0, 3] {
            let mut plain = Scanner::with_table(vec![0u32; len]);
            let mut reading = Scanner::with_table(vec![0u32; len]);
            let mut reader = CopyReader::new(&input, refuse);
            let mut found = 0;
            for &at in &from {
                let expected = plain.find(&Parser::new(), &input, at);
                found += usize::from(expected.is_some());
                let window = Window::whole(&input);
                let got = reading.scan_reading(&Parser::new(), window, at, u64::MAX, &mut reader);
                let expected = expected.map_or(Scan::NotFound, Scan::Found);
                assert_eq!(got, expected, "table {len}, refuse {refuse}, from {at}");
            }
            assert!(found > 10, "{found} found");
            assert_eq!(reading.work(), plain.work(), "table {len}, refuse {refuse}");
            assert!(reader.served > 100, "table {len}: {} reads served", reader.served);
        }
    }
}

/// The records of a scattered-ends input with real packets and damage,
/// searched a little at a time with far reads through a reader, are the
/// slice's.
#[test]
fn records_searching_through_a_reader_are_the_slice_records() {
    let n = 512 << 10;
    let mut input = b"junk".to_vec();
    input.extend(far_payloads(n, n));
    for at in [100_000, 300_000, n - 500] {
        let p = NewPacket::new("a", "b", b"ok");
        let mut buf = vec![0; p.encoded_len().unwrap()];
        p.encode(&mut buf).unwrap();
        buf.extend_from_slice(b"more junk");
        input.splice(at..at, buf);
    }
    let parser = Parser::new();
    let expected: Vec<Record> = parser.records(&input, true).collect();
    assert!(expected.len() >= 6, "{expected:?}");
    let table = vec![0u32; checkpoints_for(input.len())];
    let mut records = Records::with_checkpoints(parser, &input, 0, true, table);
    let mut reader = CopyReader::new(&input, 0);
    let mut got = Vec::new();
    loop {
        while records.search_reading(10_000, &mut reader).is_some() {}
        let Some(record) = records.next() else { break };
        got.push(record);
    }
    assert_eq!(got, expected);
    assert!(reader.served > 1000, "{} reads served", reader.served);
}

#[test]
fn records_recover_through_far_payloads_once() {
    // Many lost-framing errors, each followed by fakes reaching the end:
    // one scanner across all recoveries keeps the total linear. Checked
    // against the reference on a small input.
    let mut input = Vec::new();
    for i in 0..40u32 {
        input.extend_from_slice(b"junk");
        input.extend(far_payloads(640, 64).into_iter().skip(32 * (i as usize % 3)));
        let p = NewPacket::new("a", "b", b"ok");
        let mut buf = vec![0; p.encoded_len().unwrap()];
        p.encode(&mut buf).unwrap();
        input.extend_from_slice(&buf);
    }
    let parser = Parser::new();
    let got: Vec<R> = parser.records(&input, true).map(|r| show(&r)).collect();
    assert_eq!(got, reference_records(&parser, &input, true));
}

// ---- windows and budgets ----

/// Drives `Scanner::scan` as a stream reader does: a window that starts
/// where the scanner says to keep bytes from and grows `step` bytes per
/// read, `budget` units of work per call. `end` is where the window ends,
/// kept from one search to the next (a stream's buffer never gives bytes
/// back). Returns the first valid packet at or after `from`, and the
/// window's largest size.
fn scan_windowed<C: AsRef<[u32]> + AsMut<[u32]>>(
    scanner: &mut Scanner<C>,
    parser: &Parser,
    input: &[u8],
    from: usize,
    (step, budget): (usize, u64),
    end: &mut usize,
) -> (Option<usize>, usize) {
    let (mut start, mut at) = (from, from);
    *end = (*end).max((from + step).min(input.len()));
    let mut widest = 0;
    for _ in 0..10_000_000 {
        widest = widest.max(*end - start);
        let window = Window::new(&input[start..*end], start, *end == input.len());
        match scanner.scan(parser, window, at, budget) {
            Scan::Found(found) => return (Some(found), widest),
            Scan::NotFound => return (None, widest),
            Scan::Paused { resume_at, read_to } => {
                assert!(
                    resume_at >= at && read_to <= *end,
                    "paused at {resume_at}, read {read_to}"
                );
                at = resume_at;
            }
            Scan::NeedMore { keep_from, need_to } => {
                assert!(keep_from >= at && keep_from <= *end && need_to > *end);
                (start, at) = (keep_from, keep_from);
                *end = (*end + step).min(input.len());
            }
        }
    }
    panic!("no answer");
}

proptest! {
    #![proptest_config(config(300))]

    /// A scanner shown a moving window, with or without a budget, finds
    /// every valid packet the oracle finds, one after the other, with one
    /// scanner for all of them; the window never holds more than the
    /// largest packet the parser accepts (plus a read).
    #[test]
    fn windowed_scans_equal_naive(
        pieces in prop::collection::vec(piece(), 0..12),
        step in prop_oneof![1usize..8, 8usize..300],
        budget in prop_oneof![Just(u64::MAX), 1u64..64, 64u64..4096],
    ) {
        let input = build(&pieces);
        for parser in parsers() {
            let mut scanner = Scanner::new();
            let (mut from, mut end) = (0, 0);
            loop {
                let naive = find_next_valid_naive(&parser, &input, from, 0);
                let (found, widest) =
                    scan_windowed(&mut scanner, &parser, &input, from, (step, budget), &mut end);
                prop_assert_eq!(found, naive, "from {}", from);
                if let Some(limit) = parser.packet_size_limit() {
                    prop_assert!(widest as u64 <= limit.max(24) + step as u64);
                }
                match found {
                    Some(at) => from = at + 1,
                    None => break,
                }
            }
        }
    }

    /// `resume_at` gives the records a new `Records` over the rest would,
    /// whatever an earlier recovery left in its scanner.
    #[test]
    fn resume_at_equals_a_new_reader_on_the_rest(
        pieces in prop::collection::vec(piece(), 0..16),
        at in any::<prop::sample::Index>(),
    ) {
        let input = build(&pieces);
        let at = at.index(input.len() + 1);
        for parser in parsers() {
            let rest = &input[at..];
            let expected: Vec<R> =
                Records::new(parser, rest, at as u64, true).map(|r| show(&r)).collect();
            let mut records = parser.records(&input, true);
            records.by_ref().take(4).for_each(drop);
            records.resume_at(at);
            prop_assert_eq!(records.map(|r| show(&r)).collect::<Vec<R>>(), expected);
        }
    }

    /// `Records` searching in budgeted steps gives the records of `next`
    /// alone whatever the budget, and its progress only goes forward.
    #[test]
    fn records_searching_in_steps_equal_records(
        pieces in prop::collection::vec(piece(), 0..16),
        budget in prop_oneof![1u64..16, 16u64..2048],
    ) {
        let input = build(&pieces);
        for parser in parsers() {
            let expected: Vec<R> = parser.records(&input, true).map(|r| show(&r)).collect();
            let mut records = parser.records(&input, true);
            let (mut got, mut last) = (Vec::new(), 0);
            loop {
                while let Some(SearchProgress { position, read_to }) = records.search(budget) {
                    prop_assert!(position >= last && read_to <= input.len());
                    last = position;
                }
                let Some(record) = records.next() else { break };
                got.push(show(&record));
            }
            prop_assert_eq!(got, expected);
        }
    }
}

#[test]
fn a_budget_pauses_a_long_search_every_few_bytes_of_work() {
    // 1 MiB of payloads running to the end: the first candidate's checksum
    // needs the coarse pass over all of it, which pauses too.
    let mut input = far_payloads(1 << 20, 1);
    input[0] = b'X';
    let mut records = Parser::new().records(&input, true);
    assert_eq!(records.search(1000), None, "nothing to search before the error");
    assert!(matches!(records.next(), Some(Record::Error(_))));
    let (mut pauses, mut furthest) = (0, 0);
    while let Some(progress) = records.search(64 << 10) {
        pauses += 1;
        furthest = furthest.max(progress.read_to);
    }
    assert_eq!(records.search(1000), None, "the search is over");
    let skipped = records.next();
    assert_eq!(skipped, Some(Record::Skipped(Skipped { offset: 0, len: 1 << 20 })));
    assert!(pauses >= 16, "{pauses} pauses");
    assert!(furthest > 1 << 19, "read to {furthest}");

    // The smallest budget still goes forward, through the checksum pass.
    let mut input = far_payloads(256 << 10, 1);
    input[0] = b'X';
    let expected: Vec<R> = Parser::new().records(&input, true).map(|r| show(&r)).collect();
    assert_eq!(expected.len(), 2, "error, then a skip to the end: {expected:?}");
    let mut records = Parser::new().records(&input, true);
    let (mut got, mut pauses) = (Vec::new(), 0u64);
    loop {
        while records.search(1).is_some() {
            pauses += 1;
        }
        let Some(record) = records.next() else { break };
        got.push(show(&record));
    }
    assert_eq!(got, expected);
    assert!(pauses > 1000, "{pauses} pauses");
}
