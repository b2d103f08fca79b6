#!/bin/sh
# The demo, run inside the QEMU guest by `make demo`: two hosts (network
# namespaces "alice" and "bob" joined by a veth pair), tcpcrypt.ko loaded,
# tcpcryptd in each; a TCP connection between them, its session ID as both
# ends see it, and a capture of the wire showing TCP-ENO on the handshake
# and no plaintext.
set -eu
cd "$(dirname "$0")/.."
BIN=build/bin
MARKER="attack-at-dawn-plaintext-marker"
CAP=/tmp/demo.pcap

cleanup() {
	for ns in alice bob; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
	done
	sleep 0.5
	for ns in alice bob; do
		ip netns del "$ns" 2>/dev/null || true
	done
	rmmod tcpcrypt 2>/dev/null || true
}
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*"; }

wait_for() { # tries command...: retry a command for up to tries/10 s
	n=$1
	shift
	i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt "$n" ] || return 1
		sleep 0.1
	done
}

step "loading tcpcrypt.ko ($(uname -r))"
insmod kmod/tcpcrypt.ko
dmesg | grep 'tcpcrypt: version' | tail -n 1

step "two hosts: alice (10.0.0.1) and bob (10.0.0.2)"
ip netns add alice
ip netns add bob
ip link add veth0 netns alice type veth peer name veth0 netns bob
ip -n alice addr add 10.0.0.1/24 dev veth0
ip -n bob addr add 10.0.0.2/24 dev veth0
for ns in alice bob; do
	ip -n "$ns" link set lo up
	ip -n "$ns" link set veth0 up
done

step "tcpcryptd in each namespace"
ip netns exec alice $BIN/tcpcryptd -f -u /run/alice.ctl &
ip netns exec bob $BIN/tcpcryptd -f -u /run/bob.ctl &
for ns in alice bob; do
	wait_for 100 sh -c "ip netns exec $ns $BIN/tcpcryptctl show dump | grep -qx 'daemon_registered 1'" ||
		{ echo "tcpcryptd did not register in $ns" >&2; exit 1; }
done

step "capturing on alice's veth0"
ip netns exec alice tcpdump -i veth0 -U -s 0 -w $CAP tcp port 7000 2>/dev/null &
tcpd=$!
sleep 1

step "alice connects to bob and sends a message"
# Both ends keep their input open, so that neither closes the connection
# before it has been looked at.
sleep 60 | ip netns exec bob busybox nc -l -p 7000 >/tmp/demo.recv &
srv=$!
wait_for 50 ip netns exec bob sh -c 'ss -ltn | grep -q :7000'
(printf '%s\n' "$MARKER"; sleep 60) | ip netns exec alice busybox nc 10.0.0.2 7000 &
cli=$!
# Key agreement takes a round trip through both daemons: wait for it.
for ns in alice bob; do
	wait_for 20 sh -c "ip netns exec $ns timeout 5 $BIN/tcnetstat | grep -q encrypting" ||
		echo "(tcnetstat in $ns does not list the connection as encrypting yet)"
done

for ns in alice bob; do
	step "tcnetstat in $ns"
	ip netns exec "$ns" timeout 5 $BIN/tcnetstat
done
sid_a=$(ip netns exec alice timeout 5 $BIN/tcnetstat | awk 'NR > 1 {print $NF}')
sid_b=$(ip netns exec bob timeout 5 $BIN/tcnetstat | awk 'NR > 1 {print $NF}')
wait_for 100 grep -q "$MARKER" /tmp/demo.recv || true
pkill -f 'busybox nc' 2>/dev/null || true
wait $cli 2>/dev/null || true
wait $srv 2>/dev/null || true
printf '\nbob received: %s\n' "$(cat /tmp/demo.recv)"
sleep 1
kill -INT $tcpd 2>/dev/null || true
wait $tcpd 2>/dev/null || true

step "the handshake on the wire: TCP option 69 (TCP-ENO)"
tshark -r $CAP -Y 'tcp.option_kind == 69' -T fields \
	-e frame.number -e ip.src -e tcp.flags.str -e tcp.options 2>/dev/null | head -n 4

step "is the message on the wire?"
if grep -aq "$MARKER" $CAP; then
	echo "YES: plaintext on the wire"
	exit 1
fi
echo "no: \"$MARKER\" appears nowhere in the capture ($(stat -c %s $CAP) bytes)"

step "session IDs"
echo "alice: $sid_a"
echo "bob:   $sid_b"
if [ -n "$sid_a" ] && [ "$sid_a" = "$sid_b" ]; then
	echo "equal: both ends share one session ID"
else
	echo "they differ or are missing"
	exit 1
fi
