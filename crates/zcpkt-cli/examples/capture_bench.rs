//! The in-process rows of the pcap/pcapng benchmark (`bench/capture/run.sh`
//! runs each in a fresh process and measures it with `/usr/bin/time`):
//!
//! ```text
//! capture_bench MODE FILE
//! ```
//!
//! | MODE            | what it does                                                         |
//! |-----------------|----------------------------------------------------------------------|
//! | `zcpkt-count`   | zcpkt: mmap, slice `Frames` (pcap or pcapng), count frames           |
//! | `zcpkt-headers` | zcpkt, pcap only: count the record headers read by `pread`     |
//! |                 | (`source::record_headers`), no map                               |
//! | `zcpkt-l4`      | the same, and walk every frame's `Layers` to the last one, reading   |
//! |                 | addresses and ports                                                  |
//! | `zcpkt-par-count` | `zcpkt-count` with `ParallelCapture::fold` on `ZCPKT_THREADS`   |
//! |                 | worker threads (default: one per core), releasing pages behind   |
//! |                 | the batches consumed                                             |
//! | `zcpkt-par-l4`  | `zcpkt-l4` likewise                                                  |
//! | `pp-slice`      | pcap-parser: `LegacyPcapSlice` / `PcapNGSlice` over an mmap, count   |
//! | `pp-stream`     | pcap-parser: `LegacyPcapReader` / `PcapNGReader`, 1 MiB buffer,      |
//! |                 | count                                                                |
//! | `pp-slice-l4`   | `pp-slice` + etherparse `SlicedPacket` to L4, same fields read       |
//! | `pp-stream-l4`  | `pp-stream` + etherparse                                             |
//!
//! Each prints `frames N` and a checksum of what it read (so that nothing
//! is optimised away). The mmap of the pcap-parser rows is zcpkt's
//! `MappedFile` (memmap2, `MADV_SEQUENTIAL`) without its page releaser, as a
//! plain mmap would be. pcap-parser and etherparse are dev-dependencies of
//! zcpkt-cli: the `zcpkt` binary does not link them.

use std::fs::File;
use std::io;
use std::process::ExitCode;

use etherparse::{NetSlice, SlicedPacket, TransportSlice};
use pcap_parser::traits::{PcapNGPacketBlock, PcapReaderIterator};
use pcap_parser::{Block, LegacyPcapReader, LegacyPcapSlice, PcapBlockOwned, PcapError};
use pcap_parser::{PcapNGReader, PcapNGSlice};
use zcpkt::parallel::capture::ParallelCapture;
use zcpkt::proto::{Layer, Layers};
use zcpkt::source::mmap::MappedFile;
use zcpkt::source::record_headers::RecordHeaders;
use zcpkt::{detect, pcap, pcapng, Format};

/// Frames seen and a checksum of the fields read.
struct Tally {
    frames: u64,
    sum: u64,
    /// 31 to the power of the values added: what `merge` needs so that a
    /// parallel fold gives the sequential checksum.
    power: u64,
    /// Where the last frame starts (what can be released after it).
    last: u64,
}

impl Default for Tally {
    fn default() -> Self {
        Self { frames: 0, sum: 0, power: 1, last: 0 }
    }
}

impl Tally {
    #[inline]
    fn add(&mut self, v: u64) {
        self.sum = self.sum.wrapping_mul(31).wrapping_add(v);
        self.power = self.power.wrapping_mul(31);
    }

