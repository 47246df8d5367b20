//! pcapng recovery past damage: exact errors, skipped ranges and frames for
//! each kind of damage, fake blocks inside packet data, a new section as
//! the re-synchronisation point, linear work on hostile input (the options
//! credit on crafted candidates and the blocks it passes over), and a
//! property test that no frame outside the damage is lost.

#[path = "capture_util/arb.rs"]
mod arb;
mod capture_util;
mod damage;
mod recovery_variants;

use capture_util::Ng;
use damage::{apply, damage};
use proptest::prelude::*;
use recovery_variants::same_every_way;
use zcpkt::capture::{ByteOrder, CaptureError, CaptureErrorKind as K};
use zcpkt::capture_record::CaptureRecord;
use zcpkt::pcapng::{option, Block, Parser};

/// A record reduced to what the tests compare: frames with their offset and
/// data, other blocks by offset.
#[derive(Clone, Debug, PartialEq, Eq)]
enum R {
    Frame(u64, Vec<u8>),
    Block(u64),
    Error(CaptureError),
    Skip(u64, u64),
}

fn reduce(record: CaptureRecord<'_>) -> R {
    match record {
        CaptureRecord::Block(Block::Frame(frame)) => R::Frame(frame.offset, frame.data.to_vec()),
        CaptureRecord::Error(error) => R::Error(error),
        CaptureRecord::Skipped(s) => R::Skip(s.offset, s.len),
        other => R::Block(other.offset()),
    }
}

/// The records of `bytes`, checked to tile the input: each block and
/// skipped range starts where reading stood and moves it past itself,
/// each error is where reading stands and is followed by its skipped
/// range, and reading ends at the input's end.
fn recover(bytes: &[u8]) -> Vec<R> {
    let mut records = Parser::new().recovering(bytes);
    let mut out = Vec::new();
    let mut error_at = None;
    loop {
        let before = records.position() as u64;
        let Some(record) = records.next() else { break };
        let after = records.position() as u64;
        match record {
            CaptureRecord::Error(e) => {
                assert_eq!((e.offset, after), (before, before), "an error takes no bytes");
                error_at = Some(e.offset);
            }
            CaptureRecord::Skipped(s) => {
                assert_eq!(error_at.take(), Some(s.offset), "a skipped range follows its error");
                assert!(s.len > 0);
                assert_eq!((s.offset, after), (before, before + s.len));
            }
            CaptureRecord::Block(_) => {
                assert_eq!(error_at, None, "an error is followed by its skipped range");
                assert_eq!(record.offset(), before);
                assert!(after > before);
            }
        }
        out.push(reduce(record));
    }
    assert_eq!(records.position(), bytes.len(), "blocks and skipped ranges cover the input");
    // The stream tells the format by magic: this reader's input only.
    let streamed = zcpkt::detect(bytes) == Some(zcpkt::Format::PcapNg);
    let reader = || Parser::new().recovering(bytes);
    same_every_way(bytes, &out, records.work(), reader, reduce, streamed);
    out
}

/// The error the strict reader stops with.
fn strict_error(bytes: &[u8]) -> CaptureError {
    let mut frames = Parser::new().frames(bytes);
    loop {
        match frames.next_block() {
            Some(Ok(_)) => continue,
            Some(Err(error)) => return error,
            None => panic!("no damage"),
        }
    }
}

/// An SHB, one IDB, then EPBs with `payloads`; the EPBs' offsets.
fn capture(payloads: &[Vec<u8>]) -> (Ng, Vec<u64>) {
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[]);
    ng.idb(1, 0, &[]);
    let at = payloads
        .iter()
        .enumerate()
        .map(|(i, p)| ng.epb(0, i as u64, p.len() as u32, p, &[]))
        .collect();
    (ng, at)
}

fn payloads(n: usize) -> Vec<Vec<u8>> {
    (0..n).map(|i| vec![0xf0 | i as u8; 40 + 4 * i]).collect()
}

