// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/genl.h>

#include "genl_ops.h"
#include "util.h"

/* Every counter is a u64: the policy needs no row per counter */
static struct nla_policy stats_policy[TCPCRYPT_STATS_A_MAX + 1] = {
	[TCPCRYPT_STATS_A_IPV4_IN ... TCPCRYPT_STATS_A_MAX] = {
		.type = NLA_U64
	},
};

static struct nla_policy conn_policy[TCPCRYPT_CONN_A_MAX + 1] = {
	[TCPCRYPT_CONN_A_FAMILY]	= { .type = NLA_U8 },
	[TCPCRYPT_CONN_A_LOCAL_ADDR]	= { .type = NLA_UNSPEC, .minlen = 4,
					    .maxlen = 16 },
	[TCPCRYPT_CONN_A_REMOTE_ADDR]	= { .type = NLA_UNSPEC, .minlen = 4,
					    .maxlen = 16 },
	[TCPCRYPT_CONN_A_LOCAL_PORT]	= { .type = NLA_U16 },
	[TCPCRYPT_CONN_A_REMOTE_PORT]	= { .type = NLA_U16 },
	[TCPCRYPT_CONN_A_ROLE]		= { .type = NLA_U8 },
	[TCPCRYPT_CONN_A_TEP]		= { .type = NLA_U8 },
	[TCPCRYPT_CONN_A_AEAD]		= { .type = NLA_U16 },
	[TCPCRYPT_CONN_A_SESSID]	= { .type = NLA_UNSPEC,
					    .minlen = TCPCRYPT_SESSID_LEN,
					    .maxlen = TCPCRYPT_SESSID_LEN },
	[TCPCRYPT_CONN_A_STATE]		= { .type = NLA_U8 },
	[TCPCRYPT_CONN_A_BYTES_IN]	= { .type = NLA_U64 },
	[TCPCRYPT_CONN_A_BYTES_OUT]	= { .type = NLA_U64 },
};

static uint64_t get_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

int tc_stats_parse(struct nlattr *nest, struct tc_stats *s)
{
	struct nlattr *tb[TCPCRYPT_STATS_A_MAX + 1];
	int attr;

	memset(s, 0, sizeof(*s));
	if (nla_parse_nested(tb, TCPCRYPT_STATS_A_MAX, nest, stats_policy))
		return -EBADMSG;
	for (attr = TCPCRYPT_STATS_A_IPV4_IN; attr <= TCPCRYPT_STATS_A_MAX;
	     attr++) {
		if (!tb[attr])
			continue;
		s->value[attr] = nla_get_u64(tb[attr]);
		s->present[attr] = true;
	}
	return 0;
}

static int parse_status(struct nlattr **tb, void *arg)
{
	struct tc_status *st = arg;
	struct nlattr *a;
	unsigned int i;

	memset(st, 0, sizeof(*st));
	if (tb[TCPCRYPT_A_NETNS_INO])
		st->netns_ino = nla_get_u32(tb[TCPCRYPT_A_NETNS_INO]);
	if (tb[TCPCRYPT_A_VERSION])
		nla_strlcpy(st->version, tb[TCPCRYPT_A_VERSION],
			    sizeof(st->version));
	if (tb[TCPCRYPT_A_DAEMON_REGISTERED])
		st->daemon_registered =
			nla_get_u8(tb[TCPCRYPT_A_DAEMON_REGISTERED]);
	if (tb[TCPCRYPT_A_DAEMON_PID])
		st->daemon_pid = nla_get_u32(tb[TCPCRYPT_A_DAEMON_PID]);
	if (tb[TCPCRYPT_A_DAEMON_PORTID])
		st->daemon_portid = nla_get_u32(tb[TCPCRYPT_A_DAEMON_PORTID]);
	if (tb[TCPCRYPT_A_DIVERT_MARK])
		st->divert_mark = nla_get_u32(tb[TCPCRYPT_A_DIVERT_MARK]);
	if (tb[TCPCRYPT_A_SESSIONS_CACHED])
		st->sessions_cached =
			nla_get_u32(tb[TCPCRYPT_A_SESSIONS_CACHED]);

	a = tb[TCPCRYPT_A_TEPS];
	if (a) {
		st->n_teps = (unsigned int)nla_len(a);
		memcpy(st->teps, nla_data(a), st->n_teps);
	}
	a = tb[TCPCRYPT_A_AEADS];
	if (a) {
		if (nla_len(a) % 2)
			return -EBADMSG;
		st->n_aeads = (unsigned int)nla_len(a) / 2;
		for (i = 0; i < st->n_aeads; i++)
			st->aeads[i] = tc_get_be16((uint8_t *)nla_data(a) +
						   2 * i);
	}
	if (tb[TCPCRYPT_A_STATS])
		return tc_stats_parse(tb[TCPCRYPT_A_STATS], &st->stats);
	return 0;
}

