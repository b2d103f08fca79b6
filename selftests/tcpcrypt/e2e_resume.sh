#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Session resumption (RFC 8548 section 3.5) between ns1 and ns2, both with
# tcpcryptd:
#  - a first connection runs a fresh key exchange; the next one between
#    the same hosts resumes from the cached secret: session ID byte 0x80 |
#    TEP, the same at both ends and new each time, no request to either
#    daemon, the SYN and SYN-ACK carrying the resumption suboptions
#    (TEP | 0x80, a 9-byte identifier half, an 8-byte nonce) and no Init
#    message on the wire, 1 MiB each way intact, no plaintext;
#  - the chain moves on: a third connection resumes with another session
#    ID; the host that was B resumes too when it connects (ns2 -> ns1);
#  - a short request with the third ACK lost: the request frame reaches
#    the server before its keys, waits for them and is delivered, never
#    sent twice;
#  - IPv6 resumes the same way;
#  - tcpcryptctl sessions flush: a host that forgot answers a resumption
#    offer with a fresh exchange; one that forgot offers none;
#  - ENO stripped from the third ACK of a resumed connection: the server
#    falls back, the client cannot (it sends frames at once), so both are
#    reset at the client's first data segment, no frame delivered as data;
#  - with the module parameter resume=0, a fresh exchange again.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

# rx_conn ID SNS CNS SADDR PORT DESC fresh|resumed: 1 MiB each way from
# CNS to SNS:PORT, held open while tcnetstat shows both rows; sets ROW_SID
rx_conn() {
	local id=$1 sns=$2 cns=$3 saddr=$4 port=$5 d=$6 mode=$7 cl cr
	ROW_SID=
	xfer_start "$id" "$sns" "$cns" "$saddr" "$port" $((1 << 20)) \
		--marker "$MARKER" --hold "$(xfer_hold_prefix "$id")" --timeout 90
	if xfer_wait_held "$id" 90; then
		read -r cl cr <"$(xfer_hold_prefix "$id").connect"
		check_protected_rows "$d" "$(tcn_row "$cns" "$cl" "$cr")" \
			"$(tcn_row "$sns" "$cr" "$cl")" x25519 aes128gcm "$mode"
	else
		fail "$d: both ends received all the data and hold the connection open"
	fi
	xfer_release "$id"
	xfer_finish "$id" 30
	xfer_check_intact "$id" "$d: 1 MiB each way intact"
}

# flushed_conn NS_FLUSHED PORT DESC: tcpcryptctl sessions flush in
# NS_FLUSHED, then a captured fresh connection ns1 -> ns2:PORT; sets
# SYN_ENO and SYNACK_ENO (pcap_eno.py) of its handshake
flushed_conn() {
	local pcap=$XFER_DIR/flush$2.pcap
	ns_exec "$1" "$BIN/tcpcryptctl" sessions flush ||
		fail "$3: tcpcryptctl sessions flush"
	check_eq "$3: the flushed host caches nothing" "$(counter "$1" sessions_cached)" 0
	capture_start "$RT" rt2 "$pcap" 256 tcp port "$2" ||
		fail "tcpdump did not start: $(cat "$pcap.log")"
	rx_conn "fl$2" "$NS2" "$NS1" "$NS2_IP4" "$2" "$3: a fresh exchange" fresh
	capture_stop
	SYN_ENO=$(python3 "$SELFTESTS/pcap_eno.py" "$pcap" syn)
	SYNACK_ENO=$(python3 "$SELFTESTS/pcap_eno.py" "$pcap" synack)
}

require_cmd nft
resume_init

log "a fresh exchange, then resumption"
rx_conn fresh "$NS2" "$NS1" "$NS2_IP4" 47501 "fresh" fresh
sid_fresh=$ROW_SID
kex1=$(counter "$NS1" kex_requests)
kex2=$(counter "$NS2" kex_requests)
res1=$(counter "$NS1" sessions_resumed)
res2=$(counter "$NS2" sessions_resumed)

pcap=$XFER_DIR/resume.pcap
capture_start "$RT" rt2 "$pcap" 256 tcp port 47502 ||
	fail "tcpdump did not start: $(cat "$pcap.log")"
