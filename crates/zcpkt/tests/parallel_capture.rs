//! `ParallelCapture` gives exactly the sequential blocks and error of pcap
//! and pcapng input, damaged or not, whatever the batch size and threads.

#![cfg(feature = "parallel")]

#[path = "capture_util/arb.rs"]
mod arb;
mod capture_util;
mod support;

use std::sync::OnceLock;

use arb::{apply, damage, pcap_file, pcapng_file};
use capture_util::{Ng, Pcap};
use proptest::prelude::*;
use zcpkt::capture::{ByteOrder, CaptureError, CaptureErrorKind};
use zcpkt::parallel::capture::ParallelCapture;
use zcpkt::pcapng::Block;
use zcpkt::{detect, pcap, pcapng, Format};

/// What the sequential readers give: every block up to the first error.
fn sequential(input: &[u8]) -> (Vec<Block<'_>>, Option<CaptureError>) {
    let mut blocks = Vec::new();
    if detect(input) == Some(Format::PcapNg) {
        let mut frames = pcapng::Parser::new().frames(input);
        while let Some(block) = frames.next_block() {
            match block {
                Ok(block) => blocks.push(block),
                Err(error) => return (blocks, Some(error)),
            }
        }
    } else {
        for frame in pcap::Parser::new().frames(input) {
            match frame {
                Ok(frame) => blocks.push(Block::Frame(frame)),
                Err(error) => return (blocks, Some(error)),
            }
        }
    }
    (blocks, None)
}

/// One parser per thread count, pools built once.
fn parallel(threads: usize) -> ParallelCapture {
    static POOLS: OnceLock<Vec<ParallelCapture>> = OnceLock::new();
    let pools = POOLS.get_or_init(|| {
        (1..=3).map(|n| ParallelCapture::new().threads(n).expect("thread pool")).collect()
    });
    pools[threads - 1].clone()
}

fn folded<'a>(
    parallel: &ParallelCapture,
    input: &'a [u8],
) -> (Vec<Block<'a>>, Option<CaptureError>) {
    let push = |v: &mut Vec<Block<'a>>, b| v.push(b);
    parallel.fold(input, Vec::new, push, |mut a, b| {
        a.extend(b);
        a
    })
}

fn in_order<'a>(
    parallel: &ParallelCapture,
    input: &'a [u8],
) -> (Vec<Block<'a>>, Option<CaptureError>) {
    let mut blocks = Vec::new();
    let error = parallel.blocks_in_order(input, |block| blocks.push(block));
    (blocks, error)
}

/// Each block with the frames before it.
type Counted<'a> = Vec<(u64, Block<'a>)>;

fn counted_sequentially<'a>(blocks: &[Block<'a>]) -> Counted<'a> {
    let frames = blocks.iter().scan(0, |n, block| {
        let before = *n;
        *n += u64::from(matches!(block, Block::Frame(_)));
        Some(before)
    });
    frames.zip(blocks.iter().copied()).collect()
}

fn folded_counted<'a>(
    parallel: &ParallelCapture,
    input: &'a [u8],
) -> (Counted<'a>, Option<CaptureError>) {
    let push = |v: &mut Counted<'a>, frames, b| v.push((frames, b));
    parallel.fold_counted(input, Vec::new, push, |mut a, b| {
        a.extend(b);
        a
    })
}

fn check(input: &[u8], batch: usize, threads: usize) -> Result<(), TestCaseError> {
    let expected = sequential(input);
    let parallel = parallel(threads).batch_size(batch);
    prop_assert_eq!(&folded(&parallel, input), &expected);
    prop_assert_eq!(&in_order(&parallel, input), &expected);
    let counted = (counted_sequentially(&expected.0), expected.1);
    prop_assert_eq!(folded_counted(&parallel, input), counted);
    Ok(())
}

fn batches() -> impl Strategy<Value = usize> {
    prop_oneof![1..64usize, 64..1000usize, Just(1 << 20)]
}

proptest! {
    #![proptest_config(support::config(600))]

    #[test]
    fn pcap_equals_sequential(file in pcap_file(), damage in damage(), batch in batches(), threads in 1..=3usize) {
        check(&apply(file, &damage), batch, threads)?;
    }

    #[test]
    fn pcapng_equals_sequential(file in pcapng_file(), damage in damage(), batch in batches(), threads in 1..=3usize) {
        check(&apply(file, &damage), batch, threads)?;
    }

    #[test]
    fn arbitrary_bytes_equal_sequential(bytes in prop::collection::vec(any::<u8>(), 0..96), batch in 1..40usize) {
        check(&bytes, batch, 2)?;
    }
}

#[test]
fn empty_input_is_zero_blocks() {
    assert_eq!(folded(&parallel(2), &[]), (vec![], None));
    assert_eq!(in_order(&parallel(2), &[]), (vec![], None));
}

#[test]
fn a_bad_pcap_header_is_the_only_result() {
    let mut file = Pcap::new(ByteOrder::Little, false, 65535, 1).bytes;
    file[4] = 3; // version 3.4
    let (blocks, error) = folded(&parallel(2), &file);
    assert!(blocks.is_empty());
    let kind = CaptureErrorKind::UnsupportedVersion { major: 3, minor: 4 };
    assert_eq!(error, Some(CaptureError::new(0, kind)));
}

#[test]
fn a_damaged_record_far_into_a_file_keeps_every_frame_before_it() {
    let mut file = Pcap::new(ByteOrder::Big, true, 65535, 1);
    let mut offsets = Vec::new();
    for i in 0..5000u32 {
        offsets.push(file.record(i, i, 100, &[i as u8; 64]));
    }
    let at = offsets[4321] as usize;
    file.bytes[at + 8..at + 12].copy_from_slice(&u32::MAX.to_be_bytes());
    let (blocks, error) = folded(&parallel(3).batch_size(4096), &file.bytes);
    assert_eq!(blocks.len(), 4321);
    let kind = CaptureErrorKind::RecordTooLarge { size: u32::MAX.into(), limit: 262_144 };
    assert_eq!(error, Some(CaptureError::new(at as u64, kind)));
    assert_eq!((blocks, error), sequential(&file.bytes));
}

#[test]
fn interfaces_described_between_batches_apply_to_the_frames_after_them() {
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Big, &[]);
    let mut unknown = 0;
    for i in 0..2000u32 {
        if i % 300 == 0 {
            ng.idb(1 + (i / 300) as u16, 0, &[]);
        }
        if i == 1999 {
            unknown = ng.epb(99, u64::from(i), 60, &[0; 60], &[]);
        } else {
            ng.epb(i / 300, u64::from(i), 60, &[0; 60], &[]);
        }
    }
    let expected = sequential(&ng.bytes);
    let kind = CaptureErrorKind::UnknownInterface { interface_id: 99, interfaces: 7 };
    assert_eq!(expected.1, Some(CaptureError::new(unknown, kind)));
    for batch in [1, 100, 1000, 50_000] {
        assert_eq!(folded(&parallel(2).batch_size(batch), &ng.bytes), expected, "batch {batch}");
    }
}
