//! Memory-mapped files, parsed with bounded resident memory.
//!
//! A plain whole-file mapping keeps every page it has touched mapped into the
//! process, so parsing a 1 GiB file ends with about 1 GiB resident. The
//! iterators here tell the kernel, every [`RELEASE_WINDOW`] bytes of
//! progress, that the pages behind the reader are no longer needed: resident
//! memory stays around one window whatever the file's size, and the pages
//! stay in the page cache, so giving them up costs no I/O.
//!
//! Recovery can search far inside one `next` (256 MiB of garbage is one
//! `skipped` record), and its checksum pass can read far ahead of the
//! search. So [`MappedRecords`] drives it with [`Records::search`], one
//! [`SEARCH_STEP`] of work at a time, and in between releases both the
//! pages the search has passed and those its checksum pass has read ahead
//! ([`Releaser::searching`]).
//!
//! Its checksum pass also reads, for each candidate whose payload ends far
//! ahead, a few KiB at a scattered place (between a checkpoint and the
//! claimed end). Through the map, each such read would fault in a whole
//! page-cache folio (up to 2 MiB, mapped at once), and a hostile file whose
//! fake payload ends are spread over the whole file would end with most of
//! it resident. So those reads are positioned reads of the file instead
//! ([`PositionedReader`], a fixed 8 KiB buffer): nothing they read is
//! mapped.

use std::fs::File;
use std::io;
use std::path::Path;

use memmap2::Mmap;

use crate::pkt::{
    checkpoints_for, HashProgress, Packet, Packets, Parser, ReadAt, Record, Records, READ_AT_MAX,
};
use crate::Error;

/// Bytes of progress between two releases of the pages behind the reader.
///
/// Large enough that the `madvise` calls cost nothing measurable, small
/// enough to keep resident memory to a few MiB.
pub const RELEASE_WINDOW: usize = 1 << 20;

/// Units of recovery work (about bytes read) between two chances to release
/// pages during one long re-synchronisation.
pub const SEARCH_STEP: u64 = (RELEASE_WINDOW / 4) as u64;

/// Bytes a search keeps mapped after its position (the headers and payload
/// starts of the candidates it judges next: at most 128 KiB on) and before
/// the furthest byte it has read (where its checksum pass goes on).
const SEARCH_KEEP: usize = 128 << 10;

/// [`Releaser::reached`] releases whole, aligned blocks of this size: the
/// size of the largest page-cache folios (the x86-64 huge page), which a
/// map takes in with one page fault. A file read from disk, or written in
/// whole 2 MiB pieces, is cached in such folios on Linux 6.x file systems
/// with large folios; releasing part of one would unmap it whole, and the
/// next read of the rest would map it whole again. Fewer, larger releases
/// also mean fewer TLB flushes, which interrupt every core the process runs
/// on (walking 1 GiB of such a file: 2.9 ms of CPU instead of 4.6 ms with
/// 1 MiB releases).
pub const RELEASE_BLOCK: usize = 2 << 20;

/// Releases only end on multiples of this, so they are page aligned for
/// every page size up to 64 KiB (larger pages only make the kernel round the
/// range out, which stays correct; see `release`).
const RELEASE_ALIGN: usize = 64 << 10;

/// A file mapped read-only into memory.
///
/// The file must not be truncated while it is mapped: reading a page past the
/// new end makes the kernel raise `SIGBUS` (the usual contract of mapped
/// files, which no safe code can check).
#[derive(Debug)]
pub struct MappedFile {
    /// `None` for an empty file: mapping zero bytes fails on some platforms.
    map: Option<Mmap>,
    /// The file, for positioned reads ([`PositionedReader`]); `None` if its
    /// descriptor could not be duplicated (the map then serves every read).
    file: Option<File>,
}

impl MappedFile {
    /// Maps the file at `path` and tells the kernel it will be read
    /// sequentially (aggressive read-ahead).
    pub fn open(path: impl AsRef<Path>) -> io::Result<Self> {
        Self::from_file(&File::open(path)?)
    }

