//! The spec's worked example (pkt-format.md), both directions.

use zcpkt::{NewPacket, PacketFlags, Parser};

const EXAMPLE: [u8; 31] = [
    0x50, 0x4B, 0x54, 0x00, 0x01, 0x04, 0x1D, 0x00, 0x02, 0x00, 0x00, 0x00, 0xAC, 0x2A, 0x93, 0xD8,
    0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x61, 0x00, 0x62, 0x63, 0x00, 0x68, 0x69,
];

#[test]
fn worked_example_parses_to_documented_fields() {
    let packet = Parser::new().parse_packet(&EXAMPLE, 0).expect("valid packet");
    assert_eq!(packet.offset, 0);
    assert_eq!(packet.version, 1);
    assert_eq!(packet.flags, PacketFlags::PRIORITY);
    assert_eq!(packet.header_len, 29);
    assert_eq!(packet.payload_len, 2);
    assert_eq!(packet.checksum, 0xD893_2AAC);
    assert_eq!(packet.timestamp, 1);
    assert_eq!(packet.source_id, "a");
    assert_eq!(packet.dest_id, "bc");
    assert_eq!(packet.payload, b"hi");
    assert_eq!(packet.extensions().count(), 0);
    assert_eq!(packet.checksum_ok(), Some(true));
    assert_eq!(packet.len(), 31);
    assert!(packet.is_valid());
}

#[test]
fn worked_example_encodes_byte_for_byte() {
    let mut buf = [0u8; 64];
    let n = NewPacket::new("a", "bc", b"hi")
        .flags(PacketFlags::PRIORITY)
        .timestamp(1)
        .encode(&mut buf)
        .expect("encodes");
    assert_eq!(&buf[..n], &EXAMPLE[..]);
}

#[test]
fn payload_borrows_the_input() {
    let packet = Parser::new().parse_packet(&EXAMPLE, 0).unwrap();
    let range = EXAMPLE.as_ptr_range();
    assert!(range.contains(&packet.payload.as_ptr()));
    assert!(range.contains(&packet.source_id.as_ptr()));
}

#[test]
fn crc_check_value() {
    assert_eq!(crc32fast::hash(b"123456789"), 0xCBF4_3926);
}
