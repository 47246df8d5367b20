//! "Recovery loses nothing": a valid capture built with the encoder is
//! damaged in known places (garbage between packets, cut packets, header and
//! payload bit flips, zeroed ranges, a truncated end, and combinations), and
//! the recovering readers (`Records` on the slice, `StreamReader` with random
//! read sizes) must give back everything the damage did not touch.
//!
//! The property checked, for the damaged input `D` (offsets in `D`):
//!
//! 1. The records tile `D`: each packet record starts where the previous
//!    record's bytes ended, its framing-kept errors follow it at its offset,
//!    and each error that loses framing is followed by a `Skipped` range
//!    from that same offset; together they cover `0..D.len()` exactly.
//! 2. Every packet the damage did not touch is returned unchanged (same
//!    bytes and fields, valid) at its original offset shifted by the
//!    insertions and deletions before it, unless it was made unreachable:
//!    its first byte lies strictly inside a packet record that starts in
//!    damaged bytes (a damaged header whose framing, read as written,
//!    claims more bytes: e.g. a flipped PAYLOAD_LEN, framing kept with a
//!    checksum mismatch, so the packet after it is swallowed).
//! 3. Each skipped range starts at the offset of the error just before it,
//!    contains no byte of a reachable untouched packet, and ends at the end
//!    of input or at the start of a valid packet record (so at an untouched
//!    packet's start or at a valid packet that starts in damaged bytes).
//! 4. Every packet record that is not an untouched packet starts in damaged
//!    bytes (garbage or a damaged packet).
//! 5. A packet whose only damage is one flipped payload bit, when reached
//!    (anything reaching its offset; certainly when what comes just before
//!    it kept framing), is returned with its header fields, the flipped
//!    payload and exactly one `ChecksumMismatch` (stored = the original CRC),
//!    and no skip: reading goes on right after it.
//!
//! Garbage is generated so that it cannot hold a packet with no error (its
//! `PKT\0` candidates and header fragments carry a wrong CHECKSUM, other
//! bytes are random): a valid packet inside garbage would take a CRC-32
//! collision.
//!
//! Case counts are moderate; `PROPTEST_CASES` overrides them.

use std::io::{self, Read};
use std::ops::Range;

use proptest::prelude::*;
use proptest::sample::Index;
use zcpkt::source::stream::StreamReader;
use zcpkt::{Error, ErrorKind, Parser, Record};

mod support;
use support::{config, Spec};

// ---------------------------------------------------------------- capture

/// UTF-8 without NUL: empty, ASCII, multi-byte heavy.
fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z0-9.-]{1,8}",
        "[a-zé日😀\u{7f}\u{80}\u{ffff}]{1,8}",
        any::<String>().prop_map(|s| s.chars().filter(|&c| c != '\0').take(6).collect()),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        any::<u8>(),
        any::<u64>(),
        id(),
        id(),
        prop::collection::vec((any::<u8>(), prop::collection::vec(any::<u8>(), 0..6)), 0..3),
        prop::collection::vec(any::<u8>(), 0..48),
    )
        .prop_map(|(flags, timestamp, source, dest, exts, payload)| Spec {
            flags,
            timestamp,
            source,
            dest,
            exts,
            payload,
        })
}

// ---------------------------------------------------------------- damage

/// What happens to one packet (at most one damage per packet).
#[derive(Clone, Debug)]
enum PacketDamage {
    None,
    /// Delete `1..` bytes from somewhere inside the packet.
    Cut {
        at: Index,
        len: Index,
    },
    /// Flip one bit of a header byte.
    HeaderFlip {
        at: Index,
        bit: u8,
    },
    /// Flip one bit of a payload byte (a header flip if the payload is empty).
    PayloadFlip {
        at: Index,
        bit: u8,
    },
    /// Overwrite `1..=16` bytes with zeros.
    Zero {
        at: Index,
        len: Index,
    },
}

fn packet_damage() -> impl Strategy<Value = PacketDamage> {
    prop_oneof![
        3 => Just(PacketDamage::None),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(at, len)| PacketDamage::Cut { at, len }),
        1 => (any::<Index>(), 0..8u8).prop_map(|(at, bit)| PacketDamage::HeaderFlip { at, bit }),
        1 => (any::<Index>(), 0..8u8).prop_map(|(at, bit)| PacketDamage::PayloadFlip { at, bit }),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(at, len)| PacketDamage::Zero { at, len }),
    ]
}

