// SPDX-License-Identifier: GPL-2.0
/*
 * TCP-ENO on live segments. See eno_hook.h.
 *
 * Active opener (role A): the SYN gets our SYN-form option (the daemon's
 * TEPs, increasing preference, implicit global suboption), kept in the
 * entry so that retransmitted SYNs carry the same bytes. The SYN-ACK must
 * answer with a valid option naming a TEP we offered; our third ACK then
 * carries "45 02", and having both received (the SYN-ACK) and sent (that
 * ACK) an ACK segment with ENO, we switch encryption on.
 *
 * Passive opener (role B): a SYN with a valid option, and a TEP we share,
 * gets a SYN-ACK with global suboption b = 1 and the one TEP we prefer;
 * the third ACK must carry ENO, and then we switch on.
 *
 * Anything else before the switch-on - no option, an ill-formed or
 * duplicated one, no common TEP, equal b bits - makes the entry go: the
 * connection is plain TCP and no later segment of it is touched. A first
 * ACK without ENO makes B plain as well, but A may have switched on: B
 * refuses A's Init1 until A falls back too (eno_in_disabled(),
 * proto/refusal.h). After the switch-on, the only way back is that one,
 * before any application byte has left either end.
 */
#include <linux/netfilter.h>
#include "conn.h"
#include "conn_resume.h"
#include "eno_hook.h"
#include "frame.h"
#include "init_msg.h"
#include "kex.h"
#include "netns.h"
#include "tcpseg.h"

/* The data path adds a frame header and tag to every segment's data */
#define TCPC_MSS_CLAMP		TCPC_FRAME_OVERHEAD
/* "45 02" and its padding, on A's segments until B's first non-SYN one */
#define TCPC_ENO_ACK_ROOM	4

static const u8 eno_ack_option[] = { TCPC_ENO_KIND, 2 };

/*
 * A TEP B answers with v = 1 (resumption) is valid only for the cached
 * secret this connection holds (RFC 8548 section 3.5).
 */
static void eno_policy_of(struct tcpc_conn_resume *r,
			  struct tcpc_eno_policy *pol)
{
	memset(pol, 0, sizeof(*pol));
	pol->tep_valid = tcpc_conn_resume_valid;
	pol->priv = r;
}

enum eno_found {
	ENO_NONE,
	ENO_BAD,	/* ill-formed, duplicated, or next to legacy ENO */
	ENO_OK,
};

static enum eno_found eno_syn_find(const struct tcpc_seg *seg,
				   struct tcpc_eno_syn *syn)
{
	struct tcpc_eno_scan sc;

	if (tcpc_eno_scan(seg->opts, seg->optlen, &sc))
		return ENO_BAD;
	if (!sc.count)
		return ENO_NONE;
	if (sc.count > 1 || sc.legacy)
		return ENO_BAD;
	if (tcpc_eno_parse_syn(sc.eno, seg->opts + seg->optlen - sc.eno, syn))
		return ENO_BAD;
	return ENO_OK;
}

/* Any ENO option, either form: all a non-SYN segment needs to carry */
static bool eno_present(const struct tcpc_seg *seg)
{
	struct tcpc_eno_scan sc;

	return !tcpc_eno_scan(seg->opts, seg->optlen, &sc) && sc.count;
}

static bool eno_same_option(const struct tcpc_eno_syn *syn, const u8 *opt,
			    u8 len)
{
	return syn->raw_len == len && !memcmp(syn->raw, opt, len);
}

static void eno_count(struct tcpc_conn *conn, enum tcpc_stat idx)
{
	tcpc_stats_inc(&conn->tn->stats, idx);
}

static void eno_fallback(struct tcpc_conn *conn, enum tcpc_stat why)
{
	if (tcpc_conn_kill(conn, TCPC_KILL_FALLBACK))
		eno_count(conn, why);
}

static enum tcpc_stat eno_found_stat(enum eno_found found)
{
	return found == ENO_NONE ? TCPC_STAT_FALLBACK_NO_ENO :
				   TCPC_STAT_FALLBACK_BAD_ENO;
}

/* A new entry for @seg's 4-tuple, not linked yet, with our option */
static struct tcpc_conn *eno_conn_new(struct tcpc_net *tn,
				      const struct tcpc_seg *seg,
				      bool outbound, const u8 *opt, u8 len)
{
	struct tcpc_conn_key key;
	struct tcpc_conn *conn;

	tcpc_seg_key(seg, outbound, &key);
	conn = tcpc_conn_alloc(&key, GFP_ATOMIC);
	if (!conn)
		return NULL;
	conn->tn = tn;
	memcpy(conn->eno.local, opt, len);
	conn->eno.local_len = len;
	if (outbound) {
		conn->eno.flags = TCPC_ENO_F_ACTIVE | TCPC_ENO_F_ISN_LOCAL;
		conn->eno.isn_local = seg->seq;
	} else {
		conn->eno.isn_peer = seg->seq;
		conn->eno.local_is_b = true;
		conn->role = TCPCRYPT_ROLE_B;
	}
	return conn;
}

