# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The end-to-end tests (e2e_*.sh) source this after lib.sh: set-up of two
# hosts with a router between them, tcnetstat/libtcpcrypt/capture checks,
# and the two scenarios the IPv4 tests and e2e_ipv6.sh share (a protected
# transfer; fallback to plain TCP against a host without tcpcrypt).

# The plaintext marker every stream carries each 128 bytes: seen on the wire
# iff the data is not encrypted.
MARKER="TCPCRYPT-PLAINTEXT-$$"
PROBE=$TOP/build/selftests/sessid_probe
CTL1=$XFER_DIR/ns1.ctl
CTL2=$XFER_DIR/ns2.ctl

e2e_cleanup() {
	capture_stop
	kill_daemons
	cleanup_ns
	module_unload
	rm -rf "$XFER_DIR"
}

# e2e_init: the module loaded, NS1 - RT - NS2 up (no daemon yet), cleanup
# on exit. Failures here end the test.
e2e_init() {
	require_build
	require_cmd ip python3 busybox tcpdump tshark timeout
	if [ ! -x "$PROBE" ]; then
		fail "$PROBE missing: run make -C selftests/tcpcrypt"
		ksft_exit
	fi
	trap e2e_cleanup EXIT
	mkdir -p "$XFER_DIR"
	module_load || { fail "insmod $KO"; ksft_exit; }
	setup_routed || { fail "cannot set up ns1 - router - ns2"; ksft_exit; }
}

# e2e_daemon N [tcpcryptd options]: tcpcryptd in NS<N> (control socket
# CTL<N>), registered; its pid in D<N>. Failure ends the test.
e2e_daemon() {
	local n=$1 ns ctl
	shift
	if [ "$n" = 1 ]; then ns=$NS1 ctl=$CTL1; else ns=$NS2 ctl=$CTL2; fi
	if ! start_daemon_e2e "$ns" "D$n" "$ctl" "$@"; then
		fail "tcpcryptd in ns$n did not register: $(tail -n 3 "$DAEMON_LOG" | tr '\n' ' ')"
		ksft_exit
	fi
}

tep_id() { # name -> hex id, as the session ID's first byte shows it
	case $1 in
	p256) echo 21 ;;
	p521) echo 22 ;;
	x25519) echo 23 ;;
	x448) echo 24 ;;
	esac
}

# check_protected_rows DESC ROW_A ROW_B [TEP AEAD [fresh|resumed]]: the
# rows tcnetstat shows at the active opener (A) and at the passive one (B)
# for one connection: both there, encrypting, roles A and B, same TEP, AEAD
# and session ID (66 hex digits starting with the TEP id: without the v bit
# for a fresh key exchange, with it (0x80) for a resumed session, either
# when not said); TEP and AEAD the given ones. Sets ROW_SID.
check_protected_rows() {
	local desc=$1 ra=$2 rb=$3 tep=${4:-} aead=${5:-} mode=${6:-} sa sb id vid
	ROW_SID=
	if [ -z "$ra" ] || [ -z "$rb" ]; then
		fail "$desc: tcnetstat lists the open connection at both ends (client: '${ra:-none}', server: '${rb:-none}')"
		return 1
	fi
	pass "$desc: tcnetstat lists the open connection at both ends"
	check_eq "$desc: state at the client" "$(tcn_field "$ra" 7)" encrypting
	check_eq "$desc: state at the server" "$(tcn_field "$rb" 7)" encrypting
	check_eq "$desc: roles (client, server)" \
		"$(tcn_field "$ra" 4) $(tcn_field "$rb" 4)" "A B"
	check_eq "$desc: same TEP at both ends" "$(tcn_field "$ra" 5)" "$(tcn_field "$rb" 5)"
	check_eq "$desc: same AEAD at both ends" "$(tcn_field "$ra" 6)" "$(tcn_field "$rb" 6)"
	if [ -n "$tep" ]; then
		check_eq "$desc: negotiated TEP" "$(tcn_field "$ra" 5)" "$tep"
		check_eq "$desc: negotiated AEAD" "$(tcn_field "$ra" 6)" "$aead"
	fi
	sa=$(tcn_field "$ra" 8)
	sb=$(tcn_field "$rb" 8)
	check_match "$desc: session ID at the client is 33 bytes of hex" "$sa" '^[0-9A-F]{66}$'
	check_eq "$desc: same session ID at both ends" "$sa" "$sb"
	tep=$(tcn_field "$ra" 5)
	id=$(tep_id "$tep")
	if [ -n "$id" ]; then
		vid=$(printf '%02X' $((0x$id | 0x80)))
		case $mode in
		fresh)
			check_match "$desc: session ID starts with the TEP id (fresh)" "$sa" "^$id"
			;;
		resumed)
			check_match "$desc: session ID starts with the TEP id, v = 1 (resumed)" "$sa" "^$vid"
			;;
		*)
			check_match "$desc: session ID starts with the TEP id (v = 0 or 1)" "$sa" "^($id|$vid)"
			;;
		esac
	fi
	ROW_SID=$sa
}

