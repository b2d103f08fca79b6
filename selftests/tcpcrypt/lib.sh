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
	wait_until 60 rmmod tcpcrypt 2>/dev/null
	module_loaded || return 0
	echo "# tcpcrypt.ko still loaded, refcount $(cat /sys/module/tcpcrypt/refcnt 2>/dev/null)"
	return 1
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

# --- end-to-end helpers (e2e_*.sh) -------------------------------------------

# Addresses of setup_routed
NS1_IP4=10.0.1.1
RT1_IP4=10.0.1.254
RT2_IP4=10.0.2.254
NS2_IP4=10.0.2.1
NS1_IP6=fd00:1::1
RT1_IP6=fd00:1::fe
RT2_IP6=fd00:2::fe
NS2_IP6=fd00:2::1

# setup_routed: two hosts NS1 and NS2 and a router RT between them (the
# network, where tests capture and attack). NS1 eth0 <-> RT rt1, RT rt2 <->
# NS2 eth0; IPv4 and IPv6 (no duplicate address detection); both hosts
# route through RT. Sets NS1, RT and NS2.
setup_routed() {
	setup_ns NS1 RT NS2 || return 1
	ip link add eth0 netns "$NS1" type veth peer name rt1 netns "$RT" &&
		ip link add eth0 netns "$NS2" type veth peer name rt2 netns "$RT" ||
		return 1
	ip -n "$NS1" addr add $NS1_IP4/24 dev eth0 &&
		ip -n "$NS1" addr add $NS1_IP6/64 dev eth0 nodad &&
		ip -n "$RT" addr add $RT1_IP4/24 dev rt1 &&
		ip -n "$RT" addr add $RT1_IP6/64 dev rt1 nodad &&
		ip -n "$RT" addr add $RT2_IP4/24 dev rt2 &&
		ip -n "$RT" addr add $RT2_IP6/64 dev rt2 nodad &&
		ip -n "$NS2" addr add $NS2_IP4/24 dev eth0 &&
		ip -n "$NS2" addr add $NS2_IP6/64 dev eth0 nodad || return 1
	ip -n "$NS1" link set eth0 up && ip -n "$NS2" link set eth0 up &&
		ip -n "$RT" link set rt1 up && ip -n "$RT" link set rt2 up ||
		return 1
	ip netns exec "$RT" sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward &&
		echo 1 >/proc/sys/net/ipv6/conf/all/forwarding' || return 1
	ip -n "$NS1" route add default via $RT1_IP4 &&
		ip -n "$NS1" -6 route add default via $RT1_IP6 &&
		ip -n "$NS2" route add default via $RT2_IP4 &&
		ip -n "$NS2" -6 route add default via $RT2_IP6 || return 1
	ns_exec "$NS1" busybox ping -c 1 -W 5 $NS2_IP4 >/dev/null &&
		ns_exec "$NS1" busybox ping -c 1 -W 5 $NS2_IP6 >/dev/null
}

# start_daemon_e2e NS VAR CTL [tcpcryptd options]: start_daemon, the pid
# stored in the variable named VAR; succeeds once the daemon is registered.
start_daemon_e2e() {
	local ns=$1 var=$2 ctl=$3
	shift 3
	start_daemon "$ns" "$ctl" "$@"
	printf -v "$var" '%s' "$DAEMON_PID"
	wait_until 30 daemon_registered "$ns" "$DAEMON_PID"
}

# stop_daemon PID: SIGKILL, reaped, forgotten by kill_daemons
stop_daemon() {
	local pid=$1 p keep=()
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	for p in "${daemon_pids[@]}"; do
		[ "$p" = "$pid" ] || keep+=("$p")
	done
	daemon_pids=("${keep[@]}")
}

# Scratch files of this test (transfer reports, captures, hold files)
XFER_DIR=/tmp/$TESTNAME.$$

