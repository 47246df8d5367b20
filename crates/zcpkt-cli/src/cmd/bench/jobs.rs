//! The jobs `zcpkt bench` times, each run alone in a fresh worker process.
//!
//! Every parsing job does the same work per packet — frame it, validate it
//! (ids, extensions, CRC unless switched off) and read its header fields — so
//! rows differ only in how bytes reach the parser and whether it copies.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::time::{Duration, Instant};

use zcpkt::baseline::{BaselineParser, OwnedPacket, OwnedRecord};
use zcpkt::parallel::ParallelParser;
use zcpkt::source::mmap::{MappedFile, RELEASE_WINDOW};
use zcpkt::source::stream::StreamReader;
use zcpkt::{Packet, Parser, Record};

use crate::alloc_count::AllocSnapshot;

/// Buffer size of the streaming jobs and the read ceiling.
pub const STREAM_BUFFER: usize = 1 << 20;

/// One benchmark job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Job {
    /// zcpkt over a slice in RAM (the file is read in before the clock starts).
    Slice,
    /// zcpkt over a memory map, releasing parsed windows.
    Mmap,
    /// zcpkt over a memory map kept whole (every touched page stays resident).
    MmapWhole,
    /// zcpkt streaming from the file through a 1 MiB buffer.
    Stream,
    /// zcpkt over a memory map on all cores.
    Parallel,
    /// zcpkt over a slice in RAM on all cores (the file is read in before
    /// the clock starts): the parallel parser without the map's costs.
    ParallelSlice,
    /// zcpkt collecting every packet (borrowed) into a Vec, over a memory map.
    Collect,
    /// zcpkt over a memory map in recover mode: every packet, error and
    /// skipped range (the `check` command's work).
    Recover,
    /// The copying baseline streaming from the file, dropping each packet.
    BaselineStream,
    /// The copying baseline collecting every packet into a Vec.
    BaselineCollect,
    /// Ceiling: CRC-32 of the bytes in RAM, one core.
    Crc1,
    /// Ceiling: CRC-32 of the bytes in RAM, all cores.
    CrcAll,
    /// Ceiling: CRC-32 of the file through a map, a window at a time,
    /// releasing each (as the mmap job does), one core: what the page
    /// faults of a map leave of the CRC ceiling.
    CrcMap1,
    /// Ceiling: the same on all cores, each with its part of the file.
    CrcMapAll,
    /// Ceiling: reading the file through a 1 MiB buffer.
    Read,
}

impl Job {
    /// The parsing jobs, run once with CRC verification and once without.
    pub const PARSERS: [Job; 9] = [
        Job::Slice,
        Job::Mmap,
        Job::MmapWhole,
        Job::Stream,
        Job::Parallel,
        Job::ParallelSlice,
        Job::Collect,
        Job::BaselineStream,
        Job::BaselineCollect,
    ];
    /// The ceilings, run once.
    pub const CEILINGS: [Job; 5] =
        [Job::Crc1, Job::CrcAll, Job::CrcMap1, Job::CrcMapAll, Job::Read];

    /// The job's name in tables and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Job::Slice => "zcpkt slice",
            Job::Mmap => "zcpkt mmap",
            Job::MmapWhole => "zcpkt mmap, no release",
            Job::Stream => "zcpkt stream",
            Job::Parallel => "zcpkt parallel",
            Job::ParallelSlice => "zcpkt parallel, slice",
            Job::Collect => "zcpkt collect",
            Job::Recover => "zcpkt recover",
            Job::BaselineStream => "baseline stream",
            Job::BaselineCollect => "baseline collect",
            Job::Crc1 => "ceiling crc32 1 core",
            Job::CrcAll => "ceiling crc32 all cores",
            Job::CrcMap1 => "ceiling mmap+crc32 1 core",
            Job::CrcMapAll => "ceiling mmap+crc32 all cores",
            Job::Read => "ceiling read",
        }
    }

    /// The baseline job this zcpkt job is compared with, if any.
    pub fn baseline(self) -> Option<Job> {
        match self {
            Job::Slice
            | Job::Mmap
            | Job::MmapWhole
            | Job::Stream
            | Job::Parallel
            | Job::ParallelSlice => Some(Job::BaselineStream),
            Job::Collect => Some(Job::BaselineCollect),
            _ => None,
        }
    }
}

/// What a job saw: proof that it did the work.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally {
    /// Packets visited.
    pub packets: u64,
    /// Errors reported.
    pub errors: u64,
    /// A fold of the fields read, so nothing is optimised away.
    pub digest: u64,
}

