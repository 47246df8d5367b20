//! The PKT v1 format (`shared/spec/pkt-format.md`): types, parsers, encoder.
//!
//! Where a packet is framed, validated and handed out: [`Parser::parse_packet`]
//! in `parse.rs`. Everything else in this folder either describes its result
//! ([`Packet`], [`Error`], [`Extension`]) or drives it over an input
//! ([`Packets`], [`Records`]).

#![forbid(unsafe_code)]

mod crc;
mod encode;
mod error;
mod extension;
mod flags;
pub mod format;
mod packet;
mod packets;
mod parse;
mod records;
mod resync;

pub use encode::{EncodeError, ExtensionArea, NewPacket};
pub use error::{Error, ErrorKind, IdField};
pub use extension::{Extension, ExtensionType, Extensions};
pub use flags::PacketFlags;
pub use packet::{Packet, PacketErrors};
pub use packets::Packets;
pub use parse::{FixedHeader, HashProgress, Parser, HASH_PIECE};
pub use records::{Record, Records, SearchProgress, Skipped};
pub use resync::{
    checkpoints_for, find_next_valid, InlineCheckpoints, ReadAt, Scan, Scanner, Window, READ_AT_MAX,
};
#[doc(hidden)]
pub use resync::{find_next_valid_counted, find_next_valid_naive};
