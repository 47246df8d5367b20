//! Whether Wireshark's (4.0) dissection of an IPv6 hop-by-hop or
//! destination options header throws, which ends the decoding of the
//! datagram.
//!
//! `dissect_opts` reads each option with the dissector of its type, and a
//! dissector reads the fields its type has whatever the option's length
//! says: from the option's data to the end of the packet, not of the
//! header (its tvb is the rest of the datagram). It throws where a field
//! is not there. After an option, the walk goes on at the end of what the
//! dissector read, or at the option's declared end if that is further:
//! an option shorter than its fields pushes the walk past its length.
//! Everything here was measured against tshark 4.0
//! (`tests/fields_tshark.rs`).

/// Whether the options of the header `bytes` starts with (`header_len`
/// bytes long, the rest of `bytes` being what follows it in the
/// datagram) make Wireshark throw.
// Out of line: options headers are rare, and the walk's loop stays small.
#[inline(never)]
pub(crate) fn options_throw(bytes: &[u8], header_len: usize) -> bool {
    let mut at = 2usize;
    while at < header_len {
        match option_end(bytes, at) {
            Some(next) => at = next,
            None => return true,
        }
    }
    false
}

/// Where the walk goes on after the option at `at`, or `None` if reading
/// it throws.
fn option_end(b: &[u8], at: usize) -> Option<usize> {
    const PAD1: u8 = 0x00;
    const PADN: u8 = 0x01;
    let opt = *b.get(at)?;
    // The length byte is read before Pad1 is told apart.
    let len = usize::from(*b.get(at.checked_add(1)?)?);
    if opt == PAD1 {
        return Some(at + 1);
    }
    let data = at + 2;
    if opt == PADN {
        return have(b, data, len);
    }
    let read_to = data_end(opt, b, data, len)?;
    // Wireshark keeps the option's data offset in a `guint8` (so past 255
    // bytes into the header this is short, and the walk goes on where the
    // dissector stopped); the data its dissector did not read is shown as
    // one more field.
    let declared = usize::from(data as u8) + len;
    if read_to < declared {
        have(b, read_to, declared - read_to)
    } else {
        Some(read_to)
    }
}

/// `at + n`, if the bytes up to it are there.
fn have(b: &[u8], at: usize, n: usize) -> Option<usize> {
    let end = at.checked_add(n)?;
    (end <= b.len()).then_some(end)
}

/// Where the dissector of option type `opt` (data at `at`, `len` bytes by
/// its length byte) stops reading, or `None` if it throws.
fn data_end(opt: u8, b: &[u8], at: usize, len: usize) -> Option<usize> {
    match opt {
        // Tunnel encapsulation limit.
        0x04 => have(b, at, 1),
        // Router alert.
        0x05 => have(b, at, 2),
        // DFF.
        0xee => have(b, at, 3),
        // RPL, minimum path MTU, tunnel payload forwarding, jumbo payload.
        0x63 | 0x30 | 0x41 | 0xc2 => have(b, at, 4),
        // Performance and diagnostic metrics.
        0x0f => have(b, at, 10),
        // Home address.
        0xc9 => have(b, at, 16),
        0x07 => calipso(b, at),
        0x08 => smf_dpd(b, at, len),
        0x26 => quick_start(b, at),
        0x31 => ioam(b, at, len),
        0x8c => line_id(b, at, len),
        0x6d => mpl(b, at),
        // Unknown, experimental, ILNP nonce, endpoint identification:
        // the data as a whole.
        _ => have(b, at, len),
    }
}

/// CALIPSO: DOI, compartment length (in words), level, checksum, then the
/// compartments.
fn calipso(b: &[u8], at: usize) -> Option<usize> {
    let fixed = have(b, at, 8)?;
    let words = usize::from(*b.get(at + 4)?);
    have(b, fixed, words * 4)
}

/// SMF duplicate packet detection: a hash assist value (H bit) or a tagger
/// ID whose length is in the first byte, then an identifier.
fn smf_dpd(b: &[u8], at: usize, len: usize) -> Option<usize> {
    let first = *b.get(at)?;
    if first & 0x80 != 0 {
        return have(b, at, len);
    }
    let mut end = at + 1;
    let mut ident = len as isize - 1;
    if first & 0x70 != 0 {
        let tagger = usize::from(first & 0x0f) + 1;
        end = have(b, end, tagger)?;
        ident -= tagger as isize;
    }
    match usize::try_from(ident) {
        Ok(n) if n > 0 => have(b, end, n),
        _ => Some(end),
    }
}

