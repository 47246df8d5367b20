//! pcap and pcapng on several threads, with exactly the sequential result.
//!
//! # How the work is split
//!
//! Unlike PKT, pcap records and pcapng blocks are found from the start of
//! the file only (nothing marks a record), but they carry their lengths, so
//! walking from one to the next reads a few bytes each. The calling thread
//! does that walk and cuts the file into batches of whole blocks of about
//! [`batch_size`](ParallelCapture::batch_size) bytes; workers parse the
//! batches (framing checks, options, timestamps, whatever the caller does
//! with each block) while the walk goes on.
//!
//! - A pcapng reader's state (the section's byte order and interface table)
//!   changes only at Section Header and Interface Description Blocks. The
//!   walk parses those in full to keep the state, and hands each batch the
//!   state at its first block; every other block it frames by its leading
//!   length only.
//! - A worker parses its batch with the sequential reader
//!   ([`pcap::Frames::records`], [`pcapng::Frames::resume`]) from that
//!   state, so a batch yields exactly what the sequential reader yields
//!   there, and stops at the first error as it does.
//! - Where the walk cannot frame a block, the last batch runs from there to
//!   the end of input: its worker meets the error exactly as the sequential
//!   reader does. (Up to the first error the leading lengths are the true
//!   ones, so the cuts before it are true block boundaries.)
//! - The calling thread takes the results in file order and stops at the
//!   first batch that ended with an error: what comes after is discarded.
//!
//! The walk costs about what counting frames costs; what runs in parallel
//! is everything else. `README.md` ("pcap and pcapng: benchmark") has the
//! measurements.
//!
//! # Threads and allocations
//!
//! As for [`ParallelParser`](super::ParallelParser): the batches go through
//! a ring of `threads + 2` slots to one long-lived worker per pool
//! thread but one (the calling thread parses too), and a call allocates a
//! fixed number of times whatever the input's size (the ring, one rayon job
//! per worker, and for
//! [`blocks_in_order`](ParallelCapture::blocks_in_order) one reused block
//! buffer per batch in flight). `tests/parallel_alloc.rs` checks this.

use rayon::ThreadPoolBuildError;

use super::exchange::{catch, Exchange, JobResult, Leftover, Workers};
use crate::capture::{bytes_at, CaptureError};
use crate::pcap::{self, RECORD_HEADER_LEN};
use crate::pcapng::{self, block_type, Block, State, SHB_TYPE_BYTES};
use crate::{detect, Format};

/// Default bytes per batch: enough work per job that scheduling costs
/// vanish, small enough to spread a file of a few MiB over every core.
pub const DEFAULT_BATCH_SIZE: usize = 1 << 20;

/// Parses a pcap or pcapng file held in a slice on several threads; see the
/// [module docs](self).
///
/// The result is exactly the sequential one: the blocks of
/// [`pcapng::Frames::next_block`] when the input starts with a Section
/// Header Block, else the frames of [`pcap::Frames`] (each as a
/// [`Block::Frame`]), up to the first error, and that error.
///
/// ```
/// use zcpkt::capture::{LinkType, Resolution};
/// use zcpkt::parallel::capture::ParallelCapture;
/// use zcpkt::pcap;
/// use zcpkt::pcapng::Block;
///
/// let mut file = Vec::new();
/// pcap::write_header(&mut file, Resolution::MICROS, 65535, LinkType::ETHERNET)?;
/// for i in 0..100 {
///     pcap::write_record(&mut file, 1_700_000_000, i, 60, &[0u8; 60])?;
/// }
/// let parallel = ParallelCapture::new().batch_size(1000);
/// let frames = |n: &mut u64, block| *n += u64::from(matches!(block, Block::Frame(_)));
/// let (count, error) = parallel.fold(&file, || 0, frames, |a, b| a + b);
/// assert_eq!((count, error), (100, None));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ParallelCapture {
    pcap: pcap::Parser,
    pcapng: pcapng::Parser,
    batch_size: usize,
    workers: Workers,
}

impl Default for ParallelCapture {
    fn default() -> Self {
        Self::new()
    }
}

