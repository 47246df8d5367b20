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
/// An existing destination that is not a regular file or a directory (a
/// device such as `/dev/null`, a FIFO, a socket) is written in place: it is
/// a stream, like standard output, and renaming over it would replace the
/// device node with a regular file.
pub struct AtomicFile {
    writer: ChunkedWriter<File>,
    /// `None` when writing in place to a special file.
    temp: Option<PathBuf>,
    dest: PathBuf,
    committed: bool,
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
        fs::rename(temp, &self.dest).map_err(|e| CliError::io(context(), e))?;
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
        if let (false, Some(temp)) = (self.committed, &self.temp) {
            let _ = fs::remove_file(temp);
        }
    }
}

/// Creates `.NAME.PID.N.tmp` next to `dest`; same directory so the final
/// rename stays on one file system and is atomic.
fn create_temp_beside(dest: &Path) -> io::Result<(File, PathBuf)> {
    let name = dest
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let pid = std::process::id();
    let mut attempt = 0u32;
    loop {
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".{pid}.{attempt}.tmp"));
        let temp = dir.join(temp_name);
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((file, temp)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}
