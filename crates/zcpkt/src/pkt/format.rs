//! Constants of the PKT v1 wire format (`shared/spec/pkt-format.md`).

/// The four bytes every packet starts with: `PKT\0`.
pub const MAGIC: [u8; 4] = *b"PKT\0";
/// The only version this crate reads and writes.
pub const VERSION: u8 = 1;
/// Bytes of the fixed part of the header, up to and excluding `SOURCE_ID`.
pub const FIXED_HEADER_LEN: usize = 24;
/// The smallest valid `HEADER_LEN`: the fixed header and two empty identifiers.
pub const MIN_HEADER_LEN: u16 = 26;
/// The largest header the 16-bit `HEADER_LEN` field can describe.
pub const MAX_HEADER_LEN: usize = u16::MAX as usize;
/// Bytes of an extension record's head (type and length).
pub const EXTENSION_HEAD_LEN: usize = 3;

/// Byte offsets of the fixed header's fields.
pub(crate) mod field {
    pub const VERSION: usize = 4;
    pub const FLAGS: usize = 5;
    pub const HEADER_LEN: usize = 6;
    pub const PAYLOAD_LEN: usize = 8;
    pub const CHECKSUM: usize = 12;
    pub const TIMESTAMP: usize = 16;
}
