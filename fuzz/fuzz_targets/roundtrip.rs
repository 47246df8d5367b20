//! Structured packets (via `arbitrary`): encode, parse, every field equal,
//! `NewPacket::from_packet` re-encodes the identical bytes (`checks.rs`).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use zcpkt_fuzz::checks::{roundtrip, RoundTrip};

#[derive(Arbitrary, Debug)]
struct Input {
    source: String,
    dest: String,
    payload: Vec<u8>,
    flags: u8,
    timestamp: u64,
    extensions: Vec<(u8, Vec<u8>)>,
}

fuzz_target!(|input: Input| {
    roundtrip(&RoundTrip {
        flags: input.flags,
        timestamp: input.timestamp,
        source: input.source.replace('\0', ""),
        dest: input.dest.replace('\0', ""),
        extensions: input.extensions,
        payload: input.payload,
    })
});