/// One piece of inserted garbage. None of them can start a packet with no
/// error: header fragments have a wrong CHECKSUM, `PKT\0` candidates are
/// followed by random bytes.
fn garbage_piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        // Short pieces: a packet one byte after an error.
        prop::collection::vec(any::<u8>(), 1..=2),
        prop::collection::vec(any::<u8>(), 1..24),
        Just(b"PKT\0".to_vec()),
        prop::collection::vec(any::<u8>(), 0..30).prop_map(|tail| {
            let mut bytes = b"PKT\0\x01".to_vec();
            bytes.extend(tail);
            bytes
        }),
        // A prefix (up to all of it) of a packet whose CHECKSUM is wrong.
        (spec(), any::<Index>(), 1..=u32::MAX).prop_map(|(spec, cut, mask)| {
            let mut bytes = spec.encode();
            for (b, m) in bytes[12..16].iter_mut().zip(mask.to_le_bytes()) {
                *b ^= m;
            }
            let keep = 1 + cut.index(bytes.len());
            bytes.truncate(keep);
            bytes
        }),
    ]
}

fn garbage() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(garbage_piece(), 1..4).prop_map(|pieces| pieces.concat())
}

#[derive(Clone, Debug)]
struct Scenario {
    specs: Vec<Spec>,
    /// `damage[i]` for packet `i`.
    damage: Vec<PacketDamage>,
    /// `gaps[i]` is inserted before packet `i`; `gaps[n]` after the last.
    gaps: Vec<Option<Vec<u8>>>,
    /// Cut the damaged input to this many bytes (`index` over `0..=len`).
    truncate: Option<Index>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    prop::collection::vec(spec(), 0..8).prop_flat_map(|specs| {
        let n = specs.len();
        (
            Just(specs),
            prop::collection::vec(packet_damage(), n),
            prop::collection::vec(prop::option::weighted(0.25, garbage()), n + 1),
            prop::option::weighted(0.2, any::<Index>()),
        )
            .prop_map(|(specs, damage, gaps, truncate)| Scenario {
                specs,
                damage,
                gaps,
                truncate,
            })
    })
}

/// What became of an original packet.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Untouched,
    /// One payload bit flipped; these are the damaged packet's bytes.
    PayloadFlipped(Vec<u8>),
    Touched,
    /// Cut away entirely by the truncation.
    Gone,
}

#[derive(Clone, Debug)]
struct Placed {
    /// Index into `Scenario::specs`.
    index: usize,
    /// Where the (damaged) packet's bytes lie in the damaged input.
    range: Range<usize>,
    status: Status,
}

#[derive(Clone, Debug)]
struct Damaged {
    bytes: Vec<u8>,
    packets: Vec<Placed>,
    garbage: Vec<Range<usize>>,
}

impl Damaged {
    fn untouched(&self) -> impl Iterator<Item = &Placed> {
        self.packets.iter().filter(|p| p.status == Status::Untouched)
    }

    /// Whether byte `at` belongs to garbage or to a damaged packet.
    fn is_damaged_byte(&self, at: usize) -> bool {
        self.garbage.iter().any(|g| g.contains(&at))
            || self.packets.iter().any(|p| p.status != Status::Untouched && p.range.contains(&at))
    }
}

fn build(s: &Scenario) -> Damaged {
    let mut bytes = Vec::new();
    let mut packets = Vec::new();
    let mut garbage = Vec::new();
    for (index, spec) in s.specs.iter().enumerate() {
        if let Some(g) = &s.gaps[index] {
            garbage.push(bytes.len()..bytes.len() + g.len());
            bytes.extend(g);
        }
        let mut p = spec.encode();
        let header_len = spec.header_len();
        let status = match &s.damage[index] {
            PacketDamage::None => Status::Untouched,
            PacketDamage::Cut { at, len } => {
                let start = at.index(p.len());
                let n = 1 + len.index(p.len() - start);
                p.drain(start..start + n);
                Status::Touched
            }
            PacketDamage::PayloadFlip { at, bit } if !spec.payload.is_empty() => {
                p[header_len + at.index(spec.payload.len())] ^= 1 << bit;
                Status::PayloadFlipped(p.clone())
            }
            PacketDamage::HeaderFlip { at, bit } | PacketDamage::PayloadFlip { at, bit } => {
                p[at.index(header_len)] ^= 1 << bit;
                Status::Touched
            }
            PacketDamage::Zero { at, len } => {
                let start = at.index(p.len());
                let n = 1 + len.index((p.len() - start).min(16));
                p[start..start + n].fill(0);
                Status::Touched
            }
        };
        packets.push(Placed { index, range: bytes.len()..bytes.len() + p.len(), status });
        bytes.extend(p);
    }
    if let Some(g) = &s.gaps[s.specs.len()] {
        garbage.push(bytes.len()..bytes.len() + g.len());
        bytes.extend(g);
    }
    if let Some(cut) = &s.truncate {
        let len = cut.index(bytes.len() + 1);
        bytes.truncate(len);
        for p in &mut packets {
            if p.range.start >= len && !p.range.is_empty() {
                p.status = Status::Gone;
            } else if p.range.end > len {
                p.status = Status::Touched;
            }
            p.range = p.range.start.min(len)..p.range.end.min(len);
        }
        for g in &mut garbage {
            *g = g.start.min(len)..g.end.min(len);
        }
    }
    // A packet cut down to nothing has no bytes to find.
    for p in &mut packets {
        if p.range.is_empty() {
            p.status = Status::Gone;
        }
    }
    Damaged { bytes, packets, garbage }
}