/*
 * Links a complete new entry and starts its timer; on failure the entry
 * is freed. The caller keeps its own reference on success.
 */
static int eno_conn_link(struct tcpc_net *tn, struct tcpc_conn *conn)
{
	int err = tcpc_conn_insert(&tn->conns, conn);

	if (err) {
		if (err == -ENOSPC)
			tcpc_stats_inc(&tn->stats, TCPC_STAT_CONN_TABLE_FULL);
		spin_lock_bh(&conn->lock);
		tcpc_conn_half_open_end(conn);
		spin_unlock_bh(&conn->lock);
		tcpc_conn_put(conn);
		return err;
	}
	tcpc_conn_timer_start(conn);
	return 0;
}

/**
 * tcpc_eno_offer() - an outbound SYN-only with no entry: offer ENO
 * @tn: the namespace
 * @seg: the SYN
 *
 * Return: TCPC_SEG_PASS; the SYN carries ENO when a daemon is registered
 * (and the divert mark matches), the SYN is not a Fast Open one, carries
 * no data, and the option fits.
 */
enum tcpc_seg_action tcpc_eno_offer(struct tcpc_net *tn,
				    struct tcpc_seg *seg)
{
	struct tcpc_eno_sub subs[TCPCRYPT_MAX_TEPS] = {};
	struct tcpc_conn_resume r = { };
	u8 opt[TCPC_TCP_OPTSPACE];
	struct tcpc_daemon_view dv;
	struct tcpc_eno_sub rsub;
	struct tcpc_conn_key key;
	struct tcpc_conn *conn;
	int i, len, err;
	bool resume;
	u32 pol;

	if (!tcpc_daemon_view(tn, seg->skb->mark, &dv))
		return TCPC_SEG_PASS;
	pol = tcpc_sock_policy_connect(&tn->sock_policies, seg->skb);
	/* No ENO next to Fast Open or SYN data (RFC 8547 section 4.7) */
	if (seg->payload || tcpc_tcpopt_fastopen(seg->opts, seg->optlen))
		goto not_offered;
	for (i = 0; i < dv.n_teps; i++)
		subs[i].id = dv.teps[i];
	/* Resumption alone fills the option: it implies a fresh offer too */
	tcpc_seg_key(seg, true, &key);
	resume = !(pol & TCPCRYPT_SOCK_NO_RESUME) &&
		 tcpc_conn_resume_offer(tn, &key, &dv, &r, &rsub);
	len = resume ? tcpc_eno_build_syn(opt, sizeof(opt),
					  TCPC_ENO_GOPT_IMPLICIT, &rsub, 1) :
		       tcpc_eno_build_syn(opt, sizeof(opt),
					  TCPC_ENO_GOPT_IMPLICIT, subs,
					  dv.n_teps);
	if (len < 0)
		goto not_offered;
	conn = eno_conn_new(tn, seg, true, opt, len);
	if (conn) {
		conn->sock_policy = pol;
		if (resume)
			conn->res = r;
	}
	memzero_explicit(&r, sizeof(r));
	if (!conn || eno_conn_link(tn, conn))
		goto not_offered;
	err = tcpc_seg_add_option(seg, opt, len);
	if (err && resume) {
		/* No room for it: a fresh offer, the secret forgotten */
		len = tcpc_eno_build_syn(opt, sizeof(opt),
					 TCPC_ENO_GOPT_IMPLICIT, subs,
					 dv.n_teps);
		err = len < 0 ? len : 0;
		spin_lock_bh(&conn->lock);
		memzero_explicit(&conn->res, sizeof(conn->res));
		if (!err) {
			memcpy(conn->eno.local, opt, len);
			conn->eno.local_len = len;
		}
		spin_unlock_bh(&conn->lock);
		if (!err)
			err = tcpc_seg_add_option(seg, opt, len);
	}
	if (err) {
		tcpc_conn_kill(conn, TCPC_KILL_FALLBACK);
		tcpc_conn_put(conn);
		goto not_offered;
	}
	tcpc_stats_inc(&tn->stats, TCPC_STAT_ENO_OFFERED);
	tcpc_sock_policy_taken(&tn->sock_policies, seg->skb);
	tcpc_conn_put(conn);
	return TCPC_SEG_PASS;

not_offered:
	tcpc_stats_inc(&tn->stats, TCPC_STAT_ENO_NOT_OFFERED);
	return TCPC_SEG_PASS;
}

