//! The commands whose per-frame work is an order-free aggregate (`stats`,
//! `info`, `check`) fold a capture's frames into a [`FrameFold`]: on
//! several threads when `--threads` asks for it (the library's
//! `ParallelCapture` has workers parse batches of blocks and fold their
//! frames, the parts are merged in file order), by record headers when no
//! frame bytes are needed.

use std::fs::File;
use std::ops::ControlFlow;

use zcpkt::parallel::capture::ParallelCapture;
use zcpkt::pcap::RecordHeader;
use zcpkt::pcapng::Block;
use zcpkt::source::error::SourceError;
use zcpkt::source::mmap::MappedFile;
use zcpkt::source::record_headers::RecordHeaders;
use zcpkt::{pcap, pcapng, Format, Frame};

use crate::error::CliError;
use crate::input::{
    detect_input, open, opened_events, CaptureEvent, CaptureSummary, Input, Opened, ReadOptions,
    PARALLEL_CHUNK,
};
use crate::progress::Progress;

/// A command's aggregate over frames, which must not depend on their order
/// beyond what `merge` restores: frames are folded by batch, on several
/// threads, and the batches merged in file order.
pub trait FrameFold: Default + Send {
    /// Whether the aggregate needs only what a pcap record header says (no
    /// frame bytes): then a pcap file of large frames is read by record
    /// headers (see `zcpkt::source::record_headers`), and `record` is
    /// called instead of `frame`.
    const HEADERS_ONLY: bool = false;

    /// Adds one frame.
    fn frame(&mut self, frame: &Frame<'_>);

    /// Adds one pcap record, for a `HEADERS_ONLY` aggregate.
    fn record(&mut self, record: &RecordHeader) {
        let _ = record;
    }

    /// Adds the frames of `later`, which all come after `self`'s in the file.
    fn merge(&mut self, later: Self);
}

/// Folds the frames of `input` into an `A`, and hands every other event to
/// `other` in file order (as [`crate::input::opened_events`] does; when the
/// frames are folded in parallel, the pcap header comes first). A `Break`
/// from `other` stops the events, except that frames folded in parallel are
/// folded to the end (and the other blocks after the `Break` dropped).
///
/// Mapped pcap and pcapng files of small frames are folded on
/// `opts.threads` threads if `--threads` was given; pcap files of large frames are read by record
/// headers when `A` needs no more; anything else is read as those functions
/// read it.
pub fn fold_capture_events<A: FrameFold>(
    input: &Input,
    opts: &ReadOptions,
    pkt_fallback: bool,
    other: impl FnMut(CaptureEvent<'_>) -> ControlFlow<()>,
) -> Result<(A, CaptureSummary), CliError> {
    fold_opened_events(input, open(input)?, opts, pkt_fallback, other)
}

/// [`fold_capture_events`] of an input already opened.
pub fn fold_opened_events<A: FrameFold>(
    input: &Input,
    opened: Opened,
    opts: &ReadOptions,
    pkt_fallback: bool,
    mut other: impl FnMut(CaptureEvent<'_>) -> ControlFlow<()>,
) -> Result<(A, CaptureSummary), CliError> {
    if let Opened::Mapped(map, file) = &opened {
        let bytes = map.as_bytes();
        let format = detect_input(input, bytes, pkt_fallback)?;
        let small = format.is_some_and(|format| small_frames(bytes, format));
        match format {
            Some(format) if small && parallel(opts) => {
                return fold_mapped(map, format, opts, pkt_fallback, other);
            }
            Some(Format::Pcap) if !small && A::HEADERS_ONLY => {
                return fold_record_headers(input, file, opts, pkt_fallback, other);
            }
            _ => {}
        }
    }
    let mut frames = A::default();
    let summary = opened_events(input, opened, opts, pkt_fallback, |event| match event {
        CaptureEvent::Block(Block::Frame(frame)) => {
            frames.frame(&frame);
            ControlFlow::Continue(())
        }
        event => other(event),
    })?;
    Ok((frames, summary))
}

/// Whether to fold on several threads: only when `--threads` asks for it.
/// By default the work per frame does not outweigh the sequential walk that
/// cuts the file into batches and the merging of the batches' parts,
/// measured on 164-byte frames on the 2-core shared VM: `info` and `check`
/// (a few counters) take 45% more CPU time for no gain in wall time;
/// `stats` (a layer walk and four map updates a frame, the maps merged per
/// batch) 39% more CPU time, 1.19x faster in one run and 0.77x in another,
/// as the other core was free or not.
fn parallel(opts: &ReadOptions) -> bool {
    opts.threads > 1 && opts.threads_given
}

/// Blocks sampled at the start of a file to judge whether its frames are
/// small: whether folding it in parallel pays, or reading record headers.
const SAMPLE_BLOCKS: usize = 256;

/// The bytes those blocks must fit in: 4 KiB a block on average. With
/// larger frames the time goes to mapping the file's pages, which the
/// sequential walk that cuts the batches does alone (measured: more CPU
/// time and no gain on frames of 44 KB), and which reading record headers
/// avoids.
const SAMPLE_SPAN: usize = SAMPLE_BLOCKS * 4096;

/// Whether a pcap or pcapng capture's first [`SAMPLE_SPAN`] bytes hold at
/// least [`SAMPLE_BLOCKS`] good blocks.
pub fn small_frames(bytes: &[u8], format: Format) -> bool {
    let good = |block: Option<Result<(), zcpkt::CaptureError>>| block.is_some_and(|b| b.is_ok());
    match format {
        Format::Pcap => {
            let mut frames = pcap::Parser::new().frames(bytes);
            (0..SAMPLE_BLOCKS).all(|_| {
                frames.position() < SAMPLE_SPAN && good(frames.next().map(|f| f.map(drop)))
            })
        }
        Format::PcapNg => {
            let mut frames = pcapng::Parser::new().frames(bytes);
            (0..SAMPLE_BLOCKS).all(|_| {
                frames.position() < SAMPLE_SPAN && good(frames.next_block().map(|b| b.map(drop)))
            })
        }
        Format::Pkt => false,
    }
}

/// A batch's part: its frames folded, its other blocks kept for the
/// calling thread, where it ends (for progress and page release).
struct Part<'a, A> {
    frames: A,
    others: Vec<Block<'a>>,
    last: u64,
}

impl<A: Default> Default for Part<'_, A> {
    fn default() -> Self {
        Self { frames: A::default(), others: Vec::new(), last: 0 }
    }
}

fn fold_mapped<'m, A: FrameFold>(
    map: &'m MappedFile,
    format: Format,
    opts: &ReadOptions,
    pkt_fallback: bool,
    mut other: impl FnMut(CaptureEvent<'_>) -> ControlFlow<()>,
) -> Result<(A, CaptureSummary), CliError> {
    let bytes = map.as_bytes();
    let parallel = ParallelCapture::new()
        .batch_size(PARALLEL_CHUNK)
        .threads(opts.threads)
        .map_err(|e| CliError::usage(format!("cannot start {} threads: {e}", opts.threads)))?;
    let pcap_header = pcap::Header::read(bytes).ok().filter(|_| format == Format::Pcap);
    let mut stopped = false;
    let mut other = |event| stopped = stopped || other(event).is_break();
    if let (true, Some(header)) = (pkt_fallback, pcap_header) {
        other(CaptureEvent::PcapHeader(header));
    }
    let total = bytes.len() as u64;
    let mut progress = Progress::new(Some(total), opts.progress);
    let mut releaser = map.releaser();
    let fold = |part: &mut Part<'m, A>, block| {
        part.last = block_offset(&block);
        match block {
            Block::Frame(frame) => part.frames.frame(&frame),
            block => part.others.push(block),
        }
    };
    let reduce = |mut acc: Part<'m, A>, part: Part<'m, A>| {
        acc.frames.merge(part.frames);
        part.others.into_iter().for_each(|block| other(CaptureEvent::Block(block)));
        progress.set(part.last);
        releaser.reached(usize::try_from(part.last).unwrap_or(usize::MAX));
        acc
    };
    let (part, error) = parallel.fold(bytes, Part::default, fold, reduce);
    progress.finish();
    let summary = CaptureSummary { format: Some(format), bytes: total, pcap_header, error };
    Ok((part.frames, summary))
}

