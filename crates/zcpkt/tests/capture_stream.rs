//! `CaptureStream`: the same frames and errors as the slice `Frames` over
//! the whole input, whatever sizes the reads return, in bounded memory.

#[path = "capture_util/arb.rs"]
mod arb;
mod capture_util;

use std::io::{self, Read};

use arb::{apply, damage, pcap_file, pcapng_file};
use capture_util::{Ng, Pcap};
use proptest::prelude::*;
use zcpkt::capture::{ByteOrder, CaptureError, CaptureErrorKind, LinkType, Timestamp};
use zcpkt::pcapng::{option, Block};
use zcpkt::source::capture_stream::{CaptureStream, StreamCaptureError, MAX_INFO_STRING};
use zcpkt::{detect, pcap, pcapng, Format, Frame};

/// Returns the chunk sizes it is given, in turn (0 is taken as 1, so the
/// reader never ends early), and `Interrupted` every `interrupt`th call.
struct ChoppyReader<'a> {
    data: &'a [u8],
    chunks: Vec<usize>,
    calls: usize,
    interrupt: usize,
}

impl Read for ChoppyReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.calls += 1;
        if self.interrupt > 0 && self.calls % self.interrupt == 0 {
            return Err(io::ErrorKind::Interrupted.into());
        }
        let chunk = self.chunks[self.calls % self.chunks.len()].max(1);
        let n = chunk.min(out.len()).min(self.data.len());
        let (now, rest) = self.data.split_at(n);
        out[..n].copy_from_slice(now);
        self.data = rest;
        Ok(n)
    }
}

/// A frame with everything it borrows copied out.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Owned {
    timestamp: Option<Timestamp>,
    original_len: u32,
    captured_len: u32,
    interface_id: u32,
    section: u32,
    link_type: LinkType,
    data: Vec<u8>,
    offset: u64,
    options: Vec<u8>,
}

impl From<&Frame<'_>> for Owned {
    fn from(f: &Frame<'_>) -> Self {
        Self {
            timestamp: f.timestamp,
            original_len: f.original_len,
            captured_len: f.captured_len,
            interface_id: f.interface_id,
            section: f.section,
            link_type: f.link_type,
            data: f.data.to_vec(),
            offset: f.offset,
            options: f.options.as_bytes().to_vec(),
        }
    }
}

/// A block with everything it borrows copied out.
#[derive(Clone, Debug, PartialEq, Eq)]
enum OwnedBlock {
    Section { offset: u64, index: u32, options: Vec<u8> },
    Interface { id: u32, offset: u64, options: Vec<u8> },
    Frame(Owned),
    Other { offset: u64, block_type: u32, body: Vec<u8> },
}

impl From<&Block<'_>> for OwnedBlock {
    fn from(b: &Block<'_>) -> Self {
        match b {
            Block::Section(s) => Self::Section {
                offset: s.offset,
                index: s.index,
                options: s.options.as_bytes().to_vec(),
            },
            Block::Interface { id, interface, options } => Self::Interface {
                id: *id,
                offset: interface.offset,
                options: options.as_bytes().to_vec(),
            },
            Block::Frame(f) => Self::Frame(f.into()),
            Block::Other(raw) => Self::Other {
                offset: raw.offset,
                block_type: raw.block_type,
                body: raw.body.to_vec(),
            },
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Limits {
    record: u32,
    block: u32,
}

fn parsers(limits: Limits) -> (pcap::Parser, pcapng::Parser) {
    (
        pcap::Parser::new().max_record_size(limits.record),
        pcapng::Parser::new().max_record_size(limits.record).max_block_size(limits.block),
    )
}

/// What the slice readers give over `bytes` (detected by magic; anything
/// else is the stream's documented error at offset 0).
fn slice_frames(bytes: &[u8], limits: Limits) -> Vec<Result<Owned, CaptureError>> {
    let (pcap, ng) = parsers(limits);
    let own = |r: Result<Frame<'_>, CaptureError>| r.map(|f| Owned::from(&f));
    match detect(bytes) {
        Some(Format::Pcap) => pcap::Frames::new(pcap, bytes, 0).map(own).collect(),
        Some(Format::PcapNg) => pcapng::Frames::<'_, 64>::new(ng, bytes, 0).map(own).collect(),
        _ if bytes.is_empty() => vec![],
        _ if bytes.len() < 4 => {
            let available = bytes.len() as u64;
            vec![Err(CaptureError::new(0, CaptureErrorKind::Truncated { available, needed: 4 }))]
        }
        _ => {
            let found = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            vec![Err(CaptureError::new(0, CaptureErrorKind::BadMagic { found }))]
        }
    }
}

fn stream<'a>(
    bytes: &'a [u8],
    chunks: Vec<usize>,
    buffer: usize,
    limits: Limits,
) -> CaptureStream<ChoppyReader<'a>> {
    let (pcap, ng) = parsers(limits);
    let reader = ChoppyReader { data: bytes, chunks, calls: 0, interrupt: 7 };
    CaptureStream::new(reader).buffer_size(buffer).pcap_parser(pcap).pcapng_parser(ng)
}