impl ParallelCapture {
    /// Default parsers, batches of [`DEFAULT_BATCH_SIZE`], rayon's global
    /// thread pool.
    pub const fn new() -> Self {
        Self {
            pcap: pcap::Parser::new(),
            pcapng: pcapng::Parser::new(),
            batch_size: DEFAULT_BATCH_SIZE,
            workers: Workers::global(),
        }
    }

    /// The parser for pcap input.
    pub const fn pcap_parser(mut self, parser: pcap::Parser) -> Self {
        self.pcap = parser;
        self
    }

    /// The parser for pcapng input.
    pub const fn pcapng_parser(mut self, parser: pcapng::Parser) -> Self {
        self.pcapng = parser;
        self
    }

    /// Bytes of input per batch (at least 1): a batch ends at the first
    /// block boundary at or past this many bytes from its start.
    pub const fn batch_size(mut self, bytes: usize) -> Self {
        self.batch_size = if bytes == 0 { 1 } else { bytes };
        self
    }

    /// Parses on `threads` threads (0: one per core): the calling thread
    /// and a dedicated pool of `threads - 1`, instead of rayon's global
    /// pool (whose threads but one work with the calling thread).
    pub fn threads(mut self, threads: usize) -> Result<Self, ThreadPoolBuildError> {
        self.workers = Workers::dedicated(threads)?;
        Ok(self)
    }

