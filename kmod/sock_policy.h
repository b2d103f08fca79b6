/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-socket resumption policy of a network namespace (RFC 8548 section
 * 3.5: a per-connection "ignore resumption" and "cache no session
 * secrets"). Applications set it through libtcpcrypt; tcpcryptd, handed
 * the socket itself, gives the module its cookie. The module never sees
 * the socket calls, so a policy waits here for the socket's connections:
 *  - set before connect(), until that socket's SYN leaves, at most
 *    TCPCRYPT_SOCK_POLICY_TTL seconds; the connection then owns it;
 *  - set on a listening socket (or before listen()), for every SYN it
 *    receives (found by a listener lookup, as TCP finds it), while it
 *    listens;
 *  - set on a connected socket, on its connection at once (tcpc_conn).
 */
#ifndef _TCPC_SOCK_POLICY_H
#define _TCPC_SOCK_POLICY_H

#include <linux/hashtable.h>
#include <linux/in6.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct net;
struct tcpc_seg;
struct sk_buff;

#define TCPC_SOCK_POLICY_MAX	4096
#define TCPC_SOCK_POLICY_BITS	8

struct tcpc_sock_policies {
	spinlock_t lock;
	DECLARE_HASHTABLE(hash, TCPC_SOCK_POLICY_BITS);
	unsigned int count;	/* SYNs look policies up only if any */
};

/* One socket's policy, as tcpcryptd describes it */
struct tcpc_sock_policy_req {
	u64 cookie;
	u32 flags;		/* TCPCRYPT_SOCK_* to set... */
	u32 mask;		/* ...among these; 0 left drops the entry */
	u8 kind;		/* enum tcpcrypt_sock_kind, not CONNECTED */
	u8 family;		/* a listener's local end */
	__be16 lport;
	struct in6_addr laddr;
	int ifindex;		/* its SO_BINDTODEVICE, 0 when none */
};

void tcpc_sock_policies_init(struct tcpc_sock_policies *p);
void tcpc_sock_policies_flush(struct tcpc_sock_policies *p);
int tcpc_sock_policy_set(struct net *net, struct tcpc_sock_policies *p,
			 const struct tcpc_sock_policy_req *req);
u32 tcpc_sock_policy_connect(struct tcpc_sock_policies *p,
			     const struct sk_buff *skb);
void tcpc_sock_policy_taken(struct tcpc_sock_policies *p,
			    const struct sk_buff *skb);
u32 tcpc_sock_policy_accept(struct net *net, struct tcpc_sock_policies *p,
			    const struct tcpc_seg *seg);

#endif /* _TCPC_SOCK_POLICY_H */
