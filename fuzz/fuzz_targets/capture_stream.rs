//! Byte 0: buffer size; bytes 1-4: read pattern; byte 5: limits and magic;
//! the rest: a capture read by `CaptureStream`, which must give exactly what
//! the slice readers give (`checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zcpkt_fuzz::checks::capture_stream(data));