    /// Folds every block of `input` (see the [type docs](Self) for which),
    /// returning the result and the error that ended the blocks, if any.
    ///
    /// Each batch is folded on a worker: `fold` adds each of its blocks to
    /// an accumulator started from `identity()`, in place (an accumulator of
    /// a few hundred bytes moved for every block costs more than parsing
    /// it). The batches' results are combined with `reduce` on the calling
    /// thread, in file order. `reduce` must be associative with `identity()` as its
    /// neutral element: how the blocks are grouped into batches varies. The
    /// workers hold the pool's threads for the whole call: do not call this
    /// from inside the pool it runs on.
    pub fn fold<'a, T, ID, F, R>(
        &self,
        input: &'a [u8],
        identity: ID,
        fold: F,
        reduce: R,
    ) -> (T, Option<CaptureError>)
    where
        T: Send,
        ID: Fn() -> T + Sync,
        F: Fn(&mut T, Block<'a>) + Sync,
        R: FnMut(T, T) -> T,
    {
        self.fold_counted(input, identity, |acc, _, block| fold(acc, block), reduce)
    }

    /// As [`fold`](Self::fold), and `fold` is also told how many frames
    /// come before each block in the file: for a frame, its 0-based index
    /// (tshark's `frame.number` is that plus one).
    pub fn fold_counted<'a, T, ID, F, R>(
        &self,
        input: &'a [u8],
        identity: ID,
        fold: F,
        reduce: R,
    ) -> (T, Option<CaptureError>)
    where
        T: Send,
        ID: Fn() -> T + Sync,
        F: Fn(&mut T, u64, Block<'a>) + Sync,
        R: FnMut(T, T) -> T,
    {
        let work = |(), blocks: &mut BatchBlocks<'a>| {
            let mut acc = identity();
            while let Some((frames, block)) = blocks.next_counted() {
                fold(&mut acc, frames, block);
            }
            acc
        };
        let mut sink = FoldSink { acc: Some(identity()), reduce };
        let error = self.drive(input, &work, &mut sink);
        (sink.acc.unwrap_or_else(&identity), error)
    }

    /// Calls `f` with every block of `input`, in file order, on the calling
    /// thread while the workers parse the next batches; returns the error
    /// that ended the blocks, if any.
    ///
    /// Parsed blocks wait in one `Vec` per batch in flight (at most twice
    /// the number of threads, plus one). The vectors are reused: each grows,
    /// doubling, to the most blocks a batch has given it, so memory stays
    /// bounded by the batch size and nothing is allocated per block or per
    /// batch once they have grown. As for [`fold`](Self::fold), do not call
    /// this from inside its pool (for instance from `f`).
    pub fn blocks_in_order<'a>(
        &self,
        input: &'a [u8],
        f: impl FnMut(Block<'a>),
    ) -> Option<CaptureError> {
        let work = |mut buffer: Vec<Block<'a>>, blocks: &mut BatchBlocks<'a>| {
            buffer.extend(blocks);
            buffer
        };
        let spare = Vec::with_capacity(self.workers.max_in_flight());
        let mut sink = OrderedSink { f, spare };
        self.drive(input, &work, &mut sink)
    }

    /// Walks `input` into batches, has them parsed with `work` and handed
    /// to `sink` in order; returns the error that ended the blocks.
    fn drive<'a, S, W>(&self, input: &'a [u8], work: &W, sink: &mut S) -> Option<CaptureError>
    where
        S: Sink,
        W: Fn(S::Seed, &mut BatchBlocks<'a>) -> S::Out + Sync,
    {
        let mut cuts = match self.cuts(input) {
            Ok(cuts) => cuts?,
            Err(error) => return Some(error),
        };
        let exchange = Exchange::new(self.workers.max_in_flight());
        let job = |(batch, seed)| self.run_batch(input, batch, seed, work);
        self.workers.run(&exchange, &job, || loop {
            while exchange.has_room() {
                let Some(batch) = cuts.next() else { break };
                exchange.launch((batch, sink.seed()));
            }
            let (out, error) = exchange.next(job)?;
            sink.consume(out);
            if error.is_some() {
                exchange.discard_all(|leftover| sink.leftover(leftover));
                return error;
            }
        })
    }

    /// The walk over `input`: `None` for an empty input (no blocks),
    /// `Err` for a pcap global header that does not read.
    fn cuts<'a>(&self, input: &'a [u8]) -> Result<Option<Cuts<'a>>, CaptureError> {
        if input.is_empty() {
            return Ok(None);
        }
        let (walk, pos) = if detect(input) == Some(Format::PcapNg) {
            (Walk::PcapNg(State::new()), 0)
        } else {
            (Walk::Pcap(pcap::Header::read(input)?), pcap::HEADER_LEN)
        };
        let limits =
            Limits { record: self.pcap.record_size_limit(), block: self.pcapng.block_size_limit() };
        let batch_size = self.batch_size;
        let pcapng = self.pcapng;
        Ok(Some(Cuts { input, pos, frames: 0, walk, batch_size, limits, pcapng }))
    }

    /// Parses one batch on a worker (or on the calling thread).
    fn run_batch<'a, Seed, Out>(
        &self,
        input: &'a [u8],
        batch: Batch,
        seed: Seed,
        work: &impl Fn(Seed, &mut BatchBlocks<'a>) -> Out,
    ) -> JobResult<(Out, Option<CaptureError>)> {
        let mut blocks = BatchBlocks::new(self, input, batch);
        catch(|seed| work(seed, &mut blocks), seed).map(|out| (out, blocks.error))
    }
}

/// One batch: the blocks from `from` to the first boundary at or past
/// `to`, and the reader's state at `from`.
#[derive(Debug)]
struct Batch {
    from: usize,
    to: usize,
    start: Start,
    /// Frames before `from` (exact up to the first error, which is all that
    /// is used).
    frames_before: u64,
}

/// What a reader must know at a batch's first block.
#[derive(Debug)]
// The interface table (a few KiB) moves through the ring by value: a box
// would be one allocation per batch.
#[allow(clippy::large_enum_variant)]
enum Start {
    Pcap(pcap::Header),
    PcapNg(State),
}

/// The blocks of one batch, as the sequential reader gives them, up to its
/// end or to the first error (kept in `error`).
struct BatchBlocks<'a> {
    reader: Reader<'a>,
    len: usize,
    error: Option<CaptureError>,
    /// Frames before the next block.
    frames: u64,
}

