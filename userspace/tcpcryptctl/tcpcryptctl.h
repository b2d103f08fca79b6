/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * tcpcryptctl: the subcommands, each in its own file, and what they share.
 * Exit codes: 0 success, 1 failure (message on stderr), 2 bad arguments
 * (usage on stderr).
 */
#ifndef TCPCRYPTCTL_H
#define TCPCRYPTCTL_H

#include "genl.h"

#define EXIT_USAGE 2

/* "tcpcryptctl: <message>" on stderr */
void ctl_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "Usage: tcpcryptctl <synopsis>" on stderr */
void ctl_usage(const char *synopsis);

/* Open the family, or print why not. Returns 0 or -errno. */
int ctl_open(struct tc_genl *g);

/* "tcpcryptctl: <what>: <strerror> (<extack>)" on stderr */
void ctl_genl_error(const struct tc_genl *g, const char *what, int err);

int show_main(int argc, char *argv[]);
int stats_main(int argc, char *argv[]);
int sessions_main(int argc, char *argv[]);
int conns_main(int argc, char *argv[]);

#endif /* TCPCRYPTCTL_H */
