//! `zcpkt dump`: every record of a capture, as a table or as the JSON Lines
//! stream of dump-json.md.

use std::io::{self, Write};
use std::ops::ControlFlow;

use std::fmt::Write as _;

use zcpkt::pcapng::Block;
use zcpkt::proto::fields::Value;
use zcpkt::proto::{Layer, Layers, Proto};
use zcpkt::{Error, ErrorKind, Frame, Packet, Record, Skipped};

use crate::cmd::capture::{is_capture, report_damage, Framing};
use crate::error::{CliError, Outcome};
use crate::input::{
    for_each_input_event, record_offset, CaptureEvent, Input, InputArgs, ReadOptions,
};
use crate::output;
use crate::text::{Escaped, Hex};
use crate::time::{Iso, IsoNanos};

/// Show the packets, errors and skipped ranges of a capture.
///
/// pcap and pcapng captures (detected by magic) are shown as a table of
/// frames: number, time (UTC, nanoseconds), section/interface (pcapng),
/// link type, original and captured length, and a one-line summary of the
/// protocols (`IPv4 10.0.0.1 → 10.0.0.2 TCP 443 → 51234 len 1448`; the
/// innermost IP and transport headers, VXLAN noted). `--json` is PKT only
/// (dump-json.md) and refused on them (exit 2; `zcpkt fields` prints
/// per-frame fields for scripts). Damage ends the table: the frames before
/// it are shown, then one line on standard error with its offset (exit 1).
/// With --recover the table goes on past damage, re-synchronising as
/// `zcpkt check` does (see its help), and each damage is one line on
/// standard error (exit 1), from a file or a pipe alike.
///
/// Exit status: 0 when the records shown hold no error, 1 when they hold
/// any (all records are still printed), 2 on a usage error or unreadable
/// input.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,

    /// Print exactly the JSON Lines record stream of dump-json.md (stable,
    /// for scripts) instead of the table.
    #[arg(long)]
    pub json: bool,

    /// Go on past corruption: re-synchronise at the next valid packet and
    /// report the skipped byte ranges (pcap and pcapng: at the next
    /// plausible block or record, as `zcpkt check` does, in files; each
    /// damage is one line on standard error).
    #[arg(long)]
    pub recover: bool,

    /// Stop after N packets (their own error records are still printed).
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,

    /// How to show payloads in the table (ignored with --json, whose fields
    /// are fixed by the spec): lower-case hex, text (lossy UTF-8 with
    /// control characters escaped), or not at all.
    #[arg(long, value_enum, default_value_t = PayloadMode::None, value_name = "MODE")]
    pub payload: PayloadMode,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayloadMode {
    Hex,
    Text,
    None,
}

pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let input = Input::new(args.input.file.clone());
    let mut opts = ReadOptions::new(&args.input, args.recover);
    opts.recover_captures = args.recover;
    opts.progress = !output::stdout_is_terminal();
    // Formatting, not parsing, bounds dump's speed, and `--limit` or a closed
    // pipe stops early: one parsing thread unless asked for more.
    if args.input.threads.is_none() {
        opts.threads = 1;
    }
    let mut out = output::stdout();
    let mut header_due = !args.json;
    let mut state = LimitState::new(args.limit);
    let mut errors = 0u64;
    let mut write_error = None;
    let mut table = FrameTable::new(args.limit, args.payload);
    let mut scratch = String::new();
    let mut refused_json = false;
    // Damage read past is reported as met: hostile input can hold one every
    // few bytes, too many to keep.
    let mut damage_met = false;
    let summary = for_each_input_event(&input, &opts, |event| {
        let record = match event {
            CaptureEvent::Pkt(record) => record,
            // --json is refused on captures (below): no report then.
            CaptureEvent::Damage(_) if args.json => return ControlFlow::Continue(()),
            CaptureEvent::Damage(error) => {
                report_damage(&input, &error);
                damage_met = true;
                return ControlFlow::Continue(());
            }
            CaptureEvent::Skipped(_) => return ControlFlow::Continue(()),
            // dump-json.md describes PKT records only.
            CaptureEvent::PcapHeader(_) => return ControlFlow::Continue(()),
            CaptureEvent::Block(_) if args.json => {
                refused_json = true;
                return ControlFlow::Break(());
            }
            CaptureEvent::Block(block) => {
                return output::keep_going_or_stop(table.block(&mut out, &block), &mut write_error)
            }
        };
        if state.stop_before(&record) {
            return ControlFlow::Break(());
        }
        errors += u64::from(matches!(record, Record::Error(_)));
        let written = if args.json {
            write_json(&mut out, &record)
        } else {
            // Only once the input could be read, so a failure prints nothing.
            let header =
                if std::mem::take(&mut header_due) { write_header(&mut out) } else { Ok(()) };
            header.and_then(|()| write_row(&mut out, &record, args.payload, &mut scratch))
        };
        output::keep_going(written, &mut write_error)
    })?;
    if refused_json || (args.json && is_capture(summary.format)) {
        return Err(CliError::usage(format!(
            "{input}: --json is the PKT record stream of dump-json.md; for pcap and pcapng \
             use the table, or `zcpkt fields` for machine-readable per-frame fields"
        )));
    }
    if let Some(e) = write_error {
        return Err(CliError::stdout(e));
    }
    if is_capture(summary.format) {
        // Zero frames still get the table's header.
        table.header(&mut out).and_then(|()| out.flush()).map_err(CliError::stdout)?;
        if damage_met {
            // Read past, each reported; reading stops at a --limit stop.
            return Ok(Outcome::ErrorsFound);
        }
        // Damage after a --limit stop was never reached, so not reported.
        return Ok(match summary.error.filter(|_| !table.stopped) {
            Some(error) => {
                report_damage(&input, &error);
                Outcome::ErrorsFound
            }
            None => Outcome::Clean,
        });
    }
    out.flush().map_err(CliError::stdout)?;
    Ok(Outcome::from_errors(errors))
}

// ---- pcap and pcapng: a table of frames. ----

/// The frame table's state: numbering, `--limit`, and one line buffer
/// reused for every frame (no allocation per frame once it has grown).
struct FrameTable {
    framing: Framing,
    left: Option<u64>,
    payload: PayloadMode,
    header_due: bool,
    stopped: bool,
    line: String,
}

impl FrameTable {
    fn new(limit: Option<u64>, payload: PayloadMode) -> Self {
        let line = String::with_capacity(256);
        Self {
            framing: Framing::default(),
            left: limit,
            payload,
            header_due: true,
            stopped: false,
            line,
        }
    }

    fn header(&mut self, out: &mut impl Write) -> io::Result<()> {
        if !std::mem::take(&mut self.header_due) {
            return Ok(());
        }
        writeln!(
            out,
            "{:>8}  {:<30}  {:>5}  {:>5}  {:>6}  {:>6}  SUMMARY",
            "NO.", "TIME", "IF", "LINK", "ORIG", "CAP"
        )
    }

    /// Shows a frame; `Break` once `--limit` frames have been shown.
    fn block(&mut self, out: &mut impl Write, block: &Block<'_>) -> io::Result<ControlFlow<()>> {
        if self.left == Some(0) {
            self.stopped = true;
            return Ok(ControlFlow::Break(()));
        }
        if !self.framing.see(block) {
            return Ok(ControlFlow::Continue(()));
        }
        let Block::Frame(frame) = block else {
            return Ok(ControlFlow::Continue(()));
        };
        if let Some(left) = self.left.as_mut() {
            *left -= 1;
        }
        self.header(out)?;
        self.line.clear();
        // Writing into a String cannot fail.
        let _ = self.row(frame);
        self.line.push('\n');
        out.write_all(self.line.as_bytes())?;
        match self.payload {
            PayloadMode::Hex => writeln!(out, "{:10}data: {}", "", Hex(frame.data))?,
            PayloadMode::Text => {
                let text = String::from_utf8_lossy(frame.data);
                writeln!(out, "{:10}data: {}", "", Escaped(&text))?;
            }
            PayloadMode::None => {}
        }
        Ok(ControlFlow::Continue(()))
    }

