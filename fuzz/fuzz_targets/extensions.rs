//! Arbitrary bytes as the extension area of an otherwise valid packet: the
//! lazy iterator re-encodes to the area, or stops at exactly the record the
//! packet reports as malformed; framing is kept either way (`checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|area: &[u8]| zcpkt_fuzz::checks::extensions(area));
