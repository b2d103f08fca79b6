# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers for the tcpcrypt kselftests; sourced by every test_*.sh.
#
# A test script calls `check`-style assertions, each printing one
# "# [ OK ] ..." or "# [FAIL] ..." line, then ends with `ksft_exit`: exit 0
# when every assertion held, 1 when one failed, 4 (skip) only through
# `ksft_skip_exit` for a missing piece of the environment.

ksft_pass=0
ksft_fail=1
ksft_skip=4

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
BIN=${BIN:-$TOP/build/bin}
KO=${KO:-$TOP/kmod/tcpcrypt.ko}
SELFTESTS=$TOP/selftests/tcpcrypt
TESTNAME=$(basename "$0" .sh)

n_ok=0
n_fail=0
created_ns=()

log() {
	echo "# $*"
}

pass() {
	n_ok=$((n_ok + 1))
	echo "# [ OK ] $*"
}

fail() {
	n_fail=$((n_fail + 1))
	echo "# [FAIL] $*"
}

ksft_exit() {
	log "$TESTNAME: $n_ok passed, $n_fail failed"
	[ "$n_fail" -eq 0 ] && exit $ksft_pass
	exit $ksft_fail
}

ksft_skip_exit() {
	log "SKIP: $*"
	exit $ksft_skip
}

# check DESCRIPTION COMMAND...: the command succeeds
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass "$desc"
	else
		fail "$desc (\`$*\` failed: $(printf '%s' "$out" | tail -n 3 | tr '\n' ' '))"
		return 1
	fi
}

# check_fail DESCRIPTION COMMAND...: the command fails
check_fail() {
	local desc=$1
	shift
	if "$@" >/dev/null 2>&1; then
		fail "$desc (\`$*\` succeeded)"
		return 1
	fi
	pass "$desc"
}

# check_eq DESCRIPTION GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1 (got '$2', want '$3')"
		return 1
	fi
}

# check_match DESCRIPTION TEXT EXTENDED_REGEX
check_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		pass "$1"
	else
		fail "$1 (/$3/ not in: $(printf '%s' "$2" | head -n 5 | tr '\n' ' '))"
		return 1
	fi
}

# check_gt DESCRIPTION NUMBER MIN: NUMBER > MIN
check_gt() {
	if [ -n "$2" ] && [ "$2" -gt "$3" ] 2>/dev/null; then
		pass "$1"
	else
		fail "$1 (got '$2', want more than $3)"
		return 1
	fi
}