fn frame(at: u64, payload: &[u8]) -> R {
    R::Frame(at, payload.to_vec())
}

#[test]
fn undamaged_files_give_the_strict_blocks() {
    let (ng, _) = capture(&payloads(4));
    let strict: Vec<R> = {
        let mut frames = Parser::new().frames(&ng.bytes);
        std::iter::from_fn(|| frames.next_block())
            .map(|b| reduce(CaptureRecord::Block(b.unwrap())))
            .collect()
    };
    assert_eq!(recover(&ng.bytes), strict);
    assert_eq!(recover(&[]), []);
}

#[test]
fn a_corrupted_length_skips_its_block() {
    let p = payloads(4);
    let (mut ng, at) = capture(&p);
    let e2 = at[2] as usize;
    ng.bytes[e2 + 4..e2 + 8].copy_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
    let error = CaptureError::new(at[2], K::UnalignedBlockLength { length: 0xefbe_adde });
    assert_eq!(
        recover(&ng.bytes),
        [
            R::Block(0),
            R::Block(28),
            frame(at[0], &p[0]),
            frame(at[1], &p[1]),
            R::Error(error),
            R::Skip(at[2], at[3] - at[2]),
            frame(at[3], &p[3]),
        ]
    );
}

#[test]
fn bytes_removed_inside_a_block_shift_the_rest_by_any_amount() {
    let p = payloads(4);
    let (mut ng, at) = capture(&p);
    let cut = at[1] as usize + 30;
    ng.bytes.drain(cut..cut + 6);
    let error = strict_error(&ng.bytes);
    assert!(matches!(error.kind, K::BlockLengthMismatch { leading: 76, .. }), "{error:?}");
    assert_eq!(error.offset, at[1]);
    let (n2, n3) = (at[2] - 6, at[3] - 6);
    assert_eq!(
        recover(&ng.bytes)[2..],
        [
            frame(at[0], &p[0]),
            R::Error(error),
            R::Skip(at[1], n2 - at[1]),
            frame(n2, &p[2]),
            frame(n3, &p[3]),
        ]
    );
}

#[test]
fn garbage_between_blocks_is_skipped() {
    let p = payloads(3);
    let (mut ng, at) = capture(&p);
    let g = at[1] as usize;
    ng.bytes.splice(g..g, [0xaa; 7]);
    assert_eq!(
        recover(&ng.bytes)[2..],
        [
            frame(at[0], &p[0]),
            R::Error(CaptureError::new(at[1], K::UnalignedBlockLength { length: 0x06aa_aaaa })),
            R::Skip(at[1], 7),
            frame(at[1] + 7, &p[1]),
            frame(at[2] + 7, &p[2]),
        ]
    );
}

#[test]
fn a_zeroed_region_is_skipped() {
    let p = payloads(4);
    let (mut ng, at) = capture(&p);
    // From inside frame 0's data through frame 1's header.
    // Frame 1 whole and frame 2's type, length and first body bytes.
    ng.bytes[at[1] as usize..at[2] as usize + 10].fill(0);
    assert_eq!(
        recover(&ng.bytes)[2..],
        [
            frame(at[0], &p[0]),
            R::Error(CaptureError::new(at[1], K::BlockTooShort { length: 0, minimum: 12 })),
            R::Skip(at[1], at[3] - at[1]),
            frame(at[3], &p[3]),
        ]
    );
}

#[test]
fn a_damaged_trailing_length_skips_its_block() {
    let p = payloads(3);
    let (mut ng, at) = capture(&p);
    let trailer = at[2] as usize - 4;
    ng.patch32(trailer, 0x1234);
    assert_eq!(
        recover(&ng.bytes)[2..],
        [
            frame(at[0], &p[0]),
            R::Error(CaptureError::new(
                at[1],
                K::BlockLengthMismatch { leading: 76, trailing: 0x1234 }
            )),
            R::Skip(at[1], at[2] - at[1]),
            frame(at[2], &p[2]),
        ]
    );
}

