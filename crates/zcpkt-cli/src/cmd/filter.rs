//! `zcpkt filter`: copy the packets that match, byte for byte.

use std::io::{self, IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use zcpkt::proto::filter::Filter;
use zcpkt::{Packet, PacketFlags, Record};

use crate::cmd::capture::{is_capture, report_damage};
use crate::cmd::filter_capture::FrameFilter;
use crate::error::{CliError, Outcome};
use crate::input::{for_each_input_event, CaptureEvent, Input, InputArgs, ReadOptions};
use crate::output::{self, AtomicFile};
use crate::time::parse_time;

/// Copy the valid packets that match every condition to OUT, byte for byte.
///
/// Packets are written as their original bytes (no re-encoding); packets
/// with any error are never written.
///
/// OUT appears only once complete (written under a temporary name, then
/// renamed). On damaged input, without --recover, filter stops at the first
/// error, leaves no output file and exits 1; with --recover it skips the
/// damage, writes OUT and still exits 1. A one-line summary goes to stderr.
///
/// Times (--since, --until) are microseconds since the Unix epoch or UTC
/// ISO-8601 such as 2024-01-01, 2024-01-01T00:00:00Z or
/// 2024-01-01T00:00:00.000001Z (years past 9999 in ISO's expanded form,
/// +10000-01-01, as zcpkt prints them).
///
/// pcap and pcapng input (detected by magic) is filtered per frame by
/// --interface, --since/--until and --expr; --source, --dest and --flags
/// are PKT's and refused there, --expr and --interface are refused on PKT,
/// and --interface is refused on pcap.
/// pcap is written as little-endian pcap with the input's link type (FCS
/// bits included), snap length and time precision; pcapng section by
/// section, in each section's byte order, with its section header and every
/// interface block copied with all their options (names, if_tsresol,
/// if_tsoffset, if_fcslen, ...), each kept frame as an Enhanced Packet
/// Block with all its options
/// (comments, epb_flags, ...; a Simple Packet Block stays one), and the
/// statistics, name resolution, decryption secrets and copyable custom
/// blocks. Either way the frames' bytes, lengths, timestamps and interface
/// IDs are the original ones.
///
/// --expr takes a display filter over the fields of `zcpkt fields`:
/// `ip.src == 10.0.0.1 && (tcp.dstport == 443 || udp.dstport == 53)`, with
/// `==`, `!=`, `&&`, `||` and parentheses; values are integers (decimal or
/// 0x hex), IPv4/IPv6 addresses or MACs. As in Wireshark 4, `==` holds if
/// ANY occurrence of the field (QinQ tags, VXLAN's inner headers) equals the
/// value, `!=` if the field occurs and NONE does; a frame without the field
/// matches neither.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,

    /// Where to write the matching packets; `-` for standard output.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// Keep packets from this source (exact match; repeat for any of several).
    #[arg(long, value_name = "ID")]
    pub source: Vec<String>,

    /// Keep packets to this destination (exact match; repeat for any of several).
    #[arg(long, value_name = "ID")]
    pub dest: Vec<String>,

    /// Keep packets with TIMESTAMP at or after T.
    #[arg(long, value_name = "T", value_parser = parse_time)]
    pub since: Option<u64>,

    /// Keep packets with TIMESTAMP before T (so consecutive ranges do not
    /// overlap).
    #[arg(long, value_name = "T", value_parser = parse_time)]
    pub until: Option<u64>,

    /// Keep packets with all these flags: a comma list of COMPRESSED,
    /// ENCRYPTED, PRIORITY, FRAGMENT (case-insensitive).
    #[arg(long, value_name = "F", value_parser = parse_flags)]
    pub flags: Option<PacketFlags>,

    /// Skip damaged input instead of stopping at the first error (pcap and
    /// pcapng files: re-synchronise at the next plausible block or record,
    /// as `zcpkt check` does, from a file or a pipe); only whole
    /// frames the reader accepted are
    /// written, and each damage is one line on standard error).
    #[arg(long)]
    pub recover: bool,

    /// pcapng: keep frames of interface N (repeat for any of several). A
    /// usage error on pcap, which has no interfaces (frame.interface_id is
    /// empty there).
    #[arg(long, value_name = "N")]
    pub interface: Vec<u32>,

    /// pcap/pcapng: keep frames matching this display filter (see above).
    #[arg(short = 'f', long = "expr", value_name = "EXPR", value_parser = parse_expr)]
    pub expr: Option<Box<Filter>>,
}

/// Boxed: a parsed filter is a fixed array of nodes (about 2 KiB), too big
/// to sit in every command's arguments.
fn parse_expr(text: &str) -> Result<Box<Filter>, String> {
    text.parse().map(Box::new).map_err(|e| format!("invalid expression: {e}"))
}

pub fn parse_flags(text: &str) -> Result<PacketFlags, String> {
    text.split(',').try_fold(PacketFlags::empty(), |flags, name| {
        let name = name.trim();
        PacketFlags::NAMED
            .iter()
            .find(|(_, known)| known.eq_ignore_ascii_case(name))
            .map(|(flag, _)| flags | *flag)
            .ok_or_else(|| {
                format!(
                    "unknown flag '{name}': expected COMPRESSED, ENCRYPTED, PRIORITY or FRAGMENT"
                )
            })
    })
}