# wait_until SECONDS COMMAND...: poll (every 0.1 s) until the command
# succeeds; fails after SECONDS.
wait_until() {
	local deadline=$(($(date +%s) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

# Skip unless the named commands exist.
require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || ksft_skip_exit "$c not installed"
	done
}

# The module and the programs are build products: their absence is a
# failure of the build, not an environmental skip.
require_build() {
	local f
	for f in "$KO" "$BIN/tcpcryptd" "$BIN/tcpcryptctl"; do
		if [ ! -e "$f" ]; then
			fail "$f missing: run make first"
			ksft_exit
		fi
	done
}

module_loaded() {
	[ -d /sys/module/tcpcrypt ]
}

module_load() {
	module_loaded || insmod "$KO"
}

# rmmod, retrying while the namespaces being torn down still hold the module
module_unload() {
	module_loaded || return 0
	wait_until 20 rmmod tcpcrypt
	! module_loaded
}

# setup_ns VAR...: create one namespace per variable name (unique names,
# loopback up), store each name in its variable.
setup_ns() {
	local var name
	for var in "$@"; do
		name=$var-$$-$RANDOM
		ip netns add "$name" || return 1
		created_ns+=("$name")
		ip -n "$name" link set lo up || return 1
		printf -v "$var" '%s' "$name"
	done
}

cleanup_ns() {
	local ns
	for ns in "${created_ns[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	created_ns=()
}

# ns_exec NS COMMAND...: run in namespace NS ("" is the initial one)
ns_exec() {
	local ns=$1
	shift
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$@"
	else
		"$@"
	fi
}

# ns_prefix NS: set NS_PREFIX to the words that run a command in NS, for
# background jobs whose $! must be the program's own pid (`ip netns exec`
# execs the program; a shell function would add a subshell).
ns_prefix() {
	NS_PREFIX=()
	[ -z "$1" ] || NS_PREFIX=(ip netns exec "$1")
}

# link_ns NS1 NS2: a veth pair, 10.0.0.1/24 + fd00::1/64 in NS1 and
# 10.0.0.2/24 + fd00::2/64 in NS2 (no duplicate address detection).
link_ns() {
	ip link add veth1 netns "$1" type veth peer name veth2 netns "$2" || return 1
	ip -n "$1" addr add 10.0.0.1/24 dev veth1 &&
		ip -n "$1" addr add fd00::1/64 dev veth1 nodad &&
		ip -n "$1" link set veth1 up &&
		ip -n "$2" addr add 10.0.0.2/24 dev veth2 &&
		ip -n "$2" addr add fd00::2/64 dev veth2 nodad &&
		ip -n "$2" link set veth2 up
}

# ctl_dump NS KEY: one value of `tcpcryptctl show dump` in NS
ctl_dump() {
	ns_exec "$1" "$BIN/tcpcryptctl" show dump 2>/dev/null |
		awk -v k="$2" '$1 == k { print $2; found = 1 } END { exit !found }'
}

# ctl_dump_is NS KEY VALUE: for wait_until
ctl_dump_is() {
	[ "$(ctl_dump "$1" "$2")" = "$3" ]
}

# start_daemon NS CTL_SOCKET [tcpcryptd options]: tcpcryptd in the
# foreground, in the background of this script (`ip netns exec` execs it, so
# $! is its pid); sets DAEMON_PID and DAEMON_LOG.
n_daemons=0
daemon_pids=()
start_daemon() {
	local ns=$1 sock=$2
	shift 2
	n_daemons=$((n_daemons + 1))
	DAEMON_LOG=/tmp/tcpcryptd.${ns:-init}.$n_daemons.log
	ns_prefix "$ns"
	"${NS_PREFIX[@]}" "$BIN/tcpcryptd" -f -u "$sock" "$@" >"$DAEMON_LOG" 2>&1 &
	DAEMON_PID=$!
	daemon_pids+=("$DAEMON_PID")
}

# For cleanup: SIGKILL every daemon start_daemon started that still runs.
kill_daemons() {
	local pid
	for pid in "${daemon_pids[@]}"; do
		kill -9 "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	daemon_pids=()
}

# daemon_registered NS PID: the module reports PID as the daemon of NS
daemon_registered() {
	ctl_dump_is "$1" daemon_registered 1 && ctl_dump_is "$1" daemon_pid "$2"
}

# tcp_transfer SERVER_NS CLIENT_NS ADDRESS PORT BYTES: BYTES random bytes
# from the client to a server in SERVER_NS and their SHA-256 back; succeeds
# when the server received exactly what was sent.
tcp_transfer() {
	local sns=$1 cns=$2 addr=$3 port=$4 bytes=$5 ready spid rc
	ready=$(mktemp /tmp/xfer.XXXXXX)
	rm -f "$ready"
	ns_prefix "$sns"
	"${NS_PREFIX[@]}" python3 "$SELFTESTS/tcp_xfer.py" server "$addr" "$port" "$ready" &
	spid=$!
	if ! wait_until 20 test -e "$ready"; then
		kill "$spid" 2>/dev/null
		wait "$spid" 2>/dev/null
		echo "server did not start"
		return 1
	fi
	ns_exec "$cns" python3 "$SELFTESTS/tcp_xfer.py" client "$addr" "$port" "$bytes"
	rc=$?
	wait "$spid" || rc=1
	rm -f "$ready"
	return $rc
}
