//! `zcpkt filter` on pcap and pcapng: the frames that match, with their
//! original bytes, into a pcap or pcapng of the same kind.
//!
//! Matching (`--expr`) is the library's `proto::filter`; this module keeps
//! what writing needs between events and formats the summary.
//!
//! pcapng is copied section by section: each Section Header Block and
//! every Interface Description Block as it comes, in the section's own byte
//! order and with all of its options, so that interface IDs, timestamps
//! (`if_tsresol`, `if_tsoffset`) and every option of the kept packet blocks
//! mean in the output what they meant in the input.

use std::io::{self, Write};
use std::ops::ControlFlow;

use zcpkt::capture::ByteOrder;
use zcpkt::pcapng::{block_type, option, Block, BlockWriter, Options};
use zcpkt::proto::fields::{FrameInfo, Timestamp as FieldTime};
use zcpkt::proto::Layers;
use zcpkt::{pcap, CaptureError, Frame};

use super::capture::{report_damage, Framing};
use super::filter::{report, Args, Sink};
use crate::error::{CliError, Outcome};
use crate::input::Input;

/// The per-frame filter and writer state.
pub struct FrameFilter<'a> {
    args: &'a Args,
    since_ns: Option<i128>,
    until_ns: Option<i128>,
    framing: Framing,
    matched: u64,
    /// The current pcapng section's writer (its byte order).
    section: Option<BlockWriter>,
    /// Options rebuilt for an obsolete Packet Block (reused, so the
    /// buffer is allocated once).
    scratch: Vec<u8>,
    write_error: Option<io::Error>,
    /// Why an option given cannot apply to this capture (a PKT-only
    /// option, or --interface on pcap): the usage error's message.
    refused: Option<&'static str>,
}

impl<'a> FrameFilter<'a> {
    pub fn new(args: &'a Args) -> Self {
        let ns = |us: u64| i128::from(us) * 1000;
        Self {
            args,
            since_ns: args.since.map(ns),
            until_ns: args.until.map(ns),
            framing: Framing::default(),
            matched: 0,
            section: None,
            scratch: Vec::new(),
            write_error: None,
            refused: None,
        }
    }

    /// Refuses options that cannot apply to this capture, once, before
    /// anything is written: PKT's, and on pcap `--interface`. A pcap file
    /// has no interfaces (`frame.interface_id` is empty there, fields.md),
    /// so `--interface N` could only keep everything (the frame's 0) or
    /// nothing (as `frame.interface_id == N` does); either would be a
    /// silent surprise.
    fn refuse_options(&mut self, pcap: bool) -> bool {
        let args = self.args;
        self.refused = if !args.source.is_empty() {
            Some("--source filters PKT packets; for pcap and pcapng use --expr")
        } else if !args.dest.is_empty() {
            Some("--dest filters PKT packets; for pcap and pcapng use --expr")
        } else if args.flags.is_some() {
            Some("--flags filters PKT packets; for pcap and pcapng use --expr")
        } else if pcap && !args.interface.is_empty() {
            Some("--interface selects pcapng interfaces; a pcap file has none")
        } else {
            None
        };
        self.refused.is_some()
    }

    fn keep(&mut self, written: io::Result<()>) -> ControlFlow<()> {
        crate::output::keep_going(written, &mut self.write_error)
    }

    /// pcap: the output's global header, the input's link type (with its
    /// FCS bits), snap length and precision (little-endian).
    pub fn pcap_header(&mut self, out: &mut dyn Write, header: &pcap::Header) -> ControlFlow<()> {
        if self.refuse_options(true) {
            return ControlFlow::Break(());
        }
        let written = pcap::write_header_with_link_field(
            &mut *out,
            header.resolution,
            header.snaplen,
            header.link_type_field,
        );
        self.keep(written)
    }

    pub fn block(&mut self, out: &mut dyn Write, block: &Block<'_>) -> ControlFlow<()> {
        if self.framing.frames == 0 && self.framing.sections == 0 && self.refuse_options(false) {
            return ControlFlow::Break(());
        }
        self.framing.see(block);
        let written = match block {
            Block::Section(header) => {
                let section = BlockWriter::new(header.byte_order);
                self.section = Some(section);
                section.section_header(&mut *out, header.options)
            }
            Block::Interface { interface, options, .. } => self.writer().and_then(|w| {
                w.interface(&mut *out, interface.link_type, interface.snaplen, *options)
            }),
            Block::Frame(frame) if self.matches(frame) => {
                self.matched += 1;
                self.write_frame(&mut *out, frame)
            }
            Block::Other(raw) if copied(raw.block_type) => {
                self.writer().and_then(|w| w.raw_block(&mut *out, raw))
            }
            Block::Frame(_) | Block::Other(_) => return ControlFlow::Continue(()),
        };
        self.keep(written)
    }