    fn row(&mut self, frame: &Frame<'_>) -> std::fmt::Result {
        let line = &mut self.line;
        write!(line, "{:>8}  ", self.framing.frames)?;
        match frame.timestamp {
            Some(t) => {
                write!(line, "{:<30}", IsoNanos { secs: t.seconds(), nanos: t.subsec_nanos() })?
            }
            None => write!(line, "{:<30}", "-")?,
        }
        // `section/interface`, right-aligned in 5 columns without a
        // temporary string.
        if self.framing.pcapng {
            let width = digits(frame.section) + 1 + digits(frame.interface_id);
            let pad = 5usize.saturating_sub(width);
            write!(line, "  {:pad$}{}/{}", "", frame.section, frame.interface_id)?;
        } else {
            write!(line, "  {:>5}", "-")?;
        }
        write!(
            line,
            "  {:>5}  {:>6}  {:>6}  ",
            frame.link_type.0, frame.original_len, frame.captured_len
        )?;
        summarize(line, Layers::of_frame(frame))
    }
}

/// One line for a frame's layers: the innermost network and transport
/// headers (VXLAN noted), as a person scanning a capture wants them.
fn summarize(line: &mut String, layers: Layers<'_>) -> std::fmt::Result {
    let start = line.len();
    let mut last_ether_type = None;
    for layer in layers {
        match layer {
            Layer::Ethernet(e) => last_ether_type = Some(e.ether_type()),
            Layer::Vlan(v) => {
                last_ether_type = Some(v.ether_type());
                if v.is_8021q() {
                    write!(line, "VLAN {} ", v.vlan_id())?;
                }
            }
            Layer::Sll(_) | Layer::Sll2(_) | Layer::Null(_) | Layer::Ipv6Ext(_) => {}
            Layer::Arp(a) => write!(line, "ARP op {} ", a.operation())?,
            Layer::Ipv4(ip) => write!(
                line,
                "IPv4 {} → {} ",
                Value::Ipv4(ip.source()),
                Value::Ipv4(ip.destination())
            )?,
            Layer::Ipv6(ip) => write!(
                line,
                "IPv6 {} → {} ",
                Value::Ipv6(ip.source()),
                Value::Ipv6(ip.destination())
            )?,
            Layer::Tcp(t) => {
                write!(line, "TCP {} → {}", t.source_port(), t.destination_port())?;
                match t.payload_len() {
                    Some(len) => write!(line, " len {len} ")?,
                    None => line.push(' '),
                }
            }
            Layer::Udp(u) => write!(
                line,
                "{} {} → {} len {} ",
                if u.lite_len().is_some() { "UDP-Lite" } else { "UDP" },
                u.source_port(),
                u.destination_port(),
                u.lite_len().unwrap_or(usize::from(u.length())).saturating_sub(8)
            )?,
            Layer::Icmpv4(i) => write!(line, "ICMP type {} code {} ", i.icmp_type(), i.code())?,
            Layer::Icmpv6(i) => write!(line, "ICMPv6 type {} code {} ", i.icmp_type(), i.code())?,
            Layer::Vxlan(v) => write!(line, "VXLAN vni {} | ", v.vni())?,
            Layer::Gre(g) => write!(line, "GRE {:#06x} | ", g.protocol_type())?,
            Layer::Mpls(m) => write!(line, "MPLS {} | ", m.bottom_label())?,
            Layer::Llc(_) => {}
            Layer::Geneve(g) => write!(line, "Geneve vni {} | ", g.vni())?,
            Layer::Partial(p) => write!(line, "[{} cut short] ", proto_name(p.proto))?,
        }
    }
    if line.len() == start {
        match last_ether_type {
            Some(t) => write!(line, "ethertype {t:#06x}")?,
            None => line.push('-'),
        }
    }
    // The separators above leave one trailing space.
    while line.ends_with(' ') {
        line.pop();
    }
    Ok(())
}

/// Decimal digits of `n`.
fn digits(n: u32) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

