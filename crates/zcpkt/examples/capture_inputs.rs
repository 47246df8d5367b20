//! Writes the inputs of the pcap/pcapng benchmark (`bench/capture/`) with
//! the library's pcap writer:
//!
//! ```text
//! cargo run --release --example capture_inputs -- replicate IN.pcap OUT.pcap SIZE_MB
//! cargo run --release --example capture_inputs -- small OUT.pcap SIZE_MB [SEED]
//! ```
//!
//! `replicate` copies the frames of a real capture until the output reaches
//! `SIZE_MB` (10^6 bytes, stopping inside a copy), shifting each copy's timestamps past the end of
//! the previous one, so that time goes on consecutively. `small` writes
//! Ethernet frames of 60-200 bytes with a mix of IPv4, IPv6, VLAN, ARP, TCP,
//! UDP, ICMP and ICMPv6 (deterministic for a seed); `prepare.sh` converts
//! it to pcapng with `editcap -F pcapng`.

#[path = "support/rng.rs"]
mod rng;

use rng::Rng;

use std::io::{self, BufWriter, Write};

use zcpkt::capture::{LinkType, Resolution};
use zcpkt::pcap;
use zcpkt::source::mmap::MappedFile;

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = || io::Error::new(io::ErrorKind::InvalidInput, "see the example's doc comment");
    match args.first().map(String::as_str) {
        Some("replicate") if args.len() == 4 => {
            replicate(&args[1], &args[2], args[3].parse().map_err(|_| usage())?)
        }
        Some("small") if args.len() >= 3 => {
            let seed = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
            small(&args[1], args[2].parse().map_err(|_| usage())?, seed)
        }
        _ => Err(usage()),
    }
}

fn writer(path: &str) -> io::Result<BufWriter<std::fs::File>> {
    Ok(BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?))
}

fn replicate(input: &str, output: &str, megabytes: u64) -> io::Result<()> {
    let map = MappedFile::open(input)?;
    let bytes = map.as_bytes();
    let frames = || pcap::Parser::new().frames(bytes);
    let header = pcap::Header::read(bytes).map_err(io::Error::other)?;
    let resolution = header.resolution;
    let per_sec: i128 = match resolution {
        Resolution::NANOS => 1_000_000_000,
        _ => 1_000_000,
    };
    // Time span of one copy, in the file's units, plus one unit of gap.
    let (mut first, mut last) = (i128::MAX, i128::MIN);
    for frame in frames() {
        let frame = frame.map_err(io::Error::other)?;
        let ts = frame.timestamp.expect("pcap frames have timestamps");
        let t = ts.seconds() as i128 * per_sec + ts.fraction() as i128;
        first = first.min(t);
        last = last.max(t);
    }
    let span = (last - first).max(0) + 1;
    let target = megabytes * 1_000_000;
    let mut out = writer(output)?;
    pcap::write_header(&mut out, resolution, header.snaplen, header.link_type())?;
    let (mut written, mut count, mut copy) = (pcap::HEADER_LEN as u64, 0u64, 0i128);
    'copies: while written < target {
        for frame in frames() {
            if written >= target {
                break 'copies;
            }
            let frame = frame.map_err(io::Error::other)?;
            let ts = frame.timestamp.expect("pcap frames have timestamps");
            let t = ts.seconds() as i128 * per_sec + ts.fraction() as i128 + copy * span;
            let secs = u32::try_from(t / per_sec).map_err(io::Error::other)?;
            let frac = (t % per_sec) as u32;
            pcap::write_record(&mut out, secs, frac, frame.original_len, frame.data)?;
            written += (pcap::RECORD_HEADER_LEN + frame.data.len()) as u64;
            count += 1;
        }
        copy += 1;
    }
    out.flush()?;
    eprintln!("wrote {count} frames in {copy} copies, {written} bytes to {output}");
    Ok(())
}

const ETH_IPV4: u16 = 0x0800;
const ETH_IPV6: u16 = 0x86dd;
const ETH_ARP: u16 = 0x0806;

fn small(output: &str, megabytes: u64, seed: u64) -> io::Result<()> {
    let target = megabytes * 1_000_000;
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut out = writer(output)?;
    pcap::write_header(&mut out, Resolution::MICROS, 65535, LinkType::ETHERNET)?;
    let (mut written, mut count) = (pcap::HEADER_LEN as u64, 0u64);
    let mut frame = Vec::with_capacity(256);
    let mut micros: u64 = 0;
    while written < target {
        frame.clear();
        let len = 60 + rng.below(141) as usize; // 60..=200
        build_frame(&mut frame, len, &mut rng);
        micros += 1 + rng.below(20);
        let secs = 1_700_000_000 + (micros / 1_000_000) as u32;
        let frac = (micros % 1_000_000) as u32;
        pcap::write_record(&mut out, secs, frac, frame.len() as u32, &frame)?;
        written += (pcap::RECORD_HEADER_LEN + frame.len()) as u64;
        count += 1;
    }
    out.flush()?;
    eprintln!("wrote {count} frames, {written} bytes to {output}");
    Ok(())
}

