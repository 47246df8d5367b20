//! pcapng: sections in both byte orders, interface tables restarting per
//! section, timestamp resolutions and offsets, every packet block type,
//! skipped blocks, options, and every damage kind at its exact offset.

mod capture_util;

use capture_util::{Ng, Opt};
use zcpkt::capture::{
    ByteOrder, CaptureError, CaptureErrorKind as K, Frame, LinkType, Resolution, Timestamp,
};
use zcpkt::pcapng::{self, block_type, option, Block, Parser};
use zcpkt::{detect, Format};

const LE: ByteOrder = ByteOrder::Little;
const BE: ByteOrder = ByteOrder::Big;

fn collect(input: &[u8]) -> (Vec<Frame<'_>>, Option<CaptureError>) {
    collect_iter(Parser::new().frames(input))
}

fn collect_iter<'a, const N: usize>(
    mut iter: pcapng::Frames<'a, N>,
) -> (Vec<Frame<'a>>, Option<CaptureError>) {
    let mut frames = Vec::new();
    while let Some(item) = iter.next() {
        match item {
            Ok(frame) => frames.push(frame),
            Err(error) => {
                assert!(iter.next().is_none(), "the iterator stops after an error");
                return (frames, Some(error));
            }
        }
    }
    (frames, None)
}

fn time(frame: &Frame<'_>) -> String {
    frame.timestamp.map(|t| t.to_string()).unwrap_or_default()
}

fn tsresol(byte: u8) -> Opt {
    (option::IF_TSRESOL, vec![byte])
}

#[test]
fn empty_and_shb_only_are_zero_frames() {
    assert_eq!(collect(&[]), (vec![], None));
    for order in [LE, BE] {
        let mut ng = Ng::new();
        ng.shb(order, &[]);
        assert_eq!(detect(&ng.bytes), Some(Format::PcapNg));
        assert_eq!(collect(&ng.bytes), (vec![], None));
    }
}

#[test]
fn enhanced_packets_in_both_byte_orders() {
    for order in [LE, BE] {
        let mut ng = Ng::new();
        ng.shb(order, &[]);
        ng.idb(1, 65535, &[]);
        let flags = ng.n32(0x0000_0001); // inbound
        let a = ng.epb(
            0,
            1_700_000_000_000_060,
            60,
            &[0xaa; 5],
            &[
                (option::EPB_FLAGS, flags),
                (option::COMMENT, b"first".to_vec()),
                (option::COMMENT, b"second!".to_vec()),
            ],
        );
        let b = ng.epb(0, 1_700_000_001_999_999, 4, b"abcd", &[]);
        let (frames, error) = collect(&ng.bytes);
        assert_eq!(error, None);
        assert_eq!(frames.len(), 2);
        let f = frames[0];
        assert_eq!((f.offset, time(&f)), (a, "1700000000.000060000".to_string()));
        assert_eq!((f.captured_len, f.original_len, f.data), (5, 60, &[0xaa; 5][..]));
        assert_eq!((f.interface_id, f.section, f.link_type), (0, 0, LinkType::ETHERNET));
        assert_eq!(f.epb_flags(), Some(1));
        assert_eq!(f.comments().collect::<Vec<_>>(), [&b"first"[..], b"second!"]);
        let codes: Vec<u16> = f.options.iter().map(|o| o.code).collect();
        assert_eq!(codes, [2, 1, 1]);
        // Option offsets: EPB at `a`, fixed part 28 bytes, 5 data bytes + 3 padding.
        let offsets: Vec<u64> = f.options.iter().map(|o| o.offset).collect();
        assert_eq!(offsets, [a + 36, a + 44, a + 56]);
        assert_eq!((frames[1].offset, time(&frames[1])), (b, "1700000001.999999000".to_string()));
        assert_eq!(frames[1].epb_flags(), None);
    }
}

