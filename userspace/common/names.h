/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Names users type and read for the identifiers of RFC 8548 section 7
 * (TEPs and AEADs) and for the module's connection states and roles, and
 * the parser of the comma-separated lists tcpcryptd takes in -t and -a.
 */
#ifndef TC_NAMES_H
#define TC_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct tc_name {
	const char *name;
	unsigned int id;
};

struct tc_name_table {
	const char *what;		/* "TEP", "AEAD": for error messages */
	const struct tc_name *names;
	size_t count;
};

extern const struct tc_name_table tc_tep_names;
extern const struct tc_name_table tc_aead_names;

/* The name of id, or NULL when the table has none. */
const char *tc_name_of(const struct tc_name_table *t, unsigned int id);
/* The id of name (exact, lower case), or -1. */
int tc_id_of(const struct tc_name_table *t, const char *name);

const char *tc_tep_name(unsigned int id);
const char *tc_aead_name(unsigned int id);
/* "negotiating", "key-exchange", ...; "?" for an unknown state */
const char *tc_conn_state_name(unsigned int state);

/*
 * Parse "name,name,..." into at most max ids, in the given order. Every
 * item must be a known name and appear once. Returns the number of ids,
 * or -1 with a message for the user in err.
 */
int tc_parse_name_list(const struct tc_name_table *t, const char *list,
		       unsigned int *ids, size_t max, char *err,
		       size_t errlen);

#endif /* TC_NAMES_H */