# row_sid ROW: the session ID of a tcnetstat row
row_sid() {
	if [ -n "$1" ]; then
		tcn_field "$1" 8
	else
		echo "(connection not listed by tcnetstat)"
	fi
}

# check_no_rows DESC NS1_ROW NS2_ROW: neither end lists the connection
check_no_rows() {
	check_eq "$1: no tcpcrypt connection listed at the client" "${2:-none}" none
	check_eq "$1: no tcpcrypt connection listed at the server" "${3:-none}" none
}

# probe_run ID SERVER_NS CLIENT_NS ADDRESS PORT SERVER_CTL CLIENT_CTL
# [SERVER_OPTS [CLIENT_OPTS]]: the libtcpcrypt probe (with those options,
# e.g. "-n -F") at both ends of one connection, held open while the
# connection's tcnetstat rows are taken (PROBE_ROW_C, PROBE_ROW_S); the
# probes' outputs in $XFER_DIR/ID.probe.{server,client}; PROBE_OK=1 when
# both ran to the end.
probe_run() {
	local id=$1 sns=$2 cns=$3 addr=$4 port=$5 sctl=$6 cctl=$7 hold spid cpid
	local out=$XFER_DIR/$id.probe deadline cl cr sopts copts
	read -r -a sopts <<<"${8:-}"
	read -r -a copts <<<"${9:-}"
	hold=$out.hold
	rm -f "$out".* "$hold".*
	PROBE_OK=0 PROBE_ROW_C='' PROBE_ROW_S=''
	ns_prefix "$sns"
	"${NS_PREFIX[@]}" "$PROBE" -c "$sctl" -t 60 -H "$hold" "${sopts[@]}" \
		server "$addr" "$port" "$out.ready" >"$out.server" 2>&1 &
	spid=$!
	if ! wait_until 20 test -e "$out.ready"; then
		kill -9 "$spid" 2>/dev/null
		wait "$spid" 2>/dev/null
		echo "# $id: probe server did not start: $(cat "$out.server")"
		return 1
	fi
	ns_prefix "$cns"
	"${NS_PREFIX[@]}" "$PROBE" -c "$cctl" -t 60 -H "$hold" "${copts[@]}" \
		client "$addr" "$port" >"$out.client" 2>&1 &
	cpid=$!
	deadline=$(($(date +%s) + 60))
	while ! { [ -e "$hold.server" ] && [ -e "$hold.client" ]; }; do
		if ! kill -0 "$spid" 2>/dev/null || ! kill -0 "$cpid" 2>/dev/null ||
			[ "$(date +%s)" -ge "$deadline" ]; then
			break
		fi
		sleep 0.1
	done
	cl=$(awk '$1 == "local" { print $2 }' "$out.client")
	cr=$(awk '$1 == "remote" { print $2 }' "$out.client")
	if [ -n "$cl" ] && [ -n "$cr" ]; then
		PROBE_ROW_C=$(tcn_row "$cns" "$cl" "$cr")
		PROBE_ROW_S=$(tcn_row "$sns" "$cr" "$cl")
	fi
	touch "$hold.release"
	wait_until 30 sh -c "! kill -0 $spid 2>/dev/null && ! kill -0 $cpid 2>/dev/null"
	kill -9 "$spid" "$cpid" 2>/dev/null
	wait "$spid"
	local src=$?
	wait "$cpid"
	local crc=$?
	sed "s/^/# $id probe server: /" "$out.server"
	sed "s/^/# $id probe client: /" "$out.client"
	[ "$src" -eq 0 ] && [ "$crc" -eq 0 ] && PROBE_OK=1
	[ "$PROBE_OK" = 1 ]
}

