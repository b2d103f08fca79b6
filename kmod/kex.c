// SPDX-License-Identifier: GPL-2.0
/*
 * Key agreement requests to tcpcryptd and its replies. See kex.h.
 *
 * Locking: the request and reply bookkeeping lives in conn->kex under
 * conn->lock. peer_init and own_init are written once, under the lock,
 * before anything can read them, and freed with the connection. The data
 * path calls (tcpc_dp_send_init(), tcpc_dp_install_keys()) are made
 * without the lock, from the reply handler's process context.
 */
#include <linux/slab.h>
#include <net/genetlink.h>
#include "conn.h"
#include "conn_resume.h"
#include "genl.h"
#include "hmac_kernel.h"
#include "init_msg.h"
#include "kex.h"
#include "netns.h"
#include "session_keys.h"

static void kex_work(struct work_struct *work);

void tcpc_kex_init(struct tcpc_conn *conn)
{
	INIT_WORK(&conn->kex.work, kex_work);
}

/* The connection is being freed */
void tcpc_kex_release(struct tcpc_conn *conn)
{
	kfree_sensitive(conn->kex.peer_init);
	kfree_sensitive(conn->kex.own_init);
	conn->kex.peer_init = NULL;
	conn->kex.own_init = NULL;
}

/* No request is to be sent or answered any more; lock held */
void tcpc_kex_cancel(struct tcpc_conn *conn)
{
	lockdep_assert_held(&conn->lock);
	conn->kex.op_queued = 0;
	conn->kex.op_pending = 0;
}

/* Have the work item send request @op; lock held, any context */
void __tcpc_kex_queue(struct tcpc_conn *conn, u8 op)
{
	lockdep_assert_held(&conn->lock);
	conn->kex.op_queued = op;
	refcount_inc(&conn->refcnt);
	if (!queue_work(tcpc_wq, &conn->kex.work))
		refcount_dec(&conn->refcnt);
}

/* A's SYN-form option, then B's, exactly as they were on the wire */
static unsigned int kex_transcript(const struct tcpc_conn *conn, u8 *buf)
{
	const struct tcpc_eno_state *e = &conn->eno;
	const u8 *a = e->local_is_b ? e->peer : e->local;
	const u8 *b = e->local_is_b ? e->local : e->peer;
	u8 alen = e->local_is_b ? e->peer_len : e->local_len;
	u8 blen = e->local_is_b ? e->local_len : e->peer_len;

	memcpy(buf, a, alen);
	memcpy(buf + alen, b, blen);
	return alen + blen;
}

struct kex_request {
	u64 id;
	u8 op;
	u8 tep;
	u8 transcript[TCPCRYPT_MAX_TRANSCRIPT_LEN];
	unsigned int transcript_len;
	const u8 *init;		/* the peer's Init, or NULL */
	u32 init_len;
};

static struct sk_buff *kex_request_build(const struct kex_request *r)
{
	size_t size = nla_total_size_64bit(sizeof(u64)) +
		      2 * nla_total_size(sizeof(u8)) +
		      nla_total_size(r->transcript_len) +
		      (r->init ? nla_total_size(r->init_len) : 0);
	struct sk_buff *msg = genlmsg_new(size, GFP_KERNEL);
	void *hdr;

	if (!msg)
		return NULL;
	hdr = genlmsg_put(msg, 0, 0, &tcpc_genl_family, 0,
			  TCPCRYPT_CMD_KEX_REQUEST);
	if (!hdr ||
	    nla_put_u64_64bit(msg, TCPCRYPT_A_CONN_ID, r->id, TCPCRYPT_A_PAD) ||
	    nla_put_u8(msg, TCPCRYPT_A_KEX_OP, r->op) ||
	    nla_put_u8(msg, TCPCRYPT_A_TEP, r->tep) ||
	    nla_put(msg, TCPCRYPT_A_TRANSCRIPT, r->transcript_len,
		    r->transcript) ||
	    (r->init &&
	     nla_put(msg, TCPCRYPT_A_INIT_MSG, r->init_len, r->init))) {
		nlmsg_free(msg);
		return NULL;
	}
	genlmsg_end(msg, hdr);
	return msg;
}

