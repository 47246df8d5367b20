//! pcapng (draft-ietf-opsawg-pcapng): sections of blocks, each section with
//! its own byte order and its own interface table.
//!
//! Where a block is framed, validated and handed out:
//! [`Parser::parse_block`] in `parse.rs`, with the framing shared by every
//! block type in `block.rs`. [`State`] is what a reader must remember
//! between blocks (the current section and its interfaces, in a
//! fixed-capacity table), [`Options`] walks a block's options without
//! copying, and [`Frames`] drives the parser over a slice.
//!
//! # What is checked inside blocks
//!
//! Besides the framing, a block's contents are checked where Wireshark
//! 4.0 refuses a file for them (it calls it damaged or cut short), so
//! that what zcpkt accepts, and `zcpkt filter` copies, tshark reads:
//!
//! - Section Header Block: version 1.x (`UnsupportedVersion`);
//! - Interface Description Block: a representable `if_tsresol`
//!   (`UnsupportedTsresol`), the table's capacity (`TooManyInterfaces`);
//! - packet blocks: their interface (`NoInterface`, `UnknownInterface`),
//!   the captured length (`RecordTooLarge`, `PacketExceedsBlock`);
//! - Decryption Secrets Block: at least 20 bytes (`BlockTooShort`), its
//!   secrets, padded to 4, inside it (`SecretsExceedBlock`); its options
//!   are not read, as Wireshark does not read them;
//! - Name Resolution Block: at least 16 bytes (`BlockTooShort`); each
//!   record's value, padded to 4, inside the block, an IPv4 record of at
//!   least 4 bytes and an IPv6 one of at least 16, with its names (if
//!   any) ending with a 0 byte (`BadNameRecord`); records of other types
//!   are read past, and the records may run to the block's end without
//!   an end record. The options follow the end record's 4 bytes (its
//!   length is not read, as Wireshark does not);
//! - Interface Statistics Block: at least 24 bytes (`BlockTooShort`),
//!   its options read (its interface ID is not checked, nor its options'
//!   sizes, as Wireshark does not); Custom Block: at least 16 bytes, its
//!   Private Enterprise Number (`BlockTooShort`);
//! - options of SHB, IDB, ISB, NRB and packet blocks inside their block
//!   (`MalformedOption`), and of a length their code allows
//!   (`BadOptionLength`): in packet blocks (EPB, PB) `epb_flags` and
//!   `epb_queue` of 4 bytes, `epb_dropcount` and `epb_packetid` of 8, an
//!   `epb_verdict` of at least 1; an `if_filter` of at least 1; a custom
//!   option of at least its 4-byte Private Enterprise Number (any block).
//!   Options of other sizes that Wireshark only ignores are read (an
//!   `if_tsresol` not 1 byte, an `if_tsoffset` not 8, an `if_fcslen` not
//!   1: the defaults stay), as are options after `opt_endofopt`.
//!
//! # Interface table
//!
//! Interface IDs are local to a section, and a packet block names its
//! interface by index. The table is a fixed-capacity array inside [`State`]
//! (64 interfaces by default, a const parameter), so reading never allocates;
//! an IDB beyond the capacity is a `TooManyInterfaces` error. The
//! alternative, re-scanning the section's IDBs for every packet, would make
//! each packet cost O(IDBs before it) and would need the section's bytes to
//! stay available, which a streaming source cannot promise. Each entry keeps
//! only integers (no borrow of the input), so the same [`State`] works for
//! any source; an interface's options are read again from its block when
//! asked ([`Frames::interface_options`]).

#![forbid(unsafe_code)]

mod block;
mod frames;
mod options;
mod parse;
mod recover;
mod state;
#[cfg(feature = "std")]
mod write;

pub use block::{block_type, RawBlock, BLOCK_OVERHEAD};
pub use frames::Frames;
pub use options::{option, BlockOption, Options, OptionsIter};
pub use parse::{Block, Parser, SectionHeader, DEFAULT_MAX_BLOCK_SIZE};
#[cfg(feature = "std")]
pub(crate) use recover::{Carried, Undo};
pub use recover::{Recovering, MAX_CANDIDATE_OPTIONS, OPTIONS_CREDIT_PER_POSITION};
pub use state::{Interface, Section, State, DEFAULT_INTERFACE_CAPACITY};
#[cfg(feature = "std")]
pub use write::{write_enhanced_packet, write_interface, write_section_header, BlockWriter};

/// The first four bytes of every pcapng file: the Section Header Block type,
/// a palindrome so that it reads the same in both byte orders.
pub const SHB_TYPE_BYTES: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];
/// The byte-order magic of a Section Header Block, as a `u32` in the
/// section's byte order.
pub const BYTE_ORDER_MAGIC: u32 = 0x1a2b_3c4d;
