//! First byte: parser config (CRC on/off, maximum packet size); the rest: a
//! capture read by the recovering `Records` stream, whose records must tile
//! the input exactly (`checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zcpkt_fuzz::checks::slice_recover(data));