    /// Maps the whole of an already open file, from its first byte whatever
    /// the file's current position, as [`open`](Self::open) does. The map
    /// does not borrow `file`: it may be closed afterwards.
    ///
    /// For example standard input redirected from a file, through a
    /// duplicate of its descriptor (`std::os::fd::AsFd::as_fd`, then
    /// `try_clone_to_owned`, into `File::from`). Only regular files hold
    /// their bytes where a map can reach them: the caller checks
    /// `metadata()?.is_file()` first, since anything else (a pipe, a
    /// terminal) either fails to map or, as its length reads 0, maps as
    /// empty.
    pub fn from_file(file: &File) -> io::Result<Self> {
        if file.metadata()?.len() == 0 {
            return Ok(Self { map: None, file: None });
        }
        let map = map_read_only(file)?;
        advise_sequential(&map);
        // Positioned reads are an optimisation (see `PositionedReader`):
        // without them the map serves every read.
        Ok(Self { map: Some(map), file: file.try_clone().ok() })
    }

    /// The file's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.map.as_deref().unwrap_or_default()
    }

    /// The file's length in bytes.
    pub fn len(&self) -> usize {
        self.as_bytes().len()
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.as_bytes().is_empty()
    }

    /// The record stream of the whole file (as [`Parser::records`]),
    /// releasing the pages behind the reader as it goes.
    ///
    /// When recovering, its scanner keeps a CRC checkpoint every 4 KiB of
    /// the file (see [`Records::with_checkpoints`]), so that a recovery
    /// stays linear however fake payloads' ends are scattered: one
    /// allocation of `len / 1024` bytes (256 KiB for 256 MiB), zeroed
    /// lazily by the kernel, so only the part a recovery uses is resident.
    /// Its checksum reads far ahead of the search are positioned reads
    /// ([`positioned_reader`](Self::positioned_reader)), so that they map
    /// nothing.
    pub fn records(&self, parser: Parser, recover: bool) -> MappedRecords<'_> {
        let bytes = self.as_bytes();
        // Without recovery nothing searches: no table (an empty `Vec` does
        // not allocate).
        let table = if recover { vec![0; checkpoints_for(bytes.len())] } else { Vec::new() };
        MappedRecords {
            inner: Records::with_checkpoints(parser, bytes, 0, recover, table),
            releaser: Releaser::new(self.map.as_ref()),
            far: self.positioned_reader(),
        }
    }

    /// A reader of the file's bytes by positioned reads (`pread`), with a
    /// fixed 8 KiB buffer: for a recovery's checksum reads at scattered
    /// places far ahead of its search, which through the map would fault
    /// in (and keep resident) a whole page-cache folio each. Hand it to
    /// [`Records::search_reading`] or the parallel parser's
    /// `ParallelParser::records_in_order_reading` (feature `parallel`),
    /// over [`as_bytes`](Self::as_bytes). It reads nothing (so the map
    /// serves every read) off Unix, or if the file could not be kept open.
    pub fn positioned_reader(&self) -> PositionedReader<'_> {
        PositionedReader {
            file: self.file.as_ref(),
            len: self.len(),
            start: 0,
            filled: 0,
            buf: [0; POSITIONED_BUFFER],
        }
    }

    /// A releaser for callers that drive their own in-order pass over
    /// [`as_bytes`](Self::as_bytes) (e.g. the parallel parser's ordered
    /// output): call [`Releaser::reached`] with the position reached.
    pub const fn releaser(&self) -> Releaser<'_> {
        Releaser::new(self.map.as_ref())
    }

    /// A releaser for a reader that visits only the bytes from `offset` on,
    /// in order (e.g. one of several threads, each with its own part of the
    /// map): it never releases anything before `offset` (nor the rest of the
    /// 64 KiB-aligned block `offset` falls in, so that releases stay page
    /// aligned).
    pub const fn releaser_from(&self, offset: usize) -> Releaser<'_> {
        let released = match offset.checked_next_multiple_of(RELEASE_ALIGN) {
            Some(aligned) => aligned,
            None => usize::MAX,
        };
        Releaser { map: self.map.as_ref(), released, ahead: released }
    }

    /// A [`HashProgress`] for readers that visit the map from several
    /// threads at once (the parallel parser's
    /// `ParallelParser::records_in_order_hashing`, feature `parallel`):
    /// each clone releases, as the hashing of a huge payload goes on, only
    /// what lies inside that payload and behind the hashing (from its first
    /// 64 KiB-aligned offset to the last whole [`RELEASE_BLOCK`] hashed),
    /// which no other packet's bytes share (another thread reading there
    /// speculatively faults them back in).
    pub const fn interior_releaser(&self) -> InteriorReleaser<'_> {
        InteriorReleaser { map: self.map.as_ref(), payload_start: None, head: 0, released: 0 }
    }

    /// The strict packet iterator over the whole file (as
    /// [`Parser::packets`]), releasing the pages behind the reader as it goes.
    pub fn packets(&self, parser: Parser) -> MappedPackets<'_> {
        MappedPackets {
            inner: Packets::new(parser, self.as_bytes(), 0),
            releaser: Releaser::new(self.map.as_ref()),
        }
    }
}

