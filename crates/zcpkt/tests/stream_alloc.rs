//! `StreamReader` allocates its buffer and nothing per packet: reading ten
//! times the input costs the same allocations, and a header's claim alone
//! allocates nothing.

mod counting;

use zcpkt::source::stream::StreamReader;
use zcpkt::{NewPacket, Record};

/// Counts the calling thread's allocations, so tests running in parallel
/// do not see each other's.
#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

/// Allocations made by `f` on this thread: (count, largest size).
fn allocations<T>(f: impl FnOnce() -> T) -> (usize, usize, T) {
    let (out, counts) = counting::counted(f);
    (counts.allocations as usize, counts.largest as usize, out)
}

/// Packets of 0 to 1999 payload bytes, some with bad checksums.
fn capture(packets: usize) -> Vec<u8> {
    let payload: Vec<u8> = (0..2000u32).map(|i| (i * 7) as u8).collect();
    let mut out = Vec::new();
    for i in 0..packets {
        NewPacket::new("probe", "collector", &payload[..i * 37 % 2000]).write_to(&mut out).unwrap();
        if i % 10 == 3 {
            *out.last_mut().unwrap() ^= 0xFF;
        }
        if i % 17 == 5 {
            out.extend_from_slice(b"garbage PKT\0 in between");
        }
    }
    out
}

fn count_packets(input: &[u8]) -> usize {
    let mut reader = StreamReader::new(input);
    let mut count = 0;
    while let Some(packet) = reader.next_packet() {
        if packet.is_ok() {
            count += 1;
        }
    }
    count
}

fn count_records(input: &[u8]) -> usize {
    let mut reader = StreamReader::new(input).buffer_size(256).recover(true);
    let mut count = 0;
    while let Some(record) = reader.next_record() {
        if let Record::Packet(_) = record.unwrap() {
            count += 1;
        }
    }
    count
}

#[test]
fn ten_times_the_input_costs_the_same_allocations() {
    let clean: Vec<u8> = {
        let mut out = Vec::new();
        for i in 0..1000usize {
            let payload = vec![i as u8; i % 1500];
            NewPacket::new("a", "b", &payload).write_to(&mut out).unwrap();
        }
        out
    };
    let clean10 = clean.repeat(10);
    let (once, _, packets) = allocations(|| count_packets(&clean));
    let (tenfold, _, packets10) = allocations(|| count_packets(&clean10));
    assert_eq!((packets, packets10), (1000, 10_000));
    assert_eq!(once, 1, "the buffer, once");
    assert_eq!(tenfold, once);

    // Damaged input, recovery, and a 256-byte buffer that must grow.
    let damaged = capture(300);
    let damaged10 = damaged.repeat(10);
    let (once, largest, records) = allocations(|| count_records(&damaged));
    let (tenfold, largest10, records10) = allocations(|| count_records(&damaged10));
    assert_eq!(records10, records * 10);
    assert_eq!(tenfold, once);
    assert_eq!(largest10, largest);
    assert!(largest < 4096, "largest allocation {largest}");
}

#[test]
fn a_header_claiming_4_gib_allocates_nothing_for_it() {
    let mut input = b"PKT\0\x01\x00\x1a\x00\xff\xff\xff\xff".to_vec();
    input.extend_from_slice(&[0; 40]);
    let (count, largest, records) = allocations(|| {
        let mut reader = StreamReader::new(&input[..]).buffer_size(64).recover(true);
        let mut records = 0;
        while reader.next_record().is_some() {
            records += 1;
        }
        records
    });
    assert_eq!(records, 2, "Truncated, then Skipped");
    assert_eq!(count, 1);
    assert_eq!(largest, 64);
}

#[test]
fn the_look_ahead_past_a_claim_over_the_maximum_buffers_at_most_the_maximum() {
    let parser = zcpkt::Parser::new().max_packet_size(Some(1000));
    let mut input = b"PKT\0\x01\x00\x1a\x00\xff\xff\xff\xff".to_vec();
    input.extend_from_slice(&[0; 12]);
    for tail in [300, 5000] {
        let mut input = input.clone();
        input.resize(input.len() + tail, 0xAB);
        let (_, largest, records) = allocations(|| {
            let mut reader =
                StreamReader::new(&input[..]).with_parser(parser).buffer_size(64).recover(true);
            let mut records = 0;
            while reader.next_record().is_some() {
                records += 1;
            }
            records
        });
        assert_eq!(records, 2, "Truncated, then Skipped");
        // Grown by doubling as bytes arrive: 64, 128, 256, 512 for the
        // 324-byte input; capped at the maximum for the longer one.
        let cap = if tail == 300 { 512 } else { 1000 };
        assert_eq!(largest, cap, "tail {tail}");
    }
}

/// After a bad first byte, a fake header every 32 bytes (empty ids, wrong
/// checksum) whose packet ends about 30 KiB on: every candidate fails at
/// its checksum, which the buffer must hold.
fn hostile(n: usize) -> Vec<u8> {
    let mut input = vec![b'X'; 32];
    while input.len() + 32 <= n {
        let reach = (30 << 10) - input.len() % 4096;
        let mut fake = b"PKT\0\x01\x00\x1a\x00".to_vec();
        fake.extend_from_slice(&((reach - 26) as u32).to_le_bytes());
        fake.extend_from_slice(&[0xEE; 12]);
        fake.extend_from_slice(&[0, 0]);
        fake.resize(32, b'x');
        input.extend(fake);
    }
    input.resize(n + (30 << 10), b'x');
    NewPacket::new("after", "hostile", b"found").write_to(&mut input).unwrap();
    input
}

#[test]
fn recovery_through_hostile_input_stays_in_the_buffer() {
    let parser = zcpkt::Parser::new().max_packet_size(Some(64 << 10));
    let run = |input: &[u8]| {
        let mut reader =
            StreamReader::new(input).with_parser(parser).buffer_size(4096).recover(true);
        let mut kinds = Vec::new();
        while let Some(record) = reader.next_record() {
            kinds.push(match record.unwrap() {
                Record::Packet(_) => 'p',
                Record::Error(_) => 'e',
                Record::Skipped(_) => 's',
            });
        }
        (kinds, reader.resync_work())
    };
    let (small, large) = (hostile(1 << 20), hostile(4 << 20));
    let (once, largest, (kinds, work)) = allocations(|| run(&small));
    let (fourfold, largest4, (kinds4, work4)) = allocations(|| run(&large));
    assert_eq!((kinds, kinds4), (vec!['e', 's', 'p'], vec!['e', 's', 'p']));
    assert_eq!(fourfold, once, "no allocation per candidate or refill");
    // The buffer, doubled from 4 KiB to hold a candidate: at most the maximum.
    assert_eq!((largest, largest4), (32 << 10, 32 << 10));
    assert!(work4 <= 5 * work, "work {work} then {work4}");
}