/*
 * Takes the queued request, marks it pending, and fills @r; lock held.
 * Return: the daemon's port, 0 when nothing is to be sent, or a negative
 * errno when the connection must be aborted.
 */
static long kex_request_take(struct tcpc_conn *conn, struct kex_request *r)
{
	u32 portid = tcpc_daemon_portid(conn->tn);
	u8 op = conn->kex.op_queued;

	conn->kex.op_queued = 0;
	if (!op || conn->dead || conn->state != TCPCRYPT_CONN_KEY_EXCHANGE)
		return 0;
	/* Only the daemon that started the exchange holds its secrets */
	if (!portid || (conn->kex.portid && conn->kex.portid != portid))
		return -ESRCH;
	conn->kex.portid = portid;
	conn->kex.op_pending = op;
	conn->kex.reply_deadline = jiffies + TCPC_KEX_REPLY_TIMEOUT;
	__tcpc_conn_timer_kick(conn, conn->kex.reply_deadline);

	r->id = conn->id;
	r->op = op;
	r->tep = conn->eno.tep;
	r->transcript_len = kex_transcript(conn, r->transcript);
	r->init = op == TCPCRYPT_KEX_INIT1_NEEDED ? NULL : conn->kex.peer_init;
	r->init_len = conn->kex.peer_init_len;
	return portid;
}

static void kex_work(struct work_struct *work)
{
	struct tcpc_conn *conn = container_of(work, struct tcpc_conn,
					      kex.work);
	struct tcpc_net *tn = conn->tn;
	struct kex_request r;
	struct sk_buff *msg;
	long portid;
	int err;

	spin_lock_bh(&conn->lock);
	portid = kex_request_take(conn, &r);
	spin_unlock_bh(&conn->lock);
	if (!portid)
		goto out_put;
	if (portid < 0) {
		tcpc_stats_inc(&tn->stats, TCPC_STAT_KEX_FAILURES);
		tcpc_conn_abort(conn, -portid);
		goto out_put;
	}

	msg = kex_request_build(&r);
	memzero_explicit(r.transcript, sizeof(r.transcript));
	err = msg ? genlmsg_unicast(tn->net, msg, portid) : -ENOMEM;
	if (err) {
		tcpc_stats_inc(&tn->stats, TCPC_STAT_KEX_FAILURES);
		tcpc_conn_abort(conn, -err);
	} else {
		tcpc_stats_inc(&tn->stats, TCPC_STAT_KEX_REQUESTS);
	}
out_put:
	tcpc_conn_put(conn);
}

/**
 * tcpc_kex_peer_init() - the data path received the peer's Init message
 * @conn: the connection
 * @msg: the whole message (B: Init1, A: Init2), copied here
 * @len: its length
 *
 * Any context but hard irq. A second Init, an Init2 before our Init1 was
 * sent, or one too long aborts the connection.
 */
void tcpc_kex_peer_init(struct tcpc_conn *conn, const u8 *msg, u32 len)
{
	u8 *copy = NULL;
	int err = 0;

	if (!len || len > TCPCRYPT_MAX_INIT_LEN) {
		err = EMSGSIZE;
		goto abort;
	}
	copy = kmemdup(msg, len, GFP_ATOMIC);
	if (!copy) {
		err = ENOMEM;
		goto abort;
	}
	spin_lock_bh(&conn->lock);
	if (conn->dead || conn->state != TCPCRYPT_CONN_KEY_EXCHANGE) {
		spin_unlock_bh(&conn->lock);
		kfree_sensitive(copy);
		return;
	}
	if (conn->kex.peer_init ||
	    (!conn->eno.local_is_b && !conn->kex.own_init)) {
		spin_unlock_bh(&conn->lock);
		kfree_sensitive(copy);
		err = EPROTO;
		goto abort;
	}
	conn->kex.peer_init = copy;
	conn->kex.peer_init_len = len;
	__tcpc_kex_queue(conn, conn->eno.local_is_b ?
			 TCPCRYPT_KEX_INIT1_RECEIVED :
			 TCPCRYPT_KEX_INIT2_RECEIVED);
	spin_unlock_bh(&conn->lock);
	return;

abort:
	tcpc_conn_abort(conn, err);
}

