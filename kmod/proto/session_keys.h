/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Everything a tcpcrypt session needs once its session secret is known
 * (RFC 8548 sections 3.3 to 3.5): mk[0], the two generation-0 traffic
 * keys oriented for the local role (A encrypts with k_ab, B with k_ba;
 * the original roles for a resumed session), and the session ID. A fresh
 * session starts from the PRK the daemon computed, a resumed one from a
 * cached ss[i] and the nonces sn[i] (resume.h).
 */
#ifndef _TCPC_PROTO_SESSION_KEYS_H
#define _TCPC_PROTO_SESSION_KEYS_H

#include "types.h"
#include "hmac.h"
#include "kdf.h"

struct tcpc_session_keys {
	u8 mk[TCPC_K_LEN];			/* mk[0] */
	u8 k_local[TCPC_TRAFFIC_KEY_MAX];	/* K | NR we encrypt with */
	u8 k_peer[TCPC_TRAFFIC_KEY_MAX];	/* K | NR the peer encrypts with */
	u8 tk_len;				/* bytes used in each k_* */
	u8 sessid[TCPC_SESSID_LEN];
};

int tcpc_session_keys_from(const struct tcpc_hmac *hmac,
			   const u8 ss[TCPC_K_LEN], const struct tcpc_sn *sn,
			   u16 aead, u8 sessid_tep, bool orig_b,
			   struct tcpc_session_keys *keys);
int tcpc_session_keys_derive(const struct tcpc_hmac *hmac,
			     const u8 prk[TCPC_K_LEN], u16 aead,
			     u8 sessid_tep, bool local_is_b,
			     struct tcpc_session_keys *keys);

#endif /* _TCPC_PROTO_SESSION_KEYS_H */
