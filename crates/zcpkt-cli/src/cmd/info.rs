//! `zcpkt info`: a capture's summary, like Wireshark's `capinfos`, in one
//! pass and without any allocation per frame.

use std::fmt::Write as _;
use std::io::Write;

use serde_json::{json, Value};
use zcpkt::capture::{Resolution, Timestamp};
use zcpkt::pcap::RecordHeader;
use zcpkt::pcapng::{Block, Interface, Options, SectionHeader};
use zcpkt::{pcap, pcapng, Format, Frame, LinkType, Packet, Record};

use crate::capture_fold::{fold_capture_events, FrameFold};
use crate::error::{CliError, Outcome};
use crate::input::{CaptureEvent, Input, InputArgs, ReadOptions};
use crate::output;
use crate::text::Escaped;
use crate::time::IsoNanos;

/// Summarise a pcap, pcapng or PKT capture, like capinfos
///
/// Prints the file type and encapsulation, timestamp precision, snap
/// length, packet count, file and data sizes, first and last packet time,
/// duration, rates, average packet size, whether timestamps never go back,
/// the pcapng section header's hardware, OS, application and comments, and
/// per interface its name, description, link type, snap length, FCS length
/// (pcapng `if_fcslen`), timestamp resolution and packet count. PKT input shows the items that apply to it
/// (data size is the packets' HEADER_LEN + PAYLOAD_LEN).
///
/// "Data size" is, as in capinfos, the sum of the frames' original (wire)
/// lengths, and the rates and average size derive from it; "captured size"
/// sums the captured lengths (the frame bytes in the file).
///
/// "First" and "last" packet time are the earliest and latest timestamps,
/// as capinfos reports them. An empty file is a capture of zero packets of
/// file type "empty". `--json` prints one object; its schema is in README.md.
///
/// Exit status: 0 clean; 1 damaged (pcap and pcapng: the summary covers
/// every frame before the damage; PKT is read past its errors, as `check`
/// reads it, and the summary covers every packet whose framing is intact;
/// one line on standard error gives the first error's offset); 2 on a
/// usage error, an unreadable file, or one of unknown format.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,

    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let input = Input::new(args.input.file.clone());
    // PKT is read past errors that lose framing, as `check` and `stats` read
    // it (README: `packets` counts every intact packet); pcap and pcapng
    // stop at their damage (`recover_captures` stays off).
    let mut opts = ReadOptions::new(&args.input, true);
    opts.progress = false;
    let mut info = Info::default();
    let (frames, summary) = fold_capture_events::<Totals>(&input, &opts, false, |event| {
        match event {
            CaptureEvent::Block(block) => info.block(&block),
            CaptureEvent::Pkt(record) => info.pkt(&record),
            // Only `for_each_input_event` sends it; the summary has it.
            CaptureEvent::PcapHeader(_) => {}
            // Only when recovering captures, which info does not.
            CaptureEvent::Damage(_) | CaptureEvent::Skipped(_) => {}
        }
        std::ops::ControlFlow::Continue(())
    })?;
    info.t.merge(frames);
    info.format = summary.format;
    info.file_size = summary.bytes;
    if let Some(header) = summary.pcap_header {
        info.pcap_header(&header);
    }
    for iface in &mut info.interfaces {
        iface.packets = info.t.interface_frames(iface.section, iface.id);
    }
    let error = summary.error.map(|e| (e.offset, e.kind.name(), e.to_string()));
    let error = error.or(info.pkt_error.clone());
    let mut out = output::stdout();
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &info.to_json(&input, error.as_ref()))
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        out.write_all(info.to_text(&input).as_bytes())
    };
    written.and_then(|()| out.flush()).map_err(CliError::stdout)?;
    match error {
        None => Ok(Outcome::Clean),
        Some((_, _, message)) => {
            let more = match info.pkt_errors {
                n if n > 1 => format!(" (and {} more errors)", n - 1),
                _ => String::new(),
            };
            // A closed stderr leaves nothing to tell; the exit status says it.
            let _ = writeln!(std::io::stderr(), "zcpkt: {input}: {message}{more}");
            Ok(Outcome::ErrorsFound)
        }
    }
}

/// One interface, across all sections (pcap: the file's one).
struct Iface {
    section: u32,
    id: u32,
    name: Option<String>,
    description: Option<String>,
    link_type: LinkType,
    snaplen: u32,
    resolution: Resolution,
    /// The `if_fcslen` option as written (bits, or bytes when under 8).
    fcslen_option: Option<u8>,
    /// FCS bytes per frame as read (pcap's FCS bits, or `if_fcslen`).
    fcs_len: Option<u8>,
    packets: u64,
}