    /// The current section's writer. Every block the parser hands out
    /// after the first comes inside a section, so this is only an error if
    /// the reader broke that promise.
    fn writer(&self) -> io::Result<BlockWriter> {
        self.section
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "block outside a section"))
    }

    fn matches(&self, frame: &Frame<'_>) -> bool {
        let args = self.args;
        if !args.interface.is_empty() && !args.interface.contains(&frame.interface_id) {
            return false;
        }
        if self.since_ns.is_some() || self.until_ns.is_some() {
            let Some(ns) = frame.timestamp.map(|t| t.unix_nanos()) else {
                return false;
            };
            if self.since_ns.is_some_and(|s| ns < s) || self.until_ns.is_some_and(|u| ns >= u) {
                return false;
            }
        }
        let Some(expr) = &args.expr else {
            return true;
        };
        let pcapng = self.framing.pcapng;
        let info = FrameInfo {
            number: self.framing.frames,
            time: frame.timestamp.map(|t| FieldTime { secs: t.seconds(), nanos: t.subsec_nanos() }),
            len: frame.original_len.into(),
            cap_len: frame.captured_len.into(),
            interface_id: pcapng.then_some(frame.interface_id),
            section_number: pcapng.then_some(u64::from(frame.section) + 1),
        };
        expr.matches(&info, &Layers::of_frame(frame))
    }

    fn write_frame(&mut self, out: &mut dyn Write, frame: &Frame<'_>) -> io::Result<()> {
        // The stored timestamp words, not `frame.timestamp`: that one
        // carries a pcap fraction over a second and saturates pcapng seconds
        // an i64 cannot hold, and the output must hold the original field.
        let raw = frame.raw_timestamp;
        if !self.framing.pcapng {
            let (secs, frac) = ((raw >> 32) as u32, raw as u32);
            return pcap::write_record(&mut *out, secs, frac, frame.original_len, frame.data);
        }
        let section = self.writer()?;
        if frame.timestamp.is_none() {
            // Only a Simple Packet Block has no timestamp: it stays one.
            return section.simple_packet(&mut *out, frame.original_len, frame.data);
        }
        // An obsolete Packet Block becomes an Enhanced one: its options
        // (pack_flags, pack_hash) have the EPB's codes, and its drops count
        // becomes epb_dropcount, as Wireshark writes it.
        let mut options = frame.options;
        if let Some(drops) = frame.packet_block_drops {
            if options.get(option::EPB_DROPCOUNT).is_none() {
                options = Self::with_drop_count(&mut self.scratch, frame.options, drops)?;
            }
        }
        section.enhanced_packet(
            &mut *out,
            frame.interface_id,
            raw,
            frame.original_len,
            frame.data,
            options,
        )
    }

    /// `options` and an `epb_dropcount` of `drops`, in `scratch`.
    fn with_drop_count<'s>(
        scratch: &'s mut Vec<u8>,
        options: Options<'_>,
        drops: u16,
    ) -> io::Result<Options<'s>> {
        let order = options.byte_order();
        let (code, len, value) = match order {
            ByteOrder::Little => (
                option::EPB_DROPCOUNT.to_le_bytes(),
                8u16.to_le_bytes(),
                u64::from(drops).to_le_bytes(),
            ),
            ByteOrder::Big => (
                option::EPB_DROPCOUNT.to_be_bytes(),
                8u16.to_be_bytes(),
                u64::from(drops).to_be_bytes(),
            ),
        };
        scratch.clear();
        scratch.extend_from_slice(options.as_bytes());
        scratch.extend_from_slice(&code);
        scratch.extend_from_slice(&len);
        scratch.extend_from_slice(&value);
        Options::parse(scratch, order, 0, 0)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
    }

    /// Ends the run: refusals and write errors (exit 2), damage (exit 1:
    /// `strict`, where a strict reader stopped, reported here, or
    /// `damage_met` already reported while reading past it, `skipped`
    /// bytes; without --recover no output is left), else the output
    /// committed.
    pub fn finish(
        self,
        input: &Input,
        sink: Sink,
        strict: Option<CaptureError>,
        damage_met: u64,
        skipped: u64,
    ) -> Result<Outcome, CliError> {
        if let Some(why) = self.refused {
            return Err(CliError::usage(format!("{input}: {why}")));
        }
        if let Some(e) = self.write_error {
            return Err(CliError::io(format!("cannot write {}", sink.name()), e));
        }
        let (matched, total) = (self.matched, self.framing.frames);
        if let Some(error) = &strict {
            report_damage(input, error);
        }
        let damaged = strict.is_some() || damage_met > 0;
        if damaged && !self.args.recover {
            let note = match sink {
                Sink::File(_) => "no output written",
                Sink::Stdout(_) => "output is incomplete",
            };
            if let Sink::Stdout(_) = sink {
                sink.finish()?;
            }
            report(&format!("{note} (--recover reads past the damage)"));
            return Ok(Outcome::ErrorsFound);
        }
        let name = sink.name();
        sink.finish()?;
        let skipped = match skipped {
            0 => String::new(),
            n => format!("; skipped {n} damaged bytes"),
        };
        report(&format!("{matched} of {total} frames matched, written to {name}{skipped}"));
        Ok(if damaged { Outcome::ErrorsFound } else { Outcome::Clean })
    }
}

/// Blocks without packets that are copied: they describe the capture
/// (statistics of the same interface IDs, names, decryption secrets, custom
/// data allowed to be copied). A custom block marked "do not copy" and
/// blocks of unknown types are left out.
fn copied(block: u32) -> bool {
    matches!(
        block,
        block_type::INTERFACE_STATISTICS
            | block_type::NAME_RESOLUTION
            | block_type::DECRYPTION_SECRETS
            | block_type::CUSTOM
    )
}
