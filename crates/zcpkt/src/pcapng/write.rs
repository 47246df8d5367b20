//! Writing pcapng, for `filter` and tests: Section Header, Interface
//! Description, Enhanced and Simple Packet Blocks, and blocks copied as
//! read. [`BlockWriter`] writes in either byte order, so that a section's
//! options, which are stored in its byte order, can be copied unchanged;
//! the free functions write little-endian blocks from scratch.

use std::io;

use super::block::{block_type, RawBlock, BLOCK_OVERHEAD};
use super::options::{option, Options};
use super::BYTE_ORDER_MAGIC;
use crate::capture::{ByteOrder, LinkType, Resolution};

fn too_big() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "pcapng block over 4 GiB")
}

fn u16_bytes(order: ByteOrder, v: u16) -> [u8; 2] {
    match order {
        ByteOrder::Little => v.to_le_bytes(),
        ByteOrder::Big => v.to_be_bytes(),
    }
}

fn u32_bytes(order: ByteOrder, v: u32) -> [u8; 4] {
    match order {
        ByteOrder::Little => v.to_le_bytes(),
        ByteOrder::Big => v.to_be_bytes(),
    }
}

/// Writes one block: type, total length, `body` parts (each padded to 4
/// bytes), the total length again.
fn write_block<W: io::Write + ?Sized>(
    out: &mut W,
    order: ByteOrder,
    block: u32,
    parts: &[&[u8]],
) -> io::Result<()> {
    let body = parts.iter().try_fold(0usize, |sum, p| sum.checked_add(p.len().next_multiple_of(4)));
    let total = body
        .and_then(|b| b.checked_add(BLOCK_OVERHEAD as usize))
        .and_then(|t| u32::try_from(t).ok())
        .ok_or_else(too_big)?;
    out.write_all(&u32_bytes(order, block))?;
    out.write_all(&u32_bytes(order, total))?;
    for part in parts {
        out.write_all(part)?;
        out.write_all(&[0; 3][..part.len().next_multiple_of(4) - part.len()])?;
    }
    out.write_all(&u32_bytes(order, total))
}

/// `opt_endofopt`, after a non-empty options area.
const END_OF_OPTIONS: [u8; 4] = [0; 4];

/// Writes the blocks of one section in its byte order.
///
/// Options are passed as [`Options`] read from an input block (or built
/// with [`Options::parse`]) and written as they are, byte for byte, then
/// `opt_endofopt`: every option survives, known or not, with its values in
/// the section's byte order. Options in the other byte order are an
/// `InvalidInput` error, since their numbers would be read wrongly.
///
/// ```
/// use zcpkt::capture::{ByteOrder, LinkType};
/// use zcpkt::pcapng::{option, BlockWriter, Options, Parser};
///
/// let w = BlockWriter::new(ByteOrder::Big);
/// let comment = [0, 1, 0, 5, b'h', b'e', b'l', b'l', b'o', 0, 0, 0];
/// let comment = Options::parse(&comment, ByteOrder::Big, 0, 0)?;
/// let mut file = Vec::new();
/// w.section_header(&mut file, Options::EMPTY)?;
/// w.interface(&mut file, LinkType::ETHERNET, 0, Options::EMPTY)?;
/// w.enhanced_packet(&mut file, 0, 1_700_000_000_000_000, 60, &[0; 60], comment)?;
/// let frame = Parser::new().frames(&file).next().unwrap()?;
/// assert_eq!(frame.options.get(option::COMMENT), Some(&b"hello"[..]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BlockWriter {
    order: ByteOrder,
}

impl BlockWriter {
    /// A writer of blocks in `order`.
    pub const fn new(order: ByteOrder) -> Self {
        Self { order }
    }

    /// The byte order of everything written.
    pub const fn byte_order(&self) -> ByteOrder {
        self.order
    }

