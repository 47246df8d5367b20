//! pcap recovery past damage: exact errors, skipped ranges and frames for
//! each kind of damage, fake record headers inside frame data, the
//! timestamp window, linear work on hostile input, and a property test
//! that no frame outside the damage is lost.

mod capture_util;
mod damage;
mod recovery_variants;

use capture_util::Pcap;
use damage::{apply, damage};
use proptest::prelude::*;
use recovery_variants::{same_every_way, Choppy};
use std::ops::ControlFlow;
use zcpkt::capture::{ByteOrder, CaptureError, CaptureErrorKind as K};
use zcpkt::capture_record::CaptureRecord;
use zcpkt::pcap::{Parser, COMPARE_CREDIT_RECORDS, TIMESTAMP_WINDOW_SECS};
use zcpkt::pcapng::Block;
use zcpkt::source::capture_recover_stream::RecoveringCaptureStream;

#[derive(Clone, Debug, PartialEq, Eq)]
enum R {
    Frame(u64, Vec<u8>),
    Error(CaptureError),
    Skip(u64, u64),
}

fn reduce(record: CaptureRecord<'_>) -> R {
    match record {
        CaptureRecord::Error(e) => R::Error(e),
        CaptureRecord::Skipped(s) => R::Skip(s.offset, s.len),
        CaptureRecord::Block(Block::Frame(frame)) => R::Frame(frame.offset, frame.data.to_vec()),
        CaptureRecord::Block(other) => panic!("a pcap block that is not a frame: {other:?}"),
    }
}

/// The records of `bytes`, checked to tile the input after the global
/// header (see `pcapng_recovery.rs`).
fn recover(bytes: &[u8]) -> Vec<R> {
    let mut records = Parser::new().recovering(bytes);
    let mut out = Vec::new();
    let mut error_at = None;
    loop {
        let before = records.position() as u64;
        let Some(record) = records.next() else { break };
        let after = records.position() as u64;
        let before = if before == 0 && records.header().is_some() { 24 } else { before };
        out.push(match record {
            CaptureRecord::Error(e) => {
                assert_eq!((e.offset, after), (before, before), "an error takes no bytes");
                error_at = Some(e.offset);
                R::Error(e)
            }
            CaptureRecord::Skipped(s) => {
                assert_eq!(error_at.take(), Some(s.offset), "a skipped range follows its error");
                assert!(s.len > 0);
                assert_eq!((s.offset, after), (before, before + s.len));
                R::Skip(s.offset, s.len)
            }
            CaptureRecord::Block(Block::Frame(frame)) => {
                assert_eq!(error_at, None, "an error is followed by its skipped range");
                assert_eq!((frame.offset, after), (before, before + 16 + frame.data.len() as u64));
                R::Frame(frame.offset, frame.data.to_vec())
            }
            CaptureRecord::Block(other) => panic!("a pcap block that is not a frame: {other:?}"),
        });
    }
    assert_eq!(records.position(), bytes.len(), "frames and skipped ranges cover the input");
    // The stream tells the format by magic: this reader's input only.
    let streamed = zcpkt::detect(bytes) != Some(zcpkt::Format::PcapNg);
    let reader = || Parser::new().recovering(bytes);
    same_every_way(bytes, &out, records.work(), reader, reduce, streamed);
    out
}

const T0: u32 = 1_700_000_000;

/// A µs file of frames with `payloads`, one second apart; their offsets.
fn capture(payloads: &[Vec<u8>]) -> (Pcap, Vec<u64>) {
    let mut p = Pcap::new(ByteOrder::Little, false, 65535, 1);
    let at = payloads
        .iter()
        .enumerate()
        .map(|(i, d)| p.record(T0 + i as u32, 500, d.len() as u32, d))
        .collect();
    (p, at)
}

fn payloads(n: usize) -> Vec<Vec<u8>> {
    (0..n).map(|i| vec![0xf0 | i as u8; 40 + 4 * i]).collect()
}

fn frame(at: u64, payload: &[u8]) -> R {
    R::Frame(at, payload.to_vec())
}

fn patch32(bytes: &mut [u8], at: u64, v: u32) {
    bytes[at as usize..at as usize + 4].copy_from_slice(&v.to_le_bytes());
}

