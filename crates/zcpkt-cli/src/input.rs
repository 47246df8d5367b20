//! The one seam between the commands and the bytes they read.
//!
//! Every command gets its records and frames through [`for_each_input_event`]
//! or [`opened_events`] (or `crate::capture_fold` on top of them), so where
//! the bytes come from can change here without touching any command. Files, and
//! standard input when it is redirected from a regular file, are memory
//! mapped and parsed on all cores; any other standard input (a pipe, a
//! terminal) goes through the library's bounded-memory stream reader.

use std::cell::RefCell;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::ops::ControlFlow;
use std::path::PathBuf;

use zcpkt::capture_record::CaptureRecord;
use zcpkt::parallel::ParallelParser;
use zcpkt::source::capture_recover_stream::RecoveringCaptureStream;
use zcpkt::source::capture_stream::{CaptureStream, StreamCaptureError};
use zcpkt::source::mmap::{MappedFile, Releaser, SEARCH_STEP};
use zcpkt::source::stream::StreamReader;
use zcpkt::{detect, pcap, pcapng, CaptureError, Format, Parser, Record, Skipped};

use crate::error::CliError;
use crate::progress::Progress;
use crate::text::{Hex, ShownPath};
use crate::units::parse_size;

/// dump-json.md: the default maximum packet size on streamed input.
pub const STREAM_MAX_PACKET: u64 = 16 << 20;

/// A command's input: a file, or standard input for `-`.
#[derive(Clone, Debug)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn new(path: PathBuf) -> Self {
        if path.as_os_str() == "-" {
            Self::Stdin
        } else {
            Self::File(path)
        }
    }
}

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Stdin => f.write_str("standard input"),
            Self::File(path) => write!(f, "{}", ShownPath(path)),
        }
    }
}

/// `--max-packet`: a size, or `none` for no limit at all.
#[derive(Clone, Copy, Debug)]
pub struct PacketLimit(pub Option<u64>);

pub fn parse_packet_limit(text: &str) -> Result<PacketLimit, String> {
    if text.eq_ignore_ascii_case("none") {
        return Ok(PacketLimit(None));
    }
    match parse_size(text)? {
        0 => Err("--max-packet must be above 0 (use 'none' for no limit)".into()),
        size => Ok(PacketLimit(Some(size))),
    }
}

/// Most threads `--threads` accepts: far more than any machine has cores
/// (each is a thread stack and a chunk in flight; thousands take minutes
/// to start, and the operating system refuses some before that).
pub const MAX_THREADS: usize = 1024;

/// Parses `--threads`: a count from 1 to [`MAX_THREADS`].
pub fn parse_threads(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("--threads must be at least 1".into()),
        Ok(n) if n <= MAX_THREADS => Ok(n),
        Ok(_) => Err(format!("--threads must be at most {MAX_THREADS}")),
        Err(e) => Err(format!("'{text}' is not a thread count: {e}")),
    }
}

/// The reading options every command shares.
#[derive(clap::Args, Clone, Debug)]
pub struct InputArgs {
    /// The capture to read; `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Do not verify payload checksums (faster; ChecksumMismatch is then
    /// never reported, and `dump --json` gives `"payload_crc_ok":null`:
    /// not checked).
    #[arg(long)]
    pub no_crc: bool,

    /// Largest packet (HEADER_LEN + PAYLOAD_LEN) to accept; larger ones are
    /// TooLarge errors. Takes sizes like 65536, 64KiB, 16MiB, or `none`.
    /// Default: no limit on files (standard input redirected from a file
    /// included), 16MiB on other standard input (pipes).
    #[arg(long, value_name = "BYTES", value_parser = parse_packet_limit)]
    pub max_packet: Option<PacketLimit>,

    /// Threads that parse a file (default: one per core). Files, and
    /// standard input redirected from one, are memory mapped and parsed on
    /// all cores; other standard input (pipes) is streamed on one. pcap and
    /// pcapng: `info`, `check` and `stats` read files on one core (their
    /// work per frame is too light for threads to pay, measured) unless
    /// `--threads` is given. From 1 to 1024.
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,
}

