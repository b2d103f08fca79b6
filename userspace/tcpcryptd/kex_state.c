// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "kex_state.h"

void kex_table_init(struct kex_table *t, unsigned int max, int64_t ttl_ms)
{
	memset(t, 0, sizeof(*t));
	t->max = max;
	t->ttl_ms = ttl_ms;
}

struct kex_pending *kex_pending_alloc(void)
{
	return calloc(1, sizeof(struct kex_pending));
}

void kex_pending_free(struct kex_pending *p)
{
	if (!p)
		return;
	tc_kex_free(p->key);
	OPENSSL_cleanse(p, sizeof(*p));
	free(p);
}

/* Connection ids are sequential: Fibonacci hashing spreads them */
static unsigned int bucket_of(uint64_t conn_id)
{
	return (unsigned int)((conn_id * 0x9e3779b97f4a7c15ULL) >> 56) %
	       KEX_STATE_BUCKETS;
}

static struct kex_pending **find_link(struct kex_table *t, uint64_t conn_id)
{
	struct kex_pending **link = &t->buckets[bucket_of(conn_id)];

	while (*link && (*link)->conn_id != conn_id)
		link = &(*link)->hnext;
	return link;
}

/* Take p, found at *link, out of both lists */
static void unlink_entry(struct kex_table *t, struct kex_pending **link)
{
	struct kex_pending *p = *link;

	*link = p->hnext;
	if (p->older)
		p->older->newer = p->newer;
	else
		t->oldest = p->newer;
	if (p->newer)
		p->newer->older = p->older;
	else
		t->newest = p->older;
	p->hnext = p->older = p->newer = NULL;
	t->count--;
}

static void drop(struct kex_table *t, uint64_t conn_id)
{
	struct kex_pending **link = find_link(t, conn_id);
	struct kex_pending *p = *link;

	if (!p)
		return;
	unlink_entry(t, link);
	kex_pending_free(p);
}

unsigned int kex_table_expire(struct kex_table *t, int64_t now)
{
	unsigned int n = 0;

	while (t->oldest && t->oldest->expires_ms <= now) {
		drop(t, t->oldest->conn_id);
		n++;
	}
	return n;
}

void kex_table_flush(struct kex_table *t)
{
	while (t->oldest)
		drop(t, t->oldest->conn_id);
}

int kex_table_add(struct kex_table *t, struct kex_pending *p, int64_t now)
{
	struct kex_pending **link;

	kex_table_expire(t, now);
	drop(t, p->conn_id);
	if (t->count >= t->max)
		return -ENOBUFS;

	link = find_link(t, p->conn_id);
	p->hnext = NULL;
	*link = p;
	p->expires_ms = now + t->ttl_ms;
	p->older = t->newest;
	p->newer = NULL;
	if (t->newest)
		t->newest->newer = p;
	else
		t->oldest = p;
	t->newest = p;
	t->count++;
	return 0;
}

struct kex_pending *kex_table_take(struct kex_table *t, uint64_t conn_id,
				   int64_t now)
{
	struct kex_pending **link;
	struct kex_pending *p;

	kex_table_expire(t, now);
	link = find_link(t, conn_id);
	p = *link;
	if (p)
		unlink_entry(t, link);
	return p;
}

int64_t kex_table_next_expiry(const struct kex_table *t, int64_t now)
{
	if (!t->oldest)
		return -1;
	return t->oldest->expires_ms > now ? t->oldest->expires_ms - now : 0;
}
