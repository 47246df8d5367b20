//! `zcpkt stats`: a summary of a capture in one pass and bounded memory
//! (one counter per distinct identifier, none per packet).

use std::collections::HashMap as StdHashMap;

/// Counting per packet means two lookups per packet: foldhash is several
/// times cheaper than std's SipHash on short keys, and the inputs' ids and
/// addresses are not secrets to protect from collision attacks beyond what
/// its per-process random seed already gives.
type HashMap<K, V> = StdHashMap<K, V, foldhash::fast::RandomState>;
use std::io::Write;

use serde_json::{json, Value};
use zcpkt::proto::fields::Value as FieldValue;
use zcpkt::proto::{Layer, Layers};
use zcpkt::{CaptureError, ErrorKind, Format, Frame, Packet, PacketFlags, Record};

use crate::capture_fold::{fold_capture_events, FrameFold};
use crate::cmd::capture::{format_name, is_capture, report_damage};
use crate::error::{CliError, Outcome};
use crate::input::{CaptureEvent, Input, InputArgs, ReadOptions};
use crate::output;
use crate::text::Escaped;
use crate::time::{Iso, IsoNanos};
use crate::top::Top;

/// Summarise a capture: counts, sizes, time span, rates, flags, top ids
///
/// Also counts extensions per type, the busiest sources and destinations,
/// and errors. Damaged input is read past (as `dump --recover`); its errors are counted.
/// "Packets" are all packets whose framing is intact, damaged ones included
/// (as `check` counts them): a packet over --max-packet (TooLarge) counts
/// in packets and errors, but as it is not read, its bytes are only in the
/// total and it is in no other count.
///
/// `--json` prints one object with these fields, in this order:
///
///   packets, valid_packets               packet counts
///   bytes {total, headers, payloads, skipped}
///                                        total = the input's size; headers
///                                        and payloads sum over packets
///   payload_size {min, max, mean, p50, p90, p99, histogram}
///                                        pNN: upper bound of the power-of-two
///                                        bucket holding that percentile,
///                                        capped at max; histogram: non-empty
///                                        buckets [{min, max, count}]; all
///                                        null/empty without packets
///   time {first, last, first_iso, last_iso, duration_us,
///         packets_per_sec, bytes_per_sec}
///                                        earliest and latest TIMESTAMP (µs),
///                                        rates over last - first with bytes =
///                                        headers + payloads; null when unknown
///                                        or the duration is 0
///   flags {COMPRESSED, ENCRYPTED, PRIORITY, FRAGMENT, reserved, none}
///                                        packets with each flag, with any
///                                        reserved bit, with no bit
///   extensions {NAME: count, ..., malformed}
///                                        records per type (metadata,
///                                        encryption, compression, routing,
///                                        custom(N)); packets with a malformed
///                                        area
///   top_sources, top_dests [{id, packets}]
///                                        the --top busiest, most packets first
///   top_undercount {sources, dests}      0 when those counts are exact; else
///                                        how far under its true count each
///                                        may be (over 16384 distinct ids:
///                                        bounded memory, see the README)
///   errors {total, Truncated, BadMagic, ...}
///                                        every kind of the spec's table
///
/// pcap and pcapng input (detected by magic) is summarised per frame
/// instead: frames, original and captured bytes, frame size distribution
/// (original lengths), time span and rates, frames per protocol, the
/// busiest IP sources and destinations and TCP/UDP destination ports.
/// Its `--json` object has these fields, in this order:
///
///   format                               "pcap" or "pcapng"
///   frames                               frames read
///   bytes {original, captured, file}     sums of the frames' original (wire)
///                                        and captured lengths; the input's size
///   frame_size {min, max, mean, p50, p90, p99, histogram}
///                                        over original lengths, as payload_size
///   time {first, last, first_iso, last_iso, duration_ns,
///         frames_per_sec, bytes_per_sec}
///                                        earliest and latest timestamp
///                                        ("secs.nanos" and ISO-8601 UTC);
///                                        rates over original bytes; null when
///                                        unknown or the duration is 0
///   protocols {ethernet, vlan, arp, ipv4, ipv6, tcp, udp, icmp, icmpv6,
///              vxlan, other}             frames holding each protocol at least
///                                        once (VXLAN's inner headers count);
///                                        other = frames with no ARP or IP
///   top_sources, top_destinations [{address, frames, bytes}]
///                                        the --top busiest addresses of the
///                                        outermost IP header, most frames first
///   top_tcp_ports, top_udp_ports [{port, frames, bytes}]
///                                        the --top busiest destination ports of
///                                        the first TCP / UDP header
///   top_undercount {sources, destinations, tcp_ports, udp_ports}
///                                        0 when those frame counts are exact
///                                        (always for ports); else how far
///                                        under its true count each may be
///                                        (over 16384 distinct addresses)
///   damage                               null, or {offset, kind, message}: the
///                                        damage that ended the capture (also
///                                        one line on standard error, exit 1)
///
/// Exit status: 0 clean, 1 when the input holds errors, 2 on a usage error
/// or unreadable input.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,

    /// Print one JSON object (fields above) instead of text.
    #[arg(long)]
    pub json: bool,

    /// How many sources and destinations to list.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
}

pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let input = Input::new(args.input.file.clone());
    let opts = ReadOptions::new(&args.input, true);
    let mut stats = Stats::default();
    let (frames, summary) = fold_capture_events::<FrameStats>(&input, &opts, true, |event| {
        if let CaptureEvent::Pkt(record) = event {
            stats.add(&record);
        }
        std::ops::ControlFlow::Continue(())
    })?;
    if let (true, Some(format)) = (is_capture(summary.format), summary.format) {
        return run_capture(args, &input, &frames, format, summary.bytes, summary.error);
    }
    stats.total_bytes = summary.bytes;
    let mut out = output::stdout();
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &stats.to_json(args.top))
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        stats.write_text(&mut out, args.top)
    };
    written.and_then(|()| out.flush()).map_err(CliError::stdout)?;
    Ok(Outcome::from_errors(stats.errors.iter().sum()))
}

/// Payload sizes in power-of-two buckets: bucket 0 holds size 0, bucket k
/// sizes 2^(k-1) ..= 2^k - 1 (PAYLOAD_LEN is a u32, so k <= 32).
struct SizeHistogram {
    buckets: [u64; 33],
    count: u64,
    sum: u128,
    min: u64,
    max: u64,
}

impl Default for SizeHistogram {
    fn default() -> Self {
        Self { buckets: [0; 33], count: 0, sum: 0, min: u64::MAX, max: 0 }
    }
}

impl SizeHistogram {
    fn add(&mut self, size: u32) {
        self.buckets[(32 - size.leading_zeros()) as usize] += 1;
        self.count += 1;
        self.sum += u128::from(size);
        self.min = self.min.min(u64::from(size));
        self.max = self.max.max(u64::from(size));
    }

    fn merge(&mut self, later: &Self) {
        for (bucket, n) in self.buckets.iter_mut().zip(later.buckets) {
            *bucket += n;
        }
        self.count += later.count;
        self.sum += later.sum;
        self.min = self.min.min(later.min);
        self.max = self.max.max(later.max);
    }

    fn bounds(bucket: usize) -> (u64, u64) {
        match bucket {
            0 => (0, 0),
            k => (1 << (k - 1), (1 << k) - 1),
        }
    }

    fn percentile(&self, q: f64) -> Option<u64> {
        let rank = ((q * self.count as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (bucket, &n) in self.buckets.iter().enumerate() {
            seen += n;
            if n > 0 && seen >= rank {
                return Some(Self::bounds(bucket).1.min(self.max));
            }
        }
        None
    }

    /// `{min, max, mean, p50, p90, p99, histogram}` for `--json`.
    fn to_json(&self) -> Value {
        let histogram: Vec<Value> = self
            .non_empty()
            .map(|(min, max, count)| json!({"min": min, "max": max, "count": count}))
            .collect();
        json!({
            "min": (self.count > 0).then_some(self.min),
            "max": (self.count > 0).then_some(self.max),
            "mean": self.mean(),
            "p50": self.percentile(0.50),
            "p90": self.percentile(0.90),
            "p99": self.percentile(0.99),
            "histogram": histogram,
        })
    }

    fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / self.count as f64)
    }

