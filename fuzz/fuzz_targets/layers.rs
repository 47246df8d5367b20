//! Byte 0: FCS length and original length; the rest: a frame walked by the
//! protocol views as every link type, every accessor called (`checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zcpkt_fuzz::checks::layers(data));
