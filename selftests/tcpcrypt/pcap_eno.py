#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The TCP option 69 (ENO) bytes of handshake segments in a capture.

  pcap_eno.py PCAP syn|synack

prints, as lower-case hex, the option 69 bytes (kind and length bytes
included; every such option, in order) of the first SYN-only or SYN-ACK segment of the capture (libpcap
format, Ethernet or Linux cooked link type, IPv4 or IPv6), "none" when that
segment has no option 69, "missing" when the capture has no such segment.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eno_peer import eno_options  # noqa: E402

SYN, ACK = 0x02, 0x10


def packets(path):
    with open(path, "rb") as f:
        hdr = f.read(24)
        magic = struct.unpack("<I", hdr[:4])[0]
        end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
        linktype = struct.unpack(end + "I", hdr[20:24])[0]
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            incl = struct.unpack(end + "IIII", rec)[2]
            yield linktype, f.read(incl)


def tcp_of(linktype, frame):
    if linktype == 1:           # Ethernet
        off, ethertype = 14, struct.unpack("!H", frame[12:14])[0]
        while ethertype == 0x8100:
            ethertype = struct.unpack("!H", frame[off + 2:off + 4])[0]
            off += 4
    elif linktype == 113:       # Linux cooked
        off, ethertype = 16, struct.unpack("!H", frame[14:16])[0]
    else:
        return None
    if ethertype == 0x0800 and frame[off + 9] == 6:
        return frame[off + (frame[off] & 0x0F) * 4:]
    if ethertype == 0x86DD and frame[off + 6] == 6:
        return frame[off + 40:]
    return None


def eno_option(tcp):
    eno = eno_options(tcp[20:(tcp[12] >> 4) * 4])
    return eno.hex() if eno else "none"


def main():
    want = SYN if sys.argv[2] == "syn" else SYN | ACK
    for linktype, frame in packets(sys.argv[1]):
        tcp = tcp_of(linktype, frame)
        if tcp is None or len(tcp) < 20:
            continue
        if tcp[13] & (SYN | ACK) == want:
            print(eno_option(tcp))
            return 0
    print("missing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
