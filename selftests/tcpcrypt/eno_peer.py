#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A hand-made TCP peer for the TCP-ENO (RFC 8547) rules of e2e_eno_rules.sh.

It speaks IPv4 TCP through a raw socket, so every option byte of the
handshake is its own: it sends SYN-form ENO options the real stack never
would (duplicated, ill-formed, with the wrong b bit, changed between
retransmissions, next to SYN data) and reads back the raw option bytes
the other side answers with. The local kernel knows nothing of these
flows, so the test drops the RSTs it would send; every segment this
program sends carries the mark 0x454e (SO_MARK), which such a rule lets
through.

Crafted active opener, against a real listener:
  eno_peer.py client SRC SPORT DST DPORT [OPTIONS]
      --syn-opts HEX    TCP options of the SYN after MSS (raw bytes; NOP
                        padding is added)
      --syn-data HEX    payload of the SYN
      --resyn-opts HEX  once the SYN-ACK came, send the SYN again (same
                        ISN, no data) with these options ("" for none)
                        and record the SYN-ACK that answers it
      --ack-opts HEX    options of the third ACK ("" for none)
      --pause PREFIX    after the SYN-ACK, create PREFIX.synack and wait
                        for PREFIX.synack.go; after the third ACK, create
                        PREFIX.ack and wait for PREFIX.ack.go, then reset
                        the connection (no data, no FIN)
      --data HEX        after the third ACK: send this, then FIN, and
                        wait for the peer's FIN
      --init1 N         after the third ACK: send an Init1 with "45 02",
                        as a switched-on A does, once a second, until a
                        RST comes (at most N times)
  Report keys: synack (1 when one came), synack_ackoff (its ack minus
  our ISN), synack_opts (hex), synack_eno (the option-69 bytes, "none"),
  synack2, synack2_opts, synack2_eno (the answer to --resyn-opts),
  data_acked, peer_fin; with --init1: init1_sent, init1_isn_acks (empty
  ACKs of our ISN + 1 alone), init1_acked (1 when an ACK covered a byte of
  it), reset_after (Init1 segments sent when the RST came, 0: none came).

Crafted passive openers, against a real client, one for each SPEC:
  eno_peer.py server ADDR PEER READY_FILE SPEC... --report-dir DIR
      SPEC is PORT,IGNORE,SYNACK_OPTS_HEX,END: listen on PORT; leave the
      first IGNORE SYNs unanswered; answer with these SYN-ACK options
      after MSS; END "fin": read to the peer's FIN, answer with ours;
      "reset": reset the connection at the first data segment (its
      bytes are recorded). Reports DIR/server.PORT.
  Report keys: syns (SYNs seen), syn<i>_isn, syn<i>_opts, syn<i>_eno
  (i from 1), ack3 (1 when the third ACK came), ack3_opts, ack3_eno,
  nonsyn_eno (segments after the SYN carrying option 69), payload (hex,
  in order), peer_fin.

The real applications on the other end:
  eno_peer.py app-listen ADDR READY_FILE PORT... --report-dir DIR
                         [--fastopen PORT]...
      on each PORT, accept one connection, read to EOF, close; reports
      DIR/app.PORT. --fastopen: that listener takes data in a SYN (with
      net.ipv4.tcp_fastopen 0x200, even without a cookie).
  eno_peer.py app-connect ADDR PORT MESSAGE_HEX --report FILE
      connect, send the message, half-close, read to EOF.
  Report key: recv (hex, "none" when nothing came).

