#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Keep-alive by rekeying (RFC 8548 section 3.9). Both ends of a protected
# connection turn TCP keep-alive on (a probe after 1 s of silence, then
# every second; 4 unanswered probes end the connection) and hold it idle
# until each end's module counted 4 probes turned into rekeys
# (probe_rekeys), none sent plain (probe_plain). Each probe of the local
# TCP becomes a rekey: a new key
# generation and an empty frame with rekey = 1, which the peer answers
# with one of its own (authenticated proof of life), its ACK answering the
# probe. From the capture (frame_scan.py, tshark): empty rekey frames from
# both ends, and not one plain TCP keep-alive probe on the wire. The
# connection survives the silence, still encrypting, its data intact.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

# probes_rekeyed N: each end turned at least N probes into rekeys
probes_rekeyed() {
	[ "$(ctl_dump "$NS1" probe_rekeys)" -ge "$1" ] &&
		[ "$(ctl_dump "$NS2" probe_rekeys)" -ge "$1" ]
}

# sv SCAN KEY: one value of frame_scan.py's output
sv() {
	awk -v k="$2" '$1 == k { print $2 }' "$1"
}

e2e_init
e2e_daemon 1
e2e_daemon 2

port=47601
pcap=$XFER_DIR/ka.pcap
scan=$XFER_DIR/ka.scan
capture_start "$RT" rt2 "$pcap" 0 tcp port $port ||
	fail "tcpdump did not start: $(cat "$pcap.log")"
xfer_start ka "$NS2" "$NS1" "$NS2_IP4" $port $((64 << 10)) \
	--marker "$MARKER" --keepalive --hold "$(xfer_hold_prefix ka)" --timeout 90
if xfer_wait_held ka 60; then
	log "both ends hold the connection, idle, until each rekeyed 4 probes"
	check "4 probes became rekeys at each end (module counters)" \
		wait_until 60 probes_rekeyed 4
	check_eq "no probe sent plain (module counters)" \
		"$(ctl_dump "$NS1" probe_plain) $(ctl_dump "$NS2" probe_plain)" "0 0"
	read -r cl cr <"$(xfer_hold_prefix ka).connect"
	check_eq "after the silence: encrypting at the client" \
		"$(tcn_field "$(tcn_row "$NS1" "$cl" "$cr")" 7)" encrypting
	check_eq "after the silence: encrypting at the server" \
		"$(tcn_field "$(tcn_row "$NS2" "$cr" "$cl")" 7)" encrypting
else
	fail "both ends received all the data and hold the connection open"
fi
xfer_release ka
xfer_finish ka 60
capture_stop
xfer_check_intact ka "keep-alive: 64 KiB each way intact, the connection alive after the silence"

if python3 "$SELFTESTS/frame_scan.py" "$pcap" $port >"$scan"; then
	sed "s/^/# ka frames: /" "$scan"
	check_gt "the client's probes became empty rekey frames" \
		"$(sv "$scan" c.rekeys_empty)" 3
	check_gt "the server's probes became empty rekey frames" \
		"$(sv "$scan" s.rekeys_empty)" 3
	check_eq "no data frame started a generation" \
		"$(sv "$scan" c.data_rekeys) $(sv "$scan" s.data_rekeys)" "0 0"
	check_eq "both wire streams captured whole" \
		"$(sv "$scan" c.complete) $(sv "$scan" s.complete)" "1 1"
else
	fail "frame_scan.py could not read the capture"
fi
probes=$(timeout 300 tshark -r "$pcap" -Y "tcp.analysis.keep_alive" 2>/dev/null |
	 sed "s/^/# plain probe: /" | tee /dev/stderr | wc -l)
check_eq "no plain TCP keep-alive probe on the wire" "$probes" 0
ksft_exit
