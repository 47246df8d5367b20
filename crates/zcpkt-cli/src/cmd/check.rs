//! `zcpkt check`: find every error in a capture and summarise.

use std::io::Write;

use zcpkt::{CaptureRecord, ErrorKind, Record};

use crate::capture_fold::{fold_opened_events, FrameFold};
use crate::cmd::capture::{is_capture, Framing};
use crate::cmd::check_capture;
use crate::error::{CliError, Outcome};
use crate::input::{open, CaptureEvent, Input, InputArgs, Opened, ReadOptions};
use crate::output;

/// Validate a whole capture (PKT, pcap or pcapng, by magic), going on past
/// corruption to find every error.
///
/// PKT: prints one line per error (`offset N: ...`) and per skipped byte
/// range, then a summary: packets ok, packets with errors (a framed packet
/// with a checksum mismatch, a malformed extension area, or too large),
/// errors by kind, bytes skipped and total bytes.
///
/// pcap and pcapng: every block is framed and validated to the end of the
/// file, going on past damage: one line per damage (`offset N: ...`, the
/// error the strict reader gives there) and per skipped byte range on
/// standard output, and one line per damage on standard error. Reading
/// resumes at the first byte position after the damage where a plausible
/// block (pcapng: known type, matching lengths, valid content) or record
/// (pcap: lengths within the snap length, a fraction below one second, a
/// timestamp within 30 days of the last good frame) starts and another
/// follows it or the input ends (pcap: unless such a record starts inside
/// that one's and nearer in time to the last good frame: there; a
/// record's damaged length is told from damage after it the same way). A
/// frame right before further damage is
/// skipped with it. The summary gives the format, frames ok, sections,
/// interfaces and other blocks (pcapng), the damage (`none`, or how many,
/// by kind), bytes skipped and total bytes. A piped capture is read past
/// damage as it arrives, in bounded memory, with the same result.
///
/// Exit status: 0 when the capture is clean, 1 when it holds any error,
/// 2 on a usage error or unreadable input (or a pcap/pcapng header that
/// cannot be read at all is damage at offset 0: exit 1).
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,

    /// Print the summary only.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Default)]
struct Tally {
    packets_ok: u64,
    packets_with_errors: u64,
    errors: [u64; ErrorKind::NAMES.len()],
    skipped: u64,
}

impl Tally {
    fn add(&mut self, record: &Record<'_>) {
        match record {
            Record::Packet(packet) if packet.is_valid() => self.packets_ok += 1,
            Record::Packet(_) => self.packets_with_errors += 1,
            Record::Error(error) => {
                self.errors[error.kind.index()] += 1;
                // TooLarge replaces a packet record, yet it is a framed packet.
                if error.kind.framed_packet_size().is_some() {
                    self.packets_with_errors += 1;
                }
            }
            Record::Skipped(skipped) => self.skipped += skipped.len,
        }
    }

    fn total_errors(&self) -> u64 {
        self.errors.iter().sum()
    }
}

/// pcap and pcapng frames, counted (in parallel on mapped files).
#[derive(Default)]
struct FrameCount(u64);

impl FrameFold for FrameCount {
    const HEADERS_ONLY: bool = true;

    fn frame(&mut self, _: &zcpkt::Frame<'_>) {
        self.0 += 1;
    }

    fn record(&mut self, _: &zcpkt::pcap::RecordHeader) {
        self.0 += 1;
    }

    fn merge(&mut self, later: Self) {
        self.0 += later.0;
    }
}

pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let input = Input::new(args.input.file.clone());
    let mut opts = ReadOptions::new(&args.input, true);
    opts.progress = args.quiet || !output::stdout_is_terminal();
    // A file: the strict readers first, the fast path; a damaged file is
    // read again past every damage. A pipe cannot be read again: it is
    // read past damage as it arrives.
    let opened = open(&input)?;
    let streamed = matches!(opened, Opened::Streamed(_));
    opts.recover_captures = streamed;
    let mut out = output::stdout();
    let mut tally = Tally::default();
    let mut write_error = None;
    let mut framing = Framing::default();
    let mut damage = check_capture::Tally::default();
    let (frames, summary) =
        fold_opened_events::<FrameCount>(&input, opened, &opts, true, |event| {
            let record = match event {
                CaptureEvent::Pkt(record) => record,
                CaptureEvent::Block(block) => {
                    framing.see(&block);
                    return std::ops::ControlFlow::Continue(());
                }
                // Damage and Skipped: a piped capture read past damage.
                CaptureEvent::Damage(error) => {
                    let written =
                        damage.add(&CaptureRecord::Error(error), &input, args.quiet, &mut out);
                    return output::keep_going(written, &mut write_error);
                }
                CaptureEvent::Skipped(skipped) => {
                    let written =
                        damage.add(&CaptureRecord::Skipped(skipped), &input, args.quiet, &mut out);
                    return output::keep_going(written, &mut write_error);
                }
                CaptureEvent::PcapHeader(_) => return std::ops::ControlFlow::Continue(()),
            };
            tally.add(&record);
            let written = match record {
                _ if args.quiet => Ok(()),
                Record::Packet(_) => Ok(()),
                Record::Error(error) => writeln!(out, "{error}"),
                Record::Skipped(s) => check_capture::write_skipped(&mut out, &s),
            };
            output::keep_going(written, &mut write_error)
        })?;
    framing.frames += frames.0;
    if let Some(e) = write_error {
        return Err(CliError::stdout(e));
    }
    if let (true, Some(format)) = (is_capture(summary.format), summary.format) {
        let tally = check_capture::Tally { framing, ..damage };
        match summary.error {
            // Streamed: read past every damage already.
            None => {}
            Some(_) if streamed => {}
            // Mapped: read again from the start, past every damage.
            Some(_) => {
                return match open(&input)? {
                    Opened::Mapped(map, _) => check_capture::run(&input, &map, args.quiet, &opts),
                    Opened::Streamed(_) => {
                        Err(CliError::usage(format!("{input}: changed while read")))
                    }
                };
            }
        }
        check_capture::write_summary(&mut out, format, &tally, summary.bytes)
            .and_then(|()| out.flush())
            .map_err(CliError::stdout)?;
        return Ok(Outcome::from_errors(tally.damage_count()));
    }
    write_summary(&mut out, &tally, summary.bytes)
        .and_then(|()| out.flush())
        .map_err(CliError::stdout)?;
    Ok(Outcome::from_errors(tally.total_errors()))
}

fn write_summary(out: &mut impl Write, tally: &Tally, total_bytes: u64) -> std::io::Result<()> {
    writeln!(out, "packets ok:          {}", tally.packets_ok)?;
    writeln!(out, "packets with errors: {}", tally.packets_with_errors)?;
    writeln!(out, "errors:              {}", tally.total_errors())?;
    for (name, count) in ErrorKind::NAMES.iter().zip(tally.errors) {
        if count > 0 {
            writeln!(out, "  {:<18} {count}", format!("{name}:"))?;
        }
    }
    writeln!(out, "bytes skipped:       {}", tally.skipped)?;
    writeln!(out, "total bytes:         {total_bytes}")
}
