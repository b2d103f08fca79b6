#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The TCP-ENO rules of RFC 8547 against a hand-made peer (eno_peer.py,
# raw IPv4 socket): the handshake segments it sends are crafted, the
# option bytes the tcpcrypt host answers with are read back raw.
#
# Passive side: tcpcryptd in ns2 behind a real listener, the crafted
# active opener in ns1. A valid SYN gets "45 04 01 23" (b = 1, x25519)
# and, after a third ACK with "45 02", a key-exchange connection; a SYN
# with two ENO options, an ill-formed one, b = 1, or no common TEP gets
# no ENO, and the data sent next reaches the application unchanged; data
# in an ENO SYN is not acknowledged and never reaches the application
# (although the listener takes data in a SYN without a cookie, as a
# control connection without ENO shows); a SYN retransmitted with another
# option 69, or none, gets a SYN-ACK without ENO; a third ACK without ENO
# leaves the connection plain TCP; an Init1 sent regardless is refused
# (an ACK of the ISN alone, nothing delivered) until the fifth resets it;
# a SYN resuming a session no cache holds gets a fresh answer.
#
# Active side: tcpcryptd in ns1 behind a real client, the crafted passive
# opener in ns2. SYN retransmissions carry byte-identical option 69; a
# SYN-ACK naming a TEP the client did not offer, with b = 0, with two ENO
# options, without ENO, or resuming a session the client never offered
# gets a third ACK without option 69 and the
# application's bytes in the clear; a valid one gets exactly "45 02" and
# an Init1.
#
# The kernels of ns1 and ns2 know nothing of the crafted flows: their
# RSTs are dropped (eno_peer.py marks its own segments, those pass).
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

PEER=$SELFTESTS/eno_peer.py
PEER_MARK=0x454e
# Source ports of the crafted client, ports of the crafted server
CRAFT_SPORTS=41000-41099
CRAFT_LPORTS=47430-47449
INIT1_MAGIC=15101a0e
# The ENO answers of the passive side to a SYN offering x25519 (45 03 23)
ENO_SYN=450323
ENO_B_X25519=45040123
# A resumption offer (0xa3: x25519, v = 1) with an identifier half and a
# nonce no cache holds; B answering it with v = 1 (b = 1 first)
ENO_RESUME_UNKNOWN=4514a3$(printf '5a%.0s' $(seq 17))
ENO_B_RESUME_UNKNOWN=451501a3$(printf '5a%.0s' $(seq 17))

# rep_load ARRAY FILE: an eno_peer.py report ("key value" lines) into the
# associative array ARRAY, emptied first (builtins only: forks are slow
# under TCG)
declare -A C S APP
# shellcheck disable=SC2034 # rep_ refers to the caller's array
rep_load() {
	local -n rep_=$1
	local k v
	rep_=()
	[ -r "$2" ] || return 0
	while read -r k v; do
		rep_["$k"]=$v
	done <"$2"
}