/// Bytes per parallel chunk for files (also what `zcpkt bench` uses): the
/// chunks in flight ahead of the releaser stay a few MiB.
pub const PARALLEL_CHUNK: usize = 512 << 10;

/// Bytes per parallel chunk when records are delivered in file order. The
/// consumer releases the map behind it in 2 MiB blocks, and the chunks in
/// flight ahead of it (threads + 2) must stay within the next block or so:
/// with 512 KiB chunks a 1 GiB `check` on two threads peaked at 8 or 10.2 MB
/// from run to run (one more 2 MiB folio mapped), with 256 KiB at 8.0 MB
/// every time, as fast.
pub const ORDERED_CHUNK: usize = 256 << 10;

/// One parsing thread per core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// How to read an input.
#[derive(Clone, Copy, Debug)]
pub struct ReadOptions {
    pub verify_checksum: bool,
    /// `None`: the default for the kind of input.
    pub max_packet: Option<PacketLimit>,
    /// Go on past errors that lose framing (dump-json.md `--recover`).
    pub recover: bool,
    /// Read pcap and pcapng captures past damage too (the recovering
    /// readers, over the map or a stream), handing out
    /// [`CaptureEvent::Damage`] and [`CaptureEvent::Skipped`].
    pub recover_captures: bool,
    /// Whether a progress bar may be shown (callers say no when their own
    /// output goes to the same terminal).
    pub progress: bool,
    /// Threads parsing a file; 1 parses sequentially.
    pub threads: usize,
    /// Whether `--threads` was given: then even the commands for which the
    /// measurements say it does not pay fold frames in parallel.
    pub threads_given: bool,
}

impl ReadOptions {
    pub fn new(args: &InputArgs, recover: bool) -> Self {
        Self {
            verify_checksum: !args.no_crc,
            max_packet: args.max_packet,
            recover,
            recover_captures: false,
            progress: true,
            threads: args.threads.unwrap_or_else(default_threads).max(1),
            threads_given: args.threads.is_some(),
        }
    }

    /// The parser for a mapped input (no default maximum) or a streamed one
    /// ([`STREAM_MAX_PACKET`]); `--max-packet` overrides either.
    fn parser(&self, streamed: bool) -> Parser {
        let default = streamed.then_some(STREAM_MAX_PACKET);
        let limit = self.max_packet.map_or(default, |limit| limit.0);
        Parser::new().verify_checksum(self.verify_checksum).max_packet_size(limit)
    }
}

/// What the reader saw of the input as a whole.
#[derive(Clone, Copy, Debug)]
pub struct InputSummary {
    /// Bytes of input read: its whole size when the records ran to the end.
    pub bytes: u64,
}

/// Standard input as a `File`, when it is a regular file positioned at its
/// start (a shell's `< file`), so that it can be mapped; `None` for anything
/// else (pipes, terminals, a file already partly read), which is streamed.
#[cfg(unix)]
fn stdin_as_regular_file() -> Option<File> {
    use std::io::Seek;
    use std::os::fd::AsFd;

    let fd = io::stdin().as_fd().try_clone_to_owned().ok()?;
    let mut file = File::from(fd);
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    // A map starts at the file's first byte; a stream at its position.
    (file.stream_position().ok()? == 0).then_some(file)
}

#[cfg(not(unix))]
fn stdin_as_regular_file() -> Option<File> {
    None
}

