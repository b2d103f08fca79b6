// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "genl_ops.h"
#include "log.h"
#include "sessid_lookup.h"

struct wildcard {
	const struct tc_ctl_tuple *t;
	unsigned int matches;
	uint8_t *sessid;
};

static const uint8_t zeros[16];

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

static bool any_local_addr(const struct tc_ctl_tuple *t)
{
	return !memcmp(t->local_addr, zeros, addr_len(t->family));
}

static int match_wildcard(const struct tc_conn *c, void *arg)
{
	struct wildcard *w = arg;
	const struct tc_ctl_tuple *t = w->t;
	size_t alen = addr_len(t->family);

	if (c->family != t->family || !c->has_sessid ||
	    c->remote_port != t->remote_port ||
	    memcmp(c->remote_addr, t->remote_addr, alen))
		return 0;
	if (t->local_port && c->local_port != t->local_port)
		return 0;
	if (!any_local_addr(t) && memcmp(c->local_addr, t->local_addr, alen))
		return 0;
	if (!w->matches++)
		memcpy(w->sessid, c->sessid, TC_CTL_SESSID_LEN);
	return 0;
}

static int lookup_wildcard(struct tc_genl *g, const struct tc_ctl_tuple *t,
			   uint8_t *sessid)
{
	struct wildcard w = { .t = t, .sessid = sessid };
	int err;

	err = tc_conn_dump(g, match_wildcard, &w);
	if (err)
		return err;
	if (!w.matches)
		return -ENOENT;
	return w.matches == 1 ? 0 : -ENOTUNIQ;
}

static int lookup_exact(struct tc_genl *g, const struct tc_ctl_tuple *t,
			uint8_t *sessid)
{
	struct tc_conn key = { 0 }, c;
	int err;

	key.family = t->family;
	key.local_port = t->local_port;
	key.remote_port = t->remote_port;
	memcpy(key.local_addr, t->local_addr, sizeof(key.local_addr));
	memcpy(key.remote_addr, t->remote_addr, sizeof(key.remote_addr));
	err = tc_conn_get(g, &key, &c);
	if (err)
		return err;
	/* Still negotiating or exchanging keys: no session ID yet */
	if (!c.has_sessid)
		return -ENOENT;
	memcpy(sessid, c.sessid, TC_CTL_SESSID_LEN);
	return 0;
}

int sessid_lookup(const struct tc_ctl_tuple *t,
		  uint8_t sessid[TC_CTL_SESSID_LEN], void *arg)
{
	struct tc_genl *g = arg;
	char buf[256];
	int err;

	if (!t->local_port || any_local_addr(t))
		err = lookup_wildcard(g, t, sessid);
	else
		err = lookup_exact(g, t, sessid);
	if (err && err != -ENOENT && err != -ENOTUNIQ)
		log_warn("control: connection lookup failed: %s",
			 tc_genl_strerror(g, err, buf, sizeof(buf)));
	return err;
}
