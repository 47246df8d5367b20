//! Byte 0: chunk size (1-32 or 64-510 bytes); byte 1: CRC, recover, maximum
//! packet size; the rest: a capture parsed by `ParallelParser` on 2 threads,
//! whose records (in order and folded) must be exactly `Records` (`checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zcpkt_fuzz::checks::parallel(data));