/// The buffer of a [`PositionedReader`]: room for [`READ_AT_MAX`] bytes and
/// [`POSITIONED_PAD`] on each side.
const POSITIONED_BUFFER: usize = 2 * READ_AT_MAX;

/// Bytes a [`PositionedReader`] reads before those asked for (and up to
/// its buffer's end after them), so that reads that move steadily (payload
/// ends close together, forwards or backwards) are served from its buffer.
const POSITIONED_PAD: usize = 1024;

/// Reads a [`MappedFile`]'s bytes by positioned reads into a fixed buffer,
/// without mapping them: see [`MappedFile::positioned_reader`].
pub struct PositionedReader<'a> {
    file: Option<&'a File>,
    /// The map's length: nothing past it is read.
    len: usize,
    /// `buf[..filled]` holds the file's bytes from `start` on.
    start: usize,
    filled: usize,
    buf: [u8; POSITIONED_BUFFER],
}

impl core::fmt::Debug for PositionedReader<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The buffer is 8 KiB of noise.
        f.debug_struct("PositionedReader")
            .field("start", &self.start)
            .field("filled", &self.filled)
            .finish_non_exhaustive()
    }
}

impl ReadAt for PositionedReader<'_> {
    fn read_at(&mut self, at: usize, len: usize) -> Option<&[u8]> {
        let end = at.checked_add(len).filter(|&end| end <= self.len && len <= READ_AT_MAX)?;
        if at < self.start || end > self.start.saturating_add(self.filled) {
            self.refill(at, end)?;
        }
        self.buf.get(at - self.start..end - self.start)
    }
}

impl PositionedReader<'_> {
    /// Reads the file's bytes around `at..end` (`end - at` at most
    /// [`READ_AT_MAX`], `end` within the file) into the buffer; `None` if
    /// it could not read them all.
    #[cold]
    fn refill(&mut self, at: usize, end: usize) -> Option<()> {
        let file = self.file?;
        // A whole buffer (a positioned read costs about the same up to
        // several KiB): `end - from` is at most READ_AT_MAX +
        // POSITIONED_PAD, so it fits.
        let from = at.saturating_sub(POSITIONED_PAD);
        let to = end.saturating_add(POSITIONED_PAD).min(from.saturating_add(POSITIONED_BUFFER));
        let to = to.min(self.len);
        self.start = from;
        self.filled = 0;
        self.filled = read_at_most(file, self.buf.get_mut(..to.checked_sub(from)?)?, from)?;
        (end <= from.saturating_add(self.filled)).then_some(())
    }
}