impl Tally {
    fn packet(&mut self, p: &Packet<'_>) {
        self.visit(
            p.timestamp,
            p.payload.len(),
            p.source_id.len() + p.dest_id.len(),
            p.flags.bits(),
        );
    }

    fn owned(&mut self, p: &OwnedPacket) {
        self.visit(
            p.timestamp,
            p.payload.len(),
            p.source_id.len() + p.dest_id.len(),
            p.flags.bits(),
        );
    }

    #[inline]
    fn visit(&mut self, timestamp: u64, payload: usize, ids: usize, flags: u8) {
        self.packets += 1;
        self.digest =
            self.digest.wrapping_add(timestamp ^ (payload + ids) as u64 ^ u64::from(flags));
    }

    fn merge(mut self, other: Tally) -> Tally {
        self.packets += other.packets;
        self.errors += other.errors;
        self.digest = self.digest.wrapping_add(other.digest);
        self
    }
}

/// A job's measurement inside its worker process.
#[derive(Clone, Copy, Debug)]
pub struct Measured {
    /// What the job saw.
    pub tally: Tally,
    /// Wall time of the job (setup such as reading a file into RAM excluded).
    pub elapsed: Duration,
    /// Heap allocations during the timed part.
    pub allocs: AllocSnapshot,
    /// Page faults (minor and major) during the timed part.
    pub page_faults: u64,
}

/// Runs `job` on the file at `path`.
pub fn run(job: Job, path: &Path, crc: bool, threads: usize) -> io::Result<Measured> {
    let parser = Parser::new().verify_checksum(crc);
    // Jobs that need the bytes in RAM read them before the clock starts.
    let in_ram = match job {
        Job::Slice | Job::ParallelSlice | Job::Crc1 | Job::CrcAll => std::fs::read(path)?,
        _ => Vec::new(),
    };
    let faults_before = page_faults();
    let before = AllocSnapshot::now();
    let start = Instant::now();
    let tally = match job {
        Job::Slice => visit_all(parser.packets(&in_ram)),
        Job::Mmap => visit_all(MappedFile::open(path)?.packets(parser)),
        Job::MmapWhole => visit_all(parser.packets(MappedFile::open(path)?.as_bytes())),
        Job::Stream => stream(path, parser)?,
        Job::Parallel => parallel(&MappedFile::open(path)?, parser, threads)?,
        Job::ParallelSlice => parallel_slice(&in_ram, parser, threads)?,
        Job::Collect => collect(&MappedFile::open(path)?, parser),
        Job::Recover => recover(&MappedFile::open(path)?, parser),
        Job::BaselineStream => baseline(path, crc, false)?,
        Job::BaselineCollect => baseline(path, crc, true)?,
        Job::Crc1 => Tally { digest: u64::from(crc32fast::hash(&in_ram)), ..Tally::default() },
        Job::CrcAll => crc_all_cores(&in_ram, threads),
        Job::CrcMap1 => crc_map(&MappedFile::open(path)?, 1),
        Job::CrcMapAll => crc_map(&MappedFile::open(path)?, threads),
        Job::Read => read_all(path)?,
    };
    let elapsed = start.elapsed();
    let allocs = AllocSnapshot::now().since(before);
    let page_faults = page_faults().saturating_sub(faults_before);
    Ok(Measured { tally, elapsed, allocs, page_faults })
}

/// The process's page faults so far, minor and major (0 where `/proc` is
/// missing): fields 10 and 12 of `/proc/self/stat`, counted after the
/// command name, which may hold spaces but ends at the last `)`.
fn page_faults() -> u64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0 };
    let Some((_, fields)) = stat.rsplit_once(')') else { return 0 };
    let field = |n: usize| -> u64 {
        fields.split_whitespace().nth(n).and_then(|f| f.parse().ok()).unwrap_or(0)
    };
    field(7) + field(9)
}

fn visit_all<'a>(packets: impl Iterator<Item = Result<Packet<'a>, zcpkt::Error>>) -> Tally {
    let mut tally = Tally::default();
    for packet in packets {
        match packet {
            Ok(p) => tally.packet(&p),
            Err(_) => tally.errors += 1,
        }
    }
    tally
}

fn stream(path: &Path, parser: Parser) -> io::Result<Tally> {
    let mut reader =
        StreamReader::new(File::open(path)?).with_parser(parser).buffer_size(STREAM_BUFFER);
    let mut tally = Tally::default();
    while let Some(packet) = reader.next_packet() {
        match packet {
            Ok(p) => tally.packet(&p),
            Err(_) => tally.errors += 1,
        }
    }
    Ok(tally)
}