int tc_status_get(struct tc_genl *g, struct tc_status *st)
{
	struct nl_msg *msg = tc_genl_request(g, TCPCRYPT_CMD_STATUS_GET, 0);

	if (!msg)
		return -ENOMEM;
	memset(st, 0, sizeof(*st));
	return tc_genl_transact(g, msg, parse_status, st);
}

static int simple_cmd(struct tc_genl *g, uint8_t cmd)
{
	struct nl_msg *msg = tc_genl_request(g, cmd, 0);

	if (!msg)
		return -ENOMEM;
	return tc_genl_transact(g, msg, NULL, NULL);
}

int tc_stats_reset(struct tc_genl *g)
{
	return simple_cmd(g, TCPCRYPT_CMD_STATS_RESET);
}

int tc_sessions_flush(struct tc_genl *g)
{
	return simple_cmd(g, TCPCRYPT_CMD_SESSIONS_FLUSH);
}

int tc_daemon_unregister(struct tc_genl *g)
{
	return simple_cmd(g, TCPCRYPT_CMD_DAEMON_UNREGISTER);
}

int tc_daemon_register(struct tc_genl *g, const struct tc_daemon_reg *r)
{
	uint8_t aeads[2 * TCPCRYPT_MAX_AEADS];
	struct nl_msg *msg;
	unsigned int i;

	if (!r->n_teps || r->n_teps > TCPCRYPT_MAX_TEPS ||
	    !r->n_aeads || r->n_aeads > TCPCRYPT_MAX_AEADS)
		return -EINVAL;
	for (i = 0; i < r->n_aeads; i++)
		tc_put_be16(aeads + 2 * i, r->aeads[i]);

	msg = tc_genl_request(g, TCPCRYPT_CMD_DAEMON_REGISTER, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, TCPCRYPT_A_DAEMON_PID, r->pid) ||
	    nla_put(msg, TCPCRYPT_A_TEPS, (int)r->n_teps, r->teps) ||
	    nla_put(msg, TCPCRYPT_A_AEADS, (int)(2 * r->n_aeads), aeads) ||
	    nla_put_u32(msg, TCPCRYPT_A_DIVERT_MARK, r->divert_mark) ||
	    nla_put_string(msg, TCPCRYPT_A_VERSION, r->version)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return tc_genl_transact(g, msg, NULL, NULL);
}

static size_t family_addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

int tc_conn_parse(struct nlattr *nest, struct tc_conn *c)
{
	struct nlattr *tb[TCPCRYPT_CONN_A_MAX + 1];
	size_t alen;

	memset(c, 0, sizeof(*c));
	c->role = TC_ROLE_UNKNOWN;
	if (nla_parse_nested(tb, TCPCRYPT_CONN_A_MAX, nest, conn_policy))
		return -EBADMSG;
	if (!tb[TCPCRYPT_CONN_A_FAMILY] || !tb[TCPCRYPT_CONN_A_LOCAL_ADDR] ||
	    !tb[TCPCRYPT_CONN_A_REMOTE_ADDR] ||
	    !tb[TCPCRYPT_CONN_A_LOCAL_PORT] || !tb[TCPCRYPT_CONN_A_REMOTE_PORT])
		return -EBADMSG;

	c->family = nla_get_u8(tb[TCPCRYPT_CONN_A_FAMILY]);
	if (c->family != AF_INET && c->family != AF_INET6)
		return -EBADMSG;
	alen = family_addr_len(c->family);
	if ((size_t)nla_len(tb[TCPCRYPT_CONN_A_LOCAL_ADDR]) != alen ||
	    (size_t)nla_len(tb[TCPCRYPT_CONN_A_REMOTE_ADDR]) != alen)
		return -EBADMSG;
	memcpy(c->local_addr, nla_data(tb[TCPCRYPT_CONN_A_LOCAL_ADDR]), alen);
	memcpy(c->remote_addr, nla_data(tb[TCPCRYPT_CONN_A_REMOTE_ADDR]),
	       alen);
	c->local_port = nla_get_u16(tb[TCPCRYPT_CONN_A_LOCAL_PORT]);
	c->remote_port = nla_get_u16(tb[TCPCRYPT_CONN_A_REMOTE_PORT]);

	if (tb[TCPCRYPT_CONN_A_ROLE])
		c->role = nla_get_u8(tb[TCPCRYPT_CONN_A_ROLE]);
	if (tb[TCPCRYPT_CONN_A_TEP])
		c->tep = nla_get_u8(tb[TCPCRYPT_CONN_A_TEP]);
	if (tb[TCPCRYPT_CONN_A_AEAD])
		c->aead = nla_get_u16(tb[TCPCRYPT_CONN_A_AEAD]);
	if (tb[TCPCRYPT_CONN_A_STATE])
		c->state = nla_get_u8(tb[TCPCRYPT_CONN_A_STATE]);
	if (tb[TCPCRYPT_CONN_A_SESSID]) {
		c->has_sessid = true;
		memcpy(c->sessid, nla_data(tb[TCPCRYPT_CONN_A_SESSID]),
		       TCPCRYPT_SESSID_LEN);
	}
	c->bytes_in = get_u64(tb[TCPCRYPT_CONN_A_BYTES_IN]);
	c->bytes_out = get_u64(tb[TCPCRYPT_CONN_A_BYTES_OUT]);
	return 0;
}

