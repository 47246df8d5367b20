//! Where the bytes come from: sources that feed
//! [`Parser::parse_packet`](crate::Parser::parse_packet) other than a slice
//! the caller already holds.
//!
//! - [`mmap`]: a file mapped into memory, parsed as one slice, with parsed
//!   windows released so resident memory stays small.
//! - [`stream`]: any [`std::io::Read`] (pipes, stdin, sockets) through a
//!   bounded buffer, with a lending `next`.
//! - [`capture_stream`]: the same for pcap and pcapng frames.
//! - [`capture_recover_stream`]: pcap and pcapng read past damage from any
//!   `Read`, as the recovering slice readers read them.
//! - [`record_headers`] (Unix): a pcap file's record headers only, by
//!   positioned reads, for readers that need no frame bytes.

pub mod capture_recover_stream;
pub mod capture_stream;
pub mod error;
pub mod mmap;
mod read_buffer;
#[cfg(unix)]
pub mod record_headers;
pub mod stream;
