// SPDX-License-Identifier: GPL-2.0
/*
 * Rekeying in the data path (RFC 8548 section 3.8): the key sets of the
 * generations in use, the next one built ahead of its use, the frame with
 * rekey = 1 owed to a peer that started a generation, and the limit after
 * which we start one ourselves. The generation bookkeeping itself is the
 * protocol core's (proto/rekey.h).
 *
 * Allocating an AEAD transform may sleep and the packet path runs in
 * softirq, so a work item builds generation ready + 1 (both directions,
 * from mk[ready + 1] = CPRF(mk[ready], CONST_REKEY, 32)) as soon as the
 * previous one is taken into use, and frees the key sets no frame can
 * need any more; the packet path only switches between sets that exist.
 * Retransmissions resend the wire bytes kept from the first sealing, so
 * an old generation's sealing key is never needed again, and its opening
 * key only while the peer's frames under it may be decrypted again for
 * redelivery to the local TCP.
 */
#include <crypto/algapi.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include "conn.h"
#include "dp_priv.h"
#include "hmac_kernel.h"
#include "kdf.h"
#include "netns.h"

/*
 * Data bytes sealed under one generation before we start the next. Our
 * frames hold at most a page, so 4 GiB is about 2^20 frames per key: far
 * below the AEADs' limits (AES-GCM's 2^32 invocations of one key; TLS 1.3
 * stops at 2^24.5 records of 16 KiB), while the cost of a rekey (five
 * HMACs, two transforms) stays negligible. 0 never starts one (the peer's
 * rekeys are answered all the same). Read at each new frame: a change
 * applies to running connections.
 */
static unsigned long long rekey_bytes = 1ULL << 32;
module_param(rekey_bytes, ullong, 0644);
MODULE_PARM_DESC(rekey_bytes,
		 "Start a new key generation after sealing this many bytes (0: never; default 4 GiB)");

u64 dp_rekey_limit(void)
{
	return READ_ONCE(rekey_bytes);
}

static void dp_keyset_free(struct dp_keyset *set)
{
	if (!set)
		return;
	tcpc_frame_key_destroy(&set->local);
	tcpc_frame_key_destroy(&set->peer);
	kfree_sensitive(set);
}

/*
 * Key set @gen from mk[gen - 1] in @mk, which becomes mk[gen]. @mk is
 * the caller's copy: on failure it holds garbage to wipe.
 */
static struct dp_keyset *dp_keyset_derive(u32 gen, u16 aead, bool local_ab,
					  u8 mk[32])
{
	const struct tcpc_aead_desc *desc = tcpc_aead_find(aead);
	const struct tcpc_hmac *hmac = &tcpc_hmac_kernel;
	struct tcpc_traffic_key tk;
	struct dp_keyset *set;
	int err;

	set = kzalloc(sizeof(*set), GFP_KERNEL);
	if (!set)
		return NULL;
	set->gen = gen;
	err = tcpc_kdf_next_mk(hmac, mk, mk);
	if (!err)
		err = tcpc_kdf_traffic_key(hmac, mk, local_ab ? TCPC_KEY_AB :
							      TCPC_KEY_BA,
					   desc, &tk);
	if (!err)
		err = tcpc_frame_key_init_tk(&set->local, aead, &tk);
	if (!err)
		err = tcpc_kdf_traffic_key(hmac, mk, local_ab ? TCPC_KEY_BA :
							      TCPC_KEY_AB,
					   desc, &tk);
	if (!err)
		err = tcpc_frame_key_init_tk(&set->peer, aead, &tk);
	memzero_explicit(&tk, sizeof(tk));
	if (err) {
		dp_keyset_free(set);
		return NULL;
	}
	return set;
}

/*
 * Which direction is ours: the generation-0 key we seal with is k_ab[0]
 * (we were A in the original session) or k_ba[0]. Later generations
 * follow the same direction; the caller knows only the keys.
 */
