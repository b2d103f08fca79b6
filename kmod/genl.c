// SPDX-License-Identifier: GPL-2.0
/*
 * The "tcpcrypt" generic netlink family: daemon registration, status and
 * counters, the connection list, and the daemon's key agreement replies
 * (kex.c). Every operation acts on the network
 * namespace of the requesting socket. Policies are strict: unknown
 * attributes, out-of-range ids and malformed lists are refused with an
 * extack message naming the attribute.
 */
#include <linux/ctype.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>
#include "conn.h"
#include "conn_resume.h"
#include "genl.h"
#include "kex.h"
#include "netns.h"
#include "version.h"

/* The bit of a known AEAD in a duplicate mask, or -1 */
static int aead_bit(u16 id)
{
	switch (id) {
	case TCPCRYPT_AEAD_AES_128_GCM:
		return 0;
	case TCPCRYPT_AEAD_AES_256_GCM:
		return 1;
	case TCPCRYPT_AEAD_CHACHA20_POLY1305:
		return 2;
	}
	return -1;
}

static int validate_teps(const struct nlattr *attr,
			 struct netlink_ext_ack *extack)
{
	const u8 *tep = nla_data(attr);
	unsigned long seen = 0;
	int i, len = nla_len(attr);

	if (!len) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "TEP list is empty");
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (tep[i] < TCPCRYPT_TEP_P256 || tep[i] > TCPCRYPT_TEP_X448) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "unknown TEP id (tcpcrypt TEPs are 0x21 to 0x24)");
			return -EINVAL;
		}
		if (__test_and_set_bit(tep[i] - TCPCRYPT_TEP_P256, &seen)) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "duplicate TEP id");
			return -EINVAL;
		}
	}
	return 0;
}

static int validate_aeads(const struct nlattr *attr,
			  struct netlink_ext_ack *extack)
{
	const __be16 *aead = nla_data(attr);
	unsigned long seen = 0;
	int i, bit, len = nla_len(attr);

	if (!len) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "AEAD list is empty");
		return -EINVAL;
	}
	if (len % sizeof(*aead)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "AEAD list must hold 16-bit ids");
		return -EINVAL;
	}
	for (i = 0; i < len / sizeof(*aead); i++) {
		bit = aead_bit(be16_to_cpu(aead[i]));
		if (bit < 0) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "unknown AEAD id (tcpcrypt AEADs are 0x0001, 0x0002, 0x0010)");
			return -EINVAL;
		}
		if (__test_and_set_bit(bit, &seen)) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "duplicate AEAD id");
			return -EINVAL;
		}
	}
	return 0;
}

static const struct nla_policy register_policy[TCPCRYPT_A_MAX + 1] = {
	[TCPCRYPT_A_DAEMON_PID] = NLA_POLICY_MIN(NLA_U32, 1),
	[TCPCRYPT_A_TEPS] = NLA_POLICY_VALIDATE_FN(NLA_BINARY, validate_teps,
						   TCPCRYPT_MAX_TEPS),
	[TCPCRYPT_A_AEADS] = NLA_POLICY_VALIDATE_FN(NLA_BINARY, validate_aeads,
						    2 * TCPCRYPT_MAX_AEADS),
	[TCPCRYPT_A_DIVERT_MARK] = { .type = NLA_U32 },
	[TCPCRYPT_A_VERSION] = { .type = NLA_NUL_STRING,
				 .len = TCPC_DAEMON_VERSION_MAX },
};