struct conn_walk {
	tc_conn_fn fn;
	void *arg;
	struct tc_conn *one;	/* tc_conn_get(): where the reply goes */
	bool found;
};

static int on_conn(struct nlattr **tb, void *arg)
{
	struct conn_walk *w = arg;
	struct tc_conn c;
	int err;

	if (!tb[TCPCRYPT_A_CONN])
		return -EBADMSG;
	err = tc_conn_parse(tb[TCPCRYPT_A_CONN], &c);
	if (err)
		return err;
	if (w->one) {
		*w->one = c;
		w->found = true;
		return 0;
	}
	return w->fn(&c, w->arg);
}

static int put_tuple(struct nl_msg *msg, const struct tc_conn *key)
{
	int alen = (int)family_addr_len(key->family);
	struct nlattr *nest;

	nest = nla_nest_start(msg, TCPCRYPT_A_CONN);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(msg, TCPCRYPT_CONN_A_FAMILY, (uint8_t)key->family) ||
	    nla_put(msg, TCPCRYPT_CONN_A_LOCAL_ADDR, alen, key->local_addr) ||
	    nla_put(msg, TCPCRYPT_CONN_A_REMOTE_ADDR, alen, key->remote_addr) ||
	    nla_put_u16(msg, TCPCRYPT_CONN_A_LOCAL_PORT, key->local_port) ||
	    nla_put_u16(msg, TCPCRYPT_CONN_A_REMOTE_PORT, key->remote_port))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int tc_conn_get(struct tc_genl *g, const struct tc_conn *key,
		struct tc_conn *c)
{
	struct conn_walk w = { .one = c };
	struct nl_msg *msg;
	int err;

	if (key->family != AF_INET && key->family != AF_INET6)
		return -EAFNOSUPPORT;
	msg = tc_genl_request(g, TCPCRYPT_CMD_CONN_GET, 0);
	if (!msg)
		return -ENOMEM;
	err = put_tuple(msg, key);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	err = tc_genl_transact(g, msg, on_conn, &w);
	if (!err && !w.found)
		err = -EBADMSG;
	return err;
}

int tc_sock_policy_set(struct tc_genl *g, const struct tc_sock_policy *p)
{
	struct nl_msg *msg;
	int err = 0;

	if (p->kind != TCPCRYPT_SOCK_UNCONNECTED &&
	    p->tuple.family != AF_INET && p->tuple.family != AF_INET6)
		return -EAFNOSUPPORT;
	msg = tc_genl_request(g, TCPCRYPT_CMD_SOCK_POLICY_SET, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u64(msg, TCPCRYPT_A_SOCK_COOKIE, p->cookie) ||
	    nla_put_u8(msg, TCPCRYPT_A_SOCK_KIND, p->kind) ||
	    nla_put_u32(msg, TCPCRYPT_A_SOCK_POLICY, p->flags) ||
	    nla_put_u32(msg, TCPCRYPT_A_SOCK_POLICY_MASK, p->mask))
		err = -EMSGSIZE;
	if (!err && p->ifindex &&
	    nla_put_u32(msg, TCPCRYPT_A_SOCK_IFINDEX, p->ifindex))
		err = -EMSGSIZE;
	if (!err && p->kind != TCPCRYPT_SOCK_UNCONNECTED)
		err = put_tuple(msg, &p->tuple);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return tc_genl_transact(g, msg, NULL, NULL);
}

int tc_conn_dump(struct tc_genl *g, tc_conn_fn fn, void *arg)
{
	struct conn_walk w = { .fn = fn, .arg = arg };
	struct nl_msg *msg;

	msg = tc_genl_request(g, TCPCRYPT_CMD_CONN_GET, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	return tc_genl_transact(g, msg, on_conn, &w);
}
