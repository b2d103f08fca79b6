// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The tcpcrypt key schedule: HKDF-SHA256 (RFC 5869) over the pluggable
 * HMAC of hmac.h, and the RFC 8548 derivations built on it. See kdf.h.
 */
#include "kdf.h"

static bool tcpc_hmac_usable(const struct tcpc_hmac *hmac)
{
	return hmac && hmac->hmac_sha256;
}

/**
 * tcpc_hkdf_extract() - HKDF-Extract: PRK = HMAC-SHA256(salt, IKM)
 * @hmac: the HMAC-SHA256 implementation
 * @salt: the salt (the HMAC key); may be empty
 * @salt_len: length of @salt
 * @ikm: the input keying material, as a list of fragments
 * @nikm: number of fragments in @ikm
 * @prk: receives TCPC_HASH_LEN bytes; wiped on failure
 *
 * Return: 0 or a negative errno.
 */
int tcpc_hkdf_extract(const struct tcpc_hmac *hmac,
		      const u8 *salt, size_t salt_len,
		      const struct tcpc_frag *ikm, unsigned int nikm,
		      u8 prk[TCPC_HASH_LEN])
{
	int err;

	if (!tcpc_hmac_usable(hmac) || (!salt && salt_len) ||
	    (!ikm && nikm))
		return -EINVAL;
	err = hmac->hmac_sha256(hmac->priv, salt, salt_len, ikm, nikm, prk);
	if (err)
		memzero_explicit(prk, TCPC_HASH_LEN);
	return err;
}

/*
 * One HKDF-Expand block: T(n) = HMAC(PRK, T(n-1) | info | n), with T(0)
 * empty. T(n-1) is read back from the output, where it was stored whole.
 */
static int tcpc_hkdf_block(const struct tcpc_hmac *hmac,
			   const u8 *prk, size_t prk_len,
			   const struct tcpc_frag *info, unsigned int ninfo,
			   const u8 *prev, u8 counter, u8 t[TCPC_HASH_LEN])
{
	struct tcpc_frag msg[TCPC_CPRF_MAX_INFO + 2];
	unsigned int i;

	msg[0].data = prev;
	msg[0].len = prev ? TCPC_HASH_LEN : 0;
	for (i = 0; i < ninfo; i++)
		msg[i + 1] = info[i];
	msg[ninfo + 1].data = &counter;
	msg[ninfo + 1].len = 1;
	return hmac->hmac_sha256(hmac->priv, prk, prk_len, msg, ninfo + 2, t);
}

/**
 * tcpc_hkdf_expand() - HKDF-Expand, the CPRF of RFC 8548
 * @hmac: the HMAC-SHA256 implementation
 * @prk: the pseudorandom key
 * @prk_len: length of @prk
 * @info: the info string, as at most TCPC_CPRF_MAX_INFO fragments
 * @ninfo: number of fragments in @info
 * @out: receives @out_len bytes; wiped on failure
 * @out_len: 0 to TCPC_CPRF_MAX_LEN
 *
 * @out may be @prk itself only when @out_len <= TCPC_HASH_LEN: later
 * blocks need the key again.
 *
 * Return: 0 or a negative errno.
 */
int tcpc_hkdf_expand(const struct tcpc_hmac *hmac,
		     const u8 *prk, size_t prk_len,
		     const struct tcpc_frag *info, unsigned int ninfo,
		     u8 *out, size_t out_len)
{
	u8 t[TCPC_HASH_LEN];
	const u8 *prev = NULL;
	size_t done = 0;
	size_t chunk;
	u8 counter = 0;
	int err = 0;

	if (!tcpc_hmac_usable(hmac) || (!prk && prk_len) ||
	    (!info && ninfo) || ninfo > TCPC_CPRF_MAX_INFO ||
	    (!out && out_len) || out_len > TCPC_CPRF_MAX_LEN)
		return -EINVAL;

	while (done < out_len) {
		counter++;
		err = tcpc_hkdf_block(hmac, prk, prk_len, info, ninfo,
				      prev, counter, t);
		if (err)
			goto out_wipe;
		chunk = out_len - done;
		if (chunk > TCPC_HASH_LEN)
			chunk = TCPC_HASH_LEN;
		memcpy(out + done, t, chunk);
		prev = out + done;
		done += chunk;
	}
	memzero_explicit(t, sizeof(t));
	return 0;

out_wipe:
	memzero_explicit(t, sizeof(t));
	memzero_explicit(out, out_len);
	return err;
}

