// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tcpcryptctl stats reset: zero the counters of this network namespace
 * tcpcryptctl sessions flush: forget its cached session secrets
 */
#include <errno.h>
#include <string.h>

#include "genl_ops.h"
#include "tcpcryptctl.h"

int stats_main(int argc, char *argv[])
{
	struct tc_genl g;
	int err;

	if (argc != 2 || strcmp(argv[1], "reset")) {
		ctl_usage("stats reset");
		return EXIT_USAGE;
	}

	if (ctl_open(&g))
		return 1;
	err = tc_stats_reset(&g);
	if (err == -EPERM)
		ctl_error("resetting the counters needs CAP_NET_ADMIN in this network namespace (%s)",
			  strerror(EPERM));
	else if (err)
		ctl_genl_error(&g, "cannot reset the counters", err);
	tc_genl_close(&g);
	return err ? 1 : 0;
}

int sessions_main(int argc, char *argv[])
{
	struct tc_genl g;
	int err;

	if (argc != 2 || strcmp(argv[1], "flush")) {
		ctl_usage("sessions flush");
		return EXIT_USAGE;
	}

	if (ctl_open(&g))
		return 1;
	err = tc_sessions_flush(&g);
	if (err == -EPERM)
		ctl_error("flushing the session cache needs CAP_NET_ADMIN in this network namespace (%s)",
			  strerror(EPERM));
	else if (err)
		ctl_genl_error(&g, "cannot flush the session cache", err);
	tc_genl_close(&g);
	return err ? 1 : 0;
}