#[test]
fn damage_right_before_the_end_skips_to_the_end() {
    let p = payloads(3);
    let (mut ng, at) = capture(&p);
    ng.bytes.truncate(ng.bytes.len() - 5);
    let len = ng.bytes.len() as u64;
    assert_eq!(
        recover(&ng.bytes)[2..],
        [
            frame(at[0], &p[0]),
            frame(at[1], &p[1]),
            R::Error(CaptureError::new(at[2], K::Truncated { available: len - at[2], needed: 80 })),
            R::Skip(at[2], len - at[2]),
        ]
    );
}

#[test]
fn a_length_damaged_onto_a_matching_trailer_is_found_by_the_block_inside_it() {
    // Frame 1 is 8 bytes longer than frame 0: frame 0's length plus 8 puts
    // its trailing copy on frame 1's length, so the strict reader takes
    // frame 0 over frame 1's first 8 bytes. Big-endian: those bytes, taken
    // as frame 0's options, start with code 0 (end of options), where in
    // little-endian they are an epb_queue of 0 bytes (`BadOptionLength`).
    let p = [vec![0x44; 40], vec![0x45; 48], vec![0x46; 48]];
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Big, &[]);
    ng.idb(1, 0, &[]);
    let at: Vec<u64> =
        p.iter().enumerate().map(|(i, p)| ng.epb(0, i as u64, p.len() as u32, p, &[])).collect();
    ng.patch32(at[0] as usize + 4, 72 + 8);
    ng.patch32(at[0] as usize + 72 + 4, 72 + 8);
    let mut strict = Parser::new().frames(&ng.bytes);
    assert_eq!(strict.next().unwrap().unwrap().offset, at[0]);
    let error = CaptureError::new(at[0], K::RecordOverlapsNext { next_record: at[1] });
    assert_eq!(
        recover(&ng.bytes)[2..],
        [R::Error(error), R::Skip(at[0], at[1] - at[0]), frame(at[1], &p[1]), frame(at[2], &p[2])]
    );
}

/// A whole EPB on interface 0, as bytes, to hide in packet data.
fn fake_epb(payload: &[u8]) -> Vec<u8> {
    let mut ng = Ng::new();
    ng.epb(0, 7, payload.len() as u32, payload, &[]);
    ng.bytes
}

#[test]
fn one_fake_block_inside_damaged_data_is_not_taken() {
    // Frame 1's data holds a whole valid-looking EPB, followed by bytes
    // that start no block: rule 2 refuses it.
    let mut data = vec![0x11; 8];
    data.extend(fake_epb(&[0x22; 12]));
    data.extend([0x33; 8]);
    let p = vec![vec![0x44; 40], data, vec![0x55; 40]];
    let (mut ng, at) = capture(&p);
    ng.patch32(at[1] as usize + 4, 0xffff_fff0);
    let limit = u64::from(zcpkt::pcapng::DEFAULT_MAX_BLOCK_SIZE);
    assert_eq!(
        recover(&ng.bytes)[2..],
        [
            frame(at[0], &p[0]),
            R::Error(CaptureError::new(at[1], K::RecordTooLarge { size: 0xffff_fff0, limit })),
            R::Skip(at[1], at[2] - at[1]),
            frame(at[2], &p[2]),
        ]
    );
}

