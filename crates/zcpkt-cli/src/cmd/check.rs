//! `zcpkt check`: find every error in a capture and summarise.

use std::io::Write;

use zcpkt::{ErrorKind, Record};

use crate::error::{CliError, Outcome};
use crate::input::{for_each_record, Input, InputArgs, ReadOptions};
use crate::output;

/// Validate a whole capture, going on past corruption to find every error.
///
/// Prints one line per error (`offset N: ...`) and per skipped byte range,
/// then a summary: packets ok, packets with errors (a framed packet with a
/// checksum mismatch, a malformed extension area, or too large), errors by
/// kind, bytes skipped and total bytes.
///
/// Exit status: 0 when the capture is clean, 1 when it holds any error,
/// 2 on a usage error or unreadable input.
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

pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let input = Input::new(args.input.file.clone());
    let mut opts = ReadOptions::new(&args.input, true);
    opts.progress = args.quiet || !output::stdout_is_terminal();
    let mut out = output::stdout();
    let mut tally = Tally::default();
    let mut write_error = None;
    let summary = for_each_record(&input, &opts, |record| {
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
    if let Some(e) = write_error {
        return Err(CliError::stdout(e));
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