/* Our preferred TEP (the last the daemon lists) that A offered too */
static u8 eno_choose(const struct tcpc_daemon_view *dv,
		     const struct tcpc_eno_syn *a)
{
	int i, j;

	for (i = dv->n_teps - 1; i >= 0; i--)
		for (j = 0; j < a->nteps; j++)
			if (a->teps[j].id == dv->teps[i])
				return dv->teps[i];
	return 0;
}

/*
 * B's SYN-ACK option: b = 1 and the one TEP, resuming the session A's
 * SYN names when the cache holds its secret and the listener's policy
 * @sock_pol allows (then in @r); 0 when ENO must not go on.
 */
static int eno_answer_build(struct tcpc_net *tn,
			    const struct tcpc_daemon_view *dv,
			    const struct tcpc_eno_syn *peer, u32 sock_pol,
			    u8 *opt,
			    struct tcpc_eno_result *res,
			    struct tcpc_conn_resume *r)
{
	struct tcpc_eno_sub sub = { .id = eno_choose(dv, peer) };
	struct tcpc_eno_policy pol;
	struct tcpc_eno_syn local;
	int len;

	if (!(sock_pol & TCPCRYPT_SOCK_NO_RESUME))
		tcpc_conn_resume_answer(tn, peer, dv, r, &sub);
	if (!sub.id)
		return 0;
	len = tcpc_eno_build_syn(opt, TCPC_TCP_OPTSPACE, TCPC_ENO_GOPT_B,
				 &sub, 1);
	eno_policy_of(r, &pol);
	if (len < 0 || tcpc_eno_parse_syn(opt, len, &local) ||
	    tcpc_eno_negotiate(&local, peer, TCPC_ENO_PASSIVE, &pol,
			       res) != TCPC_ENO_OK)
		return 0;
	if (res->resume)
		tcpc_conn_resume_chosen(r, &res->a_sub);
	return len;
}

/**
 * tcpc_eno_answer() - an inbound SYN-only with no entry: answer ENO
 * @tn: the namespace
 * @seg: the SYN (its data, if any, is already discarded)
 * @hooknum: the hook, for checksum verification
 *
 * Return: TCPC_SEG_PASS, or TCPC_SEG_DROP for a SYN with a bad checksum
 * (TCP would drop it too).
 */
enum tcpc_seg_action tcpc_eno_answer(struct tcpc_net *tn,
				     struct tcpc_seg *seg,
				     unsigned int hooknum)
{
	struct tcpc_conn_resume r = { };
	struct tcpc_eno_result res;
	u8 opt[TCPC_TCP_OPTSPACE];
	struct tcpc_daemon_view dv;
	struct tcpc_eno_syn peer;
	enum eno_found found;
	struct tcpc_conn *conn;
	int len, err;
	u32 pol;

	found = eno_syn_find(seg, &peer);
	if (found == ENO_NONE || !tcpc_daemon_view(tn, seg->skb->mark, &dv))
		return TCPC_SEG_PASS;
	if (found == ENO_BAD) {
		tcpc_stats_inc(&tn->stats, TCPC_STAT_FALLBACK_BAD_ENO);
		return TCPC_SEG_PASS;
	}
	if (atomic_read(&tn->conns.half_open) >= TCPC_CONN_HALF_OPEN_MAX) {
		tcpc_stats_inc(&tn->stats, TCPC_STAT_CONN_TABLE_FULL);
		return TCPC_SEG_PASS;
	}
	/* before a corrupt SYN could take a cached secret */
	if (!tcpc_seg_csum_ok(seg, hooknum))
		return TCPC_SEG_DROP;
	pol = tcpc_sock_policy_accept(tn->net, &tn->sock_policies, seg);
	len = eno_answer_build(tn, &dv, &peer, pol, opt, &res, &r);
	if (!len) {
		memzero_explicit(&r, sizeof(r));
		tcpc_stats_inc(&tn->stats, TCPC_STAT_FALLBACK_NEGOTIATION);
		return TCPC_SEG_PASS;
	}

	conn = eno_conn_new(tn, seg, false, opt, len);
	if (conn) {
		conn->sock_policy = pol;
		conn->res = r;
	}
	memzero_explicit(&r, sizeof(r));
	if (!conn)
		return TCPC_SEG_PASS;
	memcpy(conn->eno.peer, peer.raw, peer.raw_len);
	conn->eno.peer_len = peer.raw_len;
	conn->eno.tep = res.tep;
	conn->eno.sessid_tep = res.sessid_tep;
	conn->eno.flags |= TCPC_ENO_F_NEGOTIATED;
	conn->half_open = true;
	atomic_inc(&tn->conns.half_open);
	if (eno_conn_link(tn, conn))
		return TCPC_SEG_PASS;

	err = tcpc_seg_clamp_mss(seg, TCPC_MSS_CLAMP);
	if (err < 0) {
		tcpc_conn_kill(conn, TCPC_KILL_FALLBACK);
	} else {
		if (err)
			tcpc_stats_inc(&tn->stats, TCPC_STAT_MSS_CLAMPED);
		tcpc_stats_inc(&tn->stats, TCPC_STAT_ENO_ANSWERED);
	}
	tcpc_conn_put(conn);
	return TCPC_SEG_PASS;
}

