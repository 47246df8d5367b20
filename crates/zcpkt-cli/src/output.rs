//! Where commands write: standard output (a quiet stop when its reader goes
//! away) or a file that appears only once it is complete.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, IsTerminal, StdoutLock, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use crate::chunked::ChunkedWriter;
use crate::error::CliError;
use crate::text::ShownPath;

/// Buffered, locked standard output: `print!` would lock per call and panic
/// on a closed pipe.
pub fn stdout() -> BufWriter<StdoutLock<'static>> {
    BufWriter::with_capacity(64 * 1024, io::stdout().lock())
}

/// Turns a write result inside a record callback into whether to go on,
/// keeping the error for after the loop (the callback cannot return it).
pub fn keep_going(written: io::Result<()>, error: &mut Option<io::Error>) -> ControlFlow<()> {
    match written {
        Ok(()) => ControlFlow::Continue(()),
        Err(e) => {
            *error = Some(e);
            ControlFlow::Break(())
        }
    }
}

/// [`keep_going`] for a callback that may also choose to stop: a write
/// error is kept and stops, otherwise the callback's own answer stands.
pub fn keep_going_or_stop(
    written: io::Result<ControlFlow<()>>,
    error: &mut Option<io::Error>,
) -> ControlFlow<()> {
    match written {
        Ok(flow) => flow,
        Err(e) => {
            *error = Some(e);
            ControlFlow::Break(())
        }
    }
}

/// Whether a progress bar on stderr would interleave with output written to
/// a terminal on stdout.
pub fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}

/// A file written under a temporary name in the destination's directory and
/// renamed over the destination by [`commit`](Self::commit): readers never
/// see a half-written file, and dropping it uncommitted removes the temp.
///
/// On Linux the file has no name at all until the commit (`O_TMPFILE`,
/// named by `linkat` through `/proc/self/fd` when complete, then renamed),
/// so that a process killed or interrupted while writing (Ctrl-C during a
/// long `gen` or `filter`) leaves nothing behind either: the kernel frees
/// the unnamed file with its last descriptor. Where that is not available
/// (another system, a file system without `O_TMPFILE`, no `/proc`), the
/// temporary is a hidden file beside the destination.
///
/// An existing destination that is not a regular file or a directory (a
/// device such as `/dev/null`, a FIFO, a socket) is written in place: it is
/// a stream, like standard output, and renaming over it would replace the
/// device node with a regular file.
pub struct AtomicFile {
    writer: ChunkedWriter<File>,
    /// `None` when writing in place to a special file.
    temp: Option<Temp>,
    dest: PathBuf,
    committed: bool,
}

/// Where an [`AtomicFile`]'s bytes are until the commit.
enum Temp {
    /// A hidden file beside the destination, removed if never committed.
    Named(PathBuf),
    /// An unnamed file (`O_TMPFILE`) in the destination's directory.
    #[cfg(target_os = "linux")]
    Unnamed,
}

impl AtomicFile {
    pub fn create(dest: &Path) -> Result<Self, CliError> {
        let context = || format!("cannot create {}", ShownPath(dest));
        let special = fs::metadata(dest).is_ok_and(|m| !m.is_file() && !m.is_dir());
        let (file, temp) = if special {
            let file = OpenOptions::new().write(true).open(dest);
            (file.map_err(|e| CliError::io(context(), e))?, None)
        } else {
            let (file, temp) = create_temp_beside(dest).map_err(|e| CliError::io(context(), e))?;
            (file, Some(temp))
        };
        let writer = ChunkedWriter::new(file);
        Ok(Self { writer, temp, dest: dest.to_path_buf(), committed: false })
    }

