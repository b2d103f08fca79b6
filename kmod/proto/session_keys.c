// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Key material of a fresh session from its PRK. See session_keys.h.
 */
#include "session_keys.h"

/* K | NR as one buffer, the form the data path keys its AEADs from */
static int session_traffic_key(const struct tcpc_hmac *hmac,
			       const u8 mk[TCPC_K_LEN], enum tcpc_key_dir dir,
			       const struct tcpc_aead_desc *desc, u8 *out)
{
	struct tcpc_traffic_key tk;
	int err;

	err = tcpc_kdf_traffic_key(hmac, mk, dir, desc, &tk);
	if (!err) {
		memcpy(out, tk.key, tk.key_len);
		memcpy(out + tk.key_len, tk.nr, tk.nonce_len);
	}
	memzero_explicit(&tk, sizeof(tk));
	return err;
}

/**
 * tcpc_session_keys_from() - keys and session ID from ss[i] and sn[i]
 * @hmac: the HMAC-SHA256 implementation
 * @ss: the session secret: ss[0] = PRK, or a cached ss[i] when resuming
 * @sn: sn[i] of a resumed session, NULL (empty) for a fresh one
 * @aead: the AEAD id
 * @sessid_tep: session ID byte 0, the TEP (with its v bit) as B sent it
 * @orig_b: our role in the session that computed ss[0]; its B encrypts
 *	    with k_ba, its A with k_ab, in every resumed session too
 * @keys: receives mk[0], both generation-0 traffic keys and the session
 *	  ID; wiped on failure
 *
 * Return: 0; -EINVAL for an AEAD tcpcrypt does not define; or the HMAC's
 * error.
 */
int tcpc_session_keys_from(const struct tcpc_hmac *hmac,
			   const u8 ss[TCPC_K_LEN], const struct tcpc_sn *sn,
			   u16 aead, u8 sessid_tep, bool orig_b,
			   struct tcpc_session_keys *keys)
{
	const struct tcpc_aead_desc *desc = tcpc_aead_find(aead);
	enum tcpc_key_dir local = orig_b ? TCPC_KEY_BA : TCPC_KEY_AB;
	enum tcpc_key_dir peer = orig_b ? TCPC_KEY_AB : TCPC_KEY_BA;
	int err;

	memzero_explicit(keys, sizeof(*keys));
	if (!desc)
		return -EINVAL;
	err = tcpc_kdf_mk0(hmac, ss, sn, keys->mk);
	if (!err)
		err = session_traffic_key(hmac, keys->mk, local, desc,
					  keys->k_local);
	if (!err)
		err = session_traffic_key(hmac, keys->mk, peer, desc,
					  keys->k_peer);
	if (!err)
		err = tcpc_kdf_session_id(hmac, ss, sessid_tep, sn,
					  keys->sessid);
	if (err) {
		memzero_explicit(keys, sizeof(*keys));
		return err;
	}
	keys->tk_len = tcpc_aead_traffic_key_len(desc);
	return 0;
}

/**
 * tcpc_session_keys_derive() - derive a fresh session's keys from its PRK
 * @hmac: the HMAC-SHA256 implementation
 * @prk: ss[0], as the daemon extracted it
 * @aead: the negotiated AEAD id
 * @sessid_tep: session ID byte 0, the TEP (with its v bit) as B sent it
 * @local_is_b: our ENO role; B encrypts with k_ba, A with k_ab
 * @keys: receives mk[0], both traffic keys and the session ID; wiped on
 *	  failure
 *
 * Return: 0; -EINVAL for an AEAD tcpcrypt does not define; or the HMAC's
 * error.
 */
int tcpc_session_keys_derive(const struct tcpc_hmac *hmac,
			     const u8 prk[TCPC_K_LEN], u16 aead,
			     u8 sessid_tep, bool local_is_b,
			     struct tcpc_session_keys *keys)
{
	return tcpc_session_keys_from(hmac, prk, NULL, aead, sessid_tep,
				      local_is_b, keys);
}
