#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Per-connection resumption policy (RFC 8548 section 3.5), set by
# applications through libtcpcrypt (sessid_probe -n/-N/-F, the socket
# passed to tcpcryptd) between ns1 and ns2, both with tcpcryptd:
#  - TCP_CRYPT_NORESUME before connect(): the client offers no resumption
#    although its cache holds a secret for the server: a fresh exchange
#    (session ID byte 0x23, a key agreement request at both daemons); the
#    next connection, without the option, resumes (the policy was that
#    socket's only);
#  - TCP_CRYPT_NORESUME on the listening socket, or set before listen():
#    the server answers a resumption offer with a fresh exchange;
#  - a socket of ns1 passed to the daemon of ns2: EXDEV;
#  - an unprivileged user gets 256 policies per 10 minutes, then EDQUOT;
#  - TCP_CRYPT_NOCACHE before connect() or on the listener: that end
#    caches nothing of the connection, the other end caches as usual;
#  - TCP_CRYPT_NOCACHE on the connected sockets: the secrets the
#    connection cached at both ends are forgotten at once.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

# pconn ID PORT DESC SERVER_OPTS CLIENT_OPTS: a probe connection
# ns1 -> ns2:PORT with those options; sets SID (the client's session ID),
# checks both ends agree and every policy call succeeded
pconn() {
	local id=$1 port=$2 d=$3 sid_s
	SID=
	if ! probe_run "$id" "$NS2" "$NS1" "$NS2_IP4" "$port" "$CTL2" "$CTL1" \
		"$4" "$5"; then
		fail "$d: the probe connection and its round trip"
		return 1
	fi
	SID=$(probe_sessid "$id" client)
	sid_s=$(probe_sessid "$id" server)
	check_match "$d: a session ID at the client" "$SID" '^[0-9A-F]{66}$'
	check_eq "$d: the same at the server" "$sid_s" "$SID"
	check_eq "$d: no policy call failed" \
		"$(cat "$XFER_DIR/$id.probe.server" "$XFER_DIR/$id.probe.client" |
			awk '$1 == "policy" && $3 != "ok"' | wc -l)" 0
}

# kex_sum: key agreement requests of both daemons so far
kex_sum() {
	echo $(($(counter "$NS1" kex_requests) + $(counter "$NS2" kex_requests)))
}

flush_both() {
	ns_exec "$NS1" "$BIN/tcpcryptctl" sessions flush &&
		ns_exec "$NS2" "$BIN/tcpcryptctl" sessions flush ||
		fail "tcpcryptctl sessions flush"
}

resume_init

log "a fresh exchange fills both caches"
pconn first 47531 "first" "" ""
check_match "first: a fresh exchange" "$SID" '^23'
check_eq "first: both hosts cache a secret" \
	"$(counter "$NS1" sessions_cached) $(counter "$NS2" sessions_cached)" "1 1"

log "TCP_CRYPT_NORESUME before connect()"
kex0=$(kex_sum)
res1=$(counter "$NS1" sessions_resumed)
pconn nores 47532 "client noresume" "" "-n"
grep -q '^policy noresume ok$' "$XFER_DIR/nores.probe.client" ||
	fail "client noresume: the probe set the option"
check_match "client noresume: a fresh exchange although a secret was cached" "$SID" '^23'
check_gt "client noresume: key agreement requests to the daemons" "$(kex_sum)" "$kex0"
check_eq "client noresume: nothing resumed" "$(counter "$NS1" sessions_resumed)" "$res1"
pconn after 47533 "next connection" "" ""
check_match "next connection, no option: it resumes" "$SID" '^A3'
check_eq "next connection: resumed at the client" \
	"$(counter "$NS1" sessions_resumed)" $((res1 + 1))

log "TCP_CRYPT_NORESUME on the listening socket"
res2=$(counter "$NS2" sessions_resumed)
kex0=$(kex_sum)
pconn lnores 47534 "listener noresume" "-n" ""
check_match "listener noresume: the offer answered with a fresh exchange" "$SID" '^23'
check_gt "listener noresume: key agreement requests to the daemons" "$(kex_sum)" "$kex0"
check_eq "listener noresume: nothing resumed at the server" \
	"$(counter "$NS2" sessions_resumed)" "$res2"

log "TCP_CRYPT_NORESUME set before listen()"
res2=$(counter "$NS2" sessions_resumed)
pconn blnores 47539 "noresume before listen()" "-B -n" ""
check_match "noresume before listen(): the offer answered with a fresh exchange" "$SID" '^23'
check_eq "noresume before listen(): nothing resumed at the server" \
	"$(counter "$NS2" sessions_resumed)" "$res2"

log "a socket of another namespace: EXDEV"
out=$XFER_DIR/xdev.out
ns_exec "$NS1" "$PROBE" -c "$CTL2" -t 30 -n client "$NS2_IP4" 47540 >"$out" 2>&1
check_eq "ns1's socket sent to ns2's daemon: refused" \
	"$(awk '$1 == "policy" { print $3 }' "$out")" EXDEV

log "a user's quota: 256 policies per 10 minutes"
# as nobody: unconnected sockets, TCP_CRYPT_NOCACHE on each (libtcpcrypt
# through ctypes) until a call fails; it prints "<count> <errno name>"
quota_out=$(ns_exec "$NS1" setpriv --reuid 65534 --regid 65534 --clear-groups \
	python3 - "$TOP/build/lib/libtcpcrypt.so" "$CTL1" 300 <<'PY' 2>&1
import ctypes, errno, socket, sys
lib = ctypes.CDLL(sys.argv[1], use_errno=True)
lib.tcpcrypt_setparam(0, ctypes.c_char_p(sys.argv[2].encode()))
one = ctypes.c_int(1)
socks = []
for i in range(int(sys.argv[3])):
    s = socket.socket()
    socks.append(s)
    if lib.tcpcrypt_setsockopt(s.fileno(), socket.IPPROTO_TCP, 101,
                               ctypes.byref(one), ctypes.sizeof(one)):
        print(i, errno.errorcode.get(ctypes.get_errno(), "?"))
        break
else:
    print(len(socks), "none")
PY
)
check_eq "nobody: the 257th policy refused" "$quota_out" "256 EDQUOT"

log "TCP_CRYPT_NOCACHE before connect() and on the listener"
flush_both
pconn cnoc 47535 "client nocache" "" "-N"
check_match "client nocache: a fresh exchange" "$SID" '^23'
check_eq "client nocache: the client cached nothing, the server did" \
	"$(counter "$NS1" sessions_cached) $(counter "$NS2" sessions_cached)" "0 1"
flush_both
pconn lnoc 47536 "listener nocache" "-N" ""
check_eq "listener nocache: the server cached nothing, the client did" \
	"$(counter "$NS1" sessions_cached) $(counter "$NS2" sessions_cached)" "1 0"

log "TCP_CRYPT_NOCACHE on connected sockets: their cached secrets go"
flush_both
pconn flush 47537 "flush" "-F" "-F"
grep -q '^policy flush ok$' "$XFER_DIR/flush.probe.client" ||
	fail "flush: the client set the option on its connection"
check_eq "flush: both hosts forgot the connection's secret" \
	"$(counter "$NS1" sessions_cached) $(counter "$NS2" sessions_cached)" "0 0"
pconn fresh 47538 "after the flush" "" ""
check_match "after the flush: a fresh exchange" "$SID" '^23'
ksft_exit
