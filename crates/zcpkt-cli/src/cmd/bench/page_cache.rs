//! The state of the page cache the benchmark measures in.
//!
//! How a file's pages sit in the page cache decides what a memory map of it
//! costs. A file read from disk is cached by read-ahead in large folios (up
//! to 2 MiB on Linux 6.x filesystems with large-folio support, such as ext4
//! and XFS), which a map takes in with one page fault per 2 MiB; a file
//! just written keeps the folios its writes made (a 256 KiB write makes
//! folios of at most 256 KiB), which a map takes in 64 KiB per fault. On
//! this project's VM walking a 1 GiB map costs about 6 ms in the first
//! state and 60-100 ms in the second, while `read` costs the same in both.
//! So the benchmark says which state it measured, and for the captures it
//! generates it sets one: evicted, then read back once, as a capture read
//! from disk is cached.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// How the inputs sit in the page cache when the jobs run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PageCache {
    /// Evict each input from the page cache and read it back once before
    /// measuring: cached as a capture read from disk is (default for the
    /// generated captures).
    Reread,
    /// Leave the pages as they are (default for a FILE; for a generated
    /// capture: as the generator's writes left them).
    Keep,
}

impl PageCache {
    /// The state's name in tables and JSON.
    pub fn name(self) -> &'static str {
        match self {
            PageCache::Reread => "reread",
            PageCache::Keep => "keep",
        }
    }

    /// Puts the file at `path` in this state.
    pub fn prepare(self, path: &Path) -> io::Result<()> {
        match self {
            PageCache::Reread => reread(path),
            PageCache::Keep => Ok(()),
        }
    }
}

/// Writes the file's dirty pages out, drops its pages from the page cache
/// and reads it through once, so read-ahead caches it afresh.
fn reread(path: &Path) -> io::Result<()> {
    let mut file = File::open(path)?;
    // Dirty pages cannot be dropped: write them out first.
    file.sync_all()?;
    rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::DontNeed)?;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match file.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}
