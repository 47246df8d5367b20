//! First 8 bytes: buffer size, recover, CRC, maximum packet size and the
//! read pattern (sizes, `Interrupted`, `WouldBlock`); the rest: a capture
//! read through `StreamReader`, whose records and packets must be those of
//! the slice iterators over the same bytes (`checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zcpkt_fuzz::checks::stream(data));
