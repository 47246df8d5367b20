//! Peak resident memory of a mapped parse over one huge packet: its payload
//! is hashed in pieces ([`HASH_PIECE`]), releasing the blocks behind each,
//! so the peak stays a few MiB, not the packet's size, whether its checksum
//! holds or not (a hostile header whose payload claims the rest of the
//! file). Linux only (the peak is `VmHWM`, reset through
//! `/proc/self/clear_refs`); one test in its own binary, so that no other
//! test's memory counts.

#![cfg(all(feature = "std", target_os = "linux"))]

mod rss;

use rss::{peak_rise, TempFile};
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;

use zcpkt::pkt::HASH_PIECE;
use zcpkt::source::mmap::MappedFile;
use zcpkt::{ErrorKind, Parser, Record};

const MIB: usize = 1 << 20;

/// The payload's size: large against the bound below, small enough for a
/// debug build to write and hash in about a second.
const PAYLOAD: usize = 96 * MIB + 12_345;

/// Writes, without holding it in memory, one packet from `a` to `b` with a
/// [`PAYLOAD`]-byte payload, then a small packet; returns the big one's
/// checksum (at offset 12).
fn write_huge_packet(file: &File) -> u32 {
    let mut out = BufWriter::with_capacity(MIB, file);
    let header_len = 24u16 + 4;
    out.write_all(b"PKT\0\x01\x00").unwrap();
    out.write_all(&header_len.to_le_bytes()).unwrap();
    out.write_all(&(PAYLOAD as u32).to_le_bytes()).unwrap();
    out.write_all(&[0; 4]).unwrap(); // the checksum, written last
    out.write_all(&7u64.to_le_bytes()).unwrap();
    out.write_all(b"a\0b\0").unwrap();
    let mut hasher = crc32fast::Hasher::new();
    let piece: Vec<u8> = (0..MIB).map(|i| (i * 7 + i / 251) as u8).collect();
    let mut left = PAYLOAD;
    while left > 0 {
        let n = left.min(MIB);
        hasher.update(&piece[..n]);
        out.write_all(&piece[..n]).unwrap();
        left -= n;
    }
    zcpkt::NewPacket::new("small", "one", b"tail").write_to(&mut out).unwrap();
    out.flush().unwrap();
    drop(out);
    let crc = hasher.finalize();
    file.write_all_at(&crc.to_le_bytes(), 12).unwrap();
    crc
}

/// The records in brief: (offset, payload length or 0, checksum ok, error).
type Brief = (u64, usize, Option<bool>, Option<ErrorKind>);

fn brief(record: Record<'_>) -> Brief {
    match record {
        // Only the length: reading the payload would map it all again.
        Record::Packet(p) => (p.offset, p.payload.len(), p.checksum_ok(), None),
        Record::Error(e) => (e.offset, 0, None, Some(e.kind)),
        Record::Skipped(s) => panic!("skipped {s:?}"),
    }
}

#[test]
fn a_mapped_parse_of_one_huge_packet_stays_small() {
    let path = std::env::temp_dir().join(format!("zcpkt-huge-rss-{}", std::process::id()));
    let file = File::options().read(true).write(true).create(true).truncate(true).open(&path);
    let (_guard, mut file) = (TempFile(path), file.expect("create"));
    let crc = write_huge_packet(&file);
    file.seek(SeekFrom::Start(0)).unwrap();
    const { assert!(PAYLOAD > 16 * HASH_PIECE) };
    // Well below the payload's size: a few MiB are the map's (a block or
    // two around the hashing, 2 MiB each).
    let bound = 24 * 1024;
    let tail = (28 + PAYLOAD) as u64;

    for stored in [crc, crc ^ 1] {
        file.write_all_at(&stored.to_le_bytes(), 12).unwrap();
        let map = MappedFile::open(&_guard.0).expect("map");
        let expected: Vec<Brief> = if stored == crc {
            vec![(0, PAYLOAD, Some(true), None), (tail, 4, Some(true), None)]
        } else {
            let mismatch = ErrorKind::ChecksumMismatch { stored, computed: crc };
            vec![
                (0, PAYLOAD, Some(false), None),
                (0, 0, None, Some(mismatch)),
                (tail, 4, Some(true), None),
            ]
        };

        let mut records = Vec::new();
        let Some(rise) = peak_rise(|| {
            records = map.records(Parser::new(), false).map(brief).collect();
        }) else {
            eprintln!("cannot reset the peak resident set: not checked");
            return;
        };
        assert_eq!(records, expected);
        eprintln!("mapped records: peak {rise} KiB above the start, for {} MiB", PAYLOAD / MIB);
        assert!(rise < bound, "records: peak rose {rise} KiB for a {} MiB packet", PAYLOAD / MIB);

        let mut packets = Vec::new();
        let rise = peak_rise(|| {
            packets = map.packets(Parser::new()).map(|p| p.map(|p| p.offset)).collect();
        })
        .expect("reset above");
        let first =
            if stored == crc { Ok(0) } else { Err(zcpkt::Error::new(0, expected[1].3.unwrap())) };
        assert_eq!(packets, [first, Ok(tail)]);
        eprintln!("mapped packets: peak {rise} KiB above the start");
        assert!(rise < bound, "packets: peak rose {rise} KiB for a {} MiB packet", PAYLOAD / MIB);

        #[cfg(feature = "parallel")]
        {
            use zcpkt::parallel::ParallelParser;
            // As `zcpkt check` on two threads: small chunks, the calling
            // thread's releaser behind the records handed out.
            let parallel =
                ParallelParser::new(Parser::new()).chunk_size(256 << 10).threads(2).unwrap();
            let mut records = Vec::new();
            let rise = peak_rise(|| {
                let mut releaser = map.releaser();
                parallel.records_in_order_hashing(
                    map.as_bytes(),
                    |r| {
                        records.push(brief(r));
                        releaser.reached(records.last().map_or(0, |r| r.0 as usize));
                    },
                    |_, _| {},
                    &mut map.positioned_reader(),
                    map.interior_releaser(),
                );
            })
            .expect("reset above");
            assert_eq!(records, expected);
            eprintln!("parallel records: peak {rise} KiB above the start");
            assert!(
                rise < bound,
                "parallel: peak rose {rise} KiB for a {} MiB packet",
                PAYLOAD / MIB
            );
        }
    }
}
