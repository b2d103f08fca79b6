#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unmodified programs through the module, between ns1 (clients) and ns2
# (servers), both with tcpcryptd; while each runs, tcnetstat must show its
# connections encrypting:
#  - iperf3 -n 32M: succeeds and sent at least 32 MiB (iperf3 checks no
#    data; its receiver count stops at the end-of-test message, short of
#    the total even over plain TCP);
#  - curl fetching a random 16 MiB file from python3 -m http.server: the
#    SHA-256 of the download is the file's;
#  - scp of a random 4 MiB file to an sshd in ns2 (host key and the root
#    authorized key in tmpfs), SHA-256 compared; skipped when sshd is not
#    installed (openssh-server).
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_e2e.sh"

require_cmd iperf3 curl ss sha256sum
e2e_init
e2e_daemon 1
e2e_daemon 2

# listening NS PORT: something listens on TCP PORT in NS
listening() {
	[ -n "$(ns_exec "$1" ss -Hltn "sport = :$2" 2>/dev/null)" ]
}

# watch_start NS PORT: sample tcnetstat in NS in the background, keeping the
# rows of encrypting connections whose local or remote port is PORT
watch_start() {
	local ns=$1 port=$2
	WATCH_OUT=$XFER_DIR/watch.$port
	: >"$WATCH_OUT"
	(
		for _ in $(seq 600); do
			ns_exec "$ns" "$BIN/tcnetstat" 2>/dev/null | awk -v p=":$port" '
				NR > 1 && $7 == "encrypting" &&
				(substr($2, length($2) - length(p) + 1) == p ||
				 substr($3, length($3) - length(p) + 1) == p)'
			sleep 0.2
		done
	) >>"$WATCH_OUT" &
	WATCH_PID=$!
}

watch_stop() {
	kill "$WATCH_PID" 2>/dev/null
	wait "$WATCH_PID" 2>/dev/null
}

# watched_conns: distinct connections the watcher saw encrypting
watched_conns() {
	awk '{ print $2, $3 }' "$WATCH_OUT" | sort -u | wc -l
}

# --- iperf3 ------------------------------------------------------------------
log "iperf3 -n 32M ns1 -> ns2"
ns_prefix "$NS2"
"${NS_PREFIX[@]}" iperf3 -s -1 -B "$NS2_IP4" -p 47401 >"$XFER_DIR/iperf3.server" 2>&1 &
ipid=$!
if wait_until 20 listening "$NS2" 47401; then
	watch_start "$NS1" 47401
	ns_exec "$NS1" timeout 180 iperf3 -c "$NS2_IP4" -p 47401 -n 32M -J \
		>"$XFER_DIR/iperf3.json" 2>&1
	rc=$?
	watch_stop
	check_eq "iperf3 client succeeds" "$rc" 0
	got=$(python3 -c 'import json, sys
end = json.load(open(sys.argv[1]))["end"]
print(end["sum_sent"]["bytes"] >= 32 << 20, end["sum_received"]["bytes"] > 0)' \
		"$XFER_DIR/iperf3.json" 2>&1)
	check_eq "iperf3 sent at least 32 MiB and the server received data" "$got" "True True"
	check_gt "tcnetstat showed iperf3's control and data connections encrypting" \
		"$(watched_conns)" 1
else
	fail "iperf3 server listens in ns2: $(cat "$XFER_DIR/iperf3.server")"
fi
kill "$ipid" 2>/dev/null
wait "$ipid" 2>/dev/null

# --- curl + python3 -m http.server --------------------------------------------
log "curl of a random 16 MiB file from python3 -m http.server"
www=$XFER_DIR/www
mkdir -p "$www"
head -c $((16 << 20)) /dev/urandom >"$www/blob"
ns_prefix "$NS2"
"${NS_PREFIX[@]}" python3 -m http.server --bind "$NS2_IP4" --directory "$www" 47402 \
	>"$XFER_DIR/http.log" 2>&1 &
hpid=$!
if wait_until 30 listening "$NS2" 47402; then
	watch_start "$NS2" 47402
	# --limit-rate: the download lasts a few seconds, long enough to be seen
	ns_exec "$NS1" curl -sS --max-time 180 --limit-rate 4M -o "$XFER_DIR/blob.got" \
		"http://$NS2_IP4:47402/blob"
	rc=$?
	watch_stop
	check_eq "curl succeeds" "$rc" 0
	check_eq "downloaded file intact (SHA-256)" \
		"$(sha256sum <"$XFER_DIR/blob.got" 2>/dev/null | cut -d' ' -f1)" \
		"$(sha256sum <"$www/blob" | cut -d' ' -f1)"
	check_gt "tcnetstat showed the HTTP connection encrypting" "$(watched_conns)" 0
else
	fail "python3 -m http.server listens in ns2: $(cat "$XFER_DIR/http.log")"
fi
kill "$hpid" 2>/dev/null
wait "$hpid" 2>/dev/null

# --- scp to sshd --------------------------------------------------------------
SSHD=${SSHD:-/usr/sbin/sshd}
if [ ! -x "$SSHD" ] || ! command -v scp >/dev/null || ! command -v ssh-keygen >/dev/null; then
	fail "scp to sshd: $SSHD or scp/ssh-keygen missing (tools/deps installs openssh-server and openssh-client)"
else
	log "scp of a random 4 MiB file to sshd in ns2"
	sshdir=$XFER_DIR/ssh
	mkdir -p "$sshdir" /run/sshd
	chmod 700 "$sshdir"
	ssh-keygen -q -t ed25519 -N '' -f "$sshdir/host_key" &&
		ssh-keygen -q -t ed25519 -N '' -f "$sshdir/id" &&
		cp "$sshdir/id.pub" "$sshdir/authorized_keys" ||
		fail "ssh-keygen"
	head -c $((4 << 20)) /dev/urandom >"$sshdir/file"
	ns_prefix "$NS2"
	"${NS_PREFIX[@]}" "$SSHD" -D -e -f /dev/null -o ListenAddress="$NS2_IP4:47403" \
		-o HostKey="$sshdir/host_key" -o AuthorizedKeysFile="$sshdir/authorized_keys" \
		-o PermitRootLogin=prohibit-password -o StrictModes=no -o UsePAM=no \
		-o PidFile=none -o Subsystem="sftp internal-sftp" \
		>"$XFER_DIR/sshd.log" 2>&1 &
	spid=$!
	if wait_until 30 listening "$NS2" 47403; then
		watch_start "$NS2" 47403
		ns_exec "$NS1" timeout 180 scp -q -i "$sshdir/id" -P 47403 \
			-o BatchMode=yes -o StrictHostKeyChecking=no \
			-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
			"$sshdir/file" "root@$NS2_IP4:$sshdir/file.got"
		rc=$?
		watch_stop
		check_eq "scp succeeds" "$rc" 0
		check_eq "copied file intact (SHA-256)" \
			"$(sha256sum <"$sshdir/file.got" 2>/dev/null | cut -d' ' -f1)" \
			"$(sha256sum <"$sshdir/file" | cut -d' ' -f1)"
		check_gt "tcnetstat showed the ssh connection encrypting" "$(watched_conns)" 0
	else
		fail "sshd listens in ns2: $(tail -n 5 "$XFER_DIR/sshd.log" | tr '\n' ' ')"
	fi
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
fi
ksft_exit