// ---------------------------------------------------------------- records

/// A record, owned, so that the slice and stream readers can be compared.
#[derive(Clone, Debug, PartialEq)]
enum Rec {
    Packet(Pkt),
    Error(Error),
    Skipped { offset: usize, len: usize },
}

#[derive(Clone, Debug, PartialEq)]
struct Pkt {
    offset: usize,
    bytes: Vec<u8>,
    flags: u8,
    timestamp: u64,
    header_len: usize,
    checksum: u32,
    source: String,
    dest: String,
    exts: Vec<(u8, Vec<u8>)>,
    payload: Vec<u8>,
    checksum_ok: Option<bool>,
    valid: bool,
}

impl Pkt {
    fn end(&self) -> usize {
        self.offset + self.bytes.len()
    }
}

fn own(record: &Record<'_>) -> Rec {
    match record {
        Record::Packet(p) => Rec::Packet(Pkt {
            offset: p.offset as usize,
            bytes: p.as_bytes().to_vec(),
            flags: p.flags.bits(),
            timestamp: p.timestamp,
            header_len: usize::from(p.header_len),
            checksum: p.checksum,
            source: p.source_id.to_owned(),
            dest: p.dest_id.to_owned(),
            exts: p.extensions().map(|e| (e.ty.to_byte(), e.value.to_vec())).collect(),
            payload: p.payload.to_vec(),
            checksum_ok: p.checksum_ok(),
            valid: p.is_valid(),
        }),
        Record::Error(e) => Rec::Error(*e),
        Record::Skipped(s) => Rec::Skipped { offset: s.offset as usize, len: s.len as usize },
    }
}

fn slice_records(input: &[u8], recover: bool) -> Vec<Rec> {
    Parser::new().records(input, recover).map(|r| own(&r)).collect()
}

/// Returns the chunk sizes it is given, in turn.
struct ChoppyReader<'a> {
    data: &'a [u8],
    chunks: Vec<usize>,
    calls: usize,
}

impl Read for ChoppyReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.chunks[self.calls % self.chunks.len()].min(out.len()).min(self.data.len());
        self.calls += 1;
        let (now, rest) = self.data.split_at(n);
        out[..n].copy_from_slice(now);
        self.data = rest;
        Ok(n)
    }
}

/// The stream reader with no effective maximum: with the default 16 MiB a
/// damaged header claiming more makes recovery skip to the end of input
/// (stream.rs documents this), which the slice reader does not do.
fn stream_records(input: &[u8], chunks: Vec<usize>, buffer: usize) -> Vec<Rec> {
    let reader = ChoppyReader { data: input, chunks, calls: 0 };
    let mut stream = StreamReader::new(reader)
        .with_parser(Parser::new().max_packet_size(Some(u64::MAX)))
        .buffer_size(buffer)
        .recover(true);
    let mut out = Vec::new();
    while let Some(record) = stream.next_record() {
        out.push(own(&record.unwrap()));
    }
    out
}

// ---------------------------------------------------------------- the property

