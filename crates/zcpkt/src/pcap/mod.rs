//! The classic libpcap format (`pcap-savefile(5)`, draft-ietf-opsawg-pcap):
//! a 24-byte global header, then 16-byte record headers each followed by
//! the captured bytes. Either byte order; µs or ns timestamps.
//!
//! Where a record is framed, validated and handed out:
//! [`Parser::parse_record`] in `parse.rs`. [`Header`] is the global header,
//! [`Frames`] drives the parser over a slice, and `write.rs` (with `std`)
//! writes headers and records into any `io::Write`.
//!
//! ```
//! use zcpkt::capture::{LinkType, Resolution};
//! use zcpkt::pcap;
//!
//! let mut file = Vec::new();
//! pcap::write_header(&mut file, Resolution::MICROS, 65535, LinkType::ETHERNET)?;
//! pcap::write_record(&mut file, 1_700_000_000, 60, 60, &[0u8; 60])?;
//!
//! for frame in pcap::Parser::new().frames(&file) {
//!     let frame = frame?; // a CaptureError with the byte offset of the damage
//!     assert_eq!(frame.timestamp.unwrap().to_string(), "1700000000.000060000");
//!     assert_eq!((frame.offset, frame.data.len()), (24, 60));
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]

mod frames;
mod header;
mod parse;
mod recover;
#[cfg(feature = "std")]
mod write;

pub use frames::Frames;
pub use header::{Header, HEADER_LEN, MAGIC_MICROS, MAGIC_NANOS, RECORD_HEADER_LEN};
pub use parse::{Parser, RecordHeader, DEFAULT_MAX_RECORD_SIZE};
#[cfg(feature = "std")]
pub(crate) use recover::Carried;
pub use recover::{Recovering, COMPARE_CREDIT_RECORDS, MAX_ORIGINAL_LEN, TIMESTAMP_WINDOW_SECS};
#[cfg(feature = "std")]
pub use write::{write_header, write_header_with_link_field, write_record};
