//! Arbitrary bytes as a capture: the strict `Records` stream and `Packets`,
//! checked against the recovering stream and the references (`checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zcpkt_fuzz::checks::slice_strict(data));
