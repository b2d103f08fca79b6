// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tcpcryptd: the tcpcrypt daemon. It checks its key agreement, registers
 * with tcpcrypt.ko in its network namespace, answers the module's
 * key-exchange requests (kex_service.h), serves the control socket for
 * libtcpcrypt, optionally tests the network, and runs until SIGTERM or
 * SIGINT, when it unregisters and exits 0.
 *
 * Two netlink sockets: the registration belongs to the first (the module
 * ends it when that socket closes, sends it key-exchange requests and
 * takes the replies only from it), so its traffic is the key exchange
 * only; the second carries the daemon's own queries, so that their
 * answers never mix with that traffic.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "control.h"
#include "kat.h"
#include "kex_service.h"
#include "log.h"
#include "loop.h"
#include "nettest.h"
#include "options.h"
#include "registration.h"
#include "sessid_lookup.h"
#include "sock_policy.h"

struct daemon {
	struct options opt;
	struct loop loop;
	struct tc_genl reg;		/* registered socket */
	struct tc_genl query;		/* our requests */
	struct sock_policy_ctx policy;	/* the control worker's */
	struct kex_service kex;
	struct ctl_server *ctl;
	struct nettest *nettest;
	int sig_fd;
};

static void on_signal(int fd, short revents, void *arg)
{
	struct daemon *d = arg;
	struct signalfd_siginfo si;

	(void)revents;
	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return;
	log_info("%s: shutting down", strsignal((int)si.ssi_signo));
	loop_stop(&d->loop);
}

/* SIGTERM and SIGINT arrive through the loop; SIGPIPE never kills us */
static int open_signals(struct daemon *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	d->sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sig_fd < 0)
		return -errno;
	return loop_add_fd(&d->loop, d->sig_fd, POLLIN, on_signal, d);
}

static int open_netlink(struct tc_genl *g)
{
	char buf[256];
	int err;

	err = tc_genl_open(g);
	if (err)
		log_err("%s", tc_genl_open_strerror(err, buf, sizeof(buf)));
	return err;
}

static int set_blocking(struct tc_genl *g, bool blocking)
{
	int fd = tc_genl_fd(g), flags = fcntl(fd, F_GETFL);

	if (flags < 0)
		return -errno;
	flags = blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK;
	return fcntl(fd, F_SETFL, flags) ? -errno : 0;
}

static int run(struct daemon *d)
{
	const struct ctl_handlers handlers = {
		.sessid = sessid_lookup,
		.sessid_arg = &d->query,
		.policy = sock_policy_apply,
		.policy_arg = &d->policy,
	};
	int err;

	err = open_signals(d);
	if (err) {
		log_err("cannot set up signal handling: %s", strerror(-err));
		return err;
	}
	err = open_netlink(&d->reg);
	if (err)
		return err;
	err = open_netlink(&d->query);
	if (err)
		goto out_close_reg;
	sock_policy_ctx_init(&d->policy);
	err = open_netlink(&d->policy.nl);
	if (err)
		goto out_close_query;
	err = daemon_register(&d->reg, &d->opt);
	if (err)
		goto out_close_policy;

	err = set_blocking(&d->reg, false);
	if (err) {
		log_err("cannot watch the netlink socket: %s", strerror(-err));
		goto out_unregister;
	}
	err = kex_service_start(&d->kex, &d->loop, &d->reg, &d->opt);
	if (err)
		goto out_unregister;
	err = ctl_server_open(&d->loop, &d->opt.ctl, &handlers, &d->ctl);
	if (err)
		goto out_stop_kex;
	if (d->opt.nettest)
		d->nettest = nettest_start(&d->loop, &d->query,
					   d->opt.test_host, d->opt.test_port);

	err = loop_run(&d->loop);
	if (err)
		log_err("event loop: %s", strerror(-err));

	nettest_stop(d->nettest);
	ctl_server_close(d->ctl);
out_stop_kex:
	kex_service_stop(&d->kex);
out_unregister:
	/* The module answers at once; wait for its answer */
	set_blocking(&d->reg, true);
	daemon_unregister(&d->reg);
out_close_policy:
	tc_genl_close(&d->policy.nl);
out_close_query:
	tc_genl_close(&d->query);
out_close_reg:
	tc_genl_close(&d->reg);
	return err;
}

int main(int argc, char *argv[])
{
	struct daemon *d;
	int err;

	d = calloc(1, sizeof(*d));
	if (!d) {
		log_err("%s", strerror(ENOMEM));
		return 1;
	}
	switch (options_parse(argc, argv, &d->opt)) {
	case OPTIONS_EXIT:
		free(d);
		return 0;
	case OPTIONS_USAGE:
		free(d);
		return 2;
	case OPTIONS_RUN:
		break;
	}
	log_set_verbosity(d->opt.verbosity);
	loop_init(&d->loop);
	d->sig_fd = -1;

	if (d->opt.selftest && kat_run_all()) {
		log_err("self-test failed: refusing to start (-f skips it)");
		err = -EIO;
		goto out;
	}
	err = run(d);
out:
	if (d->sig_fd >= 0)
		close(d->sig_fd);
	free(d);
	return err ? 1 : 0;
}
