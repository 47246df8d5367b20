//! Parsing one input on all cores, with exactly the sequential result.
//!
//! # How the work is split
//!
//! Packet boundaries cannot be found by searching for `PKT\0` alone:
//! payloads may hold those bytes, even whole valid-looking packets. A
//! sequential pass hopping from fixed header to fixed header would find them,
//! but it reads one cache line per packet at an unpredictable stride, which
//! (measured) is slower than the whole parse. So the split is speculative:
//!
//! - The input is cut into chunks at byte offsets. The worker for a chunk
//!   guesses where the first packet starting in it is (the first `PKT\0`
//!   there whose fixed header frames a packet followed by another framed
//!   packet or the end of input), parses from that guess exactly as
//!   [`Records`] would, and stops at the first packet boundary at or past the
//!   chunk's end, or before the first error that loses framing.
//! - The calling thread takes the chunks in order, knowing where the previous
//!   one really ended. A chunk whose guess is that position is exactly the
//!   sequential parse from there and is used as is. Otherwise (a fake packet
//!   fooled the guess) the chunk is thrown away and parsed again on the
//!   calling thread from the true position.
//! - At an error that loses framing, the chunks after it are thrown away and
//!   a sequential [`Records`] takes over until it has re-synchronised (its
//!   `skipped` record), where a fresh parallel pass starts. The same
//!   `Records` serves every re-synchronisation of a call
//!   ([`Records::resume_at`]), so they share its scanner's caches and their
//!   total work stays linear, as on one core.
//!
//! Every record handed out thus comes from the sequential algorithm started
//! at a true boundary with nothing pending, which is how `Records` itself
//! stands between two packets: the output is the same, record for record.
//! A wrong guess costs one chunk parsed twice; an error that loses framing
//! costs at most the chunks in flight (those no worker has started are
//! dropped unparsed).
//!
//! # Threads and allocations
//!
//! Chunks go to long-lived workers through the ring of `exchange` (a
//! private module, shared with [`capture`]): one worker per pool thread but one, the
//! calling thread parsing too whenever it would otherwise wait, so that
//! `threads` threads share `threads` cores. So the heap allocations of a
//! call are a fixed number that does not grow with the input: the ring, one
//! rayon job per worker (rayon's queue of injected jobs also allocates a block per 63
//! jobs it has ever taken), for
//! [`records_in_order`](ParallelParser::records_in_order) the per-chunk
//! record buffers (see there), and with recovery on, one checkpoint table
//! of `input.len() / 1024` bytes for the sequential re-synchronisations
//! (linear however the fake payloads' ends are scattered: see
//! [`Records::with_checkpoints`]). `tests/parallel_alloc.rs` checks this.

pub mod capture;
mod exchange;

use std::ops::Range;

use rayon::ThreadPoolBuildError;

use exchange::{catch, Exchange, JobResult, Leftover, Workers};

use crate::pkt::format::MAGIC;
use crate::pkt::{
    checkpoints_for, ErrorKind, FixedHeader, HashProgress, PacketErrors, Parser, ReadAt, Record,
    Records,
};
use crate::source::mmap::SEARCH_STEP;

/// Default bytes per chunk: enough work per task (a fraction of a
/// millisecond) that scheduling costs vanish, small enough to spread a file
/// of a few MiB over every core.
pub const DEFAULT_CHUNK_SIZE: usize = 1 << 20;

/// Parses one input on several threads; see the [module docs](self).
///
/// ```
/// use zcpkt::parallel::ParallelParser;
/// use zcpkt::{NewPacket, Parser, Record};
///
/// let mut capture = vec![0u8; 1000];
/// let mut len = 0;
/// for i in 0..10u8 {
///     len += NewPacket::new("s", "d", &[i; 40]).encode(&mut capture[len..]).unwrap();
/// }
/// capture.truncate(len);
///
/// let parallel = ParallelParser::new(Parser::new()).chunk_size(100);
/// let packets = parallel.fold(
///     &capture,
///     || 0,
///     |n, record| n + usize::from(matches!(record, Record::Packet(_))),
///     |a, b| a + b,
/// );
/// assert_eq!(packets, 10);
/// ```
#[derive(Clone, Debug)]
pub struct ParallelParser {
    parser: Parser,
    recover: bool,
    chunk_size: usize,
    workers: Workers,
}