/// A memory-mapped file, parsed on `opts.threads` cores, records handed to
/// `f` in file order; parsed pages are released so resident memory stays
/// small whatever the file's size.
fn records_of_map(
    map: &MappedFile,
    parser: Parser,
    opts: &ReadOptions,
    mut f: impl FnMut(Record<'_>) -> ControlFlow<()>,
) -> Result<InputSummary, CliError> {
    let total = map.len() as u64;
    let mut progress = Progress::new(Some(total), opts.progress);
    // Shared by the record visitor and the re-synchronisation's progress.
    let releaser = RefCell::new(map.releaser());
    let mut stopped = false;
    let parallel = opts.threads > 1;
    let mut visit = |record: Record<'_>| {
        if stopped {
            return;
        }
        let offset = record_offset(&record);
        progress.set(offset);
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        releaser.borrow_mut().reached(offset);
        stopped = f(record).is_break();
    };
    if parallel {
        // Small chunks: the chunks in flight ahead of the releaser stay
        // a few MiB, so resident memory stays small on any file size.
        let parallel = ParallelParser::new(parser)
            .recover(opts.recover)
            .chunk_size(ORDERED_CHUNK)
            .threads(opts.threads)
            .map_err(|e| CliError::usage(format!("cannot start {} threads: {e}", opts.threads)))?;
        // A long recovery releases pages as it searches, not only at its end.
        let searching = |at, read_to| releaser.borrow_mut().searching(at, read_to);
        // Its checksum reads far ahead of the search are positioned reads,
        // which map nothing (see `MappedFile::positioned_reader`).
        let mut far = map.positioned_reader();
        // A huge packet's payload is released as it is hashed, on whichever
        // thread parses it (only its inside: see `interior_releaser`).
        let hashing = map.interior_releaser();
        parallel.records_in_order_hashing(map.as_bytes(), visit, searching, &mut far, hashing);
    } else {
        map.records(parser, opts.recover).for_each(&mut visit);
    }
    progress.finish();
    Ok(InputSummary { bytes: total })
}