#[test]
fn a_fake_block_right_before_a_real_one_is_taken() {
    // Frame 1's data ends with a fake EPB, so the fake is followed by
    // frame 1's trailer, not a block... unless the fake ends the data
    // exactly where a real block follows: two fakes in a row are the
    // documented limit. Here the fakes are taken and the real frame after
    // them is still read.
    let fake = fake_epb(&[0x22; 12]);
    let mut data = vec![0x11; 8];
    data.extend(&fake);
    data.extend(&fake);
    let p = vec![vec![0x44; 40], data, vec![0x55; 40]];
    let (mut ng, at) = capture(&p);
    ng.patch32(at[1] as usize + 4, 0xffff_fff0);
    let f1 = at[1] + 28 + 8;
    let f2 = f1 + fake.len() as u64;
    let after = f2 + fake.len() as u64;
    let limit = u64::from(zcpkt::pcapng::DEFAULT_MAX_BLOCK_SIZE);
    assert_eq!(
        recover(&ng.bytes)[2..],
        [
            frame(at[0], &p[0]),
            R::Error(CaptureError::new(at[1], K::RecordTooLarge { size: 0xffff_fff0, limit })),
            R::Skip(at[1], f1 - at[1]),
            R::Frame(f1, vec![0x22; 12]),
            R::Frame(f2, vec![0x22; 12]),
            // Frame 1's trailer (its length, 128) read as a block type,
            // the next block's type (6) as a length.
            R::Error(CaptureError::new(after, K::UnalignedBlockLength { length: 6 })),
            R::Skip(after, at[2] - after),
            frame(at[2], &p[2]),
        ]
    );
}

/// An SPB without room for its packet (min(original length, snap
/// length)) is damage to the recovering reader as to the strict one: its
/// error, its bytes skipped, never a frame cut to the room; and it is
/// never where reading resumes.
#[test]
fn a_simple_packet_block_shorter_than_its_packet_is_skipped() {
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[]);
    ng.idb(1, 0, &[]);
    let a = ng.spb(40, &[0x41; 40]);
    let bad = ng.spb(100, &[0x42; 60]);
    let b = ng.spb(40, &[0x43; 40]);
    let c = ng.spb(40, &[0x44; 40]);
    let junk = ng.bytes.len() as u64;
    ng.bytes.extend([0xee; 8]);
    ng.spb(100, &[0x45; 60]); // framed, and a framed block after it
    let d = ng.spb(40, &[0x46; 40]);
    let e = ng.spb(40, &[0x47; 40]);
    let error = CaptureError::new(bad, K::PacketExceedsBlock { captured_len: 100, room: 60 });
    assert_eq!(strict_error(&ng.bytes), error);
    let unaligned = K::UnalignedBlockLength { length: 0xeeee_eeee };
    assert_eq!(
        recover(&ng.bytes)[2..],
        [
            frame(a, &[0x41; 40]),
            R::Error(error),
            R::Skip(bad, b - bad),
            frame(b, &[0x43; 40]),
            frame(c, &[0x44; 40]),
            R::Error(CaptureError::new(junk, unaligned)),
            R::Skip(junk, d - junk),
            frame(d, &[0x46; 40]),
            frame(e, &[0x47; 40]),
        ]
    );
}

/// A block that `bad_block` writes (framed, with the contents tshark
/// refuses: the strict error `kind_at(its offset)`) is damage to the
/// recovering reader as to the strict one: its bytes skipped up to the
/// next block; and a copy of it after junk is never where reading
/// resumes (it is framed, and a framed block follows it).
fn assert_bad_block_is_skipped(bad_block: impl Fn(&mut Ng) -> u64, kind_at: impl Fn(u64) -> K) {
    let (mut ng, at) = capture(&payloads(2));
    let bad = bad_block(&mut ng);
    let c = ng.epb(0, 3, 40, &[0x43; 40], &[]);
    let d = ng.epb(0, 4, 40, &[0x44; 40], &[]);
    let junk = ng.bytes.len() as u64;
    ng.bytes.extend([0xee; 8]);
    bad_block(&mut ng);
    let e = ng.epb(0, 5, 40, &[0x45; 40], &[]);
    let f = ng.epb(0, 6, 40, &[0x46; 40], &[]);
    let error = CaptureError::new(bad, kind_at(bad));
    assert_eq!(strict_error(&ng.bytes), error);
    let unaligned = K::UnalignedBlockLength { length: 0xeeee_eeee };
    let p = payloads(2);
    assert_eq!(
        recover(&ng.bytes)[2..],
        [
            frame(at[0], &p[0]),
            frame(at[1], &p[1]),
            R::Error(error),
            R::Skip(bad, c - bad),
            frame(c, &[0x43; 40]),
            frame(d, &[0x44; 40]),
            R::Error(CaptureError::new(junk, unaligned)),
            R::Skip(junk, e - junk),
            frame(e, &[0x45; 40]),
            frame(f, &[0x46; 40]),
        ]
    );
}

