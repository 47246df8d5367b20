#!/usr/bin/env python3
"""Writes the crafted seed inputs of the zcpkt fuzz targets.

    python3 fuzz/make_seeds.py            # rewrite fuzz/seeds/, fill fuzz/corpus/
    python3 fuzz/make_seeds.py --check    # fail if fuzz/seeds/ is out of date

fuzz/seeds/<target>/ is committed (the CI replay test
crates/zcpkt/tests/fuzz_seeds.rs runs every file there); fuzz/corpus/<target>/
is gitignored: the seeds are copied there as the fuzzers' starting corpus.
Packets are laid out by hand from shared/spec/pkt-format.md (CRC from zlib).
"""

import pathlib
import shutil
import struct
import sys
import zlib

HERE = pathlib.Path(__file__).resolve().parent


def packet(src=b"a", dst=b"bc", payload=b"hi", flags=0x04, ts=1, ext=b"",
           version=1, magic=b"PKT\0", header_len=None, crc=None, payload_len=None):
    """One packet; every field can be overridden to craft an error."""
    body = src + b"\0" + dst + b"\0" + ext
    hl = 24 + len(body) if header_len is None else header_len
    pl = len(payload) if payload_len is None else payload_len
    c = zlib.crc32(payload) if crc is None else crc
    return (magic + bytes([version, flags]) + struct.pack("<HII", hl, pl, c)
            + struct.pack("<Q", ts) + body + payload)


def tlv(ty, value):
    return bytes([ty]) + struct.pack("<H", len(value)) + value


WORKED = bytes.fromhex(
    "504B5400 01 04 1D00 02000000 AC2A93D8 0100000000000000 6100 626300 6869"
    .replace(" ", ""))
assert WORKED == packet()

EXTS = tlv(1, b"k=v") + tlv(2, b"") + tlv(3, b"\x01\x02") + tlv(4, b"r1>r2") + tlv(0xC8, b"x" * 5)
GOOD = [
    WORKED,
    packet(b"probe-1", b"collector", b"hello", 0x01, 1_700_000_000_000_000, tlv(1, b"meta")),
    packet(b"", b"", b"", 0x00, 0),
    packet("日本".encode(), "é😀".encode(), bytes(range(40)), 0xFF, 2**64 - 1, EXTS),
]
CAPTURE = b"".join(GOOD)

SLICE = {
    "empty": b"",
    "worked_example": WORKED,
    "valid_four": CAPTURE,
    "valid_extensions": packet(ext=EXTS) + packet(b"s", b"d", b"", 0x30, 9, tlv(9, b"")),
    "reserved_flags": packet(flags=0xF0),
    "bad_magic": packet(magic=b"PKX\0") + WORKED,
    "bad_version": packet(version=2) + WORKED,
    "header_len_25": packet(header_len=25) + WORKED,
    "unterminated_source": packet(src=b"abc", dst=b"", header_len=27, payload=b""),
    "unterminated_dest": packet(src=b"a", dst=b"bcd", header_len=29, payload=b""),
    "invalid_utf8_source": packet(src=b"\xff\xfe") + WORKED,
    "invalid_utf8_dest": packet(dst=b"ok\xc3") + WORKED,
    "bad_crc": packet(crc=0xDEADBEEF) + WORKED,
    "malformed_ext_head": packet(ext=tlv(1, b"ab") + b"\x02\x05") + WORKED,
    "malformed_ext_value": packet(ext=b"\x04\x09\x00abc") + WORKED,
    "malformed_ext_and_bad_crc": packet(ext=b"\x01", crc=1) + WORKED,
    "truncated_fixed": WORKED[:20],
    "truncated_header": WORKED[:27],
    "truncated_payload": CAPTURE + WORKED[:-1],
    "garbage_then_valid": b"\x00garbage PKT" + CAPTURE,
    "fake_candidate": WORKED[:10] + b"PKT\0\x01\x00\xff\xff" + CAPTURE,
    "damaged_middle": GOOD[0] + GOOD[1][:30] + b"\xee" * 5 + GOOD[1][30:] + GOOD[2],
    "large_payload": packet(payload=bytes(i % 251 for i in range(300))) + WORKED,
    "payload_len_huge": packet(payload_len=0xFFFFFFF0) + WORKED,
}