rx_conn res1 "$NS2" "$NS1" "$NS2_IP4" 47502 "resumed" resumed
sid_r1=$ROW_SID
capture_stop
check_eq "resumed: no key exchange request to either daemon" \
	"$(counter "$NS1" kex_requests) $(counter "$NS2" kex_requests)" "$kex1 $kex2"
check_eq "resumed: counted as resumed at both ends" \
	"$(($(counter "$NS1" sessions_resumed) - res1)) $(($(counter "$NS2" sessions_resumed) - res2))" "1 1"
if [ -n "$sid_r1" ] && [ "$sid_r1" != "$sid_fresh" ]; then
	pass "resumed: a session ID of its own"
else
	fail "resumed: a session ID of its own ('$sid_fresh', then '$sid_r1')"
fi

table=$(pcap_table "$pcap" 47502)
cport=$(printf '%s\n' "$table" | awk -F'\t' '$4 == 47502 { print $3; exit }')
# the option 69 bytes of the first SYN and SYN-ACK, from the raw capture
syn_eno=$(python3 "$SELFTESTS/pcap_eno.py" "$pcap" syn)
synack_eno=$(python3 "$SELFTESTS/pcap_eno.py" "$pcap" synack)
log "resumed wire: SYN option 69 '$syn_eno', SYN-ACK option 69 '$synack_eno'"
check_match "resumed wire: the SYN offers resumption (a3, half, 8-byte nonce)" \
	"$syn_eno" '^4514a3[0-9a-f]{34}$'
check_match "resumed wire: the SYN-ACK resumes (b = 1, a3, half, nonce)" \
	"$synack_eno" '^451501a3[0-9a-f]{34}$'
for side in "$cport" 47502; do
	first=$(first_payload "$table" "$side" | cut -c1-8)
	case $first in
	15101a0e | 097105e0 | "")
		fail "resumed wire: port $side's stream starts with a frame, no Init ('$first')"
		;;
	*)
		pass "resumed wire: port $side's stream starts with a frame, no Init"
		;;
	esac
done
check_marker_absent "resumed wire" "$pcap" "$table"

log "the chain moves on"
rx_conn res2 "$NS2" "$NS1" "$NS2_IP4" 47503 "resumed again" resumed
sid_r2=$ROW_SID
if [ -n "$sid_r2" ] && [ "$sid_r2" != "$sid_r1" ] && [ "$sid_r2" != "$sid_fresh" ]; then
	pass "resumed again: another session ID"
else
	fail "resumed again: another session ID ('$sid_r1', then '$sid_r2')"
fi

log "a short request, the server waiting for it, the third ACK lost"
# Resumed, the client's request frame can reach the server before the
# server's keys are in; with the third ACK lost it always does (it is the
# server's first ACK, which switches encryption on). Held, it is opened
# once the keys are in, not when the client sends it again after a
# retransmission timeout.
rt_nft <<-NFT || fail "nft rule dropping the third ACK"
table inet tamper {
	chain ack3 {
		type filter hook forward priority 0; policy accept;
		ip saddr $NS1_IP4 tcp dport 47511 tcp flags & (syn | ack | fin | rst | psh) == ack ct mark & 0x4 == 0 ct mark set ct mark | 0x4 counter drop
	}
}
NFT
# No tail loss probe and a 5 s RTO at the client: a slow work item in
# the guest must not pass for the retransmission the hold avoids.
ip netns exec "$NS1" sysctl -qw net.ipv4.tcp_early_retrans=0 &&
	ip -n "$NS1" route change default via $RT1_IP4 rto_min 5s ||
	fail "request: no TLP, rto_min 5s at the client"
pcap=$XFER_DIR/req.pcap
capture_start "$RT" rt2 "$pcap" 256 tcp port 47511 ||
	fail "tcpdump did not start: $(cat "$pcap.log")"
res2=$(counter "$NS2" sessions_resumed)
xfer_start req "$NS2" "$NS1" "$NS2_IP4" 47511 256:0 \
	--marker "$MARKER" --hold "$(xfer_hold_prefix req)" --timeout 90
xfer_wait_held req 90 || fail "request: the server received it"
xfer_release req
xfer_finish req 30
capture_stop
xfer_check_intact req "request: 256 bytes intact"
check_eq "request: the router dropped the third ACK" "$(nft_packets ack3)" 1
ip netns exec "$RT" nft flush ruleset
ip netns exec "$NS1" sysctl -qw net.ipv4.tcp_early_retrans=3
ip -n "$NS1" route change default via $RT1_IP4
check_eq "request: the session was resumed" \
	$(($(counter "$NS2" sessions_resumed) - res2)) 1