/// Fills `buf` from the file's offset `at`, short only at the file's end;
/// `None` on an error.
#[cfg(unix)]
fn read_at_most(file: &File, buf: &mut [u8], at: usize) -> Option<usize> {
    use std::os::unix::fs::FileExt;
    let mut got = 0;
    while got < buf.len() {
        let offset = u64::try_from(at.checked_add(got)?).ok()?;
        match file.read_at(&mut buf[got..], offset) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(got)
}

/// No positioned reads off Unix: the map serves every read.
#[cfg(not(unix))]
fn read_at_most(_: &File, _: &mut [u8], _: usize) -> Option<usize> {
    None
}

#[allow(unsafe_code)]
fn map_read_only(file: &File) -> io::Result<Mmap> {
    // SAFETY: the map is only ever read, through `&[u8]`. Another process
    // changing the file under us can change those bytes or, by truncating
    // it, raise SIGBUS; `MappedFile`'s documentation states that contract,
    // as no code can check it.
    unsafe { Mmap::map(file) }
}

fn advise_sequential(map: &Mmap) {
    // Read-ahead is an optimisation: a kernel that refuses the hint still
    // serves every page correctly, so the error is of no use to the caller.
    #[cfg(unix)]
    let _ = map.advise(memmap2::Advice::Sequential);
    #[cfg(not(unix))]
    let _ = map;
}

/// Releases the pages of a map behind a reader that visits it in order, one
/// [`RELEASE_WINDOW`] at a time (see [`MappedFile::releaser`]).
#[derive(Debug)]
pub struct Releaser<'a> {
    map: Option<&'a Mmap>,
    /// Everything before this offset has been released.
    released: usize,
    /// Pages read ahead by a search were released up to here.
    ahead: usize,
}

impl<'a> Releaser<'a> {
    const fn new(map: Option<&'a Mmap>) -> Self {
        Self { map, released: 0, ahead: 0 }
    }

    /// The map's length (unbounded without a map, for tests).
    fn map_len(&self) -> usize {
        self.map.map_or(usize::MAX, |map| map.len())
    }

    /// Tells the releaser that nothing before `position` will be read again
    /// soon; the whole [`RELEASE_BLOCK`]s behind it are handed back to the
    /// kernel, once there is at least a [`RELEASE_WINDOW`] of them.
    #[inline]
    pub fn reached(&mut self, position: usize) {
        let position = position - position % RELEASE_BLOCK;
        if position.saturating_sub(self.released) >= RELEASE_WINDOW {
            self.release_behind(position);
        }
    }

    /// Releases the whole aligned blocks behind `position`.
    #[cold]
    fn release_behind(&mut self, position: usize) {
        let position = position.min(self.map_len());
        let end = position - position % RELEASE_ALIGN;
        if end <= self.released {
            return;
        }
        if let Some(map) = self.map {
            release(map, self.released, end - self.released);
        }
        self.released = end;
    }

    /// A search (recovery, see [`Records::search`]) has passed `position`
    /// and read up to `read_to`, ahead of it. Releases what is behind
    /// `position` (any whole aligned block: a search pauses only every
    /// [`SEARCH_STEP`], so these calls are few), and what it read ahead,
    /// keeping 128 KiB after `position` (the candidates it judges next) and
    /// before `read_to` (where the checksum pass goes on). A page released
    /// there and read again is faulted back in from the page cache.
    pub fn searching(&mut self, position: usize, read_to: usize) {
        self.release_behind(position);
        let from = position.saturating_add(SEARCH_KEEP);
        let from = from.checked_next_multiple_of(RELEASE_ALIGN).unwrap_or(usize::MAX);
        let from = from.max(self.ahead);
        let to = read_to.min(self.map_len()).saturating_sub(SEARCH_KEEP);
        let to = to - to % RELEASE_ALIGN;
        if to.saturating_sub(from) < RELEASE_ALIGN {
            return;
        }
        if let Some(map) = self.map {
            release(map, from, to - from);
        }
        self.ahead = to;
    }
}

/// Over one huge packet (a payload larger than
/// [`HASH_PIECE`](crate::pkt::HASH_PIECE)), releases
/// the blocks behind the hashing as it goes, so that the whole packet is
/// never resident at once (the pages of the returned packet fault back in
/// if it is read).
impl HashProgress for Releaser<'_> {
    #[inline]
    fn hashed(&mut self, _payload_start: u64, hashed_to: u64) {
        self.reached(usize::try_from(hashed_to).unwrap_or(usize::MAX));
    }
}

/// Releases the inside of each huge payload as it is hashed: see
/// [`MappedFile::interior_releaser`].
#[derive(Clone, Debug)]
pub struct InteriorReleaser<'a> {
    map: Option<&'a Mmap>,
    /// The payload being hashed.
    payload_start: Option<u64>,
    /// Its first page-aligned offset.
    head: usize,
    /// Released up to here.
    released: usize,
}