# Config byte (see checks::parser_from_byte) + capture.
RECOVER = {
    "crc_off_nolimit_damaged": b"\x00" + SLICE["damaged_middle"],
    "crc_on_nolimit_bad_crc": b"\x01" + SLICE["bad_crc"],
    "crc_on_limit_28_large": bytes([129 + 2 * 7]) + SLICE["large_payload"],
    "crc_on_limit_32_capture": bytes([129 + 2 * 8]) + CAPTURE,
    "crc_on_limit_0": bytes([129]) + CAPTURE,
    "crc_on_nolimit_fake": b"\x01" + SLICE["fake_candidate"],
    "crc_on_nolimit_garbage": b"\x01" + SLICE["garbage_then_valid"],
    "crc_off_limit_64_ext": bytes([128 + 2 * 16]) + SLICE["malformed_ext_value"],
}

# Extension areas.
EXTENSIONS = {
    "empty": b"",
    "all_types": EXTS,
    "zero_length_value": tlv(7, b""),
    "one_byte": b"\x01",
    "head_only": b"\x01\x00\x00" + b"\x02\x01",
    "value_runs_past": tlv(1, b"ok") + b"\x03\xff\xff" + b"short",
    "max_len_field": b"\x04\xff\xff",
    "many_small": b"".join(tlv(i, bytes([i])) for i in range(20)),
}



def stream_head(buffer, recover, crc, limit_mode, limit_byte, pattern):
    """checks::stream's 8-byte header: u16 buffer size - 1, flags, limit
    byte, 4 read-pattern bytes (see checks::read_step)."""
    flags = int(recover) | int(crc) << 1 | limit_mode << 2
    return struct.pack("<HBB", buffer - 1, flags, limit_byte) + bytes(pattern)


ONE_BYTE_READS = [0x00] * 4
FAULTY_READS = [0xFC, 0x02, 0xFE, 0x10]
# limit modes: 0 u64::MAX, 1 none (16 MiB), 2 byte, 3 byte * 4
STREAM = {
    "buf1_bytewise_capture": stream_head(1, False, True, 0, 0, ONE_BYTE_READS) + CAPTURE,
    "buf7_faults_damaged": stream_head(7, True, True, 1, 0, FAULTY_READS) + SLICE["damaged_middle"],
    "buf64_limit_28_large": stream_head(64, True, True, 2, 28, [0x85, 0x01, 0x00, 0x20])
    + SLICE["large_payload"],
    "buf16_limit_40_cut_short": stream_head(16, True, False, 3, 10, FAULTY_READS)
    + WORKED + SLICE["large_payload"][:200],
    "buf3_garbage": stream_head(3, True, True, 0, 0, [0x03, 0xFD, 0x00, 0x7F])
    + SLICE["garbage_then_valid"],
    "buf24_fake_candidate": stream_head(24, True, True, 1, 0, [0x1F, 0xFF, 0x04, 0x80])
    + SLICE["fake_candidate"],
    "buf4096_huge_claim": stream_head(4096, True, True, 1, 0, [0xFF, 0xFF, 0xFF, 0xFF])
    + SLICE["payload_len_huge"],
    "buf2_strict_bad_magic": stream_head(2, False, True, 0, 0, FAULTY_READS) + SLICE["bad_magic"],
}

# Chunk-size byte (0-31: 1-32 bytes, else 64 + 2 * (b - 32)), config byte
# (bit 0 CRC, bit 1 recover, bits 2-4 a limit of checks::PARALLEL_LIMITS) + capture.
PARALLEL = {
    "chunk1_capture": b"\x00\x01" + CAPTURE,
    "chunk64_recover_damaged": b"\x20\x03" + SLICE["damaged_middle"],
    "chunk8_recover_fake": b"\x07\x03" + SLICE["fake_candidate"],
    "chunk100_limit_28": bytes([32 + 18, 0x03 | 3 << 2]) + SLICE["large_payload"] + CAPTURE,
    "chunk16_garbage": b"\x0f\x03" + SLICE["garbage_then_valid"],
    "chunk2_strict_bad_crc": b"\x01\x01" + SLICE["bad_crc"] + CAPTURE,
    "chunk32_payload_holds_packets": b"\x1f\x03" + packet(payload=CAPTURE) + CAPTURE,
}

# Config byte (checks::parser_from_byte), u16 LE start position + input.
RESYNC = {
    "crc_on_from0_garbage": b"\x01\x00\x00" + SLICE["garbage_then_valid"],
    "crc_on_from5_fake": b"\x01\x05\x00" + SLICE["fake_candidate"],
    "crc_off_from1_damaged": b"\x00\x01\x00" + SLICE["damaged_middle"],
    "crc_on_bad_crc_then_valid": b"\x01\x01\x00" + SLICE["bad_crc"],
    "limit_28_large": bytes([129 + 2 * 7]) + b"\x00\x00" + SLICE["large_payload"],
    "magics_only": b"\x01\x00\x00" + b"PKT\0" * 40,
    "nested_in_payload": b"\x01\x02\x00" + packet(payload=b"xPKT" + CAPTURE),
}