impl ParallelParser {
    /// Parses with `parser`, without recovery, in chunks of
    /// [`DEFAULT_CHUNK_SIZE`], on rayon's global thread pool.
    pub const fn new(parser: Parser) -> Self {
        Self { parser, recover: false, chunk_size: DEFAULT_CHUNK_SIZE, workers: Workers::global() }
    }

    /// Whether to go on past errors that lose framing (as [`Records`]).
    pub const fn recover(mut self, recover: bool) -> Self {
        self.recover = recover;
        self
    }

    /// Bytes of input per parallel task (at least 1). A task parses the
    /// packets that start in its bytes, so one packet larger than a chunk
    /// leaves the next chunks with nothing to do.
    pub const fn chunk_size(mut self, bytes: usize) -> Self {
        self.chunk_size = if bytes == 0 { 1 } else { bytes };
        self
    }

    /// Parses on `threads` threads (0: one per core): the calling thread
    /// and a dedicated pool of `threads - 1`, instead of rayon's global
    /// pool (whose threads but one work with the calling thread).
    pub fn threads(mut self, threads: usize) -> Result<Self, ThreadPoolBuildError> {
        self.workers = Workers::dedicated(threads)?;
        Ok(self)
    }

    /// Calls `f` with every record of `input`, in file order: exactly the
    /// records of `Records::new(parser, input, 0, recover)`.
    ///
    /// `f` runs on the calling thread while the workers parse the next
    /// chunks (the calling thread parses too when it has no record to hand
    /// out). Parsed records wait in one `Vec` per chunk in flight (at most
    /// the number of threads plus two). The vectors are reused: each
    /// reserves room for one record per [`RECORD_SPACING`] bytes of chunk
    /// when first used, and reallocates only when a chunk holds more records
    /// than it has room for, doubling. A packet is at least 26 bytes and
    /// gives at most 3 records, so a buffer grows at most about
    /// log2(3 × 256 / 26) ≈ 5 times whatever the input's size: memory stays
    /// bounded, and nothing is allocated per packet or per chunk.
    ///
    /// The workers hold the pool's threads for the whole call: do not call
    /// this from inside the pool it runs on (for instance from `f`).
    pub fn records_in_order<'a>(&self, input: &'a [u8], f: impl FnMut(Record<'a>)) {
        self.records_in_order_searching(input, f, |_, _| {});
    }

    /// [`records_in_order`](Self::records_in_order), also calling
    /// `searching(position, read_to)` every [`SEARCH_STEP`] units of work of
    /// a re-synchronisation (positions in `input`, as
    /// [`SearchProgress`](crate::pkt::SearchProgress) gives them), so
    /// that a caller can release memory during one long search (see
    /// [`Releaser::searching`](crate::source::mmap::Releaser::searching)).
    pub fn records_in_order_searching<'a>(
        &self,
        input: &'a [u8],
        f: impl FnMut(Record<'a>),
        searching: impl FnMut(usize, usize),
    ) {
        self.records_in_order_reading(input, f, searching, &mut ());
    }

    /// [`records_in_order_searching`](Self::records_in_order_searching),
    /// with the re-synchronisations' checksum reads far ahead of their
    /// search served by `far` where it can (see
    /// [`Records::search_reading`]): for an `input` that is a memory map,
    /// e.g. with a [`MappedFile`](crate::source::mmap::MappedFile)'s
    /// [`positioned_reader`](crate::source::mmap::MappedFile::positioned_reader),
    /// so that those scattered reads do not map the pages they touch.
    /// `far` is only used on the calling thread. The records are the same.
    pub fn records_in_order_reading<'a>(
        &self,
        input: &'a [u8],
        f: impl FnMut(Record<'a>),
        searching: impl FnMut(usize, usize),
        far: &mut dyn ReadAt,
    ) {
        self.records_in_order_hashing(input, f, searching, far, ());
    }

    /// [`records_in_order_reading`](Self::records_in_order_reading), with
    /// every payload larger than [`HASH_PIECE`](crate::pkt::HASH_PIECE)
    /// hashed in pieces, a clone of `hashing` hearing how far each got (see
    /// [`Parser::parse_packet_hashing`]), on whichever thread parses it: for
    /// an `input` that is a memory map, e.g. with a
    /// [`MappedFile`](crate::source::mmap::MappedFile)'s
    /// [`interior_releaser`](crate::source::mmap::MappedFile::interior_releaser),
    /// so that one huge packet is not resident all at once. The records are
    /// the same.
    pub fn records_in_order_hashing<'a, H: HashProgress + Clone + Sync>(
        &self,
        input: &'a [u8],
        f: impl FnMut(Record<'a>),
        searching: impl FnMut(usize, usize),
        far: &mut dyn ReadAt,
        hashing: H,
    ) {
        let spare = Vec::with_capacity(self.workers.max_in_flight());
        let mut sink = OrderedSink { f, searching, spare };
        self.drive(input, &collect_chunk, &mut sink, far, &hashing);
    }

