//! Writing pcap files (little-endian, version 2.4), for `filter` and tests.

use std::io;

use super::header::{MAGIC_MICROS, MAGIC_NANOS};
use crate::capture::{LinkType, Resolution};

/// Writes a global header: little-endian, version 2.4, µs magic unless
/// `resolution` is [`Resolution::NANOS`] (any other resolution is an
/// `InvalidInput` error: pcap has no other).
pub fn write_header<W: io::Write + ?Sized>(
    out: &mut W,
    resolution: Resolution,
    snaplen: u32,
    link_type: LinkType,
) -> io::Result<()> {
    write_header_with_link_field(out, resolution, snaplen, u32::from(link_type.0))
}

/// [`write_header`] with the whole 32-bit LinkType field as given, FCS
/// bits included ([`Header::link_type_field`](super::Header::link_type_field)),
/// so a copy says what the original said about the frames' FCS.
pub fn write_header_with_link_field<W: io::Write + ?Sized>(
    out: &mut W,
    resolution: Resolution,
    snaplen: u32,
    link_type_field: u32,
) -> io::Result<()> {
    let magic = match resolution {
        Resolution::MICROS => MAGIC_MICROS,
        Resolution::NANOS => MAGIC_NANOS,
        _ => return Err(io::Error::new(io::ErrorKind::InvalidInput, "pcap is µs or ns only")),
    };
    let mut header = [0u8; 24];
    header[0..4].copy_from_slice(&magic.to_le_bytes());
    header[4..6].copy_from_slice(&2u16.to_le_bytes());
    header[6..8].copy_from_slice(&4u16.to_le_bytes());
    header[16..20].copy_from_slice(&snaplen.to_le_bytes());
    header[20..24].copy_from_slice(&link_type_field.to_le_bytes());
    out.write_all(&header)
}

/// Writes one record: `seconds`, `fraction` (µs or ns, as the header says),
/// the original length and the captured bytes. `data` longer than
/// `u32::MAX` bytes is an `InvalidInput` error.
pub fn write_record<W: io::Write + ?Sized>(
    out: &mut W,
    seconds: u32,
    fraction: u32,
    original_len: u32,
    data: &[u8],
) -> io::Result<()> {
    let captured_len = u32::try_from(data.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "record over 4 GiB"))?;
    let mut head = [0u8; 16];
    head[0..4].copy_from_slice(&seconds.to_le_bytes());
    head[4..8].copy_from_slice(&fraction.to_le_bytes());
    head[8..12].copy_from_slice(&captured_len.to_le_bytes());
    head[12..16].copy_from_slice(&original_len.to_le_bytes());
    out.write_all(&head)?;
    out.write_all(data)
}
