# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The methods tools/bench/run.sh compares: their set-up, and the checks that
# a measurement really went through the protection it is named after.
# Sourced by run.sh after selftests/tcpcrypt/lib.sh (namespaces, veth,
# daemons, wait_until).
#
# Topology: namespaces A (client) and B (server) joined by one veth pair;
# every method runs over that same veth, on its own addresses:
#   plain TCP, kTLS, tcpcrypt   10.0.0.1 -> 10.0.0.2 (veth)
#   IPsec ESP, transport mode   10.0.2.1 -> 10.0.2.2 (veth, second address)
#   WireGuard                   10.1.0.1 -> 10.1.0.2 (wg0, over the veth)

BENCH_BIN=${BENCH_BIN:-$TOP/build/bench}
ADDR_B=10.0.0.2
ADDR_A=10.0.0.1
ESP_A=10.0.2.1
ESP_B=10.0.2.2
WG_A=10.1.0.1
WG_B=10.1.0.2
WORK=/tmp/bench.$$

die() {
	echo "bench: FAILED: $*" >&2
	exit 1
}

note() {
	echo "bench: $*" >&2
}

# warn TEXT: shown now and in the report
warn() {
	note "WARNING: $*"
	echo "$*" >>"$WORK/warnings"
}

bench_topology() {
	setup_ns A B || die "cannot create the namespaces"
	link_ns "$A" "$B" || die "cannot create the veth pair"
	ip -n "$A" addr add $ESP_A/24 dev veth1 || die "ip addr add $ESP_A"
	ip -n "$B" addr add $ESP_B/24 dev veth2 || die "ip addr add $ESP_B"
	ns_exec "$A" busybox ping -c 1 -W 5 $ADDR_B >/dev/null ||
		die "no connectivity over the veth"
}

# The server address a method's traffic goes to (the client's source
# address follows from the route)
method_server() {
	case $1 in
	esp-*) echo $ESP_B ;;
	wireguard) echo $WG_B ;;
	*) echo $ADDR_B ;;
	esac
}

method_aead() { # tcpcrypt-AEAD, esp-AEAD, ktls-AEAD -> AEAD
	echo "${1#*-}"
}

conn_tep() { # tcpcrypt-TEP, tcpcrypt-resumed (x25519) -> TEP
	case $1 in
	tcpcrypt-resumed) echo x25519 ;;
	*) echo "${1#tcpcrypt-}" ;;
	esac
}

# --- WireGuard ---------------------------------------------------------------

wg_setup() {
	local ka=$WORK/wg.a.key kb=$WORK/wg.b.key pa pb
	(umask 077 && wg genkey >"$ka" && wg genkey >"$kb") || die "wg genkey"
	pa=$(wg pubkey <"$ka") || die "wg pubkey"
	pb=$(wg pubkey <"$kb") || die "wg pubkey"
	ip -n "$A" link add wg0 type wireguard ||
		die "cannot create a wireguard interface (module wireguard?)"
	ip -n "$B" link add wg0 type wireguard || die "ip link add wg0"
	ns_exec "$A" wg set wg0 private-key "$ka" listen-port 51820 \
		peer "$pb" allowed-ips $WG_B/32 endpoint $ADDR_B:51820 ||
		die "wg set (A)"
	ns_exec "$B" wg set wg0 private-key "$kb" listen-port 51820 \
		peer "$pa" allowed-ips $WG_A/32 endpoint $ADDR_A:51820 ||
		die "wg set (B)"
	ip -n "$A" addr add $WG_A/24 dev wg0 || die "ip addr add $WG_A"
	ip -n "$B" addr add $WG_B/24 dev wg0 || die "ip addr add $WG_B"
	ip -n "$A" link set wg0 up || die "cannot bring wg0 up in $A"
	ip -n "$B" link set wg0 up || die "cannot bring wg0 up in $B"
	ns_exec "$A" busybox ping -c 1 -W 5 $WG_B >/dev/null ||
		die "no connectivity through WireGuard"
}

# wg_rx_bytes: bytes B's wg0 received from its peer
wg_rx_bytes() {
	ns_exec "$B" wg show wg0 transfer | awk '{ s += $2 } END { print s + 0 }'
}

