// SPDX-License-Identifier: GPL-2.0
/*
 * The per-netns session cache. See resume_cache.h.
 */
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include "resume_cache.h"

bool tcpc_resume_enabled = true;
module_param_named(resume, tcpc_resume_enabled, bool, 0644);
MODULE_PARM_DESC(resume,
		 "Resume sessions from cached secrets (RFC 8548 section 3.5); 0: always a fresh key exchange, nothing cached");

static unsigned int resume_ttl = 3600;
module_param(resume_ttl, uint, 0644);
MODULE_PARM_DESC(resume_ttl, "Seconds a cached session secret may wait for its use");

struct resume_entry {
	struct list_head node;
	unsigned long expires;
	struct in6_addr peer;
	u8 family;
	struct tcpc_resume_secret s;
};

void tcpc_resume_cache_init(struct tcpc_resume_cache *c)
{
	spin_lock_init(&c->lock);
	INIT_LIST_HEAD(&c->lru);
	c->count = 0;
}

static void resume_unlink(struct tcpc_resume_cache *c, struct resume_entry *e)
{
	list_del(&e->node);
	c->count--;
	kfree_sensitive(e);
}

/* Drop what expired; lock held */
static void resume_expire(struct tcpc_resume_cache *c)
{
	struct resume_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &c->lru, node) {
		if (time_before(jiffies, e->expires))
			break;
		resume_unlink(c, e);
	}
}

void tcpc_resume_cache_flush(struct tcpc_resume_cache *c)
{
	struct resume_entry *e, *tmp;

	spin_lock_bh(&c->lock);
	list_for_each_entry_safe(e, tmp, &c->lru, node)
		resume_unlink(c, e);
	spin_unlock_bh(&c->lock);
}

/* Entries cached now (the expired ones go first) */
unsigned int tcpc_resume_cache_count(struct tcpc_resume_cache *c)
{
	unsigned int n;

	spin_lock_bh(&c->lock);
	resume_expire(c);
	n = c->count;
	spin_unlock_bh(&c->lock);
	return n;
}

static bool resume_same_peer(const struct resume_entry *e, u8 family,
			     const struct in6_addr *peer)
{
	return e->family == family && ipv6_addr_equal(&e->peer, peer);
}

/**
 * tcpc_resume_store() - cache the next secret of a session with @peer
 * @c: the namespace's cache
 * @family: AF_INET or AF_INET6
 * @peer: the peer's address (IPv4: first 4 bytes, rest zero)
 * @s: ss[i+1]; copied
 *
 * It replaces the entry of @peer, if any: the newest session's chain is
 * the one to resume. Any context.
 */
void tcpc_resume_store(struct tcpc_resume_cache *c, u8 family,
		       const struct in6_addr *peer,
		       const struct tcpc_resume_secret *s)
{
	struct resume_entry *e, *tmp, *n;

	if (!READ_ONCE(tcpc_resume_enabled))
		return;
	n = kzalloc(sizeof(*n), GFP_ATOMIC);
	if (!n)
		return;
	n->family = family;
	n->peer = *peer;
	n->s = *s;
	n->expires = jiffies + (unsigned long)READ_ONCE(resume_ttl) * HZ;

	spin_lock_bh(&c->lock);
	resume_expire(c);
	list_for_each_entry_safe(e, tmp, &c->lru, node)
		if (resume_same_peer(e, family, peer))
			resume_unlink(c, e);
	if (c->count >= TCPC_RESUME_CACHE_MAX)
		resume_unlink(c, list_first_entry(&c->lru, struct resume_entry,
						  node));
	list_add_tail(&n->node, &c->lru);
	c->count++;
	spin_unlock_bh(&c->lock);
}

/* Take the first entry @match accepts; lock not held */
static bool resume_take(struct tcpc_resume_cache *c,
			bool (*match)(const struct resume_entry *e,
				      const void *arg),
			const void *arg, struct tcpc_resume_secret *s)
{
	struct resume_entry *e;
	bool found = false;

	if (!READ_ONCE(tcpc_resume_enabled))
		return false;
	spin_lock_bh(&c->lock);
	resume_expire(c);
	list_for_each_entry(e, &c->lru, node) {
		if (match(e, arg)) {
			*s = e->s;
			resume_unlink(c, e);
			found = true;
			break;
		}
	}
	spin_unlock_bh(&c->lock);
	return found;
}

struct resume_peer {
	u8 family;
	const struct in6_addr *addr;
};

static bool resume_match_peer(const struct resume_entry *e, const void *arg)
{
	const struct resume_peer *p = arg;

	return resume_same_peer(e, p->family, p->addr);
}

static bool resume_match_sub(const struct resume_entry *e, const void *arg)
{
	return tcpc_resume_sub_matches(&e->s, arg);
}

/**
 * tcpc_resume_take_peer() - take the secret to offer to @peer
 * @c: the namespace's cache
 * @family: AF_INET or AF_INET6
 * @peer: the peer's address
 * @s: receives the secret
 *
 * Return: true if there was one; it is no longer in the cache.
 */
bool tcpc_resume_take_peer(struct tcpc_resume_cache *c, u8 family,
			   const struct in6_addr *peer,
			   struct tcpc_resume_secret *s)
{
	struct resume_peer p = { .family = family, .addr = peer };

	return resume_take(c, resume_match_peer, &p, s);
}

/**
 * tcpc_resume_take_sub() - take the secret a peer's suboption resumes
 * @c: the namespace's cache
 * @sub: the peer's resumption suboption
 * @s: receives the secret
 *
 * The identifier half decides, not the address: a NAT may stand between.
 *
 * Return: true if a cached secret matched; it is no longer in the cache.
 */
bool tcpc_resume_take_sub(struct tcpc_resume_cache *c,
			  const struct tcpc_eno_sub *sub,
			  struct tcpc_resume_secret *s)
{
	return resume_take(c, resume_match_sub, sub, s);
}

/**
 * tcpc_resume_forget() - drop the secret a connection cached, if still there
 * @c: the namespace's cache
 * @family: AF_INET or AF_INET6
 * @peer: the peer's address
 * @rid: the secret's resumption identifier
 *
 * Return: true if it was there.
 */
bool tcpc_resume_forget(struct tcpc_resume_cache *c, u8 family,
			const struct in6_addr *peer,
			const struct tcpc_resume_id *rid)
{
	struct resume_entry *e;
	bool found = false;

	spin_lock_bh(&c->lock);
	list_for_each_entry(e, &c->lru, node) {
		if (resume_same_peer(e, family, peer) &&
		    !memcmp(&e->s.rid, rid, sizeof(*rid))) {
			resume_unlink(c, e);
			found = true;
			break;
		}
	}
	spin_unlock_bh(&c->lock);
	return found;
}
