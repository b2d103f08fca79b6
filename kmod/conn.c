// SPDX-License-Identifier: GPL-2.0
/*
 * The connection table: an rhashtable of refcounted entries. The table
 * holds one reference on every entry it links, the timer one while it is
 * armed, each queued work item one; lookups take their own under RCU.
 * The last put queues the teardown of the data path in process context,
 * then frees the entry after a grace period, wiped (it carries keys).
 */
#include <linux/err.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include "conn.h"
#include "conn_resume.h"
#include "kex.h"
#include "netns.h"

struct workqueue_struct *tcpc_wq;
/* Entries allocated and not yet freed, all namespaces: 0 at unload */
static atomic_t tcpc_conns_alive = ATOMIC_INIT(0);

static const struct rhashtable_params conn_params = {
	.key_len = sizeof(struct tcpc_conn_key),
	.key_offset = offsetof(struct tcpc_conn, key),
	.head_offset = offsetof(struct tcpc_conn, node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params id_params = {
	.key_len = sizeof(u64),
	.key_offset = offsetof(struct tcpc_conn, id),
	.head_offset = offsetof(struct tcpc_conn, id_node),
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
	int err;

	atomic_set(&table->count, 0);
	atomic_set(&table->half_open, 0);
	atomic64_set(&table->next_id, 0);
	spin_lock_init(&table->list_lock);
	INIT_LIST_HEAD(&table->list);
	mutex_init(&table->walk_lock);
	err = rhashtable_init(&table->ht, &conn_params);
	if (err)
		return err;
	err = rhashtable_init(&table->by_id, &id_params);
	if (err)
		rhashtable_destroy(&table->ht);
	return err;
}

static void conn_free_rcu(struct rcu_head *rcu)
{
	kfree_sensitive(container_of(rcu, struct tcpc_conn, rcu));
	atomic_dec(&tcpc_conns_alive);
}

/* Process context: nothing else can reach the entry any more */
static void conn_free_work(struct work_struct *work)
{
	struct tcpc_conn *conn = container_of(work, struct tcpc_conn,
					      free_work);

	if (conn->dp_ready)
		tcpc_dp_destroy(conn);
	tcpc_kex_release(conn);
	call_rcu(&conn->rcu, conn_free_rcu);
}

void tcpc_conn_put(struct tcpc_conn *conn)
{
	if (conn && refcount_dec_and_test(&conn->refcnt))
		queue_work(tcpc_wq, &conn->free_work);
}

/* A new, unlinked entry holding one reference for the caller */
struct tcpc_conn *tcpc_conn_alloc(const struct tcpc_conn_key *key, gfp_t gfp)
{
	struct tcpc_conn *conn = kzalloc(sizeof(*conn), gfp);

	if (!conn)
		return NULL;
	atomic_inc(&tcpc_conns_alive);
	conn->key = *key;
	refcount_set(&conn->refcnt, 1);
	spin_lock_init(&conn->lock);
	INIT_WORK(&conn->free_work, conn_free_work);
	tcpc_conn_abort_init(conn);
	tcpc_kex_init(conn);
	tcpc_conn_resume_init(conn);
	tcpc_conn_timer_init(conn);
	conn->state = TCPCRYPT_CONN_NEGOTIATING;
	conn->state_since = jiffies;
	conn->last_seen = jiffies;
	return conn;
}

/*
 * Links @conn and gives it its id; -EEXIST if its 4-tuple is already in
 * the table, -ENOSPC when the table is full.
 */
int tcpc_conn_insert(struct tcpc_conn_table *table, struct tcpc_conn *conn)
{
	int err;

	if (atomic_inc_return(&table->count) > TCPC_CONN_MAX) {
		err = -ENOSPC;
		goto err_count;
	}
	conn->id = atomic64_inc_return(&table->next_id);
	refcount_inc(&conn->refcnt);
	conn->linked = true;
	err = rhashtable_lookup_insert_fast(&table->ht, &conn->node,
					    conn_params);
	if (err)
		goto err_ref;
	err = rhashtable_lookup_insert_fast(&table->by_id, &conn->id_node,
					    id_params);
	if (err)
		goto err_ht;
	spin_lock_bh(&table->list_lock);
	list_add_tail(&conn->list_node, &table->list);
	spin_unlock_bh(&table->list_lock);
	return 0;

err_ht:
	/* A lookup that got in meanwhile holds its own reference */
	rhashtable_remove_fast(&table->ht, &conn->node, conn_params);
err_ref:
	conn->linked = false;
	refcount_dec(&conn->refcnt);
err_count:
	atomic_dec(&table->count);
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

/* The entry with id @id, with a reference the caller must put, or NULL */
struct tcpc_conn *tcpc_conn_lookup_id(struct tcpc_conn_table *table, u64 id)
{
	struct tcpc_conn *conn;

	rcu_read_lock();
	conn = rhashtable_lookup(&table->by_id, &id, id_params);
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
	rhashtable_remove_fast(&table->by_id, &conn->id_node, id_params);
	spin_lock_bh(&table->list_lock);
	list_del(&conn->list_node);
	spin_unlock_bh(&table->list_lock);
	atomic_dec(&table->count);
	tcpc_conn_put(conn);
	return true;
}

/* The entry leaves the passive half-open count; lock held */
void tcpc_conn_half_open_end(struct tcpc_conn *conn)
{
	lockdep_assert_held(&conn->lock);
	if (conn->half_open) {
		conn->half_open = false;
		atomic_dec(&conn->tn->conns.half_open);
	}
}

static void conn_count_kill(struct tcpc_stats *stats,
			    enum tcpc_kill_reason why)
{
	switch (why) {
	case TCPC_KILL_RESET:
		tcpc_stats_inc(stats, TCPC_STAT_CONN_RESETS);
		break;
	case TCPC_KILL_GONE:
		tcpc_stats_inc(stats, TCPC_STAT_CONN_CLOSED);
		break;
	case TCPC_KILL_IDLE:
	case TCPC_KILL_REPLACED:
		tcpc_stats_inc(stats, TCPC_STAT_CONN_EXPIRED);
		break;
	default:
		/* fallbacks are counted by reason where they are decided */
		break;
	}
}

/**
 * tcpc_conn_encrypting() - the keys are installed: record the session
 * @conn: the connection, its data path holding the keys
 * @aead: the session's AEAD
 * @sessid: its session ID
 *
 * Context: any; no lock of @conn held.
 *
 * Return: true if @conn went from KEY_EXCHANGE to ENCRYPTING; false if it
 * had left KEY_EXCHANGE meanwhile (aborted).
 */
bool tcpc_conn_encrypting(struct tcpc_conn *conn, u16 aead,
			  const u8 sessid[TCPCRYPT_SESSID_LEN])
{
	bool encrypting;

	spin_lock_bh(&conn->lock);
	encrypting = conn->state == TCPCRYPT_CONN_KEY_EXCHANGE;
	if (encrypting) {
		conn->aead = aead;
		memcpy(conn->sessid, sessid, sizeof(conn->sessid));
		conn->sessid_known = true;
		tcpc_conn_set_state(conn, TCPCRYPT_CONN_ENCRYPTING);
	}
	spin_unlock_bh(&conn->lock);
	if (encrypting)
		tcpc_stats_inc(&conn->tn->stats, TCPC_STAT_CONN_ENCRYPTING);
	return encrypting;
}

/**
 * tcpc_conn_kill() - take a connection out of the table for good
 * @conn: the entry (the caller holds a reference)
 * @why: for the counters
 *
 * Any context. From now on the hooks no longer find @conn: the segments of
 * its 4-tuple pass untouched, so callers only kill a connection whose
 * encryption never switched on, or whose socket is gone, or that was
 * aborted. Pending work is cancelled; the last reference frees it.
 *
 * Return: true if this call killed it, false if it was already dead.
 */
bool tcpc_conn_kill(struct tcpc_conn *conn, enum tcpc_kill_reason why)
{
	struct tcpc_net *tn = conn->tn;
	bool put_timer = false;

	spin_lock_bh(&conn->lock);
	if (conn->dead) {
		spin_unlock_bh(&conn->lock);
		return false;
	}
	WRITE_ONCE(conn->dead, true);
	tcpc_conn_half_open_end(conn);
	/* A running callback sees @dead and drops the timer's reference */
	if (timer_shutdown(&conn->timer) && conn->timer_ref) {
		conn->timer_ref = false;
		put_timer = true;
	}
	spin_unlock_bh(&conn->lock);

	if (cancel_work(&conn->kex.work))
		tcpc_conn_put(conn);
	if (cancel_work(&conn->res_work))
		tcpc_conn_put(conn);
	if (conn->linked)
		tcpc_conn_remove(&tn->conns, conn);
	conn_count_kill(&tn->stats, why);
	if (put_timer)
		tcpc_conn_put(conn);
	return true;
}

/* Process context: kill, then wait for the timer and the kex work */
static void conn_kill_sync(struct tcpc_conn *conn, void *arg)
{
	bool put_timer = false;

	tcpc_conn_kill(conn, TCPC_KILL_SHUTDOWN);
	del_timer_sync(&conn->timer);
	spin_lock_bh(&conn->lock);
	if (conn->timer_ref) {
		conn->timer_ref = false;
		put_timer = true;
	}
	spin_unlock_bh(&conn->lock);
	if (put_timer)
		tcpc_conn_put(conn);
	if (cancel_work_sync(&conn->kex.work))
		tcpc_conn_put(conn);
	if (cancel_work_sync(&conn->res_work))
		tcpc_conn_put(conn);
}

/*
 * Netns exit: once no hook and no netlink request can reach the table,
 * kill every entry, wait for their AEAD requests in flight and run all
 * the work they queued, so that nothing of this namespace is left running
 * when its state is freed.
 */
void tcpc_conn_table_shutdown(struct tcpc_conn_table *table)
{
	tcpc_conn_for_each(table, conn_kill_sync, NULL);
	WARN_ON(atomic_read(&table->count));
	/* AEAD completions hold entries, and may still send or deliver */
	tcpc_dp_async_wait();
	flush_workqueue(tcpc_wq);
}

static void conn_put_table_ref(void *ptr, void *arg)
{
	struct tcpc_conn *conn = ptr;

	/* Only entries of tables that never went live (self-test) */
	conn->linked = false;
	tcpc_conn_put(conn);
}

void tcpc_conn_table_destroy(struct tcpc_conn_table *table)
{
	rhashtable_destroy(&table->by_id);
	rhashtable_free_and_destroy(&table->ht, conn_put_table_ref, NULL);
}

void tcpc_conn_get_info(struct tcpc_conn *conn, struct tcpc_conn_info *info)
{
	bool dp_ready;

	memset(info, 0, sizeof(*info));
	spin_lock_bh(&conn->lock);
	dp_ready = conn->dp_ready;
	info->id = conn->id;
	info->state = conn->state;
	info->role = conn->role;
	info->tep = conn->eno.tep;
	info->aead = conn->aead;
	if (conn->sessid_known) {
		memcpy(info->sessid, conn->sessid, sizeof(info->sessid));
		info->sessid_len = sizeof(info->sessid);
	}
	spin_unlock_bh(&conn->lock);
	if (dp_ready)
		tcpc_dp_counters(conn, &info->bytes_in, &info->bytes_out);
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

/*
 * Every entry linked when the call starts, in a batch taken under the
 * list lock, each with a reference: @fn may sleep, kill the entry, or run
 * while other entries come and go, and still no entry is missed.
 */
void tcpc_conn_for_each(struct tcpc_conn_table *table,
			void (*fn)(struct tcpc_conn *conn, void *arg),
			void *arg)
{
	struct tcpc_conn *conn, *tmp;
	LIST_HEAD(batch);

	mutex_lock(&table->walk_lock);
	spin_lock_bh(&table->list_lock);
	list_for_each_entry(conn, &table->list, list_node)
		if (refcount_inc_not_zero(&conn->refcnt))
			list_add_tail(&conn->walk_node, &batch);
	spin_unlock_bh(&table->list_lock);

	list_for_each_entry_safe(conn, tmp, &batch, walk_node) {
		fn(conn, arg);
		list_del(&conn->walk_node);
		tcpc_conn_put(conn);
	}
	mutex_unlock(&table->walk_lock);
}

int __init tcpc_conn_module_init(void)
{
	tcpc_wq = alloc_workqueue("tcpcrypt", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	return tcpc_wq ? 0 : -ENOMEM;
}

/*
 * After every namespace is gone: let timer callbacks still finishing (in
 * softirq, so RCU readers) queue their last puts, run the frees, then
 * wait for the RCU callbacks that free the memory.
 */
void tcpc_conn_module_exit(void)
{
	synchronize_rcu();
	flush_workqueue(tcpc_wq);
	rcu_barrier();
	/* A leaked entry would leave timers armed into this module's text */
	WARN(atomic_read(&tcpc_conns_alive), "%d connection entries leaked\n",
	     atomic_read(&tcpc_conns_alive));
	destroy_workqueue(tcpc_wq);
}
