#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# GRO on input: the veths into both hosts aggregate received segments
# (ethtool -K gro on turns on a veth's NAPI), so the data path's LOCAL_IN
# hook gets skbs holding several wire segments, frames split across them.
# A protected transfer in both directions arrives intact, and a capture on
# the receiving host's own interface shows skbs longer than one segment
# (GRO really aggregated what the module then took apart).
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

GRO=${GRO:-on} # "off": the control, where the last check must fail
require_cmd ethtool
e2e_init
# Segments leave every device at wire size (no TSO/GSO anywhere, no GRO
# on the router): only the hosts' own GRO can make them longer.
for dev in rt1 rt2; do
	ip netns exec "$RT" ethtool -K "$dev" tso off gso off gro off >/dev/null ||
		fail "offloads off on the router's $dev"
done
for ns in "$NS1" "$NS2"; do
	ip netns exec "$ns" ethtool -K eth0 tso off gso off gro "$GRO" >/dev/null ||
		fail "GRO $GRO on eth0"
done
e2e_daemon 1
e2e_daemon 2

pcap=$XFER_DIR/gro.pcap
capture_start "$NS2" eth0 "$pcap" 96 tcp port 47981 || fail "tcpdump did not start"
xfer_start gro "$NS2" "$NS1" "$NS2_IP4" 47981 $((16 << 20)) --marker "$MARKER" \
	--hold "$(xfer_hold_prefix gro)" --timeout 200
if xfer_wait_held gro 200; then
	read -r cl cr <"$(xfer_hold_prefix gro).connect"
	check_protected_rows "GRO" "$(tcn_row "$NS1" "$cl" "$cr")" "$(tcn_row "$NS2" "$cr" "$cl")"
else
	fail "GRO: both ends received all the data and hold the connection open"
fi
xfer_release gro
xfer_finish gro 60
capture_stop
xfer_check_intact gro "GRO: 16 MiB each way intact"

# the longest TCP payload ns2 received in one skb, against the segment size
# (1448 bytes: MSS 1460 less the timestamp option)
longest=$(timeout 120 tshark -r "$pcap" -n -Y "tcp.dstport == 47981" -T fields -e tcp.len |
	sort -n | tail -n 1)
check_gt "GRO: ns2 received skbs of more than one 1500-byte segment" "${longest:-0}" 1448
ksft_exit
