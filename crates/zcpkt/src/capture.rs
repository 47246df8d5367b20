//! What the container formats share: [`Frame`], [`Timestamp`], [`LinkType`],
//! [`ByteOrder`], the error type [`CaptureError`] and format detection.
//!
//! [`pcap`](crate::pcap) and [`pcapng`](crate::pcapng) both hand out
//! [`Frame<'a>`] values borrowing from the input and report damage as one
//! `Copy` [`CaptureError`] with a byte offset, in the style of
//! [`pkt::Error`](crate::pkt::Error): integers only, `Display` on demand.

#![forbid(unsafe_code)]

use core::fmt;

use crate::pcapng::Options;

/// The container formats [`detect`] recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// zcpkt's own PKT v1 (starts with `PKT\0`).
    Pkt,
    /// libpcap's classic format, either byte order, µs or ns magic.
    Pcap,
    /// pcapng (starts with a Section Header Block, type `0x0A0D0D0A`).
    PcapNg,
}

/// The format of a capture from its first four bytes, or `None`.
///
/// An empty input has no magic at all, so it is `None` here; every reader of
/// this crate treats an empty input as a valid capture of zero frames (as
/// `shared/spec/fields.md` requires), so a caller that gets `None` for an
/// empty file should report zero frames rather than an unknown format.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    let magic = *bytes.first_chunk::<4>()?;
    if magic == *b"PKT\0" {
        return Some(Format::Pkt);
    }
    if magic == crate::pcapng::SHB_TYPE_BYTES {
        return Some(Format::PcapNg);
    }
    let le = u32::from_le_bytes(magic);
    let be = u32::from_be_bytes(magic);
    let pcap = [crate::pcap::MAGIC_MICROS, crate::pcap::MAGIC_NANOS];
    (pcap.contains(&le) || pcap.contains(&be)).then_some(Format::Pcap)
}

/// The byte order of a pcap file or of one pcapng section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ByteOrder {
    /// Least significant byte first.
    Little,
    /// Most significant byte first.
    Big,
}

impl ByteOrder {
    /// A `u16` from two bytes in this order.
    #[inline(always)]
    pub const fn u16(self, b: [u8; 2]) -> u16 {
        match self {
            Self::Little => u16::from_le_bytes(b),
            Self::Big => u16::from_be_bytes(b),
        }
    }

    /// A `u32` from four bytes in this order.
    #[inline(always)]
    pub const fn u32(self, b: [u8; 4]) -> u32 {
        match self {
            Self::Little => u32::from_le_bytes(b),
            Self::Big => u32::from_be_bytes(b),
        }
    }

    /// A `u64` from eight bytes in this order.
    #[inline(always)]
    pub const fn u64(self, b: [u8; 8]) -> u64 {
        match self {
            Self::Little => u64::from_le_bytes(b),
            Self::Big => u64::from_be_bytes(b),
        }
    }
}

/// `N` bytes of `head` from `at`. Every call site has `at + N <= M` with
/// constants, so the compiler drops the bounds check (as `pkt`'s `le_bytes`).
#[inline(always)]
pub(crate) fn bytes_at<const N: usize, const M: usize>(head: &[u8; M], at: usize) -> [u8; N] {
    let mut out = [0; N];
    out.copy_from_slice(&head[at..at + N]);
    out
}

/// A link-layer header type (the tcpdump.org `LINKTYPE_` registry), as in the
/// pcap header's LinkType field (low 16 bits) and a pcapng IDB.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkType(pub u16);

impl LinkType {
    /// `LINKTYPE_NULL`: BSD loopback, a 4-byte address family in host order.
    pub const NULL: Self = Self(0);
    /// `LINKTYPE_ETHERNET`: IEEE 802.3 Ethernet.
    pub const ETHERNET: Self = Self(1);
    /// `LINKTYPE_RAW`: raw IPv4 or IPv6, no link-layer header.
    pub const RAW: Self = Self(101);
    /// `LINKTYPE_IEEE802_11`: 802.11 wireless.
    pub const IEEE802_11: Self = Self(105);
    /// `LINKTYPE_LOOP`: OpenBSD loopback, address family in network order.
    pub const LOOP: Self = Self(108);
    /// `LINKTYPE_LINUX_SLL`: Linux "cooked" capture v1.
    pub const LINUX_SLL: Self = Self(113);
    /// `LINKTYPE_IEEE802_11_RADIOTAP`: 802.11 with a radiotap header.
    pub const IEEE802_11_RADIOTAP: Self = Self(127);
    /// `LINKTYPE_IPV4`: raw IPv4.
    pub const IPV4: Self = Self(228);
    /// `LINKTYPE_IPV6`: raw IPv6.
    pub const IPV6: Self = Self(229);
    /// `LINKTYPE_LINUX_SLL2`: Linux "cooked" capture v2.
    pub const LINUX_SLL2: Self = Self(276);
}