# ---------------------------------------------------------------- captures
# pcap (pcap-savefile(5)) and pcapng (draft-ietf-opsawg-pcapng) laid out by
# hand, with frames of every link type and layer the protocol views decode.


def be16(v):
    return struct.pack(">H", v)


def ipv4(proto, payload, options=b"", total=None, flags_frag=0x4000, src=b"\x0a\0\0\x01",
         dst=b"\x0a\0\0\x02"):
    ihl = 5 + len(options) // 4
    tl = 4 * ihl + len(payload) if total is None else total
    return (bytes([0x40 | ihl, 0]) + be16(tl) + b"\x12\x34" + be16(flags_frag)
            + bytes([64, proto]) + b"\0\0" + src + dst + options + payload)


def ipv6(nxt, payload, plen=None):
    return (b"\x60\x00\x00\x00" + be16(len(payload) if plen is None else plen) + bytes([nxt, 64])
            + b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\x01" + b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\x02"
            + payload)


def tcp(sport, dport, payload=b"", options=b""):
    off = 5 + len(options) // 4
    return (be16(sport) + be16(dport) + struct.pack(">II", 1, 2) + bytes([off << 4, 0x18])
            + be16(512) + b"\0\0\0\0" + options + payload)


def udp(sport, dport, payload=b"", length=None):
    return be16(sport) + be16(dport) + be16(8 + len(payload) if length is None else length) + b"\0\0" + payload


def eth(ether_type, payload, dst=b"\x02\0\0\0\0\x01", src=b"\x02\0\0\0\0\x02"):
    return dst + src + be16(ether_type) + payload


ETH_TCP = eth(0x0800, ipv4(6, tcp(1234, 80, b"GET / HTTP/1.0\r\n\r\n", b"\x02\x04\x05\xb4")))
INNER = eth(0x0800, ipv4(1, b"\x08\x00\0\0\0\x01\0\x01ping"))
ETH_VLAN_VXLAN = eth(0x8100, b"\x00\x2a" + be16(0x86dd)
                     + ipv6(17, udp(50000, 4789, b"\x08\0\0\0\0\0\x07\0" + INNER)))
QINQ_ARP = eth(0x88a8, b"\x00\x05" + be16(0x8100) + b"\x00\x06" + be16(0x0806)
               + b"\x00\x01\x08\x00\x06\x04\x00\x01" + b"\x02\0\0\0\0\x02\x0a\0\0\x01" + b"\0" * 6
               + b"\x0a\0\0\x02")
# ICMP time exceeded quoting IPv4 (with a loose source route) + UDP.
QUOTED = ipv4(17, udp(5353, 53, b"q"), options=b"\x83\x07\x04\x0a\0\0\x09\x00")
ICMP_ERROR = ipv4(1, b"\x0b\x00\0\0\0\0\0\0" + QUOTED)
# IPv6 hop-by-hop, fragment (first, more), ICMPv6 packet too big quoting IPv6/TCP.
V6_EXT = ipv6(0, b"\x2c\x00" + b"\x01\x04\0\0\0\0" + b"\x3a\x00\x00\x01\0\0\0\x2a"
              + b"\x02\x00\0\0\0\0\x05\xdc" + ipv6(6, tcp(443, 1000, b"x")))
SLL = b"\x00\x00\x00\x01\x00\x06\x02\0\0\0\0\x02\0\0" + be16(0x0800) + ICMP_ERROR
SLL2 = be16(0x86dd) + b"\0\0" + b"\0\0\0\x02" + b"\x00\x01\x04\x06" + b"\x02\0\0\0\0\x02\0\0" + V6_EXT
NULL_FRAG = struct.pack("<I", 2) + ipv4(17, udp(1, 2, b"abc"), flags_frag=0x2000)
RAW_V6 = ipv6(6, tcp(22, 2222, b"ssh"))
# LINKTYPE_ values: 0 null, 1 Ethernet, 101 raw, 113 SLL, 276 SLL2.
LINK_FRAMES = [(1, ETH_TCP), (1, ETH_VLAN_VXLAN), (1, QINQ_ARP), (113, SLL), (276, SLL2),
               (0, NULL_FRAG), (101, RAW_V6), (101, b"\0" * 10 + ICMP_ERROR)]


