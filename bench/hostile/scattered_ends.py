#!/usr/bin/env python3
"""Writes a hostile PKT file whose fake payload ends are scattered.

    python3 bench/hostile/scattered_ends.py MIB OUT

One garbage byte (so framing is lost at once), then a valid-looking fixed
header every 30 bytes (empty ids) whose payload runs to a point spread over
the whole rest of the file, each with a wrong CRC: recovery must judge
every candidate's CRC over a different, far-reaching range. The layout is
`far_payloads` of crates/zcpkt/tests/resync.rs.
"""
import struct
import sys


def main():
    mib, out_path = int(sys.argv[1]), sys.argv[2]
    n = mib << 20
    out = bytearray(b"X")
    i = 0
    while len(out) + 30 <= n:
        at = len(out) - 1
        end = max(n - ((i * 2654435761) % n), at + 26)
        out += b"PKT\0" + bytes([1, 0]) + struct.pack("<HIIQ", 26, end - at - 26, 0xBAD, 7)
        out += bytes([0, 0, 1, 2, 3, 4])
        i += 1
    out += bytes([9]) * (n - len(out))
    with open(out_path, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
