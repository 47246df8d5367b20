//! `zcpkt fields`: per-frame fields of a pcap or pcapng capture, printed as
//! `tshark -T fields` prints them (shared/spec/fields.md).
//!
//! The command only formats: containers are read by `zcpkt::pcap` and
//! `zcpkt::pcapng`, protocol fields are decoded and written by
//! `zcpkt::proto::fields`.

use std::io::{self, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use zcpkt::parallel::capture::ParallelCapture;
use zcpkt::pcapng::Block;
use zcpkt::proto::fields::{self as pf, write_fields, FieldName, FrameInfo};
use zcpkt::proto::Layers;
use zcpkt::source::mmap::MappedFile;
use zcpkt::{detect, CaptureError, Format, Frame};

use crate::capture_fold::small_frames;
use crate::error::{CliError, Outcome};
use crate::input::{
    default_threads, open, opened_events, CaptureEvent, Input, Opened, ReadOptions, PARALLEL_CHUNK,
};
use crate::output;

/// Print fields of every frame of a pcap or pcapng capture, like
/// `tshark -T fields`.
///
/// One line per frame, the `-e` fields in the order given, separated by the
/// separator; a field the frame lacks is an empty cell, one that occurs more
/// than once (QinQ tags, VXLAN's inner headers, the IP header an ICMP error
/// quotes) gives every occurrence, outer first, joined by the aggregator.
/// The output is byte for byte what `tshark -n -o
/// tcp.desegment_tcp_streams:FALSE -o ip.defragment:FALSE -o
/// ipv6.defragment:FALSE -T fields -E occurrence=a` prints with the same
/// `-e` and `-E` options (except the default aggregator, `;` here).
///
/// Fields: frame.number, frame.time_epoch, frame.len, frame.cap_len,
/// frame.interface_id, frame.section_number, eth.src, eth.dst, eth.type,
/// vlan.id, ip.src, ip.dst, ip.proto, ip.flags.mf, ip.frag_offset,
/// ipv6.src, ipv6.dst, ipv6.nxt, tcp.srcport, tcp.dstport, tcp.len,
/// udp.srcport, udp.dstport, udp.length, icmp.type, icmpv6.type.
///
/// PKT captures have none of these fields (no link layer, no interfaces)
/// and are refused (exit 2); use `zcpkt dump` for them.
///
/// Exit status: 0 when the whole capture was read; 1 when it is damaged
/// (every frame before the damage is printed, then one line on standard
/// error with the byte offset); 2 on a usage error, an unknown field, or an
/// input that cannot be read or is not a pcap or pcapng capture.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The capture to read (pcap or pcapng); `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// A field to print (repeatable; at least one). See the list above.
    #[arg(short = 'e', value_name = "FIELD", required = true, value_parser = parse_field)]
    pub fields: Vec<FieldName>,

    /// Output option, as tshark's: `header=y|n` (print the field names
    /// first), `separator=C` (default tab), `aggregator=C` (default `;`),
    /// where C is one character, `/t` (tab) or `/s` (space). `occurrence=a`
    /// and `quote=n`, the only modes supported, are accepted.
    #[arg(short = 'E', value_name = "OPTION=VALUE", value_parser = parse_option)]
    pub options: Vec<FieldsOption>,

    /// Threads that format a file's lines (default: one per core). A file
    /// of small frames is cut into batches formatted in parallel and
    /// written in order; other files, and standard input, on one thread.
    /// From 1 to 1024.
    #[arg(long, value_name = "N", value_parser = crate::input::parse_threads)]
    pub threads: Option<usize>,
}

/// One `-E` option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldsOption {
    Header(bool),
    Separator(char),
    Aggregator(char),
    /// `occurrence=a` / `quote=n`: what this command always does.
    Default,
}

fn parse_field(name: &str) -> Result<FieldName, String> {
    name.parse().map_err(|_| {
        let known: Vec<&str> = FieldName::ALL.iter().map(|f| f.as_str()).collect();
        format!("unknown field (known fields: {})", known.join(", "))
    })
}

/// tshark's spellings: `/t` is a tab, `/s` a space, else one character.
fn parse_char(value: &str) -> Result<char, String> {
    match value {
        "/t" => Ok('\t'),
        "/s" => Ok(' '),
        _ => {
            let mut chars = value.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Ok(c),
                _ => Err(format!("'{value}' is not one character, /t or /s")),
            }
        }
    }
}

