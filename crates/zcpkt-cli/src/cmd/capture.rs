//! What the commands that read pcap and pcapng share: which container a
//! frame came from, and the one stderr line that reports damage.

use std::io::Write;

use zcpkt::pcapng::Block;
use zcpkt::{CaptureError, Format};

use crate::input::Input;

/// Per-frame bookkeeping over a capture's blocks: frame numbers (1-based
/// over the whole file, as tshark counts) and whether frames are pcapng's
/// (which have interfaces and sections) or pcap's.
#[derive(Default)]
pub struct Framing {
    /// Frames seen so far (the current frame's number, once counted).
    pub frames: u64,
    /// A Section Header Block was seen: frames are pcapng's.
    pub pcapng: bool,
    pub sections: u64,
    pub interfaces: u64,
    pub other_blocks: u64,
}

impl Framing {
    /// Counts `block`; true when it is a frame.
    pub fn see(&mut self, block: &Block<'_>) -> bool {
        match block {
            Block::Frame(_) => {
                self.frames += 1;
                return true;
            }
            Block::Section(_) => {
                self.pcapng = true;
                self.sections += 1;
            }
            Block::Interface { .. } => self.interfaces += 1,
            Block::Other(_) => self.other_blocks += 1,
        }
        false
    }
}

/// The name `info` and the long help use for a container format.
pub fn format_name(format: Format) -> &'static str {
    match format {
        Format::Pkt => "PKT",
        Format::Pcap => "pcap",
        Format::PcapNg => "pcapng",
    }
}

/// Whether a detected format is a pcap or pcapng capture (as opposed to
/// PKT, read the PKT way).
pub fn is_capture(format: Option<Format>) -> bool {
    matches!(format, Some(Format::Pcap | Format::PcapNg))
}

/// fields.md's damage report: one line on standard error, after every frame
/// before the damage was handled.
pub fn report_damage(input: &Input, error: &CaptureError) {
    // A closed stderr leaves nothing to tell; the exit status says it.
    let _ = writeln!(std::io::stderr(), "zcpkt: {input}: {error}");
}