/* CPRF(key, c | sn, out_len) for a 32-byte key; @sn may be NULL (empty) */
static int tcpc_cprf(const struct tcpc_hmac *hmac, const u8 key[TCPC_K_LEN],
		     u8 c, const struct tcpc_sn *sn, u8 *out, size_t out_len)
{
	struct tcpc_frag info[2];
	unsigned int ninfo = 1;

	info[0].data = &c;
	info[0].len = 1;
	if (sn && sn->len) {
		if (sn->len > TCPC_SN_MAX)
			return -EINVAL;
		info[1].data = sn->bytes;
		info[1].len = sn->len;
		ninfo = 2;
	}
	return tcpc_hkdf_expand(hmac, key, TCPC_K_LEN, info, ninfo,
				out, out_len);
}

/**
 * tcpc_kdf_prk() - PRK = ss[0] of a fresh key exchange
 * @hmac: the HMAC-SHA256 implementation
 * @in: N_A, the ENO transcript, Init1, Init2 and ES
 * @prk: receives TCPC_K_LEN bytes; wiped on failure
 *
 * Return: 0 or a negative errno.
 */
int tcpc_kdf_prk(const struct tcpc_hmac *hmac,
		 const struct tcpc_prk_input *in, u8 prk[TCPC_K_LEN])
{
	struct tcpc_frag ikm[4];

	if (!in || !in->n_a)
		return -EINVAL;
	ikm[0] = in->transcript;
	ikm[1] = in->init1;
	ikm[2] = in->init2;
	ikm[3] = in->es;
	return tcpc_hkdf_extract(hmac, in->n_a, TCPC_INIT_NONCE_LEN,
				 ikm, ARRAY_SIZE(ikm), prk);
}

/**
 * tcpc_kdf_next_ss() - ss[i+1] = CPRF(ss[i], CONST_NEXTK, K_LEN)
 * @hmac: the HMAC-SHA256 implementation
 * @ss: ss[i]
 * @next: receives ss[i+1]; may be @ss itself
 *
 * Return: 0 or a negative errno.
 */
int tcpc_kdf_next_ss(const struct tcpc_hmac *hmac,
		     const u8 ss[TCPC_K_LEN], u8 next[TCPC_K_LEN])
{
	return tcpc_cprf(hmac, ss, TCPC_CONST_NEXTK, NULL, next, TCPC_K_LEN);
}

/**
 * tcpc_sn_build() - sn[i] = nonce_a | nonce_b of a resumed session
 * @sn: receives the concatenation
 * @nonce_a: nonce of the host that was A in the original session
 * @nonce_a_len: 0 to TCPC_RESUME_NONCE_MAX
 * @nonce_b: nonce of the host that was B in the original session
 * @nonce_b_len: 0 to TCPC_RESUME_NONCE_MAX
 *
 * Return: 0, or -EINVAL when a nonce is too long.
 */
int tcpc_sn_build(struct tcpc_sn *sn, const u8 *nonce_a, size_t nonce_a_len,
		  const u8 *nonce_b, size_t nonce_b_len)
{
	if (!sn || nonce_a_len > TCPC_RESUME_NONCE_MAX ||
	    nonce_b_len > TCPC_RESUME_NONCE_MAX ||
	    (!nonce_a && nonce_a_len) || (!nonce_b && nonce_b_len))
		return -EINVAL;
	memset(sn, 0, sizeof(*sn));
	if (nonce_a_len)
		memcpy(sn->bytes, nonce_a, nonce_a_len);
	if (nonce_b_len)
		memcpy(sn->bytes + nonce_a_len, nonce_b, nonce_b_len);
	sn->len = nonce_a_len + nonce_b_len;
	return 0;
}

/**
 * tcpc_kdf_session_id() - session_id[i] of a fresh or resumed session
 * @hmac: the HMAC-SHA256 implementation
 * @ss: ss[i]
 * @tep_byte: the negotiated TEP with the v bit, exactly as B sent it
 * @sn: sn[i], or NULL (empty) for a fresh session
 * @sid: receives TCPC_SESSID_LEN bytes: @tep_byte, then
 *       CPRF(ss[i], CONST_SESSID | sn[i], K_LEN); wiped on failure
 *
 * Return: 0 or a negative errno.
 */
int tcpc_kdf_session_id(const struct tcpc_hmac *hmac,
			const u8 ss[TCPC_K_LEN], u8 tep_byte,
			const struct tcpc_sn *sn, u8 sid[TCPC_SESSID_LEN])
{
	int err;

	err = tcpc_cprf(hmac, ss, TCPC_CONST_SESSID, sn, sid + 1, TCPC_K_LEN);
	sid[0] = err ? 0 : tep_byte;
	return err;
}