#[test]
fn section_and_interface_options() {
    let mut ng = Ng::new();
    ng.shb(
        BE,
        &[
            (option::SHB_HARDWARE, b"x86_64".to_vec()),
            (option::SHB_OS, b"Linux 6.1".to_vec()),
            (option::SHB_USERAPPL, b"zcpkt tests".to_vec()),
            (option::COMMENT, b"hello".to_vec()),
        ],
    );
    ng.idb(
        113,
        0,
        &[(option::IF_NAME, b"eth0".to_vec()), (option::IF_DESCRIPTION, b"uplink".to_vec())],
    );
    ng.epb(0, 0, 0, &[], &[]);
    let mut frames = Parser::new().frames(&ng.bytes);
    let Some(Ok(Block::Section(shb))) = frames.next_block() else { panic!() };
    assert_eq!((shb.byte_order, shb.version_major, shb.section_length), (BE, 1, None));
    assert_eq!(shb.hardware(), Some(&b"x86_64"[..]));
    assert_eq!(shb.os(), Some(&b"Linux 6.1"[..]));
    assert_eq!(shb.user_appl(), Some(&b"zcpkt tests"[..]));
    assert_eq!(shb.comments().collect::<Vec<_>>(), [&b"hello"[..]]);
    let Some(Ok(Block::Interface { id, interface, options })) = frames.next_block() else {
        panic!()
    };
    assert_eq!((id, interface.link_type, interface.snaplen), (0, LinkType::LINUX_SLL, 0));
    assert_eq!(options.get(option::IF_NAME), Some(&b"eth0"[..]));
    assert_eq!(options.get(option::IF_DESCRIPTION), Some(&b"uplink"[..]));
    let again = frames.interface_options(0).unwrap();
    assert_eq!(again, options);
    assert!(frames.interface_options(1).is_none());
    let Some(Ok(Block::Frame(frame))) = frames.next_block() else { panic!() };
    assert_eq!(frame.link_type, LinkType::LINUX_SLL);
    assert!(frames.next_block().is_none());
}

#[test]
fn timestamp_resolutions_are_exact() {
    let cases: [(u8, u64, &str, Option<u32>); 9] = [
        (6, 1_700_000_000_000_060, "1700000000.000060000", Some(60_000)),
        (9, 1_700_000_000_123_456_789, "1700000000.123456789", Some(123_456_789)),
        (3, 1_700_000_000_123, "1700000000.123000000", Some(123_000_000)),
        (0, 1_700_000_000, "1700000000.000000000", Some(0)),
        (12, 1_000_123_456_789_012, "1000.123456789", None),
        // 2^-10: 1/1024 s = 976562.5 ns, truncated as Wireshark does.
        (0x80 | 10, 1_700_000_000 * 1024 + 1, "1700000000.000976562", None),
        (0x80 | 10, 1_700_000_000 * 1024 + 512, "1700000000.500000000", Some(500_000_000)),
        // 2^-30: the largest fraction stays below the next second.
        (0x80 | 30, (5 << 30) + (1 << 30) - 1, "5.999999999", None),
        // 2^-63: ~1.08 ns per unit; 2^63 units are one second.
        (0x80 | 63, 3, "0.000000000", None),
    ];
    for order in [LE, BE] {
        for (byte, units, expected, exact) in cases {
            let mut ng = Ng::new();
            ng.shb(order, &[]);
            ng.idb(1, 0, &[tsresol(byte)]);
            ng.epb(0, units, 0, &[], &[]);
            let (frames, error) = collect(&ng.bytes);
            assert_eq!(error, None);
            let ts = frames[0].timestamp.unwrap();
            assert_eq!(ts.to_string(), expected, "tsresol {byte:#x}");
            assert_eq!(ts.exact_subsec_nanos(), exact, "tsresol {byte:#x}");
            assert_eq!(ts.resolution(), Resolution::from_tsresol(byte));
        }
    }
}

#[test]
fn tsoffset_adds_seconds() {
    let mut ng = Ng::new();
    ng.shb(BE, &[]);
    let plus = ng.n64(100);
    let minus = ng.n64((-10i64) as u64);
    ng.idb(1, 0, &[(option::IF_TSOFFSET, plus)]);
    ng.idb(1, 0, &[(option::IF_TSOFFSET, minus), tsresol(9)]);
    ng.epb(0, 5_000_001, 0, &[], &[]);
    ng.epb(1, 5, 0, &[], &[]);
    let (frames, error) = collect(&ng.bytes);
    assert_eq!(error, None);
    assert_eq!(time(&frames[0]), "105.000001000");
    // -10 s + 5 ns.
    assert_eq!(time(&frames[1]), "-9.999999995");
    assert_eq!(frames[1].timestamp.unwrap().unix_nanos(), -9_999_999_995);
}

