/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The session cache of a network namespace (RFC 8548 section 3.5): for
 * each peer address, the next unused secret ss[i+1] of the last session
 * with it. An active open takes the entry of its peer's address to offer
 * resumption; a passive open takes the entry whose identifier half the
 * SYN names. Taking removes: a secret protects at most one connection,
 * and one tried is never offered again. Entries expire after
 * resume_ttl seconds; the oldest goes when the cache is full.
 */
#ifndef _TCPC_RESUME_CACHE_H
#define _TCPC_RESUME_CACHE_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include "resume.h"

#define TCPC_RESUME_CACHE_MAX	1024

struct tcpc_resume_cache {
	spinlock_t lock;
	struct list_head lru;		/* oldest first */
	unsigned int count;
};

/* Module parameters (resume_cache.c) */
extern bool tcpc_resume_enabled;

void tcpc_resume_cache_init(struct tcpc_resume_cache *c);
void tcpc_resume_cache_flush(struct tcpc_resume_cache *c);
unsigned int tcpc_resume_cache_count(struct tcpc_resume_cache *c);

void tcpc_resume_store(struct tcpc_resume_cache *c, u8 family,
		       const struct in6_addr *peer,
		       const struct tcpc_resume_secret *s);
bool tcpc_resume_take_peer(struct tcpc_resume_cache *c, u8 family,
			   const struct in6_addr *peer,
			   struct tcpc_resume_secret *s);
bool tcpc_resume_take_sub(struct tcpc_resume_cache *c,
			  const struct tcpc_eno_sub *sub,
			  struct tcpc_resume_secret *s);
bool tcpc_resume_forget(struct tcpc_resume_cache *c, u8 family,
			const struct in6_addr *peer,
			const struct tcpc_resume_id *rid);

#endif /* _TCPC_RESUME_CACHE_H */
