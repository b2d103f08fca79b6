// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tcnetstat: the connections tcpcrypt.ko protects in the current network
 * namespace, with their session IDs (see common/conn_table.h for the
 * format).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "conn_table.h"
#include "util.h"

static const char *const prog = "tcnetstat";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-n] [-h] [-V]\n"
		"List the connections tcpcrypt protects in this network namespace.\n"
		"The session ID (hex) is the last field of each row.\n\n"
		"  -n  numeric output (always numeric; accepted for compatibility)\n"
		"  -h  show this help\n"
		"  -V  show the version\n", prog);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "numeric", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char buf[512];
	struct tc_genl g;
	int opt, err;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "nhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", prog, TC_TOOLS_VERSION);
			return 0;
		default:
			if (strncmp(argv[optind - 1], "--", 2))
				fprintf(stderr, "%s: invalid option -%c\n",
					prog, optopt);
			else
				fprintf(stderr, "%s: invalid option %s\n",
					prog, argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument \"%s\"\n", prog,
			argv[optind]);
		usage(stderr);
		return 2;
	}

	err = tc_genl_open(&g);
	if (err) {
		fprintf(stderr, "%s: %s\n", prog,
			tc_genl_open_strerror(err, buf, sizeof(buf)));
		return 1;
	}
	err = tc_conn_table_print(stdout, &g);
	if (err)
		fprintf(stderr, "%s: cannot list connections: %s\n", prog,
			tc_genl_strerror(&g, err, buf, sizeof(buf)));
	tc_genl_close(&g);
	return err ? 1 : 0;
}
