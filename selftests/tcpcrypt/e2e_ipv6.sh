#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The IPv6 versions of e2e_transfer.sh (8 MiB each way) and of
# e2e_fallback.sh (both directions against a host without tcpcrypt).
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

e2e_init
e2e_daemon 1
e2e_daemon 2
e2e_protected 6 $((8 << 20)) 47601 47602

# ns2 becomes a host without tcpcrypt: no daemon, no ENO
stop_daemon "$D2"
check "ns2 without a daemon" wait_until 20 ctl_dump_is "$NS2" daemon_registered 0
e2e_fallback 6 client 47603 47604
e2e_fallback 6 server 47605 47606
ksft_exit
