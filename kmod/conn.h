/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-netns table of tcpcrypt connections, keyed by address family and
 * 4-tuple as the local socket sees them. Entries are refcounted, looked up
 * under RCU, and freed after a grace period with their secrets wiped.
 */
#ifndef _TCPC_CONN_H
#define _TCPC_CONN_H

#include <linux/in6.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/tcpcrypt.h>

/*
 * Compared and hashed as raw bytes: always build it with
 * tcpc_conn_key_v4()/_v6() so that padding and unused address bytes are 0.
 */
struct tcpc_conn_key {
	struct in6_addr laddr;		/* IPv4: first 4 bytes, rest zero */
	struct in6_addr raddr;
	__be16 lport;
	__be16 rport;
	u8 family;			/* AF_INET or AF_INET6 */
	u8 pad[3];
};

/* What the netlink dump reports about one connection */
struct tcpc_conn_info {
	u64 bytes_in;
	u64 bytes_out;
	u16 aead;
	u8 role;			/* enum tcpcrypt_role */
	u8 tep;
	u8 state;			/* enum tcpcrypt_conn_state */
	u8 sessid_len;			/* 0 until the session ID is known */
	u8 sessid[TCPCRYPT_SESSID_LEN];
};

struct tcpc_conn {
	struct rhash_head node;
	struct tcpc_conn_key key;
	refcount_t refcnt;
	struct rcu_head rcu;
	/* protects info */
	spinlock_t lock;
	struct tcpc_conn_info info;
};

struct tcpc_conn_table {
	struct rhashtable ht;
};

void tcpc_conn_key_v4(struct tcpc_conn_key *key, __be32 laddr, __be16 lport,
		      __be32 raddr, __be16 rport);
void tcpc_conn_key_v6(struct tcpc_conn_key *key,
		      const struct in6_addr *laddr, __be16 lport,
		      const struct in6_addr *raddr, __be16 rport);

int tcpc_conn_table_init(struct tcpc_conn_table *table);
void tcpc_conn_table_destroy(struct tcpc_conn_table *table);

struct tcpc_conn *tcpc_conn_alloc(const struct tcpc_conn_key *key, gfp_t gfp);
int tcpc_conn_insert(struct tcpc_conn_table *table, struct tcpc_conn *conn);
struct tcpc_conn *tcpc_conn_lookup(struct tcpc_conn_table *table,
				   const struct tcpc_conn_key *key);
bool tcpc_conn_remove(struct tcpc_conn_table *table, struct tcpc_conn *conn);
void tcpc_conn_put(struct tcpc_conn *conn);
void tcpc_conn_get_info(struct tcpc_conn *conn, struct tcpc_conn_info *info);

/* Walking the table for a netlink dump, resumable across dump calls */
struct rhashtable_iter *tcpc_conn_walk_enter(struct tcpc_conn_table *table);
int tcpc_conn_walk(struct rhashtable_iter *iter,
		   int (*fill)(struct tcpc_conn *conn, void *arg), void *arg);
void tcpc_conn_walk_exit(struct rhashtable_iter *iter);

#endif /* _TCPC_CONN_H */