    fn non_empty(&self) -> impl Iterator<Item = (u64, u64, u64)> + '_ {
        let buckets = self.buckets.iter().enumerate().filter(|(_, &n)| n > 0);
        buckets.map(|(k, &n)| (Self::bounds(k).0, Self::bounds(k).1, n))
    }
}

#[derive(Default)]
struct Stats {
    packets: u64,
    valid: u64,
    total_bytes: u64,
    header_bytes: u64,
    payload_bytes: u64,
    skipped: u64,
    payload: SizeHistogram,
    first: Option<u64>,
    last: Option<u64>,
    flags: [u64; 4],
    reserved_flags: u64,
    no_flags: u64,
    extensions: HashMap<u8, u64>,
    malformed_extensions: u64,
    sources: Counter,
    dests: Counter,
    errors: [u64; ErrorKind::NAMES.len()],
}

impl Stats {
    fn add(&mut self, record: &Record<'_>) {
        match record {
            Record::Packet(packet) => self.add_packet(packet),
            Record::Error(error) => {
                self.errors[error.kind.index()] += 1;
                // A TooLarge record stands for a framed packet, as in
                // `check`, though nothing in it was read but its size.
                if error.kind.framed_packet_size().is_some() {
                    self.packets += 1;
                }
            }
            Record::Skipped(skipped) => self.skipped += skipped.len,
        }
    }

    fn add_packet(&mut self, p: &Packet<'_>) {
        self.packets += 1;
        self.valid += u64::from(p.is_valid());
        self.header_bytes += u64::from(p.header_len);
        self.payload_bytes += u64::from(p.payload_len);
        self.payload.add(p.payload_len);
        self.first = Some(self.first.map_or(p.timestamp, |t| t.min(p.timestamp)));
        self.last = Some(self.last.map_or(p.timestamp, |t| t.max(p.timestamp)));
        for (count, (flag, _)) in self.flags.iter_mut().zip(PacketFlags::NAMED) {
            *count += u64::from(p.flags.contains(flag));
        }
        self.reserved_flags += u64::from(p.flags.reserved_bits() != 0);
        self.no_flags += u64::from(p.flags.is_empty());
        if p.malformed_extension_offset().is_some() {
            self.malformed_extensions += 1;
        }
        for ext in p.extensions() {
            *self.extensions.entry(ext.ty.to_byte()).or_default() += 1;
        }
        self.sources.add(p.source_id);
        self.dests.add(p.dest_id);
    }

    fn duration_us(&self) -> Option<u64> {
        Some(self.last? - self.first?)
    }

    /// (packets/s, bytes/s) over the capture's time span.
    fn rates(&self) -> Option<(f64, f64)> {
        let secs = self.duration_us().filter(|&d| d > 0)? as f64 / 1e6;
        let bytes = (self.header_bytes + self.payload_bytes) as f64;
        Some((self.packets as f64 / secs, bytes / secs))
    }

    /// Extension types in TYPE-byte order, with their display names.
    fn extension_counts(&self) -> Vec<(String, u64)> {
        let mut types: Vec<_> = self.extensions.iter().map(|(&t, &n)| (t, n)).collect();
        types.sort_unstable();
        types
            .into_iter()
            .map(|(t, n)| (zcpkt::ExtensionType::from_byte(t).to_string(), n))
            .collect()
    }

