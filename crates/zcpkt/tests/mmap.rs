//! `MappedFile` yields exactly what the slice parsers yield over the file's
//! bytes, including after it has released pages behind the reader.

#![cfg(feature = "std")]

use std::path::PathBuf;

use zcpkt::source::mmap::{MappedFile, RELEASE_WINDOW};
use zcpkt::{NewPacket, Parser, Record};

/// A file in the temporary directory, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn with(name: &str, bytes: &[u8]) -> Self {
        let path = std::env::temp_dir().join(format!("zcpkt-mmap-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).expect("write temp file");
        Self(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `count` packets with payloads of 64 to 4159 bytes.
fn capture(count: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut payload = Vec::new();
    for i in 0..count {
        payload.clear();
        payload.extend((0..64 + (i * 997) % 4096).map(|j| (i + j) as u8));
        NewPacket::new("probe", "collector", &payload)
            .timestamp(i as u64)
            .write_to(&mut out)
            .unwrap();
    }
    out
}

fn damaged() -> Vec<u8> {
    let mut bytes = capture(40);
    bytes[5000] ^= 0xFF; // probably a payload: checksum mismatch
    bytes.splice(20_000..20_000, *b"garbage PKT\0 garbage");
    let len = bytes.len();
    bytes.truncate(len - 10);
    bytes
}

fn assert_records_match(name: &str, bytes: &[u8]) {
    let file = TempFile::with(name, bytes);
    let mapped = MappedFile::open(&file.0).expect("map");
    let read = std::fs::read(&file.0).expect("read");
    assert_eq!(mapped.as_bytes(), &read[..]);
    for parser in [Parser::new(), Parser::new().verify_checksum(false).max_packet_size(Some(2000))]
    {
        for recover in [false, true] {
            let expected: Vec<Record> = parser.records(&read, recover).collect();
            // Collected first and compared after: the comparison reads every
            // payload again, after the iterator has released its pages.
            let got: Vec<Record> = mapped.records(parser, recover).collect();
            assert_eq!(got, expected, "recover={recover}");
        }
        let expected: Vec<_> = parser.packets(&read).collect();
        assert_eq!(mapped.packets(parser).collect::<Vec<_>>(), expected);
    }
}

#[test]
fn clean_file_gives_the_slice_records() {
    assert_records_match("clean", &capture(50));
}

#[test]
fn damaged_file_gives_the_slice_records_with_and_without_recovery() {
    let bytes = damaged();
    let records: Vec<Record> = Parser::new().records(&bytes, true).collect();
    assert!(records.iter().filter(|r| matches!(r, Record::Error(_))).count() >= 3);
    assert_records_match("damaged", &bytes);
}

#[test]
fn empty_file_maps_to_no_bytes_and_no_records() {
    let file = TempFile::with("empty", &[]);
    let mapped = MappedFile::open(&file.0).expect("map empty file");
    assert!(mapped.is_empty());
    assert_eq!(mapped.as_bytes(), &[] as &[u8]);
    assert_eq!(mapped.records(Parser::new(), true).count(), 0);
    assert_eq!(mapped.packets(Parser::new()).count(), 0);
}

#[test]
fn file_across_several_release_windows_gives_the_slice_records() {
    let mut bytes = capture(1);
    while bytes.len() < 3 * RELEASE_WINDOW + RELEASE_WINDOW / 2 {
        bytes.extend(capture(200));
    }
    // Damage past the second window, so recovery runs over released pages.
    let at = 2 * RELEASE_WINDOW + 12_345;
    bytes[at..at + 64].fill(0);
    assert_records_match("windows", &bytes);
}

#[test]
fn missing_file_is_an_io_error() {
    let path = std::env::temp_dir().join("zcpkt-mmap-this-file-does-not-exist");
    let error = MappedFile::open(path).expect_err("no such file");
    assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
}

/// After a bad first byte, a fake header every 32 bytes (empty ids) whose
/// payload runs to the end with a wrong checksum, then one real packet:
/// one recovery across the whole file, whose checksum pass reads to the
/// end at once. The mapped records pause the search and release pages
/// behind and ahead of it; they must still be the slice's.
#[test]
fn one_long_recovery_releasing_pages_as_it_searches_gives_the_slice_records() {
    let n = 5 * RELEASE_WINDOW;
    let mut bytes = vec![b'X'; 32];
    while bytes.len() + 32 <= n {
        let payload_len = (n - bytes.len() - 26) as u32;
        let mut fake = b"PKT\0\x01\x00\x1a\x00".to_vec();
        fake.extend_from_slice(&payload_len.to_le_bytes());
        fake.extend_from_slice(&[0xEE; 12]);
        fake.extend_from_slice(&[0, 0]);
        fake.resize(32, b'x');
        bytes.extend(fake);
    }
    bytes.resize(n, b'x');
    bytes.extend(capture(3));
    let records: Vec<Record> = Parser::new().records(&bytes, true).collect();
    assert!(matches!(records[1], Record::Skipped(s) if s.len == n as u64), "{:?}", records[1]);
    assert_records_match("long-recovery", &bytes);
}

/// After a bad first byte, a fake header every 30 bytes (empty ids) whose
/// payload ends at a point spread over the whole file, each with a wrong
/// checksum (`bench/hostile/scattered_ends.py`), with real packets spliced
/// in at `real`.
fn scattered_ends(n: usize, real: &[usize]) -> Vec<u8> {
    let mut bytes = b"X".to_vec();
    let mut i = 0usize;
    while bytes.len() + 30 <= n {
        let at = bytes.len() - 1;
        let end = (n - (i.wrapping_mul(2_654_435_761) % n)).max(at + 26);
        bytes.extend_from_slice(b"PKT\0\x01\x00\x1a\x00");
        bytes.extend_from_slice(&((end - at - 26) as u32).to_le_bytes());
        bytes.extend_from_slice(&0xBADu32.to_le_bytes());
        bytes.extend_from_slice(&7u64.to_le_bytes());
        bytes.extend_from_slice(&[0, 0, 1, 2, 3, 4]);
        i += 1;
    }
    bytes.resize(n, 9);
    for &at in real.iter().rev() {
        bytes.splice(at..at, capture(1));
    }
    bytes
}

/// Scattered payload ends: the mapped records' far checksum reads are
/// positioned reads of the file, not the map's; the records are still the
/// slice's (whole windows of them released meanwhile).
#[test]
fn scattered_payload_ends_read_by_positioned_reads_give_the_slice_records() {
    let n = 3 * RELEASE_WINDOW;
    let bytes = scattered_ends(n, &[200_000, 2 * RELEASE_WINDOW + 7, n - 5000]);
    let records: Vec<Record> = Parser::new().records(&bytes, true).collect();
    let skipped = records.iter().filter(|r| matches!(r, Record::Skipped(_))).count();
    assert!(skipped >= 3, "{records:?}");
    assert_records_match("scattered-ends", &bytes);
}

/// The same through the parallel parser's sequential recovery, with the
/// map's positioned reader.
#[cfg(feature = "parallel")]
#[test]
fn parallel_recovery_reading_far_bytes_by_positioned_reads_gives_the_sequential_records() {
    use zcpkt::parallel::ParallelParser;
    let n = 3 * RELEASE_WINDOW;
    let bytes = scattered_ends(n, &[150_000, RELEASE_WINDOW + 3, n - 7000]);
    let file = TempFile::with("scattered-parallel", &bytes);
    let mapped = MappedFile::open(&file.0).expect("map");
    let expected: Vec<Record> = Parser::new().records(&bytes, true).collect();
    let parallel = ParallelParser::new(Parser::new()).recover(true).chunk_size(64 << 10);
    let mut got = Vec::new();
    let mut releaser = mapped.releaser();
    let mut far = mapped.positioned_reader();
    parallel.records_in_order_reading(
        mapped.as_bytes(),
        |r| got.push(r),
        |at, to| releaser.searching(at, to),
        &mut far,
    );
    assert_eq!(got, expected);
}

/// Packets whose payloads are around and above the hash piece (hashed in
/// pieces over the map, releasing the blocks behind each piece), valid and
/// with a wrong checksum, between small ones, then damage and recovery
/// onto another huge packet: the slice's records, packet for packet and
/// error for error (stored and computed checksums, offsets).
#[test]
fn packets_larger_than_the_hash_piece_give_the_slice_records() {
    use zcpkt::pkt::HASH_PIECE;
    let sizes = [HASH_PIECE - 1, HASH_PIECE, HASH_PIECE + 1, 2 * HASH_PIECE + 196_613];
    let mut bytes = capture(3);
    for (i, &size) in sizes.iter().enumerate() {
        for wrong_checksum in [false, true] {
            let payload: Vec<u8> = (0..size).map(|j| (j * 31 + i) as u8).collect();
            let start = bytes.len();
            NewPacket::new("big", "sink", &payload)
                .timestamp(i as u64)
                .write_to(&mut bytes)
                .unwrap();
            if wrong_checksum {
                // A payload byte near the end: the mismatch shows only once
                // every piece is hashed.
                let last = bytes.len() - 3;
                bytes[last] ^= 0x5A;
            }
            assert!(bytes.len() - start > size);
            bytes.extend(capture(2));
        }
    }
    // A lost framing, then recovery onto one more huge packet.
    bytes.extend_from_slice(b"garbage PKT\0 garbage");
    let payload = vec![0xA5; 3 * HASH_PIECE + 17];
    NewPacket::new("after", "recovery", &payload).write_to(&mut bytes).unwrap();
    bytes.extend(capture(1));

    let records: Vec<Record> = Parser::new().records(&bytes, true).collect();
    let mismatches = records
        .iter()
        .filter(|r| matches!(r, Record::Error(e) if matches!(e.kind, zcpkt::ErrorKind::ChecksumMismatch { .. })))
        .count();
    assert_eq!(mismatches, sizes.len());
    assert!(records.iter().any(|r| matches!(r, Record::Skipped(_))));
    assert_records_match("huge-packets", &bytes);
    #[cfg(feature = "parallel")]
    parallel_over_the_map_gives(&bytes, &records);
}

/// The parallel parser over a map of `bytes`, releasing the inside of each
/// huge payload as it hashes it (on whichever thread), in order and folded,
/// with chunks smaller and larger than the hash piece: exactly `expected`
/// (the sequential records with recovery).
#[cfg(feature = "parallel")]
fn parallel_over_the_map_gives(bytes: &[u8], expected: &[Record<'_>]) {
    use zcpkt::parallel::ParallelParser;
    let file = TempFile::with("huge-parallel", bytes);
    let mapped = MappedFile::open(&file.0).expect("map");
    for chunk_size in [64 << 10, 3 << 20] {
        let parallel =
            ParallelParser::new(Parser::new()).recover(true).chunk_size(chunk_size).threads(3);
        let parallel = parallel.expect("threads");
        let mut got = Vec::new();
        let mut releaser = mapped.releaser();
        parallel.records_in_order_hashing(
            mapped.as_bytes(),
            |r| got.push(r),
            |at, to| releaser.searching(at, to),
            &mut mapped.positioned_reader(),
            mapped.interior_releaser(),
        );
        assert_eq!(got, expected, "chunk size {chunk_size}");
        let count = parallel.fold_hashing(
            mapped.as_bytes(),
            || 0usize,
            |n, _| n + 1,
            |a, b| a + b,
            |_| {},
            mapped.interior_releaser(),
        );
        assert_eq!(count, expected.len(), "chunk size {chunk_size}");
    }
}