# wait_pid PID SECONDS: wait for a background job, SIGKILL after SECONDS
wait_pid() {
	wait_until "$2" sh -c "! kill -0 $1 2>/dev/null" || kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# drop_kernel_rsts NS PORTS: NS's own stack sends no RST from those ports
# (the crafted flows are unknown to it)
drop_kernel_rsts() {
	ip netns exec "$1" nft -f - <<-NFT
	table inet enopeer {
		chain out {
			type filter hook output priority 0; policy accept;
			tcp sport $2 tcp flags & rst == rst meta mark != $PEER_MARK drop
		}
	}
	NFT
}

# --- passive side: the crafted client in ns1 -----------------------------

# apps_start PORT...: the real application in ns2 for the whole passive
# side, one listener on each port; those of passive_syn_data take data in
# a SYN without a cookie. Reports $XFER_DIR/app.PORT.
apps_start() {
	ip netns exec "$NS2" sh -c 'echo 515 >/proc/sys/net/ipv4/tcp_fastopen' ||
		fail "ns2 takes data in a SYN without a cookie (net.ipv4.tcp_fastopen)"
	ip netns exec "$NS2" python3 "$PEER" app-listen "$NS2_IP4" "$XFER_DIR/apps.ready" \
		"$@" --fastopen 47406 --fastopen 47407 --report-dir "$XFER_DIR" \
		--timeout 900 >"$XFER_DIR/apps.out" 2>&1 &
	APPS_PID=$!
	wait_until 30 test -e "$XFER_DIR/apps.ready"
}

# app_load PORT: APP, the report of the application's connection on PORT
app_load() {
	wait_until 40 test -e "$XFER_DIR/app.$1"
	rep_load APP "$XFER_DIR/app.$1"
}

# crafted_client ID SPORT DPORT [eno_peer.py client options]: the crafted
# active opener in ns1, in the background (report $XFER_DIR/ID.client,
# pid CLIENT_PID)
crafted_client() {
	local id=$1 sport=$2 dport=$3
	shift 3
	ip netns exec "$NS1" python3 "$PEER" client "$NS1_IP4" "$sport" \
		"$NS2_IP4" "$dport" --report "$XFER_DIR/$id.client" --timeout 40 \
		"$@" >"$XFER_DIR/$id.client.out" 2>&1 &
	CLIENT_PID=$!
}

# client_done ID: the crafted client's run is over; its summary as a
# comment, its report in C
client_done() {
	wait_pid "$CLIENT_PID" 60
	sed "s/^$1.client:/# $1 crafted client:/" "$XFER_DIR/$1.client.out"
	rep_load C "$XFER_DIR/$1.client"
}

# passive_plain ID SPORT DPORT DESC SYNACK_ENO [client options]: the
# SYN-ACK's option 69 is SYNACK_ENO ("none": no option 69), the connection
# ends up plain TCP: the bytes the crafted client sends after its third
# ACK reach the application unchanged, and ns2 lists no tcpcrypt
# connection for it. With --resyn-opts, the SYN-ACK answering the changed
# SYN carries no option 69.
passive_plain() {
	local id=$1 sport=$2 dport=$3 d=$4 want=$5 data
	shift 5
	data=$(hex_of "ENO-RULES-$id-plain-$MARKER")
	crafted_client "$id" "$sport" "$dport" --data "$data" "$@"
	client_done "$id"
	check_eq "$d: a SYN-ACK came" "${C[synack]:-}" 1
	check_eq "$d: the SYN-ACK's option 69" "${C[synack_eno]:-}" "$want"
	case " $* " in
	*" --resyn-opts "*)
		check_eq "$d: a SYN-ACK answers the changed SYN" "${C[synack2]:-}" 1
		check_eq "$d: it carries no option 69" "${C[synack2_eno]:-}" none
		;;
	esac
	check_eq "$d: the connection carried the data and closed" \
		"${C[result]:-}" ok
	app_load "$dport"
	check_eq "$d: the application received the bytes sent, unchanged" \
		"${APP[recv]:-}" "$data"
	check_eq "$d: no tcpcrypt connection listed in ns2" "$(tcn_live "$NS2" "$dport")" ""
}

# row_state_is DPORT SPORT STATE: ns2's row of the crafted connection
# is in STATE (for wait_until)
# shellcheck disable=SC2317
row_state_is() {
	[ "$(tcn_field "$(tcn_row "$NS2" "$NS2_IP4:$1" "$NS1_IP4:$2")" 7)" = "$3" ]
}

# passive_row DESC DPORT SPORT STATE: ns2 lists the crafted connection as
# B, x25519, STATE
passive_row() {
	local row
	wait_until 10 row_state_is "$2" "$3" "$4"
	row=$(tcn_row "$NS2" "$NS2_IP4:$2" "$NS1_IP4:$3")
	log "$1: ns2 lists ${row:-nothing}"
	check_eq "$1: ns2 lists it as B, x25519, $4" \
		"$(tcn_field "$row" 4) $(tcn_field "$row" 5) $(tcn_field "$row" 7)" \
		"B x25519 $4"
}

# The third ACK without ENO, then an Init1 regardless, once a second: a
# switched-on A that does not fall back (this module's A does, e2e_tamper).
# Each Init1 is refused: answered with an empty ACK of the ISN alone, never
# acknowledged, never delivered; the fifth resets the connection.
passive_refused() {
	local d="third ACK without ENO, then an Init1 regardless"
	crafted_client p9 41011 47411 --syn-opts $ENO_SYN --init1 8
	client_done p9
	check_eq "$d: the SYN-ACK's option 69" "${C[synack_eno]:-}" $ENO_B_X25519
	check_eq "$d: 4 Init1 refused, each with an ACK of the ISN alone" \
		"${C[init1_isn_acks]:-} ${C[init1_acked]:-}" "4 0"
	check_eq "$d: the 5th Init1 gets a RST" "${C[reset_after]:-}" 5
	app_load 47411
	check_eq "$d: the application received none of it" "${APP[recv]:-}" none
	check_eq "$d: the application gets an error, not EOF" "${APP[result]:-}" error
}