    /// The options area to write: `options` and `opt_endofopt`, or nothing.
    fn options<'o>(&self, options: &Options<'o>) -> io::Result<[&'o [u8]; 2]> {
        if options.is_empty() {
            return Ok([&[], &[]]);
        }
        if options.byte_order() != self.order {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "pcapng options of the other byte order",
            ));
        }
        Ok([options.as_bytes(), &END_OF_OPTIONS])
    }

    /// A Section Header Block: version 1.0, section length unspecified (a
    /// copied section's length changes), `options`.
    pub fn section_header<W: io::Write + ?Sized>(
        &self,
        out: &mut W,
        options: Options<'_>,
    ) -> io::Result<()> {
        let mut body = [0u8; 16];
        body[0..4].copy_from_slice(&u32_bytes(self.order, BYTE_ORDER_MAGIC));
        body[4..6].copy_from_slice(&u16_bytes(self.order, 1));
        body[8..16].fill(0xff);
        let [opts, end] = self.options(&options)?;
        write_block(out, self.order, block_type::SECTION_HEADER, &[&body, opts, end])
    }

    /// An Interface Description Block: link type, snap length and `options`
    /// (`if_tsresol`, `if_tsoffset`, `if_fcslen`, names, …).
    pub fn interface<W: io::Write + ?Sized>(
        &self,
        out: &mut W,
        link_type: LinkType,
        snaplen: u32,
        options: Options<'_>,
    ) -> io::Result<()> {
        let mut fixed = [0u8; 8];
        fixed[0..2].copy_from_slice(&u16_bytes(self.order, link_type.0));
        fixed[4..8].copy_from_slice(&u32_bytes(self.order, snaplen));
        let [opts, end] = self.options(&options)?;
        write_block(out, self.order, block_type::INTERFACE_DESCRIPTION, &[&fixed, opts, end])
    }

    /// An Enhanced Packet Block: interface `interface_id`, a timestamp of
    /// `units` of the interface's `if_tsresol` (before its `if_tsoffset`),
    /// the original length, the captured bytes and `options`.
    pub fn enhanced_packet<W: io::Write + ?Sized>(
        &self,
        out: &mut W,
        interface_id: u32,
        units: u64,
        original_len: u32,
        data: &[u8],
        options: Options<'_>,
    ) -> io::Result<()> {
        let captured_len = u32::try_from(data.len()).map_err(|_| too_big())?;
        let mut fixed = [0u8; 20];
        fixed[0..4].copy_from_slice(&u32_bytes(self.order, interface_id));
        fixed[4..8].copy_from_slice(&u32_bytes(self.order, (units >> 32) as u32));
        fixed[8..12].copy_from_slice(&u32_bytes(self.order, units as u32));
        fixed[12..16].copy_from_slice(&u32_bytes(self.order, captured_len));
        fixed[16..20].copy_from_slice(&u32_bytes(self.order, original_len));
        let [opts, end] = self.options(&options)?;
        write_block(out, self.order, block_type::ENHANCED_PACKET, &[&fixed, data, opts, end])
    }

    /// A Simple Packet Block (interface 0, no timestamp, no options): the
    /// original length and the captured bytes. A reader takes the lesser of
    /// the original length and interface 0's snap length as the captured
    /// length, and a block without room for it is damaged, so `data` must
    /// be at least that long (and should be exactly that).
    pub fn simple_packet<W: io::Write + ?Sized>(
        &self,
        out: &mut W,
        original_len: u32,
        data: &[u8],
    ) -> io::Result<()> {
        let head = u32_bytes(self.order, original_len);
        write_block(out, self.order, block_type::SIMPLE_PACKET, &[&head, data])
    }

    /// `block` as it was read: same type, same body. It must be of this
    /// writer's byte order (`InvalidInput` otherwise), and only makes sense
    /// where what it refers to (interface IDs, for statistics) is the same.
    pub fn raw_block<W: io::Write + ?Sized>(
        &self,
        out: &mut W,
        block: &RawBlock<'_>,
    ) -> io::Result<()> {
        if block.byte_order != self.order {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "pcapng block of the other byte order",
            ));
        }
        write_block(out, self.order, block.block_type, &[block.body])
    }
}

const LE: BlockWriter = BlockWriter::new(ByteOrder::Little);

/// Writes a little-endian Section Header Block: version 1.0, section length
/// unknown, no options.
pub fn write_section_header<W: io::Write + ?Sized>(out: &mut W) -> io::Result<()> {
    LE.section_header(out, Options::EMPTY)
}

/// An option's header (code, length), little-endian.
fn option_header(code: u16, value: &[u8]) -> io::Result<[u8; 4]> {
    let len = u16::try_from(value.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "option over 64 KiB"))?;
    let mut head = [0u8; 4];
    head[..2].copy_from_slice(&code.to_le_bytes());
    head[2..].copy_from_slice(&len.to_le_bytes());
    Ok(head)
}

/// Writes a little-endian Interface Description Block with `if_tsresol`
/// (unless µs, the default) and, when given, `if_name` and
/// `if_description`.
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
    if n > 1 {
        parts[n] = &END_OF_OPTIONS;
        n += 1;
    }
    write_block(out, ByteOrder::Little, block_type::INTERFACE_DESCRIPTION, &parts[..n])
}

/// Writes a little-endian Enhanced Packet Block: interface `interface_id`,
/// a timestamp of `units` of the interface's resolution since the epoch,
/// the original length and the captured bytes, no options.
pub fn write_enhanced_packet<W: io::Write + ?Sized>(
    out: &mut W,
    interface_id: u32,
    units: u64,
    original_len: u32,
    data: &[u8],
) -> io::Result<()> {
    LE.enhanced_packet(out, interface_id, units, original_len, data, Options::EMPTY)
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
