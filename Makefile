# tcpcrypt for Linux: top-level build.
#
#   make                 build tcpcrypt.ko and the userspace programs
#   make check           install missing packages, build, run host unit tests,
#                        brief fuzzing, then the kselftests in a QEMU guest
#   make demo            two hosts in a VM (network namespaces), status of both
#   make fuzz            longer libFuzzer runs (FUZZ_SECONDS per target)
#   make checkpatch      Linux coding style on the kernel code
#   make bench           benchmarks in a QEMU guest: tcpcrypt against plain TCP,
#                        kTLS, IPsec and WireGuard (tools/bench/bench.mk)
#   make bench-selftest  the benchmark's guards, in a guest
#   make install         DESTDIR= and PREFIX= honoured
#
# KDIR selects the kernel build tree; by default the newest installed
# /lib/modules/*/build (Debian's linux-headers-amd64), not `uname -r`: the
# module is built for the packaged kernel the VM boots.

KVER   ?= $(shell ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1 | cut -d/ -f4)
KDIR   ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr/local
DESTDIR ?=
FUZZ_SECONDS ?= 300
CHECK_FUZZ_SECONDS ?= 8
VERSION := 0.1.0
DKMSDIR := /usr/src/tcpcrypt-$(VERSION)
# kernel sources, without what Kbuild generates
KSRCS = $(filter-out %.mod.c,$(wildcard kmod/*.c))

export PREFIX DESTDIR

all: modules userspace

modules:
	@test -d "$(KDIR)" || { echo "no kernel build tree at '$(KDIR)': run tools/deps or set KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	$(MAKE) -C userspace

deps:
	@tools/deps

ksrc:
	@tools/ksrc build/ksrc >/dev/null

unit: ksrc
	@rm -f build/results/unit
	$(MAKE) -C selftests/unit

userspace-test: ksrc userspace
	@rm -f build/results/userspace
	$(MAKE) -C userspace test

fuzz-brief:
	@rm -f build/results/fuzz
	$(MAKE) -C selftests/fuzz run FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS)

fuzz:
	$(MAKE) -C selftests/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)

selftests-build:
	$(MAKE) -C selftests/tcpcrypt

vm-scanner-test:
	@rm -f build/results/vmscan
	@tools/tap-run vmscan tools/vm/test/scanner-selftest

vmtest: all selftests-build
	@rm -f build/results/vm
	@tools/tap-run vm tools/vmtest

uapi-check:
	@tools/check-uapi.py

check: deps
	@rm -rf build/results
	$(MAKE) uapi-check
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) userspace-test
	$(MAKE) fuzz-brief
	$(MAKE) checkpatch
	$(MAKE) vm-scanner-test
	$(MAKE) vmtest
	@tools/summary

demo: deps
	$(MAKE) all
	tools/vm/run -- tools/demo.sh

checkpatch: ksrc
	@tools/checkpatch

install: all
	install -D -m 0644 kmod/tcpcrypt.ko $(DESTDIR)/lib/modules/$(KVER)/extra/tcpcrypt.ko
	$(MAKE) -C userspace install
	install -d $(DESTDIR)$(PREFIX)/lib/systemd/system
	sed 's|/usr/local|$(PREFIX)|g' tools/systemd/tcpcryptd.service \
		>$(DESTDIR)$(PREFIX)/lib/systemd/system/tcpcryptd.service
	@# DKMS source tree: rebuilds the module for every new kernel
	install -d $(DESTDIR)$(DKMSDIR)/kmod/proto $(DESTDIR)$(DKMSDIR)/include/uapi/linux
	install -m 0644 Kbuild tools/dkms/dkms.conf $(DESTDIR)$(DKMSDIR)/
	install -m 0644 kmod/Kbuild $(KSRCS) kmod/*.h $(DESTDIR)$(DKMSDIR)/kmod/
	install -m 0644 kmod/proto/*.c kmod/proto/*.h $(DESTDIR)$(DKMSDIR)/kmod/proto/
	install -m 0644 include/uapi/linux/tcpcrypt.h $(DESTDIR)$(DKMSDIR)/include/uapi/linux/
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

include tools/bench/bench.mk

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C userspace clean
	rm -rf build

.PHONY: all modules userspace deps ksrc unit userspace-test fuzz-brief fuzz \
	vmtest check demo checkpatch install clean uapi-check \
	selftests-build vm-scanner-test