# --- IPsec ESP, transport mode, static keys (no IKE) -------------------------

# The algorithm and key of each AEAD, as `ip xfrm` wants them (the 4-byte
# salt after the key). Fixed values: only the cost of the transform counts.
esp_algo() {
	case $1 in
	aes128gcm) echo "rfc4106(gcm(aes)) 0x$(printf '%040d' 0 | tr 0 a)" ;;
	aes256gcm) echo "rfc4106(gcm(aes)) 0x$(printf '%072d' 0 | tr 0 b)" ;;
	chacha20poly1305)
		echo "rfc7539esp(chacha20,poly1305) 0x$(printf '%072d' 0 | tr 0 c)" ;;
	*) return 1 ;;
	esac
}

# Policies requiring ESP both ways between the ESP addresses: without an SA
# nothing passes, so plaintext cannot be measured by mistake.
esp_policies() {
	local ns src dst
	for ns in "$A" "$B"; do
		if [ "$ns" = "$A" ]; then src=$ESP_A dst=$ESP_B; else src=$ESP_B dst=$ESP_A; fi
		ip -n "$ns" xfrm policy add src $src dst $dst dir out \
			tmpl src $src dst $dst proto esp reqid 1 mode transport ||
			die "ip xfrm policy (module xfrm_user?)"
		ip -n "$ns" xfrm policy add src $dst dst $src dir in \
			tmpl src $dst dst $src proto esp reqid 1 mode transport ||
			die "ip xfrm policy"
	done
}

