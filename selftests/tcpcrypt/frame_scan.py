#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Walk the tcpcrypt frames of one captured connection (e2e_rekey.sh).

  frame_scan.py PCAP PORT

Rebuilds both directions' TCP byte streams of the connection to or from
PORT from a full-payload classic pcap (tcpdump -s 0 -w), then walks each
as RFC 8548 lays it out: the Init message (magic, then its 4-byte
message_len), then frames of control(1) | clen(2, big endian) |
ciphertext(clen); bit 0x01 of the control byte is the rekey bit. Only the
wire bytes are read: nothing is decrypted, so this checks the kernel
module from outside.

Prints "key value" lines; keys of the client's direction (towards PORT)
start with "c.", the server's with "s.":
  X.bytes          stream length rebuilt (up to the last captured byte)
  X.complete       1 when the stream has no hole and ends on a frame edge
  X.frames         frames walked
  X.rekeys         frames with the rekey bit
  X.rekeys_empty   of which empty (clen 17: the flags byte and the tag)
  X.data_rekeys    of which carrying data
and for the answers: "answered" is the number of k for which the server's
k-th rekey frame was captured after the client's k-th one, and
"answered_rev" the same with the roles swapped.
"""
import bisect
import struct
import sys

TAG_LEN = 16
EMPTY_CLEN = 1 + TAG_LEN
CTL_REKEY = 0x01
INIT_MAGICS = (0x15101A0E, 0x097105E0)


def packets(path):
    """(time, ip packet bytes) for each captured frame"""
    with open(path, "rb") as f:
        hdr = f.read(24)
        magic = struct.unpack("<I", hdr[:4])[0]
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            end = "<"
        else:
            end = ">"
        nano = struct.unpack(end + "I", hdr[:4])[0] == 0xA1B23C4D
        linktype = struct.unpack(end + "I", hdr[20:24])[0]
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            sec, frac, incl, _ = struct.unpack(end + "IIII", rec)
            data = f.read(incl)
            t = sec + frac / (1e9 if nano else 1e6)
            if linktype == 1:  # Ethernet
                off, etype = 14, struct.unpack(">H", data[12:14])[0]
                while etype == 0x8100:
                    etype = struct.unpack(">H", data[off + 2:off + 4])[0]
                    off += 4
                data = data[off:]
            elif linktype == 113:  # Linux cooked
                data = data[16:]
            elif linktype == 276:  # Linux cooked v2
                data = data[20:]
            elif linktype not in (12, 101):  # raw IP
                sys.exit("unsupported link type %d" % linktype)
            yield t, data


def tcp_segments(path, port):
    """(time, src, sport, dport, flags, seq, payload) of PORT's segments"""
    for t, ip in packets(path):
        if not ip:
            continue
        ver = ip[0] >> 4
        if ver == 4:
            ihl = (ip[0] & 15) * 4
            if ip[9] != 6:
                continue
            total = struct.unpack(">H", ip[2:4])[0]
            src = ip[12:16]
            tcp = ip[ihl:total]
        elif ver == 6:
            if ip[6] != 6:  # no extension headers in these tests
                continue
            plen = struct.unpack(">H", ip[4:6])[0]
            src = ip[8:24]
            tcp = ip[40:40 + plen]
        else:
            continue
        sport, dport, seq = struct.unpack(">HHI", tcp[:8])
        if port not in (sport, dport):
            continue
        doff = (tcp[12] >> 4) * 4
        yield t, src, sport, dport, tcp[13], seq, tcp[doff:]


class Stream:
    def __init__(self):
        self.isn = None
        self.segs = []  # (time, offset, payload), capture order

    def build(self):
        """The bytes and whether they have no hole"""
        size = max((o + len(p) for _, o, p in self.segs), default=0)
        buf = bytearray(size)
        spans = []
        for _, o, p in self.segs:
            buf[o:o + len(p)] = p
            spans.append((o, o + len(p)))
        spans.sort()
        covered = 0
        for s, e in spans:
            if s > covered:
                return bytes(buf), False
            covered = max(covered, e)
        return bytes(buf), True

    def first_seen(self, offsets):
        """Capture time of the first segment holding each offset"""
        times = [None] * len(offsets)
        for t, o, p in self.segs:
            i = bisect.bisect_left(offsets, o)
            while i < len(offsets) and offsets[i] < o + len(p):
                if times[i] is None:
                    times[i] = t
                i += 1
        return times


def walk(stream):
    data, whole = stream.build()
    res = {"bytes": len(data), "frames": 0, "rekeys": 0,
           "rekeys_empty": 0, "data_rekeys": 0}
    rekey_at = []
    pos = 0
    if len(data) >= 8 and struct.unpack(">I", data[:4])[0] in INIT_MAGICS:
        pos = struct.unpack(">I", data[4:8])[0]
    while pos + 3 <= len(data):
        ctl = data[pos]
        clen = struct.unpack(">H", data[pos + 1:pos + 3])[0]
        if pos + 3 + clen > len(data):
            break
        res["frames"] += 1
        if ctl & CTL_REKEY:
            res["rekeys"] += 1
            rekey_at.append(pos)
            if clen == EMPTY_CLEN:
                res["rekeys_empty"] += 1
            else:
                res["data_rekeys"] += 1
        pos += 3 + clen
    res["complete"] = int(whole and pos == len(data) and len(data) > 0)
    return res, stream.first_seen(rekey_at)


def main():
    path, port = sys.argv[1], int(sys.argv[2])
    streams = {"c": Stream(), "s": Stream()}
    segs = list(tcp_segments(path, port))
    for t, src, sport, dport, flags, seq, payload in segs:
        st = streams["c" if dport == port else "s"]
        if flags & 0x02:  # SYN
            st.isn = seq
    for t, src, sport, dport, flags, seq, payload in segs:
        st = streams["c" if dport == port else "s"]
        if st.isn is None or not payload:
            continue
        st.segs.append((t, (seq - st.isn - 1) & 0xFFFFFFFF, payload))
    times = {}
    for side, st in streams.items():
        res, times[side] = walk(st)
        for k in sorted(res):
            print("%s.%s %d" % (side, k, res[k]))
    for key, a, b in (("answered", "c", "s"), ("answered_rev", "s", "c")):
        n = sum(1 for x, y in zip(times[a], times[b])
                if x is not None and y is not None and y >= x)
        print("%s %d" % (key, n))


if __name__ == "__main__":
    main()
