//! The UDP ports below VXLAN's (4789) and Geneve's (6081) whose protocol
//! tshark 4.0 tries before VXLAN's, MSRCP's or Geneve's, and which claims
//! the datagram.
//!
//! Wireshark's UDP dissector hands the payload to the protocol of the
//! lower port first, and only if that protocol declines (or there is none)
//! to the higher port's. These tables list the ports of tshark 4.0's
//! default configuration (`tshark -G decodes`) whose protocol claimed
//! every one of 40 VXLAN packets sent to it and from it (random VNIs,
//! flags and inner frames, each from a source address of its own so that
//! no conversation carried over); `tests/fields_tshark.rs` checks them.
//! Left out, so VXLAN or MSRCP is decoded there: ports whose protocol
//! claimed some payloads and not others (269, 500, 502, 631, 698, 1052,
//! 1113, 1755; for Geneve 500, 631, 698, 925, 1113, 1755, 3544, 4341,
//! 4754, 5031). Some claiming protocols decode further headers of their own
//! from some payloads (LISP data on 4341 an IP packet, ...), which are not
//! followed either.

/// Ports whose protocol claims the datagram whichever way it goes.
const EITHER_WAY: [u16; 87] = [
    7, 13, 19, 37, 49, 53, 67, 68, 69, 111, 123, 137, 138, 173, 213, 319, 320, 389, 427, 434, 464,
    496, 513, 514, 520, 521, 524, 525, 546, 547, 664, 701, 853, 854, 910, 921, 925, 1001, 1153,
    1194, 1293, 1628, 1629, 1718, 1719, 1745, 1900, 2099, 2157, 2221, 2222, 2246, 2268, 2269, 2313,
    2345, 2887, 2944, 2945, 2948, 2949, 3000, 3130, 3250, 3357, 3389, 3452, 3455, 3544, 3567, 3671,
    3784, 3785, 3804, 3863, 4305, 4306, 4307, 4341, 4342, 4500, 4551, 4555, 4569, 4729, 4754, 4784,
];

/// Ports below Geneve's (6081) whose protocol claims every one of 40
/// Geneve packets, measured as for [`EITHER_WAY`]: a different set, as
/// protocols with heuristics look at the payload (Teredo on 3544, LISP on
/// 4341, 925, 1755 and 4754 claim some Geneve packets and not others, 269
/// all of them).
const EITHER_WAY_GENEVE: [u16; 102] = [
    7, 13, 19, 37, 49, 53, 67, 68, 69, 111, 123, 137, 138, 173, 213, 269, 319, 320, 389, 427, 434,
    464, 496, 513, 514, 520, 521, 524, 525, 546, 547, 664, 701, 853, 854, 910, 921, 1001, 1153,
    1194, 1293, 1628, 1629, 1718, 1719, 1745, 1900, 2099, 2157, 2221, 2222, 2246, 2268, 2269, 2313,
    2345, 2887, 2944, 2945, 2948, 2949, 3000, 3130, 3250, 3357, 3389, 3452, 3455, 3567, 3671, 3784,
    3785, 3804, 3863, 4305, 4306, 4307, 4342, 4500, 4551, 4555, 4569, 4729, 4784, 4790, 4791, 4991,
    5072, 5246, 5247, 5350, 5351, 5353, 5355, 5404, 5405, 5436, 5567, 5683, 5684, 5868, 6073,
];

/// Ports whose protocol claims the datagram only when it is sent to them.
const TO_PORT: [u16; 2] = [1985, 2029];

/// Whether tshark 4.0's protocol of UDP port `port` (the lower of the
/// datagram's two, below 4789) claims the datagram before VXLAN or MSRCP
/// can; `is_destination` says whether `port` is the destination port.
pub(crate) fn claims(port: u16, is_destination: bool) -> bool {
    EITHER_WAY.binary_search(&port).is_ok() || (is_destination && TO_PORT.contains(&port))
}

/// [`claims`] for a Geneve datagram (the other port 6081, `port` below
/// it): whether `port`'s protocol claims it before Geneve can.
pub(crate) fn claims_geneve(port: u16, is_destination: bool) -> bool {
    EITHER_WAY_GENEVE.binary_search(&port).is_ok() || (is_destination && TO_PORT.contains(&port))
}
