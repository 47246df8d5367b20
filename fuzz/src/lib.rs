//! Shared code of the zcpkt fuzz targets.
//!
//! [`checks`] holds every invariant the targets assert; the CI replay test
//! `crates/zcpkt/tests/fuzz_seeds.rs` includes the same file, so a seed or a
//! crash artifact checked there is checked exactly as the fuzzer checks it.

pub mod checks;