/// The first section header's strings (capinfos shows the first).
#[derive(Default)]
struct ShbStrings {
    hardware: Option<String>,
    os: Option<String>,
    application: Option<String>,
    comments: Vec<String>,
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[derive(Default)]
struct Info {
    format: Option<Format>,
    file_size: u64,
    pcap_snaplen: Option<u32>,
    pcap_resolution: Option<Resolution>,
    shb: Option<ShbStrings>,
    interfaces: Vec<Iface>,
    /// The current pcapng section's 0-based index.
    section: u32,
    t: Totals,
    pkt_errors: u64,
    pkt_error: Option<(u64, &'static str, String)>,
}

/// What `info` sums over frames: merged batch by batch in file order when
/// the frames are folded in parallel.
#[derive(Default)]
struct Totals {
    packets: u64,
    /// Sum of the frames' original (on the wire) lengths: capinfos' "data
    /// size", which its rates and average packet size are based on.
    data: u64,
    /// Sum of the captured lengths (the bytes actually in the file).
    captured: u64,
    /// Frames without a timestamp (pcapng Simple Packet Blocks).
    untimed: u64,
    first: Option<Timestamp>,
    last: Option<Timestamp>,
    /// The first timestamp in file order, and the last so far: what a merge
    /// compares to tell whether time went back between two batches.
    opening: Option<Timestamp>,
    previous: Option<Timestamp>,
    out_of_order: bool,
    /// Frames per interface: (section, interface ID, frames), a few entries.
    per_interface: Vec<(u32, u32, u64)>,
}

impl FrameFold for Totals {
    const HEADERS_ONLY: bool = true;

    #[inline]
    fn frame(&mut self, frame: &Frame<'_>) {
        let lengths = (frame.original_len, frame.captured_len);
        self.add(lengths, frame.section, frame.interface_id, frame.timestamp);
    }

    #[inline]
    fn record(&mut self, record: &RecordHeader) {
        self.add((record.original_len, record.captured_len), 0, 0, record.timestamp);
    }

    fn merge(&mut self, later: Self) {
        self.packets += later.packets;
        self.data += later.data;
        self.captured += later.captured;
        self.untimed += later.untimed;
        let back = self.previous.zip(later.opening).is_some_and(|(p, o)| earlier(o, p));
        self.out_of_order |= later.out_of_order || back;
        self.opening = self.opening.or(later.opening);
        self.previous = later.previous.or(self.previous);
        // On ties the earlier frame's timestamp stays, as in `time`.
        if let Some(first) = later.first.filter(|&f| self.first.map_or(true, |s| earlier(f, s))) {
            self.first = Some(first);
        }
        if let Some(last) = later.last.filter(|&l| self.last.map_or(true, |s| earlier(s, l))) {
            self.last = Some(last);
        }
        for (section, id, frames) in later.per_interface {
            self.count_interface(section, id, frames);
        }
    }
}

impl Totals {
    /// The hot path: counters and two comparisons, nothing allocated once
    /// each interface has its entry. `lengths`: original, captured.
    #[inline]
    fn add(&mut self, lengths: (u32, u32), section: u32, interface: u32, ts: Option<Timestamp>) {
        self.packets += 1;
        self.data += u64::from(lengths.0);
        self.captured += u64::from(lengths.1);
        self.count_interface(section, interface, 1);
        match ts {
            Some(ts) => self.time(ts),
            None => self.untimed += 1,
        }
    }

    #[inline]
    fn count_interface(&mut self, section: u32, id: u32, frames: u64) {
        // Frames mostly come in runs of one interface: the last entry first.
        let same = |e: &(u32, u32, u64)| e.0 == section && e.1 == id;
        let at = match self.per_interface.last() {
            Some(last) if same(last) => Some(self.per_interface.len() - 1),
            _ => self.per_interface.iter().position(same),
        };
        match at.and_then(|at| self.per_interface.get_mut(at)) {
            Some(entry) => entry.2 += frames,
            None => self.per_interface.push((section, id, frames)),
        }
    }

    fn interface_frames(&self, section: u32, id: u32) -> u64 {
        let entry = self.per_interface.iter().find(|e| e.0 == section && e.1 == id);
        entry.map_or(0, |e| e.2)
    }

