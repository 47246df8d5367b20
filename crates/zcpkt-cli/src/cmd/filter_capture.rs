//! `zcpkt filter` on pcap and pcapng: the frames that match, with their
//! original bytes, into a pcap or pcapng of the same kind.
//!
//! Matching (`--expr`) is the library's `proto::filter`; this module keeps
//! what writing needs between events (which interfaces were written) and
//! formats the summary.

use std::io::{self, Write};
use std::ops::ControlFlow;

use zcpkt::capture::Resolution;
use zcpkt::pcapng::{self, Block, Interface};
use zcpkt::proto::fields::{FrameInfo, Timestamp as FieldTime};
use zcpkt::proto::Layers;
use zcpkt::{pcap, CaptureError, Frame};

use super::capture::{report_damage, Framing};
use super::filter::{report, Args, Sink};
use crate::error::{CliError, Outcome};
use crate::input::Input;

/// An interface of the current input section: what its IDB is copied from.
struct InputInterface {
    interface: Interface,
    name: Option<Vec<u8>>,
    description: Option<Vec<u8>>,
    /// Its ID in the output, once its IDB has been written there.
    out_id: Option<u32>,
}

/// The per-frame filter and writer state.
pub struct FrameFilter<'a> {
    args: &'a Args,
    since_ns: Option<i128>,
    until_ns: Option<i128>,
    framing: Framing,
    matched: u64,
    /// The current section's interfaces (IDs index it). One entry per IDB:
    /// memory grows with interfaces, not frames.
    interfaces: Vec<InputInterface>,
    /// IDBs written to the output so far (the next output ID).
    out_interfaces: u32,
    pcap_resolution: Option<Resolution>,
    write_error: Option<io::Error>,
    /// A PKT-only option was given for a capture.
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
            interfaces: Vec::new(),
            out_interfaces: 0,
            pcap_resolution: None,
            write_error: None,
            refused: None,
        }
    }

    /// Refuses PKT's options on a capture, once, before anything is written.
    fn refuse_pkt_options(&mut self) -> bool {
        let args = self.args;
        self.refused = if !args.source.is_empty() {
            Some("--source")
        } else if !args.dest.is_empty() {
            Some("--dest")
        } else if args.flags.is_some() {
            Some("--flags")
        } else {
            None
        };
        self.refused.is_some()
    }

    fn keep(&mut self, written: io::Result<()>) -> ControlFlow<()> {
        crate::output::keep_going(written, &mut self.write_error)
    }

    /// pcap: the output's global header, the input's link type, snap
    /// length and precision (little-endian).
    pub fn pcap_header(&mut self, out: &mut dyn Write, header: &pcap::Header) -> ControlFlow<()> {
        if self.refuse_pkt_options() {
            return ControlFlow::Break(());
        }
        self.pcap_resolution = Some(header.resolution);
        let written =
            pcap::write_header(&mut *out, header.resolution, header.snaplen, header.link_type());
        self.keep(written)
    }

    pub fn block(&mut self, out: &mut dyn Write, block: &Block<'_>) -> ControlFlow<()> {
        if self.framing.frames == 0 && self.framing.sections == 0 && self.refuse_pkt_options() {
            return ControlFlow::Break(());
        }
        self.framing.see(block);
        match block {
            Block::Section(_) => {
                self.interfaces.clear();
                // One output section for all: input sections' interfaces
                // each get their own output ID.
                if self.framing.sections == 1 {
                    return self.keep(pcapng::write_section_header(&mut *out));
                }
            }
            Block::Interface { interface, options, .. } => {
                self.interfaces.push(InputInterface {
                    interface: *interface,
                    name: options.get(pcapng::option::IF_NAME).map(<[u8]>::to_vec),
                    description: options.get(pcapng::option::IF_DESCRIPTION).map(<[u8]>::to_vec),
                    out_id: None,
                });
            }
            Block::Frame(frame) if self.matches(frame) => {
                self.matched += 1;
                let written = self.write_frame(&mut *out, frame);
                return self.keep(written);
            }
            Block::Frame(_) | Block::Other(_) => {}
        }
        ControlFlow::Continue(())
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
        let orig_len = usize::try_from(frame.original_len).unwrap_or(usize::MAX);
        expr.matches(&info, &Layers::with_orig_len(frame.link_type.0, frame.data, orig_len))
    }

    fn write_frame(&mut self, out: &mut dyn Write, frame: &Frame<'_>) -> io::Result<()> {
        let out_of_range =
            || io::Error::new(io::ErrorKind::InvalidData, "a timestamp the output cannot hold");
        if !self.framing.pcapng {
            // pcap: seconds and the fraction in the header's own units.
            let (secs, frac) = match frame.timestamp {
                Some(t) => (t.seconds(), t.fraction()),
                None => (0, 0),
            };
            let secs = u32::try_from(secs).map_err(|_| out_of_range())?;
            let frac = u32::try_from(frac).map_err(|_| out_of_range())?;
            return pcap::write_record(&mut *out, secs, frac, frame.original_len, frame.data);
        }
        let index = usize::try_from(frame.interface_id).unwrap_or(usize::MAX);
        let next_id = self.out_interfaces;
        let Some(iface) = self.interfaces.get_mut(index) else {
            // A Simple Packet Block before any IDB cannot be parsed, so an
            // unknown interface is not reached; refuse rather than guess.
            return Err(io::Error::new(io::ErrorKind::InvalidData, "frame of no interface"));
        };
        let out_id = match iface.out_id {
            Some(id) => id,
            None => {
                let i = &iface.interface;
                pcapng::write_interface(
                    &mut *out,
                    i.link_type,
                    i.snaplen,
                    i.resolution,
                    iface.name.as_deref(),
                    iface.description.as_deref(),
                )?;
                iface.out_id = Some(next_id);
                self.out_interfaces += 1;
                next_id
            }
        };
        // The IDB written has no if_tsoffset: the units count from the
        // epoch, offset included.
        let units = match frame.timestamp {
            Some(t) => {
                let per_sec = t.resolution().units_per_second().ok_or_else(out_of_range)?;
                let secs = u64::try_from(t.seconds()).map_err(|_| out_of_range())?;
                secs.checked_mul(per_sec)
                    .and_then(|u| u.checked_add(t.fraction()))
                    .ok_or_else(out_of_range)?
            }
            None => 0,
        };
        pcapng::write_enhanced_packet(&mut *out, out_id, units, frame.original_len, frame.data)
    }

    /// Ends the run: refusals and write errors (exit 2), damage (exit 1;
    /// without --recover no output is left), else the output committed.
    pub fn finish(
        self,
        input: &Input,
        sink: Sink,
        damage: Option<CaptureError>,
    ) -> Result<Outcome, CliError> {
        if let Some(option) = self.refused {
            return Err(CliError::usage(format!(
                "{input}: {option} filters PKT packets; for pcap and pcapng use --expr"
            )));
        }
        if let Some(e) = self.write_error {
            return Err(CliError::io(format!("cannot write {}", sink.name()), e));
        }
        let (matched, total) = (self.matched, self.framing.frames);
        if let Some(error) = damage {
            report_damage(input, &error);
            if !self.args.recover {
                let note = match sink {
                    Sink::File(_) => "no output written",
                    Sink::Stdout(_) => "output is incomplete",
                };
                if let Sink::Stdout(_) = sink {
                    sink.finish()?;
                }
                report(&format!("{note} (--recover keeps the frames before the damage)"));
                return Ok(Outcome::ErrorsFound);
            }
        }
        let name = sink.name();
        sink.finish()?;
        report(&format!("{matched} of {total} frames matched, written to {name}"));
        Ok(if damage.is_some() { Outcome::ErrorsFound } else { Outcome::Clean })
    }
}