#[test]
fn sections_with_their_own_byte_order_and_interfaces() {
    let mut ng = Ng::new();
    ng.shb(LE, &[]);
    ng.idb(1, 0, &[]);
    ng.idb(101, 0, &[tsresol(9)]);
    ng.epb(1, 7, 7, b"raw", &[]);
    ng.epb(0, 8, 8, b"eth", &[]);
    ng.shb(BE, &[]);
    ng.idb(276, 0, &[]);
    ng.epb(0, 9, 9, b"sll2", &[]);
    ng.shb(LE, &[]);
    ng.idb(0, 0, &[]);
    ng.epb(0, 10, 10, b"null", &[]);
    let (frames, error) = collect(&ng.bytes);
    assert_eq!(error, None);
    let summary: Vec<_> = frames
        .iter()
        .map(|f| (f.section, f.interface_id, f.link_type.0, f.data, time(f)))
        .collect();
    assert_eq!(
        summary,
        [
            (0, 1, 101, &b"raw"[..], "0.000000007".to_string()),
            (0, 0, 1, &b"eth"[..], "0.000008000".to_string()),
            (1, 0, 276, &b"sll2"[..], "0.000009000".to_string()),
            (2, 0, 0, &b"null"[..], "0.000010000".to_string()),
        ]
    );
}

#[test]
fn interface_ids_restart_per_section() {
    let mut ng = Ng::new();
    ng.shb(LE, &[]);
    ng.idb(1, 0, &[]);
    ng.idb(1, 0, &[]);
    ng.epb(1, 0, 0, &[], &[]);
    ng.shb(BE, &[]);
    ng.idb(1, 0, &[]);
    let bad = ng.epb(1, 0, 0, &[], &[]);
    let (frames, error) = collect(&ng.bytes);
    assert_eq!(frames.len(), 1);
    let kind = K::UnknownInterface { interface_id: 1, interfaces: 1 };
    assert_eq!(error, Some(CaptureError::new(bad, kind)));
}

#[test]
fn simple_packet_blocks() {
    let mut ng = Ng::new();
    ng.shb(BE, &[]);
    ng.idb(1, 8, &[]);
    let a = ng.spb(20, &[1; 12]); // min(20, snaplen 8) = 8; more room is read past
    let b = ng.spb(3, &[2; 3]); // min(3, 8) = 3 (room 4 with the padding)
    ng.shb(LE, &[]);
    ng.idb(1, 0, &[]);
    let c = ng.spb(12, &[3; 12]); // snaplen 0: no limit
    let (frames, error) = collect(&ng.bytes);
    assert_eq!(error, None);
    let summary: Vec<_> =
        frames.iter().map(|f| (f.offset, f.captured_len, f.original_len, f.data.len())).collect();
    assert_eq!(summary, [(a, 8, 20, 8), (b, 3, 3, 3), (c, 12, 12, 12)]);
    assert!(frames.iter().all(|f| f.timestamp.is_none() && time(f).is_empty()));
    assert_eq!(frames[2].section, 1);
}

/// An SPB's captured length is min(original length, snap length), and
/// the block must hold it (padded to 4): one with less room is damaged
/// where it starts, as tshark and capinfos say ("total block length 76
/// of an SPB is too small for 100 bytes of packet data"), not a frame cut
/// to the room. Checked against tshark in `capture_oracle.rs`.
#[test]
fn a_simple_packet_block_shorter_than_its_packet_is_damage() {
    for (snaplen, original, room) in [(0, 100, 60), (65535, 100, 60), (0, 65, 64), (80, 100, 64)] {
        let mut ng = Ng::new();
        ng.shb(LE, &[]);
        ng.idb(1, snaplen, &[]);
        ng.spb(60, &[1; 60]);
        let bad = ng.spb(original, &vec![2; room as usize]);
        ng.spb(60, &[3; 60]);
        let (frames, error) = collect(&ng.bytes);
        assert_eq!(frames.len(), 1, "{snaplen} {original} {room}");
        let captured_len = if snaplen == 0 { original } else { original.min(snaplen) };
        let kind = K::PacketExceedsBlock { captured_len, room };
        assert_eq!(error, Some(CaptureError::new(bad, kind)), "{snaplen} {original} {room}");
    }
}

#[test]
fn obsolete_packet_blocks() {
    let mut ng = Ng::new();
    ng.shb(BE, &[]);
    ng.idb(1, 0, &[]);
    ng.idb(105, 0, &[tsresol(3)]);
    let flags = ng.n32(2);
    let at = ng.pb(1, 1_234_567, 99, b"old", &[(option::EPB_FLAGS, flags)]);
    let (frames, error) = collect(&ng.bytes);
    assert_eq!(error, None);
    let f = frames[0];
    assert_eq!((f.offset, f.interface_id, f.link_type), (at, 1, LinkType::IEEE802_11));
    assert_eq!((f.data, f.original_len, time(&f)), (&b"old"[..], 99, "1234.567000000".into()));
    assert_eq!(f.epb_flags(), Some(2));
}