impl fmt::Display for LinkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

const NANOS_PER_SEC: u64 = 1_000_000_000;

/// The unit of a raw timestamp: 10^-n or 2^-n seconds (pcapng `if_tsresol`;
/// pcap files are 10^-6 or 10^-9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Resolution {
    /// Units of 10^-n seconds.
    Pow10(u8),
    /// Units of 2^-n seconds.
    Pow2(u8),
}

impl Resolution {
    /// Microseconds: pcap's `0xa1b2c3d4` magic and pcapng's default.
    pub const MICROS: Self = Self::Pow10(6);
    /// Nanoseconds: pcap's `0xa1b23c4d` magic.
    pub const NANOS: Self = Self::Pow10(9);

    /// The resolution an `if_tsresol` byte describes: the high bit selects a
    /// power of 2, the other seven bits are the exponent.
    pub const fn from_tsresol(byte: u8) -> Self {
        if byte & 0x80 != 0 {
            Self::Pow2(byte & 0x7f)
        } else {
            Self::Pow10(byte)
        }
    }

    /// Units in one second, or `None` when that does not fit a `u64`
    /// (10^20 and up, 2^64 and up; Wireshark refuses those too).
    pub const fn units_per_second(self) -> Option<u64> {
        match self {
            Self::Pow10(e) => 10u64.checked_pow(e as u32),
            Self::Pow2(e) => 1u64.checked_shl(e as u32),
        }
    }
}

/// An exact point in time: whole seconds since 1970-01-01 UTC and a fraction
/// of a second counted in units of a [`Resolution`].
///
/// Nothing is rounded when a frame is parsed: the fraction is kept in the
/// file's own units, so 2^-k resolutions lose nothing. Conversion to
/// nanoseconds happens only when asked, with integer arithmetic (never a
/// float), truncating toward the earlier time as Wireshark 4.x does
/// (`wiretap/pcapng.c`: `ns = frac * 10^9 / units_per_second`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Timestamp {
    secs: i64,
    frac: u64,
    resolution: Resolution,
    per_sec: u64,
}

impl Timestamp {
    /// A timestamp of `secs` seconds and `nanos` nanoseconds (`nanos` at or
    /// over 10^9 carries into the seconds).
    pub const fn from_nanos(secs: i64, nanos: u32) -> Self {
        Self::carry(secs, nanos as u64, Resolution::NANOS, NANOS_PER_SEC)
    }

    /// A timestamp of `secs` seconds and `frac` units of `resolution`;
    /// a fraction of a second or more carries into the seconds (hostile pcap
    /// records may hold 10^6 µs or more). `None` if the resolution has more
    /// units per second than a `u64` holds.
    pub const fn new(secs: i64, frac: u64, resolution: Resolution) -> Option<Self> {
        match resolution.units_per_second() {
            Some(per_sec) => Some(Self::carry(secs, frac, resolution, per_sec)),
            None => None,
        }
    }

    /// A pcapng timestamp: `units` of `resolution` since the epoch, plus
    /// `offset_secs` (`if_tsoffset`). `None` if the resolution is unsupported.
    /// The seconds saturate rather than wrap on hostile offsets.
    pub const fn from_units(units: u64, resolution: Resolution, offset_secs: i64) -> Option<Self> {
        match resolution.units_per_second() {
            Some(per_sec) => {
                Some(Self::from_units_per_sec(units, resolution, per_sec, offset_secs))
            }
            None => None,
        }
    }

    /// What [`from_units`](Self::from_units) was given: the count of
    /// [`resolution`](Self::resolution) units since the epoch minus
    /// `offset_secs` — a pcapng timestamp field, for an interface with that
    /// `if_tsoffset` — or `None` when that count is negative or over a
    /// `u64`. Exact for every timestamp a reader produced, unless
    /// `from_units` had to saturate its seconds (a hostile offset).
    pub const fn to_units(&self, offset_secs: i64) -> Option<u64> {
        let Some(secs) = self.secs.checked_sub(offset_secs) else {
            return None;
        };
        if secs < 0 {
            return None;
        }
        match (secs as u64).checked_mul(self.per_sec) {
            Some(whole) => whole.checked_add(self.frac),
            None => None,
        }
    }