static void kex_daemon_gone_one(struct tcpc_conn *conn, void *arg)
{
	u32 portid = *(u32 *)arg;
	bool abort;

	spin_lock_bh(&conn->lock);
	abort = conn->state == TCPCRYPT_CONN_KEY_EXCHANGE &&
		conn->kex.portid == portid;
	spin_unlock_bh(&conn->lock);
	if (abort) {
		tcpc_stats_inc(&conn->tn->stats, TCPC_STAT_KEX_FAILURES);
		tcpc_conn_abort(conn, ESRCH);
	}
}

/*
 * The daemon on @portid is gone (process context): the exchanges it
 * started cannot finish, its key pairs died with it. Established
 * connections do not need it and carry on.
 */
void tcpc_kex_daemon_gone(struct tcpc_net *tn, u32 portid)
{
	tcpc_conn_for_each(&tn->conns, kex_daemon_gone_one, &portid);
}

const struct nla_policy tcpc_kex_reply_policy[TCPCRYPT_A_MAX + 1] = {
	[TCPCRYPT_A_CONN_ID] = NLA_POLICY_MIN(NLA_U64, 1),
	[TCPCRYPT_A_INIT_MSG] = NLA_POLICY_RANGE(NLA_BINARY, TCPC_INIT_HDR_LEN,
						 TCPCRYPT_MAX_INIT_LEN),
	[TCPCRYPT_A_PRK] = NLA_POLICY_EXACT_LEN(TCPCRYPT_PRK_LEN),
	[TCPCRYPT_A_AEAD] = { .type = NLA_U16 },
	[TCPCRYPT_A_KEX_ERROR] = NLA_POLICY_RANGE(NLA_U32, 1, MAX_ERRNO),
};

/* Which attributes a reply to each request must carry */
static int kex_reply_shape(struct genl_info *info, u8 op)
{
	struct nlattr **tb = info->attrs;
	bool init = tb[TCPCRYPT_A_INIT_MSG];
	bool keys = tb[TCPCRYPT_A_PRK] && tb[TCPCRYPT_A_AEAD];
	bool some_keys = tb[TCPCRYPT_A_PRK] || tb[TCPCRYPT_A_AEAD];

	switch (op) {
	case TCPCRYPT_KEX_INIT1_NEEDED:
		if (init && !some_keys)
			return 0;
		GENL_SET_ERR_MSG(info,
				 "an INIT1_NEEDED reply carries the Init1 message only");
		return -EINVAL;
	case TCPCRYPT_KEX_INIT1_RECEIVED:
		if (init && keys)
			return 0;
		GENL_SET_ERR_MSG(info,
				 "an INIT1_RECEIVED reply carries Init2, the PRK and the AEAD");
		return -EINVAL;
	default:
		if (!init && keys)
			return 0;
		GENL_SET_ERR_MSG(info,
				 "an INIT2_RECEIVED reply carries the PRK and the AEAD only");
		return -EINVAL;
	}
}

/* An Init message for @tep, complete, ending where its message_len says */
static bool kex_init1_valid(const u8 *msg, u32 len, u8 tep,
			    struct tcpc_init1 *m)
{
	return msg && !tcpc_init1_decode(msg, len, tep, m) &&
	       m->msg_len == len && m->nciphers;
}

static bool kex_init2_valid(const u8 *msg, u32 len, u8 tep,
			    struct tcpc_init2 *m)
{
	return msg && !tcpc_init2_decode(msg, len, tep, m) &&
	       m->msg_len == len;
}