# esp_setup AEAD: the SAs of both directions, in both namespaces, for AEAD
# (the policies stay; the previous SAs go).
esp_setup() {
	local algo name key ns
	algo=$(esp_algo "$1") || die "no ESP algorithm for $1"
	name=${algo% *}
	key=${algo##* }
	for ns in "$A" "$B"; do
		ip -n "$ns" xfrm state flush || die "ip xfrm state flush"
		ip -n "$ns" xfrm state add src $ESP_A dst $ESP_B proto esp \
			spi 0x1001 reqid 1 mode transport replay-window 128 \
			aead "$name" "$key" 128 ||
			die "ip xfrm state add $name (module esp4?)"
		ip -n "$ns" xfrm state add src $ESP_B dst $ESP_A proto esp \
			spi 0x1002 reqid 1 mode transport replay-window 128 \
			aead "$name" "$key" 128 || die "ip xfrm state add $name"
	done
	ns_exec "$A" busybox ping -c 1 -W 5 $ESP_B >/dev/null ||
		die "no connectivity through ESP ($1)"
}

# esp_rx_bytes: bytes the A->B SA decrypted in B
esp_rx_bytes() {
	ip -n "$B" -s xfrm state get src $ESP_A dst $ESP_B proto esp spi 0x1001 |
		awk '/lifetime current:/ { getline; sub(/\(bytes\).*/, ""); print $1 + 0 }'
}

# --- tcpcrypt ----------------------------------------------------------------

# tcpcrypt_start AEAD [TEP]: daemons in A and B announcing only AEAD (and
# TEP), registered with the module.
tcpcrypt_start() {
	local aead=$1 tep=${2:-} ns opts
	opts=(-a "$aead")
	[ -z "$tep" ] || opts+=(-t "$tep")
	for ns in "$A" "$B"; do
		start_daemon "$ns" "$WORK/tcpcryptd.$ns.ctl" "${opts[@]}"
		wait_until 30 daemon_registered "$ns" "$DAEMON_PID" ||
			die "tcpcryptd ${opts[*]} did not register in $ns: $(tail -n 3 "$DAEMON_LOG")"
	done
}

tcpcrypt_stop() {
	kill_daemons
}

tcpcrypt_load() {
	module_loaded && return 0
	module_load || die "insmod $KO"
}

tcn_rows() { # NS: tcnetstat's connection rows there
	ns_exec "$1" timeout 20 "$BIN/tcnetstat" 2>/dev/null | awk 'NR > 1'
}

tcn_empty() {
	[ -z "$(tcn_rows "$A")" ] && [ -z "$(tcn_rows "$B")" ]
}

# The module out, so that the other methods run without its hooks. Its
# connection entries go first (TIME_WAIT lasts 60 s): a removal with
# entries left once crashed a guest (a timer firing in the unloaded module,
# data-path tree of 2026-11-26), and a crash would lose every figure.
tcpcrypt_unload() {
	module_loaded || return 0
	tcpcrypt_stop
	wait_until 180 tcn_empty ||
		die "tcpcrypt still lists connections after 180 s: $(tcn_rows "$A") $(tcn_rows "$B")"
	module_unload || die "rmmod tcpcrypt failed: later rounds would run with its hooks"
}

# ctl_counter NS KEY: one counter of `tcpcryptctl show dump` (0 when absent)
ctl_counter() {
	local v
	v=$(ctl_dump "$1" "$2") || v=0
	echo "${v:-0}"
}

# Every connection the module left plain in NS: fallbacks, and SYNs sent
# without ENO although a daemon was registered
fallbacks() {
	local k s=0
	for k in fallback_no_eno fallback_bad_eno fallback_negotiation \
		fallback_no_daemon conn_table_full eno_not_offered; do
		s=$((s + $(ctl_counter "$1" $k)))
	done
	echo $s
}

# tcpcrypt_counters_mark: conn_encrypting and the fallbacks, both ends
tcpcrypt_counters_mark() {
	ENC0=$(($(ctl_counter "$A" conn_encrypting) + $(ctl_counter "$B" conn_encrypting)))
	FB0=$(($(fallbacks "$A") + $(fallbacks "$B")))
}

enc_ends() { # connection ends switched to encrypting since the mark
	echo $(($(ctl_counter "$A" conn_encrypting) + $(ctl_counter "$B" conn_encrypting) - ENC0))
}

enc_ends_reached() { # MIN
	[ "$(enc_ends)" -ge "$1" ]
}

# tcpcrypt_counters_check WHAT MIN [strict]: no connection fell back to
# plain TCP since the mark (dies otherwise), and MIN connection ends (both
# namespaces counted) switched encryption on. The module counts an end
# just after installing its keys, so the count may lag the traffic a
# little: a shortfall that lasts is a warning when tcnetstat is the proof,
# fatal with "strict".
tcpcrypt_counters_check() {
	local fb
	fb=$(($(fallbacks "$A") + $(fallbacks "$B") - FB0))
	[ "$fb" -eq 0 ] || die "$1: $fb connections fell back to plain TCP or were not offered tcpcrypt"
	wait_until 10 enc_ends_reached "$2" && return 0
	[ "${3:-}" != strict ] ||
		die "$1: the module counted $(enc_ends) connection ends encrypting, $2 expected"
	warn "$1: the module counted $(enc_ends) connection ends encrypting, $2 expected"
}

# tcn_row_ok ROWS ROLE AEAD: exactly one row, with that role and AEAD, keys
# installed (encrypting, or closed when the connection is over) and a
# session ID; prints the session ID
tcn_row_ok() {
	printf '%s\n' "$1" | awk -v role="$2" -v aead="$3" '
		NF { n++; sid = $8
		     if ($4 != role || $6 != aead || length($8) < 64 ||
		         ($7 != "encrypting" && $7 != "closed")) bad = 1 }
		END { if (n != 1 || bad) exit 1; print sid }'
}

# tcn_snapshot: tcnetstat's rows at both ends now, for tcn_verify; taken
# while the connection measured is still open (iperf3's data connection,
# reset when the test ends, leaves no entry behind).
tcn_snapshot() {
	tcn_rows "$A" >"$WORK/tcn.A"
	tcn_rows "$B" >"$WORK/tcn.B"
}

# tcn_find A|B LOCAL REMOTE: the snapshot's rows for that connection there
tcn_find() {
	awk -v l="$2" -v r="$3" '$2 == l && $3 == r' "$WORK/tcn.$1"
}

# tcn_verify CLIENT SERVER AEAD: the last tcn_snapshot lists the connection
# CLIENT -> SERVER ("addr:port") at the client (role A) and at the server
# (role B) with keys from AEAD and one session ID. Dies otherwise: a
# tcpcrypt figure that measured plain TCP would be a lie.
tcn_verify() {
	local c=$1 s=$2 aead=$3 ra rb sa sb
	ra=$(tcn_find A "$c" "$s")
	sa=$(tcn_row_ok "$ra" A "$aead") ||
		die "$c -> $s: the client side does not list it protected with $aead: '$ra'"
	rb=$(tcn_find B "$s" "$c")
	sb=$(tcn_row_ok "$rb" B "$aead") ||
		die "$c -> $s: the server side does not list it protected with $aead: '$rb'"
	[ "$sa" = "$sb" ] || die "$c -> $s: session IDs differ: $sa / $sb"
}

# tcn_verify_conns WHAT SERVER COUNT TEP AEAD: after COUNT connections to
# SERVER ("addr:port", used by nothing else) have ended, every end of them
# tcnetstat still lists (the side that closed first keeps its entry through
# TIME_WAIT, 60 s; an end that closed last or was reset leaves none) has
# keys from TEP ("": any) and AEAD and its role, and one at least is
# listed. When some of the 2 * COUNT ends are no longer listed, the
# module's counters must account for all of them encrypting.
tcn_verify_conns() {
	local what=$1 s=$2 n=$3 tep=$4 aead=$5 got listed ok
	got=$({
		tcn_rows "$A" | awk -v s="$s" '$3 == s { print "A", $0 }'
		tcn_rows "$B" | awk -v s="$s" '$2 == s { print "B", $0 }'
	} | awk -v tep="$tep" -v aead="$aead" '
		{
			n++
			if ($5 == $1 && (tep == "" || $6 == tep) && $7 == aead &&
			    length($9) >= 64 && ($8 == "encrypting" || $8 == "closed"))
				ok++
		}
		END { print n + 0, ok + 0 }')
	read -r listed ok <<<"$got"
	if [ "$listed" -eq 0 ] || [ "$listed" -ne "$ok" ]; then
		die "$what: of the connections to $s, tcnetstat lists $listed ends, $ok of them protected with ${tep:-any TEP} and $aead"
	fi
	if [ "$listed" -eq $((2 * n)) ]; then
		tcpcrypt_counters_check "$what" $((2 * n))
	else
		tcpcrypt_counters_check "$what" $((2 * n)) strict
	fi
}

# --- protection checks around one measurement --------------------------------

protect_before() { # METHOD
	case $1 in
	wireguard) PROT0=$(wg_rx_bytes) ;;
	esp-*) PROT0=$(esp_rx_bytes) ;;
	tcpcrypt-*) tcpcrypt_counters_mark ;;
	esac
}