fn check_recovered(s: &Scenario, d: &Damaged, recs: &[Rec]) {
    let input = &d.bytes;
    let packet_at = |offset: usize| {
        recs.iter().find_map(|r| match r {
            Rec::Packet(p) if p.offset == offset => Some(p),
            _ => None,
        })
    };

    // 1. Tiling, error order, and each skip followed by a valid packet.
    let mut pos = 0;
    let mut i = 0;
    while i < recs.len() {
        match &recs[i] {
            Rec::Packet(p) => {
                assert_eq!(p.offset, pos, "packet record not where the last one ended");
                let mut expected = Vec::new();
                if p.exts.iter().map(|(_, v)| 3 + v.len()).sum::<usize>()
                    != p.header_len - 26 - p.source.len() - p.dest.len()
                {
                    expected.push("MalformedExtension");
                }
                if p.checksum_ok == Some(false) {
                    expected.push("ChecksumMismatch");
                }
                assert_eq!(p.valid, expected.is_empty());
                for name in expected {
                    i += 1;
                    match &recs[i] {
                        Rec::Error(e) if e.offset as usize == p.offset && e.kind.name() == name => {
                        }
                        other => panic!("expected {name} at {}, got {other:?}", p.offset),
                    }
                }
                pos = p.end();
            }
            Rec::Error(e) => {
                assert_eq!(e.offset as usize, pos, "error not where the last record ended");
                assert!(!e.kind.keeps_framing(), "framing-kept error without its packet: {e:?}");
                i += 1;
                let Some(Rec::Skipped { offset, len }) = recs.get(i) else {
                    panic!("error {e:?} not followed by a skipped range");
                };
                assert_eq!(*offset, pos, "skipped range does not start at the error");
                assert!(*len >= 1);
                pos += len;
                // 3. Ends at the end of input or at a valid packet.
                if pos < input.len() {
                    match recs.get(i + 1) {
                        Some(Rec::Packet(next)) if next.offset == pos && next.valid => {}
                        other => panic!("skip to {pos} not followed by a valid packet: {other:?}"),
                    }
                }
            }
            Rec::Skipped { .. } => panic!("skipped range without an error before it"),
        }
        i += 1;
    }
    assert_eq!(pos, input.len(), "records do not cover the input");

    // 2. Untouched packets: returned unchanged, or swallowed by a packet
    //    record that starts in damaged bytes.
    let mut swallowed = Vec::new();
    for u in d.untouched() {
        let want = s.specs[u.index].encode();
        match packet_at(u.range.start) {
            Some(p) => {
                let spec = &s.specs[u.index];
                assert_eq!(p.bytes, want, "untouched packet {} changed", u.index);
                assert!(p.valid);
                assert_eq!((p.flags, p.timestamp), (spec.flags, spec.timestamp));
                assert_eq!((&p.source, &p.dest), (&spec.source, &spec.dest));
                assert_eq!((&p.exts, &p.payload), (&spec.exts, &spec.payload));
            }
            None => {
                let cover = recs.iter().find_map(|r| match r {
                    Rec::Packet(p) if p.offset < u.range.start && u.range.start < p.end() => {
                        Some(p)
                    }
                    _ => None,
                });
                let Some(cover) = cover else {
                    panic!("untouched packet {} at {} lost", u.index, u.range.start);
                };
                assert!(
                    d.is_damaged_byte(cover.offset),
                    "packet {} swallowed by a packet at {} that starts in clean bytes",
                    u.index,
                    cover.offset
                );
                swallowed.push(u.index);
            }
        }
    }
    let reachable: Vec<&Placed> = d.untouched().filter(|u| !swallowed.contains(&u.index)).collect();

    // 3. Skipped ranges hold no byte of a reachable untouched packet.
    for r in recs {
        if let Rec::Skipped { offset, len } = *r {
            for u in &reachable {
                assert!(
                    offset + len <= u.range.start || u.range.end <= offset,
                    "skip {offset}+{len} overlaps untouched packet {} at {:?}",
                    u.index,
                    u.range
                );
            }
        }
    }

    // 4. Any other packet record starts in damaged bytes.
    for r in recs {
        if let Rec::Packet(p) = r {
            if !reachable.iter().any(|u| u.range.start == p.offset) {
                assert!(d.is_damaged_byte(p.offset), "packet record at {} from nowhere", p.offset);
            }
        }
    }

    // 5. Payload bit flips keep framing.
    let mut reached_ends: Vec<usize> = reachable.iter().map(|u| u.range.end).collect();
    reached_ends.push(0);
    for f in &d.packets {
        let Status::PayloadFlipped(flipped) = &f.status else { continue };
        let spec = &s.specs[f.index];
        let after_clean = reached_ends.contains(&f.range.start);
        let at = recs.iter().position(|r| matches!(r, Rec::Packet(p) if p.offset == f.range.start));
        let Some(at) = at else {
            assert!(
                !after_clean,
                "payload-flipped packet {} after clean framing not reached",
                f.index
            );
            continue;
        };
        let Rec::Packet(p) = &recs[at] else { unreachable!() };
        assert_eq!(&p.bytes, flipped);
        assert_eq!(p.checksum, crc32fast::hash(&spec.payload));
        assert_eq!((&p.source, &p.dest, p.timestamp), (&spec.source, &spec.dest, spec.timestamp));
        assert_eq!(p.checksum_ok, Some(false));
        let stored = crc32fast::hash(&spec.payload);
        let computed = crc32fast::hash(&p.payload);
        let mismatch =
            Error::new(p.offset as u64, ErrorKind::ChecksumMismatch { stored, computed });
        assert_eq!(recs.get(at + 1), Some(&Rec::Error(mismatch)));
        assert!(!matches!(recs.get(at + 2), Some(Rec::Skipped { .. })));
        assert!(matches!(recs.get(at + 2), None | Some(Rec::Packet(_)) | Some(Rec::Error(_))));
        // Framing kept: the next record starts right after it (tiling).
        reached_ends.push(f.range.end);
    }
}