# xfer_start ID SERVER_NS CLIENT_NS ADDRESS PORT BYTES [tcp_xfer options]:
# tcp_xfer.py listen in SERVER_NS and connect from CLIENT_NS, in the
# background; BYTES each way, or UP:DOWN (client sends UP, server DOWN); the
# options go to both sides. Reports: $XFER_DIR/ID.listen and ID.connect;
# pids XFER_PID_<ID>_{listen,connect}. With XFER_VIA="ADDRESS PORT" set,
# the client connects there instead (a NAT in between forwards it).
xfer_start() {
	local id=$1 sns=$2 cns=$3 addr=$4 port=$5 up=${6%%:*} down=${6#*:} ready
	local via=${XFER_VIA:-} caddr cport
	caddr=${via% *} cport=${via#* }
	[ -n "$via" ] || caddr=$addr cport=$port
	shift 6
	ready=$XFER_DIR/$id.ready
	mkdir -p "$XFER_DIR"
	rm -f "$ready" "$XFER_DIR/$id".{listen,connect} "$XFER_DIR/$id".hold.*
	ns_prefix "$sns"
	"${NS_PREFIX[@]}" python3 "$SELFTESTS/tcp_xfer.py" listen "$addr" "$port" \
		"$ready" --send "$down" --expect "$up" \
		--report "$XFER_DIR/$id.listen" "$@" >"$XFER_DIR/$id.listen.out" 2>&1 &
	printf -v "XFER_PID_${id}_listen" '%s' "$!"
	if ! wait_until 20 test -e "$ready"; then
		echo "# $id: the listening side did not start: $(cat "$XFER_DIR/$id.listen.out")"
		printf -v "XFER_PID_${id}_connect" '%s' ""
		return 1
	fi
	ns_prefix "$cns"
	"${NS_PREFIX[@]}" python3 "$SELFTESTS/tcp_xfer.py" connect "$caddr" "$cport" \
		--send "$up" --expect "$down" \
		--report "$XFER_DIR/$id.connect" "$@" >"$XFER_DIR/$id.connect.out" 2>&1 &
	printf -v "XFER_PID_${id}_connect" '%s' "$!"
}

xfer_hold_prefix() { # ID
	echo "$XFER_DIR/$1.hold"
}

xfer_pid() { # ID SIDE
	local v="XFER_PID_${1}_$2"
	echo "${!v:-}"
}

# xfer_running ID SIDE: that side's process still runs
xfer_running() {
	local pid
	pid=$(xfer_pid "$1" "$2")
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# xfer_wait_held ID SECONDS: both sides hold the connection open (they
# were started with --hold "$(xfer_hold_prefix ID)"); fails early when a
# side exits instead.
xfer_held() {
	local p
	p=$(xfer_hold_prefix "$1")
	[ -e "$p.listen" ] && [ -e "$p.connect" ]
}
xfer_gone() {
	! xfer_running "$1" listen || ! xfer_running "$1" connect
}
xfer_wait_held() {
	local deadline=$(($(date +%s) + $2))
	while ! xfer_held "$1"; do
		xfer_gone "$1" && return 1
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

xfer_release() { # ID
	touch "$(xfer_hold_prefix "$1").release"
}

# xfer_finish ID SECONDS: wait for both sides (SIGKILL after SECONDS),
# print their one-line summaries as comments.
xfer_finish() {
	local id=$1 deadline=$(($(date +%s) + $2)) side pid
	for side in listen connect; do
		pid=$(xfer_pid "$id" $side)
		[ -n "$pid" ] || continue
		while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
			sleep 0.2
		done
		if kill -0 "$pid" 2>/dev/null; then
			kill -9 "$pid" 2>/dev/null
			echo "# $id $side: still running after $2 s: killed"
		fi
		wait "$pid" 2>/dev/null
		sed "s/^/# $id /" "$XFER_DIR/$id.$side.out"
	done
}

# xfer_rep ID SIDE KEY: one value of a side's report ("" when none)
xfer_rep() {
	awk -v k="$3" '$1 == k { print $2 }' "$XFER_DIR/$1.$2" 2>/dev/null
}

# xfer_check_intact ID DESC: both sides report ok, every byte matched, and
# the SHA-256 each side sent is the one the other received.
xfer_check_intact() {
	local id=$1 desc=$2 l=listen c=connect why=
	[ "$(xfer_rep "$id" $l result)" = ok ] ||
		why="listen side: $(cat "$XFER_DIR/$id.$l.out" 2>/dev/null | tail -n 1)"
	[ "$(xfer_rep "$id" $c result)" = ok ] ||
		why="$why${why:+; }connect side: $(cat "$XFER_DIR/$id.$c.out" 2>/dev/null | tail -n 1)"
	if [ -z "$why" ]; then
		[ "$(xfer_rep "$id" $c sent_sha256)" = "$(xfer_rep "$id" $l recv_sha256)" ] ||
			why="SHA-256 sent by the client differs from the one the server received"
		[ "$(xfer_rep "$id" $l sent_sha256)" = "$(xfer_rep "$id" $c recv_sha256)" ] ||
			why="$why${why:+; }SHA-256 sent by the server differs from the one the client received"
	fi
	if [ -z "$why" ]; then
		pass "$desc"
	else
		fail "$desc ($why)"
		return 1
	fi
}

# tcn_row NS LOCAL REMOTE: the tcnetstat row of that connection in NS.
# Fields: 1 proto, 2 local, 3 remote, 4 role, 5 TEP, 6 AEAD, 7 state, 8 SID
tcn_row() {
	ns_exec "$1" timeout 20 "$BIN/tcnetstat" 2>/dev/null |
		awk -v l="$2" -v r="$3" 'NR > 1 && $2 == l && $3 == r'
}

# tcn_field ROW N
tcn_field() {
	printf '%s\n' "$1" | awk -v n="$2" '{ print $n }'
}

# tcn_count NS: number of connections tcnetstat lists in NS
tcn_count() {
	ns_exec "$1" timeout 20 "$BIN/tcnetstat" 2>/dev/null | awk 'NR > 1' | wc -l
}

# tcn_live NS [PORT]: the rows of NS (with PORT at either end) whose state
# is not closed or aborted
tcn_live() {
	ns_exec "$1" timeout 20 "$BIN/tcnetstat" 2>/dev/null | awk -v p="${2:+:$2}" '
		function at(e) { return p == "" || substr(e, length(e) - length(p) + 1) == p }
		NR > 1 && $7 != "closed" && $7 != "aborted" && (at($2) || at($3))'
}

# tcp_mib NS NAME: a counter of /proc/net/snmp (Tcp:) or /proc/net/netstat
# (TcpExt:) in NS
tcp_mib() {
	ns_exec "$1" cat /proc/net/snmp /proc/net/netstat 2>/dev/null | awk -v k="$2" '
		$1 == "Tcp:" || $1 == "TcpExt:" {
			if (!($1 in hdr)) { hdr[$1] = 1; for (i = 2; i <= NF; i++) name[$1, i] = $i; next }
			for (i = 2; i <= NF; i++) if (name[$1, i] == k) { print $i; exit }
		}'
}

# capture_start NS IFACE FILE [SNAPLEN [FILTER...]]: tcpdump writing FILE,
# in the background until capture_stop; sets CAPTURE_PID and CAPTURE_FILE.
# --immediate-mode: without it libpcap hands packets over in blocks, every
# second at worst, and the block unfinished at SIGINT is lost.
capture_start() {
	local ns=$1 ifc=$2 file=$3 snap=${4:-256}
	shift 3
	[ $# -gt 0 ] && shift
	ns_prefix "$ns"
	"${NS_PREFIX[@]}" tcpdump -i "$ifc" -s "$snap" -B 16384 -n -U -Z root \
		--immediate-mode -w "$file" "$@" >"$file.log" 2>&1 &
	CAPTURE_PID=$!
	CAPTURE_FILE=$file
	wait_until 20 grep -q 'listening on' "$file.log"
}

# capture_stop: stop the tcpdump of capture_start (its last packets
# flushed); a failure if the kernel dropped any, for checks read the
# capture as complete
capture_stop() {
	local dropped

	[ -n "${CAPTURE_PID:-}" ] || return 0
	kill -INT "$CAPTURE_PID" 2>/dev/null
	wait_until 20 sh -c "! kill -0 $CAPTURE_PID 2>/dev/null" ||
		kill -9 "$CAPTURE_PID" 2>/dev/null
	wait "$CAPTURE_PID" 2>/dev/null
	CAPTURE_PID=
	dropped=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' \
		"$CAPTURE_FILE.log")
	[ "${dropped:-0}" -eq 0 ] ||
		fail "capture $(basename "$CAPTURE_FILE"): $dropped packets dropped by the kernel"
}

# pcap_table PCAP PORT: one line per TCP segment to or from PORT, fields
# separated by tabs: 1 frame, 2 source address, 3 source port,
# 4 destination port, 5 SYN, 6 ACK, 7 FIN, 8 RST, 9 ECE, 10 CWR, 11 IP ECN,
# 12 relative seq, 13 length, 14 option kinds (comma separated),
# 15 payload (hex, as far as the snap length kept it)
pcap_table() {
	timeout 300 tshark -r "$1" -n -Y "tcp.port == $2" -T fields \
		-E separator=/t -E occurrence=a -E aggregator=, \
		-e frame.number -e ip.src -e ipv6.src -e tcp.srcport -e tcp.dstport \
		-e tcp.flags.syn -e tcp.flags.ack -e tcp.flags.fin -e tcp.flags.reset \
		-e tcp.flags.ece -e tcp.flags.cwr -e ip.dsfield.ecn -e ipv6.tclass.ecn \
		-e tcp.seq -e tcp.len -e tcp.option_kind -e tcp.payload 2>/dev/null |
		awk -F'\t' -v OFS='\t' '{
			print $1, $2 $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 $13, $14, $15, $16, $17
		}'
}

# hex_of TEXT: TEXT as lower-case hex digits
hex_of() {
	printf '%s' "$1" | od -An -tx1 | tr -d ' \n'
}

# wire_bytes TABLE SPORT: payload bytes the sender on SPORT put on the wire
# (highest relative sequence number reached, minus the SYN)
wire_bytes() {
	printf '%s\n' "$1" | awk -F'\t' -v p="$2" '
		$3 == p && $13 > 0 && $12 + $13 > max { max = $12 + $13 }
		END { print (max ? max - 1 : 0) }'
}
