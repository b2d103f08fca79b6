// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * libFuzzer target for the frame codec (kmod/proto/frame.c). The input is
 * read as a frame whose ciphertext is taken for its plaintext: the header
 * and the plaintext prefix are decoded from arbitrary bytes, and every
 * valid decode must re-encode to the input (reserved bits cleared). ASan
 * catches any read past the input; the invariants trap.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "frame.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

static void fuzz_hdr(const u8 *data, size_t size, struct tcpc_frame_hdr *hdr,
		     int err)
{
	struct tcpc_frame_hdr mine;
	u8 out[TCPC_FRAME_HDR_LEN];

	if (size < TCPC_FRAME_HDR_LEN) {
		CHECK(err == -EAGAIN);
		return;
	}
	if (tcpc_get_be16(data + 1) < TCPC_FRAME_MIN_CLEN) {
		CHECK(err == -EBADMSG);
		return;
	}
	CHECK(err == 0);
	/* the AD is the header exactly as received */
	tcpc_frame_ad(hdr, out);
	CHECK(!memcmp(out, data, TCPC_FRAME_HDR_LEN));
	CHECK(tcpc_frame_hdr_rekey(hdr) == (data[0] & 1));
	CHECK(tcpc_frame_wire_len(hdr) == TCPC_FRAME_HDR_LEN + hdr->clen);

	/* a sender's header for the same plaintext clears reserved bits */
	CHECK(!tcpc_frame_hdr_init(&mine, tcpc_frame_hdr_rekey(hdr),
				   tcpc_frame_plain_len(hdr)));
	tcpc_frame_hdr_encode(&mine, out);
	CHECK(out[0] == (data[0] & TCPC_FRAME_CTL_REKEY));
	CHECK(!memcmp(out + 1, data + 1, 2));
}

static void fuzz_prefix(const u8 *p, size_t len)
{
	struct tcpc_frame_prefix pfx, again;
	u8 out[TCPC_FRAME_PREFIX_MAX];
	size_t n;
	int ret;

	ret = tcpc_frame_prefix_decode(p, len, &pfx);
	if (!len || ((p[0] & TCPC_FRAME_URGP) && len < 3)) {
		CHECK(ret == -EBADMSG);
		return;
	}
	CHECK(ret == ((p[0] & TCPC_FRAME_URGP) ? 3 : 1));
	CHECK(tcpc_frame_max_data(&pfx) + ret == TCPC_FRAME_MAX_PLAIN);

	n = tcpc_frame_prefix_encode(&pfx, out);
	CHECK(n == (size_t)ret);
	CHECK(out[0] == (p[0] & (TCPC_FRAME_FINP | TCPC_FRAME_URGP)));
	CHECK(!memcmp(out + 1, p + 1, n - 1));
	CHECK(tcpc_frame_prefix_decode(out, n, &again) == ret);
	CHECK(again.fin == pfx.fin && again.urg == pfx.urg &&
	      again.urgent == pfx.urgent);
}

static void fuzz_nonce(const u8 *data, size_t size)
{
	u8 nonce[TCPC_AEAD_NONCE_LEN], id[TCPC_FRAME_ID_LEN];
	u64 offset;
	size_t i;

	if (size < TCPC_AEAD_NONCE_LEN + 8)
		return;
	offset = ((u64)tcpc_get_be32(data + 12) << 32) |
		 tcpc_get_be32(data + 16);
	tcpc_frame_nonce(data, offset, nonce);
	tcpc_frame_id(offset, id);
	for (i = 0; i < TCPC_AEAD_NONCE_LEN; i++)
		CHECK((nonce[i] ^ data[i]) == id[i]);
	CHECK(!memcmp(id + 4, data + 12, 8));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tcpc_frame_hdr hdr;
	size_t plen;
	int err;

	err = tcpc_frame_hdr_decode(data, size, &hdr);
	fuzz_hdr(data, size, &hdr, err);
	if (!err) {
		plen = size - TCPC_FRAME_HDR_LEN;
		if (plen > tcpc_frame_plain_len(&hdr))
			plen = tcpc_frame_plain_len(&hdr);
		fuzz_prefix(data + TCPC_FRAME_HDR_LEN, plen);
	}
	fuzz_prefix(data, size < 4 ? size : 4);
	fuzz_nonce(data, size);
	return 0;
}
