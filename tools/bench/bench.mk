# SPDX-License-Identifier: GPL-2.0
# Benchmark targets, included by the top-level Makefile
# (Documentation/benchmarks.md):
#
#   make bench            build, run tools/bench/run.sh in a QEMU guest and
#                         print its report (also kept in build/bench/report.md)
#   make bench-selftest   tools/bench/selftest.sh in a guest: the benchmark's
#                         guards against measuring the wrong thing
#
# The BENCH_* knobs of run.sh, given on the command line or in the
# environment (make bench BENCH_ROUNDS=1), are passed into the guest, which
# does not inherit the host's environment. Packages come from tools/deps
# only: without wg (wireguard-tools) run.sh skips WireGuard with a warning.

BENCH_VM_TIMEOUT ?= 7200
BENCH_SELFTEST_VM_TIMEOUT ?= 1800
BENCH_VM_OUT := build/bench/vm
BENCH_KNOBS := BENCH_ROUNDS BENCH_SECONDS BENCH_AEADS BENCH_IPERF3 \
	BENCH_CONNS BENCH_CONN_TEPS BENCH_COMMIT
# NAME='value' for every knob that is set; values are words without quotes
bench_env = $(foreach k,$(BENCH_KNOBS),$(if $($(k)),$(k)='$($(k))'))

bench-build: deps
	$(MAKE) all
	$(MAKE) -C tools/bench

# The report goes to the guest's output share, kept in $(BENCH_VM_OUT)
# (the guest's view of the checkout is read-only).
bench: bench-build
	@rm -f build/bench/report.md
	tools/vm/run --timeout $(BENCH_VM_TIMEOUT) --keep-output $(BENCH_VM_OUT) \
		-- "env $(strip $(bench_env) BENCH_OUT=/run/vm/bench.md) tools/bench/run.sh"
	@cp $(BENCH_VM_OUT)/bench.md build/bench/report.md
	@echo "bench: report in build/bench/report.md"

bench-selftest: bench-build
	tools/vm/run --timeout $(BENCH_SELFTEST_VM_TIMEOUT) -- tools/bench/selftest.sh

.PHONY: bench bench-build bench-selftest