#[test]
fn undamaged_files_give_the_strict_frames() {
    let (p, _) = capture(&payloads(5));
    let strict: Vec<R> = Parser::new()
        .frames(&p.bytes)
        .map(|f| f.unwrap())
        .map(|f| R::Frame(f.offset, f.data.to_vec()))
        .collect();
    assert_eq!(strict.len(), 5);
    assert_eq!(recover(&p.bytes), strict);
    assert_eq!(recover(&[]), []);
    assert_eq!(recover(&p.bytes[..24]), []);
}

#[test]
fn a_bad_global_header_skips_everything() {
    let (mut p, _) = capture(&payloads(2));
    p.bytes[0] = 0;
    let len = p.bytes.len() as u64;
    assert_eq!(
        recover(&p.bytes),
        [R::Error(CaptureError::new(0, K::BadMagic { found: 0x00c3_b2a1 })), R::Skip(0, len)]
    );
}

#[test]
fn a_corrupted_captured_length_skips_its_record() {
    let p = payloads(4);
    let (mut file, at) = capture(&p);
    patch32(&mut file.bytes, at[1] + 8, 0xdead_beef);
    let limit = u64::from(zcpkt::pcap::DEFAULT_MAX_RECORD_SIZE);
    assert_eq!(
        recover(&file.bytes),
        [
            frame(at[0], &p[0]),
            R::Error(CaptureError::new(at[1], K::RecordTooLarge { size: 0xdead_beef, limit })),
            R::Skip(at[1], at[2] - at[1]),
            frame(at[2], &p[2]),
            frame(at[3], &p[3]),
        ]
    );
}

#[test]
fn a_captured_length_made_smaller_cuts_its_record_short() {
    let p = vec![vec![0x44; 40], vec![0xff; 100], vec![0x55; 40]];
    let (mut file, at) = capture(&p);
    patch32(&mut file.bytes, at[1] + 8, 40);
    let end = at[1] + 16 + 40;
    let limit = u64::from(zcpkt::pcap::DEFAULT_MAX_RECORD_SIZE);
    assert_eq!(
        recover(&file.bytes),
        [
            frame(at[0], &p[0]),
            // Nothing tells a shorter length from a real one: the record is
            // handed out cut short, the damage found where it ends.
            R::Frame(at[1], vec![0xff; 40]),
            R::Error(CaptureError::new(end, K::RecordTooLarge { size: u32::MAX as u64, limit })),
            R::Skip(end, at[2] - end),
            frame(at[2], &p[2]),
        ]
    );
}

#[test]
fn a_captured_length_made_larger_is_found_by_the_record_inside_it() {
    let p = vec![vec![0x44; 40], vec![0xff; 100], vec![0x55; 40], vec![0x66; 40]];
    let (mut file, at) = capture(&p);
    // Still within the original length's bound and the input: the strict
    // reader takes it, and reads the rest of the file misframed.
    patch32(&mut file.bytes, at[1] + 8, 120);
    patch32(&mut file.bytes, at[1] + 12, 120);
    assert!(Parser::new().frames(&file.bytes).nth(1).unwrap().is_ok());
    assert_eq!(
        recover(&file.bytes),
        [
            frame(at[0], &p[0]),
            R::Error(CaptureError::new(at[1], K::RecordOverlapsNext { next_record: at[2] })),
            R::Skip(at[1], at[2] - at[1]),
            frame(at[2], &p[2]),
            frame(at[3], &p[3]),
        ]
    );
}

#[test]
fn bytes_removed_inside_a_record_are_found_by_the_next_record() {
    let p = vec![vec![0x44; 40], vec![0xff; 100], vec![0x55; 40], vec![0x66; 40]];
    let (mut file, at) = capture(&p);
    let cut = at[1] as usize + 50;
    file.bytes.drain(cut..cut + 7);
    let (n2, n3) = (at[2] - 7, at[3] - 7);
    assert_eq!(
        recover(&file.bytes),
        [
            frame(at[0], &p[0]),
            R::Error(CaptureError::new(at[1], K::RecordOverlapsNext { next_record: n2 })),
            R::Skip(at[1], n2 - at[1]),
            frame(n2, &p[2]),
            frame(n3, &p[3]),
        ]
    );
}

