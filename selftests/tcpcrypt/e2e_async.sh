#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The data path with asynchronous AEAD completion. The module is loaded
# with crypto_async=force: every AEAD is wrapped in pcrypt, so every seal
# and every open completes later, in a callback (the kernel log names the
# implementation of each AEAD at load, "(async)").
#  - with each AEAD (aes128gcm, aes256gcm, chacha20poly1305) 2 MiB each way
#    arrive intact (SHA-256 equal at both ends), both ends encrypting with
#    that AEAD, no plaintext marker on the wire; over IPv6 too (default
#    AEAD, e2e_protected as e2e_ipv6.sh runs it);
#  - one payload byte flipped on the router (valid checksum) still aborts
#    the connection: the receiving application gets an error, never EOF,
#    never a wrong byte;
#  - rmmod during a transfer, requests in flight: both applications get an
#    error and no wrong byte, the module goes away;
#  - the kernel log stays clean throughout.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

require_cmd nft tc
read -r t0 _ </proc/uptime
# a module left by an earlier test would keep its own crypto_async
module_unload || { fail "rmmod of an earlier tcpcrypt"; ksft_exit; }
if ! insmod "$KO" crypto_async=force; then
	fail "insmod $KO crypto_async=force"
	ksft_exit
fi
e2e_init
# the pcrypt instances would outlive the test (they rank above the generic
# AEADs): gone with their template once the module freed its transforms
async_cleanup() {
	e2e_cleanup
	modprobe -q -r pcrypt
}
trap async_cleanup EXIT
modprobe -q act_pedit
modprobe -q act_csum
modprobe -q cls_fw

check_eq "crypto_async parameter" \
	"$(cat /sys/module/tcpcrypt/parameters/crypto_async 2>/dev/null)" force
load_log() {
	dmesg | awk -v t0="$t0" 'match($0, /^\[ *[0-9]+\.[0-9]+\]/) { ts = substr($0, 2, RLENGTH - 2) + 0 } ts >= t0'
}
for alg in 'gcm(aes)' 'rfc7539(chacha20,poly1305)'; do
	check_match "$alg goes through pcrypt, asynchronous" \
		"$(load_log | grep -F "($alg): " | tail -n 1)" \
		': pcrypt\(.*\) \(async\), crypto_async=force$'
done

# --- transfers, each AEAD ----------------------------------------------------
port=47900
for aead in aes128gcm aes256gcm chacha20poly1305; do
	port=$((port + 1))
	id=a$port
	e2e_daemon 1 -a "$aead"
	e2e_daemon 2 -a "$aead"
	pcap=$XFER_DIR/$id.pcap
	capture_start "$RT" rt2 "$pcap" 256 tcp port "$port" || fail "$aead: tcpdump did not start"
	xfer_start "$id" "$NS2" "$NS1" "$NS2_IP4" "$port" $((2 << 20)) \
		--marker "$MARKER" --hold "$(xfer_hold_prefix "$id")" --timeout 200
	if xfer_wait_held "$id" 200; then
		read -r cl cr <"$(xfer_hold_prefix "$id").connect"
		ra=$(tcn_row "$NS1" "$cl" "$cr")
		check_protected_rows "$aead" "$ra" "$(tcn_row "$NS2" "$cr" "$cl")"
		check_eq "$aead: negotiated AEAD" "$(tcn_field "$ra" 6)" "$aead"
	else
		fail "$aead: both ends received all the data and hold the connection open"
	fi
	xfer_release "$id"
	xfer_finish "$id" 60
	capture_stop
	xfer_check_intact "$id" "$aead: 2 MiB each way intact (SHA-256 equal at both ends)"
	check_marker_absent "$aead wire" "$pcap" "$(pcap_table "$pcap" "$port")"
	stop_daemon "$D1"
	stop_daemon "$D2"
	wait_until 20 ctl_dump_is "$NS1" daemon_registered 0
	wait_until 20 ctl_dump_is "$NS2" daemon_registered 0
done

# --- IPv6 (its own LOCAL_IN continuation) ----------------------------------
e2e_daemon 1
e2e_daemon 2
e2e_protected 6 $((2 << 20)) 47920 47921

# --- a flipped byte ----------------------------------------------------------
# As e2e_tamper.sh: the first segment from ns1 bigger than any Init gets
# mark 0x42; tc flips its payload byte 100 and recomputes the checksum.
rt_reset
rt_nft <<NFT || fail "nft rule marking the segment to flip"
table inet tamper {
	chain flip {
		type filter hook forward priority 0; policy accept;
		ip saddr $NS1_IP4 tcp dport 47910 tcp doff 8 ip length > 600 ct mark & 0x1 == 0 ct mark set ct mark | 0x1 meta mark set 0x42 counter
	}
}
NFT
tc -n "$RT" qdisc add dev rt2 clsact &&
	tc -n "$RT" filter add dev rt2 egress protocol ip handle 0x42 fw \
		action pedit munge offset 152 u8 invert pipe action csum tcp ||
	fail "tc pedit rule flipping the byte"
xfer_start flip "$NS2" "$NS1" "$NS2_IP4" 47910 $((1 << 20)):0 --timeout 60
xfer_finish flip 70
check_eq "flip: the flip rule marked one segment" "$(nft_packets flip)" 1
check_eq "flip: the receiving application gets an error" "$(xfer_rep flip listen result)" error
check_match "flip: a connection error, not a stall" "$(error_kind flip listen)" \
	'^(ECONNRESET|ECONNABORTED|EPIPE|ETIMEDOUT|EPROTO|EBADMSG)$'
check_eq "flip: no EOF at the receiver" "$(xfer_rep flip listen eof)" 0
check_eq "flip: no wrong byte reaches the receiving application" \
	"$(xfer_rep flip listen recv_match)" 1
rt_reset

# --- rmmod with requests in flight -------------------------------------------
# paced, and paused at half until rmmod is done: the unload must find the
# transfer running however fast the guest is
resume=$XFER_DIR/unl.resume
xfer_start unl "$NS2" "$NS1" "$NS2_IP4" 47911 $((16 << 20)) \
	--rate $((256 << 10)) --pause-at $((8 << 20)) --resume "$resume" --timeout 150
unl_encrypting() {
	local r
	r=$(ns_exec "$NS1" "$BIN/tcnetstat" 2>/dev/null | awk -v r="$NS2_IP4:47911" 'NR > 1 && $3 == r')
	[ "$(tcn_field "$r" 7)" = encrypting ]
}
check "unload: the connection is encrypting" wait_until 60 unl_encrypting
sleep 1
check "unload: the transfer is still running" \
	sh -c "kill -0 $(xfer_pid unl listen) && kill -0 $(xfer_pid unl connect)"
check "unload: rmmod tcpcrypt during the transfer" module_unload
touch "$resume"
xfer_finish unl 120
for side in listen connect; do
	check_eq "unload, $side side: the application gets an error" \
		"$(xfer_rep unl $side result)" error
	check_eq "unload, $side side: no wrong byte" "$(xfer_rep unl $side recv_match)" 1
done

load_log >"$XFER_DIR/dmesg"
check "no kernel warning or oops" "$TOP/tools/vm/check-kernel-log" "$XFER_DIR/dmesg"
ksft_exit
