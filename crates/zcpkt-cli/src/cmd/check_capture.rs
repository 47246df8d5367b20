//! `zcpkt check` on a pcap or pcapng capture: every frame and every damage,
//! read past damage by the library's recovering readers over a memory map
//! (`zcpkt::pcap::Recovering`, `zcpkt::pcapng::Recovering`).
//!
//! `check` reads a capture with the strict readers first (the fast path, on
//! several threads with `--threads`), and only a mapped capture they found
//! damaged is read again here, from the start. A pipe cannot be read again:
//! it is read past damage as it arrives (`RecoveringCaptureStream`, through
//! the input layer), with the same lines.

use std::collections::BTreeMap;
use std::io::{self, Write};

use zcpkt::capture_record::CaptureRecord;
use zcpkt::source::mmap::{MappedFile, SEARCH_STEP};
use zcpkt::{detect, pcap, pcapng, Format, Skipped};

use crate::cmd::capture::{format_name, report_damage, Framing};
use crate::error::{CliError, Outcome};
use crate::input::{Input, ReadOptions};
use crate::output;
use crate::progress::Progress;

/// What a capture held, for the summary.
#[derive(Default)]
pub struct Tally {
    pub framing: Framing,
    /// Damage by kind name.
    pub damage: BTreeMap<&'static str, u64>,
    pub skipped: u64,
}

impl Tally {
    /// Counts `record`; a damage is reported on standard error and, with
    /// each skipped range, on `out` unless `quiet`.
    pub fn add(
        &mut self,
        record: &CaptureRecord<'_>,
        input: &Input,
        quiet: bool,
        out: &mut impl Write,
    ) -> io::Result<()> {
        match record {
            CaptureRecord::Block(block) => {
                self.framing.see(block);
                Ok(())
            }
            CaptureRecord::Error(error) => {
                *self.damage.entry(error.kind.name()).or_default() += 1;
                report_damage(input, error);
                if quiet {
                    return Ok(());
                }
                writeln!(out, "{error}")
            }
            CaptureRecord::Skipped(s) => {
                self.skipped += s.len;
                if quiet {
                    return Ok(());
                }
                write_skipped(out, s)
            }
        }
    }

    /// Damage met, of every kind.
    pub fn damage_count(&self) -> u64 {
        self.damage.values().sum()
    }
}

/// The line of a skipped byte range, PKT's and captures' alike.
pub fn write_skipped(out: &mut impl Write, s: &Skipped) -> io::Result<()> {
    let end = s.offset + s.len;
    writeln!(out, "offset {}: skipped {} bytes up to offset {end}", s.offset, s.len)
}

/// Reads the capture in `map` past every damage: one line per damage and
/// per skipped range on standard output (unless `quiet`), one line per
/// damage on standard error, then the summary.
pub fn run(
    input: &Input,
    map: &MappedFile,
    quiet: bool,
    opts: &ReadOptions,
) -> Result<Outcome, CliError> {
    let bytes = map.as_bytes();
    let total = bytes.len() as u64;
    let format = detect(bytes).unwrap_or(Format::Pcap);
    let mut out = output::stdout();
    let mut tally = Tally::default();
    let mut write_error = None;
    let mut progress = Progress::new(Some(total), opts.progress);
    let mut releaser = map.releaser();
    let mut visit = |record: Option<&CaptureRecord<'_>>, position: usize| {
        match record {
            // The per-frame path: no output.
            Some(CaptureRecord::Block(block)) => {
                tally.framing.see(block);
            }
            Some(record) => {
                let written = tally.add(record, input, quiet, &mut out);
                let _ = output::keep_going(written, &mut write_error);
            }
            None => {} // a step of a search
        }
        progress.set(position as u64);
        releaser.reached(position);
    };
    match format {
        Format::PcapNg => {
            let records = pcapng::Parser::new().recovering(bytes);
            read_all(records, |r| r.position(), |r| r.search(SEARCH_STEP), &mut visit)
        }
        _ => {
            let records = pcap::Parser::new().recovering(bytes);
            read_all(records, |r| r.position(), |r| r.search(SEARCH_STEP), &mut visit)
        }
    }
    progress.finish();
    if let Some(e) = write_error {
        return Err(CliError::stdout(e));
    }
    write_summary(&mut out, format, &tally, total)
        .and_then(|()| out.flush())
        .map_err(CliError::stdout)?;
    Ok(Outcome::from_errors(tally.damage_count()))
}

/// Hands every record of `records` to `visit`, with the position the
/// reader reached (statically dispatched: this is the per-frame loop).
/// A search after damage runs in steps (`search`), each position reached
/// handed to `visit` with no record: it can cross a gigabyte of garbage,
/// whose pages must be released as it goes.
fn read_all<'a, I: Iterator<Item = CaptureRecord<'a>>>(
    mut records: I,
    position: impl Fn(&I) -> usize,
    search: impl Fn(&mut I) -> Option<usize>,
    visit: &mut impl FnMut(Option<&CaptureRecord<'a>>, usize),
) {
    loop {
        while let Some(reached) = search(&mut records) {
            visit(None, reached);
        }
        let Some(record) = records.next() else { break };
        visit(Some(&record), position(&records));
    }
}

/// The pcap/pcapng summary: frames read, blocks (pcapng), damage by kind,
/// bytes skipped, total bytes.
pub fn write_summary(
    out: &mut impl Write,
    format: Format,
    tally: &Tally,
    total_bytes: u64,
) -> io::Result<()> {
    let framing = &tally.framing;
    writeln!(out, "format:              {}", format_name(format))?;
    writeln!(out, "frames ok:           {}", framing.frames)?;
    if format == Format::PcapNg {
        writeln!(out, "sections:            {}", framing.sections)?;
        writeln!(out, "interfaces:          {}", framing.interfaces)?;
        writeln!(out, "other blocks:        {}", framing.other_blocks)?;
    }
    match tally.damage_count() {
        0 => writeln!(out, "damage:              none")?,
        n => writeln!(out, "damage:              {n}")?,
    }
    for (name, count) in &tally.damage {
        writeln!(out, "  {:<18} {count}", format!("{name}:"))?;
    }
    writeln!(out, "bytes skipped:       {}", tally.skipped)?;
    writeln!(out, "total bytes:         {total_bytes}")
}
