#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tcpcryptd killed (SIGKILL) and restarted at one end, then at the other,
# while a long protected transfer runs (it trickles data, and pauses half
# way until the restarts are over): the transfer completes intact on the
# same session; while the daemon of either end is gone, new connections are
# plain TCP (not listed, data intact); after each restart they are
# protected again.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

e2e_init
e2e_daemon 1
e2e_daemon 2

half=$((8 << 20))
resume=$XFER_DIR/long.resume
xfer_start long "$NS2" "$NS1" "$NS2_IP4" 47501 $((2 * half)) --marker "$MARKER" \
	--rate $((256 << 10)) --pause-at $half --resume "$resume" \
	--hold "$(xfer_hold_prefix long)" --timeout 500

# long_rows: "<ns1 row>|<ns2 row>" of the long connection
long_rows() {
	local ra rb
	ra=$(ns_exec "$NS1" "$BIN/tcnetstat" 2>/dev/null | awk -v r="$NS2_IP4:47501" 'NR > 1 && $3 == r')
	rb=$(ns_exec "$NS2" "$BIN/tcnetstat" 2>/dev/null | awk -v l="$NS2_IP4:47501" 'NR > 1 && $2 == l')
	echo "$ra|$rb"
}

long_encrypting() {
	local r
	r=$(long_rows)
	[ "$(tcn_field "${r%%|*}" 7)" = encrypting ] && [ "$(tcn_field "${r#*|}" 7)" = encrypting ]
}

# long_check WHEN: the long transfer still runs, on the same session
long_check() {
	local r
	check "$1: the long transfer is still running" \
		sh -c "kill -0 $(xfer_pid long listen) && kill -0 $(xfer_pid long connect)"
	r=$(long_rows)
	check_eq "$1: the long connection is still encrypting, same session ID (ns1)" \
		"$(tcn_field "${r%%|*}" 7) $(tcn_field "${r%%|*}" 8)" "encrypting $SID0"
	check_eq "$1: ... and at ns2" "$(tcn_field "${r#*|}" 7) $(tcn_field "${r#*|}" 8)" \
		"encrypting $SID0"
}

# short ID PORT WANT: a new 256 KiB each way connection ns1 -> ns2, held
# open to look at it; WANT plain or protected
short() {
	local id=$1 port=$2 want=$3 cl cr
	xfer_start "$id" "$NS2" "$NS1" "$NS2_IP4" "$port" $((256 << 10)) \
		--marker "$MARKER" --hold "$(xfer_hold_prefix "$id")" --timeout 90
	if xfer_wait_held "$id" 90; then
		read -r cl cr <"$(xfer_hold_prefix "$id").connect"
		if [ "$want" = plain ]; then
			check_no_rows "$id" "$(tcn_row "$NS1" "$cl" "$cr")" "$(tcn_row "$NS2" "$cr" "$cl")"
		else
			check_protected_rows "$id" "$(tcn_row "$NS1" "$cl" "$cr")" \
				"$(tcn_row "$NS2" "$cr" "$cl")"
		fi
	else
		fail "$id: both ends received all the data and hold the connection open"
	fi
	xfer_release "$id"
	xfer_finish "$id" 30
	xfer_check_intact "$id" "$id: data intact"
}

SID0=
if check "the long connection is encrypting at both ends" wait_until 60 long_encrypting; then
	r=$(long_rows)
	SID0=$(tcn_field "${r%%|*}" 8)
fi

stop_daemon "$D1"
check "ns1: tcpcryptd killed" wait_until 20 ctl_dump_is "$NS1" daemon_registered 0
long_check "ns1 daemon killed"
short ns1_gone 47502 plain
e2e_daemon 1
long_check "ns1 daemon restarted"
short ns1_back 47503 protected

stop_daemon "$D2"
check "ns2: tcpcryptd killed" wait_until 20 ctl_dump_is "$NS2" daemon_registered 0
long_check "ns2 daemon killed"
short ns2_gone 47504 plain
e2e_daemon 2
long_check "ns2 daemon restarted"
short ns2_back 47505 protected

touch "$resume"
if xfer_wait_held long 300; then
	r=$(long_rows)
	check_eq "long transfer done: same session ID at ns1" "$(tcn_field "${r%%|*}" 8)" "$SID0"
	check_eq "long transfer done: same session ID at ns2" "$(tcn_field "${r#*|}" 8)" "$SID0"
else
	fail "long transfer: both ends received all the data"
fi
xfer_release long
xfer_finish long 60
xfer_check_intact long "long transfer across the daemon restarts intact (16 MiB each way)"
ksft_exit
