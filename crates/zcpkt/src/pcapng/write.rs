//! Writing pcapng (little-endian), for `filter` and tests: a Section
//! Header Block, Interface Description Blocks and Enhanced Packet Blocks.

use std::io;

use super::block::{block_type, BLOCK_OVERHEAD};
use super::options::option;
use super::BYTE_ORDER_MAGIC;
use crate::capture::{LinkType, Resolution};

fn too_big() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "pcapng block over 4 GiB")
}

/// Writes one block: type, total length, `body` parts (each padded to 4
/// bytes), the total length again.
fn write_block<W: io::Write + ?Sized>(out: &mut W, block: u32, parts: &[&[u8]]) -> io::Result<()> {
    let body: usize = parts.iter().map(|p| p.len().next_multiple_of(4)).sum();
    let total = u32::try_from(body + BLOCK_OVERHEAD as usize).map_err(|_| too_big())?;
    out.write_all(&block.to_le_bytes())?;
    out.write_all(&total.to_le_bytes())?;
    for part in parts {
        out.write_all(part)?;
        out.write_all(&[0; 3][..part.len().next_multiple_of(4) - part.len()])?;
    }
    out.write_all(&total.to_le_bytes())
}

/// An option's header (code, length) and value, or nothing for `None`.
fn option_header(code: u16, value: &[u8]) -> io::Result<[u8; 4]> {
    let len = u16::try_from(value.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "option over 64 KiB"))?;
    let mut head = [0u8; 4];
    head[..2].copy_from_slice(&code.to_le_bytes());
    head[2..].copy_from_slice(&len.to_le_bytes());
    Ok(head)
}

/// Writes a Section Header Block: version 1.0, section length unknown, no
/// options.
pub fn write_section_header<W: io::Write + ?Sized>(out: &mut W) -> io::Result<()> {
    let mut body = [0u8; 16];
    body[0..4].copy_from_slice(&BYTE_ORDER_MAGIC.to_le_bytes());
    body[4..6].copy_from_slice(&1u16.to_le_bytes());
    body[8..16].copy_from_slice(&u64::MAX.to_le_bytes());
    write_block(out, block_type::SECTION_HEADER, &[&body])
}

/// Writes an Interface Description Block with `if_tsresol` (unless µs, the
/// default) and, when given, `if_name` and `if_description`.
pub fn write_interface<W: io::Write + ?Sized>(
    out: &mut W,
    link_type: LinkType,
    snaplen: u32,
    resolution: Resolution,
    name: Option<&[u8]>,
    description: Option<&[u8]>,
) -> io::Result<()> {
    let mut fixed = [0u8; 8];
    fixed[0..2].copy_from_slice(&link_type.0.to_le_bytes());
    fixed[4..8].copy_from_slice(&snaplen.to_le_bytes());
    let tsresol = [match resolution {
        Resolution::Pow10(e) => e,
        Resolution::Pow2(e) => 0x80 | e,
    }];
    let tsresol = (resolution != Resolution::MICROS).then_some(&tsresol[..]);
    let options = [
        (option::IF_NAME, name),
        (option::IF_DESCRIPTION, description),
        (option::IF_TSRESOL, tsresol),
    ];
    let mut heads = [[0u8; 4]; 3];
    let mut parts: [&[u8]; 8] = [&[]; 8];
    parts[0] = &fixed;
    let mut n = 1;
    for ((code, value), head) in options.iter().zip(heads.iter_mut()) {
        if let Some(value) = value {
            *head = option_header(*code, value)?;
        }
    }
    for ((_, value), head) in options.iter().zip(heads.iter()) {
        if let Some(value) = value {
            parts[n] = head;
            parts[n + 1] = value;
            n += 2;
        }
    }
    let end = [0u8; 4]; // opt_endofopt
    if n > 1 {
        parts[n] = &end;
        n += 1;
    }
    write_block(out, block_type::INTERFACE_DESCRIPTION, &parts[..n])
}

/// Writes an Enhanced Packet Block: interface `interface_id`, a timestamp
/// of `units` of the interface's resolution since the epoch, the original
/// length and the captured bytes, no options.
pub fn write_enhanced_packet<W: io::Write + ?Sized>(
    out: &mut W,
    interface_id: u32,
    units: u64,
    original_len: u32,
    data: &[u8],
) -> io::Result<()> {
    let captured_len = u32::try_from(data.len()).map_err(|_| too_big())?;
    let mut fixed = [0u8; 20];
    fixed[0..4].copy_from_slice(&interface_id.to_le_bytes());
    fixed[4..8].copy_from_slice(&((units >> 32) as u32).to_le_bytes());
    fixed[8..12].copy_from_slice(&(units as u32).to_le_bytes());
    fixed[12..16].copy_from_slice(&captured_len.to_le_bytes());
    fixed[16..20].copy_from_slice(&original_len.to_le_bytes());
    write_block(out, block_type::ENHANCED_PACKET, &[&fixed, data])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pcapng::{Block, Parser};

    #[test]
    fn what_is_written_reads_back() {
        let mut file = Vec::new();
        write_section_header(&mut file).unwrap();
        write_interface(
            &mut file,
            LinkType::ETHERNET,
            65535,
            Resolution::NANOS,
            Some(b"eth0"),
            None,
        )
        .unwrap();
        write_interface(&mut file, LinkType::RAW, 1500, Resolution::MICROS, None, None).unwrap();
        write_enhanced_packet(&mut file, 0, 1_700_000_000_000_000_123, 70, &[7; 61]).unwrap();
        write_enhanced_packet(&mut file, 1, 5, 3, &[1, 2, 3]).unwrap();
        let mut frames = Parser::new().frames(&file);
        let mut seen = Vec::new();
        while let Some(block) = frames.next_block() {
            if let Block::Frame(f) = block.unwrap() {
                seen.push((
                    f.interface_id,
                    f.timestamp.unwrap().to_string(),
                    f.original_len,
                    f.data.to_vec(),
                ));
            }
        }
        assert_eq!(seen[0], (0, "1700000000.000000123".into(), 70, vec![7; 61]));
        assert_eq!(seen[1], (1, "0.000005000".into(), 3, vec![1, 2, 3]));
    }
}
