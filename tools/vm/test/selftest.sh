#!/bin/bash
# Self-test of the VM runner (tools/vm/run) and of its kernel log scanner.
# Boots about a dozen guests (a few minutes under TCG); prints TAP and the
# kselftest "# Totals:" line, exits 1 when a case failed.
#
# Usage: tools/vm/test/selftest.sh [CASE...]   (default: every case)
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/../../.." && pwd -P)
run=$repo/tools/vm/run
check=$repo/tools/vm/check-kernel-log
work=$(mktemp -d "${TMPDIR:-/tmp}/vm-selftest.XXXXXX")
trap 'rm -rf "$work"' EXIT

pass=0
fail=0
n=0

# vm EXPECTED_RC [run options] -- command...: run a guest, keep its
# combined output (runner messages included) in $work/out.
vm() {
	local want=$1 rc
	shift
	"$run" "$@" >"$work/out" 2>&1
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "# expected exit $want, got $rc; output:"
		sed 's/^/#   /' "$work/out" | tail -n 40
		return 1
	fi
}

has() { # regex: the last guest output matches
	grep -Eq -- "$1" "$work/out" && return 0
	echo "# output lacks /$1/:"
	sed 's/^/#   /' "$work/out" | tail -n 40
	return 1
}

kver() {
	local v
	for d in /lib/modules/*; do
		v=${d##*/}
		[ -f "/boot/vmlinuz-$v" ] && echo "$v"
	done | sort -V | tail -n 1
}

case_uname() {
	vm 0 -- uname -r && has "^$(kver)\$"
}

case_exit_status() {
	vm 3 -- sh -c 'exit 3' && vm 7 -- 'echo out; echo err >&2; exit 7' &&
		has '^out$' && has '^err$'
}

case_argument_quoting() {
	vm 0 -- printf '<%s>' "a b" "c'd" '$HOME' && has "<a b><c'd><\\\$HOME>"
}

case_environment() {
	vm 0 -- 'echo "cwd=$PWD home=$HOME"; id -u; touch /tmp/x /run/x $VM_OUT/x;
		! touch /etc/x 2>/dev/null; test -w /run/netns || mkdir /run/netns' &&
		has "^cwd=$repo home=/tmp\$" && has '^0$'
}

case_netns_tools() {
	vm 0 -- 'set -e
		modprobe veth; modprobe sch_netem; modprobe nf_conntrack; modprobe nf_tables
		ip netns add a; ip netns add b
		ip link add va netns a type veth peer name vb netns b
		ip -n a addr add 10.9.0.1/24 dev va; ip -n a link set va up
		ip -n b addr add 10.9.0.2/24 dev vb; ip -n b link set vb up
		ip netns exec a nft add table inet t
		ip netns exec a tc qdisc add dev va root netem delay 1ms
		ip netns exec b timeout 20 tcpdump -c 2 -ni vb icmp 2>/dev/null &
		sleep 2
		ip netns exec a busybox ping -c 2 -W 5 10.9.0.2 >/dev/null
		wait
		ip netns del a; ip netns del b
		echo netns-ok' && has '^netns-ok$'
}

case_orphans_reaped() {
	# The sleep outlives its parent and is re-parented to the guest's
	# PID 1, which must reap it.
	vm 0 -- 'sh -c "sleep 0.2 & echo orphan=\$!" >/tmp/pid; sleep 2
		cat /tmp/pid; test -d /proc/$(cut -d= -f2 /tmp/pid) && echo orphan-left
		echo "zombies=$(cat /proc/[0-9]*/stat 2>/dev/null | grep -c ") Z ")"' &&
		has '^orphan=[0-9]+$' && ! grep -q orphan-left "$work/out" &&
		has '^zombies=0$'
}

case_warning_detected() {
	local m=$repo/build/vm/selftest-warnmod
	rm -rf "$m" && mkdir -p "$m" &&
		cp "$here/warn_on_load.c" "$m/" &&
		echo 'obj-m += warn_on_load.o' >"$m/Kbuild" &&
		make -s -C "/lib/modules/$(kver)/build" M="$m" modules >/dev/null 2>&1 ||
		{ echo "# cannot build the warning module"; return 1; }
	vm 1 -- insmod "$m/warn_on_load.ko" &&
		has 'FAIL: the guest kernel log shows a kernel problem' &&
		has 'WARNING: CPU: [0-9]+ PID: [0-9]+ at .*warn_on_load' &&
		has 'deliberate warning'
}

case_call_trace_detected() {
	vm 1 -- 'echo l >/proc/sysrq-trigger' && has '> .*Call Trace:'
}

case_failing_command_keeps_status() {
	vm 5 -- 'echo l >/proc/sysrq-trigger; exit 5' && has 'Call Trace:'
}

case_timeout() {
	vm 124 --timeout 15 -- 'echo before; sleep 600' &&
		has '^before$' && has 'timeout: command still running after 15 s'
}

case_never_reached() {
	VM_BOOT_TIMEOUT=1 vm 125 -- true &&
		has 'did not reach the command within 1 s'
}

case_keep_output() {
	vm 0 --keep-output "$work/kept" -- 'echo kept' &&
		[ "$(cat "$work/kept/output")" = kept ] &&
		[ "$(cat "$work/kept/status")" = 0 ] &&
		grep -q 'Linux version' "$work/kept/dmesg" ||
		{ echo "# kept output incomplete"; ls -l "$work/kept" | sed 's/^/#   /'; return 1; }
}

case_checkout_under_tmp() {
	# A checkout under /tmp is hidden by the guest's tmpfs; the runner
	# must export it separately.
	local copy=/tmp/vm-selftest-checkout.$$
	mkdir -p "$copy/tools" && cp -a "$repo/tools/vm" "$copy/tools/" &&
		echo marker >"$copy/marker" || return 1
	"$copy/tools/vm/run" -- 'pwd; cat marker' >"$work/out" 2>&1
	local rc=$?
	rm -rf "$copy"
	[ "$rc" -eq 0 ] && has "^$copy\$" && has '^marker$'
}

case_scanner_patterns() {
	local f ok=0
	for f in "$here"/logs/bad-*.log; do
		if "$check" "$f" >/dev/null; then
			echo "# not detected: $f"
			ok=1
		fi
	done
	for f in "$here"/logs/good-*.log; do
		if ! "$check" "$f" >"$work/out"; then
			echo "# false positive: $f"
			sed 's/^/#   /' "$work/out"
			ok=1
		fi
	done
	"$check" --tainted 512 /dev/null >/dev/null && { echo "# taint W missed"; ok=1; }
	"$check" --tainted 12288 /dev/null >/dev/null || { echo "# taint O|E flagged"; ok=1; }
	return $ok
}

cases=(scanner_patterns uname exit_status argument_quoting environment
	netns_tools orphans_reaped warning_detected call_trace_detected
	failing_command_keeps_status timeout never_reached keep_output
	checkout_under_tmp)
[ $# -gt 0 ] && cases=("$@")

echo "TAP version 13"
echo "1..${#cases[@]}"
for c in "${cases[@]}"; do
	n=$((n + 1))
	if "case_$c"; then
		echo "ok $n - $c"
		pass=$((pass + 1))
	else
		echo "not ok $n - $c"
		fail=$((fail + 1))
	fi
done
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"
[ "$fail" -eq 0 ]