Every report has the keys result (ok, error) and, on error, error. The
multi-connection modes give each connection --conn-timeout SECONDS (from
its first SYN, or its accept; default 30) and run for --timeout SECONDS at
most (default 30, also the limit of the single-connection modes). Exit status
0 when every connection ended as planned, 1 otherwise.
"""
import argparse
import errno
import os
import random
import select
import socket
import struct
import sys
import threading
import time

MARK = 0x454E
SO_MARK = 36
TCP_FASTOPEN = 23
ENO_KIND = 69
MSS_OPT = bytes.fromhex("020405b4")
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
# SYN and data retransmission interval of this peer
RTO = 1.0
# An Init1 header (magic, length 72) and the non-SYN ENO option
INIT1_HDR = "15101a0e00000048"
ENO_ACK = bytes.fromhex("4502")


class PeerError(Exception):
    pass


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def pad_options(opts):
    return opts + b"\x01" * (-len(opts) % 4)


def tcp_segment(src, dst, sport, dport, seq, ack, flags, opts=b"",
                payload=b""):
    opts = pad_options(opts)
    hlen = 20 + len(opts)
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF,
                      ack & 0xFFFFFFFF, (hlen // 4) << 4, flags, 65535, 0, 0)
    seg = hdr + opts + payload
    pseudo = (socket.inet_aton(src) + socket.inet_aton(dst) +
              struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(seg)))
    c = csum(pseudo + seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def eno_options(opts):
    """The option-69 bytes of a TCP options area (all of them, in order)."""
    out = b""
    i = 0
    while i < len(opts):
        kind = opts[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        if i + 1 >= len(opts) or opts[i + 1] < 2:
            break
        n = opts[i + 1]
        if kind == ENO_KIND:
            out += opts[i:i + n]
        i += n
    return out


class Seg:
    def __init__(self, pkt):
        ihl = (pkt[0] & 0x0F) * 4
        self.src = socket.inet_ntoa(pkt[12:16])
        self.dst = socket.inet_ntoa(pkt[16:20])
        t = pkt[ihl:]
        (self.sport, self.dport, self.seq, self.ack, off,
         self.flags) = struct.unpack("!HHIIBB", t[:14])
        thl = (off >> 4) * 4
        self.opts = t[20:thl]
        self.payload = t[thl:]
        self.eno = eno_options(self.opts)

    def has(self, f):
        return bool(self.flags & f)


class RawPeer:
    """One TCP 4-tuple through a raw IPv4 socket."""

    def __init__(self, laddr, lport, raddr, rport, deadline):
        self.laddr, self.lport = laddr, lport
        self.raddr, self.rport = raddr, rport
        self.deadline = deadline
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                                  socket.IPPROTO_TCP)
        self.sock.setsockopt(socket.SOL_SOCKET, SO_MARK, MARK)
        self.sock.bind((laddr, 0))

    def send(self, seq, ack, flags, opts=b"", payload=b""):
        seg = tcp_segment(self.laddr, self.raddr, self.lport, self.rport,
                          seq, ack, flags, opts, payload)
        self.sock.sendto(seg, (self.raddr, 0))

    def recv(self, until):
        """The next segment of the flow, or None at @until."""
        until = min(until, self.deadline)
        while True:
            left = until - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                continue
            seg = Seg(self.sock.recv(65535))
            if (seg.src == self.raddr and seg.dst == self.laddr and
                    seg.dport == self.lport and
                    (self.rport is None or seg.sport == self.rport)):
                return seg

    def drain(self):
        """Forget what already came: what follows answers what we send next"""
        self.sock.setblocking(False)
        try:
            while True:
                self.sock.recv(65535)
        except BlockingIOError:
            pass
        self.sock.setblocking(True)

    def expired(self):
        return time.monotonic() >= self.deadline


def seq_after(a, b):
    """a > b in sequence space"""
    return 0 < ((a - b) & 0xFFFFFFFF) < 0x80000000


def hexs(b):
    return b.hex() if b else "none"


def run_client(a, deadline, rep):
    p = RawPeer(a.src, a.sport, a.dst, a.dport, deadline)
    isn = random.getrandbits(32)
    syn_opts = MSS_OPT + bytes.fromhex(a.syn_opts)
    syn_data = bytes.fromhex(a.syn_data)

    synack = None
    while synack is None:
        if p.expired():
            raise PeerError("no SYN-ACK")
        p.send(isn, 0, SYN, syn_opts, syn_data)
        until = time.monotonic() + RTO
        while True:
            s = p.recv(until)
            if s is None:
                break
            if s.has(SYN) and s.has(ACK):
                synack = s
                break
    rep["synack"] = 1
    rep["synack_ackoff"] = (synack.ack - isn) & 0xFFFFFFFF
    rep["synack_opts"] = hexs(synack.opts)
    rep["synack_eno"] = hexs(synack.eno)
    peer_isn = synack.seq
    snd_nxt = synack.ack
    rcv_nxt = (peer_isn + 1) & 0xFFFFFFFF

    if a.resyn_opts is not None:
        # Every SYN-ACK from now on answers the changed SYN
        rep["synack2"] = 0
        opts = MSS_OPT + bytes.fromhex(a.resyn_opts)
        p.drain()
        s = None
        while s is None:
            if p.expired():
                raise PeerError("no SYN-ACK after the changed SYN")
            p.send(isn, 0, SYN, opts)
            until = time.monotonic() + 2 * RTO
            while True:
                s = p.recv(until)
                if s is None or (s.has(SYN) and s.has(ACK)):
                    break
        rep["synack2"] = 1
        rep["synack2_opts"] = hexs(s.opts)
        rep["synack2_eno"] = hexs(s.eno)

    if a.pause:
        wait_go(a.pause + ".synack", deadline)
    p.send(snd_nxt, rcv_nxt, ACK, bytes.fromhex(a.ack_opts))
    if a.pause:
        wait_go(a.pause + ".ack", deadline)
        p.send(snd_nxt, 0, RST)
        return

    if a.init1:
        send_init1_until_reset(p, a.init1, snd_nxt, rcv_nxt, rep)
        return

    data = bytes.fromhex(a.data)
    rep["data_acked"] = 0
    rep["peer_fin"] = 0
    fin_seq = (snd_nxt + len(data)) & 0xFFFFFFFF
    fin_acked = False
    next_tx = 0.0
    while not (fin_acked and rep["peer_fin"]):
        if p.expired():
            raise PeerError("the peer did not take the data and close")
        now = time.monotonic()
        if now >= next_tx:
            if not rep["data_acked"]:
                p.send(snd_nxt, rcv_nxt, ACK | PSH, b"", data)
            if not fin_acked:
                p.send(fin_seq, rcv_nxt, ACK | FIN)
            next_tx = now + RTO
        s = p.recv(next_tx)
        if s is None:
            continue
        if s.has(RST):
            raise PeerError("reset by the peer")
        if s.has(SYN):
            # Our third ACK was late: the SYN-ACK again
            p.send(snd_nxt, rcv_nxt, ACK)
            continue
        if s.has(ACK) and not seq_after(fin_seq, s.ack):
            rep["data_acked"] = 1
        if s.has(ACK) and seq_after(s.ack, fin_seq):
            fin_acked = True
        if s.has(FIN) and s.seq == rcv_nxt and not s.payload:
            rcv_nxt = (rcv_nxt + 1) & 0xFFFFFFFF
            rep["peer_fin"] = 1
        if s.payload or s.has(FIN):
            p.send((fin_seq + 1) & 0xFFFFFFFF if fin_acked else fin_seq,
                   rcv_nxt, ACK)
    p.send((fin_seq + 1) & 0xFFFFFFFF, rcv_nxt, ACK)


def send_init1_until_reset(p, n, snd_nxt, rcv_nxt, rep):
    """A switched-on A that never falls back: its Init1 again and again."""
    init1 = bytes.fromhex(INIT1_HDR) + bytes(64)
    for key in ("init1_sent", "init1_isn_acks", "init1_acked",
                "reset_after"):
        rep[key] = 0
    while rep["init1_sent"] < n:
        p.send(snd_nxt, rcv_nxt, ACK | PSH, ENO_ACK, init1)
        rep["init1_sent"] += 1
        until = time.monotonic() + RTO
        while True:
            s = p.recv(until)
            if s is None:
                break
            if s.has(RST):
                rep["reset_after"] = rep["init1_sent"]
                return
            if not s.has(ACK):
                continue
            if s.ack == snd_nxt and not s.payload:
                rep["init1_isn_acks"] += 1
            elif seq_after(s.ack, snd_nxt):
                rep["init1_acked"] = 1
    raise PeerError("no RST after %d Init1 segments" % n)


def serve_one(a, spec, p, rep):
    """One crafted passive open on spec.port, through raw peer @p."""
    syns = 0
    syn = None
    while syn is None:
        s = p.recv(p.deadline)
        if s is None:
            raise PeerError("%d SYN(s) came, %d wanted" %
                            (syns, spec.ignore + 1))
        if not s.has(SYN) or s.has(ACK):
            continue
        if not syns:
            p.deadline = min(p.deadline, time.monotonic() + a.conn_timeout)
        syns += 1
        rep["syns"] = syns
        rep["syn%d_isn" % syns] = s.seq
        rep["syn%d_opts" % syns] = hexs(s.opts)
        rep["syn%d_eno" % syns] = hexs(s.eno)
        if syns > spec.ignore:
            syn = s
    p.rport = syn.sport
    isn = random.getrandbits(32)
    rcv_nxt = (syn.seq + 1) & 0xFFFFFFFF
    snd_nxt = (isn + 1) & 0xFFFFFFFF
    synack_opts = MSS_OPT + spec.synack_opts
    p.send(isn, rcv_nxt, SYN | ACK, synack_opts)

    rep["ack3"] = 0
    rep["nonsyn_eno"] = 0
    rep["peer_fin"] = 0
    rep["payload"] = "none"
    payload = b""
    while True:
        s = p.recv(p.deadline)
        if s is None:
            raise PeerError("the peer did not finish")
        if s.has(RST):
            raise PeerError("reset by the peer")
        if s.has(SYN):
            if s.seq == syn.seq:
                p.send(isn, rcv_nxt, SYN | ACK, synack_opts)
            continue
        if s.eno:
            rep["nonsyn_eno"] += 1
        if not rep["ack3"] and s.has(ACK):
            rep["ack3"] = 1
            rep["ack3_opts"] = hexs(s.opts)
            rep["ack3_eno"] = hexs(s.eno)
        if rep["peer_fin"] and s.has(ACK) and seq_after(s.ack, snd_nxt):
            return
        if s.payload and s.seq == rcv_nxt:
            payload += s.payload
            rcv_nxt = (rcv_nxt + len(s.payload)) & 0xFFFFFFFF
            rep["payload"] = hexs(payload)
            if spec.reset:
                p.send(snd_nxt, rcv_nxt, RST | ACK)
                return
        fin_seq = (s.seq + len(s.payload)) & 0xFFFFFFFF
        if s.has(FIN) and fin_seq == rcv_nxt:
            rcv_nxt = (rcv_nxt + 1) & 0xFFFFFFFF
            rep["peer_fin"] = 1
        if rep["peer_fin"]:
            # Our FIN with the ACK of theirs, until they ACK it
            p.send(snd_nxt, rcv_nxt, ACK | FIN)
        elif s.payload or s.has(FIN):
            p.send(snd_nxt, rcv_nxt, ACK)


class ServerSpec:
    """PORT,IGNORE,SYNACK_OPTS_HEX,END"""

    def __init__(self, text):
        port, ignore, opts, end = text.split(",")
        if end not in ("fin", "reset"):
            raise ValueError("END is fin or reset: " + text)
        self.port = int(port)
        self.ignore = int(ignore)
        self.synack_opts = bytes.fromhex(opts)
        self.reset = end == "reset"


def run_server(a, deadline):
    specs = [ServerSpec(t) for t in a.specs]
    # Every socket exists before the ready file does
    jobs = [(spec, RawPeer(a.addr, spec.port, a.peer, None, deadline))
            for spec in specs]
    open(a.ready, "w").close()
    return run_all([(serve_one, (a, spec, p),
                     "%s/server.%d" % (a.report_dir, spec.port))
                    for spec, p in jobs], deadline)


def wait_go(prefix, deadline):
    open(prefix, "w").close()
    while not os.path.exists(prefix + ".go"):
        if time.monotonic() >= deadline:
            raise PeerError("%s.go never came" % prefix)
        time.sleep(0.05)


def app_serve_one(a, ls, rep):
    conn, _ = ls.accept()
    read_to_eof(conn, rep, time.monotonic() + a.conn_timeout)


def app_listen(a, deadline):
    jobs = []
    for port in a.ports:
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if port in a.fastopen:
            ls.setsockopt(socket.IPPROTO_TCP, TCP_FASTOPEN, 8)
        ls.bind((a.addr, port))
        ls.listen(4)
        ls.settimeout(max(deadline - time.monotonic(), 0.1))
        jobs.append((app_serve_one, (a, ls),
                     "%s/app.%d" % (a.report_dir, port)))
    open(a.ready, "w").close()
    return run_all(jobs, deadline)


def app_connect(a, deadline, rep):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(max(deadline - time.monotonic(), 0.1))
    s.connect((a.addr, a.port))
    s.sendall(bytes.fromhex(a.message))
    s.shutdown(socket.SHUT_WR)
    read_to_eof(s, rep, deadline)


def read_to_eof(conn, rep, deadline):
    got = b""
    rep["recv"] = "none"
    while True:
        conn.settimeout(max(deadline - time.monotonic(), 0.1))
        chunk = conn.recv(65536)
        if not chunk:
            break
        got += chunk
        rep["recv"] = hexs(got)
    conn.close()


def guarded(fn, args, report, result):
    """fn(*args, rep); its report written to @report, success in @result"""
    rep = {}
    ok = False
    try:
        fn(*args, rep)
        ok = True
    except PeerError as e:
        rep["error"] = str(e).replace(" ", "_")
    except socket.timeout:
        rep["error"] = "TIMEOUT"
    except OSError as e:
        rep["error"] = errno.errorcode.get(e.errno, str(e).replace(" ", "_"))
    rep["result"] = "ok" if ok else "error"
    with open(report + ".tmp", "w") as f:
        for k, v in rep.items():
            f.write("%s %s\n" % (k, v))
    os.rename(report + ".tmp", report)
    print("%s: %s" % (os.path.basename(report),
                      " ".join("%s=%s" % kv for kv in rep.items())),
          flush=True)
    result.append(ok)


def run_all(jobs, deadline):
    """Each (fn, args, report) in its own thread; all succeeded?"""
    result = []
    threads = [threading.Thread(target=guarded, daemon=True,
                                args=(fn, args, report, result))
               for fn, args, report in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(deadline - time.monotonic(), 0))
    return len(result) == len(jobs) and all(result)


def one(fn):
    """A single-connection mode, reporting to --report"""
    def run(a, deadline):
        return run_all([(fn, (a, deadline), a.report)], deadline)
    return run


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="mode", required=True)

    c = sub.add_parser("client")
    c.add_argument("src")
    c.add_argument("sport", type=int)
    c.add_argument("dst")
    c.add_argument("dport", type=int)
    c.add_argument("--syn-opts", default="")
    c.add_argument("--syn-data", default="")
    c.add_argument("--resyn-opts")
    c.add_argument("--ack-opts", default="")
    c.add_argument("--pause")
    c.add_argument("--data", default="")
    c.add_argument("--init1", type=int, default=0)

    s = sub.add_parser("server")
    s.add_argument("addr")
    s.add_argument("peer")
    s.add_argument("ready")
    s.add_argument("specs", nargs="+")

    lp = sub.add_parser("app-listen")
    lp.add_argument("addr")
    lp.add_argument("ready")
    lp.add_argument("ports", type=int, nargs="+")
    lp.add_argument("--fastopen", type=int, action="append", default=[])

    k = sub.add_parser("app-connect")
    k.add_argument("addr")
    k.add_argument("port", type=int)
    k.add_argument("message")

    for p in (c, k):
        p.add_argument("--report", required=True)
    for p in (s, lp):
        p.add_argument("--report-dir", required=True)
        p.add_argument("--conn-timeout", type=float, default=30)
    for p in (c, s, lp, k):
        p.add_argument("--timeout", type=float, default=30)
    a = ap.parse_args()

    run = {"client": one(run_client), "server": run_server,
           "app-listen": app_listen, "app-connect": one(app_connect)}[a.mode]
    return 0 if run(a, time.monotonic() + a.timeout) else 1


if __name__ == "__main__":
    sys.exit(main())