#[test]
fn blocks_without_packets_are_read_past() {
    let mut ng = Ng::new();
    ng.shb(LE, &[]);
    ng.block(block_type::NAME_RESOLUTION, &[0; 4]); // before any IDB: fine
    ng.idb(1, 0, &[]);
    ng.epb(0, 1, 1, b"1", &[]);
    ng.block(block_type::INTERFACE_STATISTICS, &[0; 12]);
    ng.block(block_type::DECRYPTION_SECRETS, &[0; 8]);
    ng.block(block_type::CUSTOM, &[0; 8]);
    ng.block(block_type::CUSTOM_NO_COPY, &[0; 4]); // its PEN only
    ng.block(0x8000_1234, &[9; 3]); // unknown, local use
    ng.epb(0, 2, 1, b"2", &[]);
    let (frames, error) = collect(&ng.bytes);
    assert_eq!(error, None);
    assert_eq!(frames.iter().map(|f| f.data).collect::<Vec<_>>(), [&b"1"[..], b"2"]);

    let mut iter = Parser::new().frames(&ng.bytes);
    let mut others = Vec::new();
    while let Some(block) = iter.next_block() {
        if let Block::Other(raw) = block.unwrap() {
            others.push(raw.block_type);
        }
    }
    assert_eq!(others, [4, 5, 0x0a, 0x0bad, 0x4000_0bad, 0x8000_1234]);
}

/// A section with one interface and two good frames; returns the builder
/// and the offset where damage will start.
fn two_good(order: ByteOrder) -> (Ng, u64) {
    let mut ng = Ng::new();
    ng.shb(order, &[]);
    ng.idb(1, 0, &[]);
    ng.epb(0, 1, 4, b"abcd", &[]);
    ng.epb(0, 2, 3, b"xyz", &[]);
    let at = ng.bytes.len() as u64;
    (ng, at)
}

fn assert_damage(bytes: &[u8], offset: u64, kind: K) {
    let (frames, error) = collect(bytes);
    assert_eq!(frames.len(), 2, "every good frame comes first");
    assert_eq!(error, Some(CaptureError::new(offset, kind)));
}

#[test]
fn damage_truncated() {
    for order in [LE, BE] {
        // Cut inside a block (12 + 20 + 10 data bytes padded to 12 = 44).
        let (mut ng, at) = two_good(order);
        ng.epb(0, 3, 10, &[0; 10], &[]);
        let cut = ng.bytes.len() - 5;
        assert_damage(&ng.bytes[..cut], at, K::Truncated { available: 39, needed: 44 });
        // Cut inside a block (12 + 20 + 10 data bytes padded to 12 = 44).header.
        let (mut ng, at) = two_good(order);
        ng.bytes.extend_from_slice(&[6, 0, 0]);
        assert_damage(&ng.bytes, at, K::Truncated { available: 3, needed: 8 });
        // Cut inside a second SHB before its byte-order magic.
        let (mut ng, at) = two_good(order);
        ng.bytes.extend_from_slice(&[0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d]);
        assert_damage(&ng.bytes, at, K::Truncated { available: 9, needed: 12 });
    }
}

#[test]
fn damage_bad_magic() {
    // Not starting with an SHB.
    let mut ng = Ng::new();
    ng.idb(1, 0, &[]);
    let (frames, error) = collect(&ng.bytes);
    assert!(frames.is_empty());
    assert_eq!(error, Some(CaptureError::new(0, K::BadMagic { found: 0x0100_0000 })));
    // A later SHB with a bad byte-order magic.
    let (mut ng, at) = two_good(LE);
    ng.shb(LE, &[]);
    ng.patch32(at as usize + 8, 0xdead_beef);
    assert_damage(&ng.bytes, at, K::BadMagic { found: 0xefbe_adde });
}