    /// Folds every record of `input` (the same records as
    /// [`records_in_order`](Self::records_in_order)) without collecting them.
    ///
    /// Each chunk is folded on a worker from `identity()` with `fold`, the
    /// chunks' results are combined with `reduce` on the calling thread, in
    /// file order. `reduce` must be associative with `identity()` as its
    /// neutral element: how the records are grouped into chunks varies. As
    /// for `records_in_order`, do not call this from inside its pool.
    pub fn fold<'a, T, ID, F, R>(&self, input: &'a [u8], identity: ID, fold: F, reduce: R) -> T
    where
        T: Send,
        ID: Fn() -> T + Sync,
        F: Fn(T, Record<'a>) -> T + Sync,
        R: FnMut(T, T) -> T,
    {
        self.fold_with_progress(input, identity, fold, reduce, |_| {})
    }

    /// [`fold`](Self::fold), calling `progress(position)` on the calling
    /// thread each time every record before `position` has been folded in.
    ///
    /// For a reader that gives back what it has finished with, e.g. a
    /// [`MappedFile`](crate::source::mmap::MappedFile)'s
    /// [`Releaser`](crate::source::mmap::Releaser): the workers only ever read a
    /// few chunks past the last position reported.
    pub fn fold_with_progress<'a, T, ID, F, R>(
        &self,
        input: &'a [u8],
        identity: ID,
        fold: F,
        reduce: R,
        progress: impl FnMut(usize),
    ) -> T
    where
        T: Send,
        ID: Fn() -> T + Sync,
        F: Fn(T, Record<'a>) -> T + Sync,
        R: FnMut(T, T) -> T,
    {
        self.fold_hashing(input, identity, fold, reduce, progress, ())
    }

    /// [`fold_with_progress`](Self::fold_with_progress), with every payload
    /// larger than [`HASH_PIECE`](crate::pkt::HASH_PIECE) hashed in pieces,
    /// a clone of `hashing` hearing how far each got (as
    /// [`records_in_order_hashing`](Self::records_in_order_hashing)). The
    /// result is the same.
    pub fn fold_hashing<'a, T, ID, F, R, H>(
        &self,
        input: &'a [u8],
        identity: ID,
        fold: F,
        reduce: R,
        progress: impl FnMut(usize),
        hashing: H,
    ) -> T
    where
        T: Send,
        ID: Fn() -> T + Sync,
        F: Fn(T, Record<'a>) -> T + Sync,
        R: FnMut(T, T) -> T,
        H: HashProgress + Clone + Sync,
    {
        let work = |(), records: &mut ChunkRecords<'a, H>| records.fold(identity(), &fold);
        let mut sink = FoldSink { acc: Some(identity()), fold: &fold, reduce, progress };
        self.drive(input, &work, &mut sink, &mut (), &hashing);
        sink.acc.unwrap_or_else(identity)
    }

    /// Starts the workers, then alternates parallel passes and sequential
    /// re-synchronisations until the end of `input`.
    fn drive<'a, S, W, H>(
        &self,
        input: &'a [u8],
        work: &W,
        sink: &mut S,
        far: &mut dyn ReadAt,
        hashing: &H,
    ) where
        S: Sink<'a>,
        W: Fn(S::Seed, &mut ChunkRecords<'a, H>) -> S::Out + Sync,
        H: HashProgress + Clone + Sync,
    {
        if input.is_empty() {
            return;
        }
        let exchange = Exchange::new(self.workers.max_in_flight());
        let parser = self.parser;
        let job = |(chunk, seed)| parse_chunk(parser, input, chunk, seed, work, hashing);
        self.workers.run(&exchange, &job, || {
            // One sequential reader for every re-synchronisation, so that
            // they share the scanner's caches, with a checkpoint table for
            // the whole input so that a recovery stays linear however the
            // fake payloads' ends are scattered (`Records::with_checkpoints`):
            // one allocation a call, and only when recovering.
            let table =
                if self.recover { vec![0; checkpoints_for(input.len())] } else { Vec::new() };
            let mut sequential =
                Records::with_checkpoints(self.parser, input, 0, self.recover, table);
            let mut start = 0;
            while start < input.len() {
                let lost_at = self.pass(&exchange, input, start, work, sink, hashing);
                sequential.resume_at(lost_at);
                let resync = self.resynchronise(&mut sequential, sink, far, hashing);
                let Some(resync) = resync else { return };
                start = resync;
            }
        });
    }

    /// Parses from `start` (a packet boundary) in parallel, handing the
    /// records to `sink` in order, up to the first error that loses framing;
    /// returns its offset (the input's length if there is none).
    fn pass<'a, S, W, H>(
        &self,
        exchange: &ChunkExchange<S::Seed, S::Out>,
        input: &'a [u8],
        start: usize,
        work: &W,
        sink: &mut S,
        hashing: &H,
    ) -> usize
    where
        S: Sink<'a>,
        W: Fn(S::Seed, &mut ChunkRecords<'a, H>) -> S::Out,
        H: HashProgress + Clone,
    {
        let mut cuts =
            Cuts { next: start, first: start, len: input.len(), chunk_size: self.chunk_size };
        let mut position = start;
        loop {
            while exchange.has_room() {
                let Some(chunk) = cuts.next() else { break };
                exchange.launch((chunk, sink.seed(chunk.to - chunk.from)));
            }
            let run_here =
                |(chunk, seed)| parse_chunk(self.parser, input, chunk, seed, work, hashing);
            let Some((out, outcome)) = exchange.next(run_here) else { return position };
            let outcome = if outcome.start == Some(position) {
                sink.consume(out);
                outcome
            } else {
                sink.discard(out);
                self.reparse(input, position..outcome.target, sink, hashing)
            };
            if let Some(lost_at) = outcome.lost_at {
                exchange.discard_all(|leftover| match leftover {
                    Leftover::Job((_, seed)) => sink.reclaim(seed),
                    Leftover::Result((out, _)) => sink.discard(out),
                });
                return lost_at;
            }
            if outcome.end > position {
                position = outcome.end;
                sink.reached(position);
                cuts.skip_to(position);
            }
        }
    }

    /// Parses a chunk whose guessed start was wrong on the calling thread,
    /// from its true start.
    fn reparse<'a, S: Sink<'a>, H: HashProgress + Clone>(
        &self,
        input: &'a [u8],
        chunk: Range<usize>,
        sink: &mut S,
        hashing: &H,
    ) -> Outcome {
        let mut records =
            ChunkRecords::new(self.parser, input, chunk.start, chunk.end, hashing.clone());
        for record in &mut records {
            sink.record(record);
        }
        records.outcome()
    }

    /// Runs the sequential record stream (over the whole input, at the
    /// error that lost framing) until it has re-synchronised; returns
    /// where it did, or `None` at the end of input.
    fn resynchronise<'a, S: Sink<'a>, H: HashProgress + Clone>(
        &self,
        records: &mut Records<'a, Vec<u32>>,
        sink: &mut S,
        far: &mut dyn ReadAt,
        hashing: &H,
    ) -> Option<usize> {
        let mut hashing = hashing.clone();
        loop {
            while let Some(at) = records.search_reading(SEARCH_STEP, far) {
                sink.searching(at.position, at.read_to);
            }
            let record = records.next_hashing(&mut hashing)?;
            sink.record(record);
            if let Record::Skipped(skipped) = record {
                // After a `skipped` record, `Records` has nothing pending:
                // a parallel pass from the skip's end continues identically.
                let end = usize::try_from(skipped.offset + skipped.len).ok()?;
                sink.reached(end);
                return Some(end);
            }
        }
    }
}

