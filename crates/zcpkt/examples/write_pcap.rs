//! Writes a synthetic pcap of Ethernet/IPv4/UDP frames, for measuring
//! readers on large files: `cargo run --release --example write_pcap -- OUT SIZE_MB`.

use std::io::{BufWriter, Write};

use zcpkt::capture::{LinkType, Resolution};
use zcpkt::pcap;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "big.pcap".into());
    let megabytes: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(500);
    let target = megabytes * 1_000_000;
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
    pcap::write_header(&mut out, Resolution::MICROS, 65535, LinkType::ETHERNET)?;
    let mut written = 24u64;
    let mut frame = [0u8; 1514];
    // Ethernet: dst, src, IPv4 ethertype; IPv4 header; UDP header.
    frame[..14].copy_from_slice(&[2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00]);
    frame[14..34]
        .copy_from_slice(&[0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
    let mut i: u64 = 0;
    while written < target {
        // Sizes 64..1514, a deterministic spread.
        let len = 64 + (i.wrapping_mul(2_654_435_761) % 1451) as usize;
        let ip_len = (len - 14) as u16;
        frame[16..18].copy_from_slice(&ip_len.to_be_bytes());
        frame[34..36].copy_from_slice(&(1024 + (i % 50_000) as u16).to_be_bytes());
        frame[36..38].copy_from_slice(&53u16.to_be_bytes());
        frame[38..40].copy_from_slice(&(ip_len - 20).to_be_bytes());
        let micros = i * 10;
        let secs = 1_700_000_000 + (micros / 1_000_000) as u32;
        pcap::write_record(&mut out, secs, (micros % 1_000_000) as u32, len as u32, &frame[..len])?;
        written += 16 + len as u64;
        i += 1;
    }
    out.flush()?;
    eprintln!("wrote {i} frames, {written} bytes to {path}");
    Ok(())
}
