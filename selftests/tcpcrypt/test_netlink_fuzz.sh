#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Malformed, unauthorised and random generic netlink requests
# (build/selftests/nl_bad_requests, a kselftest_harness.h program) in a
# namespace of their own: clean errors only, and the module still works
# for a real daemon afterwards.
set -u
source "$(dirname "$0")/lib.sh"

require_build
prog=$TOP/build/selftests/nl_bad_requests
if [ ! -x "$prog" ]; then
	fail "$prog missing: run make -C selftests/tcpcrypt"
	ksft_exit
fi

cleanup() {
	kill_daemons
	cleanup_ns
	module_unload
}
trap cleanup EXIT

module_load || { fail "insmod $KO"; ksft_exit; }
setup_ns NSF || { fail "cannot create a namespace"; ksft_exit; }

registrations=$(ctl_dump "" daemon_registrations)
out=$(ip netns exec "$NSF" timeout 600 "$prog" 2>&1)
rc=$?
# Indented: its TAP lines and totals are not this script's own.
printf '%s\n' "$out" | sed 's/^/  /'
check_eq "nl_bad_requests passes" "$rc" 0
check_match "nl_bad_requests ran its cases" "$out" '^# Totals: pass:[1-9]'

check_eq "no daemon left in the fuzzed namespace" "$(ctl_dump "$NSF" daemon_registered)" 0
check_eq "initial namespace untouched" "$(ctl_dump "" daemon_registrations)" "$registrations"

start_daemon "$NSF" /tmp/fuzz.ctl
check "a real daemon still registers afterwards" \
	wait_until 30 daemon_registered "$NSF" "$DAEMON_PID"
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"
check_eq "and unregisters cleanly" "$?" 0
daemon_pids=()

cleanup_ns
check "rmmod after the fuzzing" module_unload
ksft_exit
