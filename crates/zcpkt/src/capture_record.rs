//! [`CaptureRecord`]: what the recovering pcap and pcapng readers
//! ([`pcap::Recovering`](crate::pcap::Recovering),
//! [`pcapng::Recovering`](crate::pcapng::Recovering)) hand out, in file
//! order.
//!
//! The blocks (pcap: the frames) and the skipped ranges tile the input
//! exactly, after the 24-byte global header of a pcap file: each byte is in
//! exactly one of them. An error takes no bytes: it names the offset where
//! the strict reader stopped, and the skipped range that follows starts
//! there.

#![forbid(unsafe_code)]

use crate::capture::CaptureError;
use crate::pcapng::Block;
pub use crate::pkt::Skipped;

/// One record of a recovering capture reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaptureRecord<'a> {
    /// A block read as the strict reader reads it; a pcap record comes as
    /// a [`Block::Frame`].
    Block(Block<'a>),
    /// The damage at a position where a block or record was expected, as
    /// the strict reader reports it there. A [`Skipped`] record follows.
    Error(CaptureError),
    /// The bytes passed over from the error's offset to the next position
    /// where re-synchronisation found a plausible block (or the input's end).
    Skipped(Skipped),
}

impl CaptureRecord<'_> {
    /// The record's byte offset: where its block, damage or skipped range
    /// starts.
    pub fn offset(&self) -> u64 {
        match self {
            Self::Block(Block::Frame(frame)) => frame.offset,
            Self::Block(Block::Section(header)) => header.offset,
            Self::Block(Block::Interface { interface, .. }) => interface.offset,
            Self::Block(Block::Other(raw)) => raw.offset,
            Self::Error(error) => error.offset,
            Self::Skipped(skipped) => skipped.offset,
        }
    }
}