static const struct nla_policy conn_key_policy[TCPCRYPT_CONN_A_MAX + 1] = {
	[TCPCRYPT_CONN_A_FAMILY] = { .type = NLA_U8 },
	[TCPCRYPT_CONN_A_LOCAL_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[TCPCRYPT_CONN_A_REMOTE_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[TCPCRYPT_CONN_A_LOCAL_PORT] = { .type = NLA_U16 },
	[TCPCRYPT_CONN_A_REMOTE_PORT] = { .type = NLA_U16 },
};

static const struct nla_policy conn_get_policy[TCPCRYPT_A_MAX + 1] = {
	[TCPCRYPT_A_CONN] = NLA_POLICY_NESTED(conn_key_policy),
};

static const struct nla_policy sock_policy_policy[TCPCRYPT_A_MAX + 1] = {
	[TCPCRYPT_A_SOCK_COOKIE] = NLA_POLICY_MIN(NLA_U64, 1),
	[TCPCRYPT_A_SOCK_KIND] = NLA_POLICY_RANGE(NLA_U8,
						  TCPCRYPT_SOCK_UNCONNECTED,
						  TCPCRYPT_SOCK_CONNECTED),
	[TCPCRYPT_A_SOCK_POLICY] = NLA_POLICY_MASK(NLA_U32,
						   TCPCRYPT_SOCK_POLICY_ALL),
	[TCPCRYPT_A_SOCK_POLICY_MASK] = NLA_POLICY_MASK(NLA_U32,
							TCPCRYPT_SOCK_POLICY_ALL),
	[TCPCRYPT_A_SOCK_IFINDEX] = { .type = NLA_U32 },
	[TCPCRYPT_A_CONN] = NLA_POLICY_NESTED(conn_key_policy),
};

/* The version goes to the kernel log: printable ASCII only */
static bool version_printable(const char *s)
{
	for (; *s; s++)
		if (!isascii(*s) || !isprint(*s))
			return false;
	return true;
}

static int daemon_register_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpc_net *tn = tcpc_net(genl_info_net(info));
	struct nlattr **attrs = info->attrs;
	struct tcpc_daemon *d;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, TCPCRYPT_A_DAEMON_PID) ||
	    GENL_REQ_ATTR_CHECK(info, TCPCRYPT_A_TEPS) ||
	    GENL_REQ_ATTR_CHECK(info, TCPCRYPT_A_AEADS)) {
		GENL_SET_ERR_MSG(info,
				 "registration needs the daemon pid, its TEPs and its AEADs");
		return -EINVAL;
	}
	if (attrs[TCPCRYPT_A_VERSION] &&
	    !version_printable(nla_data(attrs[TCPCRYPT_A_VERSION]))) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[TCPCRYPT_A_VERSION],
				    "version must be printable ASCII");
		return -EINVAL;
	}

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->portid = info->snd_portid;
	d->pid = nla_get_u32(attrs[TCPCRYPT_A_DAEMON_PID]);
	d->n_teps = nla_len(attrs[TCPCRYPT_A_TEPS]);
	nla_memcpy(d->teps, attrs[TCPCRYPT_A_TEPS], sizeof(d->teps));
	d->n_aeads = nla_len(attrs[TCPCRYPT_A_AEADS]) / sizeof(d->aeads[0]);
	nla_memcpy(d->aeads, attrs[TCPCRYPT_A_AEADS], sizeof(d->aeads));
	if (attrs[TCPCRYPT_A_DIVERT_MARK])
		d->divert_mark = nla_get_u32(attrs[TCPCRYPT_A_DIVERT_MARK]);
	if (attrs[TCPCRYPT_A_VERSION])
		nla_strscpy(d->version, attrs[TCPCRYPT_A_VERSION],
			    sizeof(d->version));

	err = tcpc_daemon_register(tn, d, info->extack);
	if (err)
		kfree(d);
	return err;
}

static int daemon_unregister_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpc_net *tn = tcpc_net(genl_info_net(info));

	return tcpc_daemon_unregister(tn, info->snd_portid, info->extack);
}

static int stats_reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	tcpc_stats_reset(&tcpc_net(genl_info_net(info))->stats);
	return 0;
}

static int sessions_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	tcpc_resume_cache_flush(&tcpc_net(genl_info_net(info))->resume);
	return 0;
}