/**
 * tcpc_kdf_mk0() - mk[0] = CPRF(ss[i], CONST_REKEY | sn[i], K_LEN)
 * @hmac: the HMAC-SHA256 implementation
 * @ss: ss[i]
 * @sn: sn[i], or NULL (empty) for a fresh session
 * @mk: receives mk[0]; wiped on failure
 *
 * Return: 0 or a negative errno.
 */
int tcpc_kdf_mk0(const struct tcpc_hmac *hmac, const u8 ss[TCPC_K_LEN],
		 const struct tcpc_sn *sn, u8 mk[TCPC_K_LEN])
{
	return tcpc_cprf(hmac, ss, TCPC_CONST_REKEY, sn, mk, TCPC_K_LEN);
}

/**
 * tcpc_kdf_next_mk() - mk[j+1] = CPRF(mk[j], CONST_REKEY, K_LEN)
 * @hmac: the HMAC-SHA256 implementation
 * @mk: mk[j]
 * @next: receives mk[j+1]; may be @mk itself
 *
 * Return: 0 or a negative errno.
 */
int tcpc_kdf_next_mk(const struct tcpc_hmac *hmac,
		     const u8 mk[TCPC_K_LEN], u8 next[TCPC_K_LEN])
{
	return tcpc_cprf(hmac, mk, TCPC_CONST_REKEY, NULL, next, TCPC_K_LEN);
}

/**
 * tcpc_kdf_traffic_key() - k_ab[j] or k_ba[j], split into K and NR
 * @hmac: the HMAC-SHA256 implementation
 * @mk: mk[j]
 * @dir: TCPC_KEY_AB (CONST_KEY_A) or TCPC_KEY_BA (CONST_KEY_B)
 * @aead: the negotiated AEAD, which sets the lengths of K and NR
 * @tk: receives the key; wiped on failure
 *
 * Return: 0 or a negative errno.
 */
int tcpc_kdf_traffic_key(const struct tcpc_hmac *hmac,
			 const u8 mk[TCPC_K_LEN], enum tcpc_key_dir dir,
			 const struct tcpc_aead_desc *aead,
			 struct tcpc_traffic_key *tk)
{
	u8 buf[TCPC_TRAFFIC_KEY_MAX];
	size_t len;
	u8 c;
	int err;

	if (!aead || !tk || aead->key_len > TCPC_AEAD_KEY_MAX ||
	    aead->nonce_len != TCPC_AEAD_NONCE_LEN)
		return -EINVAL;
	if (dir == TCPC_KEY_AB)
		c = TCPC_CONST_KEY_A;
	else if (dir == TCPC_KEY_BA)
		c = TCPC_CONST_KEY_B;
	else
		return -EINVAL;

	memzero_explicit(tk, sizeof(*tk));
	len = tcpc_aead_traffic_key_len(aead);
	err = tcpc_cprf(hmac, mk, c, NULL, buf, len);
	if (!err) {
		memcpy(tk->key, buf, aead->key_len);
		memcpy(tk->nr, buf + aead->key_len, aead->nonce_len);
		tk->key_len = aead->key_len;
		tk->nonce_len = aead->nonce_len;
	}
	memzero_explicit(buf, sizeof(buf));
	return err;
}

/**
 * tcpc_kdf_resume_id() - resume[i] = CPRF(ss[i], CONST_RESUME, 18), halved
 * @hmac: the HMAC-SHA256 implementation
 * @ss: ss[i]
 * @rid: receives the two 9-byte identifier halves; wiped on failure
 *
 * Return: 0 or a negative errno.
 */
int tcpc_kdf_resume_id(const struct tcpc_hmac *hmac,
		       const u8 ss[TCPC_K_LEN], struct tcpc_resume_id *rid)
{
	u8 buf[TCPC_RESUME_LEN];
	int err;

	if (!rid)
		return -EINVAL;
	err = tcpc_cprf(hmac, ss, TCPC_CONST_RESUME, NULL, buf, sizeof(buf));
	if (!err) {
		memcpy(rid->id_a, buf, TCPC_RESUME_HALF_LEN);
		memcpy(rid->id_b, buf + TCPC_RESUME_HALF_LEN,
		       TCPC_RESUME_HALF_LEN);
	} else {
		memzero_explicit(rid, sizeof(*rid));
	}
	memzero_explicit(buf, sizeof(buf));
	return err;
}
