//! Peak resident memory of a mapped recovery over a hostile file whose fake
//! payload ends are scattered over the whole file: each candidate's
//! checksum reads a few KiB at a far, scattered place, which through the
//! map would fault in (and keep resident) a whole page-cache folio each, up
//! to most of the file. They are positioned reads instead, so the peak
//! stays a few MiB whatever the file's size. Linux only (the peak is
//! `VmHWM`, reset through `/proc/self/clear_refs`); one test in its own
//! binary, so that no other test's memory counts.

#![cfg(all(feature = "std", target_os = "linux"))]

mod rss;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use rss::{peak_rise, TempFile};

use zcpkt::source::mmap::MappedFile;
use zcpkt::{ErrorKind, Parser, Record};

const MIB: usize = 1 << 20;

/// The file's size: large against the bound below, small enough for a
/// debug build to write and search in a few seconds.
const SIZE: usize = 64 * MIB;

/// Fake headers this far apart: 4096 candidates, so 4096 checksum reads at
/// scattered places (plenty to map the whole file through the map).
const STRIDE: usize = 16 << 10;

/// Writes, without holding it in memory, a bad first byte then a fake
/// header every [`STRIDE`] bytes (empty ids, wrong checksum) whose payload
/// ends at a point spread over the whole file, filler between.
fn write_scattered_ends(path: &Path, n: usize) {
    let mut out = BufWriter::with_capacity(MIB, File::create(path).expect("create"));
    out.write_all(b"X").unwrap();
    let filler = vec![9u8; STRIDE - 26];
    let (mut at, mut i) = (1usize, 0usize);
    while at + STRIDE <= n {
        let end = (n - (i.wrapping_mul(2_654_435_761) % n)).max(at + 26);
        out.write_all(b"PKT\0\x01\x00\x1a\x00").unwrap();
        out.write_all(&((end - at - 26) as u32).to_le_bytes()).unwrap();
        out.write_all(&0xBADu32.to_le_bytes()).unwrap();
        out.write_all(&7u64.to_le_bytes()).unwrap();
        out.write_all(&[0, 0]).unwrap();
        out.write_all(&filler).unwrap();
        at += STRIDE;
        i += 1;
    }
    out.write_all(&vec![9u8; n - at]).unwrap();
    out.flush().unwrap();
}

/// The records must be: the bad first byte's error, then the whole file
/// skipped.
fn check(records: &[(u64, u64)], n: usize) {
    assert_eq!(records, [(0, 0), (0, n as u64)]);
}

/// Records as (offset, skipped length), for a small comparison.
fn brief(record: Record<'_>) -> (u64, u64) {
    match record {
        Record::Error(e) => {
            assert!(matches!(e.kind, ErrorKind::BadMagic), "{e:?}");
            (e.offset, 0)
        }
        Record::Skipped(s) => (s.offset, s.len),
        Record::Packet(p) => panic!("a packet of {} bytes", p.len()),
    }
}

#[test]
fn a_mapped_recovery_through_scattered_payload_ends_stays_small() {
    let file =
        TempFile(std::env::temp_dir().join(format!("zcpkt-mmap-rss-{}", std::process::id())));
    write_scattered_ends(&file.0, SIZE);
    let map = MappedFile::open(&file.0).expect("map");
    // Well below the file's size: a few MiB are the map's (a folio or two
    // near the search, up to 2 MiB each) and the checkpoint table's.
    let bound = (SIZE / 4 / 1024) as u64;

    let mut records = Vec::new();
    let Some(rise) = peak_rise(|| {
        records = map.records(Parser::new(), true).map(brief).collect();
    }) else {
        eprintln!("cannot reset the peak resident set: not checked");
        return;
    };
    check(&records, SIZE);
    eprintln!("mapped records: peak {rise} KiB above the start, for {} MiB", SIZE / MIB);
    assert!(rise < bound, "peak rose {rise} KiB for a {} MiB file", SIZE / MIB);

    #[cfg(feature = "parallel")]
    {
        use zcpkt::parallel::ParallelParser;
        let parallel = ParallelParser::new(Parser::new()).recover(true).threads(2).unwrap();
        let releaser = std::cell::RefCell::new(map.releaser());
        let mut records = Vec::new();
        let rise = peak_rise(|| {
            let mut far = map.positioned_reader();
            parallel.records_in_order_reading(
                map.as_bytes(),
                |r| records.push(brief(r)),
                |at, to| releaser.borrow_mut().searching(at, to),
                &mut far,
            );
        })
        .expect("reset above");
        check(&records, SIZE);
        eprintln!("parallel records: peak {rise} KiB above the start");
        assert!(rise < bound, "parallel: peak rose {rise} KiB for a {} MiB file", SIZE / MIB);
    }
}