    fn to_json(&self, top: usize) -> Value {
        let rates = self.rates();
        let mut flags = serde_json::Map::new();
        for ((_, name), count) in PacketFlags::NAMED.iter().zip(self.flags) {
            flags.insert((*name).into(), count.into());
        }
        flags.insert("reserved".into(), self.reserved_flags.into());
        flags.insert("none".into(), self.no_flags.into());
        let mut extensions: serde_json::Map<String, Value> =
            self.extension_counts().into_iter().map(|(name, n)| (name, n.into())).collect();
        extensions.insert("malformed".into(), self.malformed_extensions.into());
        let mut errors = serde_json::Map::new();
        errors.insert("total".into(), self.errors.iter().sum::<u64>().into());
        for (name, count) in ErrorKind::NAMES.iter().zip(self.errors) {
            errors.insert((*name).into(), count.into());
        }
        json!({
            "packets": self.packets,
            "valid_packets": self.valid,
            "bytes": {
                "total": self.total_bytes,
                "headers": self.header_bytes,
                "payloads": self.payload_bytes,
                "skipped": self.skipped,
            },
            "payload_size": self.payload.to_json(),
            "time": {
                "first": self.first,
                "last": self.last,
                "first_iso": self.first.map(|t| Iso(t).to_string()),
                "last_iso": self.last.map(|t| Iso(t).to_string()),
                "duration_us": self.duration_us(),
                "packets_per_sec": rates.map(|r| r.0),
                "bytes_per_sec": rates.map(|r| r.1),
            },
            "flags": flags,
            "extensions": extensions,
            "top_sources": self.sources.top_json(top),
            "top_dests": self.dests.top_json(top),
            "top_undercount": {
                "sources": self.sources.0.undercount(),
                "dests": self.dests.0.undercount(),
            },
            "errors": errors,
        })
    }

    fn write_text(&self, out: &mut impl Write, top: usize) -> std::io::Result<()> {
        writeln!(out, "packets          {} ({} valid)", self.packets, self.valid)?;
        writeln!(
            out,
            "bytes            {} total, {} headers, {} payloads, {} skipped",
            self.total_bytes, self.header_bytes, self.payload_bytes, self.skipped
        )?;
        self.write_payload_sizes(out)?;
        self.write_time(out)?;
        let flags: Vec<String> = PacketFlags::NAMED
            .iter()
            .zip(self.flags)
            .map(|((_, name), n)| format!("{name} {n}"))
            .chain([format!("reserved {}", self.reserved_flags), format!("none {}", self.no_flags)])
            .collect();
        writeln!(out, "flags            {}", flags.join(", "))?;
        let extensions: Vec<String> = self
            .extension_counts()
            .into_iter()
            .map(|(name, n)| format!("{name} {n}"))
            .chain([format!("malformed {}", self.malformed_extensions)])
            .collect();
        writeln!(out, "extensions       {}", extensions.join(", "))?;
        self.sources.write_top(out, "top sources", top)?;
        self.dests.write_top(out, "top destinations", top)?;
        self.write_errors(out)
    }

    fn write_payload_sizes(&self, out: &mut impl Write) -> std::io::Result<()> {
        let h = &self.payload;
        let (Some(mean), Some(p50), Some(p90), Some(p99)) =
            (h.mean(), h.percentile(0.5), h.percentile(0.9), h.percentile(0.99))
        else {
            return writeln!(out, "payload size     -");
        };
        writeln!(
            out,
            "payload size     min {}, max {}, mean {mean:.1}, p50 <= {p50}, p90 <= {p90}, p99 <= {p99}",
            h.min, h.max
        )?;
        for (min, max, count) in h.non_empty() {
            writeln!(out, "  {:>21}  {count}", format!("{min}..={max}"))?;
        }
        Ok(())
    }

    fn write_time(&self, out: &mut impl Write) -> std::io::Result<()> {
        let (Some(first), Some(last), Some(duration)) = (self.first, self.last, self.duration_us())
        else {
            return writeln!(out, "time             -");
        };
        writeln!(out, "time             {} .. {}", Iso(first), Iso(last))?;
        let secs = duration / 1_000_000;
        writeln!(out, "duration         {secs}.{:06} s", duration % 1_000_000)?;
        match self.rates() {
            Some((packets, bytes)) => {
                writeln!(out, "rate             {packets:.1} packets/s, {bytes:.1} bytes/s")
            }
            None => writeln!(out, "rate             -"),
        }
    }

