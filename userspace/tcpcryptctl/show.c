// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tcpcryptctl show: the module's state in this network namespace, for
 * people (like `wg show`) or, with "dump", one "key value" per line for
 * scripts. The counters are printed from counters.h's table.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "counters.h"
#include "genl_ops.h"
#include "names.h"
#include "tcpcryptctl.h"

static void print_name_list(const char *label, const unsigned int *ids,
			    unsigned int n, const char *(*name_of)(unsigned int),
			    int width)
{
	unsigned int i;
	const char *name;

	printf("  %s:", label);
	for (i = 0; i < n; i++) {
		name = name_of(ids[i]);
		if (name)
			printf(" %s", name);
		else
			printf(" 0x%0*x", width, ids[i]);
	}
	printf("\n");
}

static void show_pretty(const struct tc_status *st)
{
	unsigned int ids[TCPCRYPT_MAX_AEADS], i;

	printf("netns: %" PRIu32 "\n", st->netns_ino);
	printf("  module: %s\n", st->version[0] ? st->version : "unknown");
	if (st->daemon_registered)
		printf("  daemon: registered (pid %" PRIu32 ", port %" PRIu32
		       ")\n", st->daemon_pid, st->daemon_portid);
	else
		printf("  daemon: none\n");
	if (st->divert_mark)
		printf("  divert mark: 0x%" PRIx32 "\n", st->divert_mark);
	else
		printf("  divert mark: any\n");
	printf("  sessions cached: %" PRIu32 "\n", st->sessions_cached);
	if (st->daemon_registered) {
		for (i = 0; i < st->n_teps; i++)
			ids[i] = st->teps[i];
		print_name_list("teps", ids, st->n_teps, tc_tep_name, 2);
		for (i = 0; i < st->n_aeads; i++)
			ids[i] = st->aeads[i];
		print_name_list("aeads", ids, st->n_aeads, tc_aead_name, 4);
	}
	if (tc_counters_any(&st->stats)) {
		printf("  counters:\n");
		tc_counters_print_pretty(stdout, &st->stats, "    ");
	}
}

static void show_dump(const struct tc_status *st)
{
	unsigned int i;

	printf("netns_ino %" PRIu32 "\n", st->netns_ino);
	printf("version %s\n", st->version[0] ? st->version : "unknown");
	printf("daemon_registered %d\n", st->daemon_registered ? 1 : 0);
	if (st->daemon_registered) {
		printf("daemon_pid %" PRIu32 "\n", st->daemon_pid);
		printf("daemon_portid %" PRIu32 "\n", st->daemon_portid);
	}
	printf("divert_mark %" PRIu32 "\n", st->divert_mark);
	printf("sessions_cached %" PRIu32 "\n", st->sessions_cached);
	if (st->daemon_registered) {
		printf("teps ");
		for (i = 0; i < st->n_teps; i++)
			printf("%s0x%02x", i ? "," : "", st->teps[i]);
		printf("\naeads ");
		for (i = 0; i < st->n_aeads; i++)
			printf("%s0x%04x", i ? "," : "", st->aeads[i]);
		printf("\n");
	}
	tc_counters_print_dump(stdout, &st->stats);
}

int show_main(int argc, char *argv[])
{
	struct tc_status st;
	struct tc_genl g;
	bool dump = false;
	int err;

	if (argc == 2 && !strcmp(argv[1], "dump")) {
		dump = true;
	} else if (argc != 1) {
		ctl_usage("show [dump]");
		return EXIT_USAGE;
	}

	if (ctl_open(&g))
		return 1;
	err = tc_status_get(&g, &st);
	if (err) {
		ctl_genl_error(&g, "cannot read the module's status", err);
		goto out_close;
	}
	if (dump)
		show_dump(&st);
	else
		show_pretty(&st);

out_close:
	tc_genl_close(&g);
	return err ? 1 : 0;
}
