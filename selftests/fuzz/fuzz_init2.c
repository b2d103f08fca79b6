// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the Init2 decoder. Input byte 0 picks the TEP, the
 * rest is the start of B's stream. A valid message must re-encode to the
 * same canonical bytes (message_len aside), decode the same when cut
 * short by one byte into "need more", and never point outside the input.
 */
#include <stdlib.h>

#include "init_msg.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static const u8 teps[] = { TCPC_TEP_P256, TCPC_TEP_P521, TCPC_TEP_X25519,
			   TCPC_TEP_X448 };

static void check_valid(const u8 *buf, size_t avail, u8 tep,
			const struct tcpc_init2 *m)
{
	u8 again[TCPC_INIT2_FIXED + TCPC_PUB_WIRE_MAX], list[2];
	int canon = tcpc_init2_len(tep);
	struct tcpc_init1 offer = { .nciphers = 1, .ciphers = list };
	struct tcpc_init2 t;

	CHECK(canon > 0 && (u32)canon <= m->msg_len && m->msg_len <= avail);
	CHECK(m->msg_len <= TCPC_INIT_MAX_LEN && m->tep == tep);
	CHECK(m->key + tcpc_tep_key_len(tep) == buf + canon);
	CHECK(tcpc_init2_encode(again, sizeof(again), m) == canon);
	CHECK(!memcmp(again, buf, 4) && !memcmp(again + 8, buf + 8,
						canon - 8));
	CHECK(tcpc_get_be32(buf + 4) == m->msg_len);
	CHECK(tcpc_init2_decode(buf, m->msg_len - 1, tep, &t) == -EAGAIN);
	CHECK(t.msg_len == m->msg_len);

	tcpc_put_be16(list, m->cipher);
	CHECK(tcpc_init2_cipher_ok(&offer, m));
	tcpc_put_be16(list, m->cipher ^ 1);
	CHECK(!tcpc_init2_cipher_ok(&offer, m));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct tcpc_init2 m;
	u8 tep;
	int err;

	if (!size)
		return 0;
	tep = teps[data[0] % ARRAY_SIZE(teps)];
	err = tcpc_init2_decode(data + 1, size - 1, tep, &m);
	if (!err)
		check_valid(data + 1, size - 1, tep, &m);
	else if (err == -EAGAIN)
		CHECK(m.msg_len > size - 1 && m.msg_len >= TCPC_INIT_HDR_LEN &&
		      m.msg_len <= TCPC_INIT_MAX_LEN);
	else
		CHECK(err == -EBADMSG);
	return 0;
}
