# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# One measurement of each kind for tools/bench/run.sh: a bulk transfer with
# ktls_bench or iperf3, or a series of short connections with conn_bench.
# Sourced after lib_methods.sh. Each appends its figures to $RESULTS, one
# "tool method round metric value" line (tab-separated) each, for
# report.py. A transfer that fails (error, timeout, checksum mismatch) is
# recorded as failed and the benchmark goes on; a run that was not
# protected as its method says ends it (lib_methods.sh).

RESULTS=$WORK/results
next_port=46000
n_failed=0

# CPU time all CPUs spent busy (user, system, irq, softirq, steal), in
# clock ticks: both ends, the softirqs and the kernel threads included.
cpu_busy_ticks() {
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}

cpu_s_per_gib() { # TICKS BYTES
	awk -v t="$1" -v hz="$HZ" -v b="$2" 'BEGIN { printf "%.3f", t / hz / (b / 2^30) }'
}

record() { # TOOL METHOD ROUND METRIC VALUE
	printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"
}

# failed TOOL METHOD ROUND WHY: recorded, reported, counted
failed() {
	record "$1" "$2" "$3" failed 1
	n_failed=$((n_failed + 1))
	note "round $3  $1 $2: FAILED: $4"
}

# server_start NS READY COMMAND...: a server in NS in the background
# (SERVER_PID); succeeds once READY exists (the server listens).
server_start() {
	local ns=$1 ready=$2
	shift 2
	rm -f "$ready"
	ns_prefix "$ns"
	"${NS_PREFIX[@]}" "$@" >"$WORK/server.out" 2>&1 &
	SERVER_PID=$!
	wait_until 20 test -e "$ready" ||
		die "server $* did not start: $(cat "$WORK/server.out")"
}

# server_finish: the server's exit status, once it ended by itself (it is
# killed after 60 s: a failure)
server_finish() {
	if ! wait_until 60 sh -c "! kill -0 $SERVER_PID 2>/dev/null"; then
		kill -9 "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
		return 1
	fi
	wait "$SERVER_PID"
}

server_kill() {
	kill -9 "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
}

# key value output of the benchmark programs
kv() { # TEXT KEY
	printf '%s\n' "$1" | awk -v k="$2" '$1 == k { print $2 }'
}

# bulk_stream METHOD ROUND: ktls_bench for BENCH_SECONDS, every byte
# checked; records mbit_s and cpu_s_per_gib. The client holds the
# connection open once its figures are out, so that the protection is
# checked at both ends without disturbing the measurement.
bulk_stream() {
	local m=$1 round=$2 port=$((next_port++)) sa tls=() out t0 t1 rc cpid bytes
	local hold=$WORK/hold
	sa=$(method_server "$m")
	case $m in ktls-*) tls=(--tls "$(method_aead "$m")") ;; esac
	rm -f "$hold" "$hold.release"
	server_start "$B" "$WORK/ready" "$BENCH_BIN/ktls_bench" server "$sa" \
		"$port" "$WORK/ready" --hold "$hold" "${tls[@]}"
	protect_before "$m"
	t0=$(cpu_busy_ticks)
	ns_prefix "$A"
	"${NS_PREFIX[@]}" timeout -s KILL $((BENCH_SECONDS + 420)) \
		"$BENCH_BIN/ktls_bench" client "$sa" "$port" \
		--seconds "$BENCH_SECONDS" --hold "$hold" "${tls[@]}" \
		>"$WORK/client.out" 2>&1 &
	cpid=$!
	while [ ! -e "$hold" ] && kill -0 "$cpid" 2>/dev/null; do
		sleep 0.1
	done
	t1=$(cpu_busy_ticks)
	out=$(cat "$WORK/client.out")
	if [ -e "$hold" ] && [ "$(kv "$out" result)" = ok ]; then
		bytes=$(kv "$out" bytes)
		protect_snapshot "$m"
		protect_after "$m" "$bytes" "$(kv "$out" local)" "$(kv "$out" remote)"
	fi
	touch "$hold.release"
	wait "$cpid"
	rc=$?
	if [ $rc -ne 0 ]; then
		server_kill
		failed stream "$m" "$round" "client exit $rc: $(tr '\n' ' ' <"$WORK/client.out") server: $(tr '\n' ' ' <"$WORK/server.out")"
		return
	fi
	if ! server_finish; then
		failed stream "$m" "$round" "server: $(tr '\n' ' ' <"$WORK/server.out")"
		return
	fi
	record stream "$m" "$round" mbit_s "$(kv "$out" mbit_s)"
	record stream "$m" "$round" cpu_s_per_gib "$(cpu_s_per_gib $((t1 - t0)) "$bytes")"
	note "$(printf 'round %s  %-26s %8.1f Mbit/s' "$round" "stream $m" "$(kv "$out" mbit_s)")"
}