impl HashProgress for InteriorReleaser<'_> {
    #[inline]
    fn hashed(&mut self, payload_start: u64, hashed_to: u64) {
        if self.payload_start != Some(payload_start) {
            // A new payload: from its first page-aligned offset (not the
            // next whole block, which would keep the first one resident).
            self.payload_start = Some(payload_start);
            self.head = usize::try_from(payload_start)
                .ok()
                .and_then(|start| start.checked_next_multiple_of(RELEASE_ALIGN))
                .unwrap_or(usize::MAX);
            self.released = self.head;
        }
        let Some(map) = self.map else { return };
        let to = usize::try_from(hashed_to).unwrap_or(usize::MAX).min(map.len());
        let to = to - to % RELEASE_BLOCK;
        if to.saturating_sub(self.released) >= RELEASE_WINDOW {
            // From the head again: meanwhile other threads guess packet
            // starts in the chunks they were given inside this payload,
            // mapping those pages again. The kernel skips what is not
            // mapped, at little cost.
            release(map, self.head, to - self.head);
            self.released = to;
        }
    }
}

#[allow(unsafe_code)]
fn release(map: &Mmap, offset: usize, len: usize) {
    // Never past the map: the kernel is handed a raw range, which must not
    // reach into whatever is mapped after it (callers pass positions that
    // any caller of `Releaser::reached` chose).
    let end = offset.saturating_add(len).min(map.len());
    let Some(len) = end.checked_sub(offset).filter(|&len| len > 0) else { return };
    #[cfg(unix)]
    {
        // SAFETY: MADV_DONTNEED on a read-only, file-backed shared mapping
        // only unmaps the pages from this process; the mapping itself stays.
        // A later read of any address in the range (for example through a
        // `Packet` handed out earlier, whose slices point there) faults the
        // page back in from the page cache or the file, with the same
        // contents, since nothing can write through this map. So every
        // `&[u8]` into the map keeps pointing at valid, unchanged bytes. The
        // range lies inside the map: clamped above.
        let result =
            unsafe { map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, offset, len) };
        // Releasing is an optimisation: if the kernel refuses, the pages
        // just stay resident, and the parse is unaffected.
        let _ = result;
    }
    #[cfg(not(unix))]
    let _ = (map, offset, len);
}

/// The record stream of a [`MappedFile`]; see [`MappedFile::records`].
#[derive(Debug)]
pub struct MappedRecords<'a> {
    inner: Records<'a, Vec<u32>>,
    releaser: Releaser<'a>,
    /// Serves the search's far checksum reads.
    far: PositionedReader<'a>,
}

impl<'a> Iterator for MappedRecords<'a> {
    type Item = Record<'a>;

    #[inline]
    fn next(&mut self) -> Option<Record<'a>> {
        while let Some(at) = self.inner.search_reading(SEARCH_STEP, &mut self.far) {
            self.releaser.searching(at.position, at.read_to);
        }
        // A huge packet's payload is hashed in pieces, releasing behind each.
        let record = self.inner.next_hashing(&mut self.releaser);
        self.releaser.reached(self.inner.position());
        record
    }
}

impl core::iter::FusedIterator for MappedRecords<'_> {}

/// The strict packet iterator of a [`MappedFile`]; see [`MappedFile::packets`].
#[derive(Debug)]
pub struct MappedPackets<'a> {
    inner: Packets<'a>,
    releaser: Releaser<'a>,
}

impl<'a> Iterator for MappedPackets<'a> {
    type Item = Result<Packet<'a>, Error>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let item = self.inner.next_hashing(&mut self.releaser);
        self.releaser.reached(self.inner.position());
        item
    }
}

impl core::iter::FusedIterator for MappedPackets<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_past_the_map_releases_only_the_map() {
        let path = std::env::temp_dir().join(format!("zcpkt-release-{}", std::process::id()));
        std::fs::write(&path, vec![7u8; RELEASE_WINDOW + 3 * RELEASE_ALIGN + 5]).unwrap();
        let map = MappedFile::open(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let mut releaser = map.releaser();
        releaser.reached(usize::MAX);
        assert_eq!(releaser.released, RELEASE_WINDOW + 3 * RELEASE_ALIGN);
        // The released pages read back from the page cache.
        assert!(map.as_bytes().iter().all(|&b| b == 7));
        let mut beyond = map.releaser_from(map.len() + 1);
        beyond.reached(usize::MAX);
        assert!(beyond.released > map.len());
    }