# probe_sessid ID SIDE: the session ID the probe printed, or "error NAME"
probe_sessid() {
	awk '$1 == "sessid" { print $2 } $1 == "sessid-error" { print "error", $2 }' \
		"$XFER_DIR/$1.probe.$2"
}

# family_addrs FAMILY: sets A1 (ns1) and A2 (ns2) to that family's addresses
family_addrs() {
	if [ "$1" = 6 ]; then
		A1=$NS1_IP6 A2=$NS2_IP6
	else
		A1=$NS1_IP4 A2=$NS2_IP4
	fi
}

# has_eno KINDS: the option kind list contains 69
has_eno() {
	case ",$1," in
	*,69,*) return 0 ;;
	esac
	return 1
}

# handshake_eno TABLE CLIENT_PORT SERVER_PORT: "SYN SYN-ACK ACK", each 1 when
# that handshake segment (the first SYN, SYN-ACK and non-SYN segment from
# the client) carries option 69, 0 when not, - when not captured
handshake_eno() {
	printf '%s\n' "$1" | awk -F'\t' -v c="$2" -v s="$3" '
		function eno(k) { return ("," k ",") ~ /,69,/ ? 1 : 0 }
		$3 == c && $5 == 1 && $6 == 0 && syn == "" { syn = eno($14) }
		$3 == s && $5 == 1 && $6 == 1 && synack == "" { synack = eno($14) }
		$3 == c && $5 == 0 && ack == "" { ack = eno($14) }
		END { printf "%s %s %s\n", syn == "" ? "-" : syn,
			synack == "" ? "-" : synack, ack == "" ? "-" : ack }'
}

# eno_segments TABLE: "frame:SYN-flag/ACK-flag" of every segment with option 69
eno_segments() {
	printf '%s\n' "$1" | awk -F'\t' '("," $14 ",") ~ /,69,/ {
		printf "%s%s:%s%s", n++ ? " " : "", $1, $5 == 1 ? "S" : "", $6 == 1 ? "A" : "" }'
}

# check_marker_absent DESC PCAP TABLE: the plaintext marker is nowhere in
# the captured bytes
check_marker_absent() {
	local n m
	n=$(grep -c -a -F -- "$MARKER" "$2")
	m=$(printf '%s\n' "$3" | grep -c -i -F -- "$(hex_of "$MARKER")")
	check_eq "$1: plaintext marker absent from the raw capture" "$n" 0
	check_eq "$1: plaintext marker absent from the TCP payloads tshark decodes" "$m" 0
}

# check_marker_present DESC PCAP TABLE: the marker is on the wire
check_marker_present() {
	check_gt "$1: plaintext marker on the wire (raw capture)" \
		"$(grep -c -a -F -- "$MARKER" "$2")" 0
	check_gt "$1: plaintext marker in the TCP payloads tshark decodes" \
		"$(printf '%s\n' "$3" | grep -c -i -F -- "$(hex_of "$MARKER")")" 0
}

# first_payload TABLE SPORT: the captured payload hex of the sender's first
# data byte onwards (the segment at relative sequence number 1)
first_payload() {
	printf '%s\n' "$1" | awk -F'\t' -v p="$2" '$3 == p && $12 == 1 && $13 > 0 { print $15; exit }'
}

