/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tcpcryptd registered in a network namespace: at most one, bound to
 * the netlink socket it registered from, and forgotten as soon as that
 * socket closes (clean exit, crash or kill -9 alike).
 */
#ifndef _TCPC_DAEMON_H
#define _TCPC_DAEMON_H

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/tcpcrypt.h>
#include <linux/types.h>

struct netlink_ext_ack;
struct tcpc_net;

/* Longest daemon version string accepted, without its NUL */
#define TCPC_DAEMON_VERSION_MAX 31

struct tcpc_daemon {
	u32 portid;			/* netlink port of its socket */
	u32 pid;			/* as the daemon announced itself */
	u32 divert_mark;		/* 0: every connection */
	u8 n_teps;
	u8 n_aeads;
	u8 teps[TCPCRYPT_MAX_TEPS];	/* increasing preference */
	__be16 aeads[TCPCRYPT_MAX_AEADS];	/* decreasing preference */
	char version[TCPC_DAEMON_VERSION_MAX + 1];	/* "" if not given */
	struct rcu_head rcu;
};

struct tcpc_daemon_slot {
	struct mutex lock;		/* serialises writers of @cur */
	struct tcpc_daemon __rcu *cur;	/* readers: RCU or @lock */
};

/* What the packet path needs of the registered daemon, copied under RCU */
struct tcpc_daemon_view {
	u32 portid;
	u8 n_teps;
	u8 teps[TCPCRYPT_MAX_TEPS];	/* increasing preference */
};

bool tcpc_daemon_view(struct tcpc_net *tn, u32 mark,
		      struct tcpc_daemon_view *view);
u32 tcpc_daemon_portid(struct tcpc_net *tn);
bool tcpc_daemon_has_aead(struct tcpc_net *tn, u16 aead);

void tcpc_daemon_slot_init(struct tcpc_daemon_slot *slot);
void tcpc_daemon_slot_clear(struct tcpc_daemon_slot *slot);

int tcpc_daemon_register(struct tcpc_net *tn, struct tcpc_daemon *d,
			 struct netlink_ext_ack *extack);
int tcpc_daemon_unregister(struct tcpc_net *tn, u32 portid,
			   struct netlink_ext_ack *extack);

int tcpc_daemon_notifier_init(void);
void tcpc_daemon_notifier_uninit(void);

#endif /* _TCPC_DAEMON_H */