static const u16 stat_attr[] = {
	[TCPC_STAT_IPV4_IN] = TCPCRYPT_STATS_A_IPV4_IN,
	[TCPC_STAT_IPV4_OUT] = TCPCRYPT_STATS_A_IPV4_OUT,
	[TCPC_STAT_IPV6_IN] = TCPCRYPT_STATS_A_IPV6_IN,
	[TCPC_STAT_IPV6_OUT] = TCPCRYPT_STATS_A_IPV6_OUT,
	[TCPC_STAT_DAEMON_REGISTRATIONS] =
		TCPCRYPT_STATS_A_DAEMON_REGISTRATIONS,
	[TCPC_STAT_DAEMON_LOSSES] = TCPCRYPT_STATS_A_DAEMON_LOSSES,
	[TCPC_STAT_ENO_OFFERED] = TCPCRYPT_STATS_A_ENO_OFFERED,
	[TCPC_STAT_ENO_ANSWERED] = TCPCRYPT_STATS_A_ENO_ANSWERED,
	[TCPC_STAT_ENO_SUCCEEDED] = TCPCRYPT_STATS_A_ENO_SUCCEEDED,
	[TCPC_STAT_ENO_NOT_OFFERED] = TCPCRYPT_STATS_A_ENO_NOT_OFFERED,
	[TCPC_STAT_FALLBACK_NO_ENO] = TCPCRYPT_STATS_A_FALLBACK_NO_ENO,
	[TCPC_STAT_FALLBACK_BAD_ENO] = TCPCRYPT_STATS_A_FALLBACK_BAD_ENO,
	[TCPC_STAT_FALLBACK_NEGOTIATION] =
		TCPCRYPT_STATS_A_FALLBACK_NEGOTIATION,
	[TCPC_STAT_FALLBACK_NO_DAEMON] = TCPCRYPT_STATS_A_FALLBACK_NO_DAEMON,
	[TCPC_STAT_SYN_DATA_DISCARDED] = TCPCRYPT_STATS_A_SYN_DATA_DISCARDED,
	[TCPC_STAT_MSS_CLAMPED] = TCPCRYPT_STATS_A_MSS_CLAMPED,
	[TCPC_STAT_KEX_REQUESTS] = TCPCRYPT_STATS_A_KEX_REQUESTS,
	[TCPC_STAT_KEX_FAILURES] = TCPCRYPT_STATS_A_KEX_FAILURES,
	[TCPC_STAT_CONN_ENCRYPTING] = TCPCRYPT_STATS_A_CONN_ENCRYPTING,
	[TCPC_STAT_CONN_ABORTS] = TCPCRYPT_STATS_A_CONN_ABORTS,
	[TCPC_STAT_CONN_RESETS] = TCPCRYPT_STATS_A_CONN_RESETS,
	[TCPC_STAT_CONN_CLOSED] = TCPCRYPT_STATS_A_CONN_CLOSED,
	[TCPC_STAT_CONN_EXPIRED] = TCPCRYPT_STATS_A_CONN_EXPIRED,
	[TCPC_STAT_CONN_TABLE_FULL] = TCPCRYPT_STATS_A_CONN_TABLE_FULL,
	[TCPC_STAT_INIT_REFUSED] = TCPCRYPT_STATS_A_INIT_REFUSED,
	[TCPC_STAT_FALLBACK_PEER_PLAIN] = TCPCRYPT_STATS_A_FALLBACK_PEER_PLAIN,
	[TCPC_STAT_SESSIONS_RESUMED] = TCPCRYPT_STATS_A_SESSIONS_RESUMED,
	[TCPC_STAT_PROBE_REKEYS] = TCPCRYPT_STATS_A_PROBE_REKEYS,
	[TCPC_STAT_PROBE_PLAIN] = TCPCRYPT_STATS_A_PROBE_PLAIN,
};

