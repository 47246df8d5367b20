//! The classic libpcap format (`pcap-savefile(5)`, draft-ietf-opsawg-pcap):
//! a 24-byte global header, then 16-byte record headers each followed by
//! the captured bytes. Either byte order; µs or ns timestamps.
//!
//! Where a record is framed, validated and handed out:
//! [`Parser::parse_record`] in `parse.rs`. [`Header`] is the global header,
//! [`Frames`] drives the parser over a slice, and `write.rs` (with `std`)
//! writes headers and records into any `io::Write`.

#![forbid(unsafe_code)]

mod frames;
mod header;
mod parse;
#[cfg(feature = "std")]
mod write;

pub use frames::Frames;
pub use header::{Header, HEADER_LEN, MAGIC_MICROS, MAGIC_NANOS, RECORD_HEADER_LEN};
pub use parse::{Parser, DEFAULT_MAX_RECORD_SIZE};
#[cfg(feature = "std")]
pub use write::{write_header, write_record};
