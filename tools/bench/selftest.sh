#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmark's guards, checked: a measurement named after a protection
# that did not protect it must end the benchmark, and a protected one must
# pass. Runs in the guest like run.sh (5 to 10 minutes under TCG):
#   make && make -C tools/bench
#   tools/vm/run --timeout 1800 -- tools/bench/selftest.sh [CASE...]
# CASE: the name of a case's function (no_daemon, wrong_aead, ...) to run
# only those; `make bench-selftest` runs them all.
# Output in the kselftest style of selftests/tcpcrypt/lib.sh.
# shellcheck disable=SC2317 # the cases run through case_run, cleanup via trap
set -u

BENCH_DIR=$(cd "$(dirname "$0")" && pwd -P)
source "$BENCH_DIR/../../selftests/tcpcrypt/lib.sh"
source "$BENCH_DIR/lib_methods.sh"
source "$BENCH_DIR/lib_measure.sh"

BENCH_SECONDS=3
BENCH_CONNS=5
HZ=$(getconf CLK_TCK)

selftest_cleanup() {
	kill_daemons
	cleanup_ns
	rm -rf "$WORK"
}

# Every process of the namespaces (the daemons a case started in its
# subshell included) goes between cases.
reap() {
	local ns
	for ns in "$A" "$B"; do
		ip netns pids "$ns" | xargs -r kill -9 2>/dev/null
	done
	sleep 1
}

# case_run DESCRIPTION pass FUNCTION
# case_run DESCRIPTION die FUNCTION REASON
# FUNCTION runs in a subshell (its own port range). pass: it succeeds and
# every measurement it made counted (a failed transfer is recorded, not
# fatal). die: it ends through die, with a message matching the extended
# regex REASON: the guard under test stopped it, not something else.
port_base=47000
case_run() {
	local desc=$1 want=$2 fn=$3 reason=${4:-} rc
	[ ${#cases[@]} -eq 0 ] || [[ " ${cases[*]} " == *" $fn "* ]] || return 0
	(next_port=$port_base && "$fn" && [ "$n_failed" -eq 0 ]) \
		>"$WORK/case.out" 2>&1
	rc=$?
	port_base=$((port_base + 10))
	reap
	sed 's/^/#   /' "$WORK/case.out"
	if [ "$want" = pass ]; then
		check_eq "$desc" "$rc" 0
	else
		check_eq "$desc: the benchmark stops" "$rc" 1
		check_match "$desc: and says why" "$(cat "$WORK/case.out")" \
			"bench: FAILED: .*($reason)"
	fi
}

no_daemon() {
	bulk_stream tcpcrypt-aes128gcm 1
}

no_daemon_iperf3() {
	bulk_iperf3 tcpcrypt-aes128gcm 1
}

wrong_aead() {
	tcpcrypt_start chacha20poly1305
	bulk_stream tcpcrypt-aes128gcm 1
}

wrong_aead_iperf3() {
	tcpcrypt_start chacha20poly1305
	bulk_iperf3 tcpcrypt-aes128gcm 1
}

right_aead() {
	tcpcrypt_start aes256gcm
	bulk_stream tcpcrypt-aes256gcm 1 && bulk_iperf3 tcpcrypt-aes256gcm 1
}

conns_one_daemon() {
	start_daemon "$B" "$WORK/b.ctl" -a aes128gcm
	wait_until 30 daemon_registered "$B" "$DAEMON_PID" || exit 2
	short_conns tcpcrypt-x25519 1
}

conns_wrong_tep() {
	tcpcrypt_start aes128gcm x25519
	short_conns tcpcrypt-p256 1
}

conns_right_tep() {
	tcpcrypt_start aes128gcm p256
	short_conns tcpcrypt-p256 1
}

esp_no_policy() {
	ip -n "$A" xfrm policy flush && ip -n "$B" xfrm policy flush || exit 2
	bulk_stream esp-aes128gcm 1
}

esp_ok() {
	esp_setup aes128gcm
	bulk_stream esp-aes128gcm 1
}

wg_ok() {
	bulk_iperf3 wireguard 1
}

main() {
	local m c
	cases=("$@")
	for c in "${cases[@]}"; do
		declare -F "$c" >/dev/null || ksft_skip_exit "no case $c"
	done
	[ "$(id -u)" -eq 0 ] || ksft_skip_exit "must run as root (inside tools/vm/run)"
	require_build
	require_cmd ip iperf3 wg python3 busybox ss
	for m in "$BENCH_BIN/ktls_bench" "$BENCH_BIN/conn_bench"; do
		[ -x "$m" ] || { fail "$m missing: make -C tools/bench"; ksft_exit; }
	done
	for m in aesni_intel veth wireguard esp4 xfrm_user; do
		modprobe "$m" || { fail "modprobe $m"; ksft_exit; }
	done
	trap selftest_cleanup EXIT
	mkdir -p "$WORK"
	: >"$RESULTS"
	bench_topology
	wg_setup
	esp_policies
	esp_setup aes128gcm
	module_load || { fail "insmod $KO"; ksft_exit; }

	case_run "tcpcrypt run without daemons" die no_daemon \
		"client side does not list it protected with aes128gcm"
	case_run "tcpcrypt run without daemons, iperf3" die no_daemon_iperf3 \
		"tcnetstat lists 0 ends"
	case_run "tcpcrypt run with another AEAD than its name" die wrong_aead \
		"client side does not list it protected with aes128gcm: '.*chacha20poly1305"
	case_run "tcpcrypt run with another AEAD than its name, iperf3" die \
		wrong_aead_iperf3 \
		"tcnetstat lists [1-9][0-9]* ends, 0 of them protected with any TEP and aes128gcm"
	case_run "tcpcrypt run with the AEAD of its name" pass right_aead
	case_run "short connections, daemon at one end only" die conns_one_daemon \
		"tcnetstat lists 0 ends"
	case_run "short connections with another TEP" die conns_wrong_tep \
		"tcnetstat lists [1-9][0-9]* ends, 0 of them protected with p256"
	case_run "short connections with the TEP of their name" pass conns_right_tep
	case_run "WireGuard run" pass wg_ok
	case_run "ESP run" pass esp_ok
	case_run "ESP run without policies (plain TCP)" die esp_no_policy \
		"the ESP SA decrypted [0-9]+ bytes for a [0-9]+-byte transfer"
	ksft_exit
}

main "$@"
