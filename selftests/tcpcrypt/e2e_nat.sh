#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tcpcrypt next to conntrack and NAT. The router rewrites both ends of the
# connection: the client (ns1) connects to the router's own address and
# port 47951, which the router forwards to ns2 port 47952 (DNAT), with the
# client's address and port replaced by the router's (SNAT to a port range).
# Both hosts track connections strictly (conntrack, nf_conntrack_tcp_be_liberal
# = 0) and drop every packet conntrack finds invalid, in and out: conntrack
# and NAT must see wire sequence numbers only, so a protected transfer
# still arrives intact, no packet is invalid, both ends list the
# connection (each with the addresses it sees) with the same session ID,
# and no plaintext crosses the router.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

require_cmd nft
e2e_init
e2e_daemon 1
e2e_daemon 2

for ns in "$NS1" "$NS2"; do
	ip netns exec "$ns" nft -f - <<-'NFT' || fail "strict conntrack rules"
	table inet strict {
		chain in {
			type filter hook input priority 0; policy accept;
			ct state invalid counter drop
		}
		chain out {
			type filter hook output priority 0; policy accept;
			ct state invalid counter drop
		}
	}
	NFT
	ip netns exec "$ns" sh -c \
		'echo 0 >/proc/sys/net/netfilter/nf_conntrack_tcp_be_liberal' ||
		fail "nf_conntrack_tcp_be_liberal=0"
done
rt_nft <<NFT || fail "NAT rules on the router"
table ip nat {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		ip daddr $RT1_IP4 tcp dport 47951 dnat to $NS2_IP4:47952
	}
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "rt2" ip saddr $NS1_IP4 meta l4proto tcp snat to $RT2_IP4:40000-40999
	}
}
NFT

pcap=$XFER_DIR/nat.pcap
capture_start "$RT" rt2 "$pcap" 256 tcp port 47952 || fail "tcpdump did not start"
XFER_VIA="$RT1_IP4 47951" xfer_start nat "$NS2" "$NS1" "$NS2_IP4" 47952 \
	$((4 << 20)) --marker "$MARKER" --hold "$(xfer_hold_prefix nat)" --timeout 200

cl='' cr='' sl='' sr=''
if xfer_wait_held nat 200; then
	read -r cl cr <"$(xfer_hold_prefix nat).connect"
	read -r sl sr <"$(xfer_hold_prefix nat).listen"
	check_eq "the client sees the router's address" "${cr%:*}" "$RT1_IP4"
	check_match "the server sees the router's translated address" "$sr" \
		"^$RT2_IP4:40[0-9]{3}\$"
	check_protected_rows "through NAT" "$(tcn_row "$NS1" "$cl" "$cr")" \
		"$(tcn_row "$NS2" "$sl" "$sr")"
else
	fail "through NAT: both ends received all the data and hold the connection open"
fi
xfer_release nat
xfer_finish nat 60
capture_stop
xfer_check_intact nat "through NAT: 4 MiB each way intact"

# invalid NS: packets the strict rules of NS dropped as invalid
invalid() {
	ip netns exec "$1" nft list table inet strict |
		awk '/counter packets/ { for (i = 1; i < NF; i++) if ($i == "packets") n += $(i + 1) } END { print n + 0 }'
}
check_eq "no packet invalid for conntrack at the client" "$(invalid "$NS1")" 0
check_eq "no packet invalid for conntrack at the server" "$(invalid "$NS2")" 0
table=$(pcap_table "$pcap" 47952)
check_eq "option 69 on SYN, SYN-ACK and third ACK after NAT" \
	"$(handshake_eno "$table" "${sr##*:}" 47952)" "1 1 1"
check_marker_absent "through NAT" "$pcap" "$table"
ksft_exit