#[test]
fn damage_block_lengths() {
    for order in [LE, BE] {
        // Trailing length disagrees with the leading one.
        let (mut ng, at) = two_good(order);
        ng.epb(0, 3, 4, b"1234", &[]);
        let end = ng.bytes.len();
        ng.patch32(end - 4, 40);
        assert_damage(&ng.bytes, at, K::BlockLengthMismatch { leading: 36, trailing: 40 });
        // Not a multiple of 4.
        let (mut ng, at) = two_good(order);
        ng.epb(0, 3, 4, b"1234", &[]);
        ng.patch32(at as usize + 4, 37);
        assert_damage(&ng.bytes, at, K::UnalignedBlockLength { length: 37 });
        // Under the generic minimum, and under an EPB's.
        let (mut ng, at) = two_good(order);
        ng.block(0x1234, &[]);
        ng.patch32(at as usize + 4, 8);
        assert_damage(&ng.bytes, at, K::BlockTooShort { length: 8, minimum: 12 });
        let (mut ng, at) = two_good(order);
        ng.block(block_type::ENHANCED_PACKET, &[0; 16]);
        assert_damage(&ng.bytes, at, K::BlockTooShort { length: 28, minimum: 32 });
        // Over the block size limit (a hostile length, before any read).
        let (mut ng, at) = two_good(order);
        ng.block(0x1234, &[]);
        ng.patch32(at as usize + 4, 0xffff_fff0);
        let kind = K::RecordTooLarge { size: 0xffff_fff0, limit: 16 << 20 };
        assert_damage(&ng.bytes, at, kind);
    }
}

#[test]
fn damage_packet_lengths() {
    for order in [LE, BE] {
        // Captured length over the record limit.
        let (mut ng, at) = two_good(order);
        ng.epb_raw(0, 3, 262_145, 262_145, &[], &[]);
        assert_damage(&ng.bytes, at, K::RecordTooLarge { size: 262_145, limit: 262_144 });
        // A configured limit.
        let (mut ng, at) = two_good(order);
        ng.epb(0, 3, 9, &[0; 9], &[]);
        let (frames, error) = collect_iter(Parser::new().max_record_size(8).frames(&ng.bytes));
        assert_eq!(frames.len(), 2);
        assert_eq!(error, Some(CaptureError::new(at, K::RecordTooLarge { size: 9, limit: 8 })));
        // Captured length past the block's end.
        let (mut ng, at) = two_good(order);
        ng.epb_raw(0, 3, 9, 9, &[0; 8], &[]);
        assert_damage(&ng.bytes, at, K::PacketExceedsBlock { captured_len: 9, room: 8 });
    }
}

/// A Decryption Secrets Block: type and length (8 bytes) then the secrets
/// padded to 4; Wireshark 4.0 finds the file "cut short" when they run
/// past the block, or when the block has no room for the two fields.
#[test]
fn damage_decryption_secrets() {
    let dsb = |ng: &mut Ng, secrets_len: u32, data: &[u8]| {
        let mut body = ng.n32(0x544c_534b);
        body.extend(ng.n32(secrets_len));
        body.extend_from_slice(data);
        ng.block(block_type::DECRYPTION_SECRETS, &body)
    };
    for order in [LE, BE] {
        // Secrets that fit, padded or not, are read past (trailing bytes
        // after them too: options, which Wireshark does not read).
        for (secrets_len, data) in [(0, &[][..]), (3, b"abcd"), (4, b"abcd"), (5, b"abcdefgh")] {
            let (mut ng, _) = two_good(order);
            dsb(&mut ng, secrets_len, data);
            ng.epb(0, 3, 1, b"z", &[]);
            let (frames, error) = collect(&ng.bytes);
            assert_eq!((frames.len(), error), (3, None), "{secrets_len}");
        }
        // Padded length past the block, by one byte and by a hostile length.
        for (secrets_len, data) in [(5, &b"abcd"[..]), (9, b"abcdefgh"), (1, b""), (!0, b"")] {
            let (mut ng, at) = two_good(order);
            dsb(&mut ng, secrets_len, data);
            ng.epb(0, 3, 1, b"z", &[]);
            let room = data.len() as u32;
            assert_damage(&ng.bytes, at, K::SecretsExceedBlock { secrets_len, room });
        }
        // No room for the secrets type and length.
        let (mut ng, at) = two_good(order);
        ng.block(block_type::DECRYPTION_SECRETS, &[0; 4]);
        assert_damage(&ng.bytes, at, K::BlockTooShort { length: 16, minimum: 20 });
    }
}