/*
 * Both sent and received an ACK segment with ENO: encryption is on (RFC
 * 8547 section 4.6). The data path is ready before the state says so, for
 * a segment of the connection may be on another CPU. Lock held.
 */
static int eno_switch_on(struct tcpc_conn *conn)
{
	int role = conn->eno.local_is_b ? TCPCRYPT_ROLE_B : TCPCRYPT_ROLE_A;
	int err;

	err = tcpc_dp_init(conn, conn->eno.isn_local, conn->eno.isn_peer,
			   role, conn->res.resumed);
	if (err)
		return err;
	conn->dp_ready = true;
	conn->role = role;
	tcpc_conn_half_open_end(conn);
	tcpc_conn_set_state(conn, TCPCRYPT_CONN_KEY_EXCHANGE);
	__tcpc_conn_timer_switch_on(conn);
	/* resumed: keys from the cached secret, no Init messages */
	if (conn->res.resumed)
		__tcpc_conn_resume_start(conn);
	else if (role == TCPCRYPT_ROLE_A)
		__tcpc_kex_queue(conn, TCPCRYPT_KEX_INIT1_NEEDED);
	eno_count(conn, TCPC_STAT_ENO_SUCCEEDED);
	return 0;
}

/* Switch on, or abort when the data path cannot start; lock held */
static enum tcpc_seg_action eno_commit(struct tcpc_conn *conn)
	__releases(&conn->lock)
{
	int err = eno_switch_on(conn);

	spin_unlock_bh(&conn->lock);
	if (!err)
		return TCPC_SEG_DP;
	tcpc_conn_abort(conn, -err);
	return TCPC_SEG_DROP;
}

/* A sent its SYN-ACK-answering ACK: "45 02", then switch on */
static enum tcpc_seg_action eno_out_first_ack(struct tcpc_conn *conn,
					      struct tcpc_seg *seg)
{
	if (tcpc_seg_add_option(seg, eno_ack_option,
				sizeof(eno_ack_option))) {
		eno_fallback(conn, TCPC_STAT_ENO_NOT_OFFERED);
		return TCPC_SEG_PASS;
	}
	spin_lock_bh(&conn->lock);
	if (conn->dead || conn->state != TCPCRYPT_CONN_NEGOTIATING) {
		spin_unlock_bh(&conn->lock);
		return TCPC_SEG_AGAIN;
	}
	conn->eno.flags |= TCPC_ENO_F_SENT_ACK;
	return eno_commit(conn);
}

/* Our SYN or SYN-ACK again: the same option bytes as the first time */
/* Our SYN-form option, byte for byte as stored, onto a SYN we send */
static int eno_add_local(struct tcpc_conn *conn, struct tcpc_seg *seg)
{
	u8 opt[TCPC_TCP_OPTSPACE];
	u8 len;

	spin_lock_bh(&conn->lock);
	memcpy(opt, conn->eno.local, sizeof(opt));
	len = conn->eno.local_len;
	spin_unlock_bh(&conn->lock);
	return tcpc_seg_add_option(seg, opt, len);
}

static enum tcpc_seg_action eno_out_syn(struct tcpc_conn *conn,
					struct tcpc_seg *seg, u8 flag)
{
	if (eno_add_local(conn, seg)) {
		eno_fallback(conn, TCPC_STAT_ENO_NOT_OFFERED);
		return TCPC_SEG_PASS;
	}
	if (flag) {
		spin_lock_bh(&conn->lock);
		conn->eno.flags |= flag;
		spin_unlock_bh(&conn->lock);
	}
	return TCPC_SEG_PASS;
}

/*
 * Lock @conn if it is still negotiating and linked; otherwise *@act says
 * what the hook does: look again (the state moved on) or pass (it fell
 * back meanwhile: plain TCP).
 */
static bool eno_lock_negotiating(struct tcpc_conn *conn,
				 enum tcpc_seg_action *act)
	__cond_acquires(&conn->lock)
{
	spin_lock_bh(&conn->lock);
	if (conn->state != TCPCRYPT_CONN_NEGOTIATING)
		*act = TCPC_SEG_AGAIN;
	else if (conn->dead)
		*act = TCPC_SEG_PASS;
	else
		return true;
	spin_unlock_bh(&conn->lock);
	return false;
}