/// Parses `chunk` speculatively with `work`, catching a panic.
fn parse_chunk<'a, Seed, Out, H: HashProgress + Clone>(
    parser: Parser,
    input: &'a [u8],
    chunk: Chunk,
    seed: Seed,
    work: &impl Fn(Seed, &mut ChunkRecords<'a, H>) -> Out,
    hashing: &H,
) -> ChunkResult<Out> {
    let mut records = ChunkRecords::speculative(parser, input, chunk, hashing.clone());
    let out = catch(|seed| work(seed, &mut records), seed);
    out.map(|out| (out, records.outcome()))
}

/// What the calling thread does with chunk results and with the records of
/// the sequential re-synchronisations.
trait Sink<'a> {
    /// What a worker starts a chunk from (a reused buffer, or nothing).
    type Seed: Send;
    /// A chunk's result.
    type Out: Send;
    /// A seed for a chunk of `chunk_len` bytes.
    fn seed(&mut self, chunk_len: usize) -> Self::Seed;
    /// Takes back the seed of a chunk that was never parsed.
    fn reclaim(&mut self, seed: Self::Seed);
    fn consume(&mut self, out: Self::Out);
    fn discard(&mut self, out: Self::Out);
    fn record(&mut self, record: Record<'a>);
    /// Everything before `position` has been consumed.
    fn reached(&mut self, _position: usize) {}
    /// A re-synchronisation is under way (see `records_in_order_searching`).
    fn searching(&mut self, position: usize, read_to: usize);
}

