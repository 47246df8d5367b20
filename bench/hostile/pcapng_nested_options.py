#!/usr/bin/env python3
"""Writes a pcapng file whose recovery search meets a packet block header
every 32 bytes, each with a 4 KiB options area that fails at its last
option.

    python3 bench/hostile/pcapng_nested_options.py MIB OUT

A Section Header Block, two Interface Description Blocks, 5 garbage
bytes (damage), then MIB MiB of a 32-byte pattern: an Enhanced Packet
Block of 4096 bytes on interface 1 whose options area is 4-byte empty
options, all of whose candidates overlap. Without the options credit
each candidate walked its options (4.7 s per 64 MiB); with it the walks
are bounded by 8 bytes per position tried (README, Robustness).
"""
import struct
import sys


def block(block_type, body):
    length = 12 + len(body)
    return struct.pack("<II", block_type, length) + body + struct.pack("<I", length)


def main():
    mib, out_path = int(sys.argv[1]), sys.argv[2]
    head = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    idb = block(1, struct.pack("<HHI", 1, 0, 0))
    length = 4096
    # Type, length, interface 1, timestamp 1:1, captured 4, original
    # (code 7, length 4: skips the trailer word, so the last one of an
    # options area runs past it), trailer.
    period = struct.pack("<8I", 6, length, 1, 1, 1, 4, 7 | (4 << 16), length)
    with open(out_path, "wb") as out:
        out.write(head + idb + idb + b"\xaa" * 5)
        out.write(period * (mib << 15))


if __name__ == "__main__":
    main()
