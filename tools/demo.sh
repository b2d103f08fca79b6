#!/bin/sh
# The demo, run inside the QEMU guest by `make demo`: two hosts (network
# namespaces "alice" and "bob" joined by a veth pair), tcpcrypt.ko loaded,
# tcpcryptd registered in each, and the status of both as tcpcryptctl shows it.
set -eu
cd "$(dirname "$0")/.."
BIN=build/bin

cleanup() {
	for ns in alice bob; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
		ip netns del "$ns" 2>/dev/null || true
	done
	rmmod tcpcrypt 2>/dev/null || true
}
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*"; }

step "loading tcpcrypt.ko ($(uname -r))"
insmod kmod/tcpcrypt.ko
dmesg | grep -i tcpcrypt | tail -n 3

step "two hosts: alice (10.0.0.1, fd00::1) and bob (10.0.0.2, fd00::2)"
ip netns add alice
ip netns add bob
ip link add veth0 netns alice type veth peer name veth0 netns bob
ip -n alice addr add 10.0.0.1/24 dev veth0
ip -n bob addr add 10.0.0.2/24 dev veth0
ip -n alice addr add fd00::1/64 dev veth0 nodad
ip -n bob addr add fd00::2/64 dev veth0 nodad
for ns in alice bob; do
	ip -n "$ns" link set lo up
	ip -n "$ns" link set veth0 up
done

step "starting tcpcryptd in each namespace"
ip netns exec alice $BIN/tcpcryptd -f -u /run/alice.ctl &
ip netns exec bob $BIN/tcpcryptd -f -u /run/bob.ctl -t p256,x25519 -a chacha20poly1305,aes128gcm &
for ns in alice bob; do
	i=0
	until ip netns exec "$ns" $BIN/tcpcryptctl show dump | grep -qx 'daemon_registered 1'; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "tcpcryptd did not register in $ns" >&2; exit 1; }
		sleep 0.1
	done
done

step "a TCP exchange between the hosts"
ip netns exec bob busybox nc -l -p 7000 >/tmp/demo.recv &
srv=$!
i=0
until echo "hello from alice" | ip netns exec alice busybox nc -w 2 10.0.0.2 7000 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 50 ] || { echo "could not reach bob" >&2; exit 1; }
	sleep 0.1
done
wait $srv || true
printf 'bob received: %s\n' "$(cat /tmp/demo.recv)"

for ns in alice bob; do
	step "tcpcryptctl show (in $ns)"
	ip netns exec "$ns" $BIN/tcpcryptctl show
done

step "tcpcryptctl show (root namespace: no daemon there)"
$BIN/tcpcryptctl show

step "tcnetstat (in alice)"
ip netns exec alice $BIN/tcnetstat
echo
echo "The data path (TCP-ENO on the wire, encrypted frames, session IDs) is"
echo "not implemented yet: connections stay plain TCP. See README.md."
