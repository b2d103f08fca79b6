// SPDX-License-Identifier: GPL-2.0
/*
 * Daemon registration: one tcpcryptd per network namespace, identified by
 * the netlink port of the socket it registered from. A netlink notifier
 * drops the registration when that socket is released, so a crashed daemon
 * never leaves the namespace believing ENO can be offered.
 */
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include "daemon.h"
#include "kex.h"
#include "netns.h"

/**
 * tcpc_daemon_view() - is ENO to be used for a segment with mark @mark?
 * @tn: the namespace
 * @mark: the segment's firewall mark
 * @view: receives the daemon's port and TEPs when the answer is yes
 *
 * Yes when a daemon is registered and its divert mark is 0 or @mark.
 * Any context.
 */
bool tcpc_daemon_view(struct tcpc_net *tn, u32 mark,
		      struct tcpc_daemon_view *view)
{
	const struct tcpc_daemon *d;
	bool ok;

	rcu_read_lock();
	d = rcu_dereference(tn->daemon.cur);
	ok = d && (!d->divert_mark || d->divert_mark == mark);
	if (ok) {
		view->portid = d->portid;
		view->n_teps = d->n_teps;
		memcpy(view->teps, d->teps, sizeof(view->teps));
	}
	rcu_read_unlock();
	return ok;
}

/* The registered daemon's netlink port, 0 when there is none */
u32 tcpc_daemon_portid(struct tcpc_net *tn)
{
	const struct tcpc_daemon *d;
	u32 portid;

	rcu_read_lock();
	d = rcu_dereference(tn->daemon.cur);
	portid = d ? d->portid : 0;
	rcu_read_unlock();
	return portid;
}

/* Did the registered daemon announce @aead? */
bool tcpc_daemon_has_aead(struct tcpc_net *tn, u16 aead)
{
	const struct tcpc_daemon *d;
	bool found = false;
	int i;

	rcu_read_lock();
	d = rcu_dereference(tn->daemon.cur);
	for (i = 0; d && i < d->n_aeads && !found; i++)
		found = be16_to_cpu(d->aeads[i]) == aead;
	rcu_read_unlock();
	return found;
}

void tcpc_daemon_slot_init(struct tcpc_daemon_slot *slot)
{
	mutex_init(&slot->lock);
	RCU_INIT_POINTER(slot->cur, NULL);
}

/* Namespace exit: the packet hooks are gone, netlink may still race us */
void tcpc_daemon_slot_clear(struct tcpc_daemon_slot *slot)
{
	struct tcpc_daemon *old;

	mutex_lock(&slot->lock);
	old = rcu_replace_pointer(slot->cur, NULL,
				  lockdep_is_held(&slot->lock));
	mutex_unlock(&slot->lock);
	if (old)
		kfree_rcu(old, rcu);
}

/*
 * Installs @d (the slot owns it on success; the caller frees it on error).
 * A daemon re-registering from the same socket replaces its own entry, for
 * instance to change its TEP list. On -EBUSY the extack cookie carries the
 * registered daemon's pid (u32, host order) for the caller's message.
 */
int tcpc_daemon_register(struct tcpc_net *tn, struct tcpc_daemon *d,
			 struct netlink_ext_ack *extack)
{
	struct tcpc_daemon_slot *slot = &tn->daemon;
	struct tcpc_daemon *old;
	char version[sizeof(d->version)];
	u32 pid = d->pid;
	u32 busy_pid;

	/* @d may be replaced and freed as soon as the lock is dropped */
	strscpy(version, d->version[0] ? d->version : "(unknown version)",
		sizeof(version));

	mutex_lock(&slot->lock);
	old = rcu_dereference_protected(slot->cur,
					lockdep_is_held(&slot->lock));
	if (old && old->portid != d->portid) {
		busy_pid = old->pid;
		mutex_unlock(&slot->lock);
		NL_SET_ERR_MSG(extack, "another tcpcryptd is registered");
		if (extack) {
			memcpy(extack->cookie, &busy_pid, sizeof(busy_pid));
			extack->cookie_len = sizeof(busy_pid);
		}
		return -EBUSY;
	}
	rcu_assign_pointer(slot->cur, d);
	if (!old)
		tcpc_stats_inc(&tn->stats, TCPC_STAT_DAEMON_REGISTRATIONS);
	mutex_unlock(&slot->lock);

	if (old) {
		kfree_rcu(old, rcu);
		return 0;
	}
	pr_info_ratelimited("tcpcryptd %s pid %u registered in netns %u\n",
			    version, pid, tn->net->ns.inum);
	return 0;
}

/* Only the registered socket may unregister */
int tcpc_daemon_unregister(struct tcpc_net *tn, u32 portid,
			   struct netlink_ext_ack *extack)
{
	struct tcpc_daemon_slot *slot = &tn->daemon;
	struct tcpc_daemon *old;
	int err = 0;

	mutex_lock(&slot->lock);
	old = rcu_dereference_protected(slot->cur,
					lockdep_is_held(&slot->lock));
	if (!old) {
		NL_SET_ERR_MSG(extack, "no tcpcryptd is registered");
		err = -ENOENT;
	} else if (old->portid != portid) {
		NL_SET_ERR_MSG(extack,
			       "tcpcryptd is registered from another socket");
		err = -EPERM;
	} else {
		RCU_INIT_POINTER(slot->cur, NULL);
	}
	mutex_unlock(&slot->lock);
	if (err)
		return err;

	pr_info_ratelimited("tcpcryptd pid %u unregistered from netns %u\n",
			    old->pid, tn->net->ns.inum);
	kfree_rcu(old, rcu);
	tcpc_kex_daemon_gone(tn, portid);
	return 0;
}

/* The registered daemon's socket closed without unregistering first */
static void daemon_release(struct tcpc_net *tn, u32 portid)
{
	struct tcpc_daemon_slot *slot = &tn->daemon;
	struct tcpc_daemon *old;

	/* Every generic netlink socket in the system closes through here */
	if (!rcu_access_pointer(slot->cur))
		return;

	mutex_lock(&slot->lock);
	old = rcu_dereference_protected(slot->cur,
					lockdep_is_held(&slot->lock));
	if (old && old->portid == portid) {
		RCU_INIT_POINTER(slot->cur, NULL);
		tcpc_stats_inc(&tn->stats, TCPC_STAT_DAEMON_LOSSES);
	} else {
		old = NULL;
	}
	mutex_unlock(&slot->lock);
	if (!old)
		return;

	pr_info_ratelimited("tcpcryptd pid %u lost in netns %u: its netlink socket closed\n",
			    old->pid, tn->net->ns.inum);
	kfree_rcu(old, rcu);
	tcpc_kex_daemon_gone(tn, portid);
}

/*
 * netlink_release() calls this chain with blocking_notifier_call_chain(),
 * in the process context of the closing task, so taking a mutex is fine.
 * The socket holds a reference on its namespace, so tcpc_net() is valid.
 */
static int daemon_netlink_event(struct notifier_block *nb,
				unsigned long event, void *ptr)
{
	const struct netlink_notify *n = ptr;

	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC &&
	    n->portid)
		daemon_release(tcpc_net(n->net), n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block daemon_netlink_notifier = {
	.notifier_call = daemon_netlink_event,
};

int __init tcpc_daemon_notifier_init(void)
{
	return netlink_register_notifier(&daemon_netlink_notifier);
}

void tcpc_daemon_notifier_uninit(void)
{
	netlink_unregister_notifier(&daemon_netlink_notifier);
}
