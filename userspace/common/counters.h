/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The module's per-netns counters (TCPCRYPT_STATS_A_*), described once:
 * one row each in tc_counters[], from which `tcpcryptctl show` and
 * `tcpcryptctl show dump` print them all. A new counter needs a row there
 * and its entry in tcpcryptctl.8; test_counters checks both.
 */
#ifndef TC_COUNTERS_H
#define TC_COUNTERS_H

#include <stddef.h>
#include <stdio.h>

#include "genl_ops.h"

struct tc_counter {
	int attr;		/* TCPCRYPT_STATS_A_* */
	/* the attribute's name without the prefix, as spelled in the header */
	const char *name;
	/* `show` prints a group on one line, its rows in table order */
	const char *group;
	const char *label;	/* "3 <label>" on that line */
	const char *meaning;	/* one line, as in tcpcryptctl.8 */
};

/* In `show dump` order; the rows of a group are adjacent */
extern const struct tc_counter tc_counters[];
extern const size_t tc_n_counters;

/* Longest `show dump` key, with its NUL */
#define TC_COUNTER_KEY_LEN 32

/* The row of attribute attr, or NULL */
const struct tc_counter *tc_counter_find(int attr);

/*
 * The counter's `show dump` key: its name in lower case ("eno_offered").
 * buf holds TC_COUNTER_KEY_LEN bytes. Returns buf.
 */
const char *tc_counter_key(const struct tc_counter *c, char *buf);

/* True when the module sent at least one counter */
bool tc_counters_any(const struct tc_stats *s);

/* "key value" per counter the module sent, in table order */
void tc_counters_print_dump(FILE *f, const struct tc_stats *s);

/*
 * One line per group with a counter the module sent, after indent:
 * "eno: 3 offered, 2 answered, 5 succeeded, 0 not offered".
 */
void tc_counters_print_pretty(FILE *f, const struct tc_stats *s,
			      const char *indent);

#endif /* TC_COUNTERS_H */
