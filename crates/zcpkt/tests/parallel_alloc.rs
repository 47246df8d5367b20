//! The parallel parser allocates a fixed amount per call: the same for an
//! input and for ten copies of it, however many chunks that makes.
//!
//! A counting global allocator (this test file is its own binary) counts
//! the allocations of the measuring thread and of rayon's worker threads,
//! only while a measurement runs. Every test holds one lock for its whole
//! body, so no other test's allocations are counted.

#![cfg(feature = "parallel")]

mod capture_util;
mod counting;

use std::hint::black_box;

use capture_util::{Ng, Pcap};
use counting::exclusive;
use zcpkt::capture::ByteOrder;
use zcpkt::generate::{generate_to_vec, GenConfig, Limit, Profile};
use zcpkt::parallel::capture::ParallelCapture;
use zcpkt::parallel::{ParallelParser, RECORD_SPACING};
use zcpkt::pcapng::Block;
use zcpkt::{Parser, Record};

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

/// Runs `f`, counting the allocations of this thread and of rayon's
/// threads meanwhile (the caller holds `exclusive()`).
fn counted<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let (result, counts) = counting::counted_with_pool(f);
    (result, counts.allocations)
}

const THREADS: usize = 2;
/// The chunks in flight: `THREADS + 2`.
const IN_FLIGHT: u64 = THREADS as u64 + 2;
const CHUNK: usize = 64 << 10;

/// A capture of about `mib` MiB, and the same repeated ten times.
fn captures(profile: Profile, mib: u64) -> (Vec<u8>, Vec<u8>) {
    let config = GenConfig { profile, seed: 7, limit: Limit::Bytes(mib << 20) };
    let once = generate_to_vec(&config);
    let ten = once.repeat(10);
    (once, ten)
}

fn parallel() -> ParallelParser {
    ParallelParser::new(Parser::new()).chunk_size(CHUNK).threads(THREADS).expect("thread pool")
}

fn packets(n: u64, record: Record<'_>) -> u64 {
    n + u64::from(matches!(record, Record::Packet(_)))
}

fn fold_allocations(input: &[u8]) -> u64 {
    // A pool of its own for each measurement: rayon's queue of injected
    // jobs allocates a block per 63 jobs over the pool's life.
    let parallel = parallel();
    let expected = Parser::new().records(input, false).fold(0, packets);
    // Warms up what is allocated once per thread (and not per call).
    assert_eq!(parallel.fold(input, || 0, packets, |a, b| a + b), expected);
    let (n, allocations) = counted(|| parallel.fold(input, || 0, packets, |a, b| a + b));
    assert_eq!(n, expected);
    allocations
}

fn ordered_allocations(input: &[u8]) -> u64 {
    let parallel = parallel();
    let expected = Parser::new().records(input, false).fold(0, packets);
    let ordered = || {
        let mut n = 0;
        parallel.records_in_order(input, |record| n = packets(n, record));
        n
    };
    assert_eq!(ordered(), expected);
    let (n, allocations) = counted(ordered);
    assert_eq!(n, expected);
    allocations
}

#[test]
fn the_counter_counts_this_thread_and_rayon_threads_only_while_measuring() {
    let _tests = exclusive();
    let (_, none) = counted(|| black_box(1 + 1));
    assert_eq!(none, 0);
    let (_, one) = counted(|| black_box(vec![1u8; 100]));
    assert_eq!(one, 1);
    let (_, grown) = counted(|| {
        let mut v = Vec::with_capacity(1);
        v.extend(black_box(0..100u32));
        v
    });
    assert!(grown >= 2, "{grown}");
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    pool.install(|| ());
    // Ten boxes on the pool's thread (the hand-over itself may allocate).
    let (_, on_pool) = counted(|| {
        pool.install(|| {
            for i in 0..10 {
                black_box(Box::new(i));
            }
        });
    });
    assert!(on_pool >= 10, "{on_pool}");
    // Another thread's allocations are not counted. (A barrier, unlike a
    // channel whose receiver blocks, allocates nothing.)
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let other = std::thread::spawn({
        let barrier = std::sync::Arc::clone(&barrier);
        move || {
            barrier.wait();
            black_box(vec![0u8; 100]);
            barrier.wait();
        }
    });
    let (_, elsewhere) = counted(|| {
        barrier.wait();
        barrier.wait();
    });
    assert_eq!(elsewhere, 0);
    other.join().expect("thread");
}