# A valid SYN: the answer; the negotiating and key-exchange states
passive_valid() {
	local id=p1 sport=41001 dport=47401 d="valid ENO SYN" pause
	pause=$XFER_DIR/$id.pause
	crafted_client "$id" "$sport" "$dport" --syn-opts $ENO_SYN --ack-opts 4502 \
		--pause "$pause"
	if wait_until 30 test -e "$pause.synack"; then
		passive_row "$d, after the SYN-ACK" "$dport" "$sport" negotiating
	else
		fail "$d: the crafted client got a SYN-ACK"
	fi
	touch "$pause.synack.go"
	if wait_until 30 test -e "$pause.ack"; then
		passive_row "$d, after a third ACK with 45 02" "$dport" "$sport" key-exchange
	else
		fail "$d: the crafted client sent its third ACK"
	fi
	touch "$pause.ack.go"
	client_done "$id"
	check_eq "$d: the SYN-ACK's option 69 (b = 1, TEP 0x23)" \
		"${C[synack_eno]:-}" $ENO_B_X25519
	check_eq "$d: the SYN-ACK acknowledges the ISN" "${C[synack_ackoff]:-}" 1
}

# Data in an ENO SYN is discarded. The listener takes data in a SYN
# without a cookie (TFO): the control connection without ENO has its SYN
# data acknowledged and delivered; with ENO, the SYN-ACK acknowledges only
# the ISN, and the application gets only what comes after the handshake.
passive_syn_data() {
	local d="SYN data" syn data
	syn=$(hex_of "ENO-RULES-SYN-DATA-$MARKER")
	data=$(hex_of "ENO-RULES-after-the-handshake-$MARKER")

	crafted_client p6c 41006 47406 --syn-data "$syn" --data "$data"
	client_done p6c
	check_eq "control, SYN data without ENO: the SYN-ACK acknowledges it" \
		"${C[synack_ackoff]:-}" $((1 + ${#syn} / 2))
	app_load 47406
	check_eq "control, SYN data without ENO: the application gets it" \
		"${APP[recv]:-}" "$syn$data"

	crafted_client p6 41007 47407 --syn-opts $ENO_SYN --syn-data "$syn" \
		--data "$data"
	client_done p6
	log "$d with ENO: the SYN-ACK's option 69: ${C[synack_eno]:-}"
	check_eq "$d with ENO: a SYN-ACK came" "${C[synack]:-}" 1
	check_eq "$d with ENO: the SYN-ACK acknowledges only the ISN" \
		"${C[synack_ackoff]:-}" 1
	check_eq "$d with ENO: the connection carried the later data and closed" \
		"${C[result]:-}" ok
	app_load 47407
	check_eq "$d with ENO: the application never gets the SYN's data" \
		"${APP[recv]:-}" "$data"
}

# --- active side: the crafted server in ns2 --------------------------------

# servers_start SPEC...: the crafted passive openers in ns2 for the whole
# active side (eno_peer.py server); reports $XFER_DIR/server.PORT
servers_start() {
	ip netns exec "$NS2" python3 "$PEER" server "$NS2_IP4" "$NS1_IP4" \
		"$XFER_DIR/servers.ready" "$@" --report-dir "$XFER_DIR" --timeout 900 \
		>"$XFER_DIR/servers.out" 2>&1 &
	SERVERS_PID=$!
	wait_until 30 test -e "$XFER_DIR/servers.ready"
}

# active_connect ID PORT MESSAGE_HEX: the real client in ns1 connects to
# the crafted server on PORT and sends the message; its report in APP,
# the crafted server's in S
active_connect() {
	local id=$1 port=$2
	ip netns exec "$NS1" python3 "$PEER" app-connect "$NS2_IP4" "$port" "$3" \
		--report "$XFER_DIR/$id.app" --timeout 40 >"$XFER_DIR/$id.app.out" 2>&1
	sed "s/^$id.app:/# $id application:/" "$XFER_DIR/$id.app.out"
	rep_load APP "$XFER_DIR/$id.app"
	wait_until 40 test -e "$XFER_DIR/server.$port"
	sed -n "s/^server.$port:/# $id crafted server:/p" "$XFER_DIR/servers.out"
	rep_load S "$XFER_DIR/server.$port"
}

# The first two SYNs unanswered, then a valid SYN-ACK
active_valid() {
	local id=a9 port=47431 d="SYN retransmissions" i first
	active_connect "$id" "$port" "$(hex_of "ENO-RULES-$id-$MARKER")"
	check_eq "$d: the crafted server saw three SYNs" "${S[syns]:-}" 3
	first=${S[syn1_eno]:-}
	log "$d: the first SYN's option 69: $first"
	check_match "$d: the first SYN carries one SYN-form option 69 offering x25519" \
		"$first" '^45[0-9a-f]{2}([0-9a-f]{2})*23([0-9a-f]{2})*$'
	for i in 2 3; do
		check_eq "$d: SYN $i has the ISN of the first" \
			"${S[syn${i}_isn]:-}" "${S[syn1_isn]:-}"
		check_eq "$d: SYN $i carries the option 69 bytes of the first" \
			"${S[syn${i}_eno]:-}" "$first"
	done
	d="valid ENO SYN-ACK"
	check_eq "$d: the client's third ACK came" "${S[ack3]:-}" 1
	check_eq "$d: the third ACK's option 69 is exactly 45 02" \
		"${S[ack3_eno]:-}" 4502
	check_match "$d: the client's first data is an Init1" \
		"${S[payload]:-}" "^$INIT1_MAGIC"
}

# active_plain ID PORT DESC: a SYN-ACK the client must not take ENO from
# (servers_start gave PORT its options): plain TCP
active_plain() {
	local id=$1 port=$2 d=$3 msg
	msg=$(hex_of "ENO-RULES-$id-plain-$MARKER")
	active_connect "$id" "$port" "$msg"
	check_eq "$d: the client's third ACK came" "${S[ack3]:-}" 1
	check_eq "$d: the third ACK carries no option 69" "${S[ack3_eno]:-}" none
	check_eq "$d: no segment after the SYN carries option 69" \
		"${S[nonsyn_eno]:-}" 0
	check_eq "$d: the crafted server received the application's bytes in the clear" \
		"${S[payload]:-}" "$msg"
	check_eq "$d: the connection closed cleanly at the crafted server" \
		"${S[result]:-}" ok
	check_eq "$d: the client application saw a clean close" \
		"${APP[result]:-}" ok
	check_eq "$d: no tcpcrypt connection listed in ns1" "$(tcn_live "$NS1" "$port")" ""
}

e2e_init
require_cmd nft

log "passive side: tcpcryptd in ns2, the crafted client in ns1"
e2e_daemon 2
check_eq "ns1 has no daemon (its module adds no ENO to crafted SYNs)" \
	"$(ctl_dump "$NS1" daemon_registered)" 0
drop_kernel_rsts "$NS1" "$CRAFT_SPORTS" || fail "nft rule in ns1"
apps_start 47401 47402 47403 47404 47405 47406 47407 47408 47409 47410 47411 47412 ||
	fail "the application in ns2 listens: $(cat "$XFER_DIR/apps.out")"

passive_valid
passive_plain p2 41002 47402 "two ENO options in the SYN" none \
	--syn-opts $ENO_SYN$ENO_SYN
passive_plain p3 41003 47403 "ill-formed ENO (suboption data past the option)" none \
	--syn-opts 45052385a3
passive_plain p4 41004 47404 "ENO with b = 1 (same as B)" none \
	--syn-opts 45040123
passive_plain p5 41005 47405 "ENO offering only TEP 0x7e" none \
	--syn-opts 45037e
passive_syn_data
passive_plain p7 41009 47409 "SYN retransmitted with another option 69" \
	$ENO_B_X25519 --syn-opts $ENO_SYN --resyn-opts 45042123
passive_plain p7b 41010 47410 "SYN retransmitted without ENO" \
	$ENO_B_X25519 --syn-opts $ENO_SYN --resyn-opts ""
passive_plain p8 41008 47408 "third ACK without ENO" \
	$ENO_B_X25519 --syn-opts $ENO_SYN
passive_refused
passive_plain p10 41012 47412 "SYN resuming a session the server never had" \
	$ENO_B_X25519 --syn-opts $ENO_RESUME_UNKNOWN
wait_pid "$APPS_PID" 0

log "active side: tcpcryptd in ns1, the crafted server in ns2"
stop_daemon "$D2"
e2e_daemon 1
check_eq "ns2 has no daemon (its module answers no ENO)" \
	"$(ctl_dump "$NS2" daemon_registered)" 0
drop_kernel_rsts "$NS2" "$CRAFT_LPORTS" || fail "nft rule in ns2"
servers_start 47431,2,$ENO_B_X25519,reset 47432,0,4504017e,fin \
	47433,0,45040023,fin 47434,0,,fin 47435,0,$ENO_B_X25519$ENO_B_X25519,fin \
	47436,0,$ENO_B_RESUME_UNKNOWN,fin ||
	fail "the crafted server in ns2 listens: $(cat "$XFER_DIR/servers.out")"

active_valid
active_plain a10 47432 "SYN-ACK naming a TEP not offered"
active_plain a11 47433 "SYN-ACK with b = 0"
active_plain a12 47434 "SYN-ACK without ENO"
active_plain a12b 47435 "SYN-ACK with two ENO options"
active_plain a13 47436 "SYN-ACK resuming a session never offered"
wait_pid "$SERVERS_PID" 0

for ns in "$NS1" "$NS2"; do
	log "counters of $ns: $(ns_exec "$ns" "$BIN/tcpcryptctl" show dump 2>/dev/null |
		awk '/^(eno|fallback|syn)_/ { printf "%s=%s ", $1, $2 }')"
done
ksft_exit
