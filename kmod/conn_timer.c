// SPDX-License-Identifier: GPL-2.0
/*
 * One timer per connection, armed from creation until the entry is killed,
 * decides when an entry must go (RFC 8547 and 8548 define no timers; these
 * bounds are ours):
 *
 *  - NEGOTIATING: killed after TCPC_NEG_IDLE without a segment, longer
 *    than the gaps between SYN retransmissions (1, 2, ... 64 s);
 *  - KEY_EXCHANGE: aborted when the daemon leaves a request unanswered for
 *    TCPC_KEX_REPLY_TIMEOUT, or the whole exchange (Init messages carried
 *    by TCP, retransmissions included) takes TCPC_KEX_MAX;
 *  - from KEY_EXCHANGE on: every TCPC_SOCK_CHECK the socket is looked up,
 *    and the entry is killed once it is gone (closed, reset, timed out,
 *    TIME_WAIT over, or destroyed without a word) - an encrypting entry is
 *    never removed while its socket may still send;
 *  - ABORTED: killed TCPC_ABORT_LINGER after the abort, once the socket is
 *    gone (the abort is repeated if it is not).
 * The timer does not move on every segment: it reads last_seen when it
 * fires, and the packet path only ever brings it forward.
 */
#include <net/inet_hashtables.h>
#include <net/inet6_hashtables.h>
#include <net/tcp.h>
#include "conn.h"
#include "netns.h"

#define TCPC_NEG_IDLE		(130 * HZ)
#define TCPC_KEX_MAX		(120 * HZ)
#define TCPC_SOCK_CHECK		(60 * HZ)
#define TCPC_CLOSED_CHECK	(10 * HZ)
#define TCPC_ABORT_LINGER	(2 * HZ)

enum conn_gc {
	CONN_GC_REARM,
	CONN_GC_IDLE,		/* kill a half-open entry */
	CONN_GC_TIMEOUT,	/* abort: the key exchange took too long */
	CONN_GC_CHECK,		/* kill if the socket is gone */
};

static unsigned long conn_check_interval(u8 state)
{
	switch (state) {
	case TCPCRYPT_CONN_CLOSED:
		return TCPC_CLOSED_CHECK;
	case TCPCRYPT_CONN_ABORTED:
		return TCPC_ABORT_LINGER;
	default:
		return TCPC_SOCK_CHECK;
	}
}

static unsigned long earliest(unsigned long a, unsigned long b)
{
	return time_before(a, b) ? a : b;
}

static enum conn_gc conn_gc_decide(struct tcpc_conn *conn, unsigned long now,
				   unsigned long *next)
{
	unsigned long idle_end = READ_ONCE(conn->last_seen) + TCPC_NEG_IDLE;
	unsigned long kex_end = conn->switch_on + TCPC_KEX_MAX;

	switch (conn->state) {
	case TCPCRYPT_CONN_NEGOTIATING:
		if (time_after_eq(now, idle_end))
			return CONN_GC_IDLE;
		*next = idle_end;
		return CONN_GC_REARM;
	case TCPCRYPT_CONN_KEY_EXCHANGE:
		if (conn->kex.op_pending &&
		    time_after_eq(now, conn->kex.reply_deadline))
			return CONN_GC_TIMEOUT;
		if (time_after_eq(now, kex_end))
			return CONN_GC_TIMEOUT;
		if (conn->kex.op_pending)
			kex_end = earliest(kex_end, conn->kex.reply_deadline);
		if (time_after_eq(now, conn->check_at))
			return CONN_GC_CHECK;
		*next = earliest(kex_end, conn->check_at);
		return CONN_GC_REARM;
	default:
		if (time_after_eq(now, conn->check_at))
			return CONN_GC_CHECK;
		*next = conn->check_at;
		return CONN_GC_REARM;
	}
}

/* Drops the timer's reference once @conn is dead; lock held */
static bool conn_timer_release(struct tcpc_conn *conn)
{
	if (!conn->dead || !conn->timer_ref)
		return false;
	conn->timer_ref = false;
	return true;
}

/* The socket is gone: the entry goes. Otherwise, look again later. */
static void conn_gc_check(struct tcpc_conn *conn)
{
	struct sock *sk = tcpc_conn_sock_get(conn);
	u8 state;

	if (!sk) {
		tcpc_conn_kill(conn, TCPC_KILL_GONE);
		return;
	}
	sock_gen_put(sk);
	spin_lock(&conn->lock);
	state = conn->state;
	conn->check_at = jiffies + conn_check_interval(state);
	spin_unlock(&conn->lock);
	/* An abort that did not take: the socket must still be reset */
	if (state == TCPCRYPT_CONN_ABORTED)
		tcpc_conn_abort_again(conn);
}