#[test]
fn std_bounded_channels_allocate_nothing_per_message() {
    // The claim behind bounded `sync_channel`s as job queues: the buffer is
    // allocated up front, sending and receiving allocate nothing. That
    // holds only when neither side blocks: a blocked side registers in a
    // vector of the channel, allocated the first time (and a thread's first
    // block allocates its context), so how many allocations a pass of
    // channels costs depends on timing. Hence the parser's mutex-and-condvar
    // ring, which allocates nothing once built.
    let _tests = exclusive();
    let ((), created) = counted(|| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<u64>(8);
        black_box((tx, rx));
    });
    let (tx, rx) = std::sync::mpsc::sync_channel::<u64>(8);
    let ((), messages) = counted(|| {
        for i in 0..10_000 {
            tx.send(i).expect("receiver alive");
            assert_eq!(rx.recv(), Ok(i));
        }
    });
    assert!(created >= 1, "{created}");
    assert_eq!(messages, 0);
}

#[test]
fn fold_allocates_the_same_for_ten_times_the_input() {
    let _tests = exclusive();
    let (once, ten) = captures(Profile::Seed, 2);
    assert!(once.len() / CHUNK >= 30, "many chunks");
    let (small, large) = (fold_allocations(&once), fold_allocations(&ten));
    println!("fold: 1x {small} allocations, 10x {large}");
    assert_eq!(small, large, "1x: {small}, 10x: {large}");
    // The ring, and one rayon job per thread (and maybe a block of rayon's
    // job queue).
    assert!(small <= 1 + THREADS as u64 + 1, "{small}");
}

#[test]
fn records_in_order_allocates_the_same_for_ten_times_the_input() {
    let _tests = exclusive();
    // Packets of 100-4200 bytes: the buffers' reserved room always suffices.
    let (once, ten) = captures(Profile::Seed, 2);
    let (small, large) = (ordered_allocations(&once), ordered_allocations(&ten));
    println!("records_in_order: 1x {small} allocations, 10x {large}");
    assert_eq!(small, large, "1x: {small}, 10x: {large}");
    // The fold's, the list of spare buffers, and one buffer per chunk in
    // flight.
    assert!(small <= 3 + THREADS as u64 + IN_FLIGHT, "{small}");
}

#[test]
fn records_in_order_with_small_packets_allocates_a_bounded_amount() {
    let _tests = exclusive();
    // Packets of 60-300 bytes: some chunks hold more than one record per
    // `RECORD_SPACING` bytes, and their buffers grow.
    assert_eq!(RECORD_SPACING, 256);
    let (once, ten) = captures(Profile::Small, 2);
    let (small, large) = (ordered_allocations(&once), ordered_allocations(&ten));
    // Each buffer doubles at most log2(3 × 256 / 26) < 5 times past its
    // first reservation, whatever the input's size.
    let bound = 3 + THREADS as u64 + IN_FLIGHT * (1 + 5);
    assert!(small <= bound && large <= bound, "1x: {small}, 10x: {large}, bound {bound}");
    println!("small packets: 1x {small} allocations, 10x {large}");
}

/// A pcap file of `frames` frames of 60-200 bytes.
fn pcap_of(frames: u32) -> Vec<u8> {
    let mut pcap = Pcap::new(ByteOrder::Little, false, 65535, 1);
    for i in 0..frames {
        pcap.record(i, 0, 200, &vec![0; 60 + (i % 141) as usize]);
    }
    pcap.bytes
}

/// A pcapng section of `frames` frames of 60-200 bytes on two interfaces.
fn pcapng_of(frames: u32) -> Vec<u8> {
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[]);
    ng.idb(1, 0, &[]);
    ng.idb(101, 0, &[]);
    for i in 0..frames {
        ng.epb(i % 2, u64::from(i), 200, &vec![0; 60 + (i % 141) as usize], &[(1, b"x".to_vec())]);
    }
    ng.bytes
}

fn frames(n: u64, block: Block<'_>) -> u64 {
    n + u64::from(matches!(block, Block::Frame(_)))
}