    /// The hot-path constructor: `per_sec` is `resolution`'s units per second,
    /// computed once per interface.
    #[inline]
    pub(crate) const fn from_units_per_sec(
        units: u64,
        resolution: Resolution,
        per_sec: u64,
        offset_secs: i64,
    ) -> Self {
        // per_sec >= 1 (10^0 or 2^0 at least), so neither operation can fail.
        let whole = units / per_sec;
        let frac = units % per_sec;
        // whole <= u64::MAX < 2^64; i64 saturation only matters for 10^0/2^0.
        let secs = if whole > i64::MAX as u64 { i64::MAX } else { whole as i64 };
        Self { secs: secs.saturating_add(offset_secs), frac, resolution, per_sec }
    }

    const fn carry(secs: i64, frac: u64, resolution: Resolution, per_sec: u64) -> Self {
        let carry = frac / per_sec;
        let carry = if carry > i64::MAX as u64 { i64::MAX } else { carry as i64 };
        Self { secs: secs.saturating_add(carry), frac: frac % per_sec, resolution, per_sec }
    }

    /// Whole seconds since the epoch (the floor: a time before the epoch has
    /// negative seconds and a positive fraction).
    pub const fn seconds(&self) -> i64 {
        self.secs
    }

    /// The fraction of a second, in units of [`resolution`](Self::resolution)
    /// (always below its units per second).
    pub const fn fraction(&self) -> u64 {
        self.frac
    }

    /// The unit of [`fraction`](Self::fraction).
    pub const fn resolution(&self) -> Resolution {
        self.resolution
    }

    /// The fraction in nanoseconds, truncated as Wireshark does (so the
    /// string from [`Display`](fmt::Display) matches tshark's
    /// `frame.time_epoch`).
    pub const fn subsec_nanos(&self) -> u32 {
        // frac < per_sec <= 2^64, so frac * 10^9 < 2^94: u128 never overflows,
        // and the quotient is below 10^9.
        ((self.frac as u128 * NANOS_PER_SEC as u128) / self.per_sec as u128) as u32
    }

    /// The fraction in nanoseconds when that is exact (µs, ns, 2^-k with
    /// k <= 9, a 10^-11 fraction ending in 00, …), else `None`.
    pub const fn exact_subsec_nanos(&self) -> Option<u32> {
        let scaled = self.frac as u128 * NANOS_PER_SEC as u128;
        if scaled % self.per_sec as u128 == 0 {
            Some((scaled / self.per_sec as u128) as u32)
        } else {
            None
        }
    }

    /// Nanoseconds since the epoch, truncated like
    /// [`subsec_nanos`](Self::subsec_nanos). An `i128` cannot overflow.
    pub const fn unix_nanos(&self) -> i128 {
        self.secs as i128 * NANOS_PER_SEC as i128 + self.subsec_nanos() as i128
    }
}

impl fmt::Display for Timestamp {
    /// `seconds.nnnnnnnnn`, 9 decimals, as tshark prints `frame.time_epoch`
    /// (`1700000000.000060000`). Before the epoch: `-0.999999995`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nanos = self.subsec_nanos();
        if self.secs < 0 && nanos > 0 {
            // secs is the floor: -1 s + 5 ns is -0.999999995 s.
            let whole = (self.secs + 1).unsigned_abs();
            write!(f, "-{whole}.{:09}", NANOS_PER_SEC as u32 - nanos)
        } else {
            write!(f, "{}.{nanos:09}", self.secs)
        }
    }
}

