/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Session resumption (RFC 8548 section 3.5): what either end keeps of a
 * finished key agreement, the resumption suboption it offers or answers
 * with, the check of the peer's, and the keys of the resumed session.
 *
 *   suboption = [TEP | v] own identifier half (9) | nonce (0..8)
 *
 * The original A sends resume[i][0..8], the original B resume[i][9..17],
 * whatever their ENO roles now; keys keep the original directions too,
 * and sn[i] = nonce of the original A | nonce of the original B.
 */
#ifndef _TCPC_PROTO_RESUME_H
#define _TCPC_PROTO_RESUME_H

#include "types.h"
#include "eno.h"
#include "kdf.h"
#include "session_keys.h"

/* Data bytes of our resumption suboptions: the half and a full nonce */
#define TCPC_RESUME_SUB_DATA	(TCPC_RESUME_HALF_LEN + TCPC_RESUME_NONCE_MAX)

/* ss[i] of a chain, never used yet, and what it resumes */
struct tcpc_resume_secret {
	u8 ss[TCPC_K_LEN];
	struct tcpc_resume_id rid;	/* resume[i] */
	u16 aead;			/* the original session's AEAD */
	u8 tep;				/* its TEP, 0x21..0x24 */
	bool orig_b;			/* our role in the original session */
};

int tcpc_resume_next(const struct tcpc_hmac *hmac, const u8 used[TCPC_K_LEN],
		     u8 tep, u16 aead, bool orig_b,
		     struct tcpc_resume_secret *next);

const u8 *tcpc_resume_own_half(const struct tcpc_resume_secret *s);
const u8 *tcpc_resume_peer_half(const struct tcpc_resume_secret *s);

void tcpc_resume_sub(const struct tcpc_resume_secret *s,
		     const u8 nonce[TCPC_RESUME_NONCE_MAX],
		     u8 data[TCPC_RESUME_SUB_DATA], struct tcpc_eno_sub *sub);

bool tcpc_resume_sub_matches(const struct tcpc_resume_secret *s,
			     const struct tcpc_eno_sub *peer);

int tcpc_resume_keys(const struct tcpc_hmac *hmac,
		     const struct tcpc_resume_secret *s,
		     const u8 own_nonce[TCPC_RESUME_NONCE_MAX],
		     const struct tcpc_eno_sub *peer, u8 sessid_tep,
		     struct tcpc_session_keys *keys);

#endif /* _TCPC_PROTO_RESUME_H */
