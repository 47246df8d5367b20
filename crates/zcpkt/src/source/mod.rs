//! Where the bytes come from: readers that feed [`Parser::parse_packet`](crate::Parser::parse_packet)
//! from sources other than a slice the caller already holds.

pub mod stream;