/// One Ethernet frame of `len` bytes (60..=200), or the few bytes more that
/// its headers need (at most 86: a VLAN tag, IPv6 and 28 bytes of L4).
fn build_frame(f: &mut Vec<u8>, mut len: usize, rng: &mut Rng) {
    let host = |rng: &mut Rng| rng.below(64) as u8 + 1;
    // Ethernet: dst, src (locally administered, from a pool of hosts).
    f.extend_from_slice(&[2, 0, 0, 0, 0, host(rng)]);
    f.extend_from_slice(&[2, 0, 0, 0, 0, host(rng)]);
    let kind = rng.below(100);
    if kind < 8 {
        // An 802.1Q tag in front of what follows.
        f.extend_from_slice(&0x8100u16.to_be_bytes());
        f.extend_from_slice(&(rng.below(4094) as u16 + 1).to_be_bytes());
    }
    let l4 = rng.below(100);
    match kind {
        0..=3 | 90..=94 => {
            // ARP request, padded.
            f.extend_from_slice(&ETH_ARP.to_be_bytes());
            f.extend_from_slice(&[0, 1, 8, 0, 6, 4, 0, 1]);
            f.extend_from_slice(&[2, 0, 0, 0, 0, host(rng), 10, 0, 0, host(rng)]);
            f.extend_from_slice(&[0, 0, 0, 0, 0, 0, 10, 0, 0, host(rng)]);
        }
        4..=59 => {
            f.extend_from_slice(&ETH_IPV4.to_be_bytes());
            let ip_start = f.len();
            let proto = match l4 {
                0..=54 => 6u8,
                55..=89 => 17,
                _ => 1,
            };
            len = len.max(ip_start + 20 + 28);
            let total = (len - ip_start) as u16;
            f.extend_from_slice(&[0x45, 0]);
            f.extend_from_slice(&total.to_be_bytes());
            f.extend_from_slice(&(rng.next() as u16).to_be_bytes());
            f.extend_from_slice(&[0x40, 0, 64, proto, 0, 0]);
            f.extend_from_slice(&[10, 0, rng.below(4) as u8, host(rng)]);
            f.extend_from_slice(&[10, 1, rng.below(4) as u8, host(rng)]);
            transport(f, proto, ip_start + total as usize, rng);
        }
        _ => {
            f.extend_from_slice(&ETH_IPV6.to_be_bytes());
            let ip_start = f.len();
            let proto = match l4 {
                0..=54 => 6u8,
                55..=89 => 17,
                _ => 58,
            };
            len = len.max(ip_start + 40 + 28);
            let payload = (len - ip_start - 40) as u16;
            f.extend_from_slice(&[0x60, 0, 0, 0]);
            f.extend_from_slice(&payload.to_be_bytes());
            f.extend_from_slice(&[proto, 64]);
            for side in [0xaa, 0xbb] {
                f.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, side, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
                f.extend_from_slice(&[rng.below(4) as u8, host(rng)]);
            }
            transport(f, proto, ip_start + 40 + payload as usize, rng);
        }
    }
    // Pad (Ethernet trailer) or the payload bytes up to the frame length.
    while f.len() < len {
        f.push((f.len() as u8).wrapping_mul(31));
    }
}

/// A TCP, UDP, ICMP or ICMPv6 header whose payload ends at `end` (bytes of
/// the frame); the payload itself is filled in by the caller.
fn transport(f: &mut Vec<u8>, proto: u8, end: usize, rng: &mut Rng) {
    let well_known = [22u16, 53, 80, 123, 443, 5353, 8080];
    let server = well_known[rng.below(well_known.len() as u64) as usize];
    let client = 32768 + rng.below(28000) as u16;
    let (src, dst) = if rng.below(2) == 0 { (client, server) } else { (server, client) };
    match proto {
        6 => {
            f.extend_from_slice(&src.to_be_bytes());
            f.extend_from_slice(&dst.to_be_bytes());
            f.extend_from_slice(&(rng.next() as u32).to_be_bytes());
            f.extend_from_slice(&(rng.next() as u32).to_be_bytes());
            // Data offset 5, flags ACK (PSH when there is data).
            let flags = if end > f.len() + 16 { 0x18 } else { 0x10 };
            f.extend_from_slice(&[0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
        }
        17 => {
            let udp_len = (end - f.len()) as u16;
            f.extend_from_slice(&src.to_be_bytes());
            f.extend_from_slice(&dst.to_be_bytes());
            f.extend_from_slice(&udp_len.to_be_bytes());
            f.extend_from_slice(&[0, 0]);
        }
        // ICMP / ICMPv6 echo request or reply.
        1 => f.extend_from_slice(&[if rng.below(2) == 0 { 8 } else { 0 }, 0, 0, 0, 0, 1, 0, 1]),
        _ => f.extend_from_slice(&[if rng.below(2) == 0 { 128 } else { 129 }, 0, 0, 0, 0, 1, 0, 1]),
    }
}
