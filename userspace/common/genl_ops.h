/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The commands of tcpcrypt.ko's netlink family as typed C calls: every
 * request is built and every reply parsed here, so that the programs deal
 * in plain structures only.
 */
#ifndef TC_GENL_OPS_H
#define TC_GENL_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "genl.h"

/*
 * The counters, indexed by TCPCRYPT_STATS_A_* (counters.h names them);
 * present[] says which the module sent: an older one sends fewer.
 */
struct tc_stats {
	uint64_t value[TCPCRYPT_STATS_A_MAX + 1];
	bool present[TCPCRYPT_STATS_A_MAX + 1];
};

struct tc_status {
	uint32_t netns_ino;
	char version[32];
	bool daemon_registered;
	uint32_t daemon_pid;
	uint32_t daemon_portid;
	uint32_t divert_mark;
	uint32_t sessions_cached;
	unsigned int n_teps;
	unsigned int n_aeads;
	uint8_t teps[TCPCRYPT_MAX_TEPS];
	uint16_t aeads[TCPCRYPT_MAX_AEADS];
	struct tc_stats stats;
};

struct tc_daemon_reg {
	uint32_t pid;
	uint32_t divert_mark;
	const char *version;
	unsigned int n_teps;
	unsigned int n_aeads;
	uint8_t teps[TCPCRYPT_MAX_TEPS];	/* increasing preference */
	uint16_t aeads[TCPCRYPT_MAX_AEADS];	/* decreasing preference */
};

#define TC_ROLE_UNKNOWN		0xff

/* One connection of the module's table; the 4-tuple is always set. */
struct tc_conn {
	int family;			/* AF_INET or AF_INET6 */
	uint16_t local_port;		/* host order */
	uint16_t remote_port;
	uint8_t local_addr[16];		/* network order */
	uint8_t remote_addr[16];
	uint8_t role;			/* TCPCRYPT_ROLE_*, TC_ROLE_UNKNOWN */
	uint8_t tep;			/* 0 when not negotiated */
	uint16_t aead;			/* 0 when not chosen */
	uint8_t state;			/* TCPCRYPT_CONN_*, 0 when unknown */
	bool has_sessid;
	uint8_t sessid[TCPCRYPT_SESSID_LEN];
	uint64_t bytes_in;
	uint64_t bytes_out;
};

typedef int (*tc_conn_fn)(const struct tc_conn *c, void *arg);

int tc_status_get(struct tc_genl *g, struct tc_status *st);
int tc_stats_reset(struct tc_genl *g);
int tc_sessions_flush(struct tc_genl *g);
int tc_daemon_register(struct tc_genl *g, const struct tc_daemon_reg *r);
int tc_daemon_unregister(struct tc_genl *g);

/*
 * The connection whose 4-tuple is in key (family, addresses, ports).
 * -ENOENT when the module does not protect it.
 */
int tc_conn_get(struct tc_genl *g, const struct tc_conn *key,
		struct tc_conn *c);

/* Every connection of the table, in the module's order. */
int tc_conn_dump(struct tc_genl *g, tc_conn_fn fn, void *arg);

/* One socket's resumption policy, as tcpcryptd found the socket */
struct tc_sock_policy {
	uint64_t cookie;		/* SO_COOKIE */
	uint8_t kind;			/* enum tcpcrypt_sock_kind */
	uint32_t flags;			/* TCPCRYPT_SOCK_* to set... */
	uint32_t mask;			/* ...among these */
	uint32_t ifindex;		/* listening: SO_BINDTODEVICE, or 0 */
	struct tc_conn tuple;		/* listening: the local end; connected:
					 * the 4-tuple; unconnected: unused */
};

/* SOCK_POLICY_SET; -ENOSPC when the module holds too many already. */
int tc_sock_policy_set(struct tc_genl *g, const struct tc_sock_policy *p);

/* Parse a TCPCRYPT_A_STATS nest; -EBADMSG when a counter is not a u64. */
int tc_stats_parse(struct nlattr *nest, struct tc_stats *s);

/* Parse one TCPCRYPT_A_CONN nest; -EBADMSG when it lacks the 4-tuple. */
int tc_conn_parse(struct nlattr *nest, struct tc_conn *c);

#endif /* TC_GENL_OPS_H */
