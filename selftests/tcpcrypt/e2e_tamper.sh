#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An attacker on the router between ns1 and ns2 (both with tcpcryptd):
#  (a) corrupting segments: with netem corrupt (TSO and GSO off at both
#      ends, else a transfer is a few dozen large packets to netem, and
#      the check below needs one corrupted) the TCP checksum fails, the
#      segments are dropped as TCP drops them and retransmitted, and a
#      protected transfer completes intact; flipping one payload byte of the
#      first data segment with a valid checksum (tc pedit + csum, on the
#      packet nftables marks) gives plain TCP wrong data (the control), but
#      makes a protected connection fail: the receiving application gets an
#      error (ECONNRESET...), never EOF, never a wrong byte.
#  (b) ENO stripped from the SYN-ACK (nft reset tcp option 69): plain TCP at
#      both ends, data intact, no session IDs, nothing but the SYN carries
#      option 69.
#  (c) ENO stripped from the third ACK only: both ends agree on plain TCP
#      (ack3_case in lib_e2e.sh, Documentation/design.md): the server
#      falls back as RFC 8547 requires, and its data, sent at once,
#      tells the client, which falls back too; data intact both ways,
#      no session IDs (e2e_kex_stall.sh has a server that waits for the
#      request, e2e_eno_rules.sh a client that never falls back).
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

require_cmd nft tc ethtool
e2e_init
modprobe -q sch_netem
modprobe -q act_pedit
modprobe -q act_csum
modprobe -q cls_fw

# seg_offload on|off: TSO and GSO of both ends
seg_offload() {
	local ns
	for ns in "$NS1" "$NS2"; do
		ip netns exec "$ns" ethtool -K eth0 tso "$1" gso "$1" >/dev/null ||
			fail "ethtool -K eth0 tso $1 gso $1 in $ns"
	done
}

# ---------------------------------------------------------------------------
# (a2) control first, while no daemon runs: plain TCP, same byte flip
flip_setup() { # PORT...
	local ports
	ports=$(echo "$@" | tr ' ' ',')
	rt_reset
	# The first segment from ns1 bigger than any Init message gets mark
	# 0x42 (once per connection: ct mark bit 0). Its TCP header is 32 bytes
	# (timestamps: doff 8, checked), so its payload starts at byte 52: tc
	# flips byte 152 (payload byte 100) and recomputes the TCP checksum.
	rt_nft <<-NFT || return 1
	table inet tamper {
		chain flip {
			type filter hook forward priority 0; policy accept;
			ip saddr $NS1_IP4 tcp dport { $ports } tcp doff 8 ip length > 600 ct mark & 0x1 == 0 ct mark set ct mark | 0x1 meta mark set 0x42 counter
		}
	}
	NFT
	tc -n "$RT" qdisc add dev rt2 clsact &&
		tc -n "$RT" filter add dev rt2 egress protocol ip handle 0x42 fw \
			action pedit munge offset 152 u8 invert pipe action csum tcp
}

# The client sends, the server only receives: the receiving application
# alone sees what becomes of the connection.
if flip_setup 47302 47303; then
	pass "byte flip rules set up on the router (nft mark, tc pedit + csum)"
else
	fail "byte flip rules set up on the router (nft mark, tc pedit + csum)"
fi
log "(a) control: one payload byte flipped, plain TCP"
xfer_start flipc "$NS2" "$NS1" "$NS2_IP4" 47302 $((1 << 20)):0 --timeout 60
xfer_finish flipc 70
check_eq "control: the flip rule marked one segment" "$(nft_packets flip)" 1
check_eq "control: plain TCP hands the flipped byte to the application" \
	"$(xfer_rep flipc listen result) $(xfer_rep flipc listen first_bad)" "mismatch 100"
check_eq "control: with a clean EOF (the checksum was valid)" "$(xfer_rep flipc listen eof)" 1

# ---------------------------------------------------------------------------
e2e_daemon 1
e2e_daemon 2

log "(a) one payload byte of the first data frame flipped, checksum valid"
xfer_start flip "$NS2" "$NS1" "$NS2_IP4" 47303 $((1 << 20)):0 --timeout 60
xfer_finish flip 70
check_eq "flip: the flip rule marked one segment" "$(nft_packets flip)" 2
check_eq "flip: the receiving application gets an error" "$(xfer_rep flip listen result)" error
check_match "flip: a connection error, not a stall" "$(error_kind flip listen)" \
	'^(ECONNRESET|ECONNABORTED|EPIPE|ETIMEDOUT|EPROTO|EBADMSG)$'