fn parse_option(text: &str) -> Result<FieldsOption, String> {
    let (name, value) = text.split_once('=').ok_or_else(|| "expected OPTION=VALUE".to_string())?;
    match (name, value) {
        ("header", "y") => Ok(FieldsOption::Header(true)),
        ("header", "n") => Ok(FieldsOption::Header(false)),
        ("separator", v) => parse_char(v).map(FieldsOption::Separator),
        ("aggregator", v) => parse_char(v).map(FieldsOption::Aggregator),
        ("occurrence", "a") | ("quote", "n") => Ok(FieldsOption::Default),
        ("header" | "occurrence" | "quote", _) => Err(format!("unsupported value for {name}")),
        _ => Err("unknown option (header, separator, aggregator)".to_string()),
    }
}

/// The `-E` options in effect (a later option overrides an earlier one, as
/// in tshark).
struct Layout {
    header: bool,
    separator: char,
    aggregator: char,
}

impl Layout {
    fn new(options: &[FieldsOption]) -> Self {
        let mut layout = Self { header: false, separator: '\t', aggregator: ';' };
        for option in options {
            match *option {
                FieldsOption::Header(on) => layout.header = on,
                FieldsOption::Separator(c) => layout.separator = c,
                FieldsOption::Aggregator(c) => layout.aggregator = c,
                FieldsOption::Default => {}
            }
        }
        layout
    }
}

pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let input = Input::new(args.file.clone());
    let layout = Layout::new(&args.options);
    let mut out = output::stdout();
    // One line buffer for the whole run: no allocation per frame once it has
    // grown to the longest line.
    let mut line = String::with_capacity(256);
    let mut header_due = layout.header;
    let mut number = 0u64;
    let opened = open(&input)?;
    let threads = args.threads.unwrap_or_else(default_threads).max(1);
    let parallel = match &opened {
        Opened::Mapped(map, _) if threads > 1 => {
            let format = detect(map.as_bytes()).filter(|&f| small_frames(map.as_bytes(), f));
            format.map(|format| (map, format))
        }
        _ => None,
    };
    let damage = if let Some((map, format)) = parallel {
        if std::mem::take(&mut header_due) {
            write_header(&mut out, &args.fields, layout.separator).map_err(CliError::stdout)?;
        }
        let lines = Lines { fields: &args.fields, layout: &layout, container: container(format) };
        lines.in_parallel(map, format, threads, &mut out)?
    } else {
        for_each_frame(&input, opened, |frame, container| {
            if std::mem::take(&mut header_due) {
                write_header(&mut out, &args.fields, layout.separator)?;
            }
            number += 1;
            line.clear();
            append_line(&mut line, &args.fields, &layout, number, frame, container);
            out.write_all(line.as_bytes())
        })?
    };
    // A capture of zero frames still gets its header.
    if header_due {
        write_header(&mut out, &args.fields, layout.separator).map_err(CliError::stdout)?;
    }
    // Frames first, then the damage: a terminal shows them in that order.
    out.flush().map_err(CliError::stdout)?;
    match damage {
        None => Ok(Outcome::Clean),
        Some(error) => {
            let _ = writeln!(io::stderr(), "zcpkt: {input}: {error}");
            Ok(Outcome::ErrorsFound)
        }
    }
}

fn write_header(out: &mut impl Write, fields: &[FieldName], separator: char) -> io::Result<()> {
    let mut text = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            text.push(separator);
        }
        text.push_str(field.as_str());
    }
    text.push('\n');
    out.write_all(text.as_bytes())
}

/// Which container a frame came from: pcap has no interface IDs or
/// sections, so those fields are empty there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Container {
    Pcap,
    PcapNg,
}

/// The container of a pcap or pcapng file's frames.
fn container(format: Format) -> Container {
    match format {
        Format::PcapNg => Container::PcapNg,
        Format::Pcap | Format::Pkt => Container::Pcap,
    }
}

/// What formats a frame's line.
struct Lines<'l> {
    fields: &'l [FieldName],
    layout: &'l Layout,
    container: Container,
}

/// A batch's lines, and where its last frame starts (to release the pages
/// before it).
#[derive(Default)]
struct Batch {
    text: String,
    last: u64,
}