    #[inline]
    fn time(&mut self, ts: Timestamp) {
        if self.previous.is_some_and(|p| earlier(ts, p)) {
            self.out_of_order = true;
        }
        self.opening = self.opening.or(Some(ts));
        self.previous = Some(ts);
        if self.first.map_or(true, |f| earlier(ts, f)) {
            self.first = Some(ts);
        }
        if self.last.map_or(true, |l| earlier(l, ts)) {
            self.last = Some(ts);
        }
    }
}

impl Info {
    /// The blocks other than frames (those are folded into `t`).
    fn block(&mut self, block: &Block<'_>) {
        match block {
            Block::Frame(frame) => self.t.frame(frame),
            Block::Section(header) => self.section(header),
            Block::Interface { id, interface, options } => self.interface(*id, interface, options),
            Block::Other(_) => {}
        }
    }

    /// pcap: the file's one interface, described by the global header.
    fn pcap_header(&mut self, header: &pcap::Header) {
        self.pcap_snaplen = Some(header.snaplen);
        self.pcap_resolution = Some(header.resolution);
        self.interfaces.push(Iface {
            section: 0,
            id: 0,
            name: None,
            description: None,
            link_type: header.link_type(),
            snaplen: header.snaplen,
            resolution: header.resolution,
            fcslen_option: None,
            fcs_len: header.fcs_len(),
            packets: self.t.packets,
        });
    }

    fn section(&mut self, header: &SectionHeader<'_>) {
        self.section = header.index;
        if self.shb.is_none() {
            self.shb = Some(ShbStrings {
                hardware: header.hardware().map(text),
                os: header.os().map(text),
                application: header.user_appl().map(text),
                comments: header.comments().map(text).collect(),
            });
        }
    }

    fn interface(&mut self, id: u32, interface: &Interface, options: &Options<'_>) {
        self.interfaces.push(Iface {
            section: self.section,
            id,
            name: options.get(pcapng::option::IF_NAME).map(text),
            description: options.get(pcapng::option::IF_DESCRIPTION).map(text),
            link_type: interface.link_type,
            snaplen: interface.snaplen,
            resolution: interface.resolution,
            fcslen_option: match options.get(pcapng::option::IF_FCSLEN) {
                Some(&[value]) => Some(value),
                _ => None,
            },
            fcs_len: interface.fcs_len,
            packets: 0,
        });
    }

    fn pkt(&mut self, record: &Record<'_>) {
        match record {
            Record::Packet(packet) => self.pkt_packet(packet),
            Record::Error(error) => {
                self.pkt_errors += 1;
                // A TooLarge packet keeps its framing (dump-json.md): it is
                // a packet of `size` bytes, as `check` and `stats` count it,
                // though nothing else of it was read.
                if let Some(size) = error.kind.framed_packet_size() {
                    self.t.packets += 1;
                    self.t.data += size;
                    self.t.captured += size;
                }
                if self.pkt_error.is_none() {
                    self.pkt_error = Some((error.offset, error.kind.name(), error.to_string()));
                }
            }
            Record::Skipped(_) => {}
        }
    }

