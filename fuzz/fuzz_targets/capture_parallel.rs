//! Byte 0: batch size; byte 1: limits and magic; the rest: a capture parsed
//! by `ParallelCapture` on 2 threads, which must give exactly the
//! sequential blocks and error (`checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zcpkt_fuzz::checks::capture_parallel(data));
