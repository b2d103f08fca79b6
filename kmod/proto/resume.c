// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Session resumption (RFC 8548 section 3.5). See resume.h.
 */
#include "resume.h"

/**
 * tcpc_resume_next() - the secret to cache after @used protected a session
 * @hmac: the HMAC-SHA256 implementation
 * @used: ss[i], the secret the session's keys came from (ss[0] = PRK)
 * @tep: the session's TEP (v bit cleared)
 * @aead: its AEAD
 * @orig_b: our role in the original session of the chain
 * @next: receives ss[i+1] and resume[i+1]; wiped on failure
 *
 * Return: 0 or a negative errno.
 */
int tcpc_resume_next(const struct tcpc_hmac *hmac, const u8 used[TCPC_K_LEN],
		     u8 tep, u16 aead, bool orig_b,
		     struct tcpc_resume_secret *next)
{
	int err;

	memzero_explicit(next, sizeof(*next));
	err = tcpc_kdf_next_ss(hmac, used, next->ss);
	if (!err)
		err = tcpc_kdf_resume_id(hmac, next->ss, &next->rid);
	if (err) {
		memzero_explicit(next, sizeof(*next));
		return err;
	}
	next->tep = tep & ~TCPC_ENO_V;
	next->aead = aead;
	next->orig_b = orig_b;
	return 0;
}

/* The identifier half we send: resume[i][0..8] if we were the original A */
const u8 *tcpc_resume_own_half(const struct tcpc_resume_secret *s)
{
	return s->orig_b ? s->rid.id_b : s->rid.id_a;
}

/* The half the peer must send */
const u8 *tcpc_resume_peer_half(const struct tcpc_resume_secret *s)
{
	return s->orig_b ? s->rid.id_a : s->rid.id_b;
}

/**
 * tcpc_resume_sub() - our resumption suboption
 * @s: the cached secret
 * @nonce: a fresh random nonce; the full 8 bytes are always sent, for a
 *	   cached secret may be restored with the host (RFC 8548 3.5)
 * @data: storage for the suboption's data, which @sub points to
 * @sub: receives the suboption (TEP with v = 1)
 */
void tcpc_resume_sub(const struct tcpc_resume_secret *s,
		     const u8 nonce[TCPC_RESUME_NONCE_MAX],
		     u8 data[TCPC_RESUME_SUB_DATA], struct tcpc_eno_sub *sub)
{
	memcpy(data, tcpc_resume_own_half(s), TCPC_RESUME_HALF_LEN);
	memcpy(data + TCPC_RESUME_HALF_LEN, nonce, TCPC_RESUME_NONCE_MAX);
	sub->id = s->tep;
	sub->v = 1;
	sub->data = data;
	sub->len = TCPC_RESUME_SUB_DATA;
}

/*
 * Constant time: a SYN must not learn, from how long the check took, how
 * many bytes of a cached identifier it guessed.
 */
static bool resume_same_half(const u8 *a, const u8 *b)
{
	u8 diff = 0;
	unsigned int i;

	for (i = 0; i < TCPC_RESUME_HALF_LEN; i++)
		diff |= a[i] ^ b[i];
	return !diff;
}

/**
 * tcpc_resume_sub_matches() - does the peer's suboption resume @s?
 * @s: the cached secret
 * @peer: the peer's suboption, as the ENO codec views it
 *
 * It must name the secret's TEP with v = 1, carry the half the peer's
 * original role sends, and a nonce of at most 8 bytes (RFC 8548 3.5).
 *
 * Return: true if it does.
 */
bool tcpc_resume_sub_matches(const struct tcpc_resume_secret *s,
			     const struct tcpc_eno_sub *peer)
{
	if (!peer->v || peer->id != s->tep || !peer->data ||
	    peer->len < TCPC_RESUME_HALF_LEN ||
	    peer->len > TCPC_RESUME_SUB_DATA)
		return false;
	return resume_same_half(peer->data, tcpc_resume_peer_half(s));
}

/**
 * tcpc_resume_keys() - the keys and session ID of a resumed session
 * @hmac: the HMAC-SHA256 implementation
 * @s: ss[i] and its chain's original roles
 * @own_nonce: the nonce of our suboption (8 bytes)
 * @peer: the peer's suboption, which tcpc_resume_sub_matches() accepted
 * @sessid_tep: session ID byte 0, the TEP with v = 1 as B sent it
 * @keys: receives mk[0], both traffic keys oriented as in the original
 *	  session, and the session ID; wiped on failure
 *
 * Return: 0; -EINVAL for a suboption that does not resume @s or an AEAD
 * tcpcrypt does not define; or the HMAC's error.
 */
int tcpc_resume_keys(const struct tcpc_hmac *hmac,
		     const struct tcpc_resume_secret *s,
		     const u8 own_nonce[TCPC_RESUME_NONCE_MAX],
		     const struct tcpc_eno_sub *peer, u8 sessid_tep,
		     struct tcpc_session_keys *keys)
{
	const u8 *peer_nonce = peer->data + TCPC_RESUME_HALF_LEN;
	size_t peer_len;
	struct tcpc_sn sn;
	int err;

	memzero_explicit(keys, sizeof(*keys));
	if (!tcpc_resume_sub_matches(s, peer))
		return -EINVAL;
	peer_len = peer->len - TCPC_RESUME_HALF_LEN;
	if (s->orig_b)
		err = tcpc_sn_build(&sn, peer_nonce, peer_len, own_nonce,
				    TCPC_RESUME_NONCE_MAX);
	else
		err = tcpc_sn_build(&sn, own_nonce, TCPC_RESUME_NONCE_MAX,
				    peer_nonce, peer_len);
	if (!err)
		err = tcpc_session_keys_from(hmac, s->ss, &sn, s->aead,
					     sessid_tep, s->orig_b, keys);
	memzero_explicit(&sn, sizeof(sn));
	return err;
}