    fn write_errors(&self, out: &mut impl Write) -> std::io::Result<()> {
        let total: u64 = self.errors.iter().sum();
        let kinds: Vec<String> = ErrorKind::NAMES
            .iter()
            .zip(self.errors)
            .filter(|(_, n)| *n > 0)
            .map(|(name, n)| format!("{name} {n}"))
            .collect();
        match kinds.is_empty() {
            true => writeln!(out, "errors           0"),
            false => writeln!(out, "errors           {total} ({})", kinds.join(", ")),
        }
    }
}

/// Packets per identifier, in bounded memory ([`Top`]): owned keys, since
/// records are only lent to us, copied once per identifier the table takes
/// in (never once per packet).
struct Counter(Top<Box<str>>);

impl Default for Counter {
    fn default() -> Self {
        Self(Top::new(TOP_KEYS))
    }
}

impl Counter {
    fn add(&mut self, id: &str) {
        self.0.add_by(id, 0, |id| Box::from(id));
    }

    /// The `n` busiest, most packets first, ties by identifier.
    fn top(&self, n: usize) -> Vec<(&str, u64)> {
        self.0.top(n).into_iter().map(|(id, count)| (&**id, count.frames)).collect()
    }

    fn top_json(&self, n: usize) -> Value {
        self.top(n).into_iter().map(|(id, packets)| json!({"id": id, "packets": packets})).collect()
    }

    fn write_top(&self, out: &mut impl Write, title: &str, n: usize) -> std::io::Result<()> {
        let top = self.top(n);
        if top.is_empty() {
            return Ok(());
        }
        writeln!(out, "{title}{}", Approximate(self.0.undercount()))?;
        for (id, packets) in top {
            let id = if id.is_empty() { "(empty)".to_owned() } else { Escaped(id).to_string() };
            writeln!(out, "  {id:<30} {packets}")?;
        }
        Ok(())
    }
}

/// The keys a busiest-list table keeps at least (addresses, identifiers):
/// up to twice as many are held, about 1.3 MB for IPv6 addresses, and
/// counts are exact up to that many distinct keys (see [`Top`]).
const TOP_KEYS: usize = 8192;

/// The note after a busiest-list's title when its counts are not exact.
struct Approximate(u64);

impl std::fmt::Display for Approximate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            0 => Ok(()),
            n => write!(f, " (approximate: too many to count each; up to {n} under)"),
        }
    }
}

// ---- pcap and pcapng: per-frame statistics from the layer walker. ----

fn run_capture(
    args: &Args,
    input: &Input,
    stats: &FrameStats,
    format: Format,
    file_bytes: u64,
    damage: Option<CaptureError>,
) -> Result<Outcome, CliError> {
    let mut out = output::stdout();
    let written = if args.json {
        let json = stats.to_json(args.top, format, file_bytes, damage.as_ref());
        serde_json::to_writer_pretty(&mut out, &json)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        stats.write_text(&mut out, args.top, format, file_bytes, damage.as_ref())
    };
    written.and_then(|()| out.flush()).map_err(CliError::stdout)?;
    match damage {
        Some(error) => {
            report_damage(input, &error);
            Ok(Outcome::ErrorsFound)
        }
        None => Ok(Outcome::Clean),
    }
}

/// The protocols counted, in output order; `other` last.
const PROTOCOLS: [&str; 11] =
    ["ethernet", "vlan", "arp", "ipv4", "ipv6", "tcp", "udp", "icmp", "icmpv6", "vxlan", "other"];