def pcap_file(records, link=1, order="<", nanos=False, link_field=None, version=(2, 4), snaplen=65535):
    """A pcap file: records are (secs, frac, data, orig_len or None)."""
    magic = 0xA1B23C4D if nanos else 0xA1B2C3D4
    lf = link if link_field is None else link_field
    out = struct.pack(order + "IHHiIII", magic, version[0], version[1], 0, 0, snaplen, lf)
    for secs, frac, data, orig in records:
        out += struct.pack(order + "IIII", secs, frac, len(data), len(data) if orig is None else orig)
        out += data
    return out


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def opt(code, value, order="<"):
    return struct.pack(order + "HH", code, len(value)) + pad4(value)


def opts(*options, order="<"):
    if not options:
        return b""
    return b"".join(options) + struct.pack(order + "HH", 0, 0)


def block(btype, body, order="<", trailer=None):
    body = pad4(body)
    length = 12 + len(body)
    return (struct.pack(order + "II", btype, length) + body
            + struct.pack(order + "I", length if trailer is None else trailer))


def shb(order="<", options=b"", major=1):
    return block(0x0A0D0D0A, struct.pack(order + "IHHq", 0x1A2B3C4D, major, 0, -1) + options, order)


def idb(link, snaplen=0, options=b"", order="<"):
    return block(1, struct.pack(order + "HHI", link, 0, snaplen) + options, order)


def epb(iface, ts, data, orig=None, options=b"", order="<", cap=None):
    head = struct.pack(order + "IIIII", iface, ts >> 32, ts & 0xFFFFFFFF,
                       len(data) if cap is None else cap, len(data) if orig is None else orig)
    return block(6, head + pad4(data) + options, order)


def spb(data, orig=None, order="<"):
    return block(3, struct.pack(order + "I", len(data) if orig is None else orig) + data, order)


def pb(iface, drops, ts, data, order="<"):
    head = struct.pack(order + "HHIIII", iface, drops, ts >> 32, ts & 0xFFFFFFFF, len(data), len(data))
    return block(2, head + pad4(data), order)


PCAP_LE = pcap_file([(1_700_000_000, i * 1000, f, None) for i, (_, f) in enumerate(LINK_FRAMES[:3])])
PCAP_BE_NS = pcap_file([(1, 999_999_999, SLL, len(SLL) + 100), (2, 2_000_000_000, SLL[:30], None)],
                       link=113, order=">", nanos=True)