/*
 * The AEAD the daemon chose must be one it announced, one A offered in
 * Init1, and the one Init2 names (RFC 8548 section 3.3: A MUST abort on
 * an AEAD it did not offer).
 */
static int kex_check_aead(struct tcpc_conn *conn, struct genl_info *info,
			  u16 aead, const u8 *init2, u32 init2_len)
{
	const u8 *init1 = conn->eno.local_is_b ? conn->kex.peer_init :
						 conn->kex.own_init;
	u32 init1_len = conn->eno.local_is_b ? conn->kex.peer_init_len :
					       conn->kex.own_init_len;
	struct tcpc_init1 m1;
	struct tcpc_init2 m2;

	if (!tcpc_daemon_has_aead(conn->tn, aead)) {
		GENL_SET_ERR_MSG(info, "AEAD not announced by the daemon");
		return -EINVAL;
	}
	if (!kex_init1_valid(init1, init1_len, conn->eno.tep, &m1) ||
	    !kex_init2_valid(init2, init2_len, conn->eno.tep, &m2)) {
		GENL_SET_ERR_MSG(info, "Init message malformed");
		return -EBADMSG;
	}
	if (m2.cipher != aead || !tcpc_init2_cipher_ok(&m1, &m2)) {
		GENL_SET_ERR_MSG(info, "AEAD not offered in Init1 or not the one of Init2");
		return -EINVAL;
	}
	return 0;
}

/* Keys from the PRK, to the data path; the connection is ENCRYPTING */
static int kex_install(struct tcpc_conn *conn, struct genl_info *info,
		       u16 aead)
{
	struct tcpc_session_keys *keys;
	u8 *prk = nla_data(info->attrs[TCPCRYPT_A_PRK]);
	int err;

	keys = kmalloc(sizeof(*keys), GFP_KERNEL);
	if (!keys)
		return -ENOMEM;
	err = tcpc_session_keys_derive(&tcpc_hmac_kernel, prk, aead,
				       conn->eno.sessid_tep,
				       conn->eno.local_is_b, keys);
	if (!err)
		err = tcpc_dp_install_keys(conn, aead, keys->k_local,
					   keys->k_peer, keys->tk_len,
					   keys->mk);
	if (err)
		GENL_SET_ERR_MSG(info, "cannot install the session keys");
	else if (tcpc_conn_encrypting(conn, aead, keys->sessid))
		/* ss[1], for a later connection to resume */
		tcpc_conn_resume_cache(conn, prk, conn->eno.local_is_b, aead);
	kfree_sensitive(keys);
	return err;
}

/* A: Init1 from the daemon, to be sent at wire offset 0 */
static int kex_send_init1(struct tcpc_conn *conn, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[TCPCRYPT_A_INIT_MSG];
	u32 len = nla_len(attr);
	struct tcpc_init1 m;
	u8 *copy;

	if (!kex_init1_valid(nla_data(attr), len, conn->eno.tep, &m)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "not an Init1 message for the negotiated TEP");
		return -EBADMSG;
	}
	copy = kmemdup(nla_data(attr), len, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	/* Recorded before it is sent: Init2 may come back at once */
	spin_lock_bh(&conn->lock);
	conn->kex.own_init = copy;
	conn->kex.own_init_len = len;
	spin_unlock_bh(&conn->lock);
	return tcpc_dp_send_init(conn, copy, len);
}

/* B: Init2 goes out, then the keys, so frames follow Init2 */
static int kex_finish_b(struct tcpc_conn *conn, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[TCPCRYPT_A_INIT_MSG];
	u16 aead = nla_get_u16(info->attrs[TCPCRYPT_A_AEAD]);
	int err;

	err = kex_check_aead(conn, info, aead, nla_data(attr), nla_len(attr));
	if (!err)
		err = tcpc_dp_send_init(conn, nla_data(attr), nla_len(attr));
	if (!err)
		err = kex_install(conn, info, aead);
	return err;
}

