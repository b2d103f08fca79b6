#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A key exchange that cannot finish must not hang both ends. The router
# strips ENO from the third ACK only (as e2e_tamper.sh (c) does), so the
# server (B) falls back to plain TCP while the client (A) switched
# encryption on and sends Init1; but here the server application waits for
# the client's whole request before it answers (as HTTP servers do), so no
# data from B ever tells A that B is plain. Both ends must still fail
# before the applications give up (75 s): B's module recognises A's Init1
# (it carries ENO, and Init1's magic) and resets the connection at both
# ends before the server's application sees a byte of it; neither end may
# keep the connection listed as live afterwards.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

require_cmd nft
e2e_init
e2e_daemon 1
e2e_daemon 2
ack3_case stall 47307 $((256 << 10)):0 "third-ACK strip, server waiting for the request"
ksft_exit
