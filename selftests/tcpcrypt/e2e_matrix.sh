#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every TEP (x25519, x448, p256, p521) with every AEAD (aes128gcm,
# aes256gcm, chacha20poly1305): both daemons announce exactly that pair
# (-t, -a), 1 MiB each way arrives intact, and tcnetstat at both ends shows
# the open connection encrypting with that TEP and AEAD and the same
# session ID (whose first byte is the TEP id).
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

e2e_init
port=47200
for tep in x25519 x448 p256 p521; do
	for aead in aes128gcm aes256gcm chacha20poly1305; do
		port=$((port + 1))
		id=m$port
		e2e_daemon 1 -t "$tep" -a "$aead"
		e2e_daemon 2 -t "$tep" -a "$aead"
		xfer_start "$id" "$NS2" "$NS1" "$NS2_IP4" "$port" $((1 << 20)) \
			--marker "$MARKER" --hold "$(xfer_hold_prefix "$id")" --timeout 90
		if xfer_wait_held "$id" 90; then
			read -r cl cr <"$(xfer_hold_prefix "$id").connect"
			check_protected_rows "$tep/$aead" "$(tcn_row "$NS1" "$cl" "$cr")" \
				"$(tcn_row "$NS2" "$cr" "$cl")" "$tep" "$aead" fresh
		else
			fail "$tep/$aead: both ends received all the data and hold the connection open"
		fi
		xfer_release "$id"
		xfer_finish "$id" 30
		xfer_check_intact "$id" "$tep/$aead: 1 MiB each way intact"
		stop_daemon "$D1"
		stop_daemon "$D2"
		wait_until 20 ctl_dump_is "$NS1" daemon_registered 0
		wait_until 20 ctl_dump_is "$NS2" daemon_registered 0
	done
done
ksft_exit
