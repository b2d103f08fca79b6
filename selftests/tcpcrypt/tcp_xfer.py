#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Checksummed one-shot TCP transfer for the tcpcrypt kselftests.

  tcp_xfer.py server ADDRESS PORT READY_FILE
      accept one connection, read to EOF, answer "<sha256> <bytes>\\n";
      READY_FILE is created once the socket listens.
  tcp_xfer.py client ADDRESS PORT BYTES
      send BYTES random bytes, half-close, check the server's answer.

Exit status 0 when the server received exactly the bytes sent.
"""
import hashlib
import os
import socket
import sys

TIMEOUT = 60


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


def main(argv):
    if len(argv) == 5 and argv[1] == "server":
        return server(argv[2], int(argv[3]), argv[4])
    if len(argv) == 5 and argv[1] == "client":
        return client(argv[2], int(argv[3]), int(argv[4]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