/* Our ACK @ack covers more of the peer's stream than an Init1 can hold */
static bool eno_past_init1(const struct tcpc_conn *conn, u32 ack)
{
	u32 acked = ack - (conn->eno.isn_peer + 1);

	return acked >= TCPC_INIT_MAX_LEN && acked < 1U << 31;
}

/**
 * tcpc_eno_out() - an outbound segment of a NEGOTIATING connection
 * @conn: the connection
 * @seg: the segment
 *
 * Return: what the hook does with @seg.
 */
enum tcpc_seg_action tcpc_eno_out(struct tcpc_conn *conn,
				  struct tcpc_seg *seg)
{
	bool active, negotiated, disabled;
	enum tcpc_seg_action act;

	if (!eno_lock_negotiating(conn, &act))
		return act;
	active = conn->eno.flags & TCPC_ENO_F_ACTIVE;
	negotiated = conn->eno.flags & TCPC_ENO_F_NEGOTIATED;
	disabled = conn->eno.flags & TCPC_ENO_F_B_DISABLED;
	if (tcpc_seg_synack(seg) && !active) {
		conn->eno.isn_local = seg->seq;
		conn->eno.flags |= TCPC_ENO_F_ISN_LOCAL;
	}
	spin_unlock_bh(&conn->lock);

	/* B, plain: once no copy of an Init1 could land in its window */
	if (disabled && tcpc_seg_has(seg, TCPHDR_ACK) &&
	    eno_past_init1(conn, seg->ack)) {
		tcpc_conn_kill(conn, TCPC_KILL_FALLBACK);
		return TCPC_SEG_PASS;
	}

	if (tcpc_seg_syn_only(seg))
		return active ? eno_out_syn(conn, seg, 0) : TCPC_SEG_PASS;
	if (tcpc_seg_synack(seg)) {
		if (!active)
			return eno_out_syn(conn, seg, TCPC_ENO_F_SENT_ACK);
		/* A simultaneous open: not supported, plain TCP */
		eno_fallback(conn, TCPC_STAT_FALLBACK_NEGOTIATION);
		return TCPC_SEG_PASS;
	}
	if (tcpc_seg_has(seg, TCPHDR_RST)) {
		tcpc_conn_kill(conn, TCPC_KILL_RESET);
		return TCPC_SEG_PASS;
	}
	if (active && negotiated && tcpc_seg_has(seg, TCPHDR_ACK))
		return eno_out_first_ack(conn, seg);
	return TCPC_SEG_PASS;
}

/*
 * How much A lowers B's MSS. A resumed A sends full-sized frames before it
 * hears from B, each carrying "45 02" (RFC 8547 section 4.6): room for it
 * too. Lock not needed: set before the SYN-ACK is passed on.
 */
static u16 eno_mss_clamp(const struct tcpc_conn *conn)
{
	return TCPC_MSS_CLAMP + (conn->res.resumed ? TCPC_ENO_ACK_ROOM : 0);
}

