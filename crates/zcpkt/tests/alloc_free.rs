//! Parsing allocates nothing: a counting global allocator (this test file is
//! its own binary) counts the allocations made while the parsers run, on
//! the measuring thread only, so the test harness and other tests cannot
//! disturb the counts.

mod counting;

use std::hint::black_box;

use counting::{counted, Counts, NONE};
use zcpkt::pkt::checkpoints_for;
use zcpkt::source::mmap::MappedFile;
use zcpkt::{Extension, ExtensionType, NewPacket, Packet, PacketFlags, Parser, Record};

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

const PACKETS: usize = 3000;

/// A capture of `PACKETS` packets of varied sizes, a third with extensions;
/// returns the bytes and the packets' offsets.
fn capture() -> (Vec<u8>, Vec<usize>) {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    let value = [0x5Au8; 300];
    for i in 0..PACKETS {
        let payload: Vec<u8> = (0..(i * 37) % 900).map(|j| (i + j) as u8).collect();
        let source = format!("sensor-{}", i % 17);
        let dest = if i % 5 == 0 { String::new() } else { format!("hub-é-{}", i % 3) };
        let exts = [
            Extension { ty: ExtensionType::Metadata, value: &value[..i % 40] },
            Extension {
                ty: ExtensionType::Custom((i % 256) as u8),
                value: &value[..(i * 7) % 300],
            },
            Extension { ty: ExtensionType::Routing, value: &[] },
        ];
        let exts: &[Extension] = match i % 3 {
            0 => &exts,
            1 => &exts[..1],
            _ => &[],
        };
        offsets.push(out.len());
        NewPacket::new(&source, &dest, &payload)
            .flags(PacketFlags::from_bits_retain((i % 256) as u8))
            .timestamp(1_700_000_000_000_000 + i as u64)
            .extensions(exts)
            .write_to(&mut out)
            .unwrap();
    }
    (out, offsets)
}

/// The capture with damage of every kind: broken magic, versions and
/// header lengths, payload bytes (checksum), extension lengths, garbage.
fn damaged(bytes: &[u8], offsets: &[usize]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for (n, &at) in offsets.iter().enumerate() {
        match n % 50 {
            7 => out[at] = b'X',                                // BadMagic
            13 => out[at + 4] = 9,                              // UnsupportedVersion
            19 => out[at + 6..at + 8].copy_from_slice(&[3, 0]), // BadHeaderLen
            23 => out[at + 24] = 0xFF,                          // InvalidUtf8 (source)
            29 => out[offsets[n + 1] - 1] ^= 0xFF,              // ChecksumMismatch (or ext)
            31 if n % 3 == 0 => out[at + 8] ^= 1,               // PAYLOAD_LEN off by one
            _ => {}
        }
    }
    // Garbage with fake candidates at the end.
    out.extend_from_slice(b"PKT\0\x01junk PKT\0 more junk");
    out
}

fn repeat(bytes: &[u8], n: usize) -> Vec<u8> {
    bytes.repeat(n)
}

/// Reads every field of a packet and walks its extensions.
fn touch(p: &Packet) -> u64 {
    let mut h = p.offset
        ^ u64::from(p.version)
        ^ u64::from(p.flags.bits())
        ^ u64::from(p.header_len)
        ^ u64::from(p.payload_len)
        ^ u64::from(p.checksum)
        ^ p.timestamp;
    h = h.wrapping_add(p.source_id.len() as u64 + p.dest_id.chars().count() as u64);
    h = h.wrapping_add(p.payload.first().copied().unwrap_or(0).into());
    h = h.wrapping_add(p.payload.last().copied().unwrap_or(0).into());
    for e in p.extensions() {
        h = h.wrapping_add(u64::from(e.ty.to_byte()) + e.value.len() as u64);
        h = h.wrapping_add(e.ty.name().len() as u64);
    }
    h = h.wrapping_add(p.checksum_ok().map_or(2, u64::from));
    h = h.wrapping_add(p.computed_checksum().unwrap_or(0).into());
    h = h.wrapping_add(p.malformed_extension_offset().unwrap_or(0));
    for e in p.errors() {
        h = h.wrapping_add(e.offset + e.kind.index() as u64);
    }
    h = h.wrapping_add(p.as_bytes().len() as u64 + p.extension_area().len() as u64);
    h.wrapping_add(p.end_offset() + u64::from(p.is_valid()))
}

/// Strict `Packets` over `input`: (packets, errors).
fn walk_packets(input: &[u8]) -> (usize, usize) {
    let (mut packets, mut errors, mut h) = (0, 0, 0u64);
    for item in Parser::new().packets(input) {
        match item {
            Ok(p) => {
                packets += 1;
                h = h.wrapping_add(touch(&p));
            }
            Err(e) => {
                errors += 1;
                h = h.wrapping_add(e.offset + e.kind.name().len() as u64);
            }
        }
    }
    black_box(h);
    (packets, errors)
}

