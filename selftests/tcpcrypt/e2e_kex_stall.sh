#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ENO stripped from the third ACK only (as in e2e_tamper.sh (c)), with a
# server application that waits for the client's whole request before it
# answers (as HTTP servers do): no data from the server (B) can tell the
# client (A) that B fell back to plain TCP. B's module refuses A's Init1
# instead, its TCP answering with an ACK of A's ISN alone, and A falls
# back too: plain TCP at both ends, the request and nothing else reaching
# the server's application (ack3_case in lib_e2e.sh).
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

require_cmd nft
e2e_init
e2e_daemon 1
e2e_daemon 2
ack3_case stall 47307 $((256 << 10)):0 "third-ACK strip, server waiting for the request"
ksft_exit