    #[inline]
    fn pkt_packet(&mut self, packet: &Packet<'_>) {
        self.t.packets += 1;
        self.t.data += packet.len() as u64;
        self.t.captured += packet.len() as u64;
        let secs = (packet.timestamp / 1_000_000) as i64; // < 2^64 / 10^6: fits
        if let Some(ts) = Timestamp::new(secs, packet.timestamp % 1_000_000, Resolution::MICROS) {
            self.t.time(ts);
        }
    }
}

/// Whether `a` is earlier than `b`, compared as Wireshark does (timestamps
/// truncated to nanoseconds). Two timestamps of one resolution no finer than
/// a nanosecond compare as (seconds, fraction), which orders them the same
/// way without the division; pcap files always take that path.
#[inline]
fn earlier(a: Timestamp, b: Timestamp) -> bool {
    if a.resolution() == b.resolution() && at_most_nanos(a.resolution()) {
        (a.seconds(), a.fraction()) < (b.seconds(), b.fraction())
    } else {
        a.unix_nanos() < b.unix_nanos()
    }
}

/// Resolutions whose units are a nanosecond or longer: converting them to
/// nanoseconds is strictly increasing, so it cannot reorder two values.
const fn at_most_nanos(resolution: Resolution) -> bool {
    matches!(resolution, Resolution::Pow10(0..=9) | Resolution::Pow2(0..=29))
}

/// A resolution's name as capinfos gives it (`microseconds`), or a formula.
fn precision_name(resolution: Resolution) -> String {
    match resolution {
        Resolution::Pow10(0) => "seconds".into(),
        Resolution::Pow10(1) => "deciseconds".into(),
        Resolution::Pow10(2) => "centiseconds".into(),
        Resolution::Pow10(3) => "milliseconds".into(),
        Resolution::Pow10(6) => "microseconds".into(),
        Resolution::Pow10(9) => "nanoseconds".into(),
        Resolution::Pow10(e) => format!("10^-{e} seconds"),
        Resolution::Pow2(e) => format!("2^-{e} seconds"),
    }
}

/// `microseconds (6)` for decimal resolutions, as capinfos prints them.
fn precision_text(resolution: Resolution) -> String {
    match resolution {
        Resolution::Pow10(e) => format!("{} ({e})", precision_name(resolution)),
        Resolution::Pow2(_) => precision_name(resolution),
    }
}

/// Wireshark's names for the common link types (capinfos' "encapsulation").
fn link_name(link_type: LinkType) -> String {
    let name = match link_type.0 {
        0 => "NULL/Loopback",
        1 => "Ethernet",
        6 => "Token Ring",
        9 => "PPP",
        101 => "Raw IP",
        105 => "IEEE 802.11 Wireless LAN",
        108 => "OpenBSD loopback",
        113 => "Linux cooked-mode capture v1",
        127 => "IEEE 802.11 plus radiotap radio header",
        228 => "Raw IPv4",
        229 => "Raw IPv6",
        276 => "Linux cooked-mode capture v2",
        other => return format!("LINKTYPE {other}"),
    };
    name.into()
}

/// The rates and averages over the capture's duration.
struct Derived {
    duration_ns: Option<i128>,
    byte_rate: Option<f64>,
    bit_rate: Option<f64>,
    average_size: Option<f64>,
    packet_rate: Option<f64>,
}

impl Info {
    fn file_type(&self) -> &'static str {
        match self.format {
            None => "empty",
            Some(Format::Pcap) => "pcap",
            Some(Format::PcapNg) => "pcapng",
            Some(Format::Pkt) => "pkt",
        }
    }

    fn derived(&self) -> Derived {
        let duration_ns =
            self.t.first.zip(self.t.last).map(|(f, l)| l.unix_nanos() - f.unix_nanos());
        let secs = duration_ns.filter(|&d| d > 0).map(|d| d as f64 / 1e9);
        let per_sec = |n: u64| secs.map(|s| n as f64 / s);
        Derived {
            duration_ns,
            byte_rate: per_sec(self.t.data),
            bit_rate: per_sec(self.t.data).map(|r| r * 8.0),
            average_size: (self.t.packets > 0).then(|| self.t.data as f64 / self.t.packets as f64),
            packet_rate: per_sec(self.t.packets),
        }
    }

    /// Link types in order of first appearance, with their packet counts.
    fn encapsulations(&self) -> Vec<(LinkType, u64)> {
        let mut out: Vec<(LinkType, u64)> = Vec::new();
        for iface in &self.interfaces {
            match out.iter_mut().find(|(l, _)| *l == iface.link_type) {
                Some((_, n)) => *n += iface.packets,
                None => out.push((iface.link_type, iface.packets)),
            }
        }
        out
    }

    /// The timestamp resolution of the file: `None` when unknown, `Err` when
    /// interfaces differ ("per-packet").
    fn precision(&self) -> Option<Result<Resolution, ()>> {
        match self.format? {
            Format::Pkt => Some(Ok(Resolution::MICROS)),
            Format::Pcap => self.pcap_resolution.map(Ok),
            Format::PcapNg => {
                let first = self.interfaces.first()?.resolution;
                let same = self.interfaces.iter().all(|i| i.resolution == first);
                Some(if same { Ok(first) } else { Err(()) })
            }
        }
    }

    /// The snap length: pcap's header, or the pcapng interfaces' when they
    /// all agree.
    fn snaplen(&self) -> Option<u32> {
        match self.format? {
            Format::Pkt => None,
            Format::Pcap => self.pcap_snaplen,
            Format::PcapNg => {
                let first = self.interfaces.first()?.snaplen;
                self.interfaces.iter().all(|i| i.snaplen == first).then_some(first)
            }
        }
    }

