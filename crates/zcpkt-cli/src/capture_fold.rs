//! The commands whose per-frame work is an order-free aggregate (`stats`,
//! `info`, `check`) fold a mapped pcap or pcapng file's frames on several
//! threads: the library's `ParallelCapture` has workers parse batches of
//! blocks and fold their frames, the parts are merged in file order.

use std::ops::ControlFlow;

use zcpkt::parallel::capture::ParallelCapture;
use zcpkt::pcapng::Block;
use zcpkt::source::mmap::MappedFile;
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
    /// Adds one frame.
    fn frame(&mut self, frame: &Frame<'_>);
    /// Adds the frames of `later`, which all come after `self`'s in the file.
    fn merge(&mut self, later: Self);
}

/// Folds the frames of `input` into an `A`, and hands every other event to
/// `other` in file order (as [`crate::input::for_each_capture_event`], or
/// with `pkt_fallback` as [`crate::input::for_each_input_event`]; when the
/// frames are folded in parallel, the pcap header comes first). A `Break`
/// from `other` stops the events, except that frames folded in parallel are
/// folded to the end (and the other blocks after the `Break` dropped).
///
/// Mapped pcap and pcapng files of small frames are folded on
/// `opts.threads` threads; anything else is read as those functions read it.
pub fn fold_capture_events<A: FrameFold>(
    input: &Input,
    opts: &ReadOptions,
    pkt_fallback: bool,
    mut other: impl FnMut(CaptureEvent<'_>) -> ControlFlow<()>,
) -> Result<(A, CaptureSummary), CliError> {
    let opened = open(input)?;
    if let Opened::Mapped(map) = &opened {
        let format = detect_input(input, map.as_bytes(), pkt_fallback)?;
        if let Some(format) = format.filter(|&f| opts.threads > 1 && pays(map.as_bytes(), f)) {
            return fold_mapped(map, format, opts, pkt_fallback, other);
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

/// Blocks sampled at the start of a file to judge whether folding it in
/// parallel pays.
const SAMPLE_BLOCKS: usize = 256;

/// The bytes those blocks must fit in: 4 KiB a block on average. With
/// larger frames the time goes to mapping the file's pages, which the
/// sequential walk that cuts the batches does alone (measured: more CPU
/// time and no gain on frames of 44 KB).
const SAMPLE_SPAN: usize = SAMPLE_BLOCKS * 4096;

/// Whether a pcap or pcapng capture's first [`SAMPLE_SPAN`] bytes hold at
/// least [`SAMPLE_BLOCKS`] good blocks.
fn pays(bytes: &[u8], format: Format) -> bool {
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

/// Where a block starts.
fn block_offset(block: &Block<'_>) -> u64 {
    match block {
        Block::Frame(frame) => frame.offset,
        Block::Section(header) => header.offset,
        Block::Interface { interface, .. } => interface.offset,
        Block::Other(raw) => raw.offset,
    }
}
