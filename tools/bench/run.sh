#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Benchmarks of tcpcrypt against plain TCP, kTLS, IPsec ESP and WireGuard,
# all measured in one guest boot, over one veth pair, and reported as
# ratios: under QEMU TCG only ratios measured in the same boot mean
# anything (Documentation/benchmarks.md).
#
# Runs inside the test guest, from the checkout, after a host build:
#   make bench        (tools/bench/bench.mk: build, run, keep the report)
# or by hand:
#   make && make -C tools/bench
#   tools/vm/run --timeout 7200 -- tools/bench/run.sh
#
# Each round measures every method once: those that need tcpcrypt.ko out
# (plain TCP, kTLS, ESP, WireGuard) in one block, those with it loaded
# (tcpcrypt with each AEAD, plain TCP beside the loaded module) in the
# other; blocks alternate W M M W W M ... so that the module is loaded and
# removed as rarely as possible, and the order inside a block reverses
# every other round. Each figure is the median of the rounds, each ratio
# the median of the ratios within a round. Knobs (environment):
#   BENCH_ROUNDS=3       rounds
#   BENCH_SECONDS=5      length of each bulk transfer
#   BENCH_AEADS="aes128gcm aes256gcm chacha20poly1305"
#                        for tcpcrypt, kTLS and ESP
#   BENCH_IPERF3=1       also measure with iperf3 (0: only ktls_bench)
#   BENCH_CONNS=200      short connections per measurement (0: none)
#   BENCH_CONN_TEPS="x25519 p256"   tcpcrypt key agreements for those
#   BENCH_OUT=FILE       also write the report there (e.g. $VM_OUT/bench.md)
#   BENCH_COMMIT=ID      the commit to name when the checkout has no .git
#                        (a `git archive` copy)
#
# A tcpcrypt measurement whose connections tcnetstat and the module's
# counters do not show encrypting, with the AEAD (and TEP) asked for, at
# both ends, ends the benchmark with an error, as does a WireGuard or ESP
# run whose bytes did not go through the tunnel or SA (lib_methods.sh).
# Nothing here judges the figures themselves.
set -u

BENCH_DIR=$(cd "$(dirname "$0")" && pwd -P)
source "$BENCH_DIR/../../selftests/tcpcrypt/lib.sh"
source "$BENCH_DIR/lib_methods.sh"
source "$BENCH_DIR/lib_measure.sh"

BENCH_ROUNDS=${BENCH_ROUNDS:-3}
BENCH_SECONDS=${BENCH_SECONDS:-5}
BENCH_AEADS=${BENCH_AEADS:-aes128gcm aes256gcm chacha20poly1305}
BENCH_IPERF3=${BENCH_IPERF3:-1}
BENCH_CONNS=${BENCH_CONNS:-200}
BENCH_CONN_TEPS=${BENCH_CONN_TEPS:-x25519 p256}
BENCH_OUT=${BENCH_OUT:-}
HZ=$(getconf CLK_TCK)

# The module stays loaded: the guest is thrown away, and removing it with
# connections left would need the wait of tcpcrypt_unload.
bench_cleanup() {
	kill_daemons
	cleanup_ns
	rm -rf "$WORK"
}

# The build products and tools; the crypto modules loaded before anything
# is measured (aesni_intel is not auto-loaded in the guest).
prerequisites() {
	local f m
	[ "$(id -u)" -eq 0 ] || die "must run as root (inside tools/vm/run)"
	for f in "$KO" "$BIN/tcpcryptd" "$BIN/tcnetstat" "$BIN/tcpcryptctl" \
		"$BENCH_BIN/ktls_bench" "$BENCH_BIN/conn_bench"; do
		[ -e "$f" ] || die "$f missing: run make && make -C tools/bench on the host first"
	done
	for f in ip python3 busybox ss timeout; do
		command -v $f >/dev/null || die "$f not installed"
	done
	[ "$BENCH_IPERF3" = 0 ] || command -v iperf3 >/dev/null ||
		die "iperf3 not installed (tools/deps), or set BENCH_IPERF3=0"
	[ "$BENCH_SECONDS" -ge 2 ] 2>/dev/null ||
		die "BENCH_SECONDS must be 2 or more (tcnetstat looks at 1 s)"
	HAVE_WG=1
	command -v wg >/dev/null || HAVE_WG=0
	[ $HAVE_WG = 1 ] ||
		note "WARNING: wg (Debian package wireguard-tools) not installed: WireGuard is NOT measured"
	for m in aesni_intel ghash_clmulni_intel chacha20poly1305 veth tls \
		wireguard esp4 xfrm_user; do
		modprobe "$m" || die "modprobe $m"
	done
	module_loaded && die "tcpcrypt.ko is already loaded: the plain runs need it out"
	return 0
}

# Methods measured without tcpcrypt.ko, and with it, in this round's order
methods_without() {
	local a
	echo plain
	for a in $BENCH_AEADS; do echo "ktls-$a"; done
	for a in $BENCH_AEADS; do echo "esp-$a"; done
	[ $HAVE_WG = 0 ] || echo wireguard
}

methods_with() {
	local a
	echo plain+ko
	for a in $BENCH_AEADS; do echo "tcpcrypt-$a"; done
}

conn_methods_without() {
	echo plain
	echo esp-aes128gcm
	[ $HAVE_WG = 0 ] || echo wireguard
}