static int dp_keys_direction(u16 aead, const u8 *k_local, const u8 *k_peer,
			     unsigned int tk_len, const u8 mk[32],
			     bool *local_ab)
{
	const struct tcpc_aead_desc *desc = tcpc_aead_find(aead);
	struct tcpc_traffic_key tk;
	u8 ab[TCPC_TRAFFIC_KEY_MAX];
	int err;

	if (!desc || tk_len != tcpc_aead_traffic_key_len(desc))
		return -EINVAL;
	err = tcpc_kdf_traffic_key(&tcpc_hmac_kernel, mk, TCPC_KEY_AB, desc,
				   &tk);
	if (err)
		return err;
	memcpy(ab, tk.key, tk.key_len);
	memcpy(ab + tk.key_len, tk.nr, tk.nonce_len);
	memzero_explicit(&tk, sizeof(tk));
	if (!crypto_memneq(ab, k_local, tk_len))
		*local_ab = true;
	else if (!crypto_memneq(ab, k_peer, tk_len))
		*local_ab = false;
	else
		err = -EINVAL;	/* the keys do not come from this mk */
	memzero_explicit(ab, sizeof(ab));
	return err;
}

/**
 * dp_keys_create() - the key sets of a connection, generation 0 installed
 * @aead: the negotiated AEAD
 * @k_local: traffic key we seal with, generation 0 (K | NR)
 * @k_peer: traffic key the peer seals with, generation 0
 * @tk_len: length of each
 * @mk: mk[0]
 *
 * Context: process context (allocates transforms).
 *
 * Return: the keys, or an ERR_PTR: -EINVAL (bad AEAD, lengths, or keys
 * that do not derive from @mk), -ENOMEM or the crypto API's error.
 */
struct tcpc_dp_keys *dp_keys_create(u16 aead, const u8 *k_local,
				    const u8 *k_peer, unsigned int tk_len,
				    const u8 mk[32])
{
	struct tcpc_dp_keys *keys;
	struct dp_keyset *set;
	int err;

	keys = kzalloc(sizeof(*keys), GFP_KERNEL);
	set = kzalloc(sizeof(*set), GFP_KERNEL);
	if (!keys || !set) {
		err = -ENOMEM;
		goto err_free;
	}
	err = dp_keys_direction(aead, k_local, k_peer, tk_len, mk,
				&keys->local_ab);
	if (!err)
		err = tcpc_frame_key_init(&set->local, aead, k_local, tk_len);
	if (!err)
		err = tcpc_frame_key_init(&set->peer, aead, k_peer, tk_len);
	if (err)
		goto err_free;
	keys->aead = aead;
	memcpy(keys->mk, mk, sizeof(keys->mk));
	tcpc_rekey_init(&keys->rk);
	keys->set[tcpc_rekey_slot(0)] = set;
	return keys;

err_free:
	dp_keyset_free(set);
	kfree(keys);
	return ERR_PTR(err);
}

/* Every key set and mk; any context */
void dp_keys_free(struct tcpc_dp_keys *keys)
{
	u32 i;

	if (!keys)
		return;
	for (i = 0; i < TCPC_REKEY_GENS; i++)
		dp_keyset_free(keys->set[i]);
	kfree_sensitive(keys);
}

/*
 * Free the key sets no longer needed. An asynchronous seal or open may
 * still use an old key: the next kick frees it (the connection's end frees
 * the rest).
 */
static void dp_rekey_free_unneeded(struct tcpc_dp *dp)
{
	struct dp_keyset *old[TCPC_REKEY_GENS];
	struct tcpc_frame_key sealing[TCPC_REKEY_GENS];
	struct tcpc_dp_keys *keys;
	u32 i, n = 0, ns = 0;

	spin_lock_bh(&dp->lock);
	keys = dp->keys;
	for (i = 0; keys && !dp->dead && !dp->aborted &&
		    i < TCPC_REKEY_GENS && !dp->tx_inflight && !dp->rx_busy;
	     i++) {
		struct dp_keyset *s = keys->set[i];

		if (s && !tcpc_rekey_needed(&keys->rk, s->gen)) {
			old[n++] = s;
			keys->set[i] = NULL;
		} else if (s && s->gen < keys->rk.local && s->local.tfm) {
			/* nothing is sealed under it again */
			sealing[ns++] = s->local;
			memset(&s->local, 0, sizeof(s->local));
		}
	}
	spin_unlock_bh(&dp->lock);
	while (n)
		dp_keyset_free(old[--n]);
	while (ns)
		tcpc_frame_key_destroy(&sealing[--ns]);
}

