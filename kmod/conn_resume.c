// SPDX-License-Identifier: GPL-2.0
/*
 * Session resumption of a connection (RFC 8548 section 3.5), between the
 * ENO handshake (eno_hook.c), the namespace's session cache and the data
 * path. The module resumes on its own: no daemon round trip, no Init
 * messages, frames from byte 0 of each stream.
 *
 * Offering takes the cached secret out of the cache, so it is tried once
 * only; a handshake that resumes it caches its successor, and every
 * session with fresh keys caches ss[1] (tcpc_conn_resume_cache()).
 */
#include <linux/random.h>
#include <linux/slab.h>
#include "conn.h"
#include "conn_resume.h"
#include "dp.h"
#include "hmac_kernel.h"
#include "netns.h"

static void conn_resume_work(struct work_struct *work);

void tcpc_conn_resume_init(struct tcpc_conn *conn)
{
	INIT_WORK(&conn->res_work, conn_resume_work);
}

/* The cached TEP and AEAD must still be ones the daemon allows */
static bool resume_allowed(struct tcpc_net *tn,
			   const struct tcpc_daemon_view *dv,
			   const struct tcpc_resume_secret *s)
{
	int i;

	for (i = 0; i < dv->n_teps; i++)
		if (dv->teps[i] == s->tep)
			return tcpc_daemon_has_aead(tn, s->aead);
	return false;
}

/* The secret taken: still allowed? Then our suboption, with a new nonce */
static bool resume_prepare(struct tcpc_net *tn,
			   const struct tcpc_daemon_view *dv,
			   struct tcpc_conn_resume *r, struct tcpc_eno_sub *sub)
{
	u8 nonce[TCPC_RESUME_NONCE_MAX];

	if (!resume_allowed(tn, dv, &r->sec)) {
		memzero_explicit(&r->sec, sizeof(r->sec));
		return false;
	}
	get_random_bytes(nonce, sizeof(nonce));
	tcpc_resume_sub(&r->sec, nonce, r->own, sub);
	r->offered = true;
	return true;
}

/**
 * tcpc_conn_resume_offer() - A: a resumption suboption for our SYN
 * @tn: the namespace
 * @key: the connection's 4-tuple (the peer's address picks the secret)
 * @dv: the daemon's policy
 * @r: receives the secret, taken from the cache, and our suboption data
 * @sub: receives the suboption
 *
 * Return: true if there is one to offer.
 */
bool tcpc_conn_resume_offer(struct tcpc_net *tn,
			    const struct tcpc_conn_key *key,
			    const struct tcpc_daemon_view *dv,
			    struct tcpc_conn_resume *r, struct tcpc_eno_sub *sub)
{
	return tcpc_resume_take_peer(&tn->resume, key->family, &key->raddr,
				     &r->sec) &&
	       resume_prepare(tn, dv, r, sub);
}

/**
 * tcpc_conn_resume_answer() - B: resume the session A's SYN offers?
 * @tn: the namespace
 * @peer: A's SYN-form option
 * @dv: the daemon's policy
 * @r: receives the secret, taken from the cache, and our suboption data
 * @sub: receives our suboption: the same TEP, our half, our nonce
 *
 * Only the first resumption suboption of A counts (RFC 8548 3.2: A sends
 * at most one); a half matching no cached secret gets a fresh exchange.
 *
 * Return: true if B resumes.
 */
bool tcpc_conn_resume_answer(struct tcpc_net *tn,
			     const struct tcpc_eno_syn *peer,
			     const struct tcpc_daemon_view *dv,
			     struct tcpc_conn_resume *r,
			     struct tcpc_eno_sub *sub)
{
	struct tcpc_eno_sub a = { };
	int i;

	for (i = 0; i < peer->nteps; i++) {
		const struct tcpc_eno_tep *t = &peer->teps[i];

		if (t->v && t->len >= TCPC_ENO_RESUME_MIN_DATA) {
			a.id = t->id;
			a.v = 1;
			a.data = tcpc_eno_tep_data(peer, t);
			a.len = t->len;
			break;
		}
	}
	if (!a.v || !tcpc_resume_take_sub(&tn->resume, &a, &r->sec))
		return false;
	r->passive = true;
	return resume_prepare(tn, dv, r, sub);
}

/**
 * tcpc_conn_resume_valid() - ENO policy: may this TEP be negotiated?
 * @priv: the connection's struct tcpc_conn_resume, or NULL
 * @a: A's suboption for the TEP
 * @b: B's
 *
 * B answering with v = 1 resumes: only the secret this connection holds,
 * on both sides; a half that does not match makes the TEP invalid
 * (RFC 8548 3.5, "MUST ignore that suboption").
 */
bool tcpc_conn_resume_valid(void *priv, const struct tcpc_eno_sub *a,
			    const struct tcpc_eno_sub *b)
{
	const struct tcpc_conn_resume *r = priv;

	if (!b->v)
		return true;
	if (!r || !r->offered || !a->v)
		return false;
	return tcpc_resume_sub_matches(&r->sec, r->passive ? a : b);
}

