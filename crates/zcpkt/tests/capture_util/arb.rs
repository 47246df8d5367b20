//! proptest strategies for pcap and pcapng files, and damage to apply to
//! them. Not part of `capture_util` (the CLI's tests share that module
//! without proptest): a test includes it with
//! `#[path = "capture_util/arb.rs"] mod arb;` after `mod capture_util;`.

#![allow(dead_code)]

use proptest::prelude::*;
use zcpkt::capture::ByteOrder;
use zcpkt::pcapng::option;

use crate::capture_util::{Ng, Opt, Pcap};

#[derive(Clone, Debug)]
pub enum Damage {
    None,
    Truncate(prop::sample::Index),
    Flip(prop::sample::Index, u8),
    Insert(prop::sample::Index, Vec<u8>),
}

pub fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        3 => Just(Damage::None),
        2 => any::<prop::sample::Index>().prop_map(Damage::Truncate),
        2 => (any::<prop::sample::Index>(), 1..=255u8).prop_map(|(i, x)| Damage::Flip(i, x)),
        1 => (any::<prop::sample::Index>(), prop::collection::vec(any::<u8>(), 1..9))
            .prop_map(|(i, b)| Damage::Insert(i, b)),
    ]
}

pub fn apply(mut bytes: Vec<u8>, damage: &Damage) -> Vec<u8> {
    match damage {
        Damage::None => {}
        Damage::Truncate(i) => bytes.truncate(i.index(bytes.len() + 1)),
        Damage::Flip(i, x) if !bytes.is_empty() => {
            let at = i.index(bytes.len());
            bytes[at] ^= x;
        }
        Damage::Flip(..) => {}
        Damage::Insert(i, extra) => {
            let at = i.index(bytes.len() + 1);
            bytes.splice(at..at, extra.iter().copied());
        }
    }
    bytes
}

pub fn order() -> impl Strategy<Value = ByteOrder> {
    prop_oneof![Just(ByteOrder::Little), Just(ByteOrder::Big)]
}

pub fn pcap_file() -> impl Strategy<Value = Vec<u8>> {
    let record = (any::<u32>(), 0..2_000_000u32, prop::collection::vec(any::<u8>(), 0..300));
    (order(), any::<bool>(), prop::collection::vec(record, 0..12)).prop_map(
        |(order, nanos, records)| {
            let mut p = Pcap::new(order, nanos, 65535, 1);
            for (secs, frac, data) in records {
                p.record(secs, frac, data.len() as u32 + 4, &data);
            }
            p.bytes
        },
    )
}

#[derive(Clone, Debug)]
pub enum NgBlock {
    Epb { iface: u32, ts: u64, data: Vec<u8>, comment: bool },
    Pb { iface: u16, ts: u64, data: Vec<u8> },
    Spb(Vec<u8>),
    Other(u32, Vec<u8>),
    Idb { link: u16, snaplen: u32, tsresol: Option<u8> },
}

pub fn ng_block() -> impl Strategy<Value = NgBlock> {
    let data = || prop::collection::vec(any::<u8>(), 0..200);
    prop_oneof![
        6 => (0..3u32, any::<u64>(), data(), any::<bool>())
            .prop_map(|(iface, ts, data, comment)| NgBlock::Epb { iface, ts, data, comment }),
        1 => (0..2u16, any::<u64>(), data()).prop_map(|(iface, ts, data)| NgBlock::Pb { iface, ts, data }),
        1 => data().prop_map(NgBlock::Spb),
        1 => (prop_oneof![Just(4u32), Just(5), Just(0xbad), Just(0x1234)], data())
            .prop_map(|(t, d)| NgBlock::Other(t, d)),
        1 => (any::<u16>(), 0..300u32, prop::option::of(prop_oneof![Just(6u8), Just(9), Just(0x8a)]))
            .prop_map(|(link, snaplen, tsresol)| NgBlock::Idb { link, snaplen, tsresol }),
    ]
}

pub fn pcapng_file() -> impl Strategy<Value = Vec<u8>> {
    let section = (
        order(),
        prop::option::of("[a-z ]{0,20}"),
        1..3usize,
        prop::collection::vec(ng_block(), 0..10),
    );
    prop::collection::vec(section, 1..4).prop_map(|sections| {
        let mut ng = Ng::new();
        for (order, hardware, idbs, blocks) in sections {
            let shb: Vec<Opt> =
                hardware.map(|h| (option::SHB_HARDWARE, h.into_bytes())).into_iter().collect();
            ng.shb(order, &shb);
            for i in 0..idbs {
                ng.idb(1, 0, &[(option::IF_NAME, format!("eth{i}").into_bytes())]);
            }
            for block in blocks {
                match block {
                    NgBlock::Epb { iface, ts, data, comment } => {
                        let opts: Vec<Opt> =
                            if comment { vec![(1, b"hi".to_vec())] } else { vec![] };
                        ng.epb(iface, ts, data.len() as u32, &data, &opts);
                    }
                    NgBlock::Pb { iface, ts, data } => {
                        ng.pb(iface, ts, data.len() as u32, &data, &[]);
                    }
                    NgBlock::Spb(data) => {
                        ng.spb(data.len() as u32, &data);
                    }
                    NgBlock::Other(t, d) => {
                        ng.block(t, &d);
                    }
                    NgBlock::Idb { link, snaplen, tsresol } => {
                        let opts: Vec<Opt> =
                            tsresol.map(|r| (option::IF_TSRESOL, vec![r])).into_iter().collect();
                        ng.idb(link, snaplen, &opts);
                    }
                }
            }
        }
        ng.bytes
    })
}
