//! Encoding packets into a caller's buffer (and, with `std`, any writer).

use super::error::IdField;
use super::extension::Extension;
use super::flags::PacketFlags;
use super::format::{field, EXTENSION_HEAD_LEN, FIXED_HEADER_LEN, MAGIC, MAX_HEADER_LEN, VERSION};
use super::packet::Packet;

/// Why a packet cannot be encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EncodeError {
    /// An identifier contains a 00 byte, which would end it early.
    IdContainsNul {
        /// Which identifier.
        field: IdField,
        /// Position of the first 00 inside the identifier.
        at: usize,
    },
    /// The header (fixed part, identifiers, extensions) is over 65535 bytes.
    HeaderTooLong {
        /// The header length it would need.
        len: usize,
    },
    /// The payload is over `u32::MAX` bytes.
    PayloadTooLong {
        /// The payload's length.
        len: usize,
    },
    /// An extension value is over 65535 bytes.
    ExtensionTooLong {
        /// Index of the extension in the list.
        index: usize,
        /// Its value's length.
        len: usize,
    },
    /// The output buffer is too small.
    BufferTooSmall {
        /// Bytes the packet needs.
        needed: usize,
        /// Bytes the buffer has.
        available: usize,
    },
}

impl core::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            Self::IdContainsNul { field, at } => {
                write!(f, "{} contains a NUL byte at position {at}", field.name())
            }
            Self::HeaderTooLong { len } => {
                write!(f, "header of {len} bytes exceeds the maximum of {MAX_HEADER_LEN}")
            }
            Self::PayloadTooLong { len } => {
                write!(f, "payload of {len} bytes exceeds the maximum of {}", u32::MAX)
            }
            Self::ExtensionTooLong { index, len } => {
                write!(f, "extension {index} has a value of {len} bytes (maximum 65535)")
            }
            Self::BufferTooSmall { needed, available } => {
                write!(f, "output buffer of {available} bytes is too small (need {needed})")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for EncodeError {}

/// The extension area of a packet to encode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtensionArea<'a> {
    /// Records to encode, in order.
    Records(&'a [Extension<'a>]),
    /// An already encoded area, copied as is (e.g. from a parsed packet,
    /// to re-encode it byte for byte).
    Encoded(&'a [u8]),
}

/// A packet to encode: the fields a writer chooses. HEADER_LEN, PAYLOAD_LEN
/// and CHECKSUM are derived.
///
/// ```
/// use zcpkt::{NewPacket, PacketFlags};
/// let mut buf = [0u8; 64];
/// let n = NewPacket::new("a", "bc", b"hi")
///     .flags(PacketFlags::PRIORITY)
///     .timestamp(1)
///     .encode(&mut buf)
///     .unwrap();
/// assert_eq!(n, 31);
/// assert_eq!(&buf[..4], b"PKT\0");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewPacket<'a> {
    /// FLAGS (reserved bits are written as given).
    pub flags: PacketFlags,
    /// TIMESTAMP in microseconds since the Unix epoch.
    pub timestamp: u64,
    /// SOURCE_ID (must not contain 00).
    pub source_id: &'a str,
    /// DEST_ID (must not contain 00).
    pub dest_id: &'a str,
    /// The extension area.
    pub extensions: ExtensionArea<'a>,
    /// The payload.
    pub payload: &'a [u8],
}

impl<'a> NewPacket<'a> {
    /// A packet with no flags, timestamp 0 and no extensions.
    pub const fn new(source_id: &'a str, dest_id: &'a str, payload: &'a [u8]) -> Self {
        Self {
            flags: PacketFlags::empty(),
            timestamp: 0,
            source_id,
            dest_id,
            extensions: ExtensionArea::Records(&[]),
            payload,
        }
    }

    /// Sets FLAGS.
    pub const fn flags(mut self, flags: PacketFlags) -> Self {
        self.flags = flags;
        self
    }

    /// Sets TIMESTAMP.
    pub const fn timestamp(mut self, timestamp: u64) -> Self {
        self.timestamp = timestamp;
        self
    }

