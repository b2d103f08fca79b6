#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Error handling of the command-line programs: bad arguments give the usage
# and exit 2, bad TEP/AEAD lists are named, a missing module is reported
# as such (exit 1), and the informational options succeed.
set -u
source "$(dirname "$0")/lib.sh"

require_build

cleanup() {
	kill_daemons
	module_unload
}
trap cleanup EXIT

# run_cli COMMAND...: sets OUT (stdout+stderr) and RC
run_cli() {
	OUT=$(timeout 30 "$@" 2>&1)
	RC=$?
}

ctl=$BIN/tcpcryptctl
daemon=$BIN/tcpcryptd

if module_loaded; then
	module_unload
fi

# --- tcpcryptctl -----------------------------------------------------------
run_cli "$ctl" no-such-command
check_eq "tcpcryptctl bad subcommand exits 2" "$RC" 2
check_match "tcpcryptctl bad subcommand prints the usage" "$OUT" '^Usage: tcpcryptctl'
check_match "tcpcryptctl names the bad subcommand" "$OUT" 'no-such-command'
run_cli "$ctl" stats no-such-action
check_eq "tcpcryptctl stats with a bad action exits 2" "$RC" 2
run_cli "$ctl" show no-such-format
check_eq "tcpcryptctl show with a bad argument exits 2" "$RC" 2
run_cli "$ctl" --no-such-option
check_eq "tcpcryptctl bad option exits 2" "$RC" 2
run_cli "$ctl" --help
check_eq "tcpcryptctl --help exits 0" "$RC" 0
check_match "tcpcryptctl --help prints the usage" "$OUT" '^Usage: tcpcryptctl'
run_cli "$ctl" --version
check_eq "tcpcryptctl --version exits 0" "$RC" 0
check_match "tcpcryptctl --version prints a version" "$OUT" '[0-9]+\.[0-9]+\.[0-9]+'

notfound='^tcpcryptctl: generic netlink family "tcpcrypt" not found \(is tcpcrypt.ko loaded\?\)$'
run_cli "$ctl" show
check_eq "tcpcryptctl show without the module exits 1" "$RC" 1
check_match "tcpcryptctl show without the module says so" "$OUT" "$notfound"
run_cli "$ctl"
check_eq "tcpcryptctl (no arguments) without the module exits 1" "$RC" 1
check_match "tcpcryptctl (no arguments) is show" "$OUT" "$notfound"
run_cli "$ctl" stats reset
check_eq "tcpcryptctl stats reset without the module exits 1" "$RC" 1
check_match "tcpcryptctl stats reset without the module says so" "$OUT" "$notfound"
run_cli "$ctl" sessions flush
check_eq "tcpcryptctl sessions flush without the module exits 1" "$RC" 1
check_match "tcpcryptctl sessions flush without the module says so" "$OUT" "$notfound"

# --- tcpcryptd -------------------------------------------------------------
run_cli "$daemon" -f -u /tmp/cli.ctl -t x25519,no-such-tep
check "tcpcryptd with an unknown TEP fails" test "$RC" -ne 0
check_match "tcpcryptd names the unknown TEP" "$OUT" 'unknown TEP.*no-such-tep'
run_cli "$daemon" -f -u /tmp/cli.ctl -a no-such-aead
check "tcpcryptd with an unknown AEAD fails" test "$RC" -ne 0
check_match "tcpcryptd names the unknown AEAD" "$OUT" 'unknown AEAD.*no-such-aead'
run_cli "$daemon" -Z
check "tcpcryptd with an unknown option fails" test "$RC" -ne 0
run_cli "$daemon" -h
check_eq "tcpcryptd -h exits 0" "$RC" 0
check_match "tcpcryptd -h prints the usage" "$OUT" '^Usage: tcpcryptd'
run_cli "$daemon" -V
check_eq "tcpcryptd -V exits 0" "$RC" 0
check_match "tcpcryptd -V prints a version" "$OUT" '[0-9]+\.[0-9]+\.[0-9]+'

run_cli "$daemon" -f -u /tmp/cli.ctl
check_eq "tcpcryptd without the module exits 1" "$RC" 1
check_match "tcpcryptd without the module says why" "$OUT" 'tcpcrypt\.ko|not found'

# --- with the module: an empty connection list ------------------------------
module_load || { fail "insmod $KO"; ksft_exit; }
run_cli "$ctl" conns
check_eq "tcpcryptctl conns with no connections exits 0" "$RC" 0
check_eq "tcpcryptctl conns prints only the header" "$(printf '%s\n' "$OUT" | wc -l)" 1
if [ -x "$BIN/tcnetstat" ]; then
	run_cli "$BIN/tcnetstat"
	check_eq "tcnetstat with no connections exits 0" "$RC" 0
	check_eq "tcnetstat prints only the header" "$(printf '%s\n' "$OUT" | wc -l)" 1
	run_cli "$BIN/tcnetstat" -h
	check_eq "tcnetstat -h exits 0" "$RC" 0
else
	fail "$BIN/tcnetstat missing: run make first"
fi

ksft_exit
