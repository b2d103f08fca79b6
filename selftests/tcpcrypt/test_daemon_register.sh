#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tcpcryptd registration is per network namespace: two namespaces joined by
# veth, one daemon in each (different TEP/AEAD lists), the initial namespace
# without one. A second daemon is refused, SIGKILL counts as a loss, SIGTERM
# unregisters cleanly, traffic keeps flowing and is counted per family,
# only CAP_NET_ADMIN may register or reset counters, and namespaces with
# running daemons can be deleted before the module is unloaded.
set -u
source "$(dirname "$0")/lib.sh"

require_build
require_cmd ip python3 setpriv busybox

cleanup() {
	kill_daemons
	cleanup_ns
	module_unload
}
trap cleanup EXIT

nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)

module_load || { fail "insmod $KO"; ksft_exit; }
setup_ns NS1 NS2 || { fail "cannot create namespaces"; ksft_exit; }
link_ns "$NS1" "$NS2" || { fail "cannot link the namespaces"; ksft_exit; }
check "ping over the veth" ns_exec "$NS1" busybox ping -c 1 -W 5 10.0.0.2

# --- registration, one daemon per namespace -------------------------------
start_daemon "$NS1" /tmp/ns1.ctl
PID1=$DAEMON_PID LOG1=$DAEMON_LOG
start_daemon "$NS2" /tmp/ns2.ctl -t x448,x25519 -a chacha20poly1305,aes256gcm
PID2=$DAEMON_PID LOG2=$DAEMON_LOG

check "daemon registered in ns1 with its pid" wait_until 30 daemon_registered "$NS1" "$PID1"
check "daemon registered in ns2 with its pid" wait_until 30 daemon_registered "$NS2" "$PID2"
check "daemon in ns1 logs its registration" \
	wait_until 10 grep -q 'registered with tcpcrypt.ko' "$LOG1"
check "daemon in ns2 logs its registration" \
	wait_until 10 grep -q 'registered with tcpcrypt.ko' "$LOG2"
check "ns1 daemon has a netlink port id" test -n "$(ctl_dump "$NS1" daemon_portid)"
check_eq "initial namespace still has no daemon" "$(ctl_dump "" daemon_registered)" 0
check_eq "initial namespace counted no registration" \
	"$(ctl_dump "" daemon_registrations)" 0

check_eq "ns1 TEPs are the default list" "$(ctl_dump "$NS1" teps)" "0x22,0x21,0x24,0x23"
check_eq "ns1 AEADs are the default list" "$(ctl_dump "$NS1" aeads)" "0x0001,0x0002,0x0010"
check_eq "ns2 TEPs are its -t list" "$(ctl_dump "$NS2" teps)" "0x24,0x23"
check_eq "ns2 AEADs are its -a list" "$(ctl_dump "$NS2" aeads)" "0x0010,0x0002"
check_eq "ns1 counted one registration" "$(ctl_dump "$NS1" daemon_registrations)" 1

show=$(ns_exec "$NS2" "$BIN/tcpcryptctl" show 2>&1)
check_match "human status names the daemon" "$show" "daemon: registered \(pid $PID2\b"
check_match "human status lists the TEPs" "$show" '^ *teps: x448 x25519$'
check_match "human status lists the AEADs" "$show" '^ *aeads: chacha20poly1305 aes256gcm$'

# --- a second daemon in the same namespace is refused ----------------------
out=$(timeout 30 ip netns exec "$NS1" "$BIN/tcpcryptd" -f -u /tmp/ns1-second.ctl 2>&1)
rc=$?
check_eq "second tcpcryptd in ns1 exits 1" "$rc" 1
check_match "second tcpcryptd names the registered one" "$out" \
	"tcpcryptd: another tcpcryptd is registered in this network namespace \(pid $PID1\)"
check "first daemon keeps ns1" daemon_registered "$NS1" "$PID1"

# --- SIGKILL: the module notices the lost socket ---------------------------
kill -9 "$PID1"
wait "$PID1" 2>/dev/null
check "ns1 back to no daemon after SIGKILL" wait_until 20 ctl_dump_is "$NS1" daemon_registered 0
check_eq "ns1 counted the daemon loss" "$(ctl_dump "$NS1" daemon_losses)" 1
check_fail "ns1 shows no daemon pid any more" ctl_dump "$NS1" daemon_pid
check "ns2 daemon unaffected" daemon_registered "$NS2" "$PID2"

# --- SIGTERM: clean unregistration -----------------------------------------
kill -TERM "$PID2"
wait "$PID2"
check_eq "ns2 daemon exits 0 on SIGTERM" "$?" 0
check_eq "ns2 has no daemon after SIGTERM" "$(ctl_dump "$NS2" daemon_registered)" 0
check_eq "a clean exit is not a loss" "$(ctl_dump "$NS2" daemon_losses)" 0
daemon_pids=()