    /// Sets the extension records.
    pub const fn extensions(mut self, extensions: &'a [Extension<'a>]) -> Self {
        self.extensions = ExtensionArea::Records(extensions);
        self
    }

    /// The fields of a parsed packet, to re-encode it: the result is the
    /// packet's original bytes whenever its checksum was right.
    pub const fn from_packet(packet: &Packet<'a>) -> Self {
        Self {
            flags: packet.flags,
            timestamp: packet.timestamp,
            source_id: packet.source_id,
            dest_id: packet.dest_id,
            extensions: ExtensionArea::Encoded(packet.extension_area()),
            payload: packet.payload,
        }
    }

    fn extension_area_len(&self) -> Result<usize, EncodeError> {
        match self.extensions {
            ExtensionArea::Encoded(bytes) => Ok(bytes.len()),
            ExtensionArea::Records(records) => {
                let mut total = 0usize;
                for (index, ext) in records.iter().enumerate() {
                    if ext.value.len() > usize::from(u16::MAX) {
                        return Err(EncodeError::ExtensionTooLong { index, len: ext.value.len() });
                    }
                    total = total.saturating_add(EXTENSION_HEAD_LEN + ext.value.len());
                }
                Ok(total)
            }
        }
    }

    /// HEADER_LEN of the encoded packet, after checking every field.
    pub fn header_len(&self) -> Result<u16, EncodeError> {
        for (field, id) in [(IdField::Source, self.source_id), (IdField::Dest, self.dest_id)] {
            if let Some(at) = memchr::memchr(0, id.as_bytes()) {
                return Err(EncodeError::IdContainsNul { field, at });
            }
        }
        if u32::try_from(self.payload.len()).is_err() {
            return Err(EncodeError::PayloadTooLong { len: self.payload.len() });
        }
        let len = (FIXED_HEADER_LEN + 2)
            .saturating_add(self.source_id.len())
            .saturating_add(self.dest_id.len())
            .saturating_add(self.extension_area_len()?);
        u16::try_from(len).map_err(|_| EncodeError::HeaderTooLong { len })
    }

    /// The encoded packet's size in bytes.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        Ok(usize::from(self.header_len()?) + self.payload.len())
    }

    /// Encodes the header (everything before the payload) into the start of
    /// `out`; returns its length. The checksum is computed over the payload.
    pub fn encode_header(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let header_len = self.header_len()?;
        let needed = usize::from(header_len);
        let available = out.len();
        let out = out.get_mut(..needed).ok_or(EncodeError::BufferTooSmall { needed, available })?;
        let mut cursor = Cursor { out, pos: 0 };
        self.put_fixed(&mut cursor, header_len);
        for id in [self.source_id, self.dest_id] {
            cursor.put(id.as_bytes());
            cursor.put(&[0]);
        }
        match self.extensions {
            ExtensionArea::Encoded(bytes) => cursor.put(bytes),
            ExtensionArea::Records(records) => {
                for ext in records {
                    cursor.put(&[ext.ty.to_byte()]);
                    // extension_area_len() checked the value fits in u16.
                    cursor.put(&(ext.value.len() as u16).to_le_bytes());
                    cursor.put(ext.value);
                }
            }
        }
        Ok(needed)
    }

    /// Encodes the whole packet into the start of `out`; returns its length.
    pub fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let needed = self.encoded_len()?;
        let available = out.len();
        if needed > available {
            return Err(EncodeError::BufferTooSmall { needed, available });
        }
        let header_len = self.encode_header(out)?;
        out[header_len..needed].copy_from_slice(self.payload);
        Ok(needed)
    }

    /// Writes the packet to `writer` without building it in memory: the
    /// fixed header goes through a 24-byte array, identifiers, extensions
    /// and payload are written from where they are (wrap unbuffered writers
    /// in a `BufWriter`).
    #[cfg(feature = "std")]
    pub fn write_to<W: std::io::Write + ?Sized>(&self, writer: &mut W) -> std::io::Result<usize> {
        let to_io = |e: EncodeError| std::io::Error::new(std::io::ErrorKind::InvalidInput, e);
        let header_len = self.header_len().map_err(to_io)?;
        let mut fixed = [0u8; FIXED_HEADER_LEN];
        let mut cursor = Cursor { out: &mut fixed, pos: 0 };
        self.put_fixed(&mut cursor, header_len);
        writer.write_all(&fixed)?;
        for id in [self.source_id, self.dest_id] {
            writer.write_all(id.as_bytes())?;
            writer.write_all(&[0])?;
        }
        match self.extensions {
            ExtensionArea::Encoded(bytes) => writer.write_all(bytes)?,
            ExtensionArea::Records(records) => {
                for ext in records {
                    let [lo, hi] = (ext.value.len() as u16).to_le_bytes();
                    writer.write_all(&[ext.ty.to_byte(), lo, hi])?;
                    writer.write_all(ext.value)?;
                }
            }
        }
        writer.write_all(self.payload)?;
        Ok(usize::from(header_len) + self.payload.len())
    }

    /// The 24 fixed bytes; `header_len` comes from [`header_len`](Self::header_len),
    /// which checked every length.
    fn put_fixed(&self, cursor: &mut Cursor<'_>, header_len: u16) {
        cursor.put(&MAGIC);
        cursor.put(&[VERSION, self.flags.bits()]);
        cursor.put(&header_len.to_le_bytes());
        cursor.put(&(self.payload.len() as u32).to_le_bytes());
        cursor.put(&crc32fast::hash(self.payload).to_le_bytes());
        cursor.put(&self.timestamp.to_le_bytes());
        debug_assert_eq!(cursor.pos, field::TIMESTAMP + 8);
    }
}

/// Sequential writes into a buffer whose size was checked beforehand.
struct Cursor<'b> {
    out: &'b mut [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn put(&mut self, bytes: &[u8]) {
        let end = self.pos + bytes.len();
        self.out[self.pos..end].copy_from_slice(bytes);
        self.pos = end;
    }
}