    /// `self` then `next`, as if one tally had seen both.
    fn merge(self, next: Self) -> Self {
        Self {
            frames: self.frames + next.frames,
            sum: self.sum.wrapping_mul(next.power).wrapping_add(next.sum),
            power: self.power.wrapping_mul(next.power),
            last: self.last.max(next.last),
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, path] = args.as_slice() else {
        eprintln!("usage: capture_bench MODE FILE (see the source for the modes)");
        return ExitCode::from(2);
    };
    let result = match mode.as_str() {
        "zcpkt-count" => zcpkt_rows(path, false),
        "zcpkt-l4" => zcpkt_rows(path, true),
        "zcpkt-headers" => zcpkt_headers(path),
        "zcpkt-par-count" => zcpkt_parallel(path, false),
        "zcpkt-par-l4" => zcpkt_parallel(path, true),
        "pp-slice" => pp_slice(path, false),
        "pp-slice-l4" => pp_slice(path, true),
        "pp-stream" => pp_stream(path, false),
        "pp-stream-l4" => pp_stream(path, true),
        _ => Err(io::Error::other(format!("unknown mode {mode}"))),
    };
    match result {
        Ok(t) => {
            println!("frames {} checksum {:016x}", t.frames, t.sum);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("capture_bench: {e}");
            ExitCode::FAILURE
        }
    }
}

#[inline]
fn zcpkt_frame(frame: &zcpkt::Frame<'_>, l4: bool, t: &mut Tally) {
    t.frames += 1;
    if l4 {
        let layers =
            Layers::with_orig_len(frame.link_type.0, frame.data, frame.original_len as usize);
        for layer in layers {
            zcpkt_layer(&layer, t);
        }
    }
}

fn zcpkt_parallel(path: &str, l4: bool) -> io::Result<Tally> {
    let map = MappedFile::open(path)?;
    let mut releaser = map.releaser();
    let threads = std::env::var("ZCPKT_THREADS").ok().and_then(|t| t.parse().ok()).unwrap_or(0);
    let parallel =
        ParallelCapture::new().batch_size(512 << 10).threads(threads).map_err(io::Error::other)?;
    let fold = |t: &mut Tally, block: pcapng::Block<'_>| {
        if let pcapng::Block::Frame(frame) = block {
            zcpkt_frame(&frame, l4, t);
            t.last = frame.offset;
        }
    };
    let reduce = |a: Tally, b: Tally| {
        releaser.reached(usize::try_from(b.last).unwrap_or(0));
        a.merge(b)
    };
    match parallel.fold(map.as_bytes(), Tally::default, fold, reduce) {
        (t, None) => Ok(t),
        (_, Some(e)) => Err(io::Error::other(e)),
    }
}

fn zcpkt_headers(path: &str) -> io::Result<Tally> {
    let file = File::open(path)?;
    let mut t = Tally::default();
    for record in RecordHeaders::new(pcap::Parser::new(), &file).map_err(io::Error::other)? {
        let record = record.map_err(io::Error::other)?;
        t.frames += 1;
        t.last = record.offset;
    }
    Ok(t)
}

fn zcpkt_rows(path: &str, l4: bool) -> io::Result<Tally> {
    let map = MappedFile::open(path)?;
    let bytes = map.as_bytes();
    let mut releaser = map.releaser();
    let mut t = Tally::default();
    let frame_of = |frame: zcpkt::Frame<'_>, t: &mut Tally| zcpkt_frame(&frame, l4, t);
    match detect(bytes) {
        Some(Format::Pcap) => {
            let mut frames = pcap::Parser::new().frames(bytes);
            while let Some(frame) = frames.next() {
                frame_of(frame.map_err(io::Error::other)?, &mut t);
                releaser.reached(frames.position());
            }
        }
        Some(Format::PcapNg) => {
            let mut frames = pcapng::Parser::new().frames(bytes);
            while let Some(frame) = frames.next() {
                frame_of(frame.map_err(io::Error::other)?, &mut t);
                releaser.reached(frames.position());
            }
        }
        _ => return Err(io::Error::other("not a pcap or pcapng file")),
    }
    Ok(t)
}

#[inline]
fn zcpkt_layer(layer: &Layer<'_>, t: &mut Tally) {
    match layer {
        Layer::Ipv4(ip) => {
            t.add(u32::from_be_bytes(ip.source()).into());
            t.add(u32::from_be_bytes(ip.destination()).into());
        }
        Layer::Ipv6(ip) => {
            t.add(u128::from_be_bytes(ip.source()) as u64);
            t.add(u128::from_be_bytes(ip.destination()) as u64);
        }
        Layer::Tcp(tcp) => {
            t.add(tcp.source_port().into());
            t.add(tcp.destination_port().into());
        }
        Layer::Udp(udp) => {
            t.add(udp.source_port().into());
            t.add(udp.destination_port().into());
        }
        Layer::Icmpv4(icmp) => t.add(icmp.icmp_type().into()),
        Layer::Icmpv6(icmp) => t.add(icmp.icmp_type().into()),
        _ => {}
    }
}