PCAP_FCS = pcap_file([(5, 6, ETH_TCP + b"\xde\xad\xbe\xef", None)], link_field=0x24000001)
NG_OPTIONS = opts(opt(2, b"zcpkt hw"), opt(3, b"linux"), opt(4, b"make_seeds"), opt(1, b"hello"))
PCAPNG_LE = (
    shb("<", NG_OPTIONS)
    + idb(1, 0, opts(opt(2, b"eth0"), opt(9, b"\x09"), opt(14, struct.pack("<q", -5)),
                     opt(13, b"\x04")))
    + idb(276, 64, opts(opt(9, b"\x83")))
    + epb(0, 1_700_000_000_000_000_000, ETH_VLAN_VXLAN, options=opts(opt(2, struct.pack("<I", 0x80)),
                                                                      opt(1, b"c")))
    + epb(1, 7, SLL2, orig=len(SLL2) + 3)
    + spb(ETH_TCP)
    + pb(0, 3, 9, QINQ_ARP)
    + block(4, b"\x01\x00\x08\x00\x0a\x00\x00\x01host\0\0\0\0\0\0\0\0")
    + block(5, struct.pack("<III", 0, 0, 1) + opts(opt(4, struct.pack("<Q", 3))))
    + block(0x0BAD, b"\x00\x00\x7e\x9bcustom")
    + shb(">")
    + idb(0, 0, b"", ">") + idb(101, 0, b"", ">")
    + epb(0, 1, NULL_FRAG, order=">") + epb(1, 2, RAW_V6, order=">") + epb(1, 3, b"", order=">")
    + shb("<") + idb(1, 20) + spb(ETH_TCP) + spb(b"short", orig=3)
)
NG_LE_START = shb("<") + idb(1, 0)
CAPTURES = {
    "pcap_le_eth": PCAP_LE,
    "pcap_be_ns_sll": PCAP_BE_NS,
    "pcap_fcs_bits": PCAP_FCS,
    "pcap_header_only": pcap_file([]),
    "pcap_version_3": pcap_file([], version=(3, 0)),
    "pcap_reserved_link_bits": pcap_file([(1, 2, b"abcd", None)], link_field=0x00010001),
    "pcap_short_header": PCAP_LE[:20],
    "pcap_truncated_record": PCAP_LE[:-5],
    "pcap_truncated_record_header": PCAP_LE + b"\x01\x02\x03",
    "pcap_huge_caplen": pcap_file([(1, 2, b"", None)])[:32] + struct.pack("<II", 0xFFFFFFF0, 0),
    "pcap_caplen_over_small_limit": pcap_file([(1, 2, bytes(range(60)), None)] * 2),
    "pcapng_multi_section": PCAPNG_LE,
    "pcapng_shb_only": shb("<"),
    "pcapng_bad_trailer": NG_LE_START + block(6, b"\0" * 20, trailer=40),
    "pcapng_unaligned": NG_LE_START + struct.pack("<II", 6, 33) + b"\0" * 25,
    "pcapng_too_short": NG_LE_START + struct.pack("<II", 6, 16) + b"\0" * 8,
    "pcapng_no_interface": shb("<") + epb(0, 1, b"abc"),
    "pcapng_unknown_interface": NG_LE_START + epb(3, 1, b"abc"),
    "pcapng_exceeds_block": NG_LE_START + epb(0, 1, b"abcd", cap=200),
    "pcapng_bad_option": shb("<", struct.pack("<HH", 1, 200) + b"abcd"),
    "pcapng_tsresol_20": shb("<") + idb(1, 0, opts(opt(9, b"\x14"))),
    "pcapng_contents_read": NG_LE_START
    + block(0x0A, struct.pack("<II", 0x544C534B, 5) + b"s" * 8)
    + block(4, struct.pack("<HH", 1, 9) + b"\x0a\0\0\x01a\0b\0\0" + b"\0" * 3
            + struct.pack("<HH", 9, 3) + b"xyz\0" + b"\0" * 4 + opts(opt(1, b"hi")))
    + block(5, b"\0" * 12 + opts(opt(4, b"1234")))
    + idb(1, 0, opts(opt(9, b"\x06\x06"), opt(11, b"\0")))
    + epb(0, 1, b"abc", options=opts(opt(2, b"\0" * 4), opt(3, b""), opt(7, b"v"))),
    "pcapng_bad_secrets": NG_LE_START + block(0x0A, struct.pack("<II", 0x544C534B, 9) + b"s" * 8),
    "pcapng_bad_name_record": NG_LE_START + block(4, struct.pack("<HH", 2, 15) + b"\0" * 16),
    "pcapng_bad_option_length": NG_LE_START + epb(0, 1, b"abc", options=opts(opt(4, b"1234"))),
    "pcapng_bad_isb_option": NG_LE_START + block(5, b"\0" * 12 + struct.pack("<HH", 4, 99)),
    "pcapng_bad_version": shb("<", major=2),
    "pcapng_bad_bom": b"\x0a\x0d\x0d\x0a\x1c\0\0\0\x11\x22\x33\x44" + b"\0" * 16,
    "pcapng_truncated": PCAPNG_LE[:-7],
    "pcapng_huge_block": NG_LE_START + struct.pack("<II", 6, 0xFFFFFFF0) + b"\0" * 24,
    "pcapng_large_epb": NG_LE_START + epb(0, 1, bytes(200)),
    "pcapng_65_interfaces": shb("<") + idb(1) * 65,
    "pcapng_hostile_tsoffset": shb("<")
    + idb(1, 0, opts(opt(9, b"\x00"), opt(14, struct.pack("<q", -2**63))))
    + idb(1, 0, opts(opt(9, b"\x8a"), opt(14, struct.pack("<q", 2**63 - 1))))
    + epb(0, 2**64 - 1, ETH_TCP) + epb(0, 5, b"") + epb(1, 2**64 - 1, b"x") + epb(1, 3, b"y"),
    "pkt_magic": b"PKT\0" + b"\0" * 20,
    "three_bytes": b"\xd4\xc3\xb2",
    "empty": b"",
}
# capture_slice puts each magic before its input: the files without theirs.
CAPTURE_SLICE = dict(CAPTURES)
CAPTURE_SLICE.update({
    "nomagic_pcap_le_eth": PCAP_LE[4:],
    "nomagic_pcap_be_ns_sll": PCAP_BE_NS[4:],
    "nomagic_pcapng_multi_section": PCAPNG_LE[4:],
    "nomagic_pcapng_bad_option": CAPTURES["pcapng_bad_option"][4:],
})