impl Args {
    fn matches(&self, p: &Packet<'_>) -> bool {
        let any_of =
            |wanted: &[String], id: &str| wanted.is_empty() || wanted.iter().any(|w| w == id);
        any_of(&self.source, p.source_id)
            && any_of(&self.dest, p.dest_id)
            && self.since.map_or(true, |t| p.timestamp >= t)
            && self.until.map_or(true, |t| p.timestamp < t)
            && p.flags.contains(self.flags.unwrap_or(PacketFlags::empty()))
    }
}

/// Standard output, or a file that is renamed into place on success.
pub(crate) enum Sink {
    Stdout(io::BufWriter<io::StdoutLock<'static>>),
    File(AtomicFile),
}

impl Sink {
    fn open(path: &Path) -> Result<Self, CliError> {
        if path.as_os_str() != "-" {
            return AtomicFile::create(path).map(Self::File);
        }
        if io::stdout().is_terminal() {
            return Err(CliError::usage("refusing to write binary packets to a terminal"));
        }
        Ok(Self::Stdout(output::stdout()))
    }

    pub(crate) fn writer(&mut self) -> &mut dyn Write {
        match self {
            Self::Stdout(out) => out,
            Self::File(file) => file,
        }
    }

    pub(crate) fn finish(self) -> Result<(), CliError> {
        match self {
            Self::Stdout(mut out) => out.flush().map_err(CliError::stdout),
            Self::File(file) => file.commit(),
        }
    }

    pub(crate) fn name(&self) -> String {
        match self {
            Self::Stdout(_) => "standard output".into(),
            Self::File(file) => crate::text::ShownPath(file.path()).to_string(),
        }
    }
}

#[derive(Default)]
struct Counts {
    total: u64,
    matched: u64,
    errors: u64,
}

pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let input = Input::new(args.input.file.clone());
    let mut opts = ReadOptions::new(&args.input, args.recover);
    opts.recover_captures = args.recover;
    opts.progress = !output::stdout_is_terminal();
    let mut sink = Sink::open(&args.output)?;
    let mut counts = Counts::default();
    let mut first_error = None;
    let mut write_error = None;
    let mut frames = FrameFilter::new(args);
    let mut pkt_options_refused = false;
    // Damage read past is reported as met: hostile input can hold one every
    // few bytes, too many to keep.
    let mut damage_met = 0u64;
    let mut skipped = 0;
    let summary = for_each_input_event(&input, &opts, |event| match event {
        CaptureEvent::Block(block) => frames.block(sink.writer(), &block),
        CaptureEvent::Damage(error) => {
            report_damage(&input, &error);
            damage_met += 1;
            ControlFlow::Continue(())
        }
        CaptureEvent::Skipped(range) => {
            skipped += range.len;
            ControlFlow::Continue(())
        }
        CaptureEvent::PcapHeader(header) => frames.pcap_header(sink.writer(), &header),
        CaptureEvent::Pkt(_) if !args.interface.is_empty() || args.expr.is_some() => {
            pkt_options_refused = true;
            ControlFlow::Break(())
        }
        CaptureEvent::Pkt(record) => match record {
            Record::Packet(p) => {
                counts.total += 1;
                if !(p.is_valid() && args.matches(&p)) {
                    return ControlFlow::Continue(());
                }
                counts.matched += 1;
                output::keep_going(sink.writer().write_all(p.as_bytes()), &mut write_error)
            }
            Record::Error(error) => {
                counts.errors += 1;
                first_error = first_error.or(Some(error));
                if args.recover {
                    ControlFlow::Continue(())
                } else {
                    ControlFlow::Break(())
                }
            }
            Record::Skipped(_) => ControlFlow::Continue(()),
        },
    })?;
    if pkt_options_refused {
        return Err(CliError::usage(format!(
            "{input}: --expr and --interface filter pcap and pcapng frames, not PKT packets"
        )));
    }
    if is_capture(summary.format) {
        // Strict reading ends at its one damage, which is reported last.
        let strict = summary.error.filter(|_| damage_met == 0);
        return frames.finish(&input, sink, strict, damage_met, skipped);
    }
    if let Some(e) = write_error {
        return Err(CliError::io(format!("cannot write {}", sink.name()), e));
    }
    finish(args, sink, &counts, first_error)
}

fn finish(
    args: &Args,
    sink: Sink,
    counts: &Counts,
    first_error: Option<zcpkt::Error>,
) -> Result<Outcome, CliError> {
    if let Some(error) = first_error.filter(|_| !args.recover) {
        // Dropping an uncommitted file removes its temporary: no
        // half-filtered output. Standard output keeps what it was sent.
        let note = match sink {
            Sink::File(_) => "no output written",
            Sink::Stdout(_) => "output is incomplete",
        };
        if let Sink::Stdout(_) = sink {
            sink.finish()?;
        }
        report(&format!("{error}; {note} (--recover skips damaged input)"));
        return Ok(Outcome::ErrorsFound);
    }
    let name = sink.name();
    sink.finish()?;
    let (matched, total) = (counts.matched, counts.total);
    let errors = match first_error {
        Some(first) => format!("; skipped {} errors, the first at {first}", counts.errors),
        None => String::new(),
    };
    report(&format!("{matched} of {total} packets matched, written to {name}{errors}"));
    Ok(Outcome::from_errors(counts.errors))
}

pub(crate) fn report(line: &str) {
    let _ = writeln!(io::stderr(), "zcpkt filter: {line}");
}