/// etherparse to L4 of an Ethernet (1) or raw IP (101) frame, reading the
/// same fields as [`zcpkt_layer`].
#[inline]
fn etherparse_l4(link_type: u32, data: &[u8], t: &mut Tally) {
    let sliced = match link_type {
        1 => SlicedPacket::from_ethernet(data),
        101 => SlicedPacket::from_ip(data),
        _ => return,
    };
    let Ok(packet) = sliced else { return };
    match &packet.net {
        Some(NetSlice::Ipv4(ip)) => {
            t.add(u32::from_be_bytes(ip.header().source()).into());
            t.add(u32::from_be_bytes(ip.header().destination()).into());
        }
        Some(NetSlice::Ipv6(ip)) => {
            t.add(u128::from_be_bytes(ip.header().source()) as u64);
            t.add(u128::from_be_bytes(ip.header().destination()) as u64);
        }
        _ => {}
    }
    match &packet.transport {
        Some(TransportSlice::Tcp(tcp)) => {
            t.add(tcp.source_port().into());
            t.add(tcp.destination_port().into());
        }
        Some(TransportSlice::Udp(udp)) => {
            t.add(udp.source_port().into());
            t.add(udp.destination_port().into());
        }
        Some(TransportSlice::Icmpv4(icmp)) => t.add(icmp.type_u8().into()),
        Some(TransportSlice::Icmpv6(icmp)) => t.add(icmp.type_u8().into()),
        None => {}
    }
}

/// What a pcap-parser block contributes: the file's or an interface's link
/// type, or a frame.
fn pp_block(block: &PcapBlockOwned<'_>, links: &mut Vec<u32>, l4: bool, t: &mut Tally) {
    match block {
        PcapBlockOwned::LegacyHeader(header) => links.push(header.network.0 as u32),
        PcapBlockOwned::Legacy(frame) => {
            t.frames += 1;
            if l4 {
                etherparse_l4(links.first().copied().unwrap_or(1), frame.data, t);
            }
        }
        PcapBlockOwned::NG(Block::SectionHeader(_)) => links.clear(),
        PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => links.push(idb.linktype.0 as u32),
        PcapBlockOwned::NG(Block::EnhancedPacket(epb)) => {
            t.frames += 1;
            if l4 {
                let link = links.get(epb.if_id as usize).copied().unwrap_or(1);
                etherparse_l4(link, epb.packet_data(), t);
            }
        }
        PcapBlockOwned::NG(Block::SimplePacket(spb)) => {
            t.frames += 1;
            if l4 {
                etherparse_l4(links.first().copied().unwrap_or(1), spb.packet_data(), t);
            }
        }
        PcapBlockOwned::NG(_) => {}
    }
}

fn err(e: impl std::fmt::Debug) -> io::Error {
    io::Error::other(format!("pcap-parser: {e:?}"))
}

fn pp_slice(path: &str, l4: bool) -> io::Result<Tally> {
    let map = MappedFile::open(path)?;
    let bytes = map.as_bytes();
    let mut t = Tally::default();
    let mut links = Vec::new();
    match detect(bytes) {
        Some(Format::Pcap) => {
            for block in LegacyPcapSlice::from_slice(bytes).map_err(err)? {
                pp_block(&block.map_err(err)?, &mut links, l4, &mut t);
            }
        }
        Some(Format::PcapNg) => {
            for block in PcapNGSlice::from_slice(bytes).map_err(err)? {
                pp_block(&block.map_err(err)?, &mut links, l4, &mut t);
            }
        }
        _ => return Err(io::Error::other("not a pcap or pcapng file")),
    }
    Ok(t)
}

fn pp_stream(path: &str, l4: bool) -> io::Result<Tally> {
    const BUFFER: usize = 1 << 20;
    let mut magic = [0u8; 4];
    io::Read::read_exact(&mut File::open(path)?, &mut magic)?;
    let file = File::open(path)?;
    let mut reader: Box<dyn PcapReaderIterator> = match detect(&magic) {
        Some(Format::Pcap) => Box::new(LegacyPcapReader::new(BUFFER, file).map_err(err)?),
        Some(Format::PcapNg) => Box::new(PcapNGReader::new(BUFFER, file).map_err(err)?),
        _ => return Err(io::Error::other("not a pcap or pcapng file")),
    };
    let mut t = Tally::default();
    let mut links = Vec::new();
    loop {
        match reader.next() {
            Ok((offset, block)) => {
                pp_block(&block, &mut links, l4, &mut t);
                reader.consume(offset);
            }
            Err(PcapError::Eof) => break,
            Err(PcapError::Incomplete(_)) => reader.refill().map_err(err)?,
            Err(e) => return Err(err(e)),
        }
    }
    Ok(t)
}
