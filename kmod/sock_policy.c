// SPDX-License-Identifier: GPL-2.0
/*
 * Per-socket resumption policy. See sock_policy.h.
 */
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <linux/tcpcrypt.h>
#include "conn.h"
#include "sock_policy.h"
#include "tcpseg.h"

struct sock_policy_entry {
	struct hlist_node node;
	u64 cookie;
	u32 flags;
	u8 kind;
	u8 family;
	__be16 lport;
	struct in6_addr laddr;
	int ifindex;			/* a listener's SO_BINDTODEVICE */
	unsigned long expires;		/* unconnected: jiffies */
};

void tcpc_sock_policies_init(struct tcpc_sock_policies *p)
{
	spin_lock_init(&p->lock);
	hash_init(p->hash);
	p->count = 0;
}

static void sock_policy_del(struct tcpc_sock_policies *p,
			    struct sock_policy_entry *e)
{
	hash_del(&e->node);
	p->count--;
	kfree(e);
}

void tcpc_sock_policies_flush(struct tcpc_sock_policies *p)
{
	struct sock_policy_entry *e;
	struct hlist_node *tmp;
	int bkt;

	spin_lock_bh(&p->lock);
	hash_for_each_safe(p->hash, bkt, tmp, e, node)
		sock_policy_del(p, e);
	spin_unlock_bh(&p->lock);
}

static struct sock_policy_entry *
sock_policy_find(struct tcpc_sock_policies *p, u64 cookie)
{
	struct sock_policy_entry *e;

	hash_for_each_possible(p->hash, e, node, cookie)
		if (e->cookie == cookie)
			return e;
	return NULL;
}

/*
 * The listener TCP would give a SYN from @raddr:@rport to @laddr:@lport
 * (any peer when @raddr is NULL); RCU read lock held, no reference taken
 * (listeners are freed after a grace period).
 */
static struct sock *sock_policy_listener(struct net *net, u8 family,
					 const struct in6_addr *laddr,
					 __be16 lport,
					 const struct in6_addr *raddr,
					 __be16 rport, struct sk_buff *skb,
					 int doff, int dif, int sdif)
{
	struct inet_hashinfo *h = net->ipv4.tcp_death_row.hashinfo;

	if (family == AF_INET)
		return __inet_lookup_listener(net, h, skb, doff,
					      raddr ? raddr->s6_addr32[0] : 0,
					      rport, laddr->s6_addr32[0],
					      ntohs(lport), dif, sdif);
#if IS_ENABLED(CONFIG_IPV6)
	return inet6_lookup_listener(net, h, skb, doff,
				     raddr ? raddr : &in6addr_any, rport,
				     laddr, ntohs(lport), dif, sdif);
#else
	return NULL;
#endif
}

/*
 * Whether @e can still apply: an unconnected socket's policy until its
 * time is up; a listener's while a socket listens at its address and
 * device (that of another SO_REUSEPORT member found in its stead keeps it
 * too: cookies are never reused, so a stale entry only costs memory).
 */
static bool sock_policy_alive(struct net *net, struct sock_policy_entry *e)
{
	struct sock *sk;
	bool alive;

	if (e->kind != TCPCRYPT_SOCK_LISTENING)
		return time_before(jiffies, e->expires);
	rcu_read_lock();
	sk = sock_policy_listener(net, e->family, &e->laddr, e->lport, NULL,
				  0, NULL, 0, e->ifindex, 0);
	alive = sk && (atomic64_read(&sk->sk_cookie) == e->cookie ||
		       sk->sk_reuseport);
	rcu_read_unlock();
	return alive;
}

/* Make room: drop the entries that can no longer apply; lock held */
static void sock_policy_gc(struct net *net, struct tcpc_sock_policies *p)
{
	struct sock_policy_entry *e;
	struct hlist_node *tmp;
	int bkt;

	hash_for_each_safe(p->hash, bkt, tmp, e, node)
		if (!sock_policy_alive(net, e))
			sock_policy_del(p, e);
}

/**
 * tcpc_sock_policy_set() - set, change or drop one socket's policy
 * @net: the namespace
 * @p: its policies
 * @req: the socket (unconnected or listening) and its policy
 *
 * Context: process context.
 *
 * Return: 0; -ENOSPC when TCPC_SOCK_POLICY_MAX sockets have a policy
 * that may still apply; -ENOMEM.
 */
int tcpc_sock_policy_set(struct net *net, struct tcpc_sock_policies *p,
			 const struct tcpc_sock_policy_req *req)
{
	struct sock_policy_entry *e, *n;
	u32 flags = req->flags & req->mask;
	int err = 0;

	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	spin_lock_bh(&p->lock);
	e = sock_policy_find(p, req->cookie);
	if (e) {
		if (e->kind == req->kind)
			flags |= e->flags & ~req->mask;
		sock_policy_del(p, e);
	}
	if (!flags)
		goto out_unlock;
	if (p->count >= TCPC_SOCK_POLICY_MAX)
		sock_policy_gc(net, p);
	if (p->count >= TCPC_SOCK_POLICY_MAX) {
		err = -ENOSPC;
		goto out_unlock;
	}
	n->cookie = req->cookie;
	n->flags = flags;
	n->kind = req->kind;
	n->family = req->family;
	n->lport = req->lport;
	n->laddr = req->laddr;
	n->ifindex = req->ifindex;
	n->expires = jiffies + TCPCRYPT_SOCK_POLICY_TTL * HZ;
	hash_add(p->hash, &n->node, n->cookie);
	p->count++;
	n = NULL;
out_unlock:
	spin_unlock_bh(&p->lock);
	kfree(n);
	return err;
}