/// One captured frame of a pcap record or a pcapng packet block, borrowing
/// its data (and options) from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame<'a> {
    /// When the frame was captured; `None` for a pcapng Simple Packet Block.
    pub timestamp: Option<Timestamp>,
    /// The frame's length on the wire.
    pub original_len: u32,
    /// Bytes captured (`data.len()`).
    pub captured_len: u32,
    /// pcapng: the interface ID as written in its section. pcap: 0.
    pub interface_id: u32,
    /// pcapng: the 0-based section index in the file. pcap: 0. (`fields.md`'s
    /// `frame.section_number` is this plus one.)
    pub section: u32,
    /// The link-layer type of the frame's interface (pcap: the file's).
    pub link_type: LinkType,
    /// The captured bytes.
    pub data: &'a [u8],
    /// Byte offset of the record or block from the start of the input.
    pub offset: u64,
    /// The block's options (pcapng Enhanced and obsolete Packet Blocks);
    /// empty for pcap records and Simple Packet Blocks.
    pub options: Options<'a>,
    /// Bytes of Frame Check Sequence at the end of the frame on the wire,
    /// as the capture says: the FCS length (octets) of the `epb_flags`
    /// option when not 0, else the interface's (pcapng `if_fcslen`, read
    /// by [`fcs_bytes`]; pcap's link-type FCS bits). `Some(0)`: no FCS;
    /// `None`: not said (Wireshark then assumes none).
    pub fcs_len: Option<u8>,
    /// The Drops Count field of an obsolete pcapng Packet Block (`None` for
    /// every other block: an EPB has the `epb_dropcount` option instead).
    pub packet_block_drops: Option<u16>,
    /// The timestamp as the record or block stores it, for writers that
    /// copy a frame: pcapng Enhanced and Packet Blocks, the 64-bit count
    /// of the interface's `if_tsresol` units before `if_tsoffset`; pcap,
    /// the seconds word then the fraction word (`secs << 32 | fraction`);
    /// 0 for a Simple Packet Block, which has none. Kept because
    /// [`timestamp`](Self::timestamp) cannot always give it back: a pcap
    /// fraction of a second or more carries into the seconds, and pcapng
    /// seconds saturate where an `i64` cannot hold them.
    pub raw_timestamp: u64,
}

/// An FCS length as Wireshark reads it (`pcap_read_post_process`): the
/// pcapng spec counts `if_fcslen` in bits, but some writers stored bytes,
/// so a value under 8 is taken as bytes and any other as bits.
pub const fn fcs_bytes(value: u8) -> u8 {
    if value < 8 {
        value
    } else {
        value / 8
    }
}

impl<'a> Frame<'a> {
    /// The `epb_flags` (or obsolete `pack_flags`) option, if present and
    /// 4 bytes long.
    pub fn epb_flags(&self) -> Option<u32> {
        self.options.u32(crate::pcapng::option::EPB_FLAGS)
    }

    /// The block's `opt_comment` values (UTF-8 as the spec says, not checked).
    pub fn comments(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.options.comments()
    }
}