fn parallel(map: &MappedFile, parser: Parser, threads: usize) -> io::Result<Tally> {
    let parallel = parallel_parser(parser, threads)?;
    let mut releaser = map.releaser();
    let progress = |position| releaser.reached(position);
    // A huge packet's payload is released as it is hashed, on whichever
    // thread parses it.
    Ok(parallel.fold_hashing(
        map.as_bytes(),
        Tally::default,
        fold_record,
        Tally::merge,
        progress,
        map.interior_releaser(),
    ))
}

/// The parallel parser of the all-cores jobs: the CLI's chunk size.
fn parallel_parser(parser: Parser, threads: usize) -> io::Result<ParallelParser> {
    ParallelParser::new(parser)
        .chunk_size(crate::input::PARALLEL_CHUNK)
        .threads(threads)
        .map_err(io::Error::other)
}

fn parallel_slice(bytes: &[u8], parser: Parser, threads: usize) -> io::Result<Tally> {
    let parallel = parallel_parser(parser, threads)?;
    Ok(parallel.fold(bytes, Tally::default, fold_record, Tally::merge))
}

fn fold_record(mut tally: Tally, record: Record<'_>) -> Tally {
    match record {
        Record::Packet(p) if p.is_valid() => tally.packet(&p),
        _ => tally.errors += 1,
    }
    tally
}

fn collect(map: &MappedFile, parser: Parser) -> Tally {
    let packets: Vec<Packet<'_>> = map.packets(parser).filter_map(Result::ok).collect();
    let mut tally = Tally::default();
    packets.iter().for_each(|p| tally.packet(p));
    tally
}

fn recover(map: &MappedFile, parser: Parser) -> Tally {
    let mut tally = Tally::default();
    for record in map.records(parser, true) {
        match record {
            Record::Packet(p) if p.is_valid() => tally.packet(&p),
            Record::Packet(_) | Record::Error(_) => tally.errors += 1,
            Record::Skipped(s) => tally.digest = tally.digest.wrapping_add(s.len),
        }
    }
    tally
}

fn baseline(path: &Path, crc: bool, keep: bool) -> io::Result<Tally> {
    let parser = BaselineParser::new().verify_checksum(crc);
    let mut kept: Vec<OwnedPacket> = Vec::new();
    let mut tally = Tally::default();
    parser.read_records(File::open(path)?, false, |record| match record {
        OwnedRecord::Packet(p) => {
            tally.owned(&p);
            if keep {
                kept.push(p);
            }
        }
        OwnedRecord::Error(_) | OwnedRecord::Skipped(_) => tally.errors += 1,
    })?;
    // The collected packets are the job's result: hand them to black_box so
    // the collection cannot be elided.
    std::hint::black_box(&kept);
    Ok(tally)
}

fn crc_all_cores(bytes: &[u8], threads: usize) -> Tally {
    let chunk = bytes.len().div_ceil(threads.max(1)).max(1);
    let digest = std::thread::scope(|scope| {
        let handles: Vec<_> = bytes
            .chunks(chunk)
            .map(|part| scope.spawn(move || u64::from(crc32fast::hash(part))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).fold(0, u64::wrapping_add)
    });
    Tally { digest, ..Tally::default() }
}

/// CRC-32 of each `RELEASE_WINDOW` of the map, on `threads` threads each
/// with its own part, releasing the windows done.
fn crc_map(map: &MappedFile, threads: usize) -> Tally {
    let bytes = map.as_bytes();
    let part = bytes.len().div_ceil(threads.max(1)).next_multiple_of(RELEASE_WINDOW).max(1);
    let digest = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..bytes.len())
            .step_by(part)
            .map(|from| {
                scope.spawn(move || {
                    let mut releaser = map.releaser_from(from);
                    let end = bytes.len().min(from + part);
                    let mut digest = 0u64;
                    for (i, window) in bytes[from..end].chunks(RELEASE_WINDOW).enumerate() {
                        digest = digest.wrapping_add(u64::from(crc32fast::hash(window)));
                        releaser.reached(end.min(from + (i + 1) * RELEASE_WINDOW));
                    }
                    digest
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).fold(0, u64::wrapping_add)
    });
    Tally { digest, ..Tally::default() }
}

fn read_all(path: &Path) -> io::Result<Tally> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; STREAM_BUFFER];
    let mut tally = Tally::default();
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        tally.digest = tally.digest.wrapping_add(u64::from(buf[n - 1]));
    }
    Ok(tally)
}

impl Job {
    /// The job's name on the worker's command line.
    pub fn cli_name(self) -> String {
        use clap::ValueEnum;
        self.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default()
    }
}
