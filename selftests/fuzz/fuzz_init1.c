// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the Init1 decoder. Input byte 0 picks the TEP, the
 * rest is the start of A's stream. A valid message must re-encode to the
 * same canonical bytes (message_len aside), decode the same when cut
 * short by one byte into "need more", and never point outside the input.
 */
#include <stdlib.h>

#include "init_msg.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static const u8 teps[] = { TCPC_TEP_P256, TCPC_TEP_P521, TCPC_TEP_X25519,
			   TCPC_TEP_X448 };

static void check_valid(const u8 *buf, size_t avail, u8 tep,
			const struct tcpc_init1 *m)
{
	static u8 again[TCPC_INIT_MAX_LEN];
	int canon = tcpc_init1_len(tep, m->nciphers);
	struct tcpc_init1 t;
	u8 pref[4];
	int id;

	CHECK(canon > 0 && (u32)canon <= m->msg_len && m->msg_len <= avail);
	CHECK(m->msg_len <= TCPC_INIT_MAX_LEN && m->tep == tep);
	CHECK(m->key + tcpc_tep_key_len(tep) == buf + canon);
	CHECK(tcpc_init1_encode(again, sizeof(again), m) == canon);
	CHECK(!memcmp(again, buf, 4) && !memcmp(again + 8, buf + 8,
						canon - 8));
	CHECK(tcpc_get_be32(buf + 4) == m->msg_len);
	CHECK(tcpc_init1_decode(buf, m->msg_len - 1, tep, &t) == -EAGAIN);
	CHECK(t.msg_len == m->msg_len);

	tcpc_put_be16(pref, TCPC_AEAD_CHACHA20_POLY1305);
	tcpc_put_be16(pref + 2, TCPC_AEAD_AES_128_GCM);
	id = tcpc_aead_choose(pref, 2, m);
	CHECK(id == -ENOENT || tcpc_aead_listed(m->ciphers, m->nciphers, id));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct tcpc_init1 m;
	u8 tep;
	int err;

	if (!size)
		return 0;
	tep = teps[data[0] % ARRAY_SIZE(teps)];
	err = tcpc_init1_decode(data + 1, size - 1, tep, &m);
	if (!err)
		check_valid(data + 1, size - 1, tep, &m);
	else if (err == -EAGAIN)
		CHECK(m.msg_len > size - 1 && m.msg_len >= TCPC_INIT_HDR_LEN &&
		      m.msg_len <= TCPC_INIT_MAX_LEN);
	else
		CHECK(err == -EBADMSG);
	return 0;
}
