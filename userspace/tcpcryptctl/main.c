// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tcpcryptctl: state, counters and connections of tcpcrypt.ko in the
 * current network namespace, over its generic netlink family.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcpcryptctl.h"
#include "util.h"

static const char *const prog = "tcpcryptctl";

static int help_main(int argc, char *argv[]);
static int version_main(int argc, char *argv[]);

static const struct {
	const char *name;
	int (*fn)(int argc, char *argv[]);
	const char *usage;
	const char *description;
} subcommands[] = {
	{ "show", show_main, "show [dump]",
	  "state of the module and daemon in this network namespace" },
	{ "stats", stats_main, "stats reset",
	  "zero the counters (needs CAP_NET_ADMIN)" },
	{ "sessions", sessions_main, "sessions flush",
	  "forget the cached session secrets: fresh key exchanges from now on (needs CAP_NET_ADMIN)" },
	{ "conns", conns_main, "conns",
	  "list protected connections (as tcnetstat)" },
	{ "help", help_main, "help", "show this help" },
	{ "version", version_main, "version", "show the version" },
};

void ctl_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void ctl_usage(const char *synopsis)
{
	fprintf(stderr, "Usage: %s %s\n", prog, synopsis);
}

int ctl_open(struct tc_genl *g)
{
	char buf[256];
	int err;

	err = tc_genl_open(g);
	if (err)
		ctl_error("%s", tc_genl_open_strerror(err, buf, sizeof(buf)));
	return err;
}

void ctl_genl_error(const struct tc_genl *g, const char *what, int err)
{
	char buf[512];

	ctl_error("%s: %s", what, tc_genl_strerror(g, err, buf, sizeof(buf)));
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s [<command> [<args>]]\n\n", prog);
	fprintf(f, "Commands (default: show):\n");
	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		fprintf(f, "  %-14s %s\n", subcommands[i].usage,
			subcommands[i].description);
	fprintf(f, "\nOptions: -h, --help; --version\n");
}

static int help_main(int argc, char *argv[])
{
	(void)argv;
	if (argc > 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	usage(stdout);
	return 0;
}

static int version_main(int argc, char *argv[])
{
	(void)argv;
	if (argc > 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	printf("%s %s\n", prog, TC_TOOLS_VERSION);
	return 0;
}

int main(int argc, char *argv[])
{
	char *show_argv[] = { "show", NULL };
	size_t i;

	if (argc == 1)
		return show_main(1, show_argv);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return help_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return version_main(argc - 1, argv + 1);

	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].fn(argc - 1, argv + 1);

	ctl_error("invalid command \"%s\"", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