    pub fn path(&self) -> &Path {
        &self.dest
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> Result<(), CliError> {
        let context = || format!("cannot write {}", ShownPath(&self.dest));
        let Some(temp) = &self.temp else {
            // A special file: no sync (a FIFO refuses it), no rename.
            self.writer.flush().map_err(|e| CliError::io(context(), e))?;
            self.committed = true;
            return Ok(());
        };
        let flushed = self.writer.flush().and_then(|()| self.writer.get_ref().sync_all());
        flushed.map_err(|e| CliError::io(context(), e))?;
        match temp {
            Temp::Named(temp) => {
                fs::rename(temp, &self.dest).map_err(|e| CliError::io(context(), e))?;
            }
            #[cfg(target_os = "linux")]
            Temp::Unnamed => {
                // A name beside the destination, then the rename over it
                // (a link cannot replace an existing file).
                let named = link_beside(self.writer.get_ref(), &self.dest)
                    .map_err(|e| CliError::io(context(), e))?;
                if let Err(e) = fs::rename(&named, &self.dest) {
                    let _ = fs::remove_file(&named);
                    return Err(CliError::io(context(), e));
                }
            }
        }
        self.committed = true;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // An unnamed temporary goes with its descriptor.
        if let (false, Some(Temp::Named(temp))) = (self.committed, &self.temp) {
            let _ = fs::remove_file(temp);
        }
    }
}

/// Creates the temporary for `dest` in its directory (so the final rename
/// stays on one file system and is atomic): unnamed where the system
/// allows, else `.NAME.PID.N.tmp`.
fn create_temp_beside(dest: &Path) -> io::Result<(File, Temp)> {
    let dir = directory_of(dest)?;
    #[cfg(target_os = "linux")]
    if let Some(file) = create_unnamed(dir) {
        return Ok((file, Temp::Unnamed));
    }
    let (file, temp) =
        create_named(dest, |temp| OpenOptions::new().write(true).create_new(true).open(temp))?;
    let _ = dir;
    Ok((file, Temp::Named(temp)))
}

/// The directory `dest` goes into; an error if `dest` names no file.
fn directory_of(dest: &Path) -> io::Result<&Path> {
    dest.file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    Ok(dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")))
}

/// `create` at the first free `.NAME.PID.N.tmp` next to `dest` (`create`
/// fails with `AlreadyExists` on a taken name).
fn create_named<T>(
    dest: &Path,
    mut create: impl FnMut(&Path) -> io::Result<T>,
) -> io::Result<(T, PathBuf)> {
    let name = dest
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = directory_of(dest)?;
    let pid = std::process::id();
    let mut attempt = 0u32;
    loop {
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".{pid}.{attempt}.tmp"));
        let temp = dir.join(temp_name);
        match create(&temp) {
            Ok(made) => return Ok((made, temp)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

/// An unnamed file in `dir`, if the file system supports `O_TMPFILE` and
/// `/proc/self/fd` is there to give it a name later (`linkat` of a
/// descriptor by `AT_EMPTY_PATH` needs a privilege; through `/proc` it
/// does not).
#[cfg(target_os = "linux")]
fn create_unnamed(dir: &Path) -> Option<File> {
    use rustix::fs::{openat, Mode, OFlags, CWD};
    if !Path::new("/proc/self/fd").is_dir() {
        return None;
    }
    let flags = OFlags::WRONLY | OFlags::TMPFILE | OFlags::CLOEXEC;
    let fd = openat(CWD, dir, flags, Mode::from_raw_mode(0o666)).ok()?;
    Some(File::from(fd))
}

/// Gives the unnamed `file` the first free `.NAME.PID.N.tmp` name next to
/// `dest`.
#[cfg(target_os = "linux")]
fn link_beside(file: &File, dest: &Path) -> io::Result<PathBuf> {
    use std::os::fd::AsRawFd;

    use rustix::fs::{linkat, AtFlags, CWD};
    let proc_path = format!("/proc/self/fd/{}", file.as_raw_fd());
    let ((), named) = create_named(dest, |temp| {
        linkat(CWD, proc_path.as_str(), CWD, temp, AtFlags::SYMLINK_FOLLOW).map_err(io::Error::from)
    })?;
    Ok(named)
}
