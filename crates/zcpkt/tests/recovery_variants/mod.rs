//! The capture recovery tests read every input three more ways, which must
//! give the plain reading's records and search work: the same reader with
//! its search after damage run in steps (`search(budget)`, what a caller
//! releasing a map's pages does), and `RecoveringCaptureStream` over reads
//! of several sizes, once stopping after every record.

use std::fmt::Debug;
use std::io::Read;
use std::ops::ControlFlow;

use zcpkt::capture::CaptureErrorKind;
use zcpkt::capture_record::CaptureRecord;
use zcpkt::source::capture_recover_stream::RecoveringCaptureStream;

/// A recovering reader whose search can run in steps.
pub trait Stepped<'a>: Iterator<Item = CaptureRecord<'a>> {
    fn search(&mut self, budget: u64) -> Option<usize>;
    fn position(&self) -> usize;
    fn work(&self) -> u64;
}

impl<'a> Stepped<'a> for zcpkt::pcap::Recovering<'a> {
    fn search(&mut self, budget: u64) -> Option<usize> {
        zcpkt::pcap::Recovering::search(self, budget)
    }
    fn position(&self) -> usize {
        zcpkt::pcap::Recovering::position(self)
    }
    fn work(&self) -> u64 {
        zcpkt::pcap::Recovering::work(self)
    }
}

impl<'a, const N: usize> Stepped<'a> for zcpkt::pcapng::Recovering<'a, N> {
    fn search(&mut self, budget: u64) -> Option<usize> {
        zcpkt::pcapng::Recovering::search(self, budget)
    }
    fn position(&self) -> usize {
        zcpkt::pcapng::Recovering::position(self)
    }
    fn work(&self) -> u64 {
        zcpkt::pcapng::Recovering::work(self)
    }
}

/// Checks the other readings of `bytes` against `out` (the plain reading's
/// records as `reduce` gives them) and `work`. `reader` makes the
/// recovering reader; `streamed` says whether the stream, which tells the
/// format by magic, reads `bytes` with that reader.
pub fn same_every_way<'a, I: Stepped<'a>, T: PartialEq + Debug>(
    bytes: &'a [u8],
    out: &[T],
    work: u64,
    reader: impl Fn() -> I,
    reduce: impl Fn(CaptureRecord<'_>) -> T,
    streamed: bool,
) {
    for budget in [1, 7, 64] {
        let (stepped, stepped_work) = in_steps(reader(), bytes.len(), budget, &reduce);
        assert_eq!(stepped, out, "searching in steps of {budget}");
        assert_eq!(stepped_work, work, "steps of {budget} tried positions again");
    }
    if !streamed {
        return;
    }
    for (chunks, buffer) in [(&[1][..], 1), (&[7, 3, 64][..], 16), (&[4096][..], 100)] {
        let (stream, stream_work) = streamed_records(bytes, chunks, buffer, None, &reduce);
        assert_eq!(stream, out, "streamed in reads of {chunks:?} from a {buffer}-byte buffer");
        assert_eq!(stream_work, work, "streamed: positions tried again");
    }
    let (stream, _) = streamed_records(bytes, &[5, 11], 8, Some(1), &reduce);
    assert_eq!(stream, out, "streamed one record per call");
}

/// The records of `reader` over an input of `len` bytes, each search after
/// damage run in steps of `budget` positions (at most 5, then `next` goes
/// on): the steps must stop exactly every `budget` positions from the one
/// after the damage, before where reading resumes (or the input's end). A
/// search inside a record (`RecordOverlapsNext`) covers that record only
/// and is not stepped. Returns the records and the search work.
fn in_steps<'a, I: Stepped<'a>, T>(
    mut records: I,
    len: usize,
    budget: u64,
    reduce: impl Fn(CaptureRecord<'_>) -> T,
) -> (Vec<T>, u64) {
    let mut out = Vec::new();
    let mut stepped_search = false;
    let mut reached = Vec::new();
    loop {
        let from = records.position() + 1;
        while let Some(at) = records.search(budget).filter(|_| reached.len() < 5) {
            reached.push(at);
        }
        let Some(record) = records.next() else { break };
        match record {
            CaptureRecord::Error(e) => {
                stepped_search = !matches!(e.kind, CaptureErrorKind::RecordOverlapsNext { .. })
            }
            CaptureRecord::Skipped(s) => {
                let end = (s.offset + s.len) as usize;
                let expected: Vec<usize> = (1..)
                    .map(|k| from + k * budget as usize)
                    .take_while(|&at| if end == len { at < end } else { at <= end })
                    .take_while(|_| stepped_search)
                    .take(5)
                    .collect();
                assert_eq!(reached, expected, "steps of the search {s:?}");
                reached.clear();
            }
            CaptureRecord::Block(_) => {}
        }
        assert!(reached.is_empty(), "steps with no search under way");
        out.push(reduce(record));
    }
    (out, records.work())
}

/// A reader returning `chunks` bytes (in turn) per read.
pub struct Choppy<'a> {
    pub data: &'a [u8],
    pub chunks: &'a [usize],
    pub calls: usize,
}

impl Read for Choppy<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let chunk = self.chunks[self.calls % self.chunks.len()];
        self.calls += 1;
        let n = chunk.min(out.len()).min(self.data.len());
        let (now, rest) = self.data.split_at(n);
        out[..n].copy_from_slice(now);
        self.data = rest;
        Ok(n)
    }
}

/// The records of `bytes` from a stream in reads of `chunks` bytes, through
/// a buffer of `buffer` bytes at first (stopping `for_each` after every
/// `per_call` records, if given, and calling it again); and the work its
/// searches did.
pub fn streamed_records<T>(
    bytes: &[u8],
    chunks: &[usize],
    buffer: usize,
    per_call: Option<usize>,
    reduce: impl Fn(CaptureRecord<'_>) -> T,
) -> (Vec<T>, u64) {
    let reader = Choppy { data: bytes, chunks, calls: 0 };
    let mut stream = RecoveringCaptureStream::new(reader).buffer_size(buffer);
    let mut out = Vec::new();
    loop {
        let before = out.len();
        let mut taken = 0;
        stream
            .for_each(|record| {
                out.push(reduce(record));
                taken += 1;
                match per_call {
                    Some(n) if taken >= n => ControlFlow::Break(()),
                    _ => ControlFlow::Continue(()),
                }
            })
            .unwrap();
        if out.len() == before || per_call.is_none() {
            break;
        }
    }
    (out, stream.work())
}
