#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ECN through the module: net.ipv4.tcp_ecn=1 at both ends, and the router
# marks CE on every 8th ECN-capable segment towards ns2, as an AQM router
# marks instead of dropping (nftables, deterministic: a random netem loss
# can miss a transfer that TSO sends in few large segments). A protected
# transfer arrives intact; on the wire the SYN carries ECE and CWR and the
# SYN-ACK ECE (ECN negotiated) next to option 69, data segments are ECT,
# some arrive CE, the receiver echoes ECE and the sender answers with CWR.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

require_cmd nft
e2e_init
for ns in "$NS1" "$NS2"; do
	ip netns exec "$ns" sh -c 'echo 1 >/proc/sys/net/ipv4/tcp_ecn' ||
		fail "net.ipv4.tcp_ecn=1"
done
e2e_daemon 1
e2e_daemon 2
rt_nft <<NFT || fail "nft rule marking CE"
table inet ecnmark {
	chain ce {
		type filter hook forward priority 0; policy accept;
		ip saddr $NS1_IP4 tcp dport 47801 ip ecn { ect0, ect1 } numgen inc mod 8 == 0 ip ecn set ce counter
	}
}
NFT

pcap=$XFER_DIR/ecn.pcap
capture_start "$RT" rt2 "$pcap" 256 tcp port 47801 || fail "tcpdump did not start"
xfer_start ecn "$NS2" "$NS1" "$NS2_IP4" 47801 $((4 << 20)) --marker "$MARKER" \
	--hold "$(xfer_hold_prefix ecn)" --timeout 200
if xfer_wait_held ecn 200; then
	read -r cl cr <"$(xfer_hold_prefix ecn).connect"
	check_protected_rows "ECN" "$(tcn_row "$NS1" "$cl" "$cr")" "$(tcn_row "$NS2" "$cr" "$cl")"
else
	fail "ECN: both ends received all the data and hold the connection open"
fi
xfer_release ecn
xfer_finish ecn 60
capture_stop
xfer_check_intact ecn "ECN: 4 MiB each way intact"

table=$(pcap_table "$pcap" 47801)
cport=${cl##*:}
# count CONDITION: segments of the table matching an awk condition
count() {
	printf '%s\n' "$table" | awk -F'\t' -v c="$cport" -v s=47801 "$1 { n++ } END { print n + 0 }"
}
check_eq "SYN: ECE and CWR set (ECN setup)" \
	"$(count '$3 == c && $5 == 1 && $6 == 0 && $9 == 1 && $10 == 1')" 1
check_gt "SYN-ACK: ECE set, CWR clear (ECN accepted)" \
	"$(count '$3 == s && $5 == 1 && $6 == 1 && $9 == 1 && $10 == 0')" 0
check_eq "option 69 on SYN, SYN-ACK and third ACK" "$(handshake_eno "$table" "$cport" 47801)" "1 1 1"
check_gt "client data segments are ECN-capable" "$(count '$3 == c && $13 > 0 && $11 != 0')" 0
check_gt "some of them arrive CE-marked" "$(count '$3 == c && $13 > 0 && $11 == 3')" 0
check_gt "the server echoes ECE" "$(count '$3 == s && $5 == 0 && $9 == 1')" 0
check_gt "the client answers with CWR" "$(count '$3 == c && $5 == 0 && $10 == 1')" 0
check_marker_absent "ECN wire" "$pcap" "$table"
ksft_exit