fn proto_name(proto: Proto) -> &'static str {
    match proto {
        Proto::Ethernet => "Ethernet",
        Proto::Vlan(_) => "VLAN",
        Proto::Sll => "SLL",
        Proto::Sll2 => "SLL2",
        Proto::Null => "null",
        Proto::Arp => "ARP",
        Proto::Ipv4 => "IPv4",
        Proto::Ipv6 => "IPv6",
        Proto::Ipv6Ext(_) => "IPv6 extension",
        Proto::Tcp => "TCP",
        Proto::Udp => "UDP",
        Proto::UdpLite => "UDP-Lite",
        Proto::Icmpv4 => "ICMP",
        Proto::Icmpv6 => "ICMPv6",
        Proto::Vxlan => "VXLAN",
        Proto::Gre => "GRE",
        Proto::Mpls => "MPLS",
        Proto::Llc(_) => "LLC",
        Proto::Geneve => "Geneve",
    }
}

/// `--limit`: after the last packet wanted, only its own error records
/// (same offset) are still shown.
struct LimitState {
    left: Option<u64>,
    last_offset: Option<u64>,
}

impl LimitState {
    fn new(limit: Option<u64>) -> Self {
        Self { left: limit, last_offset: None }
    }

    fn stop_before(&mut self, record: &Record<'_>) -> bool {
        if self.left != Some(0) {
            if let (Record::Packet(packet), Some(left)) = (record, self.left.as_mut()) {
                *left -= 1;
                self.last_offset = Some(packet.offset);
            }
            return false;
        }
        self.last_offset != Some(record_offset(record)) || matches!(record, Record::Packet(_))
    }
}

// ---- JSON Lines (dump-json.md): field order is part of the contract. ----