/// A Decryption Secrets Block whose secrets run past it (Wireshark finds
/// such a file cut short).
#[test]
fn a_secrets_block_with_secrets_past_its_end_is_skipped() {
    let dsb = |ng: &mut Ng| {
        let mut body = ng.n32(0x544c_534b);
        body.extend(ng.n32(9));
        body.extend([0x5a; 8]);
        ng.block(zcpkt::pcapng::block_type::DECRYPTION_SECRETS, &body)
    };
    assert_bad_block_is_skipped(dsb, |_| K::SecretsExceedBlock { secrets_len: 9, room: 8 });
}

/// A packet block with an option of a length its code does not allow
/// (`epb_flags` of 0 bytes: Wireshark refuses the file).
#[test]
fn a_packet_with_a_bad_option_length_is_skipped() {
    let bad_flags = [(option::EPB_FLAGS, vec![])];
    let epb = |ng: &mut Ng| ng.epb(0, 4, 40, &[0x42; 40], &bad_flags);
    assert_bad_block_is_skipped(epb, |at| K::BadOptionLength {
        option_offset: at + 68,
        code: option::EPB_FLAGS,
        length: 0,
    });
}

/// A Name Resolution Block with a name that lacks its 0 byte (Wireshark
/// refuses the file).
#[test]
fn a_name_resolution_block_with_an_unterminated_name_is_skipped() {
    // One IPv4 record: 10.0.0.1 "host", no 0; then the end record.
    let nrb = |ng: &mut Ng| {
        let body = [&[1, 0, 8, 0, 10, 0, 0, 1][..], b"host", &[0; 4]].concat();
        ng.block(zcpkt::pcapng::block_type::NAME_RESOLUTION, &body)
    };
    assert_bad_block_is_skipped(nrb, |at| K::BadNameRecord {
        record_offset: at + 8,
        record_type: 1,
        length: 8,
    });
}

/// An Interface Statistics Block whose option runs past it (Wireshark
/// refuses the file).
#[test]
fn a_statistics_block_with_an_option_past_its_end_is_skipped() {
    // Interface 0, timestamp 0, then an isb_ifrecv header claiming 99 bytes.
    let isb = |ng: &mut Ng| {
        let body = [&[0; 12][..], &[4, 0, 99, 0]].concat();
        ng.block(zcpkt::pcapng::block_type::INTERFACE_STATISTICS, &body)
    };
    assert_bad_block_is_skipped(isb, |at| K::MalformedOption { option_offset: at + 20 });
}

#[test]
fn a_new_section_is_a_resynchronisation_point() {
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[]);
    ng.idb(1, 0, &[]);
    let a = ng.epb(0, 1, 40, &[0x44; 40], &[]);
    let b = ng.epb(0, 2, 40, &[0x45; 40], &[]);
    let shb = ng.shb(ByteOrder::Big, &[(option::SHB_HARDWARE, b"x".to_vec())]);
    let idb = ng.idb(1, 0, &[]);
    let c = ng.epb(0, 3, 40, &[0x46; 40], &[]);
    // Zero from frame b's header to the new section's first byte: the
    // zeroed bytes could be nothing in the old section.
    ng.bytes[b as usize..shb as usize].fill(0);
    let reduced = recover(&ng.bytes);
    let records: Vec<CaptureRecord<'_>> = Parser::new().recovering(&ng.bytes).collect();
    assert_eq!(
        reduced[2..],
        [
            R::Frame(a, vec![0x44; 40]),
            R::Error(CaptureError::new(b, K::BlockTooShort { length: 0, minimum: 12 })),
            R::Skip(b, shb - b),
            R::Block(shb),
            R::Block(idb),
            R::Frame(c, vec![0x46; 40]),
        ]
    );
    let CaptureRecord::Block(Block::Frame(last)) = records[records.len() - 1] else { panic!() };
    assert_eq!(last.section, 1, "the SHB found started the file's second section");
}

