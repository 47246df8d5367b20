//! Hostile input never panics: random bytes and mutated valid captures give
//! some good frames, then at most one error, then nothing.

mod capture_util;

use capture_util::{Ng, Pcap};
use proptest::prelude::*;
use zcpkt::capture::{ByteOrder, CaptureError, Frame};
use zcpkt::pcapng::option;

fn check<'a>(iter: impl Iterator<Item = Result<Frame<'a>, CaptureError>>, len: usize) {
    let mut errors = 0;
    for item in iter {
        assert_eq!(errors, 0, "nothing after the error");
        match item {
            Ok(frame) => {
                assert!(frame.offset < len as u64);
                assert_eq!(frame.data.len(), frame.captured_len as usize);
                if let Some(ts) = frame.timestamp {
                    let _ = ts.to_string();
                }
                let _ = frame.options.iter().count();
            }
            Err(error) => {
                assert!(error.offset <= len as u64);
                let _ = error.to_string();
                errors += 1;
            }
        }
    }
}

fn read(bytes: &[u8]) {
    check(zcpkt::pcap::Parser::new().frames(bytes), bytes.len());
    check(zcpkt::pcapng::Parser::new().frames(bytes), bytes.len());
    check(zcpkt::pcapng::Frames::<1>::new(Default::default(), bytes, 0), bytes.len());
}

fn valid_pcapng(order: ByteOrder) -> Vec<u8> {
    let mut ng = Ng::new();
    ng.shb(order, &[(option::SHB_OS, b"x".to_vec())]);
    ng.idb(1, 16, &[(option::IF_TSRESOL, vec![0x85])]);
    ng.idb(1, 0, &[]);
    ng.epb(1, 123, 10, &[1; 10], &[(option::COMMENT, b"hi".to_vec())]);
    ng.spb(20, &[2; 16]);
    ng.pb(0, 5, 3, &[3; 3], &[]);
    ng.block(5, &[0; 12]);
    ng.bytes
}

fn valid_pcap(order: ByteOrder) -> Vec<u8> {
    let mut p = Pcap::new(order, false, 64, 1);
    p.record(1, 2, 10, &[1; 10]);
    p.record(3, 4, 5, &[2; 5]);
    p.bytes
}

proptest! {
    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        read(&bytes);
    }

    #[test]
    fn mutated_captures(
        which in 0usize..4,
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        cut in any::<usize>(),
    ) {
        let order = if which % 2 == 0 { ByteOrder::Little } else { ByteOrder::Big };
        let mut bytes = if which < 2 { valid_pcap(order) } else { valid_pcapng(order) };
        for (at, value) in flips {
            let len = bytes.len();
            bytes[at % len] = value;
        }
        bytes.truncate(cut % (bytes.len() + 1));
        read(&bytes);
    }
}