/// Streams records in bounded memory: the reader's buffer holds at most one
/// packet of the maximum size (16 MiB by default on piped standard input).
fn records_of_stream(
    reader: impl Read,
    parser: Parser,
    opts: &ReadOptions,
    mut f: impl FnMut(Record<'_>) -> ControlFlow<()>,
) -> io::Result<InputSummary> {
    // A stream cannot be unbounded by default; `--max-packet none` means
    // the user accepts buffering whatever a header claims.
    let parser = parser.max_packet_size(Some(parser.packet_size_limit().unwrap_or(u64::MAX)));
    let mut reader = StreamReader::new(reader).with_parser(parser).recover(opts.recover);
    let mut progress = Progress::new(None, opts.progress);
    while let Some(record) = reader.next_record() {
        let record = record?;
        progress.set(record_offset(&record));
        if f(record).is_break() {
            break;
        }
    }
    progress.finish();
    Ok(InputSummary { bytes: reader.offset() })
}

/// The byte offset a record describes.
pub fn record_offset(record: &Record<'_>) -> u64 {
    match record {
        Record::Packet(packet) => packet.offset,
        Record::Error(error) => error.offset,
        Record::Skipped(skipped) => skipped.offset,
    }
}

/// One thing a capture input holds, handed out in file order by
/// [`opened_events`].
pub enum CaptureEvent<'a> {
    /// A pcapng block (sections, interfaces, packets, others); each pcap
    /// record comes as a `Block::Frame`. Borrows the input (or the stream's
    /// buffer) for the call only.
    Block(pcapng::Block<'a>),
    /// A PKT record: packets and errors as the PKT readers give them
    /// without recovery.
    Pkt(Record<'a>),
    /// A pcap file's global header, before its first frame (or at the end
    /// of a file of no frames). Only [`for_each_input_event`] gives it, for
    /// commands that write pcap (`filter` copies its link type, snap length
    /// and resolution).
    PcapHeader(pcap::Header),
    /// pcap/pcapng damage read past (only with `recover_captures`): the
    /// error the strict reader gives there. A `Skipped` follows.
    Damage(CaptureError),
    /// The bytes passed over after a `Damage`.
    Skipped(Skipped),
}

/// What [`opened_events`] saw of the input as a whole.
#[derive(Clone, Copy, Debug)]
pub struct CaptureSummary {
    /// The format by magic; `None` for an empty input (zero frames).
    pub format: Option<Format>,
    /// The input's size in bytes (standard input is read to its end).
    pub bytes: u64,
    /// The pcap global header, when valid.
    pub pcap_header: Option<pcap::Header>,
    /// The pcap/pcapng damage that ended the frames, if any.
    pub error: Option<CaptureError>,
}

/// [`opened_events`] of `input` with `pkt_fallback`: as without it for
/// pcap and pcapng, but every other input (PKT, empty, or no known magic)
/// is read as a PKT capture (mapped and parsed on all cores, or streamed),
/// its records handed out as [`CaptureEvent::Pkt`] and its format reported
/// as `Some(Format::Pkt)`: the PKT commands (`check`, `stats`, `dump`,
/// `filter`) keep their output byte for byte on PKT input, garbage
/// included, and gain pcap/pcapng.
pub fn for_each_input_event(
    input: &Input,
    opts: &ReadOptions,
    f: impl FnMut(CaptureEvent<'_>) -> ControlFlow<()>,
) -> Result<CaptureSummary, CliError> {
    opened_events(input, open(input)?, opts, true, f)
}

/// The format to read `bytes` as: with `pkt_fallback`, anything that is not
/// pcap or pcapng is PKT (whose reader reports garbage as its own errors).
pub fn detect_input(
    input: &Input,
    bytes: &[u8],
    pkt_fallback: bool,
) -> Result<Option<Format>, CliError> {
    match detect(bytes) {
        Some(format @ (Format::Pcap | Format::PcapNg)) => Ok(Some(format)),
        _ if pkt_fallback => Ok(Some(Format::Pkt)),
        _ => detect_or_fail(input, bytes),
    }
}

/// An input ready to read: regular files (standard input redirected from
/// one included) mapped, anything else streamed.
pub enum Opened {
    /// The map, and the file for positioned reads.
    Mapped(MappedFile, File),
    Streamed(Box<dyn Read>),
}

pub fn open(input: &Input) -> Result<Opened, CliError> {
    let cannot_read = |e| CliError::io(format!("cannot read {input}"), e);
    let regular = match input {
        Input::File(path) => {
            let file = File::open(path).map_err(cannot_read)?;
            if !file.metadata().map_err(cannot_read)?.is_file() {
                return Ok(Opened::Streamed(Box::new(file)));
            }
            file
        }
        Input::Stdin => match stdin_as_regular_file() {
            Some(file) => file,
            None => return Ok(Opened::Streamed(Box::new(io::stdin().lock()))),
        },
    };
    let map = MappedFile::from_file(&regular).map_err(cannot_read)?;
    Ok(Opened::Mapped(map, regular))
}

/// Calls `f` with everything a pcap, pcapng or PKT input holds, detected by
/// magic: files (and standard input redirected from one) memory-mapped, with
/// the pages behind the reader released; other standard input streamed in
/// bounded memory. An empty input is zero frames; any other input without a
/// known magic is an error (exit 2), unless `pkt_fallback` (see
/// [`for_each_input_event`]). pcap/pcapng damage ends the events and is
/// returned in the summary; PKT errors come as `Record::Error` events.
pub fn opened_events(
    input: &Input,
    opened: Opened,
    opts: &ReadOptions,
    pkt_fallback: bool,
    f: impl FnMut(CaptureEvent<'_>) -> ControlFlow<()>,
) -> Result<CaptureSummary, CliError> {
    match opened {
        Opened::Mapped(map, _) => events_of_map(input, &map, opts, pkt_fallback, f),
        Opened::Streamed(reader) => events_of_stream(input, reader, opts, pkt_fallback, f),
    }
}

fn events_of_map(
    input: &Input,
    map: &MappedFile,
    opts: &ReadOptions,
    pkt_fallback: bool,
    mut f: impl FnMut(CaptureEvent<'_>) -> ControlFlow<()>,
) -> Result<CaptureSummary, CliError> {
    let bytes = map.as_bytes();
    let total = bytes.len() as u64;
    let format = detect_input(input, bytes, pkt_fallback)?;
    let mut releaser = map.releaser();
    let mut error = None;
    let mut pcap_header = None;
    match format {
        None => {}
        Some(Format::Pkt) => {
            records_of_map(map, opts.parser(false), opts, |record| f(CaptureEvent::Pkt(record)))?;
        }
        Some(format @ (Format::Pcap | Format::PcapNg)) if opts.recover_captures => {
            (pcap_header, error) = recovering_events(bytes, format, pkt_fallback, &mut releaser, f);
        }
        Some(Format::Pcap) => {
            let mut frames = pcap::Frames::new(pcap::Parser::new(), bytes, 0);
            let mut header_due = pkt_fallback;
            let mut stopped = false;
            while let Some(frame) = frames.next() {
                if let (true, Some(header)) = (header_due, frames.header()) {
                    header_due = false;
                    if f(CaptureEvent::PcapHeader(*header)).is_break() {
                        stopped = true;
                        break;
                    }
                }
                let flow = match frame {
                    Ok(frame) => f(CaptureEvent::Block(pcapng::Block::Frame(frame))),
                    Err(e) => {
                        error = Some(e);
                        ControlFlow::Continue(())
                    }
                };
                releaser.reached(frames.position());
                if flow.is_break() {
                    stopped = true;
                    break;
                }
            }
            pcap_header = frames.header().copied();
            if let (true, false, Some(header)) = (header_due, stopped, pcap_header) {
                let _ = f(CaptureEvent::PcapHeader(header));
            }
        }
        Some(Format::PcapNg) => {
            let mut frames = pcapng::Parser::new().frames(bytes);
            while let Some(block) = frames.next_block() {
                let flow = match block {
                    Ok(block) => f(CaptureEvent::Block(block)),
                    Err(e) => {
                        error = Some(e);
                        ControlFlow::Continue(())
                    }
                };
                releaser.reached(frames.position());
                if flow.is_break() {
                    break;
                }
            }
        }
    }
    Ok(CaptureSummary { format, bytes: total, pcap_header, error })
}

/// A mapped pcap or pcapng capture read past damage: its events in file
/// order, as the strict readers' path gives them plus `Damage` and
/// `Skipped`. Returns the pcap header and the first damage.
fn recovering_events<'a>(
    bytes: &'a [u8],
    format: Format,
    pkt_fallback: bool,
    releaser: &mut Releaser<'_>,
    mut f: impl FnMut(CaptureEvent<'_>) -> ControlFlow<()>,
) -> (Option<pcap::Header>, Option<CaptureError>) {
    let mut first = None;
    let mut emit = |record: CaptureRecord<'a>| -> CaptureEvent<'a> {
        match record {
            CaptureRecord::Block(block) => CaptureEvent::Block(block),
            CaptureRecord::Error(error) => {
                first = first.or(Some(error));
                CaptureEvent::Damage(error)
            }
            CaptureRecord::Skipped(skipped) => CaptureEvent::Skipped(skipped),
        }
    };
    // A search after damage can cross a gigabyte of garbage: it runs in
    // steps, releasing the pages it has passed.
    let offset =
        |record: &CaptureRecord<'_>| usize::try_from(record.offset()).unwrap_or(usize::MAX);
    if format == Format::PcapNg {
        let mut records = pcapng::Parser::new().recovering(bytes);
        loop {
            while let Some(reached) = records.search(SEARCH_STEP) {
                releaser.reached(reached);
            }
            let Some(record) = records.next() else { break };
            releaser.reached(offset(&record));
            if f(emit(record)).is_break() {
                break;
            }
        }
        return (None, first);
    }
    let mut records = pcap::Parser::new().recovering(bytes);
    let mut header_due = pkt_fallback;
    let mut stopped = false;
    loop {
        while let Some(reached) = records.search(SEARCH_STEP) {
            releaser.reached(reached);
        }
        let Some(record) = records.next() else { break };
        releaser.reached(offset(&record));
        // The global header first, as the strict path gives it.
        if let (true, Some(header)) = (header_due, records.header()) {
            header_due = false;
            stopped = f(CaptureEvent::PcapHeader(*header)).is_break();
        }
        stopped = stopped || f(emit(record)).is_break();
        if stopped {
            break;
        }
    }
    let header = records.header().copied();
    if let (true, false, Some(header)) = (header_due, stopped, header) {
        let _ = f(CaptureEvent::PcapHeader(header));
    }
    (header, first)
}

/// The format of `bytes` by magic: `None` when empty, an error (exit 2)
/// when they start with no known magic.
fn detect_or_fail(input: &Input, bytes: &[u8]) -> Result<Option<Format>, CliError> {
    match detect(bytes) {
        Some(format) => Ok(Some(format)),
        None if bytes.is_empty() => Ok(None),
        None => Err(CliError::usage(format!(
            "{input}: unknown format (not pcap, pcapng or PKT; starts with {})",
            Hex(&bytes[..bytes.len().min(4)])
        ))),
    }
}

/// Counts the bytes read through it, so a stream's size is known even when
/// parsing stopped early.
struct Counting<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count = self.count.saturating_add(n as u64);
        Ok(n)
    }
}

/// Fills `buf` from `reader` as far as it goes; the bytes read.
fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match reader.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// A streamed capture: the first four bytes decide the format, then go back
/// in front of the rest for the reader that parses it.
fn events_of_stream(
    input: &Input,
    reader: impl Read,
    opts: &ReadOptions,
    pkt_fallback: bool,
    mut f: impl FnMut(CaptureEvent<'_>) -> ControlFlow<()>,
) -> Result<CaptureSummary, CliError> {
    let cannot_read = |e| CliError::io(format!("cannot read {input}"), e);
    let mut reader = Counting { inner: reader, count: 0 };
    // The magic; and for `for_each_input_event`'s pcap, the whole global
    // header, handed out before any frame (a stream's blocks borrow its
    // buffer, so the header cannot be asked of it while a frame is out).
    let mut head = [0u8; pcap::HEADER_LEN];
    let got = read_up_to(&mut reader, &mut head[..4]).map_err(cannot_read)?;
    let format = detect_input(input, &head[..got], pkt_fallback)?;
    let mut got = got;
    let mut stopped = false;
    if pkt_fallback && format == Some(Format::Pcap) {
        got += read_up_to(&mut reader, &mut head[got..]).map_err(cannot_read)?;
        if let Ok(header) = pcap::Header::read(&head[..got]) {
            stopped = f(CaptureEvent::PcapHeader(header)).is_break();
        }
    }
    let mut chained = io::Cursor::new(&head[..got]).chain(&mut reader);
    let mut error = None;
    let mut pcap_header = None;
    match format {
        None => {}
        Some(Format::Pkt) => {
            let read = records_of_stream(&mut chained, opts.parser(true), opts, |record| {
                stopped = f(CaptureEvent::Pkt(record)).is_break();
                if stopped {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            })
            .map_err(cannot_read)?;
            if pkt_fallback {
                // Exactly what the PKT stream reader reports.
                return Ok(CaptureSummary {
                    format,
                    bytes: read.bytes,
                    pcap_header: None,
                    error: None,
                });
            }
        }
        Some(Format::Pcap | Format::PcapNg) if opts.recover_captures => {
            let mut stream = RecoveringCaptureStream::new(&mut chained);
            let read = stream.for_each(|record| {
                stopped = f(match record {
                    CaptureRecord::Block(block) => CaptureEvent::Block(block),
                    CaptureRecord::Error(damage) => {
                        error = error.or(Some(damage));
                        CaptureEvent::Damage(damage)
                    }
                    CaptureRecord::Skipped(skipped) => CaptureEvent::Skipped(skipped),
                })
                .is_break();
                if stopped {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            });
            read.map_err(cannot_read)?;
            pcap_header = stream.pcap_header().copied();
        }
        Some(Format::Pcap | Format::PcapNg) => {
            let mut stream = CaptureStream::new(&mut chained);
            while let Some(block) = stream.next_block().filter(|_| !stopped) {
                match block {
                    Ok(block) => stopped = f(CaptureEvent::Block(block)).is_break(),
                    Err(StreamCaptureError::Input(e)) => error = Some(e),
                    Err(StreamCaptureError::Io(e)) => return Err(cannot_read(e)),
                }
                if stopped {
                    break;
                }
            }
            pcap_header = stream.pcap_header().copied();
        }
    }
    // Read what parsing left, so the size is the input's (unless the caller
    // stopped: then nobody asks for the size).
    if !stopped {
        io::copy(&mut chained, &mut io::sink()).map_err(cannot_read)?;
    }
    Ok(CaptureSummary { format, bytes: reader.count, pcap_header, error })
}
