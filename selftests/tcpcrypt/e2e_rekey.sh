#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Rekeying (RFC 8548 section 3.8) end to end: two hosts (ns1, ns2) with a
# router between them and a tcpcryptd each, the module's rekey_bytes set
# to 64 KiB (one module serves both namespaces: each host starts a new key
# generation every 64 KiB it sends). The router captures every byte, and
# frame_scan.py walks the frames of each direction from the outside (the
# rekey bit is in the clear control byte). Asserts:
#  - rekey_bytes defaults to 4 GiB;
#  - 4 MiB each way arrive intact (SHA-256) while both ends rekey, with
#    rekey frames carrying data in both directions, and (both ends holding
#    their FIN until all data arrived) the two ends' generations, counted
#    as their rekey frames, equal at the end: every rekey was answered or
#    crossed one of the peer's;
#  - 4 MiB one way only, the receiver holding its FIN until it has all:
#    the sender rekeys, the receiver (which sends no data and never starts
#    a generation itself) answers each of the sender's rekeys, in order,
#    with an empty frame with rekey = 1;
#  - 4 MiB one way, the receiver's FIN first (it sends nothing): it owes
#    no answers, and the sender goes on rekeying all the same.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

PARAM=/sys/module/tcpcrypt/parameters/rekey_bytes
INTERVAL=$((64 << 10))
BYTES=$((4 << 20))
# each sender starts a generation every INTERVAL bytes, unless it waits
# for the answer to its previous one (a round trip, with more than
# INTERVAL bytes in flight) or for the next key set: a quarter of them
# shows rekeying goes on through the transfer
MIN_REKEYS=$((BYTES / INTERVAL / 4))

# sv SCAN KEY: one value of frame_scan.py's output
sv() {
	awk -v k="$2" '$1 == k { print $2 }' "$1"
}

# rekey_xfer ID PORT UP:DOWN DESC [hold]: the transfer (with hold, both
# ends half-close only once all data arrived), captured in full on the
# router; sets SCAN to frame_scan.py's output file (empty on failure)
rekey_xfer() {
	local id=$1 port=$2 sizes=$3 d=$4 pcap=$XFER_DIR/$1.pcap hold=()
	SCAN=$XFER_DIR/$id.scan
	: >"$SCAN"
	[ "${5:-}" = hold ] && hold=(--hold "$(xfer_hold_prefix "$id")")
	if ! capture_start "$RT" rt2 "$pcap" 0 tcp port "$port"; then
		fail "$d: tcpdump did not start: $(cat "$pcap.log")"
		return 1
	fi
	xfer_start "$id" "$NS2" "$NS1" "$NS2_IP4" "$port" "$sizes" \
		--marker "$MARKER" --timeout 280 "${hold[@]}"
	if [ ${#hold[@]} -gt 0 ]; then
		xfer_wait_held "$id" 280 ||
			fail "$d: both ends received all the data"
		xfer_release "$id"
	fi
	xfer_finish "$id" 300
	capture_stop
	sed "s/^/# $id tcpdump: /" "$pcap.log"
	xfer_check_intact "$id" "$d: data intact (SHA-256 equal at both ends)"
	if ! python3 "$SELFTESTS/frame_scan.py" "$pcap" "$port" >"$SCAN"; then
		fail "$d: frame_scan.py could not read the capture"
		return 1
	fi
	sed "s/^/# $id frames: /" "$SCAN"
	check_eq "$d: client's wire stream captured whole, frame by frame" \
		"$(sv "$SCAN" c.complete)" 1
	check_eq "$d: server's wire stream captured whole, frame by frame" \
		"$(sv "$SCAN" s.complete)" 1
}

e2e_init
check_eq "rekey_bytes defaults to 4 GiB" "$(cat "$PARAM")" $((1 << 32))
if echo "$INTERVAL" >"$PARAM"; then
	pass "rekey_bytes set to $INTERVAL"
else
	fail "rekey_bytes set to $INTERVAL"
	ksft_exit
fi
e2e_daemon 1
e2e_daemon 2

d="both ways"
log "$d: $BYTES bytes each way, rekey every $INTERVAL bytes"
if rekey_xfer both 47901 "$BYTES" "$d" hold; then
	cr=$(sv "$SCAN" c.rekeys)
	sr=$(sv "$SCAN" s.rekeys)
	check_gt "$d: client sent data frames with the rekey bit" \
		"$(sv "$SCAN" c.data_rekeys)" 0
	check_gt "$d: server sent data frames with the rekey bit" \
		"$(sv "$SCAN" s.data_rekeys)" 0
	check_gt "$d: client's rekey frames (at least $MIN_REKEYS)" \
		"${cr:-0}" $((MIN_REKEYS - 1))
	check_gt "$d: server's rekey frames (at least $MIN_REKEYS)" \
		"${sr:-0}" $((MIN_REKEYS - 1))
	check_eq "$d: both ends reached the same generation (as many rekey frames)" \
		"$sr" "$cr"
fi

d="one way"
log "$d: $BYTES bytes from the client, none back; FINs at the end"
if rekey_xfer oneway 47902 "$BYTES:0" "$d" hold; then
	cr=$(sv "$SCAN" c.rekeys)
	check_gt "$d: client's rekey frames (at least $MIN_REKEYS)" \
		"${cr:-0}" $((MIN_REKEYS - 1))
	check_eq "$d: client's rekey frames all carry data" \
		"$(sv "$SCAN" c.data_rekeys)" "$cr"
	check_eq "$d: server answered every one of them with a rekey frame" \
		"$(sv "$SCAN" s.rekeys)" "$cr"
	check_eq "$d: each answer is an empty frame" \
		"$(sv "$SCAN" s.rekeys_empty)" "$cr"
	check_eq "$d: the k-th answer follows the client's k-th rekey on the wire" \
		"$(sv "$SCAN" answered)" "$cr"
fi

d="one way, receiver's FIN first"
log "$d: $BYTES bytes from the client; the server half-closes at once"
if rekey_xfer finfirst 47903 "$BYTES:0" "$d"; then
	cr=$(sv "$SCAN" c.rekeys)
	check_gt "$d: client's rekey frames (at least $MIN_REKEYS)" \
		"${cr:-0}" $((MIN_REKEYS - 1))
	check_eq "$d: client's rekey frames all carry data" \
		"$(sv "$SCAN" c.data_rekeys)" "$cr"
	check_eq "$d: server, its FIN sent, sent no rekey frame" \
		"$(sv "$SCAN" s.rekeys)" 0
fi
ksft_exit
