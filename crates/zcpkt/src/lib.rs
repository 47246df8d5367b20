//! Zero-copy, zero-allocation parsing of PKT v1 packet captures.
//!
//! A [`Packet`] borrows its identifiers (`&str`) and payload (`&[u8]`) from
//! the bytes you parse: nothing is copied, nothing is allocated, and the
//! borrow checker guarantees the bytes outlive the packets.
//!
//! ```
//! use zcpkt::{NewPacket, PacketFlags, Parser};
//!
//! // Build a capture of two packets (the encoder writes into any buffer).
//! let mut capture = vec![0u8; 128];
//! let mut len = 0;
//! for (src, payload) in [("probe-1", &b"hello"[..]), ("probe-2", b"world")] {
//!     let packet = NewPacket::new(src, "collector", payload).flags(PacketFlags::PRIORITY);
//!     len += packet.encode(&mut capture[len..]).unwrap();
//! }
//! capture.truncate(len);
//!
//! // Parse it: every packet points into `capture`.
//! let mut sources = Vec::new();
//! for packet in Parser::new().packets(&capture) {
//!     let packet = packet?;
//!     assert!(packet.flags.contains(PacketFlags::PRIORITY));
//!     sources.push(packet.source_id); // a &str into `capture`
//! }
//! assert_eq!(sources, ["probe-1", "probe-2"]);
//! # Ok::<(), zcpkt::Error>(())
//! ```
//!
//! Damaged input gives typed errors with byte offsets; [`Records`] yields
//! the packets, errors and skipped ranges of `zcpkt dump --json` and can
//! re-synchronise past corruption:
//!
//! ```
//! use zcpkt::{ErrorKind, Parser, Record};
//!
//! let garbage = b"not a packet";
//! let records: Vec<Record> = Parser::new().records(garbage, true).collect();
//! assert!(matches!(records[0], Record::Error(e) if e.kind == ErrorKind::Truncated { available: 12 }));
//! ```
//!
//! # Features
//!
//! - `std` (default): I/O sources, writers, the synthetic data generator and
//!   the copying baseline parser. Without it the crate is `#![no_std]` and
//!   allocation-free.
//! - `parallel`: parsing on all cores with rayon.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
#![deny(unsafe_code)]

#[cfg(feature = "std")]
pub mod baseline;
pub mod capture;
pub mod capture_record;
#[cfg(feature = "std")]
pub mod generate;
#[cfg(feature = "parallel")]
pub mod parallel;
pub mod pcap;
pub mod pcapng;
pub mod pkt;
pub mod proto;
#[cfg(feature = "std")]
pub mod source;
mod window_end;

pub use capture::{detect, CaptureError, CaptureErrorKind, Format, Frame, LinkType, Timestamp};
pub use capture_record::CaptureRecord;
pub use pkt::{
    EncodeError, Error, ErrorKind, Extension, ExtensionArea, ExtensionType, Extensions, IdField,
    NewPacket, Packet, PacketFlags, Packets, Parser, Record, Records, Skipped,
};

/// The README's examples, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
