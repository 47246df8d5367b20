//! Arbitrary bytes, and the same behind each pcap / pcapng magic, through
//! the strict pcap and pcapng slice readers (default and small limits) and
//! the protocol views of every frame (`checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zcpkt_fuzz::checks::capture_slice(data));