table=$(pcap_table "$pcap" 47511)
cport=$(printf '%s\n' "$table" | awk -F'\t' '$4 == 47511 { print $3; exit }')
check_eq "request: the client sent it once (no retransmission)" \
	"$(printf '%s\n' "$table" | awk -F'\t' -v p="$cport" '$3 == p && $12 == 1 && $13 > 0' | wc -l)" 1

log "the host that was B connects: it resumes too"
rx_conn rev "$NS1" "$NS2" "$NS1_IP4" 47504 "ns2 -> ns1, resumed" resumed

log "IPv6"
rx_conn v6a "$NS2" "$NS1" "$NS2_IP6" 47505 "IPv6 (first)" fresh
rx_conn v6b "$NS2" "$NS1" "$NS2_IP6" 47506 "IPv6, resumed" resumed

log "tcpcryptctl sessions flush"
check_gt "ns1 caches a session secret" "$(counter "$NS1" sessions_cached)" 0
check_gt "ns2 caches a session secret" "$(counter "$NS2" sessions_cached)" 0
# ns2 forgets: ns1 still offers resumption, ns2 answers with a fresh exchange
flushed_conn "$NS2" 47509 "ns2 flushed"
check_match "ns2 flushed: ns1 offered resumption" "$SYN_ENO" '^4514a3'
check_eq "ns2 flushed: ns2 answered with a fresh exchange (b = 1, 0x23)" \
	"$SYNACK_ENO" 45040123
# ns1 forgets: it offers no resumption, the exchange is fresh again
flushed_conn "$NS1" 47510 "ns1 flushed"
check_match "ns1 flushed: its SYN offers no resumption" "$SYN_ENO" \
	'^45[0-9a-f]{2}(2[0-9a-f])+$'

log "ENO stripped from the third ACK of a resumed connection"
# The server falls back (RFC 8547 section 4.6); the client resumed and sends
# frames at once, so it cannot fall back: the server resets the connection
# at its first data segment, and neither application gets a foreign byte.
res1=$(counter "$NS1" sessions_resumed)
res2=$(counter "$NS2" sessions_resumed)
rt_nft <<-NFT || fail "nft rule stripping ENO from the third ACK"
table inet tamper {
	chain ack3 {
		type filter hook forward priority 0; policy accept;
		ip saddr $NS1_IP4 tcp dport 47508 tcp flags & (syn | ack | fin | rst) == ack ct mark & 0x2 == 0 ct mark set ct mark | 0x2 reset tcp option 69 counter
	}
}
NFT
xfer_start ack3r "$NS2" "$NS1" "$NS2_IP4" 47508 $((256 << 10)):0 \
	--marker "$MARKER" --timeout 60
xfer_finish ack3r 70
check_eq "resumed, third ACK stripped: the rule stripped one ACK" \
	"$(nft_packets ack3)" 1
check_eq "resumed, third ACK stripped: the client resumed, the server fell back" \
	"$(($(counter "$NS1" sessions_resumed) - res1)) $(($(counter "$NS2" sessions_resumed) - res2))" "1 0"
check_eq "resumed, third ACK stripped: both applications get an error" \
	"$(xfer_rep ack3r listen result) $(xfer_rep ack3r connect result)" "error error"
check_match "resumed, third ACK stripped: a reset, not a time-out" \
	"$(error_kind ack3r listen) $(error_kind ack3r connect)" '^(ECONNRESET|ENOTCONN) (ECONNRESET|EPIPE)$'
check_eq "resumed, third ACK stripped: the server application received nothing" \
	"$(xfer_rep ack3r listen recv_bytes)" 0
ip netns exec "$RT" nft flush ruleset

log "resume=0: a fresh key exchange"
echo 0 >"$RESUME_PARAM"
kex1=$(counter "$NS1" kex_requests)
rx_conn off "$NS2" "$NS1" "$NS2_IP4" 47507 "resume=0" fresh
check_gt "resume=0: the daemon ran a key exchange" \
	$(($(counter "$NS1" kex_requests) - kex1)) 0
echo 1 >"$RESUME_PARAM"
ksft_exit