# Damaged captures for the recovering readers (capture_slice checks them too).
def zeroed(b, at, n):
    return b[:at] + bytes(n) + b[at + n:]


def with_u32(b, at, value, order="<"):
    return b[:at] + struct.pack(order + "I", value) + b[at + 4:]


REC_FRAMES = [ETH_TCP, QINQ_ARP, ETH_VLAN_VXLAN, ETH_TCP[:40], QINQ_ARP]
PCAP_RECS = [(1_700_000_000 + i, i * 1000, f, None) for i, f in enumerate(REC_FRAMES)]
PCAP5 = pcap_file(PCAP_RECS)
REC_AT = [24]
for f in REC_FRAMES:
    REC_AT.append(REC_AT[-1] + 16 + len(f))
NG_EPBS = [epb(0, 1_700_000_000_000_000 + i, f) for i, f in enumerate(REC_FRAMES)]
# Two EPBs of the same length: with 8 bytes of the first's data lost, its
# length still finds a matching trailer (the second's leading length).
NG_TWIN = epb(0, 5, ETH_TCP)
NG_INNER = epb(0, 6, b"inner") + epb(0, 7, b"inner2")
# After an EPB of no interface: 60 EPB headers 12 bytes apart, each framed
# (its trailer among 16-byte units after the headers, an NRB right after
# it), their options areas overlapping: without the options credit the
# search checked the options of all 60 (33 times the input's length in
# work); with it, the first four and then one every 122 positions or so.
NESTED_U = 1000
NESTED = (shb("<") + b"".join(struct.pack("<III", 6, NESTED_U + 4 * i + 4, 0) for i in range(60))
          + bytes(NESTED_U - 720) + b"".join(struct.pack("<IIII", NESTED_U + 4 * i + 4, 4, 12, 12)
                                             for i in range(60)))
# After garbage, an EPB candidate of 4128 bytes (4092 of options, the first
# running past the area) that takes nearly all of the options credit; GAP
# bytes into its options, a real EPB with 408 bytes of options and a real
# EPB after it; two real EPBs after the candidate. The credit covers the
# first inner EPB 51 positions after the candidate: with a gap of 15 it is
# found, with 14 it is passed over and reading resumes after the candidate.
def costly_candidate(gap):
    q_len = 4128
    head = struct.pack("<9I", 6, q_len, 0, 0, 0, 4, 4, 0x77777777, 1 | 0xFFFF << 16) + bytes(gap)
    inner = (epb(0, 1, b"\xf1" * 40, options=opts(opt(1, b"a" * 400)))
             + epb(0, 2, b"\xf2" * 44))
    body = head + inner
    body += bytes(q_len - 4 - len(body)) + struct.pack("<I", q_len)
    return NG_LE_START + b"\xaa" * 5 + body + epb(0, 3, b"\xf3" * 48) + epb(0, 4, b"\xf4" * 52)


# A simulator's trace: 8-byte zeroed frames, seconds and fraction the
# record's index. Big-endian, a header read one byte late is plausible (and
# so is the one 86 records on: 16 + 2048 = 86 records of 24 bytes),
# little-endian one read a byte early, and in both one read 8 bytes early:
# damage there misframed the recovery (113 frames of 200). 24 bytes over
# record 20's header (from 4 bytes before it), record 80's header zeroed,
# record 140's captured length 8 bytes too long: 197 frames.
def regular_trace(order, nanos, n=200):
    b = bytearray(pcap_file([(i, i, bytes(8), None) for i in range(n)], order=order, nanos=nanos))
    at = [24 + 24 * i for i in range(n)]
    b[at[20] - 4:at[20] + 20] = b"\xee" * 24
    b[at[80]:at[80] + 16] = bytes(16)
    b[at[140] + 8:at[140] + 12] = struct.pack(order + "I", 16)
    return bytes(b)