/// The bit of [`PROTOCOLS`] a layer counts in, if any (a cut header counts
/// for nothing: its protocol was not seen whole).
fn protocol_bit(layer: &Layer<'_>) -> Option<usize> {
    Some(match layer {
        Layer::Ethernet(_) => 0,
        Layer::Vlan(_) => 1,
        Layer::Arp(_) => 2,
        Layer::Ipv4(_) => 3,
        Layer::Ipv6(_) => 4,
        Layer::Tcp(_) => 5,
        Layer::Udp(_) => 6,
        Layer::Icmpv4(_) => 7,
        Layer::Icmpv6(_) => 8,
        Layer::Vxlan(_) => 9,
        _ => return None,
    })
}

/// An IP address as a fixed-size key: no allocation per frame, and one
/// map entry per distinct address (IPv4 in the first four bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct IpKey {
    version: u8,
    addr: [u8; 16],
}

impl IpKey {
    fn v4(a: [u8; 4]) -> Self {
        let mut addr = [0; 16];
        addr[..4].copy_from_slice(&a);
        Self { version: 4, addr }
    }

    fn v6(addr: [u8; 16]) -> Self {
        Self { version: 6, addr }
    }

    fn text(&self) -> String {
        match self.version {
            4 => FieldValue::Ipv4([self.addr[0], self.addr[1], self.addr[2], self.addr[3]]),
            _ => FieldValue::Ipv6(self.addr),
        }
        .to_string()
    }
}

/// Frames and bytes per key, in bounded memory ([`Top`]).
struct Talkers<K>(Top<K>);

/// How many keys of a type a [`Talkers`] keeps at least.
trait TopKeys {
    const KEPT: usize;
}

impl TopKeys for IpKey {
    const KEPT: usize = TOP_KEYS;
}

impl TopKeys for u16 {
    /// Twice this is every port: port counts are always exact.
    const KEPT: usize = 1 << 15;
}

impl<K: TopKeys + Copy + Ord + std::hash::Hash> Default for Talkers<K> {
    fn default() -> Self {
        Self(Top::new(K::KEPT))
    }
}

impl<K: Copy + Ord + std::hash::Hash> Talkers<K> {
    fn add(&mut self, key: K, bytes: u64) {
        self.0.add_by(&key, bytes, |k| *k);
    }

    fn merge(&mut self, later: Self) {
        self.0.merge(later.0);
    }

    /// The `n` busiest: most frames first, then most bytes, then by key.
    fn top(&self, n: usize) -> Vec<(K, u64, u64)> {
        self.0.top(n).into_iter().map(|(k, c)| (*k, c.frames, c.bytes)).collect()
    }

    fn undercount(&self) -> u64 {
        self.0.undercount()
    }
}

#[derive(Default)]
struct FrameStats {
    frames: u64,
    original: u64,
    captured: u64,
    sizes: SizeHistogram,
    /// Earliest and latest timestamps, nanoseconds since the epoch.
    first: Option<i128>,
    last: Option<i128>,
    protocols: [u64; PROTOCOLS.len()],
    sources: Talkers<IpKey>,
    dests: Talkers<IpKey>,
    tcp_ports: Talkers<u16>,
    udp_ports: Talkers<u16>,
}

impl FrameFold for FrameStats {
    fn frame(&mut self, frame: &Frame<'_>) {
        self.add(frame);
    }

    fn merge(&mut self, later: Self) {
        self.frames += later.frames;
        self.original += later.original;
        self.captured += later.captured;
        self.sizes.merge(&later.sizes);
        self.first = self.first.into_iter().chain(later.first).min();
        self.last = self.last.into_iter().chain(later.last).max();
        for (count, n) in self.protocols.iter_mut().zip(later.protocols) {
            *count += n;
        }
        self.sources.merge(later.sources);
        self.dests.merge(later.dests);
        self.tcp_ports.merge(later.tcp_ports);
        self.udp_ports.merge(later.udp_ports);
    }
}

