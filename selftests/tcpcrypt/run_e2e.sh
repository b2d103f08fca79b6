#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the end-to-end tests of the data path (every e2e_*.sh here, sorted,
# or the ones named on the command line) in the test guest, as root, with
# run_all.sh's TAP output, per-script checks and whole-run kernel log check:
#
#   make -C selftests/tcpcrypt
#   tools/vm/run --timeout 3600 -- selftests/tcpcrypt/run_e2e.sh [e2e_x.sh...]
#
# Each script may take up to 600 s (TCPC_TEST_TIMEOUT overrides).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
export TCPC_TEST_GLOB='e2e_*.sh'
export TCPC_TEST_TIMEOUT=${TCPC_TEST_TIMEOUT:-600}
exec "$here/run_all.sh" "$@"