fn collect_chunk<'a, H: HashProgress>(
    mut buffer: Vec<Record<'a>>,
    records: &mut ChunkRecords<'a, H>,
) -> Vec<Record<'a>> {
    buffer.extend(records);
    buffer
}

/// Bytes of chunk per record that [`ParallelParser::records_in_order`]
/// reserves room for in a record buffer when it first uses it (a typical
/// small packet; larger packets leave room unused, smaller ones make the
/// buffer grow).
pub const RECORD_SPACING: usize = 256;

struct OrderedSink<'a, F, P> {
    f: F,
    searching: P,
    spare: Vec<Vec<Record<'a>>>,
}

impl<'a, F: FnMut(Record<'a>), P: FnMut(usize, usize)> Sink<'a> for OrderedSink<'a, F, P> {
    type Seed = Vec<Record<'a>>;
    type Out = Vec<Record<'a>>;

    fn seed(&mut self, chunk_len: usize) -> Vec<Record<'a>> {
        let mut buffer = self.spare.pop().unwrap_or_default();
        buffer.reserve(chunk_len / RECORD_SPACING + 1);
        buffer
    }

    fn reclaim(&mut self, buffer: Vec<Record<'a>>) {
        self.spare.push(buffer);
    }

    fn consume(&mut self, mut records: Vec<Record<'a>>) {
        records.drain(..).for_each(&mut self.f);
        self.spare.push(records);
    }

    fn discard(&mut self, mut records: Vec<Record<'a>>) {
        records.clear();
        self.spare.push(records);
    }

    fn record(&mut self, record: Record<'a>) {
        (self.f)(record);
    }

    fn searching(&mut self, position: usize, read_to: usize) {
        (self.searching)(position, read_to);
    }
}

struct FoldSink<'f, T, F, R, P> {
    /// `None` only while `reduce` or `fold` runs.
    acc: Option<T>,
    fold: &'f F,
    reduce: R,
    progress: P,
}

impl<'a, T, F, R, P> Sink<'a> for FoldSink<'_, T, F, R, P>
where
    T: Send,
    F: Fn(T, Record<'a>) -> T,
    R: FnMut(T, T) -> T,
    P: FnMut(usize),
{
    type Seed = ();
    type Out = T;

    fn seed(&mut self, _: usize) {}

    fn reclaim(&mut self, (): ()) {}

    fn consume(&mut self, chunk: T) {
        self.acc = self.acc.take().map(|acc| (self.reduce)(acc, chunk));
    }

    fn discard(&mut self, _: T) {}

    fn record(&mut self, record: Record<'a>) {
        self.acc = self.acc.take().map(|acc| (self.fold)(acc, record));
    }

    fn reached(&mut self, position: usize) {
        (self.progress)(position);
    }

    // The `skipped` record still to come lies before the search's position,
    // so nothing is reported until it is folded in.
    fn searching(&mut self, _: usize, _: usize) {}
}

/// Cuts the input into chunks at byte offsets.
struct Cuts {
    next: usize,
    /// Where the pass starts: the one chunk start known to be a boundary.
    first: usize,
    len: usize,
    chunk_size: usize,
}

/// A chunk: where its packets should start, and the boundary it parses to.
#[derive(Clone, Copy, Debug)]
struct Chunk {
    from: usize,
    to: usize,
    known_boundary: bool,
}

impl Cuts {
    /// The records are known up to `boundary`: if no chunk has been cut
    /// past it yet (a packet larger than the chunks in flight), the next
    /// chunk starts there, a known boundary, instead of cutting (and
    /// reading, to guess a start) chunks inside that packet's bytes.
    fn skip_to(&mut self, boundary: usize) {
        if boundary > self.next {
            self.next = boundary;
            self.first = boundary;
        }
    }

    fn next(&mut self) -> Option<Chunk> {
        let from = self.next;
        if from >= self.len {
            return None;
        }
        self.next = from.saturating_add(self.chunk_size).min(self.len);
        Some(Chunk { from, to: self.next, known_boundary: from == self.first })
    }
}

/// How a chunk's parse went.
#[derive(Clone, Copy, Debug)]
struct Outcome {
    /// Where it started parsing (`None`: no plausible packet start found).
    start: Option<usize>,
    /// The boundary it was to reach.
    target: usize,
    /// Where it stopped: the first boundary at or past `target`, or the
    /// position of an error that loses framing.
    end: usize,
    /// The position of the error that stopped it, if one did.
    lost_at: Option<usize>,
}

/// The records from a packet boundary up to the first boundary at or past a
/// target, or up to (not including) the first error that loses framing:
/// exactly what [`Records`] yields over that span. `hashing` hears how far
/// the hashing of each huge payload got.
struct ChunkRecords<'a, H> {
    parser: Parser,
    input: &'a [u8],
    start: Option<usize>,
    pos: usize,
    target: usize,
    pending_errors: Option<PacketErrors>,
    lost_at: Option<usize>,
    hashing: H,
}