# e2e_protected FAMILY BYTES PORT PROBE_PORT: both daemons running; BYTES
# each way between NS1 (client) and NS2 (server) through RT, captured on
# the router. Asserts: data intact at both ends (SHA-256 and every byte);
# tcnetstat at both ends lists the open connection, encrypting, same
# session ID; libtcpcrypt gives both ends of another connection the same
# session ID, the one tcnetstat shows; on the wire, option 69 on SYN,
# SYN-ACK and third ACK, no plaintext marker, and more bytes than the
# application sent (Init messages and frame overhead).
e2e_protected() {
	local fam=$1 bytes=$2 port=$3 pport=$4 id=prot$1 v="IPv$1" pcap table
	local cl cr ra rb sc ss sid hs cport
	family_addrs "$fam"
	pcap=$XFER_DIR/$id.pcap
	if ! capture_start "$RT" rt2 "$pcap" 256 tcp port "$port"; then
		fail "$v: tcpdump did not start: $(cat "$pcap.log")"
		return 1
	fi
	log "$v: $bytes bytes each way, client in ns1, server in ns2"
	xfer_start "$id" "$NS2" "$NS1" "$A2" "$port" "$bytes" --marker "$MARKER" \
		--hold "$(xfer_hold_prefix "$id")" --timeout 280
	if xfer_wait_held "$id" 280; then
		read -r cl cr <"$(xfer_hold_prefix "$id").connect"
		ra=$(tcn_row "$NS1" "$cl" "$cr")
		rb=$(tcn_row "$NS2" "$cr" "$cl")
		check_protected_rows "$v transfer" "$ra" "$rb"
		sid=$ROW_SID
	else
		fail "$v: both ends received all the data and hold the connection open"
	fi
	xfer_release "$id"
	xfer_finish "$id" 60
	capture_stop
	xfer_check_intact "$id" "$v: $bytes bytes each way intact (SHA-256 equal at both ends)"

	if probe_run "$id" "$NS2" "$NS1" "$A2" "$pport" "$CTL2" "$CTL1"; then
		pass "$v: libtcpcrypt probe connection and round trip"
	else
		fail "$v: libtcpcrypt probe connection and round trip"
	fi
	sc=$(probe_sessid "$id" client)
	ss=$(probe_sessid "$id" server)
	check_match "$v: libtcpcrypt session ID at the client" "$sc" '^[0-9A-F]{66}$'
	check_eq "$v: libtcpcrypt session ID at the server equals the client's" "$ss" "$sc"
	check_eq "$v: libtcpcrypt and tcnetstat agree (client)" "$(row_sid "$PROBE_ROW_C")" "$sc"
	check_eq "$v: libtcpcrypt and tcnetstat agree (server)" "$(row_sid "$PROBE_ROW_S")" "$ss"
	if [ -n "$sid" ] && [ -n "$sc" ]; then
		check "$v: two connections have different session IDs" test "$sid" != "$sc"
	fi

	table=$(pcap_table "$pcap" "$port")
	cport=${cl##*:}
	if [ -z "$cport" ]; then
		cport=$(printf '%s\n' "$table" | awk -F'\t' -v s="$port" '$4 == s { print $3; exit }')
	fi
	hs=$(handshake_eno "$table" "$cport" "$port")
	check_eq "$v wire: option 69 on SYN, SYN-ACK and third ACK" "$hs" "1 1 1"
	check_marker_absent "$v wire" "$pcap" "$table"
	check_gt "$v wire: client sent more bytes than its application (Init1, frames)" \
		"$(wire_bytes "$table" "$cport")" "$bytes"
	check_gt "$v wire: server sent more bytes than its application (Init2, frames)" \
		"$(wire_bytes "$table" "$port")" "$bytes"
}

# e2e_fallback FAMILY DIRECTION PORT PROBE_PORT: a daemon in NS1 only (NS2
# plays a host without tcpcrypt). DIRECTION client: NS1 connects to NS2;
# server: NS2 connects to NS1. Asserts: plain TCP, data intact, no session
# ID (tcnetstat lists nothing, libtcpcrypt says ENOENT at the tcpcrypt
# host), option 69 only on NS1's SYN (client) or nowhere (server: a SYN
# without ENO gets no ENO back), and the application's bytes unchanged
# on the wire (marker visible, byte counts equal, first bytes equal).
e2e_fallback() {
	local fam=$1 dir=$2 port=$3 pport=$4 id=fb$1$2 bytes=$((2 << 20)) pcap table
	local sns cns saddr sctl cctl cl cr rc rs v cport want_eno eno tc_side
	family_addrs "$fam"
	v="IPv$fam fallback, tcpcrypt host as $dir"
	if [ "$dir" = client ]; then
		sns=$NS2 cns=$NS1 saddr=$A2 sctl=$CTL2 cctl=$CTL1 tc_side=client
	else
		sns=$NS1 cns=$NS2 saddr=$A1 sctl=$CTL1 cctl=$CTL2 tc_side=server
	fi
	pcap=$XFER_DIR/$id.pcap
	if ! capture_start "$RT" rt2 "$pcap" 256 tcp port "$port"; then
		fail "$v: tcpdump did not start: $(cat "$pcap.log")"
		return 1
	fi
	xfer_start "$id" "$sns" "$cns" "$saddr" "$port" "$bytes" --marker "$MARKER" \
		--hold "$(xfer_hold_prefix "$id")" --timeout 120
	if xfer_wait_held "$id" 120; then
		read -r cl cr <"$(xfer_hold_prefix "$id").connect"
		rc=$(tcn_row "$cns" "$cl" "$cr")
		rs=$(tcn_row "$sns" "$cr" "$cl")
		check_no_rows "$v" "$rc" "$rs"
		check_eq "$v: no live connection in tcnetstat at ns1" "$(tcn_live "$NS1")" ""
		check_eq "$v: no live connection in tcnetstat at ns2" "$(tcn_live "$NS2")" ""
	else
		fail "$v: both ends received all the data and hold the connection open"
	fi
	xfer_release "$id"
	xfer_finish "$id" 60
	capture_stop
	xfer_check_intact "$id" "$v: 2 MiB each way intact"

	probe_run "$id" "$sns" "$cns" "$saddr" "$pport" "$sctl" "$cctl"
	check_eq "$v: libtcpcrypt probe connection and round trip" "$PROBE_OK" 1
	check_eq "$v: libtcpcrypt at the tcpcrypt host: no session ID" \
		"$(probe_sessid "$id" "$tc_side")" "error ENOENT"
	check_no_rows "$v probe" "$PROBE_ROW_C" "$PROBE_ROW_S"

	table=$(pcap_table "$pcap" "$port")
	cport=${cl##*:}
	if [ -z "$cport" ]; then
		cport=$(printf '%s\n' "$table" | awk -F'\t' -v s="$port" '$4 == s { print $3; exit }')
	fi
	eno=$(eno_segments "$table")
	if [ "$dir" = client ]; then
		want_eno="^[0-9]+:S$"
		check_match "$v wire: option 69 only on the SYN" "${eno:-none}" "$want_eno"
	else
		check_eq "$v wire: option 69 on no segment" "${eno:-none}" none
	fi
	check_marker_present "$v wire" "$pcap" "$table"
	check_eq "$v wire: client's bytes on the wire = its application's" \
		"$(wire_bytes "$table" "$cport")" "$bytes"
	check_eq "$v wire: server's bytes on the wire = its application's" \
		"$(wire_bytes "$table" "$port")" "$bytes"
	check_first_bytes "$v wire: client's first payload bytes are its plaintext" \
		"$(first_payload "$table" "$cport")" 1
	check_first_bytes "$v wire: server's first payload bytes are its plaintext" \
		"$(first_payload "$table" "$port")" 2
}

# check_first_bytes DESC PAYLOAD_HEX SEED: the captured payload starts
# with stream SEED (as many bytes as were captured, at least 32)
check_first_bytes() {
	local got=$2 n want
	n=$((${#got} / 2))
	if [ "$n" -lt 32 ]; then
		fail "$1 (captured only $n bytes of it)"
		return 1
	fi
	want=$(python3 "$SELFTESTS/tcp_xfer.py" stream-hex "$3" "$n" --marker "$MARKER")
	check_eq "$1" "$got" "$want"
}

# --- the attacker on the router (e2e_tamper.sh, e2e_kex_stall.sh) -------------

RESUME_PARAM=/sys/module/tcpcrypt/parameters/resume

# resume_init: e2e_init, resumption on (module parameter resume=1), and
# both daemons with X25519 and AES-128-GCM only
resume_init() {
	e2e_init
	if [ ! -w "$RESUME_PARAM" ]; then
		fail "module parameter resume writable at $RESUME_PARAM"
		ksft_exit
	fi
	echo 1 >"$RESUME_PARAM"
	e2e_daemon 1 -t x25519 -a aes128gcm
	e2e_daemon 2 -t x25519 -a aes128gcm
}

# counter NS KEY: a counter of tcpcryptctl show
counter() {
	ctl_dump "$1" "$2"
}

rt_nft() { # nftables script on stdin, in the router
	ip netns exec "$RT" nft -f -
}

# nft_packets CHAIN: packets counted by the (one) counter of that chain
nft_packets() {
	ip netns exec "$RT" nft list chain inet tamper "$1" 2>/dev/null |
		sed -n 's/.*counter packets \([0-9]*\).*/\1/p' | head -n 1
}

rt_reset() {
	ip netns exec "$RT" nft flush ruleset
	tc -n "$RT" qdisc del dev rt1 root 2>/dev/null
	tc -n "$RT" qdisc del dev rt2 root 2>/dev/null
	tc -n "$RT" qdisc del dev rt2 clsact 2>/dev/null
}

# error_kind ID SIDE: the side's error, "" when none
error_kind() {
	xfer_rep "$1" "$2" error
}

# ack3_case ID PORT BYTES DESC: ENO stripped from the third ACK (only) of a
# connection ns1 -> ns2:PORT, BYTES as for xfer_start ("C:S" or one size
# for both), captured at the server's side of the router. The server must
# fall back to plain TCP (RFC 8547 section 4.6); the client switched
# encryption on and sends Init1, which the server refuses, and then falls
# back as well (Documentation/design.md). The ends must agree on plain
# TCP: data intact both ways, neither lists the connection (no session
# ID), no RST; the server counted the refusal, the client its fallback;
# on the wire the applications' bytes, in the clear, and no more of them
# than they sent (the Init1 never became part of the stream).
ack3_case() {
	local id=$1 port=$2 bytes=$3 d=$4 rows='' cl cr pcap table cport
	local refused plain cbytes sbytes
	rt_reset
	rt_nft <<-NFT || fail "$d: nft rule stripping ENO from the third ACK"
	table inet tamper {
		chain ack3 {
			type filter hook forward priority 0; policy accept;
			ip saddr $NS1_IP4 tcp dport $port tcp flags & (syn | ack | fin | rst) == ack ct mark & 0x2 == 0 ct mark set ct mark | 0x2 reset tcp option 69 counter
		}
	}
	NFT
	# a fresh exchange (a resumed one cannot fall back: e2e_resume.sh)
	echo 0 >/sys/module/tcpcrypt/parameters/resume
	refused=$(ctl_dump "$NS2" init_refused)
	plain=$(ctl_dump "$NS1" fallback_peer_plain)
	pcap=$XFER_DIR/$id.pcap
	capture_start "$RT" rt2 "$pcap" 256 tcp port "$port" ||
		fail "$d: tcpdump did not start: $(cat "$pcap.log")"
	xfer_start "$id" "$NS2" "$NS1" "$NS2_IP4" "$port" "$bytes" \
		--marker "$MARKER" --hold "$(xfer_hold_prefix "$id")" --timeout 75
	if xfer_wait_held "$id" 80; then
		read -r cl cr <"$(xfer_hold_prefix "$id").connect"
		rows="$(tcn_row "$NS1" "$cl" "$cr")|$(tcn_row "$NS2" "$cr" "$cl")"
	else
		fail "$d: both ends received all the data and hold the connection open"
	fi
	xfer_release "$id"
	xfer_finish "$id" 30
	capture_stop
	echo 1 >/sys/module/tcpcrypt/parameters/resume
	check_eq "$d: the rule stripped one ACK" "$(nft_packets ack3)" 1
	xfer_check_intact "$id" "$d: plain TCP at both ends, data intact both ways"
	check_eq "$d: neither end lists the connection (no session ID)" "$rows" "|"
	cbytes=${bytes%%:*}
	sbytes=${bytes##*:}
	refused=$(($(ctl_dump "$NS2" init_refused) - refused))
	if [ "$sbytes" = 0 ]; then
		# only the refusal can tell the client
		check_gt "$d: the server refused the client's Init1" "$refused" 0
	else
		# the server's data may tell the client before its Init1 arrives
		log "$d: the server refused $refused Init1 segment(s)"
	fi
	check_eq "$d: the client fell back to plain TCP" \
		$(($(ctl_dump "$NS1" fallback_peer_plain) - plain)) 1

	table=$(pcap_table "$pcap" "$port")
	cport=${cl##*:}
	check_eq "$d wire: no RST" \
		"$(printf '%s\n' "$table" | awk -F'\t' '$8 == 1' | wc -l)" 0
	check_marker_present "$d wire" "$pcap" "$table"
	check_eq "$d wire: client's bytes on the wire = its application's" \
		"$(wire_bytes "$table" "$cport")" "$cbytes"
	check_eq "$d wire: server's bytes on the wire = its application's" \
		"$(wire_bytes "$table" "$port")" "$sbytes"
}
