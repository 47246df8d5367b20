//! Writes a pcap of small, varied frames for measuring `zcpkt fields`
//! against `tshark -T fields`.
//!
//! ```text
//! cargo run --release --example gen_pcap -- OUT MIB        # about MIB MiB
//! cargo run --release --example gen_pcap -- OUT --frames N # exactly N frames
//! ```
//!
//! Frames are 60 to 200 bytes: Ethernet (one in eight with an 802.1Q tag)
//! carrying IPv4 or IPv6 with UDP or TCP, from a fixed-seed generator, so
//! the same arguments always give the same file. Source ports are in the
//! dynamic range (49152-65535): Wireshark tries the lower port first, and a
//! random low source port can land on a tunnel it follows and zcpkt does not
//! model (UDP 3343, MS cluster RCP, carries an Ethernet frame; 4789 before a
//! lower port), which would make the outputs differ for reasons unrelated to
//! speed.

#[path = "support/rng.rs"]
mod rng;

use rng::Rng;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use zcpkt::capture::{LinkType, Resolution};
use zcpkt::pcap::{write_header, write_record};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let limit = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [_, "--frames", n] => n.parse().ok().map(Limit::Frames),
        [_, mib] => mib.parse::<u64>().ok().map(|m| Limit::Bytes(m << 20)),
        _ => None,
    };
    let Some(limit) = limit else {
        eprintln!("usage: gen_pcap OUT MIB | gen_pcap OUT --frames N");
        return ExitCode::from(2);
    };
    match generate(&args[0], limit) {
        Ok(frames) => {
            eprintln!("gen_pcap: wrote {frames} frames to {}", args[0]);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_pcap: {}: {e}", args[0]);
            ExitCode::from(1)
        }
    }
}

#[derive(Clone, Copy)]
enum Limit {
    Bytes(u64),
    Frames(u64),
}

fn generate(path: &str, limit: Limit) -> io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    write_header(&mut out, Resolution::MICROS, 65535, LinkType::ETHERNET)?;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut frame = Vec::with_capacity(256);
    let (mut frames, mut bytes) = (0u64, 24u64);
    let (mut secs, mut micros) = (1_700_000_000u32, 0u32);
    loop {
        match limit {
            Limit::Bytes(b) if bytes >= b => break,
            Limit::Frames(n) if frames >= n => break,
            _ => {}
        }
        build_frame(&mut rng, &mut frame);
        micros += 1 + rng.below(2000) as u32;
        if micros >= 1_000_000 {
            secs += 1;
            micros -= 1_000_000;
        }
        write_record(&mut out, secs, micros, frame.len() as u32, &frame)?;
        frames += 1;
        bytes += 16 + frame.len() as u64;
    }
    out.flush()?;
    Ok(frames)
}

/// One frame of 60 to 200 bytes into `frame`.
fn build_frame(rng: &mut Rng, frame: &mut Vec<u8>) {
    frame.clear();
    let r = rng.next();
    let host = (r >> 8) as u8;
    frame.extend([0x02, 0, 0, 0, 0, host, 0x02, 0, 0, 0, 1, host ^ 0x55]);
    let v6 = r & 3 == 0;
    let tcp = r & 4 != 0;
    let ether_type: u16 = if v6 { 0x86dd } else { 0x0800 };
    if r & 0x38 == 0 {
        frame.extend(0x8100u16.to_be_bytes());
        frame.extend(((r >> 16) as u16 & 0x0fff).to_be_bytes());
    }
    frame.extend(ether_type.to_be_bytes());
    let l2 = frame.len();
    let l3 = if v6 { 40 } else { 20 };
    let l4 = if tcp { 20 } else { 8 };
    // Total 60..=200 bytes.
    let total = 60 + rng.below(141) as usize;
    let payload = total.saturating_sub(l2 + l3 + l4);
    let ip_payload = (l4 + payload) as u16;
    let proto = if tcp { 6 } else { 17 };
    let (src_port, dst_port) =
        (49152 + rng.below(16384) as u16, [53u16, 80, 443, 123][r as usize >> 40 & 3]);
    if v6 {
        frame.extend([0x60, 0, 0, 0]);
        frame.extend(ip_payload.to_be_bytes());
        frame.extend([proto, 64]);
        frame.extend([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, host]);
        frame.extend([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x10, 1]);
    } else {
        frame.extend([0x45, 0]);
        frame.extend((20 + ip_payload).to_be_bytes());
        frame.extend([0x12, 0x34, 0x40, 0, 64, proto, 0, 0]);
        frame.extend([10, 0, (r >> 24) as u8, host]);
        frame.extend([192, 168, 1, 1]);
    }
    frame.extend(src_port.to_be_bytes());
    frame.extend(dst_port.to_be_bytes());
    if tcp {
        frame.extend([0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0]);
    } else {
        frame.extend(ip_payload.to_be_bytes());
        frame.extend([0, 0]);
    }
    frame.resize(frame.len() + payload, 0xab);
}