// One per batch, on the worker's stack.
#[allow(clippy::large_enum_variant)]
enum Reader<'a> {
    Pcap(pcap::Frames<'a>),
    PcapNg(pcapng::Frames<'a>),
}

impl<'a> BatchBlocks<'a> {
    fn new(parallel: &ParallelCapture, input: &'a [u8], batch: Batch) -> Self {
        // The slice runs to the end of input, so that an error is reported
        // with the bytes the sequential reader sees.
        let rest = input.get(batch.from..).unwrap_or_default();
        let base = batch.from as u64;
        let reader = match batch.start {
            Start::Pcap(header) => {
                Reader::Pcap(pcap::Frames::records(parallel.pcap, header, rest, base))
            }
            Start::PcapNg(state) => {
                Reader::PcapNg(pcapng::Frames::resume(parallel.pcapng, state, rest, base))
            }
        };
        let (len, frames) = (batch.to - batch.from, batch.frames_before);
        Self { reader, len, error: None, frames }
    }

    /// The next block and the frames before it.
    #[inline]
    fn next_counted(&mut self) -> Option<(u64, Block<'a>)> {
        let frames = self.frames;
        let block = self.next()?;
        self.frames += u64::from(matches!(block, Block::Frame(_)));
        Some((frames, block))
    }
}

impl<'a> Iterator for BatchBlocks<'a> {
    type Item = Block<'a>;

    #[inline]
    fn next(&mut self) -> Option<Block<'a>> {
        let next = match &mut self.reader {
            Reader::Pcap(frames) if pcap::Frames::position(frames) < self.len => {
                frames.next().map(|frame| frame.map(Block::Frame))
            }
            Reader::PcapNg(frames) if pcapng::Frames::position(frames) < self.len => {
                frames.next_block()
            }
            _ => None,
        };
        match next? {
            Ok(block) => Some(block),
            Err(error) => {
                self.error = Some(error);
                None
            }
        }
    }
}

/// The size limits the walk checks (a subset of the readers' checks).
#[derive(Clone, Copy)]
struct Limits {
    record: u32,
    block: u32,
}

/// What the walk keeps between blocks.
#[allow(clippy::large_enum_variant)] // one per call
enum Walk {
    Pcap(pcap::Header),
    PcapNg(State),
}

/// How far ahead of its position the walk reads (see `touch_ahead`).
const WALK_AHEAD: usize = 4096;

/// The walk from block to block that cuts the input into batches.
struct Cuts<'a> {
    input: &'a [u8],
    pos: usize,
    /// Frames before `pos`.
    frames: u64,
    walk: Walk,
    batch_size: usize,
    limits: Limits,
    pcapng: pcapng::Parser,
}

impl Cuts<'_> {
    fn next(&mut self) -> Option<Batch> {
        let from = self.pos;
        let len = self.input.len();
        if from >= len {
            return None;
        }
        let start = match &self.walk {
            Walk::Pcap(header) => Start::Pcap(*header),
            Walk::PcapNg(state) => Start::PcapNg(state.clone()),
        };
        let frames_before = self.frames;
        let end = from.saturating_add(self.batch_size);
        while self.pos < end.min(len) {
            self.touch_ahead();
            match self.block_len() {
                // A block holds at least 12 bytes, a pcap record 16.
                Some((block_len, frame)) => {
                    self.pos += block_len;
                    self.frames += u64::from(frame);
                }
                None => self.pos = len,
            }
        }
        Some(Batch { from, to: self.pos, start, frames_before })
    }

    /// Reads the byte [`WALK_AHEAD`] bytes past `pos`, a load that nothing
    /// depends on. The walk's own loads form a chain (a block's length says
    /// where the next one starts), so alone it stalls on one cache miss at a
    /// time, at a stride the hardware prefetcher does not follow; the loads
    /// ahead have the misses overlap. Measured on 160-byte frames: the walk
    /// takes 2.5 times less time.
    #[inline]
    fn touch_ahead(&self) {
        let ahead = self.pos.saturating_add(WALK_AHEAD);
        core::hint::black_box(self.input.get(ahead).copied());
    }

    /// The length of the block at `pos` and whether it is a frame, or
    /// `None` where it cannot be framed (the sequential reader then reports
    /// an error at or before it).
    fn block_len(&mut self) -> Option<(usize, bool)> {
        let rest = self.input.get(self.pos..)?;
        match &mut self.walk {
            Walk::Pcap(header) => {
                pcap_record_len(header, self.limits.record, rest).map(|len| (len, true))
            }
            Walk::PcapNg(state) => {
                let offset = self.pos as u64;
                pcapng_block_len(self.pcapng, state, self.limits.block, rest, offset)
            }
        }
    }
}

