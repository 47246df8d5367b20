//! `zcpkt check`: find every error in a capture and summarise.

use std::io::Write;

use zcpkt::{CaptureError, ErrorKind, Format, Record};

use crate::capture_fold::{fold_capture_events, FrameFold};
use crate::cmd::capture::{format_name, is_capture, report_damage, Framing};
use crate::error::{CliError, Outcome};
use crate::input::{CaptureEvent, Input, InputArgs, ReadOptions};
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
/// file; the summary gives the format, frames ok, sections, interfaces and
/// other blocks (pcapng), the damage (`none`, or the byte offset and what is
/// wrong: a pcap or pcapng capture cannot be read past damage) and the
/// total bytes. Damage is also one line on standard error.
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
                if matches!(error.kind, ErrorKind::TooLarge { .. }) {
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
    let mut out = output::stdout();
    let mut tally = Tally::default();
    let mut write_error = None;
    let mut framing = Framing::default();
    let (frames, summary) = fold_capture_events::<FrameCount>(&input, &opts, true, |event| {
        let record = match event {
            CaptureEvent::Pkt(record) => record,
            CaptureEvent::Block(block) => {
                framing.see(&block);
                return std::ops::ControlFlow::Continue(());
            }
            CaptureEvent::PcapHeader(_) => return std::ops::ControlFlow::Continue(()),
        };
        tally.add(&record);
        let written = match record {
            _ if args.quiet => Ok(()),
            Record::Packet(_) => Ok(()),
            Record::Error(error) => writeln!(out, "{error}"),
            Record::Skipped(s) => {
                writeln!(
                    out,
                    "offset {}: skipped {} bytes up to offset {}",
                    s.offset,
                    s.len,
                    s.offset + s.len
                )
            }
        };
        output::keep_going(written, &mut write_error)
    })?;
    framing.frames += frames.0;
    if let Some(e) = write_error {
        return Err(CliError::stdout(e));
    }
    if let (true, Some(format)) = (is_capture(summary.format), summary.format) {
        write_capture_summary(&mut out, format, &framing, summary.error.as_ref(), summary.bytes)
            .and_then(|()| out.flush())
            .map_err(CliError::stdout)?;
        return Ok(match summary.error {
            Some(error) => {
                report_damage(&input, &error);
                Outcome::ErrorsFound
            }
            None => Outcome::Clean,
        });
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

/// The pcap/pcapng summary: what was read up to the end or the damage.
fn write_capture_summary(
    out: &mut impl Write,
    format: Format,
    framing: &Framing,
    damage: Option<&CaptureError>,
    total_bytes: u64,
) -> std::io::Result<()> {
    writeln!(out, "format:              {}", format_name(format))?;
    writeln!(out, "frames ok:           {}", framing.frames)?;
    if format == Format::PcapNg {
        writeln!(out, "sections:            {}", framing.sections)?;
        writeln!(out, "interfaces:          {}", framing.interfaces)?;
        writeln!(out, "other blocks:        {}", framing.other_blocks)?;
    }
    match damage {
        None => writeln!(out, "damage:              none")?,
        Some(error) => writeln!(out, "damage:              {error}")?,
    }
    writeln!(out, "total bytes:         {total_bytes}")
}