/// Without recovery: the recovering stream up to and including its first
/// error that loses framing.
fn check_strict(recovered: &[Rec], strict: &[Rec]) {
    let stop = recovered
        .iter()
        .position(|r| matches!(r, Rec::Error(e) if !e.kind.keeps_framing()))
        .map_or(recovered.len(), |i| i + 1);
    assert_eq!(strict, &recovered[..stop]);
}

proptest! {
    #![proptest_config(config(384))]

    #[test]
    fn recovery_loses_nothing_the_damage_did_not_touch(
        s in scenario(),
        chunks in prop::collection::vec(1usize..64, 1..6),
        buffer in 1usize..96,
    ) {
        let d = build(&s);
        let recs = slice_records(&d.bytes, true);
        check_recovered(&s, &d, &recs);
        check_strict(&recs, &slice_records(&d.bytes, false));
        prop_assert_eq!(stream_records(&d.bytes, chunks, buffer), recs);
    }
}

// ---------------------------------------------------------------- fixed cases

fn pkt(src: &str, payload: &[u8]) -> Vec<u8> {
    Spec {
        flags: 0,
        timestamp: 7,
        source: src.into(),
        dest: "dé".into(),
        exts: vec![],
        payload: payload.into(),
    }
    .encode()
}

#[test]
fn garbage_with_a_bad_crc_packet_and_magic_between_packets() {
    let a = pkt("a", b"first");
    let b = pkt("b", b"second");
    let mut bad = pkt("x", b"zzz");
    bad[12] ^= 1;
    let mut input = a.clone();
    input.extend(b"PKT\0PKT\0\x01");
    input.extend(&bad);
    input.extend(&b);
    let recs = slice_records(&input, true);
    let g = a.len();
    let Rec::Packet(first) = &recs[0] else { panic!() };
    assert_eq!(first.bytes, a);
    // VERSION of the first candidate is the `P` of the second `PKT\0`.
    let version = ErrorKind::UnsupportedVersion { version: b'P' };
    assert_eq!(recs[1], Rec::Error(Error::new(g as u64, version)));
    // The second magic and the bad-CRC packet inside the garbage is passed over silently.
    let skip = 9 + bad.len();
    assert_eq!(recs[2], Rec::Skipped { offset: g, len: skip });
    let Rec::Packet(second) = &recs[3] else { panic!() };
    assert_eq!((second.offset, &second.bytes), (g + skip, &b));
    assert_eq!(recs.len(), 4);
}

#[test]
fn a_flipped_payload_len_swallows_the_next_packet_with_framing_kept() {
    let a = pkt("a", b"one");
    let b = pkt("b", b"two");
    let c = pkt("c", b"three");
    let mut damaged = a.clone();
    damaged[8] ^= 4; // PAYLOAD_LEN 3 -> 7: four bytes into b
    let mut input = damaged;
    input.extend(&b);
    input.extend(&c);
    let recs = slice_records(&input, true);
    let Rec::Packet(first) = &recs[0] else { panic!() };
    assert_eq!((first.bytes.len(), first.checksum_ok), (a.len() + 4, Some(false)));
    assert!(matches!(recs[1], Rec::Error(e) if e.kind.name() == "ChecksumMismatch"));
    let end = a.len() + 4;
    assert_eq!(recs[2], Rec::Error(Error::new(end as u64, ErrorKind::BadMagic)));
    let c_at = a.len() + b.len();
    assert_eq!(recs[3], Rec::Skipped { offset: end, len: c_at - end });
    assert!(matches!(&recs[4], Rec::Packet(p) if p.offset == c_at && p.bytes == c));
    assert_eq!(recs.len(), 5);
}