/*
 * Build the next generation's key set, if one is due and its slot is
 * free. The lock is dropped while building: the packet path keeps using
 * what exists meanwhile. Returns whether a set was installed.
 */
static bool dp_rekey_build_next(struct tcpc_dp *dp)
{
	struct dp_keyset *set = NULL;
	struct tcpc_dp_keys *keys;
	bool want = false, local_ab = false, installed = false;
	u32 gen = 0;
	u16 aead = 0;
	u8 mk[32];

	spin_lock_bh(&dp->lock);
	keys = dp->keys;
	if (keys && !dp->dead && !dp->aborted) {
		want = tcpc_rekey_want(&keys->rk, &gen);
		memcpy(mk, keys->mk, sizeof(mk));
		aead = keys->aead;
		local_ab = keys->local_ab;
	}
	spin_unlock_bh(&dp->lock);

	if (want)
		set = dp_keyset_derive(gen, aead, local_ab, mk);
	if (set) {
		spin_lock_bh(&dp->lock);
		if (!dp->dead && !dp->aborted &&
		    !keys->set[tcpc_rekey_slot(gen)] &&
		    !tcpc_rekey_prepared(&keys->rk, gen)) {
			keys->set[tcpc_rekey_slot(gen)] = set;
			memcpy(keys->mk, mk, sizeof(keys->mk));
			set = NULL;
			installed = true;
		}
		spin_unlock_bh(&dp->lock);
		dp_keyset_free(set);
	}
	memzero_explicit(mk, sizeof(mk));
	return installed;
}

/**
 * dp_rekey_kick() - have the work item free and prepare key sets
 * @dp: the data path; the caller holds a reference to its connection
 *
 * The pending work item holds a reference of its own.
 *
 * Context: any but hard irq; dp.lock may be held.
 */
void dp_rekey_kick(struct tcpc_dp *dp)
{
	struct tcpc_conn *conn = container_of(dp, struct tcpc_conn, dp);

	refcount_inc(&conn->refcnt);
	if (!queue_work(tcpc_wq, &dp->rekey_work))
		refcount_dec(&conn->refcnt);
}

/**
 * dp_rekey_answer() - send the frame with rekey = 1 we owe the peer
 * @conn: the connection; dp.lock held
 * @out: receives the wire segments to send after the lock
 *
 * The peer started a generation above ours: our local generation followed
 * and the next frame we seal carries rekey = 1. Sent at once, empty, as a
 * data-less frame the module's timer retransmits until it is ACKed (the
 * local TCP's next data byte owns it then). Nothing after our FINp.
 *
 * Return: 0 (also when nothing was owed), or the error that left it owed:
 * the caller holds back the peer's next rekey frame until it is sent.
 */
int dp_rekey_answer(struct tcpc_conn *conn, struct sk_buff_head *out)
{
	struct tcpc_dp *dp = &conn->dp;
	struct tcpc_dp_keys *keys = dp->keys;
	struct tcpc_txframe *f;
	int err;

	lockdep_assert_held(&dp->lock);
	if (!keys || !dp->tx_ready || dp->tx.fin ||
	    dp->tx.gen == keys->rk.local)
		return 0;
	err = tcpc_txmap_push(&dp->tx, dp->tx.app_end, 0, false,
			      keys->rk.local, &f);
	if (err)
		return err;
	err = dp_seal(dp, NULL, 0, f);
	if (err) {
		tcpc_txmap_unpush(&dp->tx, f);
		return err;
	}
	dp->rtx_tries = 0;
	dp_rtx_arm(dp);
	return dp_craft_unowned(conn, out);
}

