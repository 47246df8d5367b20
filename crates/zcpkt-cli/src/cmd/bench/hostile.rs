//! Hostile inputs for the recovery rows: files that would make a naive
//! re-synchronisation quadratic, to show recovery runs in linear time.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use zcpkt::pkt::format::{MAGIC, MIN_HEADER_LEN, VERSION};

/// What a hostile file is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hostile {
    /// `PKT\0` repeated: every position is a candidate that fails at once.
    Magic,
    /// After a bad first byte, a valid-looking header every 32 bytes whose
    /// payload runs to 7 bytes before the end and whose CRC is wrong: a
    /// parser that hashes each candidate's payload does quadratic work.
    LateCrc,
}

/// Candidates of [`Hostile::LateCrc`] are this far apart.
const STRIDE: usize = 32;

impl Hostile {
    /// Both kinds.
    pub const ALL: [Hostile; 2] = [Hostile::Magic, Hostile::LateCrc];

    /// The label of the kind's rows.
    pub fn label(self) -> &'static str {
        match self {
            Hostile::Magic => "hostile-magic",
            Hostile::LateCrc => "hostile-crc",
        }
    }

    /// Writes `size` bytes of this kind to `path`.
    pub fn write(self, size: u64, path: &Path) -> io::Result<()> {
        let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
        let size = usize::try_from(size).map_err(io::Error::other)?;
        match self {
            Hostile::Magic => {
                for _ in 0..size / MAGIC.len() {
                    out.write_all(&MAGIC)?;
                }
                out.write_all(&MAGIC[..size % MAGIC.len()])?;
            }
            Hostile::LateCrc => {
                // The bad first bytes (all of a file under one stride).
                let mut pos = size.min(STRIDE);
                out.write_all(&[b'X'; STRIDE][..pos])?;
                while pos + STRIDE <= size {
                    out.write_all(&late_crc_candidate(pos, size))?;
                    pos += STRIDE;
                }
                out.write_all(&vec![b'x'; size - pos])?;
            }
        }
        out.flush()
    }
}

/// A 26-byte header at `pos` (empty ids, no extensions) whose payload runs
/// to 7 bytes before `size`, with a checksum that does not match, padded to
/// [`STRIDE`] bytes with filler holding neither 00 nor `PKT\0`.
fn late_crc_candidate(pos: usize, size: usize) -> [u8; STRIDE] {
    let payload_len = size.saturating_sub(pos + usize::from(MIN_HEADER_LEN) + 7) as u32;
    let mut header = [b'x'; STRIDE];
    header[..4].copy_from_slice(&MAGIC);
    header[4] = VERSION;
    header[5] = 0;
    header[6..8].copy_from_slice(&MIN_HEADER_LEN.to_le_bytes());
    header[8..12].copy_from_slice(&payload_len.to_le_bytes());
    header[12..16].copy_from_slice(&0xDEAD_BEEFu32.to_le_bytes());
    header[16..24].copy_from_slice(&(pos as u64).to_le_bytes());
    header[24] = 0;
    header[25] = 0;
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_exactly_the_size_asked_for_even_under_a_stride() {
        // `bench --size 100` asks for 25-byte hostile files: the late-CRC
        // kind used to panic (capacity overflow) under 32 bytes.
        let dir = tempfile::tempdir().unwrap();
        for kind in Hostile::ALL {
            for size in [0u64, 1, 3, 25, 31, 32, 33, 63, 64, 65, 1000] {
                let path = dir.path().join(format!("{}-{size}", kind.label()));
                kind.write(size, &path).unwrap();
                let bytes = std::fs::read(&path).unwrap();
                assert_eq!(bytes.len() as u64, size, "{} of {size}", kind.label());
                match kind {
                    Hostile::Magic => assert!(bytes.chunks(4).all(|c| MAGIC.starts_with(c))),
                    Hostile::LateCrc => {
                        let head = bytes.len().min(STRIDE);
                        assert!(bytes[..head].iter().all(|&b| b == b'X'), "{size}");
                        if size >= 2 * STRIDE as u64 {
                            assert_eq!(bytes[STRIDE..STRIDE + 4], MAGIC);
                        }
                    }
                }
            }
        }
    }
}