#[test]
fn garbage_between_records_is_skipped() {
    let p = payloads(3);
    let (mut file, at) = capture(&p);
    let g = at[1] as usize;
    file.bytes.splice(g..g, [0xff; 20]);
    let strict = Parser::new().frames(&file.bytes).nth(1).unwrap().unwrap_err();
    let limit = u64::from(zcpkt::pcap::DEFAULT_MAX_RECORD_SIZE);
    assert_eq!(
        strict,
        CaptureError::new(at[1], K::RecordTooLarge { size: u32::MAX as u64, limit })
    );
    assert_eq!(
        recover(&file.bytes),
        [
            frame(at[0], &p[0]),
            R::Error(strict),
            R::Skip(at[1], 20),
            frame(at[1] + 20, &p[1]),
            frame(at[2] + 20, &p[2]),
        ]
    );
}

#[test]
fn a_zeroed_region_is_damage_not_empty_records() {
    let p = payloads(4);
    let (mut file, at) = capture(&p);
    file.bytes[at[1] as usize..at[2] as usize + 10].fill(0);
    let implausible = K::ImplausibleRecord { original_len: 0, fraction: 0 };
    assert_eq!(
        recover(&file.bytes),
        [
            frame(at[0], &p[0]),
            R::Error(CaptureError::new(at[1], implausible)),
            R::Skip(at[1], at[3] - at[1]),
            frame(at[3], &p[3]),
        ]
    );
}

#[test]
fn damage_right_before_the_end_skips_to_the_end() {
    let p = payloads(3);
    let (mut file, at) = capture(&p);
    file.bytes.truncate(file.bytes.len() - 5);
    let len = file.bytes.len() as u64;
    assert_eq!(
        recover(&file.bytes),
        [
            frame(at[0], &p[0]),
            frame(at[1], &p[1]),
            R::Error(CaptureError::new(at[2], K::Truncated { available: len - at[2], needed: 64 })),
            R::Skip(at[2], len - at[2]),
        ]
    );
}

/// A record header (and data) that passes the rule, to hide in data.
fn fake_record(secs: u32, data: &[u8]) -> Vec<u8> {
    let mut p = Pcap::new(ByteOrder::Little, false, 65535, 1);
    p.record(secs, 1, data.len() as u32, data);
    p.bytes.split_off(24)
}

#[test]
fn one_fake_record_inside_damaged_data_is_not_taken() {
    let mut data = vec![0xff; 8];
    data.extend(fake_record(T0 + 1, &[0x22; 12]));
    data.extend([0xff; 8]);
    let p = vec![vec![0x44; 40], data, vec![0x55; 40]];
    let (mut file, at) = capture(&p);
    patch32(&mut file.bytes, at[1] + 8, 0xffff_ffff);
    let limit = u64::from(zcpkt::pcap::DEFAULT_MAX_RECORD_SIZE);
    assert_eq!(
        recover(&file.bytes),
        [
            frame(at[0], &p[0]),
            R::Error(CaptureError::new(at[1], K::RecordTooLarge { size: u32::MAX as u64, limit })),
            R::Skip(at[1], at[2] - at[1]),
            frame(at[2], &p[2]),
        ]
    );
}

#[test]
fn two_fake_records_in_a_row_are_taken_and_the_real_ones_found_again() {
    let fake = fake_record(T0 + 1, &[0x22; 12]);
    let mut data = vec![0xff; 8];
    data.extend(&fake);
    data.extend(&fake);
    data.extend([0xff; 8]);
    let p = vec![vec![0x44; 40], data, vec![0x55; 40], vec![0x66; 40]];
    let (mut file, at) = capture(&p);
    patch32(&mut file.bytes, at[1] + 8, 0xffff_ffff);
    let limit = u64::from(zcpkt::pcap::DEFAULT_MAX_RECORD_SIZE);
    let f1 = at[1] + 16 + 8;
    let f2 = f1 + 28;
    let after = f2 + 28;
    assert_eq!(
        recover(&file.bytes),
        [
            frame(at[0], &p[0]),
            R::Error(CaptureError::new(at[1], K::RecordTooLarge { size: u32::MAX as u64, limit })),
            R::Skip(at[1], f1 - at[1]),
            R::Frame(f1, vec![0x22; 12]),
            // The fake after the second one is garbage: the second is
            // handed out, the damage reported where it ends.
            R::Frame(f2, vec![0x22; 12]),
            // The header read there: 8 bytes of 0xff, then record 2's
            // seconds as a captured length.
            R::Error(CaptureError::new(
                after,
                K::RecordTooLarge { size: u64::from(T0 + 2), limit }
            )),
            R::Skip(after, at[2] - after),
            frame(at[2], &p[2]),
            frame(at[3], &p[3]),
        ]
    );
}