#[test]
fn packets_of_a_lost_interface_are_errors() {
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[]);
    ng.idb(1, 0, &[]);
    let idb1 = ng.idb(1, 0, &[]);
    ng.epb(1, 1, 40, &[0x44; 40], &[]);
    let b = ng.epb(0, 2, 40, &[0x45; 40], &[]);
    ng.patch32(idb1 as usize + 4, 0x0bad_0002);
    let reduced = recover(&ng.bytes);
    assert_eq!(
        reduced[2..],
        [
            R::Error(CaptureError::new(idb1, K::UnalignedBlockLength { length: 0x0bad_0002 })),
            // Frame a names interface 1, which the section no longer has.
            R::Skip(idb1, b - idb1),
            R::Frame(b, vec![0x45; 40]),
        ]
    );
}

/// Copies of an EPB whose options run past its end: every copy is framed
/// and followed by a framed block, so each reaches the content check.
fn hostile(copies: usize) -> Vec<u8> {
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[]);
    ng.idb(1, 0, &[]);
    // Garbage first, so that reading starts with damage.
    ng.bytes.extend([0xaa; 5]);
    let mut one = Ng::new();
    let mut options = Vec::new();
    options.resize(2000, 0x01); // option code 0x0101, length 0x0101, …
    one.block(6, &[&[0u8; 20][..], &options].concat());
    for _ in 0..copies {
        ng.bytes.extend(&one.bytes);
    }
    ng.bytes
}

#[test]
fn work_is_linear_on_hostile_input() {
    let work = |copies| {
        let bytes = hostile(copies);
        let mut records = Parser::new().recovering(&bytes);
        let errors = records.by_ref().filter(|r| matches!(r, CaptureRecord::Error(_))).count();
        assert_eq!(errors, 1, "nothing is taken: the search runs to the end");
        (records.work(), bytes.len() as u64)
    };
    let (small, n) = work(200);
    let (large, m) = work(800);
    assert!(small <= 2 * n, "{small} for {n} bytes");
    let ratio = large as f64 / small as f64;
    assert!((3.8..4.2).contains(&ratio), "work grew {ratio}x for 4x the input");
    assert!(large <= 2 * m);
}

/// The 32-byte period of crafted input: an EPB candidate on interface 1
/// claiming 4096 bytes, so its trailer and the next block it needs are
/// every 128th period's, and its options area (4060 bytes) is 4-byte
/// options running over the next 127 candidates' and failing only at its
/// last option. Without the options credit every period cost a 4 KiB walk.
fn crafted_period() -> Vec<u8> {
    [6u32, 4096, 1, 1, 1, 4, 7 | (4 << 16), 4096].iter().flat_map(|w| w.to_le_bytes()).collect()
}

#[test]
fn crafted_overlapping_candidates_cost_a_bounded_credit() {
    use zcpkt::pcapng::{MAX_CANDIDATE_OPTIONS, OPTIONS_CREDIT_PER_POSITION};
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[]);
    ng.idb(1, 0, &[]);
    ng.idb(1, 0, &[]);
    let damage = ng.bytes.len() as u64;
    ng.bytes.extend([0xaa; 5]);
    let period = crafted_period();
    for _ in 0..1024 {
        ng.bytes.extend(&period);
    }
    // Real blocks right after the crafted stretch: the last candidate
    // walked before them is 4096 positions back, so the credit is full
    // again and covers the first one's options.
    let p = payloads(2);
    let a = ng.epb(1, 1, 40, &p[0], &[(option::COMMENT, vec![0x61; 40])]);
    let b = ng.epb(0, 2, 44, &p[1], &[]);
    let error = strict_error(&ng.bytes);
    assert_eq!(error.offset, damage);
    assert_eq!(
        recover(&ng.bytes),
        [
            R::Block(0),
            R::Block(28),
            R::Block(48),
            R::Error(error),
            R::Skip(damage, a - damage),
            frame(a, &p[0]),
            frame(b, &p[1]),
        ]
    );
    let mut records = Parser::new().recovering(&ng.bytes);
    records.by_ref().for_each(drop);
    let (work, len) = (records.work(), ng.bytes.len() as u64);
    let per_position = 1 + OPTIONS_CREDIT_PER_POSITION as u64;
    let bound = per_position * len + MAX_CANDIDATE_OPTIONS as u64;
    assert!(work <= bound, "work {work} for {len} bytes (bound {bound})");
    // Some candidates were walked: the credit is spent, not hoarded.
    assert!(work > 4 * len, "work {work} for {len} bytes");
}