fn capture_error(e: StreamCaptureError) -> CaptureError {
    match e {
        StreamCaptureError::Input(e) => e,
        StreamCaptureError::Io(e) => panic!("unexpected I/O error {e}"),
    }
}

/// The largest buffer the stream may use: its initial size, or one whole
/// record/block at the limits (plus the pcap record header).
fn bound(buffer: usize, limits: Limits) -> usize {
    buffer.max(limits.record as usize + 16).max(limits.block as usize).max(24)
}

fn stream_frames(
    bytes: &[u8],
    chunks: Vec<usize>,
    buffer: usize,
    limits: Limits,
) -> Vec<Result<Owned, CaptureError>> {
    let mut s = stream(bytes, chunks, buffer, limits);
    let mut out = Vec::new();
    while let Some(item) = s.next_frame() {
        out.push(item.map(|f| Owned::from(&f)).map_err(capture_error));
    }
    assert!(s.next_frame().is_none(), "fused");
    assert!(s.buffer_capacity() <= bound(buffer, limits), "{} bytes", s.buffer_capacity());
    out
}

// ------------------------------------------------------------- generators

fn reads() -> impl Strategy<Value = (Vec<usize>, usize)> {
    (prop::collection::vec(1..64usize, 1..8), prop_oneof![1..64usize, Just(4096)])
}