CAPTURE_SLICE.update({
    "recover_pcap_regular_be": regular_trace(">", False),
    "recover_pcap_regular_le_ns": regular_trace("<", True),
    "recover_pcap_zeroed": zeroed(PCAP5, REC_AT[2], 40),
    "recover_pcap_garbage_inserted": PCAP5[:REC_AT[2]] + b"\xa5" * 7 + PCAP5[REC_AT[2]:],
    "recover_pcap_header_bytes_lost": PCAP5[:REC_AT[3]] + PCAP5[REC_AT[3] + 5:],
    "recover_pcap_caplen_grown": with_u32(PCAP5, REC_AT[1] + 8, len(REC_FRAMES[1]) + 20),
    "recover_pcap_orig_zero": pcap_file(PCAP_RECS[:2] + [(1_700_000_002, 0, b"abc", 0)] + PCAP_RECS[2:]),
    "recover_pcap_frac_over": pcap_file(PCAP_RECS[:1] + [(1_700_000_001, 1_500_000, b"abc", None)]
                                        + PCAP_RECS[1:]),
    "recover_pcap_garbage_tail": PCAP5 + b"\xff" * 9,
    "recover_pcapng_garbage_inserted": NG_LE_START + b"".join(NG_EPBS[:2]) + b"\xa5" * 6
    + b"".join(NG_EPBS[2:]),
    "recover_pcapng_zeroed": zeroed(NG_LE_START + b"".join(NG_EPBS), len(NG_LE_START) + 70, 40),
    "recover_pcapng_length_finds_twin": NG_LE_START + NG_TWIN[:36] + NG_TWIN[44:] + NG_TWIN
    + b"".join(NG_EPBS[:2]),
    "recover_pcapng_damaged_idb": shb("<") + with_u32(idb(1, 0), 4, 99) + b"".join(NG_EPBS[:2])
    + NG_LE_START + b"".join(NG_EPBS[2:]),
    "recover_pcapng_nested_candidates": NESTED,
    "recover_pcapng_credit_covers": costly_candidate(15),
    "recover_pcapng_credit_passes_over": costly_candidate(14),
    "recover_pcapng_blocks_in_payload": NG_LE_START + NG_EPBS[0] + b"\x00" * 5
    + epb(0, 8, NG_INNER) + NG_EPBS[1],
    # Block contents tshark refuses, each once in place and once inside
    # damage (framed, with a framed block after it): never a resume point.
    **{
        f"recover_pcapng_bogus_{name}": NG_LE_START + NG_EPBS[0] + bogus + NG_EPBS[1]
        + b"\xa5" * 6 + bogus + b"".join(NG_EPBS[2:])
        for name, bogus in [
            ("dsb", block(0x0A, struct.pack("<II", 0x544C534B, 9) + b"s" * 8)),
            ("nrb", block(4, struct.pack("<HH", 1, 8) + b"\x0a\0\0\x01host" + b"\0" * 4)),
            ("nrb_past_end", block(4, struct.pack("<HH", 1, 40) + b"\x0a\0\0\x01host" + b"\0" * 4)),
            ("isb", block(5, b"\0" * 12 + struct.pack("<HH", 4, 99))),
            ("epb_flags", epb(0, 9, b"abc", options=opts(opt(2, b"")))),
            ("custom_option", epb(0, 9, b"abc", options=opts(opt(2988, b"ab")))),
        ]
    },
})


def capture_stream_head(buffer_byte, pattern, small=False):
    """checks::capture_stream's 6-byte header: buffer byte, 4 pattern
    bytes (checks::read_step), config (bit 0 small limits, no magic)."""
    return bytes([buffer_byte]) + bytes(pattern) + bytes([int(small)])


CAPTURE_STREAM = {
    "buf1_bytewise_pcapng": capture_stream_head(0, ONE_BYTE_READS) + PCAPNG_LE,
    "buf7_faults_pcap": capture_stream_head(6, FAULTY_READS) + PCAP_LE,
    "buf16_small_pcapng": capture_stream_head(15, [0x85, 0x01, 0x00, 0x20], True) + PCAPNG_LE,
    "buf64_small_pcap": capture_stream_head(63, FAULTY_READS, True) + CAPTURES["pcap_caplen_over_small_limit"],
    "buf3_truncated_pcapng": capture_stream_head(2, [0x03, 0xFD, 0x00, 0x7F]) + CAPTURES["pcapng_truncated"],
    "buf1024_huge_block": capture_stream_head(143, [0xFF, 0x80, 0x81, 0xFE]) + CAPTURES["pcapng_huge_block"],
    "buf2_three_bytes": capture_stream_head(1, ONE_BYTE_READS) + CAPTURES["three_bytes"],
    "buf5_pkt_magic": capture_stream_head(4, FAULTY_READS) + CAPTURES["pkt_magic"],
    "buf9_be_ns": capture_stream_head(8, [0x02, 0x05, 0xFC, 0x00]) + PCAP_BE_NS,
    "magic_pcapng_prefix": capture_stream_head(10, ONE_BYTE_READS)[:-1] + b"\x06" + PCAPNG_LE[4:],
}

