//! pcap: both byte orders, µs and ns, FCS bits, lenient lengths, and every
//! damage kind at its exact offset after the good frames.

mod capture_util;

use capture_util::Pcap;
use zcpkt::capture::{ByteOrder, CaptureError, CaptureErrorKind as K, Frame, LinkType, Resolution};
use zcpkt::pcap::{self, Parser};
use zcpkt::{detect, Format};

fn collect(input: &[u8]) -> (Vec<Frame<'_>>, Option<CaptureError>) {
    collect_with(Parser::new(), input)
}

fn collect_with(parser: Parser, input: &[u8]) -> (Vec<Frame<'_>>, Option<CaptureError>) {
    let mut frames = Vec::new();
    let mut iter = parser.frames(input);
    for item in iter.by_ref() {
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

fn times(frames: &[Frame<'_>]) -> Vec<String> {
    frames.iter().map(|f| f.timestamp.unwrap().to_string()).collect()
}

#[test]
fn both_byte_orders_micro_and_nano() {
    for order in [ByteOrder::Little, ByteOrder::Big] {
        for nanos in [false, true] {
            let mut file = Pcap::new(order, nanos, 65535, 1);
            let a = file.record(1_700_000_000, 60, 60, &[0xaa; 60]);
            let b = file.record(1_700_000_001, 999_999, 1514, &[0xbb; 5]);
            let c = file.record(0, 0, 0, &[]);
            let (frames, error) = collect(&file.bytes);
            assert_eq!(error, None);
            assert_eq!(frames.len(), 3);
            assert_eq!([frames[0].offset, frames[1].offset, frames[2].offset], [a, b, c]);
            assert_eq!((a, b, c), (24, 24 + 16 + 60, 24 + 16 + 60 + 16 + 5));
            let expected = if nanos {
                ["1700000000.000000060", "1700000001.000999999", "0.000000000"]
            } else {
                ["1700000000.000060000", "1700000001.999999000", "0.000000000"]
            };
            assert_eq!(times(&frames), expected, "{order:?} nanos={nanos}");
            let f = frames[1];
            assert_eq!((f.captured_len, f.original_len, f.data), (5, 1514, &[0xbb; 5][..]));
            assert_eq!((f.interface_id, f.section, f.link_type), (0, 0, LinkType::ETHERNET));
            assert!(f.options.is_empty() && f.epb_flags().is_none());
            let header = *pcap::Header::read(&file.bytes).as_ref().unwrap();
            assert_eq!(header.byte_order, order);
            let resolution = if nanos { Resolution::NANOS } else { Resolution::MICROS };
            assert_eq!((header.resolution, header.snaplen), (resolution, 65535));
        }
    }
}

#[test]
fn fcs_bits_and_link_type() {
    // f bit set, 2 words (4 bytes) of FCS, Ethernet.
    let file = Pcap::new(ByteOrder::Big, false, 0, 0x2400_0001);
    let header = pcap::Header::read(&file.bytes).unwrap();
    assert_eq!(header.link_type(), LinkType::ETHERNET);
    assert_eq!(header.fcs_len(), Some(4));
    let plain = Pcap::new(ByteOrder::Little, false, 0, 276);
    let header = pcap::Header::read(&plain.bytes).unwrap();
    assert_eq!((header.link_type(), header.fcs_len()), (LinkType::LINUX_SLL2, None));
}

#[test]
fn empty_and_header_only_are_zero_frames() {
    assert_eq!(collect(&[]), (vec![], None));
    let file = Pcap::new(ByteOrder::Little, false, 65535, 1);
    let mut frames = Parser::new().frames(&file.bytes);
    assert!(frames.next().is_none());
    assert_eq!(frames.header().unwrap().version_minor, 4);
}

#[test]
fn captured_over_snaplen_and_original_is_read_whole() {
    // libpcap reads such records (and cuts them to the snap length), tshark
    // shows them whole; zcpkt keeps every byte, as tshark.
    let mut file = Pcap::new(ByteOrder::Little, false, 64, 1);
    file.record(1, 2, 10, &[7; 100]);
    let (frames, error) = collect(&file.bytes);
    assert_eq!(error, None);
    assert_eq!((frames[0].captured_len, frames[0].original_len), (100, 10));
    assert_eq!(frames[0].data.len(), 100);
}

#[test]
fn fraction_over_one_second_carries() {
    let mut file = Pcap::new(ByteOrder::Little, false, 0, 1);
    file.record(10, 2_500_000, 0, &[]);
    let (frames, _) = collect(&file.bytes);
    assert_eq!(times(&frames), ["12.500000000"]);
}

#[test]
fn bad_magic_and_truncated_header() {
    let (frames, error) = collect(b"\x0a\x0d\x0d\x0a but not pcap at all");
    assert!(frames.is_empty());
    assert_eq!(error, Some(CaptureError::new(0, K::BadMagic { found: 0x0a0d_0d0a })));

    let file = Pcap::new(ByteOrder::Little, true, 0, 1);
    let (_, error) = collect(&file.bytes[..10]);
    assert_eq!(error, Some(CaptureError::new(0, K::Truncated { available: 10, needed: 24 })));
    let (_, error) = collect(&file.bytes[..3]);
    assert_eq!(error, Some(CaptureError::new(0, K::Truncated { available: 3, needed: 24 })));
}

#[test]
fn unsupported_version() {
    let mut file = Pcap::new(ByteOrder::Big, false, 0, 1);
    file.bytes[4..6].copy_from_slice(&543u16.to_be_bytes());
    file.bytes[6..8].copy_from_slice(&0u16.to_be_bytes());
    let (_, error) = collect(&file.bytes);
    assert_eq!(error, Some(CaptureError::new(0, K::UnsupportedVersion { major: 543, minor: 0 })));
}

/// Bits 16-25 of the LinkType field are reserved: Wireshark refuses a file
/// with any set ("network type reserved field not zero"), where the FCS
/// bits (26-31) are read.
#[test]
fn reserved_link_type_bits() {
    for field in [0x0001_0001u32, 0x0200_0001, 0x03ff_ffff] {
        for order in [ByteOrder::Little, ByteOrder::Big] {
            let mut file = Pcap::new(order, false, 0, field);
            file.record(1, 2, 4, b"abcd");
            let (frames, error) = collect(&file.bytes);
            assert!(frames.is_empty());
            let kind = K::ReservedLinkTypeBits { link_type_field: field };
            assert_eq!(error, Some(CaptureError::new(0, kind)));
            // The recovering reader: no header to read records with, so
            // the error, then the whole file skipped.
            let records: Vec<_> = Parser::new().recovering(&file.bytes).collect();
            let skipped = zcpkt::capture_record::Skipped { offset: 0, len: 44 };
            assert_eq!(
                records,
                [
                    zcpkt::capture_record::CaptureRecord::Error(CaptureError::new(0, kind)),
                    zcpkt::capture_record::CaptureRecord::Skipped(skipped),
                ]
            );
        }
    }
    let mut file = Pcap::new(ByteOrder::Little, false, 0, 0xf400_0001);
    file.record(1, 2, 4, b"abcd");
    let (frames, error) = collect(&file.bytes);
    assert_eq!((frames.len(), error), (1, None));
}

/// Two good records, then whatever `damage` appends: returns the file and
/// the damage's offset.
fn two_good(order: ByteOrder) -> (Pcap, u64) {
    let mut file = Pcap::new(order, false, 65535, 1);
    file.record(1, 1, 4, b"abcd");
    file.record(2, 2, 3, b"xyz");
    let at = file.bytes.len() as u64;
    (file, at)
}

#[test]
fn cut_off_record_header() {
    for order in [ByteOrder::Little, ByteOrder::Big] {
        let (mut file, at) = two_good(order);
        file.bytes.extend_from_slice(&[1, 2, 3, 4, 5]);
        let (frames, error) = collect(&file.bytes);
        assert_eq!(frames.len(), 2);
        assert_eq!(error, Some(CaptureError::new(at, K::Truncated { available: 5, needed: 16 })));
    }
}

#[test]
fn cut_off_record_data() {
    let (mut file, at) = two_good(ByteOrder::Big);
    file.record_raw(3, 3, 100, 100, &[0; 40]);
    let (frames, error) = collect(&file.bytes);
    assert_eq!(frames.len(), 2);
    assert_eq!(error, Some(CaptureError::new(at, K::Truncated { available: 56, needed: 116 })));
    assert_eq!(
        error.unwrap().to_string(),
        format!("offset {at}: truncated (56 bytes left in input, 116 needed)")
    );
}

#[test]
fn record_over_the_limit() {
    let (mut file, at) = two_good(ByteOrder::Little);
    // A hostile length: rejected before looking for the bytes.
    file.record_raw(3, 3, 262_145, 262_145, &[]);
    let (frames, error) = collect(&file.bytes);
    assert_eq!(frames.len(), 2);
    let kind = K::RecordTooLarge { size: 262_145, limit: 262_144 };
    assert_eq!(error, Some(CaptureError::new(at, kind)));
}

#[test]
fn configured_limit_stops_at_the_big_record() {
    let (mut file, at) = two_good(ByteOrder::Little);
    file.record(3, 3, 9, &[0; 9]);
    let (frames, error) = collect_with(Parser::new().max_record_size(8), &file.bytes);
    assert_eq!(frames.len(), 2);
    assert_eq!(error, Some(CaptureError::new(at, K::RecordTooLarge { size: 9, limit: 8 })));
}

#[test]
fn records_of_a_window_keep_absolute_offsets() {
    let (file, _) = two_good(ByteOrder::Little);
    let header = pcap::Header::read(&file.bytes).unwrap();
    let window = &file.bytes[24..];
    let frames: Vec<_> =
        pcap::Frames::records(Parser::new(), header, window, 24).map(Result::unwrap).collect();
    assert_eq!(frames.iter().map(|f| f.offset).collect::<Vec<_>>(), [24, 44]);
}

#[test]
fn writer_round_trip() {
    let mut out = Vec::new();
    pcap::write_header(&mut out, Resolution::NANOS, 262_144, LinkType::RAW).unwrap();
    pcap::write_record(&mut out, 1_700_000_000, 123_456_789, 1500, b"\x45\x00").unwrap();
    assert!(pcap::write_header(&mut Vec::new(), Resolution::Pow2(3), 0, LinkType::RAW).is_err());
    assert_eq!(detect(&out), Some(Format::Pcap));
    let (frames, error) = collect(&out);
    assert_eq!(error, None);
    assert_eq!(times(&frames), ["1700000000.123456789"]);
    assert_eq!(
        (frames[0].link_type, frames[0].original_len, frames[0].data),
        (LinkType::RAW, 1500, &b"\x45\x00"[..])
    );
}

#[test]
fn detection() {
    assert_eq!(detect(b"PKT\0rest"), Some(Format::Pkt));
    assert_eq!(detect(&Pcap::new(ByteOrder::Big, true, 0, 1).bytes), Some(Format::Pcap));
    assert_eq!(detect(&Pcap::new(ByteOrder::Little, false, 0, 1).bytes), Some(Format::Pcap));
    assert_eq!(detect(&[0x0a, 0x0d, 0x0d, 0x0a, 0, 0]), Some(Format::PcapNg));
    assert_eq!(detect(b"GIF89a"), None);
    assert_eq!(detect(b"PK"), None);
    assert_eq!(detect(b""), None);
}
