#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rmmod tcpcrypt while a protected transfer is sending: the connection is
# aborted - both applications get an error, never a clean EOF nor a wrong
# byte - and no plaintext reaches the wire afterwards, although the
# applications go on writing at full speed (capture on the router: the
# marker never appears); the kernel log stays clean; after insmod and new
# daemons, a new connection is protected again.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

e2e_init
e2e_daemon 1
e2e_daemon 2

pcap=$XFER_DIR/unload.pcap
capture_start "$RT" rt2 "$pcap" 256 tcp port 47701 || fail "tcpdump did not start"
resume=$XFER_DIR/unload.resume
xfer_start unl "$NS2" "$NS1" "$NS2_IP4" 47701 $((16 << 20)) --marker "$MARKER" \
	--rate $((256 << 10)) --pause-at $((8 << 20)) --resume "$resume" --timeout 150

unl_encrypting() {
	local r
	r=$(ns_exec "$NS1" "$BIN/tcnetstat" 2>/dev/null | awk -v r="$NS2_IP4:47701" 'NR > 1 && $3 == r')
	[ "$(tcn_field "$r" 7)" = encrypting ]
}
check "the connection is encrypting before rmmod" wait_until 60 unl_encrypting
sleep 2
check "the transfer is still running" \
	sh -c "kill -0 $(xfer_pid unl listen) && kill -0 $(xfer_pid unl connect)"

read -r t0 _ </proc/uptime
check "rmmod tcpcrypt during the transfer" module_unload
# The applications now write the rest as fast as they can: whatever of the
# connection survived the unload would carry it in plaintext.
touch "$resume"
xfer_finish unl 120
sleep 2
capture_stop
for side in listen connect; do
	check_eq "$side side: the application gets an error" "$(xfer_rep unl $side result)" error
	check_match "$side side: a connection error, not a stall" "$(xfer_rep unl $side error)" \
		'^(ECONNRESET|ECONNABORTED|EPIPE|ETIMEDOUT)$'
	check_eq "$side side: no clean EOF" "$(xfer_rep unl $side eof)" 0
	check_eq "$side side: no wrong byte" "$(xfer_rep unl $side recv_match)" 1
done
table=$(pcap_table "$pcap" 47701)
check_gt "the capture holds the transfer" "$(wire_bytes "$table" 47701)" 0
check_marker_absent "after rmmod" "$pcap" "$table"
dmesg | awk -v t0="$t0" 'match($0, /^\[ *[0-9]+\.[0-9]+\]/) { ts = substr($0, 2, RLENGTH - 2) + 0 } ts >= t0' \
	>"$XFER_DIR/dmesg"
check "no kernel warning or oops around the unload" "$TOP/tools/vm/check-kernel-log" "$XFER_DIR/dmesg"

# --- reload --------------------------------------------------------------------
check "insmod again" module_load
stop_daemon "$D1"
stop_daemon "$D2"
e2e_daemon 1
e2e_daemon 2
xfer_start again "$NS2" "$NS1" "$NS2_IP4" 47702 $((1 << 20)) --marker "$MARKER" \
	--hold "$(xfer_hold_prefix again)" --timeout 90
if xfer_wait_held again 90; then
	read -r cl cr <"$(xfer_hold_prefix again).connect"
	check_protected_rows "after reload" "$(tcn_row "$NS1" "$cl" "$cr")" "$(tcn_row "$NS2" "$cr" "$cl")"
else
	fail "after reload: both ends received all the data and hold the connection open"
fi
xfer_release again
xfer_finish again 30
xfer_check_intact again "after reload: 1 MiB each way intact"
ksft_exit