check_eq "flip: no EOF at the receiver" "$(xfer_rep flip listen eof)" 0
check_eq "flip: no wrong byte reaches the receiving application" \
	"$(xfer_rep flip listen recv_match)" 1
check_eq "flip: the sending application gets an error too" "$(xfer_rep flip connect result)" error
check_eq "flip: no wrong byte reaches the sending application" \
	"$(xfer_rep flip connect recv_match)" 1

# ---------------------------------------------------------------------------
log "(a) netem corrupt 2% both ways: bad checksums, dropped and retransmitted"
rt_reset
seg_offload off
tc -n "$RT" qdisc add dev rt1 root netem corrupt 2% &&
	tc -n "$RT" qdisc add dev rt2 root netem corrupt 2% ||
	fail "netem corrupt on the router"
retrans=$(($(tcp_mib "$NS1" RetransSegs) + $(tcp_mib "$NS2" RetransSegs)))
xfer_start corrupt "$NS2" "$NS1" "$NS2_IP4" 47301 $((2 << 20)) \
	--marker "$MARKER" --hold "$(xfer_hold_prefix corrupt)" --timeout 240
if xfer_wait_held corrupt 240; then
	read -r cl cr <"$(xfer_hold_prefix corrupt).connect"
	check_protected_rows "corrupt" "$(tcn_row "$NS1" "$cl" "$cr")" "$(tcn_row "$NS2" "$cr" "$cl")"
else
	fail "corrupt: both ends received all the data and hold the connection open"
fi
xfer_release corrupt
xfer_finish corrupt 60
xfer_check_intact corrupt "corrupt: 2 MiB each way intact through netem corrupt"
check_gt "corrupt: segments were retransmitted" \
	$(($(tcp_mib "$NS1" RetransSegs) + $(tcp_mib "$NS2" RetransSegs))) "$retrans"
seg_offload on

# ---------------------------------------------------------------------------
log "(b) ENO stripped from the SYN-ACK"
rt_reset
rt_nft <<NFT || fail "nft rule stripping ENO from SYN-ACKs"
table inet tamper {
	chain synack {
		type filter hook forward priority 0; policy accept;
		ip saddr $NS2_IP4 tcp sport { 47304, 47305 } tcp flags & (syn | ack) == (syn | ack) reset tcp option 69 counter
	}
}
NFT
pcap=$XFER_DIR/synack.pcap
capture_start "$RT" rt1 "$pcap" 256 tcp port 47304 || fail "tcpdump did not start"
xfer_start synack "$NS2" "$NS1" "$NS2_IP4" 47304 $((1 << 20)) \
	--marker "$MARKER" --hold "$(xfer_hold_prefix synack)" --timeout 90
if xfer_wait_held synack 90; then
	read -r cl cr <"$(xfer_hold_prefix synack).connect"
	check_no_rows "SYN-ACK strip" "$(tcn_row "$NS1" "$cl" "$cr")" "$(tcn_row "$NS2" "$cr" "$cl")"
else
	fail "SYN-ACK strip: both ends received all the data and hold the connection open"
fi
xfer_release synack
xfer_finish synack 30
capture_stop
xfer_check_intact synack "SYN-ACK strip: 1 MiB each way intact"
probe_run synackp "$NS2" "$NS1" "$NS2_IP4" 47305 "$CTL2" "$CTL1"
check_eq "SYN-ACK strip: libtcpcrypt probe round trip" "$PROBE_OK" 1
check_eq "SYN-ACK strip: no session ID at the client" "$(probe_sessid synackp client)" "error ENOENT"
check_eq "SYN-ACK strip: no session ID at the server" "$(probe_sessid synackp server)" "error ENOENT"
check_gt "SYN-ACK strip: the rule stripped SYN-ACKs" "$(nft_packets synack)" 0
table=$(pcap_table "$pcap" 47304)
cport=${cl##*:}
check_eq "SYN-ACK strip wire: ENO on the SYN only (SYN, SYN-ACK, ACK)" \
	"$(handshake_eno "$table" "$cport" 47304)" "1 0 0"
check_match "SYN-ACK strip wire: no segment after the SYN carries option 69" \
	"$(eno_segments "$table")" '^[0-9]+:S$'
check_marker_present "SYN-ACK strip wire" "$pcap" "$table"
check_eq "SYN-ACK strip wire: client's bytes unchanged" "$(wire_bytes "$table" "$cport")" $((1 << 20))
check_eq "SYN-ACK strip wire: server's bytes unchanged" "$(wire_bytes "$table" 47304)" $((1 << 20))

# ---------------------------------------------------------------------------
log "(c) ENO stripped from the third ACK only"
ack3_case ack3 47306 $((256 << 10)) "third-ACK strip"
ksft_exit
