// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tcpcryptctl stats reset: zero the counters of this network namespace
 * tcpcryptctl sessions flush: forget its cached session secrets
 */
#include <errno.h>
#include <string.h>

#include "genl_ops.h"
#include "tcpcryptctl.h"

/* "tcpcryptctl NOUN VERB": one admin request without arguments */
static int admin_cmd(int argc, char *argv[], const char *verb,
		     const char *usage, int (*req)(struct tc_genl *g),
		     const char *what)
{
	struct tc_genl g;
	int err;

	if (argc != 2 || strcmp(argv[1], verb)) {
		ctl_usage(usage);
		return EXIT_USAGE;
	}

	if (ctl_open(&g))
		return 1;
	err = req(&g);
	if (err == -EPERM)
		ctl_error("%s needs CAP_NET_ADMIN in this network namespace (%s)",
			  what, strerror(EPERM));
	else if (err)
		ctl_genl_error(&g, what, err);
	tc_genl_close(&g);
	return err ? 1 : 0;
}

int stats_main(int argc, char *argv[])
{
	return admin_cmd(argc, argv, "reset", "stats reset", tc_stats_reset,
			 "resetting the counters");
}

int sessions_main(int argc, char *argv[])
{
	return admin_cmd(argc, argv, "flush", "sessions flush",
			 tc_sessions_flush, "flushing the session cache");
}