fn write_json(out: &mut impl Write, record: &Record<'_>) -> io::Result<()> {
    match record {
        Record::Packet(packet) => write_packet_json(out, packet),
        Record::Error(error) => write_error_json(out, error),
        Record::Skipped(Skipped { offset, len }) => {
            writeln!(out, r#"{{"kind":"skipped","offset":{offset},"len":{len}}}"#)
        }
    }
}

fn write_packet_json(out: &mut impl Write, p: &Packet<'_>) -> io::Result<()> {
    write!(
        out,
        r#"{{"kind":"packet","offset":{},"version":{},"flags":{},"header_len":{},"payload_len":{},"checksum":"{:#010x}","timestamp":{},"source_id":"#,
        p.offset,
        p.version,
        p.flags.bits(),
        p.header_len,
        p.payload_len,
        p.checksum,
        p.timestamp
    )?;
    json_string(out, p.source_id)?;
    out.write_all(br#","dest_id":"#)?;
    json_string(out, p.dest_id)?;
    // Not verified (--no-crc): the spec's boolean is unknown, so null.
    let crc_ok = match p.checksum_ok() {
        Some(true) => "true",
        Some(false) => "false",
        None => "null",
    };
    write!(out, r#","payload_crc_ok":{crc_ok},"extensions":"#)?;
    if p.malformed_extension_offset().is_some() {
        out.write_all(br#""malformed""#)?;
    } else {
        out.write_all(b"[")?;
        for (i, ext) in p.extensions().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            write!(out, r#"{sep}{{"type":{},"len":{}}}"#, ext.ty.to_byte(), ext.value.len())?;
        }
        out.write_all(b"]")?;
    }
    out.write_all(b"}\n")
}

fn write_error_json(out: &mut impl Write, error: &Error) -> io::Result<()> {
    let name = error.kind.name();
    write!(out, r#"{{"kind":"error","offset":{},"error":"{name}","detail":"#, error.offset)?;
    match error.kind {
        ErrorKind::Truncated { available } => write!(out, r#"{{"available":{available}}}"#),
        ErrorKind::BadMagic => out.write_all(b"{}"),
        ErrorKind::UnsupportedVersion { version } => write!(out, r#"{{"version":{version}}}"#),
        ErrorKind::BadHeaderLen { header_len } => {
            write!(out, r#"{{"header_len":{header_len}}}"#)
        }
        ErrorKind::UnterminatedId { field, field_offset }
        | ErrorKind::InvalidUtf8 { field, field_offset } => {
            write!(out, r#"{{"field":"{}","field_offset":{field_offset}}}"#, field.name())
        }
        ErrorKind::ChecksumMismatch { stored, computed } => {
            write!(out, r#"{{"stored":"{stored:#010x}","computed":"{computed:#010x}"}}"#)
        }
        ErrorKind::MalformedExtension { record_offset } => {
            write!(out, r#"{{"record_offset":{record_offset}}}"#)
        }
        ErrorKind::TooLarge { size, limit } => {
            write!(out, r#"{{"size":{size},"limit":{limit}}}"#)
        }
    }?;
    out.write_all(b"}\n")
}

/// A JSON string with serde_json's escaping (UTF-8 kept, as the spec asks).
fn json_string(out: &mut impl Write, text: &str) -> io::Result<()> {
    serde_json::to_writer(&mut *out, text).map_err(io::Error::from)
}

// ---- The table: for people, so it may change between versions. ----

fn write_header(out: &mut impl Write) -> io::Result<()> {
    let time = "TIME";
    let route = "SOURCE → DEST";
    writeln!(
        out,
        "{:>10}  {time:<27}  {route:<26} {:<20} {:>8}  EXTENSIONS",
        "OFFSET", "FLAGS", "LEN"
    )
}

/// One table row; `scratch` is reused from row to row, so a row allocates
/// nothing once it has grown.
fn write_row(
    out: &mut impl Write,
    record: &Record<'_>,
    payload: PayloadMode,
    scratch: &mut String,
) -> io::Result<()> {
    match record {
        Record::Packet(packet) => write_packet_row(out, packet, payload, scratch),
        Record::Error(error) => writeln!(out, "{:>10}  error: {}", error.offset, message(error)),
        Record::Skipped(Skipped { offset, len }) => {
            writeln!(out, "{offset:>10}  skipped {len} bytes, up to offset {}", offset + len)
        }
    }
}

fn write_packet_row(
    out: &mut impl Write,
    p: &Packet<'_>,
    payload: PayloadMode,
    scratch: &mut String,
) -> io::Result<()> {
    // Route and flags are padded to their columns, so they are formatted
    // first (into the scratch buffer: no allocation per row).
    scratch.clear();
    fmt_write(scratch, format_args!("{} → {}", Escaped(p.source_id), Escaped(p.dest_id)));
    let route_len = scratch.len();
    fmt_write(scratch, format_args!("{}", p.flags));
    let (route, flags) = scratch.split_at(route_len);
    write!(
        out,
        "{:>10}  {}  {route:<26} {flags:<20} {:>8}  ",
        p.offset,
        Iso(p.timestamp),
        p.payload_len
    )?;
    write_extensions(out, p)?;
    out.write_all(b"\n")?;
    match payload {
        PayloadMode::Hex => writeln!(out, "{:12}payload: {}", "", Hex(p.payload)),
        PayloadMode::Text => {
            let text = String::from_utf8_lossy(p.payload);
            writeln!(out, "{:12}payload: {}", "", Escaped(&text))
        }
        PayloadMode::None => Ok(()),
    }
}

/// Appends to a `String`, which cannot fail.
fn fmt_write(buffer: &mut String, args: std::fmt::Arguments<'_>) {
    use std::fmt::Write as _;
    // Formatting into a String only fails if a Display impl does, and ours
    // do not; the row would then just miss that text.
    let _ = buffer.write_fmt(args);
}

/// `metadata:12,routing:4`, `-` for none, `malformed` for a broken area.
fn write_extensions(out: &mut impl Write, p: &Packet<'_>) -> io::Result<()> {
    if p.malformed_extension_offset().is_some() {
        return out.write_all(b"malformed");
    }
    let mut any = false;
    for ext in p.extensions() {
        let sep = if any { "," } else { "" };
        write!(out, "{sep}{}:{}", ext.ty, ext.value.len())?;
        any = true;
    }
    if !any {
        out.write_all(b"-")?;
    }
    Ok(())
}

/// The error's one-line Display without its `offset N: ` prefix, which the
/// table already shows in its own column.
fn message(error: &Error) -> String {
    let full = error.to_string();
    let prefix = format!("offset {}: ", error.offset);
    full.strip_prefix(&prefix).map_or_else(|| full.clone(), str::to_owned)
}
