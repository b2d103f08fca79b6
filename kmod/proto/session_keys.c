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
	const struct tcpc_aead_desc *desc = tcpc_aead_find(aead);
	enum tcpc_key_dir local = local_is_b ? TCPC_KEY_BA : TCPC_KEY_AB;
	enum tcpc_key_dir peer = local_is_b ? TCPC_KEY_AB : TCPC_KEY_BA;
	int err;

	memzero_explicit(keys, sizeof(*keys));
	if (!desc)
		return -EINVAL;
	err = tcpc_kdf_mk0(hmac, prk, NULL, keys->mk);
	if (!err)
		err = session_traffic_key(hmac, keys->mk, local, desc,
					  keys->k_local);
	if (!err)
		err = session_traffic_key(hmac, keys->mk, peer, desc,
					  keys->k_peer);
	if (!err)
		err = tcpc_kdf_session_id(hmac, prk, sessid_tep, NULL,
					  keys->sessid);
	if (err) {
		memzero_explicit(keys, sizeof(*keys));
		return err;
	}
	keys->tk_len = tcpc_aead_traffic_key_len(desc);
	return 0;
}
