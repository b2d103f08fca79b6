// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace setup and teardown. The hooks go last on the way in and
 * first on the way out, so that the data path never sees half-built or
 * half-freed state.
 */
#include <linux/rcupdate.h>
#include "hooks.h"
#include "netns.h"

unsigned int tcpc_net_id __read_mostly;

static int __net_init tcpc_net_init(struct net *net)
{
	struct tcpc_net *tn = tcpc_net(net);
	int err;

	tn->net = net;
	tcpc_daemon_slot_init(&tn->daemon);
	tcpc_resume_cache_init(&tn->resume);
	tcpc_sock_policies_init(&tn->sock_policies);
	err = tcpc_stats_init(&tn->stats);
	if (err)
		return err;
	err = tcpc_conn_table_init(&tn->conns);
	if (err)
		goto err_stats;
	err = tcpc_hooks_register(net);
	if (err)
		goto err_conns;
	return 0;

err_conns:
	tcpc_conn_table_destroy(&tn->conns);
err_stats:
	tcpc_stats_free(&tn->stats);
	return err;
}

/*
 * First the connections that committed to encryption are reset, while the
 * hooks still translate their RSTs (at module unload; a dying namespace
 * has no sockets left). Unregistering a hook does not wait for packets
 * still inside it; the netns core runs synchronize_rcu() between every
 * .pre_exit and .exit, after which no hook of @net can still be touching
 * its state.
 */
static void __net_exit tcpc_net_pre_exit(struct net *net)
{
	tcpc_conn_abort_all(&tcpc_net(net)->conns);
	tcpc_hooks_unregister(net);
}

static void __net_exit tcpc_net_exit(struct net *net)
{
	struct tcpc_net *tn = tcpc_net(net);

	tcpc_conn_table_shutdown(&tn->conns);
	tcpc_conn_table_destroy(&tn->conns);
	tcpc_resume_cache_flush(&tn->resume);
	tcpc_sock_policies_flush(&tn->sock_policies);
	tcpc_daemon_slot_clear(&tn->daemon);
	tcpc_stats_free(&tn->stats);
}

static struct pernet_operations tcpc_net_ops = {
	.init = tcpc_net_init,
	.pre_exit = tcpc_net_pre_exit,
	.exit = tcpc_net_exit,
	.id = &tcpc_net_id,
	.size = sizeof(struct tcpc_net),
};

int __init tcpc_netns_init(void)
{
	return register_pernet_subsys(&tcpc_net_ops);
}

void tcpc_netns_uninit(void)
{
	unregister_pernet_subsys(&tcpc_net_ops);
}