static void conn_timer_fn(struct timer_list *t)
{
	struct tcpc_conn *conn = from_timer(conn, t, timer);
	unsigned long next = 0;
	bool put, reply_late;
	enum conn_gc gc;

	spin_lock(&conn->lock);
	if (conn->dead) {
		put = conn_timer_release(conn);
		spin_unlock(&conn->lock);
		if (put)
			tcpc_conn_put(conn);
		return;
	}
	gc = conn_gc_decide(conn, jiffies, &next);
	reply_late = conn->kex.op_pending &&
		     time_after_eq(jiffies, conn->kex.reply_deadline);
	if (gc == CONN_GC_REARM) {
		mod_timer(&conn->timer, next);
		spin_unlock(&conn->lock);
		return;
	}
	spin_unlock(&conn->lock);

	switch (gc) {
	case CONN_GC_IDLE:
		tcpc_conn_kill(conn, TCPC_KILL_IDLE);
		break;
	case CONN_GC_TIMEOUT:
		if (reply_late)
			tcpc_stats_inc(&conn->tn->stats,
				       TCPC_STAT_KEX_FAILURES);
		tcpc_conn_abort(conn, ETIMEDOUT);
		break;
	default:
		conn_gc_check(conn);
		break;
	}

	spin_lock(&conn->lock);
	if (!conn->dead && conn_gc_decide(conn, jiffies, &next) ==
	    CONN_GC_REARM)
		mod_timer(&conn->timer, next);
	else if (!conn->dead)
		mod_timer(&conn->timer, jiffies + HZ);
	put = conn_timer_release(conn);
	spin_unlock(&conn->lock);
	if (put)
		tcpc_conn_put(conn);
}

void tcpc_conn_timer_init(struct tcpc_conn *conn)
{
	timer_setup(&conn->timer, conn_timer_fn, 0);
}

/*
 * Once @conn is linked: from now on the timer holds a reference. An entry
 * killed as soon as it was linked (another CPU saw its RST) gets none.
 */
void tcpc_conn_timer_start(struct tcpc_conn *conn)
{
	spin_lock_bh(&conn->lock);
	if (!conn->dead) {
		refcount_inc(&conn->refcnt);
		conn->timer_ref = true;
		mod_timer(&conn->timer, jiffies + TCPC_NEG_IDLE);
	}
	spin_unlock_bh(&conn->lock);
}

/* Bring the next timer run forward to @when; lock held */
void __tcpc_conn_timer_kick(struct tcpc_conn *conn, unsigned long when)
{
	lockdep_assert_held(&conn->lock);
	if (!conn->dead && conn->timer_ref)
		timer_reduce(&conn->timer, when);
}

/* Look for the socket soon (after a RST, a close, an abort); lock held */
void __tcpc_conn_check_soon(struct tcpc_conn *conn, unsigned long delay)
{
	lockdep_assert_held(&conn->lock);
	if (time_after(conn->check_at, jiffies + delay))
		conn->check_at = jiffies + delay;
	__tcpc_conn_timer_kick(conn, conn->check_at);
}

/* Entering KEY_EXCHANGE: the exchange deadline starts; lock held */
void __tcpc_conn_timer_switch_on(struct tcpc_conn *conn)
{
	conn->switch_on = jiffies;
	conn->check_at = jiffies + TCPC_SOCK_CHECK;
	__tcpc_conn_timer_kick(conn, jiffies + TCPC_KEX_MAX);
}

/* Entering ABORTED: linger, then go once the socket is gone; lock held */
void __tcpc_conn_timer_aborted(struct tcpc_conn *conn)
{
	conn->check_at = jiffies + TCPC_ABORT_LINGER;
	__tcpc_conn_timer_kick(conn, conn->check_at);
}

/**
 * tcpc_conn_sock_get() - the local socket of a connection, if it exists
 * @conn: the connection
 *
 * Looks the 4-tuple up in the established hash (full sockets, request
 * sockets, TIME_WAIT sockets) on the device the socket is bound to, as
 * read from the socket when it sent; failing that, with the devices TCP
 * itself used to find it for the last received segment. Any context but
 * hard irq.
 *
 * Return: the socket with a reference (release with sock_gen_put()), or
 * NULL when TCP has forgotten the connection.
 */
struct sock *tcpc_conn_sock_get(struct tcpc_conn *conn)
{
	const struct tcpc_conn_key *k = &conn->key;
	struct net *net = conn->tn->net;
	struct inet_hashinfo *hinfo = net->ipv4.tcp_death_row.hashinfo;
	bool known = READ_ONCE(conn->dif_known);
	int dif = known ? READ_ONCE(conn->dif) : READ_ONCE(conn->iif);
	int sdif = known ? 0 : READ_ONCE(conn->sdif);
	struct sock *sk = NULL;

	rcu_read_lock();
	if (k->family == AF_INET)
		sk = __inet_lookup_established(net, hinfo,
					       k->raddr.s6_addr32[0], k->rport,
					       k->laddr.s6_addr32[0],
					       ntohs(k->lport), dif, sdif);
#if IS_ENABLED(CONFIG_IPV6)
	else
		sk = __inet6_lookup_established(net, hinfo, &k->raddr,
						k->rport, &k->laddr,
						ntohs(k->lport), dif, sdif);
#endif
	rcu_read_unlock();
	return sk;
}