/// A pcap file read by record headers, its frames folded on this thread.
fn fold_record_headers<A: FrameFold>(
    input: &Input,
    file: &File,
    opts: &ReadOptions,
    pkt_fallback: bool,
    mut other: impl FnMut(CaptureEvent<'_>) -> ControlFlow<()>,
) -> Result<(A, CaptureSummary), CliError> {
    let cannot_read = |e| CliError::io(format!("cannot read {input}"), e);
    let total = file.metadata().map_err(cannot_read)?.len();
    let mut summary =
        CaptureSummary { format: Some(Format::Pcap), bytes: total, pcap_header: None, error: None };
    let mut frames = A::default();
    let mut records = match RecordHeaders::new(pcap::Parser::new(), file) {
        Ok(records) => records,
        Err(SourceError::Input(error)) => {
            summary.error = Some(error);
            return Ok((frames, summary));
        }
        Err(SourceError::Io(error)) => return Err(cannot_read(error)),
    };
    summary.pcap_header = Some(*records.header());
    if pkt_fallback && other(CaptureEvent::PcapHeader(*records.header())).is_break() {
        return Ok((frames, summary));
    }
    let mut progress = Progress::new(Some(total), opts.progress);
    for record in &mut records {
        match record {
            Ok(record) => {
                frames.record(&record);
                progress.set(record.offset);
            }
            Err(SourceError::Input(error)) => summary.error = Some(error),
            Err(SourceError::Io(error)) => return Err(cannot_read(error)),
        }
    }
    progress.finish();
    Ok((frames, summary))
}

/// Where a block starts.
fn block_offset(block: &Block<'_>) -> u64 {
    match block {
        Block::Frame(frame) => frame.offset,
        Block::Section(header) => header.offset,
        Block::Interface { interface, .. } => interface.offset,
        Block::Other(raw) => raw.offset,
    }
}