    fn to_json(&self, input: &Input, error: Option<&(u64, &'static str, String)>) -> Value {
        let d = self.derived();
        let time = |ts: Option<Timestamp>| {
            ts.map(|t| {
                let iso = IsoNanos { secs: t.seconds(), nanos: t.subsec_nanos() };
                json!({"epoch": t.to_string(), "iso": iso.to_string()})
            })
        };
        let container = matches!(self.format, Some(Format::Pcap | Format::PcapNg));
        let encapsulations: Vec<Value> = self
            .encapsulations()
            .into_iter()
            .map(|(l, n)| json!({"link_type": l.0, "name": link_name(l), "packets": n}))
            .collect();
        let encapsulation = match encapsulations.len() {
            _ if !container => Value::Null,
            0 => "unknown".into(),
            1 => encapsulations[0]["name"].clone(),
            _ => "per-packet".into(),
        };
        let precision = match self.precision() {
            None => Value::Null,
            Some(Ok(r)) => precision_name(r).into(),
            Some(Err(())) => "per-packet".into(),
        };
        let section = self.shb.as_ref().map(|s| {
            json!({
                "hardware": s.hardware,
                "os": s.os,
                "application": s.application,
                "comments": s.comments,
            })
        });
        let interfaces: Vec<Value> = self
            .interfaces
            .iter()
            .map(|i| {
                json!({
                    "section": i.section,
                    "id": i.id,
                    "name": i.name,
                    "description": i.description,
                    "link_type": i.link_type.0,
                    "link_type_name": link_name(i.link_type),
                    "snaplen": i.snaplen,
                    "timestamp_resolution": precision_name(i.resolution),
                    "packets": i.packets,
                    "fcs_len": i.fcs_len,
                })
            })
            .collect();
        let file = match input {
            Input::Stdin => "-".to_owned(),
            Input::File(path) => path.display().to_string(),
        };
        json!({
            "file": file,
            "file_type": self.file_type(),
            "file_size": self.file_size,
            "encapsulation": encapsulation,
            "encapsulations": encapsulations,
            "timestamp_precision": precision,
            "snaplen": self.snaplen(),
            "packets": self.t.packets,
            "data_size": self.t.data,
            "captured_size": self.t.captured,
            "first_time": time(self.t.first),
            "last_time": time(self.t.last),
            "duration_ns": d.duration_ns.and_then(|n| i64::try_from(n).ok()),
            "data_byte_rate": d.byte_rate,
            "data_bit_rate": d.bit_rate,
            "average_packet_size": d.average_size,
            "average_packet_rate": d.packet_rate,
            "strict_time_order": !self.t.out_of_order,
            "section": section,
            "interfaces": interfaces,
            "error": error.map(|(offset, kind, message)| {
                json!({"offset": offset, "kind": kind, "message": message})
            }),
        })
    }

    fn to_text(&self, input: &Input) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write_text(&mut out, input);
        out
    }

