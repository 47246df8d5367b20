//! Peak-RSS check for `MappedFile`: parse a capture with CRC checks and
//! print the packet count.
//!
//! ```text
//! cargo run --release --example mmap_rss -- --generate FILE MIB   # write a test capture
//! /usr/bin/time -v target/release/examples/mmap_rss FILE               # released windows
//! /usr/bin/time -v target/release/examples/mmap_rss FILE --no-release  # plain whole-file map
//! ```

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use zcpkt::source::mmap::MappedFile;
use zcpkt::{NewPacket, Parser, Record};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["--generate", path, mib] => generate(path, mib),
        [path] => parse(path, true),
        [path, "--no-release"] => parse(path, false),
        _ => Err("usage: mmap_rss FILE [--no-release] | mmap_rss --generate FILE MIB".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("mmap_rss: {message}");
            ExitCode::from(2)
        }
    }
}

fn parse(path: &str, release: bool) -> Result<(), String> {
    let file = MappedFile::open(path).map_err(|e| format!("{path}: {e}"))?;
    let parser = Parser::new();
    let (packets, errors) = if release {
        count(file.records(parser, false))
    } else {
        count(parser.records(file.as_bytes(), false))
    };
    println!("{packets} packets, {errors} errors");
    Ok(())
}

fn count<'a>(records: impl Iterator<Item = Record<'a>>) -> (u64, u64) {
    records.fold((0, 0), |(packets, errors), record| match record {
        Record::Packet(_) => (packets + 1, errors),
        _ => (packets, errors + 1),
    })
}

/// Packets with payloads of 64 B to 4 KiB (pseudo-random sizes and bytes).
fn generate(path: &str, mib: &str) -> Result<(), String> {
    let target: u64 = mib.parse::<u64>().map_err(|e| format!("{mib}: {e}"))? << 20;
    let file = std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut payload = vec![0u8; 4096];
    let (mut written, mut state, mut timestamp) = (0u64, 0x9E37_79B9_7F4A_7C15u64, 0u64);
    while written < target {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = 64 + (state % (4096 - 64 + 1)) as usize;
        payload[..8].copy_from_slice(&state.to_le_bytes());
        timestamp += 1;
        let packet = NewPacket::new("sensor-17", "collector", &payload[..len]).timestamp(timestamp);
        written += packet.write_to(&mut out).map_err(|e| e.to_string())? as u64;
    }
    out.flush().map_err(|e| e.to_string())
}
