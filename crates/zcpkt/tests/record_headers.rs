//! `RecordHeaders` reads a pcap file's record headers with positioned
//! reads: exactly the frames of `pcap::Frames` without their bytes, and the
//! same error, on any (non-empty) file.

#![cfg(unix)]

#[path = "capture_util/arb.rs"]
mod arb;
mod capture_util;
mod support;

use std::fs::File;
use std::sync::atomic::{AtomicU64, Ordering};

use arb::{apply, damage, pcap_file};
use proptest::prelude::*;
use zcpkt::capture::{CaptureError, CaptureErrorKind};
use zcpkt::pcap::{self, RecordHeader};
use zcpkt::source::error::SourceError;
use zcpkt::source::record_headers::RecordHeaders;

/// A file holding `bytes`, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(bytes: &[u8]) -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "zcpkt-record-headers-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        std::fs::write(&path, bytes).expect("temp file");
        Self(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn from_frames(bytes: &[u8], parser: pcap::Parser) -> (Vec<RecordHeader>, Option<CaptureError>) {
    let mut records = Vec::new();
    for frame in parser.frames(bytes) {
        match frame {
            Ok(f) => records.push(RecordHeader {
                timestamp: f.timestamp,
                original_len: f.original_len,
                captured_len: f.captured_len,
                link_type: f.link_type,
                offset: f.offset,
            }),
            Err(error) => return (records, Some(error)),
        }
    }
    (records, None)
}

fn from_file(bytes: &[u8], parser: pcap::Parser) -> (Vec<RecordHeader>, Option<CaptureError>) {
    let temp = TempFile::new(bytes);
    let file = File::open(&temp.0).expect("open");
    let mut headers = match RecordHeaders::new(parser, &file) {
        Ok(headers) => headers,
        Err(SourceError::Input(error)) => return (Vec::new(), Some(error)),
        Err(SourceError::Io(error)) => panic!("{error}"),
    };
    let mut records = Vec::new();
    for record in &mut headers {
        match record {
            Ok(record) => records.push(record),
            Err(SourceError::Input(error)) => return (records, Some(error)),
            Err(SourceError::Io(error)) => panic!("{error}"),
        }
    }
    (records, None)
}

proptest! {
    #![proptest_config(support::config(300))]

    #[test]
    fn the_same_as_frames(file in pcap_file(), damage in damage(), limit in prop_oneof![Just(pcap::DEFAULT_MAX_RECORD_SIZE), 0..300u32]) {
        let bytes = apply(file, &damage);
        prop_assume!(!bytes.is_empty());
        let parser = pcap::Parser::new().max_record_size(limit);
        prop_assert_eq!(from_file(&bytes, parser), from_frames(&bytes, parser));
    }

    #[test]
    fn arbitrary_bytes_the_same_as_frames(bytes in prop::collection::vec(any::<u8>(), 1..80)) {
        let parser = pcap::Parser::new();
        prop_assert_eq!(from_file(&bytes, parser), from_frames(&bytes, parser));
    }
}

#[test]
fn an_empty_file_is_truncated() {
    let kind = CaptureErrorKind::Truncated { available: 0, needed: 24 };
    assert_eq!(from_file(&[], pcap::Parser::new()), (vec![], Some(CaptureError::new(0, kind))));
}
