// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* tcpcryptctl conns: the connection table, exactly as tcnetstat prints it */
#include <stdio.h>

#include "conn_table.h"
#include "tcpcryptctl.h"

int conns_main(int argc, char *argv[])
{
	struct tc_genl g;
	int err;

	(void)argv;
	if (argc != 1) {
		ctl_usage("conns");
		return EXIT_USAGE;
	}

	if (ctl_open(&g))
		return 1;
	err = tc_conn_table_print(stdout, &g);
	if (err)
		ctl_genl_error(&g, "cannot list connections", err);
	tc_genl_close(&g);
	return err ? 1 : 0;
}
