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

TARGETS = {"slice_strict": SLICE, "slice_recover": RECOVER, "extensions": EXTENSIONS,
           "stream": STREAM, "parallel": PARALLEL, "resync": RESYNC}


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
