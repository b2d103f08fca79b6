#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Forged RSTs against a protected connection (RFC 5961 section 3.2, which
# the module keeps across its two sequence spaces). The router, playing a
# blind attacker, sends the server (ns2) RSTs that claim to come from the
# client while the connection idles (both ends hold it open): at a
# sequence number in the window but not the exact next one, below it, far
# above it, and with ACK set. None may reset the connection: the server
# answers the in-window one with a challenge ACK, the connection is still
# listed encrypting, and once released both ends finish with an EOF and
# intact data. The control: a RST at exactly the client's next wire
# sequence number (what a genuine peer sends) resets a second connection,
# and its server application gets the error.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

e2e_init
e2e_daemon 1
e2e_daemon 2

# held ID PORT: a protected connection, 256 KiB each way, held open;
# sets CL (client address:port). Its capture on rt2 is $XFER_DIR/ID.pcap.
held() {
	local id=$1 port=$2
	CL=
	capture_start "$RT" rt2 "$XFER_DIR/$id.pcap" 128 tcp port "$port" ||
		fail "$id: tcpdump did not start"
	xfer_start "$id" "$NS2" "$NS1" "$NS2_IP4" "$port" $((256 << 10)) \
		--marker "$MARKER" --hold "$(xfer_hold_prefix "$id")" --timeout 200
	if ! xfer_wait_held "$id" 200; then
		fail "$id: both ends received all the data and hold the connection open"
		capture_stop
		return 1
	fi
	read -r CL _ <"$(xfer_hold_prefix "$id").connect"
	sleep 1 # the last ACKs
	capture_stop
}

# next_seq ID PORT: the client's next wire sequence number (absolute)
next_seq() {
	timeout 120 tshark -r "$XFER_DIR/$1.pcap" -n -o tcp.relative_sequence_numbers:FALSE \
		-Y "tcp.dstport == $2" -T fields -e tcp.seq -e tcp.len -e tcp.flags.syn |
		awk '{ e = $1 + $2 + $3; if (e >= 4294967296) e -= 4294967296
		       if (n++ == 0 || (e - m + 4294967296) % 4294967296 < 2147483648) m = e }
		     END { printf "%.0f\n", m }'
}

# forge PORT SEQ [tcp_inject options]: a segment "from the client" to ns2
forge() {
	local port=$1 seq=$2
	shift 2
	ip netns exec "$RT" python3 "$SELFTESTS/tcp_inject.py" \
		"$NS1_IP4" "${CL##*:}" "$NS2_IP4" "$port" "$seq" "$@"
}

log "forged RSTs at wrong sequence numbers"
if held forged 47961; then
	nxt=$(next_seq forged 47961)
	check_match "the client's next sequence number is known" "$nxt" '^[0-9]+$'
	challenge0=$(tcp_mib "$NS2" TCPChallengeACK)
	forge 47961 $((nxt + 1000))
	forge 47961 $((nxt - 3000))
	forge 47961 $((nxt + (1 << 30)))
	forge 47961 $((nxt + 7)) --flags RA --ack 12345
	sleep 1
	check_gt "the server answered the in-window RST with a challenge ACK" \
		$(($(tcp_mib "$NS2" TCPChallengeACK) - challenge0)) 0
	read -r sl sr <"$(xfer_hold_prefix forged).listen"
	check_eq "the server still lists the connection encrypting" \
		"$(tcn_field "$(tcn_row "$NS2" "$sl" "$sr")" 7)" encrypting
fi
xfer_release forged
xfer_finish forged 60
xfer_check_intact forged "forged RSTs: 256 KiB each way intact"
check_eq "forged RSTs: the server application got the client's EOF" \
	"$(xfer_rep forged listen eof)" 1

log "control: a RST at the exact next sequence number"
if held exact 47962; then
	forge 47962 "$(next_seq exact 47962)"
	sleep 1
fi
xfer_release exact
xfer_finish exact 60
check_eq "exact RST: the server application gets an error" \
	"$(xfer_rep exact listen result)" error
# the reset socket fails its next call: the hold's shutdown() or a read
check_match "exact RST: ... that the connection is gone" \
	"$(xfer_rep exact listen error)" '^(ECONNRESET|ENOTCONN|EPIPE)$'
check_eq "exact RST: no EOF at the server" "$(xfer_rep exact listen eof)" 0
ksft_exit