# Batch byte (0-31: 1-32 bytes, else 64 + 2 * (b - 32)), config byte (bit 0
# small limits, bits 1-2 a magic of checks::CAPTURE_PREFIXES) + capture.
CAPTURE_PARALLEL = {
    "batch1_pcapng": b"\x00\x00" + PCAPNG_LE,
    "batch1_pcap": b"\x00\x00" + PCAP_LE,
    "batch16_small_pcapng": b"\x0f\x01" + PCAPNG_LE,
    "batch8_small_pcap": b"\x07\x01" + CAPTURES["pcap_caplen_over_small_limit"],
    "batch32_truncated": b"\x1f\x00" + CAPTURES["pcapng_truncated"],
    "batch64_bad_trailer": b"\x20\x00" + CAPTURES["pcapng_bad_trailer"],
    "batch4_unknown_interface": b"\x03\x00" + CAPTURES["pcapng_unknown_interface"],
    "batch2_prefix_pcap_le": b"\x01\x02" + PCAP_LE[4:],
}

# Config byte (bits 0-2 FCS length, bits 3-7 extra wire length / 97) + frame.
LAYERS = {f"link{lt}_{i}": bytes([0]) + f for i, (lt, f) in enumerate(LINK_FRAMES)}
LAYERS.update({
    "fcs4_eth_tcp": bytes([4]) + ETH_TCP + b"\xde\xad\xbe\xef",
    "snapped_eth_tcp": bytes([5 << 3]) + ETH_TCP[:40],
    "cut_vxlan": bytes([1 << 3]) + ETH_VLAN_VXLAN[:70],
    "cut_v6_ext": bytes([0]) + V6_EXT[:50],
    "ipv4_total_zero": bytes([0]) + eth(0x0800, ipv4(6, tcp(1, 2, b"tso"), total=0)),
    "ppp_in_null": bytes([0]) + b"\xff\x03\x00\x21" + ipv4(17, udp(7, 8)),
    # Tunnels: GRE (key, sequence) to Ethernet, MPLS to IPv4, 802.3
    # LLC/SNAP to IPv4, Geneve (one option word) to Ethernet.
    "gre_eth": bytes([0]) + eth(0x0800, ipv4(47, b"\x30\x00\x65\x58" + b"\0\0\0\x07" * 2
                                        + eth(0x0800, ipv4(6, tcp(1, 2, b"gre"))))),
    "mpls_ipv4": bytes([0]) + eth(0x8847, b"\x00\x01\x00\x40\x00\x02\x01\x40"
                                  + ipv4(17, udp(7, 8, b"mpls"))),
    "llc_snap": bytes([0]) + eth(36, b"\xaa\xaa\x03\0\0\0\x08\x00" + ipv4(17, udp(7, 8))),
    "geneve_eth": bytes([0]) + eth(0x0800, ipv4(17, udp(50000, 6081, b"\x01\x00\x65\x58\0\0\x05\0"
                                                     + b"\x01\x02\x03\x00"
                                                     + eth(0x86dd, ipv6(17, udp(1, 2)))))),
    "empty": b"",
})

TARGETS = {"slice_strict": SLICE, "slice_recover": RECOVER, "extensions": EXTENSIONS,
           "stream": STREAM, "parallel": PARALLEL, "resync": RESYNC,
           "capture_slice": CAPTURE_SLICE, "capture_stream": CAPTURE_STREAM,
           "capture_parallel": CAPTURE_PARALLEL, "layers": LAYERS}


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for target, files in TARGETS.items():
        seeds = HERE / "seeds" / target
        corpus = HERE / "corpus" / target
        if not check:
            shutil.rmtree(seeds, ignore_errors=True)
            seeds.mkdir(parents=True)
            corpus.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            path = seeds / name
            if check:
                if not path.is_file() or path.read_bytes() != data:
                    stale.append(str(path))
                continue
            path.write_bytes(data)
            (corpus / f"seed-{name}").write_bytes(data)
    # roundtrip's input is `arbitrary`-structured: it starts from an empty
    # corpus (the replay test feeds it the packets of the slice seeds).
    if not check:
        (HERE / "corpus" / "roundtrip").mkdir(parents=True, exist_ok=True)
    if stale:
        sys.exit("out of date (run fuzz/make_seeds.py): " + ", ".join(stale))
    print(sum(len(f) for f in TARGETS.values()), "seeds",
          "up to date" if check else "written")


if __name__ == "__main__":
    main()
