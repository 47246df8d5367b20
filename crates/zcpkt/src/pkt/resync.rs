//! Re-synchronisation: finding the next packet after framing is lost.

use super::format::MAGIC;
use super::parse::Parser;

/// The position, relative to `input`, of the first `PKT\0` at or after
/// `from` that starts a packet with no error at all (as `parser` checks), or
/// `None` if there is none before the end of `input`.
///
/// `input` must reach the end of the whole input: a candidate that would run
/// past it is not a packet. `base` is the absolute offset of `input[0]`.
pub fn find_next_valid(parser: &Parser, input: &[u8], from: usize, base: u64) -> Option<usize> {
    let finder = memchr::memmem::Finder::new(&MAGIC);
    let mut at = from;
    loop {
        let rest = input.get(at..)?;
        let candidate = at + finder.find(rest)?;
        let tail = input.get(candidate..)?;
        if matches!(parser.parse_packet(tail, base + candidate as u64), Ok(p) if p.is_valid()) {
            return Some(candidate);
        }
        at = candidate + 1;
    }
}
