// SPDX-License-Identifier: GPL-2.0
/*
 * Bookkeeping of asynchronous AEAD requests (dp_out.c seals, dp_in.c
 * opens). Crypto has no cancel, so, as kTLS does, teardown waits for a
 * count of requests in flight to reach zero: each holds a reference on
 * its connection (the data path stays) and counts module-wide, so that a
 * namespace going away (tcpc_conn_table_shutdown) and the module's unload
 * wait for every completion to have run.
 *
 * Inbound segments kept past their hook (waiting behind an open) keep
 * their route and device too, as xfrm's asynchronous input does.
 */
#include <linux/atomic.h>
#include <linux/netdevice.h>
#include <linux/wait.h>
#include <net/dst.h>
#include "conn.h"
#include "dp_priv.h"

static atomic_t dp_async_pending = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(dp_async_wq);

/* A request went asynchronous: the caller holds a reference on @conn */
void dp_async_begin(struct tcpc_conn *conn)
{
	refcount_inc(&conn->refcnt);
	atomic_inc(&dp_async_pending);
}

/* Its completion has done all it had to do with @conn */
void dp_async_end(struct tcpc_conn *conn)
{
	tcpc_conn_put(conn);
	if (atomic_dec_and_test(&dp_async_pending))
		wake_up(&dp_async_wq);
}

/**
 * tcpc_dp_async_wait() - wait for every asynchronous AEAD request
 *
 * Completions of dead or aborted connections only free what they hold,
 * so this returns promptly once the connections are killed.
 *
 * Context: process context; sleeps.
 */
void tcpc_dp_async_wait(void)
{
	wait_event(dp_async_wq, !atomic_read(&dp_async_pending));
}

/*
 * Keep inbound @skb past its hook: its dst may be borrowed under RCU, and
 * nothing holds its device. False: the route went away, drop it.
 */
bool dp_rx_keep(struct sk_buff *skb)
{
	if (!skb_dst_force(skb))
		return false;
	dev_hold(skb->dev);
	return true;
}

/* Deliver a kept skb through @okfn, or free it when @okfn is NULL */
void dp_rx_release(struct sk_buff *skb, dp_okfn_t okfn, struct net *net)
{
	struct net_device *dev = skb->dev;

	if (okfn)
		okfn(net, NULL, skb);
	else
		kfree_skb(skb);
	dev_put(dev);
}

void dp_rx_purge(struct sk_buff_head *list)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(list)))
		dp_rx_release(skb, NULL, NULL);
}
