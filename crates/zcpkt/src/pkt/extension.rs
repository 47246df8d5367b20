//! The extension area: TLV records decoded lazily, borrowing the header.

use super::format::EXTENSION_HEAD_LEN;

/// What an extension record carries, from its TYPE byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExtensionType {
    /// Type 1.
    Metadata,
    /// Type 2.
    Encryption,
    /// Type 3.
    Compression,
    /// Type 4.
    Routing,
    /// Any other type byte, kept as read.
    Custom(u8),
}

impl ExtensionType {
    /// The type for a TYPE byte.
    pub const fn from_byte(byte: u8) -> Self {
        match byte {
            1 => Self::Metadata,
            2 => Self::Encryption,
            3 => Self::Compression,
            4 => Self::Routing,
            other => Self::Custom(other),
        }
    }

    /// The TYPE byte for this type (the inverse of [`from_byte`](Self::from_byte)).
    pub const fn to_byte(self) -> u8 {
        match self {
            Self::Metadata => 1,
            Self::Encryption => 2,
            Self::Compression => 3,
            Self::Routing => 4,
            Self::Custom(other) => other,
        }
    }

    /// A short lower-case name: `metadata`, …, `custom`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Metadata => "metadata",
            Self::Encryption => "encryption",
            Self::Compression => "compression",
            Self::Routing => "routing",
            Self::Custom(_) => "custom",
        }
    }
}

impl core::fmt::Display for ExtensionType {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Custom(byte) => write!(f, "custom({byte})"),
            known => f.write_str(known.name()),
        }
    }
}

/// One extension record; `value` borrows the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extension<'a> {
    /// The record's type.
    pub ty: ExtensionType,
    /// The record's VALUE bytes (LENGTH of them).
    pub value: &'a [u8],
}

/// A lazy iterator over the records of an extension area.
///
/// It decodes one record per call and stops at the end of the area or at the
/// first record that does not fit (a malformed area; the packet reports where,
/// see [`Packet::malformed_extension_offset`](crate::Packet::malformed_extension_offset)).
#[derive(Clone, Debug)]
pub struct Extensions<'a> {
    rest: &'a [u8],
}

impl<'a> Extensions<'a> {
    /// Iterates over the records of `area` (the bytes after DEST_ID's
    /// terminator up to HEADER_LEN).
    pub const fn new(area: &'a [u8]) -> Self {
        Self { rest: area }
    }
}

impl<'a> Iterator for Extensions<'a> {
    type Item = Extension<'a>;

    fn next(&mut self) -> Option<Extension<'a>> {
        let (ext, rest) = split_record(self.rest)?;
        self.rest = rest;
        Some(ext)
    }
}

impl core::iter::FusedIterator for Extensions<'_> {}

/// Splits the first record off `area`, or `None` if it does not fit.
fn split_record(area: &[u8]) -> Option<(Extension<'_>, &[u8])> {
    let (&[ty, lo, hi], rest) = area.split_first_chunk::<EXTENSION_HEAD_LEN>()?;
    let len = usize::from(u16::from_le_bytes([lo, hi]));
    if len > rest.len() {
        return None;
    }
    let (value, rest) = rest.split_at(len);
    Some((Extension { ty: ExtensionType::from_byte(ty), value }, rest))
}

/// Checks that the records fill `area` exactly. On failure returns the
/// position, relative to `area`, of the first record that does not fit.
pub(crate) fn validate(area: &[u8]) -> Result<(), usize> {
    let mut rest = area;
    while !rest.is_empty() {
        match split_record(rest) {
            Some((_, after)) => rest = after,
            None => return Err(area.len() - rest.len()),
        }
    }
    Ok(())
}