# protect_snapshot METHOD: while the connection is open (tcpcrypt only)
protect_snapshot() {
	case $1 in tcpcrypt-*) tcn_snapshot ;; esac
}

# protect_after METHOD BYTES CLIENT SERVER [ended CONNS]: the bytes went
# through the method's protection (WireGuard/ESP byte counters). tcpcrypt:
# the connection CLIENT -> SERVER in the protect_snapshot taken while it
# was open (tcn_verify) and the module's counters; with "ended", once the
# CONNS connections to SERVER are over, tcn_verify_conns. Dies otherwise.
protect_after() {
	local m=$1 bytes=$2 c=$3 s=$4 got
	case $m in
	wireguard)
		got=$(($(wg_rx_bytes) - PROT0))
		[ "$got" -ge "$bytes" ] ||
			die "wg0 received $got bytes for a $bytes-byte transfer"
		;;
	esp-*)
		got=$(($(esp_rx_bytes) - PROT0))
		[ "$got" -ge "$bytes" ] ||
			die "the ESP SA decrypted $got bytes for a $bytes-byte transfer"
		;;
	tcpcrypt-*)
		if [ "${5:-}" = ended ]; then
			tcn_verify_conns "$m" "$s" "$6" "" "$(method_aead "$m")"
		else
			tcn_verify "$c" "$s" "$(method_aead "$m")"
			tcpcrypt_counters_check "$m" 2 strict
		fi
		;;
	esac
}
