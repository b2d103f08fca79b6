#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the tcpcrypt kselftests (every test_*.sh here, sorted, or the ones
# named on the command line: names here, or paths) inside the test guest,
# as root:
#
#   tools/vm/run -- selftests/tcpcrypt/run_all.sh [test_x.sh...]
#
# Prints TAP 13: one "ok N - test" line per script, the script's own output
# as "#" comments, then "ok N - kernel log" for the whole run, and the
# kselftest_harness.h totals line at the end.  A script fails when it exits
# non-zero, exceeds the timeout of ./settings, leaves the module loaded or
# a network namespace behind, or when the kernel log grew a warning, BUG,
# Oops or call trace while it ran; the last line fails when the kernel log
# of the whole run (between scripts included) shows one, or the kernel got
# a new W/D/B/M/L taint flag.
#
# TCPC_TEST_GLOB (default test_*.sh) picks the scripts, TCPC_TEST_TIMEOUT
# overrides the timeout of ./settings (run_e2e.sh sets both).
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(cd "$here/../.." && pwd -P)
scan=$top/tools/vm/check-kernel-log

me=$(basename "$0")
timeout=$(sed -n 's/^timeout=\([0-9]*\)$/\1/p' "$here/settings" 2>/dev/null)
timeout=${TCPC_TEST_TIMEOUT:-${timeout:-300}}

if [ $# -gt 0 ]; then
	tests=()
	for t in "$@"; do
		case $t in
		*/*) tests+=("$t") ;;
		*) tests+=("$here/$t") ;;
		esac
	done
else
	# shellcheck disable=SC2086 # the glob is meant to expand
	mapfile -t tests < <(ls "$here"/${TCPC_TEST_GLOB:-test_*.sh} | LC_ALL=C sort)
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "$me: run as root in the test guest (tools/vm/run)" >&2
	exit 4
fi

# Comment lines through unchanged, anything else prefixed with "# ".
as_comment() {
	sed -u -e 's/^#/#/;t' -e 's/^/# /'
}

# Whatever a test left behind is cleaned up here so that the next one starts
# clean; the leftover itself is reported.
leftovers() {
	local left=
	if [ -n "$(ip netns list 2>/dev/null)" ]; then
		left="network namespaces: $(ip netns list | cut -d' ' -f1 | tr '\n' ' ')"
		for ns in $(ip netns list | cut -d' ' -f1); do
			ip netns pids "$ns" | xargs -r kill -9
			ip netns del "$ns"
		done
	fi
	if [ -d /sys/module/tcpcrypt ]; then
		left="$left${left:+; }tcpcrypt.ko still loaded"
		for _ in $(seq 50); do
			rmmod tcpcrypt 2>/dev/null && break
			sleep 0.2
		done
	fi
	echo "$left"
}

# The kernel log of the whole run: the messages stamped after this uptime
read -r suite_t0 _ </proc/uptime
suite_taint=$(cat /proc/sys/kernel/tainted)

# suite_log_check: the kernel problems logged since suite_t0, and the
# W/D/B/M/L taint flags that appeared since then; silent when none.
suite_log_check() {
	local log=/tmp/run_all.suite.dmesg new
	dmesg | awk -v t0="$suite_t0" '
		match($0, /^\[ *[0-9]+\.[0-9]+\]/) {
			ts = substr($0, 2, RLENGTH - 2) + 0
		}
		ts >= t0' >"$log"
	new=$(($(cat /proc/sys/kernel/tainted) & ~suite_taint))
	"$scan" --tainted "$new" "$log"
	rm -f "$log"
}

echo "TAP version 13"
echo "1..$((${#tests[@]} + 1))"
pass=0
fail=0
skip=0
n=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	name=$(basename "$t")
	echo "# selftests: tcpcrypt: $name"
	mark=$(dmesg | wc -l)
	t0=$SECONDS
	timeout -k 10 "$timeout" bash "$t" 2>&1 | tee /tmp/run_all.out | as_comment
	rc=${PIPESTATUS[0]}
	echo "# $name: $((SECONDS - t0)) s in the guest"
	dmesg | tail -n +$((mark + 1)) >/tmp/run_all.dmesg
	splat=$("$scan" /tmp/run_all.dmesg)
	left=$(leftovers)

	reason=
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		reason="TIMEOUT $timeout seconds"
	elif [ -n "$splat" ]; then
		reason="kernel log problem"
		printf '%s\n' "$splat" | as_comment
	elif [ -n "$left" ]; then
		reason="left behind: $left"
	fi

	if [ -z "$reason" ] && [ "$rc" -eq 0 ]; then
		echo "ok $n - $name"
		pass=$((pass + 1))
	elif [ -z "$reason" ] && [ "$rc" -eq 4 ]; then
		echo "ok $n - $name # SKIP $(sed -n 's/^# SKIP: //p' /tmp/run_all.out | tail -n 1)"
		skip=$((skip + 1))
	else
		echo "not ok $n - $name # exit=$rc${reason:+ $reason}"
		fail=$((fail + 1))
	fi
done
rm -f /tmp/run_all.dmesg /tmp/run_all.out

n=$((n + 1))
if splat=$(suite_log_check); then
	echo "ok $n - kernel log"
	pass=$((pass + 1))
else
	printf '%s\n' "$splat" | as_comment
	echo "not ok $n - kernel log # new kernel problems during the run"
	fail=$((fail + 1))
fi

echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
[ "$fail" -eq 0 ]