# --- counters --------------------------------------------------------------
for ns in "$NS1" "$NS2"; do
	check "stats reset as root" ns_exec "$ns" "$BIN/tcpcryptctl" stats reset
	for k in ipv4_in ipv4_out ipv6_in ipv6_out daemon_registrations daemon_losses; do
		check_eq "$k zero after reset in ${ns%%-*}" "$(ctl_dump "$ns" $k)" 0
	done
done

check "IPv4 TCP transfer ns1 -> ns2" tcp_transfer "$NS2" "$NS1" 10.0.0.2 5001 200000
for ns in "$NS1" "$NS2"; do
	check_gt "ipv4_in counted in ${ns%%-*}" "$(ctl_dump "$ns" ipv4_in)" 0
	check_gt "ipv4_out counted in ${ns%%-*}" "$(ctl_dump "$ns" ipv4_out)" 0
	check_eq "IPv4 traffic not counted as IPv6 in ${ns%%-*}" \
		"$(ctl_dump "$ns" ipv6_in) $(ctl_dump "$ns" ipv6_out)" "0 0"
done
check_eq "initial namespace saw none of it" \
	"$(ctl_dump "" ipv4_in) $(ctl_dump "" ipv4_out)" "0 0"

check "IPv6 TCP transfer ns2 -> ns1" tcp_transfer "$NS1" "$NS2" fd00::1 5002 200000
for ns in "$NS1" "$NS2"; do
	check_gt "ipv6_in counted in ${ns%%-*}" "$(ctl_dump "$ns" ipv6_in)" 0
	check_gt "ipv6_out counted in ${ns%%-*}" "$(ctl_dump "$ns" ipv6_out)" 0
done

# --- privileges ------------------------------------------------------------
before=$(ctl_dump "$NS1" ipv4_in)
out=$(ns_exec "$NS1" "${nobody[@]}" "$BIN/tcpcryptctl" show 2>&1)
check_eq "unprivileged tcpcryptctl show succeeds" "$?" 0
check_match "unprivileged show reports the state" "$out" 'daemon: none'
out=$(ns_exec "$NS1" "${nobody[@]}" "$BIN/tcpcryptctl" stats reset 2>&1)
check_eq "unprivileged stats reset exits 1" "$?" 1
check_match "unprivileged stats reset names the permission" "$out" \
	'[Pp]ermi|CAP_NET_ADMIN|not permitted'
check_eq "counters untouched by the refused reset" "$(ctl_dump "$NS1" ipv4_in)" "$before"
out=$(ns_exec "$NS1" "${nobody[@]}" "$BIN/tcpcryptctl" sessions flush 2>&1)
check_eq "unprivileged sessions flush exits 1" "$?" 1
check_match "unprivileged sessions flush names the permission" "$out" \
	'[Pp]ermi|CAP_NET_ADMIN|not permitted'
check "sessions flush as root" ns_exec "$NS1" "$BIN/tcpcryptctl" sessions flush
check_eq "show dump reports the session cache" "$(ctl_dump "$NS1" sessions_cached)" 0
out=$(ns_exec "$NS1" timeout 30 "${nobody[@]}" "$BIN/tcpcryptd" -f -u /tmp/nobody.ctl 2>&1)
check_eq "unprivileged tcpcryptd exits 1" "$?" 1
check_match "unprivileged tcpcryptd names the permission" "$out" \
	'[Pp]ermi|CAP_NET_ADMIN|not permitted'
check_eq "no registration from the unprivileged daemon" \
	"$(ctl_dump "$NS1" daemon_registered)" 0

# --- namespaces deleted under running daemons, then rmmod ------------------
start_daemon "$NS1" /tmp/ns1.ctl
PID1=$DAEMON_PID
start_daemon "$NS2" /tmp/ns2.ctl
PID2=$DAEMON_PID
check "daemon re-registered in ns1" wait_until 30 daemon_registered "$NS1" "$PID1"
check "daemon re-registered in ns2" wait_until 30 daemon_registered "$NS2" "$PID2"
check "delete ns1 and ns2 while their daemons run" ip netns del "$NS1"
ip netns del "$NS2"
created_ns=()
# The daemons keep their namespaces alive; once they die the namespaces go.
kill -TERM "$PID1"
kill -9 "$PID2"
# (stderr: bash reports the SIGKILLed job while waiting)
wait "$PID1" 2>/dev/null
check_eq "daemon of a deleted namespace exits 0 on SIGTERM" "$?" 0
wait "$PID2" 2>/dev/null
daemon_pids=()
check "rmmod after the namespaces went away" module_unload

ksft_exit
