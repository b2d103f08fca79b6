// SPDX-License-Identifier: GPL-2.0
/*
 * Aborting a connection: authentication failure, FIN without FINp, a bad
 * Init message, a failed or timed-out key agreement, the daemon gone
 * mid-exchange, module unload. RFC 8548 wants an abort the application
 * can tell from an authenticated EOF, and RFC 8547 forbids falling back
 * to plaintext once encryption is on.
 *
 * So the entry turns ABORTED at once, in any context: the hooks drop every
 * later segment of it. Then, from a work item (process context), the data
 * path sends the peer a RST in wire sequence numbers, and the local socket
 * is reset with tcp_abort() as "ss -K" does: the application gets
 * ECONNRESET (the RST TCP sends then is dropped: the peer has its own).
 * The entry stays until the socket is gone (conn_timer.c).
 */
#include <net/tcp.h>
#include "conn.h"
#include "kex.h"
#include "netns.h"

static void conn_abort_work(struct work_struct *work)
{
	struct tcpc_conn *conn = container_of(work, struct tcpc_conn,
					      abort_work);
	struct sock *sk;

	if (READ_ONCE(conn->dp_ready) && !conn->rst_sent) {
		conn->rst_sent = true;
		tcpc_dp_send_rst(conn);
	}
	sk = tcpc_conn_sock_get(conn);
	if (sk) {
		tcp_abort(sk, ECONNRESET);
		sock_gen_put(sk);
	}
	tcpc_conn_put(conn);
}

void tcpc_conn_abort_init(struct tcpc_conn *conn)
{
	INIT_WORK(&conn->abort_work, conn_abort_work);
}

/* Reset the local socket from process context; any context */
void tcpc_conn_abort_again(struct tcpc_conn *conn)
{
	if (!refcount_inc_not_zero(&conn->refcnt))
		return;
	if (!queue_work(tcpc_wq, &conn->abort_work))
		tcpc_conn_put(conn);
}

/**
 * tcpc_conn_abort() - abort a connection: RST both ways, drop the rest
 * @conn: the connection
 * @err: why, an errno of either sign (for the log)
 *
 * Any context but hard irq; idempotent. Takes its own references, so a
 * caller racing with the last put (a data path timer) is harmless.
 */
void tcpc_conn_abort(struct tcpc_conn *conn, int err)
{
	u64 id = conn->id;

	if (err < 0)
		err = -err;

	spin_lock_bh(&conn->lock);
	if (conn->dead || conn->state == TCPCRYPT_CONN_ABORTED) {
		spin_unlock_bh(&conn->lock);
		return;
	}
	tcpc_conn_half_open_end(conn);
	conn->abort_err = err;
	tcpc_conn_set_state(conn, TCPCRYPT_CONN_ABORTED);
	tcpc_kex_cancel(conn);
	__tcpc_conn_timer_aborted(conn);
	spin_unlock_bh(&conn->lock);

	if (cancel_work(&conn->kex.work))
		tcpc_conn_put(conn);
	tcpc_stats_inc(&conn->tn->stats, TCPC_STAT_CONN_ABORTS);
	net_dbg_ratelimited("connection %llu aborted: error %d\n",
			    id, err);
	tcpc_conn_abort_again(conn);
}

/*
 * Module unload: a connection that committed to encryption, or answered a
 * SYN with ENO, is reset rather than left to carry plaintext once the
 * hooks are gone; an active open still waiting for its SYN-ACK is left to
 * fall back. Process context, while the hooks are still registered.
 */
static void conn_abort_committed(struct tcpc_conn *conn, void *arg)
{
	bool committed;

	spin_lock_bh(&conn->lock);
	committed = tcpc_conn_state_switched(conn->state) ||
		    ((conn->eno.flags &
		      (TCPC_ENO_F_SENT_ACK | TCPC_ENO_F_RCVD_ACK)) &&
		     !(conn->eno.flags & TCPC_ENO_F_B_DISABLED));
	spin_unlock_bh(&conn->lock);
	if (committed)
		tcpc_conn_abort(conn, ECONNABORTED);
}

void tcpc_conn_abort_all(struct tcpc_conn_table *table)
{
	tcpc_conn_for_each(table, conn_abort_committed, NULL);
	/* The socket resets (and their RSTs) happen now, hooks still on */
	flush_workqueue(tcpc_wq);
}