/// An SHB, an IDB, 5 bytes of garbage, then an EPB candidate `q` of 4128
/// bytes (4092 of options, whose first option runs past the area) holding,
/// `gap` bytes into its options, a real EPB `r` (408 bytes of options)
/// and a real EPB after it; then two real EPBs. The offsets of `r`, the
/// EPB after it, the zeros after that, and the two EPBs after `q`.
fn costly_candidate_then_blocks(gap: usize) -> (Vec<u8>, [u64; 5], Vec<Vec<u8>>) {
    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[]);
    ng.idb(1, 0, &[]);
    ng.bytes.extend([0xaa; 5]);
    let q = ng.bytes.len();
    let q_len = 4128u32;
    for w in [6, q_len, 0, 0, 0, 4, 4, 0x7777_7777, 1 | 0xffff << 16] {
        ng.bytes.extend(w.to_le_bytes());
    }
    ng.bytes.resize(ng.bytes.len() + gap, 0);
    let p = payloads(4);
    let r = ng.epb(0, 1, 40, &p[0], &[(option::COMMENT, vec![0x61; 400])]);
    let r2 = ng.epb(0, 2, 44, &p[1], &[]);
    let zeros = ng.bytes.len() as u64;
    ng.bytes.resize(q + q_len as usize - 4, 0);
    ng.bytes.extend(q_len.to_le_bytes());
    let b = ng.epb(0, 3, 48, &p[2], &[]);
    let b2 = ng.epb(0, 4, 52, &p[3], &[]);
    (ng.bytes, [r, r2, zeros, b, b2], p)
}

#[test]
fn a_block_right_after_a_costly_candidate_waits_for_the_credit() {
    use zcpkt::pcapng::{MAX_CANDIDATE_OPTIONS, OPTIONS_CREDIT_PER_POSITION};
    // The search reaches `q` with a full credit and walks its 4092 bytes
    // of options; each position after it earns the credit back. `r`, 36 +
    // `gap` positions on, is taken iff the credit then covers its 408.
    let credit_at_r =
        |gap: usize| MAX_CANDIDATE_OPTIONS - 4092 + OPTIONS_CREDIT_PER_POSITION * (36 + gap);
    assert!(credit_at_r(14) < 408 && credit_at_r(15) >= 408, "gaps chosen for the constants");

    let (bytes, [r, r2, zeros, b, b2], p) = costly_candidate_then_blocks(15);
    let damage = 48;
    let error = strict_error(&bytes);
    assert_eq!(error.offset, damage);
    assert_eq!(
        recover(&bytes),
        [
            R::Block(0),
            R::Block(28),
            R::Error(error),
            R::Skip(damage, r - damage),
            frame(r, &p[0]),
            frame(r2, &p[1]),
            R::Error(CaptureError::new(zeros, K::BlockTooShort { length: 0, minimum: 12 })),
            R::Skip(zeros, b - zeros),
            frame(b, &p[2]),
            frame(b2, &p[3]),
        ]
    );

    // One byte closer, `r` is passed over (the documented limit), and the
    // EPB after it (followed by zeros) fails rule 2: reading resumes at
    // the first block after `q`, the credit full again.
    let (bytes, [_, _, _, b, b2], p) = costly_candidate_then_blocks(14);
    let error = strict_error(&bytes);
    assert_eq!(
        recover(&bytes),
        [
            R::Block(0),
            R::Block(28),
            R::Error(error),
            R::Skip(damage, b - damage),
            frame(b, &p[2]),
            frame(b2, &p[3]),
        ]
    );
}

