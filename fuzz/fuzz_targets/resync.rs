//! Byte 0: parser config; bytes 1-2: a start position; the rest: an input
//! searched for the next valid packet by `find_next_valid` and reused
//! `Scanner`s, against the naive oracle, from every position (`checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zcpkt_fuzz::checks::resync(data));