/// Options whose length their code does not allow, where Wireshark 4.0
/// refuses the file ("packet block flags option length 0 is not 4",
/// "option length (3) too small for custom option"); those it only
/// ignores (an `if_tsresol` of 2 bytes, an empty `epb_hash`) are read.
#[test]
fn damage_option_lengths() {
    for order in [LE, BE] {
        let packet_bad: [(u16, usize); 9] = [
            (option::EPB_FLAGS, 0),
            (option::EPB_FLAGS, 8),
            (option::EPB_DROPCOUNT, 0),
            (option::EPB_DROPCOUNT, 4),
            (option::EPB_PACKETID, 4),
            (option::EPB_QUEUE, 8),
            (option::EPB_VERDICT, 0),
            (2988, 0),
            (19373, 3),
        ];
        for (code, len) in packet_bad {
            for pb in [false, true] {
                let (mut ng, at) = two_good(order);
                // A good option first: the bad one is the second.
                let options = [(option::COMMENT, b"ok".to_vec()), (code, vec![0; len])];
                match pb {
                    false => ng.epb(0, 3, 1, b"z", &options),
                    true => ng.pb(0, 3, 1, b"z", &options),
                };
                let option_offset = at + 28 + 4 + 8;
                let kind = K::BadOptionLength { option_offset, code, length: len as u16 };
                assert_damage(&ng.bytes, at, kind);
            }
        }
        // An empty if_filter; a short custom option in an IDB and an SHB.
        for (code, len) in [(option::IF_FILTER, 0), (2989, 0)] {
            let (mut ng, at) = two_good(order);
            ng.idb(1, 0, &[(code, vec![0; len])]);
            let kind = K::BadOptionLength { option_offset: at + 16, code, length: len as u16 };
            assert_damage(&ng.bytes, at, kind);
        }
        let (mut ng, at) = two_good(order);
        ng.shb(order, &[(19372, vec![0; 2])]);
        let kind = K::BadOptionLength { option_offset: at + 24, code: 19372, length: 2 };
        assert_damage(&ng.bytes, at, kind);
        // What Wireshark ignores is read.
        let (mut ng, _) = two_good(order);
        let idb_ignored: [Opt; 4] = [
            (option::IF_TSRESOL, vec![6, 6]),
            (option::IF_TSOFFSET, vec![0; 4]),
            (option::IF_FCSLEN, vec![4, 0]),
            (option::IF_FILTER, vec![0]),
        ];
        ng.idb(1, 0, &idb_ignored);
        let packet_ignored: [Opt; 4] = [
            (option::EPB_HASH, vec![]),
            (option::EPB_VERDICT, vec![0]),
            (9, vec![]),
            (2988, vec![0; 4]),
        ];
        ng.epb(1, 3, 1, b"z", &packet_ignored);
        ng.pb(1, 3, 1, b"z", &packet_ignored);
        ng.shb(order, &[(2989, vec![0; 4])]);
        let (frames, error) = collect(&ng.bytes);
        assert_eq!((frames.len(), error), (4, None));
    }
}

/// A Name Resolution Block record that Wireshark 4.0 refuses: value past
/// the block ("16 bytes left in the block < NRB record length + padding
/// 40"), an address cut short ("NRB record length for IPv4 record 3 <
/// minimum length 4"), a name without its 0 ("NRB record has
/// non-null-terminated host name"); and its options, after the end
/// record's 4 bytes.
#[test]
fn damage_name_resolution() {
    let record = |ng: &Ng, record_type: u16, length: u16, value: &[u8]| {
        let mut r = ng.n32(0);
        let (t, l) = match ng.order {
            ByteOrder::Little => (record_type.to_le_bytes(), length.to_le_bytes()),
            ByteOrder::Big => (record_type.to_be_bytes(), length.to_be_bytes()),
        };
        r[..2].copy_from_slice(&t);
        r[2..].copy_from_slice(&l);
        r.extend_from_slice(value);
        r.resize(r.len().next_multiple_of(4), 0);
        r
    };
    let ip4 = [10, 0, 0, 1];
    for order in [LE, BE] {
        let end = |ng: &Ng| record(ng, 0, 0, &[]);
        // Read: names ending with 0, a bare address, unknown types, no end
        // record, options after the end record (whose length is not read).
        let (mut ng, _) = two_good(order);
        let mut body = record(&ng, 1, 9, b"\x0a\0\0\x01a\0b\0\0");
        body.extend(record(&ng, 1, 4, &ip4));
        body.extend(record(&ng, 2, 19, &[[0; 16].as_slice(), b"h6\0"].concat()));
        body.extend(record(&ng, 9, 3, b"xyz"));
        body.extend(end(&ng));
        ng.block(block_type::NAME_RESOLUTION, &body);
        let body = record(&ng, 1, 5, b"\x0a\0\0\x01\0");
        ng.block(block_type::NAME_RESOLUTION, &body);
        let mut body = record(&ng, 0, 4, &[]);
        body.extend(record(&ng, option::COMMENT, 2, b"hi"));
        body.extend(end(&ng));
        ng.block(block_type::NAME_RESOLUTION, &body);
        ng.epb(0, 3, 1, b"z", &[]);
        let (frames, error) = collect(&ng.bytes);
        assert_eq!((frames.len(), error), (3, None));
        // Refused records, each the second record of its block.
        let cases: [(u16, u16, &[u8]); 5] = [
            (1, 40, b"\x0a\0\0\x01host\0"),
            (9, 5, b"abcd"),
            (1, 3, b"\x0a\0\0"),
            (2, 15, &[0; 15]),
            (1, 7, b"\x0a\0\0\x01a\0b"),
        ];
        for (record_type, length, value) in cases {
            let (mut ng, at) = two_good(order);
            let mut body = record(&ng, 1, 5, b"\x0a\0\0\x01\0");
            body.extend(record(&ng, record_type, length, value));
            if usize::from(length) <= value.len() {
                body.extend(end(&ng));
            }
            ng.block(block_type::NAME_RESOLUTION, &body);
            ng.epb(0, 3, 1, b"z", &[]);
            let record_offset = at + 8 + 12;
            let kind = K::BadNameRecord { record_offset, record_type, length };
            assert_damage(&ng.bytes, at, kind);
        }
        // Options after the end record: past the block, a short custom one.
        let (mut ng, at) = two_good(order);
        let mut body = end(&ng);
        body.extend(ng.n32(0x0032_0001));
        ng.block(block_type::NAME_RESOLUTION, &body);
        assert_damage(&ng.bytes, at, K::MalformedOption { option_offset: at + 12 });
        let (mut ng, at) = two_good(order);
        let mut body = end(&ng);
        body.extend(record(&ng, 2988, 0, &[]));
        ng.block(block_type::NAME_RESOLUTION, &body);
        let kind = K::BadOptionLength { option_offset: at + 12, code: 2988, length: 0 };
        assert_damage(&ng.bytes, at, kind);
        // Not even an end record.
        let (mut ng, at) = two_good(order);
        ng.block(block_type::NAME_RESOLUTION, &[]);
        assert_damage(&ng.bytes, at, K::BlockTooShort { length: 12, minimum: 16 });
    }
}

