#!/usr/bin/env python3
"""Writes a pcap of UDP/IPv6 frames with random addresses and ports, as a
scan or a flood looks to `zcpkt stats`.

    python3 bench/hostile/random_addresses.py FRAMES OUT

FRAMES 62-byte Ethernet/IPv6/UDP frames, every source and destination
address drawn at random (seed 1): one busiest-list entry per frame, which
`stats` must count in bounded memory (README, the `stats` paragraph).
"""
import random
import struct
import sys


def main():
    frames, out_path = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(1)
    with open(out_path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        buf = bytearray()
        for i in range(frames):
            src = rnd.getrandbits(128).to_bytes(16, "big")
            dst = rnd.getrandbits(128).to_bytes(16, "big")
            udp = struct.pack(">HHHH", rnd.getrandbits(16), rnd.getrandbits(16), 8, 0)
            ip6 = struct.pack(">IHBB", 0x60000000, 8, 17, 64) + src + dst
            frame = b"\x02" * 6 + b"\x04" * 6 + b"\x86\xdd" + ip6 + udp
            buf += struct.pack("<IIII", 1700000000 + i // 1000, i % 1000, len(frame), len(frame))
            buf += frame
            if len(buf) > 1 << 20:
                out.write(buf)
                buf = bytearray()
        out.write(buf)


if __name__ == "__main__":
    main()