static int stats_fill(struct sk_buff *skb, struct tcpc_stats *stats)
{
	u64 val[TCPC_STAT_COUNT];
	struct nlattr *nest;
	int i;

	BUILD_BUG_ON(ARRAY_SIZE(stat_attr) != TCPC_STAT_COUNT);
	tcpc_stats_read(stats, val);
	nest = nla_nest_start(skb, TCPCRYPT_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < TCPC_STAT_COUNT; i++) {
		if (nla_put_u64_64bit(skb, stat_attr[i], val[i],
				      TCPCRYPT_STATS_A_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int daemon_fill(struct sk_buff *skb, struct tcpc_daemon_slot *slot)
{
	const struct tcpc_daemon *d;
	int err = -EMSGSIZE;

	rcu_read_lock();
	d = rcu_dereference(slot->cur);
	if (nla_put_u8(skb, TCPCRYPT_A_DAEMON_REGISTERED, !!d) ||
	    nla_put_u32(skb, TCPCRYPT_A_DIVERT_MARK, d ? d->divert_mark : 0))
		goto out_unlock;
	if (d &&
	    (nla_put_u32(skb, TCPCRYPT_A_DAEMON_PID, d->pid) ||
	     nla_put_u32(skb, TCPCRYPT_A_DAEMON_PORTID, d->portid) ||
	     nla_put(skb, TCPCRYPT_A_TEPS, d->n_teps, d->teps) ||
	     nla_put(skb, TCPCRYPT_A_AEADS, d->n_aeads * sizeof(d->aeads[0]),
		     d->aeads)))
		goto out_unlock;
	err = 0;
out_unlock:
	rcu_read_unlock();
	return err;
}

/* A reply to @info's request, with the genl header in place */
static struct sk_buff *reply_new(struct genl_info *info, u8 cmd, void **hdr)
{
	struct sk_buff *msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &tcpc_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int status_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct tcpc_net *tn = tcpc_net(net);
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = reply_new(info, TCPCRYPT_CMD_STATUS_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	err = -EMSGSIZE;
	if (nla_put_u32(msg, TCPCRYPT_A_NETNS_INO, net->ns.inum) ||
	    nla_put_string(msg, TCPCRYPT_A_VERSION, TCPC_VERSION))
		goto err_free;
	err = daemon_fill(msg, &tn->daemon);
	if (err)
		goto err_free;
	err = stats_fill(msg, &tn->stats);
	if (err)
		goto err_free;
	err = -EMSGSIZE;
	if (nla_put_u32(msg, TCPCRYPT_A_SESSIONS_CACHED,
			tcpc_resume_cache_count(&tn->resume)))
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

/* One TCPCRYPT_A_CONN nest describing @conn */
static int conn_fill(struct sk_buff *skb, struct tcpc_conn *conn)
{
	const struct tcpc_conn_key *key = &conn->key;
	int alen = key->family == AF_INET ? 4 : 16;
	struct tcpc_conn_info info;
	struct nlattr *nest;

	tcpc_conn_get_info(conn, &info);
	nest = nla_nest_start(skb, TCPCRYPT_A_CONN);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, TCPCRYPT_CONN_A_FAMILY, key->family) ||
	    nla_put(skb, TCPCRYPT_CONN_A_LOCAL_ADDR, alen, &key->laddr) ||
	    nla_put(skb, TCPCRYPT_CONN_A_REMOTE_ADDR, alen, &key->raddr) ||
	    nla_put_u16(skb, TCPCRYPT_CONN_A_LOCAL_PORT, ntohs(key->lport)) ||
	    nla_put_u16(skb, TCPCRYPT_CONN_A_REMOTE_PORT, ntohs(key->rport)) ||
	    nla_put_u8(skb, TCPCRYPT_CONN_A_ROLE, info.role) ||
	    nla_put_u8(skb, TCPCRYPT_CONN_A_TEP, info.tep) ||
	    nla_put_u16(skb, TCPCRYPT_CONN_A_AEAD, info.aead) ||
	    nla_put_u8(skb, TCPCRYPT_CONN_A_STATE, info.state) ||
	    nla_put_u64_64bit(skb, TCPCRYPT_CONN_A_BYTES_IN, info.bytes_in,
			      TCPCRYPT_CONN_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPCRYPT_CONN_A_BYTES_OUT, info.bytes_out,
			      TCPCRYPT_CONN_A_PAD) ||
	    (info.sessid_len &&
	     nla_put(skb, TCPCRYPT_CONN_A_SESSID, info.sessid_len,
		     info.sessid))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * A CONN nest as the table keys it: the 4-tuple of a connection, or with
 * @remote false the local end of a listener (the remote end zero).
 */
static int conn_key_parse(struct nlattr *nest, bool remote,
			  struct tcpc_conn_key *key,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCPCRYPT_CONN_A_MAX + 1];
	struct in6_addr l6 = { }, r6 = { };
	struct nlattr *laddr, *raddr;
	__be16 lport, rport = 0;
	int err, alen;
	u8 family;

	err = nla_parse_nested(tb, TCPCRYPT_CONN_A_MAX, nest, conn_key_policy,
			       extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, TCPCRYPT_CONN_A_FAMILY) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, TCPCRYPT_CONN_A_LOCAL_ADDR) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, TCPCRYPT_CONN_A_LOCAL_PORT) ||
	    (remote &&
	     (NL_REQ_ATTR_CHECK(extack, nest, tb, TCPCRYPT_CONN_A_REMOTE_ADDR) ||
	      NL_REQ_ATTR_CHECK(extack, nest, tb, TCPCRYPT_CONN_A_REMOTE_PORT)))) {
		if (remote)
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "connection needs family, both addresses and both ports");
		else
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "listener needs family, local address and port");
		return -EINVAL;
	}

	family = nla_get_u8(tb[TCPCRYPT_CONN_A_FAMILY]);
	if (family != AF_INET && family != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, tb[TCPCRYPT_CONN_A_FAMILY],
				    "family must be AF_INET or AF_INET6");
		return -EINVAL;
	}
	alen = family == AF_INET ? 4 : 16;
	laddr = tb[TCPCRYPT_CONN_A_LOCAL_ADDR];
	raddr = remote ? tb[TCPCRYPT_CONN_A_REMOTE_ADDR] : NULL;
	if (nla_len(laddr) != alen || (raddr && nla_len(raddr) != alen)) {
		NL_SET_ERR_MSG_ATTR(extack, nla_len(laddr) != alen ? laddr : raddr,
				    "address length does not match the family");
		return -EINVAL;
	}

	memcpy(&l6, nla_data(laddr), alen);
	if (raddr)
		memcpy(&r6, nla_data(raddr), alen);
	lport = htons(nla_get_u16(tb[TCPCRYPT_CONN_A_LOCAL_PORT]));
	if (remote)
		rport = htons(nla_get_u16(tb[TCPCRYPT_CONN_A_REMOTE_PORT]));
	if (family == AF_INET)
		tcpc_conn_key_v4(key, l6.s6_addr32[0], lport, r6.s6_addr32[0],
				 rport);
	else
		tcpc_conn_key_v6(key, &l6, lport, &r6, rport);
	return 0;
}

