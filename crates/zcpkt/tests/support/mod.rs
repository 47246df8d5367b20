//! Helpers shared by the integration tests (`mod support;`).

// Each test binary uses part of it.
#![allow(dead_code)]

use proptest::test_runner::Config as ProptestConfig;
use zcpkt::{Extension, ExtensionType, NewPacket, PacketFlags};

/// A proptest config running `cases` cases, unless `PROPTEST_CASES` is set
/// (CI and long local runs choose their own count).
pub fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    config
}

/// The fields a writer chooses for one packet (the property tests'
/// generators build these).
#[derive(Clone, Debug)]
pub struct Spec {
    pub flags: u8,
    pub timestamp: u64,
    pub source: String,
    pub dest: String,
    pub exts: Vec<(u8, Vec<u8>)>,
    pub payload: Vec<u8>,
}

impl Spec {
    /// HEADER_LEN as pkt-format.md defines it.
    pub fn header_len(&self) -> usize {
        24 + self.source.len()
            + 1
            + self.dest.len()
            + 1
            + self.exts.iter().map(|(_, v)| 3 + v.len()).sum::<usize>()
    }

    /// The packet's bytes, as the encoder writes them.
    pub fn encode(&self) -> Vec<u8> {
        let exts: Vec<Extension> = self
            .exts
            .iter()
            .map(|(t, v)| Extension { ty: ExtensionType::from_byte(*t), value: v })
            .collect();
        let packet = NewPacket::new(&self.source, &self.dest, &self.payload)
            .flags(PacketFlags::from_bits_retain(self.flags))
            .timestamp(self.timestamp)
            .extensions(&exts);
        let mut buf = vec![0u8; packet.encoded_len().unwrap()];
        let n = packet.encode(&mut buf).unwrap();
        assert_eq!(n, buf.len());
        buf
    }
}