/// The length of the pcap record at the start of `rest`, if it fits.
#[inline]
fn pcap_record_len(header: &pcap::Header, limit: u32, rest: &[u8]) -> Option<usize> {
    let head = rest.first_chunk::<RECORD_HEADER_LEN>()?;
    let captured_len = header.byte_order.u32(bytes_at(head, 8));
    let captured_len = usize::try_from(captured_len).ok().filter(|_| captured_len <= limit)?;
    let len = RECORD_HEADER_LEN.checked_add(captured_len)?;
    (len <= rest.len()).then_some(len)
}

/// The length of the pcapng block at the start of `rest` and whether it is
/// a packet block: framed by its leading length, except Section Header and
/// Interface Description Blocks, parsed in full into `state`.
#[inline]
fn pcapng_block_len(
    parser: pcapng::Parser,
    state: &mut State,
    limit: u32,
    rest: &[u8],
    offset: u64,
) -> Option<(usize, bool)> {
    let head = rest.first_chunk::<8>()?;
    let order = state.byte_order().filter(|_| bytes_at::<4, 8>(head, 0) != SHB_TYPE_BYTES);
    let parse = |state| parser.parse_block(state, rest, offset).ok().map(|(_, len)| (len, false));
    let Some(order) = order else { return parse(state) };
    let frame = match order.u32(bytes_at(head, 0)) {
        block_type::INTERFACE_DESCRIPTION => return parse(state),
        block_type::ENHANCED_PACKET | block_type::SIMPLE_PACKET | block_type::PACKET => true,
        _ => false,
    };
    let length = order.u32(bytes_at(head, 4));
    let framed = length % 4 == 0 && length >= 12 && length <= limit;
    let length = usize::try_from(length).ok().filter(|_| framed)?;
    (length <= rest.len()).then_some((length, frame))
}

/// What a batch thrown away held: its job, or its result.
type Thrown<Seed, Out> = Leftover<(Batch, Seed), (Out, Option<CaptureError>)>;

/// What the calling thread does with the batches' results.
trait Sink {
    /// What a worker starts a batch from (a reused buffer, or nothing).
    type Seed: Send;
    /// A batch's result.
    type Out: Send;
    fn seed(&mut self) -> Self::Seed;
    fn consume(&mut self, out: Self::Out);
    /// Takes back what a batch thrown away held.
    fn leftover(&mut self, leftover: Thrown<Self::Seed, Self::Out>);
}

struct FoldSink<T, R> {
    /// `None` only while `reduce` runs.
    acc: Option<T>,
    reduce: R,
}

impl<T: Send, R: FnMut(T, T) -> T> Sink for FoldSink<T, R> {
    type Seed = ();
    type Out = T;

    fn seed(&mut self) {}

    fn consume(&mut self, batch: T) {
        self.acc = self.acc.take().map(|acc| (self.reduce)(acc, batch));
    }

    fn leftover(&mut self, _: Thrown<(), T>) {}
}

struct OrderedSink<'a, F> {
    f: F,
    spare: Vec<Vec<Block<'a>>>,
}

impl<'a, F: FnMut(Block<'a>)> Sink for OrderedSink<'a, F> {
    type Seed = Vec<Block<'a>>;
    type Out = Vec<Block<'a>>;

    fn seed(&mut self) -> Vec<Block<'a>> {
        self.spare.pop().unwrap_or_default()
    }

    fn consume(&mut self, mut blocks: Vec<Block<'a>>) {
        blocks.drain(..).for_each(&mut self.f);
        self.spare.push(blocks);
    }

    fn leftover(&mut self, leftover: Thrown<Self::Seed, Self::Out>) {
        let (Leftover::Job((_, mut blocks)) | Leftover::Result((mut blocks, _))) = leftover;
        blocks.clear();
        self.spare.push(blocks);
    }
}