/* A: the SYN-ACK decides. Lock held on entry, released on return. */
static enum tcpc_seg_action eno_in_synack(struct tcpc_conn *conn,
					  struct tcpc_seg *seg,
					  unsigned int hooknum)
	__releases(&conn->lock)
{
	struct tcpc_eno_syn local, peer;
	struct tcpc_eno_result res;
	struct tcpc_eno_policy pol;
	enum eno_found found;
	int err;

	if (seg->ack != conn->eno.isn_local + 1) {
		/* Not an answer to our SYN: TCP resets or ignores it */
		spin_unlock_bh(&conn->lock);
		return TCPC_SEG_PASS;
	}
	found = eno_syn_find(seg, &peer);
	if (conn->eno.flags & TCPC_ENO_F_NEGOTIATED) {
		/* A retransmission must carry the same option */
		bool same = found == ENO_OK &&
			    eno_same_option(&peer, conn->eno.peer,
					    conn->eno.peer_len);

		spin_unlock_bh(&conn->lock);
		if (!same) {
			eno_fallback(conn, eno_found_stat(found));
			return TCPC_SEG_PASS;
		}
		return tcpc_seg_clamp_mss(seg, eno_mss_clamp(conn)) == -EBADMSG ?
		       TCPC_SEG_DROP : TCPC_SEG_PASS;
	}
	if (found != ENO_OK) {
		spin_unlock_bh(&conn->lock);
		eno_fallback(conn, eno_found_stat(found));
		return TCPC_SEG_PASS;
	}
	eno_policy_of(&conn->res, &pol);
	if (tcpc_eno_parse_syn(conn->eno.local, conn->eno.local_len, &local) ||
	    tcpc_eno_negotiate(&local, &peer, TCPC_ENO_ACTIVE, &pol,
			       &res) != TCPC_ENO_OK) {
		/* the secret offered was tried: never offered again */
		memzero_explicit(&conn->res, sizeof(conn->res));
		spin_unlock_bh(&conn->lock);
		eno_fallback(conn, TCPC_STAT_FALLBACK_NEGOTIATION);
		return TCPC_SEG_PASS;
	}
	if (res.resume)
		tcpc_conn_resume_chosen(&conn->res, &res.b_sub);
	else
		memzero_explicit(&conn->res, sizeof(conn->res));
	spin_unlock_bh(&conn->lock);

	/* The key exchange needs a daemon: without one, fall back now */
	if (!tcpc_daemon_portid(conn->tn)) {
		eno_fallback(conn, TCPC_STAT_FALLBACK_NO_DAEMON);
		return TCPC_SEG_PASS;
	}
	err = tcpc_seg_clamp_mss(seg, eno_mss_clamp(conn));
	if (err < 0) {
		eno_fallback(conn, TCPC_STAT_FALLBACK_NEGOTIATION);
		return err == -EBADMSG ? TCPC_SEG_DROP : TCPC_SEG_PASS;
	}
	if (err)
		eno_count(conn, TCPC_STAT_MSS_CLAMPED);

	spin_lock_bh(&conn->lock);
	memcpy(conn->eno.peer, peer.raw, peer.raw_len);
	conn->eno.peer_len = peer.raw_len;
	conn->eno.tep = res.tep;
	conn->eno.sessid_tep = res.sessid_tep;
	conn->eno.isn_peer = seg->seq;
	conn->eno.flags |= TCPC_ENO_F_NEGOTIATED | TCPC_ENO_F_RCVD_ACK;
	conn->role = TCPCRYPT_ROLE_A;
	spin_unlock_bh(&conn->lock);
	return TCPC_SEG_PASS;
}

/* Data from A at the start of its stream that begins as an Init1 does */
static bool eno_init1_first(const struct tcpc_conn *conn,
			    const struct tcpc_seg *seg)
{
	__be32 magic;

	if (seg->payload < sizeof(magic) || seg->seq != conn->eno.isn_peer + 1 ||
	    skb_copy_bits(seg->skb, seg->thoff + seg->hdrlen, &magic,
			  sizeof(magic)))
		return false;
	return be32_to_cpu(magic) == TCPC_INIT1_MAGIC;
}

/*
 * B disabled ENO, for its first ACK lacked the option (RFC 8547 section
 * 4.6), but A may not know: a middlebox that strips ENO from that ACK
 * alone leaves A switched on, sending its Init1. So B refuses a segment
 * of A with data or FIN that still carries ENO (A adds it to every
 * segment until it hears from us) or, before A's plain data, starts A's
 * stream with the Init1 magic: our TCP gets it as an empty segment just
 * below its window and answers with an ACK of A's ISN alone, which tells
 * our A to fall back to plain TCP as well (proto/refusal.h). A peer that
 * sends its Init1 regardless is reset at both ends after
 * TCPC_INIT_REFUSALS_MAX refusals, and one that resumed a session (its
 * data is frames already) at once; nothing of it reaches our application.
 *
 * The entry stays until our TCP acknowledges more of A's stream than an
 * Init1 can hold (tcpc_eno_out()): a late copy of the Init1 then lies
 * wholly below its window and is ignored. Lock held on entry, released
 * on return.
 */
static enum tcpc_seg_action eno_in_disabled(struct tcpc_conn *conn,
					    struct tcpc_seg *seg,
					    unsigned int hooknum)
	__releases(&conn->lock)
{
	bool peer_plain = conn->eno.flags & TCPC_ENO_F_PEER_PLAIN;
	bool data = seg->payload || tcpc_seg_has(seg, TCPHDR_FIN);
	bool init1 = data && (eno_present(seg) ||
			      (!peer_plain && eno_init1_first(conn, seg)));
	bool reset = false;

	if (!init1) {
		if (data)
			conn->eno.flags |= TCPC_ENO_F_PEER_PLAIN;
		spin_unlock_bh(&conn->lock);
		return TCPC_SEG_PASS;
	}
	/* a late copy, once A has gone plain: nothing to tell it */
	if (peer_plain) {
		spin_unlock_bh(&conn->lock);
		return TCPC_SEG_DROP;
	}
	/* a resumed A sends frames, not an Init1: it cannot fall back */
	if (conn->res.resumed ||
	    conn->eno.refusals >= TCPC_INIT_REFUSALS_MAX)
		reset = true;
	else
		conn->eno.refusals++;
	spin_unlock_bh(&conn->lock);
	if (reset) {
		tcpc_conn_abort(conn, EPROTO);
		return TCPC_SEG_DROP;
	}
	eno_count(conn, TCPC_STAT_INIT_REFUSED);
	return tcpc_seg_make_probe(seg, conn->eno.isn_peer, hooknum) ?
	       TCPC_SEG_DROP : TCPC_SEG_PASS;
}