/**
 * dp_rekey_keepalive() - start a generation to have the peer prove it lives
 * @dp: the data path; dp.lock held, keys installed and the wire map ready
 * @out: receives the wire segments to send after the lock
 *
 * A keep-alive probe of the local TCP becomes a new generation and an
 * empty frame with rekey = 1 at once, which the peer must answer with a
 * frame of its own (RFC 8548 section 3.9). The peer's ACK of our frame
 * goes to the local TCP as the probe's answer (dp_in.c).
 *
 * Return: 0 when the frame went, or tcpc_rekey_start()'s error: -EBUSY,
 * or -EAGAIN while the key set is being built. Any other error leaves the
 * rekey frame owed, sent with the next one.
 */
int dp_rekey_keepalive(struct tcpc_dp *dp, struct sk_buff_head *out)
{
	struct tcpc_conn *conn = container_of(dp, struct tcpc_conn, dp);
	int err;

	lockdep_assert_held(&dp->lock);
	err = tcpc_rekey_start(&dp->keys->rk, dp->tx.gen);
	if (err)
		return err;
	dp->ka_wanted = false;
	dp_rekey_kick(dp);
	err = dp_rekey_answer(conn, out);
	if (err)
		return err;
	dp->ka_end = tcpc_txmap_wire_nxt(&dp->tx);
	tcpc_stats_inc(&conn->tn->stats, TCPC_STAT_PROBE_REKEYS);
	return 0;
}

/*
 * A keep-alive probe waited for the key set just built: start its rekey
 * now, if the connection may still send one.
 */
static void dp_rekey_keepalive_late(struct tcpc_dp *dp)
{
	struct sk_buff_head out;

	__skb_queue_head_init(&out);
	spin_lock_bh(&dp->lock);
	if (dp->ka_wanted && dp->keys && !dp->dead && !dp->aborted &&
	    dp->tx_ready && !dp->tx.fin && !dp->tx_inflight &&
	    dp_rekey_keepalive(dp, &out) != -EAGAIN)
		dp->ka_wanted = false;
	spin_unlock_bh(&dp->lock);
	dp_inject_list(dp, &out);
}

/**
 * dp_rekey_rx_base() - the local TCP accepted the peer's frames up to rx.base
 * @dp: the data path; dp.lock held
 *
 * Generations no frame can be opened under any more are retired, their key
 * sets freed by the work item, which can then prepare the next one. Once
 * the FINp frame is accepted too (no record left), the peer is done: our
 * rekeys go on without its answers.
 */
void dp_rekey_rx_base(struct tcpc_dp *dp)
{
	struct tcpc_rekey *rk;

	lockdep_assert_held(&dp->lock);
	if (!dp->keys)
		return;
	rk = &dp->keys->rk;
	if (dp->rx.finp && !dp->rx.rec_count && !rk->peer_done) {
		tcpc_rekey_peer_done(rk);
		dp_rekey_kick(dp);
	} else if (tcpc_rekey_rx_accepted(rk, dp->rx.base)) {
		dp_rekey_kick(dp);
	}
}

/*
 * Free what is no longer needed, then build every set due: all
 * TCPC_REKEY_AHEAD of them, so that a generation the peer starts (which
 * we follow) leaves one ready for our own next rekey, a keep-alive probe
 * a moment later included.
 */
static void dp_rekey_work(struct work_struct *work)
{
	struct tcpc_dp *dp = container_of(work, struct tcpc_dp, rekey_work);
	struct tcpc_conn *conn = container_of(dp, struct tcpc_conn, dp);
	u32 i;

	dp_rekey_free_unneeded(dp);
	for (i = 0; i < TCPC_REKEY_AHEAD && dp_rekey_build_next(dp); i++)
		;
	if (READ_ONCE(dp->ka_wanted))
		dp_rekey_keepalive_late(dp);
	tcpc_conn_put(conn);
}

void dp_rekey_init(struct tcpc_dp *dp)
{
	INIT_WORK(&dp->rekey_work, dp_rekey_work);
}
