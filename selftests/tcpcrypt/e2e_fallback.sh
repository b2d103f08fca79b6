#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fallback to plain TCP against a host without tcpcrypt (ns2: the module
# is loaded but no daemon runs there, so it neither offers nor answers
# ENO), with the tcpcrypt host (ns1) as client and as server: the
# connection is plain TCP, the data intact, there is no session ID
# (tcnetstat lists nothing, libtcpcrypt answers ENOENT), and the module
# adds nothing after the SYN exchange: on the wire, option 69 is only on
# ns1's SYN (none at all when ns1 is the server), and the application's
# bytes go out unchanged (the plaintext marker is visible, the byte counts
# and the first payload bytes equal the application's).
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

e2e_init
e2e_daemon 1
check_eq "ns2 has no daemon" "$(ctl_dump "$NS2" daemon_registered)" 0
e2e_fallback 4 client 47101 47102
e2e_fallback 4 server 47103 47104
ksft_exit