/* B: the first ACK must carry ENO. Lock held on entry, released on return. */
static enum tcpc_seg_action eno_in_first_ack(struct tcpc_conn *conn,
					     struct tcpc_seg *seg,
					     unsigned int hooknum)
	__releases(&conn->lock)
{
	if (!tcpc_seg_has(seg, TCPHDR_ACK) ||
	    !(conn->eno.flags & TCPC_ENO_F_SENT_ACK) ||
	    seg->ack != conn->eno.isn_local + 1) {
		/* Not an acceptable ACK of our SYN-ACK: TCP deals with it */
		spin_unlock_bh(&conn->lock);
		return TCPC_SEG_PASS;
	}
	if (!eno_present(seg)) {
		conn->eno.flags |= TCPC_ENO_F_B_DISABLED;
		tcpc_conn_half_open_end(conn);
		eno_count(conn, TCPC_STAT_FALLBACK_NO_ENO);
		return eno_in_disabled(conn, seg, hooknum);
	}
	conn->eno.flags |= TCPC_ENO_F_RCVD_ACK | TCPC_ENO_F_RCVD_NONSYN;
	/* Switched on with no daemon to run the exchange: abort */
	if (!tcpc_daemon_portid(conn->tn)) {
		spin_unlock_bh(&conn->lock);
		eno_count(conn, TCPC_STAT_FALLBACK_NO_DAEMON);
		tcpc_conn_abort(conn, ESRCH);
		return TCPC_SEG_DROP;
	}
	return eno_commit(conn);
}

/* B: A's SYN again; it may drop ENO, but not change it */
static enum tcpc_seg_action eno_in_syn_again(struct tcpc_conn *conn,
					     struct tcpc_seg *seg)
	__releases(&conn->lock)
{
	struct tcpc_eno_syn peer;
	enum eno_found found = eno_syn_find(seg, &peer);
	bool same = found == ENO_OK &&
		    eno_same_option(&peer, conn->eno.peer, conn->eno.peer_len);

	spin_unlock_bh(&conn->lock);
	if (!same) {
		eno_fallback(conn, eno_found_stat(found));
		return TCPC_SEG_PASS;
	}
	return tcpc_seg_clamp_mss(seg, TCPC_MSS_CLAMP) == -EBADMSG ?
	       TCPC_SEG_DROP : TCPC_SEG_PASS;
}

/**
 * tcpc_eno_in() - an inbound segment of a NEGOTIATING connection
 * @conn: the connection
 * @seg: the segment
 * @hooknum: the hook, for checksum verification
 *
 * A segment with a bad checksum is dropped before it can decide anything
 * (TCP would drop it as well).
 *
 * Return: what the hook does with @seg.
 */
enum tcpc_seg_action tcpc_eno_in(struct tcpc_conn *conn,
				 struct tcpc_seg *seg, unsigned int hooknum)
{
	enum tcpc_seg_action act;
	bool active;

	if (!tcpc_seg_csum_ok(seg, hooknum))
		return TCPC_SEG_DROP;
	if (!eno_lock_negotiating(conn, &act))
		return act;
	active = conn->eno.flags & TCPC_ENO_F_ACTIVE;
	if (tcpc_seg_syn_only(seg)) {
		if (!active)
			return eno_in_syn_again(conn, seg);
		/* A simultaneous open: not supported, plain TCP */
		spin_unlock_bh(&conn->lock);
		eno_fallback(conn, TCPC_STAT_FALLBACK_NEGOTIATION);
		return TCPC_SEG_PASS;
	}
	if (tcpc_seg_synack(seg)) {
		if (active)
			return eno_in_synack(conn, seg, hooknum);
		spin_unlock_bh(&conn->lock);
		return TCPC_SEG_PASS;
	}
	if (tcpc_seg_has(seg, TCPHDR_RST)) {
		spin_unlock_bh(&conn->lock);
		tcpc_conn_kill(conn, TCPC_KILL_RESET);
		return TCPC_SEG_PASS;
	}
	if (conn->eno.flags & TCPC_ENO_F_B_DISABLED)
		return eno_in_disabled(conn, seg, hooknum);
	if (!active)
		return eno_in_first_ack(conn, seg, hooknum);
	spin_unlock_bh(&conn->lock);
	return TCPC_SEG_PASS;
}