/// Interface Statistics Blocks and Custom Blocks as Wireshark 4.0 reads
/// them: an ISB of at least 24 bytes ("total block length 20 of an ISB is
/// too small (< 24)") with well-formed options ("Not enough data to
/// handle option of length 99"); a CB of at least 16, its PEN ("total
/// block length 12 of a CB is too small (< 16)"). An ISB's interface ID is
/// not checked, its options' sizes neither (Wireshark ignores them).
#[test]
fn damage_statistics_and_custom_blocks() {
    for order in [LE, BE] {
        let isb = |ng: &Ng, options: &[u8]| {
            let mut body = ng.n32(7);
            body.extend([0; 8]);
            body.extend_from_slice(options);
            body
        };
        let head = |code: u16, len: u16| -> Vec<u8> {
            match order {
                ByteOrder::Little => [code.to_le_bytes(), len.to_le_bytes()].concat(),
                ByteOrder::Big => [code.to_be_bytes(), len.to_be_bytes()].concat(),
            }
        };
        // Read: an unknown interface, options of odd sizes, no end.
        let (mut ng, _) = two_good(order);
        let mut options = head(4, 4); // isb_ifrecv of 4 bytes, not 8
        options.extend([0; 4]);
        let body = isb(&ng, &options);
        ng.block(block_type::INTERFACE_STATISTICS, &body);
        ng.epb(0, 3, 1, b"z", &[]);
        let (frames, error) = collect(&ng.bytes);
        assert_eq!((frames.len(), error), (3, None));
        // An option past the block; a short custom option.
        let (mut ng, at) = two_good(order);
        let body = isb(&ng, &head(4, 99));
        ng.block(block_type::INTERFACE_STATISTICS, &body);
        assert_damage(&ng.bytes, at, K::MalformedOption { option_offset: at + 20 });
        let (mut ng, at) = two_good(order);
        let body = isb(&ng, &[head(2988, 0), head(0, 0)].concat());
        ng.block(block_type::INTERFACE_STATISTICS, &body);
        let kind = K::BadOptionLength { option_offset: at + 20, code: 2988, length: 0 };
        assert_damage(&ng.bytes, at, kind);
        // Too short for their fixed fields.
        let (mut ng, at) = two_good(order);
        ng.block(block_type::INTERFACE_STATISTICS, &[0; 8]);
        assert_damage(&ng.bytes, at, K::BlockTooShort { length: 20, minimum: 24 });
        for custom in [block_type::CUSTOM, block_type::CUSTOM_NO_COPY] {
            let (mut ng, at) = two_good(order);
            ng.block(custom, &[]);
            assert_damage(&ng.bytes, at, K::BlockTooShort { length: 12, minimum: 16 });
        }
    }
}