/// A simulator's trace: 64-byte zeroed frames, seconds and fraction the
/// record's index (near the epoch); the records' offsets. Big-endian, each
/// header read one byte late is plausible too (captured length 16384), and
/// so is the one 205 records on: such data misframed the recovery.
fn regular_trace(order: ByteOrder, nanos: bool, n: u32) -> (Pcap, Vec<u64>) {
    let mut p = Pcap::new(order, nanos, 65535, 1);
    let at = (0..n).map(|i| p.record(i, i, 64, &[0; 64])).collect();
    (p, at)
}

#[test]
fn damage_in_a_regular_trace_loses_only_the_damaged_records() {
    let limit = u64::from(zcpkt::pcap::DEFAULT_MAX_RECORD_SIZE);
    for order in [ByteOrder::Big, ByteOrder::Little] {
        for nanos in [false, true] {
            let (mut file, at) = regular_trace(order, nanos, 1000);
            let b = &mut file.bytes;
            // 40 bytes over record 100's header, from 12 bytes before it.
            b[at[100] as usize - 12..at[100] as usize + 28].fill(0xee);
            // Record 300's header zeroed.
            b[at[300] as usize..at[300] as usize + 16].fill(0);
            // Record 700's captured length 8 bytes too long: the record
            // inside it is the nearer in time, as before.
            let long = match order {
                ByteOrder::Big => 72u32.to_be_bytes(),
                ByteOrder::Little => 72u32.to_le_bytes(),
            };
            b[at[700] as usize + 8..at[700] as usize + 12].copy_from_slice(&long);
            let file = &file.bytes;
            let lost = |k: usize, error: K| {
                [R::Error(CaptureError::new(at[k], error)), R::Skip(at[k], at[k + 1] - at[k])]
            };
            let mut expected = Vec::new();
            for (k, &offset) in at.iter().enumerate() {
                let data = file[offset as usize + 16..offset as usize + 80].to_vec();
                match k {
                    100 => expected.extend(lost(k, K::RecordTooLarge { size: 0xeeee_eeee, limit })),
                    300 => expected
                        .extend(lost(k, K::ImplausibleRecord { original_len: 0, fraction: 0 })),
                    700 => expected.extend(lost(k, K::RecordOverlapsNext { next_record: at[701] })),
                    _ => expected.push(R::Frame(offset, data)),
                }
            }
            assert_eq!(recover(file), expected, "{order:?}, ns {nanos}");
        }
    }
}

#[test]
fn a_fake_record_far_in_time_is_not_taken() {
    let mut data = vec![0xff; 8];
    data.extend(fake_record(T0 + TIMESTAMP_WINDOW_SECS + 10, &[0x22; 12]));
    data.extend(fake_record(T0 + TIMESTAMP_WINDOW_SECS + 11, &[0x22; 12]));
    // Frame 1 follows frame 0, which makes frame 0's time the reference.
    let p = vec![vec![0x44; 40], vec![0x45; 40], data, vec![0x55; 40]];
    let (mut file, at) = capture(&p);
    patch32(&mut file.bytes, at[2] + 8, 0xffff_ffff);
    let limit = u64::from(zcpkt::pcap::DEFAULT_MAX_RECORD_SIZE);
    assert_eq!(
        recover(&file.bytes),
        [
            frame(at[0], &p[0]),
            frame(at[1], &p[1]),
            R::Error(CaptureError::new(at[2], K::RecordTooLarge { size: u32::MAX as u64, limit })),
            R::Skip(at[2], at[3] - at[2]),
            frame(at[3], &p[3]),
        ]
    );
}

#[test]
fn the_timestamp_window_follows_a_jump_of_the_clock() {
    // An embedded recorder setting its clock: 1970, then 2023. The records
    // after the jump confirm each other, so the window moves with them.
    let mut file = Pcap::new(ByteOrder::Little, false, 65535, 1);
    let a = file.record(10, 0, 40, &[0x44; 40]);
    let b = file.record(11, 0, 40, &[0x45; 40]);
    let c = file.record(T0, 0, 40, &[0x46; 40]);
    let d = file.record(T0 + 1, 0, 40, &[0x47; 40]);
    let e = file.record(T0 + 2, 0, 40, &[0x48; 40]);
    let g = file.record(T0 + 3, 0, 40, &[0x49; 40]);
    patch32(&mut file.bytes, e + 8, 0xffff_ffff);
    let limit = u64::from(zcpkt::pcap::DEFAULT_MAX_RECORD_SIZE);
    assert_eq!(
        recover(&file.bytes),
        [
            frame(a, &[0x44; 40]),
            frame(b, &[0x45; 40]),
            frame(c, &[0x46; 40]),
            frame(d, &[0x47; 40]),
            R::Error(CaptureError::new(e, K::RecordTooLarge { size: u32::MAX as u64, limit })),
            R::Skip(e, g - e),
            frame(g, &[0x49; 40]),
        ]
    );
}

