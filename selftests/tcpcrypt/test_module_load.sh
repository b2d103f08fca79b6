#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tcpcrypt.ko loads and unloads cleanly (several times, with network
# namespaces created before and after), its generic netlink family exists
# exactly while it is loaded, every namespace gets its own state, and
# nothing keeps a reference on the module.
set -u
source "$(dirname "$0")/lib.sh"

require_build
require_cmd genl ip

cleanup() {
	cleanup_ns
	module_unload
}
trap cleanup EXIT

family_present() {
	genl ctrl get name tcpcrypt >/dev/null 2>&1
}

netns_ino() { # NS
	ns_exec "$1" stat -L -c %i /proc/self/ns/net
}

# TAINT_PROPRIETARY_MODULE (0), TAINT_FORCED_MODULE (1)
taint_bad() {
	[ $(($(cat /proc/sys/kernel/tainted) & 3)) -ne 0 ]
}

if module_loaded; then
	log "tcpcrypt.ko was loaded before the test: unloading it"
	module_unload
fi

check_fail "no generic netlink family tcpcrypt before insmod" family_present
out=$("$BIN/tcpcryptctl" show 2>&1)
check_match "tcpcryptctl without the module names the missing family" "$out" \
	'generic netlink family "tcpcrypt" not found \(is tcpcrypt.ko loaded\?\)'

# A namespace that exists before the module is loaded
setup_ns NSA || fail "cannot create a network namespace"

check "insmod tcpcrypt.ko" insmod "$KO"
check "module listed in /sys/module" module_loaded
check_eq "module reference count is 0 after load" \
	"$(cat /sys/module/tcpcrypt/refcnt 2>/dev/null)" 0
check_fail "module taints the kernel only as out-of-tree/unsigned" taint_bad
check "generic netlink family tcpcrypt registered" family_present
check_match "genl ctrl shows the family" "$(genl ctrl get name tcpcrypt 2>&1)" \
	'Name: tcpcrypt'

dump=$("$BIN/tcpcryptctl" show dump 2>&1)
check_match "tcpcryptctl show dump works" "$dump" '^daemon_registered 0$'
want_version=$(cat /sys/module/tcpcrypt/version 2>/dev/null || modinfo -F version "$KO")
check_eq "reported version is the module's" "$(ctl_dump "" version)" "$want_version"
check_eq "answers for the initial namespace" "$(ctl_dump "" netns_ino)" "$(netns_ino "")"
check_eq "no daemon registrations yet" "$(ctl_dump "" daemon_registrations)" 0
check_eq "no daemon losses yet" "$(ctl_dump "" daemon_losses)" 0

check_eq "namespace created before insmod has its own state" \
	"$(ctl_dump "$NSA" netns_ino)" "$(netns_ino "$NSA")"
setup_ns NSB || fail "cannot create a network namespace"
check_eq "namespace created after insmod has its own state" \
	"$(ctl_dump "$NSB" netns_ino)" "$(netns_ino "$NSB")"
check_eq "no daemon in a new namespace" "$(ctl_dump "$NSB" daemon_registered)" 0

check_eq "netlink requests leave no module reference behind" \
	"$(cat /sys/module/tcpcrypt/refcnt 2>/dev/null)" 0

check "rmmod tcpcrypt with namespaces alive" rmmod tcpcrypt
check_fail "module gone after rmmod" module_loaded
check_fail "generic netlink family gone after rmmod" family_present
out=$(ns_exec "$NSA" "$BIN/tcpcryptctl" show dump 2>&1)
check_match "no family inside a namespace after rmmod" "$out" 'not found'

# Reload with namespaces alive, delete one while loaded, then unload again.
for round in 2 3; do
	check "insmod round $round" insmod "$KO"
	check "family back in round $round" family_present
	check_eq "state of an existing namespace reset in round $round" \
		"$(ctl_dump "$NSA" daemon_registrations)" 0
	check_eq "refcount 0 in round $round" "$(cat /sys/module/tcpcrypt/refcnt)" 0
	if [ "$round" = 2 ]; then
		ip netns del "$NSB"
		created_ns=("$NSA")
	fi
	check "rmmod round $round" module_unload
	check_fail "family gone in round $round" family_present
done

cleanup_ns
ksft_exit