/// What is wrong with a pcap or pcapng capture, with the details to report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CaptureErrorKind {
    /// The input ends inside a header, record or block.
    Truncated {
        /// Bytes left from the error's offset to the end of input.
        available: u64,
        /// Bytes needed from that offset to make progress.
        needed: u64,
    },
    /// Not a pcap global header / pcapng Section Header Block (or its
    /// byte-order magic): the four bytes read, as in a hex dump (big-endian).
    BadMagic {
        /// The bytes found, most significant first.
        found: u32,
    },
    /// A pcap version other than 2.x, or a pcapng section version other
    /// than 1.x.
    UnsupportedVersion {
        /// Major version.
        major: u16,
        /// Minor version.
        minor: u16,
    },
    /// A pcap record or pcapng packet whose captured length, or a pcapng
    /// block whose total length, is over the reader's limit.
    RecordTooLarge {
        /// The length read.
        size: u64,
        /// The configured limit.
        limit: u64,
    },
    /// A pcapng Block Total Length that is not a multiple of 4.
    UnalignedBlockLength {
        /// The length read.
        length: u32,
    },
    /// A pcapng block shorter than its type's fixed part.
    BlockTooShort {
        /// The Block Total Length read.
        length: u32,
        /// The smallest valid length for the block's type.
        minimum: u32,
    },
    /// A pcapng block whose trailing Block Total Length differs from the
    /// leading one.
    BlockLengthMismatch {
        /// The length at the block's start.
        leading: u32,
        /// The length at its end.
        trailing: u32,
    },
    /// A pcapng packet whose captured length (padded to 4) does not fit in
    /// its block.
    PacketExceedsBlock {
        /// The captured length read (a Simple Packet Block stores none:
        /// its own is the lesser of its original length and interface 0's
        /// snap length, 0 meaning none).
        captured_len: u32,
        /// Bytes the block has for packet data and options.
        room: u32,
    },
    /// A pcapng packet block before any Interface Description Block of its
    /// section.
    NoInterface,
    /// A pcapng packet block naming an interface its section does not have.
    UnknownInterface {
        /// The interface ID read.
        interface_id: u32,
        /// How many interfaces the section has described so far.
        interfaces: u32,
    },
    /// A pcapng section describes more interfaces than the reader's
    /// fixed-capacity table holds.
    TooManyInterfaces {
        /// The table's capacity.
        limit: u32,
    },
    /// An `if_tsresol` with more units per second than a `u64` holds
    /// (10^20 and up, 2^64 and up).
    UnsupportedTsresol {
        /// The option's byte.
        tsresol: u8,
    },
    /// A pcapng option whose header or value runs past its block's end.
    MalformedOption {
        /// Where the option starts.
        option_offset: u64,
    },
    /// A pcapng option whose length its code does not allow, where
    /// Wireshark refuses the file for it: in a packet block `epb_flags` or
    /// `epb_queue` not 4 bytes, `epb_dropcount` or `epb_packetid` not 8,
    /// an empty `epb_verdict`; an empty `if_filter`; a custom option
    /// shorter than its 4-byte Private Enterprise Number (any block).
    BadOptionLength {
        /// Where the option starts.
        option_offset: u64,
        /// The option code.
        code: u16,
        /// The option length read.
        length: u16,
    },
    /// A pcap global header whose LinkType field has reserved bits (16–25,
    /// libpcap's `LT_RESERVED1`) set: no writer sets them, and Wireshark
    /// refuses the file ("network type reserved field not zero").
    ReservedLinkTypeBits {
        /// The LinkType field read.
        link_type_field: u32,
    },
    /// A pcapng Name Resolution Block record that Wireshark refuses: one
    /// whose value (padded to 4) runs past the block, an IPv4 record
    /// shorter than 4 bytes or an IPv6 one shorter than 16, or one whose
    /// names do not end with a 0 byte.
    BadNameRecord {
        /// Where the record starts.
        record_offset: u64,
        /// The record type read (1 IPv4, 2 IPv6, others unknown).
        record_type: u16,
        /// The record's value length read.
        length: u16,
    },
    /// A pcapng Decryption Secrets Block whose secrets (their length padded
    /// to 4) run past the block's end. Wireshark refuses it too: it reads
    /// the secrets length as given and then finds the file "cut short".
    SecretsExceedBlock {
        /// The Secrets Length read.
        secrets_len: u32,
        /// Bytes the block has after its type and length fields.
        room: u32,
    },
    /// A pcap record header that the strict reader takes but no writer
    /// produces: an original length of 0 or a fraction of a second at or
    /// over one second (what a zeroed or overwritten region looks like).
    /// Only the recovering reader ([`pcap::Recovering`](crate::pcap::Recovering))
    /// reports it.
    ImplausibleRecord {
        /// The original length read.
        original_len: u32,
        /// The fraction-of-a-second field read (µs or ns).
        fraction: u32,
    },
    /// A pcap record or pcapng packet block that the strict reader takes,
    /// but no record or block starts where it ends while a plausible one
    /// starts inside it: its length was damaged. Only the recovering
    /// readers report it.
    RecordOverlapsNext {
        /// Where the plausible record inside it starts.
        next_record: u64,
    },
}

impl CaptureErrorKind {
    /// The kind's name (`Truncated`, `BadMagic`, …).
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Truncated { .. } => "Truncated",
            Self::BadMagic { .. } => "BadMagic",
            Self::UnsupportedVersion { .. } => "UnsupportedVersion",
            Self::RecordTooLarge { .. } => "RecordTooLarge",
            Self::UnalignedBlockLength { .. } => "UnalignedBlockLength",
            Self::BlockTooShort { .. } => "BlockTooShort",
            Self::BlockLengthMismatch { .. } => "BlockLengthMismatch",
            Self::PacketExceedsBlock { .. } => "PacketExceedsBlock",
            Self::NoInterface => "NoInterface",
            Self::UnknownInterface { .. } => "UnknownInterface",
            Self::TooManyInterfaces { .. } => "TooManyInterfaces",
            Self::UnsupportedTsresol { .. } => "UnsupportedTsresol",
            Self::MalformedOption { .. } => "MalformedOption",
            Self::BadOptionLength { .. } => "BadOptionLength",
            Self::ReservedLinkTypeBits { .. } => "ReservedLinkTypeBits",
            Self::BadNameRecord { .. } => "BadNameRecord",
            Self::SecretsExceedBlock { .. } => "SecretsExceedBlock",
            Self::ImplausibleRecord { .. } => "ImplausibleRecord",
            Self::RecordOverlapsNext { .. } => "RecordOverlapsNext",
        }
    }
}