/// Quick-Start: a rate request (function 0) or report (8) has its rate,
/// TTL, nonce; other functions nothing after the function byte.
fn quick_start(b: &[u8], at: usize) -> Option<usize> {
    match *b.get(at)? >> 4 {
        0 | 8 => have(b, at, 6),
        _ => Some(at),
    }
}

/// Line identification: the ID's length, then the ID (cut to the option).
fn line_id(b: &[u8], at: usize, len: usize) -> Option<usize> {
    let id_len = usize::from(*b.get(at)?);
    match len {
        // The ID's length becomes -1: to the end of the packet, and the
        // walk goes back to the option's data.
        0 => Some(at),
        _ => have(b, at + 1, id_len.min(len - 1)),
    }
}

/// MPL: flags (whose top two bits give the seed ID's length), sequence,
/// seed ID.
fn mpl(b: &[u8], at: usize) -> Option<usize> {
    const SEED_LEN: [usize; 4] = [0, 2, 8, 16];
    let seed = SEED_LEN[usize::from(*b.get(at)? >> 6)];
    have(b, at, 2 + seed)
}

/// In-situ OAM: reserved byte, IOAM type, then for a trace (types 0 and
/// 1) its header and node data.
fn ioam(b: &[u8], at: usize, len: usize) -> Option<usize> {
    let after = have(b, at, 2)?;
    // The IOAM type's subtree is `len - 2` bytes long from there: -2
    // throws, -1 is to the end of the packet.
    match len {
        0 => return None,
        1 => {}
        _ => _ = have(b, at, len)?,
    }
    match b.get(at + 1)? {
        0 | 1 => ioam_trace(b, after, len),
        _ => Some(after),
    }
}

/// An IOAM trace: namespace, node length (words), flags, remaining length
/// (words), trace type (24 bits), reserved, then free space and one node's
/// data per `node length` words (each with an opaque state snapshot when
/// trace type bit 22 is set).
fn ioam_trace(b: &[u8], at: usize, len: usize) -> Option<usize> {
    let mut end = have(b, at, 8)?;
    let node_words = usize::from(b[at + 2] >> 3);
    let free = usize::from(b[at + 3] & 0x7f) * 4;
    let trace_type = u32::from_be_bytes([0, b[at + 4], b[at + 5], b[at + 6]]);
    let Some(mut left) = len.checked_sub(10).and_then(|n| n.checked_sub(free)) else {
        return Some(end);
    };
    if node_words == 0 {
        return Some(end);
    }
    if free > 0 {
        end = have(b, end, free)?;
    }
    let node_len = node_words * 4;
    while left != 0 && left >= node_len {
        // Each node's subtree spans `node length` words.
        have(b, end, node_len)?;
        let node_end = have(b, end, ioam_node_len(trace_type))?;
        if node_end - end != node_len {
            return Some(end);
        }
        end = node_end;
        left -= node_len;
        const OPAQUE_SNAPSHOT: u32 = 1 << 1;
        if trace_type & OPAQUE_SNAPSHOT != 0 {
            if left < 4 {
                return Some(end);
            }
            let snapshot_words = usize::from(*b.get(end)?);
            // Its subtree spans its header and data.
            have(b, end, (snapshot_words + 1) * 4)?;
            end += 4;
            left -= 4;
            let snapshot = snapshot_words * 4;
            if left < snapshot {
                return Some(end);
            }
            end = have(b, end, snapshot)?;
            left -= snapshot;
        }
    }
    Some(end)
}

/// The bytes of one IOAM trace node's data: 4 per bit 0 to 21 of the trace
/// type (its top 22 bits), except the wide fields of bits 8 to 10 (8).
fn ioam_node_len(trace_type: u32) -> usize {
    (0..22)
        .filter(|bit| trace_type & (1 << (23 - bit)) != 0)
        .map(|bit| if (8..=10).contains(&bit) { 8 } else { 4 })
        .sum()
}