    #[test]
    fn a_positioned_reader_reads_the_map_bytes_and_nothing_past_them() {
        let path = std::env::temp_dir().join(format!("zcpkt-pread-{}", std::process::id()));
        let bytes: Vec<u8> = (0..50_000u32).map(|i| (i * 7 + i / 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let map = MappedFile::open(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let mut reader = map.positioned_reader();
        // Forwards, backwards, far, at both ends, in and out of the buffer.
        let reads = [(0, 1), (10, 4096), (4000, 30), (3000, 900), (40_000, 4096)]
            .into_iter()
            .chain([(45_903, 4096), (49_999, 1), (12_345, 2048), (12_000, 300), (100, 64)]);
        for (at, len) in reads {
            let got = reader.read_at(at, len);
            #[cfg(unix)]
            assert_eq!(got, Some(&bytes[at..at + len]), "{at}+{len}");
            #[cfg(not(unix))]
            assert_eq!(got, None);
        }
        assert_eq!(reader.read_at(49_999, 2), None);
        assert_eq!(reader.read_at(usize::MAX, 1), None);
        assert_eq!(reader.read_at(0, READ_AT_MAX + 1), None);
        let empty = MappedFile { map: None, file: None };
        assert_eq!(empty.positioned_reader().read_at(0, 1), None);
    }

    #[test]
    fn a_releaser_from_an_offset_starts_at_the_next_aligned_block() {
        let map = MappedFile { map: None, file: None };
        assert_eq!(map.releaser_from(0).released, 0);
        assert_eq!(map.releaser_from(1).released, RELEASE_ALIGN);
        assert_eq!(map.releaser_from(RELEASE_ALIGN).released, RELEASE_ALIGN);
        assert_eq!(map.releaser_from(usize::MAX).released, usize::MAX);
        let mut releaser = map.releaser_from(RELEASE_WINDOW + 1);
        // Under a window's worth of whole blocks behind: nothing yet.
        releaser.reached(RELEASE_BLOCK + RELEASE_WINDOW);
        assert_eq!(releaser.released, RELEASE_WINDOW + RELEASE_ALIGN);
        releaser.reached(2 * RELEASE_BLOCK + 5);
        assert_eq!(releaser.released, 2 * RELEASE_BLOCK);
    }

    #[test]
    fn releases_whole_aligned_blocks_behind_the_position() {
        let mut releaser = Releaser::new(None);
        releaser.reached(RELEASE_BLOCK - 1);
        assert_eq!(releaser.released, 0);
        releaser.reached(RELEASE_BLOCK);
        assert_eq!(releaser.released, RELEASE_BLOCK);
        releaser.reached(2 * RELEASE_BLOCK - 1);
        assert_eq!(releaser.released, RELEASE_BLOCK);
        releaser.reached(4 * RELEASE_BLOCK + RELEASE_WINDOW);
        assert_eq!(releaser.released, 4 * RELEASE_BLOCK);
    }

    #[test]
    fn a_search_releases_what_it_read_ahead_keeping_a_window_at_each_end() {
        let mut releaser = Releaser::new(None);
        // Too little read ahead: nothing.
        releaser.searching(100, 2 * SEARCH_KEEP + RELEASE_ALIGN);
        assert_eq!((releaser.released, releaser.ahead), (0, 0));
        releaser.searching(100, 10 * RELEASE_WINDOW + 5);
        assert_eq!((releaser.released, releaser.ahead), (0, 10 * RELEASE_WINDOW - SEARCH_KEEP));
        // Further on: behind the position, and only what is new ahead.
        releaser.searching(2 * RELEASE_WINDOW + 7, 12 * RELEASE_WINDOW);
        assert_eq!(releaser.released, 2 * RELEASE_WINDOW);
        releaser.searching(2 * RELEASE_WINDOW + RELEASE_ALIGN, 12 * RELEASE_WINDOW);
        assert_eq!(releaser.released, 2 * RELEASE_WINDOW + RELEASE_ALIGN);
        assert_eq!(releaser.ahead, 12 * RELEASE_WINDOW - SEARCH_KEEP);
    }
}