/// An error of the header, record or block that starts at `offset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CaptureError {
    /// Byte offset of the header, record or block from the start of input.
    pub offset: u64,
    /// What went wrong.
    pub kind: CaptureErrorKind,
}

impl CaptureError {
    /// An error of kind `kind` at `offset`.
    pub const fn new(offset: u64, kind: CaptureErrorKind) -> Self {
        Self { offset, kind }
    }

    /// `Truncated` at `offset` with `available` bytes left and `needed` wanted.
    pub(crate) const fn truncated(offset: u64, available: usize, needed: u64) -> Self {
        Self::new(offset, CaptureErrorKind::Truncated { available: available as u64, needed })
    }

    /// `RecordTooLarge` at `offset` when `captured_len` is over `limit`:
    /// checked before the bytes are looked for, so a hostile length costs
    /// nothing.
    #[inline]
    pub(crate) const fn check_record_size(
        captured_len: u32,
        limit: u32,
        offset: u64,
    ) -> Result<(), Self> {
        if captured_len > limit {
            let kind =
                CaptureErrorKind::RecordTooLarge { size: captured_len as u64, limit: limit as u64 };
            return Err(Self::new(offset, kind));
        }
        Ok(())
    }
}

impl fmt::Display for CaptureError {
    /// One line: `offset 24: truncated (10 bytes left, 16 needed)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use CaptureErrorKind as K;
        write!(f, "offset {}: ", self.offset)?;
        match self.kind {
            K::Truncated { available, needed } => {
                write!(f, "truncated ({available} bytes left in input, {needed} needed)")
            }
            K::BadMagic { found } => write!(f, "bad magic {found:#010x}"),
            K::UnsupportedVersion { major, minor } => {
                write!(f, "unsupported version {major}.{minor}")
            }
            K::RecordTooLarge { size, limit } => {
                write!(f, "length {size} exceeds the limit of {limit} bytes")
            }
            K::UnalignedBlockLength { length } => {
                write!(f, "block total length {length} is not a multiple of 4")
            }
            K::BlockTooShort { length, minimum } => {
                write!(f, "block total length {length} is below the minimum of {minimum}")
            }
            K::BlockLengthMismatch { leading, trailing } => {
                write!(f, "block total lengths disagree (leading {leading}, trailing {trailing})")
            }
            K::PacketExceedsBlock { captured_len, room } => {
                write!(f, "captured length {captured_len} does not fit in the block's {room} bytes")
            }
            K::NoInterface => f.write_str("packet block before any interface description block"),
            K::UnknownInterface { interface_id, interfaces } => {
                write!(f, "interface {interface_id} does not exist (the section has {interfaces})")
            }
            K::TooManyInterfaces { limit } => {
                write!(f, "more than {limit} interfaces in one section")
            }
            K::UnsupportedTsresol { tsresol } => {
                write!(f, "unsupported if_tsresol {tsresol:#04x}")
            }
            K::MalformedOption { option_offset } => {
                write!(f, "option at offset {option_offset} runs past the end of its block")
            }
            K::BadOptionLength { option_offset, code, length } => write!(
                f,
                "option {code} at offset {option_offset} has a length of {length}, \
                 which its code does not allow"
            ),
            K::ReservedLinkTypeBits { link_type_field } => {
                write!(f, "link type field {link_type_field:#010x} has reserved bits set")
            }
            K::BadNameRecord { record_offset, record_type, length } => write!(
                f,
                "name resolution record at offset {record_offset} (type {record_type}, length \
                 {length}) runs past its block, is shorter than its address or has a name \
                 without its terminating 0"
            ),
            K::SecretsExceedBlock { secrets_len, room } => {
                write!(f, "secrets length {secrets_len} does not fit in the block's {room} bytes")
            }
            K::ImplausibleRecord { original_len, fraction } => write!(
                f,
                "implausible record header (original length {original_len}, fraction {fraction})"
            ),
            K::RecordOverlapsNext { next_record } => {
                write!(f, "record runs past the record at offset {next_record}")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for CaptureError {}
