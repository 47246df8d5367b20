//! Piped captures for the readers that recover past damage: recovery
//! judges a candidate by the bytes after it, so it needs the whole input at
//! hand. A piped pcap or pcapng capture is copied to an unlinked temporary
//! file and mapped, so that memory stays bounded whatever its size and it
//! is read as its file would be.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::PathBuf;

use zcpkt::source::mmap::MappedFile;
use zcpkt::{detect, Format};

use crate::error::CliError;
use crate::input::{read_up_to, Input, Opened};

/// `opened` mapped if it is a piped pcap or pcapng capture (copied to a
/// temporary file); anything else as it was.
pub fn map_piped_capture(input: &Input, opened: Opened) -> Result<Opened, CliError> {
    let Opened::Streamed(mut reader) = opened else { return Ok(opened) };
    let mut head = [0u8; 4];
    let got = read_up_to(&mut reader, &mut head)
        .map_err(|e| CliError::io(format!("cannot read {input}"), e))?;
    let rest = io::Cursor::new(head[..got].to_vec()).chain(reader);
    match detect(&head[..got]) {
        Some(Format::Pcap | Format::PcapNg) => {
            let (map, file) = spill(input, rest)?;
            Ok(Opened::Mapped(map, file))
        }
        _ => Ok(Opened::Streamed(Box::new(rest))),
    }
}

/// `reader` copied to a temporary file, unlinked at once (it lives while
/// open), and mapped.
fn spill(input: &Input, mut reader: impl Read) -> Result<(MappedFile, File), CliError> {
    let (mut file, path) = temporary_file()
        .map_err(|e| CliError::io("cannot create a temporary file".to_string(), e))?;
    // Unlinked now, the file cannot be left behind whatever happens next.
    let _ = std::fs::remove_file(&path);
    io::copy(&mut reader, &mut file)
        .map_err(|e| CliError::io(format!("cannot read {input}"), e))?;
    let map = MappedFile::from_file(&file)
        .map_err(|e| CliError::io("cannot map the temporary file".to_string(), e))?;
    Ok((map, file))
}

fn temporary_file() -> io::Result<(File, PathBuf)> {
    let dir = std::env::temp_dir();
    let mut attempt = 0u32;
    loop {
        let path = dir.join(format!("zcpkt-{}-{attempt}", std::process::id()));
        match OpenOptions::new().read(true).write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((file, path)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}