# bulk_iperf3 METHOD ROUND: iperf3 -t BENCH_SECONDS, the usual tool, as a
# second opinion (it has no kTLS). Its two connections (control and data)
# are checked once they are over: the data connection is often reset at
# the end and leaves no entry in tcnetstat, so for tcpcrypt the ends still
# listed and the module's counters are the proof (tcn_verify_conns).
bulk_iperf3() {
	local m=$1 round=$2 port=$((next_port++)) sa t0 t1 rc vals
	local mbit bytes json=$WORK/iperf3.json
	sa=$(method_server "$m")
	ns_prefix "$B"
	"${NS_PREFIX[@]}" iperf3 -s -1 -B "$sa" -p "$port" >"$WORK/server.out" 2>&1 &
	SERVER_PID=$!
	wait_until 20 sh -c "ip netns exec $B ss -Hltn 'sport = :$port' | grep -q ." ||
		die "iperf3 server did not start: $(cat "$WORK/server.out")"
	protect_before "$m"
	t0=$(cpu_busy_ticks)
	ns_exec "$A" timeout -s KILL $((BENCH_SECONDS + 120)) \
		iperf3 -c "$sa" -p "$port" -t "$BENCH_SECONDS" -J \
		>"$json" 2>"$WORK/client.err"
	rc=$?
	t1=$(cpu_busy_ticks)
	# Mbit/s and bytes the server received
	vals=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["end"]["sum_received"]
print(r["bits_per_second"] / 1e6, r["bytes"])' "$json" 2>/dev/null)
	if [ $rc -ne 0 ] || [ -z "$vals" ]; then
		server_kill
		failed iperf3 "$m" "$round" "client exit $rc: $(tr '\n' ' ' <"$WORK/client.err") $(grep '"error"' "$json")"
		return
	fi
	if ! server_finish; then
		failed iperf3 "$m" "$round" "server: $(tr '\n' ' ' <"$WORK/server.out")"
		return
	fi
	read -r mbit bytes <<<"$vals"
	protect_after "$m" "$bytes" "" "$sa:$port" ended 2
	record iperf3 "$m" "$round" mbit_s "$mbit"
	record iperf3 "$m" "$round" cpu_s_per_gib "$(cpu_s_per_gib $((t1 - t0)) "$bytes")"
	note "$(printf 'round %s  %-26s %8.1f Mbit/s' "$round" "iperf3 $m" "$mbit")"
}

# short_conns METHOD ROUND: BENCH_CONNS request/response connections one
# after another; for tcpcrypt-TEP every one of them must have been
# encrypted (AES-128-GCM, keys from TEP).
short_conns() {
	local m=$1 round=$2 port=$((next_port++)) sa out rc
	sa=$(method_server "$m")
	server_start "$B" "$WORK/ready" "$BENCH_BIN/conn_bench" server "$sa" \
		"$port" "$WORK/ready" --count "$BENCH_CONNS"
	case $m in tcpcrypt-*) tcpcrypt_counters_mark ;; esac
	out=$(ns_exec "$A" timeout -s KILL 900 "$BENCH_BIN/conn_bench" client \
		"$sa" "$port" --count "$BENCH_CONNS" 2>&1)
	rc=$?
	if [ $rc -ne 0 ]; then
		server_kill
		failed conn "$m" "$round" "client exit $rc: $(printf '%s' "$out" | tr '\n' ' ') server: $(tr '\n' ' ' <"$WORK/server.out")"
		return
	fi
	if ! server_finish; then
		failed conn "$m" "$round" "server: $(tr '\n' ' ' <"$WORK/server.out")"
		return
	fi
	case $m in tcpcrypt-*)
		tcn_verify_conns "$m" "$sa:$port" "$BENCH_CONNS" "$(conn_tep "$m")" aes128gcm
		;;
	esac
	record conn "$m" "$round" conn_s "$(kv "$out" conn_s)"
	record conn "$m" "$round" lat_median_us "$(kv "$out" lat_median_us)"
	record conn "$m" "$round" lat_p90_us "$(kv "$out" lat_p90_us)"
	note "$(printf 'round %s  %-26s %8.1f conn/s, median %s us' "$round" \
		"conn $m" "$(kv "$out" conn_s)" "$(kv "$out" lat_median_us)")"
}
