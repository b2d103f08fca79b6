#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Checksummed TCP transfers for the tcpcrypt kselftests.

One-shot upload (the first tests):
  tcp_xfer.py server ADDRESS PORT READY_FILE
      accept one connection, read to EOF, answer "<sha256> <bytes>\\n";
      READY_FILE is created once the socket listens.
  tcp_xfer.py client ADDRESS PORT BYTES
      send BYTES random bytes, half-close, check the server's answer.
  Exit status 0 when the server received exactly the bytes sent.

Both ways at once, checked byte by byte (the end-to-end tests):
  tcp_xfer.py listen ADDRESS PORT READY_FILE [OPTIONS]
  tcp_xfer.py connect ADDRESS PORT [OPTIONS]
      --send BYTES      send BYTES bytes of this side's stream (default 0)
      --expect BYTES    the peer sends exactly BYTES bytes
      --seed N          this side's stream (default: connect 1, listen 2)
      --peer-seed N     the peer's stream (default: the peer's default)
      --marker TEXT     every stream carries TEXT at each --period bytes
      --period BYTES    marker period (default 128, divides 65536)
      --rate BYTES      send at most BYTES per second (before --pause-at)
      --pause-at BYTES  once BYTES are sent, wait for --resume FILE to
                        exist, then send the rest at full speed
      --hold PREFIX     once all is sent and --expect bytes received,
                        write "LOCAL REMOTE" to PREFIX.<side> and wait for
                        PREFIX.release before half-closing (the
                        connection stays open for inspection)
      --report FILE     write the results there, one "key value" a line
      --timeout SECONDS the whole run, and each socket call (default 60)
      --fastopen        TCP Fast Open: the listener accepts TFO SYNs, the
                        connecting side uses TCP_FASTOPEN_CONNECT (data in
                        the SYN once the server's cookie is cached)
      --keepalive       TCP keep-alive probes after 1 s of silence, every
                        second, 4 unanswered ones end the connection
  Streams are pseudo-random (random.Random seeded per 64 KiB block), so
  the receiver checks every byte as it arrives and reports the first
  offset that differs. Report keys: result (ok, mismatch, error), error
  (errno name, TIMEOUT, HOLD_TIMEOUT or empty), local, remote,
  sent_bytes, sent_sha256, recv_bytes, recv_sha256, recv_match (1 when
  every byte received so far is the peer's stream), first_bad (offset,
  -1), eof (1 when the stream ended with the peer's FIN and no error
  came, to the sending or the receiving side: after a RST, the side that
  did not get the error sees an EOF). Exit status: 0 ok, 1 mismatch,
  3 error.

  tcp_xfer.py stream-hex SEED BYTES [--marker TEXT] [--period BYTES]
      the first BYTES bytes of stream SEED in hex.
"""
import argparse
import errno
import hashlib
import os
import random
import signal
import socket
import sys
import threading
import time

TIMEOUT = 60
BLOCK = 65536
TCP_FASTOPEN_CONNECT = 30  # linux/tcp.h; not in every Python


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def server(addr, port, ready):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    s.settimeout(TIMEOUT)
    open(ready, "w").close()
    conn, _ = s.accept()
    conn.settimeout(TIMEOUT)
    digest = hashlib.sha256()
    total = 0
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        digest.update(chunk)
        total += len(chunk)
    conn.sendall(f"{digest.hexdigest()} {total}\n".encode())
    conn.close()
    print(f"server: received {total} bytes")
    return 0


def client(addr, port, nbytes):
    data = os.urandom(nbytes)
    want = f"{hashlib.sha256(data).hexdigest()} {nbytes}"
    c = socket.create_connection((addr, port), timeout=TIMEOUT)
    c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    reply = b""
    while True:
        chunk = c.recv(4096)
        if not chunk:
            break
        reply += chunk
    c.close()
    got = reply.decode(errors="replace").strip()
    if got != want:
        print(f"client: server saw '{got}', sent '{want}'")
        return 1
    print(f"client: {nbytes} bytes delivered intact")
    return 0


# --- deterministic streams ---------------------------------------------------

def stream_block(seed, index, marker, period):
    rnd = random.Random((seed << 32) | index)
    if not marker:
        return rnd.randbytes(BLOCK)
    fill = period - len(marker)
    raw = rnd.randbytes(BLOCK // period * fill)
    return b"".join(marker + raw[i * fill:(i + 1) * fill]
                    for i in range(BLOCK // period))


class Stream:
    """Stream SEED, read front to back in pieces of any size."""

    def __init__(self, seed, marker, period):
        self.seed, self.marker, self.period = seed, marker, period
        self.index = 0
        self.block = memoryview(b"")

    def read(self, n):
        parts = []
        while n:
            if not self.block:
                self.block = memoryview(stream_block(
                    self.seed, self.index, self.marker, self.period))
                self.index += 1
            take = min(n, len(self.block))
            parts.append(self.block[:take])
            self.block = self.block[take:]
            n -= take
        return b"".join(parts)


# --- both ways at once ---------------------------------------------------------

class Deadline(Exception):
    pass


def on_alarm(signum, frame):
    raise Deadline()


def err_name(e):
    if isinstance(e, (socket.timeout, Deadline)):
        return "TIMEOUT"
    if isinstance(e, OSError) and e.errno:
        return errno.errorcode.get(e.errno, str(e.errno))
    return type(e).__name__


def endpoint(sockaddr):
    if ":" in sockaddr[0]:
        return f"[{sockaddr[0]}]:{sockaddr[1]}"
    return f"{sockaddr[0]}:{sockaddr[1]}"


class Duplex:
    def __init__(self, args, side):
        self.a = args
        self.side = side
        self.error = ""
        self.local = self.remote = "-"
        self.sent = 0
        self.sent_hash = hashlib.sha256()
        self.recv = 0
        self.recv_hash = hashlib.sha256()
        self.match = True
        self.first_bad = -1
        self.eof = False
        self.extra = False
        self.sender_done = threading.Event()

    def fail(self, e):
        if not self.error:
            self.error = err_name(e)

    def send_all(self, sock, half_close):
        a = self.a
        stream = Stream(a.seed, a.marker, a.period)
        start = time.monotonic()
        pause = a.pause_at if a.pause_at is not None else a.send
        try:
            while self.sent < a.send:
                if self.sent == pause:
                    while not os.path.exists(a.resume):
                        time.sleep(0.05)
                limit = pause if self.sent < pause else a.send
                data = stream.read(min(BLOCK, limit - self.sent))
                sock.sendall(data)
                self.sent_hash.update(data)
                self.sent += len(data)
                if a.rate and self.sent <= pause:
                    ahead = start + self.sent / a.rate - time.monotonic()
                    if ahead > 0:
                        time.sleep(ahead)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except Exception as e:  # the receiving side reports it
            self.fail(e)
        finally:
            self.sender_done.set()

    def take(self, chunk, expected):
        if self.match:
            want = expected.read(len(chunk))
            if chunk != want:
                self.match = False
                i = next(i for i in range(len(chunk)) if chunk[i] != want[i])
                self.first_bad = self.recv + i
        self.recv_hash.update(chunk)
        self.recv += len(chunk)

    # Read until `limit` bytes arrived (None: until EOF)
    def receive(self, sock, expected, limit):
        while limit is None or self.recv < limit:
            n = 65536 if limit is None else min(65536, limit - self.recv)
            chunk = sock.recv(n)
            if not chunk:
                self.eof = True
                return
            self.take(chunk, expected)

    def hold(self):
        a = self.a
        with open(f"{a.hold}.{self.side}", "w") as f:
            f.write(f"{self.local} {self.remote}\n")
        while not os.path.exists(f"{a.hold}.release"):
            time.sleep(0.05)

    def run(self, sock):
        a = self.a
        self.local = endpoint(sock.getsockname())
        try:
            self.remote = endpoint(sock.getpeername())
        except OSError:  # a Fast Open connect: no SYN sent before the data
            self.remote = endpoint((a.address, a.port))
        expected = Stream(a.peer_seed, a.marker, a.period)
        sender = threading.Thread(target=self.send_all,
                                  args=(sock, not a.hold), daemon=True)
        sender.start()
        try:
            if a.hold:
                self.receive(sock, expected, a.expect)
                while not self.sender_done.wait(0.1):
                    pass
                if self.eof or self.error:
                    return
                try:
                    self.hold()
                except Deadline:
                    self.error = "HOLD_TIMEOUT"
                    return
                sock.shutdown(socket.SHUT_WR)
            self.receive(sock, expected, None)
            while not self.sender_done.wait(0.1):
                pass
        except Exception as e:
            self.fail(e)

    def result(self):
        if self.error:
            return "error"
        short = self.a.expect is not None and self.recv != self.a.expect
        if not self.match or short or self.sent != self.a.send:
            return "mismatch"
        return "ok"

    def report(self):
        res = self.result()
        lines = [
            ("result", res), ("error", self.error),
            ("local", self.local), ("remote", self.remote),
            ("sent_bytes", self.sent),
            ("sent_sha256", self.sent_hash.hexdigest()),
            ("recv_bytes", self.recv),
            ("recv_sha256", self.recv_hash.hexdigest()),
            ("recv_match", int(self.match)), ("first_bad", self.first_bad),
            ("eof", int(self.eof and not self.error)),
        ]
        text = "".join(f"{k} {v}\n" for k, v in lines)
        if self.a.report:
            with open(self.a.report, "w") as f:
                f.write(text)
        print(f"{self.side}: {res}{' ' + self.error if self.error else ''}:"
              f" sent {self.sent}, received {self.recv}"
              f"{'' if self.match else f' (first wrong byte at {self.first_bad})'}"
              f"{', EOF' if self.eof and not self.error else ''}")
        return {"ok": 0, "mismatch": 1}.get(res, 3)


def duplex(a, side):
    d = Duplex(a, side)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(a.timeout)
    sock = None
    try:
        if side == "listen":
            s = socket.socket(family(a.address), socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((a.address, a.port))
            if a.fastopen:
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_FASTOPEN, 16)
            s.listen(1)
            s.settimeout(a.timeout)
            open(a.ready, "w").close()
            sock, _ = s.accept()
            s.close()
        elif a.fastopen:
            # connect() returns at once; the first send makes the SYN
            # (with the data when a cookie is cached, else a cookie request)
            sock = socket.socket(family(a.address), socket.SOCK_STREAM)
            sock.setsockopt(socket.IPPROTO_TCP, TCP_FASTOPEN_CONNECT, 1)
            sock.settimeout(a.timeout)
            sock.connect((a.address, a.port))
        else:
            sock = socket.create_connection((a.address, a.port),
                                            timeout=a.timeout)
        sock.settimeout(a.timeout)
        if a.keepalive:
            # a probe after each second of silence; 4 unanswered kill it
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 4)
        d.run(sock)
    except Exception as e:
        d.fail(e)
    finally:
        signal.alarm(0)
        if sock:
            sock.close()
    return d.report()


def stream_hex(a):
    print(Stream(a.seed, a.marker, a.period).read(a.bytes).hex())
    return 0


def parse(argv):
    p = argparse.ArgumentParser(prog="tcp_xfer.py")
    sub = p.add_subparsers(dest="mode", required=True)
    for mode in ("listen", "connect"):
        q = sub.add_parser(mode)
        q.add_argument("address")
        q.add_argument("port", type=int)
        if mode == "listen":
            q.add_argument("ready")
        q.add_argument("--send", type=int, default=0)
        q.add_argument("--expect", type=int)
        q.add_argument("--seed", type=int)
        q.add_argument("--peer-seed", type=int)
        q.add_argument("--marker", default="")
        q.add_argument("--period", type=int, default=128)
        q.add_argument("--rate", type=int, default=0)
        q.add_argument("--pause-at", type=int)
        q.add_argument("--resume")
        q.add_argument("--hold")
        q.add_argument("--report")
        q.add_argument("--timeout", type=int, default=TIMEOUT)
        q.add_argument("--fastopen", action="store_true")
        q.add_argument("--keepalive", action="store_true")
    q = sub.add_parser("stream-hex")
    q.add_argument("seed", type=int)
    q.add_argument("bytes", type=int)
    q.add_argument("--marker", default="")
    q.add_argument("--period", type=int, default=128)
    a = p.parse_args(argv)
    a.marker = a.marker.encode()
    if a.marker and (BLOCK % a.period or len(a.marker) >= a.period):
        p.error("--period must divide 65536 and exceed the marker length")
    if a.mode != "stream-hex":
        mine, peer = (1, 2) if a.mode == "connect" else (2, 1)
        a.seed = mine if a.seed is None else a.seed
        a.peer_seed = peer if a.peer_seed is None else a.peer_seed
        if a.hold and a.expect is None:
            p.error("--hold needs --expect")
        if (a.pause_at is None) != (a.resume is None):
            p.error("--pause-at and --resume go together")
    return a


def main(argv):
    if len(argv) == 5 and argv[1] == "server":
        return server(argv[2], int(argv[3]), argv[4])
    if len(argv) == 5 and argv[1] == "client":
        return client(argv[2], int(argv[3]), int(argv[4]))
    if len(argv) > 1 and argv[1] in ("listen", "connect", "stream-hex"):
        a = parse(argv[1:])
        if a.mode == "stream-hex":
            return stream_hex(a)
        return duplex(a, a.mode)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