fn limits() -> impl Strategy<Value = Limits> {
    prop_oneof![
        3 => Just(Limits { record: pcap::DEFAULT_MAX_RECORD_SIZE, block: pcapng::DEFAULT_MAX_BLOCK_SIZE }),
        1 => (0..250u32, 12..300u32).prop_map(|(record, block)| Limits { record, block }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn pcap_stream_equals_slice(file in pcap_file(), damage in damage(), (chunks, buffer) in reads(), limits in limits()) {
        let bytes = apply(file, &damage);
        prop_assert_eq!(stream_frames(&bytes, chunks, buffer, limits), slice_frames(&bytes, limits));
    }

    #[test]
    fn pcapng_stream_equals_slice(file in pcapng_file(), damage in damage(), (chunks, buffer) in reads(), limits in limits()) {
        let bytes = apply(file, &damage);
        prop_assert_eq!(stream_frames(&bytes, chunks, buffer, limits), slice_frames(&bytes, limits));
    }

    #[test]
    fn pcapng_stream_blocks_equal_slice_blocks(file in pcapng_file(), damage in damage(), (chunks, buffer) in reads()) {
        let bytes = apply(file, &damage);
        prop_assume!(detect(&bytes) == Some(Format::PcapNg));
        let limits = Limits { record: pcap::DEFAULT_MAX_RECORD_SIZE, block: pcapng::DEFAULT_MAX_BLOCK_SIZE };
        let mut slice = pcapng::Frames::<'_, 64>::new(parsers(limits).1, &bytes, 0);
        let mut expected = Vec::new();
        while let Some(b) = slice.next_block() {
            expected.push(b.map(|b| OwnedBlock::from(&b)));
        }
        let mut s = stream(&bytes, chunks, buffer, limits);
        let mut got = Vec::new();
        while let Some(b) = s.next_block() {
            got.push(b.map(|b| OwnedBlock::from(&b)).map_err(capture_error));
        }
        prop_assert_eq!(got, expected);
        // The bounded copies describe the last section read, as the slice state does.
        let ids: Vec<_> = s.interface_info().iter().map(|i| i.interface).collect();
        prop_assert_eq!(&ids[..], slice.state().interfaces());
    }

    #[test]
    fn arbitrary_bytes_give_the_slice_answer(bytes in prop::collection::vec(any::<u8>(), 0..64), (chunks, buffer) in reads()) {
        let limits = Limits { record: pcap::DEFAULT_MAX_RECORD_SIZE, block: pcapng::DEFAULT_MAX_BLOCK_SIZE };
        prop_assert_eq!(stream_frames(&bytes, chunks, buffer, limits), slice_frames(&bytes, limits));
    }
}

#[test]
fn section_and_interface_info_are_bounded_copies() {
    let long = vec![b'x'; MAX_INFO_STRING + 100];
    let mut ng = Ng::new();
    ng.shb(
        ByteOrder::Big,
        &[
            (option::SHB_HARDWARE, long.clone()),
            (option::SHB_OS, b"Linux".to_vec()),
            (1, b"c1".to_vec()),
        ],
    );
    ng.idb(1, 1500, &[(option::IF_NAME, b"eth0".to_vec()), (option::IF_TSRESOL, vec![9])]);
    ng.idb(101, 0, &[(option::IF_DESCRIPTION, b"tunnel".to_vec())]);
    ng.epb(1, 5, 4, b"abcd", &[]);
    let mut s = CaptureStream::new(&ng.bytes[..]).buffer_size(8);
    let frame = s.next_frame().unwrap().unwrap();
    assert_eq!((frame.interface_id, frame.link_type), (1, LinkType::RAW));
    assert!(s.next_frame().is_none());
    let section = s.section_info().unwrap();
    assert_eq!(section.hardware.as_deref().map(<[u8]>::len), Some(MAX_INFO_STRING));
    assert_eq!(section.os.as_deref(), Some(&b"Linux"[..]));
    assert_eq!(section.comments, [b"c1".to_vec().into_boxed_slice()]);
    let ifaces = s.interface_info();
    assert_eq!(ifaces.len(), 2);
    assert_eq!(ifaces[0].name.as_deref(), Some(&b"eth0"[..]));
    assert_eq!((ifaces[0].tsresol, ifaces[0].interface.snaplen), (Some(9), 1500));
    assert_eq!(ifaces[1].description.as_deref(), Some(&b"tunnel"[..]));
    assert_eq!(s.format(), Some(Format::PcapNg));
}

#[test]
fn empty_input_is_zero_frames_and_pkt_is_bad_magic() {
    assert!(CaptureStream::new(&b""[..]).next_frame().is_none());
    let mut s = CaptureStream::new(&b"PKT\0rest"[..]);
    let e = capture_error(s.next_frame().unwrap().unwrap_err());
    assert_eq!(e, CaptureError::new(0, CaptureErrorKind::BadMagic { found: 0x504b_5400 }));
    assert_eq!(s.format(), Some(Format::Pkt));
    assert!(s.next_frame().is_none());
}

#[test]
fn a_hostile_length_is_refused_without_buffering_it() {
    let mut p = Pcap::new(ByteOrder::Little, false, 65535, 1);
    p.record_raw(1, 0, u32::MAX, 60, &[0; 60]);
    let mut s = CaptureStream::new(&p.bytes[..]).buffer_size(16);
    let e = capture_error(s.next_frame().unwrap().unwrap_err());
    assert!(matches!(e.kind, CaptureErrorKind::RecordTooLarge { .. }), "{e}");
    assert!(s.buffer_capacity() <= 64);

    let mut ng = Ng::new();
    ng.shb(ByteOrder::Little, &[]);
    let at = ng.block(0x1234, &[0; 8]) as usize;
    ng.patch32(at + 4, 0xffff_fff0);
    let mut s = CaptureStream::new(&ng.bytes[..]).buffer_size(16);
    let e = capture_error(s.next_frame().unwrap().unwrap_err());
    assert!(matches!(e.kind, CaptureErrorKind::RecordTooLarge { .. }), "{e}");
    assert!(s.buffer_capacity() <= 64);
}

#[test]
fn io_errors_are_reported_and_retried() {
    struct Flaky<'a>(&'a [u8], bool);
    impl Read for Flaky<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            self.1 = !self.1;
            if self.1 {
                return Err(io::Error::other("flaky"));
            }
            let n = out.len().min(self.0.len()).min(10);
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    let mut p = Pcap::new(ByteOrder::Big, true, 65535, 1);
    for i in 0..5 {
        p.record(i, i, 30, &[i as u8; 30]);
    }
    let mut s = CaptureStream::new(Flaky(&p.bytes, false)).buffer_size(4);
    let (mut frames, mut io_errors) = (0, 0);
    while let Some(item) = s.next_frame() {
        match item {
            Ok(f) => {
                assert_eq!(f.data, [frames as u8; 30]);
                frames += 1;
            }
            Err(StreamCaptureError::Io(_)) => io_errors += 1,
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(frames, 5);
    assert!(io_errors > 5);
}

#[test]
fn the_pcap_header_stays_known_after_the_end_and_after_damage() {
    let mut file = Pcap::new(ByteOrder::Big, true, 1500, 1);
    file.record(1, 2, 60, &[0; 60]);
    let header = pcap::Header::read(&file.bytes).expect("header");
    for bytes in [file.bytes.clone(), [&file.bytes[..], &[1, 2, 3]].concat()] {
        let mut s = CaptureStream::new(&bytes[..]);
        while s.next_frame().is_some() {}
        assert_eq!(s.pcap_header(), Some(&header));
    }
}
