// SPDX-License-Identifier: GPL-2.0
/*
 * The connection table: an rhashtable of refcounted entries. The table holds
 * one reference on every entry it links; lookups take their own under RCU.
 * The last put frees the entry after a grace period, wiping it first since
 * entries will carry key material.
 */
#include <linux/err.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include "conn.h"

static const struct rhashtable_params conn_params = {
	.key_len = sizeof(struct tcpc_conn_key),
	.key_offset = offsetof(struct tcpc_conn, key),
	.head_offset = offsetof(struct tcpc_conn, node),
	.automatic_shrinking = true,
};

void tcpc_conn_key_v4(struct tcpc_conn_key *key, __be32 laddr, __be16 lport,
		      __be32 raddr, __be16 rport)
{
	memset(key, 0, sizeof(*key));
	key->laddr.s6_addr32[0] = laddr;
	key->raddr.s6_addr32[0] = raddr;
	key->lport = lport;
	key->rport = rport;
	key->family = AF_INET;
}

void tcpc_conn_key_v6(struct tcpc_conn_key *key,
		      const struct in6_addr *laddr, __be16 lport,
		      const struct in6_addr *raddr, __be16 rport)
{
	memset(key, 0, sizeof(*key));
	key->laddr = *laddr;
	key->raddr = *raddr;
	key->lport = lport;
	key->rport = rport;
	key->family = AF_INET6;
}

int tcpc_conn_table_init(struct tcpc_conn_table *table)
{
	return rhashtable_init(&table->ht, &conn_params);
}

static void conn_free_rcu(struct rcu_head *rcu)
{
	kfree_sensitive(container_of(rcu, struct tcpc_conn, rcu));
}

void tcpc_conn_put(struct tcpc_conn *conn)
{
	if (conn && refcount_dec_and_test(&conn->refcnt))
		call_rcu(&conn->rcu, conn_free_rcu);
}

static void conn_put_table_ref(void *ptr, void *arg)
{
	tcpc_conn_put(ptr);
}

/*
 * Drops the table's reference on every entry still linked. Only once no
 * packet hook or netlink walker can reach the table any more.
 */
void tcpc_conn_table_destroy(struct tcpc_conn_table *table)
{
	rhashtable_free_and_destroy(&table->ht, conn_put_table_ref, NULL);
}

/* A new, unlinked entry holding one reference for the caller */
struct tcpc_conn *tcpc_conn_alloc(const struct tcpc_conn_key *key, gfp_t gfp)
{
	struct tcpc_conn *conn = kzalloc(sizeof(*conn), gfp);

	if (!conn)
		return NULL;
	conn->key = *key;
	refcount_set(&conn->refcnt, 1);
	spin_lock_init(&conn->lock);
	conn->info.state = TCPCRYPT_CONN_NEGOTIATING;
	return conn;
}

/* Links @conn; -EEXIST if its 4-tuple is already in the table */
int tcpc_conn_insert(struct tcpc_conn_table *table, struct tcpc_conn *conn)
{
	int err;

	refcount_inc(&conn->refcnt);
	err = rhashtable_lookup_insert_fast(&table->ht, &conn->node,
					    conn_params);
	if (err)
		refcount_dec(&conn->refcnt);
	return err;
}

/* The entry for @key with a reference the caller must put, or NULL */
struct tcpc_conn *tcpc_conn_lookup(struct tcpc_conn_table *table,
				   const struct tcpc_conn_key *key)
{
	struct tcpc_conn *conn;

	rcu_read_lock();
	conn = rhashtable_lookup(&table->ht, key, conn_params);
	if (conn && !refcount_inc_not_zero(&conn->refcnt))
		conn = NULL;
	rcu_read_unlock();
	return conn;
}

/* Unlinks @conn; true if this call did it (and dropped the table's ref) */
bool tcpc_conn_remove(struct tcpc_conn_table *table, struct tcpc_conn *conn)
{
	if (rhashtable_remove_fast(&table->ht, &conn->node, conn_params))
		return false;
	tcpc_conn_put(conn);
	return true;
}

void tcpc_conn_get_info(struct tcpc_conn *conn, struct tcpc_conn_info *info)
{
	spin_lock_bh(&conn->lock);
	*info = conn->info;
	spin_unlock_bh(&conn->lock);
}

struct rhashtable_iter *tcpc_conn_walk_enter(struct tcpc_conn_table *table)
{
	struct rhashtable_iter *iter = kmalloc(sizeof(*iter), GFP_KERNEL);

	if (iter)
		rhashtable_walk_enter(&table->ht, iter);
	return iter;
}

void tcpc_conn_walk_exit(struct rhashtable_iter *iter)
{
	if (!iter)
		return;
	rhashtable_walk_exit(iter);
	kfree(iter);
}

/*
 * Calls @fill on each entry, starting where the previous call stopped:
 * an entry @fill refused (a full dump skb) is offered again next time.
 * Returns 0 once the table is exhausted, or @fill's error. @fill runs
 * under RCU and must not sleep. A table resize restarts the walk, so a
 * dump may repeat entries, as every rhashtable dump may.
 */
int tcpc_conn_walk(struct rhashtable_iter *iter,
		   int (*fill)(struct tcpc_conn *conn, void *arg), void *arg)
{
	struct tcpc_conn *conn;
	int err = 0;

	rhashtable_walk_start(iter);
	for (conn = rhashtable_walk_peek(iter); conn;
	     conn = rhashtable_walk_next(iter)) {
		if (IS_ERR(conn)) {
			if (PTR_ERR(conn) == -EAGAIN)
				continue;
			err = PTR_ERR(conn);
			break;
		}
		err = fill(conn, arg);
		if (err)
			break;
	}
	rhashtable_walk_stop(iter);
	return err;
}