impl<'a, H: HashProgress> ChunkRecords<'a, H> {
    fn new(parser: Parser, input: &'a [u8], start: usize, target: usize, hashing: H) -> Self {
        let (start, pos, lost_at, pending_errors) = (Some(start), start, None, None);
        Self { parser, input, start, pos, target, pending_errors, lost_at, hashing }
    }

    /// Parses `chunk` from a guessed start (nothing if there is none).
    fn speculative(parser: Parser, input: &'a [u8], chunk: Chunk, hashing: H) -> Self {
        let start = if chunk.known_boundary {
            Some(chunk.from)
        } else {
            plausible_packet_start(input, chunk.from, chunk.to)
        };
        let mut records = Self::new(parser, input, start.unwrap_or(chunk.to), chunk.to, hashing);
        records.start = start;
        records
    }

    fn outcome(&self) -> Outcome {
        Outcome { start: self.start, target: self.target, end: self.pos, lost_at: self.lost_at }
    }
}

impl<'a, H: HashProgress> Iterator for ChunkRecords<'a, H> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        if let Some(error) = self.pending_errors.as_mut().and_then(Iterator::next) {
            return Some(Record::Error(error));
        }
        self.pending_errors = None;
        if self.lost_at.is_some() || self.pos >= self.target {
            return None;
        }
        let rest = self.input.get(self.pos..).filter(|rest| !rest.is_empty())?;
        match self.parser.parse_packet_hashing(rest, self.pos as u64, &mut self.hashing) {
            Ok(packet) => {
                self.pos += packet.len();
                if !packet.is_valid() {
                    self.pending_errors = Some(packet.errors());
                }
                Some(Record::Packet(packet))
            }
            Err(error) => match error.kind {
                ErrorKind::TooLarge { size, .. } => {
                    // TooLarge is only reported when all `size` bytes are there.
                    self.pos =
                        usize::try_from(size).map_or(self.input.len(), |size| self.pos + size);
                    Some(Record::Error(error))
                }
                _ => {
                    self.lost_at = Some(self.pos);
                    None
                }
            },
        }
    }
}

/// The first `PKT\0` in `from..to` whose fixed header frames a packet that
/// is followed by the end of input or by another framed packet. Payloads can
/// fool this; the caller checks the guess against the true boundary.
fn plausible_packet_start(input: &[u8], from: usize, to: usize) -> Option<usize> {
    let window = input.get(from..to.saturating_add(MAGIC.len() - 1).min(input.len()))?;
    memchr::memmem::find_iter(window, &MAGIC).map(|at| from + at).find(|&at| {
        framed_len(input, at)
            .is_some_and(|len| at + len == input.len() || framed_len(input, at + len).is_some())
    })
}

/// The size of the packet at `at` if its fixed header holds and all its
/// bytes are there.
fn framed_len(input: &[u8], at: usize) -> Option<usize> {
    let rest = input.get(at..).filter(|rest| !rest.is_empty())?;
    let header = FixedHeader::read(rest, at as u64).ok()?;
    usize::try_from(header.packet_len()).ok().filter(|&len| len <= rest.len())
}

type ChunkResult<T> = JobResult<(T, Outcome)>;

type ChunkExchange<Seed, Out> = Exchange<(Chunk, Seed), (Out, Outcome)>;