fn capture_parallel() -> ParallelCapture {
    ParallelCapture::new().batch_size(CHUNK).threads(THREADS).expect("thread pool")
}

fn capture_fold_allocations(input: &[u8], expected: u64) -> u64 {
    let parallel = capture_parallel();
    let count = |n: &mut u64, block| *n = frames(*n, block);
    let fold = || parallel.fold(input, || 0, count, |a, b| a + b);
    assert_eq!(fold(), (expected, None));
    let (result, allocations) = counted(fold);
    assert_eq!(result, (expected, None));
    allocations
}

fn capture_ordered_allocations(input: &[u8], expected: u64) -> u64 {
    let parallel = capture_parallel();
    let ordered = || {
        let mut n = 0;
        let error = parallel.blocks_in_order(input, |block| n = frames(n, block));
        (n, error)
    };
    assert_eq!(ordered(), (expected, None));
    let (result, allocations) = counted(ordered);
    assert_eq!(result, (expected, None));
    allocations
}

#[test]
fn capture_fold_allocates_the_same_for_ten_times_the_input() {
    let _tests = exclusive();
    let (pcap, pcap10) = (pcap_of(15_000), pcap_of(150_000));
    let (ng, ng10) = (pcapng_of(15_000), pcapng_of(15_000).repeat(10));
    assert!(pcap.len() / CHUNK >= 30 && ng.len() / CHUNK >= 30, "many batches");
    for (once, ten) in [(&pcap, &pcap10), (&ng, &ng10)] {
        let small = capture_fold_allocations(once, 15_000);
        let large = capture_fold_allocations(ten, 150_000);
        println!("capture fold: 1x {small} allocations, 10x {large}");
        assert_eq!(small, large, "1x: {small}, 10x: {large}");
        // The ring, and one rayon job per thread (and maybe a block of
        // rayon's job queue).
        assert!(small <= 1 + THREADS as u64 + 1, "{small}");
    }
}

#[test]
fn capture_blocks_in_order_allocates_a_bounded_amount() {
    let _tests = exclusive();
    let (pcap, pcap10) = (pcap_of(15_000), pcap_of(150_000));
    let (ng, ng10) = (pcapng_of(15_000), pcapng_of(15_000).repeat(10));
    for (once, ten) in [(&pcap, &pcap10), (&ng, &ng10)] {
        let small = capture_ordered_allocations(once, 15_000);
        let large = capture_ordered_allocations(ten, 150_000);
        println!("capture blocks_in_order: 1x {small} allocations, 10x {large}");
        // The fold's, the list of spare buffers, and per batch in flight a
        // buffer grown by doubling to at most a batch's blocks (64 KiB of
        // blocks of at least 76 bytes: under 2^10, so at most 11 times).
        let bound = 3 + THREADS as u64 + IN_FLIGHT * 11;
        assert!(small <= bound && large <= bound, "1x: {small}, 10x: {large}, bound {bound}");
    }
}

/// A capture of `copies` times the same packets with garbage between, so
/// that every copy loses framing once and recovers.
fn damaged(copies: usize) -> Vec<u8> {
    let config = GenConfig { profile: Profile::Small, seed: 3, limit: Limit::Bytes(256 << 10) };
    let mut one = generate_to_vec(&config);
    one.extend_from_slice(b"garbage, then PKT\0 that frames nothing");
    one.repeat(copies)
}

#[test]
fn recovery_allocates_one_checkpoint_table_whatever_the_damage() {
    let _tests = exclusive();
    let recovering = |input: &[u8]| {
        let parallel = parallel().recover(true);
        let expected = Parser::new().records(input, true).count();
        let count = |n: usize, _| n + 1;
        assert_eq!(parallel.fold(input, || 0, count, |a, b| a + b), expected);
        let (n, allocations) = counted(|| parallel.fold(input, || 0, count, |a, b| a + b));
        assert_eq!(n, expected);
        allocations
    };
    let (once, ten) = (damaged(1), damaged(10));
    let (small, large) = (recovering(&once), recovering(&ten));
    println!("recovering fold: 1x {small} allocations, 10x {large} (10 recoveries)");
    assert_eq!(small, large, "1x: {small}, 10x: {large}");
    // The fold's own, and the checkpoint table (none without recovery).
    assert_eq!(small, fold_allocations(&once) + 1);
}