/* A connected socket: its connection, if tcpcrypt has one, applies it now */
static int sock_policy_conn(struct tcpc_net *tn, struct nlattr *nest,
			    u32 flags, u32 mask, struct netlink_ext_ack *extack)
{
	struct tcpc_conn_key key;
	struct tcpc_conn *conn;
	int err;

	err = conn_key_parse(nest, true, &key, extack);
	if (err)
		return err;
	/* no entry: plain TCP, which neither resumed nor cached anything */
	conn = tcpc_conn_lookup(&tn->conns, &key);
	if (conn) {
		tcpc_conn_resume_policy(conn, flags, mask);
		tcpc_conn_put(conn);
	}
	return 0;
}

static int sock_policy_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct tcpc_sock_policy_req req = { };
	struct nlattr **attrs = info->attrs;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, TCPCRYPT_A_SOCK_COOKIE) ||
	    GENL_REQ_ATTR_CHECK(info, TCPCRYPT_A_SOCK_KIND) ||
	    GENL_REQ_ATTR_CHECK(info, TCPCRYPT_A_SOCK_POLICY))
		return -EINVAL;
	req.cookie = nla_get_u64(attrs[TCPCRYPT_A_SOCK_COOKIE]);
	req.kind = nla_get_u8(attrs[TCPCRYPT_A_SOCK_KIND]);
	req.flags = nla_get_u32(attrs[TCPCRYPT_A_SOCK_POLICY]);
	req.mask = attrs[TCPCRYPT_A_SOCK_POLICY_MASK] ?
		   nla_get_u32(attrs[TCPCRYPT_A_SOCK_POLICY_MASK]) :
		   TCPCRYPT_SOCK_POLICY_ALL;
	if (req.kind != TCPCRYPT_SOCK_UNCONNECTED &&
	    GENL_REQ_ATTR_CHECK(info, TCPCRYPT_A_CONN))
		return -EINVAL;
	if (req.kind == TCPCRYPT_SOCK_CONNECTED)
		return sock_policy_conn(tcpc_net(net), attrs[TCPCRYPT_A_CONN],
					req.flags, req.mask, info->extack);
	if (req.kind == TCPCRYPT_SOCK_LISTENING) {
		struct tcpc_conn_key key;

		err = conn_key_parse(attrs[TCPCRYPT_A_CONN], false, &key,
				     info->extack);
		if (err)
			return err;
		req.family = key.family;
		req.laddr = key.laddr;
		req.lport = key.lport;
		if (attrs[TCPCRYPT_A_SOCK_IFINDEX])
			req.ifindex = nla_get_u32(attrs[TCPCRYPT_A_SOCK_IFINDEX]);
		if (req.ifindex < 0) {
			GENL_SET_ERR_MSG(info, "ifindex out of range");
			return -ERANGE;
		}
	}
	err = tcpc_sock_policy_set(net, &tcpc_net(net)->sock_policies, &req);
	if (err == -ENOSPC)
		GENL_SET_ERR_MSG(info, "too many sockets with a policy");
	return err;
}