impl FrameStats {
    /// The hot path: one walk of the frame's layers, counters and map
    /// updates on fixed-size keys; nothing allocated once every key is in.
    fn add(&mut self, frame: &Frame<'_>) {
        let bytes = u64::from(frame.original_len);
        self.frames += 1;
        self.original += bytes;
        self.captured += u64::from(frame.captured_len);
        self.sizes.add(frame.original_len);
        if let Some(ns) = frame.timestamp.map(|t| t.unix_nanos()) {
            self.first = Some(self.first.map_or(ns, |t| t.min(ns)));
            self.last = Some(self.last.map_or(ns, |t| t.max(ns)));
        }
        let mut seen = 0u16;
        let (mut ip, mut tcp, mut udp) = (false, false, false);
        for layer in Layers::of_frame(frame) {
            if let Some(bit) = protocol_bit(&layer) {
                seen |= 1 << bit;
            }
            match layer {
                Layer::Ipv4(v4) if !ip => {
                    ip = true;
                    self.sources.add(IpKey::v4(v4.source()), bytes);
                    self.dests.add(IpKey::v4(v4.destination()), bytes);
                }
                Layer::Ipv6(v6) if !ip => {
                    ip = true;
                    self.sources.add(IpKey::v6(v6.source()), bytes);
                    self.dests.add(IpKey::v6(v6.destination()), bytes);
                }
                Layer::Tcp(t) if !tcp => {
                    tcp = true;
                    self.tcp_ports.add(t.destination_port(), bytes);
                }
                Layer::Udp(u) if !udp => {
                    udp = true;
                    self.udp_ports.add(u.destination_port(), bytes);
                }
                _ => {}
            }
        }
        // Neither ARP nor IP: the frame's network layer is something else.
        if seen & 0b1_1100 == 0 {
            seen |= 1 << (PROTOCOLS.len() - 1);
        }
        for (bit, count) in self.protocols.iter_mut().enumerate() {
            *count += u64::from(seen >> bit & 1);
        }
    }

    fn duration_ns(&self) -> Option<i128> {
        Some(self.last? - self.first?)
    }

    /// (frames/s, original bytes/s) over the capture's time span.
    fn rates(&self) -> Option<(f64, f64)> {
        let secs = self.duration_ns().filter(|&d| d > 0)? as f64 / 1e9;
        Some((self.frames as f64 / secs, self.original as f64 / secs))
    }

    fn iso(ns: i128) -> String {
        // i128 ns / 1e9 fits i64 for any Timestamp (its seconds are an i64).
        let secs = ns.div_euclid(1_000_000_000) as i64;
        let nanos = ns.rem_euclid(1_000_000_000) as u32;
        IsoNanos { secs, nanos }.to_string()
    }

    /// The decimal value of the time in seconds, as `info` and the
    /// library's `Timestamp` print it: before the epoch the sign goes in
    /// front of the magnitude (-0.75 s is `-0.750000000`; the floor and the
    /// fraction above it, `-1.250000000`, would read back as -1.25 s).
    fn epoch(ns: i128) -> String {
        let sign = if ns < 0 { "-" } else { "" };
        let magnitude = ns.unsigned_abs();
        let secs = magnitude / 1_000_000_000;
        let nanos = magnitude % 1_000_000_000;
        format!("{sign}{secs}.{nanos:09}")
    }

