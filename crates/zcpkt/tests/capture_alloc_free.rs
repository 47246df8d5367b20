//! Reading pcap and pcapng allocates nothing: a counting global allocator
//! (this file is its own binary, with one test so nothing runs alongside)
//! counts allocations while the readers run, options and time formatting
//! included.

mod capture_util;
mod counting;

use std::fmt::Write;
use std::hint::black_box;

use capture_util::{Ng, Pcap};
use counting::{counted, NONE};
use std::ops::ControlFlow;
use zcpkt::capture::ByteOrder;
use zcpkt::capture_record::CaptureRecord;
use zcpkt::pcapng::{block_type, option};
use zcpkt::source::capture_recover_stream::RecoveringCaptureStream;

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

/// A fixed buffer to format timestamps into without a `String`.
struct Stack {
    buf: [u8; 64],
    len: usize,
}

impl Write for Stack {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

fn read_all(pcap: &[u8], pcapng: &[u8]) -> u64 {
    let mut sum = 0u64;
    let mut text = Stack { buf: [0; 64], len: 0 };
    for frame in zcpkt::pcap::Parser::new().frames(pcap) {
        let frame = frame.unwrap();
        text.len = 0;
        write!(text, "{}", frame.timestamp.unwrap()).unwrap();
        sum += frame.data.len() as u64 + text.len as u64;
    }
    let mut frames = zcpkt::pcapng::Parser::new().frames(pcapng);
    for frame in frames.by_ref() {
        let frame = frame.unwrap();
        if let Some(ts) = frame.timestamp {
            text.len = 0;
            write!(text, "{ts}").unwrap();
        }
        sum += frame.data.len() as u64 + text.len as u64;
        sum += frame.comments().map(<[u8]>::len).sum::<usize>() as u64;
        sum += u64::from(frame.epb_flags().unwrap_or(0));
    }
    sum += frames.interface_options(0).map_or(0, |o| o.iter().count() as u64);
    sum
}

#[test]
fn reading_captures_allocates_nothing() {
    let mut pcap = Pcap::new(ByteOrder::Big, true, 65535, 1);
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[(option::SHB_OS, b"Linux".to_vec())]);
    ng.idb(1, 0, &[(option::IF_NAME, b"eth0".to_vec()), (option::IF_TSRESOL, vec![0x80 | 20])]);
    for i in 0..1000u32 {
        pcap.record(1_700_000_000 + i, i, 64, &[0; 64]);
        let flags = ng.n32(i);
        ng.epb(
            0,
            u64::from(i) << 20,
            64,
            &[0; 64],
            &[(option::EPB_FLAGS, flags), (option::COMMENT, b"c".to_vec())],
        );
        if i % 100 == 0 {
            ng.block(block_type::INTERFACE_STATISTICS, &[0; 12]);
            ng.spb(64, &[0; 64]);
        }
    }
    // Warm up (lazy statics of the test harness, stdout, …), then count.
    black_box(read_all(&pcap.bytes, &ng.bytes));
    let (sum, counts) = counted(|| black_box(read_all(&pcap.bytes, &ng.bytes)));
    assert!(sum > 0);
    assert_eq!(counts, NONE);

    // Read past damage: the slice readers allocate nothing, the stream its
    // buffer once (1 MiB, never grown here), however many records.
    let damage = |bytes: &[u8]| {
        let mut bytes = bytes.to_vec();
        let middle = bytes.len() / 2;
        bytes[middle..middle + 40].fill(0xee);
        bytes
    };
    let (pcap, ng) = (damage(&pcap.bytes), damage(&ng.bytes));
    let (sum, counts) = counted(|| black_box(recover_all(&pcap, &ng)));
    assert!(sum > 0);
    assert_eq!(counts, NONE);
    // Twice the records: the pcap's records again, the pcapng a second
    // section.
    for (bytes, header) in [(&pcap, 24), (&ng, 0)] {
        let (blocks, counts) = counted(|| stream_all(bytes));
        assert!(blocks > 500, "{blocks} blocks");
        assert_eq!(counts.allocations, 1, "{counts:?}");
        assert_eq!(counts.largest, 1 << 20, "{counts:?}");
        let twice: Vec<u8> = [&bytes[..], &bytes[header..]].concat();
        let (more, counts_twice) = counted(|| stream_all(&twice));
        assert!(more > blocks + 500, "{more} blocks, {blocks} in half");
        assert_eq!(counts_twice, counts, "allocations grow with the input");
    }
}

/// Records and bytes of the recovering slice readers, past damage.
fn recover_all(pcap: &[u8], pcapng: &[u8]) -> u64 {
    let size = |r: CaptureRecord<'_>| match r {
        CaptureRecord::Block(block) => 1 + block_len(&block),
        CaptureRecord::Error(e) => e.offset,
        CaptureRecord::Skipped(s) => s.len,
    };
    let pcap: u64 = zcpkt::pcap::Parser::new().recovering(pcap).map(size).sum();
    pcap + zcpkt::pcapng::Parser::new().recovering(pcapng).map(size).sum::<u64>()
}

fn block_len(block: &zcpkt::pcapng::Block<'_>) -> u64 {
    match block {
        zcpkt::pcapng::Block::Frame(frame) => frame.data.len() as u64,
        _ => 0,
    }
}

/// Blocks of `bytes` through a recovering stream.
fn stream_all(bytes: &[u8]) -> u64 {
    let mut stream = RecoveringCaptureStream::new(bytes);
    let mut records = 0;
    stream
        .for_each(|record| {
            records += u64::from(black_box(matches!(record, CaptureRecord::Block(_))));
            ControlFlow::Continue(())
        })
        .unwrap();
    records
}