/* @sk's entry, lock held; NULL when none (or before SO_COOKIE was asked) */
static struct sock_policy_entry *
sock_policy_of(struct tcpc_sock_policies *p, const struct sock *sk)
{
	u64 cookie = atomic64_read(&sk->sk_cookie);

	return cookie ? sock_policy_find(p, cookie) : NULL;
}

/**
 * tcpc_sock_policy_connect() - the policy of the socket sending a SYN
 * @p: the namespace's policies
 * @skb: the SYN, at LOCAL_OUT
 *
 * The policy set before connect(); once the connection owns it, the
 * entry goes (tcpc_sock_policy_taken()).
 *
 * Return: TCPCRYPT_SOCK_* flags, 0 when none.
 */
u32 tcpc_sock_policy_connect(struct tcpc_sock_policies *p,
			     const struct sk_buff *skb)
{
	struct sock_policy_entry *e;
	struct sock *sk = skb->sk;
	u32 flags = 0;

	if (!READ_ONCE(p->count) || !sk || !sk_fullsock(sk))
		return 0;
	spin_lock_bh(&p->lock);
	e = sock_policy_of(p, sk);
	if (e && e->kind == TCPCRYPT_SOCK_UNCONNECTED &&
	    time_before(jiffies, e->expires))
		flags = e->flags;
	spin_unlock_bh(&p->lock);
	return flags;
}

/* The connection of @skb's SYN owns its socket's policy now */
void tcpc_sock_policy_taken(struct tcpc_sock_policies *p,
			    const struct sk_buff *skb)
{
	struct sock_policy_entry *e;
	struct sock *sk = skb->sk;

	if (!READ_ONCE(p->count) || !sk || !sk_fullsock(sk))
		return;
	spin_lock_bh(&p->lock);
	e = sock_policy_of(p, sk);
	if (e && e->kind == TCPCRYPT_SOCK_UNCONNECTED)
		sock_policy_del(p, e);
	spin_unlock_bh(&p->lock);
}

/*
 * The entry of the listener @sk, lock held. One set before listen() is
 * an unconnected socket's: it becomes the listener's, at the address the
 * SYN reached.
 */
static u32 sock_policy_listening(struct tcpc_sock_policies *p,
				 const struct sock *sk,
				 const struct tcpc_conn_key *key)
{
	struct sock_policy_entry *e = sock_policy_of(p, sk);

	if (!e)
		return 0;
	if (e->kind == TCPCRYPT_SOCK_UNCONNECTED) {
		e->kind = TCPCRYPT_SOCK_LISTENING;
		e->family = key->family;
		e->laddr = key->laddr;
		e->lport = key->lport;
		e->ifindex = sk->sk_bound_dev_if;
	}
	return e->flags;
}

/**
 * tcpc_sock_policy_accept() - the policy of the listener a SYN reaches
 * @net: the namespace
 * @p: its policies
 * @seg: the SYN, at LOCAL_IN
 *
 * Context: a netfilter hook (RCU read lock held).
 *
 * Return: TCPCRYPT_SOCK_* flags, 0 when none.
 */
u32 tcpc_sock_policy_accept(struct net *net, struct tcpc_sock_policies *p,
			    const struct tcpc_seg *seg)
{
	struct sk_buff *skb = seg->skb;
	struct tcpc_conn_key key;
	int dif, sdif;
	struct sock *sk;
	u32 flags = 0;

	/* an unconnected socket's entry may be a listener's to be */
	if (!READ_ONCE(p->count))
		return 0;
	tcpc_seg_key(seg, false, &key);
	if (seg->family == AF_INET) {
		dif = inet_iif(skb);
		sdif = inet_sdif(skb);
	} else {
		dif = inet6_iif(skb);
		sdif = inet6_sdif(skb);
	}
	/*
	 * As TCP looks up: skb->data at the TCP header, for a reuseport BPF
	 * program (the header is linear: the segment was parsed).
	 */
	if (!pskb_may_pull(skb, seg->thoff + seg->hdrlen))
		return 0;
	__skb_pull(skb, seg->thoff);
	sk = sock_policy_listener(net, seg->family, &key.laddr, key.lport,
				  &key.raddr, key.rport, skb, seg->hdrlen, dif,
				  sdif);
	__skb_push(skb, seg->thoff);
	if (!sk)
		return 0;
	spin_lock_bh(&p->lock);
	flags = sock_policy_listening(p, sk, &key);
	spin_unlock_bh(&p->lock);
	return flags;
}