    fn to_json(
        &self,
        top: usize,
        format: Format,
        file_bytes: u64,
        damage: Option<&CaptureError>,
    ) -> Value {
        let rates = self.rates();
        let protocols: serde_json::Map<String, Value> =
            PROTOCOLS.iter().zip(self.protocols).map(|(p, n)| ((*p).into(), n.into())).collect();
        let hosts = |t: &Talkers<IpKey>| -> Vec<Value> {
            let top = t.top(top).into_iter();
            top.map(|(k, f, b)| json!({"address": k.text(), "frames": f, "bytes": b})).collect()
        };
        let ports = |t: &Talkers<u16>| -> Vec<Value> {
            let top = t.top(top).into_iter();
            top.map(|(p, f, b)| json!({"port": p, "frames": f, "bytes": b})).collect()
        };
        json!({
            "format": format_name(format),
            "frames": self.frames,
            "bytes": {"original": self.original, "captured": self.captured, "file": file_bytes},
            "frame_size": self.sizes.to_json(),
            "time": {
                "first": self.first.map(Self::epoch),
                "last": self.last.map(Self::epoch),
                "first_iso": self.first.map(Self::iso),
                "last_iso": self.last.map(Self::iso),
                "duration_ns": self.duration_ns().map(|d| d as u64),
                "frames_per_sec": rates.map(|r| r.0),
                "bytes_per_sec": rates.map(|r| r.1),
            },
            "protocols": protocols,
            "top_sources": hosts(&self.sources),
            "top_destinations": hosts(&self.dests),
            "top_tcp_ports": ports(&self.tcp_ports),
            "top_udp_ports": ports(&self.udp_ports),
            "top_undercount": {
                "sources": self.sources.undercount(),
                "destinations": self.dests.undercount(),
                "tcp_ports": self.tcp_ports.undercount(),
                "udp_ports": self.udp_ports.undercount(),
            },
            "damage": damage.map(|e| json!({
                "offset": e.offset, "kind": e.kind.name(), "message": e.to_string()
            })),
        })
    }

    fn write_text(
        &self,
        out: &mut impl Write,
        top: usize,
        format: Format,
        file_bytes: u64,
        damage: Option<&CaptureError>,
    ) -> std::io::Result<()> {
        writeln!(out, "format           {}", format_name(format))?;
        writeln!(out, "frames           {}", self.frames)?;
        writeln!(
            out,
            "bytes            {} original, {} captured, {file_bytes} file",
            self.original, self.captured
        )?;
        let h = &self.sizes;
        match (h.mean(), h.percentile(0.5), h.percentile(0.9), h.percentile(0.99)) {
            (Some(mean), Some(p50), Some(p90), Some(p99)) => {
                writeln!(
                    out,
                    "frame size       min {}, max {}, mean {mean:.1}, p50 <= {p50}, p90 <= {p90}, p99 <= {p99}",
                    h.min, h.max
                )?;
                for (min, max, count) in h.non_empty() {
                    writeln!(out, "  {:>21}  {count}", format!("{min}..={max}"))?;
                }
            }
            _ => writeln!(out, "frame size       -")?,
        }
        match (self.first, self.last, self.duration_ns()) {
            (Some(first), Some(last), Some(d)) => {
                writeln!(out, "time             {} .. {}", Self::iso(first), Self::iso(last))?;
                writeln!(out, "duration         {}.{:09} s", d / 1_000_000_000, d % 1_000_000_000)?;
                match self.rates() {
                    Some((f, b)) => {
                        writeln!(out, "rate             {f:.1} frames/s, {b:.1} bytes/s")?
                    }
                    None => writeln!(out, "rate             -")?,
                }
            }
            _ => writeln!(out, "time             -")?,
        }
        let protocols: Vec<String> =
            PROTOCOLS.iter().zip(self.protocols).map(|(p, n)| format!("{p} {n}")).collect();
        writeln!(out, "protocols        {}", protocols.join(", "))?;
        let tops = [("top sources", &self.sources), ("top destinations", &self.dests)];
        for (title, talkers) in tops {
            let list = talkers.top(top);
            if !list.is_empty() {
                writeln!(out, "{title}{}", Approximate(talkers.undercount()))?;
                for (key, frames, bytes) in list {
                    writeln!(out, "  {:<39} {frames:>10} frames {bytes:>14} bytes", key.text())?;
                }
            }
        }
        let tops = [("top TCP ports", &self.tcp_ports), ("top UDP ports", &self.udp_ports)];
        for (title, ports) in tops {
            let list = ports.top(top);
            if !list.is_empty() {
                writeln!(out, "{title}{}", Approximate(ports.undercount()))?;
                for (port, frames, bytes) in list {
                    writeln!(out, "  {port:<39} {frames:>10} frames {bytes:>14} bytes")?;
                }
            }
        }
        match damage {
            Some(error) => writeln!(out, "damage           {error}"),
            None => writeln!(out, "damage           none"),
        }
    }
}
