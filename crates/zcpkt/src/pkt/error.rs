//! Errors: one `Copy` value per problem, with the byte offset it happened at.

use core::fmt;

/// Which identifier an identifier error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdField {
    /// SOURCE_ID.
    Source,
    /// DEST_ID.
    Dest,
}

impl IdField {
    /// The name used in `dump --json`: `source_id` or `dest_id`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Source => "source_id",
            Self::Dest => "dest_id",
        }
    }
}

/// What went wrong, with the details `dump-json.md` lists for each kind.
///
/// All offsets are absolute byte offsets from the start of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Fewer bytes remain than the fixed header, the header or the payload need.
    Truncated {
        /// Bytes left from the packet's offset to the end of input.
        available: u64,
    },
    /// The first four bytes are not `PKT\0`.
    BadMagic,
    /// VERSION is not 1.
    UnsupportedVersion {
        /// The VERSION byte read.
        version: u8,
    },
    /// `HEADER_LEN` is below 26.
    BadHeaderLen {
        /// The HEADER_LEN read.
        header_len: u16,
    },
    /// An identifier has no 00 terminator before `HEADER_LEN`.
    UnterminatedId {
        /// Which identifier.
        field: IdField,
        /// Where that identifier starts.
        field_offset: u64,
    },
    /// An identifier is not valid UTF-8.
    InvalidUtf8 {
        /// Which identifier.
        field: IdField,
        /// Where that identifier starts.
        field_offset: u64,
    },
    /// The payload's CRC-32 differs from CHECKSUM. Framing is kept.
    ChecksumMismatch {
        /// CHECKSUM as stored in the header.
        stored: u32,
        /// CRC-32 of the payload as read.
        computed: u32,
    },
    /// The extension records do not fill the extension area exactly.
    /// Framing is kept.
    MalformedExtension {
        /// Where the first record that does not fit starts.
        record_offset: u64,
    },
    /// The packet is larger than the reader accepts. Framing is kept.
    TooLarge {
        /// `HEADER_LEN + PAYLOAD_LEN`.
        size: u64,
        /// The reader's configured maximum packet size.
        limit: u64,
    },
}

impl ErrorKind {
    /// The kind's name as in the spec's error table (`BadMagic`, …).
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Truncated { .. } => "Truncated",
            Self::BadMagic => "BadMagic",
            Self::UnsupportedVersion { .. } => "UnsupportedVersion",
            Self::BadHeaderLen { .. } => "BadHeaderLen",
            Self::UnterminatedId { .. } => "UnterminatedId",
            Self::InvalidUtf8 { .. } => "InvalidUtf8",
            Self::ChecksumMismatch { .. } => "ChecksumMismatch",
            Self::MalformedExtension { .. } => "MalformedExtension",
            Self::TooLarge { .. } => "TooLarge",
        }
    }

    /// All kind names, in the spec's table order (handy for histograms).
    pub const NAMES: [&'static str; 9] = [
        "Truncated",
        "BadMagic",
        "UnsupportedVersion",
        "BadHeaderLen",
        "UnterminatedId",
        "InvalidUtf8",
        "ChecksumMismatch",
        "MalformedExtension",
        "TooLarge",
    ];

    /// The size of the packet this error stands for, when the reader kept
    /// its framing without reading it (`TooLarge`: the reader counted
    /// through its bytes, so it is a packet, as `check` counts it); `None`
    /// for every other kind, whose packet (if any) is a record of its own
    /// or whose bytes are skipped.
    pub const fn framed_packet_size(&self) -> Option<u64> {
        match self {
            Self::TooLarge { size, .. } => Some(*size),
            _ => None,
        }
    }

    /// This kind's position in [`NAMES`](Self::NAMES).
    pub const fn index(&self) -> usize {
        match self {
            Self::Truncated { .. } => 0,
            Self::BadMagic => 1,
            Self::UnsupportedVersion { .. } => 2,
            Self::BadHeaderLen { .. } => 3,
            Self::UnterminatedId { .. } => 4,
            Self::InvalidUtf8 { .. } => 5,
            Self::ChecksumMismatch { .. } => 6,
            Self::MalformedExtension { .. } => 7,
            Self::TooLarge { .. } => 8,
        }
    }

    /// Whether the packet's framing survives this error, so a reader can go
    /// on right after the packet without re-synchronising.
    pub const fn keeps_framing(&self) -> bool {
        matches!(
            self,
            Self::ChecksumMismatch { .. } | Self::MalformedExtension { .. } | Self::TooLarge { .. }
        )
    }
}

/// An error of the packet that starts at `offset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Error {
    /// Byte offset of the packet's first byte, from the start of the input.
    pub offset: u64,
    /// What went wrong.
    pub kind: ErrorKind,
}

impl Error {
    /// An error of kind `kind` for the packet at `offset`.
    pub const fn new(offset: u64, kind: ErrorKind) -> Self {
        Self { offset, kind }
    }
}

impl fmt::Display for Error {
    /// One line: `offset 31: bad magic (expected "PKT\0")`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "offset {}: ", self.offset)?;
        match self.kind {
            ErrorKind::Truncated { available } => {
                write!(f, "truncated packet ({available} bytes left in input)")
            }
            ErrorKind::BadMagic => f.write_str("bad magic (expected \"PKT\\0\")"),
            ErrorKind::UnsupportedVersion { version } => {
                write!(f, "unsupported version {version} (expected 1)")
            }
            ErrorKind::BadHeaderLen { header_len } => {
                write!(f, "header length {header_len} is below the minimum of 26")
            }
            ErrorKind::UnterminatedId { field, field_offset } => write!(
                f,
                "{} at offset {field_offset} has no 00 terminator inside the header",
                field.name()
            ),
            ErrorKind::InvalidUtf8 { field, field_offset } => {
                write!(f, "{} at offset {field_offset} is not valid UTF-8", field.name())
            }
            ErrorKind::ChecksumMismatch { stored, computed } => {
                write!(f, "checksum mismatch (stored {stored:#010x}, computed {computed:#010x})")
            }
            ErrorKind::MalformedExtension { record_offset } => write!(
                f,
                "malformed extension area (record at offset {record_offset} does not fit)"
            ),
            ErrorKind::TooLarge { size, limit } => {
                write!(f, "packet of {size} bytes exceeds the limit of {limit} bytes")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}
