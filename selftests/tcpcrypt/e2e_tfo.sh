#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TCP Fast Open next to tcpcrypt (RFC 8547 section 4.7: a SYN never
# carries both ENO and SYN data). net.ipv4.tcp_fastopen=3 at both ends, the
# daemons running. A first Fast Open connection fetches the server's
# cookie, a second one sends its first bytes in the SYN: both deliver
# their data intact, the second really used Fast Open (the SYN carried
# data, both ends count it), and no SYN on the wire carries both option 69
# and data. Such connections are plain TCP (the module offers no ENO next
# to the Fast Open option); an ordinary connection between the same hosts
# is still protected.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

e2e_init
for ns in "$NS1" "$NS2"; do
	ip netns exec "$ns" sh -c 'echo 3 >/proc/sys/net/ipv4/tcp_fastopen' ||
		fail "net.ipv4.tcp_fastopen=3"
done
e2e_daemon 1
e2e_daemon 2

pcap=$XFER_DIR/tfo.pcap
capture_start "$RT" rt2 "$pcap" 256 tcp portrange 47901-47903 ||
	fail "tcpdump did not start"

# tfo_xfer ID PORT [tcp_xfer options]: 64 KiB each way, both ends checked
# (no plaintext marker: these connections are plain TCP by design, and the
# capture must show the marker nowhere)
tfo_xfer() {
	local id=$1 port=$2
	shift 2
	xfer_start "$id" "$NS2" "$NS1" "$NS2_IP4" "$port" $((64 << 10)) \
		--timeout 60 "$@"
	xfer_finish "$id" 70
}

active0=$(tcp_mib "$NS1" TCPFastOpenActive)
passive0=$(tcp_mib "$NS2" TCPFastOpenPassive)
tfo_xfer cookie 47901 --fastopen
xfer_check_intact cookie "Fast Open, cookie request: 64 KiB each way intact"
tfo_xfer data 47902 --fastopen
xfer_check_intact data "Fast Open with data in the SYN: 64 KiB each way intact"
check_gt "the client counts an active Fast Open" \
	$(($(tcp_mib "$NS1" TCPFastOpenActive) - active0)) 0
check_gt "the server accepted data in a SYN" \
	$(($(tcp_mib "$NS2" TCPFastOpenPassive) - passive0)) 0

# An ordinary connection, held open to read tcnetstat at both ends
cl=
xfer_start plain "$NS2" "$NS1" "$NS2_IP4" 47903 $((64 << 10)) \
	--marker "$MARKER" --hold "$(xfer_hold_prefix plain)" --timeout 120
if xfer_wait_held plain 120; then
	read -r cl cr <"$(xfer_hold_prefix plain).connect"
	check_protected_rows "without Fast Open" \
		"$(tcn_row "$NS1" "$cl" "$cr")" "$(tcn_row "$NS2" "$cr" "$cl")"
else
	fail "without Fast Open: both ends received all the data and hold the connection open"
fi
xfer_release plain
xfer_finish plain 60
xfer_check_intact plain "without Fast Open: 64 KiB each way intact"
capture_stop

# syns PORT CONDITION: client SYNs to PORT matching an awk condition
declare -A table
for port in 47901 47902 47903; do
	table[$port]=$(pcap_table "$pcap" "$port")
done
syns() {
	printf '%s\n' "${table[$1]}" | awk -F'\t' -v s="$1" \
		"\$4 == s && \$5 == 1 && \$6 == 0 && ($2) { n++ } END { print n + 0 }"
}
tfo_opt='("," $14 ",") ~ /,34,/'
eno_opt='("," $14 ",") ~ /,69,/'
check_gt "cookie request: the SYN carries the Fast Open option" \
	"$(syns 47901 "$tfo_opt")" 0
check_gt "second connection: the SYN carries data" "$(syns 47902 '$13 > 0')" 0
for port in 47901 47902 47903; do
	check_eq "port $port: no SYN carries both option 69 and data" \
		"$(syns "$port" "$eno_opt && \$13 > 0")" 0
	check_eq "port $port: no SYN carries both option 69 and the Fast Open option" \
		"$(syns "$port" "$eno_opt && $tfo_opt")" 0
done
check_eq "without Fast Open: option 69 on SYN, SYN-ACK and third ACK" \
	"$(handshake_eno "${table[47903]}" "${cl##*:}" 47903)" "1 1 1"
check_marker_absent "without Fast Open" "$pcap" "${table[47903]}"
ksft_exit