#[test]
fn damage_interfaces() {
    for order in [LE, BE] {
        // A packet naming an interface the section lacks.
        let (mut ng, at) = two_good(order);
        ng.epb(1, 3, 0, &[], &[]);
        assert_damage(&ng.bytes, at, K::UnknownInterface { interface_id: 1, interfaces: 1 });
        // Packet blocks before any IDB of their section: EPB, SPB, PB.
        for kind in 0..3 {
            let (mut ng, _) = two_good(order);
            let at = ng.shb(order, &[]);
            let bad = match kind {
                0 => ng.epb(0, 3, 0, &[], &[]),
                1 => ng.spb(0, &[]),
                _ => ng.pb(0, 3, 0, &[], &[]),
            };
            assert!(bad > at);
            assert_damage(&ng.bytes, bad, K::NoInterface);
        }
        // A section with more interfaces than the table holds.
        let (mut ng, _) = two_good(order);
        let third = ng.idb(1, 0, &[]);
        let third = [third, ng.idb(1, 0, &[])][1];
        let (frames, error) = collect_iter(pcapng::Frames::<2>::new(Parser::new(), &ng.bytes, 0));
        assert_eq!(frames.len(), 2);
        assert_eq!(error, Some(CaptureError::new(third, K::TooManyInterfaces { limit: 2 })));
        // An unrepresentable tsresol.
        for byte in [20u8, 0x80 | 64] {
            let (mut ng, at) = two_good(order);
            ng.idb(1, 0, &[tsresol(byte)]);
            assert_damage(&ng.bytes, at, K::UnsupportedTsresol { tsresol: byte });
        }
    }
}

#[test]
fn damage_options_and_version() {
    for order in [LE, BE] {
        // An option whose value runs past the block: patch the comment's length.
        let (mut ng, at) = two_good(order);
        ng.epb(0, 3, 0, &[], &[(option::COMMENT, b"abcd".to_vec())]);
        let option_at = at as usize + 28;
        let mut len = [0u8; 2];
        len.copy_from_slice(&match order {
            ByteOrder::Little => 200u16.to_le_bytes(),
            ByteOrder::Big => 200u16.to_be_bytes(),
        });
        ng.bytes[option_at + 2..option_at + 4].copy_from_slice(&len);
        assert_damage(&ng.bytes, at, K::MalformedOption { option_offset: option_at as u64 });
        // A section of version 2.0.
        let (mut ng, at) = two_good(order);
        ng.shb(order, &[]);
        let v: [u8; 2] = match order {
            ByteOrder::Little => 2u16.to_le_bytes(),
            ByteOrder::Big => 2u16.to_be_bytes(),
        };
        ng.bytes[at as usize + 12..at as usize + 14].copy_from_slice(&v);
        assert_damage(&ng.bytes, at, K::UnsupportedVersion { major: 2, minor: 0 });
    }
}

#[test]
fn errors_display_one_line() {
    let e = CaptureError::new(96, K::UnknownInterface { interface_id: 3, interfaces: 1 });
    assert_eq!(e.to_string(), "offset 96: interface 3 does not exist (the section has 1)");
    assert_eq!(e.kind.name(), "UnknownInterface");
}

#[test]
fn timestamp_arithmetic() {
    let t = Timestamp::from_nanos(1_700_000_000, 60_000);
    assert_eq!(t.to_string(), "1700000000.000060000");
    assert_eq!(t.unix_nanos(), 1_700_000_000_000_060_000);
    let t = Timestamp::new(1, 3_000_000_001, Resolution::NANOS).unwrap();
    assert_eq!(t.to_string(), "4.000000001");
    assert!(Timestamp::new(0, 0, Resolution::Pow10(20)).is_none());
    assert!(Timestamp::from_units(0, Resolution::Pow2(64), 0).is_none());
    let t = Timestamp::from_units(u64::MAX, Resolution::Pow2(0), i64::MAX).unwrap();
    assert_eq!(t.seconds(), i64::MAX);
    let t = Timestamp::from_units(3, Resolution::Pow2(1), -2).unwrap();
    assert_eq!(t.to_string(), "-0.500000000");
    assert_eq!(
        Timestamp::from_units(0, Resolution::MICROS, -2).unwrap().to_string(),
        "-2.000000000"
    );
}