/// A stream searches megabytes of garbage through its first buffer: what
/// the search passed is let go as it goes.
#[test]
fn a_stream_searches_garbage_in_a_bounded_buffer() {
    const GARBAGE: usize = 8 << 20;
    let mut p = Pcap::new(ByteOrder::Little, false, 65535, 1);
    p.bytes.push(0xff); // the first record's header is cut by one byte
    let mut x = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..GARBAGE / 8 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        p.bytes.extend(x.to_le_bytes());
    }
    let first = p.record(T0, 0, 8, &[1; 8]);
    p.record(T0 + 1, 0, 8, &[2; 8]);
    let reader = Choppy { data: &p.bytes, chunks: &[4096, 100], calls: 0 };
    let mut stream = RecoveringCaptureStream::new(reader).buffer_size(64 << 10);
    let mut got = Vec::new();
    stream
        .for_each(|record| {
            got.push(reduce(record));
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(got.len(), 4, "{:?}", &got[..got.len().min(6)]);
    assert!(matches!(got[0], R::Error(CaptureError { offset: 24, .. })), "{:?}", got[0]);
    assert_eq!(got[1], R::Skip(24, first - 24));
    assert_eq!(got[2], R::Frame(first, vec![1; 8]));
    assert_eq!(stream.buffer_capacity(), 64 << 10, "the buffer grew");
}

/// Records whose every position looks like a header but for the
/// timestamp: the search tries each and takes none.
fn hostile(records: usize) -> Vec<u8> {
    let mut p = Pcap::new(ByteOrder::Little, false, 65535, 1);
    p.record(T0, 0, 4, &[0; 4]);
    p.record(T0 + 1, 0, 4, &[0; 4]);
    p.bytes.extend([0xff; 16]);
    for _ in 0..records {
        p.record(0, 1, 4, &[1, 0, 0, 0]);
    }
    p.bytes
}

#[test]
fn work_is_linear_on_hostile_input() {
    let work = |records| {
        let bytes = hostile(records);
        let mut iter = Parser::new().recovering(&bytes);
        let got: Vec<_> = iter.by_ref().collect();
        assert_eq!(got.len(), 4, "two frames, the error, the rest skipped: {got:?}");
        (iter.work(), bytes.len() as u64)
    };
    let (small, n) = work(1000);
    let (large, m) = work(4000);
    assert!(small <= n && large <= m, "{small} for {n} bytes, {large} for {m}");
    let ratio = large as f64 / small as f64;
    assert!((3.9..4.1).contains(&ratio), "work grew {ratio}x for 4x the input");
}

/// `m` records of `c` bytes 16 bytes apart, each condemned by the next:
/// record k's seconds are (k + 1) W (W the window, plus 10), and after
/// them (past zeroes) `m + 1` empty records whose seconds are each one
/// second before one record's: so record k's end holds one W + 1 seconds
/// from it, record k+1's end one a second from it. Each comparison (of
/// record k+1, found inside record k) finds nothing nearer in the whole of
/// record k+1's bytes.
fn overlapping_candidates(m: u32, c: u32) -> (Vec<u8>, Vec<u64>, Vec<u64>) {
    let mut p = Pcap::new(ByteOrder::Little, false, 0, 1);
    let secs = |k: u32| 10 + (k + 1) * TIMESTAMP_WINDOW_SECS;
    let n: Vec<u64> = (0..m).map(|k| p.record_raw(secs(k), 0, c, c, &[])).collect();
    p.bytes.resize(24 + 16 + c as usize, 0);
    let h = (0..=m).map(|j| p.record_raw(secs(j) - TIMESTAMP_WINDOW_SECS - 1, 0, 0, 1, &[]));
    let h = h.collect();
    (p.bytes, n, h)
}

#[test]
fn work_is_linear_on_overlapping_candidates() {
    let (m, c) = (250, 60_000);
    let (bytes, n, h) = overlapping_candidates(m, c);
    let mut expected = Vec::new();
    for k in 0..m as usize - 1 {
        expected.push(R::Error(CaptureError::new(
            n[k],
            K::RecordOverlapsNext { next_record: n[k + 1] },
        )));
        expected.push(R::Skip(n[k], 16));
    }
    let last = n[m as usize - 1] as usize;
    expected.push(R::Frame(last as u64, bytes[last + 16..last + 16 + c as usize].to_vec()));
    expected.push(frame(h[m as usize - 1], &[]));
    expected.push(frame(h[m as usize], &[]));
    assert_eq!(recover(&bytes), expected);
    // Without the comparisons' credit, each would try the 60 000 positions
    // of its candidate's record: 15 million in all.
    let mut iter = Parser::new().recovering(&bytes);
    iter.by_ref().for_each(drop);
    let cap = COMPARE_CREDIT_RECORDS * u64::from(zcpkt::pcap::DEFAULT_MAX_RECORD_SIZE + 16);
    let len = bytes.len() as u64;
    assert!(iter.work() <= 2 * len + cap, "work {} for {len} bytes", iter.work());
}

// ---- property: no frame outside the damage is lost ----

/// A record to write: seconds after T0, fraction, extra original length,
/// data.
type Rec = (u32, u32, u32, Vec<u8>);

fn file() -> impl Strategy<Value = (ByteOrder, bool, Vec<Rec>)> {
    let order = prop_oneof![Just(ByteOrder::Little), Just(ByteOrder::Big)];
    let rec = (0..3600u32, 0..1_000_000u32, 0..2u32, prop::collection::vec(any::<u8>(), 1..160));
    (order, any::<bool>(), prop::collection::vec(rec, 1..12))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_frame_outside_the_damage_is_lost((order, nanos, recs) in file(), damage in damage()) {
        let mut p = Pcap::new(order, nanos, 65535, 1);
        let mut frames = Vec::new();
        for (i, (dt, frac, extra, data)) in recs.iter().enumerate() {
            let secs = T0 + 3600 * i as u32 + dt;
            let start = p.record(secs, *frac, data.len() as u32 + extra, data);
            frames.push((start as usize, p.bytes.len(), data.clone()));
        }
        let clean = recover(&p.bytes);
        let strict: Vec<R> = Parser::new()
            .frames(&p.bytes)
            .map(|f| f.unwrap())
            .map(|f| R::Frame(f.offset, f.data.to_vec()))
            .collect();
        prop_assert_eq!(&clean, &strict);
        let (bytes, (a, b), shift) = apply(&p.bytes, 24, &damage);
        let got = recover(&bytes);
        // The frame wholly before the damage that is nearest to it.
        let last_before = frames.iter().filter(|f| f.1 <= a).map(|f| f.0 as u64).max();
        for (start, end, data) in frames {
            let (start, len) = if end <= a {
                (start as u64, (end - start) as u64)
            } else if start >= b {
                ((start as i64 + shift) as u64, (end - start) as u64)
            } else {
                continue;
            };
            let expected = R::Frame(start, data);
            if got.contains(&expected) {
                continue;
            }
            // The two documented exceptions. A damaged record whose
            // captured length runs into the records after it is handed out
            // over them (nothing tells it from a record whose data holds
            // records): a frame handed out overlaps the lost one.
            let overlapped = got.iter().any(|r| matches!(r, R::Frame(at, d)
                if *at < start && at + 16 + d.len() as u64 > start));
            // The record right before the damage, condemned by a plausible
            // header made partly of its last bytes and partly of the damage.
            let condemned = Some(start) == last_before && got.iter().any(|r| matches!(r,
                R::Error(e) if e.offset == start
                    && matches!(e.kind, K::RecordOverlapsNext { next_record }
                        if next_record + 16 > start + len)));
            prop_assert!(overlapped || condemned,
                "lost {:?} (damage {}..{}): {:?}", expected, a, b, got);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Any bytes after a valid header: recovery ends, never panics, and
    /// its frames and skipped ranges tile the input (`recover` checks).
    #[test]
    fn arbitrary_bytes_are_tiled(
        tail in prop::collection::vec(any::<u8>(), 0..600),
        small in prop::collection::vec(0..16u8, 0..600),
        nanos in any::<bool>(),
    ) {
        let header = Pcap::new(ByteOrder::Big, nanos, 0, 1).bytes;
        for body in [&tail, &small] {
            let mut bytes = header.clone();
            bytes.extend(body);
            recover(&bytes);
            recover(body);
        }
    }
}