    fn write_text(&self, out: &mut String, input: &Input) -> std::fmt::Result {
        const NA: &str = "n/a";
        let d = self.derived();
        let file_type = match self.format {
            None => "empty",
            Some(Format::Pcap) => "pcap",
            Some(Format::PcapNg) => "pcapng",
            Some(Format::Pkt) => "PKT v1",
        };
        let file = match input {
            Input::Stdin => "-".to_owned(),
            Input::File(path) => path.display().to_string(),
        };
        writeln!(out, "File name:           {}", Escaped(&file))?;
        writeln!(out, "File type:           {file_type}")?;
        if matches!(self.format, Some(Format::Pcap | Format::PcapNg)) {
            let encapsulations = self.encapsulations();
            match &encapsulations[..] {
                [] => writeln!(out, "File encapsulation:  Unknown")?,
                [(link, _)] => writeln!(out, "File encapsulation:  {}", link_name(*link))?,
                many => {
                    writeln!(out, "File encapsulation:  Per packet")?;
                    writeln!(out, "Encapsulation in use by packets (# of pkts):")?;
                    for (link, n) in many {
                        writeln!(out, "                     {} ({n})", link_name(*link))?;
                    }
                }
            }
        }
        let precision = match self.precision() {
            None => NA.to_owned(),
            Some(Ok(r)) => precision_text(r),
            Some(Err(())) => "per-packet".to_owned(),
        };
        writeln!(out, "File timestamp precision:  {precision}")?;
        // As capinfos: the file header's limit, which pcapng does not have
        // (its interfaces' are listed below); 0 is no limit.
        match (self.format, self.snaplen()) {
            (Some(Format::Pcap), Some(snaplen)) if snaplen != 0 => {
                writeln!(out, "Packet size limit:   file hdr: {snaplen} bytes")?
            }
            (Some(Format::Pcap | Format::PcapNg), _) => {
                writeln!(out, "Packet size limit:   file hdr: (not set)")?
            }
            _ => {}
        }
        writeln!(out, "Number of packets:   {}", self.t.packets)?;
        writeln!(out, "File size:           {} bytes", self.file_size)?;
        writeln!(out, "Data size:           {} bytes", self.t.data)?;
        writeln!(out, "Captured size:       {} bytes", self.t.captured)?;
        match d.duration_ns {
            Some(ns) => {
                let sign = if ns < 0 { "-" } else { "" };
                let ns = ns.unsigned_abs();
                let (secs, frac) = (ns / 1_000_000_000, ns % 1_000_000_000);
                writeln!(out, "Capture duration:    {sign}{secs}.{frac:09} seconds")?
            }
            None => writeln!(out, "Capture duration:    {NA}")?,
        }
        for (label, ts) in
            [("First packet time:", self.t.first), ("Last packet time:", self.t.last)]
        {
            match ts {
                Some(t) => {
                    let iso = IsoNanos { secs: t.seconds(), nanos: t.subsec_nanos() };
                    writeln!(out, "{label:<21}{iso} ({t})")?
                }
                None => writeln!(out, "{label:<21}{NA}")?,
            }
        }
        let rate =
            |r: Option<f64>, unit: &str| r.map_or(NA.to_owned(), |r| format!("{r:.2} {unit}"));
        writeln!(out, "Data byte rate:      {}", rate(d.byte_rate, "bytes/s"))?;
        writeln!(out, "Data bit rate:       {}", rate(d.bit_rate, "bits/s"))?;
        writeln!(out, "Average packet size: {}", rate(d.average_size, "bytes"))?;
        writeln!(out, "Average packet rate: {}", rate(d.packet_rate, "packets/s"))?;
        let strict = if self.t.out_of_order { "False" } else { "True" };
        writeln!(out, "Strict time order:   {strict}")?;
        if let Some(shb) = &self.shb {
            let show = |v: &Option<String>| v.as_deref().map(|v| Escaped(v).to_string());
            if let Some(v) = show(&shb.hardware) {
                writeln!(out, "Capture hardware:    {v}")?;
            }
            if let Some(v) = show(&shb.os) {
                writeln!(out, "Capture oper-sys:    {v}")?;
            }
            if let Some(v) = show(&shb.application) {
                writeln!(out, "Capture application: {v}")?;
            }
            for comment in &shb.comments {
                writeln!(out, "Capture comment:     {}", Escaped(comment))?;
            }
        }
        if matches!(self.format, Some(Format::Pcap | Format::PcapNg)) {
            writeln!(out, "Number of interfaces in file: {}", self.interfaces.len())?;
        }
        let pad = "                     ";
        for (n, i) in self.interfaces.iter().enumerate() {
            writeln!(out, "Interface #{n} info:")?;
            if self.format == Some(Format::PcapNg) {
                writeln!(out, "{pad}Section = {}, interface ID = {}", i.section, i.id)?;
            }
            if let Some(name) = &i.name {
                writeln!(out, "{pad}Name = {}", Escaped(name))?;
            }
            if let Some(description) = &i.description {
                writeln!(out, "{pad}Description = {}", Escaped(description))?;
            }
            writeln!(out, "{pad}Encapsulation = {} ({})", link_name(i.link_type), i.link_type.0)?;
            // A pcap header's 0 reads as Wireshark's largest snap length,
            // as capinfos shows it (a pcapng IDB's 0 stays 0).
            let snaplen = match (self.format, i.snaplen) {
                (Some(Format::Pcap), 0) => WIRESHARK_MAX_SNAPLEN,
                (_, snaplen) => snaplen,
            };
            writeln!(out, "{pad}Capture length = {snaplen}")?;
            // As capinfos: the option's value as written; a pcap header's
            // FCS bits are not shown (they are in --json).
            if let Some(value) = i.fcslen_option {
                writeln!(out, "{pad}FCS length = {value}")?;
            }
            writeln!(out, "{pad}Time precision = {}", precision_text(i.resolution))?;
            writeln!(out, "{pad}Number of packets = {}", i.packets)?;
        }
        Ok(())
    }
}

/// Wireshark's largest standard snap length (`WTAP_MAX_PACKET_SIZE_STANDARD`),
/// which it takes for a pcap header's snap length of 0.
const WIRESHARK_MAX_SNAPLEN: u32 = 262_144;
