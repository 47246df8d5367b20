//! Where the bytes come from: sources that feed
//! [`Parser::parse_packet`](crate::Parser::parse_packet) other than a slice
//! the caller already holds.
//!
//! - [`mmap`]: a file mapped into memory, parsed as one slice, with parsed
//!   windows released so resident memory stays small.
//! - [`stream`]: any [`std::io::Read`] (pipes, stdin, sockets) through a
//!   bounded buffer, with a lending `next`.
//! - [`capture_stream`]: the same for pcap and pcapng frames.

pub mod capture_stream;
pub mod error;
pub mod mmap;
mod read_buffer;
pub mod stream;
