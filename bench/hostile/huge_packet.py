#!/usr/bin/env python3
"""Writes a PKT file holding one huge packet, with a right or a wrong CRC.

    python3 bench/hostile/huge_packet.py MIB OUT [--bad-crc]

One packet from `a` to `b` whose payload is MIB MiB of a repeating byte
pattern. With --bad-crc its stored checksum is off by one bit: a hostile
header whose payload claims the rest of the file. Checking it over a map
must not keep the payload resident (README, Robustness).
"""
import struct
import sys
import zlib


def main():
    mib, out_path = int(sys.argv[1]), sys.argv[2]
    bad = "--bad-crc" in sys.argv[3:]
    piece = bytes(range(256)) * 4096  # 1 MiB
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(piece, crc)
    header_len = 24 + 4
    stored = crc ^ 1 if bad else crc
    header = b"PKT\0" + bytes([1, 0]) + struct.pack("<HIIQ", header_len, mib << 20, stored, 7)
    with open(out_path, "wb") as out:
        out.write(header + b"a\0b\0")
        for _ in range(mib):
            out.write(piece)


if __name__ == "__main__":
    main()