static int conn_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpc_net *tn = tcpc_net(genl_info_net(info));
	struct tcpc_conn_key key;
	struct tcpc_conn *conn;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, TCPCRYPT_A_CONN)) {
		GENL_SET_ERR_MSG(info,
				 "give a connection, or ask for a dump of all");
		return -EINVAL;
	}
	err = conn_key_parse(info->attrs[TCPCRYPT_A_CONN], true, &key,
			     info->extack);
	if (err)
		return err;
	conn = tcpc_conn_lookup(&tn->conns, &key);
	if (!conn) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[TCPCRYPT_A_CONN],
				    "no such tcpcrypt connection");
		return -ENOENT;
	}

	err = -ENOMEM;
	msg = reply_new(info, TCPCRYPT_CMD_CONN_GET, &hdr);
	if (!msg)
		goto out_put;
	err = conn_fill(msg, conn);
	if (err) {
		nlmsg_free(msg);
		goto out_put;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out_put:
	tcpc_conn_put(conn);
	return err;
}

static int conn_dump_start(struct netlink_callback *cb)
{
	struct tcpc_net *tn = tcpc_net(sock_net(cb->skb->sk));
	struct rhashtable_iter *iter;

	iter = tcpc_conn_walk_enter(&tn->conns);
	if (!iter)
		return -ENOMEM;
	cb->args[0] = (long)iter;
	return 0;
}

static int conn_dump_done(struct netlink_callback *cb)
{
	tcpc_conn_walk_exit((struct rhashtable_iter *)cb->args[0]);
	return 0;
}

struct conn_dump_ctx {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int conn_dump_one(struct tcpc_conn *conn, void *arg)
{
	struct conn_dump_ctx *ctx = arg;
	void *hdr;

	hdr = genlmsg_put(ctx->skb, NETLINK_CB(ctx->cb->skb).portid,
			  ctx->cb->nlh->nlmsg_seq, &tcpc_genl_family,
			  NLM_F_MULTI, TCPCRYPT_CMD_CONN_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (conn_fill(ctx->skb, conn)) {
		genlmsg_cancel(ctx->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(ctx->skb, hdr);
	return 0;
}

static int conn_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct conn_dump_ctx ctx = { .skb = skb, .cb = cb };
	int err;

	err = tcpc_conn_walk((struct rhashtable_iter *)cb->args[0],
			     conn_dump_one, &ctx);
	/* A full skb goes out now; the walk resumes at the refused entry */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static const struct genl_ops tcpc_genl_ops[] = {
	{
		.cmd = TCPCRYPT_CMD_DAEMON_REGISTER,
		.doit = daemon_register_doit,
		.policy = register_policy,
		.maxattr = TCPCRYPT_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPCRYPT_CMD_DAEMON_UNREGISTER,
		.doit = daemon_unregister_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPCRYPT_CMD_STATUS_GET,
		.doit = status_get_doit,
	},
	{
		.cmd = TCPCRYPT_CMD_STATS_RESET,
		.doit = stats_reset_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPCRYPT_CMD_CONN_GET,
		.doit = conn_get_doit,
		.start = conn_dump_start,
		.dumpit = conn_dumpit,
		.done = conn_dump_done,
		.policy = conn_get_policy,
		.maxattr = TCPCRYPT_A_MAX,
	},
	{
		.cmd = TCPCRYPT_CMD_KEX_REPLY,
		.doit = tcpc_kex_reply_doit,
		.policy = tcpc_kex_reply_policy,
		.maxattr = TCPCRYPT_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPCRYPT_CMD_SESSIONS_FLUSH,
		.doit = sessions_flush_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPCRYPT_CMD_SOCK_POLICY_SET,
		.doit = sock_policy_set_doit,
		.policy = sock_policy_policy,
		.maxattr = TCPCRYPT_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

struct genl_family tcpc_genl_family __ro_after_init = {
	.name = TCPCRYPT_GENL_NAME,
	.version = TCPCRYPT_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = tcpc_genl_ops,
	.n_ops = ARRAY_SIZE(tcpc_genl_ops),
};

int __init tcpc_genl_init(void)
{
	return genl_register_family(&tcpc_genl_family);
}

void tcpc_genl_uninit(void)
{
	genl_unregister_family(&tcpc_genl_family);
}
