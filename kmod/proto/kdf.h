/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The tcpcrypt key schedule (RFC 8548 sections 3.3 to 3.5 and 3.8) over
 * HKDF-SHA256, the function every tcpcrypt TEP uses:
 *
 *   PRK           = Extract(N_A, eno_transcript | Init1 | Init2 | ES)
 *   ss[0]         = PRK
 *   ss[i+1]       = CPRF(ss[i], CONST_NEXTK, 32)
 *   session_id[i] = TEP byte | CPRF(ss[i], CONST_SESSID | sn[i], 32)
 *   mk[0]         = CPRF(ss[i], CONST_REKEY | sn[i], 32)
 *   mk[j+1]       = CPRF(mk[j], CONST_REKEY, 32)
 *   k_ab[j]       = CPRF(mk[j], CONST_KEY_A, key_len + nonce_len) = K | NR
 *   k_ba[j]       = CPRF(mk[j], CONST_KEY_B, key_len + nonce_len) = K | NR
 *   resume[i]     = CPRF(ss[i], CONST_RESUME, 18)
 *   sn[i]         = nonce_a | nonce_b     (empty for a fresh session)
 *
 * Every function returns 0 or a negative errno: -EINVAL for bad arguments
 * (output left untouched), or the HMAC's own error (output wiped, so no
 * partial secret survives). Intermediate secrets are wiped on every path.
 */
#ifndef _TCPC_PROTO_KDF_H
#define _TCPC_PROTO_KDF_H

#include "types.h"
#include "hmac.h"
#include "aead_desc.h"

/* HKDF info constants (RFC 8548 section 4.3) */
#define TCPC_CONST_NEXTK	0x01
#define TCPC_CONST_SESSID	0x02
#define TCPC_CONST_REKEY	0x03
#define TCPC_CONST_KEY_A	0x04
#define TCPC_CONST_KEY_B	0x05
#define TCPC_CONST_RESUME	0x06

/* K_LEN, N_A_LEN and N_B_LEN of all four tcpcrypt TEPs */
#define TCPC_K_LEN		32
#define TCPC_INIT_NONCE_LEN	32
/* HKDF-Expand output limit: 255 blocks of one hash each */
#define TCPC_CPRF_MAX_LEN	(255 * TCPC_HASH_LEN)
/* Most info fragments a CPRF caller may pass */
#define TCPC_CPRF_MAX_INFO	4

#define TCPC_SESSID_LEN		(1 + TCPC_K_LEN)
#define TCPC_RESUME_LEN		18
#define TCPC_RESUME_HALF_LEN	9
#define TCPC_RESUME_NONCE_MAX	8
#define TCPC_SN_MAX		(2 * TCPC_RESUME_NONCE_MAX)

int tcpc_hkdf_extract(const struct tcpc_hmac *hmac,
		      const u8 *salt, size_t salt_len,
		      const struct tcpc_frag *ikm, unsigned int nikm,
		      u8 prk[TCPC_HASH_LEN]);
int tcpc_hkdf_expand(const struct tcpc_hmac *hmac,
		     const u8 *prk, size_t prk_len,
		     const struct tcpc_frag *info, unsigned int ninfo,
		     u8 *out, size_t out_len);

/* The inputs of the PRK of a fresh key exchange, as transmitted */
struct tcpc_prk_input {
	const u8 *n_a;			/* TCPC_INIT_NONCE_LEN bytes */
	struct tcpc_frag transcript;	/* both SYN-form ENO options */
	struct tcpc_frag init1;		/* whole Init1, trailing bytes too */
	struct tcpc_frag init2;		/* whole Init2, trailing bytes too */
	struct tcpc_frag es;		/* the ECDH shared secret */
};

int tcpc_kdf_prk(const struct tcpc_hmac *hmac,
		 const struct tcpc_prk_input *in, u8 prk[TCPC_K_LEN]);
int tcpc_kdf_next_ss(const struct tcpc_hmac *hmac,
		     const u8 ss[TCPC_K_LEN], u8 next[TCPC_K_LEN]);

/*
 * sn[i] = nonce_a | nonce_b, each 0 to 8 bytes. nonce_a is the nonce in
 * the resumption suboption of the host that was A in the ORIGINAL session
 * (the one that computed ss[0]), whatever the ENO roles of the resumed
 * connection: the figures of RFC 8548 section 3.5 tie nonce_a to the
 * suboption carrying resume[i][0..8]. A fresh session has an empty sn.
 */
struct tcpc_sn {
	u8 len;
	u8 bytes[TCPC_SN_MAX];
};

int tcpc_sn_build(struct tcpc_sn *sn, const u8 *nonce_a, size_t nonce_a_len,
		  const u8 *nonce_b, size_t nonce_b_len);

int tcpc_kdf_session_id(const struct tcpc_hmac *hmac,
			const u8 ss[TCPC_K_LEN], u8 tep_byte,
			const struct tcpc_sn *sn, u8 sid[TCPC_SESSID_LEN]);
int tcpc_kdf_mk0(const struct tcpc_hmac *hmac, const u8 ss[TCPC_K_LEN],
		 const struct tcpc_sn *sn, u8 mk[TCPC_K_LEN]);
int tcpc_kdf_next_mk(const struct tcpc_hmac *hmac,
		     const u8 mk[TCPC_K_LEN], u8 next[TCPC_K_LEN]);

/*
 * Direction of a traffic key. Each host keeps the direction its role had
 * in the original session, also when resuming in the other ENO role.
 */
enum tcpc_key_dir {
	TCPC_KEY_AB,	/* k_ab: sent by the original A */
	TCPC_KEY_BA,	/* k_ba: sent by the original B */
};

struct tcpc_traffic_key {
	u8 key[TCPC_AEAD_KEY_MAX];	/* K, key_len bytes used */
	u8 nr[TCPC_AEAD_NONCE_LEN];	/* NR, XORed into each frame ID */
	u8 key_len;
	u8 nonce_len;
};

int tcpc_kdf_traffic_key(const struct tcpc_hmac *hmac,
			 const u8 mk[TCPC_K_LEN], enum tcpc_key_dir dir,
			 const struct tcpc_aead_desc *aead,
			 struct tcpc_traffic_key *tk);

/*
 * resume[i] split in the halves the resumption suboptions carry: the
 * original A sends id_a (bytes 0..8), the original B sends id_b (9..17).
 */
struct tcpc_resume_id {
	u8 id_a[TCPC_RESUME_HALF_LEN];
	u8 id_b[TCPC_RESUME_HALF_LEN];
};

int tcpc_kdf_resume_id(const struct tcpc_hmac *hmac,
		       const u8 ss[TCPC_K_LEN], struct tcpc_resume_id *rid);

#endif /* _TCPC_PROTO_KDF_H */