/**
 * tcpc_conn_resume_chosen() - the negotiation chose resumption
 * @r: the connection's resumption state
 * @peer: the peer's suboption for the negotiated TEP
 */
void tcpc_conn_resume_chosen(struct tcpc_conn_resume *r,
			     const struct tcpc_eno_sub *peer)
{
	memcpy(r->peer, peer->data, peer->len);
	r->peer_len = peer->len;
	r->resumed = true;
}

/**
 * tcpc_conn_resume_cache() - cache the successor of a session's secret
 * @conn: the connection whose keys were just installed
 * @used: the secret they came from: the PRK, or the resumed ss[i]
 * @orig_b: our role in the original session of the chain
 * @aead: the session's AEAD
 *
 * Context: any.
 */
void tcpc_conn_resume_cache(struct tcpc_conn *conn, const u8 *used,
			    bool orig_b, u16 aead)
{
	struct tcpc_resume_secret next;

	if (!READ_ONCE(tcpc_resume_enabled))
		return;
	if (tcpc_resume_next(&tcpc_hmac_kernel, used, conn->eno.tep, aead,
			     orig_b, &next))
		return;
	/* under the lock: a no-cache policy set meanwhile wins either way */
	spin_lock_bh(&conn->lock);
	if (!(conn->sock_policy & TCPCRYPT_SOCK_NO_CACHE)) {
		tcpc_resume_store(&conn->tn->resume, conn->key.family,
				  &conn->key.raddr, &next);
		conn->res_cached_rid = next.rid;
		conn->res_cached = true;
	}
	spin_unlock_bh(&conn->lock);
	memzero_explicit(&next, sizeof(next));
}

/**
 * tcpc_conn_resume_policy() - a connected socket's policy, applied now
 * @conn: its connection
 * @flags: TCPCRYPT_SOCK_* flags to set
 * @mask: the flags to change
 *
 * With TCPCRYPT_SOCK_NO_CACHE, the secret this connection cached goes
 * (if no later session with the peer replaced it), and none is cached
 * later. The secret it resumed from left the cache when it was offered
 * or answered: no cache state it used is left.
 *
 * Return: true if a cached secret was dropped.
 */
bool tcpc_conn_resume_policy(struct tcpc_conn *conn, u32 flags, u32 mask)
{
	bool dropped = false;

	spin_lock_bh(&conn->lock);
	conn->sock_policy = (conn->sock_policy & ~mask) | (flags & mask);
	if ((conn->sock_policy & TCPCRYPT_SOCK_NO_CACHE) && conn->res_cached) {
		dropped = tcpc_resume_forget(&conn->tn->resume,
					     conn->key.family,
					     &conn->key.raddr,
					     &conn->res_cached_rid);
		conn->res_cached = false;
	}
	spin_unlock_bh(&conn->lock);
	return dropped;
}

/* Lock held: the keys are derived and installed from process context */
void __tcpc_conn_resume_start(struct tcpc_conn *conn)
{
	lockdep_assert_held(&conn->lock);
	refcount_inc(&conn->refcnt);
	if (!queue_work(tcpc_wq, &conn->res_work))
		refcount_dec(&conn->refcnt);
}

static int conn_resume_install(struct tcpc_conn *conn)
{
	struct tcpc_conn_resume *r = &conn->res;
	struct tcpc_eno_sub peer = {
		.id = r->sec.tep, .v = 1, .data = r->peer, .len = r->peer_len,
	};
	struct tcpc_session_keys *keys;
	int err;

	keys = kmalloc(sizeof(*keys), GFP_KERNEL);
	if (!keys)
		return -ENOMEM;
	err = tcpc_resume_keys(&tcpc_hmac_kernel, &r->sec,
			       r->own + TCPC_RESUME_HALF_LEN, &peer,
			       conn->eno.sessid_tep, keys);
	if (!err)
		err = tcpc_dp_install_keys(conn, r->sec.aead, keys->k_local,
					   keys->k_peer, keys->tk_len,
					   keys->mk);
	if (!err && tcpc_conn_encrypting(conn, r->sec.aead, keys->sessid)) {
		tcpc_stats_inc(&conn->tn->stats, TCPC_STAT_SESSIONS_RESUMED);
		tcpc_conn_resume_cache(conn, r->sec.ss, r->sec.orig_b,
				       r->sec.aead);
	}
	kfree_sensitive(keys);
	/* ss[i] protected this connection: it is never used again */
	memzero_explicit(&r->sec, sizeof(r->sec));
	return err;
}

static void conn_resume_work(struct work_struct *work)
{
	struct tcpc_conn *conn = container_of(work, struct tcpc_conn,
					      res_work);
	int err;

	if (!READ_ONCE(conn->dead)) {
		err = conn_resume_install(conn);
		if (err)
			tcpc_conn_abort(conn, err);
	}
	tcpc_conn_put(conn);
}