conn_methods_with() {
	local t
	echo plain+ko
	for t in $BENCH_CONN_TEPS; do echo "tcpcrypt-$t"; done
	echo tcpcrypt-resumed
}

in_order() { # ROUND: stdin in order, reversed in even rounds
	if [ $(($1 % 2)) -eq 0 ]; then tac; else cat; fi
}

# bulk METHOD ROUND: its set-up, then ktls_bench (and iperf3)
bulk() {
	local m=$1 r=$2
	case $m in
	esp-*) esp_setup "$(method_aead "$m")" ;;
	tcpcrypt-*) tcpcrypt_start "$(method_aead "$m")" ;;
	esac
	bulk_stream "$m" "$r"
	case $m in
	ktls-*) ;;
	*) [ "$BENCH_IPERF3" = 0 ] || bulk_iperf3 "$m" "$r" ;;
	esac
	case $m in tcpcrypt-*) tcpcrypt_stop ;; esac
}

# conns METHOD ROUND: short connections (tcpcrypt: AES-128-GCM, the TEP
# the method names, each with a fresh key exchange; tcpcrypt-resumed:
# x25519, each connection but the first resuming the session before it)
conns() {
	local m=$1 r=$2
	[ "$BENCH_CONNS" -gt 0 ] || return 0
	case $m in
	esp-*) esp_setup "$(method_aead "$m")" ;;
	tcpcrypt-resumed)
		echo 1 >/sys/module/tcpcrypt/parameters/resume
		tcpcrypt_start aes128gcm "$(conn_tep "$m")"
		;;
	tcpcrypt-*)
		echo 0 >/sys/module/tcpcrypt/parameters/resume
		tcpcrypt_start aes128gcm "$(conn_tep "$m")"
		;;
	esac
	short_conns "$m" "$r"
	case $m in tcpcrypt-*) tcpcrypt_stop ;; esac
}

# The AEAD implementations the kernel instantiated (name, driver, async)
crypto_in_use() {
	awk -F' *: *' '
		$1 == "name" { name = $2 }
		$1 == "driver" { drv = $2 }
		$1 == "type" { type = $2 }
		$1 == "async" { async = $2 }
		$0 == "" {
			if (type == "aead" && name ~ /gcm|chacha|rfc4106|rfc7539/)
				printf "%s\t%s\t%s\n", name, drv, async
			name = drv = type = async = ""
		}' /proc/crypto | sort -u
}

block_without() { # ROUND
	local m
	tcpcrypt_unload
	for m in $(methods_without | in_order "$1"); do bulk "$m" "$1"; done
	for m in $(conn_methods_without | in_order "$1"); do conns "$m" "$1"; done
}

block_with() { # ROUND
	local m
	tcpcrypt_load
	for m in $(methods_with | in_order "$1"); do bulk "$m" "$1"; done
	for m in $(conn_methods_with | in_order "$1"); do conns "$m" "$1"; done
	[ -s "$WORK/crypto" ] || crypto_in_use >"$WORK/crypto"
}

round() {
	if [ $(($1 % 2)) -eq 1 ]; then
		block_without "$1"
		block_with "$1"
	else
		block_with "$1"
		block_without "$1"
	fi
}

report() {
	echo "# tcpcrypt benchmarks"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- kernel: $(uname -r), $(nproc) CPUs: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
	echo "- tcpcrypt: $(modinfo -F version "$KO" 2>/dev/null || echo '?'), commit $(cat "$WORK/commit")"
	echo "- rounds: $BENCH_ROUNDS (median), bulk transfers of ${BENCH_SECONDS} s, $BENCH_CONNS short connections per measurement"
	[ $HAVE_WG = 1 ] || echo "- WireGuard NOT measured: wg (wireguard-tools) not installed"
	[ "$n_failed" -eq 0 ] || echo "- $n_failed measurements FAILED (see the runs columns and the log)"
	echo
	python3 "$BENCH_DIR/report.py" "$RESULTS"
	echo
	if [ -s "$WORK/warnings" ]; then
		echo "Warnings:"
		echo
		sed 's/^/- /' "$WORK/warnings"
		echo
	fi
	echo "AEAD implementations the kernel instantiated (/proc/crypto):"
	echo
	echo '| name | driver | async |'
	echo '|---|---|---|'
	sed 's/\t/ | /g; s/^/| /; s/$/ |/' "$WORK/crypto"
}

main() {
	local r
	prerequisites
	trap bench_cleanup EXIT
	mkdir -p "$WORK"
	: >"$RESULTS"
	git -C "$TOP" describe --always --dirty >"$WORK/commit" 2>/dev/null ||
		echo "${BENCH_COMMIT:-unknown}" >"$WORK/commit"
	bench_topology
	[ $HAVE_WG = 0 ] || wg_setup
	esp_policies
	for r in $(seq 1 "$BENCH_ROUNDS"); do
		note "round $r of $BENCH_ROUNDS"
		round "$r"
	done
	report >"$WORK/report.md" || die "cannot write the report"
	cat "$WORK/report.md"
	[ -z "$BENCH_OUT" ] || cp "$WORK/report.md" "$BENCH_OUT"
	[ "$n_failed" -eq 0 ] || die "$n_failed measurements failed"
}

main "$@"
