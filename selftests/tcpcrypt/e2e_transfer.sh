#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A protected connection end to end: two hosts (ns1, ns2) with a router
# between them and a tcpcryptd each. 64 MiB each way arrive intact (every
# byte checked, SHA-256 equal at both ends); while the connection is open,
# tcnetstat at both ends lists it, encrypting, with the same session ID,
# and libtcpcrypt gives both ends of a connection that same ID; on the
# wire (tcpdump on the router, tshark), option 69 is on the SYN, SYN-ACK
# and third ACK, and the plaintext marker the data carries every 128 bytes
# never appears.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

e2e_init
e2e_daemon 1
e2e_daemon 2
e2e_protected 4 $((64 << 20)) 47001 47002
ksft_exit