/// Recover-mode `Records` over `input`: (packets, errors, skipped bytes).
fn walk_records(input: &[u8]) -> (usize, usize, u64) {
    tally(Parser::new().records(input, true))
}

/// (packets, errors, skipped bytes) of a record stream.
fn tally<'a>(records: impl Iterator<Item = Record<'a>>) -> (usize, usize, u64) {
    let (mut packets, mut errors, mut skipped, mut h) = (0, 0, 0, 0u64);
    for record in records {
        match record {
            Record::Packet(p) => {
                packets += 1;
                h = h.wrapping_add(touch(&p));
            }
            Record::Error(e) => {
                errors += 1;
                h = h.wrapping_add(e.offset + u64::from(e.kind.keeps_framing()));
            }
            Record::Skipped(s) => skipped += s.len,
        }
    }
    black_box(h);
    (packets, errors, skipped)
}

#[test]
fn counter_counts() {
    let (v, counts) = counted(|| black_box(Vec::<u8>::with_capacity(1)));
    assert_eq!(counts, Counts { allocations: 1, bytes: 1, largest: 1 });
    drop(v);
    let (v, counts) = counted(|| {
        let mut v = black_box(Vec::<u64>::with_capacity(2));
        v.reserve_exact(8); // a realloc to 8 * 8 bytes
        v
    });
    assert_eq!(counts, Counts { allocations: 2, bytes: 16 + 64, largest: 64 });
    drop(v);
    let ((), counts) = counted(|| ());
    assert_eq!(counts, NONE);
}

#[test]
fn packets_allocate_nothing() {
    let (one, _) = capture();
    let ten = repeat(&one, 10);
    let (r1, c1) = counted(|| walk_packets(black_box(&one)));
    let (r10, c10) = counted(|| walk_packets(black_box(&ten)));
    assert_eq!(r1, (PACKETS, 0));
    assert_eq!(r10, (10 * PACKETS, 0));
    assert_eq!(c1, NONE);
    assert_eq!(c10, NONE);
    assert_eq!(c1, c10);
}

#[test]
fn records_recover_allocate_nothing_on_damaged_input() {
    let (clean, offsets) = capture();
    let one = damaged(&clean, &offsets);
    let ten = repeat(&one, 10);
    let (r1, c1) = counted(|| walk_records(black_box(&one)));
    let (r10, c10) = counted(|| walk_records(black_box(&ten)));
    // The damage was seen: errors and skipped bytes, most packets intact.
    let (packets, errors, skipped) = r1;
    assert!(packets > PACKETS * 8 / 10 && packets < PACKETS, "{r1:?}");
    assert!(errors > 5 * PACKETS / 50, "{r1:?}");
    assert!(skipped > 0);
    assert!(r10.0 >= 10 * packets && r10.1 >= 10 * errors, "{r10:?}");
    assert_eq!(c1, NONE);
    assert_eq!(c10, NONE);
    assert_eq!(c1, c10);
}

#[test]
fn strict_iterators_allocate_nothing_on_damaged_input() {
    let (clean, offsets) = capture();
    let one = damaged(&clean, &offsets);
    let ten = repeat(&one, 10);
    let strict = |input: &[u8]| {
        let mut n = 0usize;
        for record in Parser::new().records(input, false) {
            if let Record::Packet(p) = record {
                n += black_box(touch(&p)) as usize & 1;
            }
            n += 1;
        }
        (n, walk_packets(input))
    };
    let (r1, c1) = counted(|| strict(black_box(&one)));
    let (r10, c10) = counted(|| strict(black_box(&ten)));
    // The first damaged packet (index 7, BadMagic) stops the strict streams.
    assert_eq!(r1.1, (7, 1));
    assert_eq!(r1, r10);
    assert_eq!(c1, NONE);
    assert_eq!(c10, NONE);
}

/// A mapped file's records allocate one checkpoint table when recovering
/// (a checkpoint per 4 KiB, at least the inline table's 4096), once,
/// whatever the damage, and nothing without recovery.
#[test]
fn mapped_records_allocate_one_checkpoint_table_when_recovering() {
    let (clean, offsets) = capture();
    let one = damaged(&clean, &offsets);
    let forty = repeat(&one, 40);
    assert!(checkpoints_for(forty.len()) > 4096, "{} bytes", forty.len());
    for (name, bytes) in [("one", &one), ("forty", &forty)] {
        let path =
            std::env::temp_dir().join(format!("zcpkt-alloc-free-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        let map = MappedFile::open(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let (got, counts) = counted(|| tally(map.records(Parser::new(), true)));
        assert_eq!(got, walk_records(bytes), "{name}");
        let table = 4 * checkpoints_for(bytes.len()) as u64;
        assert_eq!(counts, Counts { allocations: 1, bytes: table, largest: table }, "{name}");
        let (_, counts) = counted(|| tally(map.records(Parser::new(), false)));
        assert_eq!(counts, NONE, "{name}");
    }
}