/* A: Init2 came in; the keys let held data go out as frames */
static int kex_finish_a(struct tcpc_conn *conn, struct genl_info *info)
{
	u16 aead = nla_get_u16(info->attrs[TCPCRYPT_A_AEAD]);
	int err;

	err = kex_check_aead(conn, info, aead, conn->kex.peer_init,
			     conn->kex.peer_init_len);
	if (!err)
		err = kex_install(conn, info, aead);
	return err;
}

/*
 * Claims the pending request of @conn for this reply; returns its op, or
 * a negative errno when the reply answers nothing.
 */
static int kex_reply_claim(struct tcpc_conn *conn, struct genl_info *info)
{
	int op;

	spin_lock_bh(&conn->lock);
	if (conn->dead || conn->state != TCPCRYPT_CONN_KEY_EXCHANGE ||
	    !conn->kex.op_pending) {
		op = -ENOENT;
		GENL_SET_ERR_MSG(info,
				 "connection is not waiting for key agreement");
	} else if (conn->kex.portid != info->snd_portid) {
		op = -EPERM;
		GENL_SET_ERR_MSG(info,
				 "connection is served by another daemon");
	} else {
		op = conn->kex.op_pending;
		conn->kex.op_pending = 0;
	}
	spin_unlock_bh(&conn->lock);
	return op;
}

static int kex_reply(struct tcpc_conn *conn, struct genl_info *info)
{
	int op, err;

	op = kex_reply_claim(conn, info);
	if (op < 0)
		return op;
	if (info->attrs[TCPCRYPT_A_KEX_ERROR]) {
		err = nla_get_u32(info->attrs[TCPCRYPT_A_KEX_ERROR]);
		tcpc_stats_inc(&conn->tn->stats, TCPC_STAT_KEX_FAILURES);
		tcpc_conn_abort(conn, err);
		return 0;
	}

	err = kex_reply_shape(info, op);
	if (!err) {
		if (op == TCPCRYPT_KEX_INIT1_NEEDED)
			err = kex_send_init1(conn, info);
		else if (op == TCPCRYPT_KEX_INIT1_RECEIVED)
			err = kex_finish_b(conn, info);
		else
			err = kex_finish_a(conn, info);
	}
	if (err) {
		tcpc_stats_inc(&conn->tn->stats, TCPC_STAT_KEX_FAILURES);
		tcpc_conn_abort(conn, -err);
	}
	return err;
}

/**
 * tcpc_kex_reply_doit() - TCPCRYPT_CMD_KEX_REPLY from the daemon
 * @skb: the request
 * @info: its attributes (tcpc_kex_reply_policy)
 *
 * Only the registered daemon may answer, and only a request it was sent.
 * Whatever the outcome, the PRK in the request is wiped.
 *
 * Return: 0; -EPERM from another socket; -ENOENT for an unknown id or a
 * connection not waiting; -EINVAL or -EBADMSG for a reply that does not
 * fit the request (the connection is then aborted).
 */
int tcpc_kex_reply_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpc_net *tn = tcpc_net(genl_info_net(info));
	struct nlattr *prk = info->attrs[TCPCRYPT_A_PRK];
	struct tcpc_conn *conn;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, TCPCRYPT_A_CONN_ID)) {
		err = -EINVAL;
		goto out_wipe;
	}
	if (tcpc_daemon_portid(tn) != info->snd_portid) {
		GENL_SET_ERR_MSG(info, "only the registered tcpcryptd may reply");
		err = -EPERM;
		goto out_wipe;
	}
	conn = tcpc_conn_lookup_id(&tn->conns,
				   nla_get_u64(info->attrs[TCPCRYPT_A_CONN_ID]));
	if (!conn) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[TCPCRYPT_A_CONN_ID],
				    "no connection with this id");
		err = -ENOENT;
		goto out_wipe;
	}
	err = kex_reply(conn, info);
	tcpc_conn_put(conn);
out_wipe:
	if (prk)
		memzero_explicit(nla_data(prk), nla_len(prk));
	return err;
}