impl Lines<'_> {
    /// Formats the lines of a mapped file's batches on `threads` threads
    /// and writes them in file order; returns the damage, if any. After a
    /// failed write (a closed pipe) the batches still in flight are parsed
    /// but no longer formatted.
    fn in_parallel(
        &self,
        map: &MappedFile,
        format: Format,
        threads: usize,
        out: &mut impl Write,
    ) -> Result<Option<CaptureError>, CliError> {
        let parallel = ParallelCapture::new()
            .batch_size(PARALLEL_CHUNK)
            .threads(threads)
            .map_err(|e| CliError::usage(format!("cannot start {threads} threads: {e}")))?;
        let stopped = AtomicBool::new(false);
        let fold = |batch: &mut Batch, before: u64, block: Block<'_>| {
            if let Block::Frame(frame) = block {
                if !stopped.load(Ordering::Relaxed) {
                    let (fields, layout) = (self.fields, self.layout);
                    append_line(
                        &mut batch.text,
                        fields,
                        layout,
                        before + 1,
                        &frame,
                        self.container,
                    );
                }
                batch.last = frame.offset;
            }
        };
        let mut releaser = map.releaser();
        let mut write_error = None;
        let reduce = |acc: Batch, batch: Batch| {
            if write_error.is_none() {
                write_error = out.write_all(batch.text.as_bytes()).err();
                stopped.store(write_error.is_some(), Ordering::Relaxed);
            }
            releaser.reached(usize::try_from(batch.last).unwrap_or(usize::MAX));
            acc
        };
        debug_assert!(matches!(format, Format::Pcap | Format::PcapNg));
        let (_, damage) = parallel.fold_counted(map.as_bytes(), Batch::default, fold, reduce);
        match write_error {
            Some(e) => Err(CliError::stdout(e)),
            None => Ok(damage),
        }
    }
}

/// Appends the frame's fields and a newline to `line`.
fn append_line(
    line: &mut String,
    fields: &[FieldName],
    layout: &Layout,
    number: u64,
    frame: &Frame<'_>,
    container: Container,
) {
    let pcapng = container == Container::PcapNg;
    let info = FrameInfo {
        number,
        time: frame.timestamp.map(|t| pf::Timestamp { secs: t.seconds(), nanos: t.subsec_nanos() }),
        len: frame.original_len.into(),
        cap_len: frame.captured_len.into(),
        interface_id: pcapng.then_some(frame.interface_id),
        section_number: pcapng.then_some(u64::from(frame.section) + 1),
    };
    let layers = Layers::of_frame(frame);
    // Writing into a String cannot fail.
    let _ = write_fields(line, fields, &info, layers, layout.separator, layout.aggregator);
    line.push('\n');
}

/// Calls `f` with each frame of `input`, in file order, until the capture
/// ends, is damaged, or `f` fails; returns the damage, if any (`f`'s error
/// is an output error). Reading is `input.rs`'s: files memory-mapped with
/// parsed pages released, pipes streamed in bounded memory.
fn for_each_frame(
    input: &Input,
    opened: Opened,
    mut f: impl FnMut(&Frame<'_>, Container) -> io::Result<()>,
) -> Result<Option<CaptureError>, CliError> {
    let opts = ReadOptions {
        verify_checksum: false,
        max_packet: None,
        recover: false,
        recover_captures: false,
        progress: false,
        // PKT input is refused at its first record: no parallel read-ahead.
        threads: 1,
        threads_given: false,
    };
    // pcap has no sections or interface IDs: a Section Header Block is
    // what tells a pcapng frame.
    let mut container = Container::Pcap;
    let mut write_error = None;
    let mut pkt = false;
    let summary = opened_events(input, opened, &opts, false, |event| match event {
        CaptureEvent::Block(Block::Section(_)) => {
            container = Container::PcapNg;
            ControlFlow::Continue(())
        }
        CaptureEvent::Block(Block::Frame(frame)) => match f(&frame, container) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                write_error = Some(e);
                ControlFlow::Break(())
            }
        },
        // Damage and Skipped come only when recovering, which fields does not.
        CaptureEvent::Block(_)
        | CaptureEvent::PcapHeader(_)
        | CaptureEvent::Damage(_)
        | CaptureEvent::Skipped(_) => ControlFlow::Continue(()),
        CaptureEvent::Pkt(_) => {
            pkt = true;
            ControlFlow::Break(())
        }
    })?;
    if pkt || summary.format == Some(Format::Pkt) {
        return Err(CliError::usage(format!(
            "{input}: a PKT capture has no per-frame protocol fields; \
             `zcpkt fields` reads pcap and pcapng (see `zcpkt dump` for PKT)"
        )));
    }
    match write_error {
        Some(e) => Err(CliError::stdout(e)),
        None => Ok(summary.error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse_like_tsharks() {
        assert_eq!(parse_option("header=y"), Ok(FieldsOption::Header(true)));
        assert_eq!(parse_option("separator=/t"), Ok(FieldsOption::Separator('\t')));
        assert_eq!(parse_option("separator=/s"), Ok(FieldsOption::Separator(' ')));
        assert_eq!(parse_option("aggregator=,"), Ok(FieldsOption::Aggregator(',')));
        assert_eq!(parse_option("occurrence=a"), Ok(FieldsOption::Default));
        assert!(parse_option("occurrence=f").is_err());
        assert!(parse_option("separator=ab").is_err());
        assert!(parse_option("bogus=1").is_err());
        assert!(parse_field("ip.srcx").is_err());
    }
}