/**
 * tcpc_eno_syn_data() - discard the data of a received SYN carrying ENO
 * @tn: the namespace
 * @seg: a received SYN or SYN-ACK
 * @hooknum: the hook, for checksum verification
 *
 * RFC 8547 section 4.7: tcpcrypt defines no SYN data, and an ENO
 * implementation discards SYN data whatever the outcome of ENO.
 *
 * Return: 0, or -EBADMSG when the segment must be dropped.
 */
int tcpc_eno_syn_data(struct tcpc_net *tn, struct tcpc_seg *seg,
		      unsigned int hooknum)
{
	int err;

	if (!seg->payload || !eno_present(seg))
		return 0;
	err = tcpc_seg_drop_payload(seg, hooknum);
	if (err)
		return -EBADMSG;
	tcpc_stats_inc(&tn->stats, TCPC_STAT_SYN_DATA_DISCARDED);
	return 0;
}

/*
 * B after the switch-on: a SYN-ACK TCP sends again (its third ACK was
 * lost to an accept queue overflow) carries the same option.
 */
enum tcpc_seg_action tcpc_eno_synack_again(struct tcpc_conn *conn,
					   struct tcpc_seg *seg)
{
	bool ours;

	spin_lock_bh(&conn->lock);
	ours = conn->eno.local_is_b && tcpc_seg_synack(seg) &&
	       seg->seq == conn->eno.isn_local;
	spin_unlock_bh(&conn->lock);
	if (!ours)
		return TCPC_SEG_DROP;
	return eno_add_local(conn, seg) ? TCPC_SEG_DROP : TCPC_SEG_PASS;
}

/**
 * tcpc_eno_classify_syn() - whose is a SYN-only on a known 4-tuple?
 * @conn: the entry of the 4-tuple
 * @seg: the SYN-only segment
 * @outbound: sent by the local TCP
 *
 * Ours again: the SYN we sent (same ISN), the peer's SYN again, or the
 * peer's SYN crossing ours (simultaneous open). A new connection: any
 * other SYN we send (the old socket is gone, or TCP would not reuse the
 * 4-tuple), or one the peer sends after the old connection closed. A
 * peer's new SYN while the connection lives goes to TCP, which answers
 * with a challenge ACK (RFC 5961) through the data path.
 */
enum tcpc_syn_kind tcpc_eno_classify_syn(struct tcpc_conn *conn,
					 const struct tcpc_seg *seg,
					 bool outbound)
{
	enum tcpc_syn_kind kind;
	bool active, same_isn;
	u8 state;

	spin_lock_bh(&conn->lock);
	state = conn->state;
	active = conn->eno.flags & TCPC_ENO_F_ACTIVE;
	same_isn = outbound ? active && seg->seq == conn->eno.isn_local :
			      !active && seg->seq == conn->eno.isn_peer;
	spin_unlock_bh(&conn->lock);

	if (outbound)
		return state == TCPCRYPT_CONN_NEGOTIATING && same_isn ?
		       TCPC_SYN_SAME : TCPC_SYN_NEW;
	switch (state) {
	case TCPCRYPT_CONN_NEGOTIATING:
		kind = active || same_isn ? TCPC_SYN_SAME : TCPC_SYN_NEW;
		break;
	case TCPCRYPT_CONN_CLOSED:
		kind = same_isn ? TCPC_SYN_PASS : TCPC_SYN_NEW;
		break;
	case TCPCRYPT_CONN_ABORTED:
		kind = TCPC_SYN_DROP;
		break;
	default:
		kind = TCPC_SYN_PASS;
		break;
	}
	return kind;
}

bool tcpc_conn_eno_pending(const struct tcpc_conn *conn)
{
	return !(READ_ONCE(conn->eno.flags) & TCPC_ENO_F_RCVD_NONSYN);
}

/* A, after the switch-on: "45 02" until the peer's first non-SYN segment */
int tcpc_eno_ack_option(struct tcpc_conn *conn, struct tcpc_seg *seg)
{
	if (!tcpc_conn_eno_pending(conn) || tcpc_seg_syn(seg) ||
	    eno_present(seg))
		return 0;
	return tcpc_seg_add_option(seg, eno_ack_option,
				   sizeof(eno_ack_option));
}

/* The peer sent a non-SYN segment: we may stop sending ENO */
void tcpc_eno_nonsyn_received(struct tcpc_conn *conn)
{
	if (!tcpc_conn_eno_pending(conn))
		return;
	spin_lock_bh(&conn->lock);
	conn->eno.flags |= TCPC_ENO_F_RCVD_NONSYN;
	spin_unlock_bh(&conn->lock);
}