// ---- property: no frame outside the damage is lost ----

/// An EPB to write: interface, data, whether it has a comment.
type Epb = (u32, Vec<u8>, bool);

fn file() -> impl Strategy<Value = (ByteOrder, usize, Vec<Epb>)> {
    let order = prop_oneof![Just(ByteOrder::Little), Just(ByteOrder::Big)];
    let epb = (0..2u32, prop::collection::vec(any::<u8>(), 0..120), any::<bool>());
    (order, 1..3usize, prop::collection::vec(epb, 1..12))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_frame_outside_the_damage_is_lost((order, idbs, epbs) in file(), damage in damage()) {
        let mut ng = Ng::new();
        ng.shb(order, &[]);
        for _ in 0..idbs {
            ng.idb(1, 0, &[]);
        }
        let floor = ng.bytes.len();
        let mut frames = Vec::new();
        for (i, (iface, data, comment)) in epbs.iter().enumerate() {
            let opts: Vec<(u16, Vec<u8>)> = if *comment { vec![(1, b"hi".to_vec())] } else { vec![] };
            let start = ng.epb(iface % idbs as u32, i as u64, data.len() as u32, data, &opts);
            frames.push((start as usize, ng.bytes.len(), data.clone()));
        }
        let clean: Vec<R> = recover(&ng.bytes);
        prop_assert!(!clean.iter().any(|r| matches!(r, R::Error(_))));
        let (bytes, (a, b), shift) = apply(&ng.bytes, floor, &damage);
        let got = recover(&bytes);
        for (start, end, data) in frames {
            let expected = if end <= a {
                R::Frame(start as u64, data)
            } else if start >= b {
                R::Frame((start as i64 + shift) as u64, data)
            } else {
                continue;
            };
            // The documented exception: a damaged length whose trailing
            // copy still matches and that ends on a framed block is handed
            // out over the blocks it covers (a frame handed out overlaps
            // the lost one).
            let R::Frame(at, _) = expected else { unreachable!() };
            let overlapped = got.iter().any(|r| matches!(r, R::Frame(o, d)
                if *o < at && o + 32 + d.len() as u64 > at));
            prop_assert!(got.contains(&expected) || overlapped,
                "lost {:?} (damage {}..{}): {:?}", expected, a, b, got);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Every kind of block, several sections, both byte orders: what the
    /// strict reader reads whole, the recovering one reads the same.
    #[test]
    fn undamaged_files_read_as_the_strict_reader_reads_them(bytes in arb::pcapng_file()) {
        let mut strict = Parser::new().frames(&bytes);
        let blocks: Result<Vec<R>, _> = std::iter::from_fn(|| strict.next_block())
            .map(|b| b.map(|b| reduce(CaptureRecord::Block(b))))
            .collect();
        if let Ok(blocks) = blocks {
            prop_assert_eq!(recover(&bytes), blocks);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Any bytes after a valid start: recovery ends, never panics, and
    /// its blocks and skipped ranges tile the input (`recover` checks).
    #[test]
    fn arbitrary_bytes_are_tiled(
        tail in prop::collection::vec(any::<u8>(), 0..600),
        small in prop::collection::vec(0..16u8, 0..600),
    ) {
        let mut ng = Ng::new();
        ng.shb(ByteOrder::Little, &[]);
        ng.idb(1, 0, &[]);
        // Small byte values make lengths, types and interface IDs that
        // pass more checks than uniform bytes do.
        for body in [&tail, &small] {
            let mut bytes = ng.bytes.clone();
            bytes.extend(body);
            recover(&bytes);
            recover(body);
        }
    }
}
